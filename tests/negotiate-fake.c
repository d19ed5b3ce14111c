/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-fake.c - the scripted host of negotiate-fake.h: LSA/DLL
 * service tables for the kit and a host services table whose siblings are
 * fakes driven by struct fake_pkg.
 */
#include <stdlib.h>
#include <string.h>

#include "negotiate-fake.h"
#include "packages/negotiate/negotiate.h"

struct fake_host fake;

#define FAKE_CTX_MAGIC 0xfa4ec7u

struct fake_ctx {
    struct fake_pkg *p;
    bool initiator, complete;
    int leg;
    uint32_t send_seq, recv_seq;
};

static const uint8_t ntlm_prefix[] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
/* 60 len 06 09 <krb5> 01 00, then the two bytes make_token appends. */
static const uint8_t krb_prefix[] = {0x60, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00};

/* ---- memory ----------------------------------------------------------------- */

static PVOID NTAPI heap_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

static VOID NTAPI heap_free(PVOID p)
{
    free(p);
}

static void *dup_bytes(const void *p, size_t n)
{
    void *d = malloc(n ? n : 1);
    if (d != NULL)
        memcpy(d, p, n);
    return d;
}

/* ---- fake siblings ------------------------------------------------------------ */

static struct fake_pkg *pkg_by_name(const SEC_WCHAR *name)
{
    for (unsigned i = 0; i < fake.npkgs; i++) {
        const char16_t *a = fake.pkgs[i].name, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == 0 && *b == 0)
            return &fake.pkgs[i];
    }
    return NULL;
}

static struct fake_ctx *ctx_of(const CtxtHandle *h)
{
    if (h == NULL || h->dwUpper != FAKE_CTX_MAGIC || h->dwLower == 0)
        return NULL;
    return (struct fake_ctx *)h->dwLower;
}

/* The token of `leg` from one side: prefix, 'C' or 'S', the leg digit. */
static size_t make_token(const struct fake_pkg *p, bool initiator, int leg, uint8_t *buf)
{
    memcpy(buf, p->prefix, p->prefix_len);
    buf[p->prefix_len] = initiator ? 'C' : 'S';
    buf[p->prefix_len + 1] = (uint8_t)('0' + leg);
    return p->prefix_len + 2;
}

static bool token_is(const struct fake_pkg *p, bool initiator, int leg, const SecBufferDesc *in)
{
    uint8_t want[64];
    size_t n = make_token(p, initiator, leg, want);

    if (in == NULL)
        return false;
    for (ULONG i = 0; i < in->cBuffers; i++) {
        const SecBuffer *b = &in->pBuffers[i];
        if ((b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN)
            return b->cbBuffer == n && memcmp(b->pvBuffer, want, n) == 0;
    }
    return false;
}

/* Note what output buffer a step was given (before it runs). */
static void note_output(struct fake_pkg *p, ULONG req, const SecBuffer *b)
{
    if (req & ISC_REQ_ALLOCATE_MEMORY)
        p->allocate_asked++;
    if (b->pvBuffer == NULL)
        return;
    if (p->given_min == 0 || b->cbBuffer < p->given_min)
        p->given_min = b->cbBuffer;
    if (b->cbBuffer > p->given_max)
        p->given_max = b->cbBuffer;
}

static SECURITY_STATUS put_token(PSecBufferDesc out, ULONG room, ULONG req,
                                 const struct fake_pkg *p, bool initiator, int leg)
{
    SecBuffer *b = &out->pBuffers[0];
    uint8_t tok[64];
    size_t n = make_token(p, initiator, leg, tok);

    if (b->pvBuffer == NULL || p->own_memory) {
        if (!(req & ISC_REQ_ALLOCATE_MEMORY) && !p->own_memory)
            return SEC_E_INTERNAL_ERROR;
        b->pvBuffer = dup_bytes(tok, n);
        if (b->pvBuffer == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
    } else if (room < n) {
        return SEC_E_BUFFER_TOO_SMALL;
    } else {
        memcpy(b->pvBuffer, tok, n);
    }
    b->cbBuffer = (ULONG)n;
    return SEC_E_OK;
}

static void no_token(PSecBufferDesc out)
{
    out->pBuffers[0].cbBuffer = 0;
}

/* One step of either side; `fresh` creates the context. */
static SECURITY_STATUS sibling_step(struct fake_pkg *p, bool initiator, PCtxtHandle old,
                                    PSecBufferDesc in, ULONG req, PCtxtHandle newh,
                                    PSecBufferDesc out, PULONG attr)
{
    struct fake_ctx *c = old != NULL ? ctx_of(old) : NULL;
    bool fresh = old == NULL;

    if (!fresh && (c == NULL || c->initiator != initiator))
        return SEC_E_INVALID_HANDLE;
    if (fresh) {
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->p = p;
        c->initiator = initiator;
    }
    SECURITY_STATUS st = SEC_E_OK;
    ULONG room = out->pBuffers[0].cbBuffer;
    note_output(p, req, &out->pBuffers[0]);
    /* The output buffer is the sibling's to use from the start, before it
     * has read its input (the caller's input and output memory are
     * separate, as Windows' LSA makes them). */
    if (out->pBuffers[0].pvBuffer != NULL)
        memset(out->pBuffers[0].pvBuffer, 0xee, room);
    no_token(out);
    /* An initiator speaks on even legs; it consumes nothing on leg 0. */
    if (!(initiator && c->leg == 0)) {
        if (c->complete || !token_is(p, !initiator, c->leg, in))
            st = SEC_E_INVALID_TOKEN;
        else if (!initiator && p->bad_password && c->leg == p->legs - 1)
            st = SEC_E_LOGON_DENIED;
        else
            c->leg++;
    }
    if (st == SEC_E_OK && c->leg < p->legs) {
        st = put_token(out, room, req, p, initiator, c->leg);
        c->leg++;
    }
    if (st != SEC_E_OK) {
        if (fresh)
            free(c);
        return st;
    }
    if (fresh) {
        p->created++;
        newh->dwLower = (ULONG_PTR)c;
        newh->dwUpper = FAKE_CTX_MAGIC;
    }
    c->complete = c->leg >= p->legs;
    *attr = p->integrity ? (initiator ? ISC_RET_INTEGRITY : ASC_RET_INTEGRITY) : 0;
    if (!c->complete)
        return SEC_I_CONTINUE_NEEDED;
    return initiator && p->complete_needed ? SEC_I_COMPLETE_NEEDED : SEC_E_OK;
}

/* ---- signatures ------------------------------------------------------------ */

static uint32_t checksum(const struct fake_pkg *p, uint32_t seq, const SecBufferDesc *m)
{
    uint32_t h = 2166136261u ^ p->oid[p->oid_len - 1] ^ seq;

    for (ULONG i = 0; i < m->cBuffers; i++) {
        const SecBuffer *b = &m->pBuffers[i];
        if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_DATA)
            continue;
        for (ULONG k = 0; k < b->cbBuffer; k++)
            h = (h ^ ((const uint8_t *)b->pvBuffer)[k]) * 16777619u;
    }
    return h;
}

static SecBuffer *find(PSecBufferDesc m, ULONG type)
{
    for (ULONG i = 0; m != NULL && i < m->cBuffers; i++)
        if ((m->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &m->pBuffers[i];
    return NULL;
}

static SECURITY_STATUS sign(struct fake_ctx *c, PSecBufferDesc m)
{
    SecBuffer *t = find(m, SECBUFFER_TOKEN);

    if (c == NULL || !c->complete)
        return SEC_E_INVALID_HANDLE;
    if (t == NULL || t->cbBuffer < 8)
        return SEC_E_INVALID_TOKEN;
    uint32_t seq = c->send_seq++, sum = checksum(c->p, seq, m);
    memcpy(t->pvBuffer, &seq, 4);
    memcpy((uint8_t *)t->pvBuffer + 4, &sum, 4);
    t->cbBuffer = 8;
    c->p->signs++;
    return SEC_E_OK;
}

static SECURITY_STATUS verify(struct fake_ctx *c, PSecBufferDesc m)
{
    SecBuffer *t = find(m, SECBUFFER_TOKEN);
    uint32_t seq, sum;

    if (c == NULL || !c->complete)
        return SEC_E_INVALID_HANDLE;
    if (t == NULL || t->cbBuffer != 8)
        return SEC_E_INVALID_TOKEN;
    memcpy(&seq, t->pvBuffer, 4);
    memcpy(&sum, (uint8_t *)t->pvBuffer + 4, 4);
    c->p->verifies++;
    if (seq != c->recv_seq)
        return SEC_E_OUT_OF_SEQUENCE;
    if (sum != checksum(c->p, seq, m))
        return SEC_E_MESSAGE_ALTERED;
    c->recv_seq++;
    return SEC_E_OK;
}

static NTSTATUS NTAPI direct_sign(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    (void)qop;
    (void)seq;
    struct fake_ctx *c = (struct fake_ctx *)h;
    c->p->direct_signs++;
    return sign(c, m);
}

static NTSTATUS NTAPI direct_verify(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    (void)seq;
    if (qop != NULL)
        *qop = 0;
    return verify((struct fake_ctx *)h, m);
}

/* ---- the services table ------------------------------------------------------ */

static SECURITY_STATUS NTAPI svc_enumerate(PULONG n, PSECPKG_LIBSSPI_PACKAGE_INFO *pkgs)
{
    PSECPKG_LIBSSPI_PACKAGE_INFO a = calloc(fake.npkgs ? fake.npkgs : 1, sizeof(*a));

    if (a == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (unsigned i = 0; i < fake.npkgs; i++) {
        a[i].PackageId = 10 + i;
        a[i].fCapabilities = fake.pkgs[i].caps;
        a[i].wVersion = 1;
        a[i].cbMaxToken = fake.pkgs[i].max_token;
        a[i].Name = fake.pkgs[i].name;
        a[i].Comment = u"fake";
        a[i].MechOid = fake.pkgs[i].oid_len ? fake.pkgs[i].oid : NULL;
        a[i].MechOidLength = fake.pkgs[i].oid_len;
    }
    *n = fake.npkgs;
    *pkgs = a;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_free(PVOID p)
{
    free(p);
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_acquire(const SEC_WCHAR *pkg, const SEC_WCHAR *principal,
                                         ULONG use, PVOID logon, PVOID auth, PCredHandle cred,
                                         PTimeStamp exp)
{
    (void)principal;
    (void)logon;
    (void)auth;
    struct fake_pkg *p = pkg_by_name(pkg);
    if (p == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    p->acquired++;
    SECURITY_STATUS st = (use & SECPKG_CRED_OUTBOUND) ? p->acquire_out : p->acquire_in;
    if (st != SEC_E_OK)
        return st;
    cred->dwLower = (ULONG_PTR)p;
    cred->dwUpper = use;
    exp->QuadPart = 0x7fffffffffffffffLL;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_free_cred(PCredHandle cred)
{
    cred->dwLower = cred->dwUpper = 0;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_query_cred(PCredHandle cred, ULONG attr, PVOID buf)
{
    (void)cred;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    ((SecPkgCredentials_NamesW *)buf)->sUserName = dup_bytes(u"FAKE\\user", 20);
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_init(PCredHandle cred, PCtxtHandle ctx, const SEC_WCHAR *target,
                                      ULONG req, ULONG drep, PSecBufferDesc in, PCtxtHandle newh,
                                      PSecBufferDesc out, PULONG attr, PTimeStamp exp)
{
    (void)target;
    (void)drep;
    struct fake_pkg *p = cred != NULL ? (struct fake_pkg *)cred->dwLower : NULL;
    if (p == NULL)
        return SEC_E_INVALID_HANDLE;
    p->inits++;
    if (ctx == NULL && p->first_init != 0)
        return p->first_init;
    exp->QuadPart = 12345;
    return sibling_step(p, true, ctx, in, req, newh, out, attr);
}

static SECURITY_STATUS NTAPI svc_accept(PCredHandle cred, PCtxtHandle ctx, PSecBufferDesc in,
                                        ULONG req, ULONG drep, PCtxtHandle newh, PSecBufferDesc out,
                                        PULONG attr, PTimeStamp exp)
{
    (void)drep;
    struct fake_pkg *p = cred != NULL ? (struct fake_pkg *)cred->dwLower : NULL;
    if (p == NULL)
        return SEC_E_INVALID_HANDLE;
    p->accepts++;
    exp->QuadPart = 12345;
    return sibling_step(p, false, ctx, in, req, newh, out, attr);
}

static SECURITY_STATUS NTAPI svc_complete(PCtxtHandle ctx, PSecBufferDesc tok)
{
    (void)tok;
    return ctx_of(ctx) != NULL ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

static SECURITY_STATUS NTAPI svc_delete(PCtxtHandle ctx)
{
    struct fake_ctx *c = ctx_of(ctx);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    c->p->deleted++;
    free(c);
    ctx->dwLower = ctx->dwUpper = 0;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_query(PCtxtHandle ctx, ULONG attr, PVOID buf)
{
    struct fake_ctx *c = ctx_of(ctx);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    switch (attr) {
    case SECPKG_ATTR_SIZES:
        *(SecPkgContext_Sizes *)buf = (SecPkgContext_Sizes){1000, 8, 0, 8};
        return SEC_E_OK;
    case SECPKG_ATTR_NAMES:
        ((SecPkgContext_NamesW *)buf)->sUserName = dup_bytes(u"FAKE\\user", 20);
        return SEC_E_OK;
    case SECPKG_ATTR_PACKAGE_INFO: {
        size_t nlen = 0;
        while (c->p->name[nlen])
            nlen++;
        SecPkgInfoW *i = calloc(1, sizeof(*i) + (nlen + 2) * sizeof(char16_t));
        i->fCapabilities = c->p->caps;
        i->wVersion = 1;
        i->Name = (SEC_WCHAR *)(i + 1);
        memcpy(i->Name, c->p->name, nlen * sizeof(char16_t));
        i->Comment = i->Name + nlen;
        ((SecPkgContext_PackageInfoW *)buf)->PackageInfo = i;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

static SECURITY_STATUS NTAPI svc_set(PCtxtHandle ctx, ULONG attr, PVOID buf, ULONG size)
{
    struct fake_ctx *c = ctx_of(ctx);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (attr != SECPKG_ATTR_LIBSSPI_RESET_CRYPTO || size != 4)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (*(ULONG *)buf == 0)
        c->p->resets_out++;
    else
        c->p->resets_in++;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_export(PCtxtHandle ctx, ULONG flags, PSecBuffer packed,
                                        PVOID *token)
{
    (void)flags;
    (void)token;
    struct fake_ctx *c = ctx_of(ctx);
    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    packed->pvBuffer = dup_bytes(c, sizeof(*c));
    packed->cbBuffer = sizeof(*c);
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_import(const SEC_WCHAR *pkg, PSecBuffer packed, PVOID token,
                                        PCtxtHandle ctx)
{
    (void)token;
    struct fake_pkg *p = pkg_by_name(pkg);
    if (p == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    if (packed->cbBuffer != sizeof(struct fake_ctx))
        return SEC_E_INVALID_TOKEN;
    struct fake_ctx *c = dup_bytes(packed->pvBuffer, sizeof(*c));
    c->p = p;
    ctx->dwLower = (ULONG_PTR)c;
    ctx->dwUpper = FAKE_CTX_MAGIC;
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI svc_sign(PCtxtHandle ctx, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    (void)qop;
    (void)seq;
    return sign(ctx_of(ctx), m);
}

static SECURITY_STATUS NTAPI svc_verify(PCtxtHandle ctx, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    (void)seq;
    if (qop != NULL)
        *qop = 0;
    return verify(ctx_of(ctx), m);
}

static SECURITY_STATUS NTAPI svc_target(PCtxtHandle ctx, PSECPKG_LIBSSPI_MESSAGE_TARGET t)
{
    struct fake_ctx *c = ctx_of(ctx);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (fake.no_direct)
        return SEC_E_UNSUPPORTED_FUNCTION;
    *t = (SECPKG_LIBSSPI_MESSAGE_TARGET){(LSA_SEC_HANDLE)c, direct_sign, direct_verify, NULL, NULL};
    return SEC_E_OK;
}

static const SECPKG_LIBSSPI_HOST_SERVICES services = {
    .Version = SECPKG_LIBSSPI_HOST_VERSION_1,
    .Size = sizeof(SECPKG_LIBSSPI_HOST_SERVICES),
    .EnumeratePackages = svc_enumerate,
    .FreeBuffer = svc_free,
    .AcquireCredentialsHandle = svc_acquire,
    .FreeCredentialsHandle = svc_free_cred,
    .QueryCredentialsAttributes = svc_query_cred,
    .InitializeSecurityContext = svc_init,
    .AcceptSecurityContext = svc_accept,
    .CompleteAuthToken = svc_complete,
    .DeleteSecurityContext = svc_delete,
    .QueryContextAttributes = svc_query,
    .SetContextAttributes = svc_set,
    .ExportSecurityContext = svc_export,
    .ImportSecurityContext = svc_import,
    .MakeSignature = svc_sign,
    .VerifySignature = svc_verify,
    .EncryptMessage = svc_sign,
    .DecryptMessage = svc_verify,
    .GetMessageTarget = svc_target,
};

/* ---- setup ------------------------------------------------------------------ */

static void set_oid(struct fake_pkg *p, const uint8_t *oid, size_t n)
{
    memcpy(p->oid, oid, n);
    p->oid_len = (uint8_t)n;
}

void fake_reset(void)
{
    static const uint8_t krb5[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                   0xf7, 0x12, 0x01, 0x02, 0x02};
    static const uint8_t ntlm[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                   0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};
    PSECPKG_FUNCTION_TABLE lsa = fake.lsa;
    PSECPKG_USER_FUNCTION_TABLE user = fake.user;

    memset(&fake, 0, sizeof(fake));
    fake.lsa = lsa;
    fake.user = user;
    fake.npkgs = 2;
    fake.pkgs[0] = (struct fake_pkg){.name = u"Kerberos",
                                     .caps = SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_INTEGRITY,
                                     .legs = 2,
                                     .integrity = true,
                                     .prefix = krb_prefix,
                                     .prefix_len = sizeof(krb_prefix),
                                     .max_token = 1000};
    set_oid(&fake.pkgs[0], krb5, sizeof(krb5));
    fake.pkgs[1] = (struct fake_pkg){.name = u"NTLM",
                                     .caps = SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_INTEGRITY,
                                     .legs = 3,
                                     .integrity = true,
                                     .prefix = ntlm_prefix,
                                     .prefix_len = sizeof(ntlm_prefix),
                                     .max_token = 1000};
    set_oid(&fake.pkgs[1], ntlm, sizeof(ntlm));
}

static LSA_SECPKG_FUNCTION_TABLE lsa_functions = {
    .AllocateLsaHeap = heap_alloc,
    .FreeLsaHeap = heap_free,
};

static SECPKG_DLL_FUNCTIONS dll_functions = {
    .AllocateHeap = heap_alloc,
    .FreeHeap = heap_free,
};

void fake_load(void)
{
    static bool loaded;
    static const struct pkg_descriptor *const pkgs[] = {&negotiate_package};
    SECPKG_PARAMETERS params = {0};
    PSECPKG_FUNCTION_TABLE lsa;
    PSECPKG_USER_FUNCTION_TABLE user;
    ULONG ver, n;

    if (loaded)
        return;
    if (pkg_lsa_mode_initialize(pkgs, 1, SECPKG_INTERFACE_VERSION, &ver, &lsa, &n) != 0 ||
        lsa->Initialize(1, &params, &lsa_functions) != 0)
        abort();
    SECPKG_EXTENDED_INFORMATION info = {.Class = SecpkgLibsspiHost};
    info.Info.LibsspiHost.Version = SECPKG_LIBSSPI_HOST_VERSION_1;
    info.Info.LibsspiHost.Services = &services;
    if (lsa->SetExtendedInformation(SecpkgLibsspiHost, &info) != 0)
        abort();
    if (pkg_user_mode_initialize(pkgs, 1, SECPKG_INTERFACE_VERSION, &ver, &user, &n) != 0 ||
        user->InstanceInit(ver, &dll_functions, NULL) != 0)
        abort();
    fake.lsa = lsa;
    fake.user = user;
    loaded = true;
}

SECURITY_STATUS fake_sibling_init(unsigned index, CtxtHandle *ctx, bool fresh, const void *in,
                                  size_t in_len, void **out, size_t *out_len)
{
    SecBuffer ib = {(ULONG)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attr;
    SECURITY_STATUS st = sibling_step(&fake.pkgs[index], true, fresh ? NULL : ctx, in ? &id : NULL,
                                      ISC_REQ_ALLOCATE_MEMORY, ctx, &od, &attr);

    *out = ob.pvBuffer;
    *out_len = ob.cbBuffer;
    return st;
}
