/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dispatch.h - the one operations table through which the SSPI entry
 * points reach a package, whatever its shape.
 *
 * Each package shape implements struct sspi_pkg_ops once:
 * dispatch-sspap.c for SSP/AP modules (the LSA-mode and user-mode tables,
 * SECPKG_CALL_ANSI, NTSTATUS mapping, the MappedContext hand-over) and
 * dispatch-provider.c for InitSecurityInterface providers (their own
 * handles, the A/W choice made in one place, adoption of provider
 * memory).  The registry sets pkg->ops and pkg->msg when it publishes a
 * package; the api-*.c files only check arguments, resolve handles, call
 * an operation and trace.  The same operations serve the public entry
 * points and the host services given to packages (host-services.c).
 *
 * Every operation returns a SECURITY_STATUS (NTSTATUS already mapped) and
 * is called with the objects it is given referenced by the caller; none
 * takes a lock of the core.
 */
#ifndef LIBSSPI_CORE_DISPATCH_H
#define LIBSSPI_CORE_DISPATCH_H

#include "core/api-internal.h"

struct sspi_pkg_ops {
    /* New credentials of `cred->pkg` into `cred` (zeroed, not yet
     * published); on failure nothing of the package's is left. */
    SECURITY_STATUS(*acquire)
    (struct sspi_credential *cred, const struct sspi_cred_args *a, TimeStamp *expiry);
    SECURITY_STATUS(*add_credentials)
    (struct sspi_credential *cred, const struct sspi_cred_args *a, TimeStamp *expiry);
    /* Release the package's side of a credential (last reference gone). */
    void (*free_credential)(struct sspi_credential *cred);

    /* One leg.  `cred` may be NULL (continuation); `ctx` is the existing
     * context, or a fresh one (`fresh` true) that gets the package's side
     * on success.  On failure of a fresh context nothing of the package's
     * is left.  Output buffers are the caller's (or ALLOCATE_MEMORY blocks
     * the API layer placed); the API layer checks them afterwards. */
    SECURITY_STATUS(*establish)
    (const struct sspi_establish_args *a, struct sspi_credential *cred, struct sspi_context *ctx,
     bool fresh, struct sspi_establish_result *r);
    /* Release the package's side of a context (last reference gone, or a
     * fresh context that is dropped). */
    void (*delete_context)(struct sspi_context *ctx);
    SECURITY_STATUS (*complete_token)(struct sspi_context *ctx, PSecBufferDesc desc);
    SECURITY_STATUS (*apply_control)(struct sspi_context *ctx, PSecBufferDesc desc);
    /* ImpersonateSecurityContext (`start`) / RevertSecurityContext, and
     * QuerySecurityContextToken: the core's access tokens for SSP/AP
     * server contexts (impersonate.c), the provider's own functions for a
     * provider.  `ph` is the live handle of `ctx`. */
    SECURITY_STATUS (*impersonate)(struct sspi_context *ctx, PCtxtHandle ph, bool start);
    SECURITY_STATUS (*context_token)(struct sspi_context *ctx, PCtxtHandle ph, HANDLE *token);
    /* SECPKG_ATTR_ACCESS_TOKEN when the package does not answer it, or
     * NULL (the attribute stays unsupported). */
    SECURITY_STATUS (*access_token)(struct sspi_context *ctx, PCtxtHandle ph, void *buf);
    /* Serialise into packed->pvBuffer, a block of ours (FreeContextBuffer). */
    SECURITY_STATUS(*export_context)
    (struct sspi_context *ctx, uint32_t flags, PSecBuffer packed, void **token);
    /* Rebuild a context into the fresh `ctx`. */
    SECURITY_STATUS(*import_context)
    (struct sspi_context *ctx, bool ansi, PSecBuffer packed, void *token);

    /* Attribute `attr` of a credential or context (`obj` is a struct
     * sspi_credential or sspi_context, after `kind`) into `buf`, every
     * variable-size member converted into memory of ours, UTF-8 strings
     * for `ansi`. */
    SECURITY_STATUS(*query_attr)
    (enum sspi_handle_kind kind, void *obj, bool ansi, uint32_t attr, void *buf);
    SECURITY_STATUS(*set_attr)
    (enum sspi_handle_kind kind, void *obj, bool ansi, uint32_t attr, void *buf, uint32_t cb);

    SECURITY_STATUS(*change_password)
    (struct sspi_package *pkg, const struct sspi_password_args *a);
};

SSPI_HIDDEN extern const struct sspi_pkg_ops sspi_sspap_ops;
SSPI_HIDDEN extern const struct sspi_pkg_ops sspi_provider_ops;

/* Set pkg->ops and pkg->msg for its shape; called once, when the package
 * is published. */
SSPI_HIDDEN void sspi_dispatch_bind(struct sspi_package *pkg);

/* The per-message target of a context: its package's four functions and
 * the handle to pass them (an SSP/AP package's own LSA_SEC_HANDLE, or for a
 * provider the context itself, which the core's thunks take). */
static inline void sspi_dispatch_target(const struct sspi_context *ctx,
                                        SECPKG_LIBSSPI_MESSAGE_TARGET *t)
{
    *t = ctx->pkg->msg;
    t->Context = atomic_load_explicit(&ctx->lsa, memory_order_relaxed);
}

/* ---- the package call in progress (dispatch-sspap.c) --------------------- */

/* Run package code with SECPKG_CALL_ANSI set when `ansi`, and `pkg` known
 * as the package being called (host services use it to refuse a package
 * its own name); scopes nest. */
struct sspi_call_scope {
    uint32_t attributes;
    const struct sspi_package *pkg;
};
SSPI_HIDDEN void sspi_call_enter(struct sspi_call_scope *scope, const struct sspi_package *pkg,
                                 bool ansi);
SSPI_HIDDEN void sspi_call_leave(const struct sspi_call_scope *scope);
/* The package whose code this thread runs (innermost scope), or NULL. */
SSPI_HIDDEN const struct sspi_package *sspi_call_current(void);

#endif
