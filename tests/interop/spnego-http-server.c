/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spnego-http-server.c - an HTTP server that authenticates with MIT krb5's
 * SPNEGO (RFC 4559, WWW-Authenticate: Negotiate), the independent server
 * for `sspi client --http` in tests/negotiate-http.sh.
 *
 *   spnego-http-server [--mechs any|krb5|ntlm|krb5,ntlm]
 *
 * Binds 127.0.0.1 on a port the kernel picks, prints "port N" on standard
 * output, serves ONE connection (keep-alive, any number of requests) and
 * exits when the client closes it.  Each request:
 *   no Authorization: Negotiate  -> 401, WWW-Authenticate: Negotiate
 *   a token, GSS_S_CONTINUE_NEEDED -> 401, WWW-Authenticate: Negotiate <token>
 *   a token, GSS_S_COMPLETE        -> 200 (with the final token, if any),
 *                                     body "authenticated as NAME (MECH)"
 *   a token, a GSS error           -> 401, WWW-Authenticate: Negotiate
 * At the end it prints "authenticated NAME MECH" for the last logon, or
 * "refused MAJOR" for a failure, and exits 0 when a logon succeeded and
 * none failed.  The acceptor credential is the default one (KRB5_KTNAME,
 * NTLM_USER_FILE with gss-ntlmssp from GSS_MECH_CONFIG).  Waiting for the
 * client and every read time out after 30 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "peer-util.h"
#include "spnego-peer.h"

#define MAX_HEAD 65536

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one request head (through the blank line) into buf, NUL-terminated;
 * bytes after it stay in buf for the next call.  Returns the head length,
 * 0 at a clean end of the connection, -1 on error. */
static ssize_t read_head(int fd, char *buf, size_t *have)
{
    for (;;) {
        char *end = *have > 0 ? strstr(buf, "\r\n\r\n") : NULL;
        if (end != NULL)
            return end + 4 - buf;
        if (*have >= MAX_HEAD)
            return -1;
        ssize_t r = recv(fd, buf + *have, MAX_HEAD - *have, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 && *have == 0 ? 0 : -1;
        *have += (size_t)r;
        buf[*have] = '\0';
    }
}

/* The base64 token of an "Authorization: Negotiate ..." header, or NULL;
 * *bare when the header carries no token. */
static const char *negotiate_token(char *head, size_t *len, int *bare)
{
    for (char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, "Authorization:", 14) != 0)
            continue;
        char *v = line + 14;
        v += strspn(v, " \t");
        if (strncasecmp(v, "Negotiate", 9) != 0)
            continue;
        v += 9;
        v += strspn(v, " \t");
        *len = strcspn(v, " \t\r\n");
        *bare = *len == 0;
        return v;
    }
    return NULL;
}

static int reply(int fd, int code, const void *tok, size_t len, const char *body)
{
    static char head[MAX_HEAD + 512];
    char *b64 = NULL;
    int n;

    if (tok != NULL && len > 0 && (b64 = peer_b64_encode(tok, len)) == NULL)
        return -1;
    n = snprintf(head, sizeof(head),
                 "HTTP/1.1 %d %s\r\nWWW-Authenticate: Negotiate%s%s\r\n"
                 "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                 code, code == 200 ? "OK" : "Unauthorized", b64 ? " " : "", b64 ? b64 : "",
                 strlen(body), body);
    free(b64);
    if (n < 0 || (size_t)n >= sizeof(head))
        return -1;
    return send_all(fd, head, (size_t)n);
}

static enum spnego_mechs parse_mechs(const char *s)
{
    if (strcmp(s, "krb5") == 0)
        return SPNEGO_KRB5;
    if (strcmp(s, "ntlm") == 0)
        return SPNEGO_NTLM;
    if (strcmp(s, "krb5,ntlm") == 0)
        return SPNEGO_KRB5_NTLM;
    return SPNEGO_ANY;
}

int main(int argc, char **argv)
{
    enum spnego_mechs mechs = SPNEGO_ANY;
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);
    struct timeval tv = {30, 0};
    static char buf[MAX_HEAD + 1];
    size_t have = 0;
    int logons = 0, failures = 0;
    char last[512] = "nothing";

    if (argc == 3 && strcmp(argv[1], "--mechs") == 0)
        mechs = parse_mechs(argv[2]);
    else if (argc != 1) {
        fprintf(stderr, "usage: spnego-http-server [--mechs any|krb5|ntlm|krb5,ntlm]\n");
        return 2;
    }
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    /* SO_RCVTIMEO also bounds accept(): no client, no hang. */
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &alen) != 0) {
        perror("spnego-http-server: listen");
        return 1;
    }
    printf("port %u\n", ntohs(a.sin_port));
    fflush(stdout);
    int fd = accept(ls, NULL, NULL);
    close(ls);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
        perror("spnego-http-server: accept");
        return 1;
    }

    struct spnego_peer g;
    int fresh = 1;
    for (;;) {
        ssize_t hl = read_head(fd, buf, &have);
        if (hl <= 0)
            break;
        size_t b64len = 0;
        int bare = 0, rc;
        const char *b64 = negotiate_token(buf, &b64len, &bare);
        uint8_t *tok = NULL;
        size_t len = 0;

        if (b64 == NULL || bare || peer_b64_decode(b64, b64len, &tok, &len) != 0) {
            rc = reply(fd, 401, NULL, 0, "authentication required\n");
        } else {
            void *out = NULL;
            size_t out_len = 0;
            if (fresh && spnego_server(&g, mechs) != GSS_S_COMPLETE) {
                fprintf(stderr, "spnego-http-server: acquire: %s\n", spnego_error(&g));
                return 1;
            }
            fresh = 0;
            OM_uint32 major = spnego_step(&g, tok, len, &out, &out_len);
            if (major == GSS_S_COMPLETE) {
                char *who = spnego_src_name(&g), body[600];
                snprintf(last, sizeof(last), "authenticated %s %s", who ? who : "?",
                         spnego_mech_name(&g));
                snprintf(body, sizeof(body), "authenticated as %s (%s)\n", who ? who : "?",
                         spnego_mech_name(&g));
                free(who);
                logons++;
                rc = reply(fd, 200, out, out_len, body);
            } else if (major == GSS_S_CONTINUE_NEEDED) {
                rc = reply(fd, 401, out, out_len, "continue\n");
            } else {
                snprintf(last, sizeof(last), "refused 0x%x (%s)", major, spnego_error(&g));
                failures++;
                rc = reply(fd, 401, NULL, 0, "refused\n");
            }
            free(out);
            if (major != GSS_S_CONTINUE_NEEDED) {
                spnego_peer_free(&g);
                fresh = 1;
            }
        }
        free(tok);
        memmove(buf, buf + hl, have - (size_t)hl + 1);
        have -= (size_t)hl;
        if (rc != 0)
            break;
    }
    if (!fresh)
        spnego_peer_free(&g);
    close(fd);
    printf("%s\n", last);
    return logons > 0 && failures == 0 ? 0 : 1;
}
