/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-pki.c - a throwaway PKI made at run time with the GnuTLS API: a CA
 * (its file holds only the certificate), a localhost server certificate, a
 * client certificate, and certificates that must be refused (expired,
 * another name, another CA, self-signed).  Used by `sspi loopback` and
 * `sspi bench` for stream packages, and by the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tools/tool-pki.h"

static bool tool_pki_write(const char *path, const gnutls_datum_t *a, const gnutls_datum_t *b)
{
    FILE *f = fopen(path, "w");
    bool ok;

    if (f == NULL)
        return false;
    ok = fwrite(a->data, 1, a->size, f) == a->size &&
         (b == NULL || fwrite(b->data, 1, b->size, f) == b->size);
    return fclose(f) == 0 && ok;
}

/* A certificate for `cn` (and `dns`), signed by ca/ca_key (self-signed if
 * NULL), valid from `from` to `until`, written with its key to `path`. */
static bool tool_pki_issue(const char *path, const char *cn, const char *dns, bool is_ca,
                           time_t from, time_t until, gnutls_x509_crt_t ca,
                           gnutls_x509_privkey_t ca_key, gnutls_x509_crt_t *crt_out,
                           gnutls_x509_privkey_t *key_out)
{
    gnutls_x509_crt_t crt;
    gnutls_x509_privkey_t key;
    gnutls_datum_t pem_crt = {NULL, 0}, pem_key = {NULL, 0};
    static unsigned serial_no = 1;
    unsigned char serial[4] = {0, 0, 0, (unsigned char)serial_no++};
    unsigned char ip[4] = {127, 0, 0, 1};
    bool ok;

    gnutls_x509_privkey_init(&key);
    gnutls_x509_crt_init(&crt);
    ok = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) >= 0;
    gnutls_x509_crt_set_version(crt, 3);
    gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
    gnutls_x509_crt_set_activation_time(crt, from);
    gnutls_x509_crt_set_expiration_time(crt, until);
    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn));
    gnutls_x509_crt_set_key(crt, key);
    if (dns != NULL) {
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, dns, strlen(dns),
                                             GNUTLS_FSAN_APPEND);
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4, GNUTLS_FSAN_APPEND);
    }
    gnutls_x509_crt_set_basic_constraints(crt, is_ca, -1);
    if (is_ca)
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
    else {
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
        gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
        gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0);
    }
    gnutls_x509_crt_set_subject_key_id(crt, serial, sizeof(serial));
    ok = ok && gnutls_x509_crt_sign2(crt, ca ? ca : crt, ca_key ? ca_key : key, GNUTLS_DIG_SHA256,
                                     0) >= 0;
    ok = ok && gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem_crt) >= 0 &&
         gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                           &pem_key) >= 0 &&
         tool_pki_write(path, &pem_crt, is_ca ? NULL : &pem_key);
    gnutls_free(pem_crt.data);
    gnutls_free(pem_key.data);
    if (crt_out != NULL && ok) {
        *crt_out = crt;
        *key_out = key;
    } else {
        gnutls_x509_crt_deinit(crt);
        gnutls_x509_privkey_deinit(key);
    }
    return ok;
}

bool tool_pki_make(struct tool_pki *pki)
{
    gnutls_x509_crt_t ca = NULL, rca = NULL;
    gnutls_x509_privkey_t ca_key = NULL, rca_key = NULL;
    time_t now = time(NULL), year = 365 * 24 * 3600;
    bool ok;

    snprintf(pki->dir, sizeof(pki->dir), "%s/libsspi-pki.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(pki->dir) == NULL)
        return false;
    snprintf(pki->ca, sizeof(pki->ca), "%s/ca.pem", pki->dir);
    snprintf(pki->server, sizeof(pki->server), "%s/server.pem", pki->dir);
    snprintf(pki->client, sizeof(pki->client), "%s/client.pem", pki->dir);
    snprintf(pki->expired, sizeof(pki->expired), "%s/expired.pem", pki->dir);
    snprintf(pki->wrong, sizeof(pki->wrong), "%s/wrong.pem", pki->dir);
    snprintf(pki->rogue_ca, sizeof(pki->rogue_ca), "%s/rogue-ca.pem", pki->dir);
    snprintf(pki->rogue, sizeof(pki->rogue), "%s/rogue.pem", pki->dir);
    snprintf(pki->self, sizeof(pki->self), "%s/self.pem", pki->dir);
    ok = tool_pki_issue(pki->ca, "libsspi test CA", NULL, true, now - 3600, now + year, NULL, NULL,
                        &ca, &ca_key);
    if (!ok)
        return false;
    ok = tool_pki_issue(pki->rogue_ca, "rogue CA", NULL, true, now - 3600, now + year, NULL, NULL,
                        &rca, &rca_key);
    ok = ok && tool_pki_issue(pki->server, "localhost", "localhost", false, now - 3600, now + year,
                              ca, ca_key, NULL, NULL);
    ok = ok && tool_pki_issue(pki->client, "client", NULL, false, now - 3600, now + year, ca,
                              ca_key, NULL, NULL);
    ok = ok && tool_pki_issue(pki->expired, "localhost", "localhost", false, now - 2 * year,
                              now - year, ca, ca_key, NULL, NULL);
    ok = ok && tool_pki_issue(pki->wrong, "another.example", "another.example", false, now - 3600,
                              now + year, ca, ca_key, NULL, NULL);
    ok = ok && tool_pki_issue(pki->rogue, "localhost", "localhost", false, now - 3600, now + year,
                              rca, rca_key, NULL, NULL);
    ok = ok && tool_pki_issue(pki->self, "localhost", "localhost", false, now - 3600, now + year,
                              NULL, NULL, NULL, NULL);
    gnutls_x509_crt_deinit(ca);
    gnutls_x509_privkey_deinit(ca_key);
    if (rca != NULL) {
        gnutls_x509_crt_deinit(rca);
        gnutls_x509_privkey_deinit(rca_key);
    }
    return ok;
}

void tool_pki_remove(struct tool_pki *pki)
{
    const char *files[] = {pki->ca,    pki->server,   pki->client, pki->expired,
                           pki->wrong, pki->rogue_ca, pki->rogue,  pki->self};

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(files[i]);
    rmdir(pki->dir);
}
