/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-pack.c - identities the core builds: the EX2 blocks the Sspi*
 * functions hand out (one sspi_mem_alloc block, sealable in place) and the
 * EXW handed to packages (one malloc block, wiped on release).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/api-internal.h"
#include "core/identity-core.h"
#include "crypto/crypto.h"

#define PACKED_HDR   SSPI_IDENTITY_PACKED_SIZE
#define CHARSET_BITS ((uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE))

/* SEC_WINNT_AUTH_DATA_TYPE_PASSWORD as bytes (see identity.c). */
static const uint8_t password_guid[16] = {0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                          0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a};

_Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_EX2) == SSPI_IDENTITY_EX2_SIZE, "EX2 header");
_Static_assert(sizeof(SEC_WINNT_AUTH_PACKED_CREDENTIALS) == PACKED_HDR, "packed header");

static size_t bytes_of(const struct sspi_identity_str *f)
{
    return f->s != NULL ? f->len * sizeof(char16_t) : 0;
}

/* Place one string at *pos; an absent string gets offset 0, a present empty
 * one a non-zero offset and length 0 (see identity.c). */
static void put_field(uint8_t *base, size_t *pos, const struct sspi_identity_str *f, uint32_t *off,
                      uint16_t *len)
{
    size_t n = bytes_of(f);

    *off = f->s != NULL ? (uint32_t)*pos : 0;
    *len = (uint16_t)n;
    if (n != 0)
        memcpy(base + *pos, f->s, n);
    *pos += n;
}

SECURITY_STATUS sspi_ex2_pack(const struct sspi_identity *id, uint32_t flags, void **out)
{
    size_t u = bytes_of(&id->user), d = bytes_of(&id->domain), l = bytes_of(&id->package_list);
    size_t p = bytes_of(&id->password), packed = id->password.s != NULL ? PACKED_HDR + p : 0;
    size_t pos = SSPI_IDENTITY_EX2_SIZE;
    /* The packed credentials start 8-aligned, behind the strings. */
    size_t strings_end = pos + u + d + l, pc_at = (strings_end + 7) & ~(size_t)7;
    size_t total = packed != 0 ? pc_at + packed : strings_end;
    SEC_WINNT_AUTH_IDENTITY_EX2 *h;
    SEC_WINNT_AUTH_PACKED_CREDENTIALS pc;
    uint8_t *base;

    *out = NULL;
    if (u > UINT16_MAX || d > UINT16_MAX || l > UINT16_MAX || packed > UINT16_MAX)
        return SEC_E_INVALID_PARAMETER;
    base = sspi_mem_alloc(total + SSPI_SEAL_OVERHEAD);
    if (base == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    h = (SEC_WINNT_AUTH_IDENTITY_EX2 *)base;
    h->Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    h->cbHeaderLength = SSPI_IDENTITY_EX2_SIZE;
    h->cbStructureLength = (uint32_t)total;
    h->Flags = (flags & ~(CHARSET_BITS | SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED)) |
               SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED;
    put_field(base, &pos, &id->user, &h->UserOffset, &h->UserLength);
    put_field(base, &pos, &id->domain, &h->DomainOffset, &h->DomainLength);
    put_field(base, &pos, &id->package_list, &h->PackageListOffset, &h->PackageListLength);
    if (packed != 0) {
        memset(&pc, 0, sizeof(pc));
        pc.cbHeaderLength = PACKED_HDR;
        pc.cbStructureLength = (uint16_t)packed;
        memcpy(&pc.AuthData.CredType, password_guid, sizeof(password_guid));
        pc.AuthData.CredData.ByteArrayOffset = PACKED_HDR;
        pc.AuthData.CredData.ByteArrayLength = (uint16_t)p;
        h->PackedCredentialsOffset = (uint32_t)pc_at;
        h->PackedCredentialsLength = (uint16_t)packed;
        memcpy(base + pc_at, &pc, sizeof(pc));
        if (p != 0)
            memcpy(base + pc_at + PACKED_HDR, id->password.s, p);
    }
    *out = base;
    return SEC_E_OK;
}

bool sspi_ex2_is_ours(const void *p)
{
    size_t size = p != NULL ? sspi_mem_size(p) : 0;
    const SEC_WINNT_AUTH_IDENTITY_EX2 *h = p;

    size_t spare;

    if (size < SSPI_IDENTITY_EX2_SIZE + SSPI_SEAL_OVERHEAD)
        return false;
    /* A clear block keeps room to be sealed; a sealed one has used it. */
    spare = (h->Flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED) ? 0 : SSPI_SEAL_OVERHEAD;
    return h->Version == SEC_WINNT_AUTH_IDENTITY_VERSION_2 &&
           h->cbHeaderLength == SSPI_IDENTITY_EX2_SIZE &&
           (size_t)h->cbStructureLength + spare <= size;
}

/* Our block's packed credentials (at *at, copied into *pc: a foreign
 * blob need not align them), checked to be laid out as sspi_ex2_pack lays
 * them out (password last); *at is 0 when the block has no password. */
static SECURITY_STATUS our_packed(void *blob, size_t *at, SEC_WINNT_AUTH_PACKED_CREDENTIALS *pc)
{
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = blob;

    *at = 0;
    if (!sspi_ex2_is_ours(blob))
        return SEC_E_INVALID_PARAMETER;
    if (h->PackedCredentialsLength == 0)
        return SEC_E_OK;
    if (h->PackedCredentialsOffset < SSPI_IDENTITY_EX2_SIZE ||
        (size_t)h->PackedCredentialsOffset + h->PackedCredentialsLength != h->cbStructureLength ||
        h->PackedCredentialsLength < PACKED_HDR)
        return SEC_E_INVALID_PARAMETER;
    memcpy(pc, (uint8_t *)blob + h->PackedCredentialsOffset, sizeof(*pc));
    if (pc->cbHeaderLength != PACKED_HDR || pc->cbStructureLength != h->PackedCredentialsLength ||
        pc->AuthData.CredData.ByteArrayOffset != PACKED_HDR ||
        (size_t)PACKED_HDR + pc->AuthData.CredData.ByteArrayLength != pc->cbStructureLength)
        return SEC_E_INVALID_PARAMETER;
    *at = h->PackedCredentialsOffset;
    return SEC_E_OK;
}

/* Grow (delta > 0) or shrink every length that covers the password, and
 * store the packed header back at `at`. */
static void resize_password(void *blob, size_t at, SEC_WINNT_AUTH_PACKED_CREDENTIALS *pc, int delta)
{
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = blob;

    pc->AuthData.CredData.ByteArrayLength =
        (uint16_t)(pc->AuthData.CredData.ByteArrayLength + delta);
    pc->cbStructureLength = (uint16_t)(pc->cbStructureLength + delta);
    memcpy((uint8_t *)blob + at, pc, sizeof(*pc));
    h->PackedCredentialsLength = (uint16_t)(h->PackedCredentialsLength + delta);
    h->cbStructureLength = (uint32_t)((int64_t)h->cbStructureLength + delta);
}

SECURITY_STATUS sspi_ex2_seal(void *blob)
{
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = blob;
    SEC_WINNT_AUTH_PACKED_CREDENTIALS pc;
    size_t at;
    SECURITY_STATUS st = our_packed(blob, &at, &pc);

    if (st != SEC_E_OK)
        return st;
    if (h->Flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED)
        return SEC_E_OK;
    if (at != 0) {
        if ((size_t)pc.cbStructureLength + SSPI_SEAL_OVERHEAD > UINT16_MAX)
            return SEC_E_INVALID_PARAMETER;
        st = sspi_seal((uint8_t *)blob + at + PACKED_HDR, pc.AuthData.CredData.ByteArrayLength);
        if (st != SEC_E_OK)
            return st;
        resize_password(blob, at, &pc, (int)SSPI_SEAL_OVERHEAD);
    }
    h->Flags |= SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_ex2_unseal(void *blob)
{
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = blob;
    SEC_WINNT_AUTH_PACKED_CREDENTIALS pc;
    uint8_t *tmp, *bytes;
    size_t at, n, plain = 0;
    SECURITY_STATUS st = our_packed(blob, &at, &pc);

    if (st != SEC_E_OK)
        return st;
    if (!(h->Flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED))
        return SEC_E_OK;
    if (at != 0) {
        /* Opened in a copy, so a failure leaves the block as it was. */
        bytes = (uint8_t *)blob + at + PACKED_HDR;
        n = pc.AuthData.CredData.ByteArrayLength;
        tmp = malloc(n + 1);
        if (tmp == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(tmp, bytes, n);
        st = sspi_unseal(tmp, n, &plain);
        if (st == SEC_E_OK) {
            memcpy(bytes, tmp, plain);
            crypto_wipe(bytes + plain, n - plain);
            resize_password(blob, at, &pc, -(int)SSPI_SEAL_OVERHEAD);
        }
        crypto_wipe(tmp, n + 1);
        free(tmp);
        if (st != SEC_E_OK)
            return st;
    }
    h->Flags &= ~(uint32_t)SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    return SEC_E_OK;
}

/* ---- the EXW handed to packages ----------------------------------------- */

struct exw_block {
    size_t size; /* bytes from the start of the block */
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    char16_t data[];
};

/* Copy one string behind the header; absent stays NULL. */
static unsigned short *put_w(char16_t **pos, const struct sspi_identity_str *f, uint32_t *len)
{
    char16_t *s = *pos;

    *len = (uint32_t)f->len;
    if (f->s == NULL) {
        *len = 0;
        return NULL;
    }
    memcpy(s, f->s, f->len * sizeof(char16_t));
    s[f->len] = 0;
    *pos += f->len + 1;
    return (unsigned short *)s;
}

SEC_WINNT_AUTH_IDENTITY_EXW *sspi_exw_build(const struct sspi_identity *id)
{
    size_t units = id->user.len + id->domain.len + id->password.len + id->package_list.len + 4;
    size_t size = offsetof(struct exw_block, data) + units * sizeof(char16_t);
    struct exw_block *b = calloc(1, size);
    char16_t *pos;

    if (b == NULL)
        return NULL;
    b->size = size;
    pos = b->data;
    b->ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    b->ex.Length = sizeof(b->ex);
    b->ex.Flags = (id->flags & ~CHARSET_BITS) | SEC_WINNT_AUTH_IDENTITY_UNICODE;
    b->ex.User = put_w(&pos, &id->user, &b->ex.UserLength);
    b->ex.Domain = put_w(&pos, &id->domain, &b->ex.DomainLength);
    b->ex.Password = put_w(&pos, &id->password, &b->ex.PasswordLength);
    b->ex.PackageList = put_w(&pos, &id->package_list, &b->ex.PackageListLength);
    return &b->ex;
}

void sspi_exw_free(SEC_WINNT_AUTH_IDENTITY_EXW *ex)
{
    struct exw_block *b;

    if (ex == NULL)
        return;
    b = (struct exw_block *)((uint8_t *)ex - offsetof(struct exw_block, ex));
    crypto_wipe(b, b->size);
    free(b);
}
