/*
 * identity.h - the one parser of SEC_WINNT_AUTH_IDENTITY structures,
 * shared by the core (the Sspi* identity functions, AcquireCredentialsHandle)
 * and every package (through the package kit).
 *
 * Recognition follows Windows and never guesses from contents:
 *   - SEC_WINNT_AUTH_IDENTITY_EXW/EXA: Version == 0x200 and Length exactly
 *     sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) (72 on LP64); A or W by Flags.
 *   - SEC_WINNT_AUTH_IDENTITY_EX2: Version == 0x201; nothing is read past
 *     the first 8 bytes until cbStructureLength (bounded by the caller's
 *     `max_size`, when known) says the header is there, and no offset or
 *     length may point outside cbStructureLength.
 *   - otherwise SEC_WINNT_AUTH_IDENTITY_W, or _A when Flags has
 *     SEC_WINNT_AUTH_IDENTITY_ANSI and not _UNICODE.
 * A strings are UTF-8 (the A functions' character set).  Every string is
 * copied into a NUL-terminated UTF-16 buffer owned by the result; secrets
 * are wiped when it is cleared.
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

enum sspi_identity_form {
    SSPI_IDENTITY_NONE = 0, /* no structure (pAuthData NULL) */
    SSPI_IDENTITY_W,        /* SEC_WINNT_AUTH_IDENTITY_W */
    SSPI_IDENTITY_A,        /* SEC_WINNT_AUTH_IDENTITY_A */
    SSPI_IDENTITY_EXW,      /* SEC_WINNT_AUTH_IDENTITY_EXW */
    SSPI_IDENTITY_EXA,      /* SEC_WINNT_AUTH_IDENTITY_EXA */
    SSPI_IDENTITY_EX2,      /* SEC_WINNT_AUTH_IDENTITY_EX2 (packed) */
};

/* One string field.  `s` is NULL when the structure gave none (a NULL
 * pointer), else a NUL-terminated copy of `len` code units (may be 0). */
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

/*
 * Parse `auth` (may be NULL: form NONE, SEC_E_OK) into *out, which the
 * caller then owns and releases with sspi_identity_clear (also after a
 * failure).  `max_size` is how many bytes the caller knows to be readable at
 * `auth` (SIZE_MAX when unknown, as for AcquireCredentialsHandle); a
 * structure that does not fit is refused.
 * Statuses: SEC_E_OK; SEC_E_INVALID_PARAMETER for a malformed structure
 * (a length without a pointer, a string over SSPI_IDENTITY_MAX_CHARS,
 * invalid UTF-8 or UTF-16, an EX2 whose header, offsets or lengths do not
 * fit in cbStructureLength or `max_size`, odd UTF-16 byte lengths);
 * SEC_E_UNSUPPORTED_FUNCTION for an EX2 whose packed credentials are not a
 * password, or an identity encrypted by SspiEncryptAuthIdentity that
 * `decrypt` (may be NULL) cannot open; SEC_E_INSUFFICIENT_MEMORY.
 * Thread-safe; allocates with malloc().
 */
/* Decrypts a password field in place (it may replace and resize the
 * string; it must wipe what it frees).  SEC_E_OK or a failure status. */
typedef SECURITY_STATUS (*sspi_identity_decrypt_fn)(struct sspi_identity_str *password);
SECURITY_STATUS sspi_identity_parse(const void *auth, size_t max_size,
                                    sspi_identity_decrypt_fn decrypt, struct sspi_identity *out);

/* Wipe and free every string and reset *id to form NONE.  NULL is ignored. */
void sspi_identity_clear(struct sspi_identity *id);

/* True when every string field is absent (NULL), as in an identity that asks
 * for the caller's default credentials. */
bool sspi_identity_is_empty(const struct sspi_identity *id);

/* True when user, domain and password are all present and empty: the
 * anonymous (NULL session) identity. */
bool sspi_identity_is_anonymous(const struct sspi_identity *id);

#endif
