/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.c - reads sspi.conf and its packages.d drop-ins into a struct
 * sspi_conf (see config.h for the syntax and the contract).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"

enum parse_mode {
    MODE_MAIN,   /* sspi.conf: globals, then [module] blocks */
    MODE_DROPIN, /* a drop-in: one module block */
};

enum section {
    SECTION_GLOBAL,
    SECTION_MODULE,
    SECTION_UNKNOWN, /* an unknown [header]: lines skipped until the next */
};

/* Module block being read, with bookkeeping for duplicate keys. */
struct block {
    struct sspi_conf_module mod;
    bool open;
    bool have_packages, have_enabled;
};

/* Main-file global keys seen so far. */
struct globals_seen {
    bool package_dir, dropin_dir, autoload, check_permissions, debug;
    bool check_permissions_off;
    uint32_t check_permissions_line;
};

struct parser {
    struct sspi_conf *conf;
    const char *file;
    enum parse_mode mode;
    enum section section;
    struct block block;
    struct globals_seen seen;
    char *dropin_raw; /* dropin_dir value as written */
    char *pkgdir_raw; /* package_dir value as written */
    bool oom;
};

/* ---- small helpers ------------------------------------------------------ */

static void *grow(void *arr, size_t *cap, size_t need, size_t elsize)
{
    size_t ncap;
    void *n;

    if (need <= *cap)
        return arr;
    ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    n = realloc(arr, ncap * elsize);
    if (n == NULL)
        return NULL;
    *cap = ncap;
    return n;
}

static char *xstrdup(struct parser *p, const char *s)
{
    char *d = strdup(s);

    if (d == NULL)
        p->oom = true;
    return d;
}

/* Capacity bookkeeping lives outside the public struct. */
struct conf_caps {
    size_t modules, diags;
};

struct conf_priv {
    struct sspi_conf pub;
    struct conf_caps caps;
};

static struct conf_priv *priv_of(struct sspi_conf *c)
{
    return (struct conf_priv *)c;
}

static bool add_diag_v(struct sspi_conf *c, const char *file, uint32_t line, const char *fmt,
                       va_list ap) __attribute__((format(printf, 4, 0)));

static bool add_diag_v(struct sspi_conf *c, const char *file, uint32_t line, const char *fmt,
                       va_list ap)
{
    struct conf_priv *cp = priv_of(c);
    struct sspi_conf_diag *d;
    char *msg = NULL;
    char *f;

    if (vasprintf(&msg, fmt, ap) < 0)
        return false;
    f = strdup(file ? file : "(none)");
    d = grow(c->diags, &cp->caps.diags, c->ndiags + 1, sizeof(*d));
    if (f == NULL || d == NULL) {
        free(msg);
        free(f);
        return false;
    }
    c->diags = d;
    d[c->ndiags].file = f;
    d[c->ndiags].line = line;
    d[c->ndiags].message = msg;
    c->ndiags++;
    return true;
}

static void diag(struct parser *p, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void diag(struct parser *p, uint32_t line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (!add_diag_v(p->conf, p->file, line, fmt, ap))
        p->oom = true;
    va_end(ap);
}

static void conf_diag(struct sspi_conf *c, bool *oom, const char *file, uint32_t line,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void conf_diag(struct sspi_conf *c, bool *oom, const char *file, uint32_t line,
                      const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (!add_diag_v(c, file, line, fmt, ap))
        *oom = true;
    va_end(ap);
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *e = '\0';
    return s;
}

static bool valid_key(const char *k)
{
    if (*k == '\0')
        return false;
    for (; *k; k++) {
        char c = *k;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

/* Pure; *out untouched when false is returned. */
bool sspi_conf_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Pure apart from geteuid(). */
bool sspi_conf_file_trusted(const struct stat *st, char *why, size_t whylen)
{
    if (!S_ISREG(st->st_mode)) {
        snprintf(why, whylen, "not a regular file");
        return false;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(why, whylen, "writable by %s (mode %04o)",
                 (st->st_mode & S_IWOTH) ? "others" : "its group", (unsigned)(st->st_mode & 07777));
        return false;
    }
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        snprintf(why, whylen, "owned by uid %lu, neither root nor the current user",
                 (unsigned long)st->st_uid);
        return false;
    }
    return true;
}

/* secure_getenv: LIBSSPI_CONFIG is ignored in set-user-ID programs. */
const char *sspi_conf_main_path(bool *from_env)
{
    const char *env = secure_getenv("LIBSSPI_CONFIG");

    if (env != NULL && env[0] != '\0') {
        *from_env = true;
        return env;
    }
    *from_env = false;
    return SSPI_CONF_SYSTEM_FILE;
}

/* Directory part of `file` ("." if none); malloc()ed. */
static char *dir_of(const char *file)
{
    const char *slash = strrchr(file, '/');

    if (slash == NULL)
        return strdup(".");
    if (slash == file)
        return strdup("/");
    return strndup(file, (size_t)(slash - file));
}

/* `value` if absolute, else base/value; malloc()ed. */
static char *join(const char *base, const char *value)
{
    char *r = NULL;

    if (value[0] == '/')
        return strdup(value);
    if (asprintf(&r, "%s/%s", base, value) < 0)
        return NULL;
    return r;
}

/* ---- module blocks ------------------------------------------------------ */

static void module_clear(struct sspi_conf_module *m)
{
    free(m->file);
    free(m->module);
    free(m->path);
    for (size_t i = 0; i < m->npackages; i++)
        free(m->packages[i]);
    free(m->packages);
    for (size_t i = 0; i < m->noptions; i++) {
        free(m->options[i].key);
        if (m->options[i].value != NULL)
            explicit_bzero(m->options[i].value, strlen(m->options[i].value));
        free(m->options[i].value);
    }
    free(m->options);
    memset(m, 0, sizeof(*m));
}

static void block_start(struct parser *p, uint32_t line)
{
    memset(&p->block, 0, sizeof(p->block));
    p->block.open = true;
    p->block.mod.enabled = true;
    p->block.mod.line = line;
    p->block.mod.file = xstrdup(p, p->file);
}

/* Close the open block: keep it if it names a module, else drop it. */
static void block_finish(struct parser *p)
{
    struct sspi_conf *c = p->conf;
    struct conf_priv *cp = priv_of(c);
    struct sspi_conf_module *arr;

    if (!p->block.open)
        return;
    p->block.open = false;
    if (p->block.mod.module == NULL) {
        diag(p, p->block.mod.line, "module block without 'module ='; skipped");
        goto out;
    }
    if (c->nmodules >= SSPI_CONF_MAX_MODULES) {
        diag(p, p->block.mod.line, "more than %d module blocks; skipped", SSPI_CONF_MAX_MODULES);
        goto out;
    }
    arr = grow(c->modules, &cp->caps.modules, c->nmodules + 1, sizeof(*arr));
    if (arr == NULL) {
        p->oom = true;
        goto out;
    }
    c->modules = arr;
    arr[c->nmodules++] = p->block.mod;
    memset(&p->block.mod, 0, sizeof(p->block.mod));
out:
    module_clear(&p->block.mod);
}

static void set_packages(struct parser *p, uint32_t line, const char *value)
{
    struct sspi_conf_module *m = &p->block.mod;
    char *copy = xstrdup(p, value);
    char *save = NULL;

    if (copy == NULL)
        return;
    for (size_t i = 0; i < m->npackages; i++)
        free(m->packages[i]);
    free(m->packages);
    m->packages = NULL;
    m->npackages = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *name = trim(tok);
        char **arr;

        if (*name == '\0')
            continue;
        arr = realloc(m->packages, (m->npackages + 1) * sizeof(*arr));
        if (arr == NULL) {
            p->oom = true;
            break;
        }
        m->packages = arr;
        if ((arr[m->npackages] = xstrdup(p, name)) == NULL)
            break;
        m->npackages++;
    }
    free(copy);
    if (m->npackages == 0)
        diag(p, line, "'packages' lists no package name; every package of the module is used");
}

static void set_option(struct parser *p, uint32_t line, const char *key, const char *value)
{
    struct sspi_conf_module *m = &p->block.mod;
    struct sspi_conf_option *arr;
    char *k, *v;

    if (*key == '\0') {
        diag(p, line, "option key is empty ('option.KEY = VALUE')");
        return;
    }
    for (size_t i = 0; i < m->noptions; i++) {
        if (strcmp(m->options[i].key, key) == 0) {
            diag(p, line, "duplicate key 'option.%s'; the last value is used", key);
            if ((v = xstrdup(p, value)) != NULL) {
                free(m->options[i].value);
                m->options[i].value = v;
            }
            return;
        }
    }
    arr = realloc(m->options, (m->noptions + 1) * sizeof(*arr));
    if (arr == NULL) {
        p->oom = true;
        return;
    }
    m->options = arr;
    k = xstrdup(p, key);
    v = xstrdup(p, value);
    if (k == NULL || v == NULL) {
        free(k);
        free(v);
        return;
    }
    arr[m->noptions].key = k;
    arr[m->noptions].value = v;
    m->noptions++;
}

static bool is_global_key(const char *key)
{
    return strcmp(key, "package_dir") == 0 || strcmp(key, "dropin_dir") == 0 ||
           strcmp(key, "autoload") == 0 || strcmp(key, "check_permissions") == 0 ||
           strcmp(key, "debug") == 0 || sspi_conf_accounts_is_key(key);
}

static bool is_module_key(const char *key)
{
    return strcmp(key, "module") == 0 || strcmp(key, "packages") == 0 ||
           strcmp(key, "enabled") == 0 || strncmp(key, "option.", 7) == 0;
}

static void module_key(struct parser *p, uint32_t line, const char *key, const char *value)
{
    struct block *b = &p->block;

    if (strncmp(key, "option.", 7) == 0) {
        set_option(p, line, key + 7, value);
        return;
    }
    if (*value == '\0') {
        diag(p, line, "empty value for '%s'", key);
        return;
    }
    if (strcmp(key, "module") == 0) {
        char *v;

        if (b->mod.module != NULL)
            diag(p, line, "duplicate key 'module'; the last value is used");
        if ((v = xstrdup(p, value)) == NULL)
            return;
        free(b->mod.module);
        b->mod.module = v;
        if (p->mode == MODE_DROPIN)
            b->mod.line = line;
    } else if (strcmp(key, "packages") == 0) {
        if (b->have_packages)
            diag(p, line, "duplicate key 'packages'; the last value is used");
        b->have_packages = true;
        set_packages(p, line, value);
    } else { /* enabled */
        bool v;

        if (!sspi_conf_parse_bool(value, &v)) {
            diag(p, line, "invalid value '%s' for 'enabled' (expected yes or no)", value);
            return;
        }
        if (b->have_enabled)
            diag(p, line, "duplicate key 'enabled'; the last value is used");
        b->have_enabled = true;
        b->mod.enabled = v;
    }
}

static void set_string(struct parser *p, char **dst, const char *value)
{
    char *v = xstrdup(p, value);

    if (v != NULL) {
        free(*dst);
        *dst = v;
    }
}

static void global_key(struct parser *p, uint32_t line, const char *key, const char *value)
{
    struct sspi_conf *c = p->conf;
    struct globals_seen *s = &p->seen;
    bool *seen;
    bool v = false;
    char why[512];

    if (sspi_conf_accounts_is_key(key)) { /* config-accounts.c */
        if (sspi_conf_accounts_set(&c->accounts, key, value, why, sizeof(why)) != NULL)
            diag(p, line, "%s", why);
        return;
    }
    if (strcmp(key, "package_dir") == 0)
        seen = &s->package_dir;
    else if (strcmp(key, "dropin_dir") == 0)
        seen = &s->dropin_dir;
    else if (strcmp(key, "autoload") == 0)
        seen = &s->autoload;
    else if (strcmp(key, "check_permissions") == 0)
        seen = &s->check_permissions;
    else
        seen = &s->debug;

    if (*value == '\0') {
        diag(p, line, "empty value for '%s'", key);
        return;
    }
    if (seen == &s->autoload || seen == &s->check_permissions) {
        if (!sspi_conf_parse_bool(value, &v)) {
            diag(p, line, "invalid value '%s' for '%s' (expected yes or no)", value, key);
            return;
        }
    }
    if (*seen)
        diag(p, line, "duplicate key '%s'; the last value is used", key);
    *seen = true;

    if (seen == &s->package_dir) {
        set_string(p, &p->pkgdir_raw, value);
    } else if (seen == &s->dropin_dir) {
        set_string(p, &p->dropin_raw, value);
    } else if (seen == &s->autoload) {
        c->autoload = v;
    } else if (seen == &s->check_permissions) {
        s->check_permissions_off = !v;
        s->check_permissions_line = line;
    } else {
        set_string(p, &c->debug, value);
    }
}

/* ---- line handling ------------------------------------------------------ */

static void handle_header(struct parser *p, uint32_t line, char *text)
{
    size_t n = strlen(text);
    char *name;

    if (n < 2 || text[n - 1] != ']') {
        diag(p, line, "malformed section header (expected '[module]')");
        if (p->mode == MODE_MAIN) {
            block_finish(p);
            p->section = SECTION_UNKNOWN;
        }
        return;
    }
    text[n - 1] = '\0';
    name = trim(text + 1);
    if (strcmp(name, "module") != 0) {
        diag(p, line, "unknown section '[%s]'; its lines are skipped", name);
        if (p->mode == MODE_MAIN) {
            block_finish(p);
            p->section = SECTION_UNKNOWN;
        }
        return;
    }
    if (p->mode == MODE_DROPIN) {
        /* Optional first line of a drop-in; anything later is a second module. */
        if (p->block.mod.module != NULL || p->block.have_packages || p->block.have_enabled ||
            p->block.mod.noptions > 0)
            diag(p, line, "a drop-in file holds one module; '[module]' ignored");
        return;
    }
    block_finish(p);
    block_start(p, line);
    p->section = SECTION_MODULE;
}

static void handle_line(struct parser *p, uint32_t line, char *raw)
{
    char *text = trim(raw);
    char *eq, *key, *value;

    if (*text == '\0' || *text == '#')
        return;
    if (*text == '[') {
        handle_header(p, line, text);
        return;
    }
    if (p->section == SECTION_UNKNOWN)
        return;
    eq = strchr(text, '=');
    if (eq == NULL) {
        diag(p, line, "expected 'key = value'");
        return;
    }
    *eq = '\0';
    key = trim(text);
    value = trim(eq + 1);
    if (!valid_key(key)) {
        diag(p, line, "invalid key '%s'", key);
        return;
    }
    if (p->section == SECTION_MODULE) {
        if (is_module_key(key))
            module_key(p, line, key, value);
        else if (is_global_key(key))
            diag(p, line, "global key '%s' inside a module block (global keys go %s)", key,
                 p->mode == MODE_DROPIN ? "in sspi.conf" : "before the first [module]");
        else
            diag(p, line, "unknown key '%s'", key);
        return;
    }
    if (is_global_key(key))
        global_key(p, line, key, value);
    else if (is_module_key(key))
        diag(p, line, "'%s' outside a [module] block", key);
    else
        diag(p, line, "unknown key '%s'", key);
}

/*
 * Read `f` line by line.  Lines longer than SSPI_CONF_MAX_LINE and lines
 * holding a NUL byte are reported and skipped without being parsed.
 */
static void parse_stream(struct parser *p, FILE *f)
{
    char buf[SSPI_CONF_MAX_LINE + 2];
    uint32_t line = 0;

    for (;;) {
        size_t n = 0;
        bool too_long = false, nul = false, eof = false;
        int ch;

        while ((ch = getc_unlocked(f)) != EOF && ch != '\n') {
            if (ch == '\0')
                nul = true;
            if (n < SSPI_CONF_MAX_LINE)
                buf[n++] = (char)ch;
            else
                too_long = true;
        }
        if (ch == EOF) {
            eof = true;
            if (n == 0 && !too_long)
                break;
        }
        buf[n] = '\0';
        if (line < UINT32_MAX)
            line++;
        if (too_long)
            diag(p, line, "line longer than %d bytes; skipped", SSPI_CONF_MAX_LINE);
        else if (nul)
            diag(p, line, "line contains a NUL byte; skipped");
        else
            handle_line(p, line, buf);
        if (eof || p->oom)
            break;
    }
    if (ferror(f))
        diag(p, 0, "read error: %s", strerror(errno));
    explicit_bzero(buf, sizeof(buf));
}

/* "a FIFO", "a directory", ... for a file that is not a regular file. */
static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/* Pure apart from stat(2): see config.h. */
bool sspi_conf_regular_file(const char *path, struct stat *st, char *why, size_t whylen)
{
    if (stat(path, st) != 0) {
        int e = errno;

        snprintf(why, whylen, "%s", strerror(e));
        errno = e;
        return false;
    }
    if (!S_ISREG(st->st_mode)) {
        snprintf(why, whylen, "not a regular file (%s)", file_kind(st->st_mode));
        errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
        return false;
    }
    return true;
}

/* Opens without blocking: see config.h. */
int sspi_conf_open_regular(const char *path, struct stat *st, char *why, size_t whylen)
{
    struct stat before;
    int fd;

    if (!sspi_conf_regular_file(path, &before, why, whylen))
        return -1;
    /* O_NONBLOCK: a FIFO swapped in after the check must not block. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;

        snprintf(why, whylen, "%s", strerror(e));
        errno = e;
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_dev != before.st_dev ||
        st->st_ino != before.st_ino) {
        snprintf(why, whylen, "not a regular file (changed while being opened)");
        close(fd);
        errno = EINVAL;
        return -1;
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/*
 * Open a configuration file for reading: anything but a regular file is
 * refused before it is opened, so a FIFO never blocks.  Returns NULL with
 * the reason in why[] on failure (*missing set when the file does not
 * exist).  *st receives its status.
 */
static FILE *open_conf(const char *path, struct stat *st, char *why, size_t whylen, bool *missing)
{
    int fd;
    FILE *f;

    errno = 0;
    fd = sspi_conf_open_regular(path, st, why, whylen);
    *missing = fd < 0 && errno == ENOENT;
    if (fd < 0)
        return NULL;
    f = fdopen(fd, "r");
    if (f == NULL) {
        snprintf(why, whylen, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    /* Option values may be secrets (a package's default password): keep
     * no stdio buffer of the file that would be freed unwiped.  Files are
     * small, so reading byte by byte costs nothing that matters. */
    setvbuf(f, NULL, _IONBF, 0);
    return f;
}

/* Resolve the module path of every block from index `from` on. */
static void resolve_modules(struct sspi_conf *c, size_t from, bool *oom)
{
    for (size_t i = from; i < c->nmodules; i++) {
        struct sspi_conf_module *m = &c->modules[i];
        char *joined = join(c->package_dir, m->module);
        char *real;

        if (joined == NULL) {
            *oom = true;
            return;
        }
        real = realpath(joined, NULL);
        if (real != NULL) {
            free(joined);
            joined = real;
        }
        free(m->path);
        m->path = joined;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dropin_name(const char *n)
{
    size_t len = strlen(n);

    return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".conf") == 0;
}

/* Read every *.conf of the drop-in directory in C-locale name order. */
static void read_dropins(struct sspi_conf *c, bool *oom)
{
    DIR *d = opendir(c->dropin_dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;

    if (d == NULL) {
        if (errno != ENOENT)
            conf_diag(c, oom, c->dropin_dir, 0, "cannot open drop-in directory: %s",
                      strerror(errno));
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char **arr;

        if (!is_dropin_name(e->d_name))
            continue;
        arr = grow(names, &cap, n + 1, sizeof(*names));
        if (arr == NULL || (arr[n] = strdup(e->d_name)) == NULL) {
            names = arr ? arr : names;
            *oom = true;
            break;
        }
        names = arr;
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_names);

    for (size_t i = 0; i < n && !*oom; i++) {
        struct parser p;
        struct stat st;
        char why[160];
        char *path = join(c->dropin_dir, names[i]);
        size_t before = c->nmodules;
        FILE *f;
        bool missing;

        if (path == NULL) {
            *oom = true;
            break;
        }
        f = open_conf(path, &st, why, sizeof(why), &missing);
        if (f == NULL) {
            conf_diag(c, oom, path, 0, "cannot read drop-in: %s", why);
            free(path);
            continue;
        }
        if (c->check_permissions && !sspi_conf_file_trusted(&st, why, sizeof(why))) {
            conf_diag(c, oom, path, 0, "drop-in ignored: %s", why);
            fclose(f);
            free(path);
            continue;
        }
        memset(&p, 0, sizeof(p));
        p.conf = c;
        p.file = path;
        p.mode = MODE_DROPIN;
        p.section = SECTION_MODULE;
        block_start(&p, 1);
        parse_stream(&p, f);
        fclose(f);
        block_finish(&p);
        if (p.oom)
            *oom = true;
        resolve_modules(c, before, oom);
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Forget everything the main file said (it may not be trusted). */
static void reset_main(struct parser *p)
{
    struct sspi_conf *c = p->conf;

    for (size_t i = 0; i < c->nmodules; i++)
        module_clear(&c->modules[i]);
    c->nmodules = 0;
    free(c->debug);
    c->debug = NULL;
    free(p->pkgdir_raw);
    p->pkgdir_raw = NULL;
    free(p->dropin_raw);
    p->dropin_raw = NULL;
    c->autoload = true;
    p->seen.check_permissions_off = false;
}

/* Read the main file into p->conf (globals and [module] blocks). */
static void read_main(struct parser *p, const char *path, bool from_env)
{
    struct sspi_conf *c = p->conf;
    struct stat st;
    char why[160];
    FILE *f;
    bool missing;

    f = open_conf(path, &st, why, sizeof(why), &missing);
    if (f == NULL) {
        if (from_env || !missing)
            diag(p, 0, "cannot read configuration: %s", why);
        return;
    }
    c->file_found = true;
    parse_stream(p, f);
    fclose(f);
    block_finish(p);
    /* The main file is always checked, before anything it says takes
     * effect: a file others can write must not be able to switch off the
     * check that protects it. */
    if (!sspi_conf_file_trusted(&st, why, sizeof(why))) {
        diag(p, 0, "configuration ignored: %s", why);
        reset_main(p);
        return;
    }
    if (p->seen.check_permissions_off) {
        if (from_env)
            c->check_permissions = false;
        else
            diag(p, p->seen.check_permissions_line,
                 "'check_permissions = no' is honoured only in a LIBSSPI_CONFIG file");
    }
}

/* Caller owns the result (sspi_conf_free).  Thread-safe: no global state. */
struct sspi_conf *sspi_conf_load(const char *path, bool from_env, const char *default_package_dir)
{
    struct conf_priv *cp = calloc(1, sizeof(*cp));
    struct sspi_conf *c;
    struct parser p;
    char *confdir = NULL;
    bool oom = false, ok = false;

    if (cp == NULL)
        return NULL;
    c = &cp->pub;
    c->autoload = true;
    c->check_permissions = true;
    c->from_env = from_env;
    memset(&p, 0, sizeof(p));
    p.conf = c;
    p.file = path;
    p.mode = MODE_MAIN;
    p.section = SECTION_GLOBAL;

    if ((c->file = strdup(path)) == NULL || (confdir = dir_of(path)) == NULL)
        goto out;
    read_main(&p, path, from_env);
    if (p.oom)
        goto out;

    if (p.pkgdir_raw != NULL)
        c->package_dir = join(confdir, p.pkgdir_raw);
    else
        c->package_dir = strdup(default_package_dir ? default_package_dir : PACKAGESDIR);
    if (c->package_dir == NULL)
        goto out;
    if (p.dropin_raw == NULL) {
        if ((c->dropin_dir = join(confdir, "packages.d")) == NULL)
            goto out;
    } else if (strcmp(p.dropin_raw, "none") != 0) {
        if ((c->dropin_dir = join(confdir, p.dropin_raw)) == NULL)
            goto out;
    }

    resolve_modules(c, 0, &oom);
    if (!oom && c->dropin_dir != NULL)
        read_dropins(c, &oom);
    ok = !oom;
out:
    free(confdir);
    free(p.pkgdir_raw);
    free(p.dropin_raw);
    if (p.block.open)
        module_clear(&p.block.mod);
    if (!ok) {
        sspi_conf_free(c);
        return NULL;
    }
    return c;
}

/* Frees everything sspi_conf_load allocated. */
void sspi_conf_free(struct sspi_conf *conf)
{
    if (conf == NULL)
        return;
    free(conf->file);
    free(conf->package_dir);
    free(conf->dropin_dir);
    free(conf->debug);
    sspi_conf_accounts_free(&conf->accounts);
    for (size_t i = 0; i < conf->nmodules; i++)
        module_clear(&conf->modules[i]);
    free(conf->modules);
    for (size_t i = 0; i < conf->ndiags; i++) {
        free(conf->diags[i].file);
        free(conf->diags[i].message);
    }
    free(conf->diags);
    free(priv_of(conf));
}
