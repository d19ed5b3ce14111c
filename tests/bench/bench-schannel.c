/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-schannel.c - Schannel records and handshakes beside GnuTLS's own
 * record layer and OpenSSL, over memory, on the same suites and sizes.
 *
 * Records: one EncryptMessage + DecryptMessage per record (libsspi: the
 * record is decrypted where it lies, and the plaintext left there is
 * encrypted again, so no copy is added), gnutls_record_send +
 * gnutls_record_recv between two sessions joined by memory buffers, and
 * SSL_write + SSL_read between two OpenSSL objects joined by memory BIOs.
 * Each figure is the best of five runs of thread CPU time (steadier than
 * wall time on a shared machine): ns per record (both directions)
 * and heap allocations per record.  Handshakes: a full handshake between
 * a new client and server each time (ECDSA P-256 certificate, default
 * key exchange), ms and allocations per handshake.  libsspi and GnuTLS do
 * the same work: the client checks the chain and the name against the
 * system's roots and the test CA, the server issues a session ticket (the
 * Schannel default), nothing is resumed, and credentials and priorities
 * are made once outside the timing.
 *
 * Usage: bench-schannel [-n RECORDS] [-h HANDSHAKES]   (a program, not a test)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#ifdef HAVE_OPENSSL_BENCH
#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#include "tests/alloc-count.h"
#include "tests/schannel/tls-test.h"

#define SCHAN_BENCH_MAX 32768

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct result {
    double ns;
    double allocs;
};

/* Best of five runs of `fn(arg, n)`. */
static struct result measure(bool (*fn)(void *, long), void *arg, long n)
{
    struct result best = {1e30, 0};

    fn(arg, n / 10 + 1); /* warm up */
    for (int r = 0; r < 5; r++) {
        long a0 = alloc_count();
        uint64_t t0 = now_ns();

        if (!fn(arg, n)) {
            fprintf(stderr, "bench-schannel: a call failed\n");
            exit(1);
        }
        double ns = (double)(now_ns() - t0) / (double)n;
        if (ns < best.ns) {
            best.ns = ns;
            best.allocs = (double)(alloc_count() - a0) / (double)n;
        }
    }
    return best;
}

static struct tls_pki pki;

/* ---------------------------------------------------------------- libsspi */

struct sspi_bench {
    struct tls_side c, s;
    uint8_t *rec;
    uint32_t size;
    SecPkgContext_StreamSizes sz;
};

static bool sspi_records(void *arg, long n)
{
    struct sspi_bench *b = arg;

    for (long i = 0; i < n; i++) {
        SecBuffer e[4] = {
            {b->sz.cbHeader, SECBUFFER_STREAM_HEADER, b->rec},
            {b->size, SECBUFFER_DATA, b->rec + b->sz.cbHeader},
            {b->sz.cbTrailer, SECBUFFER_STREAM_TRAILER, b->rec + b->sz.cbHeader + b->size},
            {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc ed = {SECBUFFER_VERSION, 4, e};
        SecBuffer d[4] = {{0, SECBUFFER_DATA, b->rec},
                          {0, SECBUFFER_EMPTY, NULL},
                          {0, SECBUFFER_EMPTY, NULL},
                          {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc dd = {SECBUFFER_VERSION, 4, d};

        if (EncryptMessage(&b->c.ctx, 0, &ed, 0) != SEC_E_OK)
            return false;
        d[0].cbBuffer = e[0].cbBuffer + e[1].cbBuffer + e[2].cbBuffer;
        if (DecryptMessage(&b->s.ctx, &dd, 0, NULL) != SEC_E_OK || d[1].cbBuffer != b->size)
            return false;
    }
    return true;
}

static bool sspi_pair(struct sspi_bench *b, uint32_t protocols)
{
    memset(b, 0, sizeof(*b));
    if (tls_server_cred(pki.server, 0, &b->s.cred) != SEC_E_OK ||
        tls_client_cred(pki.ca, NULL, protocols, 0, &b->c.cred) != SEC_E_OK)
        return false;
    b->s.server = true;
    b->c.target = "localhost";
    return tls_handshake(&b->c, &b->s) == SEC_E_OK && tls_drain(&b->c) == SEC_E_OK &&
           tls_drain(&b->s) == SEC_E_OK &&
           QueryContextAttributesA(&b->c.ctx, SECPKG_ATTR_STREAM_SIZES, &b->sz) == SEC_E_OK;
}

static void sspi_unpair(struct sspi_bench *b)
{
    tls_side_free(&b->c);
    tls_side_free(&b->s);
    FreeCredentialsHandle(&b->c.cred);
    FreeCredentialsHandle(&b->s.cred);
}

struct sspi_hs {
    CredHandle c, s;
};

static bool sspi_handshakes(void *arg, long n)
{
    struct sspi_hs *h = arg;

    for (long i = 0; i < n; i++) {
        struct tls_side c = {.cred = h->c, .target = "localhost"};
        struct tls_side s = {.cred = h->s, .server = true};
        bool ok = tls_handshake(&c, &s) == SEC_E_OK;

        tls_side_free(&c);
        tls_side_free(&s);
        if (!ok)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- GnuTLS */

struct mem_pipe {
    uint8_t *buf;
    size_t len, pos, cap;
};

static ssize_t mem_push(gnutls_transport_ptr_t p, const void *data, size_t n)
{
    struct mem_pipe *m = p;

    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->buf = realloc(m->buf, m->cap);
    }
    memcpy(m->buf + m->len, data, n);
    m->len += n;
    return (ssize_t)n;
}

struct gnutls_end {
    gnutls_session_t s;
    struct mem_pipe *in; /* what the peer pushed */
};

static ssize_t mem_pull(gnutls_transport_ptr_t p, void *data, size_t n)
{
    struct gnutls_end *e = p;
    struct mem_pipe *m = e->in;

    if (m->pos == m->len) {
        m->pos = m->len = 0;
        gnutls_transport_set_errno(e->s, EAGAIN);
        return -1;
    }
    if (n > m->len - m->pos)
        n = m->len - m->pos;
    memcpy(data, m->buf + m->pos, n);
    m->pos += n;
    if (m->pos == m->len)
        m->pos = m->len = 0;
    return (ssize_t)n;
}

struct gnutls_bench {
    gnutls_certificate_credentials_t sc, cc;
    gnutls_priority_t prio;
    gnutls_datum_t ticket_key;
    struct mem_pipe c2s, s2c;
    struct gnutls_end c, s;
    uint8_t *buf, *out;
    uint32_t size;
};

static bool gnutls_pair(struct gnutls_bench *g)
{
    int rc = GNUTLS_E_AGAIN, rs = GNUTLS_E_AGAIN;

    g->c2s.len = g->c2s.pos = g->s2c.len = g->s2c.pos = 0;
    gnutls_init(&g->c.s, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
    gnutls_init(&g->s.s, GNUTLS_SERVER | GNUTLS_NONBLOCK);
    g->c.in = &g->s2c;
    g->s.in = &g->c2s;
    gnutls_priority_set(g->c.s, g->prio);
    gnutls_priority_set(g->s.s, g->prio);
    gnutls_session_ticket_enable_server(g->s.s, &g->ticket_key);
    gnutls_credentials_set(g->c.s, GNUTLS_CRD_CERTIFICATE, g->cc);
    gnutls_credentials_set(g->s.s, GNUTLS_CRD_CERTIFICATE, g->sc);
    gnutls_server_name_set(g->c.s, GNUTLS_NAME_DNS, "localhost", 9);
    gnutls_session_set_verify_cert(g->c.s, "localhost", 0);
    gnutls_transport_set_ptr(g->c.s, &g->c);
    gnutls_transport_set_ptr(g->s.s, &g->s);
    gnutls_transport_set_push_function(g->c.s, mem_push);
    gnutls_transport_set_push_function(g->s.s, mem_push);
    gnutls_transport_set_ptr2(g->c.s, &g->c, &g->c2s);
    gnutls_transport_set_ptr2(g->s.s, &g->s, &g->s2c);
    gnutls_transport_set_pull_function(g->c.s, mem_pull);
    gnutls_transport_set_pull_function(g->s.s, mem_pull);
    for (int i = 0; i < 50 && (rc != 0 || rs != 0); i++) {
        if (rc != 0)
            rc = gnutls_handshake(g->c.s);
        if (rs != 0)
            rs = gnutls_handshake(g->s.s);
        if ((rc < 0 && rc != GNUTLS_E_AGAIN) || (rs < 0 && rs != GNUTLS_E_AGAIN))
            return false;
    }
    return rc == 0 && rs == 0;
}

static void gnutls_unpair(struct gnutls_bench *g)
{
    gnutls_deinit(g->c.s);
    gnutls_deinit(g->s.s);
}

/* Once, as libsspi's credentials hold them: the server's certificate and
 * a session-ticket key (the Schannel server issues tickets by default),
 * the client's trust (the system's roots and the test CA, as a Schannel
 * client has) and the parsed priority string. */
static void gnutls_setup(struct gnutls_bench *g, const char *prio)
{
    if (gnutls_certificate_allocate_credentials(&g->sc) < 0 ||
        gnutls_certificate_allocate_credentials(&g->cc) < 0 ||
        gnutls_certificate_set_x509_key_file(g->sc, pki.server, pki.server, GNUTLS_X509_FMT_PEM) <
            0 ||
        gnutls_certificate_set_x509_trust_file(g->cc, pki.ca, GNUTLS_X509_FMT_PEM) <= 0 ||
        gnutls_session_ticket_key_generate(&g->ticket_key) < 0 ||
        gnutls_priority_init2(&g->prio, prio, NULL, 0) < 0) {
        fprintf(stderr, "bench-schannel: GnuTLS setup failed\n");
        exit(1);
    }
    gnutls_certificate_set_x509_system_trust(g->cc); /* none is no error */
}

static void gnutls_teardown(struct gnutls_bench *g)
{
    gnutls_certificate_free_credentials(g->sc);
    gnutls_certificate_free_credentials(g->cc);
    gnutls_priority_deinit(g->prio);
    gnutls_free(g->ticket_key.data);
}

static bool gnutls_records(void *arg, long n)
{
    struct gnutls_bench *g = arg;

    for (long i = 0; i < n; i++) {
        ssize_t r;

        if (gnutls_record_send(g->c.s, g->buf, g->size) != (ssize_t)g->size)
            return false;
        do {
            r = gnutls_record_recv(g->s.s, g->out, SCHAN_BENCH_MAX);
        } while (r == GNUTLS_E_AGAIN && g->c2s.len > g->c2s.pos);
        if (r != (ssize_t)g->size)
            return false;
    }
    return true;
}

static bool gnutls_handshakes(void *arg, long n)
{
    struct gnutls_bench *g = arg;

    for (long i = 0; i < n; i++) {
        bool ok = gnutls_pair(g);

        gnutls_unpair(g);
        if (!ok)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- OpenSSL */
#ifdef HAVE_OPENSSL_BENCH
struct ossl_bench {
    SSL_CTX *cctx, *sctx;
    SSL *c, *s;
    BIO *c_in, *c_out, *s_in, *s_out;
    uint8_t *buf, *out;
    uint32_t size;
    int version;
};

/* Move what one side wrote to the other's input. */
static void ossl_move(BIO *from, BIO *to)
{
    char tmp[65536];
    int n;

    while ((n = BIO_read(from, tmp, sizeof(tmp))) > 0)
        BIO_write(to, tmp, n);
}

static bool ossl_pair(struct ossl_bench *o)
{
    int rc = -1, rs = -1;

    o->c = SSL_new(o->cctx);
    o->s = SSL_new(o->sctx);
    o->c_in = BIO_new(BIO_s_mem());
    o->c_out = BIO_new(BIO_s_mem());
    o->s_in = BIO_new(BIO_s_mem());
    o->s_out = BIO_new(BIO_s_mem());
    SSL_set_bio(o->c, o->c_in, o->c_out);
    SSL_set_bio(o->s, o->s_in, o->s_out);
    SSL_set_connect_state(o->c);
    SSL_set_accept_state(o->s);
    SSL_set_tlsext_host_name(o->c, "localhost");
    SSL_set1_host(o->c, "localhost");
    for (int i = 0; i < 50 && (rc != 1 || rs != 1); i++) {
        if (rc != 1)
            rc = SSL_do_handshake(o->c);
        ossl_move(o->c_out, o->s_in);
        if (rs != 1)
            rs = SSL_do_handshake(o->s);
        ossl_move(o->s_out, o->c_in);
    }
    return rc == 1 && rs == 1;
}

static void ossl_unpair(struct ossl_bench *o)
{
    SSL_free(o->c);
    SSL_free(o->s);
}

static bool ossl_records(void *arg, long n)
{
    struct ossl_bench *o = arg;

    for (long i = 0; i < n; i++) {
        if (SSL_write(o->c, o->buf, (int)o->size) != (int)o->size)
            return false;
        ossl_move(o->c_out, o->s_in);
        if (SSL_read(o->s, o->out, SCHAN_BENCH_MAX) != (int)o->size)
            return false;
    }
    return true;
}

static bool ossl_handshakes(void *arg, long n)
{
    struct ossl_bench *o = arg;

    for (long i = 0; i < n; i++) {
        bool ok = ossl_pair(o);

        ossl_unpair(o);
        if (!ok)
            return false;
    }
    return true;
}

static bool ossl_setup(struct ossl_bench *o, int version)
{
    o->cctx = SSL_CTX_new(TLS_client_method());
    o->sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(o->cctx, version);
    SSL_CTX_set_max_proto_version(o->cctx, version);
    SSL_CTX_set_ciphersuites(o->cctx, "TLS_AES_256_GCM_SHA384");
    SSL_CTX_set_cipher_list(o->cctx, "ECDHE-ECDSA-AES256-GCM-SHA384");
    SSL_CTX_set_session_cache_mode(o->cctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_session_cache_mode(o->sctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(o->sctx, 0);
    SSL_CTX_set_verify(o->cctx, SSL_VERIFY_PEER, NULL);
    return SSL_CTX_load_verify_locations(o->cctx, pki.ca, NULL) == 1 &&
           SSL_CTX_use_certificate_file(o->sctx, pki.server, SSL_FILETYPE_PEM) == 1 &&
           SSL_CTX_use_PrivateKey_file(o->sctx, pki.server, SSL_FILETYPE_PEM) == 1;
}
#endif

/* ---------------------------------------------------------------- driver */

static const uint32_t sizes[] = {16, 64, 1024, 16384};

static void row(const char *what, uint32_t size, struct result r)
{
    printf("  %-28s %6u B  %9.0f ns/record  %5.2f allocs/record\n", what, size, r.ns, r.allocs);
}

static void bench_protocol(const char *label, uint32_t protocols, const char *gprio, long n)
{
    struct sspi_bench sb;
    struct gnutls_bench gb = {0};

    printf("%s\n", label);
    if (!sspi_pair(&sb, protocols)) {
        fprintf(stderr, "bench-schannel: libsspi handshake failed\n");
        exit(1);
    }
    gnutls_setup(&gb, gprio);
    if (!gnutls_pair(&gb)) {
        fprintf(stderr, "bench-schannel: GnuTLS handshake failed\n");
        exit(1);
    }
    gb.buf = calloc(1, SCHAN_BENCH_MAX);
    gb.out = calloc(1, SCHAN_BENCH_MAX);
    sb.rec = calloc(1, SCHAN_BENCH_MAX + 256);
#ifdef HAVE_OPENSSL_BENCH
    struct ossl_bench ob = {0};
    bool have_ossl =
        ossl_setup(&ob, protocols == SP_PROT_TLS1_3_CLIENT ? TLS1_3_VERSION : TLS1_2_VERSION) &&
        ossl_pair(&ob);
    ob.buf = gb.buf;
    ob.out = gb.out;
#endif
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        long iters = sizes[i] >= 16384 ? n / 8 : n;

        sb.size = gb.size = sizes[i];
        row("libsspi Encrypt+Decrypt", sizes[i], measure(sspi_records, &sb, iters));
        row("GnuTLS record send+recv", sizes[i], measure(gnutls_records, &gb, iters));
#ifdef HAVE_OPENSSL_BENCH
        ob.size = sizes[i];
        if (have_ossl)
            row("OpenSSL SSL_write+SSL_read", sizes[i], measure(ossl_records, &ob, iters));
#endif
    }
    sspi_unpair(&sb);
    gnutls_unpair(&gb);
#ifdef HAVE_OPENSSL_BENCH
    if (have_ossl)
        ossl_unpair(&ob);
    SSL_CTX_free(ob.cctx);
    SSL_CTX_free(ob.sctx);
#endif
    free(sb.rec);
    free(gb.buf);
    free(gb.out);
    gnutls_teardown(&gb);
}

static void hs_row(const char *what, struct result r)
{
    printf("  %-28s %9.3f ms/handshake  %7.0f allocs/handshake\n", what, r.ns / 1e6, r.allocs);
}

static void bench_handshakes(const char *label, uint32_t protocols, const char *gprio, long n)
{
    struct sspi_hs h;
    struct gnutls_bench gb = {0};

    printf("%s handshakes\n", label);
    if (tls_server_cred(pki.server, 0, &h.s) != SEC_E_OK ||
        tls_client_cred(pki.ca, NULL, protocols, SCH_CRED_DISABLE_RECONNECTS, &h.c) != SEC_E_OK)
        exit(1);
    hs_row("libsspi ISC/ASC", measure(sspi_handshakes, &h, n));
    FreeCredentialsHandle(&h.c);
    FreeCredentialsHandle(&h.s);
    gnutls_setup(&gb, gprio);
    hs_row("GnuTLS gnutls_handshake", measure(gnutls_handshakes, &gb, n));
    gnutls_teardown(&gb);
#ifdef HAVE_OPENSSL_BENCH
    {
        struct ossl_bench ob = {0};

        if (ossl_setup(&ob, protocols == SP_PROT_TLS1_3_CLIENT ? TLS1_3_VERSION : TLS1_2_VERSION))
            hs_row("OpenSSL SSL_do_handshake", measure(ossl_handshakes, &ob, n));
        SSL_CTX_free(ob.cctx);
        SSL_CTX_free(ob.sctx);
    }
#endif
}

int main(int argc, char **argv)
{
    long n = 20000, hs = 200;
    int c;

    while ((c = getopt(argc, argv, "n:h:")) != -1) {
        if (c == 'n')
            n = atol(optarg);
        else if (c == 'h')
            hs = atol(optarg);
        else {
            fprintf(stderr, "usage: bench-schannel [-n RECORDS] [-h HANDSHAKES]\n");
            return 2;
        }
    }
    alloc_count_enable(true);
    if (n < 10 || hs < 1 || !tls_pki_make(&pki) || tls_load_package() != SEC_E_OK) {
        fprintf(stderr, "bench-schannel: setup failed (LIBSSPI_TEST_PKGDIR?)\n");
        return 1;
    }
    bench_protocol("TLS 1.3 AES-256-GCM (TLS_AES_256_GCM_SHA384)", SP_PROT_TLS1_3_CLIENT,
                   "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM", n);
    bench_protocol("TLS 1.2 ECDHE-ECDSA-AES256-GCM-SHA384", SP_PROT_TLS1_2_CLIENT,
                   "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM", n);
    bench_handshakes("TLS 1.3", SP_PROT_TLS1_3_CLIENT, "NORMAL:-VERS-ALL:+VERS-TLS1.3", hs);
    bench_handshakes("TLS 1.2", SP_PROT_TLS1_2_CLIENT, "NORMAL:-VERS-ALL:+VERS-TLS1.2", hs);
    tls_pki_remove(&pki);
    return 0;
}
