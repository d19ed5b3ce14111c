/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool.h - declarations shared by the files of the `sspi` command.
 *
 * The command is built only on the public API (sspi.h, libsspi.h).  Each
 * verb lives in its own cmd-*.c file and is entered through a
 * `tool_cmd_*` function taking the verb's own argument vector (argv[0] is
 * "sspi VERB").  Verbs return one of the TOOL_EXIT_* codes.
 */
#ifndef LIBSSPI_TOOL_H
#define LIBSSPI_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <sys/socket.h>

#include "sspi.h"
#include "libsspi.h"

/* Exit codes: stable, documented in sspi(1). */
#define TOOL_EXIT_OK     0 /* the operation succeeded */
#define TOOL_EXIT_FAILED 1 /* an SSPI call failed; its status was printed */
#define TOOL_EXIT_USAGE  2 /* bad command line, unreadable file, ... */

/* Identity used by the verbs that authenticate. */
struct tool_identity {
    const char *user;
    const char *domain;
    const char *password;
    const char *server_password; /* loopback only: acceptor's password */
    char *password_storage;      /* read from --password-file; wiped */
    bool given;                  /* any of --user/--domain/--password[-file] */
};

/* Options common to loopback, server, client and bench. */
struct tool_session_opts {
    const char *package;
    const char *target;   /* SPN handed to InitializeSecurityContext */
    const char *bindings; /* application data of channel bindings */
    struct tool_identity id;
};

/* One side of an authentication: its credential and context. */
struct tool_side {
    CredHandle cred;
    CtxtHandle ctx;
    bool have_cred;
    bool have_ctx;
    bool server;
    uint32_t attrs;     /* ISC_RET_* / ASC_RET_* of the last leg */
    uint32_t max_token; /* cbMaxToken of the package */
    uint8_t *cb_buf;    /* SEC_CHANNEL_BINDINGS + application data */
    uint32_t cb_len;
    const char *target;
    char http_spn[600]; /* --http client: "HTTP/<host>" when no --target */
};

/* Verbs (one per cmd-*.c file). */
int tool_cmd_list(int argc, char **argv);
int tool_cmd_info(int argc, char **argv);
int tool_cmd_loopback(int argc, char **argv);
int tool_cmd_server(int argc, char **argv);
int tool_cmd_client(int argc, char **argv);
int tool_cmd_bench(int argc, char **argv);
int tool_cmd_status(int argc, char **argv);
int tool_cmd_realm(int argc, char **argv);

/* ---- tool-util.c: printing, flag tables and number parsing. */

/* Program name used in messages ("sspi"). */
extern const char *tool_progname;

/* Print "sspi: VERB: fmt..." to stderr. */
void tool_err(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "sspi: VERB: CALL: NAME (0xVALUE): meaning" to stderr. */
void tool_err_status(const char *verb, const char *call, SECURITY_STATUS st);

/* Write text a package or the loader supplied (names, comments, paths,
 * reasons) with control and bidirectional characters escaped
 * (common/escape.h); NULL writes nothing. */
void tool_put_text(FILE *out, const char *s);

/* Format "NAME (0xVALUE)" into buf (at least 64 bytes); returns buf. */
const char *tool_status_str(SECURITY_STATUS st, char *buf, size_t len);

/* Format "0xVALUE" (8 hex digits, upper case) into buf (>= 11 bytes). */
const char *tool_hex32(uint32_t v, char *buf, size_t len);

/* Bit-flag table entry: `name` describes `value` (one or more bits). */
struct tool_flag {
    const char *name;
    uint32_t value;
};

extern const struct tool_flag tool_secpkg_flags[];  /* SECPKG_FLAG_* */
extern const struct tool_flag tool_isc_ret_flags[]; /* ISC_RET_* */
extern const struct tool_flag tool_asc_ret_flags[]; /* ASC_RET_* */

/*
 * Decode `value` with a NULL-terminated flag table.  Calls `cb` once per
 * named bit and once with name NULL and the remaining unknown bits (if
 * any).
 */
void tool_flags_each(const struct tool_flag *table, uint32_t value,
                     void (*cb)(void *arg, const char *name, uint32_t bits), void *arg);

/* Write the flag names of `value` separated by `sep` to `out`; unknown
 * bits are written as a hex number; "none" if value is 0. */
void tool_flags_print(FILE *out, const struct tool_flag *table, uint32_t value, const char *sep);

/* Parse a decimal unsigned number within [min, max]; false if invalid. */
bool tool_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Parse a non-negative decimal number of seconds (fractions allowed). */
bool tool_parse_seconds(const char *s, double *out);

/* Reset getopt for a new argument vector. */
void tool_getopt_reset(void);

/* ---- tool-session.c: credentials, handshake legs and messages. */

/*
 * Long options shared by the verbs that authenticate; `val` codes are
 * TOOL_OPT_*.  tool_session_option() consumes one of them; it returns
 * false (after printing why) if the argument is bad.
 */
enum {
    TOOL_OPT_USER = 0x100,
    TOOL_OPT_DOMAIN,
    TOOL_OPT_PASSWORD,
    TOOL_OPT_PASSWORD_FILE,
    TOOL_OPT_SERVER_PASSWORD,
    TOOL_OPT_TARGET,
    TOOL_OPT_BINDINGS,
    TOOL_OPT_JSON,
    TOOL_OPT_HELP,
    TOOL_OPT_FIRST_LOCAL, /* verbs number their own options from here */
};
bool tool_session_option(const char *verb, struct tool_session_opts *o, int opt, const char *arg);

/* Apply the documented defaults (Sample: alice / EXAMPLE / secret). */
void tool_session_defaults(struct tool_session_opts *o);

/* Wipe and free the password read from a file. */
void tool_session_opts_free(struct tool_session_opts *o);

/*
 * Prepare a side: query the package's cbMaxToken, build the channel
 * bindings buffer, and acquire the credential (outbound for the client,
 * inbound for the server) with the identity of `o` (the server uses
 * id.server_password when set).  On failure `*call` names the failing
 * SSPI function.  Release with tool_side_free().
 */
SECURITY_STATUS tool_side_init(struct tool_side *side, const struct tool_session_opts *o,
                               bool server, const char **call);

/* Delete the context and free the credential of a side (idempotent). */
void tool_side_free(struct tool_side *side);

/*
 * One leg of the handshake: InitializeSecurityContextA for a client side,
 * AcceptSecurityContext for a server side.  `in` (may be NULL/0 on the
 * client's first leg) is the peer's token; the output token is written to
 * `out` (capacity side->max_token) and its size to *out_len.  COMPLETE
 * statuses are finished with CompleteAuthToken and reported as SEC_E_OK /
 * SEC_I_CONTINUE_NEEDED.  Returns the package's status.
 */
SECURITY_STATUS tool_side_step(struct tool_side *side, const uint8_t *in, uint32_t in_len,
                               uint8_t *out, uint32_t *out_len);

/* The per-message calls.  `seq` is passed as MessageSeqNo. */
SECURITY_STATUS tool_sign(CtxtHandle *ctx, uint8_t *data, uint32_t len, uint8_t *sig,
                          uint32_t *sig_len, uint32_t seq);
SECURITY_STATUS tool_verify(CtxtHandle *ctx, uint8_t *data, uint32_t len, uint8_t *sig,
                            uint32_t sig_len, uint32_t seq);

/*
 * EncryptMessage with [TOKEN trailer][DATA][PADDING block] buffers (the
 * padding buffer only when cbBlockSize is non-zero).  *tok_len and
 * *pad_len hold the capacities on entry and the used sizes on return.
 */
SECURITY_STATUS tool_seal(CtxtHandle *ctx, uint8_t *tok, uint32_t *tok_len, uint8_t *data,
                          uint32_t len, uint8_t *pad, uint32_t *pad_len, uint32_t seq);

/* DecryptMessage of what tool_seal produced; *len gets the plaintext size. */
SECURITY_STATUS tool_unseal(CtxtHandle *ctx, uint8_t *tok, uint32_t tok_len, uint8_t *data,
                            uint32_t *len, uint8_t *pad, uint32_t pad_len, uint32_t seq);

/* QueryContextAttributesA(SECPKG_ATTR_NAMES); returns a malloc()ed copy in
 * *name (NULL on failure). */
SECURITY_STATUS tool_query_name(CtxtHandle *ctx, char **name);

/* ---- tool-packages.c: package descriptions shared by list and info. */

struct json_writer;

/*
 * What is known about one package: the SecPkgInfoA from the enumeration
 * (NULL if the package did not load) and/or the loader's report (NULL for
 * a package the reports do not list).  Pointers borrow from the arrays
 * kept in struct tool_packages.
 */
struct tool_package {
    const SecPkgInfoA *info;
    const LIBSSPI_PACKAGE_REPORT *report;
};

struct tool_packages {
    PSecPkgInfoA infos; /* EnumerateSecurityPackagesA */
    uint32_t n_infos;
    LIBSSPI_PACKAGE_REPORT *reports; /* libsspi_query_packages */
    uint32_t n_reports;
    struct tool_package *pkgs; /* merged view, reports first */
    uint32_t n_pkgs;
};

/* Enumerate and merge; on failure `*call` names the failing function. */
SECURITY_STATUS tool_packages_load(struct tool_packages *p, const char **call);
void tool_packages_free(struct tool_packages *p);
/* Case-insensitive lookup by package name; NULL if absent. */
const struct tool_package *tool_packages_find(const struct tool_packages *p, const char *name);
/* Name to show: package name, or the module's file name if unnamed. */
const char *tool_package_label(const struct tool_package *pkg);
/* Text block (detailed adds the capability list one per line). */
void tool_package_print(FILE *out, const struct tool_package *pkg, bool detailed);
/* One JSON object. */
void tool_package_json(struct json_writer *jw, const struct tool_package *pkg);

/* ---- tool-net.c: sockets and the wire format of `sspi server`/`client`. */

#define TOOL_NET_MAX_DATA   (1u << 20) /* largest message payload on the wire */
#define TOOL_NET_MAX_LEGS   16         /* handshake legs before giving up */
#define TOOL_NET_IO_TIMEOUT 300        /* socket send/receive timeout, seconds */

/* The identity options of server and client, and their help text. */
#define TOOL_NET_SESSION_OPTIONS                                                                   \
    {"user", required_argument, NULL, TOOL_OPT_USER},                                              \
        {"domain", required_argument, NULL, TOOL_OPT_DOMAIN},                                      \
        {"password", required_argument, NULL, TOOL_OPT_PASSWORD},                                  \
        {"password-file", required_argument, NULL, TOOL_OPT_PASSWORD_FILE},                        \
        {"bindings", required_argument, NULL, TOOL_OPT_BINDINGS},                                  \
    {                                                                                              \
        "help", no_argument, NULL, TOOL_OPT_HELP                                                   \
    }
extern const char tool_net_identity_help[];

/*
 * Open a TCP socket for HOST:PORT ("[v6]:port" allowed): listening (empty
 * HOST = every address; port 0 = a free port) or connected.  `addr` gets
 * "HOST:PORT" of the address bound or connected to.  Returns the socket,
 * -2 for a bad HOST:PORT (usage error), -1 when no address worked; both
 * failures are printed under `verb`.
 */
int tool_net_open(const char *verb, const char *arg, bool listening, char *addr, size_t addr_size);
/* "HOST:PORT" ("[v6]:PORT") text of a socket address into buf. */
void tool_net_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);
/* Send/receive timeouts and TCP_NODELAY on a connected socket. */
void tool_net_set_timeouts(int fd);
/* One big-endian status word; receive returns as tool_read_all(). */
bool tool_net_send_status(int fd, SECURITY_STATUS st);
int tool_net_recv_status(int fd, SECURITY_STATUS *st);

/* Message buffers sized from SECPKG_ATTR_SIZES, one set per connection. */
struct tool_net_bufs {
    SecPkgContext_Sizes sz;
    uint8_t *data, *sig, *tok, *pad;
};
/* Query the sizes and allocate; free with tool_net_bufs_free() (also after
 * a failure). */
SECURITY_STATUS tool_net_bufs_init(struct tool_net_bufs *b, CtxtHandle *ctx);
void tool_net_bufs_free(struct tool_net_bufs *b);

/*
 * Send b->data[0..len) signed ("S") or sealed ("E") as frames, preceded
 * by the kind frame when `with_kind`.  *make_st gets the status of
 * MakeSignature/EncryptMessage and *tok_size the size of the signature,
 * or of the trailer and padding; *call names the step that failed.
 */
SECURITY_STATUS tool_net_send_msg(int fd, CtxtHandle *ctx, struct tool_net_bufs *b, char kind,
                                  uint32_t len, uint32_t seq, bool with_kind, const char **call,
                                  SECURITY_STATUS *make_st, uint32_t *tok_size);
/* Receive a message of `kind` and verify/decrypt it into b->data; *len
 * gets its size and *call the step that failed. */
SECURITY_STATUS tool_net_recv_msg(int fd, CtxtHandle *ctx, struct tool_net_bufs *b, char kind,
                                  uint32_t *len, uint32_t seq, const char **call);

/* Write all bytes; false on error. */
bool tool_write_all(int fd, const void *buf, size_t len);
/* Read exactly len bytes; 1 ok, 0 clean EOF before the first byte, -1 error
 * (errno ETIMEDOUT once the calling thread's deadline has passed). */
int tool_read_all(int fd, void *buf, size_t len);
/* Reads on the calling thread must finish within `seconds` from now (0: no
 * deadline).  Thread-local, so each served connection has its own. */
void tool_io_deadline(unsigned long seconds);
/* Send one frame (4-byte big-endian length, then the bytes). */
bool tool_send_frame(int fd, const void *buf, uint32_t len);
/* Receive one frame of at most `cap` bytes; 1 ok, 0 EOF, -1 error/too big. */
int tool_recv_frame(int fd, void *buf, uint32_t cap, uint32_t *len);

/* ---- tool-stream.c: raw-stream mode (stream packages such as Schannel). */

struct tool_stream_opts {
    const char *package;
    const char *cert, *key; /* our certificate and key (files or pkcs11: URI) */
    const char *ca;         /* trusted roots (PEM file) */
    const char *target;     /* server name the client checks and sends (SNI) */
    const char *alpn;       /* comma-separated ALPN ids */
    uint32_t protocols;     /* SP_PROT_* (0: default) */
    bool insecure;          /* SCH_CRED_MANUAL_CRED_VALIDATION */
    bool require_client_cert;
};

/* One connection: socket, context and the bytes read but not yet used. */
struct tool_stream {
    int fd;
    bool server, have_ctx;
    CredHandle *cred;
    CtxtHandle ctx;
    uint8_t *in, *rec;
    size_t in_len, in_cap;
    SecPkgContext_StreamSizes sz;
};

/* Credential for a side from the options; *call names what failed. */
SECURITY_STATUS tool_stream_cred(const struct tool_stream_opts *o, bool server, CredHandle *cred,
                                 const char **call);
/* One ISC/ASC call with the buffered input; output written to the socket. */
SECURITY_STATUS tool_stream_leg(struct tool_stream *s, const struct tool_stream_opts *o);
/* Whole handshake; SEC_E_OK with the stream sizes known. */
SECURITY_STATUS tool_stream_handshake(struct tool_stream *s, const struct tool_stream_opts *o);
/* EncryptMessage in records of at most cbMaximumMessage, written out. */
SECURITY_STATUS tool_stream_send(struct tool_stream *s, const void *data, size_t len);
/* The next application data (one record, up to cap bytes) into out;
 * SEC_I_CONTEXT_EXPIRED at the peer's close_notify, SEC_E_OK with *got 0
 * when the connection ended without one. */
SECURITY_STATUS tool_stream_recv(struct tool_stream *s, const struct tool_stream_opts *o,
                                 uint8_t *out, size_t cap, size_t *got);
/* Send close_notify (ApplyControlToken SCHANNEL_SHUTDOWN, then ISC/ASC). */
SECURITY_STATUS tool_stream_shutdown(struct tool_stream *s, const struct tool_stream_opts *o);
/* Protocol, suite, ALPN, resumption and peer certificate, one per line. */
void tool_stream_describe(struct tool_stream *s, FILE *out);
void tool_stream_free(struct tool_stream *s);

/* ---- tool-http.c: RFC 4559 HTTP authentication (`--http`). */

#define TOOL_HTTP_MAX_HEAD 65536u /* a request or response head, tokens included */

/* What tool_http_parse_head found in one message head. */
struct tool_http_msg {
    int minor;                   /* HTTP/1.<minor> */
    int status;                  /* responses */
    char method[16], path[1024]; /* requests */
    bool have_length, chunked, close, keep_alive;
    unsigned long long content_length;
    bool have_auth;                 /* Authorization / WWW-Authenticate for our scheme */
    char token[TOOL_HTTP_MAX_HEAD]; /* its base64 token ("" when bare) */
    size_t token_len;
};

/*
 * Parse head[0..len) (start line through the blank line, CRLF endings) of
 * a request or a response.  The Authorization (request) or
 * WWW-Authenticate (response) header of `scheme` is picked out; a second
 * one, a repeated Content-Length or a malformed line fails.  Pure: reads
 * nothing outside head[0..len).
 */
bool tool_http_parse_head(const char *head, size_t len, bool request, const char *scheme,
                          struct tool_http_msg *m);

/* Base64 (RFC 4648, padded).  Encode returns the length written (0 if
 * `cap` cannot hold it and the NUL); decode is strict (length a multiple
 * of 4, padding only at the end, the bits a pad drops zero) and fails
 * rather than overflow `cap`. */
size_t tool_b64_encode(const uint8_t *in, size_t len, char *out, size_t cap);
bool tool_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* An http:// URL: the authority (Host header), HOST:PORT to connect to
 * (port 80 when none), the bare host (for the SPN) and the path. */
struct tool_http_url {
    char authority[512], hostport[520], host[512];
    const char *path; /* points into the URL; "/" when absent */
};

/* Split "http://HOST[:PORT][/PATH]" (HOST may be "[v6]"); false if it is
 * not one. */
bool tool_http_parse_url(const char *url, struct tool_http_url *u);

/* The HTTP scheme of a package: "Negotiate" for Negotiate and Kerberos,
 * "NTLM" for NTLM, else the package name. */
const char *tool_http_scheme(const char *package);

/* What every served HTTP connection shares. */
struct tool_http_server {
    const char *scheme;
    bool json;                 /* JSON Lines events instead of text */
    unsigned long timeout;     /* seconds per request */
    pthread_mutex_t *out_lock; /* one output line at a time */
};

/* Serve one HTTP connection (keep-alive) with the credential of `proto`.
 * TOOL_EXIT_OK when at least one logon succeeded and none failed. */
int tool_http_serve(const struct tool_http_server *srv, int fd, const char *peer,
                    const struct tool_side *proto);

/* GET `url` (http://HOST[:PORT]/PATH) and authenticate with `scheme` on
 * one connection; the target defaults to HTTP/<host>.  TOOL_EXIT_OK when
 * the server answered 200 and the context is complete. */
int tool_http_client(const char *url, struct tool_side *side, const char *scheme);

/* ---- tool-stream-local.c: loopback and bench for stream packages. */

/* Is `package` a stream package (SECPKG_FLAG_STREAM: Schannel)? */
bool tool_is_stream_package(const char *package);
/* `sspi loopback` of a stream package: throwaway PKI, handshake, records. */
int tool_stream_loopback(const char *package);
/* `sspi bench` of a stream package: ns per EncryptMessage / DecryptMessage. */
int tool_stream_bench(const char *package, const uint32_t *sizes, int n_sizes, double seconds,
                      unsigned long count);

#endif /* LIBSSPI_TOOL_H */
