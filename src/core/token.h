/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * token.h - access tokens (the POSIX meaning of an authenticated client:
 * its name and the local account it maps to) and the HANDLE values that
 * name libsspi's objects: tokens handed out by QuerySecurityContextToken
 * and SECPKG_ATTR_ACCESS_TOKEN, and LSA connections.  Private to
 * libsspi.la.
 */
#ifndef LIBSSPI_CORE_TOKEN_H
#define LIBSSPI_CORE_TOKEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/accounts.h"

/* An access token: immutable after creation, reference-counted. */
struct sspi_token {
    atomic_uint refs;
    char *authname;               /* UTF-8, as the package named the client */
    struct sspi_name_parts parts; /* authname split */
    bool mapped;                  /* `account` is valid */
    struct sspi_local_account account;
    char map_why[160]; /* why it is not mapped (traces) */
    LUID logon_id;     /* the logon session the token stands for */
};

/* A token for `authname`, mapped by the configured rule; one reference.
 * NULL when out of memory. */
SSPI_HIDDEN struct sspi_token *sspi_token_new(const char *authname);
SSPI_HIDDEN struct sspi_token *sspi_token_ref(struct sspi_token *t);
/* Drop a reference (NULL is ignored); the last one frees the token. */
SSPI_HIDDEN void sspi_token_unref(struct sspi_token *t);

/* ---- objects behind HANDLE values ----------------------------------------- */

enum sspi_object_kind {
    SSPI_OBJECT_TOKEN = 1, /* data: struct sspi_token *, one reference owned */
    SSPI_OBJECT_LSA,       /* data: SSPI_LSA_TRUSTED or SSPI_LSA_UNTRUSTED */
};

#define SSPI_LSA_TRUSTED   ((void *)(uintptr_t)1) /* LsaRegisterLogonProcess */
#define SSPI_LSA_UNTRUSTED ((void *)(uintptr_t)2) /* LsaConnectUntrusted */

/*
 * A new HANDLE for `data` of `kind`.  Handles are slots of an arena libsspi
 * never unmaps, so CloseHandle can tell its own handles, live or stale,
 * from everyone else's without reading foreign memory.  Each slot starts
 * with the header WinPR's CloseHandle reads, so where WinPR's CloseHandle
 * is the one the program calls, closing a libsspi handle still reaches
 * libsspi.  For tokens the handle takes over one reference.  NULL when out
 * of memory (a token reference is then dropped).
 */
SSPI_HIDDEN HANDLE sspi_object_open(enum sspi_object_kind kind, void *data);

/* The data of a live handle of `kind`; for tokens a new reference.  NULL
 * for anything else (stale, closed, other kind, not ours). */
SSPI_HIDDEN void *sspi_object_get(HANDLE h, enum sspi_object_kind kind);

/* Close a live handle of ours (any kind when kind is 0).  false when `h`
 * is not a live handle of that kind. */
SSPI_HIDDEN bool sspi_object_close(HANDLE h, enum sspi_object_kind kind);

/* Whether `h` lies in libsspi's handle arena (live or not). */
SSPI_HIDDEN bool sspi_object_is_ours(HANDLE h);

/* ---- impersonate.c --------------------------------------------------------- */

struct sspi_context;

/* AcceptSecurityContext succeeded on SSP/AP context `ctx`: it names a
 * client that may be impersonated (api-context.c; idempotent). */
SSPI_HIDDEN void sspi_impersonation_accepted(const struct sspi_context *ctx);

/* `ctx` is being destroyed: drop its token and close its
 * SECPKG_ATTR_ACCESS_TOKEN handle.  Threads impersonating it keep their
 * own token reference.  Cheap when no server context exists. */
SSPI_HIDDEN void sspi_impersonation_context_gone(const struct sspi_context *ctx);

/*
 * ImpersonateSecurityContext (`start`) or RevertSecurityContext on the
 * SSP/AP context behind the live handle `ph` (provider-shape packages do
 * their own: dispatch-provider.c).  Impersonate: SEC_E_OK, SEC_E_NO_IMPERSONATION (refused by the
 * `impersonation` setting, switch not permitted or no local account in
 * switch mode, not a server context, no client name),
 * SEC_E_INSUFFICIENT_MEMORY.  Revert: SEC_E_OK, whether or not the thread
 * was impersonating.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_impersonation_call(bool start, PCtxtHandle ph,
                                                    const struct sspi_context *ctx);

/* RevertSecurityContext with the handle value the calling thread
 * impersonated, live or already deleted: revert and return true.  false
 * for any other handle (the caller checks it as usual). */
SSPI_HIDDEN bool sspi_revert_stale(const CtxtHandle *ph);

/* QuerySecurityContextToken: a new token handle (close with CloseHandle).
 * SEC_E_NO_IMPERSONATION when `ctx` is not a server context. */
SSPI_HIDDEN SECURITY_STATUS sspi_context_token_handle(PCtxtHandle ph,
                                                      const struct sspi_context *ctx, HANDLE *out);

/* SECPKG_ATTR_ACCESS_TOKEN: the context's own token handle, written to
 * ((SecPkgContext_AccessToken *)buf)->AccessToken; valid until the context
 * is deleted, not to be closed by the caller. */
SSPI_HIDDEN SECURITY_STATUS sspi_context_access_token(PCtxtHandle ph,
                                                      const struct sspi_context *ctx, void *buf);

/* The calling thread's impersonation token (a new reference) or NULL. */
SSPI_HIDDEN struct sspi_token *sspi_thread_token(void);
SSPI_HIDDEN bool sspi_thread_impersonating(void);

#endif
