/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-cfx.c - RFC 4121 MIC and Wrap tokens on crypto.h (see
 * kerberos-cfx.h).  Messages are lists of segments (the caller's SSPI
 * buffers and pieces of the token), so nothing is copied or allocated: CBC
 * runs in place over the encrypted segments, bouncing only the blocks that
 * straddle two segments and the last two (ciphertext stealing) through the
 * stack.
 *
 * Token header (RFC 4121 4.2.6), big-endian:
 *   0 TOK_ID (04 04 MIC, 05 04 Wrap)  2 flags  3 filler FF
 *   4 EC (Wrap; MIC: FF FF)  6 RRC (Wrap; MIC: FF FF)  8 SND_SEQ
 * Wrap body: E(confounder | data | EC filler | header with RRC 0) | MAC, or
 * data | MAC without confidentiality; rotated right by RRC (by RRC + EC in
 * DCE-style confidential tokens, as Windows and MIT do).
 */
#include "config.h"

#include <string.h>

#include "packages/kerberos/kerberos-cfx.h"

/* RFC 4121 key usages. */
#define KG_USAGE_ACCEPTOR_SEAL  22
#define KG_USAGE_ACCEPTOR_SIGN  23
#define KG_USAGE_INITIATOR_SEAL 24
#define KG_USAGE_INITIATOR_SIGN 25

#define FLAG_SENT_BY_ACCEPTOR 0x01
#define FLAG_SEALED           0x02
#define FLAG_ACCEPTOR_SUBKEY  0x04

bool krb_cfx_supported(int32_t enctype)
{
    return enctype >= CRYPTO_KRB5_AES128_CTS_HMAC_SHA1_96 &&
           enctype <= CRYPTO_KRB5_AES256_CTS_HMAC_SHA384_192;
}

static bool derive_keys(struct krb_cfx_keys *k, int32_t enctype, const uint8_t *key, size_t keylen,
                        uint32_t seal, uint32_t sign)
{
    enum crypto_hmac_alg alg =
        enctype == CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128   ? CRYPTO_HMAC_SHA256
        : enctype == CRYPTO_KRB5_AES256_CTS_HMAC_SHA384_192 ? CRYPTO_HMAC_SHA384
                                                            : CRYPTO_HMAC_SHA1;
    uint8_t d[32];
    size_t dl;
    bool ok = crypto_krb5_derive(enctype, key, keylen, sign, CRYPTO_KRB5_KC, d, &dl);

    if (ok)
        crypto_hmac_set_key(&k->sign, alg, d, dl);
    ok = ok && crypto_krb5_derive(enctype, key, keylen, seal, CRYPTO_KRB5_KC, d, &dl);
    if (ok)
        crypto_hmac_set_key(&k->seal_c, alg, d, dl);
    ok = ok && crypto_krb5_derive(enctype, key, keylen, seal, CRYPTO_KRB5_KI, d, &dl);
    if (ok)
        crypto_hmac_set_key(&k->seal_i, alg, d, dl);
    ok = ok && crypto_krb5_derive(enctype, key, keylen, seal, CRYPTO_KRB5_KE, d, &dl) &&
         crypto_aes_set_key(&k->seal_e, d, dl);
    crypto_wipe(d, sizeof(d));
    return ok;
}

bool krb_cfx_init(struct krb_cfx *c, int32_t enctype, const uint8_t *key, size_t keylen,
                  bool initiator, bool acceptor_subkey, bool dce, bool replay, bool sequence,
                  uint64_t send_seq, uint64_t recv_seq)
{
    uint8_t rnd[32];

    memset(c, 0, sizeof(*c));
    if (!krb_cfx_supported(enctype))
        return false;
    c->enctype = enctype;
    c->etm = enctype >= CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128;
    c->mac_len = enctype == CRYPTO_KRB5_AES128_CTS_HMAC_SHA256_128   ? 16
                 : enctype == CRYPTO_KRB5_AES256_CTS_HMAC_SHA384_192 ? 24
                                                                     : 12;
    c->initiator = initiator;
    c->acceptor_subkey = acceptor_subkey;
    c->dce = dce;
    c->replay = replay;
    c->sequence = sequence;
    if (!derive_keys(&c->out, enctype, key, keylen,
                     initiator ? KG_USAGE_INITIATOR_SEAL : KG_USAGE_ACCEPTOR_SEAL,
                     initiator ? KG_USAGE_INITIATOR_SIGN : KG_USAGE_ACCEPTOR_SIGN) ||
        !derive_keys(&c->in, enctype, key, keylen,
                     initiator ? KG_USAGE_ACCEPTOR_SEAL : KG_USAGE_INITIATOR_SEAL,
                     initiator ? KG_USAGE_ACCEPTOR_SIGN : KG_USAGE_INITIATOR_SIGN) ||
        !crypto_random(rnd, sizeof(rnd))) {
        krb_cfx_wipe(c);
        return false;
    }
    crypto_aes_set_key(&c->conf_key, rnd, 16);
    memcpy(&c->conf_nonce, rnd + 16, 8);
    crypto_wipe(rnd, sizeof(rnd));
    atomic_init(&c->conf_ctr, 0);
    atomic_init(&c->send_seq, send_seq);
    atomic_flag_clear(&c->recv_lock);
    c->recv_next = recv_seq;
    c->recv_seen = 0;
    return true;
}

void krb_cfx_wipe(struct krb_cfx *c)
{
    crypto_wipe(c, sizeof(*c));
}

size_t krb_cfx_mic_size(const struct krb_cfx *c)
{
    return KRB_CFX_HEADER + c->mac_len;
}

static size_t wrap_ec(const struct krb_cfx *c, bool conf)
{
    return conf ? (c->dce ? KRB_CFX_DCE_EC : 0) : c->mac_len;
}

size_t krb_cfx_wrap_size(const struct krb_cfx *c, bool conf)
{
    if (!conf)
        return KRB_CFX_HEADER + c->mac_len;
    return KRB_CFX_HEADER + wrap_ec(c, true) + KRB_CFX_HEADER + c->mac_len + 16;
}

/* ---- helpers ------------------------------------------------------------ */

static void put_be16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint8_t send_flags(const struct krb_cfx *c)
{
    return (uint8_t)((c->initiator ? 0 : FLAG_SENT_BY_ACCEPTOR) |
                     (c->acceptor_subkey ? FLAG_ACCEPTOR_SUBKEY : 0));
}

/* The peer's direction and subkey flags must be what this context expects. */
static bool peer_flags_ok(const struct krb_cfx *c, uint8_t flags)
{
    uint8_t want = (uint8_t)((c->initiator ? FLAG_SENT_BY_ACCEPTOR : 0) |
                             (c->acceptor_subkey ? FLAG_ACCEPTOR_SUBKEY : 0));
    return (flags & (FLAG_SENT_BY_ACCEPTOR | FLAG_ACCEPTOR_SUBKEY)) == want;
}

static void mac_segs(crypto_hmac_ctx *h, const struct krb_seg *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i].flags & KRB_SEG_SIGN) && s[i].len > 0)
            crypto_hmac_update(h, s[i].p, s[i].len);
}

/* ---- CBC with ciphertext stealing over the ENC segments ----------------- */

struct cursor {
    const struct krb_seg *s;
    size_t n, i, off;
};

static void cur_norm(struct cursor *c)
{
    while (c->i < c->n && (!(c->s[c->i].flags & KRB_SEG_ENC) || c->off >= c->s[c->i].len)) {
        c->i++;
        c->off = 0;
    }
}

static void cur_move(struct cursor *c, uint8_t *buf, size_t len, int dir)
{
    while (len > 0) {
        size_t take;

        cur_norm(c);
        take = c->s[c->i].len - c->off;
        if (take > len)
            take = len;
        if (dir > 0)
            memcpy(buf, c->s[c->i].p + c->off, take);
        else if (dir < 0)
            memcpy(c->s[c->i].p + c->off, buf, take);
        c->off += take;
        if (buf != NULL)
            buf += take;
        len -= take;
    }
}

static size_t enc_len(const struct krb_seg *s, size_t n)
{
    size_t l = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].flags & KRB_SEG_ENC)
            l += s[i].len;
    return l;
}

/* CBC over the first `len` (a multiple of 16) ENC bytes from *c. */
static void cbc_run(const crypto_aes_key *k, struct cursor *c, uint8_t iv[16], size_t len, bool enc)
{
    uint8_t blk[16];

    while (len > 0) {
        size_t avail;

        cur_norm(c);
        avail = c->s[c->i].len - c->off;
        if (avail > len)
            avail = len;
        if (avail >= 16) {
            uint8_t *p = c->s[c->i].p + c->off;
            avail &= ~(size_t)15;
            if (enc)
                crypto_aes_cbc_encrypt(k, iv, avail, p, p);
            else
                crypto_aes_cbc_decrypt(k, iv, avail, p, p);
            c->off += avail;
            len -= avail;
        } else {
            struct cursor at = *c;
            cur_move(c, blk, 16, 1);
            if (enc)
                crypto_aes_cbc_encrypt(k, iv, 16, blk, blk);
            else
                crypto_aes_cbc_decrypt(k, iv, 16, blk, blk);
            cur_move(&at, blk, 16, -1);
            len -= 16;
        }
    }
    crypto_wipe(blk, sizeof(blk));
}

static void cts_segs(const crypto_aes_key *k, const struct krb_seg *s, size_t n, bool enc)
{
    struct cursor c = {s, n, 0, 0}, at;
    size_t total = enc_len(s, n), tail, head;
    uint8_t iv[16] = {0}, blk[32];

    tail = total <= 16 ? total : (total % 16 == 0 ? 32 : 16 + total % 16);
    head = total - tail;
    if (enc) {
        cbc_run(k, &c, iv, head, true);
        at = c;
        cur_move(&c, blk, tail, 1);
        crypto_aes_cts_encrypt(k, iv, tail, blk, blk);
        cur_move(&at, blk, tail, -1);
    } else {
        /* The tail chains on the last head ciphertext block: decrypt it
         * before the head is decrypted in place. */
        if (head > 0) {
            cur_move(&c, NULL, head - 16, 0);
            cur_move(&c, iv, 16, 1);
        }
        at = c;
        cur_move(&c, blk, tail, 1);
        crypto_aes_cts_decrypt(k, iv, tail, blk, blk);
        cur_move(&at, blk, tail, -1);
        c = (struct cursor){s, n, 0, 0};
        memset(iv, 0, sizeof(iv));
        cbc_run(k, &c, iv, head, false);
    }
    crypto_wipe(blk, sizeof(blk));
}

/* ---- sequence numbers --------------------------------------------------- */

static uint64_t next_send_seq(struct krb_cfx *c)
{
    return atomic_fetch_add_explicit(&c->send_seq, 1, memory_order_relaxed);
}

/* Record `seq` as received; false if replayed, too old, or (with
 * sequence detection) not the next one. */
static bool recv_seq_ok(struct krb_cfx *c, uint64_t seq)
{
    bool ok = true;

    if (!c->replay && !c->sequence)
        return true;
    while (atomic_flag_test_and_set_explicit(&c->recv_lock, memory_order_acquire))
        ;
    if (seq == c->recv_next) {
        c->recv_seen = c->recv_seen << 1 | 1;
        c->recv_next++;
    } else if (seq > c->recv_next) {
        uint64_t shift = seq - c->recv_next + 1;

        if (c->sequence) {
            ok = false;
        } else {
            c->recv_seen = shift >= 64 ? 1 : (c->recv_seen << shift | 1);
            c->recv_next = seq + 1;
        }
    } else {
        uint64_t d = c->recv_next - 1 - seq;

        if (d >= 64 || (c->recv_seen >> d & 1) || c->sequence)
            ok = false;
        else
            c->recv_seen |= (uint64_t)1 << d;
    }
    atomic_flag_clear_explicit(&c->recv_lock, memory_order_release);
    return ok;
}

/* ---- MIC ---------------------------------------------------------------- */

static void mic_header(const struct krb_cfx *c, uint8_t h[16], uint64_t seq)
{
    h[0] = 0x04;
    h[1] = 0x04;
    h[2] = send_flags(c);
    memset(h + 3, 0xFF, 5);
    put_be64(h + 8, seq);
}

SECURITY_STATUS krb_cfx_get_mic(struct krb_cfx *c, const struct krb_seg *msg, size_t n,
                                uint8_t *token, size_t cap, size_t *written)
{
    crypto_hmac_ctx h;

    if (cap < krb_cfx_mic_size(c))
        return SEC_E_BUFFER_TOO_SMALL;
    mic_header(c, token, next_send_seq(c));
    crypto_hmac_begin(&h, &c->out.sign);
    mac_segs(&h, msg, n);
    crypto_hmac_update(&h, token, KRB_CFX_HEADER);
    crypto_hmac_final(&h, token + KRB_CFX_HEADER, c->mac_len);
    *written = krb_cfx_mic_size(c);
    return SEC_E_OK;
}

SECURITY_STATUS krb_cfx_verify_mic(struct krb_cfx *c, const struct krb_seg *msg, size_t n,
                                   const uint8_t *token, size_t len)
{
    crypto_hmac_ctx h;
    uint8_t mac[KRB_CFX_MAX_MAC];
    static const uint8_t ff[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    bool good;

    if (token == NULL || len != krb_cfx_mic_size(c) || token[0] != 0x04 || token[1] != 0x04 ||
        memcmp(token + 3, ff, 5) != 0 || (token[2] & FLAG_SEALED) || !peer_flags_ok(c, token[2]))
        return SEC_E_INVALID_TOKEN;
    crypto_hmac_begin(&h, &c->in.sign);
    mac_segs(&h, msg, n);
    crypto_hmac_update(&h, token, KRB_CFX_HEADER);
    crypto_hmac_final(&h, mac, c->mac_len);
    good = crypto_memeq(mac, token + KRB_CFX_HEADER, c->mac_len);
    crypto_wipe(mac, sizeof(mac));
    if (!good)
        return SEC_E_MESSAGE_ALTERED;
    return recv_seq_ok(c, get_be64(token + 8)) ? SEC_E_OK : SEC_E_OUT_OF_SEQUENCE;
}

/* ---- Wrap --------------------------------------------------------------- */

static void wrap_header(const struct krb_cfx *c, uint8_t h[16], bool conf, size_t ec, size_t rrc,
                        uint64_t seq)
{
    h[0] = 0x05;
    h[1] = 0x04;
    h[2] = (uint8_t)(send_flags(c) | (conf ? FLAG_SEALED : 0));
    h[3] = 0xFF;
    put_be16(h + 4, ec);
    put_be16(h + 6, rrc);
    put_be64(h + 8, seq);
}

static void confounder(struct krb_cfx *c, uint8_t out[16])
{
    uint64_t ctr = atomic_fetch_add_explicit(&c->conf_ctr, 1, memory_order_relaxed);
    uint8_t blk[16];

    memcpy(blk, &c->conf_nonce, 8);
    memcpy(blk + 8, &ctr, 8);
    crypto_aes_encrypt_block(&c->conf_key, out, blk);
}

/* Seal: checksum and encrypt the segments s[0..n) (confounder, message,
 * filler and header copy) with the keys `k`, MAC into `mac`. */
static void seal_segs(const struct krb_cfx *c, const struct krb_cfx_keys *k, struct krb_seg *s,
                      size_t n, uint8_t *mac)
{
    static const uint8_t zero_iv[16];
    crypto_hmac_ctx h;

    crypto_hmac_begin(&h, &k->seal_i);
    if (c->etm) {
        cts_segs(&k->seal_e, s, n, true);
        crypto_hmac_update(&h, zero_iv, 16);
        mac_segs(&h, s, n);
    } else {
        mac_segs(&h, s, n);
        cts_segs(&k->seal_e, s, n, true);
    }
    crypto_hmac_final(&h, mac, c->mac_len);
}

SECURITY_STATUS krb_cfx_wrap(struct krb_cfx *c, bool conf, struct krb_seg *msg, size_t n,
                             uint8_t *token, size_t cap, size_t *written)
{
    size_t size = krb_cfx_wrap_size(c, conf), ec = wrap_ec(c, conf);
    struct krb_seg s[KRB_CFX_MAX_SEGS];
    size_t ns = 0;
    uint64_t seq;

    if (cap < size)
        return SEC_E_BUFFER_TOO_SMALL;
    if (n + 2 > KRB_CFX_MAX_SEGS)
        return SEC_E_INVALID_PARAMETER;
    seq = next_send_seq(c);
    if (!conf) {
        uint8_t h0[16];
        crypto_hmac_ctx h;

        wrap_header(c, h0, false, 0, 0, seq);
        crypto_hmac_begin(&h, &c->out.seal_c);
        mac_segs(&h, msg, n);
        crypto_hmac_update(&h, h0, KRB_CFX_HEADER);
        crypto_hmac_final(&h, token + KRB_CFX_HEADER, c->mac_len);
        wrap_header(c, token, false, ec, c->mac_len, seq);
    } else {
        /* token: header | filler | header copy | MAC | confounder */
        size_t rot = ec + KRB_CFX_HEADER + c->mac_len;
        uint8_t *filler = token + KRB_CFX_HEADER, *conf_p = token + KRB_CFX_HEADER + rot;

        wrap_header(c, token, true, ec, c->dce ? rot - ec : rot, seq);
        memset(filler, 0, ec);
        wrap_header(c, filler + ec, true, ec, 0, seq);
        confounder(c, conf_p);
        s[ns++] = (struct krb_seg){conf_p, 16, KRB_SEG_ENC | KRB_SEG_SIGN};
        for (size_t i = 0; i < n; i++)
            s[ns++] = msg[i];
        s[ns++] = (struct krb_seg){filler, ec + KRB_CFX_HEADER, KRB_SEG_ENC | KRB_SEG_SIGN};
        seal_segs(c, &c->out, s, ns, filler + ec + KRB_CFX_HEADER);
    }
    *written = size;
    return SEC_E_OK;
}

/* ---- Unwrap ------------------------------------------------------------- */

/* The rotated body: the token after its header, then (split form) the
 * message's ENC segments. */
struct body {
    struct krb_seg st[KRB_CFX_MAX_SEGS];
    size_t nst, len, rot;
};

static uint8_t *body_at(struct body *b, size_t pos)
{
    for (size_t i = 0; i < b->nst; i++) {
        if (pos < b->st[i].len)
            return b->st[i].p + pos;
        pos -= b->st[i].len;
    }
    return NULL; /* not reached: pos < len */
}

static void body_reverse(struct body *b, size_t lo, size_t hi)
{
    while (lo + 1 < hi) {
        uint8_t *x = body_at(b, lo++), *y = body_at(b, --hi), t = *x;
        *x = *y;
        *y = t;
    }
}

/* Move the stored bytes left by k (so that body position i moves from
 * storage (i + rot) to (i + rot - k)). */
static void body_rotate(struct body *b, size_t k)
{
    k %= b->len;
    if (k == 0)
        return;
    body_reverse(b, 0, k);
    body_reverse(b, k, b->len);
    body_reverse(b, 0, b->len);
    b->rot = (b->rot + b->len - k) % b->len;
}

/* Append the storage pieces of body positions [pos, pos+len) to s. */
static bool body_map(struct body *b, size_t pos, size_t len, uint32_t flags, struct krb_seg *s,
                     size_t *ns)
{
    size_t at = (pos + b->rot) % (b->len ? b->len : 1);

    while (len > 0) {
        size_t skip = at, i = 0;

        while (skip >= b->st[i].len)
            skip -= b->st[i++].len;
        size_t take = b->st[i].len - skip;
        if (take > len)
            take = len;
        if (*ns >= KRB_CFX_MAX_SEGS)
            return false;
        s[(*ns)++] = (struct krb_seg){b->st[i].p + skip, take, flags};
        len -= take;
        at = (at + take) % b->len;
    }
    return true;
}

static void gather(const struct krb_seg *s, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        memcpy(out, s[i].p, s[i].len);
        out += s[i].len;
    }
}

struct wrap_hdr {
    bool conf;
    size_t ec, rrc;
    uint64_t seq;
};

static bool parse_wrap_header(const struct krb_cfx *c, const uint8_t *t, size_t len,
                              struct wrap_hdr *h)
{
    if (t == NULL || len < KRB_CFX_HEADER || t[0] != 0x05 || t[1] != 0x04 || t[3] != 0xFF ||
        !peer_flags_ok(c, t[2]))
        return false;
    h->conf = (t[2] & FLAG_SEALED) != 0;
    h->ec = (size_t)t[4] << 8 | t[5];
    h->rrc = (size_t)t[6] << 8 | t[7];
    h->seq = get_be64(t + 8);
    return true;
}

/* Lay the data out where SSPI wants it: split form, at the start of the
 * message's ENC segments; stream form, in one piece.  Data starts at body
 * position `dpos` and is `dlen` long. */
static void place_data(struct body *b, bool stream, size_t first_store, size_t dpos, size_t dlen)
{
    if (!stream) {
        size_t want = first_store; /* storage offset of the first ENC segment */
        size_t have = (dpos + b->rot) % b->len;
        if (have != want)
            body_rotate(b, (have + b->len - want) % b->len);
    } else if ((dpos + b->rot) % b->len + dlen > b->len) {
        body_rotate(b, b->rot);
    }
}

/* The checksum and data segments in caller order for the data at body
 * position dpos (after place_data). */
static bool data_segs(struct body *b, bool stream, struct krb_seg *msg, size_t n, size_t data_index,
                      size_t dpos, size_t dlen, uint32_t enc_flags, struct krb_seg *s, size_t *ns)
{
    size_t left = dlen;

    for (size_t i = 0; i < n; i++) {
        if (!(msg[i].flags & KRB_SEG_ENC)) {
            if (*ns >= KRB_CFX_MAX_SEGS)
                return false;
            s[(*ns)++] = msg[i];
        } else if (stream ? i == data_index : left > 0) {
            if (stream) {
                if (!body_map(b, dpos, dlen, enc_flags, s, ns))
                    return false;
            } else {
                size_t take = msg[i].len < left ? msg[i].len : left;
                if (*ns >= KRB_CFX_MAX_SEGS)
                    return false;
                s[(*ns)++] = (struct krb_seg){msg[i].p, take, enc_flags};
                left -= take;
            }
        }
    }
    return true;
}

/* Report where the plaintext is: split form cuts the ENC segments to what
 * they hold; stream form points msg[data_index] at it. */
static void report_data(struct body *b, bool stream, struct krb_seg *msg, size_t n,
                        size_t data_index, size_t dpos, size_t dlen)
{
    size_t left = dlen;

    if (stream) {
        msg[data_index].p = body_at(b, (dpos + b->rot) % b->len);
        msg[data_index].len = dlen;
        if (dlen == 0)
            msg[data_index].p = b->st[0].p;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (msg[i].flags & KRB_SEG_ENC) {
            size_t take = msg[i].len < left ? msg[i].len : left;
            msg[i].len = take;
            left -= take;
        }
    }
}

SECURITY_STATUS krb_cfx_unwrap(struct krb_cfx *c, uint8_t *token, size_t len, bool stream,
                               struct krb_seg *msg, size_t n, size_t data_index, bool *conf)
{
    struct wrap_hdr h;
    struct body b;
    struct krb_seg s[KRB_CFX_MAX_SEGS];
    size_t ns = 0, dpos, dlen, first_store, room = 0, fixed;
    uint8_t mac[KRB_CFX_MAX_MAC], want[KRB_CFX_MAX_MAC];
    bool good;

    if (!parse_wrap_header(c, token, len, &h))
        return SEC_E_INVALID_TOKEN;
    if (stream && (data_index >= n || !(msg[data_index].flags & KRB_SEG_ENC)))
        return SEC_E_INVALID_TOKEN;
    b.nst = 0;
    b.len = len - KRB_CFX_HEADER;
    b.st[b.nst++] = (struct krb_seg){token + KRB_CFX_HEADER, len - KRB_CFX_HEADER, KRB_SEG_ENC};
    first_store = b.len;
    if (!stream) {
        for (size_t i = 0; i < n; i++) {
            if (!(msg[i].flags & KRB_SEG_ENC) || msg[i].len == 0)
                continue;
            if (b.nst >= KRB_CFX_MAX_SEGS)
                return SEC_E_INVALID_TOKEN;
            b.st[b.nst++] = msg[i];
            b.len += msg[i].len;
            room += msg[i].len;
        }
    }
    /* Fixed parts of the body besides the data. */
    fixed = h.conf ? 16 + h.ec + KRB_CFX_HEADER + c->mac_len : c->mac_len;
    if ((!h.conf && h.ec != c->mac_len) || b.len < fixed || b.len == 0)
        return SEC_E_INVALID_TOKEN;
    dlen = b.len - fixed;
    dpos = h.conf ? 16 : 0;
    if (!stream && dlen > room)
        return SEC_E_INVALID_TOKEN;
    b.rot = (h.rrc + (h.conf && c->dce ? h.ec : 0)) % b.len;
    place_data(&b, stream, first_store, dpos, dlen);

    if (!h.conf) {
        uint8_t h0[16];
        crypto_hmac_ctx hm;

        memcpy(h0, token, KRB_CFX_HEADER);
        memset(h0 + 4, 0, 4);
        if (!data_segs(&b, stream, msg, n, data_index, dpos, dlen, KRB_SEG_SIGN, s, &ns))
            return SEC_E_INVALID_TOKEN;
        crypto_hmac_begin(&hm, &c->in.seal_c);
        mac_segs(&hm, s, ns);
        crypto_hmac_update(&hm, h0, KRB_CFX_HEADER);
        crypto_hmac_final(&hm, want, c->mac_len);
        ns = 0;
        if (!body_map(&b, dlen, c->mac_len, 0, s, &ns))
            return SEC_E_INVALID_TOKEN;
        gather(s, ns, mac);
        good = crypto_memeq(mac, want, c->mac_len);
    } else {
        static const uint8_t zero_iv[16];
        crypto_hmac_ctx hm;
        struct krb_seg ms[4];
        size_t nms = 0, tail_pos = 16 + dlen;
        uint8_t copy[KRB_CFX_HEADER];

        if (!body_map(&b, 0, 16, KRB_SEG_ENC | KRB_SEG_SIGN, s, &ns) ||
            !data_segs(&b, stream, msg, n, data_index, dpos, dlen, KRB_SEG_ENC | KRB_SEG_SIGN, s,
                       &ns))
            return SEC_E_INVALID_TOKEN;
        if (!body_map(&b, tail_pos, h.ec + KRB_CFX_HEADER, KRB_SEG_ENC | KRB_SEG_SIGN, s, &ns) ||
            !body_map(&b, tail_pos + h.ec + KRB_CFX_HEADER, c->mac_len, 0, ms, &nms))
            return SEC_E_INVALID_TOKEN;
        gather(ms, nms, mac);
        crypto_hmac_begin(&hm, &c->in.seal_i);
        if (c->etm) {
            crypto_hmac_update(&hm, zero_iv, 16);
            mac_segs(&hm, s, ns);
            crypto_hmac_final(&hm, want, c->mac_len);
            good = crypto_memeq(mac, want, c->mac_len);
            if (good)
                cts_segs(&c->in.seal_e, s, ns, false);
        } else {
            cts_segs(&c->in.seal_e, s, ns, false);
            mac_segs(&hm, s, ns);
            crypto_hmac_final(&hm, want, c->mac_len);
            good = crypto_memeq(mac, want, c->mac_len);
        }
        /* The encrypted header copy must repeat the header (RRC aside). */
        if (good) {
            struct krb_seg cs[4];
            size_t ncs = 0;

            if (!body_map(&b, tail_pos + h.ec, KRB_CFX_HEADER, 0, cs, &ncs))
                return SEC_E_INVALID_TOKEN;
            gather(cs, ncs, copy);
            if (memcmp(copy, token, 6) != 0 || memcmp(copy + 8, token + 8, 8) != 0)
                good = false;
        }
    }
    crypto_wipe(want, sizeof(want));
    if (!good)
        return SEC_E_MESSAGE_ALTERED;
    if (!recv_seq_ok(c, h.seq))
        return SEC_E_OUT_OF_SEQUENCE;
    report_data(&b, stream, msg, n, data_index, dpos, dlen);
    *conf = h.conf;
    return SEC_E_OK;
}
