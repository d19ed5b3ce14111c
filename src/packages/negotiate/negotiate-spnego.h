/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-spnego.h - the SPNEGO token codec of the Negotiate package
 * (RFC 4178, MS-SPNG 2.2.1) and the acceptor's first-token sniffing.
 *
 *   negotiate-der.c      strict DER well-formedness (definite minimal
 *                        lengths, canonical primitives, bounded nesting)
 *   negotiate-spnego.c   NegTokenInit / NegTokenInit2 / NegTokenResp
 *                        decoding and encoding (a small DER codec held to
 *                        libtasn1's by the tests: negotiate-spnego-ref.c)
 *   negotiate-sniff.c    what a first token is: SPNEGO, raw NTLMSSP, or a
 *                        raw RFC 2743-framed token of another mechanism
 *
 * Nothing here knows about contexts or packages; it is built into
 * libnegotiate-internal.la so tests and fuzz targets reach it directly.
 * Decoded tokens are views into the caller's buffer: no copies, no
 * ownership, valid as long as that buffer is.
 */
#ifndef LIBSSPI_NEGOTIATE_SPNEGO_H
#define LIBSSPI_NEGOTIATE_SPNEGO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"

/* A borrowed byte string; data == NULL means absent (len 0). */
struct nego_view {
    const uint8_t *data;
    size_t len;
};

/* An owned byte string from the encoders; release with nego_out_free. */
struct nego_out {
    uint8_t *data;
    size_t len;
};

/* OIDs as DER TLVs (06 len value), the form tokens and the host services
 * carry them in. */
extern const struct nego_view nego_oid_spnego;  /* 1.3.6.1.5.5.2 */
extern const struct nego_view nego_oid_krb5;    /* 1.2.840.113554.1.2.2 */
extern const struct nego_view nego_oid_krb5_ms; /* 1.2.840.48018.1.2.2 */
extern const struct nego_view nego_oid_ntlm;    /* 1.3.6.1.4.1.311.2.2.10 */

/* Deepest TLV nesting accepted (the SPNEGO syntax needs 7). */
#define NEGO_DER_MAX_DEPTH 8
/* Most mechanism OIDs one MechTypeList may carry. */
#define NEGO_MAX_MECHS 32
/* Largest token the codec takes or makes (three-octet DER lengths). */
#define NEGO_CODEC_MAX (1u << 24)

enum nego_kind {
    NEGO_INIT = 1, /* NegTokenInit (RFC 4178 layout) */
    NEGO_INIT2,    /* NegTokenInit2 (MS-SPNG layout: [3] negHints, [4] MIC) */
    NEGO_RESP      /* NegTokenResp */
};

/* negState values; NEGO_STATE_ABSENT when the field is missing. */
enum nego_state {
    NEGO_STATE_ABSENT = -1,
    NEGO_ACCEPT_COMPLETED = 0,
    NEGO_ACCEPT_INCOMPLETE = 1,
    NEGO_REJECT = 2,
    NEGO_REQUEST_MIC = 3
};

/* A decoded token.  Every view points into the decoded buffer. */
struct nego_token {
    enum nego_kind kind;
    /* NegTokenInit / NegTokenInit2 */
    struct nego_view mech_types; /* the MechTypeList TLV (30 ..) exactly as
                                  * sent: the mechListMIC input */
    uint32_t mech_count;
    struct nego_view mechs[NEGO_MAX_MECHS]; /* each OID TLV, in order */
    struct nego_view req_flags;             /* the BIT STRING TLV; ignored on receipt */
    struct nego_view mech_token;
    struct nego_view hint_name; /* NegTokenInit2 negHints.hintName */
    /* NegTokenResp */
    int neg_state;                   /* enum nego_state */
    struct nego_view supported_mech; /* OID TLV */
    struct nego_view response_token;
    /* both */
    struct nego_view mic;
};

/* ---- negotiate-der.c ------------------------------------------------------ */

/*
 * True when der[0..len) is exactly one TLV, and every TLV inside it is
 * strict DER: one-byte tags, definite lengths in their shortest form,
 * contents inside their parent, no more than NEGO_DER_MAX_DEPTH levels,
 * universal types in the form DER prescribes (SEQUENCE constructed; OID,
 * INTEGER, ENUMERATED, BOOLEAN, NULL, BIT STRING, OCTET STRING and the
 * string types primitive) with canonical contents (minimal integers,
 * terminated OID sub-identifiers without leading 0x80, BIT STRING unused
 * bits 0..7 and zero).  Never reads outside der[0..len).
 */
bool nego_der_check(const uint8_t *der, size_t len);

/*
 * Reads the tag and length at der[0..avail): *tag the identifier octet,
 * *hdr the tag+length size, *clen the content length.  False unless the
 * header is strict DER and the contents fit in avail.
 */
bool nego_der_header(const uint8_t *der, size_t avail, uint8_t *tag, size_t *hdr, size_t *clen);

/*
 * The contents check nego_der_check applies to a primitive TLV: for the
 * universal types, the form DER prescribes (minimal INTEGER/ENUMERATED,
 * valid OID, BIT STRING unused bits, BOOLEAN 00/ff, empty NULL; false for
 * a SEQUENCE or SET tag, which must be constructed); other types and
 * classes pass.  p[0..n) are the contents.
 */
bool nego_der_primitive_valid(uint8_t tag, const uint8_t *p, size_t n);

/* True when oid is one well-formed OID TLV (06 len value). */
bool nego_oid_valid(struct nego_view oid);

/* True when two OID TLVs are the same bytes. */
bool nego_oid_equal(struct nego_view a, struct nego_view b);

/* ---- negotiate-spnego.c --------------------------------------------------- */

/*
 * Decodes the first token of an exchange: the RFC 2743 framing
 * (60 len 06 06 2b 06 01 05 05 02 ...) around a NegTokenInit or
 * NegTokenInit2.  Status: SEC_E_OK; SEC_E_INVALID_TOKEN for anything else
 * (not strict DER, trailing bytes, another mechanism's OID, a NegTokenResp,
 * more than NEGO_MAX_MECHS mechanisms, an unknown or repeated field, a
 * negState outside 0..3).
 */
SECURITY_STATUS nego_decode_initial(const uint8_t *der, size_t len, struct nego_token *out);

/*
 * Decodes a later token: an unframed NegTokenResp (a1 ...).  Statuses as
 * nego_decode_initial; a NegTokenInit here is SEC_E_INVALID_TOKEN.
 */
SECURITY_STATUS nego_decode_next(const uint8_t *der, size_t len, struct nego_token *out);

/* What nego_encode_init writes. */
struct nego_init_spec {
    const struct nego_view *mechs; /* OID TLVs, mech_count of them (>= 1,
                                    * <= NEGO_MAX_MECHS) */
    uint32_t mech_count;
    struct nego_view mech_token; /* optional */
    struct nego_view mic;        /* optional */
    const char *hint_name;       /* non-NULL: NegTokenInit2 with negHints */
};

/*
 * Encodes a framed NegTokenInit (NegTokenInit2 when spec->hint_name is set)
 * into out (malloc'ed, caller frees with nego_out_free).  *mech_types
 * (optional) receives the view of the MechTypeList inside out->data, the
 * bytes a later mechListMIC covers.  Status: SEC_E_OK,
 * SEC_E_INVALID_PARAMETER for a bad spec (no mechanism, more than
 * NEGO_MAX_MECHS, a malformed OID, a result over NEGO_CODEC_MAX),
 * SEC_E_INSUFFICIENT_MEMORY.
 */
SECURITY_STATUS nego_encode_init(const struct nego_init_spec *spec, struct nego_out *out,
                                 struct nego_view *mech_types);

/*
 * The same in two steps, for a caller that writes the token straight into
 * its destination: nego_init_size is the length of the encoding, 0 for a
 * spec nego_encode_init refuses with SEC_E_INVALID_PARAMETER;
 * nego_init_write, for a spec nego_init_size accepted, writes exactly
 * that many bytes at dst and sets *mech_types (optional) as
 * nego_encode_init does.  The mech token may already lie in dst at or
 * after the offset it is written to (it is moved there), which is at most
 * nego_init_prefix_max(the total length of the OID TLVs listed); no other
 * field may overlap dst.
 */
size_t nego_init_size(const struct nego_init_spec *spec);
void nego_init_write(const struct nego_init_spec *spec, uint8_t *dst, struct nego_view *mech_types);
size_t nego_init_prefix_max(size_t oid_bytes);

/* What nego_encode_resp writes: neg_state may be NEGO_STATE_ABSENT; every
 * view may be absent. */
struct nego_resp_spec {
    int neg_state;
    struct nego_view supported_mech, response_token, mic;
};

/*
 * Encodes an unframed NegTokenResp into out (malloc'ed).  Statuses as
 * nego_encode_init.
 */
SECURITY_STATUS nego_encode_resp(int neg_state, struct nego_view supported_mech,
                                 struct nego_view response_token, struct nego_view mic,
                                 struct nego_out *out);

/* nego_encode_resp in two steps, as nego_init_size / nego_init_write
 * (the response token may lie in dst as the mech token there; it goes at
 * most nego_resp_prefix_max(neg_state, supported_mech) bytes in). */
size_t nego_resp_size(const struct nego_resp_spec *r);
void nego_resp_write(const struct nego_resp_spec *r, uint8_t *dst);
size_t nego_resp_prefix_max(int neg_state, struct nego_view supported_mech);

/* Frees what an encoder returned; NULL-safe, leaves *out empty. */
void nego_out_free(struct nego_out *out);

/* ---- negotiate-sniff.c ---------------------------------------------------- */

enum nego_first {
    NEGO_FIRST_EMPTY = 1, /* no bytes: the acceptor speaks first */
    NEGO_FIRST_SPNEGO,    /* framed with the SPNEGO OID */
    NEGO_FIRST_NTLMSSP,   /* a raw NTLMSSP message ("NTLMSSP\0") */
    NEGO_FIRST_FRAMED,    /* framed with another OID (raw Kerberos AP-REQ,
                           * or any mechanism's own initial token) */
    NEGO_FIRST_INVALID    /* none of these */
};

/*
 * Classifies an acceptor's first input token by its first bytes, without
 * decoding it.  For NEGO_FIRST_FRAMED and NEGO_FIRST_SPNEGO *oid (optional)
 * is the OID TLV of the framing.  A framed token must span exactly len
 * bytes under one strict-DER header.  Never reads outside tok[0..len).
 */
enum nego_first nego_sniff(const uint8_t *tok, size_t len, struct nego_view *oid);

#endif /* LIBSSPI_NEGOTIATE_SPNEGO_H */
