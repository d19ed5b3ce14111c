/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-tool.c - tests of the `sspi` command.
 *
 * Runs the built program ($top_builddir/src/tools/sspi, a libtool wrapper
 * script) with fork+exec, with standard output and error captured in
 * files, and checks exit codes (0 ok, 1 SSPI failure, 2 usage), text and
 * --json output (checked for validity by a small parser, then for exact
 * members).  Package tests use a configuration written to a temporary
 * directory under the build directory: the Sample package from
 * $LIBSSPI_TEST_PKGDIR, a module that is not a shared object, and the
 * NTLM package with an NTLM_USER_FILE written next to it.
 * The server/client tests synchronise on the "listening on" line (or the
 * "listening" JSON event) the server prints, and on the server's own
 * output, never on time.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ARGS 32

static char sspi_path[4096];
static char tmp_dir[2048];
static char conf_path[4096];
static char broken_path[4096];
static char users_path[4096];

struct run_result {
    int status; /* exit code, or -1 if killed */
    char *out;
    char *err;
};

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Run sspi with the NULL-terminated argument list; capture its output. */
static struct run_result run_argv(const char *const *args)
{
    char out_path[4200], err_path[4200];
    const char *argv[MAX_ARGS + 2];
    struct run_result r;
    int n = 0, wst;
    pid_t pid;

    argv[n++] = sspi_path;
    for (; args[n - 1] && n < MAX_ARGS; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    snprintf(out_path, sizeof(out_path), "%s/stdout.%d", tmp_dir, (int)getpid());
    snprintf(err_path, sizeof(err_path), "%s/stderr.%d", tmp_dir, (int)getpid());
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execv(sspi_path, (char *const *)argv);
        _exit(127);
    }
    ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
    r.status = WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    unlink(out_path);
    unlink(err_path);
    return r;
}

#define RUN(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

static void run_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
}

#define ck_assert_exit(r, code)                                                                    \
    ck_assert_msg((r).status == (code), "exit %d, expected %d\nstdout:\n%s\nstderr:\n%s",          \
                  (r).status, (code), (r).out, (r).err)

/* ---- minimal JSON validator (RFC 8259 grammar, no semantic checks) */

static void json_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
        (*p)++;
}

static bool json_value(const char **p, int depth);

static bool json_string(const char **p)
{
    if (**p != '"')
        return false;
    (*p)++;
    while (**p && **p != '"') {
        if ((unsigned char)**p < 0x20)
            return false;
        if (**p == '\\') {
            (*p)++;
            if (**p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", (*p)[i]) || !(*p)[i])
                        return false;
                *p += 4;
            } else if (!**p || !strchr("\"\\/bfnrt", **p)) {
                return false;
            }
        }
        (*p)++;
    }
    if (**p != '"')
        return false;
    (*p)++;
    return true;
}

static bool json_number(const char **p)
{
    const char *s = *p;

    if (**p == '-')
        (*p)++;
    if (**p == '0') {
        (*p)++;
    } else if (**p >= '1' && **p <= '9') {
        while (**p >= '0' && **p <= '9')
            (*p)++;
    } else {
        return false;
    }
    if (**p == '.') {
        (*p)++;
        if (!(**p >= '0' && **p <= '9'))
            return false;
        while (**p >= '0' && **p <= '9')
            (*p)++;
    }
    if (**p == 'e' || **p == 'E') {
        (*p)++;
        if (**p == '+' || **p == '-')
            (*p)++;
        if (!(**p >= '0' && **p <= '9'))
            return false;
        while (**p >= '0' && **p <= '9')
            (*p)++;
    }
    return *p > s;
}

static bool json_value(const char **p, int depth)
{
    if (depth > 64)
        return false;
    json_ws(p);
    switch (**p) {
    case '{':
        (*p)++;
        json_ws(p);
        if (**p == '}') {
            (*p)++;
            return true;
        }
        for (;;) {
            json_ws(p);
            if (!json_string(p))
                return false;
            json_ws(p);
            if (**p != ':')
                return false;
            (*p)++;
            if (!json_value(p, depth + 1))
                return false;
            json_ws(p);
            if (**p == ',') {
                (*p)++;
                continue;
            }
            if (**p != '}')
                return false;
            (*p)++;
            return true;
        }
    case '[':
        (*p)++;
        json_ws(p);
        if (**p == ']') {
            (*p)++;
            return true;
        }
        for (;;) {
            if (!json_value(p, depth + 1))
                return false;
            json_ws(p);
            if (**p == ',') {
                (*p)++;
                continue;
            }
            if (**p != ']')
                return false;
            (*p)++;
            return true;
        }
    case '"':
        return json_string(p);
    case 't':
        if (strncmp(*p, "true", 4) != 0)
            return false;
        *p += 4;
        return true;
    case 'f':
        if (strncmp(*p, "false", 5) != 0)
            return false;
        *p += 5;
        return true;
    case 'n':
        if (strncmp(*p, "null", 4) != 0)
            return false;
        *p += 4;
        return true;
    default:
        return json_number(p);
    }
}

static bool json_valid(const char *text)
{
    const char *p = text;

    if (!json_value(&p, 0))
        return false;
    json_ws(&p);
    return *p == '\0';
}

#define ck_assert_json(text) ck_assert_msg(json_valid(text), "invalid JSON:\n%s", text)
#define ck_assert_has(text, needle)                                                                \
    ck_assert_msg(strstr((text), (needle)) != NULL, "'%s' not found in:\n%s", (needle), (text))
#define ck_assert_hasnt(text, needle)                                                              \
    ck_assert_msg(strstr((text), (needle)) == NULL, "'%s' found in:\n%s", (needle), (text))

/* Occurrences of `needle` in `text`. */
static int count_str(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * Check that `text` is JSON Lines as `sspi server --json` writes them:
 * every line is one complete JSON object starting with its "event"
 * member (so lines of concurrent clients did not mix).  Returns the number
 * of lines.
 */
static int json_lines_check(const char *text)
{
    const char *p = text;
    int n = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        char *line;

        ck_assert_msg(nl != NULL, "unterminated line: %s", p);
        line = strndup(p, (size_t)(nl - p));
        ck_assert_ptr_nonnull(line);
        ck_assert_json(line);
        ck_assert_msg(strncmp(line, "{\"event\":\"", 10) == 0, "not an event: %s", line);
        free(line);
        n++;
        p = nl + 1;
    }
    return n;
}

/* ---- fixtures */

static void write_text(const char *path, const char *fmt, ...)
{
    FILE *f = fopen(path, "w");
    va_list ap;

    ck_assert_msg(f != NULL, "create %s: %s", path, strerror(errno));
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
    const char *builddir = getenv("top_builddir");
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");

    if (!builddir)
        builddir = ".";
    ck_assert_msg(pkgdir != NULL, "LIBSSPI_TEST_PKGDIR is not set");
    snprintf(sspi_path, sizeof(sspi_path), "%s/src/tools/sspi", builddir);
    ck_assert_msg(access(sspi_path, X_OK) == 0, "%s: %s", sspi_path, strerror(errno));
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/tests/check-tool.XXXXXX", builddir);
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    ck_assert_int_eq(chmod(tmp_dir, 0700), 0);
    snprintf(broken_path, sizeof(broken_path), "%s/x.so", tmp_dir);
    write_text(broken_path, "this is a text file, not a shared object\n");
    snprintf(conf_path, sizeof(conf_path), "%s/sspi.conf", tmp_dir);
    write_text(conf_path,
               "# written by check-tool\n"
               "autoload = no\n"
               "dropin_dir = none\n"
               "check_permissions = no\n"
               "\n"
               "[module]\n"
               "module = %s/sample/.libs/sample.so\n"
               "\n"
               "[module]\n"
               "module = %s\n"
               "\n"
               "[module]\n"
               "module = %s/ntlm/.libs/ntlm.so\n",
               pkgdir, broken_path, pkgdir);
    snprintf(users_path, sizeof(users_path), "%s/ntlm-users", tmp_dir);
    write_text(users_path, "# DOMAIN:user:password\nEXAMPLE:alice:secret\n");
    setenv("NTLM_USER_FILE", users_path, 1);
    setenv("LIBSSPI_CONFIG", conf_path, 1);
    unsetenv("LIBSSPI_DEBUG");
}

static void teardown(void)
{
    unlink(broken_path);
    unlink(conf_path);
    unlink(users_path);
    rmdir(tmp_dir);
}

/* ---- general behaviour and usage errors */

START_TEST(test_help_and_version)
{
    struct run_result r = RUN("--help");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "Usage: sspi");
    ck_assert_has(r.out, "loopback");
    run_free(&r);

    r = RUN("--version");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "sspi (libsspi) ");
    run_free(&r);

    r = RUN("help", "bench");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "Usage: sspi bench");
    run_free(&r);
}
END_TEST

static const char *const verbs[] = {
    "list", "info", "loopback", "server", "client", "bench", "status",
};

START_TEST(test_verb_help)
{
    char expect[64];
    struct run_result r = RUN(verbs[_i], "--help");

    snprintf(expect, sizeof(expect), "Usage: sspi %s", verbs[_i]);
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, expect);
    ck_assert_str_eq(r.err, "");
    run_free(&r);
}
END_TEST

START_TEST(test_usage_errors)
{
    struct run_result r = RUN("frobnicate");

    ck_assert_exit(r, 2);
    ck_assert_has(r.err, "unknown verb");
    run_free(&r);

#define EXPECT_USAGE(...)                                                                          \
    do {                                                                                           \
        r = RUN(__VA_ARGS__);                                                                      \
        ck_assert_exit(r, 2);                                                                      \
        ck_assert_str_ne(r.err, "");                                                               \
        run_free(&r);                                                                              \
    } while (0)

    r = run_argv((const char *const[]){NULL});
    ck_assert_exit(r, 2);
    run_free(&r);
    EXPECT_USAGE("list", "--bogus");
    EXPECT_USAGE("list", "extra");
    EXPECT_USAGE("info");
    EXPECT_USAGE("info", "A", "B");
    EXPECT_USAGE("loopback");
    EXPECT_USAGE("loopback", "Sample", "--messages", "many");
    EXPECT_USAGE("loopback", "Sample", "--password-file", "/nonexistent/pw");
    EXPECT_USAGE("bench", "Sample", "--sizes", "16,abc");
    EXPECT_USAGE("bench", "Sample", "--sizes", "0");
    EXPECT_USAGE("bench", "Sample", "--threads", "0");
    EXPECT_USAGE("bench", "Sample", "--seconds", "-1");
    EXPECT_USAGE("server", "Sample");
    EXPECT_USAGE("server", "--listen", "nocolon", "Sample");
    EXPECT_USAGE("client", "127.0.0.1:1");
    EXPECT_USAGE("client", "noport", "Sample");
    EXPECT_USAGE("status");
    EXPECT_USAGE("status", "SEC_E_NO_SUCH_THING");
    EXPECT_USAGE("status", "0x1FFFFFFFF");
#undef EXPECT_USAGE
}
END_TEST

/* ---- status */

START_TEST(test_status_value)
{
    struct run_result r = RUN("status", "0x8009030F");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "SEC_E_MESSAGE_ALTERED (0x8009030F)");
    ck_assert_has(r.out, "meaning:");
    run_free(&r);

    r = RUN("status", "--", "-2146893044");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "SEC_E_LOGON_DENIED (0x8009030C)");
    run_free(&r);

    r = RUN("status", "0x00090312");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "SEC_I_CONTINUE_NEEDED");
    run_free(&r);
}
END_TEST

START_TEST(test_status_name)
{
    struct run_result r = RUN("status", "SEC_E_MESSAGE_ALTERED");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "0x8009030F");
    run_free(&r);

    r = RUN("status", "sec_e_logon_denied");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "SEC_E_LOGON_DENIED (0x8009030C)");
    run_free(&r);

    r = RUN("status", "SEC_E_NOT_SUPPORTED");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "0x80090302");
    run_free(&r);

    r = RUN("status", "STATUS_LOGON_FAILURE");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "0xC000006D");
    run_free(&r);
}
END_TEST

START_TEST(test_status_json)
{
    struct run_result r = RUN("status", "--json", "SEC_E_LOGON_DENIED");

    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"name\": \"SEC_E_LOGON_DENIED\"");
    ck_assert_has(r.out, "\"value\": \"0x8009030C\"");
    ck_assert_has(r.out, "\"success\": false");
    run_free(&r);

    r = RUN("status", "SEC_E_OK", "--json");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"value\": \"0x00000000\"");
    run_free(&r);

    r = RUN("status", "--json", "0", "0x80090308");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_msg(r.out[0] == '[', "several arguments give an array:\n%s", r.out);
    ck_assert_has(r.out, "\"name\": \"SEC_E_OK\"");
    ck_assert_has(r.out, "\"name\": \"SEC_E_INVALID_TOKEN\"");
    run_free(&r);
}
END_TEST

/* ---- list and info */

START_TEST(test_list_text)
{
    struct run_result r = RUN("list");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "Sample");
    ck_assert_has(r.out, "SECPKG_FLAG_");
    ck_assert_has(r.out, "sample.so");
    ck_assert_has(r.out, conf_path);
    ck_assert_has(r.out, "x.so  [FAILED]");
    ck_assert_has(r.out, "reason:");
    run_free(&r);
}
END_TEST

START_TEST(test_list_json)
{
    struct run_result r = RUN("list", "--json");

    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"packages\": [");
    ck_assert_has(r.out, "\"name\": \"Sample\"");
    ck_assert_has(r.out, "\"loaded\": true");
    ck_assert_has(r.out, "\"loaded\": false");
    ck_assert_has(r.out, "\"label\": \"x.so\"");
    ck_assert_has(r.out, "\"config_line\": 6");
    ck_assert_has(r.out, "\"config_line\": 9");
    run_free(&r);
}
END_TEST

START_TEST(test_list_empty)
{
    struct run_result r;
    char path[4200];

    snprintf(path, sizeof(path), "%s/empty.conf", tmp_dir);
    write_text(path, "autoload = no\ndropin_dir = none\n");
    setenv("LIBSSPI_CONFIG", path, 1);
    r = RUN("list");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "no security packages");
    run_free(&r);
    r = RUN("list", "--json");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"packages\": []");
    run_free(&r);
    unlink(path);
}
END_TEST

START_TEST(test_list_disabled)
{
    struct run_result r;
    char path[4200];

    snprintf(path, sizeof(path), "%s/disabled.conf", tmp_dir);
    write_text(path,
               "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
               "[module]\nmodule = %s/sample/.libs/sample.so\nenabled = no\n",
               getenv("LIBSSPI_TEST_PKGDIR"));
    setenv("LIBSSPI_CONFIG", path, 1);
    r = RUN("list");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "sample.so  [DISABLED]");
    run_free(&r);
    r = RUN("list", "--json");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"disabled\": true");
    run_free(&r);
    r = RUN("loopback", "Sample");
    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "SEC_E_SECPKG_NOT_FOUND");
    run_free(&r);
    unlink(path);
}
END_TEST

/* Package names, comments and reasons with ESC, newlines, C1 and bidi
 * controls are shown escaped, never raw, in text and JSON output. */
START_TEST(test_list_escapes_package_text)
{
    static const char *const raw[] = {"\x1b",         "\a",       "\xe2\x80\xae",
                                      "\xe2\x81\xa6", "\xc2\x85", "Red\n"};
    const char *mockdir = getenv("LIBSSPI_TEST_MOCKDIR");
    struct run_result r;
    char path[4200];

    ck_assert_ptr_nonnull(mockdir);
    snprintf(path, sizeof(path), "%s/evil.conf", tmp_dir);
    write_text(path,
               "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
               "[module]\nmodule = %s/mock-evil.so\n",
               mockdir);
    setenv("LIBSSPI_CONFIG", path, 1);

    r = RUN("list");
    ck_assert_exit(r, 0);
    for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        ck_assert_hasnt(r.out, raw[i]);
    ck_assert_has(r.out, "Evil\\x1b[31mRed\\n\\u{202E}gnp\\u{2066}X");
    ck_assert_has(r.out, "first\\nsecond\\x1b]0;title\\x07\\u{0085}end");
    ck_assert_has(r.out, "duplicate package name Evil\\x1b[31m");
    run_free(&r);

    r = RUN("list", "--json");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        ck_assert_hasnt(r.out, raw[i]);
    ck_assert_has(r.out, "Evil\\u001b[31mRed\\n\\u202egnp\\u2066X");
    run_free(&r);

    r = RUN("info", "Evil\x1b[31mRed\n\xe2\x80\xaegnp\xe2\x81\xa6X");
    ck_assert_exit(r, 0);
    for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        ck_assert_hasnt(r.out, raw[i]);
    ck_assert_has(r.out, "Evil\\x1b[31mRed\\n\\u{202E}gnp\\u{2066}X");
    run_free(&r);
    unlink(path);
}
END_TEST

START_TEST(test_info)
{
    struct run_result r = RUN("info", "sample");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "Sample");
    ck_assert_has(r.out, "max token:");
    ck_assert_has(r.out, "SECPKG_FLAG_INTEGRITY");
    run_free(&r);

    r = RUN("info", "--json", "Sample");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"name\": \"Sample\"");
    ck_assert_has(r.out, "\"max_token\": ");
    ck_assert_has(r.out, "\"capabilities\": [");
    run_free(&r);

    r = RUN("info", "NoSuchPackage");
    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "SEC_E_SECPKG_NOT_FOUND (0x80090305)");
    run_free(&r);
}
END_TEST

/* ---- loopback */

START_TEST(test_loopback_sample)
{
    struct run_result r = RUN("loopback", "Sample", "--messages", "3");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "InitializeSecurityContextA");
    ck_assert_has(r.out, "AcceptSecurityContext");
    ck_assert_has(r.out, "SECPKG_ATTR_SIZES");
    ck_assert_has(r.out, "VerifySignature SEC_E_OK");
    ck_assert_has(r.out, "result: SEC_E_OK (0x00000000)");
    run_free(&r);
}
END_TEST

START_TEST(test_loopback_json)
{
    struct run_result r = RUN("loopback", "--json", "--seal", "--user", "bob", "--password", "pw",
                              "--bindings", "tls-unique:xyz", "Sample");

    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"package\": \"Sample\"");
    ck_assert_has(r.out, "\"user\": \"bob\"");
    ck_assert_has(r.out, "\"handshake\": [");
    ck_assert_has(r.out, "\"call\": \"AcceptSecurityContext\"");
    ck_assert_has(r.out, "\"max_signature\": ");
    ck_assert_has(r.out, "\"make_call\": \"EncryptMessage\"");
    ck_assert_has(r.out, "\"check_status\": \"SEC_E_OK\"");
    ck_assert_has(r.out, "\"result\": \"SEC_E_OK\"");
    run_free(&r);
}
END_TEST

START_TEST(test_loopback_password_file)
{
    struct run_result r;
    char path[4200];

    snprintf(path, sizeof(path), "%s/password", tmp_dir);
    write_text(path, "from-a-file\n");
    r = RUN("loopback", "Sample", "--password-file", path);
    ck_assert_exit(r, 0);
    run_free(&r);
    r = RUN("loopback", "Sample", "--password-file", path, "--server-password", "other");
    ck_assert_exit(r, 1);
    run_free(&r);
    unlink(path);
}
END_TEST

START_TEST(test_loopback_wrong_password)
{
    struct run_result r = RUN("loopback", "Sample", "--server-password", "wrong");

    ck_assert_exit(r, 1);
    /* the failing call and its status by name and value */
    ck_assert_has(r.err, "sspi: loopback: ");
    ck_assert_has(r.err, " (0x8009");
    run_free(&r);

    r = RUN("loopback", "--json", "Sample", "--server-password", "wrong");
    ck_assert_exit(r, 1);
    ck_assert_json(r.out);
    ck_assert_msg(strstr(r.out, "\"result\": \"SEC_E_OK\"") == NULL, "%s", r.out);
    ck_assert_has(r.out, "\"failed_call\": \"");
    run_free(&r);
}
END_TEST

START_TEST(test_loopback_tamper)
{
    struct run_result r = RUN("loopback", "Sample", "--tamper");

    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "VerifySignature: SEC_E_MESSAGE_ALTERED (0x8009030F)");
    run_free(&r);
}
END_TEST

START_TEST(test_loopback_unknown_package)
{
    struct run_result r = RUN("loopback", "NoSuchPackage");

    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "SEC_E_SECPKG_NOT_FOUND (0x80090305)");
    run_free(&r);
}
END_TEST

START_TEST(test_loopback_ntlm)
{
    struct run_result r =
        RUN("loopback", "NTLM", "--user", "alice", "--domain", "EXAMPLE", "--password", "secret",
            "--bindings", "tls-server-end-point:x", "--messages", "2");

    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "SECPKG_ATTR_NAMES   EXAMPLE\\alice");
    ck_assert_has(r.out, "DecryptMessage SEC_E_OK");
    ck_assert_has(r.out, "result: SEC_E_OK (0x00000000)");
    run_free(&r);

    /* the server checks NTLM_USER_FILE */
    r = RUN("loopback", "NTLM", "--user", "alice", "--domain", "EXAMPLE", "--password", "bad");
    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "AcceptSecurityContext: SEC_E_LOGON_DENIED (0x8009030C)");
    run_free(&r);
}
END_TEST

/* The trace says why a logon was refused (unknown user or wrong password),
 * and never shows the password. */
START_TEST(test_trace_failure_reason)
{
    char log_path[4200];
    struct run_result r;
    char *log;

    snprintf(log_path, sizeof(log_path), "%s/trace.%d", tmp_dir, (int)getpid());
    setenv("LIBSSPI_DEBUG", log_path, 1);
    r = RUN("loopback", "NTLM", "--user", "alice", "--domain", "EXAMPLE", "--password",
            "Wr0ng-Pa55word");
    ck_assert_exit(r, 1);
    run_free(&r);
    log = read_file(log_path);
    ck_assert_has(log, "package failure reason: STATUS_WRONG_PASSWORD");
    ck_assert_has(log, "AcceptSecurityContext package=NTLM");
    ck_assert_has(log, "SEC_E_LOGON_DENIED");
    ck_assert_ptr_null(strstr(log, "Wr0ng-Pa55word"));
    free(log);
    unlink(log_path);

    r = RUN("loopback", "NTLM", "--user", "mallory", "--domain", "EXAMPLE", "--password", "x");
    ck_assert_exit(r, 1);
    run_free(&r);
    log = read_file(log_path);
    ck_assert_has(log, "package failure reason: STATUS_NO_SUCH_USER");
    free(log);
    unlink(log_path);
    unsetenv("LIBSSPI_DEBUG");
}
END_TEST

/* ---- bench (counts, not time: the numbers are never judged) */

START_TEST(test_bench_json)
{
    struct run_result r =
        RUN("bench", "Sample", "--json", "--count", "40", "--sizes", "16,1024", "--threads", "2");

    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"threads\": 2");
    ck_assert_has(r.out, "\"operation\": \"MakeSignature\"");
    ck_assert_has(r.out, "\"operation\": \"VerifySignature\"");
    ck_assert_has(r.out, "\"size\": 1024");
    ck_assert_has(r.out, "\"messages\": 80");
    ck_assert_has(r.out, "\"ns_per_message\": ");
    ck_assert_has(r.out, "\"result\": \"SEC_E_OK\"");
    /* no progress line when standard error is not a terminal */
    ck_assert_str_eq(r.err, "");
    run_free(&r);

    r = RUN("bench", "Sample", "--count", "5", "--sizes", "64", "--no-seal");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "MakeSignature");
    ck_assert_msg(strstr(r.out, "EncryptMessage") == NULL, "%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- server and client over 127.0.0.1 */

struct server_proc {
    pid_t pid;
    FILE *out;
    char port[16];
    char first[512]; /* "listening on ..." or the listening event */
    char err_path[4200];
};

/* Start `sspi server` on 127.0.0.1 and a free port; return once it has
 * printed where it listens (text or --json).  With `once`, it serves a
 * single client. */
static void server_spawn(struct server_proc *s, const char *package, const char *const *extra,
                         bool once)
{
    const char *argv[MAX_ARGS];
    char line[512];
    int fds[2], n = 0;

    argv[n++] = sspi_path;
    argv[n++] = "server";
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    if (once)
        argv[n++] = "--once";
    for (; *extra && n < MAX_ARGS - 2; extra++)
        argv[n++] = *extra;
    argv[n++] = package;
    argv[n] = NULL;
    snprintf(s->err_path, sizeof(s->err_path), "%s/server-stderr.%d", tmp_dir, (int)getpid());
    ck_assert_int_eq(pipe(fds), 0);
    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        int e = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        close(fds[0]);
        if (e < 0 || dup2(fds[1], 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execv(sspi_path, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    s->out = fdopen(fds[0], "r");
    ck_assert_ptr_nonnull(s->out);
    ck_assert_msg(fgets(line, sizeof(line), s->out) != NULL, "server printed nothing");
    snprintf(s->first, sizeof(s->first), "%s", line);
    if (line[0] == '{') {
        const char *a = strstr(line, "\"address\":\"");

        ck_assert_msg(a && sscanf(a, "\"address\":\"127.0.0.1:%15[0-9]\"", s->port) == 1,
                      "unexpected first line: %s", line);
    } else {
        ck_assert_msg(sscanf(line, "listening on 127.0.0.1:%15[0-9]", s->port) == 1,
                      "unexpected first line: %s", line);
    }
}

static void server_start(struct server_proc *s, const char *package, const char *const *extra)
{
    server_spawn(s, package, extra, true);
}

/* Wait for the server; returns its exit code and its output in *out. */
static int server_wait(struct server_proc *s, char **out)
{
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    int wst;

    ck_assert_ptr_nonnull(buf);
    while ((n = fread(buf + len, 1, cap - len - 1, s->out)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[len] = '\0';
    fclose(s->out);
    ck_assert_int_eq(waitpid(s->pid, &wst, 0), s->pid);
    unlink(s->err_path);
    *out = buf;
    return WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
}

START_TEST(test_server_client)
{
    static const char *const no_extra[] = {NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;

    server_start(&s, "Sample", no_extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "Sample", "--messages", "2", "--seal");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "connected to 127.0.0.1:");
    ck_assert_has(r.out, "authenticated");
    ck_assert_has(r.out, "sealed message 1");
    ck_assert_has(r.out, "result: SEC_E_OK");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 0);
    ck_assert_has(sout, "authenticated as ");
    ck_assert_has(sout, "alice");
    ck_assert_has(sout, "done, 4 messages");
    free(sout);
}
END_TEST

/* A peer that connects and sends nothing holds the only client slot for
 * at most --timeout seconds; a real client is then served.  (No timing is
 * asserted: the client just waits for the slot.) */
START_TEST(test_server_idle_peer_dropped)
{
    static const char *const extra[] = {"--timeout", "5", "--max-clients", "1", NULL};
    struct server_proc s;
    struct run_result r;
    struct sockaddr_in sin = {0};
    char addr[64], *sout;
    int idle, wst;

    server_spawn(&s, "Sample", extra, false);
    idle = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(idle, 0);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)atoi(s.port));
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(idle, (struct sockaddr *)&sin, sizeof(sin)), 0);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "Sample");
    ck_assert_exit(r, 0);
    ck_assert_has(r.out, "result: SEC_E_OK");
    run_free(&r);
    close(idle);
    kill(s.pid, SIGTERM);
    sout = NULL;
    {
        size_t cap = 65536, len = 0, n;

        sout = calloc(1, cap);
        ck_assert_ptr_nonnull(sout);
        while (len + 1 < cap && (n = fread(sout + len, 1, cap - len - 1, s.out)) > 0)
            len += n;
    }
    fclose(s.out);
    ck_assert_int_eq(waitpid(s.pid, &wst, 0), s.pid);
    unlink(s.err_path);
    ck_assert_has(sout, "timed out during the handshake");
    ck_assert_has(sout, "authenticated as ");
    free(sout);
}
END_TEST

START_TEST(test_server_client_wrong_password)
{
    static const char *const extra[] = {"--password", "server-secret", NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;

    server_start(&s, "Sample", extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "Sample", "--password", "client-secret");
    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "sspi: client: ");
    ck_assert_has(r.err, " (0x8009");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 1);
    free(sout);
}
END_TEST

START_TEST(test_server_client_ntlm)
{
    static const char *const no_extra[] = {NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;

    /* the NTLM server needs no identity: it checks NTLM_USER_FILE */
    server_start(&s, "NTLM", no_extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "NTLM", "--user", "alice", "--domain", "EXAMPLE", "--password",
            "secret", "--bindings", "cb");
    ck_assert_exit(r, 0);
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 0);
    ck_assert_has(sout, "authenticated as EXAMPLE\\alice");
    free(sout);

    server_start(&s, "NTLM", no_extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "NTLM", "--user", "alice", "--domain", "EXAMPLE", "--password",
            "wrong");
    ck_assert_exit(r, 1);
    ck_assert_has(r.err, "server AcceptSecurityContext: SEC_E_LOGON_DENIED (0x8009030C)");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 1);
    ck_assert_has(sout, "AcceptSecurityContext: SEC_E_LOGON_DENIED");
    free(sout);
}
END_TEST

START_TEST(test_client_connection_refused)
{
    struct server_proc s;
    static const char *const no_extra[] = {NULL};
    struct run_result r;
    char addr[64], *sout;

    /* learn a free port from a server, then let that server go */
    server_start(&s, "Sample", no_extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    kill(s.pid, SIGTERM);
    server_wait(&s, &sout);
    free(sout);
    r = RUN("client", addr, "Sample");
    ck_assert_exit(r, 1);
    run_free(&r);
}
END_TEST

/* ---- server and client with --json */

/* The server's events of one session: valid lines, in order, ending with
 * "closed"; returns the "closed" line. */
static const char *server_events_check(const char *sout)
{
    const char *conn, *hs, *closed;

    json_lines_check(sout);
    conn = strstr(sout, "{\"event\":\"connected\",\"peer\":\"127.0.0.1:");
    hs = strstr(sout, "{\"event\":\"handshake\",");
    closed = strstr(sout, "{\"event\":\"closed\",");
    ck_assert_msg(conn && hs && closed && conn < hs && hs < closed, "%s", sout);
    ck_assert_int_eq(count_str(sout, "\"event\":\"closed\""), 1);
    ck_assert_str_eq(strchr(closed, '\n'), "\n");
    return closed;
}

START_TEST(test_server_client_json)
{
    static const char *const extra[] = {"--json", NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], peer[96], first[512], *sout;
    const char *auth, *msg, *closed;

    server_start(&s, "Sample", extra);
    snprintf(first, sizeof(first), "%s", s.first);
    *strchr(first, '\n') = '\0';
    ck_assert_json(first);
    ck_assert_has(first, "{\"event\":\"listening\",\"address\":\"127.0.0.1:");
    ck_assert_has(first, "\"package\":\"Sample\"");
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", "--json", addr, "Sample", "--messages", "2", "--seal");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_str_eq(r.err, "");
    snprintf(peer, sizeof(peer), "\"peer\": \"%s\"", addr);
    ck_assert_has(r.out, peer);
    ck_assert_has(r.out, "\"package\": \"Sample\"");
    ck_assert_has(r.out, "\"handshake\": [");
    ck_assert_has(r.out, "\"side\": \"server\"");
    ck_assert_has(r.out, "\"call\": \"AcceptSecurityContext\"");
    ck_assert_has(r.out, "\"status_value\": \"0x00000000\"");
    ck_assert_has(r.out, "\"name\": \"EXAMPLE\\\\alice\"");
    ck_assert_has(r.out, "\"names_status\": \"SEC_E_OK\"");
    ck_assert_has(r.out, "\"seal\": true");
    ck_assert_int_eq(count_str(r.out, "\"make_call\": "), 4);
    ck_assert_int_eq(count_str(r.out, "\"kind\": \"seal\""), 2);
    ck_assert_int_eq(count_str(r.out, "\"server_status\": \"SEC_E_OK\""), 4);
    ck_assert_int_eq(count_str(r.out, "\"answer_status\": \"SEC_E_OK\""), 4);
    ck_assert_has(r.out, "\"result\": \"SEC_E_OK\"");
    ck_assert_has(r.out, "\"failed_call\": null");
    run_free(&r);

    ck_assert_int_eq(server_wait(&s, &sout), 0);
    closed = server_events_check(sout);
    auth = strstr(sout, "{\"event\":\"authenticated\",");
    msg = strstr(sout, "{\"event\":\"message\",");
    ck_assert_msg(auth && msg && auth < msg && msg < closed, "%s", sout);
    ck_assert_has(auth, "\"name\":\"EXAMPLE\\\\alice\",\"names_status\":\"SEC_E_OK\"}");
    ck_assert_int_eq(count_str(sout, "\"event\":\"message\""), 4);
    ck_assert_int_eq(count_str(sout, "\"check_status\":\"SEC_E_OK\""), 4);
    ck_assert_int_eq(count_str(sout, "\"kind\":\"seal\""), 2);
    ck_assert_has(closed, "\"messages\":4,\"result\":\"SEC_E_OK\"");
    ck_assert_has(closed, "\"failed_call\":null");
    free(sout);
}
END_TEST

START_TEST(test_server_client_json_wrong_password)
{
    static const char *const extra[] = {"--json", "--password", "server-secret", NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;
    const char *closed;

    server_start(&s, "Sample", extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", addr, "Sample", "--json", "--password", "client-secret");
    ck_assert_exit(r, 1);
    ck_assert_json(r.out);
    ck_assert_hasnt(r.out, "\"result\": \"SEC_E_OK\"");
    ck_assert_has(r.out, "\"result\": \"SEC_E_");
    ck_assert_has(r.out, "\"failed_call\": \"");
    ck_assert_has(r.err, "sspi: client: ");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 1);
    closed = server_events_check(sout);
    ck_assert_hasnt(closed, "\"result\":\"SEC_E_OK\"");
    ck_assert_hasnt(closed, "\"failed_call\":null");
    ck_assert_hasnt(sout, "\"event\":\"message\"");
    free(sout);
}
END_TEST

START_TEST(test_server_client_json_ntlm)
{
    static const char *const extra[] = {"--json", NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;
    const char *closed;

    server_start(&s, "NTLM", extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", "--json", addr, "NTLM", "--user", "alice", "--domain", "EXAMPLE",
            "--password", "secret", "--bindings", "cb", "--messages", "3");
    ck_assert_exit(r, 0);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"bindings\": true");
    ck_assert_has(r.out, "\"name\": \"EXAMPLE\\\\alice\"");
    ck_assert_int_eq(count_str(r.out, "\"make_call\": "), 6);
    ck_assert_has(r.out, "\"result\": \"SEC_E_OK\"");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 0);
    closed = server_events_check(sout);
    ck_assert_has(sout, "{\"event\":\"authenticated\",");
    ck_assert_has(sout, "\"name\":\"EXAMPLE\\\\alice\"");
    ck_assert_has(closed, "\"messages\":6,\"result\":\"SEC_E_OK\"");
    free(sout);

    server_start(&s, "NTLM", extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    r = RUN("client", "--json", addr, "NTLM", "--user", "alice", "--domain", "EXAMPLE",
            "--password", "wrong");
    ck_assert_exit(r, 1);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"status\": \"SEC_E_LOGON_DENIED\"");
    ck_assert_has(r.out, "\"result\": \"SEC_E_LOGON_DENIED\"");
    ck_assert_has(r.out, "\"result_value\": \"0x8009030C\"");
    ck_assert_has(r.out, "\"failed_side\": \"server\"");
    ck_assert_has(r.out, "\"failed_call\": \"AcceptSecurityContext\"");
    ck_assert_hasnt(r.out, "\"messages\": [");
    ck_assert_has(r.err, "server AcceptSecurityContext: SEC_E_LOGON_DENIED (0x8009030C)");
    run_free(&r);
    ck_assert_int_eq(server_wait(&s, &sout), 1);
    closed = server_events_check(sout);
    ck_assert_hasnt(sout, "\"event\":\"authenticated\"");
    ck_assert_has(closed, "\"result\":\"SEC_E_LOGON_DENIED\",\"result_value\":\"0x8009030C\","
                          "\"failed_call\":\"AcceptSecurityContext\"");
    free(sout);
}
END_TEST

/* Clients served at the same time: every line is still one whole event. */
START_TEST(test_server_json_concurrent)
{
    static const char *const extra[] = {"--json", "--max-clients", "4", NULL};
    enum { CLIENTS = 4 };
    struct server_proc s;
    pid_t pids[CLIENTS];
    size_t cap = 4096, len = 0;
    char addr[64], line[1024], *all = malloc(cap), *rest;
    int closed = 0;

    ck_assert_ptr_nonnull(all);
    all[0] = '\0';
    server_spawn(&s, "Sample", extra, false);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    for (int i = 0; i < CLIENTS; i++) {
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            int null = open("/dev/null", O_WRONLY);

            if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
                _exit(127);
            execl(sspi_path, sspi_path, "client", "--json", addr, "Sample", "--seal", "--messages",
                  "10", (char *)NULL);
            _exit(127);
        }
    }
    /* read events while the clients run, until every session closed */
    while (closed < CLIENTS) {
        size_t n;

        ck_assert_msg(fgets(line, sizeof(line), s.out) != NULL, "server output ended:\n%s", all);
        n = strlen(line);
        ck_assert_msg(n > 0 && line[n - 1] == '\n', "line too long: %s", line);
        if (strncmp(line, "{\"event\":\"closed\"", 17) == 0)
            closed++;
        while (len + n + 1 > cap) {
            cap *= 2;
            all = realloc(all, cap);
            ck_assert_ptr_nonnull(all);
        }
        memcpy(all + len, line, n + 1);
        len += n;
    }
    for (int i = 0; i < CLIENTS; i++) {
        int wst;

        ck_assert_int_eq(waitpid(pids[i], &wst, 0), pids[i]);
        ck_assert_msg(WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "client %d failed", i);
    }
    kill(s.pid, SIGTERM);
    server_wait(&s, &rest);
    ck_assert_str_eq(rest, "");
    free(rest);
    ck_assert_int_eq(json_lines_check(all),
                     (3 + 2 * 10) * CLIENTS + count_str(all, "\"event\":\"handshake\""));
    ck_assert_int_ge(count_str(all, "\"event\":\"handshake\""), CLIENTS);
    ck_assert_int_eq(count_str(all, "\"event\":\"connected\""), CLIENTS);
    ck_assert_int_eq(count_str(all, "\"event\":\"authenticated\""), CLIENTS);
    ck_assert_int_eq(count_str(all, "\"event\":\"message\""), 2 * 10 * CLIENTS);
    ck_assert_int_eq(count_str(all, "\"messages\":20,\"result\":\"SEC_E_OK\""), CLIENTS);
    free(all);
}
END_TEST

START_TEST(test_client_json_failures)
{
    static const char *const no_extra[] = {NULL};
    struct server_proc s;
    struct run_result r;
    char addr[64], *sout;

    r = RUN("client", "--help");
    ck_assert_has(r.out, "--json");
    run_free(&r);
    r = RUN("server", "--help");
    ck_assert_has(r.out, "--json");
    run_free(&r);

    /* usage errors write no document */
    r = RUN("client", "--json", "noport", "Sample");
    ck_assert_exit(r, 2);
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    r = RUN("client", "--json", "127.0.0.1:1", "NoSuchPackage");
    ck_assert_exit(r, 1);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"peer\": null");
    ck_assert_has(r.out, "\"result\": \"SEC_E_SECPKG_NOT_FOUND\"");
    ck_assert_has(r.out, "\"failed_call\": \"QuerySecurityPackageInfoA\"");
    run_free(&r);

    /* learn a free port from a server, then let that server go */
    server_start(&s, "Sample", no_extra);
    snprintf(addr, sizeof(addr), "127.0.0.1:%s", s.port);
    kill(s.pid, SIGTERM);
    server_wait(&s, &sout);
    free(sout);
    r = RUN("client", "--json", addr, "Sample");
    ck_assert_exit(r, 1);
    ck_assert_json(r.out);
    ck_assert_has(r.out, "\"peer\": null");
    ck_assert_has(r.out, "\"failed_side\": \"client\"");
    ck_assert_has(r.out, "\"failed_call\": \"connect\"");
    ck_assert_hasnt(r.out, "\"result\": \"SEC_E_OK\"");
    ck_assert_str_ne(r.err, "");
    run_free(&r);
}
END_TEST

static Suite *tool_suite(void)
{
    Suite *s = suite_create("tool");
    TCase *tc;

    tc = tcase_create("usage");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_help_and_version);
    tcase_add_loop_test(tc, test_verb_help, 0, (int)(sizeof(verbs) / sizeof(verbs[0])));
    tcase_add_test(tc, test_usage_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("status");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_status_value);
    tcase_add_test(tc, test_status_name);
    tcase_add_test(tc, test_status_json);
    suite_add_tcase(s, tc);

    tc = tcase_create("packages");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_list_text);
    tcase_add_test(tc, test_list_json);
    tcase_add_test(tc, test_list_empty);
    tcase_add_test(tc, test_list_disabled);
    tcase_add_test(tc, test_list_escapes_package_text);
    tcase_add_test(tc, test_info);
    suite_add_tcase(s, tc);

    tc = tcase_create("loopback");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_loopback_sample);
    tcase_add_test(tc, test_loopback_json);
    tcase_add_test(tc, test_loopback_password_file);
    tcase_add_test(tc, test_loopback_wrong_password);
    tcase_add_test(tc, test_loopback_tamper);
    tcase_add_test(tc, test_loopback_unknown_package);
    tcase_add_test(tc, test_loopback_ntlm);
    tcase_add_test(tc, test_trace_failure_reason);
    tcase_add_test(tc, test_bench_json);
    suite_add_tcase(s, tc);

    tc = tcase_create("network");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_server_client);
    tcase_add_test(tc, test_server_idle_peer_dropped);
    tcase_add_test(tc, test_server_client_wrong_password);
    tcase_add_test(tc, test_server_client_ntlm);
    tcase_add_test(tc, test_client_connection_refused);
    tcase_add_test(tc, test_server_client_json);
    tcase_add_test(tc, test_server_client_json_wrong_password);
    tcase_add_test(tc, test_server_client_json_ntlm);
    tcase_add_test(tc, test_server_json_concurrent);
    tcase_add_test(tc, test_client_json_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tool_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
