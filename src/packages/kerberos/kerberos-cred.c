/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-cred.c - Kerberos credential handles.
 *
 * OUTBOUND: the default ccache (KRB5CCNAME), a named principal's ccache in
 * the collection, a credential delegated to this process's acceptor (found
 * by the client's principal), or an identity with a password.  A password
 * is kept until the first InitializeSecurityContext, as on Windows, and
 * then turned into tickets (krb5_get_init_creds_password, so the KDC's
 * answer maps to a precise status) kept in a MEMORY ccache of the
 * credential's own, destroyed with it: the user's ccache is never touched.
 * Initiator credentials are marked GSS_KRB5_CRED_NO_CI_FLAGS_X so that a
 * context asks for confidentiality only when the caller does.
 * INBOUND: the keytab (option.keytab, else KRB5_KTNAME or the default),
 * any principal in it or the one named.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <krb5/krb5.h>

#include "common/identity.h"
#include "common/utf16.h"
#include "packages/kerberos/kerberos.h"

static void cred_handle_destroy(void *object)
{
    krb_cred_unref(((struct krb_cred_handle *)object)->cred);
}

static const struct pkg_class krb_cred_class = {
    0x4B435244u /* "KCRD" */, sizeof(struct krb_cred_handle), cred_handle_destroy};

struct krb_cred *krb_cred_from_handle(LSA_SEC_HANDLE h)
{
    struct krb_cred_handle *ch = pkg_object_from_handle(&krb_cred_class, h, PKG_SIDE_LSA);
    return ch != NULL ? ch->cred : NULL;
}

void krb_cred_ref(struct krb_cred *c)
{
    atomic_fetch_add(&c->refs, 1);
}

void krb_cred_unref(struct krb_cred *c)
{
    OM_uint32 minor;

    if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    if (c->initiate != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->initiate);
    if (c->accept != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->accept);
    if (c->password != NULL) {
        explicit_bzero(c->password, c->password_len);
        free(c->password);
    }
    if (c->ccache != NULL)
        krb5_cc_destroy(c->kctx, c->ccache);
    if (c->kctx != NULL)
        krb5_free_context(c->kctx);
    free(c->principal);
    pthread_mutex_destroy(&c->lock);
    explicit_bzero(c, sizeof(*c));
    free(c);
}

static gss_OID_set_desc krb_mechs = {
    1, (gss_OID) & (const gss_OID_desc){9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"}};

static void no_ci_flags(gss_cred_id_t *cred)
{
    OM_uint32 minor;
    gss_buffer_desc empty = GSS_C_EMPTY_BUFFER;

    (void)gss_set_cred_option(&minor, cred, (gss_OID)GSS_KRB5_CRED_NO_CI_FLAGS_X, &empty);
}

static int64_t expiry_from(OM_uint32 seconds)
{
    if (seconds == GSS_C_INDEFINITE)
        return INT64_MAX;
    return krb_now() + (int64_t)seconds * 10000000;
}

/* ---- delegated credentials --------------------------------------------- */

struct deleg {
    struct deleg *next;
    char *principal;
    char ccache[64];
};

static pthread_mutex_t deleg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct deleg *deleg_list;
static _Atomic uint64_t deleg_serial;

void *krb_delegation_keep(gss_cred_id_t deleg, const char *principal)
{
    struct deleg *d = calloc(1, sizeof(*d));
    OM_uint32 major, minor;
    gss_key_value_element_desc kv;
    gss_key_value_set_desc store = {1, &kv};

    if (d == NULL || principal == NULL || (d->principal = strdup(principal)) == NULL) {
        free(d);
        return NULL;
    }
    snprintf(d->ccache, sizeof(d->ccache), "MEMORY:libsspi-deleg-%ld-%llu", (long)getpid(),
             (unsigned long long)atomic_fetch_add(&deleg_serial, 1));
    kv.key = "ccache";
    kv.value = d->ccache;
    major = gss_store_cred_into(&minor, deleg, GSS_C_INITIATE, (gss_OID)gss_mech_krb5, 1, 0, &store,
                                NULL, NULL);
    if (GSS_ERROR(major)) {
        krb_status_from_gss(KRB_OP_ACCEPT, "gss_store_cred_into", major, minor);
        free(d->principal);
        free(d);
        return NULL;
    }
    pthread_mutex_lock(&deleg_lock);
    d->next = deleg_list;
    deleg_list = d;
    pthread_mutex_unlock(&deleg_lock);
    krb_trace("delegated credential of %s kept in %s", principal, d->ccache);
    return d;
}

void krb_delegation_drop(void *token)
{
    struct deleg *d = token, **pp;
    krb5_context k;
    krb5_ccache cc;

    if (d == NULL)
        return;
    pthread_mutex_lock(&deleg_lock);
    for (pp = &deleg_list; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == d) {
            *pp = d->next;
            break;
        }
    }
    pthread_mutex_unlock(&deleg_lock);
    if (krb5_init_context(&k) == 0) {
        if (krb5_cc_resolve(k, d->ccache, &cc) == 0)
            krb5_cc_destroy(k, cc);
        krb5_free_context(k);
    }
    free(d->principal);
    free(d);
}

/* True if `want` names `have` (a full principal, or its part before '@'). */
static bool principal_matches(const char *have, const char *want)
{
    size_t n = strlen(want);
    return strcmp(have, want) == 0 ||
           (strchr(want, '@') == NULL && strncmp(have, want, n) == 0 && have[n] == '@');
}

static bool delegated_ccache(const char *principal, char *out, size_t cap)
{
    bool found = false;

    pthread_mutex_lock(&deleg_lock);
    for (struct deleg *d = deleg_list; d != NULL; d = d->next) {
        if (principal_matches(d->principal, principal)) {
            snprintf(out, cap, "%s", d->ccache);
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&deleg_lock);
    return found;
}

/* ---- acquiring ---------------------------------------------------------- */

static SECURITY_STATUS acquire_outbound(struct krb_cred *c, OM_uint32 *time_rec)
{
    OM_uint32 major, minor;
    gss_name_t name = GSS_C_NO_NAME;
    char ccache[64];

    if (c->password != NULL)
        return SEC_E_OK; /* tickets come with the first use */
    if (c->principal != NULL && delegated_ccache(c->principal, ccache, sizeof(ccache))) {
        gss_key_value_element_desc kv = {"ccache", ccache};
        gss_key_value_set_desc store = {1, &kv};

        major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb_mechs,
                                      GSS_C_INITIATE, &store, &c->initiate, NULL, time_rec);
        if (GSS_ERROR(major))
            return krb_status_from_gss(KRB_OP_ACQUIRE, "gss_acquire_cred_from(delegated)", major,
                                       minor);
        no_ci_flags(&c->initiate);
        return SEC_E_OK;
    }
    if (c->principal != NULL) {
        major = krb_import_principal(c->principal, &name, &minor);
        if (GSS_ERROR(major))
            return krb_status_from_gss(KRB_OP_ACQUIRE, "gss_import_name", major, minor);
    }
    major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &krb_mechs, GSS_C_INITIATE,
                             &c->initiate, NULL, time_rec);
    if (name != GSS_C_NO_NAME)
        gss_release_name(&minor, &name);
    if (GSS_ERROR(major)) {
        SECURITY_STATUS st =
            krb_status_from_gss(KRB_OP_ACQUIRE, "gss_acquire_cred(initiate)", major, minor);
        return st == SEC_E_LOGON_DENIED ? st : SEC_E_NO_CREDENTIALS;
    }
    no_ci_flags(&c->initiate);
    return SEC_E_OK;
}

static SECURITY_STATUS acquire_inbound(struct krb_cred *c, const char *service, OM_uint32 *time_rec)
{
    OM_uint32 major, minor;
    gss_name_t name = GSS_C_NO_NAME;
    char *keytab = krb_option_keytab();

    if (service != NULL) {
        major = krb_import_target(service, &name, &minor);
        if (GSS_ERROR(major))
            return krb_status_from_gss(KRB_OP_ACQUIRE, "gss_import_name", major, minor);
    }
    if (keytab != NULL) {
        gss_key_value_element_desc kv = {"keytab", keytab};
        gss_key_value_set_desc store = {1, &kv};

        major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, &krb_mechs, GSS_C_ACCEPT,
                                      &store, &c->accept, NULL, time_rec);
    } else {
        major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &krb_mechs, GSS_C_ACCEPT,
                                 &c->accept, NULL, time_rec);
    }
    free(keytab);
    if (name != GSS_C_NO_NAME)
        gss_release_name(&minor, &name);
    if (GSS_ERROR(major)) {
        krb_status_from_gss(KRB_OP_ACQUIRE, "gss_acquire_cred(accept)", major, minor);
        return SEC_E_NO_CREDENTIALS;
    }
    return SEC_E_OK;
}

/* Initial tickets for c->principal with c->password into a new MEMORY
 * ccache of the credential's own, then a GSS credential on it. */
static SECURITY_STATUS tickets_from_password(struct krb_cred *c)
{
    krb5_context k = NULL;
    krb5_principal p = NULL;
    krb5_ccache cc = NULL;
    krb5_creds creds;
    krb5_error_code ret;
    SECURITY_STATUS st = SEC_E_OK;
    OM_uint32 major, minor, t = 0;
    char name[128];

    memset(&creds, 0, sizeof(creds));
    if ((ret = krb5_init_context(&k)) != 0)
        return SEC_E_INTERNAL_ERROR;
    ret = krb5_parse_name(k, c->principal, &p);
    if (ret == 0)
        ret = krb5_get_init_creds_password(k, &creds, p, c->password, NULL, NULL, 0, NULL, NULL);
    if (ret != 0) {
        st = krb_status_from_krb5(KRB_OP_INIT, "krb5_get_init_creds_password", k, ret);
        goto out;
    }
    ret = krb5_cc_new_unique(k, "MEMORY", NULL, &cc);
    if (ret == 0)
        ret = krb5_cc_initialize(k, cc, p);
    if (ret == 0)
        ret = krb5_cc_store_cred(k, cc, &creds);
    if (ret != 0) {
        st = krb_status_from_krb5(KRB_OP_ACQUIRE, "MEMORY ccache", k, ret);
        goto out;
    }
    snprintf(name, sizeof(name), "MEMORY:%s", krb5_cc_get_name(k, cc));
    gss_key_value_element_desc kv = {"ccache", name};
    gss_key_value_set_desc store = {1, &kv};
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb_mechs,
                                  GSS_C_INITIATE, &store, &c->initiate, NULL, &t);
    if (GSS_ERROR(major)) {
        st = krb_status_from_gss(KRB_OP_ACQUIRE, "gss_acquire_cred_from(password)", major, minor);
        goto out;
    }
    no_ci_flags(&c->initiate);
    c->expiry = expiry_from(t);
    c->kctx = k;
    c->ccache = cc;
    k = NULL;
    cc = NULL;
out:
    krb5_free_cred_contents(k != NULL ? k : c->kctx, &creds);
    if (p != NULL)
        krb5_free_principal(k != NULL ? k : c->kctx, p);
    if (cc != NULL)
        krb5_cc_destroy(k, cc);
    if (k != NULL)
        krb5_free_context(k);
    return st;
}

SECURITY_STATUS krb_cred_initiator(struct krb_cred *c, gss_cred_id_t *out)
{
    SECURITY_STATUS st = SEC_E_OK;

    if (!(c->use & SECPKG_CRED_OUTBOUND))
        return SEC_E_NO_CREDENTIALS;
    pthread_mutex_lock(&c->lock);
    if (c->initiate == GSS_C_NO_CREDENTIAL && c->password != NULL) {
        st = tickets_from_password(c);
        if (st == SEC_E_OK) {
            explicit_bzero(c->password, c->password_len);
            free(c->password);
            c->password = NULL;
        }
    }
    if (st == SEC_E_OK && c->initiate == GSS_C_NO_CREDENTIAL)
        st = SEC_E_NO_CREDENTIALS;
    *out = c->initiate;
    pthread_mutex_unlock(&c->lock);
    return st;
}

/* user@DOMAIN from an identity (the domain upper-cased as a realm); a user
 * that already holds '@' is a UPN and taken as it is. */
static char *identity_principal(const struct sspi_identity *id)
{
    char *user = NULL, *domain = NULL, *p = NULL;

    if (id->user.s == NULL || id->user.len == 0)
        return NULL;
    user = krb_utf8(id->user.s, id->user.len);
    if (user == NULL)
        return NULL;
    if (strchr(user, '@') != NULL || id->domain.s == NULL || id->domain.len == 0)
        return user;
    domain = krb_utf8(id->domain.s, id->domain.len);
    if (domain != NULL && asprintf(&p, "%s@%s", user, domain) < 0)
        p = NULL;
    if (p != NULL)
        for (char *q = strchr(p, '@') + 1; *q != '\0'; q++)
            if (*q >= 'a' && *q <= 'z')
                *q = (char)(*q - 'a' + 'A');
    free(user);
    free(domain);
    return p;
}

/* Fill c->principal / c->password from the principal argument and the
 * identity.  SSPI status. */
static SECURITY_STATUS read_names(struct krb_cred *c, PUNICODE_STRING principal, void *auth,
                                  char **service)
{
    struct pkg_identity pid;
    const struct sspi_identity *idp = &pid.id;
    SECURITY_STATUS st;
    char *pname = NULL;

    if (principal != NULL && principal->Buffer != NULL && principal->Length > 0) {
        pname = krb_utf8(principal->Buffer, principal->Length / 2);
        if (pname == NULL)
            return SEC_E_INVALID_PARAMETER;
    }
    st = pkg_identity_parse(auth, false, &pid);
    if (st != SEC_E_OK) {
        free(pname);
        pkg_identity_clear(&pid);
        return st;
    }
    if (pid.anonymous) {
        st = SEC_E_NO_CREDENTIALS;
    } else if (pid.given) {
        c->principal = identity_principal(idp);
        if (idp->password.s != NULL && c->principal != NULL && (c->use & SECPKG_CRED_OUTBOUND)) {
            size_t n;
            c->password = sspi_utf16_to_utf8(idp->password.s, idp->password.len, &n);
            c->password_len = c->password != NULL ? n : 0;
            if (c->password == NULL)
                st = SEC_E_INSUFFICIENT_MEMORY;
        }
        if (c->principal == NULL && idp->user.s != NULL && idp->user.len > 0)
            st = SEC_E_INSUFFICIENT_MEMORY;
    }
    pkg_identity_clear(&pid);
    if (st == SEC_E_OK && pname != NULL) {
        if (c->use & SECPKG_CRED_INBOUND) {
            *service = pname;
            pname = NULL;
        } else if (c->principal == NULL) {
            c->principal = pname;
            pname = NULL;
        }
    }
    free(pname);
    return st;
}

NTSTATUS NTAPI krb_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                              ULONG CredentialUseFlags, PLUID LogonId,
                                              PVOID AuthorizationData, PVOID GetKeyFunciton,
                                              PVOID GetKeyArgument,
                                              PLSA_SEC_HANDLE CredentialHandle,
                                              PTimeStamp ExpirationTime)
{
    struct krb_cred *c;
    struct krb_cred_handle *ch;
    char *service = NULL;
    OM_uint32 t_out = GSS_C_INDEFINITE, t_in = GSS_C_INDEFINITE;
    SECURITY_STATUS st;
    uint32_t use = pkg_credential_use(CredentialUseFlags);

    if (CredentialHandle == NULL)
        return SEC_E_INVALID_HANDLE;
    if (use == 0)
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    atomic_init(&c->refs, 1);
    c->use = use;
    c->initiate = c->accept = GSS_C_NO_CREDENTIAL;
    pthread_mutex_init(&c->lock, NULL);
    st = read_names(c, PrincipalName, AuthorizationData, &service);
    if (st == SEC_E_OK && (use & SECPKG_CRED_OUTBOUND))
        st = acquire_outbound(c, &t_out);
    if (st == SEC_E_OK && (use & SECPKG_CRED_INBOUND))
        st = acquire_inbound(c, service, &t_in);
    free(service);
    if (st != SEC_E_OK) {
        krb_cred_unref(c);
        return st;
    }
    c->expiry = expiry_from(t_out < t_in ? t_out : t_in);
    ch = pkg_object_new(&krb_cred_class, PKG_SIDE_LSA);
    if (ch == NULL) {
        krb_cred_unref(c);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    ch->cred = c;
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = c->expiry;
    *CredentialHandle = pkg_object_handle(ch);
    return SEC_E_OK;
}

NTSTATUS NTAPI krb_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle)
{
    return pkg_delete_side(&krb_cred_class, CredentialHandle, PKG_SIDE_LSA);
}

/* The principal a credential stands for (malloc), or NULL. */
static char *cred_name(struct krb_cred *c)
{
    OM_uint32 minor;
    gss_name_t name = GSS_C_NO_NAME;
    char *s = NULL;
    gss_cred_id_t g;

    pthread_mutex_lock(&c->lock);
    g = c->initiate != GSS_C_NO_CREDENTIAL ? c->initiate : c->accept;
    if (g != GSS_C_NO_CREDENTIAL &&
        gss_inquire_cred(&minor, g, &name, NULL, NULL, NULL) == GSS_S_COMPLETE) {
        s = krb_display_name(name);
        gss_release_name(&minor, &name);
    }
    pthread_mutex_unlock(&c->lock);
    if (s == NULL && c->principal != NULL)
        s = strdup(c->principal);
    return s;
}

NTSTATUS NTAPI krb_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                ULONG CredentialAttribute, PVOID Buffer)
{
    struct krb_cred *c = krb_cred_from_handle(CredentialHandle);
    char *name;

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (Buffer == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    name = cred_name(c);
    ((SecPkgCredentials_NamesW *)Buffer)->sUserName = krb_utf16_out(name != NULL ? name : "");
    free(name);
    return ((SecPkgCredentials_NamesW *)Buffer)->sUserName != NULL ? SEC_E_OK
                                                                   : SEC_E_INSUFFICIENT_MEMORY;
}
