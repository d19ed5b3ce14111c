/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host-services.c - SECPKG_LIBSSPI_HOST_SERVICES (ntsecpkg.h): what a
 * package that drives other packages (Negotiate) gets from the core,
 * through SpSetExtendedInformation(SecpkgLibsspiHost), instead of linking
 * libsspi.so.
 *
 * Every member runs the same internal calls as the public entry point of
 * the same name (api-*.c through the packages' operations), never an
 * exported, interposable name; strings are UTF-16.  Calls made before the
 * first load has finished, or from package code a load on this thread is
 * running, return SEC_E_INTERNAL_ERROR at once (FreeBuffer always works).  The calling package is
 * left out of EnumeratePackages and cannot name itself: it is the package
 * whose code this thread runs (dispatch.h, sspi_call_current), or, for a
 * call from a thread of the package's own, every package of the module the
 * call comes from.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "core/dispatch.h"
#include "core/loader.h"

/* Trace names of the services' calls. */
#define HOST_FN(name) "host:" name

/* Refuse calls the registry cannot answer without waiting for a load. */
#define HOST_READY(fn)                                                                             \
    do {                                                                                           \
        if (!sspi_registry_ready()) {                                                              \
            sspi_trace("%s: called while packages are loading; refused", fn);                      \
            return SEC_E_INTERNAL_ERROR;                                                           \
        }                                                                                          \
    } while (0)

/* Whether `pkg` is the package that made this call (see the file comment);
 * `from` is the caller's return address. */
static bool is_caller(const struct sspi_package *pkg, const void *from)
{
    const struct sspi_package *cur = sspi_call_current();
    Dl_info info;

    if (cur != NULL)
        return pkg == cur;
    if (pkg->module == NULL || dladdr(from, &info) == 0)
        return false;
    return info.dli_fbase == pkg->module->base;
}

/* A live package by name that is not the caller, or NULL. */
static struct sspi_package *sibling(const SEC_WCHAR *name, const void *from)
{
    struct sspi_package *pkg = sspi_registry_find_w(name);

    return pkg != NULL && !is_caller(pkg, from) ? pkg : NULL;
}

/* ---- packages ---------------------------------------------------------- */

static SECURITY_STATUS NTAPI host_enumerate(PULONG count, PSECPKG_LIBSSPI_PACKAGE_INFO *packages)
{
    const void *from = __builtin_return_address(0);
    struct sspi_package **pkgs = NULL;
    PSECPKG_LIBSSPI_PACKAGE_INFO out = NULL;
    uint32_t n = 0, k = 0;
    SECURITY_STATUS st;

    HOST_READY(HOST_FN("EnumeratePackages"));
    if (count == NULL || packages == NULL)
        return SEC_E_INVALID_PARAMETER;
    st = sspi_registry_snapshot(&pkgs, &n);
    if (st != SEC_E_OK)
        return st;
    if (n > 0 && (out = sspi_mem_alloc((size_t)n * sizeof(*out))) == NULL) {
        free(pkgs);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct sspi_package *p = pkgs[i];

        if (is_caller(p, from))
            continue;
        out[k].PackageId = p->id;
        out[k].fCapabilities = p->info.fCapabilities;
        out[k].wVersion = p->info.wVersion;
        out[k].wRPCID = p->info.wRPCID;
        out[k].cbMaxToken = p->info.cbMaxToken;
        out[k].Name = p->name;
        out[k].Comment = p->comment;
        out[k].MechOid = p->mech_oid;
        out[k].MechOidLength = p->mech_oid_len;
        k++;
    }
    free(pkgs);
    if (k == 0) {
        sspi_mem_free(out);
        out = NULL;
    }
    *count = k;
    *packages = out;
    sspi_trace("%s: %u package(s)", HOST_FN("EnumeratePackages"), (unsigned)k);
    return SEC_E_OK;
}

static SECURITY_STATUS NTAPI host_free(PVOID buffer)
{
    return sspi_mem_free(buffer) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/* ---- credentials ------------------------------------------------------- */

static SECURITY_STATUS NTAPI host_acquire(const SEC_WCHAR *package, const SEC_WCHAR *principal,
                                          ULONG use, PVOID logon, PVOID auth, PCredHandle cred,
                                          PTimeStamp expiry)
{
    const void *from = __builtin_return_address(0);
    struct sspi_cred_args a = {
        .principal_w = principal,
        .use = use,
        .logon = logon,
        .auth = auth,
    };

    HOST_READY(HOST_FN("AcquireCredentialsHandle"));
    return sspi_api_acquire(HOST_FN("AcquireCredentialsHandle"), sibling(package, from), package,
                            &a, false, cred, expiry);
}

static SECURITY_STATUS NTAPI host_free_credentials(PCredHandle cred)
{
    HOST_READY(HOST_FN("FreeCredentialsHandle"));
    return sspi_api_free_credentials(HOST_FN("FreeCredentialsHandle"), cred);
}

static SECURITY_STATUS NTAPI host_query_credentials(PCredHandle cred, ULONG attr, PVOID buffer)
{
    HOST_READY(HOST_FN("QueryCredentialsAttributes"));
    return sspi_api_query_attributes(HOST_FN("QueryCredentialsAttributes"), SSPI_HANDLE_CREDENTIAL,
                                     false, false, cred, attr, buffer, 0);
}

/* ---- contexts ---------------------------------------------------------- */

/* One handshake leg through the same path as the public functions. */
static SECURITY_STATUS host_leg(const char *fn, bool accept, PCredHandle cred, PCtxtHandle ctx,
                                const SEC_WCHAR *target, ULONG req, ULONG drep, PSecBufferDesc in,
                                PCtxtHandle new_ctx, PSecBufferDesc out, PULONG attrs,
                                PTimeStamp expiry)
{
    struct sspi_establish_args a = {
        .fn = fn,
        .accept = accept,
        .phCredential = cred,
        .phContext = ctx,
        .target_w = target,
        .req = req,
        .drep = drep,
        .in = in,
        .phNew = new_ctx,
        .out = out,
        .pattr = attrs,
        .pexp = expiry,
    };

    HOST_READY(fn);
    return sspi_api_establish(&a);
}

static SECURITY_STATUS NTAPI host_initialize(PCredHandle cred, PCtxtHandle ctx,
                                             const SEC_WCHAR *target, ULONG req, ULONG drep,
                                             PSecBufferDesc in, PCtxtHandle new_ctx,
                                             PSecBufferDesc out, PULONG attrs, PTimeStamp expiry)
{
    return host_leg(HOST_FN("InitializeSecurityContext"), false, cred, ctx, target, req, drep, in,
                    new_ctx, out, attrs, expiry);
}

static SECURITY_STATUS NTAPI host_accept(PCredHandle cred, PCtxtHandle ctx, PSecBufferDesc in,
                                         ULONG req, ULONG drep, PCtxtHandle new_ctx,
                                         PSecBufferDesc out, PULONG attrs, PTimeStamp expiry)
{
    return host_leg(HOST_FN("AcceptSecurityContext"), true, cred, ctx, NULL, req, drep, in, new_ctx,
                    out, attrs, expiry);
}

static SECURITY_STATUS NTAPI host_complete_token(PCtxtHandle ctx, PSecBufferDesc token)
{
    HOST_READY(HOST_FN("CompleteAuthToken"));
    return sspi_api_context_op(HOST_FN("CompleteAuthToken"), SSPI_OP_COMPLETE, ctx, token, NULL);
}

static SECURITY_STATUS NTAPI host_delete(PCtxtHandle ctx)
{
    HOST_READY(HOST_FN("DeleteSecurityContext"));
    return sspi_api_delete_context(HOST_FN("DeleteSecurityContext"), ctx);
}

static SECURITY_STATUS NTAPI host_query_context(PCtxtHandle ctx, ULONG attr, PVOID buffer)
{
    HOST_READY(HOST_FN("QueryContextAttributes"));
    return sspi_api_query_attributes(HOST_FN("QueryContextAttributes"), SSPI_HANDLE_CONTEXT, false,
                                     false, ctx, attr, buffer, 0);
}

static SECURITY_STATUS NTAPI host_set_context(PCtxtHandle ctx, ULONG attr, PVOID buffer, ULONG size)
{
    HOST_READY(HOST_FN("SetContextAttributes"));
    return sspi_api_set_attributes(HOST_FN("SetContextAttributes"), SSPI_HANDLE_CONTEXT, false, ctx,
                                   attr, buffer, size);
}

static SECURITY_STATUS NTAPI host_export(PCtxtHandle ctx, ULONG flags, PSecBuffer packed,
                                         PVOID *token)
{
    HOST_READY(HOST_FN("ExportSecurityContext"));
    return sspi_api_export(HOST_FN("ExportSecurityContext"), ctx, flags, packed, token);
}

static SECURITY_STATUS NTAPI host_import(const SEC_WCHAR *package, PSecBuffer packed, PVOID token,
                                         PCtxtHandle ctx)
{
    const void *from = __builtin_return_address(0);

    HOST_READY(HOST_FN("ImportSecurityContext"));
    return sspi_api_import(HOST_FN("ImportSecurityContext"), sibling(package, from), package, false,
                           packed, token, ctx);
}

/* ---- messages ---------------------------------------------------------- */

static SECURITY_STATUS NTAPI host_sign(PCtxtHandle ctx, ULONG qop, PSecBufferDesc msg, ULONG seq)
{
    HOST_READY(HOST_FN("MakeSignature"));
    return sspi_api_message(SSPI_MSG_SIGN, ctx, qop, msg, seq, NULL);
}

static SECURITY_STATUS NTAPI host_verify(PCtxtHandle ctx, PSecBufferDesc msg, ULONG seq, PULONG qop)
{
    HOST_READY(HOST_FN("VerifySignature"));
    return sspi_api_message(SSPI_MSG_VERIFY, ctx, 0, msg, seq, qop);
}

static SECURITY_STATUS NTAPI host_seal(PCtxtHandle ctx, ULONG qop, PSecBufferDesc msg, ULONG seq)
{
    HOST_READY(HOST_FN("EncryptMessage"));
    return sspi_api_message(SSPI_MSG_SEAL, ctx, qop, msg, seq, NULL);
}

static SECURITY_STATUS NTAPI host_unseal(PCtxtHandle ctx, PSecBufferDesc msg, ULONG seq, PULONG qop)
{
    HOST_READY(HOST_FN("DecryptMessage"));
    return sspi_api_message(SSPI_MSG_UNSEAL, ctx, 0, msg, seq, qop);
}

static SECURITY_STATUS NTAPI host_message_target(PCtxtHandle ctx,
                                                 PSECPKG_LIBSSPI_MESSAGE_TARGET target)
{
    TRACE_BEGIN();
    struct sspi_slot *slot = NULL;
    struct sspi_context *c;
    SECURITY_STATUS st = SEC_E_OK;

    HOST_READY(HOST_FN("GetMessageTarget"));
    c = sspi_handle_acquire(ctx, SSPI_HANDLE_CONTEXT, &slot);
    if (c == NULL) {
        st = SEC_E_INVALID_HANDLE;
    } else if (target == NULL) {
        st = SEC_E_INVALID_PARAMETER;
    } else {
        sspi_dispatch_target(c, target);
        if (target->MakeSignature == NULL && target->VerifySignature == NULL &&
            target->SealMessage == NULL && target->UnsealMessage == NULL)
            st = SEC_E_UNSUPPORTED_FUNCTION;
    }
    if (slot != NULL)
        sspi_handle_release(slot);
    if (TRACE_ON())
        sspi_trace_call(HOST_FN("GetMessageTarget"), c != NULL ? sspi_pkg_name(c->pkg) : NULL, ctx,
                        NULL, st, TRACE_T0);
    return st;
}

const SECPKG_LIBSSPI_HOST_SERVICES sspi_host_services = {
    .Version = SECPKG_LIBSSPI_HOST_VERSION_1,
    .Size = sizeof(SECPKG_LIBSSPI_HOST_SERVICES),
    .EnumeratePackages = host_enumerate,
    .FreeBuffer = host_free,
    .AcquireCredentialsHandle = host_acquire,
    .FreeCredentialsHandle = host_free_credentials,
    .QueryCredentialsAttributes = host_query_credentials,
    .InitializeSecurityContext = host_initialize,
    .AcceptSecurityContext = host_accept,
    .CompleteAuthToken = host_complete_token,
    .DeleteSecurityContext = host_delete,
    .QueryContextAttributes = host_query_context,
    .SetContextAttributes = host_set_context,
    .ExportSecurityContext = host_export,
    .ImportSecurityContext = host_import,
    .MakeSignature = host_sign,
    .VerifySignature = host_verify,
    .EncryptMessage = host_seal,
    .DecryptMessage = host_unseal,
    .GetMessageTarget = host_message_target,
};
