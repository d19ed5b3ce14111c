/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sspi.h - Security Support Provider Interface (SSPI) for libsspi.
 *
 * The application API of Windows SSPI with Microsoft's names, layouts and
 * constant values, for LP64 POSIX systems: handles and buffers, package
 * and context attribute structures, the InitSecurityInterface function
 * tables and the A (UTF-8) and W (UTF-16, SEC_WCHAR = char16_t) entry
 * points.  Unsuffixed names map to the W forms when UNICODE is defined
 * and to the A forms otherwise, as in the Windows SDK.
 *
 * Unlike the SDK header, SECURITY_WIN32 need not be defined: this header
 * always describes the user-mode interface.
 */
#ifndef LIBSSPI_SSPI_H
#define LIBSSPI_SSPI_H

#include "sspi-types.h"
#include "sspi-status.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ISSP_LEVEL
#define ISSP_LEVEL 32
#endif
#ifndef ISSP_MODE
#define ISSP_MODE 1
#endif

/* ---- Generic-name helpers: pick the W or A form by UNICODE. */
#ifdef UNICODE
#define LIBSSPI_NAME_AW(name)  name##W
#define LIBSSPI_NAME_UAW(name) name##_W
#else
#define LIBSSPI_NAME_AW(name)  name##A
#define LIBSSPI_NAME_UAW(name) name##_A
#endif

#ifdef UNICODE
typedef SEC_WCHAR *SECURITY_PSTR;
typedef const SEC_WCHAR *SECURITY_PCSTR;
#else
typedef SEC_CHAR *SECURITY_PSTR;
typedef const SEC_CHAR *SECURITY_PCSTR;
#endif

/* =========================================================================
 * Handles
 * ========================================================================= */

/* Credential and context handles: two pointer-sized halves, opaque. */
#ifndef __SECHANDLE_DEFINED__
#define __SECHANDLE_DEFINED__
typedef struct _SecHandle {
    ULONG_PTR dwLower;
    ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;
#endif

#define SecInvalidateHandle(x)                                                                     \
    do {                                                                                           \
        ((PSecHandle)(x))->dwLower = (ULONG_PTR)(INT_PTR)-1;                                       \
        ((PSecHandle)(x))->dwUpper = (ULONG_PTR)(INT_PTR)-1;                                       \
    } while (0)

#define SecIsValidHandle(x)                                                                        \
    ((((PSecHandle)(x))->dwLower != (ULONG_PTR)(INT_PTR)-1) &&                                     \
     (((PSecHandle)(x))->dwUpper != (ULONG_PTR)(INT_PTR)-1))

#define SEC_DELETED_HANDLE ((ULONG_PTR)(-2))

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

/* Times are 100 ns intervals since 1601-01-01 UTC, 8-byte aligned. */
typedef LARGE_INTEGER _SECURITY_INTEGER, SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp;
typedef SECURITY_INTEGER *PTimeStamp;

typedef UNICODE_STRING SECURITY_STRING, *PSECURITY_STRING;

/* =========================================================================
 * Package information
 * ========================================================================= */

typedef struct _SecPkgInfoW {
    uint32_t fCapabilities; /* SECPKG_FLAG_* */
    uint16_t wVersion;
    uint16_t wRPCID;
    uint32_t cbMaxToken;
    SEC_WCHAR *Name;
    SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

typedef struct _SecPkgInfoA {
    uint32_t fCapabilities;
    uint16_t wVersion;
    uint16_t wRPCID;
    uint32_t cbMaxToken;
    SEC_CHAR *Name;
    SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

#define SecPkgInfo  LIBSSPI_NAME_AW(SecPkgInfo)
#define PSecPkgInfo LIBSSPI_NAME_AW(PSecPkgInfo)

/* SecPkgInfo.fCapabilities */
#define SECPKG_FLAG_INTEGRITY                    0x00000001
#define SECPKG_FLAG_PRIVACY                      0x00000002
#define SECPKG_FLAG_TOKEN_ONLY                   0x00000004
#define SECPKG_FLAG_DATAGRAM                     0x00000008
#define SECPKG_FLAG_CONNECTION                   0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED               0x00000020
#define SECPKG_FLAG_CLIENT_ONLY                  0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR               0x00000080
#define SECPKG_FLAG_IMPERSONATION                0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME            0x00000200
#define SECPKG_FLAG_STREAM                       0x00000400
#define SECPKG_FLAG_NEGOTIABLE                   0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE               0x00001000
#define SECPKG_FLAG_LOGON                        0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS                0x00004000
#define SECPKG_FLAG_FRAGMENT                     0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH                  0x00010000
#define SECPKG_FLAG_DELEGATION                   0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM       0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS            0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER                0x00100000
#define SECPKG_FLAG_NEGOTIABLE2                  0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH     0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS          0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK               0x02000000

#define SECPKG_ID_NONE 0xFFFF

#define SECPKG_CALLFLAGS_APPCONTAINER             0x00000001
#define SECPKG_CALLFLAGS_APPCONTAINER_AUTHCAPABLE 0x00000002
#define SECPKG_CALLFLAGS_FORCE_SUPPLIED           0x00000004
#define SECPKG_CALLFLAGS_APPCONTAINER_UPNCAPABLE  0x00000008

/* =========================================================================
 * Buffers
 * ========================================================================= */

typedef struct _SecBuffer {
    uint32_t cbBuffer;   /* bytes at pvBuffer */
    uint32_t BufferType; /* SECBUFFER_* type, possibly OR'ed with attribute bits */
    void *pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
    uint32_t ulVersion; /* SECBUFFER_VERSION */
    uint32_t cBuffers;
    PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

/* Buffer types; compare (BufferType & ~SECBUFFER_ATTRMASK). */
#define SECBUFFER_EMPTY                           0
#define SECBUFFER_DATA                            1
#define SECBUFFER_TOKEN                           2
#define SECBUFFER_PKG_PARAMS                      3
#define SECBUFFER_MISSING                         4
#define SECBUFFER_EXTRA                           5
#define SECBUFFER_STREAM_TRAILER                  6
#define SECBUFFER_STREAM_HEADER                   7
#define SECBUFFER_NEGOTIATION_INFO                8
#define SECBUFFER_PADDING                         9
#define SECBUFFER_STREAM                          10
#define SECBUFFER_MECHLIST                        11
#define SECBUFFER_MECHLIST_SIGNATURE              12
#define SECBUFFER_TARGET                          13
#define SECBUFFER_CHANNEL_BINDINGS                14
#define SECBUFFER_CHANGE_PASS_RESPONSE            15
#define SECBUFFER_TARGET_HOST                     16
#define SECBUFFER_ALERT                           17
#define SECBUFFER_APPLICATION_PROTOCOLS           18
#define SECBUFFER_SRTP_PROTECTION_PROFILES        19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER      20
#define SECBUFFER_TOKEN_BINDING                   21
#define SECBUFFER_PRESHARED_KEY                   22
#define SECBUFFER_PRESHARED_KEY_IDENTITY          23
#define SECBUFFER_DTLS_MTU                        24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION      25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS                           27
#define SECBUFFER_TRAFFIC_SECRETS                 28
#define SECBUFFER_CERTIFICATE_REQUEST_CONTEXT     29
#define SECBUFFER_CHANNEL_BINDINGS_RESULT         30
#define SECBUFFER_APP_SESSION_STATE               31
#define SECBUFFER_SESSION_TICKET                  32

/* Attribute bits OR'ed into BufferType. */
#define SECBUFFER_ATTRMASK               0xF0000000
#define SECBUFFER_READONLY               0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED               0x60000000

/* Contents of a SECBUFFER_NEGOTIATION_INFO buffer. */
typedef struct _SEC_NEGOTIATION_INFO {
    uint32_t Size;
    uint32_t NameLength;
    SEC_WCHAR *Name;
    void *Reserved;
} SEC_NEGOTIATION_INFO, *PSEC_NEGOTIATION_INFO;

/* Contents of a SECBUFFER_CHANNEL_BINDINGS buffer (offsets from its start). */
typedef struct _SEC_CHANNEL_BINDINGS {
    uint32_t dwInitiatorAddrType;
    uint32_t cbInitiatorLength;
    uint32_t dwInitiatorOffset;
    uint32_t dwAcceptorAddrType;
    uint32_t cbAcceptorLength;
    uint32_t dwAcceptorOffset;
    uint32_t cbApplicationDataLength;
    uint32_t dwApplicationDataOffset;
} SEC_CHANNEL_BINDINGS, *PSEC_CHANNEL_BINDINGS;

/* Contents of a SECBUFFER_APPLICATION_PROTOCOLS buffer (TLS ALPN/NPN). */
typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT {
    SecApplicationProtocolNegotiationExt_None,
    SecApplicationProtocolNegotiationExt_NPN,
    SecApplicationProtocolNegotiationExt_ALPN
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT,
    *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT;

typedef struct _SEC_APPLICATION_PROTOCOL_LIST {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    uint16_t ProtocolListSize;
    uint8_t ProtocolList[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOL_LIST, *PSEC_APPLICATION_PROTOCOL_LIST;

typedef struct _SEC_APPLICATION_PROTOCOLS {
    uint32_t ProtocolListsSize;
    SEC_APPLICATION_PROTOCOL_LIST ProtocolLists[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOLS, *PSEC_APPLICATION_PROTOCOLS;

typedef struct _SEC_DTLS_MTU {
    uint16_t PathMTU;
} SEC_DTLS_MTU, *PSEC_DTLS_MTU;

/* Contents of a SECBUFFER_FLAGS buffer: a 64-bit ISC/ASC flag word. */
typedef struct _SEC_FLAGS {
    uint64_t Flags;
} SEC_FLAGS, *PSEC_FLAGS;

/* =========================================================================
 * Data representation, quality of protection, credential use
 * ========================================================================= */

#define SECURITY_NATIVE_DREP  0x00000010
#define SECURITY_NETWORK_DREP 0x00000000

#define SECQOP_WRAP_NO_ENCRYPT 0x80000001
#define SECQOP_WRAP_OOB_DATA   0x40000000

/* AcquireCredentialsHandle fCredentialUse */
#define SECPKG_CRED_INBOUND                0x00000001
#define SECPKG_CRED_OUTBOUND               0x00000002
#define SECPKG_CRED_BOTH                   0x00000003
#define SECPKG_CRED_DEFAULT                0x00000004
#define SECPKG_CRED_RESERVED               0xF0000000
#define SECPKG_CRED_AUTOLOGON_RESTRICTED   0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY    0x00000020
#define SECPKG_CRED_KERB_ANCHOR_DS_VERSION 0x00000040

/* =========================================================================
 * InitializeSecurityContext / AcceptSecurityContext flags.
 * The 64-bit values only fit a SEC_FLAGS word, not fContextReq.
 * ========================================================================= */

#define ISC_REQ_DELEGATE                 0x00000001
#define ISC_REQ_MUTUAL_AUTH              0x00000002
#define ISC_REQ_REPLAY_DETECT            0x00000004
#define ISC_REQ_SEQUENCE_DETECT          0x00000008
#define ISC_REQ_CONFIDENTIALITY          0x00000010
#define ISC_REQ_USE_SESSION_KEY          0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS         0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS       0x00000080
#define ISC_REQ_ALLOCATE_MEMORY          0x00000100
#define ISC_REQ_USE_DCE_STYLE            0x00000200
#define ISC_REQ_DATAGRAM                 0x00000400
#define ISC_REQ_CONNECTION               0x00000800
#define ISC_REQ_CALL_LEVEL               0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED        0x00002000
#define ISC_REQ_EXTENDED_ERROR           0x00004000
#define ISC_REQ_STREAM                   0x00008000
#define ISC_REQ_INTEGRITY                0x00010000
#define ISC_REQ_IDENTIFY                 0x00020000
#define ISC_REQ_NULL_SESSION             0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION   0x00080000
#define ISC_REQ_RESERVED1                0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT          0x00200000
#define ISC_REQ_FORWARD_CREDENTIALS      0x00400000
#define ISC_REQ_NO_INTEGRITY             0x00800000
#define ISC_REQ_USE_HTTP_STYLE           0x01000000
#define ISC_REQ_UNVERIFIED_TARGET_NAME   0x20000000
#define ISC_REQ_CONFIDENTIALITY_ONLY     0x40000000
#define ISC_REQ_MESSAGES                 0x0000000100000000ULL
#define ISC_REQ_DEFERRED_CRED_VALIDATION 0x0000000200000000ULL
#define ISC_REQ_NO_POST_HANDSHAKE_AUTH   0x0000000400000000ULL
#define ISC_REQ_REUSE_SESSION_TICKETS    0x0000000800000000ULL
#define ISC_REQ_EXPLICIT_SESSION         0x0000001000000000ULL

#define ISC_RET_DELEGATE                 0x00000001
#define ISC_RET_MUTUAL_AUTH              0x00000002
#define ISC_RET_REPLAY_DETECT            0x00000004
#define ISC_RET_SEQUENCE_DETECT          0x00000008
#define ISC_RET_CONFIDENTIALITY          0x00000010
#define ISC_RET_USE_SESSION_KEY          0x00000020
#define ISC_RET_USED_COLLECTED_CREDS     0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS      0x00000080
#define ISC_RET_ALLOCATED_MEMORY         0x00000100
#define ISC_RET_USED_DCE_STYLE           0x00000200
#define ISC_RET_DATAGRAM                 0x00000400
#define ISC_RET_CONNECTION               0x00000800
#define ISC_RET_INTERMEDIATE_RETURN      0x00001000
#define ISC_RET_CALL_LEVEL               0x00002000
#define ISC_RET_EXTENDED_ERROR           0x00004000
#define ISC_RET_STREAM                   0x00008000
#define ISC_RET_INTEGRITY                0x00010000
#define ISC_RET_IDENTIFY                 0x00020000
#define ISC_RET_NULL_SESSION             0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION   0x00080000
#define ISC_RET_RESERVED1                0x00100000
#define ISC_RET_FRAGMENT_ONLY            0x00200000
#define ISC_RET_FORWARD_CREDENTIALS      0x00400000
#define ISC_RET_USED_HTTP_STYLE          0x01000000
#define ISC_RET_NO_ADDITIONAL_TOKEN      0x02000000
#define ISC_RET_REAUTHENTICATION         0x08000000
#define ISC_RET_CONFIDENTIALITY_ONLY     0x40000000
#define ISC_RET_MESSAGES                 0x0000000100000000ULL
#define ISC_RET_DEFERRED_CRED_VALIDATION 0x0000000200000000ULL
#define ISC_RET_NO_POST_HANDSHAKE_AUTH   0x0000000400000000ULL
#define ISC_RET_REUSE_SESSION_TICKETS    0x0000000800000000ULL
#define ISC_RET_EXPLICIT_SESSION         0x0000001000000000ULL

#define ASC_REQ_DELEGATE               0x00000001
#define ASC_REQ_MUTUAL_AUTH            0x00000002
#define ASC_REQ_REPLAY_DETECT          0x00000004
#define ASC_REQ_SEQUENCE_DETECT        0x00000008
#define ASC_REQ_CONFIDENTIALITY        0x00000010
#define ASC_REQ_USE_SESSION_KEY        0x00000020
#define ASC_REQ_SESSION_TICKET         0x00000040
#define ASC_REQ_ALLOCATE_MEMORY        0x00000100
#define ASC_REQ_USE_DCE_STYLE          0x00000200
#define ASC_REQ_DATAGRAM               0x00000400
#define ASC_REQ_CONNECTION             0x00000800
#define ASC_REQ_CALL_LEVEL             0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED      0x00002000
#define ASC_REQ_EXTENDED_ERROR         0x00008000
#define ASC_REQ_STREAM                 0x00010000
#define ASC_REQ_INTEGRITY              0x00020000
#define ASC_REQ_LICENSING              0x00040000
#define ASC_REQ_IDENTIFY               0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION     0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS  0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY   0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT        0x00800000
#define ASC_REQ_NO_TOKEN               0x01000000
#define ASC_REQ_PROXY_BINDINGS         0x04000000
#define ASC_REQ_ALLOW_MISSING_BINDINGS 0x10000000
#define ASC_REQ_MESSAGES               0x0000000100000000ULL
#define ASC_REQ_EXPLICIT_SESSION       0x0000001000000000ULL

#define ASC_RET_DELEGATE              0x00000001
#define ASC_RET_MUTUAL_AUTH           0x00000002
#define ASC_RET_REPLAY_DETECT         0x00000004
#define ASC_RET_SEQUENCE_DETECT       0x00000008
#define ASC_RET_CONFIDENTIALITY       0x00000010
#define ASC_RET_USE_SESSION_KEY       0x00000020
#define ASC_RET_SESSION_TICKET        0x00000040
#define ASC_RET_ALLOCATED_MEMORY      0x00000100
#define ASC_RET_USED_DCE_STYLE        0x00000200
#define ASC_RET_DATAGRAM              0x00000400
#define ASC_RET_CONNECTION            0x00000800
#define ASC_RET_CALL_LEVEL            0x00002000
#define ASC_RET_THIRD_LEG_FAILED      0x00004000
#define ASC_RET_EXTENDED_ERROR        0x00008000
#define ASC_RET_STREAM                0x00010000
#define ASC_RET_INTEGRITY             0x00020000
#define ASC_RET_LICENSING             0x00040000
#define ASC_RET_IDENTIFY              0x00080000
#define ASC_RET_NULL_SESSION          0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS 0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY  0x00400000
#define ASC_RET_FRAGMENT_ONLY         0x00800000
#define ASC_RET_NO_TOKEN              0x01000000
#define ASC_RET_NO_ADDITIONAL_TOKEN   0x02000000
#define ASC_RET_MESSAGES              0x0000000100000000ULL
#define ASC_RET_REUSE_SESSION_TICKETS 0x0000000800000000ULL
#define ASC_RET_EXPLICIT_SESSION      0x0000001000000000ULL

/* =========================================================================
 * Credential attributes (QueryCredentialsAttributes)
 * ========================================================================= */

#define SECPKG_CRED_ATTR_NAMES                1
#define SECPKG_CRED_ATTR_SSI_PROVIDER         2
#define SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS   3
#define SECPKG_CRED_ATTR_KDC_NETWORK_SETTINGS SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS
#define SECPKG_CRED_ATTR_CERT                 4
#define SECPKG_CRED_ATTR_PAC_BYPASS           5

typedef struct _SecPkgCredentials_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgCredentials_NamesW, *PSecPkgCredentials_NamesW;

typedef struct _SecPkgCredentials_NamesA {
    SEC_CHAR *sUserName;
} SecPkgCredentials_NamesA, *PSecPkgCredentials_NamesA;

#define SecPkgCredentials_Names  LIBSSPI_NAME_AW(SecPkgCredentials_Names)
#define PSecPkgCredentials_Names LIBSSPI_NAME_AW(PSecPkgCredentials_Names)

typedef struct _SecPkgCredentials_SSIProviderW {
    SEC_WCHAR *sProviderName;
    uint32_t ProviderInfoLength;
    char *ProviderInfo;
} SecPkgCredentials_SSIProviderW, *PSecPkgCredentials_SSIProviderW;

typedef struct _SecPkgCredentials_SSIProviderA {
    SEC_CHAR *sProviderName;
    uint32_t ProviderInfoLength;
    char *ProviderInfo;
} SecPkgCredentials_SSIProviderA, *PSecPkgCredentials_SSIProviderA;

#define SecPkgCredentials_SSIProvider  LIBSSPI_NAME_AW(SecPkgCredentials_SSIProvider)
#define PSecPkgCredentials_SSIProvider LIBSSPI_NAME_AW(PSecPkgCredentials_SSIProvider)

#define KDC_PROXY_SETTINGS_V1               1
#define KDC_PROXY_SETTINGS_FLAGS_FORCEPROXY 0x1

typedef struct _SecPkgCredentials_KdcProxySettingsW {
    uint32_t Version;
    uint32_t Flags;
    uint16_t ProxyServerOffset;
    uint16_t ProxyServerLength;
    uint16_t ClientTlsCredOffset;
    uint16_t ClientTlsCredLength;
} SecPkgCredentials_KdcProxySettingsW, *PSecPkgCredentials_KdcProxySettingsW;

typedef struct _SecPkgCredentials_Cert {
    uint32_t EncodedCertSize;
    uint8_t *EncodedCert;
} SecPkgCredentials_Cert, *PSecPkgCredentials_Cert;

/* =========================================================================
 * Context attributes (QueryContextAttributes / SetContextAttributes)
 * ========================================================================= */

#define SECPKG_ATTR_SIZES                       0
#define SECPKG_ATTR_NAMES                       1
#define SECPKG_ATTR_LIFESPAN                    2
#define SECPKG_ATTR_DCE_INFO                    3
#define SECPKG_ATTR_STREAM_SIZES                4
#define SECPKG_ATTR_DATAGRAM_SIZES              SECPKG_ATTR_STREAM_SIZES
#define SECPKG_ATTR_KEY_INFO                    5
#define SECPKG_ATTR_AUTHORITY                   6
#define SECPKG_ATTR_PROTO_INFO                  7
#define SECPKG_ATTR_PASSWORD_EXPIRY             8
#define SECPKG_ATTR_SESSION_KEY                 9
#define SECPKG_ATTR_PACKAGE_INFO                10
#define SECPKG_ATTR_USER_FLAGS                  11
#define SECPKG_ATTR_NEGOTIATION_INFO            12
#define SECPKG_ATTR_NATIVE_NAMES                13
#define SECPKG_ATTR_FLAGS                       14
#define SECPKG_ATTR_USE_VALIDATED               15
#define SECPKG_ATTR_CREDENTIAL_NAME             16
#define SECPKG_ATTR_TARGET_INFORMATION          17
#define SECPKG_ATTR_ACCESS_TOKEN                18
#define SECPKG_ATTR_TARGET                      19
#define SECPKG_ATTR_AUTHENTICATION_ID           20
#define SECPKG_ATTR_LOGOFF_TIME                 21
#define SECPKG_ATTR_NEGO_KEYS                   22
#define SECPKG_ATTR_PROMPTING_NEEDED            24
#define SECPKG_ATTR_UNIQUE_BINDINGS             25
#define SECPKG_ATTR_ENDPOINT_BINDINGS           26
#define SECPKG_ATTR_CLIENT_SPECIFIED_TARGET     27
#define SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS    30
#define SECPKG_ATTR_NEGO_PKG_INFO               31
#define SECPKG_ATTR_NEGO_STATUS                 32
#define SECPKG_ATTR_CONTEXT_DELETED             33
#define SECPKG_ATTR_DTLS_MTU                    34
#define SECPKG_ATTR_APPLICATION_PROTOCOL        35
#define SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS   36
#define SECPKG_ATTR_IS_LOOPBACK                 37
#define SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES 128

/* Schannel / CredSSP range */
#define SECPKG_ATTR_C_ACCESS_TOKEN      0x80000012
#define SECPKG_ATTR_CREDS               0x80000080
#define SECPKG_ATTR_NEGOTIATION_PACKAGE 0x80000081
#define SECPKG_ATTR_C_FULL_ACCESS_TOKEN 0x80000082
#define SECPKG_ATTR_SERVER_AUTH_FLAGS   0x80000083
#define SECPKG_ATTR_CERT_TRUST_STATUS   0x80000084
#define SECPKG_ATTR_CREDS_2             0x80000086

/* SecPkgContext_NegoPackageInfo.PackageMask */
#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_KERBEROS 0x1
#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_NTLM     0x2

/* SecPkgContext_NegotiationInfo.NegotiationState */
#define SECPKG_NEGOTIATION_COMPLETE      0
#define SECPKG_NEGOTIATION_OPTIMISTIC    1
#define SECPKG_NEGOTIATION_IN_PROGRESS   2
#define SECPKG_NEGOTIATION_DIRECT        3
#define SECPKG_NEGOTIATION_TRY_MULTICRED 4

typedef struct _SecPkgContext_SubjectAttributes {
    void *AttributeInfo;
} SecPkgContext_SubjectAttributes, *PSecPkgContext_SubjectAttributes;

typedef enum _SECPKG_CRED_CLASS {
    SecPkgCredClass_None = 0,
    SecPkgCredClass_Ephemeral = 10,
    SecPkgCredClass_PersistedGeneric = 20,
    SecPkgCredClass_PersistedSpecific = 30,
    SecPkgCredClass_Explicit = 40
} SECPKG_CRED_CLASS,
    *PSECPKG_CRED_CLASS;

typedef struct _SecPkgContext_CredInfo {
    SECPKG_CRED_CLASS CredClass;
    uint32_t IsPromptingNeeded;
} SecPkgContext_CredInfo, *PSecPkgContext_CredInfo;

typedef struct _SecPkgContext_NegoPackageInfo {
    uint32_t PackageMask;
} SecPkgContext_NegoPackageInfo, *PSecPkgContext_NegoPackageInfo;

typedef struct _SecPkgContext_NegoStatus {
    uint32_t LastStatus;
} SecPkgContext_NegoStatus, *PSecPkgContext_NegoStatus;

/* SECPKG_ATTR_SIZES */
typedef struct _SecPkgContext_Sizes {
    uint32_t cbMaxToken;
    uint32_t cbMaxSignature;
    uint32_t cbBlockSize;
    uint32_t cbSecurityTrailer;
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

/* SECPKG_ATTR_STREAM_SIZES / SECPKG_ATTR_DATAGRAM_SIZES */
typedef struct _SecPkgContext_StreamSizes {
    uint32_t cbHeader;
    uint32_t cbTrailer;
    uint32_t cbMaximumMessage;
    uint32_t cBuffers;
    uint32_t cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

typedef SecPkgContext_StreamSizes SecPkgContext_DatagramSizes;
typedef PSecPkgContext_StreamSizes PSecPkgContext_DatagramSizes;

/* SECPKG_ATTR_NAMES */
typedef struct _SecPkgContext_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgContext_NamesW, *PSecPkgContext_NamesW;

typedef struct _SecPkgContext_NamesA {
    SEC_CHAR *sUserName;
} SecPkgContext_NamesA, *PSecPkgContext_NamesA;

#define SecPkgContext_Names  LIBSSPI_NAME_AW(SecPkgContext_Names)
#define PSecPkgContext_Names LIBSSPI_NAME_AW(PSecPkgContext_Names)

typedef enum _SECPKG_ATTR_LCT_STATUS {
    SecPkgAttrLastClientTokenYes,
    SecPkgAttrLastClientTokenNo,
    SecPkgAttrLastClientTokenMaybe
} SECPKG_ATTR_LCT_STATUS,
    *PSECPKG_ATTR_LCT_STATUS;

typedef struct _SecPkgContext_LastClientTokenStatus {
    SECPKG_ATTR_LCT_STATUS LastClientTokenStatus;
} SecPkgContext_LastClientTokenStatus, *PSecPkgContext_LastClientTokenStatus;

/* SECPKG_ATTR_LIFESPAN */
typedef struct _SecPkgContext_Lifespan {
    TimeStamp tsStart;
    TimeStamp tsExpiry;
} SecPkgContext_Lifespan, *PSecPkgContext_Lifespan;

/* SECPKG_ATTR_DCE_INFO */
typedef struct _SecPkgContext_DceInfo {
    uint32_t AuthzSvc;
    void *pPac;
} SecPkgContext_DceInfo, *PSecPkgContext_DceInfo;

/* SECPKG_ATTR_KEY_INFO */
typedef struct _SecPkgContext_KeyInfoA {
    SEC_CHAR *sSignatureAlgorithmName;
    SEC_CHAR *sEncryptAlgorithmName;
    uint32_t KeySize;
    uint32_t SignatureAlgorithm;
    uint32_t EncryptAlgorithm;
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

typedef struct _SecPkgContext_KeyInfoW {
    SEC_WCHAR *sSignatureAlgorithmName;
    SEC_WCHAR *sEncryptAlgorithmName;
    uint32_t KeySize;
    uint32_t SignatureAlgorithm;
    uint32_t EncryptAlgorithm;
} SecPkgContext_KeyInfoW, *PSecPkgContext_KeyInfoW;

#define SecPkgContext_KeyInfo  LIBSSPI_NAME_AW(SecPkgContext_KeyInfo)
#define PSecPkgContext_KeyInfo LIBSSPI_NAME_AW(PSecPkgContext_KeyInfo)

/* SECPKG_ATTR_AUTHORITY */
typedef struct _SecPkgContext_AuthorityA {
    SEC_CHAR *sAuthorityName;
} SecPkgContext_AuthorityA, *PSecPkgContext_AuthorityA;

typedef struct _SecPkgContext_AuthorityW {
    SEC_WCHAR *sAuthorityName;
} SecPkgContext_AuthorityW, *PSecPkgContext_AuthorityW;

#define SecPkgContext_Authority  LIBSSPI_NAME_AW(SecPkgContext_Authority)
#define PSecPkgContext_Authority LIBSSPI_NAME_AW(PSecPkgContext_Authority)

/* SECPKG_ATTR_PROTO_INFO */
typedef struct _SecPkgContext_ProtoInfoA {
    SEC_CHAR *sProtocolName;
    uint32_t majorVersion;
    uint32_t minorVersion;
} SecPkgContext_ProtoInfoA, *PSecPkgContext_ProtoInfoA;

typedef struct _SecPkgContext_ProtoInfoW {
    SEC_WCHAR *sProtocolName;
    uint32_t majorVersion;
    uint32_t minorVersion;
} SecPkgContext_ProtoInfoW, *PSecPkgContext_ProtoInfoW;

#define SecPkgContext_ProtoInfo  LIBSSPI_NAME_AW(SecPkgContext_ProtoInfo)
#define PSecPkgContext_ProtoInfo LIBSSPI_NAME_AW(PSecPkgContext_ProtoInfo)

/* SECPKG_ATTR_PASSWORD_EXPIRY, SECPKG_ATTR_LOGOFF_TIME */
typedef struct _SecPkgContext_PasswordExpiry {
    TimeStamp tsPasswordExpires;
} SecPkgContext_PasswordExpiry, *PSecPkgContext_PasswordExpiry;

typedef struct _SecPkgContext_LogoffTime {
    TimeStamp tsLogoffTime;
} SecPkgContext_LogoffTime, *PSecPkgContext_LogoffTime;

/* SECPKG_ATTR_SESSION_KEY */
typedef struct _SecPkgContext_SessionKey {
    uint32_t SessionKeyLength;
    uint8_t *SessionKey;
} SecPkgContext_SessionKey, *PSecPkgContext_SessionKey;

/* SECPKG_ATTR_NEGO_KEYS */
typedef struct _SecPkgContext_NegoKeys {
    uint32_t KeyType;
    uint16_t KeyLength;
    uint8_t *KeyValue;
    uint32_t VerifyKeyType;
    uint16_t VerifyKeyLength;
    uint8_t *VerifyKeyValue;
} SecPkgContext_NegoKeys, *PSecPkgContext_NegoKeys;

/* SECPKG_ATTR_PACKAGE_INFO */
typedef struct _SecPkgContext_PackageInfoW {
    PSecPkgInfoW PackageInfo;
} SecPkgContext_PackageInfoW, *PSecPkgContext_PackageInfoW;

typedef struct _SecPkgContext_PackageInfoA {
    PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

#define SecPkgContext_PackageInfo  LIBSSPI_NAME_AW(SecPkgContext_PackageInfo)
#define PSecPkgContext_PackageInfo LIBSSPI_NAME_AW(PSecPkgContext_PackageInfo)

/* SECPKG_ATTR_USER_FLAGS, SECPKG_ATTR_FLAGS */
typedef struct _SecPkgContext_UserFlags {
    uint32_t UserFlags;
} SecPkgContext_UserFlags, *PSecPkgContext_UserFlags;

typedef struct _SecPkgContext_Flags {
    uint32_t Flags;
} SecPkgContext_Flags, *PSecPkgContext_Flags;

/* SECPKG_ATTR_NEGOTIATION_INFO */
typedef struct _SecPkgContext_NegotiationInfoA {
    PSecPkgInfoA PackageInfo;
    uint32_t NegotiationState; /* SECPKG_NEGOTIATION_* */
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

typedef struct _SecPkgContext_NegotiationInfoW {
    PSecPkgInfoW PackageInfo;
    uint32_t NegotiationState;
} SecPkgContext_NegotiationInfoW, *PSecPkgContext_NegotiationInfoW;

#define SecPkgContext_NegotiationInfo  LIBSSPI_NAME_AW(SecPkgContext_NegotiationInfo)
#define PSecPkgContext_NegotiationInfo LIBSSPI_NAME_AW(PSecPkgContext_NegotiationInfo)

/* SECPKG_ATTR_NATIVE_NAMES */
typedef struct _SecPkgContext_NativeNamesW {
    SEC_WCHAR *sClientName;
    SEC_WCHAR *sServerName;
} SecPkgContext_NativeNamesW, *PSecPkgContext_NativeNamesW;

typedef struct _SecPkgContext_NativeNamesA {
    SEC_CHAR *sClientName;
    SEC_CHAR *sServerName;
} SecPkgContext_NativeNamesA, *PSecPkgContext_NativeNamesA;

#define SecPkgContext_NativeNames  LIBSSPI_NAME_AW(SecPkgContext_NativeNames)
#define PSecPkgContext_NativeNames LIBSSPI_NAME_AW(PSecPkgContext_NativeNames)

/* SECPKG_ATTR_CREDENTIAL_NAME */
typedef struct _SecPkgContext_CredentialNameW {
    uint32_t CredentialType;
    SEC_WCHAR *sCredentialName;
} SecPkgContext_CredentialNameW, *PSecPkgContext_CredentialNameW;

typedef struct _SecPkgContext_CredentialNameA {
    uint32_t CredentialType;
    SEC_CHAR *sCredentialName;
} SecPkgContext_CredentialNameA, *PSecPkgContext_CredentialNameA;

#define SecPkgContext_CredentialName  LIBSSPI_NAME_AW(SecPkgContext_CredentialName)
#define PSecPkgContext_CredentialName LIBSSPI_NAME_AW(PSecPkgContext_CredentialName)

/* SECPKG_ATTR_ACCESS_TOKEN */
typedef struct _SecPkgContext_AccessToken {
    void *AccessToken;
} SecPkgContext_AccessToken, *PSecPkgContext_AccessToken;

/* SECPKG_ATTR_TARGET_INFORMATION */
typedef struct _SecPkgContext_TargetInformation {
    uint32_t MarshalledTargetInfoLength;
    uint8_t *MarshalledTargetInfo;
} SecPkgContext_TargetInformation, *PSecPkgContext_TargetInformation;

typedef struct _SecPkgContext_AuthzID {
    uint32_t AuthzIDLength;
    char *AuthzID;
} SecPkgContext_AuthzID, *PSecPkgContext_AuthzID;

/* SECPKG_ATTR_TARGET */
typedef struct _SecPkgContext_Target {
    uint32_t TargetLength;
    char *Target;
} SecPkgContext_Target, *PSecPkgContext_Target;

/* SECPKG_ATTR_CLIENT_SPECIFIED_TARGET */
typedef struct _SecPkgContext_ClientSpecifiedTarget {
    SEC_WCHAR *sTargetName;
} SecPkgContext_ClientSpecifiedTarget, *PSecPkgContext_ClientSpecifiedTarget;

/* SECPKG_ATTR_UNIQUE_BINDINGS, SECPKG_ATTR_ENDPOINT_BINDINGS */
typedef struct _SecPkgContext_Bindings {
    uint32_t BindingsLength;
    SEC_CHANNEL_BINDINGS *Bindings;
} SecPkgContext_Bindings, *PSecPkgContext_Bindings;

/* SECPKG_ATTR_APPLICATION_PROTOCOL */
typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS {
    SecApplicationProtocolNegotiationStatus_None,
    SecApplicationProtocolNegotiationStatus_Success,
    SecApplicationProtocolNegotiationStatus_SelectedClientOnly
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS,
    *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS;

#define MAX_PROTOCOL_ID_SIZE 0xff

typedef struct _SecPkgContext_ApplicationProtocol {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS ProtoNegoStatus;
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    uint8_t ProtocolIdSize;
    uint8_t ProtocolId[MAX_PROTOCOL_ID_SIZE];
} SecPkgContext_ApplicationProtocol, *PSecPkgContext_ApplicationProtocol;

/* SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS */
typedef struct _SecPkgContext_NegotiatedTlsExtensions {
    uint32_t ExtensionsCount;
    uint16_t *Extensions;
} SecPkgContext_NegotiatedTlsExtensions, *PSecPkgContext_NegotiatedTlsExtensions;

typedef struct _SECPKG_APP_MODE_INFO {
    uint32_t UserFunction;
    ULONG_PTR Argument1;
    ULONG_PTR Argument2;
    SecBuffer UserData;
    BOOLEAN ReturnToLsa;
} SECPKG_APP_MODE_INFO, *PSECPKG_APP_MODE_INFO;

/* =========================================================================
 * Identities passed as pAuthData to AcquireCredentialsHandle.
 * User/Domain/Password lengths are in characters, without terminator;
 * the W strings are UTF-16 (unsigned short units, as in the SDK).
 * ========================================================================= */

#define SEC_WINNT_AUTH_IDENTITY_ANSI       0x1
#define SEC_WINNT_AUTH_IDENTITY_UNICODE    0x2
#define SEC_WINNT_AUTH_IDENTITY_MARSHALLED 0x4
#define SEC_WINNT_AUTH_IDENTITY_ONLY       0x8

#ifndef _AUTH_IDENTITY_DEFINED
#define _AUTH_IDENTITY_DEFINED
typedef struct _SEC_WINNT_AUTH_IDENTITY_W {
    unsigned short *User;
    uint32_t UserLength;
    unsigned short *Domain;
    uint32_t DomainLength;
    unsigned short *Password;
    uint32_t PasswordLength;
    uint32_t Flags; /* SEC_WINNT_AUTH_IDENTITY_UNICODE */
} SEC_WINNT_AUTH_IDENTITY_W, *PSEC_WINNT_AUTH_IDENTITY_W;

typedef struct _SEC_WINNT_AUTH_IDENTITY_A {
    unsigned char *User;
    uint32_t UserLength;
    unsigned char *Domain;
    uint32_t DomainLength;
    unsigned char *Password;
    uint32_t PasswordLength;
    uint32_t Flags; /* SEC_WINNT_AUTH_IDENTITY_ANSI */
} SEC_WINNT_AUTH_IDENTITY_A, *PSEC_WINNT_AUTH_IDENTITY_A;

#define SEC_WINNT_AUTH_IDENTITY  LIBSSPI_NAME_UAW(SEC_WINNT_AUTH_IDENTITY)
#define PSEC_WINNT_AUTH_IDENTITY LIBSSPI_NAME_UAW(PSEC_WINNT_AUTH_IDENTITY)
#define _SEC_WINNT_AUTH_IDENTITY LIBSSPI_NAME_UAW(_SEC_WINNT_AUTH_IDENTITY)
#endif /* _AUTH_IDENTITY_DEFINED */

#ifndef SEC_WINNT_AUTH_IDENTITY_VERSION
#define SEC_WINNT_AUTH_IDENTITY_VERSION 0x200

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXW {
    uint32_t Version; /* SEC_WINNT_AUTH_IDENTITY_VERSION */
    uint32_t Length;  /* sizeof the structure */
    unsigned short *User;
    uint32_t UserLength;
    unsigned short *Domain;
    uint32_t DomainLength;
    unsigned short *Password;
    uint32_t PasswordLength;
    uint32_t Flags;
    unsigned short *PackageList;
    uint32_t PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXW, *PSEC_WINNT_AUTH_IDENTITY_EXW;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXA {
    uint32_t Version;
    uint32_t Length;
    unsigned char *User;
    uint32_t UserLength;
    unsigned char *Domain;
    uint32_t DomainLength;
    unsigned char *Password;
    uint32_t PasswordLength;
    uint32_t Flags;
    unsigned char *PackageList;
    uint32_t PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXA, *PSEC_WINNT_AUTH_IDENTITY_EXA;

#define SEC_WINNT_AUTH_IDENTITY_EX  LIBSSPI_NAME_AW(SEC_WINNT_AUTH_IDENTITY_EX)
#define PSEC_WINNT_AUTH_IDENTITY_EX LIBSSPI_NAME_AW(PSEC_WINNT_AUTH_IDENTITY_EX)
#endif /* SEC_WINNT_AUTH_IDENTITY_VERSION */

/* Packed form: the strings follow the header; offsets and lengths in bytes. */
#ifndef _AUTH_IDENTITY_EX2_DEFINED
#define _AUTH_IDENTITY_EX2_DEFINED
#define SEC_WINNT_AUTH_IDENTITY_VERSION_2 0x201

typedef struct _SEC_WINNT_AUTH_IDENTITY_EX2 {
    uint32_t Version; /* SEC_WINNT_AUTH_IDENTITY_VERSION_2 */
    uint16_t cbHeaderLength;
    uint32_t cbStructureLength;
    uint32_t UserOffset;
    uint16_t UserLength;
    uint32_t DomainOffset;
    uint16_t DomainLength;
    uint32_t PackedCredentialsOffset;
    uint16_t PackedCredentialsLength;
    uint32_t Flags;
    uint32_t PackageListOffset;
    uint16_t PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EX2, *PSEC_WINNT_AUTH_IDENTITY_EX2;
#endif /* _AUTH_IDENTITY_EX2_DEFINED */

#ifndef _AUTH_IDENTITY_INFO_DEFINED
#define _AUTH_IDENTITY_INFO_DEFINED
typedef union _SEC_WINNT_AUTH_IDENTITY_INFO {
    SEC_WINNT_AUTH_IDENTITY_EXW AuthIdExw;
    SEC_WINNT_AUTH_IDENTITY_EXA AuthIdExa;
    SEC_WINNT_AUTH_IDENTITY_A AuthId_a;
    SEC_WINNT_AUTH_IDENTITY_W AuthId_w;
    SEC_WINNT_AUTH_IDENTITY_EX2 AuthIdEx2;
} SEC_WINNT_AUTH_IDENTITY_INFO, *PSEC_WINNT_AUTH_IDENTITY_INFO;
#endif

typedef void *PSEC_WINNT_AUTH_IDENTITY_OPAQUE;

/* Packed credentials of an EX2 identity (the SDK declares these under
 * _SEC_WINNT_AUTH_TYPES; here they are always declared).  Offsets count
 * from the start of the structure that holds them; lengths are bytes. */
#ifndef _SEC_WINNT_AUTH_TYPES_DEFINED
#define _SEC_WINNT_AUTH_TYPES_DEFINED
typedef struct _SEC_WINNT_AUTH_BYTE_VECTOR {
    uint32_t ByteArrayOffset;
    uint16_t ByteArrayLength;
} SEC_WINNT_AUTH_BYTE_VECTOR, *PSEC_WINNT_AUTH_BYTE_VECTOR;

typedef struct _SEC_WINNT_AUTH_DATA {
    GUID CredType; /* SEC_WINNT_AUTH_DATA_TYPE_* */
    SEC_WINNT_AUTH_BYTE_VECTOR CredData;
} SEC_WINNT_AUTH_DATA, *PSEC_WINNT_AUTH_DATA;

typedef struct _SEC_WINNT_AUTH_PACKED_CREDENTIALS {
    uint16_t cbHeaderLength;
    uint16_t cbStructureLength;
    SEC_WINNT_AUTH_DATA AuthData;
} SEC_WINNT_AUTH_PACKED_CREDENTIALS, *PSEC_WINNT_AUTH_PACKED_CREDENTIALS;

typedef struct _SEC_WINNT_AUTH_DATA_PASSWORD {
    SEC_WINNT_AUTH_BYTE_VECTOR UnicodePassword;
} SEC_WINNT_AUTH_DATA_PASSWORD, *PSEC_WINNT_AUTH_DATA_PASSWORD;

/* {28BFC32F-10F6-4738-98D1-1AC061DF716A}: the credential is a password
 * (UTF-16, no terminator). */
static const GUID SEC_WINNT_AUTH_DATA_TYPE_PASSWORD = {
    0x28bfc32f, 0x10f6, 0x4738, {0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a}};
/* {235F69AD-73FB-4DBC-8203-0629E739339B}: a certificate (not accepted by
 * libsspi's packages). */
static const GUID SEC_WINNT_AUTH_DATA_TYPE_CERT = {
    0x235f69ad, 0x73fb, 0x4dbc, {0x82, 0x03, 0x06, 0x29, 0xe7, 0x39, 0x33, 0x9b}};
#endif /* _SEC_WINNT_AUTH_TYPES_DEFINED */

/* Flags of the EX/EX2 forms */
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED 0x10
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED  0x20
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED    0x40
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_ENCRYPTED  0x80
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_RESERVED          0x10000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_NULL_USER         0x20000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_NULL_DOMAIN       0x40000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_ID_PROVIDER       0x80000

#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_USE_MASK             0xFF000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE 0x80000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_BY_CALLER                                  \
    SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_CHECKED    0x40000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_NO_CHECKBOX          0x20000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_LOAD 0x10000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_VALID_SSPIPFC_FLAGS                                          \
    (SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE |                                  \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_CHECKED |                                     \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_NO_CHECKBOX |                                           \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_LOAD)

/* SspiEncryptAuthIdentityEx options */
#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_LOGON   0x1
#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS 0x2
#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_FOR_SYSTEM   0x4

/* =========================================================================
 * Package registration (AddSecurityPackage)
 * ========================================================================= */

typedef struct _SECURITY_PACKAGE_OPTIONS {
    uint32_t Size;
    uint32_t Type;  /* SECPKG_OPTIONS_TYPE_* */
    uint32_t Flags; /* SECPKG_OPTIONS_* */
    uint32_t SignatureSize;
    void *Signature;
} SECURITY_PACKAGE_OPTIONS, *PSECURITY_PACKAGE_OPTIONS;

#define SECPKG_OPTIONS_TYPE_UNKNOWN 0
#define SECPKG_OPTIONS_TYPE_LSA     1
#define SECPKG_OPTIONS_TYPE_SSPI    2

#define SECPKG_OPTIONS_PERMANENT 0x00000001

/* ExportSecurityContext fFlags */
#define SECPKG_CONTEXT_EXPORT_RESET_NEW  0x00000001
#define SECPKG_CONTEXT_EXPORT_DELETE_OLD 0x00000002
#define SECPKG_CONTEXT_EXPORT_TO_KERNEL  0x00000004

/* =========================================================================
 * Package names
 * ========================================================================= */

#ifndef NTLMSP_NAME_A
#define NTLMSP_NAME_A "NTLM"
#endif
#if defined(LIBSSPI_HAVE_U16_LITERALS) && !defined(NTLMSP_NAME)
#define NTLMSP_NAME u"NTLM"
#endif

#ifndef NEGOSSP_NAME_A
#define NEGOSSP_NAME_A "Negotiate"
#endif
#if defined(LIBSSPI_HAVE_U16_LITERALS) && !defined(NEGOSSP_NAME_W)
#define NEGOSSP_NAME_W u"Negotiate"
#endif
#ifndef NEGOSSP_NAME
#ifndef UNICODE
#define NEGOSSP_NAME NEGOSSP_NAME_A
#elif defined(NEGOSSP_NAME_W)
#define NEGOSSP_NAME NEGOSSP_NAME_W
#endif
#endif

#ifndef MICROSOFT_KERBEROS_NAME_A
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#endif
#if defined(LIBSSPI_HAVE_U16_LITERALS) && !defined(MICROSOFT_KERBEROS_NAME_W)
#define MICROSOFT_KERBEROS_NAME_W u"Kerberos"
#endif
#ifndef MICROSOFT_KERBEROS_NAME
#ifndef UNICODE
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_A
#elif defined(MICROSOFT_KERBEROS_NAME_W)
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_W
#endif
#endif

/* =========================================================================
 * Function pointer types and entry points
 * ========================================================================= */

/* Callback that supplies a key to AcquireCredentialsHandle/AddCredentials. */
typedef void(SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal, uint32_t KeyVer, void **Key,
                                        SECURITY_STATUS *Status);

/* ---- Credentials */

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                                    uint32_t fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_W)(SEC_WCHAR *, SEC_WCHAR *,
                                                                    uint32_t, void *, void *,
                                                                    SEC_GET_KEY_FN, void *,
                                                                    PCredHandle, PTimeStamp);

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                                    uint32_t fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_A)(SEC_CHAR *, SEC_CHAR *,
                                                                    uint32_t, void *, void *,
                                                                    SEC_GET_KEY_FN, void *,
                                                                    PCredHandle, PTimeStamp);

#define AcquireCredentialsHandle      LIBSSPI_NAME_AW(AcquireCredentialsHandle)
#define ACQUIRE_CREDENTIALS_HANDLE_FN LIBSSPI_NAME_UAW(ACQUIRE_CREDENTIALS_HANDLE_FN)

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);
typedef SECURITY_STATUS(SEC_ENTRY *FREE_CREDENTIALS_HANDLE_FN)(PCredHandle);

SECURITY_STATUS SEC_ENTRY AddCredentialsW(PCredHandle hCredentials, SEC_WCHAR *pszPrincipal,
                                          SEC_WCHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *ADD_CREDENTIALS_FN_W)(PCredHandle, SEC_WCHAR *, SEC_WCHAR *,
                                                         uint32_t, void *, SEC_GET_KEY_FN, void *,
                                                         PTimeStamp);

SECURITY_STATUS SEC_ENTRY AddCredentialsA(PCredHandle hCredentials, SEC_CHAR *pszPrincipal,
                                          SEC_CHAR *pszPackage, uint32_t fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *ADD_CREDENTIALS_FN_A)(PCredHandle, SEC_CHAR *, SEC_CHAR *,
                                                         uint32_t, void *, SEC_GET_KEY_FN, void *,
                                                         PTimeStamp);

#define AddCredentials     LIBSSPI_NAME_AW(AddCredentials)
#define ADD_CREDENTIALS_FN LIBSSPI_NAME_UAW(ADD_CREDENTIALS_FN)

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, uint32_t,
                                                                      void *);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
                                                      uint32_t ulAttribute, void *pBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, uint32_t,
                                                                      void *);

#define QueryCredentialsAttributes      LIBSSPI_NAME_AW(QueryCredentialsAttributes)
#define QUERY_CREDENTIALS_ATTRIBUTES_FN LIBSSPI_NAME_UAW(QUERY_CREDENTIALS_ATTRIBUTES_FN)

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W)(PCredHandle, uint32_t,
                                                                         void *, uint32_t);

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(PCredHandle phCredential,
                                                        uint32_t ulAttribute, void *pBuffer,
                                                        uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A)(PCredHandle, uint32_t,
                                                                         void *, uint32_t);

#define QueryCredentialsAttributesEx       LIBSSPI_NAME_AW(QueryCredentialsAttributesEx)
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN LIBSSPI_NAME_UAW(QUERY_CREDENTIALS_ATTRIBUTES_EX_FN)

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(PCredHandle phCredential, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, uint32_t, void *,
                                                                    uint32_t);

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, uint32_t, void *,
                                                                    uint32_t);

#define SetCredentialsAttributes      LIBSSPI_NAME_AW(SetCredentialsAttributes)
#define SET_CREDENTIALS_ATTRIBUTES_FN LIBSSPI_NAME_UAW(SET_CREDENTIALS_ATTRIBUTES_FN)

/* ---- Context establishment */

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName, uint32_t fContextReq,
    uint32_t Reserved1, uint32_t TargetDataRep, PSecBufferDesc pInput, uint32_t Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, uint32_t *pfContextAttr,
    PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_W)(
    PCredHandle, PCtxtHandle, SEC_WCHAR *, uint32_t, uint32_t, uint32_t, PSecBufferDesc, uint32_t,
    PCtxtHandle, PSecBufferDesc, uint32_t *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential,
                                                     PCtxtHandle phContext, SEC_CHAR *pszTargetName,
                                                     uint32_t fContextReq, uint32_t Reserved1,
                                                     uint32_t TargetDataRep, PSecBufferDesc pInput,
                                                     uint32_t Reserved2, PCtxtHandle phNewContext,
                                                     PSecBufferDesc pOutput,
                                                     uint32_t *pfContextAttr, PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_A)(
    PCredHandle, PCtxtHandle, SEC_CHAR *, uint32_t, uint32_t, uint32_t, PSecBufferDesc, uint32_t,
    PCtxtHandle, PSecBufferDesc, uint32_t *, PTimeStamp);

#define InitializeSecurityContext      LIBSSPI_NAME_AW(InitializeSecurityContext)
#define INITIALIZE_SECURITY_CONTEXT_FN LIBSSPI_NAME_UAW(INITIALIZE_SECURITY_CONTEXT_FN)

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, uint32_t fContextReq,
                                                uint32_t TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, uint32_t *pfContextAttr,
                                                PTimeStamp ptsExpiry);
typedef SECURITY_STATUS(SEC_ENTRY *ACCEPT_SECURITY_CONTEXT_FN)(PCredHandle, PCtxtHandle,
                                                               PSecBufferDesc, uint32_t, uint32_t,
                                                               PCtxtHandle, PSecBufferDesc,
                                                               uint32_t *, PTimeStamp);

SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken);
typedef SECURITY_STATUS(SEC_ENTRY *COMPLETE_AUTH_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput);
typedef SECURITY_STATUS(SEC_ENTRY *APPLY_CONTROL_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS(SEC_ENTRY *DELETE_SECURITY_CONTEXT_FN)(PCtxtHandle);

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS(SEC_ENTRY *IMPERSONATE_SECURITY_CONTEXT_FN)(PCtxtHandle);

SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext);
typedef SECURITY_STATUS(SEC_ENTRY *REVERT_SECURITY_CONTEXT_FN)(PCtxtHandle);

SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, HANDLE *Token);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_CONTEXT_TOKEN_FN)(PCtxtHandle, HANDLE *);

/* ---- Context attributes */

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, uint32_t, void *);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                  void *pBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, uint32_t, void *);

#define QueryContextAttributes      LIBSSPI_NAME_AW(QueryContextAttributes)
#define QUERY_CONTEXT_ATTRIBUTES_FN LIBSSPI_NAME_UAW(QUERY_CONTEXT_ATTRIBUTES_FN)

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_W)(PCtxtHandle, uint32_t, void *,
                                                                     uint32_t);

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                    void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_A)(PCtxtHandle, uint32_t, void *,
                                                                     uint32_t);

#define QueryContextAttributesEx       LIBSSPI_NAME_AW(QueryContextAttributesEx)
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN LIBSSPI_NAME_UAW(QUERY_CONTEXT_ATTRIBUTES_EX_FN)

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, uint32_t, void *,
                                                                uint32_t);

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, uint32_t ulAttribute,
                                                void *pBuffer, uint32_t cbBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, uint32_t, void *,
                                                                uint32_t);

#define SetContextAttributes      LIBSSPI_NAME_AW(SetContextAttributes)
#define SET_CONTEXT_ATTRIBUTES_FN LIBSSPI_NAME_UAW(SET_CONTEXT_ATTRIBUTES_FN)

/* ---- Per-message protection */

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, uint32_t fQOP,
                                        PSecBufferDesc pMessage, uint32_t MessageSeqNo);
typedef SECURITY_STATUS(SEC_ENTRY *MAKE_SIGNATURE_FN)(PCtxtHandle, uint32_t, PSecBufferDesc,
                                                      uint32_t);

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                          uint32_t MessageSeqNo, uint32_t *pfQOP);
typedef SECURITY_STATUS(SEC_ENTRY *VERIFY_SIGNATURE_FN)(PCtxtHandle, PSecBufferDesc, uint32_t,
                                                        uint32_t *);

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, uint32_t fQOP,
                                         PSecBufferDesc pMessage, uint32_t MessageSeqNo);
typedef SECURITY_STATUS(SEC_ENTRY *ENCRYPT_MESSAGE_FN)(PCtxtHandle, uint32_t, PSecBufferDesc,
                                                       uint32_t);

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                         uint32_t MessageSeqNo, uint32_t *pfQOP);
typedef SECURITY_STATUS(SEC_ENTRY *DECRYPT_MESSAGE_FN)(PCtxtHandle, PSecBufferDesc, uint32_t,
                                                       uint32_t *);

/* ---- Memory, packages, export/import */

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *pvContextBuffer);
typedef SECURITY_STATUS(SEC_ENTRY *FREE_CONTEXT_BUFFER_FN)(void *);

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(uint32_t *pcPackages,
                                                     PSecPkgInfoW *ppPackageInfo);
typedef SECURITY_STATUS(SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_W)(uint32_t *, PSecPkgInfoW *);

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(uint32_t *pcPackages,
                                                     PSecPkgInfoA *ppPackageInfo);
typedef SECURITY_STATUS(SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_A)(uint32_t *, PSecPkgInfoA *);

#define EnumerateSecurityPackages      LIBSSPI_NAME_AW(EnumerateSecurityPackages)
#define ENUMERATE_SECURITY_PACKAGES_FN LIBSSPI_NAME_UAW(ENUMERATE_SECURITY_PACKAGES_FN)

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
                                                    PSecPkgInfoW *ppPackageInfo);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_W)(SEC_WCHAR *, PSecPkgInfoW *);

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
                                                    PSecPkgInfoA *ppPackageInfo);
typedef SECURITY_STATUS(SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_A)(SEC_CHAR *, PSecPkgInfoA *);

#define QuerySecurityPackageInfo       LIBSSPI_NAME_AW(QuerySecurityPackageInfo)
#define QUERY_SECURITY_PACKAGE_INFO_FN LIBSSPI_NAME_UAW(QUERY_SECURITY_PACKAGE_INFO_FN)

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, uint32_t fFlags,
                                                PSecBuffer pPackedContext, void **pToken);
typedef SECURITY_STATUS(SEC_ENTRY *EXPORT_SECURITY_CONTEXT_FN)(PCtxtHandle, uint32_t, PSecBuffer,
                                                               void **);

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext);
typedef SECURITY_STATUS(SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_W)(SEC_WCHAR *, PSecBuffer, void *,
                                                                 PCtxtHandle);

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext);
typedef SECURITY_STATUS(SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_A)(SEC_CHAR *, PSecBuffer, void *,
                                                                 PCtxtHandle);

#define ImportSecurityContext      LIBSSPI_NAME_AW(ImportSecurityContext)
#define IMPORT_SECURITY_CONTEXT_FN LIBSSPI_NAME_UAW(IMPORT_SECURITY_CONTEXT_FN)

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName,
                                                 SEC_WCHAR *pszDomainName,
                                                 SEC_WCHAR *pszAccountName,
                                                 SEC_WCHAR *pszOldPassword,
                                                 SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 uint32_t dwReserved, PSecBufferDesc pOutput);
typedef SECURITY_STATUS(SEC_ENTRY *CHANGE_PASSWORD_FN_W)(SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *,
                                                         SEC_WCHAR *, SEC_WCHAR *, BOOLEAN,
                                                         uint32_t, PSecBufferDesc);

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName,
                                                 SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
                                                 SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 uint32_t dwReserved, PSecBufferDesc pOutput);
typedef SECURITY_STATUS(SEC_ENTRY *CHANGE_PASSWORD_FN_A)(SEC_CHAR *, SEC_CHAR *, SEC_CHAR *,
                                                         SEC_CHAR *, SEC_CHAR *, BOOLEAN, uint32_t,
                                                         PSecBufferDesc);

#define ChangeAccountPassword LIBSSPI_NAME_AW(ChangeAccountPassword)
#define CHANGE_PASSWORD_FN    LIBSSPI_NAME_UAW(CHANGE_PASSWORD_FN)

/* Run-time package registration; not reachable through the tables. */
SECURITY_STATUS SEC_ENTRY AddSecurityPackageW(LPWSTR pszPackageName,
                                              PSECURITY_PACKAGE_OPTIONS pOptions);
SECURITY_STATUS SEC_ENTRY AddSecurityPackageA(LPSTR pszPackageName,
                                              PSECURITY_PACKAGE_OPTIONS pOptions);
SECURITY_STATUS SEC_ENTRY DeleteSecurityPackageW(SEC_WCHAR *pszPackageName);
SECURITY_STATUS SEC_ENTRY DeleteSecurityPackageA(SEC_CHAR *pszPackageName);

#define AddSecurityPackage    LIBSSPI_NAME_AW(AddSecurityPackage)
#define DeleteSecurityPackage LIBSSPI_NAME_AW(DeleteSecurityPackage)

/* =========================================================================
 * Dispatch tables returned by InitSecurityInterfaceW / InitSecurityInterfaceA
 * ========================================================================= */

/* dwVersion: the table is filled through the member named in the comment. */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION   1 /* DecryptMessage */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2 2 /* SetContextAttributes */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 3 /* SetCredentialsAttributes */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 4 /* ChangeAccountPassword */
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 5 /* QueryCredentialsAttributesEx */

/* Symbol names for dlsym(); plain char strings in both forms. */
#define SECURITY_ENTRYPOINT_ANSIW "InitSecurityInterfaceW"
#define SECURITY_ENTRYPOINT_ANSIA "InitSecurityInterfaceA"
#define SECURITY_ENTRYPOINTW      SECURITY_ENTRYPOINT_ANSIW
#define SECURITY_ENTRYPOINTA      SECURITY_ENTRYPOINT_ANSIA
#define SECURITY_ENTRYPOINT16     "INITSECURITYINTERFACEA"
#define SECURITY_ENTRYPOINT       LIBSSPI_NAME_AW(SECURITY_ENTRYPOINT)
#define SECURITY_ENTRYPOINT_ANSI  LIBSSPI_NAME_AW(SECURITY_ENTRYPOINT_ANSI)

/* The A table names its slot 4 "FreeCredentialHandle"; both spellings work. */
#define FreeCredentialHandle FreeCredentialsHandle

/* Slot i is at offset 8*i; Reserved slots stay NULL. */
typedef struct _SECURITY_FUNCTION_TABLE_W {
    uint32_t dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_W EnumerateSecurityPackagesW;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_W QueryCredentialsAttributesW;
    ACQUIRE_CREDENTIALS_HANDLE_FN_W AcquireCredentialsHandleW;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_W InitializeSecurityContextW;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_W QueryContextAttributesW;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_W QuerySecurityPackageInfoW;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_W ImportSecurityContextW;
    ADD_CREDENTIALS_FN_W AddCredentialsW;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    /* SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2 */
    SET_CONTEXT_ATTRIBUTES_FN_W SetContextAttributesW;
    /* SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 */
    SET_CREDENTIALS_ATTRIBUTES_FN_W SetCredentialsAttributesW;
    /* SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 (Reserved9 in kernel mode) */
    CHANGE_PASSWORD_FN_W ChangeAccountPasswordW;
    /* SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 */
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_W QueryContextAttributesExW;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W QueryCredentialsAttributesExW;
} SecurityFunctionTableW, *PSecurityFunctionTableW;

typedef struct _SECURITY_FUNCTION_TABLE_A {
    uint32_t dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_A EnumerateSecurityPackagesA;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_A QueryCredentialsAttributesA;
    ACQUIRE_CREDENTIALS_HANDLE_FN_A AcquireCredentialsHandleA;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_A InitializeSecurityContextA;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_A QueryContextAttributesA;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_A QuerySecurityPackageInfoA;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_A ImportSecurityContextA;
    ADD_CREDENTIALS_FN_A AddCredentialsA;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_A SetContextAttributesA;
    SET_CREDENTIALS_ATTRIBUTES_FN_A SetCredentialsAttributesA;
    CHANGE_PASSWORD_FN_A ChangeAccountPasswordA;
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_A QueryContextAttributesExA;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A QueryCredentialsAttributesExA;
} SecurityFunctionTableA, *PSecurityFunctionTableA;

#define SecurityFunctionTable  LIBSSPI_NAME_AW(SecurityFunctionTable)
#define PSecurityFunctionTable LIBSSPI_NAME_AW(PSecurityFunctionTable)

PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void);
typedef PSecurityFunctionTableW(SEC_ENTRY *INIT_SECURITY_INTERFACE_W)(void);

PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void);
typedef PSecurityFunctionTableA(SEC_ENTRY *INIT_SECURITY_INTERFACE_A)(void);

#define InitSecurityInterface   LIBSSPI_NAME_AW(InitSecurityInterface)
#define INIT_SECURITY_INTERFACE LIBSSPI_NAME_UAW(INIT_SECURITY_INTERFACE)

/* =========================================================================
 * Identity helpers (SspiCli).  "Opaque" identities are the ones these
 * functions return: one SEC_WINNT_AUTH_IDENTITY_EX2 block, freed with
 * SspiFreeAuthIdentity.  Every function that takes an identity also
 * accepts the caller's own SEC_WINNT_AUTH_IDENTITY_W/_A/_EXW/_EXA/_EX2.
 * Strings and byte arrays they return are freed with SspiLocalFree.
 * ========================================================================= */

#ifndef CRED_TYPE_GENERIC
#define CRED_TYPE_GENERIC 1
#endif
#ifndef CRED_TYPE_DOMAIN_PASSWORD
#define CRED_TYPE_DOMAIN_PASSWORD 2
#endif

SECURITY_STATUS SEC_ENTRY
SspiEncodeAuthIdentityAsStrings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE pAuthIdentity, PCWSTR *ppszUserName,
                                PCWSTR *ppszDomainName, PCWSTR *ppszPackedCredentialsString);
SECURITY_STATUS SEC_ENTRY SspiValidateAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
SECURITY_STATUS SEC_ENTRY SspiCopyAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData,
                                               PSEC_WINNT_AUTH_IDENTITY_OPAQUE *AuthDataCopy);
void SEC_ENTRY SspiFreeAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
void SEC_ENTRY SspiZeroAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
void SEC_ENTRY SspiLocalFree(void *DataBuffer);
SECURITY_STATUS SEC_ENTRY SspiEncodeStringsAsAuthIdentity(
    PCWSTR pszUserName, PCWSTR pszDomainName, PCWSTR pszPackedCredentialsString,
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity);
SECURITY_STATUS SEC_ENTRY SspiCompareAuthIdentities(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity1,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity2,
                                                    PBOOLEAN SameSuppliedUser,
                                                    PBOOLEAN SameSuppliedIdentity);
SECURITY_STATUS SEC_ENTRY SspiMarshalAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                                  uint32_t *AuthIdentityLength,
                                                  char **AuthIdentityByteArray);
SECURITY_STATUS SEC_ENTRY
SspiUnmarshalAuthIdentity(uint32_t AuthIdentityLength, char *AuthIdentityByteArray,
                          PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity);
BOOLEAN SEC_ENTRY SspiIsPromptingNeeded(uint32_t ErrorOrNtStatus);
SECURITY_STATUS SEC_ENTRY SspiGetTargetHostName(PCWSTR pszTargetName, PWSTR *pszHostName);
SECURITY_STATUS SEC_ENTRY SspiExcludePackage(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                             PCWSTR pszPackageName,
                                             PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppNewAuthIdentity);
SECURITY_STATUS SEC_ENTRY SspiEncryptAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
SECURITY_STATUS SEC_ENTRY SspiEncryptAuthIdentityEx(uint32_t Options,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData);
SECURITY_STATUS SEC_ENTRY
SspiDecryptAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE EncryptedAuthData);
SECURITY_STATUS SEC_ENTRY
SspiDecryptAuthIdentityEx(uint32_t Options, PSEC_WINNT_AUTH_IDENTITY_OPAQUE EncryptedAuthData);
BOOLEAN SEC_ENTRY SspiIsAuthIdentityEncrypted(PSEC_WINNT_AUTH_IDENTITY_OPAQUE EncryptedAuthData);
SECURITY_STATUS SEC_ENTRY SspiPrepareForCredRead(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                                 PCWSTR pszTargetName,
                                                 uint32_t *pCredmanCredentialType,
                                                 PCWSTR *ppszCredmanTargetName);
SECURITY_STATUS SEC_ENTRY SspiPrepareForCredWrite(
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity, PCWSTR pszTargetName,
    uint32_t *pCredmanCredentialType, PCWSTR *ppszCredmanTargetName, PCWSTR *ppszCredmanUserName,
    PUCHAR *ppCredentialBlob, uint32_t *pCredentialBlobSize);

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SSPI_H */
