/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-message.c - libFuzzer target for the buffer handling of
 * VerifySignature and DecryptMessage through the public API.  The input
 * describes a SecBufferDesc (version, buffer types, sizes, NULL pointers,
 * contents) that is handed to an established Sample context pair; any
 * status is fine, a crash, leak or out-of-bounds access is not.
 *
 * Input layout: op(1) flags(1) version(1) count(1) then per buffer:
 * type(4, LE) size(2, LE) nullptr(1) followed by the bytes of all buffers
 * back to back (short input leaves the rest zero).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_BUFFERS 8
#define MAX_BYTES   4096

static CtxtHandle cctx, sctx;
static int ready = -1;

static int setup(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    char path[4096];
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"fuzz", 4, (unsigned char *)"D",        1,
                                    (unsigned char *)"key",  3, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    TimeStamp ts;
    uint32_t attrs;
    uint8_t t1[4096], t2[4096];
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;

    snprintf(path, sizeof(path), "%s/sample/.libs/sample.so", dir != NULL ? dir : "src/packages");
    (void)AddSecurityPackageA(path, NULL);
    if (AcquireCredentialsHandleA(NULL, "Sample", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                  &ts) != SEC_E_OK ||
        AcquireCredentialsHandleA(NULL, "Sample", SECPKG_CRED_INBOUND, NULL, &id, NULL, NULL, &sc,
                                  &ts) != SEC_E_OK)
        return 0;
    SecBuffer ob = {sizeof(t1), SECBUFFER_TOKEN, t1}, ib = {0, SECBUFFER_TOKEN, t2};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, idsc = {SECBUFFER_VERSION, 1, &ib};
    cs = InitializeSecurityContextA(&cc, NULL, "fuzz", 0, 0, 0, NULL, 0, &cctx, &od, &attrs, &ts);
    for (int leg = 0; leg < 4 && (cs == SEC_I_CONTINUE_NEEDED || ss == SEC_I_CONTINUE_NEEDED);
         leg++) {
        SecBuffer sib = {ob.cbBuffer, SECBUFFER_TOKEN, t1}, sob = {sizeof(t2), SECBUFFER_TOKEN, t2};
        SecBufferDesc sid = {SECBUFFER_VERSION, 1, &sib}, sod = {SECBUFFER_VERSION, 1, &sob};
        if (ob.cbBuffer == 0)
            break;
        ss = AcceptSecurityContext(&sc, leg == 0 ? NULL : &sctx, &sid, 0, 0, &sctx, &sod, &attrs,
                                   &ts);
        if (cs == SEC_E_OK || sob.cbBuffer == 0)
            break;
        ib.cbBuffer = sob.cbBuffer;
        ob.cbBuffer = sizeof(t1);
        cs = InitializeSecurityContextA(&cc, &cctx, "fuzz", 0, 0, 0, &idsc, 0, &cctx, &od, &attrs,
                                        &ts);
    }
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ready = setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SecBuffer bufs[MAX_BUFFERS];
    /* Each buffer is its own exact-size block, so a read or write past
     * cbBuffer is caught by ASan. */
    uint8_t *mem[MAX_BUFFERS] = {NULL};
    size_t pos = 4;
    uint32_t qop = 0;

    if (ready < 0)
        ready = setup();
    if (ready != 1 || size < 4)
        return 0;
    uint8_t op = data[0], flags = data[1];
    uint32_t count = data[3] % (MAX_BUFFERS + 1);
    memset(bufs, 0, sizeof(bufs));
    for (uint32_t i = 0; i < count; i++) {
        uint32_t type = 0, len = 0;
        uint8_t null = 0;
        if (pos + 7 <= size) {
            memcpy(&type, data + pos, 4);
            len = (uint32_t)(data[pos + 4] | (data[pos + 5] << 8)) % (MAX_BYTES + 1);
            null = data[pos + 6];
        }
        pos += 7;
        bufs[i].BufferType = type;
        bufs[i].cbBuffer = len;
        if ((null & 1) == 0) {
            mem[i] = calloc(1, len);
            if (mem[i] == NULL && len != 0)
                goto out;
        }
        bufs[i].pvBuffer = mem[i];
    }
    for (uint32_t i = 0; i < count && pos < size; i++) {
        size_t n = size - pos < bufs[i].cbBuffer ? size - pos : bufs[i].cbBuffer;
        if (bufs[i].pvBuffer != NULL)
            memcpy(bufs[i].pvBuffer, data + pos, n);
        pos += n;
    }
    SecBufferDesc desc = {data[2] == 0 ? SECBUFFER_VERSION : data[2], count,
                          (flags & 1) ? NULL : bufs};
    CtxtHandle *ctx = (flags & 2) ? &cctx : &sctx;
    switch (op % 4) {
    case 0:
        (void)VerifySignature(ctx, &desc, (flags & 4) ? 7 : 0, &qop);
        break;
    case 1:
        (void)DecryptMessage(ctx, &desc, (flags & 4) ? 7 : 0, &qop);
        break;
    case 2:
        (void)MakeSignature(ctx, 0, &desc, 0);
        break;
    default:
        (void)EncryptMessage(ctx, (flags & 8) ? SECQOP_WRAP_NO_ENCRYPT : 0, &desc, 0);
        break;
    }
out:
    for (uint32_t i = 0; i < MAX_BUFFERS; i++)
        free(mem[i]);
    return 0;
}
