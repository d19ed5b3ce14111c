/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-identity.h - the identity a package gets from
 * SpAcquireCredentialsHandle's AuthorizationData, parsed by the one
 * SEC_WINNT_AUTH_IDENTITY parser (src/common/identity.h): W, A, EXW, EXA
 * and EX2 recognised as Windows does (exact version and length), never by
 * guessing from contents.
 */
#ifndef LIBSSPI_PKG_IDENTITY_H
#define LIBSSPI_PKG_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <uchar.h>

#include "sspi.h"
#include "common/identity.h"

/*
 * The parsed identity.  Strings are NUL-terminated UTF-16 owned by the
 * struct (user/domain/password NULL when the structure gave none); the
 * password is wiped by pkg_identity_clear.
 */
struct pkg_identity {
    bool given;     /* AuthorizationData was not NULL and named someone */
    bool anonymous; /* given, and user, domain and password all empty */
    struct sspi_identity id;
};

/*
 * Parse `auth` (SpAcquireCredentialsHandle's AuthorizationData, may be
 * NULL).  An identity whose strings are all absent is "not given" (the
 * caller's default credentials), as is NULL.  With `split` a user name of
 * the form "DOMAIN\user" or "user@domain" given with no domain is split
 * into user and domain.
 * The caller's memory is read through the host's CopyFromClientBuffer, so
 * unreadable memory is SEC_E_INVALID_PARAMETER, not a fault.
 * Statuses: SEC_E_OK; SEC_E_INVALID_PARAMETER (malformed structure),
 * SEC_E_UNSUPPORTED_FUNCTION (EX2 with packed credentials that are not a
 * password, an encrypted identity), SEC_E_INSUFFICIENT_MEMORY.  *out is
 * the caller's to clear in every case.
 */
SECURITY_STATUS pkg_identity_parse(const void *auth, bool split, struct pkg_identity *out);

/* Wipe and free; NULL is ignored. */
void pkg_identity_clear(struct pkg_identity *id);

/* The string of a field, "" when absent. */
const char16_t *pkg_identity_str(const struct sspi_identity_str *s);

#endif
