/*
 * bench-dispatch.c - cost of libsspi's per-message dispatch.
 *
 * Loads tests/bench/null-package.so with AddSecurityPackageA, establishes a
 * context, then times MakeSignature through libsspi against a direct call
 * of the package's user-mode MakeSignature (the same .so opened with
 * dlopen, table from SpUserModeInitialize).  Runs single-threaded, with two
 * threads on one context and with two threads on separate contexts.
 * Prints CPU nanoseconds per call per thread; never fails because a machine is slow.
 *
 * Usage: bench-dispatch [-n ITERATIONS] [PATH-TO-null-package.so]
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sspi.h"
#include "ntsecpkg.h"

static unsigned long iterations = 10000000;
static SpMakeSignatureFn *direct_sign;

/* CPU time of the calling thread: other processes on a loaded machine do
 * not inflate the figures. */
static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct job {
    CtxtHandle ctx;
    bool direct;
    double ns_per_call;
    SECURITY_STATUS st;
};

static void *run(void *arg)
{
    struct job *j = arg;
    unsigned char data[64] = {0}, sig[16] = {0};
    SecBuffer bufs[2] = {
        {sizeof(data), SECBUFFER_DATA, data},
        {sizeof(sig), SECBUFFER_TOKEN, sig},
    };
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    SECURITY_STATUS st = SEC_E_OK;
    uint64_t t0;

    t0 = now_ns();
    if (j->direct) {
        for (unsigned long i = 0; i < iterations && st == SEC_E_OK; i++)
            st = direct_sign(1, 0, &desc, (ULONG)i);
    } else {
        for (unsigned long i = 0; i < iterations && st == SEC_E_OK; i++)
            st = MakeSignature(&j->ctx, 0, &desc, (uint32_t)i);
    }
    j->ns_per_call = (double)(now_ns() - t0) / (double)iterations;
    j->st = st;
    return NULL;
}

static int measure(const char *label, struct job *jobs, int n)
{
    pthread_t th[2];
    double sum = 0;

    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, run, &jobs[i]) != 0)
            return -1;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].st != SEC_E_OK) {
            fprintf(stderr, "%s: status 0x%08x\n", label, (unsigned)jobs[i].st);
            return -1;
        }
        sum += jobs[i].ns_per_call;
    }
    printf("  %-34s %8.2f ns/call (per thread)\n", label, sum / n);
    return 0;
}

static SECURITY_STATUS new_context(CredHandle *cred, CtxtHandle *ctx)
{
    unsigned char tok[16];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs = 0;

    return InitializeSecurityContextA(cred, NULL, "bench", ISC_REQ_INTEGRITY, 0,
                                      SECURITY_NATIVE_DREP, NULL, 0, ctx, &out, &attrs, NULL);
}

int main(int argc, char **argv)
{
    const char *path = "tests/bench/.libs/null-package.so";
    char abs[PATH_MAX];
    CredHandle cred;
    CtxtHandle ctx1, ctx2;
    PSECPKG_USER_FUNCTION_TABLE tables = NULL;
    ULONG version = 0, count = 0;
    SpUserModeInitializeFn init;
    void *dl, *sym;
    SECURITY_STATUS st;
    struct job jobs[2];
    double lib, direct;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            iterations = strtoul(argv[++i], NULL, 10);
        else
            path = argv[i];
    }
    if (iterations == 0)
        iterations = 1;
    if (realpath(path, abs) == NULL) {
        fprintf(stderr, "bench-dispatch: %s: not found (build it with make check)\n", path);
        return 1;
    }
    st = AddSecurityPackageA(abs, NULL);
    if (st != SEC_E_OK) {
        fprintf(stderr, "AddSecurityPackageA(%s): 0x%08x\n", abs, (unsigned)st);
        return 1;
    }
    st = AcquireCredentialsHandleA(NULL, "BenchNull", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                   &cred, NULL);
    if (st != SEC_E_OK || (st = new_context(&cred, &ctx1)) != SEC_E_OK ||
        (st = new_context(&cred, &ctx2)) != SEC_E_OK) {
        fprintf(stderr, "context set-up: 0x%08x\n", (unsigned)st);
        return 1;
    }

    dl = dlopen(abs, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    sym = dlsym(dl, SECPKG_USERMODEINIT_NAME);
    memcpy(&init, &sym, sizeof(init));
    if (sym == NULL || init(SECPKG_INTERFACE_VERSION, &version, &tables, &count) != 0 ||
        count < 1 || tables[0].MakeSignature == NULL) {
        fprintf(stderr, "SpUserModeInitialize failed\n");
        return 1;
    }
    direct_sign = tables[0].MakeSignature;

    printf("MakeSignature, %lu calls per thread\n", iterations);
    jobs[0] = (struct job){.ctx = ctx1, .direct = true};
    if (measure("direct package call, 1 thread", jobs, 1) != 0)
        return 1;
    direct = jobs[0].ns_per_call;
    jobs[0] = (struct job){.ctx = ctx1, .direct = false};
    if (measure("libsspi, 1 thread", jobs, 1) != 0)
        return 1;
    lib = jobs[0].ns_per_call;
    printf("  %-34s %8.2f ns/call\n", "overhead, 1 thread", lib - direct);

    jobs[0] = (struct job){.ctx = ctx1, .direct = true};
    jobs[1] = (struct job){.ctx = ctx1, .direct = true};
    if (measure("direct package call, 2 threads", jobs, 2) != 0)
        return 1;
    direct = (jobs[0].ns_per_call + jobs[1].ns_per_call) / 2;
    jobs[0] = (struct job){.ctx = ctx1, .direct = false};
    jobs[1] = (struct job){.ctx = ctx1, .direct = false};
    if (measure("libsspi, 2 threads, same context", jobs, 2) != 0)
        return 1;
    lib = (jobs[0].ns_per_call + jobs[1].ns_per_call) / 2;
    printf("  %-34s %8.2f ns/call\n", "overhead, 2 threads, same context", lib - direct);
    jobs[0] = (struct job){.ctx = ctx1, .direct = false};
    jobs[1] = (struct job){.ctx = ctx2, .direct = false};
    if (measure("libsspi, 2 threads, separate contexts", jobs, 2) != 0)
        return 1;
    lib = (jobs[0].ns_per_call + jobs[1].ns_per_call) / 2;
    printf("  %-34s %8.2f ns/call\n", "overhead, 2 threads, separate ctx", lib - direct);

    DeleteSecurityContext(&ctx1);
    DeleteSecurityContext(&ctx2);
    FreeCredentialsHandle(&cred);
    dlclose(dl);
    return 0;
}
