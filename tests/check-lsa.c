/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-lsa.c - the LSA client calls of <ntsecapi.h>: connections,
 * package lookup, LsaCallAuthenticationPackage reaching a package's
 * CallPackage / CallPackageUntrusted slots (and CallPackagePassthrough
 * through the LSA service) with the buffer conventions of Windows, the
 * return buffer freed with LsaFreeReturnBuffer, logon sessions.  The
 * package is MockIdentity (tests/mock/mock-identity.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntsecapi.h"
#include "ntsecpkg.h"
#include "test-util.h"
#include "winerror.h"

#define ck_nt(actual, expected)                                                                    \
    do {                                                                                           \
        NTSTATUS a_ = (actual), e_ = (expected);                                                   \
        ck_assert_msg(a_ == e_, "%s: got 0x%08x, expected 0x%08x", #actual, (unsigned)a_,          \
                      (unsigned)e_);                                                               \
    } while (0)

static struct mock_identity_state *mis(void)
{
    struct mock_identity_state *s = tu_identity_state();

    ck_assert_ptr_nonnull(s);
    return s;
}

static LSA_STRING lsa_string(const char *s)
{
    LSA_STRING l = {(USHORT)strlen(s), (USHORT)strlen(s), (PCHAR)s};

    return l;
}

static ULONG package_id(HANDLE lsa, const char *name)
{
    LSA_STRING n = lsa_string(name);
    ULONG id = 0xdead;

    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id), STATUS_SUCCESS);
    return id;
}

START_TEST(test_connect_and_lookup)
{
    HANDLE lsa = NULL;
    LSA_STRING n = lsa_string("mockidentity"), empty = lsa_string("");
    char longname[200];
    LSA_STRING lng;
    ULONG id = 0, id2 = 0;

    mis();
    ck_nt(LsaConnectUntrusted(NULL), STATUS_INVALID_PARAMETER);
    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_assert_ptr_nonnull(lsa);
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id), STATUS_SUCCESS);
    n = lsa_string("MOCKIDENTITY");
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id2), STATUS_SUCCESS);
    ck_assert_uint_eq(id, id2);
    n = lsa_string("NoSuchPackage");
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id), STATUS_NO_SUCH_PACKAGE);
    ck_nt(LsaLookupAuthenticationPackage(lsa, &empty, &id), STATUS_NO_SUCH_PACKAGE);
    memset(longname, 'x', sizeof(longname));
    lng.Buffer = longname;
    lng.Length = lng.MaximumLength = 128;
    ck_nt(LsaLookupAuthenticationPackage(lsa, &lng, &id), STATUS_NAME_TOO_LONG);
    ck_nt(LsaLookupAuthenticationPackage(lsa, NULL, &id), STATUS_INVALID_PARAMETER);
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, NULL), STATUS_INVALID_PARAMETER);
    n.Buffer = NULL;
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id), STATUS_INVALID_PARAMETER);
    /* Handles that are not connections. */
    n = lsa_string("MockIdentity");
    ck_nt(LsaLookupAuthenticationPackage(NULL, &n, &id), STATUS_INVALID_HANDLE);
    ck_nt(LsaLookupAuthenticationPackage((HANDLE)&id, &n, &id), STATUS_INVALID_HANDLE);
    ck_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    ck_nt(LsaDeregisterLogonProcess(lsa), STATUS_INVALID_HANDLE);
    ck_nt(LsaLookupAuthenticationPackage(lsa, &n, &id), STATUS_INVALID_HANDLE);
    ck_nt(LsaDeregisterLogonProcess(NULL), STATUS_INVALID_HANDLE);
}
END_TEST

START_TEST(test_register_logon_process)
{
    HANDLE lsa = NULL;
    LSA_STRING n = lsa_string("check-lsa");
    LSA_OPERATIONAL_MODE mode = 77;
    char big[200];
    LSA_STRING lng = {128, 128, big};

    mis();
    memset(big, 'a', sizeof(big));
    ck_nt(LsaRegisterLogonProcess(NULL, &lsa, &mode), STATUS_INVALID_PARAMETER);
    ck_nt(LsaRegisterLogonProcess(&lng, &lsa, &mode), STATUS_NAME_TOO_LONG);
    if (geteuid() != 0) {
        ck_nt(LsaRegisterLogonProcess(&n, &lsa, &mode), STATUS_PORT_CONNECTION_REFUSED);
        return;
    }
    ck_nt(LsaRegisterLogonProcess(&n, &lsa, &mode), STATUS_SUCCESS);
    ck_assert_uint_eq(mode, 0);
    ck_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
}
END_TEST

/* Untrusted connections reach CallPackageUntrusted; the package gets a
 * copy of the submit buffer and the caller's address as ClientBufferBase. */
START_TEST(test_call_untrusted_echo)
{
    struct mock_identity_state *s = mis();
    HANDLE lsa;
    uint32_t msg[6] = {MOCK_MSG_ECHO, 1, 2, 3, 4, 5};
    PVOID ret = NULL;
    ULONG retlen = 0, calls = s->calls, untrusted = s->untrusted_calls;
    NTSTATUS proto = -1;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_nt(proto, STATUS_SUCCESS);
    ck_assert_uint_eq(s->untrusted_calls, untrusted + 1);
    ck_assert_uint_eq(s->calls, calls);
    ck_assert_uint_eq(s->last_client_base, (uint64_t)(uintptr_t)msg);
    ck_assert_uint_ne(s->last_submit, (uint64_t)(uintptr_t)msg); /* a copy */
    ck_assert_uint_eq(s->last_length, sizeof(msg));
    ck_assert_uint_eq(retlen, sizeof(msg));
    ck_assert_int_eq(memcmp(ret, msg, sizeof(msg)), 0);
    ck_nt(LsaFreeReturnBuffer(ret), STATUS_SUCCESS);
    ck_nt(LsaFreeReturnBuffer(NULL), STATUS_SUCCESS);
    ck_nt(LsaFreeReturnBuffer(msg), STATUS_INVALID_PARAMETER); /* not ours: not freed */
    ck_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
}
END_TEST

/* The package may rewrite its copy; the caller's buffer stays as it was. */
START_TEST(test_call_submit_is_copied)
{
    mis();
    HANDLE lsa;
    uint32_t msg[4] = {MOCK_MSG_SCRIBBLE, 0x11111111u, 0x22222222u, 0x33333333u};
    PVOID ret = (PVOID)1;
    ULONG retlen = 9;
    NTSTATUS proto;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_assert_uint_eq(msg[0], MOCK_MSG_SCRIBBLE);
    ck_assert_uint_eq(msg[3], 0x33333333u);
    ck_assert_ptr_null(ret);
    ck_assert_uint_eq(retlen, 0);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* Embedded pointers are relocated with ClientBufferBase, as Kerberos does. */
START_TEST(test_call_relocate)
{
    mis();
    HANDLE lsa;
    struct mock_relocate m = {.type = MOCK_MSG_RELOCATE, .length = 8, .maximum = 8};
    PVOID ret = NULL;
    ULONG retlen = 0;
    NTSTATUS proto;

    memcpy(m.chars, u"host", 8);
    m.buffer = (uint64_t)(uintptr_t)m.chars;
    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), &m, sizeof(m), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_assert_uint_eq(retlen, 8);
    ck_assert_int_eq(memcmp(ret, u"host", 8), 0);
    LsaFreeReturnBuffer(ret);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* Protocol failures come back in ProtocolStatus; call failures as the
 * result, with no buffer (the package's is freed by the core). */
START_TEST(test_call_statuses)
{
    mis();
    HANDLE lsa;
    uint32_t msg[2] = {MOCK_MSG_PROTOCOL_FAIL, 0};
    PVOID ret = (PVOID)1;
    ULONG retlen = 5, id;
    NTSTATUS proto = 0;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    id = package_id(lsa, "MockIdentity");
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_SUCCESS);
    ck_nt(proto, STATUS_NO_SUCH_USER);
    ck_assert_ptr_null(ret);
    msg[0] = MOCK_MSG_FAIL_WITH_BUFFER;
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_INVALID_PARAMETER);
    ck_assert_ptr_null(ret);
    ck_assert_uint_eq(retlen, 0);
    msg[0] = 999; /* unknown message */
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_INVALID_PARAMETER);
    /* Bad arguments. */
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), NULL, &retlen, &proto),
          STATUS_INVALID_PARAMETER);
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, NULL, &proto),
          STATUS_INVALID_PARAMETER);
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, NULL),
          STATUS_INVALID_PARAMETER);
    ck_nt(LsaCallAuthenticationPackage(lsa, id, NULL, 8, &ret, &retlen, &proto),
          STATUS_INVALID_PARAMETER);
    ck_nt(LsaCallAuthenticationPackage(lsa, 0x7fff1234u, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_NO_SUCH_PACKAGE);
    ck_nt(LsaCallAuthenticationPackage(NULL, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_INVALID_HANDLE);
    ck_nt(LsaCallAuthenticationPackage(lsa, id, (PVOID)(uintptr_t)8, 8, &ret, &retlen, &proto),
          STATUS_ACCESS_VIOLATION);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* A package that returns memory the caller could not free, or announces
 * more than it gives, is refused; nothing is read past its buffer. */
START_TEST(test_call_bad_return_buffers)
{
    struct mock_identity_state *s = mis();
    HANDLE lsa;
    uint32_t msg[2] = {MOCK_MSG_FOREIGN_BUFFER, 0};
    PVOID ret = (PVOID)1;
    ULONG retlen = 5, id;
    NTSTATUS proto;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    id = package_id(lsa, "MockIdentity");
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_INTERNAL_ERROR);
    ck_assert_ptr_null(ret);
    ck_assert_uint_eq(retlen, 0);
    free((void *)(uintptr_t)s->foreign); /* still the package's */
    msg[0] = MOCK_MSG_LENGTH_LIES;
    ck_nt(LsaCallAuthenticationPackage(lsa, id, msg, sizeof(msg), &ret, &retlen, &proto),
          STATUS_INTERNAL_ERROR);
    ck_assert_ptr_null(ret);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* A package's own CallPackagePassthrough, reached through the LSA service
 * CallPackagePassthrough a package calls. */
START_TEST(test_call_passthrough_service)
{
    struct mock_identity_state *s = mis();
    HANDLE lsa;
    uint32_t msg[2] = {MOCK_MSG_PASSTHROUGH, 0}, *reply;
    PVOID ret = NULL;
    ULONG retlen = 0, before = s->passthrough_calls;
    NTSTATUS proto;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_assert_uint_eq(s->passthrough_calls, before + 1);
    ck_assert_uint_eq(retlen, 16);
    reply = ret;
    ck_assert_uint_eq(reply[1], 0x50415353u);
    LsaFreeReturnBuffer(ret);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* Trusted connections (uid 0) reach CallPackage with SECPKG_CALL_IS_TCB;
 * untrusted ones do not see it. */
START_TEST(test_call_trusted)
{
    struct mock_identity_state *s = mis();
    HANDLE lsa;
    LSA_STRING n = lsa_string("check-lsa");
    LSA_OPERATIONAL_MODE mode;
    uint32_t msg[2] = {MOCK_MSG_CALL_INFO, 0};
    PVOID ret = NULL;
    ULONG retlen = 0, calls = s->calls;
    NTSTATUS proto;

    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_assert_uint_eq(retlen, 4);
    ck_assert_uint_eq(*(uint32_t *)ret & SECPKG_CALL_IS_TCB, 0);
    LsaFreeReturnBuffer(ret);
    LsaDeregisterLogonProcess(lsa);
    if (geteuid() != 0)
        return;
    ck_nt(LsaRegisterLogonProcess(&n, &lsa, &mode), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockIdentity"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_SUCCESS);
    ck_assert_uint_eq(s->calls, calls + 1);
    ck_assert_uint_ne(*(uint32_t *)ret & SECPKG_CALL_IS_TCB, 0);
    LsaFreeReturnBuffer(ret);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

/* A package without the slot. */
START_TEST(test_call_missing_slot)
{
    HANDLE lsa;
    uint32_t msg[2] = {MOCK_MSG_ECHO, 0};
    PVOID ret;
    ULONG retlen;
    NTSTATUS proto;

    ck_assert_status(tu_ensure("mock-good", "MockGood"), SEC_E_OK);
    ck_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ck_nt(LsaCallAuthenticationPackage(lsa, package_id(lsa, "MockGood"), msg, sizeof(msg), &ret,
                                       &retlen, &proto),
          STATUS_NOT_SUPPORTED);
    LsaDeregisterLogonProcess(lsa);
}
END_TEST

START_TEST(test_logon_sessions)
{
    ULONG n = 0;
    PLUID list = NULL;
    PSECURITY_LOGON_SESSION_DATA d = NULL;
    LUID bogus = {12345, 0x1234};
    const uint8_t *sid;

    ck_nt(LsaEnumerateLogonSessions(NULL, &list), STATUS_INVALID_PARAMETER);
    ck_nt(LsaEnumerateLogonSessions(&n, &list), STATUS_SUCCESS);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(list[0].LowPart, (uint32_t)geteuid());
    ck_nt(LsaGetLogonSessionData(&list[0], &d), STATUS_SUCCESS);
    ck_assert_uint_eq(d->Size, sizeof(*d));
    ck_assert_uint_eq(d->LogonId.LowPart, list[0].LowPart);
    ck_assert_uint_gt(d->UserName.Length, 0);
    ck_assert_uint_gt(d->LogonDomain.Length, 0);
    sid = d->Sid;
    ck_assert_uint_eq(sid[0], 1);  /* revision */
    ck_assert_uint_eq(sid[1], 2);  /* sub-authorities */
    ck_assert_uint_eq(sid[7], 22); /* S-1-22: Unix users */
    ck_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    ck_nt(LsaGetLogonSessionData(&bogus, &d), STATUS_NO_SUCH_LOGON_SESSION);
    ck_nt(LsaGetLogonSessionData(NULL, &d), STATUS_INVALID_PARAMETER);
    ck_nt(LsaGetLogonSessionData(&list[0], NULL), STATUS_INVALID_PARAMETER);
    ck_nt(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
}
END_TEST

START_TEST(test_nt_status_to_win_error)
{
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_SUCCESS), 0);
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_NO_SUCH_PACKAGE), ERROR_NO_SUCH_PACKAGE);
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_INVALID_PARAMETER), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_NO_SUCH_LOGON_SESSION),
                      ERROR_NO_SUCH_LOGON_SESSION);
    ck_assert_uint_eq(LsaNtStatusToWinError((NTSTATUS)0xC0FFEE00u), 317);
}
END_TEST

/* Scenario: a process that is not root sees only its own session and may
 * not read root's. */
static int scenario_sessions_unprivileged(void)
{
    LUID root = {0, 0x4C53};
    PSECURITY_LOGON_SESSION_DATA d = NULL;
    ULONG n = 0;
    PLUID list = NULL;

    SC_CHECK(geteuid() != 0);
    SC_CHECK(LsaGetLogonSessionData(&root, &d) == STATUS_ACCESS_DENIED);
    SC_CHECK(LsaEnumerateLogonSessions(&n, &list) == STATUS_SUCCESS);
    SC_CHECK(n == 1 && list[0].LowPart == (uint32_t)geteuid());
    LsaFreeReturnBuffer(list);
    return 0;
}

START_TEST(test_sessions_unprivileged)
{
    if (geteuid() != 0)
        ck_assert_int_eq(scenario_sessions_unprivileged(), 0);
    else
        ck_assert_int_eq(tu_run_scenario("sessions-unprivileged",
                                         tu_write_public("open.conf", "autoload = no\n"),
                                         "TU_DROP_TO=65534", NULL),
                         0);
}
END_TEST

static Suite *lsa_suite(void)
{
    Suite *s = suite_create("lsa");
    TCase *tc = tcase_create("client");

    tcase_add_test(tc, test_connect_and_lookup);
    tcase_add_test(tc, test_register_logon_process);
    tcase_add_test(tc, test_call_untrusted_echo);
    tcase_add_test(tc, test_call_submit_is_copied);
    tcase_add_test(tc, test_call_relocate);
    tcase_add_test(tc, test_call_statuses);
    tcase_add_test(tc, test_call_bad_return_buffers);
    tcase_add_test(tc, test_call_passthrough_service);
    tcase_add_test(tc, test_call_trusted);
    tcase_add_test(tc, test_call_missing_slot);
    tcase_add_test(tc, test_logon_sessions);
    tcase_add_test(tc, test_nt_status_to_win_error);
    tcase_add_test(tc, test_sessions_unprivileged);
    suite_add_tcase(s, tc);
    return s;
}

static const struct tu_scenario scenarios[] = {
    {"sessions-unprivileged", scenario_sessions_unprivileged},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return tu_main(argc, argv, lsa_suite, scenarios);
}
