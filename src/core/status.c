/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * status.c - maps what packages return to SECURITY_STATUS and names every
 * SEC_E_* / SEC_I_* / STATUS_* value of sspi-status.h.
 *
 * Mapping policy (one place for the whole library):
 * - success values and facility-9 (SEC_E_* / SEC_I_*) values pass through;
 * - the STATUS_* values that have an SSPI counterpart are translated (see
 *   nt_map below); logon failures of every kind become SEC_E_LOGON_DENIED,
 *   as callers of InitializeSecurityContext/AcceptSecurityContext expect;
 * - STATUS_INVALID_PARAMETER passes through unchanged: the Windows
 *   documentation lists it as a result callers of MakeSignature can see;
 * - every other value passes through (still negative if it was an error,
 *   so SEC_SUCCESS() keeps working).
 */
#include <stdlib.h>

#include "core/core.h"

struct status_entry {
    uint32_t value;
    const char *name;
    const char *message;
};

/* Sorted by value (as uint32_t).  Aliases (SEC_E_NOT_SUPPORTED,
 * SEC_E_NO_SPM, STATUS_SUCCESS) are named by their primary spelling. */
static const struct status_entry status_table[] = {
    {0x00000000u, "SEC_E_OK", "The operation completed successfully"},
    {0x00000103u, "STATUS_PENDING", "The operation that was requested is pending completion"},
    {0x00000105u, "STATUS_MORE_ENTRIES", "More information is available than was returned"},
    {0x00090312u, "SEC_I_CONTINUE_NEEDED",
     "The function completed successfully, but must be called again to complete the context"},
    {0x00090313u, "SEC_I_COMPLETE_NEEDED",
     "The function completed successfully, but CompleteToken must be called"},
    {0x00090314u, "SEC_I_COMPLETE_AND_CONTINUE",
     "The function completed successfully, but both CompleteToken and this function must be "
     "called to complete the context"},
    {0x00090315u, "SEC_I_LOCAL_LOGON",
     "The logon was completed, but no network authority was available"},
    {0x00090316u, "SEC_I_GENERIC_EXTENSION_RECEIVED", "A generic TLS extension was received"},
    {0x00090317u, "SEC_I_CONTEXT_EXPIRED", "The context has expired and can no longer be used"},
    {0x00090320u, "SEC_I_INCOMPLETE_CREDENTIALS",
     "The credentials supplied were not complete; additional information can be returned from "
     "the context"},
    {0x00090321u, "SEC_I_RENEGOTIATE", "The context data must be renegotiated with the peer"},
    {0x00090323u, "SEC_I_NO_LSA_CONTEXT",
     "There is no LSA mode context associated with this context"},
    {0x0009035Cu, "SEC_I_SIGNATURE_NEEDED",
     "A signature operation must be performed before the user can authenticate"},
    {0x00090360u, "SEC_I_NO_RENEGOTIATION", "The recipient rejected the renegotiation request"},
    {0x00090364u, "SEC_I_MESSAGE_FRAGMENT",
     "The returned buffer is only a fragment of the message; more fragments need to be returned"},
    {0x00090366u, "SEC_I_CONTINUE_NEEDED_MESSAGE_OK",
     "The function completed successfully, but must be called again; the message was processed"},
    {0x00090368u, "SEC_I_ASYNC_CALL_PENDING",
     "An asynchronous SSPI routine has been called and the work is pending completion"},
    {0x80000005u, "STATUS_BUFFER_OVERFLOW",
     "The data was too large to fit into the specified buffer"},
    {0x80090300u, "SEC_E_INSUFFICIENT_MEMORY",
     "Not enough memory is available to complete the request"},
    {0x80090301u, "SEC_E_INVALID_HANDLE", "The handle specified is invalid"},
    {0x80090302u, "SEC_E_UNSUPPORTED_FUNCTION", "The function requested is not supported"},
    {0x80090303u, "SEC_E_TARGET_UNKNOWN", "The specified target is unknown or unreachable"},
    {0x80090304u, "SEC_E_INTERNAL_ERROR", "An internal error occurred in the security system"},
    {0x80090305u, "SEC_E_SECPKG_NOT_FOUND", "The requested security package does not exist"},
    {0x80090306u, "SEC_E_NOT_OWNER", "The caller is not the owner of the desired credentials"},
    {0x80090307u, "SEC_E_CANNOT_INSTALL",
     "The security package failed to initialize and cannot be installed"},
    {0x80090308u, "SEC_E_INVALID_TOKEN", "The token supplied to the function is invalid"},
    {0x80090309u, "SEC_E_CANNOT_PACK",
     "The security package is not able to marshall the logon buffer"},
    {0x8009030Au, "SEC_E_QOP_NOT_SUPPORTED",
     "The per-message quality of protection is not supported by the security package"},
    {0x8009030Bu, "SEC_E_NO_IMPERSONATION",
     "The security context does not allow impersonation of the client"},
    {0x8009030Cu, "SEC_E_LOGON_DENIED", "The logon attempt failed"},
    {0x8009030Du, "SEC_E_UNKNOWN_CREDENTIALS",
     "The credentials supplied to the package were not recognized"},
    {0x8009030Eu, "SEC_E_NO_CREDENTIALS", "No credentials are available in the security package"},
    {0x8009030Fu, "SEC_E_MESSAGE_ALTERED",
     "The message or signature supplied for verification has been altered"},
    {0x80090310u, "SEC_E_OUT_OF_SEQUENCE",
     "The message supplied for verification is out of sequence"},
    {0x80090311u, "SEC_E_NO_AUTHENTICATING_AUTHORITY",
     "No authority could be contacted for authentication"},
    {0x80090316u, "SEC_E_BAD_PKGID", "The requested security package does not exist"},
    {0x80090317u, "SEC_E_CONTEXT_EXPIRED", "The context has expired and can no longer be used"},
    {0x80090318u, "SEC_E_INCOMPLETE_MESSAGE",
     "The supplied message is incomplete; the signature was not verified"},
    {0x80090320u, "SEC_E_INCOMPLETE_CREDENTIALS",
     "The credentials supplied were not complete and could not be verified"},
    {0x80090321u, "SEC_E_BUFFER_TOO_SMALL", "The buffers supplied to a function were too small"},
    {0x80090322u, "SEC_E_WRONG_PRINCIPAL", "The target principal name is incorrect"},
    {0x80090324u, "SEC_E_TIME_SKEW", "The clocks on the client and server machines are skewed"},
    {0x80090325u, "SEC_E_UNTRUSTED_ROOT",
     "The certificate chain was issued by an authority that is not trusted"},
    {0x80090326u, "SEC_E_ILLEGAL_MESSAGE",
     "The message received was unexpected or badly formatted"},
    {0x80090327u, "SEC_E_CERT_UNKNOWN",
     "An unknown error occurred while processing the certificate"},
    {0x80090328u, "SEC_E_CERT_EXPIRED", "The received certificate has expired"},
    {0x80090329u, "SEC_E_ENCRYPT_FAILURE", "The specified data could not be encrypted"},
    {0x80090330u, "SEC_E_DECRYPT_FAILURE", "The specified data could not be decrypted"},
    {0x80090331u, "SEC_E_ALGORITHM_MISMATCH",
     "The client and server cannot communicate because they do not possess a common algorithm"},
    {0x80090332u, "SEC_E_SECURITY_QOS_FAILED",
     "The security context could not be established due to a failure in the requested quality "
     "of service"},
    {0x80090333u, "SEC_E_UNFINISHED_CONTEXT_DELETED",
     "A security context was deleted before the context was completed"},
    {0x80090334u, "SEC_E_NO_TGT_REPLY",
     "The client is trying to negotiate a context and the server requires user-to-user but did "
     "not send a TGT reply"},
    {0x80090335u, "SEC_E_NO_IP_ADDRESSES",
     "Unable to accomplish the requested task because the local machine does not have any IP "
     "addresses"},
    {0x80090336u, "SEC_E_WRONG_CREDENTIAL_HANDLE",
     "The supplied credential handle does not match the credential associated with the "
     "security context"},
    {0x80090337u, "SEC_E_CRYPTO_SYSTEM_INVALID",
     "The crypto system or checksum function is invalid"},
    {0x80090338u, "SEC_E_MAX_REFERRALS_EXCEEDED",
     "The number of maximum ticket referrals has been exceeded"},
    {0x80090339u, "SEC_E_MUST_BE_KDC", "The local machine must be a Kerberos KDC and it is not"},
    {0x8009033Au, "SEC_E_STRONG_CRYPTO_NOT_SUPPORTED",
     "The other end of the security negotiation requires strong crypto but it is not supported "
     "on the local machine"},
    {0x8009033Bu, "SEC_E_TOO_MANY_PRINCIPALS",
     "The KDC reply contained more than one principal name"},
    {0x8009033Cu, "SEC_E_NO_PA_DATA",
     "Expected to find PA data for a hint of what etype to use, but it was not found"},
    {0x8009033Du, "SEC_E_PKINIT_NAME_MISMATCH",
     "The client certificate does not contain a valid UPN, or does not match the client name "
     "in the logon request"},
    {0x8009033Eu, "SEC_E_SMARTCARD_LOGON_REQUIRED", "Smartcard logon is required and was not used"},
    {0x8009033Fu, "SEC_E_SHUTDOWN_IN_PROGRESS", "A system shutdown is in progress"},
    {0x80090340u, "SEC_E_KDC_INVALID_REQUEST", "An invalid request was sent to the KDC"},
    {0x80090341u, "SEC_E_KDC_UNABLE_TO_REFER",
     "The KDC was unable to generate a referral for the service requested"},
    {0x80090342u, "SEC_E_KDC_UNKNOWN_ETYPE",
     "The encryption type requested is not supported by the KDC"},
    {0x80090343u, "SEC_E_UNSUPPORTED_PREAUTH",
     "An unsupported preauthentication mechanism was presented to the Kerberos package"},
    {0x80090345u, "SEC_E_DELEGATION_REQUIRED",
     "The requested operation cannot be completed: the computer must be trusted for delegation"},
    {0x80090346u, "SEC_E_BAD_BINDINGS", "Client's supplied SSPI channel bindings were incorrect"},
    {0x80090347u, "SEC_E_MULTIPLE_ACCOUNTS",
     "The received certificate was mapped to multiple accounts"},
    {0x80090348u, "SEC_E_NO_KERB_KEY", "No Kerberos key was found"},
    {0x80090349u, "SEC_E_CERT_WRONG_USAGE", "The certificate is not valid for the requested usage"},
    {0x80090350u, "SEC_E_DOWNGRADE_DETECTED",
     "The system detected a possible attempt to compromise security"},
    {0x80090351u, "SEC_E_SMARTCARD_CERT_REVOKED",
     "The smartcard certificate used for authentication has been revoked"},
    {0x80090352u, "SEC_E_ISSUING_CA_UNTRUSTED",
     "An untrusted certificate authority was detected while processing the smartcard certificate"},
    {0x80090353u, "SEC_E_REVOCATION_OFFLINE_C",
     "The revocation status of the smartcard certificate could not be determined"},
    {0x80090354u, "SEC_E_PKINIT_CLIENT_FAILURE",
     "The smartcard certificate used for authentication was not trusted"},
    {0x80090355u, "SEC_E_SMARTCARD_CERT_EXPIRED",
     "The smartcard certificate used for authentication has expired"},
    {0x80090356u, "SEC_E_NO_S4U_PROT_SUPPORT",
     "The Kerberos subsystem encountered an error: a service for user protocol request was "
     "made against a domain controller which does not support it"},
    {0x80090357u, "SEC_E_CROSSREALM_DELEGATION_FAILURE",
     "An attempt was made by this server to make a Kerberos constrained delegation request for "
     "a target outside of the server's realm"},
    {0x80090358u, "SEC_E_REVOCATION_OFFLINE_KDC",
     "The revocation status of the domain controller certificate could not be determined"},
    {0x80090359u, "SEC_E_ISSUING_CA_UNTRUSTED_KDC",
     "An untrusted certificate authority was detected while processing the domain controller "
     "certificate"},
    {0x8009035Au, "SEC_E_KDC_CERT_EXPIRED",
     "The domain controller certificate used for smartcard logon has expired"},
    {0x8009035Bu, "SEC_E_KDC_CERT_REVOKED",
     "The domain controller certificate used for smartcard logon has been revoked"},
    {0x8009035Du, "SEC_E_INVALID_PARAMETER",
     "One or more of the parameters passed to the function was invalid"},
    {0x8009035Eu, "SEC_E_DELEGATION_POLICY",
     "The client policy does not allow credential delegation to the target server"},
    {0x8009035Fu, "SEC_E_POLICY_NLTM_ONLY",
     "The client policy does not allow credential delegation to the target server with NTLM "
     "only authentication"},
    {0x80090361u, "SEC_E_NO_CONTEXT", "The required security context does not exist"},
    {0x80090362u, "SEC_E_PKU2U_CERT_FAILURE",
     "The PKU2U protocol encountered an error while attempting to utilize the associated "
     "certificates"},
    {0x80090363u, "SEC_E_MUTUAL_AUTH_FAILED",
     "The identity of the server computer could not be verified"},
    {0x80090365u, "SEC_E_ONLY_HTTPS_ALLOWED", "Only HTTPS is allowed"},
    {0x80090367u, "SEC_E_APPLICATION_PROTOCOL_MISMATCH",
     "The client and server cannot communicate because they do not possess a common "
     "application protocol"},
    {0x80090369u, "SEC_E_INVALID_UPN_NAME", "The user principal name is invalid"},
    {0x8009036Au, "SEC_E_EXT_BUFFER_TOO_SMALL", "The extension buffer supplied was too small"},
    {0x8009036Bu, "SEC_E_INSUFFICIENT_BUFFERS", "Not enough secbuffers were supplied"},
    {0xC0000001u, "STATUS_UNSUCCESSFUL", "The requested operation was unsuccessful"},
    {0xC0000002u, "STATUS_NOT_IMPLEMENTED", "The requested operation is not implemented"},
    {0xC0000003u, "STATUS_INVALID_INFO_CLASS", "The specified information class is not valid"},
    {0xC0000005u, "STATUS_ACCESS_VIOLATION",
     "The memory at the given address could not be read or written"},
    {0xC0000008u, "STATUS_INVALID_HANDLE", "An invalid handle was specified"},
    {0xC000000Du, "STATUS_INVALID_PARAMETER", "An invalid parameter was passed to a function"},
    {0xC0000017u, "STATUS_NO_MEMORY", "Not enough memory is available to complete the operation"},
    {0xC0000022u, "STATUS_ACCESS_DENIED", "Access was denied"},
    {0xC0000023u, "STATUS_BUFFER_TOO_SMALL", "The buffer is too small to contain the entry"},
    {0xC0000041u, "STATUS_PORT_CONNECTION_REFUSED",
     "The caller may not connect as a logon process"},
    {0xC0000058u, "STATUS_UNKNOWN_REVISION", "The revision level is unknown"},
    {0xC000005Eu, "STATUS_NO_LOGON_SERVERS",
     "There are currently no logon servers available to service the logon request"},
    {0xC000005Fu, "STATUS_NO_SUCH_LOGON_SESSION", "The specified logon session does not exist"},
    {0xC0000061u, "STATUS_PRIVILEGE_NOT_HELD", "A required privilege is not held by the client"},
    {0xC0000064u, "STATUS_NO_SUCH_USER", "The specified account does not exist"},
    {0xC000006Au, "STATUS_WRONG_PASSWORD", "The password is incorrect"},
    {0xC000006Du, "STATUS_LOGON_FAILURE", "The user name or password is incorrect"},
    {0xC000006Eu, "STATUS_ACCOUNT_RESTRICTION",
     "Account restrictions prevent this user from signing in"},
    {0xC000006Fu, "STATUS_INVALID_LOGON_HOURS",
     "The user account has time restrictions and may not be logged onto at this time"},
    {0xC0000070u, "STATUS_INVALID_WORKSTATION",
     "The user account is restricted so that it may not be used to log on from this computer"},
    {0xC0000071u, "STATUS_PASSWORD_EXPIRED", "The user account password has expired"},
    {0xC0000072u, "STATUS_ACCOUNT_DISABLED", "The referenced account is currently disabled"},
    {0xC000007Cu, "STATUS_NO_TOKEN",
     "An attempt was made to reference a token that does not exist"},
    {0xC000009Au, "STATUS_INSUFFICIENT_RESOURCES",
     "Insufficient system resources exist to complete the operation"},
    {0xC00000A5u, "STATUS_BAD_IMPERSONATION_LEVEL", "A specified impersonation level is invalid"},
    {0xC00000A7u, "STATUS_BAD_VALIDATION_CLASS",
     "The validation information class requested was invalid"},
    {0xC00000BBu, "STATUS_NOT_SUPPORTED", "The request is not supported"},
    {0xC00000E5u, "STATUS_INTERNAL_ERROR", "An internal error occurred"},
    {0xC00000FEu, "STATUS_NO_SUCH_PACKAGE", "A specified authentication package is unknown"},
    {0xC0000106u, "STATUS_NAME_TOO_LONG", "The name is too long"},
    {0xC0000133u, "STATUS_TIME_DIFFERENCE_AT_DC",
     "The time at the primary domain controller is different from the time at the backup "
     "domain controller or member server by too large an amount"},
    {0xC0000135u, "STATUS_DLL_NOT_FOUND",
     "The code execution cannot proceed because a required library was not found"},
    {0xC0000139u, "STATUS_ENTRYPOINT_NOT_FOUND", "The procedure entry point could not be located"},
    {0xC0000192u, "STATUS_NETLOGON_NOT_STARTED",
     "An attempt was made to logon, but the network logon service was not started"},
    {0xC0000193u, "STATUS_ACCOUNT_EXPIRED", "The user account has expired"},
    {0xC0000224u, "STATUS_PASSWORD_MUST_CHANGE",
     "The user password must be changed before signing in for the first time"},
    {0xC0000225u, "STATUS_NOT_FOUND", "The object was not found"},
    {0xC0000234u, "STATUS_ACCOUNT_LOCKED_OUT", "The user account has been automatically locked"},
    {0xC0000388u, "STATUS_DOWNGRADE_DETECTED",
     "The system detected a possible attempt to compromise security"},
    {0xC000A000u, "STATUS_INVALID_SIGNATURE", "The cryptographic signature is invalid"},
};

#define STATUS_TABLE_LEN (sizeof(status_table) / sizeof(status_table[0]))

static int cmp_entry(const void *key, const void *elem)
{
    uint32_t k = *(const uint32_t *)key;
    uint32_t v = ((const struct status_entry *)elem)->value;

    return k < v ? -1 : k > v ? 1 : 0;
}

static const struct status_entry *find_entry(int32_t st)
{
    uint32_t key = (uint32_t)st;

    return bsearch(&key, status_table, STATUS_TABLE_LEN, sizeof(status_table[0]), cmp_entry);
}

/* Binary search of status_table; static strings, NULL if unknown. */
const char *sspi_status_name(int32_t st)
{
    const struct status_entry *e = find_entry(st);

    return e ? e->name : NULL;
}

/* Static strings, NULL if unknown. */
const char *sspi_status_message(int32_t st)
{
    const struct status_entry *e = find_entry(st);

    return e ? e->message : NULL;
}

/* Whether `st` is an HRESULT-shaped value of FACILITY_SECURITY (9). */
static bool is_facility_security(int32_t st)
{
    return (((uint32_t)st >> 16) & 0x1FFFu) == 0x0009u;
}

/* Pure; see the policy at the top of this file. */
SECURITY_STATUS sspi_status_from_nt(NTSTATUS st)
{
    if (st >= 0 || is_facility_security(st))
        return st;
    switch (st) {
    case STATUS_INVALID_HANDLE:
        return SEC_E_INVALID_HANDLE;
    case STATUS_NO_MEMORY:
    case STATUS_INSUFFICIENT_RESOURCES:
        return SEC_E_INSUFFICIENT_MEMORY;
    case STATUS_NOT_IMPLEMENTED:
    case STATUS_NOT_SUPPORTED:
    case STATUS_INVALID_INFO_CLASS:
        return SEC_E_UNSUPPORTED_FUNCTION;
    case STATUS_LOGON_FAILURE:
    case STATUS_WRONG_PASSWORD:
    case STATUS_NO_SUCH_USER:
    case STATUS_ACCOUNT_RESTRICTION:
    case STATUS_INVALID_LOGON_HOURS:
    case STATUS_INVALID_WORKSTATION:
    case STATUS_PASSWORD_EXPIRED:
    case STATUS_ACCOUNT_DISABLED:
    case STATUS_ACCOUNT_EXPIRED:
    case STATUS_ACCOUNT_LOCKED_OUT:
    case STATUS_PASSWORD_MUST_CHANGE:
        return SEC_E_LOGON_DENIED;
    case STATUS_ACCESS_DENIED:
    case STATUS_PRIVILEGE_NOT_HELD:
        return SEC_E_NOT_OWNER;
    case STATUS_BUFFER_TOO_SMALL:
        return SEC_E_BUFFER_TOO_SMALL;
    case STATUS_INVALID_SIGNATURE:
        return SEC_E_MESSAGE_ALTERED;
    case STATUS_NO_SUCH_PACKAGE:
        return SEC_E_SECPKG_NOT_FOUND;
    case STATUS_INTERNAL_ERROR:
    case STATUS_UNSUCCESSFUL:
        return SEC_E_INTERNAL_ERROR;
    case STATUS_TIME_DIFFERENCE_AT_DC:
        return SEC_E_TIME_SKEW;
    case STATUS_DOWNGRADE_DETECTED:
        return SEC_E_DOWNGRADE_DETECTED;
    case STATUS_NO_LOGON_SERVERS:
    case STATUS_NETLOGON_NOT_STARTED:
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case STATUS_NO_SUCH_LOGON_SESSION:
        return SEC_E_NO_CREDENTIALS;
    default:
        return st;
    }
}
