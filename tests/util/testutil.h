/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * testutil.h - small helpers every Check suite may use (libtestutil.la):
 * status assertions with names, hex parsing, UTF-8 to UTF-16 test strings.
 * Each helper lives in its own file, so a suite that links the library
 * pulls in only what it calls (tu-status.c needs libsspi.so; the others
 * need nothing).
 */
#ifndef LIBSSPI_TESTS_TESTUTIL_H
#define LIBSSPI_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include <check.h>

#include "sspi.h"

/* ck_assert on a SECURITY_STATUS, printing both values by name. */
#define ck_assert_status(actual, expected)                                                         \
    do {                                                                                           \
        SECURITY_STATUS tu_a_ = (actual), tu_e_ = (expected);                                      \
        ck_assert_msg(tu_a_ == tu_e_, "%s: got %s (0x%08x), expected %s (0x%08x)", #actual,        \
                      tu_status_str(tu_a_), (unsigned)tu_a_, tu_status_str(tu_e_),                 \
                      (unsigned)tu_e_);                                                            \
    } while (0)

/* ck_assert that the status is one of two acceptable values. */
#define ck_assert_status2(actual, e1, e2)                                                          \
    do {                                                                                           \
        SECURITY_STATUS tu_a_ = (actual);                                                          \
        ck_assert_msg(tu_a_ == (e1) || tu_a_ == (e2), "%s: got %s (0x%08x), expected %s or %s",    \
                      #actual, tu_status_str(tu_a_), (unsigned)tu_a_, tu_status_str(e1),           \
                      tu_status_str(e2));                                                          \
    } while (0)

/* Printable name of a status (libsspi_status_name, or the hex value);
 * per-thread rotating buffers, valid for the next 15 calls (tu-status.c). */
const char *tu_status_str(SECURITY_STATUS s);

/* Parse hex digits from `hex` (anything else, e.g. spaces, is skipped)
 * into `out` (at most `cap` bytes); returns the byte count (tu-hex.c). */
size_t tu_unhex(const char *hex, uint8_t *out, size_t cap);

/* ck_assert that `len` bytes at `buf` are the bytes `hex` spells. */
#define ck_assert_hex(buf, len, hex)                                                               \
    do {                                                                                           \
        uint8_t tu_want_[1024];                                                                    \
        size_t tu_n_ = tu_unhex((hex), tu_want_, sizeof tu_want_);                                 \
        ck_assert_uint_eq((len), tu_n_);                                                           \
        ck_assert_mem_eq((buf), tu_want_, tu_n_);                                                  \
    } while (0)

/* A UTF-16 copy of UTF-8 `s` (at most 255 code units) in a per-thread
 * rotating pool of 16 strings; tu_u16len counts code units (tu-text.c). */
char16_t *tu_u16(const char *s);
size_t tu_u16len(const char16_t *s);

#endif
