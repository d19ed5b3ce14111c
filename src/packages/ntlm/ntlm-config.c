/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-config.c - the NTLM package options.  The host hands the
 * `option.KEY = VALUE` lines of the package's configuration to the kit
 * (pkg-options.h) through SpSetExtendedInformation(SecpkgLibsspiConfig);
 * handshakes take a private snapshot with ntlm_options_get().  The kit's
 * lock is taken only by handshakes and configuration, never on the
 * per-message path.  doc/ntlm.md lists the keys.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packages/ntlm/ntlm-pkg.h"

static const char *const ntlm_cb_policies[] = {"never", "if_present", "required", NULL};

#define OPT(kind, key, field) PKG_OPTION_##kind(key, struct ntlm_options, field)
static const struct pkg_option_def ntlm_option_defs[] = {
    OPT(PATH, "user_file", user_file),
    OPT(STRING, "default_user", default_user),
    OPT(STRING, "default_domain", default_domain),
    OPT(SECRET, "default_password", default_password),
    OPT(STRING, "netbios_computer", nb_computer),
    OPT(STRING, "netbios_domain", nb_domain),
    OPT(STRING, "dns_computer", dns_computer),
    OPT(STRING, "dns_domain", dns_domain),
    OPT(STRING, "service_names", service_names),
    PKG_OPTION_SECONDS("max_skew", struct ntlm_options, max_skew, 0, 100ull * 365 * 24 * 3600),
    PKG_OPTION_ENUM("channel_bindings", struct ntlm_options, channel_bindings, ntlm_cb_policies),
    PKG_OPTION_ENUM("target_name", struct ntlm_options, target_name, ntlm_cb_policies),
    OPT(BOOL, "allow_ntlmv1", allow_ntlmv1),
    OPT(BOOL, "allow_anonymous", allow_anonymous),
};

static const struct ntlm_options ntlm_defaults = {
    .max_skew = 300,
    .channel_bindings = NTLM_CB_IF_PRESENT,
    .target_name = NTLM_CB_NEVER,
};

PKG_OPTIONS(ntlm_settings, struct ntlm_options, ntlm_option_defs, &ntlm_defaults);

/* See ntlm-pkg.h. */
NTSTATUS ntlm_options_set(const SECPKG_LIBSSPI_CONFIG *cfg)
{
    return pkg_options_apply(&ntlm_settings, cfg);
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
    if (!pkg_options_get(&ntlm_settings, o))
        return false;
    if (!o->user_file) {
        const char *env = secure_getenv("NTLM_USER_FILE");
        if (env && *env && !(o->user_file = strdup(env))) {
            ntlm_options_free(o);
            return false;
        }
    }
    if (!fill_names(o)) {
        ntlm_options_free(o);
        return false;
    }
    return true;
}

/* See ntlm-pkg.h. */
void ntlm_options_free(struct ntlm_options *o)
{
    pkg_options_release(&ntlm_settings, o);
}
