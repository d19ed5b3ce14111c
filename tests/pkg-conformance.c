/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-conformance.c - the package conformance battery (see
 * pkg-conformance.h).  Every test runs against the package the driver
 * names, through the public API only.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pkg-conformance.h"

static const struct pc_driver *D;

/* The driver's status for a case, or the usual one. */
static SECURITY_STATUS expect(SECURITY_STATUS declared, SECURITY_STATUS usual)
{
    return declared != 0 ? declared : usual;
}

#define EXPECT(field, usual) expect(D->expect.field, (usual))

static bool stream(void)
{
    return D->layout == PH_LAYOUT_STREAM;
}

static bool answers(uint32_t attr)
{
    return (D->unanswered & attr) == 0;
}

/* The package a context's negotiation names. */
static const char *selected(void)
{
    return D->selects != NULL ? D->selects : D->package;
}

static struct ph_handshake_opts opts(void)
{
    return (struct ph_handshake_opts){
        .target = D->target,
        .isc_req = D->isc_req,
        .asc_req = D->asc_req,
        .stream = stream(),
    };
}

static void open_pair(struct ph_pair *p)
{
    struct ph_handshake_opts o = opts();

    ck_assert_status(ph_pair_open(p, D->package, &D->client, &D->server, &o), SEC_E_OK);
}

static void close_pair(struct ph_pair *p)
{
    ck_assert_status(ph_pair_close(p), SEC_E_OK);
}

/* Acquire both credentials of a handshake run call by call. */
static void acquire_both(struct ph_party *c, struct ph_party *s)
{
    memset(c, 0, sizeof *c);
    memset(s, 0, sizeof *s);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->client, SECPKG_CRED_OUTBOUND, &c->cred),
                     SEC_E_OK);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->server, SECPKG_CRED_INBOUND, &s->cred),
                     SEC_E_OK);
}

static void end_ctx(struct ph_party *p)
{
    if (p->has_ctx)
        ck_assert_status(DeleteSecurityContext(&p->ctx), SEC_E_OK);
    p->has_ctx = false;
}

static void end_both(struct ph_party *c, struct ph_party *s)
{
    ck_assert_status(ph_party_end(c), SEC_E_OK);
    ck_assert_status(ph_party_end(s), SEC_E_OK);
}

/* A message laid out the package's way, with room from SIZES. */
static void msg_for(CtxtHandle *h, struct ph_msg *m, const void *data, size_t len, bool sign)
{
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;

    if (stream()) {
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_STREAM_SIZES, &ss), SEC_E_OK);
        ph_msg_init(m, PH_LAYOUT_STREAM, data, len, ss.cbHeader, ss.cbTrailer);
        return;
    }
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ph_msg_init(m, PH_LAYOUT_TOKEN, data, len, 0, sign ? sz.cbMaxSignature : sz.cbSecurityTrailer);
}

/* Protect one message on `h` (signed when the package signs, else sealed). */
static SECURITY_STATUS protect(CtxtHandle *h, struct ph_msg *m)
{
    return D->no_signatures ? EncryptMessage(h, 0, &m->d, 0) : MakeSignature(h, 0, &m->d, 0);
}

static SECURITY_STATUS unprotect(CtxtHandle *h, struct ph_msg *m)
{
    uint32_t qop;
    struct ph_msg in;

    ph_msg_fix(m);
    if (!D->no_signatures)
        return VerifySignature(h, &m->d, 0, &qop);
    if (!stream())
        return DecryptMessage(h, &m->d, 0, &qop);
    ph_msg_stream_in(&in, m);
    return DecryptMessage(h, &in.d, 0, &qop);
}

/* A pair just opened with options `o`: one handle across legs on each
 * end, and a message signed (where the package signs) and sealed. */
static void open_and_use(struct ph_pair *p, const struct ph_handshake_opts *o)
{
    ck_assert_status(ph_pair_open(p, D->package, &D->client, &D->server, o), SEC_E_OK);
    ck_assert(p->client.same_handle && p->server.same_handle);
    if (!D->no_signatures)
        ck_assert_status(ph_sign_verify(&p->client.ctx, &p->server.ctx, "x", 1), SEC_E_OK);
    ck_assert_status(ph_seal_unseal(&p->server.ctx, &p->client.ctx, D->layout, "x", 1), SEC_E_OK);
}

/* ---- acquire ----------------------------------------------------------------- */

START_TEST(test_acquire_every_form)
{
    static const enum ph_form forms[] = {PH_FORM_A, PH_FORM_W, PH_FORM_EXW};
    /* A package without user identities takes no AuthData in any form. */
    size_t n = D->client.user != NULL ? sizeof forms / sizeof forms[0] : 1;

    for (size_t i = 0; i < n; i++) {
        SecPkgCredentials_NamesA names = {NULL};
        CredHandle h;

        ck_assert_status(ph_acquire(D->package, forms[i], &D->client, SECPKG_CRED_OUTBOUND, &h),
                         SEC_E_OK);
        if (answers(PC_ATTR_CRED_NAMES)) {
            ck_assert_status(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &names),
                             SEC_E_OK);
            ck_assert_ptr_nonnull(strcasestr(names.sUserName, D->client.user));
            FreeContextBuffer(names.sUserName);
        } else {
            ck_assert_status(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &names),
                             SEC_E_UNSUPPORTED_FUNCTION);
        }
        ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
    }
}
END_TEST

START_TEST(test_acquire_bad)
{
    SEC_WINNT_AUTH_IDENTITY_A broken = {.UserLength = 5, .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle h;

    ck_assert_status(ph_acquire(D->package, PH_FORM_A, &D->client, 0, &h),
                     EXPECT(bad_use, SEC_E_UNKNOWN_CREDENTIALS));
    ck_assert_status(ph_acquire("NoSuchPackage", PH_FORM_A, &D->client, SECPKG_CRED_OUTBOUND, &h),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)D->package, SECPKG_CRED_OUTBOUND,
                                               NULL, &broken, NULL, NULL, &h, NULL),
                     EXPECT(bad_auth_data, SEC_E_INVALID_PARAMETER));
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)D->package, SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, NULL, NULL),
                     SEC_E_INVALID_HANDLE);
}
END_TEST

/* ---- handshake ----------------------------------------------------------------- */

START_TEST(test_handshake_caller_buffers)
{
    struct ph_pair p;

    open_pair(&p);
    ck_assert(p.client.same_handle);
    ck_assert(p.server.same_handle);
    ck_assert_uint_eq(p.client.attrs & ISC_RET_ALLOCATED_MEMORY, 0);
    close_pair(&p);
}
END_TEST

START_TEST(test_handshake_allocate_memory)
{
    struct ph_handshake_opts o = opts();
    struct ph_pair p;

    o.allocate = true;
    open_and_use(&p, &o);
    ck_assert(p.client.attrs & ISC_RET_ALLOCATED_MEMORY);
    ck_assert(p.server.attrs & ASC_RET_ALLOCATED_MEMORY);
    close_pair(&p);
}
END_TEST

START_TEST(test_handshake_refused)
{
    struct ph_handshake_opts o = opts();
    struct ph_party c = {0}, s = {0};

    ck_assert(D->wrong.user != NULL || D->wrong_target != NULL);
    if (D->wrong_target != NULL)
        o.target = D->wrong_target;
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, D->wrong.user ? &D->wrong : &D->client,
                                SECPKG_CRED_OUTBOUND, &c.cred),
                     SEC_E_OK);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->server, SECPKG_CRED_INBOUND, &s.cred),
                     SEC_E_OK);
    ck_assert_status(ph_handshake(&c, &s, &o), EXPECT(denied, SEC_E_LOGON_DENIED));
    end_both(&c, &s);
}
END_TEST

/* The acceptor opens with no input; the initiator's first leg takes its
 * token; the pair then works. */
START_TEST(test_handshake_acceptor_first)
{
    struct ph_handshake_opts o = opts();
    struct ph_pair p;

    o.acceptor_first = true;
    open_and_use(&p, &o);
    close_pair(&p);
}
END_TEST

/* ---- per message ----------------------------------------------------------------- */

/* A wrapper's SIZES are those of a context of the package it selects. */
static void expect_selected_sizes(const SecPkgContext_Sizes *got)
{
    struct ph_handshake_opts o = opts();
    SecPkgContext_Sizes want;
    struct ph_pair inner;

    ck_assert_status(ph_pair_open(&inner, D->selects, &D->client, &D->server, &o), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&inner.client.ctx, SECPKG_ATTR_SIZES, &want),
                     SEC_E_OK);
    ck_assert_uint_eq(got->cbMaxToken, want.cbMaxToken);
    ck_assert_uint_eq(got->cbMaxSignature, want.cbMaxSignature);
    ck_assert_uint_eq(got->cbBlockSize, want.cbBlockSize);
    ck_assert_uint_eq(got->cbSecurityTrailer, want.cbSecurityTrailer);
    close_pair(&inner);
}

START_TEST(test_sizes)
{
    struct ph_pair p;
    PSecPkgInfoA info;
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;
    CtxtHandle *ends[] = {&p.client.ctx, &p.server.ctx};

    open_pair(&p);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)selected(), &info), SEC_E_OK);
    for (int i = 0; i < 2; i++) {
        ck_assert_status(QueryContextAttributesA(ends[i], SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        ck_assert_uint_eq(sz.cbMaxToken, info->cbMaxToken);
        if (D->selects != NULL)
            expect_selected_sizes(&sz);
        if (stream()) {
            ck_assert_status(QueryContextAttributesA(ends[i], SECPKG_ATTR_STREAM_SIZES, &ss),
                             SEC_E_OK);
            ck_assert_uint_gt(ss.cbHeader, 0);
            ck_assert_uint_gt(ss.cbTrailer, 0);
            ck_assert_uint_gt(ss.cbMaximumMessage, 0);
            ck_assert_uint_eq(ss.cBuffers, 4);
        } else {
            ck_assert_uint_gt(sz.cbSecurityTrailer, 0);
            ck_assert(D->no_signatures || sz.cbMaxSignature > 0);
        }
    }
    FreeContextBuffer(info);
    close_pair(&p);
}
END_TEST

START_TEST(test_sign_verify)
{
    static const size_t lens[] = {0, 1, 17, 1000, PH_MAX_DATA};
    uint8_t data[PH_MAX_DATA];
    struct ph_pair p;

    open_pair(&p);
    if (D->no_signatures) {
        struct ph_msg m;
        uint32_t qop;

        ph_msg_init(&m, PH_LAYOUT_TOKEN, "x", 1, 0, 64);
        ck_assert_status(MakeSignature(&p.client.ctx, 0, &m.d, 0), SEC_E_UNSUPPORTED_FUNCTION);
        ck_assert_status(VerifySignature(&p.server.ctx, &m.d, 0, &qop), SEC_E_UNSUPPORTED_FUNCTION);
    }
    for (int round = 0; round < 4 && !D->no_signatures; round++) {
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            ph_fill(data, lens[i], (uint32_t)(round * 31 + i));
            ck_assert_status(ph_sign_verify(&p.client.ctx, &p.server.ctx, data, lens[i]), SEC_E_OK);
            ck_assert_status(ph_sign_verify(&p.server.ctx, &p.client.ctx, data, lens[i]), SEC_E_OK);
        }
    }
    close_pair(&p);
}
END_TEST

START_TEST(test_seal_unseal)
{
    static const size_t lens[] = {1, 2, 100, 1000, PH_MAX_DATA - 600};
    uint8_t data[PH_MAX_DATA];
    struct ph_pair p;

    open_pair(&p);
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            ph_fill(data, lens[i], (uint32_t)(round * 17 + i));
            ck_assert_status(ph_seal_unseal(&p.client.ctx, &p.server.ctx, D->layout, data, lens[i]),
                             SEC_E_OK);
            ck_assert_status(ph_seal_unseal(&p.server.ctx, &p.client.ctx, D->layout, data, lens[i]),
                             SEC_E_OK);
        }
    }
    close_pair(&p);
}
END_TEST

/* A changed byte is refused (`altered`); then the genuine message gets
 * `after_refused`: SEC_E_OK where the receiver stays where it was. */
START_TEST(test_tamper)
{
    static const char text[] = "the message to tamper with";
    struct ph_msg m, bad;
    struct ph_pair p;

    for (int sealed = D->no_signatures; sealed < 2; sealed++) {
        open_pair(&p);
        msg_for(&p.client.ctx, &m, text, sizeof text, !sealed);
        ck_assert_status(sealed ? EncryptMessage(&p.client.ctx, 0, &m.d, 0)
                                : MakeSignature(&p.client.ctx, 0, &m.d, 0),
                         SEC_E_OK);
        bad = m;
        bad.data[3] ^= 0x01;
        if (sealed && stream()) {
            ck_assert_status(unprotect(&p.server.ctx, &bad),
                             EXPECT(altered, SEC_E_MESSAGE_ALTERED));
            ck_assert_status(unprotect(&p.server.ctx, &m), EXPECT(after_refused, SEC_E_OK));
        } else {
            uint32_t qop;

            ph_msg_fix(&bad);
            ck_assert_status(sealed ? DecryptMessage(&p.server.ctx, &bad.d, 0, &qop)
                                    : VerifySignature(&p.server.ctx, &bad.d, 0, &qop),
                             EXPECT(altered, SEC_E_MESSAGE_ALTERED));
            ph_msg_fix(&m);
            ck_assert_status(sealed ? DecryptMessage(&p.server.ctx, &m.d, 0, &qop)
                                    : VerifySignature(&p.server.ctx, &m.d, 0, &qop),
                             EXPECT(after_refused, SEC_E_OK));
            if (sealed && EXPECT(after_refused, SEC_E_OK) == SEC_E_OK)
                ck_assert_mem_eq(m.data, text, sizeof text);
        }
        close_pair(&p);
    }
}
END_TEST

/* A message taken twice, or one that overtakes another, is refused
 * (`out_of_sequence`); where the receiver carries on, it then takes the
 * right ones. */
START_TEST(test_replay_and_reorder)
{
    struct ph_msg m1, m2, m3, again;
    struct ph_pair p;
    SECURITY_STATUS refused = EXPECT(out_of_sequence, SEC_E_OUT_OF_SEQUENCE);

    open_pair(&p);
    msg_for(&p.client.ctx, &m1, "one", 3, true);
    msg_for(&p.client.ctx, &m2, "two", 3, true);
    msg_for(&p.client.ctx, &m3, "three", 5, true);
    ck_assert_status(protect(&p.client.ctx, &m1), SEC_E_OK);
    ck_assert_status(protect(&p.client.ctx, &m2), SEC_E_OK);
    ck_assert_status(protect(&p.client.ctx, &m3), SEC_E_OK);
    again = m1;
    ck_assert_status(unprotect(&p.server.ctx, &m1), SEC_E_OK);
    ck_assert_status(unprotect(&p.server.ctx, &again), refused);
    if (EXPECT(after_refused, SEC_E_OK) == SEC_E_OK) {
        ck_assert_status(unprotect(&p.server.ctx, &m3), refused);
        ck_assert_status(unprotect(&p.server.ctx, &m2), SEC_E_OK);
        ck_assert_status(unprotect(&p.server.ctx, &m3), SEC_E_OK);
    } else {
        ck_assert_status(unprotect(&p.server.ctx, &m2), EXPECT(after_refused, SEC_E_OK));
    }
    close_pair(&p);

    /* Overtaking on a fresh pair. */
    open_pair(&p);
    msg_for(&p.client.ctx, &m1, "one", 3, true);
    msg_for(&p.client.ctx, &m2, "two", 3, true);
    ck_assert_status(protect(&p.client.ctx, &m1), SEC_E_OK);
    ck_assert_status(protect(&p.client.ctx, &m2), SEC_E_OK);
    ck_assert_status(unprotect(&p.server.ctx, &m2), refused);
    ck_assert_status(unprotect(&p.server.ctx, &m1), EXPECT(after_refused, SEC_E_OK));
    close_pair(&p);
}
END_TEST

/* ---- export / import ----------------------------------------------------------- */

START_TEST(test_export_import)
{
    CtxtHandle ic, is;
    struct ph_pair p;
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};

    open_pair(&p);
    if (D->no_export) {
        ck_assert_status(ExportSecurityContext(&p.client.ctx, 0, &blob, NULL),
                         SEC_E_UNSUPPORTED_FUNCTION);
        close_pair(&p);
        return;
    }
    ck_assert_status(ph_export_import(D->package, &p.client.ctx, 0, &ic), SEC_E_OK);
    ck_assert_status(ph_export_import(D->package, &p.server.ctx, 0, &is), SEC_E_OK);
    /* The imported ends carry on where the exported ones were. */
    for (int i = 0; i < 3; i++) {
        if (!D->no_signatures) {
            ck_assert_status(ph_sign_verify(&ic, &is, "imported", 8), SEC_E_OK);
            ck_assert_status(ph_sign_verify(&is, &ic, "imported", 8), SEC_E_OK);
        }
        ck_assert_status(ph_seal_unseal(&ic, &is, D->layout, "sealed", 6), SEC_E_OK);
        ck_assert_status(ph_seal_unseal(&is, &ic, D->layout, "sealed", 6), SEC_E_OK);
    }
    ck_assert_status(DeleteSecurityContext(&ic), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&is), SEC_E_OK);
    close_pair(&p);
}
END_TEST

START_TEST(test_import_bad_blobs)
{
    uint8_t junk[300];
    SecBuffer b = {0, SECBUFFER_TOKEN, junk};
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle h;
    struct ph_pair p;

    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)D->package, NULL, NULL, &h),
                     SEC_E_INVALID_TOKEN);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)D->package, &b, NULL, &h),
                     SEC_E_INVALID_TOKEN);
    b.pvBuffer = NULL;
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)D->package, &b, NULL, &h),
                     SEC_E_INVALID_TOKEN);
    b.pvBuffer = junk;
    for (uint32_t n = 1; n <= sizeof junk; n += 37) {
        ph_fill(junk, n, n);
        b.cbBuffer = n;
        ck_assert_status(ImportSecurityContextA((SEC_CHAR *)D->package, &b, NULL, &h),
                         SEC_E_INVALID_TOKEN);
    }
    if (D->no_export)
        return;
    open_pair(&p);
    ck_assert_status(ExportSecurityContext(&p.client.ctx, 0, &blob, NULL), SEC_E_OK);
    for (uint32_t n = 1; n < blob.cbBuffer; n += 1 + blob.cbBuffer / 16) {
        b = (SecBuffer){n, SECBUFFER_TOKEN, blob.pvBuffer};
        ck_assert_status(ImportSecurityContextA((SEC_CHAR *)D->package, &b, NULL, &h),
                         SEC_E_INVALID_TOKEN);
    }
    FreeContextBuffer(blob.pvBuffer);
    close_pair(&p);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------- */

/* Every per-message call and every context call with handle `h`. */
static void expect_handle_refused(CtxtHandle *h)
{
    struct ph_msg m;
    SecPkgContext_Sizes sz;
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
    uint32_t qop;

    ph_msg_init(&m, PH_LAYOUT_TOKEN, "x", 1, 0, 64);
    ck_assert_status(MakeSignature(h, 0, &m.d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_status(VerifySignature(h, &m.d, 0, &qop), SEC_E_INVALID_HANDLE);
    ck_assert_status(EncryptMessage(h, 0, &m.d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_status(DecryptMessage(h, &m.d, 0, &qop), SEC_E_INVALID_HANDLE);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz), SEC_E_INVALID_HANDLE);
    ck_assert_status(ExportSecurityContext(h, 0, &blob, NULL), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(h), SEC_E_INVALID_HANDLE);
}

START_TEST(test_bad_handles)
{
    struct ph_pair p, q;
    CtxtHandle zero = {0, 0}, ones = {~(ULONG_PTR)0, ~(ULONG_PTR)0};
    CtxtHandle forged, stale, as_ctx;
    CredHandle as_cred;

    open_pair(&p);
    open_pair(&q);
    forged = (CtxtHandle){p.client.ctx.dwLower, p.client.ctx.dwUpper ^ 0x5a5a};
    stale = q.client.ctx;
    ck_assert_status(DeleteSecurityContext(&q.client.ctx), SEC_E_OK);
    q.client.has_ctx = false;
    as_ctx = p.client.cred; /* a credential handle given as a context */
    as_cred = p.client.ctx; /* and the other way round */

    expect_handle_refused(NULL);
    expect_handle_refused(&zero);
    expect_handle_refused(&ones);
    expect_handle_refused(&forged);
    expect_handle_refused(&stale);
    expect_handle_refused(&as_ctx);
    ck_assert_status(FreeCredentialsHandle(&as_cred), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
    {
        SecBuffer ob = {64, SECBUFFER_TOKEN, (uint8_t[64]){0}};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        CtxtHandle out;
        uint32_t attrs;
        ck_assert_status(InitializeSecurityContextA(&p.client.cred, &stale, NULL, D->isc_req, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &out, &od,
                                                    &attrs, NULL),
                         SEC_E_INVALID_HANDLE);
        ck_assert_status(InitializeSecurityContextA(&as_cred, NULL, NULL, D->isc_req, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &out, &od,
                                                    &attrs, NULL),
                         SEC_E_INVALID_HANDLE);
    }
    /* The genuine pair is unharmed. */
    ck_assert_status(ph_seal_unseal(&p.client.ctx, &p.server.ctx, D->layout, "ok", 2), SEC_E_OK);
    close_pair(&p);
    close_pair(&q);
}
END_TEST

/* Make/Verify/Encrypt/Decrypt with descriptor `d`: all `want`. */
static void expect_desc_refused(CtxtHandle *h, SecBufferDesc *d, SECURITY_STATUS want)
{
    uint32_t qop;

    if (!D->no_signatures) {
        ck_assert_status(MakeSignature(h, 0, d, 0), want);
        ck_assert_status(VerifySignature(h, d, 0, &qop), want);
    }
    ck_assert_status(EncryptMessage(h, 0, d, 0), want);
    ck_assert_status(DecryptMessage(h, d, 0, &qop), want);
}

/* [DATA][TOKEN]: no TOKEN, or one too small for a signature or trailer. */
static void bad_token_layouts(struct ph_pair *p)
{
    uint8_t data[16] = "data", token[16];
    SecBuffer b[2] = {{4, SECBUFFER_DATA, data}, {sizeof token, SECBUFFER_EMPTY, token}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop;

    expect_desc_refused(&p->client.ctx, &d, SEC_E_INVALID_TOKEN);
    b[1] = (SecBuffer){2, SECBUFFER_TOKEN, token};
    if (!D->no_signatures) {
        ck_assert_status(MakeSignature(&p->client.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
        ck_assert_status(VerifySignature(&p->server.ctx, &d, 0, &qop),
                         EXPECT(short_verify, SEC_E_INVALID_TOKEN));
    }
    ck_assert_status(EncryptMessage(&p->client.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(DecryptMessage(&p->server.ctx, &d, 0, &qop),
                     EXPECT(short_verify, SEC_E_INVALID_TOKEN));
}

/* The stream rules: EncryptMessage needs DATA and a big enough trailer;
 * DecryptMessage takes [DATA][EMPTY]x3 and answers a part of a record with
 * SEC_E_INCOMPLETE_MESSAGE and the exact SECBUFFER_MISSING count. */
static void bad_stream_layouts(struct ph_pair *p)
{
    struct ph_msg m, in;
    uint32_t qop;

    msg_for(&p->client.ctx, &m, "stream", 6, false);
    m.b[1].BufferType = SECBUFFER_EMPTY; /* no DATA */
    ck_assert_status(EncryptMessage(&p->client.ctx, 0, &m.d, 0), SEC_E_INVALID_TOKEN);
    msg_for(&p->client.ctx, &m, "stream", 6, false);
    m.b[2].cbBuffer = 1; /* trailer too small */
    ck_assert_status(EncryptMessage(&p->client.ctx, 0, &m.d, 0), SEC_E_BUFFER_TOO_SMALL);

    msg_for(&p->client.ctx, &m, "stream", 6, false);
    ck_assert_status(EncryptMessage(&p->client.ctx, 0, &m.d, 0), SEC_E_OK);
    ph_msg_stream_in(&in, &m);
    in.d.cBuffers = 3; /* fewer than four buffers */
    ck_assert_status(DecryptMessage(&p->server.ctx, &in.d, 0, &qop), SEC_E_INVALID_TOKEN);
    ph_msg_stream_in(&in, &m);
    in.b[0].BufferType = SECBUFFER_EMPTY; /* no DATA */
    ck_assert_status(DecryptMessage(&p->server.ctx, &in.d, 0, &qop), SEC_E_INVALID_TOKEN);
    for (uint32_t n = 0; n < in.len; n += 1 + (uint32_t)in.len / 8) {
        ph_msg_stream_in(&in, &m);
        in.b[0].cbBuffer = n;
        ck_assert_status(DecryptMessage(&p->server.ctx, &in.d, 0, &qop), SEC_E_INCOMPLETE_MESSAGE);
        ck_assert_uint_eq(in.b[1].BufferType, SECBUFFER_MISSING);
        ck_assert_uint_eq(in.b[1].cbBuffer, n < 5 ? 5 - n : in.len - n);
    }
    /* Nothing of it was taken: the whole record still comes through. */
    ph_msg_stream_in(&in, &m);
    ck_assert_status(DecryptMessage(&p->server.ctx, &in.d, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(in.b[1].BufferType, SECBUFFER_DATA);
    ck_assert_uint_eq(in.b[1].cbBuffer, 6);
    ck_assert_mem_eq(in.b[1].pvBuffer, "stream", 6);
}

START_TEST(test_bad_descriptors)
{
    uint8_t data[16] = "data", token[16];
    struct ph_pair p;
    SecBuffer b[3];
    SecBufferDesc d;

    open_pair(&p);
    expect_desc_refused(&p.client.ctx, NULL, SEC_E_INVALID_TOKEN);
    b[0] = (SecBuffer){4, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sizeof token, SECBUFFER_TOKEN, token};
    d = (SecBufferDesc){1, 2, b}; /* wrong version */
    expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
    d = (SecBufferDesc){SECBUFFER_VERSION, 0, b}; /* no buffers */
    expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
    d = (SecBufferDesc){SECBUFFER_VERSION, 2, NULL};
    expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
    d = (SecBufferDesc){SECBUFFER_VERSION, 65, b}; /* more buffers than allowed */
    expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
    b[0] = (SecBuffer){4, SECBUFFER_DATA, NULL}; /* a length without memory */
    d = (SecBufferDesc){SECBUFFER_VERSION, 2, b};
    expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
    if (stream())
        bad_stream_layouts(&p);
    else
        bad_token_layouts(&p);
    /* Nothing above moved the sequence on. */
    if (!D->no_signatures)
        ck_assert_status(ph_sign_verify(&p.client.ctx, &p.server.ctx, "after", 5), SEC_E_OK);
    ck_assert_status(ph_seal_unseal(&p.client.ctx, &p.server.ctx, D->layout, "after", 5), SEC_E_OK);
    close_pair(&p);
}
END_TEST

/* ---- handshake tokens ------------------------------------------------------------- */

/* A handshake of fresh credentials, stepped until end `e` is about to
 * make leg `leg` (counting from 0); its input is copied to `tok`.  The
 * exchange is the caller's to free, the parties to end. */
static void step_to(struct ph_exchange *x, struct ph_party *c, struct ph_party *s,
                    const struct ph_handshake_opts *o, int e, int leg, uint8_t *tok, uint32_t *len)
{
    const uint8_t *in;

    acquire_both(c, s);
    ph_exchange_init(x, c, s, o);
    for (;;) {
        int next = ph_exchange_next(x, &in, len);

        ck_assert_int_ge(next, 0);
        if (next == e && x->legs[e] == leg && !x->done[e])
            break;
        ck_assert(SEC_SUCCESS(ph_exchange_step(x)));
    }
    ck_assert_uint_le(*len, PH_MAX_TOKEN);
    if (*len > 0)
        memcpy(tok, in, *len);
}

/* The legs each end makes in a whole handshake. */
static void count_legs(int legs[2])
{
    struct ph_handshake_opts o = opts();
    struct ph_party c, s;
    struct ph_exchange x;

    acquire_both(&c, &s);
    ph_exchange_init(&x, &c, &s, &o);
    ck_assert_status(ph_exchange_run(&x), SEC_E_OK);
    legs[0] = x.legs[0];
    legs[1] = x.legs[1];
    ph_exchange_free(&x);
    end_both(&c, &s);
}

/* A first leg (of the acceptor when `accept`) given `n` bytes of `tok`:
 * `want`, with no context made and the new handle untouched. */
static void first_leg_refused(CredHandle *cred, bool accept, const uint8_t *tok, uint32_t n,
                              SECURITY_STATUS want, struct ph_leg_result *r)
{
    static const CtxtHandle mark = {0x5eed, 0xfeed};
    const struct ph_handshake_opts o = opts();
    struct ph_party fresh = {.cred = *cred, .ctx = mark};

    ck_assert_status(ph_leg(&fresh, accept, &o, tok, n, NULL, r), want);
    ck_assert(!fresh.has_ctx);
    ck_assert_mem_eq(&fresh.ctx, &mark, sizeof mark);
}

/* The acceptor's first leg given `n` of the `whole` bytes of a first
 * token: refused, or for a stream package waiting for the rest with a
 * SECBUFFER_MISSING count that, given that many more bytes, goes on. */
static void short_first_leg(CredHandle *cred, const uint8_t *tok, uint32_t n, uint32_t whole)
{
    const struct ph_handshake_opts o = opts();
    struct ph_party fresh = {.cred = *cred};
    struct ph_leg_result r;
    SECURITY_STATUS st;

    if (!stream()) {
        first_leg_refused(cred, true, n ? tok : NULL, n, SEC_E_INVALID_TOKEN, &r);
        return;
    }
    for (;;) {
        first_leg_refused(cred, true, n ? tok : NULL, n, SEC_E_INCOMPLETE_MESSAGE, &r);
        ck_assert_uint_gt(r.missing, 0);
        ck_assert_uint_le(n + r.missing, whole);
        n += r.missing;
        st = ph_leg(&fresh, true, &o, tok, n, NULL, &r);
        if (st != SEC_E_INCOMPLETE_MESSAGE)
            break;
    }
    ck_assert_status(st, SEC_I_CONTINUE_NEEDED);
    end_ctx(&fresh);
}

/* Truncated tokens: a message package refuses them (SEC_E_INVALID_TOKEN;
 * a refused first leg leaves no context); a stream package waits for the
 * rest, and completes handshakes whose bytes arrive in pieces. */
START_TEST(test_short_tokens)
{
    static const uint32_t pieces[] = {1, 5, 100, 1000};
    struct ph_handshake_opts o = opts();
    uint8_t *t1 = malloc(PH_MAX_TOKEN), *t2 = malloc(PH_MAX_TOKEN);
    uint32_t l1, l2, first;
    struct ph_party c, s;
    struct ph_exchange x;

    ck_assert(t1 != NULL && t2 != NULL);
    /* The first token the acceptor gets, and the first the initiator gets. */
    step_to(&x, &c, &s, &o, 1, 0, t1, &l1);
    ck_assert(SEC_SUCCESS(ph_exchange_step(&x)));
    l2 = x.in[0].len;
    memcpy(t2, x.in[0].data, l2);
    first =
        D->shortest_first_token > 0 && D->shortest_first_token < l1 ? D->shortest_first_token : l1;
    /* No input at all is a speaking-first acceptor's opening. */
    for (uint32_t n = D->acceptor_first; n < first; n += 1 + first / 12)
        short_first_leg(&s.cred, t1, n, l1);
    for (uint32_t n = 0; n < l2 && !stream(); n += 1 + l2 / 12) {
        struct ph_party fresh = {.cred = c.cred};
        struct ph_leg_result r;

        ck_assert_status(ph_leg(&fresh, false, &o, NULL, 0, NULL, &r), SEC_I_CONTINUE_NEEDED);
        ck_assert_status(ph_leg(&fresh, false, &o, n ? t2 : (const uint8_t *)"", n, NULL, &r),
                         SEC_E_INVALID_TOKEN);
        end_ctx(&fresh);
    }
    ph_exchange_free(&x);
    end_both(&c, &s);
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0] && stream(); i++) {
        struct ph_pair p;

        o.chunk = pieces[i];
        open_and_use(&p, &o);
        close_pair(&p);
    }
    free(t1);
    free(t2);
}
END_TEST

/* Bytes that are no token of the package's: refused on the first leg with
 * no context left behind. */
START_TEST(test_garbage_first_token)
{
    uint8_t junk[64];
    struct ph_party c, s;
    struct ph_leg_result r;

    acquire_both(&c, &s);
    for (uint32_t seed = 1; seed <= 4; seed++) {
        ph_fill(junk, sizeof junk, seed);
        junk[0] = 0; /* no framing byte of any package's starts so */
        first_leg_refused(&s.cred, true, junk, sizeof junk, SEC_E_INVALID_TOKEN, &r);
    }
    end_both(&c, &s);
}
END_TEST

/* The token as changed in transit: cut in half, or for a stream package,
 * which would only wait for the rest of half a token, with a byte changed
 * in the middle of its first record.  Returns the length to pass. */
static uint32_t spoil(uint8_t *tok, uint32_t len)
{
    uint32_t body;

    if (!stream())
        return len / 2;
    ck_assert_uint_gt(len, 5);
    body = (uint32_t)tok[3] << 8 | tok[4];
    tok[5 + (body < len - 5 ? body : len - 5) / 2] ^= 0x80;
    return len;
}

/* After a refused leg the genuine token no longer completes the context
 * (`after_failed_leg`).  Tried on each end's last leg when that is not its
 * first (a refused first leg leaves nothing: test_short_tokens). */
START_TEST(test_failed_leg_is_final)
{
    uint8_t *tok = malloc(PH_MAX_TOKEN), *bad = malloc(PH_MAX_TOKEN);
    struct ph_handshake_opts o = opts();
    int legs[2], tried = 0;

    ck_assert(tok != NULL && bad != NULL);
    count_legs(legs);
    for (int e = 0; e < 2; e++) {
        struct ph_party c, s;
        struct ph_party *end[2] = {&c, &s};
        struct ph_exchange x;
        struct ph_leg_result r;
        uint32_t len;
        SECURITY_STATUS st;

        if (legs[e] < 2)
            continue;
        step_to(&x, &c, &s, &o, e, legs[e] - 1, tok, &len);
        ck_assert_uint_gt(len, 0);
        memcpy(bad, tok, len);
        st = ph_leg(end[e], e == 1, &o, bad, spoil(bad, len), NULL, &r);
        ck_assert_msg(!SEC_SUCCESS(st) && st != SEC_E_INCOMPLETE_MESSAGE, "end %d leg %d: %s", e,
                      legs[e] - 1, tu_status_str(st));
        ck_assert_status(ph_leg(end[e], e == 1, &o, tok, len, NULL, &r),
                         EXPECT(after_failed_leg, SEC_E_OUT_OF_SEQUENCE));
        ph_exchange_free(&x);
        end_both(&c, &s);
        tried++;
    }
    ck_assert_int_gt(tried, 0);
    free(tok);
    free(bad);
}
END_TEST

START_TEST(test_double_delete)
{
    struct ph_pair p;

    open_pair(&p);
    ck_assert_status(DeleteSecurityContext(&p.client.ctx), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.client.ctx), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&p.server.ctx), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.server.ctx), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeCredentialsHandle(&p.client.cred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.client.cred), SEC_E_INVALID_HANDLE);
    ck_assert_status(FreeCredentialsHandle(&p.server.cred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.server.cred), SEC_E_INVALID_HANDLE);
}
END_TEST

/* ---- attributes -------------------------------------------------------------------- */

/* NEGOTIATION_INFO: the selected package, in state `state`. */
static void expect_negotiation(CtxtHandle *h, uint32_t state)
{
    SecPkgContext_NegotiationInfoA ni = {NULL, 99};

    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, state);
    ck_assert_str_eq(ni.PackageInfo->Name, selected());
    FreeContextBuffer(ni.PackageInfo);
}

/* An attribute the package does not answer. */
static void expect_unanswered(CtxtHandle *h, uint32_t attr)
{
    uint8_t buf[64];

    ck_assert_status(QueryContextAttributesA(h, attr, buf), SEC_E_UNSUPPORTED_FUNCTION);
}

static void expect_names(CtxtHandle *h)
{
    SecPkgContext_NamesA names = {NULL};

    if (!answers(PC_ATTR_NAMES)) {
        expect_unanswered(h, SECPKG_ATTR_NAMES);
        return;
    }
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_ptr_nonnull(strcasestr(names.sUserName, D->client.user));
    FreeContextBuffer(names.sUserName);
}

/* The session key (0 bytes when the package has none). */
static size_t session_key(CtxtHandle *h, uint8_t key[64])
{
    SecPkgContext_SessionKey sk = {0, NULL};
    size_t n;

    if (!answers(PC_ATTR_SESSION_KEY)) {
        expect_unanswered(h, SECPKG_ATTR_SESSION_KEY);
        return 0;
    }
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    ck_assert(sk.SessionKeyLength > 0 && sk.SessionKeyLength <= 64);
    n = sk.SessionKeyLength;
    memcpy(key, sk.SessionKey, n);
    FreeContextBuffer(sk.SessionKey);
    return n;
}

/* The attributes both ends of a complete context answer. */
static void check_complete_attributes(CtxtHandle *h, uint32_t attrs)
{
    SecPkgContext_PackageInfoA pi = {NULL};
    SecPkgContext_Flags flags;
    SecPkgContext_Lifespan life;
    SecPkgContext_KeyInfoA ki = {NULL, NULL, 0, 0, 0};

    expect_names(h);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, D->package);
    FreeContextBuffer(pi.PackageInfo);
    expect_negotiation(h, SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert_uint_eq(flags.Flags, attrs);
    if (answers(PC_ATTR_LIFESPAN)) {
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
        ck_assert(life.tsStart.QuadPart <= life.tsExpiry.QuadPart);
    } else {
        expect_unanswered(h, SECPKG_ATTR_LIFESPAN);
    }
    if (answers(PC_ATTR_KEY_INFO)) {
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
        ck_assert(ki.sSignatureAlgorithmName != NULL && ki.sEncryptAlgorithmName != NULL);
        FreeContextBuffer(ki.sSignatureAlgorithmName);
        FreeContextBuffer(ki.sEncryptAlgorithmName);
    } else {
        expect_unanswered(h, SECPKG_ATTR_KEY_INFO);
    }
    expect_unanswered(h, 0x7ffe);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, NULL), SEC_E_INVALID_PARAMETER);
}

START_TEST(test_attributes_after_completion)
{
    uint8_t ck[64], sk[64];
    size_t cl, sl;
    struct ph_pair p;

    open_pair(&p);
    check_complete_attributes(&p.client.ctx, p.client.attrs);
    check_complete_attributes(&p.server.ctx, p.server.attrs);
    cl = session_key(&p.client.ctx, ck);
    sl = session_key(&p.server.ctx, sk);
    ck_assert_uint_eq(cl, sl);
    ck_assert_mem_eq(ck, sk, cl);
    close_pair(&p);
}
END_TEST

/* Each end after its first leg, while the handshake runs: SIZES, the
 * negotiation in progress (or optimistic), no session key yet. */
START_TEST(test_attributes_while_running)
{
    struct ph_handshake_opts o = opts();
    struct ph_party c, s;
    struct ph_party *end[2] = {&c, &s};
    struct ph_exchange x;
    int checked = 0;

    acquire_both(&c, &s);
    ph_exchange_init(&x, &c, &s, &o);
    for (int e = 0; e < 2; e++) {
        SecPkgContext_SessionKey key;
        SecPkgContext_Sizes sz;
        bool optimistic = e == 0 && D->optimistic;

        ck_assert_int_eq(ph_exchange_next(&x, NULL, NULL), e);
        if (ph_exchange_step(&x) != SEC_I_CONTINUE_NEEDED)
            break; /* complete after one leg */
        ck_assert_status(QueryContextAttributesA(&end[e]->ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        expect_negotiation(&end[e]->ctx, optimistic ? SECPKG_NEGOTIATION_OPTIMISTIC
                                                    : SECPKG_NEGOTIATION_IN_PROGRESS);
        if (answers(PC_ATTR_SESSION_KEY))
            ck_assert_status(QueryContextAttributesA(&end[e]->ctx, SECPKG_ATTR_SESSION_KEY, &key),
                             SEC_E_INVALID_HANDLE);
        checked++;
    }
    ck_assert_int_gt(checked, 0);
    ph_exchange_free(&x);
    end_both(&c, &s);
}
END_TEST

/* ---- threads ------------------------------------------------------------------------ */

#define PC_MESSAGES 200

/* One direction: a sender thread protects messages, the receiver checks
 * them in order while the sender goes on. */
struct pc_stream {
    CtxtHandle *from, *to;
    struct ph_msg *msgs;
    _Atomic int sent;
    _Atomic SECURITY_STATUS send_status; /* read by the receiver while it waits */
    SECURITY_STATUS recv_status;
};

static void *pc_sender(void *arg)
{
    struct pc_stream *s = arg;
    uint8_t data[64];

    for (int i = 0; i < PC_MESSAGES; i++) {
        ph_fill(data, sizeof data, (uint32_t)i);
        msg_for(s->from, &s->msgs[i], data, (size_t)(i % 64), true);
        SECURITY_STATUS st = protect(s->from, &s->msgs[i]);

        atomic_store(&s->send_status, st);
        if (st != SEC_E_OK)
            break;
        atomic_store(&s->sent, i + 1);
    }
    return NULL;
}

static void *pc_receiver(void *arg)
{
    struct pc_stream *s = arg;

    for (int i = 0; i < PC_MESSAGES; i++) {
        while (atomic_load(&s->sent) <= i) {
            if (atomic_load(&s->send_status) != SEC_E_OK)
                return NULL;
            sched_yield();
        }
        s->recv_status = unprotect(s->to, &s->msgs[i]);
        if (s->recv_status != SEC_E_OK)
            return NULL;
    }
    return NULL;
}

/* Both directions at once: four threads on one pair. */
START_TEST(test_threads_both_directions)
{
    struct ph_pair p;
    struct pc_stream up = {0}, down = {0};
    pthread_t t[4];

    open_pair(&p);
    up.from = down.to = &p.client.ctx;
    up.to = down.from = &p.server.ctx;
    up.msgs = calloc(PC_MESSAGES, sizeof(struct ph_msg));
    down.msgs = calloc(PC_MESSAGES, sizeof(struct ph_msg));
    ck_assert(up.msgs != NULL && down.msgs != NULL);
    pthread_create(&t[0], NULL, pc_sender, &up);
    pthread_create(&t[1], NULL, pc_receiver, &up);
    pthread_create(&t[2], NULL, pc_sender, &down);
    pthread_create(&t[3], NULL, pc_receiver, &down);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ck_assert_status(atomic_load(&up.send_status), SEC_E_OK);
    ck_assert_status(up.recv_status, SEC_E_OK);
    ck_assert_status(atomic_load(&down.send_status), SEC_E_OK);
    ck_assert_status(down.recv_status, SEC_E_OK);
    free(up.msgs);
    free(down.msgs);
    close_pair(&p);
}
END_TEST

struct pc_racer {
    CtxtHandle *h;
    _Atomic bool started;
    SECURITY_STATUS unexpected;
    int after_delete;
};

/* Protect messages until the handle is gone: every call is SEC_E_OK or,
 * once deleted, SEC_E_INVALID_HANDLE. */
static void *pc_racer(void *arg)
{
    struct pc_racer *r = arg;
    struct ph_msg m;

    msg_for(r->h, &m, "race", 4, true);
    for (;;) {
        SECURITY_STATUS st = protect(r->h, &m);

        atomic_store(&r->started, true);
        if (st == SEC_E_INVALID_HANDLE)
            return NULL;
        if (st != SEC_E_OK) {
            r->unexpected = st;
            return NULL;
        }
        ph_msg_fix(&m);
    }
}

START_TEST(test_delete_while_in_use)
{
    for (int round = 0; round < 10; round++) {
        struct ph_pair p;
        struct pc_racer r = {.h = &p.client.ctx};
        pthread_t t;

        open_pair(&p);
        pthread_create(&t, NULL, pc_racer, &r);
        while (!atomic_load(&r.started))
            sched_yield();
        nanosleep(&(struct timespec){0, 100000 * round}, NULL);
        ck_assert_status(DeleteSecurityContext(&p.client.ctx), SEC_E_OK);
        p.client.has_ctx = false;
        pthread_join(t, NULL);
        ck_assert_status(r.unexpected, SEC_E_OK);
        close_pair(&p);
    }
}
END_TEST

/* ---- the suite ------------------------------------------------------------------------ */

static Suite *pc_suite(void)
{
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("battery");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_acquire_every_form);
    tcase_add_test(tc, test_acquire_bad);
    tcase_add_test(tc, test_handshake_caller_buffers);
    tcase_add_test(tc, test_handshake_allocate_memory);
    tcase_add_test(tc, test_handshake_refused);
    if (D->acceptor_first)
        tcase_add_test(tc, test_handshake_acceptor_first);
    tcase_add_test(tc, test_sizes);
    tcase_add_test(tc, test_sign_verify);
    tcase_add_test(tc, test_seal_unseal);
    tcase_add_test(tc, test_tamper);
    tcase_add_test(tc, test_replay_and_reorder);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_import_bad_blobs);
    tcase_add_test(tc, test_bad_handles);
    tcase_add_test(tc, test_bad_descriptors);
    tcase_add_test(tc, test_short_tokens);
    tcase_add_test(tc, test_garbage_first_token);
    tcase_add_test(tc, test_failed_leg_is_final);
    tcase_add_test(tc, test_double_delete);
    tcase_add_test(tc, test_attributes_after_completion);
    tcase_add_test(tc, test_attributes_while_running);
    tcase_add_test(tc, test_threads_both_directions);
    tcase_add_test(tc, test_delete_while_in_use);
    suite_add_tcase(s, tc);
    return s;
}

int pc_main(const struct pc_driver *d)
{
    int rc = 0, failed;
    SRunner *sr;

    D = d;
    if (d->setup != NULL && (rc = d->setup()) != 0)
        return rc;
    if (ph_load(d->package, d->module) != SEC_E_OK) {
        fprintf(stderr, "%s: cannot load %s\n", d->package, d->module);
        rc = EXIT_FAILURE;
    } else {
        sr = srunner_create(pc_suite());
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        rc = failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }
    if (d->teardown != NULL)
        d->teardown();
    return rc;
}
