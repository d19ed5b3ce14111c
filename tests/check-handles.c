/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-handles.c - credential and context handles: zeroed, {-1,-1},
 * forged, bit-flipped, stale and wrong-kind handles and NULL handle pointers
 * on every entry point that takes a handle give SEC_E_INVALID_HANDLE and
 * never reach the package; double deletes; continuation legs keep the
 * handle; DeleteSecurityContext racing MakeSignature on other threads; slot
 * reuse over many allocations never revives a stale handle.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "test-util.h"

static struct tu_pair pair;

static void setup_pair(void)
{
    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockGood", &pair), SEC_E_OK);
}

static void teardown_pair(void)
{
    tu_pair_close(&pair);
    ck_assert_no_violation(tu_state("mock-good"));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Every context entry point with `h` as the context (all other arguments
 * valid); each must say SEC_E_INVALID_HANDLE. */
static void assert_bad_context(CtxtHandle *h, const char *what)
{
    char data[16] = "data";
    uint8_t sig[MOCK_SIG_LEN], tok[64];
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecBuffer tb = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc td = {SECBUFFER_VERSION, 1, &tb};
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecPkgContext_Sizes sz;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle out;
    uint32_t qop = 0, attrs = 0, v = 0;
    HANDLE token = NULL;
    TimeStamp ts;
    struct mock_state *st = tu_state("mock-good");
    uint32_t sign_before = st ? st->pkg[0].sign_calls : 0;
    const char *w = what;

    memset(tok, 0, sizeof(tok));
    memcpy(tok, "MOCKCHL2", 8);
#define BAD(call)                                                                                  \
    do {                                                                                           \
        SECURITY_STATUS bad_st_ = (call);                                                          \
        ck_assert_msg(bad_st_ == SEC_E_INVALID_HANDLE, "%s: %s gave %s", w, #call,                 \
                      tu_status_str(bad_st_));                                                     \
    } while (0)
    BAD(MakeSignature(h, 0, &d, 0));
    BAD(VerifySignature(h, &d, 0, &qop));
    BAD(EncryptMessage(h, 0, &d, 0));
    BAD(DecryptMessage(h, &d, 0, &qop));
    BAD(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz));
    BAD(QueryContextAttributesW(h, SECPKG_ATTR_SIZES, &sz));
    BAD(QueryContextAttributesExA(h, SECPKG_ATTR_SIZES, &sz, sizeof(sz)));
    BAD(QueryContextAttributesExW(h, SECPKG_ATTR_SIZES, &sz, sizeof(sz)));
    BAD(SetContextAttributesA(h, SECPKG_ATTR_FLAGS, &v, sizeof(v)));
    BAD(SetContextAttributesW(h, SECPKG_ATTR_FLAGS, &v, sizeof(v)));
    BAD(ApplyControlToken(h, &td));
    BAD(CompleteAuthToken(h, &td));
    BAD(ImpersonateSecurityContext(h));
    BAD(RevertSecurityContext(h));
    BAD(QuerySecurityContextToken(h, &token));
    BAD(ExportSecurityContext(h, 0, &packed, &token));
    BAD(InitializeSecurityContextA(&pair.client_cred, h, (SEC_CHAR *)"host/test", 0, 0,
                                   SECURITY_NATIVE_DREP, &td, 0, &out, &od, &attrs, &ts));
    BAD(InitializeSecurityContextW(&pair.client_cred, h, (SEC_WCHAR *)u"host/test", 0, 0,
                                   SECURITY_NATIVE_DREP, &td, 0, &out, &od, &attrs, &ts));
    BAD(AcceptSecurityContext(&pair.server_cred, h, &td, 0, SECURITY_NATIVE_DREP, &out, &od, &attrs,
                              &ts));
    BAD(DeleteSecurityContext(h));
    ck_assert_ptr_null(packed.pvBuffer);
    if (st != NULL)
        ck_assert_uint_eq(st->pkg[0].sign_calls, sign_before);
}

/* Every credential entry point with `h` as the credential. */
static void assert_bad_credential(CredHandle *h, const char *what)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer ib = {16, SECBUFFER_TOKEN, tok};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecPkgCredentials_NamesW nw = {NULL};
    SecPkgCredentials_NamesA na = {NULL};
    CtxtHandle out;
    uint32_t attrs = 0, v = 0;
    TimeStamp ts;
    const char *w = what;

    memset(tok, 0, sizeof(tok));
    memcpy(tok, "MOCKNEG1", 8);
    BAD(QueryCredentialsAttributesW(h, SECPKG_CRED_ATTR_NAMES, &nw));
    BAD(QueryCredentialsAttributesA(h, SECPKG_CRED_ATTR_NAMES, &na));
    BAD(QueryCredentialsAttributesExW(h, SECPKG_CRED_ATTR_NAMES, &nw, sizeof(nw)));
    BAD(QueryCredentialsAttributesExA(h, SECPKG_CRED_ATTR_NAMES, &na, sizeof(na)));
    BAD(SetCredentialsAttributesW(h, SECPKG_CRED_ATTR_NAMES, &v, sizeof(v)));
    BAD(SetCredentialsAttributesA(h, SECPKG_CRED_ATTR_NAMES, &v, sizeof(v)));
    BAD(AddCredentialsW(h, NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                        &ts));
    BAD(AddCredentialsA(h, NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                        &ts));
    BAD(InitializeSecurityContextA(h, NULL, (SEC_CHAR *)"host/test", 0, 0, SECURITY_NATIVE_DREP,
                                   NULL, 0, &out, &od, &attrs, &ts));
    BAD(InitializeSecurityContextW(h, NULL, (SEC_WCHAR *)u"host/test", 0, 0, SECURITY_NATIVE_DREP,
                                   NULL, 0, &out, &od, &attrs, &ts));
    BAD(AcceptSecurityContext(h, NULL, &id, 0, SECURITY_NATIVE_DREP, &out, &od, &attrs, &ts));
    BAD(FreeCredentialsHandle(h));
    ck_assert_ptr_null(nw.sUserName);
    ck_assert_ptr_null(na.sUserName);
#undef BAD
}

static void assert_bad_both(SecHandle h, const char *what)
{
    SecHandle a = h, b = h;

    assert_bad_context(&a, what);
    assert_bad_credential(&b, what);
}

START_TEST(test_zero_handle)
{
    SecHandle h = {0, 0};

    assert_bad_both(h, "zeroed handle");
}
END_TEST

START_TEST(test_minus_one_handle)
{
    SecHandle h;

    SecInvalidateHandle(&h);
    assert_bad_both(h, "{-1,-1}");
    h.dwLower = 0;
    assert_bad_both(h, "{0,-1}");
    h.dwLower = (ULONG_PTR)-1;
    h.dwUpper = 0;
    assert_bad_both(h, "{-1,0}");
    h.dwLower = h.dwUpper = SEC_DELETED_HANDLE;
    assert_bad_both(h, "SEC_DELETED_HANDLE");
}
END_TEST

START_TEST(test_forged_handles)
{
    for (int i = 0; i < 200; i++) {
        SecHandle h = {(ULONG_PTR)rng(), (ULONG_PTR)rng()};

        if (i % 4 == 1)
            h.dwUpper = pair.client.dwUpper; /* right kind and generation bits */
        if (i % 4 == 2)
            h.dwLower = pair.client.dwLower;
        if ((h.dwLower == pair.client.dwLower && h.dwUpper == pair.client.dwUpper) ||
            (h.dwLower == pair.server.dwLower && h.dwUpper == pair.server.dwUpper))
            continue;
        assert_bad_both(h, "forged handle");
    }
}
END_TEST

/* Every single-bit change of a live handle is a different, invalid handle. */
START_TEST(test_bit_flipped_handles)
{
    SecPkgContext_Sizes sz;
    SecPkgCredentials_NamesW nw;

    for (int half = 0; half < 2; half++) {
        for (int bit = 0; bit < (int)(8 * sizeof(ULONG_PTR)); bit++) {
            CtxtHandle c = pair.client;
            CredHandle k = pair.client_cred;

            if (half == 0) {
                c.dwLower ^= (ULONG_PTR)1 << bit;
                k.dwLower ^= (ULONG_PTR)1 << bit;
            } else {
                c.dwUpper ^= (ULONG_PTR)1 << bit;
                k.dwUpper ^= (ULONG_PTR)1 << bit;
            }
            ck_assert_msg(QueryContextAttributesW(&c, SECPKG_ATTR_SIZES, &sz) ==
                              SEC_E_INVALID_HANDLE,
                          "context handle with bit %d of %s flipped is accepted", bit,
                          half ? "dwUpper" : "dwLower");
            ck_assert_msg(QueryCredentialsAttributesW(&k, SECPKG_CRED_ATTR_NAMES, &nw) ==
                              SEC_E_INVALID_HANDLE,
                          "credential handle with bit %d of %s flipped is accepted", bit,
                          half ? "dwUpper" : "dwLower");
        }
    }
    /* The originals still work. */
    ck_assert_status(QueryContextAttributesW(&pair.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
}
END_TEST

START_TEST(test_wrong_kind)
{
    CtxtHandle as_ctx = pair.client_cred;
    CredHandle as_cred = pair.client;

    assert_bad_context(&as_ctx, "credential handle used as a context");
    assert_bad_credential(&as_cred, "context handle used as a credential");
    /* Both still work afterwards. */
    ck_assert_status(tu_sign_verify(&pair.client, &pair.server, 0, 1), SEC_E_OK);
}
END_TEST

START_TEST(test_stale_handles)
{
    struct tu_pair p;
    CtxtHandle c;
    CredHandle k;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    c = p.client;
    k = p.client_cred;
    ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
    assert_bad_context(&c, "deleted context");
    assert_bad_credential(&k, "freed credential");
    /* The peer is unaffected. */
    ck_assert_status(
        QueryContextAttributesW(&p.server, SECPKG_ATTR_SIZES, &(SecPkgContext_Sizes){0}), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
}
END_TEST

START_TEST(test_double_delete)
{
    struct tu_pair p;
    CtxtHandle c;
    CredHandle k;
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t user_deletes, lsa_deletes;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    c = p.client;
    k = p.client_cred;
    ck_assert_ptr_nonnull(r);
    user_deletes = r->user_delete_calls;
    lsa_deletes = r->lsa_delete_calls;
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_uint_eq(r->user_delete_calls, user_deletes + 1);
    ck_assert_uint_eq(r->lsa_delete_calls, lsa_deletes + 1);
    ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_INVALID_HANDLE);
    ck_assert_uint_eq(r->user_delete_calls, user_deletes + 1);
    ck_assert_uint_eq(r->lsa_delete_calls, lsa_deletes + 1);
    ck_assert_status(FreeCredentialsHandle(&k), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.client_cred), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_INVALID_HANDLE);
}
END_TEST

START_TEST(test_null_handle_pointers)
{
    char data[8] = "x";
    uint8_t sig[MOCK_SIG_LEN], tok[64];
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecPkgContext_Sizes sz;
    SecPkgCredentials_NamesW nw;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle out;
    uint32_t qop, attrs, v = 0;
    HANDLE token;
    TimeStamp ts;

    ck_assert_status(MakeSignature(NULL, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_status(VerifySignature(NULL, &d, 0, &qop), SEC_E_INVALID_HANDLE);
    ck_assert_status(EncryptMessage(NULL, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_status(DecryptMessage(NULL, &d, 0, &qop), SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryContextAttributesW(NULL, SECPKG_ATTR_SIZES, &sz), SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryContextAttributesA(NULL, SECPKG_ATTR_SIZES, &sz), SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryContextAttributesExW(NULL, SECPKG_ATTR_SIZES, &sz, sizeof(sz)),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(SetContextAttributesW(NULL, SECPKG_ATTR_FLAGS, &v, sizeof(v)),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(ImpersonateSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(RevertSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(QuerySecurityContextToken(NULL, &token), SEC_E_INVALID_HANDLE);
    ck_assert_status(ExportSecurityContext(NULL, 0, &packed, NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(CompleteAuthToken(NULL, &od), SEC_E_INVALID_HANDLE);
    ck_assert_status(ApplyControlToken(NULL, &od), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryCredentialsAttributesW(NULL, SECPKG_CRED_ATTR_NAMES, &nw),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryCredentialsAttributesA(NULL, SECPKG_CRED_ATTR_NAMES, &nw),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(SetCredentialsAttributesW(NULL, SECPKG_CRED_ATTR_NAMES, &v, sizeof(v)),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(AddCredentialsA(NULL, NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND, NULL,
                                     NULL, NULL, &ts),
                     SEC_E_INVALID_HANDLE);
    /* ISC/ASC with neither a credential nor a context. */
    ck_assert_status(InitializeSecurityContextA(NULL, NULL, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &out, &od, &attrs,
                                                &ts),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(InitializeSecurityContextW(NULL, NULL, (SEC_WCHAR *)u"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &out, &od, &attrs,
                                                &ts),
                     SEC_E_INVALID_HANDLE);
    ck_assert_status(
        AcceptSecurityContext(NULL, NULL, &od, 0, SECURITY_NATIVE_DREP, &out, &od, &attrs, &ts),
        SEC_E_INVALID_HANDLE);
}
END_TEST

/* The continuation legs of ISC and ASC return the handle of the first leg,
 * also when phNewContext is a different variable. */
START_TEST(test_continuation_same_handle)
{
    struct tu_pair p;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    ck_assert(p.same_client_handle);
    ck_assert(p.same_server_handle);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

START_TEST(test_continuation_separate_output)
{
    uint8_t t1[64], t2[64], t3[64];
    SecBuffer ib, ob;
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    CredHandle cc, sc;
    CtxtHandle c1, c2, s1, s2;
    uint32_t attrs;
    TimeStamp ts;

    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &cc, &ts),
                     SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_INBOUND,
                                               NULL, NULL, NULL, NULL, &sc, &ts),
                     SEC_E_OK);
    ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
    ck_assert_status(InitializeSecurityContextW(&cc, NULL, (SEC_WCHAR *)u"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &c1, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof(t2), SECBUFFER_TOKEN, t2};
    ck_assert_status(
        AcceptSecurityContext(&sc, NULL, &id, 0, SECURITY_NATIVE_DREP, &s1, &od, &attrs, &ts),
        SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){sizeof(t3), SECBUFFER_TOKEN, t3};
    memset(&c2, 0xee, sizeof(c2));
    ck_assert_status(InitializeSecurityContextW(&cc, &c1, (SEC_WCHAR *)u"t", 0, 0,
                                                SECURITY_NATIVE_DREP, &id, 0, &c2, &od, &attrs,
                                                &ts),
                     SEC_E_OK);
    ck_assert(c2.dwLower == c1.dwLower && c2.dwUpper == c1.dwUpper);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t3};
    ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
    memset(&s2, 0xee, sizeof(s2));
    ck_assert_status(
        AcceptSecurityContext(&sc, &s1, &id, 0, SECURITY_NATIVE_DREP, &s2, &od, &attrs, &ts),
        SEC_E_OK);
    ck_assert(s2.dwLower == s1.dwLower && s2.dwUpper == s1.dwUpper);
    ck_assert_status(tu_sign_verify(&c1, &s1, 0, 4), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&c1), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&s2), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&cc), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&sc), SEC_E_OK);
}
END_TEST

/* A failed first leg leaves no context behind. */
START_TEST(test_failed_first_leg_no_handle)
{
    uint8_t t[64];
    SecBuffer ob = {sizeof(t), SECBUFFER_TOKEN, t};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle c;
    uint32_t attrs;
    TimeStamp ts;
    SecPkgContext_Sizes sz;

    SecInvalidateHandle(&c);
    ck_assert_status(InitializeSecurityContextA(
                         &pair.client_cred, NULL, (SEC_CHAR *)MOCK_STATUS_PREFIX "8009030C", 0, 0,
                         SECURITY_NATIVE_DREP, NULL, 0, &c, &od, &attrs, &ts),
                     SEC_E_LOGON_DENIED);
    ck_assert_status(QueryContextAttributesW(&c, SECPKG_ATTR_SIZES, &sz), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_INVALID_HANDLE);
}
END_TEST

/* Legs after the first may pass no credential; a credential of another
 * package is refused before the package sees it. */
START_TEST(test_continuation_credentials)
{
    uint8_t t1[64], t2[64], t3[64], t4[64];
    SecBuffer ib, ob;
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    CredHandle foreign;
    CtxtHandle c, s;
    uint32_t attrs;
    TimeStamp ts;

    ck_assert_status(tu_ensure("mock-multi", "MockMultiA"), SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockMultiA", SECPKG_CRED_BOTH,
                                               NULL, NULL, NULL, NULL, &foreign, &ts),
                     SEC_E_OK);
    ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &c, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof(t2), SECBUFFER_TOKEN, t2};
    ck_assert_status(AcceptSecurityContext(&pair.server_cred, NULL, &id, 0, SECURITY_NATIVE_DREP,
                                           &s, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){sizeof(t3), SECBUFFER_TOKEN, t3};
    ck_assert_status(InitializeSecurityContextA(&foreign, &c, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, &id, 0, &c, &od, &attrs, &ts),
                     SEC_E_WRONG_CREDENTIAL_HANDLE);
    ob = (SecBuffer){sizeof(t3), SECBUFFER_TOKEN, t3};
    ck_assert_status(InitializeSecurityContextA(NULL, &c, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, &id, 0, &c, &od, &attrs, &ts),
                     SEC_E_OK);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t3};
    ob = (SecBuffer){sizeof(t4), SECBUFFER_TOKEN, t4};
    ck_assert_status(
        AcceptSecurityContext(&foreign, &s, &id, 0, SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
        SEC_E_WRONG_CREDENTIAL_HANDLE);
    ob = (SecBuffer){sizeof(t4), SECBUFFER_TOKEN, t4};
    ck_assert_status(
        AcceptSecurityContext(NULL, &s, &id, 0, SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
        SEC_E_OK);
    ck_assert_status(tu_sign_verify(&c, &s, 0, 1), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&s), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&foreign), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-multi"));
}
END_TEST

/* Contexts outlive the credential they were made with. */
START_TEST(test_free_credential_keeps_context)
{
    struct tu_pair p;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_OK);
}
END_TEST

/* Several threads delete the same handle at once: exactly one succeeds and
 * the package is told once. */
struct delete_race {
    SecHandle h;
    bool context;
    atomic_int go;
    atomic_int ok;
    atomic_int invalid;
};

static void *delete_racer(void *arg)
{
    struct delete_race *r = arg;
    SecHandle h = r->h;
    SECURITY_STATUS st;

    while (atomic_load(&r->go) == 0)
        sched_yield();
    st = r->context ? DeleteSecurityContext(&h) : FreeCredentialsHandle(&h);
    if (st == SEC_E_OK)
        atomic_fetch_add(&r->ok, 1);
    else if (st == SEC_E_INVALID_HANDLE)
        atomic_fetch_add(&r->invalid, 1);
    return NULL;
}

START_TEST(test_concurrent_delete)
{
    struct mock_pkg_record *rec = tu_record("mock-good", "MockGood");

    for (int round = 0; round < 20; round++) {
        struct tu_pair p;
        pthread_t th[4];
        uint32_t lsa_deletes = rec->lsa_delete_calls, user_deletes = rec->user_delete_calls;
        uint32_t live_creds;

        ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
        live_creds = rec->live_credentials;
        for (int kind = 0; kind < 2; kind++) {
            struct delete_race r = {.h = kind == 0 ? p.client : p.client_cred,
                                    .context = kind == 0};

            atomic_init(&r.go, 0);
            atomic_init(&r.ok, 0);
            atomic_init(&r.invalid, 0);
            for (int i = 0; i < 4; i++)
                ck_assert_int_eq(pthread_create(&th[i], NULL, delete_racer, &r), 0);
            atomic_store(&r.go, 1);
            for (int i = 0; i < 4; i++)
                pthread_join(th[i], NULL);
            ck_assert_int_eq(atomic_load(&r.ok), 1);
            ck_assert_int_eq(atomic_load(&r.invalid), 3);
        }
        ck_assert_uint_eq(rec->lsa_delete_calls, lsa_deletes + 1);
        ck_assert_uint_eq(rec->user_delete_calls, user_deletes + 1);
        ck_assert_uint_eq(rec->live_credentials, live_creds - 1);
        ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_OK);
        ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
    }
    ck_assert_no_violation(tu_state("mock-good"));
}
END_TEST

/* ---- DeleteSecurityContext racing MakeSignature ------------------------- */

#define RACE_THREADS   4
#define RACE_WARMUP    50
#define RACE_MAX_CALLS 2000000

struct race {
    CtxtHandle ctx;
    atomic_bool deleted; /* set after DeleteSecurityContext returned */
    atomic_int ok_calls;
    atomic_int finished;
};

struct racer {
    struct race *race;
    int errors;
    char error[200];
};

static void *race_signer(void *arg)
{
    struct racer *me = arg;
    struct race *r = me->race;
    bool gone = false;
    int after = 0;
    char data[32] = "racing message";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(data), SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    for (int i = 0; i < RACE_MAX_CALLS && after < 5; i++) {
        bool deleted_before = atomic_load(&r->deleted);
        SECURITY_STATUS st;

        b[1].cbBuffer = sizeof(sig);
        st = MakeSignature(&r->ctx, 0, &d, (uint32_t)i);
        if (deleted_before)
            after++;
        if (st == SEC_E_OK && !gone && !deleted_before) {
            atomic_fetch_add(&r->ok_calls, 1);
            continue;
        }
        if (st == SEC_E_INVALID_HANDLE) {
            gone = true;
            continue;
        }
        me->errors++;
        snprintf(me->error, sizeof(me->error), "call %d: %s (deleted before: %d, gone: %d)", i,
                 tu_status_str(st), deleted_before, gone);
        break;
    }
    atomic_fetch_add(&r->finished, 1);
    return NULL;
}

START_TEST(test_delete_while_signing)
{
    for (int round = 0; round < 8; round++) {
        struct tu_pair p;
        struct race r;
        struct racer racers[RACE_THREADS];
        pthread_t th[RACE_THREADS];

        ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
        r.ctx = p.client;
        atomic_init(&r.deleted, false);
        atomic_init(&r.ok_calls, 0);
        atomic_init(&r.finished, 0);
        for (int i = 0; i < RACE_THREADS; i++) {
            racers[i] = (struct racer){.race = &r};
            ck_assert_int_eq(pthread_create(&th[i], NULL, race_signer, &racers[i]), 0);
        }
        while (atomic_load(&r.ok_calls) < RACE_WARMUP * RACE_THREADS &&
               atomic_load(&r.finished) == 0)
            sched_yield();
        ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_OK);
        atomic_store(&r.deleted, true);
        for (int i = 0; i < RACE_THREADS; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < RACE_THREADS; i++)
            ck_assert_msg(racers[i].errors == 0, "round %d thread %d: %s", round, i,
                          racers[i].error);
        ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_INVALID_HANDLE);
        ck_assert_status(DeleteSecurityContext(&p.server), SEC_E_OK);
        ck_assert_status(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
        ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
        ck_assert_no_violation(tu_state("mock-good"));
    }
}
END_TEST

/* DeleteSecurityContext racing the last InitializeSecurityContext leg of the
 * same context: the leg either completes or finds the handle gone, and the
 * package never sees a call on a context it already deleted. */
struct leg_race {
    CredHandle cred;
    CtxtHandle ctx;
    uint8_t challenge[64];
    uint32_t challenge_len;
    atomic_int go;
    SECURITY_STATUS st;
};

static void *leg_racer(void *arg)
{
    struct leg_race *r = arg;
    uint8_t out[64];
    SecBuffer ib = {r->challenge_len, SECBUFFER_TOKEN, r->challenge};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof(out), SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle h = r->ctx;
    uint32_t attrs;
    TimeStamp ts;

    while (atomic_load(&r->go) == 0)
        sched_yield();
    r->st = InitializeSecurityContextA(&r->cred, &h, (SEC_CHAR *)"t", 0, 0, SECURITY_NATIVE_DREP,
                                       &id, 0, &h, &od, &attrs, &ts);
    return NULL;
}

START_TEST(test_delete_during_last_leg)
{
    struct mock_pkg_record *rec = tu_record("mock-good", "MockGood");

    for (int round = 0; round < 20; round++) {
        struct leg_race r;
        uint8_t t1[64];
        SecBuffer ib, ob;
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
        CtxtHandle server;
        uint32_t attrs, live = rec->live_contexts;
        TimeStamp ts;
        pthread_t th;

        memset(&r, 0, sizeof(r));
        r.cred = pair.client_cred;
        ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
        ck_assert_status(InitializeSecurityContextA(&r.cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &r.ctx, &od,
                                                    &attrs, &ts),
                         SEC_I_CONTINUE_NEEDED);
        ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
        ob = (SecBuffer){sizeof(r.challenge), SECBUFFER_TOKEN, r.challenge};
        ck_assert_status(AcceptSecurityContext(&pair.server_cred, NULL, &id, 0,
                                               SECURITY_NATIVE_DREP, &server, &od, &attrs, &ts),
                         SEC_I_CONTINUE_NEEDED);
        r.challenge_len = ob.cbBuffer;
        atomic_init(&r.go, 0);
        ck_assert_int_eq(pthread_create(&th, NULL, leg_racer, &r), 0);
        atomic_store(&r.go, 1);
        ck_assert_status(DeleteSecurityContext(&r.ctx), SEC_E_OK);
        pthread_join(th, NULL);
        ck_assert_status2(r.st, SEC_E_OK, SEC_E_INVALID_HANDLE);
        ck_assert_status(DeleteSecurityContext(&r.ctx), SEC_E_INVALID_HANDLE);
        ck_assert_status(DeleteSecurityContext(&server), SEC_E_OK);
        ck_assert_uint_eq(rec->live_contexts, live);
        ck_assert_no_violation(tu_state("mock-good"));
    }
}
END_TEST

/* ---- many handles ------------------------------------------------------- */

static SECURITY_STATUS probe_cred(CredHandle *h)
{
    /* An attribute the mock does not support: valid handles reach it. */
    uint8_t buf[64];

    return QueryCredentialsAttributesW(h, 0x7777, buf);
}

START_TEST(test_many_credentials)
{
    CredHandle first, prev, h;
    TimeStamp ts;
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t live_before;

    ck_assert_ptr_nonnull(r);
    live_before = r->live_credentials;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &first, &ts),
                     SEC_E_OK);
    ck_assert_status(probe_cred(&first), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(FreeCredentialsHandle(&first), SEC_E_OK);
    prev = first;
    for (int i = 0; i < 100000; i++) {
        SECURITY_STATUS st = AcquireCredentialsHandleA(
            NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, &ts);

        ck_assert_msg(st == SEC_E_OK, "cycle %d: %s", i, tu_status_str(st));
        /* While h is live, no stale handle is valid. */
        st = probe_cred(&first);
        ck_assert_msg(st == SEC_E_INVALID_HANDLE, "cycle %d: first stale handle: %s", i,
                      tu_status_str(st));
        st = probe_cred(&prev);
        ck_assert_msg(st == SEC_E_INVALID_HANDLE, "cycle %d: previous stale handle: %s", i,
                      tu_status_str(st));
        ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
        prev = h;
    }
    ck_assert_uint_eq(r->live_credentials, live_before);
}
END_TEST

START_TEST(test_random_alloc_free)
{
    enum { LIVE = 64, STALE = 256, OPS = 20000 };
    CredHandle live[LIVE], stale[STALE];
    bool used[LIVE] = {false};
    int nstale = 0;
    TimeStamp ts;

    for (int op = 0; op < OPS; op++) {
        int i = (int)(rng() % LIVE);

        if (used[i]) {
            ck_assert_status(probe_cred(&live[i]), SEC_E_UNSUPPORTED_FUNCTION);
            ck_assert_status(FreeCredentialsHandle(&live[i]), SEC_E_OK);
            stale[nstale++ % STALE] = live[i];
            used[i] = false;
        } else {
            ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood",
                                                       SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                       &live[i], &ts),
                             SEC_E_OK);
            used[i] = true;
        }
        if (nstale > 0) {
            CredHandle *s = &stale[rng() % (uint64_t)(nstale < STALE ? nstale : STALE)];

            ck_assert_msg(probe_cred(s) == SEC_E_INVALID_HANDLE, "op %d: stale handle valid", op);
        }
    }
    for (int i = 0; i < LIVE; i++)
        if (used[i])
            ck_assert_status(FreeCredentialsHandle(&live[i]), SEC_E_OK);
}
END_TEST

START_TEST(test_many_contexts)
{
    CtxtHandle first = {0, 0};
    SecPkgContext_Sizes sz;

    for (int i = 0; i < 1000; i++) {
        struct tu_pair p;

        ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
        if (i == 0)
            first = p.client;
        else
            ck_assert_status(QueryContextAttributesW(&first, SECPKG_ATTR_SIZES, &sz),
                             SEC_E_INVALID_HANDLE);
        ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    }
    ck_assert_no_violation(tu_state("mock-good"));
}
END_TEST

static Suite *handles_suite(void)
{
    Suite *s = suite_create("handles");
    TCase *tc = tcase_create("bad");

    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_zero_handle);
    tcase_add_test(tc, test_minus_one_handle);
    tcase_add_test(tc, test_forged_handles);
    tcase_add_test(tc, test_bit_flipped_handles);
    tcase_add_test(tc, test_wrong_kind);
    tcase_add_test(tc, test_stale_handles);
    tcase_add_test(tc, test_double_delete);
    tcase_add_test(tc, test_null_handle_pointers);
    tcase_add_test(tc, test_continuation_same_handle);
    tcase_add_test(tc, test_continuation_separate_output);
    tcase_add_test(tc, test_failed_first_leg_no_handle);
    tcase_add_test(tc, test_continuation_credentials);
    tcase_add_test(tc, test_free_credential_keeps_context);
    suite_add_tcase(s, tc);

    tc = tcase_create("lifetime");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_delete_while_signing);
    tcase_add_test(tc, test_concurrent_delete);
    tcase_add_test(tc, test_delete_during_last_leg);
    tcase_add_test(tc, test_many_credentials);
    tcase_add_test(tc, test_random_alloc_free);
    tcase_add_test(tc, test_many_contexts);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, handles_suite, NULL);
}
