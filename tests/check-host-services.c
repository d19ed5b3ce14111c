/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-host-services.c - the services table packages get through
 * SpSetExtendedInformation(SecpkgLibsspiHost), driven by the wrapping
 * package mock-wrapper ("MockWrap") over a sibling (MockGood, or the
 * provider-shape MockProvider): the hand-over and calls made while
 * loading, EnumeratePackages (configuration order, the caller left out,
 * mechanism OIDs), a full handshake, per-message calls through
 * GetMessageTarget and through the services' calls, export/import,
 * delete, bad handles, and the caller seen from a thread of its own.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test-util.h"
#include "ntsecpkg.h"
#include "pkg-harness.h"

#define EXPECT_OID "\x06\x0a\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"
#define SAMPLE_REQ                                                                                 \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)

static struct mock_wrap_record *wrap(void)
{
    struct mock_state *s = tu_state("mock-wrapper");

    ck_assert_ptr_nonnull(s);
    return &s->wrap;
}

static void setup(void)
{
    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(tu_ensure("mock-wrapper", "MockWrap"), SEC_E_OK);
}

static void teardown(void)
{
    ck_assert_no_violation(tu_state("mock-wrapper"));
    ck_assert_no_violation(tu_state("mock-good"));
}

static SECURITY_STATUS set_via_services(CtxtHandle *h, ULONG on)
{
    return SetContextAttributesW(h, MOCK_ATTR_WRAP_VIA_SERVICES, &on, sizeof(on));
}

/* The table reaches the package after its settings; calls it makes while
 * it is being loaded are refused at once. */
START_TEST(test_table_handed_over)
{
    struct mock_wrap_record *w = wrap();

    ck_assert_uint_eq(w->host_calls, 1);
    ck_assert_uint_eq(w->host_version, SECPKG_LIBSSPI_HOST_VERSION_1);
    ck_assert_uint_eq(w->host_size, sizeof(SECPKG_LIBSSPI_HOST_SERVICES));
    ck_assert_status(w->load_enumerate, SEC_E_INTERNAL_ERROR);
    ck_assert_status(w->load_acquire, SEC_E_INTERNAL_ERROR);
}
END_TEST

/* Handshake, attributes and per-message calls of MockWrap over MockGood. */
START_TEST(test_wrapper_drives_sibling)
{
    struct mock_wrap_record *w = wrap();
    struct mock_pkg_record *g = tu_record("mock-good", "MockGood");
    uint32_t creds = g->live_credentials, ctxs = g->live_contexts;
    uint32_t signs, services;
    SecPkgContext_Sizes sz;
    struct tu_pair p;

    ck_assert_status(tu_pair_open("MockWrap", &p), SEC_E_OK);
    ck_assert_uint_eq(g->live_credentials, creds + 2);
    ck_assert_uint_eq(g->live_contexts, ctxs + 2);
    ck_assert_status(w->self_acquire, SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(w->target_status, SEC_E_OK);
    ck_assert_status(QueryContextAttributesW(&p.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, MOCK_SIG_LEN);

    /* Through GetMessageTarget: straight to MockGood's context. */
    signs = g->sign_calls;
    services = w->service_calls;
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 5, 1), SEC_E_OK);
    ck_assert_uint_eq(g->sign_calls, signs + 1);
    ck_assert_uint_eq(w->service_calls, services);
    /* Through the services' own calls. */
    ck_assert_status(set_via_services(&p.client, 1), SEC_E_OK);
    ck_assert_status(set_via_services(&p.server, 1), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 6, 2), SEC_E_OK);
    ck_assert_uint_eq(g->sign_calls, signs + 2);
    ck_assert_uint_eq(w->service_calls, services + 2);
    {
        char msg[] = "sealed through the wrapper";
        uint8_t sig[MOCK_SIG_LEN];
        SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        uint32_t qop;

        for (ULONG via = 0; via < 2; via++) {
            ck_assert_status(set_via_services(&p.client, via), SEC_E_OK);
            ck_assert_status(EncryptMessage(&p.client, 0, &d, 3 + via), SEC_E_OK);
            ck_assert(memcmp(msg, "sealed", 6) != 0);
            ck_assert_status(DecryptMessage(&p.server, &d, 3 + via, &qop), SEC_E_OK);
            ck_assert_str_eq(msg, "sealed through the wrapper");
        }
    }
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_uint_eq(g->live_credentials, creds);
    ck_assert_uint_eq(g->live_contexts, ctxs);
    ck_assert_uint_eq(w->live_contexts, 0);
    ck_assert_uint_eq(w->live_credentials, 0);
}
END_TEST

START_TEST(test_wrapper_export_import)
{
    struct mock_pkg_record *g = tu_record("mock-good", "MockGood");
    uint32_t imports = g->import_calls, user_deletes = g->user_delete_calls;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle imported;
    struct tu_pair p;

    ck_assert_status(tu_pair_open("MockWrap", &p), SEC_E_OK);
    ck_assert_status(ExportSecurityContext(&p.client, 0, &packed, NULL), SEC_E_OK);
    ck_assert_ptr_nonnull(packed.pvBuffer);
    ck_assert_status(ImportSecurityContextW((SEC_WCHAR *)u"MockWrap", &packed, NULL, &imported),
                     SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&imported, &p.server, 0, 9), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    /* The sibling imported one context and every user-mode side went away:
     * the imported one and the pair's two. */
    ck_assert_uint_eq(g->import_calls, imports + 1);
    ck_assert_uint_eq(g->user_delete_calls, user_deletes + 3);
    ck_assert_uint_eq(wrap()->live_contexts, 0);
}
END_TEST

/* A first MockWrap leg with client target `target`: its status. */
static SECURITY_STATUS wrap_first_leg(const char *target)
{
    CredHandle c;
    CtxtHandle x;
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    SECURITY_STATUS st;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockWrap", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, NULL),
                     SEC_E_OK);
    st = InitializeSecurityContextA(&c, NULL, (SEC_CHAR *)target, 0, 0, SECURITY_NATIVE_DREP, NULL,
                                    0, &x, &od, &attrs, NULL);
    if (SEC_SUCCESS(st))
        ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    return st;
}

/* Bad handles and names through the services: each a defined status. */
START_TEST(test_bad_handles)
{
    static const SECURITY_STATUS expect[] = {
        SEC_E_INVALID_HANDLE,    /* InitializeSecurityContext, zeroed credential */
        SEC_E_INVALID_HANDLE,    /* MakeSignature, forged context */
        SEC_E_INVALID_HANDLE,    /* GetMessageTarget, forged */
        SEC_E_INVALID_HANDLE,    /* GetMessageTarget, NULL */
        SEC_E_INVALID_HANDLE,    /* DeleteSecurityContext, forged */
        SEC_E_INVALID_HANDLE,    /* FreeCredentialsHandle, NULL */
        SEC_E_INVALID_PARAMETER, /* EnumeratePackages, NULL */
        SEC_E_SECPKG_NOT_FOUND,  /* AcquireCredentialsHandle, unknown */
        SEC_E_SECPKG_NOT_FOUND,  /* AcquireCredentialsHandle, its own name */
        SEC_E_SECPKG_NOT_FOUND,  /* ImportSecurityContext, its own name */
        SEC_E_INVALID_HANDLE,    /* QueryContextAttributes, forged */
        SEC_E_INVALID_HANDLE,    /* FreeCredentialsHandle, stale */
        SEC_E_INVALID_HANDLE,    /* InitializeSecurityContext, stale credential */
        SEC_E_INVALID_HANDLE,    /* FreeBuffer, not ours */
        SEC_E_INVALID_HANDLE,    /* DeleteSecurityContext, a credential */
    };
    struct mock_wrap_record *w = wrap();

    ck_assert_status(wrap_first_leg(MOCK_TARGET_WRAP_BAD), SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(w->bad_count, sizeof(expect) / sizeof(expect[0]));
    for (uint32_t i = 0; i < w->bad_count; i++)
        ck_assert_msg(w->bad[i] == expect[i], "bad-handle call %u: got %s, expected %s", i,
                      tu_status_str(w->bad[i]), tu_status_str(expect[i]));
}
END_TEST

/* A call from a thread of the package's own still leaves it out. */
START_TEST(test_caller_from_own_thread)
{
    struct mock_wrap_record *w = wrap();

    ck_assert_status(wrap_first_leg(MOCK_TARGET_WRAP_THREAD), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(w->thread_enumerate, SEC_E_OK);
    ck_assert_uint_eq(w->thread_saw_self, 0);
    ck_assert_uint_eq(w->saw_self, 0);
}
END_TEST

/* ---- scenarios with their own configuration ------------------------------ */

static int scenario_order(void)
{
    struct mock_state *s;
    struct tu_pair p;

    SC_STATUS(tu_pair_open("MockWrap", &p), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    s = tu_state("mock-wrapper");
    SC_CHECK(s != NULL);
    SC_STATUS(s->wrap.load_enumerate, SEC_E_INTERNAL_ERROR);
    SC_STATUS(s->wrap.enumerate_status, SEC_E_OK);
    if (strcmp(s->wrap.order, "MockGood:12,MockMultiA:11,MockMultiB:0,MockMultiC:0") != 0) {
        fprintf(stderr, "order: %s\n", s->wrap.order);
        return 1;
    }
    SC_CHECK(s->wrap.saw_inner && !s->wrap.saw_self);
    SC_CHECK(s->wrap.inner_oid_len == 12);
    SC_CHECK(memcmp(s->wrap.inner_oid, EXPECT_OID, 12) == 0);
    return 0;
}

/* EnumeratePackages: configuration order (drop-ins by name), the caller
 * left out, OIDs in DER form whether the package gave the 06 tag or not,
 * a malformed one left out. */
START_TEST(test_enumerate_order_and_oids)
{
    char dir[4096];
    const char *cfg;

    snprintf(dir, sizeof(dir), "%s/order.d", tu_tmpdir());
    mkdir(dir, 0700);
    tu_write_filef("order.d/10-wrap.conf", "module = %s\n", tu_mock("mock-wrapper"));
    tu_write_filef("order.d/20-good.conf", "module = %s\n", tu_mock("mock-good"));
    tu_write_filef("order.d/30-multi.conf", "module = %s\n", tu_mock("mock-multi"));
    cfg = tu_write_filef("order.conf", "autoload = no\ncheck_permissions = no\ndropin_dir = %s\n",
                         dir);
    ck_assert_int_eq(tu_run_scenario("order", cfg, NULL), 0);
}
END_TEST

static int scenario_provider_sibling(void)
{
    struct mock_state *s;
    struct tu_pair p;

    SC_STATUS(tu_pair_open("MockWrap", &p), SEC_E_OK);
    SC_STATUS(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    SC_STATUS(set_via_services(&p.client, 1), SEC_E_OK);
    SC_STATUS(tu_sign_verify(&p.client, &p.server, 0, 2), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    s = tu_state("mock-wrapper");
    SC_CHECK(s != NULL && s->violations == 0);
    SC_STATUS(s->wrap.target_status, SEC_E_OK);
    s = tu_state("mock-provider");
    SC_CHECK(s != NULL && s->violations == 0);
    SC_CHECK(s->pkg[0].live_contexts == 0);
    return 0;
}

/* A provider-shape sibling: GetMessageTarget gives the core's thunks. */
START_TEST(test_provider_sibling)
{
    const char *cfg = tu_write_filef(
        "provider-sibling.conf",
        "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
        "[module]\nmodule = %s\n[module]\nmodule = %s\noption.inner = MockProvider\n",
        tu_mock("mock-provider"), tu_mock("mock-wrapper"));

    ck_assert_int_eq(tu_run_scenario("provider-sibling", cfg, NULL), 0);
}
END_TEST

static int scenario_real_siblings(void)
{
    static const struct ph_identity alice = {"alice", "EXAMPLE", "secret"};
    const struct ph_handshake_opts o = {
        .target = "host/server.example", .isc_req = SAMPLE_REQ, .asc_req = SAMPLE_REQ};
    static const char msg[] = "through the wrapper";
    struct mock_state *s;
    struct ph_pair p;
    CtxtHandle imported;

    SC_STATUS(ph_pair_open(&p, "MockWrap", &alice, &alice, &o), SEC_E_OK);
    s = tu_state("mock-wrapper");
    SC_CHECK(s != NULL);
    /* The kit packages give their OIDs in DER form; Sample has none. */
    if (strcmp(s->wrap.order, "Sample:0,NTLM:12") != 0) {
        fprintf(stderr, "order: %s\n", s->wrap.order);
        return 1;
    }
    SC_STATUS(s->wrap.target_status, SEC_E_OK);
    SC_STATUS(ph_sign_verify(&p.client.ctx, &p.server.ctx, msg, sizeof(msg)), SEC_E_OK);
    SC_STATUS(ph_seal_unseal(&p.server.ctx, &p.client.ctx, PH_LAYOUT_TOKEN, msg, sizeof(msg)),
              SEC_E_OK);
    SC_STATUS(set_via_services(&p.client.ctx, 1), SEC_E_OK);
    SC_STATUS(set_via_services(&p.server.ctx, 1), SEC_E_OK);
    SC_STATUS(ph_sign_verify(&p.client.ctx, &p.server.ctx, msg, sizeof(msg)), SEC_E_OK);
    SC_STATUS(ph_seal_unseal(&p.server.ctx, &p.client.ctx, PH_LAYOUT_TOKEN, msg, sizeof(msg)),
              SEC_E_OK);
    SC_CHECK(s->wrap.service_calls == 4);
    /* Sample exports; the import is the wrapper's over Sample's. */
    SC_STATUS(ph_export_import("MockWrap", &p.client.ctx, 0, &imported), SEC_E_OK);
    SC_STATUS(ph_sign_verify(&imported, &p.server.ctx, msg, sizeof(msg)), SEC_E_OK);
    SC_STATUS(DeleteSecurityContext(&imported), SEC_E_OK);
    SC_STATUS(ph_pair_close(&p), SEC_E_OK);
    SC_CHECK(s->violations == 0 && s->wrap.live_contexts == 0 && s->wrap.live_credentials == 0);
    return 0;
}

/* Real kit-built siblings: MockWrap over the Sample package (handshake,
 * messages both ways, export/import), with NTLM's OID enumerated. */
START_TEST(test_real_siblings)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    const char *cfg;

    ck_assert_ptr_nonnull(dir);
    cfg = tu_write_filef("real-siblings.conf",
                         "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
                         "[module]\nmodule = %s/sample/.libs/sample.so\n"
                         "[module]\nmodule = %s/ntlm/.libs/ntlm.so\n"
                         "[module]\nmodule = %s\noption.inner = Sample\n",
                         dir, dir, tu_mock("mock-wrapper"));
    ck_assert_int_eq(tu_run_scenario("real-siblings", cfg, NULL), 0);
}
END_TEST

static const struct tu_scenario scenarios[] = {
    {"order", scenario_order},
    {"provider-sibling", scenario_provider_sibling},
    {"real-siblings", scenario_real_siblings},
    {NULL, NULL},
};

static Suite *host_suite(void)
{
    Suite *s = suite_create("host-services");
    TCase *tc = tcase_create("wrapper");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_table_handed_over);
    tcase_add_test(tc, test_wrapper_drives_sibling);
    tcase_add_test(tc, test_wrapper_export_import);
    tcase_add_test(tc, test_bad_handles);
    tcase_add_test(tc, test_caller_from_own_thread);
    suite_add_tcase(s, tc);

    tc = tcase_create("configured");
    tcase_add_test(tc, test_enumerate_order_and_oids);
    tcase_add_test(tc, test_provider_sibling);
    tcase_add_test(tc, test_real_siblings);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, host_suite, scenarios);
}
