/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-kerberos.c - the Kerberos package against a real MIT KDC started
 * for the run (src/tools/sspi-test-realm) and against MIT's own GSSAPI on
 * the other side of every exchange: handshakes both ways (mutual, not
 * mutual, DCE style, delegation, channel bindings), every per-message
 * pairing (MakeSignature <-> gss_verify_mic, gss_get_mic <->
 * VerifySignature, EncryptMessage <-> gss_unwrap, gss_wrap and
 * gss_wrap_iov <-> DecryptMessage, sealed and integrity-only, 1 B to
 * 64 KiB), the built-in AES path and MIT's path, failures (wrong password,
 * unknown SPN, unreachable KDC, clock skew, expired ticket), attributes,
 * export/import, and malformed tokens.  Skips (77) without the MIT tools.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "libsspi.h"
#include "ntsecapi.h"
#include "ntsecpkg.h"
#include "interop/krb-test.h"

#define ck_status(a, e)                                                                            \
    do {                                                                                           \
        SECURITY_STATUS a_ = (a), e_ = (e);                                                        \
        ck_assert_msg(a_ == e_, "%s: got %s (0x%08x), expected %s", #a,                            \
                      libsspi_status_name(a_) ? libsspi_status_name(a_) : "?", (unsigned)a_,       \
                      libsspi_status_name(e_) ? libsspi_status_name(e_) : "?");                    \
    } while (0)

#define REQ_CLIENT                                                                                 \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT |                       \
     ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)
#define REQ_SERVER                                                                                 \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT |                       \
     ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION)
#define GSS_FLAGS                                                                                  \
    (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG |               \
     GSS_C_INTEG_FLAG)

static const size_t sizes[] = {1, 16, 64, 1000, 16384, 65536};

/* LeakSanitizer: MIT krb5 1.20's own leaks (no libsspi frame), as in
 * tests/valgrind.supp; full stacks (libkrb5 has no frame pointers) so the
 * suppressions match only these call paths. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:gss_add_cred_from\nleak:krb5int_open_plugin\n";
}

/* ---- pairs ---------------------------------------------------------------- */

/* SSPI client (default ccache) -> MIT acceptor (keytab). */
static void pair_sspi_gss(struct kt_side *c, struct kt_side *s, uint32_t req)
{
    struct kt_opts o = {.req = req};
    OM_uint32 gm;

    memset(c, 0, sizeof(*c));
    memset(s, 0, sizeof(*s));
    s->gss = true;
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c->cred), SEC_E_OK);
    ck_status(kt_handshake(c, s, &o, &gm), SEC_E_OK);
}

/* MIT initiator (ccache) -> SSPI acceptor (keytab). */
static void pair_gss_sspi(struct kt_side *c, struct kt_side *s, OM_uint32 flags, uint32_t req)
{
    struct kt_opts o = {.req = req, .gss_flags = flags};
    OM_uint32 gm;

    memset(c, 0, sizeof(*c));
    memset(s, 0, sizeof(*s));
    c->gss = true;
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s->cred), SEC_E_OK);
    ck_status(kt_handshake(c, s, &o, &gm), SEC_E_OK);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + seed);
}

/* Every per-message pairing between an established SSPI context and its
 * MIT peer, at every size, sealed and not. */
static void pairings(struct kt_side *sspi, gss_ctx_id_t g, bool dce)
{
    static uint8_t msg[65536 + 128], buf[65536 + 256], tok[128];
    OM_uint32 major, minor;

    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t n = sizes[k];

        /* MakeSignature -> gss_verify_mic */
        fill(msg, n, (unsigned)k);
        SecBuffer sb[2] = {{(uint32_t)n, SECBUFFER_DATA, msg}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
        ck_status(MakeSignature(&sspi->ctx, 0, &sd, 0), SEC_E_OK);
        ck_assert_uint_eq(sb[1].cbBuffer, 28);
        gss_buffer_desc mb = {n, msg}, tb = {sb[1].cbBuffer, tok};
        ck_assert_uint_eq(gss_verify_mic(&minor, g, &mb, &tb, NULL), GSS_S_COMPLETE);

        /* gss_get_mic -> VerifySignature */
        gss_buffer_desc mic;
        ck_assert_uint_eq(gss_get_mic(&minor, g, 0, &mb, &mic), GSS_S_COMPLETE);
        SecBuffer vb[2] = {{(uint32_t)n, SECBUFFER_DATA, msg},
                           {(uint32_t)mic.length, SECBUFFER_TOKEN, mic.value}};
        SecBufferDesc vd = {SECBUFFER_VERSION, 2, vb};
        ULONG qop = 99;
        ck_status(VerifySignature(&sspi->ctx, &vd, 0, &qop), SEC_E_OK);
        gss_release_buffer(&minor, &mic);

        for (int conf = 0; conf <= 1; conf++) {
            ULONG fqop = conf ? 0 : KERB_WRAP_NO_ENCRYPT;
            size_t want_tok = conf ? (dce ? 76 : 60) : 28;

            /* EncryptMessage -> gss_unwrap of TOKEN|DATA */
            fill(msg, n, (unsigned)(k + 7));
            memcpy(buf + 128, msg, n);
            SecBuffer eb[3] = {{128, SECBUFFER_TOKEN, buf},
                               {(uint32_t)n, SECBUFFER_DATA, buf + 128},
                               {0, SECBUFFER_PADDING, NULL}};
            SecBufferDesc ed = {SECBUFFER_VERSION, 3, eb};
            ck_status(EncryptMessage(&sspi->ctx, fqop, &ed, 0), SEC_E_OK);
            ck_assert_uint_eq(eb[0].cbBuffer, want_tok);
            if (!conf)
                ck_assert_mem_eq(buf + 128, msg, n);
            memmove(buf + eb[0].cbBuffer, buf + 128, n);
            if (dce) {
                gss_iov_buffer_desc iov[2] = {
                    {GSS_IOV_BUFFER_TYPE_HEADER, {eb[0].cbBuffer, buf}},
                    {GSS_IOV_BUFFER_TYPE_DATA, {n, buf + eb[0].cbBuffer}}};
                int cs = -1;
                major = gss_unwrap_iov(&minor, g, &cs, NULL, iov, 2);
                ck_assert_msg(major == GSS_S_COMPLETE, "gss_unwrap_iov %x/%u n=%zu conf=%d", major,
                              minor, n, conf);
                ck_assert_int_eq(cs, conf);
                ck_assert_mem_eq(buf + eb[0].cbBuffer, msg, n);
            } else {
                gss_buffer_desc in = {eb[0].cbBuffer + n, buf}, out;
                int cs = -1;
                major = gss_unwrap(&minor, g, &in, &out, &cs, NULL);
                ck_assert_msg(major == GSS_S_COMPLETE, "gss_unwrap %x/%u n=%zu conf=%d", major,
                              minor, n, conf);
                ck_assert_int_eq(cs, conf);
                ck_assert_uint_eq(out.length, n);
                ck_assert_mem_eq(out.value, msg, n);
                gss_release_buffer(&minor, &out);
            }

            /* gss_wrap -> DecryptMessage, stream form (not for DCE: MIT's
             * gss_wrap is not DCE-shaped). */
            if (!dce) {
                gss_buffer_desc in = {n, msg}, out;
                int cs;
                ck_assert_uint_eq(gss_wrap(&minor, g, conf, 0, &in, &cs, &out), GSS_S_COMPLETE);
                memcpy(buf, out.value, out.length);
                SecBuffer db[2] = {{(uint32_t)out.length, SECBUFFER_STREAM, buf},
                                   {0, SECBUFFER_DATA, NULL}};
                SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
                gss_release_buffer(&minor, &out);
                qop = 99;
                ck_status(DecryptMessage(&sspi->ctx, &dd, 0, &qop), SEC_E_OK);
                ck_assert_uint_eq(qop, conf ? 0 : KERB_WRAP_NO_ENCRYPT);
                ck_assert_uint_eq(db[1].cbBuffer, n);
                ck_assert_mem_eq(db[1].pvBuffer, msg, n);

                /* The same kind of token (RRC 0) cut as TOKEN = header,
                 * DATA = the rest: the bytes are moved into Windows'
                 * places and DATA ends up holding just the plaintext. */
                ck_assert_uint_eq(gss_wrap(&minor, g, conf, 0, &in, &cs, &out), GSS_S_COMPLETE);
                memcpy(buf, out.value, out.length);
                SecBuffer cb2[2] = {{16, SECBUFFER_TOKEN, buf},
                                    {(uint32_t)out.length - 16, SECBUFFER_DATA, buf + 16}};
                SecBufferDesc cd2 = {SECBUFFER_VERSION, 2, cb2};
                gss_release_buffer(&minor, &out);
                ck_status(DecryptMessage(&sspi->ctx, &cd2, 0, &qop), SEC_E_OK);
                ck_assert_uint_eq(cb2[1].cbBuffer, n);
                ck_assert_mem_eq(buf + 16, msg, n);
            }

            /* gss_wrap_iov (HEADER + DATA: Windows' split) -> DecryptMessage */
            memcpy(buf + 128, msg, n);
            gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {0, NULL}},
                                          {GSS_IOV_BUFFER_TYPE_DATA, {n, buf + 128}}};
            ck_assert_uint_eq(gss_wrap_iov_length(&minor, g, conf, 0, NULL, iov, 2),
                              GSS_S_COMPLETE);
            ck_assert_uint_le(iov[0].buffer.length, 128);
            iov[0].buffer.value = buf;
            ck_assert_uint_eq(gss_wrap_iov(&minor, g, conf, 0, NULL, iov, 2), GSS_S_COMPLETE);
            ck_assert_uint_eq(iov[0].buffer.length, want_tok);
            SecBuffer xb[2] = {{(uint32_t)iov[0].buffer.length, SECBUFFER_TOKEN, buf},
                               {(uint32_t)n, SECBUFFER_DATA, buf + 128}};
            SecBufferDesc xd = {SECBUFFER_VERSION, 2, xb};
            ck_status(DecryptMessage(&sspi->ctx, &xd, 0, &qop), SEC_E_OK);
            ck_assert_uint_eq(xb[1].cbBuffer, n);
            ck_assert_mem_eq(buf + 128, msg, n);
        }
    }
}

/* ---- handshakes and pairings --------------------------------------------- */

START_TEST(test_sspi_client_mit_acceptor)
{
    struct kt_side c, s;

    pair_sspi_gss(&c, &s, REQ_CLIENT);
    ck_assert(c.attrs & ISC_RET_MUTUAL_AUTH);
    ck_assert(c.attrs & ISC_RET_CONFIDENTIALITY);
    pairings(&c, s.gctx, false);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_mit_initiator_sspi_acceptor)
{
    struct kt_side c, s;
    SecPkgContext_NamesA names;

    pair_gss_sspi(&c, &s, GSS_FLAGS, REQ_SERVER);
    ck_assert(s.attrs & ASC_RET_MUTUAL_AUTH);
    ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, KT_USER "@" KT_REALM);
    FreeContextBuffer(names.sUserName);
    pairings(&s, c.gctx, false);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_dce_style_both_ways)
{
    struct kt_side c, s;

    pair_sspi_gss(&c, &s, REQ_CLIENT | ISC_REQ_USE_DCE_STYLE);
    ck_assert(c.attrs & ISC_RET_USED_DCE_STYLE);
    pairings(&c, s.gctx, true);
    kt_side_free(&c);
    kt_side_free(&s);

    pair_gss_sspi(&c, &s, GSS_FLAGS | GSS_C_DCE_STYLE, REQ_SERVER | ASC_REQ_USE_DCE_STYLE);
    ck_assert(s.attrs & ASC_RET_USED_DCE_STYLE);
    pairings(&s, c.gctx, true);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* Settings reach a package when it loads (a reload keeps loaded packages
 * as they are): tests of option.* need a process that has not loaded it
 * yet, which CK_FORK=no (valgrind) does not give. */
static bool fresh_process(void)
{
    const char *f = getenv("CK_FORK");
    return f == NULL || strcmp(f, "no") != 0;
}

/* The same pairings with option.message_crypto = mit: MIT's own gss_*_iov
 * under SSPI's layouts. */
START_TEST(test_mit_message_path)
{
    struct kt_side c, s;
    char conf[1024], cmd[2200];

    if (!fresh_process())
        return;
    /* A configuration of this (forked) test's own. */
    snprintf(conf, sizeof(conf), "%s/sspi-mit.conf", kt_realm_dir());
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && echo 'option.message_crypto = mit' >> '%s'",
             getenv("LIBSSPI_CONFIG"), conf, conf);
    ck_assert_int_eq(system(cmd), 0);
    setenv("LIBSSPI_CONFIG", conf, 1);
    ck_status(libsspi_reload_config(), SEC_E_OK);
    pair_sspi_gss(&c, &s, REQ_CLIENT);
    pairings(&c, s.gctx, false);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_integrity_only_no_conf_leak)
{
    struct kt_side c, s;
    struct kt_opts o = {.req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |
                               ISC_REQ_SEQUENCE_DETECT};
    OM_uint32 gm;

    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    s.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    ck_assert(!(c.attrs & ISC_RET_CONFIDENTIALITY));
    ck_assert(c.attrs & ISC_RET_INTEGRITY);
    /* The AP-REQ checksum carried no CONF: MIT's acceptor did not get it. */
    ck_assert(!(s.gflags & GSS_C_CONF_FLAG));
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_sspi_to_sspi_no_mutual_and_sizes)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY};
    SecPkgContext_Sizes sz;
    SecPkgContext_NativeNamesA nn;
    SecPkgContext_SessionKey sk, sk2;
    SecPkgContext_Lifespan life;
    SecPkgContext_KeyInfoA ki;
    SecPkgContext_NegotiationInfoA ni;
    OM_uint32 gm;

    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxToken, 48000);
    ck_assert_uint_eq(sz.cbMaxSignature, 28);
    ck_assert_uint_eq(sz.cbBlockSize, 1);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 76);
    ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_NATIVE_NAMES, &nn), SEC_E_OK);
    ck_assert_str_eq(nn.sClientName, "user@KRBTEST.COM");
    ck_assert_str_eq(nn.sServerName, "host/localhost@KRBTEST.COM");
    FreeContextBuffer(nn.sClientName);
    FreeContextBuffer(nn.sServerName);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    ck_status(QueryContextAttributesA(&s.ctx, SECPKG_ATTR_SESSION_KEY, &sk2), SEC_E_OK);
    ck_assert_uint_eq(sk.SessionKeyLength, 32);
    ck_assert_uint_eq(sk2.SessionKeyLength, 32);
    ck_assert_mem_eq(sk.SessionKey, sk2.SessionKey, 32);
    FreeContextBuffer(sk.SessionKey);
    FreeContextBuffer(sk2.SessionKey);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert(life.tsExpiry.QuadPart > life.tsStart.QuadPart);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    ck_assert_uint_eq(ki.EncryptAlgorithm, 18);
    ck_assert_uint_eq(ki.KeySize, 256);
    ck_assert_str_eq(ki.sEncryptAlgorithmName, "AES-256-CTS-HMAC-SHA1-96");
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, "Kerberos");
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
    ck_status(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_DCE_INFO, &sz),
              SEC_E_UNSUPPORTED_FUNCTION);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_password_identity_private_ccache)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    char cc[600];
    struct stat st;
    OM_uint32 gm;

    /* Point the default ccache at a file that must never appear. */
    snprintf(cc, sizeof(cc), "%s/ccache.untouched", kt_realm_dir());
    setenv("KRB5CCNAME", cc, 1);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, KT_USER, KT_PASSWORD, NULL, &c.cred), SEC_E_OK);
    s.gss = true;
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    ck_assert_int_ne(stat(cc, &st), 0);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_wrong_password_unknown_spn_no_kdc)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    OM_uint32 gm;

    setenv("KRB5CCNAME", "FILE:/nonexistent/ccache", 1);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, KT_USER, "wrong", NULL, &c.cred), SEC_E_OK);
    s.gss = true;
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_LOGON_DENIED);
    kt_side_free(&c);
    kt_side_free(&s);

    memset(&c, 0, sizeof(c));
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, KT_USER, KT_PASSWORD, NULL, &c.cred), SEC_E_OK);
    o.target = "HTTP/nosuchhost.krbtest.com";
    s.gss = true;
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_TARGET_UNKNOWN);
    kt_side_free(&c);
    kt_side_free(&s);

    /* A realm whose KDC is not there. */
    memset(&c, 0, sizeof(c));
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"user", 4, (unsigned char *)"DEAD.TEST", 9,
                                    (unsigned char *)"pw",   2, SEC_WINNT_AUTH_IDENTITY_ANSI};
    TimeStamp ts;
    ck_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                        NULL, &c.cred, &ts),
              SEC_E_OK);
    o.target = NULL;
    s.gss = true;
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_NO_AUTHENTICATING_AUTHORITY);
    kt_side_free(&c);
    kt_side_free(&s);

    /* No ccache at all and no identity: no credentials. */
    CredHandle h;
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &h), SEC_E_NO_CREDENTIALS);
}
END_TEST

START_TEST(test_channel_bindings)
{
    struct kt_side c, s;
    struct kt_opts o = {.req = REQ_CLIENT, .cb = "tls-unique:abc", .server_cb = "tls-unique:abc"};
    OM_uint32 gm;

    /* SSPI client -> MIT acceptor, same bindings. */
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    s.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    kt_side_free(&c);
    kt_side_free(&s);
    /* ... different bindings: MIT refuses. */
    o.server_cb = "tls-unique:xyz";
    s.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_INTERNAL_ERROR);
    ck_assert_uint_eq(GSS_ROUTINE_ERROR(gm), GSS_S_BAD_BINDINGS);
    kt_side_free(&c);
    kt_side_free(&s);
    /* MIT initiator -> SSPI acceptor, matched then mismatched. */
    o = (struct kt_opts){.req = REQ_SERVER, .gss_flags = GSS_FLAGS, .cb = "x", .server_cb = "x"};
    c.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    kt_side_free(&c);
    kt_side_free(&s);
    o.server_cb = "y";
    c.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_BAD_BINDINGS);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* ISC_REQ_DELEGATE: the SSPI acceptor gets the TGT and uses it for its own
 * InitializeSecurityContext to another service, accepted by MIT. */
START_TEST(test_delegation_end_to_end)
{
    struct kt_side c = {0}, s = {0}, c2 = {0}, s2 = {0};
    struct kt_opts o = {.req = REQ_CLIENT | ISC_REQ_DELEGATE};
    OM_uint32 gm, minor;
    gss_buffer_desc name;

    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    ck_assert(c.attrs & ISC_RET_DELEGATE);
    ck_assert(s.attrs & ASC_RET_DELEGATE);
    /* The server, as the client, to HTTP/localhost: nothing else in the
     * process holds user's tickets. */
    setenv("KRB5CCNAME", "FILE:/nonexistent/ccache", 1);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, "user@KRBTEST.COM", &c2.cred), SEC_E_OK);
    s2.gss = true;
    o = (struct kt_opts){.req = REQ_CLIENT, .target = "HTTP/localhost"};
    ck_status(kt_handshake(&c2, &s2, &o, &gm), SEC_E_OK);
    ck_assert_uint_eq(gss_display_name(&minor, s2.gsrc, &name, NULL), GSS_S_COMPLETE);
    ck_assert_int_eq((int)name.length, 16);
    ck_assert_mem_eq(name.value, "user@KRBTEST.COM", 16);
    gss_release_buffer(&minor, &name);
    kt_side_free(&c2);
    kt_side_free(&s2);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

START_TEST(test_export_import)
{
    struct kt_side c, s;
    SecBuffer packed;
    CtxtHandle imp;
    uint8_t msg[100], tok[64];

    pair_sspi_gss(&c, &s, REQ_CLIENT);
    ck_status(ExportSecurityContext(&c.ctx, 0, &packed, NULL), SEC_E_OK);
    ck_status(ImportSecurityContextA("Kerberos", &packed, NULL, &imp), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    fill(msg, sizeof(msg), 3);
    SecBuffer sb[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
    ck_status(MakeSignature(&imp, 0, &sd, 0), SEC_E_OK);
    gss_buffer_desc mb = {sizeof(msg), msg}, tb = {sb[1].cbBuffer, tok};
    OM_uint32 minor;
    ck_assert_uint_eq(gss_verify_mic(&minor, s.gctx, &mb, &tb, NULL), GSS_S_COMPLETE);
    DeleteSecurityContext(&imp);
    /* Garbage and truncated blobs. */
    uint8_t junk[120] = {1, 2, 3};
    SecBuffer jb = {sizeof(junk), SECBUFFER_EMPTY, junk};
    ck_status(ImportSecurityContextA("Kerberos", &jb, NULL, &imp), SEC_E_INVALID_TOKEN);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* Replays, reordering and tampering of per-message tokens. */
START_TEST(test_message_errors)
{
    struct kt_side c, s;
    OM_uint32 minor;
    uint8_t msg[64];
    gss_buffer_desc mb = {sizeof(msg), msg}, mic1, mic2, w;
    int cs;

    pair_sspi_gss(&c, &s, REQ_CLIENT);
    fill(msg, sizeof(msg), 1);
    ck_assert_uint_eq(gss_get_mic(&minor, s.gctx, 0, &mb, &mic1), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_get_mic(&minor, s.gctx, 0, &mb, &mic2), GSS_S_COMPLETE);
    SecBuffer vb[2] = {{sizeof(msg), SECBUFFER_DATA, msg},
                       {(uint32_t)mic2.length, SECBUFFER_TOKEN, mic2.value}};
    SecBufferDesc vd = {SECBUFFER_VERSION, 2, vb};
    /* Out of order (sequence detection on). */
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    vb[1] = (SecBuffer){(uint32_t)mic1.length, SECBUFFER_TOKEN, mic1.value};
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_OK);
    /* Replayed. */
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    /* Altered data, altered token, truncated token. */
    msg[3] ^= 1;
    vb[1] = (SecBuffer){(uint32_t)mic2.length, SECBUFFER_TOKEN, mic2.value};
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_MESSAGE_ALTERED);
    msg[3] ^= 1;
    vb[1].cbBuffer = 27;
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_INVALID_TOKEN);
    /* None of the failures advanced the window: mic2 is still next. */
    vb[1].cbBuffer = (uint32_t)mic2.length;
    ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_OK);
    gss_release_buffer(&minor, &mic1);
    gss_release_buffer(&minor, &mic2);

    /* Every bit flip and every truncation of a wrap token. */
    ck_assert_uint_eq(gss_wrap(&minor, s.gctx, 1, 0, &mb, &cs, &w), GSS_S_COMPLETE);
    for (size_t bit = 0; bit < w.length * 8; bit += 3) {
        uint8_t t[256];
        memcpy(t, w.value, w.length);
        t[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        SecBuffer db[2] = {{(uint32_t)w.length, SECBUFFER_STREAM, t}, {0, SECBUFFER_DATA, NULL}};
        SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
        SECURITY_STATUS st = DecryptMessage(&c.ctx, &dd, 0, NULL);
        ck_assert_msg(st == SEC_E_MESSAGE_ALTERED || st == SEC_E_INVALID_TOKEN, "bit %zu: 0x%08x",
                      bit, (unsigned)st);
    }
    for (size_t len = 0; len < w.length; len++) {
        uint8_t t[256];
        memcpy(t, w.value, len);
        SecBuffer db[2] = {{(uint32_t)len, SECBUFFER_STREAM, t}, {0, SECBUFFER_DATA, NULL}};
        SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
        SECURITY_STATUS st = DecryptMessage(&c.ctx, &dd, 0, NULL);
        ck_assert_msg(st == SEC_E_MESSAGE_ALTERED || st == SEC_E_INVALID_TOKEN, "len %zu: 0x%08x",
                      len, (unsigned)st);
    }
    /* The untouched token still decrypts (failures did not advance). */
    uint8_t t[256];
    memcpy(t, w.value, w.length);
    SecBuffer db[2] = {{(uint32_t)w.length, SECBUFFER_STREAM, t}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
    ck_status(DecryptMessage(&c.ctx, &dd, 0, NULL), SEC_E_OK);
    gss_release_buffer(&minor, &w);

    /* Bad QOP, no token, too small a token buffer. */
    uint8_t tok[64];
    SecBuffer eb[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {20, SECBUFFER_TOKEN, tok}};
    SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
    ck_status(EncryptMessage(&c.ctx, 7, &ed, 0), SEC_E_QOP_NOT_SUPPORTED);
    ck_status(EncryptMessage(&c.ctx, 0, &ed, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_status(MakeSignature(&c.ctx, 0, &ed, 0), SEC_E_BUFFER_TOO_SMALL);
    ed.cBuffers = 1;
    ck_status(EncryptMessage(&c.ctx, 0, &ed, 0), SEC_E_INVALID_TOKEN);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* A wrap token cut after more than its header, as FreeRDP 2 cuts CredSSP
 * messages (at SIZES.cbSecurityTrailer, 76): with TOKEN and DATA adjacent
 * it is one token and DATA ends up on the plaintext; apart, it is refused. */
START_TEST(test_late_cut_adjacent_token)
{
    struct kt_side c, s;
    OM_uint32 minor;
    uint8_t msg[100], t[256], apart[256];
    gss_buffer_desc mb = {sizeof(msg), msg}, w;
    int cs;

    pair_sspi_gss(&c, &s, REQ_CLIENT);
    fill(msg, sizeof(msg), 7);
    ck_assert_uint_eq(gss_wrap(&minor, s.gctx, 1, 0, &mb, &cs, &w), GSS_S_COMPLETE);
    ck_assert_uint_gt(w.length, 76);
    memcpy(t, w.value, w.length);
    memcpy(apart, (uint8_t *)w.value + 76, w.length - 76);
    SecBuffer db[2] = {{76, SECBUFFER_TOKEN, t}, {(uint32_t)w.length - 76, SECBUFFER_DATA, apart}};
    SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
    ck_status(DecryptMessage(&c.ctx, &dd, 0, NULL), SEC_E_INVALID_TOKEN);
    db[1].pvBuffer = t + 76;
    ck_status(DecryptMessage(&c.ctx, &dd, 0, NULL), SEC_E_OK);
    ck_assert_uint_eq(db[1].cbBuffer, sizeof(msg));
    ck_assert((uint8_t *)db[1].pvBuffer >= t && (uint8_t *)db[1].pvBuffer < t + w.length);
    ck_assert_mem_eq(db[1].pvBuffer, msg, sizeof(msg));
    gss_release_buffer(&minor, &w);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* Malformed AP-REQ, AP-REP and KRB-ERROR tokens. */
START_TEST(test_malformed_handshake_tokens)
{
    struct kt_side c = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    static uint8_t apreq[8192];
    size_t len;
    OM_uint32 minor, major;
    gss_ctx_id_t g = GSS_C_NO_CONTEXT;
    gss_name_t t;
    gss_buffer_desc nb = {strlen(KT_GSS_TARGET), KT_GSS_TARGET}, out;
    CredHandle server;

    /* A genuine AP-REQ from MIT, then damaged copies to the SSPI acceptor. */
    gss_import_name(&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &t);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &g, t, (gss_OID)gss_mech_krb5,
                                 GSS_FLAGS, 0, NULL, GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_CONTINUE_NEEDED);
    len = out.length;
    memcpy(apreq, out.value, len);
    gss_release_buffer(&minor, &out);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &server), SEC_E_OK);
    for (size_t i = 0; i < len; i += (i < 64 ? 1 : 37)) {
        for (int kind = 0; kind < 2; kind++) {
            uint8_t tok[8192], ob[8192];
            size_t tl = kind == 0 ? i : len;
            memcpy(tok, apreq, len);
            if (kind == 1)
                tok[i] ^= 0x10;
            SecBuffer ib = {(uint32_t)tl, SECBUFFER_TOKEN, tok},
                      obb = {sizeof(ob), SECBUFFER_TOKEN, ob};
            SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &obb};
            CtxtHandle h;
            ULONG attrs;
            SECURITY_STATUS st = AcceptSecurityContext(&server, NULL, &id, REQ_SERVER,
                                                       SECURITY_NATIVE_DREP, &h, &od, &attrs, NULL);
            ck_assert_msg(st != SEC_E_INTERNAL_ERROR &&
                              (st < 0 || st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED),
                          "kind %d at %zu: 0x%08x", kind, i, (unsigned)st);
            if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
                DeleteSecurityContext(&h);
        }
    }
    FreeCredentialsHandle(&server);
    gss_delete_sec_context(&minor, &g, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &t);

    /* A damaged AP-REP and a garbage reply to the SSPI initiator. */
    for (int kind = 0; kind < 3; kind++) {
        struct kt_side s = {.gss = true, .server = true};
        uint8_t a[8192], b[8192];
        SecBuffer ob = {sizeof(a), SECBUFFER_TOKEN, a};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        TimeStamp ts;
        gss_buffer_desc in, rep;
        ULONG attrs;

        memset(&c, 0, sizeof(c));
        ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
        ck_status(InitializeSecurityContextA(&c.cred, NULL, KT_SPN, REQ_CLIENT, 0,
                                             SECURITY_NATIVE_DREP, NULL, 0, &c.ctx, &od, &attrs,
                                             &ts),
                  SEC_I_CONTINUE_NEEDED);
        c.have_ctx = true;
        in = (gss_buffer_desc){ob.cbBuffer, a};
        ck_assert_uint_eq(gss_accept_sec_context(&minor, &s.gctx, GSS_C_NO_CREDENTIAL, &in, NULL,
                                                 NULL, NULL, &rep, NULL, NULL, NULL),
                          GSS_S_COMPLETE);
        memcpy(b, rep.value, rep.length);
        size_t rl = rep.length;
        gss_release_buffer(&minor, &rep);
        if (kind == 0)
            b[rl / 2] ^= 0x40;
        else if (kind == 1)
            rl /= 2;
        else
            memcpy(b, "\x60\x05\x06\x03\x2a\x03\x04", 7), rl = 7;
        SecBuffer ib = {(uint32_t)rl, SECBUFFER_TOKEN, b};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
        ob.cbBuffer = sizeof(a);
        SECURITY_STATUS st =
            InitializeSecurityContextA(&c.cred, &c.ctx, KT_SPN, REQ_CLIENT, 0, SECURITY_NATIVE_DREP,
                                       &id, 0, &c.ctx, &od, &attrs, &ts);
        ck_assert_msg(st < 0 && st != SEC_E_INTERNAL_ERROR, "AP-REP kind %d: 0x%08x", kind,
                      (unsigned)st);
        /* A failed leg is final. */
        ck_assert(InitializeSecurityContextA(&c.cred, &c.ctx, KT_SPN, REQ_CLIENT, 0,
                                             SECURITY_NATIVE_DREP, &id, 0, &c.ctx, &od, &attrs,
                                             &ts) < 0);
        kt_side_free(&c);
        kt_side_free(&s);
    }
    (void)o;
}
END_TEST

/* A KRB-ERROR from the acceptor (wrong key in the keytab) reaches the
 * SSPI client as a defined status. */
START_TEST(test_wrong_keytab_key)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    char cmd[1024];
    OM_uint32 gm;

    /* Re-key the service in the KDC only: the keytab keeps the old key. */
    snprintf(cmd, sizeof(cmd),
             "kadmin.local -q 'cpw -randkey cifs/localhost' >/dev/null 2>&1 || "
             "/usr/sbin/kadmin.local -q 'cpw -randkey cifs/localhost' >/dev/null 2>&1");
    ck_assert_int_eq(system(cmd), 0);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    o.target = "cifs/localhost";
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_LOGON_DENIED);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* The acceptor's clock is 10 minutes off the client's: SEC_E_TIME_SKEW. */
START_TEST(test_clock_skew)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    char path[600], main_conf[600];
    OM_uint32 gm;
    FILE *f;

    snprintf(main_conf, sizeof(main_conf), "%s/krb5.conf", kt_realm_dir());
    snprintf(path, sizeof(path), "%s/krb5-skew.conf", kt_realm_dir());
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    /* kdc_timesync off and a time offset of -600 s for this process's
     * acceptor, via the clockskew it allows: 1 s, after a 2 s wait. */
    fprintf(f, "include %s\n[libdefaults]\n clockskew = 1\n", main_conf);
    fclose(f);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    uint8_t a[8192], ob[8192];
    SecBuffer b = {sizeof(a), SECBUFFER_TOKEN, a};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    ULONG attrs;
    TimeStamp ts;
    ck_status(InitializeSecurityContextA(&c.cred, NULL, KT_SPN, REQ_CLIENT, 0, SECURITY_NATIVE_DREP,
                                         NULL, 0, &c.ctx, &d, &attrs, &ts),
              SEC_I_CONTINUE_NEEDED);
    c.have_ctx = true;
    sleep(3);
    setenv("KRB5_CONFIG", path, 1);
    SecBuffer obb = {sizeof(ob), SECBUFFER_TOKEN, ob};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &obb};
    ck_status(AcceptSecurityContext(&s.cred, NULL, &d, REQ_SERVER, SECURITY_NATIVE_DREP, &s.ctx,
                                    &od, &attrs, &ts),
              SEC_E_TIME_SKEW);
    setenv("KRB5_CONFIG", main_conf, 1);
    kt_side_free(&c);
    kt_side_free(&s);
    (void)o;
    (void)gm;
}
END_TEST

/* A TGT that has run out: the handshake fails with SEC_E_CONTEXT_EXPIRED
 * (or, at AcquireCredentialsHandle, SEC_E_NO_CREDENTIALS). */
START_TEST(test_expired_ticket)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    char cmd[1024], cc[600];
    OM_uint32 gm;
    SECURITY_STATUS st;

    snprintf(cc, sizeof(cc), "FILE:%s/ccache.short", kt_realm_dir());
    snprintf(cmd, sizeof(cmd), "echo %s | KRB5CCNAME=%s kinit -l 2s %s >/dev/null 2>&1",
             KT_PASSWORD, cc, KT_USER);
    ck_assert_int_eq(system(cmd), 0);
    setenv("KRB5CCNAME", cc, 1);
    sleep(3);
    st = kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred);
    if (st == SEC_E_OK) {
        s.gss = true;
        st = kt_handshake(&c, &s, &o, &gm);
        ck_status(st, SEC_E_CONTEXT_EXPIRED);
        kt_side_free(&c);
        kt_side_free(&s);
    } else {
        ck_status(st, SEC_E_NO_CREDENTIALS);
    }
}
END_TEST

START_TEST(test_credentials_names_and_bad_use)
{
    CredHandle h;
    SecPkgCredentials_NamesA n;
    TimeStamp ts;

    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &h), SEC_E_OK);
    ck_status(QueryCredentialsAttributesA(&h, SECPKG_CRED_ATTR_NAMES, &n), SEC_E_OK);
    ck_assert_str_eq(n.sUserName, "user@KRBTEST.COM");
    FreeContextBuffer(n.sUserName);
    FreeCredentialsHandle(&h);
    ck_assert(AcquireCredentialsHandleA(NULL, "Kerberos", 0, NULL, NULL, NULL, NULL, &h, &ts) < 0);
    /* An acceptor for a principal the keytab does not hold. */
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, "HTTP/elsewhere", &h),
              SEC_E_NO_CREDENTIALS);
}
END_TEST

/* One encryptor and one decryptor at once on each context (both ways). */
struct dir_arg {
    CtxtHandle *from, *to;
    int n;
    int failures;
};

static void *one_direction(void *p)
{
    struct dir_arg *a = p;
    uint8_t buf[256], tok[64];

    for (int i = 0; i < a->n; i++) {
        memset(buf, i, sizeof(buf));
        SecBuffer eb[2] = {{sizeof(tok), SECBUFFER_TOKEN, tok}, {sizeof(buf), SECBUFFER_DATA, buf}};
        SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
        if (EncryptMessage(a->from, 0, &ed, 0) != SEC_E_OK ||
            DecryptMessage(a->to, &ed, 0, NULL) != SEC_E_OK || buf[7] != (uint8_t)i)
            a->failures++;
        SecBuffer sb[2] = {{sizeof(buf), SECBUFFER_DATA, buf}, {sizeof(tok), SECBUFFER_TOKEN, tok}};
        SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
        if (MakeSignature(a->from, 0, &sd, 0) != SEC_E_OK ||
            VerifySignature(a->to, &sd, 0, NULL) != SEC_E_OK)
            a->failures++;
    }
    return NULL;
}

START_TEST(test_threads_both_directions)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_CLIENT};
    OM_uint32 gm;
    pthread_t t1, t2;

    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    struct dir_arg up = {&c.ctx, &s.ctx, 2000, 0}, down = {&s.ctx, &c.ctx, 2000, 0};
    ck_assert_int_eq(pthread_create(&t1, NULL, one_direction, &up), 0);
    ck_assert_int_eq(pthread_create(&t2, NULL, one_direction, &down), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    ck_assert_int_eq(up.failures, 0);
    ck_assert_int_eq(down.failures, 0);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* ---- MIT's sample programs (krb5-gss-samples) as separate peers ----------- */

/* gss-sample framing: flags:u8, length:u32be, bytes. */
#define GS_NOOP         0x01
#define GS_CONTEXT      0x02
#define GS_DATA         0x04
#define GS_MIC          0x08
#define GS_CONTEXT_NEXT 0x10
#define GS_WRAPPED      0x20
#define GS_ENCRYPTED    0x40
#define GS_SEND_MIC     0x80

static bool io_all(int fd, void *p, size_t n, bool wr)
{
    uint8_t *b = p;
    while (n > 0) {
        ssize_t r = wr ? write(fd, b, n) : read(fd, b, n);
        if (r <= 0)
            return false;
        b += r;
        n -= (size_t)r;
    }
    return true;
}

static void gs_send(int fd, uint8_t flags, const void *p, size_t n)
{
    uint8_t h[5] = {flags, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    ck_assert(io_all(fd, h, 5, true));
    ck_assert(n == 0 || io_all(fd, (void *)p, n, true));
}

static size_t gs_recv(int fd, uint8_t *flags, uint8_t *p, size_t cap)
{
    uint8_t h[5];
    size_t n;
    ck_assert(io_all(fd, h, 5, false));
    *flags = h[0];
    n = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
    ck_assert_uint_le(n, cap);
    ck_assert(n == 0 || io_all(fd, p, n, false));
    return n;
}

static int listen_any(int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(fd, 1), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static pid_t spawn(const char *out, char *const argv[])
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        FILE *f = freopen(out, "w", stdout);
        (void)f;
        dup2(1, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static bool file_has(const char *path, const char *text)
{
    static char buf[65536];
    FILE *f = fopen(path, "r");
    size_t n;
    if (f == NULL)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strstr(buf, text) != NULL;
}

/* option.keytab names the acceptor's keytab (KRB5_KTNAME pointing nowhere);
 * a named acceptor principal takes only tickets for itself. */
START_TEST(test_keytab_option_and_named_acceptor)
{
    struct kt_side c = {0}, s = {0};
    struct kt_opts o = {.req = REQ_SERVER, .gss_flags = GSS_FLAGS};
    char conf[1024], cmd[2400];
    OM_uint32 gm;

    if (!fresh_process())
        goto named;
    snprintf(conf, sizeof(conf), "%s/sspi-keytab.conf", kt_realm_dir());
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && echo 'option.keytab = %s/keytab' >> '%s'",
             getenv("LIBSSPI_CONFIG"), conf, kt_realm_dir(), conf);
    ck_assert_int_eq(system(cmd), 0);
    setenv("LIBSSPI_CONFIG", conf, 1);
    ck_status(libsspi_reload_config(), SEC_E_OK);
    setenv("KRB5_KTNAME", "FILE:/nonexistent/keytab", 1);
    c.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    ck_status(kt_handshake(&c, &s, &o, &gm), SEC_E_OK);
    kt_side_free(&c);
    kt_side_free(&s);

named:
    /* An acceptor for HTTP/localhost refuses a ticket for host/localhost. */
    c.gss = true;
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, "HTTP/localhost", &s.cred), SEC_E_OK);
    ck_assert(kt_handshake(&c, &s, &o, &gm) < 0);
    kt_side_free(&c);
    kt_side_free(&s);
}
END_TEST

/* LIBSSPI_DEBUG names the failing call and MIT's reason, never the
 * password (the sspi command, so the trace starts fresh). */
START_TEST(test_trace_reasons)
{
    char log[600], cmd[2400];

    snprintf(log, sizeof(log), "%s/trace.log", kt_realm_dir());
    snprintf(cmd, sizeof(cmd),
             "LIBSSPI_DEBUG='%s' '%s/src/tools/sspi' loopback --user user --domain KRBTEST.COM "
             "--password Secret-Wrong-PW --target host/localhost Kerberos >/dev/null 2>&1",
             log, getenv("top_builddir"));
    ck_assert_int_ne(system(cmd), 0);
    ck_assert(file_has(log, "krb5_get_init_creds_password"));
    ck_assert(file_has(log, "Decrypt integrity check failed")); /* no preauth */
    ck_assert(file_has(log, "0x8009030C"));
    ck_assert(!file_has(log, "Secret-Wrong-PW"));
    snprintf(cmd, sizeof(cmd),
             "LIBSSPI_DEBUG='%s' '%s/src/tools/sspi' loopback --user user --domain KRBTEST.COM "
             "--password userpw --target HTTP/nosuch.krbtest.com Kerberos >/dev/null 2>&1",
             log, getenv("top_builddir"));
    ck_assert_int_ne(system(cmd), 0);
    ck_assert(file_has(log, "gss_init_sec_context: major"));
    ck_assert(file_has(log, "not found in Kerberos database"));
}
END_TEST

/* libsspi's client against MIT's gss-server. */
START_TEST(test_sspi_client_gss_server)
{
    struct kt_side c = {0};
    char out[600], portstr[16];
    int port, fd = -1, status;
    uint8_t tok[8192], in[8192], flags;
    size_t inlen = 0;
    SECURITY_STATUS st;
    ULONG attrs;
    TimeStamp ts;

    close(listen_any(&port)); /* a free port for gss-server */
    snprintf(portstr, sizeof(portstr), "%d", port);
    snprintf(out, sizeof(out), "%s/gss-server.out", kt_realm_dir());
    char *argv[] = {"gss-server", "-port", portstr, "-once", KT_GSS_TARGET, NULL};
    pid_t pid = spawn(out, argv);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < 100 && fd < 0; i++) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
            close(fd);
            fd = -1;
            usleep(50000);
        }
    }
    ck_assert_int_ge(fd, 0);
    gs_send(fd, GS_NOOP | GS_CONTEXT_NEXT, NULL, 0);
    ck_status(kt_acquire(SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, &c.cred), SEC_E_OK);
    do {
        SecBuffer ib = {(uint32_t)inlen, SECBUFFER_TOKEN, in},
                  ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
        st = InitializeSecurityContextA(&c.cred, c.have_ctx ? &c.ctx : NULL, KT_SPN, REQ_CLIENT, 0,
                                        SECURITY_NATIVE_DREP, inlen ? &id : NULL, 0, &c.ctx, &od,
                                        &attrs, &ts);
        ck_assert(st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED);
        c.have_ctx = true;
        if (ob.cbBuffer > 0)
            gs_send(fd, GS_CONTEXT, tok, ob.cbBuffer);
        if (st == SEC_I_CONTINUE_NEEDED) {
            inlen = gs_recv(fd, &flags, in, sizeof(in));
            ck_assert_uint_eq(flags, GS_CONTEXT);
        }
    } while (st == SEC_I_CONTINUE_NEEDED);
    for (int conf = 1; conf >= 0; conf--) {
        uint8_t wire[256], mic[128];
        const char *text = "hello";
        /* One gss_wrap token: TOKEN | DATA as the sample expects. */
        memcpy(wire + 60, text, 5);
        SecBuffer eb[2] = {{60, SECBUFFER_TOKEN, wire}, {5, SECBUFFER_DATA, wire + 60}};
        SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
        ck_status(EncryptMessage(&c.ctx, conf ? 0 : KERB_WRAP_NO_ENCRYPT, &ed, 0), SEC_E_OK);
        memmove(wire + eb[0].cbBuffer, wire + 60, 5);
        gs_send(fd, GS_DATA | GS_WRAPPED | (conf ? GS_ENCRYPTED : 0) | GS_SEND_MIC, wire,
                eb[0].cbBuffer + 5);
        size_t ml = gs_recv(fd, &flags, mic, sizeof(mic));
        ck_assert_uint_eq(flags, GS_MIC);
        SecBuffer vb[2] = {{5, SECBUFFER_DATA, (void *)text}, {(uint32_t)ml, SECBUFFER_TOKEN, mic}};
        SecBufferDesc vd = {SECBUFFER_VERSION, 2, vb};
        ck_status(VerifySignature(&c.ctx, &vd, 0, NULL), SEC_E_OK);
    }
    gs_send(fd, GS_NOOP, NULL, 0);
    close(fd);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert(file_has(out, "Accepted connection: \"user@KRBTEST.COM\""));
    ck_assert(file_has(out, "Received message: \"hello\""));
    kt_side_free(&c);
}
END_TEST

/* MIT's gss-client against a libsspi acceptor. */
START_TEST(test_gss_client_sspi_server)
{
    struct kt_side s = {0};
    char out[600], portstr[16];
    int port, lfd, fd, status;
    uint8_t tok[8192], in[8192], flags;
    size_t inlen;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    ULONG attrs;
    TimeStamp ts;

    lfd = listen_any(&port);
    snprintf(portstr, sizeof(portstr), "%d", port);
    snprintf(out, sizeof(out), "%s/gss-client.out", kt_realm_dir());
    char *argv[] = {"gss-client",  "-port",          portstr, "127.0.0.1",
                    KT_GSS_TARGET, "hello from MIT", NULL};
    pid_t pid = spawn(out, argv);
    ck_status(kt_acquire(SECPKG_CRED_INBOUND, NULL, NULL, NULL, &s.cred), SEC_E_OK);
    fd = accept(lfd, NULL, NULL);
    ck_assert_int_ge(fd, 0);
    inlen = gs_recv(fd, &flags, in, sizeof(in));
    ck_assert_uint_eq(flags, GS_NOOP | GS_CONTEXT_NEXT);
    while (st == SEC_I_CONTINUE_NEEDED) {
        inlen = gs_recv(fd, &flags, in, sizeof(in));
        ck_assert_uint_eq(flags, GS_CONTEXT);
        SecBuffer ib = {(uint32_t)inlen, SECBUFFER_TOKEN, in},
                  ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
        st = AcceptSecurityContext(&s.cred, s.have_ctx ? &s.ctx : NULL, &id, REQ_SERVER,
                                   SECURITY_NATIVE_DREP, &s.ctx, &od, &attrs, &ts);
        ck_assert(st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED);
        s.have_ctx = true;
        if (ob.cbBuffer > 0)
            gs_send(fd, GS_CONTEXT, tok, ob.cbBuffer);
    }
    inlen = gs_recv(fd, &flags, in, sizeof(in));
    ck_assert_uint_eq(flags, GS_DATA | GS_WRAPPED | GS_ENCRYPTED | GS_SEND_MIC);
    SecBuffer db[2] = {{(uint32_t)inlen, SECBUFFER_STREAM, in}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
    ULONG qop;
    ck_status(DecryptMessage(&s.ctx, &dd, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0);
    ck_assert_uint_eq(db[1].cbBuffer, 14);
    ck_assert_mem_eq(db[1].pvBuffer, "hello from MIT", 14);
    SecBuffer sb[2] = {{db[1].cbBuffer, SECBUFFER_DATA, db[1].pvBuffer},
                       {sizeof(tok), SECBUFFER_TOKEN, tok}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
    ck_status(MakeSignature(&s.ctx, 0, &sd, 0), SEC_E_OK);
    gs_send(fd, GS_MIC, tok, sb[1].cbBuffer);
    inlen = gs_recv(fd, &flags, in, sizeof(in));
    ck_assert_uint_eq(flags, GS_NOOP);
    close(fd);
    close(lfd);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert(file_has(out, "Signature verified."));
    kt_side_free(&s);
}
END_TEST

/* ---- LSA messages, through the plugin's CallPackage slot ------------------ */

static NTSTATUS NTAPI test_alloc_client(PLSA_CLIENT_REQUEST r, ULONG len, PVOID *out)
{
    (void)r;
    *out = malloc(len);
    return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static PVOID NTAPI test_alloc_heap(ULONG len)
{
    return calloc(1, len);
}

static void NTAPI test_free_heap(PVOID p)
{
    free(p);
}

static NTSTATUS NTAPI test_failure_reason(const SECPKG_FAILURE_REASON r)
{
    (void)r;
    return STATUS_SUCCESS;
}

static PSECPKG_FUNCTION_TABLE load_plugin(void)
{
    static LSA_SECPKG_FUNCTION_TABLE lsa;
    static SECPKG_PARAMETERS params;
    char path[1024];
    void *h;
    SpLsaModeInitializeFn init;
    PSECPKG_FUNCTION_TABLE t;
    ULONG ver, n;

    snprintf(path, sizeof(path), "%s/kerberos/.libs/kerberos.so", getenv("LIBSSPI_TEST_PKGDIR"));
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ck_assert_msg(h != NULL, "%s", dlerror());
    init = (SpLsaModeInitializeFn)dlsym(h, "SpLsaModeInitialize");
    ck_assert_ptr_nonnull(init);
    ck_assert_int_eq(init(SECPKG_INTERFACE_VERSION, &ver, &t, &n), STATUS_SUCCESS);
    lsa.AllocateClientBuffer = test_alloc_client;
    lsa.AllocateLsaHeap = test_alloc_heap;
    lsa.FreeLsaHeap = test_free_heap;
    lsa.SetSecpkgFailureReason = test_failure_reason;
    ck_assert_int_eq(t->Initialize(1, &params, &lsa), STATUS_SUCCESS);
    return t;
}

/* A request with its strings after it, in one block, as Windows wants. */
static size_t retrieve_request(uint8_t *buf, const char *target, ULONG options)
{
    KERB_RETRIEVE_TKT_REQUEST *r = (KERB_RETRIEVE_TKT_REQUEST *)buf;
    char16_t *w = (char16_t *)(buf + sizeof(*r));
    size_t n = strlen(target);

    memset(r, 0, sizeof(*r));
    r->MessageType = KerbRetrieveEncodedTicketMessage;
    r->CacheOptions = options;
    for (size_t i = 0; i < n; i++)
        w[i] = (char16_t)target[i];
    r->TargetName.Length = (USHORT)(2 * n);
    r->TargetName.MaximumLength = (USHORT)(2 * n);
    r->TargetName.Buffer = w;
    return sizeof(*r) + 2 * n;
}

/* The same messages through the public LSA client calls, as ported klist
 * code sends them: LsaConnectUntrusted reaches the package's
 * CallPackageUntrusted slot, the response is the package's block (its
 * pointers valid) and LsaFreeReturnBuffer frees it. */
START_TEST(test_lsa_client_calls_reach_kerberos)
{
    char cc[600], cmd[1400];
    HANDLE lsa = NULL;
    LSA_STRING name = {8, 9, (PCHAR)MICROSOFT_KERBEROS_NAME_A};
    ULONG pkg = 0, outlen = 0;
    PVOID out = NULL;
    NTSTATUS proto = -1;
    uint8_t req[512];
    size_t len;

    snprintf(cc, sizeof(cc), "FILE:%s/ccache.lsa-client", kt_realm_dir());
    snprintf(cmd, sizeof(cmd), "echo %s | KRB5CCNAME=%s kinit %s >/dev/null", KT_PASSWORD, cc,
             KT_USER);
    ck_assert_int_eq(system(cmd), 0);
    setenv("KRB5CCNAME", cc, 1);
    ck_assert_int_eq(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_assert_int_eq(LsaLookupAuthenticationPackage(lsa, &name, &pkg), STATUS_SUCCESS);

    KERB_QUERY_TKT_CACHE_REQUEST q = {KerbQueryTicketCacheMessage, {0, 0}};
    ck_assert_int_eq(LsaCallAuthenticationPackage(lsa, pkg, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_SUCCESS);
    ck_assert_ptr_nonnull(out);
    KERB_QUERY_TKT_CACHE_RESPONSE *r = out;
    ck_assert_uint_ge(outlen, sizeof(*r));
    ck_assert_uint_ge(r->CountOfTickets, 1);
    ck_assert_int_eq(r->Tickets[0].ServerName.Length, 2 * strlen("krbtgt/KRBTEST.COM"));
    ck_assert_mem_eq(r->Tickets[0].ServerName.Buffer, u"krbtgt/KRBTEST.COM", 36);
    ck_assert_int_eq(LsaFreeReturnBuffer(out), STATUS_SUCCESS);

    /* A request with a string: the core copies the submit buffer and the
     * package relocates the pointer from the caller's address. */
    len = retrieve_request(req, "HTTP/localhost", 0);
    out = NULL;
    ck_assert_int_eq(LsaCallAuthenticationPackage(lsa, pkg, req, (ULONG)len, &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_SUCCESS);
    KERB_EXTERNAL_TICKET *tk = &((KERB_RETRIEVE_TKT_RESPONSE *)out)->Ticket;
    ck_assert_uint_eq(tk->EncodedTicket[0], 0x61);
    ck_assert_mem_eq(tk->ServiceName->Names[0].Buffer, u"HTTP", 8);
    ck_assert_int_eq(LsaFreeReturnBuffer(out), STATUS_SUCCESS);

    /* Another message: the call succeeds, the package says no. */
    q.MessageType = KerbChangePasswordMessage;
    out = NULL;
    ck_assert_int_eq(LsaCallAuthenticationPackage(lsa, pkg, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_NOT_SUPPORTED);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
}
END_TEST

START_TEST(test_lsa_ticket_cache_messages)
{
    PSECPKG_FUNCTION_TABLE t = load_plugin();
    char cc[600], cmd[1400];

    /* A ccache of this test's own: it is purged below. */
    snprintf(cc, sizeof(cc), "FILE:%s/ccache.lsa", kt_realm_dir());
    snprintf(cmd, sizeof(cmd), "echo %s | KRB5CCNAME=%s kinit %s >/dev/null", KT_PASSWORD, cc,
             KT_USER);
    ck_assert_int_eq(system(cmd), 0);
    setenv("KRB5CCNAME", cc, 1);
    KERB_QUERY_TKT_CACHE_REQUEST q = {KerbQueryTicketCacheMessage, {0, 0}};
    PVOID out = NULL;
    ULONG outlen = 0;
    NTSTATUS proto = -1;
    uint8_t req[512];
    size_t len;

    /* The realm's ccache holds user's TGT (from kinit). */
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_RESPONSE *r = out;
    ck_assert_uint_ge(r->CountOfTickets, 1);
    ck_assert_int_eq(r->Tickets[0].ServerName.Length, 2 * strlen("krbtgt/KRBTEST.COM"));
    ck_assert_mem_eq(r->Tickets[0].ServerName.Buffer, u"krbtgt/KRBTEST.COM", 36);
    ck_assert_int_eq(r->Tickets[0].EncryptionType, 18);
    ck_assert(r->Tickets[0].TicketFlags & KERB_TICKET_FLAGS_forwardable);
    ck_assert(r->Tickets[0].EndTime.QuadPart > r->Tickets[0].StartTime.QuadPart);
    free(out);

    /* A service ticket, as KERB_EXTERNAL_TICKET with the DER ticket. */
    len = retrieve_request(req, "HTTP/localhost", 0);
    ck_assert_int_eq(t->CallPackage(NULL, req, req, (ULONG)len, &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_SUCCESS);
    KERB_EXTERNAL_TICKET *tk = &((KERB_RETRIEVE_TKT_RESPONSE *)out)->Ticket;
    ck_assert_uint_gt(tk->EncodedTicketSize, 100);
    ck_assert_uint_eq(tk->EncodedTicket[0], 0x61); /* [APPLICATION 1] Ticket */
    ck_assert_uint_eq(tk->SessionKey.Length, 32);
    ck_assert_uint_eq(tk->ServiceName->NameCount, 2);
    ck_assert_mem_eq(tk->ServiceName->Names[0].Buffer, u"HTTP", 8);
    ck_assert_mem_eq(tk->ClientName->Names[0].Buffer, u"user", 8);
    free(out);

    /* Ex now lists two tickets, with client names. */
    q.MessageType = KerbQueryTicketCacheExMessage;
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *rx = out;
    ck_assert_uint_ge(rx->CountOfTickets, 2);
    ck_assert_mem_eq(rx->Tickets[0].ClientName.Buffer, u"user", 8);
    ULONG before = rx->CountOfTickets;
    free(out);

    /* Purge one server's tickets, then a cache-only retrieve misses. */
    KERB_PURGE_TKT_CACHE_REQUEST *p = (KERB_PURGE_TKT_CACHE_REQUEST *)req;
    char16_t *w = (char16_t *)(req + sizeof(*p));
    memset(p, 0, sizeof(*p));
    p->MessageType = KerbPurgeTicketCacheMessage;
    memcpy(w, u"HTTP/localhost", 28);
    p->ServerName = (UNICODE_STRING){28, 28, w};
    ck_assert_int_eq(t->CallPackage(NULL, req, req, sizeof(*p) + 28, &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_SUCCESS);
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(((KERB_QUERY_TKT_CACHE_EX_RESPONSE *)out)->CountOfTickets, before - 1);
    free(out);
    len = retrieve_request(req, "HTTP/localhost", KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    ck_assert_int_eq(t->CallPackage(NULL, req, req, (ULONG)len, &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_ne(proto, STATUS_SUCCESS);

    /* Bad requests: short, a string outside the buffer, unknown message. */
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, 3, &out, &outlen, &proto),
                     STATUS_INVALID_PARAMETER);
    len = retrieve_request(req, "HTTP/localhost", 0);
    ((KERB_RETRIEVE_TKT_REQUEST *)req)->TargetName.Buffer = (PWSTR) "elsewhere";
    ck_assert_int_eq(t->CallPackage(NULL, req, req, (ULONG)len, &out, &outlen, &proto),
                     STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(t->CallPackage(NULL, req, req, (ULONG)sizeof(KERB_RETRIEVE_TKT_REQUEST) - 1,
                                    &out, &outlen, &proto),
                     STATUS_INVALID_PARAMETER);
    q.MessageType = KerbChangePasswordMessage;
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_int_eq(proto, STATUS_NOT_SUPPORTED);

    /* Purge everything: nothing left. */
    memset(p, 0, sizeof(*p));
    p->MessageType = KerbPurgeTicketCacheMessage;
    ck_assert_int_eq(t->CallPackage(NULL, req, req, sizeof(*p), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    q.MessageType = KerbQueryTicketCacheMessage;
    ck_assert_int_eq(t->CallPackage(NULL, &q, &q, sizeof(q), &out, &outlen, &proto),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(((KERB_QUERY_TKT_CACHE_RESPONSE *)out)->CountOfTickets, 0);
    free(out);
}
END_TEST

/* SpGetExtendedInformation(SecpkgGssInfo): the Kerberos OID. */
START_TEST(test_gss_info_oid)
{
    PSECPKG_FUNCTION_TABLE t = load_plugin();
    PSECPKG_EXTENDED_INFORMATION info = NULL;
    static const uint8_t oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

    ck_assert_int_eq(t->GetExtendedInformation(SecpkgGssInfo, &info), STATUS_SUCCESS);
    ck_assert_uint_eq(info->Info.GssInfo.EncodedIdLength, sizeof(oid));
    ck_assert_mem_eq(info->Info.GssInfo.EncodedId, oid, sizeof(oid));
    free(info);
}
END_TEST

/* Each test starts from the realm's environment and configuration, also
 * when the tests share one process (CK_FORK=no, as under valgrind). */
static char saved_ccname[1024], saved_config[1024], saved_krb5_config[1024], saved_kt[1024];

static void restore_env(void)
{
    setenv("KRB5CCNAME", saved_ccname, 1);
    setenv("KRB5_CONFIG", saved_krb5_config, 1);
    setenv("KRB5_KTNAME", saved_kt, 1);
    if (strcmp(getenv("LIBSSPI_CONFIG"), saved_config) != 0) {
        setenv("LIBSSPI_CONFIG", saved_config, 1);
        libsspi_reload_config();
    }
}

static Suite *kerberos_suite(void)
{
    Suite *s = suite_create("kerberos");
    TCase *tc = tcase_create("mit");

    tcase_set_timeout(tc, 120);
    snprintf(saved_ccname, sizeof(saved_ccname), "%s", getenv("KRB5CCNAME"));
    snprintf(saved_config, sizeof(saved_config), "%s", getenv("LIBSSPI_CONFIG"));
    snprintf(saved_krb5_config, sizeof(saved_krb5_config), "%s", getenv("KRB5_CONFIG"));
    snprintf(saved_kt, sizeof(saved_kt), "%s", getenv("KRB5_KTNAME"));
    tcase_add_checked_fixture(tc, restore_env, restore_env);
    tcase_add_test(tc, test_sspi_client_mit_acceptor);
    tcase_add_test(tc, test_mit_initiator_sspi_acceptor);
    tcase_add_test(tc, test_dce_style_both_ways);
    tcase_add_test(tc, test_mit_message_path);
    tcase_add_test(tc, test_integrity_only_no_conf_leak);
    tcase_add_test(tc, test_sspi_to_sspi_no_mutual_and_sizes);
    tcase_add_test(tc, test_password_identity_private_ccache);
    tcase_add_test(tc, test_wrong_password_unknown_spn_no_kdc);
    tcase_add_test(tc, test_channel_bindings);
    tcase_add_test(tc, test_delegation_end_to_end);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_message_errors);
    tcase_add_test(tc, test_late_cut_adjacent_token);
    tcase_add_test(tc, test_malformed_handshake_tokens);
    tcase_add_test(tc, test_clock_skew);
    tcase_add_test(tc, test_expired_ticket);
    tcase_add_test(tc, test_credentials_names_and_bad_use);
    tcase_add_test(tc, test_wrong_keytab_key);
    tcase_add_test(tc, test_sspi_client_gss_server);
    tcase_add_test(tc, test_gss_client_sspi_server);
    tcase_add_test(tc, test_threads_both_directions);
    tcase_add_test(tc, test_trace_reasons);
    tcase_add_test(tc, test_keytab_option_and_named_acceptor);
    tcase_add_test(tc, test_lsa_client_calls_reach_kerberos);
    /* Last: they initialise the plugin with a table of their own. */
    tcase_add_test(tc, test_lsa_ticket_cache_messages);
    tcase_add_test(tc, test_gss_info_oid);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    int rc = kt_realm_start(), failed;
    SRunner *sr;

    if (rc != 0)
        return rc;
    sr = srunner_create(kerberos_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    kt_realm_stop();
    return failed == 0 ? 0 : 1;
}
