/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-message.c - MakeSignature, VerifySignature, EncryptMessage and
 * DecryptMessage with Windows' buffer layouts (reference kerberos.md 4).
 *
 * Buffers are found by type.  MakeSignature/VerifySignature: every DATA
 * buffer is covered by a MIC token in the TOKEN buffer.  EncryptMessage:
 * TOKEN receives header, rotated trailer and confounder (60 bytes for AES,
 * 76 in DCE style, 28 with KERB_WRAP_NO_ENCRYPT) and its cbBuffer is set to
 * the bytes written; writable DATA is encrypted in place; DATA flagged
 * SECBUFFER_READONLY(_WITH_CHECKSUM) is signed, not encrypted; PADDING is
 * set to 0 bytes.  DecryptMessage: TOKEN + DATA (any RRC/EC a peer chose),
 * or a SECBUFFER_STREAM holding the whole token with an empty DATA that is
 * pointed at the plaintext inside it.
 *
 * AES contexts run on kerberos-cfx.c: no allocation, no lock besides the
 * receive window's.  Other contexts (and option.message_crypto = mit) call
 * MIT's gss_*_iov under the context's mutex (MIT contexts are not
 * thread-safe); a split TOKEN + DATA that MIT's HEADER iov refuses is
 * unwrapped from a joined copy.
 *
 * Statuses: SEC_E_INVALID_HANDLE (not ours, or not established),
 * SEC_E_CONTEXT_EXPIRED, SEC_E_QOP_NOT_SUPPORTED, SEC_E_INVALID_TOKEN (no
 * TOKEN or DATA, malformed token), SEC_E_BUFFER_TOO_SMALL (TOKEN shorter
 * than the token), SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packages/kerberos/kerberos.h"

#define KRB_MAX_IOV PKG_MAX_DATA

/* The kit's parse of the buffers, and the DATA buffers as segments. */
struct layout {
    SecBuffer *token, *stream, *padding;
    size_t n;          /* DATA buffers */
    size_t data_first; /* index of the first writable DATA, or KRB_MAX_IOV */
    SecBuffer **buf;
    struct pkg_message m;
    struct krb_seg seg[KRB_MAX_IOV];
};

static SECURITY_STATUS get_layout(PSecBufferDesc desc, struct layout *l)
{
    SECURITY_STATUS st = pkg_message_parse(desc, &l->m);

    if (st != SEC_E_OK)
        return st;
    l->token = l->m.token;
    l->stream = l->m.stream;
    l->padding = l->m.padding;
    l->n = l->m.ndata;
    l->buf = l->m.data;
    l->data_first = KRB_MAX_IOV;
    for (size_t i = 0; i < l->n; i++) {
        SecBuffer *b = l->buf[i];
        bool ro = pkg_buffer_readonly(b);

        if (!ro && l->data_first == KRB_MAX_IOV)
            l->data_first = i;
        l->seg[i] = (struct krb_seg){b->pvBuffer, b->cbBuffer,
                                     ro ? KRB_SEG_SIGN : KRB_SEG_SIGN | KRB_SEG_ENC};
    }
    return SEC_E_OK;
}

/* The established context behind h, or NULL with *st set. */
static struct krb_context *live(LSA_SEC_HANDLE h, SECURITY_STATUS *st)
{
    struct krb_context *ctx = krb_context_from_handle(h);
    struct timespec ts;

    if (ctx == NULL || ctx->state != KRB_STATE_COMPLETE) {
        *st = SEC_E_INVALID_HANDLE;
        return NULL;
    }
    if (ctx->expiry != INT64_MAX) {
        clock_gettime(CLOCK_REALTIME_COARSE, &ts);
        if (krb_filetime(ts.tv_sec) >= ctx->expiry) {
            *st = SEC_E_CONTEXT_EXPIRED;
            return NULL;
        }
    }
    if ((*st = krb_context_keys(ctx)) != SEC_E_OK)
        return NULL;
    return ctx;
}

/* ---- MIT path ------------------------------------------------------------ */

static size_t mit_iov(const struct layout *l, gss_iov_buffer_desc *iov, bool sign_all)
{
    size_t n = 0;

    for (size_t i = 0; i < l->n; i++) {
        bool enc = (l->seg[i].flags & KRB_SEG_ENC) && !sign_all;
        iov[n].type = enc ? GSS_IOV_BUFFER_TYPE_DATA : GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
        if (sign_all)
            iov[n].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[n].buffer = (gss_buffer_desc){l->seg[i].len, l->seg[i].p};
        n++;
    }
    return n;
}

static SECURITY_STATUS mit_sign(struct krb_context *ctx, struct layout *l)
{
    gss_iov_buffer_desc iov[KRB_MAX_IOV + 1];
    size_t n = mit_iov(l, iov, true);
    OM_uint32 major, minor;

    iov[n].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    iov[n].buffer = (gss_buffer_desc){0, NULL};
    pthread_mutex_lock(&ctx->mit_lock);
    major = gss_get_mic_iov_length(&minor, ctx->gss, GSS_C_QOP_DEFAULT, iov, (int)n + 1);
    if (!GSS_ERROR(major) && iov[n].buffer.length > l->token->cbBuffer) {
        pthread_mutex_unlock(&ctx->mit_lock);
        return SEC_E_BUFFER_TOO_SMALL;
    }
    iov[n].buffer.value = l->token->pvBuffer;
    if (!GSS_ERROR(major))
        major = gss_get_mic_iov(&minor, ctx->gss, GSS_C_QOP_DEFAULT, iov, (int)n + 1);
    pthread_mutex_unlock(&ctx->mit_lock);
    if (GSS_ERROR(major))
        return krb_status_from_gss(KRB_OP_MESSAGE, "gss_get_mic_iov", major, minor);
    l->token->cbBuffer = (ULONG)iov[n].buffer.length;
    return SEC_E_OK;
}

static SECURITY_STATUS mit_verify(struct krb_context *ctx, struct layout *l)
{
    gss_iov_buffer_desc iov[KRB_MAX_IOV + 1];
    size_t n = mit_iov(l, iov, true);
    OM_uint32 major, minor;

    iov[n].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    iov[n].buffer = (gss_buffer_desc){l->token->cbBuffer, l->token->pvBuffer};
    pthread_mutex_lock(&ctx->mit_lock);
    major = gss_verify_mic_iov(&minor, ctx->gss, NULL, iov, (int)n + 1);
    pthread_mutex_unlock(&ctx->mit_lock);
    if (major != GSS_S_COMPLETE)
        return krb_status_from_gss(KRB_OP_MESSAGE, "gss_verify_mic_iov", major, minor);
    return SEC_E_OK;
}

static SECURITY_STATUS mit_wrap(struct krb_context *ctx, struct layout *l, bool conf)
{
    gss_iov_buffer_desc iov[KRB_MAX_IOV + 2];
    size_t n = 0;
    OM_uint32 major, minor;

    iov[n].type = GSS_IOV_BUFFER_TYPE_HEADER;
    iov[n++].buffer = (gss_buffer_desc){0, NULL};
    n += mit_iov(l, iov + n, false);
    if (l->padding != NULL) {
        iov[n].type = GSS_IOV_BUFFER_TYPE_PADDING;
        iov[n++].buffer = (gss_buffer_desc){0, NULL};
    }
    pthread_mutex_lock(&ctx->mit_lock);
    major = gss_wrap_iov_length(&minor, ctx->gss, conf, GSS_C_QOP_DEFAULT, NULL, iov, (int)n);
    if (!GSS_ERROR(major) &&
        (iov[0].buffer.length > l->token->cbBuffer ||
         (l->padding != NULL && iov[n - 1].buffer.length > l->padding->cbBuffer))) {
        pthread_mutex_unlock(&ctx->mit_lock);
        return SEC_E_BUFFER_TOO_SMALL;
    }
    iov[0].buffer.value = l->token->pvBuffer;
    if (l->padding != NULL)
        iov[n - 1].buffer.value = l->padding->pvBuffer;
    if (!GSS_ERROR(major))
        major = gss_wrap_iov(&minor, ctx->gss, conf, GSS_C_QOP_DEFAULT, NULL, iov, (int)n);
    pthread_mutex_unlock(&ctx->mit_lock);
    if (GSS_ERROR(major))
        return krb_status_from_gss(KRB_OP_MESSAGE, "gss_wrap_iov", major, minor);
    l->token->cbBuffer = (ULONG)iov[0].buffer.length;
    if (l->padding != NULL)
        l->padding->cbBuffer = (ULONG)iov[n - 1].buffer.length;
    return SEC_E_OK;
}

/* MIT's HEADER iov takes only the split Windows makes; a peer that cut
 * TOKEN and DATA elsewhere (e.g. a whole RRC-0 token after a 16-byte
 * TOKEN) is unwrapped as one stream from a joined copy, and the plaintext
 * put back into the (single writable) DATA buffer. */
static SECURITY_STATUS mit_unwrap_joined(struct krb_context *ctx, struct layout *l, bool *conf)
{
    size_t data = l->data_first, len;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    int conf_state = 0;
    uint8_t *joined;

    if (data == KRB_MAX_IOV || l->n != 1)
        return SEC_E_INVALID_TOKEN;
    len = (size_t)l->token->cbBuffer + l->buf[data]->cbBuffer;
    joined = malloc(len ? len : 1);
    if (joined == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(joined, l->token->pvBuffer, l->token->cbBuffer);
    memcpy(joined + l->token->cbBuffer, l->buf[data]->pvBuffer, l->buf[data]->cbBuffer);
    in = (gss_buffer_desc){len, joined};
    pthread_mutex_lock(&ctx->mit_lock);
    major = gss_unwrap(&minor, ctx->gss, &in, &out, &conf_state, NULL);
    pthread_mutex_unlock(&ctx->mit_lock);
    free(joined);
    if (major != GSS_S_COMPLETE) {
        gss_release_buffer(&minor, &out);
        return krb_status_from_gss(KRB_OP_MESSAGE, "gss_unwrap", major, minor);
    }
    if (out.length > l->buf[data]->cbBuffer) {
        gss_release_buffer(&minor, &out);
        return SEC_E_INVALID_TOKEN;
    }
    memcpy(l->buf[data]->pvBuffer, out.value, out.length);
    l->buf[data]->cbBuffer = (ULONG)out.length;
    explicit_bzero(out.value, out.length);
    gss_release_buffer(&minor, &out);
    *conf = conf_state != 0;
    return SEC_E_OK;
}

static SECURITY_STATUS mit_unwrap(struct krb_context *ctx, struct layout *l, bool *conf)
{
    gss_iov_buffer_desc iov[KRB_MAX_IOV + 2];
    size_t n = 0, data = 0;
    OM_uint32 major, minor;
    int conf_state = 0;

    if (l->stream != NULL) {
        iov[n].type = GSS_IOV_BUFFER_TYPE_STREAM;
        iov[n++].buffer = (gss_buffer_desc){l->stream->cbBuffer, l->stream->pvBuffer};
    } else {
        iov[n].type = GSS_IOV_BUFFER_TYPE_HEADER;
        iov[n++].buffer = (gss_buffer_desc){l->token->cbBuffer, l->token->pvBuffer};
    }
    data = n;
    n += mit_iov(l, iov + n, false);
    if (l->stream != NULL)
        for (size_t i = data; i < n; i++)
            if (iov[i].type == GSS_IOV_BUFFER_TYPE_DATA)
                iov[i].buffer = (gss_buffer_desc){0, NULL};
    pthread_mutex_lock(&ctx->mit_lock);
    major = gss_unwrap_iov(&minor, ctx->gss, &conf_state, NULL, iov, (int)n);
    pthread_mutex_unlock(&ctx->mit_lock);
    if (major == GSS_S_DEFECTIVE_TOKEN && l->stream == NULL)
        return mit_unwrap_joined(ctx, l, conf);
    if (major != GSS_S_COMPLETE)
        return krb_status_from_gss(KRB_OP_MESSAGE, "gss_unwrap_iov", major, minor);
    for (size_t i = 0; i < l->n; i++) {
        if (iov[data + i].type == GSS_IOV_BUFFER_TYPE_DATA) {
            l->buf[i]->pvBuffer = iov[data + i].buffer.value;
            l->buf[i]->cbBuffer = (ULONG)iov[data + i].buffer.length;
        }
    }
    *conf = conf_state != 0;
    return SEC_E_OK;
}

/* ---- the four calls ------------------------------------------------------- */

NTSTATUS NTAPI krb_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                  PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    SECURITY_STATUS st;
    struct krb_context *ctx = live(ContextHandle, &st);
    struct layout l;
    size_t written;

    if (ctx == NULL)
        return st;
    if (QualityOfProtection != 0)
        return SEC_E_QOP_NOT_SUPPORTED;
    if ((st = get_layout(MessageBuffers, &l)) != SEC_E_OK)
        return st;
    if (l.token == NULL || (l.token->cbBuffer > 0 && l.token->pvBuffer == NULL))
        return SEC_E_INVALID_TOKEN;
    if (!ctx->fast)
        return mit_sign(ctx, &l);
    st = krb_cfx_get_mic(&ctx->cfx, l.seg, l.n, l.token->pvBuffer, l.token->cbBuffer, &written);
    if (st == SEC_E_OK)
        l.token->cbBuffer = (ULONG)written;
    (void)MessageSequenceNumber;
    return st;
}

NTSTATUS NTAPI krb_verify_signature(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                    ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    SECURITY_STATUS st;
    struct krb_context *ctx = live(ContextHandle, &st);
    struct layout l;

    if (ctx == NULL)
        return st;
    if ((st = get_layout(MessageBuffers, &l)) != SEC_E_OK)
        return st;
    if (l.token == NULL || l.token->pvBuffer == NULL)
        return SEC_E_INVALID_TOKEN;
    st = ctx->fast ? krb_cfx_verify_mic(&ctx->cfx, l.seg, l.n, l.token->pvBuffer, l.token->cbBuffer)
                   : mit_verify(ctx, &l);
    if (st == SEC_E_OK && QualityOfProtection != NULL)
        *QualityOfProtection = 0;
    (void)MessageSequenceNumber;
    return st;
}

NTSTATUS NTAPI krb_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    SECURITY_STATUS st;
    struct krb_context *ctx = live(ContextHandle, &st);
    struct layout l;
    size_t written;
    bool conf;

    if (ctx == NULL)
        return st;
    if (QualityOfProtection != 0 && QualityOfProtection != KERB_WRAP_NO_ENCRYPT)
        return SEC_E_QOP_NOT_SUPPORTED;
    conf = QualityOfProtection == 0;
    if ((st = get_layout(MessageBuffers, &l)) != SEC_E_OK)
        return st;
    if (l.token == NULL || l.n == 0 || (l.token->cbBuffer > 0 && l.token->pvBuffer == NULL))
        return SEC_E_INVALID_TOKEN;
    if (!ctx->fast)
        return mit_wrap(ctx, &l, conf);
    st = krb_cfx_wrap(&ctx->cfx, conf, l.seg, l.n, l.token->pvBuffer, l.token->cbBuffer, &written);
    if (st == SEC_E_OK) {
        l.token->cbBuffer = (ULONG)written;
        if (l.padding != NULL)
            l.padding->cbBuffer = 0;
    }
    (void)MessageSequenceNumber;
    return st;
}

/* TOKEN immediately followed in memory by the only DATA buffer: one wrap
 * token however the caller cut it.  FreeRDP 2 cuts its CredSSP messages at
 * SIZES.cbSecurityTrailer (76) while the AES token header is 60 bytes, so
 * TOKEN then holds the first bytes of the data too. */
static bool adjacent(const struct layout *l)
{
    return l->n == 1 && l->data_first == 0 && l->buf[0]->pvBuffer != NULL &&
           (uint8_t *)l->token->pvBuffer + l->token->cbBuffer == l->buf[0]->pvBuffer;
}

/* Unwrap TOKEN+DATA as one stream; DATA then points at the plaintext,
 * which starts inside TOKEN when the cut was late (as STREAM does). */
static SECURITY_STATUS unwrap_adjacent(struct krb_context *ctx, struct layout *l, bool *conf)
{
    size_t len = (size_t)l->token->cbBuffer + l->buf[0]->cbBuffer;
    SECURITY_STATUS st;

    l->seg[0] = (struct krb_seg){NULL, 0, KRB_SEG_SIGN | KRB_SEG_ENC};
    st = krb_cfx_unwrap(&ctx->cfx, l->token->pvBuffer, len, true, l->seg, 1, 0, conf);
    if (st == SEC_E_OK) {
        l->buf[0]->pvBuffer = l->seg[0].p;
        l->buf[0]->cbBuffer = (ULONG)l->seg[0].len;
    }
    return st;
}

NTSTATUS NTAPI krb_unseal_message(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                  ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    SECURITY_STATUS st;
    struct krb_context *ctx = live(ContextHandle, &st);
    struct layout l;
    bool conf = false;

    if (ctx == NULL)
        return st;
    if ((st = get_layout(MessageBuffers, &l)) != SEC_E_OK)
        return st;
    if (l.stream != NULL) {
        if (l.stream->pvBuffer == NULL || l.data_first == KRB_MAX_IOV)
            return SEC_E_INVALID_TOKEN;
    } else if (l.token == NULL || l.token->pvBuffer == NULL) {
        return SEC_E_INVALID_TOKEN;
    }
    if (!ctx->fast) {
        st = mit_unwrap(ctx, &l, &conf);
    } else if (l.stream != NULL) {
        st = krb_cfx_unwrap(&ctx->cfx, l.stream->pvBuffer, l.stream->cbBuffer, true, l.seg, l.n,
                            l.data_first, &conf);
        if (st == SEC_E_OK) {
            l.buf[l.data_first]->pvBuffer = l.seg[l.data_first].p;
            l.buf[l.data_first]->cbBuffer = (ULONG)l.seg[l.data_first].len;
        }
    } else {
        st = krb_cfx_unwrap(&ctx->cfx, l.token->pvBuffer, l.token->cbBuffer, false, l.seg, l.n, 0,
                            &conf);
        if (st == SEC_E_OK) {
            for (size_t i = 0; i < l.n; i++)
                if (l.seg[i].flags & KRB_SEG_ENC)
                    l.buf[i]->cbBuffer = (ULONG)l.seg[i].len;
        } else if (st == SEC_E_INVALID_TOKEN && adjacent(&l)) {
            st = unwrap_adjacent(ctx, &l, &conf);
        }
    }
    if (st == SEC_E_OK && QualityOfProtection != NULL)
        *QualityOfProtection = conf ? 0 : KERB_WRAP_NO_ENCRYPT;
    (void)MessageSequenceNumber;
    return st;
}
