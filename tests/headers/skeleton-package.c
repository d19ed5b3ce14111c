/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * skeleton-package.c - the smallest SSP/AP a package author would write:
 * <sspi.h> then <ntsecpkg.h>, the two exported entry points and filled
 * LSA-mode and user-mode tables.  check-headers.sh compiles it as C and
 * as C++ to prove the prototypes and table member types fit together.
 */
#include <sspi.h>
#include <ntsecpkg.h>

#include <string.h>

static PLSA_SECPKG_FUNCTION_TABLE skel_lsa;
static PSECPKG_DLL_FUNCTIONS skel_dll;
static ULONG_PTR skel_package_id;
static SEC_WCHAR skel_name[] = {'S', 'k', 'e', 'l', 'e', 't', 'o', 'n', 0};
static SEC_WCHAR skel_comment[] = {'x', 0};

static NTSTATUS NTAPI skel_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                      PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    skel_package_id = PackageId;
    skel_lsa = FunctionTable;
    if (Parameters->MachineState & SECPKG_STATE_STANDALONE)
        return STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_get_info(PSecPkgInfoW PackageInfo)
{
    PackageInfo->fCapabilities =
        SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    PackageInfo->cbMaxToken = 256;
    PackageInfo->Name = skel_name;
    PackageInfo->Comment = skel_comment;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_set_extended(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                        PSECPKG_EXTENDED_INFORMATION Info)
{
    ULONG i;

    if (Class != SecpkgLibsspiConfig)
        return STATUS_INVALID_INFO_CLASS;
    for (i = 0; i < Info->Info.LibsspiConfig.SettingCount; i++) {
        if (strcmp(Info->Info.LibsspiConfig.Settings[i].Key, "key") == 0)
            return STATUS_SUCCESS;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_acquire(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                   PLUID LogonId, PVOID AuthorizationData, PVOID GetKeyFunciton,
                                   PVOID GetKeyArgument, PLSA_SEC_HANDLE CredentialHandle,
                                   PTimeStamp ExpirationTime)
{
    PVOID mem;

    (void)PrincipalName;
    (void)LogonId;
    (void)AuthorizationData;
    (void)GetKeyFunciton;
    (void)GetKeyArgument;
    if (!(CredentialUseFlags & SECPKG_CRED_BOTH))
        return SEC_E_UNKNOWN_CREDENTIALS;
    mem = skel_lsa->AllocateLsaHeap(16);
    if (mem == NULL)
        return STATUS_NO_MEMORY;
    *CredentialHandle = (LSA_SEC_HANDLE)mem;
    ExpirationTime->QuadPart = 0x7FFFFFFFFFFFFFFFLL;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_free_credentials(LSA_SEC_HANDLE CredentialHandle)
{
    skel_lsa->FreeLsaHeap((PVOID)CredentialHandle);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_init_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    (void)CredentialHandle;
    (void)ContextHandle;
    (void)TargetName;
    (void)TargetDataRep;
    (void)InputBuffers;
    (void)OutputBuffers;
    (void)ExpirationTime;
    *NewContextHandle = 1;
    *ContextAttributes = ContextRequirements & (ISC_RET_INTEGRITY | ISC_RET_CONFIDENTIALITY);
    *MappedContext = TRUE;
    ContextData->BufferType = SECBUFFER_EMPTY;
    ContextData->cbBuffer = 0;
    ContextData->pvBuffer = NULL;
    return SEC_I_CONTINUE_NEEDED;
}

static NTSTATUS NTAPI skel_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    (void)ContextHandle;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                         PVOID Buffer)
{
    PSecPkgContext_Sizes sizes = (PSecPkgContext_Sizes)Buffer;

    (void)ContextHandle;
    if (ContextAttribute != SECPKG_ATTR_SIZES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    sizes->cbMaxToken = 256;
    sizes->cbMaxSignature = 16;
    sizes->cbBlockSize = 1;
    sizes->cbSecurityTrailer = 16;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                         PVOID *UserFunctions)
{
    (void)Version;
    (void)UserFunctions;
    skel_dll = FunctionTable;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_init_user_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    (void)ContextHandle;
    (void)PackedContext;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                          PSecBufferDesc MessageBuffers,
                                          ULONG MessageSequenceNumber)
{
    ULONG i;

    (void)ContextHandle;
    (void)QualityOfProtection;
    (void)MessageSequenceNumber;
    for (i = 0; i < MessageBuffers->cBuffers; i++) {
        PSecBuffer b = &MessageBuffers->pBuffers[i];
        if ((b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN)
            return b->cbBuffer >= 16 ? STATUS_SUCCESS : SEC_E_BUFFER_TOO_SMALL;
    }
    return SEC_E_INVALID_TOKEN;
}

static NTSTATUS NTAPI skel_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                            PSecBufferDesc MessageBuffers,
                                            ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    (void)ContextHandle;
    (void)MessageBuffers;
    (void)MessageSequenceNumber;
    if (QualityOfProtection != NULL)
        *QualityOfProtection = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI skel_export(LSA_SEC_HANDLE phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                  PHANDLE pToken)
{
    (void)phContext;
    (void)fFlags;
    (void)pToken;
    pPackedContext->pvBuffer = skel_dll->AllocateHeap(8);
    pPackedContext->cbBuffer = 8;
    return pPackedContext->pvBuffer != NULL ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static SECPKG_FUNCTION_TABLE skel_tables[1];
static SECPKG_USER_FUNCTION_TABLE skel_user_tables[1];

NTSTATUS SEC_ENTRY SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                       PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    PSECPKG_FUNCTION_TABLE t = &skel_tables[0];

    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return STATUS_NOT_SUPPORTED;
    memset(t, 0, sizeof(*t));
    t->Initialize = skel_initialize;
    t->Shutdown = skel_shutdown;
    t->GetInfo = skel_get_info;
    t->SetExtendedInformation = skel_set_extended;
    t->AcquireCredentialsHandle = skel_acquire;
    t->FreeCredentialsHandle = skel_free_credentials;
    t->InitLsaModeContext = skel_init_context;
    t->DeleteContext = skel_delete_context;
    t->QueryContextAttributes = skel_query_context;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = skel_tables;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

NTSTATUS SEC_ENTRY SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                        PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    PSECPKG_USER_FUNCTION_TABLE t = &skel_user_tables[0];

    if (LsaVersion != SECPKG_INTERFACE_VERSION)
        return STATUS_NOT_SUPPORTED;
    memset(t, 0, sizeof(*t));
    t->InstanceInit = skel_instance_init;
    t->InitUserModeContext = skel_init_user_context;
    t->MakeSignature = skel_make_signature;
    t->VerifySignature = skel_verify_signature;
    t->QueryContextAttributes = skel_query_context;
    t->DeleteUserModeContext = skel_delete_context;
    t->ExportContext = skel_export;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = skel_user_tables;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* The host side looks the entry points up by these names and types. */
static SpLsaModeInitializeFn skel_lsa_entry = SpLsaModeInitialize;
static SpUserModeInitializeFn skel_user_entry = SpUserModeInitialize;

int skel_entry_points_match(void);
int skel_entry_points_match(void)
{
    return skel_lsa_entry != NULL && skel_user_entry != NULL &&
           strcmp(SECPKG_LSAMODEINIT_NAME, "SpLsaModeInitialize") == 0;
}
