/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer-util.h - small tools for check-ntlm-peers, the test that drives the
 * NTLM acceptor with NTLM clients run as separate programs (Samba's
 * ntlm_auth, curl): base64, child processes with pipes, and a read-only
 * view of the fields of NTLM messages (MS-NLMP 2.2.1) so a test can check
 * what a client actually sent.
 *
 * Nothing here uses Check; functions report failure by return value so the
 * HTTP server thread can use them too.
 */
#ifndef LIBSSPI_TESTS_PEER_UTIL_H
#define LIBSSPI_TESTS_PEER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Negotiate flags (MS-NLMP 2.2.2.5), named as in the specification. */
#define PEER_NEGOTIATE_UNICODE                  0x00000001u
#define PEER_NEGOTIATE_OEM                      0x00000002u
#define PEER_REQUEST_TARGET                     0x00000004u
#define PEER_NEGOTIATE_SIGN                     0x00000010u
#define PEER_NEGOTIATE_SEAL                     0x00000020u
#define PEER_NEGOTIATE_LM_KEY                   0x00000080u
#define PEER_NEGOTIATE_NTLM                     0x00000200u
#define PEER_NEGOTIATE_ALWAYS_SIGN              0x00008000u
#define PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define PEER_NEGOTIATE_TARGET_INFO              0x00800000u
#define PEER_NEGOTIATE_VERSION                  0x02000000u
#define PEER_NEGOTIATE_128                      0x20000000u
#define PEER_NEGOTIATE_KEY_EXCH                 0x40000000u
#define PEER_NEGOTIATE_56                       0x80000000u

/* AV_PAIR ids and MsvAvFlags bits used by the checks. */
#define PEER_AV_EOL         0
#define PEER_AV_FLAGS       6
#define PEER_AV_TIMESTAMP   7
#define PEER_AV_TARGET_NAME 9
#define PEER_AVFLAG_MIC     0x00000002u

/* Offset and size of the MIC in an AUTHENTICATE message. */
#define PEER_MIC_OFFSET 72
#define PEER_MIC_SIZE   16

/* Malloc()ed, NUL-terminated standard base64 (with padding) of data;
 * NULL on allocation failure. */
char *peer_b64_encode(const uint8_t *data, size_t len);

/* Decodes len characters of standard base64 (padding optional, no
 * whitespace).  *out is malloc()ed (at least one byte, also for empty
 * input).  Returns 0, or -1 on a bad character or length (*out NULL). */
int peer_b64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len);

/* A child process: `to` writes its stdin (NULL when it reads /dev/null),
 * `from` reads its stdout. */
struct peer_proc {
    pid_t pid;
    FILE *to;
    FILE *from;
};

/* Starts argv[0] (an absolute path) with environment envp, stdin a pipe
 * when want_stdin (else /dev/null), stdout a pipe, stderr inherited.
 * Returns 0, or -1 with errno set (nothing left to clean up). */
int peer_spawn(struct peer_proc *p, char *const argv[], char *const envp[], bool want_stdin);

/* Closes both pipes and waits for the child.  Returns its exit status, or
 * 128 + signal number if it was killed, or -1 if waiting failed. */
int peer_finish(struct peer_proc *p);

/* Reads one line (without the newline) into buf.  Returns its length, or
 * -1 at end of file, on error, or when the line does not fit. */
ssize_t peer_read_line(FILE *f, char *buf, size_t size);

/* Reads everything until end of file into a malloc()ed, NUL-terminated
 * buffer of at most max bytes (more is an error).  NULL on failure. */
char *peer_read_all(FILE *f, size_t max, size_t *len);

/* A field of an NTLM message: offset and length into the message. */
struct peer_field {
    uint32_t off;
    uint16_t len;
};

/* What check-ntlm-peers looks at in an AUTHENTICATE message. */
struct peer_authenticate {
    uint32_t flags;
    struct peer_field lm, nt, domain, user, workstation, session_key;
    bool has_mic_field; /* payload starts at or after offset 88 */
    bool ntlmv2;        /* NT response longer than 24 bytes */
    bool has_av_flags;  /* NTLMv2 blob carries MsvAvFlags */
    uint32_t av_flags;
    bool has_timestamp;   /* NTLMv2 blob carries MsvAvTimestamp */
    bool has_target_name; /* NTLMv2 blob carries MsvAvTargetName */
};

/* NegotiateFlags of a NEGOTIATE (type 1) or CHALLENGE (type 2) message, or
 * of an AUTHENTICATE (type 3); false if msg is not an NTLM message of that
 * type. */
bool peer_ntlm_flags(const uint8_t *msg, size_t len, uint32_t type, uint32_t *flags);

/* Parses an AUTHENTICATE message: every field must lie inside it, and an
 * NTLMv2 response must hold a well-formed AV_PAIR list.  false otherwise. */
bool peer_parse_authenticate(const uint8_t *msg, size_t len, struct peer_authenticate *a);

/* Does a CHALLENGE carry target information with AV pair `id`? */
bool peer_challenge_has_av(const uint8_t *msg, size_t len, uint16_t id);

/* Printable list of the flag names set in `flags` (one of four static
 * buffers used in turn, so a message may show up to four lists). */
const char *peer_flag_names(uint32_t flags);

#endif
