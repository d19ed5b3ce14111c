/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-conformance.c - the NTLM package through the package
 * conformance battery (pkg-conformance.h).  The acceptor checks users
 * against tests/ntlm-users.txt (NTLM_USER_FILE).
 */
#include <stdio.h>
#include <stdlib.h>

#include "pkg-conformance.h"

#define NTLM_ISC_REQ                                                                               \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define NTLM_ASC_REQ                                                                               \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

static int ntlm_users(void)
{
    static char path[4096];
    const char *top = getenv("top_srcdir");

    snprintf(path, sizeof path, "%s/tests/ntlm-users.txt", top != NULL ? top : ".");
    setenv("NTLM_USER_FILE", path, 1);
    return 0;
}

static const struct pc_driver ntlm_driver = {
    .package = "NTLM",
    .module = "ntlm/.libs/ntlm.so",
    .setup = ntlm_users,
    .client = {"User", "DOMAIN", "Password"},
    .server = {NULL, NULL, NULL}, /* an acceptor needs no identity */
    .wrong = {"User", "DOMAIN", "not the password"},
    .target = "host/localhost",
    .isc_req = NTLM_ISC_REQ,
    .asc_req = NTLM_ASC_REQ,
    .expect.short_verify = SEC_E_BUFFER_TOO_SMALL, /* Windows' answer, as Wine's tests show */
    .layout = PH_LAYOUT_TOKEN,
    .shortest_first_token = 16, /* the old NEGOTIATE form: signature, type, flags */
};

int main(void)
{
    return pc_main(&ntlm_driver);
}
