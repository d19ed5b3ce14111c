/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-cfx.h - RFC 4121 per-message tokens (MIC and Wrap, "CFX") for the
 * AES enctypes of RFC 3962 and RFC 8009, done with crypto.h on keys derived
 * once from the context key.  No GSSAPI types here: the package hands this
 * engine the key, enctype and sequence numbers it exported from MIT's
 * context, and the SSPI buffers as segments, so it is also fuzzed and
 * benchmarked on its own.
 *
 * Threads: krb_cfx_get_mic/wrap (sending) and krb_cfx_verify_mic/unwrap
 * (receiving) may run concurrently on one state; several senders may too
 * (the sequence number and confounder counter are atomic); receivers
 * serialise on a short spin lock around the replay window only.  No call
 * allocates.
 */
#ifndef LIBSSPI_KERBEROS_CFX_H
#define LIBSSPI_KERBEROS_CFX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "crypto/crypto.h"

#define KRB_CFX_HIDDEN __attribute__((visibility("hidden")))

/* Token header size and the largest checksum (SHA-384-192). */
#define KRB_CFX_HEADER  16
#define KRB_CFX_MAX_MAC 24
/* Extra count Windows and MIT use for DCE-style confidential wraps. */
#define KRB_CFX_DCE_EC 16
/* Most segments a message may be made of: the kit's 64 DATA buffers, the
 * token's pieces, and the splits of a rotated token. */
#define KRB_CFX_MAX_SEGS 80

/* A piece of a message: bytes the MAC covers (SIGN) and, when sealing,
 * encrypts in place (ENC; always also signed). */
#define KRB_SEG_SIGN 1u
#define KRB_SEG_ENC  2u
struct krb_seg {
    uint8_t *p;
    size_t len;
    uint32_t flags;
};

/* Keys of one direction, each pre-keyed. */
struct krb_cfx_keys {
    crypto_hmac_key sign;   /* Kc, usage *_SIGN: MIC tokens */
    crypto_hmac_key seal_c; /* Kc, usage *_SEAL: Wrap without confidentiality */
    crypto_hmac_key seal_i; /* Ki, usage *_SEAL: Wrap with confidentiality */
    crypto_aes_key seal_e;  /* Ke, usage *_SEAL */
};

struct krb_cfx {
    int32_t enctype;
    uint32_t mac_len; /* 12, 16 or 24 */
    bool etm;         /* RFC 8009 (MAC over the ciphertext) */
    bool initiator;
    bool acceptor_subkey; /* the key is the acceptor's subkey */
    bool dce;             /* DCE style: EC 16 and the RRC+EC rotation */
    bool replay, sequence;
    struct krb_cfx_keys out, in;
    /* Confounders: AES-CTR under a random key, one block per message. */
    crypto_aes_key conf_key;
    uint64_t conf_nonce;
    _Atomic uint64_t conf_ctr;
    _Atomic uint64_t send_seq;
    /* Receive window: next expected number and a bitmap of the 64 before. */
    atomic_flag recv_lock;
    uint64_t recv_next;
    uint64_t recv_seen;
};

/* Set up *c from the context key `key` of `enctype` (17, 18, 19, 20).
 * False for another enctype, a wrong key length, or no random bytes for
 * the confounder key.  *c needs no release beyond krb_cfx_wipe. */
KRB_CFX_HIDDEN bool krb_cfx_init(struct krb_cfx *c, int32_t enctype, const uint8_t *key,
                                 size_t keylen, bool initiator, bool acceptor_subkey, bool dce,
                                 bool replay, bool sequence, uint64_t send_seq, uint64_t recv_seq);
KRB_CFX_HIDDEN void krb_cfx_wipe(struct krb_cfx *c);
/* True for the enctypes the engine does. */
KRB_CFX_HIDDEN bool krb_cfx_supported(int32_t enctype);

/* Sizes of the tokens this state writes. */
KRB_CFX_HIDDEN size_t krb_cfx_mic_size(const struct krb_cfx *c);
KRB_CFX_HIDDEN size_t krb_cfx_wrap_size(const struct krb_cfx *c, bool conf);

/*
 * A MIC token over the SIGN segments into token[0..cap).  *written gets its
 * size.  SEC_E_BUFFER_TOO_SMALL if cap is short.
 */
KRB_CFX_HIDDEN SECURITY_STATUS krb_cfx_get_mic(struct krb_cfx *c, const struct krb_seg *msg,
                                               size_t n, uint8_t *token, size_t cap,
                                               size_t *written);
/* SEC_E_OK, SEC_E_MESSAGE_ALTERED (bad checksum), SEC_E_INVALID_TOKEN
 * (malformed), SEC_E_OUT_OF_SEQUENCE (replayed, too old, or out of order
 * when sequence detection is on). */
KRB_CFX_HIDDEN SECURITY_STATUS krb_cfx_verify_mic(struct krb_cfx *c, const struct krb_seg *msg,
                                                  size_t n, const uint8_t *token, size_t len);

/*
 * A Wrap token in Windows' split layout: `token` receives the header, the
 * rotated trailer and the confounder; ENC segments are encrypted in place
 * when `conf`; SIGN-only segments are covered by the checksum.
 * SEC_E_BUFFER_TOO_SMALL if cap is short.
 */
KRB_CFX_HIDDEN SECURITY_STATUS krb_cfx_wrap(struct krb_cfx *c, bool conf, struct krb_seg *msg,
                                            size_t n, uint8_t *token, size_t cap, size_t *written);

/*
 * Unwrap.  Split form (`stream` NULL): the token's header and whatever it
 * holds, then the ENC segments of msg in order, form the rotated token;
 * any RRC/EC is accepted (bytes are moved when the sender's split differs
 * from Windows'); ENC segments get the plaintext and their len is cut to
 * what they hold.  Stream form: `token` is the whole token (and is modified
 * in place); msg[data_index] (an ENC segment) is pointed at the plaintext
 * inside it.  SIGN-only segments are checked in their place in msg.
 * *conf tells whether the token was sealed.  Statuses as
 * krb_cfx_verify_mic.
 */
KRB_CFX_HIDDEN SECURITY_STATUS krb_cfx_unwrap(struct krb_cfx *c, uint8_t *token, size_t len,
                                              bool stream, struct krb_seg *msg, size_t n,
                                              size_t data_index, bool *conf);

#endif
