/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * token.c - access tokens, the HANDLE arena that names libsspi's objects,
 * and CloseHandle.
 *
 * A HANDLE is the address of a 64-byte slot in an arena of chunks that are
 * mapped on demand and never unmapped.  A slot is free or holds one
 * object (kind, generation, data).  CloseHandle closes handles that lie in
 * the arena (a stale one fails with ERROR_INVALID_HANDLE, without reading
 * anything but our own memory) and passes every other handle to the next
 * CloseHandle in the process: WinPR and other Windows API emulations
 * export the same name, and their handles must keep closing.
 *
 * The other order: when the program binds CloseHandle to WinPR's, WinPR
 * reads a handle as { ULONG Type; ULONG Mode; HANDLE_OPS *ops } and calls
 * ops->CloseHandle.  Every slot starts with that header, its ops table
 * pointer stored where a 32-bit ULONG layout puts it (offset 8) and where
 * a 64-bit one does (offset 16), and the table's CloseHandle slot leads
 * back here.  Every other entry of the table is NULL, which WinPR's
 * functions treat as "not supported".
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/token.h"
#include "handleapi.h"

/* ---- tokens ------------------------------------------------------------------ */

#define TOKEN_LUID_MAPPED   0x4C53 /* "LS": a local account's logon session */
#define TOKEN_LUID_UNMAPPED 0x4C54 /* "LT": a name without a local account */

static atomic_uint unmapped_ids;

struct sspi_token *sspi_token_new(const char *authname)
{
    struct sspi_token *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    atomic_init(&t->refs, 1);
    t->authname = strdup(authname);
    if (t->authname == NULL || !sspi_name_split(authname, &t->parts)) {
        sspi_token_unref(t);
        return NULL;
    }
    t->mapped = sspi_account_map(authname, &t->account, t->map_why, sizeof(t->map_why));
    if (t->mapped) {
        t->logon_id.LowPart = (uint32_t)t->account.uid;
        t->logon_id.HighPart = TOKEN_LUID_MAPPED;
    } else {
        t->logon_id.LowPart = atomic_fetch_add(&unmapped_ids, 1) + 1;
        t->logon_id.HighPart = TOKEN_LUID_UNMAPPED;
    }
    return t;
}

struct sspi_token *sspi_token_ref(struct sspi_token *t)
{
    if (t != NULL)
        atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
    return t;
}

void sspi_token_unref(struct sspi_token *t)
{
    if (t == NULL || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    free(t->authname);
    sspi_name_parts_free(&t->parts);
    sspi_local_account_free(&t->account);
    free(t);
}

/* ---- the handle arena --------------------------------------------------------- */

#define SLOT_COMPAT_TYPE 0x53535049u /* "SSPI": not one of WinPR's HANDLE_TYPE_* */
#define SLOTS_PER_CHUNK  256
#define MAX_CHUNKS       256

struct slot {
    uint32_t compat_type;
    uint32_t compat_mode;
    const void *compat_ops;   /* WinPR, 32-bit ULONG */
    const void *compat_ops64; /* WinPR, 64-bit ULONG */
    uint32_t kind;            /* 0: free */
    uint32_t generation;
    void *data;
    struct slot *next_free;
    uint8_t pad[16];
};
_Static_assert(sizeof(struct slot) == 64, "one slot per cache line");
_Static_assert(offsetof(struct slot, compat_ops) == 8 && offsetof(struct slot, compat_ops64) == 16,
               "WinPR handle header");

static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *_Atomic chunks[MAX_CHUNKS];
static atomic_uint nchunks;
static struct slot *free_head, *free_tail; /* FIFO: a closed slot is reused last */

static BOOL compat_close(HANDLE h);
static void *const compat_ops_table[32] = {NULL, (void *)(uintptr_t)compat_close};

/* Map one more chunk and queue its slots.  arena_lock held. */
static bool grow(void)
{
    unsigned n = atomic_load(&nchunks);
    struct slot *c;

    if (n >= MAX_CHUNKS)
        return false;
    c = mmap(NULL, SLOTS_PER_CHUNK * sizeof(*c), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED)
        return false;
    for (size_t i = 0; i < SLOTS_PER_CHUNK; i++) {
        c[i].compat_type = SLOT_COMPAT_TYPE;
        c[i].compat_ops = compat_ops_table;
        c[i].compat_ops64 = compat_ops_table;
        c[i].next_free = i + 1 < SLOTS_PER_CHUNK ? &c[i + 1] : NULL;
    }
    if (free_tail != NULL)
        free_tail->next_free = c;
    else
        free_head = c;
    free_tail = &c[SLOTS_PER_CHUNK - 1];
    atomic_store(&chunks[n], c);
    atomic_store(&nchunks, n + 1);
    return true;
}

bool sspi_object_is_ours(HANDLE h)
{
    uintptr_t p = (uintptr_t)h;
    unsigned n = atomic_load(&nchunks);

    for (unsigned i = 0; i < n; i++) {
        uintptr_t base = (uintptr_t)atomic_load(&chunks[i]);

        if (p >= base && p < base + SLOTS_PER_CHUNK * sizeof(struct slot))
            return (p - base) % sizeof(struct slot) == 0;
    }
    return false;
}

static void release_data(uint32_t kind, void *data)
{
    if (kind == SSPI_OBJECT_TOKEN)
        sspi_token_unref(data);
}

HANDLE sspi_object_open(enum sspi_object_kind kind, void *data)
{
    struct slot *s = NULL;

    pthread_mutex_lock(&arena_lock);
    if (free_head != NULL || grow()) {
        s = free_head;
        free_head = s->next_free;
        if (free_head == NULL)
            free_tail = NULL;
        s->next_free = NULL;
        s->kind = kind;
        s->generation++;
        s->data = data;
    }
    pthread_mutex_unlock(&arena_lock);
    if (s == NULL)
        release_data(kind, data);
    return s;
}

void *sspi_object_get(HANDLE h, enum sspi_object_kind kind)
{
    struct slot *s = h;
    void *data = NULL;

    if (!sspi_object_is_ours(h))
        return NULL;
    pthread_mutex_lock(&arena_lock);
    if (s->kind == (uint32_t)kind) {
        data = s->data;
        if (kind == SSPI_OBJECT_TOKEN)
            sspi_token_ref(data);
    }
    pthread_mutex_unlock(&arena_lock);
    return data;
}

bool sspi_object_close(HANDLE h, enum sspi_object_kind kind)
{
    struct slot *s = h;
    uint32_t was = 0;
    void *data = NULL;

    if (!sspi_object_is_ours(h))
        return false;
    pthread_mutex_lock(&arena_lock);
    if (s->kind != 0 && (kind == 0 || s->kind == (uint32_t)kind)) {
        was = s->kind;
        data = s->data;
        s->kind = 0;
        s->data = NULL;
        if (free_tail != NULL)
            free_tail->next_free = s;
        else
            free_head = s;
        free_tail = s;
    }
    pthread_mutex_unlock(&arena_lock);
    if (was == 0)
        return false;
    release_data(was, data);
    return true;
}

/* ---- CloseHandle ------------------------------------------------------------------ */

typedef BOOL (*close_fn)(HANDLE);

/* libsspi's own CloseHandle, whatever the dynamic linker binds the name to. */
extern __typeof__(CloseHandle) sspi_own_close_handle
    __attribute__((alias("CloseHandle"), visibility("hidden")));

static close_fn _Atomic next_close;

/* The CloseHandle the program would reach without libsspi: the next
 * definition after ours, else the first one in the process if it is not
 * ours.  Looked up again while there is none (a library may be loaded
 * later). */
static close_fn find_next(void)
{
    close_fn f = atomic_load_explicit(&next_close, memory_order_acquire);

    if (f != NULL)
        return f;
    f = (close_fn)dlsym(RTLD_NEXT, "CloseHandle");
    if (f == NULL || f == sspi_own_close_handle)
        f = (close_fn)dlsym(RTLD_DEFAULT, "CloseHandle");
    if (f == sspi_own_close_handle)
        return NULL;
    if (f != NULL) {
        atomic_store_explicit(&next_close, f, memory_order_release);
        sspi_trace("CloseHandle: handles that are not libsspi's go to %p", (void *)f);
    }
    return f;
}

/* Reached from WinPR's CloseHandle through a slot's header. */
static BOOL compat_close(HANDLE h)
{
    if (sspi_object_close(h, 0))
        return TRUE;
    sspi_set_last_error(ERROR_INVALID_HANDLE);
    return FALSE;
}

/*
 * CloseHandle: close a handle libsspi handed out (a token from
 * QuerySecurityContextToken).  Handles of libsspi's arena that are not
 * live (closed twice, or a SECPKG_ATTR_ACCESS_TOKEN handle after its
 * context was deleted) fail with ERROR_INVALID_HANDLE.  Any other handle is
 * passed to the next CloseHandle in the process and its result returned;
 * without one, FALSE and ERROR_INVALID_HANDLE.
 */
BOOL WINAPI CloseHandle(HANDLE hObject)
{
    close_fn next;

    if (hObject == NULL || hObject == INVALID_HANDLE_VALUE) {
        sspi_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (sspi_object_is_ours(hObject))
        return compat_close(hObject);
    next = find_next();
    if (next != NULL)
        return next(hObject);
    sspi_set_last_error(ERROR_INVALID_HANDLE);
    return FALSE;
}
