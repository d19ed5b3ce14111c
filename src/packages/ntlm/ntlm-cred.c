/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-cred.c - NTLM credentials: SpAcquireCredentialsHandle takes the
 * identity through the kit's parser (pkg-identity.h) or the configured
 * default identity, keeps only the user, domain and password hashes (the
 * clear-text password is never stored), and SpQueryCredentialsAttributes
 * reports the name.  Contexts keep their own copy of the identity, so the
 * kit frees a credential (ntlm_cred_class) at once.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "packages/ntlm/ntlm-pkg.h"

static void cred_destroy(void *object)
{
    ntlm_identity_clear(&((struct ntlm_cred *)object)->id);
}

const struct pkg_class ntlm_cred_class = {
    .magic = 0x4e4c4352u, /* "NLCR" */
    .size = sizeof(struct ntlm_cred),
    .destroy = cred_destroy,
};

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

/* A parsed identity's field as a UTF-16LE byte string ("" when absent). */
static bool take_field(const struct sspi_identity_str *f, struct ntlm_buf *out)
{
    out->data = sspi_utf16_to_le(f->s, f->s != NULL ? f->len : 0, &out->len);
    return out->data != NULL;
}

/* Fill `id` from a parsed identity ("DOMAIN\user" and "user@domain"
 * already split): names as UTF-16LE, the password only as its hashes. */
static SECURITY_STATUS identity_from_parsed(const struct pkg_identity *pid,
                                            struct ntlm_identity *id)
{
    struct ntlm_buf pw = {0};
    bool ok;

    memset(id, 0, sizeof(*id));
    ok = take_field(&pid->id.user, &id->user) && take_field(&pid->id.domain, &id->domain) &&
         take_field(&pid->id.password, &pw);
    if (ok && !pid->anonymous) {
        ntlm_ntowfv1(pw.data, pw.len, id->nt_hash);
        ntlm_lmowfv1(pw.data, pw.len, id->lm_hash);
        id->has_lm = true;
    }
    ntlm_buf_free_secret(&pw);
    if (!ok) {
        ntlm_identity_clear(id);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    id->anonymous = pid->anonymous;
    id->present = true;
    return SEC_E_OK;
}

/* The identity of option.default_user/_domain/_password, parsed like any
 * caller's (an ANSI identity: the A strings are UTF-8). */
static SECURITY_STATUS identity_from_options(const struct ntlm_options *o, struct ntlm_identity *id)
{
    const char *d = o->default_domain ? o->default_domain : "";
    const char *p = o->default_password ? o->default_password : "";
    SEC_WINNT_AUTH_IDENTITY_A a = {
        .User = (unsigned char *)o->default_user,
        .UserLength = (ULONG)strlen(o->default_user),
        .Domain = (unsigned char *)d,
        .DomainLength = (ULONG)strlen(d),
        .Password = (unsigned char *)p,
        .PasswordLength = (ULONG)strlen(p),
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    struct pkg_identity pid;
    SECURITY_STATUS st = pkg_identity_parse(&a, true, &pid);

    /* A default that names nobody, or does not parse, is no default. */
    if (st == SEC_E_OK && pid.given && !pid.anonymous)
        st = identity_from_parsed(&pid, id);
    else if (st != SEC_E_INSUFFICIENT_MEMORY)
        st = SEC_E_NO_CREDENTIALS;
    pkg_identity_clear(&pid);
    return st;
}

/* See ntlm-pkg.h. */
SECURITY_STATUS ntlm_identity_default(const struct ntlm_options *o, struct ntlm_identity *id)
{
    memset(id, 0, sizeof(*id));
    if (o->default_user)
        return identity_from_options(o, id);
    if (o->user_file) {
        int rc = ntlm_userfile_first(o->user_file, &id->user, &id->domain, id->nt_hash, id->lm_hash,
                                     &id->has_lm);
        if (rc == 1) {
            id->present = true;
            return SEC_E_OK;
        }
    }
    return SEC_E_NO_CREDENTIALS;
}

/* See ntlm-pkg.h. */
struct ntlm_cred *ntlm_cred_from_handle(LSA_SEC_HANDLE h)
{
    return pkg_object_from_handle(&ntlm_cred_class, h, PKG_SIDE_LSA);
}

/* The default identity for an outbound credential acquired without one;
 * an inbound+outbound credential without a default is an acceptor only. */
static SECURITY_STATUS cred_default(struct ntlm_cred *c)
{
    struct ntlm_options o;
    SECURITY_STATUS st;

    if (!(c->use & SECPKG_CRED_OUTBOUND))
        return SEC_E_OK;
    if (!ntlm_options_get(&o))
        return SEC_E_INSUFFICIENT_MEMORY;
    st = ntlm_identity_default(&o, &c->id);
    ntlm_options_free(&o);
    if (st == SEC_E_NO_CREDENTIALS && (c->use & SECPKG_CRED_INBOUND))
        st = SEC_E_OK;
    return st;
}

/*
 * SpAcquireCredentialsHandle.  AuthorizationData: NULL or an identity with
 * no strings (default identity for outbound use), or any
 * SEC_WINNT_AUTH_IDENTITY form; all-empty strings ask for an anonymous
 * (NULL session) identity.  Returns SEC_E_NO_CREDENTIALS for
 * outbound-only use without any identity, SEC_E_UNKNOWN_CREDENTIALS when
 * neither inbound nor outbound use is asked for, the parser's status for a
 * malformed identity (SEC_E_INVALID_PARAMETER, SEC_E_UNSUPPORTED_FUNCTION).
 */
NTSTATUS NTAPI ntlm_sp_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                  ULONG CredentialUseFlags, PLUID LogonId,
                                                  PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                  PVOID GetKeyArgument,
                                                  PLSA_SEC_HANDLE CredentialHandle,
                                                  PTimeStamp ExpirationTime)
{
    struct ntlm_cred *c;
    struct pkg_identity pid;
    SECURITY_STATUS st;

    (void)PrincipalName;
    (void)LogonId;
    (void)GetKeyFunciton;
    (void)GetKeyArgument;
    if (!CredentialHandle)
        return STATUS_INVALID_PARAMETER;
    if (!pkg_credential_use(CredentialUseFlags))
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = pkg_object_new(&ntlm_cred_class, PKG_SIDE_LSA);
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->use = pkg_credential_use(CredentialUseFlags);
    st = pkg_identity_parse(AuthorizationData, true, &pid);
    if (st == SEC_E_OK)
        st = pid.given ? identity_from_parsed(&pid, &c->id) : cred_default(c);
    pkg_identity_clear(&pid);
    if (st != SEC_E_OK) {
        pkg_object_discard(c);
        return st;
    }
    if (ExpirationTime)
        ExpirationTime->QuadPart = PKG_NEVER;
    *CredentialHandle = pkg_object_handle(c);
    return STATUS_SUCCESS;
}

/* SpQueryCredentialsAttributes: SECPKG_CRED_ATTR_NAMES gives "DOMAIN\user"
 * in LSA heap memory (the caller frees it with FreeContextBuffer). */
NTSTATUS NTAPI ntlm_sp_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                    ULONG CredentialAttribute, PVOID Buffer)
{
    struct ntlm_cred *c = ntlm_cred_from_handle(CredentialHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!c->id.present || c->id.anonymous)
        return Buffer ? SEC_E_NO_CREDENTIALS : STATUS_INVALID_PARAMETER;
    return pkg_cred_names(ntlm_str16(&c->id.domain), ntlm_str16(&c->id.user), Buffer);
}
