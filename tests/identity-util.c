/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-util.c - helpers of the identity suites (see identity-util.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "identity-util.h"

static size_t page(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

void *it_guarded_pages(void)
{
    uint8_t *p = mmap(NULL, 2 * page(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return NULL;
    if (mprotect(p + page(), page(), PROT_NONE) != 0) {
        munmap(p, 2 * page());
        return NULL;
    }
    return p;
}

uint8_t *it_page_end(void *pages)
{
    return (uint8_t *)pages + page();
}

void it_guarded_free(void *pages)
{
    if (pages != NULL)
        munmap(pages, 2 * page());
}

void *it_at_page_end(void *pages, const void *data, size_t n)
{
    uint8_t *at = it_page_end(pages) - n;

    memset(pages, 0xA5, page());
    if (n != 0)
        memcpy(at, data, n);
    return at;
}

/* ThreadSanitizer aborts on a mapping outside its application ranges. */
#if defined(__SANITIZE_THREAD__)
#define IT_NO_FIXED_MAPPINGS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define IT_NO_FIXED_MAPPINGS 1
#endif
#endif

bool it_fixed_mappings(void)
{
#ifdef IT_NO_FIXED_MAPPINGS
    return false;
#else
    return true;
#endif
}

void *it_map_fixed(uintptr_t addr)
{
    void *p;

    if (!it_fixed_mappings())
        return NULL;
    p = mmap((void *)addr, page(), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

    if (p == MAP_FAILED)
        return NULL;
    if ((uintptr_t)p != addr) { /* kernels before 4.17 treat the flag as a hint */
        munmap(p, page());
        return NULL;
    }
    return p;
}

void it_unmap(void *p)
{
    if (p != NULL)
        munmap(p, page());
}

bool it_safe_read(void *dst, const void *src, size_t len)
{
    struct iovec l = {dst, len}, r = {(void *)src, len};

    if (len == 0)
        return true;
    return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)len;
}

SECURITY_STATUS it_load_package(const char *dir, const char *name)
{
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR"), *top = getenv("top_srcdir");
    char path[4096];
    PSecPkgInfoA info = NULL;

    snprintf(path, sizeof(path), "%s/tests/ntlm-users.txt", top ? top : ".");
    setenv("NTLM_USER_FILE", path, 1);
    if (QuerySecurityPackageInfoA((SEC_CHAR *)name, &info) == SEC_E_OK) {
        FreeContextBuffer(info);
        return SEC_E_OK;
    }
    snprintf(path, sizeof(path), "%s/%s/.libs/%s.so", pkgdir ? pkgdir : "src/packages", dir, dir);
    return AddSecurityPackageA(path, NULL);
}

SECURITY_STATUS it_server_cred(const char *pkg, void *auth, CredHandle *out)
{
    TimeStamp ts;

    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_INBOUND, NULL,
                                     strcmp(pkg, "NTLM") == 0 ? NULL : auth, NULL, NULL, out, &ts);
}

#define IT_REQ (ISC_REQ_CONNECTION | ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY)
#define IT_ASC (ASC_REQ_CONNECTION | ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY)

static SECURITY_STATUS sign_verify(CtxtHandle *from, CtxtHandle *to)
{
    SecPkgContext_Sizes sz;
    uint8_t msg[16] = "identity-check", sig[256];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {0, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint32_t qop = 0;
    SECURITY_STATUS st = QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sz);

    if (st != SEC_E_OK)
        return st;
    if (sz.cbMaxSignature > sizeof(sig))
        return SEC_E_INTERNAL_ERROR;
    b[1].cbBuffer = sz.cbMaxSignature;
    st = MakeSignature(from, 0, &d, 0);
    return st != SEC_E_OK ? st : VerifySignature(to, &d, 0, &qop);
}

SECURITY_STATUS it_establish(const char *pkg, CredHandle *client, CredHandle *server,
                             CtxtHandle *cctx, CtxtHandle *sctx)
{
    static uint8_t ctok[12288], stok[12288];
    SecBuffer cb = {0, SECBUFFER_TOKEN, ctok}, sb = {0, SECBUFFER_TOKEN, stok};
    SecBufferDesc cd = {SECBUFFER_VERSION, 1, &cb}, sd = {SECBUFFER_VERSION, 1, &sb};
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED, st;
    uint32_t attrs;
    TimeStamp ts;
    bool have_c = false, have_s = false;

    (void)pkg;
    for (int leg = 0; leg < 8 && (cs != SEC_E_OK || ss != SEC_E_OK); leg++) {
        cb.cbBuffer = 0;
        if (cs != SEC_E_OK) {
            cb.cbBuffer = sizeof(ctok);
            cs = InitializeSecurityContextA(client, have_c ? cctx : NULL, (SEC_CHAR *)"host/test",
                                            IT_REQ, 0, SECURITY_NATIVE_DREP, have_s ? &sd : NULL, 0,
                                            cctx, &cd, &attrs, &ts);
            have_c = have_c || SEC_SUCCESS(cs);
            if (!SEC_SUCCESS(cs)) {
                st = cs;
                goto fail;
            }
        }
        if (cb.cbBuffer == 0)
            continue;
        sb.cbBuffer = sizeof(stok);
        ss = AcceptSecurityContext(server, have_s ? sctx : NULL, &cd, IT_ASC, SECURITY_NATIVE_DREP,
                                   sctx, &sd, &attrs, &ts);
        have_s = have_s || SEC_SUCCESS(ss);
        if (!SEC_SUCCESS(ss)) {
            st = ss;
            goto fail;
        }
    }
    if (cs == SEC_E_OK && ss == SEC_E_OK)
        return SEC_E_OK;
    st = SEC_E_INTERNAL_ERROR;
fail:
    if (have_c)
        DeleteSecurityContext(cctx);
    if (have_s)
        DeleteSecurityContext(sctx);
    return st;
}

SECURITY_STATUS it_handshake(const char *pkg, CredHandle *client, CredHandle *server)
{
    CtxtHandle c, s;
    SECURITY_STATUS st = it_establish(pkg, client, server, &c, &s);

    if (st != SEC_E_OK)
        return st;
    st = sign_verify(&c, &s);
    if (st == SEC_E_OK)
        st = sign_verify(&s, &c);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    return st;
}
