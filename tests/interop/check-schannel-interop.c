/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-schannel-interop.c - the Schannel package against independent TLS
 * stacks from Debian, both ways: `sspi client --stream` against
 * gnutls-serv and openssl s_server, gnutls-cli and openssl s_client
 * against `sspi server --stream`.  TLS 1.2 and 1.3, ALPN, client
 * certificates, resumption, 1 B to 40 KiB (several records per read),
 * close_notify, the three certificate failures with their statuses, and a
 * TLS 1.3 ticket arriving with application data.
 *
 * Peers listen on free 127.0.0.1 ports (bound to port 0 first) and are
 * stopped by PID; every run is bounded by timeout(1).  The certificates
 * are made at run time (tests/schannel/tls-test.c).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/schannel/tls-peers.h"
#include "tests/schannel/tls-test.h"

static struct tls_pki pki;
static char conf[512], sspi[512];

/* Text input of `len` bytes (lines of 64 characters) in the pki dir. */
static void make_input(const char *name, size_t len)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", pki.dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < len; i++)
        fputc(i % 65 == 64 || i + 1 == len ? '\n' : 'a' + (int)(i * 7 % 26), f);
    fclose(f);
}

#define P(name) pki.dir, name

/* sspi client --stream against gnutls-serv --echo. */
static void client_vs_gnutls(const char *protocol, size_t len, const char *extra_client,
                             const char *extra_server)
{
    int port = tls_free_port();
    pid_t pid =
        tls_peer_start(conf, port,
                       "exec gnutls-serv --echo -q -p %d --x509certfile %s --x509keyfile %s "
                       "%s >/dev/null 2>&1",
                       port, pki.server, pki.server, extra_server);
    char *in, *out, *err;

    make_input("in.txt", len);
    ck_assert_int_eq(tls_run(conf,
                             "%s client --stream --ca %s --target localhost --protocol %s --echo "
                             "--connections 2 %s 127.0.0.1:%d Schannel <%s/%s >%s/%s 2>%s/%s",
                             sspi, pki.ca, protocol, extra_client, port, P("in.txt"), P("out.txt"),
                             P("err.txt")),
                     0);
    tls_peer_stop(pid);
    in = tls_slurp(pki.dir, "in.txt");
    out = tls_slurp(pki.dir, "out.txt");
    err = tls_slurp(pki.dir, "err.txt");
    ck_assert_uint_eq(strlen(out), 2 * strlen(in));
    ck_assert(strncmp(out, in, strlen(in)) == 0 && strcmp(out + strlen(in), in) == 0);
    ck_assert_msg(strstr(err, strcmp(protocol, "tls1.3") == 0 ? "(TLS 1.3)" : "(TLS 1.2)"), "%s",
                  err);
    ck_assert_msg(strstr(err, "resumed: no") && strstr(err, "resumed: yes"), "%s", err);
    free(in);
    free(out);
    free(err);
}

START_TEST(test_client_gnutls_serv_tls13)
{
    client_vs_gnutls("tls1.3", 1, "", "");
    client_vs_gnutls("tls1.3", 16384, "", "");
    client_vs_gnutls("tls1.3", 40000, "", "");
}
END_TEST

START_TEST(test_client_gnutls_serv_tls12)
{
    client_vs_gnutls("tls1.2", 1, "", "");
    client_vs_gnutls("tls1.2", 16384, "", "");
    client_vs_gnutls("tls1.2", 40000, "", "");
}
END_TEST

/* The server's tickets and the echo arrive in one read: nothing is lost. */
START_TEST(test_client_ticket_with_data)
{
    client_vs_gnutls("tls1.3", 3000, "--settle 300", "");
}
END_TEST

START_TEST(test_client_alpn_and_client_cert)
{
    char *err;

    client_vs_gnutls("tls1.3", 100, "--alpn h2,http/1.1", "--alpn h2 --alpn-fatal");
    err = tls_slurp(pki.dir, "err.txt");
    ck_assert_msg(strstr(err, "alpn: h2"), "%s", err);
    free(err);
    {
        char c[600], sv[600];

        snprintf(c, sizeof(c), "--cert %s", pki.client);
        snprintf(sv, sizeof(sv), "--require-client-cert --x509cafile %s", pki.ca);
        client_vs_gnutls("tls1.2", 100, c, sv);
        client_vs_gnutls("tls1.3", 100, c, sv);
    }
}
END_TEST

/* sspi client --stream against openssl s_server -rev (lines reversed). */
static void client_vs_openssl(const char *protocol)
{
    int port = tls_free_port();
    pid_t pid = tls_peer_start(conf, port,
                               "exec openssl s_server -accept %d -cert %s -key %s -rev -quiet "
                               ">/dev/null 2>&1",
                               port, pki.server, pki.server);
    char *out, *err;
    FILE *f;
    char path[512];

    snprintf(path, sizeof(path), "%s/in.txt", pki.dir);
    f = fopen(path, "w");
    fputs("hello\nlibsspi schannel\n", f);
    fclose(f);
    ck_assert_int_eq(tls_run(conf,
                             "%s client --stream --ca %s --target localhost --protocol %s --echo "
                             "--connections 2 127.0.0.1:%d Schannel <%s/%s >%s/%s 2>%s/%s",
                             sspi, pki.ca, protocol, port, P("in.txt"), P("out.txt"), P("err.txt")),
                     0);
    tls_peer_stop(pid);
    out = tls_slurp(pki.dir, "out.txt");
    err = tls_slurp(pki.dir, "err.txt");
    ck_assert_str_eq(out, "olleh\nlennahcs ipssbil\nolleh\nlennahcs ipssbil\n");
    ck_assert_msg(strstr(err, "resumed: yes"), "%s", err);
    free(out);
    free(err);
}

START_TEST(test_client_openssl_s_server)
{
    client_vs_openssl("tls1.3");
    client_vs_openssl("tls1.2");
}
END_TEST

/* A server certificate that must be refused, and the status. */
static void client_refuses(const char *cert, const char *status)
{
    int port = tls_free_port();
    pid_t pid =
        tls_peer_start(conf, port,
                       "exec gnutls-serv --echo -q -p %d --x509certfile %s --x509keyfile %s "
                       ">/dev/null 2>&1",
                       port, cert, cert);
    char *err;

    make_input("in.txt", 10);
    ck_assert_int_eq(tls_run(conf,
                             "%s client --stream --ca %s --target localhost --echo 127.0.0.1:%d "
                             "Schannel <%s/%s >%s/%s 2>%s/%s",
                             sspi, pki.ca, port, P("in.txt"), P("out.txt"), P("err.txt")),
                     1);
    tls_peer_stop(pid);
    err = tls_slurp(pki.dir, "err.txt");
    ck_assert_msg(strstr(err, status) != NULL, "want %s: %s", status, err);
    free(err);
}

START_TEST(test_client_refuses_bad_certificates)
{
    client_refuses(pki.rogue, "SEC_E_UNTRUSTED_ROOT");
    client_refuses(pki.wrong, "SEC_E_WRONG_PRINCIPAL");
    client_refuses(pki.expired, "SEC_E_CERT_EXPIRED");
}
END_TEST

/* A TLS client tool against sspi server --stream: what it sends comes back,
 * and the server's report holds `expect` (unless NULL). */
static void server_vs_expect(const char *before_port, const char *after_port,
                             const char *server_extra, const char *expect)
{
    int port = tls_free_port();
    pid_t pid = tls_peer_start(conf, port,
                               "exec %s server --stream --listen 127.0.0.1:%d --cert %s %s "
                               "Schannel >%s/srv.txt 2>&1",
                               sspi, port, pki.server, server_extra, pki.dir);
    char cmd[2048], *out, *srv;
    int rc;

    make_input("in.txt", 5000);
    snprintf(cmd, sizeof(cmd), "%s%d%s", before_port, port, after_port);
    rc = tls_run(conf, "(cat %s/in.txt; sleep 1) | %s >%s/out.txt 2>%s/err.txt", pki.dir, cmd,
                 pki.dir, pki.dir);
    tls_peer_stop(pid);
    if (rc != 0) {
        char *e = tls_slurp(pki.dir, "err.txt"), *sv = tls_slurp(pki.dir, "srv.txt");

        ck_abort_msg("%s: exit %d\n%s\nserver:\n%s", cmd, rc, e, sv);
    }
    out = tls_slurp(pki.dir, "out.txt");
    srv = tls_slurp(pki.dir, "srv.txt");
    {
        char *in = tls_slurp(pki.dir, "in.txt");

        ck_assert_msg(strstr(out, in) != NULL, "echo missing; server said: %s", srv);
        free(in);
    }
    ck_assert_msg(strstr(srv, "handshake complete"), "%s", srv);
    ck_assert_msg(expect == NULL || strstr(srv, expect), "want %s:\n%s", expect, srv);
    free(out);
    free(srv);
}

static void server_vs(const char *before_port, const char *after_port, const char *server_extra)
{
    server_vs_expect(before_port, after_port, server_extra, NULL);
}

START_TEST(test_gnutls_cli_to_server)
{
    char pre[1024];

    snprintf(pre, sizeof(pre), "gnutls-cli --x509cafile %s -p ", pki.ca);
    server_vs(pre, " localhost", "");
    snprintf(pre, sizeof(pre),
             "gnutls-cli --x509cafile %s --priority NORMAL:-VERS-TLS1.3 --alpn h2 -p ", pki.ca);
    server_vs(pre, " localhost", "--alpn h2");
    snprintf(pre, sizeof(pre), "gnutls-cli --x509cafile %s --x509certfile %s --x509keyfile %s -p ",
             pki.ca, pki.client, pki.client);
    server_vs(pre, " localhost", "--require-client-cert");
}
END_TEST

START_TEST(test_openssl_s_client_to_server)
{
    char post[1024];

    for (int v = 2; v <= 3; v++) {
        snprintf(post, sizeof(post),
                 " -CAfile %s -servername localhost -verify_return_error -tls1_%d -brief -alpn h2",
                 pki.ca, v);
        server_vs("openssl s_client -connect 127.0.0.1:", post, "--alpn h2");
    }
    snprintf(post, sizeof(post), " -CAfile %s -servername localhost -cert %s -key %s -brief",
             pki.ca, pki.client, pki.client);
    server_vs("openssl s_client -connect 127.0.0.1:", post, "--require-client-cert");
}
END_TEST

/* Client certificates the server cannot trust: the handshake completes (the
 * application judges the chain, as with Windows' Schannel) and the verdict
 * is SECPKG_ATTR_CC_POLICY_RESULT. */
START_TEST(test_untrusted_client_certificates)
{
    static const struct {
        const char *pem, *verdict;
    } cases[] = {{NULL, "peer chain: 0x00000000 (trusted)"},
                 {NULL, "peer chain: 0x800B010A (CERT_E_CHAINING)"},
                 {NULL, "peer chain: 0x800B0109 (CERT_E_UNTRUSTEDROOT)"}};
    const char *pems[] = {pki.client, pki.rogue, pki.self};
    char pre[1024], post[1024], srv[600];

    snprintf(srv, sizeof(srv), "--require-client-cert --ca %s", pki.ca);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(pre, sizeof(pre),
                 "gnutls-cli --x509cafile %s --x509certfile %s --x509keyfile %s -p ", pki.ca,
                 pems[i], pems[i]);
        server_vs_expect(pre, " localhost", srv, cases[i].verdict);
        snprintf(post, sizeof(post), " -CAfile %s -servername localhost -cert %s -key %s -brief",
                 pki.ca, pems[i], pems[i]);
        server_vs_expect("openssl s_client -connect 127.0.0.1:", post, srv, cases[i].verdict);
    }
}
END_TEST

/* openssl s_client's interactive commands mid-connection: "K" (a TLS 1.3
 * KeyUpdate that asks for ours: SEC_I_RENEGOTIATE, then AcceptSecurityContext
 * sends it) and "R" (a TLS 1.2 renegotiation the client starts). */
static void server_post_handshake(int version, const char *command)
{
    int port = tls_free_port();
    pid_t pid = tls_peer_start(conf, port,
                               "exec %s server --stream --listen 127.0.0.1:%d --cert %s Schannel "
                               ">%s/srv.txt 2>&1",
                               sspi, port, pki.server, pki.dir);
    char *out, *srv;

    ck_assert_int_eq(
        tls_run(conf,
                "(echo before; sleep 0.5; echo %s; sleep 0.8; echo after; sleep 0.8) | "
                "openssl s_client -connect 127.0.0.1:%d -CAfile %s -servername localhost "
                "-tls1_%d >%s/out.txt 2>&1",
                command, port, pki.ca, version, pki.dir),
        0);
    tls_peer_stop(pid);
    out = tls_slurp(pki.dir, "out.txt");
    srv = tls_slurp(pki.dir, "srv.txt");
    ck_assert_msg(strstr(out, "before\n") && strstr(out, "after\n"), "%s\nserver:\n%s", out, srv);
    ck_assert_msg(strstr(out, version == 3 ? "KEYUPDATE" : "RENEGOTIATING"), "%s", out);
    ck_assert_msg(strstr(srv, "close_notify received after 2 records"), "%s", srv);
    free(out);
    free(srv);
}

START_TEST(test_openssl_key_update_and_renegotiation)
{
    server_post_handshake(3, "K");
    server_post_handshake(2, "R");
}
END_TEST

/* The tool's in-process verbs for a stream package. */
START_TEST(test_tool_loopback_and_bench)
{
    char *out;

    ck_assert_int_eq(tls_run(conf, "%s loopback Schannel >%s/%s 2>&1", sspi, P("out.txt")), 0);
    out = tls_slurp(pki.dir, "out.txt");
    ck_assert_msg(strstr(out, "DecryptMessage (client): SEC_E_OK") &&
                      strstr(out, "result: SEC_E_OK"),
                  "%s", out);
    free(out);
    ck_assert_int_eq(tls_run(conf, "%s bench --count 20 --sizes 16,16384 Schannel >%s/%s 2>&1",
                             sspi, P("out.txt")),
                     0);
    out = tls_slurp(pki.dir, "out.txt");
    ck_assert_msg(strstr(out, "records/s") && strstr(out, "16384"), "%s", out);
    free(out);
}
END_TEST

/* ---- A server asking for a client certificate the credential lacks: the
 * client in this process over a socket, answering
 * SEC_I_INCOMPLETE_CREDENTIALS by going on without one or with a new
 * credential that has one. */

static int tcp_connect(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {10, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static bool sock_read(struct tls_side *c, int fd)
{
    uint8_t buf[16384];
    ssize_t n = read(fd, buf, sizeof(buf));

    if (n <= 0)
        return false;
    tls_side_feed(c, buf, (size_t)n);
    return true;
}

static bool sock_write(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* The client's handshake over fd; `with_cert`: the answer to the request
 * is a new credential holding pki.client (the first one freed first, as
 * Microsoft's sample does), else the same credential again. */
static SECURITY_STATUS sock_handshake(struct tls_side *c, int fd, uint32_t proto, bool with_cert,
                                      int *told)
{
    SECURITY_STATUS st = SEC_E_INTERNAL_ERROR;

    for (int legs = 0; legs < 16; legs++) {
        uint8_t *out = NULL;
        size_t len = 0;

        if (((c->have_ctx && c->in_len == 0) || st == SEC_E_INCOMPLETE_MESSAGE) &&
            !sock_read(c, fd))
            return SEC_E_INTERNAL_ERROR;
        st = tls_side_step(c, &out, &len);
        if (st == SEC_I_INCOMPLETE_CREDENTIALS) {
            (*told)++;
            if (with_cert) {
                ck_status(FreeCredentialsHandle(&c->cred), SEC_E_OK);
                ck_status(tls_client_cred(pki.ca, pki.client, proto, 0, &c->cred), SEC_E_OK);
            }
            st = tls_side_step(c, &out, &len);
        }
        if (len > 0 && !sock_write(fd, out, len))
            st = SEC_E_INTERNAL_ERROR;
        free(out);
        if (st != SEC_I_CONTINUE_NEEDED && st != SEC_E_INCOMPLETE_MESSAGE)
            return st;
    }
    return st;
}

/* Send `msg`, read until `want` came back; the first failing status. */
static SECURITY_STATUS sock_echo(struct tls_side *c, int fd, const char *msg, const char *want)
{
    uint8_t rec[1024];
    char got[256] = "";
    size_t rec_len, have = 0;
    SECURITY_STATUS st = tls_encrypt(&c->ctx, msg, (uint32_t)strlen(msg), rec, &rec_len);

    if (st != SEC_E_OK)
        return st;
    if (!sock_write(fd, rec, rec_len))
        return SEC_E_INTERNAL_ERROR;
    while (have < strlen(want)) {
        uint8_t *plain;
        size_t plain_len, used;

        if ((c->in_len == 0 || st == SEC_E_INCOMPLETE_MESSAGE) && !sock_read(c, fd))
            return SEC_E_INTERNAL_ERROR;
        st = tls_decrypt(&c->ctx, c->in, c->in_len, &plain, &plain_len, &used);
        if (st == SEC_E_INCOMPLETE_MESSAGE)
            continue;
        if (st != SEC_E_OK)
            return st;
        if (plain_len > 0 && have + plain_len < sizeof(got)) {
            memcpy(got + have, plain, plain_len);
            have += plain_len;
        }
        memmove(c->in, c->in + used, c->in_len - used);
        c->in_len -= used;
    }
    return strncmp(got, want, strlen(want)) == 0 ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
}

/*
 * One connection to the peer started by "`head` PORT `tail`", its report
 * going to a file.  `with_cert`: the answer to the request;
 * `required`: the server refuses a client without one.  The report shows
 * `seen` when the certificate went out.
 */
static void certreq_peer(const char *head, const char *tail, uint32_t proto, bool with_cert,
                         bool required, const char *echo, const char *seen)
{
    int port = tls_free_port(), told = 0, fd;
    char report[600];
    pid_t pid;
    struct tls_side c = {.target = "localhost"};
    SECURITY_STATUS hs, data = SEC_E_INTERNAL_ERROR;
    char *log;

    snprintf(report, sizeof(report), "%s/peer.txt", pki.dir);
    pid = tls_peer_start(conf, port, "%s %d %s >%s 2>&1", head, port, tail, report);
    ck_status(tls_client_cred(pki.ca, NULL, proto, 0, &c.cred), SEC_E_OK);
    fd = tcp_connect(port);
    hs = sock_handshake(&c, fd, proto, with_cert, &told);
    if (hs == SEC_E_OK)
        data = sock_echo(&c, fd, "hello\n", echo);
    close(fd);
    usleep(100000);
    tls_peer_stop(pid);
    log = tls_slurp(pki.dir, "peer.txt");
    ck_assert_int_eq(told, 1);
    if (with_cert || !required) {
        ck_assert_msg(hs == SEC_E_OK && data == SEC_E_OK, "%s / %s\n%s", libsspi_status_name(hs),
                      libsspi_status_name(data), log);
        ck_assert_msg((strstr(log, seen) != NULL) == with_cert, "%s", log);
    } else { /* refused: during the handshake (TLS 1.2) or by the first record after */
        ck_assert_msg(hs != SEC_E_OK || data != SEC_E_OK, "%s", log);
    }
    tls_side_free(&c);
    FreeCredentialsHandle(&c.cred);
    free(log);
}

static void certreq_gnutls(uint32_t proto, bool with_cert, bool required)
{
    char cmd[1200];

    snprintf(cmd, sizeof(cmd), "--x509certfile %s --x509keyfile %s --x509cafile %s %s", pki.server,
             pki.server, pki.ca, required ? "--require-client-cert" : "");
    certreq_peer("exec gnutls-serv --echo -p", cmd, proto, with_cert, required, "hello\n",
                 "Subject: CN=client");
}

static void certreq_openssl(uint32_t proto, bool with_cert, bool required)
{
    char cmd[1200];

    snprintf(cmd, sizeof(cmd), "-cert %s -key %s -CAfile %s %s 1 -rev", pki.server, pki.server,
             pki.ca, required ? "-Verify" : "-verify");
    certreq_peer("exec openssl s_server -accept", cmd, proto, with_cert, required, "olleh\n",
                 "Peer certificate: CN = client");
}

/* Each answer with each protocol against one kind of peer. */
static void certreq_matrix(void (*peer)(uint32_t proto, bool with_cert, bool required))
{
    ck_status(tls_load_package(), SEC_E_OK);
    for (int v = 0; v < 2; v++) {
        uint32_t proto = v ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT;

        peer(proto, true, true);   /* a new credential: the server sees it */
        peer(proto, false, true);  /* none: refused */
        peer(proto, false, false); /* none, only asked: goes on */
    }
}

START_TEST(test_certreq_gnutls_serv)
{
    certreq_matrix(certreq_gnutls);
}
END_TEST

START_TEST(test_certreq_openssl_s_server)
{
    certreq_matrix(certreq_openssl);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schannel-interop");
    TCase *tc = tcase_create("peers");
    const char *top = getenv("top_builddir");
    SRunner *sr;
    int failed;

    if (!tls_have("gnutls-serv") || !tls_have("gnutls-cli") || !tls_have("openssl")) {
        fprintf(stderr, "SKIP: gnutls-bin and openssl are needed\n");
        return 77;
    }
    if (!tls_pki_make(&pki))
        return 99;
    snprintf(conf, sizeof(conf), "%s/sspi.conf", pki.dir);
    snprintf(sspi, sizeof(sspi), "%s/src/tools/sspi", top ? top : ".");
    if (!tls_write_conf(conf, ""))
        return 99;
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_client_gnutls_serv_tls13);
    tcase_add_test(tc, test_client_gnutls_serv_tls12);
    tcase_add_test(tc, test_client_ticket_with_data);
    tcase_add_test(tc, test_client_alpn_and_client_cert);
    tcase_add_test(tc, test_client_openssl_s_server);
    tcase_add_test(tc, test_client_refuses_bad_certificates);
    tcase_add_test(tc, test_gnutls_cli_to_server);
    tcase_add_test(tc, test_openssl_s_client_to_server);
    tcase_add_test(tc, test_untrusted_client_certificates);
    tcase_add_test(tc, test_tool_loopback_and_bench);
    tcase_add_test(tc, test_openssl_key_update_and_renegotiation);
    tcase_add_test(tc, test_certreq_gnutls_serv);
    tcase_add_test(tc, test_certreq_openssl_s_server);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tls_run(conf, "rm -f %s/*.txt %s", pki.dir, conf);
    tls_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
