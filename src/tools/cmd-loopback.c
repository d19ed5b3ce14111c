/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-loopback.c - `sspi loopback NAME`: a client and a server context of
 * one package in one process: every handshake leg, the context
 * attributes, then signed and sealed messages both ways.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tools/json.h"
#include "tools/tool.h"

#define LOOP_VERB        "loopback"
#define LOOP_MAX_LEGS    16
#define LOOP_MAX_MESSAGE 256

enum {
    LOOP_OPT_SEAL = TOOL_OPT_FIRST_LOCAL,
    LOOP_OPT_NO_SEAL,
    LOOP_OPT_MESSAGES,
    LOOP_OPT_TAMPER,
};

struct loop_state {
    struct json_writer jw;
    bool json;
    int legs;
    const char *failed_call;
    SECURITY_STATUS result;
};

static void loop_usage(FILE *out)
{
    fprintf(out, "Usage: sspi loopback [OPTIONS] NAME\n"
                 "\n"
                 "Authenticate a client context to a server context of package NAME in\n"
                 "one process, print each handshake leg, the negotiated sizes, names and\n"
                 "flags, then exchange signed and sealed messages both ways.\n"
                 "\n"
                 "  --user USER            user name (Sample default: alice)\n"
                 "  --domain DOMAIN        domain (Sample default: EXAMPLE)\n"
                 "  --password PASSWORD    password (Sample default: secret); visible to\n"
                 "                         other users in ps(1), prefer --password-file\n"
                 "  --password-file FILE   read the password from the first line of FILE\n"
                 "                         (- for standard input)\n"
                 "  --server-password P    password of the server's credential (default:\n"
                 "                         the same); a different one shows a failed logon\n"
                 "  --target SPN           target name passed to InitializeSecurityContext\n"
                 "  --bindings STRING      channel bindings with STRING as application data\n"
                 "  --messages N           messages each way and kind (default 1)\n"
                 "  --seal / --no-seal     also exchange EncryptMessage/DecryptMessage\n"
                 "                         messages (default: when the package has\n"
                 "                         SECPKG_FLAG_PRIVACY)\n"
                 "  --tamper               alter the first signed message in transit; the\n"
                 "                         run must then fail with SEC_E_MESSAGE_ALTERED\n"
                 "  --json                 print a JSON object instead of text\n"
                 "  --help                 print this help\n"
                 "\n"
                 "Exit status: 0 all calls succeeded, 1 a call failed (its status is\n"
                 "printed), 2 usage error.\n");
}

static void loop_fail(struct loop_state *s, const char *call, SECURITY_STATUS st)
{
    s->failed_call = call;
    s->result = st;
    tool_err_status(LOOP_VERB, call, st);
}

static void loop_leg(struct loop_state *s, const char *side, const char *call, SECURITY_STATUS st,
                     uint32_t in_len, uint32_t out_len)
{
    char buf[96];

    s->legs++;
    tool_status_str(st, buf, sizeof(buf));
    if (s->json) {
        json_begin_object(&s->jw);
        json_kv_int(&s->jw, "leg", s->legs);
        json_kv_string(&s->jw, "side", side);
        json_kv_string(&s->jw, "call", call);
        json_kv_string(&s->jw, "status", libsspi_status_name(st));
        json_kv_string(&s->jw, "status_value", tool_hex32((uint32_t)st, buf, sizeof(buf)));
        json_kv_uint(&s->jw, "input_size", in_len);
        json_kv_uint(&s->jw, "output_size", out_len);
        json_end_object(&s->jw);
        return;
    }
    printf("  leg %d: %-6s %-27s %-40s in %5u  out %5u bytes\n", s->legs, side, call, buf, in_len,
           out_len);
}

/*
 * Run the handshake.  Returns SEC_E_OK when both sides are complete; on
 * failure the state records the failing call and status.
 */
static SECURITY_STATUS loop_handshake(struct loop_state *s, struct tool_side *c,
                                      struct tool_side *srv)
{
    static const char isc[] = "InitializeSecurityContextA";
    static const char asc[] = "AcceptSecurityContext";
    uint8_t *ctok = malloc(c->max_token), *stok = malloc(srv->max_token);
    uint32_t clen = 0, slen = 0;
    bool c_done, s_done = false;
    SECURITY_STATUS st;

    if (!ctok || !stok) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        loop_fail(s, "malloc", st);
        goto out;
    }
    st = tool_side_step(c, NULL, 0, ctok, &clen);
    loop_leg(s, "client", isc, st, 0, clen);
    if (!SEC_SUCCESS(st)) {
        loop_fail(s, isc, st);
        goto out;
    }
    c_done = st == SEC_E_OK;
    while (!(c_done && s_done)) {
        if (s->legs >= LOOP_MAX_LEGS) {
            st = SEC_E_INTERNAL_ERROR;
            loop_fail(s, "handshake (too many legs)", st);
            goto out;
        }
        if (!s_done) {
            if (c_done && clen == 0) {
                st = SEC_E_INCOMPLETE_MESSAGE;
                loop_fail(s, "handshake (client finished without a token for the server)", st);
                goto out;
            }
            st = tool_side_step(srv, ctok, clen, stok, &slen);
            loop_leg(s, "server", asc, st, clen, slen);
            clen = 0;
            if (!SEC_SUCCESS(st)) {
                loop_fail(s, asc, st);
                goto out;
            }
            s_done = st == SEC_E_OK;
        }
        if (!c_done) {
            if (s_done && slen == 0) {
                st = SEC_E_INCOMPLETE_MESSAGE;
                loop_fail(s, "handshake (server finished without a token for the client)", st);
                goto out;
            }
            st = tool_side_step(c, stok, slen, ctok, &clen);
            loop_leg(s, "client", isc, st, slen, clen);
            slen = 0;
            if (!SEC_SUCCESS(st)) {
                loop_fail(s, isc, st);
                goto out;
            }
            c_done = st == SEC_E_OK;
        }
    }
    st = SEC_E_OK;
out:
    free(ctok);
    free(stok);
    return st;
}

static void loop_json_flags(void *arg, const char *name, uint32_t bits)
{
    struct json_writer *jw = arg;
    char hex[16];

    json_string(jw, name ? name : tool_hex32(bits, hex, sizeof(hex)));
}

/* Name and flags of one side (informational: failures are printed only). */
static void loop_side_attrs(struct loop_state *s, const char *label, struct tool_side *side)
{
    const struct tool_flag *table = side->server ? tool_asc_ret_flags : tool_isc_ret_flags;
    SecPkgContext_Flags flags = {0};
    SECURITY_STATUS nst, fst;
    char *name = NULL;
    char buf[96];

    nst = tool_query_name(&side->ctx, &name);
    fst = QueryContextAttributesA(&side->ctx, SECPKG_ATTR_FLAGS, &flags);
    if (s->json) {
        json_key(&s->jw, label);
        json_begin_object(&s->jw);
        json_kv_string(&s->jw, "name", nst == SEC_E_OK ? name : NULL);
        json_kv_string(&s->jw, "names_status", libsspi_status_name(nst));
        json_kv_string(&s->jw, "context_attributes", tool_hex32(side->attrs, buf, sizeof(buf)));
        json_key(&s->jw, "context_attribute_names");
        json_begin_array(&s->jw);
        tool_flags_each(table, side->attrs, loop_json_flags, &s->jw);
        json_end_array(&s->jw);
        json_kv_string(&s->jw, "flags_status", libsspi_status_name(fst));
        if (fst == SEC_E_OK) {
            json_kv_string(&s->jw, "flags", tool_hex32(flags.Flags, buf, sizeof(buf)));
            json_key(&s->jw, "flag_names");
            json_begin_array(&s->jw);
            tool_flags_each(table, flags.Flags, loop_json_flags, &s->jw);
            json_end_array(&s->jw);
        }
        json_end_object(&s->jw);
    } else {
        printf("  %s:\n", label);
        if (nst == SEC_E_OK) {
            printf("    SECPKG_ATTR_NAMES   ");
            tool_put_text(stdout, name ? name : "(null)");
            putchar('\n');
        } else
            printf("    SECPKG_ATTR_NAMES   %s\n", tool_status_str(nst, buf, sizeof(buf)));
        printf("    context attributes  ");
        tool_flags_print(stdout, table, side->attrs, " ");
        printf("\n");
        if (fst == SEC_E_OK) {
            printf("    SECPKG_ATTR_FLAGS   ");
            tool_flags_print(stdout, table, flags.Flags, " ");
            printf(" (0x%08X)\n", flags.Flags);
        } else {
            printf("    SECPKG_ATTR_FLAGS   %s\n", tool_status_str(fst, buf, sizeof(buf)));
        }
    }
    free(name);
}

static void loop_msg(struct loop_state *s, int index, const char *kind, const char *from,
                     const char *make_call, SECURITY_STATUS mst, const char *check_call,
                     SECURITY_STATUS cst, bool checked, uint32_t size, uint32_t token)
{
    char b1[96], b2[96];
    const char *to = strcmp(from, "client") == 0 ? "server" : "client";

    if (s->json) {
        json_begin_object(&s->jw);
        json_kv_int(&s->jw, "index", index);
        json_kv_string(&s->jw, "kind", kind);
        json_kv_string(&s->jw, "from", from);
        json_kv_uint(&s->jw, "size", size);
        json_kv_uint(&s->jw, "token_size", token);
        json_kv_string(&s->jw, "make_call", make_call);
        json_kv_string(&s->jw, "make_status", libsspi_status_name(mst));
        json_kv_string(&s->jw, "check_call", check_call);
        json_kv_string(&s->jw, "check_status", checked ? libsspi_status_name(cst) : NULL);
        json_end_object(&s->jw);
        return;
    }
    printf("  #%d %s->%s %-4s %3u bytes: %s %s (token %u)", index, from, to, kind, size, make_call,
           tool_status_str(mst, b1, sizeof(b1)), token);
    if (checked)
        printf(", %s %s", check_call, tool_status_str(cst, b2, sizeof(b2)));
    printf("\n");
}

/* One signed message from `a` to `b`. */
static SECURITY_STATUS loop_sign_one(struct loop_state *s, int index, const char *from,
                                     struct tool_side *a, struct tool_side *b, uint32_t seq,
                                     uint32_t max_sig, bool tamper)
{
    uint8_t data[LOOP_MAX_MESSAGE];
    uint8_t *sig = calloc(1, max_sig ? max_sig : 1);
    uint32_t sig_len = max_sig, len;
    SECURITY_STATUS mst, vst = SEC_E_OK;

    if (!sig) {
        loop_fail(s, "malloc", SEC_E_INSUFFICIENT_MEMORY);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    len = (uint32_t)snprintf((char *)data, sizeof(data), "signed message %d from the %s", index,
                             from);
    mst = tool_sign(&a->ctx, data, len, sig, &sig_len, seq);
    if (mst == SEC_E_OK) {
        if (tamper)
            data[0] ^= 0x01;
        vst = tool_verify(&b->ctx, data, len, sig, sig_len, seq);
    }
    loop_msg(s, index, "sign", from, "MakeSignature", mst, "VerifySignature", vst, mst == SEC_E_OK,
             len, sig_len);
    free(sig);
    if (mst != SEC_E_OK) {
        loop_fail(s, "MakeSignature", mst);
        return mst;
    }
    if (vst != SEC_E_OK) {
        loop_fail(s, "VerifySignature", vst);
        return vst;
    }
    return SEC_E_OK;
}

/* One sealed message from `a` to `b`; the plaintext must come back intact. */
static SECURITY_STATUS loop_seal_one(struct loop_state *s, int index, const char *from,
                                     struct tool_side *a, struct tool_side *b, uint32_t seq,
                                     const SecPkgContext_Sizes *sz)
{
    uint8_t data[LOOP_MAX_MESSAGE], orig[LOOP_MAX_MESSAGE];
    uint8_t *tok = calloc(1, sz->cbSecurityTrailer + 1);
    uint8_t *pad = calloc(1, sz->cbBlockSize + 1);
    uint32_t tok_len = sz->cbSecurityTrailer, pad_len = sz->cbBlockSize, len, out_len;
    SECURITY_STATUS est, dst = SEC_E_OK;

    if (!tok || !pad) {
        free(tok);
        free(pad);
        loop_fail(s, "malloc", SEC_E_INSUFFICIENT_MEMORY);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    len = (uint32_t)snprintf((char *)data, sizeof(data), "sealed message %d from the %s", index,
                             from);
    memcpy(orig, data, len);
    est = tool_seal(&a->ctx, tok, &tok_len, data, len, pad, &pad_len, seq);
    out_len = len;
    if (est == SEC_E_OK)
        dst = tool_unseal(&b->ctx, tok, tok_len, data, &out_len, pad, pad_len, seq);
    if (est == SEC_E_OK && dst == SEC_E_OK && (out_len != len || memcmp(orig, data, len) != 0))
        dst = SEC_E_MESSAGE_ALTERED;
    loop_msg(s, index, "seal", from, "EncryptMessage", est, "DecryptMessage", dst, est == SEC_E_OK,
             len, tok_len + pad_len);
    free(tok);
    free(pad);
    if (est != SEC_E_OK) {
        loop_fail(s, "EncryptMessage", est);
        return est;
    }
    if (dst != SEC_E_OK) {
        loop_fail(s, "DecryptMessage", dst);
        return dst;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS loop_messages(struct loop_state *s, struct tool_side *c,
                                     struct tool_side *srv, const SecPkgContext_Sizes *sz,
                                     unsigned long n, bool seal, bool tamper)
{
    uint32_t cseq = 0, sseq = 0;
    SECURITY_STATUS st;

    for (unsigned long i = 0; i < n; i++) {
        st = loop_sign_one(s, (int)i, "client", c, srv, cseq++, sz->cbMaxSignature,
                           tamper && i == 0);
        if (st != SEC_E_OK)
            return st;
        st = loop_sign_one(s, (int)i, "server", srv, c, sseq++, sz->cbMaxSignature, false);
        if (st != SEC_E_OK)
            return st;
        if (!seal)
            continue;
        st = loop_seal_one(s, (int)i, "client", c, srv, cseq++, sz);
        if (st != SEC_E_OK)
            return st;
        st = loop_seal_one(s, (int)i, "server", srv, c, sseq++, sz);
        if (st != SEC_E_OK)
            return st;
    }
    return SEC_E_OK;
}

/* `sspi loopback NAME`: see loop_usage(); returns a TOOL_EXIT_* code, 1
 * after printing the first failing call and its status. */
int tool_cmd_loopback(int argc, char **argv)
{
    static const struct option opts[] = {
        {"user", required_argument, NULL, TOOL_OPT_USER},
        {"domain", required_argument, NULL, TOOL_OPT_DOMAIN},
        {"password", required_argument, NULL, TOOL_OPT_PASSWORD},
        {"password-file", required_argument, NULL, TOOL_OPT_PASSWORD_FILE},
        {"server-password", required_argument, NULL, TOOL_OPT_SERVER_PASSWORD},
        {"target", required_argument, NULL, TOOL_OPT_TARGET},
        {"bindings", required_argument, NULL, TOOL_OPT_BINDINGS},
        {"messages", required_argument, NULL, LOOP_OPT_MESSAGES},
        {"seal", no_argument, NULL, LOOP_OPT_SEAL},
        {"no-seal", no_argument, NULL, LOOP_OPT_NO_SEAL},
        {"tamper", no_argument, NULL, LOOP_OPT_TAMPER},
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        {"help", no_argument, NULL, TOOL_OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct tool_session_opts o = {0};
    struct loop_state s = {.result = SEC_E_OK};
    struct tool_side client = {0}, server = {0};
    SecPkgContext_Sizes sz = {0};
    unsigned long messages = 1;
    int seal = -1; /* -1: by capability */
    bool tamper = false;
    const char *call = NULL;
    SECURITY_STATUS st;
    PSecPkgInfoA info = NULL;
    int c, rc = TOOL_EXIT_USAGE;
    char buf[96];

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_JSON:
            s.json = true;
            break;
        case TOOL_OPT_HELP:
            loop_usage(stdout);
            rc = TOOL_EXIT_OK;
            goto out_opts;
        case LOOP_OPT_MESSAGES:
            if (!tool_parse_uint(optarg, 0, 1000000, &messages)) {
                tool_err(LOOP_VERB, "--messages: '%s' is not a number from 0 to 1000000", optarg);
                goto out_opts;
            }
            break;
        case LOOP_OPT_SEAL:
            seal = 1;
            break;
        case LOOP_OPT_NO_SEAL:
            seal = 0;
            break;
        case LOOP_OPT_TAMPER:
            tamper = true;
            break;
        default:
            if (c >= TOOL_OPT_USER && c < TOOL_OPT_JSON) {
                if (!tool_session_option(LOOP_VERB, &o, c, optarg))
                    goto out_opts;
                break;
            }
            loop_usage(stderr);
            goto out_opts;
        }
    }
    if (argc - optind != 1) {
        tool_err(LOOP_VERB, "exactly one package name is required");
        loop_usage(stderr);
        goto out_opts;
    }
    if (tamper && messages == 0)
        messages = 1;
    o.package = argv[optind];
    tool_session_defaults(&o);
    if (!s.json && tool_is_stream_package(o.package)) {
        rc = tool_stream_loopback(o.package);
        goto out_opts;
    }

    if (s.json) {
        json_init(&s.jw, stdout);
        json_begin_object(&s.jw);
        json_kv_string(&s.jw, "package", o.package);
        json_kv_string(&s.jw, "user", o.id.user);
        json_kv_string(&s.jw, "domain", o.id.domain);
        json_kv_string(&s.jw, "target", o.target);
        json_kv_bool(&s.jw, "bindings", o.bindings != NULL);
    } else {
        printf("package %s", o.package);
        if (o.id.user)
            printf(", user %s%s%s", o.id.domain ? o.id.domain : "", o.id.domain ? "\\" : "",
                   o.id.user);
        if (o.target)
            printf(", target %s", o.target);
        if (o.bindings)
            printf(", channel bindings");
        printf("\n");
    }

    st = QuerySecurityPackageInfoA((SEC_CHAR *)o.package, &info);
    if (st != SEC_E_OK) {
        loop_fail(&s, "QuerySecurityPackageInfoA", st);
        goto out;
    }
    if (seal < 0)
        seal = (info->fCapabilities & SECPKG_FLAG_PRIVACY) != 0;
    FreeContextBuffer(info);

    st = tool_side_init(&client, &o, false, &call);
    if (st != SEC_E_OK) {
        loop_fail(&s, call, st);
        goto out;
    }
    st = tool_side_init(&server, &o, true, &call);
    if (st != SEC_E_OK) {
        loop_fail(&s, call, st);
        goto out;
    }

    if (s.json) {
        json_key(&s.jw, "handshake");
        json_begin_array(&s.jw);
    } else {
        printf("handshake:\n");
    }
    st = loop_handshake(&s, &client, &server);
    if (s.json)
        json_end_array(&s.jw);
    if (st != SEC_E_OK)
        goto out;

    st = QueryContextAttributesA(&client.ctx, SECPKG_ATTR_SIZES, &sz);
    if (s.json) {
        json_key(&s.jw, "sizes");
        json_begin_object(&s.jw);
        json_kv_string(&s.jw, "status", libsspi_status_name(st));
        json_kv_uint(&s.jw, "max_token", sz.cbMaxToken);
        json_kv_uint(&s.jw, "max_signature", sz.cbMaxSignature);
        json_kv_uint(&s.jw, "block_size", sz.cbBlockSize);
        json_kv_uint(&s.jw, "security_trailer", sz.cbSecurityTrailer);
        json_end_object(&s.jw);
    } else if (st == SEC_E_OK) {
        printf("SECPKG_ATTR_SIZES: max token %u, max signature %u, block size %u, "
               "security trailer %u\n",
               sz.cbMaxToken, sz.cbMaxSignature, sz.cbBlockSize, sz.cbSecurityTrailer);
    }
    if (st != SEC_E_OK) {
        loop_fail(&s, "QueryContextAttributesA(SECPKG_ATTR_SIZES)", st);
        goto out;
    }
    if (!s.json)
        printf("contexts:\n");
    loop_side_attrs(&s, "client", &client);
    loop_side_attrs(&s, "server", &server);

    if (s.json) {
        json_kv_bool(&s.jw, "seal", seal != 0);
        json_key(&s.jw, "messages");
        json_begin_array(&s.jw);
    } else if (messages) {
        printf("messages%s:\n", seal ? "" : " (signing only)");
    }
    st = loop_messages(&s, &client, &server, &sz, messages, seal != 0, tamper);
    if (s.json)
        json_end_array(&s.jw);

out:
    if (s.json) {
        json_kv_string(&s.jw, "result", libsspi_status_name(s.result));
        json_kv_string(&s.jw, "result_value", tool_hex32((uint32_t)s.result, buf, sizeof(buf)));
        json_kv_string(&s.jw, "failed_call", s.failed_call);
        json_end_object(&s.jw);
        json_finish(&s.jw);
    } else if (s.result == SEC_E_OK) {
        printf("result: %s\n", tool_status_str(s.result, buf, sizeof(buf)));
    }
    rc = s.result == SEC_E_OK ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
    tool_side_free(&client);
    tool_side_free(&server);
out_opts:
    tool_session_opts_free(&o);
    return rc;
}
