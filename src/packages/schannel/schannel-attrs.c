/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-attrs.c - QueryContextAttributes for Schannel contexts
 * (reference section 6.5).  Variable-size answers (strings, bindings) come
 * from the host's heap and are freed with FreeContextBuffer; certificate
 * contexts are freed with CertFreeCertificateContext.
 *
 * Status choices: NULL buffer SEC_E_INVALID_PARAMETER; context still in
 * its handshake (for attributes of the session) SEC_E_INVALID_HANDLE; no
 * peer certificate (REMOTE_CERT_CONTEXT, CC_POLICY_RESULT)
 * SEC_E_NO_CREDENTIALS; tls-unique under TLS 1.3 and attributes Schannel
 * does not have SEC_E_UNSUPPORTED_FUNCTION.
 */
#include <stdio.h>
#include <string.h>

#include <gnutls/x509.h>

#include "common/utf16.h"
#include "packages/schannel/schannel-pkg.h"

static void *schan_alloc(size_t len)
{
    if (len > UINT32_MAX)
        return NULL;
    return pkg_alloc(pkg_dll != NULL ? PKG_MODE_USER : PKG_MODE_LSA, len);
}

static uint32_t schan_proto_bit(const struct schan_ctx *ctx)
{
    uint32_t bit;

    switch (gnutls_protocol_get_version(ctx->session)) {
    case GNUTLS_TLS1_0:
        bit = SP_PROT_TLS1_0_SERVER;
        break;
    case GNUTLS_TLS1_1:
        bit = SP_PROT_TLS1_1_SERVER;
        break;
    case GNUTLS_TLS1_2:
        bit = SP_PROT_TLS1_2_SERVER;
        break;
    case GNUTLS_TLS1_3:
        bit = SP_PROT_TLS1_3_SERVER;
        break;
    default:
        return 0;
    }
    return ctx->server ? bit : bit << 1;
}

/* Suite facts for CONNECTION_INFO(_EX), CIPHER_INFO, KEY_INFO. */
struct schan_suite {
    ALG_ID cipher, hash, exch;
    uint32_t cipher_bits, hash_bits, exch_bits;
    const char *cipher_name, *hash_name, *exch_name;
};

static void schan_suite(struct schan_ctx *ctx, struct schan_suite *s)
{
    gnutls_session_t ss = ctx->session;
    gnutls_cipher_algorithm_t c = gnutls_cipher_get(ss);
    gnutls_digest_algorithm_t prf = gnutls_prf_hash_get(ss);
    gnutls_mac_algorithm_t mac = gnutls_mac_get(ss);
    gnutls_kx_algorithm_t kx = gnutls_kx_get(ss);
    gnutls_group_t group = gnutls_group_get(ss);

    memset(s, 0, sizeof(*s));
    s->cipher_bits = (uint32_t)gnutls_cipher_get_key_size(c) * 8;
    s->cipher = c == GNUTLS_CIPHER_AES_128_GCM || c == GNUTLS_CIPHER_AES_128_CBC ||
                        c == GNUTLS_CIPHER_AES_128_CCM
                    ? CALG_AES_128
                : c == GNUTLS_CIPHER_AES_256_GCM || c == GNUTLS_CIPHER_AES_256_CBC ||
                        c == GNUTLS_CIPHER_AES_256_CCM
                    ? CALG_AES_256
                : c == GNUTLS_CIPHER_3DES_CBC ? CALG_3DES
                                              : 0;
    s->cipher_name = c == GNUTLS_CIPHER_CHACHA20_POLY1305 ? "CHACHA20_POLY1305"
                     : c == GNUTLS_CIPHER_3DES_CBC        ? "3DES"
                                                          : "AES";
    if (mac == GNUTLS_MAC_SHA1) {
        s->hash = CALG_SHA1, s->hash_bits = 160, s->hash_name = "SHA1";
    } else if (prf == GNUTLS_DIG_SHA384 || mac == GNUTLS_MAC_SHA384) {
        s->hash = CALG_SHA_384, s->hash_bits = 384, s->hash_name = "SHA384";
    } else {
        s->hash = CALG_SHA_256, s->hash_bits = 256, s->hash_name = "SHA256";
    }
    if (kx == GNUTLS_KX_RSA) {
        s->exch = CALG_RSA_KEYX, s->exch_name = "RSA";
    } else if (kx == GNUTLS_KX_DHE_RSA || kx == GNUTLS_KX_DHE_DSS ||
               (group >= GNUTLS_GROUP_FFDHE2048 && group <= GNUTLS_GROUP_FFDHE8192)) {
        s->exch = CALG_DH_EPHEM, s->exch_name = "DH";
    } else {
        s->exch = CALG_ECDH_EPHEM, s->exch_name = "ECDH";
    }
    switch (group) {
    case GNUTLS_GROUP_SECP256R1:
        s->exch_bits = 256;
        break;
    case GNUTLS_GROUP_SECP384R1:
        s->exch_bits = 384;
        break;
    case GNUTLS_GROUP_SECP521R1:
        s->exch_bits = 521;
        break;
    case GNUTLS_GROUP_X25519:
        s->exch_bits = 255;
        break;
    case GNUTLS_GROUP_X448:
        s->exch_bits = 448;
        break;
    case GNUTLS_GROUP_FFDHE2048:
        s->exch_bits = 2048;
        break;
    case GNUTLS_GROUP_FFDHE3072:
        s->exch_bits = 3072;
        break;
    case GNUTLS_GROUP_FFDHE4096:
        s->exch_bits = 4096;
        break;
    default:
        s->exch_bits = 0;
        break;
    }
}

static void schan_wcopy(WCHAR *dst, size_t cap, const char *src)
{
    size_t n = sspi_utf8_to_utf16_buf(src, strlen(src), dst, cap - 1);

    dst[n == (size_t)-1 ? 0 : n] = 0;
}

static SECURITY_STATUS schan_stream_sizes(struct schan_ctx *ctx, SecPkgContext_StreamSizes *z)
{
    gnutls_cipher_algorithm_t c = gnutls_cipher_get(ctx->session);
    size_t overhead = gnutls_record_overhead_size(ctx->session);
    uint32_t hdr;

    hdr = schan_header_size(ctx->session);
    z->cbHeader = hdr;
    z->cbTrailer = overhead > hdr ? (uint32_t)overhead - hdr : 16;
    z->cbMaximumMessage = (uint32_t)gnutls_record_get_max_size(ctx->session);
    z->cBuffers = 4;
    z->cbBlockSize = (uint32_t)gnutls_cipher_get_block_size(c);
    return SEC_E_OK;
}

static SECURITY_STATUS schan_cipher_info(struct schan_ctx *ctx, SecPkgContext_CipherInfo *ci)
{
    struct schan_suite s;
    const char *name = gnutls_ciphersuite_get(ctx->session);
    unsigned char id[2] = {0, 0};
    gnutls_kx_algorithm_t kx;
    gnutls_cipher_algorithm_t c;
    gnutls_mac_algorithm_t mac;
    gnutls_protocol_t minv;

    schan_suite(ctx, &s);
    memset(ci, 0, sizeof(*ci));
    ci->dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    ci->dwProtocol = schan_proto_bit(ctx);
    for (size_t i = 0; gnutls_cipher_suite_info(i, id, &kx, &c, &mac, &minv) != NULL; i++)
        if (c == gnutls_cipher_get(ctx->session) &&
            (gnutls_protocol_get_version(ctx->session) == GNUTLS_TLS1_3
                 ? minv == GNUTLS_TLS1_3 && (mac == gnutls_mac_get(ctx->session) ||
                                             (int)gnutls_prf_hash_get(ctx->session) == (int)mac)
                 : kx == gnutls_kx_get(ctx->session) && mac == gnutls_mac_get(ctx->session) &&
                       minv != GNUTLS_TLS1_3)) {
            ci->dwCipherSuite = (DWORD)id[0] << 8 | id[1];
            break;
        }
    ci->dwBaseCipherSuite = ci->dwCipherSuite;
    schan_wcopy(ci->szCipherSuite, SZ_ALG_MAX_SIZE, name ? name : "");
    schan_wcopy(ci->szCipher, SZ_ALG_MAX_SIZE, s.cipher_name);
    ci->dwCipherLen = s.cipher_bits;
    ci->dwCipherBlockLen = (DWORD)gnutls_cipher_get_block_size(gnutls_cipher_get(ctx->session));
    schan_wcopy(ci->szHash, SZ_ALG_MAX_SIZE, s.hash_name);
    ci->dwHashLen = s.hash_bits;
    schan_wcopy(ci->szExchange, SZ_ALG_MAX_SIZE, s.exch_name);
    ci->dwMinExchangeLen = ci->dwMaxExchangeLen = s.exch_bits;
    schan_wcopy(ci->szCertificate, SZ_ALG_MAX_SIZE,
                gnutls_pk_get_name(gnutls_certificate_type_get(ctx->session) ? GNUTLS_PK_RSA
                                                                             : GNUTLS_PK_RSA));
    return SEC_E_OK;
}

/* Channel bindings: SEC_CHANNEL_BINDINGS then "prefix:" + data. */
static SECURITY_STATUS schan_bindings(struct schan_ctx *ctx, gnutls_channel_binding_t type,
                                      const char *prefix, SecPkgContext_Bindings *b)
{
    gnutls_datum_t cb = {NULL, 0};
    size_t plen = strlen(prefix), total;
    SEC_CHANNEL_BINDINGS *scb;

    if (gnutls_session_channel_binding(ctx->session, type, &cb) < 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    total = sizeof(*scb) + plen + cb.size;
    scb = schan_alloc(total);
    if (scb == NULL) {
        gnutls_free(cb.data);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    memset(scb, 0, sizeof(*scb));
    scb->cbApplicationDataLength = (uint32_t)(plen + cb.size);
    scb->dwApplicationDataOffset = sizeof(*scb);
    memcpy((uint8_t *)(scb + 1), prefix, plen);
    memcpy((uint8_t *)(scb + 1) + plen, cb.data, cb.size);
    gnutls_free(cb.data);
    b->BindingsLength = (uint32_t)total;
    b->Bindings = scb;
    return SEC_E_OK;
}

static SECURITY_STATUS schan_cert_attr(struct schan_ctx *ctx, bool remote, PCCERT_CONTEXT *out)
{
    const struct wincrypt_cert *ours = (ctx->cert_cred ? ctx->cert_cred : ctx->cred)->cert;
    const gnutls_datum_t *list;
    unsigned int n = 0;
    struct wincrypt_cert *c;

    if (!remote && ours != NULL) {
        wincrypt_cert_ref(ours);
        *out = &ours->ctx;
        return SEC_E_OK;
    }
    list = remote ? gnutls_certificate_get_peers(ctx->session, &n)
                  : gnutls_certificate_get_ours(ctx->session);
    if (!remote && list != NULL)
        n = 1;
    if (list == NULL || n == 0)
        return SEC_E_NO_CREDENTIALS;
    c = wincrypt_cert_from_der(list[0].data, list[0].size);
    if (c == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    *out = &c->ctx;
    return SEC_E_OK;
}

static SECURITY_STATUS schan_key_info(struct schan_ctx *ctx, SecPkgContext_KeyInfoW *k)
{
    struct schan_suite s;
    gnutls_sign_algorithm_t sig = gnutls_sign_algorithm_get(ctx->session);
    const char *sname = gnutls_sign_get_name(sig);
    const char *names[2] = {sname ? sname : "", NULL};
    char enc[64];
    SEC_WCHAR *w[2];

    schan_suite(ctx, &s);
    snprintf(enc, sizeof(enc), "%s", gnutls_cipher_get_name(gnutls_cipher_get(ctx->session)));
    names[1] = enc;
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(names[i]);

        w[i] = schan_alloc((n + 1) * sizeof(SEC_WCHAR));
        if (w[i] == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        schan_wcopy(w[i], n + 1, names[i]);
    }
    k->sSignatureAlgorithmName = w[0];
    k->sEncryptAlgorithmName = w[1];
    k->KeySize = s.cipher_bits;
    k->SignatureAlgorithm =
        gnutls_sign_get_pk_algorithm(sig) == GNUTLS_PK_ECDSA ? CALG_ECDSA : CALG_RSA_SIGN;
    k->EncryptAlgorithm = s.cipher;
    return SEC_E_OK;
}

static SECURITY_STATUS schan_session_attr(struct schan_ctx *ctx, ULONG attr, void *buf)
{
    struct schan_suite s;

    switch (attr) {
    case SECPKG_ATTR_STREAM_SIZES:
        return schan_stream_sizes(ctx, buf);
    case SECPKG_ATTR_CONNECTION_INFO: {
        SecPkgContext_ConnectionInfo *ci = buf;

        schan_suite(ctx, &s);
        *ci = (SecPkgContext_ConnectionInfo){schan_proto_bit(ctx), s.cipher, s.cipher_bits, s.hash,
                                             s.hash_bits,          s.exch,   s.exch_bits};
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CONNECTION_INFO_EX: {
        SecPkgContext_ConnectionInfoEx *ci = buf;

        schan_suite(ctx, &s);
        memset(ci, 0, sizeof(*ci));
        ci->dwVersion = SECPKGCONTEXT_CONNECTION_INFO_EX_V1;
        ci->dwProtocol = schan_proto_bit(ctx);
        schan_wcopy(ci->szCipher, SZ_ALG_MAX_SIZE, s.cipher_name);
        ci->dwCipherStrength = s.cipher_bits;
        schan_wcopy(ci->szHash, SZ_ALG_MAX_SIZE, s.hash_name);
        ci->dwHashStrength = s.hash_bits;
        schan_wcopy(ci->szExchange, SZ_ALG_MAX_SIZE, s.exch_name);
        ci->dwExchStrength = s.exch_bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CIPHER_INFO:
        return schan_cipher_info(ctx, buf);
    case SECPKG_ATTR_KEY_INFO:
        return schan_key_info(ctx, buf);
    case SECPKG_ATTR_REMOTE_CERT_CONTEXT:
    case SECPKG_ATTR_LOCAL_CERT_CONTEXT:
        return schan_cert_attr(ctx, attr == SECPKG_ATTR_REMOTE_CERT_CONTEXT, buf);
    case SECPKG_ATTR_APPLICATION_PROTOCOL: {
        SecPkgContext_ApplicationProtocol *ap = buf;
        gnutls_datum_t p;

        memset(ap, 0, sizeof(*ap));
        if (gnutls_alpn_get_selected_protocol(ctx->session, &p) == 0 && p.size <= 255) {
            ap->ProtoNegoStatus = SecApplicationProtocolNegotiationStatus_Success;
            ap->ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
            ap->ProtocolIdSize = (uint8_t)p.size;
            memcpy(ap->ProtocolId, p.data, p.size);
        }
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_INFO: {
        SecPkgContext_SessionInfo *si = buf;
        size_t n = sizeof(si->rgbSessionId);

        memset(si, 0, sizeof(*si));
        si->dwFlags = gnutls_session_is_resumed(ctx->session) ? SSL_SESSION_RECONNECT : 0;
        if (gnutls_session_get_id(ctx->session, si->rgbSessionId, &n) == 0)
            si->cbSessionId = (DWORD)n;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CC_POLICY_RESULT: {
        SecPkgContext_ClientCertPolicyResult *r = buf;

        if (!ctx->peer_sent)
            return SEC_E_NO_CREDENTIALS;
        memset(r, 0, sizeof(*r));
        r->dwPolicyResult = schan_session_judge_peer(ctx);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_ENDPOINT_BINDINGS:
        return schan_bindings(ctx, GNUTLS_CB_TLS_SERVER_END_POINT, "tls-server-end-point:", buf);
    case SECPKG_ATTR_UNIQUE_BINDINGS:
        if (gnutls_protocol_get_version(ctx->session) == GNUTLS_TLS1_3)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return schan_bindings(ctx, GNUTLS_CB_TLS_UNIQUE, "tls-unique:", buf);
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

NTSTATUS NTAPI schan_query_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                              PVOID Buffer)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(ContextHandle, SCHAN_SIDE_LSA);

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    if (Buffer == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (ContextAttribute == SECPKG_ATTR_SIZES) {
        SecPkgContext_Sizes *z = Buffer;

        *z = (SecPkgContext_Sizes){SCHAN_MAX_TOKEN, 0, 0, 0};
        return SEC_E_OK;
    }
    if (ContextAttribute == SECPKG_ATTR_FLAGS) {
        ((SecPkgContext_Flags *)Buffer)->Flags = ctx->attrs;
        return SEC_E_OK;
    }
    if (ContextAttribute == SECPKG_ATTR_NEGOTIATION_INFO)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (ctx->state == SCHAN_HANDSHAKE && !ctx->renegotiating)
        return SEC_E_INVALID_HANDLE;
    return schan_session_attr(ctx, ContextAttribute, Buffer);
}

NTSTATUS NTAPI schan_query_lsa_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                  ULONG ContextAttribute, PVOID Buffer)
{
    return schan_query_context_attributes(ContextHandle, ContextAttribute, Buffer);
}
