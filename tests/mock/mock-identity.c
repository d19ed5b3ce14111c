/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-identity.c - "MockIdentity": the shared engine's package plus
 * LSA CallPackage, CallPackageUntrusted and CallPackagePassthrough slots
 * driven by the message type (mock-identity.h), and server contexts that
 * report the client name a test chooses (for impersonation tests).
 */
#include <stdlib.h>
#include <string.h>

#include "mock-common.h"
#include "mock-identity.h"

MOCK_EXPORT struct mock_identity_state mock_identity_state = {.magic = MOCK_IDENTITY_MAGIC};

static const struct mock_pkg_desc identity_desc[] = {
    {u"MockIdentity", u"LSA calls and client names",
     SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_CONNECTION | SECPKG_FLAG_IMPERSONATION, 1, SECPKG_ID_NONE,
     64, STATUS_SUCCESS},
};

static SECPKG_FUNCTION_TABLE identity_lsa;
static SECPKG_USER_FUNCTION_TABLE identity_user;
static PLSA_SECPKG_FUNCTION_TABLE lsa;
static SpInitializeFn *engine_initialize;
static SpQueryContextAttributesFn *engine_lsa_qca, *engine_user_qca;

static NTSTATUS NTAPI initialize(ULONG_PTR id, PSECPKG_PARAMETERS params,
                                 PLSA_SECPKG_FUNCTION_TABLE table)
{
    lsa = table;
    return engine_initialize(id, params, table);
}

/* NAMES of a server context: the chosen name, from the package heap. */
static NTSTATUS names(SpQueryContextAttributesFn *engine, LSA_SEC_HANDLE h, ULONG attr,
                      PVOID buffer)
{
    uint32_t side = 0;
    const char *name = mock_identity_state.server_name;
    size_t n = strlen(name);
    char16_t *w;

    if (attr != SECPKG_ATTR_NAMES || n == 0 || buffer == NULL ||
        engine(h, MOCK_ATTR_SIDE, &side) != STATUS_SUCCESS || side != 2)
        return engine(h, attr, buffer);
    w = lsa->AllocateLsaHeap((ULONG)((n + 1) * sizeof(char16_t)));
    if (w == NULL)
        return STATUS_NO_MEMORY;
    for (size_t i = 0; i < n; i++) /* ASCII names only */
        w[i] = (char16_t)(unsigned char)name[i];
    ((SecPkgContext_NamesW *)buffer)->sUserName = w;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_qca(LSA_SEC_HANDLE h, ULONG attr, PVOID buffer)
{
    return names(engine_lsa_qca, h, attr, buffer);
}

static NTSTATUS NTAPI user_qca(LSA_SEC_HANDLE h, ULONG attr, PVOID buffer)
{
    return names(engine_user_qca, h, attr, buffer);
}

/* A reply of `len` bytes copied from `data` (AllocateClientBuffer). */
static NTSTATUS reply(PLSA_CLIENT_REQUEST req, const void *data, ULONG len, PVOID *ret,
                      PULONG retlen)
{
    NTSTATUS st = lsa->AllocateClientBuffer(req, len, ret);

    if (st != STATUS_SUCCESS)
        return st;
    st = lsa->CopyToClientBuffer(req, len, *ret, (PVOID)data);
    *retlen = len;
    return st;
}

static NTSTATUS relocate(PLSA_CLIENT_REQUEST req, struct mock_relocate *m, PVOID base, ULONG len,
                         PVOID *ret, PULONG retlen)
{
    uintptr_t off = (uintptr_t)m->buffer - (uintptr_t)base;

    /* The string must lie inside the caller's buffer, as a package checks. */
    if ((uintptr_t)m->buffer < (uintptr_t)base || off > len || m->length > len - off)
        return STATUS_INVALID_PARAMETER;
    return reply(req, (uint8_t *)m + off, m->length, ret, retlen);
}

static NTSTATUS message(PLSA_CLIENT_REQUEST req, PVOID submit, PVOID base, ULONG len, PVOID *ret,
                        PULONG retlen, PNTSTATUS proto)
{
    uint32_t type = 0;
    SECPKG_CALL_INFO info;

    mock_identity_state.last_submit = (uint64_t)(uintptr_t)submit;
    mock_identity_state.last_client_base = (uint64_t)(uintptr_t)base;
    mock_identity_state.last_length = len;
    *proto = STATUS_SUCCESS;
    if (len >= sizeof(type))
        memcpy(&type, submit, sizeof(type));
    switch (type) {
    case MOCK_MSG_ECHO:
        return reply(req, submit, len, ret, retlen);
    case MOCK_MSG_PROTOCOL_FAIL:
        *proto = STATUS_NO_SUCH_USER;
        return STATUS_SUCCESS;
    case MOCK_MSG_FAIL_WITH_BUFFER:
        (void)reply(req, submit, len, ret, retlen);
        return STATUS_INVALID_PARAMETER;
    case MOCK_MSG_FOREIGN_BUFFER:
        *ret = malloc(16);
        mock_identity_state.foreign = (uint64_t)(uintptr_t)*ret;
        *retlen = 16;
        return STATUS_SUCCESS;
    case MOCK_MSG_LENGTH_LIES: {
        NTSTATUS st = reply(req, submit, 8, ret, retlen);

        *retlen = 4096;
        return st;
    }
    case MOCK_MSG_RELOCATE:
        if (len < sizeof(struct mock_relocate))
            return STATUS_INVALID_PARAMETER;
        return relocate(req, submit, base, len, ret, retlen);
    case MOCK_MSG_PASSTHROUGH: {
        static const char16_t self[] = u"MockIdentity";
        UNICODE_STRING name = {sizeof(self) - 2, sizeof(self), (PWSTR)self};
        uint32_t echo[4] = {MOCK_MSG_ECHO, 0x50415353u, 0, 0}; /* "PASS" */

        return lsa->CallPackagePassthrough(&name, echo, echo, sizeof(echo), ret, retlen, proto);
    }
    case MOCK_MSG_SCRIBBLE:
        memset(submit, 0xEE, len);
        return STATUS_SUCCESS;
    case MOCK_MSG_CALL_INFO:
        memset(&info, 0, sizeof(info));
        lsa->GetCallInfo(&info);
        return reply(req, &info.Attributes, sizeof(info.Attributes), ret, retlen);
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

static NTSTATUS NTAPI call_package(PLSA_CLIENT_REQUEST req, PVOID submit, PVOID base, ULONG len,
                                   PVOID *ret, PULONG retlen, PNTSTATUS proto)
{
    mock_identity_state.calls++;
    return message(req, submit, base, len, ret, retlen, proto);
}

static NTSTATUS NTAPI call_untrusted(PLSA_CLIENT_REQUEST req, PVOID submit, PVOID base, ULONG len,
                                     PVOID *ret, PULONG retlen, PNTSTATUS proto)
{
    mock_identity_state.untrusted_calls++;
    return message(req, submit, base, len, ret, retlen, proto);
}

static NTSTATUS NTAPI call_passthrough(PLSA_CLIENT_REQUEST req, PVOID submit, PVOID base, ULONG len,
                                       PVOID *ret, PULONG retlen, PNTSTATUS proto)
{
    mock_identity_state.passthrough_calls++;
    return message(req, submit, base, len, ret, retlen, proto);
}

/* LSA-mode entry point: one table, version 2, with the CallPackage slots. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(identity_desc, 1);
    mock_fill_lsa_v1(0, &identity_lsa, true);
    engine_initialize = identity_lsa.Initialize;
    engine_lsa_qca = identity_lsa.QueryContextAttributes;
    identity_lsa.Initialize = initialize;
    identity_lsa.QueryContextAttributes = lsa_qca;
    identity_lsa.CallPackage = call_package;
    identity_lsa.CallPackageUntrusted = call_untrusted;
    identity_lsa.CallPackagePassthrough = call_passthrough;
    *PackageVersion = SECPKG_INTERFACE_VERSION_2;
    *ppTables = &identity_lsa;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/* User-mode entry point. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(identity_desc, 1);
    mock_fill_user_v1(0, &identity_user);
    engine_user_qca = identity_user.QueryContextAttributes;
    identity_user.QueryContextAttributes = user_qca;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &identity_user;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
