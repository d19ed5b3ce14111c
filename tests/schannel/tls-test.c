/*
 * tls-test.c - see tls-test.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tests/schannel/tls-test.h"

static bool tls_write(const char *path, const gnutls_datum_t *a, const gnutls_datum_t *b)
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
static bool tls_issue(const char *path, const char *cn, const char *dns, bool is_ca, time_t from,
                      time_t until, gnutls_x509_crt_t ca, gnutls_x509_privkey_t ca_key,
                      gnutls_x509_crt_t *crt_out, gnutls_x509_privkey_t *key_out)
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
         tls_write(path, &pem_crt, &pem_key);
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

bool tls_pki_make(struct tls_pki *pki)
{
    gnutls_x509_crt_t ca = NULL, rca = NULL;
    gnutls_x509_privkey_t ca_key = NULL, rca_key = NULL;
    time_t now = time(NULL), year = 365 * 24 * 3600;
    bool ok;

    snprintf(pki->dir, sizeof(pki->dir), "%s/libsspi-tls.XXXXXX",
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
    ok = tls_issue(pki->ca, "libsspi test CA", NULL, true, now - 3600, now + year, NULL, NULL, &ca,
                   &ca_key);
    if (!ok)
        return false;
    ok = tls_issue(pki->rogue_ca, "rogue CA", NULL, true, now - 3600, now + year, NULL, NULL, &rca,
                   &rca_key);
    ok = ok && tls_issue(pki->server, "localhost", "localhost", false, now - 3600, now + year, ca,
                         ca_key, NULL, NULL);
    ok = ok && tls_issue(pki->client, "client", NULL, false, now - 3600, now + year, ca, ca_key,
                         NULL, NULL);
    ok = ok && tls_issue(pki->expired, "localhost", "localhost", false, now - 2 * year, now - year,
                         ca, ca_key, NULL, NULL);
    ok = ok && tls_issue(pki->wrong, "another.example", "another.example", false, now - 3600,
                         now + year, ca, ca_key, NULL, NULL);
    ok = ok && tls_issue(pki->rogue, "localhost", "localhost", false, now - 3600, now + year, rca,
                         rca_key, NULL, NULL);
    gnutls_x509_crt_deinit(ca);
    gnutls_x509_privkey_deinit(ca_key);
    if (rca != NULL) {
        gnutls_x509_crt_deinit(rca);
        gnutls_x509_privkey_deinit(rca_key);
    }
    return ok;
}

void tls_pki_remove(struct tls_pki *pki)
{
    const char *files[] = {pki->ca,    pki->server,   pki->client, pki->expired,
                           pki->wrong, pki->rogue_ca, pki->rogue};

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(files[i]);
    rmdir(pki->dir);
}

SECURITY_STATUS tls_load_package(void)
{
    static SECURITY_STATUS st = 1;
    char path[512];
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    PSecPkgInfoA info;

    if (st != 1)
        return st;
    if (QuerySecurityPackageInfoA("Schannel", &info) == SEC_E_OK) {
        FreeContextBuffer(info);
        return st = SEC_E_OK;
    }
    snprintf(path, sizeof(path), "%s/schannel/.libs/schannel.so", dir ? dir : "src/packages");
    st = AddSecurityPackageA(path, NULL);
    return st;
}

SECURITY_STATUS tls_server_cred(const char *pem, uint32_t protocols, CredHandle *cred)
{
    PCCERT_CONTEXT cert = NULL;
    SCHANNEL_CRED sc = {0};
    TimeStamp ts;
    SECURITY_STATUS st = libsspi_cert_from_files(pem, NULL, &cert);

    if (st != SEC_E_OK)
        return st;
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = 1;
    sc.paCred = &cert;
    sc.grbitEnabledProtocols = protocols;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_INBOUND, NULL, &sc,
                                   NULL, NULL, cred, &ts);
    CertFreeCertificateContext(cert);
    return st;
}

SECURITY_STATUS tls_client_cred(const char *ca_file, const char *pem, uint32_t protocols,
                                uint32_t flags, CredHandle *cred)
{
    PCCERT_CONTEXT cert = NULL;
    HCERTSTORE root = NULL;
    SCHANNEL_CRED sc = {0};
    TimeStamp ts;
    SECURITY_STATUS st = SEC_E_OK;

    if (pem != NULL && (st = libsspi_cert_from_files(pem, NULL, &cert)) != SEC_E_OK)
        return st;
    if (ca_file != NULL) {
        root = CertOpenStore(CERT_STORE_PROV_FILENAME_A, X509_ASN_ENCODING, 0, 0, ca_file);
        if (root == NULL) {
            CertFreeCertificateContext(cert);
            return SEC_E_UNKNOWN_CREDENTIALS;
        }
    }
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = cert ? 1 : 0;
    sc.paCred = cert ? &cert : NULL;
    sc.hRootStore = root;
    sc.grbitEnabledProtocols = protocols;
    sc.dwFlags = flags;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_OUTBOUND, NULL, &sc,
                                   NULL, NULL, cred, &ts);
    CertFreeCertificateContext(cert);
    CertCloseStore(root, 0);
    return st;
}

void tls_side_feed(struct tls_side *s, const void *data, size_t len)
{
    if (s->in_len + len > s->in_cap) {
        s->in_cap = (s->in_len + len) * 2 + 1024;
        s->in = realloc(s->in, s->in_cap);
    }
    memcpy(s->in + s->in_len, data, len);
    s->in_len += len;
}

SECURITY_STATUS tls_side_step(struct tls_side *s, uint8_t **out, size_t *out_len)
{
    SecBuffer inb[3], outb[2];
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 2, outb};
    ULONG attrs;
    TimeStamp ts;
    SECURITY_STATUS st;
    uint32_t n = 0;

    inb[n++] = (SecBuffer){(ULONG)s->in_len, SECBUFFER_TOKEN, s->in};
    inb[n++] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    if (!s->have_ctx && s->alpn != NULL)
        inb[n++] = (SecBuffer){s->alpn_len, SECBUFFER_APPLICATION_PROTOCOLS, (void *)s->alpn};
    ind.cBuffers = n;
    outb[0] = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    outb[1] = (SecBuffer){0, SECBUFFER_ALERT, NULL};
    if (s->server)
        st = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &ind,
                                   s->req | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM, 0, &s->ctx,
                                   &outd, &attrs, &ts);
    else
        st = InitializeSecurityContextA(
            &s->cred, s->have_ctx ? &s->ctx : NULL, (SEC_CHAR *)s->target,
            s->req | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0,
            (s->in_len || (!s->have_ctx && s->alpn)) ? &ind : NULL, 0, &s->ctx, &outd, &attrs, &ts);
    s->last = st;
    if (SEC_SUCCESS(st))
        s->have_ctx = true;
    if (st != SEC_E_INCOMPLETE_MESSAGE) {
        size_t keep = inb[1].BufferType == SECBUFFER_EXTRA ? inb[1].cbBuffer : 0;

        memmove(s->in, s->in + s->in_len - keep, keep);
        s->in_len = keep;
    }
    if (outb[0].pvBuffer != NULL && outb[0].cbBuffer > 0) {
        *out = realloc(*out, *out_len + outb[0].cbBuffer);
        memcpy(*out + *out_len, outb[0].pvBuffer, outb[0].cbBuffer);
        *out_len += outb[0].cbBuffer;
    }
    if (outb[0].pvBuffer != NULL)
        FreeContextBuffer(outb[0].pvBuffer);
    if (outb[1].pvBuffer != NULL)
        FreeContextBuffer(outb[1].pvBuffer);
    if (st == SEC_E_OK)
        s->done = true;
    return st;
}

SECURITY_STATUS tls_handshake(struct tls_side *c, struct tls_side *s)
{
    for (int i = 0; i < 32; i++) {
        uint8_t *out = NULL;
        size_t out_len = 0;
        struct tls_side *me = i % 2 == 0 ? c : s, *peer = i % 2 == 0 ? s : c;
        SECURITY_STATUS st;

        if (me->done && me->in_len == 0) {
            if (peer->done)
                return SEC_E_OK;
            continue;
        }
        st = me->done ? SEC_E_OK : tls_side_step(me, &out, &out_len);
        if (out_len > 0)
            tls_side_feed(peer, out, out_len);
        free(out);
        if (!SEC_SUCCESS(st) && st != SEC_E_INCOMPLETE_MESSAGE)
            return st;
        if (c->done && s->done && (out_len == 0 || me == s))
            return SEC_E_OK;
    }
    return SEC_E_INTERNAL_ERROR;
}

SECURITY_STATUS tls_drain(struct tls_side *s)
{
    SECURITY_STATUS st = SEC_E_OK;

    while (s->in_len > 0) {
        uint8_t *plain;
        size_t plain_len, used;

        st = tls_decrypt(&s->ctx, s->in, s->in_len, &plain, &plain_len, &used);
        if (st != SEC_E_OK || plain_len != 0)
            return st == SEC_E_OK ? SEC_E_INTERNAL_ERROR : st;
        memmove(s->in, s->in + used, s->in_len - used);
        s->in_len -= used;
    }
    return st;
}

void tls_side_free(struct tls_side *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    free(s->in);
    s->in = NULL;
    s->have_ctx = false;
}

SECURITY_STATUS tls_encrypt(CtxtHandle *ctx, const void *data, uint32_t len, uint8_t *out,
                            size_t *out_len)
{
    SecPkgContext_StreamSizes sz;
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_STREAM_SIZES, &sz);
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    if (st != SEC_E_OK)
        return st;
    memcpy(out + sz.cbHeader, data, len);
    b[0] = (SecBuffer){sz.cbHeader, SECBUFFER_STREAM_HEADER, out};
    b[1] = (SecBuffer){len, SECBUFFER_DATA, out + sz.cbHeader};
    b[2] = (SecBuffer){sz.cbTrailer, SECBUFFER_STREAM_TRAILER, out + sz.cbHeader + len};
    b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    st = EncryptMessage(ctx, 0, &d, 0);
    if (st == SEC_E_OK) {
        /* header, data and trailer are contiguous when the header is full size */
        memmove(out + b[0].cbBuffer, b[1].pvBuffer, b[1].cbBuffer);
        memmove(out + b[0].cbBuffer + b[1].cbBuffer, b[2].pvBuffer, b[2].cbBuffer);
        *out_len = b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
    }
    return st;
}

SECURITY_STATUS tls_decrypt(CtxtHandle *ctx, uint8_t *buf, size_t len, uint8_t **plain,
                            size_t *plain_len, size_t *used)
{
    SecBuffer b[4] = {{(ULONG)len, SECBUFFER_DATA, buf},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st = DecryptMessage(ctx, &d, 0, NULL);

    *plain = NULL;
    *plain_len = 0;
    *used = 0;
    if (!SEC_SUCCESS(st) || st == SEC_E_INCOMPLETE_MESSAGE)
        return st;
    *used = len;
    for (int i = 0; i < 4; i++) {
        if (b[i].BufferType == SECBUFFER_DATA) {
            *plain = b[i].pvBuffer;
            *plain_len = b[i].cbBuffer;
        }
        if (b[i].BufferType == SECBUFFER_EXTRA)
            *used = len - b[i].cbBuffer;
    }
    return st;
}
