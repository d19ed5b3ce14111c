/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-common.c - the engine shared by the test packages (see
 * mock-common.h).  Test code: simple and defensive rather than fast; one
 * mutex guards all package state.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/identity.h"
#include "mock-common.h"

MOCK_EXPORT struct mock_state mock_state = {.magic = MOCK_STATE_MAGIC};

static pthread_mutex_t mock_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct mock_pkg_desc *mock_descs;
static PLSA_SECPKG_FUNCTION_TABLE mock_lsa; /* from SpInitialize */
static PSECPKG_DLL_FUNCTIONS mock_dll;      /* from SpInstanceInit */

/* ------------------------------------------------------------------------ */
/* Objects: credentials and contexts.  Handles are never reused.            */

enum { OBJ_CRED = 1, OBJ_CTX = 2 };
enum { SIDE_CLIENT = 1, SIDE_SERVER = 2 };

struct mock_obj {
    int kind;
    uint32_t pkg;
    int side;
    int stage; /* 1 after the first leg, 2 complete */
    uint8_t key;
    bool live;   /* credential: not freed; context: LSA side not deleted */
    bool mapped; /* user-mode side exists */
    bool user_deleted;
    int inflight;   /* user-mode message calls running */
    uint32_t flags; /* MOCK_CTX_*, from the client's target name */
};

#define MOCK_CTX_FAIL_USER_INIT 0x1
#define MOCK_CTX_NULL_NAMES     0x2
#define MOCK_CTX_BAD_NAMES      0x4
#define MOCK_CTX_FREE_PACKED    0x8
#define MOCK_CTX_STATIC_CTXDATA 0x10
#define MOCK_CTX_SHORT_CTXDATA  0x20
#define MOCK_CTX_LONG_TOKEN     0x40
#define MOCK_CTX_RETYPE_TOKEN   0x80
#define MOCK_CTX_FOREIGN_TOKEN  0x100

/* Context behaviour selected by the client's target name (mock-state.h). */
static uint32_t target_flags(const char *target)
{
    if (strcmp(target, MOCK_TARGET_FAIL_USER_INIT) == 0)
        return MOCK_CTX_FAIL_USER_INIT;
    if (strcmp(target, MOCK_TARGET_NULL_NAMES) == 0)
        return MOCK_CTX_NULL_NAMES;
    if (strcmp(target, MOCK_TARGET_BAD_NAMES) == 0)
        return MOCK_CTX_BAD_NAMES;
    if (strcmp(target, MOCK_TARGET_FREE_PACKED) == 0)
        return MOCK_CTX_FREE_PACKED;
    if (strcmp(target, MOCK_TARGET_STATIC_CTXDATA) == 0)
        return MOCK_CTX_STATIC_CTXDATA;
    if (strcmp(target, MOCK_TARGET_SHORT_CTXDATA) == 0)
        return MOCK_CTX_SHORT_CTXDATA;
    if (strcmp(target, MOCK_TARGET_LONG_TOKEN) == 0)
        return MOCK_CTX_LONG_TOKEN;
    if (strcmp(target, MOCK_TARGET_RETYPE_TOKEN) == 0)
        return MOCK_CTX_RETYPE_TOKEN;
    if (strcmp(target, MOCK_TARGET_FOREIGN_TOKEN) == 0)
        return MOCK_CTX_FOREIGN_TOKEN;
    return 0;
}

#define HANDLE_BASE ((LSA_SEC_HANDLE)0x5a0000)
#define HANDLE_STEP 16

static struct mock_obj **objs;
static size_t obj_count, obj_cap;
static uint8_t next_key = 0x21;

static LSA_SEC_HANDLE obj_new(int kind, uint32_t pkg, struct mock_obj **out)
{
    struct mock_obj *o = calloc(1, sizeof(*o));

    if (o == NULL)
        return 0;
    if (obj_count == obj_cap) {
        size_t ncap = obj_cap ? obj_cap * 2 : 256;
        struct mock_obj **n = realloc(objs, ncap * sizeof(*n));

        if (n == NULL) {
            free(o);
            return 0;
        }
        objs = n;
        obj_cap = ncap;
    }
    o->kind = kind;
    o->pkg = pkg;
    o->live = true;
    objs[obj_count++] = o;
    *out = o;
    return HANDLE_BASE + (LSA_SEC_HANDLE)obj_count * HANDLE_STEP;
}

/* Find an object by handle regardless of its state; NULL if never issued. */
static struct mock_obj *obj_find(LSA_SEC_HANDLE h)
{
    size_t i;

    if (h <= HANDLE_BASE || (h - HANDLE_BASE) % HANDLE_STEP != 0)
        return NULL;
    i = (h - HANDLE_BASE) / HANDLE_STEP;
    if (i == 0 || i > obj_count)
        return NULL;
    return objs[i - 1];
}

void mock_violation(const char *fmt, ...)
{
    va_list ap;

    mock_state.violations++;
    va_start(ap, fmt);
    vsnprintf(mock_state.violation_text, sizeof(mock_state.violation_text), fmt, ap);
    va_end(ap);
    fprintf(stderr, "mock package: host violation: %s\n", mock_state.violation_text);
}

/* Credential of package `pkg` that must be live; NULL (and a violation)
 * otherwise.  Called with mock_lock held. */
static struct mock_obj *cred_get(uint32_t pkg, LSA_SEC_HANDLE h, const char *fn)
{
    struct mock_obj *o = obj_find(h);

    if (o == NULL || o->kind != OBJ_CRED) {
        mock_violation("%s: credential handle %#lx was never issued", fn, (unsigned long)h);
        return NULL;
    }
    if (!o->live) {
        mock_violation("%s: credential handle %#lx used after free", fn, (unsigned long)h);
        return NULL;
    }
    if (o->pkg != pkg) {
        mock_violation("%s: credential of package %u passed to package %u", fn, o->pkg, pkg);
        return NULL;
    }
    return o;
}

/* Context for an LSA-mode call. */
static struct mock_obj *ctx_get_lsa(uint32_t pkg, LSA_SEC_HANDLE h, const char *fn)
{
    struct mock_obj *o = obj_find(h);

    if (o == NULL || o->kind != OBJ_CTX) {
        mock_violation("%s: context handle %#lx was never issued", fn, (unsigned long)h);
        return NULL;
    }
    if (!o->live) {
        mock_violation("%s: context handle %#lx used after DeleteContext", fn, (unsigned long)h);
        return NULL;
    }
    if (o->pkg != pkg) {
        mock_violation("%s: context of package %u passed to package %u", fn, o->pkg, pkg);
        return NULL;
    }
    return o;
}

/* Context for a user-mode call: NULL without a violation when the context
 * is simply not complete yet (*incomplete set). */
static struct mock_obj *ctx_get_user(uint32_t pkg, LSA_SEC_HANDLE h, const char *fn,
                                     bool *incomplete)
{
    struct mock_obj *o = obj_find(h);

    *incomplete = false;
    if (o == NULL || o->kind != OBJ_CTX) {
        mock_violation("%s: context handle %#lx was never issued", fn, (unsigned long)h);
        return NULL;
    }
    if (o->user_deleted) {
        mock_violation("%s: context handle %#lx used after DeleteUserModeContext", fn,
                       (unsigned long)h);
        return NULL;
    }
    if (o->pkg != pkg) {
        mock_violation("%s: user table of package %u used for a context of package %u", fn, pkg,
                       o->pkg);
        return NULL;
    }
    if (!o->mapped) {
        *incomplete = true;
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

void mock_utf16_to_utf8(const char16_t *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;

    if (cap == 0)
        return;
    for (size_t i = 0; s != NULL && (n == (size_t)-1 ? s[i] != 0 : i < n); i++) {
        uint32_t c = s[i];
        char tmp[4];
        size_t k;

        if (c >= 0xd800 && c < 0xdc00 && (n == (size_t)-1 || i + 1 < n) && s[i + 1] >= 0xdc00 &&
            s[i + 1] < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00);
            i++;
        }
        if (c < 0x80) {
            tmp[0] = (char)c;
            k = 1;
        } else if (c < 0x800) {
            tmp[0] = (char)(0xc0 | (c >> 6));
            tmp[1] = (char)(0x80 | (c & 0x3f));
            k = 2;
        } else if (c < 0x10000) {
            tmp[0] = (char)(0xe0 | (c >> 12));
            tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f));
            tmp[2] = (char)(0x80 | (c & 0x3f));
            k = 3;
        } else {
            tmp[0] = (char)(0xf0 | (c >> 18));
            tmp[1] = (char)(0x80 | ((c >> 12) & 0x3f));
            tmp[2] = (char)(0x80 | ((c >> 6) & 0x3f));
            tmp[3] = (char)(0x80 | (c & 0x3f));
            k = 4;
        }
        if (o + k >= cap)
            break;
        memcpy(out + o, tmp, k);
        o += k;
    }
    out[o] = '\0';
}

bool mock_parse_status(const char *text, size_t len, NTSTATUS *status)
{
    size_t plen = strlen(MOCK_STATUS_PREFIX);
    uint32_t v = 0;

    if (text == NULL || len < plen + 8 || memcmp(text, MOCK_STATUS_PREFIX, plen) != 0)
        return false;
    for (size_t i = plen; i < plen + 8; i++) {
        char c = text[i];
        uint32_t d;

        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *status = (NTSTATUS)v;
    return true;
}

static bool ustr_status(const UNICODE_STRING *u, NTSTATUS *status)
{
    char tmp[64];

    if (u == NULL || u->Buffer == NULL)
        return false;
    mock_utf16_to_utf8(u->Buffer, u->Length / 2, tmp, sizeof(tmp));
    return mock_parse_status(tmp, strlen(tmp), status);
}

/* Validate a buffer descriptor the host handed down.  Descriptors with an
 * absurd buffer count are a host bug: the host must not pass them on. */
bool mock_desc_ok(const SecBufferDesc *d, const char *fn)
{
    if (d == NULL || d->ulVersion != SECBUFFER_VERSION || d->pBuffers == NULL)
        return false;
    if (d->cBuffers > 64) {
        mock_violation("%s: descriptor with %u buffers passed to the package", fn, d->cBuffers);
        return false;
    }
    return true;
}

SecBuffer *mock_desc_find(const SecBufferDesc *d, uint32_t type)
{
    for (uint32_t i = 0; i < d->cBuffers; i++)
        if ((d->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &d->pBuffers[i];
    return NULL;
}

/* Status injected through the first DATA buffer of a message. */
bool mock_message_status(const SecBufferDesc *d, NTSTATUS *status)
{
    SecBuffer *b = mock_desc_find(d, SECBUFFER_DATA);

    return b != NULL && b->pvBuffer != NULL && mock_parse_status(b->pvBuffer, b->cbBuffer, status);
}

uint64_t mock_message_checksum(const SecBufferDesc *d, uint8_t key)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ key;

    for (uint32_t i = 0; i < d->cBuffers; i++) {
        const SecBuffer *b = &d->pBuffers[i];

        if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_DATA || b->pvBuffer == NULL)
            continue;
        for (uint32_t j = 0; j < b->cbBuffer; j++) {
            h ^= ((const uint8_t *)b->pvBuffer)[j];
            h *= UINT64_C(0x100000001b3);
        }
    }
    return h;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

static void set_expiry(PTimeStamp ts)
{
    if (ts != NULL) {
        ts->LowPart = 0x89abcdefu;
        ts->HighPart = 0x01234567;
    }
}

/* Write a handshake token into the output descriptor; allocates it from
 * the LSA heap when the caller asked for ALLOCATE_MEMORY and gave no
 * buffer. */
static NTSTATUS write_token(PSecBufferDesc out, const char tag[8], uint8_t key, uint32_t req,
                            uint32_t *attrs)
{
    SecBuffer *b;

    if (!mock_desc_ok(out, "output token") || (b = mock_desc_find(out, SECBUFFER_TOKEN)) == NULL)
        return SEC_E_INVALID_TOKEN;
    if (b->pvBuffer == NULL) {
        if ((req & ISC_REQ_ALLOCATE_MEMORY) == 0)
            return SEC_E_BUFFER_TOO_SMALL;
        b->pvBuffer = mock_lsa->AllocateLsaHeap(MOCK_TOKEN_LEN);
        if (b->pvBuffer == NULL)
            return STATUS_NO_MEMORY;
        *attrs |= ISC_RET_ALLOCATED_MEMORY;
    } else if (b->cbBuffer < MOCK_TOKEN_LEN) {
        return SEC_E_BUFFER_TOO_SMALL;
    }
    memset(b->pvBuffer, 0, MOCK_TOKEN_LEN);
    memcpy(b->pvBuffer, tag, 8);
    ((uint8_t *)b->pvBuffer)[8] = key;
    b->cbBuffer = MOCK_TOKEN_LEN;
    return STATUS_SUCCESS;
}

/* What a broken package does to its first output token (MOCK_CTX_*). */
static void break_first_token(PSecBufferDesc out, uint32_t flags)
{
    static uint8_t foreign[MOCK_TOKEN_LEN] = "MOCKNEG1";
    SecBuffer *b = mock_desc_find(out, SECBUFFER_TOKEN);

    if (b == NULL)
        return;
    if (flags & MOCK_CTX_LONG_TOKEN)
        b->cbBuffer += 4096;
    if (flags & MOCK_CTX_RETYPE_TOKEN)
        b->BufferType = SECBUFFER_DATA;
    if (flags & MOCK_CTX_FOREIGN_TOKEN)
        b->pvBuffer = foreign;
}

static void clear_token(PSecBufferDesc out)
{
    SecBuffer *b;

    if (mock_desc_ok(out, "output token") && (b = mock_desc_find(out, SECBUFFER_TOKEN)) != NULL)
        b->cbBuffer = 0;
}

/* The key byte of an input token with `tag`, or -1. */
static int read_token(PSecBufferDesc in, const char tag[8])
{
    SecBuffer *b;

    if (!mock_desc_ok(in, "input token") || (b = mock_desc_find(in, SECBUFFER_TOKEN)) == NULL)
        return -1;
    if (b->pvBuffer == NULL || b->cbBuffer < MOCK_TOKEN_LEN || memcmp(b->pvBuffer, tag, 8) != 0)
        return -1;
    return ((const uint8_t *)b->pvBuffer)[8];
}

static bool input_status(PSecBufferDesc in, NTSTATUS *status)
{
    SecBuffer *b;

    if (!mock_desc_ok(in, "input token") || (b = mock_desc_find(in, SECBUFFER_TOKEN)) == NULL)
        return false;
    return b->pvBuffer != NULL && mock_parse_status(b->pvBuffer, b->cbBuffer, status);
}

/* ContextData handed to the host for SpInitUserModeContext. */
#define CTXDATA_LEN 24

static NTSTATUS make_context_data(LSA_SEC_HANDLE h, const struct mock_obj *o, PSecBuffer data)
{
    static const uint8_t rodata[CTXDATA_LEN] = "MOCKCTXD read-only";
    uint8_t *p;

    if (o->flags & MOCK_CTX_STATIC_CTXDATA) {
        data->pvBuffer = (void *)rodata;
        data->cbBuffer = CTXDATA_LEN;
        data->BufferType = SECBUFFER_TOKEN;
        return STATUS_SUCCESS;
    }
    if (o->flags & MOCK_CTX_SHORT_CTXDATA) {
        /* A block of 8 bytes that claims to hold CTXDATA_LEN. */
        if ((data->pvBuffer = mock_lsa->AllocateLsaHeap(8)) == NULL)
            return STATUS_NO_MEMORY;
        data->cbBuffer = CTXDATA_LEN;
        data->BufferType = SECBUFFER_TOKEN;
        return STATUS_SUCCESS;
    }
    p = mock_lsa->AllocateLsaHeap(CTXDATA_LEN);

    if (p == NULL)
        return STATUS_NO_MEMORY;
    memcpy(p, "MOCKCTXD", 8);
    put64(p + 8, (uint64_t)h);
    p[16] = o->key;
    p[17] = (uint8_t)o->side;
    p[18] = (uint8_t)o->pkg;
    data->pvBuffer = p;
    data->cbBuffer = CTXDATA_LEN;
    data->BufferType = SECBUFFER_TOKEN;
    return STATUS_SUCCESS;
}

static bool call_is_ansi(void)
{
    SECPKG_CALL_INFO info;

    memset(&info, 0, sizeof(info));
    return mock_lsa != NULL && mock_lsa->GetCallInfo != NULL && mock_lsa->GetCallInfo(&info) &&
           (info.Attributes & SECPKG_CALL_ANSI) != 0;
}

/* ------------------------------------------------------------------------ */
/* LSA-mode functions                                                       */

static NTSTATUS sp_initialize(uint32_t idx, ULONG_PTR id, PSECPKG_PARAMETERS params,
                              PLSA_SECPKG_FUNCTION_TABLE lsa)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    size_t nslots = sizeof(*lsa) / sizeof(void (*)(void));

    pthread_mutex_lock(&mock_lock);
    r->initialize_calls++;
    r->package_id = id;
    r->params_present = params != NULL;
    if (params != NULL) {
        r->params_version = params->Version;
        r->params_machine_state = params->MachineState;
    }
    r->lsa_present = lsa != NULL;
    if (lsa != NULL) {
        uint8_t *p;
        LUID luid = {0, 0};

        mock_lsa = lsa;
        r->lsa_null_slots = 0;
        for (size_t i = 0; i < nslots; i++) {
            void (*fn)(void);

            memcpy(&fn, (const char *)lsa + i * sizeof(fn), sizeof(fn));
            if (fn == NULL)
                r->lsa_null_slots++;
        }
        if (lsa->AllocateLsaHeap != NULL && (p = lsa->AllocateLsaHeap(64)) != NULL) {
            r->lsa_heap_ok = 1;
            for (int i = 0; i < 64; i++)
                if (p[i] != 0)
                    r->lsa_heap_ok = 0;
            memset(p, 0xa5, 64);
            if (lsa->FreeLsaHeap != NULL)
                lsa->FreeLsaHeap(p);
        }
        if (lsa->CreateLogonSession != NULL)
            r->create_logon_session_status = lsa->CreateLogonSession(&luid);
    }
    pthread_mutex_unlock(&mock_lock);
    return mock_descs[idx].init_status;
}

static NTSTATUS sp_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS sp_get_info(uint32_t idx, PSecPkgInfoW info)
{
    const struct mock_pkg_desc *d = &mock_descs[idx];

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].getinfo_calls++;
    pthread_mutex_unlock(&mock_lock);
    info->fCapabilities = d->capabilities;
    info->wVersion = d->version;
    info->wRPCID = d->rpcid;
    info->cbMaxToken = d->max_token;
    info->Name = (SEC_WCHAR *)d->name;
    info->Comment = (SEC_WCHAR *)d->comment;
    return STATUS_SUCCESS;
}

/* Record what pAuthData held, read with the shared parser as a package
 * reads it (through LSA CopyFromClientBuffer). */
static bool mock_client_read(void *dst, const void *src, size_t len)
{
    return mock_lsa->CopyFromClientBuffer(NULL, (ULONG)len, dst, (PVOID)src) == STATUS_SUCCESS;
}

static void record_str(const struct sspi_identity_str *f, char *out, size_t cap)
{
    out[0] = '\0';
    if (f->s != NULL)
        mock_utf16_to_utf8(f->s, f->len, out, cap);
}

static void record_identity(struct mock_pkg_record *r, const void *authdata)
{
    static const struct sspi_identity_source src = {SIZE_MAX, mock_client_read, NULL};
    struct sspi_identity id;
    uint32_t flags = 0;

    r->authdata_present = authdata != NULL;
    r->authdata_ptr = (uint64_t)(uintptr_t)authdata;
    r->identity_status = sspi_identity_parse_from(authdata, &src, &id);
    r->identity_form = id.form;
    /* The charset bit the structure carried, as the parser read it. */
    if (id.form == SSPI_IDENTITY_A || id.form == SSPI_IDENTITY_EXA)
        flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    else if (id.form != SSPI_IDENTITY_NONE)
        flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    r->identity_flags = id.flags | flags;
    record_str(&id.user, r->identity_user, sizeof(r->identity_user));
    record_str(&id.domain, r->identity_domain, sizeof(r->identity_domain));
    record_str(&id.password, r->identity_password, sizeof(r->identity_password));
    sspi_identity_clear(&id);
}

static NTSTATUS sp_acquire_credentials_handle(uint32_t idx, PUNICODE_STRING principal, ULONG use,
                                              PLUID logon, PVOID authdata, PVOID getkey,
                                              PVOID getkeyarg, PLSA_SEC_HANDLE cred,
                                              PTimeStamp expiry)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    SECPKG_CALL_INFO call;
    SECPKG_CLIENT_INFO client;
    NTSTATUS st = STATUS_SUCCESS;
    struct mock_obj *o;

    (void)logon;
    (void)getkey;
    (void)getkeyarg;
    pthread_mutex_lock(&mock_lock);
    r->ach_calls++;
    r->principal_present = principal != NULL;
    r->principal[0] = '\0';
    if (principal != NULL) {
        r->principal_length = principal->Length;
        r->principal_maximum = principal->MaximumLength;
        mock_utf16_to_utf8(principal->Buffer, principal->Length / 2, r->principal,
                           sizeof(r->principal));
    }
    r->cred_use = use;
    record_identity(r, authdata);
    memset(&call, 0, sizeof(call));
    memset(&client, 0, sizeof(client));
    r->call_info_ok = mock_lsa->GetCallInfo(&call);
    r->call_attributes = call.Attributes;
    r->call_process_id = call.ProcessId;
    r->client_info_status = mock_lsa->GetClientInfo(&client);
    r->client_process_id = client.ProcessID;
    if (ustr_status(principal, &st))
        goto out;
    if (cred == NULL) {
        mock_violation("SpAcquireCredentialsHandle: NULL CredentialHandle");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    *cred = obj_new(OBJ_CRED, idx, &o);
    if (*cred == 0) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    r->live_credentials++;
    set_expiry(expiry);
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_free_credentials_handle(uint32_t idx, LSA_SEC_HANDLE h)
{
    struct mock_obj *o;
    NTSTATUS st = STATUS_SUCCESS;

    pthread_mutex_lock(&mock_lock);
    if ((o = cred_get(idx, h, "SpFreeCredentialsHandle")) == NULL) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    o->live = false;
    mock_state.pkg[idx].live_credentials--;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_query_credentials_attributes(uint32_t idx, LSA_SEC_HANDLE h, ULONG attr,
                                                PVOID buffer)
{
    static const char16_t user_w[] = u"mockuser@MOCK";
    NTSTATUS st = STATUS_SUCCESS;
    void *client = NULL;

    pthread_mutex_lock(&mock_lock);
    if (cred_get(idx, h, "SpQueryCredentialsAttributes") == NULL) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (attr != SECPKG_CRED_ATTR_NAMES) {
        st = STATUS_NOT_SUPPORTED;
        goto out;
    }
    st = mock_lsa->AllocateClientBuffer(NULL, sizeof(user_w), &client);
    if (!NT_SUCCESS(st))
        goto out;
    st = mock_lsa->CopyToClientBuffer(NULL, sizeof(user_w), client, (PVOID)user_w);
    if (!NT_SUCCESS(st)) {
        mock_lsa->FreeClientBuffer(NULL, client);
        goto out;
    }
    ((SecPkgCredentials_NamesW *)buffer)->sUserName = client;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static void record_target(struct mock_pkg_record *r, PUNICODE_STRING target)
{
    r->target_present = target != NULL;
    r->target[0] = '\0';
    r->target_length = 0;
    if (target != NULL) {
        r->target_length = target->Length;
        mock_utf16_to_utf8(target->Buffer, target->Length / 2, r->target, sizeof(r->target));
    }
}

static NTSTATUS sp_init_lsa_mode_context(uint32_t idx, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx,
                                         PUNICODE_STRING target, ULONG req, ULONG drep,
                                         PSecBufferDesc in, PLSA_SEC_HANDLE newctx,
                                         PSecBufferDesc out, PULONG attrs, PTimeStamp expiry,
                                         PBOOLEAN mapped, PSecBuffer data)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    struct mock_obj *o;
    NTSTATUS st;
    uint32_t a = req & 0x3f;
    int key;

    (void)drep;
    pthread_mutex_lock(&mock_lock);
    r->isc_calls++;
    r->context_req = req;
    if (call_is_ansi())
        r->isc_ansi_calls++;
    record_target(r, target);
    if (ustr_status(target, &st))
        goto out;
    if (newctx == NULL || attrs == NULL || mapped == NULL || data == NULL) {
        mock_violation("SpInitLsaModeContext: NULL output parameter");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (ctx == 0) {
        if (cred_get(idx, cred, "SpInitLsaModeContext") == NULL) {
            st = STATUS_INVALID_HANDLE;
            goto out;
        }
        *newctx = obj_new(OBJ_CTX, idx, &o);
        if (*newctx == 0) {
            st = STATUS_NO_MEMORY;
            goto out;
        }
        o->side = SIDE_CLIENT;
        o->stage = 1;
        o->flags = target_flags(r->target);
        st = write_token(out, "MOCKNEG1", 0, req, &a);
        if (!NT_SUCCESS(st)) {
            o->live = false;
            goto out;
        }
        break_first_token(out, o->flags);
        r->live_contexts++;
        *attrs = a;
        set_expiry(expiry);
        st = SEC_I_CONTINUE_NEEDED;
        goto out;
    }
    if ((o = ctx_get_lsa(idx, ctx, "SpInitLsaModeContext")) == NULL ||
        (cred != 0 && cred_get(idx, cred, "SpInitLsaModeContext") == NULL)) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->side != SIDE_CLIENT || o->stage != 1) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto out;
    }
    if ((key = read_token(in, "MOCKCHL2")) < 0) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    o->key = (uint8_t)key;
    st = write_token(out, "MOCKAUT3", o->key, req, &a);
    if (!NT_SUCCESS(st))
        goto out;
    st = make_context_data(ctx, o, data);
    if (!NT_SUCCESS(st))
        goto out;
    o->stage = 2;
    *newctx = ctx;
    *mapped = TRUE;
    *attrs = a;
    set_expiry(expiry);
    st = SEC_E_OK;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_accept_lsa_mode_context(uint32_t idx, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx,
                                           PSecBufferDesc in, ULONG req, ULONG drep,
                                           PLSA_SEC_HANDLE newctx, PSecBufferDesc out, PULONG attrs,
                                           PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    struct mock_obj *o;
    NTSTATUS st;
    uint32_t a = req & 0x3f;

    (void)drep;
    pthread_mutex_lock(&mock_lock);
    r->asc_calls++;
    r->context_req = req;
    if (input_status(in, &st))
        goto out;
    if (newctx == NULL || attrs == NULL || mapped == NULL || data == NULL) {
        mock_violation("SpAcceptLsaModeContext: NULL output parameter");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (ctx == 0) {
        if (cred_get(idx, cred, "SpAcceptLsaModeContext") == NULL) {
            st = STATUS_INVALID_HANDLE;
            goto out;
        }
        if (read_token(in, "MOCKNEG1") < 0) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        *newctx = obj_new(OBJ_CTX, idx, &o);
        if (*newctx == 0) {
            st = STATUS_NO_MEMORY;
            goto out;
        }
        o->side = SIDE_SERVER;
        o->stage = 1;
        o->key = next_key++;
        if (next_key == 0)
            next_key = 0x21;
        st = write_token(out, "MOCKCHL2", o->key, req, &a);
        if (!NT_SUCCESS(st)) {
            o->live = false;
            goto out;
        }
        r->live_contexts++;
        *attrs = a;
        set_expiry(expiry);
        st = SEC_I_CONTINUE_NEEDED;
        goto out;
    }
    if ((o = ctx_get_lsa(idx, ctx, "SpAcceptLsaModeContext")) == NULL ||
        (cred != 0 && cred_get(idx, cred, "SpAcceptLsaModeContext") == NULL)) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->side != SIDE_SERVER || o->stage != 1) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto out;
    }
    if (read_token(in, "MOCKAUT3") != o->key) {
        st = SEC_E_LOGON_DENIED;
        goto out;
    }
    st = make_context_data(ctx, o, data);
    if (!NT_SUCCESS(st))
        goto out;
    clear_token(out);
    o->stage = 2;
    *newctx = ctx;
    *mapped = TRUE;
    *attrs = a;
    set_expiry(expiry);
    st = SEC_E_OK;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_delete_context(uint32_t idx, LSA_SEC_HANDLE h)
{
    struct mock_obj *o;
    NTSTATUS st = STATUS_SUCCESS;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].lsa_delete_calls++;
    if ((o = ctx_get_lsa(idx, h, "SpDeleteContext")) == NULL) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->inflight > 0)
        mock_violation("SpDeleteContext: context %#lx deleted during a message call",
                       (unsigned long)h);
    o->live = false;
    mock_state.pkg[idx].live_contexts--;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS query_context_attributes(uint32_t idx, struct mock_obj *o, ULONG attr, PVOID buffer)
{
    static const char16_t user_w[] = u"mockuser@MOCK";

    mock_state.pkg[idx].qca_calls++;
    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buffer;

        s->cbMaxToken = mock_descs[idx].max_token;
        s->cbMaxSignature = MOCK_SIG_LEN;
        s->cbBlockSize = 0;
        s->cbSecurityTrailer = MOCK_SIG_LEN;
        return STATUS_SUCCESS;
    }
    case SECPKG_ATTR_NAMES: {
        static const char16_t bad_w[] = u"\xd800"
                                        u"bad";
        PLSA_ALLOCATE_LSA_HEAP alloc =
            mock_dll != NULL ? mock_dll->AllocateHeap : mock_lsa->AllocateLsaHeap;
        const char16_t *name = (o->flags & MOCK_CTX_BAD_NAMES) ? bad_w : user_w;
        size_t len = (o->flags & MOCK_CTX_BAD_NAMES) ? sizeof(bad_w) : sizeof(user_w);
        void *p;

        if (o->flags & MOCK_CTX_NULL_NAMES) {
            ((SecPkgContext_NamesW *)buffer)->sUserName = NULL;
            return STATUS_SUCCESS;
        }
        if ((p = alloc((ULONG)len)) == NULL)
            return STATUS_NO_MEMORY;
        memcpy(p, name, len);
        ((SecPkgContext_NamesW *)buffer)->sUserName = p;
        return STATUS_SUCCESS;
    }
    case MOCK_ATTR_SIDE:
        *(uint32_t *)buffer = (uint32_t)o->side;
        return STATUS_SUCCESS;
    default:
        return STATUS_NOT_SUPPORTED;
    }
}

static NTSTATUS sp_lsa_query_context_attributes(uint32_t idx, LSA_SEC_HANDLE h, ULONG attr,
                                                PVOID buffer)
{
    struct mock_obj *o;
    NTSTATUS st;

    pthread_mutex_lock(&mock_lock);
    if ((o = ctx_get_lsa(idx, h, "SpQueryContextAttributes (LSA)")) == NULL)
        st = STATUS_INVALID_HANDLE;
    else
        st = query_context_attributes(idx, o, attr, buffer);
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static struct {
    const uint8_t *oid;
    uint32_t len;
    bool is_static;
} mock_oids[MOCK_MAX_PACKAGES];

void mock_set_oid(uint32_t index, const uint8_t *oid, uint32_t len, bool is_static)
{
    if (index < MOCK_MAX_PACKAGES && len <= 64) {
        mock_oids[index].oid = oid;
        mock_oids[index].len = len;
        mock_oids[index].is_static = is_static;
    }
}

static NTSTATUS sp_get_extended_information(uint32_t idx, SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                            PSECPKG_EXTENDED_INFORMATION *info)
{
    static union {
        SECPKG_EXTENDED_INFORMATION info;
        uint8_t bytes[sizeof(SECPKG_EXTENDED_INFORMATION) + 64];
    } fixed[MOCK_MAX_PACKAGES];
    uint32_t len = mock_oids[idx].len;
    size_t size = offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId) + len;
    PSECPKG_EXTENDED_INFORMATION out;

    if (cls != SecpkgGssInfo || mock_oids[idx].oid == NULL)
        return STATUS_NOT_SUPPORTED;
    if (info == NULL) {
        mock_violation("SpGetExtendedInformation: NULL information pointer");
        return STATUS_INVALID_PARAMETER;
    }
    out = mock_oids[idx].is_static ? &fixed[idx].info : mock_lsa->AllocateLsaHeap((ULONG)size);
    if (out == NULL)
        return STATUS_NO_MEMORY;
    out->Class = SecpkgGssInfo;
    out->Info.GssInfo.EncodedIdLength = len;
    memcpy(out->Info.GssInfo.EncodedId, mock_oids[idx].oid, len);
    *info = out;
    return STATUS_SUCCESS;
}

static NTSTATUS sp_set_extended_information(uint32_t idx, SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                            PSECPKG_EXTENDED_INFORMATION info)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    NTSTATUS st = STATUS_SUCCESS;

    pthread_mutex_lock(&mock_lock);
    if (cls != SecpkgLibsspiConfig) {
        st = STATUS_NOT_SUPPORTED;
        goto out;
    }
    r->config_calls++;
    if (info == NULL) {
        mock_violation("SpSetExtendedInformation: NULL information");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    {
        const SECPKG_LIBSSPI_CONFIG *c = &info->Info.LibsspiConfig;
        size_t off = 0;

        r->config_setting_count = c->SettingCount;
        r->config_settings[0] = '\0';
        for (uint32_t i = 0; i < c->SettingCount; i++) {
            int n = snprintf(r->config_settings + off, sizeof(r->config_settings) - off, "%s=%s\n",
                             c->Settings[i].Key ? c->Settings[i].Key : "(null)",
                             c->Settings[i].Value ? c->Settings[i].Value : "(null)");

            if (n < 0 || (size_t)n >= sizeof(r->config_settings) - off)
                break;
            off += (size_t)n;
        }
        snprintf(r->config_file, sizeof(r->config_file), "%s", c->ConfigFile ? c->ConfigFile : "");
    }
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_set_context_attributes(uint32_t idx, LSA_SEC_HANDLE h, ULONG attr, PVOID buffer,
                                          ULONG size)
{
    NTSTATUS st = STATUS_SUCCESS;

    (void)attr;
    (void)buffer;
    (void)size;
    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].set_context_attr_calls++;
    if (ctx_get_lsa(idx, h, "SpSetContextAttributes") == NULL)
        st = STATUS_INVALID_HANDLE;
    pthread_mutex_unlock(&mock_lock);
    return st;
}

/* ------------------------------------------------------------------------ */
/* User-mode functions                                                      */

static NTSTATUS sp_instance_init(uint32_t idx, ULONG version, PSECPKG_DLL_FUNCTIONS dll,
                                 PVOID *user)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    void *p;

    (void)user;
    pthread_mutex_lock(&mock_lock);
    r->instance_init_calls++;
    r->instance_version = version;
    r->dll_present = dll != NULL;
    if (dll != NULL) {
        mock_dll = dll;
        if (dll->AllocateHeap != NULL && dll->FreeHeap != NULL &&
            (p = dll->AllocateHeap(32)) != NULL) {
            memset(p, 0x5a, 32);
            dll->FreeHeap(p);
            r->dll_heap_ok = 1;
        }
    }
    pthread_mutex_unlock(&mock_lock);
    return STATUS_SUCCESS;
}

static NTSTATUS sp_init_user_mode_context(uint32_t idx, LSA_SEC_HANDLE h, PSecBuffer packed)
{
    struct mock_obj *o = NULL;
    NTSTATUS st = STATUS_SUCCESS;
    const uint8_t *p;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].init_user_mode_calls++;
    o = obj_find(h);
    if (o == NULL || o->kind != OBJ_CTX || o->pkg != idx || !o->live) {
        mock_violation("SpInitUserModeContext: bad handle %#lx", (unsigned long)h);
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->mapped) {
        mock_violation("SpInitUserModeContext: context %#lx mapped twice", (unsigned long)h);
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (packed == NULL || packed->pvBuffer == NULL || packed->cbBuffer != CTXDATA_LEN) {
        mock_violation("SpInitUserModeContext: ContextData missing or truncated");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    p = packed->pvBuffer;
    if (memcmp(p, "MOCKCTXD", 8) != 0 || get64(p + 8) != (uint64_t)h || p[16] != o->key ||
        p[17] != o->side || p[18] != idx) {
        mock_violation("SpInitUserModeContext: ContextData does not match the context");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    mock_state.pkg[idx].init_user_mode_data_ok++;
    if (o->flags & MOCK_CTX_FAIL_USER_INIT) {
        st = STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    if (o->flags & MOCK_CTX_FREE_PACKED) {
        /* FreeContextBuffer of the host process, found as a Windows
         * package finds it in secur32 (the package does not link it). */
        SECURITY_STATUS(SEC_ENTRY * fcb)(PVOID) = NULL;
        void *sym = dlsym(RTLD_DEFAULT, "FreeContextBuffer");

        memcpy(&fcb, &sym, sizeof(fcb));
        if (fcb != NULL && fcb(packed->pvBuffer) == SEC_E_OK)
            mock_state.pkg[idx].init_user_mode_freed_packed++;
    }
    o->mapped = true;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

/* Common start of a user-mode message call: record the arguments, find the
 * context and mark it in flight.  Returns the context or NULL with *st. */
static struct mock_obj *message_begin(uint32_t idx, LSA_SEC_HANDLE h, uint32_t qop,
                                      PSecBufferDesc d, uint32_t seq, const char *fn, NTSTATUS *st)
{
    struct mock_pkg_record *r = &mock_state.pkg[idx];
    struct mock_obj *o;
    bool incomplete;

    r->last_qop = qop;
    r->last_seq = seq;
    r->last_desc = (uint64_t)(uintptr_t)d;
    r->last_pbuffers = d ? (uint64_t)(uintptr_t)d->pBuffers : 0;
    r->last_cbuffers = d ? d->cBuffers : 0;
    o = ctx_get_user(idx, h, fn, &incomplete);
    if (o == NULL) {
        *st = STATUS_INVALID_HANDLE;
        return NULL;
    }
    if (!mock_desc_ok(d, fn)) {
        *st = SEC_E_INVALID_TOKEN;
        return NULL;
    }
    if (mock_message_status(d, st))
        return NULL;
    o->inflight++;
    return o;
}

static void message_end(struct mock_obj *o)
{
    pthread_mutex_lock(&mock_lock);
    o->inflight--;
    pthread_mutex_unlock(&mock_lock);
}

/* Signature/seal trailer: tag[4] pkg side pad[2] qop seq checksum[8] desc[8] */
NTSTATUS mock_write_trailer(PSecBufferDesc d, const char tag[4], uint32_t idx, int side,
                            uint32_t qop, uint32_t seq, uint64_t sum)
{
    SecBuffer *t = mock_desc_find(d, SECBUFFER_TOKEN);
    uint8_t *p;

    if (t == NULL || t->pvBuffer == NULL)
        return SEC_E_INVALID_TOKEN;
    if (t->cbBuffer < MOCK_SIG_LEN)
        return SEC_E_BUFFER_TOO_SMALL;
    p = t->pvBuffer;
    memcpy(p, tag, 4);
    p[4] = (uint8_t)('A' + idx);
    p[5] = (uint8_t)side;
    p[6] = p[7] = 0;
    put32(p + 8, qop);
    put32(p + 12, seq);
    put64(p + 16, sum);
    put64(p + 24, (uint64_t)(uintptr_t)d);
    t->cbBuffer = MOCK_SIG_LEN;
    return STATUS_SUCCESS;
}

/* Check a trailer; on success *qop gets the QOP it was made with. */
NTSTATUS mock_check_trailer(PSecBufferDesc d, const char tag[4], uint32_t idx, uint32_t seq,
                            uint64_t sum, uint32_t *qop)
{
    SecBuffer *t = mock_desc_find(d, SECBUFFER_TOKEN);
    const uint8_t *p;

    if (t == NULL || t->pvBuffer == NULL || t->cbBuffer < MOCK_SIG_LEN)
        return SEC_E_INVALID_TOKEN;
    p = t->pvBuffer;
    if (memcmp(p, tag, 4) != 0 || p[4] != 'A' + idx)
        return SEC_E_INVALID_TOKEN;
    if (get32(p + 12) != seq)
        return SEC_E_OUT_OF_SEQUENCE;
    if (get64(p + 16) != sum)
        return SEC_E_MESSAGE_ALTERED;
    *qop = get32(p + 8);
    return STATUS_SUCCESS;
}

static NTSTATUS sp_make_signature(uint32_t idx, LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc d,
                                  ULONG seq)
{
    struct mock_obj *o;
    NTSTATUS st;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].sign_calls++;
    o = message_begin(idx, h, qop, d, seq, "SpMakeSignature", &st);
    pthread_mutex_unlock(&mock_lock);
    if (o == NULL)
        return st;
    st = mock_write_trailer(d, "MSIG", idx, o->side, qop, seq, mock_message_checksum(d, o->key));
    message_end(o);
    return st;
}

static NTSTATUS sp_verify_signature(uint32_t idx, LSA_SEC_HANDLE h, PSecBufferDesc d, ULONG seq,
                                    PULONG pqop)
{
    struct mock_obj *o;
    NTSTATUS st;
    uint32_t qop = 0;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].verify_calls++;
    mock_state.pkg[idx].last_pfqop_null = pqop == NULL;
    o = message_begin(idx, h, 0, d, seq, "SpVerifySignature", &st);
    pthread_mutex_unlock(&mock_lock);
    if (o == NULL)
        return st;
    st = mock_check_trailer(d, "MSIG", idx, seq, mock_message_checksum(d, o->key), &qop);
    if (NT_SUCCESS(st) && pqop != NULL)
        *pqop = qop;
    message_end(o);
    return st;
}

void mock_xor_data(PSecBufferDesc d, uint8_t key)
{
    for (uint32_t i = 0; i < d->cBuffers; i++) {
        SecBuffer *b = &d->pBuffers[i];

        if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_DATA || b->pvBuffer == NULL ||
            (b->BufferType & SECBUFFER_READONLY))
            continue;
        for (uint32_t j = 0; j < b->cbBuffer; j++)
            ((uint8_t *)b->pvBuffer)[j] ^= key;
    }
}

static NTSTATUS sp_seal_message(uint32_t idx, LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc d,
                                ULONG seq)
{
    struct mock_obj *o;
    NTSTATUS st;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].seal_calls++;
    o = message_begin(idx, h, qop, d, seq, "SpSealMessage", &st);
    pthread_mutex_unlock(&mock_lock);
    if (o == NULL)
        return st;
    st = mock_write_trailer(d, "MSEL", idx, o->side, qop, seq, mock_message_checksum(d, o->key));
    if (NT_SUCCESS(st) && qop != SECQOP_WRAP_NO_ENCRYPT)
        mock_xor_data(d, o->key);
    message_end(o);
    return st;
}

static NTSTATUS sp_unseal_message(uint32_t idx, LSA_SEC_HANDLE h, PSecBufferDesc d, ULONG seq,
                                  PULONG pqop)
{
    struct mock_obj *o;
    NTSTATUS st;
    SecBuffer *t;
    uint32_t qop = 0;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].unseal_calls++;
    mock_state.pkg[idx].last_pfqop_null = pqop == NULL;
    o = message_begin(idx, h, 0, d, seq, "SpUnsealMessage", &st);
    pthread_mutex_unlock(&mock_lock);
    if (o == NULL)
        return st;
    t = mock_desc_find(d, SECBUFFER_TOKEN);
    if (t == NULL || t->pvBuffer == NULL || t->cbBuffer < MOCK_SIG_LEN) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    if (get32((const uint8_t *)t->pvBuffer + 8) != SECQOP_WRAP_NO_ENCRYPT)
        mock_xor_data(d, o->key);
    st = mock_check_trailer(d, "MSEL", idx, seq, mock_message_checksum(d, o->key), &qop);
    if (NT_SUCCESS(st) && pqop != NULL)
        *pqop = qop;
out:
    message_end(o);
    return st;
}

static NTSTATUS sp_user_query_context_attributes(uint32_t idx, LSA_SEC_HANDLE h, ULONG attr,
                                                 PVOID buffer)
{
    struct mock_obj *o;
    NTSTATUS st;
    bool incomplete;

    pthread_mutex_lock(&mock_lock);
    if ((o = ctx_get_user(idx, h, "SpQueryContextAttributes", &incomplete)) == NULL)
        st = STATUS_INVALID_HANDLE;
    else
        st = query_context_attributes(idx, o, attr, buffer);
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_delete_user_mode_context(uint32_t idx, LSA_SEC_HANDLE h)
{
    struct mock_obj *o;
    NTSTATUS st = STATUS_SUCCESS;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].user_delete_calls++;
    o = obj_find(h);
    if (o == NULL || o->kind != OBJ_CTX || o->pkg != idx) {
        mock_violation("DeleteUserModeContext: handle %#lx was never issued", (unsigned long)h);
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->user_deleted) {
        mock_violation("DeleteUserModeContext: context %#lx deleted twice", (unsigned long)h);
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (o->inflight > 0)
        mock_violation("DeleteUserModeContext: context %#lx deleted during a message call",
                       (unsigned long)h);
    o->user_deleted = true;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

#define EXPORT_LEN 24

static NTSTATUS sp_export_context(uint32_t idx, LSA_SEC_HANDLE h, ULONG flags, PSecBuffer packed,
                                  PHANDLE token)
{
    struct mock_obj *o;
    NTSTATUS st = STATUS_SUCCESS;
    bool incomplete;
    uint8_t *p;

    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].export_calls++;
    if ((o = ctx_get_user(idx, h, "SpExportSecurityContext", &incomplete)) == NULL) {
        st = STATUS_INVALID_HANDLE;
        goto out;
    }
    if (packed == NULL) {
        mock_violation("SpExportSecurityContext: NULL packed buffer");
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if ((p = mock_dll->AllocateHeap(EXPORT_LEN)) == NULL) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    memcpy(p, "MOCKEXPT", 8);
    p[8] = o->key;
    p[9] = (uint8_t)o->side;
    p[10] = (uint8_t)idx;
    packed->pvBuffer = p;
    packed->cbBuffer = EXPORT_LEN;
    packed->BufferType = SECBUFFER_EMPTY;
    if (token != NULL)
        *token = NULL;
    /* DELETE_OLD: the package drops its user-mode side itself. */
    if (flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        o->user_deleted = true;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

static NTSTATUS sp_import_context(uint32_t idx, PSecBuffer packed, HANDLE token,
                                  PLSA_SEC_HANDLE out)
{
    struct mock_obj *o;
    NTSTATUS st = STATUS_SUCCESS;
    const uint8_t *p;
    LSA_SEC_HANDLE h;

    (void)token;
    pthread_mutex_lock(&mock_lock);
    mock_state.pkg[idx].import_calls++;
    if (packed == NULL || out == NULL) {
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    p = packed->pvBuffer;
    if (p == NULL || packed->cbBuffer != EXPORT_LEN || memcmp(p, "MOCKEXPT", 8) != 0 ||
        p[10] != idx) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    if ((h = obj_new(OBJ_CTX, idx, &o)) == 0) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    o->key = p[8];
    o->side = p[9];
    o->stage = 2;
    o->mapped = true;
    mock_state.pkg[idx].live_contexts++;
    *out = h;
out:
    pthread_mutex_unlock(&mock_lock);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Per-package thunks: each table slot knows which package it belongs to.   */

#define MOCK_THUNKS(I)                                                                             \
    static NTSTATUS initialize_##I(ULONG_PTR a, PSECPKG_PARAMETERS b,                              \
                                   PLSA_SECPKG_FUNCTION_TABLE c)                                   \
    {                                                                                              \
        return sp_initialize(I, a, b, c);                                                          \
    }                                                                                              \
    static NTSTATUS get_info_##I(PSecPkgInfoW a)                                                   \
    {                                                                                              \
        return sp_get_info(I, a);                                                                  \
    }                                                                                              \
    static NTSTATUS ach_##I(PUNICODE_STRING a, ULONG b, PLUID c, PVOID d, PVOID e, PVOID f,        \
                            PLSA_SEC_HANDLE g, PTimeStamp h)                                       \
    {                                                                                              \
        return sp_acquire_credentials_handle(I, a, b, c, d, e, f, g, h);                           \
    }                                                                                              \
    static NTSTATUS free_cred_##I(LSA_SEC_HANDLE a)                                                \
    {                                                                                              \
        return sp_free_credentials_handle(I, a);                                                   \
    }                                                                                              \
    static NTSTATUS query_cred_##I(LSA_SEC_HANDLE a, ULONG b, PVOID c)                             \
    {                                                                                              \
        return sp_query_credentials_attributes(I, a, b, c);                                        \
    }                                                                                              \
    static NTSTATUS init_lsa_##I(LSA_SEC_HANDLE a, LSA_SEC_HANDLE b, PUNICODE_STRING c, ULONG d,   \
                                 ULONG e, PSecBufferDesc f, PLSA_SEC_HANDLE g, PSecBufferDesc h,   \
                                 PULONG i, PTimeStamp j, PBOOLEAN k, PSecBuffer l)                 \
    {                                                                                              \
        return sp_init_lsa_mode_context(I, a, b, c, d, e, f, g, h, i, j, k, l);                    \
    }                                                                                              \
    static NTSTATUS accept_lsa_##I(LSA_SEC_HANDLE a, LSA_SEC_HANDLE b, PSecBufferDesc c, ULONG d,  \
                                   ULONG e, PLSA_SEC_HANDLE f, PSecBufferDesc g, PULONG h,         \
                                   PTimeStamp i, PBOOLEAN j, PSecBuffer k)                         \
    {                                                                                              \
        return sp_accept_lsa_mode_context(I, a, b, c, d, e, f, g, h, i, j, k);                     \
    }                                                                                              \
    static NTSTATUS delete_ctx_##I(LSA_SEC_HANDLE a)                                               \
    {                                                                                              \
        return sp_delete_context(I, a);                                                            \
    }                                                                                              \
    static NTSTATUS lsa_qca_##I(LSA_SEC_HANDLE a, ULONG b, PVOID c)                                \
    {                                                                                              \
        return sp_lsa_query_context_attributes(I, a, b, c);                                        \
    }                                                                                              \
    static NTSTATUS set_ext_##I(SECPKG_EXTENDED_INFORMATION_CLASS a,                               \
                                PSECPKG_EXTENDED_INFORMATION b)                                    \
    {                                                                                              \
        return sp_set_extended_information(I, a, b);                                               \
    }                                                                                              \
    static NTSTATUS get_ext_##I(SECPKG_EXTENDED_INFORMATION_CLASS a,                               \
                                PSECPKG_EXTENDED_INFORMATION *b)                                   \
    {                                                                                              \
        return sp_get_extended_information(I, a, b);                                               \
    }                                                                                              \
    static NTSTATUS set_ctx_attr_##I(LSA_SEC_HANDLE a, ULONG b, PVOID c, ULONG d)                  \
    {                                                                                              \
        return sp_set_context_attributes(I, a, b, c, d);                                           \
    }                                                                                              \
    static NTSTATUS instance_init_##I(ULONG a, PSECPKG_DLL_FUNCTIONS b, PVOID *c)                  \
    {                                                                                              \
        return sp_instance_init(I, a, b, c);                                                       \
    }                                                                                              \
    static NTSTATUS init_user_##I(LSA_SEC_HANDLE a, PSecBuffer b)                                  \
    {                                                                                              \
        return sp_init_user_mode_context(I, a, b);                                                 \
    }                                                                                              \
    static NTSTATUS sign_##I(LSA_SEC_HANDLE a, ULONG b, PSecBufferDesc c, ULONG d)                 \
    {                                                                                              \
        return sp_make_signature(I, a, b, c, d);                                                   \
    }                                                                                              \
    static NTSTATUS verify_##I(LSA_SEC_HANDLE a, PSecBufferDesc b, ULONG c, PULONG d)              \
    {                                                                                              \
        return sp_verify_signature(I, a, b, c, d);                                                 \
    }                                                                                              \
    static NTSTATUS seal_##I(LSA_SEC_HANDLE a, ULONG b, PSecBufferDesc c, ULONG d)                 \
    {                                                                                              \
        return sp_seal_message(I, a, b, c, d);                                                     \
    }                                                                                              \
    static NTSTATUS unseal_##I(LSA_SEC_HANDLE a, PSecBufferDesc b, ULONG c, PULONG d)              \
    {                                                                                              \
        return sp_unseal_message(I, a, b, c, d);                                                   \
    }                                                                                              \
    static NTSTATUS user_qca_##I(LSA_SEC_HANDLE a, ULONG b, PVOID c)                               \
    {                                                                                              \
        return sp_user_query_context_attributes(I, a, b, c);                                       \
    }                                                                                              \
    static NTSTATUS user_delete_##I(LSA_SEC_HANDLE a)                                              \
    {                                                                                              \
        return sp_delete_user_mode_context(I, a);                                                  \
    }                                                                                              \
    static NTSTATUS export_##I(LSA_SEC_HANDLE a, ULONG b, PSecBuffer c, PHANDLE d)                 \
    {                                                                                              \
        return sp_export_context(I, a, b, c, d);                                                   \
    }                                                                                              \
    static NTSTATUS import_##I(PSecBuffer a, HANDLE b, PLSA_SEC_HANDLE c)                          \
    {                                                                                              \
        return sp_import_context(I, a, b, c);                                                      \
    }

MOCK_THUNKS(0)
MOCK_THUNKS(1)
MOCK_THUNKS(2)
MOCK_THUNKS(3)

#define MOCK_FILL_LSA(I, t, v2)                                                                    \
    do {                                                                                           \
        (t)->Initialize = initialize_##I;                                                          \
        (t)->Shutdown = sp_shutdown;                                                               \
        (t)->GetInfo = get_info_##I;                                                               \
        (t)->AcquireCredentialsHandle = ach_##I;                                                   \
        (t)->QueryCredentialsAttributes = query_cred_##I;                                          \
        (t)->FreeCredentialsHandle = free_cred_##I;                                                \
        (t)->InitLsaModeContext = init_lsa_##I;                                                    \
        (t)->AcceptLsaModeContext = accept_lsa_##I;                                                \
        (t)->DeleteContext = delete_ctx_##I;                                                       \
        (t)->QueryContextAttributes = lsa_qca_##I;                                                 \
        (t)->SetExtendedInformation = set_ext_##I;                                                 \
        (t)->GetExtendedInformation = get_ext_##I;                                                 \
        if (v2)                                                                                    \
            (t)->SetContextAttributes = set_ctx_attr_##I;                                          \
    } while (0)

#define MOCK_FILL_USER(I, t)                                                                       \
    do {                                                                                           \
        (t)->InstanceInit = instance_init_##I;                                                     \
        (t)->InitUserModeContext = init_user_##I;                                                  \
        (t)->MakeSignature = sign_##I;                                                             \
        (t)->VerifySignature = verify_##I;                                                         \
        (t)->SealMessage = seal_##I;                                                               \
        (t)->UnsealMessage = unseal_##I;                                                           \
        (t)->QueryContextAttributes = user_qca_##I;                                                \
        (t)->DeleteUserModeContext = user_delete_##I;                                              \
        (t)->ExportContext = export_##I;                                                           \
        (t)->ImportContext = import_##I;                                                           \
    } while (0)

void mock_fill_lsa_v1(uint32_t index, SECPKG_FUNCTION_TABLE *t, bool with_v2)
{
    switch (index) {
    case 0:
        MOCK_FILL_LSA(0, t, with_v2);
        break;
    case 1:
        MOCK_FILL_LSA(1, t, with_v2);
        break;
    case 2:
        MOCK_FILL_LSA(2, t, with_v2);
        break;
    default:
        MOCK_FILL_LSA(3, t, with_v2);
        break;
    }
}

void mock_fill_user_v1(uint32_t index, SECPKG_USER_FUNCTION_TABLE *t)
{
    switch (index) {
    case 0:
        MOCK_FILL_USER(0, t);
        break;
    case 1:
        MOCK_FILL_USER(1, t);
        break;
    case 2:
        MOCK_FILL_USER(2, t);
        break;
    default:
        MOCK_FILL_USER(3, t);
        break;
    }
}

void mock_setup(const struct mock_pkg_desc *descs, uint32_t count)
{
    uint32_t n = count > MOCK_MAX_PACKAGES ? MOCK_MAX_PACKAGES : count;

    pthread_mutex_lock(&mock_lock);
    mock_descs = descs;
    mock_state.package_count = n;
    for (uint32_t i = 0; i < n; i++)
        if (descs[i].name != NULL)
            mock_utf16_to_utf8(descs[i].name, (size_t)-1, mock_state.pkg[i].name,
                               sizeof(mock_state.pkg[i].name));
    pthread_mutex_unlock(&mock_lock);
}
