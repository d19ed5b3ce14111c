/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

/*
 * How a handshake runs.  Tokens are messages by default: each leg takes
 * the peer's last token whole.  A stream handshake (`stream`, TLS as
 * Windows' Schannel runs it) passes bytes: every input is [TOKEN][EMPTY];
 * bytes a call leaves at the end of its input come back as SECBUFFER_EXTRA
 * and go to that end's next call; SEC_E_INCOMPLETE_MESSAGE comes with a
 * SECBUFFER_MISSING count and the end waits for more; bytes an end
 * receives once its handshake is complete (e.g. TLS 1.3 session tickets
 * after the acceptor's last leg) are records for DecryptMessage, which
 * must take them as SEC_E_OK with no data.
 */
struct ph_handshake_opts {
    const char *target; /* ISC target name (UTF-8), may be NULL */
    uint32_t isc_req, asc_req;
    bool allocate;       /* ISC/ASC_REQ_ALLOCATE_MEMORY; tokens freed with FreeContextBuffer */
    bool stream;         /* a stream handshake (above) */
    uint32_t chunk;      /* stream: hand bytes over at most `chunk` at a time (0: as sent) */
    bool acceptor_first; /* the acceptor opens: ASC with no input, its token is ISC's first input */
    const void *bindings; /* SEC_CHANNEL_BINDINGS block for both ends, or NULL */
    size_t bindings_len;
};

/* The largest handshake token the harness passes on. */
#define PH_MAX_TOKEN 32768

/* What one ISC/ASC call gave back besides its status. */
struct ph_leg_result {
    uint32_t out_len; /* output TOKEN bytes */
    uint32_t extra;   /* SECBUFFER_EXTRA: input bytes at the end not consumed */
    uint32_t missing; /* SECBUFFER_MISSING: bytes still needed (INCOMPLETE_MESSAGE) */
};

/*
 * One InitializeSecurityContextA (accept false) or AcceptSecurityContext
 * call of `p` with `len` bytes of `in`; in NULL is no input (no input
 * descriptor for ISC, an empty TOKEN for ASC).  The output token is
 * copied to `out` (PH_MAX_TOKEN bytes, or NULL); p's context, attributes
 * and expiry follow the call.  Returns the call's status
 * (SEC_E_INTERNAL_ERROR for an output larger than PH_MAX_TOKEN).
 */
SECURITY_STATUS ph_leg(struct ph_party *p, bool accept, const struct ph_handshake_opts *o,
                       const void *in, uint32_t len, uint8_t *out, struct ph_leg_result *r);

/*
 * A handshake run one call at a time: ph_exchange_next names the end that
 * acts next (0 initiator, 1 acceptor; -1 when it is over or nobody can
 * act) and the bytes it will be given (NULL for an opening call);
 * ph_exchange_step makes that call (a leg, or DecryptMessage for an end
 * already complete) and returns its status: SEC_I_CONTINUE_NEEDED,
 * SEC_E_OK, SEC_E_INCOMPLETE_MESSAGE while a stream end waits for more, or
 * a failure, which ends the exchange (any other success status counts as
 * one).  With nobody to act it returns SEC_E_OK when both ends are
 * complete with nothing left to read.  Besides the package's statuses it
 * returns SEC_E_INTERNAL_ERROR for a broken rule: a MISSING count of 0 or
 * larger than what the peer sent and the end has not seen, an EXTRA count
 * larger than the input, a leg after the first that neither reads nor
 * writes, data decrypted during the handshake, a token left for a complete
 * end of a message handshake, nobody able to act before both ends are
 * complete, or more than 4 * PH_MAX_TOKEN bytes waiting for one end.
 */
struct ph_exchange {
    struct ph_party *end[2];
    struct ph_handshake_opts o;
    struct ph_inbox {
        uint8_t *data;
        uint32_t len;   /* received, not consumed */
        uint32_t avail; /* of which handed to the end so far */
        bool waiting;   /* the last call wanted more than `avail` */
    } in[2];
    bool started[2], done[2];
    int legs[2];            /* ISC / ASC calls that returned SEC_I_CONTINUE_NEEDED or SEC_E_OK */
    int turn;               /* the end asked first next time */
    SECURITY_STATUS failed; /* the failure that ended the exchange, or SEC_E_OK */
};

void ph_exchange_init(struct ph_exchange *x, struct ph_party *client, struct ph_party *server,
                      const struct ph_handshake_opts *o);
int ph_exchange_next(const struct ph_exchange *x, const uint8_t **in, uint32_t *len);
SECURITY_STATUS ph_exchange_step(struct ph_exchange *x);
/* Step to the end: SEC_E_OK when both ends are complete with nothing
 * left to read, else the first failure. */
SECURITY_STATUS ph_exchange_run(struct ph_exchange *x);
/* Free the buffers (the parties stay the caller's). */
void ph_exchange_free(struct ph_exchange *x);

/*
 * The whole handshake (ph_exchange_run).  `client`/`server` have their
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

#define PH_MAX_DATA    4096
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
 * and, from 8 bytes on, the wire bytes must differ from it. */
SECURITY_STATUS ph_seal_unseal(CtxtHandle *from, CtxtHandle *to, enum ph_layout layout,
                               const void *data, size_t len);

/* ExportSecurityContext(h, flags) then ImportSecurityContextA(package) into
 * *imported; the blob is freed. */
SECURITY_STATUS ph_export_import(const char *package, CtxtHandle *h, uint32_t flags,
                                 CtxtHandle *imported);

/* Fill `n` bytes with a reproducible pattern from `seed`. */
void ph_fill(uint8_t *p, size_t n, uint32_t seed);

#endif
