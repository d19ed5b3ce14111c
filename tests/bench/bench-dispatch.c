/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-dispatch.c - cost of libsspi's per-message dispatch.
 *
 * Loads tests/bench/null-package.so (package "BenchNull", whose message
 * functions do nothing) and the wrapping test package mock-wrapper.so
 * ("MockWrap", driving BenchNull through the host services), establishes
 * contexts, then times MakeSignature:
 *   - the package's own user-mode MakeSignature called directly (the same
 *     .so opened with dlopen, table from SpUserModeInitialize);
 *   - through libsspi with 1 thread, 2 threads on one context and 2
 *     threads on separate contexts;
 *   - through MockWrap, which hands each call to BenchNull's context
 *     through GetMessageTarget (as Negotiate does after negotiation), and
 *     through the services' own MakeSignature.
 * Each case runs several times; the median and the minimum are printed, in
 * CPU nanoseconds per call per thread.  The threads of a 2-thread case are
 * pinned to CPUs 0 and 1 and start together; on a loaded machine they may
 * still take turns instead of running at once, which hides contention:
 * -f asks for SCHED_FIFO (as root), so that they do run at once.  A program, not a test: it
 * never fails because a machine is slow.
 *
 * Usage: bench-dispatch [-f] [-n ITERATIONS] [-r RUNS] [-w mock-wrapper.so]
 *                       [null-package.so]
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sspi.h"
#include "ntsecpkg.h"

/* MockWrap's context attribute: 1 = per-message calls through the
 * services' calls, 0 = through GetMessageTarget (tests/mock/mock-state.h). */
#define WRAP_VIA_SERVICES 0x7f000002u

static unsigned long iterations = 10000000;
static int runs = 5;
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
    int cpu;                  /* CPU to run on, or -1 */
    pthread_barrier_t *start; /* all threads of a case start together */
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

    if (j->cpu >= 0) {
        cpu_set_t set;

        CPU_ZERO(&set);
        CPU_SET(j->cpu, &set);
        (void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    }
    pthread_barrier_wait(j->start);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* One case: n threads (1 or 2) on the given contexts, `runs` times.  The
 * median of the per-thread averages goes to *median, the least to *least. */
static int measure(const char *label, const CtxtHandle *ctx, int n, bool direct, double *median,
                   double *least)
{
    double samples[64];
    int r;

    for (r = 0; r < runs && r < 64; r++) {
        struct job jobs[2];
        pthread_t th[2];
        pthread_barrier_t start;
        double sum = 0;
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

        pthread_barrier_init(&start, NULL, (unsigned)n);
        for (int i = 0; i < n; i++) {
            jobs[i] = (struct job){.ctx = ctx[i],
                                   .direct = direct,
                                   .cpu = n > 1 && ncpu >= n ? i : -1,
                                   .start = &start};
            if (pthread_create(&th[i], NULL, run, &jobs[i]) != 0)
                return -1;
        }
        for (int i = 0; i < n; i++) {
            pthread_join(th[i], NULL);
            if (jobs[i].st != SEC_E_OK) {
                fprintf(stderr, "%s: status 0x%08x\n", label, (unsigned)jobs[i].st);
                return -1;
            }
            sum += jobs[i].ns_per_call;
        }
        pthread_barrier_destroy(&start);
        samples[r] = sum / n;
    }
    qsort(samples, (size_t)r, sizeof(samples[0]), cmp_double);
    *median = samples[r / 2];
    *least = samples[0];
    printf("  %-42s %8.2f ns/call (min %.2f)\n", label, *median, *least);
    return 0;
}

static SECURITY_STATUS new_context(const char *pkg, CredHandle *cred, CtxtHandle *ctx)
{
    unsigned char tok[16];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs = 0;
    SECURITY_STATUS st = SEC_E_OK;

    if (cred->dwLower == 0 && cred->dwUpper == 0)
        st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                       NULL, NULL, cred, NULL);
    if (st != SEC_E_OK)
        return st;
    return InitializeSecurityContextA(cred, NULL, "bench", ISC_REQ_INTEGRITY, 0,
                                      SECURITY_NATIVE_DREP, NULL, 0, ctx, &out, &attrs, NULL);
}

/* A configuration with BenchNull and MockWrap (driving BenchNull), read
 * by the library at its first call.  Returns the file's path or NULL. */
static const char *write_config(const char *null_pkg, const char *wrapper)
{
    static char path[64];
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "/tmp/bench-dispatch-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
        return NULL;
    fprintf(f,
            "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
            "[module]\nmodule = %s\n",
            null_pkg);
    if (wrapper != NULL)
        fprintf(f, "[module]\nmodule = %s\noption.inner = BenchNull\n", wrapper);
    fclose(f);
    return path;
}

static SpMakeSignatureFn *load_direct(const char *path, void **dl)
{
    PSECPKG_USER_FUNCTION_TABLE tables = NULL;
    ULONG version = 0, count = 0;
    SpUserModeInitializeFn init;
    void *sym;

    *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (*dl == NULL)
        return NULL;
    sym = dlsym(*dl, SECPKG_USERMODEINIT_NAME);
    memcpy(&init, &sym, sizeof(init));
    if (sym == NULL || init(SECPKG_INTERFACE_VERSION, &version, &tables, &count) != 0 || count < 1)
        return NULL;
    return tables[0].MakeSignature;
}

int main(int argc, char **argv)
{
    const char *path = "tests/bench/.libs/null-package.so";
    const char *wpath = "tests/mock/.libs/mock-wrapper.so";
    char abs[PATH_MAX], wabs[PATH_MAX];
    const char *config;
    bool have_wrap, fifo = false;
    CredHandle cred = {0, 0}, wcred = {0, 0};
    CtxtHandle ctx[2], wctx[1];
    double direct, lib1, same, sep, wrap, via, least;
    void *dl;
    SECURITY_STATUS st;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            iterations = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
            wpath = argv[++i];
        else if (strcmp(argv[i], "-f") == 0)
            fifo = true;
        else
            path = argv[i];
    }
    if (fifo && sched_setscheduler(0, SCHED_FIFO, &(struct sched_param){.sched_priority = 1}) != 0)
        perror("bench-dispatch: SCHED_FIFO");
    if (iterations == 0)
        iterations = 1;
    if (runs < 1 || runs > 64)
        runs = 5;
    if (realpath(path, abs) == NULL) {
        fprintf(stderr, "bench-dispatch: %s: not found (build it with make check)\n", path);
        return 1;
    }
    have_wrap = realpath(wpath, wabs) != NULL;
    config = write_config(abs, have_wrap ? wabs : NULL);
    if (config == NULL) {
        perror("bench-dispatch: configuration");
        return 1;
    }
    setenv("LIBSSPI_CONFIG", config, 1);
    unsetenv("LIBSSPI_DEBUG");
    if ((st = new_context("BenchNull", &cred, &ctx[0])) != SEC_E_OK ||
        (st = new_context("BenchNull", &cred, &ctx[1])) != SEC_E_OK) {
        fprintf(stderr, "context set-up: 0x%08x\n", (unsigned)st);
        return 1;
    }
    if (have_wrap && (st = new_context("MockWrap", &wcred, &wctx[0])) != SEC_E_OK) {
        fprintf(stderr, "MockWrap context: 0x%08x (run without it)\n", (unsigned)st);
        have_wrap = false;
    }
    unlink(config);
    direct_sign = load_direct(abs, &dl);
    if (direct_sign == NULL) {
        fprintf(stderr, "SpUserModeInitialize failed\n");
        return 1;
    }

    printf("MakeSignature, %lu calls per thread, %d runs: median (minimum)\n", iterations, runs);
    if (measure("direct package call, 1 thread", ctx, 1, true, &direct, &least) != 0 ||
        measure("libsspi, 1 thread", ctx, 1, false, &lib1, &least) != 0)
        return 1;
    printf("  %-42s %8.2f ns/call\n", "overhead, 1 thread", lib1 - direct);
    {
        CtxtHandle same_ctx[2] = {ctx[0], ctx[0]};

        if (measure("libsspi, 2 threads, same context", same_ctx, 2, false, &same, &least) != 0 ||
            measure("libsspi, 2 threads, separate contexts", ctx, 2, false, &sep, &least) != 0)
            return 1;
    }
    printf("  %-42s %8.2fx the 1-thread time\n", "2 threads, same context", same / lib1);
    printf("  %-42s %8.2fx the 1-thread time\n", "2 threads, separate contexts", sep / lib1);
    if (have_wrap) {
        ULONG on = 1;

        if (measure("MockWrap -> BenchNull, GetMessageTarget", wctx, 1, false, &wrap, &least) !=
                0 ||
            SetContextAttributesA(&wctx[0], WRAP_VIA_SERVICES, &on, sizeof(on)) != SEC_E_OK ||
            measure("MockWrap -> BenchNull, services' calls", wctx, 1, false, &via, &least) != 0)
            return 1;
        printf("  %-42s %8.2f ns/call\n", "forwarding cost (GetMessageTarget)", wrap - lib1);
        printf("  %-42s %8.2f ns/call\n", "forwarding cost (services' calls)", via - lib1);
        DeleteSecurityContext(&wctx[0]);
        FreeCredentialsHandle(&wcred);
    }
    DeleteSecurityContext(&ctx[0]);
    DeleteSecurityContext(&ctx[1]);
    FreeCredentialsHandle(&cred);
    dlclose(dl);
    return 0;
}
