/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dispatch-sspap.c - the operations of SSP/AP packages (dispatch.h): the
 * core-owned copies of their LSA-mode and user-mode tables, UNICODE_STRING
 * arguments, SECPKG_CALL_ANSI for the A entry points, NTSTATUS mapped in
 * one place (sspi_status_from_nt), and the MappedContext/ContextData
 * hand-over to SpInitUserModeContext.  A NULL slot answers
 * SEC_E_UNSUPPORTED_FUNCTION.
 */
#include <stdlib.h>
#include <string.h>

#include "core/dispatch.h"
#include "core/identity-core.h"
#include "core/token.h"

/* ---- the package call in progress -------------------------------------- */

static _Thread_local const struct sspi_package *current_pkg;

void sspi_call_enter(struct sspi_call_scope *scope, const struct sspi_package *pkg, bool ansi)
{
    scope->attributes = sspi_call_attributes;
    scope->pkg = current_pkg;
    if (ansi)
        sspi_call_attributes |= SECPKG_CALL_ANSI;
    else
        sspi_call_attributes &= ~(uint32_t)SECPKG_CALL_ANSI;
    current_pkg = pkg;
}

void sspi_call_leave(const struct sspi_call_scope *scope)
{
    sspi_call_attributes = scope->attributes;
    current_pkg = scope->pkg;
}

const struct sspi_package *sspi_call_current(void)
{
    return current_pkg;
}

/* Call `expr` (an NTSTATUS) as package code of `pkg`; evaluates to the
 * mapped SECURITY_STATUS. */
#define PKG_CALL(pkg, ansi, expr)                                                                  \
    ({                                                                                             \
        struct sspi_call_scope sc_;                                                                \
        NTSTATUS nt_;                                                                              \
        sspi_call_enter(&sc_, (pkg), (ansi));                                                      \
        nt_ = (expr);                                                                              \
        sspi_call_leave(&sc_);                                                                     \
        sspi_status_from_nt(nt_);                                                                  \
    })

static inline LSA_SEC_HANDLE ctx_lsa(const struct sspi_context *ctx)
{
    return atomic_load_explicit(&ctx->lsa, memory_order_relaxed);
}

static void *getkey_ptr(SEC_GET_KEY_FN fn)
{
    void *p;

    _Static_assert(sizeof(p) == sizeof(fn), "function pointer size");
    memcpy(&p, &fn, sizeof(p));
    return p;
}

/* ---- credentials ------------------------------------------------------- */

static SECURITY_STATUS sspap_acquire(struct sspi_credential *cred, const struct sspi_cred_args *a,
                                     TimeStamp *expiry)
{
    struct sspi_package *pkg = cred->pkg;
    SEC_WINNT_AUTH_IDENTITY_EXW *built = NULL;
    void *auth = a->auth;
    UNICODE_STRING pr;
    SECURITY_STATUS st;

    if (pkg->lsa.AcquireCredentialsHandle == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = sspi_api_ustr(&pr, a->principal_w);
    if (st == SEC_E_OK)
        st = sspi_identity_for_package(a->auth, &auth, &built); /* identity-in.c */
    if (st != SEC_E_OK)
        return st;
    st = PKG_CALL(pkg, a->ansi,
                  pkg->lsa.AcquireCredentialsHandle(&pr, a->use, (PLUID)a->logon, auth,
                                                    getkey_ptr(a->getkey), a->getkey_arg,
                                                    &cred->lsa, expiry));
    sspi_exw_free(built);
    return st;
}

static SECURITY_STATUS sspap_add_credentials(struct sspi_credential *cred,
                                             const struct sspi_cred_args *a, TimeStamp *expiry)
{
    struct sspi_package *pkg = cred->pkg;
    SEC_WINNT_AUTH_IDENTITY_EXW *built = NULL;
    void *auth = a->auth;
    UNICODE_STRING pr, pk;
    SECURITY_STATUS st;

    if (pkg->lsa.AddCredentials == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = sspi_api_ustr(&pr, a->principal_w);
    if (st == SEC_E_OK)
        st = sspi_api_ustr(&pk, a->package_w);
    if (st == SEC_E_OK)
        st = sspi_identity_for_package(a->auth, &auth, &built); /* identity-in.c */
    if (st != SEC_E_OK)
        return st;
    st = PKG_CALL(pkg, a->ansi,
                  pkg->lsa.AddCredentials(cred->lsa, &pr, &pk, a->use, auth, getkey_ptr(a->getkey),
                                          a->getkey_arg, expiry));
    sspi_exw_free(built);
    return st;
}

static void sspap_free_credential(struct sspi_credential *cred)
{
    struct sspi_package *pkg = cred->pkg;

    if (pkg->lsa.FreeCredentialsHandle != NULL)
        (void)PKG_CALL(pkg, false, pkg->lsa.FreeCredentialsHandle(cred->lsa));
}

/* ---- contexts ---------------------------------------------------------- */

static void sspap_delete_context(struct sspi_context *ctx)
{
    struct sspi_package *pkg = ctx->pkg;

    if (atomic_load(&ctx->mapped) && pkg->has_user && pkg->user.DeleteUserModeContext)
        (void)PKG_CALL(pkg, false, pkg->user.DeleteUserModeContext(ctx_lsa(ctx)));
    if (atomic_load(&ctx->has_lsa) && pkg->lsa.DeleteContext != NULL)
        (void)PKG_CALL(pkg, false, pkg->lsa.DeleteContext(ctx_lsa(ctx)));
    atomic_store(&ctx->mapped, false);
    atomic_store(&ctx->has_lsa, false);
}

/*
 * Whether the ContextData a package returned with MappedContext is a block
 * the core can copy and later free: from AllocateLsaHeap and holding its
 * cbBuffer.  Otherwise (static, read-only or short memory, or a length
 * without a buffer) it is refused with a trace line; nothing of it is read
 * or written.
 */
static bool context_data_ours(const char *fn, const struct sspi_package *pkg,
                              const SecBuffer *cdata)
{
    size_t size = 0;

    if (cdata->pvBuffer == NULL && cdata->cbBuffer == 0)
        return true;
    if (cdata->pvBuffer != NULL && sspi_mem_lookup(cdata->pvBuffer, &size) &&
        cdata->cbBuffer <= size)
        return true;
    sspi_trace("%s: package %s: ContextData (%p, %u bytes) is not a block from AllocateLsaHeap "
               "of that size; refused",
               fn, sspi_pkg_name(pkg), cdata->pvBuffer, (unsigned)cdata->cbBuffer);
    return false;
}

/*
 * SpInitUserModeContext with the LSA side's ContextData, as the client
 * process would get it on Windows: a copy in FreeContextBuffer memory.
 * Microsoft's documentation has the package free it with FreeContextBuffer;
 * packages written for libsspi may leave it: what the package did not free
 * during the call is wiped and freed here.  SEC_E_INSUFFICIENT_MEMORY if
 * the copy cannot be made, else the package's status.
 */
static SECURITY_STATUS map_user_context(struct sspi_package *pkg, LSA_SEC_HANDLE h,
                                        const SecBuffer *lsa_data)
{
    SecBuffer packed = *lsa_data;
    void *copy = NULL;
    SECURITY_STATUS st;

    if (lsa_data->pvBuffer != NULL) {
        copy = sspi_mem_alloc(lsa_data->cbBuffer);
        if (copy == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(copy, lsa_data->pvBuffer, lsa_data->cbBuffer);
        packed.pvBuffer = copy;
        sspi_mem_watch(copy);
    }
    st = PKG_CALL(pkg, false, pkg->user.InitUserModeContext(h, &packed));
    if (copy != NULL && !sspi_mem_unwatch())
        (void)sspi_mem_free(copy);
    return st;
}

/* SpInitLsaModeContext or SpAcceptLsaModeContext of `pkg` for one leg. */
static SECURITY_STATUS lsa_leg(const struct sspi_establish_args *a, struct sspi_package *pkg,
                               struct sspi_credential *cred, LSA_SEC_HANDLE old,
                               LSA_SEC_HANDLE *newh, PBOOLEAN mapped, PSecBuffer cdata,
                               struct sspi_establish_result *r)
{
    LSA_SEC_HANDLE ch = cred != NULL ? cred->lsa : 0;
    UNICODE_STRING tn;
    SECURITY_STATUS st;

    if (a->accept) {
        if (pkg->lsa.AcceptLsaModeContext == NULL)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return PKG_CALL(pkg, a->ansi,
                        pkg->lsa.AcceptLsaModeContext(ch, old, a->in, a->req, a->drep, newh, a->out,
                                                      &r->attrs, &r->expiry, mapped, cdata));
    }
    st = sspi_api_ustr(&tn, a->target_w);
    if (st != SEC_E_OK)
        return st;
    if (pkg->lsa.InitLsaModeContext == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return PKG_CALL(pkg, a->ansi,
                    pkg->lsa.InitLsaModeContext(ch, old, &tn, a->req, a->drep, a->in, newh, a->out,
                                                &r->attrs, &r->expiry, mapped, cdata));
}

static SECURITY_STATUS sspap_establish(const struct sspi_establish_args *a,
                                       struct sspi_credential *cred, struct sspi_context *ctx,
                                       bool fresh, struct sspi_establish_result *r)
{
    struct sspi_package *pkg = ctx->pkg;
    LSA_SEC_HANDLE old = fresh ? 0 : ctx_lsa(ctx), newh = old;
    BOOLEAN mapped = 0;
    SecBuffer cdata = {0, SECBUFFER_EMPTY, NULL};
    SECURITY_STATUS st;

    st = lsa_leg(a, pkg, cred, old, &newh, &mapped, &cdata, r);
    if (SEC_SUCCESS(st) && mapped && !context_data_ours(a->fn, pkg, &cdata)) {
        if (fresh && pkg->lsa.DeleteContext != NULL)
            (void)PKG_CALL(pkg, false, pkg->lsa.DeleteContext(newh));
        st = SEC_E_INTERNAL_ERROR;
    }
    if (SEC_SUCCESS(st)) {
        atomic_store(&ctx->lsa, newh);
        atomic_store(&ctx->has_lsa, true);
        if (a->accept && st == SEC_E_OK)
            sspi_impersonation_accepted(ctx); /* impersonate.c */
        if (mapped && pkg->has_user && pkg->user.InitUserModeContext != NULL) {
            SECURITY_STATUS us = map_user_context(pkg, newh, &cdata);

            if (SEC_SUCCESS(us))
                atomic_store(&ctx->mapped, true);
            else
                st = us;
        }
        if (!SEC_SUCCESS(st) && fresh)
            sspap_delete_context(ctx);
    }
    /* The LSA-mode copy is the host's to release (FreeLsaHeap, which
     * wipes); memory the core did not allocate is never written. */
    if (cdata.pvBuffer != NULL && !sspi_mem_free(cdata.pvBuffer))
        sspi_trace("%s: package %s: ContextData %p is not from AllocateLsaHeap; left alone", a->fn,
                   sspi_pkg_name(pkg), cdata.pvBuffer);
    return st;
}

static SECURITY_STATUS sspap_complete_token(struct sspi_context *ctx, PSecBufferDesc desc)
{
    struct sspi_package *pkg = ctx->pkg;

    if (!pkg->has_user || pkg->user.CompleteAuthToken == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return PKG_CALL(pkg, false, pkg->user.CompleteAuthToken(ctx_lsa(ctx), desc));
}

static SECURITY_STATUS sspap_apply_control(struct sspi_context *ctx, PSecBufferDesc desc)
{
    struct sspi_package *pkg = ctx->pkg;

    if (!atomic_load(&ctx->has_lsa) || pkg->lsa.ApplyControlToken == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return PKG_CALL(pkg, false, pkg->lsa.ApplyControlToken(ctx_lsa(ctx), desc));
}

static SECURITY_STATUS sspap_impersonate(struct sspi_context *ctx, PCtxtHandle ph, bool start)
{
    return sspi_impersonation_call(start, ph, ctx); /* impersonate.c */
}

/* A server context: the core's token (impersonate.c); else the package's
 * GetContextToken. */
static SECURITY_STATUS sspap_context_token(struct sspi_context *ctx, PCtxtHandle ph, HANDLE *token)
{
    struct sspi_package *pkg = ctx->pkg;
    SECURITY_STATUS st = sspi_context_token_handle(ph, ctx, token);

    if (st != SEC_E_NO_IMPERSONATION)
        return st;
    if (!pkg->has_user || pkg->user.GetContextToken == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return PKG_CALL(pkg, false, pkg->user.GetContextToken(ctx_lsa(ctx), token));
}

static SECURITY_STATUS sspap_access_token(struct sspi_context *ctx, PCtxtHandle ph, void *buf)
{
    return sspi_context_access_token(ph, ctx, buf); /* impersonate.c */
}

/* The packed context must be a block of ours (the caller frees it with
 * FreeContextBuffer) that holds its cbBuffer; otherwise it is refused. */
static SECURITY_STATUS sspap_export_context(struct sspi_context *ctx, uint32_t flags,
                                            PSecBuffer packed, void **token)
{
    struct sspi_package *pkg = ctx->pkg;
    SECURITY_STATUS st;
    size_t size = 0;

    if (!pkg->has_user || pkg->user.ExportContext == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = PKG_CALL(pkg, false, pkg->user.ExportContext(ctx_lsa(ctx), flags, packed, (PHANDLE)token));
    if (!SEC_SUCCESS(st) || packed->pvBuffer == NULL)
        return st;
    if (sspi_mem_lookup(packed->pvBuffer, &size) && packed->cbBuffer <= size)
        return st;
    sspi_trace("ExportSecurityContext: package %s: packed context (%p, %u bytes) is not a block "
               "from its heap functions of that size; refused",
               sspi_pkg_name(pkg), packed->pvBuffer, (unsigned)packed->cbBuffer);
    (void)sspi_mem_free(packed->pvBuffer);
    packed->pvBuffer = NULL;
    packed->cbBuffer = 0;
    return SEC_E_INTERNAL_ERROR;
}

static SECURITY_STATUS sspap_import_context(struct sspi_context *ctx, bool ansi, PSecBuffer packed,
                                            void *token)
{
    struct sspi_package *pkg = ctx->pkg;
    LSA_SEC_HANDLE h = 0;
    SECURITY_STATUS st;

    if (!pkg->has_user || pkg->user.ImportContext == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = PKG_CALL(pkg, ansi, pkg->user.ImportContext(packed, token, &h));
    if (SEC_SUCCESS(st)) {
        atomic_store(&ctx->lsa, h);
        atomic_store(&ctx->mapped, true);
    }
    return st;
}

/* ---- attributes -------------------------------------------------------- */

/* The QueryContextAttributes of a context: the user-mode side's once the
 * context is mapped, else the LSA-mode side's. */
static SpQueryContextAttributesFn *context_query_fn(const struct sspi_context *ctx)
{
    const struct sspi_package *pkg = ctx->pkg;
    SpQueryContextAttributesFn *q = NULL;

    if (atomic_load(&ctx->mapped) && pkg->has_user)
        q = pkg->user.QueryContextAttributes;
    if (q == NULL && atomic_load(&ctx->has_lsa))
        q = pkg->lsa.QueryContextAttributes;
    if (q == NULL && pkg->has_user)
        q = pkg->user.QueryContextAttributes;
    return q;
}

static SECURITY_STATUS sspap_query_attr(enum sspi_handle_kind kind, void *obj, bool ansi,
                                        uint32_t attr, void *buf)
{
    bool cred = kind == SSPI_HANDLE_CREDENTIAL;
    struct sspi_package *pkg;
    SpQueryContextAttributesFn *q;
    LSA_SEC_HANDLE h;
    SECURITY_STATUS st, fs;

    if (cred) {
        struct sspi_credential *c = obj;

        pkg = c->pkg;
        q = pkg->lsa.QueryCredentialsAttributes;
        h = c->lsa;
    } else {
        struct sspi_context *c = obj;

        pkg = c->pkg;
        q = context_query_fn(c);
        h = ctx_lsa(c);
    }
    if (q == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = PKG_CALL(pkg, ansi, q(h, attr, buf));
    if (SEC_SUCCESS(st) && ansi) {
        fs = sspi_api_attr_fixup(cred, attr, buf, SSPI_FIXUP_W2A, sspi_api_mem_free_fn);
        if (fs != SEC_E_OK)
            st = fs;
    }
    return st;
}

static SECURITY_STATUS sspap_set_attr(enum sspi_handle_kind kind, void *obj, bool ansi,
                                      uint32_t attr, void *buf, uint32_t cb)
{
    if (kind == SSPI_HANDLE_CREDENTIAL) {
        struct sspi_credential *c = obj;

        if (c->pkg->lsa.SetCredentialsAttributes == NULL)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return PKG_CALL(c->pkg, ansi, c->pkg->lsa.SetCredentialsAttributes(c->lsa, attr, buf, cb));
    } else {
        struct sspi_context *c = obj;

        if (!atomic_load(&c->has_lsa) || c->pkg->lsa.SetContextAttributes == NULL)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return PKG_CALL(c->pkg, ansi, c->pkg->lsa.SetContextAttributes(ctx_lsa(c), attr, buf, cb));
    }
}

/* ---- packages ---------------------------------------------------------- */

static SECURITY_STATUS sspap_change_password(struct sspi_package *pkg,
                                             const struct sspi_password_args *a)
{
    UNICODE_STRING u[4];
    SECURITY_STATUS st;

    if (pkg->lsa.ChangeAccountPassword == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    for (int i = 0; i < 4; i++)
        if ((st = sspi_api_ustr(&u[i], a->w[i])) != SEC_E_OK)
            return st;
    return PKG_CALL(
        pkg, a->ansi,
        pkg->lsa.ChangeAccountPassword(&u[0], &u[1], &u[2], &u[3], a->impersonating, a->out));
}

const struct sspi_pkg_ops sspi_sspap_ops = {
    .acquire = sspap_acquire,
    .add_credentials = sspap_add_credentials,
    .free_credential = sspap_free_credential,
    .establish = sspap_establish,
    .delete_context = sspap_delete_context,
    .complete_token = sspap_complete_token,
    .apply_control = sspap_apply_control,
    .impersonate = sspap_impersonate,
    .context_token = sspap_context_token,
    .access_token = sspap_access_token,
    .export_context = sspap_export_context,
    .import_context = sspap_import_context,
    .query_attr = sspap_query_attr,
    .set_attr = sspap_set_attr,
    .change_password = sspap_change_password,
};
