/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-entry.h - the package kit's module entry: a package describes itself
 * once (struct pkg_descriptor) and PKG_MODULE() defines the two exported
 * SSP/AP entry points, SpLsaModeInitialize and SpUserModeInitialize.
 *
 * The kit supplies the package-wide slots a package would otherwise write
 * by hand, in copies of the package's tables that it owns:
 *   LSA table:  Initialize, Shutdown, GetInfo, GetExtendedInformation,
 *               SetExtendedInformation
 *   user table: InstanceInit
 * and, when the descriptor asks for them (pkg-calls.h), the slots it runs
 * around the package's callbacks:
 *   LSA table:  InitLsaModeContext, AcceptLsaModeContext (initiate, accept),
 *               FreeCredentialsHandle, DeleteContext (the classes),
 *               QueryContextAttributes (describe)
 *   user table: DeleteUserModeContext (context_class), MakeSignature,
 *               VerifySignature, SealMessage, UnsealMessage (messages),
 *               QueryContextAttributes (describe)
 * A slot the package fills itself is kept as it is.  Everything else
 * (acquiring credentials, attributes, export) stays the package's.
 *
 * What the kit's slots do:
 *   SpInitialize       keeps the LSA function table (pkg_lsa), records the
 *                      package id, then calls descriptor->initialize.
 *   SpGetInfo          name, comment, capabilities, version, RPC id and
 *                      cbMaxToken from the descriptor (static strings: the
 *                      host copies them).
 *   SpGetExtendedInformation(SecpkgGssInfo)
 *                      the descriptor's mechanism OID (DER, 06 len value)
 *                      in one SECPKG_EXTENDED_INFORMATION block from
 *                      AllocateLsaHeap, which the host frees with
 *                      FreeLsaHeap; other classes SEC_E_UNSUPPORTED_FUNCTION.
 *   SpSetExtendedInformation(SecpkgLibsspiConfig)
 *                      the settings go to descriptor->options
 *                      (pkg-options.h); STATUS_INVALID_PARAMETER when any
 *                      setting was refused (the valid ones still apply).
 *   SpSetExtendedInformation(SecpkgLibsspiHost)
 *                      keeps the host services table (pkg_host_services())
 *                      and calls descriptor->host; a package without that
 *                      hook refuses the table with SEC_E_UNSUPPORTED_FUNCTION.
 *   SpShutdown         calls descriptor->shutdown.
 *   SpInstanceInit     keeps the user-mode DLL function table (pkg_dll).
 *
 * One module may hold up to PKG_MAX_PACKAGES packages (PKG_MODULE with
 * several descriptors, e.g. two names for one TLS implementation); they
 * share the module's pkg_lsa/pkg_dll/host services, each keeps its own
 * descriptor, options and package id.
 *
 * A package's entry file is then its descriptor, its two tables and one
 * PKG_MODULE line:
 *
 *     static const SECPKG_FUNCTION_TABLE lsa = { .AcquireCredentialsHandle = ..., ... };
 *     static const SECPKG_USER_FUNCTION_TABLE user = { .MakeSignature = ..., ... };
 *     const struct pkg_descriptor example_package = {
 *         .name = u"Example", .comment = u"...", .capabilities = ..., .version = 1,
 *         .rpcid = SECPKG_ID_NONE, .max_token = 1024, .lsa = &lsa, .user = &user,
 *         .options = &example_options,
 *     };
 *     PKG_MODULE(&example_package)
 */
#ifndef LIBSSPI_PKG_ENTRY_H
#define LIBSSPI_PKG_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"
#include "ntsecpkg.h"

/* Most packages one module may register. */
#define PKG_MAX_PACKAGES 4

struct pkg_options;
struct pkg_class;
struct pkg_leg;
struct pkg_message_ops;
struct pkg_attr_data;

/* Where memory handed back to the caller comes from. */
enum pkg_mode {
    PKG_MODE_LSA,  /* AllocateLsaHeap: LSA-mode calls */
    PKG_MODE_USER, /* SECPKG_DLL_FUNCTIONS.AllocateHeap: user-mode calls */
};

/*
 * Everything the kit needs to know about one package.  Static, read-only,
 * and valid while the module is loaded.
 */
struct pkg_descriptor {
    const char16_t *name;    /* e.g. u"NTLM"; NUL-terminated */
    const char16_t *comment; /* one line for SecPkgInfo.Comment */
    uint32_t capabilities;   /* SECPKG_FLAG_* */
    uint16_t version;        /* SecPkgInfo.wVersion */
    uint16_t rpcid;          /* SecPkgInfo.wRPCID, SECPKG_ID_NONE if none */
    uint32_t max_token;      /* SecPkgInfo.cbMaxToken */

    /* The package's own slots; the kit copies the tables and fills the
     * package-wide slots it left NULL (see the top of this file).  `user`
     * may be NULL for a package with no user-mode side (no context ever
     * sets *MappedContext). */
    const SECPKG_FUNCTION_TABLE *lsa;
    const SECPKG_USER_FUNCTION_TABLE *user;

    /* option.* settings (pkg-options.h), or NULL: every setting is then
     * refused with STATUS_INVALID_PARAMETER (the host logs it). */
    struct pkg_options *options;

    /* The classes of the package's credential and context objects
     * (pkg-handle.h), for the slots the kit runs (pkg-calls.h). */
    const struct pkg_class *credential_class;
    const struct pkg_class *context_class;
    /* Handshake legs and per-message calls the kit runs (pkg-calls.h);
     * NULL when the package fills those slots itself. */
    NTSTATUS (*initiate)(struct pkg_leg *leg);
    NTSTATUS (*accept)(struct pkg_leg *leg);
    const struct pkg_message_ops *messages;
    /* Context attributes the kit answers (pkg-attrs.h): fill `d` for the
     * context `object` as its half of `mode` sees it (PKG_MODE_LSA: a
     * handshake still running; PKG_MODE_USER: a complete context); false
     * when there is nothing to describe (SEC_E_INVALID_HANDLE).  `query`,
     * if set, is tried first for the package's own attributes and returns
     * SEC_E_UNSUPPORTED_FUNCTION to let the kit answer. */
    bool (*describe)(const void *object, enum pkg_mode mode, struct pkg_attr_data *d);
    NTSTATUS (*query)(void *object, enum pkg_mode mode, ULONG attr, void *buffer);

    /* DER mechanism OID (tag 06, length, value; at most 127 bytes of
     * value) for SpGetExtendedInformation(SecpkgGssInfo), or NULL/0. */
    const uint8_t *mech_oid;
    uint32_t mech_oid_len;

    /* Optional hooks; NULL means nothing to do.
     * initialize: after the kit's own SpInitialize work; an error status
     *   makes the host drop the package.
     * host: the host services table arrived (version is
     *   SECPKG_LIBSSPI_HOST_VERSION_*; the table stays valid while the
     *   module is loaded).  An error status refuses it.
     * shutdown: SpShutdown. */
    NTSTATUS (*initialize)(ULONG_PTR package_id, PSECPKG_PARAMETERS parameters);
    NTSTATUS (*host)(const SECPKG_LIBSSPI_HOST_SERVICES *services, ULONG version);
    NTSTATUS (*shutdown)(void);
};

/*
 * The host's tables, set by the kit's SpInitialize / SpInstanceInit before
 * any other call reaches the package and read-only afterwards.  NULL until
 * then (a test that calls package functions directly sets them itself).
 * pkg_lsa->AllocateLsaHeap allocates what LSA-mode calls hand back
 * (ContextData, tokens with ALLOCATE_MEMORY, LSA-mode attribute members);
 * pkg_dll->AllocateHeap what user-mode calls hand back (attribute members,
 * exported contexts).  Both are freed by the caller with FreeContextBuffer.
 */
extern PLSA_SECPKG_FUNCTION_TABLE pkg_lsa;
extern PSECPKG_DLL_FUNCTIONS pkg_dll;

/* The host services table handed over with SecpkgLibsspiHost, or NULL if
 * the host gave none (or the package refused it). */
const SECPKG_LIBSSPI_HOST_SERVICES *pkg_host_services(void);

/* The package id the host gave `pkg`'s SpInitialize (0 before). */
ULONG_PTR pkg_package_id(const struct pkg_descriptor *pkg);

/* `n` bytes from the host allocator of `mode` (freed by the caller with
 * FreeContextBuffer, or by the package with pkg_free), or NULL if out of
 * memory, `n` exceeds ULONG, or the host table is not set. */
void *pkg_alloc(enum pkg_mode mode, size_t n);
/* Release memory from pkg_alloc that was not handed out; NULL is ignored. */
void pkg_free(enum pkg_mode mode, void *p);

/* Report why a logon was refused to the host (LSA
 * SetSecpkgFailureReason, shown in the trace); returns `status` so a
 * caller can write `return pkg_refuse(SEC_E_LOGON_DENIED, STATUS_...)`. */
SECURITY_STATUS pkg_refuse(SECURITY_STATUS status, NTSTATUS reason);

/* The kit's halves of the two exported entry points (see PKG_MODULE). */
NTSTATUS pkg_lsa_mode_initialize(const struct pkg_descriptor *const *pkgs, ULONG count,
                                 ULONG LsaVersion, PULONG PackageVersion,
                                 PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables);
NTSTATUS pkg_user_mode_initialize(const struct pkg_descriptor *const *pkgs, ULONG count,
                                  ULONG LsaVersion, PULONG PackageVersion,
                                  PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables);

/*
 * Define the module's exported SpLsaModeInitialize and SpUserModeInitialize
 * for one or more descriptors (at most PKG_MAX_PACKAGES).  The host gets
 * one LSA table and one user table per descriptor, in the order given,
 * and an interface version that covers the last slot any of them fills
 * (SECPKG_INTERFACE_VERSION, _2 with SetContextAttributes, _3 with
 * SetCredentialsAttributes, _4 with ChangeAccountPassword; the user table
 * _2 with MarshalAttributeData).  A LsaVersion below
 * SECPKG_INTERFACE_VERSION, or NULL out pointers, is
 * STATUS_INVALID_PARAMETER.
 */
#define PKG_MODULE(...)                                                                            \
    static const struct pkg_descriptor *const pkg_module_packages_[] = {__VA_ARGS__};              \
    NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,                    \
                                       PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)          \
    {                                                                                              \
        return pkg_lsa_mode_initialize(                                                            \
            pkg_module_packages_,                                                                  \
            (ULONG)(sizeof pkg_module_packages_ / sizeof pkg_module_packages_[0]), LsaVersion,     \
            PackageVersion, ppTables, pcTables);                                                   \
    }                                                                                              \
    NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,                   \
                                        PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)    \
    {                                                                                              \
        return pkg_user_mode_initialize(                                                           \
            pkg_module_packages_,                                                                  \
            (ULONG)(sizeof pkg_module_packages_ / sizeof pkg_module_packages_[0]), LsaVersion,     \
            PackageVersion, ppTables, pcTables);                                                   \
    }

#endif
