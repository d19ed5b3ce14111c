/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-stress.c - concurrency stress of the public API: threads sign,
 * verify, seal and unseal on their own and on shared contexts while other
 * threads create and delete credentials and contexts, enumerate packages
 * and add packages; and every kind of context call races deletes of the
 * context it uses, on the MockGood test package, which counts any call the
 * host makes on a context it already deleted and any delete that comes
 * while one of its calls is still running.  Bounded by iteration counts
 * (and a wall-clock cap so a slow machine only does less work); the checks
 * are on statuses and data, never on timing.  Run under ThreadSanitizer by
 * `--enable-tsan` builds.
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sspi.h"
#include "mock/mock-state.h"

#define STRESS_SECONDS 4.0

static char sample_path[4096];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load_sample(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    ck_assert_ptr_nonnull(dir);
    snprintf(sample_path, sizeof(sample_path), "%s/sample/.libs/sample.so", dir);
    SECURITY_STATUS st = AddSecurityPackageA(sample_path, NULL);
    /* A second add of the same module is refused (duplicate name); the
     * package is loaded either way. */
    (void)st;
    PSecPkgInfoA info = NULL;
    ck_assert_int_eq(QuerySecurityPackageInfoA("Sample", &info), SEC_E_OK);
    FreeContextBuffer(info);
}

static SECURITY_STATUS acquire(unsigned long use, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)"alice",
        .UserLength = 5,
        .Domain = (unsigned char *)"EXAMPLE",
        .DomainLength = 7,
        .Password = (unsigned char *)"stress-key",
        .PasswordLength = 10,
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    TimeStamp ts;
    return AcquireCredentialsHandleA(NULL, "Sample", (uint32_t)use, NULL, &id, NULL, NULL, cred,
                                     &ts);
}

struct pair {
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
};

/* Run the handshake between a fresh client and server context; returns the
 * final status of the exchange. */
static SECURITY_STATUS establish(struct pair *p)
{
    SECURITY_STATUS cst, sst = SEC_I_CONTINUE_NEEDED;
    uint8_t ctok[4096], stok[4096];
    uint32_t attrs;
    TimeStamp ts;
    bool have_c = false, have_s = false;

    if (acquire(SECPKG_CRED_OUTBOUND, &p->ccred) != SEC_E_OK)
        return SEC_E_INTERNAL_ERROR;
    if (acquire(SECPKG_CRED_INBOUND, &p->scred) != SEC_E_OK) {
        FreeCredentialsHandle(&p->ccred);
        return SEC_E_INTERNAL_ERROR;
    }
    SecBuffer in_b = {0, SECBUFFER_TOKEN, stok}, out_b = {sizeof(ctok), SECBUFFER_TOKEN, ctok};
    SecBufferDesc in = {SECBUFFER_VERSION, 1, &in_b}, out = {SECBUFFER_VERSION, 1, &out_b};

    cst = InitializeSecurityContextA(&p->ccred, NULL, "host/stress", ISC_REQ_CONFIDENTIALITY, 0,
                                     SECURITY_NATIVE_DREP, NULL, 0, &p->cctx, &out, &attrs, &ts);
    for (int legs = 0; legs < 8; legs++) {
        if (cst != SEC_E_OK && cst != SEC_I_CONTINUE_NEEDED)
            break;
        have_c = true;
        if (out_b.cbBuffer == 0 && sst == SEC_E_OK)
            break;
        SecBuffer sin_b = {out_b.cbBuffer, SECBUFFER_TOKEN, ctok};
        SecBuffer sout_b = {sizeof(stok), SECBUFFER_TOKEN, stok};
        SecBufferDesc sin = {SECBUFFER_VERSION, 1, &sin_b}, sout = {SECBUFFER_VERSION, 1, &sout_b};
        sst = AcceptSecurityContext(&p->scred, have_s ? &p->sctx : NULL, &sin,
                                    ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP, &p->sctx, &sout,
                                    &attrs, &ts);
        if (sst != SEC_E_OK && sst != SEC_I_CONTINUE_NEEDED)
            break;
        have_s = true;
        if (cst == SEC_E_OK && sout_b.cbBuffer == 0)
            break;
        in_b.cbBuffer = sout_b.cbBuffer;
        out_b.cbBuffer = sizeof(ctok);
        if (cst == SEC_E_OK)
            break;
        cst = InitializeSecurityContextA(&p->ccred, &p->cctx, "host/stress",
                                         ISC_REQ_CONFIDENTIALITY, 0, SECURITY_NATIVE_DREP, &in, 0,
                                         &p->cctx, &out, &attrs, &ts);
    }
    if (cst == SEC_E_OK && sst == SEC_E_OK)
        return SEC_E_OK;
    if (have_c)
        DeleteSecurityContext(&p->cctx);
    if (have_s)
        DeleteSecurityContext(&p->sctx);
    FreeCredentialsHandle(&p->ccred);
    FreeCredentialsHandle(&p->scred);
    return cst != SEC_E_OK ? cst : sst;
}

static void release(struct pair *p)
{
    ck_assert_int_eq(DeleteSecurityContext(&p->cctx), SEC_E_OK);
    ck_assert_int_eq(DeleteSecurityContext(&p->sctx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&p->ccred), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&p->scred), SEC_E_OK);
}

/* One signed or sealed message from `from` to `to`.  Returns the status of
 * the receiving side (or of the sending side if that failed). */
static SECURITY_STATUS message(CtxtHandle *from, CtxtHandle *to, bool seal, uint32_t n)
{
    uint8_t data[64], copy[64], tok[128];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(n + i);
    memcpy(copy, data, sizeof(data));
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop = 0;
    SECURITY_STATUS st = seal ? EncryptMessage(from, 0, &d, 0) : MakeSignature(from, 0, &d, 0);
    if (st != SEC_E_OK)
        return st;
    st = seal ? DecryptMessage(to, &d, 0, &qop) : VerifySignature(to, &d, 0, &qop);
    if (st == SEC_E_OK && memcmp(data, copy, sizeof(copy)) != 0)
        return SEC_E_MESSAGE_ALTERED;
    return st;
}

static double deadline;
static atomic_uint failures;
static struct pair shared;

/* Own pair: every message must succeed, in both directions. */
static void *own_pair_worker(void *arg)
{
    struct pair p;
    (void)arg;
    if (establish(&p) != SEC_E_OK) {
        atomic_fetch_add(&failures, 1);
        return NULL;
    }
    for (uint32_t i = 0; i < 20000 && now_s() < deadline; i++) {
        bool seal = (i & 1) != 0;
        if (message(&p.cctx, &p.sctx, seal, i) != SEC_E_OK ||
            message(&p.sctx, &p.cctx, seal, i) != SEC_E_OK)
            atomic_fetch_add(&failures, 1);
    }
    DeleteSecurityContext(&p.cctx);
    DeleteSecurityContext(&p.sctx);
    FreeCredentialsHandle(&p.ccred);
    FreeCredentialsHandle(&p.scred);
    return NULL;
}

/* Shared pair: several threads race on one pair of contexts, so messages
 * may arrive out of order; any status other than OK or a sequence/
 * integrity refusal is a failure, and nothing may crash. */
static void *shared_pair_worker(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 20000 && now_s() < deadline; i++) {
        SECURITY_STATUS st = message(&shared.cctx, &shared.sctx, (i & 1) != 0, i);
        if (st != SEC_E_OK && st != SEC_E_OUT_OF_SEQUENCE && st != SEC_E_MESSAGE_ALTERED)
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

/* Churn: create and delete credentials and contexts, enumerate, add. */
static void *churn_worker(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 2000 && now_s() < deadline; i++) {
        struct pair p;
        if (establish(&p) != SEC_E_OK) {
            atomic_fetch_add(&failures, 1);
            continue;
        }
        if (message(&p.cctx, &p.sctx, false, i) != SEC_E_OK)
            atomic_fetch_add(&failures, 1);
        DeleteSecurityContext(&p.cctx);
        DeleteSecurityContext(&p.sctx);
        FreeCredentialsHandle(&p.ccred);
        FreeCredentialsHandle(&p.scred);
        /* Stale handles stay dead. */
        if (message(&p.cctx, &p.sctx, false, i) != SEC_E_INVALID_HANDLE)
            atomic_fetch_add(&failures, 1);

        uint32_t n = 0;
        PSecPkgInfoA pkgs = NULL;
        if (EnumerateSecurityPackagesA(&n, &pkgs) != SEC_E_OK || n == 0)
            atomic_fetch_add(&failures, 1);
        FreeContextBuffer(pkgs);
        if ((i % 64) == 0)
            (void)AddSecurityPackageA(sample_path, NULL);
    }
    return NULL;
}

START_TEST(test_stress)
{
    enum { OWN = 3, SHARED = 3, CHURN = 2 };
    pthread_t t[OWN + SHARED + CHURN];
    int k = 0;

    load_sample();
    ck_assert_int_eq(establish(&shared), SEC_E_OK);
    deadline = now_s() + STRESS_SECONDS;
    for (int i = 0; i < OWN; i++)
        ck_assert_int_eq(pthread_create(&t[k++], NULL, own_pair_worker, NULL), 0);
    for (int i = 0; i < SHARED; i++)
        ck_assert_int_eq(pthread_create(&t[k++], NULL, shared_pair_worker, NULL), 0);
    for (int i = 0; i < CHURN; i++)
        ck_assert_int_eq(pthread_create(&t[k++], NULL, churn_worker, NULL), 0);
    for (int i = 0; i < k; i++)
        pthread_join(t[i], NULL);
    ck_assert_uint_eq(atomic_load(&failures), 0);
    release(&shared);
}
END_TEST

/* Delete a shared context while other threads are signing with it: every
 * call returns OK or SEC_E_INVALID_HANDLE, never anything else, and the
 * handle is dead afterwards. */
static void *sign_until_gone(void *arg)
{
    CtxtHandle h = *(CtxtHandle *)arg;
    for (uint32_t i = 0; i < 1000000; i++) {
        uint8_t data[16] = {0}, tok[128];
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data},
                          {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        SECURITY_STATUS st = MakeSignature(&h, 0, &d, 0);
        if (st == SEC_E_INVALID_HANDLE)
            return NULL;
        if (st != SEC_E_OK)
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

START_TEST(test_delete_while_signing)
{
    load_sample();
    for (int round = 0; round < 20; round++) {
        struct pair p;
        pthread_t t[3];
        ck_assert_int_eq(establish(&p), SEC_E_OK);
        for (int i = 0; i < 3; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, sign_until_gone, &p.cctx), 0);
        ck_assert_int_eq(DeleteSecurityContext(&p.cctx), SEC_E_OK);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        ck_assert_int_eq(DeleteSecurityContext(&p.cctx), SEC_E_INVALID_HANDLE);
        ck_assert_int_eq(DeleteSecurityContext(&p.sctx), SEC_E_OK);
        ck_assert_int_eq(FreeCredentialsHandle(&p.ccred), SEC_E_OK);
        ck_assert_int_eq(FreeCredentialsHandle(&p.scred), SEC_E_OK);
    }
    ck_assert_uint_eq(atomic_load(&failures), 0);
}
END_TEST

/* ExportSecurityContext with DELETE_OLD while other threads sign on the
 * same handle: the package's delete must wait for the calls in flight (no
 * use after free under ASan/valgrind), every call returns OK or
 * SEC_E_INVALID_HANDLE, and the exported blob imports and signs. */
START_TEST(test_export_delete_old_while_signing)
{
    load_sample();
    for (int round = 0; round < 20; round++) {
        struct pair p;
        pthread_t t[3];
        SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
        CtxtHandle imported;

        ck_assert_int_eq(establish(&p), SEC_E_OK);
        for (int i = 0; i < 3; i++)
            ck_assert_int_eq(pthread_create(&t[i], NULL, sign_until_gone, &p.cctx), 0);
        ck_assert_int_eq(
            ExportSecurityContext(&p.cctx, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &blob, NULL),
            SEC_E_OK);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        ck_assert_int_eq(DeleteSecurityContext(&p.cctx), SEC_E_INVALID_HANDLE);
        ck_assert_int_eq(ImportSecurityContextA("Sample", &blob, NULL, &imported), SEC_E_OK);
        ck_assert_int_eq(FreeContextBuffer(blob.pvBuffer), SEC_E_OK);
        uint8_t data[16] = {1}, tok[128];
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data},
                          {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_int_eq(MakeSignature(&imported, 0, &d, 0), SEC_E_OK);
        ck_assert_int_eq(DeleteSecurityContext(&imported), SEC_E_OK);
        ck_assert_int_eq(DeleteSecurityContext(&p.sctx), SEC_E_OK);
        ck_assert_int_eq(FreeCredentialsHandle(&p.ccred), SEC_E_OK);
        ck_assert_int_eq(FreeCredentialsHandle(&p.scred), SEC_E_OK);
    }
    ck_assert_uint_eq(atomic_load(&failures), 0);
}
END_TEST

/* ExportSecurityContext (keeping the context) while other threads sign on
 * it: the export reads state the signers update, which must be safe (no
 * data race under TSan) and give a blob that imports. */
static void *sign_n(void *arg)
{
    CtxtHandle h = *(CtxtHandle *)arg;
    for (uint32_t i = 0; i < 2000; i++) {
        uint8_t data[16] = {0}, tok[128];
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data},
                          {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        if (MakeSignature(&h, 0, &d, 0) != SEC_E_OK)
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

START_TEST(test_export_while_signing)
{
    struct pair p;
    pthread_t t[2];

    load_sample();
    ck_assert_int_eq(establish(&p), SEC_E_OK);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, sign_n, &p.cctx), 0);
    for (int i = 0; i < 50; i++) {
        SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
        CtxtHandle imported;
        ck_assert_int_eq(ExportSecurityContext(&p.cctx, 0, &blob, NULL), SEC_E_OK);
        ck_assert_int_eq(ImportSecurityContextA("Sample", &blob, NULL, &imported), SEC_E_OK);
        ck_assert_int_eq(FreeContextBuffer(blob.pvBuffer), SEC_E_OK);
        ck_assert_int_eq(DeleteSecurityContext(&imported), SEC_E_OK);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    ck_assert_uint_eq(atomic_load(&failures), 0);
    release(&p);
}
END_TEST

/* ---- every call racing deletes (MockGood) ------------------------------ */

#define RACE_SLOTS 4

static char mock_path[4096];
static pthread_mutex_t race_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    CredHandle ccred, scred;
    CtxtHandle c, s;
} race[RACE_SLOTS];

static SecBufferDesc *one_token(SecBufferDesc *d, SecBuffer *b, void *p, uint32_t len)
{
    *b = (SecBuffer){len, SECBUFFER_TOKEN, p};
    *d = (SecBufferDesc){SECBUFFER_VERSION, 1, b};
    return d;
}

/* The mock three-message handshake; SEC_E_OK or the first failure. */
static SECURITY_STATUS mock_pair(CredHandle *cc, CredHandle *sc, CtxtHandle *c, CtxtHandle *sv)
{
    uint8_t t1[64], t2[64], t3[64], t4[64];
    SecBuffer ib, ob;
    SecBufferDesc id, od;
    uint32_t a;
    SECURITY_STATUS st;

    if ((st = AcquireCredentialsHandleA(NULL, "MockGood", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                        NULL, cc, NULL)) != SEC_E_OK)
        return st;
    if ((st = AcquireCredentialsHandleA(NULL, "MockGood", SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                        NULL, sc, NULL)) != SEC_E_OK)
        return st;
    st = InitializeSecurityContextA(cc, NULL, "race", 0, 0, 0, NULL, 0, c,
                                    one_token(&od, &ob, t1, sizeof(t1)), &a, NULL);
    if (st == SEC_I_CONTINUE_NEEDED)
        st = AcceptSecurityContext(sc, NULL, one_token(&id, &ib, t1, ob.cbBuffer), 0, 0, sv,
                                   one_token(&od, &ob, t2, sizeof(t2)), &a, NULL);
    if (st == SEC_I_CONTINUE_NEEDED)
        st =
            InitializeSecurityContextA(cc, c, "race", 0, 0, 0, one_token(&id, &ib, t2, ob.cbBuffer),
                                       0, c, one_token(&od, &ob, t3, sizeof(t3)), &a, NULL);
    if (st == SEC_E_OK)
        st = AcceptSecurityContext(sc, sv, one_token(&id, &ib, t3, ob.cbBuffer), 0, 0, sv,
                                   one_token(&od, &ob, t4, sizeof(t4)), &a, NULL);
    return st;
}

/* One context call of kind `op` on (c, sv); its statuses must be those a
 * live or just-deleted context gives. */
static bool race_call(int op, CtxtHandle *c, CtxtHandle *sv, uint32_t n)
{
    /* Large enough that the package's work on it takes a while: deletes
     * then land during its calls. */
    static _Thread_local uint8_t data[16384];
    uint8_t tok[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecPkgContext_Sizes sz;
    SecPkgContext_NamesA names = {NULL};
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    uint32_t qop;
    SECURITY_STATUS st;

    memset(data, (int)n, sizeof(data));
    switch (op) {
    case 0:
        st = MakeSignature(c, 0, &d, n);
        if (st == SEC_E_OK)
            st = VerifySignature(sv, &d, n, &qop);
        break;
    case 1:
        st = EncryptMessage(sv, 0, &d, n);
        if (st == SEC_E_OK)
            st = DecryptMessage(c, &d, n, &qop);
        break;
    case 2:
        st = QueryContextAttributesW(c, SECPKG_ATTR_SIZES, &sz);
        break;
    case 3:
        st = QueryContextAttributesA(sv, SECPKG_ATTR_NAMES, &names);
        if (st == SEC_E_OK)
            FreeContextBuffer(names.sUserName);
        break;
    case 4:
        st = ExportSecurityContext(c, 0, &packed, NULL);
        if (st == SEC_E_OK)
            FreeContextBuffer(packed.pvBuffer);
        break;
    case 5:
        st = SetContextAttributesW(c, 0x7f000010u, NULL, 0);
        break;
    default:
        st = DeleteSecurityContext((n & 1) ? c : sv);
        break;
    }
    return st == SEC_E_OK || st == SEC_E_INVALID_HANDLE || st == SEC_E_MESSAGE_ALTERED ||
           st == SEC_E_OUT_OF_SEQUENCE || st == SEC_E_UNSUPPORTED_FUNCTION;
}

static void *race_worker(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;

    for (uint32_t i = 0; i < 200000 && now_s() < deadline; i++) {
        int k = rand_r(&seed) % RACE_SLOTS;
        CtxtHandle c, sv;

        pthread_mutex_lock(&race_lock);
        c = race[k].c;
        sv = race[k].s;
        pthread_mutex_unlock(&race_lock);
        if (!race_call(rand_r(&seed) % 8, &c, &sv, i))
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

/* Replace a pair: the old one is deleted while workers still use it. */
static void *race_replacer(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;

    for (uint32_t i = 0; i < 20000 && now_s() < deadline; i++) {
        int k = rand_r(&seed) % RACE_SLOTS;
        CredHandle cc, sc;
        CtxtHandle c, sv;

        if (mock_pair(&cc, &sc, &c, &sv) != SEC_E_OK) {
            atomic_fetch_add(&failures, 1);
            continue;
        }
        pthread_mutex_lock(&race_lock);
        {
            CredHandle occ = race[k].ccred, osc = race[k].scred;
            CtxtHandle oc = race[k].c, os = race[k].s;

            race[k].ccred = cc;
            race[k].scred = sc;
            race[k].c = c;
            race[k].s = sv;
            pthread_mutex_unlock(&race_lock);
            DeleteSecurityContext(&oc);
            DeleteSecurityContext(&os);
            FreeCredentialsHandle(&occ);
            FreeCredentialsHandle(&osc);
        }
    }
    return NULL;
}

START_TEST(test_delete_races_every_call)
{
    enum { WORKERS = 8, REPLACERS = 2 };
    const char *dir = getenv("LIBSSPI_TEST_MOCKDIR");
    pthread_t t[WORKERS + REPLACERS];
    struct mock_state *state;
    void *h;

    snprintf(mock_path, sizeof(mock_path), "%s/mock-good.so", dir ? dir : "tests/mock/.libs");
    (void)AddSecurityPackageA(mock_path, NULL);
    for (int k = 0; k < RACE_SLOTS; k++)
        ck_assert_int_eq(mock_pair(&race[k].ccred, &race[k].scred, &race[k].c, &race[k].s),
                         SEC_E_OK);
    deadline = now_s() + STRESS_SECONDS;
    for (int i = 0; i < WORKERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, race_worker, (void *)(uintptr_t)(i + 1)), 0);
    for (int i = 0; i < REPLACERS; i++)
        ck_assert_int_eq(
            pthread_create(&t[WORKERS + i], NULL, race_replacer, (void *)(uintptr_t)(100 + i)), 0);
    for (int i = 0; i < WORKERS + REPLACERS; i++)
        pthread_join(t[i], NULL);
    for (int k = 0; k < RACE_SLOTS; k++) {
        DeleteSecurityContext(&race[k].c);
        DeleteSecurityContext(&race[k].s);
        ck_assert_int_eq(FreeCredentialsHandle(&race[k].ccred), SEC_E_OK);
        ck_assert_int_eq(FreeCredentialsHandle(&race[k].scred), SEC_E_OK);
    }
    ck_assert_uint_eq(atomic_load(&failures), 0);
    h = dlopen(mock_path, RTLD_NOW | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(h);
    state = dlsym(h, "mock_state");
    ck_assert_ptr_nonnull(state);
    ck_assert_msg(state->violations == 0, "MockGood saw: %s", state->violation_text);
    /* Every context the package made was deleted once all calls ended. */
    ck_assert_uint_eq(state->pkg[0].live_contexts, 0);
    dlclose(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stress");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_stress);
    tcase_add_test(tc, test_delete_while_signing);
    tcase_add_test(tc, test_export_delete_old_while_signing);
    tcase_add_test(tc, test_export_while_signing);
    tcase_add_test(tc, test_delete_races_every_call);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
