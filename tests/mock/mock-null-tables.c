/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-null-tables.c - SpLsaModeInitialize and SpUserModeInitialize
 * return STATUS_SUCCESS but no tables: a NULL table pointer with a count
 * of MOCK_NULL_COUNT (0 in mock-null-tables, 1 in mock-null-count).  The
 * module must be refused with a reason, without a crash.
 */
#include "mock-common.h"

#ifndef MOCK_NULL_COUNT
#define MOCK_NULL_COUNT 0
#endif

/* LSA-mode entry point: success with no tables. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = NULL;
    *pcTables = MOCK_NULL_COUNT;
    return STATUS_SUCCESS;
}

/* User-mode entry point: success with no tables. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = NULL;
    *pcTables = MOCK_NULL_COUNT;
    return STATUS_SUCCESS;
}
