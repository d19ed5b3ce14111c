/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-negotiate.c - what Negotiate costs on top of the package it
 * negotiates, measured side by side in one process:
 *   per message: MakeSignature, VerifySignature, EncryptMessage and
 *     DecryptMessage at 16 B, 64 B and 1 KiB on a Negotiate context and on
 *     a context of the inner package used directly (goal: within 10 ns);
 *   handshake: a whole in-process exchange of Negotiate-over-NTLM beside
 *     NTLM alone, and beside MIT SPNEGO with gss-ntlmssp and gss-ntlmssp
 *     alone (goal: Negotiate adds at most 10%);
 *   with --kerberos SPN (a ticket cache and keytab in the environment, e.g.
 *     from `sspi realm`), the same for Negotiate-over-Kerberos, Kerberos
 *     alone and MIT SPNEGO with krb5.
 * Each figure is the median of ROUNDS rounds.  A program, not a test.
 *
 * Usage: tests/bench/bench-negotiate [-n ITERATIONS] [--kerberos SPN] [--allocate]
 *        tests/bench/bench-negotiate --handshakes PACKAGE [-n COUNT] [--allocate]
 *        tests/bench/bench-negotiate --signatures PACKAGE [-n COUNT]
 *        (only COUNT handshakes of PACKAGE, or one handshake and COUNT
 *        16-byte MakeSignature calls: for perf stat / perf record /
 *        callgrind; --allocate: the handshakes ask for
 *        ISC_REQ_ALLOCATE_MEMORY and free each token with
 *        FreeContextBuffer, as many programs do)
 * (from the build tree, or with LIBSSPI_TEST_PKGDIR pointing at
 * src/packages).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "sspi.h"
#include "libsspi.h"

#define ROUNDS 15
#define TOK    49152

static char tmpdir[] = "/tmp/bench-negotiate-XXXXXX";
static char users[300], conf[300], mech_conf[300];

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, long st)
{
    fprintf(stderr, "bench-negotiate: %s: %s (0x%lx)\n", what,
            libsspi_status_name((SECURITY_STATUS)st), (unsigned long)st);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static void cleanup(void)
{
    unlink(users);
    unlink(conf);
    unlink(mech_conf);
    rmdir(tmpdir);
}

static void setup(bool kerberos)
{
    const char *pkg = getenv("LIBSSPI_TEST_PKGDIR");
    char cwd[2048], dir[2300];
    FILE *f;

    if (pkg == NULL) {
        if (getcwd(cwd, sizeof cwd) == NULL)
            exit(1);
        snprintf(dir, sizeof dir, "%s/src/packages", cwd);
        pkg = dir;
    }
    if (!mkdtemp(tmpdir))
        exit(1);
    atexit(cleanup);
    snprintf(users, sizeof users, "%s/users", tmpdir);
    snprintf(conf, sizeof conf, "%s/sspi.conf", tmpdir);
    snprintf(mech_conf, sizeof mech_conf, "%s/mech.conf", tmpdir);
    f = fopen(users, "w");
    fputs("BENCH:user:password\n", f);
    fclose(f);
    f = fopen(conf, "w");
    fprintf(f, "autoload = no\ndropin_dir = none\n");
    if (kerberos)
        fprintf(f, "[module]\nmodule = %s/kerberos/.libs/kerberos.so\n", pkg);
    fprintf(f, "[module]\nmodule = %s/ntlm/.libs/ntlm.so\noption.user_file = %s\n", pkg, users);
    fprintf(f, "[module]\nmodule = %s/negotiate/.libs/negotiate.so\n", pkg);
    fclose(f);
    f = fopen(mech_conf, "w");
    fprintf(f, "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 "
               "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so\n");
    fclose(f);
    setenv("LIBSSPI_CONFIG", conf, 1);
    setenv("NTLM_USER_FILE", users, 1);
    setenv("GSS_MECH_CONFIG", mech_conf, 1);
    if (!kerberos) {
        setenv("KRB5_CONFIG", "/dev/null", 1);
        setenv("KRB5CCNAME", "MEMORY:bench-negotiate", 1);
    }
}

/* ---- SSPI handshakes ------------------------------------------------------------- */

struct pair {
    CredHandle cc, sc;
    CtxtHandle c, s;
};

#define REQ     (ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT)
#define ASC_REQ (ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_SEQUENCE_DETECT)

static void creds(struct pair *p, const char *package, bool kerberos)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"user",     4, (unsigned char *)"BENCH",    5,
                                    (unsigned char *)"password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    TimeStamp ts;
    SECURITY_STATUS st;

    st = AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_OUTBOUND, NULL,
                                   kerberos ? NULL : &id, NULL, NULL, &p->cc, &ts);
    if (st != SEC_E_OK)
        die("AcquireCredentialsHandle (client)", st);
    st = AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                   NULL, &p->sc, &ts);
    if (st != SEC_E_OK)
        die("AcquireCredentialsHandle (server)", st);
}

/* --allocate: the handshakes let SSPI allocate the output tokens
 * (ISC_REQ_ALLOCATE_MEMORY, FreeContextBuffer), as many programs do. */
static bool allocate;

/* Take the token a leg wrote in `ob` as the next leg's input, and make
 * `ob` ready for the next output. */
static void pass_token(SecBuffer *ob, uint8_t *a, SecBuffer *ib, uint8_t *b)
{
    memcpy(b, ob->pvBuffer, ob->cbBuffer);
    ib->cbBuffer = ob->cbBuffer;
    if (allocate) {
        FreeContextBuffer(ob->pvBuffer);
        *ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    } else {
        *ob = (SecBuffer){TOK, SECBUFFER_TOKEN, a};
    }
}

/* One complete exchange; contexts left in p. */
static void handshake(struct pair *p, const char *target)
{
    static uint8_t a[TOK], b[TOK];
    ULONG req = REQ | (allocate ? ISC_REQ_ALLOCATE_MEMORY : 0);
    ULONG asc_req = ASC_REQ | (allocate ? ASC_REQ_ALLOCATE_MEMORY : 0);
    SecBuffer ob = {allocate ? 0 : TOK, SECBUFFER_TOKEN, allocate ? NULL : a},
              ib = {0, SECBUFFER_TOKEN, b};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    ULONG attr;
    TimeStamp ts;
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;
    bool first = true;

    cs = InitializeSecurityContextA(&p->cc, NULL, (char *)target, req, 0, 0, NULL, 0, &p->c, &od,
                                    &attr, &ts);
    for (int i = 0; i < 8; i++) {
        if (!SEC_SUCCESS(cs))
            die("InitializeSecurityContext", cs);
        if (ob.cbBuffer == 0)
            break;
        pass_token(&ob, a, &ib, b);
        ss = AcceptSecurityContext(&p->sc, first ? NULL : &p->s, &id, asc_req, 0, &p->s, &od, &attr,
                                   &ts);
        first = false;
        if (!SEC_SUCCESS(ss))
            die("AcceptSecurityContext", ss);
        if (ob.cbBuffer == 0 || (cs == SEC_E_OK && ss == SEC_E_OK))
            break;
        pass_token(&ob, a, &ib, b);
        cs = InitializeSecurityContextA(NULL, &p->c, (char *)target, req, 0, 0, &id, 0, &p->c, &od,
                                        &attr, &ts);
        if (cs == SEC_E_OK && ss == SEC_E_OK)
            break;
    }
    if (allocate && ob.pvBuffer != NULL)
        FreeContextBuffer(ob.pvBuffer);
    if (cs != SEC_E_OK || ss != SEC_E_OK)
        die("handshake did not complete", cs != SEC_E_OK ? cs : ss);
}

/* ---- MIT handshakes -------------------------------------------------------------- */

static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc krb5_oid = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc ntlm_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

/* One MIT exchange with `mech` (SPNEGO narrowed to `inner`, or the inner
 * mech itself). */
static void gss_handshake(gss_OID mech, gss_cred_id_t ic, gss_cred_id_t ac, gss_name_t target)
{
    gss_ctx_id_t c = GSS_C_NO_CONTEXT, s = GSS_C_NO_CONTEXT;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, cm, sm = GSS_S_CONTINUE_NEEDED;

    for (int i = 0; i < 8; i++) {
        cm = gss_init_sec_context(&minor, ic, &c, target, mech,
                                  GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG, 0, NULL,
                                  i ? &in : GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
        gss_release_buffer(&minor, &in);
        if (GSS_ERROR(cm))
            die("gss_init_sec_context", (long)cm);
        if (out.length == 0)
            break;
        sm =
            gss_accept_sec_context(&minor, &s, ac, &out, NULL, NULL, NULL, &back, NULL, NULL, NULL);
        gss_release_buffer(&minor, &out);
        if (GSS_ERROR(sm))
            die("gss_accept_sec_context", (long)sm);
        if (back.length == 0)
            break;
        in = back;
        back.length = 0;
        back.value = NULL;
        if (cm == GSS_S_COMPLETE && sm == GSS_S_COMPLETE) {
            gss_release_buffer(&minor, &in);
            break;
        }
    }
    gss_delete_sec_context(&minor, &c, NULL);
    gss_delete_sec_context(&minor, &s, NULL);
}

/* ---- the contenders, timed in turn ---------------------------------------------- */

/* One way of doing a handshake: libsspi with a package, or MIT with a
 * mechanism (SPNEGO narrowed to `inner`, or `inner` itself). */
struct contender {
    const char *label;
    bool gss;
    /* libsspi */
    struct pair p;
    const char *target;
    /* MIT */
    gss_OID mech;
    gss_cred_id_t ic, ac;
    gss_name_t tname;
    double r[ROUNDS];
};

static void sspi_contender(struct contender *c, const char *label, const char *package,
                           const char *target, bool kerberos)
{
    memset(c, 0, sizeof(*c));
    c->label = label;
    c->target = target;
    creds(&c->p, package, kerberos);
}

static void gss_contender(struct contender *c, const char *label, bool spnego, gss_OID inner,
                          const char *user, const char *target)
{
    gss_OID_set_desc set = {1, spnego ? &spnego_oid : inner};
    gss_OID_set_desc narrow = {1, inner};
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc tb = {strlen(target), (void *)target};
    OM_uint32 minor, major;

    memset(c, 0, sizeof(*c));
    c->label = label;
    c->gss = true;
    c->mech = spnego ? &spnego_oid : inner;
    if (user != NULL) {
        gss_buffer_desc ub = {strlen(user), (void *)user}, pw = {8, (void *)"password"};
        gss_import_name(&minor, &ub, GSS_C_NT_USER_NAME, &name);
        major = gss_acquire_cred_with_password(&minor, name, &pw, 0, &set, GSS_C_INITIATE, &c->ic,
                                               NULL, NULL);
        gss_release_name(&minor, &name);
    } else {
        major =
            gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, &set, GSS_C_INITIATE, &c->ic, NULL, NULL);
    }
    if (GSS_ERROR(major))
        die("gss_acquire_cred (initiator)", (long)major);
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, &set, GSS_C_ACCEPT, &c->ac, NULL, NULL);
    if (GSS_ERROR(major))
        die("gss_acquire_cred (acceptor)", (long)major);
    if (spnego) {
        gss_set_neg_mechs(&minor, c->ic, &narrow);
        gss_set_neg_mechs(&minor, c->ac, &narrow);
    }
    gss_import_name(&minor, &tb, GSS_C_NT_HOSTBASED_SERVICE, &c->tname);
}

/* n handshakes; microseconds each. */
static double contender_run(struct contender *c, int n)
{
    double t0 = now_ns();

    for (int i = 0; i < n; i++) {
        if (c->gss) {
            gss_handshake(c->mech, c->ic, c->ac, c->tname);
        } else {
            handshake(&c->p, c->target);
            DeleteSecurityContext(&c->p.c);
            DeleteSecurityContext(&c->p.s);
        }
    }
    return (now_ns() - t0) / n / 1000.0;
}

static void contender_free(struct contender *c)
{
    OM_uint32 minor;

    if (c->gss) {
        gss_release_cred(&minor, &c->ic);
        gss_release_cred(&minor, &c->ac);
        gss_release_name(&minor, &c->tname);
    } else {
        FreeCredentialsHandle(&c->p.cc);
        FreeCredentialsHandle(&c->p.sc);
    }
}

static double min_of(const double *v, int n);

/* Four contenders (inner, Negotiate, MIT inner, MIT SPNEGO), in turn each
 * round with the starting one rotating; best and median of each. */
static void handshake_table(struct contender c[4], int n)
{
    printf("\nhandshake, microseconds per complete exchange: the best and the median of %d "
           "rounds of %d, interleaved\n",
           ROUNDS, n);
    for (int k = 0; k < ROUNDS; k++)
        for (int j = 0; j < 4; j++) {
            struct contender *x = &c[(j + k) % 4];
            x->r[k] = contender_run(x, n);
        }
    for (int j = 0; j < 4; j++) {
        double best = min_of(c[j].r, ROUNDS), med = median(c[j].r, ROUNDS);
        printf("%-36s %9.1f %9.1f", c[j].label, best, med);
        if (j % 2)
            printf("   %+.1f%% (best), %+.1f%% (median) over %s",
                   (best / min_of(c[j - 1].r, ROUNDS) - 1) * 100,
                   (med / median(c[j - 1].r, ROUNDS) - 1) * 100, c[j - 1].label);
        printf("\n");
        contender_free(&c[j]);
    }
}

/* ---- per message ------------------------------------------------------------------ */

enum op { OP_SIGN, OP_VERIFY, OP_SEAL, OP_UNSEAL };

/* Messages for one timed run: data, and the token each one carries. */
struct msgs {
    uint8_t *data, *tok;
    ULONG *tok_len;
    size_t size;
    int n;
};

#define TOKMAX 128

static SECURITY_STATUS call(CtxtHandle *h, enum op op, struct msgs *m, int i, ULONG tok_len)
{
    SecBuffer b[2] = {{tok_len, SECBUFFER_TOKEN, m->tok + TOKMAX * (size_t)i},
                      {(ULONG)m->size, SECBUFFER_DATA, m->data + m->size * (size_t)i}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop;
    SECURITY_STATUS st;

    switch (op) {
    case OP_SIGN:
        st = MakeSignature(h, 0, &d, 0);
        break;
    case OP_VERIFY:
        st = VerifySignature(h, &d, 0, &qop);
        break;
    case OP_SEAL:
        st = EncryptMessage(h, 0, &d, 0);
        break;
    default:
        st = DecryptMessage(h, &d, 0, &qop);
        break;
    }
    m->tok_len[i] = b[0].cbBuffer;
    return st;
}

/* One timed run of n calls of `op` on p's client; ns per call.  Verify and
 * unseal get fresh messages from the server first (untimed). */
static double one_run(struct pair *p, enum op op, struct msgs *m)
{
    SecPkgContext_Sizes sz;
    ULONG room;

    if (QueryContextAttributesA(&p->c, SECPKG_ATTR_SIZES, &sz) != SEC_E_OK)
        die("SIZES", 0);
    room = op == OP_SIGN || op == OP_VERIFY ? sz.cbMaxSignature : sz.cbSecurityTrailer;
    if (op == OP_VERIFY || op == OP_UNSEAL) {
        for (int i = 0; i < m->n; i++) {
            SECURITY_STATUS st = call(&p->s, op == OP_VERIFY ? OP_SIGN : OP_SEAL, m, i, room);
            if (st != SEC_E_OK)
                die("preparing messages", st);
        }
    }
    double t0 = now_ns();
    for (int i = 0; i < m->n; i++) {
        SECURITY_STATUS st =
            call(&p->c, op, m, i, op == OP_SIGN || op == OP_SEAL ? room : m->tok_len[i]);
        if (st != SEC_E_OK)
            die("per-message call", st);
    }
    return (now_ns() - t0) / m->n;
}

static double min_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

#define MSG_ROUNDS 31

static void per_message_table(const char *inner, const char *target, bool kerberos, int n)
{
    static const char *const names[] = {"MakeSignature", "VerifySignature", "EncryptMessage",
                                        "DecryptMessage"};
    static const size_t sizes[] = {16, 64, 1024};
    struct pair direct, nego;
    struct msgs m = {calloc((size_t)n, 1024), calloc((size_t)n, TOKMAX),
                     calloc((size_t)n, sizeof(ULONG)), 0, n};

    creds(&direct, inner, kerberos);
    creds(&nego, "Negotiate", kerberos);
    handshake(&direct, target);
    handshake(&nego, target);
    printf("\nper message, ns per call: the best and the median of %d interleaved runs of %d "
           "calls\n",
           MSG_ROUNDS, n);
    printf("%-16s %6s %10s %10s %8s %10s %10s\n", "call", "bytes", inner, "Negotiate", "delta",
           "(median", "median)");
    for (int op = 0; op < 4; op++) {
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            double a[MSG_ROUNDS], b[MSG_ROUNDS];
            m.size = sizes[s];
            for (int k = 0; k < MSG_ROUNDS; k++) {
                /* Alternate which goes first, so drift hits both alike. */
                if (k % 2) {
                    b[k] = one_run(&nego, (enum op)op, &m);
                    a[k] = one_run(&direct, (enum op)op, &m);
                } else {
                    a[k] = one_run(&direct, (enum op)op, &m);
                    b[k] = one_run(&nego, (enum op)op, &m);
                }
            }
            double amin = min_of(a, MSG_ROUNDS), bmin = min_of(b, MSG_ROUNDS);
            printf("%-16s %6zu %10.1f %10.1f %+8.1f %10.1f %10.1f\n", names[op], sizes[s], amin,
                   bmin, bmin - amin, median(a, MSG_ROUNDS), median(b, MSG_ROUNDS));
        }
    }
    free(m.data);
    free(m.tok);
    free(m.tok_len);
    DeleteSecurityContext(&direct.c);
    DeleteSecurityContext(&direct.s);
    DeleteSecurityContext(&nego.c);
    DeleteSecurityContext(&nego.s);
}

int main(int argc, char **argv)
{
    int n = 20000, hn = 300;
    const char *spn = NULL, *only = NULL, *sign_only = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (strcmp(argv[i], "--kerberos") == 0 && i + 1 < argc)
            spn = argv[++i];
        else if (strcmp(argv[i], "--handshakes") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--signatures") == 0 && i + 1 < argc)
            sign_only = argv[++i];
        else if (strcmp(argv[i], "--allocate") == 0)
            allocate = true;
        else {
            fprintf(stderr,
                    "usage: %s [-n ITERATIONS] [--kerberos SPN] [--allocate] "
                    "[--handshakes PACKAGE | --signatures PACKAGE]\n",
                    argv[0]);
            return 2;
        }
    }
    setup(spn != NULL);
    if (sign_only != NULL) {
        struct pair p;
        struct msgs m = {calloc(1, 16), calloc(1, TOKMAX), calloc(1, sizeof(ULONG)), 16, 1};
        creds(&p, sign_only, spn != NULL);
        handshake(&p, spn);
        for (int i = 0; i < n; i++)
            if (call(&p.c, OP_SIGN, &m, 0, 64) != SEC_E_OK)
                die("MakeSignature", 0);
        return 0;
    }
    if (only != NULL) {
        struct pair p;
        creds(&p, only, spn != NULL);
        for (int i = 0; i < n; i++) {
            handshake(&p, spn);
            DeleteSecurityContext(&p.c);
            DeleteSecurityContext(&p.s);
        }
        FreeCredentialsHandle(&p.cc);
        FreeCredentialsHandle(&p.sc);
        return 0;
    }
    per_message_table("NTLM", NULL, false, n);
    struct contender c[4];
    sspi_contender(&c[0], "NTLM (libsspi)", "NTLM", NULL, false);
    sspi_contender(&c[1], "Negotiate over NTLM (libsspi)", "Negotiate", NULL, false);
    gss_contender(&c[2], "gss-ntlmssp (MIT)", false, &ntlm_oid, "BENCH\\user", "host@bench");
    gss_contender(&c[3], "SPNEGO over gss-ntlmssp (MIT)", true, &ntlm_oid, "BENCH\\user",
                  "host@bench");
    handshake_table(c, hn);
    if (spn != NULL) {
        char gss_target[512];
        const char *slash = strchr(spn, '/');
        snprintf(gss_target, sizeof gss_target, "%.*s@%s", (int)(slash ? slash - spn : 0), spn,
                 slash ? slash + 1 : spn);
        per_message_table("Kerberos", spn, true, n);
        sspi_contender(&c[0], "Kerberos (libsspi)", "Kerberos", spn, true);
        sspi_contender(&c[1], "Negotiate over Kerberos (libsspi)", "Negotiate", spn, true);
        gss_contender(&c[2], "krb5 (MIT)", false, &krb5_oid, NULL, gss_target);
        gss_contender(&c[3], "SPNEGO over krb5 (MIT)", true, &krb5_oid, NULL, gss_target);
        handshake_table(c, hn / 3);
    }
    return 0;
}
