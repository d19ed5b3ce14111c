/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-sample-conformance.c - the Sample package through the package
 * conformance battery (pkg-conformance.h).
 */
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
    .expect.bad_use = SEC_E_UNSUPPORTED_FUNCTION,
    .layout = PH_LAYOUT_TOKEN,
    .unanswered = PC_ATTR_KEY_INFO,
};

int main(void)
{
    return pc_main(&sample_driver);
}
