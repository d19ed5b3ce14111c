/*
 * sample-context.c - Sample context lifetime, attributes, and the packed
 * form of a context used both for ContextData (LSA mode -> user mode) and
 * for ExportContext/ImportContext.
 *
 * A context LSA_SEC_HANDLE is the address of a struct sample_context that
 * holds both halves.  The LSA half is born in SpInit/AcceptLsaModeContext
 * and released by SpDeleteContext; the user half is born in
 * SpInitUserModeContext (or SpImportSecurityContext, which creates a
 * context with only a user half) and released by SpDeleteUserModeContext.
 * The memory goes when both halves are gone.
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
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packages/sample/sample.h"

#define SAMPLE_PACK_MAGIC 0x43504D53u /* "SMPC" */
#define SAMPLE_PACK_FIXED 208
#define SAMPLE_PACK_MAX (SAMPLE_PACK_FIXED + 4 + 4 * SAMPLE_MAX_NAME)

/* Seconds between 1601-01-01 and 1970-01-01. */
#define SAMPLE_EPOCH_DELTA 11644473600LL

static int64_t sample_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + SAMPLE_EPOCH_DELTA) * 10000000 + ts.tv_nsec / 100;
}

bool sample_context_expired(int64_t expiry)
{
    return expiry != SAMPLE_NEVER && sample_now() >= expiry;
}

struct sample_context *sample_context_new(bool server)
{
    struct sample_context *ctx = calloc(1, sizeof *ctx);
    uint32_t lifetime = atomic_load(&sample_lifetime);

    if (ctx == NULL)
        return NULL;
    ctx->magic = SAMPLE_CONTEXT_MAGIC;
    atomic_init(&ctx->sides, SAMPLE_SIDE_LSA);
    ctx->server = server;
    ctx->start = sample_now();
    ctx->expiry = lifetime == 0 ? SAMPLE_NEVER : ctx->start + (int64_t)lifetime * 10000000;
    return ctx;
}

struct sample_context *sample_context_from_handle(LSA_SEC_HANDLE h, uint32_t side)
{
    struct sample_context *ctx = (struct sample_context *)h;

    if (ctx == NULL || ctx->magic != SAMPLE_CONTEXT_MAGIC)
        return NULL;
    if ((atomic_load_explicit(&ctx->sides, memory_order_acquire) & side) == 0)
        return NULL;
    return ctx;
}

bool sample_context_release(struct sample_context *ctx, uint32_t side)
{
    uint32_t before = atomic_fetch_and(&ctx->sides, ~side);

    if ((before & side) == 0)
        return false;
    if ((before & ~side) == 0) {
        crypto_wipe(ctx, sizeof *ctx);
        free(ctx);
    }
    return true;
}

/* ---- Packing ------------------------------------------------------------ */

/* What goes into a packed context, wherever it comes from. */
struct sample_pack_fields {
    bool server;
    uint32_t attributes;
    int64_t start, expiry;
    uint64_t seq_out, seq_in;
    const struct sample_session_keys *keys;
    const char16_t *user, *domain;
    uint16_t user_len, domain_len;
};

static SECURITY_STATUS sample_pack(const struct sample_pack_fields *f, PLSA_ALLOCATE_LSA_HEAP alloc,
                                   PSecBuffer out)
{
    size_t len = SAMPLE_PACK_FIXED + 4 + 2 * ((size_t)f->user_len + f->domain_len);
    uint8_t *p = alloc((ULONG)len);
    size_t pos;

    if (p == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memset(p, 0, len);
    sample_put_u32(p, SAMPLE_PACK_MAGIC);
    p[4] = SAMPLE_PROTOCOL_VERSION;
    p[5] = f->server ? 1 : 0;
    sample_put_u32(p + 8, f->attributes);
    sample_put_u64(p + 16, (uint64_t)f->start);
    sample_put_u64(p + 24, (uint64_t)f->expiry);
    sample_put_u64(p + 32, f->seq_out);
    sample_put_u64(p + 40, f->seq_in);
    memcpy(p + 48, f->keys->sign_out, SAMPLE_KEY_SIZE);
    memcpy(p + 80, f->keys->sign_in, SAMPLE_KEY_SIZE);
    memcpy(p + 112, f->keys->seal_out, SAMPLE_KEY_SIZE);
    memcpy(p + 144, f->keys->seal_in, SAMPLE_KEY_SIZE);
    memcpy(p + 176, f->keys->session_key, SAMPLE_KEY_SIZE);
    pos = SAMPLE_PACK_FIXED;
    sample_put_u16(p + pos, (uint16_t)(2 * f->user_len));
    pos += 2;
    for (uint16_t i = 0; i < f->user_len; i++, pos += 2)
        sample_put_u16(p + pos, f->user[i]);
    sample_put_u16(p + pos, (uint16_t)(2 * f->domain_len));
    pos += 2;
    for (uint16_t i = 0; i < f->domain_len; i++, pos += 2)
        sample_put_u16(p + pos, f->domain[i]);

    out->BufferType = SECBUFFER_TOKEN;
    out->cbBuffer = (ULONG)len;
    out->pvBuffer = p;
    return SEC_E_OK;
}

SECURITY_STATUS sample_pack_lsa(const struct sample_context *ctx,
                                const struct sample_session_keys *keys,
                                PLSA_ALLOCATE_LSA_HEAP alloc, PSecBuffer out)
{
    struct sample_pack_fields f = {
        .server = ctx->server,
        .attributes = ctx->attributes,
        .start = ctx->start,
        .expiry = ctx->expiry,
        .keys = keys,
        .user = ctx->user,
        .domain = ctx->domain,
        .user_len = ctx->user_len,
        .domain_len = ctx->domain_len,
    };
    return sample_pack(&f, alloc, out);
}

/* A u16 byte length and a UTF-16LE name at *pos; false if it does not fit,
 * is odd or too long, or holds a NUL (no handshake produces one, and the
 * name would be cut short wherever it is used as a string). */
static bool sample_unpack_name(const uint8_t *p, size_t len, size_t *pos, char16_t *name,
                               uint16_t *name_len)
{
    size_t n;

    if (len - *pos < 2)
        return false;
    n = sample_get_u16(p + *pos);
    *pos += 2;
    if (n % 2 != 0 || n / 2 > SAMPLE_MAX_NAME || len - *pos < n)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        name[i] = sample_get_u16(p + *pos + 2 * i);
        if (name[i] == 0)
            return false;
    }
    name[n / 2] = 0;
    *name_len = (uint16_t)(n / 2);
    *pos += n;
    return true;
}

/* Build a user-mode half from a packed context.  SEC_E_INVALID_TOKEN if
 * the blob is not exactly one well-formed packed context. */
static SECURITY_STATUS sample_unpack(const SecBuffer *in, struct sample_user_context *um)
{
    const uint8_t *p;
    size_t len, pos = SAMPLE_PACK_FIXED;

    if (in == NULL || in->pvBuffer == NULL || in->cbBuffer < SAMPLE_PACK_FIXED + 4 ||
        in->cbBuffer > SAMPLE_PACK_MAX)
        return SEC_E_INVALID_TOKEN;
    p = in->pvBuffer;
    len = in->cbBuffer;
    if (sample_get_u32(p) != SAMPLE_PACK_MAGIC || p[4] != SAMPLE_PROTOCOL_VERSION || p[5] > 1 ||
        sample_get_u16(p + 6) != 0 || sample_get_u32(p + 12) != 0)
        return SEC_E_INVALID_TOKEN;
    if (!sample_unpack_name(p, len, &pos, um->user, &um->user_len) ||
        !sample_unpack_name(p, len, &pos, um->domain, &um->domain_len) || pos != len ||
        um->user_len == 0)
        return SEC_E_INVALID_TOKEN;

    um->server = p[5] == 1;
    um->attributes = sample_get_u32(p + 8);
    um->start = (int64_t)sample_get_u64(p + 16);
    um->expiry = (int64_t)sample_get_u64(p + 24);
    atomic_init(&um->seq_out, sample_get_u64(p + 32));
    atomic_init(&um->seq_in, sample_get_u64(p + 40));
    memcpy(um->sign_out, p + 48, SAMPLE_KEY_SIZE);
    memcpy(um->sign_in, p + 80, SAMPLE_KEY_SIZE);
    memcpy(um->seal_out, p + 112, SAMPLE_KEY_SIZE);
    memcpy(um->seal_in, p + 144, SAMPLE_KEY_SIZE);
    memcpy(um->session_key, p + 176, SAMPLE_KEY_SIZE);

    /* Key once here so the per-message path never does. */
    crypto_hmac_sha256_set_key(&um->mac_out, um->sign_out, SAMPLE_KEY_SIZE);
    crypto_hmac_sha256_set_key(&um->mac_in, um->sign_in, SAMPLE_KEY_SIZE);
    crypto_gcm_aes256_set_key(&um->gcm_out, um->seal_out);
    crypto_gcm_aes256_set_key(&um->gcm_in, um->seal_in);
    return SEC_E_OK;
}

/* ---- LSA mode ----------------------------------------------------------- */

/*
 * SpDeleteContext.  Releases the LSA half (the user half, if any, lives on
 * until SpDeleteUserModeContext).  STATUS_INVALID_HANDLE if `h` is not a
 * context of ours or its LSA half is already gone.
 */
NTSTATUS NTAPI sample_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct sample_context *ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_LSA);

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    sample_context_release(ctx, SAMPLE_SIDE_LSA);
    return STATUS_SUCCESS;
}

/* ---- Attributes (both modes) -------------------------------------------- */

/* What the attribute answers need; session_key NULL before completion. */
struct sample_attr_view {
    uint32_t attributes;
    int64_t start, expiry;
    const char16_t *user, *domain;
    uint16_t user_len, domain_len;
    const uint8_t *session_key;
};

static NTSTATUS sample_query(const struct sample_attr_view *v, ULONG attr, PVOID Buffer,
                             PLSA_ALLOCATE_LSA_HEAP alloc)
{
    if (Buffer == NULL)
        return STATUS_INVALID_PARAMETER;

    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = Buffer;
        s->cbMaxToken = SAMPLE_MAX_TOKEN;
        s->cbMaxSignature = SAMPLE_TRAILER_SIZE;
        s->cbBlockSize = 0; /* GCM needs no padding */
        s->cbSecurityTrailer = SAMPLE_TRAILER_SIZE;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_NAMES: {
        SecPkgContext_NamesW *n = Buffer;
        size_t pos = 0;
        char16_t *s;
        if (v->user_len == 0)
            return SEC_E_INVALID_HANDLE; /* not known yet */
        s = alloc((ULONG)((v->domain_len + 1u + v->user_len + 1u) * sizeof(char16_t)));
        if (s == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        if (v->domain_len > 0) {
            memcpy(s, v->domain, v->domain_len * sizeof(char16_t));
            pos = v->domain_len;
            s[pos++] = u'\\';
        }
        memcpy(s + pos, v->user, v->user_len * sizeof(char16_t));
        s[pos + v->user_len] = 0;
        n->sUserName = s;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = Buffer;
        if (v->session_key == NULL)
            return SEC_E_INVALID_HANDLE; /* handshake not complete */
        k->SessionKey = alloc(SAMPLE_KEY_SIZE);
        if (k->SessionKey == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(k->SessionKey, v->session_key, SAMPLE_KEY_SIZE);
        k->SessionKeyLength = SAMPLE_KEY_SIZE;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_PACKAGE_INFO: {
        /* One block: the SecPkgInfoW followed by its two strings, so one
         * FreeContextBuffer releases everything. */
        SecPkgContext_PackageInfoW *pi = Buffer;
        static const char16_t name[] = SAMPLE_PACKAGE_NAME;
        static const char16_t comment[] = SAMPLE_PACKAGE_COMMENT;
        uint8_t *block = alloc(sizeof(SecPkgInfoW) + sizeof name + sizeof comment);
        SecPkgInfoW *info = (SecPkgInfoW *)block;
        if (block == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        info->fCapabilities = SAMPLE_CAPABILITIES;
        info->wVersion = SAMPLE_PACKAGE_VERSION;
        info->wRPCID = SECPKG_ID_NONE;
        info->cbMaxToken = SAMPLE_MAX_TOKEN;
        info->Name = (SEC_WCHAR *)(block + sizeof(SecPkgInfoW));
        info->Comment = (SEC_WCHAR *)(block + sizeof(SecPkgInfoW) + sizeof name);
        memcpy(info->Name, name, sizeof name);
        memcpy(info->Comment, comment, sizeof comment);
        pi->PackageInfo = info;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_FLAGS: {
        SecPkgContext_Flags *f = Buffer;
        f->Flags = v->attributes;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = Buffer;
        l->tsStart.QuadPart = v->start;
        l->tsExpiry.QuadPart = v->expiry;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/*
 * SpQueryContextAttributes, LSA-mode table: what can be answered before the
 * handshake completes (SIZES, NAMES once known, PACKAGE_INFO, FLAGS,
 * LIFESPAN).  Variable-size data comes from AllocateLsaHeap.
 * SECPKG_ATTR_SESSION_KEY is SEC_E_INVALID_HANDLE here: the keys live in
 * the user-mode half.  Unknown attributes: SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_lsa_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                   ULONG ContextAttribute, PVOID Buffer)
{
    struct sample_context *ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_LSA);
    struct sample_attr_view v;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    v = (struct sample_attr_view){
        .attributes = ctx->attributes,
        .start = ctx->start,
        .expiry = ctx->expiry,
        .user = ctx->user,
        .domain = ctx->domain,
        .user_len = ctx->user_len,
        .domain_len = ctx->domain_len,
    };
    return sample_query(&v, ContextAttribute, Buffer, sample_lsa->AllocateLsaHeap);
}

/* ---- User mode ---------------------------------------------------------- */

/*
 * SpInitUserModeContext.  Called by the host with the ContextData that
 * SpInit/AcceptLsaModeContext returned; builds the user-mode half of the
 * same context (the host frees PackedContext afterwards).
 * STATUS_INVALID_HANDLE for a handle that is not ours or already has a
 * user half; SEC_E_INVALID_TOKEN for bad packed data.
 */
NTSTATUS NTAPI sample_init_user_mode_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct sample_context *ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_LSA);
    NTSTATUS status;

    if (ctx == NULL || (atomic_load(&ctx->sides) & SAMPLE_SIDE_USER) != 0)
        return STATUS_INVALID_HANDLE;
    status = sample_unpack(PackedContext, &ctx->um);
    if (status != SEC_E_OK || ctx->um.server != ctx->server) {
        crypto_wipe(&ctx->um, sizeof ctx->um);
        return SEC_E_INVALID_TOKEN;
    }
    atomic_fetch_or_explicit(&ctx->sides, SAMPLE_SIDE_USER, memory_order_release);
    return STATUS_SUCCESS;
}

/*
 * SpDeleteUserModeContext.  Releases the user-mode half; the context's
 * memory is wiped and freed once the LSA half is gone too.  A context of
 * ours that never got a user half (an unfinished handshake) is fine:
 * STATUS_SUCCESS.  STATUS_INVALID_HANDLE if `h` is not ours.
 */
NTSTATUS NTAPI sample_delete_user_mode_context(LSA_SEC_HANDLE ContextHandle)
{
    struct sample_context *ctx = (struct sample_context *)ContextHandle;

    if (ctx == NULL || ctx->magic != SAMPLE_CONTEXT_MAGIC)
        return STATUS_INVALID_HANDLE;
    sample_context_release(ctx, SAMPLE_SIDE_USER);
    return STATUS_SUCCESS;
}

/*
 * SpQueryContextAttributes, user-mode table: SECPKG_ATTR_SIZES, NAMES (the
 * client's "DOMAIN\user"), SESSION_KEY, PACKAGE_INFO, FLAGS, LIFESPAN.
 * Strings, keys and the package info come from SECPKG_DLL_FUNCTIONS
 * AllocateHeap; the caller frees them with FreeContextBuffer.
 * STATUS_INVALID_HANDLE without a user-mode half; unknown attributes
 * SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_context_attributes(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                               PVOID Buffer)
{
    struct sample_context *ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_USER);
    struct sample_attr_view v;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    v = (struct sample_attr_view){
        .attributes = ctx->um.attributes,
        .start = ctx->um.start,
        .expiry = ctx->um.expiry,
        .user = ctx->um.user,
        .domain = ctx->um.domain,
        .user_len = ctx->um.user_len,
        .domain_len = ctx->um.domain_len,
        .session_key = ctx->um.session_key,
    };
    return sample_query(&v, ContextAttribute, Buffer, sample_dll->AllocateHeap);
}

/*
 * SpExportSecurityContext.  Packs the user-mode half (keys, both sequence
 * counters, names, attributes, role, lifetime) into pPackedContext->pvBuffer,
 * allocated with AllocateHeap; the caller frees it with FreeContextBuffer.
 * SECPKG_CONTEXT_EXPORT_RESET_NEW is accepted but does not reset the
 * counters (that would reuse AES-GCM nonces).  With
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD (as a Windows host passes it; libsspi
 * handles the flag itself and never passes it) the user-mode half is
 * released here; without it, only one of the two contexts should send
 * afterwards.
 * *pToken is set to NULL (no impersonation token).  Errors:
 * STATUS_INVALID_HANDLE, SEC_E_UNSUPPORTED_FUNCTION (TO_KERNEL or unknown
 * flags), SEC_E_INSUFFICIENT_MEMORY.
 */
NTSTATUS NTAPI sample_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                     PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct sample_context *ctx = sample_context_from_handle(phContext, SAMPLE_SIDE_USER);
    struct sample_session_keys keys;
    struct sample_pack_fields f;
    NTSTATUS status;

    if (ctx == NULL)
        return STATUS_INVALID_HANDLE;
    if (pPackedContext == NULL)
        return STATUS_INVALID_PARAMETER;
    if (fFlags & ~(ULONG)(SECPKG_CONTEXT_EXPORT_RESET_NEW | SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (pToken != NULL)
        *pToken = NULL;

    memcpy(keys.sign_out, ctx->um.sign_out, SAMPLE_KEY_SIZE);
    memcpy(keys.sign_in, ctx->um.sign_in, SAMPLE_KEY_SIZE);
    memcpy(keys.seal_out, ctx->um.seal_out, SAMPLE_KEY_SIZE);
    memcpy(keys.seal_in, ctx->um.seal_in, SAMPLE_KEY_SIZE);
    memcpy(keys.session_key, ctx->um.session_key, SAMPLE_KEY_SIZE);
    f = (struct sample_pack_fields){
        .server = ctx->um.server,
        .attributes = ctx->um.attributes,
        .start = ctx->um.start,
        .expiry = ctx->um.expiry,
        .seq_out = atomic_load(&ctx->um.seq_out),
        .seq_in = atomic_load(&ctx->um.seq_in),
        .keys = &keys,
        .user = ctx->um.user,
        .domain = ctx->um.domain,
        .user_len = ctx->um.user_len,
        .domain_len = ctx->um.domain_len,
    };
    status = sample_pack(&f, sample_dll->AllocateHeap, pPackedContext);
    crypto_wipe(&keys, sizeof keys);
    if (status == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        sample_context_release(ctx, SAMPLE_SIDE_USER);
    return status;
}

/*
 * SpImportSecurityContext.  Builds a new context with only a user-mode half
 * from an exported blob and returns its handle in *phContext; it signs,
 * verifies, seals and unseals where the exported one left off.  Release it
 * with SpDeleteUserModeContext.  Errors: SEC_E_INVALID_TOKEN (bad blob),
 * STATUS_NO_MEMORY.
 */
NTSTATUS NTAPI sample_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                     PLSA_SEC_HANDLE phContext)
{
    struct sample_context *ctx;
    NTSTATUS status;

    if (phContext == NULL)
        return STATUS_INVALID_PARAMETER;
    ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    status = sample_unpack(pPackedContext, &ctx->um);
    if (status != SEC_E_OK) {
        crypto_wipe(ctx, sizeof *ctx);
        free(ctx);
        return status;
    }
    ctx->magic = SAMPLE_CONTEXT_MAGIC;
    ctx->server = ctx->um.server;
    ctx->state = SAMPLE_COMPLETE;
    ctx->attributes = ctx->um.attributes;
    atomic_init(&ctx->sides, SAMPLE_SIDE_USER);
    *phContext = (LSA_SEC_HANDLE)ctx;
    return STATUS_SUCCESS;
}
