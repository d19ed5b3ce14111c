/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * core.h - internal interfaces shared by the files of libsspi.la.
 *
 * The core is split by area: the package registry and loader (registry.c,
 * loader*.c, lsa-services.c, config.c), the handle table (handle.c), the
 * SSPI entry points (api-*.c), memory handed to callers (memory.c), status
 * mapping and names (status.c), tracing (trace.c) and the libsspi.h extras
 * (extras.c).  Nothing here is exported: the version script exports only
 * the Windows API names and the libsspi_* extras.
 */
#ifndef LIBSSPI_CORE_H
#define LIBSSPI_CORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "libsspi.h"

#define SSPI_HIDDEN __attribute__((visibility("hidden")))

/* ------------------------------------------------------------------------ */
/* Packages (registry.c, loader*.c)                                          */

enum sspi_pkg_shape {
    SSPI_SHAPE_SSPAP = LIBSSPI_SHAPE_SSPAP,       /* SpLsaModeInitialize plugin */
    SSPI_SHAPE_PROVIDER = LIBSSPI_SHAPE_PROVIDER, /* InitSecurityInterface plugin */
};

struct sspi_module;  /* one dlopen()ed object; private to the loader */
struct sspi_pkg_ops; /* how the core calls a package (dispatch.h) */

/*
 * One loaded package.  Created by the loader, owned by the registry, and
 * never freed while the library is loaded (contexts keep raw pointers to
 * it); DeleteSecurityPackage only sets `removed`, which hides it from name
 * lookup and enumeration and makes new credential acquisition fail.
 * Every field except `removed` is immutable once the package is published.
 */
struct sspi_package {
    uint32_t id; /* PackageId handed to SpInitialize */
    enum sspi_pkg_shape shape;
    char16_t *name; /* NUL-terminated UTF-16 */
    char *name_utf8;
    char16_t *comment; /* may be an empty string, never NULL */
    char *comment_utf8;
    SecPkgInfoW info; /* Name/Comment point at name/comment */

    /* SSP/AP shape.  Tables are zero-filled copies owned by the core; the
     * loader copied no member beyond the version the package returned, so a
     * NULL slot means "not implemented" (SEC_E_UNSUPPORTED_FUNCTION). */
    uint32_t lsa_version;
    SECPKG_FUNCTION_TABLE lsa;
    bool has_user; /* SpUserModeInitialize gave a table */
    uint32_t user_version;
    SECPKG_USER_FUNCTION_TABLE user;

    /* Provider shape: the provider's own tables (either may be NULL). */
    const SecurityFunctionTableW *prov_w;
    const SecurityFunctionTableA *prov_a;

    /* Set when the package is published (dispatch.h): the operations of
     * its shape, and its per-message functions (Context unused here; a
     * NULL function means SEC_E_UNSUPPORTED_FUNCTION). */
    const struct sspi_pkg_ops *ops;
    SECPKG_LIBSSPI_MESSAGE_TARGET msg;

    /* DER encoding (06 len value) of the mechanism OID the package gave in
     * SpGetExtendedInformation(SecpkgGssInfo) when it was loaded, or NULL. */
    unsigned char *mech_oid;
    uint32_t mech_oid_len;

    struct sspi_module *module;
    const char *module_path; /* absolute path, owned by the module */
    const char *config_file; /* NULL when autoloaded or added at run time */
    uint32_t config_line;

    atomic_bool removed;
};

/* Load configuration and packages exactly once (pthread_once).  Every entry
 * point calls it first; cheap after the first call.  Never fails: packages
 * that do not load are recorded with their reason.  Called back from
 * package code that a load on this thread is running, it returns at once
 * (the caller sees the packages published so far). */
SSPI_HIDDEN void sspi_registry_init(void);

/* Whether this thread is loading packages (package code of a load may be
 * running below the caller). */
SSPI_HIDDEN bool sspi_registry_loading_here(void);

/* Whether the first load has finished and this thread is not loading:
 * then a call into the registry never waits for a load. */
SSPI_HIDDEN bool sspi_registry_ready(void);

/* Find a live (not removed) package by name, ASCII case-insensitively.
 * Returns NULL if none.  The pointer stays valid for the life of the
 * library.  Takes the registry read lock briefly. */
SSPI_HIDDEN struct sspi_package *sspi_registry_find_w(const char16_t *name);
SSPI_HIDDEN struct sspi_package *sspi_registry_find_a(const char *name);

/* Copy the list of live packages into a malloc()ed array (free() it).
 * Returns SEC_E_OK or SEC_E_INSUFFICIENT_MEMORY; *count may be 0. */
SSPI_HIDDEN SECURITY_STATUS sspi_registry_snapshot(struct sspi_package ***pkgs, uint32_t *count);

/* AddSecurityPackage: `spec` (UTF-8) is a path to a shared object (contains
 * a '/' or ends in ".so") or the name of a package configured but not loaded
 * (disabled or failed earlier).  SEC_E_OK if at least one package loaded;
 * SEC_E_SECPKG_NOT_FOUND if the spec names nothing; SEC_E_CANNOT_INSTALL if
 * the module loaded no package (reason recorded for libsspi_query_packages). */
SSPI_HIDDEN SECURITY_STATUS sspi_registry_add(const char *spec,
                                              const SECURITY_PACKAGE_OPTIONS *opts);

/* DeleteSecurityPackage: mark the named package removed.  Existing handles
 * keep working; new lookups fail.  SEC_E_SECPKG_NOT_FOUND if no such live
 * package. */
SSPI_HIDDEN SECURITY_STATUS sspi_registry_delete(const char *name_utf8);

/* Report every package and every failed load (libsspi_query_packages). */
SSPI_HIDDEN SECURITY_STATUS sspi_registry_report(uint32_t *count, LIBSSPI_PACKAGE_REPORT **reports);

/* ------------------------------------------------------------------------ */
/* Call attributes seen by packages through LSA GetCallInfo (lsa-services.c). */

/* SECPKG_CALL_* bits of the API call in progress on this thread (the A entry
 * points set SECPKG_CALL_ANSI for the duration of the package call). */
SSPI_HIDDEN extern _Thread_local uint32_t sspi_call_attributes;

/* The services table handed to every SSP/AP package (host-services.c). */
SSPI_HIDDEN extern const SECPKG_LIBSSPI_HOST_SERVICES sspi_host_services;

/* The package-to-package CallPackage services (api-lsa.c). */
SSPI_HIDDEN LSA_CALL_PACKAGE sspi_lsa_call_package;
SSPI_HIDDEN LSA_CALL_PACKAGEEX sspi_lsa_call_package_ex;
SSPI_HIDDEN LSA_CALL_PACKAGE_PASSTHROUGH sspi_lsa_call_package_passthrough;

/* The LSA and DLL service tables handed to packages (lsa-services.c). */
SSPI_HIDDEN extern LSA_SECPKG_FUNCTION_TABLE sspi_lsa_functions;
SSPI_HIDDEN extern SECPKG_DLL_FUNCTIONS sspi_dll_functions;

/* ------------------------------------------------------------------------ */
/* Memory handed to callers (memory.c)                                       */

/* Zeroed allocation that FreeContextBuffer can free.  The same allocator
 * backs AllocateLsaHeap, AllocateClientBuffer and SECPKG_DLL_FUNCTIONS
 * AllocateHeap, so anything a package hands out can be freed by the caller.
 * Memory is wiped on free.  Returns NULL on failure or if size is 0 and
 * cannot be represented. */
SSPI_HIDDEN void *sspi_mem_alloc(size_t size);
/* Free memory from sspi_mem_alloc (NULL is ignored).  Returns false, and
 * frees nothing, if ptr was not allocated by sspi_mem_alloc or was already
 * freed (FreeContextBuffer then reports SEC_E_INVALID_HANDLE). */
SSPI_HIDDEN bool sspi_mem_free(void *ptr);
/* Watch `ptr` (a live sspi_mem_alloc block) on the calling thread until
 * sspi_mem_unwatch: returns whether it was freed in between, through any
 * path that ends in sspi_mem_free (FreeContextBuffer, the LSA and user-mode
 * heap functions).  One watch per thread; no lock. */
SSPI_HIDDEN void sspi_mem_watch(const void *ptr);
/* How many sspi_mem_alloc blocks are live (tests: what a step leaves). */
SSPI_HIDDEN size_t sspi_mem_live(void);
SSPI_HIDDEN bool sspi_mem_unwatch(void);
/* Size requested from sspi_mem_alloc for `ptr`, or 0 if it is not a live
 * block of ours (0-byte blocks also report 0). */
SSPI_HIDDEN size_t sspi_mem_size(const void *ptr);
/* Whether `ptr` is a live sspi_mem_alloc block (never reads memory that is
 * not); its requested size in *size (may be NULL).  Takes the set lock. */
SSPI_HIDDEN bool sspi_mem_lookup(const void *ptr, size_t *size);
SSPI_HIDDEN char *sspi_mem_strdup(const char *s);
SSPI_HIDDEN char16_t *sspi_mem_u16dup(const char16_t *s);

/* ------------------------------------------------------------------------ */
/* Status (status.c)                                                         */

/* Map what a package returned to the caller's SECURITY_STATUS: facility-9
 * SEC_* values and success pass through, STATUS_* values are translated
 * (the one place NTSTATUS is mapped), anything else passes through. */
SSPI_HIDDEN SECURITY_STATUS sspi_status_from_nt(NTSTATUS st);
/* "SEC_E_OK", "STATUS_NO_MEMORY", ... or NULL if unknown. */
SSPI_HIDDEN const char *sspi_status_name(int32_t st);
SSPI_HIDDEN const char *sspi_status_message(int32_t st);

/* ------------------------------------------------------------------------ */
/* Tracing (trace.c).  Silent unless LIBSSPI_DEBUG is set (read once, with
 * secure_getenv, during sspi_registry_init or the first trace call). */

SSPI_HIDDEN extern atomic_bool sspi_trace_on;
static inline bool sspi_trace_enabled(void)
{
    return atomic_load_explicit(&sspi_trace_on, memory_order_relaxed);
}
/* Write one log line (a newline is added).  Thread-safe; never called with
 * secrets. */
SSPI_HIDDEN void sspi_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Monotonic nanoseconds, for call durations. */
SSPI_HIDDEN uint64_t sspi_trace_now_ns(void);
/* One line per API call: function, package name (UTF-8, may be NULL:
 * "-"), handle (may be NULL), flags (decoded by the caller into
 * `flags_text`, may be NULL), status by name, microseconds since t0. */
SSPI_HIDDEN void sspi_trace_call(const char *function, const char *package, const SecHandle *handle,
                                 const char *flags_text, SECURITY_STATUS status, uint64_t t0_ns);

/* The UTF-8 name of `pkg`, "-" for none (for tracing). */
static inline const char *sspi_pkg_name(const struct sspi_package *pkg)
{
    return pkg != NULL && pkg->name_utf8 != NULL ? pkg->name_utf8 : "-";
}

#endif
