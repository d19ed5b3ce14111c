/*
 * pkg-conformance.c - the package conformance battery (see
 * pkg-conformance.h).  Every test runs against the package the driver
 * names, through the public API only.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pkg-conformance.h"

static const struct pc_driver *D;

static struct ph_handshake_opts opts(void)
{
    return (struct ph_handshake_opts){
        .target = D->target,
        .isc_req = D->isc_req,
        .asc_req = D->asc_req,
        .empty_input = D->empty_input,
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

/* Acquire both credentials of a handshake run leg by leg. */
static void acquire_both(struct ph_party *c, struct ph_party *s)
{
    memset(c, 0, sizeof *c);
    memset(s, 0, sizeof *s);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->client, SECPKG_CRED_OUTBOUND, &c->cred),
                     SEC_E_OK);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->server, SECPKG_CRED_INBOUND, &s->cred),
                     SEC_E_OK);
}

/* A message laid out the package's way, with room from SIZES. */
static void msg_for(CtxtHandle *h, struct ph_msg *m, const void *data, size_t len, bool sign)
{
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;

    if (D->layout == PH_LAYOUT_STREAM) {
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
    if (D->layout != PH_LAYOUT_STREAM)
        return DecryptMessage(h, &m->d, 0, &qop);
    ph_msg_stream_in(&in, m);
    return DecryptMessage(h, &in.d, 0, &qop);
}

/* ---- acquire ----------------------------------------------------------------- */

START_TEST(test_acquire_every_form)
{
    static const enum ph_form forms[] = {PH_FORM_A, PH_FORM_W, PH_FORM_EXW};

    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        SecPkgCredentials_NamesA names = {NULL};
        CredHandle h;
        SECURITY_STATUS st;

        ck_assert_status(ph_acquire(D->package, forms[i], &D->client, SECPKG_CRED_OUTBOUND, &h),
                         SEC_E_OK);
        st = QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &names);
        ck_assert_status2(st, SEC_E_OK, SEC_E_UNSUPPORTED_FUNCTION);
        if (st == SEC_E_OK) {
            ck_assert_ptr_nonnull(strcasestr(names.sUserName, D->client.user));
            FreeContextBuffer(names.sUserName);
        }
        ck_assert_status(FreeCredentialsHandle(&h), SEC_E_OK);
    }
}
END_TEST

START_TEST(test_acquire_bad)
{
    SEC_WINNT_AUTH_IDENTITY_A broken = {.UserLength = 5, .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle h;

    ck_assert_status(ph_acquire(D->package, PH_FORM_A, &D->client, 0, &h), D->bad_use);
    ck_assert_status(ph_acquire("NoSuchPackage", PH_FORM_A, &D->client, SECPKG_CRED_OUTBOUND, &h),
                     SEC_E_SECPKG_NOT_FOUND);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)D->package, SECPKG_CRED_OUTBOUND,
                                               NULL, &broken, NULL, NULL, &h, NULL),
                     SEC_E_INVALID_PARAMETER);
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
    ck_assert_status(ph_pair_open(&p, D->package, &D->client, &D->server, &o), SEC_E_OK);
    ck_assert(p.client.same_handle && p.server.same_handle);
    ck_assert(p.client.attrs & ISC_RET_ALLOCATED_MEMORY);
    ck_assert(p.server.attrs & ASC_RET_ALLOCATED_MEMORY);
    if (!D->no_signatures)
        ck_assert_status(ph_sign_verify(&p.client.ctx, &p.server.ctx, "x", 1), SEC_E_OK);
    ck_assert_status(ph_seal_unseal(&p.client.ctx, &p.server.ctx, D->layout, "x", 1), SEC_E_OK);
    close_pair(&p);
}
END_TEST

START_TEST(test_handshake_refused)
{
    struct ph_handshake_opts o = opts();
    struct ph_party c = {0}, s = {0};

    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->wrong, SECPKG_CRED_OUTBOUND, &c.cred),
                     SEC_E_OK);
    ck_assert_status(ph_acquire(D->package, PH_FORM_W, &D->server, SECPKG_CRED_INBOUND, &s.cred),
                     SEC_E_OK);
    ck_assert_status(ph_handshake(&c, &s, &o), D->denied);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
}
END_TEST

/* ---- per message ----------------------------------------------------------------- */

START_TEST(test_sizes)
{
    struct ph_pair p;
    PSecPkgInfoA info;
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;
    CtxtHandle *ends[] = {&p.client.ctx, &p.server.ctx};

    open_pair(&p);
    ck_assert_status(QuerySecurityPackageInfoA((SEC_CHAR *)D->package, &info), SEC_E_OK);
    for (int i = 0; i < 2; i++) {
        ck_assert_status(QueryContextAttributesA(ends[i], SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        ck_assert_uint_eq(sz.cbMaxToken, info->cbMaxToken);
        if (D->layout == PH_LAYOUT_STREAM) {
            ck_assert_status(QueryContextAttributesA(ends[i], SECPKG_ATTR_STREAM_SIZES, &ss),
                             SEC_E_OK);
            ck_assert_uint_gt(ss.cbMaximumMessage, 0);
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
        ph_msg_init(&m, PH_LAYOUT_TOKEN, "x", 1, 0, 64);
        ck_assert_status(MakeSignature(&p.client.ctx, 0, &m.d, 0), SEC_E_UNSUPPORTED_FUNCTION);
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

/* A changed byte is SEC_E_MESSAGE_ALTERED, and leaves the receiver where it
 * was: the genuine message then passes. */
START_TEST(test_tamper)
{
    struct ph_msg m, bad;
    struct ph_pair p;

    open_pair(&p);
    for (int sealed = 0; sealed < 2; sealed++) {
        if (!sealed && D->no_signatures)
            continue;
        msg_for(&p.client.ctx, &m, "the message to tamper with", 26, !sealed);
        ck_assert_status(sealed ? EncryptMessage(&p.client.ctx, 0, &m.d, 0)
                                : MakeSignature(&p.client.ctx, 0, &m.d, 0),
                         SEC_E_OK);
        bad = m;
        bad.data[3] ^= 0x01;
        ph_msg_fix(&bad);
        if (sealed && D->layout != PH_LAYOUT_STREAM) {
            uint32_t qop;
            ck_assert_status(DecryptMessage(&p.server.ctx, &bad.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
            ph_msg_fix(&m);
            ck_assert_status(DecryptMessage(&p.server.ctx, &m.d, 0, &qop), SEC_E_OK);
            ck_assert_mem_eq(m.data, "the message to tamper with", 26);
        } else if (!sealed) {
            uint32_t qop;
            ck_assert_status(VerifySignature(&p.server.ctx, &bad.d, 0, &qop),
                             SEC_E_MESSAGE_ALTERED);
            ph_msg_fix(&m);
            ck_assert_status(VerifySignature(&p.server.ctx, &m.d, 0, &qop), SEC_E_OK);
        }
    }
    close_pair(&p);
}
END_TEST

/* A message verified twice, or one that overtakes another, is
 * SEC_E_OUT_OF_SEQUENCE; the receiver then still takes the right one. */
START_TEST(test_replay_and_reorder)
{
    struct ph_msg m1, m2, m3;
    struct ph_pair p;

    open_pair(&p);
    msg_for(&p.client.ctx, &m1, "one", 3, true);
    msg_for(&p.client.ctx, &m2, "two", 3, true);
    msg_for(&p.client.ctx, &m3, "three", 5, true);
    ck_assert_status(protect(&p.client.ctx, &m1), SEC_E_OK);
    ck_assert_status(protect(&p.client.ctx, &m2), SEC_E_OK);
    ck_assert_status(protect(&p.client.ctx, &m3), SEC_E_OK);
    if (D->layout == PH_LAYOUT_TOKEN) {
        struct ph_msg again = m1;
        ck_assert_status(unprotect(&p.server.ctx, &m1), SEC_E_OK);
        ck_assert_status(unprotect(&p.server.ctx, &again), SEC_E_OUT_OF_SEQUENCE);
        ck_assert_status(unprotect(&p.server.ctx, &m3), SEC_E_OUT_OF_SEQUENCE);
        ck_assert_status(unprotect(&p.server.ctx, &m2), SEC_E_OK);
        ck_assert_status(unprotect(&p.server.ctx, &m3), SEC_E_OK);
    } else {
        ck_assert_status(unprotect(&p.server.ctx, &m1), SEC_E_OK);
        ck_assert(!SEC_SUCCESS(unprotect(&p.server.ctx, &m3)));
    }
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

START_TEST(test_bad_descriptors)
{
    uint8_t data[16] = "data", token[16];
    struct ph_pair p;
    SecBuffer b[3];
    SecBufferDesc d;
    uint32_t qop;

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
    if (D->layout == PH_LAYOUT_TOKEN) {
        /* Wrong buffer types: no TOKEN at all. */
        b[0] = (SecBuffer){4, SECBUFFER_DATA, data};
        b[1] = (SecBuffer){sizeof token, SECBUFFER_EMPTY, token};
        expect_desc_refused(&p.client.ctx, &d, SEC_E_INVALID_TOKEN);
        /* A TOKEN too small for a signature or trailer. */
        b[1] = (SecBuffer){2, SECBUFFER_TOKEN, token};
        if (!D->no_signatures) {
            ck_assert_status(MakeSignature(&p.client.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
            ck_assert_status(VerifySignature(&p.server.ctx, &d, 0, &qop), D->short_verify);
        }
        ck_assert_status(EncryptMessage(&p.client.ctx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
        ck_assert_status(DecryptMessage(&p.server.ctx, &d, 0, &qop), D->short_verify);
    }
    /* Nothing above moved the sequence on. */
    if (!D->no_signatures)
        ck_assert_status(ph_sign_verify(&p.client.ctx, &p.server.ctx, "after", 5), SEC_E_OK);
    ck_assert_status(ph_seal_unseal(&p.client.ctx, &p.server.ctx, D->layout, "after", 5), SEC_E_OK);
    close_pair(&p);
}
END_TEST

/* One leg of `p` fed `len` bytes of `tok` (may be NULL), through
 * caller buffers; the output is discarded. */
static SECURITY_STATUS raw_leg(struct ph_party *p, bool accept, const uint8_t *tok, size_t len,
                               uint8_t *out, uint32_t *out_len)
{
    SecBuffer ib[2] = {{(uint32_t)len, SECBUFFER_TOKEN, (void *)tok}, {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc id = {SECBUFFER_VERSION, D->empty_input ? 2 : 1, ib};
    SecBuffer ob = {PH_MAX_DATA, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    SECURITY_STATUS st;

    if (accept)
        st = AcceptSecurityContext(&p->cred, p->has_ctx ? &p->ctx : NULL, &id, D->asc_req,
                                   SECURITY_NATIVE_DREP, &p->ctx, &od, &attrs, NULL);
    else
        st = InitializeSecurityContextA(&p->cred, p->has_ctx ? &p->ctx : NULL,
                                        (SEC_CHAR *)D->target, D->isc_req, 0, SECURITY_NATIVE_DREP,
                                        tok ? &id : NULL, 0, &p->ctx, &od, &attrs, NULL);
    if (SEC_SUCCESS(st))
        p->has_ctx = true;
    *out_len = SEC_SUCCESS(st) ? ob.cbBuffer : 0;
    return st;
}

static void end_ctx(struct ph_party *p)
{
    if (p->has_ctx)
        ck_assert_status(DeleteSecurityContext(&p->ctx), SEC_E_OK);
    p->has_ctx = false;
}

/* Truncated tokens on every leg are refused as SEC_E_INVALID_TOKEN; a
 * refused first leg leaves no context. */
START_TEST(test_short_tokens)
{
    uint8_t t1[PH_MAX_DATA], t2[PH_MAX_DATA], out[PH_MAX_DATA];
    uint32_t l1, l2, ol;
    struct ph_party c, s;

    acquire_both(&c, &s);
    ck_assert_status(raw_leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(raw_leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    if (D->shortest_first_token > 0 && D->shortest_first_token < l1)
        l1 = D->shortest_first_token;
    for (uint32_t n = 0; n < l1; n += 1 + l1 / 12) {
        struct ph_party fresh = {.cred = s.cred};
        ck_assert_status(raw_leg(&fresh, true, n ? t1 : NULL, n, out, &ol), SEC_E_INVALID_TOKEN);
        ck_assert(!fresh.has_ctx);
    }
    for (uint32_t n = 0; n < l2; n += 1 + l2 / 12) {
        struct ph_party fresh = {.cred = c.cred};
        ck_assert_status(raw_leg(&fresh, false, NULL, 0, out, &ol), SEC_I_CONTINUE_NEEDED);
        ck_assert_status(raw_leg(&fresh, false, n ? t2 : (const uint8_t *)"", n, out, &ol),
                         SEC_E_INVALID_TOKEN);
        end_ctx(&fresh);
    }
    end_ctx(&c);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
}
END_TEST

/* After a refused leg the genuine token no longer completes the context. */
START_TEST(test_failed_leg_is_final)
{
    uint8_t t1[PH_MAX_DATA], t2[PH_MAX_DATA], t3[PH_MAX_DATA], bad[PH_MAX_DATA];
    uint32_t l1, l2, l3, ol;
    struct ph_party c, s;

    acquire_both(&c, &s);
    ck_assert_status(raw_leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(raw_leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    ck_assert(!SEC_SUCCESS(raw_leg(&c, false, t2, l2 / 2, bad, &ol)));
    ck_assert_status(raw_leg(&c, false, t2, l2, t3, &l3), SEC_E_OUT_OF_SEQUENCE);
    end_ctx(&c);
    end_ctx(&s);

    /* The same on the acceptor's last leg. */
    ck_assert_status(raw_leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(raw_leg(&s, true, t1, l1, t2, &l2), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(raw_leg(&c, false, t2, l2, t3, &l3), SEC_E_OK);
    ck_assert(!SEC_SUCCESS(raw_leg(&s, true, t3, l3 / 2, bad, &ol)));
    ck_assert_status(raw_leg(&s, true, t3, l3, bad, &ol), SEC_E_OUT_OF_SEQUENCE);
    end_ctx(&c);
    end_ctx(&s);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
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

/* The attributes both ends of a complete context answer. */
static void check_complete_attributes(CtxtHandle *h, uint32_t attrs, uint8_t *key, size_t *keylen)
{
    SecPkgContext_NamesA names = {NULL};
    SecPkgContext_PackageInfoA pi = {NULL};
    SecPkgContext_NegotiationInfoA ni = {NULL, 99};
    SecPkgContext_Flags flags;
    SecPkgContext_Lifespan life;
    SecPkgContext_SessionKey sk = {0, NULL};
    SecPkgContext_KeyInfoA ki = {NULL, NULL, 0, 0, 0};
    uint8_t junk[64];

    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_ptr_nonnull(strcasestr(names.sUserName, D->client.user));
    FreeContextBuffer(names.sUserName);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, D->package);
    FreeContextBuffer(pi.PackageInfo);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_str_eq(ni.PackageInfo->Name, D->package);
    FreeContextBuffer(ni.PackageInfo);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert_uint_eq(flags.Flags, attrs);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsStart.QuadPart <= life.tsExpiry.QuadPart);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    ck_assert(sk.SessionKeyLength > 0 && sk.SessionKeyLength <= 64);
    memcpy(key, sk.SessionKey, sk.SessionKeyLength);
    *keylen = sk.SessionKeyLength;
    FreeContextBuffer(sk.SessionKey);
    if (!D->no_key_info) {
        ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
        ck_assert(ki.sSignatureAlgorithmName != NULL && ki.sEncryptAlgorithmName != NULL);
        FreeContextBuffer(ki.sSignatureAlgorithmName);
        FreeContextBuffer(ki.sEncryptAlgorithmName);
    }
    ck_assert_status(QueryContextAttributesA(h, 0x7ffe, junk), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, NULL), SEC_E_INVALID_PARAMETER);
}

START_TEST(test_attributes_after_completion)
{
    uint8_t ck[64], sk[64];
    size_t cl, sl;
    struct ph_pair p;

    open_pair(&p);
    check_complete_attributes(&p.client.ctx, p.client.attrs, ck, &cl);
    check_complete_attributes(&p.server.ctx, p.server.attrs, sk, &sl);
    ck_assert_uint_eq(cl, sl);
    ck_assert_mem_eq(ck, sk, cl);
    close_pair(&p);
}
END_TEST

START_TEST(test_attributes_while_running)
{
    uint8_t t1[PH_MAX_DATA];
    uint32_t l1;
    struct ph_party c, s;
    SecPkgContext_NegotiationInfoA ni = {NULL, 99};
    SecPkgContext_SessionKey key;
    SecPkgContext_Sizes sz;

    acquire_both(&c, &s);
    ck_assert_status(raw_leg(&c, false, NULL, 0, t1, &l1), SEC_I_CONTINUE_NEEDED);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    FreeContextBuffer(ni.PackageInfo);
    ck_assert_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SESSION_KEY, &key),
                     SEC_E_INVALID_HANDLE);
    end_ctx(&c);
    ck_assert_status(ph_party_end(&c), SEC_E_OK);
    ck_assert_status(ph_party_end(&s), SEC_E_OK);
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

static void pc_setup(void)
{
    if (D->setup != NULL)
        D->setup();
    ck_assert_status(ph_load(D->package, D->module), SEC_E_OK);
}

static void pc_teardown(void)
{
    if (D->teardown != NULL)
        D->teardown();
}

Suite *pc_suite(const struct pc_driver *d)
{
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("battery");

    D = d;
    tcase_add_unchecked_fixture(tc, pc_setup, pc_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_acquire_every_form);
    tcase_add_test(tc, test_acquire_bad);
    tcase_add_test(tc, test_handshake_caller_buffers);
    tcase_add_test(tc, test_handshake_allocate_memory);
    tcase_add_test(tc, test_handshake_refused);
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
    tcase_add_test(tc, test_failed_leg_is_final);
    tcase_add_test(tc, test_double_delete);
    tcase_add_test(tc, test_attributes_after_completion);
    tcase_add_test(tc, test_attributes_while_running);
    tcase_add_test(tc, test_threads_both_directions);
    tcase_add_test(tc, test_delete_while_in_use);
    suite_add_tcase(s, tc);
    return s;
}
