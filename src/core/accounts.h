/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * accounts.h - accounts and names on the POSIX side: the account settings
 * in force (accounts.c), the rule that maps an authenticated name to a
 * local account, this machine's names, the Kerberos default principal and
 * keytab (accounts-krb5.c), access tokens and the handles that name them
 * (token.c), per-thread impersonation (impersonate.c) and, through
 * core/lasterror.h, the Win32 last error.  Private to libsspi.la.
 */
#ifndef LIBSSPI_CORE_ACCOUNTS_H
#define LIBSSPI_CORE_ACCOUNTS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/config-accounts.h"
#include "core/core.h"
#include "core/lasterror.h"

/* ---- accounts.c -------------------------------------------------------- */

/* Publish the account settings of the configuration just read (registry.c,
 * load lock held).  The structure must stay valid for the life of the
 * library (configurations are kept). */
SSPI_HIDDEN void sspi_accounts_configure(const struct sspi_conf_accounts *a);

/* The settings in force: the last configuration read, or the defaults
 * (entry points call sspi_registry_init first; this does not, so the LSA
 * services a package calls during loading may use it).  Never NULL;
 * read-only. */
SSPI_HIDDEN const struct sspi_conf_accounts *sspi_accounts(void);

/* A local account, as NSS reports it.  Strings are malloc()ed. */
struct sspi_local_account {
    uid_t uid;
    gid_t gid;
    gid_t *groups; /* supplementary groups, gid first */
    size_t ngroups;
    char *name;
    char *gecos; /* full name: GECOS up to the first ',' (may be empty) */
};

/* An authenticated or local name split into its parts: "DOMAIN\user",
 * "user@realm" or "user".  Strings are malloc()ed; absent parts NULL. */
struct sspi_name_parts {
    char *user;
    char *domain; /* NetBIOS-style qualifier ("DOMAIN\") */
    char *realm;  /* DNS/Kerberos qualifier ("@realm") */
};

/* Split `name` (UTF-8) at the first '\' or the configured separator, else at
 * the last '@'.  false when out of memory.  Free with sspi_name_parts_free. */
SSPI_HIDDEN bool sspi_name_split(const char *name, struct sspi_name_parts *out);
SSPI_HIDDEN void sspi_name_parts_free(struct sspi_name_parts *p);

/*
 * Map an authenticated name (UTF-8, as SECPKG_ATTR_NAMES gives it) to a
 * local account by the configured rule (sspi.conf(5)): an account_map
 * line first; then the name split into user and qualifier; a qualifier of
 * this machine (domain, realm, host name; every qualifier with
 * account_strip = all) is dropped, any other is kept and spelled
 * "DOMAIN<sep>user" or "user@realm" for NSS; account_strip = none looks up
 * the name as written.  Returns true with *out filled (free with
 * sspi_local_account_free), false when no account matches (`why`, of
 * `whylen` bytes, says why; never a secret).
 */
SSPI_HIDDEN bool sspi_account_map(const char *authname, struct sspi_local_account *out, char *why,
                                  size_t whylen);

/* The local account with uid `uid`; false if NSS knows none. */
SSPI_HIDDEN bool sspi_account_by_uid(uid_t uid, struct sspi_local_account *out);
SSPI_HIDDEN void sspi_local_account_free(struct sspi_local_account *a);

/* This machine's names, malloc()ed (NULL when out of memory, or when
 * there is none):
 *   NetBIOS domain: `domain =`, else the first label of `realm =`,
 *   upper-cased, else the short host name upper-cased (a standalone
 *   machine's account domain);
 *   realm: `realm =` (NULL when not configured);
 *   host: the short host name; fqdn: the host name when it has a dot, else
 *   host.realm (lower case) when a realm is configured, else NULL. */
SSPI_HIDDEN char *sspi_machine_domain(void);
SSPI_HIDDEN char *sspi_machine_realm(void);
SSPI_HIDDEN char *sspi_machine_host(void);
SSPI_HIDDEN char *sspi_machine_fqdn(void);

/* Whether `domain` (NetBIOS or DNS spelling) names this machine or its
 * configured domain/realm. */
SSPI_HIDDEN bool sspi_domain_is_local(const char *domain);

/* Whether a domain or realm is configured (the machine counts as joined). */
SSPI_HIDDEN bool sspi_machine_joined(void);

/* ---- accounts-krb5.c --------------------------------------------------- */

/* The principal of the default credential cache / the first entry of the
 * default keytab ("name@REALM"), malloc()ed; NULL when there is none, it
 * cannot be read, or libsspi was built without MIT krb5. */
SSPI_HIDDEN char *sspi_krb5_ccache_principal(void);
SSPI_HIDDEN char *sspi_krb5_keytab_principal(void);

#endif
