/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-old-version.c - "MockOldVersion": SpLsaModeInitialize succeeds but
 * returns PackageVersion MOCK_PACKAGE_VERSION: 0 in mock-old-version,
 * 0x00030000 (between _2 and _3, not an interface version) in
 * mock-odd-version.  The module must be refused with a reason.
 */
#include "mock-common.h"

#ifndef MOCK_PACKAGE_VERSION
#define MOCK_PACKAGE_VERSION 0
#endif

static const struct mock_pkg_desc old_desc[] = {
    {u"MockOldVersion", u"version 0", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE old_lsa;
static SECPKG_USER_FUNCTION_TABLE old_user;

/* LSA-mode entry point: a full table, but PackageVersion MOCK_PACKAGE_VERSION. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(old_desc, 1);
    mock_fill_lsa_v1(0, &old_lsa, false);
    *PackageVersion = MOCK_PACKAGE_VERSION;
    *ppTables = &old_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: a user table with PackageVersion MOCK_PACKAGE_VERSION. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(old_desc, 1);
    mock_fill_user_v1(0, &old_user);
    *PackageVersion = MOCK_PACKAGE_VERSION;
    *ppTables = &old_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
