/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-kerberos-cfx.c - fuzz target for the Kerberos package's own token
 * handling (src/packages/kerberos/kerberos-cfx.c): MIC tokens through
 * krb_cfx_verify_mic, Wrap tokens through krb_cfx_unwrap in the stream and
 * the split (TOKEN + DATA) forms, and wrap/unwrap round trips, for the four
 * AES enctypes, DCE style or not, with and without a replay window.
 *
 * Input: byte 0 picks enctype (bits 0-1: 17, 18, 19, 20), DCE (bit 2),
 * replay+sequence detection (bit 3) and the operation (bits 4-5: verify
 * MIC, unwrap stream, unwrap split, round trip); byte 1 is where the split
 * form cuts TOKEN from DATA; the rest is the token (and message).  The
 * receiving state is an acceptor keyed with a fixed key, so seeds made by
 * the matching initiator state verify.  Every outcome must be a defined
 * status; a round trip must give back the message.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packages/kerberos/kerberos-cfx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static bool status_defined(SECURITY_STATUS st)
{
    return st == SEC_E_OK || st == SEC_E_INVALID_TOKEN || st == SEC_E_MESSAGE_ALTERED ||
           st == SEC_E_OUT_OF_SEQUENCE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct krb_cfx rx, tx;
    static uint8_t buf[70000], msg[70000];
    int32_t enctype;
    bool dce, seq, conf;
    size_t keylen, cut, n;
    SECURITY_STATUS st;

    if (size < 2 || size > sizeof(buf))
        return 0;
    enctype = 17 + (data[0] & 3);
    keylen = (enctype == 17 || enctype == 19) ? 16 : 32;
    dce = (data[0] & 4) != 0;
    seq = (data[0] & 8) != 0;
    if (!krb_cfx_init(&rx, enctype, fuzz_key, keylen, false, false, dce, seq, seq, 0, 0) ||
        !krb_cfx_init(&tx, enctype, fuzz_key, keylen, true, false, dce, seq, seq, 0, 0))
        abort();
    n = size - 2;
    memcpy(buf, data + 2, n);
    switch ((data[0] >> 4) & 3) {
    case 0: { /* MIC: token first, then the message */
        cut = data[1] < n ? data[1] : n;
        struct krb_seg m = {buf + cut, n - cut, KRB_SEG_SIGN};
        st = krb_cfx_verify_mic(&rx, &m, 1, buf, cut);
        break;
    }
    case 1: { /* unwrap, stream form */
        struct krb_seg m[2] = {{NULL, 0, KRB_SEG_SIGN | KRB_SEG_ENC}, {msg, 0, KRB_SEG_SIGN}};
        st = krb_cfx_unwrap(&rx, buf, n, true, m, 2, 0, &conf);
        if (st == SEC_E_OK &&
            (m[0].len > n || (m[0].len > 0 && (m[0].p < buf || m[0].p + m[0].len > buf + n))))
            abort();
        break;
    }
    case 2: { /* unwrap, split form */
        cut = data[1] < n ? data[1] : n;
        struct krb_seg m = {buf + cut, n - cut, KRB_SEG_SIGN | KRB_SEG_ENC};
        st = krb_cfx_unwrap(&rx, buf, cut, false, &m, 1, 0, &conf);
        if (st == SEC_E_OK && m.len > n - cut)
            abort();
        break;
    }
    default: { /* round trip of the payload, sealed or not */
        uint8_t tok[128];
        size_t tl;
        conf = data[1] & 1;
        memcpy(msg, data + 2, n);
        struct krb_seg m = {msg, n, KRB_SEG_SIGN | KRB_SEG_ENC};
        if (krb_cfx_wrap(&tx, conf, &m, 1, tok, sizeof(tok), &tl) != SEC_E_OK)
            abort();
        st = krb_cfx_unwrap(&rx, tok, tl, false, &m, 1, 0, &conf);
        if (st != SEC_E_OK || m.len != n || memcmp(msg, data + 2, n) != 0)
            abort();
        break;
    }
    }
    if (!status_defined(st))
        abort();
    krb_cfx_wipe(&rx);
    krb_cfx_wipe(&tx);
    return 0;
}
