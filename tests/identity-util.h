/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-util.h - helpers of the identity suites (check-identity,
 * check-sspi-identity): memory at chosen places (page ends followed by a
 * PROT_NONE page, fixed addresses), a fault-tolerant reader for the parser,
 * the real packages loaded from the build tree, and a handshake through the
 * public API.
 */
#ifndef LIBSSPI_TESTS_IDENTITY_UTIL_H
#define LIBSSPI_TESTS_IDENTITY_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"

/* Two pages: the first read-write, the second PROT_NONE.  it_page_end()
 * returns the address where the first ends (any read from there faults). */
void *it_guarded_pages(void);
uint8_t *it_page_end(void *pages);
void it_guarded_free(void *pages);

/* Copy `len` bytes of `n` bytes placed to end exactly at the guard page;
 * returns their address. */
void *it_at_page_end(void *pages, const void *data, size_t n);

/* One read-write page at exactly `addr` (MAP_FIXED_NOREPLACE); NULL when
 * the address is taken (sanitizer shadow, other mappings) or fixed
 * mappings are impossible (it_fixed_mappings: not under ThreadSanitizer). */
bool it_fixed_mappings(void);
void *it_map_fixed(uintptr_t addr);
void it_unmap(void *p);

/* Copy caller memory without faulting (process_vm_readv); false when it
 * cannot be read.  The parser's reader in the direct tests. */
bool it_safe_read(void *dst, const void *src, size_t len);

/* Load the real package `name` from src/packages/<dir>/.libs/<dir>.so
 * unless it is loaded; the NTLM acceptor reads tests/ntlm-users.txt
 * (NTLM_USER_FILE).  SEC_E_OK or AddSecurityPackageA's status. */
SECURITY_STATUS it_load_package(const char *dir, const char *name);

/* Run ISC/ASC (A forms, fixed buffers) until both sides complete, then one
 * sign/verify each way.  Deletes the contexts.  SEC_E_OK or the first
 * failure. */
SECURITY_STATUS it_handshake(const char *pkg, CredHandle *client, CredHandle *server);

/* The same, leaving both contexts open for the caller to use and delete. */
SECURITY_STATUS it_establish(const char *pkg, CredHandle *client, CredHandle *server,
                             CtxtHandle *cctx, CtxtHandle *sctx);

/* Inbound credential of `pkg` for the acceptor: NTLM takes the user file,
 * Sample the given identity. */
SECURITY_STATUS it_server_cred(const char *pkg, void *auth, CredHandle *out);

#endif
