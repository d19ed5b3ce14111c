/*
 * api-message.c - the per-message entry points: MakeSignature,
 * VerifySignature, EncryptMessage and DecryptMessage.
 *
 * This is the hot path: no allocation, no lock, no registry call (a valid
 * context handle implies the registry is initialised), one relaxed load to
 * test tracing, and two atomic operations on the handle slot.  fQOP,
 * MessageSeqNo and the caller's SecBufferDesc reach the package untouched.
 *
 * Status choices for bad input:
 *   NULL, invalid, stale, deleted or wrong-kind handle   SEC_E_INVALID_HANDLE
 *   pMessage NULL, ulVersion != SECBUFFER_VERSION, cBuffers 0 or > 64,
 *   pBuffers NULL, cbBuffer > 0 with pvBuffer NULL       SEC_E_INVALID_TOKEN
 *   package without the user-mode function               SEC_E_UNSUPPORTED_FUNCTION
 * Everything else (buffer types, sizes) is the package's to check.
 */
#include <stdio.h>

#include "core/api-internal.h"

enum msg_op { OP_SIGN, OP_VERIFY, OP_SEAL, OP_UNSEAL };

static const char *const op_names[] = {"MakeSignature", "VerifySignature", "EncryptMessage",
                                       "DecryptMessage"};

static __attribute__((noinline, cold)) void trace_msg(enum msg_op op,
                                                      const struct sspi_package *pkg,
                                                      const SecHandle *h, uint32_t qop,
                                                      uint32_t seq, SECURITY_STATUS st, uint64_t t0)
{
    char text[64];

    snprintf(text, sizeof(text), "qop=0x%x seq=%u", qop, seq);
    sspi_trace_call(op_names[op], sspi_pkg_name(pkg), h, text, st, t0);
}

static inline SECURITY_STATUS check_message(const SecBufferDesc *d)
{
    if (d == NULL || d->ulVersion != SECBUFFER_VERSION || d->cBuffers - 1u >= SSPI_MAX_BUFFERS ||
        d->pBuffers == NULL)
        return SEC_E_INVALID_TOKEN;
    for (uint32_t i = 0; i < d->cBuffers; i++)
        if (d->pBuffers[i].cbBuffer != 0 && d->pBuffers[i].pvBuffer == NULL)
            return SEC_E_INVALID_TOKEN;
    return SEC_E_OK;
}

static inline __attribute__((always_inline)) SECURITY_STATUS
message_call(enum msg_op op, PCtxtHandle ph, uint32_t qop, PSecBufferDesc msg, uint32_t seq,
             uint32_t *pqop)
{
    bool tr = sspi_trace_enabled();
    uint64_t t0 = tr ? sspi_trace_now_ns() : 0;
    struct sspi_slot *slot;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    ctx = sspi_handle_acquire(ph, SSPI_HANDLE_CONTEXT, &slot);
    if (__builtin_expect(ctx == NULL, 0)) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    st = check_message(msg);
    if (__builtin_expect(st != SEC_E_OK, 0))
        goto release;
    if (__builtin_expect(pkg->shape == SSPI_SHAPE_PROVIDER, 0)) {
        switch (op) {
        case OP_SIGN: {
            MAKE_SIGNATURE_FN f = SSPI_PROV_FN(pkg, MakeSignature);
            st = f ? f(&ctx->prov, qop, msg, seq) : SEC_E_UNSUPPORTED_FUNCTION;
            break;
        }
        case OP_VERIFY: {
            VERIFY_SIGNATURE_FN f = SSPI_PROV_FN(pkg, VerifySignature);
            st = f ? f(&ctx->prov, msg, seq, pqop) : SEC_E_UNSUPPORTED_FUNCTION;
            break;
        }
        case OP_SEAL: {
            ENCRYPT_MESSAGE_FN f = SSPI_PROV_FN(pkg, EncryptMessage);
            st = f ? f(&ctx->prov, qop, msg, seq) : SEC_E_UNSUPPORTED_FUNCTION;
            break;
        }
        default: {
            DECRYPT_MESSAGE_FN f = SSPI_PROV_FN(pkg, DecryptMessage);
            st = f ? f(&ctx->prov, msg, seq, pqop) : SEC_E_UNSUPPORTED_FUNCTION;
            break;
        }
        }
        goto release;
    }
    {
        LSA_SEC_HANDLE h = atomic_load_explicit(&ctx->lsa, memory_order_relaxed);
        NTSTATUS nt;

        switch (op) {
        case OP_SIGN:
            if (__builtin_expect(pkg->user.MakeSignature == NULL, 0))
                goto unsupported;
            nt = pkg->user.MakeSignature(h, qop, msg, seq);
            break;
        case OP_VERIFY:
            if (__builtin_expect(pkg->user.VerifySignature == NULL, 0))
                goto unsupported;
            nt = pkg->user.VerifySignature(h, msg, seq, pqop);
            break;
        case OP_SEAL:
            if (__builtin_expect(pkg->user.SealMessage == NULL, 0))
                goto unsupported;
            nt = pkg->user.SealMessage(h, qop, msg, seq);
            break;
        default:
            if (__builtin_expect(pkg->user.UnsealMessage == NULL, 0))
                goto unsupported;
            nt = pkg->user.UnsealMessage(h, msg, seq, pqop);
            break;
        }
        /* Facility-9 and success values pass through without a call. */
        st =
            (nt >= 0 || ((uint32_t)nt & 0x1FFF0000u) == 0x00090000u) ? nt : sspi_status_from_nt(nt);
        goto release;
    }
unsupported:
    st = SEC_E_UNSUPPORTED_FUNCTION;
release:
    sspi_handle_release(slot);
out:
    if (__builtin_expect(tr, 0))
        trace_msg(op, pkg, ph, qop, seq, st, t0);
    return st;
}

/* MakeSignature: the package's user-mode MakeSignature on the context.
 * Statuses: see the top of this file, plus the package's. */
SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, uint32_t fQOP,
                                        PSecBufferDesc pMessage, uint32_t MessageSeqNo)
{
    return message_call(OP_SIGN, phContext, fQOP, pMessage, MessageSeqNo, NULL);
}

/* VerifySignature: the package's user-mode VerifySignature; pfQOP may be
 * NULL. */
SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                          uint32_t MessageSeqNo, uint32_t *pfQOP)
{
    return message_call(OP_VERIFY, phContext, 0, pMessage, MessageSeqNo, pfQOP);
}

/* EncryptMessage: the package's user-mode SealMessage. */
SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, uint32_t fQOP,
                                         PSecBufferDesc pMessage, uint32_t MessageSeqNo)
{
    return message_call(OP_SEAL, phContext, fQOP, pMessage, MessageSeqNo, NULL);
}

/* DecryptMessage: the package's user-mode UnsealMessage; pfQOP may be
 * NULL. */
SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                         uint32_t MessageSeqNo, uint32_t *pfQOP)
{
    return message_call(OP_UNSEAL, phContext, 0, pMessage, MessageSeqNo, pfQOP);
}
