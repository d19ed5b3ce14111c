/*
 * pkg-harness.h - driving one security package through the public SSPI
 * API in tests: acquiring credentials in each identity form, running a
 * handshake to completion, and sending messages between the two ends of a
 * pair (signed, sealed, exported and imported).  Part of libtestutil.la;
 * the package conformance battery (pkg-conformance.h) and the package
 * suites are written with it.
 *
 * Functions return the first status that was not the expected one, so a
 * test asserts with ck_assert_status(ph_...(), SEC_E_OK); they assert
 * nothing themselves and leave no handle behind on failure unless said.
 */
#ifndef LIBSSPI_TESTS_PKG_HARNESS_H
#define LIBSSPI_TESTS_PKG_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "util/testutil.h"

/* Load package module `module` (a path below $LIBSSPI_TEST_PKGDIR, e.g.
 * "ntlm/.libs/ntlm.so") unless package `name` is already there. */
SECURITY_STATUS ph_load(const char *name, const char *module);

/* An identity; NULL user means "no AuthData" (the package's defaults). */
struct ph_identity {
    const char *user, *domain, *password; /* UTF-8 */
};

/* The structure the identity is passed in. */
enum ph_form {
    PH_FORM_A,   /* SEC_WINNT_AUTH_IDENTITY_A through AcquireCredentialsHandleA */
    PH_FORM_W,   /* SEC_WINNT_AUTH_IDENTITY_W through AcquireCredentialsHandleW */
    PH_FORM_EXW, /* SEC_WINNT_AUTH_IDENTITY_EXW through AcquireCredentialsHandleW */
};

SECURITY_STATUS ph_acquire(const char *package, enum ph_form form, const struct ph_identity *id,
                           uint32_t use, CredHandle *cred);

/* One end of a handshake. */
struct ph_party {
    CredHandle cred;
    CtxtHandle ctx;
    bool has_ctx;     /* ctx holds a handle to delete */
    bool same_handle; /* every leg after the first kept the first leg's handle */
    uint32_t attrs;   /* ISC_RET_* / ASC_RET_* of the last leg */
    TimeStamp expiry;
};

struct ph_handshake_opts {
    const char *target; /* ISC target name (UTF-8), may be NULL */
    uint32_t isc_req, asc_req;
    bool allocate;        /* ISC/ASC_REQ_ALLOCATE_MEMORY; tokens freed with FreeContextBuffer */
    bool empty_input;     /* a SECBUFFER_EMPTY input buffer after the token (stream packages) */
    const void *bindings; /* SEC_CHANNEL_BINDINGS block for both ends, or NULL */
    size_t bindings_len;
};

/*
 * Run ISC and ASC legs, each feeding the other's token, until both have
 * returned SEC_E_OK (at most 10 legs).  `client`/`server` have their
 * credentials acquired; on return their contexts (if any) are the
 * caller's to delete (ph_party_end), also after a failure.  Returns SEC_E_OK
 * or the first failing status.
 */
SECURITY_STATUS ph_handshake(struct ph_party *client, struct ph_party *server,
                             const struct ph_handshake_opts *o);

/* Delete the party's context (if any) and free its credential; the first
 * failure. */
SECURITY_STATUS ph_party_end(struct ph_party *p);

/* A client and a server of one package with a completed handshake. */
struct ph_pair {
    struct ph_party client, server;
};

/* Acquire (W form) both credentials, outbound and inbound, and run the
 * handshake.  On failure nothing is left open. */
SECURITY_STATUS ph_pair_open(struct ph_pair *p, const char *package,
                             const struct ph_identity *client, const struct ph_identity *server,
                             const struct ph_handshake_opts *o);
SECURITY_STATUS ph_pair_close(struct ph_pair *p);

/* ---- messages -------------------------------------------------------------- */

#define PH_MAX_DATA 4096
#define PH_MAX_TRAILER 512

/* How a package lays out a message. */
enum ph_layout {
    PH_LAYOUT_TOKEN,  /* [DATA][TOKEN]: signatures and sealing trailers */
    PH_LAYOUT_STREAM, /* [STREAM_HEADER][DATA][STREAM_TRAILER][EMPTY] (TLS-style) */
};

/* A message with its buffers; re-aim the descriptor after copying one with
 * ph_msg_fix. */
struct ph_msg {
    enum ph_layout layout;
    uint8_t data[PH_MAX_DATA];
    size_t len;
    uint8_t header[PH_MAX_TRAILER], trailer[PH_MAX_TRAILER];
    SecBuffer b[4];
    SecBufferDesc d;
};

/* Lay out `len` bytes of `data` for protection: [DATA][TOKEN of `tail`
 * bytes], or for streams [STREAM_HEADER of `head`][DATA][STREAM_TRAILER of
 * `tail`][EMPTY]. */
void ph_msg_init(struct ph_msg *m, enum ph_layout layout, const void *data, size_t len, size_t head,
                 size_t tail);
void ph_msg_fix(struct ph_msg *m);
/* Lay out a received stream message for DecryptMessage: [DATA whole][EMPTY]x3. */
void ph_msg_stream_in(struct ph_msg *in, const struct ph_msg *sent);

/* Sign `len` bytes on `from`, verify on `to`; the data must still be intact. */
SECURITY_STATUS ph_sign_verify(CtxtHandle *from, CtxtHandle *to, const void *data, size_t len);
/* Seal on `from`, unseal on `to` (layout as given); the plaintext must come back
 * and, for a non-empty message, the wire bytes must differ from it. */
SECURITY_STATUS ph_seal_unseal(CtxtHandle *from, CtxtHandle *to, enum ph_layout layout,
                               const void *data, size_t len);

/* ExportSecurityContext(h, flags) then ImportSecurityContextA(package) into
 * *imported; the blob is freed. */
SECURITY_STATUS ph_export_import(const char *package, CtxtHandle *h, uint32_t flags,
                                 CtxtHandle *imported);

/* Fill `n` bytes with a reproducible pattern from `seed`. */
void ph_fill(uint8_t *p, size_t n, uint32_t seed);

#endif
