/*
 * check-sample-conformance.c - the Sample package through the package
 * conformance battery (pkg-conformance.h).
 */
#include <stdlib.h>

#include "pkg-conformance.h"

#define SAMPLE_REQ                                                                                 \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)

/* A pre-shared key: both ends are given alice's password. */
static const struct pc_driver sample_driver = {
    .package = "Sample",
    .module = "sample/.libs/sample.so",
    .client = {"alice", "EXAMPLE", "secret"},
    .server = {"alice", "EXAMPLE", "secret"},
    .wrong = {"alice", "EXAMPLE", "not the secret"},
    .target = "host/server.example",
    .isc_req = SAMPLE_REQ,
    .asc_req = SAMPLE_REQ, /* the same bits for ASC_REQ_* up to CONNECTION */
    .denied = SEC_E_LOGON_DENIED,
    .bad_use = SEC_E_UNSUPPORTED_FUNCTION,
    .short_verify = SEC_E_INVALID_TOKEN,
    .layout = PH_LAYOUT_TOKEN,
    .no_key_info = true,
};

int main(void)
{
    SRunner *sr = srunner_create(pc_suite(&sample_driver));
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
