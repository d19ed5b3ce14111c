/*
 * check-crypto.c - known-answer tests for src/crypto (published vectors:
 * RFC 1320 MD4, RFC 1321 MD5, FIPS 180-2 SHA-256, RFC 2202 HMAC-MD5,
 * RFC 4231 HMAC-SHA256, the GCM paper's AES-256 test case 16, RC4 and DES
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
    ck_assert_uint_eq(
        tu_unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, sizeof key),
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
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
