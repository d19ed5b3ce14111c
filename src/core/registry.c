/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * registry.c - the list of loaded security packages, the record of what
 * did not load and why, and the configuration-driven loading sequence.
 *
 * Locks:
 * - load_lock (mutex) serialises everything that loads: initialisation,
 *   AddSecurityPackage, libsspi_reload_config.  It also protects the
 *   configuration state (conf_entries, current settings).
 * - reg_lock (rwlock) protects the published package array and the
 *   records.  Readers (name lookup, enumeration, reports) take it shared
 *   and briefly; it is never taken on the per-message path, which works
 *   from the package pointer a handle keeps.
 * Packages are never freed: a context may outlive DeleteSecurityPackage.
 *
 * Re-entry: package code runs while this thread holds load_lock (module
 * constructors, SpInitialize, SpGetInfo, ...).  If it calls back into
 * libsspi, the entry points work with what is published so far (the
 * initialisation in progress is not waited for), and anything that would
 * load again (AddSecurityPackage, libsspi_reload_config) returns
 * SEC_E_INTERNAL_ERROR at once instead of deadlocking on load_lock.
 *
 * Shutdown policy: no library destructor calls a package's SpShutdown.
 * At exit other threads may still be inside package code, and a package
 * that must clean up can do so from its own destructor.  Packages that are
 * refused after a successful SpInitialize get SpShutdown at once.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/utf16.h"
#include "core/accounts.h"
#include "core/config.h"
#include "core/core.h"
#include "core/dispatch.h"
#include "core/loader.h"

/* Kinds of report records besides loaded packages. */
enum record_kind {
    REC_LOAD,     /* a module or package that failed to load */
    REC_CONFIG,   /* a configuration diagnostic */
    REC_DISABLED, /* a configured module with `enabled = no` */
};

struct record {
    enum record_kind kind;
    bool hidden; /* superseded by a later attempt or re-read */
    char *name;  /* UTF-8 package name or NULL */
    char *module;
    char *config_file;
    uint32_t config_line;
    SECURITY_STATUS status;
    char *reason;
};

enum entry_state {
    ENTRY_DISABLED,
    ENTRY_LOADED,
    ENTRY_FAILED,
};

/* One configured module block and what became of it (load_lock). */
struct conf_entry {
    const struct sspi_conf_module *mod; /* owned by a kept struct sspi_conf */
    enum entry_state state;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static atomic_bool init_done;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
/* load_lock is held by this thread (package code may be running). */
static _Thread_local bool loading_here;
static pthread_rwlock_t reg_lock = PTHREAD_RWLOCK_INITIALIZER;

/* reg_lock */
static struct sspi_package **packages;
static uint32_t npackages;
static size_t cap_packages;
static struct record *records;
static size_t nrecords, cap_records;

static atomic_uint next_package_id = 1;

/* load_lock */
static struct conf_entry *conf_entries;
static size_t nconf_entries, cap_conf_entries;
static struct sspi_conf **kept_confs;
static size_t nkept_confs;
static bool cur_check_permissions = true;
static const char *cur_package_dir = PACKAGESDIR;

static void *grow_array(void *arr, size_t *cap, size_t need, size_t elsize)
{
    size_t ncap;
    void *n;

    if (need <= *cap)
        return arr;
    ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    n = realloc(arr, ncap * elsize);
    if (n != NULL)
        *cap = ncap;
    return n;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- loader callbacks (struct sspi_loader_host) ------------------------- */

/* Atomic; any thread. */
static uint32_t next_id(void)
{
    return atomic_fetch_add(&next_package_id, 1);
}

/* Live packages only (a removed name may be reused).  Takes the read lock. */
static bool name_taken(const char16_t *name)
{
    return sspi_registry_find_w(name) != NULL;
}

/* Load lock held by the caller; takes the write lock.  The registry owns
 * `pkg` from here on and never frees it; its operations are bound here. */
static bool publish(struct sspi_package *pkg)
{
    struct sspi_package **arr;
    bool ok = false;

    sspi_dispatch_bind(pkg);
    pthread_rwlock_wrlock(&reg_lock);
    arr = grow_array(packages, &cap_packages, (size_t)npackages + 1, sizeof(*arr));
    if (arr == NULL)
        goto out;
    packages = arr;
    packages[npackages++] = pkg;
    ok = true;
out:
    pthread_rwlock_unlock(&reg_lock);
    return ok;
}

static void add_record(enum record_kind kind, const char *module, const char *config_file,
                       uint32_t config_line, const char *name, SECURITY_STATUS status,
                       const char *reason)
{
    struct record r = {
        .kind = kind,
        .name = dup_or_null(name),
        .module = dup_or_null(module),
        .config_file = dup_or_null(config_file),
        .config_line = config_line,
        .status = status,
        .reason = dup_or_null(reason),
    };
    struct record *arr;

    pthread_rwlock_wrlock(&reg_lock);
    arr = grow_array(records, &cap_records, nrecords + 1, sizeof(*arr));
    if (arr == NULL || (name && !r.name) || (module && !r.module) ||
        (config_file && !r.config_file) || (reason && !r.reason)) {
        if (arr != NULL)
            records = arr;
        free(r.name);
        free(r.module);
        free(r.config_file);
        free(r.reason);
        goto out;
    }
    records = arr;
    records[nrecords++] = r;
out:
    pthread_rwlock_unlock(&reg_lock);
}

/* Load lock held by the caller; takes the write lock.  Strings copied. */
static void record_failure(const char *module, const char *config_file, uint32_t config_line,
                           const char *name, SECURITY_STATUS status, const char *reason)
{
    add_record(REC_LOAD, module, config_file, config_line, name, status, reason);
}

/* Hide earlier records about `module` (a new attempt supersedes them). */
static void hide_module_records(const char *module)
{
    pthread_rwlock_wrlock(&reg_lock);
    for (size_t i = 0; i < nrecords; i++) {
        if (records[i].kind != REC_CONFIG && records[i].module != NULL &&
            strcmp(records[i].module, module) == 0)
            records[i].hidden = true;
    }
    pthread_rwlock_unlock(&reg_lock);
}

static void hide_config_records(void)
{
    pthread_rwlock_wrlock(&reg_lock);
    for (size_t i = 0; i < nrecords; i++) {
        if (records[i].kind == REC_CONFIG)
            records[i].hidden = true;
    }
    pthread_rwlock_unlock(&reg_lock);
}

/* ---- lookup ------------------------------------------------------------- */

/* Read lock, briefly; NULL name finds nothing. */
struct sspi_package *sspi_registry_find_w(const char16_t *name)
{
    struct sspi_package *found = NULL;

    if (name == NULL)
        return NULL;
    pthread_rwlock_rdlock(&reg_lock);
    for (uint32_t i = 0; i < npackages; i++) {
        struct sspi_package *p = packages[i];

        if (!atomic_load(&p->removed) && sspi_utf16_casecmp(p->name, name) == 0) {
            found = p;
            break;
        }
    }
    pthread_rwlock_unlock(&reg_lock);
    return found;
}

/* Read lock, briefly; invalid UTF-8 finds nothing. */
struct sspi_package *sspi_registry_find_a(const char *name)
{
    struct sspi_package *found = NULL;

    if (name == NULL)
        return NULL;
    pthread_rwlock_rdlock(&reg_lock);
    for (uint32_t i = 0; i < npackages; i++) {
        struct sspi_package *p = packages[i];

        if (!atomic_load(&p->removed) && sspi_utf16_casecmp_utf8(p->name, name) == 0) {
            found = p;
            break;
        }
    }
    pthread_rwlock_unlock(&reg_lock);
    return found;
}

/* Read lock; the array is malloc()ed, the packages stay owned by the
 * registry. */
SECURITY_STATUS sspi_registry_snapshot(struct sspi_package ***pkgs, uint32_t *count)
{
    struct sspi_package **arr;
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    uint32_t n = 0;

    *pkgs = NULL;
    *count = 0;
    pthread_rwlock_rdlock(&reg_lock);
    arr = malloc(((size_t)npackages + 1) * sizeof(*arr));
    if (arr == NULL)
        goto out;
    for (uint32_t i = 0; i < npackages; i++) {
        if (!atomic_load(&packages[i]->removed))
            arr[n++] = packages[i];
    }
    *pkgs = arr;
    *count = n;
    st = SEC_E_OK;
out:
    pthread_rwlock_unlock(&reg_lock);
    return st;
}

/* Bring back the removed packages of `mod` whose names are free again.
 * Returns how many of its packages are live afterwards. */
static uint32_t restore_module(const struct sspi_module *mod)
{
    uint32_t live = 0;

    pthread_rwlock_rdlock(&reg_lock);
    for (uint32_t i = 0; i < npackages; i++) {
        struct sspi_package *p = packages[i];
        bool clash = false;

        if (p->module != mod)
            continue;
        if (atomic_load(&p->removed)) {
            for (uint32_t j = 0; j < npackages && !clash; j++)
                clash = j != i && !atomic_load(&packages[j]->removed) &&
                        sspi_utf16_casecmp(packages[j]->name, p->name) == 0;
            if (clash)
                continue;
            atomic_store(&p->removed, false);
            sspi_trace("package %s: restored", p->name_utf8);
        }
        live++;
    }
    pthread_rwlock_unlock(&reg_lock);
    return live;
}

/* Bring back a removed package called `name`, unless a live one has the
 * name.  Returns true if a package of that name is live afterwards. */
static bool restore_by_name(const char *name)
{
    struct sspi_package *hit = NULL;

    if (sspi_registry_find_a(name) != NULL)
        return true;
    pthread_rwlock_rdlock(&reg_lock);
    for (uint32_t i = 0; i < npackages && hit == NULL; i++) {
        if (sspi_utf16_casecmp_utf8(packages[i]->name, name) == 0)
            hit = packages[i];
    }
    if (hit != NULL) {
        atomic_store(&hit->removed, false);
        sspi_trace("package %s: restored", hit->name_utf8);
    }
    pthread_rwlock_unlock(&reg_lock);
    return hit != NULL;
}

/* ---- loading ------------------------------------------------------------ */

static const struct sspi_loader_host loader_host = {
    .next_id = next_id,
    .name_taken = name_taken,
    .publish = publish,
    .record_failure = record_failure,
    .find = sspi_registry_find_a,
    .services = &sspi_host_services,
};

/* Load `path` (already resolved) with the settings of `mod` (may be NULL);
 * earlier records about the module are superseded.  load_lock held. */
static uint32_t load_path(const char *path, const struct sspi_conf_module *mod,
                          SECURITY_STATUS *status)
{
    struct sspi_load_request req = {
        .host = &loader_host,
        .path = path,
        .check_permissions = cur_check_permissions,
    };

    if (mod != NULL) {
        req.config_file = mod->file;
        req.config_line = mod->line;
        req.only = mod->packages;
        req.nonly = mod->npackages;
        req.options = mod->options;
        req.noptions = mod->noptions;
    }
    hide_module_records(path);
    return sspi_loader_load(&req, status);
}

/* A reload found module `m` loaded already: its packages get the settings
 * of the configuration as it is now (the kit copies them on every read, so
 * calls under way keep what they took). */
static void resend_settings(const struct sspi_conf_module *m)
{
    struct sspi_load_request req = {
        .host = &loader_host,
        .path = m->path,
        .config_file = m->file,
        .config_line = m->line,
        .options = m->options,
        .noptions = m->noptions,
    };

    pthread_rwlock_rdlock(&reg_lock);
    for (uint32_t i = 0; i < npackages; i++) {
        struct sspi_package *pkg = packages[i];
        if (pkg->module_path != NULL && strcmp(pkg->module_path, m->path) == 0 &&
            !atomic_load(&pkg->removed))
            sspi_loader_send_settings(&req, pkg);
    }
    pthread_rwlock_unlock(&reg_lock);
}

static void load_entry(struct conf_entry *e, SECURITY_STATUS *status)
{
    uint32_t n = load_path(e->mod->path, e->mod, status);

    e->state = n > 0 ? ENTRY_LOADED : ENTRY_FAILED;
}

static struct conf_entry *find_entry_by_path(const char *path)
{
    for (size_t i = 0; i < nconf_entries; i++) {
        if (strcmp(conf_entries[i].mod->path, path) == 0)
            return &conf_entries[i];
    }
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

/* Whether `name` designates the configured module of `e`: one of its
 * `packages =` names, or its file name with or without ".so". */
static bool entry_matches(const struct conf_entry *e, const char *name)
{
    const char *base = base_name(e->mod->path);
    size_t blen = strlen(base);

    for (size_t i = 0; i < e->mod->npackages; i++) {
        if (strcasecmp(e->mod->packages[i], name) == 0)
            return true;
    }
    if (strcasecmp(base, name) == 0 || strcasecmp(base_name(e->mod->module), name) == 0)
        return true;
    return blen > 3 && strcmp(base + blen - 3, ".so") == 0 && strlen(name) == blen - 3 &&
           strncasecmp(base, name, blen - 3) == 0;
}

/* Position of a module file name in the default autoload order. */
static int autoload_rank(const char *name)
{
    static const char *const order[] = {"negotiate.so", "kerberos.so", "ntlm.so", "schannel.so",
                                        "sample.so"};

    for (int i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++) {
        if (strcmp(name, order[i]) == 0)
            return i;
    }
    return INT_MAX;
}

static int cmp_autoload(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int rx = autoload_rank(x), ry = autoload_rank(y);

    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x, y);
}

/* Load every *.so of `dir` not loaded yet, in the default order. */
static void autoload(const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;

    if (d == NULL) {
        sspi_trace("autoload: cannot open %s: %s", dir, strerror(errno));
        return;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        char **arr;

        if (ent->d_name[0] == '.' || len < 4 || strcmp(ent->d_name + len - 3, ".so") != 0)
            continue;
        arr = grow_array(names, &cap, n + 1, sizeof(*arr));
        if (arr == NULL)
            break;
        names = arr;
        if ((names[n] = strdup(ent->d_name)) == NULL)
            break;
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_autoload);
    sspi_trace("autoload: %zu module(s) in %s", n, dir);
    for (size_t i = 0; i < n; i++) {
        char *path = NULL;
        char *real;

        if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
            break;
        real = realpath(path, NULL);
        if (real != NULL) {
            free(path);
            path = real;
        }
        if (sspi_loader_find_module(path) == NULL)
            load_path(path, NULL, NULL);
        free(path);
        free(names[i]);
        names[i] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Read the configuration and load what it names that is not loaded yet.
 * load_lock held. */
static SECURITY_STATUS apply_config(bool initial)
{
    struct sspi_conf **kept;
    struct sspi_conf *c;
    const char *path;
    bool from_env = false;

    path = sspi_conf_main_path(&from_env);
    c = sspi_conf_load(path, from_env, NULL);
    if (initial)
        sspi_trace_configure(c ? c->debug : NULL);
    if (c == NULL) {
        sspi_trace("configuration %s: out of memory", path);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    kept = realloc(kept_confs, (nkept_confs + 1) * sizeof(*kept));
    if (kept == NULL) {
        sspi_conf_free(c);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    kept_confs = kept;
    kept_confs[nkept_confs++] = c;

    sspi_trace("configuration %s%s%s: %zu module block(s), drop-ins %s, package_dir %s", path,
               from_env ? " (LIBSSPI_CONFIG)" : "", c->file_found ? "" : " (not read)", c->nmodules,
               c->dropin_dir ? c->dropin_dir : "none", c->package_dir);
    hide_config_records();
    for (size_t i = 0; i < c->ndiags; i++) {
        const struct sspi_conf_diag *d = &c->diags[i];
        char *reason = NULL;

        if (d->line)
            sspi_trace("%s:%u: %s", d->file, d->line, d->message);
        else
            sspi_trace("%s: %s", d->file, d->message);
        if (asprintf(&reason, "config: %s", d->message) >= 0) {
            add_record(REC_CONFIG, NULL, d->file, d->line, NULL, SEC_E_INVALID_PARAMETER, reason);
            free(reason);
        }
    }
    sspi_accounts_configure(&c->accounts); /* accounts.c */
    cur_check_permissions = c->check_permissions;
    cur_package_dir = c->package_dir;
    if (!c->check_permissions)
        sspi_trace("permission checks off (check_permissions = no in %s)", path);

    for (size_t i = 0; i < c->nmodules; i++) {
        const struct sspi_conf_module *m = &c->modules[i];
        struct conf_entry *e = find_entry_by_path(m->path);

        if (e != NULL) {
            /* Known module: load it only if it was disabled and is now
             * enabled, or failed and has nothing loaded. */
            if (m->enabled && e->state == ENTRY_LOADED) {
                e->mod = m;
                resend_settings(m);
                continue;
            }
            if (!m->enabled || e->state == ENTRY_LOADED)
                continue;
            if (e->state == ENTRY_FAILED && sspi_loader_find_module(m->path) != NULL)
                continue;
            e->mod = m;
            load_entry(e, NULL);
            continue;
        }
        e = grow_array(conf_entries, &cap_conf_entries, nconf_entries + 1, sizeof(*e));
        if (e == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        conf_entries = e;
        e = &conf_entries[nconf_entries++];
        e->mod = m;
        if (!m->enabled) {
            e->state = ENTRY_DISABLED;
            sspi_trace("%s:%u: module %s disabled (enabled = no)", m->file, m->line, m->path);
            add_record(REC_DISABLED, m->path, m->file, m->line,
                       m->npackages ? m->packages[0] : NULL, SEC_E_CANNOT_INSTALL,
                       "disabled: enabled = no");
            continue;
        }
        if (sspi_loader_find_module(m->path) != NULL) {
            /* Loaded earlier by AddSecurityPackage. */
            e->state = ENTRY_LOADED;
            continue;
        }
        load_entry(e, NULL);
    }
    if (c->nmodules == 0 && c->autoload)
        autoload(c->package_dir);
    else if (c->nmodules == 0)
        sspi_trace("no module configured and autoload = no: no package loaded");
    return SEC_E_OK;
}

/* Take load_lock; false (nothing taken) when this thread holds it already,
 * i.e. a package being loaded calls back into libsspi. */
static bool load_begin(void)
{
    if (loading_here)
        return false;
    pthread_mutex_lock(&load_lock);
    loading_here = true;
    return true;
}

static void load_end(void)
{
    loading_here = false;
    pthread_mutex_unlock(&load_lock);
}

bool sspi_registry_loading_here(void)
{
    return loading_here;
}

bool sspi_registry_ready(void)
{
    return atomic_load_explicit(&init_done, memory_order_acquire) && !loading_here;
}

static void registry_init_once(void)
{
    if (!load_begin())
        return;
    apply_config(true);
    load_end();
    atomic_store_explicit(&init_done, true, memory_order_release);
}

/* Runs apply_config once (pthread_once) under the load lock; returns at
 * once when called back from package code this initialisation runs. */
void sspi_registry_init(void)
{
    if (atomic_load_explicit(&init_done, memory_order_acquire) || loading_here)
        return;
    pthread_once(&init_once, registry_init_once);
}

/* Reload the configuration (libsspi_reload_config): modules added to it
 * since the last read are loaded; loaded packages stay and get their
 * module block's option.* settings again.  Returns SEC_E_OK,
 * SEC_E_INSUFFICIENT_MEMORY, or SEC_E_INTERNAL_ERROR when called from a
 * package that is being loaded. */
SECURITY_STATUS sspi_registry_reload(void)
{
    SECURITY_STATUS st;

    sspi_registry_init();
    if (!load_begin()) {
        sspi_trace("libsspi_reload_config: called while a package loads on this thread; "
                   "refused");
        return SEC_E_INTERNAL_ERROR;
    }
    st = apply_config(false);
    load_end();
    return st;
}

static bool spec_is_path(const char *spec)
{
    size_t len = strlen(spec);

    return strchr(spec, '/') != NULL || (len > 3 && strcmp(spec + len - 3, ".so") == 0);
}

/* AddSecurityPackage with a module path.  load_lock held. */
static SECURITY_STATUS add_path(const char *spec)
{
    SECURITY_STATUS st = SEC_E_CANNOT_INSTALL;
    struct sspi_module *mod;
    struct conf_entry *e;
    char *joined = NULL, *real;
    const char *path;

    if (strchr(spec, '/') == NULL) {
        if (asprintf(&joined, "%s/%s", cur_package_dir, spec) < 0)
            return SEC_E_INSUFFICIENT_MEMORY;
    } else if ((joined = strdup(spec)) == NULL) {
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    real = realpath(joined, NULL);
    path = real ? real : joined;

    mod = sspi_loader_find_module(path);
    if (mod != NULL) {
        st = restore_module(mod) > 0 ? SEC_E_OK : SEC_E_CANNOT_INSTALL;
        sspi_trace("AddSecurityPackage %s: module already loaded", path);
        goto out;
    }
    e = find_entry_by_path(path);
    if (e != NULL)
        load_entry(e, &st);
    else
        load_path(path, NULL, &st);
out:
    free(real);
    free(joined);
    return st;
}

/* AddSecurityPackage with a package name.  load_lock held. */
static SECURITY_STATUS add_name(const char *name)
{
    SECURITY_STATUS st = SEC_E_SECPKG_NOT_FOUND;

    if (restore_by_name(name))
        return SEC_E_OK;
    for (size_t i = 0; i < nconf_entries; i++) {
        struct conf_entry *e = &conf_entries[i];

        if (e->state == ENTRY_LOADED || !entry_matches(e, name))
            continue;
        if (sspi_loader_find_module(e->mod->path) != NULL)
            continue;
        load_entry(e, &st);
        if (st == SEC_E_OK && sspi_registry_find_a(name) == NULL)
            sspi_trace("AddSecurityPackage %s: module %s loaded but has no package of that name",
                       name, e->mod->path);
        return st;
    }
    return st;
}

/* Takes the load lock; `opts` (Type, Flags) is only traced: nothing is
 * made permanent.  SEC_E_INTERNAL_ERROR when called from package code
 * that is being loaded on this thread. */
SECURITY_STATUS sspi_registry_add(const char *spec, const SECURITY_PACKAGE_OPTIONS *opts)
{
    SECURITY_STATUS st;

    sspi_registry_init();
    if (spec == NULL || spec[0] == '\0')
        return SEC_E_SECPKG_NOT_FOUND;
    if (opts != NULL)
        sspi_trace("AddSecurityPackage %s: options Type %u Flags %#x ignored", spec,
                   (unsigned)opts->Type, (unsigned)opts->Flags);
    if (!load_begin()) {
        sspi_trace("AddSecurityPackage %s: called while a package loads on this thread; "
                   "refused",
                   spec);
        return SEC_E_INTERNAL_ERROR;
    }
    st = spec_is_path(spec) ? add_path(spec) : add_name(spec);
    load_end();
    sspi_trace("AddSecurityPackage %s -> %s", spec,
               sspi_status_name(st) ? sspi_status_name(st) : "UNKNOWN");
    return st;
}

/* Lock-free apart from the lookup: sets `removed` atomically. */
SECURITY_STATUS sspi_registry_delete(const char *name_utf8)
{
    struct sspi_package *p;

    sspi_registry_init();
    if (name_utf8 == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    p = sspi_registry_find_a(name_utf8);
    if (p == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    atomic_store(&p->removed, true);
    sspi_trace("DeleteSecurityPackage %s: removed", p->name_utf8);
    return SEC_E_OK;
}

/* ---- report ------------------------------------------------------------- */

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *put_str(char **cursor, const char *s)
{
    char *d;
    size_t n;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    d = *cursor;
    memcpy(d, s, n);
    *cursor += n;
    return d;
}

/* Read lock while copying.  One sspi_mem_alloc block holds the array and
 * every string (at least one zeroed element, so the pointer is never NULL
 * on success); FreeContextBuffer frees it. */
SECURITY_STATUS sspi_registry_report(uint32_t *count, LIBSSPI_PACKAGE_REPORT **reports)
{
    static const char removed_reason[] = "removed: DeleteSecurityPackage";
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    LIBSSPI_PACKAGE_REPORT *out;
    size_t n = 0, strings = 0, i, k;
    char *cursor;

    *count = 0;
    *reports = NULL;
    sspi_registry_init();
    pthread_rwlock_rdlock(&reg_lock);
    for (i = 0; i < npackages; i++) {
        const struct sspi_package *p = packages[i];

        n++;
        strings += str_size(p->name_utf8) + str_size(p->comment_utf8) + str_size(p->module_path) +
                   str_size(p->config_file);
        if (atomic_load(&p->removed))
            strings += sizeof(removed_reason);
    }
    for (i = 0; i < nrecords; i++) {
        const struct record *r = &records[i];

        if (r->hidden)
            continue;
        n++;
        strings += str_size(r->name) + str_size(r->module) + str_size(r->config_file) +
                   str_size(r->reason);
    }
    out = sspi_mem_alloc((n ? n : 1) * sizeof(*out) + strings);
    if (out == NULL)
        goto out;
    cursor = (char *)(out + (n ? n : 1));
    k = 0;
    for (i = 0; i < npackages; i++) {
        const struct sspi_package *p = packages[i];
        LIBSSPI_PACKAGE_REPORT *r = &out[k++];

        r->Name = put_str(&cursor, p->name_utf8);
        r->Comment = put_str(&cursor, p->comment_utf8);
        r->Module = put_str(&cursor, p->module_path);
        r->ConfigFile = put_str(&cursor, p->config_file);
        r->ConfigLine = p->config_line;
        r->fCapabilities = p->info.fCapabilities;
        r->wVersion = p->info.wVersion;
        r->wRPCID = p->info.wRPCID;
        r->cbMaxToken = p->info.cbMaxToken;
        r->Shape = (uint32_t)p->shape;
        if (atomic_load(&p->removed)) {
            r->Status = SEC_E_SECPKG_NOT_FOUND;
            r->Reason = put_str(&cursor, removed_reason);
        } else {
            r->Status = SEC_E_OK;
            r->Reason = NULL;
        }
    }
    for (i = 0; i < nrecords; i++) {
        const struct record *rec = &records[i];
        LIBSSPI_PACKAGE_REPORT *r;

        if (rec->hidden)
            continue;
        r = &out[k++];
        r->Name = put_str(&cursor, rec->name);
        r->Comment = NULL;
        r->Module = put_str(&cursor, rec->module);
        r->ConfigFile = put_str(&cursor, rec->config_file);
        r->ConfigLine = rec->config_line;
        r->Shape = 0;
        r->Status = rec->status;
        r->Reason = put_str(&cursor, rec->reason);
    }
    *count = (uint32_t)n;
    *reports = out;
    st = SEC_E_OK;
out:
    pthread_rwlock_unlock(&reg_lock);
    return st;
}
