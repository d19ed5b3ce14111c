/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-context.c - Sample context objects, option.lifetime, and the
 * context attributes.
 *
 * A context LSA_SEC_HANDLE is a kit object (pkg-handle.h) holding both
 * halves.  The LSA half is born in SpInit/AcceptLsaModeContext and
 * released by SpDeleteContext; the user half is attached by
 * SpInitUserModeContext (or born alone in SpImportSecurityContext) and
 * released by SpDeleteUserModeContext.  The kit runs both deletes
 * (sample_context_class) and frees the memory, wiped, when both halves
 * are gone.
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
 * What the kit answers context attributes from (pkg-attrs.h): SIZES, NAMES
 * once the user is known, PACKAGE_INFO, NEGOTIATION_INFO, FLAGS, LIFESPAN,
 * and SESSION_KEY once the user-mode half exists.  The LSA half answers
 * while the handshake runs (memory from AllocateLsaHeap), the user half
 * afterwards (AllocateHeap); the caller frees with FreeContextBuffer.
 */
bool sample_describe(const void *object, enum pkg_mode mode, struct pkg_attr_data *d)
{
    const struct sample_context *ctx = object;
    const struct sample_user_context *um = &ctx->um;
    bool user = mode == PKG_MODE_USER;
    const struct sample_name *name = user ? &um->user : &ctx->user;
    const struct sample_name *domain = user ? &um->domain : &ctx->domain;

    d->complete = user || ctx->state == SAMPLE_COMPLETE;
    d->max_signature = SAMPLE_TRAILER_SIZE;
    d->block_size = 0; /* GCM needs no padding */
    d->security_trailer = SAMPLE_TRAILER_SIZE;
    d->flags = user ? um->attributes : ctx->attributes;
    d->start = user ? um->start : ctx->start;
    d->expiry = user ? um->expiry : ctx->expiry;
    d->user = (struct pkg_str16){name->len > 0 ? name->s : NULL, name->len};
    d->domain = (struct pkg_str16){domain->s, domain->len};
    if (user) {
        d->session_key = um->keys.session_key;
        d->session_key_len = SAMPLE_KEY_SIZE;
    }
    return true;
}
