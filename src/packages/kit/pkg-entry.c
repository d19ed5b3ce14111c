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

#include "packages/kit/pkg-entry.h"
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
        if (t->InstanceInit == NULL)
            t->InstanceInit = pkg_instance_init;
        if (t->MarshalAttributeData != NULL)
            version = SECPKG_INTERFACE_VERSION_2;
    }
    *PackageVersion = version;
    *ppTables = pkg_user_tables;
    *pcTables = count;
    return STATUS_SUCCESS;
}
