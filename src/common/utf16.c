/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * utf16.c - strict UTF-8 <-> UTF-16 conversion and ASCII case-insensitive
 * comparison of UTF-16 strings.
 */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"

#define INVALID ((size_t)-1)

size_t sspi_utf16_len(const char16_t *s)
{
    size_t n = 0;

    if (s == NULL)
        return 0;
    while (s[n] != 0)
        n++;
    return n;
}

/* Decode one code point from UTF-16 at s[*i] (i < len); returns (uint32_t)-1
 * on an unpaired surrogate. */
static uint32_t u16_next(const char16_t *s, size_t len, size_t *i)
{
    uint32_t c = s[(*i)++];

    if (c >= 0xD800 && c <= 0xDBFF) {
        uint32_t d;

        if (*i >= len)
            return (uint32_t)-1;
        d = s[*i];
        if (d < 0xDC00 || d > 0xDFFF)
            return (uint32_t)-1;
        (*i)++;
        return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
    }
    if (c >= 0xDC00 && c <= 0xDFFF)
        return (uint32_t)-1;
    return c;
}

/* Decode one code point from UTF-8 at s[*i] (i < len); returns (uint32_t)-1
 * on malformed, overlong, surrogate or out-of-range input. */
static uint32_t u8_next(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t c = s[*i];
    size_t need;
    uint32_t min;

    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        c &= 0x07;
        min = 0x10000;
    } else {
        return (uint32_t)-1;
    }
    if (len - *i <= need)
        return (uint32_t)-1;
    for (size_t k = 1; k <= need; k++) {
        unsigned char b = s[*i + k];

        if ((b & 0xC0) != 0x80)
            return (uint32_t)-1;
        c = (c << 6) | (b & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return (uint32_t)-1;
    *i += need + 1;
    return c;
}

/* Next code point for UTF-8 output: unpaired surrogates fail, or become
 * U+FFFD when `lossy`. */
static uint32_t u16_next_out(const char16_t *s, size_t len, size_t *i, bool lossy)
{
    uint32_t c = u16_next(s, len, i);

    return c == (uint32_t)-1 && lossy ? 0xFFFD : c;
}

static size_t utf8_size(const char16_t *s, size_t len, bool lossy)
{
    size_t i = 0, n = 0;

    if (len == INVALID)
        len = sspi_utf16_len(s);
    if (s == NULL)
        return len == 0 ? 0 : INVALID;
    while (i < len) {
        uint32_t c = u16_next_out(s, len, &i, lossy);

        if (c == (uint32_t)-1)
            return INVALID;
        n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return n;
}

size_t sspi_utf16_utf8_size(const char16_t *s, size_t len)
{
    return utf8_size(s, len, false);
}

static size_t to_utf8_buf(const char16_t *s, size_t len, char *out, size_t cap, bool lossy)
{
    size_t i = 0, o = 0;

    if (len == INVALID)
        len = sspi_utf16_len(s);
    if ((s == NULL && len != 0) || out == NULL || cap == 0)
        return INVALID;
    while (i < len) {
        uint32_t c = u16_next_out(s, len, &i, lossy);
        size_t n;

        if (c == (uint32_t)-1)
            return INVALID;
        n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (cap - o <= n)
            return INVALID;
        switch (n) {
        case 1:
            out[o++] = (char)c;
            break;
        case 2:
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
            break;
        case 3:
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
            break;
        default:
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
            break;
        }
    }
    out[o] = 0;
    return o;
}

size_t sspi_utf16_to_utf8_buf(const char16_t *s, size_t len, char *out, size_t cap)
{
    return to_utf8_buf(s, len, out, cap, false);
}

static char *to_utf8(const char16_t *s, size_t len, size_t *out_len, bool lossy)
{
    size_t n, w;
    char *out;

    if (len == INVALID)
        len = sspi_utf16_len(s);
    n = utf8_size(s, len, lossy);
    if (n == INVALID)
        return NULL;
    out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    w = to_utf8_buf(s, len, out, n + 1, lossy);
    if (w == INVALID) {
        free(out);
        return NULL;
    }
    if (out_len != NULL)
        *out_len = w;
    return out;
}

char *sspi_utf16_to_utf8(const char16_t *s, size_t len, size_t *out_len)
{
    return to_utf8(s, len, out_len, false);
}

char *sspi_utf16_to_utf8_lossy(const char16_t *s, size_t len, size_t *out_len)
{
    return to_utf8(s, len, out_len, true);
}

size_t sspi_utf8_utf16_size(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n = 0;

    if (len == INVALID)
        len = s == NULL ? 0 : strlen(s);
    if (s == NULL)
        return len == 0 ? 0 : INVALID;
    while (i < len) {
        uint32_t c = u8_next(u, len, &i);

        if (c == (uint32_t)-1)
            return INVALID;
        n += c >= 0x10000 ? 2 : 1;
    }
    return n;
}

size_t sspi_utf8_to_utf16_buf(const char *s, size_t len, char16_t *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;

    if (len == INVALID)
        len = s == NULL ? 0 : strlen(s);
    if ((s == NULL && len != 0) || out == NULL || cap == 0)
        return INVALID;
    while (i < len) {
        uint32_t c = u8_next(u, len, &i);

        if (c == (uint32_t)-1)
            return INVALID;
        if (c >= 0x10000) {
            if (cap - o <= 2)
                return INVALID;
            c -= 0x10000;
            out[o++] = (char16_t)(0xD800 + (c >> 10));
            out[o++] = (char16_t)(0xDC00 + (c & 0x3FF));
        } else {
            if (cap - o <= 1)
                return INVALID;
            out[o++] = (char16_t)c;
        }
    }
    out[o] = 0;
    return o;
}

char16_t *sspi_utf8_to_utf16(const char *s, size_t len, size_t *out_len)
{
    size_t n, w;
    char16_t *out;

    if (len == INVALID)
        len = s == NULL ? 0 : strlen(s);
    n = sspi_utf8_utf16_size(s, len);
    if (n == INVALID || n >= SIZE_MAX / sizeof(char16_t))
        return NULL;
    out = malloc((n + 1) * sizeof(char16_t));
    if (out == NULL)
        return NULL;
    w = sspi_utf8_to_utf16_buf(s, len, out, n + 1);
    if (w == INVALID) {
        free(out);
        return NULL;
    }
    if (out_len != NULL)
        *out_len = w;
    return out;
}

static uint32_t fold(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int sspi_utf16_casecmp(const char16_t *a, const char16_t *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    for (;; a++, b++) {
        uint32_t x = fold(*a), y = fold(*b);

        if (x != y)
            return x < y ? -1 : 1;
        if (x == 0)
            return 0;
    }
}

int sspi_utf16_casecmp_utf8(const char16_t *a, const char *b)
{
    const unsigned char *u = (const unsigned char *)b;
    size_t blen, bi = 0, ai = 0, alen;

    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    blen = strlen(b);
    alen = sspi_utf16_len(a);
    for (;;) {
        uint32_t x, y;

        if (ai >= alen || bi >= blen)
            return (ai < alen) - (bi < blen);
        x = u16_next(a, alen, &ai);
        y = u8_next(u, blen, &bi);
        if (y == (uint32_t)-1)
            return 1;
        if (x == (uint32_t)-1)
            return -1;
        x = fold(x);
        y = fold(y);
        if (x != y)
            return x < y ? -1 : 1;
    }
}

uint32_t sspi_utf8_next(const char *s, size_t len, size_t *i)
{
    return u8_next((const unsigned char *)s, len, i);
}

/* ---- UTF-16LE byte strings ----------------------------------------------- */

uint8_t *sspi_utf16_to_le(const char16_t *s, size_t len, size_t *out_bytes)
{
    uint8_t *p;

    if ((s == NULL && len > 0) || len > (SIZE_MAX - 2) / 2)
        return NULL;
    p = malloc(2 * len + 2);
    if (p == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        p[2 * i] = (uint8_t)s[i];
        p[2 * i + 1] = (uint8_t)(s[i] >> 8);
    }
    p[2 * len] = p[2 * len + 1] = 0;
    if (out_bytes != NULL)
        *out_bytes = 2 * len;
    return p;
}

uint8_t *sspi_utf8_to_utf16le(const char *s, size_t len, size_t *out_bytes)
{
    size_t n = 0;
    char16_t *w = sspi_utf8_to_utf16(s, len, &n);
    uint8_t *p;

    if (w == NULL)
        return NULL;
    p = sspi_utf16_to_le(w, n, out_bytes);
    explicit_bzero(w, n * sizeof(char16_t));
    free(w);
    return p;
}

char *sspi_utf16le_to_utf8_lossy(const uint8_t *s, size_t bytes, size_t *out_len)
{
    size_t n = bytes / 2;
    char16_t *w = malloc((n + 1) * sizeof(char16_t));
    char *out;

    if (w == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        w[i] = (char16_t)(s[2 * i] | s[2 * i + 1] << 8);
    w[n] = 0;
    out = sspi_utf16_to_utf8_lossy(w, n, out_len);
    free(w);
    return out;
}
