/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-ntlm-authenticate.c - fuzz target: an AUTHENTICATE_MESSAGE through
 * the decoder and the acceptor's second leg (SpAcceptLsaModeContext after
 * a CHALLENGE): user lookup in a user file, NTLMv2 blob and AV_PAIR
 * parsing, NTLMv1 paths (enabled), key exchange and MIC checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ntlm-test.h"

int ntlm_fuzz_authenticate(const uint8_t *data, size_t size);

static char path[] = "/tmp/ntlm-fuzz-users-XXXXXX";

static void remove_users(void)
{
    unlink(path);
}

static void fuzz_auth_init(void)
{
    SECPKG_LIBSSPI_SETTING s[2] = {{"allow_ntlmv1", "yes"}, {"user_file", path}};
    SECPKG_LIBSSPI_CONFIG cfg = {2, s, NULL};
    int fd = mkstemp(path);
    FILE *f;

    if (fd < 0 || !(f = fdopen(fd, "w")))
        abort();
    fputs("DOMAIN:User:Password\n:anyone:x\n", f);
    fclose(f);
    atexit(remove_users);
    nt_test_tables();
    ntlm_options_set(&cfg);
}

/* One input; always returns 0. */
int ntlm_fuzz_authenticate(const uint8_t *data, size_t size)
{
    static LSA_SEC_HANDLE sc;
    static struct ntlm_buf neg;
    struct ntlm_authenticate a;
    struct nt_test_tok out;
    LSA_SEC_HANDLE s = 0;

    if (!sc) {
        fuzz_auth_init();
        sc = nt_test_cred(NULL, NULL, NULL);
        if (!sc || !ntlm_msg_encode_negotiate(0xE2088297u, &ntlm_our_version, &neg))
            abort();
    }
    ntlm_msg_decode_authenticate(data, size, &a);
    if (nt_test_asc(sc, &s, neg.data, neg.len, 0, &out) != SEC_I_CONTINUE_NEEDED)
        abort();
    nt_test_asc(sc, &s, data, size, ASC_REQ_ALLOW_NULL_SESSION, &out);
    nt_test_delete(s);
    return 0;
}

#ifndef NTLM_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ntlm_fuzz_authenticate(data, size);
}
#endif
