/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-accept.c - the acceptor (AcceptSecurityContext).
 *
 * The first token decides (negotiate-sniff.c): SPNEGO is negotiated; a raw
 * NTLMSSP message or a raw RFC 2743-framed token of a sibling's mechanism
 * (a Kerberos AP-REQ) goes straight to that sibling, without SPNEGO, for
 * the whole exchange, as Windows servers allow; no token at all makes the
 * acceptor speak first with a NegTokenInit2 listing its mechanisms (MS-SPNG
 * 3.2.5.2).
 *
 * Negotiation follows the initiator's order: the first listed mechanism
 * this credential has a sibling for is chosen.  When it is the first of
 * the list and an optimistic token came with it, that token is used;
 * otherwise the reply is request-mic (or accept-incomplete) without a
 * token and a mechListMIC becomes mandatory.  supportedMech repeats the
 * OID exactly as the initiator listed it, so the Microsoft Kerberos OID
 * comes back as itself.  Once the sibling is done, MICs follow the rules
 * of nego_mic_exchange; the acceptor answers a received MIC with its own
 * in the accept-completed token it returns with SEC_E_OK.  Kerberos with an
 * AES session key and an AP-REP to send (mutual authentication) makes the
 * exchange mandatory toward Windows-style initiators, as on Windows since
 * Vista: the AP-REP goes out with the acceptor's MIC and accept-incomplete,
 * and the context completes on the initiator's MIC.
 *
 * Status choices: no context handle out -> STATUS_INVALID_PARAMETER; a
 * foreign or initiator context -> SEC_E_INVALID_HANDLE; a leg after a
 * failed or completed one -> SEC_E_OUT_OF_SEQUENCE; a token that is
 * neither SPNEGO nor a sibling's, or malformed -> SEC_E_INVALID_TOKEN; no
 * common mechanism -> SEC_E_INVALID_TOKEN (with a reject token when the
 * caller's buffer can take it); the sibling's failure as it is; a bad MIC
 * -> SEC_E_MESSAGE_ALTERED.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

/* NegHints.hintName, as Windows sends it (MS-SPNG 2.2.1). */
#define NEGO_HINT_NAME "not_defined_in_RFC4178@please_ignore"

static void select_mech(struct nego_context *c, int m, struct nego_view oid)
{
    c->selected = m;
    c->mech = c->creds->mechs[m];
    c->mech.name = NULL;
    memcpy(c->selected_oid, oid.data, oid.len);
    c->selected_oid_len = (uint8_t)oid.len;
}

/* A NegTokenResp to the caller; the first one names the mechanism. */
/* supportedMech of our first NegTokenResp (the OID as the initiator
 * listed it), absent later. */
static struct nego_view supported_mech(const struct nego_context *c, bool first)
{
    if (first && c->selected >= 0)
        return (struct nego_view){c->selected_oid, c->selected_oid_len};
    return (struct nego_view){NULL, 0};
}

static SECURITY_STATUS respond(struct nego_context *c, PSecBufferDesc out, int state, bool first,
                               struct nego_tok *tok, struct nego_out *mic)
{
    struct nego_resp_spec r = {
        state, supported_mech(c, first), nego_tok_view(tok), {mic->data, mic->len}};
    SECURITY_STATUS st = nego_emit_resp(out, c->req, &r);

    nego_tok_free(tok);
    nego_out_free(mic);
    return st;
}

/* Tell the initiator no (best effort) and return `status`. */
static SECURITY_STATUS reject(struct nego_context *c, PSecBufferDesc out, SECURITY_STATUS status)
{
    struct nego_tok none = {NULL, 0, NULL};
    struct nego_out none2 = {NULL, 0};

    (void)respond(c, out, NEGO_REJECT, false, &none, &none2);
    return status;
}

/* One step of the selected sibling, its token placed for respond(): the
 * reply carries a negState, and supportedMech when it is the first. */
static SECURITY_STATUS step(struct nego_context *c, struct nego_view in_tok, PSecBufferDesc in,
                            PSecBufferDesc out, bool first, struct nego_tok *tok)
{
    return nego_inner_step(c, in_tok, in, out,
                           nego_resp_prefix_max(NEGO_ACCEPT_INCOMPLETE, supported_mech(c, first)),
                           tok);
}

/* Did the initiator list Kerberos under Microsoft's OID, as Windows (and
 * libsspi) initiators do?  They expect the MIC exchange with AES Kerberos;
 * MIT's SPNEGO initiator refuses an AP-REP that comes with accept-incomplete
 * and a MIC, so it is left the optional exchange. */
static bool windows_initiator(const struct nego_context *c)
{
    return nego_oid_equal((struct nego_view){c->selected_oid, c->selected_oid_len},
                          nego_oid_krb5_ms);
}

/* After a sibling step: answer, exchange MICs, decide the status. */
static SECURITY_STATUS after_step(struct nego_context *c, PSecBufferDesc out, bool first,
                                  struct nego_tok *tok, struct nego_view mic_in)
{
    struct nego_out mic = {NULL, 0};
    bool done = false;
    SECURITY_STATUS st;

    if (!c->inner_complete) {
        c->phase = NEGO_PHASE_MECH;
        st = respond(c, out, NEGO_ACCEPT_INCOMPLETE, first, tok, &mic);
        return st == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : st;
    }
    if (tok->len > 0 && windows_initiator(c) && nego_inner_wants_mic(c))
        c->mic_required = true;
    st = nego_mic_exchange(c, mic_in, tok->len == 0, true, &mic, &done);
    if (st != SEC_E_OK) {
        nego_tok_free(tok);
        return reject(c, out, st);
    }
    st = respond(c, out, done ? NEGO_ACCEPT_COMPLETED : NEGO_ACCEPT_INCOMPLETE, first, tok, &mic);
    if (st != SEC_E_OK)
        return st;
    if (!done) {
        c->phase = NEGO_PHASE_MIC;
        return SEC_I_CONTINUE_NEEDED;
    }
    nego_context_complete(c);
    return SEC_E_OK;
}

/* The initiator's NegTokenInit. */
static SECURITY_STATUS take_init(struct nego_context *c, const uint8_t *data, size_t len,
                                 PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_token t;
    struct nego_tok tok = {NULL, 0, NULL};
    struct nego_out none = {NULL, 0};
    SECURITY_STATUS st = nego_decode_initial(data, len, &t);
    uint32_t k;
    int m = -1;

    if (st != SEC_E_OK)
        return st;
    for (k = 0; k < t.mech_count && m < 0; k++)
        m = nego_creds_find(c->creds, t.mechs[k]);
    if (m < 0)
        return reject(c, out, SEC_E_INVALID_TOKEN);
    k--;
    c->mech_types = malloc(t.mech_types.len);
    if (c->mech_types == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(c->mech_types, t.mech_types.data, t.mech_types.len);
    c->mech_types_len = t.mech_types.len;
    select_mech(c, m, t.mechs[k]);
    c->phase = NEGO_PHASE_MECH;
    if (k > 0 || t.mech_token.data == NULL) {
        c->mic_required = k > 0;
        st = respond(c, out, k > 0 ? NEGO_REQUEST_MIC : NEGO_ACCEPT_INCOMPLETE, true, &tok, &none);
        return st == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : st;
    }
    st = step(c, t.mech_token, in, out, true, &tok);
    if (!SEC_SUCCESS(st))
        return reject(c, out, st);
    return after_step(c, out, true, &tok, t.mic);
}

/* Later SPNEGO legs: the initiator's NegTokenResp. */
static SECURITY_STATUS take_resp(struct nego_context *c, const uint8_t *data, size_t len,
                                 PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_token t;
    struct nego_tok tok = {NULL, 0, NULL};
    SECURITY_STATUS st = nego_decode_next(data, len, &t);

    if (st != SEC_E_OK)
        return st;
    if (t.neg_state == NEGO_REJECT || t.supported_mech.data != NULL ||
        (t.response_token.data == NULL && t.mic.data == NULL))
        return reject(c, out, SEC_E_INVALID_TOKEN);
    if ((t.response_token.data != NULL) == c->inner_complete)
        return reject(c, out, SEC_E_INVALID_TOKEN); /* missing or spurious token */
    if (!c->inner_complete) {
        st = step(c, t.response_token, in, out, false, &tok);
        if (!SEC_SUCCESS(st))
            return reject(c, out, st);
    }
    return after_step(c, out, false, &tok, t.mic);
}

/* No token: speak first with a NegTokenInit2 (MS-SPNG 3.2.5.2). */
static SECURITY_STATUS send_hints(struct nego_context *c, PSecBufferDesc out)
{
    struct nego_view oids[NEGO_MAX_MECHS];
    uint32_t n = 0;

    for (uint32_t m = 0; m < c->creds->count && n + 2 <= NEGO_MAX_MECHS; m++) {
        const struct nego_mech *mech = &c->creds->mechs[m];
        if (nego_mech_is_kerberos(mech))
            oids[n++] = nego_oid_krb5_ms;
        oids[n++] = (struct nego_view){mech->oid, mech->oid_len};
    }
    if (n == 0)
        return SEC_E_NO_CREDENTIALS;
    struct nego_init_spec spec = {oids, n, {NULL, 0}, {NULL, 0}, NEGO_HINT_NAME};
    SECURITY_STATUS st = nego_emit_init(out, c->req, &spec, NULL);
    if (st != SEC_E_OK)
        return st;
    c->phase = NEGO_PHASE_HINTS;
    return SEC_I_CONTINUE_NEEDED;
}

/* The first token: decide what it is. */
static SECURITY_STATUS first_token(struct nego_context *c, const uint8_t *data, size_t len,
                                   PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_view oid;
    int m;

    switch (nego_sniff(data, len, &oid)) {
    case NEGO_FIRST_EMPTY:
        return send_hints(c, out);
    case NEGO_FIRST_SPNEGO:
        return take_init(c, data, len, in, out);
    case NEGO_FIRST_NTLMSSP:
        oid = nego_oid_ntlm;
        /* fall through */
    case NEGO_FIRST_FRAMED:
        m = nego_creds_find(c->creds, oid);
        if (m < 0)
            return SEC_E_INVALID_TOKEN;
        c->raw = true;
        select_mech(c, m, oid);
        return nego_raw_step(c, (struct nego_view){data, len}, in, out);
    default:
        return SEC_E_INVALID_TOKEN;
    }
}

/* The caller's input token; an absent or empty one is (NULL, 0). */
static SECURITY_STATUS input_token(PSecBufferDesc in, const uint8_t **data, size_t *len)
{
    PSecBuffer b = pkg_buffer_find(in, SECBUFFER_TOKEN);

    *data = NULL;
    *len = 0;
    if (b == NULL || b->cbBuffer == 0)
        return SEC_E_OK;
    if (b->pvBuffer == NULL)
        return SEC_E_INVALID_TOKEN;
    *data = b->pvBuffer;
    *len = b->cbBuffer;
    return SEC_E_OK;
}

static SECURITY_STATUS accept_leg(struct nego_context *c, PSecBufferDesc in, PSecBufferDesc out)
{
    const uint8_t *data;
    size_t len;
    SECURITY_STATUS st = input_token(in, &data, &len);

    if (st != SEC_E_OK)
        return st;
    switch (c->phase) {
    case NEGO_PHASE_NEW:
        return first_token(c, data, len, in, out);
    case NEGO_PHASE_HINTS:
        return len ? take_init(c, data, len, in, out) : SEC_E_INVALID_TOKEN;
    case NEGO_PHASE_MECH:
    case NEGO_PHASE_MIC:
        if (len == 0)
            return SEC_E_INVALID_TOKEN;
        return c->raw ? nego_raw_step(c, (struct nego_view){data, len}, in, out)
                      : take_resp(c, data, len, in, out);
    default:
        return SEC_E_OUT_OF_SEQUENCE;
    }
}

static SECURITY_STATUS accept_step(struct nego_context *c, bool first, PUNICODE_STRING target,
                                   PSecBufferDesc in, PSecBufferDesc out)
{
    (void)first;
    (void)target;
    return accept_leg(c, in, out);
}

NTSTATUS NTAPI nego_accept_context(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in,
                                   ULONG req, ULONG drep, PLSA_SEC_HANDLE new_ctx,
                                   PSecBufferDesc out, PULONG attr, PTimeStamp expiry,
                                   PBOOLEAN mapped, PSecBuffer context_data)
{
    struct nego_leg_args a = {false, cred,    ctx,  NULL,   req,    in,
                              out,   new_ctx, attr, expiry, mapped, accept_step};

    (void)drep;
    (void)context_data;
    return nego_leg(&a);
}
