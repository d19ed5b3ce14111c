/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-names.c - SPNs and principals between Windows' forms and GSS
 * names, and the UTF-16 <-> UTF-8 conversions the package needs.
 *
 * Windows names services "service/host[:port][@REALM]" (HTTP/web.example.com,
 * host/h.realm@REALM); GSS's host-based form is "service@host".  A plain
 * "service/host" becomes a host-based name, so MIT finds the realm from
 * domain_realm as Windows finds it through referrals; anything with a
 * realm, a port or more components is imported as a krb5 principal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "packages/kerberos/kerberos.h"

char *krb_utf8(const char16_t *s, size_t len)
{
    size_t out;
    return sspi_utf16_to_utf8(s, len, &out);
}

char16_t *krb_utf16_out(const char *s)
{
    size_t n = sspi_utf8_utf16_size(s, strlen(s));
    char16_t *w;

    if (n == (size_t)-1)
        return NULL;
    w = krb_alloc((n + 1) * sizeof(char16_t));
    if (w == NULL)
        return NULL;
    sspi_utf8_to_utf16_buf(s, strlen(s), w, n + 1);
    w[n] = 0;
    return w;
}

static OM_uint32 import(const char *s, gss_OID type, gss_name_t *out, OM_uint32 *minor)
{
    gss_buffer_desc b = {strlen(s), (void *)s};
    return gss_import_name(minor, &b, type, out);
}

OM_uint32 krb_import_principal(const char *name, gss_name_t *out, OM_uint32 *minor)
{
    return import(name, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, out, minor);
}

OM_uint32 krb_import_target(const char *spn, gss_name_t *out, OM_uint32 *minor)
{
    const char *slash = strchr(spn, '/');

    if (slash != NULL && slash != spn && slash[1] != '\0' && strchr(slash + 1, '/') == NULL &&
        strpbrk(slash + 1, "@:") == NULL) {
        size_t len = strlen(spn);
        char *hb = malloc(len + 1);
        OM_uint32 major;

        if (hb == NULL) {
            *minor = 0;
            return GSS_S_FAILURE;
        }
        memcpy(hb, spn, len + 1);
        hb[slash - spn] = '@';
        major = import(hb, GSS_C_NT_HOSTBASED_SERVICE, out, minor);
        free(hb);
        return major;
    }
    return krb_import_principal(spn, out, minor);
}

char *krb_display_name(gss_name_t name)
{
    OM_uint32 minor;
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    char *s;

    if (name == GSS_C_NO_NAME || gss_display_name(&minor, name, &b, NULL) != GSS_S_COMPLETE)
        return NULL;
    s = malloc(b.length + 1);
    if (s != NULL) {
        memcpy(s, b.value, b.length);
        s[b.length] = '\0';
    }
    gss_release_buffer(&minor, &b);
    return s;
}
