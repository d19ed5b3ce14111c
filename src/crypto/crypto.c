/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * crypto.c - crypto.h on top of nettle.  The opaque context blocks of
 * crypto.h are checked against nettle's structure sizes at compile time.
 */
#include "config.h"

#include "crypto/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/arcfour.h>
#include <nettle/des.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/memops.h>
#include <nettle/memxor.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

struct gcm_aes256_key {
    struct gcm_key gk;
    struct aes256_ctx aes;
};

#define FITS(opaque_type, nettle_type)                                                             \
    _Static_assert(sizeof(((opaque_type *)0)->opaque) >= sizeof(nettle_type),                      \
                   #nettle_type " does not fit " #opaque_type);                                    \
    _Static_assert(_Alignof(opaque_type) >= _Alignof(nettle_type),                                 \
                   #nettle_type " alignment " #opaque_type)

FITS(crypto_md5_ctx, struct md5_ctx);
FITS(crypto_hmac_md5_key, struct hmac_md5_ctx);
FITS(crypto_hmac_md5_ctx, struct hmac_md5_ctx);
FITS(crypto_hmac_sha256_key, struct hmac_sha256_ctx);
FITS(crypto_hmac_sha256_ctx, struct hmac_sha256_ctx);
FITS(crypto_rc4, struct arcfour_ctx);
FITS(crypto_gcm_key, struct gcm_aes256_key);

/* Both schedules of one AES key. */
struct aes_both {
    uint32_t len;
    union {
        struct {
            struct aes128_ctx enc, dec;
        } a128;
        struct {
            struct aes256_ctx enc, dec;
        } a256;
    } u;
};

FITS(crypto_aes_key, struct aes_both);
FITS(crypto_hmac_key, struct hmac_sha1_ctx);
FITS(crypto_hmac_key, struct hmac_sha256_ctx);
FITS(crypto_hmac_key, struct hmac_sha384_ctx);

void crypto_wipe(void *p, size_t len)
{
    if (p != NULL && len > 0)
        explicit_bzero(p, len);
}

void crypto_md4(const void *data, size_t len, uint8_t out[CRYPTO_MD4_DIGEST_SIZE])
{
    struct md4_ctx c;
    md4_init(&c);
    md4_update(&c, len, data);
    md4_digest(&c, MD4_DIGEST_SIZE, out);
    crypto_wipe(&c, sizeof(c));
}

void crypto_md5(const void *data, size_t len, uint8_t out[CRYPTO_MD5_DIGEST_SIZE])
{
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, len, data);
    md5_digest(&c, MD5_DIGEST_SIZE, out);
    crypto_wipe(&c, sizeof(c));
}

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_DIGEST_SIZE])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, SHA256_DIGEST_SIZE, out);
    crypto_wipe(&c, sizeof(c));
}

void crypto_md5_init(crypto_md5_ctx *c)
{
    md5_init((struct md5_ctx *)c->opaque);
}

void crypto_md5_update(crypto_md5_ctx *c, const void *data, size_t len)
{
    md5_update((struct md5_ctx *)c->opaque, len, data);
}

void crypto_md5_final(crypto_md5_ctx *c, uint8_t out[CRYPTO_MD5_DIGEST_SIZE])
{
    md5_digest((struct md5_ctx *)c->opaque, MD5_DIGEST_SIZE, out);
    crypto_wipe(c, sizeof(*c));
}

/* ---- HMAC-MD5 ------------------------------------------------------------ */

void crypto_hmac_md5_set_key(crypto_hmac_md5_key *k, const void *key, size_t len)
{
    hmac_md5_set_key((struct hmac_md5_ctx *)k->opaque, len, key);
}

void crypto_hmac_md5_begin(crypto_hmac_md5_ctx *c, const crypto_hmac_md5_key *k)
{
    memcpy(c->opaque, k->opaque, sizeof(struct hmac_md5_ctx));
}

void crypto_hmac_md5_update(crypto_hmac_md5_ctx *c, const void *data, size_t len)
{
    hmac_md5_update((struct hmac_md5_ctx *)c->opaque, len, data);
}

void crypto_hmac_md5_final(crypto_hmac_md5_ctx *c, uint8_t out[CRYPTO_MD5_DIGEST_SIZE])
{
    hmac_md5_digest((struct hmac_md5_ctx *)c->opaque, MD5_DIGEST_SIZE, out);
    crypto_wipe(c->opaque, sizeof(struct hmac_md5_ctx));
}

void crypto_hmac_md5(const void *key, size_t keylen, const void *a, size_t alen, const void *b,
                     size_t blen, const void *c, size_t clen, uint8_t out[CRYPTO_MD5_DIGEST_SIZE])
{
    struct hmac_md5_ctx h;
    hmac_md5_set_key(&h, keylen, key);
    if (alen > 0)
        hmac_md5_update(&h, alen, a);
    if (blen > 0)
        hmac_md5_update(&h, blen, b);
    if (clen > 0)
        hmac_md5_update(&h, clen, c);
    hmac_md5_digest(&h, MD5_DIGEST_SIZE, out);
    crypto_wipe(&h, sizeof(h));
}

/* ---- HMAC-SHA256 --------------------------------------------------------- */

void crypto_hmac_sha256_set_key(crypto_hmac_sha256_key *k, const void *key, size_t len)
{
    hmac_sha256_set_key((struct hmac_sha256_ctx *)k->opaque, len, key);
}

void crypto_hmac_sha256_begin(crypto_hmac_sha256_ctx *c, const crypto_hmac_sha256_key *k)
{
    memcpy(c->opaque, k->opaque, sizeof(struct hmac_sha256_ctx));
}

void crypto_hmac_sha256_update(crypto_hmac_sha256_ctx *c, const void *data, size_t len)
{
    hmac_sha256_update((struct hmac_sha256_ctx *)c->opaque, len, data);
}

void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c, uint8_t out[CRYPTO_SHA256_DIGEST_SIZE])
{
    hmac_sha256_digest((struct hmac_sha256_ctx *)c->opaque, SHA256_DIGEST_SIZE, out);
    crypto_wipe(c->opaque, sizeof(struct hmac_sha256_ctx));
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        uint8_t out[CRYPTO_SHA256_DIGEST_SIZE])
{
    struct hmac_sha256_ctx h;
    hmac_sha256_set_key(&h, keylen, key);
    hmac_sha256_update(&h, len, data);
    hmac_sha256_digest(&h, SHA256_DIGEST_SIZE, out);
    crypto_wipe(&h, sizeof(h));
}

/* ---- RC4 ----------------------------------------------------------------- */

void crypto_rc4_set_key(crypto_rc4 *r, const void *key, size_t len)
{
    arcfour_set_key((struct arcfour_ctx *)r->opaque, len, key);
}

void crypto_rc4_crypt(crypto_rc4 *r, size_t len, uint8_t *dst, const uint8_t *src)
{
    arcfour_crypt((struct arcfour_ctx *)r->opaque, len, dst, src);
}

/* ---- DES ----------------------------------------------------------------- */

void crypto_des7_encrypt(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
    uint8_t key[8];
    struct des_ctx d;

    /* Spread 56 key bits over 8 bytes, 7 bits each; des_fix_parity sets the
     * low (parity) bit of every byte. */
    key[0] = key7[0];
    key[1] = (uint8_t)((key7[0] << 7) | (key7[1] >> 1));
    key[2] = (uint8_t)((key7[1] << 6) | (key7[2] >> 2));
    key[3] = (uint8_t)((key7[2] << 5) | (key7[3] >> 3));
    key[4] = (uint8_t)((key7[3] << 4) | (key7[4] >> 4));
    key[5] = (uint8_t)((key7[4] << 3) | (key7[5] >> 5));
    key[6] = (uint8_t)((key7[5] << 2) | (key7[6] >> 6));
    key[7] = (uint8_t)(key7[6] << 1);
    des_fix_parity(8, key, key);
    /* des_set_key rejects weak keys; NTLMv1 must still encrypt with them, and
     * nettle expands the key schedule regardless of the return value. */
    (void)des_set_key(&d, key);
    des_encrypt(&d, DES_BLOCK_SIZE, out, in);
    crypto_wipe(&d, sizeof(d));
    crypto_wipe(key, sizeof(key));
}

/* ---- AES-256-GCM --------------------------------------------------------- */

void crypto_gcm_aes256_set_key(crypto_gcm_key *k, const uint8_t key[32])
{
    struct gcm_aes256_key *g = (struct gcm_aes256_key *)k->opaque;
    aes256_set_encrypt_key(&g->aes, key);
    gcm_set_key(&g->gk, &g->aes, (nettle_cipher_func *)aes256_encrypt);
}

static void gcm_start(struct gcm_ctx *c, const struct gcm_aes256_key *g, const uint8_t *iv,
                      const void *aad, size_t aadlen)
{
    gcm_set_iv(c, &g->gk, CRYPTO_GCM_IV_SIZE, iv);
    if (aadlen > 0)
        gcm_update(c, &g->gk, aadlen, aad);
}

void crypto_gcm_aes256_encrypt(const crypto_gcm_key *k, const uint8_t iv[CRYPTO_GCM_IV_SIZE],
                               const void *aad, size_t aadlen, size_t len, uint8_t *dst,
                               const uint8_t *src, uint8_t tag[CRYPTO_GCM_TAG_SIZE])
{
    const struct gcm_aes256_key *g = (const struct gcm_aes256_key *)k->opaque;
    struct gcm_ctx c;

    gcm_start(&c, g, iv, aad, aadlen);
    gcm_encrypt(&c, &g->gk, &g->aes, (nettle_cipher_func *)aes256_encrypt, len, dst, src);
    gcm_digest(&c, &g->gk, &g->aes, (nettle_cipher_func *)aes256_encrypt, CRYPTO_GCM_TAG_SIZE, tag);
    crypto_wipe(&c, sizeof(c));
}

bool crypto_gcm_aes256_decrypt(const crypto_gcm_key *k, const uint8_t iv[CRYPTO_GCM_IV_SIZE],
                               const void *aad, size_t aadlen, size_t len, uint8_t *dst,
                               const uint8_t *src, const uint8_t tag[CRYPTO_GCM_TAG_SIZE])
{
    const struct gcm_aes256_key *g = (const struct gcm_aes256_key *)k->opaque;
    struct gcm_ctx c;
    uint8_t want[CRYPTO_GCM_TAG_SIZE];
    bool ok;

    gcm_start(&c, g, iv, aad, aadlen);
    gcm_decrypt(&c, &g->gk, &g->aes, (nettle_cipher_func *)aes256_encrypt, len, dst, src);
    gcm_digest(&c, &g->gk, &g->aes, (nettle_cipher_func *)aes256_encrypt, CRYPTO_GCM_TAG_SIZE,
               want);
    ok = memeql_sec(want, tag, CRYPTO_GCM_TAG_SIZE) != 0;
    if (!ok)
        crypto_wipe(dst, len);
    crypto_wipe(&c, sizeof(c));
    crypto_wipe(want, sizeof(want));
    return ok;
}

/* ---- AES ----------------------------------------------------------------- */

bool crypto_aes_set_key(crypto_aes_key *k, const uint8_t *key, size_t len)
{
    struct aes_both *a = (struct aes_both *)k->opaque;

    if (len == 16) {
        aes128_set_encrypt_key(&a->u.a128.enc, key);
        aes128_invert_key(&a->u.a128.dec, &a->u.a128.enc);
    } else if (len == 32) {
        aes256_set_encrypt_key(&a->u.a256.enc, key);
        aes256_invert_key(&a->u.a256.dec, &a->u.a256.enc);
    } else {
        return false;
    }
    a->len = (uint32_t)len;
    return true;
}

static void aes_enc(const struct aes_both *a, size_t len, uint8_t *dst, const uint8_t *src)
{
    if (a->len == 16)
        aes128_encrypt(&a->u.a128.enc, len, dst, src);
    else
        aes256_encrypt(&a->u.a256.enc, len, dst, src);
}

static void aes_dec(const struct aes_both *a, size_t len, uint8_t *dst, const uint8_t *src)
{
    if (a->len == 16)
        aes128_decrypt(&a->u.a128.dec, len, dst, src);
    else
        aes256_decrypt(&a->u.a256.dec, len, dst, src);
}

void crypto_aes_encrypt_block(const crypto_aes_key *k, uint8_t out[16], const uint8_t in[16])
{
    aes_enc((const struct aes_both *)k->opaque, 16, out, in);
}

void crypto_aes_decrypt_block(const crypto_aes_key *k, uint8_t out[16], const uint8_t in[16])
{
    aes_dec((const struct aes_both *)k->opaque, 16, out, in);
}

void crypto_aes_cbc_encrypt(const crypto_aes_key *k, uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src)
{
    const struct aes_both *a = (const struct aes_both *)k->opaque;

    if (len == 0)
        return;
    if (a->len == 16)
        cbc_aes128_encrypt(&a->u.a128.enc, iv, len, dst, src);
    else
        cbc_aes256_encrypt(&a->u.a256.enc, iv, len, dst, src);
}

void crypto_aes_cbc_decrypt(const crypto_aes_key *k, uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src)
{
    const struct aes_both *a = (const struct aes_both *)k->opaque;

    if (len == 0)
        return;
    if (a->len == 16)
        cbc_decrypt(&a->u.a128.dec, (nettle_cipher_func *)aes128_decrypt, 16, iv, len, dst, src);
    else
        cbc_decrypt(&a->u.a256.dec, (nettle_cipher_func *)aes256_decrypt, 16, iv, len, dst, src);
}

void crypto_aes_cts_encrypt(const crypto_aes_key *k, const uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src)
{
    uint8_t v[16], last[32];
    size_t head, tail;

    memcpy(v, iv, 16);
    if (len <= 16) {
        /* One block: plain CBC of the (padded) block. */
        memset(last, 0, 16);
        memcpy(last, src, len);
        crypto_aes_cbc_encrypt(k, v, 16, last, last);
        memcpy(dst, last, len);
        crypto_wipe(last, sizeof(last));
        return;
    }
    tail = len % 16 == 0 ? 32 : 16 + len % 16;
    head = len - tail;
    crypto_aes_cbc_encrypt(k, v, head, dst, src);
    memset(last, 0, sizeof(last));
    memcpy(last, src + head, tail);
    crypto_aes_cbc_encrypt(k, v, 32, last, last);
    /* Swap the last two blocks; the (former) second-to-last is cut short. */
    memcpy(dst + head, last + 16, 16);
    memcpy(dst + head + 16, last, tail - 16);
    crypto_wipe(last, sizeof(last));
}

void crypto_aes_cts_decrypt(const crypto_aes_key *k, const uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src)
{
    uint8_t v[16], cn[16], x[16], p[32];
    size_t head, tail, s;

    memcpy(v, iv, 16);
    if (len <= 16) {
        memcpy(p, src, len);
        crypto_aes_cbc_decrypt(k, v, 16, p, p);
        memcpy(dst, p, len);
        crypto_wipe(p, sizeof(p));
        return;
    }
    tail = len % 16 == 0 ? 32 : 16 + len % 16;
    head = len - tail;
    s = tail - 16;
    if (head > 0)
        memcpy(v, src + head - 16, 16);
    else
        memcpy(v, iv, 16);
    /* src+head: C_last (16 bytes), then the first s bytes of C_prev. */
    crypto_aes_decrypt_block(k, x, src + head);
    memcpy(cn, src + head + 16, s);
    memcpy(cn + s, x + s, 16 - s);
    for (size_t i = 0; i < s; i++)
        p[16 + i] = x[i] ^ cn[i];
    crypto_aes_decrypt_block(k, p, cn);
    memxor(p, v, 16);
    if (head > 0) {
        uint8_t v0[16];

        memcpy(v0, iv, 16);
        crypto_aes_cbc_decrypt(k, v0, head, dst, src);
    }
    memcpy(dst + head, p, tail);
    crypto_wipe(p, sizeof(p));
    crypto_wipe(x, sizeof(x));
}

/* ---- HMAC (SHA-1, SHA-256, SHA-384) -------------------------------------- */

size_t crypto_hmac_size(enum crypto_hmac_alg alg)
{
    switch (alg) {
    case CRYPTO_HMAC_SHA1:
        return SHA1_DIGEST_SIZE;
    case CRYPTO_HMAC_SHA256:
        return SHA256_DIGEST_SIZE;
    case CRYPTO_HMAC_SHA384:
        return SHA384_DIGEST_SIZE;
    }
    return 0;
}

static size_t hmac_ctx_size(uint32_t alg)
{
    switch (alg) {
    case CRYPTO_HMAC_SHA1:
        return sizeof(struct hmac_sha1_ctx);
    case CRYPTO_HMAC_SHA256:
        return sizeof(struct hmac_sha256_ctx);
    default:
        return sizeof(struct hmac_sha384_ctx);
    }
}

void crypto_hmac_set_key(crypto_hmac_key *k, enum crypto_hmac_alg alg, const void *key, size_t len)
{
    k->alg = alg;
    switch (alg) {
    case CRYPTO_HMAC_SHA1:
        hmac_sha1_set_key((struct hmac_sha1_ctx *)k->opaque, len, key);
        break;
    case CRYPTO_HMAC_SHA256:
        hmac_sha256_set_key((struct hmac_sha256_ctx *)k->opaque, len, key);
        break;
    default:
        k->alg = CRYPTO_HMAC_SHA384;
        hmac_sha384_set_key((struct hmac_sha512_ctx *)k->opaque, len, key);
        break;
    }
}

void crypto_hmac_begin(crypto_hmac_ctx *c, const crypto_hmac_key *k)
{
    c->alg = k->alg;
    memcpy(c->opaque, k->opaque, hmac_ctx_size(k->alg));
}

void crypto_hmac_update(crypto_hmac_ctx *c, const void *data, size_t len)
{
    switch (c->alg) {
    case CRYPTO_HMAC_SHA1:
        hmac_sha1_update((struct hmac_sha1_ctx *)c->opaque, len, data);
        break;
    case CRYPTO_HMAC_SHA256:
        hmac_sha256_update((struct hmac_sha256_ctx *)c->opaque, len, data);
        break;
    default:
        hmac_sha384_update((struct hmac_sha512_ctx *)c->opaque, len, data);
        break;
    }
}

void crypto_hmac_final(crypto_hmac_ctx *c, uint8_t *out, size_t outlen)
{
    switch (c->alg) {
    case CRYPTO_HMAC_SHA1:
        hmac_sha1_digest((struct hmac_sha1_ctx *)c->opaque, outlen, out);
        break;
    case CRYPTO_HMAC_SHA256:
        hmac_sha256_digest((struct hmac_sha256_ctx *)c->opaque, outlen, out);
        break;
    default:
        hmac_sha384_digest((struct hmac_sha512_ctx *)c->opaque, outlen, out);
        break;
    }
    crypto_wipe(c->opaque, hmac_ctx_size(c->alg));
}

void crypto_pbkdf2(enum crypto_hmac_alg alg, const void *password, size_t pwlen,
                   const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *out,
                   size_t outlen)
{
    switch (alg) {
    case CRYPTO_HMAC_SHA1:
        pbkdf2_hmac_sha1(pwlen, password, iterations, saltlen, salt, outlen, out);
        break;
    case CRYPTO_HMAC_SHA256:
        pbkdf2_hmac_sha256(pwlen, password, iterations, saltlen, salt, outlen, out);
        break;
    default:
        pbkdf2_hmac_sha384(pwlen, password, iterations, saltlen, salt, outlen, out);
        break;
    }
}

/* ---- misc ---------------------------------------------------------------- */

bool crypto_memeq(const void *a, const void *b, size_t len)
{
    return memeql_sec(a, b, len) != 0;
}

bool crypto_random(void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static uint32_t crc32_table[256];
static pthread_once_t crc32_once = PTHREAD_ONCE_INIT;

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int j = 0; j < 8; j++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc32_table[i] = c;
    }
}

uint32_t crypto_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    pthread_once(&crc32_once, crc32_init);
    crc = ~crc;
    while (len-- > 0)
        crc = crc32_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
