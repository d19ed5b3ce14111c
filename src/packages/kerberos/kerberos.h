/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos.h - internal interface of the Kerberos security package.
 *
 * MIT krb5's GSSAPI does what it is good at: KDC exchanges, credentials,
 * context establishment and error texts.  Once a context is established
 * its key and sequence numbers are taken out of MIT's context (the lucid
 * export, by OID, which leaves the context usable) and the per-message
 * path runs on kerberos-cfx.c for the AES enctypes; other enctypes, and
 * option.message_crypto = mit, use MIT's gss_*_iov calls under a lock.
 *
 * Files:
 *   kerberos-entry.c    exported entry points, tables, package-wide state
 *   kerberos-status.c   GSS major/minor -> SECURITY_STATUS, the trace
 *   kerberos-cred.c     credential handles (ccache, password, keytab)
 *   kerberos-names.c    SPNs <-> GSS names, UTF-16 helpers
 *   kerberos-context.c  InitializeSecurityContext / AcceptSecurityContext
 *   kerberos-message.c  Make/VerifySignature, Encrypt/DecryptMessage
 *   kerberos-attrs.c    QueryContextAttributes, export/import
 *   kerberos-lsa.c      LsaCallAuthenticationPackage messages (Kerb*)
 *   kerberos-cfx.c      RFC 4121 tokens on nettle (no GSSAPI types)
 *
 * GSSAPI types stay inside this package.  Handles are the addresses of
 * struct krb_cred / struct krb_context, checked by a magic number.
 */
#ifndef LIBSSPI_KERBEROS_H
#define LIBSSPI_KERBEROS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "ntsecapi.h"
#include "packages/kerberos/kerberos-cfx.h"
#include "packages/kit/kit.h"

#define KRB_HIDDEN __attribute__((visibility("hidden")))

/* ---- What SpGetInfo reports (reference kerberos.md section 1) --------- */
#define KRB_PACKAGE_NAME    u"Kerberos"
#define KRB_PACKAGE_COMMENT u"Microsoft Kerberos V1.0"
#define KRB_PACKAGE_VERSION 1
#define KRB_RPCID           16 /* RPC_C_AUTHN_GSS_KERBEROS */
#define KRB_MAX_TOKEN       48000
#define KRB_CAPABILITIES    0x000F3BBFu

/* SIZES as Windows reports them for AES contexts. */
#define KRB_SIZES_MAX_SIGNATURE 28
#define KRB_SIZES_BLOCK         1
#define KRB_SIZES_TRAILER       76

/* ---- Package-wide state (kerberos-entry.c) ------------------------------ */
KRB_HIDDEN extern const struct pkg_descriptor krb_package;
/* option.keytab, a malloc()ed copy (NULL: KRB5_KTNAME or the default). */
KRB_HIDDEN char *krb_option_keytab(void);
/* option.message_crypto = mit: per-message calls through MIT's gss_*_iov. */
KRB_HIDDEN bool krb_option_mit_messages(void);
/* Memory handed to the caller (FreeContextBuffer frees it). */
KRB_HIDDEN void *krb_alloc(size_t len);
KRB_HIDDEN void krb_free(void *p);

/* ---- Status and trace (kerberos-status.c) ------------------------------- */
enum krb_op { KRB_OP_ACQUIRE, KRB_OP_INIT, KRB_OP_ACCEPT, KRB_OP_MESSAGE };
/* The SSPI status for a failed GSS call during `op`, logged with MIT's
 * major and minor texts when LIBSSPI_DEBUG is set (never key material). */
KRB_HIDDEN SECURITY_STATUS krb_status_from_gss(enum krb_op op, const char *call, OM_uint32 major,
                                               OM_uint32 minor);
/* The same for a krb5 error code (kctx: the krb5_context it came from). */
KRB_HIDDEN SECURITY_STATUS krb_status_from_krb5(enum krb_op op, const char *call, void *kctx,
                                                int32_t code);
/* printf-style line to the LIBSSPI_DEBUG destination, if tracing. */
KRB_HIDDEN void krb_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
KRB_HIDDEN bool krb_tracing(void);

/* ---- Names (kerberos-names.c) ------------------------------------------- */
/* UTF-8 copy (malloc) of `len` UTF-16 units, or NULL. */
KRB_HIDDEN char *krb_utf8(const char16_t *s, size_t len);
/* UTF-16 copy of a UTF-8 string into memory from krb_alloc (caller's). */
KRB_HIDDEN char16_t *krb_utf16_out(const char *s);
/* Import a Windows-form SPN or principal as a GSS name.  GSS status. */
KRB_HIDDEN OM_uint32 krb_import_target(const char *spn, gss_name_t *out, OM_uint32 *minor);
/* Import a principal name (user, user@REALM, service/host@REALM). */
KRB_HIDDEN OM_uint32 krb_import_principal(const char *name, gss_name_t *out, OM_uint32 *minor);
/* malloc'ed display form of a GSS name, or NULL. */
KRB_HIDDEN char *krb_display_name(gss_name_t name);

/* ---- Credentials (kerberos-cred.c) -------------------------------------- */

/* What a credential handle holds; referenced by the handle and by each
 * context whose handshake is running, so FreeCredentialsHandle during a
 * handshake is safe. */
struct krb_cred {
    _Atomic uint32_t refs;
    uint32_t use; /* SECPKG_CRED_INBOUND / OUTBOUND / BOTH */
    pthread_mutex_t lock;
    gss_cred_id_t initiate; /* GSS_C_NO_CREDENTIAL until acquired */
    gss_cred_id_t accept;
    char *principal; /* who asked (UTF-8) or NULL */
    char *password;  /* kept until the first use, then wiped */
    size_t password_len;
    void *kctx, *ccache; /* krb5 context and private MEMORY ccache, if any */
    int64_t expiry;
};

/* The kit object behind a credential LSA_SEC_HANDLE. */
struct krb_cred_handle {
    struct pkg_object obj;
    struct krb_cred *cred;
};

/* The credential behind `h`, or NULL if `h` is not a credential of ours. */
KRB_HIDDEN struct krb_cred *krb_cred_from_handle(LSA_SEC_HANDLE h);
KRB_HIDDEN void krb_cred_ref(struct krb_cred *c);
KRB_HIDDEN void krb_cred_unref(struct krb_cred *c);
/* The initiator credential, acquiring the tickets on first use (password
 * identities).  SSPI status; logs the reason. */
KRB_HIDDEN SECURITY_STATUS krb_cred_initiator(struct krb_cred *c, gss_cred_id_t *out);
/* Keep a credential the acceptor received through delegation, so that
 * AcquireCredentialsHandle(OUTBOUND, that principal) finds it.  The
 * returned token (free with krb_delegation_drop) ends it. */
KRB_HIDDEN void *krb_delegation_keep(gss_cred_id_t deleg, const char *principal);
KRB_HIDDEN void krb_delegation_drop(void *token);

KRB_HIDDEN NTSTATUS NTAPI krb_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                         ULONG CredentialUseFlags, PLUID LogonId,
                                                         PVOID AuthorizationData,
                                                         PVOID GetKeyFunciton, PVOID GetKeyArgument,
                                                         PLSA_SEC_HANDLE CredentialHandle,
                                                         PTimeStamp ExpirationTime);
KRB_HIDDEN NTSTATUS NTAPI krb_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle);
KRB_HIDDEN NTSTATUS NTAPI krb_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                           ULONG CredentialAttribute, PVOID Buffer);

/* ---- Contexts (kerberos-context.c) -------------------------------------- */

enum krb_state { KRB_STATE_NEW, KRB_STATE_CONTINUE, KRB_STATE_COMPLETE, KRB_STATE_FAILED };

/* The object behind a context LSA_SEC_HANDLE: the LSA side for a context
 * made by a handshake, the user side for an imported one. */
struct krb_context {
    struct pkg_object obj;
    bool server;
    bool imported;
    enum krb_state state;
    uint32_t req;   /* ISC_REQ_* / ASC_REQ_* asked for */
    uint32_t attrs; /* ISC_RET_* / ASC_RET_* granted */
    OM_uint32 gss_flags;
    struct krb_cred *cred; /* referenced while the handshake runs */
    gss_ctx_id_t gss;
    gss_name_t target;
    void *delegation; /* krb_delegation_keep token (acceptor) */
    int64_t start, expiry;
    char *client, *service; /* principals (UTF-8), once known */
    /* Context key, for SESSION_KEY / KEY_INFO / export. */
    int32_t enctype;
    uint8_t key[32];
    uint32_t key_len;
    /* Per-message state, set up by the first call that needs it
     * (krb_context_keys): `ready` is 1 once keys are in place (-1 if that
     * failed), published with release order. */
    _Atomic int ready;
    bool names; /* client/service filled in */
    bool fast;  /* cfx (nettle) in use, else MIT gss_*_iov under `mit_lock` */
    struct krb_cfx cfx;
    pthread_mutex_t mit_lock; /* MIT's context, and the one-time set-up */
};

KRB_HIDDEN extern const struct pkg_class krb_context_class;
/* The context behind `h` (either side alive), or NULL. */
KRB_HIDDEN struct krb_context *krb_context_from_handle(LSA_SEC_HANDLE h);
/* A new context with `side` alive, or NULL; pkg_object_discard drops one
 * no handle was given out for. */
KRB_HIDDEN struct krb_context *krb_context_new(bool server, uint32_t side);
/* The handshake is over: lifetime from MIT's time_rec (seconds). */
KRB_HIDDEN SECURITY_STATUS krb_context_finish(struct krb_context *ctx, OM_uint32 time_rec);
/* Take keys and sequence numbers out of the established GSS context and set
 * up the per-message path, once (later calls return at once).  Done on
 * first use, as MIT derives its per-message keys on first use, so the
 * handshake costs what MIT's does.  SEC_E_OK or the status of the failure;
 * thread-safe. */
KRB_HIDDEN SECURITY_STATUS krb_context_keys_slow(struct krb_context *ctx);
static inline SECURITY_STATUS krb_context_keys(struct krb_context *ctx)
{
    int r = atomic_load_explicit(&ctx->ready, memory_order_acquire);
    return r == 1 ? SEC_E_OK : krb_context_keys_slow(ctx);
}
/* Fill ctx->client / ctx->service from MIT's context, once. */
KRB_HIDDEN void krb_context_names(struct krb_context *ctx);
/* Seconds-since-1970 to a TimeStamp (FILETIME units). */
KRB_HIDDEN int64_t krb_filetime(int64_t unix_seconds);
KRB_HIDDEN int64_t krb_now(void);
/* Map GSS flags to ISC_RET_* (client) or ASC_RET_* (server). */
KRB_HIDDEN uint32_t krb_flags_gss_to_sspi(OM_uint32 gss, bool server);

KRB_HIDDEN NTSTATUS NTAPI krb_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData);
KRB_HIDDEN NTSTATUS NTAPI krb_accept_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffer, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData);
KRB_HIDDEN NTSTATUS NTAPI krb_delete_context(LSA_SEC_HANDLE ContextHandle);

/* ---- Per-message functions (kerberos-message.c) -------------------------- */
KRB_HIDDEN NTSTATUS NTAPI krb_make_signature(LSA_SEC_HANDLE ContextHandle,
                                             ULONG QualityOfProtection,
                                             PSecBufferDesc MessageBuffers,
                                             ULONG MessageSequenceNumber);
KRB_HIDDEN NTSTATUS NTAPI krb_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                               PSecBufferDesc MessageBuffers,
                                               ULONG MessageSequenceNumber,
                                               PULONG QualityOfProtection);
KRB_HIDDEN NTSTATUS NTAPI krb_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                           PSecBufferDesc MessageBuffers,
                                           ULONG MessageSequenceNumber);
KRB_HIDDEN NTSTATUS NTAPI krb_unseal_message(LSA_SEC_HANDLE ContextHandle,
                                             PSecBufferDesc MessageBuffers,
                                             ULONG MessageSequenceNumber,
                                             PULONG QualityOfProtection);

/* ---- Attributes, export, import (kerberos-attrs.c) ---------------------- */
KRB_HIDDEN NTSTATUS NTAPI krb_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                       ULONG ContextAttribute, PVOID Buffer);
KRB_HIDDEN NTSTATUS NTAPI krb_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                             PSecBuffer pPackedContext, PHANDLE pToken);
KRB_HIDDEN NTSTATUS NTAPI krb_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                             PLSA_SEC_HANDLE phContext);
KRB_HIDDEN NTSTATUS NTAPI krb_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle);

/* ---- LSA messages (kerberos-lsa.c) -------------------------------------- */
KRB_HIDDEN NTSTATUS NTAPI krb_call_package(PLSA_CLIENT_REQUEST ClientRequest,
                                           PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);

#endif
