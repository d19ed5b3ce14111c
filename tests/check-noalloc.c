/*
 * check-noalloc.c - the per-message path (MakeSignature, VerifySignature,
 * EncryptMessage, DecryptMessage) and handle lookups never allocate.
 *
 * The program interposes malloc/calloc/realloc/aligned allocation and
 * counts calls while a flag is set (glibc's __libc_* functions do the
 * work), so it is built without sanitizers and not run under valgrind.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

static atomic_int counting;
static atomic_int allocations;

static void count(void)
{
    if (atomic_load_explicit(&counting, memory_order_relaxed))
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void *malloc(size_t n)
{
    count();
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    count();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    count();
    return __libc_realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    count();
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;

    count();
    p = __libc_memalign(align, n);
    if (p == NULL)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

START_TEST(test_message_path_does_not_allocate)
{
    struct tu_pair p;
    char msg[64] = "message";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = { { sizeof(msg), SECBUFFER_DATA, msg },
                       { sizeof(sig), SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    SecPkgContext_Sizes sz;
    CtxtHandle stale = { 0, 0 };
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

        atomic_store(&allocations, 0);
        atomic_store(&counting, 1);
        st[0] = EnumerateSecurityPackagesA(&cnt, &info);
        atomic_store(&counting, 0);
        ck_assert_status(st[0], SEC_E_OK);
        ck_assert_status(FreeContextBuffer(info), SEC_E_OK);
        ck_assert_int_gt(atomic_load(&allocations), 0);
    }

    atomic_store(&allocations, 0);
    atomic_store(&counting, 1);
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
    atomic_store(&counting, 0);
    n = atomic_load(&allocations);
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

static Suite *noalloc_suite(void)
{
    Suite *s = suite_create("noalloc");
    TCase *tc = tcase_create("message");

    tcase_add_test(tc, test_message_path_does_not_allocate);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, noalloc_suite, NULL);
}
