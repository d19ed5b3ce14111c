/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm.h - internal interfaces of the NTLM security package.
 *
 * The package is split like this:
 *   ntlm-crypto.c    one-way functions, responses, key derivations, MIC
 *   ntlm-msg.c       NEGOTIATE/CHALLENGE/AUTHENTICATE and AV_PAIR codec
 *   ntlm-sign.c      per-message signatures and sealing
 *   ntlm-userfile.c  the acceptor's user database
 *   ntlm-client.c    initiator state machine
 *   ntlm-server.c    acceptor state machine
 *   ntlm-context.c   contexts, credentials, attributes, export/import
 *   ntlm-entry.c     the exported SSP/AP entry points
 * Everything except ntlm-entry.c is built into libntlm-internal.la so tests
 * can call it directly.
 *
 * Strings inside the package are kept as UTF-16LE byte strings (struct
 * ntlm_buf), the form NTLM puts on the wire and feeds to its hashes.
 */
#ifndef LIBSSPI_NTLM_H
#define LIBSSPI_NTLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "packages/kit/pkg-pack.h"
#include "packages/kit/pkg-time.h"

/* ---- negotiate flags (MS-NLMP 2.2.2.5) ---------------------------------- */
#define NTLMSSP_NEGOTIATE_UNICODE                  0x00000001u
#define NTLM_NEGOTIATE_OEM                         0x00000002u
#define NTLMSSP_REQUEST_TARGET                     0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN                     0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL                     0x00000020u
#define NTLMSSP_NEGOTIATE_DATAGRAM                 0x00000040u
#define NTLMSSP_NEGOTIATE_LM_KEY                   0x00000080u
#define NTLMSSP_NEGOTIATE_NTLM                     0x00000200u
#define NTLMSSP_NEGOTIATE_ANONYMOUS                0x00000800u
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED      0x00001000u
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN              0x00008000u
#define NTLMSSP_TARGET_TYPE_DOMAIN                 0x00010000u
#define NTLMSSP_TARGET_TYPE_SERVER                 0x00020000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_IDENTIFY                 0x00100000u
#define NTLMSSP_REQUEST_NON_NT_SESSION_KEY         0x00400000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO              0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION                  0x02000000u
#define NTLMSSP_NEGOTIATE_128                      0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH                 0x40000000u
#define NTLMSSP_NEGOTIATE_56                       0x80000000u

/* ---- AV_PAIR ids (MS-NLMP 2.2.2.1) -------------------------------------- */
enum ntlm_av_id {
    MsvAvEOL = 0,
    MsvAvNbComputerName = 1,
    MsvAvNbDomainName = 2,
    MsvAvDnsComputerName = 3,
    MsvAvDnsDomainName = 4,
    MsvAvDnsTreeName = 5,
    MsvAvFlags = 6,
    MsvAvTimestamp = 7,
    MsvAvSingleHost = 8,
    MsvAvTargetName = 9,
    MsvAvChannelBindings = 10,
    NTLM_AV_MAX = 11
};
#define NTLM_AVFLAG_CONSTRAINED   0x1u
#define NTLM_AVFLAG_MIC           0x2u
#define NTLM_AVFLAG_UNTRUSTED_SPN 0x4u

#define NTLM_MAX_TOKEN        2888u /* cbMaxToken, as Windows reports */
#define NTLM_SIGNATURE_SIZE   16u
#define NTLM_CHALLENGE_SIZE   8u
#define NTLM_KEY_SIZE         16u
#define NTLM_MIC_OFFSET       72u
#define NTLM_AUTH_HEADER_SIZE 88u /* AUTHENTICATE header including MIC */

/* A borrowed or owned byte string. */
struct ntlm_buf {
    uint8_t *data;
    size_t len;
};

/* A read-only view. */
struct ntlm_view {
    const uint8_t *data;
    size_t len;
};

/* ======================================================================== */
/* ntlm-crypto.c                                                             */

/* NTOWFv1 = MD4(UTF-16LE password).  pw is UTF-16LE bytes. */
void ntlm_ntowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[16]);
/* LMOWFv1 from a UTF-16LE password (upper-cased, non-ASCII becomes '?',
 * truncated/padded to 14 bytes). */
void ntlm_lmowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[16]);
/* NTOWFv2 = HMAC_MD5(NTOWFv1, UPPER(user) || domain), UTF-16LE inputs. */
void ntlm_ntowfv2(const uint8_t ntowfv1[16], const uint8_t *user, size_t userlen,
                  const uint8_t *domain, size_t domainlen, uint8_t out[16]);
/* Upper-case a UTF-16LE string in place (ASCII, Latin-1, Greek, Cyrillic). */
void ntlm_utf16_upper(uint8_t *s, size_t len);
/* Case-insensitive comparison of two UTF-16LE strings (same folding). */
bool ntlm_utf16_caseeq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* DESL(K16, D8) -> 24 bytes. */
void ntlm_desl(const uint8_t key[16], const uint8_t data[8], uint8_t out[24]);

/* NTLMv2: NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge || blob), where blob
 * is the NTLMv2_CLIENT_CHALLENGE ("temp") as sent on the wire. */
void ntlm_v2_proof(const uint8_t ntowfv2[16], const uint8_t server_chal[8], const uint8_t *blob,
                   size_t bloblen, uint8_t proof[16]);
/* LMv2 = HMAC_MD5(LMOWFv2, ServerChallenge || ClientChallenge) || ClientChallenge. */
void ntlm_lmv2_response(const uint8_t ntowfv2[16], const uint8_t server_chal[8],
                        const uint8_t client_chal[8], uint8_t out[24]);
/* SessionBaseKey (v2) = HMAC_MD5(NTOWFv2, NTProofStr). */
void ntlm_v2_session_base_key(const uint8_t ntowfv2[16], const uint8_t proof[16], uint8_t out[16]);
/* Build the NTLMv2 blob: 01 01 Z6 time chal Z4 avpairs Z4.  out must hold
 * 32 + avlen bytes; returns the length written. */
size_t ntlm_v2_blob(uint64_t timestamp, const uint8_t client_chal[8], const uint8_t *av,
                    size_t avlen, uint8_t *out);

/* NTLMv1 without ESS. */
void ntlm_v1_response(const uint8_t owf[16], const uint8_t server_chal[8], uint8_t out[24]);
/* NTLMv1 with ESS: DESL(NTOWFv1, MD5(ServerChallenge || ClientChallenge)[0..7]). */
void ntlm_v1_ess_response(const uint8_t ntowfv1[16], const uint8_t server_chal[8],
                          const uint8_t client_chal[8], uint8_t out[24]);
/* SessionBaseKey (v1) = MD4(NTOWFv1). */
void ntlm_v1_session_base_key(const uint8_t ntowfv1[16], uint8_t out[16]);

/* KXKEY (MS-NLMP 3.4.5.1).  v2 selects the NTLMv2 rule. */
void ntlm_kxkey(uint32_t flags, bool v2, const uint8_t session_base_key[16],
                const uint8_t lmowf[16], const uint8_t lm_response[8], const uint8_t server_chal[8],
                uint8_t out[16]);
/* SIGNKEY: client=true gives the client-to-server key. */
void ntlm_signkey(const uint8_t exported[16], bool client, uint8_t out[16]);
/* SEALKEY: returns the key length (16 or 8). */
size_t ntlm_sealkey(uint32_t flags, const uint8_t exported[16], bool client, uint8_t out[16]);
/* MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE),
 * computed with the AUTHENTICATE's MIC field taken as zero. */
void ntlm_mic(const uint8_t exported[16], const uint8_t *neg, size_t neglen, const uint8_t *chal,
              size_t challen, const uint8_t *auth, size_t authlen, uint8_t out[16]);
/* Channel bindings hash: MD5 of the gss_channel_bindings serialisation of a
 * SEC_CHANNEL_BINDINGS block (32-byte header + data at its offsets).
 * Returns false if the block is malformed. */
bool ntlm_cbt_hash(const uint8_t *cb, size_t cblen, uint8_t out[16]);

/* ======================================================================== */
/* ntlm-msg.c -- every decoder checks every offset and length against the     */
/* message; it never reads outside [msg, msg+len).  All return true on         */
/* success, false for a malformed message (SEC_E_INVALID_TOKEN).              */

struct ntlm_version {
    uint8_t major, minor;
    uint16_t build;
    uint8_t revision;
};

struct ntlm_negotiate {
    uint32_t flags;
    struct ntlm_view domain;      /* OEM, may be empty */
    struct ntlm_view workstation; /* OEM, may be empty */
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_challenge {
    uint32_t flags;
    uint8_t server_chal[8];
    struct ntlm_view target_name;
    struct ntlm_view target_info; /* raw AV_PAIR list */
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_authenticate {
    uint32_t flags;
    struct ntlm_view lm, nt, domain, user, workstation, enc_key;
    bool has_version;
    struct ntlm_version version;
    bool has_mic_field; /* payload starts at >= 88 */
    const uint8_t *mic; /* points into the message when has_mic_field */
};

bool ntlm_msg_decode_negotiate(const uint8_t *msg, size_t len, struct ntlm_negotiate *out);
bool ntlm_msg_decode_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out);
bool ntlm_msg_decode_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out);

/* Encoders write a malloc()ed message into *out.  Return false on OOM or if
 * a field exceeds 65535 bytes. */
bool ntlm_msg_encode_negotiate(uint32_t flags, const struct ntlm_version *ver,
                               struct ntlm_buf *out);
bool ntlm_msg_encode_challenge(uint32_t flags, const uint8_t server_chal[8],
                               const struct ntlm_view *target_name,
                               const struct ntlm_view *target_info, const struct ntlm_version *ver,
                               struct ntlm_buf *out);
/* with_mic reserves the 16-byte MIC field (zero) at offset 72. */
bool ntlm_msg_encode_authenticate(uint32_t flags, const struct ntlm_view *lm,
                                  const struct ntlm_view *nt, const struct ntlm_view *domain,
                                  const struct ntlm_view *user, const struct ntlm_view *workstation,
                                  const struct ntlm_view *enc_key, const struct ntlm_version *ver,
                                  bool with_mic, struct ntlm_buf *out);

/* AV_PAIR list parsed into the first occurrence of each id. */
struct ntlm_avpairs {
    struct ntlm_view v[NTLM_AV_MAX];
    bool present[NTLM_AV_MAX];
    size_t total_len; /* bytes up to and including MsvAvEOL */
};
/* Fails if a pair runs past the end, MsvAvEOL is missing or has a length,
 * or a fixed-size pair (Flags 4, Timestamp 8, ChannelBindings 16) has the
 * wrong size. */
bool ntlm_avpairs_parse(const uint8_t *av, size_t len, struct ntlm_avpairs *out);

/* Growable AV_PAIR list builder. */
struct ntlm_avbuilder {
    uint8_t *data;
    size_t len, cap;
    bool failed;
};
void ntlm_av_add(struct ntlm_avbuilder *b, uint16_t id, const void *value, size_t len);
/* Append MsvAvEOL; returns false if any add failed (OOM/too long). */
bool ntlm_av_finish(struct ntlm_avbuilder *b);
void ntlm_av_free(struct ntlm_avbuilder *b);

/* OEM (Latin-1) bytes to UTF-16LE, malloc()ed. */
bool ntlm_oem_to_utf16le(const uint8_t *s, size_t len, struct ntlm_buf *out);

/* ======================================================================== */
/* ntlm-sign.c -- per-message protection.                                    */

struct ntlm_iov {
    const uint8_t *data;
    size_t len;
};

/* Sign/seal state of one direction.  `rc4` is the running connection-mode
 * sealing state; the caller serialises its use (see ntlm-context.c).
 * `rc4_keyed` is the state right after the key schedule of `sealkey`, kept
 * so that restarting the key stream (SPNEGO's reset after a mechListMIC)
 * and the per-message state of datagram mode without ESS are a copy, not
 * another key schedule. */
struct ntlm_dir_keys {
    crypto_hmac_md5_key sign; /* pre-keyed HMAC-MD5 (ESS) */
    crypto_rc4 rc4;           /* connection-mode RC4 state */
    crypto_rc4 rc4_keyed;     /* RC4 keyed with sealkey, never advanced */
    uint8_t sealkey[16];
    size_t sealkey_len;
};

/* Compute a 16-byte signature over the iovs with sequence number seq.
 *   flags: negotiated flags (ESS, KEY_EXCH, DATAGRAM decide the form)
 *   rc4:   the RC4 state to encrypt the checksum with (connection mode:
 *          the direction's running state; datagram: a per-message state)
 * Does not allocate. */
void ntlm_sign_compute(uint32_t flags, const crypto_hmac_md5_key *signkey, crypto_rc4 *rc4,
                       uint32_t seq, const struct ntlm_iov *iov, size_t niov, uint8_t sig[16]);
/* The two halves of ntlm_sign_compute: the raw checksum over the data
 * (ESS: HMAC_MD5(SignKey, seq || data)[0..7]; else CRC32 in raw[0..3]) and
 * the signature built from it (consumes the RC4 keystream). */
void ntlm_sign_raw(uint32_t flags, const crypto_hmac_md5_key *signkey, uint32_t seq,
                   const struct ntlm_iov *iov, size_t niov, uint8_t raw[8]);
void ntlm_sign_finish(uint32_t flags, crypto_rc4 *rc4, uint32_t seq, const uint8_t raw[8],
                      uint8_t sig[16]);
/* Datagram mode: initialise a per-message RC4 state from the seal key and
 * sequence number (ESS: MD5(SealKey || seq); else the seal key itself). */
void ntlm_datagram_rc4(uint32_t flags, const struct ntlm_dir_keys *k, uint32_t seq,
                       crypto_rc4 *rc4);

/* ======================================================================== */
/* ntlm-userfile.c                                                           */

/* Look up `user` (UTF-16LE) in `domain` in the user file at `path`.  Lines
 * are `DOMAIN:user:password` or `DOMAIN:user:NT:<32 hex>`; `#` starts a
 * comment; an empty DOMAIN in the file, or an empty `domain` asked for,
 * matches any domain; user names compare case-insensitively, domains too.
 * On a match writes NTOWFv1 and, when the line has a clear-text password,
 * LMOWFv1 (else *has_lm = false); and, if `canon` is not NULL, the names as
 * the file spells them (UTF-16LE, owned by the caller; canon[1], the
 * domain, stays empty for a line with an empty DOMAIN).
 * Returns 1 found, 0 not found, -1 file unreadable. */
int ntlm_userfile_lookup(const char *path, const uint8_t *user, size_t userlen,
                         const uint8_t *domain, size_t domainlen, uint8_t nt_hash[16],
                         uint8_t lm_hash[16], bool *has_lm, struct ntlm_buf canon[2]);
/* The first entry of the file (default identity for initiators): user,
 * domain as UTF-16LE (malloc()ed) and the hashes.  Returns 1/0/-1 as above. */
int ntlm_userfile_first(const char *path, struct ntlm_buf *user, struct ntlm_buf *domain,
                        uint8_t nt_hash[16], uint8_t lm_hash[16], bool *has_lm);

void ntlm_buf_free(struct ntlm_buf *b);
/* `len` bytes of UTF-8 as a UTF-16LE ntlm_buf (sspi_utf8_to_utf16le);
 * false for invalid UTF-8 or out of memory. */
bool ntlm_buf_from_utf8(struct ntlm_buf *out, const char *s, size_t len);
/* Wipe then free. */
void ntlm_buf_free_secret(struct ntlm_buf *b);
bool ntlm_buf_dup(struct ntlm_buf *dst, const void *src, size_t len);

#endif
