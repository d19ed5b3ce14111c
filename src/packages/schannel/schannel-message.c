/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-message.c - EncryptMessage / DecryptMessage (SealMessage,
 * UnsealMessage) with Schannel's stream buffers, and ApplyControlToken.
 *
 * EncryptMessage: STREAM_HEADER, DATA, STREAM_TRAILER (found by type):
 * one record, encrypted in place, the sizes written back.
 * DecryptMessage: one DATA buffer with received bytes and three EMPTY
 * buffers; one record per call, decrypted in place: the DATA buffer
 * becomes STREAM_HEADER, the EMPTY ones DATA, STREAM_TRAILER and EXTRA
 * (bytes after the record), or one becomes MISSING when the record is not
 * complete.  Neither allocates: the AEAD suites take the fast path of
 * schannel-record.c; other suites and every non-application record go
 * through GnuTLS with the caller's buffers as its transport.
 *
 * Status choices: context not established        SEC_E_INVALID_HANDLE
 * closed or failed context                       SEC_E_CONTEXT_EXPIRED
 * missing STREAM_HEADER / DATA / STREAM_TRAILER, fewer than 4 buffers, not
 * exactly one DATA, fewer than 3 EMPTY, a record header that is not TLS
 *                                                SEC_E_INVALID_TOKEN
 * header or trailer too small                    SEC_E_BUFFER_TOO_SMALL
 * DATA above cbMaximumMessage                    SEC_E_INVALID_PARAMETER
 * bad tag                                        SEC_E_DECRYPT_FAILURE
 * close_notify received                          SEC_I_CONTEXT_EXPIRED
 * renegotiation request (and, with option.tls13_post_handshake =
 * renegotiate, TLS 1.3 tickets and key updates)  SEC_I_RENEGOTIATE
 * ApplyControlToken: token shorter than 4 bytes or of an unknown type
 * SEC_E_UNSUPPORTED_FUNCTION; not one TOKEN buffer SEC_E_INVALID_TOKEN.
 */
#include <string.h>

#include "packages/schannel/schannel-pkg.h"

static SECURITY_STATUS schan_msg_ctx(LSA_SEC_HANDLE h, struct schan_ctx **out)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(h, SCHAN_SIDE_USER);

    if (ctx == NULL || ctx->state == SCHAN_HANDSHAKE)
        return SEC_E_INVALID_HANDLE;
    if (ctx->state != SCHAN_ESTABLISHED)
        return SEC_E_CONTEXT_EXPIRED;
    *out = ctx;
    return SEC_E_OK;
}

/* EncryptMessage through GnuTLS's record layer (non-AEAD suites). */
static SECURITY_STATUS schan_seal_slow(struct schan_ctx *ctx, SecBuffer *h, SecBuffer *d,
                                       SecBuffer *t)
{
    struct schan_out *o = &ctx->out;
    uint32_t hs = schan_header_size(ctx->session);
    ssize_t r;

    if (h->cbBuffer < hs)
        return SEC_E_BUFFER_TOO_SMALL;
    if (d->cbBuffer == 0) { /* GnuTLS sends no empty record: nothing to send */
        h->cbBuffer = t->cbBuffer = 0;
        return SEC_E_OK;
    }
    o->scatter = true;
    o->failed = false;
    o->seg[0] = h->pvBuffer;
    o->seg_cap[0] = hs;
    o->seg[1] = d->pvBuffer;
    o->seg_cap[1] = d->cbBuffer;
    o->seg[2] = t->pvBuffer;
    o->seg_cap[2] = t->cbBuffer;
    o->seg_len[0] = o->seg_len[1] = o->seg_len[2] = 0;
    r = gnutls_record_send(ctx->session, d->pvBuffer, d->cbBuffer);
    o->scatter = false;
    if (r < 0)
        return schan_status(ctx, (int)r);
    if (o->failed || o->seg_len[1] != d->cbBuffer) {
        ctx->state = SCHAN_FAILED; /* the record did not fit: the stream is broken */
        return SEC_E_BUFFER_TOO_SMALL;
    }
    h->cbBuffer = (ULONG)o->seg_len[0];
    t->cbBuffer = (ULONG)o->seg_len[2];
    return SEC_E_OK;
}

NTSTATUS NTAPI schan_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                  PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    struct schan_ctx *ctx;
    SecBuffer *h, *d, *t;
    uint32_t hl, tl;
    SECURITY_STATUS st = schan_msg_ctx(ContextHandle, &ctx);

    if (st != SEC_E_OK)
        return st;
    h = schan_find_buffer(MessageBuffers, SECBUFFER_STREAM_HEADER);
    d = schan_find_buffer(MessageBuffers, SECBUFFER_DATA);
    t = schan_find_buffer(MessageBuffers, SECBUFFER_STREAM_TRAILER);
    if (h == NULL || d == NULL || t == NULL || h->pvBuffer == NULL || t->pvBuffer == NULL ||
        (d->pvBuffer == NULL && d->cbBuffer != 0))
        return SEC_E_INVALID_TOKEN;
    if (d->cbBuffer > gnutls_record_get_max_size(ctx->session))
        return SEC_E_INVALID_PARAMETER;
    if (ctx->tx.aead == NULL)
        return schan_seal_slow(ctx, h, d, t);
    if (h->cbBuffer < SCHAN_HEADER + (ctx->tx.explicit_nonce ? 8u : 0u) ||
        t->cbBuffer < 16u + ctx->tx.tls13)
        return SEC_E_BUFFER_TOO_SMALL;
    st = schan_record_seal(&ctx->tx, h->pvBuffer, &hl, d->pvBuffer, d->cbBuffer, t->pvBuffer, &tl);
    if (st == SEC_E_OK) {
        h->cbBuffer = hl;
        t->cbBuffer = tl;
    }
    return st;
}

/* The DecryptMessage buffers: the DATA one and three EMPTY ones. */
static SECURITY_STATUS schan_unseal_bufs(PSecBufferDesc desc, SecBuffer **data, SecBuffer *empty[3])
{
    uint32_t n_data = 0, n_empty = 0;

    if (desc == NULL || desc->pBuffers == NULL || desc->cBuffers < 4)
        return SEC_E_INVALID_TOKEN;
    for (uint32_t i = 0; i < desc->cBuffers; i++) {
        SecBuffer *b = &desc->pBuffers[i];
        uint32_t type = b->BufferType & ~SECBUFFER_ATTRMASK;

        if (type == SECBUFFER_DATA) {
            *data = b;
            n_data++;
        } else if (type == SECBUFFER_EMPTY && n_empty < 3) {
            empty[n_empty++] = b;
        }
    }
    if (n_data != 1 || n_empty < 3 || ((*data)->pvBuffer == NULL && (*data)->cbBuffer != 0))
        return SEC_E_INVALID_TOKEN;
    return SEC_E_OK;
}

/* Lay out header / plaintext / trailer / extra over the buffers. */
static void schan_unseal_layout(SecBuffer *data, SecBuffer *empty[3], uint8_t *rec, size_t rec_len,
                                size_t off, size_t plen, size_t extra)
{
    empty[0]->BufferType = SECBUFFER_DATA;
    empty[0]->pvBuffer = rec + off;
    empty[0]->cbBuffer = (ULONG)plen;
    empty[1]->BufferType = SECBUFFER_STREAM_TRAILER;
    empty[1]->pvBuffer = rec + off + plen;
    empty[1]->cbBuffer = (ULONG)(rec_len - off - plen);
    if (extra > 0) {
        empty[2]->BufferType = SECBUFFER_EXTRA;
        empty[2]->pvBuffer = rec + rec_len;
        empty[2]->cbBuffer = (ULONG)extra;
    }
    data->BufferType = SECBUFFER_STREAM_HEADER;
    data->pvBuffer = rec;
    data->cbBuffer = (ULONG)off;
}

/* Does a decrypted TLS 1.3 handshake record ask for our KeyUpdate? */
static bool schan_asks_key_update(const uint8_t *p, size_t len)
{
    for (size_t pos = 0; pos + 4 <= len;) {
        size_t n = (size_t)p[pos + 1] << 16 | (size_t)p[pos + 2] << 8 | p[pos + 3];

        if (pos + 4 + n > len)
            break;
        if (p[pos] == 24 && n == 1 && p[pos + 4] == 1)
            return true;
        pos += 4 + n;
    }
    return false;
}

/* A record for GnuTLS itself (and all records when there is no fast path). */
static SECURITY_STATUS schan_unseal_slow(struct schan_ctx *ctx, uint8_t *rec, size_t rec_len,
                                         size_t *plen, bool *handshake)
{
    ssize_t r;

    schan_record_push_seq(ctx, true);
    ctx->in = (struct schan_in){rec, rec_len, 0};
    do {
        r = gnutls_record_recv(ctx->session, rec + SCHAN_HEADER, rec_len - SCHAN_HEADER);
    } while (r == GNUTLS_E_INTERRUPTED);
    ctx->in = (struct schan_in){NULL, 0, 0};
    schan_record_sync(ctx, true);
    *plen = r > 0 ? (size_t)r : 0;
    if (r >= 0 || r == GNUTLS_E_AGAIN || r == GNUTLS_E_WARNING_ALERT_RECEIVED) {
        if (r == 0)
            ctx->state = SCHAN_CLOSED;
        if (r == GNUTLS_E_AGAIN)
            schan_session_remember(ctx); /* a TLS 1.3 ticket may have come */
        return r == 0 ? SEC_I_CONTEXT_EXPIRED
               : r == GNUTLS_E_AGAIN && *handshake &&
                       ctx->cred->opts.post_handshake == SCHAN_POST_RENEGOTIATE
                   ? SEC_I_RENEGOTIATE
                   : SEC_E_OK;
    }
    if (r == GNUTLS_E_REHANDSHAKE) {
        ctx->renegotiating = true;
        ctx->kick = true;
        return SEC_I_RENEGOTIATE;
    }
    ctx->state = SCHAN_FAILED;
    return schan_status(ctx, (int)r);
}

NTSTATUS NTAPI schan_unseal_message(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                    ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    struct schan_ctx *ctx;
    SecBuffer *data = NULL, *empty[3];
    uint8_t *rec, type = 0;
    size_t len, n, off = SCHAN_HEADER, plen = 0;
    uint32_t missing;
    bool handshake = false;
    SECURITY_STATUS st = schan_msg_ctx(ContextHandle, &ctx);

    if (st != SEC_E_OK)
        return st;
    if ((st = schan_unseal_bufs(MessageBuffers, &data, empty)) != SEC_E_OK)
        return st;
    if (QualityOfProtection != NULL)
        *QualityOfProtection = 0;
    rec = data->pvBuffer;
    len = data->cbBuffer;
    n = schan_records(rec, len, 1, &missing);
    if (n == (size_t)-1)
        return SEC_E_INVALID_TOKEN;
    if (n == 0) {
        empty[0]->BufferType = SECBUFFER_MISSING;
        empty[0]->cbBuffer = missing;
        return SEC_E_INCOMPLETE_MESSAGE;
    }
    if (ctx->rx.aead != NULL && rec[0] == SCHAN_CT_APPDATA) {
        st = schan_record_open(&ctx->rx, rec, n, &type, &off, &plen);
        if (st != SEC_E_OK) {
            ctx->state = SCHAN_FAILED;
            return st;
        }
        if (type == SCHAN_CT_APPDATA) {
            schan_unseal_layout(data, empty, rec, n, off, plen, len - n);
            return SEC_E_OK;
        }
        handshake = type == SCHAN_CT_HANDSHAKE;
        if (handshake && schan_asks_key_update(rec + off, plen))
            ctx->key_update_due = true;
        schan_record_reseal(&ctx->rx, rec, n);
    } else {
        handshake = rec[0] == SCHAN_CT_HANDSHAKE;
    }
    st = schan_unseal_slow(ctx, rec, n, &plen, &handshake);
    if (st == SEC_E_OK && ctx->key_update_due)
        st = SEC_I_RENEGOTIATE; /* ISC/ASC sends our KeyUpdate */
    if (SEC_SUCCESS(st))
        schan_unseal_layout(data, empty, rec, n, SCHAN_HEADER, plen, len - n);
    return st;
}

NTSTATUS NTAPI schan_apply_control_token(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc ControlToken)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(ContextHandle, SCHAN_SIDE_LSA);
    const SecBuffer *b;
    uint32_t tok[3];

    if (ctx == NULL)
        return SEC_E_INVALID_HANDLE;
    if (ControlToken == NULL)
        return SEC_E_INTERNAL_ERROR;
    if (ControlToken->cBuffers != 1 || ControlToken->pBuffers == NULL ||
        (ControlToken->pBuffers[0].BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_TOKEN)
        return SEC_E_INVALID_TOKEN;
    b = &ControlToken->pBuffers[0];
    if (b->cbBuffer < 4 || b->pvBuffer == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    memcpy(tok, b->pvBuffer, b->cbBuffer >= 12 ? 12 : 4);
    if (tok[0] == SCHANNEL_SHUTDOWN) {
        ctx->pending = SCHAN_PENDING_SHUTDOWN;
        return SEC_E_OK;
    }
    if (tok[0] != SCHANNEL_ALERT || b->cbBuffer < 12)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if ((tok[1] != TLS1_ALERT_WARNING && tok[1] != TLS1_ALERT_FATAL) || tok[2] > 255)
        return SEC_E_INVALID_PARAMETER;
    ctx->pending = SCHAN_PENDING_ALERT;
    ctx->alert_level = (uint8_t)tok[1];
    ctx->alert_desc = (uint8_t)tok[2];
    return SEC_E_OK;
}
