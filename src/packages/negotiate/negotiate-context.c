/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-context.c - Negotiate contexts once they exist: lifetime,
 * per-message calls, attributes, export and import.
 *
 * One Negotiate context wraps one sibling context (the inner context) and
 * keeps the same handle for the whole exchange, whichever sibling ends up
 * selected; deleting it deletes the inner context.  Once established, the
 * four per-message calls go straight to the sibling's own functions with
 * its own handle (GetMessageTarget): one handle check and one indirect
 * call more than using the sibling directly, no lock, no allocation.
 *
 * Attributes: NEGOTIATION_INFO and NEGOTIATION_PACKAGE name the selected
 * sibling (SECPKG_NEGOTIATION_OPTIMISTIC while the initiator's first
 * choice is unconfirmed, _IN_PROGRESS, then _COMPLETE); PACKAGE_INFO is
 * Negotiate's own; everything else (SIZES, NAMES, SESSION_KEY, LIFESPAN,
 * FLAGS, ...) is the sibling's answer, passed on as it comes (its memory is
 * FreeContextBuffer's already), except that FLAGS shows ALLOCATED_MEMORY
 * only when the caller asked for it (Negotiate always asks the sibling).
 *
 * Status choices: unknown handle -> SEC_E_INVALID_HANDLE; per-message call
 * before completion -> SEC_E_INVALID_HANDLE (as for an incomplete NTLM
 * context); NULL attribute buffer -> STATUS_INVALID_PARAMETER; attribute
 * before any sibling context exists -> SEC_E_INVALID_HANDLE; export of an
 * incomplete context -> SEC_E_INVALID_HANDLE; a malformed import blob ->
 * SEC_E_INVALID_TOKEN.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

const SECPKG_LIBSSPI_HOST_SERVICES *nego_services(void)
{
    return pkg_host_services();
}

static void context_destroy(void *object)
{
    struct nego_context *c = object;

    nego_inner_drop(c);
    nego_creds_unref(c->creds);
    free(c->target);
    free(c->mech_types);
    c->creds = NULL;
    c->target = NULL;
    c->mech_types = NULL;
}

const struct pkg_class nego_context_class = {
    .magic = 0x4e435458u, /* "NCTX" */
    .size = sizeof(struct nego_context),
    .destroy = context_destroy,
};

struct nego_context *nego_context_new(struct nego_creds *creds, bool initiator)
{
    struct nego_context *c = pkg_object_new(&nego_context_class, PKG_SIDE_LSA);

    if (c == NULL)
        return NULL;
    c->creds = nego_creds_ref(creds);
    c->initiator = initiator;
    c->selected = -1;
    return c;
}

struct nego_context *nego_context_from_handle(LSA_SEC_HANDLE h)
{
    return pkg_object_from_handle(&nego_context_class, h, 0);
}

bool nego_message_target(struct nego_context *c)
{
    if (!c->fetched) {
        c->direct = nego_services()->GetMessageTarget(&c->inner, &c->msg) == SEC_E_OK;
        c->fetched = true;
    }
    return c->direct;
}

void nego_context_complete(struct nego_context *c)
{
    c->phase = NEGO_PHASE_DONE;
    (void)nego_message_target(c);
}

NTSTATUS NTAPI nego_delete_context(LSA_SEC_HANDLE h)
{
    return pkg_delete_side(&nego_context_class, h, PKG_SIDE_LSA);
}

NTSTATUS NTAPI nego_delete_user_context(LSA_SEC_HANDLE h)
{
    return pkg_delete_side(&nego_context_class, h, PKG_SIDE_USER);
}

/* ---- per-message calls -------------------------------------------------------- */

/* The established context behind `h`, or NULL. */
static inline struct nego_context *established(LSA_SEC_HANDLE h)
{
    struct nego_context *c = nego_context_from_handle(h);

    return __builtin_expect(c != NULL && c->phase == NEGO_PHASE_DONE, 1) ? c : NULL;
}

NTSTATUS NTAPI nego_make_signature(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc msg, ULONG seq)
{
    struct nego_context *c = established(h);

    if (__builtin_expect(c == NULL, 0))
        return SEC_E_INVALID_HANDLE;
    if (__builtin_expect(c->direct && c->msg.MakeSignature != NULL, 1))
        return c->msg.MakeSignature(c->msg.Context, qop, msg, seq);
    return nego_services()->MakeSignature(&c->inner, qop, msg, seq);
}

NTSTATUS NTAPI nego_verify_signature(LSA_SEC_HANDLE h, PSecBufferDesc msg, ULONG seq, PULONG qop)
{
    struct nego_context *c = established(h);

    if (__builtin_expect(c == NULL, 0))
        return SEC_E_INVALID_HANDLE;
    if (__builtin_expect(c->direct && c->msg.VerifySignature != NULL, 1))
        return c->msg.VerifySignature(c->msg.Context, msg, seq, qop);
    return nego_services()->VerifySignature(&c->inner, msg, seq, qop);
}

NTSTATUS NTAPI nego_seal_message(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc msg, ULONG seq)
{
    struct nego_context *c = established(h);

    if (__builtin_expect(c == NULL, 0))
        return SEC_E_INVALID_HANDLE;
    if (__builtin_expect(c->direct && c->msg.SealMessage != NULL, 1))
        return c->msg.SealMessage(c->msg.Context, qop, msg, seq);
    return nego_services()->EncryptMessage(&c->inner, qop, msg, seq);
}

NTSTATUS NTAPI nego_unseal_message(LSA_SEC_HANDLE h, PSecBufferDesc msg, ULONG seq, PULONG qop)
{
    struct nego_context *c = established(h);

    if (__builtin_expect(c == NULL, 0))
        return SEC_E_INVALID_HANDLE;
    if (__builtin_expect(c->direct && c->msg.UnsealMessage != NULL, 1))
        return c->msg.UnsealMessage(c->msg.Context, msg, seq, qop);
    return nego_services()->DecryptMessage(&c->inner, msg, seq, qop);
}

/* ---- the frame of every handshake leg ----------------------------------------- */

NTSTATUS nego_leg(const struct nego_leg_args *a)
{
    struct nego_context *c;
    SECURITY_STATUS st;

    if (a->mapped != NULL)
        *a->mapped = FALSE;
    if (a->new_ctx == NULL)
        return STATUS_INVALID_PARAMETER;
    st = pkg_output_check(a->out, a->req, 0);
    if (st != SEC_E_OK)
        return st;
    if (a->ctx == 0) {
        struct nego_cred *cr = pkg_object_from_handle(&nego_cred_class, a->cred, PKG_SIDE_LSA);
        if (cr == NULL)
            return SEC_E_INVALID_HANDLE;
        c = nego_context_new(cr->shared, a->initiator);
        if (c == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->req = a->req;
    } else {
        c = nego_context_from_handle(a->ctx);
        if (c == NULL || c->initiator != a->initiator)
            return SEC_E_INVALID_HANDLE;
        if (c->phase == NEGO_PHASE_FAILED)
            return SEC_E_OUT_OF_SEQUENCE;
    }
    st = a->step(c, a->ctx == 0, a->target, a->in, a->out);
    if (!SEC_SUCCESS(st)) {
        /* A refused first leg leaves nothing; a refused later one is final. */
        if (a->ctx == 0)
            pkg_object_discard(c);
        else
            c->phase = NEGO_PHASE_FAILED;
        return st;
    }
    *a->new_ctx = pkg_object_handle(c);
    if (a->attr != NULL)
        *a->attr = c->inner_attr;
    if (a->expiry != NULL)
        *a->expiry = c->expiry;
    return st;
}

/* ---- attributes ----------------------------------------------------------------- */

/* The selected sibling's SecPkgInfoW block (one FreeContextBuffer), as the
 * host answers SECPKG_ATTR_PACKAGE_INFO for the inner context. */
static SECURITY_STATUS selected_info(struct nego_context *c, PSecPkgInfoW *info)
{
    SecPkgContext_PackageInfoW pi = {NULL};
    SECURITY_STATUS st;

    *info = NULL;
    if (!c->has_inner)
        return SEC_E_INVALID_HANDLE;
    st = nego_services()->QueryContextAttributes(&c->inner, SECPKG_ATTR_PACKAGE_INFO, &pi);
    if (st == SEC_E_OK)
        *info = pi.PackageInfo;
    return st;
}

static ULONG negotiation_state(const struct nego_context *c)
{
    if (c->phase == NEGO_PHASE_DONE)
        return SECPKG_NEGOTIATION_COMPLETE;
    return c->optimistic ? SECPKG_NEGOTIATION_OPTIMISTIC : SECPKG_NEGOTIATION_IN_PROGRESS;
}

NTSTATUS NTAPI nego_query_context(LSA_SEC_HANDLE h, ULONG attribute, PVOID buffer)
{
    struct nego_context *c = nego_context_from_handle(h);
    SECURITY_STATUS st;

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    switch (attribute) {
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        SecPkgContext_NegotiationInfoW *ni = buffer;
        PSecPkgInfoW info;
        st = selected_info(c, &info);
        if (st == SEC_E_INVALID_HANDLE) { /* nothing selected yet: our own */
            info = pkg_info_block(PKG_MODE_LSA, &negotiate_package);
            st = info != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
        }
        if (st != SEC_E_OK)
            return st;
        ni->PackageInfo = info;
        ni->NegotiationState = negotiation_state(c);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_NEGOTIATION_PACKAGE: {
        SecPkgContext_PackageInfoW *pi = buffer;
        return selected_info(c, &pi->PackageInfo);
    }
    case SECPKG_ATTR_PACKAGE_INFO: {
        SecPkgContext_PackageInfoW *pi = buffer;
        pi->PackageInfo = pkg_info_block(PKG_MODE_LSA, &negotiate_package);
        return pi->PackageInfo != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    case SECPKG_ATTR_FLAGS: {
        /* The inner context was always asked to allocate its tokens; the
         * caller sees ALLOCATED_MEMORY only when it asked (== ASC_*). */
        SecPkgContext_Flags *f = buffer;
        if (!c->has_inner)
            return SEC_E_INVALID_HANDLE;
        st = nego_services()->QueryContextAttributes(&c->inner, attribute, buffer);
        if (st == SEC_E_OK)
            f->Flags = (f->Flags & ~(ULONG)ISC_RET_ALLOCATED_MEMORY) |
                       (c->req & ISC_REQ_ALLOCATE_MEMORY ? ISC_RET_ALLOCATED_MEMORY : 0);
        return st;
    }
    default:
        if (!c->has_inner)
            return SEC_E_INVALID_HANDLE;
        return nego_services()->QueryContextAttributes(&c->inner, attribute, buffer);
    }
}

NTSTATUS NTAPI nego_set_context(LSA_SEC_HANDLE h, ULONG attribute, PVOID buffer, ULONG size)
{
    struct nego_context *c = nego_context_from_handle(h);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (!c->has_inner)
        return SEC_E_INVALID_HANDLE;
    return nego_services()->SetContextAttributes(&c->inner, attribute, buffer, size);
}

/* ---- export / import ---------------------------------------------------------- */

/*
 * Blob: "NEGO" (u32 0x4f47454e), version 1, flags (bit 0 initiator), the
 * selected OID TLV and the selected package's name (to import the inner
 * context), then the sibling's own exported context.
 */
#define NEGO_EXPORT_MAGIC    0x4f47454eu
#define NEGO_EXPORT_VERSION  1u
#define NEGO_EXPORT_MAX_NAME 256u

struct export_args {
    const struct nego_context *c;
    const char16_t *name;
    size_t name_len;
    const SecBuffer *inner;
};

static void write_export(struct pkg_writer *w, const void *arg)
{
    const struct export_args *a = arg;

    pkg_write_u32(w, NEGO_EXPORT_MAGIC);
    pkg_write_u32(w, NEGO_EXPORT_VERSION);
    pkg_write_u32(w, a->c->initiator ? 1u : 0u);
    pkg_write_blob(w, a->c->selected_oid, a->c->selected_oid_len);
    pkg_write_utf16(w, a->name, a->name_len);
    pkg_write_blob(w, a->inner->pvBuffer, a->inner->cbBuffer);
}

NTSTATUS NTAPI nego_export_context(LSA_SEC_HANDLE h, ULONG flags, PSecBuffer packed, PHANDLE token)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    struct nego_context *c = nego_context_from_handle(h);
    PSecPkgInfoW info = NULL;
    SecBuffer inner = {0, SECBUFFER_EMPTY, NULL};
    SECURITY_STATUS st;

    if (c == NULL || c->phase != NEGO_PHASE_DONE)
        return SEC_E_INVALID_HANDLE;
    if (packed == NULL)
        return STATUS_INVALID_PARAMETER;
    st = pkg_export_flags(flags);
    if (st == SEC_E_OK)
        st = selected_info(c, &info);
    if (st == SEC_E_OK)
        st = svc->ExportSecurityContext(&c->inner, flags, &inner, (PVOID *)token);
    if (st == SEC_E_OK) {
        size_t n = 0;
        while (info->Name[n] != 0)
            n++;
        struct export_args a = {c, info->Name, n, &inner};
        st = pkg_pack(PKG_MODE_USER, write_export, &a, packed);
    }
    if (inner.pvBuffer != NULL) {
        explicit_bzero(inner.pvBuffer, inner.cbBuffer);
        svc->FreeBuffer(inner.pvBuffer);
    }
    if (info != NULL)
        svc->FreeBuffer(info);
    return st;
}

NTSTATUS NTAPI nego_import_context(PSecBuffer packed, HANDLE token, PLSA_SEC_HANDLE h)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    struct pkg_reader r;
    char16_t *name = NULL;
    size_t name_len = 0, oid_len = 0, blob_len = 0;
    SECURITY_STATUS st;

    if (h == NULL)
        return STATUS_INVALID_PARAMETER;
    if (svc == NULL)
        return SEC_E_INTERNAL_ERROR;
    st = pkg_import_reader(packed, &r);
    if (st != SEC_E_OK)
        return st;
    uint32_t magic = pkg_read_u32(&r), version = pkg_read_u32(&r), flags = pkg_read_u32(&r);
    const uint8_t *oid = pkg_read_blob(&r, NEGO_OID_MAX, &oid_len);
    pkg_read_utf16_dup(&r, &name, NEGO_EXPORT_MAX_NAME, &name_len);
    const uint8_t *blob = pkg_read_blob(&r, NEGO_MAX_TOKEN * 16u, &blob_len);
    if (!pkg_reader_done(&r) || magic != NEGO_EXPORT_MAGIC || version != NEGO_EXPORT_VERSION ||
        flags > 1u || name == NULL || name_len == 0 || blob_len == 0 ||
        !nego_oid_valid((struct nego_view){oid, oid_len})) {
        free(name);
        return SEC_E_INVALID_TOKEN;
    }
    struct nego_context *c = pkg_object_new(&nego_context_class, PKG_SIDE_USER);
    if (c == NULL) {
        free(name);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    SecBuffer ib = {(ULONG)blob_len, SECBUFFER_EMPTY, (void *)blob};
    st = svc->ImportSecurityContext(name, &ib, token, &c->inner);
    free(name);
    if (st != SEC_E_OK) {
        pkg_object_discard(c);
        return st;
    }
    c->has_inner = true;
    c->inner_complete = true;
    c->initiator = flags & 1u;
    c->selected = -1;
    memcpy(c->selected_oid, oid, oid_len);
    c->selected_oid_len = (uint8_t)oid_len;
    memcpy(c->mech.oid, oid, oid_len);
    c->mech.oid_len = (uint8_t)oid_len;
    nego_context_complete(c);
    *h = pkg_object_handle(c);
    return SEC_E_OK;
}
