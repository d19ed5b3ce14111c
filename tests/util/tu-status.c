/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tu-status.c - status names for test failure messages (testutil.h).
 */
#include <stdio.h>
#include <string.h>

#include "libsspi.h"
#include "util/testutil.h"

#define TU_RING 16

const char *tu_status_str(SECURITY_STATUS s)
{
    static _Thread_local char hex[TU_RING][16];
    static _Thread_local unsigned next;
    const char *n = libsspi_status_name(s);
    char *h;

    if (n != NULL && strcmp(n, "UNKNOWN") != 0)
        return n;
    h = hex[next++ % TU_RING];
    snprintf(h, sizeof(hex[0]), "0x%08x", (unsigned)s);
    return h;
}
