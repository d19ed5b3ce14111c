/*
 * ntlm-cred.c - NTLM credentials: SpAcquireCredentialsHandle parses an
 * identity with the shared parser (common/identity.h: the EXW the core
 * built, or the caller's own SEC_WINNT_AUTH_IDENTITY_W/_A) or takes the
 * configured default identity, keeps only the user, domain and password
 * hashes (the clear-text password is never stored), and
 * SpQueryCredentialsAttributes reports the name.
 */
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "packages/ntlm/ntlm-pkg.h"

/* See ntlm-pkg.h. */
void ntlm_identity_clear(struct ntlm_identity *id)
{
    ntlm_buf_free(&id->user);
    ntlm_buf_free(&id->domain);
    crypto_wipe(id, sizeof(*id));
}

/* See ntlm-pkg.h. */
bool ntlm_identity_copy(struct ntlm_identity *dst, const struct ntlm_identity *src)
{
    *dst = *src;
    dst->user.data = dst->domain.data = NULL;
    if (!ntlm_buf_dup(&dst->user, src->user.data, src->user.len) ||
        !ntlm_buf_dup(&dst->domain, src->domain.data, src->domain.len)) {
        ntlm_identity_clear(dst);
        return false;
    }
    return true;
}

/* Split "DOMAIN\user" or "user@domain" (UTF-16LE) when no domain was given. */
static bool split_user(struct ntlm_identity *id)
{
    if (id->domain.len)
        return true;
    for (size_t i = 0; i + 1 < id->user.len; i += 2) {
        uint16_t c = ntlm_get16(id->user.data + i);
        struct ntlm_buf u, d;

        if (c != '\\' && c != '@')
            continue;
        if (c == '\\') {
            if (!ntlm_buf_dup(&d, id->user.data, i) ||
                !ntlm_buf_dup(&u, id->user.data + i + 2, id->user.len - i - 2))
                goto oom;
        } else {
            if (!ntlm_buf_dup(&u, id->user.data, i) ||
                !ntlm_buf_dup(&d, id->user.data + i + 2, id->user.len - i - 2))
                goto oom;
        }
        ntlm_buf_free(&id->user);
        ntlm_buf_free(&id->domain);
        id->user = u;
        id->domain = d;
        return true;
oom:
        return false;
    }
    return true;
}

/* UTF-16 units or UTF-8 bytes (ansi) to UTF-16LE. */
static bool take_string(const void *p, uint32_t len, bool ansi, struct ntlm_buf *out)
{
    if (!p || !len)
        return ntlm_buf_dup(out, "", 0);
    if (ansi)
        return ntlm_utf8_to_utf16le(p, len, out);
    if (len > 0x7fffffffu / 2)
        return false;
    out->data = malloc((size_t)len * 2 + 2);
    if (!out->data)
        return false;
    out->len = (size_t)len * 2;
    for (uint32_t i = 0; i < len; i++)
        ntlm_put16(out->data + 2 * i, ((const uint16_t *)p)[i]);
    out->data[out->len] = out->data[out->len + 1] = 0;
    return true;
}

/* Fill `id` from user/domain/password; computes the hashes. */
static SECURITY_STATUS identity_from_parts(struct ntlm_identity *id, const void *user,
                                           uint32_t ulen, const void *dom, uint32_t dlen,
                                           const void *pw, uint32_t plen, bool ansi)
{
    struct ntlm_buf pw16 = { 0 };

    memset(id, 0, sizeof(*id));
    if (!take_string(user, ulen, ansi, &id->user) || !take_string(dom, dlen, ansi, &id->domain) ||
        !take_string(pw, plen, ansi, &pw16)) {
        ntlm_buf_free_secret(&pw16);
        ntlm_identity_clear(id);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (id->user.len == 0 && id->domain.len == 0 && pw16.len == 0) {
        id->anonymous = true;
    } else {
        if (!split_user(id)) {
            ntlm_buf_free_secret(&pw16);
            ntlm_identity_clear(id);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        ntlm_ntowfv1(pw16.data, pw16.len, id->nt_hash);
        ntlm_lmowfv1(pw16.data, pw16.len, id->lm_hash);
        id->has_lm = true;
    }
    id->present = true;
    ntlm_buf_free_secret(&pw16);
    return SEC_E_OK;
}

/* See ntlm-pkg.h. */
SECURITY_STATUS ntlm_identity_default(const struct ntlm_options *o, struct ntlm_identity *id)
{
    memset(id, 0, sizeof(*id));
    if (o->default_user) {
        const char *d = o->default_domain ? o->default_domain : "";
        const char *p = o->default_password ? o->default_password : "";
        SECURITY_STATUS st = identity_from_parts(id, o->default_user,
                                                 (uint32_t)strlen(o->default_user), d,
                                                 (uint32_t)strlen(d), p, (uint32_t)strlen(p),
                                                 true);
        if (st == SEC_E_OK && id->anonymous) {
            ntlm_identity_clear(id);
            return SEC_E_NO_CREDENTIALS;
        }
        return st;
    }
    if (o->user_file) {
        int rc = ntlm_userfile_first(o->user_file, &id->user, &id->domain, id->nt_hash,
                                     id->lm_hash, &id->has_lm);
        if (rc == 1) {
            id->present = true;
            return SEC_E_OK;
        }
    }
    return SEC_E_NO_CREDENTIALS;
}

/* Caller memory is read through LSA's CopyFromClientBuffer, which fails
 * instead of faulting on memory that cannot be read (plain copies when
 * driven without a host, as the package's own tests do). */
static bool ntlm_client_read(void *dst, const void *src, size_t len)
{
    if (ntlm_lsa == NULL || ntlm_lsa->CopyFromClientBuffer == NULL) {
        memcpy(dst, src, len);
        return true;
    }
    return len <= UINT32_MAX &&
           ntlm_lsa->CopyFromClientBuffer(NULL, (ULONG)len, dst, (PVOID)src) == STATUS_SUCCESS;
}

static const struct sspi_identity_source ntlm_identity_source = {SIZE_MAX, ntlm_client_read,
                                                                 NULL};

/* See ntlm-pkg.h. */
struct ntlm_cred *ntlm_cred_from_handle(LSA_SEC_HANDLE h)
{
    struct ntlm_cred *c = (struct ntlm_cred *)h;

    if (!c || c->magic != NTLM_CRED_MAGIC)
        return NULL;
    return c;
}

/*
 * SpAcquireCredentialsHandle.  AuthorizationData: NULL or an identity with
 * no strings (default identity for outbound use), or any identity the
 * shared parser reads (SEC_WINNT_AUTH_IDENTITY_W/_A as the caller gave it,
 * the EXW the core built from an EX/EX2); all-empty strings ask for an
 * anonymous (NULL session) identity.  Returns SEC_E_NO_CREDENTIALS for
 * outbound-only use without any identity, the parser's status
 * (SEC_E_INVALID_PARAMETER, ...) for a malformed identity.
 */
NTSTATUS NTAPI ntlm_sp_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                  ULONG CredentialUseFlags, PLUID LogonId,
                                                  PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                  PVOID GetKeyArgument,
                                                  PLSA_SEC_HANDLE CredentialHandle,
                                                  PTimeStamp ExpirationTime)
{
    struct ntlm_cred *c = NULL;
    struct ntlm_options o = { 0 };
    SECURITY_STATUS st = SEC_E_OK;
    bool have_opts = false;

    (void)PrincipalName;
    (void)LogonId;
    (void)GetKeyFunciton;
    (void)GetKeyArgument;
    if (!CredentialHandle)
        return STATUS_INVALID_PARAMETER;
    if (!(CredentialUseFlags & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND)))
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->magic = NTLM_CRED_MAGIC;
    c->use = CredentialUseFlags & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND);

    if (AuthorizationData) {
        struct sspi_identity id;

        st = sspi_identity_parse_from(AuthorizationData, &ntlm_identity_source, &id);
        if (st == SEC_E_OK && sspi_identity_is_empty(&id)) {
            sspi_identity_clear(&id);
            goto use_default;
        }
        if (st == SEC_E_OK)
            st = identity_from_parts(&c->id, id.user.s, (uint32_t)id.user.len, id.domain.s,
                                     (uint32_t)id.domain.len, id.password.s,
                                     (uint32_t)id.password.len, false);
        sspi_identity_clear(&id);
        if (st != SEC_E_OK)
            goto out;
        goto done;
    }
use_default:
    if (c->use & SECPKG_CRED_OUTBOUND) {
        if (!ntlm_options_get(&o)) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
        have_opts = true;
        st = ntlm_identity_default(&o, &c->id);
        if (st == SEC_E_NO_CREDENTIALS && (c->use & SECPKG_CRED_INBOUND))
            st = SEC_E_OK;                 /* usable as an acceptor only */
        if (st != SEC_E_OK)
            goto out;
    }
done:
    if (ExpirationTime)
        ExpirationTime->QuadPart = NTLM_NEVER_EXPIRES;
    *CredentialHandle = (LSA_SEC_HANDLE)c;
    c = NULL;
out:
    if (have_opts)
        ntlm_options_free(&o);
    if (c) {
        ntlm_identity_clear(&c->id);
        free(c);
    }
    return st;
}

/* SpFreeCredentialsHandle: contexts keep their own copy of the identity,
 * so freeing is immediate. */
NTSTATUS NTAPI ntlm_sp_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle)
{
    struct ntlm_cred *c = ntlm_cred_from_handle(CredentialHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    ntlm_identity_clear(&c->id);
    c->magic = NTLM_DEAD_MAGIC;
    free(c);
    return STATUS_SUCCESS;
}

/* SpQueryCredentialsAttributes: SECPKG_CRED_ATTR_NAMES gives "DOMAIN\user"
 * in LSA heap memory (the caller frees it with FreeContextBuffer). */
NTSTATUS NTAPI ntlm_sp_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                    ULONG CredentialAttribute, PVOID Buffer)
{
    struct ntlm_cred *c = ntlm_cred_from_handle(CredentialHandle);
    SecPkgCredentials_NamesW *n = Buffer;
    size_t len;
    uint8_t *p;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!Buffer)
        return STATUS_INVALID_PARAMETER;
    if (!c->id.present || c->id.anonymous)
        return SEC_E_NO_CREDENTIALS;
    len = c->id.domain.len + (c->id.domain.len ? 2 : 0) + c->id.user.len;
    p = ntlm_lsa->AllocateLsaHeap((ULONG)len + 2);
    if (!p)
        return SEC_E_INSUFFICIENT_MEMORY;
    {
        size_t o = 0;
        if (c->id.domain.len) {
            memcpy(p, c->id.domain.data, c->id.domain.len);
            o = c->id.domain.len;
            ntlm_put16(p + o, '\\');
            o += 2;
        }
        memcpy(p + o, c->id.user.data, c->id.user.len);
        o += c->id.user.len;
        p[o] = p[o + 1] = 0;
    }
    n->sUserName = (SEC_WCHAR *)p;
    return STATUS_SUCCESS;
}
