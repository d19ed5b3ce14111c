/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tu-text.c - UTF-16 test strings from UTF-8 literals (testutil.h).
 */
#include "util/testutil.h"

#define TU_POOL 16
#define TU_MAX  255

char16_t *tu_u16(const char *s)
{
    static _Thread_local char16_t pool[TU_POOL][TU_MAX + 1];
    static _Thread_local unsigned next;
    char16_t *d = pool[next++ % TU_POOL];
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    while (*p != '\0' && n < TU_MAX) {
        uint32_t c;

        if (*p < 0x80) {
            c = *p++;
        } else if ((*p & 0xe0) == 0xc0 && p[1] != '\0') {
            c = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
            p += 2;
        } else if ((*p & 0xf0) == 0xe0 && p[1] != '\0' && p[2] != '\0') {
            c = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
            p += 3;
        } else if (p[1] != '\0' && p[2] != '\0' && p[3] != '\0') {
            c = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
            p += 4;
        } else {
            break;
        }
        if (c >= 0x10000 && n + 1 < TU_MAX) {
            c -= 0x10000;
            d[n++] = (char16_t)(0xd800 | c >> 10);
            d[n++] = (char16_t)(0xdc00 | (c & 0x3ff));
        } else if (c < 0x10000) {
            d[n++] = (char16_t)c;
        }
    }
    d[n] = 0;
    return d;
}

size_t tu_u16len(const char16_t *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return n;
}
