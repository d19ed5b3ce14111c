/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * crypto-krb5.c - Kerberos key derivation on top of crypto.h: RFC 3961
 * n-fold and DK for aes*-cts-hmac-sha1-96 (RFC 3962), and RFC 8009's
 * KDF-HMAC-SHA2 for aes*-cts-hmac-sha256-128/sha384-192.  Uses only the
 * primitives of crypto.h (no nettle here).
 */
#include "config.h"

#include <string.h>

#include "crypto/crypto.h"

void crypto_krb5_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
    size_t a = outlen, b = inlen, lcm;
    unsigned carry = 0;

    while (b != 0) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    lcm = outlen * inlen / a;
    memset(out, 0, outlen);
    /* Walk the lcm-byte string of rotated copies from its last byte, adding
     * each byte into its output position with end-around carry. */
    for (size_t i = lcm; i-- > 0;) {
        size_t inbits = inlen * 8;
        /* Bit index (from the most significant) of this byte's top bit in
         * the input, after (i / inlen) rotations right by 13 bits. */
        size_t msbit =
            (inbits - 1 + (inbits + 13) * (i / inlen) + (inlen - i % inlen) * 8) % inbits;
        unsigned hi = in[(inlen - 1 - (msbit >> 3)) % inlen];
        unsigned lo = in[(inlen - (msbit >> 3)) % inlen];

        carry += ((hi << 8 | lo) >> ((msbit & 7) + 1)) & 0xff;
        carry += out[i % outlen];
        out[i % outlen] = (uint8_t)carry;
        carry >>= 8;
    }
    for (size_t i = outlen; carry != 0 && i-- > 0;) {
        carry += out[i];
        out[i] = (uint8_t)carry;
        carry >>= 8;
    }
}

/* RFC 3961 DK(key, constant) for AES (random-to-key is the identity). */
static void dk_aes(const uint8_t *key, size_t keylen, const uint8_t *constant, size_t clen,
                   uint8_t *out)
{
    crypto_aes_key k;
    uint8_t block[16];

    crypto_aes_set_key(&k, key, keylen);
    crypto_krb5_nfold(constant, clen, block, 16);
    for (size_t done = 0; done < keylen; done += 16) {
        crypto_aes_encrypt_block(&k, block, block);
        memcpy(out + done, block, 16);
    }
    crypto_wipe(&k, sizeof(k));
    crypto_wipe(block, sizeof(block));
}

/* RFC 8009 KDF-HMAC-SHA2(key, label, bits): the first bits/8 bytes of
 * HMAC(key, 00000001 | label | 00 | bits). */
static void kdf_sha2(enum crypto_hmac_alg alg, const uint8_t *key, size_t keylen,
                     const uint8_t *label, size_t lablen, size_t bits, uint8_t *out)
{
    crypto_hmac_key k;
    crypto_hmac_ctx c;
    uint8_t one[4] = {0, 0, 0, 1}, zero = 0;
    uint8_t len[4] = {(uint8_t)(bits >> 24), (uint8_t)(bits >> 16), (uint8_t)(bits >> 8),
                      (uint8_t)bits};

    crypto_hmac_set_key(&k, alg, key, keylen);
    crypto_hmac_begin(&c, &k);
    crypto_hmac_update(&c, one, 4);
    crypto_hmac_update(&c, label, lablen);
    crypto_hmac_update(&c, &zero, 1);
    crypto_hmac_update(&c, len, 4);
    crypto_hmac_final(&c, out, bits / 8);
    crypto_wipe(&k, sizeof(k));
}

static size_t krb5_keylen(int32_t enctype)
{
    switch (enctype) {
    case CRYPTO_KRB5_AES128_CTS_HMAC_SHA1_96:
    case CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128:
        return 16;
    case CRYPTO_KRB5_AES256_CTS_HMAC_SHA1_96:
    case CRYPTO_KRB5_AES256_CTS_HMAC_SHA384_192:
        return 32;
    }
    return 0;
}

bool crypto_krb5_derive(int32_t enctype, const uint8_t *key, size_t keylen, uint32_t usage,
                        uint8_t kind, uint8_t out[32], size_t *outlen)
{
    uint8_t constant[5] = {(uint8_t)(usage >> 24), (uint8_t)(usage >> 16), (uint8_t)(usage >> 8),
                           (uint8_t)usage, kind};

    if (krb5_keylen(enctype) == 0 || keylen != krb5_keylen(enctype))
        return false;
    switch (enctype) {
    case CRYPTO_KRB5_AES128_CTS_HMAC_SHA1_96:
    case CRYPTO_KRB5_AES256_CTS_HMAC_SHA1_96:
        dk_aes(key, keylen, constant, sizeof(constant), out);
        *outlen = keylen;
        return true;
    case CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128:
        kdf_sha2(CRYPTO_HMAC_SHA256, key, keylen, constant, sizeof(constant), 128, out);
        *outlen = 16;
        return true;
    default: /* aes256-cts-hmac-sha384-192: Ke 256 bits, Kc and Ki 192 */
        *outlen = kind == CRYPTO_KRB5_KE ? 32 : 24;
        kdf_sha2(CRYPTO_HMAC_SHA384, key, keylen, constant, sizeof(constant), *outlen * 8, out);
        return true;
    }
}

bool crypto_krb5_string_to_key(int32_t enctype, const char *password, size_t pwlen,
                               const uint8_t *salt, size_t saltlen, uint32_t iterations,
                               uint8_t out[32], size_t *outlen)
{
    static const uint8_t kerberos[] = "kerberos";
    size_t keylen = krb5_keylen(enctype);
    uint8_t tkey[32];

    if (keylen == 0 || iterations == 0)
        return false;
    if (enctype == CRYPTO_KRB5_AES128_CTS_HMAC_SHA1_96 ||
        enctype == CRYPTO_KRB5_AES256_CTS_HMAC_SHA1_96) {
        crypto_pbkdf2(CRYPTO_HMAC_SHA1, password, pwlen, salt, saltlen, iterations, tkey, keylen);
        dk_aes(tkey, keylen, kerberos, 8, out);
    } else {
        /* saltp = enctype name | 0x00 | salt */
        const char *name = enctype == CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128
                               ? "aes128-cts-hmac-sha256-128"
                               : "aes256-cts-hmac-sha384-192";
        enum crypto_hmac_alg alg = enctype == CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128
                                       ? CRYPTO_HMAC_SHA256
                                       : CRYPTO_HMAC_SHA384;
        uint8_t saltp[512];
        size_t nlen = strlen(name) + 1;

        if (saltlen > sizeof(saltp) - nlen)
            return false;
        memcpy(saltp, name, nlen);
        memcpy(saltp + nlen, salt, saltlen);
        crypto_pbkdf2(alg, password, pwlen, saltp, nlen + saltlen, iterations, tkey, keylen);
        kdf_sha2(alg, tkey, keylen, kerberos, 8, keylen * 8, out);
    }
    *outlen = keylen;
    crypto_wipe(tkey, sizeof(tkey));
    return true;
}
