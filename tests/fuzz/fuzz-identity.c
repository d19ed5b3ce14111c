/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-identity.c - libFuzzer target for the identity parser
 * (src/common/identity.c).  The first byte chooses how the rest is read:
 * bit 0 set, the size is known (max_size = the input's); bit 1 set, the
 * pointer fields of a plain or EX identity are turned into offsets inside
 * the input, so the strings come from it.  Every read goes through a reader
 * that refuses bytes outside the input, as a fault-tolerant reader refuses
 * unmapped memory; any result is fine, a crash, leak or overread is not.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *lo, *hi;

static bool bounded_read(void *dst, const void *src, size_t len)
{
    const uint8_t *p = src;

    if (p < lo || p > hi || len > (size_t)(hi - p))
        return false;
    memcpy(dst, p, len);
    return true;
}

/* Halve the field: a stand-in for opening a sealed password. */
static SECURITY_STATUS fake_decrypt(struct sspi_identity_str *pw)
{
    if (pw->len % 2 != 0)
        return SEC_E_DECRYPT_FAILURE;
    pw->len /= 2;
    pw->s[pw->len] = 0;
    return SEC_E_OK;
}

/* Pointer fields as offsets into the buffer (NULL when the top bit is set). */
static void relocate(uint8_t *buf, size_t size, const size_t *at, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        uintptr_t p;

        if (at[i] + sizeof(v) > size)
            continue;
        memcpy(&v, buf + at[i], sizeof(v));
        p = (v >> 63) ? 0 : (uintptr_t)(buf + v % (size + 1));
        memcpy(buf + at[i], &p, sizeof(p));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t plain_ptrs[] = {0, 16, 32}, ex_ptrs[] = {8, 24, 40, 56};
    struct sspi_identity_source src = {SIZE_MAX, bounded_read, fake_decrypt};
    struct sspi_identity id;
    uint8_t *buf;
    size_t n;

    if (size == 0)
        return 0;
    n = size - 1;
    buf = malloc(n ? n : 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, n);
    lo = buf;
    hi = buf + n;
    if (data[0] & 1)
        src.max_size = n;
    if (data[0] & 2) {
        if (sspi_identity_classify(buf, bounded_read) == SSPI_IDENTITY_EXW)
            relocate(buf, n, ex_ptrs, 4);
        else
            relocate(buf, n, plain_ptrs, 3);
    }
    if (sspi_identity_parse_from(n ? buf : NULL, &src, &id) == SEC_E_OK) {
        /* Touch what came back. */
        volatile size_t total = id.user.len + id.domain.len + id.password.len;

        (void)total;
        (void)sspi_identity_is_empty(&id);
        (void)sspi_identity_is_anonymous(&id);
    }
    sspi_identity_clear(&id);
    free(buf);
    return 0;
}
