/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-options.h - a package's `option.KEY = VALUE` settings.
 *
 * The host passes the settings of the package's module block through
 * SpSetExtendedInformation(SecpkgLibsspiConfig) at load time and on every
 * configuration reload; the kit's slot (pkg-entry.h) hands them to the
 * descriptor's `struct pkg_options`.  A package lists its keys once in a
 * table of `struct pkg_option_def` over a plain struct of its own:
 *
 *     struct example_settings { uint32_t lifetime; bool verbose; char *keytab; };
 *     static const struct example_settings example_defaults = { .lifetime = 0 };
 *     static const struct pkg_option_def example_defs[] = {
 *         PKG_OPTION_SECONDS("lifetime", struct example_settings, lifetime, 0, 315360000),
 *         PKG_OPTION_BOOL("verbose", struct example_settings, verbose),
 *         PKG_OPTION_PATH("keytab", struct example_settings, keytab),
 *     };
 *     PKG_OPTIONS(example_options, struct example_settings, example_defs, &example_defaults);
 *
 * Each call to pkg_options_apply starts again from the defaults (a setting
 * removed from the file is gone after a reload), applies every valid
 * setting and reports STATUS_INVALID_PARAMETER if any was refused (unknown
 * key, bad value, NULL key or value).  Readers take a private copy with
 * pkg_options_get; one mutex guards the current values and is never taken
 * on the per-message path.
 *
 * Value syntax:
 *   BOOL     yes/no, true/false, on/off, 1/0 (any case)
 *   UINT     decimal, within [min, max]
 *   SECONDS  decimal seconds with an optional unit s, m, h or d
 *            ("90", "15m", "8h", "1d"), within [min, max] seconds
 *   STRING   any text, empty allowed (stored as NULL)
 *   SECRET   like STRING, wiped from memory when replaced or released
 *   PATH     non-empty; a relative path is taken relative to the
 *            directory of the configuration file that set it
 *   ENUM     one of `names` (any case); stored as its index (int)
 */
#ifndef LIBSSPI_PKG_OPTIONS_H
#define LIBSSPI_PKG_OPTIONS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"

enum pkg_option_type {
    PKG_OPT_BOOL,    /* bool */
    PKG_OPT_UINT,    /* uint32_t */
    PKG_OPT_SECONDS, /* uint32_t */
    PKG_OPT_STRING,  /* char * (malloc()ed) */
    PKG_OPT_SECRET,  /* char * (malloc()ed, wiped) */
    PKG_OPT_PATH,    /* char * (malloc()ed) */
    PKG_OPT_ENUM,    /* int */
};

struct pkg_option_def {
    const char *key; /* without "option." */
    enum pkg_option_type type;
    size_t offset;            /* of the field in the settings struct */
    uint64_t min, max;        /* UINT, SECONDS */
    const char *const *names; /* ENUM: NULL-terminated */
};

#define PKG_OPTION_BOOL(k, T, f)                                                                   \
    {                                                                                              \
        (k), PKG_OPT_BOOL, offsetof(T, f), 0, 0, NULL                                              \
    }
#define PKG_OPTION_UINT(k, T, f, lo, hi)                                                           \
    {                                                                                              \
        (k), PKG_OPT_UINT, offsetof(T, f), (lo), (hi), NULL                                        \
    }
#define PKG_OPTION_SECONDS(k, T, f, lo, hi)                                                        \
    {                                                                                              \
        (k), PKG_OPT_SECONDS, offsetof(T, f), (lo), (hi), NULL                                     \
    }
#define PKG_OPTION_STRING(k, T, f)                                                                 \
    {                                                                                              \
        (k), PKG_OPT_STRING, offsetof(T, f), 0, 0, NULL                                            \
    }
#define PKG_OPTION_SECRET(k, T, f)                                                                 \
    {                                                                                              \
        (k), PKG_OPT_SECRET, offsetof(T, f), 0, 0, NULL                                            \
    }
#define PKG_OPTION_PATH(k, T, f)                                                                   \
    {                                                                                              \
        (k), PKG_OPT_PATH, offsetof(T, f), 0, 0, NULL                                              \
    }
#define PKG_OPTION_ENUM(k, T, f, names)                                                            \
    {                                                                                              \
        (k), PKG_OPT_ENUM, offsetof(T, f), 0, 0, (names)                                           \
    }

/* A package's settings: the table, the defaults and the current values. */
struct pkg_options {
    const struct pkg_option_def *defs;
    size_t ndefs;
    size_t size;          /* sizeof the settings struct */
    const void *defaults; /* string fields: NULL or static text (copied) */
    void *current;        /* `size` bytes of storage, guarded by `lock` */
    pthread_mutex_t lock;
    bool loaded; /* current holds copies of the defaults or settings */
};

/* Define `name` (a struct pkg_options) for settings struct T. */
#define PKG_OPTIONS(name, T, defs_, defaults_)                                                     \
    static T name##_current_;                                                                      \
    struct pkg_options name = {                                                                    \
        (defs_),          sizeof(defs_) / sizeof((defs_)[0]), sizeof(T), (defaults_),              \
        &name##_current_, PTHREAD_MUTEX_INITIALIZER,          false}

/* Replace the current values: the defaults, then every valid setting of
 * `cfg` (cfg->ConfigFile anchors relative paths).  STATUS_SUCCESS, or
 * STATUS_INVALID_PARAMETER when a setting was refused or `cfg` is
 * malformed (SettingCount > 0 with no Settings), STATUS_NO_MEMORY. */
NTSTATUS pkg_options_apply(struct pkg_options *o, const SECPKG_LIBSSPI_CONFIG *cfg);

/* Copy the current values (the defaults if none were applied) into
 * `snapshot` (`o->size` bytes; strings are the caller's copies).  false if
 * out of memory (nothing to release then). */
bool pkg_options_get(struct pkg_options *o, void *snapshot);

/* Free (and wipe, for secrets) the strings of a snapshot and zero it. */
void pkg_options_release(const struct pkg_options *o, void *snapshot);

/* The single-value parsers behind the table (also for packages that parse
 * a setting themselves).  false for a malformed or out-of-range value. */
bool pkg_parse_bool(const char *v, bool *out);
bool pkg_parse_uint(const char *v, uint64_t min, uint64_t max, uint64_t *out);
bool pkg_parse_seconds(const char *v, uint64_t min, uint64_t max, uint64_t *out);
/* A malloc()ed path (resolved against the directory of `config_file` when
 * relative and config_file is not NULL), or NULL if empty or out of
 * memory. */
char *pkg_parse_path(const char *v, const char *config_file);
/* The index of `v` in the NULL-terminated `names` (any case), or -1. */
int pkg_parse_enum(const char *v, const char *const *names);

#endif
