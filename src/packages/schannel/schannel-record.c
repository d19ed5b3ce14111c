/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-record.c - application records protected in place.
 *
 * Once GnuTLS has finished a handshake, application-data records of the
 * AEAD suites (AES-GCM, ChaCha20-Poly1305; TLS 1.2 and 1.3) are sealed and
 * opened here, in the caller's buffers, with GnuTLS's own AEAD on the
 * record keys it exports (gnutls_record_get_state).  The sequence numbers
 * live here while the fast path runs and are handed back to GnuTLS
 * (gnutls_record_set_state) before it sees any record itself: alerts,
 * tickets, key updates, renegotiation.  No allocation per record; an AEAD
 * handle is made once per key.
 */
#include <string.h>

#include "packages/schannel/schannel-pkg.h"

#define SCHAN_TAG 16

static inline void schan_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline uint64_t schan_get_be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* TLS 1.3 and ChaCha20 nonce: the static IV XOR the sequence number. */
static inline void schan_xor_nonce(const struct schan_dir *d, uint8_t nonce[12], uint64_t seq)
{
    memcpy(nonce, d->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
}

/* TLS 1.2 additional data: seq, type, version, plaintext length. */
static inline void schan_aad12(uint8_t aad[13], uint64_t seq, uint8_t type, size_t len)
{
    schan_be64(aad, seq);
    aad[8] = type;
    aad[9] = 3;
    aad[10] = 3;
    aad[11] = (uint8_t)(len >> 8);
    aad[12] = (uint8_t)len;
}

void schan_record_clear(struct schan_ctx *ctx)
{
    struct schan_dir *dirs[2] = {&ctx->tx, &ctx->rx};

    for (int i = 0; i < 2; i++) {
        if (dirs[i]->aead != NULL)
            gnutls_aead_cipher_deinit(dirs[i]->aead);
        explicit_bzero(dirs[i], sizeof(*dirs[i]));
    }
}

void schan_record_sync(struct schan_ctx *ctx, bool read)
{
    struct schan_dir *d = read ? &ctx->rx : &ctx->tx;
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(ctx->session);
    gnutls_protocol_t ver = gnutls_protocol_get_version(ctx->session);
    gnutls_datum_t mac, iv, key;
    uint8_t seq[8];
    bool fast;

    if (gnutls_record_get_state(ctx->session, read, &mac, &iv, &key, seq) < 0) {
        if (d->aead != NULL)
            gnutls_aead_cipher_deinit(d->aead);
        d->aead = NULL;
        return;
    }
    d->seq = schan_get_be64(seq);
    d->tls13 = ver == GNUTLS_TLS1_3;
    d->explicit_nonce = !d->tls13 && cipher != GNUTLS_CIPHER_CHACHA20_POLY1305;
    fast = (ver == GNUTLS_TLS1_3 || ver == GNUTLS_TLS1_2) &&
           (cipher == GNUTLS_CIPHER_AES_128_GCM || cipher == GNUTLS_CIPHER_AES_256_GCM ||
            cipher == GNUTLS_CIPHER_CHACHA20_POLY1305) &&
           key.size <= sizeof(d->key) && iv.size == (d->explicit_nonce ? 4u : 12u);
    if (fast && d->aead != NULL && d->cipher == cipher && d->key_len == key.size &&
        memcmp(d->key, key.data, key.size) == 0) {
        memcpy(d->iv, iv.data, iv.size);
        return; /* same keys: only the sequence number moved */
    }
    if (d->aead != NULL)
        gnutls_aead_cipher_deinit(d->aead);
    d->aead = NULL;
    explicit_bzero(d->key, sizeof(d->key));
    fast = fast && ctx->cred->opts.record_layer == SCHAN_RECORDS_INPLACE;
    if (!fast || gnutls_aead_cipher_init(&d->aead, cipher, &key) < 0) {
        d->aead = NULL;
        return;
    }
    d->cipher = cipher;
    d->key_len = key.size;
    d->iv_len = iv.size;
    memcpy(d->key, key.data, key.size);
    memcpy(d->iv, iv.data, iv.size);
}

void schan_record_push_seq(struct schan_ctx *ctx, bool read)
{
    struct schan_dir *d = read ? &ctx->rx : &ctx->tx;
    uint8_t seq[8];

    if (d->aead == NULL)
        return;
    schan_be64(seq, d->seq);
    gnutls_record_set_state(ctx->session, read, seq);
}

SECURITY_STATUS schan_record_seal(struct schan_dir *d, uint8_t *hdr, uint32_t *hdr_len,
                                  uint8_t *data, uint32_t len, uint8_t *trl, uint32_t *trl_len)
{
    uint8_t nonce[12], aad[13];
    giovec_t a, iov[2] = {{data, len}, {trl, 1}};
    size_t tag = SCHAN_TAG, body;

    if (d->tls13) {
        body = (size_t)len + 1 + SCHAN_TAG;
        hdr[0] = SCHAN_CT_APPDATA;
        hdr[1] = 3;
        hdr[2] = 3;
        hdr[3] = (uint8_t)(body >> 8);
        hdr[4] = (uint8_t)body;
        trl[0] = SCHAN_CT_APPDATA;
        schan_xor_nonce(d, nonce, d->seq);
        a = (giovec_t){hdr, SCHAN_HEADER};
        if (gnutls_aead_cipher_encryptv2(d->aead, nonce, 12, &a, 1, iov, 2, trl + 1, &tag) < 0)
            return SEC_E_INTERNAL_ERROR;
        *hdr_len = SCHAN_HEADER;
        *trl_len = 1 + SCHAN_TAG;
        d->seq++;
        return SEC_E_OK;
    }
    body = (size_t)len + SCHAN_TAG + (d->explicit_nonce ? 8 : 0);
    hdr[0] = SCHAN_CT_APPDATA;
    hdr[1] = 3;
    hdr[2] = 3;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    if (d->explicit_nonce) {
        memcpy(nonce, d->iv, 4);
        schan_be64(nonce + 4, d->seq);
        memcpy(hdr + SCHAN_HEADER, nonce + 4, 8);
    } else {
        schan_xor_nonce(d, nonce, d->seq);
    }
    schan_aad12(aad, d->seq, SCHAN_CT_APPDATA, len);
    a = (giovec_t){aad, sizeof(aad)};
    if (gnutls_aead_cipher_encryptv2(d->aead, nonce, 12, &a, 1, iov, 1, trl, &tag) < 0)
        return SEC_E_INTERNAL_ERROR;
    *hdr_len = SCHAN_HEADER + (d->explicit_nonce ? 8 : 0);
    *trl_len = SCHAN_TAG;
    d->seq++;
    return SEC_E_OK;
}

SECURITY_STATUS schan_record_open(struct schan_dir *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                                  size_t *off, size_t *plen)
{
    uint8_t nonce[12], aad[13];
    size_t body = rec_len - SCHAN_HEADER, ct_off = SCHAN_HEADER, ct_len;
    giovec_t a, iov;

    if (d->tls13) {
        if (body < 1 + SCHAN_TAG || body > SCHAN_MAX_PLAIN + 256)
            return body < 1 + SCHAN_TAG ? SEC_E_DECRYPT_FAILURE : SEC_E_ILLEGAL_MESSAGE;
        ct_len = body - SCHAN_TAG;
        schan_xor_nonce(d, nonce, d->seq);
        a = (giovec_t){rec, SCHAN_HEADER};
    } else {
        size_t extra = d->explicit_nonce ? 8 : 0;

        if (body < extra + SCHAN_TAG || body - extra - SCHAN_TAG > SCHAN_MAX_PLAIN)
            return body < extra + SCHAN_TAG ? SEC_E_DECRYPT_FAILURE : SEC_E_ILLEGAL_MESSAGE;
        ct_off += extra;
        ct_len = body - extra - SCHAN_TAG;
        if (d->explicit_nonce) {
            memcpy(nonce, d->iv, 4);
            memcpy(nonce + 4, rec + SCHAN_HEADER, 8);
        } else {
            schan_xor_nonce(d, nonce, d->seq);
        }
        schan_aad12(aad, d->seq, rec[0], ct_len);
        a = (giovec_t){aad, sizeof(aad)};
    }
    iov = (giovec_t){rec + ct_off, ct_len};
    if (gnutls_aead_cipher_decryptv2(d->aead, nonce, 12, &a, 1, &iov, 1, rec + ct_off + ct_len,
                                     SCHAN_TAG) < 0)
        return SEC_E_DECRYPT_FAILURE;
    d->seq++;
    *off = ct_off;
    if (!d->tls13) {
        *type = rec[0];
        *plen = ct_len;
        return SEC_E_OK;
    }
    while (ct_len > 0 && rec[ct_off + ct_len - 1] == 0)
        ct_len--;
    if (ct_len == 0)
        return SEC_E_ILLEGAL_MESSAGE; /* no content type: unexpected_message */
    *type = rec[ct_off + ct_len - 1];
    *plen = ct_len - 1;
    return SEC_E_OK;
}

void schan_record_reseal(struct schan_dir *d, uint8_t *rec, size_t rec_len)
{
    uint8_t nonce[12];
    size_t ct_len = rec_len - SCHAN_HEADER - SCHAN_TAG, tag = SCHAN_TAG;
    giovec_t a = {rec, SCHAN_HEADER}, iov = {rec + SCHAN_HEADER, ct_len};

    d->seq--;
    schan_xor_nonce(d, nonce, d->seq);
    gnutls_aead_cipher_encryptv2(d->aead, nonce, 12, &a, 1, &iov, 1, rec + SCHAN_HEADER + ct_len,
                                 &tag);
}
