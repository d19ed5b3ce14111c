/*
 * check-negotiate-interop.c - the Negotiate package against MIT krb5's
 * SPNEGO (with gss-ntlmssp registered through GSS_MECH_CONFIG), both ways:
 * libsspi initiator <-> MIT acceptor and MIT initiator <-> libsspi
 * acceptor, with NTLM chosen, then every per-message pairing
 * (MakeSignature/gss_verify_mic, gss_get_mic/VerifySignature,
 * EncryptMessage/gss_unwrap, gss_wrap/DecryptMessage) over several
 * messages; tampered mechListMICs, wrong passwords, excluded packages and
 * no common mechanism.
 *
 * Needs: gss-ntlmssp (Debian gss-ntlmssp), the negotiate and ntlm plugins
 * of this build (LIBSSPI_TEST_PKGDIR).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sspi.h"
#include "gss-peer.h"
#include "spnego-peer.h"

#define USER "alice"
#define DOMAIN "EXAMPLE"
#define PASSWORD "Passw0rd"
#define TARGET_SPN "HTTP/server.example"
#define TARGET_GSS "HTTP@server.example"

static char tmpdir[] = "/tmp/nego-interop.XXXXXX";
static char users_path[4200], conf_path[4200], mech_path[4200];

/* ---- environment --------------------------------------------------------------- */

/* Setup runs before Check does: failures are reported and fatal. */
static void die(const char *what)
{
    fprintf(stderr, "check-negotiate-interop: %s\n", what);
    exit(EXIT_FAILURE);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        die(path);
}

static void environment(void)
{
    char text[9000], err[256];
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");

    if (mkdtemp(tmpdir) == NULL || pkgdir == NULL)
        die("mkdtemp, or LIBSSPI_TEST_PKGDIR unset");
    snprintf(users_path, sizeof(users_path), "%s/users", tmpdir);
    snprintf(conf_path, sizeof(conf_path), "%s/sspi.conf", tmpdir);
    snprintf(mech_path, sizeof(mech_path), "%s/mech.conf", tmpdir);
    write_file(users_path, DOMAIN ":" USER ":" PASSWORD "\n");
    snprintf(text, sizeof(text),
             "autoload = no\ndropin_dir = none\n"
             "[module]\nmodule = %s/ntlm/.libs/ntlm.so\noption.user_file = %s\n"
             "[module]\nmodule = %s/negotiate/.libs/negotiate.so\n",
             pkgdir, users_path, pkgdir);
    write_file(conf_path, text);
    setenv("LIBSSPI_CONFIG", conf_path, 1);
    setenv("NTLM_USER_FILE", users_path, 1);
    setenv("KRB5_CONFIG", "/dev/null", 1);
    setenv("KRB5CCNAME", "MEMORY:nego-interop-empty", 1);
    if (interop_gss_setup_mech(mech_path, err, sizeof(err)) != 0)
        die(err);
}

/* ---- the SSPI side --------------------------------------------------------------- */

struct sspi {
    CredHandle cred;
    CtxtHandle ctx;
    bool server, have_ctx;
    SECURITY_STATUS status;
    ULONG attr;
};

static SECURITY_STATUS sspi_client(struct sspi *s, const char *user, const char *password,
                                   const char *package_list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(SEC_WINNT_AUTH_IDENTITY_EXA),
                                      .User = (unsigned char *)user,
                                      .UserLength = user ? (ULONG)strlen(user) : 0,
                                      .Domain = (unsigned char *)DOMAIN,
                                      .DomainLength = sizeof(DOMAIN) - 1,
                                      .Password = (unsigned char *)password,
                                      .PasswordLength = password ? (ULONG)strlen(password) : 0,
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
                                      .PackageList = (unsigned char *)package_list,
                                      .PackageListLength =
                                          package_list ? (ULONG)strlen(package_list) : 0};
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    return s->status = AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id,
                                                 NULL, NULL, &s->cred, &ts);
}

static SECURITY_STATUS sspi_server(struct sspi *s)
{
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    s->server = true;
    return s->status = AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL,
                                                 NULL, NULL, &s->cred, &ts);
}

#define REQ_FLAGS (ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT)
#define ASC_FLAGS (ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_SEQUENCE_DETECT)

/* One leg; *out is a malloc()ed copy (NULL when empty). */
static SECURITY_STATUS sspi_step(struct sspi *s, const void *in, size_t in_len, void **out,
                                 size_t *out_len)
{
    SecBuffer ib = {(ULONG)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    TimeStamp ts;

    if (s->server)
        s->status = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &id,
                                          ASC_FLAGS | ASC_REQ_ALLOCATE_MEMORY, SECURITY_NATIVE_DREP,
                                          &s->ctx, &od, &s->attr, &ts);
    else
        s->status = InitializeSecurityContextA(
            &s->cred, s->have_ctx ? &s->ctx : NULL, TARGET_SPN, REQ_FLAGS | ISC_REQ_ALLOCATE_MEMORY,
            0, SECURITY_NATIVE_DREP, in ? &id : NULL, 0, &s->ctx, &od, &s->attr, &ts);
    if (SEC_SUCCESS(s->status))
        s->have_ctx = true;
    *out = NULL;
    *out_len = 0;
    if (ob.pvBuffer != NULL && ob.cbBuffer > 0) {
        *out = malloc(ob.cbBuffer);
        memcpy(*out, ob.pvBuffer, ob.cbBuffer);
        *out_len = ob.cbBuffer;
    }
    if (ob.pvBuffer != NULL)
        FreeContextBuffer(ob.pvBuffer);
    return s->status;
}

static void sspi_free(struct sspi *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    FreeCredentialsHandle(&s->cred);
    memset(s, 0, sizeof(*s));
}

/* ---- exchanges ---------------------------------------------------------------------- */

/* A token in flight, with a hook to damage it on the way. */
typedef void (*tamper_fn)(uint8_t *tok, size_t len, int leg);

struct result {
    SECURITY_STATUS sspi;
    OM_uint32 gss;
    int legs;
};

/* libsspi initiator, MIT acceptor. */
static struct result run_sspi_to_mit(struct sspi *c, struct spnego_peer *g, tamper_fn tamper)
{
    struct result r = {SEC_I_CONTINUE_NEEDED, GSS_S_CONTINUE_NEEDED, 0};
    void *tok = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    r.sspi = sspi_step(c, NULL, 0, &tok, &len);
    while (SEC_SUCCESS(r.sspi) && r.legs < 10) {
        if (len == 0)
            break;
        if (tamper)
            tamper(tok, len, r.legs);
        r.gss = spnego_step(g, tok, len, &back, &blen);
        r.legs++;
        free(tok);
        tok = NULL;
        if (GSS_ERROR(r.gss) || blen == 0)
            break;
        if (r.sspi == SEC_E_OK && r.gss == GSS_S_COMPLETE) {
            /* MIT's last word (its MIC) after our completion. */
            r.sspi = sspi_step(c, back, blen, &tok, &len);
            break;
        }
        r.sspi = sspi_step(c, back, blen, &tok, &len);
        free(back);
        back = NULL;
        if (r.sspi == SEC_E_OK && len == 0)
            break;
    }
    free(tok);
    free(back);
    return r;
}

/* MIT initiator, libsspi acceptor. */
static struct result run_mit_to_sspi(struct spnego_peer *g, struct sspi *s, tamper_fn tamper)
{
    struct result r = {SEC_I_CONTINUE_NEEDED, GSS_S_CONTINUE_NEEDED, 0};
    void *tok = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    r.gss = spnego_step(g, NULL, 0, &tok, &len);
    while (!GSS_ERROR(r.gss) && len > 0 && r.legs < 10) {
        if (tamper)
            tamper(tok, len, r.legs);
        r.sspi = sspi_step(s, tok, len, &back, &blen);
        r.legs++;
        free(tok);
        tok = NULL;
        len = 0;
        if (!SEC_SUCCESS(r.sspi) || blen == 0)
            break;
        r.gss = spnego_step(g, back, blen, &tok, &len);
        free(back);
        back = NULL;
    }
    free(tok);
    free(back);
    return r;
}

/* ---- per-message pairings --------------------------------------------------------- */

static void sspi_sizes(struct sspi *s, SecPkgContext_Sizes *sz)
{
    ck_assert_int_eq(QueryContextAttributesA(&s->ctx, SECPKG_ATTR_SIZES, sz), SEC_E_OK);
}

/* MakeSignature -> gss_verify_mic, and gss_get_mic -> VerifySignature. */
static void signatures(struct sspi *s, struct spnego_peer *g, int rounds)
{
    SecPkgContext_Sizes sz;

    sspi_sizes(s, &sz);
    for (int i = 0; i < rounds; i++) {
        char msg[64];
        uint8_t sig[128];
        int n = snprintf(msg, sizeof(msg), "message %d from libsspi", i);
        SecBuffer b[2] = {{(ULONG)n, SECBUFFER_DATA, msg},
                          {sz.cbMaxSignature, SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_int_eq(MakeSignature(&s->ctx, 0, &d, 0), SEC_E_OK);
        ck_assert_msg(spnego_verify_mic(g, msg, (size_t)n, sig, b[1].cbBuffer) == GSS_S_COMPLETE,
                      "gss_verify_mic %d: %s", i, spnego_error(g));

        void *mic;
        size_t mlen;
        n = snprintf(msg, sizeof(msg), "message %d from MIT", i);
        ck_assert_int_eq(spnego_get_mic(g, msg, (size_t)n, &mic, &mlen), GSS_S_COMPLETE);
        SecBuffer v[2] = {{(ULONG)n, SECBUFFER_DATA, msg}, {(ULONG)mlen, SECBUFFER_TOKEN, mic}};
        SecBufferDesc vd = {SECBUFFER_VERSION, 2, v};
        ULONG qop;
        ck_assert_int_eq(VerifySignature(&s->ctx, &vd, 0, &qop), SEC_E_OK);
        free(mic);
    }
}

/* EncryptMessage -> gss_unwrap, gss_wrap -> DecryptMessage (NTLM layout:
 * the 16-byte signature then the sealed data). */
static void sealing(struct sspi *s, struct spnego_peer *g, int rounds)
{
    SecPkgContext_Sizes sz;

    sspi_sizes(s, &sz);
    for (int i = 0; i < rounds; i++) {
        uint8_t buf[256];
        char text[64];
        int n = snprintf(text, sizeof(text), "sealed %d from libsspi", i);
        memcpy(buf + sz.cbSecurityTrailer, text, (size_t)n);
        SecBuffer b[2] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, buf},
                          {(ULONG)n, SECBUFFER_DATA, buf + sz.cbSecurityTrailer}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_int_eq(EncryptMessage(&s->ctx, 0, &d, 0), SEC_E_OK);
        void *plain;
        size_t plen;
        int conf;
        ck_assert_msg(spnego_unwrap(g, buf, b[0].cbBuffer + (size_t)n, &plain, &plen, &conf) ==
                          GSS_S_COMPLETE,
                      "gss_unwrap %d: %s", i, spnego_error(g));
        ck_assert_uint_eq(plen, (size_t)n);
        ck_assert_mem_eq(plain, text, (size_t)n);
        ck_assert_int_eq(conf, 1);
        free(plain);

        void *wrapped;
        size_t wlen;
        n = snprintf(text, sizeof(text), "sealed %d from MIT", i);
        ck_assert_int_eq(spnego_wrap(g, true, text, (size_t)n, &wrapped, &wlen), GSS_S_COMPLETE);
        ck_assert_uint_gt(wlen, sz.cbSecurityTrailer);
        SecBuffer u[2] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, wrapped},
                          {(ULONG)(wlen - sz.cbSecurityTrailer), SECBUFFER_DATA,
                           (uint8_t *)wrapped + sz.cbSecurityTrailer}};
        SecBufferDesc ud = {SECBUFFER_VERSION, 2, u};
        ULONG qop;
        ck_assert_int_eq(DecryptMessage(&s->ctx, &ud, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(u[1].cbBuffer, (ULONG)n);
        ck_assert_mem_eq(u[1].pvBuffer, text, (size_t)n);
        free(wrapped);
    }
}

static void negotiated(struct sspi *s, const char *package)
{
    SecPkgContext_NegotiationInfoA ni;

    ck_assert_int_eq(QueryContextAttributesA(&s->ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, package);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
}

/* ---- NTLM chosen ------------------------------------------------------------------- */

START_TEST(test_sspi_client_mit_server_ntlm)
{
    struct sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, NULL), SEC_E_OK);
    ck_assert_msg(spnego_server(&g, SPNEGO_NTLM) == GSS_S_COMPLETE, "%s", spnego_error(&g));
    struct result r = run_sspi_to_mit(&c, &g, NULL);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_str_eq(spnego_mech_name(&g), "ntlm");
    char *who = spnego_src_name(&g);
    ck_assert_ptr_nonnull(who);
    ck_assert_ptr_nonnull(strstr(who, USER));
    free(who);
    negotiated(&c, "NTLM");
    signatures(&c, &g, 3);
    sealing(&c, &g, 3);
    spnego_peer_free(&g);
    sspi_free(&c);
}
END_TEST

START_TEST(test_mit_client_sspi_server_ntlm)
{
    struct sspi s;
    struct spnego_peer g;
    char user[64];

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(sspi_server(&s), SEC_E_OK);
    ck_assert_msg(spnego_client(&g, user, PASSWORD, TARGET_GSS, SPNEGO_NTLM,
                                GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG) ==
                      GSS_S_COMPLETE,
                  "%s", spnego_error(&g));
    struct result r = run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    negotiated(&s, "NTLM");
    SecPkgContext_NamesA names;
    ck_assert_int_eq(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_ptr_nonnull(strstr(names.sUserName, USER));
    FreeContextBuffer(names.sUserName);
    signatures(&s, &g, 3);
    sealing(&s, &g, 3);
    spnego_peer_free(&g);
    sspi_free(&s);
}
END_TEST

/* ---- failures ---------------------------------------------------------------------- */

static void flip_last_byte(uint8_t *tok, size_t len, int leg)
{
    /* The initiator's AUTHENTICATE leg carries its mechListMIC last. */
    if (leg == 1)
        tok[len - 1] ^= 0x01;
}

START_TEST(test_tampered_mic_from_mit)
{
    struct sspi s;
    struct spnego_peer g;
    char user[64];

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(sspi_server(&s), SEC_E_OK);
    ck_assert_int_eq(spnego_client(&g, user, PASSWORD, TARGET_GSS, SPNEGO_NTLM,
                                   GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG),
                     GSS_S_COMPLETE);
    struct result r = run_mit_to_sspi(&g, &s, flip_last_byte);
    ck_assert_int_eq(r.sspi, SEC_E_MESSAGE_ALTERED);
    spnego_peer_free(&g);
    sspi_free(&s);
}
END_TEST

START_TEST(test_tampered_mic_to_mit)
{
    struct sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, NULL), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    struct result r = run_sspi_to_mit(&c, &g, flip_last_byte);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    sspi_free(&c);
}
END_TEST

START_TEST(test_wrong_password_both_ways)
{
    struct sspi c, s;
    struct spnego_peer g;
    char user[64];

    ck_assert_int_eq(sspi_client(&c, USER, "not-the-password", NULL), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    struct result r = run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    sspi_free(&c);

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(sspi_server(&s), SEC_E_OK);
    ck_assert_int_eq(
        spnego_client(&g, user, "not-the-password", TARGET_GSS, SPNEGO_NTLM, GSS_C_INTEG_FLAG),
        GSS_S_COMPLETE);
    r = run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_LOGON_DENIED);
    spnego_peer_free(&g);
    sspi_free(&s);
}
END_TEST

START_TEST(test_excluded_packages)
{
    struct sspi c;

    /* NTLM excluded and no Kerberos ticket: nothing left. */
    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "!ntlm"), SEC_E_NO_CREDENTIALS);
    /* Only NTLM allowed: an NTLM-only offer. */
    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "ntlm"), SEC_E_OK);
    sspi_free(&c);
}
END_TEST

/* The MIT acceptor takes Kerberos only; libsspi offers NTLM only. */
START_TEST(test_no_common_mechanism)
{
    struct sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "ntlm"), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_KRB5), GSS_S_COMPLETE);
    struct result r = run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    sspi_free(&c);
}
END_TEST

static Suite *interop_suite(void)
{
    Suite *s = suite_create("negotiate-interop");
    TCase *tc = tcase_create("ntlm");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sspi_client_mit_server_ntlm);
    tcase_add_test(tc, test_mit_client_sspi_server_ntlm);
    suite_add_tcase(s, tc);

    tc = tcase_create("failures");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tampered_mic_from_mit);
    tcase_add_test(tc, test_tampered_mic_to_mit);
    tcase_add_test(tc, test_wrong_password_both_ways);
    tcase_add_test(tc, test_excluded_packages);
    tcase_add_test(tc, test_no_common_mechanism);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    environment();
    SRunner *sr = srunner_create(interop_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(users_path);
    unlink(conf_path);
    unlink(mech_path);
    rmdir(tmpdir);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
