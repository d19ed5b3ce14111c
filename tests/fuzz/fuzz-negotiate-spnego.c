/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-negotiate-spnego.c - fuzz target: the Negotiate package's SPNEGO
 * codec, differentially against the reference codec on libtasn1
 * (negotiate-spnego-ref.c).  For any input: both decoders give the same
 * status (SEC_E_OK or SEC_E_INVALID_TOKEN) and, when they accept, the same
 * fields; every view lies inside the input; an accepted token encodes back
 * to exactly the input with both encoders (DER allows one encoding per
 * value, so a decoder that accepts anything else is not strict).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate-spnego-ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct nego_view v, const uint8_t *data, size_t size)
{
    if (v.data == NULL)
        return;
    if (v.data < data || v.data + v.len > data + size)
        abort();
    if (v.len)
        (void)*(volatile const uint8_t *)(v.data + v.len - 1);
}

static void check_views(const struct nego_token *t, const uint8_t *data, size_t size)
{
    inside(t->mech_types, data, size);
    for (uint32_t i = 0; i < t->mech_count; i++) {
        inside(t->mechs[i], data, size);
        if (!nego_oid_valid(t->mechs[i]))
            abort();
    }
    inside(t->req_flags, data, size);
    inside(t->mech_token, data, size);
    inside(t->hint_name, data, size);
    inside(t->supported_mech, data, size);
    inside(t->response_token, data, size);
    inside(t->mic, data, size);
}

static void same_bytes(struct nego_out *out, const uint8_t *data, size_t size)
{
    if (out->len != size || memcmp(out->data, data, size) != 0)
        abort();
    nego_out_free(out);
}

/* Both decoders agree on data; returns the status. */
static SECURITY_STATUS decode_both(bool initial, const uint8_t *data, size_t size,
                                   struct nego_token *t)
{
    struct nego_token r;
    SECURITY_STATUS st =
        initial ? nego_decode_initial(data, size, t) : nego_decode_next(data, size, t);
    SECURITY_STATUS rs =
        initial ? nego_ref_decode_initial(data, size, &r) : nego_ref_decode_next(data, size, &r);

    if (st != SEC_E_OK && st != SEC_E_INVALID_TOKEN)
        abort();
    if (st != rs || (st == SEC_E_OK && !nego_ref_same_token(t, &r)))
        abort();
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nego_token t;
    struct nego_out out;
    SECURITY_STATUS st;

    st = decode_both(true, data, size, &t);
    if (st == SEC_E_OK) {
        check_views(&t, data, size);
        if (t.kind == NEGO_INIT && t.mech_count > 0 && t.req_flags.data == NULL) {
            struct nego_init_spec spec = {t.mechs, t.mech_count, t.mech_token, t.mic, NULL};
            struct nego_view mt;
            if (nego_encode_init(&spec, &out, &mt) != SEC_E_OK)
                abort();
            if (mt.len != t.mech_types.len || memcmp(mt.data, t.mech_types.data, mt.len) != 0)
                abort();
            same_bytes(&out, data, size);
            if (nego_ref_encode_init(&spec, &out, NULL) != SEC_E_OK)
                abort();
            same_bytes(&out, data, size);
        }
    }
    st = decode_both(false, data, size, &t);
    if (st == SEC_E_OK) {
        check_views(&t, data, size);
        if (nego_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out) !=
            SEC_E_OK)
            abort();
        same_bytes(&out, data, size);
        if (nego_ref_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out) !=
            SEC_E_OK)
            abort();
        same_bytes(&out, data, size);
    }
    (void)nego_der_check(data, size);
    return 0;
}
