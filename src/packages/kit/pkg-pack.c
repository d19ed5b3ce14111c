/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-pack.c - the bounded little-endian writer and reader (see
 * pkg-pack.h).
 */
#include <stdlib.h>
#include <string.h>

#include "packages/kit/pkg-pack.h"

/* Largest blob pkg_pack hands out. */
#define PKG_PACK_MAX (16u << 20)

void pkg_writer_init(struct pkg_writer *w, void *buf, size_t cap)
{
    w->p = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->failed = false;
}

/* Room for `n` more bytes: a pointer to write them at (NULL when only
 * measuring, or after a failure). */
static uint8_t *w_room(struct pkg_writer *w, size_t n)
{
    uint8_t *at;

    if (w->failed || n > SIZE_MAX - w->len) {
        w->failed = true;
        return NULL;
    }
    if (w->p == NULL) {
        w->len += n;
        return NULL;
    }
    if (n > w->cap - w->len) {
        w->failed = true;
        return NULL;
    }
    at = w->p + w->len;
    w->len += n;
    return at;
}

void pkg_write_u8(struct pkg_writer *w, uint8_t v)
{
    uint8_t *p = w_room(w, 1);

    if (p != NULL)
        *p = v;
}

void pkg_write_u16(struct pkg_writer *w, uint16_t v)
{
    uint8_t *p = w_room(w, 2);

    if (p != NULL)
        pkg_put_le16(p, v);
}

void pkg_write_u32(struct pkg_writer *w, uint32_t v)
{
    uint8_t *p = w_room(w, 4);

    if (p != NULL)
        pkg_put_le32(p, v);
}

void pkg_write_u64(struct pkg_writer *w, uint64_t v)
{
    uint8_t *p = w_room(w, 8);

    if (p != NULL)
        pkg_put_le64(p, v);
}

void pkg_write_bytes(struct pkg_writer *w, const void *src, size_t n)
{
    uint8_t *p = w_room(w, n);

    if (p != NULL && n > 0)
        memcpy(p, src, n);
}

void pkg_write_blob(struct pkg_writer *w, const void *p, size_t n)
{
    if (n > UINT32_MAX) {
        w->failed = true;
        return;
    }
    pkg_write_u32(w, (uint32_t)n);
    pkg_write_bytes(w, p, n);
}

void pkg_write_utf16(struct pkg_writer *w, const char16_t *s, size_t len)
{
    if (len > UINT32_MAX / 2) {
        w->failed = true;
        return;
    }
    pkg_write_u32(w, (uint32_t)(2 * len));
    for (size_t i = 0; i < len; i++)
        pkg_write_u16(w, s[i]);
}

void pkg_reader_init(struct pkg_reader *r, const void *buf, size_t len)
{
    r->p = buf;
    r->len = buf != NULL ? len : 0;
    r->pos = 0;
    r->failed = false;
}

const uint8_t *pkg_read_view(struct pkg_reader *r, size_t n)
{
    const uint8_t *at;

    if (r->failed || n > r->len - r->pos) {
        r->failed = true;
        return NULL;
    }
    at = r->p + r->pos;
    r->pos += n;
    return at;
}

uint8_t pkg_read_u8(struct pkg_reader *r)
{
    const uint8_t *p = pkg_read_view(r, 1);

    return p != NULL ? *p : 0;
}

uint16_t pkg_read_u16(struct pkg_reader *r)
{
    const uint8_t *p = pkg_read_view(r, 2);

    return p != NULL ? pkg_get_le16(p) : 0;
}

uint32_t pkg_read_u32(struct pkg_reader *r)
{
    const uint8_t *p = pkg_read_view(r, 4);

    return p != NULL ? pkg_get_le32(p) : 0;
}

uint64_t pkg_read_u64(struct pkg_reader *r)
{
    const uint8_t *p = pkg_read_view(r, 8);

    return p != NULL ? pkg_get_le64(p) : 0;
}

void pkg_read_bytes(struct pkg_reader *r, void *dst, size_t n)
{
    const uint8_t *p = pkg_read_view(r, n);

    if (p != NULL)
        memcpy(dst, p, n);
    else if (n > 0)
        memset(dst, 0, n);
}

const uint8_t *pkg_read_blob(struct pkg_reader *r, size_t max, size_t *n)
{
    uint32_t len = pkg_read_u32(r);
    const uint8_t *p;

    *n = 0;
    if (r->failed || len > max) {
        r->failed = true;
        return NULL;
    }
    p = pkg_read_view(r, len);
    if (p != NULL)
        *n = len;
    return p;
}

/* A UTF-16 item's code units at a checked position: *units, or NULL. */
static const uint8_t *utf16_item(struct pkg_reader *r, size_t max, size_t *units)
{
    uint32_t bytes = pkg_read_u32(r);

    *units = 0;
    if (r->failed || bytes % 2 != 0 || bytes / 2 > max) {
        r->failed = true;
        return NULL;
    }
    *units = bytes / 2;
    return pkg_read_view(r, bytes);
}

void pkg_read_utf16(struct pkg_reader *r, char16_t *dst, size_t max, size_t *len, bool allow_nul)
{
    size_t n;
    const uint8_t *p = utf16_item(r, max, &n);

    *len = 0;
    dst[0] = 0;
    if (p == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        dst[i] = pkg_get_le16(p + 2 * i);
        if (dst[i] == 0 && !allow_nul) {
            r->failed = true;
            dst[0] = 0;
            return;
        }
    }
    dst[n] = 0;
    *len = n;
}

void pkg_read_utf16_dup(struct pkg_reader *r, char16_t **dst, size_t max, size_t *len)
{
    size_t n;
    const uint8_t *p = utf16_item(r, max, &n);
    char16_t *s;

    *dst = NULL;
    *len = 0;
    if (p == NULL)
        return;
    s = malloc((n + 1) * sizeof(char16_t));
    if (s == NULL) {
        r->failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = pkg_get_le16(p + 2 * i);
    s[n] = 0;
    *dst = s;
    *len = n;
}

bool pkg_reader_done(const struct pkg_reader *r)
{
    return !r->failed && r->pos == r->len;
}

SECURITY_STATUS pkg_pack(enum pkg_mode mode, pkg_pack_fn fn, const void *arg, PSecBuffer out)
{
    struct pkg_writer w;
    size_t len;
    uint8_t *p;

    pkg_writer_init(&w, NULL, 0);
    fn(&w, arg);
    if (w.failed || w.len > PKG_PACK_MAX)
        return SEC_E_INSUFFICIENT_MEMORY;
    len = w.len;
    p = pkg_alloc(mode, len > 0 ? len : 1);
    if (p == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    pkg_writer_init(&w, p, len);
    fn(&w, arg);
    if (w.failed || w.len != len) {
        explicit_bzero(p, len);
        pkg_free(mode, p);
        return SEC_E_INTERNAL_ERROR;
    }
    out->BufferType = SECBUFFER_EMPTY;
    out->cbBuffer = (ULONG)len;
    out->pvBuffer = p;
    return SEC_E_OK;
}

SECURITY_STATUS pkg_export_flags(ULONG flags)
{
    if (flags & ~(ULONG)(SECPKG_CONTEXT_EXPORT_RESET_NEW | SECPKG_CONTEXT_EXPORT_DELETE_OLD))
        return SEC_E_UNSUPPORTED_FUNCTION;
    return SEC_E_OK;
}

SECURITY_STATUS pkg_import_reader(const SecBuffer *packed, struct pkg_reader *r)
{
    if (packed == NULL || packed->pvBuffer == NULL || packed->cbBuffer == 0)
        return SEC_E_INVALID_TOKEN;
    pkg_reader_init(r, packed->pvBuffer, packed->cbBuffer);
    return SEC_E_OK;
}
