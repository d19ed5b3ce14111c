/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-handshake.c - the Sample handshake: SpInitLsaModeContext (client)
 * and SpAcceptLsaModeContext (server).
 *
 *   client                                  server
 *   ISC #1  NEGOTIATE {nonce_c, user, domain}  ->  ASC #1: finds the user in its
 *                                                  credential, picks nonce_s
 *           <-  CHALLENGE {nonce_s, proof_s}       SEC_I_CONTINUE_NEEDED
 *   ISC #2  checks proof_s, sends
 *           AUTHENTICATE {proof_c}  SEC_E_OK  ->  ASC #2: checks proof_c, SEC_E_OK
 *
 * K is the key derived from the shared password.  With H = SHA-256 of the
 * NEGOTIATE token as sent:
 *   proof_s = HMAC(K, "libsspi-sample server proof" | H | nonce_s)
 *   proof_c = HMAC(K, "libsspi-sample client proof" | H | nonce_s | proof_s)
 *   S       = HMAC(K, "libsspi-sample session" | nonce_c | nonce_s)
 * and each direction's signing and sealing key is HMAC(S, label).
 *
 * The kit runs SpInitLsaModeContext / SpAcceptLsaModeContext (pkg-calls.h):
 * it finds the credential or context, hands out the new handle, and ends a
 * context whose leg failed; this file has the two leg functions.  On
 * completion both sides pack the session keys into ContextData and set
 * leg->mapped; the host then calls SpInitUserModeContext with it.
 *
 * Status choices: a bad or unknown password, or an unknown user, is
 * SEC_E_LOGON_DENIED on either side (a pre-shared key cannot tell a wrong
 * client password from a wrong server, so the client does not report
 * SEC_E_MUTUAL_AUTH_FAILED); a malformed token is SEC_E_INVALID_TOKEN; the
 * output buffer statuses are the kit's (pkg-buffers.h); a leg on a context
 * that is not waiting for it (complete, or failed: as on Windows a failed
 * leg is final) is SEC_E_OUT_OF_SEQUENCE, one on a context of the other
 * role STATUS_INVALID_HANDLE.
 */
#include <string.h>

#include "packages/sample/sample.h"

#define SAMPLE_CLIENT_ATTRIBUTES                                                                   \
    (ISC_RET_MUTUAL_AUTH | ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT |                       \
     ISC_RET_CONFIDENTIALITY | ISC_RET_CONNECTION | ISC_RET_INTEGRITY)
#define SAMPLE_SERVER_ATTRIBUTES                                                                   \
    (ASC_RET_MUTUAL_AUTH | ASC_RET_REPLAY_DETECT | ASC_RET_SEQUENCE_DETECT |                       \
     ASC_RET_CONFIDENTIALITY | ASC_RET_CONNECTION | ASC_RET_INTEGRITY)

/* HMAC-SHA256(key, label | a | b | c); any part may be NULL/0. */
static void sample_hmac(const uint8_t key[SAMPLE_KEY_SIZE], const char *label, const void *a,
                        size_t alen, const void *b, size_t blen, const void *c, size_t clen,
                        uint8_t out[CRYPTO_SHA256_DIGEST_SIZE])
{
    crypto_hmac_sha256_key k;
    crypto_hmac_sha256_ctx h;

    crypto_hmac_sha256_set_key(&k, key, SAMPLE_KEY_SIZE);
    crypto_hmac_sha256_begin(&h, &k);
    crypto_hmac_sha256_update(&h, label, strlen(label));
    crypto_hmac_sha256_update(&h, a, alen);
    crypto_hmac_sha256_update(&h, b, blen);
    crypto_hmac_sha256_update(&h, c, clen);
    crypto_hmac_sha256_final(&h, out);
    crypto_wipe(&k, sizeof k);
}

static void sample_server_proof(const struct sample_context *ctx, uint8_t out[SAMPLE_PROOF_SIZE])
{
    sample_hmac(ctx->key, "libsspi-sample server proof", ctx->negotiate_hash,
                sizeof ctx->negotiate_hash, ctx->server_nonce, SAMPLE_NONCE_SIZE, NULL, 0, out);
}

static void sample_client_proof(const struct sample_context *ctx, uint8_t out[SAMPLE_PROOF_SIZE])
{
    sample_hmac(ctx->key, "libsspi-sample client proof", ctx->negotiate_hash,
                sizeof ctx->negotiate_hash, ctx->server_nonce, SAMPLE_NONCE_SIZE, ctx->server_proof,
                SAMPLE_PROOF_SIZE, out);
}

/* Per-direction keys from K and both nonces, oriented for this side. */
static void sample_derive_session_keys(const struct sample_context *ctx, struct sample_keys *keys)
{
    uint8_t base[SAMPLE_KEY_SIZE];
    uint8_t c2s_sign[SAMPLE_KEY_SIZE], s2c_sign[SAMPLE_KEY_SIZE];
    uint8_t c2s_seal[SAMPLE_KEY_SIZE], s2c_seal[SAMPLE_KEY_SIZE];

    sample_hmac(ctx->key, "libsspi-sample session", ctx->client_nonce, SAMPLE_NONCE_SIZE,
                ctx->server_nonce, SAMPLE_NONCE_SIZE, NULL, 0, base);
    sample_hmac(base, "client-to-server signing", NULL, 0, NULL, 0, NULL, 0, c2s_sign);
    sample_hmac(base, "server-to-client signing", NULL, 0, NULL, 0, NULL, 0, s2c_sign);
    sample_hmac(base, "client-to-server sealing", NULL, 0, NULL, 0, NULL, 0, c2s_seal);
    sample_hmac(base, "server-to-client sealing", NULL, 0, NULL, 0, NULL, 0, s2c_seal);
    sample_hmac(base, "application session key", NULL, 0, NULL, 0, NULL, 0, keys->session_key);

    memcpy(keys->sign_out, ctx->server ? s2c_sign : c2s_sign, SAMPLE_KEY_SIZE);
    memcpy(keys->sign_in, ctx->server ? c2s_sign : s2c_sign, SAMPLE_KEY_SIZE);
    memcpy(keys->seal_out, ctx->server ? s2c_seal : c2s_seal, SAMPLE_KEY_SIZE);
    memcpy(keys->seal_in, ctx->server ? c2s_seal : s2c_seal, SAMPLE_KEY_SIZE);

    crypto_wipe(base, sizeof base);
    crypto_wipe(c2s_sign, sizeof c2s_sign);
    crypto_wipe(s2c_sign, sizeof s2c_sign);
    crypto_wipe(c2s_seal, sizeof c2s_seal);
    crypto_wipe(s2c_seal, sizeof s2c_seal);
}

/* Once the handshake is over (or has failed) the LSA half needs no secret
 * any more. */
static void sample_forget_handshake(struct sample_context *ctx)
{
    crypto_wipe(ctx->key, sizeof ctx->key);
    crypto_wipe(ctx->client_nonce, sizeof ctx->client_nonce);
    crypto_wipe(ctx->server_nonce, sizeof ctx->server_nonce);
    crypto_wipe(ctx->negotiate_hash, sizeof ctx->negotiate_hash);
    crypto_wipe(ctx->server_proof, sizeof ctx->server_proof);
}

static void sample_put_header(uint8_t *p, uint8_t type, size_t len)
{
    pkg_put_le32(p, SAMPLE_MAGIC);
    p[4] = SAMPLE_PROTOCOL_VERSION;
    p[5] = type;
    pkg_put_le16(p + 6, (uint16_t)len);
}

/*
 * The input SECBUFFER_TOKEN with its header checked: magic, version, type,
 * and a length field equal to cbBuffer.  Never reads past cbBuffer.
 */
static NTSTATUS sample_input_token(PSecBufferDesc in, uint8_t type, const uint8_t **tok,
                                   size_t *len)
{
    NTSTATUS status = pkg_input_token(in, tok, len);
    const uint8_t *p;

    if (status != SEC_E_OK)
        return status;
    p = *tok;
    if (*len < SAMPLE_HEADER_SIZE || *len > SAMPLE_MAX_TOKEN || pkg_get_le32(p) != SAMPLE_MAGIC ||
        p[4] != SAMPLE_PROTOCOL_VERSION || p[5] != type || pkg_get_le16(p + 6) != *len)
        return SEC_E_INVALID_TOKEN;
    return STATUS_SUCCESS;
}

/* ASCII case-insensitive equality of two names. */
static bool sample_name_equal(const struct sample_name *a, const struct sample_name *b)
{
    if (a->len != b->len)
        return false;
    for (uint16_t i = 0; i < a->len; i++) {
        char16_t x = a->s[i], y = b->s[i];
        if (x >= u'A' && x <= u'Z')
            x = (char16_t)(x - u'A' + u'a');
        if (y >= u'A' && y <= u'Z')
            y = (char16_t)(y - u'A' + u'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Derive the session keys and pack them into ContextData (AllocateLsaHeap;
 * the host frees it after SpInitUserModeContext). */
static NTSTATUS sample_complete(struct sample_context *ctx, struct pkg_leg *leg)
{
    struct sample_keys keys;
    NTSTATUS status;

    if (leg->context_data == NULL)
        return STATUS_INVALID_PARAMETER;
    sample_derive_session_keys(ctx, &keys);
    status = sample_pack_completed(ctx, &keys, leg->context_data);
    crypto_wipe(&keys, sizeof keys);
    leg->mapped = status == STATUS_SUCCESS;
    return status;
}

/* ISC leg 1: new context, NEGOTIATE out. */
static NTSTATUS sample_client_start(struct pkg_leg *leg)
{
    const struct sample_credential *cred = leg->credential;
    uint8_t tok[SAMPLE_MAX_TOKEN];
    struct sample_context *ctx;
    struct pkg_writer w;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_OUTBOUND) == 0)
        return SEC_E_NO_CREDENTIALS;
    ctx = leg->context = sample_context_new(false);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    ctx->user = cred->user;
    ctx->domain = cred->domain;
    memcpy(ctx->key, cred->key, SAMPLE_KEY_SIZE);
    ctx->attributes = SAMPLE_CLIENT_ATTRIBUTES;
    if (leg->req & ISC_REQ_ALLOCATE_MEMORY)
        ctx->attributes |= ISC_RET_ALLOCATED_MEMORY;
    if (!crypto_random(ctx->client_nonce, SAMPLE_NONCE_SIZE))
        return SEC_E_INTERNAL_ERROR;

    pkg_writer_init(&w, tok, sizeof tok);
    pkg_write_bytes(&w, (uint8_t[SAMPLE_HEADER_SIZE]){0}, SAMPLE_HEADER_SIZE); /* set below */
    pkg_write_bytes(&w, ctx->client_nonce, SAMPLE_NONCE_SIZE);
    sample_write_name(&w, &ctx->user);
    sample_write_name(&w, &ctx->domain);
    sample_put_header(tok, SAMPLE_MSG_NEGOTIATE, w.len);
    crypto_sha256(tok, w.len, ctx->negotiate_hash);
    ctx->state = SAMPLE_CLIENT_SENT_NEGOTIATE;
    status = pkg_output_token(leg->out, leg->req, tok, w.len);
    return status == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : status;
}

/* ISC leg 2: CHALLENGE in, AUTHENTICATE out, context complete. */
static NTSTATUS sample_client_finish(struct sample_context *ctx, struct pkg_leg *leg)
{
    uint8_t tok[SAMPLE_AUTHENTICATE_SIZE];
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *challenge;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(leg->in, SAMPLE_MSG_CHALLENGE, &challenge, &len);
    if (status != STATUS_SUCCESS)
        goto out;
    if (len != SAMPLE_CHALLENGE_SIZE) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    status = pkg_output_check(leg->out, leg->req, sizeof tok);
    if (status != STATUS_SUCCESS)
        goto out;

    memcpy(ctx->server_nonce, challenge + SAMPLE_HEADER_SIZE, SAMPLE_NONCE_SIZE);
    memcpy(ctx->server_proof, challenge + SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE,
           SAMPLE_PROOF_SIZE);
    sample_server_proof(ctx, expected);
    if (!crypto_memeq(expected, ctx->server_proof, SAMPLE_PROOF_SIZE)) {
        status = SEC_E_LOGON_DENIED;
        goto out;
    }

    sample_put_header(tok, SAMPLE_MSG_AUTHENTICATE, sizeof tok);
    sample_client_proof(ctx, tok + SAMPLE_HEADER_SIZE);
    status = sample_complete(ctx, leg);
    if (status == STATUS_SUCCESS)
        status = pkg_output_token(leg->out, leg->req, tok, sizeof tok);
out:
    crypto_wipe(expected, sizeof expected);
    crypto_wipe(tok, sizeof tok);
    return status;
}

/* ASC leg 1: NEGOTIATE in, new context, CHALLENGE out. */
static NTSTATUS sample_server_start(struct pkg_leg *leg)
{
    const struct sample_credential *cred = leg->credential;
    uint8_t tok[SAMPLE_CHALLENGE_SIZE];
    struct sample_context *ctx;
    const uint8_t *negotiate;
    struct pkg_reader r;
    size_t len;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_INBOUND) == 0)
        return SEC_E_NO_CREDENTIALS;
    status = sample_input_token(leg->in, SAMPLE_MSG_NEGOTIATE, &negotiate, &len);
    if (status != STATUS_SUCCESS)
        return status;
    if (len < SAMPLE_NEGOTIATE_MIN)
        return SEC_E_INVALID_TOKEN;
    ctx = leg->context = sample_context_new(true);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    pkg_reader_init(&r, negotiate + SAMPLE_HEADER_SIZE, len - SAMPLE_HEADER_SIZE);
    pkg_read_bytes(&r, ctx->client_nonce, SAMPLE_NONCE_SIZE);
    sample_read_name(&r, &ctx->user);
    sample_read_name(&r, &ctx->domain);
    if (!pkg_reader_done(&r) || ctx->user.len == 0)
        return SEC_E_INVALID_TOKEN;
    status = pkg_output_check(leg->out, leg->req, sizeof tok);
    if (status != STATUS_SUCCESS)
        return status;

    /* The only account this server knows is its own credential's.  The
     * domain must match too when both sides name one. */
    if (!sample_name_equal(&ctx->user, &cred->user) ||
        (ctx->domain.len > 0 && cred->domain.len > 0 &&
         !sample_name_equal(&ctx->domain, &cred->domain)))
        return SEC_E_LOGON_DENIED;

    memcpy(ctx->key, cred->key, SAMPLE_KEY_SIZE);
    ctx->attributes = SAMPLE_SERVER_ATTRIBUTES;
    if (leg->req & ASC_REQ_ALLOCATE_MEMORY)
        ctx->attributes |= ASC_RET_ALLOCATED_MEMORY;
    crypto_sha256(negotiate, len, ctx->negotiate_hash);
    if (!crypto_random(ctx->server_nonce, SAMPLE_NONCE_SIZE))
        return SEC_E_INTERNAL_ERROR;
    sample_server_proof(ctx, ctx->server_proof);

    sample_put_header(tok, SAMPLE_MSG_CHALLENGE, sizeof tok);
    memcpy(tok + SAMPLE_HEADER_SIZE, ctx->server_nonce, SAMPLE_NONCE_SIZE);
    memcpy(tok + SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE, ctx->server_proof, SAMPLE_PROOF_SIZE);
    status = pkg_output_token(leg->out, leg->req, tok, sizeof tok);
    if (status != STATUS_SUCCESS)
        return status;
    ctx->state = SAMPLE_SERVER_SENT_CHALLENGE;
    return SEC_I_CONTINUE_NEEDED;
}

/* ASC leg 2: AUTHENTICATE in, context complete, no token out. */
static NTSTATUS sample_server_finish(struct sample_context *ctx, struct pkg_leg *leg)
{
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *auth;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(leg->in, SAMPLE_MSG_AUTHENTICATE, &auth, &len);
    if (status != STATUS_SUCCESS)
        return status;
    if (len != SAMPLE_AUTHENTICATE_SIZE)
        return SEC_E_INVALID_TOKEN;
    sample_client_proof(ctx, expected);
    if (!crypto_memeq(expected, auth + SAMPLE_HEADER_SIZE, SAMPLE_PROOF_SIZE))
        status = SEC_E_LOGON_DENIED;
    else
        status = sample_complete(ctx, leg);
    crypto_wipe(expected, sizeof expected);
    /* Nothing more to send: an empty output token tells the caller so. */
    if (status == STATUS_SUCCESS)
        pkg_output_none(leg->out);
    return status;
}

/*
 * SpInitLsaModeContext (client) and SpAcceptLsaModeContext (server), run
 * by the kit: one leg on either side.  First leg (no context yet): the client sends
 * NEGOTIATE, the server reads it, checks that the user is the one in its
 * credential and answers CHALLENGE; both return SEC_I_CONTINUE_NEEDED.
 * Second leg: the client checks the server's proof and sends AUTHENTICATE,
 * the server checks the client's proof and sends nothing; both fill
 * ContextData and return SEC_E_OK.  Every successful leg reports the
 * context attributes and expiry.  Statuses at the top of this file, plus
 * SEC_E_NO_CREDENTIALS for a credential of the wrong direction.
 */
NTSTATUS sample_handshake_leg(struct pkg_leg *leg)
{
    struct sample_context *ctx = leg->context;
    enum sample_state waiting =
        leg->accept ? SAMPLE_SERVER_SENT_CHALLENGE : SAMPLE_CLIENT_SENT_NEGOTIATE;
    NTSTATUS status;

    if (ctx == NULL) {
        status = leg->accept ? sample_server_start(leg) : sample_client_start(leg);
        ctx = leg->context;
    } else if (ctx->server != leg->accept) {
        return STATUS_INVALID_HANDLE;
    } else if (ctx->state != waiting) {
        return SEC_E_OUT_OF_SEQUENCE;
    } else {
        status = leg->accept ? sample_server_finish(ctx, leg) : sample_client_finish(ctx, leg);
        ctx->state = status == SEC_E_OK ? SAMPLE_COMPLETE : SAMPLE_FAILED;
        sample_forget_handshake(ctx);
    }
    if (SEC_SUCCESS(status)) {
        leg->attributes = ctx->attributes;
        leg->expiry = ctx->expiry;
    }
    return status;
}
