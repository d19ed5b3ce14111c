/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dispatch-provider.c - the operations of provider-shape packages
 * (dispatch.h): another SSPI implementation's own SecurityFunctionTableW/A,
 * called with the provider's own handles (kept in the core's credential
 * and context objects), and memory it hands out copied into ours and
 * released with its own FreeContextBuffer.
 *
 * Which of the provider's A and W functions to call is decided here only,
 * by provider_form(): the caller's form when the provider has it, else the
 * other form with the strings converted.  The per-message calls go through
 * thunks with the SSP/AP user-mode signatures (the context object is their
 * handle), so the hot path and GetMessageTarget treat both shapes alike.
 * A provider's statuses are SECURITY_STATUS values and pass through.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/dispatch.h"

/* Charset-neutral member of a provider's table: the W table's if present,
 * else the A table's (both tables share those members' types). */
#define PROV_FN(pkg, member)                                                                       \
    ((pkg)->prov_w != NULL   ? (pkg)->prov_w->member                                               \
     : (pkg)->prov_a != NULL ? (pkg)->prov_a->member                                               \
                             : NULL)

/* The slot `member` of the A or W table, as a generic pointer for
 * provider_form(). */
#define PROV_SLOT_A(pkg, member) ((pkg)->prov_a != NULL ? (void *)(pkg)->prov_a->member : NULL)
#define PROV_SLOT_W(pkg, member) ((pkg)->prov_w != NULL ? (void *)(pkg)->prov_w->member : NULL)

enum prov_form { FORM_NONE, FORM_A, FORM_W };

/* What can be converted between the forms for one call. */
enum prov_conv {
    CONV_ANY,    /* strings passed in: either form works */
    CONV_FROM_W, /* results: a W answer converts to A, not the reverse */
    CONV_NONE,   /* structures the caller passes in: no conversion */
};

/*
 * The one place that picks a provider's A or W function: the caller's form
 * when the provider has that slot; otherwise the other form as far as
 * `conv` allows (CONV_NONE: only when the provider has no table of the
 * caller's form at all, so the structure goes through unchanged as it
 * always did).
 */
static enum prov_form provider_form(const struct sspi_package *pkg, bool ansi, const void *a_slot,
                                    const void *w_slot, enum prov_conv conv)
{
    if (ansi && a_slot != NULL)
        return FORM_A;
    if (!ansi && w_slot != NULL)
        return FORM_W;
    if (conv == CONV_NONE && (ansi ? (const void *)pkg->prov_a : (const void *)pkg->prov_w) != NULL)
        return FORM_NONE;
    if (ansi)
        return w_slot != NULL ? FORM_W : FORM_NONE;
    return conv == CONV_ANY && a_slot != NULL ? FORM_A : FORM_NONE;
}

/* A string for the provider's A form: the caller's UTF-8 original, or the
 * UTF-16 one converted into *tmp (free it).  False if not convertible. */
static bool a_string(const char *given, const char16_t *w, char **tmp, const char **out)
{
    *tmp = NULL;
    *out = given;
    if (given != NULL || w == NULL)
        return true;
    *tmp = sspi_utf16_to_utf8(w, SSPI_UTF16_NUL_TERMINATED, NULL);
    *out = *tmp;
    return *tmp != NULL;
}

/* ---- memory the provider hands out ------------------------------------- */

/* The provider whose memory is being released (the free callback takes
 * only the pointer). */
static _Thread_local const struct sspi_package *releasing;

static void release_current(void *p)
{
    FREE_CONTEXT_BUFFER_FN fn = PROV_FN(releasing, FreeContextBuffer);

    if (fn != NULL && p != NULL)
        fn(p);
}

/* sspi_api_attr_fixup for memory the provider returned. */
static SECURITY_STATUS provider_fixup(bool cred, const struct sspi_package *pkg, uint32_t attr,
                                      void *buf, enum sspi_fixup_mode mode)
{
    SECURITY_STATUS st;

    releasing = pkg;
    st = sspi_api_attr_fixup(cred, attr, buf, mode, release_current);
    releasing = NULL;
    return st;
}

/* Copy `len` bytes the provider allocated at p into our memory and
 * release its block.  NULL if out of memory (p is released either way). */
static void *provider_adopt(const struct sspi_package *pkg, void *p, size_t len)
{
    void *copy = sspi_mem_alloc(len);

    if (copy != NULL)
        memcpy(copy, p, len);
    releasing = pkg;
    release_current(p);
    releasing = NULL;
    return copy;
}

/* ---- credentials ------------------------------------------------------- */

static SECURITY_STATUS provider_acquire(struct sspi_credential *cred,
                                        const struct sspi_cred_args *a, TimeStamp *expiry)
{
    struct sspi_package *pkg = cred->pkg;
    const char *principal;
    char *tmp;
    SECURITY_STATUS st;

    switch (provider_form(pkg, a->ansi, PROV_SLOT_A(pkg, AcquireCredentialsHandleA),
                          PROV_SLOT_W(pkg, AcquireCredentialsHandleW), CONV_ANY)) {
    case FORM_W:
        return pkg->prov_w->AcquireCredentialsHandleW((SEC_WCHAR *)a->principal_w, pkg->name,
                                                      a->use, a->logon, a->auth, a->getkey,
                                                      a->getkey_arg, &cred->prov, expiry);
    case FORM_A:
        if (!a_string(a->principal_a, a->principal_w, &tmp, &principal))
            return SEC_E_INVALID_PARAMETER;
        st = pkg->prov_a->AcquireCredentialsHandleA((SEC_CHAR *)principal, pkg->name_utf8, a->use,
                                                    a->logon, a->auth, a->getkey, a->getkey_arg,
                                                    &cred->prov, expiry);
        free(tmp);
        return st;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

static SECURITY_STATUS provider_add_credentials(struct sspi_credential *cred,
                                                const struct sspi_cred_args *a, TimeStamp *expiry)
{
    struct sspi_package *pkg = cred->pkg;
    const char *principal, *package;
    char *tmp1, *tmp2 = NULL;
    SECURITY_STATUS st = SEC_E_INVALID_PARAMETER;

    switch (provider_form(pkg, a->ansi, PROV_SLOT_A(pkg, AddCredentialsA),
                          PROV_SLOT_W(pkg, AddCredentialsW), CONV_ANY)) {
    case FORM_W:
        return pkg->prov_w->AddCredentialsW(&cred->prov, (SEC_WCHAR *)a->principal_w,
                                            (SEC_WCHAR *)a->package_w, a->use, a->auth, a->getkey,
                                            a->getkey_arg, expiry);
    case FORM_A:
        if (a_string(a->principal_a, a->principal_w, &tmp1, &principal) &&
            a_string(a->package_a, a->package_w, &tmp2, &package))
            st = pkg->prov_a->AddCredentialsA(&cred->prov, (SEC_CHAR *)principal,
                                              (SEC_CHAR *)package, a->use, a->auth, a->getkey,
                                              a->getkey_arg, expiry);
        free(tmp1);
        free(tmp2);
        return st;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

static void provider_free_credential(struct sspi_credential *cred)
{
    FREE_CREDENTIALS_HANDLE_FN fn = PROV_FN(cred->pkg, FreeCredentialsHandle);

    if (fn != NULL)
        fn(&cred->prov);
}

/* ---- contexts ---------------------------------------------------------- */

static void provider_delete_context(struct sspi_context *ctx)
{
    DELETE_SECURITY_CONTEXT_FN fn = PROV_FN(ctx->pkg, DeleteSecurityContext);

    if (fn != NULL && atomic_load(&ctx->prov_live))
        fn(&ctx->prov);
    atomic_store(&ctx->prov_live, false);
}

/* InitializeSecurityContext in the form provider_form() picks. */
static SECURITY_STATUS provider_init(const struct sspi_establish_args *a, struct sspi_package *pkg,
                                     PCredHandle pc, PCtxtHandle px, uint32_t req, CtxtHandle *newp,
                                     struct sspi_establish_result *r)
{
    const char *target;
    char *tmp;
    SECURITY_STATUS st;

    switch (provider_form(pkg, a->ansi, PROV_SLOT_A(pkg, InitializeSecurityContextA),
                          PROV_SLOT_W(pkg, InitializeSecurityContextW), CONV_ANY)) {
    case FORM_W:
        return pkg->prov_w->InitializeSecurityContextW(pc, px, (SEC_WCHAR *)a->target_w, req,
                                                       a->reserved1, a->drep, a->in, a->reserved2,
                                                       newp, a->out, &r->attrs, &r->expiry);
    case FORM_A:
        if (!a_string(a->target_a, a->target_w, &tmp, &target))
            return SEC_E_INVALID_PARAMETER;
        st = pkg->prov_a->InitializeSecurityContextA(pc, px, (SEC_CHAR *)target, req, a->reserved1,
                                                     a->drep, a->in, a->reserved2, newp, a->out,
                                                     &r->attrs, &r->expiry);
        free(tmp);
        return st;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* The API layer placed any ALLOCATE_MEMORY blocks already: the provider
 * fills them in and is not asked to allocate. */
static SECURITY_STATUS provider_establish(const struct sspi_establish_args *a,
                                          struct sspi_credential *cred, struct sspi_context *ctx,
                                          bool fresh, struct sspi_establish_result *r)
{
    struct sspi_package *pkg = ctx->pkg;
    CtxtHandle newp = fresh ? (CtxtHandle){0, 0} : ctx->prov;
    PCredHandle pc = cred != NULL ? &cred->prov : NULL;
    PCtxtHandle px = fresh ? NULL : &ctx->prov;
    uint32_t req = a->req & ~(uint32_t)ISC_REQ_ALLOCATE_MEMORY;
    SECURITY_STATUS st;

    if (a->accept) {
        ACCEPT_SECURITY_CONTEXT_FN fn = PROV_FN(pkg, AcceptSecurityContext);

        st = fn == NULL ? SEC_E_UNSUPPORTED_FUNCTION
                        : fn(pc, px, a->in, req, a->drep, &newp, a->out, &r->attrs, &r->expiry);
    } else {
        st = provider_init(a, pkg, pc, px, req, &newp, r);
    }
    if (SEC_SUCCESS(st)) {
        ctx->prov = newp;
        atomic_store(&ctx->prov_live, true);
        atomic_store(&ctx->lsa, (LSA_SEC_HANDLE)(uintptr_t)ctx);
    }
    return st;
}

static SECURITY_STATUS provider_complete_token(struct sspi_context *ctx, PSecBufferDesc desc)
{
    COMPLETE_AUTH_TOKEN_FN fn = PROV_FN(ctx->pkg, CompleteAuthToken);

    return fn != NULL ? fn(&ctx->prov, desc) : SEC_E_UNSUPPORTED_FUNCTION;
}

static SECURITY_STATUS provider_apply_control(struct sspi_context *ctx, PSecBufferDesc desc)
{
    APPLY_CONTROL_TOKEN_FN fn = PROV_FN(ctx->pkg, ApplyControlToken);

    return fn != NULL ? fn(&ctx->prov, desc) : SEC_E_UNSUPPORTED_FUNCTION;
}

/* The provider impersonates itself. */
static SECURITY_STATUS provider_impersonate(struct sspi_context *ctx, PCtxtHandle ph, bool start)
{
    IMPERSONATE_SECURITY_CONTEXT_FN fn = start ? PROV_FN(ctx->pkg, ImpersonateSecurityContext)
                                               : PROV_FN(ctx->pkg, RevertSecurityContext);

    (void)ph;
    return fn != NULL ? fn(&ctx->prov) : SEC_E_UNSUPPORTED_FUNCTION;
}

static SECURITY_STATUS provider_context_token(struct sspi_context *ctx, PCtxtHandle ph,
                                              HANDLE *token)
{
    QUERY_SECURITY_CONTEXT_TOKEN_FN fn = PROV_FN(ctx->pkg, QuerySecurityContextToken);

    (void)ph;
    return fn != NULL ? fn(&ctx->prov, token) : SEC_E_UNSUPPORTED_FUNCTION;
}

static SECURITY_STATUS provider_export_context(struct sspi_context *ctx, uint32_t flags,
                                               PSecBuffer packed, void **token)
{
    EXPORT_SECURITY_CONTEXT_FN fn = PROV_FN(ctx->pkg, ExportSecurityContext);
    SECURITY_STATUS st;

    if (fn == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = fn(&ctx->prov, flags, packed, token);
    if (SEC_SUCCESS(st) && packed->pvBuffer != NULL) {
        packed->pvBuffer = provider_adopt(ctx->pkg, packed->pvBuffer, packed->cbBuffer);
        if (packed->pvBuffer == NULL) {
            packed->cbBuffer = 0;
            st = SEC_E_INSUFFICIENT_MEMORY;
        }
    }
    return st;
}

static SECURITY_STATUS provider_import_context(struct sspi_context *ctx, bool ansi,
                                               PSecBuffer packed, void *token)
{
    struct sspi_package *pkg = ctx->pkg;
    SECURITY_STATUS st;

    switch (provider_form(pkg, ansi, PROV_SLOT_A(pkg, ImportSecurityContextA),
                          PROV_SLOT_W(pkg, ImportSecurityContextW), CONV_ANY)) {
    case FORM_W:
        st = pkg->prov_w->ImportSecurityContextW(pkg->name, packed, token, &ctx->prov);
        break;
    case FORM_A:
        st = pkg->prov_a->ImportSecurityContextA(pkg->name_utf8, packed, token, &ctx->prov);
        break;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    if (SEC_SUCCESS(st)) {
        atomic_store(&ctx->prov_live, true);
        atomic_store(&ctx->lsa, (LSA_SEC_HANDLE)(uintptr_t)ctx);
    }
    return st;
}

/* ---- attributes -------------------------------------------------------- */

/* The provider's own handle inside a credential or context object, and
 * its package in *pkg. */
static SecHandle *provider_handle(enum sspi_handle_kind kind, void *obj, struct sspi_package **pkg)
{
    if (kind == SSPI_HANDLE_CREDENTIAL) {
        *pkg = ((struct sspi_credential *)obj)->pkg;
        return &((struct sspi_credential *)obj)->prov;
    }
    *pkg = ((struct sspi_context *)obj)->pkg;
    return &((struct sspi_context *)obj)->prov;
}

static SECURITY_STATUS provider_query_attr(enum sspi_handle_kind kind, void *obj, bool ansi,
                                           uint32_t attr, void *buf)
{
    bool cred = kind == SSPI_HANDLE_CREDENTIAL;
    struct sspi_package *pkg;
    SecHandle *h = provider_handle(kind, obj, &pkg);
    enum sspi_fixup_mode mode;
    SECURITY_STATUS st, fs;

    switch (provider_form(pkg, ansi,
                          cred ? PROV_SLOT_A(pkg, QueryCredentialsAttributesA)
                               : PROV_SLOT_A(pkg, QueryContextAttributesA),
                          cred ? PROV_SLOT_W(pkg, QueryCredentialsAttributesW)
                               : PROV_SLOT_W(pkg, QueryContextAttributesW),
                          CONV_FROM_W)) {
    case FORM_A:
        st = cred ? pkg->prov_a->QueryCredentialsAttributesA(h, attr, buf)
                  : pkg->prov_a->QueryContextAttributesA(h, attr, buf);
        mode = SSPI_FIXUP_COPYA;
        break;
    case FORM_W:
        st = cred ? pkg->prov_w->QueryCredentialsAttributesW(h, attr, buf)
                  : pkg->prov_w->QueryContextAttributesW(h, attr, buf);
        mode = ansi ? SSPI_FIXUP_W2A : SSPI_FIXUP_COPYW;
        break;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    if (SEC_SUCCESS(st)) {
        fs = provider_fixup(cred, pkg, attr, buf, mode);
        if (fs != SEC_E_OK)
            st = fs;
    }
    return st;
}

static SECURITY_STATUS provider_set_attr(enum sspi_handle_kind kind, void *obj, bool ansi,
                                         uint32_t attr, void *buf, uint32_t cb)
{
    bool cred = kind == SSPI_HANDLE_CREDENTIAL;
    struct sspi_package *pkg;
    SecHandle *h = provider_handle(kind, obj, &pkg);

    switch (provider_form(pkg, ansi,
                          cred ? PROV_SLOT_A(pkg, SetCredentialsAttributesA)
                               : PROV_SLOT_A(pkg, SetContextAttributesA),
                          cred ? PROV_SLOT_W(pkg, SetCredentialsAttributesW)
                               : PROV_SLOT_W(pkg, SetContextAttributesW),
                          CONV_NONE)) {
    case FORM_A:
        return cred ? pkg->prov_a->SetCredentialsAttributesA(h, attr, buf, cb)
                    : pkg->prov_a->SetContextAttributesA(h, attr, buf, cb);
    case FORM_W:
        return cred ? pkg->prov_w->SetCredentialsAttributesW(h, attr, buf, cb)
                    : pkg->prov_w->SetContextAttributesW(h, attr, buf, cb);
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* ---- packages ---------------------------------------------------------- */

static SECURITY_STATUS provider_change_password(struct sspi_package *pkg,
                                                const struct sspi_password_args *a)
{
    const char *s[4];
    char *tmp[4] = {NULL, NULL, NULL, NULL};
    SECURITY_STATUS st = SEC_E_INVALID_PARAMETER;
    bool ok = true;

    switch (provider_form(pkg, a->ansi, PROV_SLOT_A(pkg, ChangeAccountPasswordA),
                          PROV_SLOT_W(pkg, ChangeAccountPasswordW), CONV_ANY)) {
    case FORM_W:
        return pkg->prov_w->ChangeAccountPasswordW(
            pkg->name, (SEC_WCHAR *)a->w[0], (SEC_WCHAR *)a->w[1], (SEC_WCHAR *)a->w[2],
            (SEC_WCHAR *)a->w[3], a->impersonating, a->reserved, a->out);
    case FORM_A:
        for (int i = 0; i < 4; i++)
            ok = a_string(a->a[i], a->w[i], &tmp[i], &s[i]) && ok;
        if (ok)
            st = pkg->prov_a->ChangeAccountPasswordA(
                pkg->name_utf8, (SEC_CHAR *)s[0], (SEC_CHAR *)s[1], (SEC_CHAR *)s[2],
                (SEC_CHAR *)s[3], a->impersonating, a->reserved, a->out);
        for (int i = 0; i < 4; i++) {
            if (tmp[i] != NULL) {
                explicit_bzero(tmp[i], strlen(tmp[i]));
                free(tmp[i]);
            }
        }
        return st;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

const struct sspi_pkg_ops sspi_provider_ops = {
    .acquire = provider_acquire,
    .add_credentials = provider_add_credentials,
    .free_credential = provider_free_credential,
    .establish = provider_establish,
    .delete_context = provider_delete_context,
    .complete_token = provider_complete_token,
    .apply_control = provider_apply_control,
    .impersonate = provider_impersonate,
    .context_token = provider_context_token,
    .export_context = provider_export_context,
    .import_context = provider_import_context,
    .query_attr = provider_query_attr,
    .set_attr = provider_set_attr,
    .change_password = provider_change_password,
};

/* ---- per-message thunks ------------------------------------------------ */

/* The handle of a provider context's message target is its context object
 * (struct sspi_context *), which the caller keeps referenced. */
static NTSTATUS NTAPI thunk_sign(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    struct sspi_context *ctx = (struct sspi_context *)(uintptr_t)h;

    return PROV_FN(ctx->pkg, MakeSignature)(&ctx->prov, qop, m, seq);
}

static NTSTATUS NTAPI thunk_verify(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    struct sspi_context *ctx = (struct sspi_context *)(uintptr_t)h;

    return PROV_FN(ctx->pkg, VerifySignature)(&ctx->prov, m, seq, qop);
}

static NTSTATUS NTAPI thunk_seal(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    struct sspi_context *ctx = (struct sspi_context *)(uintptr_t)h;

    return PROV_FN(ctx->pkg, EncryptMessage)(&ctx->prov, qop, m, seq);
}

static NTSTATUS NTAPI thunk_unseal(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    struct sspi_context *ctx = (struct sspi_context *)(uintptr_t)h;

    return PROV_FN(ctx->pkg, DecryptMessage)(&ctx->prov, m, seq, qop);
}

/* Registry (publish): once per package. */
void sspi_dispatch_bind(struct sspi_package *pkg)
{
    memset(&pkg->msg, 0, sizeof(pkg->msg));
    if (pkg->shape != SSPI_SHAPE_PROVIDER) {
        pkg->ops = &sspi_sspap_ops;
        if (pkg->has_user) {
            pkg->msg.MakeSignature = pkg->user.MakeSignature;
            pkg->msg.VerifySignature = pkg->user.VerifySignature;
            pkg->msg.SealMessage = pkg->user.SealMessage;
            pkg->msg.UnsealMessage = pkg->user.UnsealMessage;
        }
        return;
    }
    pkg->ops = &sspi_provider_ops;
    pkg->msg.MakeSignature = PROV_FN(pkg, MakeSignature) != NULL ? thunk_sign : NULL;
    pkg->msg.VerifySignature = PROV_FN(pkg, VerifySignature) != NULL ? thunk_verify : NULL;
    pkg->msg.SealMessage = PROV_FN(pkg, EncryptMessage) != NULL ? thunk_seal : NULL;
    pkg->msg.UnsealMessage = PROV_FN(pkg, DecryptMessage) != NULL ? thunk_unseal : NULL;
}
