/*
 * ntlm-util.c - byte-string and UTF-8/UTF-16LE helpers of the NTLM package.
 */
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm.h"

/* See ntlm.h. */
void ntlm_buf_free(struct ntlm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

/* See ntlm.h. */
void ntlm_buf_free_secret(struct ntlm_buf *b)
{
    if (b->data)
        crypto_wipe(b->data, b->len);
    ntlm_buf_free(b);
}

/* See ntlm.h.  A NUL is appended (not counted) so results can be used as
 * C strings of UTF-16 units. */
bool ntlm_buf_dup(struct ntlm_buf *dst, const void *src, size_t len)
{
    dst->data = malloc(len + 2);
    dst->len = len;
    if (!dst->data)
        return false;
    if (len)
        memcpy(dst->data, src, len);
    dst->data[len] = 0;
    dst->data[len + 1] = 0;
    return true;
}

/* See ntlm.h. */
bool ntlm_utf8_to_utf16le(const char *s, size_t len, struct ntlm_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;

    out->len = 0;
    out->data = malloc(len * 2 + 2);
    if (!out->data)
        return false;
    for (size_t i = 0; i < len;) {
        uint32_t c = p[i];
        size_t n;

        if (c < 0x80) {
            n = 1;
        } else if ((c & 0xE0) == 0xC0) {
            n = 2;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            c &= 0x07;
        } else {
            goto bad;
        }
        if (n > len - i)
            goto bad;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
            c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            goto bad;
        i += n;
        if (c >= 0x10000) {
            c -= 0x10000;
            ntlm_put16(out->data + o, (uint16_t)(0xD800 | (c >> 10)));
            ntlm_put16(out->data + o + 2, (uint16_t)(0xDC00 | (c & 0x3FF)));
            o += 4;
        } else {
            ntlm_put16(out->data + o, (uint16_t)c);
            o += 2;
        }
    }
    out->data[o] = out->data[o + 1] = 0;
    out->len = o;
    return true;
bad:
    ntlm_buf_free(out);
    return false;
}

/* See ntlm.h.  Unpaired surrogates become U+FFFD. */
char *ntlm_utf16le_to_utf8(const uint8_t *s, size_t len)
{
    size_t n = len / 2;
    char *out = malloc(n * 3 + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = ntlm_get16(s + 2 * i);

        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
            uint32_t d = ntlm_get16(s + 2 * i + 2);
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}
