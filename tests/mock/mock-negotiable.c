/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-negotiable.c - a third-party package that declares
 * SECPKG_FLAG_NEGOTIABLE and a mechanism OID of its own
 * (1.3.6.1.4.1.57264.99), to prove that Negotiate offers and uses any such
 * package, not just Kerberos and NTLM.
 *
 * Protocol: the initiator sends "MOCKNEGO-C" and 8 random bytes, the
 * acceptor answers "MOCKNEGO-S" and 8 of its own; both then key
 * HMAC-SHA256 with the two nonces.  Signatures are 16 bytes: a 4-byte
 * sequence number and the first 12 bytes of HMAC(direction, seq, data).
 * No identity is needed and no sealing is offered: only what Negotiate
 * needs to carry a mechanism and its mechListMIC.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "packages/kit/kit.h"

#define MOCK_HELLO_LEN 10
#define MOCK_NONCE_LEN 8
#define MOCK_TOKEN_LEN (MOCK_HELLO_LEN + MOCK_NONCE_LEN)
#define MOCK_SIG_LEN   16

static const uint8_t mock_oid[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x04,
                                   0x01, 0x83, 0xbf, 0x30, 0x63};

struct mock_cred {
    struct pkg_object obj;
    uint32_t use;
};

struct mock_ctx {
    struct pkg_object obj;
    bool initiator, complete;
    uint8_t nonce_c[MOCK_NONCE_LEN], nonce_s[MOCK_NONCE_LEN];
    crypto_hmac_sha256_key key;
    _Atomic uint32_t send_seq, recv_seq; /* per-message calls may race */
};

static const struct pkg_class mock_cred_class = {0x4d4e4352u, sizeof(struct mock_cred), NULL};
static const struct pkg_class mock_ctx_class = {0x4d4e4358u, sizeof(struct mock_ctx), NULL};

static NTSTATUS NTAPI mock_acquire(PUNICODE_STRING principal, ULONG use, PLUID logon, PVOID auth,
                                   PVOID get_key, PVOID get_key_arg, PLSA_SEC_HANDLE cred,
                                   PTimeStamp expiry)
{
    (void)principal, (void)logon, (void)auth, (void)get_key, (void)get_key_arg;
    if (cred == NULL)
        return STATUS_INVALID_PARAMETER;
    if (pkg_credential_use(use) == 0)
        return SEC_E_UNKNOWN_CREDENTIALS;
    struct mock_cred *c = pkg_object_new(&mock_cred_class, PKG_SIDE_LSA);
    if (c == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->use = pkg_credential_use(use);
    if (expiry != NULL)
        expiry->QuadPart = PKG_NEVER;
    *cred = pkg_object_handle(c);
    return SEC_E_OK;
}

static NTSTATUS NTAPI mock_free_cred(LSA_SEC_HANDLE cred)
{
    return pkg_delete_side(&mock_cred_class, cred, PKG_SIDE_LSA);
}

static void mock_key(struct mock_ctx *c)
{
    uint8_t both[2 * MOCK_NONCE_LEN];

    memcpy(both, c->nonce_c, MOCK_NONCE_LEN);
    memcpy(both + MOCK_NONCE_LEN, c->nonce_s, MOCK_NONCE_LEN);
    crypto_hmac_sha256_set_key(&c->key, both, sizeof(both));
    c->complete = true;
}

/* The peer's token: its greeting and nonce into `nonce`. */
static SECURITY_STATUS mock_take(PSecBufferDesc in, char side, uint8_t *nonce)
{
    const uint8_t *data;
    size_t len;
    SECURITY_STATUS st = pkg_input_token(in, &data, &len);

    if (st != SEC_E_OK)
        return st;
    if (len != MOCK_TOKEN_LEN || memcmp(data, "MOCKNEGO-", 9) != 0 || data[9] != side)
        return SEC_E_INVALID_TOKEN;
    memcpy(nonce, data + MOCK_HELLO_LEN, MOCK_NONCE_LEN);
    return SEC_E_OK;
}

static SECURITY_STATUS mock_give(PSecBufferDesc out, ULONG req, char side, uint8_t *nonce)
{
    uint8_t tok[MOCK_TOKEN_LEN];

    memcpy(tok, "MOCKNEGO-", 9);
    tok[9] = (uint8_t)side;
    if (!crypto_random(nonce, MOCK_NONCE_LEN))
        return SEC_E_INTERNAL_ERROR;
    memcpy(tok + MOCK_HELLO_LEN, nonce, MOCK_NONCE_LEN);
    return pkg_output_token(out, req, tok, sizeof(tok));
}

static NTSTATUS mock_leg(bool initiator, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req,
                         PSecBufferDesc in, PLSA_SEC_HANDLE newh, PSecBufferDesc out, PULONG attr,
                         PTimeStamp expiry, PBOOLEAN mapped)
{
    struct mock_ctx *c;
    SECURITY_STATUS st;

    if (mapped != NULL)
        *mapped = FALSE;
    if (newh == NULL)
        return STATUS_INVALID_PARAMETER;
    if (ctx == 0) {
        if (pkg_object_from_handle(&mock_cred_class, cred, PKG_SIDE_LSA) == NULL)
            return SEC_E_INVALID_HANDLE;
        c = pkg_object_new(&mock_ctx_class, PKG_SIDE_LSA);
        if (c == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->initiator = initiator;
        if (initiator) {
            st = mock_give(out, req, 'C', c->nonce_c);
        } else {
            st = mock_take(in, 'C', c->nonce_c);
            if (st == SEC_E_OK)
                st = mock_give(out, req, 'S', c->nonce_s);
            if (st == SEC_E_OK)
                mock_key(c);
        }
        if (st != SEC_E_OK) {
            pkg_object_discard(c);
            return st;
        }
    } else {
        c = pkg_object_from_handle(&mock_ctx_class, ctx, PKG_SIDE_LSA);
        if (c == NULL || !c->initiator || c->complete)
            return c == NULL ? SEC_E_INVALID_HANDLE : SEC_E_OUT_OF_SEQUENCE;
        st = mock_take(in, 'S', c->nonce_s);
        if (st != SEC_E_OK)
            return st;
        mock_key(c);
        pkg_output_none(out);
    }
    *newh = pkg_object_handle(c);
    if (attr != NULL)
        *attr = initiator ? ISC_RET_INTEGRITY : ASC_RET_INTEGRITY;
    if (expiry != NULL)
        expiry->QuadPart = PKG_NEVER;
    return c->complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

static NTSTATUS NTAPI mock_init(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target,
                                ULONG req, ULONG drep, PSecBufferDesc in, PLSA_SEC_HANDLE newh,
                                PSecBufferDesc out, PULONG attr, PTimeStamp expiry, PBOOLEAN mapped,
                                PSecBuffer cdata)
{
    (void)target, (void)drep, (void)cdata;
    return mock_leg(true, cred, ctx, req, in, newh, out, attr, expiry, mapped);
}

static NTSTATUS NTAPI mock_accept(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in,
                                  ULONG req, ULONG drep, PLSA_SEC_HANDLE newh, PSecBufferDesc out,
                                  PULONG attr, PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer cdata)
{
    (void)drep, (void)cdata;
    return mock_leg(false, cred, ctx, req, in, newh, out, attr, expiry, mapped);
}

static NTSTATUS NTAPI mock_delete(LSA_SEC_HANDLE ctx)
{
    return pkg_delete_side(&mock_ctx_class, ctx, PKG_SIDE_LSA);
}

/* The 12-byte MAC of a message in one direction. */
static void mock_mac(const struct mock_ctx *c, bool from_initiator, uint32_t seq,
                     const struct pkg_message *m, uint8_t mac[12])
{
    crypto_hmac_sha256_ctx h;
    uint8_t head[5] = {from_initiator ? 'C' : 'S', (uint8_t)seq, (uint8_t)(seq >> 8),
                       (uint8_t)(seq >> 16), (uint8_t)(seq >> 24)};
    uint8_t full[32];

    crypto_hmac_sha256_begin(&h, &c->key);
    crypto_hmac_sha256_update(&h, head, sizeof(head));
    for (uint32_t i = 0; i < m->ndata; i++)
        crypto_hmac_sha256_update(&h, m->data[i]->pvBuffer, m->data[i]->cbBuffer);
    crypto_hmac_sha256_final(&h, full);
    memcpy(mac, full, 12);
}

static NTSTATUS NTAPI mock_sign(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc msg, ULONG seqno)
{
    struct mock_ctx *c = pkg_object_from_handle(&mock_ctx_class, h, 0);
    struct pkg_message m;
    PSecBuffer tok;
    SECURITY_STATUS st;

    (void)qop, (void)seqno;
    if (c == NULL || !c->complete)
        return SEC_E_INVALID_HANDLE;
    st = pkg_message_parse(msg, &m);
    if (st == SEC_E_OK)
        st = pkg_message_token(&m, MOCK_SIG_LEN, SEC_E_BUFFER_TOO_SMALL, &tok);
    if (st != SEC_E_OK)
        return st;
    uint32_t seq = atomic_fetch_add(&c->send_seq, 1);
    pkg_put_le32(tok->pvBuffer, seq);
    mock_mac(c, c->initiator, seq, &m, (uint8_t *)tok->pvBuffer + 4);
    tok->cbBuffer = MOCK_SIG_LEN;
    return SEC_E_OK;
}

static NTSTATUS NTAPI mock_verify(LSA_SEC_HANDLE h, PSecBufferDesc msg, ULONG seqno, PULONG qop)
{
    struct mock_ctx *c = pkg_object_from_handle(&mock_ctx_class, h, 0);
    struct pkg_message m;
    PSecBuffer tok;
    uint8_t mac[12];
    SECURITY_STATUS st;

    (void)seqno;
    if (c == NULL || !c->complete)
        return SEC_E_INVALID_HANDLE;
    st = pkg_message_parse(msg, &m);
    if (st == SEC_E_OK)
        st = pkg_message_token(&m, MOCK_SIG_LEN, SEC_E_INVALID_TOKEN, &tok);
    if (st != SEC_E_OK)
        return st;
    uint32_t seq = pkg_get_le32(tok->pvBuffer), want = seq;
    if (seq != atomic_load(&c->recv_seq))
        return SEC_E_OUT_OF_SEQUENCE;
    mock_mac(c, !c->initiator, seq, &m, mac);
    if (!crypto_memeq(mac, (uint8_t *)tok->pvBuffer + 4, sizeof(mac)))
        return SEC_E_MESSAGE_ALTERED;
    if (!atomic_compare_exchange_strong(&c->recv_seq, &want, seq + 1))
        return SEC_E_OUT_OF_SEQUENCE;
    if (qop != NULL)
        *qop = 0;
    return SEC_E_OK;
}

extern const struct pkg_descriptor mock_negotiable_package;

static NTSTATUS NTAPI mock_query(LSA_SEC_HANDLE h, ULONG attr, PVOID buffer)
{
    struct mock_ctx *c = pkg_object_from_handle(&mock_ctx_class, h, 0);

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    struct pkg_attr_data d = {
        .pkg = &mock_negotiable_package,
        .complete = c->complete,
        .max_signature = MOCK_SIG_LEN,
        .security_trailer = MOCK_SIG_LEN,
        .flags = c->initiator ? ISC_RET_INTEGRITY : ASC_RET_INTEGRITY,
        .start = 0,
        .expiry = PKG_NEVER,
        .user = {u"mockuser", 8},
        .domain = {u"MOCK", 4},
    };
    return pkg_attr_query(&d, attr, buffer, PKG_MODE_LSA);
}

static const SECPKG_FUNCTION_TABLE mock_lsa = {
    .AcquireCredentialsHandle = mock_acquire,
    .FreeCredentialsHandle = mock_free_cred,
    .InitLsaModeContext = mock_init,
    .AcceptLsaModeContext = mock_accept,
    .DeleteContext = mock_delete,
    .QueryContextAttributes = mock_query,
};

static const SECPKG_USER_FUNCTION_TABLE mock_user = {
    .MakeSignature = mock_sign,
    .VerifySignature = mock_verify,
    .QueryContextAttributes = mock_query,
};

const struct pkg_descriptor mock_negotiable_package = {
    .name = u"MockNego",
    .comment = u"third-party negotiable test package",
    .capabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_CONNECTION | SECPKG_FLAG_NEGOTIABLE |
                    SECPKG_FLAG_GSS_COMPATIBLE,
    .version = 1,
    .rpcid = SECPKG_ID_NONE,
    .max_token = 64,
    .lsa = &mock_lsa,
    .user = &mock_user,
    .mech_oid = mock_oid,
    .mech_oid_len = sizeof(mock_oid),
};

PKG_MODULE(&mock_negotiable_package)
