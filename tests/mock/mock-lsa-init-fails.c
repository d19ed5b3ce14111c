/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-lsa-init-fails.c - SpLsaModeInitialize itself fails with
 * STATUS_NO_MEMORY (and leaves its outputs alone): the module must be
 * refused with that status in the reason.
 */
#include "mock-common.h"

/* LSA-mode entry point: fails before handing out anything. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion, (void)PackageVersion, (void)ppTables, (void)pcTables;
    mock_state.lsa_init_calls++;
    return STATUS_NO_MEMORY;
}
