/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-ntlm-challenge.c - fuzz target: a CHALLENGE_MESSAGE through the
 * decoder, its target information AV_PAIR list, and the initiator's second
 * leg (SpInitLsaModeContext), which answers with an AUTHENTICATE or an
 * error status.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ntlm-test.h"

int ntlm_fuzz_challenge(const uint8_t *data, size_t size);

/* One input; always returns 0. */
int ntlm_fuzz_challenge(const uint8_t *data, size_t size)
{
    static LSA_SEC_HANDLE cc;
    struct ntlm_challenge c;
    struct ntlm_avpairs av;
    struct nt_test_tok out;
    LSA_SEC_HANDLE ctx = 0;

    if (!cc) {
        nt_test_tables();
        cc = nt_test_cred("User", "DOMAIN", "Password");
        if (!cc)
            abort();
    }
    if (ntlm_msg_decode_challenge(data, size, &c) && c.target_info.len)
        ntlm_avpairs_parse(c.target_info.data, c.target_info.len, &av);
    if (nt_test_isc(cc, &ctx, NULL, 0, 0, &out) != SEC_I_CONTINUE_NEEDED)
        abort();
    if (nt_test_isc(cc, &ctx, data, size, 0, &out) == SEC_E_OK) {
        struct ntlm_authenticate a;
        if (!ntlm_msg_decode_authenticate(out.data, out.len, &a))
            abort();
    }
    nt_test_delete(ctx);
    return 0;
}

#ifndef NTLM_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ntlm_fuzz_challenge(data, size);
}
#endif
