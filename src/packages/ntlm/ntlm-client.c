/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-client.c - the initiator (SpInitLsaModeContext): NEGOTIATE, then
 * AUTHENTICATE with an NTLMv2 response, extended session security, key
 * exchange, MsvAvTimestamp echo, MsvAvTargetName, channel bindings and a
 * MIC over the three messages (MS-NLMP 3.1.5).
 */
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

const struct ntlm_version ntlm_our_version = {10, 0, 20348, 15};

#define CLIENT_FLAGS                                                                               \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET |                     \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |                                      \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_VERSION |                      \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56)

/* The NEGOTIATE flags for the caller's requirements.  SIGN and SEAL only
 * for the services asked for (MS-NLMP 3.1.1.2: integrity, replay and
 * sequence detection need signing; confidentiality sealing), as Windows
 * sends them. */
static uint32_t client_flags(uint32_t req)
{
    uint32_t f = CLIENT_FLAGS;

    if (req & (ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT))
        f |= NTLMSSP_NEGOTIATE_SIGN;
    if (req & ISC_REQ_CONFIDENTIALITY)
        f |= NTLMSSP_NEGOTIATE_SEAL;
    if (req & ISC_REQ_DATAGRAM)
        f |= NTLMSSP_NEGOTIATE_DATAGRAM;
    if (req & ISC_REQ_IDENTIFY)
        f |= NTLMSSP_NEGOTIATE_IDENTIFY;
    return f;
}

/* ISC_RET_* bits we grant from what was asked. */
static uint32_t client_attrs(uint32_t req)
{
    uint32_t a = req & (ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONFIDENTIALITY |
                        ISC_REQ_DATAGRAM | ISC_REQ_CONNECTION | ISC_REQ_IDENTIFY);
    if (req & ISC_REQ_INTEGRITY)
        a |= ISC_RET_INTEGRITY;
    if (req & ISC_REQ_NULL_SESSION)
        a |= ISC_RET_NULL_SESSION;
    if (req & ISC_REQ_ALLOCATE_MEMORY)
        a |= ISC_RET_ALLOCATED_MEMORY;
    return a;
}

/* Leg 1: a new context, NEGOTIATE out. */
static SECURITY_STATUS client_negotiate(struct pkg_leg *leg)
{
    const struct ntlm_cred *cred = leg->credential;
    const UNICODE_STRING *target = leg->target;
    ULONG req = leg->req;
    struct ntlm_context *c;
    struct ntlm_options o;
    SECURITY_STATUS st;

    if (!(cred->use & SECPKG_CRED_OUTBOUND))
        return SEC_E_NO_CREDENTIALS;
    c = leg->context = ntlm_context_new(false);
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->req = req;
    c->attrs = client_attrs(req);
    if (req & ISC_REQ_NULL_SESSION) {
        c->id.anonymous = true;
        c->id.present = true;
        if (!ntlm_buf_dup(&c->id.user, "", 0) || !ntlm_buf_dup(&c->id.domain, "", 0))
            return SEC_E_INSUFFICIENT_MEMORY;
    } else if (cred->id.present) {
        if (!ntlm_identity_copy(&c->id, &cred->id))
            return SEC_E_INSUFFICIENT_MEMORY;
    } else {
        if (!ntlm_options_get(&o))
            return SEC_E_INSUFFICIENT_MEMORY;
        st = ntlm_identity_default(&o, &c->id);
        ntlm_options_free(&o);
        if (st != SEC_E_OK)
            return st;
    }
    if (c->id.anonymous)
        c->attrs |= ISC_RET_NULL_SESSION;
    if (target && target->Buffer && target->Length) {
        if (!ntlm_buf_dup(&c->target, target->Buffer, target->Length & ~1u))
            return SEC_E_INSUFFICIENT_MEMORY;
    } else if (!ntlm_buf_dup(&c->target, "", 0)) {
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    c->flags = client_flags(req);
    if (!ntlm_msg_encode_negotiate(c->flags, &ntlm_our_version, &c->neg_msg))
        return SEC_E_INSUFFICIENT_MEMORY;
    st = pkg_output_token(leg->out, req, c->neg_msg.data, c->neg_msg.len);
    if (st != SEC_E_OK)
        return st;
    c->state = NTLM_ST_CLIENT_NEGOTIATE_SENT;
    leg->attributes = c->attrs;
    leg->expiry = PKG_NEVER;
    return SEC_I_CONTINUE_NEEDED;
}

/* Build the AV_PAIR list of the NTLMv2 response from the server's. */
static bool client_av_list(const struct ntlm_view *srv_raw, const struct ntlm_buf *target,
                           const uint8_t cbt[16], bool mic, struct ntlm_avbuilder *b)
{
    size_t pos = 0;
    uint8_t fl[4];
    uint32_t flags = 0;

    /* Copy the server's pairs except EOL, Flags, TargetName, ChannelBindings. */
    while (pos + 4 <= srv_raw->len) {
        uint16_t id = pkg_get_le16(srv_raw->data + pos);
        uint16_t n = pkg_get_le16(srv_raw->data + pos + 2);

        if (id == MsvAvEOL)
            break;
        if (id == MsvAvFlags)
            flags = pkg_get_le32(srv_raw->data + pos + 4);
        else if (id != MsvAvTargetName && id != MsvAvChannelBindings)
            ntlm_av_add(b, id, srv_raw->data + pos + 4, n);
        pos += 4 + (size_t)n;
    }
    if (mic)
        flags |= NTLM_AVFLAG_MIC;
    if (flags) {
        pkg_put_le32(fl, flags);
        ntlm_av_add(b, MsvAvFlags, fl, 4);
    }
    ntlm_av_add(b, MsvAvChannelBindings, cbt, 16);
    if (target->len)
        ntlm_av_add(b, MsvAvTargetName, target->data, target->len);
    return ntlm_av_finish(b);
}

/* Leg 2: CHALLENGE in, AUTHENTICATE out, the context complete. */
static SECURITY_STATUS client_authenticate(struct ntlm_context *c, struct pkg_leg *leg)
{
    SecBuffer *tok = pkg_buffer_find(leg->in, SECBUFFER_TOKEN);
    SecBuffer *cbb = pkg_buffer_find(leg->in, SECBUFFER_CHANNEL_BINDINGS);
    struct ntlm_challenge ch;
    struct ntlm_avpairs av;
    struct ntlm_avbuilder avb = {0};
    struct ntlm_options o;
    struct ntlm_buf auth = {0}, blob = {0}, ws = {0};
    uint8_t cbt[16] = {0}, client_chal[8], ntowfv2[16], proof[16], sbk[16], kx[16];
    uint8_t lm[24] = {0}, enc[16], *nt = NULL, mic[16];
    size_t ntlen = 0;
    uint64_t ts;
    bool have_opts = false, anon = c->id.anonymous, with_mic;
    SECURITY_STATUS st;
    crypto_rc4 rc4;

    if (!tok || !tok->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    if (!ntlm_msg_decode_challenge(tok->pvBuffer, tok->cbBuffer, &ch))
        return SEC_E_INVALID_TOKEN;
    if (!(ch.flags & NTLMSSP_NEGOTIATE_UNICODE))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!(ch.flags & NTLMSSP_NEGOTIATE_TARGET_INFO) || !ch.target_info.len ||
        !ntlm_avpairs_parse(ch.target_info.data, ch.target_info.len, &av))
        return SEC_E_INVALID_TOKEN;
    if (!ntlm_buf_dup(&c->chal_msg, tok->pvBuffer, tok->cbBuffer))
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(c->server_chal, ch.server_chal, 8);

    /* Negotiated flags: what we asked for that the server granted. */
    c->flags = (c->flags & ch.flags) | NTLMSSP_NEGOTIATE_UNICODE;
    c->flags &= ~(NTLM_NEGOTIATE_OEM | NTLMSSP_NEGOTIATE_LM_KEY);
    if (anon)
        c->flags |= NTLMSSP_NEGOTIATE_ANONYMOUS;
    c->flags |= NTLMSSP_NEGOTIATE_TARGET_INFO & ch.flags;
    /* MS-NLMP 3.1.5.1.2: a random session key is exchanged only for
     * signing or sealing; without them the exported key is the key-exchange
     * key, which is what an acceptor following the spec then uses. */
    if (!(c->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)))
        c->flags &= ~(uint32_t)NTLMSSP_NEGOTIATE_KEY_EXCH;
    c->attrs = ntlm_attrs_negotiated(c->attrs, c->flags, ISC_RET_INTEGRITY);

    if (cbb && cbb->pvBuffer && cbb->cbBuffer) {
        if (!ntlm_cbt_hash(cbb->pvBuffer, cbb->cbBuffer, cbt)) {
            st = SEC_E_BAD_BINDINGS;
            goto out;
        }
    }
    if (!ntlm_options_get(&o)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    have_opts = true;
    if (!ntlm_buf_from_utf8(&ws, o.nb_computer, strlen(o.nb_computer))) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }

    with_mic = !anon;
    if (!crypto_random(client_chal, 8) || !crypto_random(c->exported, 16)) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    if (anon) {
        memset(sbk, 0, 16);
        ntlen = 0;
    } else {
        if (!client_av_list(&ch.target_info, &c->target, cbt, with_mic, &avb)) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
        ts = av.present[MsvAvTimestamp] ? pkg_get_le64(av.v[MsvAvTimestamp].data)
                                        : (uint64_t)pkg_filetime_now();
        blob.data = malloc(32 + avb.len);
        nt = malloc(16 + 32 + avb.len);
        if (!blob.data || !nt) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
        blob.len = ntlm_v2_blob(ts, client_chal, avb.data, avb.len, blob.data);
        ntlm_ntowfv2(c->id.nt_hash, c->id.user.data, c->id.user.len, c->id.domain.data,
                     c->id.domain.len, ntowfv2);
        ntlm_v2_proof(ntowfv2, c->server_chal, blob.data, blob.len, proof);
        memcpy(nt, proof, 16);
        memcpy(nt + 16, blob.data, blob.len);
        ntlen = 16 + blob.len;
        ntlm_v2_session_base_key(ntowfv2, proof, sbk);
        /* With MsvAvTimestamp the LM response is all zeros (MS-NLMP 3.1.5.2.1). */
        if (!av.present[MsvAvTimestamp])
            ntlm_lmv2_response(ntowfv2, c->server_chal, client_chal, lm);
    }
    ntlm_kxkey(c->flags, true, sbk, NULL, lm, c->server_chal, kx);
    if (c->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        crypto_rc4_set_key(&rc4, kx, 16);
        crypto_rc4_crypt(&rc4, 16, enc, c->exported);
        crypto_wipe(&rc4, sizeof(rc4));
    } else {
        memcpy(c->exported, kx, 16);
    }
    {
        struct ntlm_view vlm = {lm, anon ? 1 : 24}, vnt = {nt, ntlen};
        struct ntlm_view vdom = {c->id.domain.data, c->id.domain.len};
        struct ntlm_view vuser = {c->id.user.data, c->id.user.len};
        struct ntlm_view vws = {ws.data, ws.len};
        struct ntlm_view venc = {enc, 16};
        bool kex = (c->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) != 0;

        if (!ntlm_msg_encode_authenticate(c->flags, &vlm, &vnt, &vdom, &vuser, &vws,
                                          kex ? &venc : NULL, &ntlm_our_version, true, &auth)) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
    }
    if (with_mic) {
        ntlm_mic(c->exported, c->neg_msg.data, c->neg_msg.len, c->chal_msg.data, c->chal_msg.len,
                 auth.data, auth.len, mic);
        memcpy(auth.data + NTLM_MIC_OFFSET, mic, 16);
    }
    st = pkg_output_token(leg->out, c->req, auth.data, auth.len);
    if (st != SEC_E_OK)
        goto out;

    /* The context's names: who we are and whom we talked to. */
    ntlm_buf_free(&c->user);
    ntlm_buf_free(&c->domain);
    if (!ntlm_buf_dup(&c->user, c->id.user.data, c->id.user.len) ||
        !ntlm_buf_dup(&c->domain, c->id.domain.data, c->id.domain.len)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    c->workstation = ws;
    ws.data = NULL;
    c->null_session = anon;
    leg->attributes = c->attrs;
    st = ntlm_context_map(c, leg);
out:
    if (have_opts)
        ntlm_options_free(&o);
    ntlm_av_free(&avb);
    ntlm_buf_free(&blob);
    ntlm_buf_free(&ws);
    ntlm_buf_free(&auth);
    free(nt);
    crypto_wipe(ntowfv2, sizeof(ntowfv2));
    crypto_wipe(sbk, sizeof(sbk));
    crypto_wipe(kx, sizeof(kx));
    return st;
}

/*
 * SpInitLsaModeContext, run by the kit (pkg-calls.h).  First leg:
 * NEGOTIATE into the output SECBUFFER_TOKEN, SEC_I_CONTINUE_NEEDED and a
 * new context; the output buffer statuses are the kit's (Windows': no
 * descriptor, no TOKEN or one too small SEC_E_BUFFER_TOO_SMALL, a TOKEN
 * without memory SEC_E_INTERNAL_ERROR).  Second leg: the CHALLENGE in an
 * input SECBUFFER_TOKEN (plus an optional SECBUFFER_CHANNEL_BINDINGS),
 * AUTHENTICATE out, SEC_E_OK and the mapped context.  Malformed CHALLENGE
 * -> SEC_E_INVALID_TOKEN; a server context -> SEC_E_INVALID_HANDLE; a
 * context not waiting for a CHALLENGE -> SEC_E_OUT_OF_SEQUENCE.
 */
NTSTATUS ntlm_client_leg(struct pkg_leg *leg)
{
    struct ntlm_context *c = leg->context;

    if (!c)
        return client_negotiate(leg);
    if (c->server)
        return SEC_E_INVALID_HANDLE;
    if (c->state != NTLM_ST_CLIENT_NEGOTIATE_SENT)
        return SEC_E_OUT_OF_SEQUENCE;
    return client_authenticate(c, leg);
}
