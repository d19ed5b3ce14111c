/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-message.c - the per-message entry points: MakeSignature,
 * VerifySignature, EncryptMessage and DecryptMessage.
 *
 * This is the hot path: no allocation, no lock, no atomic read-modify-write,
 * no registry call (a valid context handle implies the registry is
 * initialised), one relaxed load to test tracing, the handle lookup, and
 * one indirect call: the context's
 * message target (dispatch.h), which is the package's own user-mode
 * function for SSP/AP packages and a thunk onto the provider's table for
 * provider packages, so no shape is tested here.  The handle lookup
 * (sspi_handle_enter) writes only the calling thread's own hazard record,
 * never a line another thread's lookup writes, so threads sharing a
 * context scale.  fQOP, MessageSeqNo and the caller's SecBufferDesc reach
 * the package untouched.
 *
 * Status choices for bad input:
 *   NULL, invalid, stale, deleted or wrong-kind handle   SEC_E_INVALID_HANDLE
 *   pMessage NULL, ulVersion != SECBUFFER_VERSION, cBuffers 0 or > 64,
 *   pBuffers NULL, cbBuffer > 0 with pvBuffer NULL       SEC_E_INVALID_TOKEN
 *   package without the user-mode function               SEC_E_UNSUPPORTED_FUNCTION
 * Everything else (buffer types, sizes) is the package's to check.
 */
#include <stdio.h>

#include "core/dispatch.h"

static const char *const op_names[] = {"MakeSignature", "VerifySignature", "EncryptMessage",
                                       "DecryptMessage"};

static __attribute__((noinline, cold)) void trace_msg(enum sspi_msg_op op,
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
message_call(enum sspi_msg_op op, PCtxtHandle ph, uint32_t qop, PSecBufferDesc msg, uint32_t seq,
             uint32_t *pqop)
{
    bool tr = sspi_trace_enabled();
    uint64_t t0 = tr ? sspi_trace_now_ns() : 0;
    struct sspi_guard guard;
    struct sspi_context *ctx;
    struct sspi_package *pkg = NULL;
    LSA_SEC_HANDLE h;
    SECURITY_STATUS st;
    NTSTATUS nt;

    ctx = sspi_handle_enter(ph, SSPI_HANDLE_CONTEXT, &guard);
    if (__builtin_expect(ctx == NULL, 0)) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = ctx->pkg;
    st = check_message(msg);
    if (__builtin_expect(st != SEC_E_OK, 0))
        goto release;
    h = atomic_load_explicit(&ctx->lsa, memory_order_relaxed);
    switch (op) {
    case SSPI_MSG_SIGN:
        if (__builtin_expect(pkg->msg.MakeSignature == NULL, 0))
            goto unsupported;
        nt = pkg->msg.MakeSignature(h, qop, msg, seq);
        break;
    case SSPI_MSG_VERIFY:
        if (__builtin_expect(pkg->msg.VerifySignature == NULL, 0))
            goto unsupported;
        nt = pkg->msg.VerifySignature(h, msg, seq, pqop);
        break;
    case SSPI_MSG_SEAL:
        if (__builtin_expect(pkg->msg.SealMessage == NULL, 0))
            goto unsupported;
        nt = pkg->msg.SealMessage(h, qop, msg, seq);
        break;
    default:
        if (__builtin_expect(pkg->msg.UnsealMessage == NULL, 0))
            goto unsupported;
        nt = pkg->msg.UnsealMessage(h, msg, seq, pqop);
        break;
    }
    /* Facility-9 and success values pass through without a call. */
    st = (nt >= 0 || ((uint32_t)nt & 0x1FFF0000u) == 0x00090000u) ? nt : sspi_status_from_nt(nt);
    goto release;
unsupported:
    st = SEC_E_UNSUPPORTED_FUNCTION;
release:
    sspi_handle_leave(&guard);
out:
    if (__builtin_expect(tr, 0))
        trace_msg(op, pkg, ph, qop, seq, st, t0);
    return st;
}

/* See api-internal.h (the host services' entry to the same path). */
SECURITY_STATUS sspi_api_message(enum sspi_msg_op op, PCtxtHandle ph, uint32_t qop,
                                 PSecBufferDesc msg, uint32_t seq, uint32_t *pqop)
{
    return message_call(op, ph, qop, msg, seq, pqop);
}

/* MakeSignature: the package's user-mode MakeSignature on the context.
 * Statuses: see the top of this file, plus the package's. */
SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, uint32_t fQOP,
                                        PSecBufferDesc pMessage, uint32_t MessageSeqNo)
{
    return message_call(SSPI_MSG_SIGN, phContext, fQOP, pMessage, MessageSeqNo, NULL);
}

/* VerifySignature: the package's user-mode VerifySignature; pfQOP may be
 * NULL. */
SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                          uint32_t MessageSeqNo, uint32_t *pfQOP)
{
    return message_call(SSPI_MSG_VERIFY, phContext, 0, pMessage, MessageSeqNo, pfQOP);
}

/* EncryptMessage: the package's user-mode SealMessage. */
SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, uint32_t fQOP,
                                         PSecBufferDesc pMessage, uint32_t MessageSeqNo)
{
    return message_call(SSPI_MSG_SEAL, phContext, fQOP, pMessage, MessageSeqNo, NULL);
}

/* DecryptMessage: the package's user-mode UnsealMessage; pfQOP may be
 * NULL. */
SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                         uint32_t MessageSeqNo, uint32_t *pfQOP)
{
    return message_call(SSPI_MSG_UNSEAL, phContext, 0, pMessage, MessageSeqNo, pfQOP);
}
