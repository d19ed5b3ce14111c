/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-spnego-ref.h - the reference SPNEGO codec on libtasn1
 * (negotiate-spnego-ref.c), built only for the tests and fuzz targets.
 * Same contracts as the nego_decode_* / nego_encode_* functions of
 * negotiate-spnego.h, which must agree with these on every input.
 */
#ifndef LIBSSPI_NEGOTIATE_SPNEGO_REF_H
#define LIBSSPI_NEGOTIATE_SPNEGO_REF_H

#include "packages/negotiate/negotiate-spnego.h"

/* Loads the ASN.1 definitions (once, thread-safe): SEC_E_OK or
 * SEC_E_INTERNAL_ERROR. */
SECURITY_STATUS nego_ref_asn1_init(void);

SECURITY_STATUS nego_ref_decode_initial(const uint8_t *der, size_t len, struct nego_token *out);
SECURITY_STATUS nego_ref_decode_next(const uint8_t *der, size_t len, struct nego_token *out);
SECURITY_STATUS nego_ref_encode_init(const struct nego_init_spec *spec, struct nego_out *out,
                                     struct nego_view *mech_types);
SECURITY_STATUS nego_ref_encode_resp(int neg_state, struct nego_view supported_mech,
                                     struct nego_view response_token, struct nego_view mic,
                                     struct nego_out *out);

/* Two decodings of one buffer: the same kind, state and views (the same
 * addresses and lengths). */
bool nego_ref_same_token(const struct nego_token *a, const struct nego_token *b);

#endif
