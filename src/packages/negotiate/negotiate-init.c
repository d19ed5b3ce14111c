/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-init.c - the initiator (InitializeSecurityContext).
 *
 * Leg 1: every sibling credential is tried in preference order with the
 * caller's target and flags; the first that yields a token is the
 * optimistic mechanism (Kerberos when there is a ticket and the SPN is
 * known; otherwise it fails before anything is sent and NTLM goes first).
 * Siblings that failed are left out of the MechTypeList; Kerberos is
 * listed under the Microsoft OID and then the RFC OID, as Windows does.
 * With a server-initiated NegTokenInit2 as input only what the server
 * listed is offered.  Later legs take the acceptor's NegTokenResp: its
 * first one names the mechanism (supportedMech); another mechanism than
 * the optimistic one means starting that sibling afresh with a mandatory
 * mechListMIC (request-mic, or Windows 2003's accept-incomplete).
 *
 * With option.raw_ntlm, an initiator left with NTLM alone (and no
 * NegTokenInit2 to answer) sends NTLM's tokens as they are, without SPNEGO:
 * WinPR 2's Negotiate (FreeRDP 2) is NTLM under that name.
 *
 * Completion follows MIT and Samba: once the sibling is done, MICs are
 * exchanged when the sibling provides integrity and either side requires
 * them (NTLM always does, as Windows Vista and gss-ntlmssp); the context
 * is established when ours is sent and theirs is checked.  A final
 * acceptor token passed after completion (its MIC, or a bare
 * accept-completed) is taken and checked.
 *
 * Status choices: no context handle out -> STATUS_INVALID_PARAMETER; a
 * foreign or acceptor context -> SEC_E_INVALID_HANDLE; a leg after a
 * failed one -> SEC_E_OUT_OF_SEQUENCE; malformed or unexpected tokens ->
 * SEC_E_INVALID_TOKEN; a reject in the first reply (no common mechanism)
 * -> SEC_E_INVALID_TOKEN, later -> the sibling's error for an enclosed
 * token, else SEC_E_LOGON_DENIED; a bad MIC -> SEC_E_MESSAGE_ALTERED.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

static SECURITY_STATUS copy_target(struct nego_context *c, const UNICODE_STRING *t)
{
    size_t n = t != NULL && t->Buffer != NULL ? t->Length / sizeof(char16_t) : 0;

    if (n == 0)
        return SEC_E_OK; /* no target: NTLM can still go */
    c->target = malloc((n + 1) * sizeof(char16_t));
    if (c->target == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(c->target, t->Buffer, n * sizeof(char16_t));
    c->target[n] = 0;
    return SEC_E_OK;
}

/* Did the server's NegTokenInit2 (if any) list sibling `m`? */
static bool server_lists(const struct nego_token *hint, const struct nego_mech *m)
{
    if (hint == NULL || hint->mech_count == 0)
        return true;
    for (uint32_t i = 0; i < hint->mech_count; i++)
        if (nego_mech_matches(m, hint->mechs[i]))
            return true;
    return false;
}

/* The OID of MechTypeList entry i: Kerberos' Microsoft OID, or the
 * sibling's own. */
static struct nego_view offered_oid(const struct nego_context *c, uint32_t i)
{
    const struct nego_mech *mech = &c->creds->mechs[c->offered[i]];

    return c->offered_ms[i] ? nego_oid_krb5_ms : (struct nego_view){mech->oid, mech->oid_len};
}

static void offer(struct nego_context *c, int mech, bool ms)
{
    if (c->offered_count == NEGO_MAX_MECHS)
        return;
    c->offered[c->offered_count] = (int8_t)mech;
    c->offered_ms[c->offered_count] = ms;
    c->offered_count++;
}

static void offer_mech(struct nego_context *c, int m)
{
    if (nego_mech_is_kerberos(&c->creds->mechs[m]))
        offer(c, m, true);
    offer(c, m, false);
}

static void select_mech(struct nego_context *c, int m, struct nego_view oid)
{
    c->selected = m;
    c->mech = c->creds->mechs[m];
    c->mech.name = NULL; /* the name stays the credential's */
    memcpy(c->selected_oid, oid.data, oid.len);
    c->selected_oid_len = (uint8_t)oid.len;
}

/* Is NTLM (the optimistic sibling) the only one left? */
static bool only_ntlm(const struct nego_context *c, const bool *usable, int optimistic)
{
    const struct nego_mech *m = &c->creds->mechs[optimistic];

    if (!nego_oid_equal((struct nego_view){m->oid, m->oid_len}, nego_oid_ntlm))
        return false;
    for (uint32_t i = 0; i < c->creds->count; i++)
        if (usable[i] && (int)i != optimistic)
            return false;
    return true;
}

/* The most a NegTokenInit offering every sibling `hint` allows puts
 * before the mech token (nego_inner_step's reserve). */
static size_t init_reserve(const struct nego_context *c, const struct nego_token *hint)
{
    size_t oids = 0;

    for (uint32_t m = 0; m < c->creds->count; m++) {
        const struct nego_mech *mech = &c->creds->mechs[m];
        if (!server_lists(hint, mech))
            continue;
        if (nego_mech_is_kerberos(mech))
            oids += nego_oid_krb5_ms.len;
        oids += mech->oid_len;
    }
    return nego_init_prefix_max(oids);
}

/* Leg 1: find the optimistic sibling and offer the rest. */
static SECURITY_STATUS first_leg(struct nego_context *c, const struct nego_token *hint,
                                 PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_tok tok = {NULL, 0, NULL};
    SECURITY_STATUS first_failure = SEC_E_NO_CREDENTIALS, st = SEC_E_NO_CREDENTIALS;
    bool usable[NEGO_MAX_MECHS_PER_CRED] = {false};
    int optimistic = -1;
    size_t reserve = init_reserve(c, hint);

    for (uint32_t m = 0; m < c->creds->count; m++) {
        if (!server_lists(hint, &c->creds->mechs[m]))
            continue;
        if (optimistic >= 0) {
            usable[m] = true;
            continue;
        }
        c->selected = (int)m;
        st = nego_inner_step(c, (struct nego_view){NULL, 0}, in, out, reserve, &tok);
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
            optimistic = (int)m;
            usable[m] = true;
        } else {
            if (first_failure == SEC_E_NO_CREDENTIALS)
                first_failure = st;
            nego_inner_drop(c);
        }
    }
    if (optimistic < 0)
        return first_failure;
    if (hint == NULL && only_ntlm(c, usable, optimistic) && nego_option_raw_ntlm()) {
        /* option.raw_ntlm: NTLM's own tokens, as WinPR 2's Negotiate sends them. */
        c->raw = true;
        select_mech(c, optimistic, nego_oid_ntlm);
        c->phase = NEGO_PHASE_MECH;
        st = nego_emit_tok(out, c->req, &tok);
        return st == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : st;
    }
    offer_mech(c, optimistic);
    for (uint32_t m = 0; m < c->creds->count; m++)
        if (usable[m] && (int)m != optimistic)
            offer_mech(c, (int)m);

    struct nego_view oids[NEGO_MAX_MECHS];
    for (uint32_t i = 0; i < c->offered_count; i++)
        oids[i] = offered_oid(c, i);
    struct nego_init_spec spec = {oids, c->offered_count, {tok.data, tok.len}, {NULL, 0}, NULL};
    struct nego_view sent;
    st = nego_emit_init(out, c->req, &spec, &sent);
    nego_tok_free(&tok);
    if (st != SEC_E_OK)
        return st;
    /* The mechListMIC covers the MechTypeList as sent. */
    c->mech_types = malloc(sent.len);
    if (c->mech_types == NULL) {
        pkg_output_none(out);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    memcpy(c->mech_types, sent.data, sent.len);
    c->mech_types_len = sent.len;
    select_mech(c, optimistic, oids[0]);
    c->optimistic = true;
    c->phase = NEGO_PHASE_OFFERED;
    return SEC_I_CONTINUE_NEEDED;
}

/* A reject from the acceptor. */
static SECURITY_STATUS rejected(struct nego_context *c, const struct nego_token *t,
                                PSecBufferDesc in)
{
    if (t->response_token.data != NULL && c->has_inner && !c->inner_complete) {
        struct nego_tok tok;
        SECURITY_STATUS st = nego_inner_step(c, t->response_token, in, NULL, 0, &tok);
        nego_tok_free(&tok);
        if (!SEC_SUCCESS(st))
            return st;
    }
    return c->phase == NEGO_PHASE_OFFERED ? SEC_E_INVALID_TOKEN : SEC_E_LOGON_DENIED;
}

/* The acceptor's first reply: confirm the optimistic mechanism or switch. */
static SECURITY_STATUS first_reply(struct nego_context *c, const struct nego_token *t)
{
    int k = -1;

    if (t->supported_mech.data == NULL)
        return SEC_E_INVALID_TOKEN;
    for (uint32_t i = 0; i < c->offered_count && k < 0; i++)
        if (nego_oid_equal(t->supported_mech, offered_oid(c, i)))
            k = (int)i;
    if (k < 0)
        return SEC_E_INVALID_TOKEN;
    int m = c->offered[k];
    c->optimistic = false;
    if (m == c->selected) {
        if (t->neg_state == NEGO_REQUEST_MIC)
            c->mic_required = true;
        if ((t->response_token.data == NULL) != c->inner_complete)
            return SEC_E_INVALID_TOKEN; /* missing or spurious token */
    } else {
        if (t->response_token.data != NULL ||
            (t->neg_state != NEGO_REQUEST_MIC && t->neg_state != NEGO_ACCEPT_INCOMPLETE))
            return SEC_E_INVALID_TOKEN;
        c->mic_required = t->neg_state == NEGO_REQUEST_MIC;
        nego_inner_drop(c);
        select_mech(c, m, t->supported_mech);
    }
    c->phase = NEGO_PHASE_MECH;
    return SEC_E_OK;
}

/* Send our part (mechanism token and/or MIC) in a NegTokenResp. */
static SECURITY_STATUS reply(PSecBufferDesc out, ULONG req, struct nego_tok *tok,
                             struct nego_out *mic)
{
    SECURITY_STATUS st = SEC_E_OK;

    if (tok->len == 0 && mic->data == NULL) {
        pkg_output_none(out);
    } else {
        struct nego_resp_spec r = {
            NEGO_STATE_ABSENT, {NULL, 0}, nego_tok_view(tok), {mic->data, mic->len}};
        st = nego_emit_resp(out, req, &r);
    }
    nego_tok_free(tok);
    nego_out_free(mic);
    return st;
}

/* The caller's input token, as a NegTokenResp (views into it). */
static SECURITY_STATUS input_resp(PSecBufferDesc in, struct nego_token *t)
{
    const uint8_t *data;
    size_t len;
    SECURITY_STATUS st = pkg_input_token(in, &data, &len);

    return st == SEC_E_OK ? nego_decode_next(data, len, t) : st;
}

/* Later legs: the acceptor's NegTokenResp. */
static SECURITY_STATUS next_leg(struct nego_context *c, PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_token t;
    struct nego_tok tok = {NULL, 0, NULL};
    struct nego_out mic = {NULL, 0};
    bool done = false;
    SECURITY_STATUS st = input_resp(in, &t);

    if (st != SEC_E_OK)
        return st;
    if (t.neg_state == NEGO_REJECT)
        return rejected(c, &t, in);
    if (c->phase == NEGO_PHASE_OFFERED) {
        st = first_reply(c, &t);
    } else if (t.supported_mech.data != NULL ||
               (t.response_token.data != NULL) == c->inner_complete) {
        st = SEC_E_INVALID_TOKEN;
    }
    if (st == SEC_E_OK && !c->inner_complete)
        st = nego_inner_step(c, t.response_token, in, out,
                             nego_resp_prefix_max(NEGO_STATE_ABSENT, (struct nego_view){NULL, 0}),
                             &tok);
    if (st == SEC_I_CONTINUE_NEEDED) {
        st = reply(out, c->req, &tok, &mic);
        return st == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : st;
    }
    if (st != SEC_E_OK) {
        nego_tok_free(&tok);
        return st;
    }
    /* The sibling is done: NTLM insists on the MIC exchange. */
    if (nego_oid_equal((struct nego_view){c->mech.oid, c->mech.oid_len}, nego_oid_ntlm))
        c->mic_required = true;
    st = nego_mic_exchange(c, t.mic, tok.len == 0, t.neg_state != NEGO_ACCEPT_COMPLETED, &mic,
                           &done);
    if (st == SEC_E_OK && !done && t.neg_state == NEGO_ACCEPT_COMPLETED)
        st = SEC_E_INVALID_TOKEN; /* complete without the MIC it owed */
    if (st != SEC_E_OK) {
        nego_tok_free(&tok);
        nego_out_free(&mic);
        return st;
    }
    st = reply(out, c->req, &tok, &mic);
    if (st != SEC_E_OK)
        return st;
    if (!done) {
        c->phase = NEGO_PHASE_MIC;
        return SEC_I_CONTINUE_NEEDED;
    }
    nego_context_complete(c);
    return SEC_E_OK;
}

/* A token after completion: the acceptor's last word. */
static SECURITY_STATUS after_done(struct nego_context *c, PSecBufferDesc in, PSecBufferDesc out)
{
    struct nego_token t;
    SECURITY_STATUS st = input_resp(in, &t);

    if (st != SEC_E_OK)
        return st;
    if (t.neg_state == NEGO_REJECT)
        return SEC_E_LOGON_DENIED;
    if (t.response_token.data != NULL || t.supported_mech.data != NULL)
        return SEC_E_INVALID_TOKEN;
    if (t.mic.data != NULL && nego_inner_has_integrity(c)) {
        if (c->mic_received)
            return SEC_E_INVALID_TOKEN;
        st = nego_mic_check(c, t.mic);
        if (st != SEC_E_OK)
            return st;
        c->mic_received = true;
    }
    pkg_output_none(out);
    return SEC_E_OK;
}

static SECURITY_STATUS init_leg(struct nego_context *c, PSecBufferDesc in, PSecBufferDesc out)
{
    const uint8_t *data;
    size_t len;

    if (c->phase == NEGO_PHASE_NEW) {
        struct nego_token hint;
        bool have_hint = pkg_input_token(in, &data, &len) == SEC_E_OK;
        if (have_hint) {
            SECURITY_STATUS st = nego_decode_initial(data, len, &hint);
            if (st != SEC_E_OK)
                return st;
        }
        return first_leg(c, have_hint ? &hint : NULL, in, out);
    }
    if (c->phase == NEGO_PHASE_DONE)
        return c->raw ? SEC_E_OUT_OF_SEQUENCE : after_done(c, in, out);
    if (c->raw) {
        SECURITY_STATUS st = pkg_input_token(in, &data, &len);
        return st == SEC_E_OK ? nego_raw_step(c, (struct nego_view){data, len}, in, out) : st;
    }
    return next_leg(c, in, out);
}

static SECURITY_STATUS init_step(struct nego_context *c, bool first, PUNICODE_STRING target,
                                 PSecBufferDesc in, PSecBufferDesc out)
{
    if (first) {
        SECURITY_STATUS st = copy_target(c, target);
        if (st != SEC_E_OK)
            return st;
    }
    return init_leg(c, in, out);
}

NTSTATUS NTAPI nego_init_context(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target,
                                 ULONG req, ULONG drep, PSecBufferDesc in, PLSA_SEC_HANDLE new_ctx,
                                 PSecBufferDesc out, PULONG attr, PTimeStamp expiry,
                                 PBOOLEAN mapped, PSecBuffer context_data)
{
    struct nego_leg_args a = {true, cred,    ctx,  target, req,    in,
                              out,  new_ctx, attr, expiry, mapped, init_step};

    (void)drep;
    (void)context_data;
    return nego_leg(&a);
}
