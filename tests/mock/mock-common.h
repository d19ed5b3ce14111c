/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-common.h - the engine shared by the test packages in tests/mock.
 *
 * The engine implements up to MOCK_MAX_PACKAGES small but complete SSP/AP
 * packages: credentials, a three-message handshake (NEGOTIATE, CHALLENGE,
 * AUTHENTICATE) that completes with MappedContext, user-mode signing and
 * sealing with a per-context key, names from the package heaps, export and
 * import.  Each mock module describes its packages with struct
 * mock_pkg_desc and builds its SpLsaModeInitialize/SpUserModeInitialize
 * answer from the tables filled here, bending one thing per edge case.
 *
 * Everything the host passes in is recorded in the exported `mock_state`
 * (mock-state.h) so tests can check what reached the package.  Handles the
 * package issues are never reused, so a stale or foreign handle the host
 * passes down is always detected and counted as a violation.
 *
 * The mocks are compiled with -fvisibility=hidden: only the entry points
 * marked MOCK_EXPORT and mock_state are exported.
 */
#ifndef LIBSSPI_TESTS_MOCK_COMMON_H
#define LIBSSPI_TESTS_MOCK_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "mock-state.h"

#define MOCK_EXPORT __attribute__((visibility("default")))

struct mock_pkg_desc {
    const char16_t *name; /* may be NULL to test a nameless package */
    const char16_t *comment;
    uint32_t capabilities;
    uint16_t version;
    uint16_t rpcid;
    uint32_t max_token;
    NTSTATUS init_status; /* what SpInitialize returns */
};

extern MOCK_EXPORT struct mock_state mock_state;

/* Register the module's packages (copied by pointer; must stay valid).
 * Call from SpLsaModeInitialize and SpUserModeInitialize; idempotent. */
void mock_setup(const struct mock_pkg_desc *descs, uint32_t count);

/* What SpGetExtendedInformation(SecpkgGssInfo) of package `index` answers:
 * EncodedId `oid` (len bytes, at most 64; the class is not supported until
 * this is called), handed out from the LSA heap or, when `is_static`, from
 * static memory. */
void mock_set_oid(uint32_t index, const uint8_t *oid, uint32_t len, bool is_static);

/* Fill the version-1 members (through SetExtendedInformation) of an LSA
 * table for package `index`, plus SetContextAttributes when `with_v2`. */
void mock_fill_lsa_v1(uint32_t index, SECPKG_FUNCTION_TABLE *table, bool with_v2);

/* Fill the version-1 members (through ImportContext) of a user table. */
void mock_fill_user_v1(uint32_t index, SECPKG_USER_FUNCTION_TABLE *table);

/* Record a host misbehaviour (printf-style description). */
void mock_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* UTF-16 (n code units, or NUL-terminated if n is (size_t)-1) to UTF-8
 * into out[cap]; always NUL-terminates. */
void mock_utf16_to_utf8(const char16_t *s, size_t n, char *out, size_t cap);

/* If `text` (len bytes) is MOCK_STATUS_PREFIX + 8 hex digits, store the
 * status and return true. */
bool mock_parse_status(const char *text, size_t len, NTSTATUS *status);

/* Message helpers shared with the provider-shape mock. */
bool mock_desc_ok(const SecBufferDesc *d, const char *fn); /* violation if > 64 buffers */
SecBuffer *mock_desc_find(const SecBufferDesc *d, uint32_t type);
bool mock_message_status(const SecBufferDesc *d, NTSTATUS *status);
uint64_t mock_message_checksum(const SecBufferDesc *d, uint8_t key);
/* Trailer layout: tag[4] package-letter side pad[2] qop seq checksum[8] desc[8]. */
NTSTATUS mock_write_trailer(PSecBufferDesc d, const char tag[4], uint32_t idx, int side,
                            uint32_t qop, uint32_t seq, uint64_t sum);
NTSTATUS mock_check_trailer(PSecBufferDesc d, const char tag[4], uint32_t idx, uint32_t seq,
                            uint64_t sum, uint32_t *qop);
void mock_xor_data(PSecBufferDesc d, uint8_t key);

#endif
