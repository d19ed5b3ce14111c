/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-evil.c - two packages whose name and comment hold what a terminal
 * or a log reader acts on: ESC sequences, a newline, C1 controls and
 * bidirectional overrides.  The second has the first's name, so its
 * refusal reason carries the name too.  The library keeps the names as
 * data (libsspi_query_packages returns them unchanged) but every text it
 * or the `sspi` command shows must escape them.
 */
#include "mock-common.h"

/* "Evil" ESC "[31mRed" LF RLO "gnp" LRI "X" */
#define EVIL_NAME u"Evil\x1b[31mRed\n\u202egnp\u2066X"
/* "first" LF "second" ESC "]0;title" BEL NEL "end" */
#define EVIL_COMMENT                                                                               \
    u"first\nsecond\x1b]0;title\x07\x85"                                                           \
    u"end"

static const struct mock_pkg_desc evil_desc[] = {
    {EVIL_NAME, EVIL_COMMENT, SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
    {EVIL_NAME, u"the same name again", SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64,
     STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE evil_lsa[2];
static SECPKG_USER_FUNCTION_TABLE evil_user[2];

/* LSA-mode entry point: two tables with the same hostile name. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(evil_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_lsa_v1(i, &evil_lsa[i], false);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = evil_lsa;
    *pcTables = 2;
    return STATUS_SUCCESS;
}

/* User-mode entry point: their user tables. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(evil_desc, 2);
    for (uint32_t i = 0; i < 2; i++)
        mock_fill_user_v1(i, &evil_user[i]);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = evil_user;
    *pcTables = 2;
    return STATUS_SUCCESS;
}
