/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-spnego.c - SPNEGO tokens (RFC 4178 section 4.2, MS-SPNG 2.2.1):
 * a small DER codec for the four token shapes, checked against libtasn1.
 *
 * Why not libtasn1 at run time: it builds a node tree per token (tens of
 * allocations, string paths per field) and costs 5 to 18 microseconds a
 * token, which made a Negotiate handshake over NTLM 3.8 times slower than
 * NTLM alone (doc/negotiate.md has the figures).  The grammar is four
 * fixed SEQUENCEs, so the codec here is a tag-by-tag walk.  The ASN.1
 * module (negotiate-spnego.asn) and libtasn1 stay as the reference
 * (negotiate-spnego-ref.c): the unit tests decode every known token with
 * both, and the libFuzzer target requires, for every input, the same
 * verdict and the same fields from both decoders and the same bytes from
 * both encoders.
 *
 * Decoding is one walk that checks strict DER and the syntax together:
 * every header strict (nego_der_header: one-octet tags, minimal definite
 * lengths inside the parent), each SEQUENCE's fields as context tags in
 * strictly increasing order, each explicit tag holding exactly one TLV of
 * the type the syntax names (so constructed and primitive forms are held
 * to DER's by the tag octet), nothing else, no trailing bytes; the
 * primitives the syntax has are checked as nego_der_check checks them
 * (OIDs, the negState ENUMERATED, the reqFlags BIT STRING; OCTET STRING
 * and GeneralString contents are free).  The syntax bounds the nesting.
 * So a token passes exactly when nego_der_check and the syntax both pass
 * it, which is what the reference (nego_der_check, then libtasn1) asks,
 * and the fuzz target holds the two to the same verdicts; walking once
 * instead of twice halves the decoding time.  A NegTokenInit's
 * [3] is mechListMIC in the RFC layout and negHints in the NegTokenInit2
 * layout ([4] being its MIC); the RFC layout is tried first, so [3]
 * holding an OCTET STRING is a MIC and [3] holding a SEQUENCE is negHints.
 * Fields come back as views into the caller's buffer, so the MechTypeList
 * is the exact bytes the peer sent.
 *
 * Encoding writes the one DER form directly (lengths computed first),
 * into a new buffer or, through the _size/_write pairs, wherever the
 * caller wants it (the package writes straight into its output token).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate-spnego.h"

static const uint8_t oid_spnego[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
static const uint8_t oid_krb5[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                   0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_krb5_ms[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x82,
                                      0xf7, 0x12, 0x01, 0x02, 0x02};
static const uint8_t oid_ntlm[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                   0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

const struct nego_view nego_oid_spnego = {oid_spnego, sizeof(oid_spnego)};
const struct nego_view nego_oid_krb5 = {oid_krb5, sizeof(oid_krb5)};
const struct nego_view nego_oid_krb5_ms = {oid_krb5_ms, sizeof(oid_krb5_ms)};
const struct nego_view nego_oid_ntlm = {oid_ntlm, sizeof(oid_ntlm)};

#define TAG_INIT           0xa0u
#define TAG_RESP           0xa1u
#define TAG_FRAMING        0x60u
#define TAG_SEQUENCE       0x30u
#define TAG_BIT_STRING     0x03u
#define TAG_OCTET_STRING   0x04u
#define TAG_OID            0x06u
#define TAG_ENUMERATED     0x0au
#define TAG_GENERAL_STRING 0x1bu
#define TAG_CONTEXT(n)     (0xa0u + (n))

/* Most fields a SPNEGO SEQUENCE has (NegTokenInit2: [0]..[4]). */
#define MAX_FIELDS 5

void nego_out_free(struct nego_out *out)
{
    if (out == NULL)
        return;
    free(out->data);
    out->data = NULL;
    out->len = 0;
}

/* ---- decoding ---------------------------------------------------------------- */

/* A TLV: its tag, the whole encoding and its contents. */
struct tlv {
    uint8_t tag;
    struct nego_view whole, content;
};

/* Reads the TLV at v[*at..]; strict headers only (nego_der_header). */
static bool read_tlv(struct nego_view v, size_t *at, struct tlv *t)
{
    size_t hdr, clen;

    if (*at >= v.len || !nego_der_header(v.data + *at, v.len - *at, &t->tag, &hdr, &clen))
        return false;
    t->whole = (struct nego_view){v.data + *at, hdr + clen};
    /* An empty field is present, not absent: its view points at its end. */
    t->content = (struct nego_view){v.data + *at + hdr, clen};
    *at += hdr + clen;
    return true;
}

/* v is exactly one TLV with tag `tag`; *t receives it. */
static bool one_tlv(struct nego_view v, uint8_t tag, struct tlv *t)
{
    size_t at = 0;

    return read_tlv(v, &at, t) && at == v.len && t->tag == tag;
}

/*
 * The fields of a SEQUENCE's contents: context tags [0]..[max-1] in
 * strictly increasing order, each holding one TLV (its type not checked
 * here).  f[n].whole.data == NULL for an absent field.
 */
static bool read_fields(struct nego_view seq, unsigned max, struct tlv f[MAX_FIELDS])
{
    size_t at = 0;
    int last = -1;

    memset(f, 0, MAX_FIELDS * sizeof(*f));
    while (at < seq.len) {
        struct tlv ctx;
        if (!read_tlv(seq, &at, &ctx))
            return false;
        unsigned n = (unsigned)ctx.tag - TAG_CONTEXT(0);
        if (ctx.tag < TAG_CONTEXT(0) || n >= max || (int)n <= last)
            return false;
        size_t in = 0;
        if (!read_tlv(ctx.content, &in, &f[n]) || in != ctx.content.len)
            return false;
        last = (int)n;
    }
    return true;
}

static bool present(const struct tlv *f)
{
    return f->whole.data != NULL;
}

/* Absent, or present with tag `tag`. */
static bool absent_or(const struct tlv *f, uint8_t tag)
{
    return !present(f) || f->tag == tag;
}

static struct nego_view content_or_absent(const struct tlv *f)
{
    return present(f) ? f->content : (struct nego_view){NULL, 0};
}

static void token_clear(struct nego_token *t)
{
    memset(t, 0, sizeof(*t));
    t->neg_state = NEGO_STATE_ABSENT;
}

/* MechTypeList: a SEQUENCE OF OBJECT IDENTIFIER. */
static bool read_mechs(const struct tlv *list, struct nego_token *t)
{
    size_t at = 0;

    t->mech_types = list->whole;
    t->mech_count = 0;
    while (at < list->content.len) {
        struct tlv oid;
        if (t->mech_count == NEGO_MAX_MECHS || !read_tlv(list->content, &at, &oid) ||
            oid.tag != TAG_OID || !nego_oid_valid(oid.whole))
            return false;
        t->mechs[t->mech_count++] = oid.whole;
    }
    return true;
}

/* NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL,
 *                         hintAddress [1] OCTET STRING OPTIONAL } */
static bool read_hints(const struct tlv *hints, struct nego_token *t)
{
    struct tlv h[MAX_FIELDS];

    if (!read_fields(hints->content, 2, h) || !absent_or(&h[0], TAG_GENERAL_STRING) ||
        !absent_or(&h[1], TAG_OCTET_STRING))
        return false;
    t->hint_name = content_or_absent(&h[0]);
    return true;
}

/* The SEQUENCE of a NegTokenInit, in the RFC layout or else NegTokenInit2's. */
static bool read_init(const struct tlv *seq, struct nego_token *t)
{
    struct tlv f[MAX_FIELDS];

    if (!read_fields(seq->content, 5, f) || !absent_or(&f[1], TAG_BIT_STRING) ||
        !absent_or(&f[2], TAG_OCTET_STRING))
        return false;
    bool rfc = present(&f[0]) && f[0].tag == TAG_SEQUENCE && absent_or(&f[3], TAG_OCTET_STRING) &&
               !present(&f[4]);
    if (rfc) {
        t->kind = NEGO_INIT;
        t->mic = content_or_absent(&f[3]);
    } else {
        if (!absent_or(&f[0], TAG_SEQUENCE) || !absent_or(&f[3], TAG_SEQUENCE) ||
            !absent_or(&f[4], TAG_OCTET_STRING))
            return false;
        t->kind = NEGO_INIT2;
        t->mic = content_or_absent(&f[4]);
        if (present(&f[3]) && !read_hints(&f[3], t))
            return false;
    }
    if (present(&f[0]) && !read_mechs(&f[0], t))
        return false;
    if (present(&f[1]) && !nego_der_primitive_valid(f[1].tag, f[1].content.data, f[1].content.len))
        return false;
    t->req_flags = present(&f[1]) ? f[1].whole : (struct nego_view){NULL, 0};
    t->mech_token = content_or_absent(&f[2]);
    return true;
}

/* The SEQUENCE of a NegTokenResp. */
static bool read_resp(const struct tlv *seq, struct nego_token *t)
{
    struct tlv f[MAX_FIELDS];

    if (!read_fields(seq->content, 4, f) || !absent_or(&f[0], TAG_ENUMERATED) ||
        !absent_or(&f[1], TAG_OID) || !absent_or(&f[2], TAG_OCTET_STRING) ||
        !absent_or(&f[3], TAG_OCTET_STRING))
        return false;
    t->kind = NEGO_RESP;
    if (present(&f[0])) {
        /* One octet holds the four values, minimally. */
        if (f[0].content.len != 1 || f[0].content.data[0] > NEGO_REQUEST_MIC)
            return false;
        t->neg_state = f[0].content.data[0];
    }
    if (present(&f[1])) {
        if (!nego_oid_valid(f[1].whole))
            return false;
        t->supported_mech = f[1].whole;
    }
    t->response_token = content_or_absent(&f[2]);
    t->mic = content_or_absent(&f[3]);
    return true;
}

/* A NegotiationToken choice: [0] NegTokenInit(2) or [1] NegTokenResp. */
static bool read_choice(struct nego_view v, struct nego_token *t)
{
    struct tlv choice, seq;
    size_t at = 0;

    if (!read_tlv(v, &at, &choice) || at != v.len || !one_tlv(choice.content, TAG_SEQUENCE, &seq))
        return false;
    if (choice.tag == TAG_INIT)
        return read_init(&seq, t);
    if (choice.tag == TAG_RESP)
        return read_resp(&seq, t);
    return false;
}

static SECURITY_STATUS decode_token(const uint8_t *der, size_t len, bool framed,
                                    struct nego_token *out)
{
    struct nego_view v = {der, len};
    bool ok;

    token_clear(out);
    if (der == NULL || len == 0 || len > NEGO_CODEC_MAX)
        return SEC_E_INVALID_TOKEN;
    if (framed) {
        /* [APPLICATION 0] IMPLICIT SEQUENCE { thisMech, innerToken } */
        struct tlv app, mech;
        size_t at = 0;
        ok = one_tlv(v, TAG_FRAMING, &app) && read_tlv(app.content, &at, &mech) &&
             nego_oid_equal(mech.whole, nego_oid_spnego) &&
             read_choice((struct nego_view){app.content.data + at, app.content.len - at}, out);
    } else {
        ok = read_choice(v, out);
    }
    if (!ok) {
        token_clear(out);
        return SEC_E_INVALID_TOKEN;
    }
    return SEC_E_OK;
}

SECURITY_STATUS nego_decode_initial(const uint8_t *der, size_t len, struct nego_token *out)
{
    SECURITY_STATUS st;

    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (der == NULL || len == 0 || der[0] != TAG_FRAMING) {
        token_clear(out);
        return SEC_E_INVALID_TOKEN;
    }
    st = decode_token(der, len, true, out);
    if (st == SEC_E_OK && out->kind == NEGO_RESP) {
        token_clear(out);
        st = SEC_E_INVALID_TOKEN;
    }
    return st;
}

SECURITY_STATUS nego_decode_next(const uint8_t *der, size_t len, struct nego_token *out)
{
    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (der == NULL || len == 0 || der[0] != TAG_RESP) {
        token_clear(out);
        return SEC_E_INVALID_TOKEN;
    }
    return decode_token(der, len, false, out);
}

/* ---- encoding ---------------------------------------------------------------- */

/* Octets of a DER length. */
static size_t len_size(size_t n)
{
    return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

/* A whole TLV with n content octets. */
static size_t tlv_size(size_t n)
{
    return 1 + len_size(n) + n;
}

/* An explicit tag around a TLV with n content octets. */
static size_t tagged_size(size_t n)
{
    return tlv_size(tlv_size(n));
}

static uint8_t *put_header(uint8_t *p, uint8_t tag, size_t n)
{
    size_t k = len_size(n) - 1;

    *p++ = tag;
    if (k == 0) {
        *p++ = (uint8_t)n;
        return p;
    }
    *p++ = (uint8_t)(0x80u | k);
    for (size_t i = k; i > 0; i--)
        *p++ = (uint8_t)(n >> (8 * (i - 1)));
    return p;
}

/* v may overlap the destination (a token moved forward in place). */
static uint8_t *put_bytes(uint8_t *p, struct nego_view v)
{
    if (v.len > 0 && v.data != p)
        memmove(p, v.data, v.len);
    return p + v.len;
}

/* [tag] { inner_tag contents } */
static uint8_t *put_tagged(uint8_t *p, uint8_t tag, uint8_t inner_tag, struct nego_view v)
{
    p = put_header(p, tag, tlv_size(v.len));
    p = put_header(p, inner_tag, v.len);
    return put_bytes(p, v);
}

/* An OID TLV we are willing to send: well formed, short-form length. */
static bool oid_sendable(struct nego_view oid)
{
    return nego_oid_valid(oid) && oid.data[1] < 0x80;
}

static SECURITY_STATUS alloc_out(struct nego_out *out, size_t len)
{
    if (len > NEGO_CODEC_MAX)
        return SEC_E_INVALID_PARAMETER;
    out->data = malloc(len);
    if (out->data == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    out->len = len;
    return SEC_E_OK;
}

/* The sizes of a NegTokenInit's parts; false for a bad spec. */
struct init_layout {
    struct nego_view hint;
    size_t oids, list, fields, seq, choice, total;
};

/* `check`: refuse a bad spec (else it is known to be good). */
static bool init_layout(const struct nego_init_spec *spec, struct init_layout *l, bool check)
{
    memset(l, 0, sizeof(*l));
    if (check && (spec == NULL || spec->mechs == NULL || spec->mech_count == 0 ||
                  spec->mech_count > NEGO_MAX_MECHS || spec->mech_token.len > NEGO_CODEC_MAX ||
                  spec->mic.len > NEGO_CODEC_MAX))
        return false;
    for (uint32_t i = 0; i < spec->mech_count; i++) {
        if (check && !oid_sendable(spec->mechs[i]))
            return false;
        l->oids += spec->mechs[i].len;
    }
    if (spec->hint_name != NULL)
        l->hint = (struct nego_view){(const uint8_t *)spec->hint_name, strlen(spec->hint_name)};

    /* [0] mechTypes, [2] mechToken, then [3] mechListMIC (RFC layout) or
     * [3] negHints { [0] hintName } and [4] mechListMIC (NegTokenInit2). */
    l->list = tlv_size(l->oids);
    l->fields = tlv_size(l->list);
    if (spec->mech_token.data != NULL)
        l->fields += tagged_size(spec->mech_token.len);
    if (l->hint.data != NULL)
        l->fields += tagged_size(tagged_size(l->hint.len));
    if (spec->mic.data != NULL)
        l->fields += tagged_size(spec->mic.len);
    l->seq = tlv_size(l->fields);
    l->choice = tlv_size(l->seq);
    l->total = tlv_size(nego_oid_spnego.len + l->choice);
    return l->total <= NEGO_CODEC_MAX;
}

size_t nego_init_size(const struct nego_init_spec *spec)
{
    struct init_layout l;

    return init_layout(spec, &l, true) ? l.total : 0;
}

size_t nego_init_prefix_max(size_t oid_bytes)
{
    /* 60 ~ spnego-OID a0 ~ 30 ~ a0 ~ 30 ~ OIDs a2 ~ 04 ~, each ~ a length of
     * at most 4 octets (contents below NEGO_CODEC_MAX) */
    return 7 * 5 + nego_oid_spnego.len + oid_bytes;
}

void nego_init_write(const struct nego_init_spec *spec, uint8_t *dst, struct nego_view *mech_types)
{
    struct init_layout l;

    (void)init_layout(spec, &l, false);
    uint8_t *p = put_header(dst, TAG_FRAMING, nego_oid_spnego.len + l.choice);
    p = put_bytes(p, nego_oid_spnego);
    p = put_header(p, TAG_INIT, l.seq);
    p = put_header(p, TAG_SEQUENCE, l.fields);
    p = put_header(p, TAG_CONTEXT(0), l.list);
    uint8_t *list_at = p;
    p = put_header(p, TAG_SEQUENCE, l.oids);
    for (uint32_t i = 0; i < spec->mech_count; i++)
        p = put_bytes(p, spec->mechs[i]);
    if (spec->mech_token.data != NULL)
        p = put_tagged(p, TAG_CONTEXT(2), TAG_OCTET_STRING, spec->mech_token);
    if (l.hint.data != NULL) {
        p = put_header(p, TAG_CONTEXT(3), tlv_size(tagged_size(l.hint.len)));
        p = put_header(p, TAG_SEQUENCE, tagged_size(l.hint.len));
        p = put_tagged(p, TAG_CONTEXT(0), TAG_GENERAL_STRING, l.hint);
    }
    if (spec->mic.data != NULL)
        p = put_tagged(p, TAG_CONTEXT(l.hint.data != NULL ? 4 : 3), TAG_OCTET_STRING, spec->mic);
    if (mech_types != NULL)
        *mech_types = (struct nego_view){list_at, l.list};
}

SECURITY_STATUS nego_encode_init(const struct nego_init_spec *spec, struct nego_out *out,
                                 struct nego_view *mech_types)
{
    SECURITY_STATUS st;

    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    out->data = NULL;
    out->len = 0;
    size_t total = nego_init_size(spec);
    if (total == 0)
        return SEC_E_INVALID_PARAMETER;
    st = alloc_out(out, total);
    if (st == SEC_E_OK)
        nego_init_write(spec, out->data, mech_types);
    return st;
}

/* The contents length of a NegTokenResp's SEQUENCE; false for a bad spec
 * when `check` (else it is known to be good). */
static bool resp_fields(const struct nego_resp_spec *r, size_t *fields, bool check)
{
    size_t n = 0;

    if (check &&
        (r == NULL || r->neg_state < NEGO_STATE_ABSENT || r->neg_state > NEGO_REQUEST_MIC ||
         (r->supported_mech.data != NULL && !oid_sendable(r->supported_mech)) ||
         r->response_token.len > NEGO_CODEC_MAX || r->mic.len > NEGO_CODEC_MAX))
        return false;
    if (r->neg_state != NEGO_STATE_ABSENT)
        n += tagged_size(1);
    if (r->supported_mech.data != NULL)
        n += tlv_size(r->supported_mech.len);
    if (r->response_token.data != NULL)
        n += tagged_size(r->response_token.len);
    if (r->mic.data != NULL)
        n += tagged_size(r->mic.len);
    *fields = n;
    return tlv_size(tlv_size(n)) <= NEGO_CODEC_MAX;
}

size_t nego_resp_size(const struct nego_resp_spec *r)
{
    size_t fields;

    return resp_fields(r, &fields, true) ? tlv_size(tlv_size(fields)) : 0;
}

size_t nego_resp_prefix_max(int neg_state, struct nego_view supported_mech)
{
    /* a1 ~ 30 ~ [a0 03 0a 01 s] [a1 ~ OID] a2 ~ 04 ~, each ~ at most 4 octets */
    return 4 * 5 + (neg_state != NEGO_STATE_ABSENT ? 5 : 0) +
           (supported_mech.data != NULL ? 5 + supported_mech.len : 0);
}

void nego_resp_write(const struct nego_resp_spec *r, uint8_t *dst)
{
    size_t fields;

    (void)resp_fields(r, &fields, false);
    uint8_t *p = put_header(dst, TAG_RESP, tlv_size(fields));
    p = put_header(p, TAG_SEQUENCE, fields);
    if (r->neg_state != NEGO_STATE_ABSENT) {
        uint8_t state = (uint8_t)r->neg_state;
        p = put_tagged(p, TAG_CONTEXT(0), TAG_ENUMERATED, (struct nego_view){&state, 1});
    }
    if (r->supported_mech.data != NULL) {
        p = put_header(p, TAG_CONTEXT(1), r->supported_mech.len);
        p = put_bytes(p, r->supported_mech);
    }
    if (r->response_token.data != NULL)
        p = put_tagged(p, TAG_CONTEXT(2), TAG_OCTET_STRING, r->response_token);
    if (r->mic.data != NULL)
        (void)put_tagged(p, TAG_CONTEXT(3), TAG_OCTET_STRING, r->mic);
}

SECURITY_STATUS nego_encode_resp(int neg_state, struct nego_view supported_mech,
                                 struct nego_view response_token, struct nego_view mic,
                                 struct nego_out *out)
{
    struct nego_resp_spec r = {neg_state, supported_mech, response_token, mic};
    SECURITY_STATUS st;

    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    out->data = NULL;
    out->len = 0;
    size_t total = nego_resp_size(&r);
    if (total == 0)
        return SEC_E_INVALID_PARAMETER;
    st = alloc_out(out, total);
    if (st == SEC_E_OK)
        nego_resp_write(&r, out->data);
    return st;
}
