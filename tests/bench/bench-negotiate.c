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
 * Usage: tests/bench/bench-negotiate [-n ITERATIONS] [--kerberos SPN]
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

#define ROUNDS 9
#define TOK 49152

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

#define REQ (ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT)
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

/* One complete exchange; contexts left in p. */
static void handshake(struct pair *p, const char *target)
{
    static uint8_t a[TOK], b[TOK];
    SecBuffer ob = {TOK, SECBUFFER_TOKEN, a}, ib = {0, SECBUFFER_TOKEN, b};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    ULONG attr;
    TimeStamp ts;
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;
    bool first = true;

    cs = InitializeSecurityContextA(&p->cc, NULL, (char *)target, REQ, 0, 0, NULL, 0, &p->c, &od,
                                    &attr, &ts);
    for (int i = 0; i < 8; i++) {
        if (!SEC_SUCCESS(cs))
            die("InitializeSecurityContext", cs);
        if (ob.cbBuffer == 0)
            break;
        memcpy(b, a, ob.cbBuffer);
        ib.cbBuffer = ob.cbBuffer;
        ob.cbBuffer = TOK;
        ss = AcceptSecurityContext(&p->sc, first ? NULL : &p->s, &id, ASC_REQ, 0, &p->s, &od, &attr,
                                   &ts);
        first = false;
        if (!SEC_SUCCESS(ss))
            die("AcceptSecurityContext", ss);
        if (ob.cbBuffer == 0 || (cs == SEC_E_OK && ss == SEC_E_OK))
            break;
        memcpy(b, a, ob.cbBuffer);
        ib.cbBuffer = ob.cbBuffer;
        ob.cbBuffer = TOK;
        cs = InitializeSecurityContextA(NULL, &p->c, (char *)target, REQ, 0, 0, &id, 0, &p->c, &od,
                                        &attr, &ts);
        if (cs == SEC_E_OK && ss == SEC_E_OK)
            break;
    }
    if (cs != SEC_E_OK || ss != SEC_E_OK)
        die("handshake did not complete", cs != SEC_E_OK ? cs : ss);
}

static double sspi_handshake_us(const char *package, const char *target, bool kerberos, int n)
{
    double r[ROUNDS];
    struct pair p;

    creds(&p, package, kerberos);
    for (int k = 0; k < ROUNDS; k++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++) {
            handshake(&p, target);
            DeleteSecurityContext(&p.c);
            DeleteSecurityContext(&p.s);
        }
        r[k] = (now_ns() - t0) / n / 1000.0;
    }
    FreeCredentialsHandle(&p.cc);
    FreeCredentialsHandle(&p.sc);
    return median(r, ROUNDS);
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

static double gss_handshake_us(bool spnego, gss_OID inner, const char *user, const char *target,
                               int n)
{
    gss_OID_set_desc set = {1, spnego ? &spnego_oid : inner};
    gss_OID_set_desc narrow = {1, inner};
    gss_cred_id_t ic, ac;
    gss_name_t name = GSS_C_NO_NAME, tname;
    gss_buffer_desc tb = {strlen(target), (void *)target};
    OM_uint32 minor, major;
    double r[ROUNDS];

    if (user != NULL) {
        gss_buffer_desc ub = {strlen(user), (void *)user}, pw = {8, (void *)"password"};
        gss_import_name(&minor, &ub, GSS_C_NT_USER_NAME, &name);
        major = gss_acquire_cred_with_password(&minor, name, &pw, 0, &set, GSS_C_INITIATE, &ic,
                                               NULL, NULL);
    } else {
        major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, &set, GSS_C_INITIATE, &ic, NULL, NULL);
    }
    if (GSS_ERROR(major))
        die("gss_acquire_cred (initiator)", (long)major);
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, &set, GSS_C_ACCEPT, &ac, NULL, NULL);
    if (GSS_ERROR(major))
        die("gss_acquire_cred (acceptor)", (long)major);
    if (spnego) {
        gss_set_neg_mechs(&minor, ic, &narrow);
        gss_set_neg_mechs(&minor, ac, &narrow);
    }
    gss_import_name(&minor, &tb, GSS_C_NT_HOSTBASED_SERVICE, &tname);
    for (int k = 0; k < ROUNDS; k++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++)
            gss_handshake(spnego ? &spnego_oid : inner, ic, ac, tname);
        r[k] = (now_ns() - t0) / n / 1000.0;
    }
    gss_release_cred(&minor, &ic);
    gss_release_cred(&minor, &ac);
    gss_release_name(&minor, &tname);
    if (name != GSS_C_NO_NAME)
        gss_release_name(&minor, &name);
    return median(r, ROUNDS);
}

/* ---- per message ------------------------------------------------------------------ */

enum op { OP_SIGN, OP_VERIFY, OP_SEAL, OP_UNSEAL };

static double per_message_ns(struct pair *p, enum op op, size_t size, int n)
{
    SecPkgContext_Sizes sz;
    double r[ROUNDS];
    uint8_t *data = calloc((size_t)n, size), *tok = calloc((size_t)n, 128);

    QueryContextAttributesA(&p->c, SECPKG_ATTR_SIZES, &sz);
    for (int k = 0; k < ROUNDS; k++) {
        /* Verify/unseal need the peer's fresh messages, made untimed. */
        if (op == OP_VERIFY || op == OP_UNSEAL) {
            for (int i = 0; i < n; i++) {
                SecBuffer b[2] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok + 128 * i},
                                  {(ULONG)size, SECBUFFER_DATA, data + size * (size_t)i}};
                SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
                SECURITY_STATUS st = op == OP_VERIFY ? MakeSignature(&p->s, 0, &d, 0)
                                                     : EncryptMessage(&p->s, 0, &d, 0);
                if (st != SEC_E_OK)
                    die("preparing messages", st);
            }
        }
        double t0 = now_ns();
        for (int i = 0; i < n; i++) {
            SecBuffer b[2] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok + 128 * i},
                              {(ULONG)size, SECBUFFER_DATA, data + size * (size_t)i}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            ULONG qop;
            SECURITY_STATUS st;
            switch (op) {
            case OP_SIGN:
                st = MakeSignature(&p->c, 0, &d, 0);
                break;
            case OP_VERIFY:
                st = VerifySignature(&p->c, &d, 0, &qop);
                break;
            case OP_SEAL:
                st = EncryptMessage(&p->c, 0, &d, 0);
                break;
            default:
                st = DecryptMessage(&p->c, &d, 0, &qop);
                break;
            }
            if (st != SEC_E_OK)
                die("per-message call", st);
        }
        r[k] = (now_ns() - t0) / n;
    }
    free(data);
    free(tok);
    return median(r, ROUNDS);
}

static void per_message_table(const char *inner, const char *target, bool kerberos, int n)
{
    static const char *const names[] = {"MakeSignature", "VerifySignature", "EncryptMessage",
                                        "DecryptMessage"};
    static const size_t sizes[] = {16, 64, 1024};
    struct pair direct, nego;

    creds(&direct, inner, kerberos);
    creds(&nego, "Negotiate", kerberos);
    handshake(&direct, target);
    handshake(&nego, target);
    printf("\nper message, ns per call (median of %d rounds of %d)\n", ROUNDS, n);
    printf("%-16s %6s %10s %10s %8s\n", "call", "bytes", inner, "Negotiate", "delta");
    for (int op = 0; op < 4; op++) {
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            double a = per_message_ns(&direct, (enum op)op, sizes[s], n);
            double b = per_message_ns(&nego, (enum op)op, sizes[s], n);
            printf("%-16s %6zu %10.1f %10.1f %+8.1f\n", names[op], sizes[s], a, b, b - a);
        }
    }
    DeleteSecurityContext(&direct.c);
    DeleteSecurityContext(&direct.s);
    DeleteSecurityContext(&nego.c);
    DeleteSecurityContext(&nego.s);
}

int main(int argc, char **argv)
{
    int n = 20000, hn = 300;
    const char *spn = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (strcmp(argv[i], "--kerberos") == 0 && i + 1 < argc)
            spn = argv[++i];
        else {
            fprintf(stderr, "usage: %s [-n ITERATIONS] [--kerberos SPN]\n", argv[0]);
            return 2;
        }
    }
    setup(spn != NULL);
    per_message_table("NTLM", NULL, false, n);
    printf("\nhandshake, microseconds per complete exchange (median of %d rounds of %d)\n", ROUNDS,
           hn);
    double nt = sspi_handshake_us("NTLM", NULL, false, hn);
    double ng = sspi_handshake_us("Negotiate", NULL, false, hn);
    double mn = gss_handshake_us(false, &ntlm_oid, "BENCH\\user", "host@bench", hn);
    double ms = gss_handshake_us(true, &ntlm_oid, "BENCH\\user", "host@bench", hn);
    printf("%-34s %9.1f\n", "NTLM (libsspi)", nt);
    printf("%-34s %9.1f  (%+.1f%% over NTLM)\n", "Negotiate over NTLM (libsspi)", ng,
           (ng / nt - 1) * 100);
    printf("%-34s %9.1f\n", "gss-ntlmssp (MIT)", mn);
    printf("%-34s %9.1f  (%+.1f%% over gss-ntlmssp)\n", "SPNEGO over gss-ntlmssp (MIT)", ms,
           (ms / mn - 1) * 100);
    if (spn != NULL) {
        char gss_target[512];
        const char *slash = strchr(spn, '/');
        snprintf(gss_target, sizeof gss_target, "%.*s@%s", (int)(slash ? slash - spn : 0), spn,
                 slash ? slash + 1 : spn);
        per_message_table("Kerberos", spn, true, n);
        double kt = sspi_handshake_us("Kerberos", spn, true, hn / 3);
        double kg = sspi_handshake_us("Negotiate", spn, true, hn / 3);
        double mk = gss_handshake_us(false, &krb5_oid, NULL, gss_target, hn / 3);
        double mks = gss_handshake_us(true, &krb5_oid, NULL, gss_target, hn / 3);
        printf("%-34s %9.1f\n", "Kerberos (libsspi)", kt);
        printf("%-34s %9.1f  (%+.1f%% over Kerberos)\n", "Negotiate over Kerberos (libsspi)", kg,
               (kg / kt - 1) * 100);
        printf("%-34s %9.1f\n", "krb5 (MIT)", mk);
        printf("%-34s %9.1f  (%+.1f%% over krb5)\n", "SPNEGO over krb5 (MIT)", mks,
               (mks / mk - 1) * 100);
    }
    return 0;
}
