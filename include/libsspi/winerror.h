/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * winerror.h - the part of the Windows SDK header of this name that SSPI
 * programs use: the SEC_E_* / SEC_I_* codes (from <sspi-status.h>), the
 * two generic success names, the Win32 errors and the HRESULTs (E_*,
 * CRYPT_E_*) libsspi's functions set through SetLastError.  Only so that
 * sources including <winerror.h> compile unchanged; it is not the whole
 * Windows error catalogue.  Values and types are Microsoft's: Win32
 * errors are plain numbers, HRESULTs are HRESULT (32-bit signed).
 */
#ifndef LIBSSPI_WINERROR_H
#define LIBSSPI_WINERROR_H

#include "sspi-status.h"

#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif
#ifndef NO_ERROR
#define NO_ERROR 0L
#endif

/* Win32 errors (GetLastError) set by libsspi. */
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2L
#endif
#ifndef ERROR_PATH_NOT_FOUND
#define ERROR_PATH_NOT_FOUND 3L
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5L
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE 6L
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8L
#endif
#ifndef ERROR_INVALID_PASSWORD
#define ERROR_INVALID_PASSWORD 86L
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87L
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122L
#endif
#ifndef ERROR_MORE_DATA
#define ERROR_MORE_DATA 234L
#endif
#ifndef ERROR_NOT_SUPPORTED
#define ERROR_NOT_SUPPORTED 50L
#endif
#ifndef ERROR_NO_TOKEN
#define ERROR_NO_TOKEN 1008L
#endif
#ifndef ERROR_NO_SUCH_USER
#define ERROR_NO_SUCH_USER 1317L
#endif
#ifndef ERROR_LOGON_FAILURE
#define ERROR_LOGON_FAILURE 1326L
#endif
#ifndef ERROR_NONE_MAPPED
#define ERROR_NONE_MAPPED 1332L
#endif
#ifndef ERROR_CANT_ACCESS_DOMAIN_INFO
#define ERROR_CANT_ACCESS_DOMAIN_INFO 1351L
#endif
#ifndef ERROR_NO_SUCH_DOMAIN
#define ERROR_NO_SUCH_DOMAIN 1355L
#endif
#ifndef ERROR_NO_SUCH_LOGON_SESSION
#define ERROR_NO_SUCH_LOGON_SESSION 1312L
#endif
#ifndef ERROR_NO_SUCH_PACKAGE
#define ERROR_NO_SUCH_PACKAGE 1364L
#endif
#ifndef ERROR_PRIVILEGE_NOT_HELD
#define ERROR_PRIVILEGE_NOT_HELD 1314L
#endif

/* HRESULT from a Win32 error (facility 7), as the Windows macro. */
#ifndef FACILITY_WIN32
#define FACILITY_WIN32 7
#endif
#ifndef HRESULT_FROM_WIN32
#define HRESULT_FROM_WIN32(x)                                                                      \
    ((HRESULT)(x) <= 0                                                                             \
         ? (HRESULT)(x)                                                                            \
         : (HRESULT)(((uint32_t)(x)&0x0000FFFFu) | (FACILITY_WIN32 << 16) | 0x80000000u))
#endif

/* Generic HRESULTs. */
#ifndef S_OK
#define S_OK ((HRESULT)0x00000000u)
#endif
#ifndef E_ACCESSDENIED
#define E_ACCESSDENIED ((HRESULT)0x80070005u)
#endif
#ifndef E_OUTOFMEMORY
#define E_OUTOFMEMORY ((HRESULT)0x8007000Eu)
#endif
#ifndef E_INVALIDARG
#define E_INVALIDARG ((HRESULT)0x80070057u)
#endif

/* Certificate (crypt32) errors: <wincrypt.h> functions and Schannel. */
#ifndef CRYPT_E_FILE_ERROR
#define CRYPT_E_FILE_ERROR ((HRESULT)0x80092003u)
#endif
#ifndef CRYPT_E_NOT_FOUND
#define CRYPT_E_NOT_FOUND ((HRESULT)0x80092004u)
#endif
#ifndef CRYPT_E_EXISTS
#define CRYPT_E_EXISTS ((HRESULT)0x80092005u)
#endif
#ifndef CRYPT_E_REVOKED
#define CRYPT_E_REVOKED ((HRESULT)0x80092010u)
#endif
#ifndef CRYPT_E_ASN1_ERROR
#define CRYPT_E_ASN1_ERROR ((HRESULT)0x80093100u)
#endif
#ifndef CRYPT_E_ASN1_EOD
#define CRYPT_E_ASN1_EOD ((HRESULT)0x80093102u)
#endif
#ifndef CRYPT_E_ASN1_CORRUPT
#define CRYPT_E_ASN1_CORRUPT ((HRESULT)0x80093103u)
#endif
#ifndef CRYPT_E_ASN1_BADTAG
#define CRYPT_E_ASN1_BADTAG ((HRESULT)0x8009310Bu)
#endif

/* Key containers (CSP) and smart cards: why a certificate's private key
 * could not be used (libsspi_cert_from_files with a key in a token). */
#ifndef NTE_BAD_PUBLIC_KEY
#define NTE_BAD_PUBLIC_KEY ((HRESULT)0x80090015u)
#endif
#ifndef NTE_BAD_KEYSET
#define NTE_BAD_KEYSET ((HRESULT)0x80090016u)
#endif
#ifndef NTE_BAD_KEYSET_PARAM
#define NTE_BAD_KEYSET_PARAM ((HRESULT)0x8009001Fu)
#endif
#ifndef SCARD_W_WRONG_CHV
#define SCARD_W_WRONG_CHV ((HRESULT)0x8010006Bu)
#endif
#ifndef SCARD_W_CHV_BLOCKED
#define SCARD_W_CHV_BLOCKED ((HRESULT)0x8010006Cu)
#endif

/* Certificate chain policy results (SECPKG_ATTR_CC_POLICY_RESULT). */
#ifndef TRUST_E_CERT_SIGNATURE
#define TRUST_E_CERT_SIGNATURE ((HRESULT)0x80096004u)
#endif
#ifndef CERT_E_EXPIRED
#define CERT_E_EXPIRED ((HRESULT)0x800B0101u)
#endif
#ifndef CERT_E_UNTRUSTEDROOT
#define CERT_E_UNTRUSTEDROOT ((HRESULT)0x800B0109u)
#endif
#ifndef CERT_E_CHAINING
#define CERT_E_CHAINING ((HRESULT)0x800B010Au)
#endif
#ifndef TRUST_E_FAIL
#define TRUST_E_FAIL ((HRESULT)0x800B010Bu)
#endif
#ifndef CERT_E_CN_NO_MATCH
#define CERT_E_CN_NO_MATCH ((HRESULT)0x800B010Fu)
#endif
#ifndef CERT_E_WRONG_USAGE
#define CERT_E_WRONG_USAGE ((HRESULT)0x800B0110u)
#endif

#endif /* LIBSSPI_WINERROR_H */
