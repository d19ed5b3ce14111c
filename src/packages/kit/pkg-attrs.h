/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-attrs.h - the context attributes every package answers the same way,
 * from plain data the package fills in (struct pkg_attr_data).
 *
 * A package's QueryContextAttributes answers its own attributes first and
 * passes the rest to pkg_attr_query (or the other way round: the kit
 * returns SEC_E_UNSUPPORTED_FUNCTION for what it does not answer).
 *
 * Answered here:
 *   SECPKG_ATTR_SIZES             max_token from the descriptor, the rest
 *                                 from `sizes`
 *   SECPKG_ATTR_STREAM_SIZES      `stream_sizes`, when set
 *   SECPKG_ATTR_NAMES             "DOMAIN\user" (or "user")
 *   SECPKG_ATTR_NATIVE_NAMES      client "DOMAIN\user", server `server`
 *   SECPKG_ATTR_PACKAGE_INFO      the descriptor, one block
 *   SECPKG_ATTR_NEGOTIATION_INFO  the descriptor, one block, and
 *                                 SECPKG_NEGOTIATION_COMPLETE when
 *                                 `complete`, else _IN_PROGRESS
 *   SECPKG_ATTR_FLAGS             `flags` (ISC_RET_* / ASC_RET_*)
 *   SECPKG_ATTR_LIFESPAN          `start`, `expiry` (FILETIME)
 *   SECPKG_ATTR_SESSION_KEY       a copy of `session_key`
 *   SECPKG_ATTR_KEY_INFO          `key_info`
 *   SECPKG_ATTR_DCE_INFO          `dce_authz_svc`, pPac NULL, when
 *                                 `dce_info` is set
 * Memory for strings, keys and package-info blocks comes from the host
 * allocator of `mode` (pkg-entry.h) and is freed by the caller with
 * FreeContextBuffer; a package-info block holds its strings, so one
 * FreeContextBuffer releases it.  Nothing is left allocated on failure.
 *
 * Statuses: SEC_E_OK; STATUS_INVALID_PARAMETER for a NULL buffer;
 * SEC_E_INVALID_HANDLE for NAMES/NATIVE_NAMES before the user is known,
 * SESSION_KEY/KEY_INFO before the keys are (the field is NULL and the
 * context is not complete); SEC_E_INSUFFICIENT_MEMORY;
 * SEC_E_UNSUPPORTED_FUNCTION for SESSION_KEY/KEY_INFO of a complete
 * context without them, and for anything else.
 */
#ifndef LIBSSPI_PKG_ATTRS_H
#define LIBSSPI_PKG_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"
#include "packages/kit/pkg-entry.h"

/* A counted UTF-16 string (no NUL needed); s NULL = not known. */
struct pkg_str16 {
    const char16_t *s;
    size_t len;
};

/* SECPKG_ATTR_KEY_INFO. */
struct pkg_key_info {
    const char16_t *signature_name; /* e.g. u"HMAC-MD5" */
    const char16_t *encrypt_name;   /* e.g. u"RSADSI RC4" */
    uint32_t key_size;              /* bits */
    uint32_t signature_algorithm;
    uint32_t encrypt_algorithm; /* CALG_* */
};

struct pkg_attr_data {
    const struct pkg_descriptor *pkg;                     /* required */
    bool complete;                                        /* the handshake is over */
    uint32_t max_signature, block_size, security_trailer; /* SIZES */
    const SecPkgContext_StreamSizes *stream_sizes;        /* or NULL */
    uint32_t flags;                                       /* FLAGS */
    int64_t start, expiry;                                /* LIFESPAN */
    struct pkg_str16 user, domain;                        /* the client's names */
    struct pkg_str16 server;                              /* NATIVE_NAMES server (target) */
    const uint8_t *session_key;                           /* NULL before completion */
    size_t session_key_len;
    const struct pkg_key_info *key_info; /* NULL before completion */
    bool dce_info;
    uint32_t dce_authz_svc;
};

/* Answer `attr` into `buffer` from `d`; statuses as above. */
NTSTATUS pkg_attr_query(const struct pkg_attr_data *d, ULONG attr, void *buffer,
                        enum pkg_mode mode);

/* "DOMAIN\user", or "user" when the domain is empty, NUL-terminated, from
 * the allocator of `mode`; NULL if out of memory or the user is not known. */
char16_t *pkg_join_name(enum pkg_mode mode, struct pkg_str16 domain, struct pkg_str16 user);

/* A SecPkgInfoW block for `pkg` (strings inside the block) from the
 * allocator of `mode`, or NULL. */
PSecPkgInfoW pkg_info_block(enum pkg_mode mode, const struct pkg_descriptor *pkg);

/* SpQueryCredentialsAttributes(SECPKG_CRED_ATTR_NAMES) for a credential
 * naming `domain`\`user`: "DOMAIN\user" from AllocateLsaHeap.
 * STATUS_INVALID_PARAMETER (NULL buffer), SEC_E_NO_CREDENTIALS (no user),
 * SEC_E_INSUFFICIENT_MEMORY. */
NTSTATUS pkg_cred_names(struct pkg_str16 domain, struct pkg_str16 user, void *buffer);

#endif
