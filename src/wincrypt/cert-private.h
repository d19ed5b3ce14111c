/*
 * cert-private.h - what libsspi keeps after a CERT_CONTEXT, shared by
 * src/wincrypt (the Cert* API in libsspi.so) and the Schannel package,
 * which both link the cert-core convenience library built from
 * cert-core.c.
 *
 * A PCCERT_CONTEXT made by libsspi points at the `ctx` member of a struct
 * wincrypt_cert.  The members after it start with a magic number and a
 * layout version, so that the package (which never links libsspi.so)
 * can tell a context it may read from anything else, and find the
 * certificate's private key: a PKCS#8 DER key (wiped when the context is
 * freed) or the PKCS#11 URI of a key kept in a token.
 *
 * Contexts are reference counted and immutable after creation (apart from
 * the count), so any thread may read one it holds a reference on.  All
 * memory comes from malloc(): a context made by the package is freed by
 * libsspi's CertFreeCertificateContext and the other way round.
 */
#ifndef LIBSSPI_WINCRYPT_CERT_PRIVATE_H
#define LIBSSPI_WINCRYPT_CERT_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wincrypt.h"

#define WINCRYPT_HIDDEN __attribute__((visibility("hidden")))

#define WINCRYPT_CERT_MAGIC 0x54524357u /* "WCRT" */
#define WINCRYPT_CERT_VERSION 1u

enum wincrypt_key_kind {
    WINCRYPT_KEY_NONE = 0,
    WINCRYPT_KEY_PKCS8 = 1,  /* key: unencrypted PKCS#8 DER, key_len bytes */
    WINCRYPT_KEY_PKCS11 = 2, /* key: NUL-terminated "pkcs11:" URI */
};

/* The reference-counted head of a store (cert-store.c owns the rest). */
struct wincrypt_store_ref {
    _Atomic uint32_t refs;
    void (*release)(struct wincrypt_store_ref *store); /* at refs 0 */
};

struct wincrypt_cert {
    CERT_CONTEXT ctx; /* first: a PCCERT_CONTEXT points here */
    uint32_t magic;   /* WINCRYPT_CERT_MAGIC */
    uint32_t version; /* WINCRYPT_CERT_VERSION */
    _Atomic uint32_t refs;
    uint32_t key_kind; /* enum wincrypt_key_kind */
    uint8_t *key;
    uint32_t key_len;
    struct wincrypt_store_ref *store; /* reference held, or NULL */
    CERT_INFO info;
    uint8_t sha1[20];
    /* One malloc() block holding the DER and every CERT_INFO field. */
    uint8_t *storage;
};

#define WINCRYPT_STORE_MAGIC 0x45524f54u /* "TORE" */

/* An HCERTSTORE (a hRootStore handed to the package is read through this:
 * take `lock`, read certs[0..n)). */
struct wincrypt_store {
    struct wincrypt_store_ref head; /* first */
    uint32_t magic;                 /* WINCRYPT_STORE_MAGIC */
    uint32_t version;               /* WINCRYPT_CERT_VERSION */
    _Atomic uint32_t handles;
    bool readonly;
    pthread_mutex_t lock;
    struct wincrypt_cert **certs;
    size_t n, cap;
};

/* The context behind `c` if libsspi made it (magic and version match),
 * else NULL.  Reads sizeof(struct wincrypt_cert) bytes at `c`. */
WINCRYPT_HIDDEN const struct wincrypt_cert *wincrypt_cert_check(PCCERT_CONTEXT c);

/* A new context (one reference, no key, no store) from a DER X.509
 * certificate, or NULL (errno EINVAL for a bad certificate, ENOMEM). */
WINCRYPT_HIDDEN struct wincrypt_cert *wincrypt_cert_from_der(const uint8_t *der, size_t len);

/* Give `cert` a copy of a private key; false when out of memory.  Only on
 * a context nobody else holds yet. */
WINCRYPT_HIDDEN bool wincrypt_cert_set_key(struct wincrypt_cert *cert, uint32_t kind,
                                           const uint8_t *key, size_t len);

/* A new context with the same certificate and key, in `store` (a new
 * reference is taken on it; may be NULL). */
WINCRYPT_HIDDEN struct wincrypt_cert *wincrypt_cert_copy(const struct wincrypt_cert *cert,
                                                         struct wincrypt_store_ref *store);

WINCRYPT_HIDDEN void wincrypt_cert_ref(const struct wincrypt_cert *cert);
/* Drop one reference; the last wipes the key and frees everything. */
WINCRYPT_HIDDEN void wincrypt_cert_unref(const struct wincrypt_cert *cert);

#endif
