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
 * On completion both sides pack the session keys into ContextData and set
 * *MappedContext; the host then calls SpInitUserModeContext with it.
 *
 * Status choices: a bad or unknown password, or an unknown user, is
 * SEC_E_LOGON_DENIED on either side (a pre-shared key cannot tell a wrong
 * client password from a wrong server, so the client does not report
 * SEC_E_MUTUAL_AUTH_FAILED); a malformed token is SEC_E_INVALID_TOKEN; the
 * output buffer statuses are the kit's (pkg-buffers.h).  As on Windows, a
 * leg that fails ends the context: later legs get SEC_E_INVALID_HANDLE and
 * the caller deletes it.
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
static NTSTATUS sample_complete(struct sample_context *ctx, PSecBuffer ContextData)
{
    struct sample_keys keys;
    NTSTATUS status;

    if (ContextData == NULL)
        return STATUS_INVALID_PARAMETER;
    sample_derive_session_keys(ctx, &keys);
    status = sample_pack_completed(ctx, &keys, ContextData);
    crypto_wipe(&keys, sizeof keys);
    return status;
}

static void sample_report(const struct sample_context *ctx, PULONG ContextAttributes,
                          PTimeStamp ExpirationTime, PBOOLEAN MappedContext, bool mapped)
{
    if (ContextAttributes != NULL)
        *ContextAttributes = ctx->attributes;
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = ctx->expiry;
    if (MappedContext != NULL)
        *MappedContext = mapped ? TRUE : FALSE;
}

/* ISC leg 1: new context, NEGOTIATE out. */
static NTSTATUS sample_client_start(struct sample_credential *cred, ULONG req,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc out,
                                    struct sample_context **ctxp)
{
    uint8_t tok[SAMPLE_MAX_TOKEN];
    struct sample_context *ctx = NULL;
    struct pkg_writer w;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_OUTBOUND) == 0)
        return SEC_E_NO_CREDENTIALS;
    ctx = sample_context_new(false);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    ctx->user = cred->user;
    ctx->domain = cred->domain;
    memcpy(ctx->key, cred->key, SAMPLE_KEY_SIZE);
    ctx->attributes = SAMPLE_CLIENT_ATTRIBUTES;
    if (req & ISC_REQ_ALLOCATE_MEMORY)
        ctx->attributes |= ISC_RET_ALLOCATED_MEMORY;
    if (!crypto_random(ctx->client_nonce, SAMPLE_NONCE_SIZE)) {
        status = SEC_E_INTERNAL_ERROR;
        goto out;
    }

    pkg_writer_init(&w, tok, sizeof tok);
    pkg_write_bytes(&w, (uint8_t[SAMPLE_HEADER_SIZE]){0}, SAMPLE_HEADER_SIZE); /* set below */
    pkg_write_bytes(&w, ctx->client_nonce, SAMPLE_NONCE_SIZE);
    sample_write_name(&w, &ctx->user);
    sample_write_name(&w, &ctx->domain);
    sample_put_header(tok, SAMPLE_MSG_NEGOTIATE, w.len);
    crypto_sha256(tok, w.len, ctx->negotiate_hash);

    status = pkg_output_token(out, req, tok, w.len);
    if (status != STATUS_SUCCESS)
        goto out;
    ctx->state = SAMPLE_CLIENT_SENT_NEGOTIATE;
    *NewContextHandle = pkg_object_handle(ctx);
    *ctxp = ctx;
    ctx = NULL;
    status = SEC_I_CONTINUE_NEEDED;
out:
    pkg_object_discard(ctx);
    return status;
}

/* ISC leg 2: CHALLENGE in, AUTHENTICATE out, context complete. */
static NTSTATUS sample_client_finish(struct sample_context *ctx, ULONG req, PSecBufferDesc in,
                                     PSecBufferDesc out, PSecBuffer ContextData)
{
    uint8_t tok[SAMPLE_AUTHENTICATE_SIZE];
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *challenge;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(in, SAMPLE_MSG_CHALLENGE, &challenge, &len);
    if (status != STATUS_SUCCESS)
        goto out;
    if (len != SAMPLE_CHALLENGE_SIZE) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    status = pkg_output_check(out, req, sizeof tok);
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
    status = sample_complete(ctx, ContextData);
    if (status != STATUS_SUCCESS)
        goto out;
    status = pkg_output_token(out, req, tok, sizeof tok);
out:
    crypto_wipe(expected, sizeof expected);
    crypto_wipe(tok, sizeof tok);
    return status;
}

/* The context of a later leg, if it is ours, of the right role and
 * waiting for `state`. */
static NTSTATUS sample_next_leg(LSA_SEC_HANDLE h, bool server, enum sample_state state,
                                struct sample_context **ctxp)
{
    struct sample_context *ctx = pkg_object_from_handle(&sample_context_class, h, PKG_SIDE_LSA);

    if (ctx == NULL || ctx->server != server)
        return STATUS_INVALID_HANDLE;
    if (ctx->state != state)
        return SEC_E_INVALID_HANDLE;
    *ctxp = ctx;
    return STATUS_SUCCESS;
}

/* The end of a later leg: the context is complete, or finished for good. */
static NTSTATUS sample_end_leg(struct sample_context *ctx, NTSTATUS status)
{
    ctx->state = status == SEC_E_OK ? SAMPLE_COMPLETE : SAMPLE_FAILED;
    sample_forget_handshake(ctx);
    return status;
}

/*
 * SpInitLsaModeContext (client).  First call (ContextHandle 0): creates the
 * context, writes NEGOTIATE to the output SECBUFFER_TOKEN, sets
 * *NewContextHandle and returns SEC_I_CONTINUE_NEEDED.  Second call: reads
 * CHALLENGE, checks the server's proof, writes AUTHENTICATE, fills
 * ContextData, sets *MappedContext and returns SEC_E_OK.  Every successful
 * call sets *ContextAttributes and *ExpirationTime.  Errors:
 * STATUS_INVALID_HANDLE (not our credential/context), SEC_E_NO_CREDENTIALS
 * (not an outbound credential), SEC_E_INVALID_TOKEN, the output buffer
 * statuses, SEC_E_LOGON_DENIED (wrong key: the server's proof does not
 * match), SEC_E_INVALID_HANDLE (the context is complete or failed).  A
 * failing first call leaves no context behind.
 */
NTSTATUS NTAPI sample_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    struct sample_context *ctx = NULL;
    NTSTATUS status;

    if (MappedContext != NULL)
        *MappedContext = FALSE;
    if (ContextHandle == 0) {
        struct sample_credential *cred =
            pkg_object_from_handle(&sample_credential_class, CredentialHandle, PKG_SIDE_LSA);
        if (cred == NULL)
            return STATUS_INVALID_HANDLE;
        if (NewContextHandle == NULL)
            return STATUS_INVALID_PARAMETER;
        status =
            sample_client_start(cred, ContextRequirements, NewContextHandle, OutputBuffers, &ctx);
        if (status == SEC_I_CONTINUE_NEEDED)
            sample_report(ctx, ContextAttributes, ExpirationTime, MappedContext, false);
        return status;
    }

    status = sample_next_leg(ContextHandle, false, SAMPLE_CLIENT_SENT_NEGOTIATE, &ctx);
    if (status != STATUS_SUCCESS)
        return status;
    if (NewContextHandle != NULL)
        *NewContextHandle = ContextHandle;
    status = sample_end_leg(ctx, sample_client_finish(ctx, ContextRequirements, InputBuffers,
                                                      OutputBuffers, ContextData));
    if (status == SEC_E_OK)
        sample_report(ctx, ContextAttributes, ExpirationTime, MappedContext, true);
    return status;
}

/* ASC leg 1: NEGOTIATE in, new context, CHALLENGE out. */
static NTSTATUS sample_server_start(struct sample_credential *cred, ULONG req, PSecBufferDesc in,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc out,
                                    struct sample_context **ctxp)
{
    uint8_t tok[SAMPLE_CHALLENGE_SIZE];
    struct sample_context *ctx = NULL;
    const uint8_t *negotiate;
    struct pkg_reader r;
    size_t len;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_INBOUND) == 0)
        return SEC_E_NO_CREDENTIALS;
    status = sample_input_token(in, SAMPLE_MSG_NEGOTIATE, &negotiate, &len);
    if (status != STATUS_SUCCESS)
        return status;
    if (len < SAMPLE_NEGOTIATE_MIN)
        return SEC_E_INVALID_TOKEN;
    ctx = sample_context_new(true);
    if (ctx == NULL)
        return STATUS_NO_MEMORY;
    pkg_reader_init(&r, negotiate + SAMPLE_HEADER_SIZE, len - SAMPLE_HEADER_SIZE);
    pkg_read_bytes(&r, ctx->client_nonce, SAMPLE_NONCE_SIZE);
    sample_read_name(&r, &ctx->user);
    sample_read_name(&r, &ctx->domain);
    if (!pkg_reader_done(&r) || ctx->user.len == 0) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    status = pkg_output_check(out, req, sizeof tok);
    if (status != STATUS_SUCCESS)
        goto out;

    /* The only account this server knows is its own credential's.  The
     * domain must match too when both sides name one. */
    if (!sample_name_equal(&ctx->user, &cred->user) ||
        (ctx->domain.len > 0 && cred->domain.len > 0 &&
         !sample_name_equal(&ctx->domain, &cred->domain))) {
        status = SEC_E_LOGON_DENIED;
        goto out;
    }

    memcpy(ctx->key, cred->key, SAMPLE_KEY_SIZE);
    ctx->attributes = SAMPLE_SERVER_ATTRIBUTES;
    if (req & ASC_REQ_ALLOCATE_MEMORY)
        ctx->attributes |= ASC_RET_ALLOCATED_MEMORY;
    crypto_sha256(negotiate, len, ctx->negotiate_hash);
    if (!crypto_random(ctx->server_nonce, SAMPLE_NONCE_SIZE)) {
        status = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    sample_server_proof(ctx, ctx->server_proof);

    sample_put_header(tok, SAMPLE_MSG_CHALLENGE, sizeof tok);
    memcpy(tok + SAMPLE_HEADER_SIZE, ctx->server_nonce, SAMPLE_NONCE_SIZE);
    memcpy(tok + SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE, ctx->server_proof, SAMPLE_PROOF_SIZE);
    status = pkg_output_token(out, req, tok, sizeof tok);
    if (status != STATUS_SUCCESS)
        goto out;

    ctx->state = SAMPLE_SERVER_SENT_CHALLENGE;
    *NewContextHandle = pkg_object_handle(ctx);
    *ctxp = ctx;
    ctx = NULL;
    status = SEC_I_CONTINUE_NEEDED;
out:
    pkg_object_discard(ctx);
    return status;
}

/* ASC leg 2: AUTHENTICATE in, context complete, no token out. */
static NTSTATUS sample_server_finish(struct sample_context *ctx, PSecBufferDesc in,
                                     PSecBufferDesc out, PSecBuffer ContextData)
{
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *auth;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(in, SAMPLE_MSG_AUTHENTICATE, &auth, &len);
    if (status != STATUS_SUCCESS)
        return status;
    if (len != SAMPLE_AUTHENTICATE_SIZE)
        return SEC_E_INVALID_TOKEN;
    sample_client_proof(ctx, expected);
    if (!crypto_memeq(expected, auth + SAMPLE_HEADER_SIZE, SAMPLE_PROOF_SIZE))
        status = SEC_E_LOGON_DENIED;
    else
        status = sample_complete(ctx, ContextData);
    crypto_wipe(expected, sizeof expected);
    /* Nothing more to send: an empty output token tells the caller so. */
    if (status == STATUS_SUCCESS)
        pkg_output_none(out);
    return status;
}

/*
 * SpAcceptLsaModeContext (server).  First call (ContextHandle 0): reads
 * NEGOTIATE, checks that the user is the one in the server's credential,
 * creates the context, writes CHALLENGE, sets *NewContextHandle and returns
 * SEC_I_CONTINUE_NEEDED.  Second call: reads AUTHENTICATE, checks the
 * client's proof, fills ContextData, sets *MappedContext, empties the
 * output token and returns SEC_E_OK.  Errors as for
 * sample_init_lsa_mode_context; SEC_E_LOGON_DENIED for an unknown user or a
 * wrong client proof (wrong key).
 */
NTSTATUS NTAPI sample_accept_lsa_mode_context(LSA_SEC_HANDLE CredentialHandle,
                                              LSA_SEC_HANDLE ContextHandle,
                                              PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                              ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                              PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                              PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                              PSecBuffer ContextData)
{
    struct sample_context *ctx = NULL;
    NTSTATUS status;

    if (MappedContext != NULL)
        *MappedContext = FALSE;
    if (ContextHandle == 0) {
        struct sample_credential *cred =
            pkg_object_from_handle(&sample_credential_class, CredentialHandle, PKG_SIDE_LSA);
        if (cred == NULL)
            return STATUS_INVALID_HANDLE;
        if (NewContextHandle == NULL)
            return STATUS_INVALID_PARAMETER;
        status = sample_server_start(cred, ContextRequirements, InputBuffer, NewContextHandle,
                                     OutputBuffer, &ctx);
        if (status == SEC_I_CONTINUE_NEEDED)
            sample_report(ctx, ContextAttributes, ExpirationTime, MappedContext, false);
        return status;
    }

    status = sample_next_leg(ContextHandle, true, SAMPLE_SERVER_SENT_CHALLENGE, &ctx);
    if (status != STATUS_SUCCESS)
        return status;
    if (NewContextHandle != NULL)
        *NewContextHandle = ContextHandle;
    status = sample_end_leg(ctx, sample_server_finish(ctx, InputBuffer, OutputBuffer, ContextData));
    if (status == SEC_E_OK)
        sample_report(ctx, ContextAttributes, ExpirationTime, MappedContext, true);
    return status;
}
