/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memory.c - the allocator behind every buffer handed to callers and the
 * heap functions given to packages, and FreeContextBuffer.
 *
 * Each block carries a 16-byte header (magic, size) and is also recorded in
 * a set of live blocks, so FreeContextBuffer can refuse, without reading
 * memory it does not own, a pointer that was never ours or is already freed.
 * Blocks are zeroed on allocation and wiped on free.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/api-internal.h"
#include "common/utf16.h"

#define MEM_MAGIC UINT64_C(0x5353504943425546) /* "SSPICBUF" */
#define MEM_HDR   16

struct mem_hdr {
    uint64_t magic;
    uint64_t size;
};

/* Open-addressing set of live user pointers, guarded by set_lock. */
#define SET_TOMB ((uintptr_t)1)
static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t *set_slots;
static size_t set_cap;  /* power of two or 0 */
static size_t set_used; /* live + tombstones */
static size_t set_live;

static size_t set_hash(uintptr_t p)
{
    uint64_t x = (uint64_t)p >> 4;

    x *= UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(x ^ (x >> 31));
}

static bool set_grow(void)
{
    size_t ncap = set_cap == 0 ? 256 : (set_live * 4 > set_cap ? set_cap * 2 : set_cap);
    uintptr_t *n = calloc(ncap, sizeof(*n));

    if (n == NULL)
        return false;
    for (size_t i = 0; i < set_cap; i++) {
        uintptr_t p = set_slots[i];

        if (p > SET_TOMB) {
            size_t j = set_hash(p) & (ncap - 1);

            while (n[j] != 0)
                j = (j + 1) & (ncap - 1);
            n[j] = p;
        }
    }
    free(set_slots);
    set_slots = n;
    set_cap = ncap;
    set_used = set_live;
    return true;
}

static bool set_insert(uintptr_t p)
{
    size_t j;

    if ((set_used + 1) * 2 > set_cap && !set_grow())
        return false;
    j = set_hash(p) & (set_cap - 1);
    while (set_slots[j] > SET_TOMB)
        j = (j + 1) & (set_cap - 1);
    if (set_slots[j] == 0)
        set_used++;
    set_slots[j] = p;
    set_live++;
    return true;
}

static bool set_remove(uintptr_t p)
{
    size_t j;

    if (set_cap == 0)
        return false;
    j = set_hash(p) & (set_cap - 1);
    while (set_slots[j] != 0) {
        if (set_slots[j] == p) {
            set_slots[j] = SET_TOMB;
            set_live--;
            return true;
        }
        j = (j + 1) & (set_cap - 1);
    }
    return false;
}

static bool set_contains(uintptr_t p)
{
    size_t j;

    if (set_cap == 0)
        return false;
    j = set_hash(p) & (set_cap - 1);
    while (set_slots[j] != 0) {
        if (set_slots[j] == p)
            return true;
        j = (j + 1) & (set_cap - 1);
    }
    return false;
}

void *sspi_mem_alloc(size_t size)
{
    struct mem_hdr *h;
    unsigned char *user;
    bool ok;

    if (size > SIZE_MAX - MEM_HDR - 16)
        return NULL;
    h = aligned_alloc(16, (MEM_HDR + (size == 0 ? 1 : size) + 15) & ~(size_t)15);
    if (h == NULL)
        return NULL;
    user = (unsigned char *)h + MEM_HDR;
    memset(user, 0, size == 0 ? 1 : size);
    h->magic = MEM_MAGIC ^ (uint64_t)(uintptr_t)h;
    h->size = size;
    pthread_mutex_lock(&set_lock);
    ok = set_insert((uintptr_t)user);
    pthread_mutex_unlock(&set_lock);
    if (!ok) {
        free(h);
        return NULL;
    }
    return user;
}

size_t sspi_mem_live(void)
{
    size_t n;

    pthread_mutex_lock(&set_lock);
    n = set_live;
    pthread_mutex_unlock(&set_lock);
    return n;
}

static _Thread_local const void *watched;
static _Thread_local bool watched_freed;

void sspi_mem_watch(const void *ptr)
{
    watched = ptr;
    watched_freed = false;
}

bool sspi_mem_unwatch(void)
{
    bool freed = watched_freed;

    watched = NULL;
    watched_freed = false;
    return freed;
}

bool sspi_mem_free(void *ptr)
{
    struct mem_hdr *h;
    bool ok;

    if (ptr == NULL)
        return true;
    pthread_mutex_lock(&set_lock);
    ok = set_remove((uintptr_t)ptr);
    pthread_mutex_unlock(&set_lock);
    if (!ok)
        return false;
    if (ptr == watched)
        watched_freed = true;
    h = (struct mem_hdr *)((unsigned char *)ptr - MEM_HDR);
    if (h->magic != (MEM_MAGIC ^ (uint64_t)(uintptr_t)h))
        abort(); /* our own bookkeeping was overwritten: heap corruption */
    explicit_bzero(ptr, h->size == 0 ? 1 : h->size);
    h->magic = 0;
    h->size = 0;
    free(h);
    return true;
}

bool sspi_mem_lookup(const void *ptr, size_t *size)
{
    bool ok;

    if (ptr == NULL)
        return false;
    pthread_mutex_lock(&set_lock);
    ok = set_contains((uintptr_t)ptr);
    pthread_mutex_unlock(&set_lock);
    if (ok && size != NULL)
        *size = (size_t)((const struct mem_hdr *)((const unsigned char *)ptr - MEM_HDR))->size;
    return ok;
}

size_t sspi_mem_size(const void *ptr)
{
    size_t size = 0;

    return sspi_mem_lookup(ptr, &size) ? size : 0;
}

char *sspi_mem_strdup(const char *s)
{
    size_t n;
    char *d;

    if (s == NULL)
        return NULL;
    n = strlen(s);
    d = sspi_mem_alloc(n + 1);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

char16_t *sspi_mem_u16dup(const char16_t *s)
{
    size_t n;
    char16_t *d;

    if (s == NULL)
        return NULL;
    n = sspi_utf16_len(s);
    d = sspi_mem_alloc((n + 1) * sizeof(char16_t));
    if (d != NULL)
        memcpy(d, s, n * sizeof(char16_t));
    return d;
}

/*
 * FreeContextBuffer: free a buffer the library or a package handed to the
 * caller.  NULL -> SEC_E_OK.  A pointer not allocated here (or already
 * freed) -> SEC_E_INVALID_HANDLE, nothing is touched.
 */
SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer)
{
    SECURITY_STATUS st = SEC_E_OK;
    uint64_t t0 = 0;

    if (sspi_trace_enabled())
        t0 = sspi_trace_now_ns();
    if (!sspi_mem_free(pvContextBuffer))
        st = SEC_E_INVALID_HANDLE;
    if (t0 != 0)
        sspi_trace_call("FreeContextBuffer", NULL, NULL, NULL, st, t0);
    return st;
}
