/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls-test.h - helpers shared by the Schannel tests, the interop suite and
 * the benchmark: a throwaway PKI made at run time with the GnuTLS API, the
 * package loaded from the build tree, credentials, and an in-memory
 * handshake that follows Windows' EXTRA/INCOMPLETE rules.
 */
#ifndef LIBSSPI_TESTS_TLS_TEST_H
#define LIBSSPI_TESTS_TLS_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "schannel.h"
#include "libsspi.h"
#include "tools/tool-pki.h"

/* The throwaway PKI is src/tools/tool-pki.c's. */
#define tls_pki        tool_pki
#define tls_pki_make   tool_pki_make
#define tls_pki_remove tool_pki_remove

/* Write a configuration at `path` that loads schannel.so from
 * LIBSSPI_TEST_PKGDIR (else src/packages) with `options` ("option.KEY =
 * VALUE" lines, or ""); false if it cannot be written. */
bool tls_write_conf(const char *path, const char *options);

/* Load schannel.so from LIBSSPI_TEST_PKGDIR (once). */
SECURITY_STATUS tls_load_package(void);

/* A credential of either side with `cert` (NULL: none; the caller keeps
 * its reference), trusting the roots of `ca_file` through hRootStore (NULL:
 * the system's only), SCHANNEL_CRED protocols and dwFlags. */
SECURITY_STATUS tls_cred_with(PCCERT_CONTEXT cert, const char *ca_file, bool server,
                              uint32_t protocols, uint32_t flags, CredHandle *cred);
/* Server credential from a PEM file holding certificate and key. */
SECURITY_STATUS tls_server_cred(const char *pem, uint32_t protocols, CredHandle *cred);
/* The same trusting the roots of `ca_file` (hRootStore) for client
 * certificates. */
SECURITY_STATUS tls_server_cred_ca(const char *pem, const char *ca_file, uint32_t protocols,
                                   CredHandle *cred);
/* Client credential trusting `ca_file` (NULL: system only); `pem` (NULL:
 * none) is the client certificate with its key. */
SECURITY_STATUS tls_client_cred(const char *ca_file, const char *pem, uint32_t protocols,
                                uint32_t flags, CredHandle *cred);

/* One side's handshake state for the in-memory driver. */
struct tls_side {
    CredHandle cred;
    CtxtHandle ctx;
    bool have_ctx, done, server;
    bool no_cred; /* later legs name no credential (phCredential NULL) */
    uint32_t req;
    const char *target;
    uint8_t *in; /* bytes received, not yet consumed */
    size_t in_len, in_cap;
    const uint8_t *alpn; /* SEC_APPLICATION_PROTOCOLS blob for the first leg */
    uint32_t alpn_len;
    SECURITY_STATUS last;
    TimeStamp expiry; /* ptsExpiry of the last leg */
};

/* Append bytes to a side's input. */
void tls_side_feed(struct tls_side *s, const void *data, size_t len);
/* One ISC/ASC leg with the side's input; output appended to *out. */
SECURITY_STATUS tls_side_step(struct tls_side *s, uint8_t **out, size_t *out_len);
/* Full handshake between two sides in memory; SEC_E_OK when both done. */
SECURITY_STATUS tls_handshake(struct tls_side *client, struct tls_side *server);
/* After the handshake: DecryptMessage what the side was left with (TLS 1.3
 * tickets); SEC_E_OK when all of it was records without data. */
SECURITY_STATUS tls_drain(struct tls_side *s);
void tls_side_free(struct tls_side *s);

/* EncryptMessage of data[0..len) into out (header|data|trailer); returns
 * the record size in *out_len. */
SECURITY_STATUS tls_encrypt(CtxtHandle *ctx, const void *data, uint32_t len, uint8_t *out,
                            size_t *out_len);
/* DecryptMessage of buf[0..len): plaintext pointer/length, bytes used. */
SECURITY_STATUS tls_decrypt(CtxtHandle *ctx, uint8_t *buf, size_t len, uint8_t **plain,
                            size_t *plain_len, size_t *used);

/* EncryptMessage `len` bytes on `from`, DecryptMessage them on `to`:
 * SEC_E_OK when they came through whole and unchanged, the failing call's
 * status, or SEC_E_MESSAGE_ALTERED. */
SECURITY_STATUS tls_roundtrip(CtxtHandle *from, CtxtHandle *to, size_t len);

#ifdef ck_assert_msg
/* For Check programs (check.h included first): a status and the one
 * wanted, both named when they differ. */
#define ck_status(x, want)                                                                         \
    do {                                                                                           \
        SECURITY_STATUS st_ = (x);                                                                 \
        ck_assert_msg(st_ == (SECURITY_STATUS)(want), "%s = %s (0x%08x), want %s", #x,             \
                      libsspi_status_name(st_), (unsigned)st_, #want);                             \
    } while (0)
#endif

#endif
