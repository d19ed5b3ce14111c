/*
 * crypto.h - the cryptographic primitives libsspi and its packages use.
 *
 * crypto.c is the only file that includes nettle.  Contexts are
 * caller-allocated opaque blocks (sizes checked against nettle at compile
 * time), so packages can keep pre-keyed state inside their own context
 * structures and never allocate on the per-message path.
 *
 * Keyed contexts ("*_key") are read-only after set-up and may be shared by
 * threads; per-operation contexts ("*_ctx") are started from a key with
 * *_begin() and live on the caller's stack.
 */
#ifndef LIBSSPI_CRYPTO_H
#define LIBSSPI_CRYPTO_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_MD4_DIGEST_SIZE 16
#define CRYPTO_MD5_DIGEST_SIZE 16
#define CRYPTO_SHA256_DIGEST_SIZE 32
#define CRYPTO_GCM_TAG_SIZE 16
#define CRYPTO_GCM_IV_SIZE 12

/* ---- one-shot hashes ---------------------------------------------------- */
void crypto_md4(const void *data, size_t len, uint8_t out[CRYPTO_MD4_DIGEST_SIZE]);
void crypto_md5(const void *data, size_t len, uint8_t out[CRYPTO_MD5_DIGEST_SIZE]);
void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_DIGEST_SIZE]);

/* ---- incremental MD5 ----------------------------------------------------- */
typedef struct crypto_md5_ctx {
    alignas(16) unsigned char opaque[128];
} crypto_md5_ctx;
void crypto_md5_init(crypto_md5_ctx *c);
void crypto_md5_update(crypto_md5_ctx *c, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void crypto_md5_final(crypto_md5_ctx *c, uint8_t out[CRYPTO_MD5_DIGEST_SIZE]);

/* ---- HMAC-MD5 ------------------------------------------------------------ */
typedef struct crypto_hmac_md5_key {
    alignas(16) unsigned char opaque[384];
} crypto_hmac_md5_key;
typedef struct crypto_hmac_md5_ctx {
    alignas(16) unsigned char opaque[384];
} crypto_hmac_md5_ctx;
void crypto_hmac_md5_set_key(crypto_hmac_md5_key *k, const void *key, size_t len);
/* Start a MAC from a pre-keyed key (a copy; the key is not modified). */
void crypto_hmac_md5_begin(crypto_hmac_md5_ctx *c, const crypto_hmac_md5_key *k);
void crypto_hmac_md5_update(crypto_hmac_md5_ctx *c, const void *data, size_t len);
/* Writes the MAC and wipes the context. */
void crypto_hmac_md5_final(crypto_hmac_md5_ctx *c, uint8_t out[CRYPTO_MD5_DIGEST_SIZE]);
/* One-shot HMAC-MD5 over up to three concatenated parts (NULL/0 to skip). */
void crypto_hmac_md5(const void *key, size_t keylen, const void *a, size_t alen,
                     const void *b, size_t blen, const void *c, size_t clen,
                     uint8_t out[CRYPTO_MD5_DIGEST_SIZE]);

/* ---- HMAC-SHA256 --------------------------------------------------------- */
typedef struct crypto_hmac_sha256_key {
    alignas(16) unsigned char opaque[512];
} crypto_hmac_sha256_key;
typedef struct crypto_hmac_sha256_ctx {
    alignas(16) unsigned char opaque[512];
} crypto_hmac_sha256_ctx;
void crypto_hmac_sha256_set_key(crypto_hmac_sha256_key *k, const void *key, size_t len);
void crypto_hmac_sha256_begin(crypto_hmac_sha256_ctx *c, const crypto_hmac_sha256_key *k);
void crypto_hmac_sha256_update(crypto_hmac_sha256_ctx *c, const void *data, size_t len);
void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c,
                              uint8_t out[CRYPTO_SHA256_DIGEST_SIZE]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        uint8_t out[CRYPTO_SHA256_DIGEST_SIZE]);

/* ---- RC4 (stateful stream; callers serialise use of one context) --------- */
typedef struct crypto_rc4 {
    alignas(8) unsigned char opaque[264];
} crypto_rc4;
void crypto_rc4_set_key(crypto_rc4 *r, const void *key, size_t len);
/* dst may equal src. */
void crypto_rc4_crypt(crypto_rc4 *r, size_t len, uint8_t *dst, const uint8_t *src);

/* ---- DES (NTLMv1/LM only) ------------------------------------------------ */
/* DES-ECB encrypt one block with a 56-bit key given as 7 bytes (parity bits
 * inserted as MS-NLMP's DESL requires). */
void crypto_des7_encrypt(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

/* ---- AES-256-GCM --------------------------------------------------------- */
typedef struct crypto_gcm_key {
    alignas(16) unsigned char opaque[4608];
} crypto_gcm_key;
/* Key schedule and GHASH table for a 32-byte key; read-only afterwards. */
void crypto_gcm_aes256_set_key(crypto_gcm_key *k, const uint8_t key[32]);
/* Encrypt `len` bytes in place (dst may equal src) with a 12-byte IV and
 * `aad`, writing a 16-byte tag.  Thread-safe on a shared key. */
void crypto_gcm_aes256_encrypt(const crypto_gcm_key *k, const uint8_t iv[CRYPTO_GCM_IV_SIZE],
                               const void *aad, size_t aadlen, size_t len, uint8_t *dst,
                               const uint8_t *src, uint8_t tag[CRYPTO_GCM_TAG_SIZE]);
/* Decrypt and check the tag in constant time.  Returns false, and wipes
 * dst, if the tag does not match. */
bool crypto_gcm_aes256_decrypt(const crypto_gcm_key *k, const uint8_t iv[CRYPTO_GCM_IV_SIZE],
                               const void *aad, size_t aadlen, size_t len, uint8_t *dst,
                               const uint8_t *src, const uint8_t tag[CRYPTO_GCM_TAG_SIZE]);

/* ---- misc ---------------------------------------------------------------- */
/* Constant-time equality of two byte strings of the same length. */
bool crypto_memeq(const void *a, const void *b, size_t len);
/* Fill buf with bytes from the kernel CSPRNG (getrandom).  Returns false
 * only if the kernel refuses. */
bool crypto_random(void *buf, size_t len);
/* CRC32 (IEEE, as MS-NLMP's NTLMv1 signatures use). */
uint32_t crypto_crc32(uint32_t crc, const void *data, size_t len);
/* Wipe secrets (explicit_bzero). */
void crypto_wipe(void *p, size_t len);

#endif
