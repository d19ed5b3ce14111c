/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * porter-client.c - a Windows-style SSPI client, compiled (not run) by
 * check-headers.sh with and without UNICODE, as C and as C++.  It uses
 * only the generic names, so it checks that the A/W mapping of the
 * headers matches the Windows SDK's.
 */
#define SECURITY_WIN32
#include <sspi.h>
#include <security.h>
#include <SecExt.h>
#include <ntsecapi.h>
#include <handleapi.h>

#include <stddef.h>
#include <string.h>

#ifdef UNICODE
#define T(s) u##s
typedef WCHAR TCHAR_NAME_BUFFER;
#else
#define T(s) s
typedef CHAR TCHAR_NAME_BUFFER;
#endif

/* Generic names follow UNICODE. */
#ifdef UNICODE
typedef char porter_check_generic[sizeof(((PSecPkgInfo)NULL)->Name[0]) == 2 ? 1 : -1];
typedef char
    porter_check_identity[sizeof(((SEC_WINNT_AUTH_IDENTITY *)NULL)->User[0]) == 2 ? 1 : -1];
#else
typedef char porter_check_generic[sizeof(((PSecPkgInfo)NULL)->Name[0]) == 1 ? 1 : -1];
typedef char
    porter_check_identity[sizeof(((SEC_WINNT_AUTH_IDENTITY *)NULL)->User[0]) == 1 ? 1 : -1];
#endif

int porter_list_packages(void);
SECURITY_STATUS porter_handshake_step(PCredHandle cred, PCtxtHandle ctx, int first, void *in,
                                      unsigned long in_len, void *out, unsigned long *out_len);
SECURITY_STATUS porter_sign(PCtxtHandle ctx, void *msg, unsigned long len, void *sig);
SECURITY_STATUS porter_with_table(void);

int porter_list_packages(void)
{
    ULONG count = 0;
    PSecPkgInfo pkgs = NULL;
    SECURITY_STATUS st;
    ULONG i;
    int found = 0;

    st = EnumerateSecurityPackages(&count, &pkgs);
    if (st != SEC_E_OK)
        return -1;
    for (i = 0; i < count; i++) {
        if (pkgs[i].fCapabilities & SECPKG_FLAG_NEGOTIABLE)
            found++;
    }
    FreeContextBuffer(pkgs);
    return found;
}

SECURITY_STATUS porter_handshake_step(PCredHandle cred, PCtxtHandle ctx, int first, void *in,
                                      unsigned long in_len, void *out, unsigned long *out_len)
{
    SEC_WINNT_AUTH_IDENTITY id;
    TimeStamp expiry;
    SecBuffer in_buf, out_buf;
    SecBufferDesc in_desc, out_desc;
    ULONG attrs = 0;
    SECURITY_STATUS st;
    SecPkgContext_Sizes sizes;
    SecPkgContext_Names names;

    if (first) {
        memset(&id, 0, sizeof(id));
#ifdef UNICODE
        id.User = (unsigned short *)T("user");
        id.UserLength = 4;
        id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
#else
        id.User = (unsigned char *)"user";
        id.UserLength = 4;
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
#endif
        st = AcquireCredentialsHandle(NULL, (SECURITY_PSTR)NEGOSSP_NAME, SECPKG_CRED_OUTBOUND, NULL,
                                      &id, NULL, NULL, cred, &expiry);
        if (st != SEC_E_OK)
            return st;
        SecInvalidateHandle(ctx);
    }

    in_buf.BufferType = SECBUFFER_TOKEN;
    in_buf.cbBuffer = (ULONG)in_len;
    in_buf.pvBuffer = in;
    in_desc.ulVersion = SECBUFFER_VERSION;
    in_desc.cBuffers = 1;
    in_desc.pBuffers = &in_buf;

    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = (ULONG)*out_len;
    out_buf.pvBuffer = out;
    out_desc.ulVersion = SECBUFFER_VERSION;
    out_desc.cBuffers = 1;
    out_desc.pBuffers = &out_buf;

    st = InitializeSecurityContext(
        cred, first ? NULL : ctx, (SECURITY_PSTR)T("HTTP/server.example"),
        ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION, 0, SECURITY_NATIVE_DREP,
        first ? NULL : &in_desc, 0, ctx, &out_desc, &attrs, &expiry);
    if (!SEC_SUCCESS(st))
        return st;
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE)
        CompleteAuthToken(ctx, &out_desc);
    *out_len = out_buf.cbBuffer;

    if (st == SEC_E_OK) {
        if (QueryContextAttributes(ctx, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK)
            return SEC_E_INTERNAL_ERROR;
        if (QueryContextAttributes(ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK)
            FreeContextBuffer(names.sUserName);
    }
    return st;
}

SECURITY_STATUS porter_sign(PCtxtHandle ctx, void *msg, unsigned long len, void *sig)
{
    SecBuffer bufs[2];
    SecBufferDesc desc;
    ULONG qop = 0;
    SECURITY_STATUS st;

    bufs[0].BufferType = SECBUFFER_DATA;
    bufs[0].cbBuffer = (ULONG)len;
    bufs[0].pvBuffer = msg;
    bufs[1].BufferType = SECBUFFER_TOKEN;
    bufs[1].cbBuffer = 16;
    bufs[1].pvBuffer = sig;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 2;
    desc.pBuffers = bufs;

    st = MakeSignature(ctx, 0, &desc, 0);
    if (st != SEC_E_OK)
        return st;
    st = VerifySignature(ctx, &desc, 0, &qop);
    if (st != SEC_E_OK)
        return st;
    st = EncryptMessage(ctx, 0, &desc, 0);
    if (st != SEC_E_OK)
        return st;
    return DecryptMessage(ctx, &desc, 0, &qop);
}

/* Calls through the dispatch table, as code that loads secur32 by hand does. */
SECURITY_STATUS porter_with_table(void)
{
    PSecurityFunctionTable table = InitSecurityInterface();
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS st;

    if (table == NULL || table->dwVersion < SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION)
        return SEC_E_INTERNAL_ERROR;
    st = table->AcquireCredentialsHandle(NULL, (SECURITY_PSTR)NEGOSSP_NAME, SECPKG_CRED_OUTBOUND,
                                         NULL, NULL, NULL, NULL, &cred, &expiry);
    if (st != SEC_E_OK)
        return st;
    return table->FreeCredentialHandle(&cred);
}

/* The names, identity helpers, LSA and token calls ported code makes. */
int porter_extras(PCtxtHandle server);
int porter_extras(PCtxtHandle server)
{
    TCHAR_NAME_BUFFER name[256];
    ULONG size = 256, pkg = 0, retlen = 0;
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    HANDLE lsa = NULL, token = NULL;
    LSA_STRING kerb;
    PVOID ret = NULL;
    NTSTATUS proto = 0;
    ULONG query = 14; /* KerbQueryTicketCacheMessage */

    if (!GetUserNameEx(NameSamCompatible, name, &size) && GetLastError() != ERROR_MORE_DATA)
        return 1;
    static const WCHAR user_w[] = {'u', 's', 'e', 'r', 0}, pw_w[] = {'p', 'w', 0};

    if (SspiEncodeStringsAsAuthIdentity(user_w, NULL, pw_w, &id) != SEC_E_OK)
        return 1;
    SspiEncryptAuthIdentity(id);
    SspiFreeAuthIdentity(id);
    kerb.Buffer = (PCHAR) "Kerberos";
    kerb.Length = kerb.MaximumLength = 8;
    if (LsaConnectUntrusted(&lsa) == STATUS_SUCCESS &&
        LsaLookupAuthenticationPackage(lsa, &kerb, &pkg) == STATUS_SUCCESS &&
        LsaCallAuthenticationPackage(lsa, pkg, &query, sizeof(query), &ret, &retlen, &proto) ==
            STATUS_SUCCESS)
        LsaFreeReturnBuffer(ret);
    LsaDeregisterLogonProcess(lsa);
    if (ImpersonateSecurityContext(server) == SEC_E_OK)
        RevertSecurityContext(server);
    if (QuerySecurityContextToken(server, &token) == SEC_E_OK)
        CloseHandle(token);
    return 0;
}

int main(void)
{
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char out[2888];
    unsigned long out_len = sizeof(out);
    SECURITY_STATUS st;

    if (porter_list_packages() < 0)
        return 1;
    st = porter_handshake_step(&cred, &ctx, 1, NULL, 0, out, &out_len);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return SEC_SUCCESS(st) ? 0 : 1;
}
