/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-api.c - the public entry points as a caller sees them: argument
 * checking (NULL pointers, bad buffer descriptors, unknown package names,
 * A and W forms), the InitSecurityInterfaceA/W tables, memory handed to the
 * caller and FreeContextBuffer, the libsspi.h extras, and a provider-shape
 * package used end to end.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
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

static bool u16eq(const SEC_WCHAR *a, const char16_t *b)
{
    size_t i;

    if (a == NULL)
        return false;
    for (i = 0; b[i] != 0; i++)
        if (a[i] != b[i])
            return false;
    return a[i] == 0;
}

/* ---- InitSecurityInterfaceA/W ------------------------------------------- */

/* Slots (8 bytes each, dwVersion first) that must stay NULL: Reserved2 and
 * Reserved8.  Reserved3/Reserved4 (18, 19) are EncryptMessage (25) and
 * DecryptMessage (26), as on Windows. */
static bool reserved_slot(int i)
{
    return i == 5 || i == 23;
}

static void *slot(const void *table, int i)
{
    void *p;

    memcpy(&p, (const char *)table + 8 * i, sizeof(p));
    return p;
}

/* Windows reports dwVersion 1 and fills every slot through the *Ex ones. */
static void check_table(const void *table, size_t size, const char *which)
{
    uint32_t version;

    ck_assert_ptr_nonnull(table);
    memcpy(&version, table, sizeof(version));
    ck_assert_msg(version == SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
                  "%s: dwVersion %u, Windows says 1", which, version);
    ck_assert_uint_eq(size, 32 * 8);
    for (int i = 1; i < 32; i++) {
        if (reserved_slot(i))
            ck_assert_msg(slot(table, i) == NULL, "%s: reserved slot %d is not NULL", which, i);
        else
            ck_assert_msg(slot(table, i) != NULL, "%s: slot %d is NULL", which, i);
    }
    ck_assert_msg(slot(table, 18) == slot(table, 25), "%s: Reserved3 is not EncryptMessage", which);
    ck_assert_msg(slot(table, 19) == slot(table, 26), "%s: Reserved4 is not DecryptMessage", which);
}

START_TEST(test_tables_complete)
{
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    PSecurityFunctionTableA a = InitSecurityInterfaceA();

    check_table(w, sizeof(*w), "SecurityFunctionTableW");
    check_table(a, sizeof(*a), "SecurityFunctionTableA");
    ck_assert(w->Reserved3 == a->Reserved3 && w->Reserved4 == a->Reserved4);
}
END_TEST

START_TEST(test_tables_work)
{
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    uint32_t n = 0;
    PSecPkgInfoW pw = NULL;
    PSecPkgInfoA pa = NULL;
    CredHandle cc, sc;
    CtxtHandle c, s;
    uint8_t t1[64], t2[64], t3[64], sig[MOCK_SIG_LEN];
    char msg[] = "through the tables";
    SecBuffer ib, ob, mb[2];
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    SecBufferDesc md = {SECBUFFER_VERSION, 2, mb};
    uint32_t attrs, qop = 99;
    TimeStamp ts;

    ck_assert_status(w->EnumerateSecurityPackagesW(&n, &pw), SEC_E_OK);
    ck_assert_uint_ge(n, 1);
    ck_assert_status(w->FreeContextBuffer(pw), SEC_E_OK);
    ck_assert_status(a->QuerySecurityPackageInfoA((SEC_CHAR *)"MockGood", &pa), SEC_E_OK);
    ck_assert_str_eq(pa->Name, "MockGood");
    ck_assert_status(a->FreeContextBuffer(pa), SEC_E_OK);

    /* Client through the A table, server through the W table. */
    ck_assert_status(a->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood",
                                                  SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cc,
                                                  &ts),
                     SEC_E_OK);
    ck_assert_status(w->AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood",
                                                  SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc,
                                                  &ts),
                     SEC_E_OK);
    ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
    ck_assert_status(a->InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)"t", 0, 0,
                                                   SECURITY_NATIVE_DREP, NULL, 0, &c, &od, &attrs,
                                                   &ts),
                     SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof(t2), SECBUFFER_TOKEN, t2};
    ck_assert_status(
        w->AcceptSecurityContext(&sc, NULL, &id, 0, SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
        SEC_I_CONTINUE_NEEDED);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){sizeof(t3), SECBUFFER_TOKEN, t3};
    ck_assert_status(a->InitializeSecurityContextA(&cc, &c, (SEC_CHAR *)"t", 0, 0,
                                                   SECURITY_NATIVE_DREP, &id, 0, &c, &od, &attrs,
                                                   &ts),
                     SEC_E_OK);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t3};
    ob = (SecBuffer){sizeof(t1), SECBUFFER_TOKEN, t1};
    ck_assert_status(
        w->AcceptSecurityContext(&sc, &s, &id, 0, SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
        SEC_E_OK);
    mb[0] = (SecBuffer){sizeof(msg), SECBUFFER_DATA, msg};
    mb[1] = (SecBuffer){sizeof(sig), SECBUFFER_TOKEN, sig};
    ck_assert_status(a->MakeSignature(&c, 7, &md, 1), SEC_E_OK);
    ck_assert_status(w->VerifySignature(&s, &md, 1, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 7);
    ck_assert_status(w->EncryptMessage(&s, 0, &md, 2), SEC_E_OK);
    ck_assert_status(a->DecryptMessage(&c, &md, 2, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "through the tables");
    ck_assert_status(a->DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(w->DeleteSecurityContext(&s), SEC_E_OK);
    ck_assert_status(a->FreeCredentialHandle(&cc), SEC_E_OK);
    ck_assert_status(w->FreeCredentialsHandle(&sc), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-good"));
}
END_TEST

/* ---- argument checking -------------------------------------------------- */

START_TEST(test_enumerate_args)
{
    uint32_t n = 0;
    PSecPkgInfoA pa = NULL;
    PSecPkgInfoW pw = NULL;

    ck_assert_status(EnumerateSecurityPackagesA(NULL, &pa), SEC_E_INVALID_PARAMETER);
    ck_assert_status(EnumerateSecurityPackagesA(&n, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(EnumerateSecurityPackagesW(NULL, &pw), SEC_E_INVALID_PARAMETER);
    ck_assert_status(EnumerateSecurityPackagesW(&n, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_ptr_null(pa);
    ck_assert_ptr_null(pw);
}
END_TEST

START_TEST(test_query_info_args)
{
    PSecPkgInfoA pa = NULL;
    PSecPkgInfoW pw = NULL;

    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockGood", NULL),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"MockGood", NULL),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"NoSuchPackage", &pa),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"NoSuchPackage", &pw),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status2(QuerySecurityPackageInfoA(NULL, &pa), SEC_E_SECPKG_NOT_FOUND,
                      SEC_E_INVALID_PARAMETER);
    ck_assert_status2(QuerySecurityPackageInfoW(NULL, &pw), SEC_E_SECPKG_NOT_FOUND,
                      SEC_E_INVALID_PARAMETER);
    ck_assert_status2(QuerySecurityPackageInfoA((SEC_CHAR *)"Mock\xffGood", &pa),
                      SEC_E_SECPKG_NOT_FOUND, SEC_E_INVALID_PARAMETER);
    ck_assert_status2(QuerySecurityPackageInfoW((SEC_WCHAR *)u"Mock\xdc00Good", &pw),
                      SEC_E_SECPKG_NOT_FOUND, SEC_E_INVALID_PARAMETER);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"", &pa), SEC_E_SECPKG_NOT_FOUND);
    /* A prefix or an extension of a name is another name. */
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockGoo", &pa), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockGoodX", &pa),
                     SEC_E_SECPKG_NOT_FOUND);
    {
        static char longname[100001];
        static char16_t longname_w[100001];

        memset(longname, 'M', sizeof(longname) - 1);
        for (size_t i = 0; i + 1 < sizeof(longname_w) / sizeof(longname_w[0]); i++)
            longname_w[i] = u'M';
        ck_assert_status(QuerySecurityPackageInfoA(longname, &pa), SEC_E_SECPKG_NOT_FOUND);
        ck_assert_status(QuerySecurityPackageInfoW(longname_w, &pw), SEC_E_SECPKG_NOT_FOUND);
        ck_assert_msg(AcquireCredentialsHandleA(NULL, longname, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                                NULL, NULL, &(CredHandle){0, 0}, NULL) < 0,
                      "long package name accepted");
    }
    ck_assert_ptr_null(pa);
    ck_assert_ptr_null(pw);
}
END_TEST

START_TEST(test_acquire_args)
{
    CredHandle c;
    TimeStamp ts;
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t calls = r->ach_calls;
    static char16_t huge[40000];

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NoSuchPackage",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                               &ts),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NoSuchPackage",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                               &ts),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status2(AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                NULL, &c, &ts),
                      SEC_E_SECPKG_NOT_FOUND, SEC_E_INVALID_PARAMETER);
    ck_assert_status2(AcquireCredentialsHandleW(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                NULL, &c, &ts),
                      SEC_E_SECPKG_NOT_FOUND, SEC_E_INVALID_PARAMETER);
    /* A NULL output handle pointer: rejected as a bad handle or parameter. */
    ck_assert_status2(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                                NULL, NULL, NULL, NULL, NULL, &ts),
                      SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER);
    ck_assert_status2(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood",
                                                SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, NULL,
                                                &ts),
                      SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER);
    /* A principal that does not fit a UNICODE_STRING. */
    for (size_t i = 0; i + 1 < sizeof(huge) / sizeof(huge[0]); i++)
        huge[i] = u'p';
    ck_assert_status(AcquireCredentialsHandleW(huge, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_INVALID_PARAMETER);
    /* Invalid UTF-8 principal in the A form. */
    ck_assert_msg(AcquireCredentialsHandleA((SEC_CHAR *)"bad\xc3", (SEC_CHAR *)"MockGood",
                                            SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                            &ts) < 0,
                  "invalid UTF-8 principal accepted");
    ck_assert_uint_eq(r->ach_calls, calls);
    /* ptsExpiry is optional. */
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, NULL),
                     SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
}
END_TEST

static void bad_descs(SecBufferDesc *out, SecBuffer *bufs, int i)
{
    static char data[8];

    bufs[0] = (SecBuffer){sizeof(data), SECBUFFER_DATA, data};
    bufs[1] = (SecBuffer){MOCK_SIG_LEN, SECBUFFER_TOKEN, data};
    *out = (SecBufferDesc){SECBUFFER_VERSION, 2, bufs};
    switch (i) {
    case 0:
        out->ulVersion = 1;
        break;
    case 1:
        out->ulVersion = 0xffffffffu;
        break;
    case 2:
        out->cBuffers = 0;
        break;
    case 3:
        out->cBuffers = 0xffffffffu;
        break;
    case 4:
        out->cBuffers = 65;
        break;
    case 5:
        out->pBuffers = NULL;
        break;
    case 6:
        bufs[1].pvBuffer = NULL;
        break;
    default:
        out->cBuffers = 0x80000000u;
        break;
    }
}

START_TEST(test_message_descs)
{
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t before[4] = {r->sign_calls, r->verify_calls, r->seal_calls, r->unseal_calls};
    uint32_t qop;

    for (int i = 0; i < 8; i++) {
        SecBufferDesc d;
        SecBuffer b[2];

        bad_descs(&d, b, i);
        ck_assert_msg(MakeSignature(&pair.client, 0, &d, 0) == SEC_E_INVALID_TOKEN, "case %d", i);
        bad_descs(&d, b, i);
        ck_assert_msg(VerifySignature(&pair.client, &d, 0, &qop) == SEC_E_INVALID_TOKEN, "case %d",
                      i);
        bad_descs(&d, b, i);
        ck_assert_msg(EncryptMessage(&pair.client, 0, &d, 0) == SEC_E_INVALID_TOKEN, "case %d", i);
        bad_descs(&d, b, i);
        ck_assert_msg(DecryptMessage(&pair.client, &d, 0, &qop) == SEC_E_INVALID_TOKEN, "case %d",
                      i);
    }
    ck_assert_status(MakeSignature(&pair.client, 0, NULL, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(VerifySignature(&pair.client, NULL, 0, &qop), SEC_E_INVALID_TOKEN);
    ck_assert_status(EncryptMessage(&pair.client, 0, NULL, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(DecryptMessage(&pair.client, NULL, 0, &qop), SEC_E_INVALID_TOKEN);
    /* None of these reached the package. */
    ck_assert_uint_eq(r->sign_calls, before[0]);
    ck_assert_uint_eq(r->verify_calls, before[1]);
    ck_assert_uint_eq(r->seal_calls, before[2]);
    ck_assert_uint_eq(r->unseal_calls, before[3]);
    /* The context still works. */
    ck_assert_status(tu_sign_verify(&pair.client, &pair.server, 0, 1), SEC_E_OK);
}
END_TEST

START_TEST(test_context_descs)
{
    CredHandle c;
    CtxtHandle x;
    uint8_t tok[64];
    uint32_t attrs;
    TimeStamp ts;
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t isc = r->isc_calls, asc = r->asc_calls;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_BOTH, NULL,
                                               NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    for (int i = 0; i < 8; i++) {
        SecBufferDesc d;
        SecBuffer b[2];
        SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};

        bad_descs(&d, b, i);
        /* Case 6, an output buffer with a size and no memory, is the
         * package's to answer (below). */
        ck_assert_msg(i == 6 || InitializeSecurityContextA(&c, NULL, (SEC_CHAR *)"t", 0, 0,
                                                           SECURITY_NATIVE_DREP, NULL, 0, &x, &d,
                                                           &attrs, &ts) == SEC_E_INVALID_TOKEN,
                      "output case %d", i);
        bad_descs(&d, b, i);
        ck_assert_msg(AcceptSecurityContext(&c, NULL, &d, 0, SECURITY_NATIVE_DREP, &x, &od, &attrs,
                                            &ts) == SEC_E_INVALID_TOKEN,
                      "input case %d", i);
    }
    ck_assert_uint_eq(r->isc_calls, isc);
    ck_assert_uint_eq(r->asc_calls, asc);
    {
        SecBuffer nb = {sizeof(tok), SECBUFFER_TOKEN, NULL};
        SecBufferDesc nd = {SECBUFFER_VERSION, 1, &nb};
        SECURITY_STATUS st = InitializeSecurityContextA(
            &c, NULL, (SEC_CHAR *)"t", 0, 0, SECURITY_NATIVE_DREP, NULL, 0, &x, &nd, &attrs, &ts);

        ck_assert_uint_eq(r->isc_calls, isc + 1);
        if (SEC_SUCCESS(st))
            ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    }
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
}
END_TEST

START_TEST(test_context_null_outputs)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    TimeStamp ts;
    CtxtHandle x;
    SECURITY_STATUS st;

    ck_assert_status2(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                                 SECURITY_NATIVE_DREP, NULL, 0, NULL, &od, &attrs,
                                                 &ts),
                      SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER);
    ck_assert_status2(AcceptSecurityContext(&pair.server_cred, NULL, &od, 0, SECURITY_NATIVE_DREP,
                                            NULL, &od, &attrs, &ts),
                      SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER);
    /* pfContextAttr and ptsExpiry may be NULL: the package still gets its own. */
    st = InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                    SECURITY_NATIVE_DREP, NULL, 0, &x, &od, NULL, NULL);
    ck_assert_status2(st, SEC_I_CONTINUE_NEEDED, SEC_E_INVALID_PARAMETER);
    if (st == SEC_I_CONTINUE_NEEDED)
        ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
}
END_TEST

START_TEST(test_attribute_args)
{
    SecPkgContext_Sizes sz;
    SecPkgCredentials_NamesW nw;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle x;
    uint8_t any[64];

    ck_assert_status(QueryContextAttributesW(&pair.client, SECPKG_ATTR_SIZES, NULL),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(QueryContextAttributesA(&pair.client, SECPKG_ATTR_SIZES, NULL),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(QueryContextAttributesExW(&pair.client, SECPKG_ATTR_SIZES, &sz, 4),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(QueryContextAttributesExA(&pair.client, SECPKG_ATTR_SIZES, &sz, sizeof(sz)),
                     SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, MOCK_SIG_LEN);
    ck_assert_status(QueryContextAttributesW(&pair.client, 0x7fff, any),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(QueryCredentialsAttributesW(&pair.client_cred, SECPKG_CRED_ATTR_NAMES, NULL),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(QueryCredentialsAttributesW(&pair.client_cred, 0x7fff, &nw),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(ExportSecurityContext(&pair.client, 0, NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"NoSuchPackage", &packed, NULL, &x),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(ImportSecurityContextW((SEC_WCHAR *)u"NoSuchPackage", &packed, NULL, &x),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status2(ImportSecurityContextA((SEC_CHAR *)"MockGood", NULL, NULL, &x),
                      SEC_E_INVALID_TOKEN, SEC_E_INVALID_PARAMETER);
    ck_assert_status2(ImportSecurityContextA((SEC_CHAR *)"MockGood", &packed, NULL, NULL),
                      SEC_E_INVALID_HANDLE, SEC_E_INVALID_PARAMETER);
    /* An empty blob is refused by the core, the same for every package. */
    {
        SecBuffer empty = {0, SECBUFFER_TOKEN, NULL};
        uint8_t byte = 0;
        SecBuffer none = {0, SECBUFFER_TOKEN, &byte};

        ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockGood", &empty, NULL, &x),
                         SEC_E_INVALID_TOKEN);
        ck_assert_status(ImportSecurityContextW((SEC_WCHAR *)u"MockGood", &none, NULL, &x),
                         SEC_E_INVALID_TOKEN);
    }
}
END_TEST

/* Slots MockGood leaves NULL are SEC_E_UNSUPPORTED_FUNCTION. */
START_TEST(test_unsupported_slots)
{
    uint8_t tok[16] = {0};
    SecBuffer b = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    uint32_t v = 0;
    HANDLE token = NULL;
    TimeStamp ts;

    ck_assert_status(ApplyControlToken(&pair.client, &d), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(CompleteAuthToken(&pair.client, &d), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(AddCredentialsA(&pair.client_cred, NULL, (SEC_CHAR *)"MockGood",
                                     SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &ts),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(
        SetCredentialsAttributesW(&pair.client_cred, SECPKG_CRED_ATTR_NAMES, &v, sizeof(v)),
        SEC_E_UNSUPPORTED_FUNCTION);
    /* MockGood has no GetContextToken: a client context has no token. */
    ck_assert_status(QuerySecurityContextToken(&pair.client, &token), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(ImpersonateSecurityContext(&pair.client), SEC_E_NO_IMPERSONATION);
    ck_assert_status(ChangeAccountPasswordA((SEC_CHAR *)"MockGood", (SEC_CHAR *)"D",
                                            (SEC_CHAR *)"u", (SEC_CHAR *)"o", (SEC_CHAR *)"n", 0, 0,
                                            &d),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(ChangeAccountPasswordW((SEC_WCHAR *)u"NoSuchPackage", (SEC_WCHAR *)u"D",
                                            (SEC_WCHAR *)u"u", (SEC_WCHAR *)u"o", (SEC_WCHAR *)u"n",
                                            0, 0, &d),
                     SEC_E_SECPKG_NOT_FOUND);
}
END_TEST

START_TEST(test_set_context_attributes_reaches_package)
{
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    uint32_t before = r->set_context_attr_calls, v = 1;

    ck_assert_status(SetContextAttributesW(&pair.client, SECPKG_ATTR_FLAGS, &v, sizeof(v)),
                     SEC_E_OK);
    ck_assert_status(SetContextAttributesA(&pair.client, SECPKG_ATTR_FLAGS, &v, sizeof(v)),
                     SEC_E_OK);
    ck_assert_uint_eq(r->set_context_attr_calls, before + 2);
}
END_TEST

/* ---- memory handed to the caller ---------------------------------------- */

START_TEST(test_allocate_memory_tokens)
{
    SecBuffer ib, ob;
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle c, s;
    uint32_t attrs = 0;
    TimeStamp ts;
    void *t1, *t2, *t3;

    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_eq(ob.cbBuffer, MOCK_TOKEN_LEN);
    ck_assert_mem_eq(ob.pvBuffer, "MOCKNEG1", 8);
    ck_assert_msg(attrs & ISC_RET_ALLOCATED_MEMORY, "ISC_RET_ALLOCATED_MEMORY not set");
    t1 = ob.pvBuffer;

    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(AcceptSecurityContext(&pair.server_cred, NULL, &id, ASC_REQ_ALLOCATE_MEMORY,
                                           SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_mem_eq(ob.pvBuffer, "MOCKCHL2", 8);
    ck_assert_msg(attrs & ASC_RET_ALLOCATED_MEMORY, "ASC_RET_ALLOCATED_MEMORY not set");
    t2 = ob.pvBuffer;

    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, &c, (SEC_CHAR *)"t",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                &id, 0, &c, &od, &attrs, &ts),
                     SEC_E_OK);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    t3 = ob.pvBuffer;

    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t3};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(AcceptSecurityContext(&pair.server_cred, &s, &id, ASC_REQ_ALLOCATE_MEMORY,
                                           SECURITY_NATIVE_DREP, &s, &od, &attrs, &ts),
                     SEC_E_OK);
    /* The last leg has no token: nothing allocated, or an empty block. */
    ck_assert_uint_eq(ob.cbBuffer, 0);
    if (ob.pvBuffer != NULL)
        ck_assert_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);

    ck_assert_status(tu_sign_verify(&c, &s, 0, 1), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t1), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t2), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t3), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t3), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&s), SEC_E_OK);
}
END_TEST

START_TEST(test_names_freed_by_free_context_buffer)
{
    SecPkgContext_NamesW nw = {NULL};
    SecPkgContext_NamesA na = {NULL};
    SecPkgCredentials_NamesW cw = {NULL};
    SecPkgCredentials_NamesA ca = {NULL};
    SecPkgContext_PackageInfoW piw = {NULL};
    SecPkgContext_PackageInfoA pia = {NULL};

    ck_assert_status(QueryContextAttributesW(&pair.client, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert(u16eq(nw.sUserName, u"mockuser@MOCK"));
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);

    ck_assert_status(QueryContextAttributesA(&pair.server, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_str_eq(na.sUserName, "mockuser@MOCK");
    ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);

    ck_assert_status(QueryCredentialsAttributesW(&pair.client_cred, SECPKG_CRED_ATTR_NAMES, &cw),
                     SEC_E_OK);
    ck_assert(u16eq(cw.sUserName, u"mockuser@MOCK"));
    ck_assert_status(FreeContextBuffer(cw.sUserName), SEC_E_OK);

    ck_assert_status(QueryCredentialsAttributesA(&pair.server_cred, SECPKG_CRED_ATTR_NAMES, &ca),
                     SEC_E_OK);
    ck_assert_str_eq(ca.sUserName, "mockuser@MOCK");
    ck_assert_status(FreeContextBuffer(ca.sUserName), SEC_E_OK);

    ck_assert_status(QueryContextAttributesW(&pair.client, SECPKG_ATTR_PACKAGE_INFO, &piw),
                     SEC_E_OK);
    ck_assert(u16eq(piw.PackageInfo->Name, u"MockGood"));
    ck_assert_status(FreeContextBuffer(piw.PackageInfo), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&pair.client, SECPKG_ATTR_PACKAGE_INFO, &pia),
                     SEC_E_OK);
    ck_assert_str_eq(pia.PackageInfo->Name, "MockGood");
    ck_assert_uint_eq(pia.PackageInfo->cbMaxToken, 64);
    ck_assert_status(FreeContextBuffer(pia.PackageInfo), SEC_E_OK);
}
END_TEST

START_TEST(test_free_context_buffer)
{
    char stack[256];
    char *heap = malloc(64);
    uint32_t n = 0;
    PSecPkgInfoA pa = NULL;
    PSecPkgInfoW pw = NULL;

    ck_assert_status(FreeContextBuffer(NULL), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(stack + 128), SEC_E_INVALID_HANDLE);
    ck_assert_ptr_nonnull(heap);
    ck_assert_status(FreeContextBuffer(heap), SEC_E_INVALID_HANDLE);
    free(heap);

    ck_assert_status(EnumerateSecurityPackagesA(&n, &pa), SEC_E_OK);
    ck_assert_uint_ge(n, 1);
    /* Interior pointers of a library block are not blocks. */
    ck_assert_status(FreeContextBuffer((char *)pa + 8), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeContextBuffer(pa[0].Name), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeContextBuffer(pa), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(pa), SEC_E_INVALID_HANDLE);
    ck_assert_status(EnumerateSecurityPackagesW(&n, &pw), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(pw), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"MockGood", &pw), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(pw), SEC_E_OK);
}
END_TEST

/* ---- libsspi.h extras ---------------------------------------------------- */

START_TEST(test_status_names)
{
    static const struct {
        SECURITY_STATUS st;
        const char *name;
    } known[] = {
        {SEC_E_OK, "SEC_E_OK"},
        {SEC_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED"},
        {SEC_I_COMPLETE_NEEDED, "SEC_I_COMPLETE_NEEDED"},
        {SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY"},
        {SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE"},
        {SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION"},
        {SEC_E_SECPKG_NOT_FOUND, "SEC_E_SECPKG_NOT_FOUND"},
        {SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN"},
        {SEC_E_LOGON_DENIED, "SEC_E_LOGON_DENIED"},
        {SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED"},
        {SEC_E_OUT_OF_SEQUENCE, "SEC_E_OUT_OF_SEQUENCE"},
        {SEC_E_INVALID_PARAMETER, "SEC_E_INVALID_PARAMETER"},
        {SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL"},
        {STATUS_NO_MEMORY, "STATUS_NO_MEMORY"},
        {STATUS_LOGON_FAILURE, "STATUS_LOGON_FAILURE"},
        {STATUS_NOT_IMPLEMENTED, "STATUS_NOT_IMPLEMENTED"},
    };

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        const char *m = libsspi_status_message(known[i].st);

        ck_assert_str_eq(libsspi_status_name(known[i].st), known[i].name);
        ck_assert_msg(m != NULL && m[0] != '\0', "no message for %s", known[i].name);
        ck_assert_ptr_null(strchr(m, '\n'));
    }
    ck_assert_str_eq(libsspi_status_name((SECURITY_STATUS)0x12345678), "UNKNOWN");
    ck_assert_str_eq(libsspi_status_name((SECURITY_STATUS)0xDEADBEEFu), "UNKNOWN");
    ck_assert_ptr_nonnull(libsspi_status_message((SECURITY_STATUS)0x12345678));
    ck_assert_ptr_nonnull(libsspi_status_message((SECURITY_STATUS)0xDEADBEEFu));
    ck_assert(strcmp(libsspi_status_message(SEC_E_OK),
                     libsspi_status_message(SEC_E_INVALID_HANDLE)) != 0);
}
END_TEST

START_TEST(test_version)
{
    ck_assert_str_eq(libsspi_version(), PACKAGE_VERSION);
}
END_TEST

START_TEST(test_query_packages_args)
{
    uint32_t n;
    LIBSSPI_PACKAGE_REPORT *r;

    ck_assert_status(libsspi_query_packages(NULL, &r), SEC_E_INVALID_PARAMETER);
    ck_assert_status(libsspi_query_packages(&n, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(libsspi_query_packages(&n, &r), SEC_E_OK);
    ck_assert_uint_ge(n, 1);
    ck_assert_status(FreeContextBuffer(r), SEC_E_OK);
}
END_TEST

/* ---- provider-shape package ---------------------------------------------- */

START_TEST(test_provider_end_to_end)
{
    PSecPkgInfoW pw = NULL;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    uint32_t n = 0, qop = 0;
    const LIBSSPI_PACKAGE_REPORT *r;
    struct tu_pair p;
    struct mock_pkg_record *rec;
    char msg[] = "provider message";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecPkgContext_NamesA na = {NULL};
    SecPkgContext_NamesW nw = {NULL};
    SecPkgContext_Sizes sz;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};

    ck_assert_status(tu_ensure("mock-provider", "MockProvider"), SEC_E_OK);
    ck_assert(tu_enumerated("MockProvider"));
    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"mockprovider", &pw), SEC_E_OK);
    ck_assert(u16eq(pw->Name, u"MockProvider"));
    ck_assert(u16eq(pw->Comment, u"provider-shape test plugin"));
    ck_assert_uint_eq(pw->cbMaxToken, 48);
    ck_assert_status(FreeContextBuffer(pw), SEC_E_OK);
    ck_assert_status(libsspi_query_packages(&n, &rep), SEC_E_OK);
    r = tu_find_report(rep, n, "MockProvider", NULL, false);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->Shape, LIBSSPI_SHAPE_PROVIDER);
    ck_assert_status(FreeContextBuffer(rep), SEC_E_OK);

    rec = tu_record("mock-provider", "MockProvider");
    ck_assert_ptr_nonnull(rec);
    /* The A entry points reach a provider that only has a W table. */
    ck_assert_status(tu_pair_open("MockProvider", &p), SEC_E_OK);
    ck_assert(p.same_client_handle && p.same_server_handle);
    ck_assert_str_eq(rec->target, "host/test");

    ck_assert_status(MakeSignature(&p.client, 0x42, &d, 11), SEC_E_OK);
    ck_assert_uint_eq(rec->last_qop, 0x42);
    ck_assert_uint_eq(rec->last_seq, 11);
    ck_assert(rec->last_desc == (uint64_t)(uintptr_t)&d);
    ck_assert(rec->last_pbuffers == (uint64_t)(uintptr_t)b);
    ck_assert_status(VerifySignature(&p.server, &d, 11, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0x42);
    msg[0] ^= 1;
    ck_assert_status(VerifySignature(&p.server, &d, 11, &qop), SEC_E_MESSAGE_ALTERED);
    msg[0] ^= 1;
    ck_assert_status(EncryptMessage(&p.server, 0, &d, 12), SEC_E_OK);
    ck_assert(memcmp(msg, "provider message", sizeof(msg)) != 0);
    ck_assert_status(DecryptMessage(&p.client, &d, 12, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "provider message");

    ck_assert_status(QueryContextAttributesW(&p.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, MOCK_SIG_LEN);
    ck_assert_status(QueryContextAttributesW(&p.client, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert(u16eq(nw.sUserName, u"provuser"));
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_str_eq(na.sUserName, "provuser");
    ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);
    ck_assert_status(ExportSecurityContext(&p.client, 0, &packed, NULL),
                     SEC_E_UNSUPPORTED_FUNCTION);

    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_uint_eq(rec->live_contexts, 0);
    ck_assert_uint_eq(rec->live_credentials, 0);
    ck_assert_no_violation(tu_state("mock-provider"));
}
END_TEST

START_TEST(test_provider_allocate_memory)
{
    CredHandle c;
    CtxtHandle x;
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    TimeStamp ts;

    ck_assert_status(tu_ensure("mock-provider", "MockProvider"), SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockProvider",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                               &ts),
                     SEC_E_OK);
    ck_assert_status(InitializeSecurityContextW(&c, NULL, (SEC_WCHAR *)u"t",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &x, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_mem_eq(ob.pvBuffer, "MOCKNEG1", 8);
    ck_assert_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-provider"));
}
END_TEST

static Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("tables");

    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_tables_complete);
    tcase_add_test(tc, test_tables_work);
    suite_add_tcase(s, tc);

    tc = tcase_create("arguments");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_enumerate_args);
    tcase_add_test(tc, test_query_info_args);
    tcase_add_test(tc, test_acquire_args);
    tcase_add_test(tc, test_message_descs);
    tcase_add_test(tc, test_context_descs);
    tcase_add_test(tc, test_context_null_outputs);
    tcase_add_test(tc, test_attribute_args);
    tcase_add_test(tc, test_unsupported_slots);
    tcase_add_test(tc, test_set_context_attributes_reaches_package);
    suite_add_tcase(s, tc);

    tc = tcase_create("memory");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_allocate_memory_tokens);
    tcase_add_test(tc, test_names_freed_by_free_context_buffer);
    tcase_add_test(tc, test_free_context_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("extras");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_status_names);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_query_packages_args);
    suite_add_tcase(s, tc);

    tc = tcase_create("provider");
    tcase_add_test(tc, test_provider_end_to_end);
    tcase_add_test(tc, test_provider_allocate_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, api_suite, NULL);
}
