/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-pkg-kit.c - the package kit (src/packages/kit) on its own: a
 * module of two packages built with PKG_MODULE and driven through the
 * tables it returns, objects and their two sides, identities, buffers,
 * attributes, packing, options and FILETIME helpers.  Host tables are
 * stand-ins backed by calloc/free.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "packages/kit/kit.h"
#include "util/testutil.h"

static PVOID NTAPI kt_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

static VOID NTAPI kt_free(PVOID p)
{
    free(p);
}

static LSA_SECPKG_FUNCTION_TABLE kt_lsa = {.AllocateLsaHeap = kt_alloc, .FreeLsaHeap = kt_free};
static SECPKG_DLL_FUNCTIONS kt_dll = {.AllocateHeap = kt_alloc, .FreeHeap = kt_free};

/* ---- a module of two packages ---------------------------------------------- */

struct kt_ctx {
    struct pkg_object obj;
    int legs;
    bool server;
};

static int kt_destroyed;

static void kt_destroy(void *object)
{
    (void)object;
    kt_destroyed++;
}

static const struct pkg_class kt_cred_class = {0x4b544352u, sizeof(struct pkg_object), NULL};
static const struct pkg_class kt_ctx_class = {0x4b544354u, sizeof(struct kt_ctx), kt_destroy};

/* A two-leg handshake: the first leg creates the context, the second
 * completes it unless the input token says "fail". */
static NTSTATUS kt_leg(struct pkg_leg *leg)
{
    struct kt_ctx *c = leg->context;
    const uint8_t *in;
    size_t len;

    if (c == NULL) {
        c = leg->context = pkg_object_new(&kt_ctx_class, PKG_SIDE_LSA);
        if (c == NULL)
            return STATUS_NO_MEMORY;
        c->server = leg->accept;
        c->legs = 1;
        leg->attributes = 0x11;
        leg->expiry = PKG_NEVER;
        return pkg_output_token(leg->out, leg->req, "hello", 5) == SEC_E_OK
                   ? SEC_I_CONTINUE_NEEDED
                   : SEC_E_BUFFER_TOO_SMALL;
    }
    if (pkg_input_token(leg->in, &in, &len) != SEC_E_OK)
        return SEC_E_INVALID_TOKEN;
    if (len == 4 && memcmp(in, "fail", 4) == 0)
        return SEC_E_LOGON_DENIED;
    c->legs++;
    leg->attributes = 0x22;
    pkg_output_none(leg->out);
    return SEC_E_OK;
}

static NTSTATUS kt_sign(struct pkg_message_call *call)
{
    PSecBuffer tok;
    NTSTATUS st = pkg_message_token(&call->m, 4, SEC_E_BUFFER_TOO_SMALL, &tok);

    if (st != SEC_E_OK)
        return st;
    memcpy(tok->pvBuffer, "SIGN", 4);
    tok->cbBuffer = 4;
    return call->m.ndata == 1 ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

static const struct pkg_message_ops kt_messages = {.sign = kt_sign};

static bool kt_describe(const void *object, enum pkg_mode mode, struct pkg_attr_data *d)
{
    const struct kt_ctx *c = object;

    d->complete = mode == PKG_MODE_USER;
    d->flags = (uint32_t)c->legs;
    d->max_signature = 4;
    return true;
}

static const SECPKG_LIBSSPI_HOST_SERVICES *kt_services;
static NTSTATUS kt_host(const SECPKG_LIBSSPI_HOST_SERVICES *s, ULONG version)
{
    kt_services = version == SECPKG_LIBSSPI_HOST_VERSION_1 ? s : NULL;
    return kt_services != NULL ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

struct kt_settings {
    bool flag;
    uint32_t count, wait;
    char *name, *secret, *path;
    int mode;
};
static const char *const kt_modes[] = {"never", "sometimes", "always", NULL};
static const struct kt_settings kt_defaults = {.count = 7, .name = "default"};
static const struct pkg_option_def kt_option_defs[] = {
    PKG_OPTION_BOOL("flag", struct kt_settings, flag),
    PKG_OPTION_UINT("count", struct kt_settings, count, 1, 100),
    PKG_OPTION_SECONDS("wait", struct kt_settings, wait, 0, 86400),
    PKG_OPTION_STRING("name", struct kt_settings, name),
    PKG_OPTION_SECRET("secret", struct kt_settings, secret),
    PKG_OPTION_PATH("path", struct kt_settings, path),
    PKG_OPTION_ENUM("mode", struct kt_settings, mode, kt_modes),
};
PKG_OPTIONS(kt_options, struct kt_settings, kt_option_defs, &kt_defaults);

static const uint8_t kt_oid[] = {0x06, 0x03, 0x2a, 0x03, 0x04};
static NTSTATUS NTAPI kt_set_attr(LSA_SEC_HANDLE h, ULONG attr, PVOID buf, ULONG size)
{
    (void)h;
    (void)attr;
    (void)buf;
    (void)size;
    return SEC_E_UNSUPPORTED_FUNCTION;
}

static const SECPKG_FUNCTION_TABLE kt_lsa_table = {.LogonUser = NULL};
static const SECPKG_FUNCTION_TABLE kt_lsa_table2 = {.SetContextAttributes = kt_set_attr};

static const struct pkg_descriptor kt_one = {
    .name = u"KitOne",
    .comment = u"first",
    .capabilities = SECPKG_FLAG_INTEGRITY,
    .version = 3,
    .rpcid = 42,
    .max_token = 100,
    .lsa = &kt_lsa_table,
    .options = &kt_options,
    .credential_class = &kt_cred_class,
    .context_class = &kt_ctx_class,
    .initiate = kt_leg,
    .accept = kt_leg,
    .messages = &kt_messages,
    .describe = kt_describe,
    .mech_oid = kt_oid,
    .mech_oid_len = sizeof kt_oid,
    .host = kt_host,
};

static const struct pkg_descriptor kt_two = {
    .name = u"KitTwo",
    .comment = u"second",
    .max_token = 200,
    .lsa = &kt_lsa_table2,
};

PKG_MODULE(&kt_one, &kt_two)

static PSECPKG_FUNCTION_TABLE kt_tables;
static PSECPKG_USER_FUNCTION_TABLE kt_utables;

static void kt_setup(void)
{
    ULONG ver, n;

    ck_assert_int_eq(SpLsaModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &kt_tables, &n),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ver, SECPKG_INTERFACE_VERSION_2); /* KitTwo sets SetContextAttributes */
    ck_assert_int_eq(SpUserModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &kt_utables, &n),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ver, SECPKG_INTERFACE_VERSION);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(kt_tables[i].Initialize(100 + i, NULL, &kt_lsa), STATUS_SUCCESS);
        ck_assert_int_eq(kt_utables[i].InstanceInit(SECPKG_INTERFACE_VERSION, &kt_dll, NULL),
                         STATUS_SUCCESS);
    }
}

START_TEST(test_module_entry)
{
    SecPkgInfoW info;
    PSECPKG_EXTENDED_INFORMATION ext = NULL;
    ULONG ver, n;
    PSECPKG_FUNCTION_TABLE t;

    ck_assert_int_eq(SpLsaModeInitialize(0, &ver, &t, &n), STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(SpLsaModeInitialize(SECPKG_INTERFACE_VERSION, NULL, &t, &n),
                     STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(kt_tables[0].GetInfo(&info), STATUS_SUCCESS);
    ck_assert_mem_eq(info.Name, u"KitOne", sizeof u"KitOne");
    ck_assert_uint_eq(info.wRPCID, 42);
    ck_assert_uint_eq(info.wVersion, 3);
    ck_assert_uint_eq(info.cbMaxToken, 100);
    ck_assert_int_eq(kt_tables[1].GetInfo(&info), STATUS_SUCCESS);
    ck_assert_mem_eq(info.Name, u"KitTwo", sizeof u"KitTwo");
    ck_assert_uint_eq(info.cbMaxToken, 200);
    ck_assert_int_eq(kt_tables[0].GetInfo(NULL), STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(pkg_package_id(&kt_one), 100);
    ck_assert_uint_eq(pkg_package_id(&kt_two), 101);
    /* The slots the kit runs are there only for the package that asked. */
    ck_assert_ptr_nonnull(kt_tables[0].InitLsaModeContext);
    ck_assert_ptr_null(kt_tables[1].InitLsaModeContext);
    ck_assert_ptr_nonnull(kt_utables[0].MakeSignature);
    ck_assert_ptr_null(kt_utables[1].MakeSignature);
    /* The GSS mechanism OID. */
    ck_assert_int_eq(kt_tables[0].GetExtendedInformation(SecpkgGssInfo, &ext), STATUS_SUCCESS);
    ck_assert_uint_eq(ext->Info.GssInfo.EncodedIdLength, sizeof kt_oid);
    ck_assert_mem_eq(ext->Info.GssInfo.EncodedId, kt_oid, sizeof kt_oid);
    free(ext);
    ck_assert_int_eq(kt_tables[1].GetExtendedInformation(SecpkgGssInfo, &ext),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_ptr_null(ext);
    ck_assert_int_eq(kt_tables[0].GetExtendedInformation(SecpkgMutualAuthLevel, &ext),
                     SEC_E_UNSUPPORTED_FUNCTION);
}
END_TEST

START_TEST(test_host_services)
{
    SECPKG_LIBSSPI_HOST_SERVICES services = {.Version = SECPKG_LIBSSPI_HOST_VERSION_1,
                                             .Size = sizeof services};
    SECPKG_EXTENDED_INFORMATION ext = {.Class = SecpkgLibsspiHost};

    ext.Info.LibsspiHost = (SECPKG_LIBSSPI_HOST){SECPKG_LIBSSPI_HOST_VERSION_1, &services};
    ck_assert_int_eq(kt_tables[1].SetExtendedInformation(SecpkgLibsspiHost, &ext),
                     SEC_E_UNSUPPORTED_FUNCTION); /* no host hook */
    ck_assert_ptr_null(pkg_host_services());
    ck_assert_int_eq(kt_tables[0].SetExtendedInformation(SecpkgLibsspiHost, NULL),
                     STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(kt_tables[0].SetExtendedInformation(SecpkgLibsspiHost, &ext), STATUS_SUCCESS);
    ck_assert_ptr_eq(pkg_host_services(), &services);
    ck_assert_ptr_eq(kt_services, &services);
    ck_assert_int_eq(kt_tables[0].SetExtendedInformation(SecpkgMutualAuthLevel, &ext),
                     SEC_E_UNSUPPORTED_FUNCTION);
}
END_TEST

/* One leg through the module's table. */
static SECURITY_STATUS kt_run(bool accept, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE *ctx, const char *in,
                              PSecBufferDesc out, ULONG *attrs, BOOLEAN *mapped)
{
    SecBuffer ib = {in ? (ULONG)strlen(in) : 0, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    LSA_SEC_HANDLE newh = 0;
    TimeStamp ts;
    SecBuffer cd = {0};
    SECURITY_STATUS st;

    if (accept)
        st = kt_tables[0].AcceptLsaModeContext(cred, *ctx, &id, 0, 0, &newh, out, attrs, &ts,
                                               mapped, &cd);
    else
        st = kt_tables[0].InitLsaModeContext(cred, *ctx, NULL, 0, 0, in ? &id : NULL, &newh, out,
                                             attrs, &ts, mapped, &cd);
    if (newh != 0)
        *ctx = newh;
    return st;
}

START_TEST(test_legs)
{
    LSA_SEC_HANDLE cred = pkg_object_handle(pkg_object_new(&kt_cred_class, PKG_SIDE_LSA));
    LSA_SEC_HANDLE ctx = 0, other = 0;
    uint8_t buf[16];
    SecBuffer ob = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs = 0;
    BOOLEAN mapped = 7;
    int destroyed = kt_destroyed;

    /* Bad handles, no output buffer: nothing is created. */
    ck_assert_int_eq(kt_run(false, 0, &ctx, NULL, &od, &attrs, &mapped), STATUS_INVALID_HANDLE);
    ck_assert_uint_eq(mapped, 0);
    ck_assert_int_eq(kt_run(false, cred, &ctx, NULL, NULL, &attrs, &mapped),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert(ctx == 0);
    ck_assert_int_eq(kt_destroyed, destroyed + 1); /* the kit threw the new context away */
    /* A leg, then a failing leg, then the end of the context. */
    ck_assert_int_eq(kt_run(false, cred, &ctx, NULL, &od, &attrs, &mapped), SEC_I_CONTINUE_NEEDED);
    ck_assert(ctx != 0);
    ck_assert_uint_eq(attrs, 0x11);
    ck_assert_uint_eq(ob.cbBuffer, 5);
    ck_assert_int_eq(kt_run(false, cred, &ctx, "fail", &od, &attrs, &mapped), SEC_E_LOGON_DENIED);
    ck_assert_int_eq(kt_run(false, cred, &ctx, "good", &od, &attrs, &mapped),
                     SEC_E_OUT_OF_SEQUENCE);
    /* A credential is not a context, nor the other way round. */
    other = cred;
    ck_assert_int_eq(kt_run(false, cred, &other, "good", &od, &attrs, &mapped),
                     STATUS_INVALID_HANDLE);
    ck_assert_int_eq(kt_tables[0].FreeCredentialsHandle(ctx), STATUS_INVALID_HANDLE);
    ck_assert_int_eq(kt_tables[0].DeleteContext(ctx), STATUS_SUCCESS);
    ck_assert_int_eq(kt_tables[0].FreeCredentialsHandle(cred), STATUS_SUCCESS);
}
END_TEST

START_TEST(test_messages_and_attributes)
{
    struct kt_ctx *c = pkg_object_new(&kt_ctx_class, PKG_SIDE_LSA);
    LSA_SEC_HANDLE h = pkg_object_handle(c);
    uint8_t data[4], tok[8];
    SecBuffer b[2] = {{4, SECBUFFER_DATA, data}, {sizeof tok, SECBUFFER_TOKEN, tok}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecPkgContext_Flags flags;
    SecPkgContext_NegotiationInfoW ni;

    c->legs = 5;
    /* No user side yet: the per-message calls refuse the handle. */
    ck_assert_int_eq(kt_utables[0].MakeSignature(h, 0, &d, 0), STATUS_INVALID_HANDLE);
    ck_assert_int_eq(kt_tables[0].QueryContextAttributes(h, SECPKG_ATTR_FLAGS, &flags),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(flags.Flags, 5);
    ck_assert_int_eq(kt_tables[0].QueryContextAttributes(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    ck_assert_mem_eq(ni.PackageInfo->Name, u"KitOne", sizeof u"KitOne");
    free(ni.PackageInfo);
    /* While the handshake runs there is no key yet. */
    ck_assert_int_eq(kt_tables[0].QueryContextAttributes(h, SECPKG_ATTR_SESSION_KEY, &ni),
                     SEC_E_INVALID_HANDLE);
    ck_assert(pkg_object_attach(c, PKG_SIDE_USER));
    ck_assert(!pkg_object_attach(c, PKG_SIDE_USER));
    ck_assert_int_eq(kt_utables[0].MakeSignature(h, 0, &d, 0), SEC_E_OK);
    ck_assert_mem_eq(tok, "SIGN", 4);
    ck_assert_int_eq(kt_utables[0].MakeSignature(h, 0, NULL, 0), SEC_E_INVALID_TOKEN);
    b[0].pvBuffer = NULL;
    ck_assert_int_eq(kt_utables[0].MakeSignature(h, 0, &d, 0), SEC_E_INVALID_TOKEN);
    b[0].pvBuffer = data;
    ck_assert_int_eq(kt_utables[0].VerifySignature(h, &d, 0, NULL), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_int_eq(kt_utables[0].QueryContextAttributes(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni),
                     STATUS_SUCCESS);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    free(ni.PackageInfo);
    /* Complete, and the package keeps no session key: not answered. */
    ck_assert_int_eq(kt_utables[0].QueryContextAttributes(h, SECPKG_ATTR_SESSION_KEY, &ni),
                     SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_int_eq(kt_utables[0].QueryContextAttributes(h, 0x7777, &ni),
                     SEC_E_UNSUPPORTED_FUNCTION);
    /* Two sides, either order; a side released twice is refused. */
    ck_assert_int_eq(kt_utables[0].DeleteUserModeContext(h), STATUS_SUCCESS);
    ck_assert_int_eq(kt_utables[0].DeleteUserModeContext(h), STATUS_SUCCESS);
    ck_assert_int_eq(kt_tables[0].DeleteContext(h), STATUS_SUCCESS);
}
END_TEST

/* ---- pieces ------------------------------------------------------------------ */

START_TEST(test_buffers)
{
    uint8_t buf[8];
    SecBuffer b[2] = {{sizeof buf, SECBUFFER_DATA, buf}, {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    const uint8_t *in;
    size_t len;

    ck_assert_int_eq(pkg_output_token(NULL, 0, "abc", 3), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_int_eq(pkg_output_token(&d, 0, "abc", 3), SEC_E_BUFFER_TOO_SMALL); /* DATA only */
    b[0].BufferType = SECBUFFER_TOKEN | SECBUFFER_READONLY;
    b[0].cbBuffer = 2;
    ck_assert_int_eq(pkg_output_token(&d, 0, "abc", 3), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(b[0].cbBuffer, 2);
    b[0].pvBuffer = NULL;
    ck_assert_int_eq(pkg_output_token(&d, 0, "abc", 3), SEC_E_INTERNAL_ERROR);
    pkg_lsa = &kt_lsa;
    ck_assert_int_eq(pkg_output_token(&d, ISC_REQ_ALLOCATE_MEMORY, "abc", 3), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 3);
    ck_assert_mem_eq(b[0].pvBuffer, "abc", 3);
    ck_assert_int_eq(pkg_input_token(&d, &in, &len), SEC_E_OK);
    ck_assert_uint_eq(len, 3);
    free(b[0].pvBuffer);
    b[0] = (SecBuffer){0, SECBUFFER_TOKEN, buf};
    ck_assert_int_eq(pkg_input_token(&d, &in, &len), SEC_E_INVALID_TOKEN);
    pkg_input_extra(&d, 3, 10);
    ck_assert_uint_eq(b[1].BufferType, SECBUFFER_EXTRA);
    ck_assert_uint_eq(b[1].cbBuffer, 7);
    b[1] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    pkg_input_missing(&d, 12);
    ck_assert_uint_eq(b[1].BufferType, SECBUFFER_MISSING);
    ck_assert_uint_eq(b[1].cbBuffer, 12);
    ck_assert_uint_eq(pkg_buffer_count(&d, SECBUFFER_TOKEN), 1);

    /* pkg_output_space: the same buffer and statuses, room in place. */
    uint8_t *room = NULL;
    b[0] = (SecBuffer){2, SECBUFFER_TOKEN, buf};
    ck_assert_int_eq(pkg_output_space(&d, 0, 3, &room), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_ptr_null(room);
    ck_assert_uint_eq(b[0].cbBuffer, 2);
    b[0].cbBuffer = sizeof buf;
    ck_assert_int_eq(pkg_output_space(&d, 0, 3, &room), SEC_E_OK);
    ck_assert_ptr_eq(room, buf);
    ck_assert_uint_eq(b[0].cbBuffer, 3);
    b[0] = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_int_eq(pkg_output_space(&d, 0, 3, &room), SEC_E_INTERNAL_ERROR);
    ck_assert_int_eq(pkg_output_space(&d, ISC_REQ_ALLOCATE_MEMORY, 3, &room), SEC_E_OK);
    ck_assert_ptr_eq(room, b[0].pvBuffer);
    ck_assert_uint_eq(b[0].cbBuffer, 3);
    free(b[0].pvBuffer);
}
END_TEST

static void kt_packer(struct pkg_writer *w, const void *arg)
{
    pkg_write_u8(w, 1);
    pkg_write_u16(w, 0x0302);
    pkg_write_u32(w, 0x07060504);
    pkg_write_u64(w, 0x0f0e0d0c0b0a0908ull);
    pkg_write_blob(w, arg, 3);
    pkg_write_utf16(w, u"h\u00e9", 2);
}

START_TEST(test_pack)
{
    SecBuffer out = {0};
    struct pkg_reader r;
    uint8_t small[5];
    struct pkg_writer w;
    char16_t name[4];
    size_t n;
    const uint8_t *blob;

    pkg_dll = &kt_dll;
    ck_assert_int_eq(pkg_pack(PKG_MODE_USER, kt_packer, "xyz", &out), SEC_E_OK);
    ck_assert_uint_eq(out.cbBuffer, 1 + 2 + 4 + 8 + 4 + 3 + 4 + 4);
    ck_assert_hex(out.pvBuffer, 15, "01 0203 04050607 08090a0b0c0d0e0f");
    ck_assert_int_eq(pkg_import_reader(&out, &r), SEC_E_OK);
    ck_assert_uint_eq(pkg_read_u8(&r), 1);
    ck_assert_uint_eq(pkg_read_u16(&r), 0x0302);
    ck_assert_uint_eq(pkg_read_u32(&r), 0x07060504);
    ck_assert(pkg_read_u64(&r) == 0x0f0e0d0c0b0a0908ull);
    blob = pkg_read_blob(&r, 3, &n);
    ck_assert(blob != NULL && n == 3 && memcmp(blob, "xyz", 3) == 0);
    pkg_read_utf16(&r, name, 3, &n, false);
    ck_assert(n == 2 && name[1] == 0xe9 && name[2] == 0);
    ck_assert(pkg_reader_done(&r));
    /* Short input: every later read fails and gives zeros. */
    pkg_reader_init(&r, out.pvBuffer, 4);
    (void)pkg_read_u16(&r);
    ck_assert_uint_eq(pkg_read_u32(&r), 0);
    ck_assert(r.failed && !pkg_reader_done(&r));
    /* Limits are enforced. */
    pkg_reader_init(&r, (uint8_t *)out.pvBuffer + 15, out.cbBuffer - 15);
    ck_assert_ptr_null(pkg_read_blob(&r, 2, &n));
    free(out.pvBuffer);
    /* A writer never writes past its buffer. */
    pkg_writer_init(&w, small, sizeof small);
    pkg_write_u32(&w, 1);
    pkg_write_u32(&w, 2);
    ck_assert(w.failed);
    ck_assert_int_eq(pkg_export_flags(SECPKG_CONTEXT_EXPORT_DELETE_OLD), SEC_E_OK);
    ck_assert_int_eq(pkg_export_flags(SECPKG_CONTEXT_EXPORT_TO_KERNEL), SEC_E_UNSUPPORTED_FUNCTION);
    out = (SecBuffer){0, SECBUFFER_TOKEN, small};
    ck_assert_int_eq(pkg_import_reader(&out, &r), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(pkg_import_reader(NULL, &r), SEC_E_INVALID_TOKEN);
}
END_TEST

START_TEST(test_options)
{
    SECPKG_LIBSSPI_SETTING good[] = {{"flag", "On"},       {"count", "100"}, {"wait", "2h"},
                                     {"name", "x"},        {"secret", "pw"}, {"path", "users"},
                                     {"mode", "SOMETIMES"}};
    SECPKG_LIBSSPI_SETTING bad[] = {{"count", "101"},  {"wait", "1w"},  {"flag", "maybe"},
                                    {"mode", "often"}, {"nosuch", "1"}, {"path", ""},
                                    {NULL, "x"},       {"name", NULL}};
    SECPKG_LIBSSPI_CONFIG cfg = {7, good, "/etc/libsspi/packages.d/50-kit.conf"};
    SECPKG_EXTENDED_INFORMATION ext = {.Class = SecpkgLibsspiConfig};
    struct kt_settings s;
    uint64_t v;

    ck_assert(pkg_options_get(&kt_options, &s));
    ck_assert_uint_eq(s.count, 7);
    ck_assert_str_eq(s.name, "default");
    pkg_options_release(&kt_options, &s);
    ext.Info.LibsspiConfig = cfg;
    ck_assert_int_eq(kt_tables[0].SetExtendedInformation(SecpkgLibsspiConfig, &ext),
                     STATUS_SUCCESS);
    ck_assert(pkg_options_get(&kt_options, &s));
    ck_assert(s.flag);
    ck_assert_uint_eq(s.count, 100);
    ck_assert_uint_eq(s.wait, 7200);
    ck_assert_str_eq(s.name, "x");
    ck_assert_str_eq(s.secret, "pw");
    ck_assert_str_eq(s.path, "/etc/libsspi/packages.d/users");
    ck_assert_int_eq(s.mode, 1);
    pkg_options_release(&kt_options, &s);
    /* Each bad setting is refused; the defaults come back. */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg = (SECPKG_LIBSSPI_CONFIG){1, &bad[i], NULL};
        ck_assert_int_eq(pkg_options_apply(&kt_options, &cfg), STATUS_INVALID_PARAMETER);
    }
    ck_assert(pkg_options_get(&kt_options, &s));
    ck_assert_uint_eq(s.count, 7);
    ck_assert_ptr_null(s.secret);
    pkg_options_release(&kt_options, &s);
    cfg = (SECPKG_LIBSSPI_CONFIG){1, NULL, NULL};
    ck_assert_int_eq(pkg_options_apply(&kt_options, &cfg), STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(kt_tables[1].SetExtendedInformation(SecpkgLibsspiConfig, &ext),
                     STATUS_INVALID_PARAMETER); /* KitTwo has no options */
    ck_assert(pkg_parse_seconds("90", 0, 100, &v) && v == 90);
    ck_assert(pkg_parse_seconds("15m", 0, 1000, &v) && v == 900);
    ck_assert(!pkg_parse_seconds("1d", 0, 1000, &v));
    ck_assert(!pkg_parse_seconds("5mm", 0, 1000, &v));
    ck_assert(!pkg_parse_uint("18446744073709551616", 0, UINT64_MAX, &v));
    ck_assert(!pkg_parse_uint("-1", 0, 10, &v));
}
END_TEST

START_TEST(test_identity_and_time)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {
        (unsigned char *)"DOM\\user", 8, NULL, 0, (unsigned char *)"pw", 2,
        SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_A anon = {(unsigned char *)"", 0, (unsigned char *)"",         0,
                                      (unsigned char *)"", 0, SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_W none = {NULL, 0, NULL, 0, NULL, 0, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    struct pkg_identity id;
    int64_t now = pkg_filetime_now();

    ck_assert_int_eq(pkg_identity_parse(&a, true, &id), SEC_E_OK);
    ck_assert(id.given && !id.anonymous);
    ck_assert_mem_eq(id.id.user.s, u"user", sizeof u"user");
    ck_assert_mem_eq(id.id.domain.s, u"DOM", sizeof u"DOM");
    pkg_identity_clear(&id);
    ck_assert_int_eq(pkg_identity_parse(&anon, true, &id), SEC_E_OK);
    ck_assert(id.given && id.anonymous);
    pkg_identity_clear(&id);
    ck_assert_int_eq(pkg_identity_parse(&none, true, &id), SEC_E_OK);
    ck_assert(!id.given);
    pkg_identity_clear(&id);
    ck_assert_int_eq(pkg_identity_parse(NULL, true, &id), SEC_E_OK);
    ck_assert(!id.given);
    a.User = NULL; /* a length without a pointer */
    ck_assert_int_eq(pkg_identity_parse(&a, true, &id), SEC_E_INVALID_PARAMETER);
    pkg_identity_clear(&id);

    ck_assert(now > pkg_filetime_from_unix(1600000000));
    ck_assert(pkg_filetime_after(now, 0) == PKG_NEVER);
    ck_assert(pkg_filetime_after(now, UINT64_MAX) == PKG_NEVER);
    ck_assert(pkg_filetime_after(now, 10) == now + 100000000);
    ck_assert(!pkg_filetime_expired(PKG_NEVER));
    ck_assert(pkg_filetime_expired(now - 1));
    ck_assert_uint_eq(pkg_credential_use(SECPKG_CRED_BOTH | 0x40), SECPKG_CRED_BOTH);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pkg-kit");
    TCase *tc = tcase_create("kit");
    SRunner *sr;
    int failed;

    tcase_add_unchecked_fixture(tc, kt_setup, NULL);
    tcase_add_test(tc, test_module_entry);
    tcase_add_test(tc, test_host_services);
    tcase_add_test(tc, test_legs);
    tcase_add_test(tc, test_messages_and_attributes);
    tcase_add_test(tc, test_buffers);
    tcase_add_test(tc, test_pack);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_identity_and_time);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
