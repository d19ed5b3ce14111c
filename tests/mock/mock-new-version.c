/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-new-version.c - "MockNewVersion" claims an interface version newer
 * than any the library knows (0x08000000, after SECPKG_INTERFACE_VERSION_11)
 * with a table in which only the version-1 members are filled.  The table
 * is a heap block of exactly sizeof(SECPKG_FUNCTION_TABLE), so a host that
 * reads past what it knows is caught by valgrind/ASan.  The package must
 * load; members the host reads beyond version 1 are NULL and mean
 * "unsupported".
 */
#include <stdlib.h>

#include "mock-common.h"

#define MOCK_FUTURE_VERSION 0x08000000u

static const struct mock_pkg_desc new_desc[] = {
    {u"MockNewVersion", u"from the future", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64,
     STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE *new_lsa;
static SECPKG_USER_FUNCTION_TABLE *new_user;

/* LSA-mode entry point: a heap table claiming version 0x08000000 (v1 members only). */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(new_desc, 1);
    if (new_lsa == NULL && (new_lsa = calloc(1, sizeof(*new_lsa))) == NULL)
        return STATUS_NO_MEMORY;
    mock_fill_lsa_v1(0, new_lsa, false);
    *PackageVersion = MOCK_FUTURE_VERSION;
    *ppTables = new_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: a heap user table claiming 0x08000000. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(new_desc, 1);
    if (new_user == NULL && (new_user = calloc(1, sizeof(*new_user))) == NULL)
        return STATUS_NO_MEMORY;
    mock_fill_user_v1(0, new_user);
    *PackageVersion = MOCK_FUTURE_VERSION;
    *ppTables = new_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
