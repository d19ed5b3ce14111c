/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-server.c - `sspi server`: accept TCP clients (`sspi client`), run
 * AcceptSecurityContext over the wire format of tool-net.c, report who
 * authenticated, then verify and answer signed and sealed messages.
 *
 * Each client is served on its own thread, at most --max-clients at once.
 * With --json the server prints one compact JSON object per event (JSON
 * Lines), written under a lock so that the lines of clients served at the
 * same time never mix.
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
#include <sys/socket.h>

#include "tools/json.h"
#include "tools/tool.h"

enum {
    SERVER_OPT_LISTEN = TOOL_OPT_FIRST_LOCAL,
    SERVER_OPT_ONCE,
    SERVER_OPT_MAX_CLIENTS,
    SERVER_OPT_TIMEOUT,
    SERVER_OPT_STREAM,
    SERVER_OPT_CERT,
    SERVER_OPT_KEY,
    SERVER_OPT_CA,
    SERVER_OPT_ALPN,
    SERVER_OPT_REQUIRE_CERT,
    SERVER_OPT_HTTP,
};

struct server {
    struct tool_side proto; /* credential and bindings shared by all */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned long active;
    unsigned long max_clients;
    unsigned long timeout;    /* seconds for the handshake, then per message */
    bool json;                /* JSON Lines events instead of text */
    pthread_mutex_t out_lock; /* one JSON line at a time on stdout */
    bool stream;              /* raw-stream mode (tool-stream.c) */
    struct tool_stream_opts sopts;
    bool http; /* RFC 4559 HTTP mode (tool-http.c) */
    struct tool_http_server http_opts;
};

struct server_conn {
    struct server *srv;
    int fd;
    char peer[NI_MAXHOST + NI_MAXSERV + 4];
};

/* One served connection: where it stands and how it ended. */
struct server_session {
    struct server *srv;
    const char *peer;
    SECURITY_STATUS result;
    const char *failed_call; /* NULL while nothing failed */
    const char *error;       /* failure that is not an SSPI status */
    uint32_t messages;
};

static void server_log(const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void server_log(const char *peer, const char *fmt, ...)
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

static void server_log_status(const char *peer, const char *call, SECURITY_STATUS st)
{
    char buf[96];

    server_log(peer, "%s: %s", call, tool_status_str(st, buf, sizeof(buf)));
}

/*
 * Start one JSON Lines event on stdout; holds srv->out_lock until
 * server_event_end() so that lines of concurrent clients never mix.  `peer`
 * may be NULL (server-wide events).
 */
static void server_event_begin(struct server *srv, struct json_writer *jw, const char *event,
                               const char *peer)
{
    pthread_mutex_lock(&srv->out_lock);
    json_init_compact(jw, stdout);
    json_begin_object(jw);
    json_kv_string(jw, "event", event);
    if (peer)
        json_kv_string(jw, "peer", peer);
}

static void server_event_end(struct server *srv, struct json_writer *jw)
{
    json_end_object(jw);
    json_finish(jw);
    pthread_mutex_unlock(&srv->out_lock);
}

/* "closed" event of a session (JSON mode). */
static void server_event_closed(struct server *srv, const char *peer, uint32_t messages,
                                SECURITY_STATUS result, const char *failed_call, const char *error)
{
    struct json_writer jw;
    char hex[16];

    server_event_begin(srv, &jw, "closed", peer);
    json_kv_uint(&jw, "messages", messages);
    json_kv_string(&jw, "result", libsspi_status_name(result));
    json_kv_string(&jw, "result_value", tool_hex32((uint32_t)result, hex, sizeof(hex)));
    json_kv_string(&jw, "failed_call", failed_call);
    json_kv_string(&jw, "error", error);
    server_event_end(srv, &jw);
}

/* Record the failure that ends a session and report it in text mode:
 * `error` (if not NULL) or the call and its status. */
static void server_session_fail(struct server_session *s, const char *call, SECURITY_STATUS st,
                                const char *error)
{
    s->failed_call = call;
    s->result = st;
    s->error = error;
    if (s->srv->json)
        return;
    if (error)
        server_log(s->peer, "%s", error);
    else
        server_log_status(s->peer, call, st);
}

static void server_session_leg(struct server_session *s, int leg, SECURITY_STATUS st,
                               uint32_t in_len, uint32_t out_len)
{
    struct json_writer jw;
    char hex[16];

    if (!s->srv->json)
        return;
    server_event_begin(s->srv, &jw, "handshake", s->peer);
    json_kv_int(&jw, "leg", leg);
    json_kv_string(&jw, "side", "server");
    json_kv_string(&jw, "call", "AcceptSecurityContext");
    json_kv_string(&jw, "status", libsspi_status_name(st));
    json_kv_string(&jw, "status_value", tool_hex32((uint32_t)st, hex, sizeof(hex)));
    json_kv_uint(&jw, "input_size", in_len);
    json_kv_uint(&jw, "output_size", out_len);
    server_event_end(s->srv, &jw);
}

static void server_session_name(struct server_session *s, SECURITY_STATUS st, const char *name)
{
    struct json_writer jw;

    if (!s->srv->json) {
        if (st == SEC_E_OK)
            server_log(s->peer, "authenticated as %s", name ? name : "(no name)");
        else
            server_log(s->peer, "authenticated (SECPKG_ATTR_NAMES: %s)", libsspi_status_name(st));
        return;
    }
    server_event_begin(s->srv, &jw, "authenticated", s->peer);
    json_kv_string(&jw, "name", st == SEC_E_OK ? name : NULL);
    json_kv_string(&jw, "names_status", libsspi_status_name(st));
    server_event_end(s->srv, &jw);
}

/* A received message: its check and (if attempted) the answer's status. */
static void server_session_msg(struct server_session *s, uint32_t index, char kind, uint32_t len,
                               const char *check_call, SECURITY_STATUS cst, const char *answer_call,
                               const SECURITY_STATUS *ast)
{
    struct json_writer jw;

    if (!s->srv->json)
        return;
    server_event_begin(s->srv, &jw, "message", s->peer);
    json_kv_uint(&jw, "index", index);
    json_kv_string(&jw, "kind", kind == 'S' ? "sign" : "seal");
    json_kv_uint(&jw, "size", len);
    json_kv_string(&jw, "check_call", check_call);
    json_kv_string(&jw, "check_status", libsspi_status_name(cst));
    json_kv_string(&jw, "answer_call", answer_call);
    json_kv_string(&jw, "answer_status", ast ? libsspi_status_name(*ast) : NULL);
    server_event_end(s->srv, &jw);
}

/* Serve one connection; returns a TOOL_EXIT_* code. */
static int server_serve(struct server *srv, int fd, const char *peer)
{
    struct tool_side side = srv->proto;
    struct server_session s = {.srv = srv, .peer = peer, .result = SEC_E_OK};
    struct tool_net_bufs b = {0};
    uint8_t *ctok = NULL, *stok = NULL;
    uint32_t clen, slen, rseq = 0, sseq = 0;
    SECURITY_STATUS st = SEC_E_OK;
    const char *call;
    char *name = NULL;
    int legs = 0;

    if (srv->json) {
        struct json_writer jw;

        server_event_begin(srv, &jw, "connected", peer);
        server_event_end(srv, &jw);
    }
    side.have_cred = false; /* the credential belongs to srv->proto */
    side.have_ctx = false;
    ctok = malloc(side.max_token);
    stok = malloc(side.max_token);
    if (!ctok || !stok) {
        server_session_fail(&s, "malloc", SEC_E_INSUFFICIENT_MEMORY, "out of memory");
        goto out;
    }
    /* The whole handshake within the timeout, then each message: a peer
     * that stalls cannot keep a client slot. */
    tool_io_deadline(srv->timeout);
    for (;;) {
        int r = tool_recv_frame(fd, ctok, side.max_token, &clen);

        if (r != 1) {
            server_session_fail(&s, "recv", SEC_E_INTERNAL_ERROR,
                                errno == ETIMEDOUT && r < 0
                                    ? "timed out during the handshake (--timeout)"
                                    : "connection lost during the handshake");
            goto out;
        }
        st = tool_side_step(&side, ctok, clen, stok, &slen);
        legs++;
        server_session_leg(&s, legs, st, clen, slen);
        if (!tool_net_send_status(fd, st) || !tool_send_frame(fd, stok, slen)) {
            server_session_fail(&s, "send", SEC_E_INTERNAL_ERROR,
                                "connection lost during the handshake");
            goto out;
        }
        if (!SEC_SUCCESS(st)) {
            server_session_fail(&s, "AcceptSecurityContext", st, NULL);
            goto out;
        }
        if (st == SEC_E_OK)
            break;
        if (legs >= TOOL_NET_MAX_LEGS) {
            server_session_fail(&s, "handshake (too many legs)", SEC_E_INTERNAL_ERROR,
                                "too many handshake legs");
            goto out;
        }
    }
    st = tool_query_name(&side.ctx, &name);
    server_session_name(&s, st, name);
    st = tool_net_bufs_init(&b, &side.ctx);
    if (st != SEC_E_OK) {
        server_session_fail(&s, "QueryContextAttributesA(SECPKG_ATTR_SIZES)", st, NULL);
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
            server_session_fail(&s, "recv", SEC_E_INVALID_TOKEN, "bad message frame");
            goto out;
        }
        check_call = kind == 'S' ? "VerifySignature" : "DecryptMessage";
        answer_call = kind == 'S' ? "MakeSignature" : "EncryptMessage";
        st = tool_net_recv_msg(fd, &side.ctx, &b, (char)kind, &len, rseq++, &call);
        if (!tool_net_send_status(fd, st)) {
            server_session_msg(&s, s.messages, (char)kind, len, call, st, answer_call, NULL);
            server_session_fail(&s, "send", SEC_E_INTERNAL_ERROR, "connection lost");
            goto out;
        }
        if (st != SEC_E_OK) {
            server_session_msg(&s, s.messages, (char)kind, len, call, st, answer_call, NULL);
            server_session_fail(&s, call, st, NULL);
            goto out;
        }
        s.messages++;
        if (!srv->json)
            server_log(peer, "%s message %u (%u bytes): %s SEC_E_OK",
                       kind == 'S' ? "signed" : "sealed", s.messages, len, check_call);
        st = tool_net_send_msg(fd, &side.ctx, &b, (char)kind, len, sseq++, false, &call, &mst,
                               &tok_size);
        server_session_msg(&s, s.messages - 1, (char)kind, len, check_call, SEC_E_OK, answer_call,
                           &mst);
        if (st != SEC_E_OK) {
            server_session_fail(&s, call, st, NULL);
            goto out;
        }
    }
    if (!srv->json)
        server_log(peer, "done, %u messages", s.messages);
out:
    tool_io_deadline(0);
    if (srv->json)
        server_event_closed(srv, peer, s.messages, s.result, s.failed_call, s.error);
    free(name);
    free(ctok);
    free(stok);
    tool_net_bufs_free(&b);
    side.cb_buf = NULL; /* shared with srv->proto */
    tool_side_free(&side);
    return s.result == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}

/*
 * Raw-stream session: the package's bytes straight on the connection;
 * application data is echoed back record by record until the peer's
 * close_notify (answered with ours) or the end of the connection.
 */
static int server_stream_serve(struct server *srv, int fd, const char *peer)
{
    struct tool_stream ts = {.fd = fd, .server = true, .cred = &srv->proto.cred};
    uint8_t *buf = malloc(TOOL_NET_MAX_DATA);
    SECURITY_STATUS st = buf ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    uint32_t messages = 0;
    size_t got;

    tool_io_deadline(0);
    if (st == SEC_E_OK)
        st = tool_stream_handshake(&ts, &srv->sopts);
    if (st != SEC_E_OK) {
        server_log_status(peer, "AcceptSecurityContext", st);
        goto out;
    }
    server_log(peer, "handshake complete");
    if (!srv->json)
        tool_stream_describe(&ts, stdout);
    while ((st = tool_stream_recv(&ts, &srv->sopts, buf, TOOL_NET_MAX_DATA, &got)) == SEC_E_OK &&
           got > 0) {
        messages++;
        if ((st = tool_stream_send(&ts, buf, got)) != SEC_E_OK)
            break;
    }
    if (st == SEC_I_CONTEXT_EXPIRED) {
        server_log(peer, "close_notify received after %u records", messages);
        st = tool_stream_shutdown(&ts, &srv->sopts);
    }
    if (st != SEC_E_OK)
        server_log_status(peer, "stream", st);
    else
        server_log(peer, "done, %u records", messages);
out:
    free(buf);
    tool_stream_free(&ts);
    return st == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}

/* Serve one connection in the mode chosen on the command line. */
static int server_dispatch(struct server *srv, int fd, const char *peer)
{
    if (srv->stream)
        return server_stream_serve(srv, fd, peer);
    if (srv->http)
        return tool_http_serve(&srv->http_opts, fd, peer, &srv->proto);
    return server_serve(srv, fd, peer);
}

static void *server_conn_thread(void *arg)
{
    struct server_conn *c = arg;
    struct server *srv = c->srv;

    server_dispatch(srv, c->fd, c->peer);
    close(c->fd);
    free(c);
    pthread_mutex_lock(&srv->lock);
    srv->active--;
    pthread_cond_signal(&srv->cond);
    pthread_mutex_unlock(&srv->lock);
    return NULL;
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
            "  --stream               raw-stream mode for stream packages (Schannel): the\n"
            "                         package's bytes go straight on the connection, so\n"
            "                         TLS clients (gnutls-cli, openssl s_client) connect;\n"
            "                         application data is echoed back\n"
            "  --cert FILE, --key FILE  certificate and key (PEM; the key may be a\n"
            "                         pkcs11: URI or be in FILE)\n"
            "  --ca FILE              roots trusted for client certificates\n"
            "  --alpn LIST            ALPN ids offered, comma-separated\n"
            "  --require-client-cert  ask for a client certificate (ASC_REQ_MUTUAL_AUTH)\n"
            "  --http                 HTTP authentication (RFC 4559): 401 with\n"
            "                         WWW-Authenticate: Negotiate (NTLM for the NTLM\n"
            "                         package), tokens in Authorization headers, 200\n"
            "                         \"authenticated as NAME\" once done; keep-alive\n"
            "                         connections stay authenticated (curl --negotiate)\n"
            "  --json                 print JSON Lines: one object per event (listening,\n"
            "                         connected, handshake, authenticated, message,\n"
            "                         closed), each on its own line\n"
            "  --help                 print this help\n",
            tool_net_identity_help);
}

/*
 * `sspi server`: see server_usage().  Runs until killed, or with --once
 * returns the TOOL_EXIT_* code of the one session; 1 if the credential
 * cannot be acquired or the socket fails, 2 on usage errors.
 */
int tool_cmd_server(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, SERVER_OPT_LISTEN},
        {"once", no_argument, NULL, SERVER_OPT_ONCE},
        {"max-clients", required_argument, NULL, SERVER_OPT_MAX_CLIENTS},
        {"timeout", required_argument, NULL, SERVER_OPT_TIMEOUT},
        {"stream", no_argument, NULL, SERVER_OPT_STREAM},
        {"http", no_argument, NULL, SERVER_OPT_HTTP},
        {"cert", required_argument, NULL, SERVER_OPT_CERT},
        {"key", required_argument, NULL, SERVER_OPT_KEY},
        {"ca", required_argument, NULL, SERVER_OPT_CA},
        {"alpn", required_argument, NULL, SERVER_OPT_ALPN},
        {"require-client-cert", no_argument, NULL, SERVER_OPT_REQUIRE_CERT},
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        TOOL_NET_SESSION_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tool_session_opts o = {0};
    struct server srv = {.max_clients = 16, .timeout = 30, .out_lock = PTHREAD_MUTEX_INITIALIZER};
    const char *listen_arg = NULL, *call = NULL;
    bool once = false, have_srv = false;
    SECURITY_STATUS st;
    int c, fd = -1, rc = TOOL_EXIT_USAGE;
    char addr[NI_MAXHOST + NI_MAXSERV + 4];

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_HELP:
            server_usage(stdout);
            rc = TOOL_EXIT_OK;
            goto out;
        case SERVER_OPT_LISTEN:
            listen_arg = optarg;
            break;
        case SERVER_OPT_ONCE:
            once = true;
            break;
        case SERVER_OPT_STREAM:
            srv.stream = true;
            break;
        case SERVER_OPT_HTTP:
            srv.http = true;
            break;
        case SERVER_OPT_CERT:
            srv.sopts.cert = optarg;
            break;
        case SERVER_OPT_KEY:
            srv.sopts.key = optarg;
            break;
        case SERVER_OPT_CA:
            srv.sopts.ca = optarg;
            break;
        case SERVER_OPT_ALPN:
            srv.sopts.alpn = optarg;
            break;
        case SERVER_OPT_REQUIRE_CERT:
            srv.sopts.require_client_cert = true;
            break;
        case TOOL_OPT_JSON:
            srv.json = true;
            break;
        case SERVER_OPT_TIMEOUT:
            if (!tool_parse_uint(optarg, 1, 86400, &srv.timeout)) {
                tool_err("server", "--timeout: '%s' is not a number from 1 to 86400", optarg);
                goto out;
            }
            break;
        case SERVER_OPT_MAX_CLIENTS:
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

    srv.sopts.package = o.package;
    if (srv.stream) {
        memset(&srv.proto, 0, sizeof(srv.proto));
        st = tool_stream_cred(&srv.sopts, true, &srv.proto.cred, &call);
        srv.proto.have_cred = st == SEC_E_OK;
    } else {
        st = tool_side_init(&srv.proto, &o, true, &call);
    }
    if (st != SEC_E_OK) {
        tool_err_status("server", call, st);
        tool_side_free(&srv.proto);
        rc = TOOL_EXIT_FAILED;
        goto out;
    }
    have_srv = true;
    srv.http_opts = (struct tool_http_server){tool_http_scheme(o.package), srv.json, srv.timeout,
                                              &srv.out_lock};
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.cond, NULL);

    fd = tool_net_open("server", listen_arg, true, addr, sizeof(addr));
    if (fd < 0) {
        rc = fd == -2 ? TOOL_EXIT_USAGE : TOOL_EXIT_FAILED;
        goto out;
    }
    if (srv.json) {
        struct json_writer jw;

        server_event_begin(&srv, &jw, "listening", NULL);
        json_kv_string(&jw, "address", addr);
        json_kv_string(&jw, "package", o.package);
        json_kv_bool(&jw, "once", once);
        json_kv_uint(&jw, "max_clients", srv.max_clients);
        server_event_end(&srv, &jw);
    } else {
        printf("listening on %s (package %s)\n", addr, o.package);
        fflush(stdout);
    }

    for (;;) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof(peer);
        struct server_conn *conn;
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
        tool_net_set_timeouts(cfd);
        tool_net_addr_str((struct sockaddr *)&peer, plen, addr, sizeof(addr));
        if (once) {
            close(fd);
            fd = -1;
            rc = server_dispatch(&srv, cfd, addr);
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
        if (pthread_create(&tid, &attr, server_conn_thread, conn) != 0) {
            if (srv.json)
                server_event_closed(&srv, addr, 0, SEC_E_INSUFFICIENT_MEMORY, "pthread_create",
                                    "cannot start a thread");
            else
                server_log(addr, "cannot start a thread");
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
