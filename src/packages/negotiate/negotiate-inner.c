/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-inner.c - what Negotiate does with the selected sibling's
 * context: one handshake step through the host services, and the
 * mechListMIC (RFC 4178 section 5) computed and checked with that context
 * over the initiator's MechTypeList bytes as sent, through the sibling's
 * own per-message functions once its context is complete (as every later
 * message is; the services when it offers none).
 *
 * After a MIC is made or checked, the sibling restarts the key stream of
 * that direction (SECPKG_ATTR_LIBSSPI_RESET_CRYPTO: NTLM's RC4, MS-SPNG
 * 3.3.5.1); sequence numbers go on, as with gss-ntlmssp and Samba.
 * Siblings without such state answer SEC_E_UNSUPPORTED_FUNCTION, which is
 * fine.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

/* Input buffers of the caller other than the token (channel bindings,
 * target host ...) that the sibling should also see. */
#define NEGO_MAX_EXTRA_INPUT 7

/* Received mechListMICs up to this size are checked from a stack copy
 * (NTLM's are 16 bytes, Kerberos' 28 to 32). */
#define NEGO_MIC_STACK 64

static uint32_t build_input(struct nego_view in, PSecBufferDesc caller_in, SecBuffer *bufs)
{
    uint32_t n = 0;

    if (in.data != NULL)
        bufs[n++] = (SecBuffer){(ULONG)in.len, SECBUFFER_TOKEN, (void *)in.data};
    if (caller_in == NULL || caller_in->pBuffers == NULL)
        return n;
    for (ULONG i = 0; i < caller_in->cBuffers && n < NEGO_MAX_EXTRA_INPUT + 1; i++) {
        uint32_t type = pkg_buffer_type(&caller_in->pBuffers[i]);
        if (type != SECBUFFER_TOKEN && type != SECBUFFER_EMPTY)
            bufs[n++] = caller_in->pBuffers[i];
    }
    return n;
}

void nego_tok_free(struct nego_tok *t)
{
    free(t->own);
    *t = (struct nego_tok){NULL, 0, NULL};
}

/* Does output buffer `b` share memory with an input buffer?  (Windows
 * lets a caller read its input from the memory its output goes to, as
 * Negotiate's reply is built elsewhere first; then it still is.) */
static bool overlaps_input(const SecBuffer *b, PSecBufferDesc in)
{
    const uint8_t *o = b->pvBuffer;

    if (in == NULL || in->pBuffers == NULL)
        return false;
    for (ULONG i = 0; i < in->cBuffers; i++) {
        const uint8_t *p = in->pBuffers[i].pvBuffer;
        if (p != NULL && p < o + b->cbBuffer && o < p + in->pBuffers[i].cbBuffer)
            return true;
    }
    return false;
}

/* Where the sibling writes its token.  Best, straight into the caller's
 * output token buffer at `reserve` (room for what SPNEGO puts before the
 * token), when it holds that plus the sibling's cbMaxToken: the token is
 * then already where it is sent from.  Else a buffer of ours of that size.
 * Either way there is no host block to zero, copy out of and wipe; only a
 * sibling that declares no maximum is asked to allocate (ALLOCATE_MEMORY).
 * *req gets the flags to pass (the caller's ALLOCATE_MEMORY concerns only
 * Negotiate's own output); *own is set when the buffer is ours. */
static SECURITY_STATUS output_buffer(const struct nego_context *c, PSecBufferDesc caller_in,
                                     PSecBufferDesc out, size_t reserve, SecBuffer *ob, ULONG *req,
                                     uint8_t **own)
{
    uint32_t max = c->creds->mechs[c->selected].max_token;
    PSecBuffer b = pkg_buffer_find(out, SECBUFFER_TOKEN);

    *req = c->req & ~(ULONG)ISC_REQ_ALLOCATE_MEMORY; /* == ASC_REQ_ALLOCATE_MEMORY */
    *ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    *own = NULL;
    if (max == 0 || max > NEGO_CODEC_MAX) {
        *req |= ISC_REQ_ALLOCATE_MEMORY;
        return SEC_E_OK;
    }
    if (b != NULL && b->pvBuffer != NULL && reserve <= b->cbBuffer &&
        max <= b->cbBuffer - reserve && !overlaps_input(b, caller_in)) {
        *ob = (SecBuffer){max, SECBUFFER_TOKEN, (uint8_t *)b->pvBuffer + reserve};
        return SEC_E_OK;
    }
    *own = malloc(max);
    if (*own == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    *ob = (SecBuffer){max, SECBUFFER_TOKEN, *own};
    return SEC_E_OK;
}

/* The sibling's token into *tok: where it wrote it in the buffer it was
 * given (`given`, `size` bytes; `own` ours or NULL), else a copy of the
 * host block it handed back, which is released. */
static SECURITY_STATUS take_output(SecBuffer *ob, uint8_t *given, size_t size, uint8_t *own,
                                   struct nego_tok *tok)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    SECURITY_STATUS st = SEC_E_OK;

    *tok = (struct nego_tok){NULL, 0, NULL};
    if (given != NULL && ob->pvBuffer == given) {
        if (ob->cbBuffer > size)
            st = SEC_E_INTERNAL_ERROR;
        else if (ob->cbBuffer > 0)
            *tok = (struct nego_tok){given, ob->cbBuffer, own};
        if (tok->data == NULL)
            free(own);
        ob->pvBuffer = NULL;
        return st;
    }
    free(own);
    if (ob->pvBuffer != NULL && ob->cbBuffer > 0) {
        tok->own = malloc(ob->cbBuffer);
        if (tok->own == NULL) {
            st = SEC_E_INSUFFICIENT_MEMORY;
        } else {
            memcpy(tok->own, ob->pvBuffer, ob->cbBuffer);
            *tok = (struct nego_tok){tok->own, ob->cbBuffer, tok->own};
        }
    }
    if (ob->pvBuffer != NULL)
        svc->FreeBuffer(ob->pvBuffer);
    ob->pvBuffer = NULL;
    return st;
}

SECURITY_STATUS nego_inner_step(struct nego_context *c, struct nego_view in,
                                PSecBufferDesc caller_in, PSecBufferDesc out, size_t reserve,
                                struct nego_tok *tok)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    SecBuffer bufs[NEGO_MAX_EXTRA_INPUT + 1];
    SecBufferDesc desc = {SECBUFFER_VERSION, 0, bufs};
    SecBuffer ob;
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    PCredHandle cred = &c->creds->creds[c->selected];
    PCtxtHandle old = c->has_inner ? &c->inner : NULL;
    ULONG attr = 0, req;
    uint8_t *own;
    SECURITY_STATUS st;

    *tok = (struct nego_tok){NULL, 0, NULL};
    st = output_buffer(c, caller_in, out, reserve, &ob, &req, &own);
    if (st != SEC_E_OK)
        return st;
    uint8_t *given = ob.pvBuffer;
    size_t size = ob.cbBuffer;
    desc.cBuffers = build_input(in, caller_in, bufs);
    PSecBufferDesc pin = desc.cBuffers ? &desc : NULL;
    if (c->initiator)
        st = svc->InitializeSecurityContext(cred, old, c->target, req, SECURITY_NATIVE_DREP, pin,
                                            &c->inner, &od, &attr, &c->expiry);
    else
        st = svc->AcceptSecurityContext(cred, old, pin, req, SECURITY_NATIVE_DREP, &c->inner, &od,
                                        &attr, &c->expiry);
    if (SEC_SUCCESS(st))
        c->has_inner = true;
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cs = svc->CompleteAuthToken(&c->inner, &od);
        st = cs != SEC_E_OK ? cs : st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    SECURITY_STATUS ts = take_output(&ob, given, size, own, tok);
    if (SEC_SUCCESS(st) && ts != SEC_E_OK)
        st = ts;
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        nego_tok_free(tok);
        return SEC_SUCCESS(st) ? SEC_E_INTERNAL_ERROR : st;
    }
    c->inner_attr = attr & ~(uint32_t)ISC_RET_ALLOCATED_MEMORY;
    c->inner_complete = st == SEC_E_OK;
    return st;
}

void nego_inner_drop(struct nego_context *c)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();

    if (c->has_inner && svc != NULL)
        svc->DeleteSecurityContext(&c->inner);
    c->has_inner = false;
    c->inner_complete = false;
    c->inner_attr = 0;
    c->fetched = c->direct = false;
    memset(&c->msg, 0, sizeof(c->msg));
    memset(&c->inner, 0, sizeof(c->inner));
}

bool nego_inner_has_integrity(const struct nego_context *c)
{
    uint32_t bits = c->initiator ? ISC_RET_INTEGRITY | ISC_RET_CONFIDENTIALITY
                                 : ASC_RET_INTEGRITY | ASC_RET_CONFIDENTIALITY;

    return (c->inner_attr & bits) != 0;
}

bool nego_inner_wants_mic(const struct nego_context *c)
{
    SecPkgContext_KeyInfoW ki;
    bool modern;

    if (!nego_mech_is_kerberos(&c->mech) || !nego_inner_has_integrity(c))
        return false;
    memset(&ki, 0, sizeof(ki));
    if (nego_services()->QueryContextAttributes((PCtxtHandle)&c->inner, SECPKG_ATTR_KEY_INFO,
                                                &ki) != SEC_E_OK)
        return false;
    /* DES (1-3) and RC4 (23, 24) keep the optional MIC; AES and later not. */
    modern = ki.EncryptAlgorithm > 3 && ki.EncryptAlgorithm != 23 && ki.EncryptAlgorithm != 24;
    nego_services()->FreeBuffer(ki.sSignatureAlgorithmName);
    nego_services()->FreeBuffer(ki.sEncryptAlgorithmName);
    return modern;
}

/* Restart the sibling's key stream of one direction (0 out, 1 in). */
static void reset_crypto(struct nego_context *c, ULONG direction)
{
    (void)nego_services()->SetContextAttributes(&c->inner, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO,
                                                &direction, sizeof(direction));
}

SECURITY_STATUS nego_mic_make(struct nego_context *c, struct nego_out *mic)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    SecPkgContext_Sizes sizes;
    SECURITY_STATUS st;

    mic->data = NULL;
    mic->len = 0;
    st = svc->QueryContextAttributes(&c->inner, SECPKG_ATTR_SIZES, &sizes);
    if (st != SEC_E_OK)
        return st;
    if (sizes.cbMaxSignature == 0)
        return SEC_E_QOP_NOT_SUPPORTED;
    mic->data = malloc(sizes.cbMaxSignature);
    if (mic->data == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    SecBuffer b[2] = {
        {(ULONG)c->mech_types_len, SECBUFFER_DATA | SECBUFFER_READONLY, c->mech_types},
        {sizes.cbMaxSignature, SECBUFFER_TOKEN, mic->data},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (nego_message_target(c) && c->msg.MakeSignature != NULL)
        st = c->msg.MakeSignature(c->msg.Context, 0, &d, 0);
    else
        st = svc->MakeSignature(&c->inner, 0, &d, 0);
    if (st != SEC_E_OK || b[1].cbBuffer > sizes.cbMaxSignature) {
        nego_out_free(mic);
        return st != SEC_E_OK ? st : SEC_E_INTERNAL_ERROR;
    }
    mic->len = b[1].cbBuffer;
    reset_crypto(c, 0);
    return SEC_E_OK;
}

SECURITY_STATUS nego_mic_check(struct nego_context *c, struct nego_view mic)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    ULONG qop = 0;
    SECURITY_STATUS st;

    /* The sibling may work in place: give it a copy (on the stack when it
     * is a MIC's usual size). */
    uint8_t small[NEGO_MIC_STACK];
    uint8_t *copy = mic.len <= sizeof(small) ? small : malloc(mic.len);
    if (copy == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (mic.len > 0)
        memcpy(copy, mic.data, mic.len);
    SecBuffer b[2] = {
        {(ULONG)c->mech_types_len, SECBUFFER_DATA | SECBUFFER_READONLY, c->mech_types},
        {(ULONG)mic.len, SECBUFFER_TOKEN, copy},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (nego_message_target(c) && c->msg.VerifySignature != NULL)
        st = c->msg.VerifySignature(c->msg.Context, &d, 0, &qop);
    else
        st = svc->VerifySignature(&c->inner, &d, 0, &qop);
    if (copy != small)
        free(copy);
    if (st == SEC_E_INSUFFICIENT_MEMORY || st == STATUS_NO_MEMORY)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (st != SEC_E_OK)
        return SEC_E_MESSAGE_ALTERED;
    reset_crypto(c, 1);
    return SEC_E_OK;
}

SECURITY_STATUS nego_mic_exchange(struct nego_context *c, struct nego_view mic_in,
                                  bool peer_sent_last, bool may_send, struct nego_out *mic_out,
                                  bool *done)
{
    SECURITY_STATUS st;

    mic_out->data = NULL;
    mic_out->len = 0;
    *done = false;
    /* Kerberos can always make and check MICs: a peer that sent one (an
     * acceptor that wants the exchange) gets ours even if our caller did
     * not ask for integrity. */
    if (!nego_inner_has_integrity(c) && !(mic_in.data != NULL && nego_mech_is_kerberos(&c->mech))) {
        /* No integrity, no MIC (a received one cannot be checked). */
        *done = true;
        return SEC_E_OK;
    }
    if (mic_in.data != NULL) {
        if (c->mic_received)
            return SEC_E_INVALID_TOKEN;
        st = nego_mic_check(c, mic_in);
        if (st != SEC_E_OK)
            return st;
        c->mic_received = true;
        c->mic_required = true; /* a MIC received must be answered */
    } else if (c->mic_required && peer_sent_last && !c->mic_received) {
        return SEC_E_INVALID_TOKEN;
    }
    if (!may_send) {
        *done = !c->mic_required || c->mic_received;
        return SEC_E_OK;
    }
    if (c->mic_required && !c->mic_sent) {
        st = nego_mic_make(c, mic_out);
        if (st != SEC_E_OK)
            return st;
        c->mic_sent = true;
    }
    *done = !c->mic_required || (c->mic_sent && c->mic_received);
    return SEC_E_OK;
}

SECURITY_STATUS nego_emit_tok(PSecBufferDesc out, ULONG req, struct nego_tok *tok)
{
    uint8_t *room;
    SECURITY_STATUS st = pkg_output_space(out, req, tok->len, &room);

    if (st == SEC_E_OK && tok->len > 0 && room != tok->data)
        memmove(room, tok->data, tok->len);
    nego_tok_free(tok);
    return st;
}

SECURITY_STATUS nego_emit_resp(PSecBufferDesc out, ULONG req, const struct nego_resp_spec *r)
{
    size_t len = nego_resp_size(r);
    uint8_t *room;
    SECURITY_STATUS st;

    if (len == 0)
        return SEC_E_INVALID_PARAMETER;
    st = pkg_output_space(out, req, len, &room);
    if (st == SEC_E_OK)
        nego_resp_write(r, room);
    return st;
}

SECURITY_STATUS nego_emit_init(PSecBufferDesc out, ULONG req, const struct nego_init_spec *spec,
                               struct nego_view *mech_types)
{
    size_t len = nego_init_size(spec);
    uint8_t *room;
    SECURITY_STATUS st;

    if (len == 0)
        return SEC_E_INVALID_PARAMETER;
    st = pkg_output_space(out, req, len, &room);
    if (st == SEC_E_OK)
        nego_init_write(spec, room, mech_types);
    return st;
}

SECURITY_STATUS nego_raw_step(struct nego_context *c, struct nego_view in_tok, PSecBufferDesc in,
                              PSecBufferDesc out)
{
    struct nego_tok tok;
    SECURITY_STATUS st = nego_inner_step(c, in_tok, in, out, 0, &tok);

    if (!SEC_SUCCESS(st))
        return st;
    c->phase = st == SEC_E_OK ? NEGO_PHASE_DONE : NEGO_PHASE_MECH;
    SECURITY_STATUS es = SEC_E_OK;
    if (tok.len > 0) {
        es = nego_emit_tok(out, c->req, &tok);
    } else {
        nego_tok_free(&tok);
        pkg_output_none(out);
    }
    if (es != SEC_E_OK)
        return es;
    if (st == SEC_E_OK)
        nego_context_complete(c);
    return st;
}
