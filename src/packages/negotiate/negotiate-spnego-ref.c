/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-spnego-ref.c - the reference SPNEGO codec on libtasn1, for the
 * tests and the fuzz targets only: the package's own codec
 * (negotiate-spnego.c) must agree with it on every token, byte for byte
 * when encoding and field for field (or in refusing) when decoding.
 *
 * Decoding: the input must first pass nego_der_check (strict DER, see
 * negotiate-der.c); libtasn1 then checks it against the SPNEGO syntax of
 * negotiate-spnego.asn with ASN1_DECODE_FLAG_STRICT_DER and without
 * ASN1_DECODE_FLAG_ALLOW_PADDING, so trailing bytes, unknown, repeated or
 * misplaced fields are refused.  The fields are then returned as views into
 * the caller's buffer, located with asn1_der_decoding_startEnd, so the
 * MechTypeList is the exact bytes the peer sent.
 *
 * A NegTokenInit's [3] is mechListMIC in the RFC layout and negHints in the
 * MS-SPNG NegTokenInit2 layout; the RFC layout is tried first, then the
 * other, so [3] holding an OCTET STRING is a MIC and [3] holding a SEQUENCE
 * is negHints.
 *
 * Encoding goes through libtasn1 as well (canonical DER by construction).
 *
 * The functions carry the names of negotiate-spnego.h with a "nego_ref_"
 * prefix (negotiate-spnego-ref.h).
 */
#include "config.h"

#include <libtasn1.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate-spnego-ref.h"

extern const asn1_static_node nego_asn1_tab[];

#define TAG_INIT           0xa0u
#define TAG_RESP           0xa1u
#define TAG_FRAMING        0x60u
#define TAG_SEQUENCE       0x30u
#define TAG_ENUMERATED     0x0au
#define TAG_OCTET_STRING   0x04u
#define TAG_GENERAL_STRING 0x1bu

/* Longest dotted OID text we produce: far more than any real mechanism. */
#define OID_TEXT_MAX 128

static asn1_node nego_defs;
static pthread_once_t nego_defs_once = PTHREAD_ONCE_INIT;
static int nego_defs_status = ASN1_GENERIC_ERROR;

static void load_defs(void)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

    nego_defs_status = asn1_array2tree(nego_asn1_tab, &nego_defs, err);
}

SECURITY_STATUS nego_ref_asn1_init(void)
{
    pthread_once(&nego_defs_once, load_defs);
    return nego_defs_status == ASN1_SUCCESS ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
}

/* ---- decoding ---------------------------------------------------------------- */

struct decoder {
    asn1_node el;
    const uint8_t *der;
    int len;
    const char *prefix; /* path of the NegotiationToken choice */
};

/* Decodes der as `type`, consuming all of it.  ASN1_SUCCESS or an error. */
static int decode_as(struct decoder *d, const char *type)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    int used = d->len;
    int rc = asn1_create_element(nego_defs, type, &d->el);

    if (rc != ASN1_SUCCESS)
        return rc;
    rc = asn1_der_decoding2(&d->el, d->der, &used, ASN1_DECODE_FLAG_STRICT_DER, err);
    if (rc == ASN1_SUCCESS && used != d->len)
        rc = ASN1_DER_ERROR;
    if (rc != ASN1_SUCCESS)
        asn1_delete_structure(&d->el);
    return rc;
}

enum field_state { FIELD_ABSENT, FIELD_PRESENT, FIELD_BAD };

/*
 * The contents of a field `name` (relative to d->prefix) that carries an
 * explicit context tag: *inner is the one TLV inside the tag.
 */
static enum field_state field(const struct decoder *d, const char *name, struct nego_view *inner)
{
    char path[96];
    int start, end;
    uint8_t tag;
    size_t hdr, clen, ihdr, iclen;

    snprintf(path, sizeof(path), "%s%s", d->prefix, name);
    int rc = asn1_der_decoding_startEnd(d->el, d->der, d->len, path, &start, &end);
    if (rc == ASN1_ELEMENT_NOT_FOUND)
        return FIELD_ABSENT;
    if (rc != ASN1_SUCCESS || start < 0 || end < start || end >= d->len)
        return FIELD_BAD;
    const uint8_t *p = d->der + start;
    size_t n = (size_t)(end - start) + 1;
    /* The range covers the explicit tag, whose contents are one TLV. */
    if (!nego_der_header(p, n, &tag, &hdr, &clen) || hdr + clen != n ||
        !nego_der_header(p + hdr, clen, &tag, &ihdr, &iclen) || ihdr + iclen != clen)
        return FIELD_BAD;
    inner->data = p + hdr;
    inner->len = clen;
    return FIELD_PRESENT;
}

/* The contents of an OCTET STRING (or GeneralString) TLV. */
static struct nego_view contents_of(struct nego_view tlv, uint8_t want)
{
    struct nego_view v = {NULL, 0};
    uint8_t tag;
    size_t hdr, clen;

    if (nego_der_header(tlv.data, tlv.len, &tag, &hdr, &clen) && tag == want &&
        hdr + clen == tlv.len) {
        /* An empty string is present, not absent: point at its end. */
        v.data = tlv.data + hdr;
        v.len = clen;
    }
    return v;
}

static SECURITY_STATUS read_octets(const struct decoder *d, const char *name, uint8_t tag,
                                   struct nego_view *out)
{
    struct nego_view tlv;

    out->data = NULL;
    out->len = 0;
    switch (field(d, name, &tlv)) {
    case FIELD_ABSENT:
        return SEC_E_OK;
    case FIELD_BAD:
        return SEC_E_INVALID_TOKEN;
    default:
        break;
    }
    *out = contents_of(tlv, tag);
    return out->data != NULL ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

/* Splits the MechTypeList TLV into its OID TLVs. */
static SECURITY_STATUS read_mechs(struct nego_token *t)
{
    uint8_t tag;
    size_t hdr, clen, at;

    if (!nego_der_header(t->mech_types.data, t->mech_types.len, &tag, &hdr, &clen) ||
        tag != TAG_SEQUENCE || hdr + clen != t->mech_types.len)
        return SEC_E_INVALID_TOKEN;
    t->mech_count = 0;
    for (at = hdr; at < t->mech_types.len;) {
        size_t h, n;
        if (t->mech_count == NEGO_MAX_MECHS ||
            !nego_der_header(t->mech_types.data + at, t->mech_types.len - at, &tag, &h, &n))
            return SEC_E_INVALID_TOKEN;
        struct nego_view oid = {t->mech_types.data + at, h + n};
        if (!nego_oid_valid(oid))
            return SEC_E_INVALID_TOKEN;
        t->mechs[t->mech_count++] = oid;
        at += h + n;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS read_init(const struct decoder *d, struct nego_token *t, bool init2)
{
    SECURITY_STATUS st;

    t->kind = init2 ? NEGO_INIT2 : NEGO_INIT;
    switch (field(d, "negTokenInit.mechTypes", &t->mech_types)) {
    case FIELD_PRESENT:
        st = read_mechs(t);
        if (st != SEC_E_OK)
            return st;
        break;
    case FIELD_ABSENT:
        if (!init2)
            return SEC_E_INVALID_TOKEN;
        break;
    default:
        return SEC_E_INVALID_TOKEN;
    }
    if (field(d, "negTokenInit.reqFlags", &t->req_flags) == FIELD_BAD)
        return SEC_E_INVALID_TOKEN;
    st = read_octets(d, "negTokenInit.mechToken", TAG_OCTET_STRING, &t->mech_token);
    if (st == SEC_E_OK)
        st = read_octets(d, "negTokenInit.mechListMIC", TAG_OCTET_STRING, &t->mic);
    if (st == SEC_E_OK && init2)
        st = read_octets(d, "negTokenInit.negHints.hintName", TAG_GENERAL_STRING, &t->hint_name);
    return st;
}

static SECURITY_STATUS read_resp(const struct decoder *d, struct nego_token *t)
{
    struct nego_view v;
    SECURITY_STATUS st;

    t->kind = NEGO_RESP;
    enum field_state fs = field(d, "negTokenResp.negState", &v);
    if (fs == FIELD_BAD)
        return SEC_E_INVALID_TOKEN;
    if (fs == FIELD_PRESENT) {
        /* DER-minimal already; the four defined values fit in one octet. */
        if (v.len != 3 || v.data[0] != TAG_ENUMERATED || v.data[1] != 1 ||
            v.data[2] > NEGO_REQUEST_MIC)
            return SEC_E_INVALID_TOKEN;
        t->neg_state = v.data[2];
    }
    fs = field(d, "negTokenResp.supportedMech", &v);
    if (fs == FIELD_BAD)
        return SEC_E_INVALID_TOKEN;
    if (fs == FIELD_PRESENT) {
        if (!nego_oid_valid(v))
            return SEC_E_INVALID_TOKEN;
        t->supported_mech = v;
    }
    st = read_octets(d, "negTokenResp.responseToken", TAG_OCTET_STRING, &t->response_token);
    if (st == SEC_E_OK)
        st = read_octets(d, "negTokenResp.mechListMIC", TAG_OCTET_STRING, &t->mic);
    return st;
}

static void token_clear(struct nego_token *t)
{
    memset(t, 0, sizeof(*t));
    t->neg_state = NEGO_STATE_ABSENT;
}

/*
 * Decodes a NegotiationToken at inner (a0/a1 ...) that sits at offset
 * `base` of der; framed selects the InitialContextToken types.
 */
static SECURITY_STATUS decode_token(const uint8_t *der, size_t len, bool framed,
                                    struct nego_token *out)
{
    struct decoder d = {NULL, der, (int)len, framed ? "innerToken." : ""};
    SECURITY_STATUS st;
    bool init2 = false;

    token_clear(out);
    if (der == NULL || len == 0 || len > NEGO_CODEC_MAX)
        return SEC_E_INVALID_TOKEN;
    st = nego_ref_asn1_init();
    if (st != SEC_E_OK)
        return st;
    if (!nego_der_check(der, len))
        return SEC_E_INVALID_TOKEN;
    int rc = decode_as(&d, framed ? "SPNEGO.InitialContextToken" : "SPNEGO.NegotiationToken");
    if (rc != ASN1_SUCCESS && rc != ASN1_MEM_ALLOC_ERROR) {
        init2 = true;
        rc = decode_as(&d, framed ? "SPNEGO.InitialContextToken2" : "SPNEGO.NegotiationToken2");
    }
    if (rc == ASN1_MEM_ALLOC_ERROR)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (rc != ASN1_SUCCESS)
        return SEC_E_INVALID_TOKEN;

    /* Which alternative: the tag right after the framing, if any. */
    size_t at = 0;
    if (framed) {
        uint8_t tag;
        size_t hdr, clen;
        /* 60 len, then the thisMech OID TLV (validated by libtasn1). */
        if (!nego_der_header(der, len, &tag, &hdr, &clen) ||
            !nego_der_header(der + hdr, len - hdr, &tag, &at, &clen))
            st = SEC_E_INVALID_TOKEN;
        else if (!nego_oid_equal((struct nego_view){der + hdr, at + clen}, nego_oid_spnego))
            st = SEC_E_INVALID_TOKEN;
        at += hdr + clen;
    }
    if (st == SEC_E_OK)
        st = der[at] == TAG_INIT ? read_init(&d, out, init2) : read_resp(&d, out);
    asn1_delete_structure(&d.el);
    if (st != SEC_E_OK)
        token_clear(out);
    return st;
}

SECURITY_STATUS nego_ref_decode_initial(const uint8_t *der, size_t len, struct nego_token *out)
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

SECURITY_STATUS nego_ref_decode_next(const uint8_t *der, size_t len, struct nego_token *out)
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

/* Dotted text of an OID TLV, as libtasn1 writes OIDs. */
static bool oid_text(struct nego_view oid, char *text, size_t size)
{
    int used = 0;

    if (!nego_oid_valid(oid) || oid.len < 2 || oid.data[1] >= 0x80)
        return false;
    if (asn1_get_object_id_der(oid.data + 1, (int)oid.len - 1, &used, text, (int)size) !=
        ASN1_SUCCESS)
        return false;
    return used == (int)oid.len - 1;
}

static int write_octets(asn1_node el, const char *path, struct nego_view v)
{
    if (v.data == NULL)
        return asn1_write_value(el, path, NULL, 0);
    /* libtasn1 takes a NULL value as "remove": give an empty string a
     * valid pointer. */
    return asn1_write_value(el, path, v.len ? (const void *)v.data : "", (int)v.len);
}

static SECURITY_STATUS finish(asn1_node *el, int rc, struct nego_out *out)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    int len = 0;

    if (rc == ASN1_SUCCESS) {
        rc = asn1_der_coding(*el, "", NULL, &len, err);
        if (rc == ASN1_MEM_ERROR && len > 0) {
            out->data = malloc((size_t)len);
            rc = out->data == NULL ? ASN1_MEM_ALLOC_ERROR
                                   : asn1_der_coding(*el, "", out->data, &len, err);
        }
    }
    asn1_delete_structure(el);
    if (rc != ASN1_SUCCESS) {
        nego_out_free(out);
        return rc == ASN1_MEM_ALLOC_ERROR ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    }
    out->len = (size_t)len;
    return SEC_E_OK;
}

static int write_init_fields(asn1_node el, const struct nego_init_spec *spec)
{
    static const char base[] = "innerToken.negTokenInit.";
    char path[96], text[OID_TEXT_MAX];
    int rc = ASN1_SUCCESS;

    for (uint32_t i = 0; i < spec->mech_count && rc == ASN1_SUCCESS; i++) {
        if (!oid_text(spec->mechs[i], text, sizeof(text)))
            return ASN1_VALUE_NOT_VALID;
        snprintf(path, sizeof(path), "%smechTypes", base);
        rc = asn1_write_value(el, path, "NEW", 1);
        snprintf(path, sizeof(path), "%smechTypes.?LAST", base);
        if (rc == ASN1_SUCCESS)
            rc = asn1_write_value(el, path, text, 0);
    }
    snprintf(path, sizeof(path), "%sreqFlags", base);
    if (rc == ASN1_SUCCESS)
        rc = asn1_write_value(el, path, NULL, 0);
    snprintf(path, sizeof(path), "%smechToken", base);
    if (rc == ASN1_SUCCESS)
        rc = write_octets(el, path, spec->mech_token);
    snprintf(path, sizeof(path), "%smechListMIC", base);
    if (rc == ASN1_SUCCESS)
        rc = write_octets(el, path, spec->mic);
    if (spec->hint_name != NULL && rc == ASN1_SUCCESS) {
        snprintf(path, sizeof(path), "%snegHints.hintName", base);
        rc = asn1_write_value(el, path, spec->hint_name, (int)strlen(spec->hint_name));
        snprintf(path, sizeof(path), "%snegHints.hintAddress", base);
        if (rc == ASN1_SUCCESS)
            rc = asn1_write_value(el, path, NULL, 0);
    }
    return rc;
}

SECURITY_STATUS nego_ref_encode_init(const struct nego_init_spec *spec, struct nego_out *out,
                                     struct nego_view *mech_types)
{
    asn1_node el = NULL;
    char text[OID_TEXT_MAX];
    SECURITY_STATUS st;
    int rc;

    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    out->data = NULL;
    out->len = 0;
    if (spec == NULL || spec->mechs == NULL || spec->mech_count == 0 ||
        spec->mech_count > NEGO_MAX_MECHS || !oid_text(nego_oid_spnego, text, sizeof(text)))
        return SEC_E_INVALID_PARAMETER;
    st = nego_ref_asn1_init();
    if (st != SEC_E_OK)
        return st;
    rc = asn1_create_element(
        nego_defs, spec->hint_name ? "SPNEGO.InitialContextToken2" : "SPNEGO.InitialContextToken",
        &el);
    if (rc == ASN1_SUCCESS)
        rc = asn1_write_value(el, "thisMech", text, 0);
    if (rc == ASN1_SUCCESS)
        rc = asn1_write_value(el, "innerToken", "negTokenInit", 1);
    if (rc == ASN1_SUCCESS)
        rc = write_init_fields(el, spec);
    if (rc == ASN1_VALUE_NOT_VALID) {
        asn1_delete_structure(&el);
        return SEC_E_INVALID_PARAMETER;
    }
    st = finish(&el, rc, out);
    if (st == SEC_E_OK && mech_types != NULL) {
        /* Locate the MechTypeList in what is actually sent. */
        struct nego_token t;
        st = nego_ref_decode_initial(out->data, out->len, &t);
        if (st != SEC_E_OK) {
            nego_out_free(out);
            return SEC_E_INTERNAL_ERROR;
        }
        *mech_types = t.mech_types;
    }
    return st;
}

static const char *const state_names[] = {
    "accept-completed",
    "accept-incomplete",
    "reject",
    "request-mic",
};

SECURITY_STATUS nego_ref_encode_resp(int neg_state, struct nego_view supported_mech,
                                     struct nego_view response_token, struct nego_view mic,
                                     struct nego_out *out)
{
    asn1_node el = NULL;
    char text[OID_TEXT_MAX];
    SECURITY_STATUS st;
    int rc;

    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    out->data = NULL;
    out->len = 0;
    if (neg_state < NEGO_STATE_ABSENT || neg_state > NEGO_REQUEST_MIC ||
        (supported_mech.data != NULL && !oid_text(supported_mech, text, sizeof(text))))
        return SEC_E_INVALID_PARAMETER;
    st = nego_ref_asn1_init();
    if (st != SEC_E_OK)
        return st;
    rc = asn1_create_element(nego_defs, "SPNEGO.NegotiationToken", &el);
    if (rc == ASN1_SUCCESS)
        rc = asn1_write_value(el, "", "negTokenResp", 1);
    if (rc == ASN1_SUCCESS)
        rc = neg_state == NEGO_STATE_ABSENT
                 ? asn1_write_value(el, "negTokenResp.negState", NULL, 0)
                 : asn1_write_value(el, "negTokenResp.negState", state_names[neg_state], 0);
    if (rc == ASN1_SUCCESS)
        rc = supported_mech.data == NULL
                 ? asn1_write_value(el, "negTokenResp.supportedMech", NULL, 0)
                 : asn1_write_value(el, "negTokenResp.supportedMech", text, 0);
    if (rc == ASN1_SUCCESS)
        rc = write_octets(el, "negTokenResp.responseToken", response_token);
    if (rc == ASN1_SUCCESS)
        rc = write_octets(el, "negTokenResp.mechListMIC", mic);
    return finish(&el, rc, out);
}

/* ---- comparison ---------------------------------------------------------------- */

static bool same_view(struct nego_view a, struct nego_view b)
{
    return a.data == b.data && a.len == b.len;
}

bool nego_ref_same_token(const struct nego_token *a, const struct nego_token *b)
{
    if (a->kind != b->kind || a->mech_count != b->mech_count || a->neg_state != b->neg_state)
        return false;
    for (uint32_t i = 0; i < a->mech_count; i++)
        if (!same_view(a->mechs[i], b->mechs[i]))
            return false;
    return same_view(a->mech_types, b->mech_types) && same_view(a->req_flags, b->req_flags) &&
           same_view(a->mech_token, b->mech_token) && same_view(a->hint_name, b->hint_name) &&
           same_view(a->supported_mech, b->supported_mech) &&
           same_view(a->response_token, b->response_token) && same_view(a->mic, b->mic);
}
