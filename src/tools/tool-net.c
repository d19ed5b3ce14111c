/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-net.c - the wire and socket code `sspi server` and `sspi client`
 * share: HOST:PORT parsing, listening and connecting sockets, frames,
 * status words and the signed/sealed message exchange.
 *
 * Wire format (all integers big-endian):
 *   frame    = length:u32 bytes[length]
 *   handshake: the client sends a frame with its token; the server answers
 *              status:u32 (its AcceptSecurityContext result) and a frame
 *              with its token (possibly empty); repeated until both sides
 *              are complete or one fails.
 *   messages: the client sends a kind frame ("S" or "E"), then for "S" a
 *              data frame and a signature frame, for "E" a token frame, a
 *              data frame and a padding frame (EncryptMessage output).  The
 *              server answers status:u32 (VerifySignature/DecryptMessage);
 *              if that is SEC_E_OK it sends the same plaintext back,
 *              signed or sealed with its own context, as the same frames
 *              without the kind.  The client closes the connection when
 *              done.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "tools/tool.h"

const char tool_net_identity_help[] =
    "  --user USER            user name (Sample default: alice)\n"
    "  --domain DOMAIN        domain (Sample default: EXAMPLE)\n"
    "  --password PASSWORD    password (Sample default: secret)\n"
    "  --password-file FILE   read the password from the first line of FILE\n"
    "  --bindings STRING      channel bindings with STRING as application data\n";

/* Split HOST:PORT ("[v6]:port" allowed) into malloc()ed host and port. */
static bool tool_net_split(const char *arg, char **host, char **port)
{
    const char *colon;
    size_t hlen;
    const char *h = arg;

    if (arg[0] == '[') {
        const char *end = strchr(arg, ']');

        if (!end || end[1] != ':')
            return false;
        h = arg + 1;
        hlen = (size_t)(end - h);
        colon = end + 1;
    } else {
        colon = strrchr(arg, ':');
        if (!colon)
            return false;
        hlen = (size_t)(colon - arg);
    }
    if (colon[1] == '\0')
        return false;
    *host = strndup(h, hlen);
    *port = strdup(colon + 1);
    if (!*host || !*port) {
        free(*host);
        free(*port);
        return false;
    }
    return true;
}

void tool_net_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(buf, size, "?");
        return;
    }
    if (sa->sa_family == AF_INET6)
        snprintf(buf, size, "[%s]:%s", host, serv);
    else
        snprintf(buf, size, "%s:%s", host, serv);
}

void tool_net_set_timeouts(int fd)
{
    struct timeval tv = {TOOL_NET_IO_TIMEOUT, 0};
    int one = 1;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

bool tool_net_send_status(int fd, SECURITY_STATUS st)
{
    uint32_t be = htonl((uint32_t)st);

    return tool_write_all(fd, &be, 4);
}

int tool_net_recv_status(int fd, SECURITY_STATUS *st)
{
    uint32_t be;
    int r = tool_read_all(fd, &be, 4);

    if (r == 1)
        *st = (SECURITY_STATUS)ntohl(be);
    return r;
}

SECURITY_STATUS tool_net_bufs_init(struct tool_net_bufs *b, CtxtHandle *ctx)
{
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &b->sz);

    if (st != SEC_E_OK)
        return st;
    b->data = malloc(TOOL_NET_MAX_DATA);
    b->sig = malloc(b->sz.cbMaxSignature + 1);
    b->tok = malloc(b->sz.cbSecurityTrailer + 1);
    b->pad = malloc(b->sz.cbBlockSize + 1);
    if (!b->data || !b->sig || !b->tok || !b->pad)
        return SEC_E_INSUFFICIENT_MEMORY;
    return SEC_E_OK;
}

void tool_net_bufs_free(struct tool_net_bufs *b)
{
    free(b->data);
    free(b->sig);
    free(b->tok);
    free(b->pad);
}

SECURITY_STATUS tool_net_send_msg(int fd, CtxtHandle *ctx, struct tool_net_bufs *b, char kind,
                                  uint32_t len, uint32_t seq, bool with_kind, const char **call,
                                  SECURITY_STATUS *make_st, uint32_t *tok_size)
{
    SECURITY_STATUS st;

    *tok_size = 0;
    if (kind == 'S') {
        uint32_t sig_len = b->sz.cbMaxSignature;

        *call = "MakeSignature";
        st = *make_st = tool_sign(ctx, b->data, len, b->sig, &sig_len, seq);
        if (st != SEC_E_OK)
            return st;
        *tok_size = sig_len;
        *call = "send";
        if ((with_kind && !tool_send_frame(fd, "S", 1)) || !tool_send_frame(fd, b->data, len) ||
            !tool_send_frame(fd, b->sig, sig_len))
            return SEC_E_INTERNAL_ERROR;
        return SEC_E_OK;
    }
    {
        uint32_t tok_len = b->sz.cbSecurityTrailer, pad_len = b->sz.cbBlockSize;

        *call = "EncryptMessage";
        st = *make_st = tool_seal(ctx, b->tok, &tok_len, b->data, len, b->pad, &pad_len, seq);
        if (st != SEC_E_OK)
            return st;
        *tok_size = tok_len + pad_len;
        *call = "send";
        if ((with_kind && !tool_send_frame(fd, "E", 1)) || !tool_send_frame(fd, b->tok, tok_len) ||
            !tool_send_frame(fd, b->data, len) || !tool_send_frame(fd, b->pad, pad_len))
            return SEC_E_INTERNAL_ERROR;
        return SEC_E_OK;
    }
}

SECURITY_STATUS tool_net_recv_msg(int fd, CtxtHandle *ctx, struct tool_net_bufs *b, char kind,
                                  uint32_t *len, uint32_t seq, const char **call)
{
    *call = "recv";
    if (kind == 'S') {
        uint32_t sig_len;

        if (tool_recv_frame(fd, b->data, TOOL_NET_MAX_DATA, len) != 1 ||
            tool_recv_frame(fd, b->sig, b->sz.cbMaxSignature, &sig_len) != 1)
            return SEC_E_INVALID_TOKEN;
        *call = "VerifySignature";
        return tool_verify(ctx, b->data, *len, b->sig, sig_len, seq);
    }
    {
        uint32_t tok_len, pad_len;

        if (tool_recv_frame(fd, b->tok, b->sz.cbSecurityTrailer, &tok_len) != 1 ||
            tool_recv_frame(fd, b->data, TOOL_NET_MAX_DATA, len) != 1 ||
            tool_recv_frame(fd, b->pad, b->sz.cbBlockSize, &pad_len) != 1)
            return SEC_E_INVALID_TOKEN;
        *call = "DecryptMessage";
        return tool_unseal(ctx, b->tok, tok_len, b->data, len, b->pad, pad_len, seq);
    }
}

static bool tool_net_bind(int fd, const struct addrinfo *ai)
{
    int one = 1;

    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    return bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0;
}

/* The address actually bound (listening) or connected to. */
static void tool_net_local_or_peer(int fd, bool listening, const struct addrinfo *ai,
                                   const char *arg, char *addr, size_t addr_size)
{
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);

    if (!listening)
        tool_net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, addr_size);
    else if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
        tool_net_addr_str((struct sockaddr *)&ss, sslen, addr, addr_size);
    else
        snprintf(addr, addr_size, "%s", arg);
}

int tool_net_open(const char *verb, const char *arg, bool listening, char *addr, size_t addr_size)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    char *host = NULL, *port = NULL;
    int fd = -1, err;

    if (!tool_net_split(arg, &host, &port)) {
        tool_err(verb, "%s'%s' is not HOST:PORT", listening ? "--listen: " : "", arg);
        return -2;
    }
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (listening ? AI_PASSIVE : 0);
    err = getaddrinfo(listening && !*host ? NULL : host, port, &hints, &res);
    if (err) {
        tool_err(verb, "%s: %s", arg, gai_strerror(err));
        free(host);
        free(port);
        return -2;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (listening ? tool_net_bind(fd, ai) : connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
        errno = err;
    }
    if (fd < 0)
        tool_err(verb, "%s: %s", arg, strerror(errno));
    else
        tool_net_local_or_peer(fd, listening, ai, arg, addr, addr_size);
    freeaddrinfo(res);
    free(host);
    free(port);
    return fd;
}

bool tool_write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static _Thread_local struct timespec io_deadline;
static _Thread_local bool io_has_deadline;

void tool_io_deadline(unsigned long seconds)
{
    io_has_deadline = seconds != 0;
    if (io_has_deadline) {
        clock_gettime(CLOCK_MONOTONIC, &io_deadline);
        io_deadline.tv_sec += (time_t)seconds;
    }
}

/* Wait until fd is readable or the deadline passes: 1 readable, 0 timed
 * out (errno ETIMEDOUT), -1 error. */
static int wait_readable(int fd)
{
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        struct timespec now;
        long long ms;
        int r;

        clock_gettime(CLOCK_MONOTONIC, &now);
        ms = (long long)(io_deadline.tv_sec - now.tv_sec) * 1000 +
             (io_deadline.tv_nsec - now.tv_nsec) / 1000000;
        if (ms <= 0) {
            errno = ETIMEDOUT;
            return 0;
        }
        r = poll(&pfd, 1, ms > 60000 ? 60000 : (int)ms);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

int tool_read_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t got = 0;

    while (got < len) {
        ssize_t n;

        if (io_has_deadline && wait_readable(fd) != 1)
            return -1;
        n = read(fd, p + got, len - got);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            return got == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

bool tool_send_frame(int fd, const void *buf, uint32_t len)
{
    uint32_t be = htonl(len);

    return tool_write_all(fd, &be, 4) && (len == 0 || tool_write_all(fd, buf, len));
}

int tool_recv_frame(int fd, void *buf, uint32_t cap, uint32_t *len)
{
    uint32_t be;
    int r = tool_read_all(fd, &be, 4);

    if (r <= 0)
        return r;
    *len = ntohl(be);
    if (*len > cap)
        return -1;
    if (*len == 0)
        return 1;
    return tool_read_all(fd, buf, *len) == 1 ? 1 : -1;
}
