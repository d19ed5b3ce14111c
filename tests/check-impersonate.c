/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-impersonate.c - ImpersonateSecurityContext / RevertSecurityContext,
 * QuerySecurityContextToken, SECPKG_ATTR_ACCESS_TOKEN and CloseHandle.
 *
 * The switching cases need root: a file created while impersonating the
 * account "nobody" (the client name the MockIdentity package reports) is
 * owned by it, one created after the revert is not, other threads keep
 * their identity, a thread that exits or a context deleted while
 * impersonating leaves nothing behind.  Track mode runs in a child that
 * dropped its privileges (or directly when the suite is not root); refuse
 * and switch-without-an-account are refused.  An NTLM server impersonates
 * its client after AcceptSecurityContext.  CloseHandle shares the process
 * with a WinPR stand-in in both binding orders.  Each mode runs in a
 * scenario child with its own configuration.
 */
#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handleapi.h"
#include "identity-util.h"
#include "secext.h"
#include "test-util.h"

#define NOBODY 65534u

static const char base_conf[] = "autoload = no\n"
                                "dropin_dir = none\n"
                                "check_permissions = no\n";

/* A configuration readable by every user, with `extra` lines. */
static const char *conf_with(const char *name, const char *extra)
{
    char text[1024];

    snprintf(text, sizeof(text), "%s%s", base_conf, extra);
    return tu_write_public(name, text);
}

/* A directory every user may create files in.  It lives in the system's
 * /tmp, not under the build tree, whose parents may be closed to other
 * users; it is named after this run's private directory so that scenario
 * children find the same one, and the runner removes it at the end. */
static const char *drop_dir(void)
{
    static char dir[4200];
    const char *base = strrchr(tu_tmpdir(), '/');

    struct stat st;

    snprintf(dir, sizeof(dir), "/tmp/libsspi-drop-%s", base != NULL ? base + 1 : "run");
    if (mkdir(dir, 01777) == 0)
        chmod(dir, 01777); /* not narrowed by the umask */
    else if (errno != EEXIST)
        return NULL;
    if (stat(dir, &st) != 0 || (st.st_mode & 07777) != 01777)
        return NULL;
    return dir;
}

static int drop_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void drop_dir_remove(void)
{
    const char *dir = drop_dir();

    if (dir != NULL)
        nftw(dir, drop_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether a user other than the owner can reach `path` (every parent
 * directory searchable by others). */
static bool reachable_by_others(const char *path)
{
    char buf[4200];
    char *slash;
    struct stat st;

    snprintf(buf, sizeof(buf), "%s", path);
    while ((slash = strrchr(buf, '/')) != NULL && slash != buf) {
        *slash = '\0';
        if (stat(buf, &st) != 0 || (st.st_mode & S_IXOTH) == 0)
            return false;
    }
    return true;
}

/* Create a file and return its owner uid ((uid_t)-1 on failure). */
static uid_t owner_of_new_file(const char *tag)
{
    char path[4300];
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "%s/%s-%d", drop_dir(), tag, (int)getpid());
    unlink(path);
    fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0)
        return (uid_t)-1;
    close(fd);
    if (stat(path, &st) != 0)
        return (uid_t)-1;
    unlink(path);
    return st.st_uid;
}

/* A MockIdentity pair whose server names the client `name`. */
static int open_pair(const char *name, struct tu_pair *p)
{
    struct mock_identity_state *s = tu_identity_state();

    if (s == NULL)
        return 1;
    snprintf(s->server_name, sizeof(s->server_name), "%s", name);
    return tu_pair_open("MockIdentity", p) == SEC_E_OK ? 0 : 1;
}

/* The calling thread's supplementary groups. */
static int groups_of_thread(gid_t *g, int cap)
{
    return getgroups(cap, g);
}

/* ---- switch mode (root) ---------------------------------------------------- */

/* A thread started before the impersonation, asked to create a file while
 * the main thread impersonates. */
struct thread_check {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int step;
    uid_t owner;
    uid_t fsuid;
};

static void *other_thread(void *arg)
{
    struct thread_check *c = arg;

    pthread_mutex_lock(&c->lock);
    while (c->step != 1)
        pthread_cond_wait(&c->cond, &c->lock);
    pthread_mutex_unlock(&c->lock);
    c->owner = owner_of_new_file("other");
    c->fsuid = (uid_t)setfsuid((uid_t)-1);
    return NULL;
}

static int scenario_switch(void)
{
    struct tu_pair p;
    gid_t before[256], during[256], after[256];
    int nb, nd, na;
    struct thread_check other = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 1, 1};
    pthread_t t;
    char name[256];
    ULONG n = sizeof(name);

    SC_CHECK(geteuid() == 0 && drop_dir() != NULL);
    SC_CHECK(open_pair("nobody", &p) == 0);
    nb = groups_of_thread(before, 256);
    SC_CHECK(owner_of_new_file("before") == 0);
    SC_CHECK(pthread_create(&t, NULL, other_thread, &other) == 0);
    SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == NOBODY);
    SC_CHECK(owner_of_new_file("during") == NOBODY);
    nd = groups_of_thread(during, 256);
    SC_CHECK(nd >= 1);
    for (int i = 0; i < nd; i++)
        SC_CHECK(during[i] != 0); /* root's group is gone */
    /* GetUserNameEx reports the client. */
    SC_CHECK(GetUserNameExA(NameSamCompatible, name, &n));
    SC_CHECK(strstr(name, "\\nobody") != NULL);
    /* Another thread keeps the process's identity. */
    pthread_mutex_lock(&other.lock);
    other.step = 1;
    pthread_cond_broadcast(&other.cond);
    pthread_mutex_unlock(&other.lock);
    SC_CHECK(pthread_join(t, NULL) == 0);
    SC_CHECK(other.owner == 0 && other.fsuid == 0);
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == 0);
    SC_CHECK(owner_of_new_file("after") == 0);
    na = groups_of_thread(after, 256);
    SC_CHECK(na == nb && memcmp(before, after, (size_t)nb * sizeof(gid_t)) == 0);
    /* Reverting again, or without impersonating, is fine. */
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
    /* The client side has nobody to impersonate. */
    SC_STATUS(ImpersonateSecurityContext(&p.client), SEC_E_NO_IMPERSONATION);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

/* A thread that impersonates and exits without reverting. */
static void *exits_impersonating(void *arg)
{
    struct tu_pair *p = arg;

    if (ImpersonateSecurityContext(&p->server) != SEC_E_OK ||
        owner_of_new_file("exiting") != NOBODY)
        return (void *)1;
    return NULL;
}

/* A thread that impersonates, waits while the context is deleted, then
 * reverts with the deleted handle. */
struct deleted_check {
    struct tu_pair *p;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int step;
    uid_t owner_after_delete, owner_after_revert;
    SECURITY_STATUS revert_status, forged_status;
};

static void *outlives_context(void *arg)
{
    struct deleted_check *d = arg;
    CtxtHandle forged = {d->p->server.dwLower ^ 0x5a5a, d->p->server.dwUpper};

    if (ImpersonateSecurityContext(&d->p->server) != SEC_E_OK)
        return (void *)1;
    pthread_mutex_lock(&d->lock);
    d->step = 1;
    pthread_cond_broadcast(&d->cond);
    while (d->step != 2)
        pthread_cond_wait(&d->cond, &d->lock);
    pthread_mutex_unlock(&d->lock);
    d->owner_after_delete = owner_of_new_file("deleted");
    d->forged_status = RevertSecurityContext(&forged);
    d->revert_status = RevertSecurityContext(&d->p->server);
    d->owner_after_revert = owner_of_new_file("reverted");
    return NULL;
}

static int scenario_lifetimes(void)
{
    struct tu_pair p;
    struct deleted_check d = {&p, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0,
                              0};
    pthread_t t;
    void *rc = (void *)2;

    SC_CHECK(geteuid() == 0 && drop_dir() != NULL);
    SC_CHECK(open_pair("nobody", &p) == 0);
    /* A thread that exits while impersonating: this thread is untouched. */
    SC_CHECK(pthread_create(&t, NULL, exits_impersonating, &p) == 0);
    SC_CHECK(pthread_join(t, &rc) == 0 && rc == NULL);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == 0);
    SC_CHECK(owner_of_new_file("main") == 0);
    /* The context deleted while another thread impersonates it. */
    SC_CHECK(pthread_create(&t, NULL, outlives_context, &d) == 0);
    pthread_mutex_lock(&d.lock);
    while (d.step != 1)
        pthread_cond_wait(&d.cond, &d.lock);
    pthread_mutex_unlock(&d.lock);
    SC_STATUS(DeleteSecurityContext(&p.server), SEC_E_OK);
    pthread_mutex_lock(&d.lock);
    d.step = 2;
    pthread_cond_broadcast(&d.cond);
    pthread_mutex_unlock(&d.lock);
    SC_CHECK(pthread_join(t, &rc) == 0 && rc == NULL);
    SC_CHECK(d.owner_after_delete == NOBODY); /* the thread keeps its identity ... */
    SC_STATUS(d.forged_status, SEC_E_INVALID_HANDLE);
    SC_STATUS(d.revert_status, SEC_E_OK); /* ... until it reverts, with the old handle */
    SC_CHECK(d.owner_after_revert == 0);
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_INVALID_HANDLE);
    SC_STATUS(DeleteSecurityContext(&p.client), SEC_E_OK);
    SC_STATUS(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
    SC_STATUS(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
    return 0;
}

/* impersonation = switch with a client that maps to no account. */
static int scenario_switch_unmapped(void)
{
    struct tu_pair p;

    SC_CHECK(open_pair("nosuchuser-libsspi-test", &p) == 0);
    SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == geteuid());
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_switch)
{
    if (geteuid() != 0) {
        /* Not permitted: switch mode refuses, auto mode tracks (below). */
        ck_assert_int_eq(tu_run_scenario("switch-unmapped",
                                         conf_with("switch.conf", "impersonation = switch\n"),
                                         NULL),
                         0);
        return;
    }
    ck_assert_int_eq(tu_run_scenario("switch", conf_with("auto.conf", ""), NULL), 0);
    ck_assert_int_eq(
        tu_run_scenario("switch", conf_with("switch.conf", "impersonation = switch\n"), NULL), 0);
    ck_assert_int_eq(tu_run_scenario("lifetimes", conf_with("auto.conf", ""), NULL), 0);
    ck_assert_int_eq(tu_run_scenario("switch-unmapped",
                                     conf_with("switch.conf", "impersonation = switch\n"), NULL),
                     0);
}
END_TEST

/* ---- track and refuse ------------------------------------------------------------ */

/* Only what libsspi reports changes: GetUserNameEx names the client; files
 * are created as the process's own user. */
static int scenario_track(void)
{
    struct tu_pair p;
    uid_t me = geteuid();
    char name[256];
    ULONG n = sizeof(name);

    SC_CHECK(drop_dir() != NULL);
    SC_CHECK(open_pair("TRACKDOM\\client", &p) == 0);
    SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == me);
    SC_CHECK(owner_of_new_file("track") == me);
    SC_CHECK(GetUserNameExA(NameSamCompatible, name, &n) && strcmp(name, "TRACKDOM\\client") == 0);
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
    n = sizeof(name);
    SC_CHECK(GetUserNameExA(NameSamCompatible, name, &n) && strstr(name, "TRACKDOM") == NULL);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_track_unprivileged)
{
    const char *conf = conf_with("auto.conf", "");

    ck_assert_ptr_nonnull(drop_dir());
    if (geteuid() != 0)
        ck_assert_int_eq(tu_run_scenario("track", conf, NULL), 0);
    else if (reachable_by_others(tu_self_path()) && reachable_by_others(conf))
        /* auto mode in a process without privileges: user nobody */
        ck_assert_int_eq(tu_run_scenario("track", conf, "TU_DROP_TO=65534", NULL), 0);
    else
        /* the build tree is closed to other users: root without the
         * capabilities to change identities */
        ck_assert_int_eq(tu_run_scenario("track", conf, "TU_DROP_CAPS=1", NULL), 0);
}
END_TEST

START_TEST(test_track_configured)
{
    ck_assert_int_eq(
        tu_run_scenario("track", conf_with("track.conf", "impersonation = track\n"), NULL), 0);
}
END_TEST

static int scenario_refuse(void)
{
    struct tu_pair p;

    SC_CHECK(open_pair("nobody", &p) == 0);
    SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_NO_IMPERSONATION);
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
    SC_CHECK((uid_t)setfsuid((uid_t)-1) == geteuid());
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_refuse)
{
    ck_assert_int_eq(
        tu_run_scenario("refuse", conf_with("refuse.conf", "impersonation = refuse\n"), NULL), 0);
}
END_TEST

/* The name mapping, observed through GetUserNameEx(NameDisplay) while
 * tracking: a mapped client has the local account's full name.  An
 * account_map line, and a qualifier of this machine stripped, map to
 * "nobody"; a foreign domain's "nobody" maps to nothing. */
static int scenario_mapping(void)
{
    static const char *const names[] = {"PARTNER\\guest", "nobody@LOCAL.TEST", "LOCALDOM\\nobody",
                                        "nobody"};
    struct passwd *pw = getpwnam("nobody");
    char gecos[256], name[256];
    struct tu_pair p;
    ULONG n;

    SC_CHECK(pw != NULL && pw->pw_gecos != NULL);
    snprintf(gecos, sizeof(gecos), "%.*s", (int)strcspn(pw->pw_gecos, ","), pw->pw_gecos);
    SC_CHECK(gecos[0] != '\0');
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        SC_CHECK(open_pair(names[i], &p) == 0);
        SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_OK);
        n = sizeof(name);
        SC_CHECK(GetUserNameExA(NameDisplay, name, &n) && strcmp(name, gecos) == 0);
        SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
        SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    }
    SC_CHECK(open_pair("FOREIGN\\nobody", &p) == 0);
    SC_STATUS(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    n = sizeof(name);
    SC_CHECK(!GetUserNameExA(NameDisplay, name, &n) && GetLastError() == ERROR_NONE_MAPPED);
    SC_STATUS(RevertSecurityContext(&p.server), SEC_E_OK);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_mapping_rules)
{
    ck_assert_int_eq(
        tu_run_scenario("mapping",
                        conf_with("map.conf", "impersonation = track\n"
                                              "domain = LOCALDOM\n"
                                              "realm = LOCAL.TEST\n"
                                              "account_map = PARTNER\\guest = nobody\n"),
                        NULL),
        0);
}
END_TEST

/* ---- NTLM ------------------------------------------------------------------------- */

/* A server that impersonates its client after an NTLM logon (the client
 * DOMAIN\User of tests/ntlm-users.txt has no local account: auto mode
 * tracks it). */
START_TEST(test_ntlm_server_impersonates)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"User",     4, (unsigned char *)"DOMAIN",   6,
                                    (unsigned char *)"Password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    CtxtHandle c, s;
    TimeStamp ts;
    char name[256];
    ULONG n = sizeof(name);
    HANDLE token = NULL;
    SecPkgContext_AccessToken at = {NULL};

    ck_assert_status(it_load_package("ntlm", "NTLM"), SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL,
                                               &id, NULL, NULL, &cc, &ts),
                     SEC_E_OK);
    ck_assert_status(it_server_cred("NTLM", NULL, &sc), SEC_E_OK);
    ck_assert_status(it_establish("NTLM", &cc, &sc, &c, &s), SEC_E_OK);
    ck_assert_status(ImpersonateSecurityContext(&s), SEC_E_OK);
    ck_assert(GetUserNameExA(NameSamCompatible, name, &n));
    ck_assert_str_eq(name, "DOMAIN\\User");
    ck_assert_status(RevertSecurityContext(&s), SEC_E_OK);
    ck_assert_status(QuerySecurityContextToken(&s, &token), SEC_E_OK);
    ck_assert_ptr_nonnull(token);
    ck_assert(CloseHandle(token));
    ck_assert_status(QueryContextAttributesA(&s, SECPKG_ATTR_ACCESS_TOKEN, &at), SEC_E_OK);
    ck_assert_ptr_nonnull(at.AccessToken);
    ck_assert_status(ImpersonateSecurityContext(&c), SEC_E_NO_IMPERSONATION);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* ---- tokens and CloseHandle ----------------------------------------------------------- */

START_TEST(test_token_handles)
{
    struct tu_pair p;
    HANDLE t1 = NULL, t2 = NULL;
    SecPkgContext_AccessToken a1 = {NULL}, a2 = {NULL};

    ck_assert_int_eq(open_pair("TOKDOM\\someone", &p), 0);
    ck_assert_status(QuerySecurityContextToken(&p.server, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(QuerySecurityContextToken(&p.server, &t1), SEC_E_OK);
    ck_assert_status(QuerySecurityContextToken(&p.server, &t2), SEC_E_OK);
    ck_assert_ptr_ne(t1, t2);
    ck_assert_status(QueryContextAttributesW(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &a1), SEC_E_OK);
    ck_assert_status(
        QueryContextAttributesExA(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &a2, sizeof(a2)), SEC_E_OK);
    ck_assert_ptr_eq(a1.AccessToken, a2.AccessToken); /* the context's own */
    ck_assert(CloseHandle(t1));
    SetLastError(0);
    ck_assert(!CloseHandle(t1));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_HANDLE);
    ck_assert(!CloseHandle(NULL));
    ck_assert(!CloseHandle(INVALID_HANDLE_VALUE));
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    /* The context's handle closed with it; the caller's lives on. */
    ck_assert(!CloseHandle(a1.AccessToken));
    ck_assert(CloseHandle(t2));
}
END_TEST

/* WinPR's CloseHandle found after libsspi's: libsspi passes WinPR's
 * handles on; WinPR's CloseHandle called on a libsspi token reaches
 * libsspi through the handle header. */
START_TEST(test_close_handle_with_winpr_after)
{
    void *lib = dlopen(tu_mock("mock-winpr"), RTLD_NOW | RTLD_GLOBAL);
    HANDLE (*create)(void);
    BOOL (*their_close)(HANDLE);
    int *closed;
    struct tu_pair p;
    HANDLE mine = NULL, theirs;

    ck_assert_ptr_nonnull(lib);
    create = (HANDLE(*)(void))dlsym(lib, "mock_winpr_create");
    their_close = (BOOL(*)(HANDLE))dlsym(lib, "CloseHandle");
    closed = dlsym(lib, "mock_winpr_closed");
    ck_assert(create != NULL && their_close != NULL && closed != NULL);
    theirs = create();
    ck_assert(CloseHandle(theirs)); /* libsspi's CloseHandle forwards */
    ck_assert_int_eq(*closed, 1);
    ck_assert_int_eq(open_pair("TOKDOM\\someone", &p), 0);
    ck_assert_status(QuerySecurityContextToken(&p.server, &mine), SEC_E_OK);
    ck_assert(their_close(mine));  /* WinPR's reaches libsspi */
    ck_assert(!CloseHandle(mine)); /* closed */
    ck_assert_int_eq(*closed, 1);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    dlclose(lib);
}
END_TEST

/* WinPR found first (preloaded): the program's CloseHandle and
 * GetLastError are WinPR's, and they still work with libsspi. */
static int scenario_winpr_first(void)
{
    struct tu_pair p;
    HANDLE mine = NULL;
    ULONG n = 0;
    int *calls = dlsym(RTLD_DEFAULT, "mock_winpr_close_calls");

    SC_CHECK(calls != NULL); /* the stand-in is loaded and first */
    SC_CHECK(open_pair("TOKDOM\\someone", &p) == 0);
    SC_STATUS(QuerySecurityContextToken(&p.server, &mine), SEC_E_OK);
    SC_CHECK(CloseHandle(mine));
    SC_CHECK(*calls == 1);
    SC_CHECK(!CloseHandle(mine)); /* a stale slot still closes nothing */
    SetLastError(0);
    SC_CHECK(!GetUserNameExW(NameSamCompatible, NULL, &n));
    SC_CHECK(GetLastError() == ERROR_MORE_DATA);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    return 0;
}

START_TEST(test_close_handle_with_winpr_first)
{
    char preload[4200];

    snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", tu_mock("mock-winpr"));
    ck_assert_int_eq(tu_run_scenario("winpr-first", NULL, preload,
                                     "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1", NULL),
                     0);
}
END_TEST

static Suite *impersonate_suite(void)
{
    Suite *s = suite_create("impersonate");
    TCase *tc = tcase_create("impersonate");

    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, NULL, drop_dir_remove);
    tcase_add_test(tc, test_switch);
    tcase_add_test(tc, test_track_unprivileged);
    tcase_add_test(tc, test_track_configured);
    tcase_add_test(tc, test_refuse);
    tcase_add_test(tc, test_mapping_rules);
    tcase_add_test(tc, test_ntlm_server_impersonates);
    tcase_add_test(tc, test_token_handles);
    tcase_add_test(tc, test_close_handle_with_winpr_after);
    tcase_add_test(tc, test_close_handle_with_winpr_first);
    suite_add_tcase(s, tc);
    return s;
}

static const struct tu_scenario scenarios[] = {
    {"switch", scenario_switch},
    {"lifetimes", scenario_lifetimes},
    {"switch-unmapped", scenario_switch_unmapped},
    {"track", scenario_track},
    {"refuse", scenario_refuse},
    {"mapping", scenario_mapping},
    {"winpr-first", scenario_winpr_first},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return tu_main(argc, argv, impersonate_suite, scenarios);
}
