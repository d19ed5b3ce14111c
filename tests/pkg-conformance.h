/*
 * pkg-conformance.h - the battery every security package runs: acquire,
 * handshake (caller buffers and ALLOCATE_MEMORY, one handle across legs),
 * sizes, sign/verify, seal/unseal, tampering, replay and reordering,
 * export/import, every kind of bad input (handles, descriptors, buffers,
 * tokens, import blobs, failed legs, double deletes), attributes after
 * completion, and threads.  A package suite describes the package in a
 * `struct pc_driver` (a few dozen lines, see check-*-conformance.c) and
 * runs pc_suite(); the driver's fields cover what a package legitimately
 * does differently.
 */
#ifndef LIBSSPI_TESTS_PKG_CONFORMANCE_H
#define LIBSSPI_TESTS_PKG_CONFORMANCE_H

#include <stdbool.h>
#include <stdint.h>

#include <check.h>

#include "pkg-harness.h"

struct pc_driver {
    const char *package; /* e.g. "NTLM" */
    const char *module;  /* below $LIBSSPI_TEST_PKGDIR, e.g. "ntlm/.libs/ntlm.so" */
    /* Once before the battery (e.g. a user file, a realm), and after it.
     * Both run in the test process (with CK_FORK=no too). */
    void (*setup)(void);
    void (*teardown)(void);

    struct ph_identity client; /* outbound credential */
    struct ph_identity server; /* inbound credential; user NULL: no AuthData */
    struct ph_identity wrong;  /* a client the server refuses */
    const char *target;        /* ISC target name, may be NULL */
    uint32_t isc_req, asc_req; /* asked on every handshake */

    /* Statuses where packages differ. */
    SECURITY_STATUS denied;       /* a refused client (SEC_E_LOGON_DENIED) */
    SECURITY_STATUS bad_use;      /* AcquireCredentialsHandle with use 0 */
    SECURITY_STATUS short_verify; /* VerifySignature with a TOKEN too small */

    /* Shape of the package. */
    enum ph_layout layout; /* PH_LAYOUT_TOKEN, or PH_LAYOUT_STREAM for TLS */
    bool no_signatures;    /* no MakeSignature/VerifySignature (stream packages) */
    bool no_export;        /* ExportSecurityContext unsupported */
    bool empty_input;      /* handshake legs carry a SECBUFFER_EMPTY input buffer */
    bool no_key_info;      /* SECPKG_ATTR_KEY_INFO unsupported */
    /* The shortest first-leg token the acceptor legitimately takes, when
     * shorter than the initiator's (0: none is shorter). */
    uint32_t shortest_first_token;
};

/* The battery for `d` (kept by pointer: static storage). */
Suite *pc_suite(const struct pc_driver *d);

#endif
