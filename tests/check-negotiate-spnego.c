/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-negotiate-spnego.c - the Negotiate package's SPNEGO codec and
 * first-token sniffing: known encodings (tokens captured from MIT krb5
 * 1.20's SPNEGO with gss-ntlmssp 1.2, and hand-checked RFC 4178 / MS-SPNG
 * layouts), byte-exact re-encoding, the strict-DER refusals, and the
 * package's codec held to the reference codec on libtasn1
 * (negotiate-spnego-ref.c) on every known token, every seed of the fuzz
 * corpus and every truncation and bit flip of those.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packages/negotiate/negotiate-spnego-ref.h"
#include "util/testutil.h"

/* A test token in a heap block of exactly its size (overreads are caught). */
struct blob {
    uint8_t *data;
    size_t len;
};

static struct blob blob_hex(const char *hex)
{
    uint8_t tmp[4096];
    struct blob b;

    b.len = tu_unhex(hex, tmp, sizeof(tmp));
    b.data = malloc(b.len ? b.len : 1);
    ck_assert_ptr_nonnull(b.data);
    memcpy(b.data, tmp, b.len);
    return b;
}

#define VIEW_IS(v, hex)                                                                            \
    do {                                                                                           \
        uint8_t exp_[4096];                                                                        \
        size_t n_ = tu_unhex(hex, exp_, sizeof(exp_));                                             \
        ck_assert_ptr_nonnull((v).data);                                                           \
        ck_assert_uint_eq((v).len, n_);                                                            \
        ck_assert_mem_eq((v).data, exp_, n_);                                                      \
    } while (0)

/* ---- tokens of a MIT SPNEGO + gss-ntlmssp exchange (both sides MIT) ---------- */

/* Initiator leg 1: framed NegTokenInit, mechTypes [NTLMSSP], NEGOTIATE_MESSAGE. */
static const char mit_init0[] = "60 48 06 06 2b 06 01 05 05 02 a0 3e 30 3c a0 0e"
                                "30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a a2 2a"
                                "04 28 4e 54 4c 4d 53 53 50 00 01 00 00 00 37 82"
                                "08 e2 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                "00 00 06 02 00 00 00 00 00 0f";
static const char mit_init0_ntlm[] = "4e 54 4c 4d 53 53 50 00 01 00 00 00 37 82"
                                     "08 e2 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                     "00 00 06 02 00 00 00 00 00 0f";

/* Acceptor leg 1: accept-incomplete, supportedMech NTLMSSP, CHALLENGE_MESSAGE. */
static const char mit_accept0[] = "a1 81 99 30 81 96 a0 03 0a 01 01 a1 0c 06 0a 2b"
                                  "06 01 04 01 82 37 02 02 0a a2 81 80 04 7e 4e 54"
                                  "4c 4d 53 53 50 00 02 00 00 00 04 00 04 00 38 00"
                                  "00 00 35 82 8a e2 bd a4 92 45 2a 5b fc da 00 00"
                                  "00 00 00 00 00 00 42 00 42 00 3c 00 00 00 06 02"
                                  "00 00 00 00 00 0f 56 00 4d 00 01 00 04 00 56 00"
                                  "4d 00 02 00 16 00 57 00 4f 00 52 00 4b 00 53 00"
                                  "54 00 41 00 54 00 49 00 4f 00 4e 00 03 00 04 00"
                                  "76 00 6d 00 06 00 04 00 00 00 00 00 07 00 08 00"
                                  "76 f1 9c 30 35 84 dd 01 00 00 00 00";

/* Initiator leg 2: accept-incomplete, AUTHENTICATE_MESSAGE, mechListMIC. */
static const char mit_init1[] = "a1 82 01 45 30 82 01 41 a0 03 0a 01 01 a2 82 01"
                                "24 04 82 01 20 4e 54 4c 4d 53 53 50 00 03 00 00"
                                "00 00 00 00 00 58 00 00 00 9c 00 9c 00 58 00 00"
                                "00 0e 00 0e 00 f4 00 00 00 0a 00 0a 00 02 01 00"
                                "00 04 00 04 00 0c 01 00 00 10 00 10 00 10 01 00"
                                "00 35 82 8a e2 06 02 00 00 00 00 00 0f d2 8a ee"
                                "8b 07 8f 2b 83 51 b3 44 33 89 32 c7 b3 30 d1 17"
                                "14 6a 6d db 5f 74 89 e8 1b ce 2e 1f ad 01 01 00"
                                "00 00 00 00 00 76 f1 9c 30 35 84 dd 01 36 0c f4"
                                "88 20 06 9a f1 00 00 00 00 01 00 04 00 56 00 4d"
                                "00 02 00 16 00 57 00 4f 00 52 00 4b 00 53 00 54"
                                "00 41 00 54 00 49 00 4f 00 4e 00 03 00 04 00 76"
                                "00 6d 00 06 00 04 00 02 00 00 00 07 00 08 00 76"
                                "f1 9c 30 35 84 dd 01 09 00 26 00 68 00 6f 00 73"
                                "00 74 00 2f 00 73 00 65 00 72 00 76 00 65 00 72"
                                "00 2e 00 65 00 78 00 61 00 6d 00 70 00 6c 00 65"
                                "00 00 00 00 00 00 00 00 00 54 00 45 00 53 00 54"
                                "00 44 00 4f 00 4d 00 61 00 6c 00 69 00 63 00 65"
                                "00 56 00 4d 00 32 bf 4a 04 62 8d e6 e7 e1 5e 5f"
                                "ed 33 5c aa 29 a3 12 04 10 01 00 00 00 c2 39 b2"
                                "88 b8 e4 ab 3c 00 00 00 00";

/* Acceptor leg 2: accept-completed and the acceptor's mechListMIC. */
static const char mit_accept1[] = "a1 1b 30 19 a0 03 0a 01 00 a3 12 04 10 01 00 00"
                                  "00 ac 5f 88 f6 50 c0 7d 2b 00 00 00 00";

/* Hand-built from RFC 4178 4.2 / MS-SPNG 2.2.1: a server-initiated
 * NegTokenInit2 offering [MS-KRB5, KRB5, NTLMSSP] with the negHints Windows
 * sends. */
static const char init2_hints[] =
    "60 5e 06 06 2b 06 01 05 05 02"
    "a0 54 30 52"
    "a0 24 30 22"
    "06 09 2a 86 48 82 f7 12 01 02 02"
    "06 09 2a 86 48 86 f7 12 01 02 02"
    "06 0a 2b 06 01 04 01 82 37 02 02 0a"
    "a3 2a 30 28 a0 26 1b 24"
    "6e 6f 74 5f 64 65 66 69 6e 65 64 5f 69 6e 5f 52" /* not_defined_in_R */
    "46 43 34 31 37 38 40 70 6c 65 61 73 65 5f 69 67" /* FC4178@please_ig */
    "6e 6f 72 65";                                    /* nore */

/* NegTokenInit (RFC layout) with mechToken and a [3] mechListMIC. */
static const char init_with_mic[] = "60 27 06 06 2b 06 01 05 05 02"
                                    "a0 1d 30 1b"
                                    "a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
                                    "a2 03 04 01 aa"
                                    "a3 04 04 02 bb cc";

START_TEST(test_decode_mit_ntlm_init)
{
    struct blob b = blob_hex(mit_init0);
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT);
    ck_assert_uint_eq(t.mech_count, 1);
    ck_assert(nego_oid_equal(t.mechs[0], nego_oid_ntlm));
    /* The MechTypeList exactly as sent, inside the caller's buffer. */
    ck_assert_ptr_eq(t.mech_types.data, b.data + 16);
    VIEW_IS(t.mech_types, "30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a");
    VIEW_IS(t.mech_token, mit_init0_ntlm);
    ck_assert_ptr_null(t.mic.data);
    ck_assert_ptr_null(t.req_flags.data);
    ck_assert_int_eq(t.neg_state, NEGO_STATE_ABSENT);
    free(b.data);
}
END_TEST

START_TEST(test_decode_mit_ntlm_responses)
{
    struct blob a0 = blob_hex(mit_accept0), i1 = blob_hex(mit_init1), a1 = blob_hex(mit_accept1);
    struct nego_token t;

    ck_assert_int_eq(nego_decode_next(a0.data, a0.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_RESP);
    ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_INCOMPLETE);
    ck_assert(nego_oid_equal(t.supported_mech, nego_oid_ntlm));
    ck_assert_uint_eq(t.response_token.len, 126);
    ck_assert_mem_eq(t.response_token.data, "NTLMSSP\0\2\0\0\0", 12);
    ck_assert_ptr_null(t.mic.data);

    ck_assert_int_eq(nego_decode_next(i1.data, i1.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_INCOMPLETE);
    ck_assert_ptr_null(t.supported_mech.data);
    ck_assert_uint_eq(t.response_token.len, 288);
    ck_assert_mem_eq(t.response_token.data, "NTLMSSP\0\3\0\0\0", 12);
    VIEW_IS(t.mic, "01 00 00 00 c2 39 b2 88 b8 e4 ab 3c 00 00 00 00");

    ck_assert_int_eq(nego_decode_next(a1.data, a1.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_COMPLETED);
    ck_assert_ptr_null(t.response_token.data);
    VIEW_IS(t.mic, "01 00 00 00 ac 5f 88 f6 50 c0 7d 2b 00 00 00 00");
    free(a0.data);
    free(i1.data);
    free(a1.data);
}
END_TEST

/* Our encoder writes the same bytes as MIT for the same content. */
START_TEST(test_encode_matches_mit)
{
    struct blob i0 = blob_hex(mit_init0), a0 = blob_hex(mit_accept0);
    struct blob i1 = blob_hex(mit_init1), a1 = blob_hex(mit_accept1);
    struct nego_token t;
    struct nego_out out;
    struct nego_view mt;

    ck_assert_int_eq(nego_decode_initial(i0.data, i0.len, &t), SEC_E_OK);
    struct nego_init_spec spec = {&nego_oid_ntlm, 1, t.mech_token, {NULL, 0}, NULL};
    ck_assert_int_eq(nego_encode_init(&spec, &out, &mt), SEC_E_OK);
    ck_assert_uint_eq(out.len, i0.len);
    ck_assert_mem_eq(out.data, i0.data, i0.len);
    ck_assert_ptr_eq(mt.data, out.data + 16);
    ck_assert_uint_eq(mt.len, 14);
    nego_out_free(&out);
    ck_assert_ptr_null(out.data);

    ck_assert_int_eq(nego_decode_next(a0.data, a0.len, &t), SEC_E_OK);
    ck_assert_int_eq(nego_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out),
                     SEC_E_OK);
    ck_assert_uint_eq(out.len, a0.len);
    ck_assert_mem_eq(out.data, a0.data, a0.len);
    nego_out_free(&out);

    ck_assert_int_eq(nego_decode_next(i1.data, i1.len, &t), SEC_E_OK);
    ck_assert_int_eq(nego_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out),
                     SEC_E_OK);
    ck_assert_uint_eq(out.len, i1.len);
    ck_assert_mem_eq(out.data, i1.data, i1.len);
    nego_out_free(&out);

    ck_assert_int_eq(nego_decode_next(a1.data, a1.len, &t), SEC_E_OK);
    ck_assert_int_eq(nego_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out),
                     SEC_E_OK);
    ck_assert_uint_eq(out.len, a1.len);
    ck_assert_mem_eq(out.data, a1.data, a1.len);
    nego_out_free(&out);
    free(i0.data);
    free(a0.data);
    free(i1.data);
    free(a1.data);
}
END_TEST

START_TEST(test_init2_with_neg_hints)
{
    struct blob b = blob_hex(init2_hints);
    struct nego_view mechs[3] = {nego_oid_krb5_ms, nego_oid_krb5, nego_oid_ntlm};
    struct nego_token t;
    struct nego_out out;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT2);
    ck_assert_uint_eq(t.mech_count, 3);
    ck_assert(nego_oid_equal(t.mechs[0], nego_oid_krb5_ms));
    ck_assert(nego_oid_equal(t.mechs[1], nego_oid_krb5));
    ck_assert(nego_oid_equal(t.mechs[2], nego_oid_ntlm));
    ck_assert_uint_eq(t.hint_name.len, 36);
    ck_assert_mem_eq(t.hint_name.data, "not_defined_in_RFC4178@please_ignore", 36);
    ck_assert_ptr_null(t.mech_token.data);
    ck_assert_ptr_null(t.mic.data);

    struct nego_init_spec spec = {
        mechs, 3, {NULL, 0}, {NULL, 0}, "not_defined_in_RFC4178@please_ignore"};
    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_OK);
    ck_assert_uint_eq(out.len, b.len);
    ck_assert_mem_eq(out.data, b.data, b.len);
    nego_out_free(&out);
    free(b.data);
}
END_TEST

/* [3] holding an OCTET STRING is the RFC mechListMIC, not negHints. */
START_TEST(test_init_with_mic_rfc_layout)
{
    struct blob b = blob_hex(init_with_mic);
    struct nego_token t;
    struct nego_out out;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT);
    VIEW_IS(t.mech_token, "aa");
    VIEW_IS(t.mic, "bb cc");
    ck_assert_ptr_null(t.hint_name.data);
    struct nego_init_spec spec = {&nego_oid_ntlm, 1, t.mech_token, t.mic, NULL};
    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_OK);
    ck_assert_uint_eq(out.len, b.len);
    ck_assert_mem_eq(out.data, b.data, b.len);
    nego_out_free(&out);
    free(b.data);
}
END_TEST

/* The [4] mechListMIC of NegTokenInit2. */
START_TEST(test_init2_mic_tag4)
{
    struct blob b = blob_hex("60 22 06 06 2b 06 01 05 05 02 a0 18 30 16"
                             "a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
                             "a4 04 04 02 bb cc");
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT2);
    VIEW_IS(t.mic, "bb cc");
    free(b.data);
}
END_TEST

START_TEST(test_encode_each_neg_state)
{
    static const char *const want[] = {
        "a1 07 30 05 a0 03 0a 01 00",
        "a1 07 30 05 a0 03 0a 01 01",
        "a1 07 30 05 a0 03 0a 01 02",
        "a1 07 30 05 a0 03 0a 01 03",
    };
    struct nego_view none = {NULL, 0};
    struct nego_out out;
    struct nego_token t;

    for (int s = 0; s < 4; s++) {
        uint8_t exp[16];
        size_t n = tu_unhex(want[s], exp, sizeof(exp));
        ck_assert_int_eq(nego_encode_resp(s, none, none, none, &out), SEC_E_OK);
        ck_assert_uint_eq(out.len, n);
        ck_assert_mem_eq(out.data, exp, n);
        ck_assert_int_eq(nego_decode_next(out.data, out.len, &t), SEC_E_OK);
        ck_assert_int_eq(t.neg_state, s);
        nego_out_free(&out);
    }
    /* No negState at all (Windows clients omit it): an empty SEQUENCE. */
    ck_assert_int_eq(nego_encode_resp(NEGO_STATE_ABSENT, none, none, none, &out), SEC_E_OK);
    ck_assert_uint_eq(out.len, 4);
    ck_assert_mem_eq(out.data, "\xa1\x02\x30\x00", 4);
    ck_assert_int_eq(nego_decode_next(out.data, out.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.neg_state, NEGO_STATE_ABSENT);
    nego_out_free(&out);
    /* The MS Kerberos OID echoed as supportedMech. */
    ck_assert_int_eq(nego_encode_resp(NEGO_ACCEPT_COMPLETED, nego_oid_krb5_ms, none, none, &out),
                     SEC_E_OK);
    uint8_t exp[32];
    size_t n = tu_unhex("a1 14 30 12 a0 03 0a 01 00 a1 0b 06 09 2a 86 48 82 f7 12 01 02 02", exp,
                        sizeof(exp));
    ck_assert_uint_eq(out.len, n);
    ck_assert_mem_eq(out.data, exp, n);
    nego_out_free(&out);
}
END_TEST

START_TEST(test_encode_bad_arguments)
{
    struct nego_view none = {NULL, 0};
    struct nego_view bad_oid = {(const uint8_t *)"\x06\x01\x80", 3};
    struct nego_out out;
    struct nego_init_spec spec = {&nego_oid_ntlm, 0, none, none, NULL};

    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_INVALID_PARAMETER);
    spec.mech_count = NEGO_MAX_MECHS + 1;
    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_INVALID_PARAMETER);
    spec.mechs = &bad_oid;
    spec.mech_count = 1;
    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_init(NULL, &out, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_init(&spec, NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_resp(4, none, none, none, &out), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_resp(-2, none, none, none, &out), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_resp(0, bad_oid, none, none, &out), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_encode_resp(0, none, none, none, NULL), SEC_E_INVALID_PARAMETER);
    nego_out_free(NULL);
}
END_TEST

/* The two-step encoders write exactly the bytes of the one-step ones,
 * where the caller says, and nothing past them; a bad spec has size 0. */
START_TEST(test_encode_in_place)
{
    struct blob i0 = blob_hex(mit_init0), i1 = blob_hex(mit_init1), a1 = blob_hex(mit_accept1);
    struct nego_view none = {NULL, 0};
    struct nego_view bad_oid = {(const uint8_t *)"\x06\x01\x80", 3};
    struct nego_token t;
    struct nego_out out;
    struct nego_view mt, mt2;
    uint8_t room[1024];

    ck_assert_int_eq(nego_decode_initial(i0.data, i0.len, &t), SEC_E_OK);
    struct nego_init_spec spec = {&nego_oid_ntlm, 1, t.mech_token, {NULL, 0}, NULL};
    ck_assert_int_eq(nego_encode_init(&spec, &out, &mt), SEC_E_OK);
    ck_assert_uint_eq(nego_init_size(&spec), out.len);
    memset(room, 0xee, sizeof room);
    nego_init_write(&spec, room, &mt2);
    ck_assert_mem_eq(room, out.data, out.len);
    ck_assert_uint_eq(room[out.len], 0xee);
    ck_assert_ptr_eq(mt2.data, room + (mt.data - out.data));
    ck_assert_uint_eq(mt2.len, mt.len);
    nego_out_free(&out);

    const struct blob *resps[] = {&i1, &a1};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(nego_decode_next(resps[i]->data, resps[i]->len, &t), SEC_E_OK);
        struct nego_resp_spec r = {t.neg_state, t.supported_mech, t.response_token, t.mic};
        ck_assert_uint_eq(nego_resp_size(&r), resps[i]->len);
        memset(room, 0xee, sizeof room);
        nego_resp_write(&r, room);
        ck_assert_mem_eq(room, resps[i]->data, resps[i]->len);
        ck_assert_uint_eq(room[resps[i]->len], 0xee);
    }

    spec.mech_count = 0;
    ck_assert_uint_eq(nego_init_size(&spec), 0);
    ck_assert_uint_eq(nego_init_size(NULL), 0);
    struct nego_resp_spec bad[] = {
        {4, none, none, none}, {-2, none, none, none}, {0, bad_oid, none, none}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_uint_eq(nego_resp_size(&bad[i]), 0);
    ck_assert_uint_eq(nego_resp_size(NULL), 0);
    free(i0.data);
    free(i1.data);
    free(a1.data);
}
END_TEST

/* A mech token already in the destination, at the most the fields before
 * it can take (nego_*_prefix_max), is moved into place: the same bytes as
 * encoding from elsewhere, for every length form of every header. */
START_TEST(test_encode_token_in_place)
{
    static const size_t lens[] = {0, 1, 100, 127, 128, 200, 255, 256, 1000, 65535, 65536, 70000};
    struct nego_view mechs[3] = {nego_oid_krb5_ms, nego_oid_krb5, nego_oid_ntlm};
    struct nego_view mic = {(const uint8_t *)"0123456789abcdef", 16};
    size_t oid_bytes = mechs[0].len + mechs[1].len + mechs[2].len;
    uint8_t *tok = malloc(70000), *dst = malloc(72000);
    struct nego_out out;

    for (size_t i = 0; i < 70000; i++)
        tok[i] = (uint8_t)(i * 7 + 3);
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        struct nego_view t = {tok, lens[k]};
        struct nego_init_spec spec = {mechs, 3, t, {NULL, 0}, NULL};
        size_t at = nego_init_prefix_max(oid_bytes);
        ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_OK);
        memcpy(dst + at, tok, lens[k]);
        spec.mech_token = (struct nego_view){dst + at, lens[k]};
        ck_assert_uint_eq(nego_init_size(&spec), out.len);
        nego_init_write(&spec, dst, NULL);
        ck_assert_mem_eq(dst, out.data, out.len);
        nego_out_free(&out);

        for (int form = 0; form < 3; form++) {
            int state = form == 0 ? NEGO_STATE_ABSENT : NEGO_ACCEPT_INCOMPLETE;
            struct nego_view sm = form == 2 ? nego_oid_krb5_ms : (struct nego_view){NULL, 0};
            struct nego_view m = form == 1 ? mic : (struct nego_view){NULL, 0};
            at = nego_resp_prefix_max(state, sm);
            ck_assert_int_eq(nego_encode_resp(state, sm, t, m, &out), SEC_E_OK);
            memcpy(dst + at, tok, lens[k]);
            struct nego_resp_spec r = {state, sm, {dst + at, lens[k]}, m};
            ck_assert_uint_eq(nego_resp_size(&r), out.len);
            nego_resp_write(&r, dst);
            ck_assert_mem_eq(dst, out.data, out.len);
            nego_out_free(&out);
        }
    }
    free(tok);
    free(dst);
}
END_TEST

/* An empty OCTET STRING is present, not absent. */
START_TEST(test_empty_octet_string_present)
{
    struct blob b = blob_hex("a1 06 30 04 a2 02 04 00");
    struct nego_token t;

    ck_assert_int_eq(nego_decode_next(b.data, b.len, &t), SEC_E_OK);
    ck_assert_ptr_nonnull(t.response_token.data);
    ck_assert_uint_eq(t.response_token.len, 0);
    free(b.data);
}
END_TEST

/* Tokens that are not strict DER or not the SPNEGO syntax. */
static const struct {
    const char *name;
    int framed;
    const char *hex;
} refused[] = {
    {"trailing byte", 0, "a1 07 30 05 a0 03 0a 01 01 00"},
    {"long-form length that fits short", 0, "a1 81 07 30 05 a0 03 0a 01 01"},
    {"length with a leading zero octet", 0, "a1 82 00 07 30 05 a0 03 0a 01 01"},
    {"inner non-minimal length", 0, "a1 08 30 81 05 a0 03 0a 01 01"},
    {"indefinite length", 0, "a1 80 30 05 a0 03 0a 01 01 00 00"},
    {"length beyond the buffer", 0, "a1 09 30 05 a0 03 0a 01 01"},
    {"length shorter than contents", 0, "a1 06 30 05 a0 03 0a 01 01"},
    {"four-octet length", 0, "a1 84 00 00 00 07 30 05 a0 03 0a 01 01"},
    {"huge length", 0, "a1 84 7f ff ff ff 30 05 a0 03 0a 01 01"},
    {"multi-byte tag for tag 1", 0, "bf 01 07 30 05 a0 03 0a 01 01"},
    {"primitive context tag", 0, "81 07 30 05 a0 03 0a 01 01"},
    {"negState non-minimal", 0, "a1 08 30 06 a0 04 0a 02 00 01"},
    {"negState 4", 0, "a1 07 30 05 a0 03 0a 01 04"},
    {"negState negative", 0, "a1 07 30 05 a0 03 0a 01 ff"},
    {"negState 256", 0, "a1 08 30 06 a0 04 0a 02 01 00"},
    {"negState empty", 0, "a1 06 30 04 a0 02 0a 00"},
    {"negState as INTEGER", 0, "a1 07 30 05 a0 03 02 01 01"},
    {"duplicate negState", 0, "a1 0c 30 0a a0 03 0a 01 01 a0 03 0a 01 01"},
    {"fields out of order", 0, "a1 0b 30 09 a2 02 04 00 a0 03 0a 01 01"},
    {"unknown field [5]", 0, "a1 0b 30 09 a0 03 0a 01 01 a5 02 04 00"},
    {"constructed OCTET STRING", 0, "a1 08 30 06 a2 04 24 02 04 00"},
    {"OCTET STRING where OID expected", 0, "a1 07 30 05 a1 03 04 01 00"},
    {"supportedMech unterminated OID", 0, "a1 0a 30 08 a1 06 06 04 2b 06 01 85"},
    {"supportedMech OID leading 0x80", 0, "a1 0a 30 08 a1 06 06 04 2b 80 06 01"},
    {"supportedMech empty OID", 0, "a1 06 30 04 a1 02 06 00"},
    /* libtasn1 refuses sub-identifiers of 2^64 and more; so does the codec. */
    {"supportedMech OID sub-identifier over 64 bits", 0,
     "a1 11 30 0f a1 0d 06 0b 2b 83 ff ff ff ff ff ff ff ff 7f"},
    {"primitive SEQUENCE", 0, "a1 07 10 05 a0 03 0a 01 01"},
    {"SET instead of SEQUENCE", 0, "a1 07 31 05 a0 03 0a 01 01"},
    {"explicit tag with two TLVs", 0, "a1 0a 30 08 a0 06 0a 01 01 0a 01 01"},
    {"empty explicit tag before its value", 0,
     "a1 14 30 12 a0 00 0a 01 00 a1 0b 06 09 2a 86 48 82 f7 12 01 02 02"},
    {"empty choice tag before the SEQUENCE", 0, "a1 07 a1 00 30 03 0a 01 00"},
    {"empty explicit mechTypes", 1,
     "60 1a 06 06 2b 06 01 05 05 02 a0 10 30 0e a0 00 30 0a 06 08 2b 06 01 05 05 02 01 01"},
    {"NegTokenInit unframed", 0, "a0 0e 30 0c a0 0a 30 08 06 06 2b 06 01 05 05 02"},
    {"empty choice", 0, "a1 00"},
    {"NULL", 0, "05 00"},
    {"NegTokenResp framed", 1, "60 11 06 06 2b 06 01 05 05 02 a1 07 30 05 a0 03 0a 01 01"},
    {"framed with Kerberos OID", 1,
     "60 1a 06 09 2a 86 48 86 f7 12 01 02 02 a0 0d 30 0b a0 09 30 07 06 05 2b 06 01 05 05"},
    {"framing without inner token", 1, "60 08 06 06 2b 06 01 05 05 02"},
    {"framing with two inner tokens", 1,
     "60 1a 06 06 2b 06 01 05 05 02 a1 07 30 05 a0 03 0a 01 01 a1 07 30 05 a0 03 0a 01 01"},
    {"framing trailing byte", 1,
     "60 1a 06 06 2b 06 01 05 05 02 a0 10 30 0e a0 0c 30 0a 06 08 2b 06 01 05 05 02 01 01 00"},
    {"mechTypes holding an INTEGER", 1,
     "60 13 06 06 2b 06 01 05 05 02 a0 09 30 07 a0 05 30 03 02 01 01"},
    {"mechTypes empty OID", 1, "60 12 06 06 2b 06 01 05 05 02 a0 08 30 06 a0 04 30 02 06 00"},
    {"reqFlags unused bits 9", 1,
     "60 22 06 06 2b 06 01 05 05 02 a0 18 30 16 a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
     "a1 04 03 02 09 fe"},
    {"reqFlags non-zero unused bits", 1,
     "60 22 06 06 2b 06 01 05 05 02 a0 18 30 16 a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
     "a1 04 03 02 01 ff"},
    {"[3] MIC and [4] MIC", 1,
     "60 28 06 06 2b 06 01 05 05 02 a0 1e 30 1c a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
     "a3 04 04 02 bb cc a4 04 04 02 bb cc"},
    {"negHints hintName as OCTET STRING", 1,
     "60 24 06 06 2b 06 01 05 05 02 a0 1a 30 18 a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a"
     "a3 06 30 04 a0 02 04 00"},
};

START_TEST(test_refused)
{
    struct blob b = blob_hex(refused[_i].hex);
    struct nego_token t;
    SECURITY_STATUS st = refused[_i].framed ? nego_decode_initial(b.data, b.len, &t)
                                            : nego_decode_next(b.data, b.len, &t);

    ck_assert_msg(st == SEC_E_INVALID_TOKEN, "%s: status 0x%08x", refused[_i].name, (unsigned)st);
    ck_assert_int_eq(t.kind, 0); /* nothing half-filled */
    free(b.data);
}
END_TEST

/* A NegTokenInit2 may leave mechTypes out (MS-SPNG 2.2.1). */
START_TEST(test_init2_without_mech_types)
{
    struct blob b = blob_hex("60 11 06 06 2b 06 01 05 05 02 a0 07 30 05 a2 03 04 01 aa");
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT2);
    ck_assert_uint_eq(t.mech_count, 0);
    ck_assert_ptr_null(t.mech_types.data);
    VIEW_IS(t.mech_token, "aa");
    free(b.data);
}
END_TEST

/* reqFlags in DER form is accepted and ignored. */
START_TEST(test_req_flags_ignored)
{
    struct blob b = blob_hex("60 22 06 06 2b 06 01 05 05 02 a0 18 30 16 a0 0e 30 0c"
                             "06 0a 2b 06 01 04 01 82 37 02 02 0a a1 04 03 02 01 fe");
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_OK);
    VIEW_IS(t.req_flags, "03 02 01 fe");
    free(b.data);

    /* Ignored, but still strict DER: unused bits must be 0..7 and zero. */
    static const char *const bad[] = {"03 02 01 ff", "03 02 08 00", "03 01 01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char hex[256];
        snprintf(hex, sizeof hex,
                 "60 %02zx 06 06 2b 06 01 05 05 02 a0 %02zx 30 %02zx a0 0e 30 0c"
                 "06 0a 2b 06 01 04 01 82 37 02 02 0a a1 %02zx %s",
                 (size_t)0x22 - (i == 2), (size_t)0x18 - (i == 2), (size_t)0x16 - (i == 2),
                 (size_t)4 - (i == 2), bad[i]);
        b = blob_hex(hex);
        ck_assert_int_eq(nego_decode_initial(b.data, b.len, &t), SEC_E_INVALID_TOKEN);
        ck_assert(!nego_der_check(b.data, b.len));
        free(b.data);
    }
}
END_TEST

/* Prepends a minimal DER header (tag, length) to buf[0..*len). */
static void wrap(uint8_t tag, uint8_t *buf, size_t *len)
{
    uint8_t hdr[4];
    size_t h = 0;

    hdr[h++] = tag;
    if (*len < 0x80) {
        hdr[h++] = (uint8_t)*len;
    } else if (*len < 0x100) {
        hdr[h++] = 0x81;
        hdr[h++] = (uint8_t)*len;
    } else {
        hdr[h++] = 0x82;
        hdr[h++] = (uint8_t)(*len >> 8);
        hdr[h++] = (uint8_t)*len;
    }
    memmove(buf + h, buf, *len);
    memcpy(buf, hdr, h);
    *len += h;
}

/* A framed NegTokenInit listing `count` distinct OIDs. */
static struct blob many_mechs(unsigned count)
{
    uint8_t tok[1024];
    size_t n = 0;

    for (unsigned i = 0; i < count; i++) {
        memcpy(tok + n, "\x06\x03\x2b\x06", 4);
        tok[n + 4] = (uint8_t)(i % 100);
        n += 5;
    }
    wrap(0x30, tok, &n);
    wrap(0xa0, tok, &n);
    wrap(0x30, tok, &n);
    wrap(0xa0, tok, &n);
    uint8_t framed[1024 + 8];
    memcpy(framed, nego_oid_spnego.data, 8);
    memcpy(framed + 8, tok, n);
    n += 8;
    wrap(0x60, framed, &n);
    struct blob b = {malloc(n), n};
    memcpy(b.data, framed, n);
    return b;
}

START_TEST(test_mech_count_limit)
{
    struct blob ok = many_mechs(NEGO_MAX_MECHS), over = many_mechs(NEGO_MAX_MECHS + 1);
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(ok.data, ok.len, &t), SEC_E_OK);
    ck_assert_uint_eq(t.mech_count, NEGO_MAX_MECHS);
    ck_assert_int_eq(nego_decode_initial(over.data, over.len, &t), SEC_E_INVALID_TOKEN);
    free(ok.data);
    free(over.data);
}
END_TEST

START_TEST(test_nesting_limit)
{
    uint8_t buf[64];
    unsigned depth = NEGO_DER_MAX_DEPTH + 1;

    /* a0 .. a0 05 00: depth+1 levels of explicit tags around a NULL. */
    for (unsigned i = 0; i < depth; i++) {
        buf[2 * i] = 0xa0;
        buf[2 * i + 1] = (uint8_t)(2 * (depth - i));
    }
    buf[2 * depth] = 0x05;
    buf[2 * depth + 1] = 0x00;
    /* 10 and 9 levels refused; 8 (7 tags around the NULL) accepted. */
    ck_assert(!nego_der_check(buf, 2 * depth + 2));
    ck_assert(!nego_der_check(buf + 2, 2 * depth));
    ck_assert(nego_der_check(buf + 4, 2 * depth - 2));
}
END_TEST

START_TEST(test_decode_bad_arguments)
{
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(NULL, 10, &t), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nego_decode_initial((const uint8_t *)"\x60", 0, &t), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nego_decode_next(NULL, 10, &t), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nego_decode_next((const uint8_t *)"\xa1", 0, &t), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nego_decode_next((const uint8_t *)"\xa1", 1, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_int_eq(nego_decode_initial((const uint8_t *)"\x60", 1, NULL),
                     SEC_E_INVALID_PARAMETER);
}
END_TEST

/* Every strict prefix of a valid token is refused (DER is not
 * self-delimiting below the outer length). */
START_TEST(test_every_truncation_refused)
{
    const char *tokens[] = {mit_init0,   mit_accept0, mit_init1,
                            mit_accept1, init2_hints, init_with_mic};

    for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
        struct blob b = blob_hex(tokens[k]);
        for (size_t cut = 0; cut < b.len; cut++) {
            uint8_t *p = malloc(cut ? cut : 1);
            struct nego_token t;
            memcpy(p, b.data, cut);
            SECURITY_STATUS st =
                b.data[0] == 0x60 ? nego_decode_initial(p, cut, &t) : nego_decode_next(p, cut, &t);
            ck_assert_msg(st == SEC_E_INVALID_TOKEN, "token %zu cut %zu: 0x%08x", k, cut,
                          (unsigned)st);
            free(p);
        }
        free(b.data);
    }
}
END_TEST

/* Every single-bit flip gives OK or INVALID_TOKEN, and an accepted flip
 * still re-encodes to itself (DER has one encoding per value). */
START_TEST(test_every_bit_flip_defined)
{
    const char *tokens[] = {mit_accept0, mit_init1, mit_accept1};

    for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
        struct blob b = blob_hex(tokens[k]);
        for (size_t bit = 0; bit < b.len * 8; bit++) {
            struct nego_token t;
            struct nego_out out;
            b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            SECURITY_STATUS st = nego_decode_next(b.data, b.len, &t);
            ck_assert(st == SEC_E_OK || st == SEC_E_INVALID_TOKEN);
            if (st == SEC_E_OK) {
                ck_assert_int_eq(
                    nego_encode_resp(t.neg_state, t.supported_mech, t.response_token, t.mic, &out),
                    SEC_E_OK);
                ck_assert_uint_eq(out.len, b.len);
                ck_assert_mem_eq(out.data, b.data, b.len);
                nego_out_free(&out);
            }
            b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        free(b.data);
    }
}
END_TEST

START_TEST(test_every_bit_flip_initial)
{
    const char *tokens[] = {mit_init0, init2_hints, init_with_mic};

    for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
        struct blob b = blob_hex(tokens[k]);
        for (size_t bit = 0; bit < b.len * 8; bit++) {
            struct nego_token t;
            b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            SECURITY_STATUS st = nego_decode_initial(b.data, b.len, &t);
            ck_assert(st == SEC_E_OK || st == SEC_E_INVALID_TOKEN);
            if (st == SEC_E_OK)
                ck_assert(nego_oid_valid(t.mechs[0]) || t.mech_count == 0);
            enum nego_first f = nego_sniff(b.data, b.len, NULL);
            ck_assert(f == NEGO_FIRST_SPNEGO || f == NEGO_FIRST_FRAMED || f == NEGO_FIRST_INVALID);
            b.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        free(b.data);
    }
}
END_TEST

/* ---- first-token sniffing ---------------------------------------------------- */

START_TEST(test_sniff)
{
    struct blob spnego = blob_hex(mit_init0);
    struct blob krb = blob_hex("60 0f 06 09 2a 86 48 86 f7 12 01 02 02 01 00 6e 00");
    struct blob krb_ms = blob_hex("60 0f 06 09 2a 86 48 82 f7 12 01 02 02 01 00 6e 00");
    struct blob trailing = blob_hex("60 0f 06 09 2a 86 48 86 f7 12 01 02 02 01 00 6e 00 00");
    struct blob short_len = blob_hex("60 10 06 09 2a 86 48 86 f7 12 01 02 02 01 00 6e 00");
    struct blob no_oid = blob_hex("60 03 04 01 00");
    struct blob bad_oid = blob_hex("60 05 06 03 2b 06 81");
    struct blob resp = blob_hex(mit_accept0);
    struct nego_view oid;

    ck_assert_int_eq(nego_sniff(NULL, 0, &oid), NEGO_FIRST_EMPTY);
    ck_assert_int_eq(nego_sniff(NULL, 4, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(spnego.data, spnego.len, &oid), NEGO_FIRST_SPNEGO);
    ck_assert(nego_oid_equal(oid, nego_oid_spnego));
    ck_assert_int_eq(nego_sniff((const uint8_t *)"NTLMSSP\0\1\0\0\0", 12, &oid),
                     NEGO_FIRST_NTLMSSP);
    ck_assert_ptr_null(oid.data);
    ck_assert_int_eq(nego_sniff((const uint8_t *)"NTLMSSP", 7, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(krb.data, krb.len, &oid), NEGO_FIRST_FRAMED);
    ck_assert(nego_oid_equal(oid, nego_oid_krb5));
    ck_assert_int_eq(nego_sniff(krb_ms.data, krb_ms.len, &oid), NEGO_FIRST_FRAMED);
    ck_assert(nego_oid_equal(oid, nego_oid_krb5_ms));
    ck_assert_int_eq(nego_sniff(trailing.data, trailing.len, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(short_len.data, short_len.len, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(no_oid.data, no_oid.len, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(bad_oid.data, bad_oid.len, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff(resp.data, resp.len, &oid), NEGO_FIRST_INVALID);
    ck_assert_int_eq(nego_sniff((const uint8_t *)"\x60", 1, NULL), NEGO_FIRST_INVALID);
    free(spnego.data);
    free(krb.data);
    free(krb_ms.data);
    free(trailing.data);
    free(short_len.data);
    free(no_oid.data);
    free(bad_oid.data);
    free(resp.data);
}
END_TEST

START_TEST(test_oid_helpers)
{
    ck_assert(nego_oid_valid(nego_oid_spnego));
    ck_assert(nego_oid_valid(nego_oid_krb5));
    ck_assert(nego_oid_valid(nego_oid_krb5_ms));
    ck_assert(nego_oid_valid(nego_oid_ntlm));
    ck_assert(!nego_oid_equal(nego_oid_krb5, nego_oid_krb5_ms));
    ck_assert(!nego_oid_equal(nego_oid_krb5, (struct nego_view){NULL, 0}));
    ck_assert(!nego_oid_valid((struct nego_view){(const uint8_t *)"\x06\x00", 2}));
    ck_assert(!nego_oid_valid((struct nego_view){(const uint8_t *)"\x04\x01\x01", 3}));
    ck_assert(!nego_oid_valid((struct nego_view){(const uint8_t *)"\x06\x02\x2b", 3}));
    /* Sub-identifiers up to 2^64 - 1 (libtasn1's limit), minimal, terminated. */
    static const struct {
        const char *hex;
        bool ok;
    } subids[] = {
        {"06 0b 2b 81 ff ff ff ff ff ff ff ff 7f", true},  /* 2^64 - 1 */
        {"06 0b 2b 82 80 80 80 80 80 80 80 80 00", false}, /* 2^64 */
        {"06 0a 2b ff ff ff ff ff ff ff ff 7f", true},     /* 2^63 - 1 */
        {"06 0c 2b 81 80 80 80 80 80 80 80 80 80 00", false},
        {"06 03 2b 80 01", false}, /* leading 0x80 */
        {"06 03 2b 00 01", true},
        {"06 02 2b 81", false}, /* unterminated */
    };
    for (size_t i = 0; i < sizeof subids / sizeof subids[0]; i++) {
        struct blob o = blob_hex(subids[i].hex);
        ck_assert_msg(nego_oid_valid((struct nego_view){o.data, o.len}) == subids[i].ok, "%s",
                      subids[i].hex);
        ck_assert(nego_der_check(o.data, o.len) == subids[i].ok);
        free(o.data);
    }
}
END_TEST

/* ---- Kerberos and re-selection exchanges captured from MIT SPNEGO ------------ */

static struct blob corpus(const char *name)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    uint8_t tmp[8192];
    struct blob b;

    snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/negotiate-spnego/%s", top ? top : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s", path);
    b.len = fread(tmp, 1, sizeof(tmp), f);
    fclose(f);
    b.data = malloc(b.len);
    memcpy(b.data, tmp, b.len);
    return b;
}

/* Re-encodes a decoded NegTokenResp and compares with the original. */
static void resp_roundtrip(const struct nego_token *t, const struct blob *b)
{
    struct nego_out out;

    ck_assert_int_eq(
        nego_encode_resp(t->neg_state, t->supported_mech, t->response_token, t->mic, &out),
        SEC_E_OK);
    ck_assert_uint_eq(out.len, b->len);
    ck_assert_mem_eq(out.data, b->data, b->len);
    nego_out_free(&out);
}

/* MIT initiator with a TGT for host/localhost, MIT acceptor with the keytab:
 * optimistic Kerberos accepted, mutual authentication, no MIC exchanged. */
START_TEST(test_mit_kerberos_exchange)
{
    struct blob i0 = corpus("mit-krb5-init0"), a0 = corpus("mit-krb5-accept0");
    struct nego_token t;
    struct nego_view oid;
    struct nego_out out;

    ck_assert_int_eq(nego_decode_initial(i0.data, i0.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.kind, NEGO_INIT);
    ck_assert_uint_eq(t.mech_count, 1);
    ck_assert(nego_oid_equal(t.mechs[0], nego_oid_krb5));
    VIEW_IS(t.mech_types, "30 0b 06 09 2a 86 48 86 f7 12 01 02 02");
    /* The optimistic token is Kerberos' own framed AP-REQ (token id 01 00). */
    ck_assert_int_eq(nego_sniff(t.mech_token.data, t.mech_token.len, &oid), NEGO_FIRST_FRAMED);
    ck_assert(nego_oid_equal(oid, nego_oid_krb5));
    ck_assert_mem_eq(oid.data + oid.len, "\x01\x00\x6e", 3);
    struct nego_init_spec spec = {t.mechs, 1, t.mech_token, {NULL, 0}, NULL};
    ck_assert_int_eq(nego_encode_init(&spec, &out, NULL), SEC_E_OK);
    ck_assert_uint_eq(out.len, i0.len);
    ck_assert_mem_eq(out.data, i0.data, i0.len);
    nego_out_free(&out);

    ck_assert_int_eq(nego_decode_next(a0.data, a0.len, &t), SEC_E_OK);
    ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_COMPLETED);
    ck_assert(nego_oid_equal(t.supported_mech, nego_oid_krb5));
    ck_assert_mem_eq(t.response_token.data, "\x60\x81\x99\x06\x09", 5); /* framed AP-REP */
    ck_assert_ptr_null(t.mic.data);
    resp_roundtrip(&t, &a0);
    free(i0.data);
    free(a0.data);
}
END_TEST

/* MIT initiator offering [KRB5, NTLMSSP] with an AP-REQ; MIT acceptor
 * limited to NTLMSSP (gss_set_neg_mechs): request-mic re-selection, then
 * NTLM inside NegTokenResp, MICs both ways. */
START_TEST(test_mit_reselection_exchange)
{
    static const char *const legs[] = {"mit-reselect-accept0", "mit-reselect-init1",
                                       "mit-reselect-accept1", "mit-reselect-init2",
                                       "mit-reselect-accept2"};
    struct blob i0 = corpus("mit-reselect-init0");
    struct nego_token t;

    ck_assert_int_eq(nego_decode_initial(i0.data, i0.len, &t), SEC_E_OK);
    ck_assert_uint_eq(t.mech_count, 2);
    ck_assert(nego_oid_equal(t.mechs[0], nego_oid_krb5));
    ck_assert(nego_oid_equal(t.mechs[1], nego_oid_ntlm));
    VIEW_IS(t.mech_types, "30 17 06 09 2a 86 48 86 f7 12 01 02 02"
                          "06 0a 2b 06 01 04 01 82 37 02 02 0a");
    ck_assert_uint_gt(t.mech_token.len, 500);
    free(i0.data);

    for (size_t i = 0; i < sizeof(legs) / sizeof(legs[0]); i++) {
        struct blob b = corpus(legs[i]);
        ck_assert_int_eq(nego_decode_next(b.data, b.len, &t), SEC_E_OK);
        switch (i) {
        case 0: /* the acceptor re-selects NTLM and asks for a MIC */
            ck_assert_int_eq(t.neg_state, NEGO_REQUEST_MIC);
            ck_assert(nego_oid_equal(t.supported_mech, nego_oid_ntlm));
            ck_assert_ptr_null(t.response_token.data);
            break;
        case 1: /* NEGOTIATE_MESSAGE in a NegTokenResp */
            ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_INCOMPLETE);
            ck_assert_mem_eq(t.response_token.data, "NTLMSSP\0\1", 9);
            break;
        case 2:
            ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_INCOMPLETE);
            ck_assert_mem_eq(t.response_token.data, "NTLMSSP\0\2", 9);
            break;
        case 3:
            ck_assert_mem_eq(t.response_token.data, "NTLMSSP\0\3", 9);
            ck_assert_uint_eq(t.mic.len, 16);
            break;
        default:
            ck_assert_int_eq(t.neg_state, NEGO_ACCEPT_COMPLETED);
            ck_assert_ptr_null(t.response_token.data);
            ck_assert_uint_eq(t.mic.len, 16);
            break;
        }
        resp_roundtrip(&t, &b);
        free(b.data);
    }
}
END_TEST

/* ---- the committed libtasn1 table is what asn1Parser makes of the module ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

START_TEST(test_asn1_table_current)
{
    const char *top = getenv("top_srcdir");
    char dir[] = "/tmp/nego-asn1.XXXXXX", cmd[8192], committed[4096], fresh[4200];
    size_t clen = 0, flen = 0;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(committed, sizeof(committed), "%s/src/packages/negotiate/negotiate-asn1-tab.c",
             top ? top : ".");
    snprintf(fresh, sizeof(fresh), "%s/tab.c", dir);
    snprintf(cmd, sizeof(cmd),
             "asn1Parser -o '%s' -n nego_asn1_tab '%s/src/packages/negotiate/"
             "negotiate-spnego.asn' >/dev/null 2>&1",
             fresh, top ? top : ".");
    ck_assert_msg(system(cmd) == 0, "asn1Parser (Debian libtasn1-bin) failed: %s", cmd);
    char *a = slurp(committed, &clen), *b = slurp(fresh, &flen);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(clen == flen && memcmp(a, b, clen) == 0,
                  "negotiate-asn1-tab.c is stale: regenerate it from negotiate-spnego.asn");
    free(a);
    free(b);
    unlink(fresh);
    rmdir(dir);
}
END_TEST

/* ---- the package's codec against the reference on libtasn1 ------------------ */

/* Both decoders (initial and next) agree on buf; both encoders give back
 * every token they accept.  Returns how many decodings were accepted. */
static int agree(const uint8_t *buf, size_t len, const char *what, size_t variant)
{
    int accepted = 0;

    for (int initial = 0; initial < 2; initial++) {
        struct nego_token a, r;
        struct nego_out o1, o2;
        SECURITY_STATUS sa =
            initial ? nego_decode_initial(buf, len, &a) : nego_decode_next(buf, len, &a);
        SECURITY_STATUS sr =
            initial ? nego_ref_decode_initial(buf, len, &r) : nego_ref_decode_next(buf, len, &r);
        ck_assert_msg(sa == sr, "%s (%zu): status 0x%08x, reference 0x%08x", what, variant,
                      (unsigned)sa, (unsigned)sr);
        if (sa != SEC_E_OK)
            continue;
        accepted++;
        ck_assert_msg(nego_ref_same_token(&a, &r), "%s (%zu): fields differ", what, variant);
        if (a.kind == NEGO_RESP) {
            ck_assert_int_eq(
                nego_encode_resp(a.neg_state, a.supported_mech, a.response_token, a.mic, &o1),
                SEC_E_OK);
            ck_assert_int_eq(
                nego_ref_encode_resp(a.neg_state, a.supported_mech, a.response_token, a.mic, &o2),
                SEC_E_OK);
        } else if (a.mech_count > 0) {
            char hint[256] = "";
            bool has_hint = a.hint_name.data != NULL && a.hint_name.len < sizeof(hint) &&
                            memchr(a.hint_name.data, 0, a.hint_name.len) == NULL;
            if (has_hint)
                memcpy(hint, a.hint_name.data, a.hint_name.len);
            struct nego_init_spec spec = {a.mechs, a.mech_count, a.mech_token, a.mic,
                                          has_hint ? hint : NULL};
            ck_assert_int_eq(nego_encode_init(&spec, &o1, NULL), SEC_E_OK);
            ck_assert_int_eq(nego_ref_encode_init(&spec, &o2, NULL), SEC_E_OK);
        } else {
            continue;
        }
        ck_assert_msg(o1.len == o2.len && memcmp(o1.data, o2.data, o1.len) == 0,
                      "%s (%zu): encodings differ", what, variant);
        nego_out_free(&o1);
        nego_out_free(&o2);
    }
    return accepted;
}

/* buf, then every truncation, then every single-bit flip of it. */
static void agree_around(const uint8_t *data, size_t len, const char *what)
{
    uint8_t *p = malloc(len ? len : 1);

    ck_assert_ptr_nonnull(p);
    agree(data, len, what, 0);
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *q = malloc(cut ? cut : 1);
        memcpy(q, data, cut);
        agree(q, cut, what, cut);
        free(q);
    }
    memcpy(p, data, len);
    for (size_t bit = 0; bit < len * 8; bit++) {
        p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        agree(p, len, what, bit);
        p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    free(p);
}

START_TEST(test_reference_known_tokens)
{
    const char *tokens[] = {mit_init0,   mit_accept0, mit_init1,
                            mit_accept1, init2_hints, init_with_mic};

    for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
        struct blob b = blob_hex(tokens[k]);
        ck_assert_int_eq(agree(b.data, b.len, "known", k), 1);
        agree_around(b.data, b.len, "known");
        free(b.data);
    }
}
END_TEST

START_TEST(test_reference_corpus)
{
    const char *top = getenv("top_srcdir");
    char dir[4096];
    struct dirent *e;
    int seeds = 0;

    snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/negotiate-spnego", top ? top : ".");
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "%s", dir);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        struct blob b = corpus(e->d_name);
        agree_around(b.data, b.len, e->d_name);
        free(b.data);
        seeds++;
    }
    closedir(d);
    ck_assert_int_gt(seeds, 10);
}
END_TEST

static Suite *spnego_suite(void)
{
    Suite *s = suite_create("negotiate-spnego");
    TCase *tc = tcase_create("known");

    tcase_add_test(tc, test_decode_mit_ntlm_init);
    tcase_add_test(tc, test_decode_mit_ntlm_responses);
    tcase_add_test(tc, test_encode_matches_mit);
    tcase_add_test(tc, test_init2_with_neg_hints);
    tcase_add_test(tc, test_init_with_mic_rfc_layout);
    tcase_add_test(tc, test_init2_mic_tag4);
    tcase_add_test(tc, test_encode_each_neg_state);
    tcase_add_test(tc, test_encode_bad_arguments);
    tcase_add_test(tc, test_encode_in_place);
    tcase_add_test(tc, test_encode_token_in_place);
    tcase_add_test(tc, test_empty_octet_string_present);
    tcase_add_test(tc, test_req_flags_ignored);
    tcase_add_test(tc, test_init2_without_mech_types);
    tcase_add_test(tc, test_mit_kerberos_exchange);
    tcase_add_test(tc, test_mit_reselection_exchange);
    suite_add_tcase(s, tc);

    tc = tcase_create("strict");
    tcase_add_loop_test(tc, test_refused, 0, (int)(sizeof(refused) / sizeof(refused[0])));
    tcase_add_test(tc, test_mech_count_limit);
    tcase_add_test(tc, test_nesting_limit);
    tcase_add_test(tc, test_decode_bad_arguments);
    tcase_add_test(tc, test_every_truncation_refused);
    tcase_add_test(tc, test_every_bit_flip_defined);
    tcase_add_test(tc, test_every_bit_flip_initial);
    suite_add_tcase(s, tc);

    tc = tcase_create("sniff");
    tcase_add_test(tc, test_sniff);
    tcase_add_test(tc, test_oid_helpers);
    suite_add_tcase(s, tc);

    tc = tcase_create("reference");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_reference_known_tokens);
    tcase_add_test(tc, test_reference_corpus);
    suite_add_tcase(s, tc);

    tc = tcase_create("generated");
    tcase_add_test(tc, test_asn1_table_current);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(spnego_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
