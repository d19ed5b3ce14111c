/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-schannel-noalloc.c - Schannel's EncryptMessage and DecryptMessage
 * allocate nothing per record, client to server and back, TLS 1.2 and
 * 1.3, 1 B to 16 KiB (tests/alloc-count.c interposes malloc; so no
 * sanitizers and no valgrind here).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/alloc-count.h"
#include "tests/schannel/tls-test.h"

static struct tls_pki pki;

static void records_without_allocation(uint32_t protocols)
{
    struct tls_side c = {.target = "localhost"}, s = {.server = true};
    static uint8_t rec[16384 + 256], msg[16384];
    static const uint32_t sizes[] = {1, 16, 64, 1024, 16384};
    long before;
    int failures = 0;

    ck_assert_int_eq(tls_load_package(), SEC_E_OK);
    ck_assert_int_eq(tls_server_cred(pki.server, 0, &s.cred), SEC_E_OK);
    ck_assert_int_eq(tls_client_cred(pki.ca, NULL, protocols, 0, &c.cred), SEC_E_OK);
    ck_assert_int_eq(tls_handshake(&c, &s), SEC_E_OK);
    ck_assert_int_eq(tls_drain(&c), SEC_E_OK);
    ck_assert_int_eq(tls_drain(&s), SEC_E_OK);
    memset(msg, 'x', sizeof(msg));
    before = alloc_count();
    alloc_count_enable(true);
    for (int round = 0; round < 100; round++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            CtxtHandle *from = round % 2 ? &c.ctx : &s.ctx, *to = round % 2 ? &s.ctx : &c.ctx;
            uint8_t *plain;
            size_t len, plain_len, used;

            if (tls_encrypt(from, msg, sizes[i], rec, &len) != SEC_E_OK ||
                tls_decrypt(to, rec, len, &plain, &plain_len, &used) != SEC_E_OK ||
                plain_len != sizes[i])
                failures++;
        }
    alloc_count_enable(false);
    ck_assert_int_eq(failures, 0);
    ck_assert_msg(alloc_count() == before, "%ld allocations for 1000 records",
                  alloc_count() - before);
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
}

START_TEST(test_tls13_records_do_not_allocate)
{
    records_without_allocation(SP_PROT_TLS1_3_CLIENT);
}
END_TEST

START_TEST(test_tls12_records_do_not_allocate)
{
    records_without_allocation(SP_PROT_TLS1_2_CLIENT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schannel-noalloc");
    TCase *tc = tcase_create("records");
    SRunner *sr;
    int failed;

    if (!tls_pki_make(&pki))
        return 99;
    tcase_add_test(tc, test_tls13_records_do_not_allocate);
    tcase_add_test(tc, test_tls12_records_do_not_allocate);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tls_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
