/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-layout.c - ABI layout of the installed headers.
 *
 * Asserts sizeof/offsetof of every public structure and the value and
 * sign of status constants against the Windows x64 numbers, so that a
 * structure shared with a package or an application can never drift.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"
#include "security.h"
#include "ntsecapi.h"
#include "ntsecpkg.h"
#include "libsspi.h"
#include "handleapi.h"
#include "secext.h"
#include "wincrypt.h"
#include "schannel.h"

#define SIZE(T, n)   ck_assert_uint_eq(sizeof(T), (n))
#define OFF(T, m, n) ck_assert_uint_eq(offsetof(T, m), (n))
#define ALIGN(T, n)                                                                                \
    ck_assert_uint_eq(offsetof(                                                                    \
                          struct {                                                                 \
                              char c;                                                              \
                              T x;                                                                 \
                          },                                                                       \
                          x),                                                                      \
                      (n))
/* Slot i of a function table is at 8*i. */
#define SLOT(T, m, i) ck_assert_uint_eq(offsetof(T, m), 8u * (i))

/* ---- Base types ------------------------------------------------------ */

START_TEST(test_base_types)
{
    SIZE(BOOLEAN, 1);
    SIZE(UCHAR, 1);
    SIZE(USHORT, 2);
    SIZE(WCHAR, 2);
    SIZE(SEC_WCHAR, 2);
    SIZE(SEC_CHAR, 1);
    SIZE(ULONG, 4);
    SIZE(LONG, 4);
    SIZE(DWORD, 4);
    SIZE(ULONG64, 8);
    SIZE(ULONG_PTR, sizeof(void *));
    SIZE(LONG_PTR, sizeof(void *));
    SIZE(SIZE_T, sizeof(void *));
    SIZE(HANDLE, sizeof(void *));
    SIZE(LSA_SEC_HANDLE, sizeof(void *));
    SIZE(SECURITY_STATUS, 4);
    SIZE(NTSTATUS, 4);
    SIZE(HRESULT, 4);
    ck_assert((ULONG)-1 > 0);
    ck_assert((LONG)-1 < 0);
    ck_assert((SECURITY_STATUS)-1 < 0);
    ck_assert((WCHAR)-1 > 0);

    SIZE(LARGE_INTEGER, 8);
    ALIGN(LARGE_INTEGER, 8);
    OFF(LARGE_INTEGER, u.LowPart, 0);
    OFF(LARGE_INTEGER, u.HighPart, 4);
    OFF(LARGE_INTEGER, QuadPart, 0);
    SIZE(TimeStamp, 8);
    ALIGN(TimeStamp, 8);
    SIZE(SECURITY_INTEGER, 8);

    SIZE(LUID, 8);
    ALIGN(LUID, 4);
    OFF(LUID, LowPart, 0);
    OFF(LUID, HighPart, 4);

    SIZE(GUID, 16);
    OFF(GUID, Data2, 4);
    OFF(GUID, Data3, 6);
    OFF(GUID, Data4, 8);

    SIZE(UNICODE_STRING, 16);
    OFF(UNICODE_STRING, Length, 0);
    OFF(UNICODE_STRING, MaximumLength, 2);
    OFF(UNICODE_STRING, Buffer, 8);
    SIZE(STRING, 16);
    OFF(STRING, Buffer, 8);
    SIZE(LSA_UNICODE_STRING, 16);
    SIZE(LSA_STRING, 16);
    SIZE(SECURITY_STRING, 16);
}
END_TEST

START_TEST(test_little_endian_large_integer)
{
    LARGE_INTEGER li;

    li.QuadPart = 0x0000000100000002LL;
    ck_assert_uint_eq(li.u.LowPart, 2);
    ck_assert_int_eq(li.u.HighPart, 1);
    ck_assert_uint_eq(li.LowPart, 2);
    ck_assert_int_eq(li.HighPart, 1);
}
END_TEST

/* ---- SSPI structures -------------------------------------------------- */

START_TEST(test_handles_and_buffers)
{
    SecHandle h;

    SIZE(SecHandle, 16);
    OFF(SecHandle, dwLower, 0);
    OFF(SecHandle, dwUpper, 8);
    SIZE(CredHandle, 16);
    SIZE(CtxtHandle, 16);

    SecInvalidateHandle(&h);
    ck_assert(!SecIsValidHandle(&h));
    h.dwLower = 1;
    h.dwUpper = 2;
    ck_assert(SecIsValidHandle(&h));

    SIZE(SecBuffer, 16);
    OFF(SecBuffer, cbBuffer, 0);
    OFF(SecBuffer, BufferType, 4);
    OFF(SecBuffer, pvBuffer, 8);

    SIZE(SecBufferDesc, 16);
    OFF(SecBufferDesc, ulVersion, 0);
    OFF(SecBufferDesc, cBuffers, 4);
    OFF(SecBufferDesc, pBuffers, 8);

    SIZE(SEC_CHANNEL_BINDINGS, 32);
    OFF(SEC_CHANNEL_BINDINGS, cbApplicationDataLength, 24);
    OFF(SEC_CHANNEL_BINDINGS, dwApplicationDataOffset, 28);
    SIZE(SEC_NEGOTIATION_INFO, 24);
    OFF(SEC_NEGOTIATION_INFO, Name, 8);
    SIZE(SEC_FLAGS, 8);
    SIZE(SEC_DTLS_MTU, 2);
}
END_TEST

START_TEST(test_package_info)
{
    SIZE(SecPkgInfoW, 32);
    OFF(SecPkgInfoW, fCapabilities, 0);
    OFF(SecPkgInfoW, wVersion, 4);
    OFF(SecPkgInfoW, wRPCID, 6);
    OFF(SecPkgInfoW, cbMaxToken, 8);
    OFF(SecPkgInfoW, Name, 16);
    OFF(SecPkgInfoW, Comment, 24);

    SIZE(SecPkgInfoA, 32);
    OFF(SecPkgInfoA, cbMaxToken, 8);
    OFF(SecPkgInfoA, Name, 16);
    OFF(SecPkgInfoA, Comment, 24);

    /* Without UNICODE the generic names are the A forms. */
    SIZE(SecPkgInfo, sizeof(SecPkgInfoA));
    SIZE(((PSecPkgInfo)NULL)->Name[0], 1);
    SIZE(((SecPkgContext_Names *)NULL)->sUserName[0], 1);
    SIZE(((SEC_WINNT_AUTH_IDENTITY *)NULL)->User[0], 1);
}
END_TEST

START_TEST(test_identities)
{
    SIZE(SEC_WINNT_AUTH_IDENTITY_W, 48);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, User, 0);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, UserLength, 8);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, Domain, 16);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, DomainLength, 24);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, Password, 32);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, PasswordLength, 40);
    OFF(SEC_WINNT_AUTH_IDENTITY_W, Flags, 44);
    SIZE(((SEC_WINNT_AUTH_IDENTITY_W *)NULL)->User[0], 2);

    SIZE(SEC_WINNT_AUTH_IDENTITY_A, 48);
    OFF(SEC_WINNT_AUTH_IDENTITY_A, PasswordLength, 40);
    OFF(SEC_WINNT_AUTH_IDENTITY_A, Flags, 44);

    SIZE(SEC_WINNT_AUTH_IDENTITY_EXW, 72);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, Version, 0);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, Length, 4);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, User, 8);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, UserLength, 16);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, Domain, 24);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, DomainLength, 32);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, Password, 40);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, PasswordLength, 48);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, Flags, 52);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, PackageList, 56);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXW, PackageListLength, 64);

    SIZE(SEC_WINNT_AUTH_IDENTITY_EXA, 72);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXA, Flags, 52);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXA, PackageList, 56);
    OFF(SEC_WINNT_AUTH_IDENTITY_EXA, PackageListLength, 64);

    SIZE(SEC_WINNT_AUTH_IDENTITY_EX2, 48);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, Version, 0);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, cbHeaderLength, 4);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, cbStructureLength, 8);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, UserOffset, 12);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, UserLength, 16);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, DomainOffset, 20);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, DomainLength, 24);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, PackedCredentialsOffset, 28);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, PackedCredentialsLength, 32);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, Flags, 36);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListOffset, 40);
    OFF(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListLength, 44);

    SIZE(SEC_WINNT_AUTH_IDENTITY_INFO, 72);

    SIZE(SECURITY_PACKAGE_OPTIONS, 24);
    OFF(SECURITY_PACKAGE_OPTIONS, Size, 0);
    OFF(SECURITY_PACKAGE_OPTIONS, Type, 4);
    OFF(SECURITY_PACKAGE_OPTIONS, Flags, 8);
    OFF(SECURITY_PACKAGE_OPTIONS, SignatureSize, 12);
    OFF(SECURITY_PACKAGE_OPTIONS, Signature, 16);

    SIZE(SEC_WINNT_AUTH_IDENTITY32, 28);
    SIZE(SEC_WINNT_AUTH_IDENTITY_EX32, 44);
}
END_TEST

START_TEST(test_context_attributes)
{
    SIZE(SecPkgContext_Sizes, 16);
    OFF(SecPkgContext_Sizes, cbMaxToken, 0);
    OFF(SecPkgContext_Sizes, cbMaxSignature, 4);
    OFF(SecPkgContext_Sizes, cbBlockSize, 8);
    OFF(SecPkgContext_Sizes, cbSecurityTrailer, 12);

    SIZE(SecPkgContext_StreamSizes, 20);
    OFF(SecPkgContext_StreamSizes, cbHeader, 0);
    OFF(SecPkgContext_StreamSizes, cbTrailer, 4);
    OFF(SecPkgContext_StreamSizes, cbMaximumMessage, 8);
    OFF(SecPkgContext_StreamSizes, cBuffers, 12);
    OFF(SecPkgContext_StreamSizes, cbBlockSize, 16);
    SIZE(SecPkgContext_DatagramSizes, 20);

    SIZE(SecPkgContext_NamesW, 8);
    SIZE(SecPkgContext_NamesA, 8);
    SIZE(SecPkgContext_Lifespan, 16);
    OFF(SecPkgContext_Lifespan, tsExpiry, 8);
    SIZE(SecPkgContext_DceInfo, 16);
    OFF(SecPkgContext_DceInfo, pPac, 8);

    SIZE(SecPkgContext_KeyInfoW, 32);
    OFF(SecPkgContext_KeyInfoW, sEncryptAlgorithmName, 8);
    OFF(SecPkgContext_KeyInfoW, KeySize, 16);
    OFF(SecPkgContext_KeyInfoW, SignatureAlgorithm, 20);
    OFF(SecPkgContext_KeyInfoW, EncryptAlgorithm, 24);
    SIZE(SecPkgContext_KeyInfoA, 32);
    OFF(SecPkgContext_KeyInfoA, EncryptAlgorithm, 24);

    SIZE(SecPkgContext_AuthorityW, 8);
    SIZE(SecPkgContext_AuthorityA, 8);
    SIZE(SecPkgContext_ProtoInfoW, 16);
    OFF(SecPkgContext_ProtoInfoW, majorVersion, 8);
    OFF(SecPkgContext_ProtoInfoW, minorVersion, 12);
    SIZE(SecPkgContext_ProtoInfoA, 16);
    SIZE(SecPkgContext_PasswordExpiry, 8);
    SIZE(SecPkgContext_LogoffTime, 8);

    SIZE(SecPkgContext_SessionKey, 16);
    OFF(SecPkgContext_SessionKey, SessionKeyLength, 0);
    OFF(SecPkgContext_SessionKey, SessionKey, 8);

    SIZE(SecPkgContext_NegoKeys, 32);
    OFF(SecPkgContext_NegoKeys, KeyType, 0);
    OFF(SecPkgContext_NegoKeys, KeyLength, 4);
    OFF(SecPkgContext_NegoKeys, KeyValue, 8);
    OFF(SecPkgContext_NegoKeys, VerifyKeyType, 16);
    OFF(SecPkgContext_NegoKeys, VerifyKeyLength, 20);
    OFF(SecPkgContext_NegoKeys, VerifyKeyValue, 24);

    SIZE(SecPkgContext_PackageInfoW, 8);
    SIZE(SecPkgContext_PackageInfoA, 8);
    SIZE(SecPkgContext_UserFlags, 4);
    SIZE(SecPkgContext_Flags, 4);

    SIZE(SecPkgContext_NegotiationInfoW, 16);
    OFF(SecPkgContext_NegotiationInfoW, PackageInfo, 0);
    OFF(SecPkgContext_NegotiationInfoW, NegotiationState, 8);
    SIZE(SecPkgContext_NegotiationInfoA, 16);
    OFF(SecPkgContext_NegotiationInfoA, NegotiationState, 8);

    SIZE(SecPkgContext_NativeNamesW, 16);
    OFF(SecPkgContext_NativeNamesW, sServerName, 8);
    SIZE(SecPkgContext_NativeNamesA, 16);
    SIZE(SecPkgContext_CredentialNameW, 16);
    OFF(SecPkgContext_CredentialNameW, sCredentialName, 8);
    SIZE(SecPkgContext_CredentialNameA, 16);
    SIZE(SecPkgContext_AccessToken, 8);
    SIZE(SecPkgContext_TargetInformation, 16);
    OFF(SecPkgContext_TargetInformation, MarshalledTargetInfo, 8);
    SIZE(SecPkgContext_AuthzID, 16);
    SIZE(SecPkgContext_Target, 16);
    SIZE(SecPkgContext_ClientSpecifiedTarget, 8);
    SIZE(SecPkgContext_Bindings, 16);
    OFF(SecPkgContext_Bindings, Bindings, 8);
    SIZE(SecPkgContext_CredInfo, 8);
    SIZE(SecPkgContext_NegoPackageInfo, 4);
    SIZE(SecPkgContext_NegoStatus, 4);
    SIZE(SecPkgContext_LastClientTokenStatus, 4);
    SIZE(SecPkgContext_SubjectAttributes, 8);
    SIZE(SecPkgContext_ApplicationProtocol, 264);
    OFF(SecPkgContext_ApplicationProtocol, ProtocolIdSize, 8);
    OFF(SecPkgContext_ApplicationProtocol, ProtocolId, 9);
    SIZE(SecPkgContext_NegotiatedTlsExtensions, 16);
    SIZE(SecPkgContext_SaslContext, 8);

    SIZE(SecPkgCredentials_NamesW, 8);
    SIZE(SecPkgCredentials_NamesA, 8);
    SIZE(SecPkgCredentials_SSIProviderW, 24);
    OFF(SecPkgCredentials_SSIProviderW, ProviderInfo, 16);
    SIZE(SecPkgCredentials_KdcProxySettingsW, 16);
    SIZE(SecPkgCredentials_Cert, 16);

    SIZE(SECPKG_APP_MODE_INFO, 48);
    OFF(SECPKG_APP_MODE_INFO, UserData, 24);
    OFF(SECPKG_APP_MODE_INFO, ReturnToLsa, 40);
}
END_TEST

/* ---- SecurityFunctionTableW / A --------------------------------------- */

START_TEST(test_function_table_w)
{
    typedef SecurityFunctionTableW T;

    SIZE(T, 256);
    SLOT(T, dwVersion, 0);
    SLOT(T, EnumerateSecurityPackagesW, 1);
    SLOT(T, QueryCredentialsAttributesW, 2);
    SLOT(T, AcquireCredentialsHandleW, 3);
    SLOT(T, FreeCredentialsHandle, 4);
    SLOT(T, Reserved2, 5);
    SLOT(T, InitializeSecurityContextW, 6);
    SLOT(T, AcceptSecurityContext, 7);
    SLOT(T, CompleteAuthToken, 8);
    SLOT(T, DeleteSecurityContext, 9);
    SLOT(T, ApplyControlToken, 10);
    SLOT(T, QueryContextAttributesW, 11);
    SLOT(T, ImpersonateSecurityContext, 12);
    SLOT(T, RevertSecurityContext, 13);
    SLOT(T, MakeSignature, 14);
    SLOT(T, VerifySignature, 15);
    SLOT(T, FreeContextBuffer, 16);
    SLOT(T, QuerySecurityPackageInfoW, 17);
    SLOT(T, Reserved3, 18);
    SLOT(T, Reserved4, 19);
    SLOT(T, ExportSecurityContext, 20);
    SLOT(T, ImportSecurityContextW, 21);
    SLOT(T, AddCredentialsW, 22);
    SLOT(T, Reserved8, 23);
    SLOT(T, QuerySecurityContextToken, 24);
    SLOT(T, EncryptMessage, 25);
    SLOT(T, DecryptMessage, 26);
    SLOT(T, SetContextAttributesW, 27);
    SLOT(T, SetCredentialsAttributesW, 28);
    SLOT(T, ChangeAccountPasswordW, 29);
    SLOT(T, QueryContextAttributesExW, 30);
    SLOT(T, QueryCredentialsAttributesExW, 31);
}
END_TEST

START_TEST(test_function_table_a)
{
    typedef SecurityFunctionTableA T;

    SIZE(T, 256);
    SLOT(T, dwVersion, 0);
    SLOT(T, EnumerateSecurityPackagesA, 1);
    SLOT(T, QueryCredentialsAttributesA, 2);
    SLOT(T, AcquireCredentialsHandleA, 3);
    SLOT(T, FreeCredentialHandle, 4);
    SLOT(T, Reserved2, 5);
    SLOT(T, InitializeSecurityContextA, 6);
    SLOT(T, AcceptSecurityContext, 7);
    SLOT(T, CompleteAuthToken, 8);
    SLOT(T, DeleteSecurityContext, 9);
    SLOT(T, ApplyControlToken, 10);
    SLOT(T, QueryContextAttributesA, 11);
    SLOT(T, ImpersonateSecurityContext, 12);
    SLOT(T, RevertSecurityContext, 13);
    SLOT(T, MakeSignature, 14);
    SLOT(T, VerifySignature, 15);
    SLOT(T, FreeContextBuffer, 16);
    SLOT(T, QuerySecurityPackageInfoA, 17);
    SLOT(T, Reserved3, 18);
    SLOT(T, Reserved4, 19);
    SLOT(T, ExportSecurityContext, 20);
    SLOT(T, ImportSecurityContextA, 21);
    SLOT(T, AddCredentialsA, 22);
    SLOT(T, Reserved8, 23);
    SLOT(T, QuerySecurityContextToken, 24);
    SLOT(T, EncryptMessage, 25);
    SLOT(T, DecryptMessage, 26);
    SLOT(T, SetContextAttributesA, 27);
    SLOT(T, SetCredentialsAttributesA, 28);
    SLOT(T, ChangeAccountPasswordA, 29);
    SLOT(T, QueryContextAttributesExA, 30);
    SLOT(T, QueryCredentialsAttributesExA, 31);

    /* Both spellings of slot 4 name the same member. */
    SLOT(T, FreeCredentialsHandle, 4);
}
END_TEST

/* ---- ntsecpkg.h tables -------------------------------------------------- */

START_TEST(test_secpkg_function_table)
{
    typedef SECPKG_FUNCTION_TABLE T;

    SIZE(T, 344);
    SLOT(T, InitializePackage, 0);
    SLOT(T, LogonUser, 1);
    SLOT(T, CallPackage, 2);
    SLOT(T, LogonTerminated, 3);
    SLOT(T, CallPackageUntrusted, 4);
    SLOT(T, CallPackagePassthrough, 5);
    SLOT(T, LogonUserEx, 6);
    SLOT(T, LogonUserEx2, 7);
    SLOT(T, Initialize, 8);
    SLOT(T, Shutdown, 9);
    SLOT(T, GetInfo, 10);
    SLOT(T, AcceptCredentials, 11);
    SLOT(T, AcquireCredentialsHandle, 12);
    SLOT(T, QueryCredentialsAttributes, 13);
    SLOT(T, FreeCredentialsHandle, 14);
    SLOT(T, SaveCredentials, 15);
    SLOT(T, GetCredentials, 16);
    SLOT(T, DeleteCredentials, 17);
    SLOT(T, InitLsaModeContext, 18);
    SLOT(T, AcceptLsaModeContext, 19);
    SLOT(T, DeleteContext, 20);
    SLOT(T, ApplyControlToken, 21);
    SLOT(T, GetUserInfo, 22);
    SLOT(T, GetExtendedInformation, 23);
    SLOT(T, QueryContextAttributes, 24);
    SLOT(T, AddCredentials, 25);
    SLOT(T, SetExtendedInformation, 26);
    SLOT(T, SetContextAttributes, 27);
    SLOT(T, SetCredentialsAttributes, 28);
    SLOT(T, ChangeAccountPassword, 29);
    SLOT(T, QueryMetaData, 30);
    SLOT(T, ExchangeMetaData, 31);
    SLOT(T, GetCredUIContext, 32);
    SLOT(T, UpdateCredentials, 33);
    SLOT(T, ValidateTargetInfo, 34);
    SLOT(T, PostLogonUser, 35);
    SLOT(T, GetRemoteCredGuardLogonBuffer, 36);
    SLOT(T, GetRemoteCredGuardSupplementalCreds, 37);
    SLOT(T, GetTbalSupplementalCreds, 38);
    SLOT(T, LogonUserEx3, 39);
    SLOT(T, PreLogonUserSurrogate, 40);
    SLOT(T, PostLogonUserSurrogate, 41);
    SLOT(T, ExtractTargetInfo, 42);
}
END_TEST

START_TEST(test_secpkg_user_function_table)
{
    typedef SECPKG_USER_FUNCTION_TABLE T;

    SIZE(T, 120);
    SLOT(T, InstanceInit, 0);
    SLOT(T, InitUserModeContext, 1);
    SLOT(T, MakeSignature, 2);
    SLOT(T, VerifySignature, 3);
    SLOT(T, SealMessage, 4);
    SLOT(T, UnsealMessage, 5);
    SLOT(T, GetContextToken, 6);
    SLOT(T, QueryContextAttributes, 7);
    SLOT(T, CompleteAuthToken, 8);
    SLOT(T, DeleteUserModeContext, 9);
    SLOT(T, FormatCredentials, 10);
    SLOT(T, MarshallSupplementalCreds, 11);
    SLOT(T, ExportContext, 12);
    SLOT(T, ImportContext, 13);
    SLOT(T, MarshalAttributeData, 14);
}
END_TEST

START_TEST(test_dll_and_dispatch_tables)
{
    SIZE(SECPKG_DLL_FUNCTIONS, 32);
    SLOT(SECPKG_DLL_FUNCTIONS, AllocateHeap, 0);
    SLOT(SECPKG_DLL_FUNCTIONS, FreeHeap, 1);
    SLOT(SECPKG_DLL_FUNCTIONS, RegisterCallback, 2);
    SLOT(SECPKG_DLL_FUNCTIONS, LocatePackageById, 3);

    SIZE(LSA_DISPATCH_TABLE, 88);
    SLOT(LSA_DISPATCH_TABLE, CreateLogonSession, 0);
    SLOT(LSA_DISPATCH_TABLE, AllocateLsaHeap, 5);
    SLOT(LSA_DISPATCH_TABLE, CopyFromClientBuffer, 10);
}
END_TEST

START_TEST(test_lsa_secpkg_function_table)
{
    typedef LSA_SECPKG_FUNCTION_TABLE T;

    SIZE(T, 528);
    SLOT(T, CreateLogonSession, 0);
    SLOT(T, DeleteLogonSession, 1);
    SLOT(T, AddCredential, 2);
    SLOT(T, GetCredentials, 3);
    SLOT(T, DeleteCredential, 4);
    SLOT(T, AllocateLsaHeap, 5);
    SLOT(T, FreeLsaHeap, 6);
    SLOT(T, AllocateClientBuffer, 7);
    SLOT(T, FreeClientBuffer, 8);
    SLOT(T, CopyToClientBuffer, 9);
    SLOT(T, CopyFromClientBuffer, 10);
    SLOT(T, ImpersonateClient, 11);
    SLOT(T, UnloadPackage, 12);
    SLOT(T, DuplicateHandle, 13);
    SLOT(T, SaveSupplementalCredentials, 14);
    SLOT(T, CreateThread, 15);
    SLOT(T, GetClientInfo, 16);
    SLOT(T, RegisterNotification, 17);
    SLOT(T, CancelNotification, 18);
    SLOT(T, MapBuffer, 19);
    SLOT(T, CreateToken, 20);
    SLOT(T, AuditLogon, 21);
    SLOT(T, CallPackage, 22);
    SLOT(T, FreeReturnBuffer, 23);
    SLOT(T, GetCallInfo, 24);
    SLOT(T, CallPackageEx, 25);
    SLOT(T, CreateSharedMemory, 26);
    SLOT(T, AllocateSharedMemory, 27);
    SLOT(T, FreeSharedMemory, 28);
    SLOT(T, DeleteSharedMemory, 29);
    SLOT(T, OpenSamUser, 30);
    SLOT(T, GetUserCredentials, 31);
    SLOT(T, GetUserAuthData, 32);
    SLOT(T, CloseSamUser, 33);
    SLOT(T, ConvertAuthDataToToken, 34);
    SLOT(T, ClientCallback, 35);
    SLOT(T, UpdateCredentials, 36);
    SLOT(T, GetAuthDataForUser, 37);
    SLOT(T, CrackSingleName, 38);
    SLOT(T, AuditAccountLogon, 39);
    SLOT(T, CallPackagePassthrough, 40);
    SLOT(T, DummyFunction1, 41);
    SLOT(T, DummyFunction2, 42);
    SLOT(T, DummyFunction3, 43);
    SLOT(T, LsaProtectMemory, 44);
    SLOT(T, LsaUnprotectMemory, 45);
    SLOT(T, OpenTokenByLogonId, 46);
    SLOT(T, ExpandAuthDataForDomain, 47);
    SLOT(T, AllocatePrivateHeap, 48);
    SLOT(T, FreePrivateHeap, 49);
    SLOT(T, CreateTokenEx, 50);
    SLOT(T, DummyFunction4, 51);
    SLOT(T, DummyFunction5, 52);
    SLOT(T, DummyFunction6, 53);
    SLOT(T, GetExtendedCallFlags, 54);
    SLOT(T, DuplicateTokenHandle, 55);
    SLOT(T, GetServiceAccountPassword, 56);
    SLOT(T, DummyFunction7, 57);
    SLOT(T, AuditLogonEx, 58);
    SLOT(T, CheckProtectedUserByToken, 59);
    SLOT(T, QueryClientRequest, 60);
    SLOT(T, GetAppModeInfo, 61);
    SLOT(T, SetAppModeInfo, 62);
    SLOT(T, GetClientInfoEx, 63);
    SLOT(T, GetSecpkgFailureReason, 64);
    SLOT(T, SetSecpkgFailureReason, 65);

    /* The numbers quoted in the reference checklist. */
    OFF(T, AllocateLsaHeap, 40);
    OFF(T, FreeReturnBuffer, 184);
    OFF(T, GetClientInfoEx, 504);
    OFF(T, SetSecpkgFailureReason, 520);
}
END_TEST

START_TEST(test_kernel_tables)
{
    SIZE(SECPKG_KERNEL_FUNCTION_TABLE, 120);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, Initialize, 0);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, MapHandle, 3);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, Sign, 4);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, Unseal, 7);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, ExportContext, 11);
    SLOT(SECPKG_KERNEL_FUNCTION_TABLE, SerializeAuthData, 14);

    SIZE(SECPKG_KERNEL_FUNCTIONS, 72);
    SLOT(SECPKG_KERNEL_FUNCTIONS, CreateContextList, 2);
    SLOT(SECPKG_KERNEL_FUNCTIONS, LocatePackageById, 8);

    SIZE(KSEC_LIST_ENTRY, 40);
    OFF(KSEC_LIST_ENTRY, RefCount, 16);
    OFF(KSEC_LIST_ENTRY, OwningList, 24);
}
END_TEST

/* ---- ntsecpkg.h structures ---------------------------------------------- */

START_TEST(test_secpkg_structures)
{
    SIZE(SECPKG_PARAMETERS, 72);
    OFF(SECPKG_PARAMETERS, Version, 0);
    OFF(SECPKG_PARAMETERS, MachineState, 4);
    OFF(SECPKG_PARAMETERS, SetupMode, 8);
    OFF(SECPKG_PARAMETERS, DomainSid, 16);
    OFF(SECPKG_PARAMETERS, DomainName, 24);
    OFF(SECPKG_PARAMETERS, DnsDomainName, 40);
    OFF(SECPKG_PARAMETERS, DomainGuid, 56);
    SIZE(SECPKG_EVENT_DOMAIN_CHANGE, 72);

    SIZE(SECPKG_CLIENT_INFO, 32);
    OFF(SECPKG_CLIENT_INFO, LogonId, 0);
    OFF(SECPKG_CLIENT_INFO, ProcessID, 8);
    OFF(SECPKG_CLIENT_INFO, ThreadID, 12);
    OFF(SECPKG_CLIENT_INFO, HasTcbPrivilege, 16);
    OFF(SECPKG_CLIENT_INFO, Impersonating, 17);
    OFF(SECPKG_CLIENT_INFO, Restricted, 18);
    OFF(SECPKG_CLIENT_INFO, ClientFlags, 19);
    OFF(SECPKG_CLIENT_INFO, ImpersonationLevel, 20);
    OFF(SECPKG_CLIENT_INFO, ClientToken, 24);

    SIZE(SECPKG_CLIENT_INFO_EX, 48);
    OFF(SECPKG_CLIENT_INFO_EX, IdentificationLogonId, 32);
    OFF(SECPKG_CLIENT_INFO_EX, IdentificationToken, 40);

    SIZE(SECPKG_CALL_INFO, 24);
    OFF(SECPKG_CALL_INFO, ProcessId, 0);
    OFF(SECPKG_CALL_INFO, ThreadId, 4);
    OFF(SECPKG_CALL_INFO, Attributes, 8);
    OFF(SECPKG_CALL_INFO, CallCount, 12);
    OFF(SECPKG_CALL_INFO, MechOid, 16);

    SIZE(SECPKG_SUPPLEMENTAL_CRED, 32);
    OFF(SECPKG_SUPPLEMENTAL_CRED, CredentialSize, 16);
    OFF(SECPKG_SUPPLEMENTAL_CRED, Credentials, 24);
    SIZE(SECPKG_SUPPLEMENTAL_CRED_ARRAY, 40);
    OFF(SECPKG_SUPPLEMENTAL_CRED_ARRAY, Credentials, 8);

    SIZE(SECPKG_PRIMARY_CRED, 200);
    OFF(SECPKG_PRIMARY_CRED, DownlevelName, 8);
    OFF(SECPKG_PRIMARY_CRED, UserSid, 72);
    OFF(SECPKG_PRIMARY_CRED, Flags, 80);
    OFF(SECPKG_PRIMARY_CRED, DnsDomainName, 88);
    OFF(SECPKG_PRIMARY_CRED, Spare4, 184);
    SIZE(SECPKG_PRIMARY_CRED_EX, 224);
    OFF(SECPKG_PRIMARY_CRED_EX, PackageId, 200);
    OFF(SECPKG_PRIMARY_CRED_EX, PrevLogonId, 208);
    OFF(SECPKG_PRIMARY_CRED_EX, FlagsEx, 216);

    SIZE(SECPKG_CREDENTIAL, 88);
    OFF(SECPKG_CREDENTIAL, cbHeaderLength, 8);
    OFF(SECPKG_CREDENTIAL, LogonId, 24);
    OFF(SECPKG_CREDENTIAL, ClientToken, 32);
    OFF(SECPKG_CREDENTIAL, MarshaledSuppliedCreds, 76);
    SIZE(SECPKG_SURROGATE_LOGON, 24);
    OFF(SECPKG_SURROGATE_LOGON, SurrogateLogonID, 4);
    OFF(SECPKG_SURROGATE_LOGON, Entries, 16);
    SIZE(SECPKG_SURROGATE_LOGON_ENTRY, 24);
    SIZE(SECPKG_FAILURE_REASON, 8);
    SIZE(SECPKG_POST_LOGON_USER_INFO, 20);
    SIZE(SECPKG_TARGETINFO, 16);
    SIZE(SECPKG_NTLM_TARGETINFO, 72);
    OFF(SECPKG_NTLM_TARGETINFO, MsvAvFlags, 48);
    OFF(SECPKG_NTLM_TARGETINFO, MsvAvTimestamp, 52);
    OFF(SECPKG_NTLM_TARGETINFO, MsvAvTargetName, 64);
    SIZE(SECURITY_USER_DATA, 56);
    OFF(SECURITY_USER_DATA, pSid, 48);
    SIZE(SECPKG_EVENT_NOTIFY, 32);
    SIZE(SECPKG_EVENT_PACKAGE_CHANGE, 32);
    SIZE(SECPKG_REDIRECTED_LOGON_BUFFER, 72);

    SIZE(LSA_TOKEN_INFORMATION_NULL, 16);
    SIZE(LSA_TOKEN_INFORMATION_V1, 64);
    OFF(LSA_TOKEN_INFORMATION_V1, User, 8);
    OFF(LSA_TOKEN_INFORMATION_V1, Groups, 24);
    OFF(LSA_TOKEN_INFORMATION_V1, DefaultDacl, 56);
    SIZE(LSA_TOKEN_INFORMATION_V2, 64);
    SIZE(LSA_TOKEN_INFORMATION_V3, 88);
    OFF(LSA_TOKEN_INFORMATION_V3, DeviceGroups, 80);
    SIZE(TOKEN_SOURCE, 16);
    OFF(TOKEN_SOURCE, SourceIdentifier, 8);
    SIZE(QUOTA_LIMITS, 48);
    OFF(QUOTA_LIMITS, TimeLimit, 40);
    SIZE(SECURITY_IMPERSONATION_LEVEL, 4);
    SIZE(SECURITY_LOGON_TYPE, 4);
}
END_TEST

START_TEST(test_extended_information)
{
    SIZE(SECPKG_GSS_INFO, 8);
    SIZE(SECPKG_CONTEXT_THUNKS, 8);
    SIZE(SECPKG_MUTUAL_AUTH_LEVEL, 4);
    SIZE(SECPKG_WOW_CLIENT_DLL, 16);
    SIZE(SECPKG_SERIALIZED_OID, 40);
    OFF(SECPKG_SERIALIZED_OID, OidValue, 8);
    SIZE(SECPKG_EXTRA_OIDS, 44);
    SIZE(SECPKG_NEGO2_INFO, 20);

    /* The libsspi member must not grow the union beyond the SDK's 48 bytes. */
    SIZE(SECPKG_LIBSSPI_SETTING, 16);
    SIZE(SECPKG_LIBSSPI_CONFIG, 24);
    OFF(SECPKG_LIBSSPI_CONFIG, SettingCount, 0);
    OFF(SECPKG_LIBSSPI_CONFIG, Settings, 8);
    OFF(SECPKG_LIBSSPI_CONFIG, ConfigFile, 16);
    SIZE(SECPKG_EXTENDED_INFORMATION, 56);
    OFF(SECPKG_EXTENDED_INFORMATION, Class, 0);
    OFF(SECPKG_EXTENDED_INFORMATION, Info, 8);
    SIZE(((SECPKG_EXTENDED_INFORMATION *)NULL)->Info, 48);
    SIZE(SECPKG_EXTENDED_INFORMATION_CLASS, 4);

    ck_assert_int_eq(SecpkgGssInfo, 1);
    ck_assert_int_eq(SecpkgContextThunks, 2);
    ck_assert_int_eq(SecpkgMutualAuthLevel, 3);
    ck_assert_int_eq(SecpkgWowClientDll, 4);
    ck_assert_int_eq(SecpkgExtraOids, 5);
    ck_assert_int_eq(SecpkgMaxInfo, 6);
    ck_assert_int_eq(SecpkgNego2Info, 7);
    ck_assert_int_eq(SecpkgLibsspiConfig, 0x4C530001);
    ck_assert_int_eq(SecpkgLibsspiHost, 0x4C530002);
}
END_TEST

/* The host services table (libsspi extension): members in declaration
 * order, so a package built against one version finds them. */
START_TEST(test_host_services)
{
    SIZE(SECPKG_LIBSSPI_HOST, 16);
    OFF(SECPKG_LIBSSPI_HOST, Version, 0);
    OFF(SECPKG_LIBSSPI_HOST, Services, 8);
    SIZE(SECPKG_LIBSSPI_PACKAGE_INFO, 48);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, PackageId, 0);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, fCapabilities, 4);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, wVersion, 8);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, wRPCID, 10);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, cbMaxToken, 12);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, Name, 16);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, Comment, 24);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, MechOid, 32);
    OFF(SECPKG_LIBSSPI_PACKAGE_INFO, MechOidLength, 40);
    SIZE(SECPKG_LIBSSPI_MESSAGE_TARGET, 40);
    OFF(SECPKG_LIBSSPI_MESSAGE_TARGET, Context, 0);
    OFF(SECPKG_LIBSSPI_MESSAGE_TARGET, MakeSignature, 8);
    OFF(SECPKG_LIBSSPI_MESSAGE_TARGET, VerifySignature, 16);
    OFF(SECPKG_LIBSSPI_MESSAGE_TARGET, SealMessage, 24);
    OFF(SECPKG_LIBSSPI_MESSAGE_TARGET, UnsealMessage, 32);
    SIZE(SECPKG_LIBSSPI_HOST_SERVICES, 152);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, Version, 0);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, Size, 4);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, EnumeratePackages, 8);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, FreeBuffer, 16);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, AcquireCredentialsHandle, 24);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, FreeCredentialsHandle, 32);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, QueryCredentialsAttributes, 40);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, InitializeSecurityContext, 48);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, AcceptSecurityContext, 56);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, CompleteAuthToken, 64);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, DeleteSecurityContext, 72);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, QueryContextAttributes, 80);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, SetContextAttributes, 88);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, ExportSecurityContext, 96);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, ImportSecurityContext, 104);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, MakeSignature, 112);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, VerifySignature, 120);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, EncryptMessage, 128);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, DecryptMessage, 136);
    OFF(SECPKG_LIBSSPI_HOST_SERVICES, GetMessageTarget, 144);
    ck_assert_int_eq(SECPKG_LIBSSPI_HOST_VERSION_1, 1);
}
END_TEST

/* Schannel and certificate structures: schannel.md section 3 (LP64). */
START_TEST(test_schannel_layouts)
{
    SIZE(SCHANNEL_CRED, 80);
    OFF(SCHANNEL_CRED, dwVersion, 0);
    OFF(SCHANNEL_CRED, cCreds, 4);
    OFF(SCHANNEL_CRED, paCred, 8);
    OFF(SCHANNEL_CRED, hRootStore, 16);
    OFF(SCHANNEL_CRED, cMappers, 24);
    OFF(SCHANNEL_CRED, aphMappers, 32);
    OFF(SCHANNEL_CRED, cSupportedAlgs, 40);
    OFF(SCHANNEL_CRED, palgSupportedAlgs, 48);
    OFF(SCHANNEL_CRED, grbitEnabledProtocols, 56);
    OFF(SCHANNEL_CRED, dwMinimumCipherStrength, 60);
    OFF(SCHANNEL_CRED, dwMaximumCipherStrength, 64);
    OFF(SCHANNEL_CRED, dwSessionLifespan, 68);
    OFF(SCHANNEL_CRED, dwFlags, 72);
    OFF(SCHANNEL_CRED, dwCredFormat, 76);

    SIZE(SCH_CREDENTIALS, 72);
    OFF(SCH_CREDENTIALS, dwVersion, 0);
    OFF(SCH_CREDENTIALS, dwCredFormat, 4);
    OFF(SCH_CREDENTIALS, cCreds, 8);
    OFF(SCH_CREDENTIALS, paCred, 16);
    OFF(SCH_CREDENTIALS, hRootStore, 24);
    OFF(SCH_CREDENTIALS, cMappers, 32);
    OFF(SCH_CREDENTIALS, aphMappers, 40);
    OFF(SCH_CREDENTIALS, dwSessionLifespan, 48);
    OFF(SCH_CREDENTIALS, dwFlags, 52);
    OFF(SCH_CREDENTIALS, cTlsParameters, 56);
    OFF(SCH_CREDENTIALS, pTlsParameters, 64);

    SIZE(TLS_PARAMETERS, 40);
    OFF(TLS_PARAMETERS, cAlpnIds, 0);
    OFF(TLS_PARAMETERS, rgstrAlpnIds, 8);
    OFF(TLS_PARAMETERS, grbitDisabledProtocols, 16);
    OFF(TLS_PARAMETERS, cDisabledCrypto, 20);
    OFF(TLS_PARAMETERS, pDisabledCrypto, 24);
    OFF(TLS_PARAMETERS, dwFlags, 32);

    SIZE(CRYPTO_SETTINGS, 48);
    OFF(CRYPTO_SETTINGS, eAlgorithmUsage, 0);
    OFF(CRYPTO_SETTINGS, strCngAlgId, 8);
    OFF(CRYPTO_SETTINGS, cChainingModes, 24);
    OFF(CRYPTO_SETTINGS, rgstrChainingModes, 32);
    OFF(CRYPTO_SETTINGS, dwMinBitLength, 40);
    OFF(CRYPTO_SETTINGS, dwMaxBitLength, 44);

    SIZE(CERT_CONTEXT, 40);
    OFF(CERT_CONTEXT, dwCertEncodingType, 0);
    OFF(CERT_CONTEXT, pbCertEncoded, 8);
    OFF(CERT_CONTEXT, cbCertEncoded, 16);
    OFF(CERT_CONTEXT, pCertInfo, 24);
    OFF(CERT_CONTEXT, hCertStore, 32);

    SIZE(SecPkgContext_StreamSizes, 20);
    SIZE(SecPkgContext_ConnectionInfo, 28);
    OFF(SecPkgContext_ConnectionInfo, aiExch, 20);
    SIZE(SecPkgContext_ApplicationProtocol, 264);
    OFF(SecPkgContext_ApplicationProtocol, ProtoNegoExt, 4);
    OFF(SecPkgContext_ApplicationProtocol, ProtocolIdSize, 8);
    OFF(SecPkgContext_ApplicationProtocol, ProtocolId, 9);
    SIZE(SecPkgContext_KeyInfoW, 32);
    OFF(SecPkgContext_KeyInfoW, KeySize, 16);
    OFF(SecPkgContext_KeyInfoW, EncryptAlgorithm, 24);
    SIZE(SecPkgContext_Bindings, 16);
    OFF(SecPkgContext_Bindings, Bindings, 8);
    SIZE(SEC_CHANNEL_BINDINGS, 32);
    SIZE(SecPkgContext_SessionInfo, 40);
    SIZE(SecPkgContext_ClientCertPolicyResult, 20);
    OFF(SecPkgContext_ClientCertPolicyResult, dwPolicyResult, 0);
    OFF(SecPkgContext_ClientCertPolicyResult, guidPolicyId, 4);
    SIZE(SCHANNEL_CERT_HASH, 40);
    OFF(SCHANNEL_CERT_HASH, dwLength, 0);
    OFF(SCHANNEL_CERT_HASH, dwFlags, 4);
    OFF(SCHANNEL_CERT_HASH, hProv, 8);
    OFF(SCHANNEL_CERT_HASH, ShaHash, 16);
    SIZE(SCHANNEL_CERT_HASH_STORE, 296);
    OFF(SCHANNEL_CERT_HASH_STORE, ShaHash, 16);
    OFF(SCHANNEL_CERT_HASH_STORE, pwszStoreName, 36);
    SIZE(SCHANNEL_ALERT_TOKEN, 12);
    SIZE(SecPkgCred_SupportedProtocols, 4);
    SIZE(FILETIME, 8);
    SIZE(CRYPT_INTEGER_BLOB, 16);
    OFF(CERT_INFO, SerialNumber, 8);
    OFF(CERT_INFO, SignatureAlgorithm, 24);
    OFF(CERT_INFO, Issuer, 48);
    OFF(CERT_INFO, NotBefore, 64);
    OFF(CERT_INFO, NotAfter, 72);
    OFF(CERT_INFO, Subject, 80);
    OFF(CERT_INFO, SubjectPublicKeyInfo, 96);
    SIZE(CERT_INFO, 208);
}
END_TEST

START_TEST(test_schannel_constants)
{
    ck_assert_uint_eq(UNISP_RPC_ID, 14);
    ck_assert_uint_eq(SP_PROT_TLS1_2_CLIENT, 0x800);
    ck_assert_uint_eq(SP_PROT_TLS1_3_SERVER, 0x1000);
    ck_assert_uint_eq(SCH_CREDENTIALS_VERSION, 5);
    ck_assert_uint_eq(SCH_USE_STRONG_CRYPTO, 0x400000);
    ck_assert_uint_eq(SCHANNEL_SHUTDOWN, 1);
    ck_assert_uint_eq(SECPKG_ATTR_CONNECTION_INFO, 0x5a);
    ck_assert_uint_eq(SECPKG_ATTR_REMOTE_CERT_CONTEXT, 0x53);
    ck_assert_uint_eq(SECPKG_ATTR_CONNECTION_INFO_EX, 0x6e);
    ck_assert_uint_eq(CALG_AES_256, 0x6610);
    ck_assert_uint_eq(CALG_ECDH_EPHEM, 0xae06);
    ck_assert_uint_eq(CERT_FIND_SUBJECT_STR_A, 0x70007);
    ck_assert_uint_eq(CERT_FIND_SHA1_HASH, 0x10000);
    ck_assert_int_eq((uintptr_t)CERT_STORE_PROV_SYSTEM_W, 10);
}
END_TEST

START_TEST(test_package_report)
{
    SIZE(LIBSSPI_PACKAGE_REPORT, 64);
    OFF(LIBSSPI_PACKAGE_REPORT, Name, 0);
    OFF(LIBSSPI_PACKAGE_REPORT, Comment, 8);
    OFF(LIBSSPI_PACKAGE_REPORT, Module, 16);
    OFF(LIBSSPI_PACKAGE_REPORT, ConfigFile, 24);
    OFF(LIBSSPI_PACKAGE_REPORT, ConfigLine, 32);
    OFF(LIBSSPI_PACKAGE_REPORT, fCapabilities, 36);
    OFF(LIBSSPI_PACKAGE_REPORT, wVersion, 40);
    OFF(LIBSSPI_PACKAGE_REPORT, wRPCID, 42);
    OFF(LIBSSPI_PACKAGE_REPORT, cbMaxToken, 44);
    OFF(LIBSSPI_PACKAGE_REPORT, Shape, 48);
    OFF(LIBSSPI_PACKAGE_REPORT, Status, 52);
    OFF(LIBSSPI_PACKAGE_REPORT, Reason, 56);
    ck_assert_int_eq(LIBSSPI_SHAPE_SSPAP, 1);
    ck_assert_int_eq(LIBSSPI_SHAPE_PROVIDER, 2);
}
END_TEST

/* ---- Status codes and constants ------------------------------------------ */

static int classify(SECURITY_STATUS s)
{
    switch (s) {
    case SEC_E_OK:
        return 0;
    case SEC_I_CONTINUE_NEEDED:
        return 1;
    case SEC_E_INVALID_HANDLE:
        return 2;
    case STATUS_NO_MEMORY:
        return 3;
    default:
        return -1;
    }
}

/* The packed credentials of EX2, the LSA client structures, <secext.h>
 * and the Win32 errors. */
START_TEST(test_identity_helpers_and_lsa)
{
    static const uint8_t password_guid[16] = {0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                              0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a};

    SIZE(SEC_WINNT_AUTH_BYTE_VECTOR, 8);
    OFF(SEC_WINNT_AUTH_BYTE_VECTOR, ByteArrayOffset, 0);
    OFF(SEC_WINNT_AUTH_BYTE_VECTOR, ByteArrayLength, 4);
    SIZE(SEC_WINNT_AUTH_DATA, 24);
    OFF(SEC_WINNT_AUTH_DATA, CredType, 0);
    OFF(SEC_WINNT_AUTH_DATA, CredData, 16);
    SIZE(SEC_WINNT_AUTH_PACKED_CREDENTIALS, 28);
    OFF(SEC_WINNT_AUTH_PACKED_CREDENTIALS, cbHeaderLength, 0);
    OFF(SEC_WINNT_AUTH_PACKED_CREDENTIALS, cbStructureLength, 2);
    OFF(SEC_WINNT_AUTH_PACKED_CREDENTIALS, AuthData, 4);
    OFF(SEC_WINNT_AUTH_PACKED_CREDENTIALS, AuthData.CredData.ByteArrayOffset, 20);
    OFF(SEC_WINNT_AUTH_PACKED_CREDENTIALS, AuthData.CredData.ByteArrayLength, 24);
    SIZE(SEC_WINNT_AUTH_DATA_PASSWORD, 8);
    ck_assert_int_eq(memcmp(&SEC_WINNT_AUTH_DATA_TYPE_PASSWORD, password_guid, 16), 0);
    ck_assert_uint_eq(SEC_WINNT_AUTH_DATA_TYPE_CERT.Data1, 0x235f69adu);
    ck_assert_uint_eq(CRED_TYPE_GENERIC, 1);
    ck_assert_uint_eq(CRED_TYPE_DOMAIN_PASSWORD, 2);

    SIZE(LSA_LAST_INTER_LOGON_INFO, 24);
    OFF(LSA_LAST_INTER_LOGON_INFO, FailedAttemptCountSinceLastSuccessfulLogon, 16);
    SIZE(SECURITY_LOGON_SESSION_DATA, 272);
    OFF(SECURITY_LOGON_SESSION_DATA, Size, 0);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonId, 4);
    OFF(SECURITY_LOGON_SESSION_DATA, UserName, 16);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonDomain, 32);
    OFF(SECURITY_LOGON_SESSION_DATA, AuthenticationPackage, 48);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonType, 64);
    OFF(SECURITY_LOGON_SESSION_DATA, Session, 68);
    OFF(SECURITY_LOGON_SESSION_DATA, Sid, 72);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonTime, 80);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonServer, 88);
    OFF(SECURITY_LOGON_SESSION_DATA, DnsDomainName, 104);
    OFF(SECURITY_LOGON_SESSION_DATA, Upn, 120);
    OFF(SECURITY_LOGON_SESSION_DATA, UserFlags, 136);
    OFF(SECURITY_LOGON_SESSION_DATA, LastLogonInfo, 144);
    OFF(SECURITY_LOGON_SESSION_DATA, LogonScript, 168);
    OFF(SECURITY_LOGON_SESSION_DATA, HomeDirectoryDrive, 216);
    OFF(SECURITY_LOGON_SESSION_DATA, LogoffTime, 232);
    OFF(SECURITY_LOGON_SESSION_DATA, PasswordMustChange, 264);

    SIZE(EXTENDED_NAME_FORMAT, 4);
    ck_assert_int_eq(NameUnknown, 0);
    ck_assert_int_eq(NameFullyQualifiedDN, 1);
    ck_assert_int_eq(NameSamCompatible, 2);
    ck_assert_int_eq(NameDisplay, 3);
    ck_assert_int_eq(NameUniqueId, 6);
    ck_assert_int_eq(NameCanonical, 7);
    ck_assert_int_eq(NameUserPrincipal, 8);
    ck_assert_int_eq(NameCanonicalEx, 9);
    ck_assert_int_eq(NameServicePrincipal, 10);
    ck_assert_int_eq(NameDnsDomain, 12);
    ck_assert_int_eq(NameGivenName, 13);
    ck_assert_int_eq(NameSurname, 14);

    ck_assert_int_eq(ERROR_INVALID_HANDLE, 6);
    ck_assert_int_eq(ERROR_INVALID_PARAMETER, 87);
    ck_assert_int_eq(ERROR_INSUFFICIENT_BUFFER, 122);
    ck_assert_int_eq(ERROR_MORE_DATA, 234);
    ck_assert_int_eq(ERROR_NO_SUCH_USER, 1317);
    ck_assert_int_eq(ERROR_NONE_MAPPED, 1332);
    ck_assert_int_eq(ERROR_CANT_ACCESS_DOMAIN_INFO, 1351);
    ck_assert_int_eq(ERROR_NO_SUCH_LOGON_SESSION, 1312);
    ck_assert_int_eq(ERROR_NO_SUCH_PACKAGE, 1364);
    ck_assert_int_eq(STATUS_ACCESS_VIOLATION, (int32_t)0xC0000005u);
    ck_assert_int_eq(STATUS_PORT_CONNECTION_REFUSED, (int32_t)0xC0000041u);
    ck_assert_int_eq(STATUS_NAME_TOO_LONG, (int32_t)0xC0000106u);
    ck_assert(INVALID_HANDLE_VALUE == (HANDLE)(intptr_t)-1);
}
END_TEST

START_TEST(test_status_values)
{
    SIZE(SEC_E_OK, 4);
    SIZE(SEC_E_INVALID_HANDLE, 4);
    SIZE(STATUS_NO_MEMORY, 4);

    ck_assert_int_eq(SEC_E_OK, 0);
    ck_assert_int_lt(SEC_E_INVALID_HANDLE, 0);
    ck_assert_int_eq(SEC_E_INVALID_HANDLE, (int32_t)0x80090301u);
    ck_assert_int_eq(SEC_E_INSUFFICIENT_MEMORY, (int32_t)0x80090300u);
    ck_assert_int_eq(SEC_E_UNSUPPORTED_FUNCTION, (int32_t)0x80090302u);
    ck_assert_int_eq(SEC_E_NOT_SUPPORTED, SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_int_eq(SEC_E_NO_SPM, SEC_E_INTERNAL_ERROR);
    ck_assert_int_eq(SEC_E_INVALID_TOKEN, (int32_t)0x80090308u);
    ck_assert_int_eq(SEC_E_LOGON_DENIED, (int32_t)0x8009030Cu);
    ck_assert_int_eq(SEC_E_MESSAGE_ALTERED, (int32_t)0x8009030Fu);
    ck_assert_int_eq(SEC_E_BUFFER_TOO_SMALL, (int32_t)0x80090321u);
    ck_assert_int_eq(SEC_E_NO_TGT_REPLY, (int32_t)0x80090334u);
    ck_assert_int_eq(SEC_E_EXT_BUFFER_TOO_SMALL, (int32_t)0x8009036Au);
    ck_assert_int_eq(SEC_E_INSUFFICIENT_BUFFERS, (int32_t)0x8009036Bu);
    ck_assert_int_eq(SEC_I_CONTINUE_NEEDED, 0x00090312);
    ck_assert_int_eq(SEC_I_COMPLETE_AND_CONTINUE, 0x00090314);

    ck_assert(SEC_SUCCESS(SEC_E_OK));
    ck_assert(SEC_SUCCESS(SEC_I_CONTINUE_NEEDED));
    ck_assert(SEC_SUCCESS(SEC_I_COMPLETE_NEEDED));
    ck_assert(!SEC_SUCCESS(SEC_E_INVALID_HANDLE));
    ck_assert(!SEC_SUCCESS(SEC_E_INSUFFICIENT_BUFFERS));
    ck_assert(FAILED(SEC_E_LOGON_DENIED));

    ck_assert_int_eq(STATUS_SUCCESS, 0);
    ck_assert_int_eq(STATUS_NOT_IMPLEMENTED, (int32_t)0xC0000002u);
    ck_assert_int_eq(STATUS_INVALID_SIGNATURE, (int32_t)0xC000A000u);
    ck_assert_int_lt(STATUS_NO_MEMORY, 0);
    ck_assert(NT_SUCCESS(STATUS_SUCCESS));
    ck_assert(NT_SUCCESS(STATUS_PENDING));
    ck_assert(!NT_SUCCESS(STATUS_NOT_SUPPORTED));
    ck_assert(NT_ERROR(STATUS_LOGON_FAILURE));
    ck_assert(NT_WARNING(STATUS_BUFFER_OVERFLOW));
    ck_assert(!NT_SUCCESS(STATUS_BUFFER_OVERFLOW));

    ck_assert_int_eq(classify(SEC_E_OK), 0);
    ck_assert_int_eq(classify(SEC_I_CONTINUE_NEEDED), 1);
    ck_assert_int_eq(classify((SECURITY_STATUS)0x80090301u), 2);
    ck_assert_int_eq(classify(STATUS_NO_MEMORY), 3);
}
END_TEST

START_TEST(test_constants)
{
    ck_assert_uint_eq(SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION, 1);
    ck_assert_uint_eq(SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5, 5);
    ck_assert_uint_eq(SECPKG_INTERFACE_VERSION, 0x00010000);
    ck_assert_uint_eq(SECPKG_INTERFACE_VERSION_4, 0x00080000);
    ck_assert_uint_eq(SECPKG_INTERFACE_VERSION_11, 0x04000000);
    ck_assert_str_eq(SECPKG_LSAMODEINIT_NAME, "SpLsaModeInitialize");
    ck_assert_str_eq(SECPKG_USERMODEINIT_NAME, "SpUserModeInitialize");
    ck_assert_str_eq(SECURITY_ENTRYPOINT_ANSIW, "InitSecurityInterfaceW");
    ck_assert_str_eq(SECURITY_ENTRYPOINT, "InitSecurityInterfaceA");

    ck_assert_uint_eq(SECBUFFER_TOKEN, 2);
    ck_assert_uint_eq(SECBUFFER_CHANNEL_BINDINGS, 14);
    ck_assert_uint_eq(SECBUFFER_SESSION_TICKET, 32);
    ck_assert_uint_eq(SECBUFFER_ATTRMASK, 0xF0000000u);
    ck_assert_uint_eq(SECBUFFER_READONLY | SECBUFFER_DATA, 0x80000001u);
    ck_assert_uint_eq((SECBUFFER_READONLY_WITH_CHECKSUM | SECBUFFER_TOKEN) & ~SECBUFFER_ATTRMASK,
                      SECBUFFER_TOKEN);
    ck_assert_uint_eq(SECBUFFER_UNMAPPED, 0x40000000u);
    ck_assert_uint_eq(SECBUFFER_KERNEL_MAP, 0x20000000u);

    ck_assert_uint_eq(ISC_REQ_CALL_LEVEL, 0x1000);
    ck_assert_uint_eq(ISC_RET_CALL_LEVEL, 0x2000);
    ck_assert_uint_eq(ISC_REQ_EXTENDED_ERROR, 0x4000);
    ck_assert_uint_eq(ASC_REQ_EXTENDED_ERROR, 0x8000);
    ck_assert_uint_eq(ISC_REQ_CONFIDENTIALITY_ONLY, 0x40000000);
    ck_assert(ISC_REQ_MESSAGES == 0x100000000ULL);
    ck_assert(ISC_REQ_EXPLICIT_SESSION == 0x1000000000ULL);
    ck_assert(ASC_RET_MESSAGES == 0x100000000ULL);
    SIZE(ISC_REQ_MESSAGES, 8);

    ck_assert_uint_eq(SECQOP_WRAP_NO_ENCRYPT, 0x80000001u);
    ck_assert_uint_eq(KERB_WRAP_NO_ENCRYPT, SECQOP_WRAP_NO_ENCRYPT);
    ck_assert_uint_eq(SECURITY_NATIVE_DREP, 0x10);
    ck_assert_uint_eq(SECPKG_CRED_BOTH, 3);
    ck_assert_uint_eq(SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES, 128);
    ck_assert_uint_eq(SECPKG_ATTR_IS_LOOPBACK, 37);
    ck_assert_uint_eq(SECPKG_FLAG_APPLY_LOOPBACK, 0x02000000);
    ck_assert_uint_eq(SECPKG_ID_NONE, 0xFFFF);
    ck_assert_uint_eq(SEC_WINNT_AUTH_IDENTITY_VERSION, 0x200);
    ck_assert_uint_eq(SEC_WINNT_AUTH_IDENTITY_VERSION_2, 0x201);
    ck_assert_uint_eq(SECPKG_STATE_STANDALONE, 0x10);
    ck_assert_uint_eq(SECPKG_CALL_IS_TCB, 0x200);

    ck_assert_str_eq(NTLMSP_NAME_A, "NTLM");
    ck_assert_str_eq(NEGOSSP_NAME_A, "Negotiate");
    ck_assert_str_eq(NEGOSSP_NAME, "Negotiate");
    ck_assert_str_eq(MICROSOFT_KERBEROS_NAME_A, "Kerberos");
    ck_assert_str_eq(MSV1_0_PACKAGE_NAME, "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0");
    SIZE(NTLMSP_NAME, 10);
    SIZE(NTLMSP_NAME[0], 2);
    ck_assert_uint_eq(NTLMSP_NAME[0], 'N');
    ck_assert_uint_eq(NEGOSSP_NAME_W[8], 'e');
    ck_assert_uint_eq(MSV1_0_PACKAGE_NAMEW_LENGTH, 37 * 2);
}
END_TEST

/* The Kerberos package messages (ntsecapi.h), as on 64-bit Windows. */
START_TEST(test_kerberos_messages)
{
    ck_assert_int_eq(KerbQueryTicketCacheMessage, 1);
    ck_assert_int_eq(KerbPurgeTicketCacheMessage, 6);
    ck_assert_int_eq(KerbRetrieveEncodedTicketMessage, 8);
    ck_assert_int_eq(KerbQueryTicketCacheExMessage, 14);
    SIZE(KERB_QUERY_TKT_CACHE_REQUEST, 12);
    OFF(KERB_QUERY_TKT_CACHE_REQUEST, LogonId, 4);
    SIZE(KERB_TICKET_CACHE_INFO, 64);
    OFF(KERB_TICKET_CACHE_INFO, StartTime, 32);
    OFF(KERB_TICKET_CACHE_INFO, EncryptionType, 56);
    OFF(KERB_TICKET_CACHE_INFO, TicketFlags, 60);
    SIZE(KERB_TICKET_CACHE_INFO_EX, 96);
    OFF(KERB_TICKET_CACHE_INFO_EX, ServerRealm, 48);
    OFF(KERB_TICKET_CACHE_INFO_EX, StartTime, 64);
    OFF(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets, 8);
    OFF(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets, 8);
    SIZE(KERB_PURGE_TKT_CACHE_REQUEST, 48);
    OFF(KERB_PURGE_TKT_CACHE_REQUEST, ServerName, 16);
    OFF(KERB_PURGE_TKT_CACHE_REQUEST, RealmName, 32);
    SIZE(KERB_RETRIEVE_TKT_REQUEST, 64);
    OFF(KERB_RETRIEVE_TKT_REQUEST, TargetName, 16);
    OFF(KERB_RETRIEVE_TKT_REQUEST, TicketFlags, 32);
    OFF(KERB_RETRIEVE_TKT_REQUEST, CacheOptions, 36);
    OFF(KERB_RETRIEVE_TKT_REQUEST, EncryptionType, 40);
    OFF(KERB_RETRIEVE_TKT_REQUEST, CredentialsHandle, 48);
    SIZE(KERB_EXTERNAL_NAME, 24);
    OFF(KERB_EXTERNAL_NAME, Names, 8);
    SIZE(KERB_CRYPTO_KEY, 16);
    OFF(KERB_CRYPTO_KEY, Value, 8);
    SIZE(KERB_EXTERNAL_TICKET, 152);
    OFF(KERB_EXTERNAL_TICKET, DomainName, 24);
    OFF(KERB_EXTERNAL_TICKET, SessionKey, 72);
    OFF(KERB_EXTERNAL_TICKET, TicketFlags, 88);
    OFF(KERB_EXTERNAL_TICKET, KeyExpirationTime, 96);
    OFF(KERB_EXTERNAL_TICKET, TimeSkew, 128);
    OFF(KERB_EXTERNAL_TICKET, EncodedTicketSize, 136);
    OFF(KERB_EXTERNAL_TICKET, EncodedTicket, 144);
    SIZE(KERB_RETRIEVE_TKT_RESPONSE, 152);
    ck_assert_uint_eq(KERB_TICKET_FLAGS_forwardable, 0x40000000u);
    ck_assert_uint_eq(KERB_RETRIEVE_TICKET_USE_CACHE_ONLY, 2);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc;

    tc = tcase_create("base");
    tcase_add_test(tc, test_base_types);
    tcase_add_test(tc, test_little_endian_large_integer);
    suite_add_tcase(s, tc);

    tc = tcase_create("sspi");
    tcase_add_test(tc, test_handles_and_buffers);
    tcase_add_test(tc, test_package_info);
    tcase_add_test(tc, test_identities);
    tcase_add_test(tc, test_identity_helpers_and_lsa);
    tcase_add_test(tc, test_context_attributes);
    tcase_add_test(tc, test_function_table_w);
    tcase_add_test(tc, test_function_table_a);
    suite_add_tcase(s, tc);

    tc = tcase_create("ntsecpkg");
    tcase_add_test(tc, test_secpkg_function_table);
    tcase_add_test(tc, test_secpkg_user_function_table);
    tcase_add_test(tc, test_dll_and_dispatch_tables);
    tcase_add_test(tc, test_lsa_secpkg_function_table);
    tcase_add_test(tc, test_kernel_tables);
    tcase_add_test(tc, test_secpkg_structures);
    tcase_add_test(tc, test_extended_information);
    suite_add_tcase(s, tc);

    tc = tcase_create("libsspi");
    tcase_add_test(tc, test_package_report);
    tcase_add_test(tc, test_host_services);
    suite_add_tcase(s, tc);

    tc = tcase_create("schannel");
    tcase_add_test(tc, test_schannel_layouts);
    tcase_add_test(tc, test_schannel_constants);
    suite_add_tcase(s, tc);

    tc = tcase_create("constants");
    tcase_add_test(tc, test_status_values);
    tcase_add_test(tc, test_constants);
    tcase_add_test(tc, test_kerberos_messages);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(layout_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
