/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-client.c - `sspi client`: connect to `sspi server`, run
 * InitializeSecurityContext over the wire format of tool-net.c, then send
 * signed and sealed messages and check the server's answers.
 *
 * With --json the client prints one JSON document at the end, shaped like
 * that of `sspi loopback`.
 */
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schannel.h"
#include "tools/json.h"
#include "tools/tool.h"

enum {
    CLIENT_OPT_MESSAGES = TOOL_OPT_FIRST_LOCAL,
    CLIENT_OPT_SEAL,
    CLIENT_OPT_NO_SEAL,
    CLIENT_OPT_STREAM,
    CLIENT_OPT_CA,
    CLIENT_OPT_CERT,
    CLIENT_OPT_KEY,
    CLIENT_OPT_ALPN,
    CLIENT_OPT_INSECURE,
    CLIENT_OPT_PROTOCOL,
    CLIENT_OPT_CONNECTIONS,
    CLIENT_OPT_SETTLE,
    CLIENT_OPT_ECHO,
    CLIENT_OPT_HTTP,
};

/* Raw-stream client settings beyond struct tool_stream_opts. */
struct client_stream {
    struct tool_stream_opts o;
    unsigned long connections; /* sequential connections, same credential */
    unsigned long settle_ms;   /* wait after sending, before reading */
    bool echo;                 /* read back as many bytes as were sent */
};

static void client_usage(FILE *out)
{
    fprintf(out,
            "Usage: sspi client [OPTIONS] HOST:PORT NAME\n"
            "       sspi client --http [OPTIONS] URL NAME\n"
            "\n"
            "Connect to `sspi server`, authenticate with package NAME, then send\n"
            "signed and sealed messages and check the server's answers.\n"
            "\n"
            "%s"
            "  --target SPN           target name passed to InitializeSecurityContext\n"
            "  --messages N           messages of each kind (default 1)\n"
            "  --seal / --no-seal     also exchange sealed messages (default: when\n"
            "                         the package has SECPKG_FLAG_PRIVACY)\n"
            "  --stream               raw-stream mode for stream packages (Schannel):\n"
            "                         talk to any TLS server; standard input is sent,\n"
            "                         what comes back goes to standard output, and the\n"
            "                         connection is described on standard error\n"
            "  --ca FILE              trusted roots (PEM) beside the system store\n"
            "  --cert FILE, --key FILE  client certificate and key\n"
            "  --alpn LIST            ALPN ids to offer, comma-separated\n"
            "  --protocol tls1.2|tls1.3  only this protocol version\n"
            "  --insecure             no certificate validation (manual validation)\n"
            "  --connections N        connect N times (resumption), default 1\n"
            "  --settle MS            wait MS milliseconds after sending, before reading\n"
            "  --echo                 read back as many bytes as were sent, then close\n"
            "  --http                 HTTP authentication (RFC 4559) to URL\n"
            "                         (http://HOST[:PORT]/PATH): GET, then tokens in\n"
            "                         Authorization headers on one connection until 200;\n"
            "                         the target defaults to HTTP/HOST\n"
            "  --json                 print a JSON object instead of text\n"
            "  --help                 print this help\n"
            "\n"
            "Exit status: 0 all calls succeeded, 1 a call failed (its status is\n"
            "printed), 2 usage error.\n",
            tool_net_identity_help);
}

/* What the client reports: text lines, or one JSON document. */
struct client {
    struct json_writer jw;
    bool json;
    int legs;
};

static void client_leg(struct client *cl, const char *side, const char *call, SECURITY_STATUS st,
                       uint32_t in_len, uint32_t out_len)
{
    char buf[96];

    cl->legs++;
    if (!cl->json) {
        printf("%s%s: %s, token %u bytes\n", strcmp(side, "server") == 0 ? "server " : "", call,
               tool_status_str(st, buf, sizeof(buf)), out_len);
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
static SECURITY_STATUS client_handshake(struct client *cl, int fd, struct tool_side *side,
                                        const char **who, const char **call)
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
    client_leg(cl, "client", isc, st, 0, clen);
    for (;;) {
        if (!SEC_SUCCESS(st))
            goto out;
        if (++legs > TOOL_NET_MAX_LEGS) {
            *call = "handshake (too many legs)";
            st = SEC_E_INTERNAL_ERROR;
            goto out;
        }
        *call = "send/recv";
        if (!tool_send_frame(fd, ctok, clen) || tool_net_recv_status(fd, &sst) != 1 ||
            tool_recv_frame(fd, stok, side->max_token, &slen) != 1) {
            st = SEC_E_INTERNAL_ERROR;
            goto out;
        }
        client_leg(cl, "server", "AcceptSecurityContext", sst, clen, slen);
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
        client_leg(cl, "client", isc, st, slen, clen);
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
static SECURITY_STATUS client_roundtrip(struct client *cl, int fd, struct tool_side *side,
                                        struct tool_net_bufs *b, char kind, unsigned long index,
                                        uint32_t *cseq, uint32_t *sseq, const char **who,
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
    st = tool_net_send_msg(fd, &side->ctx, b, kind, len, (*cseq)++, true, call, &mst, &tok_size);
    if (st != SEC_E_OK)
        goto out;
    *call = "recv";
    if (tool_net_recv_status(fd, &sst) != 1) {
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
    st = ast = tool_net_recv_msg(fd, &side->ctx, b, kind, &rlen, (*sseq)++, call);
    if (st == SEC_E_OK && (rlen != len || memcmp(b->data, text, len) != 0)) {
        *call = "compare";
        st = ast = SEC_E_MESSAGE_ALTERED;
    }
    if (!cl->json)
        printf("%s message %lu (%u bytes): server %s, answer %s\n",
               kind == 'S' ? "signed" : "sealed", index, len, libsspi_status_name(sst),
               tool_status_str(st, buf, sizeof(buf)));
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

/* Standard input, all of it (at most TOOL_NET_MAX_DATA * 16 bytes). */
static uint8_t *client_read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0, max = (size_t)TOOL_NET_MAX_DATA * 16;
    uint8_t *buf = malloc(cap);
    ssize_t r;

    while (buf != NULL && (r = read(0, buf + n, cap - n)) > 0) {
        n += (size_t)r;
        if (n == cap && cap < max) {
            uint8_t *p = realloc(buf, cap * 2);

            if (p == NULL)
                break;
            buf = p;
            cap *= 2;
        } else if (n == cap) {
            break;
        }
    }
    *len = n;
    return buf;
}

/* `--http`: authenticate to a web server (tool-http.c). */
static int client_http_run(const char *url, const struct tool_session_opts *o)
{
    struct tool_side side = {0};
    const char *call = NULL;
    SECURITY_STATUS st = tool_side_init(&side, o, false, &call);
    int rc;

    if (st != SEC_E_OK) {
        tool_err_status("client", call, st);
        tool_side_free(&side);
        return TOOL_EXIT_FAILED;
    }
    rc = tool_http_client(url, &side, tool_http_scheme(o->package));
    tool_side_free(&side);
    return rc;
}

/* One raw-stream connection: handshake, send, read back, close_notify. */
static SECURITY_STATUS client_stream_once(const char *addr_arg, struct client_stream *cs,
                                          CredHandle *cred, const uint8_t *data, size_t len,
                                          const char **call)
{
    struct tool_stream ts = {.server = false, .cred = cred};
    char addr[NI_MAXHOST + NI_MAXSERV + 4];
    uint8_t *buf = malloc(TOOL_NET_MAX_DATA);
    size_t got, total = 0;
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;

    *call = "connect";
    ts.fd = tool_net_open("client", addr_arg, false, addr, sizeof(addr));
    if (ts.fd < 0 || buf == NULL) {
        free(buf);
        return ts.fd == -2 ? SEC_E_INVALID_PARAMETER : SEC_E_INTERNAL_ERROR;
    }
    tool_net_set_timeouts(ts.fd);
    *call = "InitializeSecurityContextA";
    st = tool_stream_handshake(&ts, &cs->o);
    if (st == SEC_E_OK) {
        fprintf(stderr, "connected to %s\n", addr);
        tool_stream_describe(&ts, stderr);
        *call = "EncryptMessage";
        st = tool_stream_send(&ts, data, len);
    }
    if (st == SEC_E_OK && cs->settle_ms > 0)
        usleep((useconds_t)cs->settle_ms * 1000);
    *call = "DecryptMessage";
    while (st == SEC_E_OK && (!cs->echo || total < len)) {
        st = tool_stream_recv(&ts, &cs->o, buf, TOOL_NET_MAX_DATA, &got);
        if (st != SEC_E_OK || got == 0)
            break;
        fwrite(buf, 1, got, stdout);
        total += got;
    }
    fflush(stdout);
    if (st == SEC_E_OK || st == SEC_I_CONTEXT_EXPIRED) {
        bool peer_closed = st == SEC_I_CONTEXT_EXPIRED;

        *call = "ApplyControlToken(SCHANNEL_SHUTDOWN)";
        st = tool_stream_shutdown(&ts, &cs->o);
        while (st == SEC_E_OK && !peer_closed) {
            SECURITY_STATUS r = tool_stream_recv(&ts, &cs->o, buf, TOOL_NET_MAX_DATA, &got);

            peer_closed = r == SEC_I_CONTEXT_EXPIRED;
            if (r != SEC_E_OK || got == 0)
                break;
        }
        if (peer_closed)
            fprintf(stderr, "close_notify received\n");
        fprintf(stderr, "received %zu bytes\n", total);
    }
    free(buf);
    close(ts.fd);
    tool_stream_free(&ts);
    return st;
}

static int client_stream_run(const char *addr_arg, struct client_stream *cs)
{
    CredHandle cred;
    const char *call = NULL;
    size_t len = 0;
    uint8_t *data = client_read_stdin(&len);
    SECURITY_STATUS st =
        data ? tool_stream_cred(&cs->o, false, &cred, &call) : SEC_E_INSUFFICIENT_MEMORY;
    bool have_cred = st == SEC_E_OK;

    for (unsigned long i = 0; st == SEC_E_OK && i < cs->connections; i++)
        st = client_stream_once(addr_arg, cs, &cred, data, len, &call);
    if (have_cred)
        FreeCredentialsHandle(&cred);
    free(data);
    if (st != SEC_E_OK) {
        tool_err_status("client", call ? call : "?", st);
        return st == SEC_E_INVALID_PARAMETER ? TOOL_EXIT_USAGE : TOOL_EXIT_FAILED;
    }
    return TOOL_EXIT_OK;
}

/* `sspi client`: see client_usage(); returns a TOOL_EXIT_* code, 1 after
 * printing the failing call (the client's or the server's) and its status.
 * With --json, standard output gets one JSON document, complete even on
 * failure (but empty after a usage error). */
int tool_cmd_client(int argc, char **argv)
{
    static const struct option opts[] = {
        {"target", required_argument, NULL, TOOL_OPT_TARGET},
        {"messages", required_argument, NULL, CLIENT_OPT_MESSAGES},
        {"seal", no_argument, NULL, CLIENT_OPT_SEAL},
        {"no-seal", no_argument, NULL, CLIENT_OPT_NO_SEAL},
        {"stream", no_argument, NULL, CLIENT_OPT_STREAM},
        {"ca", required_argument, NULL, CLIENT_OPT_CA},
        {"cert", required_argument, NULL, CLIENT_OPT_CERT},
        {"key", required_argument, NULL, CLIENT_OPT_KEY},
        {"alpn", required_argument, NULL, CLIENT_OPT_ALPN},
        {"insecure", no_argument, NULL, CLIENT_OPT_INSECURE},
        {"protocol", required_argument, NULL, CLIENT_OPT_PROTOCOL},
        {"connections", required_argument, NULL, CLIENT_OPT_CONNECTIONS},
        {"settle", required_argument, NULL, CLIENT_OPT_SETTLE},
        {"echo", no_argument, NULL, CLIENT_OPT_ECHO},
        {"http", no_argument, NULL, CLIENT_OPT_HTTP},
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        TOOL_NET_SESSION_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tool_session_opts o = {0};
    struct tool_side side = {0};
    struct tool_net_bufs b = {0};
    struct client cl = {.json = false};
    unsigned long messages = 1;
    uint32_t cseq = 0, sseq = 0;
    int seal = -1;
    bool stream = false, http = false;
    struct client_stream cs = {.connections = 1};
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
        case CLIENT_OPT_MESSAGES:
            if (!tool_parse_uint(optarg, 0, 1000000, &messages)) {
                tool_err("client", "--messages: '%s' is not a number from 0 to 1000000", optarg);
                goto out;
            }
            break;
        case CLIENT_OPT_SEAL:
            seal = 1;
            break;
        case CLIENT_OPT_NO_SEAL:
            seal = 0;
            break;
        case CLIENT_OPT_STREAM:
            stream = true;
            break;
        case CLIENT_OPT_HTTP:
            http = true;
            break;
        case CLIENT_OPT_CA:
            cs.o.ca = optarg;
            break;
        case CLIENT_OPT_CERT:
            cs.o.cert = optarg;
            break;
        case CLIENT_OPT_KEY:
            cs.o.key = optarg;
            break;
        case CLIENT_OPT_ALPN:
            cs.o.alpn = optarg;
            break;
        case CLIENT_OPT_INSECURE:
            cs.o.insecure = true;
            break;
        case CLIENT_OPT_ECHO:
            cs.echo = true;
            break;
        case CLIENT_OPT_PROTOCOL:
            if (strcmp(optarg, "tls1.2") == 0)
                cs.o.protocols = SP_PROT_TLS1_2_CLIENT;
            else if (strcmp(optarg, "tls1.3") == 0)
                cs.o.protocols = SP_PROT_TLS1_3_CLIENT;
            else {
                tool_err("client", "--protocol: '%s' is not tls1.2 or tls1.3", optarg);
                goto out;
            }
            break;
        case CLIENT_OPT_CONNECTIONS:
            if (!tool_parse_uint(optarg, 1, 100, &cs.connections)) {
                tool_err("client", "--connections: '%s' is not a number from 1 to 100", optarg);
                goto out;
            }
            break;
        case CLIENT_OPT_SETTLE:
            if (!tool_parse_uint(optarg, 0, 10000, &cs.settle_ms)) {
                tool_err("client", "--settle: '%s' is not a number from 0 to 10000", optarg);
                goto out;
            }
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
    if (stream) {
        signal(SIGPIPE, SIG_IGN);
        cs.o.package = o.package;
        cs.o.target = o.target;
        rc = client_stream_run(argv[optind], &cs);
        goto out;
    }
    tool_session_defaults(&o);
    signal(SIGPIPE, SIG_IGN);
    if (http) {
        rc = client_http_run(argv[optind], &o);
        goto out;
    }

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
        fd = tool_net_open("client", argv[optind], false, addr, sizeof(addr));
        if (fd == -2) {
            rc = TOOL_EXIT_USAGE;
            goto out;
        }
        if (fd < 0) {
            /* tool_net_open() printed why */
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
            goto report; /* the reason is already on stderr */
        goto fail;
    }
    tool_net_set_timeouts(fd);
    if (cl.json) {
        json_key(&cl.jw, "handshake");
        json_begin_array(&cl.jw);
        in_array = true;
    } else {
        printf("connected to %s (package %s)\n", addr, o.package);
    }

    st = client_handshake(&cl, fd, &side, &who, &call);
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
    st = tool_net_bufs_init(&b, &side.ctx);
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
        st = client_roundtrip(&cl, fd, &side, &b, 'S', i, &cseq, &sseq, &who, &call);
        if (st != SEC_E_OK)
            goto fail;
        if (!seal)
            continue;
        st = client_roundtrip(&cl, fd, &side, &b, 'E', i, &cseq, &sseq, &who, &call);
        if (st != SEC_E_OK)
            goto fail;
    }
    if (!cl.json)
        printf("result: SEC_E_OK (0x00000000)\n");
    goto report;
fail : {
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
    tool_net_bufs_free(&b);
    if (fd >= 0)
        close(fd);
    tool_side_free(&side);
    tool_session_opts_free(&o);
    return rc;
}
