/*
 * sample-context.c - Sample context objects, option.lifetime, and the
 * context attributes.
 *
 * A context LSA_SEC_HANDLE is a kit object (pkg-handle.h) holding both
 * halves.  The LSA half is born in SpInit/AcceptLsaModeContext and
 * released by SpDeleteContext; the user half is attached by
 * SpInitUserModeContext (or born alone in SpImportSecurityContext) and
 * released by SpDeleteUserModeContext.  The kit frees the memory, wiped,
 * when both halves are gone.
 */
#include "packages/sample/sample.h"

const struct pkg_class sample_context_class = {
    .magic = 0x53435458u, /* "SCTX" */
    .size = sizeof(struct sample_context),
};

/* ---- option.* ------------------------------------------------------------
 *   option.lifetime = DURATION   context lifetime ("3600", "8h", "1d";
 *                                0 or absent: never expires; at most ten
 *                                years)
 */
struct sample_settings {
    uint32_t lifetime; /* seconds */
};

static const struct sample_settings sample_defaults = {.lifetime = 0};
static const struct pkg_option_def sample_option_defs[] = {
    PKG_OPTION_SECONDS("lifetime", struct sample_settings, lifetime, 0, 10u * 366 * 24 * 3600),
};
PKG_OPTIONS(sample_options, struct sample_settings, sample_option_defs, &sample_defaults);

struct sample_context *sample_context_new(bool server)
{
    struct sample_context *ctx = pkg_object_new(&sample_context_class, PKG_SIDE_LSA);
    struct sample_settings s;

    if (ctx == NULL || !pkg_options_get(&sample_options, &s)) {
        pkg_object_discard(ctx);
        return NULL;
    }
    ctx->server = server;
    ctx->start = pkg_filetime_now();
    ctx->expiry = pkg_filetime_after(ctx->start, s.lifetime);
    pkg_options_release(&sample_options, &s);
    return ctx;
}

/*
 * SpDeleteContext.  Releases the LSA half (the user half, if any, lives on
 * until SpDeleteUserModeContext).  STATUS_INVALID_HANDLE if the handle is
 * not a context of ours or its LSA half is already gone.
 */
NTSTATUS NTAPI sample_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_delete_side(&sample_context_class, ContextHandle, PKG_SIDE_LSA);
}

/*
 * SpDeleteUserModeContext.  Releases the user-mode half.  A context of
 * ours that never got a user half (an unfinished handshake) is fine:
 * STATUS_SUCCESS.  STATUS_INVALID_HANDLE if the handle is not ours.
 */
NTSTATUS NTAPI sample_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_delete_side(&sample_context_class, ContextHandle, PKG_SIDE_USER);
}

/* The attributes every half can answer, from the fields they share. */
static struct pkg_attr_data sample_attr_data(uint32_t attributes, int64_t start, int64_t expiry,
                                             const struct sample_name *user,
                                             const struct sample_name *domain)
{
    return (struct pkg_attr_data){
        .pkg = &sample_package,
        .max_signature = SAMPLE_TRAILER_SIZE,
        .block_size = 0, /* GCM needs no padding */
        .security_trailer = SAMPLE_TRAILER_SIZE,
        .flags = attributes,
        .start = start,
        .expiry = expiry,
        .user = {user->len > 0 ? user->s : NULL, user->len},
        .domain = {domain->s, domain->len},
    };
}

/*
 * SpQueryContextAttributes, LSA-mode table: what can be answered before
 * the handshake completes (SIZES, NAMES once the user is known,
 * PACKAGE_INFO, NEGOTIATION_INFO, FLAGS, LIFESPAN), from AllocateLsaHeap.
 * SESSION_KEY is SEC_E_INVALID_HANDLE here: the keys live in the user-mode
 * half.  Unknown attributes: SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_lsa_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                   ULONG ContextAttribute, PVOID Buffer)
{
    struct sample_context *ctx =
        pkg_object_from_handle(&sample_context_class, ContextHandle, PKG_SIDE_LSA);
    struct pkg_attr_data d;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    d = sample_attr_data(ctx->attributes, ctx->start, ctx->expiry, &ctx->user, &ctx->domain);
    d.complete = ctx->state == SAMPLE_COMPLETE;
    return pkg_attr_query(&d, ContextAttribute, Buffer, PKG_MODE_LSA);
}

/*
 * SpQueryContextAttributes, user-mode table: the LSA-mode ones plus
 * SESSION_KEY, all from SECPKG_DLL_FUNCTIONS AllocateHeap; the caller
 * frees them with FreeContextBuffer.  STATUS_INVALID_HANDLE without a
 * user-mode half; unknown attributes SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                               PVOID Buffer)
{
    struct sample_context *ctx =
        pkg_object_from_handle(&sample_context_class, ContextHandle, PKG_SIDE_USER);
    const struct sample_user_context *um;
    struct pkg_attr_data d;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    um = &ctx->um;
    d = sample_attr_data(um->attributes, um->start, um->expiry, &um->user, &um->domain);
    d.complete = true;
    d.session_key = um->keys.session_key;
    d.session_key_len = SAMPLE_KEY_SIZE;
    return pkg_attr_query(&d, ContextAttribute, Buffer, PKG_MODE_USER);
}
