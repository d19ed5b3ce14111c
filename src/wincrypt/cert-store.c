/*
 * cert-store.c - certificate stores of <wincrypt.h>: memory, file and
 * system stores, adding, enumerating and finding, and PKCS#12 import.
 *
 * A store is a locked array of contexts, each holding one reference taken
 * by the store and a pointer back to it (a reference on the store's head).
 * CertCloseStore drops the handle; when the last handle goes the store
 * lets go of its contexts, and the head is freed once no context handed
 * out still points to it.
 *
 * Status choices for bad input: NULL or foreign store or context, unknown
 * provider or find type: NULL / FALSE with errno EINVAL.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/pkcs12.h>

#include "common/utf16.h"
#include "config-paths.h"
#include "wincrypt/wincrypt-internal.h"

#define WINCRYPT_API __attribute__((visibility("default")))
#define WINCRYPT_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define LIBSSPI_CERT_DIR_DEFAULT SYSCONFDIR "/libsspi/certs"

static void wincrypt_store_release(struct wincrypt_store_ref *ref)
{
    struct wincrypt_store *s = (struct wincrypt_store *)ref;

    pthread_mutex_destroy(&s->lock);
    s->magic = 0;
    free(s);
}

static struct wincrypt_store *wincrypt_store_new(void)
{
    struct wincrypt_store *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    atomic_init(&s->head.refs, 1); /* the handles, together */
    s->head.release = wincrypt_store_release;
    atomic_init(&s->handles, 1);
    s->magic = WINCRYPT_STORE_MAGIC;
    s->version = WINCRYPT_CERT_VERSION;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static struct wincrypt_store *wincrypt_store_check(HCERTSTORE h)
{
    struct wincrypt_store *s = h;

    if (s == NULL || s->magic != WINCRYPT_STORE_MAGIC || atomic_load(&s->handles) == 0) {
        errno = EINVAL;
        return NULL;
    }
    return s;
}

/* Append a copy of `c` (with its key); the new context, or NULL. */
static struct wincrypt_cert *wincrypt_store_append(struct wincrypt_store *s,
                                                   const struct wincrypt_cert *c)
{
    struct wincrypt_cert *copy;

    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        struct wincrypt_cert **v = realloc(s->certs, cap * sizeof(*v));

        if (v == NULL) {
            errno = ENOMEM;
            return NULL;
        }
        s->certs = v;
        s->cap = cap;
    }
    copy = wincrypt_cert_copy(c, &s->head);
    if (copy != NULL)
        s->certs[s->n++] = copy;
    return copy;
}

/* Put what a file held into the store: the key goes with its certificate. */
static bool wincrypt_store_take(struct wincrypt_store *s, struct wincrypt_loaded *l)
{
    bool ok = true;

    for (size_t i = 0; i < l->n_certs && ok; i++) {
        if (l->key_kind != WINCRYPT_KEY_NONE && i == l->key_index)
            ok = wincrypt_cert_set_key(l->certs[i], l->key_kind, l->key.data, l->key.size);
        ok = ok && wincrypt_store_append(s, l->certs[i]) != NULL;
    }
    return ok;
}

static bool wincrypt_store_load_file(struct wincrypt_store *s, const char *path,
                                     const char *key_path)
{
    struct wincrypt_loaded l;
    bool ok;

    if (wincrypt_load_file(path, key_path, &l) != SEC_E_OK) {
        errno = ENOENT;
        return false;
    }
    ok = wincrypt_store_take(s, &l);
    wincrypt_loaded_free(&l);
    return ok;
}

/* "MY": each *.pem / *.crt of the certificate directory, with its key in
 * the same file or in NAME.key. */
static void wincrypt_store_load_dir(struct wincrypt_store *s, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        char path[4096], key[4096];
        FILE *f;

        if (n < 5 ||
            (strcmp(e->d_name + n - 4, ".pem") != 0 && strcmp(e->d_name + n - 4, ".crt") != 0))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        snprintf(key, sizeof(key), "%s/%.*s.key", dir, (int)(n - 4), e->d_name);
        f = fopen(key, "r");
        if (f != NULL)
            fclose(f);
        if (!wincrypt_store_load_file(s, path, f ? key : NULL))
            wincrypt_store_load_file(s, path, NULL);
    }
    closedir(d);
}

static const char *wincrypt_env(const char *name, const char *fallback)
{
    const char *v = secure_getenv(name);

    return v != NULL && *v ? v : fallback;
}

static bool wincrypt_store_system(struct wincrypt_store *s, const char *name)
{
    if (strcasecmp(name, "ROOT") == 0 || strcasecmp(name, "CA") == 0 ||
        strcasecmp(name, "AuthRoot") == 0) {
        s->readonly = true;
        return wincrypt_store_load_file(s, wincrypt_env("SSL_CERT_FILE", WINCRYPT_SYSTEM_CA_FILE),
                                        NULL) ||
               s->n == 0;
    }
    if (strcasecmp(name, "MY") == 0) {
        wincrypt_store_load_dir(s, wincrypt_env("LIBSSPI_CERT_DIR", LIBSSPI_CERT_DIR_DEFAULT));
        return true;
    }
    errno = ENOENT;
    return false;
}

static char *wincrypt_para_utf8(const void *para, bool wide)
{
    if (para == NULL)
        return NULL;
    return wide ? sspi_utf16_to_utf8(para, (size_t)-1, NULL) : strdup(para);
}

WINCRYPT_API HCERTSTORE WINAPI CertOpenStore(LPCSTR lpszStoreProvider, DWORD dwEncodingType,
                                             ULONG_PTR hCryptProv, DWORD dwFlags,
                                             const void *pvPara)
{
    uintptr_t prov = (uintptr_t)lpszStoreProvider;
    struct wincrypt_store *s;
    char *name = NULL;
    bool ok = true;

    if (prov != 2 && prov != 7 && prov != 8 && prov != 9 && prov != 10) {
        errno = EINVAL;
        return NULL;
    }
    if (prov != 2) {
        name = wincrypt_para_utf8(pvPara, prov == 8 || prov == 10);
        if (name == NULL) {
            errno = EINVAL;
            return NULL;
        }
    }
    s = wincrypt_store_new();
    if (s != NULL) {
        if (prov == 7 || prov == 8)
            ok = wincrypt_store_load_file(s, name, NULL);
        else if (prov == 9 || prov == 10)
            ok = wincrypt_store_system(s, name);
        if (dwFlags & CERT_STORE_READONLY_FLAG)
            s->readonly = true;
        if (!ok) {
            int err = errno;

            CertCloseStore(s, 0);
            s = NULL;
            errno = err;
        }
    }
    free(name);
    return s;
}

WINCRYPT_API HCERTSTORE WINAPI CertOpenSystemStoreA(ULONG_PTR hProv, LPCSTR szSubsystemProtocol)
{
    return CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, hProv, CERT_SYSTEM_STORE_CURRENT_USER,
                         szSubsystemProtocol);
}

WINCRYPT_API HCERTSTORE WINAPI CertOpenSystemStoreW(ULONG_PTR hProv, LPCWSTR szSubsystemProtocol)
{
    return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, hProv, CERT_SYSTEM_STORE_CURRENT_USER,
                         szSubsystemProtocol);
}

WINCRYPT_API HCERTSTORE WINAPI CertDuplicateStore(HCERTSTORE hCertStore)
{
    struct wincrypt_store *s = wincrypt_store_check(hCertStore);

    if (s == NULL)
        return NULL;
    atomic_fetch_add(&s->handles, 1);
    return s;
}

WINCRYPT_API BOOL WINAPI CertCloseStore(HCERTSTORE hCertStore, DWORD dwFlags)
{
    struct wincrypt_store *s;
    struct wincrypt_cert **certs;
    size_t n;

    if (hCertStore == NULL)
        return TRUE;
    s = wincrypt_store_check(hCertStore);
    if (s == NULL)
        return FALSE;
    if (atomic_fetch_sub(&s->handles, 1) != 1)
        return TRUE;
    pthread_mutex_lock(&s->lock);
    certs = s->certs;
    n = s->n;
    s->certs = NULL;
    s->n = s->cap = 0;
    pthread_mutex_unlock(&s->lock);
    for (size_t i = 0; i < n; i++)
        wincrypt_cert_unref(certs[i]);
    free(certs);
    if (atomic_fetch_sub(&s->head.refs, 1) == 1)
        wincrypt_store_release(&s->head);
    return TRUE;
}

/* Index in the store of the context `prev` (n if absent). */
static size_t wincrypt_store_index(const struct wincrypt_store *s, PCCERT_CONTEXT prev)
{
    for (size_t i = 0; i < s->n; i++)
        if (&s->certs[i]->ctx == prev)
            return i;
    return s->n;
}

WINCRYPT_API BOOL WINAPI CertAddCertificateContextToStore(HCERTSTORE hCertStore,
                                                          PCCERT_CONTEXT pCertContext,
                                                          DWORD dwAddDisposition,
                                                          PCCERT_CONTEXT *ppStoreContext)
{
    struct wincrypt_store *s = wincrypt_store_check(hCertStore);
    const struct wincrypt_cert *c = wincrypt_cert_check(pCertContext);
    struct wincrypt_cert *found = NULL, *added = NULL;
    size_t at = 0;

    if (ppStoreContext != NULL)
        *ppStoreContext = NULL;
    if (s == NULL || c == NULL || dwAddDisposition < CERT_STORE_ADD_NEW ||
        dwAddDisposition > CERT_STORE_ADD_NEWER_INHERIT_PROPERTIES) {
        errno = EINVAL;
        return FALSE;
    }
    pthread_mutex_lock(&s->lock);
    for (at = 0; at < s->n && dwAddDisposition != CERT_STORE_ADD_ALWAYS; at++)
        if (memcmp(s->certs[at]->sha1, c->sha1, sizeof(c->sha1)) == 0) {
            found = s->certs[at];
            break;
        }
    if (found != NULL && dwAddDisposition == CERT_STORE_ADD_NEW) {
        errno = EEXIST;
    } else if (found != NULL && dwAddDisposition == CERT_STORE_ADD_USE_EXISTING) {
        added = found;
    } else if (found != NULL) {
        added = wincrypt_cert_copy(c, &s->head);
        if (added != NULL) {
            s->certs[at] = added;
            wincrypt_cert_unref(found);
        }
    } else {
        added = wincrypt_store_append(s, c);
    }
    if (added != NULL && ppStoreContext != NULL) {
        wincrypt_cert_ref(added);
        *ppStoreContext = &added->ctx;
    }
    pthread_mutex_unlock(&s->lock);
    return added != NULL;
}

WINCRYPT_API BOOL WINAPI CertAddEncodedCertificateToStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, const BYTE *pbCertEncoded, DWORD cbCertEncoded,
    DWORD dwAddDisposition, PCCERT_CONTEXT *ppCertContext)
{
    PCCERT_CONTEXT c =
        CertCreateCertificateContext(dwCertEncodingType, pbCertEncoded, cbCertEncoded);
    BOOL ok;

    if (c == NULL)
        return FALSE;
    ok = CertAddCertificateContextToStore(hCertStore, c, dwAddDisposition, ppCertContext);
    CertFreeCertificateContext(c);
    return ok;
}

/* Does `c` match the find type and parameter? */
static bool wincrypt_matches(const struct wincrypt_cert *c, DWORD type, const void *para)
{
    if (type == CERT_FIND_ANY)
        return true;
    if (type == CERT_FIND_SHA1_HASH) {
        const CRYPT_HASH_BLOB *h = para;

        return h != NULL && h->cbData == sizeof(c->sha1) && h->pbData != NULL &&
               memcmp(h->pbData, c->sha1, sizeof(c->sha1)) == 0;
    }
    {
        bool wide = (type >> CERT_COMPARE_SHIFT) == CERT_COMPARE_NAME_STR_W;
        bool issuer = (type & 0xffff) == CERT_INFO_ISSUER_FLAG;
        char *want = wincrypt_para_utf8(para, wide);
        char name[1024];
        gnutls_x509_crt_t crt;
        gnutls_datum_t d = {c->ctx.pbCertEncoded, c->ctx.cbCertEncoded};
        bool hit = false;

        if (want == NULL || gnutls_x509_crt_init(&crt) < 0) {
            free(want);
            return false;
        }
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
            wincrypt_dn_string(crt, issuer, name, sizeof(name)))
            hit = strcasestr(name, want) != NULL;
        gnutls_x509_crt_deinit(crt);
        free(want);
        return hit;
    }
}

WINCRYPT_API PCCERT_CONTEXT WINAPI CertFindCertificateInStore(HCERTSTORE hCertStore,
                                                              DWORD dwCertEncodingType,
                                                              DWORD dwFindFlags, DWORD dwFindType,
                                                              const void *pvFindPara,
                                                              PCCERT_CONTEXT pPrevCertContext)
{
    struct wincrypt_store *s = wincrypt_store_check(hCertStore);
    struct wincrypt_cert *hit = NULL;
    size_t i = 0;

    if (s == NULL ||
        (dwFindType != CERT_FIND_ANY && dwFindType != CERT_FIND_SHA1_HASH &&
         dwFindType != CERT_FIND_SUBJECT_STR_A && dwFindType != CERT_FIND_SUBJECT_STR_W &&
         dwFindType != CERT_FIND_ISSUER_STR_A && dwFindType != CERT_FIND_ISSUER_STR_W)) {
        CertFreeCertificateContext(pPrevCertContext);
        errno = EINVAL;
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    if (pPrevCertContext != NULL) {
        i = wincrypt_store_index(s, pPrevCertContext);
        i = i < s->n ? i + 1 : s->n;
    }
    for (; i < s->n && hit == NULL; i++)
        if (wincrypt_matches(s->certs[i], dwFindType, pvFindPara))
            hit = s->certs[i];
    if (hit != NULL)
        wincrypt_cert_ref(hit);
    pthread_mutex_unlock(&s->lock);
    CertFreeCertificateContext(pPrevCertContext);
    if (hit == NULL)
        errno = ENOENT;
    return hit ? &hit->ctx : NULL;
}

WINCRYPT_API PCCERT_CONTEXT WINAPI CertEnumCertificatesInStore(HCERTSTORE hCertStore,
                                                               PCCERT_CONTEXT pPrevCertContext)
{
    return CertFindCertificateInStore(hCertStore, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL,
                                      pPrevCertContext);
}

/* Everything a PKCS#12 bag held, as a wincrypt_loaded. */
static bool wincrypt_pfx_parse(const CRYPT_DATA_BLOB *pfx, const char *password,
                               struct wincrypt_loaded *l)
{
    gnutls_pkcs12_t p12 = NULL;
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t *chain = NULL, *extra = NULL;
    unsigned int n_chain = 0, n_extra = 0;
    gnutls_datum_t d = {pfx->pbData, pfx->cbData};
    bool ok = false;

    memset(l, 0, sizeof(*l));
    if (gnutls_pkcs12_init(&p12) < 0)
        return false;
    if (gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0) < 0 ||
        gnutls_pkcs12_verify_mac(p12, password) < 0 ||
        gnutls_pkcs12_simple_parse(p12, password, &key, &chain, &n_chain, &extra, &n_extra, NULL,
                                   0) < 0)
        goto out;
    l->certs = calloc((size_t)n_chain + n_extra + 1, sizeof(*l->certs));
    ok = l->certs != NULL;
    for (unsigned int i = 0; ok && i < n_chain + n_extra; i++) {
        gnutls_datum_t der = {NULL, 0};
        gnutls_x509_crt_t crt = i < n_chain ? chain[i] : extra[i - n_chain];

        ok = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0 &&
             (l->certs[l->n_certs] = wincrypt_cert_from_der(der.data, der.size)) != NULL;
        l->n_certs += ok;
        gnutls_free(der.data);
    }
    if (ok && key != NULL) {
        l->key_index = wincrypt_key_match(key, l->certs, l->n_certs);
        if (l->key_index < l->n_certs && wincrypt_key_pkcs8(key, &l->key))
            l->key_kind = WINCRYPT_KEY_PKCS8;
    }
out:
    for (unsigned int i = 0; i < n_chain; i++)
        gnutls_x509_crt_deinit(chain[i]);
    for (unsigned int i = 0; i < n_extra; i++)
        gnutls_x509_crt_deinit(extra[i]);
    gnutls_free(chain);
    gnutls_free(extra);
    if (key != NULL)
        gnutls_x509_privkey_deinit(key);
    gnutls_pkcs12_deinit(p12);
    if (!ok)
        wincrypt_loaded_free(l);
    return ok;
}

WINCRYPT_API HCERTSTORE WINAPI PFXImportCertStore(CRYPT_DATA_BLOB *pPFX, LPCWSTR szPassword,
                                                  DWORD dwFlags)
{
    struct wincrypt_loaded l;
    struct wincrypt_store *s = NULL;
    char *password = NULL;

    if (pPFX == NULL || pPFX->pbData == NULL || pPFX->cbData == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (szPassword != NULL &&
        (password = sspi_utf16_to_utf8(szPassword, (size_t)-1, NULL)) == NULL) {
        errno = EINVAL;
        return NULL;
    }
    if (!wincrypt_pfx_parse(pPFX, password && *password ? password : NULL, &l) &&
        !(password && !*password && wincrypt_pfx_parse(pPFX, "", &l))) {
        errno = EINVAL;
    } else {
        s = wincrypt_store_new();
        if (s != NULL && !wincrypt_store_take(s, &l)) {
            CertCloseStore(s, 0);
            s = NULL;
            errno = ENOMEM;
        }
        wincrypt_loaded_free(&l);
    }
    if (password != NULL) {
        explicit_bzero(password, strlen(password));
        free(password);
    }
    return s;
}
