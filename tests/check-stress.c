/*
 * check-stress.c - concurrency stress of the public API: threads sign,
 * verify, seal and unseal on their own and on shared contexts while other
 * threads create and delete credentials and contexts, enumerate packages
 * and add packages.  Bounded by iteration counts (and a wall-clock cap so a
 * slow machine only does less work); the checks are on statuses and data,
 * never on timing.  Run under ThreadSanitizer by `--enable-tsan` builds.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sspi.h"

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
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
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
        ck_assert_int_eq(ExportSecurityContext(&p.cctx, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &blob,
                                               NULL),
                         SEC_E_OK);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        ck_assert_int_eq(DeleteSecurityContext(&p.cctx), SEC_E_INVALID_HANDLE);
        ck_assert_int_eq(ImportSecurityContextA("Sample", &blob, NULL, &imported), SEC_E_OK);
        ck_assert_int_eq(FreeContextBuffer(blob.pvBuffer), SEC_E_OK);
        uint8_t data[16] = {1}, tok[128];
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
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
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
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

int main(void)
{
    Suite *s = suite_create("stress");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_stress);
    tcase_add_test(tc, test_delete_while_signing);
    tcase_add_test(tc, test_export_delete_old_while_signing);
    tcase_add_test(tc, test_export_while_signing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
