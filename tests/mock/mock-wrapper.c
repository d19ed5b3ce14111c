/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-wrapper.c - "MockWrap", a package that drives a sibling package
 * through the host services (SECPKG_LIBSSPI_HOST_SERVICES), as Negotiate
 * does, without linking libsspi.
 *
 * The sibling is the package named by its `option.inner` setting
 * (default MockGood).  Credentials and handshake legs are the sibling's,
 * passed through unchanged (a MockWrap client talks to a MockWrap server
 * with the sibling's tokens); once a context is established its
 * per-message calls go straight to the sibling's context through
 * GetMessageTarget, or through the services' own MakeSignature and the
 * rest when the caller sets MOCK_ATTR_WRAP_VIA_SERVICES on it.
 * Attributes, export and import are the sibling's.  Its handles are
 * pointers to its own objects, so the per-message path takes no lock.
 *
 * What it sees of the services is recorded in mock_state.wrap: the call
 * made while it is being loaded, EnumeratePackages (order, itself left
 * out, the sibling's OID), its own name refused, a battery of bad handles
 * (client target MOCK_TARGET_WRAP_BAD) and an enumeration from a thread of
 * its own (MOCK_TARGET_WRAP_THREAD).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock-common.h"

static const struct mock_pkg_desc wrap_desc[] = {
    {u"MockWrap", u"drives a sibling through the host services",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION, 1, SECPKG_ID_NONE, 64,
     STATUS_SUCCESS},
};

static const SECPKG_LIBSSPI_HOST_SERVICES *svc;
static PLSA_SECPKG_FUNCTION_TABLE lsa;
static char16_t inner[64] = u"MockGood";
static struct mock_wrap_record *const rec = &mock_state.wrap;

struct wrap_cred {
    CredHandle inner;
};

struct wrap_ctx {
    CtxtHandle inner;
    bool have_inner;
    bool lsa_side; /* made by a handshake (not imported) */
    bool user_deleted;
    atomic_bool via_services;
    SECPKG_LIBSSPI_MESSAGE_TARGET target;
};

#define WRAP_HANDLE(p) ((LSA_SEC_HANDLE)(uintptr_t)(p))
#define WRAP_CTX(h)    ((struct wrap_ctx *)(uintptr_t)(h))
#define WRAP_CRED(h)   ((struct wrap_cred *)(uintptr_t)(h))

/* A UNICODE_STRING as a NUL-terminated string in out[cap] (NULL if none). */
static const char16_t *ustr(const UNICODE_STRING *u, char16_t *out, size_t cap)
{
    size_t n;

    if (u == NULL || u->Buffer == NULL)
        return NULL;
    n = u->Length / 2 < cap - 1 ? u->Length / 2 : cap - 1;
    memcpy(out, u->Buffer, n * 2);
    out[n] = 0;
    return out;
}

static bool u16eq(const char16_t *a, const char16_t *b)
{
    while (*a != 0 && *a == *b)
        a++, b++;
    return *a == *b;
}

/* ---- what the services tell ---------------------------------------------- */

static void record_enumeration(void)
{
    PSECPKG_LIBSSPI_PACKAGE_INFO p = NULL;
    ULONG n = 0;
    size_t off = 0;

    rec->enumerate_calls++;
    rec->enumerate_status = svc->EnumeratePackages(&n, &p);
    if (rec->enumerate_status != SEC_E_OK)
        return;
    rec->enumerated = n;
    rec->order[0] = '\0';
    for (ULONG i = 0; i < n; i++) {
        char name[64];
        int w;

        mock_utf16_to_utf8(p[i].Name, (size_t)-1, name, sizeof(name));
        w = snprintf(rec->order + off, sizeof(rec->order) - off, "%s%s:%u", off ? "," : "", name,
                     (unsigned)p[i].MechOidLength);
        if (w > 0 && (size_t)w < sizeof(rec->order) - off)
            off += (size_t)w;
        if (u16eq(p[i].Name, u"MockWrap"))
            rec->saw_self = 1;
        if (u16eq(p[i].Name, inner)) {
            rec->saw_inner = 1;
            rec->inner_id = p[i].PackageId;
            rec->inner_oid_len = p[i].MechOidLength;
            if (p[i].MechOid != NULL && p[i].MechOidLength <= sizeof(rec->inner_oid))
                memcpy(rec->inner_oid, p[i].MechOid, p[i].MechOidLength);
        }
    }
    if (svc->FreeBuffer(p) != SEC_E_OK)
        mock_violation("host FreeBuffer refused the EnumeratePackages block");
}

static void *thread_enumerate(void *arg)
{
    PSECPKG_LIBSSPI_PACKAGE_INFO p = NULL;
    ULONG n = 0;

    (void)arg;
    rec->thread_enumerate = svc->EnumeratePackages(&n, &p);
    for (ULONG i = 0; i < n; i++)
        if (u16eq(p[i].Name, u"MockWrap"))
            rec->thread_saw_self = 1;
    svc->FreeBuffer(p);
    return NULL;
}

static void bad(SECURITY_STATUS st)
{
    if (rec->bad_count < MOCK_WRAP_BAD_MAX)
        rec->bad[rec->bad_count++] = st;
}

/* Bad handles and names through every kind of service call; the order is
 * the one the test expects. */
static void bad_handle_battery(void)
{
    CredHandle zero = {0, 0}, stale;
    CtxtHandle forged = {0x1234, 0x5678}, tmp;
    SECPKG_LIBSSPI_MESSAGE_TARGET t;
    SecPkgContext_Sizes sz;
    char data[8] = "data";
    SecBuffer b = {sizeof(data), SECBUFFER_DATA, data};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    SecBuffer packed = {sizeof(data), SECBUFFER_EMPTY, data};
    PSECPKG_LIBSSPI_PACKAGE_INFO *no_list = NULL;
    static char not_ours[8];

    rec->bad_count = 0;
    bad(svc->InitializeSecurityContext(&zero, NULL, u"t", 0, 0, NULL, &tmp, NULL, NULL, NULL));
    bad(svc->MakeSignature(&forged, 0, &d, 0));
    bad(svc->GetMessageTarget(&forged, &t));
    bad(svc->GetMessageTarget(NULL, &t));
    bad(svc->DeleteSecurityContext(&forged));
    bad(svc->FreeCredentialsHandle(NULL));
    bad(svc->EnumeratePackages(NULL, no_list));
    bad(svc->AcquireCredentialsHandle(u"NoSuchPackage", NULL, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                      &stale, NULL));
    bad(svc->AcquireCredentialsHandle(u"MockWrap", NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, &stale,
                                      NULL));
    bad(svc->ImportSecurityContext(u"MockWrap", &packed, NULL, &tmp));
    bad(svc->QueryContextAttributes(&forged, SECPKG_ATTR_SIZES, &sz));
    if (svc->AcquireCredentialsHandle(inner, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, &stale,
                                      NULL) == SEC_E_OK) {
        svc->FreeCredentialsHandle(&stale);
        bad(svc->FreeCredentialsHandle(&stale));
        bad(svc->InitializeSecurityContext(&stale, NULL, u"t", 0, 0, NULL, &tmp, NULL, NULL, NULL));
    }
    bad(svc->FreeBuffer(not_ours));
    bad(svc->DeleteSecurityContext((PCtxtHandle)&zero));
}

/* ---- LSA mode ------------------------------------------------------------ */

static NTSTATUS NTAPI wrap_initialize(ULONG_PTR id, PSECPKG_PARAMETERS params,
                                      PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)id;
    (void)params;
    lsa = table;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_get_info(PSecPkgInfoW info)
{
    info->fCapabilities = wrap_desc[0].capabilities;
    info->wVersion = wrap_desc[0].version;
    info->wRPCID = wrap_desc[0].rpcid;
    info->cbMaxToken = wrap_desc[0].max_token;
    info->Name = (SEC_WCHAR *)wrap_desc[0].name;
    info->Comment = (SEC_WCHAR *)wrap_desc[0].comment;
    return STATUS_SUCCESS;
}

static void take_settings(const SECPKG_LIBSSPI_CONFIG *c)
{
    for (ULONG i = 0; i < c->SettingCount; i++) {
        const char *v = c->Settings[i].Value;
        size_t k;

        if (strcmp(c->Settings[i].Key, "inner") != 0 || v == NULL)
            continue;
        for (k = 0; v[k] != '\0' && k + 1 < sizeof(inner) / sizeof(inner[0]); k++)
            inner[k] = (char16_t)(unsigned char)v[k];
        inner[k] = 0;
    }
}

static NTSTATUS NTAPI wrap_set_ext(SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                   PSECPKG_EXTENDED_INFORMATION info)
{
    CredHandle c;
    PSECPKG_LIBSSPI_PACKAGE_INFO p = NULL;
    ULONG n = 0;

    if (info == NULL)
        return STATUS_INVALID_PARAMETER;
    if (cls == SecpkgLibsspiConfig) {
        take_settings(&info->Info.LibsspiConfig);
        return STATUS_SUCCESS;
    }
    if (cls != SecpkgLibsspiHost)
        return STATUS_NOT_SUPPORTED;
    rec->host_calls++;
    rec->host_version = info->Info.LibsspiHost.Version;
    if (info->Info.LibsspiHost.Services == NULL)
        return STATUS_INVALID_PARAMETER;
    rec->host_size = info->Info.LibsspiHost.Services->Size;
    if (rec->host_version < SECPKG_LIBSSPI_HOST_VERSION_1 ||
        rec->host_size < sizeof(SECPKG_LIBSSPI_HOST_SERVICES))
        return STATUS_NOT_SUPPORTED;
    svc = info->Info.LibsspiHost.Services;
    /* Still being loaded: the services answer at once, without working. */
    rec->load_enumerate = svc->EnumeratePackages(&n, &p);
    rec->load_acquire =
        svc->AcquireCredentialsHandle(inner, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, &c, NULL);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_acquire(PUNICODE_STRING principal, ULONG use, PLUID logon, PVOID auth,
                                   PVOID getkey, PVOID arg, PLSA_SEC_HANDLE out, PTimeStamp expiry)
{
    char16_t pbuf[256];
    struct wrap_cred *c;
    CredHandle self;
    SECURITY_STATUS st;

    (void)getkey;
    (void)arg;
    if (svc == NULL)
        return SEC_E_INTERNAL_ERROR;
    record_enumeration();
    rec->self_acquire =
        svc->AcquireCredentialsHandle(u"MockWrap", NULL, use, NULL, NULL, &self, NULL);
    if (rec->self_acquire == SEC_E_OK)
        svc->FreeCredentialsHandle(&self);
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return STATUS_NO_MEMORY;
    st = svc->AcquireCredentialsHandle(inner, ustr(principal, pbuf, 256), use, logon, auth,
                                       &c->inner, expiry);
    if (st != SEC_E_OK) {
        free(c);
        return st;
    }
    rec->live_credentials++;
    *out = WRAP_HANDLE(c);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_free_cred(LSA_SEC_HANDLE h)
{
    struct wrap_cred *c = WRAP_CRED(h);
    SECURITY_STATUS st = svc->FreeCredentialsHandle(&c->inner);

    rec->live_credentials--;
    free(c);
    return st;
}

static NTSTATUS NTAPI wrap_query_cred(LSA_SEC_HANDLE h, ULONG attr, PVOID buf)
{
    return svc->QueryCredentialsAttributes(&WRAP_CRED(h)->inner, attr, buf);
}

/* After the sibling's leg: adopt its context into ours. */
static NTSTATUS leg_done(SECURITY_STATUS st, struct wrap_ctx *x, bool fresh, PLSA_SEC_HANDLE newctx,
                         PBOOLEAN mapped, PSecBuffer data)
{
    if (!SEC_SUCCESS(st)) {
        if (fresh)
            free(x);
        return st;
    }
    if (fresh) {
        x->have_inner = true;
        x->lsa_side = true;
        rec->live_contexts++;
    }
    *newctx = WRAP_HANDLE(x);
    data->pvBuffer = NULL;
    data->cbBuffer = 0;
    *mapped = st == SEC_E_OK;
    return st;
}

static NTSTATUS NTAPI wrap_init(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target,
                                ULONG req, ULONG drep, PSecBufferDesc in, PLSA_SEC_HANDLE newctx,
                                PSecBufferDesc out, PULONG attrs, PTimeStamp expiry,
                                PBOOLEAN mapped, PSecBuffer data)
{
    char16_t tbuf[256];
    const char16_t *t = ustr(target, tbuf, 256);
    struct wrap_ctx *x = ctx != 0 ? WRAP_CTX(ctx) : calloc(1, sizeof(*x));
    SECURITY_STATUS st;

    if (x == NULL)
        return STATUS_NO_MEMORY;
    if (t != NULL && u16eq(t, u"" MOCK_TARGET_WRAP_BAD)) {
        bad_handle_battery();
        return leg_done(SEC_E_INVALID_TOKEN, x, ctx == 0, newctx, mapped, data);
    }
    if (t != NULL && u16eq(t, u"" MOCK_TARGET_WRAP_THREAD)) {
        pthread_t th;

        if (pthread_create(&th, NULL, thread_enumerate, NULL) == 0)
            pthread_join(th, NULL);
    }
    st = svc->InitializeSecurityContext(cred ? &WRAP_CRED(cred)->inner : NULL,
                                        ctx ? &x->inner : NULL, t, req, drep, in, &x->inner, out,
                                        attrs, expiry);
    return leg_done(st, x, ctx == 0, newctx, mapped, data);
}

static NTSTATUS NTAPI wrap_accept(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in,
                                  ULONG req, ULONG drep, PLSA_SEC_HANDLE newctx, PSecBufferDesc out,
                                  PULONG attrs, PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    struct wrap_ctx *x = ctx != 0 ? WRAP_CTX(ctx) : calloc(1, sizeof(*x));
    SECURITY_STATUS st;

    if (x == NULL)
        return STATUS_NO_MEMORY;
    st = svc->AcceptSecurityContext(cred ? &WRAP_CRED(cred)->inner : NULL, ctx ? &x->inner : NULL,
                                    in, req, drep, &x->inner, out, attrs, expiry);
    return leg_done(st, x, ctx == 0, newctx, mapped, data);
}

static void release_ctx(struct wrap_ctx *x)
{
    if (x->have_inner && svc->DeleteSecurityContext(&x->inner) != SEC_E_OK)
        mock_violation("MockWrap: the sibling context could not be deleted");
    rec->live_contexts--;
    free(x);
}

static NTSTATUS NTAPI wrap_delete(LSA_SEC_HANDLE h)
{
    release_ctx(WRAP_CTX(h));
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_query_ctx(LSA_SEC_HANDLE h, ULONG attr, PVOID buf)
{
    return svc->QueryContextAttributes(&WRAP_CTX(h)->inner, attr, buf);
}

static NTSTATUS NTAPI wrap_set_ctx(LSA_SEC_HANDLE h, ULONG attr, PVOID buf, ULONG cb)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    if (attr == MOCK_ATTR_WRAP_VIA_SERVICES && buf != NULL && cb == sizeof(ULONG)) {
        atomic_store(&x->via_services, *(ULONG *)buf != 0);
        return STATUS_SUCCESS;
    }
    return svc->SetContextAttributes(&x->inner, attr, buf, cb);
}

/* ---- user mode ----------------------------------------------------------- */

static NTSTATUS NTAPI wrap_instance_init(ULONG version, PSECPKG_DLL_FUNCTIONS dll, PVOID *unused)
{
    (void)version;
    (void)dll;
    (void)unused;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_init_user(LSA_SEC_HANDLE h, PSecBuffer packed)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    (void)packed;
    rec->target_status = svc->GetMessageTarget(&x->inner, &x->target);
    return rec->target_status;
}

static NTSTATUS NTAPI wrap_sign(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    if (atomic_load_explicit(&x->via_services, memory_order_relaxed)) {
        rec->service_calls++;
        return svc->MakeSignature(&x->inner, qop, m, seq);
    }
    return x->target.MakeSignature(x->target.Context, qop, m, seq);
}

static NTSTATUS NTAPI wrap_verify(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    if (atomic_load_explicit(&x->via_services, memory_order_relaxed)) {
        rec->service_calls++;
        return svc->VerifySignature(&x->inner, m, seq, qop);
    }
    return x->target.VerifySignature(x->target.Context, m, seq, qop);
}

static NTSTATUS NTAPI wrap_seal(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    if (atomic_load_explicit(&x->via_services, memory_order_relaxed)) {
        rec->service_calls++;
        return svc->EncryptMessage(&x->inner, qop, m, seq);
    }
    return x->target.SealMessage(x->target.Context, qop, m, seq);
}

static NTSTATUS NTAPI wrap_unseal(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    if (atomic_load_explicit(&x->via_services, memory_order_relaxed)) {
        rec->service_calls++;
        return svc->DecryptMessage(&x->inner, m, seq, qop);
    }
    return x->target.UnsealMessage(x->target.Context, m, seq, qop);
}

/* The user-mode side goes first; a handshake context keeps its object
 * for the LSA-mode DeleteContext, an imported one is released here. */
static NTSTATUS NTAPI wrap_delete_user(LSA_SEC_HANDLE h)
{
    struct wrap_ctx *x = WRAP_CTX(h);

    x->user_deleted = true;
    if (!x->lsa_side)
        release_ctx(x);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI wrap_export(LSA_SEC_HANDLE h, ULONG flags, PSecBuffer packed, PHANDLE token)
{
    return svc->ExportSecurityContext(&WRAP_CTX(h)->inner, flags, packed, (PVOID *)token);
}

static NTSTATUS NTAPI wrap_import(PSecBuffer packed, HANDLE token, PLSA_SEC_HANDLE out)
{
    struct wrap_ctx *x = calloc(1, sizeof(*x));
    SECURITY_STATUS st;

    if (x == NULL)
        return STATUS_NO_MEMORY;
    st = svc->ImportSecurityContext(inner, packed, token, &x->inner);
    if (st == SEC_E_OK) {
        x->have_inner = true;
        rec->live_contexts++;
        st = rec->target_status = svc->GetMessageTarget(&x->inner, &x->target);
        if (st != SEC_E_OK)
            release_ctx(x);
    } else {
        free(x);
    }
    if (st == SEC_E_OK)
        *out = WRAP_HANDLE(x);
    return st;
}

static SECPKG_FUNCTION_TABLE wrap_lsa = {
    .Initialize = wrap_initialize,
    .Shutdown = wrap_shutdown,
    .GetInfo = wrap_get_info,
    .AcquireCredentialsHandle = wrap_acquire,
    .QueryCredentialsAttributes = wrap_query_cred,
    .FreeCredentialsHandle = wrap_free_cred,
    .InitLsaModeContext = wrap_init,
    .AcceptLsaModeContext = wrap_accept,
    .DeleteContext = wrap_delete,
    .QueryContextAttributes = wrap_query_ctx,
    .SetExtendedInformation = wrap_set_ext,
    .SetContextAttributes = wrap_set_ctx,
};

static SECPKG_USER_FUNCTION_TABLE wrap_user = {
    .InstanceInit = wrap_instance_init,
    .InitUserModeContext = wrap_init_user,
    .MakeSignature = wrap_sign,
    .VerifySignature = wrap_verify,
    .SealMessage = wrap_seal,
    .UnsealMessage = wrap_unseal,
    .QueryContextAttributes = wrap_query_ctx,
    .DeleteUserModeContext = wrap_delete_user,
    .ExportContext = wrap_export,
    .ImportContext = wrap_import,
};

/* LSA-mode entry point: the MockWrap table (interface version 2, for
 * SetContextAttributes). */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(wrap_desc, 1);
    *PackageVersion = SECPKG_INTERFACE_VERSION_2;
    *ppTables = &wrap_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: its user table. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &wrap_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
