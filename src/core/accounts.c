/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * accounts.c - the account settings in force, the mapping of
 * authenticated names to local accounts, and this machine's names.
 *
 * Mapping rule (sspi.conf(5), like krb5_aname_to_localname's default rule
 * and winbind's separator):
 *   1. an `account_map = REMOTE = LOCAL` line whose REMOTE equals the name
 *      (ASCII case-insensitively) gives LOCAL;
 *   2. otherwise the name is split into user and qualifier ("DOMAIN\user",
 *      "user@realm", or a bare "user");
 *   3. account_strip = local (default): a qualifier naming this machine
 *      (its `domain`, `realm`, host name) is dropped and `user` looked up;
 *      any other qualifier is kept: "DOMAIN<sep>user" or "user@realm" is
 *      looked up as NSS modules for domain users (winbind, sssd) spell it,
 *      so a foreign domain's "admin" never becomes the local "admin";
 *      account_strip = all drops every qualifier; none looks the name up
 *      as written;
 *   4. the account must exist in NSS (getpwnam); its groups come from
 *      getgrouplist.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/accounts.h"

static const struct sspi_conf_accounts defaults;
static const struct sspi_conf_accounts *_Atomic current = &defaults;

void sspi_accounts_configure(const struct sspi_conf_accounts *a)
{
    atomic_store_explicit(&current, a != NULL ? a : &defaults, memory_order_release);
}

const struct sspi_conf_accounts *sspi_accounts(void)
{
    return atomic_load_explicit(&current, memory_order_acquire);
}

static char separator(void)
{
    char sep = sspi_accounts()->separator;

    return sep != '\0' ? sep : '\\';
}

/* ---- names ---------------------------------------------------------------- */

void sspi_name_parts_free(struct sspi_name_parts *p)
{
    free(p->user);
    free(p->domain);
    free(p->realm);
    memset(p, 0, sizeof(*p));
}

bool sspi_name_split(const char *name, struct sspi_name_parts *out)
{
    const char *cut = strchr(name, '\\');
    char sep = separator();

    memset(out, 0, sizeof(*out));
    if (cut == NULL && sep != '\\')
        cut = strchr(name, sep);
    if (cut != NULL) {
        out->domain = strndup(name, (size_t)(cut - name));
        out->user = strdup(cut + 1);
    } else if ((cut = strrchr(name, '@')) != NULL && cut != name) {
        out->user = strndup(name, (size_t)(cut - name));
        out->realm = strdup(cut + 1);
    } else {
        out->user = strdup(name);
    }
    if (out->user == NULL || (cut != NULL && out->domain == NULL && out->realm == NULL)) {
        sspi_name_parts_free(out);
        return false;
    }
    return true;
}

/* ---- local accounts --------------------------------------------------------- */

void sspi_local_account_free(struct sspi_local_account *a)
{
    free(a->groups);
    free(a->name);
    free(a->gecos);
    memset(a, 0, sizeof(*a));
}

static bool fill_groups(struct sspi_local_account *a)
{
    int n = 16;

    for (int tries = 0; tries < 8; tries++) {
        gid_t *g = malloc((size_t)n * sizeof(*g));
        int want = n;

        if (g == NULL)
            return false;
        if (getgrouplist(a->name, a->gid, g, &want) >= 0) {
            a->groups = g;
            a->ngroups = (size_t)want;
            return true;
        }
        free(g);
        n = want > n ? want : n * 2;
    }
    return false;
}

/* From a passwd entry. */
static bool fill(const struct passwd *pw, struct sspi_local_account *out)
{
    const char *g = pw->pw_gecos != NULL ? pw->pw_gecos : "";

    memset(out, 0, sizeof(*out));
    out->uid = pw->pw_uid;
    out->gid = pw->pw_gid;
    out->name = strdup(pw->pw_name);
    out->gecos = strndup(g, strcspn(g, ","));
    if (out->name == NULL || out->gecos == NULL || !fill_groups(out)) {
        sspi_local_account_free(out);
        return false;
    }
    return true;
}

/* getpwnam_r/getpwuid_r with a growing buffer. */
static bool lookup(const char *name, uid_t uid, struct sspi_local_account *out)
{
    struct passwd pw, *res = NULL;
    size_t cap = 1024;
    bool ok = false;

    for (int tries = 0; tries < 6; tries++) {
        char *buf = malloc(cap);
        int rc;

        if (buf == NULL)
            return false;
        rc = name != NULL ? getpwnam_r(name, &pw, buf, cap, &res)
                          : getpwuid_r(uid, &pw, buf, cap, &res);
        if (rc == 0 && res != NULL)
            ok = fill(res, out);
        free(buf);
        if (rc != ERANGE)
            break;
        cap *= 4;
    }
    return ok;
}

bool sspi_account_by_uid(uid_t uid, struct sspi_local_account *out)
{
    return lookup(NULL, uid, out);
}

/* ---- machine names --------------------------------------------------------------- */

static char *host_name(void)
{
    char buf[256];

    if (gethostname(buf, sizeof(buf) - 1) != 0)
        return NULL;
    buf[sizeof(buf) - 1] = '\0';
    return strdup(buf);
}

static char *upper(char *s)
{
    for (char *p = s; p != NULL && *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

static char *lower(char *s)
{
    for (char *p = s; p != NULL && *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

char *sspi_machine_host(void)
{
    char *h = host_name();

    if (h != NULL)
        h[strcspn(h, ".")] = '\0';
    return h;
}

char *sspi_machine_realm(void)
{
    const char *r = sspi_accounts()->realm;

    return r != NULL ? strdup(r) : NULL;
}

char *sspi_machine_domain(void)
{
    const struct sspi_conf_accounts *a = sspi_accounts();

    if (a->domain != NULL)
        return strdup(a->domain);
    if (a->realm != NULL)
        return upper(strndup(a->realm, strcspn(a->realm, ".")));
    return upper(sspi_machine_host());
}

char *sspi_machine_fqdn(void)
{
    const char *realm = sspi_accounts()->realm;
    char *h = host_name(), *f = NULL;

    if (h == NULL || strchr(h, '.') != NULL)
        return h;
    if (realm != NULL && asprintf(&f, "%s.%s", h, realm) < 0)
        f = NULL;
    free(h);
    return lower(f);
}

bool sspi_machine_joined(void)
{
    const struct sspi_conf_accounts *a = sspi_accounts();

    return a->domain != NULL || a->realm != NULL;
}

bool sspi_domain_is_local(const char *d)
{
    const struct sspi_conf_accounts *a = sspi_accounts();
    char *mine[3] = {sspi_machine_domain(), host_name(), sspi_machine_host()};
    bool local =
        d[0] == '\0' || strcmp(d, ".") == 0 || (a->realm != NULL && strcasecmp(d, a->realm) == 0);

    for (size_t i = 0; i < 3; i++) {
        local = local || (mine[i] != NULL && strcasecmp(d, mine[i]) == 0);
        free(mine[i]);
    }
    return local;
}

/* ---- mapping ------------------------------------------------------------------------- */

static bool try_name(const char *name, struct sspi_local_account *out, char *why, size_t whylen)
{
    if (lookup(name, 0, out))
        return true;
    snprintf(why, whylen, "no local account '%s'", name);
    return false;
}

bool sspi_account_map(const char *authname, struct sspi_local_account *out, char *why,
                      size_t whylen)
{
    const struct sspi_conf_accounts *a = sspi_accounts();
    struct sspi_name_parts p;
    const char *q;
    char *qualified = NULL;
    bool bare, ok;
    int n;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < a->nmap; i++) {
        if (strcasecmp(a->map[i].remote, authname) == 0)
            return try_name(a->map[i].local, out, why, whylen);
    }
    if (!sspi_name_split(authname, &p)) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    q = p.domain != NULL ? p.domain : p.realm;
    bare = q == NULL || a->strip == SSPI_STRIP_ALL ||
           (a->strip == SSPI_STRIP_LOCAL && sspi_domain_is_local(q));
    if (bare) {
        ok = try_name(p.user, out, why, whylen);
    } else {
        n = p.domain != NULL ? asprintf(&qualified, "%s%c%s", p.domain, separator(), p.user)
                             : asprintf(&qualified, "%s@%s", p.user, p.realm);
        if (n < 0) {
            snprintf(why, whylen, "out of memory");
            ok = false;
        } else {
            ok = try_name(qualified, out, why, whylen);
            free(qualified);
        }
    }
    sspi_name_parts_free(&p);
    return ok;
}
