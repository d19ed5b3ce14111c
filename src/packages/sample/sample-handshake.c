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
 * SEC_E_MUTUAL_AUTH_FAILED); a malformed token is SEC_E_INVALID_TOKEN and
 * leaves the context as it was; an output SECBUFFER_TOKEN that is missing
 * is SEC_E_INVALID_TOKEN, one that is too small SEC_E_BUFFER_TOO_SMALL.
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
static void sample_derive_session_keys(const struct sample_context *ctx,
                                       struct sample_session_keys *keys)
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

/* Once the handshake is over the LSA half needs no secret any more. */
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
    sample_put_u32(p, SAMPLE_MAGIC);
    p[4] = SAMPLE_PROTOCOL_VERSION;
    p[5] = type;
    sample_put_u16(p + 6, (uint16_t)len);
}

/*
 * Find the input SECBUFFER_TOKEN and check its header: magic, version,
 * type, and a length field equal to cbBuffer.  Never reads past cbBuffer.
 */
static NTSTATUS sample_input_token(PSecBufferDesc in, uint8_t type, const uint8_t **tok,
                                   size_t *len)
{
    PSecBuffer b = sample_find_buffer(in, SECBUFFER_TOKEN);
    const uint8_t *p;

    if (b == NULL || b->pvBuffer == NULL || b->cbBuffer < SAMPLE_HEADER_SIZE ||
        b->cbBuffer > SAMPLE_MAX_TOKEN)
        return SEC_E_INVALID_TOKEN;
    p = b->pvBuffer;
    if (sample_get_u32(p) != SAMPLE_MAGIC || p[4] != SAMPLE_PROTOCOL_VERSION || p[5] != type ||
        sample_get_u16(p + 6) != b->cbBuffer)
        return SEC_E_INVALID_TOKEN;
    *tok = p;
    *len = b->cbBuffer;
    return STATUS_SUCCESS;
}

/* The output SECBUFFER_TOKEN if it can take `len` bytes. */
static NTSTATUS sample_output_buffer(PSecBufferDesc out, size_t len, PSecBuffer *buf)
{
    PSecBuffer b = sample_find_buffer(out, SECBUFFER_TOKEN);

    if (b == NULL)
        return SEC_E_INVALID_TOKEN;
    if (b->pvBuffer == NULL || b->cbBuffer < len)
        return SEC_E_BUFFER_TOO_SMALL;
    *buf = b;
    return STATUS_SUCCESS;
}

/* Read a u16 byte length and a UTF-16LE name at *pos; false if it does not
 * fit in `len`, is odd, too long, or holds a NUL. */
static bool sample_parse_name(const uint8_t *tok, size_t len, size_t *pos, char16_t *name,
                              uint16_t *name_len)
{
    size_t n;

    if (len - *pos < 2)
        return false;
    n = sample_get_u16(tok + *pos);
    *pos += 2;
    if (n % 2 != 0 || n / 2 > SAMPLE_MAX_NAME || len - *pos < n)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        name[i] = sample_get_u16(tok + *pos + 2 * i);
        if (name[i] == 0)
            return false;
    }
    name[n / 2] = 0;
    *name_len = (uint16_t)(n / 2);
    *pos += n;
    return true;
}

static size_t sample_put_name(uint8_t *p, const char16_t *name, uint16_t len)
{
    sample_put_u16(p, (uint16_t)(len * 2));
    for (uint16_t i = 0; i < len; i++)
        sample_put_u16(p + 2 + 2 * i, name[i]);
    return 2 + 2 * (size_t)len;
}

/* ASCII case-insensitive equality of two counted UTF-16 names. */
static bool sample_name_equal(const char16_t *a, uint16_t alen, const char16_t *b, uint16_t blen)
{
    if (alen != blen)
        return false;
    for (uint16_t i = 0; i < alen; i++) {
        char16_t x = a[i], y = b[i];
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
    struct sample_session_keys keys;
    NTSTATUS status;

    if (ContextData == NULL)
        return STATUS_INVALID_PARAMETER;
    sample_derive_session_keys(ctx, &keys);
    status = sample_pack_lsa(ctx, &keys, sample_lsa->AllocateLsaHeap, ContextData);
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
    PSecBuffer buf;
    size_t len;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_OUTBOUND) == 0) {
        status = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    ctx = sample_context_new(false);
    if (ctx == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    memcpy(ctx->user, cred->user, sizeof ctx->user);
    memcpy(ctx->domain, cred->domain, sizeof ctx->domain);
    ctx->user_len = cred->user_len;
    ctx->domain_len = cred->domain_len;
    memcpy(ctx->key, cred->key, SAMPLE_KEY_SIZE);
    ctx->attributes = SAMPLE_CLIENT_ATTRIBUTES;
    if (req & ISC_REQ_ALLOCATE_MEMORY)
        ctx->attributes |= ISC_RET_ALLOCATED_MEMORY;
    if (!crypto_random(ctx->client_nonce, SAMPLE_NONCE_SIZE)) {
        status = SEC_E_INTERNAL_ERROR;
        goto out;
    }

    len = SAMPLE_HEADER_SIZE;
    memcpy(tok + len, ctx->client_nonce, SAMPLE_NONCE_SIZE);
    len += SAMPLE_NONCE_SIZE;
    len += sample_put_name(tok + len, ctx->user, ctx->user_len);
    len += sample_put_name(tok + len, ctx->domain, ctx->domain_len);
    sample_put_header(tok, SAMPLE_MSG_NEGOTIATE, len);
    crypto_sha256(tok, len, ctx->negotiate_hash);

    status = sample_output_buffer(out, len, &buf);
    if (status != STATUS_SUCCESS)
        goto out;
    memcpy(buf->pvBuffer, tok, len);
    buf->cbBuffer = (ULONG)len;

    ctx->state = SAMPLE_CLIENT_SENT_NEGOTIATE;
    *NewContextHandle = (LSA_SEC_HANDLE)ctx;
    *ctxp = ctx;
    ctx = NULL;
    status = SEC_I_CONTINUE_NEEDED;
out:
    if (ctx != NULL)
        sample_context_release(ctx, SAMPLE_SIDE_LSA);
    return status;
}

/* ISC leg 2: CHALLENGE in, AUTHENTICATE out, context complete. */
static NTSTATUS sample_client_finish(struct sample_context *ctx, PSecBufferDesc in,
                                     PSecBufferDesc out, PSecBuffer ContextData)
{
    uint8_t tok[SAMPLE_AUTHENTICATE_SIZE];
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *challenge;
    PSecBuffer buf;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(in, SAMPLE_MSG_CHALLENGE, &challenge, &len);
    if (status != STATUS_SUCCESS)
        goto out;
    if (len != SAMPLE_CHALLENGE_SIZE) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    status = sample_output_buffer(out, sizeof tok, &buf);
    if (status != STATUS_SUCCESS)
        goto out;

    memcpy(ctx->server_nonce, challenge + SAMPLE_HEADER_SIZE, SAMPLE_NONCE_SIZE);
    memcpy(ctx->server_proof, challenge + SAMPLE_HEADER_SIZE + SAMPLE_NONCE_SIZE,
           SAMPLE_PROOF_SIZE);
    sample_server_proof(ctx, expected);
    if (!crypto_memeq(expected, ctx->server_proof, SAMPLE_PROOF_SIZE)) {
        ctx->state = SAMPLE_FAILED;
        sample_forget_handshake(ctx);
        status = SEC_E_LOGON_DENIED;
        goto out;
    }

    sample_put_header(tok, SAMPLE_MSG_AUTHENTICATE, sizeof tok);
    sample_client_proof(ctx, tok + SAMPLE_HEADER_SIZE);
    status = sample_complete(ctx, ContextData);
    if (status != STATUS_SUCCESS)
        goto out;
    memcpy(buf->pvBuffer, tok, sizeof tok);
    buf->cbBuffer = sizeof tok;

    ctx->state = SAMPLE_COMPLETE;
    sample_forget_handshake(ctx);
    status = SEC_E_OK;
out:
    crypto_wipe(expected, sizeof expected);
    crypto_wipe(tok, sizeof tok);
    return status;
}

/*
 * SpInitLsaModeContext (client).  First call (ContextHandle 0): creates the
 * context, writes NEGOTIATE to the output SECBUFFER_TOKEN, sets
 * *NewContextHandle and returns SEC_I_CONTINUE_NEEDED.  Second call: reads
 * CHALLENGE, checks the server's proof, writes AUTHENTICATE, fills
 * ContextData, sets *MappedContext and returns SEC_E_OK.  Every call sets
 * *ContextAttributes and *ExpirationTime.  Errors: STATUS_INVALID_HANDLE
 * (not our credential/context), SEC_E_NO_CREDENTIALS (not an outbound
 * credential), SEC_E_INVALID_TOKEN, SEC_E_BUFFER_TOO_SMALL,
 * SEC_E_LOGON_DENIED (wrong key: the server's proof does not match),
 * SEC_E_INVALID_HANDLE (the context is complete or failed).  A failing
 * first call leaves no context behind.
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
        struct sample_credential *cred = sample_credential_from_handle(CredentialHandle);
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

    ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_LSA);
    if (ctx == NULL || ctx->server)
        return STATUS_INVALID_HANDLE;
    if (ctx->state != SAMPLE_CLIENT_SENT_NEGOTIATE)
        return SEC_E_INVALID_HANDLE;
    if (NewContextHandle != NULL)
        *NewContextHandle = ContextHandle;
    status = sample_client_finish(ctx, InputBuffers, OutputBuffers, ContextData);
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
    PSecBuffer buf;
    size_t len, pos;
    NTSTATUS status;

    if ((cred->use & SECPKG_CRED_INBOUND) == 0) {
        status = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    status = sample_input_token(in, SAMPLE_MSG_NEGOTIATE, &negotiate, &len);
    if (status != STATUS_SUCCESS)
        goto out;
    if (len < SAMPLE_NEGOTIATE_MIN) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    ctx = sample_context_new(true);
    if (ctx == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    pos = SAMPLE_HEADER_SIZE;
    memcpy(ctx->client_nonce, negotiate + pos, SAMPLE_NONCE_SIZE);
    pos += SAMPLE_NONCE_SIZE;
    if (!sample_parse_name(negotiate, len, &pos, ctx->user, &ctx->user_len) ||
        !sample_parse_name(negotiate, len, &pos, ctx->domain, &ctx->domain_len) || pos != len ||
        ctx->user_len == 0) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    status = sample_output_buffer(out, sizeof tok, &buf);
    if (status != STATUS_SUCCESS)
        goto out;

    /* The only account this server knows is its own credential's.  The
     * domain must match too when both sides name one. */
    if (!sample_name_equal(ctx->user, ctx->user_len, cred->user, cred->user_len) ||
        (ctx->domain_len > 0 && cred->domain_len > 0 &&
         !sample_name_equal(ctx->domain, ctx->domain_len, cred->domain, cred->domain_len))) {
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
    memcpy(buf->pvBuffer, tok, sizeof tok);
    buf->cbBuffer = sizeof tok;

    ctx->state = SAMPLE_SERVER_SENT_CHALLENGE;
    *NewContextHandle = (LSA_SEC_HANDLE)ctx;
    *ctxp = ctx;
    ctx = NULL;
    status = SEC_I_CONTINUE_NEEDED;
out:
    if (ctx != NULL)
        sample_context_release(ctx, SAMPLE_SIDE_LSA);
    return status;
}

/* ASC leg 2: AUTHENTICATE in, context complete, no token out. */
static NTSTATUS sample_server_finish(struct sample_context *ctx, PSecBufferDesc in,
                                     PSecBufferDesc out, PSecBuffer ContextData)
{
    uint8_t expected[SAMPLE_PROOF_SIZE];
    const uint8_t *auth;
    PSecBuffer buf;
    size_t len;
    NTSTATUS status;

    status = sample_input_token(in, SAMPLE_MSG_AUTHENTICATE, &auth, &len);
    if (status != STATUS_SUCCESS)
        goto out;
    if (len != SAMPLE_AUTHENTICATE_SIZE) {
        status = SEC_E_INVALID_TOKEN;
        goto out;
    }
    sample_client_proof(ctx, expected);
    if (!crypto_memeq(expected, auth + SAMPLE_HEADER_SIZE, SAMPLE_PROOF_SIZE)) {
        ctx->state = SAMPLE_FAILED;
        sample_forget_handshake(ctx);
        status = SEC_E_LOGON_DENIED;
        goto out;
    }
    status = sample_complete(ctx, ContextData);
    if (status != STATUS_SUCCESS)
        goto out;
    /* Nothing more to send: an empty output token tells the caller so. */
    buf = sample_find_buffer(out, SECBUFFER_TOKEN);
    if (buf != NULL)
        buf->cbBuffer = 0;

    ctx->state = SAMPLE_COMPLETE;
    sample_forget_handshake(ctx);
    status = SEC_E_OK;
out:
    crypto_wipe(expected, sizeof expected);
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
        struct sample_credential *cred = sample_credential_from_handle(CredentialHandle);
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

    ctx = sample_context_from_handle(ContextHandle, SAMPLE_SIDE_LSA);
    if (ctx == NULL || !ctx->server)
        return STATUS_INVALID_HANDLE;
    if (ctx->state != SAMPLE_SERVER_SENT_CHALLENGE)
        return SEC_E_INVALID_HANDLE;
    if (NewContextHandle != NULL)
        *NewContextHandle = ContextHandle;
    status = sample_server_finish(ctx, InputBuffer, OutputBuffer, ContextData);
    if (status == SEC_E_OK)
        sample_report(ctx, ContextAttributes, ExpirationTime, MappedContext, true);
    return status;
}
