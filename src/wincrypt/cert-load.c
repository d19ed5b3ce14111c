/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cert-load.c - reading certificates and private keys from PEM/DER files
 * and memory, the certificate directory behind the "MY" store, and the
 * name helpers of CertGetNameString.  Part of the cert-core convenience
 * library: libsspi.so and the Schannel package both use it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config-paths.h"
#include "wincrypt/cert-private.h"

#define LIBSSPI_CERT_DIR_DEFAULT SYSCONFDIR "/libsspi/certs"

#define WINCRYPT_MAX_CERTS 1024

void wincrypt_loaded_free(struct wincrypt_loaded *l)
{
    for (size_t i = 0; i < l->n_certs; i++)
        if (l->certs[i] != NULL)
            wincrypt_cert_unref(l->certs[i]);
    free(l->certs);
    if (l->key.data != NULL) {
        explicit_bzero(l->key.data, l->key.size);
        gnutls_free(l->key.data);
    }
    memset(l, 0, sizeof(*l));
}

bool wincrypt_key_pkcs8(gnutls_x509_privkey_t key, gnutls_datum_t *out)
{
    return gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN,
                                             out) >= 0;
}

size_t wincrypt_key_match(gnutls_x509_privkey_t key, struct wincrypt_cert *const *certs, size_t n)
{
    uint8_t kid[64], cid[64];
    size_t klen = sizeof(kid);

    if (gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, kid, &klen) < 0)
        return n;
    for (size_t i = 0; i < n; i++) {
        gnutls_x509_crt_t crt;
        gnutls_datum_t d = {certs[i]->ctx.pbCertEncoded, certs[i]->ctx.cbCertEncoded};
        size_t clen = sizeof(cid);
        bool same = false;

        if (gnutls_x509_crt_init(&crt) < 0)
            return n;
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
            gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, cid, &clen) >= 0)
            same = clen == klen && memcmp(cid, kid, klen) == 0;
        gnutls_x509_crt_deinit(crt);
        if (same)
            return i;
    }
    return n;
}

static bool wincrypt_is_pem(const gnutls_datum_t *d)
{
    return d->size > 10 && memmem(d->data, d->size, "-----BEGIN", 10) != NULL;
}

/* Every certificate of `data` into out->certs. */
static SECURITY_STATUS wincrypt_load_certs(const gnutls_datum_t *data, struct wincrypt_loaded *out)
{
    gnutls_x509_crt_t *list = NULL;
    unsigned int n = 0;
    SECURITY_STATUS st = SEC_E_OK;

    if (gnutls_x509_crt_list_import2(
            &list, &n, data, wincrypt_is_pem(data) ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0) <
        0) {
        /* a PEM file with only a key has no certificate: not an error */
        return wincrypt_is_pem(data) ? SEC_E_OK : SEC_E_UNKNOWN_CREDENTIALS;
    }
    if (n > WINCRYPT_MAX_CERTS)
        st = SEC_E_UNKNOWN_CREDENTIALS;
    else if ((out->certs = calloc(n ? n : 1, sizeof(*out->certs))) == NULL)
        st = SEC_E_INSUFFICIENT_MEMORY;
    for (unsigned int i = 0; i < n; i++) {
        gnutls_datum_t der = {NULL, 0};

        if (st == SEC_E_OK && gnutls_x509_crt_export2(list[i], GNUTLS_X509_FMT_DER, &der) >= 0) {
            out->certs[out->n_certs] = wincrypt_cert_from_der(der.data, der.size);
            if (out->certs[out->n_certs] != NULL)
                out->n_certs++;
            else
                st = SEC_E_UNKNOWN_CREDENTIALS;
        }
        gnutls_free(der.data);
        gnutls_x509_crt_deinit(list[i]);
    }
    gnutls_free(list);
    return st;
}

/* The private key of `data` (PEM or DER), if it has one. */
static SECURITY_STATUS wincrypt_load_key(const gnutls_datum_t *data, bool required,
                                         struct wincrypt_loaded *out)
{
    gnutls_x509_privkey_t key;
    SECURITY_STATUS st = SEC_E_OK;
    int r;

    if (gnutls_x509_privkey_init(&key) < 0)
        return SEC_E_INSUFFICIENT_MEMORY;
    r = gnutls_x509_privkey_import2(
        key, data, wincrypt_is_pem(data) ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, NULL,
        GNUTLS_PKCS_PLAIN);
    if (r < 0) {
        st = required ? SEC_E_UNKNOWN_CREDENTIALS : SEC_E_OK;
    } else {
        out->key_index = wincrypt_key_match(key, out->certs, out->n_certs);
        if (out->key_index == out->n_certs)
            st = SEC_E_NO_CREDENTIALS;
        else if (!wincrypt_key_pkcs8(key, &out->key))
            st = SEC_E_UNKNOWN_CREDENTIALS;
        else
            out->key_kind = WINCRYPT_KEY_PKCS8;
    }
    gnutls_x509_privkey_deinit(key);
    return st;
}

SECURITY_STATUS wincrypt_load_mem(const gnutls_datum_t *data, const gnutls_datum_t *key_data,
                                  struct wincrypt_loaded *out)
{
    SECURITY_STATUS st;

    memset(out, 0, sizeof(*out));
    st = wincrypt_load_certs(data, out);
    if (st == SEC_E_OK && out->n_certs == 0)
        st = SEC_E_UNKNOWN_CREDENTIALS;
    if (st == SEC_E_OK)
        st = wincrypt_load_key(key_data ? key_data : data, key_data != NULL, out);
    if (st != SEC_E_OK)
        wincrypt_loaded_free(out);
    return st;
}

SECURITY_STATUS wincrypt_load_file(const char *cert_file, const char *key_file,
                                   struct wincrypt_loaded *out)
{
    gnutls_datum_t data = {NULL, 0}, key = {NULL, 0};
    bool uri = key_file != NULL && strncasecmp(key_file, "pkcs11:", 7) == 0;
    SECURITY_STATUS st;

    memset(out, 0, sizeof(*out));
    if (gnutls_load_file(cert_file, &data) < 0)
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (key_file != NULL && !uri && gnutls_load_file(key_file, &key) < 0) {
        gnutls_free(data.data);
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    if (uri) {
        st = wincrypt_load_certs(&data, out);
        if (st == SEC_E_OK && out->n_certs == 0)
            st = SEC_E_UNKNOWN_CREDENTIALS;
        if (st == SEC_E_OK) {
            out->key.data = gnutls_malloc(strlen(key_file) + 1);
            if (out->key.data == NULL) {
                st = SEC_E_INSUFFICIENT_MEMORY;
            } else {
                out->key.size = (unsigned int)strlen(key_file);
                /* the scheme in GnuTLS's spelling: RFC 3986 schemes are
                 * case-insensitive, GnuTLS compares "pkcs11:" exactly */
                memcpy(out->key.data, "pkcs11:", 7);
                memcpy(out->key.data + 7, key_file + 7, out->key.size - 7 + 1);
                out->key_kind = WINCRYPT_KEY_PKCS11;
                out->key_index = 0;
            }
        }
        if (st != SEC_E_OK)
            wincrypt_loaded_free(out);
    } else {
        st = wincrypt_load_mem(&data, key_file ? &key : NULL, out);
    }
    if (key.data != NULL) {
        explicit_bzero(key.data, key.size);
        gnutls_free(key.data);
    }
    gnutls_free(data.data);
    return st;
}

bool wincrypt_dn_string(gnutls_x509_crt_t crt, bool issuer, char *out, size_t cap)
{
    gnutls_datum_t dn = {NULL, 0};
    int r =
        issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) : gnutls_x509_crt_get_dn3(crt, &dn, 0);

    if (r < 0)
        return false;
    snprintf(out, cap, "%.*s", (int)dn.size, (const char *)dn.data);
    gnutls_free(dn.data);
    return true;
}

bool wincrypt_dn_oid(gnutls_x509_crt_t crt, bool issuer, const char *oid, char *out, size_t cap)
{
    size_t n = cap;
    int r = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, oid, 0, 0, out, &n)
                   : gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, 0, out, &n);

    if (r < 0 || n >= cap) {
        out[0] = '\0';
        return false;
    }
    out[n] = '\0';
    return n > 0 && strlen(out) == n;
}

bool wincrypt_san(gnutls_x509_crt_t crt, DWORD type, char *out, size_t cap)
{
    int want = type == CERT_NAME_DNS_TYPE     ? GNUTLS_SAN_DNSNAME
               : type == CERT_NAME_EMAIL_TYPE ? GNUTLS_SAN_RFC822NAME
                                              : GNUTLS_SAN_URI;

    for (unsigned int i = 0; i < 64; i++) {
        size_t n = cap - 1;
        int r = gnutls_x509_crt_get_subject_alt_name(crt, i, out, &n, NULL);

        if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (r == want && n < cap && memchr(out, 0, n) == NULL) {
            out[n] = '\0';
            return true;
        }
    }
    out[0] = '\0';
    return false;
}

const char *wincrypt_my_dir(void)
{
    const char *v = secure_getenv("LIBSSPI_CERT_DIR");

    return v != NULL && *v ? v : LIBSSPI_CERT_DIR_DEFAULT;
}

/* *.pem and *.crt names, in C-locale order (scandir's filter). */
static int wincrypt_is_cert_name(const struct dirent *e)
{
    size_t n = strlen(e->d_name);

    return n >= 5 &&
           (strcmp(e->d_name + n - 4, ".pem") == 0 || strcmp(e->d_name + n - 4, ".crt") == 0);
}

/* One file of the directory with its key (NAME.key, else in the file). */
static bool wincrypt_dir_load(const char *dir, const char *name, struct wincrypt_loaded *l)
{
    char path[4096], key[4096];
    size_t n = strlen(name);

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
        (size_t)snprintf(key, sizeof(key), "%s/%.*s.key", dir, (int)(n - 4), name) >= sizeof(key))
        return false;
    if (access(key, R_OK) == 0 && wincrypt_load_file(path, key, l) == SEC_E_OK)
        return true;
    return wincrypt_load_file(path, NULL, l) == SEC_E_OK;
}

void wincrypt_dir_each(const char *dir, bool (*fn)(struct wincrypt_loaded *l, void *arg), void *arg)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, wincrypt_is_cert_name, alphasort);
    bool go = true;

    for (int i = 0; i < n; i++) {
        struct wincrypt_loaded l;

        if (go && wincrypt_dir_load(dir, names[i]->d_name, &l)) {
            go = fn(&l, arg);
            wincrypt_loaded_free(&l);
        }
        free(names[i]);
    }
    free(names);
}

/* wincrypt_dir_find_sha1's search state. */
struct wincrypt_sha1_search {
    const uint8_t *sha1;
    struct wincrypt_cert *hit;
};

static bool wincrypt_sha1_step(struct wincrypt_loaded *l, void *arg)
{
    struct wincrypt_sha1_search *q = arg;

    for (size_t i = 0; i < l->n_certs; i++) {
        if (memcmp(l->certs[i]->sha1, q->sha1, sizeof(l->certs[i]->sha1)) != 0)
            continue;
        if (l->key_kind != WINCRYPT_KEY_NONE && i == l->key_index &&
            !wincrypt_cert_set_key(l->certs[i], l->key_kind, l->key.data, l->key.size))
            return false;
        q->hit = l->certs[i];
        l->certs[i] = NULL;
        return false;
    }
    return true;
}

struct wincrypt_cert *wincrypt_dir_find_sha1(const char *dir, const uint8_t sha1[20])
{
    struct wincrypt_sha1_search q = {sha1, NULL};

    wincrypt_dir_each(dir, wincrypt_sha1_step, &q);
    return q.hit;
}
