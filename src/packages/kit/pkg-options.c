/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-options.c - option.* settings: value parsers and the table-driven
 * store (see pkg-options.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "packages/kit/pkg-options.h"

bool pkg_parse_bool(const char *v, bool *out)
{
    static const struct {
        const char *word;
        bool value;
    } words[] = {{"yes", true}, {"no", false},  {"true", true}, {"false", false},
                 {"on", true},  {"off", false}, {"1", true},    {"0", false}};

    for (size_t i = 0; v != NULL && i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcasecmp(v, words[i].word) == 0) {
            *out = words[i].value;
            return true;
        }
    }
    return false;
}

/* Decimal digits at *s into *out (no sign, no spaces, no overflow). */
static bool parse_digits(const char **s, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;

    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *s = p;
    *out = v;
    return true;
}

bool pkg_parse_uint(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t n;

    if (v == NULL || !parse_digits(&v, &n) || *v != '\0' || n < min || n > max)
        return false;
    *out = n;
    return true;
}

bool pkg_parse_seconds(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t n, unit = 1;

    if (v == NULL || !parse_digits(&v, &n))
        return false;
    switch (*v) {
    case '\0':
    case 's':
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    default:
        return false;
    }
    if (*v != '\0' && v[1] != '\0')
        return false;
    if (n > UINT64_MAX / unit || n * unit < min || n * unit > max)
        return false;
    *out = n * unit;
    return true;
}

char *pkg_parse_path(const char *v, const char *config_file)
{
    const char *slash;
    char *p;
    size_t dir;

    if (v == NULL || *v == '\0')
        return NULL;
    if (v[0] == '/' || config_file == NULL || (slash = strrchr(config_file, '/')) == NULL)
        return strdup(v);
    dir = (size_t)(slash - config_file) + 1;
    p = malloc(dir + strlen(v) + 1);
    if (p != NULL) {
        memcpy(p, config_file, dir);
        strcpy(p + dir, v);
    }
    return p;
}

int pkg_parse_enum(const char *v, const char *const *names)
{
    if (v == NULL || names == NULL)
        return -1;
    for (int i = 0; names[i] != NULL; i++)
        if (strcasecmp(v, names[i]) == 0)
            return i;
    return -1;
}

/* ---- the store ------------------------------------------------------------- */

static bool is_string(enum pkg_option_type t)
{
    return t == PKG_OPT_STRING || t == PKG_OPT_SECRET || t == PKG_OPT_PATH;
}

static char **field_str(void *base, const struct pkg_option_def *d)
{
    return (char **)((uint8_t *)base + d->offset);
}

static void free_str(char **s, bool secret)
{
    if (*s != NULL && secret)
        explicit_bzero(*s, strlen(*s));
    free(*s);
    *s = NULL;
}

/* Free the strings of a settings struct laid out by `o`, then zero it. */
static void clear_values(const struct pkg_options *o, void *base)
{
    for (size_t i = 0; i < o->ndefs; i++)
        if (is_string(o->defs[i].type))
            free_str(field_str(base, &o->defs[i]), o->defs[i].type == PKG_OPT_SECRET);
    explicit_bzero(base, o->size);
}

/* Copy `src` into `dst` (both laid out by `o`), duplicating strings;
 * false if out of memory (dst is then cleared). */
static bool copy_values(const struct pkg_options *o, void *dst, const void *src)
{
    memcpy(dst, src, o->size);
    for (size_t i = 0; i < o->ndefs; i++) {
        if (is_string(o->defs[i].type))
            *field_str(dst, &o->defs[i]) = NULL;
    }
    for (size_t i = 0; i < o->ndefs; i++) {
        const struct pkg_option_def *d = &o->defs[i];
        const char *s;

        if (!is_string(d->type))
            continue;
        s = *field_str((void *)src, d);
        if (s != NULL && (*field_str(dst, d) = strdup(s)) == NULL) {
            clear_values(o, dst);
            return false;
        }
    }
    return true;
}

/* Apply one setting to `base`; false if refused. */
static bool apply_one(const struct pkg_option_def *d, void *base, const char *v, const char *file)
{
    uint8_t *field = (uint8_t *)base + d->offset;
    uint64_t n;
    bool b;
    int e;
    char *s;

    switch (d->type) {
    case PKG_OPT_BOOL:
        if (!pkg_parse_bool(v, &b))
            return false;
        *(bool *)field = b;
        return true;
    case PKG_OPT_UINT:
    case PKG_OPT_SECONDS:
        if (d->type == PKG_OPT_UINT ? !pkg_parse_uint(v, d->min, d->max, &n)
                                    : !pkg_parse_seconds(v, d->min, d->max, &n))
            return false;
        if (n > UINT32_MAX)
            return false;
        *(uint32_t *)field = (uint32_t)n;
        return true;
    case PKG_OPT_ENUM:
        if ((e = pkg_parse_enum(v, d->names)) < 0)
            return false;
        *(int *)field = e;
        return true;
    case PKG_OPT_PATH:
        if ((s = pkg_parse_path(v, file)) == NULL)
            return false;
        break;
    default: /* STRING, SECRET */
        s = NULL;
        if (*v != '\0' && (s = strdup(v)) == NULL)
            return false;
        break;
    }
    free_str((char **)field, d->type == PKG_OPT_SECRET);
    *(char **)field = s;
    return true;
}

static const struct pkg_option_def *find_def(const struct pkg_options *o, const char *key)
{
    for (size_t i = 0; i < o->ndefs; i++)
        if (strcmp(o->defs[i].key, key) == 0)
            return &o->defs[i];
    return NULL;
}

/* Make `current` hold copies of the defaults (lock held). */
static bool load_defaults(struct pkg_options *o)
{
    if (o->loaded)
        clear_values(o, o->current);
    o->loaded = copy_values(o, o->current, o->defaults);
    return o->loaded;
}

NTSTATUS pkg_options_apply(struct pkg_options *o, const SECPKG_LIBSSPI_CONFIG *cfg)
{
    NTSTATUS st = STATUS_SUCCESS;

    if (cfg == NULL || (cfg->SettingCount > 0 && cfg->Settings == NULL))
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&o->lock);
    if (!load_defaults(o)) {
        pthread_mutex_unlock(&o->lock);
        return STATUS_NO_MEMORY;
    }
    for (ULONG i = 0; i < cfg->SettingCount; i++) {
        const char *k = cfg->Settings[i].Key, *v = cfg->Settings[i].Value;
        const struct pkg_option_def *d = k != NULL ? find_def(o, k) : NULL;

        if (d == NULL || v == NULL || !apply_one(d, o->current, v, cfg->ConfigFile))
            st = STATUS_INVALID_PARAMETER;
    }
    pthread_mutex_unlock(&o->lock);
    return st;
}

bool pkg_options_get(struct pkg_options *o, void *snapshot)
{
    bool ok;

    pthread_mutex_lock(&o->lock);
    ok = o->loaded || load_defaults(o);
    if (ok)
        ok = copy_values(o, snapshot, o->current);
    pthread_mutex_unlock(&o->lock);
    return ok;
}

void pkg_options_release(const struct pkg_options *o, void *snapshot)
{
    clear_values(o, snapshot);
}
