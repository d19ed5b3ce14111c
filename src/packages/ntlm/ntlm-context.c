/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-context.c - NTLM security contexts: life cycle (kit objects with an
 * LSA and a user side), key set-up for the per-message functions, the
 * packed form used both as the LSA->user-mode ContextData and for
 * ExportSecurityContext/ImportSecurityContext, and the data the kit
 * answers QueryContextAttributes from.  The kit runs both deletes
 * (ntlm_context_class).
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

#define PACK_MAGIC    "NTLMCTX1"
#define PACK_VERSION  1u
#define PACK_SERVER   1u
#define PACK_DATAGRAM 2u
#define PACK_NULL     4u
#define PACK_STATE    8u
/* Longest string a packed context may carry (bytes). */
#define PACK_MAX_STRING 0xffffu

static void context_destroy(void *object)
{
    struct ntlm_context *c = object;

    ntlm_identity_clear(&c->id);
    ntlm_buf_free(&c->neg_msg);
    ntlm_buf_free(&c->chal_msg);
    ntlm_buf_free(&c->user);
    ntlm_buf_free(&c->domain);
    ntlm_buf_free(&c->workstation);
    ntlm_buf_free(&c->target);
    pthread_mutex_destroy(&c->send.lock);
    pthread_mutex_destroy(&c->recv.lock);
}

const struct pkg_class ntlm_context_class = {
    .magic = 0x4e4c4354u, /* "NLCT" */
    .size = sizeof(struct ntlm_context),
    .destroy = context_destroy,
};

/* See ntlm-pkg.h. */
struct ntlm_context *ntlm_context_new(bool server)
{
    struct ntlm_context *c = pkg_object_new(&ntlm_context_class, PKG_SIDE_LSA);

    if (!c)
        return NULL;
    atomic_init(&c->retired, false);
    c->server = server;
    pthread_mutex_init(&c->send.lock, NULL);
    pthread_mutex_init(&c->recv.lock, NULL);
    return c;
}

/* See ntlm-pkg.h. */
struct ntlm_context *ntlm_context_from_handle(LSA_SEC_HANDLE h, uint32_t side)
{
    return pkg_object_from_handle(&ntlm_context_class, h, side);
}

static void dir_keys(struct ntlm_context *c, struct ntlm_dir *d, bool c2s)
{
    uint8_t sign[16];

    ntlm_signkey(c->exported, c2s, sign);
    crypto_hmac_md5_set_key(&d->k.sign, sign, 16);
    d->k.sealkey_len = ntlm_sealkey(c->flags, c->exported, c2s, d->k.sealkey);
    crypto_rc4_set_key(&d->k.rc4_keyed, d->k.sealkey, d->k.sealkey_len);
    d->k.rc4 = d->k.rc4_keyed;
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

/* ---- packing -------------------------------------------------------------- */

/* What goes into a packed context: the context, and the running state
 * copied under the direction locks. */
struct pack_args {
    const struct ntlm_context *c;
    bool with_state;
    uint32_t send_seq, recv_seq;
    crypto_rc4 send_rc4, recv_rc4;
};

static void pack_fn(struct pkg_writer *w, const void *arg)
{
    const struct pack_args *a = arg;
    const struct ntlm_context *c = a->c;
    uint32_t bits = (c->server ? PACK_SERVER : 0) | (c->datagram ? PACK_DATAGRAM : 0) |
                    (c->null_session ? PACK_NULL : 0) | (a->with_state ? PACK_STATE : 0);

    pkg_write_bytes(w, PACK_MAGIC, 8);
    pkg_write_u32(w, PACK_VERSION);
    pkg_write_u32(w, bits);
    pkg_write_u32(w, c->flags);
    pkg_write_u32(w, c->attrs);
    pkg_write_u64(w, (uint64_t)c->start);
    pkg_write_u64(w, (uint64_t)c->expiry);
    pkg_write_bytes(w, c->exported, 16);
    pkg_write_u32(w, a->send_seq);
    pkg_write_u32(w, a->recv_seq);
    pkg_write_blob(w, c->user.data, c->user.len);
    pkg_write_blob(w, c->domain.data, c->domain.len);
    pkg_write_blob(w, c->workstation.data, c->workstation.len);
    pkg_write_blob(w, c->target.data, c->target.len);
    if (a->with_state) {
        pkg_write_u32(w, (uint32_t)sizeof(crypto_rc4));
        pkg_write_bytes(w, &a->send_rc4, sizeof(crypto_rc4));
        pkg_write_bytes(w, &a->recv_rc4, sizeof(crypto_rc4));
    }
}

/* See ntlm-pkg.h.  With `with_state` the direction locks are taken while
 * the running state is copied. */
SECURITY_STATUS ntlm_context_pack(struct ntlm_context *ctx, bool with_state, enum pkg_mode mode,
                                  SecBuffer *out)
{
    struct pack_args a = {.c = ctx, .with_state = with_state};
    SECURITY_STATUS st;

    if (with_state) {
        pthread_mutex_lock(&ctx->send.lock);
        if (!ctx->shared_rc4)
            pthread_mutex_lock(&ctx->recv.lock);
        a.send_seq = ctx->send.seq;
        a.recv_seq = ctx->recv.seq;
        a.send_rc4 = *ctx->send.live;
        a.recv_rc4 = *ctx->recv.live;
        if (!ctx->shared_rc4)
            pthread_mutex_unlock(&ctx->recv.lock);
        pthread_mutex_unlock(&ctx->send.lock);
    }
    st = pkg_pack(mode, pack_fn, &a, out);
    crypto_wipe(&a, sizeof(a));
    return st;
}

/* A packed string into an owned buffer; fails the reader if too long. */
static void read_str(struct pkg_reader *r, struct ntlm_buf *b)
{
    size_t n;
    const uint8_t *p = pkg_read_blob(r, PACK_MAX_STRING, &n);

    ntlm_buf_free(b);
    if (p == NULL || (n & 1) || !ntlm_buf_dup(b, p, n))
        r->failed = true;
}

/* See ntlm-pkg.h.  SEC_E_INVALID_TOKEN for a malformed blob. */
SECURITY_STATUS ntlm_context_unpack(struct ntlm_context *ctx, const uint8_t *buf, size_t len)
{
    struct pkg_reader r;
    uint8_t magic[8];
    uint32_t version, bits;

    pkg_reader_init(&r, buf, len);
    pkg_read_bytes(&r, magic, 8);
    version = pkg_read_u32(&r);
    bits = pkg_read_u32(&r);
    if (r.failed || memcmp(magic, PACK_MAGIC, 8) != 0 || version != PACK_VERSION ||
        !!(bits & PACK_SERVER) != ctx->server)
        return SEC_E_INVALID_TOKEN;
    ctx->flags = pkg_read_u32(&r);
    ctx->attrs = pkg_read_u32(&r);
    ctx->start = (int64_t)pkg_read_u64(&r);
    ctx->expiry = (int64_t)pkg_read_u64(&r);
    pkg_read_bytes(&r, ctx->exported, 16);
    ctx->null_session = (bits & PACK_NULL) != 0;
    ctx->send.seq = pkg_read_u32(&r);
    ctx->recv.seq = pkg_read_u32(&r);
    read_str(&r, &ctx->user);
    read_str(&r, &ctx->domain);
    read_str(&r, &ctx->workstation);
    read_str(&r, &ctx->target);
    if (r.failed)
        return SEC_E_INVALID_TOKEN;
    ntlm_context_derive_keys(ctx);
    if (!!(bits & PACK_DATAGRAM) != ctx->datagram)
        return SEC_E_INVALID_TOKEN;
    if (bits & PACK_STATE) {
        if (pkg_read_u32(&r) != sizeof(crypto_rc4))
            return SEC_E_INVALID_TOKEN;
        pkg_read_bytes(&r, ctx->send.live, sizeof(crypto_rc4));
        pkg_read_bytes(&r, ctx->recv.live, sizeof(crypto_rc4));
    }
    return r.failed ? SEC_E_INVALID_TOKEN : SEC_E_OK;
}

/* See ntlm-pkg.h. */
SECURITY_STATUS ntlm_context_map(struct ntlm_context *ctx, struct pkg_leg *leg)
{
    SECURITY_STATUS st;

    ctx->start = pkg_filetime_now();
    ctx->expiry = PKG_NEVER;
    ctx->datagram = (ctx->flags & NTLMSSP_NEGOTIATE_DATAGRAM) != 0;
    leg->expiry = ctx->expiry;
    if (!leg->context_data)
        return SEC_E_INTERNAL_ERROR;
    st = ntlm_context_pack(ctx, false, PKG_MODE_LSA, leg->context_data);
    if (st != SEC_E_OK)
        return st;
    leg->mapped = true;
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

/* ---- the SSP/AP slots ------------------------------------------------------ */

/* SpInitUserModeContext: key the per-message state from the packed
 * ContextData (the host frees ContextData afterwards).  The user side
 * lives in the same object as the LSA side, found in O(1) from the handle. */
NTSTATUS NTAPI ntlm_sp_init_user_mode_context(LSA_SEC_HANDLE ContextHandle,
                                              PSecBuffer PackedContext)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle, PKG_SIDE_LSA);
    SECURITY_STATUS st;

    if (!c || pkg_object_alive(c, PKG_SIDE_USER))
        return SEC_E_INVALID_HANDLE;
    if (!PackedContext || !PackedContext->pvBuffer)
        return STATUS_INVALID_PARAMETER;
    st = ntlm_context_unpack(c, PackedContext->pvBuffer, PackedContext->cbBuffer);
    if (st != SEC_E_OK)
        return st;
    pkg_object_attach(c, PKG_SIDE_USER);
    return STATUS_SUCCESS;
}

/* SECPKG_ATTR_KEY_INFO as Windows reports it: HMAC-MD5 signatures with
 * extended session security (NTLMv2), RC4-CRC32 without; RC4 sealing with
 * a 128-, 56- or 40-bit key. */
#define KEY_INFO(sig, alg, bits)                                                                   \
    {                                                                                              \
        sig, u"RSADSI RC4", bits, alg, 0x6801u /* CALG_RC4 */                                      \
    }
static const struct pkg_key_info ntlm_key_infos[2][3] = {
    {KEY_INFO(u"RSADSI RC4-CRC32", 0xffffff7cu, 128),
     KEY_INFO(u"RSADSI RC4-CRC32", 0xffffff7cu, 56),
     KEY_INFO(u"RSADSI RC4-CRC32", 0xffffff7cu, 40)},
    {KEY_INFO(u"HMAC-MD5", 0xffffff76u, 128), KEY_INFO(u"HMAC-MD5", 0xffffff76u, 56),
     KEY_INFO(u"HMAC-MD5", 0xffffff76u, 40)},
};

static const struct pkg_key_info *key_info(uint32_t flags)
{
    bool ess = (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
    int size = (flags & NTLMSSP_NEGOTIATE_128) ? 0 : (flags & NTLMSSP_NEGOTIATE_56) ? 1 : 2;

    return &ntlm_key_infos[ess][size];
}

/*
 * What the kit answers context attributes from (pkg-attrs.h).  A complete
 * context (its user side): SIZES, NAMES, NATIVE_NAMES, SESSION_KEY,
 * PACKAGE_INFO, NEGOTIATION_INFO (complete), FLAGS, KEY_INFO, LIFESPAN,
 * from AllocateHeap.  While the handshake runs (LSA side): SIZES,
 * PACKAGE_INFO, NEGOTIATION_INFO (in progress) and FLAGS; the names and
 * keys are SEC_E_INVALID_HANDLE until then.
 */
bool ntlm_describe(const void *object, enum pkg_mode mode, struct pkg_attr_data *d)
{
    const struct ntlm_context *c = object;

    d->max_signature = NTLM_SIGNATURE_SIZE;
    d->security_trailer = NTLM_SIGNATURE_SIZE;
    d->flags = c->attrs;
    d->expiry = PKG_NEVER;
    if (mode != PKG_MODE_USER)
        return true;
    d->complete = true;
    d->start = c->start;
    d->expiry = c->expiry;
    d->user = ntlm_str16(&c->user);
    d->domain = ntlm_str16(&c->domain);
    d->server = ntlm_str16(&c->target);
    d->session_key = c->exported;
    d->session_key_len = 16;
    d->key_info = key_info(c->flags);
    return true;
}

/*
 * SpExportSecurityContext: the packed context with its current RC4 states
 * and sequence numbers, in AllocateHeap memory (freed by the caller with
 * FreeContextBuffer).  SECPKG_CONTEXT_EXPORT_DELETE_OLD leaves the old
 * handle unusable for per-message calls (it must still be deleted);
 * SECPKG_CONTEXT_EXPORT_TO_KERNEL or unknown flags:
 * SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI ntlm_sp_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                      PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct ntlm_context *c = ntlm_context_from_handle(phContext, PKG_SIDE_USER);
    SECURITY_STATUS st;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (!pPackedContext)
        return STATUS_INVALID_PARAMETER;
    st = pkg_export_flags(fFlags);
    if (st != SEC_E_OK)
        return st;
    if (pToken)
        *pToken = NULL;
    st = ntlm_context_pack(c, true, PKG_MODE_USER, pPackedContext);
    if (st == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        atomic_store(&c->retired, true);
    return st;
}

/* SpImportSecurityContext: a new user-mode-only context from an exported
 * one.  SEC_E_INVALID_TOKEN for a malformed or empty blob. */
NTSTATUS NTAPI ntlm_sp_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                      PLSA_SEC_HANDLE phContext)
{
    struct pkg_reader r;
    struct ntlm_context *c;
    SECURITY_STATUS st;

    (void)Token;
    if (!phContext)
        return STATUS_INVALID_PARAMETER;
    st = pkg_import_reader(pPackedContext, &r);
    if (st != SEC_E_OK)
        return st;
    if (r.len < 16)
        return SEC_E_INVALID_TOKEN;
    c = ntlm_context_new((pkg_get_le32(r.p + 12) & PACK_SERVER) != 0);
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    st = ntlm_context_unpack(c, r.p, r.len);
    if (st != SEC_E_OK) {
        pkg_object_discard(c);
        return st;
    }
    c->state = NTLM_ST_DONE;
    /* The one side this context has is its user side. */
    pkg_object_attach(c, PKG_SIDE_USER);
    pkg_object_release(c, PKG_SIDE_LSA);
    *phContext = pkg_object_handle(c);
    return STATUS_SUCCESS;
}
