/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-init-fails.c - two packages: SpInitialize of the first
 * ("MockInitFail") returns STATUS_UNSUCCESSFUL, the second ("MockInitOk")
 * initialises normally and must still load and work.
 */
#include "mock-common.h"

static const struct mock_pkg_desc initfail_desc[] = {
    {u"MockInitFail", u"fails SpInitialize", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64,
     STATUS_UNSUCCESSFUL},
    {u"MockInitOk", u"initialises", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE initfail_lsa[2];
static SECPKG_USER_FUNCTION_TABLE initfail_user[2];

/* LSA-mode entry point: two tables; SpInitialize of the first fails. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(initfail_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_lsa_v1(i, &initfail_lsa[i], false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = initfail_lsa;
    *pcTables = 2;
    return STATUS_SUCCESS;
}

/* User-mode entry point: two user tables. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(initfail_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_user_v1(i, &initfail_user[i]);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = initfail_user;
    *pcTables = 2;
    return STATUS_SUCCESS;
}
