/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-provider.c - a provider-shape plugin: it exports only
 * InitSecurityInterfaceW, returning its own SecurityFunctionTableW with one
 * package, "MockProvider".  The handshake, signing and sealing follow the
 * same token formats as the SSP/AP mocks (mock-common.c); arguments seen
 * are recorded in mock_state.pkg[0].  Buffers it hands out carry a private
 * header and must come back through this table's FreeContextBuffer.
 *
 * Built twice more with MOCK_PROVIDER_BROKEN: 1 (mock-provider-null)
 * InitSecurityInterfaceW returns NULL; 2 (mock-provider-noname) the
 * enumeration answers one package without a name.  Both must be refused.
 *
 * Built once more with MOCK_PROVIDER_DEEP (mock-provider-deep, package
 * "MockDeep"): like another SSPI implementation, it also exports
 * QuerySecurityPackageInfoW and FreeContextBuffer and calls them itself
 * from its enumeration.  Unless the host loads it so that its calls bind
 * to its own functions, they reach the host's same-named exports and the
 * enumeration fails.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mock-common.h"

#ifndef MOCK_PROVIDER_BROKEN
#define MOCK_PROVIDER_BROKEN 0
#endif

#define PROV_MAGIC     ((ULONG_PTR)0x50524f56) /* "PROV" in dwUpper */
#define PROV_BUF_MAGIC UINT64_C(0x50524f5642554631)

#ifndef MOCK_PROVIDER_DEEP
#define MOCK_PROVIDER_DEEP 0
#endif

#if MOCK_PROVIDER_DEEP
static const char16_t prov_name[] = u"MockDeep";
#else
static const char16_t prov_name[] = u"MockProvider";
#endif
static const char16_t prov_comment[] = u"provider-shape test plugin";
static const struct mock_pkg_desc prov_desc[] = {
    {prov_name, prov_comment, SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION,
     1, SECPKG_ID_NONE, 48, STATUS_SUCCESS},
};

static pthread_mutex_t prov_lock = PTHREAD_MUTEX_INITIALIZER;

struct prov_obj {
    int kind; /* 1 credential, 2 context */
    int side;
    int stage;
    uint8_t key;
    bool live;
};

#define PROV_MAX 4096
static struct prov_obj prov_objs[PROV_MAX];
static size_t prov_used;
static uint8_t prov_next_key = 0x41;

static void *prov_alloc(size_t n)
{
    uint64_t *p = calloc(1, n + 16);

    if (p == NULL)
        return NULL;
    p[0] = PROV_BUF_MAGIC;
    p[1] = n;
    return p + 2;
}

static SECURITY_STATUS SEC_ENTRY prov_free_context_buffer(void *b)
{
    uint64_t *p = b;

    if (b == NULL)
        return SEC_E_OK;
    if (p[-2] != PROV_BUF_MAGIC) {
        mock_violation("provider FreeContextBuffer: buffer not from this provider");
        return SEC_E_INVALID_HANDLE;
    }
    p[-2] = 0;
    free(p - 2);
    return SEC_E_OK;
}

/* Object behind a handle of `kind`; NULL (and a violation) if the host
 * passes a handle this provider never issued or already closed. */
static struct prov_obj *prov_get(PSecHandle h, int kind, const char *fn)
{
    if (h == NULL || h->dwUpper != PROV_MAGIC || h->dwLower == 0 || h->dwLower > prov_used ||
        prov_objs[h->dwLower - 1].kind != kind || !prov_objs[h->dwLower - 1].live) {
        mock_violation("%s: handle {%#lx,%#lx} not issued by the provider or closed", fn,
                       h ? (unsigned long)h->dwLower : 0UL, h ? (unsigned long)h->dwUpper : 0UL);
        return NULL;
    }
    return &prov_objs[h->dwLower - 1];
}

static struct prov_obj *prov_new(int kind, PSecHandle out)
{
    struct prov_obj *o;

    if (prov_used == PROV_MAX)
        return NULL;
    o = &prov_objs[prov_used++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->live = true;
    out->dwLower = prov_used;
    out->dwUpper = PROV_MAGIC;
    return o;
}

static bool is_prov_name(const SEC_WCHAR *n)
{
    size_t i;

    if (n == NULL)
        return false;
    for (i = 0; prov_name[i] != 0; i++) {
        char16_t a = n[i], b = prov_name[i];

        if (a >= 'a' && a <= 'z')
            a = (char16_t)(a - 32);
        if (b >= 'a' && b <= 'z')
            b = (char16_t)(b - 32);
        if (a != b)
            return false;
    }
    return n[i] == 0;
}

static SecPkgInfoW *prov_info(void)
{
    SecPkgInfoW *i = prov_alloc(sizeof(*i) + sizeof(prov_name) + sizeof(prov_comment));

    if (i == NULL)
        return NULL;
    i->fCapabilities = prov_desc[0].capabilities;
    i->wVersion = prov_desc[0].version;
    i->wRPCID = prov_desc[0].rpcid;
    i->cbMaxToken = prov_desc[0].max_token;
    i->Name = (SEC_WCHAR *)(i + 1);
    memcpy(i->Name, prov_name, sizeof(prov_name));
    i->Comment = i->Name + sizeof(prov_name) / 2;
    memcpy(i->Comment, prov_comment, sizeof(prov_comment));
    return i;
}

#if MOCK_PROVIDER_DEEP
/* Exported under the SSPI names, as a whole SSPI library exports them. */
MOCK_EXPORT SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *name, PSecPkgInfoW *pp);
MOCK_EXPORT SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *b);

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *b)
{
    return prov_free_context_buffer(b);
}
#endif

static SECURITY_STATUS SEC_ENTRY prov_query_info(SEC_WCHAR *name, PSecPkgInfoW *pp);

static SECURITY_STATUS SEC_ENTRY prov_enumerate(uint32_t *pc, PSecPkgInfoW *pp)
{
    if (pc == NULL || pp == NULL)
        return SEC_E_INVALID_PARAMETER;
#if MOCK_PROVIDER_DEEP
    {
        /* Through the exported names: bound to this module only when the
         * host isolates it. */
        PSecPkgInfoW probe = NULL;
        SECURITY_STATUS st = QuerySecurityPackageInfoW((SEC_WCHAR *)prov_name, &probe);

        if (st != SEC_E_OK)
            return st;
        st = FreeContextBuffer(probe);
        if (st != SEC_E_OK)
            return st;
    }
#endif
    if ((*pp = prov_info()) == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
#if MOCK_PROVIDER_BROKEN == 2
    (*pp)->Name = NULL;
#endif
    *pc = 1;
    return SEC_E_OK;
}

#if MOCK_PROVIDER_DEEP
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *name, PSecPkgInfoW *pp)
{
    return prov_query_info(name, pp);
}
#endif

static SECURITY_STATUS SEC_ENTRY prov_query_info(SEC_WCHAR *name, PSecPkgInfoW *pp)
{
    if (!is_prov_name(name))
        return SEC_E_SECPKG_NOT_FOUND;
    if (pp == NULL)
        return SEC_E_INVALID_PARAMETER;
    return (*pp = prov_info()) ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

static SECURITY_STATUS SEC_ENTRY prov_acquire(SEC_WCHAR *principal, SEC_WCHAR *pkg, uint32_t use,
                                              void *logon, void *auth, SEC_GET_KEY_FN fn, void *arg,
                                              PCredHandle cred, PTimeStamp expiry)
{
    struct mock_pkg_record *r = &mock_state.pkg[0];
    SECURITY_STATUS st = SEC_E_OK;

    (void)logon, (void)auth, (void)fn, (void)arg;
    pthread_mutex_lock(&prov_lock);
    r->ach_calls++;
    r->cred_use = use;
    r->principal_present = principal != NULL;
    r->principal[0] = '\0';
    if (principal != NULL)
        mock_utf16_to_utf8(principal, (size_t)-1, r->principal, sizeof(r->principal));
    if (!is_prov_name(pkg)) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    if (cred == NULL) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (prov_new(1, cred) == NULL) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    r->live_credentials++;
    if (expiry != NULL)
        expiry->QuadPart = 0x0123456789abcdefLL;
out:
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_free_cred(PCredHandle h)
{
    struct prov_obj *o;
    SECURITY_STATUS st = SEC_E_OK;

    pthread_mutex_lock(&prov_lock);
    if ((o = prov_get(h, 1, "provider FreeCredentialsHandle")) == NULL) {
        st = SEC_E_INVALID_HANDLE;
    } else {
        o->live = false;
        mock_state.pkg[0].live_credentials--;
    }
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS prov_write_token(PSecBufferDesc out, const char tag[8], uint8_t key,
                                        uint32_t req, uint32_t *attrs)
{
    SecBuffer *b;

    if (!mock_desc_ok(out, "provider output") || (b = mock_desc_find(out, SECBUFFER_TOKEN)) == NULL)
        return SEC_E_INVALID_TOKEN;
    if (b->pvBuffer == NULL) {
        if ((req & ISC_REQ_ALLOCATE_MEMORY) == 0)
            return SEC_E_BUFFER_TOO_SMALL;
        if ((b->pvBuffer = prov_alloc(MOCK_TOKEN_LEN)) == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        *attrs |= ISC_RET_ALLOCATED_MEMORY;
    } else if (b->cbBuffer < MOCK_TOKEN_LEN) {
        return SEC_E_BUFFER_TOO_SMALL;
    }
    memset(b->pvBuffer, 0, MOCK_TOKEN_LEN);
    memcpy(b->pvBuffer, tag, 8);
    ((uint8_t *)b->pvBuffer)[8] = key;
    b->cbBuffer = MOCK_TOKEN_LEN;
    return SEC_E_OK;
}

static int prov_read_token(PSecBufferDesc in, const char tag[8])
{
    SecBuffer *b;

    if (!mock_desc_ok(in, "provider input") || (b = mock_desc_find(in, SECBUFFER_TOKEN)) == NULL ||
        b->pvBuffer == NULL || b->cbBuffer < MOCK_TOKEN_LEN || memcmp(b->pvBuffer, tag, 8) != 0)
        return -1;
    return ((const uint8_t *)b->pvBuffer)[8];
}

static SECURITY_STATUS SEC_ENTRY prov_isc(PCredHandle cred, PCtxtHandle ctx, SEC_WCHAR *target,
                                          uint32_t req, uint32_t r1, uint32_t drep,
                                          PSecBufferDesc in, uint32_t r2, PCtxtHandle newctx,
                                          PSecBufferDesc out, uint32_t *attrs, PTimeStamp expiry)
{
    struct mock_pkg_record *r = &mock_state.pkg[0];
    struct prov_obj *o;
    SECURITY_STATUS st;
    uint32_t a = req & 0x3f;
    int key;

    (void)r1, (void)drep, (void)r2, (void)expiry;
    pthread_mutex_lock(&prov_lock);
    r->isc_calls++;
    r->context_req = req;
    r->target[0] = '\0';
    if (target != NULL)
        mock_utf16_to_utf8(target, (size_t)-1, r->target, sizeof(r->target));
    if (ctx == NULL) {
        if (prov_get(cred, 1, "provider InitializeSecurityContextW") == NULL) {
            st = SEC_E_INVALID_HANDLE;
            goto out;
        }
        if (newctx == NULL || (o = prov_new(2, newctx)) == NULL) {
            st = SEC_E_INVALID_PARAMETER;
            goto out;
        }
        o->side = 1;
        o->stage = 1;
        if ((st = prov_write_token(out, "MOCKNEG1", 0, req, &a)) != SEC_E_OK) {
            o->live = false;
            goto out;
        }
        mock_state.pkg[0].live_contexts++;
        if (attrs)
            *attrs = a;
        st = SEC_I_CONTINUE_NEEDED;
        goto out;
    }
    if ((o = prov_get(ctx, 2, "provider InitializeSecurityContextW")) == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if (o->side != 1 || o->stage != 1) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto out;
    }
    if ((key = prov_read_token(in, "MOCKCHL2")) < 0) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    o->key = (uint8_t)key;
    if ((st = prov_write_token(out, "MOCKAUT3", o->key, req, &a)) != SEC_E_OK)
        goto out;
    o->stage = 2;
    if (newctx != NULL)
        *newctx = *ctx;
    if (attrs)
        *attrs = a;
    st = SEC_E_OK;
out:
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_asc(PCredHandle cred, PCtxtHandle ctx, PSecBufferDesc in,
                                          uint32_t req, uint32_t drep, PCtxtHandle newctx,
                                          PSecBufferDesc out, uint32_t *attrs, PTimeStamp expiry)
{
    struct prov_obj *o;
    SECURITY_STATUS st;
    uint32_t a = req & 0x3f;
    SecBuffer *b;

    (void)drep, (void)expiry;
    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].asc_calls++;
    if (ctx == NULL) {
        if (prov_get(cred, 1, "provider AcceptSecurityContext") == NULL) {
            st = SEC_E_INVALID_HANDLE;
            goto out;
        }
        if (prov_read_token(in, "MOCKNEG1") < 0) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        if (newctx == NULL || (o = prov_new(2, newctx)) == NULL) {
            st = SEC_E_INVALID_PARAMETER;
            goto out;
        }
        o->side = 2;
        o->stage = 1;
        o->key = prov_next_key++;
        if ((st = prov_write_token(out, "MOCKCHL2", o->key, req, &a)) != SEC_E_OK) {
            o->live = false;
            goto out;
        }
        mock_state.pkg[0].live_contexts++;
        if (attrs)
            *attrs = a;
        st = SEC_I_CONTINUE_NEEDED;
        goto out;
    }
    if ((o = prov_get(ctx, 2, "provider AcceptSecurityContext")) == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if (o->side != 2 || o->stage != 1) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto out;
    }
    if (prov_read_token(in, "MOCKAUT3") != o->key) {
        st = SEC_E_LOGON_DENIED;
        goto out;
    }
    if (mock_desc_ok(out, "provider output") && (b = mock_desc_find(out, SECBUFFER_TOKEN)))
        b->cbBuffer = 0;
    o->stage = 2;
    if (newctx != NULL)
        *newctx = *ctx;
    if (attrs)
        *attrs = a;
    st = SEC_E_OK;
out:
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_delete_ctx(PCtxtHandle h)
{
    struct prov_obj *o;
    SECURITY_STATUS st = SEC_E_OK;

    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].lsa_delete_calls++;
    if ((o = prov_get(h, 2, "provider DeleteSecurityContext")) == NULL) {
        st = SEC_E_INVALID_HANDLE;
    } else {
        o->live = false;
        mock_state.pkg[0].live_contexts--;
    }
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_qca(PCtxtHandle h, uint32_t attr, void *buf)
{
    static const char16_t user[] = u"provuser";
    struct prov_obj *o;
    SECURITY_STATUS st = SEC_E_OK;

    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].qca_calls++;
    if ((o = prov_get(h, 2, "provider QueryContextAttributesW")) == NULL) {
        st = SEC_E_INVALID_HANDLE;
    } else if (o->stage != 2) {
        st = SEC_E_INVALID_HANDLE;
    } else if (attr == SECPKG_ATTR_SIZES) {
        SecPkgContext_Sizes *s = buf;

        s->cbMaxToken = prov_desc[0].max_token;
        s->cbMaxSignature = MOCK_SIG_LEN;
        s->cbBlockSize = 0;
        s->cbSecurityTrailer = MOCK_SIG_LEN;
    } else if (attr == SECPKG_ATTR_NAMES) {
        void *p = prov_alloc(sizeof(user));

        if (p == NULL) {
            st = SEC_E_INSUFFICIENT_MEMORY;
        } else {
            memcpy(p, user, sizeof(user));
            ((SecPkgContext_NamesW *)buf)->sUserName = p;
        }
    } else {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    }
    pthread_mutex_unlock(&prov_lock);
    return st;
}

/* The provider impersonates (and reverts) itself; its token is a constant. */
static SECURITY_STATUS SEC_ENTRY prov_impersonate(PCtxtHandle h)
{
    SECURITY_STATUS st;

    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].prov_impersonate_calls++;
    st = prov_get(h, 2, "provider ImpersonateSecurityContext") ? SEC_E_OK : SEC_E_INVALID_HANDLE;
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_revert(PCtxtHandle h)
{
    SECURITY_STATUS st;

    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].prov_revert_calls++;
    st = prov_get(h, 2, "provider RevertSecurityContext") ? SEC_E_OK : SEC_E_INVALID_HANDLE;
    pthread_mutex_unlock(&prov_lock);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_query_token(PCtxtHandle h, void **token)
{
    SECURITY_STATUS st = SEC_E_INVALID_HANDLE;

    pthread_mutex_lock(&prov_lock);
    mock_state.pkg[0].prov_token_calls++;
    if (prov_get(h, 2, "provider QuerySecurityContextToken") != NULL) {
        *token = MOCK_PROVIDER_TOKEN;
        st = SEC_E_OK;
    }
    pthread_mutex_unlock(&prov_lock);
    return st;
}

/* Start of a message call; returns the context's key or -1 with *st. */
static int prov_message_begin(PCtxtHandle h, uint32_t qop, PSecBufferDesc d, uint32_t seq,
                              const char *fn, SECURITY_STATUS *st)
{
    struct mock_pkg_record *r = &mock_state.pkg[0];
    struct prov_obj *o;
    int key = -1;

    pthread_mutex_lock(&prov_lock);
    r->last_qop = qop;
    r->last_seq = seq;
    r->last_desc = (uint64_t)(uintptr_t)d;
    r->last_pbuffers = d ? (uint64_t)(uintptr_t)d->pBuffers : 0;
    r->last_cbuffers = d ? d->cBuffers : 0;
    if ((o = prov_get(h, 2, fn)) == NULL || o->stage != 2)
        *st = SEC_E_INVALID_HANDLE;
    else if (!mock_desc_ok(d, fn))
        *st = SEC_E_INVALID_TOKEN;
    else
        key = o->key;
    pthread_mutex_unlock(&prov_lock);
    return key;
}

static SECURITY_STATUS SEC_ENTRY prov_sign(PCtxtHandle h, uint32_t qop, PSecBufferDesc d,
                                           uint32_t seq)
{
    SECURITY_STATUS st;
    int key;

    mock_state.pkg[0].sign_calls++;
    if ((key = prov_message_begin(h, qop, d, seq, "provider MakeSignature", &st)) < 0)
        return st;
    return mock_write_trailer(d, "MSIG", 0, 0, qop, seq, mock_message_checksum(d, (uint8_t)key));
}

static SECURITY_STATUS SEC_ENTRY prov_verify(PCtxtHandle h, PSecBufferDesc d, uint32_t seq,
                                             uint32_t *pqop)
{
    SECURITY_STATUS st;
    uint32_t qop = 0;
    int key;

    mock_state.pkg[0].verify_calls++;
    mock_state.pkg[0].last_pfqop_null = pqop == NULL;
    if ((key = prov_message_begin(h, 0, d, seq, "provider VerifySignature", &st)) < 0)
        return st;
    st = mock_check_trailer(d, "MSIG", 0, seq, mock_message_checksum(d, (uint8_t)key), &qop);
    if (st == SEC_E_OK && pqop != NULL)
        *pqop = qop;
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_encrypt(PCtxtHandle h, uint32_t qop, PSecBufferDesc d,
                                              uint32_t seq)
{
    SECURITY_STATUS st;
    int key;

    mock_state.pkg[0].seal_calls++;
    if ((key = prov_message_begin(h, qop, d, seq, "provider EncryptMessage", &st)) < 0)
        return st;
    st = mock_write_trailer(d, "MSEL", 0, 0, qop, seq, mock_message_checksum(d, (uint8_t)key));
    if (st == SEC_E_OK)
        mock_xor_data(d, (uint8_t)key);
    return st;
}

static SECURITY_STATUS SEC_ENTRY prov_decrypt(PCtxtHandle h, PSecBufferDesc d, uint32_t seq,
                                              uint32_t *pqop)
{
    SECURITY_STATUS st;
    uint32_t qop = 0;
    int key;

    mock_state.pkg[0].unseal_calls++;
    if ((key = prov_message_begin(h, 0, d, seq, "provider DecryptMessage", &st)) < 0)
        return st;
    mock_xor_data(d, (uint8_t)key);
    st = mock_check_trailer(d, "MSEL", 0, seq, mock_message_checksum(d, (uint8_t)key), &qop);
    if (st == SEC_E_OK && pqop != NULL)
        *pqop = qop;
    return st;
}

static SecurityFunctionTableW prov_table = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesW = prov_enumerate,
    .AcquireCredentialsHandleW = prov_acquire,
    .FreeCredentialsHandle = prov_free_cred,
    .InitializeSecurityContextW = prov_isc,
    .AcceptSecurityContext = prov_asc,
    .DeleteSecurityContext = prov_delete_ctx,
    .QueryContextAttributesW = prov_qca,
    .MakeSignature = prov_sign,
    .VerifySignature = prov_verify,
    .FreeContextBuffer = prov_free_context_buffer,
    .QuerySecurityPackageInfoW = prov_query_info,
    .EncryptMessage = prov_encrypt,
    .DecryptMessage = prov_decrypt,
    .ImpersonateSecurityContext = prov_impersonate,
    .RevertSecurityContext = prov_revert,
    .QuerySecurityContextToken = prov_query_token,
};

/* Provider entry point: the static MockProvider table (NULL when broken). */
MOCK_EXPORT PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void)
{
    mock_state.lsa_init_calls++;
    mock_setup(prov_desc, 1);
    return MOCK_PROVIDER_BROKEN == 1 ? NULL : &prov_table;
}
