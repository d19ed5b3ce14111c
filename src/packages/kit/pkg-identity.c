/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-identity.c - SpAcquireCredentialsHandle's AuthorizationData through
 * the one identity parser (src/common/identity.c), plus what packages need
 * on top: "not given" versus anonymous, and "DOMAIN\user" / "user@domain"
 * splitting.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packages/kit/pkg-entry.h"
#include "packages/kit/pkg-identity.h"

/* The caller's memory is read through LSA's CopyFromClientBuffer, which
 * fails instead of faulting on memory that cannot be read (plain copies
 * when a package is driven without a host, as its own tests do). */
static bool client_read(void *dst, const void *src, size_t len)
{
    if (pkg_lsa == NULL || pkg_lsa->CopyFromClientBuffer == NULL) {
        memcpy(dst, src, len);
        return true;
    }
    return len <= UINT32_MAX &&
           pkg_lsa->CopyFromClientBuffer(NULL, (ULONG)len, dst, (PVOID)src) == STATUS_SUCCESS;
}

static const struct sspi_identity_source client_source = {SIZE_MAX, client_read, NULL};

/* Move s[from, from+n) into a new string of `dst`; false if out of memory. */
static bool take_part(struct sspi_identity_str *dst, const char16_t *s, size_t from, size_t n)
{
    char16_t *p = malloc((n + 1) * sizeof(char16_t));

    if (p == NULL)
        return false;
    memcpy(p, s + from, n * sizeof(char16_t));
    p[n] = 0;
    dst->s = p;
    dst->len = n;
    return true;
}

/* Split "DOMAIN\user" or "user@domain" when no domain was given. */
static SECURITY_STATUS split_user(struct sspi_identity *id)
{
    struct sspi_identity_str user = {0}, domain = {0};
    const char16_t *s = id->user.s;
    size_t i;

    if (s == NULL || id->domain.len != 0)
        return SEC_E_OK;
    for (i = 0; i < id->user.len; i++)
        if (s[i] == u'\\' || s[i] == u'@')
            break;
    if (i == id->user.len)
        return SEC_E_OK;
    if (s[i] == u'\\') {
        if (!take_part(&domain, s, 0, i) || !take_part(&user, s, i + 1, id->user.len - i - 1))
            goto oom;
    } else if (!take_part(&user, s, 0, i) || !take_part(&domain, s, i + 1, id->user.len - i - 1)) {
        goto oom;
    }
    free(id->user.s);
    free(id->domain.s);
    id->user = user;
    id->domain = domain;
    return SEC_E_OK;
oom:
    free(user.s);
    free(domain.s);
    return SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS pkg_identity_parse(const void *auth, bool split, struct pkg_identity *out)
{
    SECURITY_STATUS st;

    memset(out, 0, sizeof(*out));
    st = sspi_identity_parse_from(auth, &client_source, &out->id);
    if (st != SEC_E_OK)
        return st;
    if (out->id.form == SSPI_IDENTITY_NONE || sspi_identity_is_empty(&out->id))
        return SEC_E_OK;
    out->given = true;
    out->anonymous = out->id.user.len == 0 && out->id.domain.len == 0 && out->id.password.len == 0;
    return split && !out->anonymous ? split_user(&out->id) : SEC_E_OK;
}

void pkg_identity_clear(struct pkg_identity *id)
{
    if (id == NULL)
        return;
    sspi_identity_clear(&id->id);
    id->given = false;
    id->anonymous = false;
}

const char16_t *pkg_identity_str(const struct sspi_identity_str *s)
{
    return s->s != NULL ? s->s : u"";
}
