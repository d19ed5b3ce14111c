/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-credentials.c - credential entry points: AcquireCredentialsHandle,
 * FreeCredentialsHandle, AddCredentials and Query/SetCredentialsAttributes
 * (A and W forms), dispatched through the package's operations
 * (dispatch.h); attributes share api-attributes.c with contexts.
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
#include "core/dispatch.h"

void sspi_api_credential_destroy(void *obj)
{
    struct sspi_credential *cred = obj;

    cred->pkg->ops->free_credential(cred);
    explicit_bzero(cred, sizeof(*cred));
    free(cred);
}

/* ---- AcquireCredentialsHandle ------------------------------------------ */

/* Trace flags under `fn` for a call on `pkg` (or the name asked for). */
static void trace_cred_call(const char *fn, const struct sspi_package *pkg, const void *asked,
                            bool ansi, const SecHandle *h, uint32_t use, SECURITY_STATUS st,
                            uint64_t t0)
{
    char flags[256], name[SSPI_TRACE_NAME_MAX];

    sspi_trace_call(fn, sspi_api_trace_name(pkg, ansi, asked, name, sizeof(name)), h,
                    sspi_api_flags_text(sspi_cred_use_names, use, flags, sizeof(flags)), st, t0);
}

/* See api-internal.h: `pkg` found by the caller (NULL: not found). */
SECURITY_STATUS sspi_api_acquire(const char *fn, struct sspi_package *pkg, const void *asked,
                                 const struct sspi_cred_args *a, bool bad, PCredHandle ph,
                                 PTimeStamp exp)
{
    TRACE_BEGIN();
    struct sspi_credential *cred = NULL;
    TimeStamp ts = {.QuadPart = 0};
    SECURITY_STATUS st;

    if (ph == NULL) {
        st = SEC_E_INVALID_HANDLE;
        goto out;
    }
    if (pkg == NULL) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    if (bad) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    cred->pkg = pkg;
    st = pkg->ops->acquire(cred, a, &ts);
    if (!SEC_SUCCESS(st))
        goto out;
    st = sspi_handle_create(SSPI_HANDLE_CREDENTIAL, cred, sspi_api_credential_destroy, ph);
    if (st != SEC_E_OK) {
        sspi_api_credential_destroy(cred);
        cred = NULL;
        goto out;
    }
    cred = NULL;
    if (exp != NULL)
        *exp = ts;
out:
    free(cred);
    if (TRACE_ON())
        trace_cred_call(fn, pkg, asked, a->ansi, SEC_SUCCESS(st) ? ph : NULL, a->use, st, TRACE_T0);
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
    struct sspi_cred_args a = {
        .principal_w = pszPrincipal,
        .use = fCredentialUse,
        .logon = pvLogonId,
        .auth = pAuthData,
        .getkey = pGetKeyFn,
        .getkey_arg = pvGetKeyArgument,
    };

    sspi_registry_init();
    return sspi_api_acquire("AcquireCredentialsHandleW", sspi_api_find(false, pszPackage),
                            pszPackage, &a, false, phCredential, ptsExpiry);
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
    struct sspi_cred_args a = {
        .ansi = true,
        .principal_a = pszPrincipal,
        .use = fCredentialUse,
        .logon = pvLogonId,
        .auth = pAuthData,
        .getkey = pGetKeyFn,
        .getkey_arg = pvGetKeyArgument,
    };
    bool bad;
    SECURITY_STATUS st;

    sspi_registry_init();
    bad = !sspi_api_a2w(pszPrincipal, &principal);
    a.principal_w = principal;
    st = sspi_api_acquire("AcquireCredentialsHandleA", sspi_api_find(true, pszPackage), pszPackage,
                          &a, bad, phCredential, ptsExpiry);
    free(principal);
    return st;
}

/* See api-internal.h. */
SECURITY_STATUS sspi_api_free_credentials(const char *fn, PCredHandle ph)
{
    TRACE_BEGIN();
    SECURITY_STATUS st = sspi_handle_close(ph, SSPI_HANDLE_CREDENTIAL);

    if (TRACE_ON())
        sspi_trace_call(fn, NULL, ph, NULL, st, TRACE_T0);
    return st;
}

/*
 * FreeCredentialsHandle: close a credential handle.  The package's
 * FreeCredentialsHandle runs when no call is using the handle any more.
 * SEC_E_INVALID_HANDLE for NULL, invalid, stale or already freed handles.
 */
SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    sspi_registry_init();
    return sspi_api_free_credentials("FreeCredentialsHandle", phCredential);
}

/* ---- AddCredentials ----------------------------------------------------- */

static SECURITY_STATUS add_common(const char *fn, PCredHandle ph, const struct sspi_cred_args *a,
                                  bool bad, PTimeStamp exp)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_credential *cred;
    struct sspi_package *pkg = NULL;
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
    st = pkg->ops->add_credentials(cred, a, &ts);
    if (SEC_SUCCESS(st) && exp != NULL)
        *exp = ts;
out:
    if (slot != NULL)
        sspi_handle_release(slot);
    if (TRACE_ON())
        trace_cred_call(fn, pkg, NULL, a->ansi, ph, a->use, st, TRACE_T0);
    return st;
}

/* AddCredentialsW: add credentials to an existing credential handle
 * (package AddCredentials).  Statuses: see the top of this file. */
SECURITY_STATUS SEC_ENTRY AddCredentialsW(PCredHandle hCredentials, SEC_WCHAR *pszPrincipal,
                                          SEC_WCHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    struct sspi_cred_args a = {
        .principal_w = pszPrincipal,
        .package_w = pszPackage,
        .use = fCredentialUse,
        .auth = pAuthData,
        .getkey = pGetKeyFn,
        .getkey_arg = pvGetKeyArgument,
    };

    sspi_registry_init();
    return add_common("AddCredentialsW", hCredentials, &a, false, ptsExpiry);
}

/* AddCredentialsA: as the W form with UTF-8 strings. */
SECURITY_STATUS SEC_ENTRY AddCredentialsA(PCredHandle hCredentials, SEC_CHAR *pszPrincipal,
                                          SEC_CHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    char16_t *principal = NULL, *package = NULL;
    struct sspi_cred_args a = {
        .ansi = true,
        .principal_a = pszPrincipal,
        .package_a = pszPackage,
        .use = fCredentialUse,
        .auth = pAuthData,
        .getkey = pGetKeyFn,
        .getkey_arg = pvGetKeyArgument,
    };
    bool bad;
    SECURITY_STATUS st;

    sspi_registry_init();
    bad = !sspi_api_a2w(pszPrincipal, &principal);
    bad = !sspi_api_a2w(pszPackage, &package) || bad;
    a.principal_w = principal;
    a.package_w = package;
    st = add_common("AddCredentialsA", hCredentials, &a, bad, ptsExpiry);
    free(principal);
    free(package);
    return st;
}

/* ---- Query/SetCredentialsAttributes ------------------------------------- */

/*
 * QueryCredentialsAttributesW: ask the package for attribute ulAttribute
 * of a credential into pBuffer (a caller structure; strings in it are freed
 * with FreeContextBuffer).  NULL pBuffer -> SEC_E_INVALID_PARAMETER.
 */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryCredentialsAttributesW", SSPI_HANDLE_CREDENTIAL, false,
                                     false, phCredential, ulAttribute, pBuffer, 0);
}

/* QueryCredentialsAttributesA: as the W form; string members of known
 * attributes (SECPKG_CRED_ATTR_NAMES, _SSI_PROVIDER) come back as UTF-8. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryCredentialsAttributesA", SSPI_HANDLE_CREDENTIAL, true,
                                     false, phCredential, ulAttribute, pBuffer, 0);
}

/* QueryCredentialsAttributesExW: as QueryCredentialsAttributesW with the
 * size of pBuffer; cbBuffer 0 -> SEC_E_INVALID_PARAMETER, smaller than the
 * attribute's structure -> SEC_E_BUFFER_TOO_SMALL. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryCredentialsAttributesExW", SSPI_HANDLE_CREDENTIAL, false,
                                     true, phCredential, ulAttribute, pBuffer, cbBuffer);
}

/* QueryCredentialsAttributesExA: the A form of the Ex call. */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_query_attributes("QueryCredentialsAttributesExA", SSPI_HANDLE_CREDENTIAL, true,
                                     true, phCredential, ulAttribute, pBuffer, cbBuffer);
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
    return sspi_api_set_attributes("SetCredentialsAttributesW", SSPI_HANDLE_CREDENTIAL, false,
                                   phCredential, ulAttribute, pBuffer, cbBuffer);
}

/* SetCredentialsAttributesA: see SetCredentialsAttributesW. */
SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer)
{
    sspi_registry_init();
    return sspi_api_set_attributes("SetCredentialsAttributesA", SSPI_HANDLE_CREDENTIAL, true,
                                   phCredential, ulAttribute, pBuffer, cbBuffer);
}
