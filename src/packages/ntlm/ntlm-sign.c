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
 * Statuses: no SECBUFFER_TOKEN, or a signature whose version is not 1 ->
 * SEC_E_INVALID_TOKEN; a TOKEN smaller than 16 bytes ->
 * SEC_E_BUFFER_TOO_SMALL (as Wine's msv1_0 answers, in all four calls); a
 * signature whose sequence number is not the expected one ->
 * SEC_E_OUT_OF_SEQUENCE (the state does not advance, MS-NLMP 3.4.4);
 * any other mismatch -> SEC_E_MESSAGE_ALTERED (the state does not advance
 * and the data buffers are given back as received).
 */
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

#define NTLM_MAX_IOV 64

struct layout {
    SecBuffer *token;
    SecBuffer *padding;
    size_t niov, nenc;
    struct ntlm_iov iov[NTLM_MAX_IOV];
    SecBuffer *enc[NTLM_MAX_IOV];
};

static struct ntlm_context *live_context(LSA_SEC_HANDLE h)
{
    struct ntlm_context *c = ntlm_context_from_handle(h);

    if (!c || !atomic_load_explicit(&c->keyed, memory_order_acquire) ||
        atomic_load_explicit(&c->retired, memory_order_relaxed))
        return NULL;
    return c;
}

static SECURITY_STATUS get_layout(PSecBufferDesc m, struct layout *l)
{
    l->token = l->padding = NULL;
    l->niov = l->nenc = 0;
    if (!m || !m->pBuffers || m->cBuffers == 0)
        return SEC_E_INVALID_TOKEN;
    for (uint32_t i = 0; i < m->cBuffers; i++) {
        SecBuffer *b = &m->pBuffers[i];
        uint32_t type = b->BufferType & ~SECBUFFER_ATTRMASK;

        if (type == SECBUFFER_TOKEN && !l->token) {
            l->token = b;
        } else if (type == SECBUFFER_PADDING && !l->padding) {
            l->padding = b;
        } else if (type == SECBUFFER_DATA) {
            if (l->niov == NTLM_MAX_IOV || (b->cbBuffer && !b->pvBuffer))
                return SEC_E_INVALID_TOKEN;
            l->iov[l->niov].data = b->pvBuffer;
            l->iov[l->niov].len = b->cbBuffer;
            l->niov++;
            if (!(b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)))
                l->enc[l->nenc++] = b;
        }
    }
    if (!l->token)
        return SEC_E_INVALID_TOKEN;
    return SEC_E_OK;
}

static void crypt_buffers(const struct layout *l, crypto_rc4 *rc4)
{
    for (size_t i = 0; i < l->nenc; i++)
        if (l->enc[i]->cbBuffer)
            crypto_rc4_crypt(rc4, l->enc[i]->cbBuffer, l->enc[i]->pvBuffer,
                             l->enc[i]->pvBuffer);
}

/* Receive direction's RC4 state and lock (shared with send without ESS). */
static struct ntlm_dir *recv_state(struct ntlm_context *c)
{
    return c->shared_rc4 ? &c->send : &c->recv;
}

/* Produce a signature (and encrypt when `seal`). */
static NTSTATUS protect(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seqno, bool seal,
                        bool need_data)
{
    struct ntlm_context *c = live_context(h);
    struct layout l;
    uint8_t raw[8], sig[16];
    SECURITY_STATUS st;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    st = get_layout(m, &l);
    if (st != SEC_E_OK)
        return st;
    if (need_data && l.niov == 0)
        return SEC_E_INVALID_TOKEN;
    if (!l.token->pvBuffer || l.token->cbBuffer < NTLM_SIGNATURE_SIZE)
        return SEC_E_BUFFER_TOO_SMALL;
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
    if (l.padding)
        l.padding->cbBuffer = 0;
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
static NTSTATUS unprotect(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seqno, bool sealed,
                          PULONG qop)
{
    struct ntlm_context *c = live_context(h);
    struct layout l;
    uint8_t raw[8], calc[16], got[16];
    crypto_rc4 dgram[2];
    crypto_rc4 *state, *work;    /* state stays untouched until the message verifies */
    struct ntlm_dir *d;
    uint32_t seq;
    SECURITY_STATUS st;
    int r1, r2 = 2;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    st = get_layout(m, &l);
    if (st != SEC_E_OK)
        return st;
    if (!l.token->pvBuffer || l.token->cbBuffer < NTLM_SIGNATURE_SIZE)
        return SEC_E_BUFFER_TOO_SMALL;
    if (sealed && l.niov == 0)
        return SEC_E_INVALID_TOKEN;
    memcpy(got, l.token->pvBuffer, 16);
    if (ntlm_get32(got) != 1)
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
    if ((c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) && ntlm_get32(got + 12) != seq) {
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
        crypt_buffers(&l, work);           /* give the ciphertext back */
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
        d->live = work;                    /* the tried state becomes current */
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

/* SpMakeSignature: QualityOfProtection is ignored; MessageSequenceNumber
 * is used only in datagram mode.  Statuses as described at the top. */
NTSTATUS NTAPI ntlm_sp_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                      PSecBufferDesc MessageBuffers,
                                      ULONG MessageSequenceNumber)
{
    (void)QualityOfProtection;
    return protect(ContextHandle, MessageBuffers, MessageSequenceNumber, false, false);
}

/* SpVerifySignature: *QualityOfProtection (optional) is set to 0. */
NTSTATUS NTAPI ntlm_sp_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                        PSecBufferDesc MessageBuffers,
                                        ULONG MessageSequenceNumber,
                                        PULONG QualityOfProtection)
{
    return unprotect(ContextHandle, MessageBuffers, MessageSequenceNumber, false,
                     QualityOfProtection);
}

/* SpSealMessage: QualityOfProtection 0 (encrypt and sign) or
 * SECQOP_WRAP_NO_ENCRYPT (sign only); others -> SEC_E_QOP_NOT_SUPPORTED.
 * At least one SECBUFFER_DATA is required (SEC_E_INVALID_TOKEN). */
NTSTATUS NTAPI ntlm_sp_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                    PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    if (QualityOfProtection != 0 && QualityOfProtection != SECQOP_WRAP_NO_ENCRYPT)
        return SEC_E_QOP_NOT_SUPPORTED;
    return protect(ContextHandle, MessageBuffers, MessageSequenceNumber,
                   QualityOfProtection == 0, true);
}

/* SpUnsealMessage: decrypts the DATA buffers in place; *QualityOfProtection
 * (optional) is SECQOP_WRAP_NO_ENCRYPT for a sign-only message, else 0. */
NTSTATUS NTAPI ntlm_sp_unseal_message(LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc MessageBuffers,
                                      ULONG MessageSequenceNumber,
                                      PULONG QualityOfProtection)
{
    return unprotect(ContextHandle, MessageBuffers, MessageSequenceNumber, true,
                     QualityOfProtection);
}
