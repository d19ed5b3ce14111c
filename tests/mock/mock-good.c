/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-good.c - a complete, well-behaved SSP/AP test package "MockGood".
 *
 * LSA-mode table at SECPKG_INTERFACE_VERSION_2 (so SetContextAttributes
 * is reachable), user-mode table at SECPKG_INTERFACE_VERSION.  Behaviour
 * and recording come from the shared engine (mock-common.c).
 */
#include "mock-common.h"

/* The mechanism OID 1.3.6.1.4.1.311.2.2.10, given without its DER tag and
 * length (the host must accept both forms). */
static const uint8_t good_oid[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

static const struct mock_pkg_desc good_desc[] = {
    {u"MockGood", u"libsspi test package",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MUTUAL_AUTH,
     1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE good_lsa;
static SECPKG_USER_FUNCTION_TABLE good_user;

/* LSA-mode entry point: one MockGood table at SECPKG_INTERFACE_VERSION_2; a
 * LsaVersion other than SECPKG_INTERFACE_VERSION is recorded as a violation. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    mock_state.lsa_init_calls++;
    if (LsaVersion != SECPKG_INTERFACE_VERSION)
        mock_violation("SpLsaModeInitialize: LsaVersion %#x", LsaVersion);
    mock_setup(good_desc, 1);
    mock_set_oid(0, good_oid, sizeof(good_oid), false);
    mock_fill_lsa_v1(0, &good_lsa, true);
    *PackageVersion = SECPKG_INTERFACE_VERSION_2;
    *ppTables = &good_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point: one user table at SECPKG_INTERFACE_VERSION. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    mock_state.user_init_calls++;
    if (LsaVersion != SECPKG_INTERFACE_VERSION)
        mock_violation("SpUserModeInitialize: LsaVersion %#x", LsaVersion);
    mock_setup(good_desc, 1);
    mock_fill_user_v1(0, &good_user);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &good_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
