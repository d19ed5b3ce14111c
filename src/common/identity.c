/*
 * identity.c - the one parser of SEC_WINNT_AUTH_IDENTITY structures (see
 * identity.h for the recognition rules).
 */
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "common/utf16.h"

/* EX2 layout (LP64 and ILP32 alike: no pointers). */
#define EX2_HEADER_MIN 48u /* sizeof(SEC_WINNT_AUTH_IDENTITY_EX2) */
/* SEC_WINNT_AUTH_PACKED_CREDENTIALS: cbHeaderLength u16, cbStructureLength
 * u16, AuthData { GUID CredType; { u32 ByteArrayOffset; u16
 * ByteArrayLength } }; offsets relative to the packed structure. */
#define PACKED_MIN 28u

/* SEC_WINNT_AUTH_DATA_TYPE_PASSWORD {28BFC32F-10F6-4738-98D1-1AC061DF716A},
 * as the GUID's in-memory bytes. */
static const uint8_t password_guid[16] = {0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                          0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a};

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
    return id->user.s != NULL && id->user.len == 0 && id->domain.s != NULL &&
           id->domain.len == 0 && id->password.s != NULL && id->password.len == 0;
}

/* Copy `units` UTF-16 code units (unaligned source allowed). */
static SECURITY_STATUS take_w(const void *p, size_t units, struct sspi_identity_str *out)
{
    char16_t *s;

    if (p == NULL)
        return units == 0 ? SEC_E_OK : SEC_E_INVALID_PARAMETER;
    if (units > SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    s = malloc((units + 1) * sizeof(char16_t));
    if (s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(s, p, units * sizeof(char16_t));
    s[units] = 0;
    out->s = s;
    out->len = units;
    return SEC_E_OK;
}

/* Copy `bytes` bytes of UTF-8, converting to UTF-16. */
static SECURITY_STATUS take_a(const void *p, size_t bytes, struct sspi_identity_str *out)
{
    size_t n = 0;
    char16_t *s;

    if (p == NULL)
        return bytes == 0 ? SEC_E_OK : SEC_E_INVALID_PARAMETER;
    if (bytes > 4 * (size_t)SSPI_IDENTITY_MAX_CHARS)
        return SEC_E_INVALID_PARAMETER;
    if (sspi_utf8_utf16_size(p, bytes) == (size_t)-1)
        return SEC_E_INVALID_PARAMETER;
    s = sspi_utf8_to_utf16(p, bytes, &n);
    if (s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (n > SSPI_IDENTITY_MAX_CHARS) {
        explicit_bzero(s, n * sizeof(char16_t));
        free(s);
        return SEC_E_INVALID_PARAMETER;
    }
    out->s = s;
    out->len = n;
    return SEC_E_OK;
}

static SECURITY_STATUS take(bool ansi, const void *p, uint32_t len, struct sspi_identity_str *out)
{
    return ansi ? take_a(p, len, out) : take_w(p, len, out);
}

static bool flags_ansi(uint32_t flags)
{
    return (flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE)) ==
           SEC_WINNT_AUTH_IDENTITY_ANSI;
}

static SECURITY_STATUS parse_ex(const void *auth, struct sspi_identity *out)
{
    SEC_WINNT_AUTH_IDENTITY_EXW w;
    bool ansi;
    SECURITY_STATUS st;

    /* EXA and EXW have the same layout; only the string units differ. */
    _Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_EXA) == sizeof(SEC_WINNT_AUTH_IDENTITY_EXW),
                   "EX layouts");
    memcpy(&w, auth, sizeof(w));
    ansi = flags_ansi(w.Flags);
    out->form = ansi ? SSPI_IDENTITY_EXA : SSPI_IDENTITY_EXW;
    out->flags = w.Flags & ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);
    if ((st = take(ansi, w.User, w.UserLength, &out->user)) != SEC_E_OK ||
        (st = take(ansi, w.Domain, w.DomainLength, &out->domain)) != SEC_E_OK ||
        (st = take(ansi, w.Password, w.PasswordLength, &out->password)) != SEC_E_OK ||
        (st = take(ansi, w.PackageList, w.PackageListLength, &out->package_list)) != SEC_E_OK)
        return st;
    return SEC_E_OK;
}

static SECURITY_STATUS parse_plain(const void *auth, struct sspi_identity *out)
{
    SEC_WINNT_AUTH_IDENTITY_W w;
    bool ansi;
    SECURITY_STATUS st;

    _Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_A) == sizeof(SEC_WINNT_AUTH_IDENTITY_W),
                   "plain layouts");
    memcpy(&w, auth, sizeof(w));
    ansi = flags_ansi(w.Flags);
    out->form = ansi ? SSPI_IDENTITY_A : SSPI_IDENTITY_W;
    out->flags = w.Flags & ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);
    if ((st = take(ansi, w.User, w.UserLength, &out->user)) != SEC_E_OK ||
        (st = take(ansi, w.Domain, w.DomainLength, &out->domain)) != SEC_E_OK ||
        (st = take(ansi, w.Password, w.PasswordLength, &out->password)) != SEC_E_OK)
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

/* A field of an EX2 blob of `total` bytes: `len` bytes at `off`, both
 * inside the blob; a zero length is an absent string. */
static SECURITY_STATUS ex2_field(const uint8_t *base, uint32_t total, bool ansi, uint32_t off,
                                 uint16_t len, struct sspi_identity_str *out)
{
    if (len == 0)
        return SEC_E_OK;
    if (off > total || len > total - off)
        return SEC_E_INVALID_PARAMETER;
    if (!ansi && (len & 1u) != 0)
        return SEC_E_INVALID_PARAMETER;
    return ansi ? take_a(base + off, len, out) : take_w(base + off, len / 2u, out);
}

/* The password inside SEC_WINNT_AUTH_PACKED_CREDENTIALS at base+off. */
static SECURITY_STATUS ex2_password(const uint8_t *base, uint32_t total, bool ansi, uint32_t off,
                                    uint16_t len, struct sspi_identity_str *out)
{
    const uint8_t *pc;
    uint16_t hdr, plen, dlen;
    uint32_t doff;

    if (len == 0)
        return SEC_E_OK;
    if (off > total || len > total - off || len < PACKED_MIN)
        return SEC_E_INVALID_PARAMETER;
    pc = base + off;
    hdr = rd16(pc);
    plen = rd16(pc + 2);
    if (hdr < PACKED_MIN || hdr > len || plen < hdr || plen > len)
        return SEC_E_INVALID_PARAMETER;
    if (memcmp(pc + 4, password_guid, sizeof(password_guid)) != 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    doff = rd32(pc + 20);
    dlen = rd16(pc + 24);
    return ex2_field(pc, plen, ansi, doff, dlen, out);
}

static SECURITY_STATUS parse_ex2(const void *auth, size_t max_size, struct sspi_identity *out)
{
    const uint8_t *p = auth;
    uint16_t hdr;
    uint32_t total, flags;
    bool ansi;
    SECURITY_STATUS st;

    if (max_size < 12)
        return SEC_E_INVALID_PARAMETER;
    hdr = rd16(p + 4);
    total = rd32(p + 8);
    if (hdr < EX2_HEADER_MIN || total < hdr || total > max_size)
        return SEC_E_INVALID_PARAMETER;
    flags = rd32(p + 36);
    ansi = flags_ansi(flags);
    out->form = SSPI_IDENTITY_EX2;
    out->flags = flags & ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);
    if ((st = ex2_field(p, total, ansi, rd32(p + 12), rd16(p + 16), &out->user)) != SEC_E_OK ||
        (st = ex2_field(p, total, ansi, rd32(p + 20), rd16(p + 24), &out->domain)) != SEC_E_OK ||
        (st = ex2_password(p, total, ansi, rd32(p + 28), rd16(p + 32), &out->password)) !=
            SEC_E_OK ||
        (st = ex2_field(p, total, ansi, rd32(p + 40), rd16(p + 44), &out->package_list)) !=
            SEC_E_OK)
        return st;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_identity_parse(const void *auth, size_t max_size,
                                    sspi_identity_decrypt_fn decrypt, struct sspi_identity *out)
{
    uint32_t version, length;
    SECURITY_STATUS st;

    memset(out, 0, sizeof(*out));
    if (auth == NULL)
        return SEC_E_OK;
    if (max_size < sizeof(uint32_t))
        return SEC_E_INVALID_PARAMETER;
    memcpy(&version, auth, sizeof(version));
    if (version == SEC_WINNT_AUTH_IDENTITY_VERSION_2) {
        st = parse_ex2(auth, max_size, out);
    } else {
        length = 0;
        if (max_size >= 2 * sizeof(uint32_t))
            memcpy(&length, (const uint8_t *)auth + 4, sizeof(length));
        if (version == SEC_WINNT_AUTH_IDENTITY_VERSION &&
            length == sizeof(SEC_WINNT_AUTH_IDENTITY_EXW) && max_size >= length)
            st = parse_ex(auth, out);
        else if (max_size >= sizeof(SEC_WINNT_AUTH_IDENTITY_W))
            st = parse_plain(auth, out);
        else
            st = SEC_E_INVALID_PARAMETER;
    }
    if (st == SEC_E_OK && (out->flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED) != 0 &&
        out->password.s != NULL) {
        st = decrypt != NULL ? decrypt(&out->password) : SEC_E_UNSUPPORTED_FUNCTION;
        if (st == SEC_E_OK)
            out->flags &= ~(uint32_t)SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    }
    if (st != SEC_E_OK)
        sspi_identity_clear(out);
    return st;
}
