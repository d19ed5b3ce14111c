/*
 * ntsecapi.h - LSA and token types used by the libsspi package interface.
 *
 * The subset of the Windows ntsecapi.h (plus the winnt.h token and
 * thread types it depends on) that ntsecpkg.h needs: counted LSA
 * strings, logon types, impersonation levels, token information
 * structures, quota limits and the well-known package names.  Layouts
 * are those of 64-bit Windows, expressed with fixed-width types.
 */
#ifndef LIBSSPI_NTSECAPI_H
#define LIBSSPI_NTSECAPI_H

#include "sspi-types.h"
#include "sspi.h"    /* MICROSOFT_KERBEROS_NAME_A / _W / generic */

#ifdef __cplusplus
extern "C" {
#endif

/* =========================================================================
 * winnt.h / minwinbase.h subset: tokens, ACLs, threads, file times
 * ========================================================================= */
#if !defined(_WINNT_) && !defined(LIBSSPI_TOKEN_TYPES_DEFINED)
#define LIBSSPI_TOKEN_TYPES_DEFINED 1

typedef enum _SECURITY_IMPERSONATION_LEVEL {
    SecurityAnonymous,
    SecurityIdentification,
    SecurityImpersonation,
    SecurityDelegation
} SECURITY_IMPERSONATION_LEVEL, *PSECURITY_IMPERSONATION_LEVEL;

typedef struct _ACL {
    BYTE AclRevision;
    BYTE Sbz1;
    WORD AclSize;
    WORD AceCount;
    WORD Sbz2;
} ACL, *PACL;

typedef struct _SID_AND_ATTRIBUTES {
    PSID Sid;
    DWORD Attributes;
} SID_AND_ATTRIBUTES, *PSID_AND_ATTRIBUTES;

typedef struct _LUID_AND_ATTRIBUTES {
    LUID Luid;
    DWORD Attributes;
} LUID_AND_ATTRIBUTES, *PLUID_AND_ATTRIBUTES;

typedef struct _TOKEN_USER {
    SID_AND_ATTRIBUTES User;
} TOKEN_USER, *PTOKEN_USER;

typedef struct _TOKEN_GROUPS {
    DWORD GroupCount;
    SID_AND_ATTRIBUTES Groups[ANYSIZE_ARRAY];
} TOKEN_GROUPS, *PTOKEN_GROUPS;

typedef struct _TOKEN_PRIVILEGES {
    DWORD PrivilegeCount;
    LUID_AND_ATTRIBUTES Privileges[ANYSIZE_ARRAY];
} TOKEN_PRIVILEGES, *PTOKEN_PRIVILEGES;

typedef struct _TOKEN_OWNER {
    PSID Owner;
} TOKEN_OWNER, *PTOKEN_OWNER;

typedef struct _TOKEN_PRIMARY_GROUP {
    PSID PrimaryGroup;
} TOKEN_PRIMARY_GROUP, *PTOKEN_PRIMARY_GROUP;

typedef struct _TOKEN_DEFAULT_DACL {
    PACL DefaultDacl;
} TOKEN_DEFAULT_DACL, *PTOKEN_DEFAULT_DACL;

typedef PVOID PCLAIMS_BLOB;

typedef struct _TOKEN_USER_CLAIMS {
    PCLAIMS_BLOB UserClaims;
} TOKEN_USER_CLAIMS, *PTOKEN_USER_CLAIMS;

typedef struct _TOKEN_DEVICE_CLAIMS {
    PCLAIMS_BLOB DeviceClaims;
} TOKEN_DEVICE_CLAIMS, *PTOKEN_DEVICE_CLAIMS;

#define TOKEN_SOURCE_LENGTH 8

typedef struct _TOKEN_SOURCE {
    CHAR SourceName[TOKEN_SOURCE_LENGTH];
    LUID SourceIdentifier;
} TOKEN_SOURCE, *PTOKEN_SOURCE;

typedef struct _QUOTA_LIMITS {
    SIZE_T PagedPoolLimit;
    SIZE_T NonPagedPoolLimit;
    SIZE_T MinimumWorkingSetSize;
    SIZE_T MaximumWorkingSetSize;
    SIZE_T PagefileLimit;
    LARGE_INTEGER TimeLimit;
} QUOTA_LIMITS, *PQUOTA_LIMITS;

/* Kernel-mode token object; opaque here. */
typedef PVOID PACCESS_TOKEN;

#endif /* token types */

#if !defined(_MINWINBASE_) && !defined(_WINBASE_) && !defined(LIBSSPI_WINBASE_TYPES_DEFINED)
#define LIBSSPI_WINBASE_TYPES_DEFINED 1

#ifndef LIBSSPI_FILETIME_DEFINED /* also in wincrypt.h */
#define LIBSSPI_FILETIME_DEFINED 1
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
#endif

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

typedef DWORD (WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

#endif /* winbase types */

/* =========================================================================
 * LSA strings and logon types
 * ========================================================================= */

#ifndef _NTSECAPI_
typedef UNICODE_STRING LSA_UNICODE_STRING, *PLSA_UNICODE_STRING;
typedef STRING LSA_STRING, *PLSA_STRING;
typedef ULONG LSA_OPERATIONAL_MODE, *PLSA_OPERATIONAL_MODE;

typedef enum _SECURITY_LOGON_TYPE {
    UndefinedLogonType = 0,
    Interactive = 2,
    Network,
    Batch,
    Service,
    Proxy,
    Unlock,
    NetworkCleartext,
    NewCredentials,
    RemoteInteractive,
    CachedInteractive,
    CachedRemoteInteractive,
    CachedUnlock
} SECURITY_LOGON_TYPE, *PSECURITY_LOGON_TYPE;
#endif /* _NTSECAPI_ */

/* =========================================================================
 * Well-known authentication packages
 * ========================================================================= */

#ifndef MSV1_0_PACKAGE_NAME
# define MSV1_0_PACKAGE_NAME "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"
#endif
#if defined(LIBSSPI_HAVE_U16_LITERALS) && !defined(MSV1_0_PACKAGE_NAMEW)
# define MSV1_0_PACKAGE_NAMEW u"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"
# define MSV1_0_PACKAGE_NAMEW_LENGTH (sizeof(MSV1_0_PACKAGE_NAMEW) - sizeof(WCHAR))
#endif

/* MICROSOFT_KERBEROS_NAME_A/_W and the generic name come from sspi.h. */

/* Kerberos EncryptMessage QOP: sign only (same value as SECQOP_WRAP_NO_ENCRYPT). */
#define KERB_WRAP_NO_ENCRYPT 0x80000001

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_NTSECAPI_H */
