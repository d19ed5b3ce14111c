/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wincrypt.h - the subset of the Windows certificate API (crypt32) that
 * Schannel callers use, implemented by libsspi.so on GnuTLS.
 *
 * Certificate contexts, memory/file/system stores, finding certificates by
 * subject or hash, two properties (hashes and key-provider information),
 * display names and PKCS#12 import.  Member order and widths are
 * Microsoft's, with the LP64 widths of sspi-types.h.  A certificate context
 * made here may carry its private key (from PFXImportCertStore or
 * libsspi_cert_from_files() in libsspi.h), which is how Schannel
 * credentials find it.
 *
 * Failures set the calling thread's last error (GetLastError(),
 * <errhandlingapi.h>, included here) to the code Windows sets: the
 * CRYPT_E_* and E_* HRESULTs and Win32 errors of <winerror.h>, named at
 * each function below.
 *
 * Differences from Windows: no CryptoAPI/CNG key handles (the key stays
 * inside the context, or in a PKCS#11 token named by URI); CERT_INFO has no
 * extensions (cExtension 0); stores are not persisted.
 */
#ifndef LIBSSPI_WINCRYPT_H
#define LIBSSPI_WINCRYPT_H

#include "sspi-types.h"
#include "errhandlingapi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef WINCRYPT32API
#define WINCRYPT32API
#endif

/* ---- FILETIME (minwinbase.h): 100 ns units since 1601-01-01 UTC. */
#if !defined(_MINWINBASE_) && !defined(_WINBASE_) && !defined(LIBSSPI_FILETIME_DEFINED)
#define LIBSSPI_FILETIME_DEFINED 1
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
#endif

/* ---- Algorithm identifiers (ALG_ID) used by Schannel attributes. */
typedef unsigned int ALG_ID;

#define CALG_MD5        0x00008003
#define CALG_SHA1       0x00008004
#define CALG_SHA        CALG_SHA1
#define CALG_SHA_256    0x0000800c
#define CALG_SHA_384    0x0000800d
#define CALG_SHA_512    0x0000800e
#define CALG_RSA_SIGN   0x00002400
#define CALG_RSA_KEYX   0x0000a400
#define CALG_DH_EPHEM   0x0000aa02
#define CALG_ECDH       0x0000aa05
#define CALG_ECDH_EPHEM 0x0000ae06
#define CALG_ECDSA      0x00002203
#define CALG_DES        0x00006601
#define CALG_3DES       0x00006603
#define CALG_RC4        0x00006801
#define CALG_AES_128    0x0000660e
#define CALG_AES_192    0x0000660f
#define CALG_AES_256    0x00006610
#define CALG_AES        0x00006611

/* ---- Encoding types. */
#define X509_ASN_ENCODING   0x00000001
#define PKCS_7_ASN_ENCODING 0x00010000

/* ---- Blobs and the decoded certificate (CERT_INFO). */
typedef struct _CRYPTOAPI_BLOB {
    DWORD cbData;
    BYTE *pbData;
} CRYPT_INTEGER_BLOB, *PCRYPT_INTEGER_BLOB, CRYPT_UINT_BLOB, *PCRYPT_UINT_BLOB, CRYPT_OBJID_BLOB,
    *PCRYPT_OBJID_BLOB, CERT_NAME_BLOB, *PCERT_NAME_BLOB, CERT_RDN_VALUE_BLOB,
    *PCERT_RDN_VALUE_BLOB, CERT_BLOB, *PCERT_BLOB, CRL_BLOB, *PCRL_BLOB, DATA_BLOB, *PDATA_BLOB,
    CRYPT_DATA_BLOB, *PCRYPT_DATA_BLOB, CRYPT_HASH_BLOB, *PCRYPT_HASH_BLOB, CRYPT_DIGEST_BLOB,
    *PCRYPT_DIGEST_BLOB, CRYPT_DER_BLOB, *PCRYPT_DER_BLOB, CRYPT_ATTR_BLOB, *PCRYPT_ATTR_BLOB;

typedef struct _CRYPT_BIT_BLOB {
    DWORD cbData;
    BYTE *pbData;
    DWORD cUnusedBits;
} CRYPT_BIT_BLOB, *PCRYPT_BIT_BLOB;

typedef struct _CRYPT_ALGORITHM_IDENTIFIER {
    LPSTR pszObjId;
    CRYPT_OBJID_BLOB Parameters;
} CRYPT_ALGORITHM_IDENTIFIER, *PCRYPT_ALGORITHM_IDENTIFIER;

typedef struct _CERT_PUBLIC_KEY_INFO {
    CRYPT_ALGORITHM_IDENTIFIER Algorithm;
    CRYPT_BIT_BLOB PublicKey;
} CERT_PUBLIC_KEY_INFO, *PCERT_PUBLIC_KEY_INFO;

typedef struct _CERT_EXTENSION {
    LPSTR pszObjId;
    BOOL fCritical;
    CRYPT_OBJID_BLOB Value;
} CERT_EXTENSION, *PCERT_EXTENSION;

#define CERT_V1 0
#define CERT_V2 1
#define CERT_V3 2

/* SerialNumber is little-endian, as on Windows; Issuer and Subject are the
 * DER encodings of the names. */
typedef struct _CERT_INFO {
    DWORD dwVersion;
    CRYPT_INTEGER_BLOB SerialNumber;
    CRYPT_ALGORITHM_IDENTIFIER SignatureAlgorithm;
    CERT_NAME_BLOB Issuer;
    FILETIME NotBefore;
    FILETIME NotAfter;
    CERT_NAME_BLOB Subject;
    CERT_PUBLIC_KEY_INFO SubjectPublicKeyInfo;
    CRYPT_BIT_BLOB IssuerUniqueId;
    CRYPT_BIT_BLOB SubjectUniqueId;
    DWORD cExtension;
    PCERT_EXTENSION rgExtension;
} CERT_INFO, *PCERT_INFO;

/* ---- Stores and certificate contexts. */
typedef void *HCERTSTORE;
typedef ULONG_PTR HCRYPTPROV; /* accepted and ignored: there are no CSPs */

typedef struct _CERT_CONTEXT {
    DWORD dwCertEncodingType;
    BYTE *pbCertEncoded;
    DWORD cbCertEncoded;
    PCERT_INFO pCertInfo;
    HCERTSTORE hCertStore;
} CERT_CONTEXT, *PCERT_CONTEXT;
typedef const CERT_CONTEXT *PCCERT_CONTEXT;

/* CertOpenStore providers (LPCSTR values, as on Windows). */
#define CERT_STORE_PROV_MEMORY     ((LPCSTR)(ULONG_PTR)2)
#define CERT_STORE_PROV_FILE       ((LPCSTR)(ULONG_PTR)3)
#define CERT_STORE_PROV_FILENAME_A ((LPCSTR)(ULONG_PTR)7)
#define CERT_STORE_PROV_FILENAME_W ((LPCSTR)(ULONG_PTR)8)
#define CERT_STORE_PROV_FILENAME   CERT_STORE_PROV_FILENAME_W
#define CERT_STORE_PROV_SYSTEM_A   ((LPCSTR)(ULONG_PTR)9)
#define CERT_STORE_PROV_SYSTEM_W   ((LPCSTR)(ULONG_PTR)10)
#define CERT_STORE_PROV_SYSTEM     CERT_STORE_PROV_SYSTEM_W

/* CertOpenStore dwFlags. */
#define CERT_STORE_NO_CRYPT_RELEASE_FLAG            0x00000001
#define CERT_STORE_DEFER_CLOSE_UNTIL_LAST_FREE_FLAG 0x00000004
#define CERT_STORE_DELETE_FLAG                      0x00000010
#define CERT_STORE_MANIFOLD_FLAG                    0x00000100
#define CERT_STORE_ENUM_ARCHIVED_FLAG               0x00000200
#define CERT_STORE_CREATE_NEW_FLAG                  0x00002000
#define CERT_STORE_OPEN_EXISTING_FLAG               0x00004000
#define CERT_STORE_READONLY_FLAG                    0x00008000
#define CERT_FILE_STORE_COMMIT_ENABLE_FLAG          0x00010000
#define CERT_SYSTEM_STORE_LOCATION_SHIFT            16
#define CERT_SYSTEM_STORE_CURRENT_USER              (1u << 16)
#define CERT_SYSTEM_STORE_LOCAL_MACHINE             (2u << 16)
#define CERT_SYSTEM_STORE_CURRENT_SERVICE           (4u << 16)
#define CERT_SYSTEM_STORE_SERVICES                  (5u << 16)
#define CERT_SYSTEM_STORE_USERS                     (6u << 16)

/* CertCloseStore dwFlags. */
#define CERT_CLOSE_STORE_FORCE_FLAG 0x00000001
#define CERT_CLOSE_STORE_CHECK_FLAG 0x00000002

/* CertAddCertificateContextToStore dwAddDisposition. */
#define CERT_STORE_ADD_NEW                                 1
#define CERT_STORE_ADD_USE_EXISTING                        2
#define CERT_STORE_ADD_REPLACE_EXISTING                    3
#define CERT_STORE_ADD_ALWAYS                              4
#define CERT_STORE_ADD_REPLACE_EXISTING_INHERIT_PROPERTIES 5
#define CERT_STORE_ADD_NEWER                               6
#define CERT_STORE_ADD_NEWER_INHERIT_PROPERTIES            7

/* CertFindCertificateInStore dwFindType. */
#define CERT_COMPARE_SHIFT      16
#define CERT_COMPARE_ANY        0
#define CERT_COMPARE_SHA1_HASH  1
#define CERT_COMPARE_NAME_STR_A 7
#define CERT_COMPARE_NAME_STR_W 8
#define CERT_INFO_ISSUER_FLAG   4
#define CERT_INFO_SUBJECT_FLAG  7
#define CERT_FIND_ANY           (CERT_COMPARE_ANY << CERT_COMPARE_SHIFT)
#define CERT_FIND_SHA1_HASH     (CERT_COMPARE_SHA1_HASH << CERT_COMPARE_SHIFT)
#define CERT_FIND_HASH          CERT_FIND_SHA1_HASH
#define CERT_FIND_SUBJECT_STR_A                                                                    \
    (CERT_COMPARE_NAME_STR_A << CERT_COMPARE_SHIFT | CERT_INFO_SUBJECT_FLAG)
#define CERT_FIND_SUBJECT_STR_W                                                                    \
    (CERT_COMPARE_NAME_STR_W << CERT_COMPARE_SHIFT | CERT_INFO_SUBJECT_FLAG)
#define CERT_FIND_SUBJECT_STR CERT_FIND_SUBJECT_STR_W
#define CERT_FIND_ISSUER_STR_A                                                                     \
    (CERT_COMPARE_NAME_STR_A << CERT_COMPARE_SHIFT | CERT_INFO_ISSUER_FLAG)
#define CERT_FIND_ISSUER_STR_W                                                                     \
    (CERT_COMPARE_NAME_STR_W << CERT_COMPARE_SHIFT | CERT_INFO_ISSUER_FLAG)
#define CERT_FIND_ISSUER_STR CERT_FIND_ISSUER_STR_W

/* Property identifiers (CertGetCertificateContextProperty). */
#define CERT_KEY_PROV_INFO_PROP_ID 2
#define CERT_SHA1_HASH_PROP_ID     3
#define CERT_MD5_HASH_PROP_ID      4
#define CERT_HASH_PROP_ID          CERT_SHA1_HASH_PROP_ID
#define CERT_FRIENDLY_NAME_PROP_ID 11
#define CERT_SHA256_HASH_PROP_ID   107

/* Key specifications. */
#define AT_KEYEXCHANGE 1
#define AT_SIGNATURE   2

typedef struct _CRYPT_KEY_PROV_PARAM {
    DWORD dwParam;
    BYTE *pbData;
    DWORD cbData;
    DWORD dwFlags;
} CRYPT_KEY_PROV_PARAM, *PCRYPT_KEY_PROV_PARAM;

/*
 * CERT_KEY_PROV_INFO_PROP_ID answer.  libsspi: pwszProvName is
 * u"libsspi"; pwszContainerName is the PKCS#11 URI of a key kept in a
 * token, or u"libsspi:in-memory" for a key held by the context.
 */
typedef struct _CRYPT_KEY_PROV_INFO {
    LPWSTR pwszContainerName;
    LPWSTR pwszProvName;
    DWORD dwProvType;
    DWORD dwFlags;
    DWORD cProvParam;
    PCRYPT_KEY_PROV_PARAM rgProvParam;
    DWORD dwKeySpec;
} CRYPT_KEY_PROV_INFO, *PCRYPT_KEY_PROV_INFO;

/* CertGetNameString dwType and dwFlags. */
#define CERT_NAME_EMAIL_TYPE            1
#define CERT_NAME_RDN_TYPE              2
#define CERT_NAME_ATTR_TYPE             3
#define CERT_NAME_SIMPLE_DISPLAY_TYPE   4
#define CERT_NAME_FRIENDLY_DISPLAY_TYPE 5
#define CERT_NAME_DNS_TYPE              6
#define CERT_NAME_URL_TYPE              7
#define CERT_NAME_UPN_TYPE              8
#define CERT_NAME_ISSUER_FLAG           0x00000001

/* PFXImportCertStore dwFlags (accepted and ignored: there is no key store). */
#define CRYPT_EXPORTABLE      0x00000001
#define CRYPT_USER_PROTECTED  0x00000002
#define CRYPT_MACHINE_KEYSET  0x00000020
#define CRYPT_USER_KEYSET     0x00001000
#define PKCS12_NO_PERSIST_KEY 0x00008000

/*
 * Certificate contexts.  A context is reference counted: Create and
 * Duplicate each give one reference, CertFreeCertificateContext drops one
 * (TRUE; also TRUE for NULL).  Contexts found in or enumerated from a
 * store hold a reference to it, so the store lives until they are freed.
 * CertCreateCertificateContext: an encoding type without
 * X509_ASN_ENCODING E_INVALIDARG; no or truncated data CRYPT_E_ASN1_EOD,
 * an unexpected tag CRYPT_E_ASN1_BADTAG, other undecodable DER (or bytes
 * after the certificate) CRYPT_E_ASN1_CORRUPT.  A context libsspi did not
 * make: E_INVALIDARG.
 */
WINCRYPT32API PCCERT_CONTEXT WINAPI CertCreateCertificateContext(DWORD dwCertEncodingType,
                                                                 const BYTE *pbCertEncoded,
                                                                 DWORD cbCertEncoded);
WINCRYPT32API PCCERT_CONTEXT WINAPI CertDuplicateCertificateContext(PCCERT_CONTEXT pCertContext);
WINCRYPT32API BOOL WINAPI CertFreeCertificateContext(PCCERT_CONTEXT pCertContext);

/*
 * Properties: CERT_SHA1_HASH_PROP_ID (20 bytes), CERT_SHA256_HASH_PROP_ID
 * (32), CERT_MD5_HASH_PROP_ID (16), CERT_KEY_PROV_INFO_PROP_ID (only when
 * the context has a key).  pvData NULL asks for the size; a too-small
 * buffer gets FALSE, ERROR_MORE_DATA and the size in *pcbData; a property
 * the context does not have CRYPT_E_NOT_FOUND.
 */
WINCRYPT32API BOOL WINAPI CertGetCertificateContextProperty(PCCERT_CONTEXT pCertContext,
                                                            DWORD dwPropId, void *pvData,
                                                            DWORD *pcbData);

/*
 * Display names: SIMPLE_DISPLAY (CN, else O, else the first RDN), RDN
 * (the RFC 4514 string), DNS (first subjectAltName dNSName, else CN),
 * EMAIL, UPN (not supported: empty), ATTR (pvTypePara = OID string).
 * Returns the characters written including the NUL; 1 (an empty string)
 * when there is no such name; with cchNameString 0 the size needed.
 */
WINCRYPT32API DWORD WINAPI CertGetNameStringA(PCCERT_CONTEXT pCertContext, DWORD dwType,
                                              DWORD dwFlags, void *pvTypePara, LPSTR pszNameString,
                                              DWORD cchNameString);
WINCRYPT32API DWORD WINAPI CertGetNameStringW(PCCERT_CONTEXT pCertContext, DWORD dwType,
                                              DWORD dwFlags, void *pvTypePara, LPWSTR pszNameString,
                                              DWORD cchNameString);

/*
 * Stores.  CERT_STORE_PROV_MEMORY: an empty store.  FILENAME_A/W
 * (pvPara = path): PEM (one or more certificates, and a private key that
 * matches one of them) or a DER certificate.  SYSTEM_A/W (pvPara = name):
 * "ROOT" (and "CA") is the system trust store read-only; "MY" is the
 * directory LIBSSPI_CERT_DIR, default $(sysconfdir)/libsspi/certs (each
 * *.pem or *.crt file with its key in the same file or in NAME.key); any
 * other name an empty store (CERT_STORE_OPEN_EXISTING_FLAG: refused).
 * Returns NULL on failure: unknown provider, missing file or store
 * ERROR_FILE_NOT_FOUND; no file name ERROR_PATH_NOT_FOUND; no store name,
 * READONLY with COMMIT_ENABLE E_INVALIDARG; a file with no certificate
 * CRYPT_E_FILE_ERROR.  A foreign store handle: E_INVALIDARG.
 */
WINCRYPT32API HCERTSTORE WINAPI CertOpenStore(LPCSTR lpszStoreProvider, DWORD dwEncodingType,
                                              ULONG_PTR hCryptProv, DWORD dwFlags,
                                              const void *pvPara);
WINCRYPT32API HCERTSTORE WINAPI CertOpenSystemStoreA(ULONG_PTR hProv, LPCSTR szSubsystemProtocol);
WINCRYPT32API HCERTSTORE WINAPI CertOpenSystemStoreW(ULONG_PTR hProv, LPCWSTR szSubsystemProtocol);
WINCRYPT32API BOOL WINAPI CertCloseStore(HCERTSTORE hCertStore, DWORD dwFlags);
WINCRYPT32API HCERTSTORE WINAPI CertDuplicateStore(HCERTSTORE hCertStore);

/* Add a copy of the context (its key included) to a store.  ADD_NEW of a
 * certificate already there CRYPT_E_EXISTS; a read-only store
 * E_ACCESSDENIED; a bad disposition E_INVALIDARG. */
WINCRYPT32API BOOL WINAPI CertAddCertificateContextToStore(HCERTSTORE hCertStore,
                                                           PCCERT_CONTEXT pCertContext,
                                                           DWORD dwAddDisposition,
                                                           PCCERT_CONTEXT *ppStoreContext);
/* Add a certificate from its encoding (CertCreateCertificateContext + add). */
WINCRYPT32API BOOL WINAPI CertAddEncodedCertificateToStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, const BYTE *pbCertEncoded, DWORD cbCertEncoded,
    DWORD dwAddDisposition, PCCERT_CONTEXT *ppCertContext);

/* Enumeration and search: pPrevCertContext (freed by the call, as on
 * Windows) continues after that context; NULL with CRYPT_E_NOT_FOUND at
 * the end; a pPrevCertContext of another store E_INVALIDARG. */
WINCRYPT32API PCCERT_CONTEXT WINAPI CertEnumCertificatesInStore(HCERTSTORE hCertStore,
                                                                PCCERT_CONTEXT pPrevCertContext);
/* dwFindType: CERT_FIND_ANY, CERT_FIND_SHA1_HASH (pvFindPara a
 * CRYPT_HASH_BLOB*), CERT_FIND_SUBJECT_STR_A/W and CERT_FIND_ISSUER_STR_A/W
 * (case-insensitive substring of the RDN string); any other E_INVALIDARG. */
WINCRYPT32API PCCERT_CONTEXT WINAPI CertFindCertificateInStore(HCERTSTORE hCertStore,
                                                               DWORD dwCertEncodingType,
                                                               DWORD dwFindFlags, DWORD dwFindType,
                                                               const void *pvFindPara,
                                                               PCCERT_CONTEXT pPrevCertContext);

/* PKCS#12: a memory store with every certificate; the one that matches the
 * key carries it.  szPassword may be NULL or empty.  NULL on failure: no
 * blob ERROR_INVALID_PARAMETER; not PKCS#12 CRYPT_E_ASN1_*; wrong password
 * HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD). */
WINCRYPT32API HCERTSTORE WINAPI PFXImportCertStore(CRYPT_DATA_BLOB *pPFX, LPCWSTR szPassword,
                                                   DWORD dwFlags);

#ifdef UNICODE
#define CertGetNameString   CertGetNameStringW
#define CertOpenSystemStore CertOpenSystemStoreW
#else
#define CertGetNameString   CertGetNameStringA
#define CertOpenSystemStore CertOpenSystemStoreA
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_WINCRYPT_H */
