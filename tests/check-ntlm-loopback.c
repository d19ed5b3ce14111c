/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-loopback.c - the NTLM package end to end through the public
 * SSPI API: an initiator and an acceptor in one process, the acceptor's
 * users in a file named by NTLM_USER_FILE (or option.user_file in a test
 * configuration).  Covers the handshake, sign/verify and seal/unseal both
 * ways, buffer layouts, sign-only wrapping, datagram mode, tampering,
 * replay, wrong passwords, unknown users, channel bindings, target names,
 * anonymous logons, ALLOCATE_MEMORY, attributes and export/import.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sspi.h"
#include "libsspi.h"
#include "ntsecpkg.h" /* SECPKG_ATTR_LIBSSPI_RESET_CRYPTO */
#include "pkg-harness.h"

#define ISC_FLAGS                                                                                  \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define ASC_FLAGS                                                                                  \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

static char tmpdir[256];
static char userfile[4200];

/* The users of tests/ntlm-users.txt (the file is used when top_srcdir is
 * known, else this copy is written). */
static const char users[] = "DOMAIN:User:Password\n"
                            "Domain:colon:pass:word\n"
                            ":anyuser:secret\n"
                            "TESTDOM:hashuser:NT:a4f49c406510bdcab6824ee7c30fd852\n"
                            "TESTDOM:J\xc3\xbcrgen:p\xc3\xa4ss\n";

static void write_users(void)
{
    const char *top = getenv("top_srcdir");
    FILE *f;

    snprintf(tmpdir, sizeof tmpdir, "/tmp/check-ntlm-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    if (top) {
        snprintf(userfile, sizeof userfile, "%s/tests/ntlm-users.txt", top);
        if (access(userfile, R_OK) == 0)
            return;
    }
    snprintf(userfile, sizeof userfile, "%s/users", tmpdir);
    f = fopen(userfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs(users, f);
    fclose(f);
}

static void cleanup_users(void)
{
    char path[400];

    snprintf(path, sizeof path, "%s/ntlm.conf", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/users", tmpdir);
    unlink(path);
    rmdir(tmpdir);
}

static void module_path(char *buf, size_t n)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    ck_assert_ptr_nonnull(dir);
    snprintf(buf, n, "%s/ntlm/.libs/ntlm.so", dir);
}

static void setup(void)
{
    char path[4096];

    write_users();
    setenv("NTLM_USER_FILE", userfile, 1);
    module_path(path, sizeof path);
    {
        PSecPkgInfoA info = NULL;
        if (QuerySecurityPackageInfoA("NTLM", &info) == SEC_E_OK) {
            FreeContextBuffer(info);
            return;
        }
    }
    ck_assert_status(AddSecurityPackageA(path, NULL), SEC_E_OK);
}

static void teardown(void)
{
    cleanup_users();
}

/* ---- helpers ------------------------------------------------------------- */

static SECURITY_STATUS acquire_a(const char *user, const char *domain, const char *password,
                                 uint32_t use, CredHandle *cred)
{
    struct ph_identity id = {user, domain, password};

    return ph_acquire("NTLM", PH_FORM_A, &id, use, cred);
}

static SECURITY_STATUS acquire_exw(const char16_t *user, const char16_t *domain,
                                   const char16_t *password, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_EXW id = {0};
    size_t n;

    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof id;
    id.User = (unsigned short *)user;
    for (n = 0; user[n]; n++)
        ;
    id.UserLength = (uint32_t)n;
    id.Domain = (unsigned short *)domain;
    for (n = 0; domain[n]; n++)
        ;
    id.DomainLength = (uint32_t)n;
    id.Password = (unsigned short *)password;
    for (n = 0; password[n]; n++)
        ;
    id.PasswordLength = (uint32_t)n;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NTLM", SECPKG_CRED_OUTBOUND, NULL, &id,
                                     NULL, NULL, cred, NULL);
}

static SECURITY_STATUS server_cred(CredHandle *cred)
{
    return AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                     cred, NULL);
}

/* Channel bindings block with application data `app`. */
struct cb {
    SEC_CHANNEL_BINDINGS h;
    char data[64];
};

static void make_cb(struct cb *cb, const char *app)
{
    memset(cb, 0, sizeof *cb);
    cb->h.cbApplicationDataLength = (uint32_t)strlen(app);
    cb->h.dwApplicationDataOffset = sizeof(SEC_CHANNEL_BINDINGS);
    memcpy(cb->data, app, strlen(app));
}

struct hs_opts {
    const char *target;
    const struct cb *client_cb, *server_cb;
    uint32_t isc_req, asc_req;
    uint32_t client_attrs, server_attrs;
};

/* Full handshake; returns the first non-continue status of either side. */
static SECURITY_STATUS handshake(CredHandle *cc, CredHandle *sc, CtxtHandle *c, CtxtHandle *s,
                                 struct hs_opts *o)
{
    uint8_t t1[4096], t2[4096], t3[4096];
    SecBuffer ob = {sizeof t1, SECBUFFER_TOKEN, t1};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer ib[2];
    SecBufferDesc id = {SECBUFFER_VERSION, 1, ib};
    uint32_t isc_req = o && o->isc_req ? o->isc_req : ISC_FLAGS;
    uint32_t asc_req = o && o->asc_req ? o->asc_req : ASC_FLAGS;
    const char *target = o ? o->target : NULL;
    uint32_t ca = 0, sa = 0;
    SECURITY_STATUS st;

    st = InitializeSecurityContextA(cc, NULL, (SEC_CHAR *)target, isc_req, 0, SECURITY_NATIVE_DREP,
                                    NULL, 0, c, &od, &ca, NULL);
    if (st != SEC_I_CONTINUE_NEEDED)
        return st;
    ib[0] = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){sizeof t2, SECBUFFER_TOKEN, t2};
    st = AcceptSecurityContext(sc, NULL, &id, asc_req, SECURITY_NATIVE_DREP, s, &od, &sa, NULL);
    if (st != SEC_I_CONTINUE_NEEDED) {
        DeleteSecurityContext(c);
        return st;
    }
    ib[0] = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t2};
    id.cBuffers = 1;
    if (o && o->client_cb) {
        ib[1] = (SecBuffer){sizeof *o->client_cb, SECBUFFER_CHANNEL_BINDINGS, (void *)o->client_cb};
        id.cBuffers = 2;
    }
    ob = (SecBuffer){sizeof t3, SECBUFFER_TOKEN, t3};
    st = InitializeSecurityContextA(cc, c, (SEC_CHAR *)target, isc_req, 0, SECURITY_NATIVE_DREP,
                                    &id, 0, c, &od, &ca, NULL);
    if (st != SEC_E_OK) {
        DeleteSecurityContext(c);
        DeleteSecurityContext(s);
        return st;
    }
    ib[0] = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, t3};
    id.cBuffers = 1;
    if (o && o->server_cb) {
        ib[1] = (SecBuffer){sizeof *o->server_cb, SECBUFFER_CHANNEL_BINDINGS, (void *)o->server_cb};
        id.cBuffers = 2;
    }
    ob = (SecBuffer){sizeof t1, SECBUFFER_TOKEN, t1};
    st = AcceptSecurityContext(sc, s, &id, asc_req, SECURITY_NATIVE_DREP, s, &od, &sa, NULL);
    if (st != SEC_E_OK) {
        DeleteSecurityContext(c);
        DeleteSecurityContext(s);
        return st;
    }
    if (o) {
        o->client_attrs = ca;
        o->server_attrs = sa;
    }
    return SEC_E_OK;
}

struct pair {
    CredHandle cc, sc;
    CtxtHandle c, s;
};

static void open_pair(struct pair *p, const char *user, const char *domain, const char *pw,
                      struct hs_opts *o)
{
    ck_assert_status(acquire_a(user, domain, pw, SECPKG_CRED_OUTBOUND, &p->cc), SEC_E_OK);
    ck_assert_status(server_cred(&p->sc), SEC_E_OK);
    ck_assert_status(handshake(&p->cc, &p->sc, &p->c, &p->s, o), SEC_E_OK);
}

static void close_pair(struct pair *p)
{
    ck_assert_status(DeleteSecurityContext(&p->c), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p->s), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p->cc), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p->sc), SEC_E_OK);
}

static SECURITY_STATUS expect_denied(const char *user, const char *domain, const char *pw)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    SECURITY_STATUS st;

    ck_assert_status(acquire_a(user, domain, pw, SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    st = handshake(&cc, &sc, &c, &s, NULL);
    if (st == SEC_E_OK) {
        DeleteSecurityContext(&c);
        DeleteSecurityContext(&s);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return st;
}

static SECURITY_STATUS sign(CtxtHandle *h, uint8_t *data, uint32_t len, uint8_t sig[16],
                            uint32_t seq)
{
    SecBuffer b[2] = {{len, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    return MakeSignature(h, 0, &d, seq);
}

static SECURITY_STATUS verify(CtxtHandle *h, uint8_t *data, uint32_t len, uint8_t sig[16],
                              uint32_t seq)
{
    SecBuffer b[2] = {{len, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop = 77;
    SECURITY_STATUS st = VerifySignature(h, &d, seq, &qop);
    if (st == SEC_E_OK)
        ck_assert_uint_eq(qop, 0);
    return st;
}

static SECURITY_STATUS seal(CtxtHandle *h, uint8_t *data, uint32_t len, uint8_t sig[16],
                            uint32_t qop)
{
    SecBuffer b[2] = {{len, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    return EncryptMessage(h, qop, &d, 0);
}

static SECURITY_STATUS unseal(CtxtHandle *h, uint8_t *data, uint32_t len, uint8_t sig[16],
                              uint32_t *qop)
{
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    return DecryptMessage(h, &d, 0, qop);
}

/* ---- tests ------------------------------------------------------------------ */

START_TEST(test_package_info)
{
    PSecPkgInfoA info = NULL;

    ck_assert_status(QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
    ck_assert_str_eq(info->Name, "NTLM");
    ck_assert_uint_eq(info->cbMaxToken, 2888);
    ck_assert_uint_eq(info->wRPCID, 10);
    ck_assert_uint_eq(info->fCapabilities & 0x82B37u, 0x82B37u);
    FreeContextBuffer(info);
}
END_TEST

START_TEST(test_handshake_attributes)
{
    struct pair p;
    struct hs_opts o = {.target = "HTTP/server.example.com"};
    SecPkgContext_Sizes sz;
    SecPkgContext_NamesA names;
    SecPkgContext_SessionKey k1, k2;
    SecPkgContext_Flags fl;
    SecPkgContext_Lifespan ls;
    SecPkgContext_PackageInfoA pi;
    SecPkgContext_NativeNamesA nn;
    SecPkgContext_KeyInfoA ki;

    open_pair(&p, "User", "DOMAIN", "Password", &o);
    ck_assert(o.client_attrs & ISC_RET_CONFIDENTIALITY);
    ck_assert(o.client_attrs & ISC_RET_INTEGRITY);
    ck_assert(o.server_attrs & ASC_RET_INTEGRITY);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxToken, 2888);
    ck_assert_uint_eq(sz.cbMaxSignature, 16);
    ck_assert_uint_eq(sz.cbBlockSize, 0);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 16);

    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "DOMAIN\\User");
    ck_assert_status(FreeContextBuffer(names.sUserName), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "DOMAIN\\User");
    ck_assert_status(FreeContextBuffer(names.sUserName), SEC_E_OK);

    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NATIVE_NAMES, &nn), SEC_E_OK);
    ck_assert_str_eq(nn.sClientName, "DOMAIN\\User");
    ck_assert_str_eq(nn.sServerName, "HTTP/server.example.com");
    FreeContextBuffer(nn.sClientName);
    FreeContextBuffer(nn.sServerName);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_SESSION_KEY, &k1), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_SESSION_KEY, &k2), SEC_E_OK);
    ck_assert_uint_eq(k1.SessionKeyLength, 16);
    ck_assert_uint_eq(k2.SessionKeyLength, 16);
    ck_assert_mem_eq(k1.SessionKey, k2.SessionKey, 16);
    FreeContextBuffer(k1.SessionKey);
    FreeContextBuffer(k2.SessionKey);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
    ck_assert_uint_eq(fl.Flags, o.client_attrs);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_LIFESPAN, &ls), SEC_E_OK);
    ck_assert(ls.tsExpiry.QuadPart > ls.tsStart.QuadPart);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, "NTLM");
    ck_assert_uint_eq(pi.PackageInfo->cbMaxToken, 2888);
    FreeContextBuffer(pi.PackageInfo);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    ck_assert_uint_eq(ki.KeySize, 128);
    ck_assert_str_eq(ki.sEncryptAlgorithmName, "RSADSI RC4");
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);

    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_STREAM_SIZES, &sz),
                     SEC_E_UNSUPPORTED_FUNCTION);
    {
        SecPkgCredentials_NamesA cn;
        ck_assert_status(QueryCredentialsAttributesA(&p.cc, SECPKG_CRED_ATTR_NAMES, &cn), SEC_E_OK);
        ck_assert_str_eq(cn.sUserName, "DOMAIN\\User");
        ck_assert_status(FreeContextBuffer(cn.sUserName), SEC_E_OK);
    }
    close_pair(&p);
}
END_TEST

START_TEST(test_sign_verify_many)
{
    struct pair p;
    uint8_t buf[4096], sig[16];

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    for (uint32_t i = 0; i < 200; i++) {
        uint32_t len = (i * 37) % sizeof buf;
        CtxtHandle *from = (i % 3) ? &p.c : &p.s, *to = (i % 3) ? &p.s : &p.c;
        ph_fill(buf, len, i);
        ck_assert_status(sign(from, buf, len, sig, 0), SEC_E_OK);
        ck_assert_uint_eq(sig[0], 1);
        ck_assert_status(verify(to, buf, len, sig, 0), SEC_E_OK);
    }
    close_pair(&p);
}
END_TEST

START_TEST(test_seal_unseal_many)
{
    struct pair p;
    uint8_t buf[4096], orig[4096], sig[16];
    uint32_t qop;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    for (uint32_t i = 0; i < 200; i++) {
        uint32_t len = 1 + (i * 53) % (sizeof buf - 1);
        CtxtHandle *from = (i & 1) ? &p.c : &p.s, *to = (i & 1) ? &p.s : &p.c;
        ph_fill(orig, len, i + 1000);
        memcpy(buf, orig, len);
        ck_assert_status(seal(from, buf, len, sig, 0), SEC_E_OK);
        if (len > 8)
            ck_assert(memcmp(buf, orig, len) != 0);
        qop = 99;
        ck_assert_status(unseal(to, buf, len, sig, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_mem_eq(buf, orig, len);
    }
    close_pair(&p);
}
END_TEST

START_TEST(test_seal_layouts_readonly)
{
    struct pair p;
    uint8_t hdr[20], data[100], orig[100], trailer[7], tok[16], pad[8];
    uint8_t ohdr[20];
    SecBuffer b[5];
    SecBufferDesc d = {SECBUFFER_VERSION, 5, b};
    uint32_t qop;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ph_fill(hdr, sizeof hdr, 1);
    memcpy(ohdr, hdr, sizeof hdr);
    ph_fill(data, sizeof data, 2);
    memcpy(orig, data, sizeof data);
    ph_fill(trailer, sizeof trailer, 3);
    /* [TOKEN][READONLY hdr][DATA][READONLY_WITH_CHECKSUM trailer][PADDING] */
    b[0] = (SecBuffer){sizeof tok, SECBUFFER_TOKEN, tok};
    b[1] = (SecBuffer){sizeof hdr, SECBUFFER_DATA | SECBUFFER_READONLY, hdr};
    b[2] = (SecBuffer){sizeof data, SECBUFFER_DATA, data};
    b[3] = (SecBuffer){sizeof trailer, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, trailer};
    b[4] = (SecBuffer){sizeof pad, SECBUFFER_PADDING, pad};
    ck_assert_status(EncryptMessage(&p.c, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 16);
    ck_assert_uint_eq(b[4].cbBuffer, 0);
    ck_assert_mem_eq(hdr, ohdr, sizeof hdr);
    ck_assert(memcmp(data, orig, sizeof data) != 0);
    /* Receiver uses [DATA...][TOKEN] order. */
    {
        SecBuffer r[4] = {
            {sizeof hdr, SECBUFFER_DATA | SECBUFFER_READONLY, hdr},
            {sizeof data, SECBUFFER_DATA, data},
            {sizeof trailer, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, trailer},
            {16, SECBUFFER_TOKEN, tok},
        };
        SecBufferDesc rd = {SECBUFFER_VERSION, 4, r};
        ck_assert_status(DecryptMessage(&p.s, &rd, 0, &qop), SEC_E_OK);
        ck_assert_mem_eq(data, orig, sizeof data);
    }
    /* A changed read-only header is detected. */
    ck_assert_status(EncryptMessage(&p.c, 0, &d, 0), SEC_E_OK);
    b[4].cbBuffer = sizeof pad;
    hdr[3] ^= 1;
    {
        SecBuffer r[4] = {
            {sizeof hdr, SECBUFFER_DATA | SECBUFFER_READONLY, hdr},
            {sizeof data, SECBUFFER_DATA, data},
            {sizeof trailer, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, trailer},
            {16, SECBUFFER_TOKEN, tok},
        };
        SecBufferDesc rd = {SECBUFFER_VERSION, 4, r};
        ck_assert_status(DecryptMessage(&p.s, &rd, 0, &qop), SEC_E_MESSAGE_ALTERED);
    }
    close_pair(&p);
}
END_TEST

START_TEST(test_wrap_no_encrypt)
{
    struct pair p;
    uint8_t buf[64], orig[64], sig[16];
    uint32_t qop = 0;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ph_fill(orig, sizeof orig, 9);
    memcpy(buf, orig, sizeof buf);
    ck_assert_status(seal(&p.s, buf, sizeof buf, sig, SECQOP_WRAP_NO_ENCRYPT), SEC_E_OK);
    ck_assert_mem_eq(buf, orig, sizeof buf);
    ck_assert_status(unseal(&p.c, buf, sizeof buf, sig, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, SECQOP_WRAP_NO_ENCRYPT);
    ck_assert_mem_eq(buf, orig, sizeof buf);
    /* Encrypted messages keep flowing afterwards. */
    ck_assert_status(seal(&p.s, buf, sizeof buf, sig, 0), SEC_E_OK);
    ck_assert_status(unseal(&p.c, buf, sizeof buf, sig, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0);
    ck_assert_mem_eq(buf, orig, sizeof buf);
    ck_assert_status(seal(&p.s, buf, sizeof buf, sig, 0x1234), SEC_E_QOP_NOT_SUPPORTED);
    close_pair(&p);
}
END_TEST

START_TEST(test_tamper)
{
    struct pair p;
    uint8_t buf[100], sig[16], sig2[16];
    uint32_t qop;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ph_fill(buf, sizeof buf, 5);
    ck_assert_status(sign(&p.c, buf, sizeof buf, sig, 0), SEC_E_OK);
    buf[10] ^= 0x80;
    ck_assert_status(verify(&p.s, buf, sizeof buf, sig, 0), SEC_E_MESSAGE_ALTERED);
    buf[10] ^= 0x80;
    memcpy(sig2, sig, 16);
    sig2[5] ^= 1;
    ck_assert_status(verify(&p.s, buf, sizeof buf, sig2, 0), SEC_E_MESSAGE_ALTERED);
    /* The failures did not advance the receiver: the real message verifies. */
    ck_assert_status(verify(&p.s, buf, sizeof buf, sig, 0), SEC_E_OK);

    ck_assert_status(seal(&p.c, buf, sizeof buf, sig, 0), SEC_E_OK);
    buf[0] ^= 1;
    ck_assert_status(unseal(&p.s, buf, sizeof buf, sig, &qop), SEC_E_MESSAGE_ALTERED);
    close_pair(&p);
}
END_TEST

START_TEST(test_replay_reorder)
{
    struct pair p;
    uint8_t m0[32], m1[32], m2[32], s0[16], s1[16], s2[16];

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ph_fill(m0, 32, 1);
    ph_fill(m1, 32, 2);
    ph_fill(m2, 32, 3);
    ck_assert_status(sign(&p.c, m0, 32, s0, 0), SEC_E_OK);
    ck_assert_status(sign(&p.c, m1, 32, s1, 0), SEC_E_OK);
    ck_assert_status(sign(&p.c, m2, 32, s2, 0), SEC_E_OK);
    ck_assert_status(verify(&p.s, m0, 32, s0, 0), SEC_E_OK);
    ck_assert_status(verify(&p.s, m0, 32, s0, 0), SEC_E_OUT_OF_SEQUENCE); /* replay */
    ck_assert_status(verify(&p.s, m2, 32, s2, 0), SEC_E_OUT_OF_SEQUENCE); /* skipped one */
    ck_assert_status(verify(&p.s, m1, 32, s1, 0), SEC_E_OK);
    ck_assert_status(verify(&p.s, m2, 32, s2, 0), SEC_E_OK);
    ck_assert_status(verify(&p.s, m2, 32, s2, 0), SEC_E_OUT_OF_SEQUENCE);
    close_pair(&p);
}
END_TEST

START_TEST(test_bad_buffers)
{
    struct pair p;
    uint8_t buf[32] = {0}, sig[16], small[8];
    SecBuffer b[2] = {{32, SECBUFFER_DATA, buf}, {8, SECBUFFER_TOKEN, small}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecBuffer only[1] = {{32, SECBUFFER_DATA, buf}};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, only};
    uint32_t qop;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ck_assert_status(MakeSignature(&p.c, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(EncryptMessage(&p.c, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(VerifySignature(&p.s, &d, 0, &qop), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(DecryptMessage(&p.s, &d, 0, &qop), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(MakeSignature(&p.c, 0, &od, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(EncryptMessage(&p.c, 0, &od, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(VerifySignature(&p.s, &od, 0, &qop), SEC_E_INVALID_TOKEN);
    ck_assert_status(DecryptMessage(&p.s, &od, 0, &qop), SEC_E_INVALID_TOKEN);
    /* A signature of another version. */
    ck_assert_status(sign(&p.c, buf, 32, sig, 0), SEC_E_OK);
    sig[0] = 2;
    ck_assert_status(verify(&p.s, buf, 32, sig, 0), SEC_E_INVALID_TOKEN);
    sig[0] = 1;
    ck_assert_status(verify(&p.s, buf, 32, sig, 0), SEC_E_OK);
    close_pair(&p);
}
END_TEST

START_TEST(test_wrong_password_unknown_user)
{
    ck_assert_status(expect_denied("User", "DOMAIN", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_status(expect_denied("nobody", "DOMAIN", "Password"), SEC_E_LOGON_DENIED);
    ck_assert_status(expect_denied("User", "OTHERDOM", "Password"), SEC_E_LOGON_DENIED);
}
END_TEST

START_TEST(test_name_forms)
{
    struct pair p;
    SecPkgContext_NamesA n;
    CredHandle cc, sc;
    CtxtHandle c, s;

    /* Case-insensitive user and domain, DOMAIN\user and user@domain; the
     * context names the account as the user file spells it. */
    open_pair(&p, "user", "domain", "Password", NULL);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "DOMAIN\\User");
    FreeContextBuffer(n.sUserName);
    close_pair(&p);
    open_pair(&p, "DOMAIN\\User", "", "Password", NULL);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "DOMAIN\\User");
    FreeContextBuffer(n.sUserName);
    close_pair(&p);
    open_pair(&p, "User@DOMAIN", "", "Password", NULL);
    close_pair(&p);
    /* Empty domain in the file matches any domain, and keeps the
     * client's. */
    open_pair(&p, "ANYUSER", "WHATEVER", "secret", NULL);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "WHATEVER\\anyuser");
    FreeContextBuffer(n.sUserName);
    close_pair(&p);
    /* No domain from the client: the user in any domain, named with the
     * domain of the matching line. */
    open_pair(&p, "User", "", "Password", NULL);
    ck_assert_status(QueryContextAttributesA(&p.s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "DOMAIN\\User");
    FreeContextBuffer(n.sUserName);
    close_pair(&p);
    /* NT-hash entry, password with a colon, non-ASCII names. */
    open_pair(&p, "hashuser", "TESTDOM", "Password", NULL);
    close_pair(&p);
    open_pair(&p, "colon", "Domain", "pass:word", NULL);
    close_pair(&p);
    open_pair(&p, "J\xc3\x9cRGEN", "testdom", "p\xc3\xa4ss", NULL);
    close_pair(&p);
    /* W identity (EX form). */
    ck_assert_status(acquire_exw(u"User", u"DOMAIN", u"Password", &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    ck_assert_status(handshake(&cc, &sc, &c, &s, NULL), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_default_identity)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    SecPkgContext_NamesA n;

    /* No identity: the first user-file entry. */
    ck_assert_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                               NULL, &cc, NULL),
                     SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    ck_assert_status(handshake(&cc, &sc, &c, &s, NULL), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "DOMAIN\\User");
    FreeContextBuffer(n.sUserName);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    /* Without a user file there is no default identity. */
    unsetenv("NTLM_USER_FILE");
    ck_assert_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                               NULL, &cc, NULL),
                     SEC_E_NO_CREDENTIALS);
    /* ... and the acceptor cannot check anyone. */
    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(handshake(&cc, &sc, &c, &s, NULL), SEC_E_NO_AUTHENTICATING_AUTHORITY);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_channel_bindings)
{
    struct pair p;
    struct cb a, b;
    struct hs_opts o = {0};
    CredHandle cc, sc;
    CtxtHandle c, s;
    uint8_t buf[10] = {0}, sig[16];

    make_cb(&a, "tls-server-end-point:AAAA");
    make_cb(&b, "tls-server-end-point:BBBB");
    o.client_cb = &a;
    o.server_cb = &a;
    open_pair(&p, "User", "DOMAIN", "Password", &o);
    ck_assert_status(sign(&p.c, buf, 10, sig, 0), SEC_E_OK);
    ck_assert_status(verify(&p.s, buf, 10, sig, 0), SEC_E_OK);
    close_pair(&p);

    /* Client without bindings, server with: allowed (if_present). */
    o.client_cb = NULL;
    open_pair(&p, "User", "DOMAIN", "Password", &o);
    close_pair(&p);
    /* Client with bindings, server without: not checked. */
    o.client_cb = &a;
    o.server_cb = NULL;
    open_pair(&p, "User", "DOMAIN", "Password", &o);
    close_pair(&p);

    /* Mismatch. */
    o.client_cb = &a;
    o.server_cb = &b;
    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_BAD_BINDINGS);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_anonymous)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    struct hs_opts o = {0};
    uint8_t buf[10] = {1}, sig[16];

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    o.isc_req = ISC_FLAGS | ISC_REQ_NULL_SESSION;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_LOGON_DENIED);
    o.asc_req = ASC_FLAGS | ASC_REQ_ALLOW_NULL_SESSION;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_OK);
    ck_assert(o.client_attrs & ISC_RET_NULL_SESSION);
    ck_assert(o.server_attrs & ASC_RET_NULL_SESSION);
    ck_assert_status(sign(&c, buf, 10, sig, 0), SEC_E_OK);
    ck_assert_status(verify(&s, buf, 10, sig, 0), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    /* Empty identity strings also mean anonymous. */
    ck_assert_status(acquire_a("", "", "", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    o.isc_req = ISC_FLAGS;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_OK);
    ck_assert(o.server_attrs & ASC_RET_NULL_SESSION);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_allocate_memory)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL}, ib;
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    uint32_t a = 0;
    uint8_t neg[2048];
    uint32_t neglen;

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL,
                                                ISC_FLAGS | ISC_REQ_ALLOCATE_MEMORY, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &c, &od, &a, NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert(a & ISC_RET_ALLOCATED_MEMORY);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_eq(ob.cbBuffer, 40);
    ck_assert_mem_eq(ob.pvBuffer, "NTLMSSP\0\1\0\0\0", 12);
    memcpy(neg, ob.pvBuffer, ob.cbBuffer);
    neglen = ob.cbBuffer;
    ck_assert_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);
    ib = (SecBuffer){neglen, SECBUFFER_TOKEN, neg};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(AcceptSecurityContext(&sc, NULL, &id, ASC_FLAGS | ASC_REQ_ALLOCATE_MEMORY,
                                           SECURITY_NATIVE_DREP, &s, &od, &a, NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_gt(ob.cbBuffer, 56);
    ck_assert_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(test_small_output_buffer)
{
    CredHandle cc;
    CtxtHandle c;
    uint8_t small[10];
    SecBuffer ob = {sizeof small, SECBUFFER_TOKEN, small};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t a;

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &a, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    FreeCredentialsHandle(&cc);
}
END_TEST

START_TEST(test_export_import)
{
    struct pair p;
    SecBuffer packed = {0};
    CtxtHandle imported;
    uint8_t buf[50], orig[50], sig[16];
    uint32_t qop;
    SecPkgContext_NamesA n;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    /* Advance the state first. */
    for (int i = 0; i < 5; i++) {
        ph_fill(buf, sizeof buf, (uint32_t)i);
        ck_assert_status(seal(&p.c, buf, sizeof buf, sig, 0), SEC_E_OK);
        ck_assert_status(unseal(&p.s, buf, sizeof buf, sig, &qop), SEC_E_OK);
        ck_assert_status(seal(&p.s, buf, sizeof buf, sig, 0), SEC_E_OK);
        ck_assert_status(unseal(&p.c, buf, sizeof buf, sig, &qop), SEC_E_OK);
    }
    ck_assert_status(ExportSecurityContext(&p.s, 0, &packed, NULL), SEC_E_OK);
    ck_assert_uint_gt(packed.cbBuffer, 64);
    ck_assert_status(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    for (int i = 0; i < 5; i++) {
        ph_fill(orig, sizeof orig, (uint32_t)i + 100);
        memcpy(buf, orig, sizeof buf);
        ck_assert_status(seal(&p.c, buf, sizeof buf, sig, 0), SEC_E_OK);
        ck_assert_status(unseal(&imported, buf, sizeof buf, sig, &qop), SEC_E_OK);
        ck_assert_mem_eq(buf, orig, sizeof buf);
        ck_assert_status(sign(&imported, buf, sizeof buf, sig, 0), SEC_E_OK);
        ck_assert_status(verify(&p.c, buf, sizeof buf, sig, 0), SEC_E_OK);
    }
    ck_assert_status(QueryContextAttributesA(&imported, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "DOMAIN\\User");
    FreeContextBuffer(n.sUserName);
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);

    /* A damaged blob is refused. */
    ck_assert_status(ExportSecurityContext(&p.c, 0, &packed, NULL), SEC_E_OK);
    ((uint8_t *)packed.pvBuffer)[3] ^= 0xff;
    ck_assert_int_ne(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_OK);
    packed.cbBuffer = 70;
    ((uint8_t *)packed.pvBuffer)[3] ^= 0xff;
    ck_assert_int_ne(ImportSecurityContextA("NTLM", &packed, NULL, &imported), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    close_pair(&p);
}
END_TEST

START_TEST(test_datagram)
{
    struct pair p;
    struct hs_opts o = {.isc_req = ISC_REQ_DATAGRAM | ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY};
    uint8_t m[3][40], s[3][16], orig[40];
    uint32_t qop;

    open_pair(&p, "User", "DOMAIN", "Password", &o);
    ck_assert(o.client_attrs & ISC_RET_DATAGRAM);
    for (uint32_t i = 0; i < 3; i++) {
        ph_fill(m[i], 40, i);
        ck_assert_status(sign(&p.c, m[i], 40, s[i], 10 + i), SEC_E_OK);
    }
    /* Out of order, with the caller's sequence numbers. */
    ck_assert_status(verify(&p.s, m[2], 40, s[2], 12), SEC_E_OK);
    ck_assert_status(verify(&p.s, m[0], 40, s[0], 10), SEC_E_OK);
    ck_assert_status(verify(&p.s, m[1], 40, s[1], 10), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_status(verify(&p.s, m[1], 40, s[1], 11), SEC_E_OK);
    ph_fill(orig, 40, 77);
    memcpy(m[0], orig, 40);
    ck_assert_status(seal(&p.s, m[0], 40, s[0], 0), SEC_E_OK);
    ck_assert_status(unseal(&p.c, m[0], 40, s[0], &qop), SEC_E_OK);
    ck_assert_mem_eq(m[0], orig, 40);
    close_pair(&p);
}
END_TEST

START_TEST(test_incomplete_context)
{
    CredHandle cc;
    CtxtHandle c;
    uint8_t t[2048], buf[4] = {0}, sig[16];
    SecBuffer ob = {sizeof t, SECBUFFER_TOKEN, t};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t a;
    SecPkgContext_Sizes sz;
    SECURITY_STATUS st;

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &a, NULL),
                     SEC_I_CONTINUE_NEEDED);
    st = sign(&c, buf, 4, sig, 0);
    ck_assert_int_ne(st, SEC_E_OK);
    st = QueryContextAttributesA(&c, SECPKG_ATTR_SIZES, &sz);
    ck_assert(st == SEC_E_OK || st == SEC_E_INVALID_HANDLE || st == SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    FreeCredentialsHandle(&cc);
}
END_TEST

/* Many threads signing on one context: every signature gets its own
 * sequence number and the RC4 stream stays in sequence-number order. */
#define MT_THREADS 4
#define MT_EACH    200

struct mt_msg {
    uint8_t data[24];
    uint8_t sig[16];
};

struct mt_arg {
    CtxtHandle *h;
    struct mt_msg *out;
    int id;
};

static void *mt_signer(void *p)
{
    struct mt_arg *a = p;

    for (int i = 0; i < MT_EACH; i++) {
        struct mt_msg *m = &a->out[i];
        ph_fill(m->data, sizeof m->data, (uint32_t)(a->id * 1000 + i));
        if (sign(a->h, m->data, sizeof m->data, m->sig, 0) != SEC_E_OK)
            return (void *)1;
    }
    return NULL;
}

START_TEST(test_threads)
{
    struct pair p;
    static struct mt_msg msgs[MT_THREADS * MT_EACH];
    static struct mt_msg *by_seq[MT_THREADS * MT_EACH];
    pthread_t th[MT_THREADS];
    struct mt_arg args[MT_THREADS];

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    for (int t = 0; t < MT_THREADS; t++) {
        args[t] = (struct mt_arg){&p.c, &msgs[t * MT_EACH], t};
        ck_assert_int_eq(pthread_create(&th[t], NULL, mt_signer, &args[t]), 0);
    }
    for (int t = 0; t < MT_THREADS; t++) {
        void *r;
        pthread_join(th[t], &r);
        ck_assert_ptr_null(r);
    }
    memset(by_seq, 0, sizeof by_seq);
    for (int i = 0; i < MT_THREADS * MT_EACH; i++) {
        uint32_t seq = (uint32_t)msgs[i].sig[12] | (uint32_t)msgs[i].sig[13] << 8;
        ck_assert_uint_lt(seq, MT_THREADS * MT_EACH);
        ck_assert_ptr_null(by_seq[seq]);
        by_seq[seq] = &msgs[i];
    }
    for (int i = 0; i < MT_THREADS * MT_EACH; i++)
        ck_assert_status(verify(&p.s, by_seq[i]->data, sizeof by_seq[i]->data, by_seq[i]->sig, 0),
                         SEC_E_OK);
    close_pair(&p);
}
END_TEST

/* Options from a configuration file: only in a fresh (forked) process. */
static bool forked(void)
{
    const char *f = getenv("CK_FORK");
    return !f || strcmp(f, "no") != 0;
}

static void load_with_config(const char *options)
{
    char path[4096], conf[400];
    FILE *f;

    write_users();
    unsetenv("NTLM_USER_FILE");
    module_path(path, sizeof path);
    snprintf(conf, sizeof conf, "%s/ntlm.conf", tmpdir);
    f = fopen(conf, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "autoload = no\ndropin_dir = none\ncheck_permissions = no\n\n[module]\n"
            "module = %s\noption.user_file = %s\n%s",
            path, userfile, options);
    fclose(f);
    setenv("LIBSSPI_CONFIG", conf, 1);
}

START_TEST(test_config_required_bindings)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    struct cb a;
    struct hs_opts o = {0};

    if (!forked())
        return;
    load_with_config("option.channel_bindings = required\noption.target_name = required\n"
                     "option.service_names = HTTP/web.example.com\n");
    make_cb(&a, "tls-unique:1234");
    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    o.target = "HTTP/web.example.com";
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_BAD_BINDINGS);
    o.asc_req = ASC_FLAGS | ASC_REQ_ALLOW_MISSING_BINDINGS;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    o.asc_req = 0;
    o.client_cb = o.server_cb = &a;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    o.target = "HTTP/other.example.com";
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_BAD_BINDINGS);
    o.target = NULL;
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_BAD_BINDINGS);
    o.target = "host/localhost";
    ck_assert_status(handshake(&cc, &sc, &c, &s, &o), SEC_E_OK);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    cleanup_users();
}
END_TEST

START_TEST(test_config_default_user)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    SecPkgContext_NamesA n;

    if (!forked())
        return;
    load_with_config("option.default_user = TESTDOM\\hashuser\n"
                     "option.default_password = Password\n");
    ck_assert_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                               NULL, &cc, NULL),
                     SEC_E_OK);
    ck_assert_status(server_cred(&sc), SEC_E_OK);
    ck_assert_status(handshake(&cc, &sc, &c, &s, NULL), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "TESTDOM\\hashuser");
    FreeContextBuffer(n.sUserName);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    cleanup_users();
}
END_TEST

/* ---- Windows-verified behaviour ---------------------------------------------- */

/* InitializeSecurityContext's first leg and its output buffer, as Windows
 * answers: no descriptor, an empty TOKEN or only a DATA buffer are
 * SEC_E_BUFFER_TOO_SMALL (the empty TOKEN keeps cbBuffer 0), a TOKEN with
 * no memory is SEC_E_INTERNAL_ERROR; none leaves a context behind. */
START_TEST(test_first_leg_output_buffer)
{
    uint8_t tok[4096];
    CredHandle cc;
    CtxtHandle c = {0x5a5a, 0xa5a5};
    SecBuffer ob = {0, SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, NULL, &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(ob.cbBuffer, 0);
    ob = (SecBuffer){sizeof tok, SECBUFFER_DATA, tok};
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, NULL),
                     SEC_E_INTERNAL_ERROR);
    /* The same with the size Windows callers give: cbMaxToken. */
    ob = (SecBuffer){sizeof tok, SECBUFFER_TOKEN, NULL};
    ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, ISC_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, NULL),
                     SEC_E_INTERNAL_ERROR);
    ck_assert(c.dwLower == 0x5a5a && c.dwUpper == 0xa5a5);
    ck_assert_status(FreeCredentialsHandle(&cc), SEC_E_OK);
}
END_TEST

/* NEGOTIATE asks for SIGN (0x10) and SEAL (0x20) only for the services the
 * caller asked for. */
START_TEST(test_negotiate_flags)
{
    static const struct {
        uint32_t req, flags;
    } cases[] = {
        {0, 0xe2088207},
        {ISC_REQ_CONNECTION, 0xe2088207},
        {ISC_REQ_EXTENDED_ERROR, 0xe2088207},
        {ISC_REQ_MUTUAL_AUTH, 0xe2088207},
        {ISC_REQ_USE_DCE_STYLE, 0xe2088207},
        {ISC_REQ_DELEGATE, 0xe2088207},
        {ISC_REQ_INTEGRITY, 0xe2088217},
        {ISC_REQ_CONFIDENTIALITY, 0xe2088227},
        {ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY, 0xe2088237},
    };
    CredHandle cc;

    ck_assert_status(acquire_a("User", "DOMAIN", "Password", SECPKG_CRED_OUTBOUND, &cc), SEC_E_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t tok[4096];
        SecBuffer ob = {sizeof tok, SECBUFFER_TOKEN, tok};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        CtxtHandle c;
        uint32_t attrs, flags;

        ck_assert_status(InitializeSecurityContextA(&cc, NULL, NULL, cases[i].req, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &c, &od, &attrs,
                                                    NULL),
                         SEC_I_CONTINUE_NEEDED);
        ck_assert_uint_ge(ob.cbBuffer, 16);
        flags = (uint32_t)tok[12] | (uint32_t)tok[13] << 8 | (uint32_t)tok[14] << 16 |
                (uint32_t)tok[15] << 24;
        ck_assert_msg(flags == cases[i].flags, "req 0x%x: flags 0x%08x, expected 0x%08x",
                      cases[i].req, flags, cases[i].flags);
        ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    }
    ck_assert_status(FreeCredentialsHandle(&cc), SEC_E_OK);
}
END_TEST

/* Neither integrity nor confidentiality asked for: ALWAYS_SIGN alone gives
 * the placeholder signature, which is the only one VerifySignature takes
 * (MS-NLMP 3.4.4). */
START_TEST(test_placeholder_signature)
{
    static const uint8_t placeholder[16] = {1, 0, 0, 0};
    struct hs_opts o = {.isc_req = ISC_REQ_CONNECTION, .asc_req = ASC_REQ_CONNECTION};
    uint8_t data[32], sig[16];
    struct pair p;

    open_pair(&p, "User", "DOMAIN", "Password", &o);
    ck_assert_uint_eq(o.client_attrs & (ISC_RET_INTEGRITY | ISC_RET_CONFIDENTIALITY), 0);
    for (int i = 0; i < 3; i++) {
        ph_fill(data, sizeof data, (uint32_t)i);
        ck_assert_status(sign(&p.c, data, sizeof data, sig, 0), SEC_E_OK);
        ck_assert_mem_eq(sig, placeholder, 16);
        ck_assert_status(verify(&p.s, data, sizeof data, sig, 0), SEC_E_OK);
        ck_assert_status(sign(&p.s, data, sizeof data, sig, 0), SEC_E_OK);
        ck_assert_mem_eq(sig, placeholder, 16);
        ck_assert_status(verify(&p.c, data, sizeof data, sig, 0), SEC_E_OK);
    }
    for (int i = 0; i < 16; i++) {
        memcpy(sig, placeholder, 16);
        sig[i] ^= 0x80;
        ck_assert_status(verify(&p.s, data, sizeof data, sig, 0), SEC_E_MESSAGE_ALTERED);
    }
    close_pair(&p);
}
END_TEST

/* SECPKG_ATTR_KEY_INFO and NEGOTIATION_INFO of an NTLMv2 context, W forms. */
START_TEST(test_key_info_negotiation_info)
{
    SecPkgContext_KeyInfoW ki;
    SecPkgContext_NegotiationInfoW ni;
    struct pair p;
    CtxtHandle *ends[2];

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ends[0] = &p.c;
    ends[1] = &p.s;
    for (int i = 0; i < 2; i++) {
        ck_assert_status(QueryContextAttributesW(ends[i], SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
        ck_assert_uint_eq(ki.SignatureAlgorithm, 0xffffff76u);
        ck_assert_uint_eq(ki.EncryptAlgorithm, 0x6801u);
        ck_assert_uint_eq(ki.KeySize, 128);
        ck_assert_mem_eq(ki.sSignatureAlgorithmName, u"HMAC-MD5", sizeof u"HMAC-MD5");
        ck_assert_mem_eq(ki.sEncryptAlgorithmName, u"RSADSI RC4", sizeof u"RSADSI RC4");
        FreeContextBuffer(ki.sSignatureAlgorithmName);
        FreeContextBuffer(ki.sEncryptAlgorithmName);
        ck_assert_status(QueryContextAttributesW(ends[i], SECPKG_ATTR_NEGOTIATION_INFO, &ni),
                         SEC_E_OK);
        ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
        ck_assert_mem_eq(ni.PackageInfo->Name, u"NTLM", sizeof u"NTLM");
        ck_assert_uint_eq(ni.PackageInfo->wRPCID, 10);
        FreeContextBuffer(ni.PackageInfo);
    }
    close_pair(&p);
}
END_TEST

static SECURITY_STATUS reset_crypto(CtxtHandle *h, uint32_t direction)
{
    return SetContextAttributesW(h, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO, &direction, sizeof direction);
}

/*
 * SECPKG_ATTR_LIBSSPI_RESET_CRYPTO restarts one direction's RC4 sealing
 * key stream: after a reset a message seals to the same bytes as the very
 * first one did, and the receiver reads it only once it restarts its
 * inbound state too.  Sequence numbers go on (the third message is still
 * number 2).
 */
START_TEST(test_reset_crypto)
{
    uint8_t plain[32], a[32], b[32], c[32], sa[16], sb[16], sc[16];
    uint32_t qop, bad = 2;
    struct pair p;

    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    ph_fill(plain, sizeof plain, 7);
    memcpy(a, plain, sizeof plain);
    memcpy(b, plain, sizeof plain);
    memcpy(c, plain, sizeof plain);
    ck_assert_status(seal(&p.c, a, sizeof a, sa, 0), SEC_E_OK);
    ck_assert_status(unseal(&p.s, a, sizeof a, sa, &qop), SEC_E_OK);
    ck_assert_status(seal(&p.c, a, sizeof a, sa, 0), SEC_E_OK);
    memcpy(a, plain, sizeof plain);
    ck_assert_status(reset_crypto(&p.c, 0), SEC_E_OK);
    ck_assert_status(seal(&p.c, b, sizeof b, sb, 0), SEC_E_OK);
    ck_assert_status(reset_crypto(&p.c, 0), SEC_E_OK);
    ck_assert_status(seal(&p.c, c, sizeof c, sc, 0), SEC_E_OK);
    ck_assert_mem_eq(b, c, sizeof b);        /* the same key stream ... */
    ck_assert_int_ne(memcmp(sb, sc, 16), 0); /* ... and a later sequence number */
    close_pair(&p);

    /* The receiver: message 2 needs the restarted stream. */
    open_pair(&p, "User", "DOMAIN", "Password", NULL);
    memcpy(a, plain, sizeof plain);
    memcpy(b, plain, sizeof plain);
    ck_assert_status(seal(&p.c, a, sizeof a, sa, 0), SEC_E_OK);
    ck_assert_status(reset_crypto(&p.c, 0), SEC_E_OK);
    ck_assert_status(seal(&p.c, b, sizeof b, sb, 0), SEC_E_OK);
    ck_assert_mem_eq(a, b, sizeof a);
    ck_assert_status(unseal(&p.s, a, sizeof a, sa, &qop), SEC_E_OK);
    ck_assert_mem_eq(a, plain, sizeof a);
    ck_assert_status(unseal(&p.s, b, sizeof b, sb, &qop), SEC_E_MESSAGE_ALTERED);
    ck_assert_status(reset_crypto(&p.s, 1), SEC_E_OK);
    ck_assert_status(unseal(&p.s, b, sizeof b, sb, &qop), SEC_E_OK);
    ck_assert_mem_eq(b, plain, sizeof b);
    /* The other direction is untouched. */
    memcpy(c, plain, sizeof plain);
    ck_assert_status(seal(&p.s, c, sizeof c, sc, 0), SEC_E_OK);
    ck_assert_status(unseal(&p.c, c, sizeof c, sc, &qop), SEC_E_OK);

    /* Bad input. */
    ck_assert_status(reset_crypto(&p.c, 2), SEC_E_INVALID_PARAMETER);
    ck_assert_status(SetContextAttributesW(&p.c, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO, &bad, 2),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(SetContextAttributesW(&p.c, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO, NULL, 4),
                     SEC_E_INVALID_PARAMETER);
    ck_assert_status(SetContextAttributesW(&p.c, 0x7ff0, &bad, 4), SEC_E_UNSUPPORTED_FUNCTION);
    close_pair(&p);
}
END_TEST

static Suite *loopback_suite(void)
{
    Suite *s = suite_create("ntlm-loopback");
    TCase *tc = tcase_create("api");
    TCase *cfg = tcase_create("config");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_package_info);
    tcase_add_test(tc, test_handshake_attributes);
    tcase_add_test(tc, test_sign_verify_many);
    tcase_add_test(tc, test_seal_unseal_many);
    tcase_add_test(tc, test_seal_layouts_readonly);
    tcase_add_test(tc, test_wrap_no_encrypt);
    tcase_add_test(tc, test_tamper);
    tcase_add_test(tc, test_replay_reorder);
    tcase_add_test(tc, test_bad_buffers);
    tcase_add_test(tc, test_wrong_password_unknown_user);
    tcase_add_test(tc, test_name_forms);
    tcase_add_test(tc, test_default_identity);
    tcase_add_test(tc, test_channel_bindings);
    tcase_add_test(tc, test_anonymous);
    tcase_add_test(tc, test_allocate_memory);
    tcase_add_test(tc, test_small_output_buffer);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_datagram);
    tcase_add_test(tc, test_incomplete_context);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_first_leg_output_buffer);
    tcase_add_test(tc, test_negotiate_flags);
    tcase_add_test(tc, test_placeholder_signature);
    tcase_add_test(tc, test_key_info_negotiation_info);
    tcase_add_test(tc, test_reset_crypto);
    suite_add_tcase(s, tc);
    tcase_add_test(cfg, test_config_required_bindings);
    tcase_add_test(cfg, test_config_default_user);
    suite_add_tcase(s, cfg);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(loopback_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
