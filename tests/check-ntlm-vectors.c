/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-vectors.c - known-answer tests of the NTLM package's internal
 * functions against MS-NLMP section 4.2 (NTLMv1, NTLMv1 with extended
 * session security, NTLMv2: keys, responses, messages and the three
 * GSS_WrapEx examples) plus derived sequence/direction vectors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm.h"
#include "util/testutil.h"

#define CHECK_HEX(buf, len, hex) ck_assert_hex(buf, len, hex)

/* 4.2.1 common values */
static const uint8_t user[] = {'U', 0, 's', 0, 'e', 0, 'r', 0};
static const uint8_t domain[] = {'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0};
static const uint8_t password[] = {'P', 0, 'a', 0, 's', 0, 's', 0, 'w', 0, 'o', 0, 'r', 0, 'd', 0};
static const uint8_t server[] = {'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0};
static const uint8_t workstation[] = {'C', 0, 'O', 0, 'M', 0, 'P', 0,
                                      'U', 0, 'T', 0, 'E', 0, 'R', 0};
static const uint8_t server_chal[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
static const uint8_t client_chal[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
static uint8_t random_key[16];
static uint8_t plaintext[18];

static const char v1_challenge[] = "4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00"
                                   "38 00 00 00 33 82 02 e2 01 23 45 67 89 ab cd ef"
                                   "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                   "06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00"
                                   "65 00 72 00";
static const char v1_authenticate[] = "4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00"
                                      "6c 00 00 00 18 00 18 00 84 00 00 00 0c 00 0c 00"
                                      "48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00"
                                      "5c 00 00 00 10 00 10 00 9c 00 00 00 35 82 80 e2"
                                      "05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00"
                                      "69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00"
                                      "4d 00 50 00 55 00 54 00 45 00 52 00 98 de f7 b8"
                                      "7f 88 aa 5d af e2 df 77 96 88 a1 72 de f1 1c 7d"
                                      "5c cd ef 13 67 c4 30 11 f3 02 98 a2 ad 35 ec e6"
                                      "4f 16 33 1c 44 bd be d9 27 84 1f 94 51 88 22 b1"
                                      "b3 f3 50 c8 95 86 82 ec bb 3e 3c b7";
static const char ess_challenge[] = "4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00"
                                    "38 00 00 00 33 82 0a 82 01 23 45 67 89 ab cd ef"
                                    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                    "06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00"
                                    "65 00 72 00";
static const char ess_authenticate[] = "4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00"
                                       "6c 00 00 00 18 00 18 00 84 00 00 00 0c 00 0c 00"
                                       "48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00"
                                       "5c 00 00 00 00 00 00 00 9c 00 00 00 35 82 08 82"
                                       "05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00"
                                       "69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00"
                                       "4d 00 50 00 55 00 54 00 45 00 52 00 aa aa aa aa"
                                       "aa aa aa aa 00 00 00 00 00 00 00 00 00 00 00 00"
                                       "00 00 00 00 75 37 f8 03 ae 36 71 28 ca 45 82 04"
                                       "bd e7 ca f8 1e 97 ed 26 83 26 72 32";
static const char v2_challenge[] = "4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00"
                                   "38 00 00 00 33 82 8a e2 01 23 45 67 89 ab cd ef"
                                   "00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00"
                                   "06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00"
                                   "65 00 72 00 02 00 0c 00 44 00 6f 00 6d 00 61 00"
                                   "69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00"
                                   "65 00 72 00 00 00 00 00";
static const char v2_authenticate[] = "4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00"
                                      "6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00"
                                      "48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00"
                                      "5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2"
                                      "05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00"
                                      "69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00"
                                      "4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97"
                                      "ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa"
                                      "aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b"
                                      "eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00"
                                      "00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00"
                                      "02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00"
                                      "01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00"
                                      "00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90"
                                      "94 ce 1c e9 0b c9 d0 3e";
static const char v2_av[] =
    "02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 "
    "65 00 72 00 00 00 00 00";

static const struct ntlm_version ver_600 = {6, 0, 6000, 15};
static const struct ntlm_version ver_51 = {5, 1, 2600, 15};

static void setup(void)
{
    static const char pt[] = "Plaintext";
    memset(random_key, 0x55, 16);
    for (int i = 0; i < 9; i++) {
        plaintext[2 * i] = (uint8_t)pt[i];
        plaintext[2 * i + 1] = 0;
    }
}

#define V(p, l) ((struct ntlm_view){(p), (l)})

/* ---- 4.2.2 NTLMv1 ------------------------------------------------------- */
START_TEST(test_v1_keys)
{
    uint8_t lm[16], nt[16], sbk[16], kx[16], out[24], enc[16];
    uint8_t lmresp[24];
    crypto_rc4 rc4;

    ntlm_lmowfv1(password, sizeof(password), lm);
    CHECK_HEX(lm, 16, "e5 2c ac 67 41 9a 9a 22 4a 3b 10 8f 3f a6 cb 6d");
    ntlm_ntowfv1(password, sizeof(password), nt);
    CHECK_HEX(nt, 16, "a4 f4 9c 40 65 10 bd ca b6 82 4e e7 c3 0f d8 52");
    ntlm_v1_session_base_key(nt, sbk);
    CHECK_HEX(sbk, 16, "d8 72 62 b0 cd e4 b1 cb 74 99 be cc cd f1 07 84");

    ntlm_v1_response(nt, server_chal, out);
    CHECK_HEX(out, 24,
              "67 c4 30 11 f3 02 98 a2 ad 35 ec e6 "
              "4f 16 33 1c 44 bd be d9 27 84 1f 94");
    ntlm_v1_response(lm, server_chal, lmresp);
    CHECK_HEX(lmresp, 24,
              "98 de f7 b8 7f 88 aa 5d af e2 df 77 "
              "96 88 a1 72 de f1 1c 7d 5c cd ef 13");

    ntlm_kxkey(0xE2028233, false, sbk, lm, lmresp, server_chal, kx);
    CHECK_HEX(kx, 16, "d8 72 62 b0 cd e4 b1 cb 74 99 be cc cd f1 07 84");
    crypto_rc4_set_key(&rc4, kx, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    CHECK_HEX(enc, 16, "51 88 22 b1 b3 f3 50 c8 95 86 82 ec bb 3e 3c b7");

    ntlm_kxkey(0xE2028233 | NTLMSSP_NEGOTIATE_LM_KEY, false, sbk, lm, lmresp, server_chal, kx);
    CHECK_HEX(kx, 16, "b0 9e 37 9f 7f be cb 1e af 0a fd cb 03 83 c8 a0");
    crypto_rc4_set_key(&rc4, kx, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    CHECK_HEX(enc, 16, "4c d7 bb 57 d6 97 ef 9b 54 9f 02 b8 f9 b3 78 64");

    ntlm_kxkey(0xE2028233 | NTLMSSP_REQUEST_NON_NT_SESSION_KEY, false, sbk, lm, lmresp, server_chal,
               kx);
    CHECK_HEX(kx, 16, "e5 2c ac 67 41 9a 9a 22 00 00 00 00 00 00 00 00");
    crypto_rc4_set_key(&rc4, kx, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    CHECK_HEX(enc, 16, "74 52 ca 55 c2 25 a1 ca 04 b4 8f ae 32 cf 56 fc");
}
END_TEST

START_TEST(test_v1_messages)
{
    uint8_t msg[512], lm[16], nt[16], lmresp[24], ntresp[24], enc[16], sbk[16];
    size_t n = tu_unhex(v1_challenge, msg, sizeof msg);
    struct ntlm_challenge c;
    struct ntlm_authenticate a;
    struct ntlm_buf out;
    crypto_rc4 rc4;

    ck_assert(ntlm_msg_decode_challenge(msg, n, &c));
    ck_assert_uint_eq(c.flags, 0xE2028233);
    ck_assert_mem_eq(c.server_chal, server_chal, 8);
    ck_assert_uint_eq(c.target_name.len, 12);
    ck_assert_mem_eq(c.target_name.data, server, 12);
    ck_assert_uint_eq(c.target_info.len, 0);
    ck_assert(c.has_version);
    ck_assert_uint_eq(c.version.build, 6000);
    ck_assert(
        ntlm_msg_encode_challenge(c.flags, server_chal, &V(server, 12), NULL, &ver_600, &out));
    CHECK_HEX(out.data, out.len, v1_challenge);
    ntlm_buf_free(&out);

    ntlm_lmowfv1(password, sizeof(password), lm);
    ntlm_ntowfv1(password, sizeof(password), nt);
    ntlm_v1_response(lm, server_chal, lmresp);
    ntlm_v1_response(nt, server_chal, ntresp);
    ntlm_v1_session_base_key(nt, sbk);
    crypto_rc4_set_key(&rc4, sbk, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    ck_assert(ntlm_msg_encode_authenticate(0xE2808235, &V(lmresp, 24), &V(ntresp, 24),
                                           &V(domain, 12), &V(user, 8), &V(workstation, 16),
                                           &V(enc, 16), &ver_51, false, &out));
    CHECK_HEX(out.data, out.len, v1_authenticate);
    ck_assert(ntlm_msg_decode_authenticate(out.data, out.len, &a));
    ck_assert_uint_eq(a.flags, 0xE2808235);
    ck_assert_mem_eq(a.nt.data, ntresp, 24);
    ck_assert_mem_eq(a.user.data, user, 8);
    ck_assert_mem_eq(a.enc_key.data, enc, 16);
    ck_assert(a.has_version);
    ck_assert(!a.has_mic_field);
    ntlm_buf_free(&out);
}
END_TEST

START_TEST(test_v1_wrap)
{
    uint8_t key[16], data[18], sig[16];
    size_t kl = ntlm_sealkey(0xE2028233, random_key, true, key);
    crypto_rc4 rc4;
    struct ntlm_iov iov = {plaintext, sizeof(plaintext)};

    ck_assert_uint_eq(kl, 16);
    ck_assert_mem_eq(key, random_key, 16);
    ck_assert_uint_eq(crypto_crc32(0, plaintext, sizeof(plaintext)), 0x93aa847d);
    crypto_rc4_set_key(&rc4, key, kl);
    crypto_rc4_crypt(&rc4, sizeof(data), data, plaintext);
    CHECK_HEX(data, 18, "56 fe 04 d8 61 f9 31 9a f0 d7 23 8a 2e 3b 4d 45 7f b8");
    ntlm_sign_compute(0xE2028233, NULL, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 00 00 00 00 09 dc d1 df 2e 45 9d 36");

    /* Derived: sign only, fresh state. */
    crypto_rc4_set_key(&rc4, key, kl);
    ntlm_sign_compute(0xE2028233, NULL, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 00 00 00 00 7d 7d f2 09 9e d7 57 8a");
}
END_TEST

/* ---- 4.2.3 NTLMv1 with ESS ---------------------------------------------- */
START_TEST(test_ess)
{
    const uint32_t flags = 0x820A8233;
    uint8_t msg[512], nt[16], lm[16], sbk[16], kx[16], lmresp[24], ntresp[24];
    uint8_t sealc[16], signc[16], seals[16], signs[16], data[18], sig[16];
    size_t n = tu_unhex(ess_challenge, msg, sizeof msg);
    struct ntlm_challenge c;
    struct ntlm_buf out;
    crypto_hmac_md5_key hk;
    crypto_rc4 rc4;
    struct ntlm_iov iov = {plaintext, sizeof(plaintext)};

    ck_assert(ntlm_msg_decode_challenge(msg, n, &c));
    ck_assert_uint_eq(c.flags, flags);
    ck_assert(ntlm_msg_encode_challenge(flags, server_chal, &V(server, 12), NULL, &ver_600, &out));
    CHECK_HEX(out.data, out.len, ess_challenge);
    ntlm_buf_free(&out);

    ntlm_ntowfv1(password, sizeof(password), nt);
    ntlm_lmowfv1(password, sizeof(password), lm);
    ntlm_v1_session_base_key(nt, sbk);
    memset(lmresp, 0, 24);
    memcpy(lmresp, client_chal, 8);
    ntlm_v1_ess_response(nt, server_chal, client_chal, ntresp);
    CHECK_HEX(ntresp, 24,
              "75 37 f8 03 ae 36 71 28 ca 45 82 04 "
              "bd e7 ca f8 1e 97 ed 26 83 26 72 32");
    ntlm_kxkey(flags, false, sbk, lm, lmresp, server_chal, kx);
    CHECK_HEX(kx, 16, "eb 93 42 9a 8b d9 52 f8 b8 9c 55 b8 7f 47 5e dc");

    ck_assert(ntlm_msg_encode_authenticate(0x82088235, &V(lmresp, 24), &V(ntresp, 24),
                                           &V(domain, 12), &V(user, 8), &V(workstation, 16), NULL,
                                           &ver_51, false, &out));
    CHECK_HEX(out.data, out.len, ess_authenticate);
    ntlm_buf_free(&out);

    ck_assert_uint_eq(ntlm_sealkey(flags, kx, true, sealc), 16);
    CHECK_HEX(sealc, 16, "04 dd 7f 01 4d 85 04 d2 65 a2 5c c8 6a 3a 7c 06");
    ntlm_signkey(kx, true, signc);
    CHECK_HEX(signc, 16, "60 e7 99 be 5c 72 fc 92 92 2a e8 eb e9 61 fb 8d");
    ntlm_sealkey(flags, kx, false, seals);
    CHECK_HEX(seals, 16, "7a e2 bf 1a f0 ad 5c 0d 00 8a 15 86 24 84 74 14");
    ntlm_signkey(kx, false, signs);
    CHECK_HEX(signs, 16, "10 df 49 86 2a b2 da b5 1f 62 c2 7e 93 bb 65 5d");

    crypto_rc4_set_key(&rc4, sealc, 16);
    crypto_rc4_crypt(&rc4, 18, data, plaintext);
    CHECK_HEX(data, 18, "a0 23 72 f6 53 02 73 f3 aa 1e b9 01 90 ce 52 00 c9 9d");
    crypto_hmac_md5_set_key(&hk, signc, 16);
    ntlm_sign_compute(flags, &hk, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 ff 2a eb 52 f6 81 79 3a 00 00 00 00");

    /* Derived: server to client. */
    crypto_rc4_set_key(&rc4, seals, 16);
    crypto_rc4_crypt(&rc4, 18, data, plaintext);
    CHECK_HEX(data, 18, "a2 63 b5 af 4e c7 52 b2 4f 1e 6d bd 45 e4 ea 66 c0 04");
    crypto_hmac_md5_set_key(&hk, signs, 16);
    ntlm_sign_compute(flags, &hk, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 fe 56 f6 d9 d1 21 2c 1d 00 00 00 00");
}
END_TEST

/* ---- 4.2.4 NTLMv2 ------------------------------------------------------- */
START_TEST(test_v2_keys)
{
    uint8_t nt1[16], nt2[16], av[64], blob[128], proof[16], sbk[16], lmresp[24], enc[16];
    size_t avlen = tu_unhex(v2_av, av, sizeof av), bl;
    crypto_rc4 rc4;

    ntlm_ntowfv1(password, sizeof(password), nt1);
    ntlm_ntowfv2(nt1, user, sizeof(user), domain, sizeof(domain), nt2);
    CHECK_HEX(nt2, 16, "0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f");
    bl = ntlm_v2_blob(0, client_chal, av, avlen, blob);
    CHECK_HEX(blob, bl,
              "01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00"
              "02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00"
              "65 00 72 00 00 00 00 00 00 00 00 00");
    ntlm_v2_proof(nt2, server_chal, blob, bl, proof);
    CHECK_HEX(proof, 16, "68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c");
    ntlm_v2_session_base_key(nt2, proof, sbk);
    CHECK_HEX(sbk, 16, "8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3");
    ntlm_lmv2_response(nt2, server_chal, client_chal, lmresp);
    CHECK_HEX(lmresp, 24,
              "86 c3 50 97 ac 9c ec 10 25 54 76 4a "
              "57 cc cc 19 aa aa aa aa aa aa aa aa");
    crypto_rc4_set_key(&rc4, sbk, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    CHECK_HEX(enc, 16, "c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e");
}
END_TEST

START_TEST(test_v2_messages)
{
    uint8_t msg[512], av[64], nt1[16], nt2[16], blob[128], ntresp[160], lmresp[24];
    uint8_t sbk[16], enc[16];
    size_t avlen = tu_unhex(v2_av, av, sizeof av), n = tu_unhex(v2_challenge, msg, sizeof msg), bl;
    struct ntlm_challenge c;
    struct ntlm_authenticate a;
    struct ntlm_avpairs p;
    struct ntlm_buf out;
    crypto_rc4 rc4;

    ck_assert(ntlm_msg_decode_challenge(msg, n, &c));
    ck_assert_uint_eq(c.flags, 0xE28A8233);
    ck_assert_uint_eq(c.target_info.len, 36);
    ck_assert(ntlm_avpairs_parse(c.target_info.data, c.target_info.len, &p));
    ck_assert(p.present[MsvAvNbDomainName]);
    ck_assert_mem_eq(p.v[MsvAvNbDomainName].data, domain, 12);
    ck_assert(p.present[MsvAvNbComputerName]);
    ck_assert_mem_eq(p.v[MsvAvNbComputerName].data, server, 12);
    ck_assert(!p.present[MsvAvTimestamp]);
    ck_assert_uint_eq(p.total_len, 36);
    ck_assert(ntlm_msg_encode_challenge(c.flags, server_chal, &V(server, 12), &V(av, avlen),
                                        &ver_600, &out));
    CHECK_HEX(out.data, out.len, v2_challenge);
    ntlm_buf_free(&out);

    /* The same AV list built with the builder. */
    {
        struct ntlm_avbuilder b = {0};
        ntlm_av_add(&b, MsvAvNbDomainName, domain, 12);
        ntlm_av_add(&b, MsvAvNbComputerName, server, 12);
        ck_assert(ntlm_av_finish(&b));
        ck_assert_uint_eq(b.len, avlen);
        ck_assert_mem_eq(b.data, av, avlen);
        ntlm_av_free(&b);
    }

    ntlm_ntowfv1(password, sizeof(password), nt1);
    ntlm_ntowfv2(nt1, user, sizeof(user), domain, sizeof(domain), nt2);
    bl = ntlm_v2_blob(0, client_chal, av, avlen, blob);
    ntlm_v2_proof(nt2, server_chal, blob, bl, ntresp);
    memcpy(ntresp + 16, blob, bl);
    ntlm_lmv2_response(nt2, server_chal, client_chal, lmresp);
    ntlm_v2_session_base_key(nt2, ntresp, sbk);
    crypto_rc4_set_key(&rc4, sbk, 16);
    crypto_rc4_crypt(&rc4, 16, enc, random_key);
    ck_assert(ntlm_msg_encode_authenticate(0xE2888235, &V(lmresp, 24), &V(ntresp, 16 + bl),
                                           &V(domain, 12), &V(user, 8), &V(workstation, 16),
                                           &V(enc, 16), &ver_51, false, &out));
    CHECK_HEX(out.data, out.len, v2_authenticate);
    ck_assert(ntlm_msg_decode_authenticate(out.data, out.len, &a));
    ck_assert_uint_eq(a.nt.len, 84);
    ck_assert_uint_eq(a.workstation.len, 16);
    ntlm_buf_free(&out);
}
END_TEST

START_TEST(test_v2_wrap)
{
    const uint32_t flags = 0xE28A8233;
    uint8_t sealc[16], signc[16], seals[16], signs[16], data[18], sig[16];
    crypto_hmac_md5_key hk;
    crypto_rc4 rc4;
    struct ntlm_iov iov = {plaintext, sizeof(plaintext)};

    ck_assert_uint_eq(ntlm_sealkey(flags, random_key, true, sealc), 16);
    CHECK_HEX(sealc, 16, "59 f6 00 97 3c c4 96 0a 25 48 0a 7c 19 6e 4c 58");
    ntlm_signkey(random_key, true, signc);
    CHECK_HEX(signc, 16, "47 88 dc 86 1b 47 82 f3 5d 43 fd 98 fe 1a 2d 39");
    ntlm_sealkey(flags, random_key, false, seals);
    CHECK_HEX(seals, 16, "93 55 f3 a9 57 c1 58 3d 25 c4 c2 f1 1e 40 39 0e");
    ntlm_signkey(random_key, false, signs);
    CHECK_HEX(signs, 16, "d0 4d 6f 10 74 10 41 d1 d2 46 d6 41 88 d7 a8 ad");

    crypto_hmac_md5_set_key(&hk, signc, 16);
    crypto_rc4_set_key(&rc4, sealc, 16);
    crypto_rc4_crypt(&rc4, 18, data, plaintext);
    CHECK_HEX(data, 18, "54 e5 01 65 bf 19 36 dc 99 60 20 c1 81 1b 0f 06 fb 5f");
    ntlm_sign_compute(flags, &hk, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 7f b3 8e c5 c5 5d 49 76 00 00 00 00");
    /* Derived: the second client wrap continues the RC4 state. */
    crypto_rc4_crypt(&rc4, 18, data, plaintext);
    CHECK_HEX(data, 18, "64 c3 08 e0 9e a2 36 e7 f4 23 25 53 c9 4a 01 e7 00 fa");
    ntlm_sign_compute(flags, &hk, &rc4, 1, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 25 54 05 95 5d 31 d8 c4 01 00 00 00");

    /* Derived: sign only with a fresh state. */
    crypto_rc4_set_key(&rc4, sealc, 16);
    ntlm_sign_compute(flags, &hk, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 74 d0 45 34 2c 4f 1c d5 00 00 00 00");

    /* Derived: server to client. */
    crypto_hmac_md5_set_key(&hk, signs, 16);
    crypto_rc4_set_key(&rc4, seals, 16);
    crypto_rc4_crypt(&rc4, 18, data, plaintext);
    CHECK_HEX(data, 18, "16 08 71 b7 30 ba 74 e9 46 c4 53 d7 46 5b 54 27 8d d0");
    ntlm_sign_compute(flags, &hk, &rc4, 0, &iov, 1, sig);
    CHECK_HEX(sig, 16, "01 00 00 00 b2 98 b8 47 ce 7c 58 07 00 00 00 00");

    /* Split buffers give the same signature as one buffer. */
    {
        struct ntlm_iov two[2] = {{plaintext, 5}, {plaintext + 5, 13}};
        uint8_t sig2[16];
        crypto_rc4_set_key(&rc4, seals, 16);
        ntlm_sign_compute(flags, &hk, &rc4, 7, &iov, 1, sig);
        crypto_rc4_set_key(&rc4, seals, 16);
        ntlm_sign_compute(flags, &hk, &rc4, 7, two, 2, sig2);
        ck_assert_mem_eq(sig, sig2, 16);
    }
}
END_TEST

START_TEST(test_misc)
{
    uint8_t u[] = {'u', 0, 's', 0, 0xe9, 0, 'r', 0};
    uint8_t U[] = {'U', 0, 'S', 0, 0xc9, 0, 'R', 0};
    uint8_t cb[64] = {0}, h[16], h2[16];

    ck_assert(ntlm_utf16_caseeq(u, 8, U, 8));
    ntlm_utf16_upper(u, 8);
    ck_assert_mem_eq(u, U, 8);

    /* Channel bindings: application data "tls-server-end-point:" style. */
    pkg_put_le32(cb + 24, 4);
    pkg_put_le32(cb + 28, 32);
    memcpy(cb + 32, "abcd", 4);
    ck_assert(ntlm_cbt_hash(cb, 36, h));
    {
        uint8_t ser[24] = {0};
        pkg_put_le32(ser + 16, 4);
        memcpy(ser + 20, "abcd", 4);
        crypto_md5(ser, 24, h2);
        ck_assert_mem_eq(h, h2, 16);
    }
    ck_assert(!ntlm_cbt_hash(cb, 35, h));
    ck_assert(!ntlm_cbt_hash(cb, 31, h));
    pkg_put_le32(cb + 28, 0xfffffffe);
    ck_assert(!ntlm_cbt_hash(cb, 36, h));
}
END_TEST

static Suite *vectors_suite(void)
{
    Suite *s = suite_create("ntlm-vectors");
    TCase *tc = tcase_create("ms-nlmp-4.2");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_v1_keys);
    tcase_add_test(tc, test_v1_messages);
    tcase_add_test(tc, test_v1_wrap);
    tcase_add_test(tc, test_ess);
    tcase_add_test(tc, test_v2_keys);
    tcase_add_test(tc, test_v2_messages);
    tcase_add_test(tc, test_v2_wrap);
    tcase_add_test(tc, test_misc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vectors_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
