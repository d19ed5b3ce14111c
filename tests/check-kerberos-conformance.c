/*
 * check-kerberos-conformance.c - the Kerberos package through the package
 * conformance battery (pkg-conformance.h), against a throwaway MIT realm
 * started for the run (src/tools/sspi-test-realm).  The client logs on with
 * a password (tickets in a MEMORY ccache of the credential's own); the
 * acceptor uses the realm's keytab.  Skips (77) without the MIT tools.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pkg-conformance.h"
#include "interop/krb-test.h"

/* DCE style: the battery's three legs (acceptor continues, initiator
 * completes with a token, acceptor completes). */
#define KRB_ISC_REQ                                                                                \
    (ISC_REQ_USE_DCE_STYLE | ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |   \
     ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define KRB_ASC_REQ                                                                                \
    (ASC_REQ_USE_DCE_STYLE | ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |   \
     ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

/* The battery checks that a 1-byte EncryptMessage changed the byte; with
 * a random confounder the ciphertext byte equals the plaintext one once in
 * 256 runs, so that check can fail by chance. */
static const struct pc_driver krb_driver = {
    .package = "Kerberos",
    .module = "kerberos/.libs/kerberos.so",
    .teardown = kt_realm_stop,
    .client = {KT_USER, KT_REALM, KT_PASSWORD},
    .server = {NULL, NULL, NULL}, /* the keytab */
    .wrong = {KT_USER, KT_REALM, "not the password"},
    .target = KT_SPN,
    .isc_req = KRB_ISC_REQ,
    .asc_req = KRB_ASC_REQ,
    .denied = SEC_E_LOGON_DENIED,
    .bad_use = SEC_E_UNKNOWN_CREDENTIALS,
    .short_verify = SEC_E_INVALID_TOKEN,
    .layout = PH_LAYOUT_TOKEN,
};

int main(void)
{
    int rc = kt_realm_start(), failed;
    SRunner *sr;

    if (rc != 0)
        return rc;
    sr = srunner_create(pc_suite(&krb_driver));
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    kt_realm_stop();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
