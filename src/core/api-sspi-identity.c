/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-sspi-identity.c - the SspiCli identity functions: encoding strings
 * as an identity and back, copying, comparing, marshalling, sealing with
 * the process key, package exclusion, target host names and Credential
 * Manager preparation.
 *
 * The identities these functions return are SEC_WINNT_AUTH_IDENTITY_EX2
 * blocks of ours (identity-pack.c); every function that reads an identity
 * also takes the caller's own W/A/EXW/EXA/EX2, read with the shared parser
 * through fault-tolerant copies.  Strings and byte arrays returned are
 * ours too: SspiLocalFree frees them, SspiFreeAuthIdentity frees
 * identities; neither touches memory that is not ours.
 *
 * Status choices for bad input (all functions here):
 *   NULL identity or out pointer                 SEC_E_INVALID_PARAMETER
 *   SspiEncodeStringsAsAuthIdentity, no string   SEC_E_INVALID_TOKEN (as Windows)
 *   malformed or unreadable identity             the parser's status
 *                                                (SEC_E_INVALID_PARAMETER, ...)
 *   Encrypt/Decrypt of an identity not made here SEC_E_INVALID_PARAMETER
 *   SAME_LOGON / FOR_SYSTEM sealing              SEC_E_UNSUPPORTED_FUNCTION
 *   sealed by another process, or altered        SEC_E_DECRYPT_FAILURE
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/api-internal.h"
#include "core/identity-core.h"
#include "crypto/crypto.h"

#define ENCRYPTED_FLAGS                                                                            \
    ((uint32_t)(SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED |                                  \
                SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED |                                   \
                SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED |                                     \
                SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_ENCRYPTED))

/* ---- reading and making identities --------------------------------------- */

/* The Flags of any identity form, read without faulting; 0 if unreadable. */
static uint32_t identity_flags(const void *auth)
{
    size_t at;
    uint32_t flags = 0;

    switch (sspi_identity_classify(auth, sspi_client_read)) {
    case SSPI_IDENTITY_EX2:
        at = offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, Flags);
        break;
    case SSPI_IDENTITY_EXW:
        at = offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Flags);
        break;
    default:
        at = offsetof(SEC_WINNT_AUTH_IDENTITY_W, Flags);
        break;
    }
    if (auth == NULL || !sspi_client_read(&flags, (const uint8_t *)auth + at, sizeof(flags)))
        return 0;
    return flags;
}

/* Parse any identity form (opening a process-sealed password); *sealed
 * (may be NULL) says whether it was sealed, so copies can stay sealed. */
static SECURITY_STATUS read_identity(const void *auth, struct sspi_identity *id, bool *sealed)
{
    memset(id, 0, sizeof(*id));
    if (auth == NULL)
        return SEC_E_INVALID_PARAMETER;
    if (sealed != NULL)
        *sealed = (identity_flags(auth) & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED) != 0;
    return sspi_identity_parse_from(auth, &sspi_client_identity_source, id);
}

/* One of our EX2 blocks for `id`, sealed again when `seal`. */
static SECURITY_STATUS make_opaque(const struct sspi_identity *id, bool seal, void **out)
{
    void *blob = NULL;
    SECURITY_STATUS st = sspi_ex2_pack(id, id->flags, &blob);

    if (st == SEC_E_OK && seal)
        st = sspi_ex2_seal(blob);
    if (st != SEC_E_OK) {
        sspi_mem_free(blob);
        blob = NULL;
    }
    *out = blob;
    return st;
}

/* Copy a NUL-terminated API string argument into a field. */
static SECURITY_STATUS take_arg(const char16_t *s, struct sspi_identity_str *f)
{
    size_t n;

    if (s == NULL)
        return SEC_E_OK;
    n = sspi_utf16_len(s);
    if (n > SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    f->s = malloc((n + 1) * sizeof(char16_t));
    if (f->s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(f->s, s, (n + 1) * sizeof(char16_t));
    f->len = n;
    return SEC_E_OK;
}

/* A string of ours (SspiLocalFree) holding `n` units of `s`. */
static char16_t *our_string(const char16_t *s, size_t n)
{
    char16_t *d = sspi_mem_alloc((n + 1) * sizeof(char16_t));

    if (d != NULL && n != 0)
        memcpy(d, s, n * sizeof(char16_t));
    return d;
}

/* "DOMAIN\user", or "user" when there is no domain; ours. */
static char16_t *qualified_user(const struct sspi_identity *id)
{
    size_t d = id->domain.s != NULL ? id->domain.len : 0, u = id->user.len;
    char16_t *s = sspi_mem_alloc((d + 1 + u + 1) * sizeof(char16_t));

    if (s == NULL)
        return NULL;
    if (d != 0) {
        memcpy(s, id->domain.s, d * sizeof(char16_t));
        s[d++] = u'\\';
    }
    if (u != 0)
        memcpy(s + d, id->user.s, u * sizeof(char16_t));
    return s;
}

/* ---- encoding ------------------------------------------------------------ */

/*
 * SspiEncodeStringsAsAuthIdentity: an identity of ours for a user name, a
 * domain and a password (each may be NULL, not all three).  Free it with
 * SspiFreeAuthIdentity.  SEC_E_INVALID_TOKEN when all three are NULL (as
 * Windows; *ppAuthIdentity is then untouched), SEC_E_INVALID_PARAMETER for
 * a NULL ppAuthIdentity or a string over 32767 characters.
 */
SECURITY_STATUS SEC_ENTRY SspiEncodeStringsAsAuthIdentity(PCWSTR pszUserName, PCWSTR pszDomainName,
                                                          PCWSTR pszPackedCredentialsString,
                                                          PSEC_WINNT_AUTH_IDENTITY_OPAQUE *out)
{
    struct sspi_identity id = {0};
    SECURITY_STATUS st;

    if (pszUserName == NULL && pszDomainName == NULL && pszPackedCredentialsString == NULL)
        return SEC_E_INVALID_TOKEN;
    if (out == NULL)
        return SEC_E_INVALID_PARAMETER;
    id.form = SSPI_IDENTITY_EX2;
    if ((st = take_arg(pszUserName, &id.user)) == SEC_E_OK &&
        (st = take_arg(pszDomainName, &id.domain)) == SEC_E_OK &&
        (st = take_arg(pszPackedCredentialsString, &id.password)) == SEC_E_OK)
        st = make_opaque(&id, false, out);
    sspi_identity_clear(&id);
    return st;
}

/* Give *dst (when dst is not NULL) a copy of `f`, NULL when absent. */
static bool give_string(PCWSTR *dst, const struct sspi_identity_str *f)
{
    if (dst == NULL)
        return true;
    *dst = f->s != NULL ? our_string(f->s, f->len) : NULL;
    return f->s == NULL || *dst != NULL;
}

/*
 * SspiEncodeAuthIdentityAsStrings: the user name, domain and password of
 * any identity (a sealed password is opened) as strings freed with
 * SspiLocalFree; an absent one is NULL.  Any of the three out pointers may
 * be NULL.  SEC_E_INVALID_PARAMETER for a NULL identity.
 */
SECURITY_STATUS SEC_ENTRY
SspiEncodeAuthIdentityAsStrings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE pAuthIdentity, PCWSTR *ppszUserName,
                                PCWSTR *ppszDomainName, PCWSTR *ppszPackedCredentialsString)
{
    struct sspi_identity id;
    SECURITY_STATUS st = read_identity(pAuthIdentity, &id, NULL);

    if (st == SEC_E_OK) {
        PCWSTR u = NULL, d = NULL, p = NULL;

        if (give_string(&u, &id.user) && give_string(&d, &id.domain) &&
            give_string(&p, &id.password)) {
            if (ppszUserName != NULL)
                *ppszUserName = u;
            else
                sspi_mem_free((void *)u);
            if (ppszDomainName != NULL)
                *ppszDomainName = d;
            else
                sspi_mem_free((void *)d);
            if (ppszPackedCredentialsString != NULL)
                *ppszPackedCredentialsString = p;
            else
                sspi_mem_free((void *)p);
        } else {
            sspi_mem_free((void *)u);
            sspi_mem_free((void *)d);
            sspi_mem_free((void *)p);
            st = SEC_E_INSUFFICIENT_MEMORY;
        }
    }
    sspi_identity_clear(&id);
    return st;
}

/* SspiValidateAuthIdentity: SEC_E_OK when the parser reads the identity,
 * else its status. */
SECURITY_STATUS SEC_ENTRY SspiValidateAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    struct sspi_identity id;
    SECURITY_STATUS st = read_identity(AuthData, &id, NULL);

    sspi_identity_clear(&id);
    return st;
}

static SECURITY_STATUS copy_identity(const void *auth, void **copy)
{
    struct sspi_identity id;
    bool sealed = false;
    SECURITY_STATUS st;

    if (copy == NULL)
        return SEC_E_INVALID_PARAMETER;
    st = read_identity(auth, &id, &sealed);
    if (st == SEC_E_OK)
        st = make_opaque(&id, sealed, copy);
    sspi_identity_clear(&id);
    return st;
}

/* SspiCopyAuthIdentity: an identity of ours with the same contents (a
 * sealed one stays sealed).  Free it with SspiFreeAuthIdentity. */
SECURITY_STATUS SEC_ENTRY SspiCopyAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData,
                                               PSEC_WINNT_AUTH_IDENTITY_OPAQUE *AuthDataCopy)
{
    return copy_identity(AuthData, AuthDataCopy);
}

/* ---- freeing and zeroing --------------------------------------------------- */

/* SspiFreeAuthIdentity: wipe and free an identity of ours.  NULL and
 * memory that is not ours are ignored (never freed). */
void SEC_ENTRY SspiFreeAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    if (AuthData != NULL && !sspi_mem_free(AuthData))
        sspi_trace("SspiFreeAuthIdentity(%p): not an identity of ours; ignored", AuthData);
}

/* SspiLocalFree: wipe and free a string or byte array of ours. */
void SEC_ENTRY SspiLocalFree(void *DataBuffer)
{
    if (DataBuffer != NULL && !sspi_mem_free(DataBuffer))
        sspi_trace("SspiLocalFree(%p): not memory of ours; ignored", DataBuffer);
}

/* Write `len` zero bytes into caller memory at `p` (fault-tolerant). */
static void zero_caller(void *p, size_t len)
{
    static const uint8_t zeros[256];

    for (size_t done = 0; p != NULL && done < len;) {
        size_t n = len - done < sizeof(zeros) ? len - done : sizeof(zeros);

        if (!sspi_client_write((uint8_t *)p + done, zeros, n))
            return;
        done += n;
    }
}

/* Zero the password a pointer/length pair at `at` in a caller structure
 * describes, in units of `unit` bytes. */
static void zero_password_field(const uint8_t *auth, size_t ptr_at, size_t len_at, size_t unit)
{
    void *p = NULL;
    uint32_t n = 0;

    if (sspi_client_read(&p, auth + ptr_at, sizeof(p)) &&
        sspi_client_read(&n, auth + len_at, sizeof(n)) && n <= 4 * SSPI_IDENTITY_MAX_CHARS)
        zero_caller(p, (size_t)n * unit);
}

/*
 * SspiZeroAuthIdentity: zero an identity's memory.  Ours: the whole block.
 * A caller's EX2: its cbStructureLength bytes.  A caller's W/A/EXW/EXA:
 * the password characters (the strings are the caller's own buffers).
 * Memory that cannot be written is left alone.
 */
void SEC_ENTRY SspiZeroAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    size_t size = AuthData != NULL ? sspi_mem_size(AuthData) : 0;
    uint32_t total = 0, flags = identity_flags(AuthData);
    size_t unit = (flags & SEC_WINNT_AUTH_IDENTITY_ANSI) ? 1 : 2;

    if (size != 0) {
        explicit_bzero(AuthData, size);
        return;
    }
    switch (sspi_identity_classify(AuthData, sspi_client_read)) {
    case SSPI_IDENTITY_EX2:
        if (sspi_client_read(&total,
                             (uint8_t *)AuthData +
                                 offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, cbStructureLength),
                             sizeof(total)) &&
            total <= SSPI_IDENTITY_MAX_EX2)
            zero_caller(AuthData, total);
        break;
    case SSPI_IDENTITY_EXW:
        zero_password_field(AuthData, offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Password),
                            offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, PasswordLength), unit);
        break;
    default:
        if (AuthData != NULL)
            zero_password_field(AuthData, offsetof(SEC_WINNT_AUTH_IDENTITY_W, Password),
                                offsetof(SEC_WINNT_AUTH_IDENTITY_W, PasswordLength), unit);
        break;
    }
}

/* ---- sealing ---------------------------------------------------------------- */

/* SspiIsAuthIdentityEncrypted: TRUE when the identity's Flags say it is
 * sealed or protected (any form; FALSE for NULL or unreadable memory). */
BOOLEAN SEC_ENTRY SspiIsAuthIdentityEncrypted(PSEC_WINNT_AUTH_IDENTITY_OPAQUE EncryptedAuthData)
{
    return (identity_flags(EncryptedAuthData) & ENCRYPTED_FLAGS) != 0 ? TRUE : FALSE;
}

/* Seal (or open) an identity of ours after checking the options. */
static SECURITY_STATUS seal_with(uint32_t options, void *auth, bool seal)
{
    if (options == SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_LOGON ||
        options == SEC_WINNT_AUTH_IDENTITY_ENCRYPT_FOR_SYSTEM)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (options != SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS || auth == NULL)
        return SEC_E_INVALID_PARAMETER;
    return seal ? sspi_ex2_seal(auth) : sspi_ex2_unseal(auth);
}

/*
 * SspiEncryptAuthIdentityEx: seal the password of an identity of ours in
 * place with the process key (SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS:
 * it opens in this process only).  Sealing a sealed identity does nothing.
 * SEC_E_UNSUPPORTED_FUNCTION for SAME_LOGON and FOR_SYSTEM (there is no
 * logon-session or system key here), SEC_E_INVALID_PARAMETER for other
 * options or an identity these functions did not make.
 */
SECURITY_STATUS SEC_ENTRY SspiEncryptAuthIdentityEx(uint32_t Options,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    return seal_with(Options, AuthData, true);
}

/* SspiEncryptAuthIdentity: SspiEncryptAuthIdentityEx with SAME_PROCESS. */
SECURITY_STATUS SEC_ENTRY SspiEncryptAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    return seal_with(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS, AuthData, true);
}

/* SspiDecryptAuthIdentityEx: open a sealed identity of ours in place
 * (opening a clear one does nothing).  SEC_E_DECRYPT_FAILURE when it was
 * sealed by another process or altered; options as for sealing. */
SECURITY_STATUS SEC_ENTRY SspiDecryptAuthIdentityEx(uint32_t Options,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    return seal_with(Options, AuthData, false);
}

/* SspiDecryptAuthIdentity: SspiDecryptAuthIdentityEx with SAME_PROCESS. */
SECURITY_STATUS SEC_ENTRY SspiDecryptAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    return seal_with(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS, AuthData, false);
}

/* ---- comparing -------------------------------------------------------------- */

static char16_t fold(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? (char16_t)(c + (u'a' - u'A')) : c;
}

/* Case-insensitive (ASCII folding) equality; absent equals empty. */
static bool same_name(const struct sspi_identity_str *a, const struct sspi_identity_str *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++) {
        if (fold(a->s[i]) != fold(b->s[i]))
            return false;
    }
    return true;
}

/*
 * SspiCompareAuthIdentities: *SameSuppliedUser when user and domain match
 * (ASCII case-insensitively), *SameSuppliedIdentity when the password
 * matches too (compared in constant time).  Either identity may be NULL
 * (matches only NULL); either out pointer may be NULL.  Sealed identities
 * are opened for the comparison.  The parser's status for a malformed one.
 */
SECURITY_STATUS SEC_ENTRY SspiCompareAuthIdentities(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity1,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity2,
                                                    PBOOLEAN SameSuppliedUser,
                                                    PBOOLEAN SameSuppliedIdentity)
{
    struct sspi_identity a = {0}, b = {0};
    bool user = false, all = false;
    SECURITY_STATUS st = SEC_E_OK;

    if (AuthIdentity1 == NULL || AuthIdentity2 == NULL) {
        user = all = AuthIdentity1 == AuthIdentity2;
    } else if ((st = read_identity(AuthIdentity1, &a, NULL)) == SEC_E_OK &&
               (st = read_identity(AuthIdentity2, &b, NULL)) == SEC_E_OK) {
        user = same_name(&a.user, &b.user) && same_name(&a.domain, &b.domain);
        all = user && a.password.len == b.password.len &&
              crypto_memeq(a.password.s, b.password.s, a.password.len * sizeof(char16_t));
    }
    sspi_identity_clear(&a);
    sspi_identity_clear(&b);
    if (st != SEC_E_OK)
        return st;
    if (SameSuppliedUser != NULL)
        *SameSuppliedUser = user ? TRUE : FALSE;
    if (SameSuppliedIdentity != NULL)
        *SameSuppliedIdentity = all ? TRUE : FALSE;
    return SEC_E_OK;
}

/* ---- marshalling ------------------------------------------------------------ */

/*
 * SspiMarshalAuthIdentity: the identity as one EX2 byte array (a sealed
 * identity stays sealed, so its bytes open in this process only).  Free
 * the array with SspiLocalFree.
 */
SECURITY_STATUS SEC_ENTRY SspiMarshalAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                                  uint32_t *AuthIdentityLength,
                                                  char **AuthIdentityByteArray)
{
    void *blob = NULL;
    SECURITY_STATUS st;

    if (AuthIdentityLength == NULL || AuthIdentityByteArray == NULL)
        return SEC_E_INVALID_PARAMETER;
    st = copy_identity(AuthIdentity, &blob);
    if (st != SEC_E_OK)
        return st;
    *AuthIdentityLength = ((SEC_WINNT_AUTH_IDENTITY_EX2 *)blob)->cbStructureLength;
    *AuthIdentityByteArray = blob;
    return SEC_E_OK;
}

/*
 * SspiUnmarshalAuthIdentity: an identity of ours from an EX2 byte array of
 * AuthIdentityLength bytes; nothing outside them is read.  SEC_E_INVALID_PARAMETER
 * for a NULL array, a length below the EX2 header or an array that is not
 * an EX2 whose cbStructureLength fits in it.
 */
SECURITY_STATUS SEC_ENTRY SspiUnmarshalAuthIdentity(uint32_t AuthIdentityLength,
                                                    char *AuthIdentityByteArray,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity)
{
    struct sspi_identity_source src = sspi_client_identity_source;
    struct sspi_identity id;
    bool sealed;
    SECURITY_STATUS st;

    if (ppAuthIdentity == NULL || AuthIdentityByteArray == NULL ||
        AuthIdentityLength < SSPI_IDENTITY_EX2_SIZE ||
        sspi_identity_classify(AuthIdentityByteArray, sspi_client_read) != SSPI_IDENTITY_EX2)
        return SEC_E_INVALID_PARAMETER;
    sealed = (identity_flags(AuthIdentityByteArray) &
              SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED) != 0;
    src.max_size = AuthIdentityLength;
    st = sspi_identity_parse_from(AuthIdentityByteArray, &src, &id);
    if (st == SEC_E_OK)
        st = make_opaque(&id, sealed, ppAuthIdentity);
    sspi_identity_clear(&id);
    return st;
}

/* ---- package list --------------------------------------------------------------- */

/* Whether `item` (n units) names `pkg`, with or without a leading '!'. */
static bool names_package(const char16_t *item, size_t n, const char16_t *pkg, size_t plen)
{
    struct sspi_identity_str a = {(char16_t *)item, n}, b = {(char16_t *)pkg, plen};

    if (n > 0 && item[0] == u'!') {
        a.s++;
        a.len--;
    }
    return same_name(&a, &b);
}

/* The package list of `id` without any entry for `pkg`, plus "!pkg". */
static SECURITY_STATUS exclude(struct sspi_identity *id, const char16_t *pkg, size_t plen)
{
    const char16_t *old = id->package_list.s;
    size_t oldlen = old != NULL ? id->package_list.len : 0, n = 0;
    char16_t *list = malloc((oldlen + plen + 3) * sizeof(char16_t));

    if (list == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (size_t i = 0; i < oldlen;) {
        size_t j = i;

        while (j < oldlen && old[j] != u',')
            j++;
        if (j > i && !names_package(old + i, j - i, pkg, plen)) {
            memcpy(list + n, old + i, (j - i) * sizeof(char16_t));
            n += j - i;
            list[n++] = u',';
        }
        i = j + 1;
    }
    list[n++] = u'!';
    memcpy(list + n, pkg, plen * sizeof(char16_t));
    n += plen;
    list[n] = 0;
    if (old != NULL) {
        explicit_bzero(id->package_list.s, (oldlen + 1) * sizeof(char16_t));
        free(id->package_list.s);
    }
    id->package_list.s = list;
    id->package_list.len = n;
    return n > SSPI_IDENTITY_MAX_CHARS ? SEC_E_INVALID_PARAMETER : SEC_E_OK;
}

/*
 * SspiExcludePackage: a new identity of ours whose package list excludes
 * pszPackageName: any entry naming it is dropped and "!Name" appended (the
 * Negotiate package-list syntax).  SEC_E_INVALID_PARAMETER for a NULL or
 * empty name, or one holding ','.
 */
SECURITY_STATUS SEC_ENTRY SspiExcludePackage(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                             PCWSTR pszPackageName,
                                             PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppNewAuthIdentity)
{
    struct sspi_identity id;
    size_t plen = pszPackageName != NULL ? sspi_utf16_len(pszPackageName) : 0;
    bool sealed = false;
    SECURITY_STATUS st;

    if (ppNewAuthIdentity == NULL || plen == 0 || plen > SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    for (size_t i = 0; i < plen; i++) {
        if (pszPackageName[i] == u',')
            return SEC_E_INVALID_PARAMETER;
    }
    st = read_identity(AuthIdentity, &id, &sealed);
    if (st == SEC_E_OK)
        st = exclude(&id, pszPackageName, plen);
    if (st == SEC_E_OK)
        st = make_opaque(&id, sealed, ppNewAuthIdentity);
    sspi_identity_clear(&id);
    return st;
}

/* ---- target names and Credential Manager ----------------------------------------- */

/*
 * SspiGetTargetHostName: the host of a target name: the part after the
 * service class of an SPN ("HTTP/host.example.com:8080/x@REALM" gives
 * "host.example.com"), or the name itself up to a ':' port.  Freed with
 * SspiLocalFree.  SEC_E_INVALID_PARAMETER for NULL arguments or an empty
 * host.
 */
SECURITY_STATUS SEC_ENTRY SspiGetTargetHostName(PCWSTR pszTargetName, PWSTR *pszHostName)
{
    const char16_t *s = pszTargetName, *e;

    if (s == NULL || pszHostName == NULL)
        return SEC_E_INVALID_PARAMETER;
    for (e = s; *e != 0 && *e != u'/'; e++)
        ;
    if (*e == u'/')
        s = e + 1;
    for (e = s; *e != 0 && *e != u'/' && *e != u':' && *e != u'@'; e++)
        ;
    if (e == s || (size_t)(e - s) > SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    *pszHostName = our_string(s, (size_t)(e - s));
    return *pszHostName != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* The Credential Manager target: pszTargetName as given, or the qualified
 * user name when it is NULL.  Ours. */
static char16_t *credman_target(const struct sspi_identity *id, PCWSTR target)
{
    if (target == NULL)
        return qualified_user(id);
    return our_string(target, sspi_utf16_len(target));
}

/*
 * SspiPrepareForCredRead: CRED_TYPE_DOMAIN_PASSWORD and the target to pass
 * to CredRead (pszTargetName, or "DOMAIN\user" when it is NULL); the
 * target is freed with SspiLocalFree.
 */
SECURITY_STATUS SEC_ENTRY SspiPrepareForCredRead(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity,
                                                 PCWSTR pszTargetName,
                                                 uint32_t *pCredmanCredentialType,
                                                 PCWSTR *ppszCredmanTargetName)
{
    struct sspi_identity id;
    SECURITY_STATUS st;

    if (pCredmanCredentialType == NULL || ppszCredmanTargetName == NULL)
        return SEC_E_INVALID_PARAMETER;
    st = read_identity(AuthIdentity, &id, NULL);
    if (st == SEC_E_OK) {
        char16_t *t = credman_target(&id, pszTargetName);

        if (t == NULL) {
            st = SEC_E_INSUFFICIENT_MEMORY;
        } else {
            *pCredmanCredentialType = CRED_TYPE_DOMAIN_PASSWORD;
            *ppszCredmanTargetName = t;
        }
    }
    sspi_identity_clear(&id);
    return st;
}

/*
 * SspiPrepareForCredWrite: what CredWrite needs for the identity:
 * CRED_TYPE_DOMAIN_PASSWORD, the target (as for SspiPrepareForCredRead),
 * the user name ("DOMAIN\user" or "user") and the password as a blob of
 * UTF-16LE bytes without terminator (NULL and 0 without a password).
 * Every returned buffer is freed with SspiLocalFree; the blob holds the
 * clear password, so wipe it first.
 */
SECURITY_STATUS SEC_ENTRY SspiPrepareForCredWrite(
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity, PCWSTR pszTargetName,
    uint32_t *pCredmanCredentialType, PCWSTR *ppszCredmanTargetName, PCWSTR *ppszCredmanUserName,
    PUCHAR *ppCredentialBlob, uint32_t *pCredentialBlobSize)
{
    struct sspi_identity id;
    char16_t *target = NULL, *user = NULL;
    uint8_t *blob = NULL;
    size_t blob_len;
    SECURITY_STATUS st;

    if (pCredmanCredentialType == NULL || ppszCredmanTargetName == NULL ||
        ppszCredmanUserName == NULL || ppCredentialBlob == NULL || pCredentialBlobSize == NULL)
        return SEC_E_INVALID_PARAMETER;
    st = read_identity(AuthIdentity, &id, NULL);
    if (st != SEC_E_OK)
        goto out;
    blob_len = id.password.len * sizeof(char16_t);
    target = credman_target(&id, pszTargetName);
    user = qualified_user(&id);
    if (blob_len != 0 && (blob = sspi_mem_alloc(blob_len)) != NULL)
        memcpy(blob, id.password.s, blob_len);
    if (target == NULL || user == NULL || (blob_len != 0 && blob == NULL)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    *pCredmanCredentialType = CRED_TYPE_DOMAIN_PASSWORD;
    *ppszCredmanTargetName = target;
    *ppszCredmanUserName = user;
    *ppCredentialBlob = blob;
    *pCredentialBlobSize = (uint32_t)blob_len;
    target = user = NULL;
    blob = NULL;
out:
    sspi_mem_free(target);
    sspi_mem_free(user);
    sspi_mem_free(blob);
    sspi_identity_clear(&id);
    return st;
}

/* ---- prompting ------------------------------------------------------------------- */

/*
 * SspiIsPromptingNeeded: TRUE for the statuses (SECURITY_STATUS, NTSTATUS
 * or Win32 error) that mean the user's name or password was wrong, expired
 * or missing, so asking for other credentials may help.
 */
BOOLEAN SEC_ENTRY SspiIsPromptingNeeded(uint32_t ErrorOrNtStatus)
{
    static const uint32_t prompt[] = {
        0x8009030Cu, /* SEC_E_LOGON_DENIED */
        0x8009030Du, /* SEC_E_UNKNOWN_CREDENTIALS */
        0x8009030Eu, /* SEC_E_NO_CREDENTIALS */
        0xC000006Du, /* STATUS_LOGON_FAILURE */
        0xC0000064u, /* STATUS_NO_SUCH_USER */
        0xC000006Au, /* STATUS_WRONG_PASSWORD */
        0xC000006Eu, /* STATUS_ACCOUNT_RESTRICTION */
        0xC0000071u, /* STATUS_PASSWORD_EXPIRED */
        0xC0000072u, /* STATUS_ACCOUNT_DISABLED */
        0xC0000193u, /* STATUS_ACCOUNT_EXPIRED */
        0xC0000224u, /* STATUS_PASSWORD_MUST_CHANGE */
        0xC0000234u, /* STATUS_ACCOUNT_LOCKED_OUT */
        1326u,       /* ERROR_LOGON_FAILURE */
        1317u,       /* ERROR_NO_SUCH_USER */
        1323u,       /* ERROR_WRONG_PASSWORD */
        1327u,       /* ERROR_ACCOUNT_RESTRICTION */
        1330u,       /* ERROR_PASSWORD_EXPIRED */
        1331u,       /* ERROR_ACCOUNT_DISABLED */
        1793u,       /* ERROR_ACCOUNT_EXPIRED */
        1907u,       /* ERROR_PASSWORD_MUST_CHANGE */
        1909u,       /* ERROR_ACCOUNT_LOCKED_OUT */
    };

    for (size_t i = 0; i < sizeof(prompt) / sizeof(prompt[0]); i++) {
        if (prompt[i] == ErrorOrNtStatus)
            return TRUE;
    }
    return FALSE;
}
