/*
 * sample.h - internal interface of the Sample security package.
 *
 * Sample is the example SSP/AP for package authors: a pre-shared-key
 * (password) package with a three-leg mutually authenticated handshake,
 * HMAC-SHA256 signatures with sequence numbers, AES-256-GCM sealing and
 * context export/import.  doc/writing-packages.md walks through it.
 *
 * Files:
 *   sample-entry.c        the two exported entry points, the function
 *                         tables and the package-wide functions
 *   sample-credentials.c  credential handles (SEC_WINNT_AUTH_IDENTITY_W)
 *   sample-handshake.c    SpInitLsaModeContext / SpAcceptLsaModeContext
 *   sample-context.c      context lifetime, attributes, ContextData and
 *                         export/import packing
 *   sample-message.c      MakeSignature / VerifySignature / Seal / Unseal
 *
 * Only SpLsaModeInitialize and SpUserModeInitialize are exported (libtool
 * -export-symbols-regex); everything else is reached through the tables.
 */
#ifndef LIBSSPI_SAMPLE_H
#define LIBSSPI_SAMPLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "crypto/crypto.h"

#define SAMPLE_HIDDEN __attribute__((visibility("hidden")))

/* ---- What SpGetInfo reports ------------------------------------------- */

#define SAMPLE_PACKAGE_NAME u"Sample"
#define SAMPLE_PACKAGE_COMMENT u"libsspi sample package (pre-shared key, HMAC-SHA256, AES-256-GCM)"
#define SAMPLE_PACKAGE_VERSION 1
/* Only what the package really does: no impersonation, no delegation, no
 * datagram or stream mode, not negotiable through SPNEGO. */
#define SAMPLE_CAPABILITIES                                                                        \
    (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |                        \
     SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_READONLY_WITH_CHECKSUM)

/* ---- Handshake tokens (little-endian) ----------------------------------
 *
 * Every token starts with an 8-byte header:
 *   0  u32  magic   'S' 'M' 'P' 'L'
 *   4  u8   version SAMPLE_PROTOCOL_VERSION
 *   5  u8   type    1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE
 *   6  u16  length  of the whole token; must equal the buffer's cbBuffer
 *
 * NEGOTIATE    (client -> server): client nonce[32], u16 user byte length,
 *              user (UTF-16LE), u16 domain byte length, domain (UTF-16LE)
 * CHALLENGE    (server -> client): server nonce[32], server proof[32]
 * AUTHENTICATE (client -> server): client proof[32]
 */
#define SAMPLE_MAGIC 0x4C504D53u /* "SMPL" */
#define SAMPLE_PROTOCOL_VERSION 1
#define SAMPLE_MSG_NEGOTIATE 1
#define SAMPLE_MSG_CHALLENGE 2
#define SAMPLE_MSG_AUTHENTICATE 3
#define SAMPLE_HEADER_SIZE 8
#define SAMPLE_NONCE_SIZE 32
#define SAMPLE_PROOF_SIZE CRYPTO_SHA256_DIGEST_SIZE
#define SAMPLE_KEY_SIZE 32
/* Longest user or domain name, in UTF-16 code units. */
#define SAMPLE_MAX_NAME 256
#define SAMPLE_CHALLENGE_SIZE (SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE + SAMPLE_PROOF_SIZE)
#define SAMPLE_AUTHENTICATE_SIZE (SAMPLE_HEADER_SIZE + SAMPLE_PROOF_SIZE)
#define SAMPLE_NEGOTIATE_MIN (SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE + 2 + 2)
/* cbMaxToken: the largest token, a NEGOTIATE with two maximal names. */
#define SAMPLE_MAX_TOKEN (SAMPLE_NEGOTIATE_MIN + 4 * SAMPLE_MAX_NAME)

/* ---- Per-message trailer (the SECBUFFER_TOKEN of a message) ------------
 *   0  u8   version  SAMPLE_PROTOCOL_VERSION
 *   1  u8   kind     1 signature, 2 sealed, 3 wrapped without encryption
 *   2  u16  reserved 0
 *   4  u64  sequence number
 *  12  u8[16] HMAC-SHA256 truncated to 16 bytes, or the AES-GCM tag
 */
#define SAMPLE_TRAILER_SIGNED 1
#define SAMPLE_TRAILER_SEALED 2
#define SAMPLE_TRAILER_WRAPPED 3
#define SAMPLE_TRAILER_HEADER 12
#define SAMPLE_MAC_SIZE 16
#define SAMPLE_TRAILER_SIZE (SAMPLE_TRAILER_HEADER + SAMPLE_MAC_SIZE)

/* "Never expires", as Windows reports it. */
#define SAMPLE_NEVER INT64_MAX

/* ---- Package-wide state (sample-entry.c) ------------------------------- */

/* Set by SpInitialize / SpInstanceInit before any other call; read-only
 * afterwards. */
SAMPLE_HIDDEN extern PLSA_SECPKG_FUNCTION_TABLE sample_lsa;
SAMPLE_HIDDEN extern PSECPKG_DLL_FUNCTIONS sample_dll;
/* option.lifetime from the configuration, in seconds; 0 = never expires. */
SAMPLE_HIDDEN extern _Atomic uint32_t sample_lifetime;

/* ---- Credentials (sample-credentials.c) -------------------------------- */

#define SAMPLE_CRED_MAGIC 0x53435244u /* "SCRD" */

/* The object behind a credential LSA_SEC_HANDLE.  Immutable after
 * creation, so contexts may read it without a lock while the host holds a
 * reference on the credential handle. */
struct sample_credential {
    uint32_t magic;
    uint32_t use;      /* SECPKG_CRED_INBOUND/OUTBOUND */
    uint16_t user_len; /* code units, no NUL */
    uint16_t domain_len;
    char16_t user[SAMPLE_MAX_NAME + 1];
    char16_t domain[SAMPLE_MAX_NAME + 1];
    uint8_t key[SAMPLE_KEY_SIZE]; /* derived from the password */
};

/* The credential behind `h`, or NULL if `h` is not one of ours. */
SAMPLE_HIDDEN struct sample_credential *sample_credential_from_handle(LSA_SEC_HANDLE h);

SAMPLE_HIDDEN NTSTATUS NTAPI sample_acquire_credentials_handle(
    PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags, PLUID LogonId, PVOID AuthorizationData,
    PVOID GetKeyFunciton, PVOID GetKeyArgument, PLSA_SEC_HANDLE CredentialHandle,
    PTimeStamp ExpirationTime);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                                 ULONG CredentialAttribute,
                                                                 PVOID Buffer);

/* ---- Contexts (sample-context.c) --------------------------------------- */

#define SAMPLE_CONTEXT_MAGIC 0x53435458u /* "SCTX" */

/* Which halves of a context are alive (struct sample_context.sides). */
#define SAMPLE_SIDE_LSA 1u
#define SAMPLE_SIDE_USER 2u

enum sample_state {
    SAMPLE_CLIENT_SENT_NEGOTIATE, /* client: waiting for CHALLENGE */
    SAMPLE_SERVER_SENT_CHALLENGE, /* server: waiting for AUTHENTICATE */
    SAMPLE_COMPLETE,              /* handshake done */
    SAMPLE_FAILED,                /* authentication failed; delete it */
};

/*
 * The user-mode half: everything the per-message functions need, built by
 * SpInitUserModeContext from ContextData or by SpImportSecurityContext from
 * an exported blob.  Keys are pre-keyed once so that signing and sealing
 * never allocate; the only mutable fields are the two atomic counters.
 */
struct sample_user_context {
    bool server;
    uint32_t attributes;           /* ISC_RET_* / ASC_RET_* */
    int64_t start, expiry;         /* TimeStamp values */
    uint16_t user_len, domain_len; /* the client's names */
    char16_t user[SAMPLE_MAX_NAME + 1];
    char16_t domain[SAMPLE_MAX_NAME + 1];
    /* Raw keys, kept for ExportContext and SECPKG_ATTR_SESSION_KEY. */
    uint8_t sign_out[SAMPLE_KEY_SIZE], sign_in[SAMPLE_KEY_SIZE];
    uint8_t seal_out[SAMPLE_KEY_SIZE], seal_in[SAMPLE_KEY_SIZE];
    uint8_t session_key[SAMPLE_KEY_SIZE];
    /* Pre-keyed state used on the per-message path. */
    crypto_hmac_sha256_key mac_out, mac_in;
    crypto_gcm_key gcm_out, gcm_in;
    /* Next sequence number to send / expected next to receive. */
    _Atomic uint64_t seq_out, seq_in;
};

/*
 * The object behind a context LSA_SEC_HANDLE.  The handle is this struct's
 * address, so the user-mode functions reach their half in O(1) with no
 * table and no lock; `magic` catches handles that are not ours.  The LSA
 * half (handshake state) is touched only by the LSA-mode functions, which
 * the caller does not run concurrently on one context.  The struct is
 * freed when both halves have been released (DeleteContext and
 * DeleteUserModeContext, in either order).
 */
struct sample_context {
    uint32_t magic;
    _Atomic uint32_t sides; /* SAMPLE_SIDE_* still alive */

    /* LSA half. */
    enum sample_state state;
    bool server;
    uint32_t attributes;
    int64_t start, expiry;
    uint16_t user_len, domain_len; /* the client's names */
    char16_t user[SAMPLE_MAX_NAME + 1];
    char16_t domain[SAMPLE_MAX_NAME + 1];
    uint8_t key[SAMPLE_KEY_SIZE]; /* long-term key; wiped when done */
    uint8_t client_nonce[SAMPLE_NONCE_SIZE];
    uint8_t server_nonce[SAMPLE_NONCE_SIZE];
    uint8_t negotiate_hash[CRYPTO_SHA256_DIGEST_SIZE];
    uint8_t server_proof[SAMPLE_PROOF_SIZE];

    /* User-mode half (valid while SAMPLE_SIDE_USER is set). */
    struct sample_user_context um;
};

/* Session keys the handshake derives; packed into ContextData. */
struct sample_session_keys {
    uint8_t sign_out[SAMPLE_KEY_SIZE], sign_in[SAMPLE_KEY_SIZE];
    uint8_t seal_out[SAMPLE_KEY_SIZE], seal_in[SAMPLE_KEY_SIZE];
    uint8_t session_key[SAMPLE_KEY_SIZE];
};

/* A new zeroed context with only the LSA side alive and its lifetime
 * stamped, or NULL if out of memory. */
SAMPLE_HIDDEN struct sample_context *sample_context_new(bool server);
/* The context behind `h` whose `side` is alive, or NULL. */
SAMPLE_HIDDEN struct sample_context *sample_context_from_handle(LSA_SEC_HANDLE h, uint32_t side);
/* Release one side; the last side wipes and frees the context.  Returns
 * false if that side was not alive. */
SAMPLE_HIDDEN bool sample_context_release(struct sample_context *ctx, uint32_t side);
/* True once the context's lifetime has passed. */
SAMPLE_HIDDEN bool sample_context_expired(int64_t expiry);

/*
 * Pack what the user-mode half needs (keys, counters, names, attributes,
 * role, lifetime) into `out`, allocated with `alloc` (AllocateLsaHeap for
 * ContextData, AllocateHeap for ExportContext).  Returns SEC_E_OK or
 * SEC_E_INSUFFICIENT_MEMORY.
 */
SAMPLE_HIDDEN SECURITY_STATUS sample_pack_lsa(const struct sample_context *ctx,
                                              const struct sample_session_keys *keys,
                                              PLSA_ALLOCATE_LSA_HEAP alloc, PSecBuffer out);

SAMPLE_HIDDEN NTSTATUS NTAPI sample_delete_context(LSA_SEC_HANDLE ContextHandle);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_query_lsa_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                                 ULONG ContextAttribute,
                                                                 PVOID Buffer);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                                           PSecBuffer PackedContext);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                             ULONG ContextAttribute, PVOID Buffer);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                                   PSecBuffer pPackedContext, PHANDLE pToken);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                                   PLSA_SEC_HANDLE phContext);

/* ---- Handshake (sample-handshake.c) ------------------------------------ */

SAMPLE_HIDDEN NTSTATUS NTAPI sample_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_accept_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffer, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData);

/* ---- Per-message functions (sample-message.c) -------------------------- */

SAMPLE_HIDDEN NTSTATUS NTAPI sample_make_signature(LSA_SEC_HANDLE ContextHandle,
                                                   ULONG QualityOfProtection,
                                                   PSecBufferDesc MessageBuffers,
                                                   ULONG MessageSequenceNumber);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                                     PSecBufferDesc MessageBuffers,
                                                     ULONG MessageSequenceNumber,
                                                     PULONG QualityOfProtection);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_seal_message(LSA_SEC_HANDLE ContextHandle,
                                                 ULONG QualityOfProtection,
                                                 PSecBufferDesc MessageBuffers,
                                                 ULONG MessageSequenceNumber);
SAMPLE_HIDDEN NTSTATUS NTAPI sample_unseal_message(LSA_SEC_HANDLE ContextHandle,
                                                   PSecBufferDesc MessageBuffers,
                                                   ULONG MessageSequenceNumber,
                                                   PULONG QualityOfProtection);

/* ---- Small helpers shared by the files (inline, no state) -------------- */

static inline void sample_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void sample_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void sample_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t sample_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t sample_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t sample_get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The first buffer of `type` (attribute bits ignored) in `desc`, or NULL. */
static inline PSecBuffer sample_find_buffer(PSecBufferDesc desc, uint32_t type)
{
    if (desc == NULL || desc->pBuffers == NULL)
        return NULL;
    for (uint32_t i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}

#endif
