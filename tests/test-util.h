/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-util.h - helpers shared by the core Check suites (check-loader,
 * check-handles, check-api, check-dispatch).
 *
 * Every suite runs with CK_FORK=yes (the default) and CK_FORK=no (valgrind),
 * so tests never assume a fresh library: packages are loaded on demand with
 * tu_ensure(), and scenarios that need their own configuration run in a
 * child process (fork + exec of the same program with "--scenario NAME"),
 * where the library reads LIBSSPI_CONFIG for the first time.
 *
 * tu_main() also points LIBSSPI_CONFIG at a base configuration it writes
 * (autoload = no, dropin_dir = none, check_permissions = no), so the suites
 * do not depend on the umask the build tree was created with.
 */
#ifndef LIBSSPI_TESTS_TEST_UTIL_H
#define LIBSSPI_TESTS_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <check.h>

#include "sspi.h"
#include "libsspi.h"
#include "mock/mock-identity.h"
#include "mock/mock-state.h"
#include "util/testutil.h"

/* No violation recorded by a mock module (NULL state is allowed: not loaded). */
#define ck_assert_no_violation(st)                                                                 \
    ck_assert_msg((st) == NULL || (st)->violations == 0, "mock recorded a host violation: %s",     \
                  (st) ? (st)->violation_text : "")

/* Checks inside a scenario child: print what failed and return 1. */
#define SC_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: scenario check failed: %s\n", __FILE__, __LINE__, #cond);      \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)
#define SC_STATUS(actual, expected)                                                                \
    do {                                                                                           \
        SECURITY_STATUS tu_a_ = (actual), tu_e_ = (expected);                                      \
        if (tu_a_ != tu_e_) {                                                                      \
            fprintf(stderr, "%s:%d: scenario check failed: %s: got %s, expected %s\n", __FILE__,   \
                    __LINE__, #actual, tu_status_str(tu_a_), tu_status_str(tu_e_));                \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

struct tu_scenario {
    const char *name;
    int (*run)(void); /* 0 on success */
};

/* Run the program: a scenario child when argv is "--scenario NAME",
 * otherwise the suite (CK_ENV fork mode).  Returns the exit status. */
int tu_main(int argc, char **argv, Suite *(*make_suite)(void), const struct tu_scenario *scenarios);

/* Absolute path of tests/mock/.libs/<name>.so (per-thread rotating buffers,
 * valid for the next 15 calls on the same thread). */
const char *tu_mock(const char *name);

/* The running test program's absolute path. */
const char *tu_self_path(void);

/* The per-run scratch directory (created by tu_main, removed at exit). */
const char *tu_tmpdir(void);

/* Write `text` to tu_tmpdir()/<name> with mode 0600; returns the path
 * (static rotating buffer like tu_mock) or NULL. */
const char *tu_write_file(const char *name, const char *text);

/* The same, readable by every user (mode 0644, the directory 0711): for
 * scenarios that drop their privileges (TU_DROP_TO). */
const char *tu_write_public(const char *name, const char *text);

/* Printf into a file of the scratch directory; returns its path. */
const char *tu_write_filef(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run scenario `name` in a child with LIBSSPI_CONFIG=config (NULL: the base
 * configuration) and the NULL-terminated "KEY=VALUE" environment additions
 * (TU_DROP_TO=<uid> runs it as that uid and gid, without groups).
 * Returns the child's exit status, or -1 if it died. */
int tu_run_scenario(const char *name, const char *config, ...) __attribute__((sentinel));

/* Make sure package `pkg` from mock module `mock` is loaded (AddSecurityPackageA
 * with the module path unless QuerySecurityPackageInfoA already finds it). */
SECURITY_STATUS tu_ensure(const char *mock, const char *pkg);

/* The mock_state of a mock module the library has loaded, else NULL. */
struct mock_state *tu_state(const char *mock);
/* The record of package `pkg` in that state, else NULL. */
struct mock_pkg_record *tu_record(const char *mock, const char *pkg);

/* The exported state of the MockIdentity package (tests/mock/mock-identity.c),
 * loaded on demand; NULL if it cannot be loaded. */
struct mock_identity_state *tu_identity_state(void);

/* A complete client/server pair of one package. */
struct tu_pair {
    CredHandle client_cred;
    CredHandle server_cred;
    CtxtHandle client;
    CtxtHandle server;
    bool same_client_handle; /* leg 2 of ISC kept the handle of leg 1 */
    bool same_server_handle; /* leg 2 of ASC kept the handle of leg 1 */
};

/* Acquire both credentials and run the mock three-message handshake with
 * the A entry points.  Returns SEC_E_OK or the first unexpected status
 * (everything acquired so far is then released). */
SECURITY_STATUS tu_pair_open(const char *pkg, struct tu_pair *p);
/* The same with the client's target name `target`. */
SECURITY_STATUS tu_pair_open_target(const char *pkg, const char *target, struct tu_pair *p);
/* Delete both contexts and free both credentials; returns the first
 * failure or SEC_E_OK. */
SECURITY_STATUS tu_pair_close(struct tu_pair *p);

/* Sign `msg` on `from` and verify it on `to` with the given QOP and
 * sequence number; returns the first failure. */
SECURITY_STATUS tu_sign_verify(CtxtHandle *from, CtxtHandle *to, uint32_t qop, uint32_t seq);

/* libsspi_query_packages entry whose Name equals `name` (case-insensitive)
 * or, when name is NULL, whose Module ends with `module_suffix`, not
 * loaded (Status != SEC_E_OK) if `failed`.  NULL if none. */
const LIBSSPI_PACKAGE_REPORT *tu_find_report(const LIBSSPI_PACKAGE_REPORT *r, uint32_t n,
                                             const char *name, const char *module_suffix,
                                             bool failed);

/* Is package `name` in EnumerateSecurityPackagesA? */
bool tu_enumerated(const char *name);

#endif
