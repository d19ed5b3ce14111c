/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-secext.c - GetUserNameExA/W and GetComputerObjectNameA/W (<secext.h>).
 *
 * Where the names come from:
 *   the calling thread's user: the client of the context it impersonates,
 *   else the process's effective user (its passwd entry; a name qualified
 *   by winbind or sssd, "DOMAIN\user" or "user@realm", keeps its parts);
 *   the domain: `domain =` of sspi.conf, else the first label of
 *   `realm =`, else the host name (a standalone machine's account domain);
 *   Kerberos: the principal of the default credential cache (the user
 *   principal name) and of the default keytab (the service principal
 *   name), when libsspi was built with MIT krb5.
 * A format with no source for it fails with ERROR_NONE_MAPPED, as Windows
 * answers for an account that is not in a domain.
 *
 * Sizes, as Windows documents them, in the function's characters (UTF-16
 * units for W, bytes of UTF-8 for A):
 *   GetUserNameEx: on success *nSize is the length without the NUL; when
 *   the buffer (or a NULL buffer) is too small, FALSE, ERROR_MORE_DATA and
 *   *nSize the size needed with the NUL, the buffer untouched.  (Windows
 *   reports the A size in UTF-16 units; with UTF-8 that can be too small,
 *   so the A form reports bytes, which is never less.)
 *   GetComputerObjectName: the same, but ERROR_INSUFFICIENT_BUFFER, and
 *   *nSize counts the NUL on success too.
 * Other errors: NULL nSize -> ERROR_INVALID_PARAMETER; GetUserNameEx with
 * NameUnknown -> ERROR_NO_SUCH_USER (as Windows); a value outside
 * EXTENDED_NAME_FORMAT -> ERROR_INVALID_PARAMETER; GetComputerObjectName
 * with NameUnknown -> ERROR_INVALID_PARAMETER, on a machine with neither a
 * domain nor a realm configured -> ERROR_CANT_ACCESS_DOMAIN_INFO.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/utf16.h"
#include "core/token.h"
#include "secext.h"

/* The names of one account, malloc()ed; NULL where there is none. */
struct names {
    char *sam;     /* DOMAIN\user */
    char *upn;     /* user@REALM */
    char *display; /* full name */
    char *spn;     /* service principal */
    char *dns;     /* dnsdomain\user */
};

static void names_free(struct names *n)
{
    free(n->sam);
    free(n->upn);
    free(n->display);
    free(n->spn);
    free(n->dns);
    memset(n, 0, sizeof(*n));
}

static char *lowered(const char *s)
{
    char *d = s != NULL ? strdup(s) : NULL;

    for (char *p = d; p != NULL && *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* a + sep + b + tail, malloc()ed; NULL if a or b is NULL. */
static char *join(const char *a, const char *sep, const char *b, const char *tail)
{
    char *s = NULL;

    if (a == NULL || b == NULL || asprintf(&s, "%s%s%s%s", a, sep, b, tail) < 0)
        return NULL;
    return s;
}

/* NetBIOS domain for a realm: ours when it is the configured realm, else
 * its first label upper-cased. */
static char *domain_of_realm(const char *realm)
{
    const char *mine = sspi_accounts()->realm;
    char *d;

    if (mine != NULL && strcasecmp(realm, mine) == 0)
        return sspi_machine_domain();
    d = strndup(realm, strcspn(realm, "."));
    for (char *p = d; p != NULL && *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    return d;
}

/* SamCompatible, UPN and DNS-domain names from a split name. */
static void names_from_parts(const struct sspi_name_parts *p, struct names *n)
{
    char *domain = p->domain != NULL  ? strdup(p->domain)
                   : p->realm != NULL ? domain_of_realm(p->realm)
                                      : sspi_machine_domain();
    char *realm = p->realm != NULL ? strdup(p->realm) : NULL;

    /* A name of this machine's domain is in the configured realm. */
    if (realm == NULL && (p->domain == NULL || sspi_domain_is_local(p->domain)))
        realm = sspi_machine_realm();
    n->sam = join(domain, "\\", p->user, "");
    if (realm != NULL) {
        char *dns = lowered(realm);

        n->upn = join(p->user, "@", realm, "");
        n->dns = join(dns, "\\", p->user, "");
        free(dns);
    }
    free(domain);
    free(realm);
}

/* The names of the calling thread's user. */
static bool thread_names(struct names *n)
{
    struct sspi_token *t = sspi_thread_token();
    struct sspi_local_account a;
    struct sspi_name_parts p;

    memset(n, 0, sizeof(*n));
    if (t != NULL) {
        names_from_parts(&t->parts, n);
        if (t->mapped && t->account.gecos[0] != '\0')
            n->display = strdup(t->account.gecos);
        sspi_token_unref(t);
        return n->sam != NULL;
    }
    if (!sspi_account_by_uid(geteuid(), &a))
        return false;
    if (sspi_name_split(a.name, &p)) {
        names_from_parts(&p, n);
        sspi_name_parts_free(&p);
    }
    if (a.gecos[0] != '\0')
        n->display = strdup(a.gecos);
    sspi_local_account_free(&a);
    {
        char *cc = sspi_krb5_ccache_principal();

        if (cc != NULL) {
            free(n->upn);
            n->upn = cc;
        }
    }
    n->spn = sspi_krb5_keytab_principal();
    return n->sam != NULL;
}

/* Copy `value` out by the sizing rules above. */
static BOOLEAN give(bool wide, bool computer, const char *value, void *buf, PULONG nSize)
{
    size_t n = 0;
    char16_t *w = NULL;

    if (wide && (w = sspi_utf8_to_utf16(value, SSPI_UTF16_NUL_TERMINATED, &n)) == NULL) {
        sspi_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (!wide)
        n = strlen(value);
    if (n + 1 > UINT32_MAX || buf == NULL || *nSize < n + 1) {
        *nSize = (ULONG)(n + 1);
        free(w);
        sspi_set_last_error(computer ? ERROR_INSUFFICIENT_BUFFER : ERROR_MORE_DATA);
        return FALSE;
    }
    if (wide)
        memcpy(buf, w, (n + 1) * sizeof(char16_t));
    else
        memcpy(buf, value, n + 1);
    free(w);
    *nSize = (ULONG)(computer ? n + 1 : n);
    return TRUE;
}

static bool known_format(EXTENDED_NAME_FORMAT f)
{
    switch (f) {
    case NameUnknown:
    case NameFullyQualifiedDN:
    case NameSamCompatible:
    case NameDisplay:
    case NameUniqueId:
    case NameCanonical:
    case NameUserPrincipal:
    case NameCanonicalEx:
    case NameServicePrincipal:
    case NameDnsDomain:
    case NameGivenName:
    case NameSurname:
        return true;
    default:
        return false;
    }
}

static const char *pick(const struct names *n, EXTENDED_NAME_FORMAT f)
{
    switch (f) {
    case NameSamCompatible:
        return n->sam;
    case NameUserPrincipal:
        return n->upn;
    case NameDisplay:
        return n->display;
    case NameServicePrincipal:
        return n->spn;
    case NameDnsDomain:
        return n->dns;
    default:
        return NULL;
    }
}

static BOOLEAN user_name_ex(bool wide, EXTENDED_NAME_FORMAT f, void *buf, PULONG nSize)
{
    struct names n;
    const char *v;
    BOOLEAN ok;

    sspi_registry_init();
    if (nSize == NULL || !known_format(f)) {
        sspi_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (f == NameUnknown) {
        sspi_set_last_error(ERROR_NO_SUCH_USER);
        return FALSE;
    }
    if (!thread_names(&n)) {
        names_free(&n);
        sspi_set_last_error(ERROR_NONE_MAPPED);
        return FALSE;
    }
    v = pick(&n, f);
    if (v == NULL) {
        sspi_set_last_error(ERROR_NONE_MAPPED);
        ok = FALSE;
    } else {
        ok = give(wide, false, v, buf, nSize);
    }
    names_free(&n);
    return ok;
}

/* GetUserNameExA: the calling thread's user in format NameFormat, UTF-8
 * (see the top of this file for sources, sizes and errors). */
BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    return user_name_ex(false, NameFormat, lpNameBuffer, nSize);
}

/* GetUserNameExW: as GetUserNameExA in UTF-16. */
BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    return user_name_ex(true, NameFormat, lpNameBuffer, nSize);
}

/* The computer account's name in format f, malloc()ed; NULL with the
 * error to report. */
static char *computer_name(EXTENDED_NAME_FORMAT f, uint32_t *err)
{
    char *host = sspi_machine_host(), *name = NULL, *upper_host = NULL, *part = NULL;

    *err = ERROR_NONE_MAPPED;
    upper_host = host != NULL ? strdup(host) : NULL;
    for (char *p = upper_host; p != NULL && *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    switch (f) {
    case NameSamCompatible:
        part = sspi_machine_domain();
        name = join(part, "\\", upper_host, "$");
        break;
    case NameDnsDomain:
        part = lowered(sspi_accounts()->realm);
        name = join(part, "\\", upper_host, "$");
        break;
    case NameServicePrincipal:
        part = sspi_machine_fqdn();
        name = join("HOST", "/", part, "");
        break;
    default:
        break;
    }
    free(part);
    free(host);
    free(upper_host);
    return name;
}

static BOOLEAN computer_object_name(bool wide, EXTENDED_NAME_FORMAT f, void *buf, PULONG nSize)
{
    uint32_t err;
    char *name;
    BOOLEAN ok;

    sspi_registry_init();
    if (nSize == NULL || f == NameUnknown || !known_format(f)) {
        sspi_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!sspi_machine_joined()) {
        sspi_set_last_error(ERROR_CANT_ACCESS_DOMAIN_INFO);
        return FALSE;
    }
    name = computer_name(f, &err);
    if (name == NULL) {
        sspi_set_last_error(err);
        return FALSE;
    }
    ok = give(wide, true, name, buf, nSize);
    free(name);
    return ok;
}

/* GetComputerObjectNameA: this computer's account in format NameFormat,
 * UTF-8: NameSamCompatible "DOMAIN\HOST$", NameDnsDomain "realm\HOST$"
 * (with a realm), NameServicePrincipal "HOST/fqdn"; others
 * ERROR_NONE_MAPPED.  Sizes and errors: see the top of this file. */
BOOLEAN SEC_ENTRY GetComputerObjectNameA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer,
                                         PULONG nSize)
{
    return computer_object_name(false, NameFormat, lpNameBuffer, nSize);
}

/* GetComputerObjectNameW: as GetComputerObjectNameA in UTF-16. */
BOOLEAN SEC_ENTRY GetComputerObjectNameW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer,
                                         PULONG nSize)
{
    return computer_object_name(true, NameFormat, lpNameBuffer, nSize);
}
