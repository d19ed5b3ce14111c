/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-handle-table.c - tests of the SecHandle table (src/core/handle.c,
 * compiled into this program): encoding checks, generations, kinds,
 * reference counting, the per-message lookup that writes nothing shared
 * (sspi_handle_enter/leave), and concurrent create/lookup/close.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/handle.h"

static _Atomic long destroyed;

struct obj {
    _Atomic int magic;
};

static void obj_destroy(void *p)
{
    struct obj *o = p;

    if (atomic_exchange(&o->magic, 0) != 0x1234)
        abort();
    free(o);
    atomic_fetch_add(&destroyed, 1);
}

static struct obj *obj_new(void)
{
    struct obj *o = malloc(sizeof(*o));

    ck_assert_ptr_nonnull(o);
    atomic_init(&o->magic, 0x1234);
    return o;
}

START_TEST(test_lookup_and_close)
{
    struct obj *o = obj_new();
    struct sspi_slot *s = NULL;
    SecHandle h, copy;
    long before = atomic_load(&destroyed);

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, o, obj_destroy, &h), SEC_E_OK);
    ck_assert_ptr_eq(sspi_handle_acquire(&h, SSPI_HANDLE_CONTEXT, &s), o);
    sspi_handle_release(s);
    /* Wrong kind. */
    ck_assert_ptr_null(sspi_handle_acquire(&h, SSPI_HANDLE_CREDENTIAL, &s));
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CREDENTIAL), SEC_E_INVALID_HANDLE);
    /* Tampered halves. */
    copy = h;
    copy.dwLower ^= 1;
    ck_assert_ptr_null(sspi_handle_acquire(&copy, SSPI_HANDLE_CONTEXT, &s));
    copy = h;
    copy.dwUpper += 0x100;
    ck_assert_ptr_null(sspi_handle_acquire(&copy, SSPI_HANDLE_CONTEXT, &s));
    copy = h;
    copy.dwLower ^= (ULONG_PTR)1 << 40;
    ck_assert_ptr_null(sspi_handle_acquire(&copy, SSPI_HANDLE_CONTEXT, &s));

    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_OK);
    ck_assert_int_eq(atomic_load(&destroyed), before + 1);
    ck_assert_ptr_null(sspi_handle_acquire(&h, SSPI_HANDLE_CONTEXT, &s));
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
}
END_TEST

START_TEST(test_garbage_handles)
{
    SecHandle zero = {0, 0}, ones = {(ULONG_PTR)-1, (ULONG_PTR)-1};
    struct sspi_slot *s = NULL;
    unsigned seed = 7;

    ck_assert_ptr_null(sspi_handle_acquire(NULL, SSPI_HANDLE_CONTEXT, &s));
    ck_assert_ptr_null(sspi_handle_acquire(&zero, SSPI_HANDLE_CONTEXT, &s));
    ck_assert_ptr_null(sspi_handle_acquire(&ones, SSPI_HANDLE_CREDENTIAL, &s));
    ck_assert_int_eq(sspi_handle_close(NULL, SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(sspi_handle_close(&zero, SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(sspi_handle_close(&ones, SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
    for (int i = 0; i < 100000; i++) {
        SecHandle f = {((ULONG_PTR)rand_r(&seed) << 32) ^ (ULONG_PTR)rand_r(&seed),
                       ((ULONG_PTR)rand_r(&seed) << 8) | (ULONG_PTR)(1 + i % 2)};

        ck_assert_ptr_null(sspi_handle_acquire(&f, SSPI_HANDLE_CONTEXT, &s));
    }
}
END_TEST

START_TEST(test_stale_after_reuse)
{
    struct obj *a = obj_new(), *b = obj_new();
    struct sspi_slot *s = NULL;
    SecHandle ha, hb;

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CREDENTIAL, a, obj_destroy, &ha), SEC_E_OK);
    ck_assert_int_eq(sspi_handle_close(&ha, SSPI_HANDLE_CREDENTIAL), SEC_E_OK);
    /* The freed slot is reused first; the old handle must stay dead. */
    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CREDENTIAL, b, obj_destroy, &hb), SEC_E_OK);
    ck_assert_ptr_null(sspi_handle_acquire(&ha, SSPI_HANDLE_CREDENTIAL, &s));
    ck_assert_int_eq(sspi_handle_close(&ha, SSPI_HANDLE_CREDENTIAL), SEC_E_INVALID_HANDLE);
    ck_assert_ptr_eq(sspi_handle_acquire(&hb, SSPI_HANDLE_CREDENTIAL, &s), b);
    sspi_handle_release(s);
    ck_assert_int_eq(sspi_handle_close(&hb, SSPI_HANDLE_CREDENTIAL), SEC_E_OK);
}
END_TEST

START_TEST(test_close_while_referenced)
{
    struct obj *o = obj_new();
    struct sspi_slot *s = NULL;
    SecHandle h;
    long before = atomic_load(&destroyed);

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, o, obj_destroy, &h), SEC_E_OK);
    ck_assert_ptr_eq(sspi_handle_acquire(&h, SSPI_HANDLE_CONTEXT, &s), o);
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_OK);
    /* Still referenced: alive, but no new lookups and no second close. */
    ck_assert_int_eq(atomic_load(&destroyed), before);
    ck_assert_int_eq(atomic_load(&o->magic), 0x1234);
    ck_assert_ptr_null(sspi_handle_acquire(&h, SSPI_HANDLE_CONTEXT, &s));
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
    sspi_handle_release(s);
    ck_assert_int_eq(atomic_load(&destroyed), before + 1);
}
END_TEST

/* The per-message lookup publishes the slot in the calling thread's own
 * record only: the slot's word, which every thread reads, is not written
 * (a shared reference count would bounce its cache line between CPUs). */
START_TEST(test_enter_writes_nothing_shared)
{
    struct obj *o = obj_new();
    struct sspi_guard g;
    SecHandle h;
    uint64_t before, during;
    struct sspi_slot *slot;
    uint64_t id;
    uint32_t check;

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, o, obj_destroy, &h), SEC_E_OK);
    slot = sspi_handle_decode(&h, SSPI_HANDLE_CONTEXT, &id, &check);
    ck_assert_ptr_nonnull(slot);
    /* The first lookup of a thread may register its record. */
    ck_assert_ptr_eq(sspi_handle_enter(&h, SSPI_HANDLE_CONTEXT, &g), o);
    sspi_handle_leave(&g);
    before = atomic_load(&slot->word);
    ck_assert_ptr_eq(sspi_handle_enter(&h, SSPI_HANDLE_CONTEXT, &g), o);
    during = atomic_load(&slot->word);
    sspi_handle_leave(&g);
    ck_assert_msg(during == before, "the lookup wrote the slot word (%#llx -> %#llx)",
                  (unsigned long long)before, (unsigned long long)during);
    ck_assert_int_eq(atomic_load(&slot->word), before);
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_OK);
}
END_TEST

/* Close while a per-message lookup holds the object: it stays alive until
 * the lookup ends, then is destroyed exactly once; new lookups fail at
 * once.  Nested lookups (a wrapping package calling its sibling) beyond the
 * per-thread records fall back to reference counts and behave the same. */
START_TEST(test_close_while_entered)
{
    enum { DEPTH = 6 };
    struct obj *o[DEPTH];
    struct sspi_guard g[DEPTH], again;
    SecHandle h[DEPTH];
    long before = atomic_load(&destroyed);

    for (int i = 0; i < DEPTH; i++) {
        o[i] = obj_new();
        ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, o[i], obj_destroy, &h[i]),
                         SEC_E_OK);
        ck_assert_ptr_eq(sspi_handle_enter(&h[i], SSPI_HANDLE_CONTEXT, &g[i]), o[i]);
    }
    for (int i = 0; i < DEPTH; i++) {
        ck_assert_int_eq(sspi_handle_close(&h[i], SSPI_HANDLE_CONTEXT), SEC_E_OK);
        ck_assert_ptr_null(sspi_handle_enter(&h[i], SSPI_HANDLE_CONTEXT, &again));
        ck_assert_int_eq(sspi_handle_close(&h[i], SSPI_HANDLE_CONTEXT), SEC_E_INVALID_HANDLE);
    }
    ck_assert_int_eq(atomic_load(&destroyed), before);
    for (int i = DEPTH - 1; i >= 0; i--) {
        ck_assert_int_eq(atomic_load(&o[i]->magic), 0x1234);
        sspi_handle_leave(&g[i]);
        ck_assert_int_eq(atomic_load(&destroyed), before + DEPTH - i);
    }
}
END_TEST

/* Stale, forged, zeroed and wrong-kind handles through the lookup. */
START_TEST(test_enter_refuses_bad_handles)
{
    struct obj *o = obj_new();
    SecHandle h, copy, zero = {0, 0};
    struct sspi_guard g;

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, o, obj_destroy, &h), SEC_E_OK);
    ck_assert_ptr_null(sspi_handle_enter(NULL, SSPI_HANDLE_CONTEXT, &g));
    ck_assert_ptr_null(sspi_handle_enter(&zero, SSPI_HANDLE_CONTEXT, &g));
    ck_assert_ptr_null(sspi_handle_enter(&h, SSPI_HANDLE_CREDENTIAL, &g));
    copy = h;
    copy.dwLower ^= 4;
    ck_assert_ptr_null(sspi_handle_enter(&copy, SSPI_HANDLE_CONTEXT, &g));
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_OK);
    ck_assert_ptr_null(sspi_handle_enter(&h, SSPI_HANDLE_CONTEXT, &g));
}
END_TEST

/* fork() while another thread holds a handle in a per-message call: in the
 * child that thread does not exist, so its hazard must not keep the
 * object alive there. */
static pthread_barrier_t fork_barrier;

static void *hold_entered(void *arg)
{
    struct sspi_guard g;

    if (sspi_handle_enter(arg, SSPI_HANDLE_CONTEXT, &g) == NULL)
        abort();
    pthread_barrier_wait(&fork_barrier); /* entered */
    pthread_barrier_wait(&fork_barrier); /* the parent has forked */
    sspi_handle_leave(&g);
    return NULL;
}

START_TEST(test_fork_forgets_other_threads)
{
    SecHandle h;
    pthread_t t;
    long before = atomic_load(&destroyed);
    pid_t pid;
    int status = 0;

    ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, obj_new(), obj_destroy, &h), SEC_E_OK);
    pthread_barrier_init(&fork_barrier, NULL, 2);
    ck_assert_int_eq(pthread_create(&t, NULL, hold_entered, &h), 0);
    pthread_barrier_wait(&fork_barrier);
    pid = fork();
    if (pid == 0) {
        bool ok = sspi_handle_close(&h, SSPI_HANDLE_CONTEXT) == SEC_E_OK &&
                  atomic_load(&destroyed) == before + 1;
        _exit(ok ? 0 : 1);
    }
    ck_assert_int_ge(pid, 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the child could not reclaim a handle the parent's other thread held");
    /* In the parent the holder is still inside its call. */
    ck_assert_int_eq(sspi_handle_close(&h, SSPI_HANDLE_CONTEXT), SEC_E_OK);
    ck_assert_int_eq(atomic_load(&destroyed), before);
    pthread_barrier_wait(&fork_barrier);
    pthread_join(t, NULL);
    ck_assert_int_eq(atomic_load(&destroyed), before + 1);
    pthread_barrier_destroy(&fork_barrier);
}
END_TEST

START_TEST(test_many_handles)
{
    enum { N = 3000 };
    SecHandle *h = calloc(N, sizeof(*h));
    struct sspi_slot *s = NULL;

    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(sspi_handle_create(SSPI_HANDLE_CONTEXT, obj_new(), obj_destroy, &h[i]),
                         SEC_E_OK);
    for (int i = 0; i < N; i++) {
        ck_assert_ptr_nonnull(sspi_handle_acquire(&h[i], SSPI_HANDLE_CONTEXT, &s));
        sspi_handle_release(s);
    }
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(sspi_handle_close(&h[i], SSPI_HANDLE_CONTEXT), SEC_E_OK);
    free(h);
}
END_TEST

#define NH 32
static SecHandle shared[NH];
static _Atomic long churn_created;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;

    for (int i = 0; i < 50000; i++) {
        int k = rand_r(&seed) % NH, op = rand_r(&seed) % 10;
        SecHandle h;
        struct sspi_slot *s = NULL;

        pthread_mutex_lock(&shared_lock);
        h = shared[k];
        pthread_mutex_unlock(&shared_lock);
        if (op == 0) {
            SecHandle n, old;

            if (sspi_handle_create(SSPI_HANDLE_CONTEXT, obj_new(), obj_destroy, &n) != SEC_E_OK)
                abort();
            atomic_fetch_add(&churn_created, 1);
            pthread_mutex_lock(&shared_lock);
            old = shared[k];
            shared[k] = n;
            pthread_mutex_unlock(&shared_lock);
            sspi_handle_close(&old, SSPI_HANDLE_CONTEXT);
        } else if (op == 1) {
            sspi_handle_close(&h, SSPI_HANDLE_CONTEXT);
        } else if (op < 6) {
            struct obj *o = sspi_handle_acquire(&h, SSPI_HANDLE_CONTEXT, &s);

            if (o != NULL) {
                if (atomic_load(&o->magic) != 0x1234)
                    abort();
                sspi_handle_release(s);
            }
        } else {
            struct sspi_guard g;
            struct obj *o = sspi_handle_enter(&h, SSPI_HANDLE_CONTEXT, &g);

            if (o != NULL) {
                if (atomic_load(&o->magic) != 0x1234)
                    abort();
                sspi_handle_leave(&g);
            }
        }
    }
    return NULL;
}

START_TEST(test_concurrent_churn)
{
    pthread_t t[4];
    long before = atomic_load(&destroyed);

    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i + 1)), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < NH; i++)
        sspi_handle_close(&shared[i], SSPI_HANDLE_CONTEXT);
    /* Every object created was destroyed exactly once (obj_destroy aborts
     * on a second destruction); nothing is left alive. */
    ck_assert_int_eq(atomic_load(&destroyed) - before, atomic_load(&churn_created));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("handle-table");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_lookup_and_close);
    tcase_add_test(tc, test_garbage_handles);
    tcase_add_test(tc, test_stale_after_reuse);
    tcase_add_test(tc, test_close_while_referenced);
    tcase_add_test(tc, test_enter_writes_nothing_shared);
    tcase_add_test(tc, test_close_while_entered);
    tcase_add_test(tc, test_enter_refuses_bad_handles);
    tcase_add_test(tc, test_fork_forgets_other_threads);
    tcase_add_test(tc, test_many_handles);
    tcase_add_test(tc, test_concurrent_churn);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
