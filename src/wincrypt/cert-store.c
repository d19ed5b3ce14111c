/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
 * Failures set the calling thread's last error (GetLastError) to what
 * crypt32 sets (MicrosoftDocs/sdk-api pages of each function; Wine's
 * crypt32 tests, which run on Windows, where marked W):
 * unknown store provider; a file that does not exist  ERROR_FILE_NOT_FOUND
 * FILENAME provider with no name                      ERROR_PATH_NOT_FOUND (W)
 * READONLY with CERT_FILE_STORE_COMMIT_ENABLE_FLAG;
 * a system store with no name (W)                     E_INVALIDARG
 * a file holding no certificate                       CRYPT_E_FILE_ERROR
 * system store name unknown with OPEN_EXISTING        ERROR_FILE_NOT_FOUND
 *   (without it, an empty store, as Windows creates one (W))
 * NULL or foreign store or context, bad disposition,
 * unknown find type, a previous context of another store  E_INVALIDARG
 * CERT_STORE_ADD_NEW of a certificate already there   CRYPT_E_EXISTS (W)
 * adding to a read-only store                         E_ACCESSDENIED (W)
 * nothing (more) found                                CRYPT_E_NOT_FOUND
 * PFXImportCertStore: NULL blob ERROR_INVALID_PARAMETER (Wine), not
 * PKCS#12 CRYPT_E_ASN1_* (as certificates), wrong password
 * HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD) 0x80070056 (the HRESULT
 * .NET's Windows tests expect from it).
 * Out of memory: E_OUTOFMEMORY.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/pkcs12.h>

#include "common/utf16.h"
#include "wincrypt/wincrypt-internal.h"

#define WINCRYPT_API            __attribute__((visibility("default")))
#define WINCRYPT_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

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

    if (s == NULL)
        return wincrypt_fail_null(E_OUTOFMEMORY);
    atomic_init(&s->head.refs, 1); /* the handles, together */
    s->head.release = wincrypt_store_release;
    atomic_init(&s->handles, 1);
    s->magic = WINCRYPT_STORE_MAGIC;
    s->version = WINCRYPT_CERT_VERSION;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

/* The store behind a handle, or NULL (E_INVALIDARG set). */
static struct wincrypt_store *wincrypt_store_check(HCERTSTORE h)
{
    struct wincrypt_store *s = h;

    if (s == NULL || s->magic != WINCRYPT_STORE_MAGIC || atomic_load(&s->handles) == 0)
        return wincrypt_fail_null(E_INVALIDARG);
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

        if (v == NULL)
            return NULL;
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

/* A file's certificates into the store; the Windows error, 0 if loaded. */
static HRESULT wincrypt_store_load_file(struct wincrypt_store *s, const char *path)
{
    struct wincrypt_loaded l;
    struct stat st;
    bool ok;

    if (stat(path, &st) != 0)
        return errno == ENOENT    ? ERROR_FILE_NOT_FOUND
               : errno == ENOTDIR ? ERROR_PATH_NOT_FOUND
               : errno == EACCES  ? ERROR_ACCESS_DENIED
                                  : CRYPT_E_FILE_ERROR;
    if (wincrypt_load_file(path, NULL, &l) != SEC_E_OK)
        return CRYPT_E_FILE_ERROR;
    ok = wincrypt_store_take(s, &l);
    wincrypt_loaded_free(&l);
    return ok ? 0 : E_OUTOFMEMORY;
}

static bool wincrypt_store_take_step(struct wincrypt_loaded *l, void *arg)
{
    return wincrypt_store_take(arg, l);
}

/* A system store by name: "ROOT" / "CA" / "AuthRoot" the system trust
 * (read-only), "MY" the certificate directory, any other an empty store
 * (Windows creates it) unless it must exist.  0 or the Windows error. */
static HRESULT wincrypt_store_system(struct wincrypt_store *s, const char *name, DWORD flags)
{
    const char *file = secure_getenv("SSL_CERT_FILE");

    if (strcasecmp(name, "ROOT") == 0 || strcasecmp(name, "CA") == 0 ||
        strcasecmp(name, "AuthRoot") == 0) {
        s->readonly = true;
        wincrypt_store_load_file(s, file != NULL && *file ? file : WINCRYPT_SYSTEM_CA_FILE);
        return 0; /* no readable system trust: an empty store */
    }
    if (strcasecmp(name, "MY") == 0) {
        wincrypt_dir_each(wincrypt_my_dir(), wincrypt_store_take_step, s);
        return 0;
    }
    return (flags & CERT_STORE_OPEN_EXISTING_FLAG) ? ERROR_FILE_NOT_FOUND : 0;
}

static char *wincrypt_para_utf8(const void *para, bool wide)
{
    if (para == NULL)
        return NULL;
    return wide ? sspi_utf16_to_utf8(para, (size_t)-1, NULL) : strdup(para);
}

/* The store of provider `prov` named `name` (NULL for memory stores); 0 or
 * the Windows error. */
static HRESULT wincrypt_store_fill(struct wincrypt_store *s, uintptr_t prov, const char *name,
                                   DWORD flags)
{
    if (prov == 7 || prov == 8)
        return wincrypt_store_load_file(s, name);
    if (prov == 9 || prov == 10)
        return wincrypt_store_system(s, name, flags);
    return 0;
}

WINCRYPT_API HCERTSTORE WINAPI CertOpenStore(LPCSTR lpszStoreProvider, DWORD dwEncodingType,
                                             ULONG_PTR hCryptProv, DWORD dwFlags,
                                             const void *pvPara)
{
    uintptr_t prov = (uintptr_t)lpszStoreProvider;
    struct wincrypt_store *s;
    char *name = NULL;
    HRESULT err;

    if (prov != 2 && prov != 7 && prov != 8 && prov != 9 && prov != 10)
        return wincrypt_fail_null(ERROR_FILE_NOT_FOUND); /* no such provider */
    if ((prov == 7 || prov == 8) && (dwFlags & CERT_STORE_READONLY_FLAG) &&
        (dwFlags & CERT_FILE_STORE_COMMIT_ENABLE_FLAG))
        return wincrypt_fail_null(E_INVALIDARG);
    if (prov != 2) {
        if (pvPara == NULL)
            return wincrypt_fail_null(prov <= 8 ? ERROR_PATH_NOT_FOUND : E_INVALIDARG);
        name = wincrypt_para_utf8(pvPara, prov == 8 || prov == 10);
        if (name == NULL)
            return wincrypt_fail_null(E_INVALIDARG); /* not UTF-16 */
    }
    s = wincrypt_store_new();
    if (s != NULL) {
        err = wincrypt_store_fill(s, prov, name, dwFlags);
        if (dwFlags & CERT_STORE_READONLY_FLAG)
            s->readonly = true;
        if (err != 0) {
            CertCloseStore(s, 0);
            s = wincrypt_fail_null(err);
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

/* Add `c` to `s` by disposition (lock held); the store's context (no new
 * reference), or NULL with the Windows error in *err. */
static struct wincrypt_cert *wincrypt_store_add(struct wincrypt_store *s,
                                                const struct wincrypt_cert *c, DWORD disposition,
                                                HRESULT *err)
{
    struct wincrypt_cert *found = NULL, *added;
    size_t at;

    *err = E_OUTOFMEMORY;
    for (at = 0; at < s->n && disposition != CERT_STORE_ADD_ALWAYS; at++)
        if (memcmp(s->certs[at]->sha1, c->sha1, sizeof(c->sha1)) == 0) {
            found = s->certs[at];
            break;
        }
    if (found != NULL && disposition == CERT_STORE_ADD_NEW) {
        *err = CRYPT_E_EXISTS;
        return NULL;
    }
    if (found != NULL && disposition == CERT_STORE_ADD_USE_EXISTING)
        return found;
    if (s->readonly) {
        *err = E_ACCESSDENIED;
        return NULL;
    }
    if (found == NULL)
        return wincrypt_store_append(s, c);
    added = wincrypt_cert_copy(c, &s->head);
    if (added != NULL) {
        s->certs[at] = added;
        wincrypt_cert_unref(found);
    }
    return added;
}

WINCRYPT_API BOOL WINAPI CertAddCertificateContextToStore(HCERTSTORE hCertStore,
                                                          PCCERT_CONTEXT pCertContext,
                                                          DWORD dwAddDisposition,
                                                          PCCERT_CONTEXT *ppStoreContext)
{
    struct wincrypt_store *s = wincrypt_store_check(hCertStore);
    const struct wincrypt_cert *c = wincrypt_cert_check(pCertContext);
    struct wincrypt_cert *added;
    HRESULT err;

    if (ppStoreContext != NULL)
        *ppStoreContext = NULL;
    if (s == NULL || c == NULL || dwAddDisposition < CERT_STORE_ADD_NEW ||
        dwAddDisposition > CERT_STORE_ADD_NEWER_INHERIT_PROPERTIES)
        return wincrypt_fail(E_INVALIDARG);
    pthread_mutex_lock(&s->lock);
    added = wincrypt_store_add(s, c, dwAddDisposition, &err);
    if (added != NULL && ppStoreContext != NULL) {
        wincrypt_cert_ref(added);
        *ppStoreContext = &added->ctx;
    }
    pthread_mutex_unlock(&s->lock);
    return added != NULL ? TRUE : wincrypt_fail(err);
}

WINCRYPT_API BOOL WINAPI CertAddEncodedCertificateToStore(
    HCERTSTORE hCertStore, DWORD dwCertEncodingType, const BYTE *pbCertEncoded, DWORD cbCertEncoded,
    DWORD dwAddDisposition, PCCERT_CONTEXT *ppCertContext)
{
    PCCERT_CONTEXT c;
    BOOL ok;

    if (ppCertContext != NULL)
        *ppCertContext = NULL;
    if (wincrypt_store_check(hCertStore) == NULL)
        return FALSE;
    c = CertCreateCertificateContext(dwCertEncodingType, pbCertEncoded, cbCertEncoded);
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

static bool wincrypt_find_type_known(DWORD type)
{
    return type == CERT_FIND_ANY || type == CERT_FIND_SHA1_HASH ||
           type == CERT_FIND_SUBJECT_STR_A || type == CERT_FIND_SUBJECT_STR_W ||
           type == CERT_FIND_ISSUER_STR_A || type == CERT_FIND_ISSUER_STR_W;
}

WINCRYPT_API PCCERT_CONTEXT WINAPI CertFindCertificateInStore(HCERTSTORE hCertStore,
                                                              DWORD dwCertEncodingType,
                                                              DWORD dwFindFlags, DWORD dwFindType,
                                                              const void *pvFindPara,
                                                              PCCERT_CONTEXT pPrevCertContext)
{
    struct wincrypt_store *s = wincrypt_store_check(hCertStore);
    struct wincrypt_cert *hit = NULL;
    HRESULT err = CRYPT_E_NOT_FOUND;
    size_t i = 0;

    if (s == NULL || !wincrypt_find_type_known(dwFindType) ||
        (pPrevCertContext != NULL && pPrevCertContext->hCertStore != hCertStore)) {
        CertFreeCertificateContext(pPrevCertContext); /* freed even on error, as on Windows */
        return wincrypt_fail_null(E_INVALIDARG);
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
    return hit != NULL ? &hit->ctx : wincrypt_fail_null(err);
}

WINCRYPT_API PCCERT_CONTEXT WINAPI CertEnumCertificatesInStore(HCERTSTORE hCertStore,
                                                               PCCERT_CONTEXT pPrevCertContext)
{
    return CertFindCertificateInStore(hCertStore, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL,
                                      pPrevCertContext);
}

/* The HRESULT of a PKCS#12 that would not open: a wrong password, or
 * bytes that are not PKCS#12. */
#define WINCRYPT_E_PASSWORD HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD)

/* The certificates (and key) of a PKCS#12 bag. */
static HRESULT wincrypt_pfx_certs(gnutls_x509_crt_t *chain, unsigned n_chain,
                                  gnutls_x509_crt_t *extra, unsigned n_extra,
                                  gnutls_x509_privkey_t key, struct wincrypt_loaded *l)
{
    l->certs = calloc((size_t)n_chain + n_extra + 1, sizeof(*l->certs));
    if (l->certs == NULL)
        return E_OUTOFMEMORY;
    for (unsigned int i = 0; i < n_chain + n_extra; i++) {
        gnutls_datum_t der = {NULL, 0};
        gnutls_x509_crt_t crt = i < n_chain ? chain[i] : extra[i - n_chain];
        uint32_t err = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0
                           ? (uint32_t)E_OUTOFMEMORY
                           : wincrypt_cert_decode(der.data, der.size, &l->certs[l->n_certs]);

        gnutls_free(der.data);
        if (err != 0)
            return (HRESULT)err;
        l->n_certs++;
    }
    if (key != NULL) {
        l->key_index = wincrypt_key_match(key, l->certs, l->n_certs);
        if (l->key_index < l->n_certs && wincrypt_key_pkcs8(key, &l->key))
            l->key_kind = WINCRYPT_KEY_PKCS8;
    }
    return 0;
}

/* Everything a PKCS#12 bag held, as a wincrypt_loaded; 0 or the HRESULT. */
static HRESULT wincrypt_pfx_parse(const CRYPT_DATA_BLOB *pfx, const char *password,
                                  struct wincrypt_loaded *l)
{
    gnutls_pkcs12_t p12 = NULL;
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t *chain = NULL, *extra = NULL;
    unsigned int n_chain = 0, n_extra = 0;
    gnutls_datum_t d = {pfx->pbData, pfx->cbData};
    HRESULT err;
    int r;

    memset(l, 0, sizeof(*l));
    if (gnutls_pkcs12_init(&p12) < 0)
        return E_OUTOFMEMORY;
    r = gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0);
    if (r < 0) {
        err = (HRESULT)wincrypt_asn1_error(pfx->pbData, pfx->cbData, r);
        goto out;
    }
    if (gnutls_pkcs12_verify_mac(p12, password) < 0 ||
        gnutls_pkcs12_simple_parse(p12, password, &key, &chain, &n_chain, &extra, &n_extra, NULL,
                                   0) < 0) {
        err = WINCRYPT_E_PASSWORD;
        goto out;
    }
    err = wincrypt_pfx_certs(chain, n_chain, extra, n_extra, key, l);
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
    if (err != 0)
        wincrypt_loaded_free(l);
    return err;
}

WINCRYPT_API HCERTSTORE WINAPI PFXImportCertStore(CRYPT_DATA_BLOB *pPFX, LPCWSTR szPassword,
                                                  DWORD dwFlags)
{
    struct wincrypt_loaded l;
    struct wincrypt_store *s = NULL;
    char *password = NULL;
    HRESULT err;

    if (pPFX == NULL || (pPFX->pbData == NULL && pPFX->cbData != 0))
        return wincrypt_fail_null(ERROR_INVALID_PARAMETER);
    if (szPassword != NULL && (password = sspi_utf16_to_utf8(szPassword, (size_t)-1, NULL)) == NULL)
        return wincrypt_fail_null(WINCRYPT_E_PASSWORD); /* not UTF-16: cannot match */
    err = wincrypt_pfx_parse(pPFX, password && *password ? password : NULL, &l);
    if (err == WINCRYPT_E_PASSWORD && password != NULL && *password == '\0')
        err = wincrypt_pfx_parse(pPFX, "", &l); /* "" and no password differ in PKCS#12 */
    if (err == 0) {
        s = wincrypt_store_new();
        if (s != NULL && !wincrypt_store_take(s, &l)) {
            CertCloseStore(s, 0);
            s = wincrypt_fail_null(E_OUTOFMEMORY);
        }
        wincrypt_loaded_free(&l);
    } else {
        wincrypt_fail(err);
    }
    if (password != NULL) {
        explicit_bzero(password, strlen(password));
        free(password);
    }
    return s;
}
