/*
 * schannel-entry.c - the Schannel module's exported entry points.  One
 * module offers two packages with the same tables, as Windows' schannel.dll
 * does: "Microsoft Unified Security Protocol Provider" (UNISP_NAME) and
 * "Schannel", RPC id 14, cbMaxToken 16384.
 *
 * Settings (`option.KEY = VALUE` in the module's configuration block):
 *   cert_file, key_file   default server certificate and key (key_file may
 *                         be a pkcs11: URI) for inbound credentials that
 *                         name no certificate
 *   ca_file               more trusted roots, beside the system store
 *   tls13_post_handshake  "internal" (default: NewSessionTicket and
 *                         KeyUpdate are handled inside DecryptMessage) or
 *                         "renegotiate" (DecryptMessage answers
 *                         SEC_I_RENEGOTIATE for them, as Windows 11 does)
 */
#include <stdlib.h>
#include <string.h>

#include "packages/schannel/schannel-pkg.h"

struct schan_options schan_opts;
PLSA_SECPKG_FUNCTION_TABLE schan_lsa;
PSECPKG_DLL_FUNCTIONS schan_dll;

static NTSTATUS NTAPI schan_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                       PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    schan_lsa = FunctionTable;
    return gnutls_global_init() < 0 ? STATUS_INTERNAL_ERROR : STATUS_SUCCESS;
}

static NTSTATUS NTAPI schan_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS schan_info(PSecPkgInfoW info, const char16_t *name)
{
    if (info == NULL)
        return STATUS_INVALID_PARAMETER;
    info->fCapabilities = SCHAN_CAPABILITIES;
    info->wVersion = SCHAN_VERSION;
    info->wRPCID = UNISP_RPC_ID;
    info->cbMaxToken = SCHAN_MAX_TOKEN;
    info->Name = (SEC_WCHAR *)name;
    info->Comment = (SEC_WCHAR *)u"Schannel Security Package (TLS 1.2/1.3 on GnuTLS)";
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI schan_get_info_unisp(PSecPkgInfoW PackageInfo)
{
    return schan_info(PackageInfo, UNISP_NAME_W);
}

static NTSTATUS NTAPI schan_get_info_schannel(PSecPkgInfoW PackageInfo)
{
    return schan_info(PackageInfo, SCHANNEL_NAME_W);
}

static bool schan_set_string(char **slot, const char *value)
{
    char *copy = strdup(value);

    if (copy == NULL)
        return false;
    free(*slot);
    *slot = copy;
    return true;
}

/* One option; false if the key or value is not understood. */
static bool schan_set_option(const char *key, const char *value)
{
    if (key == NULL || value == NULL)
        return false;
    if (strcmp(key, "cert_file") == 0)
        return schan_set_string(&schan_opts.cert_file, value);
    if (strcmp(key, "key_file") == 0)
        return schan_set_string(&schan_opts.key_file, value);
    if (strcmp(key, "ca_file") == 0)
        return schan_set_string(&schan_opts.ca_file, value);
    if (strcmp(key, "record_layer") == 0) {
        if (strcmp(value, "inplace") != 0 && strcmp(value, "gnutls") != 0)
            return false;
        schan_opts.gnutls_records = strcmp(value, "gnutls") == 0;
        return true;
    }
    if (strcmp(key, "tls13_post_handshake") == 0) {
        if (strcmp(value, "internal") != 0 && strcmp(value, "renegotiate") != 0)
            return false;
        schan_opts.renegotiate_tls13 = strcmp(value, "renegotiate") == 0;
        return true;
    }
    return false;
}

/* libsspi hands the module's option.* lines over right after SpInitialize;
 * unknown keys and bad values give STATUS_INVALID_PARAMETER (logged). */
static NTSTATUS NTAPI schan_set_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                     PSECPKG_EXTENDED_INFORMATION Info)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (Class != SecpkgLibsspiConfig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (Info == NULL || Info->Class != SecpkgLibsspiConfig)
        return STATUS_INVALID_PARAMETER;
    const SECPKG_LIBSSPI_CONFIG *config = &Info->Info.LibsspiConfig;
    if (config->SettingCount > 0 && config->Settings == NULL)
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < config->SettingCount; i++)
        if (!schan_set_option(config->Settings[i].Key, config->Settings[i].Value))
            status = STATUS_INVALID_PARAMETER;
    return status;
}

static NTSTATUS NTAPI schan_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                          PVOID *UserFunctions)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    schan_dll = FunctionTable;
    return STATUS_SUCCESS;
}

#define SCHAN_LSA_TABLE(getinfo)                                                                   \
    {                                                                                              \
        .Initialize = schan_initialize, .Shutdown = schan_shutdown, .GetInfo = getinfo,            \
        .AcquireCredentialsHandle = schan_acquire_credentials_handle,                              \
        .QueryCredentialsAttributes = schan_query_credentials_attributes,                          \
        .FreeCredentialsHandle = schan_free_credentials_handle,                                    \
        .InitLsaModeContext = schan_init_lsa_mode_context,                                         \
        .AcceptLsaModeContext = schan_accept_lsa_mode_context,                                     \
        .DeleteContext = schan_delete_context, .ApplyControlToken = schan_apply_control_token,     \
        .QueryContextAttributes = schan_query_lsa_context_attributes,                              \
        .SetExtendedInformation = schan_set_extended_information,                                  \
    }

static SECPKG_FUNCTION_TABLE schan_lsa_tables[2] = {
    SCHAN_LSA_TABLE(schan_get_info_unisp),
    SCHAN_LSA_TABLE(schan_get_info_schannel),
};

#define SCHAN_USER_TABLE                                                                           \
    {                                                                                              \
        .InstanceInit = schan_instance_init, .InitUserModeContext = schan_init_user_mode_context,  \
        .SealMessage = schan_seal_message, .UnsealMessage = schan_unseal_message,                  \
        .QueryContextAttributes = schan_query_context_attributes,                                  \
        .DeleteUserModeContext = schan_delete_user_mode_context,                                   \
    }

static SECPKG_USER_FUNCTION_TABLE schan_user_tables[2] = {SCHAN_USER_TABLE, SCHAN_USER_TABLE};

/* Exported: two LSA-mode tables (UNISP_NAME, "Schannel"), filled to
 * SECPKG_INTERFACE_VERSION; static, valid while the module is loaded. */
NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL ||
        LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = schan_lsa_tables;
    *pcTables = 2;
    return STATUS_SUCCESS;
}

/* Exported: the matching user-mode tables. */
NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL ||
        LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = schan_user_tables;
    *pcTables = 2;
    return STATUS_SUCCESS;
}
