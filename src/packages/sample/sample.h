/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample.h - internal interface of the Sample security package.
 *
 * Sample is the example SSP/AP for package authors: a pre-shared-key
 * (password) package with a three-leg mutually authenticated handshake,
 * HMAC-SHA256 signatures with sequence numbers, AES-256-GCM sealing and
 * context export/import.  It is built on the package kit
 * (src/packages/kit/kit.h), which supplies the entry points, handle
 * objects, identity parsing, buffer finding, common attributes, packing
 * and option parsing; doc/writing-packages.md walks through it.
 *
 * Files, one concern each:
 *   sample-entry.c        the descriptor and the two function tables
 *   sample-credentials.c  credential handles
 *   sample-handshake.c    SpInitLsaModeContext / SpAcceptLsaModeContext
 *   sample-context.c      context objects, option.lifetime, attributes
 *   sample-pack.c         the packed context: ContextData and export/import
 *   sample-message.c      MakeSignature / VerifySignature / Seal / Unseal
 */
#ifndef LIBSSPI_SAMPLE_H
#define LIBSSPI_SAMPLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "packages/kit/kit.h"

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
#define SAMPLE_MAGIC            0x4C504D53u /* "SMPL" */
#define SAMPLE_PROTOCOL_VERSION 1
#define SAMPLE_MSG_NEGOTIATE    1
#define SAMPLE_MSG_CHALLENGE    2
#define SAMPLE_MSG_AUTHENTICATE 3
#define SAMPLE_HEADER_SIZE      8
#define SAMPLE_NONCE_SIZE       32
#define SAMPLE_PROOF_SIZE       CRYPTO_SHA256_DIGEST_SIZE
#define SAMPLE_KEY_SIZE         32
/* Longest user or domain name, in UTF-16 code units. */
#define SAMPLE_MAX_NAME          256
#define SAMPLE_CHALLENGE_SIZE    (SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE + SAMPLE_PROOF_SIZE)
#define SAMPLE_AUTHENTICATE_SIZE (SAMPLE_HEADER_SIZE + SAMPLE_PROOF_SIZE)
#define SAMPLE_NEGOTIATE_MIN     (SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE + 2 + 2)
/* cbMaxToken: the largest token, a NEGOTIATE with two maximal names. */
#define SAMPLE_MAX_TOKEN (SAMPLE_NEGOTIATE_MIN + 4 * SAMPLE_MAX_NAME)

/* ---- Per-message trailer (the SECBUFFER_TOKEN of a message) ------------
 *   0  u8   version  SAMPLE_PROTOCOL_VERSION
 *   1  u8   kind     1 signature, 2 sealed, 3 wrapped without encryption
 *   2  u16  reserved 0
 *   4  u64  sequence number
 *  12  u8[16] HMAC-SHA256 truncated to 16 bytes, or the AES-GCM tag
 */
#define SAMPLE_TRAILER_SIGNED  1
#define SAMPLE_TRAILER_SEALED  2
#define SAMPLE_TRAILER_WRAPPED 3
#define SAMPLE_TRAILER_HEADER  12
#define SAMPLE_MAC_SIZE        16
#define SAMPLE_TRAILER_SIZE    (SAMPLE_TRAILER_HEADER + SAMPLE_MAC_SIZE)

/* The package as SpGetInfo reports it (sample-entry.c). */
extern const struct pkg_descriptor sample_package;

/* ---- Credentials (sample-credentials.c) -------------------------------- */

/* A user or domain name: at most SAMPLE_MAX_NAME code units, no NUL. */
struct sample_name {
    uint16_t len;
    char16_t s[SAMPLE_MAX_NAME + 1];
};

/* The object behind a credential LSA_SEC_HANDLE.  Immutable after
 * creation, so contexts read it without a lock while the host holds a
 * reference on the credential handle. */
struct sample_credential {
    struct pkg_object obj;
    uint32_t use; /* SECPKG_CRED_INBOUND/OUTBOUND */
    struct sample_name user, domain;
    uint8_t key[SAMPLE_KEY_SIZE]; /* derived from the password */
};

extern const struct pkg_class sample_credential_class;

NTSTATUS NTAPI sample_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                 ULONG CredentialUseFlags, PLUID LogonId,
                                                 PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                 PVOID GetKeyArgument,
                                                 PLSA_SEC_HANDLE CredentialHandle,
                                                 PTimeStamp ExpirationTime);
NTSTATUS NTAPI sample_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                   ULONG CredentialAttribute, PVOID Buffer);

/* ---- Contexts (sample-context.c) --------------------------------------- */

enum sample_state {
    SAMPLE_CLIENT_SENT_NEGOTIATE, /* client: waiting for CHALLENGE */
    SAMPLE_SERVER_SENT_CHALLENGE, /* server: waiting for AUTHENTICATE */
    SAMPLE_COMPLETE,              /* handshake done */
    SAMPLE_FAILED,                /* a leg failed: the context is finished */
};

/* Session keys the handshake derives, oriented for one side. */
struct sample_keys {
    uint8_t sign_out[SAMPLE_KEY_SIZE], sign_in[SAMPLE_KEY_SIZE];
    uint8_t seal_out[SAMPLE_KEY_SIZE], seal_in[SAMPLE_KEY_SIZE];
    uint8_t session_key[SAMPLE_KEY_SIZE];
};

/*
 * The user-mode half: everything the per-message functions need, built by
 * SpInitUserModeContext from ContextData or by SpImportSecurityContext from
 * an exported blob.  Keys are pre-keyed once so that signing and sealing
 * never allocate; the only mutable fields are the two atomic counters.
 */
struct sample_user_context {
    bool server;
    uint32_t attributes;             /* ISC_RET_* / ASC_RET_* */
    int64_t start, expiry;           /* TimeStamp values */
    struct sample_name user, domain; /* the client's */
    struct sample_keys keys;
    crypto_hmac_sha256_key mac_out, mac_in;
    crypto_gcm_key gcm_out, gcm_in;
    /* Next sequence number to send / expected next to receive. */
    _Atomic uint64_t seq_out, seq_in;
};

/*
 * The object behind a context LSA_SEC_HANDLE (a kit object with an LSA
 * side and a user side, pkg-handle.h).  The LSA half (handshake state) is
 * touched only by the LSA-mode functions, which the caller does not run
 * concurrently on one context; the user half only after it is attached.
 */
struct sample_context {
    struct pkg_object obj;

    /* LSA half. */
    enum sample_state state;
    bool server;
    uint32_t attributes;
    int64_t start, expiry;
    struct sample_name user, domain; /* the client's */
    uint8_t key[SAMPLE_KEY_SIZE];    /* long-term key; wiped when done */
    uint8_t client_nonce[SAMPLE_NONCE_SIZE];
    uint8_t server_nonce[SAMPLE_NONCE_SIZE];
    uint8_t negotiate_hash[CRYPTO_SHA256_DIGEST_SIZE];
    uint8_t server_proof[SAMPLE_PROOF_SIZE];

    /* User-mode half (valid while PKG_SIDE_USER is alive). */
    struct sample_user_context um;
};

extern const struct pkg_class sample_context_class;

/* A new context with only its LSA side alive and its lifetime stamped
 * (option.lifetime), or NULL if out of memory. */
struct sample_context *sample_context_new(bool server);

/* The context's attributes as the kit answers them (pkg-attrs.h). */
bool sample_describe(const void *object, enum pkg_mode mode, struct pkg_attr_data *d);

/* The settings of option.* (see sample-context.c). */
extern struct pkg_options sample_options;

/* ---- Packed context (sample-pack.c) ------------------------------------ */

/* Pack what the user-mode half needs from a just-completed LSA half and
 * its keys into ContextData (AllocateLsaHeap).  SEC_E_OK or
 * SEC_E_INSUFFICIENT_MEMORY. */
SECURITY_STATUS sample_pack_completed(const struct sample_context *ctx,
                                      const struct sample_keys *keys, PSecBuffer out);

/* A u16 byte length and the UTF-16LE name: the form names take in tokens
 * and packed contexts. */
void sample_write_name(struct pkg_writer *w, const struct sample_name *name);
/* Read one; fails the reader if it is odd, too long or holds a NUL. */
void sample_read_name(struct pkg_reader *r, struct sample_name *name);

NTSTATUS NTAPI sample_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                             PSecBuffer PackedContext);
NTSTATUS NTAPI sample_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                     PSecBuffer pPackedContext, PHANDLE pToken);
NTSTATUS NTAPI sample_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                     PLSA_SEC_HANDLE phContext);

/* ---- Handshake (sample-handshake.c) ------------------------------------ */

/* One SpInitLsaModeContext or SpAcceptLsaModeContext leg (pkg-calls.h). */
NTSTATUS sample_handshake_leg(struct pkg_leg *leg);

/* ---- Per-message functions (sample-message.c) -------------------------- */

/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage. */
extern const struct pkg_message_ops sample_message_ops;

#endif
