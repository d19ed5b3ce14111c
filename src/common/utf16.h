/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * utf16.h - UTF-16 (SEC_WCHAR) string helpers shared by the core, the
 * packages and the tools.
 *
 * Conversions are strict: unpaired surrogates in UTF-16 input and malformed,
 * overlong or surrogate-encoding UTF-8 input are rejected (NULL), never
 * replaced.  Results are malloc()ed and NUL-terminated; free() them.
 */
#ifndef LIBSSPI_COMMON_UTF16_H
#define LIBSSPI_COMMON_UTF16_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#define SSPI_UTF16_NUL_TERMINATED ((size_t)-1)

/* Number of code units before the terminating NUL; 0 for NULL. */
size_t sspi_utf16_len(const char16_t *s);

/*
 * Convert `len` code units of `s` (or up to its NUL if len is (size_t)-1) to
 * a malloc()ed NUL-terminated UTF-8 string.  *out_len (may be NULL) receives
 * the length in bytes without the NUL.  Returns NULL on invalid input
 * (unpaired surrogate, s NULL with a non-zero len) or out of memory.
 * s NULL with len 0 gives an empty string.
 */
char *sspi_utf16_to_utf8(const char16_t *s, size_t len, size_t *out_len);

/*
 * Same as sspi_utf16_to_utf8, but an unpaired surrogate becomes U+FFFD (as
 * WideCharToMultiByte does) instead of failing: for text that came from a
 * peer and is only being shown, such as a client's user name.  Returns NULL
 * only if s is NULL with a non-zero len, or out of memory.
 */
char *sspi_utf16_to_utf8_lossy(const char16_t *s, size_t len, size_t *out_len);

/*
 * Convert `len` bytes of UTF-8 `s` (or up to its NUL if len is (size_t)-1)
 * to a malloc()ed NUL-terminated UTF-16 string.  *out_len (may be NULL)
 * receives the length in code units without the NUL.  Returns NULL on
 * invalid UTF-8 or out of memory.  s NULL with len 0 gives an empty string.
 */
char16_t *sspi_utf8_to_utf16(const char *s, size_t len, size_t *out_len);

/*
 * Compare two NUL-terminated UTF-16 strings with ASCII case folding
 * (A-Z == a-z; other code units compare by value).  Returns <0, 0, >0.
 * NULL sorts before every string and equals NULL.
 */
int sspi_utf16_casecmp(const char16_t *a, const char16_t *b);

/* Same as sspi_utf16_casecmp with `b` given in UTF-8 (decoded on the fly;
 * invalid UTF-8 in `b` never compares equal). */
int sspi_utf16_casecmp_utf8(const char16_t *a, const char *b);

/* Length in bytes of the UTF-8 form of `len` code units of `s` (len may be
 * (size_t)-1 for NUL-terminated), or (size_t)-1 if `s` is not valid UTF-16. */
size_t sspi_utf16_utf8_size(const char16_t *s, size_t len);

/* Convert into a caller buffer of `cap` bytes; writes a NUL.  Returns the
 * length written without the NUL, or (size_t)-1 if invalid or too small. */
size_t sspi_utf16_to_utf8_buf(const char16_t *s, size_t len, char *out, size_t cap);

/* Length in code units of the UTF-16 form of `len` bytes of UTF-8 `s`
 * (len may be (size_t)-1), or (size_t)-1 if `s` is not valid UTF-8. */
size_t sspi_utf8_utf16_size(const char *s, size_t len);

/* Convert into a caller buffer of `cap` code units; writes a NUL.  Returns
 * the length written without the NUL, or (size_t)-1 if invalid or too small. */
size_t sspi_utf8_to_utf16_buf(const char *s, size_t len, char16_t *out, size_t cap);

/* Decode the code point at s[*i] (*i < len) and advance *i past it;
 * (uint32_t)-1, *i unchanged, for malformed, overlong, surrogate or
 * out-of-range UTF-8. */
uint32_t sspi_utf8_next(const char *s, size_t len, size_t *i);

/* ---- UTF-16LE byte strings (the form wire protocols such as NTLM carry and
 * hash).  Results are malloc()ed with two zero bytes after the counted
 * bytes, so they can also be read as NUL-terminated UTF-16LE. */

/* `len` code units of `s` as UTF-16LE bytes; *out_bytes (may be NULL)
 * receives 2 * len.  NULL if out of memory or s is NULL with len > 0. */
uint8_t *sspi_utf16_to_le(const char16_t *s, size_t len, size_t *out_bytes);

/* UTF-8 (len bytes, or up to the NUL if (size_t)-1) as UTF-16LE bytes;
 * NULL for invalid UTF-8 or out of memory.  Intermediate copies are wiped,
 * so the input may be a secret. */
uint8_t *sspi_utf8_to_utf16le(const char *s, size_t len, size_t *out_bytes);

/* `bytes` bytes of UTF-16LE (an odd last byte is ignored) as malloc()ed
 * UTF-8, unpaired surrogates becoming U+FFFD: for text from a peer that is
 * only compared or shown.  NULL if out of memory. */
char *sspi_utf16le_to_utf8_lossy(const uint8_t *s, size_t bytes, size_t *out_len);

#endif
