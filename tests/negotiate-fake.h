/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-fake.h - a scripted host for the Negotiate package: the
 * package's own tables are loaded in-process through the kit's entry
 * points, and the host services table it gets is served by fake sibling
 * packages whose behaviour each test sets (how many legs, whether they can
 * sign, which calls fail and how).  Every SPNEGO path can so be driven
 * deterministically, without a KDC or a real NTLM exchange.
 *
 * Fake sibling tokens: the initiator's leg k is "<tag>C<k>" and the
 * acceptor's "<tag>S<k>", where <tag> is the sibling's token prefix
 * ("NTLMSSP\0" for the NTLM stand-in, an RFC 2743 framing with the
 * Kerberos OID for the Kerberos stand-in); signatures are 8 bytes: the
 * sequence number and a keyed checksum of the data.
 */
#ifndef LIBSSPI_TESTS_NEGOTIATE_FAKE_H
#define LIBSSPI_TESTS_NEGOTIATE_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"
#include "ntsecpkg.h"

#define FAKE_MAX_PKGS 4

/* One fake sibling package and what it should do. */
struct fake_pkg {
    const char16_t *name;
    uint8_t oid[16];
    uint8_t oid_len;
    uint32_t caps;                           /* SECPKG_FLAG_*; NEGOTIABLE to take part */
    int legs;                                /* tokens in a full exchange (1, 2 or 3) */
    bool integrity;                          /* contexts report *_RET_INTEGRITY */
    bool complete_needed;                    /* the last initiator step says COMPLETE_NEEDED */
    SECURITY_STATUS acquire_out, acquire_in; /* ACH result per use */
    SECURITY_STATUS first_init;              /* result of the first ISC (0: works) */
    bool bad_password;                       /* the acceptor refuses the initiator's proof */
    const uint8_t *prefix;                   /* token prefix */
    size_t prefix_len;
    uint32_t max_token; /* cbMaxToken declared (0: none) */
    bool own_memory;    /* hands back a block of its own even
                         * when given memory */
    /* counters */
    unsigned acquired, inits, accepts, signs, verifies, resets_out, resets_in;
    unsigned direct_signs, deleted, created;
    unsigned allocate_asked; /* steps asked to allocate the output token */
    uint32_t given_min;      /* smallest output buffer given with memory */
    uint32_t given_max;      /* largest */
};

struct fake_host {
    struct fake_pkg pkgs[FAKE_MAX_PKGS];
    unsigned npkgs;
    bool no_direct; /* GetMessageTarget refuses */
    /* The package's tables, as the host got them. */
    PSECPKG_FUNCTION_TABLE lsa;
    PSECPKG_USER_FUNCTION_TABLE user;
};

/* The host of the running test (one at a time). */
extern struct fake_host fake;

/* Reset the fake siblings to: Kerberos stand-in (2 legs, MS/RFC OIDs),
 * NTLM stand-in (3 legs, "NTLMSSP\0" prefix), both with integrity and a
 * cbMaxToken of 1000.  Like real packages, a sibling writes its token into
 * the output buffer it is given, allocates one only with ALLOCATE_MEMORY
 * (SEC_E_INTERNAL_ERROR without), and refuses a buffer too small
 * (SEC_E_BUFFER_TOO_SMALL). */
void fake_reset(void);

/* Load the Negotiate package in-process (once) and hand it the fake
 * services; fills fake.lsa / fake.user. */
void fake_load(void);

/* Drive a fake sibling directly (for raw-token tests): one ISC step of a
 * fresh or existing context of package `index`. */
SECURITY_STATUS fake_sibling_init(unsigned index, CtxtHandle *ctx, bool fresh, const void *in,
                                  size_t in_len, void **out, size_t *out_len);

#endif
