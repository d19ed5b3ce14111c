/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-server.c - the acceptor (SpAcceptLsaModeContext): CHALLENGE with
 * target information, then verification of the AUTHENTICATE message
 * against the user file: NTLMv2 proof, timestamp window, MIC, channel
 * bindings and target name by policy; NTLMv1 (with or without ESS) only
 * when option.allow_ntlmv1 is set.
 *
 * Statuses: malformed message -> SEC_E_INVALID_TOKEN; unknown user or
 * wrong password (or NTLMv1 while disabled, or an anonymous logon not
 * allowed) -> SEC_E_LOGON_DENIED; response older or newer than
 * option.max_skew -> SEC_E_TIME_SKEW; MIC mismatch -> SEC_E_MESSAGE_ALTERED;
 * channel binding or target name mismatch -> SEC_E_BAD_BINDINGS; no user
 * file configured -> SEC_E_NO_AUTHENTICATING_AUTHORITY.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "packages/ntlm/ntlm-pkg.h"

#define SERVER_FLAGS                                                                               \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |                 \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |                                      \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |                          \
     NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_DATAGRAM |              \
     NTLMSSP_NEGOTIATE_IDENTIFY | NTLMSSP_NEGOTIATE_LM_KEY | NTLM_NEGOTIATE_OEM)

/* The AUTHENTICATE's user in the user file.  A user name in UPN form
 * (user@domain) with an empty domain, as Windows clients send for UPN
 * credentials, is looked up as that user in that domain when no line has
 * the whole name; the NTLMv2 proof keeps using the names as sent. */
static int user_lookup(const char *file, const struct ntlm_buf *user, const struct ntlm_buf *domain,
                       uint8_t nt_hash[16], uint8_t lm_hash[16], bool *has_lm,
                       struct ntlm_buf canon[2])
{
    int rc = ntlm_userfile_lookup(file, user->data, user->len, domain->data, domain->len, nt_hash,
                                  lm_hash, has_lm, canon);
    size_t at = user->len;

    if (rc != 0 || domain->len != 0)
        return rc;
    while (at >= 2 && !(user->data[at - 2] == '@' && user->data[at - 1] == 0))
        at -= 2;
    if (at < 4 || at >= user->len)
        return rc; /* no '@', or nothing before or after it */
    return ntlm_userfile_lookup(file, user->data, at - 2, user->data + at, user->len - at, nt_hash,
                                lm_hash, has_lm, canon);
}

/* ASC_RET_* for the requirements `req` and the negotiate flags: only the
 * services the client agreed to (ntlm_attrs_negotiated). */
static uint32_t server_attrs(uint32_t req, uint32_t flags)
{
    uint32_t a = req & (ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONFIDENTIALITY |
                        ASC_REQ_CONNECTION);
    if (req & ASC_REQ_INTEGRITY)
        a |= ASC_RET_INTEGRITY;
    a = ntlm_attrs_negotiated(a, flags, ASC_RET_INTEGRITY);
    if (req & ASC_REQ_ALLOCATE_MEMORY)
        a |= ASC_RET_ALLOCATED_MEMORY;
    if (flags & NTLMSSP_NEGOTIATE_DATAGRAM)
        a |= ASC_RET_DATAGRAM;
    if (flags & NTLMSSP_NEGOTIATE_IDENTIFY)
        a |= ASC_RET_IDENTIFY;
    return a;
}

static bool av_add_utf8(struct ntlm_avbuilder *b, uint16_t id, const char *s)
{
    struct ntlm_buf w;

    if (!ntlm_buf_from_utf8(&w, s, strlen(s)))
        return false;
    ntlm_av_add(b, id, w.data, w.len);
    ntlm_buf_free(&w);
    return true;
}

/* Leg 1: NEGOTIATE in, a new context, CHALLENGE out. */
static SECURITY_STATUS server_challenge(struct pkg_leg *leg)
{
    const struct ntlm_cred *cred = leg->credential;
    ULONG req = leg->req;
    SecBuffer *tok = pkg_buffer_find(leg->in, SECBUFFER_TOKEN);
    struct ntlm_negotiate neg;
    struct ntlm_context *c = NULL;
    struct ntlm_options o;
    struct ntlm_avbuilder avb = {0};
    struct ntlm_buf tname = {0};
    uint8_t ts[8];
    uint32_t f;
    SECURITY_STATUS st;

    if (!(cred->use & SECPKG_CRED_INBOUND))
        return SEC_E_NO_CREDENTIALS;
    if (!tok || !tok->pvBuffer || !ntlm_msg_decode_negotiate(tok->pvBuffer, tok->cbBuffer, &neg))
        return SEC_E_INVALID_TOKEN;
    if (!ntlm_options_get(&o))
        return SEC_E_INSUFFICIENT_MEMORY;
    c = leg->context = ntlm_context_new(true);
    if (!c) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    c->req = req;
    if (!ntlm_buf_dup(&c->neg_msg, tok->pvBuffer, tok->cbBuffer)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    f = neg.flags & SERVER_FLAGS;
    if (f & NTLMSSP_NEGOTIATE_UNICODE)
        f &= ~NTLM_NEGOTIATE_OEM;
    if (f & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        f &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    if (!o.allow_ntlmv1)
        f &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    if (!(f & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)))
        f &= ~(NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_128);
    f |= NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_TARGET_TYPE_SERVER |
         NTLMSSP_NEGOTIATE_NTLM;
    if (neg.flags & NTLMSSP_REQUEST_TARGET)
        f |= NTLMSSP_REQUEST_TARGET;
    c->flags = f;

    if (!crypto_random(c->server_chal, 8)) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    c->chal_time = (uint64_t)pkg_filetime_now();
    pkg_put_le64(ts, c->chal_time);
    if (!av_add_utf8(&avb, MsvAvNbDomainName, o.nb_domain) ||
        !av_add_utf8(&avb, MsvAvNbComputerName, o.nb_computer) ||
        !av_add_utf8(&avb, MsvAvDnsDomainName, o.dns_domain) ||
        !av_add_utf8(&avb, MsvAvDnsComputerName, o.dns_computer)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    ntlm_av_add(&avb, MsvAvTimestamp, ts, 8);
    if (!ntlm_av_finish(&avb) ||
        !ntlm_buf_from_utf8(&tname, o.nb_computer, strlen(o.nb_computer))) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    {
        struct ntlm_view vt = {tname.data, tname.len}, vi = {avb.data, avb.len};
        if (!(f & NTLMSSP_NEGOTIATE_UNICODE)) {
            for (size_t i = 0; i < tname.len / 2; i++)
                tname.data[i] = tname.data[2 * i];
            vt.len = tname.len / 2;
        }
        if (!ntlm_msg_encode_challenge(f, c->server_chal, &vt, &vi, &ntlm_our_version,
                                       &c->chal_msg)) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
    }
    st = pkg_output_token(leg->out, req, c->chal_msg.data, c->chal_msg.len);
    if (st != SEC_E_OK)
        goto out;
    c->attrs = server_attrs(req, f);
    c->state = NTLM_ST_SERVER_CHALLENGE_SENT;
    leg->attributes = c->attrs;
    leg->expiry = PKG_NEVER;
    st = SEC_I_CONTINUE_NEEDED;
out:
    ntlm_av_free(&avb);
    ntlm_buf_free(&tname);
    ntlm_options_free(&o);
    return st;
}

/* Does the SPN's host part name this machine, or is it in service_names? */
static bool target_ok(const struct ntlm_options *o, const struct ntlm_view *spn)
{
    char *s = sspi_utf16le_to_utf8_lossy(spn->data, spn->len, NULL);
    const char *host, *end;
    bool ok = false;

    if (!s)
        return false;
    if (o->service_names) {
        const char *p = o->service_names;
        while (*p && !ok) {
            const char *q = strchr(p, ',');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            while (n && *p == ' ')
                p++, n--;
            while (n && p[n - 1] == ' ')
                n--;
            ok = n == strlen(s) && strncasecmp(p, s, n) == 0;
            p = q ? q + 1 : p + strlen(p);
        }
    }
    host = strchr(s, '/');
    host = host ? host + 1 : s;
    end = host + strcspn(host, ":/");
    if (!ok && end > host) {
        size_t n = (size_t)(end - host);
        ok = (strlen(o->dns_computer) == n && !strncasecmp(o->dns_computer, host, n)) ||
             (strlen(o->nb_computer) == n && !strncasecmp(o->nb_computer, host, n)) ||
             (n == 9 && !strncasecmp(host, "localhost", 9));
    }
    free(s);
    return ok;
}

static SECURITY_STATUS check_bindings(const struct ntlm_options *o, ULONG req,
                                      const struct ntlm_avpairs *av, PSecBufferDesc in)
{
    static const uint8_t zero[16];
    SecBuffer *cbb = pkg_buffer_find(in, SECBUFFER_CHANNEL_BINDINGS);
    bool sent = av->present[MsvAvChannelBindings] &&
                !crypto_memeq(av->v[MsvAvChannelBindings].data, zero, 16);
    uint8_t h[16];

    if (o->channel_bindings == NTLM_CB_NEVER)
        return SEC_E_OK;
    if (!sent) {
        if (o->channel_bindings == NTLM_CB_REQUIRED && !(req & ASC_REQ_ALLOW_MISSING_BINDINGS))
            return SEC_E_BAD_BINDINGS;
        return SEC_E_OK;
    }
    if (!cbb || !cbb->pvBuffer || !cbb->cbBuffer)
        return o->channel_bindings == NTLM_CB_REQUIRED ? SEC_E_BAD_BINDINGS : SEC_E_OK;
    if (!ntlm_cbt_hash(cbb->pvBuffer, cbb->cbBuffer, h))
        return SEC_E_BAD_BINDINGS;
    return crypto_memeq(h, av->v[MsvAvChannelBindings].data, 16) ? SEC_E_OK : SEC_E_BAD_BINDINGS;
}

/* Convert an AUTHENTICATE string to UTF-16LE (OEM strings are Latin-1). */
static bool auth_string(uint32_t flags, const struct ntlm_view *v, struct ntlm_buf *out)
{
    if (flags & NTLMSSP_NEGOTIATE_UNICODE) {
        if (v->len & 1)
            return false;
        return ntlm_buf_dup(out, v->data, v->len);
    }
    return ntlm_oem_to_utf16le(v->data, v->len, out);
}

/* Leg 2: AUTHENTICATE in, the context complete. */
static SECURITY_STATUS server_authenticate(struct ntlm_context *c, struct pkg_leg *leg)
{
    PSecBufferDesc in = leg->in;
    SecBuffer *tok = pkg_buffer_find(in, SECBUFFER_TOKEN);
    struct ntlm_authenticate a;
    struct ntlm_options o;
    struct ntlm_avpairs av;
    struct ntlm_buf user = {0}, domain = {0}, ws = {0};
    struct ntlm_buf canon[2] = {{0}, {0}}; /* user, domain as the user file has them */
    uint8_t nt_hash[16], lm_hash[16], ntowfv2[16], proof[16], sbk[16], kx[16];
    bool has_lm = false, anon = false, have_opts = false;
    SECURITY_STATUS st;
    static const uint8_t zero[24];

    memset(&av, 0, sizeof(av));
    if (!tok || !tok->pvBuffer || !ntlm_msg_decode_authenticate(tok->pvBuffer, tok->cbBuffer, &a))
        return SEC_E_INVALID_TOKEN;
    if (!auth_string(a.flags, &a.user, &user) || !auth_string(a.flags, &a.domain, &domain) ||
        !auth_string(a.flags, &a.workstation, &ws)) {
        st =
            (a.flags & NTLMSSP_NEGOTIATE_UNICODE) ? SEC_E_INVALID_TOKEN : SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    if (!ntlm_options_get(&o)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    have_opts = true;
    /* Flags the keys depend on: what both sides agreed to. */
    c->flags &= a.flags | ~(NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_SIGN |
                            NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 |
                            NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_LM_KEY |
                            NTLMSSP_NEGOTIATE_DATAGRAM);

    if (a.nt.len == 0 && user.len == 0 && (a.lm.len == 0 || (a.lm.len == 1 && a.lm.data[0] == 0))) {
        if (!o.allow_anonymous && !(c->req & ASC_REQ_ALLOW_NULL_SESSION)) {
            st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_ACCOUNT_RESTRICTION);
            goto out;
        }
        anon = true;
        memset(sbk, 0, 16);
        ntlm_kxkey(c->flags, true, sbk, NULL, zero, c->server_chal, kx);
        goto keys;
    }
    if (!o.user_file) {
        st = SEC_E_NO_AUTHENTICATING_AUTHORITY;
        goto out;
    }
    if (user_lookup(o.user_file, &user, &domain, nt_hash, lm_hash, &has_lm, canon) != 1) {
        st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_NO_SUCH_USER);
        goto out;
    }
    if (a.nt.len > 24) {
        const uint8_t *blob = a.nt.data + 16;
        size_t bloblen = a.nt.len - 16;

        if (bloblen < 28 || blob[0] != 1 || blob[1] != 1 ||
            !ntlm_avpairs_parse(blob + 28, bloblen - 28, &av)) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        ntlm_ntowfv2(nt_hash, user.data, user.len, domain.data, domain.len, ntowfv2);
        ntlm_v2_proof(ntowfv2, c->server_chal, blob, bloblen, proof);
        if (!crypto_memeq(proof, a.nt.data, 16)) {
            st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_WRONG_PASSWORD);
            goto out;
        }
        if (o.max_skew) {
            uint64_t t = pkg_get_le64(blob + 8), now = (uint64_t)pkg_filetime_now();
            uint64_t skew = (uint64_t)o.max_skew * 10000000u;
            if (t + skew < c->chal_time || t > now + skew) {
                st = pkg_refuse(SEC_E_TIME_SKEW, STATUS_TIME_DIFFERENCE_AT_DC);
                goto out;
            }
        }
        ntlm_v2_session_base_key(ntowfv2, proof, sbk);
        ntlm_kxkey(c->flags, true, sbk, NULL, a.lm.len >= 8 ? a.lm.data : zero, c->server_chal, kx);
    } else if (a.nt.len == 24 || (a.nt.len == 0 && a.lm.len == 24)) {
        uint8_t resp[24];
        const uint8_t *lmresp = a.lm.len >= 8 ? a.lm.data : zero;

        if (!o.allow_ntlmv1) {
            st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_NOT_SUPPORTED);
            goto out;
        }
        if (a.nt.len == 24 && (c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
            if (a.lm.len < 8) {
                st = SEC_E_INVALID_TOKEN;
                goto out;
            }
            ntlm_v1_ess_response(nt_hash, c->server_chal, a.lm.data, resp);
            if (!crypto_memeq(resp, a.nt.data, 24)) {
                st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_WRONG_PASSWORD);
                goto out;
            }
        } else if (a.nt.len == 24) {
            ntlm_v1_response(nt_hash, c->server_chal, resp);
            if (!crypto_memeq(resp, a.nt.data, 24)) {
                st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_WRONG_PASSWORD);
                goto out;
            }
        } else {
            ntlm_v1_response(lm_hash, c->server_chal, resp);
            if (!has_lm || !crypto_memeq(resp, a.lm.data, 24)) {
                st = pkg_refuse(SEC_E_LOGON_DENIED, STATUS_WRONG_PASSWORD);
                goto out;
            }
        }
        ntlm_v1_session_base_key(nt_hash, sbk);
        ntlm_kxkey(c->flags, false, sbk, lm_hash, lmresp, c->server_chal, kx);
    } else {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }

keys:
    /* MS-NLMP 3.1.5.1.2 and 3.2.5.1.2: EncryptedRandomSessionKey is sent
     * and used when key exchange comes with SIGN or SEAL; without them the
     * exported key is the key-exchange key.  Some clients (Samba) send one
     * anyway, and then use it: so does the acceptor. */
    if ((c->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) &&
        (a.enc_key.len != 0 || (c->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)))) {
        crypto_rc4 rc4;
        if (a.enc_key.len != 16) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        crypto_rc4_set_key(&rc4, kx, 16);
        crypto_rc4_crypt(&rc4, 16, c->exported, a.enc_key.data);
        crypto_wipe(&rc4, sizeof(rc4));
    } else {
        memcpy(c->exported, kx, 16);
    }

    if (av.present[MsvAvFlags] && (pkg_get_le32(av.v[MsvAvFlags].data) & NTLM_AVFLAG_MIC)) {
        uint8_t mic[16];
        if (!a.has_mic_field) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        ntlm_mic(c->exported, c->neg_msg.data, c->neg_msg.len, c->chal_msg.data, c->chal_msg.len,
                 tok->pvBuffer, tok->cbBuffer, mic);
        if (!crypto_memeq(mic, a.mic, 16)) {
            st = SEC_E_MESSAGE_ALTERED;
            goto out;
        }
    }
    if (!anon) {
        st = check_bindings(&o, c->req, &av, in);
        if (st != SEC_E_OK)
            goto out;
        if (o.target_name != NTLM_CB_NEVER) {
            if (av.present[MsvAvTargetName] && av.v[MsvAvTargetName].len) {
                if (!target_ok(&o, &av.v[MsvAvTargetName])) {
                    st = SEC_E_BAD_BINDINGS;
                    goto out;
                }
            } else if (o.target_name == NTLM_CB_REQUIRED) {
                st = SEC_E_BAD_BINDINGS;
                goto out;
            }
        }
    }
    if (av.present[MsvAvTargetName]) {
        ntlm_buf_free(&c->target);
        if (!ntlm_buf_dup(&c->target, av.v[MsvAvTargetName].data,
                          av.v[MsvAvTargetName].len & ~(size_t)1)) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            goto out;
        }
    } else if (!c->target.data && !ntlm_buf_dup(&c->target, "", 0)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }

    /* The names the context reports are the account's, as the user file
     * spells them (Windows reports the account's, not the client's,
     * spelling); a line with an empty domain keeps the client's. */
    if (canon[0].data != NULL) {
        ntlm_buf_free(&user);
        user = canon[0];
        canon[0].data = NULL;
    }
    if (canon[1].len != 0) {
        ntlm_buf_free(&domain);
        domain = canon[1];
        canon[1].data = NULL;
    }
    c->user = user;
    c->domain = domain;
    c->workstation = ws;
    user.data = domain.data = ws.data = NULL;
    c->null_session = anon;
    c->attrs = server_attrs(c->req, c->flags);
    if (anon)
        c->attrs |= ASC_RET_NULL_SESSION;
    leg->attributes = c->attrs;
    st = ntlm_context_map(c, leg);
out:
    if (have_opts)
        ntlm_options_free(&o);
    ntlm_buf_free(&user);
    ntlm_buf_free(&domain);
    ntlm_buf_free(&ws);
    ntlm_buf_free(&canon[0]);
    ntlm_buf_free(&canon[1]);
    crypto_wipe(nt_hash, sizeof(nt_hash));
    crypto_wipe(lm_hash, sizeof(lm_hash));
    crypto_wipe(ntowfv2, sizeof(ntowfv2));
    crypto_wipe(sbk, sizeof(sbk));
    crypto_wipe(kx, sizeof(kx));
    return st;
}

/*
 * SpAcceptLsaModeContext, run by the kit (pkg-calls.h).  First leg: a
 * NEGOTIATE in an input SECBUFFER_TOKEN; CHALLENGE out and
 * SEC_I_CONTINUE_NEEDED.  Second leg: the AUTHENTICATE (plus an optional
 * SECBUFFER_CHANNEL_BINDINGS); SEC_E_OK and the mapped context, or a status
 * listed at the top; no output token either way.  A client context ->
 * SEC_E_INVALID_HANDLE; a context not waiting for an AUTHENTICATE ->
 * SEC_E_OUT_OF_SEQUENCE.
 */
NTSTATUS ntlm_server_leg(struct pkg_leg *leg)
{
    struct ntlm_context *c = leg->context;
    SECURITY_STATUS st;

    if (!c)
        return server_challenge(leg);
    if (!c->server)
        return SEC_E_INVALID_HANDLE;
    if (c->state != NTLM_ST_SERVER_CHALLENGE_SENT)
        return SEC_E_OUT_OF_SEQUENCE;
    st = server_authenticate(c, leg);
    pkg_output_none(leg->out);
    return st;
}
