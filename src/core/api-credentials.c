/*
 * api-credentials.c - credential entry points: AcquireCredentialsHandle,
 * FreeCredentialsHandle, AddCredentials, Query/SetCredentialsAttributes
 * (A and W forms), dispatched to the package's LSA-mode table or to a
 * provider's own table.
 *
 * Status choices for bad input (all entry points here):
 *   NULL or invalid credential handle (pointer)   SEC_E_INVALID_HANDLE
 *   NULL or unknown/removed package name          SEC_E_SECPKG_NOT_FOUND
 *   NULL attribute buffer, string too long,
 *   invalid UTF-8 in an A string argument         SEC_E_INVALID_PARAMETER
 *   malformed or unreadable EX/EX2 identity       SEC_E_INVALID_PARAMETER
 *   Ex form with cbBuffer below the structure     SEC_E_BUFFER_TOO_SMALL
 *   package slot not implemented                  SEC_E_UNSUPPORTED_FUNCTION
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/api-internal.h"
#include "core/identity-core.h"

#define TRACE_BEGIN()                                                                              \
    bool tr_ = sspi_trace_enabled();                                                               \
    uint64_t t0_ = tr_ ? sspi_trace_now_ns() : 0

void sspi_api_credential_destroy(void *obj)
{
    struct sspi_credential *cred = obj;
    struct sspi_package *pkg = cred->pkg;

    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        FREE_CREDENTIALS_HANDLE_FN fn = SSPI_PROV_FN(pkg, FreeCredentialsHandle);

        if (fn != NULL)
            fn(&cred->prov);
    } else if (pkg->lsa.FreeCredentialsHandle != NULL) {
        pkg->lsa.FreeCredentialsHandle(cred->lsa);
    }
    explicit_bzero(cred, sizeof(*cred));
    free(cred);
}

static void *getkey_ptr(SEC_GET_KEY_FN fn)
{
    void *p;

    _Static_assert(sizeof(p) == sizeof(fn), "function pointer size");
    memcpy(&p, &fn, sizeof(p));
    return p;
}

/* ---- AcquireCredentialsHandle ------------------------------------------ */

static SECURITY_STATUS acquire_provider(bool ansi, struct sspi_package *pkg,
                                        const char16_t *principal_w, const char *principal_a,
                                        uint32_t use, void *logon, void *auth,
                                        SEC_GET_KEY_FN getkey, void *arg,
                                        struct sspi_credential *cred, TimeStamp *ts)
{
    SECURITY_STATUS st;
    char *tmp = NULL;

    if (ansi && pkg->prov_a != NULL && pkg->prov_a->AcquireCredentialsHandleA != NULL)
        return pkg->prov_a->AcquireCredentialsHandleA((SEC_CHAR *)principal_a, pkg->name_utf8, use,
                                                      logon, auth, getkey, arg, &cred->prov, ts);
    if (pkg->prov_w != NULL && pkg->prov_w->AcquireCredentialsHandleW != NULL)
        return pkg->prov_w->AcquireCredentialsHandleW((SEC_WCHAR *)principal_w, pkg->name, use,
                                                      logon, auth, getkey, arg, &cred->prov, ts);
    if (pkg->prov_a == NULL || pkg->prov_a->AcquireCredentialsHandleA == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (principal_w != NULL) {
        tmp = sspi_utf16_to_utf8(principal_w, SSPI_UTF16_NUL_TERMINATED, NULL);
        if (tmp == NULL)
            return SEC_E_INVALID_PARAMETER;
    }
    st = pkg->prov_a->AcquireCredentialsHandleA(tmp, pkg->name_utf8, use, logon, auth, getkey, arg,
                                                &cred->prov, ts);
    free(tmp);
    return st;
}

static SECURITY_STATUS acquire_common(bool ansi, const char16_t *principal_w,
                                      const char *principal_a, const void *package, uint32_t use,
                                      void *logon, void *auth, SEC_GET_KEY_FN getkey, void *arg,
                                      PCredHandle ph, PTimeStamp exp, bool principal_bad)
{
    TRACE_BEGIN();
    struct sspi_package *pkg = NULL;
    struct sspi_credential *cred = NULL;
    SEC_WINNT_AUTH_IDENTITY_EXW *built = NULL;
    TimeStamp ts = {.QuadPart = 0};
    SECURITY_STATUS st;

    if (ph == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = sspi_api_find(ansi, package);
    if (pkg == NULL) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    if (principal_bad) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    cred->pkg = pkg;
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        st = acquire_provider(ansi, pkg, principal_w, principal_a, use, logon, auth, getkey, arg,
                              cred, &ts);
    } else {
        UNICODE_STRING pr;

        if (pkg->lsa.AcquireCredentialsHandle == NULL) {
            st = SEC_E_UNSUPPORTED_FUNCTION;
            goto out;
        }
        st = sspi_api_ustr(&pr, principal_w);
        if (st != SEC_E_OK)
            goto out;
        st = sspi_identity_for_package(auth, &auth, &built);
        if (st != SEC_E_OK)
            goto out;
        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->lsa.AcquireCredentialsHandle(
            &pr, use, (PLUID)logon, auth, getkey_ptr(getkey), arg, &cred->lsa, &ts));
        SSPI_CALL_ANSI_END();
    }
    if (!SEC_SUCCESS(st))
        goto out;
    {
        SECURITY_STATUS hs =
            sspi_handle_create(SSPI_HANDLE_CREDENTIAL, cred, sspi_api_credential_destroy, ph);

        if (hs != SEC_E_OK) {
            sspi_api_credential_destroy(cred);
            cred = NULL;
            st = hs;
            goto out;
        }
    }
    cred = NULL;
    if (exp != NULL)
        *exp = ts;
out:
    free(cred);
    sspi_exw_free(built);
    if (tr_) {
        char flags[256];

        sspi_trace_call(ansi ? "AcquireCredentialsHandleA" : "AcquireCredentialsHandleW", pkg,
                        SEC_SUCCESS(st) ? ph : NULL,
                        sspi_api_flags_text(sspi_cred_use_names, use, flags, sizeof(flags)), st,
                        t0_);
    }
    return st;
}

/*
 * AcquireCredentialsHandleW: acquire credentials of package pszPackage.  On
 * success *phCredential is a new credential handle (free it with
 * FreeCredentialsHandle).  For SSP/AP packages a versioned identity in
 * pAuthData (EX by exact Version and Length, EX2) is replaced by an EXW the
 * core built; anything else reaches the package untouched (identity-in.c).
 * Statuses: see the top of this file, plus whatever the package returns.
 */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                                    uint32_t fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    sspi_registry_init();
    return acquire_common(false, pszPrincipal, NULL, pszPackage, fCredentialUse, pvLogonId,
                          pAuthData, pGetKeyFn, pvGetKeyArgument, phCredential, ptsExpiry, false);
}

/* AcquireCredentialsHandleA: as the W form with UTF-8 strings (the
 * principal converted to UTF-16 for SSP/AP packages, which see
 * SECPKG_CALL_ANSI and a plain identity exactly as the caller gave it). */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                                    uint32_t fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    char16_t *principal = NULL;
    bool bad;
    SECURITY_STATUS st;

    sspi_registry_init();
    bad = !sspi_api_a2w(pszPrincipal, &principal);
    st = acquire_common(true, principal, pszPrincipal, pszPackage, fCredentialUse, pvLogonId,
                        pAuthData, pGetKeyFn, pvGetKeyArgument, phCredential, ptsExpiry, bad);
    free(principal);
    return st;
}

/*
 * FreeCredentialsHandle: close a credential handle.  The package's
 * FreeCredentialsHandle runs when no call is using the handle any more.
 * SEC_E_INVALID_HANDLE for NULL, invalid, stale or already freed handles.
 */
SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    TRACE_BEGIN();
    SECURITY_STATUS st;

    sspi_registry_init();
    st = sspi_handle_close(phCredential, SSPI_HANDLE_CREDENTIAL);
    if (tr_)
        sspi_trace_call("FreeCredentialsHandle", NULL, phCredential, NULL, st, t0_);
    return st;
}

/* ---- AddCredentials ----------------------------------------------------- */

static SECURITY_STATUS add_common(bool ansi, PCredHandle ph, const char16_t *principal_w,
                                  const char16_t *package_w, const char *principal_a,
                                  const char *package_a, uint32_t use, void *auth,
                                  SEC_GET_KEY_FN getkey, void *arg, PTimeStamp exp, bool bad)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_credential *cred;
    struct sspi_package *pkg = NULL;
    SEC_WINNT_AUTH_IDENTITY_EXW *built = NULL;
    TimeStamp ts = {.QuadPart = 0};
    SECURITY_STATUS st;

    cred = sspi_handle_acquire(ph, SSPI_HANDLE_CREDENTIAL, &slot);
    if (cred == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = cred->pkg;
    if (bad) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        if (ansi && pkg->prov_a != NULL && pkg->prov_a->AddCredentialsA != NULL)
            st = pkg->prov_a->AddCredentialsA(&cred->prov, (SEC_CHAR *)principal_a,
                                              (SEC_CHAR *)package_a, use, auth, getkey, arg, &ts);
        else if (pkg->prov_w != NULL && pkg->prov_w->AddCredentialsW != NULL)
            st = pkg->prov_w->AddCredentialsW(&cred->prov, (SEC_WCHAR *)principal_w,
                                              (SEC_WCHAR *)package_w, use, auth, getkey, arg, &ts);
        else
            st = SEC_E_UNSUPPORTED_FUNCTION;
    } else {
        UNICODE_STRING pr, pk;

        if (pkg->lsa.AddCredentials == NULL) {
            st = SEC_E_UNSUPPORTED_FUNCTION;
            goto out;
        }
        st = sspi_api_ustr(&pr, principal_w);
        if (st == SEC_E_OK)
            st = sspi_api_ustr(&pk, package_w);
        if (st == SEC_E_OK)
            st = sspi_identity_for_package(auth, &auth, &built);
        if (st != SEC_E_OK)
            goto out;
        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->lsa.AddCredentials(cred->lsa, &pr, &pk, use, auth,
                                                         getkey_ptr(getkey), arg, &ts));
        SSPI_CALL_ANSI_END();
    }
    if (SEC_SUCCESS(st) && exp != NULL)
        *exp = ts;
out:
    sspi_exw_free(built);
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_) {
        char flags[256];

        sspi_trace_call(ansi ? "AddCredentialsA" : "AddCredentialsW", pkg, ph,
                        sspi_api_flags_text(sspi_cred_use_names, use, flags, sizeof(flags)), st,
                        t0_);
    }
    return st;
}

/* AddCredentialsW: add credentials to an existing credential handle
 * (package AddCredentials).  Statuses: see the top of this file. */
SECURITY_STATUS SEC_ENTRY AddCredentialsW(PCredHandle hCredentials, SEC_WCHAR *pszPrincipal,
                                          SEC_WCHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    sspi_registry_init();
    return add_common(false, hCredentials, pszPrincipal, pszPackage, NULL, NULL, fCredentialUse,
                      pAuthData, pGetKeyFn, pvGetKeyArgument, ptsExpiry, false);
}

/* AddCredentialsA: as the W form with UTF-8 strings. */
SECURITY_STATUS SEC_ENTRY AddCredentialsA(PCredHandle hCredentials, SEC_CHAR *pszPrincipal,
                                          SEC_CHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    char16_t *principal = NULL, *package = NULL;
    bool bad;
    SECURITY_STATUS st;

    sspi_registry_init();
    bad = !sspi_api_a2w(pszPrincipal, &principal);
    bad = !sspi_api_a2w(pszPackage, &package) || bad;
    st = add_common(true, hCredentials, principal, package, pszPrincipal, pszPackage,
                    fCredentialUse, pAuthData, pGetKeyFn, pvGetKeyArgument, ptsExpiry, bad);
    free(principal);
    free(package);
    return st;
}

/* ---- Query/SetCredentialsAttributes ------------------------------------- */

static SECURITY_STATUS query_cred_common(const char *fn, bool ansi, bool ex, PCredHandle ph,
                                         uint32_t attr, void *buf, uint32_t cb)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_credential *cred;
    struct sspi_package *pkg = NULL;
    union {
        max_align_t align;
        unsigned char b[512];
    } scratch;
    void *target = buf;
    SECURITY_STATUS st;

    cred = sspi_handle_acquire(ph, SSPI_HANDLE_CREDENTIAL, &slot);
    if (cred == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = cred->pkg;
    if (buf == NULL || (ex && cb == 0)) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (ex) {
        size_t need = sspi_api_attr_size(true, attr);

        if (need != 0 && cb < need) {
            st = SEC_E_BUFFER_TOO_SMALL;
            goto out;
        }
        if (cb <= sizeof(scratch.b)) {
            memset(&scratch, 0, sizeof(scratch));
            target = scratch.b;
        }
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        enum sspi_fixup_mode mode;

        if (ansi && pkg->prov_a != NULL && pkg->prov_a->QueryCredentialsAttributesA != NULL) {
            st = pkg->prov_a->QueryCredentialsAttributesA(&cred->prov, attr, target);
            mode = SSPI_FIXUP_COPYA;
        } else if (pkg->prov_w != NULL && pkg->prov_w->QueryCredentialsAttributesW != NULL) {
            st = pkg->prov_w->QueryCredentialsAttributesW(&cred->prov, attr, target);
            mode = ansi ? SSPI_FIXUP_W2A : SSPI_FIXUP_COPYW;
        } else {
            st = SEC_E_UNSUPPORTED_FUNCTION;
            goto out;
        }
        if (SEC_SUCCESS(st)) {
            SECURITY_STATUS fs = sspi_api_prov_fixup(true, pkg, attr, target, mode);
            if (fs != SEC_E_OK)
                st = fs;
        }
    } else {
        if (pkg->lsa.QueryCredentialsAttributes == NULL) {
            st = SEC_E_UNSUPPORTED_FUNCTION;
            goto out;
        }
        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->lsa.QueryCredentialsAttributes(cred->lsa, attr, target));
        SSPI_CALL_ANSI_END();
        if (SEC_SUCCESS(st) && ansi) {
            SECURITY_STATUS fs =
                sspi_api_attr_fixup(true, attr, target, SSPI_FIXUP_W2A, sspi_api_mem_free_fn);
            if (fs != SEC_E_OK)
                st = fs;
        }
    }
    if (SEC_SUCCESS(st) && target != buf)
        memcpy(buf, target, cb);
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call(fn, pkg, ph, NULL, st, t0_);
    return st;
}

/*
 * QueryCredentialsAttributesW: ask the package for attribute ulAttribute
 * of a credential into pBuffer (a caller structure; strings in it are freed
 * with FreeContextBuffer).  NULL pBuffer -> SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer)
{
    sspi_registry_init();
    return query_cred_common("QueryCredentialsAttributesW", false, false, phCredential, ulAttribute,
                             pBuffer, 0);
}

/* QueryCredentialsAttributesA: as the W form; string members of known
 * attributes (SECPKG_CRED_ATTR_NAMES, _SSI_PROVIDER) come back as UTF-8. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer)
{
    sspi_registry_init();
    return query_cred_common("QueryCredentialsAttributesA", true, false, phCredential, ulAttribute,
                             pBuffer, 0);
}

/* QueryCredentialsAttributesExW: as QueryCredentialsAttributesW with the
 * size of pBuffer; cbBuffer 0 -> SEC_E_INVALID_PARAMETER, smaller than the
 * attribute's structure -> SEC_E_BUFFER_TOO_SMALL. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer)
{
    sspi_registry_init();
    return query_cred_common("QueryCredentialsAttributesExW", false, true, phCredential,
                             ulAttribute, pBuffer, cbBuffer);
}

/* QueryCredentialsAttributesExA: the A form of the Ex call. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer)
{
    sspi_registry_init();
    return query_cred_common("QueryCredentialsAttributesExA", true, true, phCredential, ulAttribute,
                             pBuffer, cbBuffer);
}

static SECURITY_STATUS set_cred_common(const char *fn, bool ansi, PCredHandle ph, uint32_t attr,
                                       void *buf, uint32_t cb)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_credential *cred;
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    cred = sspi_handle_acquire(ph, SSPI_HANDLE_CREDENTIAL, &slot);
    if (cred == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    pkg = cred->pkg;
    if (buf == NULL && cb != 0) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if (pkg->shape == SSPI_SHAPE_PROVIDER) {
        if (ansi && pkg->prov_a != NULL && pkg->prov_a->SetCredentialsAttributesA != NULL)
            st = pkg->prov_a->SetCredentialsAttributesA(&cred->prov, attr, buf, cb);
        else if (pkg->prov_w != NULL && pkg->prov_w->SetCredentialsAttributesW != NULL &&
                 (!ansi || pkg->prov_a == NULL))
            st = pkg->prov_w->SetCredentialsAttributesW(&cred->prov, attr, buf, cb);
        else
            st = SEC_E_UNSUPPORTED_FUNCTION;
    } else if (pkg->lsa.SetCredentialsAttributes == NULL) {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    } else {
        SSPI_CALL_ANSI_BEGIN(ansi);
        st = sspi_status_from_nt(pkg->lsa.SetCredentialsAttributes(cred->lsa, attr, buf, cb));
        SSPI_CALL_ANSI_END();
    }
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (tr_)
        sspi_trace_call(fn, pkg, ph, NULL, st, t0_);
    return st;
}

/*
 * SetCredentialsAttributesW: hand attribute ulAttribute (pBuffer,
 * cbBuffer bytes) to the package.  NULL pBuffer with cbBuffer > 0 ->
 * SEC_E_INVALID_PARAMETER.  The A form passes the structure through
 * unchanged; the package sees SECPKG_CALL_ANSI.
 */
SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(PCredHandle phCredential, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return set_cred_common("SetCredentialsAttributesW", false, phCredential, ulAttribute, pBuffer,
                           cbBuffer);
}

/* SetCredentialsAttributesA: see SetCredentialsAttributesW. */
SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return set_cred_common("SetCredentialsAttributesA", true, phCredential, ulAttribute, pBuffer,
                           cbBuffer);
}
