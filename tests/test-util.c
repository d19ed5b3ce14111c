/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-util.c - helpers shared by the core Check suites (see test-util.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"

#define TU_RING 16

static char tu_tmp[PATH_MAX];
static pid_t tu_tmp_owner;
static char tu_self[PATH_MAX];

static char *tu_ring(void)
{
    static _Thread_local char ring[TU_RING][PATH_MAX];
    static _Thread_local unsigned next;

    return ring[next++ % TU_RING];
}

const char *tu_mock(const char *name)
{
    const char *dir = getenv("LIBSSPI_TEST_MOCKDIR");
    char *out = tu_ring();

    snprintf(out, PATH_MAX, "%s/%s.so", dir ? dir : "tests/mock/.libs", name);
    return out;
}

const char *tu_tmpdir(void)
{
    return tu_tmp;
}

static int tu_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void tu_cleanup(void)
{
    if (tu_tmp[0] != '\0' && getpid() == tu_tmp_owner)
        nftw(tu_tmp, tu_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tu_write_file(const char *name, const char *text)
{
    char *path = tu_ring();
    FILE *f;

    if (snprintf(path, PATH_MAX, "%s/%s", tu_tmp, name) >= PATH_MAX)
        return NULL;
    unlink(path);
    f = fopen(path, "w");
    if (f == NULL)
        return NULL;
    fputs(text, f);
    if (fclose(f) != 0 || chmod(path, 0600) != 0)
        return NULL;
    return path;
}

const char *tu_write_public(const char *name, const char *text)
{
    const char *path = tu_write_file(name, text);

    if (path == NULL || chmod(path, 0644) != 0 || chmod(tu_tmp, 0711) != 0)
        return NULL;
    return path;
}

const char *tu_write_filef(const char *name, const char *fmt, ...)
{
    char text[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    return tu_write_file(name, text);
}

int tu_run_scenario(const char *name, const char *config, ...)
{
    va_list ap;
    pid_t pid;
    int status;
    const char *kv;

    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (config != NULL)
            setenv("LIBSSPI_CONFIG", config, 1);
        va_start(ap, config);
        while ((kv = va_arg(ap, const char *)) != NULL) {
            char *eq = strchr(kv, '=');

            if (eq != NULL) {
                char key[256];

                snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
                setenv(key, eq + 1, 1);
            }
        }
        va_end(ap);
        execl(tu_self, tu_self, "--scenario", name, (char *)NULL);
        fprintf(stderr, "exec %s: %s\n", tu_self, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    fprintf(stderr, "scenario %s: killed by signal %d\n", name,
            WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

SECURITY_STATUS tu_ensure(const char *mock, const char *pkg)
{
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS st = QuerySecurityPackageInfoA((SEC_CHAR *)pkg, &info);

    if (st == SEC_E_OK) {
        FreeContextBuffer(info);
        return SEC_E_OK;
    }
    st = AddSecurityPackageA((LPSTR)tu_mock(mock), NULL);
    if (st != SEC_E_OK)
        return st;
    st = QuerySecurityPackageInfoA((SEC_CHAR *)pkg, &info);
    if (st == SEC_E_OK)
        FreeContextBuffer(info);
    return st;
}

struct mock_state *tu_state(const char *mock)
{
    void *h = dlopen(tu_mock(mock), RTLD_NOW | RTLD_NOLOAD);
    struct mock_state *s;

    if (h == NULL)
        return NULL;
    s = dlsym(h, "mock_state");
    /* The library loads modules with RTLD_NODELETE: the state outlives this. */
    dlclose(h);
    return s != NULL && s->magic == MOCK_STATE_MAGIC ? s : NULL;
}

struct mock_identity_state *tu_identity_state(void)
{
    struct mock_identity_state *st;
    void *h;

    if (tu_ensure("mock-identity", "MockIdentity") != SEC_E_OK)
        return NULL;
    h = dlopen(tu_mock("mock-identity"), RTLD_NOW | RTLD_NOLOAD);
    if (h == NULL)
        return NULL;
    st = dlsym(h, "mock_identity_state");
    dlclose(h);
    return st != NULL && st->magic == MOCK_IDENTITY_MAGIC ? st : NULL;
}

struct mock_pkg_record *tu_record(const char *mock, const char *pkg)
{
    struct mock_state *s = tu_state(mock);

    if (s == NULL)
        return NULL;
    for (uint32_t i = 0; i < s->package_count && i < MOCK_MAX_PACKAGES; i++)
        if (strcasecmp(s->pkg[i].name, pkg) == 0)
            return &s->pkg[i];
    return NULL;
}

static SecBufferDesc *tu_desc(SecBufferDesc *d, SecBuffer *b, uint32_t type, void *p, uint32_t len)
{
    b->BufferType = type;
    b->pvBuffer = p;
    b->cbBuffer = len;
    d->ulVersion = SECBUFFER_VERSION;
    d->cBuffers = 1;
    d->pBuffers = b;
    return d;
}

SECURITY_STATUS tu_pair_open(const char *pkg, struct tu_pair *p)
{
    return tu_pair_open_target(pkg, "host/test", p);
}

SECURITY_STATUS tu_pair_open_target(const char *pkg, const char *target, struct tu_pair *p)
{
    uint8_t t1[64], t2[64], t3[64], t4[64];
    SecBuffer ib, ob;
    SecBufferDesc id, od;
    uint32_t attrs;
    TimeStamp ts;
    CtxtHandle first;
    SECURITY_STATUS st;

    memset(p, 0, sizeof(*p));
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                   NULL, &p->client_cred, &ts);
    if (st != SEC_E_OK)
        return st;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                   NULL, &p->server_cred, &ts);
    if (st != SEC_E_OK) {
        FreeCredentialsHandle(&p->client_cred);
        return st;
    }
    st = InitializeSecurityContextA(
        &p->client_cred, NULL, (SEC_CHAR *)target, 0, 0, SECURITY_NATIVE_DREP, NULL, 0, &p->client,
        tu_desc(&od, &ob, SECBUFFER_TOKEN, t1, sizeof(t1)), &attrs, &ts);
    if (st != SEC_I_CONTINUE_NEEDED)
        goto fail_creds;
    st = AcceptSecurityContext(&p->server_cred, NULL,
                               tu_desc(&id, &ib, SECBUFFER_TOKEN, t1, ob.cbBuffer), 0,
                               SECURITY_NATIVE_DREP, &p->server,
                               tu_desc(&od, &ob, SECBUFFER_TOKEN, t2, sizeof(t2)), &attrs, &ts);
    if (st != SEC_I_CONTINUE_NEEDED)
        goto fail_client;
    first = p->client;
    st = InitializeSecurityContextA(
        &p->client_cred, &p->client, (SEC_CHAR *)target, 0, 0, SECURITY_NATIVE_DREP,
        tu_desc(&id, &ib, SECBUFFER_TOKEN, t2, ob.cbBuffer), 0, &p->client,
        tu_desc(&od, &ob, SECBUFFER_TOKEN, t3, sizeof(t3)), &attrs, &ts);
    p->same_client_handle =
        first.dwLower == p->client.dwLower && first.dwUpper == p->client.dwUpper;
    if (st != SEC_E_OK)
        goto fail_server;
    first = p->server;
    st = AcceptSecurityContext(&p->server_cred, &p->server,
                               tu_desc(&id, &ib, SECBUFFER_TOKEN, t3, ob.cbBuffer), 0,
                               SECURITY_NATIVE_DREP, &p->server,
                               tu_desc(&od, &ob, SECBUFFER_TOKEN, t4, sizeof(t4)), &attrs, &ts);
    p->same_server_handle =
        first.dwLower == p->server.dwLower && first.dwUpper == p->server.dwUpper;
    if (st != SEC_E_OK)
        goto fail_server;
    return SEC_E_OK;

fail_server:
    DeleteSecurityContext(&p->server);
fail_client:
    DeleteSecurityContext(&p->client);
fail_creds:
    FreeCredentialsHandle(&p->server_cred);
    FreeCredentialsHandle(&p->client_cred);
    return st == SEC_E_OK ? SEC_E_INTERNAL_ERROR : st;
}

SECURITY_STATUS tu_pair_close(struct tu_pair *p)
{
    SECURITY_STATUS r[4];

    r[0] = DeleteSecurityContext(&p->client);
    r[1] = DeleteSecurityContext(&p->server);
    r[2] = FreeCredentialsHandle(&p->client_cred);
    r[3] = FreeCredentialsHandle(&p->server_cred);
    for (int i = 0; i < 4; i++)
        if (r[i] != SEC_E_OK)
            return r[i];
    return SEC_E_OK;
}

SECURITY_STATUS tu_sign_verify(CtxtHandle *from, CtxtHandle *to, uint32_t qop, uint32_t seq)
{
    char msg[] = "a message to sign";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {
        {sizeof(msg), SECBUFFER_DATA, msg},
        {sizeof(sig), SECBUFFER_TOKEN, sig},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t got = 0;
    SECURITY_STATUS st = MakeSignature(from, qop, &d, seq);

    if (st != SEC_E_OK)
        return st;
    st = VerifySignature(to, &d, seq, &got);
    if (st != SEC_E_OK)
        return st;
    return got == qop ? SEC_E_OK : SEC_E_QOP_NOT_SUPPORTED;
}

const LIBSSPI_PACKAGE_REPORT *tu_find_report(const LIBSSPI_PACKAGE_REPORT *r, uint32_t n,
                                             const char *name, const char *module_suffix,
                                             bool failed)
{
    for (uint32_t i = 0; i < n; i++) {
        if (failed != (r[i].Status != SEC_E_OK))
            continue;
        if (name != NULL) {
            if (r[i].Name != NULL && strcasecmp(r[i].Name, name) == 0)
                return &r[i];
            continue;
        }
        if (r[i].Module != NULL && strlen(r[i].Module) >= strlen(module_suffix) &&
            strcmp(r[i].Module + strlen(r[i].Module) - strlen(module_suffix), module_suffix) == 0)
            return &r[i];
    }
    return NULL;
}

bool tu_enumerated(const char *name)
{
    uint32_t n = 0;
    PSecPkgInfoA p = NULL;
    bool found = false;

    if (EnumerateSecurityPackagesA(&n, &p) != SEC_E_OK)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (p[i].Name != NULL && strcasecmp(p[i].Name, name) == 0)
            found = true;
    FreeContextBuffer(p);
    return found;
}

static int tu_drop_id_caps(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
    uint32_t mask = (1u << CAP_SETUID) | (1u << CAP_SETGID);

    if (syscall(SYS_capget, &h, d) != 0)
        return -1;
    d[0].effective &= ~mask;
    d[0].permitted &= ~mask;
    d[0].inheritable &= ~mask;
    return (int)syscall(SYS_capset, &h, d);
}

const char *tu_self_path(void)
{
    return tu_self;
}

int tu_main(int argc, char **argv, Suite *(*make_suite)(void), const struct tu_scenario *scenarios)
{
    const char *base;
    const char *parent;
    ssize_t n;
    SRunner *sr;
    int failed;

    n = readlink("/proc/self/exe", tu_self, sizeof(tu_self) - 1);
    if (n <= 0) {
        perror("readlink /proc/self/exe");
        return 99;
    }
    tu_self[n] = '\0';

    if (argc == 3 && strcmp(argv[1], "--scenario") == 0) {
        const char *dir = getenv("TU_TMPDIR"), *drop = getenv("TU_DROP_TO");

        /* TU_DROP_TO=<uid>: run the scenario without privileges (uid and
         * gid <uid>, no supplementary groups). */
        /* TU_DROP_CAPS=1: stay root but without the capabilities to
         * change identities (CAP_SETUID, CAP_SETGID). */
        if (getenv("TU_DROP_CAPS") != NULL && tu_drop_id_caps() != 0) {
            perror("TU_DROP_CAPS");
            return 98;
        }
        if (drop != NULL) {
            uid_t u = (uid_t)strtoul(drop, NULL, 10);

            if (setgroups(0, NULL) != 0 || setgid((gid_t)u) != 0 || setuid(u) != 0) {
                perror("TU_DROP_TO");
                return 98;
            }
        }

        if (dir != NULL)
            snprintf(tu_tmp, sizeof(tu_tmp), "%s", dir);
        for (const struct tu_scenario *s = scenarios; s != NULL && s->name != NULL; s++)
            if (strcmp(s->name, argv[2]) == 0)
                return s->run();
        fprintf(stderr, "unknown scenario %s\n", argv[2]);
        return 99;
    }

    parent = getenv("top_builddir");
    snprintf(tu_tmp, sizeof(tu_tmp), "%s/tests/tmp-core-XXXXXX", parent ? parent : ".");
    if (mkdtemp(tu_tmp) == NULL) {
        snprintf(tu_tmp, sizeof(tu_tmp), "/tmp/libsspi-core-XXXXXX");
        if (mkdtemp(tu_tmp) == NULL) {
            perror("mkdtemp");
            return 99;
        }
    }
    {
        char abs[PATH_MAX];

        if (realpath(tu_tmp, abs) != NULL)
            snprintf(tu_tmp, sizeof(tu_tmp), "%s", abs);
    }
    tu_tmp_owner = getpid();
    atexit(tu_cleanup);
    setenv("TU_TMPDIR", tu_tmp, 1);
    base = tu_write_file("base.conf", "# core test base configuration\n"
                                      "autoload = no\n"
                                      "dropin_dir = none\n"
                                      "check_permissions = no\n");
    if (base == NULL) {
        perror("base.conf");
        return 99;
    }
    setenv("LIBSSPI_CONFIG", base, 1);

    sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
