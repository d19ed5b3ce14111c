/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-attrs.c - QueryContextAttributes, ExportSecurityContext and
 * ImportSecurityContext for Kerberos contexts.
 *
 * The kit answers from the context's data (pkg-attrs.h); strings and keys
 * come from the host's heap (FreeContextBuffer frees them).  NAMES is the
 * client's principal, NATIVE_NAMES the client's and the service's.  SIZES
 * answers what Windows reports for AES contexts
 * (48000/28/1/76); contexts with a larger MIC or trailer (the SHA-2
 * enctypes, MIT-path enctypes) report their real sizes where larger.
 *
 * Exported context, little-endian:
 *    0 u32 "KRBX"   4 u8 version 1   5 u8 role (0 client, 1 server)
 *    6 u8 path (1 nettle, 0 MIT)     7 u8 bits: 1 acceptor subkey, 2 DCE,
 *                                      4 replay, 8 sequence
 *    8 u32 attributes  12 u32 GSS flags  16 i64 start  24 i64 expiry
 *   32 i32 enctype     36 u32 key length  40 key[32]
 *   72 u64 next send   80 u64 next receive  88 u64 receive window
 *   96 u16 n, client principal (UTF-8); u16 n, service principal
 *   then, for the MIT path, u32 n and gss_export_sec_context's token.
 * The blob holds the session key in the clear: it is meant for another
 * process of the same machine, as on Windows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "packages/kerberos/kerberos.h"

#define EXPORT_MAGIC 0x58425253u /* "KRBX" read as LE */
#define EXPORT_FIXED 96

/* ---- attributes --------------------------------------------------------- */

static void sizes(struct krb_context *ctx, SecPkgContext_Sizes *s)
{
    s->cbMaxToken = KRB_MAX_TOKEN;
    s->cbMaxSignature = KRB_SIZES_MAX_SIGNATURE;
    s->cbBlockSize = KRB_SIZES_BLOCK;
    s->cbSecurityTrailer = KRB_SIZES_TRAILER;
    if (ctx->state != KRB_STATE_COMPLETE)
        return;
    if (ctx->fast) {
        struct krb_cfx tmp = {.mac_len = ctx->cfx.mac_len, .dce = true};
        if (krb_cfx_mic_size(&ctx->cfx) > s->cbMaxSignature)
            s->cbMaxSignature = (uint32_t)krb_cfx_mic_size(&ctx->cfx);
        if (krb_cfx_wrap_size(&tmp, true) > s->cbSecurityTrailer)
            s->cbSecurityTrailer = (uint32_t)krb_cfx_wrap_size(&tmp, true);
    } else if (ctx->gss != GSS_C_NO_CONTEXT) {
        gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {0, NULL}},
                                      {GSS_IOV_BUFFER_TYPE_DATA, {1, NULL}},
                                      {GSS_IOV_BUFFER_TYPE_PADDING, {0, NULL}}};
        OM_uint32 minor;

        pthread_mutex_lock(&ctx->mit_lock);
        if (gss_wrap_iov_length(&minor, ctx->gss, 1, 0, NULL, iov, 3) == GSS_S_COMPLETE) {
            if (iov[0].buffer.length > s->cbSecurityTrailer)
                s->cbSecurityTrailer = (uint32_t)iov[0].buffer.length;
            s->cbBlockSize = iov[2].buffer.length > 0 ? 8 : 1;
        }
        iov[1].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
        iov[1].buffer.length = 0;
        iov[0].type = GSS_IOV_BUFFER_TYPE_DATA;
        if (gss_get_mic_iov_length(&minor, ctx->gss, 0, iov, 2) == GSS_S_COMPLETE &&
            iov[1].buffer.length > s->cbMaxSignature)
            s->cbMaxSignature = (uint32_t)iov[1].buffer.length;
        pthread_mutex_unlock(&ctx->mit_lock);
    }
}

/* KEY_INFO: the enctype and its checksum type, as Windows numbers them. */
static void key_info(int32_t enctype, uint32_t key_len, struct pkg_key_info *k)
{
    static const struct {
        int32_t enctype;
        uint32_t cksum;
        const char16_t *sig, *enc;
    } names[] = {
        {17, 15, u"HMAC-SHA1-96-AES128", u"AES-128-CTS-HMAC-SHA1-96"},
        {18, 16, u"HMAC-SHA1-96-AES256", u"AES-256-CTS-HMAC-SHA1-96"},
        {19, 19, u"HMAC-SHA256-128-AES128", u"AES-128-CTS-HMAC-SHA256-128"},
        {20, 20, u"HMAC-SHA384-192-AES256", u"AES-256-CTS-HMAC-SHA384-192"},
        {23, (uint32_t)-138, u"HMAC-MD5", u"RSADSI RC4-HMAC"},
    };

    *k = (struct pkg_key_info){u"unknown", u"unknown", key_len * 8, 0, (uint32_t)enctype};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].enctype == enctype) {
            k->signature_name = names[i].sig;
            k->encrypt_name = names[i].enc;
            k->signature_algorithm = names[i].cksum;
        }
    }
}

/* Names are principals ("user@REALM", "host/h@REALM"), given to the kit as
 * a user with no domain. */
static NTSTATUS query(struct krb_context *ctx, ULONG attr, void *buf)
{
    bool done = ctx->state == KRB_STATE_COMPLETE;
    enum pkg_mode mode = pkg_lsa != NULL ? PKG_MODE_LSA : PKG_MODE_USER;
    SecPkgContext_Sizes sz;
    struct pkg_key_info ki;
    char16_t *client = NULL, *service = NULL;
    size_t cl = 0, sl = 0;
    NTSTATUS st;

    if (done &&
        (attr == SECPKG_ATTR_SIZES || attr == SECPKG_ATTR_SESSION_KEY ||
         attr == SECPKG_ATTR_KEY_INFO) &&
        krb_context_keys(ctx) != SEC_E_OK)
        return SEC_E_INTERNAL_ERROR;
    sizes(ctx, &sz);
    key_info(ctx->enctype, ctx->key_len, &ki);
    if (done && (attr == SECPKG_ATTR_NAMES || attr == SECPKG_ATTR_NATIVE_NAMES)) {
        krb_context_names(ctx);
        client = sspi_utf8_to_utf16(ctx->client ? ctx->client : "",
                                    ctx->client ? strlen(ctx->client) : 0, &cl);
        service = sspi_utf8_to_utf16(ctx->service ? ctx->service : "",
                                     ctx->service ? strlen(ctx->service) : 0, &sl);
        if (client == NULL || service == NULL) {
            free(client);
            free(service);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
    }
    struct pkg_attr_data d = {
        .pkg = &krb_package,
        .complete = done,
        .max_signature = sz.cbMaxSignature,
        .block_size = sz.cbBlockSize,
        .security_trailer = sz.cbSecurityTrailer,
        .flags = ctx->attrs,
        .start = ctx->start,
        .expiry = ctx->expiry,
        .user = {client, cl},
        .server = {service, sl},
        .session_key = done ? ctx->key : NULL,
        .session_key_len = ctx->key_len,
        .key_info = done ? &ki : NULL,
    };
    st = pkg_attr_query(&d, attr, buf, mode);
    free(client);
    free(service);
    return st;
}

NTSTATUS NTAPI krb_query_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                            PVOID Buffer)
{
    struct krb_context *ctx = krb_context_from_handle(ContextHandle);

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    if (Buffer == NULL)
        return SEC_E_INVALID_PARAMETER;
    return query(ctx, ContextAttribute, Buffer);
}

/* ---- export / import ---------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

NTSTATUS NTAPI krb_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                  PHANDLE pToken)
{
    struct krb_context *ctx = krb_context_from_handle(phContext);
    gss_buffer_desc gtok = GSS_C_EMPTY_BUFFER;
    size_t cl, sl, len;
    OM_uint32 major, minor;
    uint8_t *p;

    if (ctx == NULL || ctx->state != KRB_STATE_COMPLETE)
        return SEC_E_INVALID_HANDLE;
    if (pPackedContext == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (pToken != NULL)
        *pToken = NULL;
    if (krb_context_keys(ctx) != SEC_E_OK)
        return SEC_E_INTERNAL_ERROR;
    krb_context_names(ctx);
    cl = ctx->client ? strlen(ctx->client) : 0;
    sl = ctx->service ? strlen(ctx->service) : 0;
    if (cl > 0xFFFF || sl > 0xFFFF)
        return SEC_E_INTERNAL_ERROR;
    if (!ctx->fast) {
        /* MIT's export consumes its context: take it back at once. */
        pthread_mutex_lock(&ctx->mit_lock);
        major = gss_export_sec_context(&minor, &ctx->gss, &gtok);
        if (!GSS_ERROR(major))
            major = gss_import_sec_context(&minor, &gtok, &ctx->gss);
        pthread_mutex_unlock(&ctx->mit_lock);
        if (GSS_ERROR(major)) {
            gss_release_buffer(&minor, &gtok);
            return krb_status_from_gss(KRB_OP_MESSAGE, "gss_export_sec_context", major, minor);
        }
    }
    len = EXPORT_FIXED + 4 + cl + sl + (ctx->fast ? 0 : 4 + gtok.length);
    p = krb_alloc(len);
    if (p == NULL) {
        gss_release_buffer(&minor, &gtok);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    memset(p, 0, len);
    put32(p, EXPORT_MAGIC);
    p[4] = 1;
    p[5] = ctx->server;
    p[6] = ctx->fast;
    if (ctx->fast) {
        p[7] = (uint8_t)((ctx->cfx.acceptor_subkey ? 1 : 0) | (ctx->cfx.dce ? 2 : 0) |
                         (ctx->cfx.replay ? 4 : 0) | (ctx->cfx.sequence ? 8 : 0));
        put64(p + 72, atomic_load(&ctx->cfx.send_seq));
        while (atomic_flag_test_and_set(&ctx->cfx.recv_lock))
            ;
        put64(p + 80, ctx->cfx.recv_next);
        put64(p + 88, ctx->cfx.recv_seen);
        atomic_flag_clear(&ctx->cfx.recv_lock);
    }
    put32(p + 8, ctx->attrs);
    put32(p + 12, ctx->gss_flags);
    put64(p + 16, (uint64_t)ctx->start);
    put64(p + 24, (uint64_t)ctx->expiry);
    put32(p + 32, (uint32_t)ctx->enctype);
    put32(p + 36, ctx->key_len);
    memcpy(p + 40, ctx->key, ctx->key_len);
    p[96] = (uint8_t)cl;
    p[97] = (uint8_t)(cl >> 8);
    memcpy(p + 98, ctx->client, cl);
    p[98 + cl] = (uint8_t)sl;
    p[99 + cl] = (uint8_t)(sl >> 8);
    memcpy(p + 100 + cl, ctx->service, sl);
    if (!ctx->fast) {
        put32(p + 100 + cl + sl, (uint32_t)gtok.length);
        memcpy(p + 104 + cl + sl, gtok.value, gtok.length);
        gss_release_buffer(&minor, &gtok);
    }
    pPackedContext->BufferType = SECBUFFER_EMPTY;
    pPackedContext->cbBuffer = (ULONG)len;
    pPackedContext->pvBuffer = p;
    (void)fFlags;
    return SEC_E_OK;
}

static char *take_string(const uint8_t *p, size_t len, size_t *pos)
{
    size_t n;
    char *s;

    if (len - *pos < 2)
        return NULL;
    n = p[*pos] | (size_t)p[*pos + 1] << 8;
    *pos += 2;
    if (len - *pos < n || memchr(p + *pos, 0, n) != NULL)
        return NULL;
    s = malloc(n + 1);
    if (s != NULL) {
        memcpy(s, p + *pos, n);
        s[n] = '\0';
    }
    *pos += n;
    return s;
}

NTSTATUS NTAPI krb_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                  PLSA_SEC_HANDLE phContext)
{
    const uint8_t *p;
    size_t len, pos = EXPORT_FIXED;
    struct krb_context *ctx;
    bool fast;
    uint32_t keylen;

    if (phContext == NULL)
        return SEC_E_INVALID_HANDLE;
    if (pPackedContext == NULL || pPackedContext->pvBuffer == NULL ||
        pPackedContext->cbBuffer < EXPORT_FIXED + 4)
        return SEC_E_INVALID_TOKEN;
    p = pPackedContext->pvBuffer;
    len = pPackedContext->cbBuffer;
    keylen = get32(p + 36);
    if (get32(p) != EXPORT_MAGIC || p[4] != 1 || p[5] > 1 || p[6] > 1 || p[7] > 15 || keylen > 32)
        return SEC_E_INVALID_TOKEN;
    fast = p[6] != 0;
    ctx = krb_context_new(p[5] != 0, PKG_SIDE_USER);
    if (ctx == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    ctx->imported = true;
    ctx->state = KRB_STATE_COMPLETE;
    ctx->attrs = get32(p + 8);
    ctx->gss_flags = get32(p + 12);
    ctx->start = (int64_t)get64(p + 16);
    ctx->expiry = (int64_t)get64(p + 24);
    ctx->enctype = (int32_t)get32(p + 32);
    ctx->key_len = keylen;
    memcpy(ctx->key, p + 40, keylen);
    ctx->names = true;
    atomic_store(&ctx->ready, 1);
    ctx->client = take_string(p, len, &pos);
    ctx->service = ctx->client != NULL ? take_string(p, len, &pos) : NULL;
    if (ctx->service == NULL)
        goto bad;
    if (fast) {
        if (pos != len || !krb_cfx_init(&ctx->cfx, ctx->enctype, ctx->key, keylen, !ctx->server,
                                        p[7] & 1, (p[7] & 2) != 0, (p[7] & 4) != 0, (p[7] & 8) != 0,
                                        get64(p + 72), get64(p + 80)))
            goto bad;
        ctx->cfx.recv_seen = get64(p + 88);
        ctx->fast = true;
    } else {
        OM_uint32 major, minor;
        gss_buffer_desc g;

        if (len - pos < 4 || len - pos - 4 != get32(p + pos))
            goto bad;
        g = (gss_buffer_desc){len - pos - 4, (void *)(p + pos + 4)};
        major = gss_import_sec_context(&minor, &g, &ctx->gss);
        if (GSS_ERROR(major)) {
            krb_status_from_gss(KRB_OP_MESSAGE, "gss_import_sec_context", major, minor);
            goto bad;
        }
    }
    *phContext = (LSA_SEC_HANDLE)ctx;
    (void)Token;
    return SEC_E_OK;
bad:
    pkg_object_discard(ctx);
    return SEC_E_INVALID_TOKEN;
}

NTSTATUS NTAPI krb_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_delete_side(&krb_context_class, ContextHandle, PKG_SIDE_USER);
}
