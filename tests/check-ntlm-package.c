/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-package.c - the NTLM package called directly through its
 * SSP/AP tables (no libsspi core): hostile input (truncated, oversized and
 * garbage NEGOTIATE/CHALLENGE/AUTHENTICATE messages, field offsets and
 * lengths outside the message or overflowing, AV_PAIR lists without
 * MsvAvEOL, damaged NTLMv2 blobs, MICs and exported contexts) and the
 * package's own behaviour the public API cannot show.
 * Every message is copied into an exact-size heap block so that an
 * out-of-bounds read is caught by valgrind/ASan.  Also checks the NTLMv1
 * acceptor paths, which only option.allow_ntlmv1 enables.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/utf16.h"
#include "ntlm-test.h"

static char tmpdir[256], userfile[300];

static void setup(void)
{
    FILE *f;

    nt_test_tables();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check-ntlm-package-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(userfile, sizeof userfile, "%s/users", tmpdir);
    f = fopen(userfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs("DOMAIN:User:Password\n", f);
    fclose(f);
    setenv("NTLM_USER_FILE", userfile, 1);
}

static void teardown(void)
{
    unlink(userfile);
    rmdir(tmpdir);
}

static uint8_t *exact(const uint8_t *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    if (n)
        memcpy(p, src, n);
    return p;
}

/* A real NEGOTIATE, CHALLENGE and AUTHENTICATE from our own client and
 * server. */
struct transcript {
    struct nt_test_tok neg, chal, auth;
};

static void make_transcript(struct transcript *t)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    LSA_SEC_HANDLE c = 0, s = 0;

    ck_assert(cc && sc);
    ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &t->neg), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_asc(sc, &s, t->neg.data, t->neg.len, 0, &t->chal),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_isc(cc, &c, t->chal.data, t->chal.len, 0, &t->auth), SEC_E_OK);
    nt_test_delete(c);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}

static uint32_t rnd_state = 12345;
static uint8_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (uint8_t)(rnd_state >> 16);
}

/* ---- decoders ---------------------------------------------------------------- */

START_TEST(test_decoders_truncated)
{
    struct transcript t;

    make_transcript(&t);
    for (size_t n = 0; n <= t.neg.len; n++) {
        struct ntlm_negotiate m;
        uint8_t *p = exact(t.neg.data, n);
        ck_assert(ntlm_msg_decode_negotiate(p, n, &m) == (n >= 16));
        free(p);
    }
    for (size_t n = 0; n <= t.chal.len; n++) {
        struct ntlm_challenge m;
        uint8_t *p = exact(t.chal.data, n);
        ck_assert(ntlm_msg_decode_challenge(p, n, &m) == (n == t.chal.len));
        free(p);
    }
    for (size_t n = 0; n <= t.auth.len; n++) {
        struct ntlm_authenticate m;
        uint8_t *p = exact(t.auth.data, n);
        ck_assert(ntlm_msg_decode_authenticate(p, n, &m) == (n == t.auth.len));
        free(p);
    }
}
END_TEST

START_TEST(test_decoders_bad_fields)
{
    struct transcript t;
    struct ntlm_challenge c;
    struct ntlm_authenticate a;
    uint8_t *p;

    make_transcript(&t);
    /* Wrong signature and message types. */
    p = exact(t.chal.data, t.chal.len);
    p[0] = 'X';
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    p[0] = 'N';
    pkg_put_le32(p + 8, 3);
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    pkg_put_le32(p + 8, 2);
    ck_assert(ntlm_msg_decode_challenge(p, t.chal.len, &c));
    /* Target info offset past the end, overflowing, and inside the header. */
    pkg_put_le32(p + 44, (uint32_t)t.chal.len - 1);
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    pkg_put_le32(p + 44, 0xFFFFFFF0u);
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    pkg_put_le32(p + 44, 8);
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    pkg_put_le32(p + 44, 56);
    pkg_put_le16(p + 40, 0xFFFF);
    ck_assert(!ntlm_msg_decode_challenge(p, t.chal.len, &c));
    free(p);

    p = exact(t.auth.data, t.auth.len);
    for (int f = 0; f < 6; f++) {
        size_t at = 12 + 8 * (size_t)f;
        uint8_t save[8];
        if (pkg_get_le16(p + at) == 0)
            continue;
        memcpy(save, p + at, 8);
        pkg_put_le32(p + at + 4, 0xFFFFFFFFu);
        ck_assert(!ntlm_msg_decode_authenticate(p, t.auth.len, &a));
        pkg_put_le32(p + at + 4, (uint32_t)t.auth.len);
        ck_assert(!ntlm_msg_decode_authenticate(p, t.auth.len, &a));
        memcpy(p + at, save, 8);
        pkg_put_le16(p + at, 0xFFFF);
        ck_assert(!ntlm_msg_decode_authenticate(p, t.auth.len, &a));
        memcpy(p + at, save, 8);
    }
    ck_assert(ntlm_msg_decode_authenticate(p, t.auth.len, &a));
    ck_assert(a.has_mic_field);
    free(p);

    /* Oversized messages. */
    p = calloc(1, 70000);
    memcpy(p, t.auth.data, t.auth.len);
    ck_assert(!ntlm_msg_decode_authenticate(p, 70000, &a));
    free(p);
}
END_TEST

START_TEST(test_decoders_garbage)
{
    for (int i = 0; i < 20000; i++) {
        size_t n = rnd() % 200;
        uint8_t buf[200], *p;
        struct ntlm_negotiate ng;
        struct ntlm_challenge c;
        struct ntlm_authenticate a;
        struct ntlm_avpairs av;

        for (size_t k = 0; k < n; k++)
            buf[k] = rnd();
        if (n >= 12 && (i & 1)) {
            memcpy(buf, "NTLMSSP", 8);
            pkg_put_le32(buf + 8, 1 + (uint32_t)(i % 3));
            for (size_t k = 12; k + 8 <= n && k < 64; k += 8)
                pkg_put_le32(buf + k + 4, (uint32_t)(rnd() % (n + 8)));
        }
        p = exact(buf, n);
        ntlm_msg_decode_negotiate(p, n, &ng);
        if (ntlm_msg_decode_challenge(p, n, &c) && c.target_info.len)
            ntlm_avpairs_parse(c.target_info.data, c.target_info.len, &av);
        ntlm_msg_decode_authenticate(p, n, &a);
        ntlm_avpairs_parse(p, n, &av);
        free(p);
    }
}
END_TEST

START_TEST(test_avpairs)
{
    struct ntlm_avpairs av;
    uint8_t *p;
    static const uint8_t no_eol[] = {2, 0, 2, 0, 'D', 0};
    static const uint8_t eol_len[] = {0, 0, 2, 0, 0, 0};
    static const uint8_t past_end[] = {1, 0, 9, 0, 'a', 0, 0, 0};
    static const uint8_t bad_ts[] = {7, 0, 4, 0, 1, 2, 3, 4, 0, 0, 0, 0};
    static const uint8_t bad_flags[] = {6, 0, 2, 0, 1, 2, 0, 0, 0, 0};
    static const uint8_t bad_cb[] = {10, 0, 4, 0, 1, 2, 3, 4, 0, 0, 0, 0};
    static const uint8_t ok[] = {2, 0, 2, 0, 'D', 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0};

#define AV_CASE(arr, want)                                                                         \
    p = exact(arr, sizeof arr);                                                                    \
    ck_assert(ntlm_avpairs_parse(p, sizeof arr, &av) == (want));                                   \
    free(p)
    AV_CASE(no_eol, false);
    AV_CASE(eol_len, false);
    AV_CASE(past_end, false);
    AV_CASE(bad_ts, false);
    AV_CASE(bad_flags, false);
    AV_CASE(bad_cb, false);
    AV_CASE(ok, true);
    ck_assert_uint_eq(av.total_len, 14);
    ck_assert(av.present[MsvAvNbDomainName]);
    ck_assert(!ntlm_avpairs_parse(ok, 0, &av));
    ck_assert(!ntlm_avpairs_parse(ok, 3, &av));
    for (size_t n = 0; n < sizeof ok; n++) {
        p = exact(ok, n);
        ck_assert(ntlm_avpairs_parse(p, n, &av) == (n >= 14));
        free(p);
    }
}
END_TEST

/* ---- through the package ------------------------------------------------------ */

static SECURITY_STATUS asc_first(const uint8_t *msg, size_t n)
{
    LSA_SEC_HANDLE sc = nt_test_cred(NULL, 0, 0), s = 0;
    struct nt_test_tok out;
    uint8_t *p = exact(msg, n);
    SECURITY_STATUS st = nt_test_asc(sc, &s, p, n, 0, &out);

    free(p);
    if (st == SEC_I_CONTINUE_NEEDED)
        nt_test_delete(s);
    else
        ck_assert(s == 0);
    nt_lsa->FreeCredentialsHandle(sc);
    return st;
}

START_TEST(test_package_negotiate)
{
    struct transcript t;
    uint8_t junk[64];

    make_transcript(&t);
    ck_assert_int_eq(asc_first(t.neg.data, t.neg.len), SEC_I_CONTINUE_NEEDED);
    for (size_t n = 0; n < 16; n++)
        ck_assert_int_eq(asc_first(t.neg.data, n), SEC_E_INVALID_TOKEN);
    for (int i = 0; i < 200; i++) {
        for (size_t k = 0; k < sizeof junk; k++)
            junk[k] = rnd();
        ck_assert_int_eq(asc_first(junk, sizeof junk), SEC_E_INVALID_TOKEN);
    }
    ck_assert_int_eq(asc_first(t.chal.data, t.chal.len), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(asc_first(t.auth.data, t.auth.len), SEC_E_INVALID_TOKEN);
}
END_TEST

static SECURITY_STATUS isc_second(const uint8_t *msg, size_t n)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), c = 0;
    struct nt_test_tok out;
    uint8_t *p;
    SECURITY_STATUS st;

    ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &out), SEC_I_CONTINUE_NEEDED);
    p = exact(msg, n);
    st = nt_test_isc(cc, &c, p, n, 0, &out);
    free(p);
    nt_test_delete(c);
    nt_lsa->FreeCredentialsHandle(cc);
    return st;
}

START_TEST(test_package_challenge)
{
    struct transcript t;
    uint8_t *p;
    size_t ti;

    make_transcript(&t);
    ck_assert_int_eq(isc_second(t.chal.data, t.chal.len), SEC_E_OK);
    for (size_t n = 0; n < t.chal.len; n++)
        ck_assert_int_eq(isc_second(t.chal.data, n), SEC_E_INVALID_TOKEN);
    /* Target info whose last pair is not MsvAvEOL. */
    p = exact(t.chal.data, t.chal.len);
    ti = pkg_get_le32(p + 44) + pkg_get_le16(p + 40) - 4;
    pkg_put_le16(p + ti, MsvAvDnsTreeName);
    ck_assert_int_eq(isc_second(p, t.chal.len), SEC_E_INVALID_TOKEN);
    pkg_put_le16(p + ti, MsvAvEOL);
    pkg_put_le16(p + ti + 2, 4);
    ck_assert_int_eq(isc_second(p, t.chal.len), SEC_E_INVALID_TOKEN);
    pkg_put_le16(p + ti + 2, 0);
    /* No target info at all (not NTLMv2-capable). */
    pkg_put_le16(p + 40, 0);
    pkg_put_le16(p + 42, 0);
    ck_assert_int_eq(isc_second(p, t.chal.len), SEC_E_INVALID_TOKEN);
    free(p);
    ck_assert_int_eq(isc_second(t.neg.data, t.neg.len), SEC_E_INVALID_TOKEN);
}
END_TEST

/* A fresh server context that sent a CHALLENGE, then `auth` as leg 2. */
static SECURITY_STATUS asc_second(const struct transcript *t, const uint8_t *auth, size_t n)
{
    LSA_SEC_HANDLE sc = nt_test_cred(NULL, 0, 0), s = 0;
    struct nt_test_tok out;
    uint8_t *p;
    SECURITY_STATUS st;

    ck_assert_int_eq(nt_test_asc(sc, &s, t->neg.data, t->neg.len, 0, &out), SEC_I_CONTINUE_NEEDED);
    p = exact(auth, n);
    st = nt_test_asc(sc, &s, p, n, 0, &out);
    free(p);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(sc);
    return st;
}

START_TEST(test_package_authenticate)
{
    struct transcript t;
    uint8_t *p;
    size_t nt_off, nt_len;

    make_transcript(&t);
    /* Whole message, other challenge: a well-formed logon that fails. */
    ck_assert_int_eq(asc_second(&t, t.auth.data, t.auth.len), SEC_E_LOGON_DENIED);
    for (size_t n = 0; n < t.auth.len; n++)
        ck_assert_int_eq(asc_second(&t, t.auth.data, n), SEC_E_INVALID_TOKEN);
    p = exact(t.auth.data, t.auth.len);
    nt_len = pkg_get_le16(p + 20);
    nt_off = pkg_get_le32(p + 24);
    /* NTLMv2 blob: wrong response type, AV list running off the end. */
    p[nt_off + 16] = 2;
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    p[nt_off + 16] = 1;
    memset(p + nt_off + nt_len - 8, 0xff, 8);
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    memcpy(p, t.auth.data, t.auth.len);
    /* NT response too short for a blob. */
    pkg_put_le16(p + 20, 30);
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    pkg_put_le16(p + 20, 20);
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    /* Overflowing offsets. */
    memcpy(p, t.auth.data, t.auth.len);
    pkg_put_le32(p + 24, 0xFFFFFFFFu);
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    /* Odd-length UTF-16 user name. */
    memcpy(p, t.auth.data, t.auth.len);
    pkg_put_le16(p + 36, (uint16_t)(pkg_get_le16(p + 36) - 1));
    ck_assert_int_eq(asc_second(&t, p, t.auth.len), SEC_E_INVALID_TOKEN);
    free(p);
}
END_TEST

START_TEST(test_package_mic)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    struct nt_test_tok neg, chal, auth, out;
    size_t ws_off;

    for (int round = 0; round < 4; round++) {
        LSA_SEC_HANDLE c = 0, s = 0;
        SECURITY_STATUS want = SEC_E_OK;

        ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_isc(cc, &c, chal.data, chal.len, 0, &auth), SEC_E_OK);
        if (round == 1) {
            auth.data[NTLM_MIC_OFFSET + 3] ^= 1;
            want = SEC_E_MESSAGE_ALTERED;
        } else if (round == 2) {
            ws_off = pkg_get_le32(auth.data + 48);
            auth.data[ws_off] ^= 0x20; /* workstation: outside the proof */
            want = SEC_E_MESSAGE_ALTERED;
        } else if (round == 3) {
            auth.data[61] ^= 0x01; /* a flag bit: only the MIC covers it */
            want = SEC_E_MESSAGE_ALTERED;
        }
        ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), want);
        nt_test_delete(c);
        nt_test_delete(s);
    }
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

/* Build an NTLMv1 AUTHENTICATE for the CHALLENGE in `chal`. */
static void v1_auth(const struct nt_test_tok *chal, bool ess, struct ntlm_buf *out)
{
    static const uint8_t pw[] = {'P', 0, 'a', 0, 's', 0, 's', 0, 'w', 0, 'o', 0, 'r', 0, 'd', 0};
    static const uint8_t user[] = {'U', 0, 's', 0, 'e', 0, 'r', 0};
    static const uint8_t dom[] = {'D', 0, 'O', 0, 'M', 0, 'A', 0, 'I', 0, 'N', 0};
    struct ntlm_challenge c;
    uint8_t nt[16], lmh[16], ntr[24], lmr[24], sbk[16], kx[16], enc[16], exp[16];
    uint8_t cchal[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint32_t flags;
    crypto_rc4 rc4;

    ck_assert(ntlm_msg_decode_challenge(chal->data, chal->len, &c));
    flags = c.flags & ~NTLMSSP_NEGOTIATE_TARGET_INFO;
    if (!ess)
        flags &= ~NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
    ntlm_ntowfv1(pw, sizeof pw, nt);
    ntlm_lmowfv1(pw, sizeof pw, lmh);
    if (ess) {
        memset(lmr, 0, 24);
        memcpy(lmr, cchal, 8);
        ntlm_v1_ess_response(nt, c.server_chal, cchal, ntr);
    } else {
        ntlm_v1_response(nt, c.server_chal, ntr);
        ntlm_v1_response(lmh, c.server_chal, lmr);
    }
    ntlm_v1_session_base_key(nt, sbk);
    ntlm_kxkey(flags, false, sbk, lmh, lmr, c.server_chal, kx);
    memset(exp, 0x42, 16);
    crypto_rc4_set_key(&rc4, kx, 16);
    crypto_rc4_crypt(&rc4, 16, enc, exp);
    {
        struct ntlm_view vlm = {lmr, 24}, vnt = {ntr, 24}, vd = {dom, sizeof dom};
        struct ntlm_view vu = {user, sizeof user}, vw = {NULL, 0}, ve = {enc, 16};
        ck_assert(ntlm_msg_encode_authenticate(flags, &vlm, &vnt, &vd, &vu, &vw, &ve,
                                               &ntlm_our_version, false, out));
    }
}

/* SECPKG_ATTR_KEY_INFO of an NTLMv1 context, as Windows reports it:
 * RC4-CRC32 signatures without extended session security. */
static void check_v1_key_info(LSA_SEC_HANDLE s, bool ess)
{
    SecPkgContext_KeyInfoW ki;
    const char16_t *want = ess ? u"HMAC-MD5" : u"RSADSI RC4-CRC32";

    ck_assert_int_eq(nt_user->QueryContextAttributes(s, SECPKG_ATTR_KEY_INFO, &ki), STATUS_SUCCESS);
    ck_assert_uint_eq(ki.SignatureAlgorithm, ess ? 0xffffff76u : 0xffffff7cu);
    ck_assert_uint_eq(ki.EncryptAlgorithm, 0x6801u);
    ck_assert_mem_eq(ki.sSignatureAlgorithmName, want, (sspi_utf16_len(want) + 1) * 2);
    ck_assert_mem_eq(ki.sEncryptAlgorithmName, u"RSADSI RC4", sizeof u"RSADSI RC4");
    free(ki.sSignatureAlgorithmName);
    free(ki.sEncryptAlgorithmName);
}

START_TEST(test_ntlmv1)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    SECPKG_LIBSSPI_SETTING on = {"allow_ntlmv1", "yes"}, off = {"allow_ntlmv1", "no"};
    SECPKG_LIBSSPI_CONFIG cfg = {1, &on, NULL};

    for (int round = 0; round < 6; round++) {
        LSA_SEC_HANDLE c = 0, s = 0;
        struct nt_test_tok neg, chal, out;
        struct ntlm_buf auth;
        bool ess = round & 1;
        bool enabled = round < 4;
        SECURITY_STATUS want = enabled ? SEC_E_OK : SEC_E_LOGON_DENIED;

        cfg.Settings = enabled ? &on : &off;
        ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_SUCCESS);
        ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
        v1_auth(&chal, ess, &auth);
        if (round == 2 || round == 3) {
            auth.data[pkg_get_le32(auth.data + 24) + 5] ^= 1; /* damage the NT response */
            want = SEC_E_LOGON_DENIED;
        }
        ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), want);
        if (want == SEC_E_OK) {
            SecPkgContext_SessionKey k;
            ck_assert_int_eq(nt_user->QueryContextAttributes(s, SECPKG_ATTR_SESSION_KEY, &k),
                             STATUS_SUCCESS);
            ck_assert_uint_eq(k.SessionKey[0], 0x42);
            free(k.SessionKey);
            check_v1_key_info(s, ess);
        }
        ntlm_buf_free(&auth);
        nt_test_delete(c);
        nt_test_delete(s);
    }
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

/* Seal `len` bytes of `data` in place with the user-mode context `s`. */
static SECURITY_STATUS v1_seal(LSA_SEC_HANDLE s, uint8_t *data, uint32_t len, uint32_t seq)
{
    uint8_t sig[16];
    SecBuffer b[2] = {{sizeof sig, SECBUFFER_TOKEN, sig}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    return nt_user->SealMessage(s, 0, &d, seq);
}

/*
 * The key stream without extended session security (NTLMv1): one RC4
 * state, keyed with SEALKEY, serves both directions;
 * SECPKG_ATTR_LIBSSPI_RESET_CRYPTO restarts it from the key whichever
 * direction is named; in datagram mode every message starts it afresh.
 * The first bytes of each sealed message show where the stream was.
 */
START_TEST(test_v1_key_stream)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    SECPKG_LIBSSPI_SETTING on = {"allow_ntlmv1", "yes"}, off = {"allow_ntlmv1", "no"};
    SECPKG_LIBSSPI_CONFIG cfg = {1, &on, NULL};
    uint8_t plain[24], first[24], msg[24], key[16];
    uint32_t dir = 0;

    ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_SUCCESS);
    memset(plain, 0x5a, sizeof plain);
    for (int datagram = 0; datagram < 2; datagram++) {
        uint32_t req =
            ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | (datagram ? ISC_REQ_DATAGRAM : 0u);
        LSA_SEC_HANDLE c = 0, s = 0;
        struct nt_test_tok neg, chal, out;
        struct ntlm_buf auth;
        crypto_rc4 rc4;

        ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, req, &neg), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, req, &chal), SEC_I_CONTINUE_NEEDED);
        v1_auth(&chal, false, &auth);
        ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, req, &out), SEC_E_OK);
        ntlm_buf_free(&auth);
        struct ntlm_context *ctx = ntlm_context_from_handle(s, PKG_SIDE_USER);
        ck_assert_ptr_nonnull(ctx);
        ck_assert(!(ctx->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY));
        ck_assert(ctx->flags & NTLMSSP_NEGOTIATE_SEAL);
        ck_assert_int_eq(!!(ctx->flags & NTLMSSP_NEGOTIATE_DATAGRAM), datagram);
        crypto_rc4_set_key(&rc4, key, ntlm_sealkey(ctx->flags, ctx->exported, false, key));
        crypto_rc4_crypt(&rc4, sizeof first, first, plain);

        for (uint32_t seq = 0; seq < 3; seq++) {
            if (seq == 2)
                ck_assert_int_eq(ntlm_sp_set_context_attributes(s, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO,
                                                                &dir, sizeof dir),
                                 STATUS_SUCCESS);
            memcpy(msg, plain, sizeof msg);
            ck_assert_int_eq(v1_seal(s, msg, sizeof msg, seq), SEC_E_OK);
            /* Stream mode: the second message is further down the stream. */
            ck_assert_int_eq(memcmp(msg, first, sizeof msg) == 0, datagram || seq != 1);
        }
        dir = 1; /* the other direction names the same state */
        nt_test_delete(c);
        nt_test_delete(s);
    }
    cfg.Settings = &off;
    ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_SUCCESS);
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

START_TEST(test_import_garbage)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    LSA_SEC_HANDLE c = 0, s = 0, imp;
    struct nt_test_tok neg, chal, auth, out;
    SecBuffer packed, bad;

    ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_isc(cc, &c, chal.data, chal.len, 0, &auth), SEC_E_OK);
    ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), SEC_E_OK);
    ck_assert_int_eq(ntlm_sp_export_context(c, 0, &packed, NULL), STATUS_SUCCESS);
    for (uint32_t n = 0; n < packed.cbBuffer; n++) {
        bad.cbBuffer = n;
        bad.pvBuffer = exact(packed.pvBuffer, n);
        ck_assert_int_ne(ntlm_sp_import_context(&bad, NULL, &imp), STATUS_SUCCESS);
        free(bad.pvBuffer);
    }
    bad.cbBuffer = packed.cbBuffer;
    bad.pvBuffer = exact(packed.pvBuffer, packed.cbBuffer);
    ck_assert_int_eq(ntlm_sp_import_context(&bad, NULL, &imp), STATUS_SUCCESS);
    nt_user->DeleteUserModeContext(imp);
    pkg_put_le32((uint8_t *)bad.pvBuffer + 64, 0xFFFFFFF0u); /* user name length */
    ck_assert_int_eq(ntlm_sp_import_context(&bad, NULL, &imp), SEC_E_INVALID_TOKEN);
    free(bad.pvBuffer);
    free(packed.pvBuffer);
    nt_test_delete(c);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

/* Build an NTLMv2 AUTHENTICATE (no MIC) whose blob carries `ts_delta`
 * (100 ns units) added to the server's MsvAvTimestamp. */
static const uint8_t v2_user[] = {'U', 0, 's', 0, 'e', 0, 'r', 0};
static const uint8_t v2_dom[] = {'D', 0, 'O', 0, 'M', 0, 'A', 0, 'I', 0, 'N', 0};

/* An NTLMv2 AUTHENTICATE for Password, computed with the names as given
 * (UTF-16LE): the proof uses exactly what is sent. */
static void v2_auth_as(const struct nt_test_tok *chal, int64_t ts_delta, const struct ntlm_view *u,
                       const struct ntlm_view *d, struct ntlm_buf *out)
{
    static const uint8_t pw[] = {'P', 0, 'a', 0, 's', 0, 's', 0, 'w', 0, 'o', 0, 'r', 0, 'd', 0};
    struct ntlm_challenge c;
    struct ntlm_avpairs av;
    uint8_t nt1[16], nt2[16], blob[512], resp[600], sbk[16], enc[16], exp[16], lm[24] = {0};
    uint8_t cchal[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    size_t bl;
    crypto_rc4 rc4;

    ck_assert(ntlm_msg_decode_challenge(chal->data, chal->len, &c));
    ck_assert(ntlm_avpairs_parse(c.target_info.data, c.target_info.len, &av));
    ck_assert(av.present[MsvAvTimestamp]);
    ntlm_ntowfv1(pw, sizeof pw, nt1);
    ntlm_ntowfv2(nt1, u->data, u->len, d->data, d->len, nt2);
    bl = ntlm_v2_blob(pkg_get_le64(av.v[MsvAvTimestamp].data) + (uint64_t)ts_delta, cchal,
                      c.target_info.data, c.target_info.len, blob);
    ntlm_v2_proof(nt2, c.server_chal, blob, bl, resp);
    memcpy(resp + 16, blob, bl);
    ntlm_v2_session_base_key(nt2, resp, sbk);
    memset(exp, 0x17, 16);
    crypto_rc4_set_key(&rc4, sbk, 16);
    crypto_rc4_crypt(&rc4, 16, enc, exp);
    {
        struct ntlm_view vlm = {lm, 24}, vnt = {resp, 16 + bl};
        struct ntlm_view vw = {NULL, 0}, ve = {enc, 16};
        ck_assert(ntlm_msg_encode_authenticate(c.flags, &vlm, &vnt, d, u, &vw, &ve,
                                               &ntlm_our_version, false, out));
    }
}

static void v2_auth(const struct nt_test_tok *chal, int64_t ts_delta, struct ntlm_buf *out)
{
    struct ntlm_view u = {v2_user, sizeof v2_user}, d = {v2_dom, sizeof v2_dom};

    v2_auth_as(chal, ts_delta, &u, &d, out);
}

/* A user name in UPN form with an empty domain, as Windows clients send it
 * for user@domain credentials: found as user in domain, proof over the
 * names as sent, named as the user file has it. */
START_TEST(test_upn_user)
{
    static const uint8_t upn[] = {'u', 0,   's', 0,   'e', 0,   'r', 0,   '@', 0,   'd',
                                  0,   'o', 0,   'm', 0,   'a', 0,   'i', 0,   'n', 0};
    static const uint8_t bad[] = {'u', 0, 's', 0, 'e', 0, 'r', 0, '@', 0,
                                  'o', 0, 't', 0, 'h', 0, 'e', 0, 'r', 0};
    static const uint8_t at_end[] = {'u', 0, 's', 0, 'e', 0, 'r', 0, '@', 0};
    const struct {
        struct ntlm_view u;
        SECURITY_STATUS want;
    } cases[] = {
        {{upn, sizeof upn}, SEC_E_OK},
        {{bad, sizeof bad}, SEC_E_LOGON_DENIED},
        {{at_end, sizeof at_end}, SEC_E_LOGON_DENIED},
    };
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ntlm_view empty = {(const uint8_t *)"", 0};
        LSA_SEC_HANDLE c = 0, s = 0;
        struct nt_test_tok neg, chal, out;
        struct ntlm_buf auth;

        ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
        v2_auth_as(&chal, 0, &cases[i].u, &empty, &auth);
        ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), cases[i].want);
        if (cases[i].want == SEC_E_OK) {
            SecPkgContext_NamesW n;
            static const char16_t want[] = u"DOMAIN\\User";

            ck_assert_int_eq(nt_user->QueryContextAttributes(s, SECPKG_ATTR_NAMES, &n),
                             STATUS_SUCCESS);
            ck_assert_int_eq(memcmp(n.sUserName, want, sizeof want), 0);
            free(n.sUserName);
        }
        ntlm_buf_free(&auth);
        nt_test_delete(c);
        nt_test_delete(s);
    }
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

START_TEST(test_ntlmv2_skew)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    static const int64_t minute = 600000000;
    const struct {
        int64_t delta;
        const char *skew;
        SECURITY_STATUS want;
    } cases[] = {
        {0, "300", SEC_E_OK},
        {-4 * minute, "300", SEC_E_OK},
        {-10 * minute, "300", SEC_E_TIME_SKEW},
        {10 * minute, "300", SEC_E_TIME_SKEW},
        {-10 * minute, "0", SEC_E_OK},
        {-10 * minute, "900", SEC_E_OK},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SECPKG_LIBSSPI_SETTING set = {"max_skew", cases[i].skew};
        SECPKG_LIBSSPI_CONFIG cfg = {1, &set, NULL};
        LSA_SEC_HANDLE c = 0, s = 0;
        struct nt_test_tok neg, chal, out;
        struct ntlm_buf auth;

        ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_SUCCESS);
        ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
        ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
        v2_auth(&chal, cases[i].delta, &auth);
        ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), cases[i].want);
        if (cases[i].want == SEC_E_OK) {
            SecPkgContext_SessionKey k;
            ck_assert_int_eq(nt_user->QueryContextAttributes(s, SECPKG_ATTR_SESSION_KEY, &k),
                             STATUS_SUCCESS);
            ck_assert_uint_eq(k.SessionKey[15], 0x17);
            free(k.SessionKey);
        }
        ntlm_buf_free(&auth);
        nt_test_delete(c);
        nt_test_delete(s);
    }
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

START_TEST(test_options)
{
    SECPKG_LIBSSPI_SETTING bad[] = {
        {"no_such_key", "1"}, {"allow_ntlmv1", "maybe"}, {"channel_bindings", "sometimes"},
        {"max_skew", "-1"},   {"max_skew", "12x"},       {NULL, "x"}};
    SECPKG_LIBSSPI_SETTING good[] = {
        {"channel_bindings", "never"},      {"target_name", "if_present"},
        {"allow_anonymous", "no"},          {"max_skew", "300"},
        {"channel_bindings", "if_present"}, {"target_name", "never"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        SECPKG_LIBSSPI_CONFIG cfg = {1, &bad[i], NULL};
        ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_INVALID_PARAMETER);
    }
    {
        SECPKG_LIBSSPI_CONFIG cfg = {sizeof good / sizeof good[0], good, NULL};
        ck_assert_int_eq(ntlm_options_set(&cfg), STATUS_SUCCESS);
    }
}
END_TEST

/* A client that only speaks OEM: CHALLENGE and AUTHENTICATE strings are
 * 8-bit, the NTLMv2 proof still uses the UTF-16 names. */
START_TEST(test_oem_client)
{
    static const uint8_t pw[] = {'P', 0, 'a', 0, 's', 0, 's', 0, 'w', 0, 'o', 0, 'r', 0, 'd', 0};
    static const uint8_t user16[] = {'U', 0, 's', 0, 'e', 0, 'r', 0};
    static const uint8_t dom16[] = {'D', 0, 'O', 0, 'M', 0, 'A', 0, 'I', 0, 'N', 0};
    LSA_SEC_HANDLE sc = nt_test_cred(NULL, 0, 0), s = 0;
    struct ntlm_buf neg, auth;
    struct nt_test_tok chal, out;
    struct ntlm_challenge c;
    uint8_t nt1[16], nt2[16], blob[512], resp[600], lm[24] = {0}, cchal[8] = {0};
    size_t bl;
    uint32_t f = NTLM_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_NTLM |
                 NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;

    ck_assert(ntlm_msg_encode_negotiate(f, NULL, &neg));
    ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
    ck_assert(ntlm_msg_decode_challenge(chal.data, chal.len, &c));
    ck_assert(!(c.flags & NTLMSSP_NEGOTIATE_UNICODE));
    ck_assert(c.flags & NTLM_NEGOTIATE_OEM);
    ck_assert(!(c.flags & NTLMSSP_NEGOTIATE_KEY_EXCH));
    ck_assert_uint_gt(c.target_name.len, 0);
    ck_assert_uint_ne(c.target_name.data[1], 0); /* 8-bit, not UTF-16 */
    ntlm_ntowfv1(pw, sizeof pw, nt1);
    ntlm_ntowfv2(nt1, user16, sizeof user16, dom16, sizeof dom16, nt2);
    bl = ntlm_v2_blob((uint64_t)pkg_filetime_now(), cchal, c.target_info.data, c.target_info.len,
                      blob);
    ntlm_v2_proof(nt2, c.server_chal, blob, bl, resp);
    memcpy(resp + 16, blob, bl);
    {
        struct ntlm_view vlm = {lm, 24}, vnt = {resp, 16 + bl};
        struct ntlm_view vd = {(const uint8_t *)"DOMAIN", 6}, vu = {(const uint8_t *)"User", 4};
        struct ntlm_view vw = {(const uint8_t *)"WS", 2};
        ck_assert(ntlm_msg_encode_authenticate(c.flags, &vlm, &vnt, &vd, &vu, &vw, NULL, NULL,
                                               false, &auth));
    }
    ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), SEC_E_OK);
    {
        SecPkgContext_NamesW n;
        static const char16_t want[] = u"DOMAIN\\User";
        ck_assert_int_eq(nt_user->QueryContextAttributes(s, SECPKG_ATTR_NAMES, &n), STATUS_SUCCESS);
        ck_assert_mem_eq(n.sUserName, want, sizeof want);
        free(n.sUserName);
    }
    ntlm_buf_free(&neg);
    ntlm_buf_free(&auth);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

/* The client reports only the services the server agreed to: a CHALLENGE
 * without SEAL takes away confidentiality, one without SIGN and SEAL also
 * integrity, replay and sequence detection. */
static ULONG isc_services(uint32_t strip, uint32_t *auth_flags, uint16_t *enc_key_len)
{
    const uint32_t req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |
                         ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    LSA_SEC_HANDLE c = 0, s = 0;
    struct nt_test_tok neg, chal, auth;
    uint8_t *p;
    ULONG attrs;

    ck_assert(cc && sc);
    ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, req, &neg), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
    p = exact(chal.data, chal.len);
    pkg_put_le32(p + 20, pkg_get_le32(p + 20) & ~strip);
    ck_assert_int_eq(nt_test_isc(cc, &c, p, chal.len, req, &auth), SEC_E_OK);
    attrs = nt_test_last_attrs;
    ck_assert_uint_ge(auth.len, 64);
    *auth_flags = pkg_get_le32(auth.data + 60);
    *enc_key_len = pkg_get_le16(auth.data + 52);
    free(p);
    nt_test_delete(c);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
    return attrs;
}

START_TEST(test_negotiated_services)
{
    const ULONG all = ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY | ISC_RET_REPLAY_DETECT |
                      ISC_RET_SEQUENCE_DETECT;
    uint32_t flags;
    uint16_t enc;
    ULONG a;

    a = isc_services(0, &flags, &enc);
    ck_assert_uint_eq(a & all, all);
    ck_assert_uint_ne(flags & NTLMSSP_NEGOTIATE_KEY_EXCH, 0);
    ck_assert_uint_eq(enc, 16);
    a = isc_services(NTLMSSP_NEGOTIATE_SEAL, &flags, &enc);
    ck_assert_uint_eq(a & all, all & ~(ULONG)ISC_RET_CONFIDENTIALITY);
    ck_assert_uint_eq(enc, 16);
    /* Neither SIGN nor SEAL: no key exchange either (MS-NLMP 3.1.5.1.2). */
    a = isc_services(NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN, &flags, &enc);
    ck_assert_uint_eq(a & all, 0);
    ck_assert_uint_ne(a & ISC_RET_CONNECTION, 0);
    ck_assert_uint_eq(flags & NTLMSSP_NEGOTIATE_KEY_EXCH, 0);
    ck_assert_uint_eq(enc, 0);
}
END_TEST

/* A refused leg ends the context: after a truncated AUTHENTICATE (or
 * CHALLENGE) the genuine message no longer completes it. */
START_TEST(test_failed_leg_is_final)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password"), sc = nt_test_cred(NULL, 0, 0);
    LSA_SEC_HANDLE c = 0, s = 0, c2 = 0;
    struct nt_test_tok neg, chal, auth, out;

    ck_assert(cc && sc);
    ck_assert_int_eq(nt_test_isc(cc, &c, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_asc(sc, &s, neg.data, neg.len, 0, &chal), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_isc(cc, &c, chal.data, chal.len, 0, &auth), SEC_E_OK);
    ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, 10, 0, &out), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nt_test_asc(sc, &s, auth.data, auth.len, 0, &out), SEC_E_OUT_OF_SEQUENCE);

    ck_assert_int_eq(nt_test_isc(cc, &c2, NULL, 0, 0, &neg), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nt_test_isc(cc, &c2, chal.data, 10, 0, &auth), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(nt_test_isc(cc, &c2, chal.data, chal.len, 0, &auth), SEC_E_OUT_OF_SEQUENCE);
    nt_test_delete(c);
    nt_test_delete(c2);
    nt_test_delete(s);
    nt_lsa->FreeCredentialsHandle(cc);
    nt_lsa->FreeCredentialsHandle(sc);
}
END_TEST

/* The first leg's output TOKEN without memory: SEC_E_INTERNAL_ERROR
 * unless ALLOCATE_MEMORY asks the package for the memory (from the LSA
 * heap, which the caller frees). */
START_TEST(test_output_token_without_memory)
{
    LSA_SEC_HANDLE cc = nt_test_cred("User", "DOMAIN", "Password");
    SecBuffer ob = {NTLM_MAX_TOKEN, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    LSA_SEC_HANDLE c = 0;
    ULONG attrs;
    TimeStamp ts;
    BOOLEAN mapped;
    SecBuffer cd = {0};

    ck_assert_int_eq(
        nt_lsa->InitLsaModeContext(cc, 0, NULL, 0, 0, NULL, &c, &od, &attrs, &ts, &mapped, &cd),
        SEC_E_INTERNAL_ERROR);
    ck_assert(c == 0);
    ck_assert_int_eq(nt_lsa->InitLsaModeContext(cc, 0, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, NULL, &c,
                                                &od, &attrs, &ts, &mapped, &cd),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_ge(ob.cbBuffer, 32);
    ck_assert_mem_eq(ob.pvBuffer, "NTLMSSP", 8);
    free(ob.pvBuffer);
    nt_test_delete(c);
    nt_lsa->FreeCredentialsHandle(cc);
}
END_TEST

static Suite *malformed_suite(void)
{
    Suite *s = suite_create("ntlm-malformed");
    TCase *tc = tcase_create("malformed");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_decoders_truncated);
    tcase_add_test(tc, test_decoders_bad_fields);
    tcase_add_test(tc, test_decoders_garbage);
    tcase_add_test(tc, test_avpairs);
    tcase_add_test(tc, test_package_negotiate);
    tcase_add_test(tc, test_package_challenge);
    tcase_add_test(tc, test_package_authenticate);
    tcase_add_test(tc, test_package_mic);
    tcase_add_test(tc, test_ntlmv1);
    tcase_add_test(tc, test_v1_key_stream);
    tcase_add_test(tc, test_import_garbage);
    tcase_add_test(tc, test_ntlmv2_skew);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_oem_client);
    tcase_add_test(tc, test_negotiated_services);
    tcase_add_test(tc, test_upn_user);
    tcase_add_test(tc, test_failed_leg_is_final);
    tcase_add_test(tc, test_output_token_without_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(malformed_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
