/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tu-hex.c - hex strings of test vectors to bytes (testutil.h).
 */
#include <ctype.h>
#include <string.h>

#include "util/testutil.h"

/* The value of hex digit `c`, or -1. */
static int tu_nibble(char c)
{
    static const char digits[] = "0123456789abcdef";
    const char *at = c != '\0' ? strchr(digits, tolower((unsigned char)c)) : NULL;

    return at != NULL ? (int)(at - digits) : -1;
}

size_t tu_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (; *hex != '\0' && n < cap; hex++) {
        int v = tu_nibble(*hex);

        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}
