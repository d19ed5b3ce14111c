/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls-peers.h - TLS peers run as programs (gnutls-serv, gnutls-cli,
 * openssl s_server / s_client, `sspi server` and `sspi client`) for the
 * Schannel suites that talk to them: a free port on 127.0.0.1, a peer
 * started in the background until it listens and stopped by its PID,
 * bounded shell commands, and reading back what they wrote.  Failures are
 * Check assertions; ck_status compares an SSPI status and names both.
 */
#ifndef LIBSSPI_TESTS_TLS_PEERS_H
#define LIBSSPI_TESTS_TLS_PEERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "libsspi.h"

/* Assert that expression `x` gives SECURITY_STATUS `want`. */
#define ck_status(x, want)                                                                         \
    do {                                                                                           \
        SECURITY_STATUS st_ = (x);                                                                 \
        ck_assert_msg(st_ == (SECURITY_STATUS)(want), "%s = %s (0x%08x), want %s", #x,             \
                      libsspi_status_name(st_), (unsigned)st_, #want);                             \
    } while (0)

/* Whether `tool` is a command in PATH. */
bool tls_have(const char *tool);

/* A 127.0.0.1 port nobody listens on right now (bound to port 0 first). */
int tls_free_port(void);

/* Start `fmt` (run by sh, so it should exec the peer) in the background
 * with LIBSSPI_CONFIG=`conf`; returns once something listens on `port`. */
pid_t tls_peer_start(const char *conf, int port, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* SIGTERM and wait. */
void tls_peer_stop(pid_t pid);

/* Run `fmt` with sh under timeout(1) (30 s) with LIBSSPI_CONFIG=`conf`
 * (when not NULL); its exit status, or -1 if it did not exit. */
int tls_run(const char *conf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole of dir/name as a NUL-terminated malloc()ed string ("" if it
 * cannot be read). */
char *tls_slurp(const char *dir, const char *name);

#endif
