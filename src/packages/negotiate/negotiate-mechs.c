/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-mechs.c - which sibling packages Negotiate may use.
 *
 * Every live package the host reports with SECPKG_FLAG_NEGOTIABLE and a
 * mechanism OID takes part (Kerberos, NTLM, or any third-party package
 * built that way), in the host's order, which is the configuration's
 * module order: that order is the preference.  A PackageList from
 * SEC_WINNT_AUTH_IDENTITY_EX(W) narrows the set before anything else
 * happens, so an excluded package never touches the network.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

bool nego_mech_is_kerberos(const struct nego_mech *m)
{
    struct nego_view oid = {m->oid, m->oid_len};

    return nego_oid_equal(oid, nego_oid_krb5);
}

bool nego_mech_matches(const struct nego_mech *m, struct nego_view oid)
{
    struct nego_view own = {m->oid, m->oid_len};

    if (nego_oid_equal(own, oid))
        return true;
    return nego_mech_is_kerberos(m) && nego_oid_equal(oid, nego_oid_krb5_ms);
}

static char16_t ascii_lower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? (char16_t)(c + (u'a' - u'A')) : c;
}

static bool is_space(char16_t c)
{
    return c == u' ' || c == u'\t';
}

SECURITY_STATUS nego_package_list_parse(const char16_t *list, size_t len,
                                        struct nego_package_list *out)
{
    size_t at = 0;

    memset(out, 0, sizeof(*out));
    if (list == NULL)
        return SEC_E_OK;
    while (at < len) {
        size_t end = at;
        while (end < len && list[end] != u',')
            end++;
        size_t a = at, b = end;
        while (a < b && is_space(list[a]))
            a++;
        while (b > a && is_space(list[b - 1]))
            b--;
        bool exclude = a < b && list[a] == u'!';
        if (exclude)
            a++;
        if (a < b) {
            if (out->count == sizeof(out->items) / sizeof(out->items[0]) ||
                b - a >= sizeof(out->items[0].name) / sizeof(char16_t))
                return SEC_E_INVALID_PARAMETER;
            for (size_t i = a; i < b; i++)
                out->items[out->count].name[i - a] = ascii_lower(list[i]);
            out->items[out->count].exclude = exclude;
            out->count++;
        }
        at = end + 1;
    }
    out->given = out->count > 0;
    return SEC_E_OK;
}

static bool name_equal(const char16_t *lowered, const char16_t *name)
{
    size_t i = 0;

    for (; lowered[i] != 0 && name[i] != 0; i++)
        if (lowered[i] != ascii_lower(name[i]))
            return false;
    return lowered[i] == 0 && name[i] == 0;
}

bool nego_package_list_allows(const struct nego_package_list *list, const char16_t *name)
{
    bool positive = false, listed = false;

    if (list == NULL || !list->given)
        return true;
    for (uint32_t i = 0; i < list->count; i++) {
        bool match = name_equal(list->items[i].name, name);
        if (list->items[i].exclude) {
            if (match)
                return false;
        } else {
            positive = true;
            listed = listed || match;
        }
    }
    return !positive || listed;
}

static char16_t *u16dup(const char16_t *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    char16_t *d = malloc((n + 1) * sizeof(char16_t));
    if (d != NULL)
        memcpy(d, s, (n + 1) * sizeof(char16_t));
    return d;
}

/* Can this package take part at all (before the list is applied)? */
static bool negotiable(const SECPKG_LIBSSPI_PACKAGE_INFO *p)
{
    struct nego_view oid = {p->MechOid, p->MechOidLength};

    if ((p->fCapabilities & SECPKG_FLAG_NEGOTIABLE) == 0 || p->Name == NULL)
        return false;
    if (p->MechOid == NULL || p->MechOidLength > NEGO_OID_MAX || !nego_oid_valid(oid))
        return false;
    return !nego_oid_equal(oid, nego_oid_spnego);
}

void nego_mechs_free(struct nego_mech *mechs, uint32_t count)
{
    if (mechs == NULL)
        return;
    for (uint32_t i = 0; i < count; i++)
        free(mechs[i].name);
    free(mechs);
}

SECURITY_STATUS nego_mechs_enumerate(const struct nego_package_list *list, struct nego_mech **mechs,
                                     uint32_t *count)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    PSECPKG_LIBSSPI_PACKAGE_INFO infos = NULL;
    ULONG n = 0;
    SECURITY_STATUS st;

    *mechs = NULL;
    *count = 0;
    if (svc == NULL)
        return SEC_E_INTERNAL_ERROR;
    st = svc->EnumeratePackages(&n, &infos);
    if (st != SEC_E_OK)
        return st;
    struct nego_mech *out = calloc(n ? n : 1, sizeof(*out));
    if (out == NULL) {
        svc->FreeBuffer(infos);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    uint32_t k = 0;
    for (ULONG i = 0; i < n; i++) {
        const SECPKG_LIBSSPI_PACKAGE_INFO *p = &infos[i];
        if (!negotiable(p) || !nego_package_list_allows(list, p->Name))
            continue;
        out[k].name = u16dup(p->Name);
        if (out[k].name == NULL) {
            nego_mechs_free(out, k);
            svc->FreeBuffer(infos);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        out[k].package_id = p->PackageId;
        out[k].capabilities = p->fCapabilities;
        out[k].max_token = p->cbMaxToken;
        memcpy(out[k].oid, p->MechOid, p->MechOidLength);
        out[k].oid_len = (uint8_t)p->MechOidLength;
        k++;
    }
    svc->FreeBuffer(infos);
    *mechs = out;
    *count = k;
    return SEC_E_OK;
}
