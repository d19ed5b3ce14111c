/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-message.c - Sample per-message functions (user-mode table):
 * SpMakeSignature, SpVerifySignature, SpSealMessage (EncryptMessage) and
 * SpUnsealMessage (DecryptMessage).
 *
 * The kit finds the context and the buffers (pkg-calls.h) and calls these
 * through sample_message_ops.  They run on every message, possibly on many
 * threads at once for one context: they allocate nothing, take no lock,
 * and use only the keys that SpInitUserModeContext set up.  The only shared mutable state is the
 * two atomic sequence counters of the context.
 *
 * The SECBUFFER_TOKEN of each message carries a 28-byte trailer (see
 * sample.h): version, kind, sequence number and a 16-byte MAC or GCM tag.
 *
 * Sequence numbers.  Each direction has its own counter, shared by
 * signatures and sealed messages.  A sender takes the next number
 * atomically; a receiver accepts only the number it expects and moves its
 * counter on only when the message is authentic and in order.  A caller
 * that passes a nonzero MessageSeqNo to MakeSignature/VerifySignature
 * manages the numbers itself: that number is signed, or required, and the
 * package counters are left alone.  Seal/Unseal always use the package
 * counters, because a repeated caller number would repeat an AES-GCM
 * nonce.
 *
 * Statuses: a message that is not authentic is SEC_E_MESSAGE_ALTERED; an
 * authentic one with the wrong number (replayed, reordered, dropped before
 * it) is SEC_E_OUT_OF_SEQUENCE; a missing SECBUFFER_TOKEN, a malformed
 * trailer, a NULL message or a buffer with no memory is SEC_E_INVALID_TOKEN;
 * a TOKEN buffer too small for the trailer is SEC_E_BUFFER_TOO_SMALL when
 * producing and SEC_E_INVALID_TOKEN when checking.
 */
#include <string.h>

#include "packages/sample/sample.h"

/* First four bytes of the AES-GCM nonce; the other eight are the seqno. */
#define SAMPLE_DIR_CLIENT_TO_SERVER 1u
#define SAMPLE_DIR_SERVER_TO_CLIENT 2u

/*
 * Common checks once the kit has found the context and the buffers
 * (pkg-calls.h): a context that has not expired, and a TOKEN buffer.
 */
static NTSTATUS sample_message_begin(const struct pkg_message_call *call,
                                     struct sample_user_context **um)
{
    struct sample_context *ctx = call->context;

    if (pkg_filetime_expired(ctx->um.expiry))
        return SEC_E_CONTEXT_EXPIRED;
    if (call->m.token == NULL)
        return SEC_E_INVALID_TOKEN;
    *um = &ctx->um;
    return STATUS_SUCCESS;
}

static void sample_trailer_header(uint8_t *p, uint8_t kind, uint64_t seq)
{
    p[0] = SAMPLE_PROTOCOL_VERSION;
    p[1] = kind;
    pkg_put_le16(p + 2, 0);
    pkg_put_le64(p + 4, seq);
}

/* Copy the caller's trailer and check its header; SEC_E_INVALID_TOKEN if it
 * is short or malformed, or of a kind not in `kind_a`/`kind_b`. */
static NTSTATUS sample_read_trailer(const struct pkg_message *m, uint8_t kind_a, uint8_t kind_b,
                                    uint8_t trailer[SAMPLE_TRAILER_SIZE])
{
    PSecBuffer token;
    NTSTATUS status = pkg_message_token(m, SAMPLE_TRAILER_SIZE, SEC_E_INVALID_TOKEN, &token);

    if (status != SEC_E_OK)
        return status;
    memcpy(trailer, token->pvBuffer, SAMPLE_TRAILER_SIZE);
    if (trailer[0] != SAMPLE_PROTOCOL_VERSION || pkg_get_le16(trailer + 2) != 0 ||
        (trailer[1] != kind_a && trailer[1] != kind_b))
        return SEC_E_INVALID_TOKEN;
    return STATUS_SUCCESS;
}

/* Write a finished trailer into the message's TOKEN buffer. */
static void sample_write_trailer(const struct pkg_message *m, const uint8_t *trailer)
{
    memcpy(m->token->pvBuffer, trailer, SAMPLE_TRAILER_SIZE);
    m->token->cbBuffer = SAMPLE_TRAILER_SIZE;
}

/*
 * HMAC-SHA256 over the trailer header and every SECBUFFER_DATA buffer
 * (read-only ones included), each preceded by its u32 length so bytes
 * cannot move between buffers; truncated to SAMPLE_MAC_SIZE.
 */
static void sample_mac(const crypto_hmac_sha256_key *key, const uint8_t *header,
                       const struct pkg_message *m, uint8_t mac[SAMPLE_MAC_SIZE])
{
    crypto_hmac_sha256_ctx c;
    uint8_t full[CRYPTO_SHA256_DIGEST_SIZE];
    uint8_t len[4];

    crypto_hmac_sha256_begin(&c, key);
    crypto_hmac_sha256_update(&c, header, SAMPLE_TRAILER_HEADER);
    for (uint32_t i = 0; i < m->ndata; i++) {
        pkg_put_le32(len, m->data[i]->cbBuffer);
        crypto_hmac_sha256_update(&c, len, sizeof len);
        crypto_hmac_sha256_update(&c, m->data[i]->pvBuffer, m->data[i]->cbBuffer);
    }
    crypto_hmac_sha256_final(&c, full);
    memcpy(mac, full, SAMPLE_MAC_SIZE);
    crypto_wipe(full, sizeof full);
}

/*
 * The AES-GCM associated data of a sealed message: HMAC-SHA256 over the
 * trailer header and the layout of the DATA buffers, with the contents of
 * the read-only ones (the encrypted one contributes only its position and
 * length; GCM itself authenticates its bytes).
 */
static void sample_seal_aad(const crypto_hmac_sha256_key *key, const uint8_t *header,
                            const struct pkg_message *m, uint8_t aad[CRYPTO_SHA256_DIGEST_SIZE])
{
    crypto_hmac_sha256_ctx c;
    uint8_t item[5];

    crypto_hmac_sha256_begin(&c, key);
    crypto_hmac_sha256_update(&c, header, SAMPLE_TRAILER_HEADER);
    for (uint32_t i = 0; i < m->ndata; i++) {
        const SecBuffer *b = m->data[i];
        item[0] = pkg_buffer_readonly(b) ? 1 : 0;
        pkg_put_le32(item + 1, b->cbBuffer);
        crypto_hmac_sha256_update(&c, item, sizeof item);
        if (pkg_buffer_readonly(b))
            crypto_hmac_sha256_update(&c, b->pvBuffer, b->cbBuffer);
    }
    crypto_hmac_sha256_final(&c, aad);
}

/* The one writable DATA buffer that sealing encrypts, or NULL if there is
 * none or more than one. */
static PSecBuffer sample_seal_buffer(const struct pkg_message *m)
{
    PSecBuffer found = NULL;

    for (uint32_t i = 0; i < m->ndata; i++) {
        if (pkg_buffer_readonly(m->data[i]))
            continue;
        if (found != NULL)
            return NULL;
        found = m->data[i];
    }
    return found;
}

static void sample_iv(uint8_t iv[CRYPTO_GCM_IV_SIZE], uint32_t direction, uint64_t seq)
{
    pkg_put_le32(iv, direction);
    pkg_put_le64(iv + 4, seq);
}

/* Accept `seq` as the next incoming number (or as the caller's). */
static NTSTATUS sample_accept_seq(struct sample_user_context *um, uint64_t seq, ULONG caller_seq)
{
    uint64_t expected;

    if (caller_seq != 0)
        return seq == caller_seq ? STATUS_SUCCESS : SEC_E_OUT_OF_SEQUENCE;
    expected = atomic_load(&um->seq_in);
    if (seq != expected || !atomic_compare_exchange_strong(&um->seq_in, &expected, seq + 1))
        return SEC_E_OUT_OF_SEQUENCE;
    return STATUS_SUCCESS;
}

/* Sign the DATA buffers into the TOKEN with trailer kind `kind`. */
static void sample_sign(struct sample_user_context *um, uint8_t kind, uint64_t seq,
                        const struct pkg_message *m)
{
    uint8_t trailer[SAMPLE_TRAILER_SIZE];

    sample_trailer_header(trailer, kind, seq);
    sample_mac(&um->mac_out, trailer, m, trailer + SAMPLE_TRAILER_HEADER);
    sample_write_trailer(m, trailer);
}

/* Check a signature trailer already read into `trailer`. */
static NTSTATUS sample_check_signature(struct sample_user_context *um, const uint8_t *trailer,
                                       const struct pkg_message *m, ULONG caller_seq)
{
    uint8_t mac[SAMPLE_MAC_SIZE];
    bool ok;

    sample_mac(&um->mac_in, trailer, m, mac);
    ok = crypto_memeq(mac, trailer + SAMPLE_TRAILER_HEADER, SAMPLE_MAC_SIZE);
    crypto_wipe(mac, sizeof mac);
    if (!ok)
        return SEC_E_MESSAGE_ALTERED;
    return sample_accept_seq(um, pkg_get_le64(trailer + 4), caller_seq);
}

/*
 * MakeSignature.  Signs every SECBUFFER_DATA buffer (read-only ones
 * included) into the SECBUFFER_TOKEN, which must hold SAMPLE_TRAILER_SIZE
 * bytes (cbMaxSignature); its cbBuffer is set to the trailer size.
 * QualityOfProtection must be 0 (SEC_E_QOP_NOT_SUPPORTED otherwise).
 * Lock-free and allocation-free.
 */
static NTSTATUS sample_make_signature(struct pkg_message_call *call)
{
    struct sample_user_context *um;
    PSecBuffer token;
    uint64_t seq;
    NTSTATUS status;

    status = sample_message_begin(call, &um);
    if (status != STATUS_SUCCESS)
        return status;
    if (call->qop != 0)
        return SEC_E_QOP_NOT_SUPPORTED;
    status = pkg_message_token(&call->m, SAMPLE_TRAILER_SIZE, SEC_E_BUFFER_TOO_SMALL, &token);
    if (status != SEC_E_OK)
        return status;
    seq = call->seqno != 0 ? call->seqno : atomic_fetch_add(&um->seq_out, 1);
    sample_sign(um, SAMPLE_TRAILER_SIGNED, seq, &call->m);
    return SEC_E_OK;
}

/*
 * VerifySignature.  Checks a MakeSignature trailer against the DATA
 * buffers: SEC_E_MESSAGE_ALTERED if they or the trailer changed,
 * SEC_E_OUT_OF_SEQUENCE if authentic but not the expected number.
 * *QualityOfProtection (optional) is set to 0.
 */
static NTSTATUS sample_verify_signature(struct pkg_message_call *call)
{
    struct sample_user_context *um;
    uint8_t trailer[SAMPLE_TRAILER_SIZE];
    NTSTATUS status;

    status = sample_message_begin(call, &um);
    if (status != STATUS_SUCCESS)
        return status;
    status = sample_read_trailer(&call->m, SAMPLE_TRAILER_SIGNED, SAMPLE_TRAILER_SIGNED, trailer);
    if (status != STATUS_SUCCESS)
        return status;
    status = sample_check_signature(um, trailer, &call->m, call->seqno);
    if (status == SEC_E_OK && call->qop_out != NULL)
        *call->qop_out = 0;
    return status;
}

/*
 * EncryptMessage (SpSealMessage).  Encrypts the one writable SECBUFFER_DATA
 * buffer in place with AES-256-GCM (nonce = direction | seqno) and
 * authenticates the SECBUFFER_DATA buffers flagged SECBUFFER_READONLY or
 * SECBUFFER_READONLY_WITH_CHECKSUM without changing them; the trailer (with
 * the tag) goes into the SECBUFFER_TOKEN.  With SECQOP_WRAP_NO_ENCRYPT
 * nothing is encrypted: all DATA buffers are signed as by MakeSignature.
 * Errors: SEC_E_QOP_NOT_SUPPORTED (other QOP), SEC_E_INVALID_TOKEN (no
 * TOKEN, or not exactly one writable DATA buffer), SEC_E_BUFFER_TOO_SMALL.
 * MessageSequenceNumber is ignored (see the top of this file).
 */
static NTSTATUS sample_seal_message(struct pkg_message_call *call)
{
    const struct pkg_message *m = &call->m;
    struct sample_user_context *um;
    uint8_t trailer[SAMPLE_TRAILER_SIZE];
    uint8_t aad[CRYPTO_SHA256_DIGEST_SIZE];
    uint8_t iv[CRYPTO_GCM_IV_SIZE];
    PSecBuffer token, data;
    uint64_t seq;
    NTSTATUS status;

    status = sample_message_begin(call, &um);
    if (status != STATUS_SUCCESS)
        return status;
    if (call->qop != 0 && call->qop != SECQOP_WRAP_NO_ENCRYPT)
        return SEC_E_QOP_NOT_SUPPORTED;
    status = pkg_message_token(m, SAMPLE_TRAILER_SIZE, SEC_E_BUFFER_TOO_SMALL, &token);
    if (status != SEC_E_OK)
        return status;

    if (call->qop == SECQOP_WRAP_NO_ENCRYPT) {
        seq = atomic_fetch_add(&um->seq_out, 1);
        sample_sign(um, SAMPLE_TRAILER_WRAPPED, seq, m);
        return SEC_E_OK;
    }

    data = sample_seal_buffer(m);
    if (data == NULL)
        return SEC_E_INVALID_TOKEN;
    seq = atomic_fetch_add(&um->seq_out, 1);
    sample_trailer_header(trailer, SAMPLE_TRAILER_SEALED, seq);
    sample_seal_aad(&um->mac_out, trailer, m, aad);
    sample_iv(iv, um->server ? SAMPLE_DIR_SERVER_TO_CLIENT : SAMPLE_DIR_CLIENT_TO_SERVER, seq);
    crypto_gcm_aes256_encrypt(&um->gcm_out, iv, aad, sizeof aad, data->cbBuffer, data->pvBuffer,
                              data->pvBuffer, trailer + SAMPLE_TRAILER_HEADER);
    sample_write_trailer(m, trailer);
    return SEC_E_OK;
}

/*
 * DecryptMessage (SpUnsealMessage).  Reverses EncryptMessage: decrypts the
 * writable DATA buffer in place after checking the tag.  A bad tag is
 * SEC_E_MESSAGE_ALTERED and an authentic message out of order is
 * SEC_E_OUT_OF_SEQUENCE; in both cases the DATA buffer is left zeroed, never
 * holding unauthenticated or replayed plaintext.  *QualityOfProtection
 * (optional) is SECQOP_WRAP_NO_ENCRYPT for a message sealed with that QOP,
 * else 0.  MessageSequenceNumber is ignored.
 */
static NTSTATUS sample_unseal_message(struct pkg_message_call *call)
{
    const struct pkg_message *m = &call->m;
    struct sample_user_context *um;
    uint8_t trailer[SAMPLE_TRAILER_SIZE];
    uint8_t aad[CRYPTO_SHA256_DIGEST_SIZE];
    uint8_t iv[CRYPTO_GCM_IV_SIZE];
    PSecBuffer data;
    uint64_t seq;
    NTSTATUS status;

    status = sample_message_begin(call, &um);
    if (status != STATUS_SUCCESS)
        return status;
    status = sample_read_trailer(m, SAMPLE_TRAILER_SEALED, SAMPLE_TRAILER_WRAPPED, trailer);
    if (status != STATUS_SUCCESS)
        return status;

    if (trailer[1] == SAMPLE_TRAILER_WRAPPED) {
        status = sample_check_signature(um, trailer, m, 0);
        if (status == SEC_E_OK && call->qop_out != NULL)
            *call->qop_out = SECQOP_WRAP_NO_ENCRYPT;
        return status;
    }

    data = sample_seal_buffer(m);
    if (data == NULL)
        return SEC_E_INVALID_TOKEN;
    seq = pkg_get_le64(trailer + 4);
    sample_seal_aad(&um->mac_in, trailer, m, aad);
    sample_iv(iv, um->server ? SAMPLE_DIR_CLIENT_TO_SERVER : SAMPLE_DIR_SERVER_TO_CLIENT, seq);
    if (!crypto_gcm_aes256_decrypt(&um->gcm_in, iv, aad, sizeof aad, data->cbBuffer, data->pvBuffer,
                                   data->pvBuffer, trailer + SAMPLE_TRAILER_HEADER))
        return SEC_E_MESSAGE_ALTERED;
    status = sample_accept_seq(um, seq, 0);
    if (status != STATUS_SUCCESS) {
        crypto_wipe(data->pvBuffer, data->cbBuffer);
        return status;
    }
    if (call->qop_out != NULL)
        *call->qop_out = 0;
    return SEC_E_OK;
}

const struct pkg_message_ops sample_message_ops = {
    .sign = sample_make_signature,
    .verify = sample_verify_signature,
    .seal = sample_seal_message,
    .unseal = sample_unseal_message,
};
