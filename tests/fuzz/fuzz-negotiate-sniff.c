/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-negotiate-sniff.c - fuzz target: the acceptor's first-token
 * classification.  The result is one of the defined kinds, agrees with the
 * decoder (a token the decoder takes as a first token is SPNEGO) and any
 * OID it returns lies inside the input and is well formed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "packages/negotiate/negotiate-spnego.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nego_view oid;
    struct nego_token t;
    enum nego_first kind = nego_sniff(data, size, &oid);

    switch (kind) {
    case NEGO_FIRST_EMPTY:
        if (size != 0)
            abort();
        break;
    case NEGO_FIRST_SPNEGO:
    case NEGO_FIRST_FRAMED:
        if (oid.data < data || oid.data + oid.len > data + size || !nego_oid_valid(oid))
            abort();
        if ((kind == NEGO_FIRST_SPNEGO) != nego_oid_equal(oid, nego_oid_spnego))
            abort();
        break;
    case NEGO_FIRST_NTLMSSP:
    case NEGO_FIRST_INVALID:
        if (oid.data != NULL)
            abort();
        break;
    default:
        abort();
    }
    if (nego_decode_initial(data, size, &t) == SEC_E_OK && kind != NEGO_FIRST_SPNEGO)
        abort();
    return 0;
}
