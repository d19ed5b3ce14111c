/*
 * ntlm-pkg.h - the SSP/AP side of the NTLM package: package options,
 * credentials, contexts and the ntlm_sp_* functions that ntlm-entry.c puts
 * in the SECPKG_FUNCTION_TABLE / SECPKG_USER_FUNCTION_TABLE.
 *
 * Handles: an LSA_SEC_HANDLE is the address of a struct ntlm_cred or
 * struct ntlm_context, checked by a magic number before use (the host's
 * handle table guarantees the caller cannot forge them; the magic catches
 * a handle of the wrong kind).  A context is one object for both its LSA
 * and user-mode sides; it is freed when both sides have been deleted.
 */
#ifndef LIBSSPI_NTLM_PKG_H
#define LIBSSPI_NTLM_PKG_H

#include <pthread.h>
#include <stdatomic.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "packages/ntlm/ntlm.h"

#define NTLM_PACKAGE_NAME u"NTLM"
#define NTLM_PACKAGE_COMMENT u"NTLM Security Package"
#define NTLM_CAPABILITIES                                                              \
    (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY |             \
     SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION |  \
     SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON |        \
     SECPKG_FLAG_RESTRICTED_TOKENS)
#define NTLM_RPCID 10 /* RPC_C_AUTHN_WINNT */

#define NTLM_CRED_MAGIC 0x4e4c4352u
#define NTLM_CTX_MAGIC 0x4e4c4354u
#define NTLM_DEAD_MAGIC 0xdeadc0deu

/* Services the host handed to the package (ntlm-entry.c). */
extern PLSA_SECPKG_FUNCTION_TABLE ntlm_lsa;
extern PSECPKG_DLL_FUNCTIONS ntlm_dll;

/* ---- options (ntlm-config.c) --------------------------------------------- */
enum ntlm_cb_policy { NTLM_CB_NEVER, NTLM_CB_IF_PRESENT, NTLM_CB_REQUIRED };

/* A snapshot of the package options; strings are malloc()ed copies. */
struct ntlm_options {
    char *user_file;          /* option.user_file, else $NTLM_USER_FILE */
    char *default_user;       /* option.default_user ("DOMAIN\user" or "user@domain") */
    char *default_domain;
    char *default_password;
    uint32_t max_skew;        /* seconds; 0 disables the check */
    enum ntlm_cb_policy channel_bindings;
    enum ntlm_cb_policy target_name;
    bool allow_ntlmv1;
    bool allow_anonymous;
    char *nb_computer, *nb_domain, *dns_computer, *dns_domain;
    char *service_names;      /* comma-separated accepted SPNs */
};

/* Copy the current options (defaults filled in).  false on OOM. */
bool ntlm_options_get(struct ntlm_options *o);
void ntlm_options_free(struct ntlm_options *o);
/* Apply SecpkgLibsspiConfig settings; unknown keys or bad values give
 * STATUS_INVALID_PARAMETER (the valid ones are still applied). */
NTSTATUS ntlm_options_set(const SECPKG_LIBSSPI_CONFIG *cfg);

/* ---- credentials (ntlm-cred.c) ------------------------------------------- */
struct ntlm_identity {
    bool anonymous;
    bool present;             /* user/domain/hashes valid */
    struct ntlm_buf user, domain;   /* UTF-16LE */
    uint8_t nt_hash[16], lm_hash[16];
    bool has_lm;
};

struct ntlm_cred {
    uint32_t magic;
    uint32_t use;             /* SECPKG_CRED_INBOUND/OUTBOUND bits */
    struct ntlm_identity id;  /* outbound identity, if any */
};

void ntlm_identity_clear(struct ntlm_identity *id);
bool ntlm_identity_copy(struct ntlm_identity *dst, const struct ntlm_identity *src);
/* Default initiator identity from the options (default_* or the first
 * user-file entry).  SEC_E_NO_CREDENTIALS if there is none. */
SECURITY_STATUS ntlm_identity_default(const struct ntlm_options *o, struct ntlm_identity *id);
struct ntlm_cred *ntlm_cred_from_handle(LSA_SEC_HANDLE h);

NTSTATUS NTAPI ntlm_sp_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                  ULONG CredentialUseFlags, PLUID LogonId,
                                                  PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                  PVOID GetKeyArgument,
                                                  PLSA_SEC_HANDLE CredentialHandle,
                                                  PTimeStamp ExpirationTime);
NTSTATUS NTAPI ntlm_sp_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle);
NTSTATUS NTAPI ntlm_sp_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                    ULONG CredentialAttribute, PVOID Buffer);

/* ---- contexts (ntlm-context.c) ------------------------------------------- */
enum ntlm_state {
    NTLM_ST_CLIENT_NEGOTIATE_SENT,
    NTLM_ST_SERVER_CHALLENGE_SENT,
    NTLM_ST_DONE,
    NTLM_ST_FAILED
};

/* One direction of per-message protection.  `lock` serialises the RC4
 * state and the sequence counter (connection mode). */
struct ntlm_dir {
    pthread_mutex_t lock;
    struct ntlm_dir_keys k;
    crypto_rc4 alt;           /* receive side: the state being tried */
    crypto_rc4 *live;         /* &k.rc4 or &alt: the current RC4 state */
    uint32_t seq;
};

#define NTLM_NEVER_EXPIRES INT64_MAX

struct ntlm_context {
    uint32_t magic;
    atomic_int sides;                 /* LSA side + user side still alive */
    bool server;
    enum ntlm_state state;
    uint32_t req;                     /* ISC_REQ_* / ASC_REQ_* asked for */
    uint32_t attrs;                   /* ISC_RET_* / ASC_RET_* returned */
    uint32_t flags;                   /* negotiated NTLMSSP flags */

    /* handshake */
    struct ntlm_identity id;          /* client: who we authenticate as */
    struct ntlm_buf neg_msg, chal_msg;
    uint8_t server_chal[8];
    uint64_t chal_time;

    /* result */
    uint8_t exported[16];
    struct ntlm_buf user, domain, workstation, target;   /* UTF-16LE */
    int64_t start, expiry;            /* FILETIME */
    bool null_session;

    /* user mode */
    atomic_bool keyed;                /* per-message state ready */
    atomic_bool retired;              /* exported with DELETE_OLD */
    bool datagram;
    bool shared_rc4;                  /* no ESS: one RC4 state for both ways */
    struct ntlm_dir send, recv;
};

struct ntlm_context *ntlm_context_new(bool server);
/* The context behind a handle, or NULL if it is not one of ours. */
struct ntlm_context *ntlm_context_from_handle(LSA_SEC_HANDLE h);
/* Drop one side (LSA or user); frees the context when both are gone. */
void ntlm_context_release(struct ntlm_context *ctx);
/* Derive sign/seal keys from exported/flags/role into send/recv. */
void ntlm_context_derive_keys(struct ntlm_context *ctx);
/* Serialise the established context (keys, names, flags and, when
 * `with_state`, the RC4 states and counters) into memory from `alloc`. */
SECURITY_STATUS ntlm_context_pack(struct ntlm_context *ctx, bool with_state,
                                  void *(*alloc)(ULONG), SecBuffer *out);
/* Fill an existing context from ntlm_context_pack output. */
SECURITY_STATUS ntlm_context_unpack(struct ntlm_context *ctx, const uint8_t *p, size_t len);
/* Completion helper for ISC/ASC: set the lifespan, pack ContextData with
 * the LSA heap and set *MappedContext. */
SECURITY_STATUS ntlm_context_map(struct ntlm_context *ctx, PBOOLEAN MappedContext,
                                 PSecBuffer ContextData, PTimeStamp ExpirationTime);

/* Context attributes `a` (ISC_RET_* or ASC_RET_*) less the services the
 * negotiated `flags` do not give (MS-NLMP 3.1.1.2, 3.4.1): confidentiality
 * needs SEAL; integrity (`integrity_bit`, which differs between ISC_RET_
 * and ASC_RET_), replay and sequence detection need SIGN or SEAL. */
uint32_t ntlm_attrs_negotiated(uint32_t a, uint32_t flags, uint32_t integrity_bit);

/* Find the first buffer of `type` (attribute bits ignored), or NULL. */
SecBuffer *ntlm_find_buffer(PSecBufferDesc d, uint32_t type);
/* Copy a token into the first SECBUFFER_TOKEN output buffer. */
SECURITY_STATUS ntlm_output_token(PSecBufferDesc out, const struct ntlm_buf *msg);

NTSTATUS NTAPI ntlm_sp_delete_context(LSA_SEC_HANDLE ContextHandle);
NTSTATUS NTAPI ntlm_sp_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                              PSecBuffer PackedContext);
NTSTATUS NTAPI ntlm_sp_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle);
NTSTATUS NTAPI ntlm_sp_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer);
NTSTATUS NTAPI ntlm_sp_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                      PSecBuffer pPackedContext, PHANDLE pToken);
NTSTATUS NTAPI ntlm_sp_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                      PLSA_SEC_HANDLE phContext);
/* A SecPkgInfoW for the package in one block from `alloc` (strings inside). */
PSecPkgInfoW ntlm_package_info_alloc(void *(*alloc)(ULONG));

/* ---- handshake (ntlm-client.c, ntlm-server.c) ---------------------------- */
NTSTATUS NTAPI ntlm_sp_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData);
NTSTATUS NTAPI ntlm_sp_accept_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffer, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData);

/* Version sent in our messages. */
extern const struct ntlm_version ntlm_our_version;

/* ---- per message (ntlm-sign.c) ------------------------------------------- */
NTSTATUS NTAPI ntlm_sp_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                      PSecBufferDesc MessageBuffers,
                                      ULONG MessageSequenceNumber);
NTSTATUS NTAPI ntlm_sp_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                        PSecBufferDesc MessageBuffers,
                                        ULONG MessageSequenceNumber,
                                        PULONG QualityOfProtection);
NTSTATUS NTAPI ntlm_sp_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                    PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
NTSTATUS NTAPI ntlm_sp_unseal_message(LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc MessageBuffers,
                                      ULONG MessageSequenceNumber,
                                      PULONG QualityOfProtection);

#endif
