/*
 * ntlm-config.c - the NTLM package options.  The host hands the
 * `option.KEY = VALUE` lines of the package's configuration through
 * SpSetExtendedInformation(SecpkgLibsspiConfig); handshakes take a private
 * snapshot with ntlm_options_get().  Options are guarded by one mutex that
 * only handshakes and configuration take, never the per-message path.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "packages/ntlm/ntlm-pkg.h"

static pthread_mutex_t opt_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntlm_options opt = {
    .max_skew = 300,
    .channel_bindings = NTLM_CB_IF_PRESENT,
    .target_name = NTLM_CB_NEVER,
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static bool set_str(char **dst, const char *v)
{
    char *n = NULL;

    if (v && *v && !(n = strdup(v)))
        return false;
    if (*dst) {
        crypto_wipe(*dst, strlen(*dst));
        free(*dst);
    }
    *dst = n;
    return true;
}

static int parse_bool(const char *v)
{
    if (!v)
        return -1;
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
        !strcasecmp(v, "on"))
        return 1;
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") ||
        !strcasecmp(v, "off"))
        return 0;
    return -1;
}

static int parse_policy(const char *v)
{
    if (!v)
        return -1;
    if (!strcasecmp(v, "never"))
        return NTLM_CB_NEVER;
    if (!strcasecmp(v, "if_present"))
        return NTLM_CB_IF_PRESENT;
    if (!strcasecmp(v, "required"))
        return NTLM_CB_REQUIRED;
    return -1;
}

/* See ntlm-pkg.h.  Recognised keys are listed in doc/ntlm.md.  Each call
 * starts from the defaults: the host passes the whole module block, so a
 * setting removed from the configuration is gone after a reload. */
NTSTATUS ntlm_options_set(const SECPKG_LIBSSPI_CONFIG *cfg)
{
    NTSTATUS st = STATUS_SUCCESS;

    pthread_mutex_lock(&opt_lock);
    ntlm_options_free(&opt);
    opt.max_skew = 300;
    opt.channel_bindings = NTLM_CB_IF_PRESENT;
    opt.target_name = NTLM_CB_NEVER;
    opt.allow_ntlmv1 = false;
    opt.allow_anonymous = false;
    for (ULONG i = 0; i < cfg->SettingCount; i++) {
        const char *k = cfg->Settings[i].Key, *v = cfg->Settings[i].Value;
        bool ok = true;
        int b;

        if (!k || !v) {
            ok = false;
        } else if (!strcmp(k, "user_file")) {
            ok = set_str(&opt.user_file, v);
        } else if (!strcmp(k, "default_user")) {
            ok = set_str(&opt.default_user, v);
        } else if (!strcmp(k, "default_domain")) {
            ok = set_str(&opt.default_domain, v);
        } else if (!strcmp(k, "default_password")) {
            ok = set_str(&opt.default_password, v);
        } else if (!strcmp(k, "netbios_computer")) {
            ok = set_str(&opt.nb_computer, v);
        } else if (!strcmp(k, "netbios_domain")) {
            ok = set_str(&opt.nb_domain, v);
        } else if (!strcmp(k, "dns_computer")) {
            ok = set_str(&opt.dns_computer, v);
        } else if (!strcmp(k, "dns_domain")) {
            ok = set_str(&opt.dns_domain, v);
        } else if (!strcmp(k, "service_names")) {
            ok = set_str(&opt.service_names, v);
        } else if (!strcmp(k, "max_skew")) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            ok = *v && !*end && n <= 100u * 365 * 24 * 3600;
            if (ok)
                opt.max_skew = (uint32_t)n;
        } else if (!strcmp(k, "channel_bindings")) {
            ok = (b = parse_policy(v)) >= 0;
            if (ok)
                opt.channel_bindings = (enum ntlm_cb_policy)b;
        } else if (!strcmp(k, "target_name")) {
            ok = (b = parse_policy(v)) >= 0;
            if (ok)
                opt.target_name = (enum ntlm_cb_policy)b;
        } else if (!strcmp(k, "allow_ntlmv1")) {
            ok = (b = parse_bool(v)) >= 0;
            if (ok)
                opt.allow_ntlmv1 = b;
        } else if (!strcmp(k, "allow_anonymous")) {
            ok = (b = parse_bool(v)) >= 0;
            if (ok)
                opt.allow_anonymous = b;
        } else {
            ok = false;
        }
        if (!ok)
            st = STATUS_INVALID_PARAMETER;
    }
    pthread_mutex_unlock(&opt_lock);
    return st;
}

static char *upper_dup(const char *s, size_t n)
{
    char *r = strndup(s, n);

    for (char *p = r; p && *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return r;
}

/* Fill in names derived from the host name where not configured. */
static bool fill_names(struct ntlm_options *o)
{
    char host[256] = "localhost";
    const char *dot;

    if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
        strcpy(host, "localhost");
    host[sizeof(host) - 1] = 0;
    dot = strchr(host, '.');
    if (!o->dns_computer && !(o->dns_computer = strdup(host)))
        return false;
    if (!o->nb_computer) {
        size_t n = dot ? (size_t)(dot - host) : strlen(host);
        if (!(o->nb_computer = upper_dup(host, n > 15 ? 15 : n)))
            return false;
    }
    if (!o->dns_domain && !(o->dns_domain = strdup(dot ? dot + 1 : "")))
        return false;
    if (!o->nb_domain) {
        const char *d = o->dns_domain;
        const char *e = strchr(d, '.');
        size_t n = e ? (size_t)(e - d) : strlen(d);
        if (n == 0)
            o->nb_domain = strdup("WORKGROUP");
        else
            o->nb_domain = upper_dup(d, n > 15 ? 15 : n);
        if (!o->nb_domain)
            return false;
    }
    return true;
}

/* See ntlm-pkg.h. */
bool ntlm_options_get(struct ntlm_options *o)
{
    bool ok;

    memset(o, 0, sizeof(*o));
    pthread_mutex_lock(&opt_lock);
    o->max_skew = opt.max_skew;
    o->channel_bindings = opt.channel_bindings;
    o->target_name = opt.target_name;
    o->allow_ntlmv1 = opt.allow_ntlmv1;
    o->allow_anonymous = opt.allow_anonymous;
    o->user_file = dup_or_null(opt.user_file);
    o->default_user = dup_or_null(opt.default_user);
    o->default_domain = dup_or_null(opt.default_domain);
    o->default_password = dup_or_null(opt.default_password);
    o->nb_computer = dup_or_null(opt.nb_computer);
    o->nb_domain = dup_or_null(opt.nb_domain);
    o->dns_computer = dup_or_null(opt.dns_computer);
    o->dns_domain = dup_or_null(opt.dns_domain);
    o->service_names = dup_or_null(opt.service_names);
    ok = (!opt.user_file || o->user_file) && (!opt.default_user || o->default_user) &&
         (!opt.default_domain || o->default_domain) &&
         (!opt.default_password || o->default_password) &&
         (!opt.nb_computer || o->nb_computer) && (!opt.nb_domain || o->nb_domain) &&
         (!opt.dns_computer || o->dns_computer) && (!opt.dns_domain || o->dns_domain) &&
         (!opt.service_names || o->service_names);
    pthread_mutex_unlock(&opt_lock);
    if (ok && !o->user_file) {
        const char *env = secure_getenv("NTLM_USER_FILE");
        if (env && *env && !(o->user_file = strdup(env)))
            ok = false;
    }
    if (ok)
        ok = fill_names(o);
    if (!ok)
        ntlm_options_free(o);
    return ok;
}

/* See ntlm-pkg.h. */
void ntlm_options_free(struct ntlm_options *o)
{
    char **all[] = { &o->user_file, &o->default_user, &o->default_domain,
                     &o->default_password, &o->nb_computer, &o->nb_domain,
                     &o->dns_computer, &o->dns_domain, &o->service_names };

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        set_str(all[i], NULL);
}
