/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-wincrypt.c - the <wincrypt.h> subset libsspi.so exports: contexts
 * (create, duplicate, free), CERT_INFO, properties, display names, stores
 * (memory, file, add dispositions, find by subject and hash, enumerate),
 * PKCS#12 import with its key, libsspi_cert_from_files, and bad input with
 * the last error Windows sets for it (GetLastError).  Certificates are made
 * at run time (src/tools/tool-pki.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "libsspi.h"
#include "wincrypt.h"
#include "tools/tool-pki.h"

static struct tool_pki pki;

/* The last error after a failing call, as Windows programs compare it. */
#define ck_last_error(want)                                                                        \
    do {                                                                                           \
        DWORD e_ = GetLastError();                                                                 \
        ck_assert_msg(e_ == (DWORD)(want), "GetLastError() = 0x%08x, want %s (0x%08x)",            \
                      (unsigned)e_, #want, (unsigned)(DWORD)(want));                               \
    } while (0)

/* The server certificate as a context without key. */
static PCCERT_CONTEXT server_cert(void)
{
    PCCERT_CONTEXT with_key = NULL, c;

    ck_assert_int_eq(libsspi_cert_from_files(pki.server, NULL, &with_key), SEC_E_OK);
    c = CertCreateCertificateContext(X509_ASN_ENCODING, with_key->pbCertEncoded,
                                     with_key->cbCertEncoded);
    ck_assert_ptr_nonnull(c);
    CertFreeCertificateContext(with_key);
    return c;
}

START_TEST(test_context_and_cert_info)
{
    PCCERT_CONTEXT c = server_cert(), d;
    const CERT_INFO *ci = c->pCertInfo;
    uint64_t before, after;

    ck_assert_uint_eq(c->dwCertEncodingType, X509_ASN_ENCODING);
    ck_assert_uint_eq(ci->dwVersion, CERT_V3);
    ck_assert_uint_gt(ci->SerialNumber.cbData, 0);
    ck_assert_uint_gt(ci->Subject.cbData, 0);
    ck_assert_uint_gt(ci->Issuer.cbData, 0);
    ck_assert_str_eq(ci->SubjectPublicKeyInfo.Algorithm.pszObjId, "1.2.840.10045.2.1");
    ck_assert_uint_eq(ci->SubjectPublicKeyInfo.PublicKey.cbData, 65); /* P-256 point */
    before = (uint64_t)ci->NotBefore.dwHighDateTime << 32 | ci->NotBefore.dwLowDateTime;
    after = (uint64_t)ci->NotAfter.dwHighDateTime << 32 | ci->NotAfter.dwLowDateTime;
    ck_assert(after > before);
    d = CertDuplicateCertificateContext(c);
    ck_assert_ptr_eq(d, c);
    ck_assert(CertFreeCertificateContext(d));
    ck_assert(CertFreeCertificateContext(c));
    ck_assert(CertFreeCertificateContext(NULL));
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, (const BYTE *)"junk", 4));
    ck_assert_ptr_null(CertCreateCertificateContext(PKCS_7_ASN_ENCODING, (const BYTE *)"x", 1));
}
END_TEST

START_TEST(test_properties)
{
    PCCERT_CONTEXT c = server_cert(), k = NULL;
    BYTE hash[32];
    DWORD len = 0;
    size_t glen = 20;
    uint8_t want[20];
    gnutls_datum_t der;

    ck_assert(CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, NULL, &len));
    ck_assert_uint_eq(len, 20);
    len = 10;
    SetLastError(0);
    ck_assert(!CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, hash, &len));
    ck_last_error(ERROR_MORE_DATA);
    ck_assert_uint_eq(len, 20);
    ck_assert(CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, hash, &len));
    der.data = c->pbCertEncoded;
    der.size = c->cbCertEncoded;
    gnutls_fingerprint(GNUTLS_DIG_SHA1, &der, want, &glen);
    ck_assert(memcmp(hash, want, 20) == 0);
    len = sizeof(hash);
    ck_assert(CertGetCertificateContextProperty(c, CERT_SHA256_HASH_PROP_ID, hash, &len));
    ck_assert_uint_eq(len, 32);
    len = 0;
    ck_assert(!CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len));
    ck_last_error(CRYPT_E_NOT_FOUND);
    SetLastError(0);
    ck_assert(!CertGetCertificateContextProperty(c, 9999, NULL, &len));
    ck_last_error(CRYPT_E_NOT_FOUND);
    SetLastError(0);
    ck_assert(!CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, NULL, NULL));
    ck_last_error(E_INVALIDARG);
    SetLastError(0);
    ck_assert(!CertGetCertificateContextProperty(NULL, CERT_SHA1_HASH_PROP_ID, NULL, &len));
    ck_last_error(E_INVALIDARG);
    ck_assert_int_eq(libsspi_cert_from_files(pki.server, NULL, &k), SEC_E_OK);
    ck_assert(CertGetCertificateContextProperty(k, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len));
    {
        CRYPT_KEY_PROV_INFO *info = malloc(len);

        ck_assert(CertGetCertificateContextProperty(k, CERT_KEY_PROV_INFO_PROP_ID, info, &len));
        ck_assert(memcmp(info->pwszProvName, u"libsspi", 16) == 0);
        len--;
        SetLastError(0);
        ck_assert(!CertGetCertificateContextProperty(k, CERT_KEY_PROV_INFO_PROP_ID, info, &len));
        ck_last_error(ERROR_MORE_DATA);
        free(info);
    }
    CertFreeCertificateContext(k);
    CertFreeCertificateContext(c);
}
END_TEST

START_TEST(test_names)
{
    PCCERT_CONTEXT c = server_cert();
    char name[256];
    WCHAR wname[256];

    ck_assert_uint_eq(
        CertGetNameStringA(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name)), 10);
    ck_assert_str_eq(name, "localhost");
    CertGetNameStringA(c, CERT_NAME_DNS_TYPE, 0, NULL, name, sizeof(name));
    ck_assert_str_eq(name, "localhost");
    CertGetNameStringA(c, CERT_NAME_RDN_TYPE, 0, NULL, name, sizeof(name));
    ck_assert_str_eq(name, "CN=localhost");
    CertGetNameStringA(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, name,
                       sizeof(name));
    ck_assert_str_eq(name, "libsspi test CA");
    ck_assert_uint_eq(CertGetNameStringA(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, NULL, 0), 10);
    ck_assert_uint_eq(CertGetNameStringA(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, 4), 4);
    ck_assert_str_eq(name, "loc");
    ck_assert_uint_eq(CertGetNameStringW(c, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, wname, 256),
                      10);
    ck_assert(memcmp(wname, u"localhost", 20) == 0);
    ck_assert_uint_eq(CertGetNameStringA(c, CERT_NAME_EMAIL_TYPE, 0, NULL, name, sizeof(name)), 1);
    ck_assert_uint_eq(CertGetNameStringA(NULL, CERT_NAME_RDN_TYPE, 0, NULL, name, sizeof(name)), 1);
    CertFreeCertificateContext(c);
}
END_TEST

START_TEST(test_stores)
{
    PCCERT_CONTEXT c = server_cert(), got = NULL, e = NULL;
    HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL), file;
    BYTE sha1[20];
    DWORD len = sizeof(sha1);
    CRYPT_HASH_BLOB blob = {20, sha1};
    int n = 0;

    ck_assert_ptr_nonnull(mem);
    ck_assert(CertAddCertificateContextToStore(mem, c, CERT_STORE_ADD_NEW, &got));
    ck_assert_ptr_eq(got->hCertStore, mem);
    SetLastError(0);
    ck_assert(!CertAddCertificateContextToStore(mem, c, CERT_STORE_ADD_NEW, NULL));
    ck_last_error(CRYPT_E_EXISTS);
    {
        PCCERT_CONTEXT same = NULL;

        ck_assert(CertAddCertificateContextToStore(mem, c, CERT_STORE_ADD_USE_EXISTING, &same));
        ck_assert_ptr_eq(same, got);
        CertFreeCertificateContext(same);
    }
    CertFreeCertificateContext(got);
    ck_assert(CertGetCertificateContextProperty(c, CERT_SHA1_HASH_PROP_ID, sha1, &len));
    got = CertFindCertificateInStore(mem, X509_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &blob, NULL);
    ck_assert_ptr_nonnull(got);
    /* the search goes on after (and frees) the previous context: none left */
    SetLastError(0);
    ck_assert_ptr_null(CertFindCertificateInStore(mem, X509_ASN_ENCODING, 0,
                                                  CERT_FIND_SUBJECT_STR_A, "LOCALHOST", got));
    ck_last_error(CRYPT_E_NOT_FOUND);
    got = CertFindCertificateInStore(mem, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_A,
                                     "LOCALHOST", NULL);
    ck_assert_ptr_nonnull(got);
    CertFreeCertificateContext(got);
    ck_assert_ptr_null(CertFindCertificateInStore(mem, X509_ASN_ENCODING, 0,
                                                  CERT_FIND_SUBJECT_STR_W, u"nobody", NULL));
    ck_last_error(CRYPT_E_NOT_FOUND);
    ck_assert_ptr_null(CertFindCertificateInStore(mem, X509_ASN_ENCODING, 0, 0x12345, NULL, NULL));
    ck_last_error(E_INVALIDARG);
    /* a file store: the PEM file with its certificate and key */
    file = CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, 0, pki.server);
    ck_assert_ptr_nonnull(file);
    while ((e = CertEnumCertificatesInStore(file, e)) != NULL) {
        len = 0;
        ck_assert(CertGetCertificateContextProperty(e, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len));
        n++;
    }
    ck_assert_int_eq(n, 1);
    ck_last_error(CRYPT_E_NOT_FOUND); /* the end of the enumeration */
    ck_assert_ptr_null(CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, 0, "/nonexistent.pem"));
    ck_last_error(ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_null(CertOpenStore((LPCSTR)(uintptr_t)99, 0, 0, 0, NULL));
    ck_last_error(ERROR_FILE_NOT_FOUND);
    /* a context found in a store outlives the store's handle */
    got = CertEnumCertificatesInStore(mem, NULL);
    ck_assert(CertCloseStore(mem, 0));
    ck_assert(CertCloseStore(file, 0));
    ck_assert_str_eq(got->pCertInfo->SubjectPublicKeyInfo.Algorithm.pszObjId, "1.2.840.10045.2.1");
    CertFreeCertificateContext(got);
    ck_assert(CertCloseStore(NULL, 0));
    CertFreeCertificateContext(c);
}
END_TEST

START_TEST(test_pfx_import)
{
    char cmd[1024], path[300];
    FILE *f;
    static uint8_t buf[65536];
    CRYPT_DATA_BLOB blob = {0, buf};
    HCERTSTORE s;
    PCCERT_CONTEXT c;
    DWORD len = 0;

    snprintf(path, sizeof(path), "%s/server.p12", pki.dir);
    snprintf(cmd, sizeof(cmd),
             "openssl pkcs12 -export -in %s -inkey %s -passout pass:secret -out %s 2>/dev/null",
             pki.server, pki.server, path);
    if (system(cmd) != 0) {
        fprintf(stderr, "note: openssl not found; PFX import not exercised\n");
        return;
    }
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    blob.cbData = (DWORD)fread(buf, 1, sizeof(buf), f);
    fclose(f);
    unlink(path);
    SetLastError(0);
    ck_assert_ptr_null(PFXImportCertStore(&blob, u"wrong", 0));
    ck_last_error(HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD));
    ck_assert_uint_eq(GetLastError(), 0x80070056u);
    ck_assert_ptr_null(PFXImportCertStore(&blob, NULL, 0));
    ck_last_error(HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD));
    s = PFXImportCertStore(&blob, u"secret", 0);
    ck_assert_ptr_nonnull(s);
    c = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_A, "localhost",
                                   NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert(CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len));
    CertFreeCertificateContext(c);
    CertCloseStore(s, 0);
    SetLastError(0);
    ck_assert_ptr_null(PFXImportCertStore(NULL, NULL, 0));
    ck_last_error(ERROR_INVALID_PARAMETER);
    blob.pbData = (BYTE *)"\x04\x03"
                          "abc";
    blob.cbData = 5;
    ck_assert_ptr_null(PFXImportCertStore(&blob, u"secret", 0));
    ck_last_error(CRYPT_E_ASN1_BADTAG);
    blob.pbData = (BYTE *)"\x30\x82\x10\x00\x02";
    ck_assert_ptr_null(PFXImportCertStore(&blob, u"secret", 0));
    ck_last_error(CRYPT_E_ASN1_EOD);
}
END_TEST

START_TEST(test_cert_from_files)
{
    PCCERT_CONTEXT c = NULL;

    ck_assert_int_eq(libsspi_cert_from_files(pki.server, pki.server, &c), SEC_E_OK);
    CertFreeCertificateContext(c);
    {
        /* a DER certificate alone: no key */
        PCCERT_CONTEXT d = server_cert();
        char path[300];
        FILE *f;

        snprintf(path, sizeof(path), "%s/server.der", pki.dir);
        f = fopen(path, "wb");
        fwrite(d->pbCertEncoded, 1, d->cbCertEncoded, f);
        fclose(f);
        CertFreeCertificateContext(d);
        ck_assert_int_eq(libsspi_cert_from_files(path, NULL, &c), SEC_E_NO_CREDENTIALS);
        unlink(path);
    }
    ck_assert_int_eq(libsspi_cert_from_files(pki.server, pki.client, &c), SEC_E_NO_CREDENTIALS);
    ck_assert_int_eq(libsspi_cert_from_files("/nonexistent", NULL, &c), SEC_E_UNKNOWN_CREDENTIALS);
    ck_assert_int_eq(libsspi_cert_from_files(NULL, NULL, &c), SEC_E_INVALID_PARAMETER);
    /* a key in a token must be there now (tests/schannel/check-schannel-pkcs11
     * makes a token and uses it) */
    SetLastError(0);
    ck_assert_int_eq(libsspi_cert_from_files(pki.server, "pkcs11:token=none;object=key", &c),
                     SEC_E_NO_CREDENTIALS);
    ck_assert_ptr_null(c);
    ck_last_error(NTE_BAD_KEYSET);
}
END_TEST

/* Undecodable certificates: the crypt32 ASN.1 errors. */
START_TEST(test_create_errors)
{
    PCCERT_CONTEXT c = server_cert(), bad;
    BYTE buf[4096];
    DWORD n = c->cbCertEncoded;

    ck_assert_uint_lt(n, sizeof(buf) - 1);
    memcpy(buf, c->pbCertEncoded, n);
    SetLastError(0);
    ck_assert_ptr_null(CertCreateCertificateContext(0, buf, n));
    ck_last_error(E_INVALIDARG);
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, NULL, 0));
    ck_last_error(CRYPT_E_ASN1_EOD);
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, buf, n - 10));
    ck_last_error(CRYPT_E_ASN1_EOD);
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, buf, 3));
    ck_last_error(CRYPT_E_ASN1_EOD);
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, (const BYTE *)"junk", 4));
    ck_last_error(CRYPT_E_ASN1_BADTAG);
    buf[4] ^= 0x01; /* the tag of TBSCertificate */
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, buf, n));
    ck_last_error(CRYPT_E_ASN1_BADTAG);
    buf[4] ^= 0x01;
    buf[n] = 0;
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, buf, n + 1));
    ck_last_error(CRYPT_E_ASN1_CORRUPT);
    buf[1] = 0x85; /* five length octets */
    ck_assert_ptr_null(CertCreateCertificateContext(X509_ASN_ENCODING, buf, n));
    ck_last_error(CRYPT_E_ASN1_CORRUPT);
    /* the byte-by-byte truncations all fail with a defined error */
    for (DWORD i = 0; i < n; i++) {
        SetLastError(0);
        bad = CertCreateCertificateContext(X509_ASN_ENCODING, c->pbCertEncoded, i);
        ck_assert_ptr_null(bad);
        ck_assert_msg(GetLastError() == (DWORD)CRYPT_E_ASN1_EOD ||
                          GetLastError() == (DWORD)CRYPT_E_ASN1_BADTAG,
                      "%u bytes: 0x%08x", (unsigned)i, (unsigned)GetLastError());
    }
    SetLastError(0);
    ck_assert_ptr_null(CertDuplicateCertificateContext(NULL));
    ck_assert_uint_eq(GetLastError(), 0);
    ck_assert(!CertFreeCertificateContext((PCCERT_CONTEXT)buf));
    ck_last_error(E_INVALIDARG);
    CertFreeCertificateContext(c);
}
END_TEST

/* Store errors: providers, names, read-only stores, foreign contexts. */
START_TEST(test_store_errors)
{
    PCCERT_CONTEXT c = server_cert(), in_a = NULL;
    HCERTSTORE a = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE b = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    HCERTSTORE ro, bogus;
    char path[300];
    FILE *f;

    ck_assert(CertAddCertificateContextToStore(a, c, CERT_STORE_ADD_ALWAYS, &in_a));
    ck_assert(CertAddCertificateContextToStore(b, c, CERT_STORE_ADD_ALWAYS, NULL));
    /* a previous context of another store: refused, and freed as on Windows */
    SetLastError(0);
    ck_assert_ptr_null(CertEnumCertificatesInStore(b, in_a));
    ck_last_error(E_INVALIDARG);
    memset(path, 0xa5, sizeof(path)); /* a forged handle: readable, not a store */
    ck_assert_ptr_null(CertEnumCertificatesInStore((HCERTSTORE)path, NULL));
    ck_last_error(E_INVALIDARG);
    ck_assert(!CertCloseStore((HCERTSTORE)path, 0));
    ck_last_error(E_INVALIDARG);
    ck_assert_ptr_null(CertDuplicateStore(NULL));
    ck_last_error(E_INVALIDARG);
    ck_assert(!CertAddCertificateContextToStore(a, c, 0, NULL));
    ck_last_error(E_INVALIDARG);
    ck_assert(!CertAddEncodedCertificateToStore(a, X509_ASN_ENCODING, (const BYTE *)"junk", 4,
                                                CERT_STORE_ADD_NEW, NULL));
    ck_last_error(CRYPT_E_ASN1_BADTAG);
    /* a read-only store refuses additions */
    ro = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_READONLY_FLAG, NULL);
    ck_assert(!CertAddCertificateContextToStore(ro, c, CERT_STORE_ADD_ALWAYS, NULL));
    ck_last_error(E_ACCESSDENIED);
    CertCloseStore(ro, 0);
    /* names: none, read-only with commit, unknown system stores */
    ck_assert_ptr_null(CertOpenStore(CERT_STORE_PROV_FILENAME_W, 0, 0, 0, NULL));
    ck_last_error(ERROR_PATH_NOT_FOUND);
    ck_assert_ptr_null(CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0,
                                     CERT_STORE_READONLY_FLAG | CERT_FILE_STORE_COMMIT_ENABLE_FLAG,
                                     pki.server));
    ck_last_error(E_INVALIDARG);
    ck_assert_ptr_null(CertOpenSystemStoreW(0, NULL));
    ck_last_error(E_INVALIDARG);
    bogus = CertOpenSystemStoreA(0, "Bogus");
    ck_assert_ptr_nonnull(bogus);
    SetLastError(0);
    ck_assert_ptr_null(CertEnumCertificatesInStore(bogus, NULL));
    ck_last_error(CRYPT_E_NOT_FOUND);
    CertCloseStore(bogus, 0);
    ck_assert_ptr_null(CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0,
                                     CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_OPEN_EXISTING_FLAG,
                                     "Bogus"));
    ck_last_error(ERROR_FILE_NOT_FOUND);
    /* a file that holds no certificate */
    snprintf(path, sizeof(path), "%s/empty.pem", pki.dir);
    f = fopen(path, "w");
    fputs("not a certificate\n", f);
    fclose(f);
    ck_assert_ptr_null(CertOpenStore(CERT_STORE_PROV_FILENAME_A, 0, 0, 0, path));
    ck_last_error(CRYPT_E_FILE_ERROR);
    unlink(path);
    CertCloseStore(a, 0);
    CertCloseStore(b, 0);
    CertFreeCertificateContext(c);
}
END_TEST

/* "MY" is the certificate directory: each file with its key. */
START_TEST(test_my_store)
{
    HCERTSTORE my;
    PCCERT_CONTEXT e = NULL;
    DWORD len;
    int n = 0, with_key = 0;

    setenv("LIBSSPI_CERT_DIR", pki.dir, 1);
    my = CertOpenSystemStoreA(0, "MY");
    ck_assert_ptr_nonnull(my);
    while ((e = CertEnumCertificatesInStore(my, e)) != NULL) {
        len = 0;
        n++;
        with_key += CertGetCertificateContextProperty(e, CERT_KEY_PROV_INFO_PROP_ID, NULL, &len);
    }
    ck_assert_int_ge(n, 8); /* the PKI's files, each with its key except the CAs' */
    ck_assert_int_eq(with_key, n - 2);
    CertCloseStore(my, 0);
    unsetenv("LIBSSPI_CERT_DIR");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wincrypt");
    TCase *tc = tcase_create("certificates");
    SRunner *sr;
    int failed;

    if (!tool_pki_make(&pki))
        return 99;
    tcase_add_test(tc, test_context_and_cert_info);
    tcase_add_test(tc, test_properties);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_stores);
    tcase_add_test(tc, test_pfx_import);
    tcase_add_test(tc, test_cert_from_files);
    tcase_add_test(tc, test_create_errors);
    tcase_add_test(tc, test_store_errors);
    tcase_add_test(tc, test_my_store);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    tool_pki_remove(&pki);
    return failed == 0 ? 0 : 1;
}
