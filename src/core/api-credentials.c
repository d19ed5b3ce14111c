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

/* ---- ANSI identities ---------------------------------------------------- */

static void wipe_free_u16(unsigned short *s, uint32_t len)
{
    if (s != NULL) {
        explicit_bzero(s, (size_t)len * sizeof(*s));
        free(s);
    }
}

/* One UTF-8 (pointer, byte length) field -> malloc()ed UTF-16. */
static bool conv_field(const unsigned char *s, uint32_t len, unsigned short **out,
                       uint32_t *out_len)
{
    size_t n = 0;
    char16_t *w;

    *out = NULL;
    *out_len = 0;
    if (s == NULL)
        return len == 0;
    w = sspi_utf8_to_utf16((const char *)s, len, &n);
    if (w == NULL || n > UINT32_MAX) {
        free(w);
        return false;
    }
    *out = (unsigned short *)w;
    *out_len = (uint32_t)n;
    return true;
}

/* The structure a converted identity lives in. */
struct identity_copy {
    union {
        SEC_WINNT_AUTH_IDENTITY_W plain;
        SEC_WINNT_AUTH_IDENTITY_EXW ex;
    } u;
    bool is_ex;
};

static void identity_free(struct identity_copy *c)
{
    if (c == NULL)
        return;
    if (c->is_ex) {
        wipe_free_u16(c->u.ex.User, c->u.ex.UserLength);
        wipe_free_u16(c->u.ex.Domain, c->u.ex.DomainLength);
        wipe_free_u16(c->u.ex.Password, c->u.ex.PasswordLength);
        wipe_free_u16(c->u.ex.PackageList, c->u.ex.PackageListLength);
    } else {
        wipe_free_u16(c->u.plain.User, c->u.plain.UserLength);
        wipe_free_u16(c->u.plain.Domain, c->u.plain.DomainLength);
        wipe_free_u16(c->u.plain.Password, c->u.plain.PasswordLength);
    }
    explicit_bzero(c, sizeof(*c));
    free(c);
}

/*
 * If `auth` is an ANSI SEC_WINNT_AUTH_IDENTITY_A (Flags has
 * SEC_WINNT_AUTH_IDENTITY_ANSI, not _UNICODE) or SEC_WINNT_AUTH_IDENTITY_EXA
 * (Version 0x200, ANSI flags), return a UTF-16 copy in *out (else NULL).
 * SEC_E_INVALID_PARAMETER if its strings are not valid UTF-8.
 */
static SECURITY_STATUS identity_to_w(const void *auth, struct identity_copy **out)
{
    uint32_t version;
    struct identity_copy *c;
    bool ok;

    *out = NULL;
    if (auth == NULL)
        return SEC_E_OK;
    memcpy(&version, auth, sizeof(version));
    /* Schannel's SCHANNEL_CRED (4) and SCH_CREDENTIALS (5) begin with their
     * version where an identity has its User pointer: never converted (a
     * pointer's low word is not 4 or 5 in practice), so their padding is
     * never read as identity Flags. */
    if (version == SEC_WINNT_AUTH_IDENTITY_VERSION_2 || version == 4 || version == 5)
        return SEC_E_OK;
    if (version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        const SEC_WINNT_AUTH_IDENTITY_EXA *a = auth;

        if (a->Length < sizeof(*a) ||
            (a->Flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE)) !=
                SEC_WINNT_AUTH_IDENTITY_ANSI)
            return SEC_E_OK;
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->is_ex = true;
        c->u.ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
        c->u.ex.Length = sizeof(c->u.ex);
        c->u.ex.Flags =
            (a->Flags & ~(uint32_t)SEC_WINNT_AUTH_IDENTITY_ANSI) | SEC_WINNT_AUTH_IDENTITY_UNICODE;
        ok = conv_field(a->User, a->UserLength, &c->u.ex.User, &c->u.ex.UserLength) &&
             conv_field(a->Domain, a->DomainLength, &c->u.ex.Domain, &c->u.ex.DomainLength) &&
             conv_field(a->Password, a->PasswordLength, &c->u.ex.Password,
                        &c->u.ex.PasswordLength) &&
             conv_field(a->PackageList, a->PackageListLength, &c->u.ex.PackageList,
                        &c->u.ex.PackageListLength);
    } else {
        const SEC_WINNT_AUTH_IDENTITY_A *a = auth;

        if ((a->Flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE)) !=
            SEC_WINNT_AUTH_IDENTITY_ANSI)
            return SEC_E_OK;
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->u.plain.Flags =
            (a->Flags & ~(uint32_t)SEC_WINNT_AUTH_IDENTITY_ANSI) | SEC_WINNT_AUTH_IDENTITY_UNICODE;
        ok = conv_field(a->User, a->UserLength, &c->u.plain.User, &c->u.plain.UserLength) &&
             conv_field(a->Domain, a->DomainLength, &c->u.plain.Domain, &c->u.plain.DomainLength) &&
             conv_field(a->Password, a->PasswordLength, &c->u.plain.Password,
                        &c->u.plain.PasswordLength);
    }
    if (!ok) {
        identity_free(c);
        return SEC_E_INVALID_PARAMETER;
    }
    *out = c;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_api_identity_w(const void *auth, struct identity_copy **out)
{
    return identity_to_w(auth, out);
}

void *sspi_api_identity_data(struct identity_copy *copy, void *auth)
{
    return copy != NULL ? (void *)&copy->u : auth;
}

void sspi_api_identity_free(struct identity_copy *copy)
{
    identity_free(copy);
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
        trace_cred_call(fn, pkg, asked, a->ansi, SEC_SUCCESS(st) ? ph : NULL, a->use, st,
                        TRACE_T0);
    return st;
}

/*
 * AcquireCredentialsHandleW: acquire credentials of package pszPackage.  On
 * success *phCredential is a new credential handle (free it with
 * FreeCredentialsHandle).  ANSI identities in pAuthData are converted to
 * UTF-16 for SSP/AP packages.  Statuses: see the top of this file, plus
 * whatever the package returns.
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

/* AcquireCredentialsHandleA: as the W form with UTF-8 strings (converted
 * to UTF-16 for SSP/AP packages, which see SECPKG_CALL_ANSI). */
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
    return sspi_api_query_attributes("QueryCredentialsAttributesExW", SSPI_HANDLE_CREDENTIAL,
                                     false, true, phCredential, ulAttribute, pBuffer, cbBuffer);
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
