/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-utf16.c - tests of the UTF-16 helpers in src/common/utf16.c.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"

START_TEST(test_len)
{
    ck_assert_uint_eq(sspi_utf16_len(NULL), 0);
    ck_assert_uint_eq(sspi_utf16_len(u""), 0);
    ck_assert_uint_eq(sspi_utf16_len(u"NTLM"), 4);
    ck_assert_uint_eq(sspi_utf16_len(u"\U0001F600"), 2);
}
END_TEST

START_TEST(test_roundtrip)
{
    static const char16_t w[] = u"h\u00e9\u20ac\U0001F600x";
    size_t n = 99;
    char *a = sspi_utf16_to_utf8(w, SSPI_UTF16_NUL_TERMINATED, &n);
    char16_t *back;

    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(n, 1 + 2 + 3 + 4 + 1);
    ck_assert_str_eq(a, "h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x");
    back = sspi_utf8_to_utf16(a, SSPI_UTF16_NUL_TERMINATED, &n);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(n, sspi_utf16_len(w));
    ck_assert_int_eq(memcmp(back, w, sizeof(w)), 0);
    free(a);
    free(back);
}
END_TEST

START_TEST(test_counted)
{
    size_t n = 99;
    char *a = sspi_utf16_to_utf8(u"abcdef", 3, &n);
    char16_t *w = sspi_utf8_to_utf16("abcdef", 2, &n);

    ck_assert_str_eq(a, "abc");
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(w[0], 'a');
    ck_assert_int_eq(w[2], 0);
    free(a);
    free(w);
    a = sspi_utf16_to_utf8(NULL, 0, &n);
    ck_assert_str_eq(a, "");
    ck_assert_uint_eq(n, 0);
    free(a);
    ck_assert_ptr_null(sspi_utf16_to_utf8(NULL, 3, NULL));
    ck_assert_ptr_null(sspi_utf8_to_utf16(NULL, 3, NULL));
}
END_TEST

START_TEST(test_invalid)
{
    static const char16_t lone_high[] = {0xD800, 'a', 0};
    static const char16_t lone_low[] = {0xDC00, 0};
    static const char16_t cut[] = {'a', 0xD83D, 0};
    static const char *bad8[] = {
        "\xc0\x80",         /* overlong NUL */
        "\xe0\x80\xaf",     /* overlong */
        "\xed\xa0\x80",     /* surrogate */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\x80",             /* lone continuation */
        "\xe2\x82",         /* truncated */
        "\xff",
    };

    ck_assert_ptr_null(sspi_utf16_to_utf8(lone_high, SSPI_UTF16_NUL_TERMINATED, NULL));
    ck_assert_ptr_null(sspi_utf16_to_utf8(lone_low, SSPI_UTF16_NUL_TERMINATED, NULL));
    ck_assert_ptr_null(sspi_utf16_to_utf8(cut, SSPI_UTF16_NUL_TERMINATED, NULL));
    for (size_t i = 0; i < sizeof(bad8) / sizeof(bad8[0]); i++)
        ck_assert_ptr_null(sspi_utf8_to_utf16(bad8[i], SSPI_UTF16_NUL_TERMINATED, NULL));

    /* The lossy form replaces each unpaired surrogate with U+FFFD. */
    size_t n;
    char *t = sspi_utf16_to_utf8_lossy(lone_high, SSPI_UTF16_NUL_TERMINATED, &n);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t, "\xef\xbf\xbd"
                        "a");
    ck_assert_uint_eq(n, 4);
    free(t);
    t = sspi_utf16_to_utf8_lossy(cut, SSPI_UTF16_NUL_TERMINATED, NULL);
    ck_assert_str_eq(t, "a\xef\xbf\xbd");
    free(t);
    static const char16_t good[] = {'o', 0xD83D, 0xDE00, 0};
    t = sspi_utf16_to_utf8_lossy(good, SSPI_UTF16_NUL_TERMINATED, NULL);
    ck_assert_str_eq(t, "o\xf0\x9f\x98\x80");
    free(t);
}
END_TEST

START_TEST(test_buffers)
{
    char a[4];
    char16_t w[3];

    ck_assert_uint_eq(sspi_utf16_to_utf8_buf(u"abc", SSPI_UTF16_NUL_TERMINATED, a, 4), 3);
    ck_assert_str_eq(a, "abc");
    ck_assert_uint_eq(sspi_utf16_to_utf8_buf(u"abcd", SSPI_UTF16_NUL_TERMINATED, a, 4), (size_t)-1);
    ck_assert_uint_eq(sspi_utf8_to_utf16_buf("ab", SSPI_UTF16_NUL_TERMINATED, w, 3), 2);
    ck_assert_uint_eq(sspi_utf8_to_utf16_buf("\xf0\x9f\x98\x80", SSPI_UTF16_NUL_TERMINATED, w, 3),
                      2);
    ck_assert_uint_eq(sspi_utf8_to_utf16_buf("abc", SSPI_UTF16_NUL_TERMINATED, w, 3), (size_t)-1);
    ck_assert_uint_eq(sspi_utf16_utf8_size(u"\u20ac", SSPI_UTF16_NUL_TERMINATED), 3);
    ck_assert_uint_eq(sspi_utf8_utf16_size("\xf0\x9f\x98\x80", SSPI_UTF16_NUL_TERMINATED), 2);
}
END_TEST

/* The UTF-16LE byte-string forms NTLM puts on the wire. */
START_TEST(test_utf16le)
{
    static const uint8_t le[] = {'u', 0, 's', 0, 0xe9, 0, 'r', 0, 0x3d, 0xd8, 0x00, 0xde};
    static const uint8_t lone[] = {'a', 0, 0x00, 0xd8, 'b', 0, 'c'};
    size_t n = 99;
    uint8_t *b = sspi_utf8_to_utf16le("us\xc3\xa9r\xf0\x9f\x98\x80", 9, &n);
    char *s;

    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(n, sizeof le);
    ck_assert_mem_eq(b, le, sizeof le);
    ck_assert(b[n] == 0 && b[n + 1] == 0);
    s = sspi_utf16le_to_utf8_lossy(b, n, &n);
    ck_assert_str_eq(s, "us\xc3\xa9r\xf0\x9f\x98\x80");
    ck_assert_uint_eq(n, 9);
    free(s);
    free(b);
    ck_assert_ptr_null(sspi_utf8_to_utf16le("\xc3", 1, NULL));
    ck_assert_ptr_null(sspi_utf8_to_utf16le("\xc0\x80", 2, NULL));
    /* An unpaired surrogate becomes U+FFFD; an odd last byte is ignored. */
    s = sspi_utf16le_to_utf8_lossy(lone, sizeof lone, NULL);
    ck_assert_str_eq(s, "a\xef\xbf\xbd"
                        "b");
    free(s);
    b = sspi_utf16_to_le(u"\u00e9x", 2, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_mem_eq(b, "\xe9\x00x\x00\x00\x00", 6);
    free(b);
    ck_assert_ptr_null(sspi_utf16_to_le(NULL, 1, NULL));
}
END_TEST

START_TEST(test_casecmp)
{
    ck_assert_int_eq(sspi_utf16_casecmp(u"NTLM", u"ntlm"), 0);
    ck_assert_int_eq(sspi_utf16_casecmp(u"Negotiate", u"NEGOTIATE"), 0);
    ck_assert_int_lt(sspi_utf16_casecmp(u"a", u"ab"), 0);
    ck_assert_int_gt(sspi_utf16_casecmp(u"b", u"A"), 0);
    ck_assert_int_eq(sspi_utf16_casecmp(NULL, NULL), 0);
    ck_assert_int_lt(sspi_utf16_casecmp(NULL, u""), 0);
    /* Only ASCII folds. */
    ck_assert_int_ne(sspi_utf16_casecmp(u"\u00e9", u"\u00c9"), 0);

    ck_assert_int_eq(sspi_utf16_casecmp_utf8(u"Kerberos", "KERBEROS"), 0);
    ck_assert_int_eq(sspi_utf16_casecmp_utf8(u"caf\u00e9", "CAF\xc3\xa9"), 0);
    ck_assert_int_eq(sspi_utf16_casecmp_utf8(u"\U0001F600", "\xf0\x9f\x98\x80"), 0);
    ck_assert_int_lt(sspi_utf16_casecmp_utf8(u"ntl", "NTLM"), 0);
    ck_assert_int_gt(sspi_utf16_casecmp_utf8(u"ntlmx", "NTLM"), 0);
    ck_assert_int_ne(sspi_utf16_casecmp_utf8(u"a", "a\xff"), 0);
    ck_assert_int_eq(sspi_utf16_casecmp_utf8(NULL, NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf16");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_len);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_counted);
    tcase_add_test(tc, test_invalid);
    tcase_add_test(tc, test_buffers);
    tcase_add_test(tc, test_casecmp);
    tcase_add_test(tc, test_utf16le);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
