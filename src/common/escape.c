/*
 * escape.c - visible escapes for control, bidirectional and invalid
 * characters in text shown to people (see escape.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/escape.h"

/* Length of the valid UTF-8 sequence at s (1..4) and its code point, or
 * 0 when s does not start one. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    size_t n;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

bool sspi_escape_hidden(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
           c == 0x2029;
}

/* The escape for the character at s (consuming *used bytes) into esc[16],
 * or NULL when it is shown as it is. */
static const char *escape_one(const unsigned char *s, size_t *used, char esc[16])
{
    uint32_t c;
    size_t n = utf8_decode(s, &c);

    if (n == 0) {
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
