/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
#include "nego-sspi.h"
#include "spnego-peer.h"

#define USER       "alice"
#define DOMAIN     "EXAMPLE"
#define PASSWORD   "Passw0rd"
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

static SECURITY_STATUS sspi_client(struct nego_sspi *s, const char *user, const char *password,
                                   const char *package_list)
{
    return nego_sspi_client(s, user, DOMAIN, password, package_list, TARGET_SPN);
}

/* ---- NTLM chosen ------------------------------------------------------------------- */

START_TEST(test_sspi_client_mit_server_ntlm)
{
    struct nego_sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, NULL), SEC_E_OK);
    ck_assert_msg(spnego_server(&g, SPNEGO_NTLM) == GSS_S_COMPLETE, "%s", spnego_error(&g));
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_str_eq(spnego_mech_name(&g), "ntlm");
    char *who = spnego_src_name(&g);
    ck_assert_ptr_nonnull(who);
    ck_assert_ptr_nonnull(strstr(who, USER));
    free(who);
    nego_sspi_negotiated(&c, "NTLM");
    nego_pair_with_mit(&c, &g, false, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&c);
}
END_TEST

START_TEST(test_mit_client_sspi_server_ntlm)
{
    struct nego_sspi s;
    struct spnego_peer g;
    char user[64];

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    ck_assert_msg(spnego_client(&g, user, PASSWORD, TARGET_GSS, SPNEGO_NTLM,
                                GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG) ==
                      GSS_S_COMPLETE,
                  "%s", spnego_error(&g));
    struct nego_result r = nego_run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    nego_sspi_negotiated(&s, "NTLM");
    SecPkgContext_NamesA names;
    ck_assert_int_eq(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_ptr_nonnull(strstr(names.sUserName, USER));
    FreeContextBuffer(names.sUserName);
    nego_pair_with_mit(&s, &g, false, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&s);
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
    struct nego_sspi s;
    struct spnego_peer g;
    char user[64];

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    ck_assert_int_eq(spnego_client(&g, user, PASSWORD, TARGET_GSS, SPNEGO_NTLM,
                                   GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG),
                     GSS_S_COMPLETE);
    struct nego_result r = nego_run_mit_to_sspi(&g, &s, flip_last_byte);
    ck_assert_int_eq(r.sspi, SEC_E_MESSAGE_ALTERED);
    spnego_peer_free(&g);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_tampered_mic_to_mit)
{
    struct nego_sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, NULL), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, flip_last_byte);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    nego_sspi_free(&c);
}
END_TEST

START_TEST(test_wrong_password_both_ways)
{
    struct nego_sspi c, s;
    struct spnego_peer g;
    char user[64];

    ck_assert_int_eq(sspi_client(&c, USER, "not-the-password", NULL), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    nego_sspi_free(&c);

    snprintf(user, sizeof(user), "%s\\%s", DOMAIN, USER);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    ck_assert_int_eq(
        spnego_client(&g, user, "not-the-password", TARGET_GSS, SPNEGO_NTLM, GSS_C_INTEG_FLAG),
        GSS_S_COMPLETE);
    r = nego_run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_LOGON_DENIED);
    spnego_peer_free(&g);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_excluded_packages)
{
    struct nego_sspi c;

    /* NTLM excluded and no Kerberos ticket: nothing left. */
    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "!ntlm"), SEC_E_NO_CREDENTIALS);
    /* Only NTLM allowed: an NTLM-only offer. */
    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "ntlm"), SEC_E_OK);
    nego_sspi_free(&c);
}
END_TEST

/* The MIT acceptor takes Kerberos only; libsspi offers NTLM only. */
START_TEST(test_no_common_mechanism)
{
    struct nego_sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(sspi_client(&c, USER, PASSWORD, "ntlm"), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_KRB5), GSS_S_COMPLETE);
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    nego_sspi_free(&c);
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
