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
#include "core/api-internal.h"
#include "core/token.h"

#define TRACE_BEGIN()                                                                              \
    bool tr_ = sspi_trace_enabled();                                                               \
    uint64_t t0_ = tr_ ? sspi_trace_now_ns() : 0

static inline LSA_SEC_HANDLE ctx_lsa(struct sspi_context *ctx)
{
    return atomic_load_explicit(&ctx->lsa, memory_order_relaxed);
}

void sspi_api_context_destroy(void *obj)
{
    struct sspi_context *ctx = obj;
    struct sspi_package *pkg = ctx->pkg;

    sspi_impersonation_context_gone(ctx);
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        DELETE_SECURITY_CONTEXT_FN fn = SSPI_PROV_FN(pkg, DeleteSecurityContext);

        if (fn != NULL && atomic_load(&ctx->prov_live))
            fn(&ctx->prov);
    } else {
        if (atomic_load(&ctx->mapped) && pkg->has_user && pkg->user.DeleteUserModeContext)
            pkg->user.DeleteUserModeContext(ctx_lsa(ctx));
        if (atomic_load(&ctx->has_lsa) && pkg->lsa.DeleteContext != NULL)
            pkg->lsa.DeleteContext(ctx_lsa(ctx));
    }
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
    }
    return ctx;
}

/* ---- InitializeSecurityContext / AcceptSecurityContext ----------------- */

struct establish_args {
    bool accept;
    bool ansi;
    PCredHandle phCredential;
    PCtxtHandle phContext;
    const char16_t *target_w;
    const char *target_a;
    bool target_bad;
    uint32_t req;
    uint32_t reserved1;
    uint32_t drep;
    PSecBufferDesc in;
    uint32_t reserved2;
    PCtxtHandle phNew;
    PSecBufferDesc out;
    uint32_t *pattr;
    PTimeStamp pexp;
};

/* Provider-shape leg: forward with the provider's own handles. */
static SECURITY_STATUS establish_provider(const struct establish_args *a, struct sspi_package *pkg,
                                          struct sspi_credential *cred, struct sspi_context *ctx,
                                          CtxtHandle *newp, uint32_t req, uint32_t *rattr,
                                          TimeStamp *ts)
{
    PCredHandle pc = cred != NULL ? &cred->prov : NULL;
    PCtxtHandle px = ctx != NULL ? &ctx->prov : NULL;
    SECURITY_STATUS st;

    if (a->accept) {
        ACCEPT_SECURITY_CONTEXT_FN fn = SSPI_PROV_FN(pkg, AcceptSecurityContext);

        if (fn == NULL)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return fn(pc, px, a->in, req, a->drep, newp, a->out, rattr, ts);
    }
    if (a->ansi && pkg->prov_a != NULL && pkg->prov_a->InitializeSecurityContextA != NULL)
        return pkg->prov_a->InitializeSecurityContextA(pc, px, (SEC_CHAR *)a->target_a, req,
                                                       a->reserved1, a->drep, a->in, a->reserved2,
                                                       newp, a->out, rattr, ts);
    if (pkg->prov_w != NULL && pkg->prov_w->InitializeSecurityContextW != NULL)
        return pkg->prov_w->InitializeSecurityContextW(pc, px, (SEC_WCHAR *)a->target_w, req,
                                                       a->reserved1, a->drep, a->in, a->reserved2,
                                                       newp, a->out, rattr, ts);
    if (pkg->prov_a != NULL && pkg->prov_a->InitializeSecurityContextA != NULL) {
        char *t = NULL;

        if (a->target_w != NULL) {
            t = sspi_utf16_to_utf8(a->target_w, SSPI_UTF16_NUL_TERMINATED, NULL);
            if (t == NULL)
                return SEC_E_INVALID_PARAMETER;
        }
        st = pkg->prov_a->InitializeSecurityContextA(pc, px, t, req, a->reserved1, a->drep, a->in,
                                                     a->reserved2, newp, a->out, rattr, ts);
        free(t);
        return st;
    }
    return SEC_E_UNSUPPORTED_FUNCTION;
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
    st = sspi_status_from_nt(pkg->user.InitUserModeContext(h, &packed));
    if (copy != NULL && !sspi_mem_unwatch())
        (void)sspi_mem_free(copy);
    return st;
}

static SECURITY_STATUS establish(const struct establish_args *a)
{
    TRACE_BEGIN();
    struct sspi_slot *cslot = NULL, *xslot = NULL;
    struct sspi_credential *cred = NULL;
    struct sspi_context *ctx = NULL, *fresh = NULL;
    struct sspi_package *pkg = NULL;
    void *ours[SSPI_MAX_BUFFERS];
    bool alloc = (a->req & ISC_REQ_ALLOCATE_MEMORY) != 0; /* == ASC_REQ_ALLOCATE_MEMORY */
    bool prealloc = false;
    uint32_t rattr = 0;
    TimeStamp ts = {.QuadPart = 0};
    SECURITY_STATUS st;

    if (a->phContext != NULL) {
        ctx = sspi_handle_acquire(a->phContext, SSPI_HANDLE_CONTEXT, &xslot);
        if (ctx == NULL) {
            st = SEC_E_INVALID_HANDLE;
            goto out;
        }
        pkg = ctx->pkg;
    }
    if (a->phCredential != NULL) {
        cred = sspi_handle_acquire(a->phCredential, SSPI_HANDLE_CREDENTIAL, &cslot);
        if (cred == NULL) {
            st = SEC_E_INVALID_HANDLE;
            goto out;
        }
        if (ctx != NULL && cred->pkg != ctx->pkg) {
            st = SEC_E_WRONG_CREDENTIAL_HANDLE;
            goto out;
        }
        pkg = cred->pkg;
    } else if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if (a->phNew == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if ((st = sspi_api_check_desc(a->in, true, false)) != SEC_E_OK ||
        (st = sspi_api_check_desc(a->out, true, alloc)) != SEC_E_OK)
        goto out;
    if (a->target_bad) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (alloc && a->out != NULL) {
        st = sspi_api_out_prealloc(
            a->out, pkg->info.cbMaxToken ? pkg->info.cbMaxToken : SSPI_DEFAULT_MAX_TOKEN, ours);
        if (st != SEC_E_OK)
            goto out;
        prealloc = true;
    }

    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        CtxtHandle newp = ctx != NULL ? ctx->prov : (CtxtHandle){0, 0};

        /* The buffers are ours already: the provider fills them in. */
        st = establish_provider(a, pkg, cred, ctx, &newp,
                                a->req & ~(uint32_t)ISC_REQ_ALLOCATE_MEMORY, &rattr, &ts);
        if (SEC_SUCCESS(st)) {
            if (ctx != NULL) {
                ctx->prov = newp;
            } else {
                fresh = context_new(pkg);
                if (fresh == NULL) {
                    DELETE_SECURITY_CONTEXT_FN del = SSPI_PROV_FN(pkg, DeleteSecurityContext);

                    if (del != NULL)
                        del(&newp);
                    st = SEC_E_INSUFFICIENT_MEMORY;
                    goto out;
                }
                fresh->prov = newp;
                atomic_store(&fresh->prov_live, true);
            }
        }
    } else {
        LSA_SEC_HANDLE newh = ctx != NULL ? ctx_lsa(ctx) : 0;
        BOOLEAN mapped = 0;
        SecBuffer cdata = {0, SECBUFFER_EMPTY, NULL};

        SSPI_CALL_ANSI_BEGIN(a->ansi);
        if (a->accept) {
            if (pkg->lsa.AcceptLsaModeContext == NULL) {
                st = SEC_E_UNSUPPORTED_FUNCTION;
            } else {
                st = sspi_status_from_nt(pkg->lsa.AcceptLsaModeContext(
                    cred != NULL ? cred->lsa : 0, ctx != NULL ? ctx_lsa(ctx) : 0, a->in, a->req,
                    a->drep, &newh, a->out, &rattr, &ts, &mapped, &cdata));
            }
        } else {
            UNICODE_STRING tn;

            st = sspi_api_ustr(&tn, a->target_w);
            if (st == SEC_E_OK && pkg->lsa.InitLsaModeContext == NULL)
                st = SEC_E_UNSUPPORTED_FUNCTION;
            if (st == SEC_E_OK)
                st = sspi_status_from_nt(pkg->lsa.InitLsaModeContext(
                    cred != NULL ? cred->lsa : 0, ctx != NULL ? ctx_lsa(ctx) : 0, &tn, a->req,
                    a->drep, a->in, &newh, a->out, &rattr, &ts, &mapped, &cdata));
        }
        SSPI_CALL_ANSI_END();

        if (SEC_SUCCESS(st)) {
            struct sspi_context *c = ctx;

            if (c == NULL) {
                c = fresh = context_new(pkg);
                if (fresh == NULL) {
                    if (pkg->lsa.DeleteContext != NULL)
                        pkg->lsa.DeleteContext(newh);
                    st = SEC_E_INSUFFICIENT_MEMORY;
                }
            }
            if (c != NULL) {
                atomic_store(&c->lsa, newh);
                atomic_store(&c->has_lsa, true);
                if (a->accept && st == SEC_E_OK)
                    sspi_impersonation_accepted(c);
                if (mapped && pkg->has_user && pkg->user.InitUserModeContext != NULL) {
                    SECURITY_STATUS us = map_user_context(pkg, newh, &cdata);

                    if (SEC_SUCCESS(us))
                        atomic_store(&c->mapped, true);
                    else
                        st = us;
                }
            }
        }
        /* The LSA-mode copy is the host's to release (FreeLsaHeap). */
        if (cdata.pvBuffer != NULL) {
            if (!sspi_mem_free(cdata.pvBuffer))
                explicit_bzero(cdata.pvBuffer, cdata.cbBuffer);
        }
        if (fresh != NULL && !SEC_SUCCESS(st)) {
            sspi_api_context_destroy(fresh);
            fresh = NULL;
        }
    }
    if (!SEC_SUCCESS(st))
        goto out;

    if (fresh != NULL) {
        SECURITY_STATUS hs =
            sspi_handle_create(SSPI_HANDLE_CONTEXT, fresh, sspi_api_context_destroy, a->phNew);

        if (hs != SEC_E_OK) {
            sspi_api_context_destroy(fresh);
            fresh = NULL;
            st = hs;
            goto out;
        }
        fresh = NULL;
    } else if (a->phNew != a->phContext) {
        *a->phNew = *a->phContext;
    }
    if (alloc)
        rattr |= ISC_RET_ALLOCATED_MEMORY; /* == ASC_RET_ALLOCATED_MEMORY */
    if (a->pattr != NULL)
        *a->pattr = rattr;
    if (a->pexp != NULL)
        *a->pexp = ts;
out:
    if (prealloc)
        sspi_api_out_finish(a->out, ours, SEC_SUCCESS(st));
    if (cslot != NULL)
        sspi_handle_release(cslot);
    if (xslot != NULL)
        sspi_handle_release(xslot);
    if (tr_) {
        char flags[512];

        sspi_trace_call(a->accept ? "AcceptSecurityContext"
                        : a->ansi ? "InitializeSecurityContextA"
                                  : "InitializeSecurityContextW",
                        pkg, SEC_SUCCESS(st) ? a->phNew : a->phContext,
                        sspi_api_flags_text(a->accept ? sspi_asc_req_names : sspi_isc_req_names,
                                            a->req, flags, sizeof(flags)),
                        st, t0_);
    }
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
    struct establish_args a = {
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
    return establish(&a);
}

/* InitializeSecurityContextA: as the W form with a UTF-8 target name
 * (converted for SSP/AP packages, which see SECPKG_CALL_ANSI). */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName, uint32_t fContextReq,
    uint32_t Reserved1, uint32_t TargetDataRep, PSecBufferDesc pInput, uint32_t Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, uint32_t *pfContextAttr, PTimeStamp ptsExpiry)
{
    char16_t *target = NULL;
    struct establish_args a = {
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
    st = establish(&a);
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
    struct establish_args a = {
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
    return establish(&a);
}

/*
 * DeleteSecurityContext: close a context handle.  New calls on it fail at
 * once; the package's DeleteUserModeContext / DeleteContext run when the
 * last in-flight call on it returns.  SEC_E_INVALID_HANDLE for NULL,
 * invalid, stale or already deleted handles.
 */
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    TRACE_BEGIN();
    SECURITY_STATUS st;

    sspi_registry_init();
    st = sspi_handle_close(phContext, SSPI_HANDLE_CONTEXT);
    if (tr_)
        sspi_trace_call("DeleteSecurityContext", NULL, phContext, NULL, st, t0_);
    return st;
}

/* ---- simple context calls ----------------------------------------------- */

enum simple_op { OP_COMPLETE, OP_APPLY, OP_IMPERSONATE, OP_REVERT, OP_TOKEN };

static SECURITY_STATUS simple_call(const char *fn, enum simple_op op, PCtxtHandle ph,
                                   PSecBufferDesc desc, HANDLE *token)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    sspi_registry_init();
    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    switch (op) {
    case OP_COMPLETE:
    case OP_APPLY:
        if ((st = sspi_api_check_desc(desc, false, false)) != SEC_E_OK)
            goto out;
        if (pkg->shape == SSPI_SHAPE_PROVIDER) {
            COMPLETE_AUTH_TOKEN_FN f = op == OP_COMPLETE ? SSPI_PROV_FN(pkg, CompleteAuthToken)
                                                         : SSPI_PROV_FN(pkg, ApplyControlToken);
            st = f != NULL ? f(&ctx->prov, desc) : SEC_E_UNSUPPORTED_FUNCTION;
        } else if (op == OP_COMPLETE) {
            st = pkg->has_user && pkg->user.CompleteAuthToken != NULL
                     ? sspi_status_from_nt(pkg->user.CompleteAuthToken(ctx_lsa(ctx), desc))
                     : SEC_E_UNSUPPORTED_FUNCTION;
        } else {
            st = atomic_load(&ctx->has_lsa) && pkg->lsa.ApplyControlToken != NULL
                     ? sspi_status_from_nt(pkg->lsa.ApplyControlToken(ctx_lsa(ctx), desc))
                     : SEC_E_UNSUPPORTED_FUNCTION;
        }
        break;
    case OP_IMPERSONATE:
    case OP_REVERT:
        st = sspi_impersonation_call(op == OP_IMPERSONATE, ph, ctx); /* impersonate.c */
        break;
    case OP_TOKEN:
        if (token == NULL) {
            st = SEC_E_INVALID_PARAMETER;
        } else if (pkg->shape != SSPI_SHAPE_PROVIDER &&
                   (st = sspi_context_token_handle(ph, ctx, token)) != SEC_E_NO_IMPERSONATION) {
            /* a server context: the core's token (impersonate.c) */
        } else if (pkg->shape == SSPI_SHAPE_PROVIDER) {
            QUERY_SECURITY_CONTEXT_TOKEN_FN f = SSPI_PROV_FN(pkg, QuerySecurityContextToken);
            st = f != NULL ? f(&ctx->prov, token) : SEC_E_UNSUPPORTED_FUNCTION;
        } else {
            st = pkg->has_user && pkg->user.GetContextToken != NULL
                     ? sspi_status_from_nt(pkg->user.GetContextToken(ctx_lsa(ctx), token))
                     : SEC_E_UNSUPPORTED_FUNCTION;
        }
        break;
    default:
        st = SEC_E_INTERNAL_ERROR;
        break;
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call(fn, pkg, ph, NULL, st, t0_);
    return st;
}

/* CompleteAuthToken: user-mode CompleteAuthToken of the package.  pToken
 * must be a valid SecBufferDesc (else SEC_E_INVALID_TOKEN). */
SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    return simple_call("CompleteAuthToken", OP_COMPLETE, phContext, pToken, NULL);
}

/* ApplyControlToken: LSA-mode ApplyControlToken of the package (not
 * available on imported contexts: SEC_E_UNSUPPORTED_FUNCTION). */
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    return simple_call("ApplyControlToken", OP_APPLY, phContext, pInput, NULL);
}

/* ImpersonateSecurityContext: take the identity of the client of a server
 * context on the calling thread (impersonate.c: switch the file identity,
 * or track it, as the `impersonation` setting says). */
SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    return simple_call("ImpersonateSecurityContext", OP_IMPERSONATE, phContext, NULL, NULL);
}

/* RevertSecurityContext: end the calling thread's impersonation (SEC_E_OK
 * also when it was not impersonating).  The handle the thread impersonated
 * is accepted even after DeleteSecurityContext. */
SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    if (sspi_revert_stale(phContext))
        return SEC_E_OK;
    return simple_call("RevertSecurityContext", OP_REVERT, phContext, NULL, NULL);
}

/* QuerySecurityContextToken: for a server context, a new access token
 * handle closed with CloseHandle (impersonate.c); else the package's
 * GetContextToken result.  NULL Token -> SEC_E_INVALID_PARAMETER. */
SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, HANDLE *Token)
{
    return simple_call("QuerySecurityContextToken", OP_TOKEN, phContext, NULL, Token);
}

/* ---- context attributes ------------------------------------------------- */

static SECURITY_STATUS query_ctx_common(const char *fn, bool ansi, bool ex, PCtxtHandle ph,
                                        uint32_t attr, void *buf, uint32_t cb)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    union {
        max_align_t align;
        unsigned char b[512];
    } scratch;
    void *target = buf;
    SECURITY_STATUS st;

    sspi_registry_init();
    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    if (buf == NULL || (ex && cb == 0)) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (ex) {
        size_t need = sspi_api_attr_size(false, attr);

        if (need != 0 && cb < need) {
            st = SEC_E_BUFFER_TOO_SMALL;
            goto out;
        }
        if (cb <= sizeof(scratch.b)) {
            memset(&scratch, 0, sizeof(scratch));
            target = scratch.b;
        }
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        enum sspi_fixup_mode mode;

        if (ansi && pkg->prov_a != NULL && pkg->prov_a->QueryContextAttributesA != NULL) {
            st = pkg->prov_a->QueryContextAttributesA(&ctx->prov, attr, target);
            mode = SSPI_FIXUP_COPYA;
        } else if (pkg->prov_w != NULL && pkg->prov_w->QueryContextAttributesW != NULL) {
            st = pkg->prov_w->QueryContextAttributesW(&ctx->prov, attr, target);
            mode = ansi ? SSPI_FIXUP_W2A : SSPI_FIXUP_COPYW;
        } else {
            st = SEC_E_UNSUPPORTED_FUNCTION;
            mode = SSPI_FIXUP_COPYW;
        }
        if (SEC_SUCCESS(st)) {
            SECURITY_STATUS fs = sspi_api_prov_fixup(false, pkg, attr, target, mode);
            if (fs != SEC_E_OK)
                st = fs;
        }
    } else {
        SpQueryContextAttributesFn *q = NULL;

        if (atomic_load(&ctx->mapped) && pkg->has_user)
            q = pkg->user.QueryContextAttributes;
        if (q == NULL && atomic_load(&ctx->has_lsa))
            q = pkg->lsa.QueryContextAttributes;
        if (q == NULL && pkg->has_user)
            q = pkg->user.QueryContextAttributes;
        if (q == NULL) {
            st = SEC_E_UNSUPPORTED_FUNCTION;
        } else {
            SSPI_CALL_ANSI_BEGIN(ansi);
            st = sspi_status_from_nt(q(ctx_lsa(ctx), attr, target));
            SSPI_CALL_ANSI_END();
        }
        if (SEC_SUCCESS(st) && ansi) {
            SECURITY_STATUS fs =
                sspi_api_attr_fixup(false, attr, target, SSPI_FIXUP_W2A, sspi_api_mem_free_fn);
            if (fs != SEC_E_OK)
                st = fs;
        }
    }
    if (st == SEC_E_UNSUPPORTED_FUNCTION && attr == SECPKG_ATTR_ACCESS_TOKEN &&
        pkg->shape != SSPI_SHAPE_PROVIDER)
        st = sspi_context_access_token(ph, ctx, target); /* impersonate.c */
    if (st == SEC_E_UNSUPPORTED_FUNCTION && attr == SECPKG_ATTR_PACKAGE_INFO) {
        /* Answered by the core: one block, one FreeContextBuffer. */
        void *info = ansi ? (void *)sspi_api_pkginfo_block_a(&pkg, 1)
                          : (void *)sspi_api_pkginfo_block_w(&pkg, 1);

        st = info != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
        memcpy(target, &info, sizeof(info));
    }
    if (SEC_SUCCESS(st) && target != buf)
        memcpy(buf, target, cb);
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call(fn, pkg, ph, NULL, st, t0_);
    return st;
}

SECURITY_STATUS sspi_api_query_context_w(PCtxtHandle ph, uint32_t attr, void *buf)
{
    return query_ctx_common("QueryContextAttributesW", false, false, ph, attr, buf, 0);
}

/*
 * QueryContextAttributesW: attribute ulAttribute of a context into pBuffer
 * (the caller's structure for that attribute; members the package
 * allocates are freed with FreeContextBuffer).  Dispatched to the user-mode
 * table when the context is mapped, else to the LSA-mode table.
 * SECPKG_ATTR_PACKAGE_INFO is answered by the core if the package does not
 * implement it.  NULL pBuffer -> SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer)
{
    return query_ctx_common("QueryContextAttributesW", false, false, phContext, ulAttribute,
                            pBuffer, 0);
}

/* QueryContextAttributesA: as the W form; string members of NAMES,
 * NATIVE_NAMES, PACKAGE_INFO, KEY_INFO, NEGOTIATION_INFO, AUTHORITY,
 * PROTO_INFO and CREDENTIAL_NAME come back as UTF-8. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer)
{
    return query_ctx_common("QueryContextAttributesA", true, false, phContext, ulAttribute, pBuffer,
                            0);
}

/* QueryContextAttributesExW: with the size of pBuffer (0 ->
 * SEC_E_INVALID_PARAMETER; below the attribute's structure ->
 * SEC_E_BUFFER_TOO_SMALL). */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    return query_ctx_common("QueryContextAttributesExW", false, true, phContext, ulAttribute,
                            pBuffer, cbBuffer);
}

/* QueryContextAttributesExA: the A form of the Ex call. */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    return query_ctx_common("QueryContextAttributesExA", true, true, phContext, ulAttribute,
                            pBuffer, cbBuffer);
}

static SECURITY_STATUS set_ctx_common(const char *fn, bool ansi, PCtxtHandle ph, uint32_t attr,
                                      void *buf, uint32_t cb)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    sspi_registry_init();
    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    if (buf == NULL && cb != 0) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        if (ansi && pkg->prov_a != NULL && pkg->prov_a->SetContextAttributesA != NULL)
            st = pkg->prov_a->SetContextAttributesA(&ctx->prov, attr, buf, cb);
        else if (pkg->prov_w != NULL && pkg->prov_w->SetContextAttributesW != NULL &&
                 (!ansi || pkg->prov_a == NULL))
            st = pkg->prov_w->SetContextAttributesW(&ctx->prov, attr, buf, cb);
        else
            st = SEC_E_UNSUPPORTED_FUNCTION;
    } else if (!atomic_load(&ctx->has_lsa) || pkg->lsa.SetContextAttributes == NULL) {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    } else {
        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->lsa.SetContextAttributes(ctx_lsa(ctx), attr, buf, cb));
        SSPI_CALL_ANSI_END();
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call(fn, pkg, ph, NULL, st, t0_);
    return st;
}

/* SetContextAttributesW: LSA-mode SetContextAttributes of the package.
 * NULL pBuffer with cbBuffer > 0 -> SEC_E_INVALID_PARAMETER; imported
 * (user-mode only) contexts -> SEC_E_UNSUPPORTED_FUNCTION. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer)
{
    return set_ctx_common("SetContextAttributesW", false, phContext, ulAttribute, pBuffer,
                          cbBuffer);
}

/* SetContextAttributesA: the structure passes unchanged; the package sees
 * SECPKG_CALL_ANSI. */
SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer)
{
    return set_ctx_common("SetContextAttributesA", true, phContext, ulAttribute, pBuffer, cbBuffer);
}

/* ---- export / import ---------------------------------------------------- */

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
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    uint32_t pkg_flags = fFlags & ~(uint32_t)SECPKG_CONTEXT_EXPORT_DELETE_OLD;
    SECURITY_STATUS st;

    sspi_registry_init();
    ctx = sspi_handle_acquire(phContext, SSPI_HANDLE_CONTEXT, &slot);
    if (ctx == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    if (pPackedContext == NULL) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        EXPORT_SECURITY_CONTEXT_FN f = SSPI_PROV_FN(pkg, ExportSecurityContext);

        st = f != NULL ? f(&ctx->prov, pkg_flags, pPackedContext, pToken)
                       : SEC_E_UNSUPPORTED_FUNCTION;
        if (SEC_SUCCESS(st) && pPackedContext->pvBuffer != NULL) {
            pPackedContext->pvBuffer =
                sspi_api_prov_adopt(pkg, pPackedContext->pvBuffer, pPackedContext->cbBuffer);
            if (pPackedContext->pvBuffer == NULL) {
                pPackedContext->cbBuffer = 0;
                st = SEC_E_INSUFFICIENT_MEMORY;
            }
        }
    } else if (!pkg->has_user || pkg->user.ExportContext == NULL) {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    } else {
        st = sspi_status_from_nt(
            pkg->user.ExportContext(ctx_lsa(ctx), pkg_flags, pPackedContext, (PHANDLE)pToken));
    }
    if (SEC_SUCCESS(st) && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD) &&
        !sspi_handle_close_slot(slot)) {
        sspi_mem_free(pPackedContext->pvBuffer);
        pPackedContext->pvBuffer = NULL;
        pPackedContext->cbBuffer = 0;
        st = SEC_E_INVALID_HANDLE;
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call("ExportSecurityContext", pkg, phContext, NULL, st, t0_);
    return st;
}

static SECURITY_STATUS import_common(bool ansi, const void *package, const char16_t *name_w,
                                     PSecBuffer packed, void *token, PCtxtHandle ph)
{
    TRACE_BEGIN();
    struct sspi_package *pkg = NULL;
    struct sspi_context *ctx = NULL;
    SECURITY_STATUS st;

    if (ph == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = sspi_api_find(ansi, package);
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
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        if (ansi && pkg->prov_a != NULL && pkg->prov_a->ImportSecurityContextA != NULL)
            st = pkg->prov_a->ImportSecurityContextA(pkg->name_utf8, packed, token, &ctx->prov);
        else if (pkg->prov_w != NULL && pkg->prov_w->ImportSecurityContextW != NULL)
            st = pkg->prov_w->ImportSecurityContextW(pkg->name, packed, token, &ctx->prov);
        else if (pkg->prov_a != NULL && pkg->prov_a->ImportSecurityContextA != NULL)
            st = pkg->prov_a->ImportSecurityContextA(pkg->name_utf8, packed, token, &ctx->prov);
        else
            st = SEC_E_UNSUPPORTED_FUNCTION;
        if (SEC_SUCCESS(st))
            atomic_store(&ctx->prov_live, true);
    } else if (!pkg->has_user || pkg->user.ImportContext == NULL) {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    } else {
        LSA_SEC_HANDLE h = 0;

        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->user.ImportContext(packed, token, &h));
        SSPI_CALL_ANSI_END();
        if (SEC_SUCCESS(st)) {
            atomic_store(&ctx->lsa, h);
            atomic_store(&ctx->mapped, true);
        }
    }
    if (!SEC_SUCCESS(st))
        goto out;
    st = sspi_handle_create(SSPI_HANDLE_CONTEXT, ctx, sspi_api_context_destroy, ph);
    if (st != SEC_E_OK) {
        sspi_api_context_destroy(ctx);
        ctx = NULL;
        goto out;
    }
    ctx = NULL;
out:
    free(ctx);
    (void)name_w;
    if (tr_)
        sspi_trace_call(ansi ? "ImportSecurityContextA" : "ImportSecurityContextW", pkg,
                        SEC_SUCCESS(st) ? ph : NULL, NULL, st, t0_);
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
    return import_common(false, pszPackage, pszPackage, pPackedContext, Token, phContext);
}

/* ImportSecurityContextA: as the W form with a UTF-8 package name. */
SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext)
{
    sspi_registry_init();
    return import_common(true, pszPackage, NULL, pPackedContext, Token, phContext);
}
