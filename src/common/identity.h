/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity.h - the one parser of SEC_WINNT_AUTH_IDENTITY structures,
 * shared by the core (AcquireCredentialsHandle, AddCredentials, the Sspi*
 * identity functions) and every package.
 *
 * Recognition follows Windows and never guesses from contents beyond its
 * two exact tests:
 *   - SEC_WINNT_AUTH_IDENTITY_EX2: Version == 0x201.  Nothing past the
 *     first 12 bytes is read until cbStructureLength (bounded by the
 *     caller's `max_size`, when known) says it is there, and no offset or
 *     length may point outside cbStructureLength.
 *   - SEC_WINNT_AUTH_IDENTITY_EXW/EXA: Version == 0x200 and Length exactly
 *     sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) (72 on LP64).
 *   - anything else is SEC_WINNT_AUTH_IDENTITY_W/_A (48 bytes).
 * A plain identity whose User pointer is 0x00000048_00000200 therefore
 * reads as an EX header, exactly as on Windows; with a fault-tolerant
 * reader (struct sspi_identity_source.read) that costs a status, never a
 * crash.
 *
 * Character set: Flags must hold exactly one of SEC_WINNT_AUTH_IDENTITY_ANSI
 * and SEC_WINNT_AUTH_IDENTITY_UNICODE (EX2: ANSI alone means UTF-8, anything
 * else without ANSI is UTF-16).  A strings are UTF-8 and must be valid; W
 * strings are copied code unit for code unit, unpaired surrogates included,
 * as Windows passes them to its packages.  Every string is copied into a
 * NUL-terminated UTF-16 buffer owned by the result; secrets are wiped when
 * it is cleared.
 */
#ifndef LIBSSPI_COMMON_IDENTITY_H
#define LIBSSPI_COMMON_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"

/* Longest string accepted in any field, in code units (UNICODE_STRING's
 * limit); longer ones give SEC_E_INVALID_PARAMETER. */
#define SSPI_IDENTITY_MAX_CHARS 32767u

/* Largest EX2 cbStructureLength accepted (a header, four 64 KiB fields and
 * the packed-credentials header fit well inside). */
#define SSPI_IDENTITY_MAX_EX2 (1u << 20)

/* Sizes of the fixed parts (LP64). */
#define SSPI_IDENTITY_PLAIN_SIZE  48u /* SEC_WINNT_AUTH_IDENTITY_W/_A */
#define SSPI_IDENTITY_EX_SIZE     72u /* SEC_WINNT_AUTH_IDENTITY_EXW/_EXA */
#define SSPI_IDENTITY_EX2_SIZE    48u /* SEC_WINNT_AUTH_IDENTITY_EX2 header */
#define SSPI_IDENTITY_PACKED_SIZE 28u /* SEC_WINNT_AUTH_PACKED_CREDENTIALS */

enum sspi_identity_form {
    SSPI_IDENTITY_NONE = 0, /* no structure (pAuthData NULL) */
    SSPI_IDENTITY_W,        /* SEC_WINNT_AUTH_IDENTITY_W */
    SSPI_IDENTITY_A,        /* SEC_WINNT_AUTH_IDENTITY_A */
    SSPI_IDENTITY_EXW,      /* SEC_WINNT_AUTH_IDENTITY_EXW */
    SSPI_IDENTITY_EXA,      /* SEC_WINNT_AUTH_IDENTITY_EXA */
    SSPI_IDENTITY_EX2,      /* SEC_WINNT_AUTH_IDENTITY_EX2 (packed) */
};

/* One string field.  `s` is NULL when the structure gave none (a NULL
 * pointer, or a zero EX2 length), else a NUL-terminated copy of `len` code
 * units (may be 0). */
struct sspi_identity_str {
    char16_t *s;
    size_t len;
};

struct sspi_identity {
    enum sspi_identity_form form;
    uint32_t flags; /* the structure's Flags, ANSI/UNICODE bits cleared */
    struct sspi_identity_str user;
    struct sspi_identity_str domain;
    struct sspi_identity_str password;     /* wiped on clear */
    struct sspi_identity_str package_list; /* EX forms only */
};

/* Copy `len` bytes of caller memory at `src` to `dst`.  Returns false, with
 * dst contents unspecified, if any of them cannot be read.  A fault-tolerant
 * reader (the core's, or a package's LSA CopyFromClientBuffer) turns bad
 * pointers into SEC_E_INVALID_PARAMETER instead of a crash. */
typedef bool (*sspi_identity_read_fn)(void *dst, const void *src, size_t len);

/* Decrypts a password field in place (it may replace and resize the
 * string; it must wipe what it frees).  SEC_E_OK or a failure status.  The
 * field holds the raw bytes of the encrypted blob, as UTF-16 units. */
typedef SECURITY_STATUS (*sspi_identity_decrypt_fn)(struct sspi_identity_str *password);

/* Where an identity comes from. */
struct sspi_identity_source {
    size_t max_size;                  /* bytes readable at the structure; SIZE_MAX if unknown */
    sspi_identity_read_fn read;       /* NULL: plain memcpy */
    sspi_identity_decrypt_fn decrypt; /* NULL: encrypted identities are refused */
};

/*
 * Parse `auth` (may be NULL: form NONE, SEC_E_OK) into *out, which the
 * caller then owns and releases with sspi_identity_clear (also after a
 * failure; *out is then already clear).  `src` may be NULL (unknown size,
 * memcpy, no decryption).
 * Statuses: SEC_E_OK; SEC_E_INVALID_PARAMETER for a malformed structure
 * (unreadable memory, a length without a pointer, a string over
 * SSPI_IDENTITY_MAX_CHARS, invalid UTF-8, an odd UTF-16 byte length, Flags
 * with both or (plain and EX forms) neither of ANSI and UNICODE, an EX2
 * whose header, offsets or lengths do not fit in cbStructureLength or
 * `max_size`); SEC_E_UNSUPPORTED_FUNCTION for an EX2 whose packed
 * credentials are not a password, an identity protected for the system or
 * the logon session, or a process-encrypted one `decrypt` cannot open;
 * SEC_E_INSUFFICIENT_MEMORY.  Thread-safe; allocates with malloc().
 */
SECURITY_STATUS sspi_identity_parse_from(const void *auth, const struct sspi_identity_source *src,
                                         struct sspi_identity *out);

/* sspi_identity_parse_from with memcpy reads. */
SECURITY_STATUS sspi_identity_parse(const void *auth, size_t max_size,
                                    sspi_identity_decrypt_fn decrypt, struct sspi_identity *out);

/*
 * The form `auth` has by the recognition rules, reading at most its first
 * 8 bytes through `read` (NULL: memcpy): SSPI_IDENTITY_EX2, SSPI_IDENTITY_EXW
 * (an EX header; EXA and EXW are told apart only by Flags), or
 * SSPI_IDENTITY_NONE for anything else, including memory that cannot be
 * read and structures of other types.  Reads nothing for NULL.
 */
enum sspi_identity_form sspi_identity_classify(const void *auth, sspi_identity_read_fn read);

/* Wipe and free every string and reset *id to form NONE.  NULL is ignored. */
void sspi_identity_clear(struct sspi_identity *id);

/* True when every string field is absent (NULL), as in an identity that asks
 * for the caller's default credentials. */
bool sspi_identity_is_empty(const struct sspi_identity *id);

/* True when user, domain and password are all present and empty: the
 * anonymous (NULL session) identity. */
bool sspi_identity_is_anonymous(const struct sspi_identity *id);

#endif
