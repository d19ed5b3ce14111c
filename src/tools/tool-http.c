/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-http.c - `sspi server --http` and `sspi client --http`: HTTP
 * authentication as RFC 4559 describes it, so curl --negotiate (or any
 * browser) can log on to a libsspi acceptor and the client can log on to
 * any Negotiate web server.
 *
 * Server: every request on a connection that has not authenticated gets
 * 401 with "WWW-Authenticate: <scheme>"; "Authorization: <scheme> <base64>"
 * runs one AcceptSecurityContext leg and is answered with 401 and the next
 * token, or, once the context is complete, 200 with the last token (if
 * any) and "authenticated as NAME".  Later requests on the same keep-alive
 * connection are answered 200 without a new handshake (the connection is
 * authenticated, as IIS does for NTLM); a new Authorization header starts
 * a new context.  The scheme is "Negotiate" for Negotiate and Kerberos,
 * "NTLM" for NTLM, else the package name.
 *
 * Client: GET URL; on 401 with our scheme, InitializeSecurityContext legs
 * ride in Authorization headers on the same connection until 200; a token
 * in the final 200 is passed to InitializeSecurityContext too (mutual
 * authentication, the acceptor's mechListMIC).
 *
 * The parsing (message heads, base64, URLs) is in tool-http-wire.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tools/json.h"
#include "tools/tool.h"

#define HTTP_MAX_HEAD TOOL_HTTP_MAX_HEAD
#define HTTP_MAX_BODY (1u << 20)

/* ---- connection I/O ----------------------------------------------------------------- */

/* A connection's read buffer: what came in beyond the current message. */
struct http_conn {
    int fd;
    char buf[HTTP_MAX_HEAD];
    size_t have;
};

/* Read one head (through the blank line) into head[0..*len). 1 ok, 0 EOF
 * before any byte, -1 error or too big. */
static int read_head(struct http_conn *c, char *head, size_t *len)
{
    for (;;) {
        char *end = NULL;
        for (size_t i = 3; i < c->have && end == NULL; i++)
            if (memcmp(c->buf + i - 3, "\r\n\r\n", 4) == 0)
                end = c->buf + i + 1;
        if (end != NULL) {
            *len = (size_t)(end - c->buf);
            memcpy(head, c->buf, *len);
            memmove(c->buf, end, c->have - *len);
            c->have -= *len;
            return 1;
        }
        if (c->have == sizeof(c->buf))
            return -1;
        ssize_t n = read(c->fd, c->buf + c->have, sizeof(c->buf) - c->have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 && c->have == 0 ? 0 : -1;
        c->have += (size_t)n;
    }
}

/* Read and drop (or keep, when `keep` is not NULL) a body of `len` bytes. */
static bool read_body(struct http_conn *c, unsigned long long len, char *keep, size_t cap,
                      size_t *kept)
{
    size_t k = 0;

    if (len > HTTP_MAX_BODY)
        return false;
    while (len > 0) {
        if (c->have == 0) {
            ssize_t n = read(c->fd, c->buf, sizeof(c->buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            c->have = (size_t)n;
        }
        size_t take = c->have < len ? c->have : (size_t)len;
        if (keep != NULL && k < cap) {
            size_t room = cap - k < take ? cap - k : take;
            memcpy(keep + k, c->buf, room);
            k += room;
        }
        memmove(c->buf, c->buf + take, c->have - take);
        c->have -= take;
        len -= take;
    }
    if (kept != NULL)
        *kept = k;
    return true;
}

/* Write a response or request: `first` line, optional auth header with a
 * token, and a body. */
static bool send_message(int fd, const char *first, const char *auth_name, const char *scheme,
                         const uint8_t *tok, uint32_t tok_len, const char *extra, const char *body)
{
    size_t blen = body ? strlen(body) : 0;
    size_t cap = 512 + strlen(first) + (extra ? strlen(extra) : 0) + (tok_len + 2) / 3 * 4;
    char *msg = malloc(cap + blen);
    size_t n;

    if (msg == NULL)
        return false;
    n = (size_t)snprintf(msg, cap, "%s\r\n", first);
    if (auth_name != NULL) {
        n += (size_t)snprintf(msg + n, cap - n, "%s: %s", auth_name, scheme);
        if (tok_len > 0) {
            msg[n++] = ' ';
            n += tool_b64_encode(tok, tok_len, msg + n, cap - n);
        }
        n += (size_t)snprintf(msg + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(msg + n, cap - n, "%sContent-Length: %zu\r\n\r\n", extra ? extra : "",
                          blen);
    if (blen > 0)
        memcpy(msg + n, body, blen);
    bool ok = tool_write_all(fd, msg, n + blen);
    free(msg);
    return ok;
}

const char *tool_http_scheme(const char *package)
{
    if (strcasecmp(package, "NTLM") == 0)
        return "NTLM";
    if (strcasecmp(package, "Negotiate") == 0 || strcasecmp(package, "Kerberos") == 0)
        return "Negotiate";
    return package;
}

/* ---- server ------------------------------------------------------------------------ */

struct http_session {
    const struct tool_http_server *srv;
    const char *peer;
    struct tool_side side;
    bool authenticated;
    char *name;
    unsigned requests, logons, failures;
};

static void http_log(const struct http_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void http_log(const struct http_session *s, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (s->srv->json)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(s->srv->out_lock);
    printf("client %s: ", s->peer);
    tool_put_text(stdout, line);
    putchar('\n');
    fflush(stdout);
    pthread_mutex_unlock(s->srv->out_lock);
}

static void http_event(const struct http_session *s, const char *event, const char *call,
                       SECURITY_STATUS st, const char *name)
{
    struct json_writer jw;

    if (!s->srv->json)
        return;
    pthread_mutex_lock(s->srv->out_lock);
    json_init_compact(&jw, stdout);
    json_begin_object(&jw);
    json_kv_string(&jw, "event", event);
    json_kv_string(&jw, "peer", s->peer);
    if (call != NULL) {
        json_kv_string(&jw, "call", call);
        json_kv_string(&jw, "status", libsspi_status_name(st));
    }
    if (name != NULL)
        json_kv_string(&jw, "name", name);
    json_kv_uint(&jw, "requests", s->requests);
    json_end_object(&jw);
    json_finish(&jw);
    pthread_mutex_unlock(s->srv->out_lock);
}

static void forget_context(struct http_session *s)
{
    if (s->side.have_ctx)
        DeleteSecurityContext(&s->side.ctx);
    s->side.have_ctx = false;
    s->authenticated = false;
    free(s->name);
    s->name = NULL;
}

/* One Authorization header: a handshake leg, answered 401 or 200. */
static bool http_leg(struct http_session *s, int fd, const struct tool_http_msg *m,
                     const char *keep)
{
    const char *scheme = s->srv->scheme;
    uint8_t *in = malloc(m->token_len), *out = malloc(s->side.max_token);
    size_t in_len = 0;
    uint32_t out_len = 0;
    bool ok = false;

    if (in == NULL || out == NULL)
        goto out;
    if (s->authenticated)
        forget_context(s); /* a new logon on this connection */
    if (!tool_b64_decode(m->token, m->token_len, in, m->token_len, &in_len) || in_len == 0) {
        ok = send_message(fd, "HTTP/1.1 400 Bad Request", NULL, NULL, NULL, 0, keep,
                          "bad Authorization token\n");
        goto out;
    }
    SECURITY_STATUS st = tool_side_step(&s->side, in, (uint32_t)in_len, out, &out_len);
    http_event(s, "handshake", "AcceptSecurityContext", st, NULL);
    if (st == SEC_I_CONTINUE_NEEDED) {
        ok = send_message(fd, "HTTP/1.1 401 Unauthorized", "WWW-Authenticate", scheme, out, out_len,
                          keep, "continue\n");
    } else if (st == SEC_E_OK) {
        char body[600];
        SECURITY_STATUS ns = tool_query_name(&s->side.ctx, &s->name);
        s->authenticated = true;
        s->logons++;
        snprintf(body, sizeof(body), "authenticated as %s\n",
                 ns == SEC_E_OK && s->name ? s->name : "(no name)");
        http_log(s, "authenticated as %s", s->name ? s->name : "(no name)");
        http_event(s, "authenticated", NULL, 0, s->name);
        ok = send_message(fd, "HTTP/1.1 200 OK", out_len ? "WWW-Authenticate" : NULL, scheme, out,
                          out_len, keep, body);
    } else {
        char buf[96];
        s->failures++;
        http_log(s, "AcceptSecurityContext: %s", tool_status_str(st, buf, sizeof(buf)));
        forget_context(s);
        ok = send_message(fd, "HTTP/1.1 401 Unauthorized", "WWW-Authenticate", scheme, NULL, 0,
                          keep, "authentication failed\n");
    }
out:
    free(in);
    free(out);
    return ok;
}

/* One request; false when the connection must end. */
static bool http_request(struct http_session *s, struct http_conn *c)
{
    char head[HTTP_MAX_HEAD];
    size_t len;
    struct tool_http_msg m;
    int r = read_head(c, head, &len);

    if (r <= 0)
        return false;
    s->requests++;
    if (!tool_http_parse_head(head, len, true, s->srv->scheme, &m) || m.chunked ||
        !read_body(c, m.have_length ? m.content_length : 0, NULL, 0, NULL)) {
        send_message(c->fd, "HTTP/1.1 400 Bad Request", NULL, NULL, NULL, 0,
                     "Connection: close\r\n", "bad request\n");
        return false;
    }
    bool keep = m.minor == 1 ? !m.close : m.keep_alive;
    const char *hdr = keep ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    bool ok;
    if (m.have_auth && m.token_len > 0) {
        ok = http_leg(s, c->fd, &m, hdr);
    } else if (s->authenticated) {
        char body[600];
        snprintf(body, sizeof(body), "authenticated as %s\n", s->name ? s->name : "(no name)");
        ok = send_message(c->fd, "HTTP/1.1 200 OK", NULL, NULL, NULL, 0, hdr, body);
    } else {
        ok = send_message(c->fd, "HTTP/1.1 401 Unauthorized", "WWW-Authenticate", s->srv->scheme,
                          NULL, 0, hdr, "authentication required\n");
    }
    return ok && keep;
}

int tool_http_serve(const struct tool_http_server *srv, int fd, const char *peer,
                    const struct tool_side *proto)
{
    struct http_session s = {.srv = srv, .peer = peer, .side = *proto};
    struct http_conn *c = calloc(1, sizeof(*c));

    s.side.have_cred = false; /* the credential belongs to the caller */
    s.side.have_ctx = false;
    s.side.cb_buf = NULL;
    http_event(&s, "connected", NULL, 0, NULL);
    if (c != NULL) {
        c->fd = fd;
        tool_io_deadline(srv->timeout);
        while (http_request(&s, c))
            tool_io_deadline(srv->timeout);
        tool_io_deadline(0);
    }
    http_log(&s, "closed after %u requests, %u logons", s.requests, s.logons);
    http_event(&s, "closed", NULL, 0, NULL);
    forget_context(&s);
    free(c);
    return s.logons > 0 && s.failures == 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}

/* ---- client ------------------------------------------------------------------------ */

/* Send a GET (with a token when tok_len > 0) and read the response head
 * and body; false on I/O or protocol errors. */
static bool http_get(struct http_conn *c, const struct tool_http_url *u, const char *scheme,
                     const uint8_t *tok, uint32_t tok_len, struct tool_http_msg *m, char *body,
                     size_t cap, size_t *body_len)
{
    char first[1200], extra[600];
    char *head = malloc(HTTP_MAX_HEAD);
    size_t len;
    bool ok = false;

    if (head == NULL)
        return false;
    snprintf(first, sizeof(first), "GET %s HTTP/1.1", u->path);
    snprintf(extra, sizeof(extra), "Host: %s\r\nConnection: keep-alive\r\n", u->authority);
    if (send_message(c->fd, first, tok_len ? "Authorization" : NULL, scheme, tok, tok_len, extra,
                     NULL) &&
        read_head(c, head, &len) == 1 && tool_http_parse_head(head, len, false, scheme, m) &&
        !m->chunked && m->have_length && read_body(c, m->content_length, body, cap - 1, body_len)) {
        body[*body_len] = 0;
        ok = true;
    }
    free(head);
    return ok;
}

int tool_http_client(const char *url, struct tool_side *side, const char *scheme)
{
    struct tool_http_url u;
    char body[4096];
    struct tool_http_msg *m = malloc(sizeof(*m));
    struct http_conn *c = calloc(1, sizeof(*c));
    uint8_t *in = malloc(side->max_token), *out = malloc(side->max_token);
    uint32_t out_len = 0;
    size_t body_len = 0, in_len = 0;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    int rc = TOOL_EXIT_FAILED, legs = 0;

    if (!tool_http_parse_url(url, &u)) {
        tool_err("client", "--http: '%s' is not an http://HOST[:PORT]/PATH URL", url);
        rc = TOOL_EXIT_USAGE;
        goto out;
    }
    if (m == NULL || c == NULL || in == NULL || out == NULL)
        goto out;
    if (side->target == NULL) {
        /* RFC 4559: the service principal is HTTP/<host>. */
        snprintf(side->http_spn, sizeof(side->http_spn), "HTTP/%s", u.host);
        side->target = side->http_spn;
    }
    c->fd = tool_net_open("client", u.hostport, false, NULL, 0);
    if (c->fd < 0) {
        rc = c->fd == -2 ? TOOL_EXIT_USAGE : TOOL_EXIT_FAILED;
        goto out;
    }
    tool_net_set_timeouts(c->fd);
    if (!http_get(c, &u, scheme, NULL, 0, m, body, sizeof(body), &body_len))
        goto io_error;
    printf("GET %s: %d\n", u.path, m->status);
    if (m->status == 401 && !m->have_auth) {
        tool_err("client", "the server does not offer %s", scheme);
        goto out;
    }
    while (m->status == 401 && m->have_auth && legs++ < TOOL_NET_MAX_LEGS) {
        bool have_in = m->token_len > 0;
        if (have_in && !tool_b64_decode(m->token, m->token_len, in, side->max_token, &in_len))
            goto io_error;
        st = tool_side_step(side, have_in ? in : NULL, (uint32_t)(have_in ? in_len : 0), out,
                            &out_len);
        printf("InitializeSecurityContextA: %s, token %u bytes\n", libsspi_status_name(st),
               out_len);
        if (!SEC_SUCCESS(st) || out_len == 0)
            goto failed;
        if (!http_get(c, &u, scheme, out, out_len, m, body, sizeof(body), &body_len))
            goto io_error;
        printf("GET %s (%s): %d\n", u.path, scheme, m->status);
    }
    if (m->status == 200 && m->have_auth && m->token_len > 0) {
        /* The acceptor's last token: mutual authentication, its MIC. */
        if (!tool_b64_decode(m->token, m->token_len, in, side->max_token, &in_len))
            goto io_error;
        st = tool_side_step(side, in, (uint32_t)in_len, out, &out_len);
        printf("InitializeSecurityContextA (final token): %s\n", libsspi_status_name(st));
    }
    if (m->status == 200 && st == SEC_E_OK) {
        fputs(body, stdout);
        rc = TOOL_EXIT_OK;
    } else if (m->status == 200) {
        tool_err("client", "the server answered 200 but the context is not complete (%s)",
                 libsspi_status_name(st));
    } else {
        tool_err("client", "the server answered %d", m->status);
    }
    goto out;
failed:
    tool_err_status("client", "InitializeSecurityContextA", st);
    goto out;
io_error:
    tool_err("client", "--http: connection or protocol error talking to %s", u.hostport);
out:
    if (c != NULL && c->fd > 0)
        close(c->fd);
    free(c);
    free(m);
    free(in);
    free(out);
    return rc;
}
