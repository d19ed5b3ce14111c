/*
 * api-internal.h - what the SSPI entry points (api-*.c) share: the objects
 * behind credential and context handles, argument checks, the caller-memory
 * helpers, string and attribute conversion for the A forms, and tracing
 * helpers.  Private to libsspi.la.
 */
#ifndef LIBSSPI_CORE_API_INTERNAL_H
#define LIBSSPI_CORE_API_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "core/handle.h"

/* Largest cBuffers accepted in a SecBufferDesc; larger counts are treated
 * as a corrupt descriptor (SEC_E_INVALID_TOKEN). */
#define SSPI_MAX_BUFFERS 64

/* Output-token size used for ISC/ASC_REQ_ALLOCATE_MEMORY when a package
 * reports cbMaxToken 0. */
#define SSPI_DEFAULT_MAX_TOKEN 65535u

/* Object behind a credential handle.  Immutable after creation. */
struct sspi_credential {
    struct sspi_package *pkg;
    LSA_SEC_HANDLE lsa; /* SSP/AP shape */
    CredHandle prov;    /* provider shape: the provider's own handle */
};

/* Object behind a context handle.  `lsa` is the package's handle for both
 * its LSA-mode and user-mode sides (as in the SSP/AP model).  Fields change
 * only during ISC/ASC legs and export, which callers do not run
 * concurrently with other calls on the same context. */
struct sspi_context {
    struct sspi_package *pkg;
    _Atomic LSA_SEC_HANDLE lsa;
    atomic_bool has_lsa;   /* the LSA-mode side exists (DeleteContext due) */
    atomic_bool mapped;    /* the user-mode side exists (DeleteUserModeContext due) */
    atomic_bool prov_live; /* provider shape: prov must be deleted */
    CtxtHandle prov;
};

/* Destroy callbacks for the handle table (api-credentials.c, api-context.c). */
SSPI_HIDDEN void sspi_api_credential_destroy(void *obj);
SSPI_HIDDEN void sspi_api_context_destroy(void *obj);

/* Charset-neutral member of a provider's table: the W table's if present,
 * else the A table's (both tables share those members' types). */
#define SSPI_PROV_FN(pkg, member)                                                                  \
    ((pkg)->prov_w != NULL   ? (pkg)->prov_w->member                                               \
     : (pkg)->prov_a != NULL ? (pkg)->prov_a->member                                               \
                             : NULL)

/* Run a package call with SECPKG_CALL_ANSI set when `ansi`. */
#define SSPI_CALL_ANSI_BEGIN(ansi)                                                                 \
    uint32_t sspi_saved_call_attributes_ = sspi_call_attributes;                                   \
    if (ansi)                                                                                      \
    sspi_call_attributes |= SECPKG_CALL_ANSI
#define SSPI_CALL_ANSI_END() (sspi_call_attributes = sspi_saved_call_attributes_)

/* ---- memory.c ---------------------------------------------------------- */

/* Size requested from sspi_mem_alloc for `ptr`, or 0 if it is not a live
 * block of ours (0-byte blocks also report 0). */
SSPI_HIDDEN size_t sspi_mem_size(const void *ptr);

/* ---- api-common.c ------------------------------------------------------ */

/*
 * Check a SecBufferDesc.  NULL is accepted when `allow_null`.  Rejected with
 * SEC_E_INVALID_TOKEN: ulVersion != SECBUFFER_VERSION, cBuffers 0 or above
 * SSPI_MAX_BUFFERS, pBuffers NULL, or a buffer with cbBuffer > 0 and a NULL
 * pvBuffer (allowed when `alloc_ok`: the core fills those in).
 */
SSPI_HIDDEN SECURITY_STATUS sspi_api_check_desc(const SecBufferDesc *d, bool allow_null,
                                                bool alloc_ok);

/* Fill a UNICODE_STRING (lengths in bytes) that points at `s` (NULL gives
 * an empty string).  SEC_E_INVALID_PARAMETER if longer than 32767 units. */
SSPI_HIDDEN SECURITY_STATUS sspi_api_ustr(UNICODE_STRING *u, const char16_t *s);

/* UTF-8 -> malloc()ed UTF-16 for an A entry point's string argument.  NULL
 * stays NULL (returns true); false on invalid UTF-8 or no memory. */
SSPI_HIDDEN bool sspi_api_a2w(const char *s, char16_t **out);

/*
 * ALLOCATE_MEMORY support for ISC/ASC: give every output buffer whose
 * pvBuffer is NULL a zeroed sspi_mem_alloc block of `size` bytes, recording
 * it in ours[] (SSPI_MAX_BUFFERS entries).  On failure frees what it
 * allocated and returns SEC_E_INSUFFICIENT_MEMORY.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_api_out_prealloc(SecBufferDesc *out, uint32_t size, void **ours);
/* After the package call: free our blocks the package replaced with its
 * own, and free and reset (NULL, 0) our blocks it left empty or, when the
 * call failed (`success` false), all of our blocks. */
SSPI_HIDDEN void sspi_api_out_finish(SecBufferDesc *out, void **ours, bool success);

/* How to dispose of what a package or provider returned. */
typedef void (*sspi_free_fn)(void *p);
SSPI_HIDDEN void sspi_api_mem_free_fn(void *p); /* sspi_mem_free, ignoring the result */

enum sspi_fixup_mode {
    SSPI_FIXUP_W2A,   /* W strings -> our UTF-8 copies */
    SSPI_FIXUP_COPYW, /* W strings -> our copies (adopt provider memory) */
    SSPI_FIXUP_COPYA, /* A strings -> our copies (adopt provider memory) */
};

/*
 * Rewrite the variable-size members of a context (or credential, when
 * `cred`) attribute structure in place: convert or adopt them into
 * sspi_mem_alloc memory and release the originals with `orig_free`.  Only
 * attributes with a known layout are touched; others are left as they are.
 * Returns SEC_E_OK, or SEC_E_INSUFFICIENT_MEMORY (all members are then
 * released and set to NULL).
 */
SSPI_HIDDEN SECURITY_STATUS sspi_api_attr_fixup(bool cred, uint32_t attribute, void *buf,
                                                enum sspi_fixup_mode mode, sspi_free_fn orig_free);

/* sspi_api_attr_fixup for memory a provider returned (released with the
 * provider's FreeContextBuffer). */
SSPI_HIDDEN SECURITY_STATUS sspi_api_prov_fixup(bool cred, struct sspi_package *pkg,
                                                uint32_t attribute, void *buf,
                                                enum sspi_fixup_mode mode);
/* Copy `len` bytes a provider allocated at p into our memory and release
 * the provider's block.  NULL if p is NULL or out of memory (p is released
 * either way). */
SSPI_HIDDEN void *sspi_api_prov_adopt(struct sspi_package *pkg, void *p, size_t len);

/* Size of the structure for a known context/credential attribute, or 0. */
SSPI_HIDDEN size_t sspi_api_attr_size(bool cred, uint32_t attribute);

/* One sspi_mem_alloc block holding `count` SecPkgInfoW/A followed by their
 * strings (UTF-16 or UTF-8).  NULL when out of memory; count may be 0. */
SSPI_HIDDEN SecPkgInfoW *sspi_api_pkginfo_block_w(struct sspi_package *const *pkgs, uint32_t count);
SSPI_HIDDEN SecPkgInfoA *sspi_api_pkginfo_block_a(struct sspi_package *const *pkgs, uint32_t count);

/* QueryContextAttributesW for the core's own use (api-context.c): the
 * same dispatch, without going through the exported, interposable name. */
SSPI_HIDDEN SECURITY_STATUS sspi_api_query_context_w(PCtxtHandle ph, uint32_t attr, void *buf);

/* Find a package by A or W name. */
SSPI_HIDDEN struct sspi_package *sspi_api_find(bool ansi, const void *name);

/* Flag names for tracing. */
struct sspi_flag_name {
    uint32_t bit;
    const char *name;
};
SSPI_HIDDEN extern const struct sspi_flag_name sspi_isc_req_names[];
SSPI_HIDDEN extern const struct sspi_flag_name sspi_asc_req_names[];
SSPI_HIDDEN extern const struct sspi_flag_name sspi_cred_use_names[];
/* "A|B|0x40" into buf (always NUL-terminated); returns buf. */
SSPI_HIDDEN const char *sspi_api_flags_text(const struct sspi_flag_name *names, uint32_t flags,
                                            char *buf, size_t cap);

#endif
