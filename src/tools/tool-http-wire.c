/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-http-wire.c - the HTTP text the `--http` modes read and write:
 * message heads (request and status lines, the headers that matter for RFC
 * 4559 authentication), base64 tokens and http:// URLs.  Pure functions
 * over caller buffers, with a fuzz target (tests/fuzz/fuzz-http.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/tool.h"

/* ---- base64 (RFC 4648, with padding) -------------------------------------------- */

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t tool_b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
    size_t need = (len + 2) / 3 * 4, o = 0;

    if (cap < need + 1)
        return 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = b64_chars[v >> 18 & 63];
        out[o++] = b64_chars[v >> 12 & 63];
        out[o++] = i + 1 < len ? b64_chars[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? b64_chars[v & 63] : '=';
    }
    out[o] = 0;
    return o;
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64_chars, c) : NULL;

    return p != NULL ? (int)(p - b64_chars) : -1;
}

bool tool_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t o = 0;

    if (len % 4 != 0)
        return false;
    for (size_t i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        for (int k = 0; k < 4; k++) {
            if (in[i + k] == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad > 0 || (v[k] = b64_value(in[i + k])) < 0) {
                return false;
            }
        }
        /* Canonical only (RFC 4648 3.5): the bits a pad drops are zero. */
        if ((pad == 1 && (v[2] & 0x3) != 0) || (pad == 2 && (v[1] & 0xf) != 0))
            return false;
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        size_t n = 3 - (size_t)pad;
        if (o + n > cap)
            return false;
        for (size_t k = 0; k < n; k++)
            out[o++] = (uint8_t)(w >> (16 - 8 * k));
    }
    *out_len = o;
    return true;
}

/* ---- message heads ---------------------------------------------------------------- */

/* A header value "<scheme>" or "<scheme> <token>" for our scheme: *tok is
 * the token text (empty when bare). */
static bool auth_value(const char *v, size_t n, const char *scheme, const char **tok,
                       size_t *tok_len)
{
    size_t sl = strlen(scheme);

    if (n < sl || strncasecmp(v, scheme, sl) != 0 || (n > sl && v[sl] != ' '))
        return false;
    v += sl;
    n -= sl;
    while (n > 0 && *v == ' ')
        v++, n--;
    *tok = v;
    *tok_len = n;
    return true;
}

static bool header_is(const char *line, size_t n, const char *name, const char **val,
                      size_t *val_len)
{
    size_t nl = strlen(name);

    if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return false;
    line += nl + 1;
    n -= nl + 1;
    while (n > 0 && (*line == ' ' || *line == '\t'))
        line++, n--;
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    *val = line;
    *val_len = n;
    return true;
}

static bool parse_start_line(const char *line, size_t n, bool request, struct tool_http_msg *m)
{
    char buf[1100];

    if (n >= sizeof(buf))
        return false;
    memcpy(buf, line, n);
    buf[n] = 0;
    if (request) {
        char version[16];
        if (sscanf(buf, "%15s %1023s %15s", m->method, m->path, version) != 3 ||
            strncmp(version, "HTTP/1.", 7) != 0 || (version[7] != '0' && version[7] != '1') ||
            version[8] != 0)
            return false;
        m->minor = version[7] - '0';
        return true;
    }
    if (n < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || (buf[7] != '0' && buf[7] != '1') ||
        buf[8] != ' ')
        return false;
    m->minor = buf[7] - '0';
    char *end;
    long status = strtol(buf + 9, &end, 10);
    if (end != buf + 12 || status < 100 || status > 599)
        return false;
    m->status = (int)status;
    return true;
}

static bool parse_header(const char *line, size_t n, bool request, const char *scheme,
                         struct tool_http_msg *m)
{
    const char *v, *tok;
    size_t vl, tl;

    if (header_is(line, n, "Content-Length", &v, &vl)) {
        unsigned long long len = 0;
        if (vl == 0 || vl > 10 || m->have_length)
            return false;
        for (size_t i = 0; i < vl; i++) {
            if (v[i] < '0' || v[i] > '9')
                return false;
            len = len * 10 + (unsigned)(v[i] - '0');
        }
        m->content_length = len;
        m->have_length = true;
    } else if (header_is(line, n, "Transfer-Encoding", &v, &vl)) {
        m->chunked = true;
    } else if (header_is(line, n, "Connection", &v, &vl)) {
        if (vl == 5 && strncasecmp(v, "close", 5) == 0)
            m->close = true;
        if (vl == 10 && strncasecmp(v, "keep-alive", 10) == 0)
            m->keep_alive = true;
    } else if (header_is(line, n, request ? "Authorization" : "WWW-Authenticate", &v, &vl) &&
               auth_value(v, vl, scheme, &tok, &tl)) {
        if (m->have_auth || tl >= sizeof(m->token))
            return false;
        memcpy(m->token, tok, tl);
        m->token[tl] = 0;
        m->token_len = tl;
        m->have_auth = true;
    }
    return true;
}

bool tool_http_parse_head(const char *head, size_t len, bool request, const char *scheme,
                          struct tool_http_msg *m)
{
    size_t at = 0;
    bool first = true;

    memset(m, 0, sizeof(*m));
    while (at < len) {
        const char *eol = memchr(head + at, '\n', len - at);
        if (eol == NULL)
            return false;
        size_t n = (size_t)(eol - (head + at));
        if (n == 0 || head[at + n - 1] != '\r')
            return false;
        n--;
        if (n == 0)
            return !first && at + 2 == len; /* the blank line ends the head */
        const char *line = head + at;
        if (memchr(line, 0, n) != NULL)
            return false;
        bool ok = first ? parse_start_line(line, n, request, m)
                        : parse_header(line, n, request, scheme, m);
        if (!ok)
            return false;
        first = false;
        at += n + 2;
    }
    return false;
}

bool tool_http_parse_url(const char *url, struct tool_http_url *u)
{
    if (strncasecmp(url, "http://", 7) != 0)
        return false;
    const char *a = url + 7, *slash = strchr(a, '/');
    size_t n = slash ? (size_t)(slash - a) : strlen(a);
    if (n == 0 || n >= sizeof(u->authority))
        return false;
    memcpy(u->authority, a, n);
    u->authority[n] = 0;
    const char *port = NULL, *h = u->authority;
    size_t hl;
    if (h[0] == '[') {
        const char *close = strchr(h, ']');
        if (close == NULL || (close[1] != 0 && close[1] != ':'))
            return false;
        h++;
        hl = (size_t)(close - h);
        port = close[1] == ':' ? close + 2 : NULL;
    } else {
        const char *colon = strrchr(h, ':');
        hl = colon ? (size_t)(colon - h) : n;
        port = colon ? colon + 1 : NULL;
    }
    if (hl == 0 || (port != NULL && *port == 0))
        return false;
    memcpy(u->host, h, hl);
    u->host[hl] = 0;
    snprintf(u->hostport, sizeof(u->hostport), "%s%s", u->authority, port ? "" : ":80");
    u->path = slash ? slash : "/";
    return true;
}
