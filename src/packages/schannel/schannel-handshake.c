/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-handshake.c - InitializeSecurityContext (client) and
 * AcceptSecurityContext (server) for Schannel, and what those calls do on
 * an established context: close_notify or an alert after
 * ApplyControlToken, our KeyUpdate, TLS 1.2 renegotiation, or nothing.
 *
 * Buffers (reference section 5.1): input TOKEN with the peer's bytes, an
 * EMPTY input buffer that becomes SECBUFFER_EXTRA (bytes left at the end
 * of the token) or SECBUFFER_MISSING (bytes still needed); output TOKEN,
 * and SECBUFFER_ALERT for the alert of a failed handshake.
 *
 * Status choices: NULL output descriptor or no output TOKEN, a record
 * header that is not TLS                      SEC_E_INVALID_TOKEN
 * not one complete record yet                 SEC_E_INCOMPLETE_MESSAGE
 *                                             (output and handle untouched)
 * output larger than the TOKEN without
 * ALLOCATE_MEMORY                             SEC_E_INSUFFICIENT_MEMORY
 * credential of the other side (first leg, or
 * the leg after INCOMPLETE_CREDENTIALS: the
 * step keeps waiting, the input is all EXTRA) SEC_E_NO_CREDENTIALS
 * ASC_REQ_DELEGATE                            SEC_E_UNSUPPORTED_FUNCTION
 * TLS failures: schan_status() (certificate statuses, alerts).
 *
 * Client certificates: the server asks for one the credential lacks ->
 * SEC_I_INCOMPLETE_CREDENTIALS once, no output, the bytes GnuTLS did not
 * read as EXTRA.  The next call names the credential to answer with: one
 * with a certificate sends it (whatever CA names the server listed); the
 * same one, another without, or none goes on without.  A credential named
 * on any other later leg is not looked at: the first leg's is the
 * context's (Microsoft documents phCredential as optional after it).
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "packages/schannel/schannel-pkg.h"

struct schan_leg {
    bool server;
    uint32_t req;
    LSA_SEC_HANDLE cred; /* the credential handle of this call (may be 0) */
    PSecBufferDesc in, out;
    SecBuffer *token; /* input TOKEN (may be NULL) */
    SecBuffer *spare; /* first EMPTY input buffer: EXTRA / MISSING */
    SecBuffer *out_token, *out_alert;
};

/* The first input buffer of type EMPTY (that is not the token). */
static SecBuffer *schan_spare(PSecBufferDesc in)
{
    for (uint32_t i = 0; in != NULL && in->pBuffers != NULL && i < in->cBuffers; i++)
        if ((in->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_EMPTY)
            return &in->pBuffers[i];
    return NULL;
}

/* Hand `data` to the caller in `b` (its memory, or ours with ALLOCATE_MEMORY). */
static SECURITY_STATUS schan_give(SecBuffer *b, const uint8_t *data, size_t len, bool alloc)
{
    if (b == NULL)
        return SEC_E_OK;
    if (len <= b->cbBuffer && b->pvBuffer != NULL) {
        memcpy(b->pvBuffer, data, len);
        b->cbBuffer = (ULONG)len;
        return SEC_E_OK;
    }
    if (!alloc || len > UINT32_MAX)
        return SEC_E_INSUFFICIENT_MEMORY;
    b->pvBuffer = pkg_alloc(PKG_MODE_LSA, len);
    if (b->pvBuffer == NULL) {
        b->cbBuffer = 0;
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    memcpy(b->pvBuffer, data, len);
    b->cbBuffer = (ULONG)len;
    return SEC_E_OK;
}

/* Give what GnuTLS pushed as the output TOKEN; clear the buffer. */
static SECURITY_STATUS schan_flush(struct schan_ctx *ctx, const struct schan_leg *l)
{
    SECURITY_STATUS st;

    if (ctx->out.failed) {
        ctx->out.failed = false;
        ctx->out.len = 0;
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (ctx->out.len == 0) {
        l->out_token->cbBuffer = 0;
        return SEC_E_OK;
    }
    st = schan_give(l->out_token, ctx->out.buf, ctx->out.len, l->req & ISC_REQ_ALLOCATE_MEMORY);
    ctx->out.len = 0;
    return st;
}

/* After a fatal error: the alert (if any) into SECBUFFER_ALERT. */
static void schan_fail(struct schan_ctx *ctx, const struct schan_leg *l, int err)
{
    ctx->out.len = 0;
    if (ctx->session != NULL && err < 0)
        schan_session_alert_for(ctx, err);
    if (l->out_alert != NULL && ctx->out.len > 0 && !ctx->out.failed) {
        /* our own block with ALLOCATE_MEMORY: the host frees its own on failure */
        if (l->req & ISC_REQ_ALLOCATE_MEMORY)
            l->out_alert->cbBuffer = 0;
        if (schan_give(l->out_alert, ctx->out.buf, ctx->out.len,
                       l->req & ISC_REQ_ALLOCATE_MEMORY) != SEC_E_OK)
            l->out_alert->cbBuffer = 0;
    } else if (l->out_alert != NULL) {
        l->out_alert->cbBuffer = 0;
    }
    ctx->out.len = 0;
    ctx->out.failed = false;
    l->out_token->cbBuffer = 0;
    ctx->state = SCHAN_FAILED;
}

/* The handshake became complete: keys for the fast path, resumption. */
static void schan_established(struct schan_ctx *ctx)
{
    ctx->state = SCHAN_ESTABLISHED;
    ctx->renegotiating = false;
    schan_session_note_peer(ctx);
    schan_record_sync(ctx, false);
    schan_record_sync(ctx, true);
    schan_session_remember(ctx);
}

/* Does this client step run on a stack of its own?  Only a server's flight
 * can ask for a certificate, and only the first time it asks for one the
 * credential lacks is SEC_I_INCOMPLETE_CREDENTIALS reported. */
static bool schan_needs_fiber(const struct schan_ctx *ctx)
{
    const struct schan_cred *c = ctx->cert_cred != NULL ? ctx->cert_cred : ctx->cred;

    return !ctx->server && ctx->started && !ctx->incomplete_told && c->privkey == NULL;
}

/*
 * The leg after SEC_I_INCOMPLETE_CREDENTIALS: the certificate of the
 * credential given now (none: go on without), and the input.  Callers
 * either pass what was left over (SECBUFFER_EXTRA) or, like curl and
 * Microsoft's samples, everything they passed before: what GnuTLS read
 * then is skipped (*base).
 */
static SECURITY_STATUS schan_resume_setup(struct schan_ctx *ctx, const struct schan_leg *l,
                                          size_t *base)
{
    const uint8_t *data = l->token ? l->token->pvBuffer : NULL;
    size_t len = l->token ? l->token->cbBuffer : 0, whole;
    uint32_t missing;

    if (l->cred != 0) {
        struct schan_cred *c = schan_cred_from_handle(l->cred);

        if (c == NULL || c->server) { /* refused: still waiting, nothing read */
            if (l->spare != NULL && len > 0) {
                l->spare->BufferType = SECBUFFER_EXTRA;
                l->spare->cbBuffer = (ULONG)len;
            }
            return c == NULL ? SEC_E_INVALID_HANDLE : SEC_E_NO_CREDENTIALS;
        }
        if (c->privkey != NULL && c != ctx->cert_cred) {
            schan_cred_ref(c);
            if (ctx->cert_cred != NULL)
                schan_cred_unref(ctx->cert_cred);
            ctx->cert_cred = c;
        }
    }
    *base = 0;
    if (ctx->parked_in != NULL && len >= ctx->parked_len &&
        memcmp(data, ctx->parked_in, ctx->parked_len) == 0)
        *base = ctx->parked_len;
    free(ctx->parked_in);
    ctx->parked_in = NULL;
    ctx->parked_len = 0;
    whole = schan_records(data + *base, len - *base, 0, &missing);
    ctx->in = (struct schan_in){data + *base, whole == (size_t)-1 ? 0 : whole, 0};
    return SEC_E_OK;
}

/* The step parked in the certificate callback: what GnuTLS read is kept
 * (to know it when passed again), what it did not read is EXTRA. */
static SECURITY_STATUS schan_park(struct schan_ctx *ctx, const struct schan_leg *l, size_t used)
{
    size_t len = l->token ? l->token->cbBuffer : 0;

    ctx->incomplete_told = true;
    ctx->parked_len = used;
    ctx->parked_in = used > 0 ? malloc(used) : NULL;
    if (ctx->parked_in != NULL)
        memcpy(ctx->parked_in, l->token->pvBuffer, used);
    else
        ctx->parked_len = 0;
    if (l->spare != NULL && len > used) {
        l->spare->BufferType = SECBUFFER_EXTRA;
        l->spare->cbBuffer = (ULONG)(len - used);
    }
    l->out_token->cbBuffer = 0;
    return SEC_I_INCOMPLETE_CREDENTIALS;
}

/* After a step over ctx->in, which began `base` bytes into the token. */
static SECURITY_STATUS schan_leg_end(struct schan_ctx *ctx, const struct schan_leg *l, int r,
                                     size_t base)
{
    size_t len = l->token ? l->token->cbBuffer : 0, used = base + ctx->in.pos;
    SECURITY_STATUS st;

    ctx->in = (struct schan_in){NULL, 0, 0};
    if (r == SCHAN_PARKED)
        return schan_park(ctx, l, used);
    if (l->spare != NULL && len > used) {
        l->spare->BufferType = SECBUFFER_EXTRA;
        l->spare->cbBuffer = (ULONG)(len - used);
    }
    if (r < 0 && r != GNUTLS_E_AGAIN) {
        st = schan_status(ctx, r);
        schan_fail(ctx, l, r);
        return st;
    }
    if (r == 0)
        schan_established(ctx);
    if ((st = schan_flush(ctx, l)) != SEC_E_OK) {
        ctx->state = SCHAN_FAILED;
        return st;
    }
    return r == 0 ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

/* One handshake leg over the input token. */
static SECURITY_STATUS schan_handshake_leg(struct schan_ctx *ctx, const struct schan_leg *l)
{
    const uint8_t *data = l->token ? l->token->pvBuffer : NULL;
    size_t len = l->token ? l->token->cbBuffer : 0, whole = 0, base = 0;
    bool parked = schan_fiber_parked(ctx), fiber = false;
    uint32_t missing;
    int r;

    if (parked) {
        SECURITY_STATUS st = schan_resume_setup(ctx, l, &base);

        if (st != SEC_E_OK)
            return st;
    } else {
        if ((ctx->server || ctx->started) && !(ctx->kick && len == 0)) {
            /* only a first flight (ClientHello, or our answer to a
             * renegotiation request GnuTLS already holds) needs no input */
            whole = schan_records(data, len, 0, &missing);
            if (whole == (size_t)-1) {
                l->out_token->cbBuffer = 0;
                return SEC_E_INVALID_TOKEN;
            }
            if (whole == 0) {
                if (l->spare != NULL) {
                    l->spare->BufferType = SECBUFFER_MISSING;
                    l->spare->cbBuffer = missing;
                }
                return SEC_E_INCOMPLETE_MESSAGE;
            }
        }
        fiber = schan_needs_fiber(ctx);
        ctx->started = true;
        ctx->kick = false;
        ctx->in = (struct schan_in){data, whole, 0};
    }
    if (ctx->renegotiating) { /* records of the old keys: GnuTLS must count them */
        schan_record_push_seq(ctx, false);
        schan_record_push_seq(ctx, true);
    }
    if (parked)
        r = schan_fiber_resume(ctx);
    else
        r = fiber ? schan_fiber_step(ctx) : schan_session_handshake(ctx);
    if (ctx->renegotiating) {
        schan_record_sync(ctx, false);
        schan_record_sync(ctx, true);
    }
    return schan_leg_end(ctx, l, r, base);
}

/* A leg on an established context. */
static SECURITY_STATUS schan_established_leg(struct schan_ctx *ctx, const struct schan_leg *l)
{
    SECURITY_STATUS st;
    size_t len = l->token ? l->token->cbBuffer : 0;
    int r = 0;

    if (ctx->renegotiating)
        return schan_handshake_leg(ctx, l);
    if (ctx->pending != SCHAN_PENDING_NONE) {
        schan_record_push_seq(ctx, false);
        if (ctx->pending == SCHAN_PENDING_SHUTDOWN)
            r = gnutls_bye(ctx->session, GNUTLS_SHUT_WR);
        else
            r = gnutls_alert_send(ctx->session, ctx->alert_level, ctx->alert_desc);
        if (r == GNUTLS_E_AGAIN)
            r = 0;
        ctx->state = ctx->pending == SCHAN_PENDING_SHUTDOWN || ctx->alert_level == 2 ? SCHAN_CLOSED
                                                                                     : ctx->state;
        ctx->pending = SCHAN_PENDING_NONE;
        schan_record_sync(ctx, false);
    } else if (ctx->key_update_due) {
        schan_record_push_seq(ctx, false);
        r = gnutls_session_key_update(ctx->session, 0);
        if (r == GNUTLS_E_AGAIN)
            r = 0;
        ctx->key_update_due = false;
        schan_record_sync(ctx, false);
    }
    if (r < 0) {
        ctx->out.len = 0;
        return schan_status(ctx, r);
    }
    st = schan_flush(ctx, l);
    if (st == SEC_E_OK && len > 0 && l->spare != NULL) {
        l->spare->BufferType = SECBUFFER_EXTRA; /* nothing to do with them: give them back */
        l->spare->cbBuffer = (ULONG)len;
    }
    return st;
}

/* SECBUFFER_APPLICATION_PROTOCOLS: the first ALPN list. */
static SECURITY_STATUS schan_alpn_list(PSecBufferDesc in, const uint8_t **list, size_t *len)
{
    SecBuffer *b = schan_find_buffer(in, SECBUFFER_APPLICATION_PROTOCOLS);
    const uint8_t *p;
    uint32_t total;

    *list = NULL;
    *len = 0;
    if (b == NULL)
        return SEC_E_OK;
    p = b->pvBuffer;
    if (b->cbBuffer < 4 || p == NULL)
        return SEC_E_INVALID_TOKEN;
    memcpy(&total, p, 4);
    if (total > b->cbBuffer - 4)
        return SEC_E_INVALID_TOKEN;
    for (size_t pos = 4; pos + 6 <= 4 + (size_t)total;) {
        uint32_t ext;
        uint16_t n;

        memcpy(&ext, p + pos, 4);
        memcpy(&n, p + pos + 4, 2);
        if (pos + 6 + n > 4 + (size_t)total)
            return SEC_E_INVALID_TOKEN;
        if (ext == SecApplicationProtocolNegotiationExt_ALPN) {
            *list = p + pos + 6;
            *len = n;
            return SEC_E_OK;
        }
        pos += 6 + (size_t)n;
    }
    return SEC_E_OK;
}

/* A new context for the first leg. */
static SECURITY_STATUS schan_first(struct schan_cred *cred, const struct schan_leg *l,
                                   const UNICODE_STRING *target, struct schan_ctx **out)
{
    const uint8_t *alpn;
    size_t alpn_len;
    struct schan_ctx *ctx;
    SECURITY_STATUS st;

    if (cred == NULL)
        return SEC_E_INVALID_HANDLE;
    if (cred->server != l->server)
        return SEC_E_NO_CREDENTIALS;
    if ((st = schan_alpn_list(l->in, &alpn, &alpn_len)) != SEC_E_OK)
        return st;
    ctx = schan_ctx_new(cred, l->server);
    if (ctx == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    ctx->req = l->req;
    if (target != NULL && target->Buffer != NULL && target->Length > 0) {
        ctx->target = sspi_utf16_to_utf8(target->Buffer, target->Length / 2, NULL);
        if (ctx->target == NULL) {
            schan_ctx_release(ctx, SCHAN_SIDE_LSA);
            return SEC_E_INVALID_PARAMETER;
        }
    }
    st = schan_session_open(ctx, alpn, alpn_len);
    if (st != SEC_E_OK) {
        schan_ctx_release(ctx, SCHAN_SIDE_LSA);
        return st;
    }
    *out = ctx;
    return SEC_E_OK;
}

static uint32_t schan_ret_flags(const struct schan_ctx *ctx)
{
    uint32_t f = ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT | ISC_RET_CONFIDENTIALITY;

    if (ctx->server)
        return f | ASC_RET_STREAM | (ctx->req & ASC_REQ_MUTUAL_AUTH ? ASC_RET_MUTUAL_AUTH : 0);
    f |= ISC_RET_STREAM;
    if (ctx->req & ISC_REQ_USE_SUPPLIED_CREDS)
        f |= ISC_RET_USED_SUPPLIED_CREDS;
    if (ctx->req & ISC_REQ_MANUAL_CRED_VALIDATION)
        f |= ISC_RET_MANUAL_CRED_VALIDATION;
    return f;
}

static NTSTATUS schan_establish(struct schan_leg *l, LSA_SEC_HANDLE cred_h, LSA_SEC_HANDLE ctx_h,
                                const UNICODE_STRING *target, PLSA_SEC_HANDLE new_h, PULONG attrs,
                                PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer cdata)
{
    struct schan_ctx *ctx = NULL;
    bool fresh = false;
    SECURITY_STATUS st;

    if (l->out == NULL || (l->out_token = schan_find_buffer(l->out, SECBUFFER_TOKEN)) == NULL)
        return SEC_E_INVALID_TOKEN;
    l->out_alert = schan_find_buffer(l->out, SECBUFFER_ALERT);
    l->token = schan_find_buffer(l->in, SECBUFFER_TOKEN);
    l->spare = schan_spare(l->in);
    l->cred = cred_h;
    if (l->server && (l->req & ASC_REQ_DELEGATE))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (l->out_alert != NULL)
        l->out_alert->cbBuffer = 0; /* only a failure fills it */
    if (ctx_h != 0) {
        ctx = schan_ctx_from_handle(ctx_h, SCHAN_SIDE_LSA);
        if (ctx == NULL || ctx->server != l->server)
            return SEC_E_INVALID_HANDLE;
        if (ctx->state == SCHAN_FAILED)
            return SEC_E_INVALID_HANDLE;
    } else {
        if ((st = schan_first(schan_cred_from_handle(cred_h), l, target, &ctx)) != SEC_E_OK)
            return st;
        fresh = true;
        if (l->server && (l->token == NULL || l->token->cbBuffer == 0)) {
            schan_ctx_release(ctx, SCHAN_SIDE_LSA);
            if (l->spare != NULL) {
                l->spare->BufferType = SECBUFFER_MISSING;
                l->spare->cbBuffer = SCHAN_HEADER;
            }
            return SEC_E_INCOMPLETE_MESSAGE;
        }
    }
    if (ctx->state == SCHAN_HANDSHAKE)
        st = schan_handshake_leg(ctx, l);
    else
        st = schan_established_leg(ctx, l);
    if (!SEC_SUCCESS(st)) {
        if (fresh)
            schan_ctx_release(ctx, SCHAN_SIDE_LSA);
        return st;
    }
    ctx->attrs = schan_ret_flags(ctx);
    *new_h = (LSA_SEC_HANDLE)ctx;
    if (attrs != NULL)
        *attrs = ctx->attrs;
    if (expiry != NULL)
        expiry->QuadPart = ctx->expiry;
    *mapped = TRUE;
    cdata->cbBuffer = 0;
    cdata->pvBuffer = NULL;
    return st;
}

NTSTATUS NTAPI schan_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    struct schan_leg l = {
        .server = false, .req = ContextRequirements, .in = InputBuffers, .out = OutputBuffers};

    return schan_establish(&l, CredentialHandle, ContextHandle, TargetName, NewContextHandle,
                           ContextAttributes, ExpirationTime, MappedContext, ContextData);
}

NTSTATUS NTAPI schan_accept_lsa_mode_context(LSA_SEC_HANDLE CredentialHandle,
                                             LSA_SEC_HANDLE ContextHandle,
                                             PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                             ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                             PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                             PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                             PSecBuffer ContextData)
{
    struct schan_leg l = {
        .server = true, .req = ContextRequirements, .in = InputBuffer, .out = OutputBuffer};

    return schan_establish(&l, CredentialHandle, ContextHandle, NULL, NewContextHandle,
                           ContextAttributes, ExpirationTime, MappedContext, ContextData);
}
