/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-stream-local.c - `sspi loopback` and `sspi bench` for stream
 * packages (Schannel): a client and a server context in one process,
 * certificates from a throwaway PKI made at run time (tool-pki.c), the
 * handshake carried in memory with Windows' buffer rules, then records
 * with STREAM_HEADER / DATA / STREAM_TRAILER.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schannel.h"
#include "tools/tool-pki.h"
#include "tools/tool.h"

bool tool_is_stream_package(const char *package)
{
    PSecPkgInfoA info = NULL;
    bool stream = false;

    if (QuerySecurityPackageInfoA((SEC_CHAR *)package, &info) == SEC_E_OK) {
        stream = (info->fCapabilities & SECPKG_FLAG_STREAM) != 0;
        FreeContextBuffer(info);
    }
    return stream;
}

/* One side in memory: its credential, context and pending input. */
struct local_side {
    CredHandle cred;
    CtxtHandle ctx;
    bool have_cred, have_ctx, done, server;
    uint8_t in[65536];
    size_t in_len;
};

struct local_pair {
    struct tool_pki pki;
    bool have_pki;
    struct local_side c, s;
    SecPkgContext_StreamSizes sz;
};

static SECURITY_STATUS local_creds(struct local_pair *p, const char *package)
{
    struct tool_stream_opts so = {.package = package};
    const char *call;
    SECURITY_STATUS st;

    if (!tool_pki_make(&p->pki))
        return SEC_E_INTERNAL_ERROR;
    p->have_pki = true;
    so.cert = p->pki.server;
    if ((st = tool_stream_cred(&so, true, &p->s.cred, &call)) != SEC_E_OK)
        return st;
    p->s.have_cred = p->s.server = true;
    so.cert = NULL;
    so.ca = p->pki.ca;
    so.target = "localhost";
    if ((st = tool_stream_cred(&so, false, &p->c.cred, &call)) != SEC_E_OK)
        return st;
    p->c.have_cred = true;
    return SEC_E_OK;
}

/* One leg of `me`; its output is appended to the peer's input. */
static SECURITY_STATUS local_leg(struct local_side *me, struct local_side *peer, uint32_t *out_len)
{
    uint8_t out[32768];
    SecBuffer inb[2] = {{(ULONG)me->in_len, SECBUFFER_TOKEN, me->in}, {0, SECBUFFER_EMPTY, NULL}};
    SecBuffer outb = {sizeof(out), SECBUFFER_TOKEN, out};
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    ULONG attrs;
    TimeStamp ts;
    SECURITY_STATUS st;

    if (me->server)
        st = AcceptSecurityContext(&me->cred, me->have_ctx ? &me->ctx : NULL, &ind,
                                   ASC_REQ_STREAM | ASC_REQ_CONFIDENTIALITY, 0, &me->ctx, &outd,
                                   &attrs, &ts);
    else
        st = InitializeSecurityContextA(&me->cred, me->have_ctx ? &me->ctx : NULL,
                                        (SEC_CHAR *)"localhost",
                                        ISC_REQ_STREAM | ISC_REQ_CONFIDENTIALITY, 0, 0,
                                        me->in_len ? &ind : NULL, 0, &me->ctx, &outd, &attrs, &ts);
    *out_len = 0;
    if (SEC_SUCCESS(st))
        me->have_ctx = true;
    if (st != SEC_E_INCOMPLETE_MESSAGE) {
        size_t keep = inb[1].BufferType == SECBUFFER_EXTRA ? inb[1].cbBuffer : 0;

        memmove(me->in, me->in + me->in_len - keep, keep);
        me->in_len = keep;
    }
    if (SEC_SUCCESS(st) && outb.cbBuffer > 0) {
        if (peer->in_len + outb.cbBuffer > sizeof(peer->in))
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(peer->in + peer->in_len, out, outb.cbBuffer);
        peer->in_len += outb.cbBuffer;
        *out_len = outb.cbBuffer;
    }
    if (st == SEC_E_OK)
        me->done = true;
    return st;
}

/* Records left for a side after its handshake (TLS 1.3 tickets). */
static SECURITY_STATUS local_drain(struct local_side *me)
{
    while (me->in_len > 0) {
        SecBuffer b[4] = {{(ULONG)me->in_len, SECBUFFER_DATA, me->in},
                          {0, SECBUFFER_EMPTY, NULL},
                          {0, SECBUFFER_EMPTY, NULL},
                          {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st = DecryptMessage(&me->ctx, &d, 0, NULL);
        size_t keep = 0;

        if (st != SEC_E_OK)
            return st;
        for (int i = 0; i < 4; i++)
            if (b[i].BufferType == SECBUFFER_EXTRA)
                keep = b[i].cbBuffer;
        memmove(me->in, me->in + me->in_len - keep, keep);
        me->in_len = keep;
    }
    return SEC_E_OK;
}

/* The whole handshake; each leg printed when `verbose`. */
static SECURITY_STATUS local_handshake(struct local_pair *p, bool verbose)
{
    SECURITY_STATUS st = SEC_E_OK;
    char buf[96];

    for (int leg = 0; leg < 16 && !(p->c.done && p->s.done); leg++) {
        struct local_side *me = leg % 2 ? &p->s : &p->c, *peer = leg % 2 ? &p->c : &p->s;
        uint32_t out_len;

        if (me->done)
            continue;
        st = local_leg(me, peer, &out_len);
        if (verbose)
            printf("%s: %s, token %u bytes\n",
                   me->server ? "AcceptSecurityContext" : "InitializeSecurityContextA",
                   tool_status_str(st, buf, sizeof(buf)), out_len);
        if (!SEC_SUCCESS(st))
            return st;
    }
    if (!(p->c.done && p->s.done))
        return SEC_E_INTERNAL_ERROR;
    if ((st = local_drain(&p->c)) != SEC_E_OK || (st = local_drain(&p->s)) != SEC_E_OK)
        return st;
    return QueryContextAttributesA(&p->c.ctx, SECPKG_ATTR_STREAM_SIZES, &p->sz);
}

static void local_free(struct local_pair *p)
{
    struct local_side *sides[2] = {&p->c, &p->s};

    for (int i = 0; i < 2; i++) {
        if (sides[i]->have_ctx)
            DeleteSecurityContext(&sides[i]->ctx);
        if (sides[i]->have_cred)
            FreeCredentialsHandle(&sides[i]->cred);
    }
    if (p->have_pki)
        tool_pki_remove(&p->pki);
}

/* Encrypt `len` bytes at rec + cbHeader; *rec_len gets the record size. */
static SECURITY_STATUS local_seal(struct local_pair *p, CtxtHandle *ctx, uint8_t *rec, uint32_t len,
                                  uint32_t *rec_len)
{
    SecBuffer b[4] = {{p->sz.cbHeader, SECBUFFER_STREAM_HEADER, rec},
                      {len, SECBUFFER_DATA, rec + p->sz.cbHeader},
                      {p->sz.cbTrailer, SECBUFFER_STREAM_TRAILER, rec + p->sz.cbHeader + len},
                      {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st = EncryptMessage(ctx, 0, &d, 0);

    *rec_len = b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
    return st;
}

/* Decrypt the record at rec; the plaintext is left in place. */
static SECURITY_STATUS local_open(CtxtHandle *ctx, uint8_t *rec, uint32_t rec_len,
                                  uint32_t *plain_len)
{
    SecBuffer b[4] = {{rec_len, SECBUFFER_DATA, rec},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st = DecryptMessage(ctx, &d, 0, NULL);

    *plain_len = b[1].BufferType == SECBUFFER_DATA ? b[1].cbBuffer : 0;
    return st;
}

int tool_stream_loopback(const char *package)
{
    struct local_pair p;
    uint8_t rec[512];
    const char *msgs[2] = {"record from the client", "record from the server"};
    char buf[96];
    SECURITY_STATUS st;

    memset(&p, 0, sizeof(p));
    printf("package %s (stream), certificates from a throwaway CA\n", package);
    st = local_creds(&p, package);
    if (st == SEC_E_OK)
        st = local_handshake(&p, true);
    if (st == SEC_E_OK) {
        struct tool_stream ts = {.ctx = p.c.ctx};

        printf("stream sizes: header %u, trailer %u, maximum message %u\n", p.sz.cbHeader,
               p.sz.cbTrailer, p.sz.cbMaximumMessage);
        tool_stream_describe(&ts, stdout);
    }
    for (int i = 0; st == SEC_E_OK && i < 2; i++) {
        CtxtHandle *from = i ? &p.s.ctx : &p.c.ctx, *to = i ? &p.c.ctx : &p.s.ctx;
        uint32_t len = (uint32_t)strlen(msgs[i]), rec_len, plain_len;

        memcpy(rec + p.sz.cbHeader, msgs[i], len);
        st = local_seal(&p, from, rec, len, &rec_len);
        printf("EncryptMessage (%s): %s, record %u bytes\n", i ? "server" : "client",
               tool_status_str(st, buf, sizeof(buf)), rec_len);
        if (st != SEC_E_OK)
            break;
        st = local_open(to, rec, rec_len, &plain_len);
        printf("DecryptMessage (%s): %s, %u bytes\n", i ? "client" : "server",
               tool_status_str(st, buf, sizeof(buf)), plain_len);
        if (st == SEC_E_OK && (plain_len != len || memcmp(rec + p.sz.cbHeader, msgs[i], len)))
            st = SEC_E_MESSAGE_ALTERED;
    }
    if (st == SEC_E_OK)
        printf("result: SEC_E_OK (0x00000000)\n");
    else
        tool_err_status("loopback", "Schannel", st);
    local_free(&p);
    return st == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}

static double local_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Records of `size` client to server until `seconds` or `count`. */
static SECURITY_STATUS local_bench_size(struct local_pair *p, uint8_t *rec, uint32_t size,
                                        double seconds, unsigned long count, double *enc_ns,
                                        double *dec_ns, unsigned long *done)
{
    double t_enc = 0, t_dec = 0, start = local_now();
    unsigned long n = 0;

    memset(rec + p->sz.cbHeader, 'x', size);
    while (count ? n < count : local_now() - start < seconds) {
        uint32_t rec_len, plain_len;
        double t0 = local_now(), t1, t2;
        SECURITY_STATUS st = local_seal(p, &p->c.ctx, rec, size, &rec_len);

        t1 = local_now();
        if (st == SEC_E_OK)
            st = local_open(&p->s.ctx, rec, rec_len, &plain_len);
        t2 = local_now();
        if (st != SEC_E_OK)
            return st;
        t_enc += t1 - t0;
        t_dec += t2 - t1;
        n++;
    }
    *enc_ns = n ? t_enc * 1e9 / (double)n : 0;
    *dec_ns = n ? t_dec * 1e9 / (double)n : 0;
    *done = n;
    return SEC_E_OK;
}

int tool_stream_bench(const char *package, const uint32_t *sizes, int n_sizes, double seconds,
                      unsigned long count)
{
    struct local_pair p;
    uint8_t *rec = NULL;
    SECURITY_STATUS st;

    memset(&p, 0, sizeof(p));
    st = local_creds(&p, package);
    if (st == SEC_E_OK)
        st = local_handshake(&p, false);
    if (st == SEC_E_OK &&
        (rec = malloc(p.sz.cbHeader + p.sz.cbMaximumMessage + p.sz.cbTrailer)) == NULL)
        st = SEC_E_INSUFFICIENT_MEMORY;
    if (st == SEC_E_OK) {
        struct tool_stream ts = {.ctx = p.c.ctx};

        printf("package %s (stream): EncryptMessage (client) and DecryptMessage (server)\n",
               package);
        tool_stream_describe(&ts, stdout);
        printf("%10s %16s %16s %14s\n", "size", "Encrypt ns/rec", "Decrypt ns/rec", "records/s");
    }
    for (int i = 0; st == SEC_E_OK && i < n_sizes; i++) {
        double enc, dec;
        unsigned long n;

        if (sizes[i] > p.sz.cbMaximumMessage) {
            printf("%10u  (above cbMaximumMessage %u: skipped)\n", sizes[i], p.sz.cbMaximumMessage);
            continue;
        }
        st = local_bench_size(&p, rec, sizes[i], seconds, count, &enc, &dec, &n);
        if (st == SEC_E_OK)
            printf("%10u %16.0f %16.0f %14.0f\n", sizes[i], enc, dec,
                   enc + dec > 0 ? 1e9 / (enc + dec) : 0);
    }
    if (st != SEC_E_OK)
        tool_err_status("bench", "Schannel", st);
    free(rec);
    local_free(&p);
    return st == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}
