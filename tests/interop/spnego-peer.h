/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spnego-peer.h - MIT krb5's SPNEGO mechanism (1.3.6.1.5.5.2) as an
 * independent peer for the Negotiate interoperability tests: an initiator
 * or acceptor whose negotiable mechanisms can be narrowed with
 * gss_set_neg_mechs (Kerberos only, NTLMSSP only, both), and the four
 * per-message calls.  Output tokens are malloc()ed copies.
 */
#ifndef LIBSSPI_TESTS_SPNEGO_PEER_H
#define LIBSSPI_TESTS_SPNEGO_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

/* Which mechanisms the SPNEGO peer may negotiate. */
enum spnego_mechs {
    SPNEGO_ANY = 0,       /* whatever the mech configuration offers */
    SPNEGO_KRB5 = 1,      /* Kerberos only */
    SPNEGO_NTLM = 2,      /* NTLMSSP only */
    SPNEGO_KRB5_NTLM = 3, /* both, Kerberos first */
};

struct spnego_peer {
    bool initiator;
    gss_cred_id_t cred;
    gss_name_t target; /* initiator */
    gss_ctx_id_t ctx;
    gss_name_t src; /* acceptor: who authenticated */
    OM_uint32 req_flags, ret_flags;
    bool complete;
    OM_uint32 major, minor; /* of the last call */
};

/* An initiator for `target` (host-based "service@host").  With `user` and
 * `password` the credential comes from gss_acquire_cred_with_password
 * ("DOMAIN\\user" for NTLM, "user@REALM" for Kerberos), else the default
 * credential (ccache, NTLM_USER_FILE).  Returns the GSS major status;
 * release with spnego_peer_free whatever it returns. */
OM_uint32 spnego_client(struct spnego_peer *p, const char *user, const char *password,
                        const char *target, enum spnego_mechs mechs, OM_uint32 req_flags);

/* An acceptor with the default acceptor credential (keytab, NTLM_USER_FILE). */
OM_uint32 spnego_server(struct spnego_peer *p, enum spnego_mechs mechs);

/* One leg; in may be NULL/0.  *out (malloc()ed, NULL when empty). */
OM_uint32 spnego_step(struct spnego_peer *p, const void *in, size_t in_len, void **out,
                      size_t *out_len);

OM_uint32 spnego_wrap(struct spnego_peer *p, bool conf, const void *msg, size_t len, void **out,
                      size_t *out_len);
OM_uint32 spnego_unwrap(struct spnego_peer *p, const void *tok, size_t len, void **out,
                        size_t *out_len, int *conf);
OM_uint32 spnego_get_mic(struct spnego_peer *p, const void *msg, size_t len, void **out,
                         size_t *out_len);
OM_uint32 spnego_verify_mic(struct spnego_peer *p, const void *msg, size_t len, const void *mic,
                            size_t mic_len);

/* The authenticated initiator's display name (acceptor), malloc()ed. */
char *spnego_src_name(struct spnego_peer *p);

/* The mechanism the context settled on, as "krb5", "ntlm" or "other". */
const char *spnego_mech_name(struct spnego_peer *p);

void spnego_peer_free(struct spnego_peer *p);

/* Text of the last status (static buffer, for failure messages). */
const char *spnego_error(const struct spnego_peer *p);

#endif
