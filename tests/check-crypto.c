/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-crypto.c - known-answer tests for src/crypto (published vectors:
 * RFC 1320 MD4, RFC 1321 MD5, FIPS 180-2 SHA-256, RFC 2202 HMAC-MD5,
 * RFC 4231 HMAC-SHA256, RFC 2202 HMAC-SHA1, RFC 3961 n-fold, RFC 3962
 * AES-CTS and string-to-key, RFC 8009 key derivation, encryption and
 * checksums, the GCM paper's AES-256 test case 16, RC4 and DES
 * classic vectors, CRC-32 check value).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/testutil.h"

START_TEST(test_md4_md5_sha256)
{
    uint8_t d[32];
    crypto_md4("abc", 3, d);
    ck_assert_hex(d, 16, "a448017aaf21d8525fc10ae87aa6729d");
    crypto_md5("abc", 3, d);
    ck_assert_hex(d, 16, "900150983cd24fb0d6963f7d28e17f72");
    crypto_sha256("abc", 3, d);
    ck_assert_hex(d, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    crypto_md5_ctx c;
    crypto_md5_init(&c);
    crypto_md5_update(&c, "a", 1);
    crypto_md5_update(&c, "bc", 2);
    crypto_md5_final(&c, d);
    ck_assert_hex(d, 16, "900150983cd24fb0d6963f7d28e17f72");
}
END_TEST

START_TEST(test_hmac_md5)
{
    uint8_t d[16];
    /* RFC 2202 test case 2 */
    crypto_hmac_md5("Jefe", 4, "what do ya want ", 16, "for nothing?", 12, NULL, 0, d);
    ck_assert_hex(d, 16, "750c783e6ab0b503eaa86e310a5db738");

    /* Pre-keyed, reused twice: the key must not change between uses. */
    crypto_hmac_md5_key k;
    crypto_hmac_md5_set_key(&k, "Jefe", 4);
    for (int i = 0; i < 2; i++) {
        crypto_hmac_md5_ctx c;
        crypto_hmac_md5_begin(&c, &k);
        crypto_hmac_md5_update(&c, "what do ya want for nothing?", 28);
        crypto_hmac_md5_final(&c, d);
        ck_assert_hex(d, 16, "750c783e6ab0b503eaa86e310a5db738");
    }
}
END_TEST

START_TEST(test_hmac_sha256)
{
    uint8_t d[32];
    /* RFC 4231 test case 2 */
    crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
    ck_assert_hex(d, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    crypto_hmac_sha256_key k;
    crypto_hmac_sha256_set_key(&k, "Jefe", 4);
    for (int i = 0; i < 2; i++) {
        crypto_hmac_sha256_ctx c;
        crypto_hmac_sha256_begin(&c, &k);
        crypto_hmac_sha256_update(&c, "what do ya ", 11);
        crypto_hmac_sha256_update(&c, "want for nothing?", 17);
        crypto_hmac_sha256_final(&c, d);
        ck_assert_hex(d, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
END_TEST

START_TEST(test_rc4)
{
    uint8_t out[16];
    crypto_rc4 r;
    crypto_rc4_set_key(&r, "Key", 3);
    crypto_rc4_crypt(&r, 9, out, (const uint8_t *)"Plaintext");
    ck_assert_hex(out, 9, "bbf316e8d940af0ad3");
    /* The stream continues across calls. */
    crypto_rc4_set_key(&r, "Key", 3);
    crypto_rc4_crypt(&r, 4, out, (const uint8_t *)"Plai");
    crypto_rc4_crypt(&r, 5, out + 4, (const uint8_t *)"ntext");
    ck_assert_hex(out, 9, "bbf316e8d940af0ad3");
}
END_TEST

START_TEST(test_des7)
{
    /* LM hash half: DES("KGS!@#$%") keyed with "PASSWOR" (7 bytes), whose
     * well-known LM hash of "PASSWORD" begins e52cac67419a9a22. */
    uint8_t out[8];
    crypto_des7_encrypt((const uint8_t *)"PASSWOR", (const uint8_t *)"KGS!@#$%", out);
    ck_assert_hex(out, 8, "e52cac67419a9a22");
}
END_TEST

START_TEST(test_gcm)
{
    /* McGrew & Viega GCM test case 16 (AES-256, 60-byte plaintext, AAD) with
     * the 12-byte IV. */
    uint8_t key[32], iv[12], pt[64], aad[20], ct[64], tag[16], back[64];
    size_t pl, al;
    ck_assert_uint_eq(tu_unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
                               key, sizeof key),
                      32);
    ck_assert_uint_eq(tu_unhex("cafebabefacedbaddecaf888", iv, sizeof iv), 12);
    pl = tu_unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                  pt, sizeof pt);
    al = tu_unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, sizeof aad);
    crypto_gcm_key k;
    crypto_gcm_aes256_set_key(&k, key);
    crypto_gcm_aes256_encrypt(&k, iv, aad, al, pl, ct, pt, tag);
    ck_assert_hex(ct, pl,
                  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
    ck_assert_hex(tag, 16, "76fc6ece0f4e1768cddf8853bb2d551b");
    ck_assert(crypto_gcm_aes256_decrypt(&k, iv, aad, al, pl, back, ct, tag));
    ck_assert_mem_eq(back, pt, pl);
    tag[0] ^= 1;
    ck_assert(!crypto_gcm_aes256_decrypt(&k, iv, aad, al, pl, back, ct, tag));
    /* A failed check leaves no plaintext behind. */
    for (size_t i = 0; i < pl; i++)
        ck_assert_uint_eq(back[i], 0);
}
END_TEST

START_TEST(test_misc)
{
    ck_assert_uint_eq(crypto_crc32(0, "123456789", 9), 0xCBF43926u);
    ck_assert(crypto_memeq("abcd", "abcd", 4));
    ck_assert(!crypto_memeq("abcd", "abce", 4));
    uint8_t a[32] = {0}, b[32] = {0};
    ck_assert(crypto_random(a, sizeof(a)));
    ck_assert(crypto_random(b, sizeof(b)));
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
    crypto_wipe(a, sizeof(a));
    ck_assert_mem_eq(a, (uint8_t[32]){0}, 32);
}
END_TEST

/* ---- Kerberos: RFC 3961 n-fold, RFC 3962 CTS and string-to-key, RFC 8009 */

START_TEST(test_krb5_nfold)
{
    static const struct {
        const char *in;
        size_t bits;
        const char *out;
    } v[] = {
        {"012345", 64, "be072631276b1955"},
        {"password", 56, "78a07b6caf85fa"},
        {"Rough Consensus, and Running Code", 64, "bb6ed30870b7f0e0"},
        {"password", 168, "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e"},
        {"MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192,
         "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b"},
        {"kerberos", 64, "6b65726265726f73"},
        {"kerberos", 128, "6b65726265726f737b9b5b2b93132b93"},
        {"kerberos", 168, "8372c236344e5f1550cd0747e15d62ca7a5a3bcea4"},
        {"kerberos", 256, "6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4"},
    };
    uint8_t out[32];

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        crypto_krb5_nfold((const uint8_t *)v[i].in, strlen(v[i].in), out, v[i].bits / 8);
        ck_assert_hex(out, v[i].bits / 8, v[i].out);
    }
}
END_TEST

START_TEST(test_aes_cts_rfc3962)
{
    static const char plain[] = "I would like the General Gau's Chicken, please, and wonton soup.";
    static const struct {
        size_t len;
        const char *out;
    } v[] = {
        {17, "c6353568f2bf8cb4d8a580362da7ff7f97"},
        {31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5"},
        {32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"},
        {47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e"
             "39312523a78662d5be7fcbcc98ebf5"},
        {48, "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd8"
             "39312523a78662d5be7fcbcc98ebf5a8"},
        {64, "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a8"
             "4807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8"},
    };
    crypto_aes_key k;
    uint8_t iv[16] = {0}, buf[64];

    ck_assert(crypto_aes_set_key(&k, (const uint8_t *)"chicken teriyaki", 16));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        crypto_aes_cts_encrypt(&k, iv, v[i].len, buf, (const uint8_t *)plain);
        ck_assert_hex(buf, v[i].len, v[i].out);
        crypto_aes_cts_decrypt(&k, iv, v[i].len, buf, buf); /* in place */
        ck_assert_mem_eq(buf, plain, v[i].len);
    }
    {
        crypto_aes_key bad;
        ck_assert(!crypto_aes_set_key(&bad, buf, 24));
    }
}
END_TEST

START_TEST(test_krb5_string_to_key)
{
    static const char salt[] = "ATHENA.MIT.EDUraeburn";
    uint8_t key[32], salt8009[64];
    size_t len, slen;

    /* RFC 3962 Appendix B, iteration counts 1 and 2. */
    ck_assert(crypto_krb5_string_to_key(17, "password", 8, (const uint8_t *)salt, strlen(salt), 1,
                                        key, &len));
    ck_assert_hex(key, len, "42263c6e89f4fc28b8df68ee09799f15");
    ck_assert(crypto_krb5_string_to_key(18, "password", 8, (const uint8_t *)salt, strlen(salt), 1,
                                        key, &len));
    ck_assert_hex(key, len, "fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161");
    ck_assert(crypto_krb5_string_to_key(17, "password", 8, (const uint8_t *)salt, strlen(salt), 2,
                                        key, &len));
    ck_assert_hex(key, len, "c651bf29e2300ac27fa469d693bdda13");
    ck_assert(crypto_krb5_string_to_key(18, "password", 8, (const uint8_t *)salt, strlen(salt), 2,
                                        key, &len));
    ck_assert_hex(key, len, "a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff");
    /* RFC 8009 Appendix A: 32768 iterations, a 16-byte random salt prefix. */
    slen = tu_unhex("10df9dd783e5bc8acea1730e74355f61", salt8009, sizeof(salt8009));
    memcpy(salt8009 + slen, salt, strlen(salt));
    slen += strlen(salt);
    ck_assert(crypto_krb5_string_to_key(19, "password", 8, salt8009, slen, 32768, key, &len));
    ck_assert_hex(key, len, "089bca48b105ea6ea77ca5d2f39dc5e7");
    ck_assert(crypto_krb5_string_to_key(20, "password", 8, salt8009, slen, 32768, key, &len));
    ck_assert_hex(key, len, "45bd806dbf6a833a9cffc1c94589a222367a79bc21c413718906e9f578a78467");
    ck_assert(!crypto_krb5_string_to_key(23, "password", 8, salt8009, slen, 1, key, &len));
}
END_TEST

START_TEST(test_krb5_derive_rfc8009)
{
    uint8_t base[32], key[32];
    size_t blen, len;

    blen = tu_unhex("3705d96080c17728a0e800eab6e0d23c", base, sizeof(base));
    ck_assert(crypto_krb5_derive(19, base, blen, 2, CRYPTO_KRB5_KC, key, &len));
    ck_assert_hex(key, len, "b31a018a48f54776f403e9a396325dc3");
    ck_assert(crypto_krb5_derive(19, base, blen, 2, CRYPTO_KRB5_KE, key, &len));
    ck_assert_hex(key, len, "9b197dd1e8c5609d6e67c3e37c62c72e");
    ck_assert(crypto_krb5_derive(19, base, blen, 2, CRYPTO_KRB5_KI, key, &len));
    ck_assert_hex(key, len, "9fda0e56ab2d85e1569a688696c26a6c");
    blen = tu_unhex("6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52", base,
                    sizeof(base));
    ck_assert(crypto_krb5_derive(20, base, blen, 2, CRYPTO_KRB5_KC, key, &len));
    ck_assert_hex(key, len, "ef5718be86cc84963d8bbb5031e9f5c4ba41f28faf69e73d");
    ck_assert(crypto_krb5_derive(20, base, blen, 2, CRYPTO_KRB5_KE, key, &len));
    ck_assert_hex(key, len, "56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49");
    ck_assert(crypto_krb5_derive(20, base, blen, 2, CRYPTO_KRB5_KI, key, &len));
    ck_assert_hex(key, len, "69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f");
    /* Wrong base-key length, unknown enctype. */
    ck_assert(!crypto_krb5_derive(19, base, blen, 2, CRYPTO_KRB5_KC, key, &len));
    ck_assert(!crypto_krb5_derive(16, base, blen, 2, CRYPTO_KRB5_KC, key, &len));
}
END_TEST

/* RFC 8009 encryption: CTS(Ke, confounder | plain), then HMAC(Ki, IV 0 |
 * ciphertext) truncated; and the RFC 8009 checksum (HMAC(Kc, data)). */
START_TEST(test_krb5_encrypt_rfc8009)
{
    static const struct {
        enum crypto_hmac_alg alg;
        size_t mac;
        const char *ke, *ki, *conf, *plain, *ct;
    } v[] = {
        {CRYPTO_HMAC_SHA256, 16, "9b197dd1e8c5609d6e67c3e37c62c72e",
         "9fda0e56ab2d85e1569a688696c26a6c", "7e5895eaf2672435bad817f545a37148", "",
         "ef85fb890bb8472f4dab20394dca781dad877eda39d50c870c0d5a0a8e48c718"},
        {CRYPTO_HMAC_SHA256, 16, "9b197dd1e8c5609d6e67c3e37c62c72e",
         "9fda0e56ab2d85e1569a688696c26a6c", "7bca285e2fd4130fb55b1a5c83bc5b24", "000102030405",
         "84d7f30754ed987bab0bf3506beb09cfb55402cef7e6877ce99e247e52d16ed4421dfdf8976c"},
        {CRYPTO_HMAC_SHA256, 16, "9b197dd1e8c5609d6e67c3e37c62c72e",
         "9fda0e56ab2d85e1569a688696c26a6c", "a7a4e29a4728ce10664fb64e49ad3fac",
         "000102030405060708090a0b0c0d0e0f1011121314",
         "720f73b18d9859cd6ccb4346115cd336c70f58edc0c4437c5573544c31c813bc"
         "e1e6d072c186b39a413c2f92ca9b8334a287ffcbfc"},
        {CRYPTO_HMAC_SHA384, 24, "56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49",
         "69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f", "53bf8a0d105265d4e276428624ce5e63",
         "000102030405060708090a0b0c0d0e0f",
         "bc47ffec7998eb91e8115cf8d19dac4bbbe2e163e87dd37f49beca92027764f6"
         "8cf51f14d798c2273f35df574d1f932e40c4ff255b36a266"},
        {CRYPTO_HMAC_SHA384, 24, "56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49",
         "69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f", "763e65367e864f02f55153c7e3b58af1",
         "000102030405060708090a0b0c0d0e0f1011121314",
         "40013e2df58e8751957d2878bcd2d6fe101ccfd556cb1eae79db3c3ee86429f2"
         "b2a602ac86fef6ecb647d6295fae077a1feb517508d2c16b4192e01f62"},
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t ke[32], ki[32], buf[128], iv[16] = {0};
        size_t kel, kil, cl, pl;
        crypto_aes_key k;
        crypto_hmac_key mk;
        crypto_hmac_ctx mc;

        kel = tu_unhex(v[i].ke, ke, sizeof(ke));
        kil = tu_unhex(v[i].ki, ki, sizeof(ki));
        cl = tu_unhex(v[i].conf, buf, sizeof(buf));
        pl = tu_unhex(v[i].plain, buf + cl, sizeof(buf) - cl);
        ck_assert(crypto_aes_set_key(&k, ke, kel));
        crypto_aes_cts_encrypt(&k, iv, cl + pl, buf, buf);
        crypto_hmac_set_key(&mk, v[i].alg, ki, kil);
        crypto_hmac_begin(&mc, &mk);
        crypto_hmac_update(&mc, iv, 16);
        crypto_hmac_update(&mc, buf, cl + pl);
        crypto_hmac_final(&mc, buf + cl + pl, v[i].mac);
        ck_assert_hex(buf, cl + pl + v[i].mac, v[i].ct);
    }
    {
        uint8_t kc[32], data[32], mac[24];
        size_t kcl, dl;
        crypto_hmac_key mk;
        crypto_hmac_ctx mc;

        kcl = tu_unhex("b31a018a48f54776f403e9a396325dc3", kc, sizeof(kc));
        dl = tu_unhex("000102030405060708090a0b0c0d0e0f1011121314", data, sizeof(data));
        crypto_hmac_set_key(&mk, CRYPTO_HMAC_SHA256, kc, kcl);
        crypto_hmac_begin(&mc, &mk);
        crypto_hmac_update(&mc, data, dl);
        crypto_hmac_final(&mc, mac, 16);
        ck_assert_hex(mac, 16, "d78367186643d67b411cba9139fc1dee");
        kcl = tu_unhex("ef5718be86cc84963d8bbb5031e9f5c4ba41f28faf69e73d", kc, sizeof(kc));
        crypto_hmac_set_key(&mk, CRYPTO_HMAC_SHA384, kc, kcl);
        crypto_hmac_begin(&mc, &mk);
        crypto_hmac_update(&mc, data, dl);
        crypto_hmac_final(&mc, mac, 24);
        ck_assert_hex(mac, 24, "45ee791567eefca37f4ac1e0222de80d43c3bfa06699672a");
    }
}
END_TEST

/* RFC 2202 HMAC-SHA1 test case 2 through the generic HMAC interface. */
START_TEST(test_hmac_sha1)
{
    crypto_hmac_key k;
    crypto_hmac_ctx c;
    uint8_t mac[20];

    ck_assert_uint_eq(crypto_hmac_size(CRYPTO_HMAC_SHA1), 20);
    ck_assert_uint_eq(crypto_hmac_size(CRYPTO_HMAC_SHA384), 48);
    crypto_hmac_set_key(&k, CRYPTO_HMAC_SHA1, "Jefe", 4);
    crypto_hmac_begin(&c, &k);
    crypto_hmac_update(&c, "what do ya want ", 16);
    crypto_hmac_update(&c, "for nothing?", 12);
    crypto_hmac_final(&c, mac, 20);
    ck_assert_hex(mac, 20, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc = tcase_create("kat");
    tcase_add_test(tc, test_md4_md5_sha256);
    tcase_add_test(tc, test_hmac_md5);
    tcase_add_test(tc, test_hmac_sha256);
    tcase_add_test(tc, test_rc4);
    tcase_add_test(tc, test_des7);
    tcase_add_test(tc, test_gcm);
    tcase_add_test(tc, test_misc);
    tcase_add_test(tc, test_krb5_nfold);
    tcase_add_test(tc, test_aes_cts_rfc3962);
    tcase_add_test(tc, test_krb5_string_to_key);
    tcase_add_test(tc, test_krb5_derive_rfc8009);
    tcase_add_test(tc, test_krb5_encrypt_rfc8009);
    tcase_add_test(tc, test_hmac_sha1);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
