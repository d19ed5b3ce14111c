/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-loader-alone.c - the plugin loader (loader.c, loader-provider.c,
 * elf-probe.c, with the LSA services it hands packages) built without the
 * registry: a fake host in this file takes the packages it publishes and
 * the refusals it records, which proves the loader depends on the
 * registry only through struct sspi_loader_host.
 *
 * The loader keeps the modules it loaded for the life of the process, so
 * each test loads modules no other test loads (the suite also runs with
 * CK_FORK=no under valgrind).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "common/utf16.h"
#include "core/identity-core.h"
#include "core/loader.h"
#include "core/token.h"

/* ---- the fake registry ---------------------------------------------------- */

#define FAKE_MAX 32

static struct sspi_package *published[FAKE_MAX];
static unsigned npublished;
static char failures[FAKE_MAX][512];
static unsigned nfailures;
static uint32_t ids = 100;

static uint32_t fake_next_id(void)
{
    return ids++;
}

static struct sspi_package *fake_find(const char *name)
{
    for (unsigned i = 0; i < npublished; i++)
        if (strcasecmp(published[i]->name_utf8, name) == 0)
            return published[i];
    return NULL;
}

static bool fake_name_taken(const char16_t *name)
{
    for (unsigned i = 0; i < npublished; i++)
        if (sspi_utf16_casecmp(published[i]->name, name) == 0)
            return true;
    return false;
}

static bool fake_publish(struct sspi_package *pkg)
{
    if (npublished == FAKE_MAX)
        return false;
    published[npublished++] = pkg;
    return true;
}

static void fake_record_failure(const char *module, const char *config_file, uint32_t config_line,
                                const char *name, SECURITY_STATUS status, const char *reason)
{
    (void)config_file;
    (void)config_line;
    (void)status;
    if (nfailures < FAKE_MAX)
        snprintf(failures[nfailures++], sizeof(failures[0]), "%s|%s|%s", module, name ? name : "-",
                 reason);
}

static const struct sspi_loader_host fake_host = {
    .next_id = fake_next_id,
    .name_taken = fake_name_taken,
    .publish = fake_publish,
    .record_failure = fake_record_failure,
    .find = fake_find,
};

static const char *mock(const char *name)
{
    static char path[4][4096];
    static int k;
    const char *dir = getenv("LIBSSPI_TEST_MOCKDIR");
    char *p = path[k++ % 4];

    snprintf(p, sizeof(path[0]), "%s/%s.so", dir ? dir : "tests/mock/.libs", name);
    return p;
}

static uint32_t load(const char *path, char *const *only, size_t nonly, SECURITY_STATUS *st)
{
    struct sspi_load_request req = {
        .host = &fake_host,
        .path = path,
        .only = only,
        .nonly = nonly,
        .check_permissions = false,
    };

    return sspi_loader_load(&req, st);
}

static bool failure_says(const char *text)
{
    for (unsigned i = 0; i < nfailures; i++)
        if (strstr(failures[i], text) != NULL)
            return true;
    return false;
}

/* ---- the rest of the core that the LSA services reach --------------------- */

/* CallPackage* (api-lsa.c) go through the registry: not here. */
NTSTATUS NTAPI sspi_lsa_call_package(PUNICODE_STRING pkg, PVOID in, ULONG inlen, PVOID *out,
                                     PULONG outlen, PNTSTATUS st)
{
    (void)pkg, (void)in, (void)inlen, (void)out, (void)outlen, (void)st;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI sspi_lsa_call_package_ex(PUNICODE_STRING pkg, PVOID base, PVOID in, ULONG inlen,
                                        PVOID *out, PULONG outlen, PNTSTATUS st)
{
    (void)base;
    return sspi_lsa_call_package(pkg, in, inlen, out, outlen, st);
}

NTSTATUS NTAPI sspi_lsa_call_package_passthrough(PUNICODE_STRING pkg, PVOID base, PVOID in,
                                                 ULONG inlen, PVOID *out, PULONG outlen,
                                                 PNTSTATUS st)
{
    (void)base;
    return sspi_lsa_call_package(pkg, in, inlen, out, outlen, st);
}

/* Copy{From,To}ClientBuffer (client-memory.c): plain copies here. */
bool sspi_client_read(void *dst, const void *src, size_t len)
{
    memcpy(dst, src, len);
    return true;
}

bool sspi_client_write(void *dst, const void *src, size_t len)
{
    memcpy(dst, src, len);
    return true;
}

/* GetClientInfo's Impersonating (impersonate.c): never here. */
bool sspi_thread_impersonating(void)
{
    return false;
}

/* ---- tests ------------------------------------------------------------------ */

START_TEST(test_sspap_module_published_to_host)
{
    SECURITY_STATUS st;
    unsigned before = npublished;
    struct sspi_package *p;
    LSA_SEC_HANDLE cred = 0;
    TimeStamp ts;

    ck_assert_uint_eq(load(mock("mock-good"), NULL, 0, &st), 1);
    ck_assert_int_eq(st, SEC_E_OK);
    ck_assert_uint_eq(npublished, before + 1);
    p = published[before];
    ck_assert_str_eq(p->name_utf8, "MockGood");
    ck_assert_int_eq(p->shape, SSPI_SHAPE_SSPAP);
    ck_assert_uint_ge(p->id, 100);
    ck_assert(p->has_user);
    ck_assert_ptr_nonnull(p->lsa.AcquireCredentialsHandle);
    ck_assert_ptr_nonnull(p->user.MakeSignature);
    ck_assert_ptr_null(p->config_file);
    /* The package is usable as loaded: its tables work. */
    ck_assert_int_eq(p->lsa.AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                     NULL, &cred, &ts),
                     STATUS_SUCCESS);
    ck_assert_int_eq(p->lsa.FreeCredentialsHandle(cred), STATUS_SUCCESS);

    /* The host's name check refuses a second package of that name. */
    ck_assert_uint_eq(load(mock("mock-dup-name"), NULL, 0, &st), 0);
    ck_assert_int_eq(st, SEC_E_CANNOT_INSTALL);
    ck_assert(failure_says("duplicate package name mockgood"));
}
END_TEST

/* SpGetExtendedInformation(SecpkgGssInfo) answers in a block of the LSA
 * heap (mock-multi AllocateLsaHeaps one of its answers, as the package kit
 * does): the loader frees it once it has read the OID, so loading leaves no
 * block of that heap behind (memcheck would also call one lost). */
START_TEST(test_gss_info_block_freed)
{
    SECURITY_STATUS st;
    unsigned before = npublished;
    size_t live = sspi_mem_live();

    ck_assert_uint_ge(load(mock("mock-multi"), NULL, 0, &st), 2);
    ck_assert_int_eq(st, SEC_E_OK);
    ck_assert_uint_ge(npublished, before + 2);
    unsigned with_oid = 0;
    for (unsigned i = before; i < npublished; i++)
        with_oid += published[i]->mech_oid != NULL;
    ck_assert_uint_ge(with_oid, 1);
    ck_assert_uint_eq(sspi_mem_live(), live);
}
END_TEST

START_TEST(test_filter_asks_host)
{
    char *only[] = {"MockInitOk", "NoSuchPackage"};
    SECURITY_STATUS st;

    ck_assert_uint_eq(load(mock("mock-init-fails"), only, 2, &st), 1);
    ck_assert_int_eq(st, SEC_E_OK);
    ck_assert_ptr_nonnull(fake_find("MockInitOk"));
    ck_assert_ptr_null(fake_find("MockInitFail"));
    ck_assert(failure_says("NoSuchPackage is not a package of this module"));
}
END_TEST

START_TEST(test_provider_published_to_host)
{
    struct sspi_package *p;
    SECURITY_STATUS st;

    ck_assert_uint_eq(load(mock("mock-provider"), NULL, 0, &st), 1);
    p = fake_find("MockProvider");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->shape, SSPI_SHAPE_PROVIDER);
    ck_assert_ptr_nonnull(p->prov_w);
    ck_assert_uint_eq(p->info.cbMaxToken, 48);
}
END_TEST

START_TEST(test_refusals_recorded_with_host)
{
    char fifo[4096];
    SECURITY_STATUS st;

    ck_assert_uint_eq(load(mock("mock-no-entry"), NULL, 0, &st), 0);
    ck_assert_int_eq(st, SEC_E_CANNOT_INSTALL);
    ck_assert(failure_says("exports neither SpLsaModeInitialize"));
    ck_assert_uint_eq(load("/nonexistent/module.so", NULL, 0, &st), 0);
    ck_assert_int_eq(st, SEC_E_SECPKG_NOT_FOUND);

    snprintf(fifo, sizeof(fifo), "%s/loader-alone-%ld.fifo", P_tmpdir, (long)getpid());
    unlink(fifo);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_uint_eq(load(fifo, NULL, 0, &st), 0);
    unlink(fifo);
    ck_assert(failure_says("not a regular file (a FIFO)"));
}
END_TEST

/* The entry points of a module, read before it is loaded. */
START_TEST(test_elf_probe)
{
    static const char *const names[] = {"SpLsaModeInitialize", "InitSecurityInterfaceW",
                                        "SpUserModeInitialize", "mock_state"};
    bool found[4];
    int fd = open(mock("mock-multi"), O_RDONLY);

    ck_assert_int_ge(fd, 0);
    ck_assert(sspi_elf_defines(fd, names, 4, found));
    ck_assert(found[0] && !found[1] && found[2] && !found[3]); /* mock_state is data */
    close(fd);
    fd = open(mock("mock-provider-null"), O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert(sspi_elf_defines(fd, names, 4, found));
    ck_assert(!found[0] && found[1] && !found[2]);
    close(fd);
    fd = open("/dev/null", O_RDONLY);
    ck_assert(!sspi_elf_defines(fd, names, 4, found));
    close(fd);
}
END_TEST

static Suite *loader_alone_suite(void)
{
    Suite *s = suite_create("loader-alone");
    TCase *tc = tcase_create("host");

    tcase_add_test(tc, test_sspap_module_published_to_host);
    tcase_add_test(tc, test_gss_info_block_freed);
    tcase_add_test(tc, test_filter_asks_host);
    tcase_add_test(tc, test_provider_published_to_host);
    tcase_add_test(tc, test_refusals_recorded_with_host);
    tcase_add_test(tc, test_elf_probe);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(loader_alone_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
