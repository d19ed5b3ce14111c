/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-ntlm-negotiate.c - fuzz target: a NEGOTIATE_MESSAGE through the
 * decoder and the acceptor's first leg (SpAcceptLsaModeContext), which
 * answers with a CHALLENGE or SEC_E_INVALID_TOKEN.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ntlm-test.h"

int ntlm_fuzz_negotiate(const uint8_t *data, size_t size);

/* One input; always returns 0 (libFuzzer convention). */
int ntlm_fuzz_negotiate(const uint8_t *data, size_t size)
{
    static LSA_SEC_HANDLE sc;
    struct ntlm_negotiate m;
    struct nt_test_tok out;
    LSA_SEC_HANDLE s = 0;

    if (!sc) {
        nt_test_tables();
        sc = nt_test_cred(NULL, NULL, NULL);
    }
    if (ntlm_msg_decode_negotiate(data, size, &m) && m.domain.len)
        (void)m.domain.data[m.domain.len - 1];
    if (nt_test_asc(sc, &s, data, size, 0, &out) == SEC_I_CONTINUE_NEEDED) {
        struct ntlm_challenge c;
        if (!ntlm_msg_decode_challenge(out.data, out.len, &c))
            abort();
        nt_test_delete(s);
    }
    return 0;
}

#ifndef NTLM_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ntlm_fuzz_negotiate(data, size);
}
#endif
