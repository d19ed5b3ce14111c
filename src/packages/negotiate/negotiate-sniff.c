/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-sniff.c - what an acceptor's first token is.
 *
 * Windows Negotiate servers take SPNEGO, and also a raw NTLMSSP message or
 * a raw RFC 2743-framed Kerberos AP-REQ from clients that skip SPNEGO
 * (negotiate.md 4.4).  The first bytes decide: "NTLMSSP\0" is NTLM; 60 with
 * the SPNEGO OID is SPNEGO; 60 with any other OID is that mechanism's own
 * initial token, handed to the package whose OID it is.  Only the framing
 * header is read here; the token itself is decoded by whoever receives it.
 */
#include "config.h"

#include <string.h>

#include "packages/negotiate/negotiate-spnego.h"

static const uint8_t ntlmssp_signature[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

enum nego_first nego_sniff(const uint8_t *tok, size_t len, struct nego_view *oid)
{
    uint8_t tag;
    size_t hdr, clen, oid_hdr, oid_len;

    if (oid != NULL) {
        oid->data = NULL;
        oid->len = 0;
    }
    if (len == 0)
        return NEGO_FIRST_EMPTY;
    if (tok == NULL)
        return NEGO_FIRST_INVALID;
    if (len >= sizeof(ntlmssp_signature) &&
        memcmp(tok, ntlmssp_signature, sizeof(ntlmssp_signature)) == 0)
        return NEGO_FIRST_NTLMSSP;
    /* 60 <len> covering the whole token, then an OID TLV inside it. */
    if (!nego_der_header(tok, len, &tag, &hdr, &clen) || tag != 0x60 || hdr + clen != len)
        return NEGO_FIRST_INVALID;
    if (!nego_der_header(tok + hdr, clen, &tag, &oid_hdr, &oid_len) || tag != 0x06)
        return NEGO_FIRST_INVALID;
    struct nego_view mech = {tok + hdr, oid_hdr + oid_len};
    if (!nego_oid_valid(mech))
        return NEGO_FIRST_INVALID;
    if (oid != NULL)
        *oid = mech;
    return nego_oid_equal(mech, nego_oid_spnego) ? NEGO_FIRST_SPNEGO : NEGO_FIRST_FRAMED;
}
