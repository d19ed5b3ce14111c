/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls-test.c - see tls-test.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/schannel/tls-test.h"

bool tls_write_conf(const char *path, const char *options)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    FILE *f = fopen(path, "w");

    if (f == NULL)
        return false;
    fprintf(f,
            "autoload = no\ndropin_dir = none\n[module]\nmodule = %s/schannel/.libs/schannel.so\n"
            "%s\n",
            dir ? dir : "src/packages", options);
    return fclose(f) == 0;
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

SECURITY_STATUS tls_cred_with(PCCERT_CONTEXT cert, const char *ca_file, bool server,
                              uint32_t protocols, uint32_t flags, CredHandle *cred)
{
    HCERTSTORE root = NULL;
    SCHANNEL_CRED sc = {0};
    TimeStamp ts;
    SECURITY_STATUS st;

    if (ca_file != NULL && (root = CertOpenStore(CERT_STORE_PROV_FILENAME_A, X509_ASN_ENCODING, 0,
                                                 0, ca_file)) == NULL)
        return SEC_E_UNKNOWN_CREDENTIALS;
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = cert ? 1 : 0;
    sc.paCred = cert ? &cert : NULL;
    sc.hRootStore = root;
    sc.grbitEnabledProtocols = protocols;
    sc.dwFlags = flags;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel",
                                   server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, NULL, &sc,
                                   NULL, NULL, cred, &ts);
    CertCloseStore(root, 0);
    return st;
}

SECURITY_STATUS tls_server_cred_ca(const char *pem, const char *ca_file, uint32_t protocols,
                                   CredHandle *cred)
{
    PCCERT_CONTEXT cert = NULL;
    SECURITY_STATUS st = libsspi_cert_from_files(pem, NULL, &cert);

    if (st != SEC_E_OK)
        return st;
    st = tls_cred_with(cert, ca_file, true, protocols, 0, cred);
    CertFreeCertificateContext(cert);
    return st;
}

SECURITY_STATUS tls_server_cred(const char *pem, uint32_t protocols, CredHandle *cred)
{
    return tls_server_cred_ca(pem, NULL, protocols, cred);
}

SECURITY_STATUS tls_client_cred(const char *ca_file, const char *pem, uint32_t protocols,
                                uint32_t flags, CredHandle *cred)
{
    PCCERT_CONTEXT cert = NULL;
    SECURITY_STATUS st = SEC_E_OK;

    if (pem != NULL && (st = libsspi_cert_from_files(pem, NULL, &cert)) != SEC_E_OK)
        return st;
    st = tls_cred_with(cert, ca_file, false, protocols, flags, cred);
    CertFreeCertificateContext(cert);
    return st;
}

void tls_side_feed(struct tls_side *s, const void *data, size_t len)
{
    if (len == 0)
        return;
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
    TimeStamp ts = {0};
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
            s->have_ctx && s->no_cred ? NULL : &s->cred, s->have_ctx ? &s->ctx : NULL,
            (SEC_CHAR *)s->target, s->req | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0,
            (s->in_len || (!s->have_ctx && s->alpn)) ? &ind : NULL, 0, &s->ctx, &outd, &attrs, &ts);
    s->last = st;
    s->expiry = ts;
    if (SEC_SUCCESS(st))
        s->have_ctx = true;
    if (st != SEC_E_INCOMPLETE_MESSAGE) {
        size_t keep = inb[1].BufferType == SECBUFFER_EXTRA ? inb[1].cbBuffer : 0;

        if (keep > 0)
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
        if (s->in_len > used)
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
    s->in_len = s->in_cap = 0;
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

SECURITY_STATUS tls_roundtrip(CtxtHandle *from, CtxtHandle *to, size_t len)
{
    uint8_t *msg = malloc(len ? len : 1), *rec = malloc(len + 256), *plain;
    size_t rec_len = 0, plain_len, used;
    SECURITY_STATUS st;

    if (msg == NULL || rec == NULL) {
        free(msg);
        free(rec);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    for (size_t i = 0; i < len; i++)
        msg[i] = (uint8_t)(i * 7 + 1);
    st = tls_encrypt(from, msg, (uint32_t)len, rec, &rec_len);
    if (st == SEC_E_OK && rec_len == 0) /* GnuTLS's record layer sends no empty record */
        st = len == 0 ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
    else if (st == SEC_E_OK)
        st = tls_decrypt(to, rec, rec_len, &plain, &plain_len, &used);
    if (st == SEC_E_OK && rec_len > 0 &&
        (plain_len != len || used != rec_len || (len > 0 && memcmp(plain, msg, len) != 0)))
        st = SEC_E_MESSAGE_ALTERED;
    free(msg);
    free(rec);
    return st;
}
