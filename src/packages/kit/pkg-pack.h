/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-pack.h - little-endian packing with bounds: the ContextData a
 * package hands from LSA mode to user mode, and the blobs of
 * ExportSecurityContext / ImportSecurityContext.
 *
 * The writer never writes past its buffer and the reader never reads past
 * its input: an overflow or a short read sets `failed` and every later
 * call does nothing (reads give zeros), so a packer or parser checks once
 * at the end.  Neither allocates, except pkg_pack which sizes a blob with
 * a measuring pass, allocates it from the host and fills it.
 */
#ifndef LIBSSPI_PKG_PACK_H
#define LIBSSPI_PKG_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"
#include "packages/kit/pkg-entry.h"

/* ---- fixed-position helpers for wire formats ----------------------------- */

static inline uint16_t pkg_get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t pkg_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pkg_get_le64(const uint8_t *p)
{
    return (uint64_t)pkg_get_le32(p) | (uint64_t)pkg_get_le32(p + 4) << 32;
}

static inline void pkg_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void pkg_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void pkg_put_le64(uint8_t *p, uint64_t v)
{
    pkg_put_le32(p, (uint32_t)v);
    pkg_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* ---- writer --------------------------------------------------------------- */

struct pkg_writer {
    uint8_t *p;  /* NULL: measuring only */
    size_t cap;  /* bytes available at p */
    size_t len;  /* bytes written (or that would have been) */
    bool failed; /* an item did not fit */
};

/* Write into `buf` of `cap` bytes; buf NULL (cap ignored) only measures. */
void pkg_writer_init(struct pkg_writer *w, void *buf, size_t cap);
void pkg_write_u8(struct pkg_writer *w, uint8_t v);
void pkg_write_u16(struct pkg_writer *w, uint16_t v);
void pkg_write_u32(struct pkg_writer *w, uint32_t v);
void pkg_write_u64(struct pkg_writer *w, uint64_t v);
void pkg_write_bytes(struct pkg_writer *w, const void *p, size_t n);
/* u32 byte count, then the bytes (n may be 0, p then may be NULL). */
void pkg_write_blob(struct pkg_writer *w, const void *p, size_t n);
/* u32 byte count (2 * len), then `len` UTF-16 code units little-endian. */
void pkg_write_utf16(struct pkg_writer *w, const char16_t *s, size_t len);

/* ---- reader --------------------------------------------------------------- */

struct pkg_reader {
    const uint8_t *p;
    size_t len, pos;
    bool failed;
};

void pkg_reader_init(struct pkg_reader *r, const void *buf, size_t len);
uint8_t pkg_read_u8(struct pkg_reader *r);
uint16_t pkg_read_u16(struct pkg_reader *r);
uint32_t pkg_read_u32(struct pkg_reader *r);
uint64_t pkg_read_u64(struct pkg_reader *r);
/* Copy `n` bytes into `dst` (zeroed on failure). */
void pkg_read_bytes(struct pkg_reader *r, void *dst, size_t n);
/* A pointer to the next `n` bytes of the input, or NULL (failed). */
const uint8_t *pkg_read_view(struct pkg_reader *r, size_t n);
/* A pkg_write_blob item of at most `max` bytes: *n and a pointer into the
 * input, or NULL (failed). */
const uint8_t *pkg_read_blob(struct pkg_reader *r, size_t max, size_t *n);
/* A pkg_write_utf16 item of at most `max` code units, into `dst` (room for
 * max + 1, NUL-terminated); *len receives the count.  An odd byte count
 * fails, and so does a NUL code unit unless `allow_nul`. */
void pkg_read_utf16(struct pkg_reader *r, char16_t *dst, size_t max, size_t *len, bool allow_nul);
/* The same into a malloc()ed NUL-terminated string (*dst NULL on failure;
 * the caller frees it). */
void pkg_read_utf16_dup(struct pkg_reader *r, char16_t **dst, size_t max, size_t *len);
/* Everything read, nothing left over, no failure. */
bool pkg_reader_done(const struct pkg_reader *r);

/* ---- whole blobs ------------------------------------------------------------ */

/* Writes one blob; called twice by pkg_pack (measure, then fill). */
typedef void (*pkg_pack_fn)(struct pkg_writer *w, const void *arg);

/*
 * Run `fn` to measure, allocate that many bytes from the host allocator of
 * `mode` (PKG_MODE_LSA for ContextData, PKG_MODE_USER for an exported
 * context), run `fn` again to fill, and hand the block over in `out`
 * (BufferType SECBUFFER_EMPTY, cbBuffer, pvBuffer).  The packer must write
 * the same bytes both times.  SEC_E_INSUFFICIENT_MEMORY (also for blobs
 * over 16 MiB), SEC_E_INTERNAL_ERROR if the second pass did not match.
 */
SECURITY_STATUS pkg_pack(enum pkg_mode mode, pkg_pack_fn fn, const void *arg, PSecBuffer out);

/*
 * SpExportSecurityContext flags: SEC_E_OK for any mix of
 * SECPKG_CONTEXT_EXPORT_RESET_NEW and _DELETE_OLD, SEC_E_UNSUPPORTED_FUNCTION
 * for _TO_KERNEL or unknown bits.
 */
SECURITY_STATUS pkg_export_flags(ULONG flags);

/* SpImportSecurityContext input: SEC_E_INVALID_TOKEN for a NULL buffer,
 * no memory or an empty blob, else SEC_E_OK with a reader over it. */
SECURITY_STATUS pkg_import_reader(const SecBuffer *packed, struct pkg_reader *r);

#endif
