/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-buf.c - the NTLM package's byte strings (struct ntlm_buf); text
 * conversions come from src/common/utf16.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
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
bool ntlm_buf_from_utf8(struct ntlm_buf *out, const char *s, size_t len)
{
    out->data = sspi_utf8_to_utf16le(s, len, &out->len);
    if (!out->data)
        out->len = 0;
    return out->data != NULL;
}
