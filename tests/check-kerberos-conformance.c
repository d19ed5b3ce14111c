/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-kerberos-conformance.c - the Kerberos package through the package
 * conformance battery (pkg-conformance.h), against a throwaway MIT realm
 * started for the run (src/tools/sspi-test-realm).  The client logs on with
 * a password (tickets in a MEMORY ccache of the credential's own); the
 * acceptor uses the realm's keytab.  Skips (77) without the MIT tools.
 */
#include "pkg-conformance.h"
#include "interop/krb-test.h"

/* Mutual authentication, as Windows programs ask for it: AP-REQ, AP-REP. */
#define KRB_ISC_REQ                                                                                \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define KRB_ASC_REQ                                                                                \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |   \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

static const struct pc_driver krb_driver = {
    .package = "Kerberos",
    .module = "kerberos/.libs/kerberos.so",
    .setup = kt_realm_start,
    .teardown = kt_realm_stop,
    .client = {KT_USER, KT_REALM, KT_PASSWORD},
    .server = {NULL, NULL, NULL}, /* the keytab */
    .wrong = {KT_USER, KT_REALM, "not the password"},
    .target = KT_SPN,
    .isc_req = KRB_ISC_REQ,
    .asc_req = KRB_ASC_REQ,
    .layout = PH_LAYOUT_TOKEN,
};

int main(void)
{
    return pc_main(&krb_driver);
}
