/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-entry.c - the kit's module entry: SpLsaModeInitialize and
 * SpUserModeInitialize over a list of descriptors, and the package-wide
 * slots (SpInitialize, SpGetInfo, SpShutdown, SpGetExtendedInformation,
 * SpSetExtendedInformation, SpInstanceInit) filled into copies of each
 * package's tables.
 *
 * Function-table slots carry no argument saying which package they serve,
 * so each of the PKG_MAX_PACKAGES positions gets its own small set of
 * slot functions (PKG_SLOTS below) that pass their index on.
 */
#include <stdatomic.h>
#include <string.h>

#include "packages/kit/pkg-calls-internal.h"
#include "packages/kit/pkg-entry.h"
#include "packages/kit/pkg-handle.h"
#include "packages/kit/pkg-options.h"

PLSA_SECPKG_FUNCTION_TABLE pkg_lsa;
PSECPKG_DLL_FUNCTIONS pkg_dll;

static _Atomic(const SECPKG_LIBSSPI_HOST_SERVICES *) pkg_services;

/* One registered package: its descriptor, id and the tables the host
 * gets.  Written by the two initialise calls, which the host makes once
 * before anything else. */
static struct pkg_slot {
    const struct pkg_descriptor *desc;
    ULONG_PTR id;
} pkg_slots[PKG_MAX_PACKAGES];
static ULONG pkg_nslots;
static SECPKG_FUNCTION_TABLE pkg_lsa_tables[PKG_MAX_PACKAGES];
static SECPKG_USER_FUNCTION_TABLE pkg_user_tables[PKG_MAX_PACKAGES];

const SECPKG_LIBSSPI_HOST_SERVICES *pkg_host_services(void)
{
    return atomic_load_explicit(&pkg_services, memory_order_acquire);
}

ULONG_PTR pkg_package_id(const struct pkg_descriptor *pkg)
{
    for (ULONG i = 0; i < pkg_nslots; i++)
        if (pkg_slots[i].desc == pkg)
            return pkg_slots[i].id;
    return 0;
}

void *pkg_alloc(enum pkg_mode mode, size_t n)
{
    if (n > UINT32_MAX)
        return NULL;
    if (mode == PKG_MODE_USER)
        return pkg_dll != NULL && pkg_dll->AllocateHeap != NULL ? pkg_dll->AllocateHeap((ULONG)n)
                                                                : NULL;
    return pkg_lsa != NULL && pkg_lsa->AllocateLsaHeap != NULL ? pkg_lsa->AllocateLsaHeap((ULONG)n)
                                                               : NULL;
}

void pkg_free(enum pkg_mode mode, void *p)
{
    if (p == NULL)
        return;
    if (mode == PKG_MODE_USER) {
        if (pkg_dll != NULL && pkg_dll->FreeHeap != NULL)
            pkg_dll->FreeHeap(p);
    } else if (pkg_lsa != NULL && pkg_lsa->FreeLsaHeap != NULL) {
        pkg_lsa->FreeLsaHeap(p);
    }
}

SECURITY_STATUS pkg_refuse(SECURITY_STATUS status, NTSTATUS reason)
{
    if (pkg_lsa != NULL && pkg_lsa->SetSecpkgFailureReason != NULL) {
        SECPKG_FAILURE_REASON r = {reason, SecpkgFailureReason_LocalAccount};
        pkg_lsa->SetSecpkgFailureReason(r);
    }
    return status;
}

/* ---- the package-wide slots, by package index ---------------------------- */

static NTSTATUS slot_initialize(ULONG i, ULONG_PTR id, PSECPKG_PARAMETERS params,
                                PLSA_SECPKG_FUNCTION_TABLE lsa)
{
    const struct pkg_descriptor *d = pkg_slots[i].desc;

    if (lsa == NULL)
        return STATUS_INVALID_PARAMETER;
    pkg_lsa = lsa;
    pkg_slots[i].id = id;
    return d->initialize != NULL ? d->initialize(id, params) : STATUS_SUCCESS;
}

static NTSTATUS slot_shutdown(ULONG i)
{
    const struct pkg_descriptor *d = pkg_slots[i].desc;

    return d->shutdown != NULL ? d->shutdown() : STATUS_SUCCESS;
}

static NTSTATUS slot_get_info(ULONG i, PSecPkgInfoW info)
{
    const struct pkg_descriptor *d = pkg_slots[i].desc;

    if (info == NULL)
        return STATUS_INVALID_PARAMETER;
    info->fCapabilities = d->capabilities;
    info->wVersion = d->version;
    info->wRPCID = d->rpcid;
    info->cbMaxToken = d->max_token;
    info->Name = (SEC_WCHAR *)d->name;
    info->Comment = (SEC_WCHAR *)d->comment;
    return STATUS_SUCCESS;
}

static NTSTATUS slot_get_extended(ULONG i, SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                  PSECPKG_EXTENDED_INFORMATION *out)
{
    const struct pkg_descriptor *d = pkg_slots[i].desc;
    PSECPKG_EXTENDED_INFORMATION info;
    size_t size;

    if (out == NULL)
        return STATUS_INVALID_PARAMETER;
    *out = NULL;
    if (cls != SecpkgGssInfo || d->mech_oid == NULL || d->mech_oid_len < 2)
        return SEC_E_UNSUPPORTED_FUNCTION;
    size = offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId) + d->mech_oid_len;
    if (size < sizeof(*info))
        size = sizeof(*info);
    info = pkg_alloc(PKG_MODE_LSA, size);
    if (info == NULL)
        return STATUS_NO_MEMORY;
    memset(info, 0, size);
    info->Class = SecpkgGssInfo;
    info->Info.GssInfo.EncodedIdLength = d->mech_oid_len;
    memcpy((uint8_t *)info + offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId),
           d->mech_oid, d->mech_oid_len);
    *out = info;
    return STATUS_SUCCESS;
}

static NTSTATUS slot_set_extended(ULONG i, SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                  PSECPKG_EXTENDED_INFORMATION info)
{
    const struct pkg_descriptor *d = pkg_slots[i].desc;

    if (cls != SecpkgLibsspiConfig && cls != SecpkgLibsspiHost)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (info == NULL || info->Class != cls)
        return STATUS_INVALID_PARAMETER;
    if (cls == SecpkgLibsspiConfig) {
        const SECPKG_LIBSSPI_CONFIG *cfg = &info->Info.LibsspiConfig;

        if (d->options != NULL)
            return pkg_options_apply(d->options, cfg);
        return cfg->SettingCount == 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }
    if (d->host == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (info->Info.LibsspiHost.Services == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS st = d->host(info->Info.LibsspiHost.Services, info->Info.LibsspiHost.Version);
    if (NT_SUCCESS(st))
        atomic_store_explicit(&pkg_services, info->Info.LibsspiHost.Services, memory_order_release);
    return st;
}

static NTSTATUS NTAPI pkg_instance_init(ULONG version, PSECPKG_DLL_FUNCTIONS dll, PVOID *unused)
{
    (void)version;
    (void)unused;
    if (dll == NULL)
        return STATUS_INVALID_PARAMETER;
    pkg_dll = dll;
    return STATUS_SUCCESS;
}

#define PKG_SLOTS(n)                                                                               \
    static NTSTATUS NTAPI pkg_initialize_##n(ULONG_PTR id, PSECPKG_PARAMETERS p,                   \
                                             PLSA_SECPKG_FUNCTION_TABLE t)                         \
    {                                                                                              \
        return slot_initialize(n, id, p, t);                                                       \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_shutdown_##n(void)                                                   \
    {                                                                                              \
        return slot_shutdown(n);                                                                   \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_get_info_##n(PSecPkgInfoW info)                                      \
    {                                                                                              \
        return slot_get_info(n, info);                                                             \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_get_extended_##n(SECPKG_EXTENDED_INFORMATION_CLASS c,                \
                                               PSECPKG_EXTENDED_INFORMATION *out)                  \
    {                                                                                              \
        return slot_get_extended(n, c, out);                                                       \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_set_extended_##n(SECPKG_EXTENDED_INFORMATION_CLASS c,                \
                                               PSECPKG_EXTENDED_INFORMATION info)                  \
    {                                                                                              \
        return slot_set_extended(n, c, info);                                                      \
    }

PKG_SLOTS(0)
PKG_SLOTS(1)
PKG_SLOTS(2)
PKG_SLOTS(3)

static const struct {
    SpInitializeFn *initialize;
    SpShutdownFn *shutdown;
    SpGetInfoFn *get_info;
    SpGetExtendedInformationFn *get_extended;
    SpSetExtendedInformationFn *set_extended;
} pkg_slot_fns[PKG_MAX_PACKAGES] = {
#define PKG_SLOT_FNS(n)                                                                            \
    {                                                                                              \
        pkg_initialize_##n, pkg_shutdown_##n, pkg_get_info_##n, pkg_get_extended_##n,              \
            pkg_set_extended_##n                                                                   \
    }
    PKG_SLOT_FNS(0),
    PKG_SLOT_FNS(1),
    PKG_SLOT_FNS(2),
    PKG_SLOT_FNS(3),
};

/* The slots run around the package's callbacks (pkg-calls.h). */
#define PKG_CALL_SLOTS(n)                                                                          \
    static NTSTATUS NTAPI pkg_init_##n(                                                            \
        LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target, ULONG req, ULONG drep,    \
        PSecBufferDesc in, PLSA_SEC_HANDLE new_handle, PSecBufferDesc out, PULONG attrs,           \
        PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)                                       \
    {                                                                                              \
        struct pkg_leg_args a = {false, cred,       ctx,   target, req,    drep, in,               \
                                 out,   new_handle, attrs, expiry, mapped, data};                  \
        return pkg_run_leg(pkg_slots[n].desc, &a);                                                 \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_accept_##n(                                                          \
        LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in, ULONG req, ULONG drep,         \
        PLSA_SEC_HANDLE new_handle, PSecBufferDesc out, PULONG attrs, PTimeStamp expiry,           \
        PBOOLEAN mapped, PSecBuffer data)                                                          \
    {                                                                                              \
        struct pkg_leg_args a = {true, cred,       ctx,   NULL,   req,    drep, in,                \
                                 out,  new_handle, attrs, expiry, mapped, data};                   \
        return pkg_run_leg(pkg_slots[n].desc, &a);                                                 \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_free_cred_##n(LSA_SEC_HANDLE h)                                      \
    {                                                                                              \
        return pkg_delete_side(pkg_slots[n].desc->credential_class, h, PKG_SIDE_LSA);              \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_delete_##n(LSA_SEC_HANDLE h)                                         \
    {                                                                                              \
        return pkg_delete_side(pkg_slots[n].desc->context_class, h, PKG_SIDE_LSA);                 \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_delete_user_##n(LSA_SEC_HANDLE h)                                    \
    {                                                                                              \
        return pkg_delete_side(pkg_slots[n].desc->context_class, h, PKG_SIDE_USER);                \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_sign_##n(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)   \
    {                                                                                              \
        return pkg_run_message(pkg_slots[n].desc, PKG_MSG_SIGN, h, m, qop, seq, NULL);             \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_verify_##n(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq,            \
                                         PULONG qop)                                               \
    {                                                                                              \
        return pkg_run_message(pkg_slots[n].desc, PKG_MSG_VERIFY, h, m, 0, seq, qop);              \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_seal_##n(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m, ULONG seq)   \
    {                                                                                              \
        return pkg_run_message(pkg_slots[n].desc, PKG_MSG_SEAL, h, m, qop, seq, NULL);             \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_unseal_##n(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq,            \
                                         PULONG qop)                                               \
    {                                                                                              \
        return pkg_run_message(pkg_slots[n].desc, PKG_MSG_UNSEAL, h, m, 0, seq, qop);              \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_query_lsa_##n(LSA_SEC_HANDLE h, ULONG attr, PVOID buffer)            \
    {                                                                                              \
        return pkg_run_query(pkg_slots[n].desc, PKG_MODE_LSA, h, attr, buffer);                    \
    }                                                                                              \
    static NTSTATUS NTAPI pkg_query_user_##n(LSA_SEC_HANDLE h, ULONG attr, PVOID buffer)           \
    {                                                                                              \
        return pkg_run_query(pkg_slots[n].desc, PKG_MODE_USER, h, attr, buffer);                   \
    }

PKG_CALL_SLOTS(0)
PKG_CALL_SLOTS(1)
PKG_CALL_SLOTS(2)
PKG_CALL_SLOTS(3)

static const struct {
    SpInitLsaModeContextFn *init;
    SpAcceptLsaModeContextFn *accept;
    SpFreeCredentialsHandleFn *free_cred;
    SpDeleteContextFn *del;
    SpDeleteContextFn *del_user;
    SpMakeSignatureFn *sign;
    SpVerifySignatureFn *verify;
    SpSealMessageFn *seal;
    SpUnsealMessageFn *unseal;
    SpQueryContextAttributesFn *query_lsa;
    SpQueryContextAttributesFn *query_user;
} pkg_call_fns[PKG_MAX_PACKAGES] = {
#define PKG_CALL_FNS(n)                                                                            \
    {                                                                                              \
        pkg_init_##n, pkg_accept_##n, pkg_free_cred_##n, pkg_delete_##n, pkg_delete_user_##n,      \
            pkg_sign_##n, pkg_verify_##n, pkg_seal_##n, pkg_unseal_##n, pkg_query_lsa_##n,         \
            pkg_query_user_##n                                                                     \
    }
    PKG_CALL_FNS(0),
    PKG_CALL_FNS(1),
    PKG_CALL_FNS(2),
    PKG_CALL_FNS(3),
};

/* Fill the LSA slots the kit runs for package `i` where the package left
 * them NULL. */
static void fill_lsa_calls(ULONG i, const struct pkg_descriptor *d, SECPKG_FUNCTION_TABLE *t)
{
    if (t->InitLsaModeContext == NULL && d->initiate != NULL && d->credential_class != NULL &&
        d->context_class != NULL)
        t->InitLsaModeContext = pkg_call_fns[i].init;
    if (t->AcceptLsaModeContext == NULL && d->accept != NULL && d->credential_class != NULL &&
        d->context_class != NULL)
        t->AcceptLsaModeContext = pkg_call_fns[i].accept;
    if (t->FreeCredentialsHandle == NULL && d->credential_class != NULL)
        t->FreeCredentialsHandle = pkg_call_fns[i].free_cred;
    if (t->DeleteContext == NULL && d->context_class != NULL)
        t->DeleteContext = pkg_call_fns[i].del;
    if (t->QueryContextAttributes == NULL && d->context_class != NULL && d->describe != NULL)
        t->QueryContextAttributes = pkg_call_fns[i].query_lsa;
}

/* The same for the user table. */
static void fill_user_calls(ULONG i, const struct pkg_descriptor *d, SECPKG_USER_FUNCTION_TABLE *t)
{
    if (d->context_class == NULL)
        return;
    if (t->DeleteUserModeContext == NULL)
        t->DeleteUserModeContext = pkg_call_fns[i].del_user;
    if (t->QueryContextAttributes == NULL && d->describe != NULL)
        t->QueryContextAttributes = pkg_call_fns[i].query_user;
    if (d->messages == NULL)
        return;
    if (t->MakeSignature == NULL)
        t->MakeSignature = pkg_call_fns[i].sign;
    if (t->VerifySignature == NULL)
        t->VerifySignature = pkg_call_fns[i].verify;
    if (t->SealMessage == NULL)
        t->SealMessage = pkg_call_fns[i].seal;
    if (t->UnsealMessage == NULL)
        t->UnsealMessage = pkg_call_fns[i].unseal;
}

/* ---- the exported entry points -------------------------------------------- */

/* The interface version that covers the last LSA slot `t` fills. */
static ULONG lsa_version(const SECPKG_FUNCTION_TABLE *t)
{
    if (t->ChangeAccountPassword != NULL)
        return SECPKG_INTERFACE_VERSION_4;
    if (t->SetCredentialsAttributes != NULL)
        return SECPKG_INTERFACE_VERSION_3;
    if (t->SetContextAttributes != NULL)
        return SECPKG_INTERFACE_VERSION_2;
    return SECPKG_INTERFACE_VERSION;
}

static bool module_args_ok(const struct pkg_descriptor *const *pkgs, ULONG count, ULONG lsa_ver,
                           const void *a, const void *b, const void *c)
{
    if (a == NULL || b == NULL || c == NULL || lsa_ver < SECPKG_INTERFACE_VERSION)
        return false;
    if (count == 0 || count > PKG_MAX_PACKAGES)
        return false;
    for (ULONG i = 0; i < count; i++)
        if (pkgs[i] == NULL || pkgs[i]->lsa == NULL || pkgs[i]->name == NULL)
            return false;
    return true;
}

NTSTATUS pkg_lsa_mode_initialize(const struct pkg_descriptor *const *pkgs, ULONG count,
                                 ULONG LsaVersion, PULONG PackageVersion,
                                 PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    ULONG version = SECPKG_INTERFACE_VERSION;

    if (!module_args_ok(pkgs, count, LsaVersion, PackageVersion, ppTables, pcTables))
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < count; i++) {
        SECPKG_FUNCTION_TABLE *t = &pkg_lsa_tables[i];

        pkg_slots[i].desc = pkgs[i];
        *t = *pkgs[i]->lsa;
        if (t->Initialize == NULL)
            t->Initialize = pkg_slot_fns[i].initialize;
        if (t->Shutdown == NULL)
            t->Shutdown = pkg_slot_fns[i].shutdown;
        if (t->GetInfo == NULL)
            t->GetInfo = pkg_slot_fns[i].get_info;
        if (t->GetExtendedInformation == NULL)
            t->GetExtendedInformation = pkg_slot_fns[i].get_extended;
        if (t->SetExtendedInformation == NULL)
            t->SetExtendedInformation = pkg_slot_fns[i].set_extended;
        fill_lsa_calls(i, pkgs[i], t);
        if (lsa_version(t) > version)
            version = lsa_version(t);
    }
    pkg_nslots = count;
    *PackageVersion = version;
    *ppTables = pkg_lsa_tables;
    *pcTables = count;
    return STATUS_SUCCESS;
}

NTSTATUS pkg_user_mode_initialize(const struct pkg_descriptor *const *pkgs, ULONG count,
                                  ULONG LsaVersion, PULONG PackageVersion,
                                  PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    ULONG version = SECPKG_INTERFACE_VERSION;

    if (!module_args_ok(pkgs, count, LsaVersion, PackageVersion, ppTables, pcTables))
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < count; i++) {
        SECPKG_USER_FUNCTION_TABLE *t = &pkg_user_tables[i];

        if (pkgs[i]->user != NULL)
            *t = *pkgs[i]->user;
        else
            memset(t, 0, sizeof(*t));
        pkg_slots[i].desc = pkgs[i];
        if (t->InstanceInit == NULL)
            t->InstanceInit = pkg_instance_init;
        fill_user_calls(i, pkgs[i], t);
        if (t->MarshalAttributeData != NULL)
            version = SECPKG_INTERFACE_VERSION_2;
    }
    *PackageVersion = version;
    *ppTables = pkg_user_tables;
    *pcTables = count;
    return STATUS_SUCCESS;
}
