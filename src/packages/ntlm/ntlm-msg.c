/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-msg.c - encoder and defensive decoder of the three NTLM messages
 * (MS-NLMP 2.2.1) and of AV_PAIR lists (2.2.2.1).
 *
 * Decoders never read outside the message they are given: every field
 * descriptor is checked against the message length with 64-bit arithmetic
 * before a view into the message is returned.  Views point into the
 * caller's message and live as long as it does.
 */
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm.h"

#define NTLM_MAX_MESSAGE 65536u

static const uint8_t ntlm_sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

static bool check_header(const uint8_t *msg, size_t len, size_t minlen, uint32_t type)
{
    if (!msg || len < minlen || len > NTLM_MAX_MESSAGE)
        return false;
    return memcmp(msg, ntlm_sig, 8) == 0 && pkg_get_le32(msg + 8) == type;
}

/* Read a field descriptor at `at`; a non-empty field must lie inside the
 * message and not start inside the fixed header `hdr`.  Updates *minoff with
 * the lowest payload offset seen. */
static bool get_field(const uint8_t *msg, size_t len, size_t at, size_t hdr, struct ntlm_view *out,
                      size_t *minoff)
{
    uint16_t flen = pkg_get_le16(msg + at);
    uint32_t off = pkg_get_le32(msg + at + 4);

    out->data = NULL;
    out->len = 0;
    if (flen == 0)
        return true;
    if ((uint64_t)off + flen > len || off < hdr)
        return false;
    out->data = msg + off;
    out->len = flen;
    if (off < *minoff)
        *minoff = off;
    return true;
}

static void get_version(const uint8_t *p, struct ntlm_version *v)
{
    v->major = p[0];
    v->minor = p[1];
    v->build = pkg_get_le16(p + 2);
    v->revision = p[7];
}

/* See ntlm.h. */
bool ntlm_msg_decode_negotiate(const uint8_t *msg, size_t len, struct ntlm_negotiate *out)
{
    size_t minoff = len;

    memset(out, 0, sizeof(*out));
    if (!check_header(msg, len, 16, 1))
        return false;
    out->flags = pkg_get_le32(msg + 12);
    if (len < 32)
        return true; /* old short form: flags only */
    if ((out->flags & NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED) &&
        !get_field(msg, len, 16, 32, &out->domain, &minoff))
        return false;
    if ((out->flags & NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED) &&
        !get_field(msg, len, 24, 32, &out->workstation, &minoff))
        return false;
    if ((out->flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 40 && minoff >= 40) {
        out->has_version = true;
        get_version(msg + 32, &out->version);
    }
    return true;
}

/* See ntlm.h. */
bool ntlm_msg_decode_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out)
{
    size_t minoff = len;

    memset(out, 0, sizeof(*out));
    if (!check_header(msg, len, 48, 2))
        return false;
    out->flags = pkg_get_le32(msg + 20);
    memcpy(out->server_chal, msg + 24, 8);
    if (!get_field(msg, len, 12, 48, &out->target_name, &minoff))
        return false;
    if (!get_field(msg, len, 40, 48, &out->target_info, &minoff))
        return false;
    if ((out->flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 56 && minoff >= 56) {
        out->has_version = true;
        get_version(msg + 48, &out->version);
    }
    return true;
}

/* See ntlm.h. */
bool ntlm_msg_decode_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out)
{
    size_t minoff = len;
    static const size_t at[6] = {12, 20, 28, 36, 44, 52};
    struct ntlm_view *f[6];

    memset(out, 0, sizeof(*out));
    f[0] = &out->lm;
    f[1] = &out->nt;
    f[2] = &out->domain;
    f[3] = &out->user;
    f[4] = &out->workstation;
    f[5] = &out->enc_key;
    if (!check_header(msg, len, 64, 3))
        return false;
    out->flags = pkg_get_le32(msg + 60);
    for (int i = 0; i < 6; i++)
        if (!get_field(msg, len, at[i], 64, f[i], &minoff))
            return false;
    if ((out->flags & NTLMSSP_NEGOTIATE_VERSION) && minoff >= 72) {
        out->has_version = true;
        get_version(msg + 64, &out->version);
    }
    if (minoff >= NTLM_AUTH_HEADER_SIZE) {
        out->has_mic_field = true;
        out->mic = msg + NTLM_MIC_OFFSET;
    }
    return true;
}

static void put_field(uint8_t *msg, size_t at, size_t *payload, const struct ntlm_view *v)
{
    size_t n = v && v->data ? v->len : 0;

    pkg_put_le16(msg + at, (uint16_t)n);
    pkg_put_le16(msg + at + 2, (uint16_t)n);
    pkg_put_le32(msg + at + 4, (uint32_t)*payload);
    if (n)
        memcpy(msg + *payload, v->data, n);
    *payload += n;
}

static size_t vlen(const struct ntlm_view *v)
{
    return v && v->data ? v->len : 0;
}

static void put_version(uint8_t *p, const struct ntlm_version *v)
{
    memset(p, 0, 8);
    if (!v)
        return;
    p[0] = v->major;
    p[1] = v->minor;
    pkg_put_le16(p + 2, v->build);
    p[7] = v->revision;
}

static bool alloc_msg(struct ntlm_buf *out, size_t len, uint32_t type)
{
    out->data = calloc(1, len);
    out->len = len;
    if (!out->data)
        return false;
    memcpy(out->data, ntlm_sig, 8);
    pkg_put_le32(out->data + 8, type);
    return true;
}

/* See ntlm.h. */
bool ntlm_msg_encode_negotiate(uint32_t flags, const struct ntlm_version *ver, struct ntlm_buf *out)
{
    if (!alloc_msg(out, 40, 1))
        return false;
    pkg_put_le32(out->data + 12, flags);
    pkg_put_le32(out->data + 20, 40);
    pkg_put_le32(out->data + 28, 40);
    if (flags & NTLMSSP_NEGOTIATE_VERSION)
        put_version(out->data + 32, ver);
    return true;
}

/* See ntlm.h. */
bool ntlm_msg_encode_challenge(uint32_t flags, const uint8_t server_chal[8],
                               const struct ntlm_view *target_name,
                               const struct ntlm_view *target_info, const struct ntlm_version *ver,
                               struct ntlm_buf *out)
{
    size_t payload = 56;

    if (vlen(target_name) > 0xffff || vlen(target_info) > 0xffff)
        return false;
    if (!alloc_msg(out, 56 + vlen(target_name) + vlen(target_info), 2))
        return false;
    put_field(out->data, 12, &payload, target_name);
    pkg_put_le32(out->data + 20, flags);
    memcpy(out->data + 24, server_chal, 8);
    put_field(out->data, 40, &payload, target_info);
    if (!vlen(target_info))
        pkg_put_le32(out->data + 44, 0);
    if (flags & NTLMSSP_NEGOTIATE_VERSION)
        put_version(out->data + 48, ver);
    return true;
}

/* See ntlm.h. */
bool ntlm_msg_encode_authenticate(uint32_t flags, const struct ntlm_view *lm,
                                  const struct ntlm_view *nt, const struct ntlm_view *domain,
                                  const struct ntlm_view *user, const struct ntlm_view *workstation,
                                  const struct ntlm_view *enc_key, const struct ntlm_version *ver,
                                  bool with_mic, struct ntlm_buf *out)
{
    size_t hdr = with_mic ? NTLM_AUTH_HEADER_SIZE : 72;
    size_t payload = hdr;
    const struct ntlm_view *all[6] = {lm, nt, domain, user, workstation, enc_key};
    size_t total = hdr;

    for (int i = 0; i < 6; i++) {
        if (vlen(all[i]) > 0xffff)
            return false;
        total += vlen(all[i]);
    }
    if (!alloc_msg(out, total, 3))
        return false;
    /* Payload order as Windows sends it: domain, user, workstation, LM, NT, key. */
    put_field(out->data, 28, &payload, domain);
    put_field(out->data, 36, &payload, user);
    put_field(out->data, 44, &payload, workstation);
    put_field(out->data, 12, &payload, lm);
    put_field(out->data, 20, &payload, nt);
    put_field(out->data, 52, &payload, enc_key);
    pkg_put_le32(out->data + 60, flags);
    if (flags & NTLMSSP_NEGOTIATE_VERSION)
        put_version(out->data + 64, ver);
    return true;
}

/* See ntlm.h. */
bool ntlm_avpairs_parse(const uint8_t *av, size_t len, struct ntlm_avpairs *out)
{
    size_t pos = 0;

    memset(out, 0, sizeof(*out));
    if (!av)
        return false;
    while (len - pos >= 4) {
        uint16_t id = pkg_get_le16(av + pos);
        uint16_t n = pkg_get_le16(av + pos + 2);

        pos += 4;
        if (n > len - pos)
            return false;
        if (id == MsvAvEOL) {
            if (n != 0)
                return false;
            out->total_len = pos;
            return true;
        }
        if ((id == MsvAvFlags && n != 4) || (id == MsvAvTimestamp && n != 8) ||
            (id == MsvAvChannelBindings && n != 16))
            return false;
        if (id < NTLM_AV_MAX && !out->present[id]) {
            out->present[id] = true;
            out->v[id].data = av + pos;
            out->v[id].len = n;
        }
        pos += n;
    }
    return false;
}

/* See ntlm.h. */
void ntlm_av_add(struct ntlm_avbuilder *b, uint16_t id, const void *value, size_t len)
{
    if (b->failed)
        return;
    if (len > 0xffff || b->len + 4 + len > 0xffff) {
        b->failed = true;
        return;
    }
    if (b->len + 4 + len > b->cap) {
        size_t cap = (b->len + 4 + len) * 2 + 64;
        uint8_t *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    pkg_put_le16(b->data + b->len, id);
    pkg_put_le16(b->data + b->len + 2, (uint16_t)len);
    if (len)
        memcpy(b->data + b->len + 4, value, len);
    b->len += 4 + len;
}

/* See ntlm.h. */
bool ntlm_av_finish(struct ntlm_avbuilder *b)
{
    ntlm_av_add(b, MsvAvEOL, NULL, 0);
    return !b->failed;
}

/* See ntlm.h. */
void ntlm_av_free(struct ntlm_avbuilder *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

/* See ntlm.h. */
bool ntlm_oem_to_utf16le(const uint8_t *s, size_t len, struct ntlm_buf *out)
{
    out->data = malloc(len * 2 + 2);
    out->len = len * 2;
    if (!out->data)
        return false;
    for (size_t i = 0; i < len; i++) {
        out->data[2 * i] = s[i];
        out->data[2 * i + 1] = 0;
    }
    return true;
}
