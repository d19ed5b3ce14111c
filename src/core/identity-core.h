/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-core.h - what the core does with identities: fault-tolerant
 * reads of caller memory (client-memory.c), the process key of
 * SspiEncryptAuthIdentity (identity-key.c), the EX2 blocks the Sspi*
 * functions hand out and the EXW the core hands packages
 * (identity-pack.c), and the normalisation of AcquireCredentialsHandle's
 * pAuthData (identity-in.c).  Private to libsspi.la.
 */
#ifndef LIBSSPI_CORE_IDENTITY_CORE_H
#define LIBSSPI_CORE_IDENTITY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/identity.h"
#include "core/core.h"

/* ---- client-memory.c --------------------------------------------------- */

/*
 * Copy `len` bytes of caller memory at `src` into `dst` (ours) without
 * faulting: false if any byte cannot be read (unmapped, PROT_NONE), as
 * LSA's CopyFromClientBuffer reports STATUS_ACCESS_VIOLATION on Windows.
 * Uses process_vm_readv on the own process, or a pipe where that system
 * call is not permitted.  Thread-safe; no allocation.
 */
SSPI_HIDDEN bool sspi_client_read(void *dst, const void *src, size_t len);

/* Copy `len` bytes of ours at `src` into caller memory at `dst` without
 * faulting: false if any byte cannot be written. */
SSPI_HIDDEN bool sspi_client_write(void *dst, const void *src, size_t len);

/* The parser's source for caller memory of unknown size: fault-tolerant
 * reads, process-encrypted passwords opened with the process key. */
SSPI_HIDDEN extern const struct sspi_identity_source sspi_client_identity_source;

/* ---- identity-key.c ---------------------------------------------------- */

/* Bytes sealing adds: a 12-byte nonce in front, a 16-byte tag behind. */
#define SSPI_SEAL_OVERHEAD 28u

/*
 * Seal `len` bytes at buf in place with the process key (AES-256-GCM,
 * random nonce): buf must hold len + SSPI_SEAL_OVERHEAD bytes and receives
 * nonce || ciphertext || tag.  The key is made from getrandom() on first
 * use and never leaves the process.  SEC_E_OK, or SEC_E_INTERNAL_ERROR if
 * the kernel gives no random bytes.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_seal(uint8_t *buf, size_t len);

/* Open `len` sealed bytes at buf in place: on SEC_E_OK the plaintext is at
 * buf and *plain_len = len - SSPI_SEAL_OVERHEAD; SEC_E_DECRYPT_FAILURE if
 * the tag does not match (sealed by another process, or altered) or `len`
 * is too short.  Constant-time tag check; the plaintext is wiped on failure. */
SSPI_HIDDEN SECURITY_STATUS sspi_unseal(uint8_t *buf, size_t len, size_t *plain_len);

/* The parser's decrypt callback: a field holding a sealed blob (as UTF-16
 * units) becomes the password it seals. */
SSPI_HIDDEN SECURITY_STATUS sspi_identity_unseal_field(struct sspi_identity_str *password);

/* ---- identity-pack.c --------------------------------------------------- */

/*
 * An SEC_WINNT_AUTH_IDENTITY_EX2 block of ours (sspi_mem_alloc, so
 * SspiFreeAuthIdentity and SspiLocalFree recognise it), UTF-16, laid out as
 * header, user, domain, package list, SEC_WINNT_AUTH_PACKED_CREDENTIALS and
 * the password last, with SSPI_SEAL_OVERHEAD spare bytes behind it so it
 * can be sealed in place.  `flags` are added to UNICODE | MARSHALLED
 * (charset and encryption bits are ignored).  Absent strings stay absent.
 * SEC_E_OK; SEC_E_INVALID_PARAMETER when a string does not fit the
 * 16-bit EX2 lengths; SEC_E_INSUFFICIENT_MEMORY.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_ex2_pack(const struct sspi_identity *id, uint32_t flags,
                                          void **out);

/* Whether `p` is a live EX2 block made by sspi_ex2_pack. */
SSPI_HIDDEN bool sspi_ex2_is_ours(const void *p);

/* Seal / open the password of one of our EX2 blocks in place and set /
 * clear SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED.  Sealing an
 * encrypted block or opening a clear one is a no-op (SEC_E_OK).
 * SEC_E_INVALID_PARAMETER if the block is not ours or the sealed password
 * would not fit; SEC_E_DECRYPT_FAILURE from sspi_unseal. */
SSPI_HIDDEN SECURITY_STATUS sspi_ex2_seal(void *blob);
SSPI_HIDDEN SECURITY_STATUS sspi_ex2_unseal(void *blob);

/*
 * A SEC_WINNT_AUTH_IDENTITY_EXW built from `id` (UTF-16, UNICODE flag,
 * `id->flags` otherwise kept) in one malloc() block with its strings.  The
 * pointer handed to packages; release with sspi_exw_free (wipes it).
 * NULL when out of memory.
 */
SSPI_HIDDEN SEC_WINNT_AUTH_IDENTITY_EXW *sspi_exw_build(const struct sspi_identity *id);
SSPI_HIDDEN void sspi_exw_free(SEC_WINNT_AUTH_IDENTITY_EXW *ex);

/* ---- identity-in.c ----------------------------------------------------- */

/*
 * What an SSP/AP package receives for `auth` (AcquireCredentialsHandle and
 * AddCredentials): the versioned forms (EX by exact Version and Length,
 * EX2 by Version, read only inside cbStructureLength) become an EXW the
 * core built (*built, release with sspi_exw_free); everything else is
 * handed on untouched (*pkg_auth = auth, *built = NULL), because only the
 * package knows what it is.  Statuses: SEC_E_OK, or the parser's status
 * for a malformed versioned identity.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_identity_for_package(void *auth, void **pkg_auth,
                                                      SEC_WINNT_AUTH_IDENTITY_EXW **built);

#endif
