/*
 * sample-entry.c - the Sample package's two exported entry points, its
 * function tables and the package-wide functions (SpInitialize, SpGetInfo,
 * SpShutdown, SpSetExtendedInformation, SpInstanceInit).
 *
 * The host calls SpLsaModeInitialize once to get the LSA-mode table (the
 * handshake and credentials), then SpUserModeInitialize for the user-mode
 * table (per-message functions, attributes, export/import).  Slots the
 * package does not implement stay NULL; the host answers those with
 * SEC_E_UNSUPPORTED_FUNCTION.
 */
#include <string.h>

#include "packages/sample/sample.h"

PLSA_SECPKG_FUNCTION_TABLE sample_lsa;
PSECPKG_DLL_FUNCTIONS sample_dll;
_Atomic uint32_t sample_lifetime;

/* Longest accepted option.lifetime: ten years. */
#define SAMPLE_MAX_LIFETIME (10u * 366 * 24 * 3600)

static NTSTATUS NTAPI sample_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                        PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    /* Keep the table: AllocateLsaHeap is how ContextData and LSA-mode
     * attribute buffers are allocated. */
    sample_lsa = FunctionTable;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI sample_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI sample_get_info(PSecPkgInfoW PackageInfo)
{
    if (PackageInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    /* The host copies these strings; static storage is fine here. */
    PackageInfo->fCapabilities = SAMPLE_CAPABILITIES;
    PackageInfo->wVersion = SAMPLE_PACKAGE_VERSION;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    PackageInfo->cbMaxToken = SAMPLE_MAX_TOKEN;
    PackageInfo->Name = (SEC_WCHAR *)SAMPLE_PACKAGE_NAME;
    PackageInfo->Comment = (SEC_WCHAR *)SAMPLE_PACKAGE_COMMENT;
    return STATUS_SUCCESS;
}

/* Parse a decimal number of seconds; false if not one or out of range. */
static bool sample_parse_seconds(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > SAMPLE_MAX_LIFETIME)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/*
 * libsspi hands the `option.KEY = VALUE` lines of the package's module
 * block to the package through this call (class SecpkgLibsspiConfig), right
 * after SpInitialize.  Sample understands:
 *   option.lifetime = SECONDS   context lifetime (0 or absent: never expires)
 * Unknown keys and bad values are ignored, apart from the status: the call
 * returns STATUS_INVALID_PARAMETER so that the host logs it.
 */
static NTSTATUS NTAPI sample_set_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
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
    for (ULONG i = 0; i < config->SettingCount; i++) {
        const SECPKG_LIBSSPI_SETTING *setting = &config->Settings[i];
        uint32_t seconds;

        if (setting->Key != NULL && strcmp(setting->Key, "lifetime") == 0 &&
            sample_parse_seconds(setting->Value, &seconds))
            atomic_store(&sample_lifetime, seconds);
        else
            status = STATUS_INVALID_PARAMETER;
    }
    return status;
}

static NTSTATUS NTAPI sample_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                           PVOID *UserFunctions)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    /* AllocateHeap is how user-mode attribute buffers and exported
     * contexts are allocated: the caller frees them with FreeContextBuffer. */
    sample_dll = FunctionTable;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE sample_lsa_table = {
    .Initialize = sample_initialize,
    .Shutdown = sample_shutdown,
    .GetInfo = sample_get_info,
    .AcquireCredentialsHandle = sample_acquire_credentials_handle,
    .QueryCredentialsAttributes = sample_query_credentials_attributes,
    .FreeCredentialsHandle = sample_free_credentials_handle,
    .InitLsaModeContext = sample_init_lsa_mode_context,
    .AcceptLsaModeContext = sample_accept_lsa_mode_context,
    .DeleteContext = sample_delete_context,
    .QueryContextAttributes = sample_query_lsa_context_attributes,
    .SetExtendedInformation = sample_set_extended_information,
};

static SECPKG_USER_FUNCTION_TABLE sample_user_table = {
    .InstanceInit = sample_instance_init,
    .InitUserModeContext = sample_init_user_mode_context,
    .MakeSignature = sample_make_signature,
    .VerifySignature = sample_verify_signature,
    .SealMessage = sample_seal_message,
    .UnsealMessage = sample_unseal_message,
    .QueryContextAttributes = sample_query_context_attributes,
    .DeleteUserModeContext = sample_delete_user_mode_context,
    .ExportContext = sample_export_context,
    .ImportContext = sample_import_context,
};

/*
 * Exported.  Called once by the host with LsaVersion =
 * SECPKG_INTERFACE_VERSION.  Returns one LSA-mode table (one package) and
 * reports through *PackageVersion that the table is filled up to
 * SECPKG_INTERFACE_VERSION, so the host reads no member after
 * SetExtendedInformation.  The table is static and stays valid while the
 * module is loaded.
 */
NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &sample_lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/*
 * Exported.  Same protocol for the user-mode table, which the host matches
 * to the LSA-mode package at the same index.
 */
NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &sample_user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
