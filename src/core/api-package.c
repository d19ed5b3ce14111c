/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-package.c - package entry points: EnumerateSecurityPackages,
 * QuerySecurityPackageInfo, AddSecurityPackage, DeleteSecurityPackage and
 * ChangeAccountPassword (A and W forms).
 *
 * Status choices for bad input:
 *   NULL pcPackages / ppPackageInfo                    SEC_E_INVALID_PARAMETER
 *   NULL name for Add/DeleteSecurityPackage            SEC_E_INVALID_PARAMETER
 *   NULL, unknown or removed package name otherwise    SEC_E_SECPKG_NOT_FOUND
 *   invalid UTF-16 in a W name                         SEC_E_SECPKG_NOT_FOUND
 *                                                      (Add/Delete: SEC_E_INVALID_PARAMETER)
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/dispatch.h"

static SECURITY_STATUS enumerate_common(bool ansi, uint32_t *pc, void **pp)
{
    TRACE_BEGIN();
    struct sspi_package **pkgs = NULL;
    uint32_t n = 0;
    void *blk = NULL;
    SECURITY_STATUS st;

    sspi_registry_init();
    if (pc == NULL || pp == NULL) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    st = sspi_registry_snapshot(&pkgs, &n);
    if (st != SEC_E_OK)
        goto out;
    if (n > 0) {
        blk = ansi ? (void *)sspi_api_pkginfo_block_a(pkgs, n)
                   : (void *)sspi_api_pkginfo_block_w(pkgs, n);
        if (blk == NULL) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
    }
    *pc = n;
    *pp = blk;
out:
    free(pkgs);
    if (TRACE_ON())
        sspi_trace_call(ansi ? "EnumerateSecurityPackagesA" : "EnumerateSecurityPackagesW", NULL,
                        NULL, NULL, st, TRACE_T0);
    return st;
}

/*
 * EnumerateSecurityPackagesW: every live package as one array of
 * SecPkgInfoW; the array and its strings are one block freed by one
 * FreeContextBuffer.  With no package loaded: SEC_E_OK, *pcPackages 0 and
 * *ppPackageInfo NULL.
 */
SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(uint32_t *pcPackages,
                                                     PSecPkgInfoW *ppPackageInfo)
{
    return enumerate_common(false, pcPackages, (void **)ppPackageInfo);
}

/* EnumerateSecurityPackagesA: as the W form with UTF-8 strings. */
SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(uint32_t *pcPackages,
                                                     PSecPkgInfoA *ppPackageInfo)
{
    return enumerate_common(true, pcPackages, (void **)ppPackageInfo);
}

static SECURITY_STATUS query_info_common(bool ansi, const void *name, void **pp)
{
    TRACE_BEGIN();
    struct sspi_package *pkg = NULL;
    void *blk;
    SECURITY_STATUS st;

    sspi_registry_init();
    if (pp == NULL) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    pkg = sspi_api_find(ansi, name);
    if (pkg == NULL) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    blk = ansi ? (void *)sspi_api_pkginfo_block_a(&pkg, 1)
               : (void *)sspi_api_pkginfo_block_w(&pkg, 1);
    if (blk == NULL) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    *pp = blk;
    st = SEC_E_OK;
out:
    if (TRACE_ON()) {
        char asked[SSPI_TRACE_NAME_MAX];

        sspi_trace_call(ansi ? "QuerySecurityPackageInfoA" : "QuerySecurityPackageInfoW",
                        sspi_api_trace_name(pkg, ansi, name, asked, sizeof(asked)), NULL, NULL, st,
                        TRACE_T0);
    }
    return st;
}

/* QuerySecurityPackageInfoW: one SecPkgInfoW with its strings in one
 * block (FreeContextBuffer).  Unknown or NULL name ->
 * SEC_E_SECPKG_NOT_FOUND; NULL ppPackageInfo -> SEC_E_INVALID_PARAMETER. */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
                                                    PSecPkgInfoW *ppPackageInfo)
{
    return query_info_common(false, pszPackageName, (void **)ppPackageInfo);
}

/* QuerySecurityPackageInfoA: as the W form with UTF-8 strings. */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
                                                    PSecPkgInfoA *ppPackageInfo)
{
    return query_info_common(true, pszPackageName, (void **)ppPackageInfo);
}

/* ---- Add/DeleteSecurityPackage ------------------------------------------ */

static SECURITY_STATUS add_common(const char *fn, const char *spec,
                                  const SECURITY_PACKAGE_OPTIONS *opts, bool bad)
{
    TRACE_BEGIN();
    SECURITY_STATUS st;

    if (spec == NULL || bad)
        st = SEC_E_INVALID_PARAMETER;
    else
        st = sspi_registry_add(spec, opts);
    if (TRACE_ON())
        sspi_trace_call(fn, spec, NULL, NULL, st, TRACE_T0);
    return st;
}

/*
 * AddSecurityPackageA: load a package at run time.  pszPackageName is the
 * path of a shared object (contains '/' or ends in ".so") or the name of a
 * configured package that is not loaded.  pOptions may be NULL.  Returns
 * SEC_E_OK, SEC_E_SECPKG_NOT_FOUND (nothing by that name),
 * SEC_E_CANNOT_INSTALL (the module loaded no package; see
 * libsspi_query_packages) or SEC_E_INVALID_PARAMETER (NULL name).
 */
SECURITY_STATUS SEC_ENTRY AddSecurityPackageA(LPSTR pszPackageName,
                                              PSECURITY_PACKAGE_OPTIONS pOptions)
{
    sspi_registry_init();
    return add_common("AddSecurityPackageA", pszPackageName, pOptions, false);
}

/* AddSecurityPackageW: as the A form with a UTF-16 name (invalid UTF-16 ->
 * SEC_E_INVALID_PARAMETER). */
SECURITY_STATUS SEC_ENTRY AddSecurityPackageW(LPWSTR pszPackageName,
                                              PSECURITY_PACKAGE_OPTIONS pOptions)
{
    char *spec = NULL;
    bool bad = false;
    SECURITY_STATUS st;

    sspi_registry_init();
    if (pszPackageName != NULL) {
        spec = sspi_utf16_to_utf8(pszPackageName, SSPI_UTF16_NUL_TERMINATED, NULL);
        bad = spec == NULL;
    }
    st = add_common("AddSecurityPackageW", spec, pOptions, bad || pszPackageName == NULL);
    free(spec);
    return st;
}

static SECURITY_STATUS delete_common(const char *fn, const char *name, bool bad)
{
    TRACE_BEGIN();
    SECURITY_STATUS st;

    if (name == NULL || bad)
        st = SEC_E_INVALID_PARAMETER;
    else
        st = sspi_registry_delete(name);
    if (TRACE_ON())
        sspi_trace_call(fn, name, NULL, NULL, st, TRACE_T0);
    return st;
}

/*
 * DeleteSecurityPackageA: remove a package by name: it disappears from
 * enumeration and new credentials cannot be acquired; existing handles keep
 * working.  SEC_E_SECPKG_NOT_FOUND if no such live package,
 * SEC_E_INVALID_PARAMETER for a NULL name.
 */
SECURITY_STATUS SEC_ENTRY DeleteSecurityPackageA(SEC_CHAR *pszPackageName)
{
    sspi_registry_init();
    return delete_common("DeleteSecurityPackageA", pszPackageName, false);
}

/* DeleteSecurityPackageW: as the A form with a UTF-16 name. */
SECURITY_STATUS SEC_ENTRY DeleteSecurityPackageW(SEC_WCHAR *pszPackageName)
{
    char *name = NULL;
    bool bad = false;
    SECURITY_STATUS st;

    sspi_registry_init();
    if (pszPackageName != NULL) {
        name = sspi_utf16_to_utf8(pszPackageName, SSPI_UTF16_NUL_TERMINATED, NULL);
        bad = name == NULL;
    }
    st = delete_common("DeleteSecurityPackageW", name, bad || pszPackageName == NULL);
    free(name);
    return st;
}

/* ---- ChangeAccountPassword ---------------------------------------------- */

static void wipe_free16(char16_t *s)
{
    if (s != NULL) {
        explicit_bzero(s, sspi_utf16_len(s) * sizeof(char16_t));
        free(s);
    }
}

static SECURITY_STATUS change_common(const void *package, const struct sspi_password_args *a,
                                     bool bad)
{
    TRACE_BEGIN();
    struct sspi_package *pkg = NULL;
    SECURITY_STATUS st;

    pkg = sspi_api_find(a->ansi, package);
    if (pkg == NULL) {
        st = SEC_E_SECPKG_NOT_FOUND;
        goto out;
    }
    if (bad) {
        st = SEC_E_INVALID_PARAMETER;
        goto out;
    }
    if ((st = sspi_api_check_desc(a->out, true, false)) != SEC_E_OK)
        goto out;
    {
        struct sspi_out_snapshot snap;

        sspi_api_out_snapshot(a->out, &snap);
        st = pkg->ops->change_password(pkg, a);
        if (!sspi_api_out_verify(a->out, &snap, "ChangeAccountPassword", pkg))
            st = SEC_E_INTERNAL_ERROR;
    }
out:
    if (TRACE_ON()) {
        char asked[SSPI_TRACE_NAME_MAX];

        sspi_trace_call(a->ansi ? "ChangeAccountPasswordA" : "ChangeAccountPasswordW",
                        sspi_api_trace_name(pkg, a->ansi, package, asked, sizeof(asked)), NULL,
                        NULL, st, TRACE_T0);
    }
    return st;
}

/*
 * ChangeAccountPasswordW: the package's ChangeAccountPassword (LSA mode)
 * with the strings as UNICODE_STRINGs.  Unknown package ->
 * SEC_E_SECPKG_NOT_FOUND; bad pOutput descriptor -> SEC_E_INVALID_TOKEN;
 * not implemented -> SEC_E_UNSUPPORTED_FUNCTION.
 */
SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName,
                                                 SEC_WCHAR *pszDomainName,
                                                 SEC_WCHAR *pszAccountName,
                                                 SEC_WCHAR *pszOldPassword,
                                                 SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 uint32_t dwReserved, PSecBufferDesc pOutput)
{
    struct sspi_password_args a = {
        .w = {pszDomainName, pszAccountName, pszOldPassword, pszNewPassword},
        .impersonating = bImpersonating,
        .reserved = dwReserved,
        .out = pOutput,
    };

    sspi_registry_init();
    return change_common(pszPackageName, &a, false);
}

/* ChangeAccountPasswordA: as the W form with UTF-8 strings (passwords
 * converted into wiped temporary copies; invalid UTF-8 ->
 * SEC_E_INVALID_PARAMETER). */
SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName,
                                                 SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
                                                 SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 uint32_t dwReserved, PSecBufferDesc pOutput)
{
    struct sspi_password_args a = {
        .ansi = true,
        .a = {pszDomainName, pszAccountName, pszOldPassword, pszNewPassword},
        .impersonating = bImpersonating,
        .reserved = dwReserved,
        .out = pOutput,
    };
    char16_t *w[4] = {NULL, NULL, NULL, NULL};
    bool bad = false;
    SECURITY_STATUS st;

    sspi_registry_init();
    for (int i = 0; i < 4; i++) {
        bad = !sspi_api_a2w(a.a[i], &w[i]) || bad;
        a.w[i] = w[i];
    }
    st = change_common(pszPackageName, &a, bad);
    for (int i = 0; i < 4; i++)
        wipe_free16(w[i]);
    return st;
}
