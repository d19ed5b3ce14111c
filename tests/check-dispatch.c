/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-dispatch.c - what reaches the package and what comes back: fQOP,
 * MessageSeqNo and the caller's buffers pass through untouched; NTSTATUS
 * values are mapped and SEC_* values pass through on every path; the
 * MappedContext/ContextData hand-over to SpInitUserModeContext; export and
 * import; A-form strings and identities converted to UTF-16; packages that
 * answer with nonsense.
 */
#include <stdlib.h>
#include <string.h>

#include "common/identity.h"
#include "test-util.h"
#include "ntsecpkg.h"

static struct tu_pair pair;
static struct mock_pkg_record *rec;

static void setup_pair(void)
{
    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockGood", &pair), SEC_E_OK);
    rec = tu_record("mock-good", "MockGood");
    ck_assert_ptr_nonnull(rec);
}

static void teardown_pair(void)
{
    tu_pair_close(&pair);
    ck_assert_no_violation(tu_state("mock-good"));
}

/* ---- pass-through -------------------------------------------------------- */

START_TEST(test_sign_pass_through)
{
    char hdr[] = "header", msg[] = "body";
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[3] = {
        {sizeof(hdr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr},
        {sizeof(sig), SECBUFFER_TOKEN, sig},
        {sizeof(msg), SECBUFFER_DATA, msg},
    };
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
    uint32_t qop = 0;

    ck_assert_status(MakeSignature(&pair.client, 0x12345u, &d, 77), SEC_E_OK);
    ck_assert_uint_eq(rec->last_qop, 0x12345u);
    ck_assert_uint_eq(rec->last_seq, 77);
    ck_assert(rec->last_desc == (uint64_t)(uintptr_t)&d);
    ck_assert(rec->last_pbuffers == (uint64_t)(uintptr_t)b);
    ck_assert_uint_eq(rec->last_cbuffers, 3);
    /* The caller's buffers are the package's: the token is written in place. */
    ck_assert_uint_eq(b[1].cbBuffer, MOCK_SIG_LEN);
    ck_assert_mem_eq(sig, "MSIG", 4);
    ck_assert_uint_eq(b[0].BufferType, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM);

    ck_assert_status(VerifySignature(&pair.server, &d, 77, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0x12345u);
    ck_assert_uint_eq(rec->last_seq, 77);
    ck_assert(rec->last_desc == (uint64_t)(uintptr_t)&d);
    ck_assert_uint_eq(rec->last_pfqop_null, 0);
    /* pfQOP is optional and reaches the package as NULL. */
    ck_assert_status(VerifySignature(&pair.server, &d, 77, NULL), SEC_E_OK);
    ck_assert_uint_eq(rec->last_pfqop_null, 1);
    /* Facility-9 results of the package come back as they are. */
    ck_assert_status(VerifySignature(&pair.server, &d, 78, &qop), SEC_E_OUT_OF_SEQUENCE);
    msg[0] ^= 0x20;
    ck_assert_status(VerifySignature(&pair.server, &d, 77, &qop), SEC_E_MESSAGE_ALTERED);
    msg[0] ^= 0x20;
    ck_assert_status(VerifySignature(&pair.server, &d, 77, &qop), SEC_E_OK);
    /* Sequence number 0 and the largest value pass unchanged too. */
    ck_assert_status(MakeSignature(&pair.server, 0, &d, 0xffffffffu), SEC_E_OK);
    ck_assert_uint_eq(rec->last_seq, 0xffffffffu);
    ck_assert_uint_eq(rec->last_qop, 0);
    ck_assert_status(VerifySignature(&pair.client, &d, 0xffffffffu, &qop), SEC_E_OK);
}
END_TEST

START_TEST(test_seal_pass_through)
{
    char msg[] = "secret text";
    uint8_t trailer[MOCK_SIG_LEN];
    SecBuffer b[2] = {{sizeof(trailer), SECBUFFER_TOKEN, trailer},
                      {sizeof(msg), SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop = 123;

    ck_assert_status(EncryptMessage(&pair.client, 0, &d, 5), SEC_E_OK);
    ck_assert_uint_eq(rec->last_qop, 0);
    ck_assert_uint_eq(rec->last_seq, 5);
    ck_assert(rec->last_desc == (uint64_t)(uintptr_t)&d);
    ck_assert(memcmp(msg, "secret text", sizeof(msg)) != 0);
    ck_assert_status(DecryptMessage(&pair.server, &d, 5, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "secret text");
    ck_assert_uint_eq(qop, 0);
    ck_assert_uint_eq(rec->last_seq, 5);
    ck_assert(rec->last_pbuffers == (uint64_t)(uintptr_t)b);

    /* SECQOP_WRAP_NO_ENCRYPT reaches the package and comes back in pfQOP. */
    ck_assert_status(EncryptMessage(&pair.server, SECQOP_WRAP_NO_ENCRYPT, &d, 6), SEC_E_OK);
    ck_assert_uint_eq(rec->last_qop, SECQOP_WRAP_NO_ENCRYPT);
    ck_assert_str_eq(msg, "secret text");
    ck_assert_status(DecryptMessage(&pair.client, &d, 6, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, SECQOP_WRAP_NO_ENCRYPT);
    ck_assert_status(EncryptMessage(&pair.server, 0, &d, 7), SEC_E_OK);
    ck_assert_status(DecryptMessage(&pair.client, &d, 8, NULL), SEC_E_OUT_OF_SEQUENCE);
}
END_TEST

START_TEST(test_context_attributes_dispatch)
{
    SecPkgContext_Sizes sz;
    uint32_t side = 0;

    ck_assert_status(QueryContextAttributesW(&pair.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxToken, 64);
    ck_assert_uint_eq(sz.cbMaxSignature, MOCK_SIG_LEN);
    ck_assert_uint_eq(sz.cbSecurityTrailer, MOCK_SIG_LEN);
    /* Attributes the library does not know reach the package unchanged. */
    ck_assert_status(QueryContextAttributesW(&pair.client, MOCK_ATTR_SIDE, &side), SEC_E_OK);
    ck_assert_uint_eq(side, 1);
    ck_assert_status(QueryContextAttributesA(&pair.server, MOCK_ATTR_SIDE, &side), SEC_E_OK);
    ck_assert_uint_eq(side, 2);
}
END_TEST

/* ---- status mapping ------------------------------------------------------ */

static const struct {
    NTSTATUS nt;
    SECURITY_STATUS expected;
} status_map[] = {
    {STATUS_NO_MEMORY, SEC_E_INSUFFICIENT_MEMORY},
    {STATUS_INSUFFICIENT_RESOURCES, SEC_E_INSUFFICIENT_MEMORY},
    {STATUS_INVALID_HANDLE, SEC_E_INVALID_HANDLE},
    {STATUS_NOT_IMPLEMENTED, SEC_E_UNSUPPORTED_FUNCTION},
    {STATUS_NOT_SUPPORTED, SEC_E_UNSUPPORTED_FUNCTION},
    {STATUS_LOGON_FAILURE, SEC_E_LOGON_DENIED},
    {STATUS_WRONG_PASSWORD, SEC_E_LOGON_DENIED},
    {STATUS_NO_SUCH_USER, SEC_E_LOGON_DENIED},
    {STATUS_ACCOUNT_DISABLED, SEC_E_LOGON_DENIED},
    {SEC_E_MESSAGE_ALTERED, SEC_E_MESSAGE_ALTERED},
    {SEC_E_QOP_NOT_SUPPORTED, SEC_E_QOP_NOT_SUPPORTED},
    {SEC_E_INVALID_TOKEN, SEC_E_INVALID_TOKEN},
    {SEC_E_OUT_OF_SEQUENCE, SEC_E_OUT_OF_SEQUENCE},
    {SEC_E_CONTEXT_EXPIRED, SEC_E_CONTEXT_EXPIRED},
    {SEC_E_INSUFFICIENT_MEMORY, SEC_E_INSUFFICIENT_MEMORY},
    {SEC_I_RENEGOTIATE, SEC_I_RENEGOTIATE},
    {SEC_I_CONTEXT_EXPIRED, SEC_I_CONTEXT_EXPIRED},
    {(NTSTATUS)0xC0DE0001u, (SECURITY_STATUS)0xC0DE0001u}, /* unknown: unchanged */
};

#define NMAP (sizeof(status_map) / sizeof(status_map[0]))

static void status_text(char *out, size_t cap, NTSTATUS nt)
{
    snprintf(out, cap, "%s%08X", MOCK_STATUS_PREFIX, (unsigned)nt);
}

START_TEST(test_map_message_calls)
{
    char msg[32];
    uint8_t sig[MOCK_SIG_LEN];
    SecBuffer b[2] = {{0, SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop;

    status_text(msg, sizeof(msg), status_map[_i].nt);
    b[0].cbBuffer = (uint32_t)strlen(msg);
    ck_assert_status(MakeSignature(&pair.client, 0, &d, 1), status_map[_i].expected);
    ck_assert_status(VerifySignature(&pair.client, &d, 1, &qop), status_map[_i].expected);
    ck_assert_status(EncryptMessage(&pair.client, 0, &d, 1), status_map[_i].expected);
    ck_assert_status(DecryptMessage(&pair.client, &d, 1, &qop), status_map[_i].expected);
    /* The context is still usable: a package error does not invalidate it. */
    ck_assert_status(tu_sign_verify(&pair.client, &pair.server, 0, 2), SEC_E_OK);
}
END_TEST

START_TEST(test_map_acquire)
{
    char principal[32];
    CredHandle c;
    TimeStamp ts;
    SECURITY_STATUS expected = status_map[_i].expected;

    if (expected >= 0)
        return; /* success values would create a credential */
    status_text(principal, sizeof(principal), status_map[_i].nt);
    SecInvalidateHandle(&c);
    ck_assert_status(AcquireCredentialsHandleA((SEC_CHAR *)principal, (SEC_CHAR *)"MockGood",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                               &ts),
                     expected);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_INVALID_HANDLE);
}
END_TEST

START_TEST(test_map_initialize)
{
    char target[32];
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle x;
    uint32_t attrs;
    TimeStamp ts;
    SECURITY_STATUS expected = status_map[_i].expected;

    if (expected >= 0)
        return;
    status_text(target, sizeof(target), status_map[_i].nt);
    SecInvalidateHandle(&x);
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)target, 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     expected);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
}
END_TEST

START_TEST(test_map_accept)
{
    char token[32];
    uint8_t tok[64];
    SecBuffer ib = {0, SECBUFFER_TOKEN, token};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle x;
    uint32_t attrs;
    TimeStamp ts;
    SECURITY_STATUS expected = status_map[_i].expected;

    if (expected >= 0)
        return;
    status_text(token, sizeof(token), status_map[_i].nt);
    ib.cbBuffer = (uint32_t)strlen(token);
    SecInvalidateHandle(&x);
    ck_assert_status(AcceptSecurityContext(&pair.server_cred, NULL, &id, 0, SECURITY_NATIVE_DREP,
                                           &x, &od, &attrs, &ts),
                     expected);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
}
END_TEST

/* ---- context establishment details -------------------------------------- */

START_TEST(test_mapped_context)
{
    struct tu_pair p;
    uint32_t calls = rec->init_user_mode_calls, ok = rec->init_user_mode_data_ok;
    uint32_t deletes_u = rec->user_delete_calls, deletes_l = rec->lsa_delete_calls;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    /* Client and server each completed with MappedContext = TRUE. */
    ck_assert_uint_eq(rec->init_user_mode_calls, calls + 2);
    ck_assert_uint_eq(rec->init_user_mode_data_ok, ok + 2);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
    ck_assert_uint_eq(rec->user_delete_calls, deletes_u + 2);
    ck_assert_uint_eq(rec->lsa_delete_calls, deletes_l + 2);
}
END_TEST

START_TEST(test_incomplete_context)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle x;
    uint32_t attrs;
    TimeStamp ts;
    uint32_t lsa_deletes = rec->lsa_delete_calls;

    ck_assert_status(InitializeSecurityContextW(&pair.client_cred, NULL, (SEC_WCHAR *)u"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    /* Not complete: no user-mode side yet. */
    ck_assert_status(tu_sign_verify(&x, &pair.server, 0, 1), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    ck_assert_uint_eq(rec->lsa_delete_calls, lsa_deletes + 1);
    /* A wrong token on the second leg fails; the context can still be deleted. */
    ob.cbBuffer = sizeof(tok);
    ck_assert_status(InitializeSecurityContextW(&pair.client_cred, NULL, (SEC_WCHAR *)u"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    ob.cbBuffer = sizeof(tok);
    memcpy(tok, "garbage!", 8);
    {
        SecBuffer ib = {MOCK_TOKEN_LEN, SECBUFFER_TOKEN, tok};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
        uint8_t out[64];
        SecBuffer ob2 = {sizeof(out), SECBUFFER_TOKEN, out};
        SecBufferDesc od2 = {SECBUFFER_VERSION, 1, &ob2};

        ck_assert_status(InitializeSecurityContextW(&pair.client_cred, &x, (SEC_WCHAR *)u"t", 0, 0,
                                                    SECURITY_NATIVE_DREP, &id, 0, &x, &od2, &attrs,
                                                    &ts),
                         SEC_E_INVALID_TOKEN);
    }
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
}
END_TEST

START_TEST(test_expiry_and_attributes)
{
    CredHandle c;
    CtxtHandle x;
    TimeStamp ts = {.QuadPart = 0};
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs = 0;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_uint_eq(ts.LowPart, 0x89abcdefu);
    ck_assert_int_eq(ts.HighPart, 0x01234567);
    ts.QuadPart = 0;
    ck_assert_status(InitializeSecurityContextA(
                         &c, NULL, (SEC_CHAR *)"t", ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY,
                         0, SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(rec->context_req, ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY);
    ck_assert_uint_eq(attrs, ISC_RET_MUTUAL_AUTH | ISC_RET_CONFIDENTIALITY);
    ck_assert_uint_eq(ts.LowPart, 0x89abcdefu);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
}
END_TEST

/* SpInitUserModeContext fails: the leg fails with the mapped status, the
 * context has no user-mode side and is still deleted cleanly. */
START_TEST(test_user_init_failure)
{
    struct tu_pair p;
    uint32_t live = rec->live_contexts, lsa_deletes = rec->lsa_delete_calls;

    ck_assert_status(tu_pair_open_target("MockGood", MOCK_TARGET_FAIL_USER_INIT, &p),
                     SEC_E_INSUFFICIENT_MEMORY);
    /* tu_pair_open_target deleted what it had; the package saw both deletes. */
    ck_assert_uint_eq(rec->live_contexts, live);
    ck_assert_uint_ge(rec->lsa_delete_calls, lsa_deletes + 2);
}
END_TEST

/* A package that frees PackedContext itself in SpInitUserModeContext (with
 * FreeContextBuffer, as Microsoft documents): the host must not touch or
 * free the block again (valgrind and ASan runs catch a write), and the
 * context works. */
START_TEST(test_user_init_frees_packed)
{
    struct tu_pair p;
    uint32_t freed = rec->init_user_mode_freed_packed;

    ck_assert_status(tu_pair_open_target("MockGood", MOCK_TARGET_FREE_PACKED, &p), SEC_E_OK);
    ck_assert_uint_eq(rec->init_user_mode_freed_packed, freed + 1);
    ck_assert_status(tu_sign_verify(&p.client, &p.server, 0, 0), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

START_TEST(test_names_null_and_bad)
{
    struct tu_pair p;
    SecPkgContext_NamesA na;
    SecPkgContext_NamesW nw;

    ck_assert_status(tu_pair_open_target("MockGood", MOCK_TARGET_NULL_NAMES, &p), SEC_E_OK);
    na.sUserName = (SEC_CHAR *)"x";
    ck_assert_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_ptr_null(na.sUserName);
    nw.sUserName = (SEC_WCHAR *)u"x";
    ck_assert_status(QueryContextAttributesW(&p.client, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert_ptr_null(nw.sUserName);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);

    ck_assert_status(tu_pair_open_target("MockGood", MOCK_TARGET_BAD_NAMES, &p), SEC_E_OK);
    /* The W form hands the package's string over as it is. */
    ck_assert_status(QueryContextAttributesW(&p.client, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    ck_assert_uint_eq(nw.sUserName[0], 0xd800);
    ck_assert_status(FreeContextBuffer(nw.sUserName), SEC_E_OK);
    /* The A form replaces what cannot be converted with U+FFFD, as
     * WideCharToMultiByte does, rather than failing the query. */
    na.sUserName = NULL;
    ck_assert_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    ck_assert_ptr_nonnull(na.sUserName);
    ck_assert_mem_eq(na.sUserName, "\xef\xbf\xbd", 3);
    ck_assert_status(FreeContextBuffer(na.sUserName), SEC_E_OK);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

START_TEST(test_output_too_small)
{
    uint8_t tok[4];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle x;
    uint32_t attrs;
    TimeStamp ts;
    uint32_t live = rec->live_contexts;

    SecInvalidateHandle(&x);
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
    ck_assert_uint_eq(rec->live_contexts, live);
}
END_TEST

START_TEST(test_allocate_memory_failure)
{
    SecBuffer ob[2] = {{0, SECBUFFER_TOKEN, NULL}, {0, SECBUFFER_ALERT, NULL}};
    SecBufferDesc od = {SECBUFFER_VERSION, 2, ob};
    CtxtHandle x;
    uint32_t attrs;
    TimeStamp ts;

    /* A failing leg hands out no memory. */
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL,
                                                (SEC_CHAR *)MOCK_STATUS_PREFIX "C000006D",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &x, &od, &attrs, &ts),
                     SEC_E_LOGON_DENIED);
    ck_assert_ptr_null(ob[0].pvBuffer);
    ck_assert_ptr_null(ob[1].pvBuffer);

    /* A buffer the package does not use is empty or freeable. */
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &x, &od, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(ob[0].pvBuffer);
    ck_assert_uint_eq(ob[0].cbBuffer, MOCK_TOKEN_LEN);
    ck_assert_status(FreeContextBuffer(ob[0].pvBuffer), SEC_E_OK);
    if (ob[1].pvBuffer != NULL)
        ck_assert_status(FreeContextBuffer(ob[1].pvBuffer), SEC_E_OK);
    else
        ck_assert_uint_eq(ob[1].cbBuffer, 0);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
}
END_TEST

START_TEST(test_export_delete_old)
{
    struct tu_pair p;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle imported, old;
    uint32_t user_deletes, lsa_deletes;

    ck_assert_status(tu_pair_open("MockGood", &p), SEC_E_OK);
    old = p.server;
    user_deletes = rec->user_delete_calls;
    lsa_deletes = rec->lsa_delete_calls;
    ck_assert_status(
        ExportSecurityContext(&p.server, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
        SEC_E_OK);
    /* The exported handle is gone.  The core carries out DELETE_OLD itself
     * (the package only serialised): it closed the handle, and the package's
     * user-mode and LSA deletes ran once no call was using the context. */
    ck_assert_status(tu_sign_verify(&old, &p.client, 0, 1), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&old), SEC_E_INVALID_HANDLE);
    ck_assert_uint_eq(rec->user_delete_calls, user_deletes + 1);
    ck_assert_uint_eq(rec->lsa_delete_calls, lsa_deletes + 1);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockGood", &packed, NULL, &imported),
                     SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&p.client, &imported, 0, 2), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&p.client), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&p.server_cred), SEC_E_OK);
}
END_TEST

/* ---- export / import ----------------------------------------------------- */

START_TEST(test_export_import)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    void *token = (void *)1;
    CtxtHandle imported, imported_w;
    uint32_t deletes = rec->user_delete_calls;

    ck_assert_status(ExportSecurityContext(&pair.server, 0, &packed, &token), SEC_E_OK);
    ck_assert_ptr_nonnull(packed.pvBuffer);
    ck_assert_uint_eq(packed.cbBuffer, 24);
    ck_assert_ptr_null(token);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockGood", &packed, NULL, &imported),
                     SEC_E_OK);
    ck_assert_status(ImportSecurityContextW((SEC_WCHAR *)u"mockgood", &packed, NULL, &imported_w),
                     SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert(imported.dwLower != imported_w.dwLower || imported.dwUpper != imported_w.dwUpper);

    /* The imported contexts speak with the client like the original. */
    ck_assert_status(tu_sign_verify(&pair.client, &imported, 3, 10), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&imported_w, &pair.client, 4, 11), SEC_E_OK);
    ck_assert_status(tu_sign_verify(&pair.client, &pair.server, 0, 12), SEC_E_OK);

    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_INVALID_HANDLE);
    ck_assert_status(DeleteSecurityContext(&imported_w), SEC_E_OK);
    ck_assert_uint_eq(rec->user_delete_calls, deletes + 2);
}
END_TEST

START_TEST(test_import_garbage)
{
    char junk[24] = "not an exported context";
    SecBuffer packed = {sizeof(junk), SECBUFFER_EMPTY, junk};
    CtxtHandle x;

    SecInvalidateHandle(&x);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockGood", &packed, NULL, &x),
                     SEC_E_INVALID_TOKEN);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
}
END_TEST

/* ---- A forms: strings and identities reach the package as UTF-16 --------- */

START_TEST(test_ansi_principal_and_target)
{
    CredHandle c;
    CtxtHandle x;
    TimeStamp ts;
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs, ansi_calls;

    ck_assert_status(AcquireCredentialsHandleA((SEC_CHAR *)"j\xc3\xbcrgen@EXAMPLE",
                                               (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND, NULL,
                                               NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_str_eq(rec->principal, "j\xc3\xbcrgen@EXAMPLE");
    ck_assert_uint_eq(rec->principal_length, 14 * 2);
    ck_assert_uint_ge(rec->principal_maximum, 14 * 2);
    ck_assert_uint_eq(rec->cred_use, SECPKG_CRED_OUTBOUND);

    ansi_calls = rec->isc_ansi_calls;
    ck_assert_status(InitializeSecurityContextA(&c, NULL, (SEC_CHAR *)"host/\xc3\xa9t\xc3\xa9", 0,
                                                0, SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_str_eq(rec->target, "host/\xc3\xa9t\xc3\xa9");
    ck_assert_uint_eq(rec->target_length, 8 * 2);
    ck_assert_uint_eq(rec->isc_ansi_calls, ansi_calls + 1);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);

    ob.cbBuffer = sizeof(tok);
    ck_assert_status(InitializeSecurityContextW(&c, NULL, (SEC_WCHAR *)u"host/\u00e9t\u00e9", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_str_eq(rec->target, "host/\xc3\xa9t\xc3\xa9");
    ck_assert_uint_eq(rec->isc_ansi_calls, ansi_calls + 1);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);

    /* A supplementary-plane character survives the conversion. */
    ck_assert_status(AcquireCredentialsHandleA((SEC_CHAR *)"\xf0\x9f\x94\x91",
                                               (SEC_CHAR *)"MockGood", SECPKG_CRED_INBOUND, NULL,
                                               NULL, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_str_eq(rec->principal, "\xf0\x9f\x94\x91");
    ck_assert_uint_eq(rec->principal_length, 4);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
}
END_TEST

START_TEST(test_ansi_invalid_target)
{
    CtxtHandle x;
    TimeStamp ts;
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs, calls = rec->isc_calls;

    ck_assert_msg(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"bad\xff\xfe", 0,
                                             0, SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                             &ts) < 0,
                  "invalid UTF-8 target accepted");
    ck_assert_uint_eq(rec->isc_calls, calls);
}
END_TEST

/* A plain ANSI identity reaches the package exactly as the caller gave it
 * (the same pointer), with SECPKG_CALL_ANSI: only the package knows what
 * pAuthData is. */
START_TEST(test_ansi_identity)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)"alice",
        .UserLength = 5,
        .Domain = (unsigned char *)"DOM\xc3\xa9",
        .DomainLength = 5,
        .Password = (unsigned char *)"p\xc3\xa4ss",
        .PasswordLength = 5,
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    CredHandle c;
    TimeStamp ts;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_uint_eq(rec->authdata_present, 1);
    ck_assert_uint_eq(rec->authdata_ptr, (uint64_t)(uintptr_t)&id);
    ck_assert_uint_eq(rec->identity_form, SSPI_IDENTITY_A);
    ck_assert_uint_eq(rec->identity_flags, SEC_WINNT_AUTH_IDENTITY_ANSI);
    ck_assert_msg(rec->call_attributes & SECPKG_CALL_ANSI, "no SECPKG_CALL_ANSI");
    ck_assert_str_eq(rec->identity_user, "alice");
    ck_assert_str_eq(rec->identity_domain, "DOM\xc3\xa9");
    ck_assert_str_eq(rec->identity_password, "p\xc3\xa4ss");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    /* The caller's structure is untouched. */
    ck_assert_uint_eq(id.Flags, SEC_WINNT_AUTH_IDENTITY_ANSI);
    ck_assert_str_eq((char *)id.User, "alice");
}
END_TEST

/* An EXA is a versioned identity: the package gets an EXW the core built
 * (UTF-16), never the caller's structure. */
START_TEST(test_exa_identity_converted)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = {
        .Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
        .Length = sizeof(id),
        .User = (unsigned char *)"carol",
        .UserLength = 5,
        .Domain = (unsigned char *)"D\xc3\xb6M",
        .DomainLength = 4,
        .Password = (unsigned char *)"s3cr\xc3\xa9t",
        .PasswordLength = 7,
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    CredHandle c;
    TimeStamp ts;

    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_msg(rec->authdata_ptr != (uint64_t)(uintptr_t)&id, "caller's EXA handed on");
    ck_assert_uint_eq(rec->identity_status, SEC_E_OK);
    ck_assert_uint_eq(rec->identity_form, SSPI_IDENTITY_EXW);
    ck_assert_uint_eq(rec->identity_flags, SEC_WINNT_AUTH_IDENTITY_UNICODE);
    ck_assert_msg(rec->call_attributes & SECPKG_CALL_ANSI, "no SECPKG_CALL_ANSI");
    ck_assert_str_eq(rec->identity_user, "carol");
    ck_assert_str_eq(rec->identity_domain, "D\xc3\xb6M");
    ck_assert_str_eq(rec->identity_password, "s3cr\xc3\xa9t");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    /* An EXA with invalid UTF-8 is refused before the package is called. */
    id.User = (unsigned char *)"bad\xff";
    id.UserLength = 4;
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_unicode_identity)
{
    SEC_WINNT_AUTH_IDENTITY_W id = {
        .User = (unsigned short *)u"bob",
        .UserLength = 3,
        .Domain = (unsigned short *)u"D\u00f6M",
        .DomainLength = 3,
        .Password = (unsigned short *)u"pw",
        .PasswordLength = 2,
        .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
    };
    CredHandle c;
    TimeStamp ts;

    ck_assert_status(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_uint_eq(rec->identity_flags, SEC_WINNT_AUTH_IDENTITY_UNICODE);
    ck_assert_str_eq(rec->identity_user, "bob");
    ck_assert_str_eq(rec->identity_domain, "D\xc3\xb6M");
    ck_assert_str_eq(rec->identity_password, "pw");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
    /* An A caller may pass a Unicode identity too. */
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGood", SECPKG_CRED_OUTBOUND,
                                               NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_OK);
    ck_assert_str_eq(rec->identity_user, "bob");
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_OK);
}
END_TEST

/* ---- packages that answer with nonsense ---------------------------------- */

START_TEST(test_garbage_statuses)
{
    CredHandle c;
    CtxtHandle x;
    TimeStamp ts;
    uint8_t tok[64], sig[MOCK_SIG_LEN];
    char msg[] = "m";
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer mb[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc md = {SECBUFFER_VERSION, 2, mb};
    SecPkgContext_Sizes sz;
    SecPkgCredentials_NamesW nw = {NULL};
    uint32_t attrs, qop;

    ck_assert_status(tu_ensure("mock-garbage", "MockGarbage"), SEC_E_OK);
    ck_assert_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"MockGarbage",
                                               SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                               &ts),
                     SEC_E_OK);
    ck_assert_status(QueryCredentialsAttributesW(&c, SECPKG_CRED_ATTR_NAMES, &nw),
                     (SECURITY_STATUS)0xDEADBEEFu);
    SecInvalidateHandle(&x);
    ck_assert_status(InitializeSecurityContextA(&c, NULL, (SEC_CHAR *)"x", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     (SECURITY_STATUS)0xDEADBEEFu);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
    ck_assert_status(
        AcceptSecurityContext(&c, NULL, &od, 0, SECURITY_NATIVE_DREP, &x, &od, &attrs, &ts),
        (SECURITY_STATUS)0xDEADBEEFu);

    /* Target "ok": one-leg success without a user-mode side. */
    ob.cbBuffer = sizeof(tok);
    ck_assert_status(InitializeSecurityContextA(&c, NULL, (SEC_CHAR *)"ok", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                &ts),
                     SEC_E_OK);
    ck_assert_status(MakeSignature(&x, 0, &md, 0), (SECURITY_STATUS)0x12345678);
    ck_assert_status(VerifySignature(&x, &md, 0, &qop), (SECURITY_STATUS)0xDEADBEEFu);
    ck_assert_status(EncryptMessage(&x, 0, &md, 0), (SECURITY_STATUS)-1);
    ck_assert_status(DecryptMessage(&x, &md, 0, &qop), (SECURITY_STATUS)0xDEADBEEFu);
    ck_assert_status(QueryContextAttributesW(&x, SECPKG_ATTR_SIZES, &sz),
                     (SECURITY_STATUS)0x12345678);
    /* Whatever the package says on delete, the handle is gone afterwards. */
    DeleteSecurityContext(&x);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
    FreeCredentialsHandle(&c);
    ck_assert_status(FreeCredentialsHandle(&c), SEC_E_INVALID_HANDLE);
}
END_TEST

/* ---- attributes the core answers ----------------------------------------- */

static void check_negotiation_info(CtxtHandle *h, uint32_t state, const char *name)
{
    SecPkgContext_NegotiationInfoW w = {NULL, 99};
    SecPkgContext_NegotiationInfoA a = {NULL, 99};
    union {
        SecPkgContext_NegotiationInfoW ni;
        unsigned char b[64];
    } ex;
    char16_t wname[64];

    for (size_t i = 0; i <= strlen(name); i++)
        wname[i] = (char16_t)name[i];
    ck_assert_status(QueryContextAttributesW(h, SECPKG_ATTR_NEGOTIATION_INFO, &w), SEC_E_OK);
    ck_assert_uint_eq(w.NegotiationState, state);
    ck_assert_ptr_nonnull(w.PackageInfo);
    ck_assert(memcmp(w.PackageInfo->Name, wname, (strlen(name) + 1) * 2) == 0);
    ck_assert_status(FreeContextBuffer(w.PackageInfo), SEC_E_OK);

    ck_assert_status(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &a), SEC_E_OK);
    ck_assert_uint_eq(a.NegotiationState, state);
    ck_assert_str_eq(a.PackageInfo->Name, name);
    ck_assert_status(FreeContextBuffer(a.PackageInfo), SEC_E_OK);

    memset(&ex, 0, sizeof(ex));
    ck_assert_status(QueryContextAttributesExW(h, SECPKG_ATTR_NEGOTIATION_INFO, &ex, 8),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_status(QueryContextAttributesExW(h, SECPKG_ATTR_NEGOTIATION_INFO, &ex, sizeof(ex)),
                     SEC_E_OK);
    ck_assert_uint_eq(ex.ni.NegotiationState, state);
    ck_assert_status(FreeContextBuffer(ex.ni.PackageInfo), SEC_E_OK);
}

/* SECPKG_ATTR_NEGOTIATION_INFO for a package that does not answer it:
 * SEC_E_OK, the package, IN_PROGRESS before the last leg, COMPLETE after,
 * for SSP/AP and provider packages and imported contexts alike. */
START_TEST(test_negotiation_info)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    CtxtHandle x, imported;
    struct tu_pair p;
    uint32_t attrs;

    check_negotiation_info(&pair.client, SECPKG_NEGOTIATION_COMPLETE, "MockGood");
    check_negotiation_info(&pair.server, SECPKG_NEGOTIATION_COMPLETE, "MockGood");
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)"t", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                NULL),
                     SEC_I_CONTINUE_NEEDED);
    check_negotiation_info(&x, SECPKG_NEGOTIATION_IN_PROGRESS, "MockGood");
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_OK);

    ck_assert_status(ExportSecurityContext(&pair.client, 0, &packed, NULL), SEC_E_OK);
    ck_assert_status(ImportSecurityContextA((SEC_CHAR *)"MockGood", &packed, NULL, &imported),
                     SEC_E_OK);
    ck_assert_status(FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    check_negotiation_info(&imported, SECPKG_NEGOTIATION_COMPLETE, "MockGood");
    ck_assert_status(DeleteSecurityContext(&imported), SEC_E_OK);

    ck_assert_status(tu_ensure("mock-provider", "MockProvider"), SEC_E_OK);
    ck_assert_status(tu_pair_open("MockProvider", &p), SEC_E_OK);
    check_negotiation_info(&p.client, SECPKG_NEGOTIATION_COMPLETE, "MockProvider");
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

/* A provider-shape package impersonates, reverts and hands out its token
 * itself: the calls reach its own functions, not the core's. */
START_TEST(test_provider_impersonates_itself)
{
    struct mock_state *ps;
    struct tu_pair p;
    HANDLE token = NULL;
    uint32_t imp, rev, tok;

    ck_assert_status(tu_ensure("mock-provider", "MockProvider"), SEC_E_OK);
    ps = tu_state("mock-provider");
    ck_assert_ptr_nonnull(ps);
    imp = ps->pkg[0].prov_impersonate_calls;
    rev = ps->pkg[0].prov_revert_calls;
    tok = ps->pkg[0].prov_token_calls;
    ck_assert_status(tu_pair_open("MockProvider", &p), SEC_E_OK);
    ck_assert_status(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    ck_assert_uint_eq(ps->pkg[0].prov_impersonate_calls, imp + 1);
    ck_assert_status(RevertSecurityContext(&p.server), SEC_E_OK);
    ck_assert_uint_eq(ps->pkg[0].prov_revert_calls, rev + 1);
    ck_assert_status(QuerySecurityContextToken(&p.server, &token), SEC_E_OK);
    ck_assert_ptr_eq(token, MOCK_PROVIDER_TOKEN);
    ck_assert_uint_eq(ps->pkg[0].prov_token_calls, tok + 1);
    ck_assert_status(tu_pair_close(&p), SEC_E_OK);
}
END_TEST

/* ---- containment of broken packages -------------------------------------- */

/* ContextData not from AllocateLsaHeap (read-only, or shorter than it
 * claims) is refused, never written or read past its end. */
START_TEST(test_context_data_not_ours)
{
    static const char *const targets[] = {MOCK_TARGET_STATIC_CTXDATA, MOCK_TARGET_SHORT_CTXDATA};
    struct tu_pair p;

    for (size_t i = 0; i < 2; i++) {
        uint32_t live = rec->live_contexts, inits = rec->init_user_mode_calls;

        ck_assert_status(tu_pair_open_target("MockGood", targets[i], &p), SEC_E_INTERNAL_ERROR);
        ck_assert_uint_eq(rec->init_user_mode_calls, inits);
        ck_assert_uint_eq(rec->live_contexts, live);
    }
}
END_TEST

/* What a broken first leg did to the caller's output buffer is undone and
 * the call fails; no context is left behind. */
static void broken_first_leg(const char *target, bool allocate)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t live = rec->live_contexts, attrs;
    CtxtHandle x;

    if (allocate)
        ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    SecInvalidateHandle(&x);
    ck_assert_status(InitializeSecurityContextA(&pair.client_cred, NULL, (SEC_CHAR *)target,
                                                allocate ? ISC_REQ_ALLOCATE_MEMORY : 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                                NULL),
                     SEC_E_INTERNAL_ERROR);
    ck_assert_msg(ob.pvBuffer == (allocate ? NULL : (void *)tok), "%s: pvBuffer not restored",
                  target);
    ck_assert_uint_eq(ob.cbBuffer, 0);
    ck_assert_uint_eq(ob.BufferType, SECBUFFER_TOKEN);
    ck_assert_uint_eq(od.cBuffers, 1);
    ck_assert(od.pBuffers == &ob);
    ck_assert_status(DeleteSecurityContext(&x), SEC_E_INVALID_HANDLE);
    ck_assert_uint_eq(rec->live_contexts, live);
}

START_TEST(test_output_buffers_checked)
{
    broken_first_leg(MOCK_TARGET_LONG_TOKEN, false);
    broken_first_leg(MOCK_TARGET_LONG_TOKEN, true);
    broken_first_leg(MOCK_TARGET_RETYPE_TOKEN, false);
    broken_first_leg(MOCK_TARGET_RETYPE_TOKEN, true);
    broken_first_leg(MOCK_TARGET_FOREIGN_TOKEN, false);
    broken_first_leg(MOCK_TARGET_FOREIGN_TOKEN, true);
}
END_TEST

static int scenario_broken_trace(void)
{
    uint8_t tok[64];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    struct tu_pair p;
    uint32_t attrs;
    CtxtHandle x;

    SC_STATUS(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    SC_STATUS(tu_pair_open("MockGood", &p), SEC_E_OK);
    SC_STATUS(InitializeSecurityContextA(&p.client_cred, NULL, (SEC_CHAR *)MOCK_TARGET_LONG_TOKEN,
                                         0, 0, SECURITY_NATIVE_DREP, NULL, 0, &x, &od, &attrs,
                                         NULL),
              SEC_E_INTERNAL_ERROR);
    SC_STATUS(tu_pair_close(&p), SEC_E_OK);
    SC_STATUS(tu_pair_open_target("MockGood", MOCK_TARGET_STATIC_CTXDATA, &p),
              SEC_E_INTERNAL_ERROR);
    return 0;
}

/* Each refusal leaves a LIBSSPI_DEBUG line that names the package. */
START_TEST(test_containment_is_traced)
{
    char log[4096], env[4200], *text;
    FILE *f;
    size_t n;

    snprintf(log, sizeof(log), "%s/broken.log", tu_tmpdir());
    snprintf(env, sizeof(env), "LIBSSPI_DEBUG=%s", log);
    ck_assert_int_eq(tu_run_scenario("broken-trace", NULL, env, NULL), 0);
    f = fopen(log, "r");
    ck_assert_ptr_nonnull(f);
    text = calloc(1, 1 << 20);
    n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_msg(strstr(text, "package MockGood: output buffer 0: cbBuffer larger") != NULL,
                  "no trace line for the output buffer");
    ck_assert_msg(strstr(text, "package MockGood: ContextData") != NULL,
                  "no trace line for the ContextData");
    free(text);
}
END_TEST

static const struct tu_scenario scenarios[] = {
    {"broken-trace", scenario_broken_trace},
    {NULL, NULL},
};

static Suite *dispatch_suite(void)
{
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("pass-through");

    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_sign_pass_through);
    tcase_add_test(tc, test_seal_pass_through);
    tcase_add_test(tc, test_context_attributes_dispatch);
    suite_add_tcase(s, tc);

    tc = tcase_create("status");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_loop_test(tc, test_map_message_calls, 0, (int)NMAP);
    tcase_add_loop_test(tc, test_map_acquire, 0, (int)NMAP);
    tcase_add_loop_test(tc, test_map_initialize, 0, (int)NMAP);
    tcase_add_loop_test(tc, test_map_accept, 0, (int)NMAP);
    suite_add_tcase(s, tc);

    tc = tcase_create("contexts");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_mapped_context);
    tcase_add_test(tc, test_incomplete_context);
    tcase_add_test(tc, test_expiry_and_attributes);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_import_garbage);
    tcase_add_test(tc, test_user_init_failure);
    tcase_add_test(tc, test_user_init_frees_packed);
    tcase_add_test(tc, test_names_null_and_bad);
    tcase_add_test(tc, test_output_too_small);
    tcase_add_test(tc, test_allocate_memory_failure);
    tcase_add_test(tc, test_export_delete_old);
    tcase_add_test(tc, test_negotiation_info);
    tcase_add_test(tc, test_provider_impersonates_itself);
    suite_add_tcase(s, tc);

    tc = tcase_create("ansi");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_ansi_principal_and_target);
    tcase_add_test(tc, test_ansi_invalid_target);
    tcase_add_test(tc, test_ansi_identity);
    tcase_add_test(tc, test_exa_identity_converted);
    tcase_add_test(tc, test_unicode_identity);
    suite_add_tcase(s, tc);

    tc = tcase_create("containment");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_context_data_not_ours);
    tcase_add_test(tc, test_output_buffers_checked);
    tcase_add_test(tc, test_containment_is_traced);
    suite_add_tcase(s, tc);

    tc = tcase_create("garbage");
    tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
    tcase_add_test(tc, test_garbage_statuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    return tu_main(argc, argv, dispatch_suite, scenarios);
}
