/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-schannel-conformance.c - the Schannel package through the package
 * conformance battery (pkg-conformance.h), with its defaults (TLS 1.3,
 * session tickets).  Schannel takes no user identity: both ends acquire
 * with no AuthData; the server's certificate and the client's trusted root
 * come from the module's options (option.cert_file, option.ca_file) in a
 * configuration the setup hook writes, with certificates made at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pkg-conformance.h"
#include "tools/tool-pki.h"

static struct tool_pki pki;
static char conf[512];

static int schannel_setup(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    FILE *f;

    if (!tool_pki_make(&pki))
        return EXIT_FAILURE;
    snprintf(conf, sizeof(conf), "%s/conformance.conf", pki.dir);
    f = fopen(conf, "w");
    if (f == NULL)
        return EXIT_FAILURE;
    fprintf(f,
            "autoload = no\ndropin_dir = none\n[module]\nmodule = %s/schannel/.libs/schannel.so\n"
            "option.cert_file = %s\noption.ca_file = %s\n",
            dir ? dir : "src/packages", pki.server, pki.ca);
    fclose(f);
    setenv("LIBSSPI_CONFIG", conf, 1);
    return 0;
}

static void schannel_teardown(void)
{
    unlink(conf);
    tool_pki_remove(&pki);
}

static const struct pc_driver schannel_driver = {
    .package = "Schannel",
    .module = "schannel/.libs/schannel.so",
    .setup = schannel_setup,
    .teardown = schannel_teardown,
    .target = "localhost",
    .isc_req =
        ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_STREAM,
    .asc_req =
        ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_STREAM,
    .wrong_target = "another.example", /* the certificate names localhost */
    .expect =
        {
            .denied = SEC_E_WRONG_PRINCIPAL,
            .bad_use = SEC_E_NO_CREDENTIALS,
            .bad_auth_data = SEC_E_UNKNOWN_CREDENTIALS, /* read as a SCHANNEL_CRED */
            .altered = SEC_E_DECRYPT_FAILURE,
            .out_of_sequence = SEC_E_DECRYPT_FAILURE, /* TLS cannot tell the two apart */
            .after_refused = SEC_E_CONTEXT_EXPIRED,   /* a bad record ends the connection */
            .after_failed_leg = SEC_E_INVALID_HANDLE,
        },
    .layout = PH_LAYOUT_STREAM,
    .no_signatures = true,
    .no_export = true,
    .unanswered = PC_ATTR_CRED_NAMES | PC_ATTR_NAMES | PC_ATTR_LIFESPAN | PC_ATTR_SESSION_KEY,
};

int main(void)
{
    return pc_main(&schannel_driver);
}
