/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-short-table.c - "MockShortTable" claims SECPKG_INTERFACE_VERSION and
 * hands out tables that are exactly as long as version 1 defines (216 bytes
 * for the LSA table, 112 for the user table), each ending at a page
 * boundary followed by an inaccessible page.  A host that reads any member
 * beyond version 1 crashes instead of silently reading garbage.
 */
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mock-common.h"

#define LSA_V1_SIZE  offsetof(SECPKG_FUNCTION_TABLE, SetContextAttributes)
#define USER_V1_SIZE offsetof(SECPKG_USER_FUNCTION_TABLE, MarshalAttributeData)

_Static_assert(LSA_V1_SIZE == 216, "version-1 LSA table is 216 bytes");
_Static_assert(USER_V1_SIZE == 112, "version-1 user table is 112 bytes");

static const struct mock_pkg_desc short_desc[] = {
    {u"MockShortTable", u"version-1 tables", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY, 1,
     SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

/* `size` bytes ending right before a PROT_NONE page, or NULL. */
static void *guarded_block(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return NULL;
    if (mprotect(p + page, page, PROT_NONE) != 0) {
        munmap(p, 2 * page);
        return NULL;
    }
    return p + page - size;
}

static SECPKG_FUNCTION_TABLE *short_lsa;
static SECPKG_USER_FUNCTION_TABLE *short_user;

/* LSA-mode entry point: a 216-byte table followed by an inaccessible page. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(short_desc, 1);
    if (short_lsa == NULL && (short_lsa = guarded_block(LSA_V1_SIZE)) == NULL)
        return STATUS_NO_MEMORY;
    mock_fill_lsa_v1(0, short_lsa, false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = short_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: a 112-byte user table followed by an inaccessible page. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(short_desc, 1);
    if (short_user == NULL && (short_user = guarded_block(USER_V1_SIZE)) == NULL)
        return STATUS_NO_MEMORY;
    mock_fill_user_v1(0, short_user);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = short_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
