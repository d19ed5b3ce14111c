/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-isolation.c - libsspi binds to its own functions in a process that
 * already holds another SSPI implementation.
 *
 * This program does not link libsspi: it links tests/isolation/stub-sspi
 * (every SSPI name, each counting its calls and returning a marker status)
 * and dlopen()s libsspi afterwards, as an RDP server holding WinPR does.
 * Every slot of both InitSecurityInterface tables must then point into
 * libsspi (dladdr), a call through every slot must reach libsspi (the stub
 * counts nothing), and a full handshake through the tables must work.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "sspi.h"
#include "mock/mock-state.h"

#define STUB_STATUS ((SECURITY_STATUS)0x8badf00d)

extern unsigned long stub_sspi_calls;

static void *lib;
static void *lib_base;
static PSecurityFunctionTableW tw;
static PSecurityFunctionTableA ta;

static void *lib_sym(const char *name)
{
    void *p = dlsym(lib, name);

    ck_assert_msg(p != NULL, "libsspi has no %s: %s", name, dlerror());
    return p;
}

static void open_lib(void)
{
    const char *top = getenv("top_builddir");
    char path[PATH_MAX];
    Dl_info info;
    void *sym;

    snprintf(path, sizeof(path), "%s/src/core/.libs/libsspi.so", top ? top : ".");
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ck_assert_msg(lib != NULL, "dlopen %s: %s", path, dlerror());
    sym = lib_sym("InitSecurityInterfaceW");
    ck_assert(dladdr(sym, &info) != 0);
    lib_base = info.dli_fbase;
    tw = ((INIT_SECURITY_INTERFACE_W)sym)();
    ta = ((INIT_SECURITY_INTERFACE_A)lib_sym("InitSecurityInterfaceA"))();
    ck_assert_ptr_nonnull(tw);
    ck_assert_ptr_nonnull(ta);
}

/* Every non-NULL slot of a table lies in libsspi. */
static void check_slots(const void *table, size_t size, const char *which)
{
    for (size_t i = 1; i < size / sizeof(void *); i++) {
        void (*fn)(void);
        Dl_info info;

        memcpy(&fn, (const char *)table + i * sizeof(void *), sizeof(fn));
        if (fn == NULL)
            continue;
        ck_assert_msg(dladdr((void *)fn, &info) != 0, "%s slot %zu: no object", which, i);
        ck_assert_msg(info.dli_fbase == lib_base, "%s slot %zu points into %s, not libsspi", which,
                      i, info.dli_fname ? info.dli_fname : "?");
    }
}

START_TEST(test_table_slots_point_into_libsspi)
{
    open_lib();
    check_slots(tw, sizeof(*tw), "SecurityFunctionTableW");
    check_slots(ta, sizeof(*ta), "SecurityFunctionTableA");
}
END_TEST

/* The status must be libsspi's answer, never the stub's marker. */
#define CALL(expr)                                                                                 \
    do {                                                                                           \
        SECURITY_STATUS st_ = (expr);                                                              \
        ck_assert_msg(st_ != STUB_STATUS, "%s reached the other SSPI library", #expr);             \
    } while (0)

START_TEST(test_every_slot_reaches_libsspi)
{
    CtxtHandle h = {0, 0};
    SecBuffer b = {0, SECBUFFER_EMPTY, NULL};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    uint32_t n;

    open_lib();
    stub_sspi_calls = 0;
    CALL(tw->EnumerateSecurityPackagesW(NULL, NULL));
    CALL(tw->QueryCredentialsAttributesW(&h, 0, NULL));
    CALL(tw->AcquireCredentialsHandleW(NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL));
    CALL(tw->FreeCredentialsHandle(&h));
    CALL(tw->InitializeSecurityContextW(&h, NULL, NULL, 0, 0, 0, NULL, 0, NULL, NULL, NULL, NULL));
    CALL(tw->AcceptSecurityContext(&h, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL));
    CALL(tw->CompleteAuthToken(&h, &d));
    CALL(tw->DeleteSecurityContext(&h));
    CALL(tw->ApplyControlToken(&h, &d));
    CALL(tw->QueryContextAttributesW(&h, 0, NULL));
    CALL(tw->ImpersonateSecurityContext(&h));
    CALL(tw->RevertSecurityContext(&h));
    CALL(tw->MakeSignature(&h, 0, &d, 0));
    CALL(tw->VerifySignature(&h, &d, 0, NULL));
    CALL(tw->FreeContextBuffer(NULL));
    CALL(tw->QuerySecurityPackageInfoW(NULL, NULL));
    CALL(tw->ExportSecurityContext(&h, 0, NULL, NULL));
    CALL(tw->ImportSecurityContextW(NULL, NULL, NULL, NULL));
    CALL(tw->AddCredentialsW(&h, NULL, NULL, 0, NULL, NULL, NULL, NULL));
    CALL(tw->QuerySecurityContextToken(&h, NULL));
    CALL(tw->EncryptMessage(&h, 0, &d, 0));
    CALL(tw->DecryptMessage(&h, &d, 0, NULL));
    CALL(tw->SetContextAttributesW(&h, 0, NULL, 0));
    CALL(tw->SetCredentialsAttributesW(&h, 0, NULL, 0));
    CALL(tw->ChangeAccountPasswordW(NULL, NULL, NULL, NULL, NULL, 0, 0, NULL));
    CALL(tw->QueryContextAttributesExW(&h, 0, NULL, 0));
    CALL(tw->QueryCredentialsAttributesExW(&h, 0, NULL, 0));

    CALL(ta->EnumerateSecurityPackagesA(NULL, NULL));
    CALL(ta->QueryCredentialsAttributesA(&h, 0, NULL));
    CALL(ta->AcquireCredentialsHandleA(NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL));
    CALL(ta->FreeCredentialHandle(&h));
    CALL(ta->InitializeSecurityContextA(&h, NULL, NULL, 0, 0, 0, NULL, 0, NULL, NULL, NULL, NULL));
    CALL(ta->AcceptSecurityContext(&h, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL));
    CALL(ta->CompleteAuthToken(&h, &d));
    CALL(ta->DeleteSecurityContext(&h));
    CALL(ta->ApplyControlToken(&h, &d));
    CALL(ta->QueryContextAttributesA(&h, 0, NULL));
    CALL(ta->ImpersonateSecurityContext(&h));
    CALL(ta->RevertSecurityContext(&h));
    CALL(ta->MakeSignature(&h, 0, &d, 0));
    CALL(ta->VerifySignature(&h, &d, 0, NULL));
    CALL(ta->FreeContextBuffer(NULL));
    CALL(ta->QuerySecurityPackageInfoA(NULL, NULL));
    CALL(ta->ExportSecurityContext(&h, 0, NULL, NULL));
    CALL(ta->ImportSecurityContextA(NULL, NULL, NULL, NULL));
    CALL(ta->AddCredentialsA(&h, NULL, NULL, 0, NULL, NULL, NULL, NULL));
    CALL(ta->QuerySecurityContextToken(&h, NULL));
    CALL(ta->EncryptMessage(&h, 0, &d, 0));
    CALL(ta->DecryptMessage(&h, &d, 0, NULL));
    CALL(ta->SetContextAttributesA(&h, 0, NULL, 0));
    CALL(ta->SetCredentialsAttributesA(&h, 0, NULL, 0));
    CALL(ta->ChangeAccountPasswordA(NULL, NULL, NULL, NULL, NULL, 0, 0, NULL));
    CALL(ta->QueryContextAttributesExA(&h, 0, NULL, 0));
    CALL(ta->QueryCredentialsAttributesExA(&h, 0, NULL, 0));
    /* Reserved3/Reserved4 carry EncryptMessage/DecryptMessage. */
    if (tw->Reserved3 != NULL)
        CALL(((ENCRYPT_MESSAGE_FN)tw->Reserved3)(&h, 0, &d, 0));
    if (tw->Reserved4 != NULL)
        CALL(((DECRYPT_MESSAGE_FN)tw->Reserved4)(&h, &d, 0, NULL));

    n = 0;
    {
        PSecPkgInfoW p = NULL;

        ck_assert_int_eq(tw->EnumerateSecurityPackagesW(&n, &p), SEC_E_OK);
        ck_assert_int_eq(tw->FreeContextBuffer(p), SEC_E_OK);
    }
    ck_assert_msg(stub_sspi_calls == 0, "%lu call(s) reached the other SSPI library",
                  stub_sspi_calls);
}
END_TEST

static SecBufferDesc *one(SecBufferDesc *d, SecBuffer *b, void *p, uint32_t len)
{
    *b = (SecBuffer){len, SECBUFFER_TOKEN, p};
    *d = (SecBufferDesc){SECBUFFER_VERSION, 1, b};
    return d;
}

/* A whole session through the tables, with a package loaded through the
 * libsspi handle: the internal paths bind to libsspi too. */
START_TEST(test_handshake_through_tables)
{
    const char *mockdir = getenv("LIBSSPI_TEST_MOCKDIR");
    SECURITY_STATUS(SEC_ENTRY * add)(LPSTR, PSECURITY_PACKAGE_OPTIONS);
    char path[PATH_MAX];
    CredHandle cc, sc;
    CtxtHandle c, s;
    uint8_t t1[64], t2[64], t3[64], t4[64], sig[MOCK_SIG_LEN];
    char msg[] = "isolated";
    SecBuffer ib, ob, mb[2];
    SecBufferDesc id, od, md = {SECBUFFER_VERSION, 2, mb};
    uint32_t attrs, qop;

    open_lib();
    stub_sspi_calls = 0;
    snprintf(path, sizeof(path), "%s/mock-good.so", mockdir ? mockdir : "tests/mock/.libs");
    add = (SECURITY_STATUS(SEC_ENTRY *)(LPSTR, PSECURITY_PACKAGE_OPTIONS))lib_sym(
        "AddSecurityPackageA");
    ck_assert_int_eq(add(path, NULL), SEC_E_OK);
    ck_assert_int_eq(ta->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood",
                                                   SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &cc, NULL),
                     SEC_E_OK);
    ck_assert_int_eq(tw->AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood",
                                                   SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc,
                                                   NULL),
                     SEC_E_OK);
    ck_assert_int_eq(tw->InitializeSecurityContextW(&cc, NULL, (SEC_WCHAR *)u"t", 0, 0, 0, NULL, 0,
                                                    &c, one(&od, &ob, t1, sizeof(t1)), &attrs,
                                                    NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(tw->AcceptSecurityContext(&sc, NULL, one(&id, &ib, t1, ob.cbBuffer), 0, 0, &s,
                                               one(&od, &ob, t2, sizeof(t2)), &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(ta->InitializeSecurityContextA(&cc, &c, (SEC_CHAR *)"t", 0, 0, 0,
                                                    one(&id, &ib, t2, ob.cbBuffer), 0, &c,
                                                    one(&od, &ob, t3, sizeof(t3)), &attrs, NULL),
                     SEC_E_OK);
    ck_assert_int_eq(ta->AcceptSecurityContext(&sc, &s, one(&id, &ib, t3, ob.cbBuffer), 0, 0, &s,
                                               one(&od, &ob, t4, sizeof(t4)), &attrs, NULL),
                     SEC_E_OK);
    mb[0] = (SecBuffer){sizeof(msg), SECBUFFER_DATA, msg};
    mb[1] = (SecBuffer){sizeof(sig), SECBUFFER_TOKEN, sig};
    ck_assert_int_eq(tw->MakeSignature(&c, 0, &md, 1), SEC_E_OK);
    ck_assert_int_eq(ta->VerifySignature(&s, &md, 1, &qop), SEC_E_OK);
    ck_assert_int_eq(tw->EncryptMessage(&s, 0, &md, 2), SEC_E_OK);
    ck_assert_int_eq(ta->DecryptMessage(&c, &md, 2, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "isolated");
    ck_assert_int_eq(tw->DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_int_eq(ta->DeleteSecurityContext(&s), SEC_E_OK);
    ck_assert_int_eq(tw->FreeCredentialsHandle(&cc), SEC_E_OK);
    ck_assert_int_eq(ta->FreeCredentialHandle(&sc), SEC_E_OK);
    ck_assert_msg(stub_sspi_calls == 0, "%lu call(s) reached the other SSPI library",
                  stub_sspi_calls);
}
END_TEST

static Suite *isolation_suite(void)
{
    Suite *s = suite_create("isolation");
    TCase *tc = tcase_create("tables");

    tcase_add_test(tc, test_table_slots_point_into_libsspi);
    tcase_add_test(tc, test_every_slot_reaches_libsspi);
    tcase_add_test(tc, test_handshake_through_tables);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(isolation_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
