/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-noalloc.c - the per-message path (MakeSignature, VerifySignature,
 * EncryptMessage, DecryptMessage) and handle lookups never allocate.
 *
 * The program counts allocations (tests/alloc-count.c interposes malloc),
 * so it is built without sanitizers and not run under valgrind.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"
#include "tests/alloc-count.h"

START_TEST(test_message_path_does_not_allocate)
{
    struct tu_pair p;
    char msg[64] = "message";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecPkgContext_Sizes sz;
    CtxtHandle stale = {0, 0};
    SECURITY_STATUS st[6];
    uint32_t qop;
    int n;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    /* Warm up (first calls may set up lazily). */
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 0), SEC_E_OK);

    /* The counter sees the library's allocations at all. */
    {
        uint32_t cnt = 0;
        PSecPkgInfoA info = NULL;

        long before = alloc_count();

        alloc_count_enable(true);
        st[0] = EnumerateSecurityPackagesA(&cnt, &info);
        alloc_count_enable(false);
        ck_assert_status(st[0], SEC_E_OK);
        ck_assert_status(FreeContextBuffer(info), SEC_E_OK);
        ck_assert_int_gt(alloc_count() - before, 0);
    }

    n = (int)alloc_count();
    alloc_count_enable(true);
    for (uint32_t i = 1; i <= 1000; i++) {
        b[1].cbBuffer = sizeof(sig);
        st[0] = MakeSignature(&p.client, 0, &d, i);
        st[1] = VerifySignature(&p.server, &d, i, &qop);
        st[2] = EncryptMessage(&p.server, 0, &d, i);
        st[3] = DecryptMessage(&p.client, &d, i, &qop);
        st[4] = MakeSignature(&stale, 0, &d, i);
        st[5] = QueryContextAttributesW(&p.client, SECPKG_ATTR_SIZES, &sz);
        if (st[0] || st[1] || st[2] || st[3] || st[4] != SEC_E_INVALID_HANDLE || st[5])
            break;
    }
    alloc_count_enable(false);
    n = (int)alloc_count() - n;
    ck_assert_status(st[0], SEC_E_OK);
    ck_assert_status(st[1], SEC_E_OK);
    ck_assert_status(st[2], SEC_E_OK);
    ck_assert_status(st[3], SEC_E_OK);
    ck_assert_status(st[4], SEC_E_INVALID_HANDLE);
    ck_assert_status(st[5], SEC_E_OK);
    ck_assert_msg(n == 0, "%d allocations on the per-message path", n);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

/* A thread that set up its contexts itself: its first message allocates
 * nothing either (the thread's hazard record is claimed on the handshake,
 * not on the first message). */
static void *handshake_then_messages(void *arg)
{
    long *n = arg;
    struct tu_pair p;
    char msg[16] = "message";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st;
    long before;

    if (tu_pair_open("MockGood", &p) != SEC_E_OK)
        return NULL;
    before = alloc_count();
    alloc_count_enable(true);
    st = MakeSignature(&p.client, 0, &d, 1);
    alloc_count_enable(false);
    *n = alloc_count() - before;
    (void)tu_pair_close(&p);
    return st == SEC_E_OK ? arg : NULL;
}

START_TEST(test_first_message_of_a_thread_does_not_allocate)
{
    pthread_t t;
    long n = -1;
    void *ok = NULL;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_int_eq(pthread_create(&t, NULL, handshake_then_messages, &n), 0);
    ck_assert_int_eq(pthread_join(t, &ok), 0);
    ck_assert_ptr_nonnull(ok);
    ck_assert_msg(n == 0, "%ld allocations on a thread's first message", n);
}
END_TEST

static Suite *noalloc_suite(void)
{
    Suite *s = suite_create("noalloc");
    TCase *tc = tcase_create("message");

    tcase_add_test(tc, test_message_path_does_not_allocate);
    tcase_add_test(tc, test_first_message_of_a_thread_does_not_allocate);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, noalloc_suite, NULL);
}
