/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-pack.c - the packed form of a Sample context, used both for
 * ContextData (LSA mode -> user mode) and for ExportContext/ImportContext,
 * written and read with the kit's bounded packer (pkg-pack.h).
 *
 * Packed context, little-endian:
 *    0 u32 magic "SMPC"        4 u8 version    5 u8 role (0 client, 1 server)
 *    6 u16 reserved (0)        8 u32 context attributes   12 u32 reserved (0)
 *   16 i64 start              24 i64 expiry   (TimeStamp values)
 *   32 u64 next send seqno    40 u64 next expected receive seqno
 *   48 keys: sign out, sign in, seal out, seal in, session (32 bytes each)
 *  208 u16 user byte length, user (UTF-16LE), u16 domain byte length, domain
 *      (the user is not empty; neither name holds a NUL)
 * The blob holds the session keys in the clear: it is meant for another
 * process of the same machine, as on Windows.
 */
#include <string.h>

#include "packages/sample/sample.h"

#define SAMPLE_PACK_MAGIC 0x43504D53u /* "SMPC" */

void sample_write_name(struct pkg_writer *w, const struct sample_name *name)
{
    pkg_write_u16(w, (uint16_t)(2 * name->len));
    for (uint16_t i = 0; i < name->len; i++)
        pkg_write_u16(w, name->s[i]);
}

void sample_read_name(struct pkg_reader *r, struct sample_name *name)
{
    uint16_t bytes = pkg_read_u16(r);
    const uint8_t *p;

    name->len = 0;
    name->s[0] = 0;
    if (bytes % 2 != 0 || bytes / 2 > SAMPLE_MAX_NAME) {
        r->failed = true;
        return;
    }
    p = pkg_read_view(r, bytes);
    if (p == NULL)
        return;
    for (uint16_t i = 0; i < bytes / 2; i++) {
        name->s[i] = pkg_get_le16(p + 2 * i);
        if (name->s[i] == 0) {
            r->failed = true;
            name->s[0] = 0;
            return;
        }
    }
    name->s[bytes / 2] = 0;
    name->len = bytes / 2;
}

/* ---- writing ------------------------------------------------------------- */

static void sample_pack_fn(struct pkg_writer *w, const void *arg)
{
    const struct sample_user_context *um = arg;

    pkg_write_u32(w, SAMPLE_PACK_MAGIC);
    pkg_write_u8(w, SAMPLE_PROTOCOL_VERSION);
    pkg_write_u8(w, um->server ? 1 : 0);
    pkg_write_u16(w, 0);
    pkg_write_u32(w, um->attributes);
    pkg_write_u32(w, 0);
    pkg_write_u64(w, (uint64_t)um->start);
    pkg_write_u64(w, (uint64_t)um->expiry);
    pkg_write_u64(w, atomic_load(&((struct sample_user_context *)um)->seq_out));
    pkg_write_u64(w, atomic_load(&((struct sample_user_context *)um)->seq_in));
    pkg_write_bytes(w, &um->keys, sizeof(um->keys));
    sample_write_name(w, &um->user);
    sample_write_name(w, &um->domain);
}

SECURITY_STATUS sample_pack_completed(const struct sample_context *ctx,
                                      const struct sample_keys *keys, PSecBuffer out)
{
    struct sample_user_context um = {
        .server = ctx->server,
        .attributes = ctx->attributes,
        .start = ctx->start,
        .expiry = ctx->expiry,
        .user = ctx->user,
        .domain = ctx->domain,
        .keys = *keys,
    };
    SECURITY_STATUS st = pkg_pack(PKG_MODE_LSA, sample_pack_fn, &um, out);

    crypto_wipe(&um.keys, sizeof(um.keys));
    return st;
}

/* ---- reading -------------------------------------------------------------- */

/* Build a user-mode half from a packed context.  SEC_E_INVALID_TOKEN if
 * the blob is not exactly one well-formed packed context. */
static SECURITY_STATUS sample_unpack(const SecBuffer *in, struct sample_user_context *um)
{
    struct pkg_reader r;
    uint8_t role;
    bool header_ok;

    if (pkg_import_reader(in, &r) != SEC_E_OK)
        return SEC_E_INVALID_TOKEN;
    header_ok = pkg_read_u32(&r) == SAMPLE_PACK_MAGIC && pkg_read_u8(&r) == SAMPLE_PROTOCOL_VERSION;
    role = pkg_read_u8(&r);
    header_ok = header_ok && role <= 1 && pkg_read_u16(&r) == 0;
    um->server = role == 1;
    um->attributes = pkg_read_u32(&r);
    header_ok = header_ok && pkg_read_u32(&r) == 0;
    um->start = (int64_t)pkg_read_u64(&r);
    um->expiry = (int64_t)pkg_read_u64(&r);
    atomic_init(&um->seq_out, pkg_read_u64(&r));
    atomic_init(&um->seq_in, pkg_read_u64(&r));
    pkg_read_bytes(&r, &um->keys, sizeof(um->keys));
    sample_read_name(&r, &um->user);
    sample_read_name(&r, &um->domain);
    if (!header_ok || !pkg_reader_done(&r) || um->user.len == 0)
        return SEC_E_INVALID_TOKEN;

    /* Key once here so the per-message path never does. */
    crypto_hmac_sha256_set_key(&um->mac_out, um->keys.sign_out, SAMPLE_KEY_SIZE);
    crypto_hmac_sha256_set_key(&um->mac_in, um->keys.sign_in, SAMPLE_KEY_SIZE);
    crypto_gcm_aes256_set_key(&um->gcm_out, um->keys.seal_out);
    crypto_gcm_aes256_set_key(&um->gcm_in, um->keys.seal_in);
    return SEC_E_OK;
}

/*
 * SpInitUserModeContext.  Called by the host with the ContextData that
 * SpInit/AcceptLsaModeContext returned; builds the user-mode half of the
 * same context (the host frees PackedContext afterwards).
 * STATUS_INVALID_HANDLE for a handle that is not ours or already has a
 * user half; SEC_E_INVALID_TOKEN for bad packed data.
 */
NTSTATUS NTAPI sample_init_user_mode_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct sample_context *ctx =
        pkg_object_from_handle(&sample_context_class, ContextHandle, PKG_SIDE_LSA);

    if (ctx == NULL || pkg_object_alive(ctx, PKG_SIDE_USER))
        return STATUS_INVALID_HANDLE;
    if (sample_unpack(PackedContext, &ctx->um) != SEC_E_OK || ctx->um.server != ctx->server) {
        crypto_wipe(&ctx->um, sizeof ctx->um);
        return SEC_E_INVALID_TOKEN;
    }
    pkg_object_attach(ctx, PKG_SIDE_USER);
    return STATUS_SUCCESS;
}

/*
 * SpExportSecurityContext.  Packs the user-mode half (keys, both sequence
 * counters, names, attributes, role, lifetime) into pPackedContext->pvBuffer
 * from AllocateHeap; the caller frees it with FreeContextBuffer.
 * SECPKG_CONTEXT_EXPORT_RESET_NEW is accepted but does not reset the
 * counters (that would reuse AES-GCM nonces).  With
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD (as a Windows host passes it; libsspi
 * handles the flag itself and never passes it) the user-mode half is
 * released here; without it, only one of the two contexts should send
 * afterwards.  *pToken is set to NULL (no impersonation token).  Errors:
 * STATUS_INVALID_HANDLE, SEC_E_UNSUPPORTED_FUNCTION (TO_KERNEL or unknown
 * flags), SEC_E_INSUFFICIENT_MEMORY.
 */
NTSTATUS NTAPI sample_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                     PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct sample_context *ctx =
        pkg_object_from_handle(&sample_context_class, phContext, PKG_SIDE_USER);
    NTSTATUS status;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    if (pPackedContext == NULL)
        return STATUS_INVALID_PARAMETER;
    status = pkg_export_flags(fFlags);
    if (status != SEC_E_OK)
        return status;
    if (pToken != NULL)
        *pToken = NULL;
    status = pkg_pack(PKG_MODE_USER, sample_pack_fn, &ctx->um, pPackedContext);
    if (status == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        pkg_object_release(ctx, PKG_SIDE_USER);
    return status;
}

/*
 * SpImportSecurityContext.  Builds a new context with only a user-mode half
 * from an exported blob and returns its handle in *phContext; it signs,
 * verifies, seals and unseals where the exported one left off.  Release it
 * with SpDeleteUserModeContext.  Errors: SEC_E_INVALID_TOKEN (bad or empty
 * blob), STATUS_NO_MEMORY.
 */
NTSTATUS NTAPI sample_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                     PLSA_SEC_HANDLE phContext)
{
    struct sample_context *ctx;
    NTSTATUS status;

    if (phContext == NULL)
        return STATUS_INVALID_PARAMETER;
    ctx = pkg_object_new(&sample_context_class, 0);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    status = sample_unpack(pPackedContext, &ctx->um);
    if (status != SEC_E_OK) {
        pkg_object_discard(ctx);
        return status;
    }
    ctx->server = ctx->um.server;
    ctx->state = SAMPLE_COMPLETE;
    ctx->attributes = ctx->um.attributes;
    pkg_object_attach(ctx, PKG_SIDE_USER);
    *phContext = pkg_object_handle(ctx);
    return STATUS_SUCCESS;
}
