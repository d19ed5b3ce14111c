/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-identity.c - the one identity parser (src/common/identity.c) and
 * what packages receive as pAuthData through the public API.
 *
 * The parser is driven directly with identities of every version, length,
 * flag and size, read through a fault-tolerant reader, many of them placed
 * to end at a PROT_NONE page so that any read past them faults.  Through
 * the public API the same identities go to the mock package that records
 * what it received, to NTLM and to Sample; identities whose User pointer
 * looks like an EX header sit at fixed addresses.  Nothing may crash.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "identity-util.h"
#include "ntsecpkg.h"
#include "test-util.h"

static const struct sspi_identity_source safe_src = {SIZE_MAX, it_safe_read, NULL};

static void ck_str(const struct sspi_identity_str *f, const char16_t *want)
{
    size_t n = 0;

    while (want[n] != 0)
        n++;
    ck_assert_ptr_nonnull(f->s);
    ck_assert_uint_eq(f->len, n);
    ck_assert_int_eq(memcmp(f->s, want, n * sizeof(char16_t)), 0);
    ck_assert_uint_eq(f->s[n], 0);
}

static SECURITY_STATUS parse(const void *auth, struct sspi_identity *id)
{
    return sspi_identity_parse_from(auth, &safe_src, id);
}

/* ---- plain forms ------------------------------------------------------------ */

START_TEST(test_parse_null)
{
    struct sspi_identity id;

    ck_assert_status(parse(NULL, &id), SEC_E_OK);
    ck_assert_int_eq(id.form, SSPI_IDENTITY_NONE);
    ck_assert(sspi_identity_is_empty(&id));
    sspi_identity_clear(&id);
    ck_assert_int_eq(sspi_identity_classify(NULL, it_safe_read), SSPI_IDENTITY_NONE);
}
END_TEST

START_TEST(test_parse_plain)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"bob", 3, (unsigned short *)u"D\u00f6M",  3,
                                   (unsigned short *)u"pw",  2, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_A a = {
        (unsigned char *)"al\xc3\xa9", 4, (unsigned char *)"", 0, NULL, 0,
        SEC_WINNT_AUTH_IDENTITY_ANSI};
    struct sspi_identity id;

    ck_assert_status(parse(&w, &id), SEC_E_OK);
    ck_assert_int_eq(id.form, SSPI_IDENTITY_W);
    ck_assert_uint_eq(id.flags, 0);
    ck_str(&id.user, u"bob");
    ck_str(&id.domain, u"D\u00f6M");
    ck_str(&id.password, u"pw");
    ck_assert_ptr_null(id.package_list.s);
    sspi_identity_clear(&id);

    /* Present but empty is not absent. */
    ck_assert_status(parse(&a, &id), SEC_E_OK);
    ck_assert_int_eq(id.form, SSPI_IDENTITY_A);
    ck_str(&id.user, u"al\u00e9");
    ck_str(&id.domain, u"");
    ck_assert_ptr_null(id.password.s);
    ck_assert(!sspi_identity_is_empty(&id));
    ck_assert(!sspi_identity_is_anonymous(&id));
    sspi_identity_clear(&id);

    a.Password = (unsigned char *)"";
    a.User = (unsigned char *)"";
    a.UserLength = 0;
    ck_assert_status(parse(&a, &id), SEC_E_OK);
    ck_assert(sspi_identity_is_anonymous(&id));
    sspi_identity_clear(&id);
}
END_TEST

/* Flags must name exactly one character set. */
START_TEST(test_parse_wrong_flags)
{
    static const uint32_t bad[] = {0,
                                   SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE,
                                   SEC_WINNT_AUTH_IDENTITY_MARSHALLED, 0xFFFFFFFCu, 0xFFFFFFFFu};
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"u", 1, NULL, 0, NULL, 0, 0};
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(ex),
                                      .User = (unsigned short *)u"u",
                                      .UserLength = 1};
    struct sspi_identity id;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        w.Flags = ex.Flags = bad[i];
        ck_assert_status(parse(&w, &id), SEC_E_INVALID_PARAMETER);
        ck_assert_int_eq(id.form, SSPI_IDENTITY_NONE);
        ck_assert_status(parse(&ex, &id), SEC_E_INVALID_PARAMETER);
    }
    /* Other bits ride along. */
    w.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_ONLY;
    ck_assert_status(parse(&w, &id), SEC_E_OK);
    ck_assert_uint_eq(id.flags, SEC_WINNT_AUTH_IDENTITY_ONLY);
    sspi_identity_clear(&id);
}
END_TEST

/* Lengths that no string can have are refused before anything is read. */
START_TEST(test_parse_huge_lengths)
{
    static const uint32_t huge[] = {SSPI_IDENTITY_MAX_CHARS + 1, 0x7FFFFFFFu, 0xFFFFFFFFu};
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"u",         1, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)"u",        1, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_ANSI};
    struct sspi_identity id;

    for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
        w.UserLength = huge[i];
        ck_assert_status(parse(&w, &id), SEC_E_INVALID_PARAMETER);
        a.PasswordLength = huge[i];
        a.Password = (unsigned char *)"p";
        ck_assert_status(parse(&a, &id), SEC_E_INVALID_PARAMETER);
    }
    /* A length without a pointer. */
    w.UserLength = 1;
    w.Domain = NULL;
    w.DomainLength = 4;
    ck_assert_status(parse(&w, &id), SEC_E_INVALID_PARAMETER);
}
END_TEST

/* A length that runs into a PROT_NONE page: refused, no fault. */
START_TEST(test_parse_string_overrun)
{
    void *pages = it_guarded_pages();
    char16_t *end = it_at_page_end(pages, u"abcd", 8);
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)end,          4, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    struct sspi_identity id;

    ck_assert_status(parse(&w, &id), SEC_E_OK);
    ck_str(&id.user, u"abcd");
    sspi_identity_clear(&id);
    w.UserLength = 5;
    ck_assert_status(parse(&w, &id), SEC_E_INVALID_PARAMETER);
    w.UserLength = SSPI_IDENTITY_MAX_CHARS;
    ck_assert_status(parse(&w, &id), SEC_E_INVALID_PARAMETER);
    it_guarded_free(pages);
}
END_TEST

START_TEST(test_parse_invalid_utf8)
{
    static const char *const bad[] = {
        "\xff", "a\xc0\x80", "\xed\xa0\x80", "\xe2\x82", "\xf8\x88\x80\x80\x80", "\x80"};
    SEC_WINNT_AUTH_IDENTITY_A a = {NULL, 0, NULL, 0, NULL, 0, SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_EXA ex = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(ex)};
    struct sspi_identity id;

    ex.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        a.Password = ex.Domain = (unsigned char *)bad[i];
        a.PasswordLength = ex.DomainLength = (uint32_t)strlen(bad[i]);
        ck_assert_status(parse(&a, &id), SEC_E_INVALID_PARAMETER);
        ck_assert_status(parse(&ex, &id), SEC_E_INVALID_PARAMETER);
    }
}
END_TEST

/* W strings are code units: unpaired surrogates and NULs pass unchanged,
 * as Windows hands them to its packages. */
START_TEST(test_parse_utf16_units_kept)
{
    static const char16_t odd[] = {0xD800, u'x', 0xDC00, 0, u'y'};
    SEC_WINNT_AUTH_IDENTITY_W w = {
        (unsigned short *)u"u",         1, NULL, 0, (unsigned short *)odd, 5,
        SEC_WINNT_AUTH_IDENTITY_UNICODE};
    struct sspi_identity id;

    ck_assert_status(parse(&w, &id), SEC_E_OK);
    ck_assert_uint_eq(id.password.len, 5);
    ck_assert_int_eq(memcmp(id.password.s, odd, sizeof(odd)), 0);
    sspi_identity_clear(&id);
}
END_TEST

/* ---- EX forms: every version and length ------------------------------------------- */

/* Strings at a fixed address whose low 32 bits are large, so that a
 * structure misread as another form gets an over-long length. */
#define STRINGS_AT ((uintptr_t)0x500070000000u)

START_TEST(test_parse_ex_versions_lengths)
{
    static const uint32_t versions[] = {0,     1,     0x1ff,      SEC_WINNT_AUTH_IDENTITY_VERSION,
                                        0x202, 0x2ff, 0xFFFFFFFFu};
    static const uint32_t lengths[] = {0,  1,  47, 48,  56,       71,
                                       72, 73, 80, 144, 0x10048u, 0xFFFFFFFFu};
    char16_t *strings = it_map_fixed(STRINGS_AT);
    uint8_t buf[160];
    SEC_WINNT_AUTH_IDENTITY_EXW *ex = (SEC_WINNT_AUTH_IDENTITY_EXW *)buf;
    struct sspi_identity id;

    if (strings == NULL)
        strings = malloc(4096); /* address taken (sanitizer layout): any address will do */
    ck_assert_ptr_nonnull(strings);
    memcpy(strings, u"user\0dom\0pass\0Negotiate", 48);
    for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
        for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
            for (int ansi = 0; ansi <= 1; ansi++) {
                SECURITY_STATUS st;
                bool exact = versions[v] == SEC_WINNT_AUTH_IDENTITY_VERSION &&
                             lengths[l] == SSPI_IDENTITY_EX_SIZE;

                memset(buf, 0, sizeof(buf));
                ex->Version = versions[v];
                ex->Length = lengths[l];
                ex->User = (unsigned short *)strings;
                ex->UserLength = 4;
                ex->Domain = (unsigned short *)(strings + 5);
                ex->DomainLength = 3;
                ex->Password = (unsigned short *)(strings + 9);
                ex->PasswordLength = 4;
                ex->PackageList = (unsigned short *)(strings + 14);
                ex->PackageListLength = 9;
                ex->Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
                if (ansi) { /* the same bytes read as UTF-8: "u", "d", "p", "N" + NUL ... */
                    ex->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
                    ex->UserLength = ex->DomainLength = ex->PasswordLength = 1;
                    ex->PackageListLength = 1;
                }
                st = parse(buf, &id);
                if (exact) {
                    ck_assert_status(st, SEC_E_OK);
                    ck_assert_int_eq(id.form, ansi ? SSPI_IDENTITY_EXA : SSPI_IDENTITY_EXW);
                    ck_str(&id.user, ansi ? u"u" : u"user");
                    ck_str(&id.package_list, ansi ? u"N" : u"Negotiate");
                    ck_assert_int_eq(sspi_identity_classify(buf, it_safe_read), SSPI_IDENTITY_EXW);
                } else {
                    /* Read as a plain identity (or an EX2 for 0x201-like
                     * headers): its User pointer is Version|Length and its
                     * UserLength the low half of the strings' address. */
                    ck_assert_msg(st != SEC_E_OK || strings != (void *)STRINGS_AT,
                                  "version %#x length %#x accepted", versions[v], lengths[l]);
                    ck_assert_int_ne(sspi_identity_classify(buf, it_safe_read), SSPI_IDENTITY_EXW);
                }
                sspi_identity_clear(&id);
            }
        }
    }
    if (strings == (void *)STRINGS_AT)
        it_unmap(strings);
    else
        free(strings);
}
END_TEST

/* An EX header whose 72 bytes do not fit where it sits, or in max_size. */
START_TEST(test_parse_ex_truncated)
{
    void *pages = it_guarded_pages();
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(ex)};
    struct sspi_identity_source small = {71, NULL, NULL};
    struct sspi_identity id;

    ex.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    ck_assert_status(sspi_identity_parse_from(&ex, &small, &id), SEC_E_INVALID_PARAMETER);
    for (size_t n = 0; n < sizeof(ex); n++) {
        void *at = it_at_page_end(pages, &ex, n);

        ck_assert_status(parse(at, &id), SEC_E_INVALID_PARAMETER);
    }
    ck_assert_status(parse(it_at_page_end(pages, &ex, sizeof(ex)), &id), SEC_E_OK);
    ck_assert(sspi_identity_is_empty(&id));
    sspi_identity_clear(&id);
    it_guarded_free(pages);
}
END_TEST

/* ---- EX2 -------------------------------------------------------------------- */

/* A valid EX2 of 84 bytes: user "ab", no domain, packed password "pw". */
static size_t make_ex2(uint8_t *b, uint32_t total)
{
    SEC_WINNT_AUTH_IDENTITY_EX2 h = {0};
    SEC_WINNT_AUTH_PACKED_CREDENTIALS pc = {0};

    h.Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    h.cbHeaderLength = sizeof(h);
    h.cbStructureLength = total;
    h.UserOffset = 48;
    h.UserLength = 4;
    h.PackedCredentialsOffset = 52;
    h.PackedCredentialsLength = 32;
    h.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    pc.cbHeaderLength = sizeof(pc);
    pc.cbStructureLength = 32;
    pc.AuthData.CredType = SEC_WINNT_AUTH_DATA_TYPE_PASSWORD;
    pc.AuthData.CredData.ByteArrayOffset = 28;
    pc.AuthData.CredData.ByteArrayLength = 4;
    memcpy(b, &h, sizeof(h));
    memcpy(b + 48, u"ab", 4);
    memcpy(b + 52, &pc, sizeof(pc));
    memcpy(b + 80, u"pw", 4);
    return 84;
}

/* EX2 of every size 0..128 ending at a PROT_NONE page, cbStructureLength
 * set to that size: below 84 bytes it cannot hold its fields and is
 * refused; from 84 it is read, and never a byte past its end. */
START_TEST(test_ex2_every_size)
{
    void *pages = it_guarded_pages();
    uint8_t full[128];
    struct sspi_identity id;

    for (uint32_t n = 0; n <= 128; n++) {
        uint8_t *at;
        struct sspi_identity_source exact = {n, NULL, NULL};
        SECURITY_STATUS st;

        memset(full, 0, sizeof(full));
        make_ex2(full, n);
        at = it_at_page_end(pages, full, n);
        st = parse(at, &id);
        if (n < 84) {
            ck_assert_msg(st == SEC_E_INVALID_PARAMETER, "size %u: %s", n, tu_status_str(st));
        } else {
            ck_assert_msg(st == SEC_E_OK, "size %u: %s", n, tu_status_str(st));
            ck_assert_int_eq(id.form, SSPI_IDENTITY_EX2);
            ck_str(&id.user, u"ab");
            ck_assert_ptr_null(id.domain.s);
            ck_str(&id.password, u"pw");
        }
        sspi_identity_clear(&id);
        /* With the size known, plain copies, same answers. */
        if (n >= 4) {
            st = sspi_identity_parse_from(at, &exact, &id);
            ck_assert_int_eq(st == SEC_E_OK, n >= 84);
            sspi_identity_clear(&id);
        }
    }
    it_guarded_free(pages);
}
END_TEST

/* A header that claims more than is there. */
START_TEST(test_ex2_lies)
{
    void *pages = it_guarded_pages();
    uint8_t b[128];
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = (SEC_WINNT_AUTH_IDENTITY_EX2 *)b;
    struct sspi_identity id;

    memset(b, 0, sizeof(b));
    make_ex2(b, 84);
    h->cbStructureLength = 0x1000; /* a 16-byte blob that says 4 KiB */
    ck_assert_status(parse(it_at_page_end(pages, b, 16), &id), SEC_E_INVALID_PARAMETER);
    ck_assert_status(parse(it_at_page_end(pages, b, 84), &id), SEC_E_INVALID_PARAMETER);
    h->cbStructureLength = 0xFFFFFFFFu;
    ck_assert_status(parse(it_at_page_end(pages, b, 84), &id), SEC_E_INVALID_PARAMETER);
    h->cbStructureLength = 84;
    h->cbHeaderLength = 47;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    h->cbHeaderLength = 85;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    it_guarded_free(pages);
}
END_TEST

START_TEST(test_ex2_fields)
{
    uint8_t b[128];
    SEC_WINNT_AUTH_IDENTITY_EX2 *h = (SEC_WINNT_AUTH_IDENTITY_EX2 *)b;
    SEC_WINNT_AUTH_PACKED_CREDENTIALS *pc = (SEC_WINNT_AUTH_PACKED_CREDENTIALS *)(b + 52);
    struct sspi_identity id;

#define RESET() (memset(b, 0, sizeof(b)), make_ex2(b, 84))
    RESET();
    h->UserOffset = 82; /* runs past the end */
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->UserOffset = 0xFFFFFFFFu;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->UserLength = 3; /* odd UTF-16 */
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->DomainOffset = 200; /* empty but out of the blob */
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->DomainOffset = 48; /* present and empty */
    ck_assert_status(parse(b, &id), SEC_E_OK);
    ck_str(&id.domain, u"");
    sspi_identity_clear(&id);
    RESET();
    pc->cbHeaderLength = 27;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    pc->cbStructureLength = 33; /* beyond PackedCredentialsLength */
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    pc->AuthData.CredData.ByteArrayOffset = 30;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->PackedCredentialsLength = 27; /* shorter than a packed header */
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    pc->AuthData.CredType = SEC_WINNT_AUTH_DATA_TYPE_CERT;
    ck_assert_status(parse(b, &id), SEC_E_UNSUPPORTED_FUNCTION);
    RESET();
    h->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
    ck_assert_status(parse(b, &id), SEC_E_INVALID_PARAMETER);
    RESET();
    h->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI; /* the same bytes as UTF-8: "a\0b\0" */
    ck_assert_status(parse(b, &id), SEC_E_OK);
    ck_assert_uint_eq(id.user.len, 4);
    sspi_identity_clear(&id);
    RESET();
    h->Flags = 0; /* EX2 without a charset bit is UTF-16 */
    ck_assert_status(parse(b, &id), SEC_E_OK);
    ck_str(&id.user, u"ab");
    sspi_identity_clear(&id);
#undef RESET
}
END_TEST

static SECURITY_STATUS refuse_decrypt(struct sspi_identity_str *pw)
{
    (void)pw;
    return SEC_E_DECRYPT_FAILURE;
}

START_TEST(test_protection_flags)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {
        (unsigned short *)u"u",         1, NULL, 0, (unsigned short *)u"p", 1,
        SEC_WINNT_AUTH_IDENTITY_UNICODE};
    struct sspi_identity_source src = {SIZE_MAX, NULL, refuse_decrypt};
    struct sspi_identity id;

    w.Flags |= SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED;
    ck_assert_status(parse(&w, &id), SEC_E_UNSUPPORTED_FUNCTION);
    w.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED;
    ck_assert_status(parse(&w, &id), SEC_E_UNSUPPORTED_FUNCTION);
    w.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    ck_assert_status(parse(&w, &id), SEC_E_UNSUPPORTED_FUNCTION); /* no decrypt callback */
    ck_assert_status(sspi_identity_parse_from(&w, &src, &id), SEC_E_DECRYPT_FAILURE);
    ck_assert_int_eq(id.form, SSPI_IDENTITY_NONE);
}
END_TEST

START_TEST(test_classify)
{
    void *pages = it_guarded_pages();
    uint32_t head[2] = {SEC_WINNT_AUTH_IDENTITY_VERSION, SSPI_IDENTITY_EX_SIZE};

    ck_assert_int_eq(sspi_identity_classify(it_page_end(pages), it_safe_read), SSPI_IDENTITY_NONE);
    ck_assert_int_eq(sspi_identity_classify(it_at_page_end(pages, head, 4), it_safe_read),
                     SSPI_IDENTITY_NONE);
    ck_assert_int_eq(sspi_identity_classify(it_at_page_end(pages, head, 8), it_safe_read),
                     SSPI_IDENTITY_EXW);
    head[0] = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    ck_assert_int_eq(sspi_identity_classify(it_at_page_end(pages, head, 4), it_safe_read),
                     SSPI_IDENTITY_EX2);
    it_guarded_free(pages);
}
END_TEST

/* ---- through the public API ----------------------------------------------------------- */

static SECURITY_STATUS acquire(bool ansi, const char *pkg, uint32_t use, void *auth,
                               CredHandle *out)
{
    TimeStamp ts;
    char16_t wpkg[32];
    size_t i = 0;

    if (ansi)
        return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, use, NULL, auth, NULL, NULL, out,
                                         &ts);
    for (; pkg[i] != '\0' && i + 1 < 32; i++)
        wpkg[i] = (char16_t)pkg[i];
    wpkg[i] = 0;
    return AcquireCredentialsHandleW(NULL, wpkg, use, NULL, auth, NULL, NULL, out, &ts);
}

static struct mock_pkg_record *mock_rec(void)
{
    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    return tu_record("mock-good", "MockGood");
}

static void load_real(void)
{
    ck_assert_status(it_load_package("ntlm", "NTLM"), SEC_E_OK);
    ck_assert_status(it_load_package("sample", "Sample"), SEC_E_OK);
}

/* NAMES of an NTLM credential, as UTF-8. */
static void ck_ntlm_names(CredHandle *c, const char *want)
{
    SecPkgCredentials_NamesA n = {NULL};

    ck_assert_status(QueryCredentialsAttributesA(c, SECPKG_CRED_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, want);
    FreeContextBuffer(n.sUserName);
}

/* A full handshake with a client credential made from `auth`: NTLM against
 * the user file (DOMAIN\User / Password), Sample against the same identity
 * as a W structure. */
static void ck_handshake(const char *pkg, bool ansi, void *auth)
{
    SEC_WINNT_AUTH_IDENTITY_W server_id = {
        (unsigned short *)u"User",     4, (unsigned short *)u"DOMAIN",    6,
        (unsigned short *)u"Password", 8, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    CredHandle c, s;

    ck_assert_status(acquire(ansi, pkg, SECPKG_CRED_OUTBOUND, auth, &c), SEC_E_OK);
    ck_assert_status(it_server_cred(pkg, &server_id, &s), SEC_E_OK);
    ck_assert_status(it_handshake(pkg, &c, &s), SEC_E_OK);
    FreeCredentialsHandle(&c);
    FreeCredentialsHandle(&s);
}

/* High halves of a User pointer whose low half is 0x200: an EX Version. */
static const uintptr_t high_halves[] = {73, 0x100, 0x7000};

/* A plain identity whose User pointer looks like an EX header (low half
 * 0x200, high half >= 72 but not 72) is a plain identity: NTLM, Sample and
 * the mock read it right, and the handshake works. */
START_TEST(test_user_pointer_like_ex_header)
{
    struct mock_pkg_record *r = mock_rec();
    int mapped = 0;

    load_real();
    for (size_t i = 0; i < sizeof(high_halves) / sizeof(high_halves[0]); i++) {
        uint8_t *page = it_map_fixed(high_halves[i] << 32);
        SEC_WINNT_AUTH_IDENTITY_A a = {NULL,
                                       4,
                                       (unsigned char *)"DOMAIN",
                                       6,
                                       (unsigned char *)"Password",
                                       8,
                                       SEC_WINNT_AUTH_IDENTITY_ANSI};
        SEC_WINNT_AUTH_IDENTITY_W w = {NULL,
                                       4,
                                       (unsigned short *)u"DOMAIN",
                                       6,
                                       (unsigned short *)u"Password",
                                       8,
                                       SEC_WINNT_AUTH_IDENTITY_UNICODE};
        CredHandle c;
        uint32_t words[2];

        if (page == NULL)
            continue;
        mapped++;
        a.User = page + 0x200;
        memcpy(page + 0x200, "User", 4);
        memcpy(words, &a, sizeof(words));
        ck_assert_uint_eq(words[0], SEC_WINNT_AUTH_IDENTITY_VERSION);
        ck_assert_uint_ge(words[1], 72);

        ck_assert_status(acquire(true, "MockGood", SECPKG_CRED_OUTBOUND, &a, &c), SEC_E_OK);
        ck_assert_uint_eq(r->authdata_ptr, (uint64_t)(uintptr_t)&a);
        ck_assert_int_eq(r->identity_form, SSPI_IDENTITY_A);
        ck_assert_str_eq(r->identity_user, "User");
        FreeCredentialsHandle(&c);

        ck_assert_status(acquire(true, "NTLM", SECPKG_CRED_OUTBOUND, &a, &c), SEC_E_OK);
        ck_ntlm_names(&c, "DOMAIN\\User");
        FreeCredentialsHandle(&c);
        ck_handshake("NTLM", true, &a);
        ck_handshake("Sample", true, &a);

        w.User = (unsigned short *)(page + 0x200);
        memcpy(page + 0x200, u"User", 8);
        ck_handshake("NTLM", false, &w);
        ck_handshake("Sample", false, &w);
        it_unmap(page);
    }
    ck_assert_msg(mapped > 0 || !it_fixed_mappings(), "no fixed address could be mapped");
}
END_TEST

/* High half exactly 72: Windows' exact rule makes the plain identity an EX
 * header too (Version 0x200, Length 72).  Its EX fields are what follows
 * in memory: the core reads them through fault-tolerant copies and refuses
 * the identity before any package sees it, whether the bytes after the 48
 * of the structure are readable garbage or a PROT_NONE page. */
START_TEST(test_user_pointer_is_ex_header)
{
    struct mock_pkg_record *r = mock_rec();
    void *pages = it_guarded_pages();
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)(uintptr_t)0x4800000200u,
                                   4,
                                   (unsigned char *)"DOMAIN",
                                   6,
                                   (unsigned char *)"Password",
                                   8,
                                   SEC_WINNT_AUTH_IDENTITY_ANSI};
    static const char *const pkgs[] = {"MockGood", "NTLM", "Sample"};
    uint8_t tail[96];

    load_real();
    ck_assert_int_eq(sspi_identity_classify(&a, it_safe_read), SSPI_IDENTITY_EXW);
    for (size_t p = 0; p < 3; p++) {
        uint32_t calls = r->ach_calls;
        CredHandle c;
        void *at;

        /* Ends at a PROT_NONE page: the 72-byte read fails. */
        at = it_at_page_end(pages, &a, sizeof(a));
        ck_assert_status(acquire(true, pkgs[p], SECPKG_CRED_OUTBOUND, at, &c),
                         SEC_E_INVALID_PARAMETER);
        /* Followed by readable bytes: read as an EX whose fields are garbage. */
        memset(tail, 0xA5, sizeof(tail));
        memcpy(tail, &a, sizeof(a));
        ck_assert_status(acquire(true, pkgs[p], SECPKG_CRED_OUTBOUND, tail, &c),
                         SEC_E_INVALID_PARAMETER);
        memset(tail + sizeof(a), 0, sizeof(tail) - sizeof(a));
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, tail, &c),
                         SEC_E_INVALID_PARAMETER);
        ck_assert_uint_eq(r->ach_calls, calls);
    }
    it_guarded_free(pages);
}
END_TEST

/* The core never copies a plain identity: the package gets the caller's
 * pointer, with SECPKG_CALL_ANSI only for A calls. */
START_TEST(test_plain_passed_through)
{
    struct mock_pkg_record *r = mock_rec();
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"w",         1, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    uint8_t other[24] = {1, 2, 3}; /* not an identity at all */
    CredHandle c;

    ck_assert_status(acquire(false, "MockGood", SECPKG_CRED_OUTBOUND, &w, &c), SEC_E_OK);
    ck_assert_uint_eq(r->authdata_ptr, (uint64_t)(uintptr_t)&w);
    ck_assert_msg(!(r->call_attributes & SECPKG_CALL_ANSI), "W call marked ANSI");
    FreeCredentialsHandle(&c);
    ck_assert_status(acquire(true, "MockGood", SECPKG_CRED_OUTBOUND, &w, &c), SEC_E_OK);
    ck_assert_uint_eq(r->authdata_ptr, (uint64_t)(uintptr_t)&w);
    ck_assert_msg(r->call_attributes & SECPKG_CALL_ANSI, "A call not marked ANSI");
    FreeCredentialsHandle(&c);
    /* Something that is no identity reaches the package too: the mock's
     * parser refuses it, the core does not. */
    ck_assert_status(acquire(true, "MockGood", SECPKG_CRED_OUTBOUND, other, &c), SEC_E_OK);
    ck_assert_uint_eq(r->authdata_ptr, (uint64_t)(uintptr_t)other);
    ck_assert_int_ne(r->identity_status, SEC_E_OK);
    FreeCredentialsHandle(&c);
}
END_TEST

/* Identities at the very end of readable memory, through the packages. */
START_TEST(test_identity_at_page_end)
{
    void *pages = it_guarded_pages();
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)"User",     4, (unsigned char *)"DOMAIN",   6,
                                   (unsigned char *)"Password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle c;

    load_real();
    ck_handshake("NTLM", true, it_at_page_end(pages, &a, sizeof(a)));
    ck_handshake("Sample", true, it_at_page_end(pages, &a, sizeof(a)));
    /* A truncated structure: the package's reader refuses it. */
    ck_assert_status(acquire(true, "NTLM", SECPKG_CRED_OUTBOUND, it_at_page_end(pages, &a, 40), &c),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(
        acquire(true, "Sample", SECPKG_CRED_OUTBOUND, it_at_page_end(pages, &a, 40), &c),
        SEC_E_INVALID_PARAMETER);
    /* A pointer right at the guard page. */
    ck_assert_status(acquire(false, "NTLM", SECPKG_CRED_OUTBOUND, it_page_end(pages), &c),
                     SEC_E_INVALID_PARAMETER);
    it_guarded_free(pages);
}
END_TEST

/* EX2 of every size through the public API: the mock gets the core's EXW
 * or is never called. */
START_TEST(test_ex2_every_size_api)
{
    struct mock_pkg_record *r = mock_rec();
    void *pages = it_guarded_pages();
    uint8_t full[128];

    for (uint32_t n = 0; n <= 128; n++) {
        uint32_t calls = r->ach_calls;
        CredHandle c;
        SECURITY_STATUS st;

        memset(full, 0, sizeof(full));
        make_ex2(full, n);
        st = acquire(n & 1, "MockGood", SECPKG_CRED_OUTBOUND, it_at_page_end(pages, full, n), &c);
        if (n < 4) {
            /* Not even a Version to read: the package decides (and refuses). */
            ck_assert_status(st, SEC_E_OK);
            ck_assert_int_ne(r->identity_status, SEC_E_OK);
            FreeCredentialsHandle(&c);
        } else if (n < 84) {
            ck_assert_msg(st == SEC_E_INVALID_PARAMETER, "size %u: %s", n, tu_status_str(st));
            ck_assert_uint_eq(r->ach_calls, calls);
        } else {
            ck_assert_status(st, SEC_E_OK);
            ck_assert_int_eq(r->identity_form, SSPI_IDENTITY_EXW);
            ck_assert_str_eq(r->identity_user, "ab");
            ck_assert_str_eq(r->identity_password, "pw");
            FreeCredentialsHandle(&c);
        }
    }
    it_guarded_free(pages);
}
END_TEST

/* Every identity form logs on with NTLM and Sample. */
START_TEST(test_forms_handshake)
{
    static const char *const pkgs[] = {"NTLM", "Sample"};
    SEC_WINNT_AUTH_IDENTITY_A a = {(unsigned char *)"User",     4, (unsigned char *)"DOMAIN",   6,
                                   (unsigned char *)"Password", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_EXW exw = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                       .Length = sizeof(exw),
                                       .User = (unsigned short *)u"User",
                                       .UserLength = 4,
                                       .Domain = (unsigned short *)u"DOMAIN",
                                       .DomainLength = 6,
                                       .Password = (unsigned short *)u"Password",
                                       .PasswordLength = 8,
                                       .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_EXA exa = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                       .Length = sizeof(exa),
                                       .User = (unsigned char *)"User",
                                       .UserLength = 4,
                                       .Domain = (unsigned char *)"DOMAIN",
                                       .DomainLength = 6,
                                       .Password = (unsigned char *)"Password",
                                       .PasswordLength = 8,
                                       .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI};
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE ex2 = NULL, sealed = NULL;

    load_real();
    ck_assert_status(SspiEncodeStringsAsAuthIdentity(u"User", u"DOMAIN", u"Password", &ex2),
                     SEC_E_OK);
    ck_assert_status(SspiCopyAuthIdentity(ex2, &sealed), SEC_E_OK);
    ck_assert_status(SspiEncryptAuthIdentity(sealed), SEC_E_OK);
    ck_assert(SspiIsAuthIdentityEncrypted(sealed));
    for (size_t p = 0; p < 2; p++) {
        ck_handshake(pkgs[p], true, &a);
        ck_handshake(pkgs[p], false, &exw);
        ck_handshake(pkgs[p], true, &exw);
        ck_handshake(pkgs[p], true, &exa);
        ck_handshake(pkgs[p], false, ex2);
        ck_handshake(pkgs[p], true, sealed);
    }
    SspiFreeAuthIdentity(ex2);
    SspiFreeAuthIdentity(sealed);
}
END_TEST

/* Bad identities through each package: a defined status, no crash. */
START_TEST(test_bad_identities_api)
{
    static const char *const pkgs[] = {"MockGood", "NTLM", "Sample"};
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(ex),
                                      .User = (unsigned short *)u"u",
                                      .UserLength = 1};
    SEC_WINNT_AUTH_IDENTITY_EXA exa = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                       .Length = sizeof(exa),
                                       .User = (unsigned char *)"bad\xff",
                                       .UserLength = 4};
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"u",         1, NULL, 0, NULL, 0,
                                   SEC_WINNT_AUTH_IDENTITY_UNICODE};
    CredHandle c;

    mock_rec();
    load_real();
    exa.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    for (size_t p = 0; p < 3; p++) {
        ex.Flags = 0;
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, &ex, &c),
                         SEC_E_INVALID_PARAMETER);
        ex.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, &ex, &c),
                         SEC_E_INVALID_PARAMETER);
        ex.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
        ex.UserLength = 0xFFFFFFFFu;
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, &ex, &c),
                         SEC_E_INVALID_PARAMETER);
        ex.UserLength = 1;
        ck_assert_status(acquire(true, pkgs[p], SECPKG_CRED_OUTBOUND, &exa, &c),
                         SEC_E_INVALID_PARAMETER);
        if (p == 0)
            continue; /* the mock accepts what its parser refuses */
        w.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, &w, &c),
                         SEC_E_INVALID_PARAMETER);
        w.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
        w.PasswordLength = 0x7FFFFFFFu;
        w.Password = (unsigned short *)u"p";
        ck_assert_status(acquire(false, pkgs[p], SECPKG_CRED_OUTBOUND, &w, &c),
                         SEC_E_INVALID_PARAMETER);
        w.PasswordLength = 0;
        w.Password = NULL;
    }
}
END_TEST

static Suite *identity_suite(void)
{
    Suite *s = suite_create("identity");
    TCase *tc = tcase_create("parser");

    tcase_add_test(tc, test_parse_null);
    tcase_add_test(tc, test_parse_plain);
    tcase_add_test(tc, test_parse_wrong_flags);
    tcase_add_test(tc, test_parse_huge_lengths);
    tcase_add_test(tc, test_parse_string_overrun);
    tcase_add_test(tc, test_parse_invalid_utf8);
    tcase_add_test(tc, test_parse_utf16_units_kept);
    tcase_add_test(tc, test_parse_ex_versions_lengths);
    tcase_add_test(tc, test_parse_ex_truncated);
    tcase_add_test(tc, test_ex2_every_size);
    tcase_add_test(tc, test_ex2_lies);
    tcase_add_test(tc, test_ex2_fields);
    tcase_add_test(tc, test_protection_flags);
    tcase_add_test(tc, test_classify);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_user_pointer_like_ex_header);
    tcase_add_test(tc, test_user_pointer_is_ex_header);
    tcase_add_test(tc, test_plain_passed_through);
    tcase_add_test(tc, test_identity_at_page_end);
    tcase_add_test(tc, test_ex2_every_size_api);
    tcase_add_test(tc, test_forms_handshake);
    tcase_add_test(tc, test_bad_identities_api);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, identity_suite, NULL);
}
