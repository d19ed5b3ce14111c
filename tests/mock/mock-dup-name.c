/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-dup-name.c - a package named "mockgood": the name of MockGood in
 * another case.  Loaded after mock-good it must be refused (package names
 * compare case-insensitively) while MockGood keeps working.
 */
#include "mock-common.h"

static const struct mock_pkg_desc dup_desc[] = {
    {u"mockgood", u"duplicate name", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE dup_lsa;
static SECPKG_USER_FUNCTION_TABLE dup_user;

/* LSA-mode entry point: one table named "mockgood". */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(dup_desc, 1);
    mock_fill_lsa_v1(0, &dup_lsa, false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &dup_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: its user table. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(dup_desc, 1);
    mock_fill_user_v1(0, &dup_user);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &dup_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
