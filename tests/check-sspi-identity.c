/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-sspi-identity.c - the SspiCli identity functions through the
 * public API: encoding, copying, zeroing and freeing, sealing with the
 * process key, comparing, marshalling, package exclusion, target host
 * names and Credential Manager preparation, with their Windows statuses.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/identity.h"
#include "identity-util.h"
#include "test-util.h"

#define OPAQUE_GARBAGE ((PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef)

static size_t wlen(const char16_t *s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return n;
}

static void ck_wstr(PCWSTR got, const char16_t *want)
{
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(wlen(got), wlen(want));
    ck_assert_int_eq(memcmp(got, want, wlen(want) * 2), 0);
}

/* The user, domain and password of any identity, via the public API. */
static void ck_strings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE id, const char16_t *u, const char16_t *d,
                       const char16_t *p)
{
    PCWSTR gu = OPAQUE_GARBAGE, gd = OPAQUE_GARBAGE, gp = OPAQUE_GARBAGE;

    ck_assert_status(SspiEncodeAuthIdentityAsStrings(id, &gu, &gd, &gp), SEC_E_OK);
    if (u != NULL)
        ck_wstr(gu, u);
    else
        ck_assert_ptr_null(gu);
    if (d != NULL)
        ck_wstr(gd, d);
    else
        ck_assert_ptr_null(gd);
    if (p != NULL)
        ck_wstr(gp, p);
    else
        ck_assert_ptr_null(gp);
    SspiLocalFree((void *)gu);
    SspiLocalFree((void *)gd);
    SspiLocalFree((void *)gp);
}

/* Parse one of our EX2 blocks within its cbStructureLength. */
static void parse_ours(PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque, struct sspi_identity *id)
{
    const SEC_WINNT_AUTH_IDENTITY_EX2 *h = opaque;
    struct sspi_identity_source src = {h->cbStructureLength, NULL, NULL};

    ck_assert_uint_eq(h->Version, SEC_WINNT_AUTH_IDENTITY_VERSION_2);
    ck_assert_status(sspi_identity_parse_from(opaque, &src, id), SEC_E_OK);
}

/* ---- encoding ------------------------------------------------------------------ */

START_TEST(test_encode_strings)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = OPAQUE_GARBAGE;
    const SEC_WINNT_AUTH_IDENTITY_EX2 *h;

    /* As Windows: no string at all is SEC_E_INVALID_TOKEN, out untouched. */
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, NULL, NULL), SEC_E_INVALID_TOKEN);
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, NULL, &id), SEC_E_INVALID_TOKEN);
    ck_assert_ptr_eq(id, OPAQUE_GARBAGE);
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"u", NULL, NULL, NULL),
                     SEC_E_INVALID_PARAMETER);

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, u"password", &id), SEC_E_OK);
    ck_strings(id, NULL, NULL, u"password");
    SspiFreeAuthIdentity(id);
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"username", NULL, NULL, &id), SEC_E_OK);
    ck_strings(id, u"username", NULL, NULL);
    SspiFreeAuthIdentity(id);

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"username", u"domainname", u"password", &id),
                     SEC_E_OK);
    h = id;
    ck_assert_uint_eq(h->Version, SEC_WINNT_AUTH_IDENTITY_VERSION_2);
    ck_assert_uint_eq(h->cbHeaderLength, sizeof(*h));
    ck_assert_uint_eq(h->Flags,
                      SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED);
    ck_strings(id, u"username", u"domainname", u"password");
    SspiZeroAuthIdentity(id);
    ck_assert_uint_eq(h->Version, 0);
    SspiFreeAuthIdentity(id);

    /* Empty strings stay present. */
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"", u"", u"", &id), SEC_E_OK);
    ck_strings(id, u"", u"", u"");
    SspiFreeAuthIdentity(id);
}
END_TEST

START_TEST(test_encode_limits)
{
    char16_t *big = malloc((SSPI_IDENTITY_MAX_CHARS + 2) * sizeof(char16_t));
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;

    for (size_t i = 0; i <= SSPI_IDENTITY_MAX_CHARS; i++)
        big[i] = u'x';
    big[SSPI_IDENTITY_MAX_CHARS + 1] = 0;
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(big, NULL, NULL, &id),
                     SEC_E_INVALID_PARAMETER);
    big[SSPI_IDENTITY_MAX_CHARS] = 0; /* 32767 units: 65534 bytes still fit */
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(big, NULL, NULL, &id), SEC_E_OK);
    SspiFreeAuthIdentity(id);
    /* A password that long does not fit the 16-bit packed length. */
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"u", NULL, big, &id),
                     SEC_E_INVALID_PARAMETER);
    free(big);
}
END_TEST

/* Every input form reads the same. */
START_TEST(test_as_strings_any_form)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"bob", 3, (unsigned short *)u"D\u00f6M",  3,
                                   (unsigned short *)u"pw",  2, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)"bob", 3, (unsigned char *)"D\xc3\xb6M", 4,
                                   (unsigned char *)"pw",  2, SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_EXA exa = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                       .Length = sizeof(exa),
                                       .User = (unsigned char *)"bob",
                                       .UserLength = 3,
                                       .Password = (unsigned char *)"pw",
                                       .PasswordLength = 2,
                                       .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI};
    PCWSTR u = NULL;

    ck_strings(&w, u"bob", u"D\u00f6M", u"pw");
    ck_strings(&a, u"bob", u"D\u00f6M", u"pw");
    ck_strings(&exa, u"bob", NULL, u"pw");
    /* Out pointers may be NULL. */
    ck_assert_status(SspiEncodeAuthIdentityAsStrings(&w, &u, NULL, NULL), SEC_E_OK);
    ck_wstr(u, u"bob");
    SspiLocalFree((void *)u);
    ck_assert_status(SspiEncodeAuthIdentityAsStrings(NULL, &u, NULL, NULL),
                     SEC_E_INVALID_PARAMETER);
    a.Flags = 0;
    ck_assert_status(SspiEncodeAuthIdentityAsStrings(&a, &u, NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiValidateAuthIdentity(&a), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiValidateAuthIdentity(&w), SEC_E_OK);
    ck_assert_status(SspiValidateAuthIdentity(NULL), SEC_E_INVALID_PARAMETER);
}
END_TEST

/* ---- copy, free, zero --------------------------------------------------------------- */

START_TEST(test_copy)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {
        (unsigned short *)u"bob",       3, NULL, 0, (unsigned short *)u"pw", 2,
        SEC_WINNT_AUTH_IDENTITY_UNICODE};
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE c = NULL, c2 = NULL;

    ck_assert_status(SspiCopyAuthIdentity(&w, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiCopyAuthIdentity(NULL, &c), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiCopyAuthIdentity(&w, &c), SEC_E_OK);
    ck_assert_uint_eq(((SEC_WINNT_AUTH_IDENTITY_EX2 *)c)->Version,
                      SEC_WINNT_AUTH_IDENTITY_VERSION_2);
    ck_strings(c, u"bob", NULL, u"pw");
    ck_assert_status(SspiEncryptAuthIdentity(c), SEC_E_OK);
    ck_assert_status(SspiCopyAuthIdentity(c, &c2), SEC_E_OK);
    ck_assert(SspiIsAuthIdentityEncrypted(c2));
    ck_strings(c2, u"bob", NULL, u"pw");
    SspiFreeAuthIdentity(c);
    SspiFreeAuthIdentity(c2);
}
END_TEST

/* Freeing never touches memory that is not ours. */
START_TEST(test_free_foreign)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"bob",       3, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    char *heap = strdup("not ours");

    SspiFreeAuthIdentity(NULL);
    SspiFreeAuthIdentity(&w);
    SspiFreeAuthIdentity(heap);
    SspiLocalFree(NULL);
    SspiLocalFree(heap);
    ck_assert_str_eq(heap, "not ours");
    ck_assert_uint_eq(w.UserLength, 3);
    free(heap);
}
END_TEST

START_TEST(test_zero)
{
    char16_t pw[] = u"secret", user[] = u"bob";
    SEC_WINNT_AUTH_IDENTITY_W w = {
        (unsigned short *)user,         3, NULL, 0, (unsigned short *)pw, 6,
        SEC_WINNT_AUTH_IDENTITY_UNICODE};
    char apw[] = "secret";
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)"bob",      3, NULL, 0, (unsigned char *)apw, 6,
                                   SEC_WINNT_AUTH_IDENTITY_ANSI};
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    uint8_t *ro;

    SspiZeroAuthIdentity(NULL);
    SspiZeroAuthIdentity(&w);
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq(pw[i], 0);
    ck_assert_uint_eq(user[0], u'b');
    SspiZeroAuthIdentity(&a);
    ck_assert_int_eq(apw[0], 0);
    ck_assert_int_eq(apw[5], 0);

    /* A caller's EX2: all of it. */
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", NULL, u"pw", &id), SEC_E_OK);
    {
        uint32_t n = ((SEC_WINNT_AUTH_IDENTITY_EX2 *)id)->cbStructureLength;
        uint8_t *copy = malloc(n);

        memcpy(copy, id, n);
        SspiZeroAuthIdentity(copy);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_uint_eq(copy[i], 0);
        free(copy);
    }
    /* Read-only memory is left alone. */
    ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(ro, MAP_FAILED);
    memcpy(ro, id, ((SEC_WINNT_AUTH_IDENTITY_EX2 *)id)->cbStructureLength);
    mprotect(ro, 4096, PROT_READ);
    SspiZeroAuthIdentity(ro);
    ck_assert_uint_eq(ro[0], 0x01); /* Version 0x201, untouched */
    munmap(ro, 4096);
    SspiFreeAuthIdentity(id);
}
END_TEST

/* ---- sealing ------------------------------------------------------------------- */

static bool contains(const void *hay, size_t n, const void *needle, size_t m)
{
    return memmem(hay, n, needle, m) != NULL;
}

START_TEST(test_encrypt_decrypt)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    SEC_WINNT_AUTH_IDENTITY_EX2 *h;
    SEC_WINNT_AUTH_IDENTITY_W w = {
        (unsigned short *)u"bob",       3, NULL, 0, (unsigned short *)u"pw", 2,
        SEC_WINNT_AUTH_IDENTITY_UNICODE};
    uint32_t clear_len;

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"hunter2!", &id), SEC_E_OK);
    h = id;
    clear_len = h->cbStructureLength;
    ck_assert(!SspiIsAuthIdentityEncrypted(id));
    ck_assert(contains(id, clear_len, u"hunter2!", 16));
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK);
    ck_assert(SspiIsAuthIdentityEncrypted(id));
    ck_assert(h->Flags & SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED);
    ck_assert_uint_eq(h->cbStructureLength, clear_len + 28);
    ck_assert(!contains(id, h->cbStructureLength, u"hunter2!", 16));
    ck_assert(contains(id, h->cbStructureLength, u"bob", 6)); /* only the password is sealed */
    ck_strings(id, u"bob", u"DOM", u"hunter2!");
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK); /* no-op */
    ck_assert_uint_eq(h->cbStructureLength, clear_len + 28);
    ck_assert_status(SspiDecryptAuthIdentity(id), SEC_E_OK);
    ck_assert(!SspiIsAuthIdentityEncrypted(id));
    ck_assert_uint_eq(h->cbStructureLength, clear_len);
    ck_assert(contains(id, clear_len, u"hunter2!", 16));
    ck_assert_status(SspiDecryptAuthIdentity(id), SEC_E_OK); /* no-op */

    /* Options. */
    ck_assert_status(SspiEncryptAuthIdentityEx(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_LOGON, id),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(SspiEncryptAuthIdentityEx(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_FOR_SYSTEM, id),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(SspiEncryptAuthIdentityEx(0, id), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiEncryptAuthIdentityEx(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS, id),
                     SEC_E_OK);
    ck_assert_status(SspiDecryptAuthIdentityEx(SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS, id),
                     SEC_E_OK);
    /* Not ours, or nothing. */
    ck_assert_status(SspiEncryptAuthIdentity(&w), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiDecryptAuthIdentity(&w), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiEncryptAuthIdentity(NULL), SEC_E_INVALID_PARAMETER);
    ck_assert(!SspiIsAuthIdentityEncrypted(NULL));
    w.Flags |= SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    ck_assert(SspiIsAuthIdentityEncrypted(&w));
    SspiFreeAuthIdentity(id);
}
END_TEST

/* An altered sealed password does not open, and the block stays as it was. */
START_TEST(test_tampered_seal)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    SEC_WINNT_AUTH_IDENTITY_EX2 *h;
    struct mock_pkg_record *r;
    CredHandle c;
    TimeStamp ts;
    uint8_t *last;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    r = tu_record("mock-good", "MockGood");
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", NULL, u"pw", &id), SEC_E_OK);
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK);
    h = id;
    last = (uint8_t *)id + h->cbStructureLength - 1;
    *last ^= 1;
    ck_assert_status(SspiDecryptAuthIdentity(id), SEC_E_DECRYPT_FAILURE);
    ck_assert(SspiIsAuthIdentityEncrypted(id));
    {
        uint32_t calls = r->ach_calls;

        ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood",
                                                   SECPKG_CRED_OUTBOUND, NULL, id, NULL, NULL, &c,
                                                   &ts),
                         SEC_E_DECRYPT_FAILURE);
        ck_assert_uint_eq(r->ach_calls, calls);
    }
    *last ^= 1;
    ck_assert_status(SspiDecryptAuthIdentity(id), SEC_E_OK);
    ck_strings(id, u"bob", NULL, u"pw");
    SspiFreeAuthIdentity(id);
}
END_TEST

/* Scenario child (a fresh process, hence a fresh process key): seal an
 * identity and write its marshalled bytes to sealed.bin. */
static int scenario_seal(void)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE mine = NULL;
    uint32_t len = 0;
    char *bytes = NULL, path[4200];
    FILE *f;
    int rc = 1;

    snprintf(path, sizeof(path), "%s/sealed.bin", tu_tmpdir());
    SC_STATUS(SspiEncodeStringsAsAuthIdentity(u"bob", NULL, u"pw", &mine), SEC_E_OK);
    SC_STATUS(SspiEncryptAuthIdentity(mine), SEC_E_OK);
    SC_STATUS(SspiMarshalAuthIdentity(mine, &len, &bytes), SEC_E_OK);
    f = fopen(path, "wb");
    if (f != NULL && fwrite(bytes, 1, len, f) == len)
        rc = 0;
    if (f != NULL)
        fclose(f);
    SspiLocalFree(bytes);
    SspiFreeAuthIdentity(mine);
    return rc;
}

/* A sealed identity marshalled in another process does not open here. */
START_TEST(test_sealed_elsewhere)
{
    char buf[512], path[4200];
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = OPAQUE_GARBAGE;
    FILE *f;
    size_t n;

    ck_assert_int_eq(tu_run_scenario("seal", NULL, NULL), 0);
    snprintf(path, sizeof(path), "%s/sealed.bin", tu_tmpdir());
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    ck_assert_uint_gt(n, 48);
    ck_assert_status(SspiUnmarshalAuthIdentity((uint32_t)n, buf, &id), SEC_E_DECRYPT_FAILURE);
    ck_assert_ptr_eq(id, OPAQUE_GARBAGE);
}
END_TEST

/* The core opens a sealed identity for the package. */
START_TEST(test_sealed_to_package)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    struct mock_pkg_record *r;
    CredHandle c;
    TimeStamp ts;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    r = tu_record("mock-good", "MockGood");
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"pw", &id), SEC_E_OK);
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, id, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_int_eq(r->identity_form, SSPI_IDENTITY_EXW);
    ck_assert_uint_eq(r->identity_flags,
                      SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED);
    ck_assert_str_eq(r->identity_user, "bob");
    ck_assert_str_eq(r->identity_domain, "DOM");
    ck_assert_str_eq(r->identity_password, "pw");
    ck_assert(SspiIsAuthIdentityEncrypted(id)); /* the caller's stays sealed */
    FreeCredentialsHandle(&c);
    SspiFreeAuthIdentity(id);
}
END_TEST

/* ---- compare, marshal ------------------------------------------------------------------ */

START_TEST(test_compare)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE a = NULL, b = NULL, c = NULL;
    SEC_WINNT_AUTH_IDENTITY_A plain = {(unsigned char *)"BOB", 3, (unsigned char *)"dom",      3,
                                       (unsigned char *)"pw",  2, SEC_WINNT_AUTH_IDENTITY_ANSI};
    BOOLEAN user = 2, all = 2;

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"pw", &a), SEC_E_OK);
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"other", &b), SEC_E_OK);
    ck_assert_status(SspiCopyAuthIdentity(a, &c), SEC_E_OK);
    ck_assert_status(SspiEncryptAuthIdentity(c), SEC_E_OK);

    ck_assert_status(SspiCompareAuthIdentities(a, b, &user, &all), SEC_E_OK);
    ck_assert(user == TRUE && all == FALSE);
    ck_assert_status(SspiCompareAuthIdentities(a, c, &user, &all), SEC_E_OK);
    ck_assert(user == TRUE && all == TRUE);
    ck_assert_status(SspiCompareAuthIdentities(&plain, a, &user, &all), SEC_E_OK);
    ck_assert(user == TRUE && all == TRUE);
    plain.User = (unsigned char *)"eve";
    ck_assert_status(SspiCompareAuthIdentities(&plain, a, &user, &all), SEC_E_OK);
    ck_assert(user == FALSE && all == FALSE);
    ck_assert_status(SspiCompareAuthIdentities(NULL, NULL, &user, &all), SEC_E_OK);
    ck_assert(user == TRUE && all == TRUE);
    ck_assert_status(SspiCompareAuthIdentities(NULL, a, &user, &all), SEC_E_OK);
    ck_assert(user == FALSE && all == FALSE);
    ck_assert_status(SspiCompareAuthIdentities(a, b, NULL, NULL), SEC_E_OK);
    plain.Flags = 0;
    ck_assert_status(SspiCompareAuthIdentities(&plain, a, &user, &all), SEC_E_INVALID_PARAMETER);
    SspiFreeAuthIdentity(a);
    SspiFreeAuthIdentity(b);
    SspiFreeAuthIdentity(c);
}
END_TEST

START_TEST(test_marshal)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL, back = NULL;
    void *pages = it_guarded_pages();
    uint32_t len = 0;
    char *bytes = NULL;
    BOOLEAN user, all;

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"pw", &id), SEC_E_OK);
    ck_assert_status(SspiMarshalAuthIdentity(id, NULL, &bytes), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiMarshalAuthIdentity(id, &len, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiMarshalAuthIdentity(NULL, &len, &bytes), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiMarshalAuthIdentity(id, &len, &bytes), SEC_E_OK);
    ck_assert_uint_eq(len, ((SEC_WINNT_AUTH_IDENTITY_EX2 *)id)->cbStructureLength);
    ck_assert_status(SspiUnmarshalAuthIdentity(len, bytes, &back), SEC_E_OK);
    ck_assert_status(SspiCompareAuthIdentities(id, back, &user, &all), SEC_E_OK);
    ck_assert(user && all);
    SspiFreeAuthIdentity(back);

    /* Every truncation, ending at a PROT_NONE page: refused, no fault. */
    for (uint32_t n = 0; n < len; n++) {
        void *at = it_at_page_end(pages, bytes, n);

        back = OPAQUE_GARBAGE;
        ck_assert_status(SspiUnmarshalAuthIdentity(n, at, &back), SEC_E_INVALID_PARAMETER);
        ck_assert_ptr_eq(back, OPAQUE_GARBAGE);
    }
    ck_assert_status(SspiUnmarshalAuthIdentity(len, it_at_page_end(pages, bytes, len), &back),
                     SEC_E_OK);
    SspiFreeAuthIdentity(back);
    ck_assert_status(SspiUnmarshalAuthIdentity(len, NULL, &back), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiUnmarshalAuthIdentity(len, bytes, NULL), SEC_E_INVALID_PARAMETER);
    bytes[0] = 0; /* not an EX2 any more */
    ck_assert_status(SspiUnmarshalAuthIdentity(len, bytes, &back), SEC_E_INVALID_PARAMETER);
    SspiLocalFree(bytes);

    /* Sealed identities marshal sealed and come back sealed. */
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK);
    ck_assert_status(SspiMarshalAuthIdentity(id, &len, &bytes), SEC_E_OK);
    ck_assert(!contains(bytes, len, u"pw", 4));
    ck_assert_status(SspiUnmarshalAuthIdentity(len, bytes, &back), SEC_E_OK);
    ck_assert(SspiIsAuthIdentityEncrypted(back));
    ck_strings(back, u"bob", u"DOM", u"pw");
    SspiFreeAuthIdentity(back);
    SspiLocalFree(bytes);
    SspiFreeAuthIdentity(id);
    it_guarded_free(pages);
}
END_TEST

/* ---- package list, target names, Credential Manager --------------------------------- */

static void ck_package_list(PSEC_WINNT_AUTH_IDENTITY_OPAQUE id, const char16_t *want)
{
    struct sspi_identity parsed;

    parse_ours(id, &parsed);
    if (want == NULL) {
        ck_assert_ptr_null(parsed.package_list.s);
    } else {
        ck_assert_ptr_nonnull(parsed.package_list.s);
        ck_wstr(parsed.package_list.s, want);
    }
    sspi_identity_clear(&parsed);
}

START_TEST(test_exclude_package)
{
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(ex),
                                      .User = (unsigned short *)u"bob",
                                      .UserLength = 3,
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
                                      .PackageList = (unsigned short *)u"Kerberos,NTLM,!Sample",
                                      .PackageListLength = 21};
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL, out = NULL, out2 = NULL;

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", NULL, u"pw", &id), SEC_E_OK);
    ck_package_list(id, NULL);
    ck_assert_status(SspiExcludePackage(id, u"NTLM", &out), SEC_E_OK);
    ck_package_list(out, u"!NTLM");
    ck_assert_status(SspiExcludePackage(out, u"ntlm", &out2), SEC_E_OK);
    ck_package_list(out2, u"!ntlm");
    ck_strings(out2, u"bob", NULL, u"pw");
    SspiFreeAuthIdentity(out);
    SspiFreeAuthIdentity(out2);
    ck_assert_status(SspiExcludePackage(&ex, u"ntlm", &out), SEC_E_OK);
    ck_package_list(out, u"Kerberos,!Sample,!ntlm");
    SspiFreeAuthIdentity(out);
    ck_assert_status(SspiExcludePackage(id, NULL, &out), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiExcludePackage(id, u"", &out), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiExcludePackage(id, u"A,B", &out), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiExcludePackage(id, u"NTLM", NULL), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiExcludePackage(NULL, u"NTLM", &out), SEC_E_INVALID_PARAMETER);
    /* A sealed identity stays sealed. */
    ck_assert_status(SspiEncryptAuthIdentity(id), SEC_E_OK);
    ck_assert_status(SspiExcludePackage(id, u"NTLM", &out), SEC_E_OK);
    ck_assert(SspiIsAuthIdentityEncrypted(out));
    SspiFreeAuthIdentity(out);
    SspiFreeAuthIdentity(id);
}
END_TEST

START_TEST(test_target_host_name)
{
    static const struct {
        const char16_t *target, *host;
    } cases[] = {
        {u"HTTP/www.example.com", u"www.example.com"},
        {u"host/srv.example.com:8080/svc@EXAMPLE.COM", u"srv.example.com"},
        {u"cifs/fs@EXAMPLE.COM", u"fs"},
        {u"plain.example.com", u"plain.example.com"},
        {u"srv:445", u"srv"},
    };
    PWSTR host = NULL;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_status(SspiGetTargetHostName(cases[i].target, &host), SEC_E_OK);
        ck_wstr(host, cases[i].host);
        SspiLocalFree(host);
    }
    ck_assert_status(SspiGetTargetHostName(u"HTTP/", &host), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiGetTargetHostName(u"", &host), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiGetTargetHostName(NULL, &host), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiGetTargetHostName(u"x", NULL), SEC_E_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_credman)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL, nopw = NULL;
    uint32_t type = 0, size = 7;
    PCWSTR target = NULL, user = NULL;
    PUCHAR blob = NULL;

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"DOM", u"pw!", &id), SEC_E_OK);
    ck_assert_status(SspiPrepareForCredRead(id, u"TERMSRV/host", &type, &target), SEC_E_OK);
    ck_assert_uint_eq(type, CRED_TYPE_DOMAIN_PASSWORD);
    ck_wstr(target, u"TERMSRV/host");
    SspiLocalFree((void *)target);
    ck_assert_status(SspiPrepareForCredRead(id, NULL, &type, &target), SEC_E_OK);
    ck_wstr(target, u"DOM\\bob");
    SspiLocalFree((void *)target);
    ck_assert_status(SspiPrepareForCredRead(id, NULL, NULL, &target), SEC_E_INVALID_PARAMETER);

    ck_assert_status(
        SspiPrepareForCredWrite(id, u"TERMSRV/host", &type, &target, &user, &blob, &size),
        SEC_E_OK);
    ck_assert_uint_eq(type, CRED_TYPE_DOMAIN_PASSWORD);
    ck_wstr(target, u"TERMSRV/host");
    ck_wstr(user, u"DOM\\bob");
    ck_assert_uint_eq(size, 6);
    ck_assert_int_eq(memcmp(blob, u"pw!", 6), 0);
    SspiLocalFree((void *)target);
    SspiLocalFree((void *)user);
    SspiLocalFree(blob);

    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"bob@example.com", NULL, NULL, &nopw),
                     SEC_E_OK);
    ck_assert_status(SspiPrepareForCredWrite(nopw, NULL, &type, &target, &user, &blob, &size),
                     SEC_E_OK);
    ck_wstr(target, u"bob@example.com");
    ck_wstr(user, u"bob@example.com");
    ck_assert_ptr_null(blob);
    ck_assert_uint_eq(size, 0);
    SspiLocalFree((void *)target);
    SspiLocalFree((void *)user);
    ck_assert_status(SspiPrepareForCredWrite(nopw, NULL, &type, &target, &user, NULL, &size),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(SspiPrepareForCredWrite(NULL, NULL, &type, &target, &user, &blob, &size),
                     SEC_E_INVALID_PARAMETER);
    SspiFreeAuthIdentity(id);
    SspiFreeAuthIdentity(nopw);
}
END_TEST

START_TEST(test_prompting_needed)
{
    ck_assert(SspiIsPromptingNeeded((uint32_t)SEC_E_LOGON_DENIED));
    ck_assert(SspiIsPromptingNeeded((uint32_t)STATUS_WRONG_PASSWORD));
    ck_assert(SspiIsPromptingNeeded((uint32_t)STATUS_PASSWORD_EXPIRED));
    ck_assert(SspiIsPromptingNeeded(1326)); /* ERROR_LOGON_FAILURE */
    ck_assert(!SspiIsPromptingNeeded((uint32_t)SEC_E_OK));
    ck_assert(!SspiIsPromptingNeeded((uint32_t)SEC_E_INVALID_TOKEN));
    ck_assert(!SspiIsPromptingNeeded((uint32_t)SEC_E_INSUFFICIENT_MEMORY));
}
END_TEST

static Suite *sspi_identity_suite(void)
{
    Suite *s = suite_create("sspi-identity");
    TCase *tc = tcase_create("functions");

    tcase_add_test(tc, test_encode_strings);
    tcase_add_test(tc, test_encode_limits);
    tcase_add_test(tc, test_as_strings_any_form);
    tcase_add_test(tc, test_copy);
    tcase_add_test(tc, test_free_foreign);
    tcase_add_test(tc, test_zero);
    tcase_add_test(tc, test_encrypt_decrypt);
    tcase_add_test(tc, test_tampered_seal);
    tcase_add_test(tc, test_sealed_elsewhere);
    tcase_add_test(tc, test_sealed_to_package);
    tcase_add_test(tc, test_compare);
    tcase_add_test(tc, test_marshal);
    tcase_add_test(tc, test_exclude_package);
    tcase_add_test(tc, test_target_host_name);
    tcase_add_test(tc, test_credman);
    tcase_add_test(tc, test_prompting_needed);
    suite_add_tcase(s, tc);
    return s;
}

static const struct tu_scenario scenarios[] = {
    {"seal", scenario_seal},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return tu_main(argc, argv, sspi_identity_suite, scenarios);
}
