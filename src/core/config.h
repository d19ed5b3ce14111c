/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.h - the libsspi configuration file parser (sspi.conf and its
 * packages.d drop-ins).
 *
 * The parser is pure: it reads files and returns what they say plus a list
 * of diagnostics ("file:line: reason"); it loads nothing and logs nothing.
 * The registry decides what to do with the result.  Errors are never
 * fatal: a bad line is skipped, a bad module block or drop-in is dropped.
 *
 * Syntax (sspi.conf(5)): `key = value` lines; blank lines and lines whose
 * first non-blank character is '#' are ignored ('#' elsewhere is part of
 * the value, so paths may contain it); surrounding blanks of keys and
 * values are trimmed; lines longer than SSPI_CONF_MAX_LINE bytes are
 * rejected.  Global keys come before the first `[module]` header; each
 * `[module]` starts a module block.  A drop-in file is one module block
 * (an optional `[module]` first line is accepted).
 */
#ifndef LIBSSPI_CORE_CONFIG_H
#define LIBSSPI_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "config-paths.h" /* SYSCONFDIR, PKGLIBDIR, PACKAGESDIR */
#include "core/config-accounts.h"

/* The system configuration file, used when LIBSSPI_CONFIG is not set. */
#define SSPI_CONF_SYSTEM_FILE SYSCONFDIR "/libsspi/sspi.conf"
/* Longest accepted line, in bytes, without the newline. */
#define SSPI_CONF_MAX_LINE 4096
/* Most module blocks accepted (sspi.conf and drop-ins together). */
#define SSPI_CONF_MAX_MODULES 256

#define SSPI_CONF_HIDDEN __attribute__((visibility("hidden")))

/* One `option.KEY = VALUE` line of a module block. */
struct sspi_conf_option {
    char *key;   /* KEY, without the "option." prefix */
    char *value; /* may be empty */
};

/* One module block: a `[module]` section of sspi.conf or a drop-in file. */
struct sspi_conf_module {
    char *file;      /* file holding the block */
    uint32_t line;   /* its `[module]` line, or the `module =` line of a
                        drop-in (1 if the drop-in has none) */
    char *module;    /* `module =` value as written */
    char *path;      /* resolved path: relative values are taken from
                        package_dir, then made canonical if they exist */
    char **packages; /* `packages =` names (npackages of them), or NULL:
                        register every package of the module */
    size_t npackages;
    bool enabled; /* `enabled =`, default true */
    struct sspi_conf_option *options;
    size_t noptions;
};

/* One problem found while reading the configuration. */
struct sspi_conf_diag {
    char *file;    /* never NULL */
    uint32_t line; /* 0 when about the whole file */
    char *message; /* without the "file:line: " prefix */
};

/* Everything the configuration says.  Free with sspi_conf_free(). */
struct sspi_conf {
    char *file;                         /* main configuration file read */
    bool from_env;                      /* it was named by LIBSSPI_CONFIG */
    bool file_found;                    /* it existed and was read */
    char *package_dir;                  /* never NULL */
    char *dropin_dir;                   /* NULL for `dropin_dir = none` */
    bool autoload;                      /* default true */
    bool check_permissions;             /* default true; false only from LIBSSPI_CONFIG */
    char *debug;                        /* `debug =` value or NULL */
    struct sspi_conf_accounts accounts; /* domain, realm, impersonation, account_* */
    struct sspi_conf_module *modules;   /* sspi.conf blocks in file order,
                                           then drop-ins in name order */
    size_t nmodules;
    struct sspi_conf_diag *diags;
    size_t ndiags;
};

/*
 * Read the configuration whose main file is `path`: its global keys, its
 * module blocks and the drop-ins of its drop-in directory.  `from_env` says
 * the file came from LIBSSPI_CONFIG (only then is `check_permissions = no`
 * honoured).  `default_package_dir` is used when the file sets none (NULL:
 * PACKAGESDIR).  A missing main file gives the defaults (with a diagnostic
 * if from_env).  When permission checks are on, a file that is
 * group/world-writable or owned by another non-root user is ignored with a
 * diagnostic.  Returns NULL only when out of memory.
 */
SSPI_CONF_HIDDEN struct sspi_conf *sspi_conf_load(const char *path, bool from_env,
                                                  const char *default_package_dir);

/* Free a configuration returned by sspi_conf_load (NULL is ignored). */
SSPI_CONF_HIDDEN void sspi_conf_free(struct sspi_conf *conf);

/*
 * The main configuration file to read: LIBSSPI_CONFIG if set and non-empty
 * (read with secure_getenv, so ignored in set-user-ID programs; *from_env
 * is set true), else SSPI_CONF_SYSTEM_FILE.  Returns a static or
 * environment string; do not free.
 */
SSPI_CONF_HIDDEN const char *sspi_conf_main_path(bool *from_env);

/*
 * Whether a file with status `st` may be trusted as configuration or code:
 * a regular file, not writable by group or others, owned by root or by the
 * effective user.  On refusal writes the reason into why[whylen] and
 * returns false.
 */
SSPI_CONF_HIDDEN bool sspi_conf_file_trusted(const struct stat *st, char *why, size_t whylen);

/*
 * Whether `path` names a regular file (following symbolic links), checked
 * without opening it: a FIFO, device, socket or directory is refused with
 * the reason ("not a regular file (a FIFO)") in why[whylen], as is a file
 * that cannot be stat()ed (errno is left as stat(2) set it).  *st receives
 * its status on success.
 */
SSPI_CONF_HIDDEN bool sspi_conf_regular_file(const char *path, struct stat *st, char *why,
                                             size_t whylen);

/*
 * Open `path` for reading only if it is a regular file: checked before the
 * open (sspi_conf_regular_file), opened with O_NONBLOCK so nothing can
 * block, then checked again with fstat(2) (same file, still regular).
 * Returns the descriptor (O_CLOEXEC, blocking mode restored) with its
 * status in *st, or -1 with the reason in why[whylen] (errno ENOENT when
 * the file does not exist).
 */
SSPI_CONF_HIDDEN int sspi_conf_open_regular(const char *path, struct stat *st, char *why,
                                            size_t whylen);

/* Parse a yes/no value (yes/no, true/false, on/off, 1/0, any case).
 * Returns false if `s` is none of these. */
SSPI_CONF_HIDDEN bool sspi_conf_parse_bool(const char *s, bool *out);

#endif
