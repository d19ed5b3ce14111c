/*
 * sample-credentials.c - Sample credential handles.
 *
 * A credential is a user name, a domain and a password given as an
 * identity structure, read with the shared parser (common/identity.h):
 * libsspi hands a package an EXW it built for the versioned forms (EX,
 * EX2) and the caller's own SEC_WINNT_AUTH_IDENTITY_W or _A otherwise; the
 * parser reads them all into UTF-16 strings.  The password is
 * the pre-shared key: it is turned into a 32-byte key at once and never
 * stored.  The same user name and password must be given to the client's
 * outbound credential and the server's inbound one.
 *
 * The LSA_SEC_HANDLE is the address of a struct sample_credential; the
 * object is immutable, so contexts read it without locking.
 */
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "packages/sample/sample.h"

static const char sample_password_label[] = "libsspi-sample password key";

/* Caller memory is read through LSA's CopyFromClientBuffer, which fails
 * instead of faulting on memory that cannot be read. */
static bool sample_client_read(void *dst, const void *src, size_t len)
{
    return len <= UINT32_MAX &&
           sample_lsa->CopyFromClientBuffer(NULL, (ULONG)len, dst, (PVOID)src) == STATUS_SUCCESS;
}

static const struct sspi_identity_source sample_identity_source = {SIZE_MAX, sample_client_read,
                                                                   NULL};

/* Copy a name, refusing embedded NULs and names over SAMPLE_MAX_NAME. */
static bool sample_copy_name(char16_t *dst, uint16_t *dst_len, const char16_t *src, uint32_t len)
{
    if (len > SAMPLE_MAX_NAME)
        return false;
    for (uint32_t i = 0; i < len; i++) {
        if (src[i] == 0)
            return false;
        dst[i] = src[i];
    }
    dst[len] = 0;
    *dst_len = (uint16_t)len;
    return true;
}

/* key = HMAC-SHA256(label, UTF-16LE password bytes).  Fed in small chunks
 * so the password never needs a heap copy; the chunk is wiped. */
static void sample_derive_key(const char16_t *password, uint32_t len, uint8_t key[SAMPLE_KEY_SIZE])
{
    crypto_hmac_sha256_key k;
    crypto_hmac_sha256_ctx c;
    uint8_t chunk[64];

    crypto_hmac_sha256_set_key(&k, sample_password_label, sizeof sample_password_label - 1);
    crypto_hmac_sha256_begin(&c, &k);
    for (uint32_t i = 0; i < len;) {
        size_t n = 0;
        for (; n < sizeof chunk && i < len; n += 2, i++)
            sample_put_u16(chunk + n, password[i]);
        crypto_hmac_sha256_update(&c, chunk, n);
    }
    crypto_hmac_sha256_final(&c, key);
    crypto_wipe(chunk, sizeof chunk);
    crypto_wipe(&k, sizeof k);
}

struct sample_credential *sample_credential_from_handle(LSA_SEC_HANDLE h)
{
    struct sample_credential *cred = (struct sample_credential *)h;

    if (cred == NULL || cred->magic != SAMPLE_CRED_MAGIC)
        return NULL;
    return cred;
}

/*
 * SpAcquireCredentialsHandle.  AuthorizationData must point at an identity
 * (SEC_WINNT_AUTH_IDENTITY_W/_A, or the EXW the core built); PrincipalName,
 * LogonId and the GetKey arguments are ignored.  Returns STATUS_SUCCESS
 * with a new handle, SEC_E_NO_CREDENTIALS without an identity or user name
 * (Sample has no default credentials), the parser's status for a malformed
 * identity, SEC_E_UNKNOWN_CREDENTIALS for one it cannot use (names too
 * long or with NULs), SEC_E_UNSUPPORTED_FUNCTION if
 * neither SECPKG_CRED_INBOUND nor SECPKG_CRED_OUTBOUND is asked for (other
 * bits are ignored), STATUS_NO_MEMORY.
 */
NTSTATUS NTAPI sample_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                 ULONG CredentialUseFlags, PLUID LogonId,
                                                 PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                 PVOID GetKeyArgument,
                                                 PLSA_SEC_HANDLE CredentialHandle,
                                                 PTimeStamp ExpirationTime)
{
    struct sample_credential *cred = NULL;
    struct sspi_identity id = {0};
    NTSTATUS status;
    uint32_t use = CredentialUseFlags & SECPKG_CRED_BOTH;

    if (CredentialHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    if (use == 0) {
        status = SEC_E_UNSUPPORTED_FUNCTION;
        goto out;
    }
    if (AuthorizationData == NULL) {
        status = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    status = sspi_identity_parse_from(AuthorizationData, &sample_identity_source, &id);
    if (status != SEC_E_OK)
        goto out;
    if (id.user.len == 0) {
        status = SEC_E_NO_CREDENTIALS;
        goto out;
    }

    cred = calloc(1, sizeof *cred);
    if (cred == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    if (!sample_copy_name(cred->user, &cred->user_len, id.user.s, (uint32_t)id.user.len) ||
        !sample_copy_name(cred->domain, &cred->domain_len, id.domain.s, (uint32_t)id.domain.len)) {
        status = SEC_E_UNKNOWN_CREDENTIALS;
        goto out;
    }
    cred->use = use;
    sample_derive_key(id.password.s, (uint32_t)id.password.len, cred->key);
    cred->magic = SAMPLE_CRED_MAGIC;

    *CredentialHandle = (LSA_SEC_HANDLE)cred;
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = SAMPLE_NEVER;
    cred = NULL;
    status = STATUS_SUCCESS;
out:
    sspi_identity_clear(&id);
    if (cred != NULL) {
        crypto_wipe(cred, sizeof *cred);
        free(cred);
    }
    return status;
}

/*
 * SpFreeCredentialsHandle.  The host calls it once, when no call is using
 * the handle any more.  Wipes the key.  STATUS_INVALID_HANDLE if `h` is not
 * a Sample credential.
 */
NTSTATUS NTAPI sample_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle)
{
    struct sample_credential *cred = sample_credential_from_handle(CredentialHandle);

    if (cred == NULL)
        return STATUS_INVALID_HANDLE;
    crypto_wipe(cred, sizeof *cred);
    free(cred);
    return STATUS_SUCCESS;
}

/*
 * SpQueryCredentialsAttributes.  SECPKG_CRED_ATTR_NAMES gives
 * "DOMAIN\user" (or "user") in a string allocated with AllocateLsaHeap,
 * which the caller frees with FreeContextBuffer.  Other attributes:
 * SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                   ULONG CredentialAttribute, PVOID Buffer)
{
    struct sample_credential *cred = sample_credential_from_handle(CredentialHandle);
    SecPkgCredentials_NamesW *names = Buffer;
    char16_t *s;
    size_t n = 0;

    if (cred == NULL)
        return STATUS_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (Buffer == NULL)
        return STATUS_INVALID_PARAMETER;

    s = sample_lsa->AllocateLsaHeap(
        (ULONG)((cred->domain_len + 1u + cred->user_len + 1u) * sizeof(char16_t)));
    if (s == NULL)
        return STATUS_NO_MEMORY;
    if (cred->domain_len > 0) {
        memcpy(s, cred->domain, cred->domain_len * sizeof(char16_t));
        n = cred->domain_len;
        s[n++] = u'\\';
    }
    memcpy(s + n, cred->user, cred->user_len * sizeof(char16_t));
    s[n + cred->user_len] = 0;
    names->sUserName = s;
    return STATUS_SUCCESS;
}
