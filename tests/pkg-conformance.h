/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-conformance.h - the battery every security package runs: acquire,
 * handshake (caller buffers and ALLOCATE_MEMORY, one handle across legs),
 * sizes, sign/verify, seal/unseal, tampering, replay and reordering,
 * export/import, every kind of bad input (handles, descriptors, buffers,
 * tokens, import blobs, failed legs, double deletes), attributes after
 * completion, and threads.  A package suite describes the package in a
 * `struct pc_driver` (a few dozen lines, see check-*-conformance.c) and
 * returns pc_main() from main(); the driver's fields cover what a package
 * legitimately does differently: its statuses where packages differ,
 * TLS-style stream messages and handshakes, a wrapper's selected package,
 * an acceptor that speaks first, attributes it does not answer.  Leg
 * counts are the package's own: the cases learn them from a handshake.
 */
#ifndef LIBSSPI_TESTS_PKG_CONFORMANCE_H
#define LIBSSPI_TESTS_PKG_CONFORMANCE_H

#include <stdbool.h>
#include <stdint.h>

#include <check.h>

#include "pkg-harness.h"

/* Attributes a package does not answer (SEC_E_UNSUPPORTED_FUNCTION). */
enum pc_attr {
    PC_ATTR_CRED_NAMES = 1 << 0,  /* SECPKG_CRED_ATTR_NAMES */
    PC_ATTR_NAMES = 1 << 1,       /* SECPKG_ATTR_NAMES */
    PC_ATTR_LIFESPAN = 1 << 2,    /* SECPKG_ATTR_LIFESPAN */
    PC_ATTR_SESSION_KEY = 1 << 3, /* SECPKG_ATTR_SESSION_KEY */
    PC_ATTR_KEY_INFO = 1 << 4,    /* SECPKG_ATTR_KEY_INFO */
};

/* The statuses where packages differ; 0 stands for the usual one, named
 * after each field. */
struct pc_statuses {
    SECURITY_STATUS denied;        /* the refused handshake: SEC_E_LOGON_DENIED */
    SECURITY_STATUS bad_use;       /* AcquireCredentialsHandle, use 0: SEC_E_UNKNOWN_CREDENTIALS */
    SECURITY_STATUS bad_auth_data; /* an identity with a length and no string:
                                    * SEC_E_INVALID_PARAMETER */
    SECURITY_STATUS short_verify;  /* Verify/DecryptMessage, a TOKEN too small:
                                    * SEC_E_INVALID_TOKEN */
    SECURITY_STATUS altered;       /* a changed message: SEC_E_MESSAGE_ALTERED */
    SECURITY_STATUS out_of_sequence;  /* a replayed or overtaking message: SEC_E_OUT_OF_SEQUENCE */
    SECURITY_STATUS after_refused;    /* the genuine message after one of those: SEC_E_OK (the
                                       * receiver carries on) */
    SECURITY_STATUS after_failed_leg; /* the genuine token after a failed leg:
                                       * SEC_E_OUT_OF_SEQUENCE */
};

struct pc_driver {
    const char *package; /* e.g. "NTLM" */
    const char *module;  /* below $LIBSSPI_TEST_PKGDIR, e.g. "ntlm/.libs/ntlm.so" */
    /* Once before the battery (e.g. a user file, a realm; returns 0, or
     * the exit status to end with, 77 to skip), and after it, in the test
     * process. */
    int (*setup)(void);
    void (*teardown)(void);

    /* Credentials; user NULL: no AuthData (a package that takes no user
     * identity, or an acceptor that needs none). */
    struct ph_identity client; /* outbound */
    struct ph_identity server; /* inbound */
    const char *target;        /* ISC target name, may be NULL */
    uint32_t isc_req, asc_req; /* asked on every handshake */
    /* A handshake the package refuses with `expect.denied`: client `wrong`
     * against `wrong_target` (NULL: `target`).  At least one is set. */
    struct ph_identity wrong;
    const char *wrong_target;

    struct pc_statuses expect;

    /* Shape of the package. */
    enum ph_layout layout; /* PH_LAYOUT_TOKEN, or PH_LAYOUT_STREAM: TLS-style messages and
                            * stream handshakes (ph_handshake_opts.stream) */
    bool no_signatures;    /* no MakeSignature/VerifySignature (stream packages) */
    bool no_export;        /* ExportSecurityContext unsupported */
    uint32_t unanswered;   /* PC_ATTR_* */
    /* The shortest first-leg token the acceptor legitimately takes, when
     * shorter than the initiator's (0: none is shorter). */
    uint32_t shortest_first_token;
    /* The acceptor may speak first: AcceptSecurityContext with no input
     * opens the handshake (SPNEGO's NegTokenInit2). */
    bool acceptor_first;
    /* A package that wraps others (Negotiate): the package it selects in
     * this setup.  The context's SIZES are that package's, and
     * NEGOTIATION_INFO names it; PACKAGE_INFO stays the wrapper's. */
    const char *selects;
    /* The initiator's first leg carries a token of the package it expects
     * to select: NEGOTIATION_INFO says SECPKG_NEGOTIATION_OPTIMISTIC until
     * the acceptor has answered. */
    bool optimistic;
};

/* Run the battery for `d` (static storage): setup, load the package, the
 * cases, teardown.  Returns the exit status for main(). */
int pc_main(const struct pc_driver *d);

#endif
