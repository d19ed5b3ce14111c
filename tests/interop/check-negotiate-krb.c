/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-negotiate-krb.c - the Negotiate package with Kerberos in play: a
 * real MIT KDC (src/tools/sspi-test-realm, through krb-test.c), MIT's
 * SPNEGO with gss-ntlmssp registered through GSS_MECH_CONFIG as the
 * independent peer, and libsspi on both sides.
 *
 *   Kerberos chosen: libsspi <-> libsspi, libsspi -> MIT acceptor,
 *     MIT initiator -> libsspi, each followed by the per-message pairings;
 *     the acceptor echoes the initiator's Kerberos OID (the Microsoft one
 *     when that came first).
 *   Kerberos -> NTLM re-selection: the acceptor has no Kerberos (MIT
 *     narrowed to NTLMSSP, libsspi with PackageList "ntlm"); the initiator
 *     drops its optimistic Kerberos token and finishes with NTLM and the
 *     mandatory mechListMICs, all three pairings.
 *   Fallback before sending: unknown SPN, no ticket, unreachable KDC ->
 *     the first token offers NTLM only.
 *   PackageList: "!kerberos" never reaches the KDC (its log is unchanged),
 *     "kerberos,!ntlm" with no usable ticket fails without a token.
 *   Failures: tampered mechListMIC after re-selection (both directions),
 *     wrong password, no common mechanism (both directions).
 *
 * Skips (77) when the MIT KDC tools are not installed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gss-peer.h"
#include "krb-test.h"
#include "nego-sspi.h"
#include "spnego-peer.h"

#define UNKNOWN_SPN "host/nowhere.example"
#define GSS_FLAGS   (GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_MUTUAL_FLAG)

static const uint8_t oid_krb5[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_krb5_ms[] = {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_ntlm[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

static char conf_path[1200], users_path[1200], mech_path[1200], kdc_log[1200];

static void die(const char *what)
{
    fprintf(stderr, "check-negotiate-krb: %s\n", what);
    kt_realm_stop();
    exit(EXIT_FAILURE);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        die(path);
}

/* libsspi with Kerberos, NTLM (its users: the realm's user, also under
 * the unreachable realm) and Negotiate; gss-ntlmssp with the same users. */
static void environment(void)
{
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");
    const char *dir = kt_realm_dir();
    char text[6000], err[256];

    if (pkgdir == NULL)
        die("LIBSSPI_TEST_PKGDIR unset");
    snprintf(users_path, sizeof(users_path), "%s/ntlm-users", dir);
    snprintf(conf_path, sizeof(conf_path), "%s/sspi-negotiate.conf", dir);
    snprintf(mech_path, sizeof(mech_path), "%s/mech.conf", dir);
    snprintf(kdc_log, sizeof(kdc_log), "%s/kdc.log", dir);
    write_file(users_path, KT_REALM ":" KT_USER ":" KT_PASSWORD "\n"
                                    "DEAD.TEST:" KT_USER ":" KT_PASSWORD "\n");
    snprintf(text, sizeof(text),
             "autoload = no\ndropin_dir = none\n"
             "[module]\nmodule = %s/kerberos/.libs/kerberos.so\n"
             "[module]\nmodule = %s/ntlm/.libs/ntlm.so\noption.user_file = %s\n"
             "[module]\nmodule = %s/negotiate/.libs/negotiate.so\n",
             pkgdir, pkgdir, users_path, pkgdir);
    write_file(conf_path, text);
    setenv("LIBSSPI_CONFIG", conf_path, 1);
    setenv("NTLM_USER_FILE", users_path, 1);
    if (interop_gss_setup_mech(mech_path, err, sizeof(err)) != 0)
        die(err);
}

static void ck_oid(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
    ck_assert_uint_eq(got_len, want_len);
    ck_assert_mem_eq(got, want, want_len);
}

/* The acceptor's first answer names `want` as supportedMech. */
static void ck_supported_mech(const struct nego_result *r, const uint8_t *want, size_t want_len)
{
    const uint8_t *oid;
    size_t n;

    ck_assert_msg(nego_resp_supported_mech(r->reply, r->reply_len, &oid, &n),
                  "no supportedMech in the acceptor's first token (%zu bytes)", r->reply_len);
    ck_oid(oid, n, want, want_len);
}

/* The first token of an initiator, as seen in flight. */
static uint8_t first_token[8192];
static size_t first_token_len;

static void capture_first(uint8_t *tok, size_t len, int leg)
{
    if (leg == 0 && len <= sizeof(first_token)) {
        memcpy(first_token, tok, len);
        first_token_len = len;
    }
}

static bool first_token_has(const uint8_t *oid, size_t oid_len)
{
    for (size_t i = 0; i + 2 + oid_len <= first_token_len; i++)
        if (first_token[i] == 0x06 && first_token[i + 1] == oid_len &&
            memcmp(first_token + i + 2, oid, oid_len) == 0)
            return true;
    return false;
}

static void names_is(struct nego_sspi *s, const char *want)
{
    SecPkgContext_NamesA n;

    ck_assert_int_eq(QueryContextAttributesA(&s->ctx, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, want);
    FreeContextBuffer(n.sUserName);
}

/* ---- Kerberos chosen ------------------------------------------------------------ */

START_TEST(test_sspi_sspi_kerberos)
{
    struct nego_sspi c, s;

    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    c.req |= ISC_REQ_MUTUAL_AUTH;
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    first_token_len = 0;
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, capture_first);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_int_eq(r.sspi2, SEC_E_OK);
    /* AES Kerberos with mutual authentication, as Windows: the AP-REP comes with
     * accept-incomplete and the acceptor's mechListMIC, the initiator completes
     * with its own MIC (that message can carry CredSSP's pubKeyAuth), and the
     * acceptor's accept-completed ends it: four tokens. */
    ck_assert_int_eq(r.legs, 4);
    ck_assert_uint_ge(r.reply_len, 9);
    ck_assert_mem_eq(r.reply + 6, "\xa0\x03\x0a\x01\x01",
                     5); /* a1 81 .. 30 81 .., accept-incomplete */
    /* Offered as Windows does: the Microsoft OID first, then the standard one, then NTLM. */
    ck_assert(first_token_has(oid_krb5_ms, sizeof(oid_krb5_ms)));
    ck_assert(first_token_has(oid_krb5, sizeof(oid_krb5)));
    ck_assert(first_token_has(oid_ntlm, sizeof(oid_ntlm)));
    ck_supported_mech(&r, oid_krb5_ms, sizeof(oid_krb5_ms));
    ck_assert(c.attr & ISC_RET_MUTUAL_AUTH);
    nego_sspi_negotiated(&c, "Kerberos");
    nego_sspi_negotiated(&s, "Kerberos");
    names_is(&s, KT_USER "@" KT_REALM);
    nego_pair_sspi(&c, &s, 3);
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_sspi_client_mit_acceptor_kerberos)
{
    struct nego_sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    c.req |= ISC_REQ_MUTUAL_AUTH;
    ck_assert_msg(spnego_server(&g, SPNEGO_KRB5_NTLM) == GSS_S_COMPLETE, "%s", spnego_error(&g));
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_str_eq(spnego_mech_name(&g), "krb5");
    /* MIT answers with the OID the initiator put first: Microsoft's. */
    ck_supported_mech(&r, oid_krb5_ms, sizeof(oid_krb5_ms));
    char *who = spnego_src_name(&g);
    ck_assert_str_eq(who, KT_USER "@" KT_REALM);
    free(who);
    nego_sspi_negotiated(&c, "Kerberos");
    nego_pair_with_mit(&c, &g, true, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&c);
}
END_TEST

START_TEST(test_mit_initiator_sspi_acceptor_kerberos)
{
    struct nego_sspi s;
    struct spnego_peer g;

    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    ck_assert_msg(spnego_client(&g, NULL, NULL, KT_GSS_TARGET, SPNEGO_KRB5_NTLM, GSS_FLAGS) ==
                      GSS_S_COMPLETE,
                  "%s", spnego_error(&g));
    struct nego_result r = nego_run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_assert_str_eq(spnego_mech_name(&g), "krb5");
    ck_supported_mech(&r, oid_krb5, sizeof(oid_krb5));
    nego_sspi_negotiated(&s, "Kerberos");
    names_is(&s, KT_USER "@" KT_REALM);
    nego_pair_with_mit(&s, &g, true, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&s);
}
END_TEST

/* ---- Kerberos -> NTLM re-selection --------------------------------------------- */

START_TEST(test_reselect_sspi_client_mit_acceptor)
{
    struct nego_sspi c;
    struct spnego_peer g;

    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    first_token_len = 0;
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, capture_first);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert(first_token_has(oid_krb5_ms, sizeof(oid_krb5_ms))); /* it was optimistic */
    ck_supported_mech(&r, oid_ntlm, sizeof(oid_ntlm));
    ck_assert_str_eq(spnego_mech_name(&g), "ntlm");
    nego_sspi_negotiated(&c, "NTLM");
    nego_pair_with_mit(&c, &g, false, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&c);
}
END_TEST

START_TEST(test_reselect_mit_initiator_sspi_acceptor)
{
    struct nego_sspi s;
    struct spnego_peer g;

    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    ck_assert_msg(spnego_client(&g, NULL, NULL, KT_GSS_TARGET, SPNEGO_KRB5_NTLM, GSS_FLAGS) ==
                      GSS_S_COMPLETE,
                  "%s", spnego_error(&g));
    struct nego_result r = nego_run_mit_to_sspi(&g, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_msg(r.gss == GSS_S_COMPLETE, "MIT: %s", spnego_error(&g));
    ck_supported_mech(&r, oid_ntlm, sizeof(oid_ntlm));
    ck_assert_str_eq(spnego_mech_name(&g), "ntlm");
    nego_sspi_negotiated(&s, "NTLM");
    nego_pair_with_mit(&s, &g, false, 3);
    spnego_peer_free(&g);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_reselect_sspi_sspi)
{
    struct nego_sspi c, s;

    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, NULL);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_int_eq(r.sspi2, SEC_E_OK);
    ck_supported_mech(&r, oid_ntlm, sizeof(oid_ntlm));
    nego_sspi_negotiated(&c, "NTLM");
    nego_sspi_negotiated(&s, "NTLM");
    nego_pair_sspi(&c, &s, 3);
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

/* ---- fallback before sending ----------------------------------------------------- */

/* The initiator (credential from `user`, NULL for the default) offers NTLM
 * only, and the exchange with a libsspi acceptor completes on NTLM. */
static void ntlm_from_the_start(const char *user, const char *domain, const char *target)
{
    struct nego_sspi c, s;

    ck_assert_int_eq(nego_sspi_client(&c, user, domain, user ? KT_PASSWORD : NULL, NULL, target),
                     SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    first_token_len = 0;
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, capture_first);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert_int_eq(r.sspi2, SEC_E_OK);
    ck_assert(first_token_has(oid_ntlm, sizeof(oid_ntlm)));
    ck_assert(!first_token_has(oid_krb5, sizeof(oid_krb5)));
    ck_assert(!first_token_has(oid_krb5_ms, sizeof(oid_krb5_ms)));
    nego_sspi_negotiated(&c, "NTLM");
    nego_sspi_negotiated(&s, "NTLM");
    nego_pair_sspi(&c, &s, 2);
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}

START_TEST(test_fallback_unknown_spn)
{
    ntlm_from_the_start(NULL, NULL, UNKNOWN_SPN);
}
END_TEST

START_TEST(test_fallback_no_ticket)
{
    char *saved = strdup(getenv("KRB5CCNAME"));

    setenv("KRB5CCNAME", "MEMORY:check-negotiate-krb-empty", 1);
    ntlm_from_the_start(NULL, NULL, KT_SPN);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
}
END_TEST

START_TEST(test_fallback_no_kdc)
{
    ntlm_from_the_start(KT_USER, "DEAD.TEST", KT_SPN);
}
END_TEST

/* ---- PackageList --------------------------------------------------------------- */

static long file_size(const char *path)
{
    FILE *f = fopen(path, "r");
    long n;

    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n;
}

START_TEST(test_package_list_excludes_kerberos)
{
    struct nego_sspi c, s;
    long before = file_size(kdc_log);

    /* An identity Kerberos could use, with a KDC that would answer. */
    ck_assert_int_eq(nego_sspi_client(&c, KT_USER, KT_REALM, KT_PASSWORD, "!kerberos", KT_SPN),
                     SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    first_token_len = 0;
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, capture_first);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert(!first_token_has(oid_krb5, sizeof(oid_krb5)));
    ck_assert(!first_token_has(oid_krb5_ms, sizeof(oid_krb5_ms)));
    nego_sspi_negotiated(&c, "NTLM");
    ck_assert_int_eq(file_size(kdc_log), before); /* the KDC heard nothing */
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_package_list_kerberos_only)
{
    struct nego_sspi c;
    void *tok;
    size_t len;

    /* Kerberos only and a service the KDC does not know: nothing to send. */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, "kerberos,!ntlm", UNKNOWN_SPN),
                     SEC_E_OK);
    SECURITY_STATUS st = nego_sspi_step(&c, NULL, 0, &tok, &len);
    ck_assert_msg(!SEC_SUCCESS(st), "status 0x%08x", (unsigned)st);
    ck_assert_ptr_null(tok);
    nego_sspi_free(&c);

    /* The same to a known service: Kerberos only on the wire. */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, "kerberos,!ntlm", KT_SPN), SEC_E_OK);
    first_token_len = 0;
    struct nego_sspi s;
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, capture_first);
    ck_assert_int_eq(r.sspi, SEC_E_OK);
    ck_assert(!first_token_has(oid_ntlm, sizeof(oid_ntlm)));
    nego_sspi_negotiated(&s, "Kerberos");
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

/* ---- failures -------------------------------------------------------------------- */

/* After re-selection the initiator's NTLM AUTHENTICATE leg (its third
 * token) ends with the mandatory mechListMIC. */
static void flip_mic_of_third(uint8_t *tok, size_t len, int leg)
{
    if (leg == 2)
        tok[len - 1] ^= 0x01;
}

/* In sspi-to-sspi legs count both directions: the third initiator token is leg 4. */
static void flip_mic_of_third_sspi(uint8_t *tok, size_t len, int leg)
{
    if (leg == 4)
        tok[len - 1] ^= 0x01;
}

START_TEST(test_tampered_mic_after_reselection)
{
    struct nego_sspi c, s;
    struct spnego_peer g;

    /* libsspi initiator -> MIT (NTLM only) */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_NTLM), GSS_S_COMPLETE);
    struct nego_result r = nego_run_sspi_to_mit(&c, &g, flip_mic_of_third);
    ck_assert_msg(GSS_ERROR(r.gss), "MIT accepted a damaged mechListMIC");
    spnego_peer_free(&g);
    nego_sspi_free(&c);

    /* MIT initiator -> libsspi (NTLM only) */
    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    ck_assert_int_eq(spnego_client(&g, NULL, NULL, KT_GSS_TARGET, SPNEGO_KRB5_NTLM, GSS_FLAGS),
                     GSS_S_COMPLETE);
    r = nego_run_mit_to_sspi(&g, &s, flip_mic_of_third);
    ck_assert_int_eq(r.sspi, SEC_E_MESSAGE_ALTERED);
    spnego_peer_free(&g);
    nego_sspi_free(&s);

    /* libsspi <-> libsspi */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    r = nego_run_sspi_to_sspi(&c, &s, flip_mic_of_third_sspi);
    ck_assert_int_eq(r.sspi2, SEC_E_MESSAGE_ALTERED);
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

START_TEST(test_wrong_password)
{
    struct nego_sspi c, s;
    struct spnego_peer g;

    /* The KDC refuses the password; NTLM is tried and refused too. */
    ck_assert_int_eq(nego_sspi_client(&c, KT_USER, KT_REALM, "wrong", NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, NULL), SEC_E_OK);
    struct nego_result r = nego_run_sspi_to_sspi(&c, &s, NULL);
    ck_assert_int_eq(r.sspi2, SEC_E_LOGON_DENIED);
    nego_sspi_free(&c);
    nego_sspi_free(&s);

    ck_assert_int_eq(nego_sspi_client(&c, KT_USER, KT_REALM, "wrong", NULL, KT_SPN), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_KRB5_NTLM), GSS_S_COMPLETE);
    r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    nego_sspi_free(&c);
}
END_TEST

START_TEST(test_no_common_mechanism)
{
    struct nego_sspi c, s;
    struct spnego_peer g;

    /* MIT offers Kerberos only; the libsspi acceptor takes NTLM only. */
    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    ck_assert_int_eq(spnego_client(&g, NULL, NULL, KT_GSS_TARGET, SPNEGO_KRB5, GSS_FLAGS),
                     GSS_S_COMPLETE);
    struct nego_result r = nego_run_mit_to_sspi(&g, &s, NULL);
    ck_assert_msg(!SEC_SUCCESS(r.sspi), "status 0x%08x", (unsigned)r.sspi);
    spnego_peer_free(&g);
    nego_sspi_free(&s);

    /* libsspi offers NTLM only; MIT accepts Kerberos only. */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, "ntlm", KT_SPN), SEC_E_OK);
    ck_assert_int_eq(spnego_server(&g, SPNEGO_KRB5), GSS_S_COMPLETE);
    r = nego_run_sspi_to_mit(&c, &g, NULL);
    ck_assert(GSS_ERROR(r.gss));
    spnego_peer_free(&g);
    nego_sspi_free(&c);

    /* libsspi both sides: Kerberos only against NTLM only. */
    ck_assert_int_eq(nego_sspi_client(&c, NULL, NULL, NULL, "kerberos", KT_SPN), SEC_E_OK);
    ck_assert_int_eq(nego_sspi_server(&s, "ntlm"), SEC_E_OK);
    r = nego_run_sspi_to_sspi(&c, &s, NULL);
    ck_assert_msg(!SEC_SUCCESS(r.sspi2), "status 0x%08x", (unsigned)r.sspi2);
    nego_sspi_free(&c);
    nego_sspi_free(&s);
}
END_TEST

static Suite *krb_suite(void)
{
    Suite *s = suite_create("negotiate-krb");
    TCase *tc = tcase_create("kerberos");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sspi_sspi_kerberos);
    tcase_add_test(tc, test_sspi_client_mit_acceptor_kerberos);
    tcase_add_test(tc, test_mit_initiator_sspi_acceptor_kerberos);
    suite_add_tcase(s, tc);

    tc = tcase_create("reselection");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reselect_sspi_client_mit_acceptor);
    tcase_add_test(tc, test_reselect_mit_initiator_sspi_acceptor);
    tcase_add_test(tc, test_reselect_sspi_sspi);
    suite_add_tcase(s, tc);

    tc = tcase_create("fallback");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fallback_unknown_spn);
    tcase_add_test(tc, test_fallback_no_ticket);
    tcase_add_test(tc, test_fallback_no_kdc);
    tcase_add_test(tc, test_package_list_excludes_kerberos);
    tcase_add_test(tc, test_package_list_kerberos_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("failures");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tampered_mic_after_reselection);
    tcase_add_test(tc, test_wrong_password);
    tcase_add_test(tc, test_no_common_mechanism);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    int rc = kt_realm_start();

    if (rc != 0)
        return rc;
    environment();
    SRunner *sr = srunner_create(krb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(users_path);
    unlink(conf_path);
    unlink(mech_path);
    kt_realm_stop();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
