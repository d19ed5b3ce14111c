/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-sign-core.c - the NTLMSSP_MESSAGE_SIGNATURE algorithms of MS-NLMP
 * 3.4.4 (with and without extended session security), independent of SSPI
 * buffers.  No allocation, no locking: callers own the RC4 state.
 */
#include <string.h>

#include "packages/ntlm/ntlm.h"

/* See ntlm.h. */
void ntlm_sign_raw(uint32_t flags, const crypto_hmac_md5_key *signkey, uint32_t seq,
                   const struct ntlm_iov *iov, size_t niov, uint8_t raw[8])
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        crypto_hmac_md5_ctx c;
        uint8_t s[4], mac[16];

        pkg_put_le32(s, seq);
        crypto_hmac_md5_begin(&c, signkey);
        crypto_hmac_md5_update(&c, s, 4);
        for (size_t i = 0; i < niov; i++)
            crypto_hmac_md5_update(&c, iov[i].data, iov[i].len);
        crypto_hmac_md5_final(&c, mac);
        memcpy(raw, mac, 8);
    } else {
        uint32_t crc = 0;

        for (size_t i = 0; i < niov; i++)
            crc = crypto_crc32(crc, iov[i].data, iov[i].len);
        pkg_put_le32(raw, crc);
        memset(raw + 4, 0, 4);
    }
}

/* See ntlm.h. */
void ntlm_sign_finish(uint32_t flags, crypto_rc4 *rc4, uint32_t seq, const uint8_t raw[8],
                      uint8_t sig[16])
{
    pkg_put_le32(sig, 1);
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        if (flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
            crypto_rc4_crypt(rc4, 8, sig + 4, raw);
        else
            memcpy(sig + 4, raw, 8);
        pkg_put_le32(sig + 12, seq);
    } else {
        uint8_t buf[12] = {0};
        uint8_t s[4];

        pkg_put_le32(s, seq);
        memcpy(buf + 4, raw, 4);
        crypto_rc4_crypt(rc4, 12, buf, buf);
        memset(sig + 4, 0, 4); /* RandomPad is sent as zero */
        memcpy(sig + 8, buf + 4, 4);
        for (int i = 0; i < 4; i++)
            sig[12 + i] = buf[8 + i] ^ s[i];
    }
}

/* See ntlm.h. */
void ntlm_sign_compute(uint32_t flags, const crypto_hmac_md5_key *signkey, crypto_rc4 *rc4,
                       uint32_t seq, const struct ntlm_iov *iov, size_t niov, uint8_t sig[16])
{
    uint8_t raw[8];

    ntlm_sign_raw(flags, signkey, seq, iov, niov, raw);
    ntlm_sign_finish(flags, rc4, seq, raw, sig);
}

/* See ntlm.h. */
void ntlm_datagram_rc4(uint32_t flags, const struct ntlm_dir_keys *k, uint32_t seq, crypto_rc4 *rc4)
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        crypto_md5_ctx c;
        uint8_t s[4], key[16];

        pkg_put_le32(s, seq);
        crypto_md5_init(&c);
        crypto_md5_update(&c, k->sealkey, k->sealkey_len);
        crypto_md5_update(&c, s, 4);
        crypto_md5_final(&c, key);
        crypto_rc4_set_key(rc4, key, 16);
        crypto_wipe(key, sizeof(key));
    } else {
        *rc4 = k->rc4_keyed;
    }
}
