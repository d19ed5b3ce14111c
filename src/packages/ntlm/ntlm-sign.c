/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-sign.c - MakeSignature, VerifySignature, EncryptMessage and
 * DecryptMessage for NTLM contexts (MS-NLMP 3.4).
 *
 * Buffers are found by type, so both [DATA][TOKEN] and
 * [TOKEN][DATA][PADDING] layouts work.  Every SECBUFFER_DATA buffer is
 * covered by the signature; buffers flagged SECBUFFER_READONLY or
 * SECBUFFER_READONLY_WITH_CHECKSUM are signed but never encrypted.
 *
 * Concurrency: each direction has its own mutex, held while its sequence
 * number and RC4 state advance (connection mode), so messages leave in
 * sequence-number order.  Datagram mode (NTLMSSP_NEGOTIATE_DATAGRAM) uses
 * the caller's MessageSeqNo and a per-message RC4 state on the stack, with
 * no lock.  Nothing on these paths allocates memory.
 *
 * Without SIGN or SEAL negotiated but with ALWAYS_SIGN (a caller that asked
 * for neither integrity nor confidentiality), MakeSignature gives the
 * placeholder signature of MS-NLMP 3.4.4 (version 1, then 12 zero bytes)
 * and VerifySignature accepts exactly that, as Windows does.
 *
 * Statuses: the kit's bad-descriptor answers (pkg-buffers.h); no
 * SECBUFFER_TOKEN, or a signature whose version is not 1 ->
 * SEC_E_INVALID_TOKEN; a TOKEN smaller than 16 bytes ->
 * SEC_E_BUFFER_TOO_SMALL (as Wine's msv1_0 answers, in all four calls); a
 * signature whose sequence number is not the expected one ->
 * SEC_E_OUT_OF_SEQUENCE (the state does not advance, MS-NLMP 3.4.4);
 * any other mismatch -> SEC_E_MESSAGE_ALTERED (the state does not advance
 * and the data buffers are given back as received); MakeSignature with no
 * signing service at all -> SEC_E_QOP_NOT_SUPPORTED.
 */
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

/* A message as the signing code sees it. */
struct layout {
    const struct pkg_message *m;
    PSecBuffer token;
    size_t niov, nenc;
    struct ntlm_iov iov[PKG_MAX_DATA];
    SecBuffer *enc[PKG_MAX_DATA];
};

/* The context of a message call, unless it was exported with
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD. */
static struct ntlm_context *live_context(const struct pkg_message_call *call)
{
    struct ntlm_context *c = call->context;

    if (atomic_load_explicit(&c->retired, memory_order_relaxed))
        return NULL;
    return c;
}

/* The DATA buffers (all signed, the writable ones sealed) and a TOKEN of
 * at least a signature's size. */
static SECURITY_STATUS get_layout(const struct pkg_message *m, struct layout *l)
{
    l->m = m;
    l->niov = l->nenc = 0;
    for (uint32_t i = 0; i < m->ndata; i++) {
        SecBuffer *b = m->data[i];

        l->iov[l->niov].data = b->pvBuffer;
        l->iov[l->niov].len = b->cbBuffer;
        l->niov++;
        if (!pkg_buffer_readonly(b))
            l->enc[l->nenc++] = b;
    }
    return pkg_message_token(m, NTLM_SIGNATURE_SIZE, SEC_E_BUFFER_TOO_SMALL, &l->token);
}

/* Neither SIGN nor SEAL: only the ALWAYS_SIGN placeholder is available. */
static bool placeholder_only(const struct ntlm_context *c)
{
    return !(c->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL));
}

/* Write (`make`) or check the placeholder signature. */
static SECURITY_STATUS placeholder(const struct ntlm_context *c, const struct layout *l, bool make)
{
    static const uint8_t sig[NTLM_SIGNATURE_SIZE] = {1, 0, 0, 0};

    if (!(c->flags & NTLMSSP_NEGOTIATE_ALWAYS_SIGN))
        return make ? SEC_E_QOP_NOT_SUPPORTED : SEC_E_MESSAGE_ALTERED;
    if (!make)
        return memcmp(l->token->pvBuffer, sig, sizeof(sig)) == 0 ? SEC_E_OK : SEC_E_MESSAGE_ALTERED;
    memcpy(l->token->pvBuffer, sig, sizeof(sig));
    l->token->cbBuffer = sizeof(sig);
    return SEC_E_OK;
}

static void crypt_buffers(const struct layout *l, crypto_rc4 *rc4)
{
    for (size_t i = 0; i < l->nenc; i++)
        if (l->enc[i]->cbBuffer)
            crypto_rc4_crypt(rc4, l->enc[i]->cbBuffer, l->enc[i]->pvBuffer, l->enc[i]->pvBuffer);
}

/* Receive direction's RC4 state and lock (shared with send without ESS). */
static struct ntlm_dir *recv_state(struct ntlm_context *c)
{
    return c->shared_rc4 ? &c->send : &c->recv;
}

/* Produce a signature (and encrypt when `seal`). */
static NTSTATUS protect(const struct pkg_message_call *call, bool seal, bool need_data)
{
    struct ntlm_context *c = live_context(call);
    ULONG seqno = call->seqno;
    struct layout l;
    uint8_t raw[8], sig[16];
    SECURITY_STATUS st;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    st = get_layout(&call->m, &l);
    if (st != SEC_E_OK)
        return st;
    if (need_data && l.niov == 0)
        return SEC_E_INVALID_TOKEN;
    if (!seal && !need_data && placeholder_only(c))
        return placeholder(c, &l, true);
    if (c->datagram) {
        crypto_rc4 rc4;
        ntlm_datagram_rc4(c->flags, &c->send.k, seqno, &rc4);
        ntlm_sign_raw(c->flags, &c->send.k.sign, seqno, l.iov, l.niov, raw);
        if (seal)
            crypt_buffers(&l, &rc4);
        ntlm_sign_finish(c->flags, &rc4, seqno, raw, sig);
        crypto_wipe(&rc4, sizeof(rc4));
    } else {
        struct ntlm_dir *d = &c->send;
        uint32_t seq;

        pthread_mutex_lock(&d->lock);
        seq = d->seq++;
        ntlm_sign_raw(c->flags, &d->k.sign, seq, l.iov, l.niov, raw);
        if (seal)
            crypt_buffers(&l, d->live);
        ntlm_sign_finish(c->flags, d->live, seq, raw, sig);
        pthread_mutex_unlock(&d->lock);
    }
    memcpy(l.token->pvBuffer, sig, NTLM_SIGNATURE_SIZE);
    l.token->cbBuffer = NTLM_SIGNATURE_SIZE;
    if (l.m->padding)
        l.m->padding->cbBuffer = 0;
    return STATUS_SUCCESS;
}

/* Compare a computed signature with the received one: 0 match,
 * 1 sequence number differs, 2 checksum differs. */
static int compare_sig(uint32_t flags, const uint8_t *calc, const uint8_t *got)
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        return crypto_memeq(calc + 4, got + 4, 12) ? 0 : 2;
    if (!crypto_memeq(calc + 12, got + 12, 4))
        return 1;
    return crypto_memeq(calc + 8, got + 8, 4) ? 0 : 2;
}

/* Check a signature (after decrypting when `sealed`).  When a sealed
 * message does not verify, it is also tried as a sign-only message
 * (EncryptMessage with SECQOP_WRAP_NO_ENCRYPT), and *qop says which. */
static NTSTATUS unprotect(const struct pkg_message_call *call, bool sealed)
{
    struct ntlm_context *c = live_context(call);
    ULONG seqno = call->seqno;
    PULONG qop = call->qop_out;
    struct layout l;
    uint8_t raw[8], calc[16], got[16];
    crypto_rc4 dgram[2];
    crypto_rc4 *state, *work; /* state stays untouched until the message verifies */
    struct ntlm_dir *d;
    uint32_t seq;
    SECURITY_STATUS st;
    int r1, r2 = 2;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    st = get_layout(&call->m, &l);
    if (st != SEC_E_OK)
        return st;
    if (sealed && l.niov == 0)
        return SEC_E_INVALID_TOKEN;
    if (!sealed && placeholder_only(c)) {
        st = placeholder(c, &l, false);
        if (st == SEC_E_OK && qop)
            *qop = 0;
        return st;
    }
    memcpy(got, l.token->pvBuffer, 16);
    if (pkg_get_le32(got) != 1)
        return SEC_E_INVALID_TOKEN;
    d = recv_state(c);
    if (c->datagram) {
        seq = seqno;
        ntlm_datagram_rc4(c->flags, &c->recv.k, seq, &dgram[0]);
        state = &dgram[0];
        work = &dgram[1];
    } else {
        pthread_mutex_lock(&d->lock);
        seq = c->recv.seq;
        state = d->live;
        work = state == &d->k.rc4 ? &d->alt : &d->k.rc4;
    }
    if ((c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) && pkg_get_le32(got + 12) != seq) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto out;
    }
    *work = *state;
    if (sealed)
        crypt_buffers(&l, work);
    ntlm_sign_raw(c->flags, &c->recv.k.sign, seq, l.iov, l.niov, raw);
    ntlm_sign_finish(c->flags, work, seq, raw, calc);
    r1 = compare_sig(c->flags, calc, got);
    if (r1 == 0) {
        if (qop)
            *qop = 0;
    } else if (sealed) {
        *work = *state;
        crypt_buffers(&l, work); /* give the ciphertext back */
        *work = *state;
        ntlm_sign_raw(c->flags, &c->recv.k.sign, seq, l.iov, l.niov, raw);
        ntlm_sign_finish(c->flags, work, seq, raw, calc);
        r2 = compare_sig(c->flags, calc, got);
        if (r2 == 0 && qop)
            *qop = SECQOP_WRAP_NO_ENCRYPT;
    }
    if (r1 != 0 && r2 != 0) {
        st = (r1 == 1 && (!sealed || r2 == 1)) ? SEC_E_OUT_OF_SEQUENCE : SEC_E_MESSAGE_ALTERED;
        goto out;
    }
    if (!c->datagram) {
        d->live = work; /* the tried state becomes current */
        c->recv.seq++;
    }
    st = STATUS_SUCCESS;
out:
    if (!c->datagram)
        pthread_mutex_unlock(&d->lock);
    else
        crypto_wipe(dgram, sizeof(dgram));
    return st;
}

/* MakeSignature: QualityOfProtection is ignored; MessageSequenceNumber
 * is used only in datagram mode.  Statuses as described at the top. */
static NTSTATUS ntlm_make_signature(struct pkg_message_call *call)
{
    return protect(call, false, false);
}

/* VerifySignature: *QualityOfProtection (optional) is set to 0. */
static NTSTATUS ntlm_verify_signature(struct pkg_message_call *call)
{
    return unprotect(call, false);
}

/* EncryptMessage: QualityOfProtection 0 (encrypt and sign) or
 * SECQOP_WRAP_NO_ENCRYPT (sign only); others -> SEC_E_QOP_NOT_SUPPORTED.
 * At least one SECBUFFER_DATA is required (SEC_E_INVALID_TOKEN). */
static NTSTATUS ntlm_seal_message(struct pkg_message_call *call)
{
    if (call->qop != 0 && call->qop != SECQOP_WRAP_NO_ENCRYPT)
        return SEC_E_QOP_NOT_SUPPORTED;
    return protect(call, call->qop == 0, true);
}

/* DecryptMessage: decrypts the DATA buffers in place; *QualityOfProtection
 * (optional) is SECQOP_WRAP_NO_ENCRYPT for a sign-only message, else 0. */
static NTSTATUS ntlm_unseal_message(struct pkg_message_call *call)
{
    return unprotect(call, true);
}

/* Run by the kit (pkg-calls.h), which finds the context and the buffers. */
const struct pkg_message_ops ntlm_message_ops = {
    .sign = ntlm_make_signature,
    .verify = ntlm_verify_signature,
    .seal = ntlm_seal_message,
    .unseal = ntlm_unseal_message,
};

/* Restart one direction's RC4 sealing key stream: the state as keyed. */
static void reset_rc4(struct ntlm_dir *d)
{
    pthread_mutex_lock(&d->lock);
    d->k.rc4 = d->k.rc4_keyed;
    d->live = &d->k.rc4;
    pthread_mutex_unlock(&d->lock);
}

/*
 * SpSetContextAttributes.  SECPKG_ATTR_LIBSSPI_RESET_CRYPTO (Buffer: a
 * ULONG, 0 = outbound, 1 = inbound; BufferSize 4) restarts that
 * direction's RC4 sealing state at the beginning of its key stream, as
 * SPNEGO requires after a mechListMIC; sequence numbers are not touched.
 * Without extended session security both directions share one state,
 * which is reset whichever is named; when neither SIGN nor SEAL was
 * negotiated, and in datagram mode (a fresh state per message), there is
 * nothing to reset and the call succeeds.  Statuses: SEC_E_INVALID_HANDLE
 * (not ours, or the handshake is not complete), SEC_E_INVALID_PARAMETER
 * (no buffer, a size other than 4, a direction other than 0 or 1),
 * SEC_E_UNSUPPORTED_FUNCTION for other attributes.
 */
NTSTATUS NTAPI ntlm_sp_set_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                              PVOID Buffer, ULONG BufferSize)
{
    struct ntlm_context *c = ntlm_context_from_handle(ContextHandle, 0);
    ULONG direction;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (ContextAttribute != SECPKG_ATTR_LIBSSPI_RESET_CRYPTO)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!Buffer || BufferSize != sizeof(ULONG))
        return SEC_E_INVALID_PARAMETER;
    memcpy(&direction, Buffer, sizeof(direction));
    if (direction > 1)
        return SEC_E_INVALID_PARAMETER;
    if (!pkg_object_alive(c, PKG_SIDE_USER) || atomic_load(&c->retired))
        return SEC_E_INVALID_HANDLE;
    if (placeholder_only(c) || c->datagram)
        return SEC_E_OK;
    if (c->shared_rc4 || direction == 0)
        reset_rc4(&c->send);
    else
        reset_rc4(&c->recv);
    return SEC_E_OK;
}
