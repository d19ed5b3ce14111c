/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-attributes.c - the one path behind Query/Set(Context|Credentials)
 * Attributes[Ex] (A and W): handle lookup, argument checks, the Ex size
 * rules, the package's operation, the attributes the core answers itself
 * for contexts (PACKAGE_INFO, NEGOTIATION_INFO, ACCESS_TOKEN) and tracing.
 *
 * Status choices for bad input:
 *   NULL, invalid, stale or wrong-kind handle            SEC_E_INVALID_HANDLE
 *   NULL pBuffer (Query), NULL pBuffer with cbBuffer > 0
 *   (Set), Ex form with cbBuffer 0                       SEC_E_INVALID_PARAMETER
 *   Ex form with cbBuffer below the attribute's structure SEC_E_BUFFER_TOO_SMALL
 *   attribute the package does not answer               SEC_E_UNSUPPORTED_FUNCTION
 */
#include <string.h>

#include "core/dispatch.h"

/*
 * Attributes the core answers for every package that does not answer them
 * itself: PACKAGE_INFO, and NEGOTIATION_INFO (the package itself,
 * SECPKG_NEGOTIATION_COMPLETE once the context is established, else
 * IN_PROGRESS).  The SecPkgInfo is one block freed by one
 * FreeContextBuffer, with UTF-8 strings for the A forms.  ACCESS_TOKEN
 * where the shape has the core's access tokens (impersonate.c).  Other
 * attributes stay SEC_E_UNSUPPORTED_FUNCTION.
 */
static SECURITY_STATUS core_attribute(struct sspi_context *ctx, const SecHandle *ph, bool ansi,
                                      uint32_t attr, void *target)
{
    struct sspi_package *pkg = ctx->pkg;
    void *info;

    if (attr == SECPKG_ATTR_ACCESS_TOKEN && pkg->ops->access_token != NULL)
        return pkg->ops->access_token(ctx, (PCtxtHandle)ph, target);
    if (attr != SECPKG_ATTR_PACKAGE_INFO && attr != SECPKG_ATTR_NEGOTIATION_INFO)
        return SEC_E_UNSUPPORTED_FUNCTION;
    info = ansi ? (void *)sspi_api_pkginfo_block_a(&pkg, 1)
                : (void *)sspi_api_pkginfo_block_w(&pkg, 1);
    if (info == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (attr == SECPKG_ATTR_NEGOTIATION_INFO) {
        SecPkgContext_NegotiationInfoW ni = {
            .PackageInfo = info,
            .NegotiationState = atomic_load(&ctx->complete) ? SECPKG_NEGOTIATION_COMPLETE
                                                            : SECPKG_NEGOTIATION_IN_PROGRESS,
        };

        _Static_assert(sizeof(ni) == sizeof(SecPkgContext_NegotiationInfoA), "layout");
        memcpy(target, &ni, sizeof(ni));
    } else {
        memcpy(target, &info, sizeof(info));
    }
    return SEC_E_OK;
}

/* Look up the credential or context behind `ph` (SEC_E_INVALID_HANDLE)
 * and check the buffer arguments common to Query and Set (NULL buffer with
 * a size, SEC_E_INVALID_PARAMETER); *pkg is set once the object is found. */
static SECURITY_STATUS attr_begin(enum sspi_handle_kind kind, const SecHandle *ph, void *buf,
                                  uint32_t cb, bool need_buf, struct sspi_slot **slot, void **obj,
                                  struct sspi_package **pkg)
{
    *obj = sspi_handle_acquire(ph, kind, slot);
    if (*obj == NULL)
        return SEC_E_INVALID_HANDLE;
    *pkg = kind == SSPI_HANDLE_CREDENTIAL ? ((struct sspi_credential *)*obj)->pkg
                                          : ((struct sspi_context *)*obj)->pkg;
    if (buf == NULL && (need_buf || cb != 0))
        return SEC_E_INVALID_PARAMETER;
    return SEC_E_OK;
}

/* Release and trace a Query/Set call. */
static SECURITY_STATUS attr_end(const char *fn, const SecHandle *ph, struct sspi_slot *slot,
                                const struct sspi_package *pkg, SECURITY_STATUS st, bool tr,
                                uint64_t t0)
{
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr)
        sspi_trace_call(fn, sspi_pkg_name(pkg), ph, NULL, st, t0);
    return st;
}

/* See api-internal.h.  The Ex forms are answered into a zeroed scratch
 * structure first, so a package writing the whole structure never writes
 * past a caller's cbBuffer. */
SECURITY_STATUS sspi_api_query_attributes(const char *fn, enum sspi_handle_kind kind, bool ansi,
                                          bool ex, const SecHandle *ph, uint32_t attr, void *buf,
                                          uint32_t cb)
{
    TRACE_BEGIN();
    bool cred = kind == SSPI_HANDLE_CREDENTIAL;
    struct sspi_slot *slot = NULL;
    struct sspi_package *pkg = NULL;
    union {
        max_align_t align;
        unsigned char b[512];
    } scratch;
    void *obj, *target = buf;
    SECURITY_STATUS st;

    st = attr_begin(kind, ph, buf, 0, true, &slot, &obj, &pkg);
    if (st == SEC_E_OK && ex && cb == 0)
        st = SEC_E_INVALID_PARAMETER;
    if (st != SEC_E_OK)
        goto out;
    if (ex) {
        size_t need = sspi_api_attr_size(cred, attr);

        if (need != 0 && cb < need) {
            st = SEC_E_BUFFER_TOO_SMALL;
            goto out;
        }
        if (cb <= sizeof(scratch.b)) {
            memset(&scratch, 0, sizeof(scratch));
            target = scratch.b;
        }
    }
    st = pkg->ops->query_attr(kind, obj, ansi, attr, target);
    if (st == SEC_E_UNSUPPORTED_FUNCTION && !cred)
        st = core_attribute(obj, ph, ansi, attr, target);
    if (SEC_SUCCESS(st) && target != buf)
        memcpy(buf, target, cb);
out:
    return attr_end(fn, ph, slot, pkg, st, TRACE_ON(), TRACE_T0);
}

/* See api-internal.h. */
SECURITY_STATUS sspi_api_set_attributes(const char *fn, enum sspi_handle_kind kind, bool ansi,
                                        const SecHandle *ph, uint32_t attr, void *buf, uint32_t cb)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_package *pkg = NULL;
    void *obj;
    SECURITY_STATUS st = attr_begin(kind, ph, buf, cb, false, &slot, &obj, &pkg);

    if (st == SEC_E_OK)
        st = pkg->ops->set_attr(kind, obj, ansi, attr, buf, cb);
    return attr_end(fn, ph, slot, pkg, st, TRACE_ON(), TRACE_T0);
}

/* See api-internal.h. */
SECURITY_STATUS sspi_api_query_context_w(PCtxtHandle ph, uint32_t attr, void *buf)
{
    return sspi_api_query_attributes("QueryContextAttributesW", SSPI_HANDLE_CONTEXT, false, false,
                                     ph, attr, buf, 0);
}
