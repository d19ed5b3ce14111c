/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "wincrypt.h"
#include "winerror.h"

#define WINCRYPT_HIDDEN __attribute__((visibility("hidden")))

#define WINCRYPT_CERT_MAGIC   0x54524357u /* "WCRT" */
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

/* The same, with the Windows error for a failure: CRYPT_E_ASN1_EOD (no or
 * truncated data), CRYPT_E_ASN1_BADTAG (an unexpected tag),
 * CRYPT_E_ASN1_CORRUPT (bad lengths, trailing bytes, a structure GnuTLS
 * refuses), E_OUTOFMEMORY; *out NULL then. */
/* The Windows decoding error for DER bytes GnuTLS refused with
 * `gnutls_err`: the outer SEQUENCE is checked here, GnuTLS's verdict on
 * the inside classified (TAG_ERROR -> BADTAG, truncation -> EOD). */
WINCRYPT_HIDDEN uint32_t wincrypt_asn1_error(const uint8_t *der, size_t len, int gnutls_err);

WINCRYPT_HIDDEN uint32_t wincrypt_cert_decode(const uint8_t *der, size_t len,
                                              struct wincrypt_cert **out);

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

/* What a certificate file (and key file) held. */
struct wincrypt_loaded {
    struct wincrypt_cert **certs; /* one reference each, no key attached */
    size_t n_certs;
    uint32_t key_kind;  /* enum wincrypt_key_kind */
    gnutls_datum_t key; /* PKCS#8 DER or the URI (gnutls_free) */
    size_t key_index;   /* the certificate the key belongs to */
};

/*
 * Read certificates from `cert_file` (PEM with one or more certificates,
 * or one DER certificate) and a private key from `key_file` (PEM or DER
 * file, or a "pkcs11:" URI taken as is) or, when NULL, from cert_file.
 * No key is not an error (key_kind NONE); a key that matches none of the
 * certificates is SEC_E_NO_CREDENTIALS.  SEC_E_UNKNOWN_CREDENTIALS for
 * unreadable or malformed files.  Free with wincrypt_loaded_free().
 */
WINCRYPT_HIDDEN SECURITY_STATUS wincrypt_load_file(const char *cert_file, const char *key_file,
                                                   struct wincrypt_loaded *out);
/* The same from memory (`data` PEM or DER). */
WINCRYPT_HIDDEN SECURITY_STATUS wincrypt_load_mem(const gnutls_datum_t *data,
                                                  const gnutls_datum_t *key_data,
                                                  struct wincrypt_loaded *out);
WINCRYPT_HIDDEN void wincrypt_loaded_free(struct wincrypt_loaded *l);
/* Convert a GnuTLS key to unencrypted PKCS#8 DER (gnutls_free the data). */
WINCRYPT_HIDDEN bool wincrypt_key_pkcs8(gnutls_x509_privkey_t key, gnutls_datum_t *out);
/* Which of `certs` carries the public half of `key`; n if none. */
WINCRYPT_HIDDEN size_t wincrypt_key_match(gnutls_x509_privkey_t key,
                                          struct wincrypt_cert *const *certs, size_t n);

/* Why a key kept in a token cannot be used, for each kind of caller. */
struct wincrypt_key_failure {
    HRESULT last_error; /* for SetLastError (libsspi_cert_from_files) */
    NTSTATUS reason;    /* for SetSecpkgFailureReason (the package) */
};

/*
 * Open the private key of `cert` (key_kind WINCRYPT_KEY_PKCS11) from its
 * token and check with a test signature that it belongs to the
 * certificate.  SEC_E_OK with *out (the caller deinitialises it; usable
 * from any thread and after fork(), GnuTLS locks and reopens it), or
 * *out NULL and:
 *   SEC_E_UNKNOWN_CREDENTIALS  the URI is malformed or names no private
 *                              key (NTE_BAD_KEYSET_PARAM)
 *   SEC_E_NO_CREDENTIALS       no such token or object, or the token
 *                              failed (NTE_BAD_KEYSET); the PIN refused or
 *                              missing (SCARD_W_WRONG_CHV); the PIN locked
 *                              or expired (SCARD_W_CHV_BLOCKED); the key
 *                              is another certificate's (NTE_BAD_PUBLIC_KEY)
 *   SEC_E_INSUFFICIENT_MEMORY  (E_OUTOFMEMORY)
 * with *why saying which.  The PIN is the URI's (pin-value, pin-source)
 * or the application's GnuTLS PIN callback's; never logged.
 */
WINCRYPT_HIDDEN SECURITY_STATUS wincrypt_token_key_open(const struct wincrypt_cert *cert,
                                                        gnutls_privkey_t *out,
                                                        struct wincrypt_key_failure *why);

/* How many leading bytes of a "pkcs11:" URI may be shown (as the key's
 * container name): the path, without the query that may hold the PIN. */
WINCRYPT_HIDDEN size_t wincrypt_token_uri_shown(const char *uri);

/* The directory behind the "MY" store: LIBSSPI_CERT_DIR (secure_getenv)
 * when set, else $(sysconfdir)/libsspi/certs.  A static string or the
 * environment's; do not free. */
WINCRYPT_HIDDEN const char *wincrypt_my_dir(void);

/* Each *.pem / *.crt file of `dir`, in name order, loaded with its key
 * (NAME.key, else a key in the file); `fn` may take certificates out of
 * l->certs (setting them NULL) and returns false to stop.  Files that do
 * not load are skipped; a missing directory has no files. */
WINCRYPT_HIDDEN void wincrypt_dir_each(const char *dir,
                                       bool (*fn)(struct wincrypt_loaded *l, void *arg), void *arg);

/* The first certificate of `dir` whose SHA-1 thumbprint is `sha1`, with
 * its key when it has one (one reference for the caller), or NULL. */
WINCRYPT_HIDDEN struct wincrypt_cert *wincrypt_dir_find_sha1(const char *dir,
                                                             const uint8_t sha1[20]);

/* RFC 4514 string of the subject (or issuer) into out[cap]. */
WINCRYPT_HIDDEN bool wincrypt_dn_string(gnutls_x509_crt_t crt, bool issuer, char *out, size_t cap);
/* First value of attribute `oid` in the subject (or issuer); false if none. */
WINCRYPT_HIDDEN bool wincrypt_dn_oid(gnutls_x509_crt_t crt, bool issuer, const char *oid, char *out,
                                     size_t cap);
/* First subjectAltName of the CERT_NAME_* `type` (DNS, EMAIL, URL). */
WINCRYPT_HIDDEN bool wincrypt_san(gnutls_x509_crt_t crt, DWORD type, char *out, size_t cap);

#endif
