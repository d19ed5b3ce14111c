/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-loader.c - loading packages: AddSecurityPackage with every mock
 * module (good ones appear with the right fields, broken ones are refused
 * with a reason and do not disturb the others), DeleteSecurityPackage,
 * what SpInitialize/SpInstanceInit receive, configuration files with
 * [module] blocks and drop-ins, option.* settings, the permission check and
 * the LIBSSPI_DEBUG log.  Configuration scenarios run in child processes
 * (test-util.h).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"
#include "ntsecpkg.h"

/* ---- helpers ------------------------------------------------------------ */

/* libsspi_query_packages, kept until the next call. */
static LIBSSPI_PACKAGE_REPORT *reports;
static uint32_t nreports;

static void query_reports(void)
{
    if (reports != NULL)
        FreeContextBuffer(reports);
    reports = NULL;
    nreports = 0;
    ck_assert_status(libsspi_query_packages(&nreports, &reports), SEC_E_OK);
}

static void free_reports(void)
{
    if (reports != NULL)
        ck_assert_status(FreeContextBuffer(reports), SEC_E_OK);
    reports = NULL;
    nreports = 0;
}

/* The module `mock` is refused by AddSecurityPackageA with a reason, and
 * MockGood keeps working. */
static void assert_refused(const char *mock)
{
    const LIBSSPI_PACKAGE_REPORT *r;
    struct tu_pair p;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(AddSecurityPackageA((LPSTR)tu_mock(mock), NULL), SEC_E_CANNOT_INSTALL);
    query_reports();
    {
        char suffix[128];

        snprintf(suffix, sizeof(suffix), "/%s.so", mock);
        r = tu_find_report(reports, nreports, NULL, suffix, true);
    }
    ck_assert_msg(r != NULL, "no failure report for %s", mock);
    ck_assert_msg(r->Status != SEC_E_OK, "failure report with SEC_E_OK");
    ck_assert_msg(r->Reason != NULL && r->Reason[0] != '\0', "failure report without a reason");
    ck_assert_ptr_null(r->ConfigFile);
    free_reports();

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-good"));
}

static void assert_info_a(const char *name, uint32_t caps, uint16_t ver, uint16_t rpcid,
                          uint32_t max_token, const char *comment)
{
    PSecPkgInfoA i = NULL;

    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)name, &i), SEC_E_OK);
    ck_assert_ptr_nonnull(i);
    ck_assert_str_eq(i->Name, name);
    ck_assert_str_eq(i->Comment, comment);
    ck_assert_uint_eq(i->fCapabilities, caps);
    ck_assert_uint_eq(i->wVersion, ver);
    ck_assert_uint_eq(i->wRPCID, rpcid);
    ck_assert_uint_eq(i->cbMaxToken, max_token);
    ck_assert_status(FreeContextBuffer(i), SEC_E_OK);
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

/* ---- AddSecurityPackage with good modules ------------------------------- */

START_TEST(test_add_good)
{
    PSecPkgInfoW w = NULL;
    const LIBSSPI_PACKAGE_REPORT *r;
    uint32_t caps = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                    SECPKG_FLAG_MUTUAL_AUTH;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    assert_info_a("MockGood", caps, 1, SECPKG_ID_NONE, 64, "libsspi test package");

    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"mOcKgOoD", &w), SEC_E_OK);
    ck_assert(u16eq(w->Name, u"MockGood"));
    ck_assert(u16eq(w->Comment, u"libsspi test package"));
    ck_assert_uint_eq(w->fCapabilities, caps);
    ck_assert_uint_eq(w->cbMaxToken, 64);
    ck_assert_status(FreeContextBuffer(w), SEC_E_OK);

    ck_assert(tu_enumerated("MockGood"));

    query_reports();
    r = tu_find_report(reports, nreports, "MockGood", NULL, false);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_null(r->Reason);
    ck_assert_ptr_null(r->ConfigFile);
    ck_assert_ptr_nonnull(r->Module);
    ck_assert_msg(r->Module[0] == '/', "Module is not absolute: %s", r->Module);
    ck_assert_msg(strstr(r->Module, "mock-good.so") != NULL, "Module %s", r->Module);
    ck_assert_uint_eq(r->Shape, LIBSSPI_SHAPE_SSPAP);
    ck_assert_uint_eq(r->fCapabilities, caps);
    ck_assert_uint_eq(r->cbMaxToken, 64);
    ck_assert_str_eq(r->Comment, "libsspi test package");
    free_reports();
}
END_TEST

START_TEST(test_add_again_is_ok)
{
    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(AddSecurityPackageA((LPSTR)tu_mock("mock-good"), NULL), SEC_E_OK);
    ck_assert(tu_enumerated("MockGood"));
}
END_TEST

START_TEST(test_add_w)
{
    char16_t path[512];
    const char *a = tu_mock("mock-multi");
    size_t i;

    for (i = 0; a[i] != '\0' && i + 1 < 512; i++)
        path[i] = (char16_t)(unsigned char)a[i];
    path[i] = 0;
    ck_assert_status(AddSecurityPackageW(path, NULL), SEC_E_OK);
    ck_assert(tu_enumerated("MockMultiA"));
}
END_TEST

START_TEST(test_multi)
{
    PSecPkgInfoW all = NULL;
    uint32_t n = 0, seen = 0;
    struct mock_pkg_record *ra, *rb, *rc;

    ck_assert_status(tu_ensure("mock-multi", "MockMultiA"), SEC_E_OK);
    assert_info_a("MockMultiA", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_CONNECTION, 1, SECPKG_ID_NONE,
                  100, "multi A");
    assert_info_a("MockMultiB", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY, 2, 0xb2, 200,
                  "multi B");
    assert_info_a("MockMultiC", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_DATAGRAM, 3, SECPKG_ID_NONE,
                  300, "multi C \xc3\xa9");

    ck_assert_status(EnumerateSecurityPackagesW(&n, &all), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++) {
        if (u16eq(all[i].Name, u"MockMultiC")) {
            ck_assert(u16eq(all[i].Comment, u"multi C \u00e9"));
            ck_assert_uint_eq(all[i].cbMaxToken, 300);
            seen++;
        } else if (u16eq(all[i].Name, u"MockMultiA") || u16eq(all[i].Name, u"MockMultiB")) {
            seen++;
        }
    }
    ck_assert_uint_eq(seen, 3);
    ck_assert_status(FreeContextBuffer(all), SEC_E_OK);

    /* Each package got its own PackageId and user-mode table. */
    ra = tu_record("mock-multi", "MockMultiA");
    rb = tu_record("mock-multi", "MockMultiB");
    rc = tu_record("mock-multi", "MockMultiC");
    ck_assert(ra && rb && rc);
    ck_assert_uint_ge(ra->initialize_calls, 1);
    ck_assert_uint_ge(rb->initialize_calls, 1);
    ck_assert_uint_ge(rc->initialize_calls, 1);
    ck_assert(ra->package_id != rb->package_id && rb->package_id != rc->package_id &&
              ra->package_id != rc->package_id);
    ck_assert_uint_ge(ra->instance_init_calls, 1);
    ck_assert_uint_ge(rb->instance_init_calls, 1);
    ck_assert_uint_ge(rc->instance_init_calls, 1);
}
END_TEST

START_TEST(test_multi_each_works)
{
    static const char *const names[] = {"MockMultiA", "MockMultiB", "MockMultiC"};

    ck_assert_status(tu_ensure("mock-multi", "MockMultiA"), SEC_E_OK);
    for (int i = 0; i < 3; i++) {
        struct tu_pair p;
        struct mock_pkg_record *r;
        uint32_t before;

        if (!tu_enumerated(names[i]))
            ck_assert_status(AddSecurityPackageA((LPSTR)names[i], NULL), SEC_E_OK);
        r = tu_record("mock-multi", names[i]);
        ck_assert_ptr_nonnull(r);
        before = r->sign_calls;
        ck_assert_status(tu_pair_open(names[i], &p), SEC_E_OK);
        ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 7), SEC_E_OK);
        ck_assert_uint_eq(r->sign_calls, before + 1);
        ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    }
    ck_assert_no_violation(tu_state("mock-multi"));
}
END_TEST

/* ---- what SpInitialize and SpInstanceInit receive ----------------------- */

START_TEST(test_initialize_arguments)
{
    struct mock_pkg_record *r;
    CredHandle c;
    TimeStamp ts;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    r = tu_record("mock-good", "MockGood");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_ge(r->initialize_calls, 1);
    ck_assert_uint_ge(r->getinfo_calls, 1);
    ck_assert_uint_eq(r->params_present, 1);
    ck_assert_msg(r->params_machine_state & SECPKG_STATE_STANDALONE,
                  "MachineState 0x%x lacks SECPKG_STATE_STANDALONE", r->params_machine_state);
    ck_assert_uint_eq(r->lsa_present, 1);
    ck_assert_msg(r->lsa_null_slots == 0, "%u NULL slots in LSA_SECPKG_FUNCTION_TABLE",
                  r->lsa_null_slots);
    ck_assert_msg(r->lsa_heap_ok, "AllocateLsaHeap did not give zeroed writable memory");
    ck_assert_status(r->create_logon_session_status, STATUS_NOT_IMPLEMENTED);

    ck_assert_uint_ge(r->instance_init_calls, 1);
    ck_assert_uint_eq(r->instance_version, SECPKG_INTERFACE_VERSION);
    ck_assert_uint_eq(r->dll_present, 1);
    ck_assert_msg(r->dll_heap_ok, "SECPKG_DLL_FUNCTIONS AllocateHeap/FreeHeap unusable");

    /* GetCallInfo/GetClientInfo during a call. */
    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_uint_eq(r->call_info_ok, 1);
    ck_assert_uint_eq(r->call_process_id, (uint32_t)getpid());
    ck_assert_msg((r->call_attributes & SECPKG_CALL_ANSI) == 0, "W call flagged ANSI");
    ck_assert_status(r->client_info_status, STATUS_SUCCESS);
    ck_assert_uint_eq(r->client_process_id, (uint32_t)getpid());
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_msg(r->call_attributes & SECPKG_CALL_ANSI, "A call not flagged SECPKG_CALL_ANSI");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    /* The flag lasts for the A call only. */
    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_msg((r->call_attributes & SECPKG_CALL_ANSI) == 0, "flag left over from an A call");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-good"));
}
END_TEST

/* ---- broken modules ----------------------------------------------------- */

START_TEST(test_refuse_old_version)
{
    assert_refused("mock-old-version");
    ck_assert(!tu_enumerated("MockOldVersion"));
}
END_TEST

START_TEST(test_refuse_odd_version)
{
    assert_refused("mock-odd-version");
}
END_TEST

START_TEST(test_refuse_no_entry)
{
    assert_refused("mock-no-entry");
}
END_TEST

START_TEST(test_refuse_null_tables)
{
    assert_refused("mock-null-tables");
}
END_TEST

START_TEST(test_refuse_null_count)
{
    assert_refused("mock-null-count");
}
END_TEST

START_TEST(test_refuse_user_only)
{
    assert_refused("mock-user-only");
    ck_assert(!tu_enumerated("MockUserOnly"));
}
END_TEST

START_TEST(test_refuse_provider_null)
{
    assert_refused("mock-provider-null");
}
END_TEST

START_TEST(test_refuse_provider_noname)
{
    assert_refused("mock-provider-noname");
}
END_TEST

static char *read_text(const char *path);

/* Whether a sanitizer runtime that refuses RTLD_DEEPBIND is in the process. */
static bool deepbind_refused(void)
{
    return dlsym(RTLD_DEFAULT, "__asan_init") != NULL ||
           dlsym(RTLD_DEFAULT, "__tsan_init") != NULL ||
           dlsym(RTLD_DEFAULT, "__msan_init") != NULL ||
           dlsym(RTLD_DEFAULT, "__hwasan_init") != NULL;
}

/* A provider whose own calls go through SSPI names this process also has
 * (libsspi's): loaded isolated, its calls bind to itself and it works.
 * Under a sanitizer that refuses the isolation, the loader says so in the
 * log and the provider's interposed enumeration fails. */
static int scenario_provider_deep(void)
{
    struct tu_pair p;
    SECURITY_STATUS st = AddSecurityPackageA((LPSTR)tu_mock("mock-provider-deep"), NULL);

    if (deepbind_refused()) {
        SC_STATUS(st, SEC_E_CANNOT_INSTALL);
        return 0;
    }
    SC_STATUS(st, SEC_E_OK);
    SC_STATUS(tu_pair_open("MockDeep", &p), SEC_E_OK);
    SC_STATUS(tu_sign_verify(&p.client, &p.server, 3, 4), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    SC_CHECK(tu_state("mock-provider-deep") != NULL &&
             tu_state("mock-provider-deep")->violations == 0);
    return 0;
}

START_TEST(test_provider_binds_to_itself)
{
    char log[4096], env[4200];
    char *text;

    snprintf(log, sizeof(log), "%s/deep.log", tu_tmpdir());
    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", log);
    ck_assert_int_eq(tu_run_scenario("provider-deep", NULL, env, NULL), 0);
    text = read_text(log);
    ck_assert_ptr_nonnull(text);
    if (deepbind_refused())
        ck_assert_msg(strstr(text, "without RTLD_DEEPBIND") != NULL, "the fallback is not logged");
    else
        ck_assert_msg(strstr(text, "provider package MockDeep loaded") != NULL,
                      "MockDeep not loaded");
    free(text);
}
END_TEST

START_TEST(test_refuse_dup_name)
{
    PSecPkgInfoA i = NULL;

    assert_refused("mock-dup-name");
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"mockgood", &i), SEC_E_OK);
    ck_assert_str_eq(i->Comment, "libsspi test package");
    ck_assert_status(FreeContextBuffer(i), SEC_E_OK);
}
END_TEST

START_TEST(test_refuse_not_elf)
{
    const char *path = tu_write_file("not-elf.so", "this is not a shared object\n");
    const LIBSSPI_PACKAGE_REPORT *r;

    ck_assert_ptr_nonnull(path);
    ck_assert_status(AddSecurityPackageA((LPSTR)path, NULL), SEC_E_CANNOT_INSTALL);
    query_reports();
    r = tu_find_report(reports, nreports, NULL, "/not-elf.so", true);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(r->Reason);
    free_reports();
}
END_TEST

START_TEST(test_add_bad_specs)
{
    SECURITY_STATUS st;

    st = AddSecurityPackageA((LPSTR) "/nonexistent/dir/mock.so", NULL);
    ck_assert_status2(st, SEC_E_CANNOT_INSTALL, SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AddSecurityPackageA((LPSTR) "NoSuchPackage", NULL), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AddSecurityPackageW((LPWSTR)u"NoSuchPackage", NULL), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AddSecurityPackageA(NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(AddSecurityPackageW(NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_msg(AddSecurityPackageA((LPSTR) "", NULL) != SEC_E_OK, "empty name accepted");
    /* Invalid UTF-8 / lone surrogate. */
    ck_assert_msg(AddSecurityPackageA((LPSTR) "\xff\xfe.so", NULL) < 0, "bad UTF-8 accepted");
    ck_assert_msg(AddSecurityPackageW((LPWSTR)u"\xd800x", NULL) < 0, "bad UTF-16 accepted");
}
END_TEST

START_TEST(test_init_fails_other_loads)
{
    struct tu_pair p;
    PSecPkgInfoA i = NULL;
    const LIBSSPI_PACKAGE_REPORT *r;

    ck_assert_status(tu_ensure("mock-init-fails", "MockInitOk"), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockInitFail", &i),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert(!tu_enumerated("MockInitFail"));
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockInitFail",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                               &p.client_cred, NULL),
                     SEC_E_SECPKG_NOT_FOUND);
    query_reports();
    r = tu_find_report(reports, nreports, NULL, "/mock-init-fails.so", true);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(r->Reason);
    ck_assert_msg(r->Name == NULL || strcmp(r->Name, "MockInitFail") == 0, "Name %s", r->Name);
    ck_assert_ptr_nonnull(tu_find_report(reports, nreports, "MockInitOk", NULL, false));
    free_reports();

    ck_assert_status(tu_pair_open("MockInitOk", &p), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-init-fails"));
}
END_TEST

START_TEST(test_instance_init_fails_other_loads)
{
    struct tu_pair p;
    const LIBSSPI_PACKAGE_REPORT *r;

    PSecPkgInfoA ia = NULL;
    PSecPkgInfoW iw = NULL;

    ck_assert_status(tu_ensure("mock-instance-fails", "MockInstOk"), SEC_E_OK);
    ck_assert(!tu_enumerated("MockInstFail"));
    /* A package without a comment gets an empty one, never NULL. */
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockInstOk", &ia), SEC_E_OK);
    ck_assert_str_eq(ia->Comment, "");
    ck_assert_status(FreeContextBuffer(ia), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoW((SEC_WCHAR *)u"MockInstOk", &iw), SEC_E_OK);
    ck_assert(iw->Comment != NULL && iw->Comment[0] == 0);
    ck_assert_status(FreeContextBuffer(iw), SEC_E_OK);
    query_reports();
    r = tu_find_report(reports, nreports, NULL, "/mock-instance-fails.so", true);
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(r->Reason != NULL && strstr(r->Reason, "SpInstanceInit") != NULL, "reason %s",
                  r->Reason);
    free_reports();
    ck_assert_status(tu_pair_open("MockInstOk", &p), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-instance-fails"));
}
END_TEST

START_TEST(test_refuse_lsa_init_fails)
{
    const LIBSSPI_PACKAGE_REPORT *r;

    assert_refused("mock-lsa-init-fails");
    query_reports();
    r = tu_find_report(reports, nreports, NULL, "/mock-lsa-init-fails.so", true);
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(strstr(r->Reason, "STATUS_NO_MEMORY") != NULL, "reason %s", r->Reason);
    free_reports();
}
END_TEST

START_TEST(test_new_version)
{
    struct tu_pair p;
    uint32_t v = 1;

    ck_assert_status(tu_ensure("mock-new-version", "MockNewVersion"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockNewVersion", &p), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 3), SEC_E_OK);
    /* A member past version 1 is NULL in this table: unsupported. */
    ck_assert_status(SetContextAttributesA(&p.client, SECPKG_ATTR_FLAGS, &v, sizeof(v)),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-new-version"));
}
END_TEST

START_TEST(test_short_table)
{
    struct tu_pair p;
    uint32_t v = 1;
    SecPkgContext_Sizes sz;

    ck_assert_status(tu_ensure("mock-short-table", "MockShortTable"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockShortTable", &p), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 5, 3), SEC_E_OK);
    ck_assert_status(QueryContextAttributesW(&p.server, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, MOCK_SIG_LEN);
    ck_assert_status(SetContextAttributesW(&p.client, SECPKG_ATTR_FLAGS, &v, sizeof(v)),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_no_violation(tu_state("mock-short-table"));
}
END_TEST

START_TEST(test_garbage_module)
{
    PSecPkgInfoA i = NULL;
    const LIBSSPI_PACKAGE_REPORT *r;
    bool nameless = false, big = false;

    ck_assert_status(tu_ensure("mock-garbage", "MockGarbage"), SEC_E_OK);
    /* cbMaxToken 0xFFFFFFFF is refused (the library caps token sizes). */
    ck_assert(!tu_enumerated("MockGarbageBig"));
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockGarbageBig", &i),
                     SEC_E_SECPKG_NOT_FOUND);
    query_reports();
    r = tu_find_report(reports, nreports, "MockGarbage", NULL, false);
    ck_assert_ptr_nonnull(r);
    for (uint32_t k = 0; k < nreports; k++) {
        r = &reports[k];
        if (r->Status == SEC_E_OK || r->Module == NULL || !strstr(r->Module, "/mock-garbage.so"))
            continue;
        ck_assert_ptr_nonnull(r->Reason);
        if (strstr(r->Reason, "cbMaxToken") != NULL)
            big = true;
        else
            nameless = true;
    }
    ck_assert_msg(nameless, "no report for the nameless package");
    ck_assert_msg(big, "no report for the package with cbMaxToken 0xFFFFFFFF");
    free_reports();
}
END_TEST

/* A package refused after SpGetInfo named it is reported under its name. */
START_TEST(test_refused_report_has_name)
{
    const LIBSSPI_PACKAGE_REPORT *r;

    ck_assert_status(tu_ensure("mock-garbage", "MockGarbage"), SEC_E_OK);
    query_reports();
    r = tu_find_report(reports, nreports, "MockGarbageBig", NULL, true);
    ck_assert_msg(r != NULL, "refused MockGarbageBig is reported without its name");
    ck_assert_ptr_nonnull(r->Reason);
    free_reports();
}
END_TEST

/* ---- DeleteSecurityPackage ---------------------------------------------- */

START_TEST(test_delete)
{
    struct tu_pair p;
    CredHandle c;
    PSecPkgInfoA i = NULL;
    SecPkgContext_Sizes sz;

    ck_assert_status(tu_ensure("mock-multi", "MockMultiC"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockMultiC", &p), SEC_E_OK);

    ck_assert_status(DeleteSecurityPackageA((SEC_CHAR *)"mockmultic"), SEC_E_OK);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)"MockMultiC", &i),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert(!tu_enumerated("MockMultiC"));
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockMultiC", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, NULL),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(DeleteSecurityPackageA((SEC_CHAR *)"MockMultiC"), SEC_E_SECPKG_NOT_FOUND);
    /* The other packages of the module are untouched. */
    ck_assert(tu_enumerated("MockMultiA"));
    /* Nothing new can be made with it; the report says why. */
    {
        SecBuffer packed = {4, SECBUFFER_EMPTY, "junk"};
        CtxtHandle x;
        const LIBSSPI_PACKAGE_REPORT *r;

        ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockMultiC", &packed, NULL, &x),
                         SEC_E_SECPKG_NOT_FOUND);
        query_reports();
        r = tu_find_report(reports, nreports, "MockMultiC", NULL, true);
        ck_assert_ptr_nonnull(r);
        ck_assert_msg(r->Reason != NULL && strstr(r->Reason, "DeleteSecurityPackage"), "reason %s",
                      r->Reason);
        free_reports();
    }

    /* Existing handles keep working. */
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 9), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);

    /* Known by name: AddSecurityPackage brings it back. */
    ck_assert_status(AddSecurityPackageA((LPSTR) "MockMultiC", NULL), SEC_E_OK);
    ck_assert(tu_enumerated("MockMultiC"));
    ck_assert_no_violation(tu_state("mock-multi"));
}
END_TEST

START_TEST(test_delete_bad)
{
    ck_assert_status(DeleteSecurityPackageA((SEC_CHAR *)"NoSuchPackage"), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(DeleteSecurityPackageW((SEC_WCHAR *)u"NoSuchPackage"), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(DeleteSecurityPackageA(NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(DeleteSecurityPackageW(NULL), SEC_E_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_delete_w_restore_path)
{
    ck_assert_status(tu_ensure("mock-multi", "MockMultiB"), SEC_E_OK);
    ck_assert_status(DeleteSecurityPackageW((SEC_WCHAR *)u"MockMultiB"), SEC_E_OK);
    ck_assert(!tu_enumerated("MockMultiB"));
    /* Adding the module again restores its removed packages. */
    ck_assert_status(AddSecurityPackageA((LPSTR)tu_mock("mock-multi"), NULL), SEC_E_OK);
    ck_assert(tu_enumerated("MockMultiB"));
}
END_TEST

/* ---- configuration scenarios (child processes) -------------------------- */

/* [module] blocks in the main file: relative module paths, packages=,
 * enabled = no, option.* */
static int scenario_blocks(void)
{
    const char *cfg = getenv("LIBSSPI_CONFIG");
    struct mock_pkg_record *r;
    PSecPkgInfoA i = NULL;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    uint32_t n = 0;
    const LIBSSPI_PACKAGE_REPORT *g;

    SC_CHECK(tu_enumerated("MockMultiA"));
    SC_CHECK(tu_enumerated("MockMultiC"));
    SC_CHECK(!tu_enumerated("MockMultiB"));
    SC_CHECK(tu_enumerated("MockGood"));
    SC_STATUS(QuerySecurityPackageInfoA((SEC_CHAR *)"MockMultiB", &i), SEC_E_SECPKG_NOT_FOUND);

    r = tu_record("mock-good", "MockGood");
    SC_CHECK(r != NULL);
    SC_CHECK(r->config_calls >= 1);
    SC_CHECK(r->config_setting_count == 2);
    if (strcmp(r->config_settings, "alpha=1\nbeta=two words\n") != 0) {
        fprintf(stderr, "settings seen by the package: [%s]\n", r->config_settings);
        return 1;
    }
    SC_CHECK(strcmp(r->config_file, cfg) == 0);

    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    g = tu_find_report(rep, n, "MockGood", NULL, false);
    SC_CHECK(g != NULL);
    SC_CHECK(g->ConfigFile != NULL && strcmp(g->ConfigFile, cfg) == 0);
    SC_CHECK(g->ConfigLine >= 5);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);

    /* Options reach every package of a module. */
    r = tu_record("mock-multi", "MockMultiA");
    SC_CHECK(r != NULL && strcmp(r->config_settings, "shared=every package\n") == 0);
    r = tu_record("mock-multi", "MockMultiC");
    SC_CHECK(r != NULL && strcmp(r->config_settings, "shared=every package\n") == 0);

    /* Disabled module: known by package name, loaded on request. */
    SC_CHECK(!tu_enumerated("MockInitOk"));
    SC_STATUS(AddSecurityPackageA((LPSTR) "MockInitOk", NULL), SEC_E_OK);
    SC_CHECK(tu_enumerated("MockInitOk"));
    return 0;
}

START_TEST(test_config_blocks)
{
    const char *cfg = tu_write_filef("blocks.conf",
                                     "# module blocks\n"
                                     "autoload = no\n"
                                     "dropin_dir = none\n"
                                     "check_permissions = no\n"
                                     "package_dir = %s\n"
                                     "\n"
                                     "[module]\n"
                                     "module = mock-multi.so\n"
                                     "packages = MockMultiA,MockMultiC\n"
                                     "option.shared = every package\n"
                                     "\n"
                                     "[module]\n"
                                     "module = %s\n"
                                     "option.alpha = 1\n"
                                     "option.beta = two words\n"
                                     "\n"
                                     "[module]\n"
                                     "module = mock-init-fails.so\n"
                                     "packages = MockInitOk\n"
                                     "enabled = no\n",
                                     getenv("LIBSSPI_TEST_MOCKDIR"), tu_mock("mock-good"));

    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(tu_run_scenario("blocks", cfg, NULL), 0);
}
END_TEST

/* Drop-ins in C-locale order, non-.conf files ignored, bad lines reported
 * as file:line, broken modules reported with their drop-in. */
static int scenario_dropins(void)
{
    const char *dir = getenv("TU_DROPIN_DIR");
    char bad[4096], broken[4096];
    uint32_t n = 0;
    PSecPkgInfoA p = NULL;
    int pos_good = -1, pos_multi = -1;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    const LIBSSPI_PACKAGE_REPORT *r;
    bool config_error = false;

    snprintf(bad, sizeof(bad), "%s/c-bad.conf", dir);
    snprintf(broken, sizeof(broken), "%s/d-broken.conf", dir);
    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(p[i].Name, "MockGood") == 0)
            pos_good = (int)i;
        if (strcmp(p[i].Name, "MockMultiA") == 0)
            pos_multi = (int)i;
        SC_CHECK(strcmp(p[i].Name, "MockGarbage") != 0);
    }
    SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    SC_CHECK(pos_good >= 0 && pos_multi >= 0);
    /* "B-good.conf" < "a-multi.conf" in the C locale. */
    SC_CHECK(pos_good < pos_multi);

    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    r = tu_find_report(rep, n, NULL, "/mock-no-entry.so", true);
    SC_CHECK(r != NULL);
    SC_CHECK(r->Reason != NULL);
    SC_CHECK(r->ConfigFile != NULL && strcmp(r->ConfigFile, bad) == 0);
    r = tu_find_report(rep, n, "MockGood", NULL, false);
    SC_CHECK(r != NULL && r->ConfigFile != NULL && strstr(r->ConfigFile, "/B-good.conf"));
    for (uint32_t i = 0; i < n; i++)
        if (rep[i].ConfigFile != NULL && strcmp(rep[i].ConfigFile, broken) == 0 &&
            rep[i].ConfigLine == 2 && rep[i].Status != SEC_E_OK && rep[i].Reason != NULL)
            config_error = true;
    SC_CHECK(config_error);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);

    /* option.* from a drop-in */
    {
        struct mock_pkg_record *g = tu_record("mock-good", "MockGood");

        SC_CHECK(g != NULL && strcmp(g->config_settings, "from=dropin\n") == 0);
    }
    return 0;
}

START_TEST(test_config_dropins)
{
    char dir[4096], path[4200];
    const char *cfg;
    FILE *f;
    struct {
        const char *name;
        const char *before;
        const char *mock;
        const char *after;
    } files[] = {
        {"B-good.conf", "# good\n", "mock-good", "option.from = dropin\n"},
        {"a-multi.conf", "", "mock-multi", ""},
        {"c-bad.conf", "", "mock-no-entry", ""},
        {"d-broken.conf", "# broken\nthis line has no equals sign\n", "mock-short-table", ""},
        {"README", "", "mock-garbage", ""},
        {"e-garbage.conf.disabled", "", "mock-garbage", ""},
    };

    snprintf(dir, sizeof(dir), "%s/dropins", tu_tmpdir());
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
        f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "%smodule = %s\n%s", files[i].before, tu_mock(files[i].mock), files[i].after);
        fclose(f);
        chmod(path, 0600);
    }
    cfg = tu_write_filef("dropins.conf",
                         "autoload = no\ncheck_permissions = no\n"
                         "dropin_dir = %s\n",
                         dir);
    snprintf(path, sizeof(path), "TU_DROPIN_DIR=%s", dir);
    ck_assert_int_eq(tu_run_scenario("dropins", cfg, path, NULL), 0);
}
END_TEST

/* The group/world-writable copies named by TU_PERM_A/TU_PERM_B are refused
 * unless TU_PERM_EXPECT_LOAD is set. */
static int scenario_permissions(void)
{
    bool expect = getenv("TU_PERM_EXPECT_LOAD") != NULL;
    const char *mods[] = {getenv("TU_PERM_A"), getenv("TU_PERM_B")};
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    uint32_t n = 0;

    if (expect) {
        SC_CHECK(tu_enumerated("MockGood"));
        return 0;
    }
    SC_CHECK(!tu_enumerated("MockGood"));
    SC_CHECK(!tu_enumerated("MockMultiA"));
    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    SC_CHECK(tu_find_report(rep, n, NULL, "/perm-group.so", true) != NULL);
    SC_CHECK(tu_find_report(rep, n, NULL, "/perm-world.so", true) != NULL);
    SC_CHECK(tu_find_report(rep, n, NULL, "/perm-group.so", true)->Reason != NULL);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);
    /* AddSecurityPackage applies the same check. */
    SC_CHECK(AddSecurityPackageA((LPSTR)mods[0], NULL) != SEC_E_OK);
    SC_CHECK(!tu_enumerated("MockGood"));
    return 0;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
    char buf[65536];
    ssize_t n;
    int in = open(from, O_RDONLY), out;

    ck_assert_int_ge(in, 0);
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(out, 0);
    while ((n = read(in, buf, sizeof(buf))) > 0)
        ck_assert_int_eq(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
    ck_assert_int_eq(chmod(to, mode), 0);
}

START_TEST(test_config_permissions)
{
    char group[4096], world[4096], ea[4200], eb[4200];
    const char *strict, *lax;

    snprintf(group, sizeof(group), "%s/perm-group.so", tu_tmpdir());
    snprintf(world, sizeof(world), "%s/perm-world.so", tu_tmpdir());
    copy_file(tu_mock("mock-good"), group, 0770);
    copy_file(tu_mock("mock-multi"), world, 0757);
    snprintf(ea, sizeof(ea), "TU_PERM_A=%s", group);
    snprintf(eb, sizeof(eb), "TU_PERM_B=%s", world);

    strict = tu_write_filef("perm-strict.conf",
                            "autoload = no\ndropin_dir = none\n"
                            "[module]\nmodule = %s\n[module]\nmodule = %s\n",
                            group, world);
    ck_assert_int_eq(tu_run_scenario("permissions", strict, ea, eb, NULL), 0);

    lax = tu_write_filef("perm-lax.conf",
                         "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
                         "[module]\nmodule = %s\n",
                         group);
    ck_assert_int_eq(tu_run_scenario("permissions", lax, ea, eb, "TU_PERM_EXPECT_LOAD=1", NULL), 0);
}
END_TEST

static int scenario_load_only(void)
{
    uint32_t n = 0;
    PSecPkgInfoA p = NULL;

    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    if (p != NULL)
        SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    return 0;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text;
    size_t n;

    if (f == NULL)
        return NULL;
    text = calloc(1, 1 << 20);
    n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (text)
        text[n] = '\0';
    return text;
}

START_TEST(test_debug_log)
{
    char log[4096], env[4200], where[4300];
    const char *cfg;
    char *text;

    snprintf(log, sizeof(log), "%s/debug.log", tu_tmpdir());
    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", log);
    cfg = tu_write_filef("debug.conf",
                         "autoload = no\n"
                         "dropin_dir = none\n"
                         "check_permissions = no\n"
                         "no equals sign here\n"
                         "[module]\nmodule = %s\n"
                         "[module]\nmodule = %s\n",
                         tu_mock("mock-good"), tu_mock("mock-no-entry"));
    ck_assert_int_eq(tu_run_scenario("load-only", cfg, env, NULL), 0);
    text = read_text(log);
    ck_assert_msg(text != NULL, "LIBSSPI_DEBUG file %s not written", log);
    ck_assert_msg(strstr(text, "mock-no-entry.so") != NULL, "no loader line for mock-no-entry");
    ck_assert_msg(strstr(text, "MockGood") != NULL, "no loader line for MockGood");
    snprintf(where, sizeof(where), "%s:4:", cfg);
    ck_assert_msg(strstr(text, where) != NULL, "config error not logged as %s", where);
    /* The refused module's line carries a reason after the path. */
    {
        const char *line = strstr(text, "mock-no-entry.so");
        const char *eol = strchr(line, '\n');

        ck_assert_msg(eol == NULL || eol - line > (ptrdiff_t)strlen("mock-no-entry.so") + 5,
                      "no reason logged for mock-no-entry");
    }
    free(text);
}
END_TEST

START_TEST(test_no_debug_log_by_default)
{
    char log[4096];
    const char *cfg;

    snprintf(log, sizeof(log), "%s/nodebug.log", tu_tmpdir());
    cfg = tu_write_filef("nodebug.conf",
                         "autoload = no\ndropin_dir = none\n"
                         "check_permissions = no\n[module]\nmodule = %s\n",
                         tu_mock("mock-good"));
    ck_assert_int_eq(tu_run_scenario("load-only", cfg, NULL), 0);
    ck_assert_int_ne(access(log, F_OK), 0);
}
END_TEST

/* libsspi_reload_config picks up a module added to the file. */
static int scenario_reload(void)
{
    const char *cfg = getenv("LIBSSPI_CONFIG");
    FILE *f;
    struct tu_pair p;

    SC_CHECK(tu_enumerated("MockGood"));
    SC_CHECK(!tu_enumerated("MockMultiA"));
    SC_STATUS(tu_pair_open("MockGood", &p), SEC_E_OK);
    struct mock_pkg_record *r = tu_record("mock-good", "MockGood");
    SC_CHECK(r != NULL && strcmp(r->config_settings, "alpha=1\n") == 0);
    uint32_t calls = r->config_calls;
    /* A changed setting reaches the loaded package; a new module loads. */
    f = fopen(cfg, "w");
    SC_CHECK(f != NULL);
    fprintf(f,
            "autoload = no\ndropin_dir = none\ncheck_permissions = no\n[module]\nmodule = %s\n"
            "option.alpha = 2\n[module]\nmodule = %s\n",
            tu_mock("mock-good"), tu_mock("mock-multi"));
    fclose(f);
    SC_STATUS(libsspi_reload_config(), SEC_E_OK);
    SC_CHECK(tu_enumerated("MockMultiA"));
    SC_CHECK(tu_enumerated("MockGood"));
    r = tu_record("mock-good", "MockGood");
    SC_CHECK(r->config_calls == calls + 1);
    if (strcmp(r->config_settings, "alpha=2\n") != 0) {
        fprintf(stderr, "settings after the reload: [%s]\n", r->config_settings);
        return 1;
    }
    /* Existing contexts survive the reload. */
    SC_STATUS(tu_sign_verify(&p.client, &p.server, 0, 2), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_reload)
{
    const char *cfg = tu_write_filef("reload.conf",
                                     "autoload = no\ndropin_dir = none\n"
                                     "check_permissions = no\n[module]\nmodule = %s\n"
                                     "option.alpha = 1\n",
                                     tu_mock("mock-good"));

    ck_assert_int_eq(tu_run_scenario("reload", cfg, NULL), 0);
}
END_TEST

/* With no configuration at all the library starts empty and says so. */
static int scenario_empty(void)
{
    uint32_t n = 99;
    PSecPkgInfoW p = NULL;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;

    SC_STATUS(EnumerateSecurityPackagesW(&n, &p), SEC_E_OK);
    SC_CHECK(n == 0);
    SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    SC_CHECK(n == 0);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);
    return 0;
}

START_TEST(test_config_empty)
{
    const char *cfg = tu_write_file("empty.conf", "autoload = no\ndropin_dir = none\n");

    ck_assert_int_eq(tu_run_scenario("empty", cfg, NULL), 0);
}
END_TEST

/* autoload: every *.so of package_dir, "sample" before the rest, the rest
 * alphabetically; broken ones reported; other files ignored. */
static int scenario_autoload(void)
{
    uint32_t n = 0;
    PSecPkgInfoA p = NULL;
    int good = -1, multi = -1;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;

    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(p[i].Name, "MockGood") == 0)
            good = (int)i;
        if (strcmp(p[i].Name, "MockMultiA") == 0)
            multi = (int)i;
        SC_CHECK(strcmp(p[i].Name, "MockInitOk") != 0);
    }
    SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    SC_CHECK(good >= 0 && multi >= 0);
    SC_CHECK(good < multi); /* sample.so first, then alpha.so */
    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    SC_CHECK(tu_find_report(rep, n, NULL, "/broken.so", true) != NULL);
    SC_CHECK(tu_find_report(rep, n, "MockGood", NULL, false)->ConfigFile == NULL);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);
    return 0;
}

START_TEST(test_config_autoload)
{
    char dir[4096], path[4200];
    const char *cfg;

    snprintf(dir, sizeof(dir), "%s/autoload", tu_tmpdir());
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/sample.so", dir);
    copy_file(tu_mock("mock-good"), path, 0700);
    snprintf(path, sizeof(path), "%s/alpha.so", dir);
    copy_file(tu_mock("mock-multi"), path, 0700);
    snprintf(path, sizeof(path), "%s/broken.so", dir);
    copy_file(tu_mock("mock-no-entry"), path, 0700);
    snprintf(path, sizeof(path), "%s/initfails.so.disabled", dir);
    copy_file(tu_mock("mock-init-fails"), path, 0700);
    cfg = tu_write_filef("autoload.conf", "dropin_dir = none\npackage_dir = %s\n", dir);
    ck_assert_int_eq(tu_run_scenario("autoload", cfg, NULL), 0);
}
END_TEST

/* A configuration file others can write cannot switch the check off. */
static int scenario_untrusted_config(void)
{
    SC_CHECK(!tu_enumerated("MockGood"));
    return 0;
}

START_TEST(test_config_untrusted_cannot_disable_check)
{
    const char *cfg = tu_write_filef("untrusted.conf",
                                     "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
                                     "[module]\nmodule = %s\n",
                                     tu_mock("mock-good"));

    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(chmod(cfg, 0666), 0);
    ck_assert_int_eq(tu_run_scenario("untrusted-config", cfg, NULL), 0);
}
END_TEST

/* Concurrent AddSecurityPackage of the same module and enumeration. */
static void *add_thread(void *arg)
{
    intptr_t bad = 0;

    (void)arg;
    for (int i = 0; i < 20; i++) {
        uint32_t n = 0;
        PSecPkgInfoW p = NULL;

        if (AddSecurityPackageA((LPSTR)tu_mock("mock-multi"), NULL) != SEC_E_OK)
            bad++;
        if (EnumerateSecurityPackagesW(&n, &p) != SEC_E_OK || FreeContextBuffer(p) != SEC_E_OK)
            bad++;
    }
    return (void *)bad;
}

static int scenario_concurrent_add(void)
{
    pthread_t th[4];
    uint32_t n = 0, count = 0;
    PSecPkgInfoA p = NULL;

    for (int i = 0; i < 4; i++)
        SC_CHECK(pthread_create(&th[i], NULL, add_thread, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        void *bad;

        pthread_join(th[i], &bad);
        SC_CHECK(bad == NULL);
    }
    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++)
        if (strncmp(p[i].Name, "MockMulti", 9) == 0)
            count++;
    SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    SC_CHECK(count == 3);
    SC_CHECK(tu_state("mock-multi")->lsa_init_calls == 1);
    return 0;
}

START_TEST(test_concurrent_add)
{
    ck_assert_int_eq(tu_run_scenario("concurrent-add", NULL, NULL), 0);
}
END_TEST

/* A configuration full of mistakes: every bad line is reported with its
 * line number, the good module still loads, once. */
static int scenario_config_garbage(void)
{
    const char *cfg = getenv("LIBSSPI_CONFIG");
    uint32_t n = 0, errors = 0, good = 0;
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    PSecPkgInfoA p = NULL;

    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(p[i].Name, "MockGood") == 0)
            good++;
    SC_STATUS(FreeContextBuffer(p), SEC_E_OK);
    SC_CHECK(good == 1);
    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++)
        if (rep[i].Status != SEC_E_OK && rep[i].ConfigFile != NULL &&
            strcmp(rep[i].ConfigFile, cfg) == 0 && rep[i].ConfigLine > 0 && rep[i].Reason != NULL)
            errors++;
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);
    if (errors < 6) {
        fprintf(stderr, "only %u configuration errors reported\n", errors);
        return 1;
    }
    return 0;
}

START_TEST(test_config_garbage)
{
    static char text[300000];
    size_t off = 0;
    const char *cfg;

    off += (size_t)snprintf(text + off, sizeof(text) - off,
                            "\xef\xbb\xbf# byte order mark, then CRLF lines\r\n"
                            "dropin_dir = none\r\n"
                            "check_permissions = no\n"
                            "= value without a key\n"
                            "unknown_key = 1\n"
                            "autoload = maybe\n"
                            "[module]\n"
                            "[module]\n"
                            "enabled = no\n"
                            "[modul\n"
                            "[module]\n"
                            "module = %s\n"
                            "option. = empty option name\n"
                            "option.x =\n"
                            "enabled = perhaps\n"
                            "[module]\n"
                            "module = %s\n"
                            "module = %s\n",
                            tu_mock("mock-good"), tu_mock("mock-good"), tu_mock("mock-good"));
    memcpy(text + off, "long = ", 7);
    off += 7;
    memset(text + off, 'a', 200000);
    off += 200000;
    memcpy(text + off, "\nafter = the long line\n", 23);
    off += 23;
    text[off] = '\0';
    cfg = tu_write_file("garbage.conf", text);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(tu_run_scenario("config-garbage", cfg, NULL), 0);
}
END_TEST

/* A NUL byte inside the file does not end or break parsing. */
START_TEST(test_config_nul_byte)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/nul.conf", tu_tmpdir());
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "autoload = no\ndropin_dir = none\ncheck_permissions = no\nbad");
    fputc('\0', f);
    fprintf(f, "line = 1\n[module]\nmodule = %s\n", tu_mock("mock-good"));
    fclose(f);
    chmod(path, 0600);
    ck_assert_int_eq(tu_run_scenario("load-only", path, NULL), 0);
}
END_TEST

/* libsspi_reload_config on one thread while others use packages. */
static void *reload_thread(void *arg)
{
    intptr_t bad = 0;

    (void)arg;
    for (int i = 0; i < 30; i++)
        if (libsspi_reload_config() != SEC_E_OK)
            bad++;
    return (void *)bad;
}

static void *user_thread(void *arg)
{
    intptr_t bad = 0;

    (void)arg;
    for (int i = 0; i < 30; i++) {
        struct tu_pair p;
        uint32_t n = 0;
        PSecPkgInfoW info = NULL;

        if (tu_pair_open("MockGood", &p) != SEC_E_OK ||
            tu_sign_verify(&p.client, &p.server, 0, (uint32_t)i) != SEC_E_OK ||
            tu_pair_close(&p) != SEC_E_OK)
            bad++;
        if (EnumerateSecurityPackagesW(&n, &info) != SEC_E_OK || n < 4 ||
            FreeContextBuffer(info) != SEC_E_OK)
            bad++;
    }
    return (void *)bad;
}

static int scenario_reload_race(void)
{
    pthread_t th[3];
    void *bad;

    SC_CHECK(tu_enumerated("MockGood"));
    SC_CHECK(pthread_create(&th[0], NULL, reload_thread, NULL) == 0);
    SC_CHECK(pthread_create(&th[1], NULL, user_thread, NULL) == 0);
    SC_CHECK(pthread_create(&th[2], NULL, user_thread, NULL) == 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], &bad);
        SC_CHECK(bad == NULL);
    }
    SC_CHECK(tu_enumerated("MockMultiC"));
    SC_CHECK(tu_state("mock-good")->violations == 0);
    return 0;
}

START_TEST(test_reload_race)
{
    const char *cfg = tu_write_filef("reload-race.conf",
                                     "autoload = no\ndropin_dir = none\n"
                                     "check_permissions = no\n[module]\nmodule = %s\n"
                                     "[module]\nmodule = %s\noption.k = v\n",
                                     tu_mock("mock-good"), tu_mock("mock-multi"));

    ck_assert_int_eq(tu_run_scenario("reload-race", cfg, NULL), 0);
}
END_TEST

/* AddSecurityPackageW converts a non-ASCII module path. */
START_TEST(test_add_w_non_ascii_path)
{
    char path[4096];
    char16_t wpath[4096];
    size_t n = 0;
    const unsigned char *p;

    snprintf(path, sizeof(path), "%s/m\xc3\xb6\xc3\xb6k-\xe2\x82\xac.so", tu_tmpdir());
    copy_file(tu_mock("mock-dup-name"), path, 0700);
    /* UTF-8 -> UTF-16 (the path has no supplementary characters). */
    for (p = (const unsigned char *)path; *p != '\0' && n + 1 < 4096; n++) {
        if (*p < 0x80) {
            wpath[n] = *p++;
        } else if ((*p & 0xe0) == 0xc0) {
            wpath[n] = (char16_t)(((p[0] & 0x1f) << 6) | (p[1] & 0x3f));
            p += 2;
        } else {
            wpath[n] = (char16_t)(((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f));
            p += 3;
        }
    }
    wpath[n] = 0;
    /* The copy names "mockgood": loaded if MockGood is not, refused otherwise;
     * either way the library found and opened the file. */
    if (tu_enumerated("MockGood")) {
        LIBSSPI_PACKAGE_REPORT *rep = NULL;
        uint32_t cnt = 0;

        ck_assert_status(AddSecurityPackageW(wpath, NULL), SEC_E_CANNOT_INSTALL);
        ck_assert_status(libsspi_query_packages(&cnt, &rep), SEC_E_OK);
        ck_assert_ptr_nonnull(
            tu_find_report(rep, cnt, NULL, "/m\xc3\xb6\xc3\xb6k-\xe2\x82\xac.so", true));
        ck_assert_status(FreeContextBuffer(rep), SEC_E_OK);
    } else {
        ck_assert_status(AddSecurityPackageW(wpath, NULL), SEC_E_OK);
        ck_assert(tu_enumerated("mockgood"));
    }
}
END_TEST

/* With LIBSSPI_DEBUG every API call is logged with its package and status
 * name; secrets passed in are never logged. */
static int scenario_debug_calls(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)"debuguser",
        .UserLength = 9,
        .Domain = (unsigned char *)"DOM",
        .DomainLength = 3,
        .Password = (unsigned char *)"S3cr3t-Passw0rd",
        .PasswordLength = 15,
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    SEC_WINNT_AUTH_IDENTITY_W idw = {
        .User = (unsigned short *)u"debuguser",
        .UserLength = 9,
        .Password = (unsigned short *)u"W1de-Passw0rd",
        .PasswordLength = 13,
        .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
    };
    CredHandle c;
    TimeStamp ts;
    struct tu_pair p;

    SC_STATUS(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND, NULL,
                                        &id, NULL, NULL, &c, &ts),
              SEC_E_OK);
    SC_STATUS(FreeCredentialsHandle(&c), SEC_E_OK);
    SC_STATUS(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND, NULL,
                                        &idw, NULL, NULL, &c, &ts),
              SEC_E_OK);
    SC_STATUS(FreeCredentialsHandle(&c), SEC_E_OK);
    SC_STATUS(tu_pair_open("MockGood", &p), SEC_E_OK);
    SC_STATUS(tu_sign_verify(&p.client, &p.server, 0, 1), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    SC_STATUS(DeleteSecurityContext(&p.client), SEC_E_INVALID_HANDLE);
    return 0;
}

START_TEST(test_debug_calls)
{
    char log[4096], env[4200];
    const char *cfg;
    char *text;
    static const char *const expect[] = {
        "AcquireCredentialsHandleA",
        "AcquireCredentialsHandleW",
        "InitializeSecurityContextA",
        "AcceptSecurityContext",
        "MakeSignature",
        "VerifySignature",
        "DeleteSecurityContext",
        "FreeCredentialsHandle",
        "MockGood",
        "SEC_I_CONTINUE_NEEDED",
        "SEC_E_OK",
        "SEC_E_INVALID_HANDLE",
    };

    snprintf(log, sizeof(log), "%s/calls.log", tu_tmpdir());
    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", log);
    cfg = tu_write_filef("calls.conf",
                         "autoload = no\ndropin_dir = none\n"
                         "check_permissions = no\n[module]\nmodule = %s\n",
                         tu_mock("mock-good"));
    ck_assert_int_eq(tu_run_scenario("debug-calls", cfg, env, NULL), 0);
    text = read_text(log);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        ck_assert_msg(strstr(text, expect[i]) != NULL, "debug log lacks \"%s\"", expect[i]);
    ck_assert_msg(strstr(text, "S3cr3t-Passw0rd") == NULL, "password logged");
    ck_assert_msg(strstr(text, "W1de-Passw0rd") == NULL, "password logged");
    free(text);
}
END_TEST

/* ---- nothing blocks: FIFOs, devices, directories, re-entry ------------- */

/* A hung call fails the test (SIGALRM) instead of hanging the suite. */
#define WATCHDOG_SECONDS 20

/* A FIFO at tu_tmpdir()/name (nobody ever opens its other end). */
static const char *make_fifo(const char *name)
{
    static char path[4][4096];
    static int k;
    char *p = path[k++ % 4];

    snprintf(p, sizeof(path[0]), "%s/%s", tu_tmpdir(), name);
    unlink(p);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    return p;
}

/* Whether some report's reason contains `text`. */
static bool report_says(const char *text)
{
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    uint32_t n = 0;
    bool hit = false;

    if (libsspi_query_packages(&n, &rep) != SEC_E_OK)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (rep[i].Reason != NULL && strstr(rep[i].Reason, text) != NULL)
            hit = true;
    FreeContextBuffer(rep);
    return hit;
}

static int scenario_fifo_config(void)
{
    uint32_t n = 99;
    PSecPkgInfoA p = NULL;

    alarm(WATCHDOG_SECONDS);
    SC_STATUS(EnumerateSecurityPackagesA(&n, &p), SEC_E_OK);
    FreeContextBuffer(p);
    SC_CHECK(report_says("not a regular file (a FIFO)"));
    return 0;
}

START_TEST(test_fifo_config_does_not_block)
{
    ck_assert_int_eq(tu_run_scenario("fifo-config", make_fifo("fifo.conf"), NULL), 0);
}
END_TEST

static int scenario_fifo_dropin(void)
{
    struct tu_pair p;

    alarm(WATCHDOG_SECONDS);
    SC_CHECK(tu_enumerated("MockGood"));
    SC_STATUS(tu_pair_open("MockGood", &p), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    SC_CHECK(report_says("not a regular file (a FIFO)"));
    return 0;
}

START_TEST(test_fifo_dropin_does_not_block)
{
    char dir[4096];
    const char *cfg;

    snprintf(dir, sizeof(dir), "%s/fifo.d", tu_tmpdir());
    mkdir(dir, 0700);
    make_fifo("fifo.d/a-fifo.conf");
    tu_write_filef("fifo.d/b-good.conf", "module = %s\n", tu_mock("mock-good"));
    cfg = tu_write_filef("fifo-dropin.conf",
                         "autoload = no\ncheck_permissions = no\n"
                         "dropin_dir = %s\n",
                         dir);
    ck_assert_int_eq(tu_run_scenario("fifo-dropin", cfg, NULL), 0);
}
END_TEST

static int scenario_fifo_debug(void)
{
    alarm(WATCHDOG_SECONDS);
    SC_CHECK(tu_enumerated("MockGood"));
    return 0;
}

/* LIBSSPI_DEBUG naming a FIFO nobody reads: no log, no hang. */
START_TEST(test_fifo_debug_log_does_not_block)
{
    char env[4200];
    const char *cfg = tu_write_filef("fifo-debug.conf",
                                     "autoload = no\ndropin_dir = none\n"
                                     "check_permissions = no\n[module]\nmodule = %s\n",
                                     tu_mock("mock-good"));

    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", make_fifo("debug.fifo"));
    ck_assert_int_eq(tu_run_scenario("fifo-debug", cfg, env, NULL), 0);
}
END_TEST

/* module = a FIFO, a directory, a device: refused with a reason, at once. */
START_TEST(test_module_not_a_regular_file)
{
    const char *fifo = make_fifo("fifo.so");
    const char *paths[] = {fifo, tu_tmpdir(), "/dev/zero", "/dev/null"};

    alarm(WATCHDOG_SECONDS);
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        ck_assert_status(AddSecurityPackageA((LPSTR)paths[i], NULL), SEC_E_CANNOT_INSTALL);
        query_reports();
        ck_assert_msg(tu_find_report(reports, nreports, NULL, paths[i], true) != NULL,
                      "no failure report for %s", paths[i]);
        free_reports();
    }
    ck_assert(report_says("not a regular file (a FIFO)"));
    ck_assert(report_says("not a regular file (a directory)"));
    ck_assert(report_says("not a regular file (a character device)"));
    alarm(0);
}
END_TEST

/* The statuses MockReenter's SpInitialize got from its calls back. */
static int check_reentry(bool during_init)
{
    struct mock_pkg_record *r = tu_record("mock-reenter", "MockReenter");
    struct tu_pair p;

    SC_CHECK(r != NULL);
    SC_CHECK(r->reenter_calls == 1);
    SC_STATUS(r->reenter_enumerate, SEC_E_OK);
    /* Not published yet while its own SpInitialize runs. */
    SC_STATUS(r->reenter_query, SEC_E_SECPKG_NOT_FOUND);
    SC_STATUS(r->reenter_add, SEC_E_INTERNAL_ERROR);
    SC_STATUS(r->reenter_reload, SEC_E_INTERNAL_ERROR);
    SC_CHECK(!during_init || r->reenter_enumerated == 0);
    /* The package itself loaded and works; loading still works after. */
    SC_STATUS(tu_pair_open("MockReenter", &p), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    SC_STATUS(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    SC_STATUS(libsspi_reload_config(), SEC_E_OK);
    SC_CHECK(tu_state("mock-reenter")->violations == 0);
    return 0;
}

static int scenario_reenter_init(void)
{
    alarm(WATCHDOG_SECONDS);
    SC_CHECK(tu_enumerated("MockReenter"));
    return check_reentry(true);
}

static int scenario_reenter_add(void)
{
    alarm(WATCHDOG_SECONDS);
    SC_STATUS(AddSecurityPackageA((LPSTR)tu_mock("mock-reenter"), NULL), SEC_E_OK);
    return check_reentry(false);
}

START_TEST(test_reentry_during_autoload)
{
    char env[4200];
    const char *cfg;

    snprintf(env, sizeof(env), "MOCK_REENTER_ADD=%s", tu_mock("mock-good"));
    cfg = tu_write_filef("reenter.conf",
                         "autoload = no\ndropin_dir = none\n"
                         "check_permissions = no\n[module]\nmodule = %s\n",
                         tu_mock("mock-reenter"));
    ck_assert_int_eq(tu_run_scenario("reenter-init", cfg, env, NULL), 0);
}
END_TEST

START_TEST(test_reentry_during_add)
{
    char env[4200];

    snprintf(env, sizeof(env), "MOCK_REENTER_ADD=%s", tu_mock("mock-good"));
    ck_assert_int_eq(tu_run_scenario("reenter-add", NULL, env, NULL), 0);
}
END_TEST

/* Autoload from a package directory without any .so: nothing loaded, no
 * undefined behaviour (qsort of an empty list under UBSan). */
START_TEST(test_autoload_empty_dir)
{
    char dir[4096];
    const char *cfg;

    snprintf(dir, sizeof(dir), "%s/no-modules", tu_tmpdir());
    mkdir(dir, 0700);
    tu_write_filef("no-modules/readme.txt", "not a module\n");
    cfg = tu_write_filef("no-modules.conf",
                         "dropin_dir = none\ncheck_permissions = no\n"
                         "package_dir = %s\n",
                         dir);
    ck_assert_int_eq(tu_run_scenario("empty", cfg, NULL), 0);
}
END_TEST

/* ---- what the log shows ---------------------------------------------------- */

#define EVIL_NAME_A "Evil\x1b[31mRed\n\xe2\x80\xaegnp\xe2\x81\xa6X"

static int scenario_trace_names(void)
{
    LIBSSPI_PACKAGE_REPORT *rep = NULL;
    PSecPkgInfoA ia = NULL;
    PSecPkgInfoW iw = NULL;
    CredHandle c;
    uint32_t n = 0;
    bool raw = false;

    SC_STATUS(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)EVIL_NAME_A, SECPKG_CRED_OUTBOUND, NULL,
                                        NULL, NULL, NULL, &c, NULL),
              SEC_E_OK);
    SC_STATUS(FreeCredentialsHandle(&c), SEC_E_OK);
    /* The report keeps the name as data. */
    SC_STATUS(libsspi_query_packages(&n, &rep), SEC_E_OK);
    for (uint32_t i = 0; i < n; i++)
        raw = raw || (rep[i].Name != NULL && strcmp(rep[i].Name, EVIL_NAME_A) == 0);
    SC_STATUS(FreeContextBuffer(rep), SEC_E_OK);
    SC_CHECK(raw);
    /* Calls naming packages that are not there. */
    SC_STATUS(QuerySecurityPackageInfoA((SEC_CHAR *)"NoSuchPkgA", &ia), SEC_E_SECPKG_NOT_FOUND);
    SC_STATUS(QuerySecurityPackageInfoW((SEC_WCHAR *)u"NoSuchPkgW", &iw), SEC_E_SECPKG_NOT_FOUND);
    SC_STATUS(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NoSuchAcqA", SECPKG_CRED_OUTBOUND, NULL,
                                        NULL, NULL, NULL, &c, NULL),
              SEC_E_SECPKG_NOT_FOUND);
    SC_STATUS(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NoSuchAcqW", SECPKG_CRED_OUTBOUND,
                                        NULL, NULL, NULL, NULL, &c, NULL),
              SEC_E_SECPKG_NOT_FOUND);
    return 0;
}

/* Package names with control and bidi characters are escaped in the log
 * (every line is one of libsspi's), and a call naming a missing package
 * logs the name asked for. */
START_TEST(test_trace_escapes_and_names)
{
    static const char *const asked[] = {"package=NoSuchPkgA", "package=NoSuchPkgW",
                                        "package=NoSuchAcqA", "package=NoSuchAcqW"};
    char log[4096], env[4200], *text, *line;
    const char *cfg;

    snprintf(log, sizeof(log), "%s/names.log", tu_tmpdir());
    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", log);
    cfg = tu_write_filef("names.conf",
                         "autoload = no\ndropin_dir = none\n"
                         "check_permissions = no\n[module]\nmodule = %s\n",
                         tu_mock("mock-evil"));
    ck_assert_int_eq(tu_run_scenario("trace-names", cfg, env, NULL), 0);
    text = read_text(log);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strchr(text, '\x1b') == NULL, "raw ESC in the log");
    ck_assert_msg(strstr(text, "\xe2\x80\xae") == NULL, "raw U+202E in the log");
    ck_assert_msg(strstr(text, "Evil\\x1b[31mRed\\n\\u{202E}gnp\\u{2066}X") != NULL,
                  "escaped name not in the log");
    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++)
        ck_assert_msg(strstr(text, asked[i]) != NULL, "log lacks %s", asked[i]);
    for (line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
        ck_assert_msg(strncmp(line, "libsspi[", 8) == 0, "forged log line: %.40s", line);
        if (strchr(line, '\n') == NULL)
            break;
    }
    free(text);
}
END_TEST

static const struct tu_scenario scenarios[] = {
    {"debug-calls", scenario_debug_calls},
    {"provider-deep", scenario_provider_deep},
    {"fifo-config", scenario_fifo_config},
    {"trace-names", scenario_trace_names},
    {"fifo-dropin", scenario_fifo_dropin},
    {"fifo-debug", scenario_fifo_debug},
    {"reenter-init", scenario_reenter_init},
    {"reenter-add", scenario_reenter_add},
    {"reload-race", scenario_reload_race},
    {"config-garbage", scenario_config_garbage},
    {"empty", scenario_empty},
    {"autoload", scenario_autoload},
    {"untrusted-config", scenario_untrusted_config},
    {"concurrent-add", scenario_concurrent_add},
    {"blocks", scenario_blocks},
    {"dropins", scenario_dropins},
    {"permissions", scenario_permissions},
    {"load-only", scenario_load_only},
    {"reload", scenario_reload},
    {NULL, NULL},
};

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("add");

    tcase_add_test(tc, test_add_good);
    tcase_add_test(tc, test_add_again_is_ok);
    tcase_add_test(tc, test_add_w);
    tcase_add_test(tc, test_multi);
    tcase_add_test(tc, test_multi_each_works);
    tcase_add_test(tc, test_initialize_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("refuse");
    tcase_add_test(tc, test_refuse_old_version);
    tcase_add_test(tc, test_refuse_odd_version);
    tcase_add_test(tc, test_refuse_no_entry);
    tcase_add_test(tc, test_refuse_null_tables);
    tcase_add_test(tc, test_refuse_null_count);
    tcase_add_test(tc, test_refuse_user_only);
    tcase_add_test(tc, test_refuse_dup_name);
    tcase_add_test(tc, test_refuse_provider_null);
    tcase_add_test(tc, test_refuse_provider_noname);
    tcase_add_test(tc, test_provider_binds_to_itself);
    tcase_add_test(tc, test_refuse_not_elf);
    tcase_add_test(tc, test_add_bad_specs);
    tcase_add_test(tc, test_init_fails_other_loads);
    tcase_add_test(tc, test_instance_init_fails_other_loads);
    tcase_add_test(tc, test_refuse_lsa_init_fails);
    tcase_add_test(tc, test_new_version);
    tcase_add_test(tc, test_short_table);
    tcase_add_test(tc, test_garbage_module);
    tcase_add_test(tc, test_refused_report_has_name);
    suite_add_tcase(s, tc);

    tc = tcase_create("delete");
    tcase_add_test(tc, test_delete);
    tcase_add_test(tc, test_delete_bad);
    tcase_add_test(tc, test_delete_w_restore_path);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_test(tc, test_config_blocks);
    tcase_add_test(tc, test_config_dropins);
    tcase_add_test(tc, test_config_permissions);
    tcase_add_test(tc, test_debug_log);
    tcase_add_test(tc, test_no_debug_log_by_default);
    tcase_add_test(tc, test_debug_calls);
    tcase_add_test(tc, test_trace_escapes_and_names);
    tcase_add_test(tc, test_reload);
    tcase_add_test(tc, test_config_empty);
    tcase_add_test(tc, test_config_autoload);
    tcase_add_test(tc, test_autoload_empty_dir);
    tcase_add_test(tc, test_config_untrusted_cannot_disable_check);
    tcase_add_test(tc, test_concurrent_add);
    tcase_add_test(tc, test_config_garbage);
    tcase_add_test(tc, test_config_nul_byte);
    tcase_add_test(tc, test_reload_race);
    tcase_add_test(tc, test_add_w_non_ascii_path);
    suite_add_tcase(s, tc);

    tc = tcase_create("no-hang");
    tcase_add_test(tc, test_fifo_config_does_not_block);
    tcase_add_test(tc, test_fifo_dropin_does_not_block);
    tcase_add_test(tc, test_fifo_debug_log_does_not_block);
    tcase_add_test(tc, test_module_not_a_regular_file);
    tcase_add_test(tc, test_reentry_during_autoload);
    tcase_add_test(tc, test_reentry_during_add);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, loader_suite, scenarios);
}
