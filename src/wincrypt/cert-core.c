/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cert-core.c - building, copying and freeing the certificate contexts of
 * cert-private.h.  Linked into libsspi.so and into the Schannel package.
 *
 * The CERT_INFO of a context points into one malloc() block that holds the
 * certificate's DER followed by the fields GnuTLS decodes (serial number
 * reversed to little-endian, algorithm OIDs, the public key bits).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "wincrypt/cert-private.h"

/* Seconds between 1601-01-01 and 1970-01-01. */
#define WINCRYPT_EPOCH_DELTA 11644473600LL
#define WINCRYPT_MAX_OID     128
#define WINCRYPT_MAX_SERIAL  64

const struct wincrypt_cert *wincrypt_cert_check(PCCERT_CONTEXT c)
{
    const struct wincrypt_cert *cert = (const struct wincrypt_cert *)c;

    if (cert == NULL || cert->magic != WINCRYPT_CERT_MAGIC ||
        cert->version != WINCRYPT_CERT_VERSION)
        return NULL;
    return cert;
}

static FILETIME wincrypt_filetime(time_t t)
{
    uint64_t v = (uint64_t)((int64_t)t + WINCRYPT_EPOCH_DELTA) * 10000000u;
    FILETIME ft = {(DWORD)v, (DWORD)(v >> 32)};

    return ft;
}

/* One DER TLV at p[0..len): tag, and the value's offset and length.  False
 * if it does not fit (lengths of up to 4 bytes). */
static bool wincrypt_der_tlv(const uint8_t *p, size_t len, uint8_t *tag, size_t *off, size_t *vlen)
{
    size_t n, pos = 2;

    if (len < 2)
        return false;
    *tag = p[0];
    n = p[1];
    if (n & 0x80) {
        size_t k = n & 0x7f;

        if (k == 0 || k > 4 || len < 2 + k)
            return false;
        n = 0;
        for (size_t i = 0; i < k; i++)
            n = n << 8 | p[2 + i];
        pos += k;
    }
    if (n > len - pos)
        return false;
    *off = pos;
    *vlen = n;
    return true;
}

/* The BIT STRING of a SubjectPublicKeyInfo: SEQUENCE { SEQUENCE alg, BIT STRING }. */
static bool wincrypt_spki_bits(const uint8_t *spki, size_t len, const uint8_t **bits,
                               size_t *bits_len, uint8_t *unused)
{
    uint8_t tag;
    size_t off, vlen, aoff, alen;

    if (!wincrypt_der_tlv(spki, len, &tag, &off, &vlen) || tag != 0x30)
        return false;
    spki += off;
    len = vlen;
    if (!wincrypt_der_tlv(spki, len, &tag, &aoff, &alen) || tag != 0x30)
        return false;
    spki += aoff + alen;
    len -= aoff + alen;
    if (!wincrypt_der_tlv(spki, len, &tag, &off, &vlen) || tag != 0x03 || vlen < 1)
        return false;
    *unused = spki[off];
    *bits = spki + off + 1;
    *bits_len = vlen - 1;
    return true;
}

/* What CERT_INFO needs, decoded into temporary buffers. */
struct wincrypt_fields {
    uint8_t serial[WINCRYPT_MAX_SERIAL];
    size_t serial_len;
    char sig_oid[WINCRYPT_MAX_OID];
    char pk_oid[WINCRYPT_MAX_OID];
    gnutls_datum_t issuer, subject, spki;
    const uint8_t *bits;
    size_t bits_len;
    uint8_t unused_bits;
};

static bool wincrypt_decode(gnutls_x509_crt_t crt, struct wincrypt_fields *f)
{
    size_t n;
    gnutls_pubkey_t pub = NULL;
    bool ok = false;

    f->serial_len = sizeof(f->serial);
    if (gnutls_x509_crt_get_serial(crt, f->serial, &f->serial_len) < 0)
        return false;
    n = sizeof(f->sig_oid);
    if (gnutls_x509_crt_get_signature_oid(crt, f->sig_oid, &n) < 0)
        return false;
    n = sizeof(f->pk_oid);
    if (gnutls_x509_crt_get_pk_oid(crt, f->pk_oid, &n) < 0)
        return false;
    if (gnutls_x509_crt_get_raw_issuer_dn(crt, &f->issuer) < 0 ||
        gnutls_x509_crt_get_raw_dn(crt, &f->subject) < 0)
        return false;
    if (gnutls_pubkey_init(&pub) < 0)
        return false;
    if (gnutls_pubkey_import_x509(pub, crt, 0) >= 0 &&
        gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &f->spki) >= 0) {
        ok =
            wincrypt_spki_bits(f->spki.data, f->spki.size, &f->bits, &f->bits_len, &f->unused_bits);
        if (!ok) {
            gnutls_free(f->spki.data);
            f->spki.data = NULL;
        }
    }
    gnutls_pubkey_deinit(pub);
    return ok;
}

/* Lay the DER and the decoded fields out in cert->storage. */
static bool wincrypt_fill(struct wincrypt_cert *cert, const uint8_t *der, size_t len,
                          gnutls_x509_crt_t crt, const struct wincrypt_fields *f)
{
    size_t sig_len = strlen(f->sig_oid) + 1, pk_len = strlen(f->pk_oid) + 1;
    size_t total =
        len + f->serial_len + sig_len + pk_len + f->issuer.size + f->subject.size + f->bits_len;
    uint8_t *p = malloc(total ? total : 1);
    CERT_INFO *info = &cert->info;

    if (p == NULL)
        return false;
    cert->storage = p;
    memcpy(p, der, len);
    cert->ctx.dwCertEncodingType = X509_ASN_ENCODING;
    cert->ctx.pbCertEncoded = p;
    cert->ctx.cbCertEncoded = (DWORD)len;
    cert->ctx.pCertInfo = info;
    p += len;
    info->dwVersion = (DWORD)(gnutls_x509_crt_get_version(crt) - 1);
    info->SerialNumber.cbData = (DWORD)f->serial_len;
    info->SerialNumber.pbData = p;
    for (size_t i = 0; i < f->serial_len; i++)
        *p++ = f->serial[f->serial_len - 1 - i];
    info->SignatureAlgorithm.pszObjId = memcpy(p, f->sig_oid, sig_len);
    p += sig_len;
    info->Issuer.cbData = f->issuer.size;
    info->Issuer.pbData = memcpy(p, f->issuer.data, f->issuer.size);
    p += f->issuer.size;
    info->Subject.cbData = f->subject.size;
    info->Subject.pbData = memcpy(p, f->subject.data, f->subject.size);
    p += f->subject.size;
    info->NotBefore = wincrypt_filetime(gnutls_x509_crt_get_activation_time(crt));
    info->NotAfter = wincrypt_filetime(gnutls_x509_crt_get_expiration_time(crt));
    info->SubjectPublicKeyInfo.Algorithm.pszObjId = memcpy(p, f->pk_oid, pk_len);
    p += pk_len;
    info->SubjectPublicKeyInfo.PublicKey.cbData = (DWORD)f->bits_len;
    info->SubjectPublicKeyInfo.PublicKey.pbData = memcpy(p, f->bits, f->bits_len);
    info->SubjectPublicKeyInfo.PublicKey.cUnusedBits = f->unused_bits;
    return true;
}

uint32_t wincrypt_asn1_error(const uint8_t *der, size_t len, int gnutls_err)
{
    size_t n, hdr = 2;

    if (der == NULL || len == 0)
        return (uint32_t)CRYPT_E_ASN1_EOD;
    if (der[0] != 0x30)
        return (uint32_t)CRYPT_E_ASN1_BADTAG;
    if (len < 2)
        return (uint32_t)CRYPT_E_ASN1_EOD;
    n = der[1];
    if (n & 0x80) {
        size_t k = n & 0x7f;

        if (k == 0 || k > 4)
            return (uint32_t)CRYPT_E_ASN1_CORRUPT;
        if (len < 2 + k)
            return (uint32_t)CRYPT_E_ASN1_EOD;
        n = 0;
        for (size_t i = 0; i < k; i++)
            n = n << 8 | der[2 + i];
        hdr += k;
    }
    if (n > len - hdr)
        return (uint32_t)CRYPT_E_ASN1_EOD;
    if (n < len - hdr)
        return (uint32_t)CRYPT_E_ASN1_CORRUPT; /* bytes after the certificate */
    switch (gnutls_err) {
    case GNUTLS_E_ASN1_TAG_ERROR:
        return (uint32_t)CRYPT_E_ASN1_BADTAG;
    case GNUTLS_E_ASN1_DER_ERROR:
    case GNUTLS_E_ASN1_DER_OVERFLOW:
    case GNUTLS_E_ASN1_ELEMENT_NOT_FOUND:
    case GNUTLS_E_ASN1_VALUE_NOT_FOUND:
        return (uint32_t)CRYPT_E_ASN1_EOD;
    default:
        return (uint32_t)CRYPT_E_ASN1_CORRUPT;
    }
}

uint32_t wincrypt_cert_decode(const uint8_t *der, size_t len, struct wincrypt_cert **out)
{
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned int)len};
    struct wincrypt_fields f;
    struct wincrypt_cert *cert = NULL;
    size_t sha_len = sizeof(cert->sha1);
    uint32_t err;
    int r;

    *out = NULL;
    memset(&f, 0, sizeof(f));
    if (der == NULL || len == 0 || len > UINT32_MAX)
        return wincrypt_asn1_error(der, len > UINT32_MAX ? 0 : len, 0);
    if (gnutls_x509_crt_init(&crt) < 0)
        return (uint32_t)E_OUTOFMEMORY;
    r = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
    if (r < 0 || !wincrypt_decode(crt, &f)) {
        err = wincrypt_asn1_error(der, len, r);
        goto out;
    }
    err = (uint32_t)E_OUTOFMEMORY;
    cert = calloc(1, sizeof(*cert));
    if (cert == NULL)
        goto out;
    if (!wincrypt_fill(cert, der, len, crt, &f)) {
        free(cert);
        cert = NULL;
        goto out;
    }
    gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, cert->sha1, &sha_len);
    cert->magic = WINCRYPT_CERT_MAGIC;
    cert->version = WINCRYPT_CERT_VERSION;
    atomic_init(&cert->refs, 1);
    err = 0;
out:
    gnutls_free(f.spki.data);
    gnutls_free(f.issuer.data); /* copies in GnuTLS 3.7 */
    gnutls_free(f.subject.data);
    gnutls_x509_crt_deinit(crt);
    *out = cert;
    return err;
}

struct wincrypt_cert *wincrypt_cert_from_der(const uint8_t *der, size_t len)
{
    struct wincrypt_cert *cert;
    uint32_t err = wincrypt_cert_decode(der, len, &cert);

    if (err != 0)
        errno = err == (uint32_t)E_OUTOFMEMORY ? ENOMEM : EINVAL;
    return cert;
}

bool wincrypt_cert_set_key(struct wincrypt_cert *cert, uint32_t kind, const uint8_t *key,
                           size_t len)
{
    uint8_t *copy;

    if (len > UINT32_MAX - 1 || (kind != WINCRYPT_KEY_PKCS8 && kind != WINCRYPT_KEY_PKCS11))
        return false;
    copy = malloc(len + 1);
    if (copy == NULL)
        return false;
    memcpy(copy, key, len);
    copy[len] = 0;
    if (cert->key != NULL) {
        explicit_bzero(cert->key, cert->key_len);
        free(cert->key);
    }
    cert->key = copy;
    cert->key_len = (uint32_t)len;
    cert->key_kind = kind;
    return true;
}

struct wincrypt_cert *wincrypt_cert_copy(const struct wincrypt_cert *cert,
                                         struct wincrypt_store_ref *store)
{
    struct wincrypt_cert *c =
        wincrypt_cert_from_der(cert->ctx.pbCertEncoded, cert->ctx.cbCertEncoded);

    if (c == NULL)
        return NULL;
    if (cert->key != NULL && !wincrypt_cert_set_key(c, cert->key_kind, cert->key, cert->key_len)) {
        wincrypt_cert_unref(c);
        errno = ENOMEM;
        return NULL;
    }
    if (store != NULL) {
        atomic_fetch_add(&store->refs, 1);
        c->store = store;
        c->ctx.hCertStore = store;
    }
    return c;
}

void wincrypt_cert_ref(const struct wincrypt_cert *cert)
{
    atomic_fetch_add(&((struct wincrypt_cert *)cert)->refs, 1);
}

void wincrypt_cert_unref(const struct wincrypt_cert *cert)
{
    struct wincrypt_cert *c = (struct wincrypt_cert *)cert;
    struct wincrypt_store_ref *store;

    if (atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    store = c->store;
    if (c->key != NULL) {
        explicit_bzero(c->key, c->key_len);
        free(c->key);
    }
    free(c->storage);
    explicit_bzero(c, sizeof(*c));
    free(c);
    if (store != NULL && atomic_fetch_sub(&store->refs, 1) == 1)
        store->release(store);
}
