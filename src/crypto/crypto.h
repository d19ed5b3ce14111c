/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

#define CRYPTO_MD4_DIGEST_SIZE    16
#define CRYPTO_MD5_DIGEST_SIZE    16
#define CRYPTO_SHA256_DIGEST_SIZE 32
#define CRYPTO_GCM_TAG_SIZE       16
#define CRYPTO_GCM_IV_SIZE        12

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
void crypto_hmac_md5(const void *key, size_t keylen, const void *a, size_t alen, const void *b,
                     size_t blen, const void *c, size_t clen, uint8_t out[CRYPTO_MD5_DIGEST_SIZE]);

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
void crypto_hmac_sha256_final(crypto_hmac_sha256_ctx *c, uint8_t out[CRYPTO_SHA256_DIGEST_SIZE]);
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

/* ---- AES block cipher (128 or 256-bit keys) ----------------------------- */
#define CRYPTO_AES_BLOCK_SIZE 16
/* Encryption and decryption schedules; read-only after set-up. */
typedef struct crypto_aes_key {
    alignas(16) unsigned char opaque[496];
} crypto_aes_key;
/* Schedule a 16- or 32-byte key; false for any other length. */
bool crypto_aes_set_key(crypto_aes_key *k, const uint8_t *key, size_t len);
void crypto_aes_encrypt_block(const crypto_aes_key *k, uint8_t out[16], const uint8_t in[16]);
void crypto_aes_decrypt_block(const crypto_aes_key *k, uint8_t out[16], const uint8_t in[16]);
/* CBC over `len` bytes (a multiple of 16); dst may equal src.  `iv` is
 * updated to the last ciphertext block, so calls chain. */
void crypto_aes_cbc_encrypt(const crypto_aes_key *k, uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src);
void crypto_aes_cbc_decrypt(const crypto_aes_key *k, uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src);
/* CBC with ciphertext stealing as Kerberos uses it (RFC 3962: the last two
 * blocks are always swapped, also when `len` is a multiple of 16); `len`
 * >= 16, dst may equal src, `iv` is not updated. */
void crypto_aes_cts_encrypt(const crypto_aes_key *k, const uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src);
void crypto_aes_cts_decrypt(const crypto_aes_key *k, const uint8_t iv[16], size_t len, uint8_t *dst,
                            const uint8_t *src);

/* ---- HMAC with SHA-1, SHA-256 or SHA-384 --------------------------------- */
enum crypto_hmac_alg { CRYPTO_HMAC_SHA1 = 1, CRYPTO_HMAC_SHA256, CRYPTO_HMAC_SHA384 };
#define CRYPTO_HMAC_MAX_SIZE 48
typedef struct crypto_hmac_key {
    alignas(16) unsigned char opaque[672];
    uint32_t alg;
} crypto_hmac_key;
typedef struct crypto_hmac_ctx {
    alignas(16) unsigned char opaque[672];
    uint32_t alg;
} crypto_hmac_ctx;
/* Digest size of `alg` in bytes (20, 32, 48; 0 for an unknown alg). */
size_t crypto_hmac_size(enum crypto_hmac_alg alg);
void crypto_hmac_set_key(crypto_hmac_key *k, enum crypto_hmac_alg alg, const void *key, size_t len);
/* Start a MAC from a pre-keyed key (a copy; the key is not modified). */
void crypto_hmac_begin(crypto_hmac_ctx *c, const crypto_hmac_key *k);
void crypto_hmac_update(crypto_hmac_ctx *c, const void *data, size_t len);
/* Writes the first `outlen` (<= the digest size) bytes of the MAC and
 * wipes the context. */
void crypto_hmac_final(crypto_hmac_ctx *c, uint8_t *out, size_t outlen);

/* ---- Kerberos key derivation (RFC 3961, 3962, 8009) --------------------- */
/* Enctype numbers (RFC 3962, RFC 8009). */
#define CRYPTO_KRB5_AES128_CTS_HMAC_SHA1_96    17
#define CRYPTO_KRB5_AES256_CTS_HMAC_SHA1_96    18
#define CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128 19
#define CRYPTO_KRB5_AES256_CTS_HMAC_SHA384_192 20
/* Derivation constants' last byte: checksum, encryption, integrity key. */
#define CRYPTO_KRB5_KC 0x99
#define CRYPTO_KRB5_KE 0xAA
#define CRYPTO_KRB5_KI 0x55

/* RFC 3961 n-fold of `in` to `outlen` bytes. */
void crypto_krb5_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen);
/*
 * The key of `kind` (KC, KE or KI) for key usage `usage` derived from the
 * base key `key` of enctype `enctype`: RFC 3961 DK for the SHA-1 enctypes,
 * RFC 8009 KDF-HMAC-SHA2 for the SHA-2 ones.  Writes the derived key's
 * length (16, 24 or 32) to *outlen.  False for an unknown enctype or a base
 * key of the wrong length.
 */
bool crypto_krb5_derive(int32_t enctype, const uint8_t *key, size_t keylen, uint32_t usage,
                        uint8_t kind, uint8_t out[32], size_t *outlen);
/* RFC 3962 / RFC 8009 string-to-key (PBKDF2 with HMAC-SHA1 / SHA-256 /
 * SHA-384, then DK / KDF), for the known-answer tests and password keys.
 * `saltlen` bytes of salt; `iterations` > 0.  False as above. */
bool crypto_krb5_string_to_key(int32_t enctype, const char *password, size_t pwlen,
                               const uint8_t *salt, size_t saltlen, uint32_t iterations,
                               uint8_t out[32], size_t *outlen);
/* PBKDF2 with the given HMAC (RFC 8018). */
void crypto_pbkdf2(enum crypto_hmac_alg alg, const void *password, size_t pwlen,
                   const uint8_t *salt, size_t saltlen, uint32_t iterations, uint8_t *out,
                   size_t outlen);

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
