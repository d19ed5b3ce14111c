/*
 * ntlm-entry.c - the NTLM package's exported entry points
 * (SpLsaModeInitialize, SpUserModeInitialize), its two function tables and
 * the package-wide functions.  Everything else lives in libntlm-internal.
 */
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

static NTSTATUS NTAPI ntlm_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                      PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    (void)PackageId;
    (void)Parameters;
    if (!FunctionTable)
        return STATUS_INVALID_PARAMETER;
    ntlm_lsa = FunctionTable;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI ntlm_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI ntlm_get_info(PSecPkgInfoW PackageInfo)
{
    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    PackageInfo->fCapabilities = NTLM_CAPABILITIES;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = NTLM_RPCID;
    PackageInfo->cbMaxToken = NTLM_MAX_TOKEN;
    PackageInfo->Name = (SEC_WCHAR *)NTLM_PACKAGE_NAME;
    PackageInfo->Comment = (SEC_WCHAR *)NTLM_PACKAGE_COMMENT;
    return STATUS_SUCCESS;
}

/* The configuration's option.* settings (doc/ntlm.md lists them). */
static NTSTATUS NTAPI ntlm_set_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                    PSECPKG_EXTENDED_INFORMATION Info)
{
    if (Class != SecpkgLibsspiConfig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!Info || Info->Class != SecpkgLibsspiConfig)
        return STATUS_INVALID_PARAMETER;
    if (Info->Info.LibsspiConfig.SettingCount && !Info->Info.LibsspiConfig.Settings)
        return STATUS_INVALID_PARAMETER;
    return ntlm_options_set(&Info->Info.LibsspiConfig);
}

static NTSTATUS NTAPI ntlm_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                         PVOID *UserFunctions)
{
    (void)Version;
    (void)UserFunctions;
    if (!FunctionTable)
        return STATUS_INVALID_PARAMETER;
    ntlm_dll = FunctionTable;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE ntlm_lsa_table = {
    .Initialize = ntlm_initialize,
    .Shutdown = ntlm_shutdown,
    .GetInfo = ntlm_get_info,
    .AcquireCredentialsHandle = ntlm_sp_acquire_credentials_handle,
    .QueryCredentialsAttributes = ntlm_sp_query_credentials_attributes,
    .FreeCredentialsHandle = ntlm_sp_free_credentials_handle,
    .InitLsaModeContext = ntlm_sp_init_lsa_mode_context,
    .AcceptLsaModeContext = ntlm_sp_accept_lsa_mode_context,
    .DeleteContext = ntlm_sp_delete_context,
    .SetExtendedInformation = ntlm_set_extended_information,
};

static SECPKG_USER_FUNCTION_TABLE ntlm_user_table = {
    .InstanceInit = ntlm_instance_init,
    .InitUserModeContext = ntlm_sp_init_user_mode_context,
    .MakeSignature = ntlm_sp_make_signature,
    .VerifySignature = ntlm_sp_verify_signature,
    .SealMessage = ntlm_sp_seal_message,
    .UnsealMessage = ntlm_sp_unseal_message,
    .QueryContextAttributes = ntlm_sp_query_context_attributes,
    .DeleteUserModeContext = ntlm_sp_delete_user_mode_context,
    .ExportContext = ntlm_sp_export_context,
    .ImportContext = ntlm_sp_import_context,
};

/* Exported: one LSA-mode table (package "NTLM"), interface version 1. */
NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    if (!PackageVersion || !ppTables || !pcTables)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &ntlm_lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* Exported: the matching user-mode table. */
NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    if (!PackageVersion || !ppTables || !pcTables)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &ntlm_user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
