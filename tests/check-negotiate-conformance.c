/*
 * check-negotiate-conformance.c - the Negotiate package through the
 * package conformance battery (pkg-conformance.h), with NTLM as the
 * sibling it negotiates (loaded before the battery, users from
 * tests/ntlm-users.txt).  Without a Kerberos ticket the optimistic
 * mechanism is NTLM; a raw NTLMSSP NEGOTIATE (16 bytes in its old form)
 * is a first token the Negotiate acceptor legitimately takes.
 *
 * Five expectations of the battery are a plain package's, and Negotiate
 * (like Windows' Negotiate, negotiate.md sections 4.2, 4.5 and the
 * NEGOTIATION_INFO row) answers otherwise; struct pc_driver has no field
 * for them yet.  The battery still runs whole: those five tests must fail
 * at exactly the assertion named in `known[]` below and nowhere else, and
 * the "negotiate" test case checks what the five tests cover with
 * Negotiate's own expectations:
 *   SIZES             the selected package's sizes, not Negotiate's cbMaxToken
 *   empty first input the acceptor speaks first (NegTokenInit2)
 *   AUTHENTICATE leg  the initiator continues: the acceptor's mechListMIC is due
 *   NEGOTIATION_INFO  names the selected package (NTLM), OPTIMISTIC on the
 *                     first leg when it carried the optimistic token
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg-conformance.h"

#define NEGO_ISC_REQ                                                                               \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define NEGO_ASC_REQ                                                                               \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

static void nego_siblings(void)
{
    static char path[4096];
    const char *top = getenv("top_srcdir");

    snprintf(path, sizeof path, "%s/tests/ntlm-users.txt", top != NULL ? top : ".");
    setenv("NTLM_USER_FILE", path, 1);
    setenv("KRB5_CONFIG", "/dev/null", 1);
    setenv("KRB5CCNAME", "MEMORY:negotiate-conformance", 1);
    if (ph_load("NTLM", "ntlm/.libs/ntlm.so") != SEC_E_OK) {
        fprintf(stderr, "check-negotiate-conformance: cannot load the NTLM sibling\n");
        exit(EXIT_FAILURE);
    }
}

static const struct pc_driver negotiate_driver = {
    .package = "Negotiate",
    .module = "negotiate/.libs/negotiate.so",
    .setup = nego_siblings,
    .client = {"User", "DOMAIN", "Password"},
    .server = {NULL, NULL, NULL},
    .wrong = {"User", "DOMAIN", "not the password"},
    .target = "host/localhost",
    .isc_req = NEGO_ISC_REQ,
    .asc_req = NEGO_ASC_REQ,
    .denied = SEC_E_LOGON_DENIED,
    .bad_use = SEC_E_UNKNOWN_CREDENTIALS,
    .short_verify = SEC_E_BUFFER_TOO_SMALL, /* NTLM's answer, passed through */
    .layout = PH_LAYOUT_TOKEN,
    .shortest_first_token = 16,
};

/* ---- Negotiate's answers where the battery expects a plain package's ---- */

#define D (&negotiate_driver)

static void acquire_both(struct ph_party *c, struct ph_party *s)
{
    memset(c, 0, sizeof *c);
    memset(s, 0, sizeof *s);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->client, SECPKG_CRED_OUTBOUND, &c->cred),
                     SEC_E_OK);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->server, SECPKG_CRED_INBOUND, &s->cred),
                     SEC_E_OK);
}

/* One leg with caller buffers (the battery's raw_leg). */
static SECURITY_STATUS leg(struct ph_party *p, bool accept, const uint8_t *tok, size_t len,
                           uint8_t *out, uint32_t *out_len)
{
    SecBuffer ib = {(uint32_t)len, SECBUFFER_TOKEN, (void *)tok};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {PH_MAX_DATA, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    SECURITY_STATUS st;

    if (accept)
        st = AcceptSecurityContext(&p->cred, p->has_ctx ? &p->ctx : NULL, &id, D->asc_req,
                                   SECURITY_NATIVE_DREP, &p->ctx, &od, &attrs, NULL);
    else
        st = InitializeSecurityContextA(&p->cred, p->has_ctx ? &p->ctx : NULL,
                                        (SEC_CHAR *)D->target, D->isc_req, 0, SECURITY_NATIVE_DREP,
                                        tok != NULL ? &id : NULL, 0, &p->ctx, &od, &attrs, NULL);
    if (SEC_SUCCESS(st))
        p->has_ctx = true;
    *out_len = SEC_SUCCESS(st) ? ob.cbBuffer : 0;
    return st;
}

static void end_ctx(struct ph_party *p)
{
    if (p->has_ctx)
        ck_assert_status(DeleteSecurityContext(&p->ctx), SEC_E_OK);
    p->has_ctx = false;
}

static struct ph_handshake_opts opts(void)
{
    return (struct ph_handshake_opts){
        .target = D->target, .isc_req = D->isc_req, .asc_req = D->asc_req};
}

/* SIZES: the selected package's (Windows: NTLM's 2888, 16, 0, 16). */
START_TEST(test_nego_sizes)
{
    struct ph_handshake_opts o = opts();
    struct ph_pair p;
    PSecPkgInfoA nego, ntlm;
    SecPkgContext_Sizes sz;

    ck_assert_status(ph_pair_open(&p, D->package, &D->client, &D->server, &o), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoA("Negotiate", &nego), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoA("NTLM", &ntlm), SEC_E_OK);
    ck_assert_uint_ne(nego->cbMaxToken, ntlm->cbMaxToken);
    for (int i = 0; i < 2; i++) {
        CtxtHandle *h = i ? &p.server.ctx : &p.client.ctx;
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        ck_assert_uint_eq(sz.cbMaxToken, ntlm->cbMaxToken);
        ck_assert_uint_eq(sz.cbMaxSignature, 16);
        ck_assert_uint_eq(sz.cbBlockSize, 0);
        ck_assert_uint_eq(sz.cbSecurityTrailer, 16);
    }
    FreeContextBuffer(nego);
    FreeContextBuffer(ntlm);
    ck_assert_status(ph_pair_close(&p), SEC_E_OK);
}
END_TEST

/* No first input: the acceptor opens with a NegTokenInit2; every
 * truncation of a real first token (and of the acceptor's answer) is
 * SEC_E_INVALID_TOKEN and leaves no context behind. */
START_TEST(test_nego_short_tokens)
{
    static const uint8_t spnego[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    uint8_t t1[PH_MAX_DATA], t2[PH_MAX_DATA], out[PH_MAX_DATA];
    uint32_t l1, l2, ol;
    struct ph_party c, s;

    acquire_both(&c, &s);
    {
        struct ph_party fresh = {.cred = s.cred};
        ck_assert_status(leg(&fresh, true, NULL, 0, out, &ol), SEC_I_CONTINUE_NEEDED);
        ck_assert(fresh.has_ctx);
        ck_assert_uint_gt(ol, 2 + sizeof(spnego));
        ck_assert_uint_eq(out[0], 0x60);
        ck_assert_mem_eq(out + 2, spnego, sizeof(spnego));
        end_ctx(&fresh);
    }
    ck_assert_status(leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    for (uint32_t n = 1; n < l1; n += 1 + l1 / 12) {
        struct ph_party fresh = {.cred = s.cred};
        ck_assert_status(leg(&fresh, true, t1, n, out, &ol), SEC_E_INVALID_TOKEN);
        ck_assert(!fresh.has_ctx);
    }
    for (uint32_t n = 0; n < l2; n += 1 + l2 / 12) {
        struct ph_party fresh = {.cred = c.cred};
        ck_assert_status(leg(&fresh, false, NULL, 0, out, &ol), SEC_I_CONTINUE_NEEDED);
        ck_assert_status(leg(&fresh, false, n ? t2 : (const uint8_t *)"", n, out, &ol),
                         SEC_E_INVALID_TOKEN);
        end_ctx(&fresh);
    }
    end_ctx(&c);
    end_ctx(&s);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
}
END_TEST

/* NTLM under SPNEGO takes three legs each way: the initiator's
 * AUTHENTICATE leg continues until the acceptor's mechListMIC arrives.  A
 * refused last leg on either side is final. */
START_TEST(test_nego_failed_leg_is_final)
{
    uint8_t t1[PH_MAX_DATA], t2[PH_MAX_DATA], t3[PH_MAX_DATA], t4[PH_MAX_DATA], bad[PH_MAX_DATA];
    uint32_t l1, l2, l3, l4, ol;
    struct ph_party c, s;

    acquire_both(&c, &s);
    ck_assert_status(leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&c, false, t2, l2, t3, &l3), SEC_I_CONTINUE_NEEDED);
    ck_assert(!SEC_SUCCESS(leg(&s, true, t3, l3 / 2, bad, &ol)));
    ck_assert_status(leg(&s, true, t3, l3, bad, &ol), SEC_E_OUT_OF_SEQUENCE);
    end_ctx(&c);
    end_ctx(&s);

    ck_assert_status(leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&c, false, t2, l2, t3, &l3), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(leg(&s, true, t3, l3, t4, &l4), SEC_E_OK);
    ck_assert_uint_gt(l4, 0); /* the acceptor's mechListMIC */
    ck_assert(!SEC_SUCCESS(leg(&c, false, t4, l4 / 2, bad, &ol)));
    ck_assert_status(leg(&c, false, t4, l4, bad, &ol), SEC_E_OUT_OF_SEQUENCE);
    end_ctx(&c);
    end_ctx(&s);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
}
END_TEST

/* The battery's attribute checks with NEGOTIATION_INFO naming NTLM. */
static void complete_attributes(CtxtHandle *h, uint32_t attrs, uint8_t *key, size_t *keylen)
{
    SecPkgContext_NamesA names = {NULL};
    SecPkgContext_PackageInfoA pi = {NULL};
    SecPkgContext_NegotiationInfoA ni = {NULL, 99};
    SecPkgContext_Flags flags;
    SecPkgContext_Lifespan life;
    SecPkgContext_SessionKey sk = {0, NULL};
    SecPkgContext_KeyInfoA ki = {NULL, NULL, 0, 0, 0};
    uint8_t junk[64];

    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_ptr_nonnull(strcasestr(names.sUserName, D->client.user));
    FreeContextBuffer(names.sUserName);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, "Negotiate");
    FreeContextBuffer(pi.PackageInfo);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
    FreeContextBuffer(ni.PackageInfo);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert_uint_eq(flags.Flags, attrs);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsStart.QuadPart <= life.tsExpiry.QuadPart);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    ck_assert(sk.SessionKeyLength > 0 && sk.SessionKeyLength <= 64);
    memcpy(key, sk.SessionKey, sk.SessionKeyLength);
    *keylen = sk.SessionKeyLength;
    FreeContextBuffer(sk.SessionKey);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    ck_assert(ki.sSignatureAlgorithmName != NULL && ki.sEncryptAlgorithmName != NULL);
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    ck_assert_status(QueryContextAttributesA(h, 0x7ffe, junk), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, NULL), SEC_E_INVALID_PARAMETER);
}

START_TEST(test_nego_attributes_after_completion)
{
    struct ph_handshake_opts o = opts();
    uint8_t ck[64], sk[64];
    size_t cl, sl;
    struct ph_pair p;

    ck_assert_status(ph_pair_open(&p, D->package, &D->client, &D->server, &o), SEC_E_OK);
    complete_attributes(&p.client.ctx, p.client.attrs, ck, &cl);
    complete_attributes(&p.server.ctx, p.server.attrs, sk, &sl);
    ck_assert_uint_eq(cl, sl);
    ck_assert_mem_eq(ck, sk, cl);
    ck_assert_status(ph_pair_close(&p), SEC_E_OK);
}
END_TEST

/* After the first leg, which carried NTLM's optimistic token: OPTIMISTIC,
 * naming NTLM; the acceptor after its first leg: IN_PROGRESS. */
START_TEST(test_nego_attributes_while_running)
{
    uint8_t t1[PH_MAX_DATA], t2[PH_MAX_DATA];
    uint32_t l1, l2;
    struct ph_party c, s;
    SecPkgContext_NegotiationInfoA ni = {NULL, 99};
    SecPkgContext_SessionKey key;
    SecPkgContext_Sizes sz;

    acquire_both(&c, &s);
    ck_assert_status(leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_OPTIMISTIC);
    ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
    FreeContextBuffer(ni.PackageInfo);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SESSION_KEY, &key),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
    FreeContextBuffer(ni.PackageInfo);
    end_ctx(&c);
    end_ctx(&s);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
}
END_TEST

static Suite *negotiate_suite(void)
{
    Suite *s = suite_create("negotiate");
    TCase *tc = tcase_create("negotiate");

    tcase_add_test(tc, test_nego_sizes);
    tcase_add_test(tc, test_nego_short_tokens);
    tcase_add_test(tc, test_nego_failed_leg_is_final);
    tcase_add_test(tc, test_nego_attributes_after_completion);
    tcase_add_test(tc, test_nego_attributes_while_running);
    suite_add_tcase(s, tc);
    return s;
}

/* The battery's failures that are Negotiate's documented answers: the
 * start of the failure message of the one assertion each may fail. */
static const struct {
    const char *test, *message, *why;
} known[] = {
    {"test_sizes", "Assertion 'sz.cbMaxToken == info->cbMaxToken' failed: sz.cbMaxToken == 2888",
     "SIZES are the selected package's"},
    {"test_short_tokens",
     "raw_leg(&fresh, true, n ? t1 : NULL, n, out, &ol): got SEC_I_CONTINUE_NEEDED",
     "no first input: the acceptor speaks first"},
    {"test_failed_leg_is_final",
     "raw_leg(&c, false, t2, l2, t3, &l3): got SEC_I_CONTINUE_NEEDED (0x00090312), expected "
     "SEC_E_OK",
     "the initiator waits for the acceptor's mechListMIC"},
    {"test_attributes_after_completion",
     "Assertion 'ni.PackageInfo->Name == D->package' failed: ni.PackageInfo->Name == \"NTLM\"",
     "NEGOTIATION_INFO names the selected package"},
    {"test_attributes_while_running",
     "Assertion 'ni.NegotiationState == 2' failed: ni.NegotiationState == 1",
     "the first leg carried the optimistic token"},
};
#define N_KNOWN (sizeof(known) / sizeof(known[0]))

int main(void)
{
    SRunner *sr = srunner_create(pc_suite(&negotiate_driver));
    unsigned seen[N_KNOWN] = {0};
    int unexpected = 0, total;

    srunner_add_suite(sr, negotiate_suite());
    srunner_run_all(sr, CK_SILENT);
    total = srunner_ntests_run(sr);
    TestResult **f = srunner_failures(sr);
    for (int i = 0; i < srunner_ntests_failed(sr); i++) {
        const char *msg = tr_msg(f[i]);
        size_t k = 0;
        while (k < N_KNOWN && strncmp(msg, known[k].message, strlen(known[k].message)) != 0)
            k++;
        if (k < N_KNOWN && seen[k] == 0) {
            seen[k]++;
            printf("expected difference: battery %s (%s): %s\n", known[k].test, known[k].why, msg);
            continue;
        }
        unexpected++;
        printf("%s:%d: %s: %s\n", tr_lfile(f[i]), tr_lno(f[i]), tr_tcname(f[i]), msg);
    }
    free(f);
    for (size_t k = 0; k < N_KNOWN; k++)
        if (seen[k] == 0) {
            unexpected++;
            printf("battery %s no longer fails as expected (%s): update known[]\n", known[k].test,
                   known[k].why);
        }
    /* The Check summary line, counting the expected differences as passes. */
    printf("%d%%: Checks: %d, Failures: %d, Errors: 0\n",
           total > 0 ? (total - unexpected) * 100 / total : 0, total, unexpected);
    srunner_free(sr);
    return unexpected == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
