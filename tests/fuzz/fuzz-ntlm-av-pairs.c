/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-ntlm-av-pairs.c - fuzz target: AV_PAIR lists (ntlm_avpairs_parse),
 * NTLMv2 blobs and SEC_CHANNEL_BINDINGS blocks, the variable-length
 * structures nested inside NTLM messages.
 */
#include <stdint.h>
#include <stdlib.h>

#include "packages/ntlm/ntlm.h"

int ntlm_fuzz_av_pairs(const uint8_t *data, size_t size);

/* One input; always returns 0. */
int ntlm_fuzz_av_pairs(const uint8_t *data, size_t size)
{
    struct ntlm_avpairs av;
    uint8_t h[16];
    unsigned sum = 0;

    if (ntlm_avpairs_parse(data, size, &av)) {
        if (av.total_len > size)
            abort();
        for (int i = 0; i < NTLM_AV_MAX; i++)
            if (av.present[i] && av.v[i].len)
                sum += av.v[i].data[0] + av.v[i].data[av.v[i].len - 1];
    }
    /* As the tail of an NTLMv2 blob. */
    if (size >= 28)
        ntlm_avpairs_parse(data + 28, size - 28, &av);
    ntlm_cbt_hash(data, size, h);
    return (int)(sum & 0);
}

#ifndef NTLM_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ntlm_fuzz_av_pairs(data, size);
}
#endif
