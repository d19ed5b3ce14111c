/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-schannel-pkcs11.c - Schannel with private keys that stay in a
 * PKCS#11 token: a SoftHSM token made in the test's own directory
 * (SOFTHSM2_CONF names a private configuration), the server's and the
 * client's keys imported into it with p11tool, and the certificates in
 * files without their keys, so every signature comes from the token.
 *
 * Proven: libsspi_cert_from_files with a "pkcs11:" URI, server and client
 * credentials from it, TLS 1.3 and 1.2 handshakes and messages both ways
 * against a libsspi peer, gnutls-cli, openssl s_client, gnutls-serv and
 * openssl s_server (both requiring the client certificate); the default
 * server credentials of option.cert_file / option.key_file; one credential
 * shared by threads and used after fork(); the statuses and last errors
 * for keys that cannot be used, with the PIN never shown or logged.
 *
 * softhsm2 (softhsm2-util), gnutls-bin (p11tool, gnutls-cli, gnutls-serv)
 * and openssl are required: without them the suite fails, it never skips.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/schannel/tls-peers.h"
#include "tests/schannel/tls-test.h"

#define TOKEN     "libsspi-test"
#define PIN       "tok3n-PIN"
#define SO_PIN    "s0-tok3n-PIN"
#define WRONG_PIN "wrong-PIN"

static struct tls_pki pki;
static char server_crt[512], client_crt[512]; /* certificates without their keys */
static char chain_crt[512];                   /* server_crt, then the CA's */
static char conf[512];                        /* the package, option.cert_file / key_file */
static char sspi[512];                        /* the sspi command */

/* The URI of key `object` in the test token, with `query` ("" for none). */
static const char *key_uri(const char *object, const char *query)
{
    static char buf[4][1024];
    static int next;
    char *out = buf[next++ % 4];

    snprintf(out, sizeof(buf[0]), "pkcs11:token=" TOKEN ";object=%s;type=private%s", object, query);
    return out;
}

#define WITH_PIN "?pin-value=" PIN

static void setup(void)
{
    ck_status(tls_load_package(), SEC_E_OK);
}

/* The certificate of `crt` with the key of token object `object`. */
static PCCERT_CONTEXT token_cert(const char *crt, const char *object)
{
    PCCERT_CONTEXT c = NULL;

    ck_status(libsspi_cert_from_files(crt, key_uri(object, WITH_PIN), &c), SEC_E_OK);
    ck_assert_ptr_nonnull(c);
    return c;
}

/* A libsspi client and server on `protocols` (client bits), the server's
 * key in the token unless `server_cred` is given; handshake, then one
 * message each way of 1 and 16384 bytes. */
static void pair_exchange(CredHandle *server_cred, CredHandle *client_cred, uint32_t protocols,
                          uint32_t server_req)
{
    struct tls_side c = {.cred = *client_cred, .target = "localhost"},
                    s = {.cred = *server_cred, .server = true, .req = server_req};
    SecPkgContext_ConnectionInfo ci;

    ck_status(tls_handshake(&c, &s), SEC_E_OK);
    ck_status(tls_drain(&c), SEC_E_OK);
    ck_status(tls_drain(&s), SEC_E_OK);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), SEC_E_OK);
    ck_assert_uint_eq(ci.dwProtocol, protocols);
    for (size_t i = 0; i < 2; i++) {
        size_t len = i ? 16384 : 1;

        ck_status(tls_roundtrip(&c.ctx, &s.ctx, len), SEC_E_OK);
        ck_status(tls_roundtrip(&s.ctx, &c.ctx, len), SEC_E_OK);
    }
    tls_side_free(&c);
    tls_side_free(&s);
}

/* The display name of a context's certificate. */
static void ck_cert_name(CtxtHandle *ctx, ULONG attr, const char *want)
{
    PCCERT_CONTEXT cert = NULL;
    char name[64];

    ck_status(QueryContextAttributesA(ctx, attr, &cert), SEC_E_OK);
    CertGetNameStringA(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
    ck_assert_str_eq(name, want);
    CertFreeCertificateContext(cert);
}

/* ---- in one process: the helper, credentials, a libsspi peer ------------ */

START_TEST(test_server_key_in_token)
{
    static const uint32_t protos[] = {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_CLIENT};
    PCCERT_CONTEXT cert = token_cert(server_crt, "server");
    CredHandle sc, cc;

    ck_status(tls_cred_with(cert, NULL, true, 0, 0, &sc), SEC_E_OK);
    CertFreeCertificateContext(cert); /* the credential keeps what it needs */
    for (size_t i = 0; i < 2; i++) {
        ck_status(tls_client_cred(pki.ca, NULL, protos[i], 0, &cc), SEC_E_OK);
        pair_exchange(&sc, &cc, protos[i], 0);
        FreeCredentialsHandle(&cc);
    }
    {
        struct tls_side c = {.target = "localhost"}, s = {.cred = sc, .server = true};

        ck_status(tls_client_cred(pki.ca, NULL, 0, 0, &c.cred), SEC_E_OK);
        ck_status(tls_handshake(&c, &s), SEC_E_OK);
        ck_cert_name(&s.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, "localhost");
        ck_cert_name(&c.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, "localhost");
        tls_side_free(&c);
        tls_side_free(&s);
        FreeCredentialsHandle(&c.cred);
    }
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_client_key_in_token)
{
    static const uint32_t protos[] = {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_CLIENT};
    PCCERT_CONTEXT cert = token_cert(client_crt, "client");
    CredHandle sc, cc;

    ck_status(tls_server_cred_ca(pki.server, pki.ca, 0, &sc), SEC_E_OK);
    for (size_t i = 0; i < 2; i++) {
        struct tls_side c = {.target = "localhost"},
                        s = {.cred = sc, .server = true, .req = ASC_REQ_MUTUAL_AUTH};

        ck_status(tls_cred_with(cert, pki.ca, false, protos[i], 0, &cc), SEC_E_OK);
        c.cred = cc;
        ck_status(tls_handshake(&c, &s), SEC_E_OK);
        ck_cert_name(&s.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, "client");
        tls_side_free(&c);
        tls_side_free(&s);
        pair_exchange(&sc, &cc, protos[i], ASC_REQ_MUTUAL_AUTH);
        FreeCredentialsHandle(&cc);
    }
    CertFreeCertificateContext(cert);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* Inbound credentials that name no certificate: option.cert_file with
 * option.key_file, a pkcs11: URI. */
START_TEST(test_default_server_credentials)
{
    SCHANNEL_CRED none = {.dwVersion = SCHANNEL_CRED_VERSION};
    CredHandle sc, cc;
    TimeStamp ts;

    for (int v = 0; v < 2; v++) {
        uint32_t proto = v ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT;

        ck_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Schannel", SECPKG_CRED_INBOUND, NULL,
                                            v ? &none : NULL, NULL, NULL, &sc, &ts),
                  SEC_E_OK);
        ck_status(tls_client_cred(pki.ca, NULL, proto, 0, &cc), SEC_E_OK);
        pair_exchange(&sc, &cc, proto, 0);
        {
            struct tls_side c = {.cred = cc, .target = "localhost"},
                            s = {.cred = sc, .server = true};

            ck_status(tls_handshake(&c, &s), SEC_E_OK);
            ck_cert_name(&s.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, "localhost");
            tls_side_free(&c);
            tls_side_free(&s);
        }
        FreeCredentialsHandle(&cc);
        FreeCredentialsHandle(&sc);
    }
}
END_TEST

/* What CERT_KEY_PROV_INFO shows of the key: the object, not its PIN. */
START_TEST(test_key_container_hides_pin)
{
    static const char *const keys[] = {
        "pkcs11:token=" TOKEN ";object=server;type=private?pin-value=" PIN,
        "PKCS11:token=" TOKEN ";object=server;type=private?module-name=softhsm2&pin-value=" PIN,
    };
    char want[256];

    snprintf(want, sizeof(want), "%s", key_uri("server", ""));
    for (size_t i = 0; i < 2; i++) {
        PCCERT_CONTEXT c = NULL;
        CRYPT_KEY_PROV_INFO *info;
        DWORD len = 0;
        char name[256];
        size_t n = 0;

        ck_status(libsspi_cert_from_files(server_crt, keys[i], &c), SEC_E_OK);
        ck_assert(CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len));
        info = malloc(len);
        ck_assert(CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID, info, &len));
        for (; info->pwszContainerName[n] != 0 && n < sizeof(name) - 1; n++)
            name[n] = (char)info->pwszContainerName[n];
        name[n] = '\0';
        ck_assert_str_eq(name, want);
        ck_assert(memcmp(info->pwszProvName, u"libsspi", 16) == 0);
        free(info);
        CertFreeCertificateContext(c);
    }
}
END_TEST

/* The PIN from a file (pin-source), as a server keeps it out of its
 * command line and configuration. */
START_TEST(test_pin_from_file)
{
    char pin_file[300], query[320];
    PCCERT_CONTEXT c = NULL;
    FILE *f;

    snprintf(pin_file, sizeof(pin_file), "%s/token.pin", pki.dir);
    f = fopen(pin_file, "w");
    ck_assert_ptr_nonnull(f);
    fputs(PIN, f);
    fclose(f);
    snprintf(query, sizeof(query), "?pin-source=%s", pin_file);
    ck_status(libsspi_cert_from_files(server_crt, key_uri("server", query), &c), SEC_E_OK);
    CertFreeCertificateContext(c);
    unlink(pin_file);
    ck_status(libsspi_cert_from_files(server_crt, key_uri("server", query), &c),
              SEC_E_NO_CREDENTIALS);
    ck_assert_ptr_null(c);
}
END_TEST

/* Keys that cannot be used: the status, the last error, no context. */
START_TEST(test_unusable_keys)
{
    static const struct {
        const char *key;
        SECURITY_STATUS status;
        DWORD last_error;
    } cases[] = {
        {"pkcs11:token=" TOKEN ";object=nothing;type=private?pin-value=" PIN, SEC_E_NO_CREDENTIALS,
         NTE_BAD_KEYSET},
        {"pkcs11:token=no-such-token;object=server;type=private?pin-value=" PIN,
         SEC_E_NO_CREDENTIALS, NTE_BAD_KEYSET},
        {"pkcs11:token=" TOKEN ";object=server;type=private?pin-value=" WRONG_PIN,
         SEC_E_NO_CREDENTIALS, SCARD_W_WRONG_CHV},
        {"pkcs11:token=" TOKEN ";object=server;type=private", SEC_E_NO_CREDENTIALS,
         SCARD_W_WRONG_CHV},
        {"pkcs11:token=" TOKEN ";object=client;type=private?pin-value=" PIN, SEC_E_NO_CREDENTIALS,
         NTE_BAD_PUBLIC_KEY},
        {"pkcs11:", SEC_E_NO_CREDENTIALS, NTE_BAD_KEYSET},
        {"pkcs11:token=%zz;object", SEC_E_UNKNOWN_CREDENTIALS, NTE_BAD_KEYSET_PARAM},
        {"pkcs11:token=" TOKEN ";object?pin-value=" PIN, SEC_E_UNKNOWN_CREDENTIALS,
         NTE_BAD_KEYSET_PARAM},
        {"pkcs11:token=" TOKEN ";object=server?pin-value=%", SEC_E_UNKNOWN_CREDENTIALS,
         NTE_BAD_KEYSET_PARAM},
    };

    /* the values of <winerror.h>, as Windows defines them */
    ck_assert_uint_eq((DWORD)NTE_BAD_PUBLIC_KEY, 0x80090015u);
    ck_assert_uint_eq((DWORD)NTE_BAD_KEYSET, 0x80090016u);
    ck_assert_uint_eq((DWORD)NTE_BAD_KEYSET_PARAM, 0x8009001Fu);
    ck_assert_uint_eq((DWORD)SCARD_W_WRONG_CHV, 0x8010006Bu);
    ck_assert_uint_eq((DWORD)SCARD_W_CHV_BLOCKED, 0x8010006Cu);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        PCCERT_CONTEXT c = (PCCERT_CONTEXT)&cases; /* must come back NULL */
        SECURITY_STATUS st;

        SetLastError(0);
        st = libsspi_cert_from_files(server_crt, cases[i].key, &c);
        ck_assert_msg(st == cases[i].status, "%s: %s, want %s", cases[i].key,
                      libsspi_status_name(st), libsspi_status_name(cases[i].status));
        ck_assert_ptr_null(c);
        ck_assert_msg(GetLastError() == cases[i].last_error, "%s: last error 0x%08x, want 0x%08x",
                      cases[i].key, (unsigned)GetLastError(), (unsigned)cases[i].last_error);
    }
    {
        /* a label of 64 KiB names nothing */
        size_t n = 65536;
        char *uri = malloc(n + 64);
        PCCERT_CONTEXT c = NULL;

        ck_assert_ptr_nonnull(uri);
        strcpy(uri, "pkcs11:token=" TOKEN ";object=");
        memset(uri + strlen(uri), 'a', n);
        strcpy(uri + strlen("pkcs11:token=" TOKEN ";object=") + n, "?pin-value=" PIN);
        ck_status(libsspi_cert_from_files(server_crt, uri, &c), SEC_E_NO_CREDENTIALS);
        ck_assert_ptr_null(c);
        free(uri);
    }
}
END_TEST

/* Import the server's key as token object `object` (p11tool). */
static void import_key(const char *pem, const char *object, const char *id)
{
    ck_assert_int_eq(tls_run(NULL,
                             "GNUTLS_PIN='%s' p11tool --login --write --label %s --id %s "
                             "--load-privkey %s 'pkcs11:token=%s' >/dev/null 2>&1",
                             PIN, object, id, pem, TOKEN),
                     0);
}

static void delete_key(const char *object)
{
    ck_assert_int_eq(tls_run(NULL,
                             "GNUTLS_PIN='%s' p11tool --login --batch --delete "
                             "'pkcs11:token=%s;object=%s;type=private' >/dev/null 2>&1",
                             PIN, TOKEN, object),
                     0);
}

/* A context whose key left the token before AcquireCredentialsHandle. */
START_TEST(test_key_gone_before_acquire)
{
    PCCERT_CONTEXT server, client;
    CredHandle cred;

    import_key(pki.server, "gone-server", "f1");
    import_key(pki.client, "gone-client", "f2");
    server = token_cert(server_crt, "gone-server");
    client = token_cert(client_crt, "gone-client");
    delete_key("gone-server");
    delete_key("gone-client");
    ck_status(tls_cred_with(server, NULL, true, 0, 0, &cred), SEC_E_NO_CREDENTIALS);
    ck_status(tls_cred_with(client, pki.ca, false, 0, 0, &cred), SEC_E_NO_CREDENTIALS);
    CertFreeCertificateContext(server);
    CertFreeCertificateContext(client);
}
END_TEST

/* ---- one credential, several threads; and after fork() ------------------ */

#define THREADS        4
#define HANDSHAKES_PER 3

struct worker {
    CredHandle server;
    SECURITY_STATUS st;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;

    w->st = SEC_E_OK;
    for (int i = 0; i < HANDSHAKES_PER && w->st == SEC_E_OK; i++) {
        struct tls_side c = {.target = "localhost"}, s = {.cred = w->server, .server = true};

        w->st = tls_client_cred(pki.ca, NULL, i % 2 ? SP_PROT_TLS1_2_CLIENT : 0, 0, &c.cred);
        if (w->st != SEC_E_OK)
            break;
        w->st = tls_handshake(&c, &s);
        if (w->st == SEC_E_OK)
            w->st = tls_drain(&c);
        if (w->st == SEC_E_OK)
            w->st = tls_roundtrip(&s.ctx, &c.ctx, 100);
        tls_side_free(&c);
        tls_side_free(&s);
        FreeCredentialsHandle(&c.cred);
    }
    return NULL;
}

START_TEST(test_threads_share_a_token_credential)
{
    PCCERT_CONTEXT cert = token_cert(server_crt, "server");
    struct worker w[THREADS];
    pthread_t t[THREADS];
    CredHandle sc;

    ck_status(tls_cred_with(cert, NULL, true, 0, 0, &sc), SEC_E_OK);
    CertFreeCertificateContext(cert);
    for (int i = 0; i < THREADS; i++) {
        w[i].server = sc;
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        ck_status(w[i].st, SEC_E_OK);
    }
    FreeCredentialsHandle(&sc);
}
END_TEST

/* A credential acquired before fork() works in the child (GnuTLS opens
 * the token again there) and still in the parent. */
START_TEST(test_credential_across_fork)
{
    PCCERT_CONTEXT cert = token_cert(server_crt, "server");
    struct worker w;
    pid_t pid;
    int status = -1;

    ck_status(tls_cred_with(cert, NULL, true, 0, 0, &w.server), SEC_E_OK);
    CertFreeCertificateContext(cert);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        worker_run(&w);
        _exit(w.st == SEC_E_OK ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status 0x%x", status);
    worker_run(&w);
    ck_status(w.st, SEC_E_OK);
    FreeCredentialsHandle(&w.server);
}
END_TEST

/* ---- independent peers: gnutls-cli/-serv, openssl s_client/s_server ---- */

/* A TLS client tool (`before` the port `after`) against `sspi server
 * --stream` started with `server_args`: what it sends comes back. */
static void server_echo(const char *server_args, const char *before, const char *after,
                        const char *want_proto, const char *want_out)
{
    int port = tls_free_port();
    pid_t pid = tls_peer_start(conf, port,
                               "exec %s server --stream --listen 127.0.0.1:%d %s Schannel "
                               ">%s/srv.txt 2>&1",
                               sspi, port, server_args, pki.dir);
    char *out, *srv;
    int rc;

    rc = tls_run(conf, "(echo token-key-echo; sleep 1) | %s%d%s >%s/out.txt 2>&1", before, port,
                 after, pki.dir);
    tls_peer_stop(pid);
    out = tls_slurp(pki.dir, "out.txt");
    srv = tls_slurp(pki.dir, "srv.txt");
    ck_assert_msg(rc == 0, "%s: exit %d\n%s\nserver:\n%s", before, rc, out, srv);
    ck_assert_msg(strstr(out, "token-key-echo\n") != NULL, "%s: no echo\n%s\nserver:\n%s", before,
                  out, srv);
    ck_assert_msg(want_out == NULL || strstr(out, want_out) != NULL, "%s: want %s\n%s", before,
                  want_out, out);
    ck_assert_msg(strstr(srv, "handshake complete") && strstr(srv, want_proto), "%s:\n%s", before,
                  srv);
    free(out);
    free(srv);
}

/* gnutls-cli and openssl s_client, each for TLS 1.3 and TLS 1.2; the
 * server sends `chain` certificates. */
static void server_echo_all(const char *server_args, int chain)
{
    char pre[1024], post[1024], list[64];

    snprintf(list, sizeof(list), "Got a certificate list of %d certificate", chain);

    for (int v = 3; v >= 2; v--) {
        const char *proto = v == 3 ? "(TLS 1.3)" : "(TLS 1.2)";

        snprintf(pre, sizeof(pre), "gnutls-cli --x509cafile %s %s -p ", pki.ca,
                 v == 3 ? "" : "--priority NORMAL:-VERS-TLS1.3");
        server_echo(server_args, pre, " localhost", proto, list);
        snprintf(post, sizeof(post),
                 " -CAfile %s -servername localhost -verify_return_error -tls1_%d -brief", pki.ca,
                 v);
        server_echo(server_args, "openssl s_client -connect 127.0.0.1:", post, proto, NULL);
    }
}

START_TEST(test_token_server_to_tls_clients)
{
    char args[2048];

    snprintf(args, sizeof(args), "--cert %s --key '%s'", server_crt, key_uri("server", WITH_PIN));
    server_echo_all(args, 1);
}
END_TEST

/* option.cert_file (the certificate and its CA) / option.key_file:
 * `sspi server` names no certificate. */
START_TEST(test_default_credentials_to_tls_clients)
{
    server_echo_all("", 2);
}
END_TEST

/* `sspi client --stream` with its key in the token against gnutls-serv
 * --echo or openssl s_server -rev (lines reversed), both requiring and
 * verifying a client certificate. */
static void client_echo(bool openssl, const char *protocol)
{
    int port = tls_free_port();
    pid_t pid = openssl ? tls_peer_start(conf, port,
                                         "exec openssl s_server -accept %d -cert %s -key %s "
                                         "-Verify 1 -verify_return_error -CAfile %s -rev -quiet "
                                         ">/dev/null 2>&1",
                                         port, pki.server, pki.server, pki.ca)
                        : tls_peer_start(conf, port,
                                         "exec gnutls-serv --echo -q -p %d --x509certfile %s "
                                         "--x509keyfile %s --require-client-cert "
                                         "--verify-client-cert --x509cafile %s >/dev/null 2>&1",
                                         port, pki.server, pki.server, pki.ca);
    char *out, *err;
    int rc;

    rc = tls_run(conf,
                 "echo token-key-echo | %s client --stream --ca %s --target localhost "
                 "--protocol %s --echo --cert %s --key '%s' 127.0.0.1:%d Schannel "
                 ">%s/out.txt 2>%s/err.txt",
                 sspi, pki.ca, protocol, client_crt, key_uri("client", WITH_PIN), port, pki.dir,
                 pki.dir);
    tls_peer_stop(pid);
    out = tls_slurp(pki.dir, "out.txt");
    err = tls_slurp(pki.dir, "err.txt");
    ck_assert_msg(rc == 0, "%s: exit %d\n%s", protocol, rc, err);
    ck_assert_msg(strcmp(out, openssl ? "ohce-yek-nekot\n" : "token-key-echo\n") == 0,
                  "%s: got \"%s\"\n%s", protocol, out, err);
    free(out);
    free(err);
}

START_TEST(test_token_client_to_tls_servers)
{
    client_echo(false, "tls1.3");
    client_echo(false, "tls1.2");
    client_echo(true, "tls1.3");
    client_echo(true, "tls1.2");
}
END_TEST

/* A configuration whose option.key_file cannot be used: the server stops
 * at AcquireCredentialsHandle with SEC_E_NO_CREDENTIALS, the trace says
 * why, and neither shows the PIN. */
START_TEST(test_unusable_default_key)
{
    char bad_conf[600], options[2048], *srv, *trace;
    int rc;

    snprintf(bad_conf, sizeof(bad_conf), "%s/bad-pin.conf", pki.dir);
    snprintf(options, sizeof(options), "option.cert_file = %s\noption.key_file = %s", server_crt,
             key_uri("server", "?pin-value=" WRONG_PIN));
    ck_assert(tls_write_conf(bad_conf, options));
    rc = tls_run(bad_conf,
                 "LIBSSPI_DEBUG=%s/trace.txt %s server --stream --listen 127.0.0.1:0 Schannel "
                 ">%s/srv.txt 2>&1",
                 pki.dir, sspi, pki.dir);
    srv = tls_slurp(pki.dir, "srv.txt");
    trace = tls_slurp(pki.dir, "trace.txt");
    ck_assert_msg(rc != 0 && strstr(srv, "AcquireCredentialsHandleA: SEC_E_NO_CREDENTIALS"), "%s",
                  srv);
    ck_assert_msg(strstr(trace, "STATUS_WRONG_PASSWORD") != NULL, "%s", trace);
    ck_assert(strstr(trace, WRONG_PIN) == NULL && strstr(srv, WRONG_PIN) == NULL);
    free(srv);
    free(trace);
    unlink(bad_conf);
}
END_TEST

/* ---- the token, the files, the configuration ---------------------------- */

/* `pem` without its key (the certificate blocks only) as `out`. */
static bool cert_only(const char *pem, char *out, size_t cap, const char *name)
{
    char *all = tls_slurp(pki.dir, strrchr(pem, '/') + 1), *end = strstr(all, "-----BEGIN PRIVATE");
    FILE *f;
    bool ok;

    snprintf(out, cap, "%s/%s", pki.dir, name);
    f = fopen(out, "w");
    ok = f != NULL && end != NULL && fwrite(all, 1, (size_t)(end - all), f) == (size_t)(end - all);
    ok = f != NULL && fclose(f) == 0 && ok;
    free(all);
    return ok;
}

/* A SoftHSM token of our own under pki.dir, with both keys in it. */
static bool make_token(void)
{
    char path[600];
    FILE *f;

    snprintf(path, sizeof(path), "%s/tokens", pki.dir);
    if (mkdir(path, 0700) != 0)
        return false;
    snprintf(path, sizeof(path), "%s/softhsm2.conf", pki.dir);
    f = fopen(path, "w");
    if (f == NULL)
        return false;
    fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n",
            pki.dir);
    if (fclose(f) != 0)
        return false;
    setenv("SOFTHSM2_CONF", path, 1);
    return tls_run(NULL,
                   "softhsm2-util --init-token --free --label %s --pin '%s' --so-pin '%s' "
                   ">/dev/null",
                   TOKEN, PIN, SO_PIN) == 0 &&
           tls_run(NULL,
                   "GNUTLS_PIN='%s' p11tool --login --write --label server --id 01 "
                   "--load-privkey %s 'pkcs11:token=%s' >/dev/null",
                   PIN, pki.server, TOKEN) == 0 &&
           tls_run(NULL,
                   "GNUTLS_PIN='%s' p11tool --login --write --label client --id 02 "
                   "--load-privkey %s 'pkcs11:token=%s' >/dev/null",
                   PIN, pki.client, TOKEN) == 0;
}

static bool write_conf(void)
{
    char options[2048];

    snprintf(conf, sizeof(conf), "%s/sspi.conf", pki.dir);
    snprintf(options, sizeof(options), "option.cert_file = %s\noption.key_file = %s", chain_crt,
             key_uri("server", WITH_PIN));
    return tls_write_conf(conf, options);
}

static Suite *pkcs11_suite(void)
{
    Suite *s = suite_create("schannel-pkcs11");
    TCase *local = tcase_create("in-process"), *peers = tcase_create("peers");

    tcase_add_checked_fixture(local, setup, NULL);
    tcase_set_timeout(local, 300);
    tcase_add_test(local, test_server_key_in_token);
    tcase_add_test(local, test_client_key_in_token);
    tcase_add_test(local, test_default_server_credentials);
    tcase_add_test(local, test_key_container_hides_pin);
    tcase_add_test(local, test_pin_from_file);
    tcase_add_test(local, test_unusable_keys);
    tcase_add_test(local, test_key_gone_before_acquire);
    tcase_add_test(local, test_threads_share_a_token_credential);
    tcase_add_test(local, test_credential_across_fork);
    suite_add_tcase(s, local);
    tcase_set_timeout(peers, 300);
    tcase_add_test(peers, test_token_server_to_tls_clients);
    tcase_add_test(peers, test_default_credentials_to_tls_clients);
    tcase_add_test(peers, test_token_client_to_tls_servers);
    tcase_add_test(peers, test_unusable_default_key);
    suite_add_tcase(s, peers);
    return s;
}

int main(void)
{
    static const char *const tools[] = {"softhsm2-util", "p11tool", "gnutls-cli", "gnutls-serv",
                                        "openssl"};
    const char *top = getenv("top_builddir");
    SRunner *sr;
    int failed;

    for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
        if (!tls_have(tools[i])) {
            fprintf(stderr,
                    "FAIL: %s is not installed; this suite needs softhsm2, gnutls-bin and "
                    "openssl (Debian: apt-get install softhsm2 gnutls-bin openssl) and is "
                    "never skipped\n",
                    tools[i]);
            return 99;
        }
    }
    if (!tls_pki_make(&pki))
        return 99;
    snprintf(chain_crt, sizeof(chain_crt), "%s/chain.crt", pki.dir);
    snprintf(sspi, sizeof(sspi), "%s/src/tools/sspi", top ? top : ".");
    if (!cert_only(pki.server, server_crt, sizeof(server_crt), "server.crt") ||
        !cert_only(pki.client, client_crt, sizeof(client_crt), "client.crt") ||
        tls_run(NULL, "cat %s %s >%s/chain.crt", server_crt, pki.ca, pki.dir) != 0 ||
        !make_token() || !write_conf()) {
        fprintf(stderr, "FAIL: could not make the SoftHSM token under %s\n", pki.dir);
        tls_run(NULL, "rm -rf %s", pki.dir);
        return 99;
    }
    setenv("LIBSSPI_CONFIG", conf, 1);
    sr = srunner_create(pkcs11_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tls_run(NULL, "rm -rf %s/tokens %s/*.txt %s/*.crt %s/*.conf", pki.dir, pki.dir, pki.dir,
            pki.dir);
    tls_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
