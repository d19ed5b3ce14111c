/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-config.c - unit tests of the configuration parser
 * (src/core/config.c): syntax, diagnostics with file:line, module blocks,
 * drop-in order, permission checks and the LIBSSPI_CONFIG-only keys.
 * Every test works in its own temporary directory.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"

static char tmpdir[256];

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(tmpdir, sizeof(tmpdir), "%s/check-config-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void teardown(void)
{
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/rel, in a static buffer (one per call site is enough here). */
static const char *path_in(const char *rel)
{
    static char buf[4][512];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, rel);
    return buf[k];
}

static void write_file(const char *rel, const char *content, mode_t mode)
{
    const char *p = path_in(rel);
    FILE *f = fopen(p, "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(content, 1, strlen(content), f), strlen(content));
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(p, mode), 0);
}

static void make_dir(const char *rel)
{
    ck_assert_int_eq(mkdir(path_in(rel), 0755), 0);
}

/* Whether some diagnostic is at `line` and its message contains `text`. */
static bool has_diag(const struct sspi_conf *c, uint32_t line, const char *text)
{
    for (size_t i = 0; i < c->ndiags; i++) {
        if (c->diags[i].line == line && strstr(c->diags[i].message, text) != NULL)
            return true;
    }
    return false;
}

static void dump_diags(const struct sspi_conf *c)
{
    for (size_t i = 0; i < c->ndiags; i++)
        fprintf(stderr, "  diag %s:%u: %s\n", c->diags[i].file, c->diags[i].line,
                c->diags[i].message);
}

static struct sspi_conf *load(const char *rel, bool from_env)
{
    struct sspi_conf *c = sspi_conf_load(path_in(rel), from_env, "/nonexistent/pkgdir");

    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(test_valid_file)
{
    struct sspi_conf *c;

    make_dir("pkgs");
    write_file("pkgs/one.so", "", 0644);
    write_file("sspi.conf",
               "package_dir = pkgs\n"
               "dropin_dir = none\n"
               "autoload = no\n"
               "debug = stderr\n"
               "[module]\n"
               "module = one.so\n"
               "packages = Alpha, Beta ,,\n"
               "option.user_file = /etc/users\n"
               "[module]\n"
               "module = /abs/two.so\n"
               "enabled = no\n",
               0644);
    c = load("sspi.conf", false);
    dump_diags(c);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert(c->file_found);
    ck_assert(!c->autoload);
    ck_assert(c->check_permissions);
    ck_assert_ptr_null(c->dropin_dir);
    ck_assert_str_eq(c->debug, "stderr");
    ck_assert_str_eq(c->package_dir, path_in("pkgs"));
    ck_assert_uint_eq(c->nmodules, 2);

    ck_assert_str_eq(c->modules[0].module, "one.so");
    ck_assert_str_eq(c->modules[0].file, path_in("sspi.conf"));
    ck_assert_uint_eq(c->modules[0].line, 5);
    ck_assert_ptr_nonnull(strstr(c->modules[0].path, "/pkgs/one.so"));
    ck_assert_int_eq(c->modules[0].path[0], '/');
    ck_assert(c->modules[0].enabled);
    ck_assert_uint_eq(c->modules[0].npackages, 2);
    ck_assert_str_eq(c->modules[0].packages[0], "Alpha");
    ck_assert_str_eq(c->modules[0].packages[1], "Beta");
    ck_assert_uint_eq(c->modules[0].noptions, 1);
    ck_assert_str_eq(c->modules[0].options[0].key, "user_file");
    ck_assert_str_eq(c->modules[0].options[0].value, "/etc/users");

    ck_assert_str_eq(c->modules[1].path, "/abs/two.so");
    ck_assert_uint_eq(c->modules[1].line, 9);
    ck_assert(!c->modules[1].enabled);
    ck_assert_ptr_null(c->modules[1].packages);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_comments_and_whitespace)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "# a comment\n"
               "   # an indented comment\n"
               "\n"
               "   \t  \n"
               "\tautoload\t=\tno  \r\n"
               "dropin_dir=none\n"
               "[ module ]\n"
               "  module   =   dir #1/x.so   \n"
               "option.note = a # not a comment\n",
               0644);
    c = load("sspi.conf", false);
    dump_diags(c);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert(!c->autoload);
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].module, "dir #1/x.so");
    ck_assert_str_eq(c->modules[0].options[0].value, "a # not a comment");
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_unknown_key)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "colour = blue\n"
               "autoload = no\n"
               "[module]\n"
               "module = a.so\n"
               "flavour = sweet\n"
               "autoload = yes\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "unknown key 'colour'"));
    ck_assert(has_diag(c, 6, "unknown key 'flavour'"));
    ck_assert(has_diag(c, 7, "global key 'autoload' inside a module block"));
    ck_assert_uint_eq(c->ndiags, 3);
    ck_assert_str_eq(c->diags[0].file, path_in("sspi.conf"));
    ck_assert(!c->autoload);
    ck_assert_uint_eq(c->nmodules, 1);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_missing_equals)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "autoload no\n"
               "[module]\n"
               "module a.so\n"
               "module = b.so\n"
               "= value\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "expected 'key = value'"));
    ck_assert(has_diag(c, 4, "expected 'key = value'"));
    ck_assert(has_diag(c, 6, "invalid key"));
    ck_assert(c->autoload);
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].module, "b.so");
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_module_without_module_key)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "[module]\n"
               "packages = X\n"
               "[module]\n"
               "module = good.so\n"
               "[module]\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "without 'module ='"));
    ck_assert(has_diag(c, 6, "without 'module ='"));
    ck_assert_uint_eq(c->ndiags, 2);
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].module, "good.so");
    ck_assert_uint_eq(c->modules[0].line, 4);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_bad_values)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "autoload = maybe\n"
               "debug =\n"
               "package_dir = /p\n"
               "package_dir = /q\n"
               "[other]\n"
               "module = skipped.so\n"
               "[module]\n"
               "module = /m.so\n"
               "enabled = perhaps\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "invalid value 'maybe'"));
    ck_assert(has_diag(c, 3, "empty value"));
    ck_assert(has_diag(c, 5, "duplicate key 'package_dir'"));
    ck_assert(has_diag(c, 6, "unknown section '[other]'"));
    ck_assert(has_diag(c, 10, "invalid value 'perhaps'"));
    ck_assert(c->autoload);
    ck_assert_ptr_null(c->debug);
    ck_assert_str_eq(c->package_dir, "/q");
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].module, "/m.so");
    ck_assert(c->modules[0].enabled);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_dropin_order)
{
    struct sspi_conf *c;

    make_dir("packages.d");
    write_file("sspi.conf", "[module]\nmodule = /main.so\n", 0644);
    write_file("packages.d/20-b.conf", "module = /b.so\n", 0644);
    write_file("packages.d/10-a.conf", "# first\n[module]\nmodule = /a.so\noption.k = v\n", 0644);
    write_file("packages.d/B.conf", "module = /upper.so\n", 0644);
    write_file("packages.d/a.conf", "module = /lower.so\n", 0644);
    write_file("packages.d/notes.txt", "module = /ignored.so\n", 0644);
    write_file("packages.d/.hidden.conf", "module = /hidden.so\n", 0644);
    write_file("packages.d/30-bad.conf", "autoload = no\npackages = X\n", 0644);
    write_file("packages.d/40-two.conf", "module = /two.so\n[module]\nmodule = /three.so\n", 0644);
    c = load("sspi.conf", false);
    ck_assert_str_eq(c->dropin_dir, path_in("packages.d"));
    ck_assert_uint_eq(c->nmodules, 6);
    ck_assert_str_eq(c->modules[0].path, "/main.so");
    ck_assert_str_eq(c->modules[1].path, "/a.so");
    ck_assert_str_eq(c->modules[1].file, path_in("packages.d/10-a.conf"));
    ck_assert_uint_eq(c->modules[1].line, 3);
    ck_assert_uint_eq(c->modules[1].noptions, 1);
    ck_assert_str_eq(c->modules[2].path, "/b.so");
    ck_assert_str_eq(c->modules[3].path, "/three.so");
    ck_assert_str_eq(c->modules[4].path, "/upper.so");
    ck_assert_str_eq(c->modules[5].path, "/lower.so");
    ck_assert(c->autoload);
    ck_assert(has_diag(c, 1, "global key 'autoload' inside a module block"));
    ck_assert(has_diag(c, 1, "without 'module ='"));
    ck_assert(has_diag(c, 2, "holds one module"));
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_dropin_none)
{
    struct sspi_conf *c;

    make_dir("packages.d");
    make_dir("elsewhere");
    write_file("packages.d/a.conf", "module = /a.so\n", 0644);
    write_file("elsewhere/b.conf", "module = /b.so\n", 0644);
    write_file("none.conf", "dropin_dir = none\n", 0644);
    write_file("other.conf", "dropin_dir = elsewhere\n", 0644);

    c = load("none.conf", false);
    ck_assert_ptr_null(c->dropin_dir);
    ck_assert_uint_eq(c->nmodules, 0);
    ck_assert_uint_eq(c->ndiags, 0);
    sspi_conf_free(c);

    c = load("other.conf", false);
    ck_assert_str_eq(c->dropin_dir, path_in("elsewhere"));
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].path, "/b.so");
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_check_permissions_from_env_only)
{
    struct sspi_conf *c;

    make_dir("packages.d");
    write_file("sspi.conf", "check_permissions = no\n", 0644);
    write_file("packages.d/open.conf", "module = /open.so\n", 0666);

    /* System file: the key is refused, the writable drop-in ignored. */
    c = load("sspi.conf", false);
    ck_assert(c->check_permissions);
    ck_assert(has_diag(c, 1, "honoured only in a LIBSSPI_CONFIG file"));
    ck_assert(has_diag(c, 0, "drop-in ignored: writable by others"));
    ck_assert_uint_eq(c->nmodules, 0);
    sspi_conf_free(c);

    /* LIBSSPI_CONFIG file: honoured. */
    c = load("sspi.conf", true);
    dump_diags(c);
    ck_assert(!c->check_permissions);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert_uint_eq(c->nmodules, 1);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_untrusted_main_file)
{
    struct sspi_conf *c;

    write_file("sspi.conf", "dropin_dir = none\nautoload = no\n[module]\nmodule = /x.so\n", 0620);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 0, "configuration ignored: writable by its group"));
    ck_assert(c->autoload);
    ck_assert_uint_eq(c->nmodules, 0);
    ck_assert_ptr_nonnull(c->dropin_dir);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_file_trusted)
{
    struct stat st;
    char why[160];

    memset(&st, 0, sizeof(st));
    st.st_mode = S_IFREG | 0644;
    st.st_uid = geteuid();
    ck_assert(sspi_conf_file_trusted(&st, why, sizeof(why)));
    st.st_uid = 0;
    ck_assert(sspi_conf_file_trusted(&st, why, sizeof(why)));
    st.st_mode = S_IFREG | 0646;
    ck_assert(!sspi_conf_file_trusted(&st, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "others"));
    st.st_mode = S_IFDIR | 0755;
    ck_assert(!sspi_conf_file_trusted(&st, why, sizeof(why)));
    if (geteuid() != 12345) {
        st.st_mode = S_IFREG | 0644;
        st.st_uid = 12345;
        ck_assert(!sspi_conf_file_trusted(&st, why, sizeof(why)));
        ck_assert_ptr_nonnull(strstr(why, "uid 12345"));
    }
}
END_TEST

START_TEST(test_options)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "option.global = 1\n"
               "[module]\n"
               "module = /m.so\n"
               "option.a = 1\n"
               "option.b = x = y\n"
               "option.empty =\n"
               "option. = z\n"
               "option.a = 2\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "'option.global' outside a [module] block"));
    ck_assert(has_diag(c, 8, "option key is empty"));
    ck_assert(has_diag(c, 9, "duplicate key 'option.a'"));
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_uint_eq(c->modules[0].noptions, 3);
    ck_assert_str_eq(c->modules[0].options[0].key, "a");
    ck_assert_str_eq(c->modules[0].options[0].value, "2");
    ck_assert_str_eq(c->modules[0].options[1].key, "b");
    ck_assert_str_eq(c->modules[0].options[1].value, "x = y");
    ck_assert_str_eq(c->modules[0].options[2].key, "empty");
    ck_assert_str_eq(c->modules[0].options[2].value, "");
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_long_lines)
{
    struct sspi_conf *c;
    size_t n = SSPI_CONF_MAX_LINE * 3;
    char *text = malloc(n + SSPI_CONF_MAX_LINE + 200);
    size_t k;

    ck_assert_ptr_nonnull(text);
    k = (size_t)sprintf(text, "dropin_dir = none\noption.x = ");
    memset(text + k, 'a', n);
    k += n;
    k += (size_t)sprintf(text + k, "\nautoload = no\n[module]\nmodule = /");
    /* "module = /" + b... + ".so" is exactly SSPI_CONF_MAX_LINE bytes. */
    memset(text + k, 'b', SSPI_CONF_MAX_LINE - 13);
    k += SSPI_CONF_MAX_LINE - 13;
    sprintf(text + k, ".so\n");
    write_file("sspi.conf", text, 0644);
    free(text);

    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "longer than"));
    ck_assert(!c->autoload);
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_uint_eq(strlen(c->modules[0].module), SSPI_CONF_MAX_LINE - 9);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_nul_byte)
{
    struct sspi_conf *c;
    const char text[] = "dropin_dir = none\nautoload = n\0o\nautoload = no\n";
    FILE *f = fopen(path_in("sspi.conf"), "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
    fclose(f);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "NUL byte"));
    ck_assert(!c->autoload);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_empty_file)
{
    struct sspi_conf *c;

    write_file("sspi.conf", "", 0644);
    c = load("sspi.conf", false);
    ck_assert(c->file_found);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert_uint_eq(c->nmodules, 0);
    ck_assert(c->autoload);
    ck_assert(c->check_permissions);
    ck_assert_str_eq(c->package_dir, "/nonexistent/pkgdir");
    ck_assert_str_eq(c->dropin_dir, path_in("packages.d"));
    ck_assert_ptr_null(c->debug);
    sspi_conf_free(c);

    /* No trailing newline on the last line. */
    write_file("sspi.conf", "autoload = no", 0644);
    c = load("sspi.conf", false);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert(!c->autoload);
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_missing_file)
{
    struct sspi_conf *c;

    c = load("absent.conf", true);
    ck_assert(!c->file_found);
    ck_assert(has_diag(c, 0, "No such file"));
    ck_assert(c->autoload);
    ck_assert_uint_eq(c->nmodules, 0);
    sspi_conf_free(c);

    /* The system file may legitimately be absent: no diagnostic. */
    c = load("absent.conf", false);
    ck_assert(!c->file_found);
    ck_assert_uint_eq(c->ndiags, 0);
    sspi_conf_free(c);

    /* A directory is not a configuration file. */
    make_dir("dir.conf");
    c = load("dir.conf", true);
    ck_assert(!c->file_found);
    ck_assert_uint_eq(c->ndiags, 1);
    sspi_conf_free(c);
}
END_TEST

/* FIFOs, devices and directories are refused before they are opened:
 * nothing blocks (a hang fails the test through the alarm). */
START_TEST(test_not_regular_files)
{
    struct sspi_conf *c;
    char why[160];
    struct stat st;

    alarm(20);
    ck_assert_int_eq(mkfifo(path_in("fifo.conf"), 0600), 0);
    c = load("fifo.conf", true);
    ck_assert(!c->file_found);
    ck_assert(has_diag(c, 0, "not a regular file (a FIFO)"));
    sspi_conf_free(c);

    make_dir("packages.d");
    ck_assert_int_eq(mkfifo(path_in("packages.d/a.conf"), 0600), 0);
    make_dir("packages.d/b.conf");
    write_file("packages.d/c.conf", "module = /c.so\n", 0644);
    write_file("main.conf", "", 0644);
    c = load("main.conf", false);
    ck_assert_uint_eq(c->nmodules, 1);
    ck_assert_str_eq(c->modules[0].path, "/c.so");
    ck_assert_uint_eq(c->ndiags, 2);
    sspi_conf_free(c);

    c = sspi_conf_load("/dev/zero", true, "/nonexistent/pkgdir");
    ck_assert_ptr_nonnull(c);
    ck_assert(!c->file_found);
    ck_assert(has_diag(c, 0, "not a regular file (a character device)"));
    sspi_conf_free(c);

    ck_assert_int_lt(sspi_conf_open_regular(path_in("fifo.conf"), &st, why, sizeof(why)), 0);
    ck_assert_int_lt(sspi_conf_open_regular(path_in("packages.d"), &st, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "not a regular file (a directory)");
    alarm(0);
}
END_TEST

START_TEST(test_main_path_and_bool)
{
    bool from_env = true, v = false;

    unsetenv("LIBSSPI_CONFIG");
    ck_assert_str_eq(sspi_conf_main_path(&from_env), SSPI_CONF_SYSTEM_FILE);
    ck_assert(!from_env);
    setenv("LIBSSPI_CONFIG", "/some/file.conf", 1);
    ck_assert_str_eq(sspi_conf_main_path(&from_env), "/some/file.conf");
    ck_assert(from_env);
    setenv("LIBSSPI_CONFIG", "", 1);
    ck_assert_str_eq(sspi_conf_main_path(&from_env), SSPI_CONF_SYSTEM_FILE);

    ck_assert(sspi_conf_parse_bool("YES", &v) && v);
    ck_assert(sspi_conf_parse_bool("off", &v) && !v);
    ck_assert(sspi_conf_parse_bool("1", &v) && v);
    ck_assert(!sspi_conf_parse_bool("yess", &v));
    ck_assert(!sspi_conf_parse_bool("", &v));
}
END_TEST

/* The account settings: domain, realm, impersonation, account_*. */
START_TEST(test_account_keys)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "domain = EXAMPLE\n"
               "realm = EXAMPLE.COM\n"
               "impersonation = Track\n"
               "account_strip = all\n"
               "account_separator = +\n"
               "account_map = EXAMPLE\\John Smith = jsmith\n"
               "account_map = alice@OTHER.ORG=alice\n",
               0644);
    c = load("sspi.conf", false);
    dump_diags(c);
    ck_assert_uint_eq(c->ndiags, 0);
    ck_assert_str_eq(c->accounts.domain, "EXAMPLE");
    ck_assert_str_eq(c->accounts.realm, "EXAMPLE.COM");
    ck_assert_int_eq(c->accounts.impersonation, SSPI_IMPERSONATION_TRACK);
    ck_assert_int_eq(c->accounts.strip, SSPI_STRIP_ALL);
    ck_assert_int_eq(c->accounts.separator, '+');
    ck_assert_uint_eq(c->accounts.nmap, 2);
    ck_assert_str_eq(c->accounts.map[0].remote, "EXAMPLE\\John Smith");
    ck_assert_str_eq(c->accounts.map[0].local, "jsmith");
    ck_assert_str_eq(c->accounts.map[1].remote, "alice@OTHER.ORG");
    ck_assert_str_eq(c->accounts.map[1].local, "alice");
    sspi_conf_free(c);
}
END_TEST

START_TEST(test_account_keys_bad)
{
    struct sspi_conf *c;

    write_file("sspi.conf",
               "dropin_dir = none\n"
               "impersonation = sometimes\n"
               "account_strip = most\n"
               "account_separator = ab\n"
               "account_map = nobody\n"
               "account_map = a = b\\c\n"
               "domain = A\\B\n"
               "realm =\n"
               "impersonation = refuse\n"
               "impersonation = switch\n"
               "[module]\n"
               "module = x.so\n"
               "domain = X\n",
               0644);
    c = load("sspi.conf", false);
    ck_assert(has_diag(c, 2, "invalid value 'sometimes' for 'impersonation'"));
    ck_assert(has_diag(c, 3, "invalid value 'most'"));
    ck_assert(has_diag(c, 4, "invalid value 'ab'"));
    ck_assert(has_diag(c, 5, "expected 'REMOTE = LOCAL'"));
    ck_assert(has_diag(c, 6, "plain local name"));
    ck_assert(has_diag(c, 7, "invalid value"));
    ck_assert(has_diag(c, 8, "empty value for 'realm'"));
    ck_assert(has_diag(c, 10, "duplicate key 'impersonation'"));
    ck_assert(has_diag(c, 13, "global key 'domain' inside a module block"));
    ck_assert_int_eq(c->accounts.impersonation, SSPI_IMPERSONATION_SWITCH);
    ck_assert_int_eq(c->accounts.strip, SSPI_STRIP_LOCAL);
    ck_assert_int_eq(c->accounts.separator, 0);
    ck_assert_ptr_null(c->accounts.domain);
    ck_assert_ptr_null(c->accounts.realm);
    ck_assert_uint_eq(c->accounts.nmap, 0);
    sspi_conf_free(c);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_valid_file);
    tcase_add_test(tc, test_comments_and_whitespace);
    tcase_add_test(tc, test_unknown_key);
    tcase_add_test(tc, test_missing_equals);
    tcase_add_test(tc, test_module_without_module_key);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_dropin_order);
    tcase_add_test(tc, test_dropin_none);
    tcase_add_test(tc, test_check_permissions_from_env_only);
    tcase_add_test(tc, test_untrusted_main_file);
    tcase_add_test(tc, test_file_trusted);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_long_lines);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_empty_file);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_not_regular_files);
    tcase_add_test(tc, test_main_path_and_bool);
    tcase_add_test(tc, test_account_keys);
    tcase_add_test(tc, test_account_keys_bad);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(config_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
