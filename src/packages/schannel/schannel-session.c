/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-session.c - the GnuTLS session engine.
 *
 * GnuTLS never touches a socket: its pull callback reads from ctx->in (a
 * window over the caller's input that holds whole records only) and
 * answers EAGAIN when that is used up; its push callback appends to
 * ctx->out (a package buffer), or spreads one record over the caller's
 * STREAM_HEADER / DATA / STREAM_TRAILER buffers (scatter mode).  Counting
 * what pull handed out gives the exact SECBUFFER_EXTRA.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "packages/schannel/schannel-pkg.h"

static ssize_t schan_pull(gnutls_transport_ptr_t p, void *buf, size_t size)
{
    struct schan_ctx *ctx = p;
    size_t n = ctx->in.len - ctx->in.pos;

    if (n == 0) {
        gnutls_transport_set_errno(ctx->session, EAGAIN);
        return -1;
    }
    if (n > size)
        n = size;
    memcpy(buf, ctx->in.data + ctx->in.pos, n);
    ctx->in.pos += n;
    return (ssize_t)n;
}

static int schan_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
    struct schan_ctx *ctx = p;

    return ctx->in.pos < ctx->in.len;
}

static ssize_t schan_push_scatter(struct schan_out *o, const uint8_t *data, size_t size)
{
    size_t done = 0;

    for (int i = 0; i < 3 && done < size; i++) {
        size_t room = o->seg_cap[i] - o->seg_len[i];
        size_t n = size - done < room ? size - done : room;

        memcpy(o->seg[i] + o->seg_len[i], data + done, n);
        o->seg_len[i] += n;
        done += n;
    }
    if (done < size)
        o->failed = true;
    return (ssize_t)size;
}

static ssize_t schan_push(gnutls_transport_ptr_t p, const void *data, size_t size)
{
    struct schan_out *o = &((struct schan_ctx *)p)->out;

    if (o->scatter)
        return schan_push_scatter(o, data, size);
    if (o->len + size > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        uint8_t *b;

        while (cap < o->len + size)
            cap *= 2;
        b = realloc(o->buf, cap);
        if (b == NULL) {
            o->failed = true;
            return (ssize_t)size; /* reported as SEC_E_INSUFFICIENT_MEMORY */
        }
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, size);
    o->len += size;
    return (ssize_t)size;
}

size_t schan_records(const uint8_t *data, size_t len, size_t max_records, uint32_t *missing)
{
    size_t pos = 0, count = 0;

    *missing = 0;
    while (max_records == 0 || count < max_records) {
        size_t body;

        if (len - pos < SCHAN_HEADER) {
            *missing = (uint32_t)(SCHAN_HEADER - (len - pos));
            break;
        }
        body = (size_t)data[pos + 3] << 8 | data[pos + 4];
        if (data[pos] < SCHAN_CT_CCS || data[pos] > SCHAN_CT_APPDATA + 1 || data[pos + 1] != 3 ||
            body > SCHAN_MAX_RECORD)
            return pos == 0 ? (size_t)-1 : pos; /* a later bad header stays for later */
        if (len - pos - SCHAN_HEADER < body) {
            *missing = (uint32_t)(SCHAN_HEADER + body - (len - pos));
            break;
        }
        pos += SCHAN_HEADER + body;
        count++;
        if (pos == len)
            break;
    }
    return pos;
}

/* Is `name` an IP address literal (no SNI, IP name check)? */
static bool schan_is_ip(const char *name)
{
    return strspn(name, "0123456789.") == strlen(name) || strchr(name, ':') != NULL;
}

/* Disabled-for-these-ALPN-ids protocols (SCH_CREDENTIALS) that apply. */
static bool schan_scoped_applies(const struct schan_cred *cred, const uint8_t *alpn, size_t len)
{
    for (char **id = cred->scoped_alpn; id != NULL && *id != NULL; id++)
        for (size_t pos = 0; pos < len;) {
            size_t n = alpn[pos];

            if (pos + 1 + n > len)
                break;
            if (n == strlen(*id) && memcmp(alpn + pos + 1, *id, n) == 0)
                return true;
            pos += 1 + n;
        }
    return false;
}

/* SEC_APPLICATION_PROTOCOL_LIST wire list -> gnutls_datum_t array. */
static SECURITY_STATUS schan_set_alpn(struct schan_ctx *ctx, const uint8_t *list, size_t len)
{
    gnutls_datum_t ids[32];
    unsigned n = 0;

    for (size_t pos = 0; pos < len; pos += 1 + list[pos]) {
        if (list[pos] == 0 || pos + 1 + list[pos] > len || n == 32)
            return SEC_E_INVALID_TOKEN;
        ids[n].data = (unsigned char *)list + pos + 1;
        ids[n++].size = list[pos];
    }
    if (n == 0)
        return SEC_E_OK;
    return gnutls_alpn_set_protocols(ctx->session, ids, n,
                                     ctx->server ? GNUTLS_ALPN_SERVER_PRECEDENCE : 0) < 0
               ? SEC_E_INVALID_TOKEN
               : SEC_E_OK;
}

static SECURITY_STATUS schan_set_priority(struct schan_ctx *ctx, const uint8_t *alpn, size_t len)
{
    struct schan_cred *cred = ctx->cred;
    uint32_t bits = cred->protocols & ~cred->disabled_scoped;

    if (cred->disabled_scoped == 0 || !schan_scoped_applies(cred, alpn, len) ||
        bits == cred->protocols)
        return gnutls_priority_set(ctx->session, cred->priority) < 0 ? SEC_E_ALGORITHM_MISMATCH
                                                                     : SEC_E_OK;
    if (bits == 0)
        return SEC_E_ALGORITHM_MISMATCH;
    return gnutls_priority_set_direct(ctx->session,
                                      (bits & SP_PROT_TLS1_3) ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
                                                              : "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                                      NULL) < 0
               ? SEC_E_ALGORITHM_MISMATCH
               : SEC_E_OK;
}

/* Client-side verification: chain and name (automatic unless asked not to). */
static void schan_set_verify(struct schan_ctx *ctx)
{
    uint32_t flags = ctx->cred->flags;
    bool manual =
        (flags & SCH_CRED_MANUAL_CRED_VALIDATION) || (ctx->req & ISC_REQ_MANUAL_CRED_VALIDATION);
    bool no_name = (flags & SCH_CRED_NO_SERVERNAME_CHECK) || ctx->target == NULL;

    if (ctx->target != NULL && !schan_is_ip(ctx->target))
        gnutls_server_name_set(ctx->session, GNUTLS_NAME_DNS, ctx->target, strlen(ctx->target));
    if (!manual)
        gnutls_session_set_verify_cert(ctx->session, no_name ? NULL : ctx->target, 0);
}

SECURITY_STATUS schan_session_open(struct schan_ctx *ctx, const uint8_t *alpn, size_t alpn_len)
{
    unsigned flags = (ctx->server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK |
                     GNUTLS_NO_SIGNAL |
                     (ctx->server && !ctx->cred->opts.session_tickets ? GNUTLS_NO_TICKETS : 0);
    SECURITY_STATUS st;

    if (gnutls_init(&ctx->session, flags) < 0)
        return SEC_E_INSUFFICIENT_MEMORY;
    gnutls_transport_set_ptr(ctx->session, ctx);
    gnutls_transport_set_pull_function(ctx->session, schan_pull);
    gnutls_transport_set_pull_timeout_function(ctx->session, schan_pull_timeout);
    gnutls_transport_set_push_function(ctx->session, schan_push);
    if ((st = schan_set_priority(ctx, alpn, alpn_len)) != SEC_E_OK)
        return st;
    if (gnutls_credentials_set(ctx->session, GNUTLS_CRD_CERTIFICATE, ctx->cred->x509) < 0)
        return SEC_E_INTERNAL_ERROR;
    if (alpn_len && (st = schan_set_alpn(ctx, alpn, alpn_len)) != SEC_E_OK)
        return st;
    if (ctx->server) {
        gnutls_certificate_server_set_request(ctx->session, (ctx->req & ASC_REQ_MUTUAL_AUTH)
                                                                ? GNUTLS_CERT_REQUIRE
                                                                : GNUTLS_CERT_IGNORE);
        if (ctx->cred->opts.session_tickets)
            gnutls_session_ticket_enable_server(ctx->session, &ctx->cred->ticket_key);
    } else {
        schan_set_verify(ctx);
        schan_cache_get(ctx->cred, ctx->target, ctx->session);
    }
    return SEC_E_OK;
}

int schan_session_handshake(struct schan_ctx *ctx)
{
    int r;

    do {
        r = gnutls_handshake(ctx->session);
    } while (r == GNUTLS_E_INTERRUPTED ||
             (r < 0 && r != GNUTLS_E_AGAIN && !gnutls_error_is_fatal(r) &&
              r != GNUTLS_E_WARNING_ALERT_RECEIVED && ctx->in.pos < ctx->in.len));
    if (r == GNUTLS_E_WARNING_ALERT_RECEIVED)
        r = ctx->in.pos < ctx->in.len ? schan_session_handshake(ctx) : GNUTLS_E_AGAIN;
    return r;
}

uint32_t schan_header_size(gnutls_session_t session)
{
    gnutls_cipher_algorithm_t c = gnutls_cipher_get(session);
    gnutls_protocol_t v = gnutls_protocol_get_version(session);

    if (v == GNUTLS_TLS1_3 || c == GNUTLS_CIPHER_CHACHA20_POLY1305)
        return SCHAN_HEADER;
    if (c == GNUTLS_CIPHER_AES_128_GCM || c == GNUTLS_CIPHER_AES_256_GCM ||
        c == GNUTLS_CIPHER_AES_128_CCM || c == GNUTLS_CIPHER_AES_256_CCM)
        return SCHAN_HEADER + 8;
    if (v >= GNUTLS_TLS1_1 && gnutls_cipher_get_block_size(c) > 1)
        return SCHAN_HEADER + (uint32_t)gnutls_cipher_get_block_size(c);
    return SCHAN_HEADER;
}

/* Seconds between 1601-01-01 and 1970-01-01. */
#define SCHAN_EPOCH_DELTA 11644473600LL

/* The chain verdict as CertVerifyCertificateChainPolicy (SSL) reports it:
 * an issuer missing from the chain sent is CERT_E_CHAINING, a self-signed
 * root nobody trusts CERT_E_UNTRUSTEDROOT. */
static int32_t schan_policy_result(unsigned status, bool self_signed_top)
{
    if (status == 0)
        return S_OK;
    if (status & GNUTLS_CERT_REVOKED)
        return CRYPT_E_REVOKED;
    if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
        return CERT_E_EXPIRED;
    if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
        return TRUST_E_CERT_SIGNATURE;
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return self_signed_top ? CERT_E_UNTRUSTEDROOT : CERT_E_CHAINING;
    if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
        return CERT_E_CN_NO_MATCH;
    if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
        return CERT_E_WRONG_USAGE;
    return TRUST_E_FAIL;
}

/* Is the last certificate the peer sent self-signed? */
static bool schan_top_self_signed(const gnutls_datum_t *list, unsigned n)
{
    gnutls_x509_crt_t crt;
    bool self = false;

    if (n == 0 || gnutls_x509_crt_init(&crt) < 0)
        return false;
    if (gnutls_x509_crt_import(crt, &list[n - 1], GNUTLS_X509_FMT_DER) >= 0)
        self = gnutls_x509_crt_check_issuer(crt, crt) != 0;
    gnutls_x509_crt_deinit(crt);
    return self;
}

int32_t schan_session_judge_peer(struct schan_ctx *ctx)
{
    unsigned n = 0, status = 0;
    const gnutls_datum_t *list = gnutls_certificate_get_peers(ctx->session, &n);
    gnutls_typed_vdata_st data[2];
    unsigned nd = 0;
    bool name =
        !ctx->server && ctx->target != NULL && !(ctx->cred->flags & SCH_CRED_NO_SERVERNAME_CHECK);

    if (list == NULL || n == 0)
        return TRUST_E_FAIL;
    if (name)
        data[nd++] =
            (gnutls_typed_vdata_st){GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)ctx->target, 0};
    data[nd++] = (gnutls_typed_vdata_st){
        GNUTLS_DT_KEY_PURPOSE_OID,
        (unsigned char *)(ctx->server ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER), 0};
    if (gnutls_certificate_verify_peers(ctx->session, data, nd, &status) < 0)
        status = GNUTLS_CERT_INVALID;
    return schan_policy_result(status, schan_top_self_signed(list, n));
}

void schan_session_note_peer(struct schan_ctx *ctx)
{
    unsigned n = 0;
    const gnutls_datum_t *list = gnutls_certificate_get_peers(ctx->session, &n);
    gnutls_x509_crt_t crt;

    ctx->peer_sent = list != NULL && n > 0;
    if (!ctx->peer_sent || !ctx->server || gnutls_x509_crt_init(&crt) < 0)
        return;
    if (gnutls_x509_crt_import(crt, &list[0], GNUTLS_X509_FMT_DER) >= 0)
        ctx->expiry =
            ((int64_t)gnutls_x509_crt_get_expiration_time(crt) + SCHAN_EPOCH_DELTA) * 10000000;
    gnutls_x509_crt_deinit(crt);
}

/* Certificate verification result -> the Windows status. */
static SECURITY_STATUS schan_verify_status(unsigned status)
{
    if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
        return SEC_E_CERT_EXPIRED;
    if (status & GNUTLS_CERT_REVOKED)
        return CRYPT_E_REVOKED;
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return SEC_E_UNTRUSTED_ROOT;
    if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
        return SEC_E_WRONG_PRINCIPAL;
    return SEC_E_CERT_UNKNOWN;
}

static SECURITY_STATUS schan_alert_status(int alert)
{
    switch (alert) {
    case GNUTLS_A_HANDSHAKE_FAILURE:
    case GNUTLS_A_PROTOCOL_VERSION:
    case GNUTLS_A_INSUFFICIENT_SECURITY:
        return SEC_E_ALGORITHM_MISMATCH;
    case GNUTLS_A_UNKNOWN_CA:
        return SEC_E_UNTRUSTED_ROOT;
    case GNUTLS_A_CERTIFICATE_EXPIRED:
        return SEC_E_CERT_EXPIRED;
    case GNUTLS_A_BAD_CERTIFICATE:
    case GNUTLS_A_UNSUPPORTED_CERTIFICATE:
    case GNUTLS_A_CERTIFICATE_REVOKED:
    case GNUTLS_A_CERTIFICATE_UNKNOWN:
    case GNUTLS_A_CERTIFICATE_REQUIRED:
        return SEC_E_CERT_UNKNOWN;
    case GNUTLS_A_NO_APPLICATION_PROTOCOL:
        return SEC_E_APPLICATION_PROTOCOL_MISMATCH;
    case GNUTLS_A_BAD_RECORD_MAC:
    case GNUTLS_A_DECRYPT_ERROR:
        return SEC_E_DECRYPT_FAILURE;
    default:
        return SEC_E_ILLEGAL_MESSAGE;
    }
}

SECURITY_STATUS schan_status(struct schan_ctx *ctx, int err)
{
    switch (err) {
    case 0:
        return SEC_E_OK;
    case GNUTLS_E_MEMORY_ERROR:
        return SEC_E_INSUFFICIENT_MEMORY;
    case GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR:
    case GNUTLS_E_CERTIFICATE_ERROR:
        return schan_verify_status(gnutls_session_get_verify_cert_status(ctx->session));
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
        return schan_alert_status(gnutls_alert_get(ctx->session));
    case GNUTLS_E_NO_APPLICATION_PROTOCOL:
        return SEC_E_APPLICATION_PROTOCOL_MISMATCH;
    case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
    case GNUTLS_E_NO_CIPHER_SUITES:
    case GNUTLS_E_INSUFFICIENT_SECURITY:
    case GNUTLS_E_NO_COMMON_KEY_SHARE:
    case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
    case GNUTLS_E_NO_PRIORITIES_WERE_SET:
        return SEC_E_ALGORITHM_MISMATCH;
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
    case GNUTLS_E_CERTIFICATE_REQUIRED:
        return SEC_E_CERT_UNKNOWN;
    case GNUTLS_E_DECRYPTION_FAILED:
        return SEC_E_DECRYPT_FAILURE;
    default:
        return SEC_E_ILLEGAL_MESSAGE;
    }
}

void schan_session_alert_for(struct schan_ctx *ctx, int err)
{
    if (err == GNUTLS_E_FATAL_ALERT_RECEIVED)
        return; /* the peer already ended it */
    gnutls_alert_send_appropriate(ctx->session, err);
}

void schan_session_remember(struct schan_ctx *ctx)
{
    if (!ctx->server && ctx->target != NULL && !(ctx->cred->flags & SCH_CRED_DISABLE_RECONNECTS) &&
        gnutls_session_is_resumed(ctx->session) == 0 &&
        (gnutls_protocol_get_version(ctx->session) != GNUTLS_TLS1_3 ||
         (gnutls_session_get_flags(ctx->session) & GNUTLS_SFLAGS_SESSION_TICKET)))
        schan_cache_put(ctx->cred, ctx->target, ctx->session);
}
