/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-user-only.c - exports only SpUserModeInitialize (a user-mode table
 * with no LSA-mode package to name it).  Nothing can be registered from it:
 * loading must fail with a reason, and SpInstanceInit must not be used to
 * invent a package.
 */
#include "mock-common.h"

static const struct mock_pkg_desc useronly_desc[] = {
    {u"MockUserOnly", u"user mode only", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64,
     STATUS_SUCCESS},
};

static SECPKG_USER_FUNCTION_TABLE useronly_user;

/* User-mode entry point: a user table with no LSA-mode package behind it. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(useronly_desc, 1);
    mock_fill_user_v1(0, &useronly_user);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &useronly_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
