/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-key.c - the process key of SspiEncryptAuthIdentity: an
 * AES-256-GCM key drawn from getrandom() on first use, kept in this
 * process only, so a sealed password opens in this process and nowhere
 * else (SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/identity-core.h"
#include "crypto/crypto.h"

static const char seal_aad[] = "libsspi process identity v1";

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static crypto_gcm_key key;
static bool key_ok;

static void key_init(void)
{
    uint8_t raw[32];

    /* Best effort: keep the schedule out of swap. */
    (void)mlock(&key, sizeof(key));
    if (crypto_random(raw, sizeof(raw))) {
        crypto_gcm_aes256_set_key(&key, raw);
        key_ok = true;
    }
    crypto_wipe(raw, sizeof(raw));
}

SECURITY_STATUS sspi_seal(uint8_t *buf, size_t len)
{
    uint8_t iv[CRYPTO_GCM_IV_SIZE], tag[CRYPTO_GCM_TAG_SIZE];

    pthread_once(&key_once, key_init);
    if (!key_ok || !crypto_random(iv, sizeof(iv)))
        return SEC_E_INTERNAL_ERROR;
    memmove(buf + sizeof(iv), buf, len);
    crypto_gcm_aes256_encrypt(&key, iv, seal_aad, sizeof(seal_aad) - 1, len, buf + sizeof(iv),
                              buf + sizeof(iv), tag);
    memcpy(buf, iv, sizeof(iv));
    memcpy(buf + sizeof(iv) + len, tag, sizeof(tag));
    return SEC_E_OK;
}

SECURITY_STATUS sspi_unseal(uint8_t *buf, size_t len, size_t *plain_len)
{
    uint8_t iv[CRYPTO_GCM_IV_SIZE], tag[CRYPTO_GCM_TAG_SIZE];
    size_t n;

    pthread_once(&key_once, key_init);
    if (!key_ok || len < SSPI_SEAL_OVERHEAD)
        return SEC_E_DECRYPT_FAILURE;
    n = len - SSPI_SEAL_OVERHEAD;
    memcpy(iv, buf, sizeof(iv));
    memcpy(tag, buf + sizeof(iv) + n, sizeof(tag));
    /* In place (nettle allows dst == src, not other overlaps), then moved down. */
    if (!crypto_gcm_aes256_decrypt(&key, iv, seal_aad, sizeof(seal_aad) - 1, n, buf + sizeof(iv),
                                   buf + sizeof(iv), tag)) {
        crypto_wipe(buf, len);
        return SEC_E_DECRYPT_FAILURE;
    }
    memmove(buf, buf + sizeof(iv), n);
    crypto_wipe(buf + n, len - n);
    *plain_len = n;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_identity_unseal_field(struct sspi_identity_str *password)
{
    size_t bytes = password->len * sizeof(char16_t), plain = 0;
    SECURITY_STATUS st;

    st = sspi_unseal((uint8_t *)password->s, bytes, &plain);
    if (st != SEC_E_OK)
        return st;
    if (plain % sizeof(char16_t) != 0) {
        crypto_wipe(password->s, bytes);
        return SEC_E_DECRYPT_FAILURE;
    }
    password->len = plain / sizeof(char16_t);
    password->s[password->len] = 0;
    return SEC_E_OK;
}
