/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The GSSAPI side of the NTLM interoperability tests: a small wrapper around
 * MIT GSSAPI with the gss-ntlmssp mechanism (OID 1.3.6.1.4.1.311.2.2.10), so
 * the test can drive an independent NTLM initiator or acceptor with the same
 * few calls it uses for the SSPI side.
 */
#ifndef LIBSSPI_TESTS_INTEROP_GSS_PEER_H
#define LIBSSPI_TESTS_INTEROP_GSS_PEER_H

#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

typedef struct interop_gss_peer {
    int initiator;      /* 1: gss_init_sec_context, 0: accept */
    gss_cred_id_t cred; /* GSS_C_NO_CREDENTIAL if none acquired */
    gss_name_t target;  /* initiator only: host-based target name */
    gss_ctx_id_t ctx;
    gss_name_t src;      /* acceptor only: authenticated initiator */
    OM_uint32 req_flags; /* initiator only */
    OM_uint32 ret_flags; /* flags reported by the last step */
    int complete;        /* the last step returned GSS_S_COMPLETE */
    struct gss_channel_bindings_struct cb;
    int have_cb;
    OM_uint32 major; /* status of the last call */
    OM_uint32 minor;
} interop_gss_peer;

/* The gss-ntlmssp mechanism OID as a gss_OID (static storage). */
gss_OID interop_gss_ntlmssp_oid(void);

/*
 * Makes sure MIT GSSAPI loads gss-ntlmssp whatever the system mech
 * configuration: locates gssntlmssp.so (environment INTEROP_GSSNTLMSSP_MODULE
 * first, then the usual library directories), writes a mechanism file at
 * conf_path and points GSS_MECH_CONFIG at it. Must run before the first GSSAPI
 * call of the process. Returns 0 on success, -1 with a message in errbuf.
 */
int interop_gss_setup_mech(const char *conf_path, char *errbuf, size_t errlen);

/*
 * Prepares an initiator. user is "DOMAIN\\user" (or "user"); with a non-NULL
 * password the credential comes from gss_acquire_cred_with_password, with a
 * NULL password from NTLM_USER_FILE through gss_acquire_cred. cb/cb_len (may
 * be NULL/0) become the application data of the channel bindings.
 * Returns the GSS major status; p must be released with interop_gss_peer_free
 * whatever the result.
 */
OM_uint32 interop_gss_client_init(interop_gss_peer *p, const char *user, const char *password,
                                  const char *target, OM_uint32 req_flags, const void *cb,
                                  size_t cb_len);

/*
 * Prepares an acceptor. With acquire != 0 an acceptor credential is acquired
 * with gss_acquire_cred (GSS_C_ACCEPT), else GSS_C_NO_CREDENTIAL is used.
 * Users are checked by gss-ntlmssp against NTLM_USER_FILE.
 */
OM_uint32 interop_gss_server_init(interop_gss_peer *p, int acquire, const void *cb, size_t cb_len);

/*
 * One handshake leg. in/in_len is the peer's token (NULL/0 for the first
 * initiator leg). *out and *out_len receive a malloc()ed copy of the output
 * token (NULL/0 if none); the caller frees it. Returns GSS_S_COMPLETE,
 * GSS_S_CONTINUE_NEEDED or an error major status (also kept in p->major).
 */
OM_uint32 interop_gss_step(interop_gss_peer *p, const void *in, size_t in_len, void **out,
                           size_t *out_len);

/* gss_wrap (conf requested) / gss_unwrap / gss_get_mic / gss_verify_mic on the
 * established context. Outputs are malloc()ed copies freed by the caller. */
OM_uint32 interop_gss_wrap(interop_gss_peer *p, const void *msg, size_t len, void **out,
                           size_t *out_len);
OM_uint32 interop_gss_unwrap(interop_gss_peer *p, const void *tok, size_t len, void **out,
                             size_t *out_len);
OM_uint32 interop_gss_get_mic(interop_gss_peer *p, const void *msg, size_t len, void **out,
                              size_t *out_len);
OM_uint32 interop_gss_verify_mic(interop_gss_peer *p, const void *msg, size_t len, const void *mic,
                                 size_t mic_len);

/* gss_set_sec_context_option(GSS_NTLMSSP_RESET_CRYPTO_OID,
 * 1.3.6.1.4.1.7165.655.1.3): restart the RC4 sealing state of one direction,
 * as SPNEGO does after a mechListMIC; direction 0 is the sending state, 1
 * the receiving one. */
OM_uint32 interop_gss_reset_crypto(interop_gss_peer *p, uint32_t direction);

/* Display name of the authenticated initiator (acceptor side) as a malloc()ed
 * string, or NULL. */
char *interop_gss_src_name(interop_gss_peer *p);

/* Releases everything p holds; p may be partially initialised (zeroed). */
void interop_gss_peer_free(interop_gss_peer *p);

/* Human-readable text of p's last major/minor status in a static buffer
 * (not thread-safe; for test failure messages). */
const char *interop_gss_error(const interop_gss_peer *p);

#endif
