/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nego-sspi.h - the libsspi side of the Negotiate interoperability tests
 * (check-negotiate-interop, check-negotiate-krb): Negotiate credentials
 * and contexts, whole exchanges against MIT SPNEGO (spnego-peer.h) or
 * another libsspi context with a hook that may damage tokens in flight,
 * and the per-message pairings with MIT after the exchange.  The pairing
 * helpers use Check assertions.
 */
#ifndef LIBSSPI_TESTS_NEGO_SSPI_H
#define LIBSSPI_TESTS_NEGO_SSPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "spnego-peer.h"

#define NEGO_REQ_FLAGS (ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT)
#define NEGO_ASC_FLAGS (ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_SEQUENCE_DETECT)

struct nego_sspi {
    CredHandle cred;
    CtxtHandle ctx;
    bool server, have_ctx;
    SECURITY_STATUS status; /* of the last call */
    ULONG attr;
    ULONG req;          /* ISC_REQ_* / ASC_REQ_* (NEGO_*_FLAGS by default) */
    const char *target; /* initiator's SPN */
};

/* A Negotiate initiator for `target`.  With user == NULL and
 * package_list == NULL, the default credential (ticket cache, the NTLM
 * default user); otherwise a SEC_WINNT_AUTH_IDENTITY_EXA with these
 * strings (NULL ones left empty).  Returns AcquireCredentialsHandle's
 * status. */
SECURITY_STATUS nego_sspi_client(struct nego_sspi *s, const char *user, const char *domain,
                                 const char *password, const char *package_list,
                                 const char *target);

/* A Negotiate acceptor; package_list (may be NULL) narrows its packages. */
SECURITY_STATUS nego_sspi_server(struct nego_sspi *s, const char *package_list);

/* One leg; in may be NULL.  *out is a malloc()ed copy (NULL when empty). */
SECURITY_STATUS nego_sspi_step(struct nego_sspi *s, const void *in, size_t in_len, void **out,
                               size_t *out_len);

void nego_sspi_free(struct nego_sspi *s);

/* Called on every token in flight (leg counts from 0) before delivery. */
typedef void (*nego_tamper_fn)(uint8_t *tok, size_t len, int leg);

struct nego_result {
    SECURITY_STATUS sspi;  /* initiator's (or, sspi-to-sspi, acceptor's) last status */
    SECURITY_STATUS sspi2; /* sspi-to-sspi: the other side's */
    OM_uint32 gss;         /* MIT's last major status */
    int legs;              /* tokens delivered */
    uint8_t reply[2048];   /* the acceptor's first token (truncated) */
    size_t reply_len;
};

struct nego_result nego_run_sspi_to_mit(struct nego_sspi *c, struct spnego_peer *g,
                                        nego_tamper_fn tamper);
struct nego_result nego_run_mit_to_sspi(struct spnego_peer *g, struct nego_sspi *s,
                                        nego_tamper_fn tamper);
/* .sspi = the initiator's last status, .sspi2 = the acceptor's. */
struct nego_result nego_run_sspi_to_sspi(struct nego_sspi *c, struct nego_sspi *s,
                                         nego_tamper_fn tamper);

/* NEGOTIATION_INFO names `package` with state COMPLETE. */
void nego_sspi_negotiated(struct nego_sspi *s, const char *package);

/* MakeSignature -> gss_verify_mic, gss_get_mic -> VerifySignature,
 * EncryptMessage -> gss_unwrap, gss_wrap -> DecryptMessage, `rounds`
 * times each; `kerberos` selects the RFC 4121 buffer shapes (else NTLM's). */
void nego_pair_with_mit(struct nego_sspi *s, struct spnego_peer *g, bool kerberos, int rounds);

/* The same between two libsspi contexts. */
void nego_pair_sspi(struct nego_sspi *a, struct nego_sspi *b, int rounds);

/* The supportedMech of a NegTokenResp (its OID's content bytes); false
 * when the token is no NegTokenResp or carries none. */
bool nego_resp_supported_mech(const void *tok, size_t len, const uint8_t **oid, size_t *oid_len);

#endif
