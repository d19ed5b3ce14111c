/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cert-api.c - the certificate-context functions of <wincrypt.h>:
 * create, duplicate, free, properties and display names, plus
 * libsspi_cert_from_files() (libsspi.h).
 *
 * Failures set the calling thread's last error (GetLastError) to what
 * crypt32 sets: an encoding type without X509_ASN_ENCODING, a NULL or
 * foreign context, a NULL size pointer    E_INVALIDARG
 * undecodable certificate                 CRYPT_E_ASN1_EOD / _BADTAG / _CORRUPT
 * property the context does not have      CRYPT_E_NOT_FOUND
 * property buffer too small               ERROR_MORE_DATA (size in *pcbData)
 * out of memory                           E_OUTOFMEMORY
 * CertGetNameString returns 1 (an empty name) for what it cannot name, as
 * Windows does, without an error.  libsspi_cert_from_files sets the last
 * error only for a key in a token it cannot use (cert-token.c's codes).
 * Sources: MicrosoftDocs/sdk-api CertCreateCertificateContext,
 * CertGetCertificateContextProperty pages; Wine's crypt32 tests (run on
 * Windows): CertCreateCertificateContext(0, ...) E_INVALIDARG, (X509, NULL,
 * 0) CRYPT_E_ASN1_EOD, a missing property CRYPT_E_NOT_FOUND.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "common/utf16.h"
#include "libsspi.h"
#include "wincrypt/cert-private.h"
#include "wincrypt/wincrypt-internal.h"

#define WINCRYPT_API __attribute__((visibility("default")))

/* Longest name CertGetNameString returns. */
#define WINCRYPT_MAX_NAME 1024

WINCRYPT_API PCCERT_CONTEXT WINAPI CertCreateCertificateContext(DWORD dwCertEncodingType,
                                                                const BYTE *pbCertEncoded,
                                                                DWORD cbCertEncoded)
{
    struct wincrypt_cert *c;
    uint32_t err;

    if ((dwCertEncodingType & X509_ASN_ENCODING) == 0)
        return wincrypt_fail_null(E_INVALIDARG);
    err = wincrypt_cert_decode(pbCertEncoded, cbCertEncoded, &c);
    if (err != 0)
        return wincrypt_fail_null((HRESULT)err);
    return &c->ctx;
}

WINCRYPT_API PCCERT_CONTEXT WINAPI CertDuplicateCertificateContext(PCCERT_CONTEXT pCertContext)
{
    const struct wincrypt_cert *c = wincrypt_cert_check(pCertContext);

    if (c == NULL)
        return pCertContext == NULL ? NULL : wincrypt_fail_null(E_INVALIDARG);
    wincrypt_cert_ref(c);
    return pCertContext;
}

WINCRYPT_API BOOL WINAPI CertFreeCertificateContext(PCCERT_CONTEXT pCertContext)
{
    const struct wincrypt_cert *c;

    if (pCertContext == NULL)
        return TRUE;
    c = wincrypt_cert_check(pCertContext);
    if (c == NULL)
        return wincrypt_fail(E_INVALIDARG);
    wincrypt_cert_unref(c);
    return TRUE;
}

/* Copy `len` bytes of a property out, Windows' way. */
static BOOL wincrypt_prop_out(const void *data, DWORD len, void *pvData, DWORD *pcbData)
{
    DWORD cap = *pcbData;

    *pcbData = len;
    if (pvData == NULL)
        return TRUE;
    if (cap < len)
        return wincrypt_fail(ERROR_MORE_DATA);
    memcpy(pvData, data, len);
    return TRUE;
}

/* CRYPT_KEY_PROV_INFO followed by its two strings, in one buffer. */
static BOOL wincrypt_prov_info(const struct wincrypt_cert *c, void *pvData, DWORD *pcbData)
{
    static const char16_t prov[] = u"libsspi";
    static const char16_t mem[] = u"libsspi:in-memory";
    char16_t *uri = NULL;
    const char16_t *container = mem;
    size_t clen, total;
    BOOL ok;

    if (c->key_kind == WINCRYPT_KEY_NONE)
        return wincrypt_fail(CRYPT_E_NOT_FOUND);
    if (c->key_kind == WINCRYPT_KEY_PKCS11) {
        /* the object's path: the query may carry the PIN */
        uri = sspi_utf8_to_utf16((const char *)c->key,
                                 wincrypt_token_uri_shown((const char *)c->key), NULL);
        if (uri == NULL)
            return wincrypt_fail(E_OUTOFMEMORY);
        container = uri;
    }
    clen = (sspi_utf16_len(container) + 1) * sizeof(char16_t);
    total = sizeof(CRYPT_KEY_PROV_INFO) + clen + sizeof(prov);
    {
        DWORD cap = *pcbData;

        *pcbData = (DWORD)total;
        ok = TRUE;
        if (pvData != NULL && cap < total) {
            ok = wincrypt_fail(ERROR_MORE_DATA);
        } else if (pvData != NULL) {
            CRYPT_KEY_PROV_INFO *info = pvData;
            char16_t *s = (char16_t *)(info + 1);

            memset(info, 0, sizeof(*info));
            memcpy(s, container, clen);
            info->pwszContainerName = s;
            s = (char16_t *)((uint8_t *)s + clen);
            memcpy(s, prov, sizeof(prov));
            info->pwszProvName = s;
            info->dwKeySpec = AT_KEYEXCHANGE;
        }
    }
    free(uri);
    return ok;
}

WINCRYPT_API BOOL WINAPI CertGetCertificateContextProperty(PCCERT_CONTEXT pCertContext,
                                                           DWORD dwPropId, void *pvData,
                                                           DWORD *pcbData)
{
    const struct wincrypt_cert *c = wincrypt_cert_check(pCertContext);
    uint8_t digest[32];
    gnutls_digest_algorithm_t alg;

    if (c == NULL || pcbData == NULL)
        return wincrypt_fail(E_INVALIDARG);
    switch (dwPropId) {
    case CERT_SHA1_HASH_PROP_ID:
        return wincrypt_prop_out(c->sha1, sizeof(c->sha1), pvData, pcbData);
    case CERT_KEY_PROV_INFO_PROP_ID:
        return wincrypt_prov_info(c, pvData, pcbData);
    case CERT_MD5_HASH_PROP_ID:
        alg = GNUTLS_DIG_MD5;
        break;
    case CERT_SHA256_HASH_PROP_ID:
        alg = GNUTLS_DIG_SHA256;
        break;
    default:
        return wincrypt_fail(CRYPT_E_NOT_FOUND);
    }
    if (gnutls_hash_fast(alg, c->ctx.pbCertEncoded, c->ctx.cbCertEncoded, digest) < 0)
        return wincrypt_fail(E_OUTOFMEMORY);
    return wincrypt_prop_out(digest, (DWORD)gnutls_hash_get_len(alg), pvData, pcbData);
}

/* The requested name of `c` as UTF-8 into out[WINCRYPT_MAX_NAME] ("" if none). */
static void wincrypt_name(const struct wincrypt_cert *c, DWORD type, DWORD flags, const void *para,
                          char *out)
{
    gnutls_datum_t d = {c->ctx.pbCertEncoded, c->ctx.cbCertEncoded};
    gnutls_x509_crt_t crt;
    bool issuer = (flags & CERT_NAME_ISSUER_FLAG) != 0;
    size_t n = WINCRYPT_MAX_NAME;

    out[0] = '\0';
    if (gnutls_x509_crt_init(&crt) < 0)
        return;
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0)
        goto out;
    switch (type) {
    case CERT_NAME_RDN_TYPE:
        wincrypt_dn_string(crt, issuer, out, WINCRYPT_MAX_NAME);
        break;
    case CERT_NAME_ATTR_TYPE:
        if (para != NULL)
            wincrypt_dn_oid(crt, issuer, para, out, WINCRYPT_MAX_NAME);
        break;
    case CERT_NAME_DNS_TYPE:
    case CERT_NAME_EMAIL_TYPE:
    case CERT_NAME_URL_TYPE:
        if (!issuer && wincrypt_san(crt, type, out, n))
            break;
        if (type == CERT_NAME_DNS_TYPE)
            wincrypt_dn_oid(crt, issuer, GNUTLS_OID_X520_COMMON_NAME, out, WINCRYPT_MAX_NAME);
        else if (type == CERT_NAME_EMAIL_TYPE)
            wincrypt_dn_oid(crt, issuer, GNUTLS_OID_PKCS9_EMAIL, out, WINCRYPT_MAX_NAME);
        break;
    case CERT_NAME_SIMPLE_DISPLAY_TYPE:
    case CERT_NAME_FRIENDLY_DISPLAY_TYPE:
        if (!wincrypt_dn_oid(crt, issuer, GNUTLS_OID_X520_COMMON_NAME, out, n) &&
            !wincrypt_dn_oid(crt, issuer, GNUTLS_OID_X520_ORGANIZATION_NAME, out, n) &&
            !wincrypt_dn_oid(crt, issuer, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, out, n))
            wincrypt_dn_oid(crt, issuer, GNUTLS_OID_PKCS9_EMAIL, out, n);
        break;
    default:
        break;
    }
out:
    gnutls_x509_crt_deinit(crt);
}

/* The name of a context libsspi made ("" for any other). */
static void wincrypt_name_of(PCCERT_CONTEXT context, DWORD type, DWORD flags, const void *para,
                             char *out)
{
    const struct wincrypt_cert *c = wincrypt_cert_check(context);

    out[0] = '\0';
    if (c != NULL)
        wincrypt_name(c, type, flags, para, out);
}

WINCRYPT_API DWORD WINAPI CertGetNameStringA(PCCERT_CONTEXT pCertContext, DWORD dwType,
                                             DWORD dwFlags, void *pvTypePara, LPSTR pszNameString,
                                             DWORD cchNameString)
{
    char name[WINCRYPT_MAX_NAME];
    size_t len;

    wincrypt_name_of(pCertContext, dwType, dwFlags, pvTypePara, name);
    len = strlen(name) + 1;
    if (pszNameString == NULL || cchNameString == 0)
        return (DWORD)len;
    if (len > cchNameString)
        len = cchNameString;
    memcpy(pszNameString, name, len - 1);
    pszNameString[len - 1] = '\0';
    return (DWORD)len;
}

WINCRYPT_API DWORD WINAPI CertGetNameStringW(PCCERT_CONTEXT pCertContext, DWORD dwType,
                                             DWORD dwFlags, void *pvTypePara, LPWSTR pszNameString,
                                             DWORD cchNameString)
{
    char name[WINCRYPT_MAX_NAME];
    char16_t wname[WINCRYPT_MAX_NAME];
    size_t len;

    wincrypt_name_of(pCertContext, dwType, dwFlags, pvTypePara, name);
    len = sspi_utf8_to_utf16_buf(name, strlen(name), wname, WINCRYPT_MAX_NAME - 1);
    if (len == (size_t)-1)
        len = 0;
    wname[len++] = 0;
    if (pszNameString == NULL || cchNameString == 0)
        return (DWORD)len;
    if (len > cchNameString)
        len = cchNameString;
    memcpy(pszNameString, wname, (len - 1) * sizeof(char16_t));
    pszNameString[len - 1] = 0;
    return (DWORD)len;
}

/* A key in a token must open and belong to the certificate now, as a key
 * file must; the last error says why it does not. */
static SECURITY_STATUS wincrypt_check_token_key(const struct wincrypt_cert *c)
{
    struct wincrypt_key_failure why;
    gnutls_privkey_t key;
    SECURITY_STATUS st = wincrypt_token_key_open(c, &key, &why);

    if (st != SEC_E_OK) {
        sspi_set_last_error((uint32_t)why.last_error);
        return st;
    }
    gnutls_privkey_deinit(key);
    return SEC_E_OK;
}

/* Context from the first certificate in cert_file and the key in key_file
 * (a file, a "pkcs11:" URI, or NULL for a key in cert_file). */
WINCRYPT_API SECURITY_STATUS libsspi_cert_from_files(const char *cert_file, const char *key_file,
                                                     PCCERT_CONTEXT *ppCertContext)
{
    struct wincrypt_loaded l;
    struct wincrypt_cert *c;
    SECURITY_STATUS st;

    if (ppCertContext == NULL || cert_file == NULL)
        return SEC_E_INVALID_PARAMETER;
    *ppCertContext = NULL;
    st = wincrypt_load_file(cert_file, key_file, &l);
    if (st != SEC_E_OK)
        return st;
    if (l.n_certs == 0 || l.key_kind == WINCRYPT_KEY_NONE) {
        wincrypt_loaded_free(&l);
        return SEC_E_NO_CREDENTIALS;
    }
    c = l.certs[l.key_index];
    l.certs[l.key_index] = NULL;
    if (!wincrypt_cert_set_key(c, l.key_kind, l.key.data, l.key.size)) {
        wincrypt_cert_unref(c);
        wincrypt_loaded_free(&l);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    wincrypt_loaded_free(&l);
    if (c->key_kind == WINCRYPT_KEY_PKCS11 && (st = wincrypt_check_token_key(c)) != SEC_E_OK) {
        wincrypt_cert_unref(c);
        return st;
    }
    *ppCertContext = &c->ctx;
    return SEC_E_OK;
}
