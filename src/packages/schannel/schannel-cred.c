/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-cred.c - Schannel credentials: SCHANNEL_CRED (version 4) and
 * SCH_CREDENTIALS (version 5), their validation statuses (reference
 * section 4), the GnuTLS certificate credentials and priority they become,
 * trust, and the client's resumption cache.
 *
 * Status choices: fCredentialUse not exactly INBOUND or OUTBOUND, or an
 * inbound credential with no certificate      SEC_E_NO_CREDENTIALS
 * SCH_CRED_FORMAT_CERT_HASH(_STORE): no certificate with that SHA-1
 * thumbprint in the store                     SEC_E_NO_CREDENTIALS
 * wrong version, V1-V3, an unknown format, more than one certificate, a
 * certificate libsspi did not make or one without its key, a hash
 * structure whose dwLength is not its size or whose store name is not
 * terminated                                  SEC_E_UNKNOWN_CREDENTIALS
 * protocol bits only of the other side, only SSL 2/3 or PCT, DTLS bits,
 * or DTLS mixed with TLS                      SEC_E_ALGORITHM_MISMATCH
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "common/utf16.h"
#include "packages/schannel/schannel-pkg.h"

#define SCHAN_TLS12_13    (SP_PROT_TLS1_2 | SP_PROT_TLS1_3)
#define SCHAN_TLS_ALL     (SP_PROT_TLS1_0 | SP_PROT_TLS1_1 | SCHAN_TLS12_13)
#define SCHAN_SERVER_BITS 0x55555555u

/* What either credential version says, in one shape. */
struct schan_cred_args {
    uint32_t format, n_creds, flags;
    PCCERT_CONTEXT *certs; /* or the SCHANNEL_CERT_HASH(_STORE) of a hash format */
    HCERTSTORE root;
    uint32_t enabled;  /* v4 grbitEnabledProtocols */
    uint32_t disabled; /* v5 unscoped grbitDisabledProtocols */
    uint32_t disabled_scoped;
    const TLS_PARAMETERS *scoped;
    uint32_t n_params;
};

struct schan_cred *schan_cred_from_handle(LSA_SEC_HANDLE h)
{
    struct schan_cred *c = (struct schan_cred *)h;

    return c != NULL && c->magic == SCHAN_CRED_MAGIC ? c : NULL;
}

void schan_cred_ref(struct schan_cred *cred)
{
    atomic_fetch_add(&cred->refs, 1);
}

void schan_cred_unref(struct schan_cred *cred)
{
    if (atomic_fetch_sub(&cred->refs, 1) != 1)
        return;
    if (cred->x509 != NULL)
        gnutls_certificate_free_credentials(cred->x509);
    if (cred->priority != NULL)
        gnutls_priority_deinit(cred->priority);
    if (cred->cert != NULL)
        wincrypt_cert_unref(cred->cert);
    if (cred->privkey != NULL) {
        gnutls_privkey_deinit(cred->privkey);
        gnutls_pcert_deinit(&cred->pcert);
    }
    if (cred->ticket_key.data != NULL) {
        explicit_bzero(cred->ticket_key.data, cred->ticket_key.size);
        gnutls_free(cred->ticket_key.data);
    }
    for (unsigned i = 0; i < SCHAN_CACHE_SLOTS; i++) {
        free(cred->cache[i].target);
        gnutls_free(cred->cache[i].data.data);
    }
    for (char **p = cred->scoped_alpn; p != NULL && *p != NULL; p++)
        free(*p);
    free(cred->scoped_alpn);
    pkg_options_release(&schan_settings, &cred->opts);
    pthread_mutex_destroy(&cred->cache_lock);
    explicit_bzero(cred, sizeof(*cred));
    free(cred);
}

/* Read SCHANNEL_CRED or SCH_CREDENTIALS into `a`. */
static SECURITY_STATUS schan_cred_read(const void *auth, struct schan_cred_args *a)
{
    uint32_t version;

    memset(a, 0, sizeof(*a));
    if (auth == NULL)
        return SEC_E_OK;
    memcpy(&version, auth, sizeof(version));
    if (version == SCHANNEL_CRED_VERSION) {
        const SCHANNEL_CRED *c = auth;

        a->format = c->dwCredFormat;
        a->n_creds = c->cCreds;
        a->certs = c->paCred;
        a->root = c->hRootStore;
        a->flags = c->dwFlags;
        a->enabled = c->grbitEnabledProtocols;
        return SEC_E_OK;
    }
    if (version == SCH_CREDENTIALS_VERSION) {
        const SCH_CREDENTIALS *c = auth;

        a->format = c->dwCredFormat;
        a->n_creds = c->cCreds;
        a->certs = c->paCred;
        a->root = c->hRootStore;
        a->flags = c->dwFlags;
        if (c->cTlsParameters > 16 || (c->cTlsParameters && c->pTlsParameters == NULL))
            return SEC_E_INVALID_PARAMETER;
        for (uint32_t i = 0; i < c->cTlsParameters; i++) {
            const TLS_PARAMETERS *p = &c->pTlsParameters[i];

            if (p->cAlpnIds == 0) {
                a->disabled |= p->grbitDisabledProtocols;
            } else {
                a->disabled_scoped |= p->grbitDisabledProtocols;
                a->scoped = p;
            }
        }
        a->n_params = c->cTlsParameters;
        return SEC_E_OK;
    }
    return SEC_E_UNKNOWN_CREDENTIALS;
}

/* This side's enabled SP_PROT_* bits, or SEC_E_ALGORITHM_MISMATCH. */
static SECURITY_STATUS schan_protocols(const struct schan_cred_args *a, bool server, uint32_t *out)
{
    uint32_t side = server ? SCHAN_SERVER_BITS : ~SCHAN_SERVER_BITS;
    uint32_t bits = a->enabled;

    if ((bits & SP_PROT_DTLS1_2) == SP_PROT_DTLS1_2 ||
        (bits & (SP_PROT_DTLS | SP_PROT_DTLS1_2)) != 0)
        return SEC_E_ALGORITHM_MISMATCH; /* DTLS: not offered (alone or mixed) */
    if (bits == 0)
        bits = SCHAN_TLS12_13; /* system default */
    bits &= side & ~a->disabled;
    if ((bits & SCHAN_TLS_ALL) == 0)
        return SEC_E_ALGORITHM_MISMATCH; /* nothing of ours, or SSL 2/3 / PCT only */
    *out = bits & SCHAN_TLS_ALL;
    return SEC_E_OK;
}

/* GnuTLS priority string for the protocol bits and flags. */
static void schan_priority_string(uint32_t bits, uint32_t flags, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "NORMAL:-VERS-ALL");

    if (bits & SP_PROT_TLS1_3)
        n += (size_t)snprintf(buf + n, cap - n, ":+VERS-TLS1.3");
    if (bits & SP_PROT_TLS1_2)
        n += (size_t)snprintf(buf + n, cap - n, ":+VERS-TLS1.2");
    if (bits & SP_PROT_TLS1_1)
        n += (size_t)snprintf(buf + n, cap - n, ":+VERS-TLS1.1");
    if (bits & SP_PROT_TLS1_0)
        n += (size_t)snprintf(buf + n, cap - n, ":+VERS-TLS1.0");
    if (flags & SCH_USE_STRONG_CRYPTO)
        snprintf(buf + n, cap - n, ":-AES-128-CBC:-AES-256-CBC:-3DES-CBC:-ARCFOUR-128:-SHA1");
}

/* Trusted roots from hRootStore (a libsspi store). */
static SECURITY_STATUS schan_trust_store(gnutls_certificate_credentials_t x509, HCERTSTORE h)
{
    struct wincrypt_store *s = h;

    if (s == NULL)
        return SEC_E_OK;
    if (s->magic != WINCRYPT_STORE_MAGIC || s->version != WINCRYPT_CERT_VERSION)
        return SEC_E_UNKNOWN_CREDENTIALS;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n; i++) {
        gnutls_datum_t d = {s->certs[i]->ctx.pbCertEncoded, s->certs[i]->ctx.cbCertEncoded};

        gnutls_certificate_set_x509_trust_mem(x509, &d, GNUTLS_X509_FMT_DER);
    }
    pthread_mutex_unlock(&s->lock);
    return SEC_E_OK;
}

/* System store, hRootStore, option.ca_file, SSL_CERT_FILE and SSL_CERT_DIR. */
static SECURITY_STATUS schan_trust(struct schan_cred *cred, HCERTSTORE root)
{
    const char *file = secure_getenv("SSL_CERT_FILE");
    const char *dir = secure_getenv("SSL_CERT_DIR");

    gnutls_certificate_set_x509_system_trust(cred->x509);
    if (cred->opts.ca_file != NULL)
        gnutls_certificate_set_x509_trust_file(cred->x509, cred->opts.ca_file, GNUTLS_X509_FMT_PEM);
    if (file != NULL && *file)
        gnutls_certificate_set_x509_trust_file(cred->x509, file, GNUTLS_X509_FMT_PEM);
    if (dir != NULL && *dir) {
        char copy[4096], *save = NULL;

        snprintf(copy, sizeof(copy), "%s", dir);
        for (char *d = strtok_r(copy, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save))
            gnutls_certificate_set_x509_trust_dir(cred->x509, d, GNUTLS_X509_FMT_PEM);
    }
    return schan_trust_store(cred->x509, root);
}

/* The private key of `c`: decoded from its PKCS#8 copy, or opened in its
 * token (checked against the certificate; why not, reported to the host). */
static SECURITY_STATUS schan_key_of(const struct wincrypt_cert *c, gnutls_privkey_t *key)
{
    gnutls_datum_t der = {c->key, c->key_len};
    struct wincrypt_key_failure why;
    SECURITY_STATUS st;

    *key = NULL;
    if (c->key_kind == WINCRYPT_KEY_PKCS11) {
        st = wincrypt_token_key_open(c, key, &why);
        return st == SEC_E_OK ? st : pkg_refuse(st, why.reason);
    }
    if (c->key_kind != WINCRYPT_KEY_PKCS8)
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (gnutls_privkey_init(key) < 0)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (gnutls_privkey_import_x509_raw(*key, &der, GNUTLS_X509_FMT_DER, NULL, 0) < 0) {
        gnutls_privkey_deinit(*key);
        *key = NULL;
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    return SEC_E_OK;
}

/* Server: our chain (chain[0], with its key, first) into the GnuTLS
 * credentials, which take the key and the certificates over. */
static SECURITY_STATUS schan_own_cert(struct schan_cred *cred,
                                      const struct wincrypt_cert *const *chain, size_t n)
{
    gnutls_pcert_st *pcerts = calloc(n, sizeof(*pcerts));
    gnutls_privkey_t key = NULL;
    SECURITY_STATUS st = pcerts != NULL ? schan_key_of(chain[0], &key) : SEC_E_INSUFFICIENT_MEMORY;
    size_t done = 0;

    while (st == SEC_E_OK && done < n) {
        gnutls_datum_t der = {chain[done]->ctx.pbCertEncoded, chain[done]->ctx.cbCertEncoded};

        if (gnutls_pcert_import_x509_raw(&pcerts[done], &der, GNUTLS_X509_FMT_DER, 0) < 0)
            st = SEC_E_UNKNOWN_CREDENTIALS;
        else
            done++;
    }
    if (st == SEC_E_OK) {
        if (gnutls_certificate_set_key(cred->x509, NULL, 0, pcerts, (int)n, key) < 0) {
            st = SEC_E_UNKNOWN_CREDENTIALS;
        } else { /* the credentials' now */
            done = 0;
            key = NULL;
        }
    }
    for (size_t i = 0; i < done; i++)
        gnutls_pcert_deinit(&pcerts[i]);
    if (key != NULL)
        gnutls_privkey_deinit(key);
    free(pcerts);
    if (st == SEC_E_OK) {
        wincrypt_cert_ref(chain[0]);
        cred->cert = chain[0];
    }
    return st;
}

/* Client: the certificate of the credential in use goes out whatever CA
 * names the server lists, as Windows sends the certificate the caller
 * chose.  Without one, a step on its own stack waits for the next
 * InitializeSecurityContext (SEC_I_INCOMPLETE_CREDENTIALS), which may
 * bring a credential that has one. */
static int schan_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                          const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                          gnutls_pcert_st **pcert, unsigned int *pcert_length,
                          gnutls_privkey_t *privkey)
{
    struct schan_ctx *ctx = gnutls_transport_get_ptr(session);
    const struct schan_cred *c;

    *pcert_length = 0;
    if (ctx == NULL)
        return 0;
    c = ctx->cert_cred != NULL ? ctx->cert_cred : ctx->cred;
    if (c->privkey == NULL) {
        if (!schan_fiber_park(ctx))
            return -1;
        if ((c = ctx->cert_cred) == NULL || c->privkey == NULL)
            return 0;
    }
    *pcert = (gnutls_pcert_st *)&c->pcert;
    *pcert_length = 1;
    *privkey = c->privkey;
    return 0;
}

static SECURITY_STATUS schan_client_cert(struct schan_cred *cred, const struct wincrypt_cert *c)
{
    gnutls_datum_t der = {c->ctx.pbCertEncoded, c->ctx.cbCertEncoded};
    SECURITY_STATUS st;

    if (gnutls_pcert_import_x509_raw(&cred->pcert, &der, GNUTLS_X509_FMT_DER, 0) < 0)
        return SEC_E_UNKNOWN_CREDENTIALS;
    if ((st = schan_key_of(c, &cred->privkey)) != SEC_E_OK) {
        gnutls_pcert_deinit(&cred->pcert);
        return st;
    }
    wincrypt_cert_ref(c);
    cred->cert = c;
    return SEC_E_OK;
}

/* option.cert_file / option.key_file (a file or a pkcs11: URI) for inbound
 * credentials with none: read as libsspi_cert_from_files reads them, the
 * key's certificate first, the file's other certificates as its chain.
 * Whatever keeps them from use is SEC_E_NO_CREDENTIALS. */
static SECURITY_STATUS schan_default_cert(struct schan_cred *cred)
{
    struct wincrypt_loaded l;
    struct wincrypt_cert *leaf;
    SECURITY_STATUS st;

    if (cred->opts.cert_file == NULL)
        return SEC_E_NO_CREDENTIALS;
    st = wincrypt_load_file(cred->opts.cert_file, cred->opts.key_file, &l);
    if (st != SEC_E_OK)
        return st == SEC_E_INSUFFICIENT_MEMORY ? st : SEC_E_NO_CREDENTIALS;
    leaf = l.certs[l.key_index];
    if (l.key_kind == WINCRYPT_KEY_NONE)
        st = SEC_E_NO_CREDENTIALS;
    else if (!wincrypt_cert_set_key(leaf, l.key_kind, l.key.data, l.key.size))
        st = SEC_E_INSUFFICIENT_MEMORY;
    if (st == SEC_E_OK) {
        memmove(&l.certs[1], &l.certs[0], l.key_index * sizeof(l.certs[0]));
        l.certs[0] = leaf;
        st = schan_own_cert(cred, (const struct wincrypt_cert *const *)l.certs, l.n_certs);
    }
    wincrypt_loaded_free(&l);
    return st == SEC_E_OK || st == SEC_E_INSUFFICIENT_MEMORY ? st : SEC_E_NO_CREDENTIALS;
}

/* ALPN ids that scope disabled protocols (v5), as UTF-8 strings. */
static SECURITY_STATUS schan_scoped(struct schan_cred *cred, const struct schan_cred_args *a)
{
    const TLS_PARAMETERS *p = a->scoped;

    if (p == NULL)
        return SEC_E_OK;
    if (p->cAlpnIds > 64 || p->rgstrAlpnIds == NULL)
        return SEC_E_INVALID_PARAMETER;
    cred->scoped_alpn = calloc(p->cAlpnIds + 1, sizeof(char *));
    if (cred->scoped_alpn == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (uint32_t i = 0; i < p->cAlpnIds; i++) {
        const UNICODE_STRING *u = &p->rgstrAlpnIds[i];

        cred->scoped_alpn[i] = sspi_utf16_to_utf8(u->Buffer, u->Length / 2, NULL);
        if (cred->scoped_alpn[i] == NULL)
            return SEC_E_INVALID_PARAMETER;
    }
    cred->disabled_scoped = a->disabled_scoped;
    return SEC_E_OK;
}

/* The certificate a SCHANNEL_CERT_HASH(_STORE) names: its store, then the
 * thumbprint.  Only "MY" holds certificates with keys here (the
 * credential's cert_dir); any other store has none of them. */
static SECURITY_STATUS schan_cert_by_hash(const struct schan_cred_args *a, const char *dir,
                                          struct wincrypt_cert **out)
{
    const void *p = a->certs;
    uint32_t len;
    uint8_t sha1[20];
    bool my = true;

    if (p == NULL)
        return SEC_E_UNKNOWN_CREDENTIALS;
    /* dwLength first, and nothing more unless it is exactly the size of
     * the structure: paCred of another shape (an array of
     * PCCERT_CONTEXTs) is then refused having read 4 of its bytes. */
    memcpy(&len, p, sizeof(len));
    if (a->format == SCH_CRED_FORMAT_CERT_HASH) {
        if (len != sizeof(SCHANNEL_CERT_HASH))
            return SEC_E_UNKNOWN_CREDENTIALS;
        memcpy(sha1, ((const SCHANNEL_CERT_HASH *)p)->ShaHash, sizeof(sha1));
    } else {
        const SCHANNEL_CERT_HASH_STORE *h = p;
        static const char16_t name_my[] = u"MY";
        size_t n = 0;

        if (len != sizeof(*h))
            return SEC_E_UNKNOWN_CREDENTIALS;
        while (n < SCH_CRED_MAX_STORE_NAME_SIZE && h->pwszStoreName[n] != 0)
            n++;
        if (n == SCH_CRED_MAX_STORE_NAME_SIZE)
            return SEC_E_UNKNOWN_CREDENTIALS;
        my = n == 2;
        for (size_t i = 0; my && i < n; i++)
            my = (h->pwszStoreName[i] & ~0x20u) == name_my[i];
        memcpy(sha1, h->ShaHash, sizeof(sha1));
    }
    *out = my ? wincrypt_dir_find_sha1(dir != NULL ? dir : wincrypt_my_dir(), sha1) : NULL;
    return *out != NULL ? SEC_E_OK : SEC_E_NO_CREDENTIALS;
}

/* The credential's certificate (one reference, or NULL for none) from
 * paCred in any of the three formats. */
static SECURITY_STATUS schan_cred_cert(const struct schan_cred_args *a, const char *dir,
                                       struct wincrypt_cert **out)
{
    const struct wincrypt_cert *c;

    *out = NULL;
    if (a->n_creds == 0)
        return SEC_E_OK;
    if (a->n_creds > 1)
        return SEC_E_UNKNOWN_CREDENTIALS;
    switch (a->format) {
    case SCH_CRED_FORMAT_CERT_CONTEXT:
        if (a->certs == NULL || (c = wincrypt_cert_check(a->certs[0])) == NULL)
            return SEC_E_UNKNOWN_CREDENTIALS;
        wincrypt_cert_ref(c);
        *out = (struct wincrypt_cert *)c;
        return SEC_E_OK;
    case SCH_CRED_FORMAT_CERT_HASH:
    case SCH_CRED_FORMAT_CERT_HASH_STORE:
        return schan_cert_by_hash(a, dir, out);
    default:
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
}

static SECURITY_STATUS schan_cred_build(struct schan_cred *cred, const struct schan_cred_args *a,
                                        const struct wincrypt_cert *cert)
{
    char prio[256];
    SECURITY_STATUS st;

    if (gnutls_certificate_allocate_credentials(&cred->x509) < 0)
        return SEC_E_INSUFFICIENT_MEMORY;
    gnutls_certificate_set_flags(cred->x509, GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH);
    if (!cred->server)
        gnutls_certificate_set_retrieve_function2(cred->x509, schan_retrieve);
    if (cert != NULL) {
        if (cert->key_kind == WINCRYPT_KEY_NONE)
            return SEC_E_UNKNOWN_CREDENTIALS;
        st = cred->server ? schan_own_cert(cred, &cert, 1) : schan_client_cert(cred, cert);
        if (st != SEC_E_OK)
            return st;
    } else if (cred->server && (st = schan_default_cert(cred)) != SEC_E_OK) {
        return st;
    }
    if ((st = schan_trust(cred, a->root)) != SEC_E_OK || (st = schan_scoped(cred, a)) != SEC_E_OK)
        return st;
    schan_priority_string(cred->protocols, cred->flags, prio, sizeof(prio));
    if (gnutls_priority_init2(&cred->priority, prio, NULL, 0) < 0)
        return SEC_E_ALGORITHM_MISMATCH;
    if (cred->server && gnutls_session_ticket_key_generate(&cred->ticket_key) < 0)
        return SEC_E_INSUFFICIENT_MEMORY;
    return SEC_E_OK;
}

NTSTATUS NTAPI schan_acquire_credentials_handle(PUNICODE_STRING PrincipalName,
                                                ULONG CredentialUseFlags, PLUID LogonId,
                                                PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                PVOID GetKeyArgument,
                                                PLSA_SEC_HANDLE CredentialHandle,
                                                PTimeStamp ExpirationTime)
{
    struct schan_cred_args a;
    struct schan_cred *cred;
    struct wincrypt_cert *cert = NULL;
    uint32_t use = CredentialUseFlags & ~(uint32_t)SECPKG_CRED_RESERVED;
    SECURITY_STATUS st;

    if (CredentialHandle == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (use != SECPKG_CRED_INBOUND && use != SECPKG_CRED_OUTBOUND)
        return SEC_E_NO_CREDENTIALS;
    if ((st = schan_cred_read(AuthorizationData, &a)) != SEC_E_OK)
        return st;
    if (a.format > SCH_CRED_FORMAT_CERT_HASH_STORE || a.n_creds > 1)
        return SEC_E_UNKNOWN_CREDENTIALS;
    cred = calloc(1, sizeof(*cred));
    if (cred == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (!pkg_options_get(&schan_settings, &cred->opts)) {
        free(cred);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    cred->magic = SCHAN_CRED_MAGIC;
    atomic_init(&cred->refs, 1);
    pthread_mutex_init(&cred->cache_lock, NULL);
    cred->server = use == SECPKG_CRED_INBOUND;
    cred->flags = a.flags;
    st = cred->server && a.n_creds == 0 && cred->opts.cert_file == NULL
             ? SEC_E_NO_CREDENTIALS
             : schan_protocols(&a, cred->server, &cred->protocols);
    if (st == SEC_E_OK)
        st = schan_cred_cert(&a, cred->opts.cert_dir, &cert);
    if (st == SEC_E_OK)
        st = schan_cred_build(cred, &a, cert);
    if (cert != NULL)
        wincrypt_cert_unref(cert);
    if (st != SEC_E_OK) {
        schan_cred_unref(cred);
        return st;
    }
    *CredentialHandle = (LSA_SEC_HANDLE)cred;
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = SCHAN_NEVER;
    return SEC_E_OK;
}

NTSTATUS NTAPI schan_free_credentials_handle(LSA_SEC_HANDLE CredentialHandle)
{
    struct schan_cred *cred = schan_cred_from_handle(CredentialHandle);

    if (cred == NULL)
        return STATUS_INVALID_HANDLE;
    schan_cred_unref(cred);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI schan_query_credentials_attributes(LSA_SEC_HANDLE CredentialHandle,
                                                  ULONG CredentialAttribute, PVOID Buffer)
{
    struct schan_cred *cred = schan_cred_from_handle(CredentialHandle);

    if (cred == NULL)
        return SEC_E_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_ATTR_SUPPORTED_PROTOCOLS)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (Buffer == NULL)
        return SEC_E_INTERNAL_ERROR;
    ((SecPkgCred_SupportedProtocols *)Buffer)->grbitProtocol = cred->protocols;
    return SEC_E_OK;
}

void schan_cache_put(struct schan_cred *cred, const char *target, gnutls_session_t session)
{
    gnutls_datum_t data;
    unsigned slot;

    if (target == NULL || gnutls_session_get_data2(session, &data) < 0)
        return;
    pthread_mutex_lock(&cred->cache_lock);
    for (slot = 0; slot < SCHAN_CACHE_SLOTS; slot++)
        if (cred->cache[slot].target != NULL && strcmp(cred->cache[slot].target, target) == 0)
            break;
    if (slot == SCHAN_CACHE_SLOTS) {
        slot = cred->cache_next++ % SCHAN_CACHE_SLOTS;
        free(cred->cache[slot].target);
        cred->cache[slot].target = strdup(target);
    }
    gnutls_free(cred->cache[slot].data.data);
    cred->cache[slot].data = data;
    if (cred->cache[slot].target == NULL) {
        gnutls_free(data.data);
        cred->cache[slot].data.data = NULL;
    }
    pthread_mutex_unlock(&cred->cache_lock);
}

bool schan_cache_get(struct schan_cred *cred, const char *target, gnutls_session_t session)
{
    bool hit = false;

    if (target == NULL || (cred->flags & SCH_CRED_DISABLE_RECONNECTS))
        return false;
    pthread_mutex_lock(&cred->cache_lock);
    for (unsigned i = 0; i < SCHAN_CACHE_SLOTS && !hit; i++)
        if (cred->cache[i].target != NULL && cred->cache[i].data.data != NULL &&
            strcmp(cred->cache[i].target, target) == 0)
            hit = gnutls_session_set_data(session, cred->cache[i].data.data,
                                          cred->cache[i].data.size) >= 0;
    pthread_mutex_unlock(&cred->cache_lock);
    return hit;
}
