/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-multi.c - three packages in one module: "MockMultiA", "MockMultiB"
 * and "MockMultiC", each with its own capabilities, comment and token
 * size, and its own user-mode table (a table used for another package's
 * context is counted as a violation by the engine).
 */
#include "mock-common.h"

/* MockMultiA's OID 1.2.840.113554.1.2.2 in full DER form, from static
 * memory; MockMultiB's is malformed (an unfinished arc) and is ignored. */
static const uint8_t multi_oid_a[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t multi_oid_b[] = {0x2a, 0x86};

static const struct mock_pkg_desc multi_desc[] = {
    {u"MockMultiA", u"multi A", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_CONNECTION, 1, SECPKG_ID_NONE,
     100, STATUS_SUCCESS},
    {u"MockMultiB", u"multi B", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY, 2, 0x00b2, 200,
     STATUS_SUCCESS},
    {u"MockMultiC", u"multi C \u00e9", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_DATAGRAM, 3,
     SECPKG_ID_NONE, 300, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE multi_lsa[3];
static SECPKG_USER_FUNCTION_TABLE multi_user[3];

/* LSA-mode entry point: three tables, one per package, in an array. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(multi_desc, 3);
    mock_set_oid(0, multi_oid_a, sizeof(multi_oid_a), true);
    mock_set_oid(1, multi_oid_b, sizeof(multi_oid_b), false);
    for (uint32_t i = 0; i < 3; i++)
        mock_fill_lsa_v1(i, &multi_lsa[i], false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = multi_lsa;
    *pcTables = 3;
    return STATUS_SUCCESS;
}

/* User-mode entry point: three user tables, matched by position. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(multi_desc, 3);
    for (uint32_t i = 0; i < 3; i++)
        mock_fill_user_v1(i, &multi_user[i]);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = multi_user;
    *pcTables = 3;
    return STATUS_SUCCESS;
}
