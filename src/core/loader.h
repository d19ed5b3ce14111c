/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader.h - interfaces shared by the package registry (registry.c), the
 * plugin loader (loader.c for SSP/AP modules, loader-provider.c for
 * InitSecurityInterface providers), the LSA services (lsa-services.c) and
 * tracing set-up.  Private to those files.
 *
 * The dependency runs one way: the registry calls the loader, and the
 * loader reaches the registry only through the struct sspi_loader_host a
 * request carries (so the loader can be built and tested with another
 * host, tests/check-loader-alone.c).
 *
 * Locking: every sspi_loader_* function runs with the registry's load
 * mutex held (registry.c takes it), so loading is serialised.  Publishing
 * a package takes the registry write lock briefly.
 */
#ifndef LIBSSPI_CORE_LOADER_H
#define LIBSSPI_CORE_LOADER_H

#include <stdarg.h>
#include <sys/types.h>

#include "core/config.h"
#include "core/core.h"

/* Most packages one module may declare (SpLsaModeInitialize count or a
 * provider's enumeration); more is taken as garbage. */
#define SSPI_LOADER_MAX_TABLES 64
/* Largest cbMaxToken accepted from a package (16 MiB). */
#define SSPI_LOADER_MAX_TOKEN (16u * 1024u * 1024u)
/* Longest mechanism OID accepted from SpGetExtendedInformation, in content
 * bytes (a DER short-form length). */
#define SSPI_LOADER_MAX_OID 127
/* Longest package name / comment accepted, in UTF-16 code units. */
#define SSPI_LOADER_MAX_NAME    256
#define SSPI_LOADER_MAX_COMMENT 1024

/* One dlopen()ed object.  Never freed or closed once a package from it is
 * published. */
struct sspi_module {
    char *path; /* absolute path as loaded */
    void *dl;   /* dlopen() handle */
    void *base; /* address it is loaded at (dladdr's dli_fbase) */
    dev_t dev;  /* identity of the file, to spot reloads */
    ino_t ino;
    enum sspi_pkg_shape shape;
    uint32_t npackages; /* packages published from it */
    struct sspi_module *next;
};

/* What the loader needs from whoever keeps the packages (registry.c).
 * Every callback runs with the load lock held. */
struct sspi_loader_host {
    /* Next PackageId (never reused). */
    uint32_t (*next_id)(void);
    /* Whether a live package has this name (case-insensitive). */
    bool (*name_taken)(const char16_t *name);
    /* Take a fully initialised package; false if out of memory (it is then
     * not published and stays the loader's). */
    bool (*publish)(struct sspi_package *pkg);
    /* Record a refusal (strings copied; any may be NULL but reason). */
    void (*record_failure)(const char *module, const char *config_file, uint32_t config_line,
                           const char *name, SECURITY_STATUS status, const char *reason);
    /* A live package by UTF-8 name, or NULL. */
    struct sspi_package *(*find)(const char *name_utf8);
    /* Offered to every SSP/AP package after its settings
     * (SpSetExtendedInformation(SecpkgLibsspiHost)); NULL: not offered. */
    const SECPKG_LIBSSPI_HOST_SERVICES *services;
};

/* What to load and with which settings. */
struct sspi_load_request {
    const struct sspi_loader_host *host;
    const char *path;        /* module path (absolute if known) */
    const char *config_file; /* NULL if not from the configuration */
    uint32_t config_line;
    char *const *only; /* `packages =` filter, or NULL */
    size_t nonly;
    const struct sspi_conf_option *options; /* `option.*` settings */
    size_t noptions;
    bool check_permissions;
};

/* ---- loader.c / loader-provider.c (load lock) --------------------------- */

/*
 * Load every package of the module `req->path` and publish those that
 * initialise.  Each refusal is traced and recorded with its reason (see
 * sspi_registry_record_failure).  Returns the number of packages published
 * (0: the module gave none).  *status (may be NULL) receives SEC_E_OK when
 * at least one package was published, SEC_E_SECPKG_NOT_FOUND when the file
 * does not exist, otherwise SEC_E_CANNOT_INSTALL.  The package's own status
 * of a failed step is in the failure record, unmapped.
 */
SSPI_HIDDEN uint32_t sspi_loader_load(const struct sspi_load_request *req, SECURITY_STATUS *status);

/* The already-loaded module with the identity of `path`, or NULL. */
SSPI_HIDDEN struct sspi_module *sspi_loader_find_module(const char *path);

/* Send req's option.* settings (and configuration file) to a loaded SSP/AP
 * package again through SpSetExtendedInformation(SecpkgLibsspiConfig), as
 * at load time; a refusal is traced and ignored.  Provider-shape packages
 * have no settings.  Load lock held. */
SSPI_HIDDEN void sspi_loader_send_settings(const struct sspi_load_request *req,
                                           struct sspi_package *pkg);

/*
 * Provider-shape loading (loader-provider.c): enumerate the packages of an
 * InitSecurityInterfaceW/A provider whose entry points are given (either
 * may be NULL) and publish them.  Returns the number published; refusals
 * are recorded.
 */
SSPI_HIDDEN uint32_t sspi_loader_load_provider(struct sspi_module *mod,
                                               const struct sspi_load_request *req, void *init_w,
                                               void *init_a);

/* Record and trace a refusal "file: step: detail" (loader.c).  `name` is
 * the UTF-8 package name, NULL if not known yet. */
SSPI_HIDDEN void sspi_loader_fail(const struct sspi_load_request *req, const char *name,
                                  SECURITY_STATUS st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Whether the package `name_utf8` passes the request's `packages =` filter. */
SSPI_HIDDEN bool sspi_loader_selected(const struct sspi_load_request *req, const char *name_utf8);

/*
 * Fill pkg->name/name_utf8/comment/comment_utf8 and pkg->info from a
 * package's SecPkgInfoW (strings copied; `info` is not kept; a comment
 * longer than SSPI_LOADER_MAX_COMMENT is cut).  Refuses a NULL, empty or
 * over-long name, invalid UTF-16 or an absurd cbMaxToken: then writes the
 * reason into why[whylen] and returns false, leaving pkg->name_utf8 set if
 * the name itself was valid (for the failure record); the caller frees the
 * package with sspi_loader_discard.
 */
SSPI_HIDDEN bool sspi_loader_set_info(struct sspi_package *pkg, const SecPkgInfoW *info, char *why,
                                      size_t whylen);

/* Free a package that was never published. */
SSPI_HIDDEN void sspi_loader_discard(struct sspi_package *pkg);

/* ---- elf-probe.c --------------------------------------------------------- */

/*
 * Read the dynamic symbol table of the shared object open on `fd` (a
 * regular file; nothing of it is run) and set found[i] for each of the
 * `count` names it defines as an exported function.  Returns false, with
 * every found[i] false, when the file is not an ELF shared object of this
 * process's class and byte order with section headers, or is malformed.
 * Reads only inside the file; allocates at most a few MiB.
 */
SSPI_HIDDEN bool sspi_elf_defines(int fd, const char *const *names, size_t count, bool *found);

/* ---- registry.c --------------------------------------------------------- */

/* Re-read the configuration and load what was added to it
 * (libsspi_reload_config).  Returns SEC_E_OK, SEC_E_INSUFFICIENT_MEMORY,
 * or SEC_E_INTERNAL_ERROR when called from package code being loaded. */
SSPI_HIDDEN SECURITY_STATUS sspi_registry_reload(void);

/* ---- trace.c ------------------------------------------------------------ */

/* Turn tracing on from LIBSSPI_DEBUG, else from the configuration's
 * `debug =` value (may be NULL).  Effective once; later calls do nothing. */
SSPI_HIDDEN void sspi_trace_configure(const char *config_value);

/* ---- lsa-services.c ----------------------------------------------------- */

/* The SECPKG_PARAMETERS to hand to SpInitialize (standalone machine, no
 * domain): one static block, reset to its initial values by each call
 * (load lock), so what one package did to it never reaches the next. */
SSPI_HIDDEN PSECPKG_PARAMETERS sspi_lsa_fresh_parameters(void);

#endif
