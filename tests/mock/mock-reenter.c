/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-reenter.c - a package "MockReenter" whose SpInitialize calls back
 * into the SSPI functions of the process it is loaded into, as a package
 * that checks its environment (or one that drives other packages) may:
 * EnumerateSecurityPackagesW, QuerySecurityPackageInfoW on its own name,
 * AddSecurityPackageA of the module named by $MOCK_REENTER_ADD and
 * libsspi_reload_config.  The package never links libsspi: it finds the
 * functions with dlsym(RTLD_DEFAULT).  The statuses are recorded in
 * mock_state; the host must answer each one at once, never deadlock.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include "mock-common.h"

static const struct mock_pkg_desc reenter_desc[] = {
    {u"MockReenter", u"calls back into the host from SpInitialize", SECPKG_FLAG_INTEGRITY, 1,
     SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE reenter_lsa;
static SECPKG_USER_FUNCTION_TABLE reenter_user;
static SpInitializeFn *engine_initialize;

typedef SECURITY_STATUS(SEC_ENTRY *enumerate_fn)(uint32_t *, PSecPkgInfoW *);
typedef SECURITY_STATUS(SEC_ENTRY *query_fn)(SEC_WCHAR *, PSecPkgInfoW *);
typedef SECURITY_STATUS(SEC_ENTRY *free_fn)(void *);
typedef SECURITY_STATUS(SEC_ENTRY *add_fn)(LPSTR, PSECURITY_PACKAGE_OPTIONS);
typedef SECURITY_STATUS (*reload_fn)(void);

/* dlsym() into a typed function pointer; NULL when the host has no such
 * function. */
static void *host_fn(const char *name)
{
    return dlsym(RTLD_DEFAULT, name);
}

static void call_back(struct mock_pkg_record *r)
{
    enumerate_fn enumerate = (enumerate_fn)host_fn("EnumerateSecurityPackagesW");
    query_fn query = (query_fn)host_fn("QuerySecurityPackageInfoW");
    free_fn release = (free_fn)host_fn("FreeContextBuffer");
    add_fn add = (add_fn)host_fn("AddSecurityPackageA");
    reload_fn reload = (reload_fn)host_fn("libsspi_reload_config");
    const char *other = getenv("MOCK_REENTER_ADD");
    PSecPkgInfoW info = NULL;
    uint32_t n = 0;

    r->reenter_calls++;
    r->reenter_enumerate = r->reenter_query = r->reenter_add = r->reenter_reload = -1;
    if (enumerate != NULL && release != NULL) {
        r->reenter_enumerate = enumerate(&n, &info);
        r->reenter_enumerated = n;
        if (info != NULL)
            release(info);
    }
    if (query != NULL && release != NULL) {
        info = NULL;
        r->reenter_query = query((SEC_WCHAR *)u"MockReenter", &info);
        if (info != NULL)
            release(info);
    }
    if (add != NULL && other != NULL)
        r->reenter_add = add((LPSTR)other, NULL);
    if (reload != NULL)
        r->reenter_reload = reload();
}

static NTSTATUS NTAPI reenter_initialize(ULONG_PTR id, PSECPKG_PARAMETERS params,
                                         PLSA_SECPKG_FUNCTION_TABLE lsa)
{
    call_back(&mock_state.pkg[0]);
    return engine_initialize(id, params, lsa);
}

/* LSA-mode entry point: one MockReenter table whose SpInitialize calls
 * back into the host first. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(reenter_desc, 1);
    mock_fill_lsa_v1(0, &reenter_lsa, false);
    engine_initialize = reenter_lsa.Initialize;
    reenter_lsa.Initialize = reenter_initialize;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &reenter_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: one user table. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(reenter_desc, 1);
    mock_fill_user_v1(0, &reenter_user);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &reenter_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
