/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-crypto.c - NTLM one-way functions, challenge responses and session
 * key derivations (MS-NLMP 3.3 and 3.4.5), built on crypto/crypto.h.
 * Nothing here keeps state; every function is thread-safe.
 */
#include <string.h>

#include "packages/ntlm/ntlm.h"

static const char seal_c2s[] = "session key to client-to-server sealing key magic constant";
static const char seal_s2c[] = "session key to server-to-client sealing key magic constant";
static const char sign_c2s[] = "session key to client-to-server signing key magic constant";
static const char sign_s2c[] = "session key to server-to-client signing key magic constant";

static uint16_t upper16(uint16_t c)
{
    if (c >= 'a' && c <= 'z')
        return (uint16_t)(c - 0x20);
    if (c < 0x80)
        return c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return (uint16_t)(c - 0x20);
    if (c == 0xFF)
        return 0x178;
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return (uint16_t)(c - 0x20);
    if (c >= 0x430 && c <= 0x44F)
        return (uint16_t)(c - 0x20);
    if (c >= 0x450 && c <= 0x45F)
        return (uint16_t)(c - 0x50);
    return c;
}

/* See ntlm.h. */
void ntlm_utf16_upper(uint8_t *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        pkg_put_le16(s + i, upper16(pkg_get_le16(s + i)));
}

/* See ntlm.h. */
bool ntlm_utf16_caseeq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i + 1 < alen; i += 2)
        if (upper16(pkg_get_le16(a + i)) != upper16(pkg_get_le16(b + i)))
            return false;
    return true;
}

/* See ntlm.h. */
void ntlm_ntowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[16])
{
    crypto_md4(pw, pwlen, out);
}

/* See ntlm.h. */
void ntlm_lmowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[16])
{
    static const uint8_t magic[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
    uint8_t oem[14] = {0};

    for (size_t i = 0; i < 14 && 2 * i + 1 < pwlen; i++) {
        uint16_t c = upper16(pkg_get_le16(pw + 2 * i));
        oem[i] = c < 0x80 ? (uint8_t)c : '?';
    }
    crypto_des7_encrypt(oem, magic, out);
    crypto_des7_encrypt(oem + 7, magic, out + 8);
    crypto_wipe(oem, sizeof(oem));
}

/* See ntlm.h. */
void ntlm_ntowfv2(const uint8_t ntowfv1[16], const uint8_t *user, size_t userlen,
                  const uint8_t *domain, size_t domainlen, uint8_t out[16])
{
    crypto_hmac_md5_key k;
    crypto_hmac_md5_ctx c;
    uint8_t tmp[64];

    crypto_hmac_md5_set_key(&k, ntowfv1, 16);
    crypto_hmac_md5_begin(&c, &k);
    for (size_t off = 0; off < userlen; off += sizeof(tmp)) {
        size_t n = userlen - off < sizeof(tmp) ? userlen - off : sizeof(tmp);
        memcpy(tmp, user + off, n);
        ntlm_utf16_upper(tmp, n);
        crypto_hmac_md5_update(&c, tmp, n);
    }
    crypto_hmac_md5_update(&c, domain, domainlen);
    crypto_hmac_md5_final(&c, out);
    crypto_wipe(&k, sizeof(k));
    crypto_wipe(tmp, sizeof(tmp));
}

/* See ntlm.h. */
void ntlm_desl(const uint8_t key[16], const uint8_t data[8], uint8_t out[24])
{
    uint8_t k3[7] = {key[14], key[15], 0, 0, 0, 0, 0};

    crypto_des7_encrypt(key, data, out);
    crypto_des7_encrypt(key + 7, data, out + 8);
    crypto_des7_encrypt(k3, data, out + 16);
    crypto_wipe(k3, sizeof(k3));
}

/* See ntlm.h. */
void ntlm_v2_proof(const uint8_t ntowfv2[16], const uint8_t server_chal[8], const uint8_t *blob,
                   size_t bloblen, uint8_t proof[16])
{
    crypto_hmac_md5(ntowfv2, 16, server_chal, 8, blob, bloblen, NULL, 0, proof);
}

/* See ntlm.h. */
void ntlm_lmv2_response(const uint8_t ntowfv2[16], const uint8_t server_chal[8],
                        const uint8_t client_chal[8], uint8_t out[24])
{
    crypto_hmac_md5(ntowfv2, 16, server_chal, 8, client_chal, 8, NULL, 0, out);
    memcpy(out + 16, client_chal, 8);
}

/* See ntlm.h. */
void ntlm_v2_session_base_key(const uint8_t ntowfv2[16], const uint8_t proof[16], uint8_t out[16])
{
    crypto_hmac_md5(ntowfv2, 16, proof, 16, NULL, 0, NULL, 0, out);
}

/* See ntlm.h. */
size_t ntlm_v2_blob(uint64_t timestamp, const uint8_t client_chal[8], const uint8_t *av,
                    size_t avlen, uint8_t *out)
{
    memset(out, 0, 28);
    out[0] = 1;
    out[1] = 1;
    pkg_put_le64(out + 8, timestamp);
    memcpy(out + 16, client_chal, 8);
    if (avlen)
        memcpy(out + 28, av, avlen);
    memset(out + 28 + avlen, 0, 4);
    return 32 + avlen;
}

/* See ntlm.h. */
void ntlm_v1_response(const uint8_t owf[16], const uint8_t server_chal[8], uint8_t out[24])
{
    ntlm_desl(owf, server_chal, out);
}

/* See ntlm.h. */
void ntlm_v1_ess_response(const uint8_t ntowfv1[16], const uint8_t server_chal[8],
                          const uint8_t client_chal[8], uint8_t out[24])
{
    uint8_t both[16], h[16];

    memcpy(both, server_chal, 8);
    memcpy(both + 8, client_chal, 8);
    crypto_md5(both, 16, h);
    ntlm_desl(ntowfv1, h, out);
}

/* See ntlm.h. */
void ntlm_v1_session_base_key(const uint8_t ntowfv1[16], uint8_t out[16])
{
    crypto_md4(ntowfv1, 16, out);
}

/* See ntlm.h. */
void ntlm_kxkey(uint32_t flags, bool v2, const uint8_t session_base_key[16],
                const uint8_t lmowf[16], const uint8_t lm_response[8], const uint8_t server_chal[8],
                uint8_t out[16])
{
    if (v2) {
        memcpy(out, session_base_key, 16);
    } else if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        crypto_hmac_md5(session_base_key, 16, server_chal, 8, lm_response, 8, NULL, 0, out);
    } else if (flags & NTLMSSP_NEGOTIATE_LM_KEY) {
        uint8_t k2[7] = {lmowf[7], 0xbd, 0xbd, 0xbd, 0xbd, 0xbd, 0xbd};
        crypto_des7_encrypt(lmowf, lm_response, out);
        crypto_des7_encrypt(k2, lm_response, out + 8);
        crypto_wipe(k2, sizeof(k2));
    } else if (flags & NTLMSSP_REQUEST_NON_NT_SESSION_KEY) {
        memcpy(out, lmowf, 8);
        memset(out + 8, 0, 8);
    } else {
        memcpy(out, session_base_key, 16);
    }
}

static void md5_key_magic(const uint8_t *key, size_t keylen, const char *magic, uint8_t out[16])
{
    crypto_md5_ctx c;

    crypto_md5_init(&c);
    crypto_md5_update(&c, key, keylen);
    crypto_md5_update(&c, magic, strlen(magic) + 1);
    crypto_md5_final(&c, out);
}

/* See ntlm.h. */
void ntlm_signkey(const uint8_t exported[16], bool client, uint8_t out[16])
{
    md5_key_magic(exported, 16, client ? sign_c2s : sign_s2c, out);
}

/* See ntlm.h. */
size_t ntlm_sealkey(uint32_t flags, const uint8_t exported[16], bool client, uint8_t out[16])
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        size_t n = (flags & NTLMSSP_NEGOTIATE_128) ? 16 : (flags & NTLMSSP_NEGOTIATE_56) ? 7 : 5;
        md5_key_magic(exported, n, client ? seal_c2s : seal_s2c, out);
        return 16;
    }
    if (flags & (NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_DATAGRAM)) {
        if (flags & NTLMSSP_NEGOTIATE_56) {
            memcpy(out, exported, 7);
            out[7] = 0xa0;
        } else {
            memcpy(out, exported, 5);
            out[5] = 0xe5;
            out[6] = 0x38;
            out[7] = 0xb0;
        }
        return 8;
    }
    memcpy(out, exported, 16);
    return 16;
}

/* See ntlm.h. */
void ntlm_mic(const uint8_t exported[16], const uint8_t *neg, size_t neglen, const uint8_t *chal,
              size_t challen, const uint8_t *auth, size_t authlen, uint8_t out[16])
{
    static const uint8_t zero[16];
    crypto_hmac_md5_key k;
    crypto_hmac_md5_ctx c;

    crypto_hmac_md5_set_key(&k, exported, 16);
    crypto_hmac_md5_begin(&c, &k);
    crypto_hmac_md5_update(&c, neg, neglen);
    crypto_hmac_md5_update(&c, chal, challen);
    if (authlen >= NTLM_AUTH_HEADER_SIZE) {
        crypto_hmac_md5_update(&c, auth, NTLM_MIC_OFFSET);
        crypto_hmac_md5_update(&c, zero, 16);
        crypto_hmac_md5_update(&c, auth + NTLM_AUTH_HEADER_SIZE, authlen - NTLM_AUTH_HEADER_SIZE);
    } else {
        crypto_hmac_md5_update(&c, auth, authlen);
    }
    crypto_hmac_md5_final(&c, out);
    crypto_wipe(&k, sizeof(k));
}

/* Append one gss_buffer (length then value) of a SEC_CHANNEL_BINDINGS part. */
static bool cbt_part(crypto_md5_ctx *c, const uint8_t *cb, size_t cblen, uint32_t len, uint32_t off)
{
    uint8_t l[4];

    if (len && ((size_t)off > cblen || (size_t)len > cblen - off))
        return false;
    pkg_put_le32(l, len);
    crypto_md5_update(c, l, 4);
    if (len)
        crypto_md5_update(c, cb + off, len);
    return true;
}

/* See ntlm.h. */
bool ntlm_cbt_hash(const uint8_t *cb, size_t cblen, uint8_t out[16])
{
    crypto_md5_ctx c;
    bool ok;

    if (cblen < 32)
        return false;
    crypto_md5_init(&c);
    crypto_md5_update(&c, cb, 4); /* initiator type */
    ok = cbt_part(&c, cb, cblen, pkg_get_le32(cb + 4), pkg_get_le32(cb + 8));
    crypto_md5_update(&c, cb + 12, 4); /* acceptor type */
    ok = ok && cbt_part(&c, cb, cblen, pkg_get_le32(cb + 16), pkg_get_le32(cb + 20));
    ok = ok && cbt_part(&c, cb, cblen, pkg_get_le32(cb + 24), pkg_get_le32(cb + 28));
    crypto_md5_final(&c, out);
    return ok;
}
