/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-lsa.c - the LSA client calls of <ntsecapi.h> (LsaConnectUntrusted,
 * LsaRegisterLogonProcess, LsaLookupAuthenticationPackage,
 * LsaCallAuthenticationPackage, LsaFreeReturnBuffer, logon sessions) and
 * the package-to-package CallPackage services of the LSA function table.
 *
 * A call reaches the package's LSA-mode slot as on Windows:
 * LsaCallAuthenticationPackage on a trusted connection (LsaRegisterLogonProcess,
 * which here needs an effective uid of 0, the POSIX counterpart of
 * SeTcbPrivilege) goes to CallPackage with SECPKG_CALL_IS_TCB in the call
 * attributes; on an untrusted one (LsaConnectUntrusted) to
 * CallPackageUntrusted; the LSA services CallPackage / CallPackageEx /
 * CallPackagePassthrough go to the named package's CallPackage /
 * CallPackage / CallPackagePassthrough.  The submit buffer is copied into
 * memory of the core (the package may rewrite it, e.g. to relocate the
 * pointers inside) and ClientBufferBase is the caller's address, so the
 * package can relocate them.  The return buffer must come from
 * AllocateClientBuffer / AllocateLsaHeap (the allocator LsaFreeReturnBuffer
 * and FreeContextBuffer free) and be as long as the package says; anything
 * else is refused with STATUS_INTERNAL_ERROR and nothing foreign is freed.
 *
 * Statuses (NTSTATUS, as Windows returns them): STATUS_INVALID_HANDLE for
 * a handle that is not a live LSA connection; STATUS_INVALID_PARAMETER for
 * NULL out pointers or a NULL submit buffer with a length;
 * STATUS_ACCESS_VIOLATION for a submit buffer that cannot be read;
 * STATUS_NAME_TOO_LONG for names over 127 bytes; STATUS_NO_SUCH_PACKAGE
 * for an unknown package (or one that is not an SSP/AP);
 * STATUS_NOT_SUPPORTED for a NULL slot; otherwise what the package returns,
 * with its ProtocolStatus.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/utf16.h"
#include "core/api-internal.h"
#include "core/identity-core.h"
#include "core/token.h"
#include "ntsecapi.h"

#define LSA_NAME_MAX 127         /* bytes, as Windows limits package and process names */
#define SUBMIT_MAX   (16u << 20) /* largest submit buffer copied */

enum call_slot { SLOT_TRUSTED, SLOT_UNTRUSTED, SLOT_PASSTHROUGH };

/* ---- finding packages --------------------------------------------------------- */

static struct sspi_package *package_by_name(const char *name)
{
    struct sspi_package *pkg;

    if (strcasecmp(name, MSV1_0_PACKAGE_NAME) == 0)
        name = "NTLM";
    pkg = sspi_registry_find_a(name);
    return pkg != NULL && pkg->shape == SSPI_SHAPE_SSPAP ? pkg : NULL;
}

static struct sspi_package *package_by_id(uint32_t id)
{
    struct sspi_package **pkgs = NULL, *found = NULL;
    uint32_t n = 0;

    if (sspi_registry_snapshot(&pkgs, &n) != SEC_E_OK)
        return NULL;
    for (uint32_t i = 0; i < n; i++) {
        if (pkgs[i]->id == id && pkgs[i]->shape == SSPI_SHAPE_SSPAP)
            found = pkgs[i];
    }
    free(pkgs);
    return found;
}

/* ---- the call ----------------------------------------------------------------------- */

/*
 * Call `slot` of `pkg` with a copy of the submit buffer.  `base` is the
 * caller's address of it (ClientBufferBase).  Outputs are always written:
 * NULL/0 unless the package returned a buffer we can hand on.
 */
static NTSTATUS call_package(struct sspi_package *pkg, enum call_slot slot, const void *base,
                             uint32_t len, PVOID *ret, PULONG retlen, PNTSTATUS pstatus,
                             uint32_t attributes)
{
    PLSA_AP_CALL_PACKAGE fn = slot == SLOT_TRUSTED     ? pkg->lsa.CallPackage
                              : slot == SLOT_UNTRUSTED ? pkg->lsa.CallPackageUntrusted
                                                       : NULL;
    PLSA_AP_CALL_PACKAGE_PASSTHROUGH pass = pkg->lsa.CallPackagePassthrough;
    PVOID request = NULL, out = NULL;
    ULONG outlen = 0;
    NTSTATUS st, proto = STATUS_SUCCESS;
    uint8_t *copy = NULL;

    *ret = NULL;
    *retlen = 0;
    *pstatus = STATUS_SUCCESS;
    if (slot == SLOT_PASSTHROUGH ? pass == NULL : fn == NULL)
        return STATUS_NOT_SUPPORTED;
    if (len > SUBMIT_MAX || (base == NULL && len != 0))
        return STATUS_INVALID_PARAMETER;
    if (len != 0) {
        if ((copy = malloc(len)) == NULL)
            return STATUS_NO_MEMORY;
        if (!sspi_client_read(copy, base, len)) {
            free(copy);
            return STATUS_ACCESS_VIOLATION;
        }
    }
    {
        uint32_t saved = sspi_call_attributes;

        sspi_call_attributes |= attributes;
        st =
            slot == SLOT_PASSTHROUGH
                ? pass((PLSA_CLIENT_REQUEST)&request, copy, (PVOID)base, len, &out, &outlen, &proto)
                : fn((PLSA_CLIENT_REQUEST)&request, copy, (PVOID)base, len, &out, &outlen, &proto);
        sspi_call_attributes = saved;
    }
    if (copy != NULL) {
        explicit_bzero(copy, len);
        free(copy);
    }
    if (out != NULL && (sspi_mem_size(out) == 0 || sspi_mem_size(out) < outlen)) {
        sspi_trace("package %s: CallPackage returned %u bytes at %p, not a block of "
                   "AllocateClientBuffer that long; refused",
                   pkg->name_utf8, (unsigned)outlen, out);
        if (sspi_mem_size(out) != 0)
            sspi_mem_free(out);
        return STATUS_INTERNAL_ERROR;
    }
    if (st < 0) {
        sspi_mem_free(out);
        *pstatus = proto;
        return st;
    }
    *ret = out;
    *retlen = out != NULL ? outlen : 0;
    *pstatus = proto;
    return st;
}

/* ---- connections ---------------------------------------------------------------------- */

/* LsaConnectUntrusted: an untrusted connection to the LSA (this process's
 * package host); close it with LsaDeregisterLogonProcess. */
NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle)
{
    sspi_registry_init();
    if (LsaHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    *LsaHandle = sspi_object_open(SSPI_OBJECT_LSA, SSPI_LSA_UNTRUSTED);
    return *LsaHandle != NULL ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* LsaRegisterLogonProcess: a trusted connection, for a caller with
 * effective uid 0 (else STATUS_PORT_CONNECTION_REFUSED, as Windows answers
 * a caller without SeTcbPrivilege).  *SecurityMode (may be NULL) is 0. */
NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode)
{
    sspi_registry_init();
    if (LogonProcessName == NULL || LsaHandle == NULL ||
        (LogonProcessName->Buffer == NULL && LogonProcessName->Length != 0))
        return STATUS_INVALID_PARAMETER;
    if (LogonProcessName->Length > LSA_NAME_MAX)
        return STATUS_NAME_TOO_LONG;
    if (geteuid() != 0)
        return STATUS_PORT_CONNECTION_REFUSED;
    if (SecurityMode != NULL)
        *SecurityMode = 0;
    *LsaHandle = sspi_object_open(SSPI_OBJECT_LSA, SSPI_LSA_TRUSTED);
    return *LsaHandle != NULL ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* LsaDeregisterLogonProcess: close a connection.  STATUS_INVALID_HANDLE
 * for anything else. */
NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle)
{
    return sspi_object_close(LsaHandle, SSPI_OBJECT_LSA) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

/* The package a counted LSA name designates, or the error to return. */
static NTSTATUS lookup_name(const LSA_STRING *name, struct sspi_package **pkg)
{
    char buf[LSA_NAME_MAX + 1];

    *pkg = NULL;
    if (name == NULL || (name->Buffer == NULL && name->Length != 0))
        return STATUS_INVALID_PARAMETER;
    if (name->Length > LSA_NAME_MAX)
        return STATUS_NAME_TOO_LONG;
    if (name->Length != 0 && !sspi_client_read(buf, name->Buffer, name->Length))
        return STATUS_ACCESS_VIOLATION;
    buf[name->Length] = '\0';
    if (strlen(buf) != name->Length || (*pkg = package_by_name(buf)) == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    return STATUS_SUCCESS;
}

/* LsaLookupAuthenticationPackage: the identifier of a package by name
 * (case-insensitive; MICROSOFT_AUTHENTICATION_PACKAGE_V1_0 names NTLM). */
NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                              PULONG AuthenticationPackage)
{
    struct sspi_package *pkg;
    NTSTATUS st;

    sspi_registry_init();
    if (sspi_object_get(LsaHandle, SSPI_OBJECT_LSA) == NULL)
        return STATUS_INVALID_HANDLE;
    if (AuthenticationPackage == NULL)
        return STATUS_INVALID_PARAMETER;
    st = lookup_name(PackageName, &pkg);
    if (st == STATUS_SUCCESS)
        *AuthenticationPackage = pkg->id;
    return st;
}

/*
 * LsaCallAuthenticationPackage: hand a message to a package's CallPackage
 * (trusted connection) or CallPackageUntrusted (untrusted).  On return
 * *ProtocolReturnBuffer (free with LsaFreeReturnBuffer), its length and
 * the package's ProtocolStatus; the result is the package's status, or an
 * error of the call itself (see the top of this file).
 */
NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                            PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                            PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                            PNTSTATUS ProtocolStatus)
{
    void *conn;
    struct sspi_package *pkg;
    NTSTATUS st;

    sspi_registry_init();
    conn = sspi_object_get(LsaHandle, SSPI_OBJECT_LSA);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    if (ProtocolReturnBuffer == NULL || ReturnBufferLength == NULL || ProtocolStatus == NULL)
        return STATUS_INVALID_PARAMETER;
    pkg = package_by_id(AuthenticationPackage);
    if (pkg == NULL) {
        *ProtocolReturnBuffer = NULL;
        *ReturnBufferLength = 0;
        return STATUS_NO_SUCH_PACKAGE;
    }
    st = call_package(pkg, conn == SSPI_LSA_TRUSTED ? SLOT_TRUSTED : SLOT_UNTRUSTED,
                      ProtocolSubmitBuffer, SubmitBufferLength, ProtocolReturnBuffer,
                      ReturnBufferLength, ProtocolStatus,
                      conn == SSPI_LSA_TRUSTED ? SECPKG_CALL_IS_TCB : 0);
    if (sspi_trace_enabled())
        sspi_trace("LsaCallAuthenticationPackage package=%s %s: 0x%08x, protocol status 0x%08x",
                   pkg->name_utf8, conn == SSPI_LSA_TRUSTED ? "trusted" : "untrusted", (unsigned)st,
                   (unsigned)*ProtocolStatus);
    return st;
}

/* LsaFreeReturnBuffer: free a buffer an Lsa* function returned.  NULL is
 * STATUS_SUCCESS; memory that is not ours STATUS_INVALID_PARAMETER
 * (nothing is freed). */
NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer)
{
    if (Buffer == NULL)
        return STATUS_SUCCESS;
    return sspi_mem_free(Buffer) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* ---- the LSA services packages call -------------------------------------------------- */

static NTSTATUS service_call(enum call_slot slot, PUNICODE_STRING name, PVOID base, PVOID submit,
                             ULONG len, PVOID *ret, PULONG retlen, PNTSTATUS pstatus)
{
    struct sspi_package *pkg = NULL;
    char *utf8;

    if (ret == NULL || retlen == NULL || pstatus == NULL || name == NULL ||
        (name->Buffer == NULL && name->Length != 0))
        return STATUS_INVALID_PARAMETER;
    utf8 = sspi_utf16_to_utf8(name->Buffer, name->Length / sizeof(char16_t), NULL);
    if (utf8 != NULL)
        pkg = package_by_name(utf8);
    free(utf8);
    if (pkg == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    /* In process, the submit buffer's address is also the client's. */
    (void)base;
    return call_package(pkg, slot, submit, len, ret, retlen, pstatus, 0);
}

NTSTATUS NTAPI sspi_lsa_call_package(PUNICODE_STRING AuthenticationPackage,
                                     PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                     PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                     PNTSTATUS ProtocolStatus)
{
    return service_call(SLOT_TRUSTED, AuthenticationPackage, ProtocolSubmitBuffer,
                        ProtocolSubmitBuffer, SubmitBufferLength, ProtocolReturnBuffer,
                        ReturnBufferLength, ProtocolStatus);
}

NTSTATUS NTAPI sspi_lsa_call_package_ex(PUNICODE_STRING AuthenticationPackage,
                                        PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                        ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                        PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return service_call(SLOT_TRUSTED, AuthenticationPackage, ClientBufferBase, ProtocolSubmitBuffer,
                        SubmitBufferLength, ProtocolReturnBuffer, ReturnBufferLength,
                        ProtocolStatus);
}

NTSTATUS NTAPI sspi_lsa_call_package_passthrough(PUNICODE_STRING AuthenticationPackage,
                                                 PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                                 ULONG SubmitBufferLength,
                                                 PVOID *ProtocolReturnBuffer,
                                                 PULONG ReturnBufferLength,
                                                 PNTSTATUS ProtocolStatus)
{
    return service_call(SLOT_PASSTHROUGH, AuthenticationPackage, ClientBufferBase,
                        ProtocolSubmitBuffer, SubmitBufferLength, ProtocolReturnBuffer,
                        ReturnBufferLength, ProtocolStatus);
}
