/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity.c - the one parser of SEC_WINNT_AUTH_IDENTITY structures (see
 * identity.h for the recognition rules).
 *
 * Every byte of the caller's structure is fetched through the source's
 * reader into memory of our own before it is looked at, so a fault-tolerant
 * reader makes the whole parse fault-tolerant.
 */
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "common/utf16.h"

#define CHARSET_BITS ((uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE))

/* Protection that only Windows can undo (DPAPI-style, per logon or system). */
#define FOREIGN_PROTECTION                                                                         \
    ((uint32_t)(SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED |                                   \
                SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED |                                     \
                SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_ENCRYPTED))

/* SEC_WINNT_AUTH_DATA_TYPE_PASSWORD {28BFC32F-10F6-4738-98D1-1AC061DF716A},
 * as the GUID's in-memory bytes. */
static const uint8_t password_guid[16] = {0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                          0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a};

static const struct sspi_identity_source default_source = {SIZE_MAX, NULL, NULL};

static bool fetch(const struct sspi_identity_source *src, void *dst, const void *p, size_t n)
{
    if (n == 0)
        return true;
    if (src->read != NULL)
        return src->read(dst, p, n);
    memcpy(dst, p, n);
    return true;
}

static void str_clear(struct sspi_identity_str *f)
{
    if (f->s != NULL) {
        explicit_bzero(f->s, (f->len + 1) * sizeof(char16_t));
        free(f->s);
    }
    f->s = NULL;
    f->len = 0;
}

void sspi_identity_clear(struct sspi_identity *id)
{
    if (id == NULL)
        return;
    str_clear(&id->user);
    str_clear(&id->domain);
    str_clear(&id->password);
    str_clear(&id->package_list);
    id->form = SSPI_IDENTITY_NONE;
    id->flags = 0;
}

bool sspi_identity_is_empty(const struct sspi_identity *id)
{
    return id->user.s == NULL && id->domain.s == NULL && id->password.s == NULL;
}

bool sspi_identity_is_anonymous(const struct sspi_identity *id)
{
    return id->user.s != NULL && id->user.len == 0 && id->domain.s != NULL && id->domain.len == 0 &&
           id->password.s != NULL && id->password.len == 0;
}

/* Copy `units` UTF-16 code units from caller memory (any alignment). */
static SECURITY_STATUS take_w(const struct sspi_identity_source *src, const void *p, size_t units,
                              struct sspi_identity_str *out)
{
    char16_t *s;

    if (p == NULL)
        return units == 0 ? SEC_E_OK : SEC_E_INVALID_PARAMETER;
    if (units > SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    s = malloc((units + 1) * sizeof(char16_t));
    if (s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (!fetch(src, s, p, units * sizeof(char16_t))) {
        explicit_bzero(s, (units + 1) * sizeof(char16_t));
        free(s);
        return SEC_E_INVALID_PARAMETER;
    }
    s[units] = 0;
    out->s = s;
    out->len = units;
    return SEC_E_OK;
}

/* Copy `bytes` bytes of UTF-8 from caller memory, converting to UTF-16. */
static SECURITY_STATUS take_a(const struct sspi_identity_source *src, const void *p, size_t bytes,
                              struct sspi_identity_str *out)
{
    size_t n = 0;
    char *raw;
    char16_t *s = NULL;
    SECURITY_STATUS st = SEC_E_INVALID_PARAMETER;

    if (p == NULL)
        return bytes == 0 ? SEC_E_OK : SEC_E_INVALID_PARAMETER;
    if (bytes > 3 * (size_t)SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    raw = malloc(bytes + 1);
    if (raw == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (fetch(src, raw, p, bytes) && sspi_utf8_utf16_size(raw, bytes) != (size_t)-1) {
        s = sspi_utf8_to_utf16(raw, bytes, &n);
        st = s == NULL ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_OK;
    }
    explicit_bzero(raw, bytes + 1);
    free(raw);
    if (st == SEC_E_OK && n > SSPI_IDENTITY_MAX_CHARS) {
        explicit_bzero(s, n * sizeof(char16_t));
        free(s);
        st = SEC_E_INVALID_PARAMETER;
    }
    if (st == SEC_E_OK) {
        out->s = s;
        out->len = n;
    }
    return st;
}

static SECURITY_STATUS take(const struct sspi_identity_source *src, bool ansi, const void *p,
                            uint32_t len, struct sspi_identity_str *out)
{
    return ansi ? take_a(src, p, len, out) : take_w(src, p, len, out);
}

/* Plain and EX forms: exactly one of ANSI and UNICODE. */
static SECURITY_STATUS charset(uint32_t flags, bool *ansi)
{
    switch (flags & CHARSET_BITS) {
    case SEC_WINNT_AUTH_IDENTITY_ANSI:
        *ansi = true;
        return SEC_E_OK;
    case SEC_WINNT_AUTH_IDENTITY_UNICODE:
        *ansi = false;
        return SEC_E_OK;
    default:
        return SEC_E_INVALID_PARAMETER;
    }
}

static SECURITY_STATUS parse_ex(const struct sspi_identity_source *src, const void *auth,
                                struct sspi_identity *out)
{
    SEC_WINNT_AUTH_IDENTITY_EXW w;
    bool ansi = false;
    SECURITY_STATUS st;

    /* EXA and EXW have the same layout; only the string units differ. */
    _Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_EXA) == SSPI_IDENTITY_EX_SIZE &&
                       sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) == SSPI_IDENTITY_EX_SIZE,
                   "EX layouts");
    if (src->max_size < sizeof(w) || !fetch(src, &w, auth, sizeof(w)))
        return SEC_E_INVALID_PARAMETER;
    if ((st = charset(w.Flags, &ansi)) != SEC_E_OK)
        return st;
    out->form = ansi ? SSPI_IDENTITY_EXA : SSPI_IDENTITY_EXW;
    out->flags = w.Flags & ~CHARSET_BITS;
    if ((st = take(src, ansi, w.User, w.UserLength, &out->user)) != SEC_E_OK ||
        (st = take(src, ansi, w.Domain, w.DomainLength, &out->domain)) != SEC_E_OK ||
        (st = take(src, ansi, w.Password, w.PasswordLength, &out->password)) != SEC_E_OK ||
        (st = take(src, ansi, w.PackageList, w.PackageListLength, &out->package_list)) != SEC_E_OK)
        return st;
    return SEC_E_OK;
}

static SECURITY_STATUS parse_plain(const struct sspi_identity_source *src, const void *auth,
                                   struct sspi_identity *out)
{
    SEC_WINNT_AUTH_IDENTITY_W w;
    bool ansi = false;
    SECURITY_STATUS st;

    _Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_A) == SSPI_IDENTITY_PLAIN_SIZE &&
                       sizeof(SEC_WINNT_AUTH_IDENTITY_W) == SSPI_IDENTITY_PLAIN_SIZE,
                   "plain layouts");
    if (src->max_size < sizeof(w) || !fetch(src, &w, auth, sizeof(w)))
        return SEC_E_INVALID_PARAMETER;
    if ((st = charset(w.Flags, &ansi)) != SEC_E_OK)
        return st;
    out->form = ansi ? SSPI_IDENTITY_A : SSPI_IDENTITY_W;
    out->flags = w.Flags & ~CHARSET_BITS;
    if ((st = take(src, ansi, w.User, w.UserLength, &out->user)) != SEC_E_OK ||
        (st = take(src, ansi, w.Domain, w.DomainLength, &out->domain)) != SEC_E_OK ||
        (st = take(src, ansi, w.Password, w.PasswordLength, &out->password)) != SEC_E_OK)
        return st;
    return SEC_E_OK;
}

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* The EX2 blob is in our memory from here on: plain memcpy reads. */
static const struct sspi_identity_source local_source = {SIZE_MAX, NULL, NULL};

/* A field of an EX2 blob of `total` bytes: `len` bytes at `off`, both
 * inside the blob.  A zero length is an absent string when the offset is 0
 * too, and a present, empty one otherwise (so "" survives a round trip). */
static SECURITY_STATUS ex2_field(const uint8_t *base, uint32_t total, bool ansi, uint32_t off,
                                 uint16_t len, struct sspi_identity_str *out)
{
    if (len == 0 && off == 0)
        return SEC_E_OK;
    if (off > total || len > total - off)
        return SEC_E_INVALID_PARAMETER;
    if (!ansi && (len & 1u) != 0)
        return SEC_E_INVALID_PARAMETER;
    return ansi ? take_a(&local_source, base + off, len, out)
                : take_w(&local_source, base + off, len / 2u, out);
}

/* The password inside SEC_WINNT_AUTH_PACKED_CREDENTIALS at base+off:
 * cbHeaderLength u16, cbStructureLength u16, AuthData { GUID CredType;
 * { u32 ByteArrayOffset; u16 ByteArrayLength } }, the byte array's offset
 * relative to the packed structure and inside its cbStructureLength. */
static SECURITY_STATUS ex2_password(const uint8_t *base, uint32_t total, bool ansi, uint32_t off,
                                    uint16_t len, struct sspi_identity_str *out)
{
    const uint8_t *pc;
    uint16_t hdr, plen;

    if (len == 0)
        return SEC_E_OK;
    if (off > total || len > total - off || len < SSPI_IDENTITY_PACKED_SIZE)
        return SEC_E_INVALID_PARAMETER;
    pc = base + off;
    hdr = rd16(pc);
    plen = rd16(pc + 2);
    if (hdr < SSPI_IDENTITY_PACKED_SIZE || plen < hdr || plen > len)
        return SEC_E_INVALID_PARAMETER;
    if (memcmp(pc + 4, password_guid, sizeof(password_guid)) != 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ex2_field(pc, plen, ansi, rd32(pc + 20), rd16(pc + 24), out);
}

static SECURITY_STATUS parse_ex2_blob(const uint8_t *p, uint32_t total, struct sspi_identity *out)
{
    uint32_t flags = rd32(p + 36);
    bool ansi;
    SECURITY_STATUS st;

    if ((flags & CHARSET_BITS) == CHARSET_BITS)
        return SEC_E_INVALID_PARAMETER;
    ansi = (flags & CHARSET_BITS) == SEC_WINNT_AUTH_IDENTITY_ANSI;
    out->form = SSPI_IDENTITY_EX2;
    out->flags = flags & ~CHARSET_BITS;
    if ((st = ex2_field(p, total, ansi, rd32(p + 12), rd16(p + 16), &out->user)) != SEC_E_OK ||
        (st = ex2_field(p, total, ansi, rd32(p + 20), rd16(p + 24), &out->domain)) != SEC_E_OK ||
        (st = ex2_password(p, total, ansi, rd32(p + 28), rd16(p + 32), &out->password)) !=
            SEC_E_OK ||
        (st = ex2_field(p, total, ansi, rd32(p + 40), rd16(p + 44), &out->package_list)) !=
            SEC_E_OK)
        return st;
    return SEC_E_OK;
}

/* Read the 12-byte EX2 prefix, then exactly cbStructureLength bytes. */
static SECURITY_STATUS parse_ex2(const struct sspi_identity_source *src, const void *auth,
                                 struct sspi_identity *out)
{
    uint8_t head[12];
    uint8_t *blob;
    uint16_t hdr;
    uint32_t total;
    SECURITY_STATUS st;

    if (src->max_size < sizeof(head) || !fetch(src, head, auth, sizeof(head)))
        return SEC_E_INVALID_PARAMETER;
    hdr = rd16(head + 4);
    total = rd32(head + 8);
    if (hdr < SSPI_IDENTITY_EX2_SIZE || total < hdr || total > src->max_size ||
        total > SSPI_IDENTITY_MAX_EX2)
        return SEC_E_INVALID_PARAMETER;
    blob = malloc(total);
    if (blob == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    st = fetch(src, blob, auth, total) ? parse_ex2_blob(blob, total, out) : SEC_E_INVALID_PARAMETER;
    explicit_bzero(blob, total);
    free(blob);
    return st;
}

/* The recognition rules, reading no more than max_size bytes. */
static enum sspi_identity_form classify(const struct sspi_identity_source *src, const void *auth)
{
    uint32_t head[2];

    if (auth == NULL || src->max_size < sizeof(head[0]) || !fetch(src, head, auth, sizeof(head[0])))
        return SSPI_IDENTITY_NONE;
    if (head[0] == SEC_WINNT_AUTH_IDENTITY_VERSION_2)
        return SSPI_IDENTITY_EX2;
    if (head[0] != SEC_WINNT_AUTH_IDENTITY_VERSION || src->max_size < sizeof(head) ||
        !fetch(src, &head[1], (const uint8_t *)auth + 4, sizeof(head[1])))
        return SSPI_IDENTITY_NONE;
    return head[1] == SSPI_IDENTITY_EX_SIZE ? SSPI_IDENTITY_EXW : SSPI_IDENTITY_NONE;
}

enum sspi_identity_form sspi_identity_classify(const void *auth, sspi_identity_read_fn read)
{
    struct sspi_identity_source src = {SIZE_MAX, read, NULL};

    return classify(&src, auth);
}

/* Decrypt a process-encrypted password; refuse protection we cannot undo. */
static SECURITY_STATUS unprotect(const struct sspi_identity_source *src, struct sspi_identity *out)
{
    SECURITY_STATUS st;

    if ((out->flags & FOREIGN_PROTECTION) != 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if ((out->flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED) == 0)
        return SEC_E_OK;
    if (out->password.s != NULL) {
        st = src->decrypt != NULL ? src->decrypt(&out->password) : SEC_E_UNSUPPORTED_FUNCTION;
        if (st != SEC_E_OK)
            return st;
    }
    out->flags &= ~(uint32_t)SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_identity_parse_from(const void *auth, const struct sspi_identity_source *src,
                                         struct sspi_identity *out)
{
    SECURITY_STATUS st;

    memset(out, 0, sizeof(*out));
    if (src == NULL)
        src = &default_source;
    if (auth == NULL)
        return SEC_E_OK;
    if (src->max_size < sizeof(uint32_t))
        return SEC_E_INVALID_PARAMETER;
    switch (classify(src, auth)) {
    case SSPI_IDENTITY_EX2:
        st = parse_ex2(src, auth, out);
        break;
    case SSPI_IDENTITY_EXW:
        st = parse_ex(src, auth, out);
        break;
    default:
        st = parse_plain(src, auth, out);
        break;
    }
    if (st == SEC_E_OK)
        st = unprotect(src, out);
    if (st != SEC_E_OK)
        sspi_identity_clear(out);
    return st;
}

SECURITY_STATUS sspi_identity_parse(const void *auth, size_t max_size,
                                    sspi_identity_decrypt_fn decrypt, struct sspi_identity *out)
{
    struct sspi_identity_source src = {max_size, NULL, decrypt};

    return sspi_identity_parse_from(auth, &src, out);
}
