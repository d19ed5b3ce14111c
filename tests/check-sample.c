/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-sample.c - the Sample package through the public SSPI API only.
 *
 * Loads src/packages/sample/.libs/sample.so with AddSecurityPackageA
 * (LIBSSPI_TEST_PKGDIR) under the empty test configuration, then runs
 * handshakes, signatures, sealing, attributes, export/import and bad input
 * against it.  The lifetime test instead loads the package from a config
 * file of its own, to check that option.* settings reach the package.
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sspi.h"
#include "libsspi.h"
#include "pkg-harness.h"

#define SAMPLE_TRAILER       28
#define SAMPLE_NEGOTIATE_HDR 8

static bool u16eq(const char16_t *a, const char *b)
{
    size_t i;
    for (i = 0; b[i] != '\0'; i++)
        if (a[i] != (unsigned char)b[i])
            return false;
    return a[i] == 0;
}

static void load_sample(void)
{
    ck_assert_status(ph_load("Sample", "sample/.libs/sample.so"), SEC_E_OK);
}

/* ---- credentials ------------------------------------------------------- */

/* Credentials of `user` in the identity form `form` (pkg-harness.h). */
static SECURITY_STATUS acquire(enum ph_form form, const char *user, const char *domain,
                               const char *password, uint32_t use, CredHandle *cred)
{
    struct ph_identity id = {user, domain, password};

    return ph_acquire("Sample", form, &id, use, cred);
}

/* ---- handshake helpers -------------------------------------------------- */

#define REQ_FLAGS                                                                                  \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define ASC_FLAGS                                                                                  \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |   \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

struct token {
    uint8_t data[2048];
    uint32_t len;
};

static SECURITY_STATUS isc(CredHandle *cred, CtxtHandle *ctx, bool first, const struct token *in,
                           struct token *out, uint32_t *attrs, TimeStamp *expiry)
{
    SecBuffer ib = {in ? in->len : 0, SECBUFFER_TOKEN, in ? (void *)in->data : NULL};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof out->data, SECBUFFER_TOKEN, out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t a = 0;
    SECURITY_STATUS st;

    st = InitializeSecurityContextW(cred, first ? NULL : ctx, tu_u16("host/server"), REQ_FLAGS, 0,
                                    SECURITY_NATIVE_DREP, in ? &id : NULL, 0, ctx, &od, &a, expiry);
    out->len = ob.cbBuffer;
    if (attrs != NULL)
        *attrs = a;
    return st;
}

static SECURITY_STATUS asc(CredHandle *cred, CtxtHandle *ctx, bool first, const struct token *in,
                           struct token *out, uint32_t *attrs, TimeStamp *expiry)
{
    SecBuffer ib = {in->len, SECBUFFER_TOKEN, (void *)in->data};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof out->data, SECBUFFER_TOKEN, out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t a = 0;
    SECURITY_STATUS st;

    st = AcceptSecurityContext(cred, first ? NULL : ctx, &id, ASC_FLAGS, SECURITY_NATIVE_DREP, ctx,
                               &od, &a, expiry);
    out->len = ob.cbBuffer;
    if (attrs != NULL)
        *attrs = a;
    return st;
}

struct pair {
    CredHandle ccred, scred;
    CtxtHandle c, s;
};

/* A complete handshake between alice's client and server credentials. */
static void connect_pair(struct pair *p)
{
    struct token t1, t2, t3, t4;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p->ccred),
        SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p->scred), SEC_E_OK);
    ck_assert_status(isc(&p->ccred, &p->c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&p->scred, &p->s, true, &t1, &t2, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(isc(&p->ccred, &p->c, false, &t2, &t3, NULL, NULL), SEC_E_OK);
    ck_assert_status(asc(&p->scred, &p->s, false, &t3, &t4, NULL, NULL), SEC_E_OK);
    ck_assert_uint_eq(t4.len, 0);
}

static void disconnect_pair(struct pair *p)
{
    ck_assert_status(DeleteSecurityContext(&p->c), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p->s), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p->ccred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p->scred), SEC_E_OK);
}

/* ---- message helpers ---------------------------------------------------- */

struct msg {
    uint8_t data[64];
    uint8_t token[64];
    SecBuffer b[2];
    SecBufferDesc d;
};

static void msg_init(struct msg *m, const char *text)
{
    memset(m, 0, sizeof *m);
    snprintf((char *)m->data, sizeof m->data, "%s", text);
    m->b[0] = (SecBuffer){(uint32_t)strlen(text), SECBUFFER_DATA, m->data};
    m->b[1] = (SecBuffer){sizeof m->token, SECBUFFER_TOKEN, m->token};
    m->d = (SecBufferDesc){SECBUFFER_VERSION, 2, m->b};
}

/* Re-point the descriptors after a struct copy. */
static void msg_fix(struct msg *m)
{
    m->b[0].pvBuffer = m->data;
    m->b[1].pvBuffer = m->token;
    m->d.pBuffers = m->b;
}

static SECURITY_STATUS sign(CtxtHandle *h, struct msg *m, const char *text)
{
    msg_init(m, text);
    return MakeSignature(h, 0, &m->d, 0);
}

static SECURITY_STATUS verify(CtxtHandle *h, struct msg *m)
{
    uint32_t qop = 12345;
    SECURITY_STATUS st;

    msg_fix(m);
    st = VerifySignature(h, &m->d, 0, &qop);
    if (st == SEC_E_OK)
        ck_assert_uint_eq(qop, 0);
    return st;
}

/* ======================================================================== */

START_TEST(test_enumerate)
{
    uint32_t n = 0, i;
    SecPkgInfoW *w = NULL, *wi = NULL;
    SecPkgInfoA *a = NULL, *ai = NULL;
    bool found = false;

    ck_assert_status(EnumerateSecurityPackagesW(&n, &w), SEC_E_OK);
    for (i = 0; i < n; i++) {
        if (!u16eq(w[i].Name, "Sample"))
            continue;
        found = true;
        ck_assert_uint_eq(w[i].wVersion, 1);
        ck_assert_uint_eq(w[i].wRPCID, SECPKG_ID_NONE);
        ck_assert(w[i].fCapabilities & SECPKG_FLAG_INTEGRITY);
        ck_assert(w[i].fCapabilities & SECPKG_FLAG_PRIVACY);
        ck_assert(w[i].fCapabilities & SECPKG_FLAG_CONNECTION);
        ck_assert(w[i].fCapabilities & SECPKG_FLAG_MUTUAL_AUTH);
        ck_assert(!(w[i].fCapabilities & SECPKG_FLAG_DATAGRAM));
        ck_assert(!(w[i].fCapabilities & SECPKG_FLAG_IMPERSONATION));
        ck_assert_uint_gt(w[i].cbMaxToken, 100);
    }
    ck_assert(found);
    ck_assert_status(FreeContextBuffer(w), SEC_E_OK);

    ck_assert_status(EnumerateSecurityPackagesA(&n, &a), SEC_E_OK);
    found = false;
    for (i = 0; i < n; i++)
        if (strcmp(a[i].Name, "Sample") == 0)
            found = true;
    ck_assert(found);
    ck_assert_status(FreeContextBuffer(a), SEC_E_OK);

    ck_assert_status(QuerySecurityPackageInfoW(tu_u16("sample"), &wi), SEC_E_OK);
    ck_assert(u16eq(wi->Name, "Sample"));
    ck_assert_uint_gt(tu_u16len(wi->Comment), 0);
    ck_assert_status(QuerySecurityPackageInfoA("SAMPLE", &ai), SEC_E_OK);
    ck_assert_str_eq(ai->Name, "Sample");
    ck_assert_uint_eq(ai->cbMaxToken, wi->cbMaxToken);
    ck_assert_uint_eq(ai->fCapabilities, wi->fCapabilities);
    ck_assert(strstr(ai->Comment, "sample") != NULL);
    ck_assert_status(FreeContextBuffer(wi), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(ai), SEC_E_OK);
}
END_TEST

START_TEST(test_credentials)
{
    CredHandle h;
    SecPkgCredentials_NamesW nw;
    SecPkgCredentials_NamesA na;

    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &h),
                     SEC_E_OK);
    ck_assert_status(QueryCredentialsAttributesW(&h, SECPKG_CRED_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert(u16eq(nw.sUserName, "EXAMPLE\\alice"));
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
    ck_assert_status(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_str_eq(na.sUserName, "EXAMPLE\\alice");
    ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);

    ck_assert_status(acquire(PH_FORM_W, "alice", "", "secret", SECPKG_CRED_INBOUND, &h), SEC_E_OK);
    ck_assert_status(QueryCredentialsAttributesW(&h, SECPKG_CRED_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert(u16eq(nw.sUserName, "alice"));
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);

    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_BOTH, &h),
                     SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
    ck_assert_status(acquire(PH_FORM_A, "alice", "EXAMPLE", "secret", SECPKG_CRED_BOTH, &h),
                     SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
    ck_assert_status(acquire(PH_FORM_EXW, "alice", "EXAMPLE", "secret", SECPKG_CRED_BOTH, &h),
                     SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
}
END_TEST

START_TEST(test_credentials_missing)
{
    CredHandle h;
    SEC_WINNT_AUTH_IDENTITY_W id = {0};

    ck_assert_status(AcquireCredentialsHandleW(NULL, tu_u16("Sample"), SECPKG_CRED_OUTBOUND, NULL,
                                               NULL, NULL, NULL, &h, NULL),
                     SEC_E_NO_CREDENTIALS);
    ck_assert_status(AcquireCredentialsHandleA(NULL, "Sample", SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &h, NULL),
                     SEC_E_NO_CREDENTIALS);
    /* An identity without a user name is no credential either. */
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    ck_assert_status(AcquireCredentialsHandleW(NULL, tu_u16("Sample"), SECPKG_CRED_OUTBOUND, NULL,
                                               &id, NULL, NULL, &h, NULL),
                     SEC_E_NO_CREDENTIALS);
}
END_TEST

/* Every way of giving the identity ends in the same key. */
START_TEST(test_credentials_forms_interoperate)
{
    static const enum ph_form forms[3] = {PH_FORM_W, PH_FORM_A, PH_FORM_EXW};

    for (int ci = 0; ci < 3; ci++) {
        for (int si = 0; si < 3; si++) {
            struct pair p;
            struct token t1, t2, t3, t4;
            ck_assert_status(
                acquire(forms[ci], "alice", "EXAMPLE", "pässwörd", SECPKG_CRED_OUTBOUND, &p.ccred),
                SEC_E_OK);
            ck_assert_status(
                acquire(forms[si], "ALICE", "example", "pässwörd", SECPKG_CRED_INBOUND, &p.scred),
                SEC_E_OK);
            ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL),
                             SEC_I_CONTINUE_NEEDED);
            ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL),
                             SEC_I_CONTINUE_NEEDED);
            ck_assert_status(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL), SEC_E_OK);
            ck_assert_status(asc(&p.scred, &p.s, false, &t3, &t4, NULL, NULL), SEC_E_OK);
            disconnect_pair(&p);
        }
    }
}
END_TEST

START_TEST(test_handshake_caller_buffers)
{
    struct pair p;
    struct token t1, t2, t3, t4;
    uint32_t ca = 0, sa = 0;
    TimeStamp ce, se;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);

    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, &ca, &ce), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_ge(t1.len, SAMPLE_NEGOTIATE_HDR + 32 + 4);
    ck_assert_mem_eq(t1.data, "SMPL", 4);
    ck_assert_uint_eq(t1.data[4], 1);
    ck_assert_uint_eq(t1.data[5], 1);
    ck_assert_uint_eq(t1.data[6] | t1.data[7] << 8, t1.len);
    ck_assert(!(ca & ISC_RET_ALLOCATED_MEMORY));

    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, &sa, &se), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(t2.len, 72);
    ck_assert_uint_eq(t2.data[5], 2);

    ck_assert_status(isc(&p.ccred, &p.c, false, &t2, &t3, &ca, &ce), SEC_E_OK);
    ck_assert_uint_eq(t3.len, 40);
    ck_assert_uint_eq(t3.data[5], 3);
    ck_assert(ca & ISC_RET_MUTUAL_AUTH);
    ck_assert(ca & ISC_RET_CONFIDENTIALITY);
    ck_assert(ca & ISC_RET_INTEGRITY);
    ck_assert(ca & ISC_RET_REPLAY_DETECT);
    ck_assert(ca & ISC_RET_SEQUENCE_DETECT);
    ck_assert(ca & ISC_RET_CONNECTION);
    ck_assert(!(ca & ISC_RET_DELEGATE));
    ck_assert(ce.QuadPart == INT64_MAX);

    ck_assert_status(asc(&p.scred, &p.s, false, &t3, &t4, &sa, &se), SEC_E_OK);
    ck_assert_uint_eq(t4.len, 0);
    ck_assert(sa & ASC_RET_MUTUAL_AUTH);
    ck_assert(sa & ASC_RET_CONFIDENTIALITY);
    ck_assert(sa & ASC_RET_INTEGRITY);
    ck_assert(sa & ASC_RET_CONNECTION);
    ck_assert(se.QuadPart == INT64_MAX);

    /* A complete context takes no further token. */
    ck_assert(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL) < 0);
    ck_assert(asc(&p.scred, &p.s, false, &t3, &t4, NULL, NULL) < 0);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_handshake_allocate_memory)
{
    struct pair p;
    SecBuffer ob, ib;
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    uint32_t attrs = 0;
    void *t1, *t2, *t3;
    uint32_t l1, l2;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);

    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(
        InitializeSecurityContextW(&p.ccred, NULL, NULL, REQ_FLAGS | ISC_REQ_ALLOCATE_MEMORY, 0,
                                   SECURITY_NATIVE_DREP, NULL, 0, &p.c, &od, &attrs, NULL),
        SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert(attrs & ISC_RET_ALLOCATED_MEMORY);
    t1 = ob.pvBuffer;
    l1 = ob.cbBuffer;

    ib = (SecBuffer){l1, SECBUFFER_TOKEN, t1};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(AcceptSecurityContext(&p.scred, NULL, &id, ASC_FLAGS | ASC_REQ_ALLOCATE_MEMORY,
                                           SECURITY_NATIVE_DREP, &p.s, &od, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_eq(ob.cbBuffer, 72);
    ck_assert(attrs & ASC_RET_ALLOCATED_MEMORY);
    t2 = ob.pvBuffer;
    l2 = ob.cbBuffer;

    ib = (SecBuffer){l2, SECBUFFER_TOKEN, t2};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(
        InitializeSecurityContextW(&p.ccred, &p.c, NULL, REQ_FLAGS | ISC_REQ_ALLOCATE_MEMORY, 0,
                                   SECURITY_NATIVE_DREP, &id, 0, &p.c, &od, &attrs, NULL),
        SEC_E_OK);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_eq(ob.cbBuffer, 40);
    t3 = ob.pvBuffer;

    ib = (SecBuffer){40, SECBUFFER_TOKEN, t3};
    ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_status(AcceptSecurityContext(&p.scred, &p.s, &id, ASC_FLAGS | ASC_REQ_ALLOCATE_MEMORY,
                                           SECURITY_NATIVE_DREP, &p.s, &od, &attrs, NULL),
                     SEC_E_OK);
    ck_assert_uint_eq(ob.cbBuffer, 0);
    if (ob.pvBuffer != NULL)
        ck_assert_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);

    ck_assert_status(FreeContextBuffer(t1), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t2), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(t3), SEC_E_OK);

    /* The contexts work. */
    struct msg m;
    ck_assert_status(sign(&p.c, &m, "allocated"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_wrong_password)
{
    struct pair p;
    struct token t1, t2, t3;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "Secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);
    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    /* The client finds that the server's proof was made with another key. */
    ck_assert_status(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL), SEC_E_LOGON_DENIED);
    /* A failed context stays failed. */
    ck_assert(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL) < 0);
    disconnect_pair(&p);
}
END_TEST

/* The server rejects a client whose proof does not check out. */
START_TEST(test_bad_client_proof)
{
    struct pair p;
    struct token t1, t2, t3, t4;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);
    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL), SEC_E_OK);
    t3.data[20] ^= 0x01;
    ck_assert_status(asc(&p.scred, &p.s, false, &t3, &t4, NULL, NULL), SEC_E_LOGON_DENIED);
    t3.data[20] ^= 0x01;
    ck_assert(asc(&p.scred, &p.s, false, &t3, &t4, NULL, NULL) < 0);
    disconnect_pair(&p);
}
END_TEST

/* A server whose proof is replayed from another exchange fails too. */
START_TEST(test_replayed_challenge)
{
    struct pair a, b;
    struct token t1, t2, bt1, bt2, t3;

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &a.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &a.scred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &b.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &b.scred), SEC_E_OK);
    ck_assert_status(isc(&a.ccred, &a.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&a.scred, &a.s, true, &t1, &t2, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(isc(&b.ccred, &b.c, true, NULL, &bt1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&b.scred, &b.s, true, &bt1, &bt2, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    /* Client b gets the challenge meant for client a. */
    ck_assert_status(isc(&b.ccred, &b.c, false, &t2, &t3, NULL, NULL), SEC_E_LOGON_DENIED);
    disconnect_pair(&a);
    disconnect_pair(&b);
}
END_TEST

START_TEST(test_unknown_user)
{
    struct pair p;
    struct token t1, t2;

    ck_assert_status(acquire(PH_FORM_W, "bob", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred),
                     SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);
    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL), SEC_E_LOGON_DENIED);
    ck_assert_status(DeleteSecurityContext(&p.c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.ccred), SEC_E_OK);

    /* Same user, other domain. */
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "ELSEWHERE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred),
        SEC_E_OK);
    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL), SEC_E_LOGON_DENIED);
    ck_assert_status(DeleteSecurityContext(&p.c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.ccred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.scred), SEC_E_OK);
}
END_TEST

START_TEST(test_wrong_credential_use)
{
    CredHandle in, out;
    CtxtHandle c, s;
    struct token t1, t2;

    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &in),
                     SEC_E_OK);
    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &out),
                     SEC_E_OK);
    ck_assert_status(isc(&in, &c, true, NULL, &t1, NULL, NULL), SEC_E_NO_CREDENTIALS);
    ck_assert_status(isc(&out, &c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(asc(&out, &s, true, &t1, &t2, NULL, NULL), SEC_E_NO_CREDENTIALS);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&in), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&out), SEC_E_OK);
}
END_TEST

START_TEST(test_sign_verify)
{
    struct pair p;
    struct msg m;
    char text[32];

    connect_pair(&p);
    for (int i = 0; i < 200; i++) {
        CtxtHandle *from = i % 3 == 0 ? &p.s : &p.c;
        CtxtHandle *to = from == &p.s ? &p.c : &p.s;
        snprintf(text, sizeof text, "message %d", i);
        ck_assert_status(sign(from, &m, text), SEC_E_OK);
        ck_assert_uint_eq(m.b[1].cbBuffer, SAMPLE_TRAILER);
        ck_assert_str_eq((char *)m.data, text); /* signing leaves data alone */
        ck_assert_status(verify(to, &m), SEC_E_OK);
    }
    /* An empty message can be signed too. */
    ck_assert_status(sign(&p.c, &m, ""), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

/* Several DATA buffers, read-only ones included, all covered. */
START_TEST(test_sign_multiple_buffers)
{
    struct pair p;
    uint8_t h[8] = "header", d[8] = "body", t[8] = "trailer", tok[SAMPLE_TRAILER];
    SecBuffer b[5] = {
        {sizeof h, SECBUFFER_DATA | SECBUFFER_READONLY, h},
        {sizeof d, SECBUFFER_DATA, d},
        {0, SECBUFFER_EMPTY, NULL},
        {sizeof t, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, t},
        {sizeof tok, SECBUFFER_TOKEN, tok},
    };
    SecBufferDesc desc = {SECBUFFER_VERSION, 5, b};

    connect_pair(&p);
    ck_assert_status(MakeSignature(&p.c, 0, &desc, 0), SEC_E_OK);
    ck_assert_status(VerifySignature(&p.s, &desc, 0, NULL), SEC_E_OK);

    ck_assert_status(MakeSignature(&p.c, 0, &desc, 0), SEC_E_OK);
    h[0] ^= 1; /* a read-only header is covered */
    ck_assert_status(VerifySignature(&p.s, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
    h[0] ^= 1;
    t[0] ^= 1; /* and a READONLY_WITH_CHECKSUM one */
    ck_assert_status(VerifySignature(&p.s, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
    t[0] ^= 1;
    /* Moving a byte between buffers is noticed. */
    b[0].cbBuffer = 7;
    ck_assert_status(VerifySignature(&p.s, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
    b[0].cbBuffer = 8;
    ck_assert_status(VerifySignature(&p.s, &desc, 0, NULL), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_sign_tamper)
{
    struct pair p;
    struct msg m;

    connect_pair(&p);
    ck_assert_status(sign(&p.c, &m, "pay 10 euros"), SEC_E_OK);
    m.data[4] = '9';
    ck_assert_status(verify(&p.s, &m), SEC_E_MESSAGE_ALTERED);
    m.data[4] = '1';
    m.token[20] ^= 0x80; /* the MAC */
    ck_assert_status(verify(&p.s, &m), SEC_E_MESSAGE_ALTERED);
    m.token[20] ^= 0x80;
    m.token[4] ^= 0x01; /* the sequence number */
    ck_assert_status(verify(&p.s, &m), SEC_E_MESSAGE_ALTERED);
    m.token[4] ^= 0x01;
    m.b[0].cbBuffer--; /* truncated data */
    ck_assert_status(verify(&p.s, &m), SEC_E_MESSAGE_ALTERED);
    m.b[0].cbBuffer++;
    /* Failed checks did not move the counter: the real message passes. */
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    /* Direction matters: the client cannot verify its own signature. */
    ck_assert_status(sign(&p.c, &m, "to the server"), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m), SEC_E_MESSAGE_ALTERED);
    /* Malformed trailers. */
    m.token[0] = 9;
    ck_assert_status(verify(&p.s, &m), SEC_E_INVALID_TOKEN);
    m.token[0] = 1;
    m.token[1] = 2;
    ck_assert_status(verify(&p.s, &m), SEC_E_INVALID_TOKEN);
    m.token[1] = 1;
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_sign_replay_reorder)
{
    struct pair p;
    struct msg m0, m1, m2;

    connect_pair(&p);
    ck_assert_status(sign(&p.c, &m0, "zero"), SEC_E_OK);
    ck_assert_status(sign(&p.c, &m1, "one"), SEC_E_OK);
    ck_assert_status(sign(&p.c, &m2, "two"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m1), SEC_E_OUT_OF_SEQUENCE); /* reordered */
    ck_assert_status(verify(&p.s, &m0), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m0), SEC_E_OUT_OF_SEQUENCE); /* replayed */
    ck_assert_status(verify(&p.s, &m1), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m2), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m1), SEC_E_OUT_OF_SEQUENCE);
    /* The other direction has its own numbers. */
    ck_assert_status(sign(&p.s, &m0, "server zero"), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m0), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_sign_caller_seqno)
{
    struct pair p;
    struct msg m;

    connect_pair(&p);
    msg_init(&m, "numbered by the caller");
    ck_assert_status(MakeSignature(&p.c, 0, &m.d, 7), SEC_E_OK);
    ck_assert_status(VerifySignature(&p.s, &m.d, 8, NULL), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_status(VerifySignature(&p.s, &m.d, 7, NULL), SEC_E_OK);
    /* The package counters were not touched. */
    ck_assert_status(sign(&p.c, &m, "counter zero"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_seal_unseal)
{
    struct pair p;
    struct msg m;
    char text[48];
    uint32_t qop;

    connect_pair(&p);
    for (int i = 0; i < 200; i++) {
        CtxtHandle *from = i % 2 == 0 ? &p.c : &p.s;
        CtxtHandle *to = from == &p.c ? &p.s : &p.c;
        snprintf(text, sizeof text, "confidential message number %d", i);
        msg_init(&m, text);
        ck_assert_status(EncryptMessage(from, 0, &m.d, 0), SEC_E_OK);
        ck_assert_uint_eq(m.b[1].cbBuffer, SAMPLE_TRAILER);
        ck_assert_uint_eq(m.b[0].cbBuffer, strlen(text));
        ck_assert(memcmp(m.data, text, strlen(text)) != 0);
        qop = 999;
        ck_assert_status(DecryptMessage(to, &m.d, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_mem_eq(m.data, text, strlen(text));
    }
    /* Signatures and sealed messages share one sequence. */
    ck_assert_status(sign(&p.c, &m, "signed"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    msg_init(&m, "sealed");
    ck_assert_status(EncryptMessage(&p.c, 0, &m.d, 0), SEC_E_OK);
    ck_assert_status(DecryptMessage(&p.s, &m.d, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(m.data, "sealed", 6);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_seal_no_encrypt)
{
    struct pair p;
    struct msg m;
    uint32_t qop = 0;

    connect_pair(&p);
    msg_init(&m, "in the clear");
    ck_assert_status(EncryptMessage(&p.s, SECQOP_WRAP_NO_ENCRYPT, &m.d, 0), SEC_E_OK);
    ck_assert_mem_eq(m.data, "in the clear", 12);
    ck_assert_status(DecryptMessage(&p.c, &m.d, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, SECQOP_WRAP_NO_ENCRYPT);
    ck_assert_mem_eq(m.data, "in the clear", 12);

    msg_init(&m, "in the clear");
    ck_assert_status(EncryptMessage(&p.s, SECQOP_WRAP_NO_ENCRYPT, &m.d, 0), SEC_E_OK);
    m.data[0] = 'I';
    ck_assert_status(DecryptMessage(&p.c, &m.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    m.data[0] = 'i';
    ck_assert_status(DecryptMessage(&p.c, &m.d, 0, &qop), SEC_E_OK);
    /* A signature is not a wrapped message and vice versa. */
    ck_assert_status(sign(&p.s, &m, "signed"), SEC_E_OK);
    ck_assert_status(DecryptMessage(&p.c, &m.d, 0, &qop), SEC_E_INVALID_TOKEN);
    ck_assert_status(verify(&p.c, &m), SEC_E_OK);
    msg_init(&m, "wrapped");
    ck_assert_status(EncryptMessage(&p.s, SECQOP_WRAP_NO_ENCRYPT, &m.d, 0), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m), SEC_E_INVALID_TOKEN);
    /* Unknown QOP values. */
    ck_assert_status(EncryptMessage(&p.s, 0x12, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
    ck_assert_status(MakeSignature(&p.s, 1, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_seal_readonly)
{
    struct pair p;
    uint8_t hdr[12] = "RPC header!", body[20] = "the secret body....", tok[SAMPLE_TRAILER];
    uint8_t tail[6] = "tail.";
    SecBuffer b[4] = {
        {sizeof tok, SECBUFFER_TOKEN, tok},
        {sizeof hdr, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr},
        {sizeof body, SECBUFFER_DATA, body},
        {sizeof tail, SECBUFFER_DATA | SECBUFFER_READONLY, tail},
    };
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};

    connect_pair(&p);
    ck_assert_status(EncryptMessage(&p.c, 0, &desc, 0), SEC_E_OK);
    ck_assert_mem_eq(hdr, "RPC header!", 12);
    ck_assert_mem_eq(tail, "tail.", 6);
    ck_assert(memcmp(body, "the secret body....", 20) != 0);
    ck_assert_status(DecryptMessage(&p.s, &desc, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(body, "the secret body....", 20);

    /* The read-only buffers are authenticated. */
    ck_assert_status(EncryptMessage(&p.c, 0, &desc, 0), SEC_E_OK);
    hdr[0] = 'r';
    ck_assert_status(DecryptMessage(&p.s, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);
    ck_assert_status(EncryptMessage(&p.c, 0, &desc, 0), SEC_E_OK);
    tail[0] = 'T';
    ck_assert_status(DecryptMessage(&p.s, &desc, 0, NULL), SEC_E_MESSAGE_ALTERED);

    /* Exactly one writable DATA buffer is encrypted. */
    b[1].BufferType = SECBUFFER_DATA;
    ck_assert_status(EncryptMessage(&p.c, 0, &desc, 0), SEC_E_INVALID_TOKEN);
    b[1].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY;
    b[2].BufferType = SECBUFFER_DATA | SECBUFFER_READONLY;
    ck_assert_status(EncryptMessage(&p.c, 0, &desc, 0), SEC_E_INVALID_TOKEN);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_seal_tamper)
{
    struct pair p;
    struct msg m, saved;
    static const uint8_t zero[64];

    connect_pair(&p);
    msg_init(&m, "attack at dawn");
    ck_assert_status(EncryptMessage(&p.c, 0, &m.d, 0), SEC_E_OK);
    m.data[3] ^= 0x01;
    ck_assert_status(DecryptMessage(&p.s, &m.d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    ck_assert_mem_eq(m.data, zero, 14); /* no unauthenticated plaintext left */

    msg_init(&m, "attack at dawn");
    ck_assert_status(EncryptMessage(&p.c, 0, &m.d, 0), SEC_E_OK);
    m.token[27] ^= 0x01; /* the tag */
    ck_assert_status(DecryptMessage(&p.s, &m.d, 0, NULL), SEC_E_MESSAGE_ALTERED);

    msg_init(&m, "attack at dawn");
    ck_assert_status(EncryptMessage(&p.c, 0, &m.d, 0), SEC_E_OK);
    saved = m;
    m.token[5] ^= 0x01; /* the sequence number */
    ck_assert_status(DecryptMessage(&p.s, &m.d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    m = saved;
    msg_fix(&m);
    /* Sealed messages 0 and 1 were lost: message 2 is out of sequence. */
    ck_assert_status(DecryptMessage(&p.s, &m.d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_mem_eq(m.data, zero, 14);
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_seal_replay_reorder)
{
    struct pair p;
    struct msg m0, m1, copy;

    connect_pair(&p);
    msg_init(&m0, "first");
    msg_init(&m1, "second");
    ck_assert_status(EncryptMessage(&p.s, 0, &m0.d, 0), SEC_E_OK);
    ck_assert_status(EncryptMessage(&p.s, 0, &m1.d, 0), SEC_E_OK);
    copy = m1;
    msg_fix(&copy);
    ck_assert_status(DecryptMessage(&p.c, &copy.d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    copy = m0;
    msg_fix(&copy);
    ck_assert_status(DecryptMessage(&p.c, &m0.d, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(m0.data, "first", 5);
    ck_assert_status(DecryptMessage(&p.c, &copy.d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_status(DecryptMessage(&p.c, &m1.d, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(m1.data, "second", 6);
    disconnect_pair(&p);
}
END_TEST

/* Many threads sign and seal on one context at once: every message gets
 * its own sequence number, and the receiver accepts them all in order. */
#define MT_THREADS    4
#define MT_PER_THREAD 200

struct mt_msg {
    uint8_t data[32];
    uint8_t token[SAMPLE_TRAILER];
    uint32_t len;
};

struct mt_arg {
    CtxtHandle *h;
    struct mt_msg *out;
    int index;
    SECURITY_STATUS status;
};

static void *mt_sender(void *p)
{
    struct mt_arg *a = p;

    a->status = SEC_E_OK;
    for (int i = 0; i < MT_PER_THREAD && a->status == SEC_E_OK; i++) {
        struct mt_msg *m = &a->out[i];
        SecBuffer b[2] = {{0, SECBUFFER_DATA, m->data},
                          {sizeof m->token, SECBUFFER_TOKEN, m->token}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        m->len =
            (uint32_t)snprintf((char *)m->data, sizeof m->data, "thread %d msg %d", a->index, i);
        b[0].cbBuffer = m->len;
        a->status = i % 2 == 0 ? MakeSignature(a->h, 0, &d, 0) : EncryptMessage(a->h, 0, &d, 0);
    }
    return NULL;
}

static uint64_t mt_seq(const struct mt_msg *m)
{
    uint64_t v = 0;
    for (int i = 11; i >= 4; i--)
        v = v << 8 | m->token[i];
    return v;
}

static int mt_cmp(const void *a, const void *b)
{
    uint64_t x = mt_seq(a), y = mt_seq(b);
    return x < y ? -1 : x > y;
}

START_TEST(test_concurrent_senders)
{
    static struct mt_msg msgs[MT_THREADS * MT_PER_THREAD];
    struct mt_arg args[MT_THREADS];
    pthread_t th[MT_THREADS];
    struct pair p;

    connect_pair(&p);
    for (int t = 0; t < MT_THREADS; t++) {
        args[t] = (struct mt_arg){&p.c, &msgs[t * MT_PER_THREAD], t, SEC_E_OK};
        ck_assert_int_eq(pthread_create(&th[t], NULL, mt_sender, &args[t]), 0);
    }
    for (int t = 0; t < MT_THREADS; t++) {
        pthread_join(th[t], NULL);
        ck_assert_status(args[t].status, SEC_E_OK);
    }
    qsort(msgs, MT_THREADS * MT_PER_THREAD, sizeof msgs[0], mt_cmp);
    for (int i = 0; i < MT_THREADS * MT_PER_THREAD; i++) {
        struct mt_msg *m = &msgs[i];
        SecBuffer b[2] = {{m->len, SECBUFFER_DATA, m->data},
                          {sizeof m->token, SECBUFFER_TOKEN, m->token}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_uint_eq(mt_seq(m), (uint64_t)i);
        if (m->token[1] == 1)
            ck_assert_status(VerifySignature(&p.s, &d, 0, NULL), SEC_E_OK);
        else
            ck_assert_status(DecryptMessage(&p.s, &d, 0, NULL), SEC_E_OK);
        ck_assert(strncmp((char *)m->data, "thread ", 7) == 0);
    }
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_attributes)
{
    struct pair p;
    SecPkgContext_Sizes sizes;
    SecPkgContext_NamesW nw;
    SecPkgContext_NamesA na;
    SecPkgContext_SessionKey ck, sk;
    SecPkgContext_PackageInfoW piw;
    SecPkgContext_PackageInfoA pia;
    SecPkgContext_Flags flags;
    SecPkgContext_Lifespan life;
    SecPkgInfoW *info;
    uint8_t scratch[64];

    connect_pair(&p);
    ck_assert_status(QuerySecurityPackageInfoW(tu_u16("Sample"), &info), SEC_E_OK);

    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxToken, info->cbMaxToken);
    ck_assert_uint_eq(sizes.cbMaxSignature, SAMPLE_TRAILER);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, SAMPLE_TRAILER);
    ck_assert_uint_eq(sizes.cbBlockSize, 0);

    for (int side = 0; side < 2; side++) {
        CtxtHandle *h = side == 0 ? &p.c : &p.s;
        ck_assert_status(QueryContextAttributesW(h, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
        ck_assert(u16eq(nw.sUserName, "EXAMPLE\\alice"));
        ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
        ck_assert_str_eq(na.sUserName, "EXAMPLE\\alice");
        ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);
    }

    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_SESSION_KEY, &ck), SEC_E_OK);
    ck_assert_status(QueryContextAttributesW(&p.s, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    ck_assert_uint_eq(ck.SessionKeyLength, 32);
    ck_assert_uint_eq(sk.SessionKeyLength, 32);
    ck_assert_mem_eq(ck.SessionKey, sk.SessionKey, 32);
    ck_assert_status(FreeContextBuffer(ck.SessionKey), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(sk.SessionKey), SEC_E_OK);

    ck_assert_status(QueryContextAttributesW(&p.s, SECPKG_ATTR_PACKAGE_INFO, &piw), SEC_E_OK);
    ck_assert(u16eq(piw.PackageInfo->Name, "Sample"));
    ck_assert_uint_eq(piw.PackageInfo->fCapabilities, info->fCapabilities);
    ck_assert_uint_eq(piw.PackageInfo->cbMaxToken, info->cbMaxToken);
    ck_assert_uint_eq(piw.PackageInfo->wVersion, 1);
    ck_assert_uint_eq(piw.PackageInfo->wRPCID, SECPKG_ID_NONE);
    ck_assert_status(FreeContextBuffer(piw.PackageInfo), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&p.c, SECPKG_ATTR_PACKAGE_INFO, &pia), SEC_E_OK);
    ck_assert_str_eq(pia.PackageInfo->Name, "Sample");
    ck_assert_status(FreeContextBuffer(pia.PackageInfo), SEC_E_OK);

    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert(flags.Flags & ISC_RET_MUTUAL_AUTH);
    ck_assert(flags.Flags & ISC_RET_INTEGRITY);
    ck_assert_status(QueryContextAttributesW(&p.s, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert(flags.Flags & ASC_RET_INTEGRITY);

    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsExpiry.QuadPart == INT64_MAX);
    ck_assert(life.tsStart.QuadPart > 116444736000000000LL); /* after 1970 */

    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_DCE_INFO, scratch),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(QueryContextAttributesW(&p.c, 0x7777, scratch), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(FreeContextBuffer(info), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

/* Before completion the LSA-mode side answers what it already knows. */
START_TEST(test_attributes_incomplete)
{
    CredHandle cred;
    CtxtHandle c;
    struct token t1;
    SecPkgContext_Sizes sizes;
    SecPkgContext_NamesW nw;
    SecPkgContext_SessionKey sk;
    struct msg m;

    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &cred),
                     SEC_E_OK);
    ck_assert_status(isc(&cred, &c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(QueryContextAttributesW(&c, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxSignature, SAMPLE_TRAILER);
    ck_assert_status(QueryContextAttributesW(&c, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert(u16eq(nw.sUserName, "EXAMPLE\\alice"));
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
    ck_assert(QueryContextAttributesW(&c, SECPKG_ATTR_SESSION_KEY, &sk) < 0);
    /* No message protection before the handshake completes. */
    ck_assert(sign(&c, &m, "too early") < 0);
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&cred), SEC_E_OK);
}
END_TEST

START_TEST(test_export_import)
{
    struct pair p;
    struct msg m;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle imported;
    void *token = (void *)1;

    connect_pair(&p);
    ck_assert_status(sign(&p.c, &m, "before export"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);

    ck_assert_status(ExportSecurityContext(&p.s, 0, &packed, &token), SEC_E_OK);
    ck_assert_ptr_nonnull(packed.pvBuffer);
    ck_assert_uint_gt(packed.cbBuffer, 200);
    ck_assert_ptr_null(token);
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &packed, NULL, &imported), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);

    /* The imported server context continues where the original left off. */
    for (int i = 0; i < 10; i++) {
        ck_assert_status(sign(&p.c, &m, "after export"), SEC_E_OK);
        ck_assert_status(verify(&imported, &m), SEC_E_OK);
    }
    msg_init(&m, "sealed by the client");
    ck_assert_status(EncryptMessage(&p.c, 0, &m.d, 0), SEC_E_OK);
    ck_assert_status(DecryptMessage(&imported, &m.d, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(m.data, "sealed by the client", 20);
    msg_init(&m, "sealed by the import");
    ck_assert_status(EncryptMessage(&imported, 0, &m.d, 0), SEC_E_OK);
    ck_assert_status(DecryptMessage(&p.c, &m.d, 0, NULL), SEC_E_OK);
    ck_assert_mem_eq(m.data, "sealed by the import", 20);

    SecPkgContext_NamesA na;
    ck_assert_status(QueryContextAttributesA(&imported, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_str_eq(na.sUserName, "EXAMPLE\\alice");
    ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);

    /* The A form imports too; a client context exports as well. */
    ck_assert_status(ExportSecurityContext(&p.c, SECPKG_CONTEXT_EXPORT_RESET_NEW, &packed, NULL),
                     SEC_E_OK);
    CtxtHandle imported_client;
    ck_assert_status(ImportSecurityContextA("Sample", &packed, NULL, &imported_client), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_status(sign(&imported_client, &m, "from the imported client"), SEC_E_OK);
    ck_assert_status(verify(&imported, &m), SEC_E_OK);

    ck_assert_status(DeleteSecurityContext(&imported_client), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

/* SECPKG_CONTEXT_EXPORT_DELETE_OLD: the old handle goes, the import lives. */
START_TEST(test_export_delete_old)
{
    struct pair p;
    struct msg m;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle imported, again;

    connect_pair(&p);
    ck_assert_status(sign(&p.s, &m, "one"), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m), SEC_E_OK);
    ck_assert_status(ExportSecurityContext(&p.s, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
                     SEC_E_OK);
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &packed, NULL, &imported), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_status(sign(&p.s, &m, "old handle"), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&p.s), SEC_E_INVALID_HANDLE);
    ck_assert_status(sign(&imported, &m, "two"), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m), SEC_E_OK);

    /* An imported context can be exported with DELETE_OLD in turn. */
    ck_assert_status(
        ExportSecurityContext(&imported, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
        SEC_E_OK);
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &packed, NULL, &again), SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_status(sign(&again, &m, "three"), SEC_E_OK);
    ck_assert_status(verify(&p.c, &m), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&again), SEC_E_OK);

    ck_assert_status(DeleteSecurityContext(&p.c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.ccred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.scred), SEC_E_OK);
}
END_TEST

START_TEST(test_import_bad)
{
    struct pair p;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL}, bad;
    CtxtHandle h;
    uint8_t copy[2048];

    connect_pair(&p);
    ck_assert_status(ExportSecurityContext(&p.c, 0, &packed, NULL), SEC_E_OK);
    ck_assert_uint_le(packed.cbBuffer, sizeof copy - 1);
    memcpy(copy, packed.pvBuffer, packed.cbBuffer);

    for (uint32_t n = 0; n < packed.cbBuffer; n++) {
        bad = (SecBuffer){n, SECBUFFER_EMPTY, copy};
        ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &bad, NULL, &h),
                         SEC_E_INVALID_TOKEN);
    }
    bad = (SecBuffer){packed.cbBuffer + 1, SECBUFFER_EMPTY, copy};
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &bad, NULL, &h), SEC_E_INVALID_TOKEN);
    copy[0] ^= 0xff; /* magic */
    bad = (SecBuffer){packed.cbBuffer, SECBUFFER_EMPTY, copy};
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &bad, NULL, &h), SEC_E_INVALID_TOKEN);
    copy[0] ^= 0xff;
    copy[208] ^= 0x01; /* odd user name length */
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &bad, NULL, &h), SEC_E_INVALID_TOKEN);
    copy[208] ^= 0x01;
    memset(copy, 0x5a, packed.cbBuffer);
    ck_assert_status(ImportSecurityContextW(tu_u16("Sample"), &bad, NULL, &h), SEC_E_INVALID_TOKEN);

    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

/* Feed `good` truncated at every length, oversized, and garbled; each must
 * be SEC_E_INVALID_TOKEN.  `leg` runs the call under test. */
typedef SECURITY_STATUS (*leg_fn)(void *state, const struct token *in);

static void check_bad_tokens(leg_fn leg, void *state, const struct token *good)
{
    struct token t;

    for (uint32_t n = 0; n < good->len; n++) {
        t = *good;
        t.len = n;
        ck_assert_status(leg(state, &t), SEC_E_INVALID_TOKEN);
    }
    /* Oversized: longer than cbMaxToken, and a valid token with junk after it. */
    t = *good;
    memset(t.data + good->len, 0, sizeof t.data - good->len);
    t.len = sizeof t.data;
    ck_assert_status(leg(state, &t), SEC_E_INVALID_TOKEN);
    t.len = good->len + 1;
    ck_assert_status(leg(state, &t), SEC_E_INVALID_TOKEN);
    /* Header fields. */
    for (int i = 0; i < 8; i++) {
        t = *good;
        t.data[i] ^= 0x40;
        ck_assert_status(leg(state, &t), SEC_E_INVALID_TOKEN);
    }
    /* Garbage of the right length and of many lengths. */
    for (uint32_t n = 1; n < 300; n += 7) {
        for (uint32_t i = 0; i < n; i++)
            t.data[i] = (uint8_t)(i * 37 + n);
        t.len = n;
        ck_assert_status(leg(state, &t), SEC_E_INVALID_TOKEN);
    }
}

struct leg_state {
    struct pair *p;
    const struct token *negotiate;
};

static SECURITY_STATUS leg_accept_negotiate(void *state, const struct token *in)
{
    struct leg_state *s = state;
    struct token out;
    CtxtHandle h;
    SECURITY_STATUS st = asc(&s->p->scred, &h, true, in, &out, NULL, NULL);
    if (st == SEC_I_CONTINUE_NEEDED)
        DeleteSecurityContext(&h);
    return st;
}

/* A refused leg ends its context, so each try gets a fresh one. */
static SECURITY_STATUS leg_init_challenge(void *state, const struct token *in)
{
    struct leg_state *s = state;
    struct token out;
    CtxtHandle h;
    SECURITY_STATUS st;

    ck_assert_status(isc(&s->p->ccred, &h, true, NULL, &out, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    st = isc(&s->p->ccred, &h, false, in, &out, NULL, NULL);
    ck_assert_status(DeleteSecurityContext(&h), SEC_E_OK);
    return st;
}

static SECURITY_STATUS leg_accept_authenticate(void *state, const struct token *in)
{
    struct leg_state *s = state;
    struct token out;
    CtxtHandle h;
    SECURITY_STATUS st;

    ck_assert_status(asc(&s->p->scred, &h, true, s->negotiate, &out, NULL, NULL),
                     SEC_I_CONTINUE_NEEDED);
    st = asc(&s->p->scred, &h, false, in, &out, NULL, NULL);
    ck_assert_status(DeleteSecurityContext(&h), SEC_E_OK);
    return st;
}

START_TEST(test_bad_tokens_every_leg)
{
    struct pair p;
    struct token t1, t2, t3, t4;
    struct leg_state s = {&p, &t1};

    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &p.ccred), SEC_E_OK);
    ck_assert_status(
        acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &p.scred), SEC_E_OK);

    ck_assert_status(isc(&p.ccred, &p.c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    check_bad_tokens(leg_accept_negotiate, &s, &t1);
    /* A NEGOTIATE whose name length points past the end. */
    {
        struct token t = t1;
        t.data[40] = 0xff;
        t.data[41] = 0x7f;
        ck_assert_status(leg_accept_negotiate(&s, &t), SEC_E_INVALID_TOKEN);
        t = t1;
        t.data[40] |= 1; /* odd byte count */
        ck_assert_status(leg_accept_negotiate(&s, &t), SEC_E_INVALID_TOKEN);
    }
    ck_assert_status(asc(&p.scred, &p.s, true, &t1, &t2, NULL, NULL), SEC_I_CONTINUE_NEEDED);

    check_bad_tokens(leg_init_challenge, &s, &t2);
    ck_assert_status(isc(&p.ccred, &p.c, false, &t2, &t3, NULL, NULL), SEC_E_OK);

    check_bad_tokens(leg_accept_authenticate, &s, &t3);
    ck_assert_status(asc(&p.scred, &p.s, false, &t3, &t4, NULL, NULL), SEC_E_OK);

    /* A token of the wrong type for the leg; the refused leg is final. */
    {
        CtxtHandle c2;
        struct token o;
        ck_assert_status(isc(&p.ccred, &c2, true, NULL, &o, NULL, NULL), SEC_I_CONTINUE_NEEDED);
        ck_assert_status(isc(&p.ccred, &c2, false, &t1, &o, NULL, NULL), SEC_E_INVALID_TOKEN);
        ck_assert_status(isc(&p.ccred, &c2, false, &t2, &o, NULL, NULL), SEC_E_OUT_OF_SEQUENCE);
        ck_assert_status(DeleteSecurityContext(&c2), SEC_E_OK);
    }
    disconnect_pair(&p);
}
END_TEST

START_TEST(test_handshake_buffers)
{
    CredHandle cc, sc;
    CtxtHandle c, s;
    uint8_t small[16];
    SecBuffer ob = {sizeof small, SECBUFFER_TOKEN, small};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer db = {sizeof small, SECBUFFER_DATA, small};
    SecBufferDesc dd = {SECBUFFER_VERSION, 1, &db};
    uint32_t attrs;
    struct token t1;

    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_OUTBOUND, &cc),
                     SEC_E_OK);
    ck_assert_status(acquire(PH_FORM_W, "alice", "EXAMPLE", "secret", SECPKG_CRED_INBOUND, &sc),
                     SEC_E_OK);
    /* Output token too small / missing. */
    ck_assert_status(InitializeSecurityContextW(&cc, NULL, NULL, REQ_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &od, &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(InitializeSecurityContextW(&cc, NULL, NULL, REQ_FLAGS, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &c, &dd, &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(isc(&cc, &c, true, NULL, &t1, NULL, NULL), SEC_I_CONTINUE_NEEDED);
    {
        SecBuffer ib = {t1.len, SECBUFFER_TOKEN, t1.data};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
        ob.cbBuffer = sizeof small;
        ck_assert_status(AcceptSecurityContext(&sc, NULL, &id, ASC_FLAGS, SECURITY_NATIVE_DREP, &s,
                                               &od, &attrs, NULL),
                         SEC_E_BUFFER_TOO_SMALL);
        /* No input token at all. */
        ck_assert_status(AcceptSecurityContext(&sc, NULL, &dd, ASC_FLAGS, SECURITY_NATIVE_DREP, &s,
                                               &od, &attrs, NULL),
                         SEC_E_INVALID_TOKEN);
    }
    ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&cc), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&sc), SEC_E_OK);
}
END_TEST

START_TEST(test_message_buffers)
{
    struct pair p;
    uint8_t data[16] = "payload", tok[64];
    SecBuffer only_data[1] = {{sizeof data, SECBUFFER_DATA, data}};
    SecBufferDesc no_token = {SECBUFFER_VERSION, 1, only_data};
    SecBuffer b[2] = {{sizeof data, SECBUFFER_DATA, data},
                      {SAMPLE_TRAILER - 1, SECBUFFER_TOKEN, tok}};
    SecBufferDesc short_token = {SECBUFFER_VERSION, 2, b};

    connect_pair(&p);
    ck_assert_status(MakeSignature(&p.c, 0, &no_token, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(VerifySignature(&p.s, &no_token, 0, NULL), SEC_E_INVALID_TOKEN);
    ck_assert_status(EncryptMessage(&p.c, 0, &no_token, 0), SEC_E_INVALID_TOKEN);
    ck_assert_status(DecryptMessage(&p.s, &no_token, 0, NULL), SEC_E_INVALID_TOKEN);

    ck_assert_status(MakeSignature(&p.c, 0, &short_token, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(EncryptMessage(&p.c, 0, &short_token, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_mem_eq(data, "payload", 8); /* nothing encrypted */
    ck_assert_status(VerifySignature(&p.s, &short_token, 0, NULL), SEC_E_INVALID_TOKEN);
    ck_assert_status(DecryptMessage(&p.s, &short_token, 0, NULL), SEC_E_INVALID_TOKEN);

    ck_assert(MakeSignature(&p.c, 0, NULL, 0) == SEC_E_INVALID_TOKEN);
    ck_assert(VerifySignature(&p.s, NULL, 0, NULL) == SEC_E_INVALID_TOKEN);
    ck_assert(EncryptMessage(&p.c, 0, NULL, 0) == SEC_E_INVALID_TOKEN);
    ck_assert(DecryptMessage(&p.s, NULL, 0, NULL) == SEC_E_INVALID_TOKEN);

    /* The failures consumed no sequence numbers. */
    struct msg m;
    ck_assert_status(sign(&p.c, &m, "still first"), SEC_E_OK);
    ck_assert_status(verify(&p.s, &m), SEC_E_OK);
    disconnect_pair(&p);
}
END_TEST

/* option.lifetime from the configuration reaches the package. */
START_TEST(test_config_lifetime)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    const char *build = getenv("top_builddir");
    char conf[4096];
    FILE *f;
    struct pair p;
    SecPkgContext_Lifespan life;
    TimeStamp exp;
    struct token t1;

    ck_assert_ptr_nonnull(dir);
    snprintf(conf, sizeof conf, "%s/tests/check-sample-%ld.conf", build ? build : ".",
             (long)getpid());
    f = fopen(conf, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "autoload = no\ndropin_dir = none\ncheck_permissions = no\n"
            "[module]\nmodule = %s/sample/.libs/sample.so\noption.lifetime = 3600\n"
            "option.no_such_setting = 1\n",
            dir);
    fclose(f);
    chmod(conf, 0600);
    setenv("LIBSSPI_CONFIG", conf, 1);

    connect_pair(&p);
    remove(conf);
    ck_assert_status(QueryContextAttributesW(&p.s, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsExpiry.QuadPart - life.tsStart.QuadPart == 3600LL * 10000000);
    ck_assert_status(QueryContextAttributesW(&p.c, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsExpiry.QuadPart - life.tsStart.QuadPart == 3600LL * 10000000);
    {
        CtxtHandle c;
        ck_assert_status(isc(&p.ccred, &c, true, NULL, &t1, NULL, &exp), SEC_I_CONTINUE_NEEDED);
        ck_assert(exp.QuadPart != INT64_MAX);
        ck_assert_status(DeleteSecurityContext(&c), SEC_E_OK);
    }
    disconnect_pair(&p);
}
END_TEST

static void setup_loaded(void)
{
    load_sample();
}

static Suite *sample_suite(void)
{
    Suite *s = suite_create("sample");
    TCase *tc;

    tc = tcase_create("package");
    tcase_add_checked_fixture(tc, setup_loaded, NULL);
    tcase_add_test(tc, test_enumerate);
    tcase_add_test(tc, test_credentials);
    tcase_add_test(tc, test_credentials_missing);
    tcase_add_test(tc, test_credentials_forms_interoperate);
    suite_add_tcase(s, tc);

    tc = tcase_create("handshake");
    tcase_add_checked_fixture(tc, setup_loaded, NULL);
    tcase_add_test(tc, test_handshake_caller_buffers);
    tcase_add_test(tc, test_handshake_allocate_memory);
    tcase_add_test(tc, test_wrong_password);
    tcase_add_test(tc, test_bad_client_proof);
    tcase_add_test(tc, test_replayed_challenge);
    tcase_add_test(tc, test_unknown_user);
    tcase_add_test(tc, test_wrong_credential_use);
    tcase_add_test(tc, test_bad_tokens_every_leg);
    tcase_add_test(tc, test_handshake_buffers);
    suite_add_tcase(s, tc);

    tc = tcase_create("messages");
    tcase_add_checked_fixture(tc, setup_loaded, NULL);
    tcase_add_test(tc, test_sign_verify);
    tcase_add_test(tc, test_sign_multiple_buffers);
    tcase_add_test(tc, test_sign_tamper);
    tcase_add_test(tc, test_sign_replay_reorder);
    tcase_add_test(tc, test_sign_caller_seqno);
    tcase_add_test(tc, test_seal_unseal);
    tcase_add_test(tc, test_seal_no_encrypt);
    tcase_add_test(tc, test_seal_readonly);
    tcase_add_test(tc, test_seal_tamper);
    tcase_add_test(tc, test_seal_replay_reorder);
    tcase_add_test(tc, test_message_buffers);
    tcase_add_test(tc, test_concurrent_senders);
    suite_add_tcase(s, tc);

    tc = tcase_create("context");
    tcase_add_checked_fixture(tc, setup_loaded, NULL);
    tcase_add_test(tc, test_attributes);
    tcase_add_test(tc, test_attributes_incomplete);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_export_delete_old);
    tcase_add_test(tc, test_import_bad);
    suite_add_tcase(s, tc);

    /* No fixture: the package comes from a configuration file. */
    tc = tcase_create("config");
    tcase_add_test(tc, test_config_lifetime);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sample_suite());
    int failed;

    /* Each test loads the package in its own process. */
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
