/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

/* Object behind a context handle.  `lsa` is the handle the package's
 * per-message functions take: an SSP/AP package's own handle for both its
 * LSA-mode and user-mode sides, or for a provider this object's address
 * (the core's message thunks take it).  Fields change only during ISC/ASC
 * legs and export, which callers do not run concurrently with other calls
 * on the same context. */
struct sspi_context {
    struct sspi_package *pkg;
    _Atomic LSA_SEC_HANDLE lsa;
    atomic_bool has_lsa;   /* the LSA-mode side exists (DeleteContext due) */
    atomic_bool mapped;    /* the user-mode side exists (DeleteUserModeContext due) */
    atomic_bool prov_live; /* provider shape: prov must be deleted */
    atomic_bool complete;  /* established (a leg returned SEC_E_OK or
                              SEC_I_COMPLETE_NEEDED) or imported */
    CtxtHandle prov;
};

/* Destroy callbacks for the handle table (api-credentials.c, api-context.c). */
SSPI_HIDDEN void sspi_api_credential_destroy(void *obj);
SSPI_HIDDEN void sspi_api_context_destroy(void *obj);

/* Tracing of one entry point: TRACE_BEGIN() at the top, then
 * TRACE_ON() guards the sspi_trace_call with TRACE_T0. */
#define TRACE_BEGIN()                                                                              \
    bool sspi_tr_ = sspi_trace_enabled();                                                          \
    uint64_t sspi_t0_ = sspi_tr_ ? sspi_trace_now_ns() : 0
#define TRACE_ON() (sspi_tr_)
#define TRACE_T0   (sspi_t0_)

/* ---- arguments of the calls that reach a package (dispatch.h) ---------- */

/* AcquireCredentialsHandle / AddCredentials as the API layer checked them.
 * Strings the caller gave are in UTF-16 (`*_w`, converted from an A call);
 * an A call also has its UTF-8 originals (`*_a`, else NULL). */
struct sspi_cred_args {
    bool ansi;
    const char16_t *principal_w;
    const char *principal_a;
    const char16_t *package_w; /* AddCredentials only */
    const char *package_a;
    uint32_t use;
    void *logon;
    void *auth;
    SEC_GET_KEY_FN getkey;
    void *getkey_arg;
};

/* One InitializeSecurityContext / AcceptSecurityContext leg. */
struct sspi_establish_args {
    const char *fn; /* entry point name, for tracing */
    bool accept;
    bool ansi;
    PCredHandle phCredential;
    PCtxtHandle phContext;
    const char16_t *target_w; /* ISC only; converted from target_a for A */
    const char *target_a;
    bool target_bad; /* the A target was not valid UTF-8 */
    uint32_t req;
    uint32_t reserved1;
    uint32_t drep;
    PSecBufferDesc in;
    uint32_t reserved2;
    PCtxtHandle phNew;
    PSecBufferDesc out;
    uint32_t *pattr;
    PTimeStamp pexp;
};

/* What a leg gives back besides its status. */
struct sspi_establish_result {
    uint32_t attrs;
    TimeStamp expiry;
};

/* ChangeAccountPassword; strings as for struct sspi_cred_args. */
struct sspi_password_args {
    bool ansi;
    const char16_t *w[4]; /* domain, account, old, new */
    const char *a[4];
    BOOLEAN impersonating;
    uint32_t reserved;
    PSecBufferDesc out;
};

/* ---- the calls behind the entry points (api-*.c) -------------------------
 * Each does what the entry point of the same name documents (argument
 * checks, handles, the package call, tracing under `fn`), so the host
 * services (host-services.c) reuse them without the exported names.
 * Package-naming calls take the package already found (NULL: not found;
 * `asked` is the caller's name, traced). */

SSPI_HIDDEN SECURITY_STATUS sspi_api_acquire(const char *fn, struct sspi_package *pkg,
                                             const void *asked, const struct sspi_cred_args *a,
                                             bool bad, PCredHandle ph, PTimeStamp exp);
SSPI_HIDDEN SECURITY_STATUS sspi_api_free_credentials(const char *fn, PCredHandle ph);
SSPI_HIDDEN SECURITY_STATUS sspi_api_establish(const struct sspi_establish_args *a);
SSPI_HIDDEN SECURITY_STATUS sspi_api_delete_context(const char *fn, PCtxtHandle ph);

enum sspi_ctx_op {
    SSPI_OP_COMPLETE,
    SSPI_OP_APPLY,
    SSPI_OP_IMPERSONATE,
    SSPI_OP_REVERT,
    SSPI_OP_TOKEN
};
SSPI_HIDDEN SECURITY_STATUS sspi_api_context_op(const char *fn, enum sspi_ctx_op op, PCtxtHandle ph,
                                                PSecBufferDesc desc, HANDLE *token);

/* Query/Set(Context|Credentials)Attributes[Ex]: one path for both kinds. */
SSPI_HIDDEN SECURITY_STATUS sspi_api_query_attributes(const char *fn, enum sspi_handle_kind kind,
                                                      bool ansi, bool ex, const SecHandle *ph,
                                                      uint32_t attr, void *buf, uint32_t cb);
SSPI_HIDDEN SECURITY_STATUS sspi_api_set_attributes(const char *fn, enum sspi_handle_kind kind,
                                                    bool ansi, const SecHandle *ph, uint32_t attr,
                                                    void *buf, uint32_t cb);

SSPI_HIDDEN SECURITY_STATUS sspi_api_export(const char *fn, PCtxtHandle ph, uint32_t flags,
                                            PSecBuffer packed, void **token);
SSPI_HIDDEN SECURITY_STATUS sspi_api_import(const char *fn, struct sspi_package *pkg,
                                            const void *asked, bool ansi, PSecBuffer packed,
                                            void *token, PCtxtHandle ph);

enum sspi_msg_op { SSPI_MSG_SIGN, SSPI_MSG_VERIFY, SSPI_MSG_SEAL, SSPI_MSG_UNSEAL };
/* MakeSignature/VerifySignature/EncryptMessage/DecryptMessage (`qop` is
 * the fQOP in, `pqop` the one out). */
SSPI_HIDDEN SECURITY_STATUS sspi_api_message(enum sspi_msg_op op, PCtxtHandle ph, uint32_t qop,
                                             PSecBufferDesc msg, uint32_t seq, uint32_t *pqop);

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

/* The output descriptor as it was handed to a package. */
struct sspi_out_snapshot {
    const SecBuffer *pbuffers;
    uint32_t count;
    SecBuffer b[SSPI_MAX_BUFFERS];
};

/* Record `out` (may be NULL; already checked by sspi_api_check_desc)
 * before a package call. */
SSPI_HIDDEN void sspi_api_out_snapshot(const SecBufferDesc *out, struct sspi_out_snapshot *snap);

/*
 * After the package call: check what the package did to `out` against the
 * snapshot.  Each buffer must keep its type; one that keeps its pvBuffer
 * may not claim more than the cbBuffer it was given (the block size, for
 * ALLOCATE_MEMORY blocks); one given a new pvBuffer must get memory from
 * AllocateLsaHeap holding its cbBuffer (or NULL and 0); the descriptor's
 * count and array must not change.  A broken buffer is put back (its old
 * pvBuffer and type, cbBuffer 0; a package block it pointed at is freed),
 * a trace line names the package and the buffer, and false is returned:
 * the caller fails the call with SEC_E_INTERNAL_ERROR.
 */
SSPI_HIDDEN bool sspi_api_out_verify(SecBufferDesc *out, const struct sspi_out_snapshot *snap,
                                     const char *fn, const struct sspi_package *pkg);

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

/* Size of the structure for a known context/credential attribute, or 0. */
SSPI_HIDDEN size_t sspi_api_attr_size(bool cred, uint32_t attribute);

/* One sspi_mem_alloc block holding `count` SecPkgInfoW/A followed by their
 * strings (UTF-16 or UTF-8).  NULL when out of memory; count may be 0. */
SSPI_HIDDEN SecPkgInfoW *sspi_api_pkginfo_block_w(struct sspi_package *const *pkgs, uint32_t count);
SSPI_HIDDEN SecPkgInfoA *sspi_api_pkginfo_block_a(struct sspi_package *const *pkgs, uint32_t count);

/* QueryContextAttributesW for the core's own use (api-attributes.c): the
 * same dispatch, without going through the exported, interposable name. */
SSPI_HIDDEN SECURITY_STATUS sspi_api_query_context_w(PCtxtHandle ph, uint32_t attr, void *buf);

/* Find a package by A or W name. */
SSPI_HIDDEN struct sspi_package *sspi_api_find(bool ansi, const void *name);

/* Longest package name shown in a trace line (bytes, with the NUL). */
#define SSPI_TRACE_NAME_MAX 260

/* The name to trace for a call that named a package: the package's own
 * name when one was found, else the name the caller asked for (`asked`:
 * UTF-8 when `ansi`, else UTF-16 converted into buf[cap], cut to fit),
 * NULL when the caller gave none. */
SSPI_HIDDEN const char *sspi_api_trace_name(const struct sspi_package *pkg, bool ansi,
                                            const void *asked, char *buf, size_t cap);

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
