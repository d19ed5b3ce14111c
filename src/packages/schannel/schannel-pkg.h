/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-pkg.h - internal interface of the Schannel package: TLS 1.2/1.3
 * client and server on GnuTLS with Windows' stream-buffer semantics.
 *
 * Files:
 *   schannel-entry.c      the exported entry points, the two packages
 *                         (UNISP_NAME and "Schannel") and their options
 *   schannel-obj.c        credential and context objects behind the
 *                         LSA_SEC_HANDLEs (the package kit's role, kept
 *                         here until the kit lands)
 *   schannel-cred.c       SCHANNEL_CRED / SCH_CREDENTIALS, trust, priorities
 *   schannel-session.c    the GnuTLS session engine: transport windows over
 *                         the caller's buffers, record framing, one
 *                         handshake step, alerts, error mapping
 *   schannel-handshake.c  SpInitLsaModeContext / SpAcceptLsaModeContext
 *   schannel-fiber.c      a client step that can wait in GnuTLS's
 *                         certificate callback (SEC_I_INCOMPLETE_CREDENTIALS)
 *   schannel-record.c     application records protected in place with the
 *                         AEAD keys GnuTLS exports (the fast path)
 *   schannel-message.c    SealMessage / UnsealMessage (EncryptMessage,
 *                         DecryptMessage) and ApplyControlToken
 *   schannel-attrs.c      QueryContextAttributes / QueryCredentialsAttributes
 *
 * No socket I/O: GnuTLS reads only the caller's input buffers and writes
 * only into package-owned or caller buffers.
 */
#ifndef LIBSSPI_SCHANNEL_PKG_H
#define LIBSSPI_SCHANNEL_PKG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "schannel.h"
#include "packages/kit/pkg-entry.h"
#include "packages/kit/pkg-options.h"
#include "wincrypt/cert-private.h"

#define SCHAN_HIDDEN __attribute__((visibility("hidden")))

/* ---- Identity (reference section 1). */
#define SCHAN_CAPABILITIES 0x107B3u
#define SCHAN_MAX_TOKEN    0x4000u
#define SCHAN_VERSION      1

/* ---- TLS record framing. */
#define SCHAN_HEADER       5
#define SCHAN_MAX_PLAIN    16384u
#define SCHAN_MAX_RECORD   (SCHAN_MAX_PLAIN + 2048u) /* TLS 1.2 ciphertext bound */
#define SCHAN_CT_CCS       20
#define SCHAN_CT_ALERT     21
#define SCHAN_CT_HANDSHAKE 22
#define SCHAN_CT_APPDATA   23

/* "Never expires", as Windows reports it. */
#define SCHAN_NEVER INT64_MAX

/* ---- Package-wide settings (schannel-entry.c): the module's option.*
 * lines through the package kit (pkg-options.h).  A credential takes a
 * snapshot when it is acquired; contexts read their credential's. */
enum schan_post_handshake { SCHAN_POST_INTERNAL, SCHAN_POST_RENEGOTIATE };
enum schan_record_layer { SCHAN_RECORDS_INPLACE, SCHAN_RECORDS_GNUTLS };

struct schan_options {
    char *cert_file;      /* option.cert_file: default server certificate */
    char *key_file;       /* option.key_file (file or pkcs11: URI) */
    char *ca_file;        /* option.ca_file: extra trusted roots */
    char *cert_dir;       /* option.cert_dir: the "MY" store (NULL: wincrypt_my_dir()) */
    int post_handshake;   /* option.tls13_post_handshake: enum schan_post_handshake */
    bool session_tickets; /* option.session_tickets (default yes) */
    int record_layer;     /* option.record_layer: enum schan_record_layer */
};
SCHAN_HIDDEN extern struct pkg_options schan_settings;

/* ---- Credentials (schannel-cred.c). */

#define SCHAN_CRED_MAGIC  0x44524353u /* "SCRD" */
#define SCHAN_CACHE_SLOTS 8

/* A cached client session (resumption), keyed by target name. */
struct schan_cache_entry {
    char *target;
    gnutls_datum_t data;
};

struct schan_cred {
    uint32_t magic;
    _Atomic uint32_t refs; /* the handle, and each context using it */
    bool server;
    uint32_t protocols;       /* enabled SP_PROT_* bits of this side */
    uint32_t flags;           /* SCH_CRED_* */
    uint32_t disabled_scoped; /* SP_PROT_* disabled for the ALPN ids below */
    char **scoped_alpn;       /* NULL-terminated, UTF-8 */
    gnutls_certificate_credentials_t x509;
    gnutls_priority_t priority;
    const struct wincrypt_cert *cert; /* our certificate (reference), or NULL */
    gnutls_pcert_st pcert;            /* client: the certificate it always sends */
    gnutls_privkey_t privkey;         /* client: its key (NULL: none) */
    gnutls_datum_t ticket_key;        /* server session tickets */
    struct schan_options opts;        /* settings when acquired (strings owned) */
    pthread_mutex_t cache_lock;
    struct schan_cache_entry cache[SCHAN_CACHE_SLOTS];
    unsigned cache_next;
};

SCHAN_HIDDEN struct schan_cred *schan_cred_from_handle(LSA_SEC_HANDLE h);
SCHAN_HIDDEN void schan_cred_ref(struct schan_cred *cred);
SCHAN_HIDDEN void schan_cred_unref(struct schan_cred *cred);
/* Store / look up resumption data for `target` (client credentials). */
SCHAN_HIDDEN void schan_cache_put(struct schan_cred *cred, const char *target,
                                  gnutls_session_t session);
SCHAN_HIDDEN bool schan_cache_get(struct schan_cred *cred, const char *target,
                                  gnutls_session_t session);

SCHAN_HIDDEN NTSTATUS NTAPI schan_acquire_credentials_handle(
    PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags, PLUID LogonId, PVOID AuthorizationData,
    PVOID GetKeyFunciton, PVOID GetKeyArgument, PLSA_SEC_HANDLE CredentialHandle,
    PTimeStamp ExpirationTime);
SCHAN_HIDDEN NTSTATUS NTAPI schan_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle);
SCHAN_HIDDEN NTSTATUS NTAPI schan_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                               ULONG CredentialAttribute,
                                                               PVOID Buffer);

/* ---- Contexts. */

#define SCHAN_CTX_MAGIC 0x58544353u /* "SCTX" */
#define SCHAN_SIDE_LSA  1u
#define SCHAN_SIDE_USER 2u

enum schan_state {
    SCHAN_HANDSHAKE,   /* ISC/ASC legs */
    SCHAN_ESTABLISHED, /* application data */
    SCHAN_CLOSED,      /* close_notify sent or received */
    SCHAN_FAILED,      /* fatal error: only Delete and alerts */
};

enum schan_pending {
    SCHAN_PENDING_NONE,
    SCHAN_PENDING_SHUTDOWN, /* ApplyControlToken(SCHANNEL_SHUTDOWN) */
    SCHAN_PENDING_ALERT,    /* ApplyControlToken(SCHANNEL_ALERT) */
};

/* One direction of the record fast path.  Only the thread encrypting
 * (tx) or decrypting (rx) touches it; separate cache lines. */
struct schan_dir {
    gnutls_aead_cipher_hd_t aead; /* NULL: use GnuTLS's record layer */
    gnutls_cipher_algorithm_t cipher;
    uint8_t key[32];
    uint8_t iv[12];
    uint32_t key_len, iv_len;
    uint64_t seq; /* next record sequence number */
    bool tls13;
    bool explicit_nonce; /* TLS 1.2 AES-GCM: 8-byte nonce in the record */
} __attribute__((aligned(64)));

/* Where the pull callback reads from (the caller's input). */
struct schan_in {
    const uint8_t *data;
    size_t len, pos;
};

/* Where the push callback writes: a growing package buffer (handshake,
 * alerts), or the caller's three stream buffers (record-layer fallback). */
struct schan_out {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
    /* scatter mode (EncryptMessage through GnuTLS's record layer) */
    bool scatter;
    uint8_t *seg[3];
    size_t seg_cap[3], seg_len[3];
};

struct schan_ctx {
    uint32_t magic;
    _Atomic uint32_t sides;
    bool server;
    enum schan_state state;
    enum schan_pending pending;
    uint8_t alert_level, alert_desc;
    bool renegotiating;   /* TLS 1.2 renegotiation in progress */
    bool key_update_due;  /* TLS 1.3: the peer asked for our KeyUpdate */
    bool incomplete_told; /* SEC_I_INCOMPLETE_CREDENTIALS reported */
    bool started;         /* the first flight has been produced */
    bool kick;            /* the next leg runs GnuTLS even with no input
                           * (renegotiation: GnuTLS holds the peer's hello) */
    uint32_t req;         /* ISC_REQ_* / ASC_REQ_* of the first leg */
    uint32_t attrs;       /* ISC_RET_* / ASC_RET_* */
    char *target;         /* UTF-8 target name (client) */
    struct schan_cred *cred;
    gnutls_session_t session;
    struct schan_in in;
    struct schan_out out;
    struct schan_fiber *fiber;    /* client step on its own stack (schannel-fiber.c) */
    struct schan_cred *cert_cred; /* given after SEC_I_INCOMPLETE_CREDENTIALS: its
                                   * certificate is ours (a reference), or NULL */
    uint8_t *parked_in;           /* bytes read by the leg that parked: a caller */
    size_t parked_len;            /* may pass them again with the next one */
    int64_t expiry;               /* server: the client certificate's end, else SCHAN_NEVER */
    bool peer_sent;               /* the peer sent certificates (CC_POLICY_RESULT) */
    struct schan_dir tx;
    struct schan_dir rx;
};

SCHAN_HIDDEN struct schan_ctx *schan_ctx_new(struct schan_cred *cred, bool server);
SCHAN_HIDDEN struct schan_ctx *schan_ctx_from_handle(LSA_SEC_HANDLE h, uint32_t side);
/* Release one side; the last frees the context (session, keys wiped). */
SCHAN_HIDDEN bool schan_ctx_release(struct schan_ctx *ctx, uint32_t side);

SCHAN_HIDDEN NTSTATUS NTAPI schan_delete_context(LSA_SEC_HANDLE ContextHandle);
SCHAN_HIDDEN NTSTATUS NTAPI schan_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                                         PSecBuffer PackedContext);
SCHAN_HIDDEN NTSTATUS NTAPI schan_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle);
SCHAN_HIDDEN NTSTATUS NTAPI schan_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                                 PLSA_SEC_HANDLE phContext);

/* ---- Session engine (schannel-session.c). */

/* Create ctx->session for the context's role and credential; `alpn` is the
 * wire-format protocol list (may be NULL).  SEC_E_* status. */
SCHAN_HIDDEN SECURITY_STATUS schan_session_open(struct schan_ctx *ctx, const uint8_t *alpn,
                                                size_t alpn_len);

/*
 * Look at the record headers at the start of data[0..len).  Returns the
 * number of bytes that form complete records (0 if not even one), sets
 * *missing to what the first incomplete record still needs, and returns
 * (size_t)-1 when the first header is not a TLS record header (a bad
 * header further on ends the complete part).  `max_records` 0 = as many
 * as there are.
 */
SCHAN_HIDDEN size_t schan_records(const uint8_t *data, size_t len, size_t max_records,
                                  uint32_t *missing);

/* One handshake step over ctx->in; output accumulates in ctx->out.
 * Returns the GnuTLS result (0 done, GNUTLS_E_AGAIN, or an error). */
SCHAN_HIDDEN int schan_session_handshake(struct schan_ctx *ctx);

/* Bytes before the ciphertext in a record of this session (cbHeader). */
SCHAN_HIDDEN uint32_t schan_header_size(gnutls_session_t session);

/* Map a GnuTLS error of the handshake or record layer to a status. */
SCHAN_HIDDEN SECURITY_STATUS schan_status(struct schan_ctx *ctx, int err);

/* Queue the alert GnuTLS finds appropriate for `err` into ctx->out. */
SCHAN_HIDDEN void schan_session_alert_for(struct schan_ctx *ctx, int err);

/* After a handshake: whether the peer sent certificates (ctx->peer_sent)
 * and, for a server, the client certificate's expiry as the context's. */
SCHAN_HIDDEN void schan_session_note_peer(struct schan_ctx *ctx);

/* The verdict on the peer's certificate chain (SECPKG_ATTR_CC_POLICY_RESULT,
 * an HRESULT): the chain against the credential's trust, the name for a
 * client unless waived, the TLS key purpose of the peer's side.  Judged
 * when asked rather than after every handshake: verifying the chain again
 * costs about a quarter of a handshake.  Writes nothing to the context. */
SCHAN_HIDDEN int32_t schan_session_judge_peer(struct schan_ctx *ctx);

/* Client: store the session for resumption when GnuTLS has resumable data. */
SCHAN_HIDDEN void schan_session_remember(struct schan_ctx *ctx);

/* ---- Client step on its own stack (schannel-fiber.c). */

/* schan_fiber_step / _resume: parked in the certificate callback. */
#define SCHAN_PARKED 1

/* Run schan_session_handshake(ctx) on a fresh stack: its result, or
 * SCHAN_PARKED when the server asked for a certificate (ctx->fiber then
 * holds the step; GNUTLS_E_MEMORY_ERROR if no stack could be had). */
SCHAN_HIDDEN int schan_fiber_step(struct schan_ctx *ctx);
/* Go on with a parked step (ctx->in and ctx->cert_cred set): as above. */
SCHAN_HIDDEN int schan_fiber_resume(struct schan_ctx *ctx);
/* A parked step is unwound (the callback fails) and its stack freed. */
SCHAN_HIDDEN void schan_fiber_abort(struct schan_ctx *ctx);
SCHAN_HIDDEN bool schan_fiber_parked(const struct schan_ctx *ctx);
/* From the certificate callback: wait for the next leg when the step runs
 * on a fiber.  false: the context is going away (fail the callback). */
SCHAN_HIDDEN bool schan_fiber_park(struct schan_ctx *ctx);

/* ---- Record fast path (schannel-record.c). */

/* (Re)load one direction's keys and sequence number from GnuTLS. */
SCHAN_HIDDEN void schan_record_sync(struct schan_ctx *ctx, bool read);
/* Push our sequence number back into GnuTLS before it handles a record. */
SCHAN_HIDDEN void schan_record_push_seq(struct schan_ctx *ctx, bool read);
/* Free the AEAD handles and wipe the keys. */
SCHAN_HIDDEN void schan_record_clear(struct schan_ctx *ctx);

/* Encrypt data[0..len) in place: header into hdr (capacity hdr_cap), the
 * content type and tag into trl; sizes written back.  SEC_E_* status. */
SCHAN_HIDDEN SECURITY_STATUS schan_record_seal(struct schan_dir *d, uint8_t *hdr, uint32_t *hdr_len,
                                               uint8_t *data, uint32_t len, uint8_t *trl,
                                               uint32_t *trl_len);
/*
 * Decrypt the record rec[0..rec_len) in place.  On SEC_E_OK *type is the
 * (inner) content type and the plaintext is rec[*off .. *off + *plen).
 * SEC_E_DECRYPT_FAILURE if the tag does not verify.
 */
SCHAN_HIDDEN SECURITY_STATUS schan_record_open(struct schan_dir *d, uint8_t *rec, size_t rec_len,
                                               uint8_t *type, size_t *off, size_t *plen);
/* Undo schan_record_open of a TLS 1.3 record (re-encrypt the whole body
 * in place, which restores the exact ciphertext, and step the sequence
 * number back) so that GnuTLS can be handed the record as received. */
SCHAN_HIDDEN void schan_record_reseal(struct schan_dir *d, uint8_t *rec, size_t rec_len);

/* ---- SSPI layer. */

SCHAN_HIDDEN NTSTATUS NTAPI schan_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData);
SCHAN_HIDDEN NTSTATUS NTAPI schan_accept_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffer, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData);
SCHAN_HIDDEN NTSTATUS NTAPI schan_apply_control_token(LSA_SEC_HANDLE ContextHandle,
                                                      PSecBufferDesc ControlToken);
SCHAN_HIDDEN NTSTATUS NTAPI schan_seal_message(LSA_SEC_HANDLE ContextHandle,
                                               ULONG QualityOfProtection,
                                               PSecBufferDesc MessageBuffers,
                                               ULONG MessageSequenceNumber);
SCHAN_HIDDEN NTSTATUS NTAPI schan_unseal_message(LSA_SEC_HANDLE ContextHandle,
                                                 PSecBufferDesc MessageBuffers,
                                                 ULONG MessageSequenceNumber,
                                                 PULONG QualityOfProtection);
SCHAN_HIDDEN NTSTATUS NTAPI schan_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                           ULONG ContextAttribute, PVOID Buffer);
SCHAN_HIDDEN NTSTATUS NTAPI schan_query_lsa_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                               ULONG ContextAttribute,
                                                               PVOID Buffer);

/* The first buffer of `type` (attribute bits ignored), or NULL. */
static inline PSecBuffer schan_find_buffer(PSecBufferDesc desc, uint32_t type)
{
    if (desc == NULL || desc->pBuffers == NULL)
        return NULL;
    for (uint32_t i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}

#endif
