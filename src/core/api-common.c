/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-common.c - helpers shared by the SSPI entry points: descriptor checks,
 * ALLOCATE_MEMORY output buffers, package-info blocks, conversion of
 * attribute structures for the A forms and adoption of provider memory,
 * and flag names for tracing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/api-internal.h"

SECURITY_STATUS sspi_api_check_desc(const SecBufferDesc *d, bool allow_null, bool alloc_ok)
{
    if (d == NULL)
        return allow_null ? SEC_E_OK : SEC_E_INVALID_TOKEN;
    if (d->ulVersion != SECBUFFER_VERSION || d->cBuffers == 0 || d->cBuffers > SSPI_MAX_BUFFERS ||
        d->pBuffers == NULL)
        return SEC_E_INVALID_TOKEN;
    if (!alloc_ok) {
        for (uint32_t i = 0; i < d->cBuffers; i++)
            if (d->pBuffers[i].cbBuffer != 0 && d->pBuffers[i].pvBuffer == NULL)
                return SEC_E_INVALID_TOKEN;
    }
    return SEC_E_OK;
}

SECURITY_STATUS sspi_api_ustr(UNICODE_STRING *u, const char16_t *s)
{
    size_t n = sspi_utf16_len(s);

    if (n > 32767)
        return SEC_E_INVALID_PARAMETER;
    u->Length = (USHORT)(n * sizeof(char16_t));
    u->MaximumLength = s == NULL ? 0 : (USHORT)((n + 1) * sizeof(char16_t));
    u->Buffer = (PWSTR)s;
    return SEC_E_OK;
}

bool sspi_api_a2w(const char *s, char16_t **out)
{
    *out = NULL;
    if (s == NULL)
        return true;
    *out = sspi_utf8_to_utf16(s, SSPI_UTF16_NUL_TERMINATED, NULL);
    return *out != NULL;
}

struct sspi_package *sspi_api_find(bool ansi, const void *name)
{
    if (name == NULL)
        return NULL;
    return ansi ? sspi_registry_find_a(name) : sspi_registry_find_w(name);
}

const char *sspi_api_trace_name(const struct sspi_package *pkg, bool ansi, const void *asked,
                                char *buf, size_t cap)
{
    size_t n = 0;
    char *u;

    if (pkg != NULL)
        return pkg->name_utf8;
    if (asked == NULL || cap == 0)
        return NULL;
    if (ansi) {
        snprintf(buf, cap, "%s", (const char *)asked);
        return buf;
    }
    while (n < cap && ((const char16_t *)asked)[n] != 0)
        n++;
    u = sspi_utf16_to_utf8_lossy(asked, n, NULL);
    snprintf(buf, cap, "%s", u != NULL ? u : "?");
    free(u);
    return buf;
}

void sspi_api_mem_free_fn(void *p)
{
    (void)sspi_mem_free(p);
}

SECURITY_STATUS sspi_api_out_prealloc(SecBufferDesc *out, uint32_t size, void **ours)
{
    if (out == NULL)
        return SEC_E_OK;
    for (uint32_t i = 0; i < out->cBuffers; i++) {
        SecBuffer *b = &out->pBuffers[i];

        ours[i] = NULL;
        if (b->pvBuffer != NULL)
            continue;
        ours[i] = sspi_mem_alloc(size);
        if (ours[i] == NULL) {
            for (uint32_t j = 0; j < i; j++) {
                if (ours[j] != NULL) {
                    sspi_mem_free(ours[j]);
                    out->pBuffers[j].pvBuffer = NULL;
                    out->pBuffers[j].cbBuffer = 0;
                    ours[j] = NULL;
                }
            }
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        b->pvBuffer = ours[i];
        b->cbBuffer = size;
    }
    return SEC_E_OK;
}

void sspi_api_out_finish(SecBufferDesc *out, void **ours, bool success)
{
    if (out == NULL)
        return;
    for (uint32_t i = 0; i < out->cBuffers; i++) {
        SecBuffer *b = &out->pBuffers[i];

        if (ours[i] == NULL)
            continue;
        if (b->pvBuffer != ours[i]) {
            sspi_mem_free(ours[i]);
        } else if (b->cbBuffer == 0 || !success) {
            sspi_mem_free(ours[i]);
            b->pvBuffer = NULL;
            b->cbBuffer = 0;
        }
        ours[i] = NULL;
    }
}

void sspi_api_out_snapshot(const SecBufferDesc *out, struct sspi_out_snapshot *snap)
{
    snap->pbuffers = out != NULL ? out->pBuffers : NULL;
    snap->count = out != NULL ? out->cBuffers : 0;
    if (snap->count > 0)
        memcpy(snap->b, out->pBuffers, snap->count * sizeof(SecBuffer));
}

/* Why buffer `b` (was `o`) is unacceptable, or NULL; *free_new is set
 * when b's pvBuffer is a package block to release. */
static const char *out_buffer_fault(const SecBuffer *b, const SecBuffer *o, bool *free_new)
{
    size_t size = 0;

    *free_new = false;
    if (b->BufferType != o->BufferType)
        return "type changed";
    if (b->pvBuffer == o->pvBuffer)
        return b->cbBuffer > o->cbBuffer ? "cbBuffer larger than the buffer given" : NULL;
    if (b->pvBuffer == NULL)
        return b->cbBuffer != 0 ? "cbBuffer set with no pvBuffer" : NULL;
    if (!sspi_mem_lookup(b->pvBuffer, &size))
        return "pvBuffer not from AllocateLsaHeap";
    *free_new = true;
    return b->cbBuffer > size ? "cbBuffer larger than the block" : NULL;
}

bool sspi_api_out_verify(SecBufferDesc *out, const struct sspi_out_snapshot *snap, const char *fn,
                         const struct sspi_package *pkg)
{
    bool ok = true;

    if (out == NULL)
        return true;
    if (out->pBuffers != snap->pbuffers || out->cBuffers != snap->count) {
        sspi_trace("%s: package %s changed the output SecBufferDesc (%u buffers); refused", fn,
                   sspi_pkg_name(pkg), (unsigned)out->cBuffers);
        out->pBuffers = (SecBuffer *)snap->pbuffers;
        out->cBuffers = snap->count;
        ok = false;
    }
    for (uint32_t i = 0; i < snap->count; i++) {
        SecBuffer *b = &out->pBuffers[i];
        const SecBuffer *o = &snap->b[i];
        bool free_new;
        const char *why = out_buffer_fault(b, o, &free_new);

        if (why == NULL)
            continue;
        sspi_trace("%s: package %s: output buffer %u: %s (type %#x, %u bytes; given type %#x, "
                   "%u bytes); refused",
                   fn, sspi_pkg_name(pkg), (unsigned)i, why, (unsigned)b->BufferType,
                   (unsigned)b->cbBuffer, (unsigned)o->BufferType, (unsigned)o->cbBuffer);
        if (free_new)
            (void)sspi_mem_free(b->pvBuffer);
        b->pvBuffer = o->pvBuffer;
        b->BufferType = o->BufferType;
        b->cbBuffer = 0;
        ok = false;
    }
    return ok;
}

/* ---- package-info blocks ----------------------------------------------- */

static SecPkgInfoW *block_w(const SecPkgInfoW *const *src, uint32_t n)
{
    size_t total = (size_t)n * sizeof(SecPkgInfoW);
    SecPkgInfoW *blk;
    char16_t *p;

    for (uint32_t i = 0; i < n; i++)
        total += (sspi_utf16_len(src[i]->Name) + 1 + sspi_utf16_len(src[i]->Comment) + 1) *
                 sizeof(char16_t);
    blk = sspi_mem_alloc(total);
    if (blk == NULL)
        return NULL;
    p = (char16_t *)(blk + n);
    for (uint32_t i = 0; i < n; i++) {
        const char16_t *strs[2] = {src[i]->Name, src[i]->Comment};
        SEC_WCHAR **dst[2] = {&blk[i].Name, &blk[i].Comment};

        blk[i] = *src[i];
        for (int k = 0; k < 2; k++) {
            size_t len = sspi_utf16_len(strs[k]);

            if (strs[k] == NULL) {
                *dst[k] = NULL;
                continue;
            }
            memcpy(p, strs[k], len * sizeof(char16_t));
            p[len] = 0;
            *dst[k] = p;
            p += len + 1;
        }
    }
    return blk;
}

static SecPkgInfoA *block_a_from_w(const SecPkgInfoW *const *src, uint32_t n)
{
    size_t total = (size_t)n * sizeof(SecPkgInfoA);
    SecPkgInfoA *blk;
    char *p, *end;

    for (uint32_t i = 0; i < n; i++) {
        size_t a = sspi_utf16_utf8_size(src[i]->Name, SSPI_UTF16_NUL_TERMINATED);
        size_t b = sspi_utf16_utf8_size(src[i]->Comment, SSPI_UTF16_NUL_TERMINATED);

        if (a == (size_t)-1 || b == (size_t)-1)
            return NULL;
        total += a + 1 + b + 1;
    }
    blk = sspi_mem_alloc(total);
    if (blk == NULL)
        return NULL;
    p = (char *)(blk + n);
    end = (char *)blk + total;
    for (uint32_t i = 0; i < n; i++) {
        const char16_t *strs[2] = {src[i]->Name, src[i]->Comment};
        SEC_CHAR **dst[2] = {&blk[i].Name, &blk[i].Comment};

        blk[i].fCapabilities = src[i]->fCapabilities;
        blk[i].wVersion = src[i]->wVersion;
        blk[i].wRPCID = src[i]->wRPCID;
        blk[i].cbMaxToken = src[i]->cbMaxToken;
        for (int k = 0; k < 2; k++) {
            size_t w;

            if (strs[k] == NULL) {
                *dst[k] = NULL;
                continue;
            }
            w = sspi_utf16_to_utf8_buf(strs[k], SSPI_UTF16_NUL_TERMINATED, p, (size_t)(end - p));
            *dst[k] = p;
            p += w + 1;
        }
    }
    return blk;
}

static SecPkgInfoA *block_a(const SecPkgInfoA *const *src, uint32_t n)
{
    size_t total = (size_t)n * sizeof(SecPkgInfoA);
    SecPkgInfoA *blk;
    char *p;

    for (uint32_t i = 0; i < n; i++)
        total += (src[i]->Name ? strlen(src[i]->Name) : 0) + 1 +
                 (src[i]->Comment ? strlen(src[i]->Comment) : 0) + 1;
    blk = sspi_mem_alloc(total);
    if (blk == NULL)
        return NULL;
    p = (char *)(blk + n);
    for (uint32_t i = 0; i < n; i++) {
        const char *strs[2] = {src[i]->Name, src[i]->Comment};
        SEC_CHAR **dst[2] = {&blk[i].Name, &blk[i].Comment};

        blk[i] = *src[i];
        for (int k = 0; k < 2; k++) {
            size_t len;

            if (strs[k] == NULL) {
                *dst[k] = NULL;
                continue;
            }
            len = strlen(strs[k]);
            memcpy(p, strs[k], len + 1);
            *dst[k] = p;
            p += len + 1;
        }
    }
    return blk;
}

SecPkgInfoW *sspi_api_pkginfo_block_w(struct sspi_package *const *pkgs, uint32_t count)
{
    const SecPkgInfoW **src = calloc(count ? count : 1, sizeof(*src));
    SecPkgInfoW *blk;

    if (src == NULL)
        return NULL;
    for (uint32_t i = 0; i < count; i++)
        src[i] = &pkgs[i]->info;
    blk = block_w(src, count);
    free(src);
    return blk;
}

SecPkgInfoA *sspi_api_pkginfo_block_a(struct sspi_package *const *pkgs, uint32_t count)
{
    const SecPkgInfoW **src = calloc(count ? count : 1, sizeof(*src));
    SecPkgInfoA *blk;

    if (src == NULL)
        return NULL;
    for (uint32_t i = 0; i < count; i++)
        src[i] = &pkgs[i]->info;
    blk = block_a_from_w(src, count);
    free(src);
    return blk;
}

/* ---- attribute structures ---------------------------------------------- */

enum field_kind {
    FK_END,
    FK_STR,  /* SEC_WCHAR* or SEC_CHAR* following the form */
    FK_WSTR, /* always SEC_WCHAR* (no A form of the structure) */
    FK_PKGINFO,
    FK_BYTES32, /* pointer with a uint32_t byte count */
    FK_BYTES16, /* pointer with a uint16_t byte count */
};

struct field {
    uint8_t kind;
    uint8_t off;
    uint8_t len_off;
};

struct attr_layout {
    uint32_t attribute;
    uint16_t size;
    struct field fields[3];
};

static const struct attr_layout ctx_layouts[] = {
    {SECPKG_ATTR_SIZES, sizeof(SecPkgContext_Sizes), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_NAMES, sizeof(SecPkgContext_NamesW), {{FK_STR, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_LIFESPAN, sizeof(SecPkgContext_Lifespan), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_DCE_INFO, sizeof(SecPkgContext_DceInfo), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_STREAM_SIZES, sizeof(SecPkgContext_StreamSizes), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_KEY_INFO,
     sizeof(SecPkgContext_KeyInfoW),
     {{FK_STR, 0, 0}, {FK_STR, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_AUTHORITY, sizeof(SecPkgContext_AuthorityW), {{FK_STR, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_PROTO_INFO, sizeof(SecPkgContext_ProtoInfoW), {{FK_STR, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_PASSWORD_EXPIRY, sizeof(SecPkgContext_PasswordExpiry), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_SESSION_KEY,
     sizeof(SecPkgContext_SessionKey),
     {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_PACKAGE_INFO,
     sizeof(SecPkgContext_PackageInfoW),
     {{FK_PKGINFO, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_NEGOTIATION_PACKAGE,
     sizeof(SecPkgContext_PackageInfoW),
     {{FK_PKGINFO, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_USER_FLAGS, sizeof(SecPkgContext_UserFlags), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_NEGOTIATION_INFO,
     sizeof(SecPkgContext_NegotiationInfoW),
     {{FK_PKGINFO, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_NATIVE_NAMES,
     sizeof(SecPkgContext_NativeNamesW),
     {{FK_STR, 0, 0}, {FK_STR, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_FLAGS, sizeof(SecPkgContext_Flags), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_CREDENTIAL_NAME,
     sizeof(SecPkgContext_CredentialNameW),
     {{FK_STR, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_TARGET_INFORMATION,
     sizeof(SecPkgContext_TargetInformation),
     {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_ACCESS_TOKEN, sizeof(SecPkgContext_AccessToken), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_TARGET, sizeof(SecPkgContext_Target), {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_LOGOFF_TIME, sizeof(SecPkgContext_LogoffTime), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_NEGO_KEYS,
     sizeof(SecPkgContext_NegoKeys),
     {{FK_BYTES16, 8, 4}, {FK_BYTES16, 24, 20}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_UNIQUE_BINDINGS,
     sizeof(SecPkgContext_Bindings),
     {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_ENDPOINT_BINDINGS,
     sizeof(SecPkgContext_Bindings),
     {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_CLIENT_SPECIFIED_TARGET,
     sizeof(SecPkgContext_ClientSpecifiedTarget),
     {{FK_WSTR, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_ATTR_APPLICATION_PROTOCOL, sizeof(SecPkgContext_ApplicationProtocol), {{FK_END, 0, 0}}},
    {SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS,
     sizeof(SecPkgContext_NegotiatedTlsExtensions),
     {{FK_END, 0, 0}}},
};

static const struct attr_layout cred_layouts[] = {
    {SECPKG_CRED_ATTR_NAMES, sizeof(SecPkgCredentials_NamesW), {{FK_STR, 0, 0}, {FK_END, 0, 0}}},
    {SECPKG_CRED_ATTR_SSI_PROVIDER,
     sizeof(SecPkgCredentials_SSIProviderW),
     {{FK_STR, 0, 0}, {FK_BYTES32, 16, 8}, {FK_END, 0, 0}}},
    {SECPKG_CRED_ATTR_CERT, sizeof(SecPkgCredentials_Cert), {{FK_BYTES32, 8, 0}, {FK_END, 0, 0}}},
};

_Static_assert(offsetof(SecPkgContext_CredentialNameW, sCredentialName) == 8, "layout");
_Static_assert(offsetof(SecPkgContext_NegoKeys, VerifyKeyValue) == 24, "layout");
_Static_assert(offsetof(SecPkgContext_NegoKeys, VerifyKeyLength) == 20, "layout");
_Static_assert(offsetof(SecPkgCredentials_SSIProviderW, ProviderInfo) == 16, "layout");
_Static_assert(offsetof(SecPkgContext_SessionKey, SessionKey) == 8, "layout");

static const struct attr_layout *find_layout(bool cred, uint32_t attribute)
{
    const struct attr_layout *t = cred ? cred_layouts : ctx_layouts;
    size_t n = cred ? sizeof(cred_layouts) / sizeof(cred_layouts[0])
                    : sizeof(ctx_layouts) / sizeof(ctx_layouts[0]);

    for (size_t i = 0; i < n; i++)
        if (t[i].attribute == attribute)
            return &t[i];
    return NULL;
}

size_t sspi_api_attr_size(bool cred, uint32_t attribute)
{
    const struct attr_layout *l = find_layout(cred, attribute);

    return l == NULL ? 0 : l->size;
}

/* Release a package-returned SecPkgInfo: our allocator may hold the strings
 * as separate blocks; a provider's is one block. */
static void free_pkginfo(void *info, sspi_free_fn orig_free)
{
    if (info == NULL)
        return;
    if (orig_free == sspi_api_mem_free_fn) {
        const SecPkgInfoW *w = info;
        size_t sz = sspi_mem_size(info);
        const char *lo = info, *hi = lo + sz;
        void *strs[2] = {w->Name, w->Comment};

        /* Strings outside the block are separate allocations (a Comment
         * equal to Name is freed once). */
        for (int k = 0; k < 2; k++) {
            const char *s = strs[k];

            if (s == NULL || (s >= lo && s < hi) || (k == 1 && strs[1] == strs[0]))
                continue;
            (void)sspi_mem_free(strs[k]);
        }
    }
    orig_free(info);
}

static void *convert_field(const struct field *f, void *src, const unsigned char *base,
                           enum sspi_fixup_mode mode, sspi_free_fn orig_free, bool *fail)
{
    void *dst = NULL;
    bool ours = orig_free == sspi_api_mem_free_fn;

    if (src == NULL)
        return NULL;
    switch (f->kind) {
    case FK_STR:
    case FK_WSTR:
        if (mode == SSPI_FIXUP_W2A && f->kind == FK_STR) {
            char *tmp = sspi_utf16_to_utf8_lossy(src, SSPI_UTF16_NUL_TERMINATED, NULL);

            if (tmp != NULL) {
                dst = sspi_mem_strdup(tmp);
                explicit_bzero(tmp, strlen(tmp));
                free(tmp);
            }
        } else if (mode == SSPI_FIXUP_COPYA && f->kind == FK_STR) {
            dst = sspi_mem_strdup(src);
        } else if (mode == SSPI_FIXUP_W2A && ours) {
            return src; /* W-only structure already in our memory */
        } else {
            dst = sspi_mem_u16dup(src);
        }
        break;
    case FK_PKGINFO: {
        if (mode == SSPI_FIXUP_W2A) {
            const SecPkgInfoW *one = src;
            dst = block_a_from_w(&one, 1);
        } else if (mode == SSPI_FIXUP_COPYW) {
            const SecPkgInfoW *one = src;
            dst = block_w(&one, 1);
        } else {
            const SecPkgInfoA *one = src;
            dst = block_a(&one, 1);
        }
        break;
    }
    case FK_BYTES32:
    case FK_BYTES16: {
        size_t len;

        if (mode == SSPI_FIXUP_W2A && ours)
            return src; /* already our memory; nothing to convert */
        if (f->kind == FK_BYTES32) {
            uint32_t l;
            memcpy(&l, base + f->len_off, sizeof(l));
            len = l;
        } else {
            uint16_t l;
            memcpy(&l, base + f->len_off, sizeof(l));
            len = l;
        }
        dst = sspi_mem_alloc(len);
        if (dst != NULL)
            memcpy(dst, src, len);
        break;
    }
    default:
        return src;
    }
    if (dst == NULL)
        *fail = true;
    return dst;
}

SECURITY_STATUS sspi_api_attr_fixup(bool cred, uint32_t attribute, void *buf,
                                    enum sspi_fixup_mode mode, sspi_free_fn orig_free)
{
    const struct attr_layout *l = find_layout(cred, attribute);
    unsigned char *base = buf;
    void *orig[3] = {NULL, NULL, NULL}, *nv[3] = {NULL, NULL, NULL};
    bool fail = false;
    int n = 0;

    if (l == NULL || buf == NULL)
        return SEC_E_OK;
    for (; n < 3 && l->fields[n].kind != FK_END; n++) {
        memcpy(&orig[n], base + l->fields[n].off, sizeof(void *));
        nv[n] = convert_field(&l->fields[n], orig[n], base, mode, orig_free, &fail);
    }
    for (int i = 0; i < n; i++) {
        if (nv[i] == orig[i])
            continue; /* untouched */
        if (l->fields[i].kind == FK_PKGINFO)
            free_pkginfo(orig[i], orig_free);
        else
            orig_free(orig[i]);
        if (fail) {
            sspi_mem_free(nv[i]);
            nv[i] = NULL;
        }
        memcpy(base + l->fields[i].off, &nv[i], sizeof(void *));
    }
    if (fail) {
        for (int i = 0; i < n; i++) {
            if (nv[i] == orig[i] && orig[i] != NULL) {
                if (l->fields[i].kind == FK_PKGINFO)
                    free_pkginfo(orig[i], orig_free);
                else
                    orig_free(orig[i]);
                memset(base + l->fields[i].off, 0, sizeof(void *));
            }
        }
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}

/* ---- tracing ----------------------------------------------------------- */

const struct sspi_flag_name sspi_isc_req_names[] = {
    {ISC_REQ_DELEGATE, "ISC_REQ_DELEGATE"},
    {ISC_REQ_MUTUAL_AUTH, "ISC_REQ_MUTUAL_AUTH"},
    {ISC_REQ_REPLAY_DETECT, "ISC_REQ_REPLAY_DETECT"},
    {ISC_REQ_SEQUENCE_DETECT, "ISC_REQ_SEQUENCE_DETECT"},
    {ISC_REQ_CONFIDENTIALITY, "ISC_REQ_CONFIDENTIALITY"},
    {ISC_REQ_USE_SESSION_KEY, "ISC_REQ_USE_SESSION_KEY"},
    {ISC_REQ_PROMPT_FOR_CREDS, "ISC_REQ_PROMPT_FOR_CREDS"},
    {ISC_REQ_USE_SUPPLIED_CREDS, "ISC_REQ_USE_SUPPLIED_CREDS"},
    {ISC_REQ_ALLOCATE_MEMORY, "ISC_REQ_ALLOCATE_MEMORY"},
    {ISC_REQ_USE_DCE_STYLE, "ISC_REQ_USE_DCE_STYLE"},
    {ISC_REQ_DATAGRAM, "ISC_REQ_DATAGRAM"},
    {ISC_REQ_CONNECTION, "ISC_REQ_CONNECTION"},
    {ISC_REQ_CALL_LEVEL, "ISC_REQ_CALL_LEVEL"},
    {ISC_REQ_FRAGMENT_SUPPLIED, "ISC_REQ_FRAGMENT_SUPPLIED"},
    {ISC_REQ_EXTENDED_ERROR, "ISC_REQ_EXTENDED_ERROR"},
    {ISC_REQ_STREAM, "ISC_REQ_STREAM"},
    {ISC_REQ_INTEGRITY, "ISC_REQ_INTEGRITY"},
    {ISC_REQ_IDENTIFY, "ISC_REQ_IDENTIFY"},
    {ISC_REQ_NULL_SESSION, "ISC_REQ_NULL_SESSION"},
    {ISC_REQ_MANUAL_CRED_VALIDATION, "ISC_REQ_MANUAL_CRED_VALIDATION"},
    {ISC_REQ_RESERVED1, "ISC_REQ_RESERVED1"},
    {ISC_REQ_FRAGMENT_TO_FIT, "ISC_REQ_FRAGMENT_TO_FIT"},
    {ISC_REQ_FORWARD_CREDENTIALS, "ISC_REQ_FORWARD_CREDENTIALS"},
    {ISC_REQ_NO_INTEGRITY, "ISC_REQ_NO_INTEGRITY"},
    {ISC_REQ_USE_HTTP_STYLE, "ISC_REQ_USE_HTTP_STYLE"},
    {ISC_REQ_UNVERIFIED_TARGET_NAME, "ISC_REQ_UNVERIFIED_TARGET_NAME"},
    {ISC_REQ_CONFIDENTIALITY_ONLY, "ISC_REQ_CONFIDENTIALITY_ONLY"},
    {0, NULL},
};

const struct sspi_flag_name sspi_asc_req_names[] = {
    {ASC_REQ_DELEGATE, "ASC_REQ_DELEGATE"},
    {ASC_REQ_MUTUAL_AUTH, "ASC_REQ_MUTUAL_AUTH"},
    {ASC_REQ_REPLAY_DETECT, "ASC_REQ_REPLAY_DETECT"},
    {ASC_REQ_SEQUENCE_DETECT, "ASC_REQ_SEQUENCE_DETECT"},
    {ASC_REQ_CONFIDENTIALITY, "ASC_REQ_CONFIDENTIALITY"},
    {ASC_REQ_USE_SESSION_KEY, "ASC_REQ_USE_SESSION_KEY"},
    {ASC_REQ_SESSION_TICKET, "ASC_REQ_SESSION_TICKET"},
    {ASC_REQ_ALLOCATE_MEMORY, "ASC_REQ_ALLOCATE_MEMORY"},
    {ASC_REQ_USE_DCE_STYLE, "ASC_REQ_USE_DCE_STYLE"},
    {ASC_REQ_DATAGRAM, "ASC_REQ_DATAGRAM"},
    {ASC_REQ_CONNECTION, "ASC_REQ_CONNECTION"},
    {ASC_REQ_CALL_LEVEL, "ASC_REQ_CALL_LEVEL"},
    {ASC_REQ_FRAGMENT_SUPPLIED, "ASC_REQ_FRAGMENT_SUPPLIED"},
    {ASC_REQ_EXTENDED_ERROR, "ASC_REQ_EXTENDED_ERROR"},
    {ASC_REQ_STREAM, "ASC_REQ_STREAM"},
    {ASC_REQ_INTEGRITY, "ASC_REQ_INTEGRITY"},
    {ASC_REQ_LICENSING, "ASC_REQ_LICENSING"},
    {ASC_REQ_IDENTIFY, "ASC_REQ_IDENTIFY"},
    {ASC_REQ_ALLOW_NULL_SESSION, "ASC_REQ_ALLOW_NULL_SESSION"},
    {ASC_REQ_ALLOW_NON_USER_LOGONS, "ASC_REQ_ALLOW_NON_USER_LOGONS"},
    {ASC_REQ_ALLOW_CONTEXT_REPLAY, "ASC_REQ_ALLOW_CONTEXT_REPLAY"},
    {ASC_REQ_FRAGMENT_TO_FIT, "ASC_REQ_FRAGMENT_TO_FIT"},
    {ASC_REQ_NO_TOKEN, "ASC_REQ_NO_TOKEN"},
    {ASC_REQ_PROXY_BINDINGS, "ASC_REQ_PROXY_BINDINGS"},
    {ASC_REQ_ALLOW_MISSING_BINDINGS, "ASC_REQ_ALLOW_MISSING_BINDINGS"},
    {0, NULL},
};

const struct sspi_flag_name sspi_cred_use_names[] = {
    {SECPKG_CRED_INBOUND, "SECPKG_CRED_INBOUND"},
    {SECPKG_CRED_OUTBOUND, "SECPKG_CRED_OUTBOUND"},
    {SECPKG_CRED_DEFAULT, "SECPKG_CRED_DEFAULT"},
    {SECPKG_CRED_AUTOLOGON_RESTRICTED, "SECPKG_CRED_AUTOLOGON_RESTRICTED"},
    {SECPKG_CRED_PROCESS_POLICY_ONLY, "SECPKG_CRED_PROCESS_POLICY_ONLY"},
    {0, NULL},
};

const char *sspi_api_flags_text(const struct sspi_flag_name *names, uint32_t flags, char *buf,
                                size_t cap)
{
    size_t len = 0;
    uint32_t rest = flags;

    buf[0] = 0;
    for (size_t i = 0; names[i].name != NULL && len < cap; i++) {
        if ((flags & names[i].bit) != names[i].bit || names[i].bit == 0)
            continue;
        rest &= ~names[i].bit;
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "|" : "", names[i].name);
    }
    if (len < cap && (rest != 0 || len == 0))
        snprintf(buf + len, cap - len, "%s0x%x", len ? "|" : "", rest);
    return buf;
}
