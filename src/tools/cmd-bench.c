/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-bench.c - `sspi bench NAME`: throughput and latency of
 * MakeSignature, VerifySignature, EncryptMessage and DecryptMessage by
 * message size.  Each thread owns one client/server context pair (the
 * credentials are shared); calls are timed in batches so that reading the
 * clock does not dominate small messages.  A benchmark, not a test: the
 * numbers are printed, never judged.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools/json.h"
#include "tools/tool.h"

#define BENCH_VERB      "bench"
#define BENCH_BATCH     32
#define BENCH_MAX_SIZES 32
#define BENCH_MAX_SIZE  (1u << 20)

enum {
    BENCH_OPT_SIZES = TOOL_OPT_FIRST_LOCAL,
    BENCH_OPT_SECONDS,
    BENCH_OPT_COUNT,
    BENCH_OPT_THREADS,
    BENCH_OPT_NO_SEAL,
};

enum { OP_SIGN, OP_VERIFY, OP_ENCRYPT, OP_DECRYPT, OP_COUNT };

static const char *const bench_op_names[OP_COUNT] = {
    "MakeSignature",
    "VerifySignature",
    "EncryptMessage",
    "DecryptMessage",
};

struct bench_thread {
    pthread_t tid;
    struct tool_side client, server;
    uint32_t seq;
    SecPkgContext_Sizes sz;
    /* per batch slot: data copy, signature / token, padding */
    uint8_t *data[BENCH_BATCH], *sig[BENCH_BATCH], *tok[BENCH_BATCH], *pad[BENCH_BATCH];
    uint32_t sig_len[BENCH_BATCH], tok_len[BENCH_BATCH], pad_len[BENCH_BATCH];
    /* results of the current size */
    uint64_t count[OP_COUNT];
    uint64_t ns[OP_COUNT];
    SECURITY_STATUS status;
    const char *failed_call;
};

struct bench_run {
    struct bench_thread *threads;
    unsigned long n_threads;
    uint32_t size;
    double seconds;
    unsigned long count; /* messages per thread, or 0 = time */
    bool seal;
    pthread_barrier_t barrier;
};

struct bench_arg {
    struct bench_run *run;
    struct bench_thread *t;
};

static uint64_t bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void bench_usage(FILE *out)
{
    fprintf(out, "Usage: sspi bench [OPTIONS] NAME\n"
                 "\n"
                 "Measure MakeSignature, VerifySignature, EncryptMessage and\n"
                 "DecryptMessage of package NAME by message size.\n"
                 "\n"
                 "  --sizes LIST           comma-separated message sizes in bytes\n"
                 "                         (default 16,64,1024,16384; at most 1048576)\n"
                 "  --seconds S            measuring time per size (default 1)\n"
                 "  --count N              N messages per size and thread instead of a time\n"
                 "  --threads T            threads, each with its own context pair (default 1)\n"
                 "  --no-seal              skip EncryptMessage/DecryptMessage\n"
                 "  --user, --domain, --password, --password-file, --target, --bindings\n"
                 "                         as for `sspi loopback`\n"
                 "  --json                 print a JSON object instead of a table\n"
                 "  --help                 print this help\n"
                 "\n"
                 "messages/s is threads x 10^9 / (ns per message): the rate of that call\n"
                 "alone.  A progress line is shown on a terminal only.\n");
}

/* Parse "16,64,1024"; false if malformed. */
static bool bench_parse_sizes(const char *s, uint32_t *sizes, int *n)
{
    char *copy = strdup(s), *save = NULL, *tok;
    bool ok = copy != NULL;

    *n = 0;
    for (tok = ok ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
        unsigned long v;

        if (*n >= BENCH_MAX_SIZES || !tool_parse_uint(tok, 1, BENCH_MAX_SIZE, &v)) {
            ok = false;
            break;
        }
        sizes[(*n)++] = (uint32_t)v;
    }
    free(copy);
    return ok && *n > 0;
}

/* Handshake of one thread's context pair, without output. */
static SECURITY_STATUS bench_handshake(struct bench_thread *t, const char **call)
{
    uint8_t *ctok = malloc(t->client.max_token), *stok = malloc(t->server.max_token);
    uint32_t clen = 0, slen = 0;
    bool c_done, s_done = false;
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    int legs = 0;

    *call = "malloc";
    if (!ctok || !stok)
        goto out;
    *call = "InitializeSecurityContextA";
    st = tool_side_step(&t->client, NULL, 0, ctok, &clen);
    if (!SEC_SUCCESS(st))
        goto out;
    c_done = st == SEC_E_OK;
    while (!(c_done && s_done)) {
        *call = "handshake";
        st = SEC_E_INTERNAL_ERROR;
        if (++legs > 16 || (!s_done && c_done && clen == 0) || (!c_done && s_done && slen == 0))
            goto out;
        if (!s_done) {
            *call = "AcceptSecurityContext";
            st = tool_side_step(&t->server, ctok, clen, stok, &slen);
            clen = 0;
            if (!SEC_SUCCESS(st))
                goto out;
            s_done = st == SEC_E_OK;
        }
        if (!c_done) {
            *call = "InitializeSecurityContextA";
            st = tool_side_step(&t->client, stok, slen, ctok, &clen);
            slen = 0;
            if (!SEC_SUCCESS(st))
                goto out;
            c_done = st == SEC_E_OK;
        }
    }
    *call = "QueryContextAttributesA(SECPKG_ATTR_SIZES)";
    st = QueryContextAttributesA(&t->client.ctx, SECPKG_ATTR_SIZES, &t->sz);
out:
    free(ctok);
    free(stok);
    return st;
}

static bool bench_thread_alloc(struct bench_thread *t, uint32_t max_size)
{
    for (int j = 0; j < BENCH_BATCH; j++) {
        t->data[j] = malloc(max_size);
        t->sig[j] = malloc(t->sz.cbMaxSignature + 1);
        t->tok[j] = malloc(t->sz.cbSecurityTrailer + 1);
        t->pad[j] = malloc(t->sz.cbBlockSize + 1);
        if (!t->data[j] || !t->sig[j] || !t->tok[j] || !t->pad[j])
            return false;
    }
    return true;
}

static void bench_thread_free(struct bench_thread *t)
{
    for (int j = 0; j < BENCH_BATCH; j++) {
        free(t->data[j]);
        free(t->sig[j]);
        free(t->tok[j]);
        free(t->pad[j]);
    }
    t->server.cb_buf = NULL; /* shared with the prototype sides */
    t->client.cb_buf = NULL;
    tool_side_free(&t->client);
    tool_side_free(&t->server);
}

/*
 * Time one batch: slot 0 holds the plaintext, slots 1..n-1 one message
 * each.  False (status recorded) on failure.
 */
static bool bench_batch(struct bench_run *run, struct bench_thread *t, uint32_t n)
{
    uint32_t size = run->size, seq0 = t->seq, m = n - 1;
    uint64_t t0, t1, t2;
    SECURITY_STATUS st;

    for (uint32_t j = 1; j < n; j++)
        t->sig_len[j] = t->sz.cbMaxSignature;
    t0 = bench_now();
    for (uint32_t j = 1; j < n; j++) {
        st = tool_sign(&t->client.ctx, t->data[0], size, t->sig[j], &t->sig_len[j], seq0 + j - 1);
        if (st != SEC_E_OK) {
            t->failed_call = "MakeSignature";
            goto fail;
        }
    }
    t1 = bench_now();
    for (uint32_t j = 1; j < n; j++) {
        st = tool_verify(&t->server.ctx, t->data[0], size, t->sig[j], t->sig_len[j], seq0 + j - 1);
        if (st != SEC_E_OK) {
            t->failed_call = "VerifySignature";
            goto fail;
        }
    }
    t2 = bench_now();
    t->seq += m;
    t->ns[OP_SIGN] += t1 - t0;
    t->ns[OP_VERIFY] += t2 - t1;
    t->count[OP_SIGN] += m;
    t->count[OP_VERIFY] += m;
    if (!run->seal)
        return true;

    seq0 = t->seq;
    for (uint32_t j = 1; j < n; j++) {
        memcpy(t->data[j], t->data[0], size);
        t->tok_len[j] = t->sz.cbSecurityTrailer;
        t->pad_len[j] = t->sz.cbBlockSize;
    }
    t0 = bench_now();
    for (uint32_t j = 1; j < n; j++) {
        st = tool_seal(&t->client.ctx, t->tok[j], &t->tok_len[j], t->data[j], size, t->pad[j],
                       &t->pad_len[j], seq0 + j - 1);
        if (st != SEC_E_OK) {
            t->failed_call = "EncryptMessage";
            goto fail;
        }
    }
    t1 = bench_now();
    for (uint32_t j = 1; j < n; j++) {
        uint32_t len = size;

        st = tool_unseal(&t->server.ctx, t->tok[j], t->tok_len[j], t->data[j], &len, t->pad[j],
                         t->pad_len[j], seq0 + j - 1);
        if (st != SEC_E_OK) {
            t->failed_call = "DecryptMessage";
            goto fail;
        }
    }
    t2 = bench_now();
    t->seq += m;
    t->ns[OP_ENCRYPT] += t1 - t0;
    t->ns[OP_DECRYPT] += t2 - t1;
    t->count[OP_ENCRYPT] += m;
    t->count[OP_DECRYPT] += m;
    return true;
fail:
    t->status = st;
    return false;
}

static void *bench_thread_main(void *arg)
{
    struct bench_arg *a = arg;
    struct bench_run *run = a->run;
    struct bench_thread *t = a->t;
    uint64_t start, limit = (uint64_t)(run->seconds * 1e9);
    unsigned long done = 0;
    bool warm;

    memset(t->count, 0, sizeof(t->count));
    memset(t->ns, 0, sizeof(t->ns));
    for (uint32_t i = 0; i < run->size; i++)
        t->data[0][i] = (uint8_t)(i * 131u + 7u);
    /* one uncounted batch to warm caches and lazily built state */
    warm = bench_batch(run, t, BENCH_BATCH);
    memset(t->count, 0, sizeof(t->count));
    memset(t->ns, 0, sizeof(t->ns));
    pthread_barrier_wait(&run->barrier);
    if (!warm)
        return NULL;
    start = bench_now();
    for (;;) {
        uint32_t n = BENCH_BATCH;

        /* slot 0 holds the plaintext: a batch of n slots is n - 1 messages */
        if (run->count) {
            if (done >= run->count)
                break;
            if (run->count - done < BENCH_BATCH - 1)
                n = (uint32_t)(run->count - done) + 1;
        } else if (done > 0 && bench_now() - start >= limit) {
            break;
        }
        if (!bench_batch(run, t, n))
            break;
        done += n - 1;
    }
    return NULL;
}

static void bench_result(struct json_writer *jw, bool json, uint32_t size, int op, uint64_t count,
                         uint64_t ns, unsigned long threads)
{
    double ns_per = count ? (double)ns / (double)count : 0;
    double per_sec = ns_per > 0 ? (double)threads * 1e9 / ns_per : 0;
    double mbps = per_sec * size / 1e6;

    if (json) {
        json_begin_object(jw);
        json_kv_uint(jw, "size", size);
        json_kv_string(jw, "operation", bench_op_names[op]);
        json_kv_uint(jw, "messages", count);
        json_kv_double(jw, "ns_per_message", ns_per);
        json_kv_double(jw, "messages_per_second", per_sec);
        json_kv_double(jw, "mb_per_second", mbps);
        json_end_object(jw);
        return;
    }
    printf("%8u  %-16s %12llu %12.1f %14.0f %10.1f\n", size, bench_op_names[op],
           (unsigned long long)count, ns_per, per_sec, mbps);
}

/* `sspi bench NAME`: see bench_usage(); returns a TOOL_EXIT_* code. */
int tool_cmd_bench(int argc, char **argv)
{
    static const struct option opts[] = {
        {"user", required_argument, NULL, TOOL_OPT_USER},
        {"domain", required_argument, NULL, TOOL_OPT_DOMAIN},
        {"password", required_argument, NULL, TOOL_OPT_PASSWORD},
        {"password-file", required_argument, NULL, TOOL_OPT_PASSWORD_FILE},
        {"target", required_argument, NULL, TOOL_OPT_TARGET},
        {"bindings", required_argument, NULL, TOOL_OPT_BINDINGS},
        {"sizes", required_argument, NULL, BENCH_OPT_SIZES},
        {"seconds", required_argument, NULL, BENCH_OPT_SECONDS},
        {"count", required_argument, NULL, BENCH_OPT_COUNT},
        {"threads", required_argument, NULL, BENCH_OPT_THREADS},
        {"no-seal", no_argument, NULL, BENCH_OPT_NO_SEAL},
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        {"help", no_argument, NULL, TOOL_OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct tool_session_opts o = {0};
    struct bench_run run = {.n_threads = 1, .seconds = 1.0, .seal = true};
    struct tool_side proto_c = {0}, proto_s = {0};
    struct bench_arg *args = NULL;
    struct json_writer jw;
    uint32_t sizes[BENCH_MAX_SIZES] = {16, 64, 1024, 16384}, max_size = 0;
    int n_sizes = 4, c, rc = TOOL_EXIT_USAGE;
    bool json = false, no_seal = false, progress;
    const char *call = NULL;
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS st = SEC_E_OK;
    unsigned long started = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_JSON:
            json = true;
            break;
        case TOOL_OPT_HELP:
            bench_usage(stdout);
            rc = TOOL_EXIT_OK;
            goto out;
        case BENCH_OPT_SIZES:
            if (!bench_parse_sizes(optarg, sizes, &n_sizes)) {
                tool_err(BENCH_VERB,
                         "--sizes: '%s' is not a list of 1 to %d sizes "
                         "from 1 to %u",
                         optarg, BENCH_MAX_SIZES, BENCH_MAX_SIZE);
                goto out;
            }
            break;
        case BENCH_OPT_SECONDS:
            if (!tool_parse_seconds(optarg, &run.seconds)) {
                tool_err(BENCH_VERB, "--seconds: '%s' is not a number of seconds", optarg);
                goto out;
            }
            break;
        case BENCH_OPT_COUNT:
            if (!tool_parse_uint(optarg, 1, 1000000000ul, &run.count)) {
                tool_err(BENCH_VERB, "--count: '%s' is not a positive number", optarg);
                goto out;
            }
            break;
        case BENCH_OPT_THREADS:
            if (!tool_parse_uint(optarg, 1, 256, &run.n_threads)) {
                tool_err(BENCH_VERB, "--threads: '%s' is not a number from 1 to 256", optarg);
                goto out;
            }
            break;
        case BENCH_OPT_NO_SEAL:
            no_seal = true;
            break;
        default:
            if (c >= TOOL_OPT_USER && c < TOOL_OPT_JSON) {
                if (!tool_session_option(BENCH_VERB, &o, c, optarg))
                    goto out;
                break;
            }
            bench_usage(stderr);
            goto out;
        }
    }
    if (argc - optind != 1) {
        tool_err(BENCH_VERB, "exactly one package name is required");
        bench_usage(stderr);
        goto out;
    }
    o.package = argv[optind];
    tool_session_defaults(&o);
    if (!json && tool_is_stream_package(o.package)) {
        rc = tool_stream_bench(o.package, sizes, n_sizes, run.seconds, run.count);
        goto out;
    }
    for (int i = 0; i < n_sizes; i++)
        if (sizes[i] > max_size)
            max_size = sizes[i];

    rc = TOOL_EXIT_FAILED;
    call = "QuerySecurityPackageInfoA";
    st = QuerySecurityPackageInfoA((SEC_CHAR *)o.package, &info);
    if (st != SEC_E_OK)
        goto fail;
    run.seal = !no_seal && (info->fCapabilities & SECPKG_FLAG_PRIVACY) != 0;
    FreeContextBuffer(info);
    st = tool_side_init(&proto_c, &o, false, &call);
    if (st != SEC_E_OK)
        goto fail;
    st = tool_side_init(&proto_s, &o, true, &call);
    if (st != SEC_E_OK)
        goto fail;

    run.threads = calloc(run.n_threads, sizeof(*run.threads));
    args = calloc(run.n_threads, sizeof(*args));
    call = "malloc";
    st = SEC_E_INSUFFICIENT_MEMORY;
    if (!run.threads || !args)
        goto fail;
    for (unsigned long i = 0; i < run.n_threads; i++) {
        struct bench_thread *t = &run.threads[i];

        t->client = proto_c;
        t->client.have_cred = false;
        t->server = proto_s;
        t->server.have_cred = false;
        st = bench_handshake(t, &call);
        if (st != SEC_E_OK)
            goto fail;
        call = "malloc";
        st = SEC_E_INSUFFICIENT_MEMORY;
        if (!bench_thread_alloc(t, max_size))
            goto fail;
        args[i].run = &run;
        args[i].t = t;
    }
    st = SEC_E_OK;

    progress = isatty(STDERR_FILENO);
    if (json) {
        json_init(&jw, stdout);
        json_begin_object(&jw);
        json_kv_string(&jw, "package", o.package);
        json_kv_uint(&jw, "threads", run.n_threads);
        if (run.count) {
            json_key(&jw, "seconds");
            json_null(&jw);
            json_kv_uint(&jw, "count", run.count);
        } else {
            json_kv_double(&jw, "seconds", run.seconds);
            json_key(&jw, "count");
            json_null(&jw);
        }
        json_kv_bool(&jw, "seal", run.seal);
        json_key(&jw, "results");
        json_begin_array(&jw);
    } else {
        printf("package %s, %lu thread%s, ", o.package, run.n_threads,
               run.n_threads == 1 ? "" : "s");
        if (run.count)
            printf("%lu messages per size and thread\n", run.count);
        else
            printf("%.2f s per size\n", run.seconds);
        printf("%8s  %-16s %12s %12s %14s %10s\n", "size", "operation", "messages", "ns/msg",
               "msgs/s", "MB/s");
    }
    for (int i = 0; i < n_sizes && st == SEC_E_OK; i++) {
        uint64_t count[OP_COUNT] = {0}, ns[OP_COUNT] = {0};

        if (progress) {
            fprintf(stderr, "\rbench: size %u (%d of %d)...", sizes[i], i + 1, n_sizes);
            fflush(stderr);
        }
        run.size = sizes[i];
        pthread_barrier_init(&run.barrier, NULL, (unsigned)run.n_threads);
        for (started = 0; started < run.n_threads; started++)
            if (pthread_create(&run.threads[started].tid, NULL, bench_thread_main,
                               &args[started]) != 0)
                break;
        if (started < run.n_threads) {
            /* cannot happen with a sane --threads; never leave threads waiting */
            tool_err(BENCH_VERB, "cannot start %lu threads", run.n_threads);
            abort();
        }
        for (unsigned long t = 0; t < run.n_threads; t++)
            pthread_join(run.threads[t].tid, NULL);
        pthread_barrier_destroy(&run.barrier);
        if (progress)
            fprintf(stderr, "\r\033[K");
        for (unsigned long t = 0; t < run.n_threads; t++) {
            struct bench_thread *th = &run.threads[t];

            if (th->status != SEC_E_OK && st == SEC_E_OK) {
                st = th->status;
                call = th->failed_call;
            }
            for (int op = 0; op < OP_COUNT; op++) {
                count[op] += th->count[op];
                ns[op] += th->ns[op];
            }
        }
        if (st != SEC_E_OK)
            break;
        for (int op = 0; op < (run.seal ? OP_COUNT : OP_ENCRYPT); op++)
            bench_result(&jw, json, sizes[i], op, count[op], ns[op], run.n_threads);
    }
    if (json) {
        json_end_array(&jw);
        json_kv_string(&jw, "result", libsspi_status_name(st));
        json_kv_string(&jw, "failed_call", st == SEC_E_OK ? NULL : call);
        json_end_object(&jw);
        json_finish(&jw);
    }
    if (st != SEC_E_OK)
        goto fail;
    rc = TOOL_EXIT_OK;
    goto out;
fail:
    tool_err_status(BENCH_VERB, call, st);
out:
    if (run.threads) {
        for (unsigned long i = 0; i < run.n_threads; i++)
            bench_thread_free(&run.threads[i]);
        free(run.threads);
    }
    free(args);
    tool_side_free(&proto_c);
    tool_side_free(&proto_s);
    tool_session_opts_free(&o);
    return rc;
}
