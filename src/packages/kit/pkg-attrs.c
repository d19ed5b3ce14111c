/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-attrs.c - the common context attributes (see pkg-attrs.h).
 */
#include <string.h>

#include "packages/kit/pkg-attrs.h"

static size_t u16len(const char16_t *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return n;
}

/* A NUL-terminated copy of `n` units of `s` from the allocator of `mode`. */
static char16_t *dup16(enum pkg_mode mode, const char16_t *s, size_t n)
{
    char16_t *p = pkg_alloc(mode, (n + 1) * sizeof(char16_t));

    if (p != NULL) {
        memcpy(p, s, n * sizeof(char16_t));
        p[n] = 0;
    }
    return p;
}

char16_t *pkg_join_name(enum pkg_mode mode, struct pkg_str16 domain, struct pkg_str16 user)
{
    size_t dlen = domain.s != NULL ? domain.len : 0;
    size_t n = dlen + (dlen > 0 ? 1 : 0) + user.len;
    char16_t *p;

    if (user.s == NULL)
        return NULL;
    p = pkg_alloc(mode, (n + 1) * sizeof(char16_t));
    if (p == NULL)
        return NULL;
    if (dlen > 0) {
        memcpy(p, domain.s, dlen * sizeof(char16_t));
        p[dlen] = u'\\';
        dlen++;
    }
    memcpy(p + dlen, user.s, user.len * sizeof(char16_t));
    p[n] = 0;
    return p;
}

PSecPkgInfoW pkg_info_block(enum pkg_mode mode, const struct pkg_descriptor *pkg)
{
    size_t nlen = u16len(pkg->name) + 1, clen = u16len(pkg->comment) + 1;
    SecPkgInfoW *info = pkg_alloc(mode, sizeof(*info) + (nlen + clen) * sizeof(char16_t));
    char16_t *strings;

    if (info == NULL)
        return NULL;
    strings = (char16_t *)(info + 1);
    memcpy(strings, pkg->name, nlen * sizeof(char16_t));
    memcpy(strings + nlen, pkg->comment, clen * sizeof(char16_t));
    info->fCapabilities = pkg->capabilities;
    info->wVersion = pkg->version;
    info->wRPCID = pkg->rpcid;
    info->cbMaxToken = pkg->max_token;
    info->Name = strings;
    info->Comment = strings + nlen;
    return info;
}

static NTSTATUS query_names(const struct pkg_attr_data *d, void *buffer, enum pkg_mode mode)
{
    SecPkgContext_NamesW *n = buffer;

    if (d->user.s == NULL)
        return SEC_E_INVALID_HANDLE;
    n->sUserName = pkg_join_name(mode, d->domain, d->user);
    return n->sUserName != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

static NTSTATUS query_native_names(const struct pkg_attr_data *d, void *buffer, enum pkg_mode mode)
{
    SecPkgContext_NativeNamesW *n = buffer;
    struct pkg_str16 server = d->server.s != NULL ? d->server : (struct pkg_str16){u"", 0};

    if (d->user.s == NULL)
        return SEC_E_INVALID_HANDLE;
    n->sClientName = pkg_join_name(mode, d->domain, d->user);
    n->sServerName = dup16(mode, server.s, server.len);
    if (n->sClientName == NULL || n->sServerName == NULL) {
        pkg_free(mode, n->sClientName);
        pkg_free(mode, n->sServerName);
        n->sClientName = n->sServerName = NULL;
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}

/* A key or key description that is not there: not yet, while the
 * handshake runs, or never, for a package that has none. */
static NTSTATUS no_key(const struct pkg_attr_data *d)
{
    return d->complete ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

static NTSTATUS query_key_info(const struct pkg_attr_data *d, void *buffer, enum pkg_mode mode)
{
    SecPkgContext_KeyInfoW *k = buffer;
    const struct pkg_key_info *ki = d->key_info;

    if (ki == NULL)
        return no_key(d);
    k->sSignatureAlgorithmName = dup16(mode, ki->signature_name, u16len(ki->signature_name));
    k->sEncryptAlgorithmName = dup16(mode, ki->encrypt_name, u16len(ki->encrypt_name));
    if (k->sSignatureAlgorithmName == NULL || k->sEncryptAlgorithmName == NULL) {
        pkg_free(mode, k->sSignatureAlgorithmName);
        pkg_free(mode, k->sEncryptAlgorithmName);
        k->sSignatureAlgorithmName = k->sEncryptAlgorithmName = NULL;
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    k->KeySize = ki->key_size;
    k->SignatureAlgorithm = ki->signature_algorithm;
    k->EncryptAlgorithm = ki->encrypt_algorithm;
    return SEC_E_OK;
}

static NTSTATUS query_session_key(const struct pkg_attr_data *d, void *buffer, enum pkg_mode mode)
{
    SecPkgContext_SessionKey *k = buffer;

    if (d->session_key == NULL || d->session_key_len == 0)
        return no_key(d);
    k->SessionKey = pkg_alloc(mode, d->session_key_len);
    if (k->SessionKey == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(k->SessionKey, d->session_key, d->session_key_len);
    k->SessionKeyLength = (uint32_t)d->session_key_len;
    return SEC_E_OK;
}

static NTSTATUS query_package(const struct pkg_attr_data *d, ULONG attr, void *buffer,
                              enum pkg_mode mode)
{
    PSecPkgInfoW info = pkg_info_block(mode, d->pkg);

    if (info == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (attr == SECPKG_ATTR_PACKAGE_INFO) {
        ((SecPkgContext_PackageInfoW *)buffer)->PackageInfo = info;
    } else {
        SecPkgContext_NegotiationInfoW *n = buffer;
        n->PackageInfo = info;
        n->NegotiationState =
            d->complete ? SECPKG_NEGOTIATION_COMPLETE : SECPKG_NEGOTIATION_IN_PROGRESS;
    }
    return SEC_E_OK;
}

static NTSTATUS query_fixed(const struct pkg_attr_data *d, ULONG attr, void *buffer)
{
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buffer;
        s->cbMaxToken = d->pkg->max_token;
        s->cbMaxSignature = d->max_signature;
        s->cbBlockSize = d->block_size;
        s->cbSecurityTrailer = d->security_trailer;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_STREAM_SIZES:
        if (d->stream_sizes == NULL)
            return SEC_E_UNSUPPORTED_FUNCTION;
        memcpy(buffer, d->stream_sizes, sizeof(*d->stream_sizes));
        return SEC_E_OK;
    case SECPKG_ATTR_FLAGS:
        ((SecPkgContext_Flags *)buffer)->Flags = d->flags;
        return SEC_E_OK;
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = buffer;
        l->tsStart.QuadPart = d->start;
        l->tsExpiry.QuadPart = d->expiry;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_DCE_INFO: {
        SecPkgContext_DceInfo *dce = buffer;
        if (!d->dce_info)
            return SEC_E_UNSUPPORTED_FUNCTION;
        dce->AuthzSvc = d->dce_authz_svc;
        dce->pPac = NULL;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

NTSTATUS pkg_attr_query(const struct pkg_attr_data *d, ULONG attr, void *buffer, enum pkg_mode mode)
{
    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    switch (attr) {
    case SECPKG_ATTR_NAMES:
        return query_names(d, buffer, mode);
    case SECPKG_ATTR_NATIVE_NAMES:
        return query_native_names(d, buffer, mode);
    case SECPKG_ATTR_KEY_INFO:
        return query_key_info(d, buffer, mode);
    case SECPKG_ATTR_SESSION_KEY:
        return query_session_key(d, buffer, mode);
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO:
        return query_package(d, attr, buffer, mode);
    default:
        return query_fixed(d, attr, buffer);
    }
}

NTSTATUS pkg_cred_names(struct pkg_str16 domain, struct pkg_str16 user, void *buffer)
{
    SecPkgCredentials_NamesW *n = buffer;

    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    if (user.s == NULL)
        return SEC_E_NO_CREDENTIALS;
    n->sUserName = pkg_join_name(PKG_MODE_LSA, domain, user);
    return n->sUserName != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}
