/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel.h - the Schannel security package's public definitions: package
 * names, protocol bits, the SCHANNEL_CRED (version 4) and SCH_CREDENTIALS
 * (version 5) credential structures, control tokens and the Schannel
 * context attributes.  Names, values and member order are Microsoft's;
 * widths follow sspi-types.h (DWORD 32-bit, pointers 64-bit).
 */
#ifndef LIBSSPI_SCHANNEL_H
#define LIBSSPI_SCHANNEL_H

#include "sspi-types.h"
#include "wincrypt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Package names (UTF-8 for the A functions, UTF-16 for the W ones). */
#define UNISP_NAME_A           "Microsoft Unified Security Protocol Provider"
#define SCHANNEL_NAME_A        "Schannel"
#define DEFAULT_TLS_SSP_NAME_A "Default TLS SSP"
#ifdef LIBSSPI_HAVE_U16_LITERALS
#define UNISP_NAME_W           u"Microsoft Unified Security Protocol Provider"
#define SCHANNEL_NAME_W        u"Schannel"
#define DEFAULT_TLS_SSP_NAME_W u"Default TLS SSP"
#endif
#ifdef UNICODE
#define UNISP_NAME    UNISP_NAME_W
#define SCHANNEL_NAME SCHANNEL_NAME_W
#else
#define UNISP_NAME    UNISP_NAME_A
#define SCHANNEL_NAME SCHANNEL_NAME_A
#endif
#define UNISP_RPC_ID 14

/* ---- Protocol bits (grbitEnabledProtocols, dwProtocol). */
#define SP_PROT_NONE           0
#define SP_PROT_ALL            0xffffffffu
#define SP_PROT_PCT1_SERVER    0x00000001
#define SP_PROT_PCT1_CLIENT    0x00000002
#define SP_PROT_PCT1           (SP_PROT_PCT1_SERVER | SP_PROT_PCT1_CLIENT)
#define SP_PROT_SSL2_SERVER    0x00000004
#define SP_PROT_SSL2_CLIENT    0x00000008
#define SP_PROT_SSL2           (SP_PROT_SSL2_SERVER | SP_PROT_SSL2_CLIENT)
#define SP_PROT_SSL3_SERVER    0x00000010
#define SP_PROT_SSL3_CLIENT    0x00000020
#define SP_PROT_SSL3           (SP_PROT_SSL3_SERVER | SP_PROT_SSL3_CLIENT)
#define SP_PROT_TLS1_SERVER    0x00000040
#define SP_PROT_TLS1_CLIENT    0x00000080
#define SP_PROT_TLS1           (SP_PROT_TLS1_SERVER | SP_PROT_TLS1_CLIENT)
#define SP_PROT_TLS1_0_SERVER  SP_PROT_TLS1_SERVER
#define SP_PROT_TLS1_0_CLIENT  SP_PROT_TLS1_CLIENT
#define SP_PROT_TLS1_0         SP_PROT_TLS1
#define SP_PROT_TLS1_1_SERVER  0x00000100
#define SP_PROT_TLS1_1_CLIENT  0x00000200
#define SP_PROT_TLS1_1         (SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_1_CLIENT)
#define SP_PROT_TLS1_2_SERVER  0x00000400
#define SP_PROT_TLS1_2_CLIENT  0x00000800
#define SP_PROT_TLS1_2         (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_2_CLIENT)
#define SP_PROT_TLS1_3_SERVER  0x00001000
#define SP_PROT_TLS1_3_CLIENT  0x00002000
#define SP_PROT_TLS1_3         (SP_PROT_TLS1_3_SERVER | SP_PROT_TLS1_3_CLIENT)
#define SP_PROT_DTLS_SERVER    0x00010000
#define SP_PROT_DTLS_CLIENT    0x00020000
#define SP_PROT_DTLS           (SP_PROT_DTLS_SERVER | SP_PROT_DTLS_CLIENT)
#define SP_PROT_DTLS1_0_SERVER SP_PROT_DTLS_SERVER
#define SP_PROT_DTLS1_0_CLIENT SP_PROT_DTLS_CLIENT
#define SP_PROT_DTLS1_0        SP_PROT_DTLS
#define SP_PROT_DTLS1_2_SERVER 0x00040000
#define SP_PROT_DTLS1_2_CLIENT 0x00080000
#define SP_PROT_DTLS1_2        (SP_PROT_DTLS1_2_SERVER | SP_PROT_DTLS1_2_CLIENT)
#define SP_PROT_UNI_SERVER     0x40000000
#define SP_PROT_UNI_CLIENT     0x80000000u
#define SP_PROT_UNI            (SP_PROT_UNI_SERVER | SP_PROT_UNI_CLIENT)

/* ---- Credential structures. */
#define SCH_CRED_V1             0x00000001
#define SCH_CRED_V2             0x00000002
#define SCH_CRED_VERSION        0x00000002
#define SCH_CRED_V3             0x00000003
#define SCHANNEL_CRED_VERSION   0x00000004
#define SCH_CREDENTIALS_VERSION 0x00000005

#define SCH_CRED_FORMAT_CERT_CONTEXT    0x00000000
#define SCH_CRED_FORMAT_CERT_HASH       0x00000001
#define SCH_CRED_FORMAT_CERT_HASH_STORE 0x00000002
#define SCH_CRED_MAX_STORE_NAME_SIZE    128
#define SCH_CRED_MAX_SUPPORTED_ALGS     256
#define SCH_CRED_MAX_SUPPORTED_CERTS    100

/*
 * SCH_CRED_FORMAT_CERT_HASH: paCred points to one SCHANNEL_CERT_HASH (the
 * certificate is looked up in the "MY" store); SCH_CRED_FORMAT_CERT_HASH_
 * STORE: paCred points to one SCHANNEL_CERT_HASH_STORE, naming the store.
 * dwLength is the structure's size.  libsspi's "MY" is the Schannel
 * package's certificate directory; hProv is ignored.  40 and 296 bytes on
 * LP64.
 */
typedef struct _SCHANNEL_CERT_HASH {
    DWORD dwLength;
    DWORD dwFlags;
    HCRYPTPROV hProv;
    BYTE ShaHash[20];
} SCHANNEL_CERT_HASH, *PSCHANNEL_CERT_HASH;

typedef struct _SCHANNEL_CERT_HASH_STORE {
    DWORD dwLength;
    DWORD dwFlags;
    HCRYPTPROV hProv;
    BYTE ShaHash[20];
    WCHAR pwszStoreName[SCH_CRED_MAX_STORE_NAME_SIZE];
} SCHANNEL_CERT_HASH_STORE, *PSCHANNEL_CERT_HASH_STORE;

/* SCHANNEL_CERT_HASH dwFlags. */
#define SCH_MACHINE_CERT_HASH 0x00000001

/* dwFlags. */
#define SCH_CRED_NO_SYSTEM_MAPPER                    0x00000002
#define SCH_CRED_NO_SERVERNAME_CHECK                 0x00000004
#define SCH_CRED_MANUAL_CRED_VALIDATION              0x00000008
#define SCH_CRED_NO_DEFAULT_CREDS                    0x00000010
#define SCH_CRED_AUTO_CRED_VALIDATION                0x00000020
#define SCH_CRED_USE_DEFAULT_CREDS                   0x00000040
#define SCH_CRED_DISABLE_RECONNECTS                  0x00000080
#define SCH_CRED_REVOCATION_CHECK_END_CERT           0x00000100
#define SCH_CRED_REVOCATION_CHECK_CHAIN              0x00000200
#define SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT 0x00000400
#define SCH_CRED_IGNORE_NO_REVOCATION_CHECK          0x00000800
#define SCH_CRED_IGNORE_REVOCATION_OFFLINE           0x00001000
#define SCH_CRED_RESTRICTED_ROOTS                    0x00002000
#define SCH_CRED_REVOCATION_CHECK_CACHE_ONLY         0x00004000
#define SCH_CRED_CACHE_ONLY_URL_RETRIEVAL            0x00008000
#define SCH_CRED_MEMORY_STORE_CERT                   0x00010000
#define SCH_CRED_CACHE_ONLY_URL_RETRIEVAL_ON_CREATE  0x00020000
#define SCH_SEND_ROOT_CERT                           0x00040000
#define SCH_CRED_SNI_CREDENTIAL                      0x00080000
#define SCH_CRED_SNI_ENABLE_OCSP                     0x00100000
#define SCH_SEND_AUX_RECORD                          0x00200000
#define SCH_USE_STRONG_CRYPTO                        0x00400000
#define SCH_USE_PRESHAREDKEY_ONLY                    0x00800000
#define SCH_USE_DTLS_ONLY                            0x01000000
#define SCH_ALLOW_NULL_ENCRYPTION                    0x02000000
#define SCH_CRED_DEFERRED_CRED_VALIDATION            0x04000000

struct _HMAPPER;

/* Version 4 (SCHANNEL_CRED_VERSION); 80 bytes on LP64. */
typedef struct _SCHANNEL_CRED {
    DWORD dwVersion;
    DWORD cCreds;
    PCCERT_CONTEXT *paCred;
    HCERTSTORE hRootStore;
    DWORD cMappers;
    struct _HMAPPER **aphMappers;
    DWORD cSupportedAlgs;
    ALG_ID *palgSupportedAlgs;
    DWORD grbitEnabledProtocols;
    DWORD dwMinimumCipherStrength;
    DWORD dwMaximumCipherStrength;
    DWORD dwSessionLifespan;
    DWORD dwFlags;
    DWORD dwCredFormat;
} SCHANNEL_CRED, *PSCHANNEL_CRED;

typedef enum _eTlsAlgorithmUsage {
    TlsParametersCngAlgUsageKeyExchange,
    TlsParametersCngAlgUsageSignature,
    TlsParametersCngAlgUsageCipher,
    TlsParametersCngAlgUsageDigest,
    TlsParametersCngAlgUsageCertSig
} eTlsAlgorithmUsage;

/* 48 bytes on LP64. */
typedef struct _CRYPTO_SETTINGS {
    eTlsAlgorithmUsage eAlgorithmUsage;
    UNICODE_STRING strCngAlgId;
    DWORD cChainingModes;
    PUNICODE_STRING rgstrChainingModes;
    DWORD dwMinBitLength;
    DWORD dwMaxBitLength;
} CRYPTO_SETTINGS, *PCRYPTO_SETTINGS;

#define TLS_PARAMS_OPTIONAL 0x00000001

/* 40 bytes on LP64.  cAlpnIds 0: applies to every ALPN id. */
typedef struct _TLS_PARAMETERS {
    DWORD cAlpnIds;
    PUNICODE_STRING rgstrAlpnIds;
    DWORD grbitDisabledProtocols;
    DWORD cDisabledCrypto;
    PCRYPTO_SETTINGS pDisabledCrypto;
    DWORD dwFlags;
} TLS_PARAMETERS, *PTLS_PARAMETERS;

/* Version 5 (SCH_CREDENTIALS_VERSION); 72 bytes on LP64. */
typedef struct _SCH_CREDENTIALS {
    DWORD dwVersion;
    DWORD dwCredFormat;
    DWORD cCreds;
    PCCERT_CONTEXT *paCred;
    HCERTSTORE hRootStore;
    DWORD cMappers;
    struct _HMAPPER **aphMappers;
    DWORD dwSessionLifespan;
    DWORD dwFlags;
    DWORD cTlsParameters;
    PTLS_PARAMETERS pTlsParameters;
} SCH_CREDENTIALS, *PSCH_CREDENTIALS;

/* ---- ApplyControlToken tokens (first DWORD of the SECBUFFER_TOKEN). */
#define SCHANNEL_RENEGOTIATE 0
#define SCHANNEL_SHUTDOWN    1
#define SCHANNEL_ALERT       2
#define SCHANNEL_SESSION     3

typedef struct _SCHANNEL_ALERT_TOKEN {
    DWORD dwTokenType; /* SCHANNEL_ALERT */
    DWORD dwAlertType;
    DWORD dwAlertNumber;
} SCHANNEL_ALERT_TOKEN;

#define TLS1_ALERT_WARNING 1
#define TLS1_ALERT_FATAL   2

#define TLS1_ALERT_CLOSE_NOTIFY         0
#define TLS1_ALERT_UNEXPECTED_MESSAGE   10
#define TLS1_ALERT_BAD_RECORD_MAC       20
#define TLS1_ALERT_DECRYPTION_FAILED    21
#define TLS1_ALERT_RECORD_OVERFLOW      22
#define TLS1_ALERT_DECOMPRESSION_FAIL   30
#define TLS1_ALERT_HANDSHAKE_FAILURE    40
#define TLS1_ALERT_BAD_CERTIFICATE      42
#define TLS1_ALERT_UNSUPPORTED_CERT     43
#define TLS1_ALERT_CERTIFICATE_REVOKED  44
#define TLS1_ALERT_CERTIFICATE_EXPIRED  45
#define TLS1_ALERT_CERTIFICATE_UNKNOWN  46
#define TLS1_ALERT_ILLEGAL_PARAMETER    47
#define TLS1_ALERT_UNKNOWN_CA           48
#define TLS1_ALERT_ACCESS_DENIED        49
#define TLS1_ALERT_DECODE_ERROR         50
#define TLS1_ALERT_DECRYPT_ERROR        51
#define TLS1_ALERT_EXPORT_RESTRICTION   60
#define TLS1_ALERT_PROTOCOL_VERSION     70
#define TLS1_ALERT_INSUFFIENT_SECURITY  71
#define TLS1_ALERT_INTERNAL_ERROR       80
#define TLS1_ALERT_USER_CANCELED        90
#define TLS1_ALERT_NO_RENEGOTIATION     100
#define TLS1_ALERT_UNSUPPORTED_EXT      110
#define TLS1_ALERT_UNKNOWN_PSK_IDENTITY 115
#define TLS1_ALERT_NO_APP_PROTOCOL      120

/* ---- Context and credential attributes. */
#define SECPKG_ATTR_ISSUER_LIST          0x50
#define SECPKG_ATTR_REMOTE_CRED          0x51
#define SECPKG_ATTR_LOCAL_CRED           0x52
#define SECPKG_ATTR_REMOTE_CERT_CONTEXT  0x53
#define SECPKG_ATTR_LOCAL_CERT_CONTEXT   0x54
#define SECPKG_ATTR_ROOT_STORE           0x55
#define SECPKG_ATTR_SUPPORTED_ALGS       0x56
#define SECPKG_ATTR_CIPHER_STRENGTHS     0x57
#define SECPKG_ATTR_SUPPORTED_PROTOCOLS  0x58
#define SECPKG_ATTR_ISSUER_LIST_EX       0x59
#define SECPKG_ATTR_CONNECTION_INFO      0x5a
#define SECPKG_ATTR_EAP_KEY_BLOCK        0x5b
#define SECPKG_ATTR_MAPPED_CRED_ATTR     0x5c
#define SECPKG_ATTR_SESSION_INFO         0x5d
#define SECPKG_ATTR_APP_DATA             0x5e
#define SECPKG_ATTR_REMOTE_CERTIFICATES  0x5f
#define SECPKG_ATTR_CLIENT_CERT_POLICY   0x60
#define SECPKG_ATTR_CC_POLICY_RESULT     0x61
#define SECPKG_ATTR_USE_NCRYPT           0x62
#define SECPKG_ATTR_LOCAL_CERT_INFO      0x63
#define SECPKG_ATTR_CIPHER_INFO          0x64
#define SECPKG_ATTR_EAP_PRF_INFO         0x65
#define SECPKG_ATTR_SUPPORTED_SIGNATURES 0x66
#define SECPKG_ATTR_REMOTE_CERT_CHAIN    0x67
#define SECPKG_ATTR_UI_INFO              0x68
#define SECPKG_ATTR_EARLY_START          0x69
#define SECPKG_ATTR_KEYING_MATERIAL_INFO 0x6a
#define SECPKG_ATTR_KEYING_MATERIAL      0x6b
#define SECPKG_ATTR_SRTP_PARAMETERS      0x6c
#define SECPKG_ATTR_TOKEN_BINDING        0x6d
#define SECPKG_ATTR_CONNECTION_INFO_EX   0x6e

/* SECPKG_ATTR_SUPPORTED_PROTOCOLS (credential attribute). */
typedef struct _SecPkgCred_SupportedProtocols {
    DWORD grbitProtocol;
} SecPkgCred_SupportedProtocols, *PSecPkgCred_SupportedProtocols;

/* SECPKG_ATTR_CONNECTION_INFO; 28 bytes. */
typedef struct _SecPkgContext_ConnectionInfo {
    DWORD dwProtocol;
    ALG_ID aiCipher;
    DWORD dwCipherStrength;
    ALG_ID aiHash;
    DWORD dwHashStrength;
    ALG_ID aiExch;
    DWORD dwExchStrength;
} SecPkgContext_ConnectionInfo, *PSecPkgContext_ConnectionInfo;

#define SZ_ALG_MAX_SIZE                     64
#define SECPKGCONTEXT_CONNECTION_INFO_EX_V1 1

/* SECPKG_ATTR_CONNECTION_INFO_EX: CNG algorithm names. */
typedef struct _SecPkgContext_ConnectionInfoEx {
    DWORD dwVersion;
    DWORD dwProtocol;
    WCHAR szCipher[SZ_ALG_MAX_SIZE];
    DWORD dwCipherStrength;
    WCHAR szHash[SZ_ALG_MAX_SIZE];
    DWORD dwHashStrength;
    WCHAR szExchange[SZ_ALG_MAX_SIZE];
    DWORD dwExchStrength;
} SecPkgContext_ConnectionInfoEx, *PSecPkgContext_ConnectionInfoEx;

#define SECPKGCONTEXT_CIPHERINFO_V1 1

/* SECPKG_ATTR_CIPHER_INFO. */
typedef struct _SecPkgContext_CipherInfo {
    DWORD dwVersion;
    DWORD dwProtocol;
    DWORD dwCipherSuite;
    DWORD dwBaseCipherSuite;
    WCHAR szCipherSuite[SZ_ALG_MAX_SIZE];
    WCHAR szCipher[SZ_ALG_MAX_SIZE];
    DWORD dwCipherLen;
    DWORD dwCipherBlockLen;
    WCHAR szHash[SZ_ALG_MAX_SIZE];
    DWORD dwHashLen;
    WCHAR szExchange[SZ_ALG_MAX_SIZE];
    DWORD dwMinExchangeLen;
    DWORD dwMaxExchangeLen;
    WCHAR szCertificate[SZ_ALG_MAX_SIZE];
    DWORD dwKeyType;
} SecPkgContext_CipherInfo, *PSecPkgContext_CipherInfo;

/* SECPKG_ATTR_CC_POLICY_RESULT (server): the verdict on the client's
 * certificate chain, S_OK or a CERT_E_* / TRUST_E_* HRESULT; 20 bytes. */
typedef struct _SecPkgContext_ClientCertPolicyResult {
    HRESULT dwPolicyResult;
    GUID guidPolicyId;
} SecPkgContext_ClientCertPolicyResult, *PSecPkgContext_ClientCertPolicyResult;

#define SSL_SESSION_RECONNECT 1

/* SECPKG_ATTR_SESSION_INFO. */
typedef struct _SecPkgContext_SessionInfo {
    DWORD dwFlags;
    DWORD cbSessionId;
    BYTE rgbSessionId[32];
} SecPkgContext_SessionInfo, *PSecPkgContext_SessionInfo;

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SCHANNEL_H */
