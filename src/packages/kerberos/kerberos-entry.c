/*
 * kerberos-entry.c - the Kerberos package's exported entry points, its
 * function tables and package-wide functions.
 *
 * Settings (option.* lines of the package's configuration):
 *   option.keytab = PATH          acceptor keytab (else KRB5_KTNAME/default)
 *   option.message_crypto = mit   per-message calls through MIT's gss_*_iov
 *                                 instead of the built-in AES path
 * SpGetExtendedInformation(SecpkgGssInfo) answers the Kerberos mechanism
 * OID (DER, 06 09 2a 86 48 86 f7 12 01 02 02) so Negotiate can find the
 * package.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/kerberos/kerberos.h"

PLSA_SECPKG_FUNCTION_TABLE krb_lsa;
PSECPKG_DLL_FUNCTIONS krb_dll;

static pthread_mutex_t option_lock = PTHREAD_MUTEX_INITIALIZER;
static char *option_keytab;
static _Atomic bool option_mit;

static const UCHAR krb_oid_der[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                    0xf7, 0x12, 0x01, 0x02, 0x02};

const char *krb_option_keytab(void)
{
    const char *k;

    pthread_mutex_lock(&option_lock);
    k = option_keytab;
    pthread_mutex_unlock(&option_lock);
    return k;
}

bool krb_option_mit_messages(void)
{
    return atomic_load(&option_mit);
}

void *krb_alloc(size_t len)
{
    if (len > UINT32_MAX)
        return NULL;
    if (krb_lsa != NULL && krb_lsa->AllocateLsaHeap != NULL)
        return krb_lsa->AllocateLsaHeap((ULONG)len);
    if (krb_dll != NULL && krb_dll->AllocateHeap != NULL)
        return krb_dll->AllocateHeap((ULONG)len);
    return NULL;
}

void krb_free(void *p)
{
    if (p == NULL)
        return;
    if (krb_lsa != NULL && krb_lsa->FreeLsaHeap != NULL)
        krb_lsa->FreeLsaHeap(p);
    else if (krb_dll != NULL && krb_dll->FreeHeap != NULL)
        krb_dll->FreeHeap(p);
}

static NTSTATUS NTAPI krb_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                     PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    krb_lsa = FunctionTable;
    (void)PackageId;
    (void)Parameters;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_shutdown(void)
{
    pthread_mutex_lock(&option_lock);
    free(option_keytab);
    option_keytab = NULL;
    pthread_mutex_unlock(&option_lock);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_get_info(PSecPkgInfoW PackageInfo)
{
    if (PackageInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    PackageInfo->fCapabilities = KRB_CAPABILITIES;
    PackageInfo->wVersion = KRB_PACKAGE_VERSION;
    PackageInfo->wRPCID = KRB_RPCID;
    PackageInfo->cbMaxToken = KRB_MAX_TOKEN;
    PackageInfo->Name = (SEC_WCHAR *)KRB_PACKAGE_NAME;
    PackageInfo->Comment = (SEC_WCHAR *)KRB_PACKAGE_COMMENT;
    return STATUS_SUCCESS;
}

/* SecpkgGssInfo: the mechanism OID, in memory from AllocateLsaHeap. */
static NTSTATUS NTAPI krb_get_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                   PSECPKG_EXTENDED_INFORMATION *ppInformation)
{
    PSECPKG_EXTENDED_INFORMATION info;

    if (ppInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Class != SecpkgGssInfo)
        return SEC_E_UNSUPPORTED_FUNCTION;
    info = krb_alloc(sizeof(*info) + sizeof(krb_oid_der));
    if (info == NULL)
        return STATUS_NO_MEMORY;
    memset(info, 0, sizeof(*info) + sizeof(krb_oid_der));
    info->Class = SecpkgGssInfo;
    info->Info.GssInfo.EncodedIdLength = sizeof(krb_oid_der);
    memcpy(info->Info.GssInfo.EncodedId, krb_oid_der, sizeof(krb_oid_der));
    *ppInformation = info;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_set_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
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
        const SECPKG_LIBSSPI_SETTING *s = &config->Settings[i];

        if (s->Key == NULL || s->Value == NULL) {
            status = STATUS_INVALID_PARAMETER;
        } else if (strcmp(s->Key, "keytab") == 0 && s->Value[0] != '\0') {
            char *copy = strdup(s->Value);
            if (copy == NULL)
                return STATUS_NO_MEMORY;
            pthread_mutex_lock(&option_lock);
            free(option_keytab);
            option_keytab = copy;
            pthread_mutex_unlock(&option_lock);
        } else if (strcmp(s->Key, "message_crypto") == 0 &&
                   (strcmp(s->Value, "mit") == 0 || strcmp(s->Value, "nettle") == 0)) {
            atomic_store(&option_mit, strcmp(s->Value, "mit") == 0);
        } else {
            status = STATUS_INVALID_PARAMETER;
        }
    }
    return status;
}

static NTSTATUS NTAPI krb_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                        PVOID *UserFunctions)
{
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    krb_dll = FunctionTable;
    (void)Version;
    (void)UserFunctions;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE krb_lsa_table = {
    .CallPackage = krb_call_package,
    .CallPackageUntrusted = krb_call_package,
    .Initialize = krb_initialize,
    .Shutdown = krb_shutdown,
    .GetInfo = krb_get_info,
    .AcquireCredentialsHandle = krb_acquire_credentials_handle,
    .QueryCredentialsAttributes = krb_query_credentials_attributes,
    .FreeCredentialsHandle = krb_free_credentials_handle,
    .InitLsaModeContext = krb_init_lsa_mode_context,
    .AcceptLsaModeContext = krb_accept_lsa_mode_context,
    .DeleteContext = krb_delete_context,
    .GetExtendedInformation = krb_get_extended_information,
    .QueryContextAttributes = krb_query_context_attributes,
    .SetExtendedInformation = krb_set_extended_information,
};

static SECPKG_USER_FUNCTION_TABLE krb_user_table = {
    .InstanceInit = krb_instance_init,
    .MakeSignature = krb_make_signature,
    .VerifySignature = krb_verify_signature,
    .SealMessage = krb_seal_message,
    .UnsealMessage = krb_unseal_message,
    .QueryContextAttributes = krb_query_context_attributes,
    .DeleteUserModeContext = krb_delete_user_mode_context,
    .ExportContext = krb_export_context,
    .ImportContext = krb_import_context,
};

/* Exported: one LSA-mode table, filled up to SECPKG_INTERFACE_VERSION. */
NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &krb_lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* Exported: the matching user-mode table. */
NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &krb_user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
