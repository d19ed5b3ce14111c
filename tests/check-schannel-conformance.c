/*
 * check-schannel-conformance.c - the Schannel package through the package
 * conformance battery (pkg-conformance.h).  Schannel takes no user
 * identity: both ends acquire with no AuthData, the server's certificate
 * and the client's trusted root come from the module's options
 * (option.cert_file, option.ca_file) in a configuration written by the
 * setup hook, with certificates made at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pkg-conformance.h"
#include "tools/tool-pki.h"

static struct tool_pki pki;
static char conf[512];

static void schannel_setup(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    FILE *f;

    if (!tool_pki_make(&pki))
        abort();
    snprintf(conf, sizeof(conf), "%s/conformance.conf", pki.dir);
    f = fopen(conf, "w");
    if (f == NULL)
        abort();
    fprintf(f,
            "autoload = no\ndropin_dir = none\n[module]\nmodule = %s/schannel/.libs/schannel.so\n"
            "option.cert_file = %s\noption.ca_file = %s\noption.session_tickets = no\n",
            dir ? dir : "src/packages", pki.server, pki.ca);
    fclose(f);
    setenv("LIBSSPI_CONFIG", conf, 1);
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
    .denied = SEC_E_OK, /* no identity to refuse: refusals are in check-schannel */
    .bad_use = SEC_E_NO_CREDENTIALS,
    .short_verify = SEC_E_UNSUPPORTED_FUNCTION,
    .layout = PH_LAYOUT_STREAM,
    .no_signatures = true,
    .no_export = true,
    .empty_input = true,
};

int main(void)
{
    SRunner *sr = srunner_create(pc_suite(&schannel_driver));
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
