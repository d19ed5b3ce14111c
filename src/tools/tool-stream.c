/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-stream.c - raw-stream mode of `sspi server` and `sspi client` for
 * stream packages (Schannel): the package's own bytes go straight on the
 * TCP connection, with no framing, so that ordinary TLS tools
 * (gnutls-cli, openssl s_client, gnutls-serv, openssl s_server) are the
 * peers.
 *
 * The handshake follows Windows' rules: bytes read from the socket are
 * appended to one input buffer; SEC_E_INCOMPLETE_MESSAGE means read more,
 * SECBUFFER_EXTRA marks what the next call (or DecryptMessage) gets.
 * Application data is one record per DecryptMessage, looping on EXTRA;
 * SEC_I_RENEGOTIATE hands the rest to InitializeSecurityContext /
 * AcceptSecurityContext; SEC_I_CONTEXT_EXPIRED is the peer's
 * close_notify, answered with ours (ApplyControlToken SCHANNEL_SHUTDOWN).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schannel.h"
#include "winerror.h"
#include "tools/tool.h"

#define STREAM_READ_CHUNK 65536
#define STREAM_MAX_LEGS   32

/* What libsspi_cert_from_files's last error says about a key in a token,
 * for the operator; NULL when it says nothing of one. */
static const char *stream_token_why(DWORD e)
{
    switch ((HRESULT)e) {
    case NTE_BAD_KEYSET:
        return "no such token or key object";
    case NTE_BAD_KEYSET_PARAM:
        return "not a pkcs11: URI of a private key";
    case SCARD_W_WRONG_CHV:
        return "the token refused the PIN, or none was given";
    case SCARD_W_CHV_BLOCKED:
        return "the PIN is locked or expired";
    case NTE_BAD_PUBLIC_KEY:
        return "the key is not the certificate's";
    default:
        return NULL;
    }
}

SECURITY_STATUS tool_stream_cred(const struct tool_stream_opts *o, bool server, CredHandle *cred,
                                 const char **call)
{
    PCCERT_CONTEXT cert = NULL;
    HCERTSTORE root = NULL;
    SCHANNEL_CRED sc;
    TimeStamp ts;
    SECURITY_STATUS st = SEC_E_OK;

    memset(&sc, 0, sizeof(sc));
    if (o->cert != NULL) {
        *call = "libsspi_cert_from_files";
        SetLastError(0);
        if ((st = libsspi_cert_from_files(o->cert, o->key, &cert)) != SEC_E_OK) {
            const char *why = stream_token_why(GetLastError());

            if (why != NULL)
                tool_err(server ? "server" : "client", "--key: %s (0x%08X)", why,
                         (unsigned)GetLastError());
            return st;
        }
    }
    if (o->ca != NULL) {
        *call = "CertOpenStore";
        root = CertOpenStore(CERT_STORE_PROV_FILENAME_A, X509_ASN_ENCODING, 0, 0, o->ca);
        if (root == NULL) {
            CertFreeCertificateContext(cert);
            return SEC_E_UNKNOWN_CREDENTIALS;
        }
    }
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = cert != NULL;
    sc.paCred = cert != NULL ? &cert : NULL;
    sc.hRootStore = root;
    sc.grbitEnabledProtocols = o->protocols & (server ? 0x55555555u : 0xAAAAAAAAu);
    sc.dwFlags = o->insecure ? SCH_CRED_MANUAL_CRED_VALIDATION : 0;
    *call = "AcquireCredentialsHandleA";
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package,
                                   server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, NULL, &sc,
                                   NULL, NULL, cred, &ts);
    CertFreeCertificateContext(cert);
    CertCloseStore(root, 0);
    return st;
}

/* Read more bytes from the socket into s->in; false at EOF or error. */
static bool stream_fill(struct tool_stream *s)
{
    ssize_t n;

    if (s->in_cap - s->in_len < STREAM_READ_CHUNK) {
        size_t cap = s->in_cap * 2 + STREAM_READ_CHUNK;
        uint8_t *p = realloc(s->in, cap);

        if (p == NULL)
            return false;
        s->in = p;
        s->in_cap = cap;
    }
    do {
        n = read(s->fd, s->in + s->in_len, s->in_cap - s->in_len);
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
        return false;
    s->in_len += (size_t)n;
    return true;
}

/* Keep only the last `keep` bytes of the input. */
static void stream_keep(struct tool_stream *s, size_t keep)
{
    if (keep > 0)
        memmove(s->in, s->in + s->in_len - keep, keep);
    s->in_len = keep;
}

/* The ALPN list as a SEC_APPLICATION_PROTOCOLS blob ("h2,http/1.1"). */
static uint32_t stream_alpn(const char *alpn, uint8_t *blob, size_t cap)
{
    size_t pos = 10, n;
    uint32_t total, ext = SecApplicationProtocolNegotiationExt_ALPN;
    uint16_t list;

    for (const char *p = alpn; *p && pos < cap; p += n + (p[n] == ',')) {
        n = strcspn(p, ",");
        if (n == 0 || n > 255 || pos + 1 + n > cap)
            return 0;
        blob[pos] = (uint8_t)n;
        memcpy(blob + pos + 1, p, n);
        pos += 1 + n;
    }
    list = (uint16_t)(pos - 10);
    total = (uint32_t)(pos - 4);
    memcpy(blob, &total, 4);
    memcpy(blob + 4, &ext, 4);
    memcpy(blob + 8, &list, 2);
    return (uint32_t)pos;
}

/* One ISC/ASC call with s->in; sends the output.  SEC_E_* status. */
SECURITY_STATUS tool_stream_leg(struct tool_stream *s, const struct tool_stream_opts *o)
{
    uint8_t alpn[600];
    SecBuffer inb[3] = {{(ULONG)s->in_len, SECBUFFER_TOKEN, s->in}, {0, SECBUFFER_EMPTY, NULL}};
    SecBuffer outb[2] = {{0, SECBUFFER_TOKEN, NULL}, {0, SECBUFFER_ALERT, NULL}};
    SecBufferDesc ind = {SECBUFFER_VERSION, 2, inb}, outd = {SECBUFFER_VERSION, 2, outb};
    uint32_t req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
                   ISC_REQ_ALLOCATE_MEMORY;
    ULONG attrs;
    TimeStamp ts;
    SECURITY_STATUS st;

    if (!s->have_ctx && o->alpn != NULL) {
        inb[2] = (SecBuffer){stream_alpn(o->alpn, alpn, sizeof(alpn)),
                             SECBUFFER_APPLICATION_PROTOCOLS, alpn};
        ind.cBuffers = 3;
    }
    if (s->server)
        st = AcceptSecurityContext(s->cred, s->have_ctx ? &s->ctx : NULL, &ind,
                                   ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT |
                                       ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY |
                                       ASC_REQ_STREAM |
                                       (o->require_client_cert ? ASC_REQ_MUTUAL_AUTH : 0),
                                   0, &s->ctx, &outd, &attrs, &ts);
    else
        st = InitializeSecurityContextA(
            s->cred, s->have_ctx ? &s->ctx : NULL, (SEC_CHAR *)o->target, req | ISC_REQ_STREAM, 0,
            0, s->in_len || ind.cBuffers == 3 ? &ind : NULL, 0, &s->ctx, &outd, &attrs, &ts);
    if (SEC_SUCCESS(st))
        s->have_ctx = true;
    if (st != SEC_E_INCOMPLETE_MESSAGE)
        stream_keep(s, inb[1].BufferType == SECBUFFER_EXTRA ? inb[1].cbBuffer : 0);
    for (int i = 0; i < 2; i++) {
        if (outb[i].pvBuffer != NULL && outb[i].cbBuffer > 0 && (SEC_SUCCESS(st) || i == 1) &&
            !tool_write_all(s->fd, outb[i].pvBuffer, outb[i].cbBuffer))
            st = SEC_SUCCESS(st) ? SEC_E_INTERNAL_ERROR : st;
        if (outb[i].pvBuffer != NULL)
            FreeContextBuffer(outb[i].pvBuffer);
    }
    return st;
}

SECURITY_STATUS tool_stream_handshake(struct tool_stream *s, const struct tool_stream_opts *o)
{
    SECURITY_STATUS st;

    if (!s->server && (st = tool_stream_leg(s, o)) != SEC_I_CONTINUE_NEEDED)
        return st;
    for (int legs = 0; legs < STREAM_MAX_LEGS; legs++) {
        if (s->in_len == 0 && !stream_fill(s))
            return SEC_E_INTERNAL_ERROR; /* the peer went away */
        st = tool_stream_leg(s, o);
        if (st == SEC_E_INCOMPLETE_MESSAGE) {
            if (!stream_fill(s))
                return SEC_E_INTERNAL_ERROR;
            continue;
        }
        if (st == SEC_I_INCOMPLETE_CREDENTIALS)
            st = tool_stream_leg(s, o); /* go on without a client certificate */
        if (st != SEC_I_CONTINUE_NEEDED)
            break;
    }
    if (st == SEC_E_OK)
        st = QueryContextAttributesA(&s->ctx, SECPKG_ATTR_STREAM_SIZES, &s->sz);
    if (st == SEC_E_OK &&
        (s->rec = malloc(s->sz.cbHeader + s->sz.cbMaximumMessage + s->sz.cbTrailer)) == NULL)
        st = SEC_E_INSUFFICIENT_MEMORY;
    return st;
}

SECURITY_STATUS tool_stream_send(struct tool_stream *s, const void *data, size_t len)
{
    const uint8_t *p = data;

    while (len > 0) {
        uint32_t n = len > s->sz.cbMaximumMessage ? s->sz.cbMaximumMessage : (uint32_t)len;
        SecBuffer b[4] = {{s->sz.cbHeader, SECBUFFER_STREAM_HEADER, s->rec},
                          {n, SECBUFFER_DATA, s->rec + s->sz.cbHeader},
                          {s->sz.cbTrailer, SECBUFFER_STREAM_TRAILER, s->rec + s->sz.cbHeader + n},
                          {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st;

        memcpy(b[1].pvBuffer, p, n);
        st = EncryptMessage(&s->ctx, 0, &d, 0);
        if (st != SEC_E_OK)
            return st;
        for (int i = 0; i < 3; i++)
            if (!tool_write_all(s->fd, b[i].pvBuffer, b[i].cbBuffer))
                return SEC_E_INTERNAL_ERROR;
        p += n;
        len -= n;
    }
    return SEC_E_OK;
}

SECURITY_STATUS tool_stream_recv(struct tool_stream *s, const struct tool_stream_opts *o,
                                 uint8_t *out, size_t cap, size_t *got)
{
    *got = 0;
    for (;;) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st;
        size_t extra = 0;

        if (s->in_len == 0 && !stream_fill(s))
            return SEC_E_OK; /* EOF without close_notify: *got 0 */
        b[0] = (SecBuffer){(ULONG)s->in_len, SECBUFFER_DATA, s->in};
        for (int i = 1; i < 4; i++)
            b[i] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
        st = DecryptMessage(&s->ctx, &d, 0, NULL);
        if (st == SEC_E_INCOMPLETE_MESSAGE) {
            if (!stream_fill(s))
                return SEC_E_OK;
            continue;
        }
        for (int i = 0; i < 4; i++) {
            if (b[i].BufferType == SECBUFFER_DATA && b[i].cbBuffer > 0 && SEC_SUCCESS(st)) {
                size_t n = b[i].cbBuffer < cap ? b[i].cbBuffer : cap;

                memcpy(out, b[i].pvBuffer, n);
                *got = n;
            }
            if (b[i].BufferType == SECBUFFER_EXTRA)
                extra = b[i].cbBuffer;
        }
        if (!SEC_SUCCESS(st))
            return st;
        stream_keep(s, extra);
        if (st == SEC_I_RENEGOTIATE) {
            st = tool_stream_leg(s, o);
            while (st == SEC_I_CONTINUE_NEEDED || st == SEC_E_INCOMPLETE_MESSAGE)
                st = stream_fill(s) ? tool_stream_leg(s, o) : SEC_E_INTERNAL_ERROR;
            if (st != SEC_E_OK)
                return st;
            continue;
        }
        if (st == SEC_I_CONTEXT_EXPIRED || *got > 0)
            return st;
    }
}

SECURITY_STATUS tool_stream_shutdown(struct tool_stream *s, const struct tool_stream_opts *o)
{
    uint32_t token = SCHANNEL_SHUTDOWN;
    SecBuffer b = {sizeof(token), SECBUFFER_TOKEN, &token};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    SECURITY_STATUS st = ApplyControlToken(&s->ctx, &d);

    if (st != SEC_E_OK)
        return st;
    s->in_len = 0;
    return tool_stream_leg(s, o);
}

void tool_stream_free(struct tool_stream *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    s->have_ctx = false;
    free(s->in);
    free(s->rec);
    s->in = s->rec = NULL;
}

/* The name of a chain verdict (SECPKG_ATTR_CC_POLICY_RESULT). */
static const char *stream_chain_name(HRESULT v)
{
    static const struct {
        HRESULT v;
        const char *name;
    } names[] = {{S_OK, "trusted"},
                 {CERT_E_UNTRUSTEDROOT, "CERT_E_UNTRUSTEDROOT"},
                 {CERT_E_CHAINING, "CERT_E_CHAINING"},
                 {CERT_E_EXPIRED, "CERT_E_EXPIRED"},
                 {CERT_E_CN_NO_MATCH, "CERT_E_CN_NO_MATCH"},
                 {CERT_E_WRONG_USAGE, "CERT_E_WRONG_USAGE"},
                 {CRYPT_E_REVOKED, "CRYPT_E_REVOKED"},
                 {TRUST_E_CERT_SIGNATURE, "TRUST_E_CERT_SIGNATURE"}};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].v == v)
            return names[i].name;
    return "TRUST_E_FAIL";
}

void tool_stream_describe(struct tool_stream *s, FILE *out)
{
    SecPkgContext_ConnectionInfo ci;
    SecPkgContext_ApplicationProtocol ap;
    SecPkgContext_SessionInfo si;
    SecPkgContext_CipherInfo cinfo;
    char suite[SZ_ALG_MAX_SIZE + 1] = "";

    if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci) == SEC_E_OK)
        fprintf(out, "protocol: 0x%08X (%s)\n", ci.dwProtocol,
                ci.dwProtocol & SP_PROT_TLS1_3   ? "TLS 1.3"
                : ci.dwProtocol & SP_PROT_TLS1_2 ? "TLS 1.2"
                                                 : "older");
    if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_CIPHER_INFO, &cinfo) == SEC_E_OK) {
        for (int i = 0; i < SZ_ALG_MAX_SIZE && cinfo.szCipherSuite[i]; i++)
            suite[i] = (char)cinfo.szCipherSuite[i];
        fprintf(out, "cipher suite: %s (0x%04X)\n", suite, cinfo.dwCipherSuite);
    }
    if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap) == SEC_E_OK &&
        ap.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success)
        fprintf(out, "alpn: %.*s\n", ap.ProtocolIdSize, (const char *)ap.ProtocolId);
    if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_SESSION_INFO, &si) == SEC_E_OK)
        fprintf(out, "resumed: %s\n", si.dwFlags & SSL_SESSION_RECONNECT ? "yes" : "no");
    {
        PCCERT_CONTEXT peer = NULL;

        SecPkgContext_ClientCertPolicyResult verdict;

        if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &peer) == SEC_E_OK) {
            char name[256];

            CertGetNameStringA(peer, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
            fprintf(out, "peer certificate: %s\n", name);
            CertFreeCertificateContext(peer);
        }
        if (QueryContextAttributesA(&s->ctx, SECPKG_ATTR_CC_POLICY_RESULT, &verdict) == SEC_E_OK)
            fprintf(out, "peer chain: 0x%08X (%s)\n", (unsigned)verdict.dwPolicyResult,
                    stream_chain_name(verdict.dwPolicyResult));
    }
    fflush(out);
}
