/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * krb-test.h - what the Kerberos tests share: a throwaway MIT realm on
 * 127.0.0.1 (src/tools/sspi-test-realm) started once per test program,
 * libsspi configured with the Kerberos plugin, and SSPI and GSSAPI
 * handshake helpers (MIT's GSSAPI is the independent peer).
 */
#ifndef LIBSSPI_TESTS_KRB_TEST_H
#define LIBSSPI_TESTS_KRB_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "sspi.h"

#define KT_USER       "user"
#define KT_PASSWORD   "userpw"
#define KT_REALM      "KRBTEST.COM"
#define KT_SPN        "host/localhost"
#define KT_GSS_TARGET "host@localhost"

/* Start the realm, kinit the user, write the libsspi configuration and
 * point the environment at all of it.  Returns 0, or 77 (skip) when the
 * MIT tools are missing, or 1 on failure.  kt_realm_stop undoes it. */
int kt_realm_start(void);
void kt_realm_stop(void);
const char *kt_realm_dir(void);

/* One side of a context under test. */
struct kt_side {
    bool gss; /* MIT GSSAPI (else SSPI) */
    bool server;
    CredHandle cred;
    CtxtHandle ctx;
    bool have_ctx;
    uint32_t attrs;
    gss_ctx_id_t gctx;
    gss_cred_id_t gcred;
    OM_uint32 gflags;
    gss_name_t gsrc;
};

struct kt_opts {
    uint32_t req;               /* ISC_REQ_* / ASC_REQ_* for SSPI sides */
    OM_uint32 gss_flags;        /* for a GSS initiator */
    const char *target;         /* SSPI target (default KT_SPN) */
    const void *cb, *server_cb; /* application channel bindings (NUL-terminated) */
    const char *password;       /* SSPI client: identity with this password */
    const char *user;
};

/* Acquire an SSPI credential of the Kerberos package.  Returns the
 * status; *cred valid when SEC_E_OK. */
SECURITY_STATUS kt_acquire(uint32_t use, const char *user, const char *password,
                           const char *principal, CredHandle *cred);

/* Run a whole handshake; client/server as set up by the caller (gss
 * flag).  Returns the first failing status (SSPI) or SEC_E_OK;
 * *gss_major receives the failing GSS major, if any. */
SECURITY_STATUS kt_handshake(struct kt_side *client, struct kt_side *server,
                             const struct kt_opts *o, OM_uint32 *gss_major);
void kt_side_free(struct kt_side *s);

#endif
