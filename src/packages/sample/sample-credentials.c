/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-credentials.c - Sample credential handles.
 *
 * A credential is a user name, a domain and a password, from any
 * SEC_WINNT_AUTH_IDENTITY form the kit's parser knows (pkg-identity.h).
 * The password is the pre-shared key: it is turned into a 32-byte key at
 * once and never stored.  The kit frees credentials (SpFreeCredentialsHandle
 * through sample_credential_class), wiping the key with the object.  The same user name and
 * password must be given to the client's outbound credential and the server's inbound one.
 */
#include <string.h>

#include "packages/sample/sample.h"

static const char sample_password_label[] = "libsspi-sample password key";

const struct pkg_class sample_credential_class = {
    .magic = 0x53435244u, /* "SCRD" */
    .size = sizeof(struct sample_credential),
};

/* Copy a name, refusing embedded NULs and names over SAMPLE_MAX_NAME. */
static bool sample_copy_name(struct sample_name *dst, const struct sspi_identity_str *src)
{
    if (src->len > SAMPLE_MAX_NAME)
        return false;
    for (size_t i = 0; i < src->len; i++) {
        if (src->s[i] == 0)
            return false;
        dst->s[i] = src->s[i];
    }
    dst->s[src->len] = 0;
    dst->len = (uint16_t)src->len;
    return true;
}

/* key = HMAC-SHA256(label, UTF-16LE password bytes).  Fed in small chunks
 * so the password needs no second copy; the chunk is wiped. */
static void sample_derive_key(const struct sspi_identity_str *password,
                              uint8_t key[SAMPLE_KEY_SIZE])
{
    crypto_hmac_sha256_key k;
    crypto_hmac_sha256_ctx c;
    uint8_t chunk[64];

    crypto_hmac_sha256_set_key(&k, sample_password_label, sizeof sample_password_label - 1);
    crypto_hmac_sha256_begin(&c, &k);
    for (size_t i = 0; i < password->len;) {
        size_t n = 0;
        for (; n < sizeof chunk && i < password->len; n += 2, i++)
            pkg_put_le16(chunk + n, password->s[i]);
        crypto_hmac_sha256_update(&c, chunk, n);
    }
    crypto_hmac_sha256_final(&c, key);
    crypto_wipe(chunk, sizeof chunk);
    crypto_wipe(&k, sizeof k);
}

/*
 * SpAcquireCredentialsHandle.  AuthorizationData must name a user (Sample
 * has no default credentials); PrincipalName, LogonId and the GetKey
 * arguments are ignored.  Returns STATUS_SUCCESS with a new handle,
 * SEC_E_NO_CREDENTIALS without an identity or user name,
 * SEC_E_UNKNOWN_CREDENTIALS for names too long or with NULs, the parser's
 * status for a malformed identity (SEC_E_INVALID_PARAMETER, ...),
 * SEC_E_UNSUPPORTED_FUNCTION if neither SECPKG_CRED_INBOUND nor
 * SECPKG_CRED_OUTBOUND is asked for (other bits are ignored),
 * STATUS_NO_MEMORY.
 */
NTSTATUS NTAPI sample_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                 ULONG CredentialUseFlags, PLUID LogonId,
                                                 PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                 PVOID GetKeyArgument,
                                                 PLSA_SEC_HANDLE CredentialHandle,
                                                 PTimeStamp ExpirationTime)
{
    struct sample_credential *cred = NULL;
    struct pkg_identity id;
    uint32_t use = pkg_credential_use(CredentialUseFlags);
    NTSTATUS status;

    if (CredentialHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    if (use == 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    status = pkg_identity_parse(AuthorizationData, false, &id);
    if (status != SEC_E_OK)
        goto out;
    if (!id.given || id.id.user.len == 0) {
        status = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    cred = pkg_object_new(&sample_credential_class, PKG_SIDE_LSA);
    if (cred == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    if (!sample_copy_name(&cred->user, &id.id.user) ||
        !sample_copy_name(&cred->domain, &id.id.domain)) {
        status = SEC_E_UNKNOWN_CREDENTIALS;
        goto out;
    }
    cred->use = use;
    sample_derive_key(&id.id.password, cred->key);

    *CredentialHandle = pkg_object_handle(cred);
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = PKG_NEVER;
    cred = NULL;
    status = STATUS_SUCCESS;
out:
    pkg_object_discard(cred);
    pkg_identity_clear(&id);
    return status;
}

/*
 * SpQueryCredentialsAttributes.  SECPKG_CRED_ATTR_NAMES gives
 * "DOMAIN\user" (or "user") from AllocateLsaHeap, freed by the caller
 * with FreeContextBuffer.  Other attributes: SEC_E_UNSUPPORTED_FUNCTION.
 */
NTSTATUS NTAPI sample_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                   ULONG CredentialAttribute, PVOID Buffer)
{
    struct sample_credential *cred =
        pkg_object_from_handle(&sample_credential_class, CredentialHandle, PKG_SIDE_LSA);

    if (cred == NULL)
        return STATUS_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return pkg_cred_names((struct pkg_str16){cred->domain.s, cred->domain.len},
                          (struct pkg_str16){cred->user.s, cred->user.len}, Buffer);
}
