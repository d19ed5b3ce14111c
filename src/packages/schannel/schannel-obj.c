/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-obj.c - the context objects behind the LSA_SEC_HANDLEs.
 *
 * A context handle is the address of a struct schan_ctx holding both
 * halves: the handshake (LSA mode) and the per-message calls (user mode)
 * share one GnuTLS session, since both run in the caller's process.  The
 * memory goes when both halves are released.  ContextData is empty: there
 * is nothing to carry between the halves.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packages/schannel/schannel-pkg.h"

struct schan_ctx *schan_ctx_new(struct schan_cred *cred, bool server)
{
    struct schan_ctx *ctx = aligned_alloc(64, sizeof(*ctx));

    if (ctx == NULL)
        return NULL;
    memset(ctx, 0, sizeof(*ctx));
    ctx->magic = SCHAN_CTX_MAGIC;
    atomic_init(&ctx->sides, SCHAN_SIDE_LSA);
    ctx->server = server;
    ctx->state = SCHAN_HANDSHAKE;
    ctx->expiry = SCHAN_NEVER;
    ctx->cred = cred;
    schan_cred_ref(cred);
    return ctx;
}

struct schan_ctx *schan_ctx_from_handle(LSA_SEC_HANDLE h, uint32_t side)
{
    struct schan_ctx *ctx = (struct schan_ctx *)h;

    if (ctx == NULL || ctx->magic != SCHAN_CTX_MAGIC)
        return NULL;
    if ((atomic_load_explicit(&ctx->sides, memory_order_acquire) & side) == 0)
        return NULL;
    return ctx;
}

bool schan_ctx_release(struct schan_ctx *ctx, uint32_t side)
{
    uint32_t before = atomic_fetch_and(&ctx->sides, ~side);

    if ((before & side) == 0)
        return false;
    if ((before & ~side) != 0)
        return true;
    schan_fiber_abort(ctx); /* a step parked for a certificate ends first */
    schan_record_clear(ctx);
    if (ctx->session != NULL)
        gnutls_deinit(ctx->session);
    free(ctx->out.buf);
    free(ctx->parked_in);
    free(ctx->target);
    if (ctx->cert_cred != NULL)
        schan_cred_unref(ctx->cert_cred);
    schan_cred_unref(ctx->cred);
    explicit_bzero(ctx, sizeof(*ctx));
    free(ctx);
    return true;
}

NTSTATUS NTAPI schan_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(ContextHandle, SCHAN_SIDE_LSA);

    if (ctx == NULL || !schan_ctx_release(ctx, SCHAN_SIDE_LSA))
        return STATUS_INVALID_HANDLE;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI schan_init_user_mode_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(ContextHandle, SCHAN_SIDE_LSA);

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    atomic_fetch_or(&ctx->sides, SCHAN_SIDE_USER);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI schan_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle)
{
    struct schan_ctx *ctx = schan_ctx_from_handle(ContextHandle, SCHAN_SIDE_USER);

    if (ctx == NULL || !schan_ctx_release(ctx, SCHAN_SIDE_USER))
        return STATUS_INVALID_HANDLE;
    return STATUS_SUCCESS;
}

/* Contexts are not exported (a TLS session does not leave its GnuTLS
 * session), so no blob is a packed Schannel context. */
NTSTATUS NTAPI schan_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                    PLSA_SEC_HANDLE phContext)
{
    return SEC_E_INVALID_TOKEN;
}
