/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-ntlm.c - cost of NTLM MakeSignature/VerifySignature through the
 * public API, next to the bare crypto an NTLMv2 signature needs (a
 * pre-keyed HMAC-MD5 over seqnum + message and RC4 of the 8-byte
 * checksum), at 16 B, 64 B, 1 KiB and 16 KiB.  Also counts heap
 * allocations made during the timed calls (malloc is interposed).
 *
 * Usage: tests/bench/bench-ntlm [-n ITERATIONS]   (run from the build tree,
 * or with LIBSSPI_TEST_PKGDIR pointing at src/packages).  A program, not a
 * test: the numbers depend on the machine.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sspi.h"
#include "libsspi.h"
#include "crypto/crypto.h"
#include "bench/alloc-count.h"

#define ROUNDS 15

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, SECURITY_STATUS st)
{
    fprintf(stderr, "bench-ntlm: %s: %s\n", what, libsspi_status_name(st));
    exit(1);
}

static char tmpdir[] = "/tmp/bench-ntlm-XXXXXX";
static char users[300], conf[300];

static void cleanup(void)
{
    unlink(users);
    unlink(conf);
    rmdir(tmpdir);
}

static void setup_env(char *module, size_t n)
{
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");
    FILE *f;

    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(cleanup);
    snprintf(users, sizeof users, "%s/users", tmpdir);
    snprintf(conf, sizeof conf, "%s/sspi.conf", tmpdir);
    f = fopen(users, "w");
    fputs("BENCH:user:password\n", f);
    fclose(f);
    f = fopen(conf, "w");
    fputs("autoload = no\ndropin_dir = none\ncheck_permissions = no\n", f);
    fclose(f);
    setenv("NTLM_USER_FILE", users, 1);
    if (!getenv("LIBSSPI_CONFIG"))
        setenv("LIBSSPI_CONFIG", conf, 1);
    if (pkgdir) {
        snprintf(module, n, "%s/ntlm/.libs/ntlm.so", pkgdir);
    } else {
        char cwd[2048];
        if (!getcwd(cwd, sizeof cwd))
            exit(1);
        snprintf(module, n, "%s/src/packages/ntlm/.libs/ntlm.so", cwd);
    }
}

static void handshake(CtxtHandle *c, CtxtHandle *s)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"user",     4, (unsigned char *)"BENCH",    5,
                                    (unsigned char *)"password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    uint8_t t1[4096], t2[4096];
    SecBuffer ob = {sizeof t1, SECBUFFER_TOKEN, t1}, ib;
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, idd = {SECBUFFER_VERSION, 1, &ib};
    uint32_t a;
    uint32_t req = ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT |
                   ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    SECURITY_STATUS st;

    if ((st = AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                        &cc, NULL)) != SEC_E_OK)
        die("AcquireCredentialsHandle (client)", st);
    if ((st = AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                        &sc, NULL)) != SEC_E_OK)
        die("AcquireCredentialsHandle (server)", st);
    st = InitializeSecurityContextA(&cc, NULL, NULL, req, 0, SECURITY_NATIVE_DREP, NULL, 0, c, &od,
                                    &a, NULL);
    if (st != SEC_I_CONTINUE_NEEDED)
        die("InitializeSecurityContext 1", st);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof t2, SECBUFFER_TOKEN, t2};
    st = AcceptSecurityContext(&sc, NULL, &idd, req, SECURITY_NATIVE_DREP, s, &od, &a, NULL);
    if (st != SEC_I_CONTINUE_NEEDED)
        die("AcceptSecurityContext 1", st);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){sizeof t1, SECBUFFER_TOKEN, t1};
    st = InitializeSecurityContextA(&cc, c, NULL, req, 0, SECURITY_NATIVE_DREP, &idd, 0, c, &od, &a,
                                    NULL);
    if (st != SEC_E_OK)
        die("InitializeSecurityContext 2", st);
    ib = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof t2, SECBUFFER_TOKEN, t2};
    st = AcceptSecurityContext(&sc, s, &idd, req, SECURITY_NATIVE_DREP, s, &od, &a, NULL);
    if (st != SEC_E_OK)
        die("AcceptSecurityContext 2", st);
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {16, 64, 1024, 16384};
    char module[4096];
    CtxtHandle c, s;
    long iters = 0;
    SECURITY_STATUS st;
    crypto_hmac_md5_key hk;
    crypto_rc4 rc4;
    uint8_t key[16];
    static uint8_t msg[16384];
    uint8_t(*sigs)[16];

    if (argc == 3 && strcmp(argv[1], "-n") == 0)
        iters = atol(argv[2]);
    setup_env(module, sizeof module);
    if ((st = AddSecurityPackageA(module, NULL)) != SEC_E_OK)
        die(module, st);
    handshake(&c, &s);

    memset(key, 0x5a, 16);
    crypto_hmac_md5_set_key(&hk, key, 16);
    crypto_rc4_set_key(&rc4, key, 16);
    memset(msg, 0xab, sizeof msg);

    printf("NTLM per-message cost (ns per call; bare = pre-keyed HMAC-MD5(seq||msg) + RC4(8))\n");
    printf("%8s %10s %10s %10s %9s %9s %12s\n", "size", "Make", "Verify", "bare", "Make/bare",
           "Ver/bare", "allocs/call");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t len = sizes[k];
        long n = iters ? iters : (long)(len <= 64 ? 40000 : len <= 1024 ? 12000 : 1000);
        double t0, t, make_ns = 1e30, ver_ns = 1e30, bare_ns = 1e30;
        unsigned long a0, allocs = 0;
        uint8_t sig[16];

        sigs = __libc_malloc((size_t)n * 16);
        if (!sigs)
            return 1;
        /* Interleaved rounds, best of each: robust against a busy machine. */
        for (int r = 0; r < ROUNDS; r++) {
            t0 = now_ns();
            for (long i = 0; i < n; i++) {
                crypto_hmac_md5_ctx hc;
                uint8_t seq[4] = {(uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16), 0};
                uint8_t mac[16];
                crypto_hmac_md5_begin(&hc, &hk);
                crypto_hmac_md5_update(&hc, seq, 4);
                crypto_hmac_md5_update(&hc, msg, len);
                crypto_hmac_md5_final(&hc, mac);
                crypto_rc4_crypt(&rc4, 8, sig + 4, mac);
            }
            t = (now_ns() - t0) / (double)n;
            bare_ns = t < bare_ns ? t : bare_ns;

            a0 = atomic_load(&alloc_count);
            t0 = now_ns();
            for (long i = 0; i < n; i++) {
                SecBuffer b[2] = {{(uint32_t)len, SECBUFFER_DATA, msg},
                                  {16, SECBUFFER_TOKEN, sigs[i]}};
                SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
                if ((st = MakeSignature(&c, 0, &d, 0)) != SEC_E_OK)
                    die("MakeSignature", st);
            }
            t = (now_ns() - t0) / (double)n;
            make_ns = t < make_ns ? t : make_ns;
            t0 = now_ns();
            for (long i = 0; i < n; i++) {
                SecBuffer b[2] = {{(uint32_t)len, SECBUFFER_DATA, msg},
                                  {16, SECBUFFER_TOKEN, sigs[i]}};
                SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
                uint32_t qop;
                if ((st = VerifySignature(&s, &d, 0, &qop)) != SEC_E_OK)
                    die("VerifySignature", st);
            }
            t = (now_ns() - t0) / (double)n;
            ver_ns = t < ver_ns ? t : ver_ns;
            allocs += atomic_load(&alloc_count) - a0;
        }
        printf("%8zu %10.0f %10.0f %10.0f %9.3f %9.3f %12.3f\n", len, make_ns, ver_ns, bare_ns,
               make_ns / bare_ns, ver_ns / bare_ns, (double)allocs / (2.0 * (double)n * ROUNDS));
        __libc_free(sigs);
    }
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    return 0;
}
