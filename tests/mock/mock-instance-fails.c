/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-instance-fails.c - two packages whose LSA side initialises, but
 * SpInstanceInit of the first ("MockInstFail") fails: that package must be
 * dropped with a reason while the second ("MockInstOk", which has no
 * comment) loads and works.
 */
#include "mock-common.h"

static const struct mock_pkg_desc inst_desc[] = {
    {u"MockInstFail", u"fails SpInstanceInit", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64,
     STATUS_SUCCESS},
    {u"MockInstOk", NULL, SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE inst_lsa[2];
static SECPKG_USER_FUNCTION_TABLE inst_user[2];

static NTSTATUS failing_instance_init(ULONG version, PSECPKG_DLL_FUNCTIONS dll, PVOID *user)
{
    (void)version, (void)dll, (void)user;
    return STATUS_INTERNAL_ERROR;
}

/* LSA-mode entry point: two normal tables. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(inst_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_lsa_v1(i, &inst_lsa[i], false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = inst_lsa;
    *pcTables = 2;
    return STATUS_SUCCESS;
}

/* User-mode entry point: two user tables; the first one's InstanceInit fails. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(inst_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_user_v1(i, &inst_user[i]);
    inst_user[0].InstanceInit = failing_instance_init;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = inst_user;
    *pcTables = 2;
    return STATUS_SUCCESS;
}
