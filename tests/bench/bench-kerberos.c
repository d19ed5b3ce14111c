/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-kerberos.c - the Kerberos package's per-message cost beside MIT's
 * own calls on the same security context and beside the bare crypto, and
 * the handshake beside MIT's gss_init_sec_context + gss_accept_sec_context.
 *
 * A throwaway realm is started (src/tools/sspi-test-realm); an SSPI client
 * context (the package's built-in AES path) is established with an MIT
 * acceptor context, aes256-cts-hmac-sha1-96, no replay window (so one token
 * can be checked over and over).  Per size (16 B, 64 B, 1 KiB, 16 KiB):
 *   MakeSignature        vs gss_get_mic           vs nettle floor (HMAC-SHA1)
 *   VerifySignature      vs gss_verify_mic        vs nettle floor
 *   EncryptMessage       vs gss_wrap_iov (HEADER+DATA) vs nettle floor
 *                                                    (AES-CTS + HMAC-SHA1)
 *   DecryptMessage       vs gss_unwrap_iov        vs nettle floor
 * Decrypt rows include restoring the input (a memcpy) in all three columns.
 * Each figure is the best of ROUNDS rounds, in ns per call, with the heap
 * allocations per call (malloc is interposed).
 *
 * Usage: tests/bench/bench-kerberos [-n ITERATIONS] [-s SIZE]  (from the build tree;
 * exits 77 without the MIT tools).  A program, not a test.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sspi.h"
#include "ntsecapi.h"
#include "crypto/crypto.h"
#include "bench/alloc-count.h"
#include "interop/krb-test.h"

#define ROUNDS 9

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct result {
    double ns;
    double allocs;
};

typedef void (*op_fn)(void *arg);

static struct result measure(op_fn op, void *arg, long n)
{
    struct result best = {1e300, 0};

    for (int r = 0; r < ROUNDS; r++) {
        unsigned long a0 = atomic_load(&alloc_count);
        double t0 = now_ns();
        for (long i = 0; i < n; i++)
            op(arg);
        double ns = (now_ns() - t0) / (double)n;
        if (ns < best.ns) {
            best.ns = ns;
            best.allocs = (double)(atomic_load(&alloc_count) - a0) / (double)n;
        }
    }
    return best;
}

/* ---- the three columns --------------------------------------------------- */

static struct kt_side client, server;
static uint8_t msg[16384 + 64], msg_copy[16384 + 64], tok[128], tok_copy[128];
static uint8_t msg_copy2[16384 + 64], tok_copy2[128];
static size_t len, tok_len, tok_len2;
static gss_buffer_desc mic_tok;

/* The floor: pre-keyed crypto.h, what an RFC 4121 token needs at least. */
static crypto_hmac_key floor_mac;
static crypto_aes_key floor_aes;

static void op_sspi_sign(void *a)
{
    SecBuffer b[2] = {{(uint32_t)len, SECBUFFER_DATA, msg}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (MakeSignature(&client.ctx, 0, &d, 0) != SEC_E_OK)
        abort();
    (void)a;
}

static void op_gss_sign(void *a)
{
    OM_uint32 minor;
    gss_buffer_desc m = {len, msg}, out;
    if (gss_get_mic(&minor, server.gctx, 0, &m, &out) != GSS_S_COMPLETE)
        abort();
    gss_release_buffer(&minor, &out);
    (void)a;
}

static void op_floor_sign(void *a)
{
    crypto_hmac_ctx h;
    uint8_t hdr[16] = {4, 4, 0, 0xff, 0xff, 0xff, 0xff, 0xff};
    crypto_hmac_begin(&h, &floor_mac);
    crypto_hmac_update(&h, msg, len);
    crypto_hmac_update(&h, hdr, 16);
    crypto_hmac_final(&h, tok + 16, 12);
    (void)a;
}

static void op_sspi_verify(void *a)
{
    SecBuffer b[2] = {{(uint32_t)len, SECBUFFER_DATA, msg},
                      {(uint32_t)mic_tok.length, SECBUFFER_TOKEN, mic_tok.value}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (VerifySignature(&client.ctx, &d, 0, NULL) != SEC_E_OK)
        abort();
    (void)a;
}

static void op_gss_verify(void *a)
{
    OM_uint32 minor;
    gss_buffer_desc m = {len, msg}, t = {tok_len, tok};
    if (gss_verify_mic(&minor, server.gctx, &m, &t, NULL) != GSS_S_COMPLETE)
        abort();
    (void)a;
}

static void op_floor_verify(void *a)
{
    uint8_t mac[12];
    crypto_hmac_ctx h;
    crypto_hmac_begin(&h, &floor_mac);
    crypto_hmac_update(&h, msg, len);
    crypto_hmac_update(&h, tok, 16);
    crypto_hmac_final(&h, mac, 12);
    if (!crypto_memeq(mac, tok + 16, 12))
        abort();
    (void)a;
}

static void op_sspi_seal(void *a)
{
    SecBuffer b[2] = {{sizeof(tok), SECBUFFER_TOKEN, tok}, {(uint32_t)len, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (EncryptMessage(&client.ctx, 0, &d, 0) != SEC_E_OK)
        abort();
    (void)a;
}

static void op_gss_seal(void *a)
{
    OM_uint32 minor;
    gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, tok}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {len, msg}}};
    if (gss_wrap_iov(&minor, server.gctx, 1, 0, NULL, iov, 2) != GSS_S_COMPLETE)
        abort();
    (void)a;
}

/* Confounder + data + header copy through AES-CTS, HMAC-SHA1 over the
 * plaintext: one contiguous buffer, the least work a 60-byte-token wrap
 * can do. */
static uint8_t floor_buf[16384 + 64];
static void op_floor_seal(void *a)
{
    static const uint8_t iv[16];
    crypto_hmac_ctx h;
    uint8_t mac[12];
    memcpy(floor_buf + 16, msg, len);
    memset(floor_buf + 16 + len, 0, 16);
    crypto_hmac_begin(&h, &floor_mac);
    crypto_hmac_update(&h, floor_buf, len + 32);
    crypto_hmac_final(&h, mac, 12);
    crypto_aes_cts_encrypt(&floor_aes, iv, len + 32, floor_buf, floor_buf);
    (void)a;
}

static void op_sspi_unseal(void *a)
{
    memcpy(tok, tok_copy, tok_len);
    memcpy(msg, msg_copy, len);
    SecBuffer b[2] = {{(uint32_t)tok_len, SECBUFFER_TOKEN, tok},
                      {(uint32_t)len, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if (DecryptMessage(&client.ctx, &d, 0, NULL) != SEC_E_OK)
        abort();
    (void)a;
}

static void op_gss_unseal(void *a)
{
    OM_uint32 minor;
    memcpy(tok, tok_copy2, tok_len2);
    memcpy(msg, msg_copy2, len);
    gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {tok_len2, tok}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {len, msg}}};
    if (gss_unwrap_iov(&minor, server.gctx, NULL, NULL, iov, 2) != GSS_S_COMPLETE)
        abort();
    (void)a;
}

static void op_floor_unseal(void *a)
{
    static const uint8_t iv[16];
    crypto_hmac_ctx h;
    uint8_t mac[12];
    memcpy(floor_buf + 16, msg_copy, len);
    crypto_aes_cts_decrypt(&floor_aes, iv, len + 32, floor_buf, floor_buf);
    crypto_hmac_begin(&h, &floor_mac);
    crypto_hmac_update(&h, floor_buf, len + 32);
    crypto_hmac_final(&h, mac, 12);
    (void)a;
}

/* ---- handshake ----------------------------------------------------------- */

static void op_sspi_handshake(void *a)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY};
    OM_uint32 gm;
    c.cred = ((CredHandle *)a)[0];
    s.cred = ((CredHandle *)a)[1];
    if (kt_handshake(&c, &s, &o, &gm) != SEC_E_OK)
        abort();
    DeleteSecurityContext(&c.ctx);
    DeleteSecurityContext(&s.ctx);
}

/* MIT with credentials acquired once, as the SSPI side has them. */
static gss_cred_id_t gss_icred = GSS_C_NO_CREDENTIAL, gss_acred = GSS_C_NO_CREDENTIAL;

static void op_gss_handshake(void *a)
{
    struct kt_side c = {.gss = true, .gcred = gss_icred}, s = {.gss = true, .gcred = gss_acred};
    struct kt_opts o = {.gss_flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG};
    OM_uint32 gm, minor;
    if (kt_handshake(&c, &s, &o, &gm) != SEC_E_OK)
        abort();
    gss_delete_sec_context(&minor, &c.gctx, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &s.gctx, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &s.gsrc);
    (void)a;
}

static void row(const char *what, size_t n, struct result s, struct result g, struct result f)
{
    printf("%-16s %6zu  %9.0f %5.1f  %9.0f %5.1f  %9.0f %5.1f   %5.2fx  %5.2fx\n", what, n, s.ns,
           s.allocs, g.ns, g.allocs, f.ns, f.allocs, s.ns / f.ns, g.ns / s.ns);
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {16, 64, 1024, 16384};
    long iters = 20000;
    size_t only = 0;
    struct kt_opts o = {.req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY};
    OM_uint32 gm, minor;
    SecPkgContext_SessionKey sk;
    uint8_t d[32];
    size_t dl;
    int rc, opt;

    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        if (opt == 'n')
            iters = atol(optarg);
        else if (opt == 's')
            only = (size_t)atol(optarg);
    }
    if (iters <= 0)
        iters = 20000;
    setenv("KRB5RCACHETYPE", "none", 1);
    rc = kt_realm_start();
    if (rc != 0)
        return rc;
    server.gss = true;
    if (kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &client.cred) != SEC_E_OK ||
        kt_handshake(&client, &server, &o, &gm) != SEC_E_OK ||
        QueryContextAttributesA(&client.ctx, SECPKG_ATTR_SESSION_KEY, &sk) != SEC_E_OK) {
        fprintf(stderr, "bench-kerberos: handshake failed\n");
        kt_realm_stop();
        return 1;
    }
    /* The floor keys: the initiator's sign and seal keys of this session. */
    crypto_krb5_derive(18, sk.SessionKey, sk.SessionKeyLength, 25, CRYPTO_KRB5_KC, d, &dl);
    crypto_hmac_set_key(&floor_mac, CRYPTO_HMAC_SHA1, d, dl);
    crypto_krb5_derive(18, sk.SessionKey, sk.SessionKeyLength, 24, CRYPTO_KRB5_KE, d, &dl);
    crypto_aes_set_key(&floor_aes, d, dl);
    FreeContextBuffer(sk.SessionKey);

    printf("Kerberos per-message cost, aes256-cts-hmac-sha1-96, ns/call and heap allocations/call\n"
           "(best of %d rounds of %ld calls)\n\n",
           ROUNDS, iters);
    printf("%-16s %6s  %9s %5s  %9s %5s  %9s %5s   %6s  %6s\n", "operation", "bytes", "libsspi",
           "alloc", "MIT", "alloc", "floor", "alloc", "/floor", "MIT/us");
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        long n = sizes[k] >= 16384 ? iters / 20 : iters;
        if (only != 0 && sizes[k] != only)
            continue;
        len = sizes[k];
        memset(msg, 0x5a, len);
        row("MakeSignature", len, measure(op_sspi_sign, NULL, n), measure(op_gss_sign, NULL, n),
            measure(op_floor_sign, NULL, n));

        gss_buffer_desc m = {len, msg};
        gss_get_mic(&minor, server.gctx, 0, &m, &mic_tok);
        SecBuffer b[2] = {{(uint32_t)len, SECBUFFER_DATA, msg},
                          {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc dd = {SECBUFFER_VERSION, 2, b};
        MakeSignature(&client.ctx, 0, &dd, 0);
        tok_len = b[1].cbBuffer;
        row("VerifySignature", len, measure(op_sspi_verify, NULL, n),
            measure(op_gss_verify, NULL, n), measure(op_floor_verify, NULL, n));
        gss_release_buffer(&minor, &mic_tok);

        row("EncryptMessage", len, measure(op_sspi_seal, NULL, n), measure(op_gss_seal, NULL, n),
            measure(op_floor_seal, NULL, n));

        /* One token made by each side, decrypted again and again by the
         * other. */
        memset(msg, 0x5a, len);
        SecBuffer eb[2] = {{sizeof(tok_copy2), SECBUFFER_TOKEN, tok_copy2},
                           {(uint32_t)len, SECBUFFER_DATA, msg}};
        SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
        EncryptMessage(&client.ctx, 0, &ed, 0);
        tok_len2 = eb[0].cbBuffer;
        memcpy(msg_copy2, msg, len);
        memset(msg, 0x5a, len);
        gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, tok_copy}},
                                      {GSS_IOV_BUFFER_TYPE_DATA, {len, msg}}};
        gss_wrap_iov(&minor, server.gctx, 1, 0, NULL, iov, 2);
        tok_len = iov[0].buffer.length;
        memcpy(msg_copy, msg, len);
        row("DecryptMessage", len, measure(op_sspi_unseal, NULL, n),
            measure(op_gss_unseal, NULL, n), measure(op_floor_unseal, NULL, n));
    }

    CredHandle creds[2];
    kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &creds[0]);
    kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &creds[1]);
    op_sspi_handshake(creds); /* the service ticket is now in the ccache */
    gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_INITIATE,
                     &gss_icred, NULL, NULL);
    gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT,
                     &gss_acred, NULL, NULL);
    struct result hs = measure(op_sspi_handshake, creds, 200);
    struct result hg = measure(op_gss_handshake, NULL, 200);
    printf("\nhandshake (ticket cached, mutual): libsspi %.0f ns (%.0f allocs), MIT init+accept "
           "%.0f ns (%.0f allocs): %.2fx\n",
           hs.ns, hs.allocs, hg.ns, hg.allocs, hs.ns / hg.ns);
    FreeCredentialsHandle(&creds[0]);
    FreeCredentialsHandle(&creds[1]);
    gss_release_cred(&minor, &gss_icred);
    gss_release_cred(&minor, &gss_acred);
    kt_side_free(&client);
    kt_side_free(&server);
    kt_realm_stop();
    return 0;
}
