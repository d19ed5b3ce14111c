/*
 * ntlm-context.c - NTLM security contexts: life cycle, key set-up for the
 * per-message functions, the packed form used both as the LSA->user-mode
 * ContextData and for ExportSecurityContext/ImportSecurityContext, and
 * QueryContextAttributes.
 *
 * Packed form (little-endian): "NTLMCTX1", u32 version (1), u32 bits
 * (1 server, 2 datagram, 4 null session, 8 RC4 state included), u32 NTLM
 * flags, u32 context attributes, u64 start, u64 expiry, 16-byte exported
 * session key, u32 send seq, u32 recv seq, four strings (user, domain,
 * workstation, target) as u32 length + UTF-16LE bytes, then optionally
 * u32 RC4 state size + the send and receive RC4 states.  The packed form
 * holds session keys: it must stay on the machine (as on Windows).
 */
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

PLSA_SECPKG_FUNCTION_TABLE ntlm_lsa;
PSECPKG_DLL_FUNCTIONS ntlm_dll;

#define PACK_MAGIC "NTLMCTX1"
#define PACK_VERSION 1u
#define PACK_SERVER 1u
#define PACK_DATAGRAM 2u
#define PACK_NULL 4u
#define PACK_STATE 8u

/* See ntlm-pkg.h.  The new context holds its LSA side. */
struct ntlm_context *ntlm_context_new(bool server)
{
    struct ntlm_context *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->magic = NTLM_CTX_MAGIC;
    atomic_init(&c->sides, 1);
    atomic_init(&c->keyed, false);
    atomic_init(&c->retired, false);
    c->server = server;
    pthread_mutex_init(&c->send.lock, NULL);
    pthread_mutex_init(&c->recv.lock, NULL);
    return c;
}

/* See ntlm-pkg.h. */
struct ntlm_context *ntlm_context_from_handle(LSA_SEC_HANDLE h)
{
    struct ntlm_context *c = (struct ntlm_context *)h;

    if (!c || c->magic != NTLM_CTX_MAGIC)
        return NULL;
    return c;
}

static void context_free(struct ntlm_context *c)
{
    ntlm_identity_clear(&c->id);
    ntlm_buf_free(&c->neg_msg);
    ntlm_buf_free(&c->chal_msg);
    ntlm_buf_free(&c->user);
    ntlm_buf_free(&c->domain);
    ntlm_buf_free(&c->workstation);
    ntlm_buf_free(&c->target);
    pthread_mutex_destroy(&c->send.lock);
    pthread_mutex_destroy(&c->recv.lock);
    crypto_wipe(c, sizeof(*c));
    c->magic = NTLM_DEAD_MAGIC;
    free(c);
}

/* See ntlm-pkg.h. */
void ntlm_context_release(struct ntlm_context *ctx)
{
    if (atomic_fetch_sub(&ctx->sides, 1) == 1)
        context_free(ctx);
}

static void dir_keys(struct ntlm_context *c, struct ntlm_dir *d, bool c2s)
{
    uint8_t sign[16];

    ntlm_signkey(c->exported, c2s, sign);
    crypto_hmac_md5_set_key(&d->k.sign, sign, 16);
    d->k.sealkey_len = ntlm_sealkey(c->flags, c->exported, c2s, d->k.sealkey);
    crypto_rc4_set_key(&d->k.rc4, d->k.sealkey, d->k.sealkey_len);
    d->live = &d->k.rc4;
    crypto_wipe(sign, sizeof(sign));
}

/* See ntlm-pkg.h. */
void ntlm_context_derive_keys(struct ntlm_context *ctx)
{
    dir_keys(ctx, &ctx->send, !ctx->server);
    dir_keys(ctx, &ctx->recv, ctx->server);
    ctx->shared_rc4 = !(ctx->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    ctx->datagram = (ctx->flags & NTLMSSP_NEGOTIATE_DATAGRAM) != 0;
}

static void put_str(uint8_t **p, const struct ntlm_buf *b)
{
    ntlm_put32(*p, (uint32_t)b->len);
    if (b->len)
        memcpy(*p + 4, b->data, b->len);
    *p += 4 + b->len;
}

/* See ntlm-pkg.h.  With `with_state` the caller must not run per-message
 * calls concurrently (the direction locks are taken here). */
SECURITY_STATUS ntlm_context_pack(struct ntlm_context *ctx, bool with_state,
                                  void *(*alloc)(ULONG), SecBuffer *out)
{
    size_t len = 64 + 16 + ctx->user.len + ctx->domain.len + ctx->workstation.len +
                 ctx->target.len;
    uint8_t *buf, *p;
    uint32_t bits = 0;

    if (with_state)
        len += 4 + 2 * sizeof(crypto_rc4);
    if (len > 0xffffffu)
        return SEC_E_INSUFFICIENT_MEMORY;
    buf = alloc((ULONG)len);
    if (!buf)
        return SEC_E_INSUFFICIENT_MEMORY;
    bits |= ctx->server ? PACK_SERVER : 0;
    bits |= ctx->datagram ? PACK_DATAGRAM : 0;
    bits |= ctx->null_session ? PACK_NULL : 0;
    bits |= with_state ? PACK_STATE : 0;
    memcpy(buf, PACK_MAGIC, 8);
    ntlm_put32(buf + 8, PACK_VERSION);
    ntlm_put32(buf + 12, bits);
    ntlm_put32(buf + 16, ctx->flags);
    ntlm_put32(buf + 20, ctx->attrs);
    ntlm_put64(buf + 24, (uint64_t)ctx->start);
    ntlm_put64(buf + 32, (uint64_t)ctx->expiry);
    memcpy(buf + 40, ctx->exported, 16);
    p = buf + 64;
    put_str(&p, &ctx->user);
    put_str(&p, &ctx->domain);
    put_str(&p, &ctx->workstation);
    put_str(&p, &ctx->target);
    if (with_state) {
        pthread_mutex_lock(&ctx->send.lock);
        if (!ctx->shared_rc4)
            pthread_mutex_lock(&ctx->recv.lock);
        ntlm_put32(buf + 56, ctx->send.seq);
        ntlm_put32(buf + 60, ctx->recv.seq);
        ntlm_put32(p, (uint32_t)sizeof(crypto_rc4));
        memcpy(p + 4, ctx->send.live, sizeof(crypto_rc4));
        memcpy(p + 4 + sizeof(crypto_rc4), ctx->recv.live, sizeof(crypto_rc4));
        if (!ctx->shared_rc4)
            pthread_mutex_unlock(&ctx->recv.lock);
        pthread_mutex_unlock(&ctx->send.lock);
    } else {
        ntlm_put32(buf + 56, 0);
        ntlm_put32(buf + 60, 0);
    }
    out->BufferType = SECBUFFER_EMPTY;
    out->cbBuffer = (uint32_t)len;
    out->pvBuffer = buf;
    return SEC_E_OK;
}

static bool get_str(const uint8_t **p, const uint8_t *end, struct ntlm_buf *b)
{
    uint32_t n;

    if (end - *p < 4)
        return false;
    n = ntlm_get32(*p);
    if ((size_t)(end - *p - 4) < n || (n & 1))
        return false;
    if (!ntlm_buf_dup(b, *p + 4, n))
        return false;
    *p += 4 + n;
    return true;
}

/* See ntlm-pkg.h.  SEC_E_INVALID_TOKEN for a malformed blob. */
SECURITY_STATUS ntlm_context_unpack(struct ntlm_context *ctx, const uint8_t *buf, size_t len)
{
    const uint8_t *p, *end = buf + len;
    uint32_t bits;

    if (!buf || len < 64 || memcmp(buf, PACK_MAGIC, 8) != 0 ||
        ntlm_get32(buf + 8) != PACK_VERSION)
        return SEC_E_INVALID_TOKEN;
    bits = ntlm_get32(buf + 12);
    if (!!(bits & PACK_SERVER) != ctx->server)
        return SEC_E_INVALID_TOKEN;
    ctx->flags = ntlm_get32(buf + 16);
    ctx->attrs = ntlm_get32(buf + 20);
    ctx->start = (int64_t)ntlm_get64(buf + 24);
    ctx->expiry = (int64_t)ntlm_get64(buf + 32);
    memcpy(ctx->exported, buf + 40, 16);
    ctx->null_session = (bits & PACK_NULL) != 0;
    p = buf + 64;
    ntlm_buf_free(&ctx->user);
    ntlm_buf_free(&ctx->domain);
    ntlm_buf_free(&ctx->workstation);
    ntlm_buf_free(&ctx->target);
    if (!get_str(&p, end, &ctx->user) || !get_str(&p, end, &ctx->domain) ||
        !get_str(&p, end, &ctx->workstation) || !get_str(&p, end, &ctx->target))
        return SEC_E_INVALID_TOKEN;
    ntlm_context_derive_keys(ctx);
    if (!!(bits & PACK_DATAGRAM) != ctx->datagram)
        return SEC_E_INVALID_TOKEN;
    ctx->send.seq = ntlm_get32(buf + 56);
    ctx->recv.seq = ntlm_get32(buf + 60);
    if (bits & PACK_STATE) {
        if (end - p < 4 || ntlm_get32(p) != sizeof(crypto_rc4) ||
            (size_t)(end - p - 4) < 2 * sizeof(crypto_rc4))
            return SEC_E_INVALID_TOKEN;
        memcpy(ctx->send.live, p + 4, sizeof(crypto_rc4));
        memcpy(ctx->recv.live, p + 4 + sizeof(crypto_rc4), sizeof(crypto_rc4));
    }
    return SEC_E_OK;
}

/* See ntlm-pkg.h. */
SECURITY_STATUS ntlm_context_map(struct ntlm_context *ctx, PBOOLEAN MappedContext,
                                 PSecBuffer ContextData, PTimeStamp ExpirationTime)
{
    SECURITY_STATUS st;

    ctx->start = (int64_t)ntlm_filetime_now();
    ctx->expiry = NTLM_NEVER_EXPIRES;
    ctx->datagram = (ctx->flags & NTLMSSP_NEGOTIATE_DATAGRAM) != 0;
    if (ExpirationTime)
        ExpirationTime->QuadPart = ctx->expiry;
    if (!MappedContext || !ContextData)
        return SEC_E_INTERNAL_ERROR;
    st = ntlm_context_pack(ctx, false, ntlm_lsa->AllocateLsaHeap, ContextData);
    if (st != SEC_E_OK)
        return st;
    *MappedContext = TRUE;
    ctx->state = NTLM_ST_DONE;
    /* The handshake transcript and identity are no longer needed. */
    ntlm_buf_free(&ctx->neg_msg);
    ntlm_buf_free(&ctx->chal_msg);
    ntlm_identity_clear(&ctx->id);
    return SEC_E_OK;
}

/* See ntlm-pkg.h.  ISC_RET_ and ASC_RET_ agree on the other three bits. */
uint32_t ntlm_attrs_negotiated(uint32_t a, uint32_t flags, uint32_t integrity_bit)
{
    if (!(flags & NTLMSSP_NEGOTIATE_SEAL))
        a &= ~(uint32_t)ISC_RET_CONFIDENTIALITY;
    if (!(flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)))
        a &= ~(integrity_bit | ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT);
    return a;
}

/* See ntlm-pkg.h. */
SecBuffer *ntlm_find_buffer(PSecBufferDesc d, uint32_t type)
{
    if (!d || !d->pBuffers)
        return NULL;
    for (uint32_t i = 0; i < d->cBuffers; i++)
        if ((d->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &d->pBuffers[i];
    return NULL;
}

/* See ntlm-pkg.h.  SEC_E_INVALID_TOKEN without a TOKEN buffer,
 * SEC_E_BUFFER_TOO_SMALL if it cannot hold the message. */
SECURITY_STATUS ntlm_output_token(PSecBufferDesc out, const struct ntlm_buf *msg)
{
    SecBuffer *b = ntlm_find_buffer(out, SECBUFFER_TOKEN);

    if (!b)
        return SEC_E_INVALID_TOKEN;
    if (!b->pvBuffer || b->cbBuffer < msg->len)
        return SEC_E_BUFFER_TOO_SMALL;
    memcpy(b->pvBuffer, msg->data, msg->len);
    b->cbBuffer = (uint32_t)msg->len;
    return SEC_E_OK;
}

/* SpDeleteContext (LSA side). */
NTSTATUS NTAPI ntlm_sp_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    ntlm_context_release(c);
    return STATUS_SUCCESS;
}

/* SpInitUserModeContext: key the per-message state from the packed
 * ContextData (the host frees ContextData afterwards).  The user side
 * lives in the same object as the LSA side, found in O(1) from the handle. */
NTSTATUS NTAPI ntlm_sp_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                              PSecBuffer PackedContext)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle);
    SECURITY_STATUS st;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (!PackedContext || !PackedContext->pvBuffer)
        return STATUS_INVALID_PARAMETER;
    if (atomic_load(&c->keyed))
        return SEC_E_INVALID_HANDLE;
    st = ntlm_context_unpack(c, PackedContext->pvBuffer, PackedContext->cbBuffer);
    if (st != SEC_E_OK)
        return st;
    atomic_fetch_add(&c->sides, 1);
    atomic_store(&c->keyed, true);
    return STATUS_SUCCESS;
}

/* DeleteUserModeContext (user side). */
NTSTATUS NTAPI ntlm_sp_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (atomic_exchange(&c->keyed, false))
        ntlm_context_release(c);
    return STATUS_SUCCESS;
}

static void *dll_alloc(ULONG n)
{
    return ntlm_dll ? ntlm_dll->AllocateHeap(n) : NULL;
}

/* "DOMAIN\user" (or "user" without a domain) in `alloc` memory. */
static SEC_WCHAR *full_name(const struct ntlm_buf *domain, const struct ntlm_buf *user)
{
    size_t len = domain->len + (domain->len ? 2 : 0) + user->len;
    uint8_t *p = dll_alloc((ULONG)len + 2);
    size_t o = 0;

    if (!p)
        return NULL;
    if (domain->len) {
        memcpy(p, domain->data, domain->len);
        o = domain->len;
        ntlm_put16(p + o, '\\');
        o += 2;
    }
    if (user->len)
        memcpy(p + o, user->data, user->len);
    o += user->len;
    p[o] = p[o + 1] = 0;
    return (SEC_WCHAR *)p;
}

static SEC_WCHAR *wstr(const char16_t *s)
{
    size_t n = 0;
    SEC_WCHAR *p;

    while (s[n])
        n++;
    p = dll_alloc((ULONG)(n + 1) * 2);
    if (p)
        memcpy(p, s, (n + 1) * 2);
    return p;
}

/* See ntlm-pkg.h. */
PSecPkgInfoW ntlm_package_info_alloc(void *(*alloc)(ULONG))
{
    static const char16_t name[] = NTLM_PACKAGE_NAME;
    static const char16_t comment[] = NTLM_PACKAGE_COMMENT;
    size_t sz = sizeof(SecPkgInfoW) + sizeof(name) + sizeof(comment);
    PSecPkgInfoW info = alloc((ULONG)sz);
    uint8_t *p;

    if (!info)
        return NULL;
    p = (uint8_t *)(info + 1);
    memcpy(p, name, sizeof(name));
    memcpy(p + sizeof(name), comment, sizeof(comment));
    info->fCapabilities = NTLM_CAPABILITIES;
    info->wVersion = 1;
    info->wRPCID = NTLM_RPCID;
    info->cbMaxToken = NTLM_MAX_TOKEN;
    info->Name = (SEC_WCHAR *)p;
    info->Comment = (SEC_WCHAR *)(p + sizeof(name));
    return info;
}

/*
 * SpQueryContextAttributes: SIZES, NAMES, NATIVE_NAMES, SESSION_KEY,
 * PACKAGE_INFO, FLAGS, KEY_INFO, LIFESPAN.  Variable-size members come from
 * SECPKG_DLL_FUNCTIONS.AllocateHeap (the caller frees each with
 * FreeContextBuffer).  SEC_E_INVALID_HANDLE before the context is complete,
 * SEC_E_UNSUPPORTED_FUNCTION for other attributes.
 */
NTSTATUS NTAPI ntlm_sp_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (!Buffer)
        return STATUS_INVALID_PARAMETER;
    if (ContextAttribute == SECPKG_ATTR_SIZES) {
        SecPkgContext_Sizes *s = Buffer;
        s->cbMaxToken = NTLM_MAX_TOKEN;
        s->cbMaxSignature = NTLM_SIGNATURE_SIZE;
        s->cbBlockSize = 0;
        s->cbSecurityTrailer = NTLM_SIGNATURE_SIZE;
        return STATUS_SUCCESS;
    }
    if (ContextAttribute == SECPKG_ATTR_PACKAGE_INFO) {
        SecPkgContext_PackageInfoW *pi = Buffer;
        pi->PackageInfo = ntlm_package_info_alloc(dll_alloc);
        return pi->PackageInfo ? STATUS_SUCCESS : SEC_E_INSUFFICIENT_MEMORY;
    }
    if (!atomic_load(&c->keyed))
        return SEC_E_INVALID_HANDLE;
    switch (ContextAttribute) {
    case SECPKG_ATTR_NAMES: {
        SecPkgContext_NamesW *n = Buffer;
        n->sUserName = full_name(&c->domain, &c->user);
        return n->sUserName ? STATUS_SUCCESS : SEC_E_INSUFFICIENT_MEMORY;
    }
    case SECPKG_ATTR_NATIVE_NAMES: {
        SecPkgContext_NativeNamesW *n = Buffer;
        struct ntlm_buf none = { NULL, 0 };
        n->sClientName = full_name(&c->domain, &c->user);
        n->sServerName = full_name(&none, &c->target);
        if (!n->sClientName || !n->sServerName) {
            if (n->sClientName)
                ntlm_dll->FreeHeap(n->sClientName);
            if (n->sServerName)
                ntlm_dll->FreeHeap(n->sServerName);
            n->sClientName = n->sServerName = NULL;
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        return STATUS_SUCCESS;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = Buffer;
        k->SessionKey = dll_alloc(16);
        if (!k->SessionKey)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(k->SessionKey, c->exported, 16);
        k->SessionKeyLength = 16;
        return STATUS_SUCCESS;
    }
    case SECPKG_ATTR_FLAGS: {
        SecPkgContext_Flags *f = Buffer;
        f->Flags = c->attrs;
        return STATUS_SUCCESS;
    }
    case SECPKG_ATTR_KEY_INFO: {
        SecPkgContext_KeyInfoW *k = Buffer;
        bool ess = (c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
        k->sSignatureAlgorithmName = wstr(ess ? u"HMAC-MD5" : u"RSADSI RC4-CRC32");
        k->sEncryptAlgorithmName = wstr(u"RSADSI RC4");
        if (!k->sSignatureAlgorithmName || !k->sEncryptAlgorithmName) {
            if (k->sSignatureAlgorithmName)
                ntlm_dll->FreeHeap(k->sSignatureAlgorithmName);
            if (k->sEncryptAlgorithmName)
                ntlm_dll->FreeHeap(k->sEncryptAlgorithmName);
            k->sSignatureAlgorithmName = k->sEncryptAlgorithmName = NULL;
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        k->KeySize = (c->flags & NTLMSSP_NEGOTIATE_128) ? 128
                     : (c->flags & NTLMSSP_NEGOTIATE_56) ? 56 : 40;
        k->SignatureAlgorithm = ess ? 0x8009u /* CALG_HMAC */ : 0xffffffffu;
        k->EncryptAlgorithm = 0x6801u;       /* CALG_RC4 */
        return STATUS_SUCCESS;
    }
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = Buffer;
        l->tsStart.QuadPart = c->start;
        l->tsExpiry.QuadPart = c->expiry;
        return STATUS_SUCCESS;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/*
 * SpExportSecurityContext: the packed context with its current RC4 states
 * and sequence numbers, in AllocateHeap memory (freed by the caller with
 * FreeContextBuffer).  SECPKG_CONTEXT_EXPORT_DELETE_OLD leaves the old
 * handle unusable for per-message calls (it must still be deleted).
 */
NTSTATUS NTAPI ntlm_sp_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                      PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct ntlm_context *c = ntlm_context_from_handle(phContext);
    SECURITY_STATUS st;

    if (!c || !atomic_load(&c->keyed))
        return SEC_E_INVALID_HANDLE;
    if (!pPackedContext)
        return STATUS_INVALID_PARAMETER;
    if (pToken)
        *pToken = NULL;
    st = ntlm_context_pack(c, true, dll_alloc, pPackedContext);
    if (st == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        atomic_store(&c->retired, true);
    return st;
}

/* SpImportSecurityContext: a new user-mode-only context from an exported
 * one.  SEC_E_INVALID_TOKEN for a malformed blob. */
NTSTATUS NTAPI ntlm_sp_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                      PLSA_SEC_HANDLE phContext)
{
    struct ntlm_context *c;
    SECURITY_STATUS st;
    const uint8_t *p;

    (void)Token;
    if (!pPackedContext || !phContext)
        return STATUS_INVALID_PARAMETER;
    if (!pPackedContext->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    p = pPackedContext->pvBuffer;
    if (pPackedContext->cbBuffer < 64)
        return SEC_E_INVALID_TOKEN;
    c = ntlm_context_new((ntlm_get32(p + 12) & PACK_SERVER) != 0);
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    st = ntlm_context_unpack(c, p, pPackedContext->cbBuffer);
    if (st != SEC_E_OK) {
        context_free(c);
        return st;
    }
    c->state = NTLM_ST_DONE;
    atomic_store(&c->keyed, true);     /* the one side this context has */
    *phContext = (LSA_SEC_HANDLE)c;
    return STATUS_SUCCESS;
}
