/*
 * cmd-netio.c - `sspi server` and `sspi client`: the loopback exchange
 * split over a TCP connection.
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
 *
 * With --json the client prints one JSON document at the end (shaped like
 * that of `sspi loopback`), and the server one compact JSON object per
 * event (JSON Lines), written under a lock so that the lines of clients
 * served at the same time never mix.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "tools/json.h"
#include "tools/tool.h"

#define NET_MAX_DATA (1u << 20)
#define NET_MAX_LEGS 16
#define NET_IO_TIMEOUT_SECONDS 300

enum {
    NET_OPT_LISTEN = TOOL_OPT_FIRST_LOCAL,
    NET_OPT_ONCE,
    NET_OPT_MAX_CLIENTS,
    NET_OPT_TIMEOUT,
    NET_OPT_MESSAGES,
    NET_OPT_SEAL,
    NET_OPT_NO_SEAL,
};

#define NET_SESSION_OPTIONS \
    { "user", required_argument, NULL, TOOL_OPT_USER }, \
    { "domain", required_argument, NULL, TOOL_OPT_DOMAIN }, \
    { "password", required_argument, NULL, TOOL_OPT_PASSWORD }, \
    { "password-file", required_argument, NULL, TOOL_OPT_PASSWORD_FILE }, \
    { "bindings", required_argument, NULL, TOOL_OPT_BINDINGS }, \
    { "help", no_argument, NULL, TOOL_OPT_HELP }

static const char net_identity_help[] =
    "  --user USER            user name (Sample default: alice)\n"
    "  --domain DOMAIN        domain (Sample default: EXAMPLE)\n"
    "  --password PASSWORD    password (Sample default: secret)\n"
    "  --password-file FILE   read the password from the first line of FILE\n"
    "  --bindings STRING      channel bindings with STRING as application data\n";

/* Split HOST:PORT ("[v6]:port" allowed) into malloc()ed host and port. */
static bool net_split(const char *arg, char **host, char **port)
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

/* "HOST:PORT" text of a socket address. */
static void net_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
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

static void net_set_timeouts(int fd)
{
    struct timeval tv = { NET_IO_TIMEOUT_SECONDS, 0 };
    int one = 1;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static bool net_send_status(int fd, SECURITY_STATUS st)
{
    uint32_t be = htonl((uint32_t)st);

    return tool_write_all(fd, &be, 4);
}

static int net_recv_status(int fd, SECURITY_STATUS *st)
{
    uint32_t be;
    int r = tool_read_all(fd, &be, 4);

    if (r == 1)
        *st = (SECURITY_STATUS)ntohl(be);
    return r;
}

/* Buffers sized from SECPKG_ATTR_SIZES, one set per connection. */
struct net_bufs {
    SecPkgContext_Sizes sz;
    uint8_t *data, *sig, *tok, *pad;
};

static SECURITY_STATUS net_bufs_init(struct net_bufs *b, CtxtHandle *ctx)
{
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &b->sz);

    if (st != SEC_E_OK)
        return st;
    b->data = malloc(NET_MAX_DATA);
    b->sig = malloc(b->sz.cbMaxSignature + 1);
    b->tok = malloc(b->sz.cbSecurityTrailer + 1);
    b->pad = malloc(b->sz.cbBlockSize + 1);
    if (!b->data || !b->sig || !b->tok || !b->pad)
        return SEC_E_INSUFFICIENT_MEMORY;
    return SEC_E_OK;
}

static void net_bufs_free(struct net_bufs *b)
{
    free(b->data);
    free(b->sig);
    free(b->tok);
    free(b->pad);
}

/*
 * Send b->data[0..len) signed ("S") or sealed ("E") as frames.  *make_st
 * gets the status of MakeSignature/EncryptMessage and *tok_size the size
 * of the signature, or of the trailer and padding.
 */
static SECURITY_STATUS net_send_msg(int fd, CtxtHandle *ctx, struct net_bufs *b, char kind,
                                    uint32_t len, uint32_t seq, bool with_kind,
                                    const char **call, SECURITY_STATUS *make_st,
                                    uint32_t *tok_size)
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
        if ((with_kind && !tool_send_frame(fd, "S", 1)) ||
            !tool_send_frame(fd, b->data, len) || !tool_send_frame(fd, b->sig, sig_len))
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
        if ((with_kind && !tool_send_frame(fd, "E", 1)) ||
            !tool_send_frame(fd, b->tok, tok_len) || !tool_send_frame(fd, b->data, len) ||
            !tool_send_frame(fd, b->pad, pad_len))
            return SEC_E_INTERNAL_ERROR;
        return SEC_E_OK;
    }
}

/* Receive a message of `kind` and verify/decrypt it into b->data. */
static SECURITY_STATUS net_recv_msg(int fd, CtxtHandle *ctx, struct net_bufs *b, char kind,
                                    uint32_t *len, uint32_t seq, const char **call)
{
    *call = "recv";
    if (kind == 'S') {
        uint32_t sig_len;

        if (tool_recv_frame(fd, b->data, NET_MAX_DATA, len) != 1 ||
            tool_recv_frame(fd, b->sig, b->sz.cbMaxSignature, &sig_len) != 1)
            return SEC_E_INVALID_TOKEN;
        *call = "VerifySignature";
        return tool_verify(ctx, b->data, *len, b->sig, sig_len, seq);
    }
    {
        uint32_t tok_len, pad_len;

        if (tool_recv_frame(fd, b->tok, b->sz.cbSecurityTrailer, &tok_len) != 1 ||
            tool_recv_frame(fd, b->data, NET_MAX_DATA, len) != 1 ||
            tool_recv_frame(fd, b->pad, b->sz.cbBlockSize, &pad_len) != 1)
            return SEC_E_INVALID_TOKEN;
        *call = "DecryptMessage";
        return tool_unseal(ctx, b->tok, tok_len, b->data, len, b->pad, pad_len, seq);
    }
}

/* ------------------------------------------------------------------ */
/* server                                                              */

struct net_server {
    struct tool_side proto;      /* credential and bindings shared by all */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned long active;
    unsigned long max_clients;
    unsigned long timeout;       /* seconds for the handshake, then per message */
    bool json;                   /* JSON Lines events instead of text */
    pthread_mutex_t out_lock;    /* one JSON line at a time on stdout */
};

struct net_conn {
    struct net_server *srv;
    int fd;
    char peer[NI_MAXHOST + NI_MAXSERV + 4];
};

/* One served connection: where it stands and how it ended. */
struct net_session {
    struct net_server *srv;
    const char *peer;
    SECURITY_STATUS result;
    const char *failed_call;     /* NULL while nothing failed */
    const char *error;           /* failure that is not an SSPI status */
    uint32_t messages;
};

static void net_log(const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void net_log(const char *peer, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("client %s: ", peer);
    tool_put_text(stdout, line);
    putchar('\n');
    fflush(stdout);
}

static void net_log_status(const char *peer, const char *call, SECURITY_STATUS st)
{
    char buf[96];

    net_log(peer, "%s: %s", call, tool_status_str(st, buf, sizeof(buf)));
}

/*
 * Start one JSON Lines event on stdout; holds srv->out_lock until
 * net_event_end() so that lines of concurrent clients never mix.  `peer`
 * may be NULL (server-wide events).
 */
static void net_event_begin(struct net_server *srv, struct json_writer *jw,
                            const char *event, const char *peer)
{
    pthread_mutex_lock(&srv->out_lock);
    json_init_compact(jw, stdout);
    json_begin_object(jw);
    json_kv_string(jw, "event", event);
    if (peer)
        json_kv_string(jw, "peer", peer);
}

static void net_event_end(struct net_server *srv, struct json_writer *jw)
{
    json_end_object(jw);
    json_finish(jw);
    pthread_mutex_unlock(&srv->out_lock);
}

/* "closed" event of a session (JSON mode). */
static void net_event_closed(struct net_server *srv, const char *peer, uint32_t messages,
                             SECURITY_STATUS result, const char *failed_call,
                             const char *error)
{
    struct json_writer jw;
    char hex[16];

    net_event_begin(srv, &jw, "closed", peer);
    json_kv_uint(&jw, "messages", messages);
    json_kv_string(&jw, "result", libsspi_status_name(result));
    json_kv_string(&jw, "result_value", tool_hex32((uint32_t)result, hex, sizeof(hex)));
    json_kv_string(&jw, "failed_call", failed_call);
    json_kv_string(&jw, "error", error);
    net_event_end(srv, &jw);
}

/* Record the failure that ends a session and report it in text mode:
 * `error` (if not NULL) or the call and its status. */
static void net_session_fail(struct net_session *s, const char *call, SECURITY_STATUS st,
                             const char *error)
{
    s->failed_call = call;
    s->result = st;
    s->error = error;
    if (s->srv->json)
        return;
    if (error)
        net_log(s->peer, "%s", error);
    else
        net_log_status(s->peer, call, st);
}

static void net_session_leg(struct net_session *s, int leg, SECURITY_STATUS st,
                            uint32_t in_len, uint32_t out_len)
{
    struct json_writer jw;
    char hex[16];

    if (!s->srv->json)
        return;
    net_event_begin(s->srv, &jw, "handshake", s->peer);
    json_kv_int(&jw, "leg", leg);
    json_kv_string(&jw, "side", "server");
    json_kv_string(&jw, "call", "AcceptSecurityContext");
    json_kv_string(&jw, "status", libsspi_status_name(st));
    json_kv_string(&jw, "status_value", tool_hex32((uint32_t)st, hex, sizeof(hex)));
    json_kv_uint(&jw, "input_size", in_len);
    json_kv_uint(&jw, "output_size", out_len);
    net_event_end(s->srv, &jw);
}

static void net_session_name(struct net_session *s, SECURITY_STATUS st, const char *name)
{
    struct json_writer jw;

    if (!s->srv->json) {
        if (st == SEC_E_OK)
            net_log(s->peer, "authenticated as %s", name ? name : "(no name)");
        else
            net_log(s->peer, "authenticated (SECPKG_ATTR_NAMES: %s)",
                    libsspi_status_name(st));
        return;
    }
    net_event_begin(s->srv, &jw, "authenticated", s->peer);
    json_kv_string(&jw, "name", st == SEC_E_OK ? name : NULL);
    json_kv_string(&jw, "names_status", libsspi_status_name(st));
    net_event_end(s->srv, &jw);
}

/* A received message: its check and (if attempted) the answer's status. */
static void net_session_msg(struct net_session *s, uint32_t index, char kind, uint32_t len,
                            const char *check_call, SECURITY_STATUS cst,
                            const char *answer_call, const SECURITY_STATUS *ast)
{
    struct json_writer jw;

    if (!s->srv->json)
        return;
    net_event_begin(s->srv, &jw, "message", s->peer);
    json_kv_uint(&jw, "index", index);
    json_kv_string(&jw, "kind", kind == 'S' ? "sign" : "seal");
    json_kv_uint(&jw, "size", len);
    json_kv_string(&jw, "check_call", check_call);
    json_kv_string(&jw, "check_status", libsspi_status_name(cst));
    json_kv_string(&jw, "answer_call", answer_call);
    json_kv_string(&jw, "answer_status", ast ? libsspi_status_name(*ast) : NULL);
    net_event_end(s->srv, &jw);
}

/* Serve one connection; returns a TOOL_EXIT_* code. */
static int net_serve(struct net_server *srv, int fd, const char *peer)
{
    struct tool_side side = srv->proto;
    struct net_session s = { .srv = srv, .peer = peer, .result = SEC_E_OK };
    struct net_bufs b = { 0 };
    uint8_t *ctok = NULL, *stok = NULL;
    uint32_t clen, slen, rseq = 0, sseq = 0;
    SECURITY_STATUS st = SEC_E_OK;
    const char *call;
    char *name = NULL;
    int legs = 0;

    if (srv->json) {
        struct json_writer jw;

        net_event_begin(srv, &jw, "connected", peer);
        net_event_end(srv, &jw);
    }
    side.have_cred = false;      /* the credential belongs to srv->proto */
    side.have_ctx = false;
    ctok = malloc(side.max_token);
    stok = malloc(side.max_token);
    if (!ctok || !stok) {
        net_session_fail(&s, "malloc", SEC_E_INSUFFICIENT_MEMORY, "out of memory");
        goto out;
    }
    /* The whole handshake within the timeout, then each message: a peer
     * that stalls cannot keep a client slot. */
    tool_io_deadline(srv->timeout);
    for (;;) {
        int r = tool_recv_frame(fd, ctok, side.max_token, &clen);

        if (r != 1) {
            net_session_fail(&s, "recv", SEC_E_INTERNAL_ERROR,
                             errno == ETIMEDOUT && r < 0
                                 ? "timed out during the handshake (--timeout)"
                                 : "connection lost during the handshake");
            goto out;
        }
        st = tool_side_step(&side, ctok, clen, stok, &slen);
        legs++;
        net_session_leg(&s, legs, st, clen, slen);
        if (!net_send_status(fd, st) || !tool_send_frame(fd, stok, slen)) {
            net_session_fail(&s, "send", SEC_E_INTERNAL_ERROR,
                             "connection lost during the handshake");
            goto out;
        }
        if (!SEC_SUCCESS(st)) {
            net_session_fail(&s, "AcceptSecurityContext", st, NULL);
            goto out;
        }
        if (st == SEC_E_OK)
            break;
        if (legs >= NET_MAX_LEGS) {
            net_session_fail(&s, "handshake (too many legs)", SEC_E_INTERNAL_ERROR,
                             "too many handshake legs");
            goto out;
        }
    }
    st = tool_query_name(&side.ctx, &name);
    net_session_name(&s, st, name);
    st = net_bufs_init(&b, &side.ctx);
    if (st != SEC_E_OK) {
        net_session_fail(&s, "QueryContextAttributesA(SECPKG_ATTR_SIZES)", st, NULL);
        goto out;
    }
    for (;;) {
        uint8_t kind;
        uint32_t klen, len = 0, tok_size;
        SECURITY_STATUS mst = SEC_E_OK;
        const char *check_call, *answer_call;
        int r;

        tool_io_deadline(srv->timeout);
        r = tool_recv_frame(fd, &kind, 1, &klen);

        if (r == 0)
            break;
        if (r < 0 || klen != 1 || (kind != 'S' && kind != 'E')) {
            net_session_fail(&s, "recv", SEC_E_INVALID_TOKEN, "bad message frame");
            goto out;
        }
        check_call = kind == 'S' ? "VerifySignature" : "DecryptMessage";
        answer_call = kind == 'S' ? "MakeSignature" : "EncryptMessage";
        st = net_recv_msg(fd, &side.ctx, &b, (char)kind, &len, rseq++, &call);
        if (!net_send_status(fd, st)) {
            net_session_msg(&s, s.messages, (char)kind, len, call, st, answer_call, NULL);
            net_session_fail(&s, "send", SEC_E_INTERNAL_ERROR, "connection lost");
            goto out;
        }
        if (st != SEC_E_OK) {
            net_session_msg(&s, s.messages, (char)kind, len, call, st, answer_call, NULL);
            net_session_fail(&s, call, st, NULL);
            goto out;
        }
        s.messages++;
        if (!srv->json)
            net_log(peer, "%s message %u (%u bytes): %s SEC_E_OK",
                    kind == 'S' ? "signed" : "sealed", s.messages, len, check_call);
        st = net_send_msg(fd, &side.ctx, &b, (char)kind, len, sseq++, false, &call, &mst,
                          &tok_size);
        net_session_msg(&s, s.messages - 1, (char)kind, len, check_call, SEC_E_OK,
                        answer_call, &mst);
        if (st != SEC_E_OK) {
            net_session_fail(&s, call, st, NULL);
            goto out;
        }
    }
    if (!srv->json)
        net_log(peer, "done, %u messages", s.messages);
out:
    tool_io_deadline(0);
    if (srv->json)
        net_event_closed(srv, peer, s.messages, s.result, s.failed_call, s.error);
    free(name);
    free(ctok);
    free(stok);
    net_bufs_free(&b);
    side.cb_buf = NULL;          /* shared with srv->proto */
    tool_side_free(&side);
    return s.result == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}

static void *net_conn_thread(void *arg)
{
    struct net_conn *c = arg;
    struct net_server *srv = c->srv;

    net_serve(srv, c->fd, c->peer);
    close(c->fd);
    free(c);
    pthread_mutex_lock(&srv->lock);
    srv->active--;
    pthread_cond_signal(&srv->cond);
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* Bind a listening socket; prints the address actually bound. */
static int net_listen(const char *arg)
{
    struct addrinfo hints = { 0 }, *res = NULL, *ai;
    char *host = NULL, *port = NULL;
    int fd = -1, err;

    if (!net_split(arg, &host, &port)) {
        tool_err("server", "--listen: '%s' is not HOST:PORT", arg);
        return -2;
    }
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    err = getaddrinfo(*host ? host : NULL, port, &hints, &res);
    if (err) {
        tool_err("server", "%s: %s", arg, gai_strerror(err));
        free(host);
        free(port);
        return -2;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
        errno = err;
    }
    if (fd < 0)
        tool_err("server", "%s: %s", arg, strerror(errno));
    freeaddrinfo(res);
    free(host);
    free(port);
    return fd;
}

static void server_usage(FILE *out)
{
    fprintf(out,
            "Usage: sspi server --listen HOST:PORT [OPTIONS] NAME\n"
            "\n"
            "Accept TCP clients (`sspi client`), authenticate each with package NAME,\n"
            "print who authenticated (SECPKG_ATTR_NAMES), then verify and answer their\n"
            "signed and sealed messages.  Port 0 picks a free port; the line\n"
            "\"listening on HOST:PORT\" (or the \"listening\" event) tells which.\n"
            "\n"
            "  --listen HOST:PORT     address to listen on (required)\n"
            "  --once                 exit after the first client; the exit status is\n"
            "                         that of the session\n"
            "  --max-clients N        clients served at once (default 16)\n"
            "  --timeout SECONDS      a client must finish the handshake, and then\n"
            "                         send each message, within this time or it is\n"
            "                         dropped, freeing its slot (default 30)\n"
            "%s"
            "  --json                 print JSON Lines: one object per event (listening,\n"
            "                         connected, handshake, authenticated, message,\n"
            "                         closed), each on its own line\n"
            "  --help                 print this help\n",
            net_identity_help);
}

/*
 * `sspi server`: see server_usage().  Runs until killed, or with --once
 * returns the TOOL_EXIT_* code of the one session; 1 if the credential
 * cannot be acquired or the socket fails, 2 on usage errors.
 */
int tool_cmd_server(int argc, char **argv)
{
    static const struct option opts[] = {
        { "listen", required_argument, NULL, NET_OPT_LISTEN },
        { "once", no_argument, NULL, NET_OPT_ONCE },
        { "max-clients", required_argument, NULL, NET_OPT_MAX_CLIENTS },
        { "timeout", required_argument, NULL, NET_OPT_TIMEOUT },
        { "json", no_argument, NULL, TOOL_OPT_JSON },
        NET_SESSION_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct tool_session_opts o = { 0 };
    struct net_server srv = { .max_clients = 16, .timeout = 30,
                              .out_lock = PTHREAD_MUTEX_INITIALIZER };
    const char *listen_arg = NULL, *call = NULL;
    bool once = false, have_srv = false;
    SECURITY_STATUS st;
    int c, fd = -1, rc = TOOL_EXIT_USAGE;
    char addr[NI_MAXHOST + NI_MAXSERV + 4];
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_HELP:
            server_usage(stdout);
            rc = TOOL_EXIT_OK;
            goto out;
        case NET_OPT_LISTEN:
            listen_arg = optarg;
            break;
        case NET_OPT_ONCE:
            once = true;
            break;
        case TOOL_OPT_JSON:
            srv.json = true;
            break;
        case NET_OPT_TIMEOUT:
            if (!tool_parse_uint(optarg, 1, 86400, &srv.timeout)) {
                tool_err("server", "--timeout: '%s' is not a number from 1 to 86400", optarg);
                goto out;
            }
            break;
        case NET_OPT_MAX_CLIENTS:
            if (!tool_parse_uint(optarg, 1, 4096, &srv.max_clients)) {
                tool_err("server", "--max-clients: '%s' is not a number from 1 to 4096", optarg);
                goto out;
            }
            break;
        default:
            if (c >= TOOL_OPT_USER && c < TOOL_OPT_JSON) {
                if (!tool_session_option("server", &o, c, optarg))
                    goto out;
                break;
            }
            server_usage(stderr);
            goto out;
        }
    }
    if (!listen_arg) {
        tool_err("server", "--listen HOST:PORT is required");
        server_usage(stderr);
        goto out;
    }
    if (argc - optind != 1) {
        tool_err("server", "exactly one package name is required");
        server_usage(stderr);
        goto out;
    }
    o.package = argv[optind];
    tool_session_defaults(&o);
    signal(SIGPIPE, SIG_IGN);

    st = tool_side_init(&srv.proto, &o, true, &call);
    if (st != SEC_E_OK) {
        tool_err_status("server", call, st);
        tool_side_free(&srv.proto);
        rc = TOOL_EXIT_FAILED;
        goto out;
    }
    have_srv = true;
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.cond, NULL);

    fd = net_listen(listen_arg);
    if (fd < 0) {
        rc = fd == -2 ? TOOL_EXIT_USAGE : TOOL_EXIT_FAILED;
        goto out;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
        net_addr_str((struct sockaddr *)&ss, sslen, addr, sizeof(addr));
    else
        snprintf(addr, sizeof(addr), "%s", listen_arg);
    if (srv.json) {
        struct json_writer jw;

        net_event_begin(&srv, &jw, "listening", NULL);
        json_kv_string(&jw, "address", addr);
        json_kv_string(&jw, "package", o.package);
        json_kv_bool(&jw, "once", once);
        json_kv_uint(&jw, "max_clients", srv.max_clients);
        net_event_end(&srv, &jw);
    } else {
        printf("listening on %s (package %s)\n", addr, o.package);
        fflush(stdout);
    }

    for (;;) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof(peer);
        struct net_conn *conn;
        pthread_t tid;
        pthread_attr_t attr;
        int cfd = accept4(fd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);

        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            tool_err("server", "accept: %s", strerror(errno));
            rc = TOOL_EXIT_FAILED;
            break;
        }
        net_set_timeouts(cfd);
        net_addr_str((struct sockaddr *)&peer, plen, addr, sizeof(addr));
        if (once) {
            close(fd);
            fd = -1;
            rc = net_serve(&srv, cfd, addr);
            close(cfd);
            break;
        }
        conn = calloc(1, sizeof(*conn));
        if (!conn) {
            close(cfd);
            continue;
        }
        conn->srv = &srv;
        conn->fd = cfd;
        snprintf(conn->peer, sizeof(conn->peer), "%s", addr);
        pthread_mutex_lock(&srv.lock);
        while (srv.active >= srv.max_clients)
            pthread_cond_wait(&srv.cond, &srv.lock);
        srv.active++;
        pthread_mutex_unlock(&srv.lock);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&tid, &attr, net_conn_thread, conn) != 0) {
            if (srv.json)
                net_event_closed(&srv, addr, 0, SEC_E_INSUFFICIENT_MEMORY, "pthread_create",
                                 "cannot start a thread");
            else
                net_log(addr, "cannot start a thread");
            close(cfd);
            free(conn);
            pthread_mutex_lock(&srv.lock);
            srv.active--;
            pthread_mutex_unlock(&srv.lock);
        }
        pthread_attr_destroy(&attr);
    }
out:
    if (fd >= 0)
        close(fd);
    if (have_srv && once)
        tool_side_free(&srv.proto);
    tool_session_opts_free(&o);
    return rc;
}

/* ------------------------------------------------------------------ */
/* client                                                              */

static int net_connect(const char *arg, char *addr, size_t addr_size)
{
    struct addrinfo hints = { 0 }, *res = NULL, *ai;
    char *host = NULL, *port = NULL;
    int fd = -1, err;

    if (!net_split(arg, &host, &port)) {
        tool_err("client", "'%s' is not HOST:PORT", arg);
        return -2;
    }
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    err = getaddrinfo(host, port, &hints, &res);
    if (err) {
        tool_err("client", "%s: %s", arg, gai_strerror(err));
        free(host);
        free(port);
        return -2;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, addr_size);
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
        errno = err;
    }
    if (fd < 0)
        tool_err("client", "%s: %s", arg, strerror(errno));
    freeaddrinfo(res);
    free(host);
    free(port);
    return fd;
}

static void client_usage(FILE *out)
{
    fprintf(out,
            "Usage: sspi client [OPTIONS] HOST:PORT NAME\n"
            "\n"
            "Connect to `sspi server`, authenticate with package NAME, then send\n"
            "signed and sealed messages and check the server's answers.\n"
            "\n"
            "%s"
            "  --target SPN           target name passed to InitializeSecurityContext\n"
            "  --messages N           messages of each kind (default 1)\n"
            "  --seal / --no-seal     also exchange sealed messages (default: when\n"
            "                         the package has SECPKG_FLAG_PRIVACY)\n"
            "  --json                 print a JSON object instead of text\n"
            "  --help                 print this help\n"
            "\n"
            "Exit status: 0 all calls succeeded, 1 a call failed (its status is\n"
            "printed), 2 usage error.\n",
            net_identity_help);
}

/* What the client reports: text lines, or one JSON document. */
struct net_client {
    struct json_writer jw;
    bool json;
    int legs;
};

static void net_client_leg(struct net_client *cl, const char *side, const char *call,
                           SECURITY_STATUS st, uint32_t in_len, uint32_t out_len)
{
    char buf[96];

    cl->legs++;
    if (!cl->json) {
        printf("%s%s: %s, token %u bytes\n", strcmp(side, "server") == 0 ? "server " : "",
               call, tool_status_str(st, buf, sizeof(buf)), out_len);
        return;
    }
    json_begin_object(&cl->jw);
    json_kv_int(&cl->jw, "leg", cl->legs);
    json_kv_string(&cl->jw, "side", side);
    json_kv_string(&cl->jw, "call", call);
    json_kv_string(&cl->jw, "status", libsspi_status_name(st));
    json_kv_string(&cl->jw, "status_value", tool_hex32((uint32_t)st, buf, sizeof(buf)));
    json_kv_uint(&cl->jw, "input_size", in_len);
    json_kv_uint(&cl->jw, "output_size", out_len);
    json_end_object(&cl->jw);
}

/* Client side of the handshake; returns the failing status or SEC_E_OK. */
static SECURITY_STATUS net_client_handshake(struct net_client *cl, int fd,
                                            struct tool_side *side, const char **who,
                                            const char **call)
{
    static const char isc[] = "InitializeSecurityContextA";
    uint8_t *ctok = malloc(side->max_token), *stok = malloc(side->max_token);
    uint32_t clen = 0, slen = 0;
    SECURITY_STATUS st, sst = SEC_E_OK;
    int legs = 0;

    *who = "client";
    *call = "malloc";
    st = SEC_E_INSUFFICIENT_MEMORY;
    if (!ctok || !stok)
        goto out;
    *call = isc;
    st = tool_side_step(side, NULL, 0, ctok, &clen);
    net_client_leg(cl, "client", isc, st, 0, clen);
    for (;;) {
        if (!SEC_SUCCESS(st))
            goto out;
        if (++legs > NET_MAX_LEGS) {
            *call = "handshake (too many legs)";
            st = SEC_E_INTERNAL_ERROR;
            goto out;
        }
        *call = "send/recv";
        if (!tool_send_frame(fd, ctok, clen) || net_recv_status(fd, &sst) != 1 ||
            tool_recv_frame(fd, stok, side->max_token, &slen) != 1) {
            st = SEC_E_INTERNAL_ERROR;
            goto out;
        }
        net_client_leg(cl, "server", "AcceptSecurityContext", sst, clen, slen);
        if (!SEC_SUCCESS(sst)) {
            *who = "server";
            *call = "AcceptSecurityContext";
            st = sst;
            goto out;
        }
        if (st == SEC_E_OK) {
            if (sst == SEC_E_OK)
                break;
            *call = "handshake (client finished before the server)";
            st = SEC_E_INCOMPLETE_MESSAGE;
            goto out;
        }
        *call = isc;
        st = tool_side_step(side, stok, slen, ctok, &clen);
        net_client_leg(cl, "client", isc, st, slen, clen);
        if (sst == SEC_E_OK && SEC_SUCCESS(st)) {
            if (st == SEC_E_OK && clen == 0)
                break;
            *call = "handshake (server finished before the client)";
            st = SEC_E_INCOMPLETE_MESSAGE;
            goto out;
        }
    }
    st = SEC_E_OK;
out:
    free(ctok);
    free(stok);
    return st;
}

/* One message round trip of `kind`; the answer must match what was sent. */
static SECURITY_STATUS net_client_roundtrip(struct net_client *cl, int fd,
                                            struct tool_side *side, struct net_bufs *b,
                                            char kind, unsigned long index, uint32_t *cseq,
                                            uint32_t *sseq, const char **who,
                                            const char **call)
{
    const char *make_call = kind == 'S' ? "MakeSignature" : "EncryptMessage";
    const char *check_call = kind == 'S' ? "VerifySignature" : "DecryptMessage";
    char text[128];
    uint32_t len, rlen, tok_size = 0;
    SECURITY_STATUS st, mst = SEC_E_OK, sst = SEC_E_OK, ast = SEC_E_OK;
    bool have_sst = false, answered = false;
    char buf[96];

    len = (uint32_t)snprintf(text, sizeof(text), "%s message %lu from the client",
                             kind == 'S' ? "signed" : "sealed", index);
    memcpy(b->data, text, len);
    *who = "client";
    st = net_send_msg(fd, &side->ctx, b, kind, len, (*cseq)++, true, call, &mst, &tok_size);
    if (st != SEC_E_OK)
        goto out;
    *call = "recv";
    if (net_recv_status(fd, &sst) != 1) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    have_sst = true;
    if (sst != SEC_E_OK) {
        *who = "server";
        *call = check_call;
        st = sst;
        goto out;
    }
    answered = true;
    st = ast = net_recv_msg(fd, &side->ctx, b, kind, &rlen, (*sseq)++, call);
    if (st == SEC_E_OK && (rlen != len || memcmp(b->data, text, len) != 0)) {
        *call = "compare";
        st = ast = SEC_E_MESSAGE_ALTERED;
    }
    if (!cl->json)
        printf("%s message %lu (%u bytes): server %s, answer %s\n",
               kind == 'S' ? "signed" : "sealed", index, len,
               libsspi_status_name(sst), tool_status_str(st, buf, sizeof(buf)));
out:
    if (cl->json) {
        json_begin_object(&cl->jw);
        json_kv_uint(&cl->jw, "index", index);
        json_kv_string(&cl->jw, "kind", kind == 'S' ? "sign" : "seal");
        json_kv_uint(&cl->jw, "size", len);
        json_kv_uint(&cl->jw, "token_size", tok_size);
        json_kv_string(&cl->jw, "make_call", make_call);
        json_kv_string(&cl->jw, "make_status", libsspi_status_name(mst));
        json_kv_string(&cl->jw, "server_call", check_call);
        json_kv_string(&cl->jw, "server_status", have_sst ? libsspi_status_name(sst) : NULL);
        json_kv_string(&cl->jw, "answer_call", check_call);
        json_kv_string(&cl->jw, "answer_status", answered ? libsspi_status_name(ast) : NULL);
        json_end_object(&cl->jw);
    }
    return st;
}

/* `sspi client`: see client_usage(); returns a TOOL_EXIT_* code, 1 after
 * printing the failing call (the client's or the server's) and its status.
 * With --json, standard output gets one JSON document, complete even on
 * failure (but empty after a usage error). */
int tool_cmd_client(int argc, char **argv)
{
    static const struct option opts[] = {
        { "target", required_argument, NULL, TOOL_OPT_TARGET },
        { "messages", required_argument, NULL, NET_OPT_MESSAGES },
        { "seal", no_argument, NULL, NET_OPT_SEAL },
        { "no-seal", no_argument, NULL, NET_OPT_NO_SEAL },
        { "json", no_argument, NULL, TOOL_OPT_JSON },
        NET_SESSION_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct tool_session_opts o = { 0 };
    struct tool_side side = { 0 };
    struct net_bufs b = { 0 };
    struct net_client cl = { .json = false };
    unsigned long messages = 1;
    uint32_t cseq = 0, sseq = 0;
    int seal = -1;
    const char *call = NULL, *who = "client";
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS st = SEC_E_OK;
    char addr[NI_MAXHOST + NI_MAXSERV + 4] = "";
    char buf[96];
    char *name = NULL;
    bool in_array = false;
    int c, fd = -1, rc = TOOL_EXIT_USAGE;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_HELP:
            client_usage(stdout);
            rc = TOOL_EXIT_OK;
            goto out;
        case TOOL_OPT_JSON:
            cl.json = true;
            break;
        case NET_OPT_MESSAGES:
            if (!tool_parse_uint(optarg, 0, 1000000, &messages)) {
                tool_err("client", "--messages: '%s' is not a number from 0 to 1000000", optarg);
                goto out;
            }
            break;
        case NET_OPT_SEAL:
            seal = 1;
            break;
        case NET_OPT_NO_SEAL:
            seal = 0;
            break;
        default:
            if (c >= TOOL_OPT_USER && c < TOOL_OPT_JSON) {
                if (!tool_session_option("client", &o, c, optarg))
                    goto out;
                break;
            }
            client_usage(stderr);
            goto out;
        }
    }
    if (argc - optind != 2) {
        tool_err("client", "HOST:PORT and a package name are required");
        client_usage(stderr);
        goto out;
    }
    o.package = argv[optind + 1];
    tool_session_defaults(&o);
    signal(SIGPIPE, SIG_IGN);

    /* Up to the connection nothing is written to stdout: a bad HOST:PORT
     * is a usage error with no JSON document. */
    rc = TOOL_EXIT_FAILED;
    call = "QuerySecurityPackageInfoA";
    st = QuerySecurityPackageInfoA((SEC_CHAR *)o.package, &info);
    if (st == SEC_E_OK) {
        if (seal < 0)
            seal = (info->fCapabilities & SECPKG_FLAG_PRIVACY) != 0;
        FreeContextBuffer(info);
        st = tool_side_init(&side, &o, false, &call);
    }
    if (st == SEC_E_OK) {
        fd = net_connect(argv[optind], addr, sizeof(addr));
        if (fd == -2) {
            rc = TOOL_EXIT_USAGE;
            goto out;
        }
        if (fd < 0) {
            /* net_connect() printed why */
            call = "connect";
            st = SEC_E_INTERNAL_ERROR;
        }
    }
    if (cl.json) {
        json_init(&cl.jw, stdout);
        json_begin_object(&cl.jw);
        json_kv_string(&cl.jw, "package", o.package);
        json_kv_string(&cl.jw, "user", o.id.user);
        json_kv_string(&cl.jw, "domain", o.id.domain);
        json_kv_string(&cl.jw, "target", o.target);
        json_kv_bool(&cl.jw, "bindings", o.bindings != NULL);
        json_kv_string(&cl.jw, "peer", fd >= 0 ? addr : NULL);
    }
    if (st != SEC_E_OK) {
        if (fd < 0 && strcmp(call, "connect") == 0)
            goto report;         /* the reason is already on stderr */
        goto fail;
    }
    net_set_timeouts(fd);
    if (cl.json) {
        json_key(&cl.jw, "handshake");
        json_begin_array(&cl.jw);
        in_array = true;
    } else {
        printf("connected to %s (package %s)\n", addr, o.package);
    }

    st = net_client_handshake(&cl, fd, &side, &who, &call);
    if (cl.json) {
        json_end_array(&cl.jw);
        in_array = false;
    }
    if (st != SEC_E_OK)
        goto fail;
    st = tool_query_name(&side.ctx, &name);
    if (cl.json) {
        json_kv_string(&cl.jw, "name", st == SEC_E_OK ? name : NULL);
        json_kv_string(&cl.jw, "names_status", libsspi_status_name(st));
    } else if (st == SEC_E_OK) {
        printf("authenticated as ");
        tool_put_text(stdout, name ? name : "(no name)");
        putchar('\n');
    } else {
        printf("authenticated (SECPKG_ATTR_NAMES: %s)\n", libsspi_status_name(st));
    }
    call = "QueryContextAttributesA(SECPKG_ATTR_SIZES)";
    st = net_bufs_init(&b, &side.ctx);
    if (cl.json) {
        json_key(&cl.jw, "sizes");
        json_begin_object(&cl.jw);
        json_kv_string(&cl.jw, "status", libsspi_status_name(st));
        json_kv_uint(&cl.jw, "max_token", b.sz.cbMaxToken);
        json_kv_uint(&cl.jw, "max_signature", b.sz.cbMaxSignature);
        json_kv_uint(&cl.jw, "block_size", b.sz.cbBlockSize);
        json_kv_uint(&cl.jw, "security_trailer", b.sz.cbSecurityTrailer);
        json_end_object(&cl.jw);
    }
    if (st != SEC_E_OK)
        goto fail;
    if (cl.json) {
        json_kv_bool(&cl.jw, "seal", seal != 0);
        json_key(&cl.jw, "messages");
        json_begin_array(&cl.jw);
        in_array = true;
    }
    for (unsigned long i = 0; i < messages; i++) {
        st = net_client_roundtrip(&cl, fd, &side, &b, 'S', i, &cseq, &sseq, &who, &call);
        if (st != SEC_E_OK)
            goto fail;
        if (!seal)
            continue;
        st = net_client_roundtrip(&cl, fd, &side, &b, 'E', i, &cseq, &sseq, &who, &call);
        if (st != SEC_E_OK)
            goto fail;
    }
    if (!cl.json)
        printf("result: SEC_E_OK (0x00000000)\n");
    goto report;
fail:
    {
        char what[128];

        if (strcmp(who, "server") == 0)
            snprintf(what, sizeof(what), "server %s", call ? call : "?");
        else
            snprintf(what, sizeof(what), "%s", call ? call : "?");
        tool_err_status("client", what, st);
    }
report:
    rc = st == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
    if (cl.json) {
        if (in_array)
            json_end_array(&cl.jw);
        json_kv_string(&cl.jw, "result", libsspi_status_name(st));
        json_kv_string(&cl.jw, "result_value", tool_hex32((uint32_t)st, buf, sizeof(buf)));
        json_kv_string(&cl.jw, "failed_side", st == SEC_E_OK ? NULL : who);
        json_kv_string(&cl.jw, "failed_call", st == SEC_E_OK ? NULL : call);
        json_end_object(&cl.jw);
        json_finish(&cl.jw);
    }
out:
    free(name);
    net_bufs_free(&b);
    if (fd >= 0)
        close(fd);
    tool_side_free(&side);
    tool_session_opts_free(&o);
    return rc;
}
