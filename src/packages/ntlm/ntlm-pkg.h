/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-pkg.h - the SSP/AP side of the NTLM package: package options,
 * credentials, contexts and the ntlm_sp_* functions that ntlm-entry.c puts
 * in the SECPKG_FUNCTION_TABLE / SECPKG_USER_FUNCTION_TABLE.
 *
 * Built on the package kit (src/packages/kit/kit.h): credentials and
 * contexts are kit objects (pkg-handle.h).  A context is one object for
 * both its LSA and user-mode sides; the kit frees it when both sides have
 * been deleted.
 */
#ifndef LIBSSPI_NTLM_PKG_H
#define LIBSSPI_NTLM_PKG_H

#include <pthread.h>
#include <stdatomic.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "packages/kit/kit.h"
#include "packages/ntlm/ntlm.h"

/* Names are kept as UTF-16LE byte strings (struct ntlm_buf); the kit's
 * attribute and name helpers read them in place as UTF-16, which they are
 * on a little-endian host. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the NTLM package reads its UTF-16LE names as char16_t: little-endian hosts only"
#endif
static inline struct pkg_str16 ntlm_str16(const struct ntlm_buf *b)
{
    return (struct pkg_str16){(const char16_t *)b->data, b->len / 2};
}

/* The package as the host sees it (ntlm-entry.c). */
extern const struct pkg_descriptor ntlm_package;

/* ---- options (ntlm-config.c) --------------------------------------------- */
enum ntlm_cb_policy { NTLM_CB_NEVER, NTLM_CB_IF_PRESENT, NTLM_CB_REQUIRED };

/* A snapshot of the package options; strings are the snapshot's own. */
struct ntlm_options {
    char *user_file;    /* option.user_file, else $NTLM_USER_FILE */
    char *default_user; /* option.default_user ("DOMAIN\user" or "user@domain") */
    char *default_domain;
    char *default_password;
    uint32_t max_skew;    /* seconds; 0 disables the check */
    int channel_bindings; /* enum ntlm_cb_policy */
    int target_name;      /* enum ntlm_cb_policy */
    bool allow_ntlmv1;
    bool allow_anonymous;
    char *nb_computer, *nb_domain, *dns_computer, *dns_domain;
    char *service_names; /* comma-separated accepted SPNs */
};

/* The option.* table (ntlm-config.c); the descriptor points at it. */
extern struct pkg_options ntlm_settings;

/* Copy the current options, with NTLM_USER_FILE and the host names filled
 * in where not configured.  false on OOM. */
bool ntlm_options_get(struct ntlm_options *o);
void ntlm_options_free(struct ntlm_options *o);
/* Apply SecpkgLibsspiConfig settings; unknown keys or bad values give
 * STATUS_INVALID_PARAMETER (the valid ones are still applied). */
NTSTATUS ntlm_options_set(const SECPKG_LIBSSPI_CONFIG *cfg);

/* ---- credentials (ntlm-cred.c) ------------------------------------------- */
struct ntlm_identity {
    bool anonymous;
    bool present;                 /* user/domain/hashes valid */
    struct ntlm_buf user, domain; /* UTF-16LE */
    uint8_t nt_hash[16], lm_hash[16];
    bool has_lm;
};

struct ntlm_cred {
    struct pkg_object obj;
    uint32_t use;            /* SECPKG_CRED_INBOUND/OUTBOUND bits */
    struct ntlm_identity id; /* outbound identity, if any */
};

extern const struct pkg_class ntlm_cred_class;

void ntlm_identity_clear(struct ntlm_identity *id);
bool ntlm_identity_copy(struct ntlm_identity *dst, const struct ntlm_identity *src);
/* Default initiator identity from the options (default_* or the first
 * user-file entry).  SEC_E_NO_CREDENTIALS if there is none. */
SECURITY_STATUS ntlm_identity_default(const struct ntlm_options *o, struct ntlm_identity *id);
/* The credential behind `h`, or NULL if it is not one of ours. */
struct ntlm_cred *ntlm_cred_from_handle(LSA_SEC_HANDLE h);

NTSTATUS NTAPI ntlm_sp_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                  ULONG CredentialUseFlags, PLUID LogonId,
                                                  PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                  PVOID GetKeyArgument,
                                                  PLSA_SEC_HANDLE CredentialHandle,
                                                  PTimeStamp ExpirationTime);
NTSTATUS NTAPI ntlm_sp_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                    ULONG CredentialAttribute, PVOID Buffer);

/* ---- contexts (ntlm-context.c) ------------------------------------------- */
enum ntlm_state { NTLM_ST_CLIENT_NEGOTIATE_SENT, NTLM_ST_SERVER_CHALLENGE_SENT, NTLM_ST_DONE };

/* One direction of per-message protection.  `lock` serialises the RC4
 * state and the sequence counter (connection mode). */
struct ntlm_dir {
    pthread_mutex_t lock;
    struct ntlm_dir_keys k;
    crypto_rc4 alt;   /* receive side: the state being tried */
    crypto_rc4 *live; /* &k.rc4 or &alt: the current RC4 state */
    uint32_t seq;
};

#define NTLM_NEVER_EXPIRES INT64_MAX

struct ntlm_context {
    struct pkg_object obj; /* PKG_SIDE_LSA, PKG_SIDE_USER (keyed) */
    bool server;
    enum ntlm_state state;
    uint32_t req;   /* ISC_REQ_* / ASC_REQ_* asked for */
    uint32_t attrs; /* ISC_RET_* / ASC_RET_* returned */
    uint32_t flags; /* negotiated NTLMSSP flags */

    /* handshake */
    struct ntlm_identity id; /* client: who we authenticate as */
    struct ntlm_buf neg_msg, chal_msg;
    uint8_t server_chal[8];
    uint64_t chal_time;

    /* result */
    uint8_t exported[16];
    struct ntlm_buf user, domain, workstation, target; /* UTF-16LE */
    int64_t start, expiry;                             /* FILETIME */
    bool null_session;

    /* user mode (valid while PKG_SIDE_USER is alive) */
    atomic_bool retired; /* exported with DELETE_OLD */
    bool datagram;
    bool shared_rc4; /* no ESS: one RC4 state for both ways */
    struct ntlm_dir send, recv;
};

extern const struct pkg_class ntlm_context_class;

/* A new context with its LSA side alive, or NULL if out of memory. */
struct ntlm_context *ntlm_context_new(bool server);
/* The context behind a handle with `side` alive (0: any), or NULL if it is
 * not one of ours. */
struct ntlm_context *ntlm_context_from_handle(LSA_SEC_HANDLE h, uint32_t side);
/* Derive sign/seal keys from exported/flags/role into send/recv. */
void ntlm_context_derive_keys(struct ntlm_context *ctx);
/* Serialise the established context (keys, names, flags and, when
 * `with_state`, the RC4 states and counters) into memory from `alloc`. */
SECURITY_STATUS ntlm_context_pack(struct ntlm_context *ctx, bool with_state, enum pkg_mode mode,
                                  SecBuffer *out);
/* Fill an existing context from ntlm_context_pack output. */
SECURITY_STATUS ntlm_context_unpack(struct ntlm_context *ctx, const uint8_t *p, size_t len);
/* Completion helper for ISC/ASC: set the lifespan, pack ContextData with
 * the LSA heap and set leg->mapped and leg->expiry. */
SECURITY_STATUS ntlm_context_map(struct ntlm_context *ctx, struct pkg_leg *leg);

/* Context attributes `a` (ISC_RET_* or ASC_RET_*) less the services the
 * negotiated `flags` do not give (MS-NLMP 3.1.1.2, 3.4.1): confidentiality
 * needs SEAL; integrity (`integrity_bit`, which differs between ISC_RET_
 * and ASC_RET_), replay and sequence detection need SIGN or SEAL. */
uint32_t ntlm_attrs_negotiated(uint32_t a, uint32_t flags, uint32_t integrity_bit);

NTSTATUS NTAPI ntlm_sp_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                              PSecBuffer PackedContext);
/* The context's attributes as the kit answers them (pkg-attrs.h). */
bool ntlm_describe(const void *object, enum pkg_mode mode, struct pkg_attr_data *d);
NTSTATUS NTAPI ntlm_sp_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                      PSecBuffer pPackedContext, PHANDLE pToken);
NTSTATUS NTAPI ntlm_sp_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                      PLSA_SEC_HANDLE phContext);
/* SpSetContextAttributes: SECPKG_ATTR_LIBSSPI_RESET_CRYPTO (ntsecpkg.h). */
NTSTATUS NTAPI ntlm_sp_set_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                              PVOID Buffer, ULONG BufferSize);

/* ---- handshake (ntlm-client.c, ntlm-server.c) ---------------------------- */
/* SpInitLsaModeContext / SpAcceptLsaModeContext legs (pkg-calls.h). */
NTSTATUS ntlm_client_leg(struct pkg_leg *leg);
NTSTATUS ntlm_server_leg(struct pkg_leg *leg);

/* Version sent in our messages. */
extern const struct ntlm_version ntlm_our_version;

/* ---- per message (ntlm-sign.c) ------------------------------------------- */
/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage. */
extern const struct pkg_message_ops ntlm_message_ops;

#endif
