/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer-http.h - a minimal HTTP/1.1 server with NTLM authentication
 * (WWW-Authenticate: NTLM, RFC 4559 style) that runs in a thread of
 * check-ntlm-peers, so an HTTP client such as curl can log on to the NTLM
 * acceptor through AcceptSecurityContext.
 *
 * It listens on 127.0.0.1 (port chosen by the kernel), serves one
 * connection at a time with keep-alive, and answers every request:
 *   no Authorization: NTLM header   -> 401, WWW-Authenticate: NTLM
 *   NTLM NEGOTIATE                  -> 401, WWW-Authenticate: NTLM <CHALLENGE>
 *   NTLM AUTHENTICATE, SEC_E_OK     -> 200, body "user=<SECPKG_ATTR_NAMES>\n"
 *   NTLM AUTHENTICATE, refused      -> 401, WWW-Authenticate: NTLM
 * Headers are limited to 8 KiB, reads time out after 60 s (SO_RCVTIMEO) so
 * a stuck client cannot hang the test; nothing depends on timing otherwise.
 */
#ifndef LIBSSPI_TESTS_PEER_HTTP_H
#define LIBSSPI_TESTS_PEER_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"

#define PEER_HTTP_MAX_LEGS 16

/* One AcceptSecurityContext call: its status and the input token. */
struct peer_http_leg {
    SECURITY_STATUS status;
    uint8_t *token;
    size_t len;
};

struct peer_http {
    /* set by peer_http_start */
    uint16_t port;
    /* private */
    int listen_fd;
    int stop_pipe[2];
    pthread_t thread;
    int running;
    CredHandle cred;
    /* results: read them only after peer_http_stop */
    unsigned requests;    /* HTTP requests answered */
    unsigned connections; /* connections accepted */
    unsigned logons;      /* AUTHENTICATEs accepted */
    struct peer_http_leg legs[PEER_HTTP_MAX_LEGS];
    unsigned nlegs;
    char user[256];  /* NAMES of the last accepted logon */
    uint32_t attrs;  /* its ASC_RET_* attributes */
    char error[256]; /* first server-side problem, "" if none */
};

/* Acquires inbound NTLM credentials, binds 127.0.0.1:0 and starts the
 * server thread.  Returns 0, or -1 with h->error set (nothing to stop). */
int peer_http_start(struct peer_http *h);

/* Stops the thread (after the current connection ends: call it once the
 * client has exited), joins it and frees the credentials.  The results
 * stay until peer_http_free. */
void peer_http_stop(struct peer_http *h);

/* Frees the recorded tokens. */
void peer_http_free(struct peer_http *h);

#endif
