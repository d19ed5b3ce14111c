/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-der.c - strict DER well-formedness for SPNEGO tokens.
 *
 * libtasn1 checks a token against the SPNEGO syntax (tags, order, optional
 * and repeated fields), but its DER mode still accepts a few BER liberties:
 * long-form lengths where the short form fits, lengths with leading zero
 * octets, multi-byte tags for small tag numbers, non-minimal INTEGER and
 * ENUMERATED contents, unterminated OID sub-identifiers and BIT STRINGs
 * with more than seven unused bits.  This walk refuses all of those before
 * libtasn1 sees the token, so a token is accepted only in its one DER form.
 *
 * SPNEGO tags every field EXPLICIT, so a context-specific tag must hold
 * exactly one TLV.  libtasn1 does not hold an explicit tag's length to its
 * contents (it takes "a0 00 0a 01 00" as a tagged ENUMERATED), so the walk
 * enforces that too.
 */
#include "config.h"

#include <string.h>

#include "packages/negotiate/negotiate-spnego.h"

#define DER_CLASS_MASK  0xc0u
#define DER_UNIVERSAL   0x00u
#define DER_CONTEXT     0x80u
#define DER_CONSTRUCTED 0x20u
#define DER_TAG_MASK    0x1fu

enum {
    DER_BOOLEAN = 1,
    DER_INTEGER = 2,
    DER_BIT_STRING = 3,
    DER_OCTET_STRING = 4,
    DER_NULL = 5,
    DER_OID = 6,
    DER_ENUMERATED = 10,
    DER_SEQUENCE = 16,
    DER_SET = 17,
};

bool nego_der_header(const uint8_t *der, size_t avail, uint8_t *tag, size_t *hdr, size_t *clen)
{
    size_t n, h;

    if (der == NULL || avail < 2 || (der[0] & DER_TAG_MASK) == DER_TAG_MASK)
        return false;
    if (der[1] < 0x80) {
        n = der[1];
        h = 2;
    } else {
        size_t k = der[1] & 0x7fu;
        /* 0 is the indefinite form; more than 3 octets exceeds any token */
        if (k == 0 || k > 3 || avail < 2 + k || der[2] == 0)
            return false;
        n = 0;
        for (size_t i = 0; i < k; i++)
            n = n << 8 | der[2 + i];
        if (n < 0x80)
            return false;
        h = 2 + k;
    }
    if (n > avail - h)
        return false;
    *tag = der[0];
    *hdr = h;
    *clen = n;
    return true;
}

/* OID contents: terminated sub-identifiers in their shortest form (no
 * leading 0x80), each below 2^64 as libtasn1 (the reference) requires: a
 * sub-identifier of k octets whose first carries v (1..127) has
 * bitlen(v) + 7 (k - 1) bits, at most 63 for k <= 9, at least 71 for
 * k >= 11, and for k == 10 more than 64 unless v == 1. */
static bool oid_contents_valid(const uint8_t *p, size_t n)
{
    size_t k = 0; /* octets of the current sub-identifier so far */

    if (n == 0 || (p[n - 1] & 0x80u) != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (k == 0 && p[i] == 0x80u)
            return false;
        k++;
        if ((p[i] & 0x80u) == 0) {
            if (k > 10 || (k == 10 && (p[i + 1 - k] & 0x7fu) > 1))
                return false;
            k = 0;
        }
    }
    return true;
}

static bool integer_contents_valid(const uint8_t *p, size_t n)
{
    if (n == 0)
        return false;
    if (n > 1 && ((p[0] == 0x00 && (p[1] & 0x80u) == 0) || (p[0] == 0xff && (p[1] & 0x80u) != 0)))
        return false;
    return true;
}

static bool bit_string_contents_valid(const uint8_t *p, size_t n)
{
    if (n == 0 || p[0] > 7 || (n == 1 && p[0] != 0))
        return false;
    return n == 1 || (p[n - 1] & ((1u << p[0]) - 1u)) == 0;
}

bool nego_der_primitive_valid(uint8_t tag, const uint8_t *p, size_t n)
{
    if ((tag & DER_CLASS_MASK) != DER_UNIVERSAL)
        return true;
    switch (tag & DER_TAG_MASK) {
    case DER_BOOLEAN:
        return n == 1 && (p[0] == 0x00 || p[0] == 0xff);
    case DER_INTEGER:
    case DER_ENUMERATED:
        return integer_contents_valid(p, n);
    case DER_BIT_STRING:
        return bit_string_contents_valid(p, n);
    case DER_NULL:
        return n == 0;
    case DER_OID:
        return oid_contents_valid(p, n);
    case DER_SEQUENCE:
    case DER_SET:
        return false; /* must be constructed */
    default:
        return true;
    }
}

/* Universal types that DER encodes only in primitive form. */
static bool constructed_allowed(uint8_t tag)
{
    if ((tag & DER_CLASS_MASK) != DER_UNIVERSAL)
        return true;
    return (tag & DER_TAG_MASK) == DER_SEQUENCE || (tag & DER_TAG_MASK) == DER_SET;
}

/* True when der[0..len) is exactly one TLV header plus its contents. */
static bool one_tlv(const uint8_t *der, size_t len)
{
    uint8_t tag;
    size_t hdr, clen;

    return nego_der_header(der, len, &tag, &hdr, &clen) && hdr + clen == len;
}

/* Checks der[0..len) as a run of TLVs filling it exactly. */
static bool check_run(const uint8_t *der, size_t len, unsigned depth)
{
    size_t at = 0;

    if (depth > NEGO_DER_MAX_DEPTH)
        return false;
    while (at < len) {
        uint8_t tag;
        size_t hdr, clen;
        if (!nego_der_header(der + at, len - at, &tag, &hdr, &clen))
            return false;
        const uint8_t *content = der + at + hdr;
        if (tag & DER_CONSTRUCTED) {
            if (!constructed_allowed(tag) || !check_run(content, clen, depth + 1))
                return false;
            if ((tag & DER_CLASS_MASK) == DER_CONTEXT && !one_tlv(content, clen))
                return false;
        } else if (!nego_der_primitive_valid(tag, content, clen)) {
            return false;
        }
        at += hdr + clen;
    }
    return true;
}

bool nego_der_check(const uint8_t *der, size_t len)
{
    uint8_t tag;
    size_t hdr, clen;

    if (!nego_der_header(der, len, &tag, &hdr, &clen) || hdr + clen != len)
        return false;
    return check_run(der, len, 1);
}

bool nego_oid_valid(struct nego_view oid)
{
    uint8_t tag;
    size_t hdr, clen;

    return nego_der_header(oid.data, oid.len, &tag, &hdr, &clen) && tag == DER_OID &&
           hdr + clen == oid.len && oid_contents_valid(oid.data + hdr, clen);
}

bool nego_oid_equal(struct nego_view a, struct nego_view b)
{
    return a.data != NULL && b.data != NULL && a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}
