/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config-accounts.c - parses the account settings of sspi.conf (see
 * config-accounts.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config-accounts.h"

enum key_id { K_DOMAIN, K_REALM, K_IMPERSONATION, K_STRIP, K_SEPARATOR, K_MAP, K_COUNT };

static const char *const key_names[K_COUNT] = {
    "domain", "realm", "impersonation", "account_strip", "account_separator", "account_map",
};

static const char *const mode_names[] = {"auto", "switch", "track", "refuse"};
static const char *const strip_names[] = {"local", "all", "none"};

static int key_id(const char *key)
{
    for (int i = 0; i < K_COUNT; i++) {
        if (strcmp(key, key_names[i]) == 0)
            return i;
    }
    return -1;
}

bool sspi_conf_accounts_is_key(const char *key)
{
    return key_id(key) >= 0;
}

const char *sspi_impersonation_mode_name(enum sspi_impersonation_mode m)
{
    return (size_t)m < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[m] : "?";
}

static int keyword(const char *value, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(value, names[i]) == 0)
            return (int)i;
    }
    return -1;
}

/* A name: printable ASCII or UTF-8, no control characters, at most 255
 * bytes. */
static bool valid_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 255)
        return false;
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    }
    return true;
}

static char *trimmed_copy(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

/* "REMOTE = LOCAL": split at the last '=' (Windows account names cannot
 * hold one). */
static const char *add_map(struct sspi_conf_accounts *a, const char *value, char *why,
                           size_t whylen)
{
    const char *eq = strrchr(value, '=');
    struct sspi_account_map m, *grown;

    if (eq == NULL) {
        snprintf(why, whylen, "account_map '%s': expected 'REMOTE = LOCAL'", value);
        return why;
    }
    m.remote = trimmed_copy(value, (size_t)(eq - value));
    m.local = trimmed_copy(eq + 1, strlen(eq + 1));
    if (m.remote == NULL || m.local == NULL || !valid_name(m.remote) || !valid_name(m.local) ||
        strchr(m.local, '\\') != NULL || strchr(m.local, '@') != NULL) {
        snprintf(why, whylen, "account_map '%s': expected 'REMOTE = LOCAL' with a plain local name",
                 value);
        free(m.remote);
        free(m.local);
        return why;
    }
    grown = realloc(a->map, (a->nmap + 1) * sizeof(*grown));
    if (grown == NULL) {
        free(m.remote);
        free(m.local);
        snprintf(why, whylen, "account_map: out of memory");
        return why;
    }
    a->map = grown;
    a->map[a->nmap++] = m;
    return NULL;
}

static const char *set_string(char **dst, const char *key, const char *value, char *why,
                              size_t whylen)
{
    char *v;

    if (!valid_name(value) || strchr(value, '\\') != NULL || strchr(value, '@') != NULL) {
        snprintf(why, whylen, "invalid value '%s' for '%s' (a name without '\\' or '@')", value,
                 key);
        return why;
    }
    if ((v = strdup(value)) == NULL) {
        snprintf(why, whylen, "%s: out of memory", key);
        return why;
    }
    free(*dst);
    *dst = v;
    return NULL;
}

static const char *set_one(struct sspi_conf_accounts *a, int id, const char *key, const char *value,
                           char *why, size_t whylen)
{
    int k;

    switch (id) {
    case K_DOMAIN:
        return set_string(&a->domain, key, value, why, whylen);
    case K_REALM:
        return set_string(&a->realm, key, value, why, whylen);
    case K_IMPERSONATION:
        if ((k = keyword(value, mode_names, 4)) < 0)
            break;
        a->impersonation = (enum sspi_impersonation_mode)k;
        return NULL;
    case K_STRIP:
        if ((k = keyword(value, strip_names, 3)) < 0)
            break;
        a->strip = (enum sspi_account_strip)k;
        return NULL;
    case K_SEPARATOR:
        if (strlen(value) != 1 || strchr("\\+/|:!#%^~", value[0]) == NULL)
            break;
        a->separator = value[0];
        return NULL;
    default:
        return add_map(a, value, why, whylen);
    }
    snprintf(why, whylen, "invalid value '%s' for '%s'", value, key);
    return why;
}

const char *sspi_conf_accounts_set(struct sspi_conf_accounts *a, const char *key, const char *value,
                                   char *why, size_t whylen)
{
    int id = key_id(key);
    const char *bad;

    if (id < 0) {
        snprintf(why, whylen, "unknown key '%s'", key);
        return why;
    }
    if (*value == '\0') {
        snprintf(why, whylen, "empty value for '%s'", key);
        return why;
    }
    bad = set_one(a, id, key, value, why, whylen);
    if (bad != NULL || id == K_MAP)
        return bad;
    if (a->seen & (1u << id)) {
        snprintf(why, whylen, "duplicate key '%s'; the last value is used", key);
        return why;
    }
    a->seen |= 1u << id;
    return NULL;
}

void sspi_conf_accounts_free(struct sspi_conf_accounts *a)
{
    free(a->domain);
    free(a->realm);
    for (size_t i = 0; i < a->nmap; i++) {
        free(a->map[i].remote);
        free(a->map[i].local);
    }
    free(a->map);
    memset(a, 0, sizeof(*a));
}
