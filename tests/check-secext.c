/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-secext.c - <secext.h> and <errhandlingapi.h>: GetUserNameExA/W and
 * GetComputerObjectNameA/W with Windows' sizing and errors, the names on a
 * standalone machine and on one with a domain and realm configured, the
 * Kerberos default principal and keytab, and the per-thread last error.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/utf16.h"
#include "secext.h"
#include "test-util.h"

#ifdef HAVE_CORE_KRB5
#include <krb5.h>
#endif

/* "HOST" (short host name, upper case) and the effective user's name. */
static void machine_and_user(char *host, size_t hcap, char *user, size_t ucap)
{
    struct passwd *pw = getpwuid(geteuid());

    if (gethostname(host, hcap) != 0)
        host[0] = '\0';
    host[strcspn(host, ".")] = '\0';
    for (char *p = host; *p != '\0'; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    snprintf(user, ucap, "%s", pw != NULL ? pw->pw_name : "?");
}

/* The name in format f, or "" on failure or a size that is not the
 * length (no Check assertions: scenarios use it). */
static const char *name_a(EXTENDED_NAME_FORMAT f)
{
    static char buf[1024];
    ULONG n = sizeof(buf);

    if (!GetUserNameExA(f, buf, &n) || n != strlen(buf))
        return "";
    return buf;
}

START_TEST(test_sam_compatible_sizes_w)
{
    char host[256], user[256], want[600];
    char16_t buf[600];
    char *got;
    ULONG n = 0;

    machine_and_user(host, sizeof(host), user, sizeof(user));
    snprintf(want, sizeof(want), "%s\\%s", host, user);
    /* NULL buffer, size 0: the size needed, with the NUL. */
    SetLastError(0);
    ck_assert(!GetUserNameExW(NameSamCompatible, NULL, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen(want) + 1);
    /* Too small: the buffer is untouched. */
    n = 1;
    buf[0] = 0xff;
    ck_assert(!GetUserNameExW(NameSamCompatible, buf, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen(want) + 1);
    ck_assert_uint_eq(buf[0], 0xff);
    n = (ULONG)strlen(want); /* no room for the NUL */
    ck_assert(!GetUserNameExW(NameSamCompatible, buf, &n));
    ck_assert_uint_eq(n, strlen(want) + 1);
    /* Exactly right: the length without the NUL. */
    ck_assert(GetUserNameExW(NameSamCompatible, buf, &n));
    ck_assert_uint_eq(n, strlen(want));
    got = sspi_utf16_to_utf8(buf, SSPI_UTF16_NUL_TERMINATED, NULL);
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

START_TEST(test_sam_compatible_a)
{
    char host[256], user[256], want[600], buf[600];
    ULONG n = 0;

    machine_and_user(host, sizeof(host), user, sizeof(user));
    snprintf(want, sizeof(want), "%s\\%s", host, user);
    ck_assert(!GetUserNameExA(NameSamCompatible, NULL, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen(want) + 1);
    ck_assert(GetUserNameExA(NameSamCompatible, buf, &n));
    ck_assert_uint_eq(n, strlen(want));
    ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(test_bad_arguments)
{
    char buf[64];
    ULONG n = sizeof(buf);

    ck_assert(!GetUserNameExA(NameSamCompatible, buf, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!GetUserNameExA(NameUnknown, buf, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_NO_SUCH_USER);
    ck_assert(!GetUserNameExW((EXTENDED_NAME_FORMAT)4, NULL, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!GetUserNameExW((EXTENDED_NAME_FORMAT)99, NULL, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!GetComputerObjectNameA(NameUnknown, buf, &n));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!GetComputerObjectNameW(NameSamCompatible, NULL, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
}
END_TEST

/* Standalone (the base configuration: no domain, no realm), and no
 * Kerberos credentials: only the SAM name (and the full name) exist. */
static int scenario_standalone(void)
{
    struct passwd *pw = getpwuid(geteuid());
    char gecos[256], buf[256];
    ULONG n = sizeof(buf);
    static const EXTENDED_NAME_FORMAT none[] = {
        NameFullyQualifiedDN, NameUniqueId,  NameCanonical, NameUserPrincipal, NameCanonicalEx,
        NameServicePrincipal, NameDnsDomain, NameGivenName, NameSurname};

    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        n = sizeof(buf);
        SC_CHECK(!GetUserNameExA(none[i], buf, &n));
        SC_CHECK(GetLastError() == ERROR_NONE_MAPPED);
    }
    snprintf(gecos, sizeof(gecos), "%.*s", (int)strcspn(pw->pw_gecos, ","), pw->pw_gecos);
    n = sizeof(buf);
    if (gecos[0] != '\0') {
        SC_CHECK(GetUserNameExA(NameDisplay, buf, &n) && strcmp(buf, gecos) == 0);
    } else {
        SC_CHECK(!GetUserNameExA(NameDisplay, buf, &n) && GetLastError() == ERROR_NONE_MAPPED);
    }
    n = sizeof(buf);
    SC_CHECK(!GetComputerObjectNameA(NameSamCompatible, buf, &n));
    SC_CHECK(GetLastError() == ERROR_CANT_ACCESS_DOMAIN_INFO);
    return 0;
}

START_TEST(test_standalone)
{
    ck_assert_int_eq(tu_run_scenario("standalone", NULL, "KRB5CCNAME=FILE:/nonexistent/cc",
                                     "KRB5_KTNAME=FILE:/nonexistent/kt", NULL),
                     0);
}
END_TEST

/* With `domain` and `realm` configured. */
static int scenario_joined(void)
{
    char host[256], user[256], want[600], buf[600];
    char16_t wbuf[600];
    ULONG n;
    size_t len;

    machine_and_user(host, sizeof(host), user, sizeof(user));
    snprintf(want, sizeof(want), "EXAMPLE\\%s", user);
    SC_CHECK(strcmp(name_a(NameSamCompatible), want) == 0);
    snprintf(want, sizeof(want), "%s@EXAMPLE.COM", user);
    SC_CHECK(strcmp(name_a(NameUserPrincipal), want) == 0);
    snprintf(want, sizeof(want), "example.com\\%s", user);
    SC_CHECK(strcmp(name_a(NameDnsDomain), want) == 0);

    /* The computer: sizes count the NUL, ERROR_INSUFFICIENT_BUFFER. */
    snprintf(want, sizeof(want), "EXAMPLE\\%s$", host);
    len = strlen(want);
    n = 0;
    SC_CHECK(!GetComputerObjectNameW(NameSamCompatible, NULL, &n));
    SC_CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER && n == len + 1);
    n = 2;
    wbuf[0] = 0x1234;
    SC_CHECK(!GetComputerObjectNameW(NameSamCompatible, wbuf, &n) && wbuf[0] == 0x1234);
    SC_CHECK(GetComputerObjectNameW(NameSamCompatible, wbuf, &n) && n == len + 1);
    SC_CHECK(sspi_utf16_casecmp_utf8(wbuf, want) == 0);
    n = sizeof(buf);
    SC_CHECK(GetComputerObjectNameA(NameSamCompatible, buf, &n) && strcmp(buf, want) == 0);
    n = sizeof(buf);
    snprintf(want, sizeof(want), "example.com\\%s$", host);
    SC_CHECK(GetComputerObjectNameA(NameDnsDomain, buf, &n) && strcmp(buf, want) == 0);
    n = sizeof(buf);
    SC_CHECK(GetComputerObjectNameA(NameServicePrincipal, buf, &n) &&
             strncmp(buf, "HOST/", 5) == 0);
    n = sizeof(buf);
    SC_CHECK(!GetComputerObjectNameA(NameUniqueId, buf, &n));
    SC_CHECK(GetLastError() == ERROR_NONE_MAPPED);
    return 0;
}

START_TEST(test_joined)
{
    const char *conf = tu_write_file("joined.conf", "autoload = no\n"
                                                    "dropin_dir = none\n"
                                                    "check_permissions = no\n"
                                                    "domain = EXAMPLE\n"
                                                    "realm = EXAMPLE.COM\n");

    ck_assert_int_eq(tu_run_scenario("joined", conf, "KRB5CCNAME=FILE:/nonexistent/cc", NULL), 0);
}
END_TEST

/* A realm alone: the NetBIOS domain is its first label. */
static int scenario_realm_only(void)
{
    char host[256], user[256], want[600];

    machine_and_user(host, sizeof(host), user, sizeof(user));
    snprintf(want, sizeof(want), "CORP\\%s", user);
    SC_CHECK(strcmp(name_a(NameSamCompatible), want) == 0);
    return 0;
}

START_TEST(test_realm_only)
{
    const char *conf = tu_write_file("realm.conf", "autoload = no\n"
                                                   "dropin_dir = none\n"
                                                   "check_permissions = no\n"
                                                   "realm = corp.example.net\n");

    ck_assert_int_eq(tu_run_scenario("realm-only", conf, NULL), 0);
}
END_TEST

#ifdef HAVE_CORE_KRB5
/* A credential cache and a keytab made here (no KDC needed). */
static void make_krb5_files(const char *cc, const char *kt)
{
    krb5_context ctx;
    krb5_ccache c;
    krb5_keytab k;
    krb5_principal user, svc;
    krb5_keytab_entry e;
    uint8_t key[16] = {1, 2, 3};

    ck_assert_int_eq(krb5_init_context(&ctx), 0);
    ck_assert_int_eq(krb5_parse_name(ctx, "alice@KRB.TEST", &user), 0);
    ck_assert_int_eq(krb5_parse_name(ctx, "HTTP/web.krb.test@KRB.TEST", &svc), 0);
    ck_assert_int_eq(krb5_cc_resolve(ctx, cc, &c), 0);
    ck_assert_int_eq(krb5_cc_initialize(ctx, c, user), 0);
    krb5_cc_close(ctx, c);
    ck_assert_int_eq(krb5_kt_resolve(ctx, kt, &k), 0);
    memset(&e, 0, sizeof(e));
    e.principal = svc;
    e.vno = 1;
    e.key.enctype = ENCTYPE_AES128_CTS_HMAC_SHA1_96;
    e.key.length = sizeof(key);
    e.key.contents = key;
    ck_assert_int_eq(krb5_kt_add_entry(ctx, k, &e), 0);
    krb5_kt_close(ctx, k);
    krb5_free_principal(ctx, user);
    krb5_free_principal(ctx, svc);
    krb5_free_context(ctx);
}

static int scenario_kerberos(void)
{
    SC_CHECK(strcmp(name_a(NameUserPrincipal), "alice@KRB.TEST") == 0);
    SC_CHECK(strcmp(name_a(NameServicePrincipal), "HTTP/web.krb.test@KRB.TEST") == 0);
    return 0;
}

START_TEST(test_kerberos_principals)
{
    char cc[4200], kt[4200], cc_env[4300], kt_env[4300];

    snprintf(cc, sizeof(cc), "FILE:%s/cc", tu_tmpdir());
    snprintf(kt, sizeof(kt), "FILE:%s/kt", tu_tmpdir());
    make_krb5_files(cc, kt);
    snprintf(cc_env, sizeof(cc_env), "KRB5CCNAME=%s", cc);
    snprintf(kt_env, sizeof(kt_env), "KRB5_KTNAME=%s", kt);
    ck_assert_int_eq(tu_run_scenario("kerberos", NULL, cc_env, kt_env, NULL), 0);
}
END_TEST
#endif

/* The last error is per thread. */
static void *other_thread(void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)GetLastError();
}

START_TEST(test_last_error_per_thread)
{
    pthread_t t;
    void *seen;

    SetLastError(ERROR_ACCESS_DENIED);
    ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
    ck_assert_int_eq(pthread_join(t, &seen), 0);
    ck_assert_uint_eq((uintptr_t)seen, 0);
    ck_assert_uint_eq(GetLastError(), ERROR_ACCESS_DENIED);
}
END_TEST

static Suite *secext_suite(void)
{
    Suite *s = suite_create("secext");
    TCase *tc = tcase_create("names");

    tcase_add_test(tc, test_sam_compatible_sizes_w);
    tcase_add_test(tc, test_sam_compatible_a);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_standalone);
    tcase_add_test(tc, test_joined);
    tcase_add_test(tc, test_realm_only);
#ifdef HAVE_CORE_KRB5
    tcase_add_test(tc, test_kerberos_principals);
#endif
    tcase_add_test(tc, test_last_error_per_thread);
    suite_add_tcase(s, tc);
    return s;
}

static const struct tu_scenario scenarios[] = {
    {"standalone", scenario_standalone},
    {"joined", scenario_joined},
    {"realm-only", scenario_realm_only},
#ifdef HAVE_CORE_KRB5
    {"kerberos", scenario_kerberos},
#endif
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return tu_main(argc, argv, secext_suite, scenarios);
}
