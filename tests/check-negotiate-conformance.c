/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-negotiate-conformance.c - the Negotiate package through the
 * package conformance battery (pkg-conformance.h), with NTLM as the
 * sibling it negotiates (loaded before the battery, users from
 * tests/ntlm-users.txt) and no Kerberos (no realm, an empty ccache).  As
 * Windows' Negotiate on one machine with explicit credentials
 * (negotiate.md 4.2, 4.5, 5.2): NTLM is selected, its token rides
 * optimistically in the first leg, the initiator makes a third leg for the
 * acceptor's mechListMIC, and the acceptor may open with a NegTokenInit2.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pkg-conformance.h"

#define NEGO_ISC_REQ                                                                               \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define NEGO_ASC_REQ                                                                               \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

static int nego_siblings(void)
{
    static char path[4096];
    const char *top = getenv("top_srcdir");

    snprintf(path, sizeof path, "%s/tests/ntlm-users.txt", top != NULL ? top : ".");
    setenv("NTLM_USER_FILE", path, 1);
    setenv("KRB5_CONFIG", "/dev/null", 1);
    setenv("KRB5CCNAME", "MEMORY:negotiate-conformance", 1);
    if (ph_load("NTLM", "ntlm/.libs/ntlm.so") != SEC_E_OK) {
        fprintf(stderr, "check-negotiate-conformance: cannot load the NTLM sibling\n");
        return EXIT_FAILURE;
    }
    return 0;
}

static const struct pc_driver negotiate_driver = {
    .package = "Negotiate",
    .module = "negotiate/.libs/negotiate.so",
    .setup = nego_siblings,
    .client = {"User", "DOMAIN", "Password"},
    .server = {NULL, NULL, NULL},
    .wrong = {"User", "DOMAIN", "not the password"},
    .target = "host/localhost",
    .isc_req = NEGO_ISC_REQ,
    .asc_req = NEGO_ASC_REQ,
    .expect.short_verify = SEC_E_BUFFER_TOO_SMALL, /* NTLM's answer, passed through */
    .layout = PH_LAYOUT_TOKEN,
    .shortest_first_token = 16, /* a raw NTLM NEGOTIATE in its old form */
    .acceptor_first = true,
    .selects = "NTLM",
    .optimistic = true,
};

int main(void)
{
    return pc_main(&negotiate_driver);
}
