/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-negotiate-package.c - the Negotiate package through the public
 * API, loaded by libsspi with its siblings (NTLM and a third-party
 * negotiable mock, tests/mock/mock-negotiable.c):
 *   - its identity as Windows reports it;
 *   - the Windows-verified authentication loop (the one Wine's negotiate
 *     test runs on Windows), and what it then reports: SIZES from NTLM,
 *     NEGOTIATION_INFO naming NTLM, complete;
 *   - a third-party negotiable package negotiated and used;
 *   - the configuration order as the preference;
 *   - raw NTLMSSP to a Negotiate acceptor, server-initiated NegTokenInit2;
 *   - export/import, per-message calls from two threads at once, calls
 *     before completion, garbage first tokens.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "sspi.h"

static char tmpdir[] = "/tmp/nego-pkg.XXXXXX";
static char users_path[4200], conf_mock_first[4200], conf_ntlm_first[4200];

static void die(const char *what)
{
    fprintf(stderr, "check-negotiate-package: %s\n", what);
    exit(EXIT_FAILURE);
}

static void write_conf(const char *path, bool mock_first)
{
    const char *pkg = getenv("LIBSSPI_TEST_PKGDIR"), *mock = getenv("LIBSSPI_TEST_MOCKDIR");
    FILE *f = fopen(path, "w");

    if (f == NULL || pkg == NULL || mock == NULL)
        die("cannot write the configuration (LIBSSPI_TEST_PKGDIR, LIBSSPI_TEST_MOCKDIR)");
    fprintf(f, "autoload = no\ndropin_dir = none\n");
    if (mock_first)
        fprintf(f, "[module]\nmodule = %s/mock-negotiable.so\n", mock);
    fprintf(f, "[module]\nmodule = %s/ntlm/.libs/ntlm.so\noption.user_file = %s\n", pkg,
            users_path);
    if (!mock_first)
        fprintf(f, "[module]\nmodule = %s/mock-negotiable.so\n", mock);
    fprintf(f, "[module]\nmodule = %s/negotiate/.libs/negotiate.so\n", pkg);
    fclose(f);
}

static void environment(void)
{
    if (mkdtemp(tmpdir) == NULL)
        die("mkdtemp");
    snprintf(users_path, sizeof(users_path), "%s/users", tmpdir);
    snprintf(conf_mock_first, sizeof(conf_mock_first), "%s/mock-first.conf", tmpdir);
    snprintf(conf_ntlm_first, sizeof(conf_ntlm_first), "%s/ntlm-first.conf", tmpdir);
    FILE *f = fopen(users_path, "w");
    if (f == NULL)
        die(users_path);
    fputs("domain:user:password\n", f);
    fclose(f);
    write_conf(conf_mock_first, true);
    write_conf(conf_ntlm_first, false);
    /* Each scenario runs in its own process (CK_FORK), the configuration is
     * picked before the first call. */
    setenv("LIBSSPI_CONFIG", conf_ntlm_first, 1);
    setenv("KRB5_CONFIG", "/dev/null", 1);
    setenv("KRB5CCNAME", "MEMORY:nego-pkg-empty", 1);
}

/* ---- helpers ------------------------------------------------------------------------ */

struct side {
    CredHandle cred;
    CtxtHandle ctx;
    bool server, have_ctx;
    ULONG req;
    uint8_t out[49152];
    ULONG out_len;
};

static SEC_WINNT_AUTH_IDENTITY_EXA identity(const char *list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(SEC_WINNT_AUTH_IDENTITY_EXA),
                                      .User = (unsigned char *)"user",
                                      .UserLength = 4,
                                      .Domain = (unsigned char *)"domain",
                                      .DomainLength = 6,
                                      .Password = (unsigned char *)"password",
                                      .PasswordLength = 8,
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
                                      .PackageList = (unsigned char *)list,
                                      .PackageListLength = list ? (ULONG)strlen(list) : 0};
    return id;
}

static void client(struct side *s, const char *package, const char *list, ULONG req)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity(list);
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    s->req = req;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_OUTBOUND, NULL,
                                               &id, NULL, NULL, &s->cred, &ts),
                     SEC_E_OK);
}

static void server(struct side *s, ULONG req)
{
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    s->server = true;
    s->req = req;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &s->cred, &ts),
                     SEC_E_OK);
}

static SECURITY_STATUS step(struct side *s, const struct side *peer)
{
    SecBuffer ib = {peer ? peer->out_len : 0, SECBUFFER_TOKEN, peer ? (void *)peer->out : NULL};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof(s->out), SECBUFFER_TOKEN, s->out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle before = s->ctx;
    ULONG attr;
    TimeStamp ts;
    SECURITY_STATUS st;

    if (s->server)
        st = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, peer ? &id : NULL,
                                   s->req, SECURITY_NATIVE_DREP, &s->ctx, &od, &attr, &ts);
    else
        st = InitializeSecurityContextA(s->have_ctx ? NULL : &s->cred, s->have_ctx ? &s->ctx : NULL,
                                        NULL, s->req, 0, SECURITY_NATIVE_DREP, peer ? &id : NULL, 0,
                                        &s->ctx, &od, &attr, &ts);
    if (SEC_SUCCESS(st)) {
        if (s->have_ctx) /* one handle across the exchange */
            ck_assert_mem_eq(&before, &s->ctx, sizeof(before));
        s->have_ctx = true;
    }
    s->out_len = SEC_SUCCESS(st) ? ob.cbBuffer : 0;
    return st;
}

static void release(struct side *s)
{
    if (s->have_ctx)
        ck_assert_int_eq(DeleteSecurityContext(&s->ctx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&s->cred), SEC_E_OK);
}

/* Loop until both are done (or one fails); returns the client's status. */
static SECURITY_STATUS handshake(struct side *c, struct side *s, SECURITY_STATUS *server_st)
{
    SECURITY_STATUS cs = step(c, NULL), ss = SEC_I_CONTINUE_NEEDED;

    for (int i = 0; i < 10 && SEC_SUCCESS(cs); i++) {
        if (c->out_len == 0)
            break;
        ss = step(s, c);
        if (!SEC_SUCCESS(ss) || s->out_len == 0)
            break;
        cs = step(c, s);
        if (cs == SEC_E_OK && ss == SEC_E_OK && c->out_len == 0)
            break;
    }
    *server_st = ss;
    return cs;
}

static void sign_pair(CtxtHandle *from, CtxtHandle *to)
{
    SecPkgContext_Sizes sz;
    uint8_t data[32] = "negotiated message", sig[64];

    ck_assert_int_eq(QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data},
                      {sz.cbMaxSignature, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop;
    ck_assert_int_eq(MakeSignature(from, 0, &d, 0), SEC_E_OK);
    data[0] ^= 0x20;
    ck_assert_int_eq(VerifySignature(to, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    data[0] ^= 0x20;
    ck_assert_int_eq(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
}

static void expect_negotiated(CtxtHandle *ctx, const char *name, ULONG state)
{
    SecPkgContext_NegotiationInfoA ni;

    ck_assert_int_eq(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_ptr_nonnull(ni.PackageInfo);
    ck_assert_str_eq(ni.PackageInfo->Name, name);
    ck_assert_uint_eq(ni.NegotiationState, state);
    ck_assert_int_eq(FreeContextBuffer(ni.PackageInfo), SEC_E_OK);
}

/* ---- identity ---------------------------------------------------------------------- */

START_TEST(test_package_identity)
{
    PSecPkgInfoA info;

    ck_assert_int_eq(QuerySecurityPackageInfoA("Negotiate", &info), SEC_E_OK);
    ck_assert_str_eq(info->Name, "Negotiate");
    ck_assert_uint_eq(info->fCapabilities, 0x3BB3);
    ck_assert_uint_eq(info->wVersion, 1);
    ck_assert_uint_eq(info->wRPCID, 9);
    ck_assert_uint_ge(info->cbMaxToken, 48256);
    FreeContextBuffer(info);
}
END_TEST

/* ---- the loop Wine's negotiate test runs on Windows ------------------------------- */

START_TEST(test_windows_authentication_loop)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"user",     4, (unsigned char *)"domain",   6,
                                    (unsigned char *)"password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    struct side c, s;
    TimeStamp ts;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    bool first = true;

    memset(&c, 0, sizeof(c));
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id,
                                               NULL, NULL, &c.cred, &ts),
                     SEC_E_OK);
    server(&s, 0);
    while (cs == SEC_I_CONTINUE_NEEDED && ss == SEC_I_CONTINUE_NEEDED) {
        cs = step(&c, first ? NULL : &s);
        ck_assert(cs == SEC_E_OK || cs == SEC_I_CONTINUE_NEEDED);
        ck_assert_uint_lt(c.out_len, 48256);
        ss = step(&s, &c);
        ck_assert(ss == SEC_E_OK || ss == SEC_I_CONTINUE_NEEDED || ss == SEC_E_LOGON_DENIED);
        first = false;
    }
    ck_assert_int_eq(cs, SEC_E_OK);
    SecPkgContext_Sizes sz;
    ck_assert_int_eq(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert(sz.cbMaxToken == 2888 || sz.cbMaxToken == 1904);
    ck_assert_uint_eq(sz.cbMaxSignature, 16);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 16);
    ck_assert_uint_eq(sz.cbBlockSize, 0);
    SecPkgContext_NegotiationInfoA ni = {0};
    ck_assert_int_eq(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_ptr_nonnull(ni.PackageInfo);
    ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
    ck_assert_uint_eq(ni.PackageInfo->wVersion, 1);
    ck_assert_uint_eq(ni.PackageInfo->wRPCID, 10); /* RPC_C_AUTHN_WINNT */
    FreeContextBuffer(ni.PackageInfo);
    ck_assert_int_eq(DeleteSecurityContext(&c.ctx), SEC_E_OK);
    ck_assert_int_eq(DeleteSecurityContext(&s.ctx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&c.cred), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&s.cred), SEC_E_OK);
}
END_TEST

/* NTLM with integrity: MICs both ways, messages after. */
START_TEST(test_ntlm_with_integrity)
{
    struct side c, s;
    SECURITY_STATUS ss;

    client(&c, "Negotiate", NULL, ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY);
    server(&s, ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY);
    ck_assert_int_eq(handshake(&c, &s, &ss), SEC_E_OK);
    ck_assert_int_eq(ss, SEC_E_OK);
    expect_negotiated(&c.ctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    expect_negotiated(&s.ctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    sign_pair(&c.ctx, &s.ctx);
    sign_pair(&s.ctx, &c.ctx);
    SecPkgContext_PackageInfoA pi;
    ck_assert_int_eq(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, "Negotiate");
    FreeContextBuffer(pi.PackageInfo);
    SecPkgContext_PackageInfoW pw;
    ck_assert_int_eq(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_NEGOTIATION_PACKAGE, &pw),
                     SEC_E_OK);
    ck_assert_mem_eq(pw.PackageInfo->Name, u"NTLM", 10);
    FreeContextBuffer(pw.PackageInfo);
    ck_assert_int_eq(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_NEGOTIATION_PACKAGE, &pi),
                     SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, "NTLM");
    FreeContextBuffer(pi.PackageInfo);
    release(&c);
    release(&s);
}
END_TEST

/* ---- selection ---------------------------------------------------------------------- */

START_TEST(test_third_party_package_negotiated)
{
    struct side c, s;
    SECURITY_STATUS ss;

    client(&c, "Negotiate", "mocknego", ISC_REQ_INTEGRITY);
    server(&s, ASC_REQ_INTEGRITY);
    ck_assert_int_eq(handshake(&c, &s, &ss), SEC_E_OK);
    ck_assert_int_eq(ss, SEC_E_OK);
    expect_negotiated(&c.ctx, "MockNego", SECPKG_NEGOTIATION_COMPLETE);
    expect_negotiated(&s.ctx, "MockNego", SECPKG_NEGOTIATION_COMPLETE);
    sign_pair(&c.ctx, &s.ctx);
    sign_pair(&s.ctx, &c.ctx);
    release(&c);
    release(&s);
}
END_TEST

/* The first configured negotiable package goes first.  The configuration
 * is read once per process, so each order runs in a child of its own. */
/* In a fresh process (this program again, so libsspi loads `conf` from
 * scratch even when the tests run without fork, also under valgrind):
 * exit 0 when Negotiate's
 * first leg is optimistic with package `name`. */
static int order_probe(const char *name)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity(NULL);
    SecPkgContext_NegotiationInfoA ni;
    CredHandle h;
    CtxtHandle ctx;
    uint8_t out[4096];
    SecBuffer ob = {sizeof(out), SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attr;
    TimeStamp ts;

    if (AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                  &h, &ts) != SEC_E_OK ||
        InitializeSecurityContextA(&h, NULL, NULL, ISC_REQ_INTEGRITY, 0, 0, NULL, 0, &ctx, &od,
                                   &attr, &ts) != SEC_I_CONTINUE_NEEDED ||
        QueryContextAttributesA(&ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni) != SEC_E_OK)
        return 2;
    int same = strcmp(ni.PackageInfo->Name, name) == 0 &&
               ni.NegotiationState == SECPKG_NEGOTIATION_OPTIMISTIC;
    FreeContextBuffer(ni.PackageInfo);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&h);
    return same ? 0 : 1;
}

static char self_path[4096]; /* this program, for order_probe */

static int optimistic_package_is(const char *conf, const char *name)
{
    pid_t pid = fork();
    int status = -1;

    if (pid == 0) {
        setenv("LIBSSPI_CONFIG", conf, 1);
        setenv("NEGO_ORDER_PROBE", name, 1);
        execl(self_path, self_path, (char *)NULL);
        _exit(3);
    }
    if (pid > 0)
        waitpid(pid, &status, 0);
    return status;
}

START_TEST(test_configured_order_is_preference)
{
    ck_assert_int_eq(optimistic_package_is(conf_ntlm_first, "NTLM"), 0);
    ck_assert_int_eq(optimistic_package_is(conf_mock_first, "MockNego"), 0);
}
END_TEST

START_TEST(test_everything_excluded)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity("!ntlm,!mocknego");
    CredHandle h;
    TimeStamp ts;

    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id,
                                               NULL, NULL, &h, &ts),
                     SEC_E_NO_CREDENTIALS);
}
END_TEST

/* ---- acceptor ----------------------------------------------------------------------- */

START_TEST(test_raw_ntlmssp_to_negotiate_acceptor)
{
    struct side c, s;
    SECURITY_STATUS ss;

    client(&c, "NTLM", NULL, ISC_REQ_INTEGRITY);
    server(&s, ASC_REQ_INTEGRITY);
    ck_assert_int_eq(handshake(&c, &s, &ss), SEC_E_OK);
    ck_assert_int_eq(ss, SEC_E_OK);
    expect_negotiated(&s.ctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    sign_pair(&c.ctx, &s.ctx);
    sign_pair(&s.ctx, &c.ctx);
    release(&c);
    release(&s);
}
END_TEST

START_TEST(test_server_speaks_first)
{
    struct side c, s;

    client(&c, "Negotiate", NULL, ISC_REQ_INTEGRITY);
    server(&s, ASC_REQ_INTEGRITY);
    ck_assert_int_eq(step(&s, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(s.out[0], 0x60); /* a framed NegTokenInit2 */
    ck_assert_int_eq(step(&c, &s), SEC_I_CONTINUE_NEEDED);
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    for (int i = 0; i < 6 && c.out_len > 0; i++) {
        ss = step(&s, &c);
        ck_assert(SEC_SUCCESS(ss));
        if (s.out_len == 0)
            break;
        cs = step(&c, &s);
        ck_assert(SEC_SUCCESS(cs));
    }
    ck_assert_int_eq(cs, SEC_E_OK);
    ck_assert_int_eq(ss, SEC_E_OK);
    sign_pair(&c.ctx, &s.ctx);
    release(&c);
    release(&s);
}
END_TEST

START_TEST(test_garbage_first_tokens)
{
    static const char *const garbage[] = {"\x60", "\xa1\x03\x30\x01", "NTLMSSP", "hello world",
                                          "\x60\x0f\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
                                          "\x01\x00\x6e\x00"};
    struct side s, fake;

    server(&s, 0);
    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
        memset(&fake, 0, sizeof(fake));
        fake.out_len = (ULONG)strlen(garbage[i]);
        if (i == 4)
            fake.out_len = 17;
        memcpy(fake.out, garbage[i], fake.out_len);
        ck_assert_int_eq(step(&s, &fake), SEC_E_INVALID_TOKEN);
        ck_assert(!s.have_ctx);
    }
    release(&s);
}
END_TEST

/* ---- after completion ---------------------------------------------------------------- */

START_TEST(test_calls_before_completion)
{
    struct side c;
    uint8_t sig[16], data[4] = "abc";
    SecBuffer b[2] = {{4, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecBuffer packed;

    client(&c, "Negotiate", NULL, ISC_REQ_INTEGRITY);
    ck_assert_int_eq(step(&c, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(MakeSignature(&c.ctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(EncryptMessage(&c.ctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(ExportSecurityContext(&c.ctx, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    release(&c);
    ck_assert_int_eq(DeleteSecurityContext(&c.ctx), SEC_E_INVALID_HANDLE); /* double delete */
}
END_TEST

START_TEST(test_export_import)
{
    struct side c, s;
    SECURITY_STATUS ss;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle imported;

    client(&c, "Negotiate", NULL, ISC_REQ_INTEGRITY);
    server(&s, ASC_REQ_INTEGRITY);
    ck_assert_int_eq(handshake(&c, &s, &ss), SEC_E_OK);
    ck_assert_int_eq(ExportSecurityContext(&c.ctx, 0, &packed, NULL), SEC_E_OK);
    ck_assert_int_eq(ImportSecurityContextA("Negotiate", &packed, NULL, &imported), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    sign_pair(&imported, &s.ctx);
    expect_negotiated(&imported, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_int_eq(DeleteSecurityContext(&imported), SEC_E_OK);
    release(&c);
    release(&s);
}
END_TEST

struct signer {
    CtxtHandle *ctx;
    int ok;
};

static void *sign_loop(void *arg)
{
    struct signer *w = arg;
    uint8_t data[64] = {0}, sig[16];

    for (int i = 0; i < 2000; i++) {
        SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        if (MakeSignature(w->ctx, 0, &d, 0) == SEC_E_OK)
            w->ok++;
    }
    return NULL;
}

/* The direct per-message path takes no lock of its own: two threads may
 * sign on one context (the sibling serialises what it must). */
START_TEST(test_two_threads_sign)
{
    struct side c, s;
    SECURITY_STATUS ss;
    pthread_t t[2];
    struct signer w[2] = {{&c.ctx, 0}, {&c.ctx, 0}};

    client(&c, "Negotiate", "mocknego", ISC_REQ_INTEGRITY);
    server(&s, ASC_REQ_INTEGRITY);
    ck_assert_int_eq(handshake(&c, &s, &ss), SEC_E_OK);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, sign_loop, &w[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(w[0].ok + w[1].ok, 4000);
    release(&c);
    release(&s);
}
END_TEST

static Suite *package_suite(void)
{
    Suite *s = suite_create("negotiate-package");
    TCase *tc = tcase_create("identity");

    tcase_add_test(tc, test_package_identity);
    tcase_add_test(tc, test_windows_authentication_loop);
    tcase_add_test(tc, test_ntlm_with_integrity);
    suite_add_tcase(s, tc);

    tc = tcase_create("selection");
    tcase_add_test(tc, test_third_party_package_negotiated);
    tcase_add_test(tc, test_configured_order_is_preference);
    tcase_add_test(tc, test_everything_excluded);
    suite_add_tcase(s, tc);

    tc = tcase_create("acceptor");
    tcase_add_test(tc, test_raw_ntlmssp_to_negotiate_acceptor);
    tcase_add_test(tc, test_server_speaks_first);
    tcase_add_test(tc, test_garbage_first_tokens);
    suite_add_tcase(s, tc);

    tc = tcase_create("context");
    tcase_add_test(tc, test_calls_before_completion);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_two_threads_sign);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    const char *probe = getenv("NEGO_ORDER_PROBE");

    if (probe != NULL)
        return order_probe(probe);
    if (argc < 1 || realpath(argv[0], self_path) == NULL)
        return EXIT_FAILURE;
    environment();
    SRunner *sr = srunner_create(package_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(users_path);
    unlink(conf_mock_first);
    unlink(conf_ntlm_first);
    rmdir(tmpdir);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
