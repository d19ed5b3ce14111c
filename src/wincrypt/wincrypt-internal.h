/*
 * wincrypt-internal.h - helpers shared by the files of src/wincrypt that
 * live only in libsspi.so: certificate and key file loading, names.
 */
#ifndef LIBSSPI_WINCRYPT_INTERNAL_H
#define LIBSSPI_WINCRYPT_INTERNAL_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "sspi.h"
#include "wincrypt/cert-private.h"

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

/* RFC 4514 string of the subject (or issuer) into out[cap]. */
WINCRYPT_HIDDEN bool wincrypt_dn_string(gnutls_x509_crt_t crt, bool issuer, char *out, size_t cap);
/* First value of attribute `oid` in the subject (or issuer); false if none. */
WINCRYPT_HIDDEN bool wincrypt_dn_oid(gnutls_x509_crt_t crt, bool issuer, const char *oid, char *out,
                                     size_t cap);
/* First subjectAltName of the CERT_NAME_* `type` (DNS, EMAIL, URL). */
WINCRYPT_HIDDEN bool wincrypt_san(gnutls_x509_crt_t crt, DWORD type, char *out, size_t cap);

#endif
