/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sspi-status.h - SECURITY_STATUS (SEC_E_* / SEC_I_*) and NTSTATUS
 * (STATUS_*) values used by libsspi and by security packages.
 *
 * Every constant is a 32-bit signed value: the errors are negative, so
 * SEC_SUCCESS(), NT_SUCCESS(), comparisons and switch statements behave
 * as they do on Windows, also on LP64 systems.
 */
#ifndef LIBSSPI_SSPI_STATUS_H
#define LIBSSPI_SSPI_STATUS_H

#include <stdint.h>

#include "sspi-types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Tests on status values. */
#define SEC_SUCCESS(Status)    ((int32_t)(Status) >= 0)
#define NT_SUCCESS(Status)     ((int32_t)(Status) >= 0)
#define NT_INFORMATION(Status) (((uint32_t)(Status) >> 30) == 1)
#define NT_WARNING(Status)     (((uint32_t)(Status) >> 30) == 2)
#define NT_ERROR(Status)       (((uint32_t)(Status) >> 30) == 3)
#ifndef SUCCEEDED
#define SUCCEEDED(hr) ((int32_t)(hr) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) ((int32_t)(hr) < 0)
#endif

/* ==== SECURITY_STATUS: HRESULT-shaped, facility 9 (FACILITY_SECURITY). */

/* Success */
#define SEC_E_OK ((int32_t)0x00000000u)

/* Core SSPI errors */
#define SEC_E_INSUFFICIENT_MEMORY         ((int32_t)0x80090300u)
#define SEC_E_INVALID_HANDLE              ((int32_t)0x80090301u)
#define SEC_E_UNSUPPORTED_FUNCTION        ((int32_t)0x80090302u)
#define SEC_E_TARGET_UNKNOWN              ((int32_t)0x80090303u)
#define SEC_E_INTERNAL_ERROR              ((int32_t)0x80090304u)
#define SEC_E_SECPKG_NOT_FOUND            ((int32_t)0x80090305u)
#define SEC_E_NOT_OWNER                   ((int32_t)0x80090306u)
#define SEC_E_CANNOT_INSTALL              ((int32_t)0x80090307u)
#define SEC_E_INVALID_TOKEN               ((int32_t)0x80090308u)
#define SEC_E_CANNOT_PACK                 ((int32_t)0x80090309u)
#define SEC_E_QOP_NOT_SUPPORTED           ((int32_t)0x8009030Au)
#define SEC_E_NO_IMPERSONATION            ((int32_t)0x8009030Bu)
#define SEC_E_LOGON_DENIED                ((int32_t)0x8009030Cu)
#define SEC_E_UNKNOWN_CREDENTIALS         ((int32_t)0x8009030Du)
#define SEC_E_NO_CREDENTIALS              ((int32_t)0x8009030Eu)
#define SEC_E_MESSAGE_ALTERED             ((int32_t)0x8009030Fu)
#define SEC_E_OUT_OF_SEQUENCE             ((int32_t)0x80090310u)
#define SEC_E_NO_AUTHENTICATING_AUTHORITY ((int32_t)0x80090311u)

/* Informational (success) codes of the handshake */
#define SEC_I_CONTINUE_NEEDED            ((int32_t)0x00090312u)
#define SEC_I_COMPLETE_NEEDED            ((int32_t)0x00090313u)
#define SEC_I_COMPLETE_AND_CONTINUE      ((int32_t)0x00090314u)
#define SEC_I_LOCAL_LOGON                ((int32_t)0x00090315u)
#define SEC_I_GENERIC_EXTENSION_RECEIVED ((int32_t)0x00090316u)

/* Context, message and certificate errors */
#define SEC_E_BAD_PKGID                  ((int32_t)0x80090316u)
#define SEC_E_CONTEXT_EXPIRED            ((int32_t)0x80090317u)
#define SEC_I_CONTEXT_EXPIRED            ((int32_t)0x00090317u)
#define SEC_E_INCOMPLETE_MESSAGE         ((int32_t)0x80090318u)
#define SEC_E_INCOMPLETE_CREDENTIALS     ((int32_t)0x80090320u)
#define SEC_I_INCOMPLETE_CREDENTIALS     ((int32_t)0x00090320u)
#define SEC_E_BUFFER_TOO_SMALL           ((int32_t)0x80090321u)
#define SEC_I_RENEGOTIATE                ((int32_t)0x00090321u)
#define SEC_E_WRONG_PRINCIPAL            ((int32_t)0x80090322u)
#define SEC_I_NO_LSA_CONTEXT             ((int32_t)0x00090323u)
#define SEC_E_TIME_SKEW                  ((int32_t)0x80090324u)
#define SEC_E_UNTRUSTED_ROOT             ((int32_t)0x80090325u)
#define SEC_E_ILLEGAL_MESSAGE            ((int32_t)0x80090326u)
#define SEC_E_CERT_UNKNOWN               ((int32_t)0x80090327u)
#define SEC_E_CERT_EXPIRED               ((int32_t)0x80090328u)
#define SEC_E_ENCRYPT_FAILURE            ((int32_t)0x80090329u)
#define SEC_E_DECRYPT_FAILURE            ((int32_t)0x80090330u)
#define SEC_E_ALGORITHM_MISMATCH         ((int32_t)0x80090331u)
#define SEC_E_SECURITY_QOS_FAILED        ((int32_t)0x80090332u)
#define SEC_E_UNFINISHED_CONTEXT_DELETED ((int32_t)0x80090333u)

/* Kerberos, PKINIT and later additions */
#define SEC_E_NO_TGT_REPLY                  ((int32_t)0x80090334u)
#define SEC_E_NO_IP_ADDRESSES               ((int32_t)0x80090335u)
#define SEC_E_WRONG_CREDENTIAL_HANDLE       ((int32_t)0x80090336u)
#define SEC_E_CRYPTO_SYSTEM_INVALID         ((int32_t)0x80090337u)
#define SEC_E_MAX_REFERRALS_EXCEEDED        ((int32_t)0x80090338u)
#define SEC_E_MUST_BE_KDC                   ((int32_t)0x80090339u)
#define SEC_E_STRONG_CRYPTO_NOT_SUPPORTED   ((int32_t)0x8009033Au)
#define SEC_E_TOO_MANY_PRINCIPALS           ((int32_t)0x8009033Bu)
#define SEC_E_NO_PA_DATA                    ((int32_t)0x8009033Cu)
#define SEC_E_PKINIT_NAME_MISMATCH          ((int32_t)0x8009033Du)
#define SEC_E_SMARTCARD_LOGON_REQUIRED      ((int32_t)0x8009033Eu)
#define SEC_E_SHUTDOWN_IN_PROGRESS          ((int32_t)0x8009033Fu)
#define SEC_E_KDC_INVALID_REQUEST           ((int32_t)0x80090340u)
#define SEC_E_KDC_UNABLE_TO_REFER           ((int32_t)0x80090341u)
#define SEC_E_KDC_UNKNOWN_ETYPE             ((int32_t)0x80090342u)
#define SEC_E_UNSUPPORTED_PREAUTH           ((int32_t)0x80090343u)
#define SEC_E_DELEGATION_REQUIRED           ((int32_t)0x80090345u)
#define SEC_E_BAD_BINDINGS                  ((int32_t)0x80090346u)
#define SEC_E_MULTIPLE_ACCOUNTS             ((int32_t)0x80090347u)
#define SEC_E_NO_KERB_KEY                   ((int32_t)0x80090348u)
#define SEC_E_CERT_WRONG_USAGE              ((int32_t)0x80090349u)
#define SEC_E_DOWNGRADE_DETECTED            ((int32_t)0x80090350u)
#define SEC_E_SMARTCARD_CERT_REVOKED        ((int32_t)0x80090351u)
#define SEC_E_ISSUING_CA_UNTRUSTED          ((int32_t)0x80090352u)
#define SEC_E_REVOCATION_OFFLINE_C          ((int32_t)0x80090353u)
#define SEC_E_PKINIT_CLIENT_FAILURE         ((int32_t)0x80090354u)
#define SEC_E_SMARTCARD_CERT_EXPIRED        ((int32_t)0x80090355u)
#define SEC_E_NO_S4U_PROT_SUPPORT           ((int32_t)0x80090356u)
#define SEC_E_CROSSREALM_DELEGATION_FAILURE ((int32_t)0x80090357u)
#define SEC_E_REVOCATION_OFFLINE_KDC        ((int32_t)0x80090358u)
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC      ((int32_t)0x80090359u)
#define SEC_E_KDC_CERT_EXPIRED              ((int32_t)0x8009035Au)
#define SEC_E_KDC_CERT_REVOKED              ((int32_t)0x8009035Bu)
#define SEC_I_SIGNATURE_NEEDED              ((int32_t)0x0009035Cu)
#define SEC_E_INVALID_PARAMETER             ((int32_t)0x8009035Du)
#define SEC_E_DELEGATION_POLICY             ((int32_t)0x8009035Eu)
#define SEC_E_POLICY_NLTM_ONLY              ((int32_t)0x8009035Fu)
#define SEC_I_NO_RENEGOTIATION              ((int32_t)0x00090360u)
#define SEC_E_NO_CONTEXT                    ((int32_t)0x80090361u)
#define SEC_E_PKU2U_CERT_FAILURE            ((int32_t)0x80090362u)
#define SEC_E_MUTUAL_AUTH_FAILED            ((int32_t)0x80090363u)
#define SEC_I_MESSAGE_FRAGMENT              ((int32_t)0x00090364u)
#define SEC_E_ONLY_HTTPS_ALLOWED            ((int32_t)0x80090365u)
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK    ((int32_t)0x00090366u)
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH ((int32_t)0x80090367u)
#define SEC_I_ASYNC_CALL_PENDING            ((int32_t)0x00090368u)
#define SEC_E_INVALID_UPN_NAME              ((int32_t)0x80090369u)
#define SEC_E_EXT_BUFFER_TOO_SMALL          ((int32_t)0x8009036Au)
#define SEC_E_INSUFFICIENT_BUFFERS          ((int32_t)0x8009036Bu)
/* Alternative names kept by the SDK. */
#define SEC_E_NOT_SUPPORTED SEC_E_UNSUPPORTED_FUNCTION
#define SEC_E_NO_SPM        SEC_E_INTERNAL_ERROR

/* ==== NTSTATUS values a security package may return. */

/* Success and informational */
#define STATUS_SUCCESS      ((int32_t)0x00000000u)
#define STATUS_PENDING      ((int32_t)0x00000103u)
#define STATUS_MORE_ENTRIES ((int32_t)0x00000105u)

/* Warnings */
#define STATUS_BUFFER_OVERFLOW ((int32_t)0x80000005u)

/* Errors */
#define STATUS_UNSUCCESSFUL            ((int32_t)0xC0000001u)
#define STATUS_NOT_IMPLEMENTED         ((int32_t)0xC0000002u)
#define STATUS_INVALID_INFO_CLASS      ((int32_t)0xC0000003u)
#define STATUS_ACCESS_VIOLATION        ((int32_t)0xC0000005u)
#define STATUS_INVALID_HANDLE          ((int32_t)0xC0000008u)
#define STATUS_INVALID_PARAMETER       ((int32_t)0xC000000Du)
#define STATUS_NO_MEMORY               ((int32_t)0xC0000017u)
#define STATUS_ACCESS_DENIED           ((int32_t)0xC0000022u)
#define STATUS_BUFFER_TOO_SMALL        ((int32_t)0xC0000023u)
#define STATUS_PORT_CONNECTION_REFUSED ((int32_t)0xC0000041u)
#define STATUS_UNKNOWN_REVISION        ((int32_t)0xC0000058u)
#define STATUS_NO_LOGON_SERVERS        ((int32_t)0xC000005Eu)
#define STATUS_NO_SUCH_LOGON_SESSION   ((int32_t)0xC000005Fu)
#define STATUS_PRIVILEGE_NOT_HELD      ((int32_t)0xC0000061u)
#define STATUS_NO_SUCH_USER            ((int32_t)0xC0000064u)
#define STATUS_WRONG_PASSWORD          ((int32_t)0xC000006Au)
#define STATUS_LOGON_FAILURE           ((int32_t)0xC000006Du)
#define STATUS_ACCOUNT_RESTRICTION     ((int32_t)0xC000006Eu)
#define STATUS_INVALID_LOGON_HOURS     ((int32_t)0xC000006Fu)
#define STATUS_INVALID_WORKSTATION     ((int32_t)0xC0000070u)
#define STATUS_PASSWORD_EXPIRED        ((int32_t)0xC0000071u)
#define STATUS_ACCOUNT_DISABLED        ((int32_t)0xC0000072u)
#define STATUS_NO_TOKEN                ((int32_t)0xC000007Cu)
#define STATUS_INSUFFICIENT_RESOURCES  ((int32_t)0xC000009Au)
#define STATUS_BAD_IMPERSONATION_LEVEL ((int32_t)0xC00000A5u)
#define STATUS_BAD_VALIDATION_CLASS    ((int32_t)0xC00000A7u)
#define STATUS_NOT_SUPPORTED           ((int32_t)0xC00000BBu)
#define STATUS_INTERNAL_ERROR          ((int32_t)0xC00000E5u)
#define STATUS_NO_SUCH_PACKAGE         ((int32_t)0xC00000FEu)
#define STATUS_NAME_TOO_LONG           ((int32_t)0xC0000106u)
#define STATUS_TIME_DIFFERENCE_AT_DC   ((int32_t)0xC0000133u)
#define STATUS_DLL_NOT_FOUND           ((int32_t)0xC0000135u)
#define STATUS_ENTRYPOINT_NOT_FOUND    ((int32_t)0xC0000139u)
#define STATUS_NETLOGON_NOT_STARTED    ((int32_t)0xC0000192u)
#define STATUS_ACCOUNT_EXPIRED         ((int32_t)0xC0000193u)
#define STATUS_PASSWORD_MUST_CHANGE    ((int32_t)0xC0000224u)
#define STATUS_NOT_FOUND               ((int32_t)0xC0000225u)
#define STATUS_ACCOUNT_LOCKED_OUT      ((int32_t)0xC0000234u)
#define STATUS_DOWNGRADE_DETECTED      ((int32_t)0xC0000388u)
#define STATUS_INVALID_SIGNATURE       ((int32_t)0xC000A000u)
#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SSPI_STATUS_H */
