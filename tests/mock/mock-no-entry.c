/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-no-entry.c - a shared object that exports neither
 * SpLsaModeInitialize/SpUserModeInitialize nor InitSecurityInterface[AW].
 * Loading it must fail with a reason.
 */
#include "mock-common.h"

/* The only export: proves the module loads but has no SSPI entry point. */
MOCK_EXPORT int mock_no_entry_marker(void);

MOCK_EXPORT int mock_no_entry_marker(void)
{
    return 42;
}
