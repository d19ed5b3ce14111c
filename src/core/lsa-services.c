/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lsa-services.c - the service tables libsspi hands to security packages:
 * LSA_SECPKG_FUNCTION_TABLE (SpInitialize), SECPKG_DLL_FUNCTIONS
 * (SpInstanceInit) and the SECPKG_PARAMETERS of a standalone machine.
 *
 * The package runs in the caller's process, so "client" buffers are
 * ordinary memory: AllocateClientBuffer allocates from the allocator
 * FreeContextBuffer frees, the copy functions are fault-tolerant copies
 * (STATUS_ACCESS_VIOLATION for memory that cannot be read or written, as on
 * Windows) and MapBuffer returns the buffer as it is.  Every slot of the 66-slot table is set;
 * services with no meaning here are typed stubs that return
 * STATUS_NOT_IMPLEMENTED (NULL, FALSE or nothing for slots whose return
 * type is a pointer, a BOOLEAN or void) and say so in the trace.
 *
 * Choices:
 * - GetClientInfo reports the logon session of the process as the LUID
 *   { LowPart = effective uid, HighPart = 0x4C53 }: the same for every
 *   process of a user, never equal to a Windows well-known LUID.
 * - SECPKG_PARAMETERS: no domain (empty DomainName and DnsDomainName, NULL
 *   DomainSid, zero DomainGuid); a package wanting the host name asks the
 *   system for it.
 * - LocatePackageById returns NULL: Windows documents no contract for the
 *   pointer it returns.
 * - LsaProtectMemory / LsaUnprotectMemory leave the buffer unchanged (a
 *   consistent pair: protect then unprotect gives the data back).
 * - CallPackage, CallPackageEx and CallPackagePassthrough reach the named
 *   package's LSA-mode slots (api-lsa.c).
 */
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/core.h"
#include "core/identity-core.h"
#include "core/token.h"
#include "core/loader.h"

_Thread_local uint32_t sspi_call_attributes;

/* HighPart of the LUID reported as the process's logon session ("LS"). */
#define SSPI_LOGON_LUID_HIGH 0x4C53

static char16_t empty_wstr[1];

static const SECPKG_PARAMETERS lsa_parameters_template = {
    .Version = SECPKG_INTERFACE_VERSION,
    .MachineState = SECPKG_STATE_STANDALONE | SECPKG_STATE_ENCRYPTION_PERMITTED |
                    SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED,
    .SetupMode = 0,
    .DomainSid = NULL,
    .DomainName = {0, sizeof(char16_t), empty_wstr},
    .DnsDomainName = {0, sizeof(char16_t), empty_wstr},
};

static SECPKG_PARAMETERS lsa_parameters;

/* Load lock held (one static block). */
PSECPKG_PARAMETERS sspi_lsa_fresh_parameters(void)
{
    empty_wstr[0] = 0;
    lsa_parameters = lsa_parameters_template;
    return &lsa_parameters;
}

static uint32_t current_tid(void)
{
    return (uint32_t)syscall(SYS_gettid);
}

static void *heap_alloc(size_t len)
{
    return sspi_mem_alloc(len ? len : 1);
}

/* ---- implemented services ----------------------------------------------- */

static LSA_ALLOCATE_LSA_HEAP lsa_allocate_lsa_heap;
static PVOID NTAPI lsa_allocate_lsa_heap(ULONG Length)
{
    return heap_alloc(Length);
}

static LSA_FREE_LSA_HEAP lsa_free_lsa_heap;
static VOID NTAPI lsa_free_lsa_heap(PVOID Base)
{
    if (!sspi_mem_free(Base))
        sspi_trace("FreeLsaHeap(%p): not memory from AllocateLsaHeap; ignored", Base);
}

static LSA_ALLOCATE_PRIVATE_HEAP lsa_allocate_private_heap;
static PVOID NTAPI lsa_allocate_private_heap(SIZE_T Length)
{
    return heap_alloc(Length);
}

static LSA_FREE_PRIVATE_HEAP lsa_free_private_heap;
static VOID NTAPI lsa_free_private_heap(PVOID Base)
{
    if (!sspi_mem_free(Base))
        sspi_trace("FreePrivateHeap(%p): not memory from AllocatePrivateHeap; ignored", Base);
}

static LSA_ALLOCATE_CLIENT_BUFFER lsa_allocate_client_buffer;
static NTSTATUS NTAPI lsa_allocate_client_buffer(PLSA_CLIENT_REQUEST ClientRequest,
                                                 ULONG LengthRequired, PVOID *ClientBaseAddress)
{
    if (ClientBaseAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    *ClientBaseAddress = heap_alloc(LengthRequired);
    return *ClientBaseAddress ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static LSA_FREE_CLIENT_BUFFER lsa_free_client_buffer;
static NTSTATUS NTAPI lsa_free_client_buffer(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ClientBaseAddress)
{
    return sspi_mem_free(ClientBaseAddress) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

static LSA_COPY_TO_CLIENT_BUFFER lsa_copy_to_client_buffer;
static NTSTATUS NTAPI lsa_copy_to_client_buffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                PVOID ClientBaseAddress, PVOID BufferToCopy)
{
    if (Length == 0)
        return STATUS_SUCCESS;
    if (ClientBaseAddress == NULL || BufferToCopy == NULL)
        return STATUS_INVALID_PARAMETER;
    return sspi_client_write(ClientBaseAddress, BufferToCopy, Length) ? STATUS_SUCCESS
                                                                      : STATUS_ACCESS_VIOLATION;
}

static LSA_COPY_FROM_CLIENT_BUFFER lsa_copy_from_client_buffer;
static NTSTATUS NTAPI lsa_copy_from_client_buffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                  PVOID BufferToCopy, PVOID ClientBaseAddress)
{
    if (Length == 0)
        return STATUS_SUCCESS;
    if (ClientBaseAddress == NULL || BufferToCopy == NULL)
        return STATUS_INVALID_PARAMETER;
    return sspi_client_read(BufferToCopy, ClientBaseAddress, Length) ? STATUS_SUCCESS
                                                                     : STATUS_ACCESS_VIOLATION;
}

static void fill_client_info(PSECPKG_CLIENT_INFO ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->LogonId.LowPart = (uint32_t)geteuid();
    ci->LogonId.HighPart = SSPI_LOGON_LUID_HIGH;
    ci->ProcessID = (uint32_t)getpid();
    ci->ThreadID = current_tid();
    ci->HasTcbPrivilege = geteuid() == 0;
    ci->Impersonating = sspi_thread_impersonating() ? TRUE : FALSE; /* impersonate.c */
    ci->Restricted = FALSE;
    ci->ClientFlags = 0;
    ci->ImpersonationLevel = SecurityImpersonation;
    ci->ClientToken = NULL;
}

static LSA_GET_CLIENT_INFO lsa_get_client_info;
static NTSTATUS NTAPI lsa_get_client_info(PSECPKG_CLIENT_INFO ClientInfo)
{
    if (ClientInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    fill_client_info(ClientInfo);
    return STATUS_SUCCESS;
}

static LSA_GET_CLIENT_INFO_EX lsa_get_client_info_ex;
static NTSTATUS NTAPI lsa_get_client_info_ex(PSECPKG_CLIENT_INFO_EX ClientInfo, ULONG StructSize)
{
    SECPKG_CLIENT_INFO_EX ex;

    if (ClientInfo == NULL || StructSize < sizeof(SECPKG_CLIENT_INFO))
        return STATUS_INVALID_PARAMETER;
    memset(&ex, 0, sizeof(ex));
    fill_client_info((PSECPKG_CLIENT_INFO)&ex);
    ex.IdentificationLogonId = ex.LogonId;
    memcpy(ClientInfo, &ex, StructSize < sizeof(ex) ? StructSize : sizeof(ex));
    return STATUS_SUCCESS;
}

static LSA_GET_CALL_INFO lsa_get_call_info;
static BOOLEAN NTAPI lsa_get_call_info(PSECPKG_CALL_INFO Info)
{
    if (Info == NULL)
        return FALSE;
    memset(Info, 0, sizeof(*Info));
    Info->ProcessId = (uint32_t)getpid();
    Info->ThreadId = current_tid();
    Info->Attributes = SECPKG_CALL_IN_PROC | sspi_call_attributes;
    Info->CallCount = 1;
    Info->MechOid = NULL;
    return TRUE;
}

static LSA_GET_EXTENDED_CALL_FLAGS lsa_get_extended_call_flags;
static NTSTATUS NTAPI lsa_get_extended_call_flags(PULONG Flags)
{
    if (Flags == NULL)
        return STATUS_INVALID_PARAMETER;
    *Flags = SECPKG_CALL_IN_PROC | sspi_call_attributes;
    return STATUS_SUCCESS;
}

static LSA_MAP_BUFFER lsa_map_buffer;
static NTSTATUS NTAPI lsa_map_buffer(PSecBuffer InputBuffer, PSecBuffer OutputBuffer)
{
    if (InputBuffer == NULL || OutputBuffer == NULL)
        return STATUS_INVALID_PARAMETER;
    *OutputBuffer = *InputBuffer;
    return STATUS_SUCCESS;
}

static LSA_PROTECT_MEMORY lsa_protect_memory;
static VOID NTAPI lsa_protect_memory(PVOID Buffer, ULONG BufferSize)
{
}

/* ---- stubs -------------------------------------------------------------- */

#define NOT_IMPLEMENTED(name) sspi_trace("LSA service %s called: not implemented", name)

static LSA_CREATE_LOGON_SESSION stub_create_logon_session;
static NTSTATUS NTAPI stub_create_logon_session(PLUID LogonId)
{
    NOT_IMPLEMENTED("CreateLogonSession");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_DELETE_LOGON_SESSION stub_delete_logon_session;
static NTSTATUS NTAPI stub_delete_logon_session(PLUID LogonId)
{
    NOT_IMPLEMENTED("DeleteLogonSession");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_ADD_CREDENTIAL stub_add_credential;
static NTSTATUS NTAPI stub_add_credential(PLUID LogonId, ULONG AuthenticationPackage,
                                          PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials)
{
    NOT_IMPLEMENTED("AddCredential");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_CREDENTIALS stub_get_credentials;
static NTSTATUS NTAPI stub_get_credentials(PLUID LogonId, ULONG AuthenticationPackage,
                                           PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                           PLSA_STRING PrimaryKeyValue, PULONG PrimaryKeyLength,
                                           PLSA_STRING Credentials)
{
    NOT_IMPLEMENTED("GetCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_DELETE_CREDENTIAL stub_delete_credential;
static NTSTATUS NTAPI stub_delete_credential(PLUID LogonId, ULONG AuthenticationPackage,
                                             PLSA_STRING PrimaryKeyValue)
{
    NOT_IMPLEMENTED("DeleteCredential");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_IMPERSONATE_CLIENT stub_impersonate_client;
static NTSTATUS NTAPI stub_impersonate_client(VOID)
{
    NOT_IMPLEMENTED("ImpersonateClient");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_UNLOAD_PACKAGE stub_unload_package;
static NTSTATUS NTAPI stub_unload_package(VOID)
{
    NOT_IMPLEMENTED("UnloadPackage");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_DUPLICATE_HANDLE stub_duplicate_handle;
static NTSTATUS NTAPI stub_duplicate_handle(HANDLE SourceHandle, PHANDLE DestionationHandle)
{
    NOT_IMPLEMENTED("DuplicateHandle");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_DUPLICATE_HANDLE stub_duplicate_token_handle;
static NTSTATUS NTAPI stub_duplicate_token_handle(HANDLE SourceHandle, PHANDLE DestionationHandle)
{
    NOT_IMPLEMENTED("DuplicateTokenHandle");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_SAVE_SUPPLEMENTAL_CREDENTIALS stub_save_supplemental_credentials;
static NTSTATUS NTAPI stub_save_supplemental_credentials(PLUID LogonId, ULONG SupplementalCredSize,
                                                         PVOID SupplementalCreds,
                                                         BOOLEAN Synchronous)
{
    NOT_IMPLEMENTED("SaveSupplementalCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CREATE_THREAD stub_create_thread;
static HANDLE NTAPI stub_create_thread(SEC_ATTRS SecurityAttributes, ULONG StackSize,
                                       SEC_THREAD_START StartFunction, PVOID ThreadParameter,
                                       ULONG CreationFlags, PULONG ThreadId)
{
    NOT_IMPLEMENTED("CreateThread");
    return NULL;
}

static LSA_REGISTER_NOTIFICATION stub_register_notification;
static HANDLE NTAPI stub_register_notification(SEC_THREAD_START StartFunction, PVOID Parameter,
                                               ULONG NotificationType, ULONG NotificationClass,
                                               ULONG NotificationFlags, ULONG IntervalMinutes,
                                               HANDLE WaitEvent)
{
    NOT_IMPLEMENTED("RegisterNotification");
    return NULL;
}

static LSA_CANCEL_NOTIFICATION stub_cancel_notification;
static NTSTATUS NTAPI stub_cancel_notification(HANDLE NotifyHandle)
{
    NOT_IMPLEMENTED("CancelNotification");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CREATE_TOKEN stub_create_token;
static NTSTATUS NTAPI stub_create_token(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                        SECURITY_LOGON_TYPE LogonType,
                                        SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                        LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                        PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                        PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
                                        PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                        PHANDLE Token, PNTSTATUS SubStatus)
{
    NOT_IMPLEMENTED("CreateToken");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CREATE_TOKEN_EX stub_create_token_ex;
static NTSTATUS NTAPI stub_create_token_ex(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                           SECURITY_LOGON_TYPE LogonType,
                                           SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                           LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                           PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                           PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                           PVOID SessionInformation,
                                           SECPKG_SESSIONINFO_TYPE SessionInformationType,
                                           PHANDLE Token, PNTSTATUS SubStatus)
{
    NOT_IMPLEMENTED("CreateTokenEx");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_AUDIT_LOGON stub_audit_logon;
static VOID NTAPI stub_audit_logon(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                                   PUNICODE_STRING AuthenticatingAuthority,
                                   PUNICODE_STRING WorkstationName, PSID UserSid,
                                   SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                                   PLUID LogonId)
{
    NOT_IMPLEMENTED("AuditLogon");
}

static LSA_AUDIT_LOGON_EX stub_audit_logon_ex;
static VOID NTAPI stub_audit_logon_ex(NTSTATUS Status, NTSTATUS SubStatus,
                                      PUNICODE_STRING AccountName,
                                      PUNICODE_STRING AuthenticatingAuthority,
                                      PUNICODE_STRING WorkstationName, PSID UserSid,
                                      SECURITY_LOGON_TYPE LogonType,
                                      SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                      PTOKEN_SOURCE TokenSource, PLUID LogonId)
{
    NOT_IMPLEMENTED("AuditLogonEx");
}

static LSA_CREATE_SHARED_MEMORY stub_create_shared_memory;
static PVOID NTAPI stub_create_shared_memory(ULONG MaxSize, ULONG InitialSize)
{
    NOT_IMPLEMENTED("CreateSharedMemory");
    return NULL;
}

static LSA_ALLOCATE_SHARED_MEMORY stub_allocate_shared_memory;
static PVOID NTAPI stub_allocate_shared_memory(PVOID SharedMem, ULONG Size)
{
    NOT_IMPLEMENTED("AllocateSharedMemory");
    return NULL;
}

static LSA_FREE_SHARED_MEMORY stub_free_shared_memory;
static VOID NTAPI stub_free_shared_memory(PVOID SharedMem, PVOID Memory)
{
    NOT_IMPLEMENTED("FreeSharedMemory");
}

static LSA_DELETE_SHARED_MEMORY stub_delete_shared_memory;
static BOOLEAN NTAPI stub_delete_shared_memory(PVOID SharedMem)
{
    NOT_IMPLEMENTED("DeleteSharedMemory");
    return FALSE;
}

static LSA_OPEN_SAM_USER stub_open_sam_user;
static NTSTATUS NTAPI stub_open_sam_user(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                         PSECURITY_STRING Prefix, BOOLEAN AllowGuest,
                                         ULONG Reserved, PVOID *UserHandle)
{
    NOT_IMPLEMENTED("OpenSamUser");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_USER_CREDENTIALS stub_get_user_credentials;
static NTSTATUS NTAPI stub_get_user_credentials(PVOID UserHandle, PVOID *PrimaryCreds,
                                                PULONG PrimaryCredsSize, PVOID *SupplementalCreds,
                                                PULONG SupplementalCredsSize)
{
    NOT_IMPLEMENTED("GetUserCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_USER_AUTH_DATA stub_get_user_auth_data;
static NTSTATUS NTAPI stub_get_user_auth_data(PVOID UserHandle, PUCHAR *UserAuthData,
                                              PULONG UserAuthDataSize)
{
    NOT_IMPLEMENTED("GetUserAuthData");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CLOSE_SAM_USER stub_close_sam_user;
static NTSTATUS NTAPI stub_close_sam_user(PVOID UserHandle)
{
    NOT_IMPLEMENTED("CloseSamUser");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CONVERT_AUTH_DATA_TO_TOKEN stub_convert_auth_data_to_token;
static NTSTATUS NTAPI stub_convert_auth_data_to_token(
    PVOID UserAuthData, ULONG UserAuthDataSize, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    PTOKEN_SOURCE TokenSource, SECURITY_LOGON_TYPE LogonType, PUNICODE_STRING AuthorityName,
    PHANDLE Token, PLUID LogonId, PUNICODE_STRING AccountName, PNTSTATUS SubStatus)
{
    NOT_IMPLEMENTED("ConvertAuthDataToToken");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CLIENT_CALLBACK stub_client_callback;
static NTSTATUS NTAPI stub_client_callback(PCHAR Callback, ULONG_PTR Argument1, ULONG_PTR Argument2,
                                           PSecBuffer Input, PSecBuffer Output)
{
    NOT_IMPLEMENTED("ClientCallback");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_UPDATE_PRIMARY_CREDENTIALS stub_update_credentials;
static NTSTATUS NTAPI stub_update_credentials(PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                              PSECPKG_SUPPLEMENTAL_CRED_ARRAY Credentials)
{
    NOT_IMPLEMENTED("UpdateCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_AUTH_DATA_FOR_USER stub_get_auth_data_for_user;
static NTSTATUS NTAPI stub_get_auth_data_for_user(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                                  PSECURITY_STRING Prefix, PUCHAR *UserAuthData,
                                                  PULONG UserAuthDataSize,
                                                  PUNICODE_STRING UserFlatName)
{
    NOT_IMPLEMENTED("GetAuthDataForUser");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CRACK_SINGLE_NAME stub_crack_single_name;
static NTSTATUS NTAPI stub_crack_single_name(ULONG FormatOffered, BOOLEAN PerformAtGC,
                                             PUNICODE_STRING NameInput, PUNICODE_STRING Prefix,
                                             ULONG RequestedFormat, PUNICODE_STRING CrackedName,
                                             PUNICODE_STRING DnsDomainName, PULONG SubStatus)
{
    NOT_IMPLEMENTED("CrackSingleName");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_AUDIT_ACCOUNT_LOGON stub_audit_account_logon;
static NTSTATUS NTAPI stub_audit_account_logon(ULONG AuditId, BOOLEAN Success,
                                               PUNICODE_STRING Source, PUNICODE_STRING ClientName,
                                               PUNICODE_STRING MappedName, NTSTATUS Status)
{
    NOT_IMPLEMENTED("AuditAccountLogon");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_PROTECT_MEMORY stub_dummy_function;
static VOID NTAPI stub_dummy_function(PVOID Buffer, ULONG BufferSize)
{
    NOT_IMPLEMENTED("DummyFunction");
}

static LSA_OPEN_TOKEN_BY_LOGON_ID stub_open_token_by_logon_id;
static NTSTATUS NTAPI stub_open_token_by_logon_id(PLUID LogonId, HANDLE *RetTokenHandle)
{
    NOT_IMPLEMENTED("OpenTokenByLogonId");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_EXPAND_AUTH_DATA_FOR_DOMAIN stub_expand_auth_data_for_domain;
static NTSTATUS NTAPI stub_expand_auth_data_for_domain(PUCHAR UserAuthData, ULONG UserAuthDataSize,
                                                       PVOID Reserved, PUCHAR *ExpandedAuthData,
                                                       PULONG ExpandedAuthDataSize)
{
    NOT_IMPLEMENTED("ExpandAuthDataForDomain");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_SERVICE_ACCOUNT_PASSWORD stub_get_service_account_password;
static NTSTATUS NTAPI stub_get_service_account_password(
    PUNICODE_STRING AccountName, PUNICODE_STRING DomainName, CRED_FETCH CredFetch,
    FILETIME *FileTimeExpiry, PUNICODE_STRING CurrentPassword, PUNICODE_STRING PreviousPassword,
    FILETIME *FileTimeCurrPwdValidForOutbound)
{
    NOT_IMPLEMENTED("GetServiceAccountPassword");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_CHECK_PROTECTED_USER_BY_TOKEN stub_check_protected_user_by_token;
static NTSTATUS NTAPI stub_check_protected_user_by_token(HANDLE UserToken, PBOOLEAN ProtectedUser)
{
    NOT_IMPLEMENTED("CheckProtectedUserByToken");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_QUERY_CLIENT_REQUEST stub_query_client_request;
static NTSTATUS NTAPI stub_query_client_request(PLSA_CLIENT_REQUEST ClientRequest, ULONG QueryType,
                                                PVOID *ReplyBuffer)
{
    NOT_IMPLEMENTED("QueryClientRequest");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_GET_APP_MODE_INFO stub_get_app_mode_info;
static NTSTATUS NTAPI stub_get_app_mode_info(PULONG UserFunction, PULONG_PTR Argument1,
                                             PULONG_PTR Argument2, PSecBuffer UserData,
                                             PBOOLEAN ReturnToLsa)
{
    NOT_IMPLEMENTED("GetAppModeInfo");
    return STATUS_NOT_IMPLEMENTED;
}

static LSA_SET_APP_MODE_INFO stub_set_app_mode_info;
static NTSTATUS NTAPI stub_set_app_mode_info(ULONG UserFunction, ULONG_PTR Argument1,
                                             ULONG_PTR Argument2, PSecBuffer UserData,
                                             BOOLEAN ReturnToLsa)
{
    NOT_IMPLEMENTED("SetAppModeInfo");
    return STATUS_NOT_IMPLEMENTED;
}

/* Why the last request on this thread was declined, as the package said
 * through SetSecpkgFailureReason.  Logged when tracing, so an operator can
 * tell an unknown user from a wrong password; never holds secrets. */
static _Thread_local SECPKG_FAILURE_REASON last_failure;

static LSA_GET_SECPKG_FAILURE_REASON get_secpkg_failure_reason;
static NTSTATUS NTAPI get_secpkg_failure_reason(const ULONG_PTR PackageID,
                                                SECPKG_FAILURE_REASON *Reason)
{
    (void)PackageID;
    if (Reason == NULL)
        return STATUS_INVALID_PARAMETER;
    *Reason = last_failure;
    return STATUS_SUCCESS;
}

static LSA_SET_SECPKG_FAILURE_REASON set_secpkg_failure_reason;
static NTSTATUS NTAPI set_secpkg_failure_reason(const SECPKG_FAILURE_REASON Reason)
{
    last_failure = Reason;
    if (sspi_trace_enabled()) {
        const char *name = sspi_status_name(Reason.Status);
        sspi_trace("package failure reason: %s (0x%08X), reason code %d",
                   name != NULL ? name : "unknown status", (unsigned)Reason.Status,
                   (int)Reason.Reason);
    }
    return STATUS_SUCCESS;
}

/* Positional initialisers would break silently if a slot were missing;
 * designated ones plus the size check below keep the table complete. */
LSA_SECPKG_FUNCTION_TABLE sspi_lsa_functions = {
    .CreateLogonSession = stub_create_logon_session,
    .DeleteLogonSession = stub_delete_logon_session,
    .AddCredential = stub_add_credential,
    .GetCredentials = stub_get_credentials,
    .DeleteCredential = stub_delete_credential,
    .AllocateLsaHeap = lsa_allocate_lsa_heap,
    .FreeLsaHeap = lsa_free_lsa_heap,
    .AllocateClientBuffer = lsa_allocate_client_buffer,
    .FreeClientBuffer = lsa_free_client_buffer,
    .CopyToClientBuffer = lsa_copy_to_client_buffer,
    .CopyFromClientBuffer = lsa_copy_from_client_buffer,
    .ImpersonateClient = stub_impersonate_client,
    .UnloadPackage = stub_unload_package,
    .DuplicateHandle = stub_duplicate_handle,
    .SaveSupplementalCredentials = stub_save_supplemental_credentials,
    .CreateThread = stub_create_thread,
    .GetClientInfo = lsa_get_client_info,
    .RegisterNotification = stub_register_notification,
    .CancelNotification = stub_cancel_notification,
    .MapBuffer = lsa_map_buffer,
    .CreateToken = stub_create_token,
    .AuditLogon = stub_audit_logon,
    .CallPackage = sspi_lsa_call_package,
    .FreeReturnBuffer = lsa_free_lsa_heap,
    .GetCallInfo = lsa_get_call_info,
    .CallPackageEx = sspi_lsa_call_package_ex,
    .CreateSharedMemory = stub_create_shared_memory,
    .AllocateSharedMemory = stub_allocate_shared_memory,
    .FreeSharedMemory = stub_free_shared_memory,
    .DeleteSharedMemory = stub_delete_shared_memory,
    .OpenSamUser = stub_open_sam_user,
    .GetUserCredentials = stub_get_user_credentials,
    .GetUserAuthData = stub_get_user_auth_data,
    .CloseSamUser = stub_close_sam_user,
    .ConvertAuthDataToToken = stub_convert_auth_data_to_token,
    .ClientCallback = stub_client_callback,
    .UpdateCredentials = stub_update_credentials,
    .GetAuthDataForUser = stub_get_auth_data_for_user,
    .CrackSingleName = stub_crack_single_name,
    .AuditAccountLogon = stub_audit_account_logon,
    .CallPackagePassthrough = sspi_lsa_call_package_passthrough,
    .DummyFunction1 = stub_dummy_function,
    .DummyFunction2 = stub_dummy_function,
    .DummyFunction3 = stub_dummy_function,
    .LsaProtectMemory = lsa_protect_memory,
    .LsaUnprotectMemory = lsa_protect_memory,
    .OpenTokenByLogonId = stub_open_token_by_logon_id,
    .ExpandAuthDataForDomain = stub_expand_auth_data_for_domain,
    .AllocatePrivateHeap = lsa_allocate_private_heap,
    .FreePrivateHeap = lsa_free_private_heap,
    .CreateTokenEx = stub_create_token_ex,
    .DummyFunction4 = stub_dummy_function,
    .DummyFunction5 = stub_dummy_function,
    .DummyFunction6 = stub_dummy_function,
    .GetExtendedCallFlags = lsa_get_extended_call_flags,
    .DuplicateTokenHandle = stub_duplicate_token_handle,
    .GetServiceAccountPassword = stub_get_service_account_password,
    .DummyFunction7 = stub_dummy_function,
    .AuditLogonEx = stub_audit_logon_ex,
    .CheckProtectedUserByToken = stub_check_protected_user_by_token,
    .QueryClientRequest = stub_query_client_request,
    .GetAppModeInfo = stub_get_app_mode_info,
    .SetAppModeInfo = stub_set_app_mode_info,
    .GetClientInfoEx = lsa_get_client_info_ex,
    .GetSecpkgFailureReason = get_secpkg_failure_reason,
    .SetSecpkgFailureReason = set_secpkg_failure_reason,
};

_Static_assert(sizeof(LSA_SECPKG_FUNCTION_TABLE) == 66 * sizeof(void *),
               "LSA_SECPKG_FUNCTION_TABLE must have the 66 SDK slots");

/* ---- SECPKG_DLL_FUNCTIONS ----------------------------------------------- */

#define MAX_CALLBACKS 64

static pthread_mutex_t callback_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    ULONG id;
    PLSA_CALLBACK_FUNCTION fn;
} callbacks[MAX_CALLBACKS];
static size_t ncallbacks;

static LSA_REGISTER_CALLBACK dll_register_callback;
static NTSTATUS NTAPI dll_register_callback(ULONG CallbackId, PLSA_CALLBACK_FUNCTION Callback)
{
    NTSTATUS st = STATUS_INSUFFICIENT_RESOURCES;

    pthread_mutex_lock(&callback_lock);
    for (size_t i = 0; i < ncallbacks; i++) {
        if (callbacks[i].id == CallbackId) {
            callbacks[i].fn = Callback;
            st = STATUS_SUCCESS;
            goto out;
        }
    }
    if (ncallbacks < MAX_CALLBACKS) {
        callbacks[ncallbacks].id = CallbackId;
        callbacks[ncallbacks].fn = Callback;
        ncallbacks++;
        st = STATUS_SUCCESS;
    }
out:
    pthread_mutex_unlock(&callback_lock);
    return st;
}

static LSA_LOCATE_PKG_BY_ID dll_locate_package_by_id;
static PVOID NTAPI dll_locate_package_by_id(ULONG PackgeId)
{
    return NULL;
}

SECPKG_DLL_FUNCTIONS sspi_dll_functions = {
    .AllocateHeap = lsa_allocate_lsa_heap,
    .FreeHeap = lsa_free_lsa_heap,
    .RegisterCallback = dll_register_callback,
    .LocatePackageById = dll_locate_package_by_id,
};
