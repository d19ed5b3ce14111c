/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-wipe.c - proves that credential and context memory is wiped before
 * it is freed.  This program defines free(): as the executable's symbol it
 * takes precedence for libsspi.so and the package plugins too.  Each block
 * is scanned for the password (as UTF-8 and UTF-16LE) and for the session
 * key before it is handed to glibc; a block that still holds one of them is
 * counted as a leak of secret material.
 *
 * (Not built under sanitizers, whose runtimes own free().)
 */
#include "config.h"

#include <check.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sspi.h"
#include "libsspi.h"

extern void __libc_free(void *ptr);

#define MAX_SECRETS 8
struct secret {
    uint8_t bytes[64];
    size_t len;
};
static struct secret secrets[MAX_SECRETS];
static atomic_int nsecrets;
static atomic_bool scanning;
static atomic_uint dirty_frees;
static atomic_uint scanned_frees;

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    if (m == 0 || n < m)
        return false;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

void free(void *ptr)
{
    if (ptr != NULL && atomic_load(&scanning)) {
        size_t n = malloc_usable_size(ptr);
        int k = atomic_load(&nsecrets);
        atomic_fetch_add(&scanned_frees, 1);
        for (int i = 0; i < k; i++)
            if (contains(ptr, n, secrets[i].bytes, secrets[i].len))
                atomic_fetch_add(&dirty_frees, 1);
    }
    __libc_free(ptr);
}

/* Each test starts with no secrets and zero counts, also when Check runs
 * the tests in one process (CK_FORK=no, e.g. under valgrind). */
static void reset_scanner(void)
{
    atomic_store(&scanning, false);
    atomic_store(&nsecrets, 0);
    atomic_store(&dirty_frees, 0);
    atomic_store(&scanned_frees, 0);
}

static void add_secret(const void *p, size_t len)
{
    int k = atomic_load(&nsecrets);
    ck_assert_int_lt(k, MAX_SECRETS);
    ck_assert_uint_le(len, sizeof(secrets[k].bytes));
    memcpy(secrets[k].bytes, p, len);
    secrets[k].len = len;
    atomic_store(&nsecrets, k + 1);
}

static void add_password(const char *pw)
{
    uint8_t u16[64];
    size_t n = strlen(pw);
    add_secret(pw, n);
    for (size_t i = 0; i < n; i++) {
        u16[2 * i] = (uint8_t)pw[i];
        u16[2 * i + 1] = 0;
    }
    add_secret(u16, 2 * n);
}

/* Handshake plus one signed and one sealed message, then query the session
 * key (registered as a secret), then release everything.  `user` NULL: the
 * client uses the package's default identity (no pAuthData). */
static void run_session(const char *package, const char *user, const char *domain,
                        const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        (unsigned char *)user,       user ? (uint32_t)strlen(user) : 0,
        (unsigned char *)domain,     domain ? (uint32_t)strlen(domain) : 0,
        (unsigned char *)password,   password ? (uint32_t)strlen(password) : 0,
        SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    TimeStamp ts;
    uint32_t attrs;
    uint8_t t1[4096], t2[4096];
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;

    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_OUTBOUND, NULL,
                                               user ? &id : NULL, NULL, NULL, &cc, &ts),
                     SEC_E_OK);
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_INBOUND, NULL,
                                               user ? &id : NULL, NULL, NULL, &sc, &ts),
                     SEC_E_OK);
    SecBuffer ob = {sizeof(t1), SECBUFFER_TOKEN, t1}, ib = {0, SECBUFFER_TOKEN, t2};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, idsc = {SECBUFFER_VERSION, 1, &ib};
    uint32_t req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |
                   ISC_REQ_SEQUENCE_DETECT;
    cs = InitializeSecurityContextA(&cc, NULL, "host/wipe", req, 0, 0, NULL, 0, &cx, &od, &attrs,
                                    &ts);
    for (int leg = 0; leg < 4; leg++) {
        ck_assert(cs == SEC_E_OK || cs == SEC_I_CONTINUE_NEEDED);
        if (ob.cbBuffer == 0)
            break;
        SecBuffer sib = {ob.cbBuffer, SECBUFFER_TOKEN, t1}, sob = {sizeof(t2), SECBUFFER_TOKEN, t2};
        SecBufferDesc sid = {SECBUFFER_VERSION, 1, &sib}, sod = {SECBUFFER_VERSION, 1, &sob};
        ss = AcceptSecurityContext(&sc, leg == 0 ? NULL : &sx, &sid, ASC_REQ_CONFIDENTIALITY, 0,
                                   &sx, &sod, &attrs, &ts);
        ck_assert(ss == SEC_E_OK || ss == SEC_I_CONTINUE_NEEDED);
        if (cs == SEC_E_OK || sob.cbBuffer == 0)
            break;
        ib.cbBuffer = sob.cbBuffer;
        ob.cbBuffer = sizeof(t1);
        cs = InitializeSecurityContextA(&cc, &cx, "host/wipe", req, 0, 0, &idsc, 0, &cx, &od,
                                        &attrs, &ts);
    }
    ck_assert_int_eq(cs, SEC_E_OK);
    ck_assert_int_eq(ss, SEC_E_OK);

    SecPkgContext_SessionKey key = {0};
    ck_assert_int_eq(QueryContextAttributesA(&cx, SECPKG_ATTR_SESSION_KEY, &key), SEC_E_OK);
    ck_assert_uint_ge(key.SessionKeyLength, 8);
    add_secret(key.SessionKey, key.SessionKeyLength);
    FreeContextBuffer(key.SessionKey);

    uint8_t msg[32] = "the quick brown fox jumps over", tok[128];
    SecBuffer mb[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc md = {SECBUFFER_VERSION, 2, mb};
    uint32_t qop;
    ck_assert_int_eq(MakeSignature(&cx, 0, &md, 0), SEC_E_OK);
    ck_assert_int_eq(VerifySignature(&sx, &md, 0, &qop), SEC_E_OK);
    mb[1].cbBuffer = sizeof(tok);
    ck_assert_int_eq(EncryptMessage(&cx, 0, &md, 0), SEC_E_OK);
    ck_assert_int_eq(DecryptMessage(&sx, &md, 0, &qop), SEC_E_OK);

    ck_assert_int_eq(DeleteSecurityContext(&cx), SEC_E_OK);
    ck_assert_int_eq(DeleteSecurityContext(&sx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&cc), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&sc), SEC_E_OK);
}

static void load(const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s/.libs/%s.so", getenv("LIBSSPI_TEST_PKGDIR"), name, name);
    ck_assert_int_eq(AddSecurityPackageA(path, NULL), SEC_E_OK);
}

/* The NTLM user file of this process.  Both NTLM cases use the same path:
 * with CK_FORK=no the package keeps the option.user_file of the first
 * load, and re-reads the file at each logon. */
static void users_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/tests/wipe-users.%d", getenv("top_builddir"), (int)getpid());
}

START_TEST(test_sample_wipes)
{
    const char *pw = "Sw0rdfish-Wipe-Check";
    reset_scanner();
    load("sample");
    add_password(pw);
    atomic_store(&scanning, true);
    run_session("Sample", "alice", "EXAMPLE", pw);
    atomic_store(&scanning, false);
    ck_assert_uint_gt(atomic_load(&scanned_frees), 0);
    ck_assert_uint_eq(atomic_load(&dirty_frees), 0);
}
END_TEST

START_TEST(test_ntlm_wipes)
{
    const char *pw = "Ntlm-Wipe-Secret-42";
    char users[4096];
    FILE *f;

    reset_scanner();
    users_path(users, sizeof(users));
    f = fopen(users, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "EXAMPLE:alice:%s\n", pw);
    fclose(f);
    setenv("NTLM_USER_FILE", users, 1);
    load("ntlm");
    add_password(pw);
    atomic_store(&scanning, true);
    run_session("NTLM", "alice", "EXAMPLE", pw);
    atomic_store(&scanning, false);
    unlink(users);
    ck_assert_uint_gt(atomic_load(&scanned_frees), 0);
    ck_assert_uint_eq(atomic_load(&dirty_frees), 0);
}
END_TEST

/* The password as a configuration option (option.default_password): the
 * file is read, its option values handed to the package, and the client's
 * default identity built from them; no block freed on the way may hold
 * it. */
START_TEST(test_config_password_wipes)
{
    const char *pw = "Config-Default-Secret-7";
    char users[4096], conf[4096], old_conf[4096];
    FILE *f;

    reset_scanner();
    users_path(users, sizeof(users));
    snprintf(conf, sizeof(conf), "%s/tests/wipe-cfg.%d.conf", getenv("top_builddir"),
             (int)getpid());
    f = fopen(users, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "EXAMPLE:alice:%s\n", pw);
    fclose(f);
    f = fopen(conf, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "autoload = no\ndropin_dir = none\n[module]\nmodule = %s/ntlm/.libs/ntlm.so\n"
            "option.user_file = %s\noption.default_user = EXAMPLE\\alice\n"
            "option.default_password = %s\n",
            getenv("LIBSSPI_TEST_PKGDIR"), users, pw);
    fclose(f);
    ck_assert_ptr_nonnull(getenv("LIBSSPI_CONFIG"));
    snprintf(old_conf, sizeof(old_conf), "%s", getenv("LIBSSPI_CONFIG"));
    setenv("LIBSSPI_CONFIG", conf, 1);
    add_password(pw);
    atomic_store(&scanning, true);
    ck_assert_int_eq(libsspi_reload_config(), SEC_E_OK);
    run_session("NTLM", NULL, NULL, NULL);
    /* Back to the suite's configuration (each configuration read stays
     * in memory until the library is unloaded; only copies are freed). */
    setenv("LIBSSPI_CONFIG", old_conf, 1);
    ck_assert_int_eq(libsspi_reload_config(), SEC_E_OK);
    atomic_store(&scanning, false);
    unlink(users);
    unlink(conf);
    ck_assert_uint_gt(atomic_load(&scanned_frees), 0);
    ck_assert_uint_eq(atomic_load(&dirty_frees), 0);
}
END_TEST

START_TEST(test_scanner_detects)
{
    /* The scanner itself must see a secret left in a freed block. */
    const char *pw = "Detect-Me-Please";
    reset_scanner();
    add_password(pw);
    char *p = malloc(64);
    ck_assert_ptr_nonnull(p);
    strcpy(p, pw);
    atomic_store(&scanning, true);
    free(p);
    atomic_store(&scanning, false);
    ck_assert_uint_eq(atomic_load(&dirty_frees), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wipe");
    TCase *tc = tcase_create("secrets");
    tcase_add_test(tc, test_scanner_detects);
    tcase_add_test(tc, test_sample_wipes);
    /* First the configuration case: it must load NTLM itself to hand
     * it the options, which it cannot once AddSecurityPackage has. */
    tcase_add_test(tc, test_config_password_wipes);
    tcase_add_test(tc, test_ntlm_wipes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
