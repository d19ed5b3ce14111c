/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-schannel.c - the Schannel package through the public API, in one
 * process: credentials (reference section 4 statuses), handshakes for
 * TLS 1.2 and 1.3 with exact EXTRA / INCOMPLETE_MESSAGE / MISSING
 * handling, stream sizes, EncryptMessage / DecryptMessage in place,
 * several records per buffer, close_notify, alerts, attributes,
 * certificate failures, resumption, ALPN, client certificates, and bad
 * input in both phases.  Loads src/packages/schannel/.libs/schannel.so
 * with AddSecurityPackageA under the empty test configuration; the
 * certificates are made at run time.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/schannel/tls-peers.h"
#include "tests/schannel/tls-test.h"

static struct tls_pki pki;
static char records_conf[512]; /* option.record_layer = gnutls */
static char certdir_conf[512]; /* option.cert_dir = the PKI's directory */

static void setup(void)
{
    ck_status(tls_load_package(), SEC_E_OK);
}

/* The package from a configuration that turns the in-place path off (a
 * fresh process per test: Check's fork mode). */
static void setup_gnutls_records(void)
{
    setenv("LIBSSPI_CONFIG", records_conf, 1);
    ck_status(tls_load_package(), SEC_E_OK);
}

/* A configuration loading the package with one option line. */
static bool write_conf(char *path, size_t cap, const char *name, const char *option)
{
    snprintf(path, cap, "%s/%s", pki.dir, name);
    return tls_write_conf(path, option);
}

static bool write_records_conf(void)
{
    char opt[400];

    snprintf(opt, sizeof(opt), "option.cert_dir = %s", pki.dir);
    return write_conf(records_conf, sizeof(records_conf), "records.conf",
                      "option.record_layer = gnutls") &&
           write_conf(certdir_conf, sizeof(certdir_conf), "certdir.conf", opt);
}

static void setup_cert_dir(void)
{
    setenv("LIBSSPI_CONFIG", certdir_conf, 1);
    ck_status(tls_load_package(), SEC_E_OK);
}

/* A connected client/server pair on `protocols`. */
struct pair {
    struct tls_side c, s;
};

static void pair_open(struct pair *p, uint32_t protocols)
{
    memset(p, 0, sizeof(*p));
    ck_status(tls_server_cred(pki.server, 0, &p->s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, protocols, 0, &p->c.cred), SEC_E_OK);
    p->s.server = true;
    p->c.target = "localhost";
    ck_status(tls_handshake(&p->c, &p->s), SEC_E_OK);
    ck_status(tls_drain(&p->c), SEC_E_OK);
    ck_status(tls_drain(&p->s), SEC_E_OK);
}

static void pair_close(struct pair *p)
{
    tls_side_free(&p->c);
    tls_side_free(&p->s);
    FreeCredentialsHandle(&p->c.cred);
    FreeCredentialsHandle(&p->s.cred);
}

/* Encrypt on one side, decrypt on the other, compare. */
static void roundtrip(CtxtHandle *from, CtxtHandle *to, size_t len)
{
    ck_status(tls_roundtrip(from, to, len), SEC_E_OK);
}

static void check_protocol(uint32_t protocols, uint32_t want_client_bit, uint32_t hdr, uint32_t trl)
{
    struct pair p;
    SecPkgContext_StreamSizes sz;
    SecPkgContext_ConnectionInfo ci;
    static const size_t sizes[] = {0, 1, 16, 64, 1024, 4096, 16384};

    pair_open(&p, protocols);
    ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_STREAM_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbHeader, hdr);
    ck_assert_uint_eq(sz.cbTrailer, trl);
    ck_assert_uint_eq(sz.cbMaximumMessage, 16384);
    ck_assert_uint_eq(sz.cBuffers, 4);
    ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    ck_assert_uint_eq(ci.dwProtocol, want_client_bit);
    ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    ck_assert_uint_eq(ci.dwProtocol, want_client_bit >> 1);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        roundtrip(&p.c.ctx, &p.s.ctx, sizes[i]);
        roundtrip(&p.s.ctx, &p.c.ctx, sizes[i]);
    }
    pair_close(&p);
}

START_TEST(test_tls13_roundtrip)
{
    check_protocol(SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_3_CLIENT, 5, 17);
}
END_TEST

START_TEST(test_tls12_roundtrip)
{
    check_protocol(SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_2_CLIENT, 13, 16);
}
END_TEST

/* ---- credentials (reference section 4) */

static SECURITY_STATUS acquire(uint32_t use, void *auth, CredHandle *cred)
{
    TimeStamp ts;
    SECURITY_STATUS st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", use, NULL, auth,
                                                   NULL, NULL, cred, &ts);

    if (st == SEC_E_OK)
        FreeCredentialsHandle(cred);
    return st;
}

START_TEST(test_credential_statuses)
{
    CredHandle cred;
    SCHANNEL_CRED sc;
    SCH_CREDENTIALS v5;
    PCCERT_CONTEXT certs[2] = {NULL, NULL};
    CERT_CONTEXT fake;
    uint8_t junk[sizeof(CERT_CONTEXT) + 64];

    ck_status(acquire(0, NULL, &cred), SEC_E_NO_CREDENTIALS);
    ck_status(acquire(SECPKG_CRED_BOTH, NULL, &cred), SEC_E_NO_CREDENTIALS);
    ck_status(acquire(SECPKG_CRED_INBOUND, NULL, &cred), SEC_E_NO_CREDENTIALS);
    ck_status(acquire(SECPKG_CRED_OUTBOUND, NULL, &cred), SEC_E_OK);

    memset(&sc, 0, sizeof(sc));
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    for (uint32_t v = 1; v <= 3; v++) {
        sc.dwVersion = v;
        ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    }
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_SERVER;
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_ALGORITHM_MISMATCH);
    sc.grbitEnabledProtocols = SP_PROT_SSL3_CLIENT;
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_ALGORITHM_MISMATCH);
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT | SP_PROT_DTLS1_2_CLIENT;
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_ALGORITHM_MISMATCH);
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &sc, &cred), SEC_E_OK);

    /* two certificates, a certificate libsspi did not make, one without a key */
    ck_status(libsspi_cert_from_files(pki.server, NULL, &certs[0]), SEC_E_OK);
    certs[1] = certs[0];
    sc.cCreds = 2;
    sc.paCred = certs;
    sc.grbitEnabledProtocols = 0;
    ck_status(acquire(SECPKG_CRED_INBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    memset(junk, 0, sizeof(junk));
    memcpy(&fake, junk, sizeof(fake));
    certs[1] = (PCCERT_CONTEXT)junk;
    sc.cCreds = 1;
    sc.paCred = &certs[1];
    ck_status(acquire(SECPKG_CRED_INBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    certs[1] = CertCreateCertificateContext(X509_ASN_ENCODING, certs[0]->pbCertEncoded,
                                            certs[0]->cbCertEncoded);
    ck_assert_ptr_nonnull(certs[1]);
    ck_status(acquire(SECPKG_CRED_INBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    sc.paCred = &certs[0];
    ck_status(acquire(SECPKG_CRED_INBOUND, &sc, &cred), SEC_E_OK);
    sc.dwCredFormat = SCH_CRED_FORMAT_CERT_HASH;
    ck_status(acquire(SECPKG_CRED_INBOUND, &sc, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    CertFreeCertificateContext(certs[0]);
    CertFreeCertificateContext(certs[1]);

    memset(&v5, 0, sizeof(v5));
    v5.dwVersion = SCH_CREDENTIALS_VERSION;
    ck_status(acquire(SECPKG_CRED_OUTBOUND, &v5, &cred), SEC_E_OK);
    (void)fake;
}
END_TEST

START_TEST(test_supported_protocols)
{
    CredHandle cred;
    TimeStamp ts;
    SecPkgCred_SupportedProtocols sp;
    TLS_PARAMETERS tp = {0};
    SCH_CREDENTIALS v5 = {0};
    SCHANNEL_CRED sc = {0};

    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    ck_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_OUTBOUND, NULL,
                                        &sc, NULL, NULL, &cred, &ts),
              SEC_E_OK);
    ck_status(QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp), SEC_E_OK);
    ck_assert_uint_eq(sp.grbitProtocol, SP_PROT_TLS1_2_CLIENT);
    FreeCredentialsHandle(&cred);

    v5.dwVersion = SCH_CREDENTIALS_VERSION;
    v5.cTlsParameters = 1;
    v5.pTlsParameters = &tp;
    tp.grbitDisabledProtocols = SP_PROT_TLS1_3_CLIENT;
    ck_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_OUTBOUND, NULL,
                                        &v5, NULL, NULL, &cred, &ts),
              SEC_E_OK);
    ck_status(QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &sp), SEC_E_OK);
    ck_assert_uint_eq(sp.grbitProtocol, SP_PROT_TLS1_2_CLIENT);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* ---- handshake buffers */

/* The client's first flight (ClientHello). */
static uint8_t *client_hello(struct tls_side *c, size_t *len)
{
    uint8_t *out = NULL;

    memset(c, 0, sizeof(*c));
    c->target = "localhost";
    ck_status(tls_client_cred(pki.ca, NULL, 0, 0, &c->cred), SEC_E_OK);
    *len = 0;
    ck_status(tls_side_step(c, &out, len), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_gt(*len, 5);
    return out;
}

/* ASC on `len` bytes of `data` as a first leg; status, EMPTY buffer after. */
static SECURITY_STATUS accept_first(CredHandle *cred, const uint8_t *data, size_t len,
                                    SecBuffer *spare, CtxtHandle *newctx)
{
    SecBuffer in[2] = {{(ULONG)len, SECBUFFER_TOKEN, (void *)data}, {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, in};
    uint8_t outbuf[16384];
    SecBuffer out = {sizeof(outbuf), SECBUFFER_TOKEN, outbuf};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    TimeStamp ts;
    SECURITY_STATUS st =
        AcceptSecurityContext(cred, NULL, &ind, ASC_REQ_STREAM, 0, newctx, &outd, &attrs, &ts);

    *spare = in[1];
    return st;
}

START_TEST(test_incomplete_and_missing)
{
    struct tls_side c;
    CredHandle scred;
    CtxtHandle h = {0x1234, 0x5678};
    SecBuffer spare;
    size_t len;
    uint8_t *hello = client_hello(&c, &len);

    ck_status(tls_server_cred(pki.server, 0, &scred), SEC_E_OK);
    ck_status(accept_first(&scred, hello, 0, &spare, &h), SEC_E_INCOMPLETE_MESSAGE);
    ck_assert_uint_eq(spare.BufferType, SECBUFFER_MISSING);
    ck_assert_uint_eq(spare.cbBuffer, 5);
    ck_status(accept_first(&scred, hello, 4, &spare, &h), SEC_E_INCOMPLETE_MESSAGE);
    ck_assert_uint_eq(spare.cbBuffer, 1);
    ck_status(accept_first(&scred, hello, 10, &spare, &h), SEC_E_INCOMPLETE_MESSAGE);
    ck_assert_uint_eq(spare.BufferType, SECBUFFER_MISSING);
    ck_assert_uint_eq(spare.cbBuffer, len - 10);
    /* the new handle is untouched on INCOMPLETE_MESSAGE */
    ck_assert_uint_eq(h.dwLower, 0x1234);
    ck_assert_uint_eq(h.dwUpper, 0x5678);
    /* the whole record and 3 bytes of the next: EXTRA 3 */
    {
        uint8_t *more = malloc(len + 3);

        memcpy(more, hello, len);
        memcpy(more + len, "\x17\x03\x03", 3);
        ck_status(accept_first(&scred, more, len + 3, &spare, &h), SEC_I_CONTINUE_NEEDED);
        ck_assert_uint_eq(spare.BufferType, SECBUFFER_EXTRA);
        ck_assert_uint_eq(spare.cbBuffer, 3);
        DeleteSecurityContext(&h);
        free(more);
    }
    free(hello);
    tls_side_free(&c);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&scred);
}
END_TEST

START_TEST(test_garbage_handshake_input)
{
    struct tls_side c;
    CredHandle scred;
    CtxtHandle h = {0, 0};
    SecBuffer spare;
    size_t len;
    uint8_t *hello = client_hello(&c, &len);
    uint8_t junk[300];

    ck_status(tls_server_cred(pki.server, 0, &scred), SEC_E_OK);
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(i * 31 + 7);
    ck_status(accept_first(&scred, junk, sizeof(junk), &spare, &h), SEC_E_INVALID_TOKEN);
    /* a good header with a garbage body: refused, or waiting for the rest of
     * what the garbage claims to be; never a crash */
    memcpy(junk, "\x16\x03\x01\x01\x00", 5);
    {
        SECURITY_STATUS st = accept_first(&scred, junk, 5 + 256, &spare, &h);

        ck_assert(st == SEC_I_CONTINUE_NEEDED || !SEC_SUCCESS(st));
        if (st == SEC_I_CONTINUE_NEEDED)
            DeleteSecurityContext(&h);
    }
    /* every truncation of the ClientHello asks for the rest */
    for (size_t n = 0; n < len; n++) {
        ck_status(accept_first(&scred, hello, n, &spare, &h), SEC_E_INCOMPLETE_MESSAGE);
        ck_assert_uint_eq(spare.cbBuffer, n < 5 ? 5 - n : len - n);
    }
    /* a flipped bit anywhere in the body: a defined failure, never a crash */
    for (size_t n = 5; n < len; n += 7) {
        hello[n] ^= 0x40;
        if (accept_first(&scred, hello, len, &spare, &h) == SEC_I_CONTINUE_NEEDED)
            DeleteSecurityContext(&h);
        hello[n] ^= 0x40;
    }
    free(hello);
    tls_side_free(&c);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&scred);
}
END_TEST

/* The server's flight handed over one byte at a time still completes. */
START_TEST(test_handshake_byte_by_byte)
{
    struct tls_side c = {.target = "localhost"}, s = {.server = true};
    uint8_t *out = NULL;
    size_t len = 0;

    ck_status(tls_server_cred(pki.server, 0, &s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, 0, 0, &c.cred), SEC_E_OK);
    ck_status(tls_side_step(&c, &out, &len), SEC_I_CONTINUE_NEEDED);
    tls_side_feed(&s, out, len);
    len = 0;
    ck_status(tls_side_step(&s, &out, &len), SEC_I_CONTINUE_NEEDED);
    for (size_t i = 0; i < len && !c.done; i++) {
        uint8_t *o2 = NULL;
        size_t l2 = 0;
        SECURITY_STATUS st;

        tls_side_feed(&c, out + i, 1);
        st = tls_side_step(&c, &o2, &l2);
        ck_assert_msg(st == SEC_E_INCOMPLETE_MESSAGE || st == SEC_I_CONTINUE_NEEDED ||
                          st == SEC_E_OK,
                      "byte %zu: %s", i, libsspi_status_name(st));
        if (l2 > 0)
            tls_side_feed(&s, o2, l2);
        free(o2);
    }
    ck_assert(c.done);
    free(out);
    out = NULL;
    len = 0;
    ck_status(tls_side_step(&s, &out, &len), SEC_E_OK);
    free(out);
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
}
END_TEST

/* ---- per-message calls */

START_TEST(test_several_records_per_buffer)
{
    struct pair p;
    uint8_t buf[3 * 1100];
    size_t total = 0, rec_len;
    const char *msgs[3] = {"first", "second record", "third"};

    pair_open(&p, 0);
    for (int i = 0; i < 3; i++) {
        ck_status(tls_encrypt(&p.c.ctx, msgs[i], (uint32_t)strlen(msgs[i]), buf + total, &rec_len),
                  SEC_E_OK);
        total += rec_len;
    }
    for (int i = 0, pos = 0; i < 3; i++) {
        uint8_t *plain;
        size_t plain_len, used;

        ck_status(tls_decrypt(&p.s.ctx, buf + pos, total - pos, &plain, &plain_len, &used),
                  SEC_E_OK);
        ck_assert_uint_eq(plain_len, strlen(msgs[i]));
        ck_assert(memcmp(plain, msgs[i], plain_len) == 0);
        ck_assert(i < 2 ? used < total - pos : used == total - pos);
        pos += (int)used; /* EXTRA: the next record starts where this one ended */
    }
    pair_close(&p);
}
END_TEST

START_TEST(test_decrypt_bad_input)
{
    struct pair p;
    uint8_t rec[256];
    size_t len;
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    pair_open(&p, 0);
    ck_status(tls_encrypt(&p.c.ctx, "hello", 5, rec, &len), SEC_E_OK);
    /* buffer shapes */
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, rec};
    b[1] = b[2] = b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    d.cBuffers = 3;
    ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    d.cBuffers = 4;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = (ULONG)len;
    b[1].pvBuffer = rec;
    ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    b[1] = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    /* every truncation: MISSING, input untouched */
    for (size_t n = 0; n < len; n++) {
        uint8_t copy[256];

        memcpy(copy, rec, len);
        b[0] = (SecBuffer){(ULONG)n, SECBUFFER_DATA, copy};
        b[1] = b[2] = b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
        ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_INCOMPLETE_MESSAGE);
        ck_assert_uint_eq(b[1].BufferType, SECBUFFER_MISSING);
        ck_assert_uint_eq(b[1].cbBuffer, n < 5 ? 5 - n : len - n);
        ck_assert(memcmp(copy, rec, len) == 0);
    }
    /* not a record header */
    {
        uint8_t junk[16] = "GET / HTTP/1.1\r";

        b[0] = (SecBuffer){sizeof(junk), SECBUFFER_DATA, junk};
        ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_INVALID_TOKEN);
    }
    /* a changed byte: the tag does not verify; the context is over */
    rec[len - 3] ^= 1;
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, rec};
    b[1] = b[2] = b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_DECRYPT_FAILURE);
    ck_status(DecryptMessage(&p.s.ctx, &d, 0, NULL), SEC_E_CONTEXT_EXPIRED);
    pair_close(&p);
}
END_TEST

START_TEST(test_encrypt_bad_input)
{
    struct pair p;
    static uint8_t buf[20000];
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    pair_open(&p, SP_PROT_TLS1_3_CLIENT);
    b[0] = (SecBuffer){5, SECBUFFER_STREAM_HEADER, buf};
    b[1] = (SecBuffer){10, SECBUFFER_DATA, buf + 5};
    b[2] = (SecBuffer){17, SECBUFFER_STREAM_TRAILER, buf + 15};
    b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    b[1].BufferType = SECBUFFER_EMPTY;
    ck_status(EncryptMessage(&p.c.ctx, 0, &d, 0), SEC_E_INVALID_TOKEN);
    b[1].BufferType = SECBUFFER_DATA;
    b[2].cbBuffer = 16;
    ck_status(EncryptMessage(&p.c.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    b[2].cbBuffer = 17;
    b[0].cbBuffer = 4;
    ck_status(EncryptMessage(&p.c.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    b[0].cbBuffer = 5;
    b[1].cbBuffer = 16385;
    b[2].pvBuffer = buf + 5 + 16385;
    ck_status(EncryptMessage(&p.c.ctx, 0, &d, 0), SEC_E_INVALID_PARAMETER);
    pair_close(&p);
}
END_TEST

START_TEST(test_message_before_handshake_done)
{
    struct tls_side c;
    size_t len;
    uint8_t *hello = client_hello(&c, &len), rec[64];
    SecBuffer b[4] = {{5, SECBUFFER_STREAM_HEADER, rec},
                      {3, SECBUFFER_DATA, rec + 5},
                      {17, SECBUFFER_STREAM_TRAILER, rec + 8},
                      {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    ck_status(EncryptMessage(&c.ctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    free(hello);
    tls_side_free(&c);
    FreeCredentialsHandle(&c.cred);
}
END_TEST

/* ApplyControlToken: its statuses, then close_notify both ways. */
static SECURITY_STATUS control(CtxtHandle *ctx, const void *tok, ULONG len, ULONG type, ULONG count)
{
    SecBuffer b[2] = {{len, type, (void *)tok}, {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, count, b};

    return ApplyControlToken(ctx, &d);
}

/* ISC/ASC on an established context with no input: its output. */
static SECURITY_STATUS emit(struct tls_side *side, uint8_t *out, size_t *len)
{
    uint8_t *o = NULL;
    size_t l = 0;
    SECURITY_STATUS st = tls_side_step(side, &o, &l);

    ck_assert_uint_le(l, 256);
    memcpy(out, o, l);
    *len = l;
    free(o);
    return st;
}

START_TEST(test_shutdown_and_alerts)
{
    struct pair p;
    uint32_t shutdown = SCHANNEL_SHUTDOWN, reneg = SCHANNEL_RENEGOTIATE;
    SCHANNEL_ALERT_TOKEN alert = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, TLS1_ALERT_BAD_CERTIFICATE};
    uint8_t rec[256], *plain;
    size_t len, plain_len, used;

    pair_open(&p, 0);
    ck_status(control(&p.c.ctx, &shutdown, 4, SECBUFFER_TOKEN, 2), SEC_E_INVALID_TOKEN);
    ck_status(control(&p.c.ctx, &shutdown, 4, SECBUFFER_DATA, 1), SEC_E_INVALID_TOKEN);
    ck_status(control(&p.c.ctx, &shutdown, 2, SECBUFFER_TOKEN, 1), SEC_E_UNSUPPORTED_FUNCTION);
    ck_status(control(&p.c.ctx, &reneg, 4, SECBUFFER_TOKEN, 1), SEC_E_UNSUPPORTED_FUNCTION);
    ck_status(control(&p.c.ctx, &shutdown, 4, SECBUFFER_TOKEN, 1), SEC_E_OK);
    ck_status(emit(&p.c, rec, &len), SEC_E_OK);
    ck_assert_uint_gt(len, 5);
    ck_assert_uint_eq(rec[0], 23); /* TLS 1.3: an encrypted alert */
    ck_status(tls_decrypt(&p.s.ctx, rec, len, &plain, &plain_len, &used), SEC_I_CONTEXT_EXPIRED);
    {
        uint8_t buf[64];
        size_t out_len;

        ck_status(tls_encrypt(&p.c.ctx, "x", 1, buf, &out_len), SEC_E_CONTEXT_EXPIRED);
    }
    /* the server answers with its own close_notify */
    ck_status(control(&p.s.ctx, &shutdown, 4, SECBUFFER_TOKEN, 1), SEC_E_OK);
    ck_status(emit(&p.s, rec, &len), SEC_E_OK);
    ck_assert_uint_gt(len, 5);
    pair_close(&p);

    /* a fatal alert chosen by the caller reaches the peer */
    pair_open(&p, SP_PROT_TLS1_2_CLIENT);
    ck_status(control(&p.s.ctx, &alert, sizeof(alert), SECBUFFER_TOKEN, 1), SEC_E_OK);
    ck_status(emit(&p.s, rec, &len), SEC_E_OK);
    ck_assert_uint_eq(rec[0], 21);
    ck_status(tls_decrypt(&p.c.ctx, rec, len, &plain, &plain_len, &used), SEC_E_CERT_UNKNOWN);
    pair_close(&p);
}
END_TEST

/* ---- attributes */

START_TEST(test_attributes)
{
    struct pair p;
    SecPkgContext_CipherInfo ci;
    SecPkgContext_KeyInfoW ki;
    SecPkgContext_SessionInfo si;
    SecPkgContext_Bindings cb[2];
    SecPkgContext_Sizes sz;
    SecPkgContext_NegotiationInfoA ni;
    SecPkgContext_ApplicationProtocol ap;
    PCCERT_CONTEXT cert = NULL;
    char name[128];

    for (int v = 0; v < 2; v++) {
        pair_open(&p, v ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT);
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_CIPHER_INFO, &ci), SEC_E_OK);
        ck_assert_uint_eq(ci.dwCipherSuite, v ? 0xC02C : 0x1302);
        ck_assert_uint_eq(ci.dwCipherLen, 256);
        ck_status(QueryContextAttributesW(&p.c.ctx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
        ck_assert_uint_eq(ki.KeySize, 256);
        ck_assert_uint_eq(ki.EncryptAlgorithm, CALG_AES_256);
        FreeContextBuffer(ki.sSignatureAlgorithmName);
        FreeContextBuffer(ki.sEncryptAlgorithmName);
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert),
                  SEC_E_OK);
        CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
        ck_assert_str_eq(name, "localhost");
        CertFreeCertificateContext(cert);
        ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &cert),
                  SEC_E_OK);
        CertFreeCertificateContext(cert);
        ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert),
                  SEC_E_NO_CREDENTIALS);
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_SESSION_INFO, &si), SEC_E_OK);
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap),
                  SEC_E_OK);
        ck_assert_int_eq(ap.ProtoNegoStatus, SecApplicationProtocolNegotiationStatus_None);
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        ck_assert_uint_eq(sz.cbMaxToken, 16384);
        /* answered by the core for every package (issue 9 item 5) */
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
        ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
        ck_assert_ptr_nonnull(ni.PackageInfo);
        ck_assert_str_eq(ni.PackageInfo->Name, "Schannel");
        ck_status(FreeContextBuffer(ni.PackageInfo), SEC_E_OK);
        /* tls-server-end-point: the same on both sides, SHA-256 of the cert */
        ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &cb[0]),
                  SEC_E_OK);
        ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &cb[1]),
                  SEC_E_OK);
        ck_assert_uint_eq(cb[0].BindingsLength, sizeof(SEC_CHANNEL_BINDINGS) + 21 + 32);
        ck_assert(memcmp(cb[0].Bindings, cb[1].Bindings, cb[0].BindingsLength) == 0);
        ck_assert(memcmp(cb[0].Bindings + 1, "tls-server-end-point:", 21) == 0);
        FreeContextBuffer(cb[0].Bindings);
        FreeContextBuffer(cb[1].Bindings);
        if (v) {
            ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &cb[0]),
                      SEC_E_OK);
            ck_status(QueryContextAttributesA(&p.s.ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &cb[1]),
                      SEC_E_OK);
            ck_assert(memcmp(cb[0].Bindings, cb[1].Bindings, cb[0].BindingsLength) == 0);
            FreeContextBuffer(cb[0].Bindings);
            FreeContextBuffer(cb[1].Bindings);
        } else {
            ck_status(QueryContextAttributesA(&p.c.ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &cb[0]),
                      SEC_E_UNSUPPORTED_FUNCTION);
        }
        pair_close(&p);
    }
}
END_TEST

/* ---- certificate checks, resumption, ALPN, client certificates */

static SECURITY_STATUS handshake_with(const char *server_pem, const char *target, uint32_t flags)
{
    struct tls_side c = {.target = target}, s = {.server = true};
    SECURITY_STATUS st;

    ck_status(tls_server_cred(server_pem, 0, &s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, 0, flags, &c.cred), SEC_E_OK);
    st = tls_handshake(&c, &s);
    if (st == SEC_E_OK)
        st = c.last;
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
    return st;
}

START_TEST(test_certificate_failures)
{
    ck_status(handshake_with(pki.rogue, "localhost", 0), SEC_E_UNTRUSTED_ROOT);
    ck_status(handshake_with(pki.wrong, "localhost", 0), SEC_E_WRONG_PRINCIPAL);
    ck_status(handshake_with(pki.expired, "localhost", 0), SEC_E_CERT_EXPIRED);
    ck_status(handshake_with(pki.rogue, "localhost", SCH_CRED_MANUAL_CRED_VALIDATION), SEC_E_OK);
    ck_status(handshake_with(pki.wrong, "localhost", SCH_CRED_NO_SERVERNAME_CHECK), SEC_E_OK);
    ck_status(handshake_with(pki.server, "127.0.0.1", 0), SEC_E_OK);
}
END_TEST

START_TEST(test_resumption)
{
    for (int v = 0; v < 2; v++) {
        struct tls_side c = {.target = "localhost"}, s = {.server = true};
        SecPkgContext_SessionInfo si;

        ck_status(tls_server_cred(pki.server, 0, &s.cred), SEC_E_OK);
        ck_status(tls_client_cred(pki.ca, NULL, v ? SP_PROT_TLS1_2_CLIENT : 0, 0, &c.cred),
                  SEC_E_OK);
        for (int round = 0; round < 2; round++) {
            ck_status(tls_handshake(&c, &s), SEC_E_OK);
            ck_status(tls_drain(&c), SEC_E_OK);
            ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SESSION_INFO, &si), SEC_E_OK);
            ck_assert_uint_eq(si.dwFlags & SSL_SESSION_RECONNECT,
                              round ? SSL_SESSION_RECONNECT : 0);
            tls_side_free(&c);
            tls_side_free(&s);
            c.done = s.done = false;
            c.in_len = s.in_len = 0;
        }
        FreeCredentialsHandle(&c.cred);
        FreeCredentialsHandle(&s.cred);
    }
}
END_TEST

START_TEST(test_alpn)
{
    static const uint8_t offer[] = {18,  0,   0, 0,   2,   0,   0,   0,   12,  0,   2,
                                    'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    static const uint8_t serve[] = {14, 0, 0,   0,   2, 0,   0,   0,   8,
                                    0,  2, 'h', '2', 4, 'n', 'o', 'n', 'e'};
    struct tls_side c = {.target = "localhost", .alpn = offer, .alpn_len = sizeof(offer)};
    struct tls_side s = {.server = true, .alpn = serve, .alpn_len = sizeof(serve)};
    SecPkgContext_ApplicationProtocol ap;

    ck_status(tls_server_cred(pki.server, 0, &s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, 0, 0, &c.cred), SEC_E_OK);
    ck_status(tls_handshake(&c, &s), SEC_E_OK);
    for (int i = 0; i < 2; i++) {
        ck_status(
            QueryContextAttributesA(i ? &s.ctx : &c.ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap),
            SEC_E_OK);
        ck_assert_int_eq(ap.ProtoNegoStatus, SecApplicationProtocolNegotiationStatus_Success);
        ck_assert_int_eq(ap.ProtoNegoExt, SecApplicationProtocolNegotiationExt_ALPN);
        ck_assert_uint_eq(ap.ProtocolIdSize, 2);
        ck_assert(memcmp(ap.ProtocolId, "h2", 2) == 0);
    }
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
}
END_TEST

START_TEST(test_client_certificates)
{
    for (int with = 0; with < 2; with++) {
        struct tls_side c = {.target = "localhost"},
                        s = {.server = true, .req = ASC_REQ_MUTUAL_AUTH};
        SECURITY_STATUS st = SEC_E_OK;
        bool told = false;

        ck_status(tls_server_cred(pki.server, SP_PROT_TLS1_2_SERVER, &s.cred), SEC_E_OK);
        ck_status(tls_client_cred(pki.ca, with ? pki.client : NULL, 0, 0, &c.cred), SEC_E_OK);
        for (int i = 0; i < 16 && !(c.done && s.done); i++) {
            struct tls_side *me = i % 2 ? &s : &c, *peer = i % 2 ? &c : &s;
            uint8_t *out = NULL;
            size_t len = 0;

            if (me->done)
                continue;
            st = tls_side_step(me, &out, &len);
            if (st == SEC_I_INCOMPLETE_CREDENTIALS) {
                told = true;
                st = tls_side_step(me, &out, &len);
            }
            tls_side_feed(peer, out, len);
            free(out);
            if (!SEC_SUCCESS(st))
                break;
        }
        if (with) {
            PCCERT_CONTEXT cert;
            char name[64];

            ck_status(st, SEC_E_OK);
            ck_assert(!told);
            ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert),
                      SEC_E_OK);
            CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
            ck_assert_str_eq(name, "client");
            CertFreeCertificateContext(cert);
        } else {
            ck_assert(told);
            ck_assert(!SEC_SUCCESS(st));
        }
        tls_side_free(&c);
        tls_side_free(&s);
        FreeCredentialsHandle(&c.cred);
        FreeCredentialsHandle(&s.cred);
    }
}
END_TEST

/* ---- The server asks for a certificate the client credential lacks:
 * SEC_I_INCOMPLETE_CREDENTIALS, then the caller goes on without one or
 * brings a new credential that has one. */

struct certreq {
    uint32_t proto;    /* the client's SP_PROT_* */
    bool new_cred;     /* answer with a credential holding pki.client */
    bool repass;       /* pass the same input again (curl, Microsoft's samples) */
    bool free_first;   /* free the first credential before the next call */
    bool no_cred;      /* later calls name no credential */
    bool other_thread; /* the call after the request from another thread */
    bool fork_child;   /* stop at the request (the caller goes on) */
    bool freed;        /* the client's credential handle is gone */
    int told;          /* SEC_I_INCOMPLETE_CREDENTIALS seen */
    CredHandle first;  /* the first credential, when kept */
};

struct step_args {
    struct tls_side *side;
    uint8_t **out;
    size_t *len;
    SECURITY_STATUS st;
};

static void *step_run(void *arg)
{
    struct step_args *a = arg;

    a->st = tls_side_step(a->side, a->out, a->len);
    return NULL;
}

/* What the client does with SEC_I_INCOMPLETE_CREDENTIALS (`saved`: the
 * input of the call that returned it). */
static void certreq_answer(struct certreq *k, struct tls_side *c, const uint8_t *saved,
                           size_t saved_len)
{
    k->told++;
    if (k->repass) {
        c->in_len = 0;
        tls_side_feed(c, saved, saved_len);
    }
    if (k->new_cred) {
        CredHandle n;

        ck_status(tls_client_cred(pki.ca, pki.client, k->proto, 0, &n), SEC_E_OK);
        if (k->free_first)
            ck_status(FreeCredentialsHandle(&c->cred), SEC_E_OK);
        else
            k->first = c->cred;
        c->cred = n;
        c->no_cred = false;
    } else if (k->free_first) {
        ck_status(FreeCredentialsHandle(&c->cred), SEC_E_OK);
        k->freed = true;
        c->no_cred = true;
    }
}

/* The client's leg after the request: here, or on another thread. */
static SECURITY_STATUS certreq_step(const struct certreq *k, struct tls_side *c, uint8_t **out,
                                    size_t *len)
{
    struct step_args a = {c, out, len, SEC_E_INTERNAL_ERROR};
    pthread_t t;

    if (!k->other_thread)
        return tls_side_step(c, out, len);
    ck_assert_int_eq(pthread_create(&t, NULL, step_run, &a), 0);
    pthread_join(t, NULL);
    return a.st;
}

/* Both sides to the end in memory; the first failure, or SEC_E_OK. */
static SECURITY_STATUS certreq_finish(struct certreq *k, struct tls_side *c, struct tls_side *s,
                                      int first_leg)
{
    SECURITY_STATUS st = SEC_E_OK;

    for (int i = first_leg; i < 24 && !(c->done && s->done); i++) {
        struct tls_side *me = i % 2 ? s : c, *peer = i % 2 ? c : s;
        uint8_t *out = NULL, *saved;
        size_t len = 0, saved_len = me->in_len;

        if (me->done)
            continue;
        saved = malloc(saved_len + 1);
        if (saved_len > 0)
            memcpy(saved, me->in, saved_len);
        st = tls_side_step(me, &out, &len);
        if (st == SEC_I_INCOMPLETE_CREDENTIALS) {
            ck_assert_uint_eq(len, 0);
            certreq_answer(k, me, saved, saved_len);
            if (k->fork_child) {
                free(saved);
                return st; /* the caller forks and goes on */
            }
            st = certreq_step(k, me, &out, &len);
        }
        free(saved);
        tls_side_feed(peer, out, len);
        free(out);
        if (!SEC_SUCCESS(st))
            return st;
    }
    return c->done && s->done ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
}

static void certreq_open(const struct certreq *k, struct tls_side *c, struct tls_side *s)
{
    memset(c, 0, sizeof(*c));
    memset(s, 0, sizeof(*s));
    s->server = true;
    s->req = ASC_REQ_MUTUAL_AUTH;
    c->target = "localhost";
    c->no_cred = k->no_cred;
    ck_status(tls_server_cred_ca(pki.server, pki.ca, 0, &s->cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, k->proto, 0, &c->cred), SEC_E_OK);
}

static void certreq_close(struct certreq *k, struct tls_side *c, struct tls_side *s)
{
    tls_side_free(c);
    tls_side_free(s);
    if (!k->freed)
        FreeCredentialsHandle(&c->cred);
    if (k->first.dwLower != 0 || k->first.dwUpper != 0)
        FreeCredentialsHandle(&k->first);
    FreeCredentialsHandle(&s->cred);
}

static void expect_name(CtxtHandle *ctx, ULONG attr, const char *want)
{
    PCCERT_CONTEXT cert = NULL;
    char name[64];

    ck_status(QueryContextAttributesA(ctx, attr, &cert), SEC_E_OK);
    CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
    ck_assert_str_eq(name, want);
    CertFreeCertificateContext(cert);
}

/* The server sees the new credential's certificate; data flows. */
static void certreq_sent(struct tls_side *c, struct tls_side *s)
{
    expect_name(&s->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, "client");
    expect_name(&c->ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, "client");
    ck_status(tls_drain(c), SEC_E_OK);
    ck_status(tls_drain(s), SEC_E_OK);
    roundtrip(&c->ctx, &s->ctx, 100);
    roundtrip(&s->ctx, &c->ctx, 100);
}

static void certreq_run(struct certreq *k)
{
    struct tls_side c, s;
    SECURITY_STATUS st;

    certreq_open(k, &c, &s);
    st = certreq_finish(k, &c, &s, 0);
    ck_assert_int_eq(k->told, 1);
    if (k->new_cred) {
        ck_status(st, SEC_E_OK);
        certreq_sent(&c, &s);
    } else {
        /* the server requires one: no certificate, no session */
        ck_assert_msg(!SEC_SUCCESS(st), "%s", libsspi_status_name(st));
        ck_assert(!s.done);
    }
    certreq_close(k, &c, &s);
}

START_TEST(test_certreq_new_credential)
{
    static const uint32_t protos[] = {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_CLIENT};

    for (int v = 0; v < 2; v++)
        for (int variant = 0; variant < 4; variant++) {
            struct certreq k = {.proto = protos[v], .new_cred = true};

            k.repass = variant & 1;     /* curl's way, or the EXTRA way */
            k.free_first = variant & 2; /* Microsoft's sample frees the old one first */
            k.other_thread = variant == 3;
            certreq_run(&k);
        }
}
END_TEST

START_TEST(test_certreq_go_on_without)
{
    static const uint32_t protos[] = {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_CLIENT};

    for (int v = 0; v < 2; v++)
        for (int variant = 0; variant < 4; variant++) {
            struct certreq k = {.proto = protos[v]};

            k.repass = variant & 1;
            k.no_cred = variant == 2;
            k.free_first = variant == 3; /* then no credential is named */
            certreq_run(&k);
        }
}
END_TEST

/* Deleted while the step waits for a certificate: nothing is left behind
 * (the leak checkers see to it), and the handle is gone. */
START_TEST(test_certreq_delete_while_parked)
{
    for (int v = 0; v < 2; v++) {
        struct certreq k = {.proto = v ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT,
                            .fork_child = true};
        struct tls_side c, s;

        certreq_open(&k, &c, &s);
        ck_status(certreq_finish(&k, &c, &s, 0), SEC_I_INCOMPLETE_CREDENTIALS);
        ck_status(FreeCredentialsHandle(&c.cred), SEC_E_OK); /* the context keeps it */
        ck_status(DeleteSecurityContext(&c.ctx), SEC_E_OK);
        ck_status(DeleteSecurityContext(&c.ctx), SEC_E_INVALID_HANDLE);
        c.have_ctx = false;
        k.freed = true;
        certreq_close(&k, &c, &s);
    }
}
END_TEST

/* A process forked while the step waits: both copies finish, each with
 * its own answer. */
START_TEST(test_certreq_fork_while_parked)
{
    struct certreq k = {.proto = SP_PROT_TLS1_3_CLIENT, .fork_child = true, .new_cred = true};
    struct tls_side c, s;
    uint8_t *out = NULL;
    size_t len = 0;
    int status = -1;
    pid_t pid;

    certreq_open(&k, &c, &s);
    ck_status(certreq_finish(&k, &c, &s, 0), SEC_I_INCOMPLETE_CREDENTIALS);
    pid = fork();
    ck_assert_int_ge(pid, 0);
#if defined(__SANITIZE_THREAD__)
    /* ThreadSanitizer forgets in a forked child what it knew of the
     * parked stack's switches and reports the child's own accesses as
     * races: there the child only leaves. */
    if (pid == 0)
        _exit(0);
#endif
    k.fork_child = false;
    ck_status(tls_side_step(&c, &out, &len), SEC_E_OK); /* TLS 1.3: the client is done */
    tls_side_feed(&s, out, len);
    free(out);
    ck_status(certreq_finish(&k, &c, &s, 1), SEC_E_OK);
    certreq_sent(&c, &s);
    if (pid == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    certreq_close(&k, &c, &s);
}
END_TEST

/* A credential named on a later call counts only on the call after
 * SEC_I_INCOMPLETE_CREDENTIALS (the first call's is the context's); one
 * of the wrong side there is refused and the step keeps waiting. */
START_TEST(test_certreq_which_credential)
{
    struct certreq k = {.proto = SP_PROT_TLS1_2_CLIENT, .fork_child = true};
    struct tls_side c, s;
    CredHandle with, first;
    uint8_t *out = NULL;
    size_t len = 0;

    certreq_open(&k, &c, &s);
    ck_status(tls_client_cred(pki.ca, pki.client, k.proto, 0, &with), SEC_E_OK);
    first = c.cred;
    {
        uint8_t *o = NULL;
        size_t n = 0;

        ck_status(tls_side_step(&c, &o, &n), SEC_I_CONTINUE_NEEDED); /* ClientHello */
        tls_side_feed(&s, o, n);
        free(o);
        o = NULL;
        n = 0;
        ck_status(tls_side_step(&s, &o, &n), SEC_I_CONTINUE_NEEDED);
        tls_side_feed(&c, o, n);
        free(o);
    }
    c.cred = with; /* named with the flight that asks: not used before it is told */
    ck_status(tls_side_step(&c, &out, &len), SEC_I_INCOMPLETE_CREDENTIALS);
    c.cred = s.cred; /* a server credential: refused, still waiting */
    ck_status(tls_side_step(&c, &out, &len), SEC_E_NO_CREDENTIALS);
    ck_assert_uint_eq(len, 0);
    c.cred = with;
    ck_status(tls_side_step(&c, &out, &len), SEC_I_CONTINUE_NEEDED);
    tls_side_feed(&s, out, len);
    free(out);
    k.fork_child = false;
    ck_status(certreq_finish(&k, &c, &s, 1), SEC_E_OK);
    certreq_sent(&c, &s);
    k.first = first;
    certreq_close(&k, &c, &s);
}
END_TEST

/* ---- SCH_CRED_FORMAT_CERT_HASH(_STORE): the certificate by thumbprint */

/* The SHA-1 thumbprint of the certificate in `pem`. */
static void thumbprint(const char *pem, BYTE sha1[20])
{
    PCCERT_CONTEXT c = NULL;
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, 0, pem);
    DWORD len = 20;

    ck_assert_ptr_nonnull(s);
    c = CertEnumCertificatesInStore(s, NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert(CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, sha1, &len));
    CertFreeCertificateContext(c);
    CertCloseStore(s, 0);
}

/* AcquireCredentialsHandle with paCred pointing at a hash structure. */
static SECURITY_STATUS acquire_by_hash(uint32_t use, uint32_t format, const void *hash,
                                       CredHandle *cred)
{
    SCHANNEL_CRED sc = {0};
    TimeStamp ts;

    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.dwCredFormat = format;
    sc.cCreds = 1;
    sc.paCred = (PCCERT_CONTEXT *)(uintptr_t)hash;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", use, NULL, &sc, NULL, NULL, cred,
                                     &ts);
}

static void hash_store(SCHANNEL_CERT_HASH_STORE *h, const char *pem, const char16_t *store)
{
    size_t n = 0;

    while (store[n] != 0)
        n++;
    memset(h, 0, sizeof(*h));
    h->dwLength = sizeof(*h);
    h->dwFlags = SCH_MACHINE_CERT_HASH;
    thumbprint(pem, h->ShaHash);
    memcpy(h->pwszStoreName, store, (n + 1) * sizeof(char16_t));
}

START_TEST(test_cert_hash_credentials)
{
    SCHANNEL_CERT_HASH h = {sizeof(h), SCH_MACHINE_CERT_HASH, 0, {0}};
    SCHANNEL_CERT_HASH_STORE hs;
    struct tls_side c = {.target = "localhost"}, s = {.server = true};
    CredHandle cred;
    SCH_CREDENTIALS v5 = {0};
    TimeStamp ts;

    setenv("LIBSSPI_CERT_DIR", pki.dir, 1);
    /* a server by SCHANNEL_CERT_HASH ("MY"): a handshake with its certificate */
    thumbprint(pki.server, h.ShaHash);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, &h, &s.cred),
              SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, NULL, 0, 0, &c.cred), SEC_E_OK);
    ck_status(tls_handshake(&c, &s), SEC_E_OK);
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
    /* SCHANNEL_CERT_HASH_STORE naming "MY" in any case, and in SCH_CREDENTIALS */
    hash_store(&hs, pki.server, u"my");
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_OK);
    FreeCredentialsHandle(&cred);
    v5.dwVersion = SCH_CREDENTIALS_VERSION;
    v5.dwCredFormat = SCH_CRED_FORMAT_CERT_HASH_STORE;
    v5.cCreds = 1;
    v5.paCred = (PCCERT_CONTEXT *)&hs;
    ck_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_INBOUND, NULL,
                                        &v5, NULL, NULL, &cred, &ts),
              SEC_E_OK);
    FreeCredentialsHandle(&cred);
    /* a client certificate by hash */
    hash_store(&hs, pki.client, u"MY");
    ck_status(acquire_by_hash(SECPKG_CRED_OUTBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_OK);
    FreeCredentialsHandle(&cred);

    /* not there: no credentials; the CA's file has no key: unknown */
    h.ShaHash[0] ^= 0xff;
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, &h, &cred),
              SEC_E_NO_CREDENTIALS);
    hash_store(&hs, pki.server, u"Root");
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_NO_CREDENTIALS);
    hash_store(&hs, pki.ca, u"MY");
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_UNKNOWN_CREDENTIALS);
    /* malformed: a wrong dwLength, an unterminated store name, no structure */
    hash_store(&hs, pki.server, u"MY");
    hs.dwLength = sizeof(SCHANNEL_CERT_HASH);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_UNKNOWN_CREDENTIALS);
    hs.dwLength = sizeof(hs);
    for (int i = 0; i < SCH_CRED_MAX_STORE_NAME_SIZE; i++)
        hs.pwszStoreName[i] = u'M';
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH_STORE, &hs, &cred),
              SEC_E_UNKNOWN_CREDENTIALS);
    h.dwLength = sizeof(h) + 1;
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, &h, &cred),
              SEC_E_UNKNOWN_CREDENTIALS);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, NULL, &cred),
              SEC_E_UNKNOWN_CREDENTIALS);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, 3, &h, &cred), SEC_E_UNKNOWN_CREDENTIALS);
    unsetenv("LIBSSPI_CERT_DIR");
    /* with no certificate directory nothing is found */
    setenv("LIBSSPI_CERT_DIR", "/nonexistent", 1);
    thumbprint(pki.server, h.ShaHash);
    h.dwLength = sizeof(h);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, &h, &cred),
              SEC_E_NO_CREDENTIALS);
    unsetenv("LIBSSPI_CERT_DIR");
}
END_TEST

/* option.cert_dir is the "MY" of hash credentials (fresh process). */
START_TEST(test_cert_dir_option)
{
    SCHANNEL_CERT_HASH h = {sizeof(h), 0, 0, {0}};
    CredHandle cred;

    thumbprint(pki.server, h.ShaHash);
    ck_status(acquire_by_hash(SECPKG_CRED_INBOUND, SCH_CRED_FORMAT_CERT_HASH, &h, &cred), SEC_E_OK);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* ---- the verdict on the peer's chain (SECPKG_ATTR_CC_POLICY_RESULT) */

/* Handshake: the server requires a client certificate and trusts ca_file;
 * the client sends `client_pem`.  The server's verdict and expiry. */
static SECURITY_STATUS mutual(const char *client_pem, int32_t *verdict, TimeStamp *expiry)
{
    struct tls_side c = {.target = "localhost"}, s = {.server = true, .req = ASC_REQ_MUTUAL_AUTH};
    SecPkgContext_ClientCertPolicyResult r;
    SECURITY_STATUS st;

    ck_status(tls_server_cred_ca(pki.server, pki.ca, 0, &s.cred), SEC_E_OK);
    ck_status(tls_client_cred(pki.ca, client_pem, 0, 0, &c.cred), SEC_E_OK);
    st = tls_handshake(&c, &s);
    if (st == SEC_E_OK) {
        ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_CC_POLICY_RESULT, &r), SEC_E_OK);
        *verdict = r.dwPolicyResult;
        *expiry = s.expiry;
        /* the client's verdict on the server: trusted */
        ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_CC_POLICY_RESULT, &r), SEC_E_OK);
        ck_assert_int_eq(r.dwPolicyResult, S_OK);
    }
    tls_side_free(&c);
    tls_side_free(&s);
    FreeCredentialsHandle(&c.cred);
    FreeCredentialsHandle(&s.cred);
    return st;
}

/* The certificate's NotAfter as a FILETIME value. */
static int64_t not_after(const char *pem)
{
    PCCERT_CONTEXT c = NULL;
    int64_t t;

    ck_status(libsspi_cert_from_files(pem, NULL, &c), SEC_E_OK);
    t = (int64_t)((uint64_t)c->pCertInfo->NotAfter.dwHighDateTime << 32 |
                  c->pCertInfo->NotAfter.dwLowDateTime);
    CertFreeCertificateContext(c);
    return t;
}

/* Schannel's server does not refuse a client chain it cannot trust (the
 * application validates it); the verdict is the context's attribute. */
START_TEST(test_client_chain_verdict)
{
    int32_t v = 1;
    TimeStamp ts;

    ck_status(mutual(pki.client, &v, &ts), SEC_E_OK);
    ck_assert_int_eq(v, S_OK);
    ck_assert(ts.QuadPart == not_after(pki.client));
    ck_status(mutual(pki.rogue, &v, &ts), SEC_E_OK);
    ck_assert_int_eq(v, CERT_E_CHAINING); /* signed by a CA the client does not send */
    ck_status(mutual(pki.self, &v, &ts), SEC_E_OK);
    ck_assert_int_eq(v, CERT_E_UNTRUSTEDROOT); /* a self-signed certificate */
    ck_status(mutual(pki.expired, &v, &ts), SEC_E_OK);
    ck_assert_int_eq(v, CERT_E_EXPIRED);
}
END_TEST

/* A client with manual validation reads the verdict on the server. */
START_TEST(test_server_chain_verdict)
{
    static const struct {
        const char *pem, *target;
        int32_t want;
    } cases[] = {
        {NULL, "localhost", S_OK}, {NULL, "other.example", CERT_E_CN_NO_MATCH}, {NULL, NULL, S_OK}};
    SecPkgContext_ClientCertPolicyResult r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tls_side c = {.target = cases[i].target}, s = {.server = true};

        ck_status(tls_server_cred(pki.server, 0, &s.cred), SEC_E_OK);
        ck_status(tls_client_cred(pki.ca, NULL, 0, SCH_CRED_MANUAL_CRED_VALIDATION, &c.cred),
                  SEC_E_OK);
        ck_status(tls_handshake(&c, &s), SEC_E_OK);
        ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_CC_POLICY_RESULT, &r), SEC_E_OK);
        ck_assert_int_eq(r.dwPolicyResult, cases[i].want);
        /* no client certificate: nothing to judge */
        ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_CC_POLICY_RESULT, &r),
                  SEC_E_NO_CREDENTIALS);
        ck_assert_int_eq(s.expiry.QuadPart, INT64_MAX);
        tls_side_free(&c);
        tls_side_free(&s);
        FreeCredentialsHandle(&c.cred);
        FreeCredentialsHandle(&s.cred);
    }
}
END_TEST

/* One thread encrypts while another decrypts on the same context (the
 * client sends to the server and receives the server's records at once). */
struct flow {
    CtxtHandle *from, *to;
    int records;
    int failures;
};

static void *flow_run(void *arg)
{
    struct flow *f = arg;
    uint8_t msg[1500], rec[1600], *plain;
    size_t len, plain_len, used;

    memset(msg, 'm', sizeof(msg));
    for (int i = 0; i < f->records; i++) {
        size_t n = 1 + (size_t)(i * 37) % sizeof(msg);

        if (tls_encrypt(f->from, msg, (uint32_t)n, rec, &len) != SEC_E_OK ||
            tls_decrypt(f->to, rec, len, &plain, &plain_len, &used) != SEC_E_OK || plain_len != n)
            f->failures++;
    }
    return NULL;
}

START_TEST(test_encrypt_and_decrypt_at_once)
{
    for (int v = 0; v < 2; v++) {
        struct pair p;
        pthread_t t[2];
        struct flow up = {0}, down = {0};

        pair_open(&p, v ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT);
        /* thread 0: client EncryptMessage, server DecryptMessage;
         * thread 1: server EncryptMessage, client DecryptMessage */
        up = (struct flow){&p.c.ctx, &p.s.ctx, 2000, 0};
        down = (struct flow){&p.s.ctx, &p.c.ctx, 2000, 0};
        ck_assert_int_eq(pthread_create(&t[0], NULL, flow_run, &up), 0);
        ck_assert_int_eq(pthread_create(&t[1], NULL, flow_run, &down), 0);
        pthread_join(t[0], NULL);
        pthread_join(t[1], NULL);
        ck_assert_int_eq(up.failures, 0);
        ck_assert_int_eq(down.failures, 0);
        pair_close(&p);
    }
}
END_TEST

/* Handles: deleting twice, forged handles, contexts after their credential. */
START_TEST(test_handles)
{
    struct pair p;
    CtxtHandle forged = {1, 2};
    SecPkgContext_StreamSizes sz;

    ck_status(QueryContextAttributesA(&forged, SECPKG_ATTR_STREAM_SIZES, &sz),
              SEC_E_INVALID_HANDLE);
    pair_open(&p, 0);
    FreeCredentialsHandle(&p.c.cred);
    FreeCredentialsHandle(&p.s.cred);
    roundtrip(&p.c.ctx, &p.s.ctx, 100); /* the contexts keep their credential alive */
    tls_side_free(&p.c);
    tls_side_free(&p.s);
    ck_status(DeleteSecurityContext(&p.c.ctx), SEC_E_INVALID_HANDLE);
}
END_TEST

static Suite *schannel_suite(void)
{
    Suite *s = suite_create("schannel");
    TCase *tc = tcase_create("loopback");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_tls13_roundtrip);
    tcase_add_test(tc, test_tls12_roundtrip);
    tcase_add_test(tc, test_credential_statuses);
    tcase_add_test(tc, test_supported_protocols);
    tcase_add_test(tc, test_incomplete_and_missing);
    tcase_add_test(tc, test_garbage_handshake_input);
    tcase_add_test(tc, test_handshake_byte_by_byte);
    tcase_add_test(tc, test_several_records_per_buffer);
    tcase_add_test(tc, test_decrypt_bad_input);
    tcase_add_test(tc, test_encrypt_bad_input);
    tcase_add_test(tc, test_message_before_handshake_done);
    tcase_add_test(tc, test_shutdown_and_alerts);
    tcase_add_test(tc, test_attributes);
    tcase_add_test(tc, test_certificate_failures);
    tcase_add_test(tc, test_resumption);
    tcase_add_test(tc, test_alpn);
    tcase_add_test(tc, test_client_certificates);
    tcase_add_test(tc, test_certreq_new_credential);
    tcase_add_test(tc, test_certreq_go_on_without);
    tcase_add_test(tc, test_certreq_delete_while_parked);
    tcase_add_test(tc, test_certreq_fork_while_parked);
    tcase_add_test(tc, test_certreq_which_credential);
    tcase_add_test(tc, test_handles);
    tcase_add_test(tc, test_encrypt_and_decrypt_at_once);
    tcase_add_test(tc, test_cert_hash_credentials);
    tcase_add_test(tc, test_client_chain_verdict);
    tcase_add_test(tc, test_server_chain_verdict);
    suite_add_tcase(s, tc);

    tc = tcase_create("cert-dir-option");
    if (getenv("CK_FORK") == NULL || strcmp(getenv("CK_FORK"), "no") != 0) {
        tcase_add_checked_fixture(tc, setup_cert_dir, NULL);
        tcase_add_test(tc, test_cert_dir_option);
    }
    suite_add_tcase(s, tc);

    tc = tcase_create("gnutls-record-layer");
    if (getenv("CK_FORK") == NULL || strcmp(getenv("CK_FORK"), "no") != 0) {
        tcase_add_checked_fixture(tc, setup_gnutls_records, NULL);
        tcase_add_test(tc, test_tls13_roundtrip);
        tcase_add_test(tc, test_tls12_roundtrip);
    }
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (!tls_pki_make(&pki) || !write_records_conf()) {
        fprintf(stderr, "cannot make the test certificates\n");
        return 99;
    }
    sr = srunner_create(schannel_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(records_conf);
    unlink(certdir_conf);
    tls_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
