/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-context.c - context entry points: InitializeSecurityContext (A/W),
 * AcceptSecurityContext, DeleteSecurityContext, CompleteAuthToken,
 * ApplyControlToken, impersonation, context attributes and
 * export/import.
 *
 * Status choices for bad input (all entry points here):
 *   NULL, invalid, stale, deleted or credential (wrong-kind) handle, NULL
 *   phNewContext/phContext out pointer                 SEC_E_INVALID_HANDLE
 *   credential of another package than the context     SEC_E_WRONG_CREDENTIAL_HANDLE
 *   bad SecBufferDesc (version, cBuffers 0 or > 64,
 *   pBuffers NULL, cbBuffer > 0 with pvBuffer NULL),
 *   NULL packed context for import                     SEC_E_INVALID_TOKEN
 *   NULL attribute buffer / out pointer, target name
 *   too long or invalid UTF-8                          SEC_E_INVALID_PARAMETER
 *   Ex form with cbBuffer below the structure          SEC_E_BUFFER_TOO_SMALL
 *   unknown or removed package (import)                SEC_E_SECPKG_NOT_FOUND
 *   package slot not implemented                       SEC_E_UNSUPPORTED_FUNCTION
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/dispatch.h"
#include "core/token.h"

void sspi_api_context_destroy(void *obj)
{
    struct sspi_context *ctx = obj;

    sspi_impersonation_context_gone(ctx); /* impersonate.c */
    ctx->pkg->ops->delete_context(ctx);
    explicit_bzero(ctx, sizeof(*ctx));
    free(ctx);
}

static struct sspi_context *context_new(struct sspi_package *pkg)
{
    struct sspi_context *ctx = calloc(1, sizeof(*ctx));

    if (ctx != NULL) {
        ctx->pkg = pkg;
        atomic_init(&ctx->lsa, 0);
        atomic_init(&ctx->has_lsa, false);
        atomic_init(&ctx->mapped, false);
        atomic_init(&ctx->prov_live, false);
        atomic_init(&ctx->complete, false);
    }
    return ctx;
}

/* Free a context object the package holds nothing for. */
static void context_drop(struct sspi_context *ctx)
{
    if (ctx != NULL) {
        explicit_bzero(ctx, sizeof(*ctx));
        free(ctx);
    }
}

/* ---- InitializeSecurityContext / AcceptSecurityContext ----------------- */

/* What one leg holds while it runs. */
struct establish_state {
    struct sspi_slot *cslot, *xslot;
    struct sspi_credential *cred;
    struct sspi_context *ctx;   /* the context of a continuation leg */
    struct sspi_context *fresh; /* the new context of a first leg */
    struct sspi_package *pkg;
    bool prealloc;
    void *ours[SSPI_MAX_BUFFERS];
    struct sspi_establish_result r;
};

/* The context and credential handles: a continuation leg names its
 * context, a first leg its credential (which must be of the context's
 * package when both are given). */
static SECURITY_STATUS resolve_handles(const struct sspi_establish_args *a,
                                       struct establish_state *s)
{
    if (a->phContext != NULL) {
        s->ctx = sspi_handle_acquire(a->phContext, SSPI_HANDLE_CONTEXT, &s->xslot);
        if (s->ctx == NULL)
            return SEC_E_INVALID_HANDLE;
        s->pkg = s->ctx->pkg;
    }
    if (a->phCredential != NULL) {
        s->cred = sspi_handle_acquire(a->phCredential, SSPI_HANDLE_CREDENTIAL, &s->cslot);
        if (s->cred == NULL)
            return SEC_E_INVALID_HANDLE;
        if (s->ctx != NULL && s->cred->pkg != s->ctx->pkg)
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        s->pkg = s->cred->pkg;
    } else if (s->ctx == NULL) {
        return SEC_E_INVALID_HANDLE;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS check_establish_args(const struct sspi_establish_args *a, bool alloc)
{
    SECURITY_STATUS st;

    if (a->phNew == NULL)
        return SEC_E_INVALID_HANDLE;
    /* An output buffer with a size but no memory reaches the package even
     * without ALLOCATE_MEMORY: Windows' packages answer it themselves
     * (NTLM: SEC_E_INTERNAL_ERROR), and the check after the call keeps
     * what they hand back honest. */
    (void)alloc;
    if ((st = sspi_api_check_desc(a->in, true, false)) != SEC_E_OK ||
        (st = sspi_api_check_desc(a->out, true, true)) != SEC_E_OK)
        return st;
    return a->target_bad ? SEC_E_INVALID_PARAMETER : SEC_E_OK;
}

/* ALLOCATE_MEMORY: a cbMaxToken block for each output buffer without one. */
static SECURITY_STATUS prealloc_out(const struct sspi_establish_args *a, struct establish_state *s)
{
    uint32_t size = s->pkg->info.cbMaxToken ? s->pkg->info.cbMaxToken : SSPI_DEFAULT_MAX_TOKEN;
    SECURITY_STATUS st;

    if (a->out == NULL)
        return SEC_E_OK;
    st = sspi_api_out_prealloc(a->out, size, s->ours);
    s->prealloc = st == SEC_E_OK;
    return st;
}

/* The package's leg, on the context or a fresh one, then the check of what
 * it did to the output buffers (a broken one fails the leg). */
static SECURITY_STATUS dispatch_leg(const struct sspi_establish_args *a, struct establish_state *s)
{
    struct sspi_context *target = s->ctx;
    struct sspi_out_snapshot snap;
    SECURITY_STATUS st;

    if (target == NULL) {
        target = s->fresh = context_new(s->pkg);
        if (target == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
    }
    sspi_api_out_snapshot(a->out, &snap);
    st = s->pkg->ops->establish(a, s->cred, target, s->fresh != NULL, &s->r);
    if (!sspi_api_out_verify(a->out, &snap, a->fn, s->pkg)) {
        if (SEC_SUCCESS(st) && s->fresh != NULL)
            s->pkg->ops->delete_context(s->fresh);
        st = SEC_E_INTERNAL_ERROR;
    }
    return st;
}

/* After a successful leg: publish a new context under a new handle (a
 * continuation keeps its handle), and fill the caller's outputs. */
static SECURITY_STATUS adopt_new_context(const struct sspi_establish_args *a,
                                         struct establish_state *s, SECURITY_STATUS st)
{
    atomic_store(&(s->fresh != NULL ? s->fresh : s->ctx)->complete,
                 st == SEC_E_OK || st == SEC_I_COMPLETE_NEEDED);
    if (s->fresh != NULL) {
        SECURITY_STATUS hs =
            sspi_handle_create(SSPI_HANDLE_CONTEXT, s->fresh, sspi_api_context_destroy, a->phNew);

        if (hs != SEC_E_OK) {
            sspi_api_context_destroy(s->fresh);
            s->fresh = NULL;
            return hs;
        }
        s->fresh = NULL;
    } else if (a->phNew != a->phContext) {
        *a->phNew = *a->phContext;
    }
    if (a->req & ISC_REQ_ALLOCATE_MEMORY)       /* == ASC_REQ_ALLOCATE_MEMORY */
        s->r.attrs |= ISC_RET_ALLOCATED_MEMORY; /* == ASC_RET_ALLOCATED_MEMORY */
    if (a->pattr != NULL)
        *a->pattr = s->r.attrs;
    if (a->pexp != NULL)
        *a->pexp = s->r.expiry;
    return st;
}

static void report_establish(const struct sspi_establish_args *a, const struct establish_state *s,
                             SECURITY_STATUS st, uint64_t t0)
{
    char flags[512];

    sspi_trace_call(a->fn, sspi_pkg_name(s->pkg), SEC_SUCCESS(st) ? a->phNew : a->phContext,
                    sspi_api_flags_text(a->accept ? sspi_asc_req_names : sspi_isc_req_names, a->req,
                                        flags, sizeof(flags)),
                    st, t0);
}

/* See api-internal.h and InitializeSecurityContextW. */
SECURITY_STATUS sspi_api_establish(const struct sspi_establish_args *a)
{
    TRACE_BEGIN();
    struct establish_state s;
    bool alloc = (a->req & ISC_REQ_ALLOCATE_MEMORY) != 0; /* == ASC_REQ_ALLOCATE_MEMORY */
    SECURITY_STATUS st;

    memset(&s, 0, sizeof(s));
    sspi_hazards_prepare();
    st = resolve_handles(a, &s);
    if (st == SEC_E_OK)
        st = check_establish_args(a, alloc);
    if (st == SEC_E_OK && alloc)
        st = prealloc_out(a, &s);
    if (st == SEC_E_OK)
        st = dispatch_leg(a, &s);
    if (SEC_SUCCESS(st))
        st = adopt_new_context(a, &s, st);
    context_drop(s.fresh);
    if (s.prealloc)
        sspi_api_out_finish(a->out, s.ours, SEC_SUCCESS(st));
    if (s.cslot != NULL)
        sspi_handle_release(s.cslot);
    if (s.xslot != NULL)
        sspi_handle_release(s.xslot);
    if (TRACE_ON())
        report_establish(a, &s, st, TRACE_T0);
    return st;
}

/*
 * InitializeSecurityContextW: one client leg.  First call: phContext NULL,
 * phCredential required; on a success status (SEC_E_OK, SEC_I_*) a new
 * context handle is written to *phNewContext.  If the first leg fails no
 * handle is created and *phNewContext is untouched.  Later legs pass the
 * handle in phContext and get the same handle back; a failing later leg
 * leaves the context valid (the caller deletes it).  With
 * ISC_REQ_ALLOCATE_MEMORY every output buffer with a NULL pvBuffer gets a
 * cbMaxToken block (freed by FreeContextBuffer) and ISC_RET_ALLOCATED_MEMORY
 * is reported.  Statuses: see the top of this file, plus the package's.
 */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName, uint32_t fContextReq,
    uint32_t Reserved1, uint32_t TargetDataRep, PSecBufferDesc pInput, uint32_t Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, uint32_t *pfContextAttr, PTimeStamp ptsExpiry)
{
    struct sspi_establish_args a = {
        .fn = "InitializeSecurityContextW",
        .accept = false,
        .ansi = false,
        .phCredential = phCredential,
        .phContext = phContext,
        .target_w = pszTargetName,
        .req = fContextReq,
        .reserved1 = Reserved1,
        .drep = TargetDataRep,
        .in = pInput,
        .reserved2 = Reserved2,
        .phNew = phNewContext,
        .out = pOutput,
        .pattr = pfContextAttr,
        .pexp = ptsExpiry,
    };

    sspi_registry_init();
    return sspi_api_establish(&a);
}

/* InitializeSecurityContextA: as the W form with a UTF-8 target name
 * (converted for SSP/AP packages, which see SECPKG_CALL_ANSI). */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName, uint32_t fContextReq,
    uint32_t Reserved1, uint32_t TargetDataRep, PSecBufferDesc pInput, uint32_t Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, uint32_t *pfContextAttr, PTimeStamp ptsExpiry)
{
    char16_t *target = NULL;
    struct sspi_establish_args a = {
        .fn = "InitializeSecurityContextA",
        .accept = false,
        .ansi = true,
        .phCredential = phCredential,
        .phContext = phContext,
        .target_a = pszTargetName,
        .req = fContextReq,
        .reserved1 = Reserved1,
        .drep = TargetDataRep,
        .in = pInput,
        .reserved2 = Reserved2,
        .phNew = phNewContext,
        .out = pOutput,
        .pattr = pfContextAttr,
        .pexp = ptsExpiry,
    };
    SECURITY_STATUS st;

    sspi_registry_init();
    a.target_bad = !sspi_api_a2w(pszTargetName, &target);
    a.target_w = target;
    st = sspi_api_establish(&a);
    free(target);
    return st;
}

/* AcceptSecurityContext: one server leg; handle rules as for
 * InitializeSecurityContextW (ASC_REQ_ALLOCATE_MEMORY likewise). */
SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, uint32_t fContextReq,
                                                uint32_t TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, uint32_t *pfContextAttr,
                                                PTimeStamp ptsExpiry)
{
    struct sspi_establish_args a = {
        .fn = "AcceptSecurityContext",
        .accept = true,
        .phCredential = phCredential,
        .phContext = phContext,
        .req = fContextReq,
        .drep = TargetDataRep,
        .in = pInput,
        .phNew = phNewContext,
        .out = pOutput,
        .pattr = pfContextAttr,
        .pexp = ptsExpiry,
    };

    sspi_registry_init();
    return sspi_api_establish(&a);
}

/* See api-internal.h. */
SECURITY_STATUS sspi_api_delete_context(const char *fn, PCtxtHandle ph)
{
    TRACE_BEGIN();
    SECURITY_STATUS st = sspi_handle_close(ph, SSPI_HANDLE_CONTEXT);

    if (TRACE_ON())
        sspi_trace_call(fn, NULL, ph, NULL, st, TRACE_T0);
    return st;
}

/*
 * DeleteSecurityContext: close a context handle.  New calls on it fail at
 * once; the package's DeleteUserModeContext / DeleteContext run when the
 * last in-flight call on it returns.  SEC_E_INVALID_HANDLE for NULL,
 * invalid, stale or already deleted handles.
 */
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    sspi_registry_init();
    return sspi_api_delete_context("DeleteSecurityContext", phContext);
}

/* ---- simple context calls ----------------------------------------------- */

/* See api-internal.h. */
SECURITY_STATUS sspi_api_context_op(const char *fn, enum sspi_ctx_op op, PCtxtHandle ph,
                                    PSecBufferDesc desc, HANDLE *token)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    switch (op) {
    case SSPI_OP_COMPLETE:
    case SSPI_OP_APPLY:
        if ((st = sspi_api_check_desc(desc, false, false)) != SEC_E_OK)
            goto out;
        st = op == SSPI_OP_COMPLETE ? pkg->ops->complete_token(ctx, desc)
                                    : pkg->ops->apply_control(ctx, desc);
        break;
    case SSPI_OP_IMPERSONATE:
    case SSPI_OP_REVERT:
        st = pkg->ops->impersonate(ctx, ph, op == SSPI_OP_IMPERSONATE);
        break;
    case SSPI_OP_TOKEN:
        st = token != NULL ? pkg->ops->context_token(ctx, ph, token) : SEC_E_INVALID_PARAMETER;
        break;
    default:
        st = SEC_E_INTERNAL_ERROR;
        break;
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (TRACE_ON())
        sspi_trace_call(fn, sspi_pkg_name(pkg), ph, NULL, st, TRACE_T0);
    return st;
}

/* CompleteAuthToken: user-mode CompleteAuthToken of the package.  pToken
 * must be a valid SecBufferDesc (else SEC_E_INVALID_TOKEN). */
SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    sspi_registry_init();
    return sspi_api_context_op("CompleteAuthToken", SSPI_OP_COMPLETE, phContext, pToken, NULL);
}

/* ApplyControlToken: LSA-mode ApplyControlToken of the package (not
 * available on imported contexts: SEC_E_UNSUPPORTED_FUNCTION). */
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    sspi_registry_init();
    return sspi_api_context_op("ApplyControlToken", SSPI_OP_APPLY, phContext, pInput, NULL);
}

/* ImpersonateSecurityContext: take the identity of the client of a server
 * context on the calling thread (impersonate.c: switch the file identity,
 * or track it, as the `impersonation` setting says). */
SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    sspi_registry_init();
    return sspi_api_context_op("ImpersonateSecurityContext", SSPI_OP_IMPERSONATE, phContext, NULL,
                               NULL);
}

/* RevertSecurityContext: end the calling thread's impersonation (SEC_E_OK
 * also when it was not impersonating).  The handle the thread impersonated
 * is accepted even after DeleteSecurityContext. */
SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    sspi_registry_init();
    if (sspi_revert_stale(phContext)) /* impersonate.c */
        return SEC_E_OK;
    return sspi_api_context_op("RevertSecurityContext", SSPI_OP_REVERT, phContext, NULL, NULL);
}

/* QuerySecurityContextToken: for a server context, a new access token
 * handle closed with CloseHandle (impersonate.c); else the package's
 * GetContextToken result.  NULL Token -> SEC_E_INVALID_PARAMETER. */
SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, HANDLE *Token)
{
    sspi_registry_init();
    return sspi_api_context_op("QuerySecurityContextToken", SSPI_OP_TOKEN, phContext, NULL, Token);
}

/* ---- context attributes ------------------------------------------------- */

/*
 * QueryContextAttributesW: attribute ulAttribute of a context into pBuffer
 * (the caller's structure for that attribute; members the package
 * allocates are freed with FreeContextBuffer).  Dispatched to the user-mode
 * table when the context is mapped, else to the LSA-mode table.
 * SECPKG_ATTR_PACKAGE_INFO and SECPKG_ATTR_NEGOTIATION_INFO are answered by
 * the core if the package does not implement them.  NULL pBuffer ->
 * SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryContextAttributesW", SSPI_HANDLE_CONTEXT, false, false,
                                     phContext, ulAttribute, pBuffer, 0);
}

/* QueryContextAttributesA: as the W form; string members of NAMES,
 * NATIVE_NAMES, PACKAGE_INFO, KEY_INFO, NEGOTIATION_INFO, AUTHORITY,
 * PROTO_INFO and CREDENTIAL_NAME come back as UTF-8. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryContextAttributesA", SSPI_HANDLE_CONTEXT, true, false,
                                     phContext, ulAttribute, pBuffer, 0);
}

/* QueryContextAttributesExW: with the size of pBuffer (0 ->
 * SEC_E_INVALID_PARAMETER; below the attribute's structure ->
 * SEC_E_BUFFER_TOO_SMALL). */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryContextAttributesExW", SSPI_HANDLE_CONTEXT, false, true,
                                     phContext, ulAttribute, pBuffer, cbBuffer);
}

/* QueryContextAttributesExA: the A form of the Ex call. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryContextAttributesExA", SSPI_HANDLE_CONTEXT, true, true,
                                     phContext, ulAttribute, pBuffer, cbBuffer);
}

/* SetContextAttributesW: LSA-mode SetContextAttributes of the package.
 * NULL pBuffer with cbBuffer > 0 -> SEC_E_INVALID_PARAMETER; imported
 * (user-mode only) contexts -> SEC_E_UNSUPPORTED_FUNCTION. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_set_attributes("SetContextAttributesW", SSPI_HANDLE_CONTEXT, false, phContext,
                                   ulAttribute, pBuffer, cbBuffer);
}

/* SetContextAttributesA: the structure passes unchanged; the package sees
 * SECPKG_CALL_ANSI. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_set_attributes("SetContextAttributesA", SSPI_HANDLE_CONTEXT, true, phContext,
                                   ulAttribute, pBuffer, cbBuffer);
}

/* ---- export / import ---------------------------------------------------- */

/* See api-internal.h and ExportSecurityContext. */
SECURITY_STATUS sspi_api_export(const char *fn, PCtxtHandle ph, uint32_t flags, PSecBuffer packed,
                                void **token)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    uint32_t pkg_flags = flags & ~(uint32_t)SECPKG_CONTEXT_EXPORT_DELETE_OLD;
    SECURITY_STATUS st;

    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    if (packed == NULL) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    st = pkg->ops->export_context(ctx, pkg_flags, packed, token);
    if (SEC_SUCCESS(st) && (flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD) &&
        !sspi_handle_close_slot(slot)) {
        sspi_mem_free(packed->pvBuffer);
        packed->pvBuffer = NULL;
        packed->cbBuffer = 0;
        st = SEC_E_INVALID_HANDLE;
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (TRACE_ON())
        sspi_trace_call(fn, sspi_pkg_name(pkg), ph, NULL, st, TRACE_T0);
    return st;
}

/*
 * ExportSecurityContext: the package's user-mode ExportContext serialises
 * the context into pPackedContext->pvBuffer (freed with FreeContextBuffer).
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD is carried out here, not by the package:
 * the package only serialises, then the handle is closed, so its
 * DeleteUserModeContext/DeleteContext run when the last call still using
 * the context returns, as for DeleteSecurityContext.  If another thread
 * deleted the handle meanwhile, the blob is wiped and SEC_E_INVALID_HANDLE
 * returned.  NULL pPackedContext -> SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, uint32_t fFlags,
                                                PSecBuffer pPackedContext, void **pToken)
{
    sspi_registry_init();
    return sspi_api_export("ExportSecurityContext", phContext, fFlags, pPackedContext, pToken);
}

/* See api-internal.h and ImportSecurityContextW. */
SECURITY_STATUS sspi_api_import(const char *fn, struct sspi_package *pkg, const void *asked,
                                bool ansi, PSecBuffer packed, void *token, PCtxtHandle ph)
{
    TRACE_BEGIN();
    struct sspi_context *ctx = NULL;
    SECURITY_STATUS st;

    sspi_hazards_prepare();
    if (ph == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if (pkg == NULL) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    if (packed == NULL || packed->cbBuffer == 0 || packed->pvBuffer == NULL) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    ctx = context_new(pkg);
    if (ctx == NULL) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    st = pkg->ops->import_context(ctx, ansi, packed, token);
    if (!SEC_SUCCESS(st))
        goto out;
    atomic_store(&ctx->complete, true);
    st = sspi_handle_create(SSPI_HANDLE_CONTEXT, ctx, sspi_api_context_destroy, ph);
    if (st != SEC_E_OK)
        sspi_api_context_destroy(ctx);
    ctx = NULL;
out:
    context_drop(ctx);
    if (TRACE_ON()) {
        char name[SSPI_TRACE_NAME_MAX];

        sspi_trace_call(fn, sspi_api_trace_name(pkg, ansi, asked, name, sizeof(name)),
                        SEC_SUCCESS(st) ? ph : NULL, NULL, st, TRACE_T0);
    }
    return st;
}

/*
 * ImportSecurityContextW: rebuild an exported context in package
 * pszPackage through its user-mode ImportContext; *phContext gets a new
 * user-mode-only context handle (delete with DeleteSecurityContext).
 * NULL or unknown package -> SEC_E_SECPKG_NOT_FOUND; NULL pPackedContext,
 * or one with no bytes -> SEC_E_INVALID_TOKEN (for every package alike);
 * NULL phContext -> SEC_E_INVALID_HANDLE.
 */
SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext)
{
    sspi_registry_init();
    return sspi_api_import("ImportSecurityContextW", sspi_api_find(false, pszPackage), pszPackage,
                           false, pPackedContext, Token, phContext);
}

/* ImportSecurityContextA: as the W form with a UTF-8 package name. */
SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext)
{
    sspi_registry_init();
    return sspi_api_import("ImportSecurityContextA", sspi_api_find(true, pszPackage), pszPackage,
                           true, pPackedContext, Token, phContext);
}
