/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer-http.c - the NTLM-authenticating HTTP server thread of
 * check-ntlm-peers (see peer-http.h).
 */
#include "peer-http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "peer-util.h"

#define PEER_HTTP_MAX_HEADER 8192
#define PEER_HTTP_MAX_BODY   65536
#define PEER_HTTP_TIMEOUT    60

#define PEER_HTTP_ASC_FLAGS (ASC_REQ_CONNECTION | ASC_REQ_INTEGRITY | ASC_REQ_ALLOCATE_MEMORY)

/* Per connection: buffered input and the NTLM context being built. */
struct peer_http_conn {
    int fd;
    char buf[PEER_HTTP_MAX_HEADER + 1];
    size_t have;
    CtxtHandle ctx;
    int have_ctx; /* a context exists */
    int pending;  /* a CHALLENGE was sent, the AUTHENTICATE is due */
};

static void peer_http_note(struct peer_http *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void peer_http_note(struct peer_http *h, const char *fmt, ...)
{
    va_list ap;

    if (h->error[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(h->error, sizeof(h->error), fmt, ap);
    va_end(ap);
}

static int peer_http_send_all(int fd, const char *p, size_t n)
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

/* Sends a response; `auth` is the WWW-Authenticate value or NULL. */
static int peer_http_reply(struct peer_http_conn *c, int code, const char *auth, const char *body)
{
    char head[PEER_HTTP_MAX_HEADER];
    const char *reason = code == 200 ? "OK" : code == 401 ? "Unauthorized" : "Bad Request";
    int n;

    if (auth != NULL && strlen(auth) > PEER_HTTP_MAX_HEADER - 256)
        return -1;
    n = snprintf(head, sizeof(head),
                 "HTTP/1.1 %d %s\r\n"
                 "%s%s%s"
                 "Content-Type: text/plain\r\n"
                 "Content-Length: %zu\r\n"
                 "Connection: %s\r\n"
                 "\r\n",
                 code, reason, auth ? "WWW-Authenticate: " : "", auth ? auth : "",
                 auth ? "\r\n" : "", strlen(body), code == 400 ? "close" : "keep-alive");
    if (n < 0 || (size_t)n >= sizeof(head))
        return -1;
    if (peer_http_send_all(c->fd, head, (size_t)n) != 0 ||
        peer_http_send_all(c->fd, body, strlen(body)) != 0)
        return -1;
    return 0;
}

/* Reads until the buffer holds a whole header block; returns its length
 * including the blank line, 0 at a clean end of connection, -1 on error,
 * timeout or oversize. */
static ssize_t peer_http_read_head(struct peer_http_conn *c)
{
    for (;;) {
        char *end;
        ssize_t r;

        c->buf[c->have] = '\0';
        end = strstr(c->buf, "\r\n\r\n");
        if (end != NULL)
            return end + 4 - c->buf;
        if (c->have >= PEER_HTTP_MAX_HEADER)
            return -1;
        r = recv(c->fd, c->buf + c->have, PEER_HTTP_MAX_HEADER - c->have, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && c->have == 0)
            return 0;
        if (r <= 0)
            return -1;
        c->have += (size_t)r;
    }
}

/* Value of header `name` in the header block (NUL-terminated copy in out);
 * 1 if found, 0 if not, -1 if it does not fit. */
static int peer_http_header(const char *head, const char *name, char *out, size_t size)
{
    const char *line = strstr(head, "\r\n");
    size_t n = strlen(name);

    while (line != NULL && line[2] != '\r') {
        const char *p = line + 2, *eol = strstr(p, "\r\n");
        if (eol == NULL)
            return 0;
        if ((size_t)(eol - p) > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            p += n + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            if ((size_t)(eol - p) >= size)
                return -1;
            memcpy(out, p, (size_t)(eol - p));
            out[eol - p] = '\0';
            return 1;
        }
        line = eol;
    }
    return 0;
}

static void peer_http_drop_ctx(struct peer_http_conn *c)
{
    if (c->have_ctx)
        DeleteSecurityContext(&c->ctx);
    c->have_ctx = 0;
    c->pending = 0;
}

static void peer_http_record(struct peer_http *h, SECURITY_STATUS st, const uint8_t *tok,
                             size_t len)
{
    struct peer_http_leg *l;

    if (h->nlegs >= PEER_HTTP_MAX_LEGS)
        return;
    l = &h->legs[h->nlegs++];
    l->status = st;
    l->token = malloc(len ? len : 1);
    l->len = l->token ? len : 0;
    if (l->token != NULL)
        memcpy(l->token, tok, len);
}

/* One NTLM leg: tok is the decoded Authorization token.  Answers the
 * request; returns -1 if the connection must be dropped. */
static int peer_http_ntlm(struct peer_http *h, struct peer_http_conn *c, const uint8_t *tok,
                          size_t len)
{
    SecBuffer inb = {(uint32_t)len, SECBUFFER_TOKEN, (void *)tok};
    SecBuffer outb = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc indesc = {SECBUFFER_VERSION, 1, &inb};
    SecBufferDesc outdesc = {SECBUFFER_VERSION, 1, &outb};
    uint32_t attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS st;
    char body[512], *auth = NULL;
    int ret = -1;

    if (!c->pending)
        peer_http_drop_ctx(c);
    st = AcceptSecurityContext(&h->cred, c->pending ? &c->ctx : NULL, &indesc, PEER_HTTP_ASC_FLAGS,
                               SECURITY_NATIVE_DREP, &c->ctx, &outdesc, &attrs, &expiry);
    peer_http_record(h, st, tok, len);
    if (st == SEC_I_CONTINUE_NEEDED) {
        char *b64;

        c->have_ctx = 1;
        c->pending = 1;
        if (outb.pvBuffer == NULL || outb.cbBuffer == 0) {
            peer_http_note(h, "AcceptSecurityContext gave no CHALLENGE");
            goto out;
        }
        b64 = peer_b64_encode(outb.pvBuffer, outb.cbBuffer);
        if (b64 == NULL || asprintf(&auth, "NTLM %s", b64) < 0)
            auth = NULL;
        free(b64);
        if (auth == NULL)
            goto out;
        ret = peer_http_reply(c, 401, auth, "challenge\n");
    } else if (st == SEC_E_OK) {
        SecPkgContext_NamesA names = {NULL};
        SECURITY_STATUS q;

        c->have_ctx = 1;
        c->pending = 0;
        q = QueryContextAttributesA(&c->ctx, SECPKG_ATTR_NAMES, &names);
        if (q != SEC_E_OK || names.sUserName == NULL) {
            peer_http_note(h, "QueryContextAttributesA(NAMES): 0x%08x", (unsigned)q);
            snprintf(body, sizeof(body), "user=?\n");
        } else {
            snprintf(h->user, sizeof(h->user), "%s", names.sUserName);
            snprintf(body, sizeof(body), "user=%s\n", names.sUserName);
        }
        if (names.sUserName != NULL)
            FreeContextBuffer(names.sUserName);
        h->logons++;
        h->attrs = attrs;
        peer_http_drop_ctx(c);
        ret = peer_http_reply(c, 200, NULL, body);
    } else {
        /* after a failed second leg the context is only good for
         * DeleteSecurityContext; a failed first leg made none */
        peer_http_drop_ctx(c);
        ret = peer_http_reply(c, 401, "NTLM", "denied\n");
    }
out:
    if (outb.pvBuffer != NULL)
        FreeContextBuffer(outb.pvBuffer);
    free(auth);
    return ret;
}

/* Serves requests on one connection until it closes or goes wrong. */
static void peer_http_serve(struct peer_http *h, int fd)
{
    struct peer_http_conn *c = calloc(1, sizeof(*c));
    char value[PEER_HTTP_MAX_HEADER];

    if (c == NULL) {
        peer_http_note(h, "out of memory");
        return;
    }
    c->fd = fd;
    for (;;) {
        ssize_t head = peer_http_read_head(c);
        unsigned long body = 0;
        uint8_t *tok = NULL;
        size_t toklen = 0;
        int r;

        if (head <= 0) {
            if (head < 0)
                peer_http_note(h, "bad, oversized or timed-out request header");
            break;
        }
        h->requests++;
        c->buf[head - 2] = '\0'; /* keep one CRLF after the last line */
        if (strncmp(c->buf, "GET ", 4) != 0) {
            peer_http_note(h, "not a GET request");
            peer_http_reply(c, 400, NULL, "bad request\n");
            break;
        }
        r = peer_http_header(c->buf, "Content-Length", value, sizeof(value));
        if (r == 1) {
            char *end;
            body = strtoul(value, &end, 10);
            if (*end != '\0' || body > 0) {
                peer_http_note(h, "GET with a body");
                peer_http_reply(c, 400, NULL, "bad request\n");
                break;
            }
        }
        r = peer_http_header(c->buf, "Authorization", value, sizeof(value));
        memmove(c->buf, c->buf + head, c->have - (size_t)head);
        c->have -= (size_t)head;
        if (r == 1 && strncmp(value, "NTLM ", 5) == 0) {
            if (peer_b64_decode(value + 5, strlen(value + 5), &tok, &toklen) != 0) {
                peer_http_note(h, "bad base64 in Authorization");
                peer_http_reply(c, 400, NULL, "bad request\n");
                break;
            }
            r = peer_http_ntlm(h, c, tok, toklen);
            free(tok);
            if (r != 0)
                break;
        } else {
            peer_http_drop_ctx(c);
            if (peer_http_reply(c, 401, "NTLM", "authenticate\n") != 0)
                break;
        }
    }
    peer_http_drop_ctx(c);
    free(c);
}

static void *peer_http_thread(void *arg)
{
    struct peer_http *h = arg;

    for (;;) {
        struct pollfd p[2] = {{h->listen_fd, POLLIN, 0}, {h->stop_pipe[0], POLLIN, 0}};
        struct timeval tv = {PEER_HTTP_TIMEOUT, 0};
        int fd;

        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            peer_http_note(h, "poll: %s", strerror(errno));
            break;
        }
        if (p[1].revents != 0)
            break;
        if (!(p[0].revents & POLLIN))
            continue;
        fd = accept4(h->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        h->connections++;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        peer_http_serve(h, fd);
        close(fd);
    }
    return NULL;
}

/* See peer-http.h. */
int peer_http_start(struct peer_http *h)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    TimeStamp expiry;
    SECURITY_STATUS st;
    int have_cred = 0;

    memset(h, 0, sizeof(*h));
    h->listen_fd = h->stop_pipe[0] = h->stop_pipe[1] = -1;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                   NULL, &h->cred, &expiry);
    if (st != SEC_E_OK) {
        peer_http_note(h, "AcquireCredentialsHandleA: 0x%08x", (unsigned)st);
        goto fail;
    }
    have_cred = 1;
    if (pipe2(h->stop_pipe, O_CLOEXEC) != 0) {
        peer_http_note(h, "pipe: %s", strerror(errno));
        goto fail;
    }
    h->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (h->listen_fd < 0 || bind(h->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(h->listen_fd, 4) != 0 ||
        getsockname(h->listen_fd, (struct sockaddr *)&sa, &salen) != 0) {
        peer_http_note(h, "socket: %s", strerror(errno));
        goto fail;
    }
    h->port = ntohs(sa.sin_port);
    if (pthread_create(&h->thread, NULL, peer_http_thread, h) != 0) {
        peer_http_note(h, "pthread_create failed");
        goto fail;
    }
    h->running = 1;
    return 0;
fail:
    if (have_cred)
        FreeCredentialsHandle(&h->cred);
    if (h->listen_fd >= 0)
        close(h->listen_fd);
    for (int i = 0; i < 2; i++)
        if (h->stop_pipe[i] >= 0)
            close(h->stop_pipe[i]);
    h->listen_fd = h->stop_pipe[0] = h->stop_pipe[1] = -1;
    return -1;
}

/* See peer-http.h. */
void peer_http_stop(struct peer_http *h)
{
    if (!h->running)
        return;
    while (write(h->stop_pipe[1], "x", 1) < 0 && errno == EINTR)
        ;
    pthread_join(h->thread, NULL);
    h->running = 0;
    FreeCredentialsHandle(&h->cred);
    close(h->listen_fd);
    close(h->stop_pipe[0]);
    close(h->stop_pipe[1]);
    h->listen_fd = h->stop_pipe[0] = h->stop_pipe[1] = -1;
}

/* See peer-http.h. */
void peer_http_free(struct peer_http *h)
{
    for (unsigned i = 0; i < h->nlegs; i++)
        free(h->legs[i].token);
    h->nlegs = 0;
}
