/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-session.c - the SSPI calls shared by `sspi loopback`, `server`,
 * `client` and `bench`: identity options, credentials, one handshake leg,
 * and the four per-message calls with the buffer layouts the tool uses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/tool.h"

/* Context requirements asked of every package. */
#define TOOL_ISC_REQ                                                                               \
    (ISC_REQ_CONNECTION | ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT |    \
     ISC_REQ_SEQUENCE_DETECT)
#define TOOL_ASC_REQ                                                                               \
    (ASC_REQ_CONNECTION | ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT |    \
     ASC_REQ_SEQUENCE_DETECT)

/* Output token capacity when a package reports a smaller cbMaxToken. */
#define TOOL_MIN_TOKEN 16384u

/* Read the first line of `path` ("-" = standard input) as the password. */
static char *tool_read_password_file(const char *verb, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f) {
        tool_err(verb, "%s: %s", path, strerror(errno));
        return NULL;
    }
    n = getline(&line, &cap, f);
    if (f != stdin)
        fclose(f);
    if (n < 0) {
        tool_err(verb, "%s: no password in the file", path);
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

bool tool_session_option(const char *verb, struct tool_session_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case TOOL_OPT_USER:
        o->id.user = arg;
        o->id.given = true;
        return true;
    case TOOL_OPT_DOMAIN:
        o->id.domain = arg;
        o->id.given = true;
        return true;
    case TOOL_OPT_PASSWORD:
        o->id.password = arg;
        o->id.given = true;
        return true;
    case TOOL_OPT_PASSWORD_FILE:
        if (o->id.password_storage) {
            explicit_bzero(o->id.password_storage, strlen(o->id.password_storage));
            free(o->id.password_storage);
        }
        o->id.password_storage = tool_read_password_file(verb, arg);
        if (!o->id.password_storage)
            return false;
        o->id.password = o->id.password_storage;
        o->id.given = true;
        return true;
    case TOOL_OPT_SERVER_PASSWORD:
        o->id.server_password = arg;
        return true;
    case TOOL_OPT_TARGET:
        o->target = arg;
        return true;
    case TOOL_OPT_BINDINGS:
        o->bindings = arg;
        return true;
    default:
        return false;
    }
}

void tool_session_defaults(struct tool_session_opts *o)
{
    if (!o->package || strcasecmp(o->package, "Sample") != 0)
        return;
    if (!o->id.user)
        o->id.user = "alice";
    if (!o->id.domain)
        o->id.domain = "EXAMPLE";
    if (!o->id.password)
        o->id.password = "secret";
    o->id.given = true;
}

void tool_session_opts_free(struct tool_session_opts *o)
{
    if (o->id.password_storage) {
        explicit_bzero(o->id.password_storage, strlen(o->id.password_storage));
        free(o->id.password_storage);
        o->id.password_storage = NULL;
    }
}

/* SEC_CHANNEL_BINDINGS followed by `app` as the application data. */
static bool tool_build_bindings(struct tool_side *side, const char *app)
{
    size_t alen = strlen(app);
    size_t total = sizeof(SEC_CHANNEL_BINDINGS) + alen;
    SEC_CHANNEL_BINDINGS *cb;

    if (total > UINT32_MAX)
        return false;
    side->cb_buf = calloc(1, total);
    if (!side->cb_buf)
        return false;
    cb = (SEC_CHANNEL_BINDINGS *)side->cb_buf;
    cb->cbApplicationDataLength = (uint32_t)alen;
    cb->dwApplicationDataOffset = (uint32_t)sizeof(SEC_CHANNEL_BINDINGS);
    memcpy(side->cb_buf + sizeof(SEC_CHANNEL_BINDINGS), app, alen);
    side->cb_len = (uint32_t)total;
    return true;
}

static uint32_t tool_len32(const char *s)
{
    return s ? (uint32_t)strlen(s) : 0;
}

SECURITY_STATUS tool_side_init(struct tool_side *side, const struct tool_session_opts *o,
                               bool server, const char **call)
{
    SECURITY_STATUS st;
    PSecPkgInfoA info = NULL;
    SEC_WINNT_AUTH_IDENTITY_A ident;
    TimeStamp expiry;
    const char *password = o->id.password;

    memset(side, 0, sizeof(*side));
    side->server = server;
    side->target = o->target;

    *call = "QuerySecurityPackageInfoA";
    st = QuerySecurityPackageInfoA((SEC_CHAR *)o->package, &info);
    if (st != SEC_E_OK)
        goto out;
    side->max_token = info->cbMaxToken < TOOL_MIN_TOKEN ? TOOL_MIN_TOKEN : info->cbMaxToken;
    FreeContextBuffer(info);

    *call = "malloc";
    if (o->bindings && !tool_build_bindings(side, o->bindings)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }

    if (server && o->id.server_password)
        password = o->id.server_password;
    memset(&ident, 0, sizeof(ident));
    ident.User = (unsigned char *)o->id.user;
    ident.UserLength = tool_len32(o->id.user);
    ident.Domain = (unsigned char *)o->id.domain;
    ident.DomainLength = tool_len32(o->id.domain);
    ident.Password = (unsigned char *)password;
    ident.PasswordLength = tool_len32(password);
    ident.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;

    *call = "AcquireCredentialsHandleA";
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package,
                                   server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, NULL,
                                   o->id.given ? &ident : NULL, NULL, NULL, &side->cred, &expiry);
    explicit_bzero(&ident, sizeof(ident));
    if (st != SEC_E_OK)
        goto out;
    side->have_cred = true;
    *call = NULL;
out:
    return st;
}

void tool_side_free(struct tool_side *side)
{
    if (side->have_ctx) {
        DeleteSecurityContext(&side->ctx);
        side->have_ctx = false;
    }
    if (side->have_cred) {
        FreeCredentialsHandle(&side->cred);
        side->have_cred = false;
    }
    free(side->cb_buf);
    side->cb_buf = NULL;
}

SECURITY_STATUS tool_side_step(struct tool_side *side, const uint8_t *in, uint32_t in_len,
                               uint8_t *out, uint32_t *out_len)
{
    SecBuffer inb[2], outb;
    SecBufferDesc ind, outd;
    TimeStamp expiry;
    SECURITY_STATUS st;
    uint32_t n = 0;
    bool first = !side->have_ctx;

    if (in) {
        inb[n].cbBuffer = in_len;
        inb[n].BufferType = SECBUFFER_TOKEN;
        inb[n].pvBuffer = (void *)in;
        n++;
    }
    if (side->cb_buf) {
        inb[n].cbBuffer = side->cb_len;
        inb[n].BufferType = SECBUFFER_CHANNEL_BINDINGS;
        inb[n].pvBuffer = side->cb_buf;
        n++;
    }
    ind.ulVersion = SECBUFFER_VERSION;
    ind.cBuffers = n;
    ind.pBuffers = inb;
    outb.cbBuffer = side->max_token;
    outb.BufferType = SECBUFFER_TOKEN;
    outb.pvBuffer = out;
    outd.ulVersion = SECBUFFER_VERSION;
    outd.cBuffers = 1;
    outd.pBuffers = &outb;

    if (first)
        memset(&side->ctx, 0, sizeof(side->ctx));
    if (side->server)
        st = AcceptSecurityContext(&side->cred, first ? NULL : &side->ctx, &ind, TOOL_ASC_REQ,
                                   SECURITY_NATIVE_DREP, &side->ctx, &outd, &side->attrs, &expiry);
    else
        st = InitializeSecurityContextA(
            &side->cred, first ? NULL : &side->ctx, (SEC_CHAR *)side->target, TOOL_ISC_REQ, 0,
            SECURITY_NATIVE_DREP, n ? &ind : NULL, 0, &side->ctx, &outd, &side->attrs, &expiry);
    if (first && (SEC_SUCCESS(st) || side->ctx.dwLower || side->ctx.dwUpper))
        side->have_ctx = true;
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cst = CompleteAuthToken(&side->ctx, &outd);

        if (cst != SEC_E_OK)
            st = cst;
        else
            st = st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    *out_len = SEC_SUCCESS(st) ? outb.cbBuffer : 0;
    if (*out_len > side->max_token)
        *out_len = 0;
    return st;
}

SECURITY_STATUS tool_sign(CtxtHandle *ctx, uint8_t *data, uint32_t len, uint8_t *sig,
                          uint32_t *sig_len, uint32_t seq)
{
    SecBuffer b[2] = {
        {len, SECBUFFER_DATA, data},
        {*sig_len, SECBUFFER_TOKEN, sig},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = MakeSignature(ctx, 0, &d, seq);

    *sig_len = b[1].cbBuffer;
    return st;
}

SECURITY_STATUS tool_verify(CtxtHandle *ctx, uint8_t *data, uint32_t len, uint8_t *sig,
                            uint32_t sig_len, uint32_t seq)
{
    SecBuffer b[2] = {
        {len, SECBUFFER_DATA, data},
        {sig_len, SECBUFFER_TOKEN, sig},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0;

    return VerifySignature(ctx, &d, seq, &qop);
}

SECURITY_STATUS tool_seal(CtxtHandle *ctx, uint8_t *tok, uint32_t *tok_len, uint8_t *data,
                          uint32_t len, uint8_t *pad, uint32_t *pad_len, uint32_t seq)
{
    SecBuffer b[3] = {
        {*tok_len, SECBUFFER_TOKEN, tok},
        {len, SECBUFFER_DATA, data},
        {*pad_len, SECBUFFER_PADDING, pad},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, *pad_len ? 3 : 2, b};
    SECURITY_STATUS st = EncryptMessage(ctx, 0, &d, seq);

    *tok_len = b[0].cbBuffer;
    *pad_len = d.cBuffers == 3 ? b[2].cbBuffer : 0;
    return st;
}

SECURITY_STATUS tool_unseal(CtxtHandle *ctx, uint8_t *tok, uint32_t tok_len, uint8_t *data,
                            uint32_t *len, uint8_t *pad, uint32_t pad_len, uint32_t seq)
{
    SecBuffer b[3] = {
        {tok_len, SECBUFFER_TOKEN, tok},
        {*len, SECBUFFER_DATA, data},
        {pad_len, SECBUFFER_PADDING, pad},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, pad_len ? 3 : 2, b};
    ULONG qop = 0;
    SECURITY_STATUS st = DecryptMessage(ctx, &d, seq, &qop);

    if (st == SEC_E_OK) {
        if (b[1].cbBuffer > *len)
            return SEC_E_INTERNAL_ERROR;
        if (b[1].pvBuffer != data && b[1].cbBuffer)
            memmove(data, b[1].pvBuffer, b[1].cbBuffer);
        *len = b[1].cbBuffer;
    }
    return st;
}

SECURITY_STATUS tool_query_name(CtxtHandle *ctx, char **name)
{
    SecPkgContext_NamesA names = {0};
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);

    *name = NULL;
    if (st != SEC_E_OK)
        return st;
    if (names.sUserName) {
        *name = strdup((const char *)names.sUserName);
        FreeContextBuffer(names.sUserName);
        if (!*name)
            return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}
