/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escape.c - visible escapes for control, bidirectional and invalid
 * characters in text shown to people (see escape.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/escape.h"
#include "common/utf16.h"

bool sspi_escape_hidden(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
           c == 0x2029;
}

/* The escape for the character at s (consuming *used bytes; s holds at
 * most 4 more, or a NUL) into esc[16], or NULL when it is shown as it is. */
static const char *escape_one(const unsigned char *s, size_t *used, char esc[16])
{
    size_t n = 0;
    uint32_t c = sspi_utf8_next((const char *)s, strnlen((const char *)s, 4), &n);

    if (c == (uint32_t)-1) {
        *used = 1;
        snprintf(esc, 16, "\\x%02x", s[0]);
        return esc;
    }
    *used = n;
    if (c == '\n')
        return "\\n";
    if (c == '\r')
        return "\\r";
    if (c == '\t')
        return "\\t";
    if (c < 0x20 || c == 0x7F) {
        snprintf(esc, 16, "\\x%02x", (unsigned)c);
        return esc;
    }
    if (sspi_escape_hidden(c)) {
        snprintf(esc, 16, "\\u{%04X}", (unsigned)c);
        return esc;
    }
    return NULL;
}

size_t sspi_escape_text(const char *in, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)(in != NULL ? in : "");
    size_t need = 0, room = cap > 0 ? cap - 1 : 0, len = 0;
    bool full = false;

    while (*s != 0) {
        char esc[16];
        size_t used;
        const char *e = escape_one(s, &used, esc);
        const char *piece = e != NULL ? e : (const char *)s;
        size_t plen = e != NULL ? strlen(e) : used;

        if (!full && len + plen <= room) {
            memcpy(out + len, piece, plen);
            len += plen;
        } else {
            full = true;
        }
        need += plen;
        s += used;
    }
    if (cap > 0)
        out[len] = '\0';
    return need;
}

bool sspi_escape_needed(const char *in)
{
    const unsigned char *s = (const unsigned char *)(in != NULL ? in : "");

    while (*s != 0) {
        char esc[16];
        size_t used;

        if (escape_one(s, &used, esc) != NULL)
            return true;
        s += used;
    }
    return false;
}
