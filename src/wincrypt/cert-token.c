/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cert-token.c - private keys that stay in a PKCS#11 token, named by a
 * "pkcs11:" URI (RFC 7512): opened through GnuTLS, which finds the modules
 * p11-kit has registered, checked against their certificate with a test
 * signature, and their failures in Windows' terms.  Part of the cert-core
 * convenience library: libsspi_cert_from_files (libsspi.so) checks a key
 * with it, the Schannel package opens the key of its credentials with it.
 *
 * The PIN comes from the URI (pin-value, or pin-source naming a file) or
 * from the application's gnutls_pkcs11_set_pin_function; nothing here
 * stores, logs or shows it.
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "wincrypt/cert-private.h"

/* What a GnuTLS error opening or using a token key becomes. */
struct wincrypt_token_error {
    int gnutls;
    SECURITY_STATUS status;
    HRESULT last_error;
    NTSTATUS reason;
};

static const struct wincrypt_token_error wincrypt_token_errors[] = {
    {GNUTLS_E_MEMORY_ERROR, SEC_E_INSUFFICIENT_MEMORY, E_OUTOFMEMORY, STATUS_NO_MEMORY},
    /* not a pkcs11: URI GnuTLS can read, or not one of a private key */
    {GNUTLS_E_PARSING_ERROR, SEC_E_UNKNOWN_CREDENTIALS, NTE_BAD_KEYSET_PARAM,
     STATUS_INVALID_PARAMETER},
    {GNUTLS_E_INVALID_REQUEST, SEC_E_UNKNOWN_CREDENTIALS, NTE_BAD_KEYSET_PARAM,
     STATUS_INVALID_PARAMETER},
    {GNUTLS_E_UNKNOWN_ALGORITHM, SEC_E_UNKNOWN_CREDENTIALS, NTE_BAD_KEYSET_PARAM,
     STATUS_INVALID_PARAMETER},
    /* the token refused the PIN, or none was given */
    {GNUTLS_E_PKCS11_PIN_ERROR, SEC_E_NO_CREDENTIALS, SCARD_W_WRONG_CHV, STATUS_WRONG_PASSWORD},
    {GNUTLS_E_PKCS11_PIN_LOCKED, SEC_E_NO_CREDENTIALS, SCARD_W_CHV_BLOCKED,
     STATUS_ACCOUNT_LOCKED_OUT},
    {GNUTLS_E_PKCS11_PIN_EXPIRED, SEC_E_NO_CREDENTIALS, SCARD_W_CHV_BLOCKED,
     STATUS_PASSWORD_EXPIRED},
    /* the test signature does not verify with the certificate's key */
    {GNUTLS_E_CERTIFICATE_KEY_MISMATCH, SEC_E_NO_CREDENTIALS, NTE_BAD_PUBLIC_KEY,
     STATUS_INVALID_SIGNATURE},
};

/* Anything else: no such token or object, or the token failed. */
static const struct wincrypt_token_error wincrypt_token_other = {0, SEC_E_NO_CREDENTIALS,
                                                                 NTE_BAD_KEYSET, STATUS_NOT_FOUND};

static SECURITY_STATUS wincrypt_token_fail(int err, struct wincrypt_key_failure *why)
{
    const struct wincrypt_token_error *e = &wincrypt_token_other;

    for (size_t i = 0; i < sizeof(wincrypt_token_errors) / sizeof(wincrypt_token_errors[0]); i++)
        if (wincrypt_token_errors[i].gnutls == err)
            e = &wincrypt_token_errors[i];
    why->last_error = e->last_error;
    why->reason = e->reason;
    return e->status;
}

/* Sign a fixed text with `key` and verify it with the certificate's public
 * key: the only check that works for every token (many keep no public
 * half beside an EC private key).  0, or a GnuTLS error. */
static int wincrypt_token_check(gnutls_privkey_t key, const struct wincrypt_cert *cert)
{
    static const char text[] = "libsspi: does this key belong to the certificate?";
    const gnutls_datum_t data = {(unsigned char *)text, sizeof(text) - 1};
    gnutls_datum_t der = {cert->ctx.pbCertEncoded, cert->ctx.cbCertEncoded}, sig = {NULL, 0};
    gnutls_digest_algorithm_t hash = GNUTLS_DIG_SHA256;
    gnutls_pubkey_t pub;
    gnutls_sign_algorithm_t algo;
    int r;

    if ((r = gnutls_pubkey_init(&pub)) < 0)
        return r;
    r = gnutls_pubkey_import_x509_raw(pub, &der, GNUTLS_X509_FMT_DER, 0);
    if (r >= 0)
        r = gnutls_pubkey_get_preferred_hash_algorithm(pub, &hash, NULL);
    if (r >= 0) {
        algo = gnutls_pk_to_sign(gnutls_pubkey_get_pk_algorithm(pub, NULL), hash);
        r = algo == GNUTLS_SIGN_UNKNOWN ? GNUTLS_E_UNKNOWN_ALGORITHM
                                        : gnutls_privkey_sign_data2(key, algo, 0, &data, &sig);
    }
    if (r >= 0 && gnutls_pubkey_verify_data2(pub, algo, 0, &data, &sig) < 0)
        r = GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
    gnutls_free(sig.data);
    gnutls_pubkey_deinit(pub);
    return r;
}

SECURITY_STATUS wincrypt_token_key_open(const struct wincrypt_cert *cert, gnutls_privkey_t *out,
                                        struct wincrypt_key_failure *why)
{
    gnutls_privkey_t key;
    int r;

    *out = NULL;
    if (cert->key_kind != WINCRYPT_KEY_PKCS11 || cert->key == NULL)
        return wincrypt_token_fail(GNUTLS_E_INVALID_REQUEST, why);
    if ((r = gnutls_privkey_init(&key)) < 0)
        return wincrypt_token_fail(r, why);
    r = gnutls_privkey_import_url(key, (const char *)cert->key, 0);
    if (r >= 0)
        r = wincrypt_token_check(key, cert);
    if (r < 0) {
        gnutls_privkey_deinit(key);
        return wincrypt_token_fail(r, why);
    }
    *out = key;
    return SEC_E_OK;
}

size_t wincrypt_token_uri_shown(const char *uri)
{
    return strcspn(uri, "?");
}
