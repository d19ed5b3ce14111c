/*
 * handle.h - the table behind every SecHandle the library hands out.
 *
 * A SecHandle is an opaque token: dwLower carries the slot index and a keyed
 * check value (mixed with a per-process random key), dwUpper carries the
 * slot generation and the handle kind.  Zeroed, {-1,-1}, forged, stale and
 * wrong-kind handles are rejected without touching freed memory.
 *
 * Slots live in fixed-size chunks reached through a fixed top-level array;
 * chunks are allocated on demand and never moved or freed while the library
 * is loaded, so lookup is O(1) and lock-free.  Each slot has one atomic
 * 64-bit word (generation, kind, closing bit, reference count).  A live
 * handle holds one "open" reference; every lookup takes another.  Close sets
 * the closing bit and drops the open reference; whoever drops the last
 * reference runs the destroy callback and returns the slot.
 */
#ifndef LIBSSPI_CORE_HANDLE_H
#define LIBSSPI_CORE_HANDLE_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/core.h"

enum sspi_handle_kind {
    SSPI_HANDLE_CREDENTIAL = 1,
    SSPI_HANDLE_CONTEXT = 2,
};

/* Called exactly once, with no lock held, when the last reference to a
 * closed handle is dropped. */
typedef void (*sspi_handle_destroy_fn)(void *obj);

/* ---- table internals, exposed so the lookup can be inlined ------------- */

#define SSPI_HANDLE_CHUNK_BITS 8
#define SSPI_HANDLE_CHUNK_SLOTS (1u << SSPI_HANDLE_CHUNK_BITS)
#define SSPI_HANDLE_TOP_CHUNKS 4096u
#define SSPI_HANDLE_MAX_SLOTS (SSPI_HANDLE_CHUNK_SLOTS * SSPI_HANDLE_TOP_CHUNKS)

/* Slot word: generation (32) | kind (2) | closing (1) | references (29). */
#define SSPI_W_GEN_SHIFT 32
#define SSPI_W_KIND_SHIFT 30
#define SSPI_W_KIND_MASK (UINT64_C(3) << SSPI_W_KIND_SHIFT)
#define SSPI_W_CLOSING (UINT64_C(1) << 29)
#define SSPI_W_REFS UINT64_C(0x1FFFFFFF)
#define SSPI_W_ID_MASK (~(SSPI_W_CLOSING | SSPI_W_REFS))

struct sspi_slot {
    _Alignas(64) _Atomic uint64_t word;
    void *obj;
    sspi_handle_destroy_fn destroy;
    uint32_t index;
    uint32_t next_free;
};

SSPI_HIDDEN extern _Atomic(struct sspi_slot *) sspi_handle_table[SSPI_HANDLE_TOP_CHUNKS];
SSPI_HIDDEN extern uint64_t sspi_handle_key_lower;
SSPI_HIDDEN extern uint64_t sspi_handle_key_tag;

/* The last reference is gone: destroy the object and recycle the slot. */
SSPI_HIDDEN void sspi_handle_finish(struct sspi_slot *s);

static inline uint32_t sspi_handle_tag(uint32_t index, uint32_t gen, uint32_t kind)
{
    uint64_t x = (((uint64_t)gen << 32) | index) ^ sspi_handle_key_tag;

    x *= UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 29;
    x += kind;
    x *= UINT64_C(0xBF58476D1CE4E5B9);
    return (uint32_t)(x >> 32);
}

/* Decode and check a handle; returns its slot and the identity bits the
 * slot word must carry, or NULL. */
static inline struct sspi_slot *sspi_handle_decode(const SecHandle *h, uint32_t kind, uint64_t *id)
{
    uint64_t lower, upper;
    uint32_t index, gen;
    struct sspi_slot *chunk;

    if (h == NULL)
        return NULL;
    lower = (uint64_t)h->dwLower ^ sspi_handle_key_lower;
    upper = (uint64_t)h->dwUpper;
    if ((upper & 0xFF) != kind || (upper >> 40) != 0)
        return NULL;
    gen = (uint32_t)(upper >> 8);
    index = (uint32_t)lower - 1u;
    if (gen == 0 || index >= SSPI_HANDLE_MAX_SLOTS)
        return NULL;
    if ((uint32_t)(lower >> 32) != sspi_handle_tag(index, gen, kind))
        return NULL;
    chunk = atomic_load_explicit(&sspi_handle_table[index >> SSPI_HANDLE_CHUNK_BITS],
                                 memory_order_acquire);
    if (chunk == NULL)
        return NULL;
    *id = ((uint64_t)gen << SSPI_W_GEN_SHIFT) | ((uint64_t)kind << SSPI_W_KIND_SHIFT);
    return &chunk[index & (SSPI_HANDLE_CHUNK_SLOTS - 1)];
}

/*
 * Look up `h` (may be NULL) and take a reference.  Returns the object and
 * sets *slot for sspi_handle_release, or returns NULL (invalid, stale,
 * closing or wrong kind: the caller reports SEC_E_INVALID_HANDLE).
 * Lock-free: one load and one CAS in the common case.
 */
static inline void *sspi_handle_acquire(const SecHandle *h, enum sspi_handle_kind kind,
                                        struct sspi_slot **slot)
{
    uint64_t id, w;
    struct sspi_slot *s = sspi_handle_decode(h, (uint32_t)kind, &id);

    if (s == NULL)
        return NULL;
    w = atomic_load_explicit(&s->word, memory_order_relaxed);
    do {
        if ((w & SSPI_W_ID_MASK) != id || (w & SSPI_W_CLOSING) != 0)
            return NULL;
        if ((w & SSPI_W_REFS) == 0 || (w & SSPI_W_REFS) == SSPI_W_REFS)
            return NULL;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w + 1, memory_order_acquire,
                                                    memory_order_relaxed));
    *slot = s;
    return s->obj;
}

/* Drop a reference taken by sspi_handle_acquire; the last reference of a
 * closed handle destroys the object. */
static inline void sspi_handle_release(struct sspi_slot *s)
{
    uint64_t old = atomic_fetch_sub_explicit(&s->word, 1, memory_order_acq_rel);

    if (__builtin_expect((old & SSPI_W_REFS) == 1, 0))
        sspi_handle_finish(s);
}

/*
 * Publish `obj` under a new handle of `kind`, written to *out.  The handle
 * owns obj from now on: `destroy` runs when it is closed and unreferenced.
 * Returns SEC_E_OK, or SEC_E_INSUFFICIENT_MEMORY when the table is full or a
 * chunk cannot be allocated (obj is then untouched and still the caller's).
 * Takes the free-list mutex.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_handle_create(enum sspi_handle_kind kind, void *obj,
                                               sspi_handle_destroy_fn destroy, SecHandle *out);

/*
 * Close `h`: mark it closing (new lookups fail at once) and drop the open
 * reference.  The object is destroyed now if nobody else holds a reference,
 * else by the last sspi_handle_release.  Returns SEC_E_OK, or
 * SEC_E_INVALID_HANDLE for an invalid, stale, wrong-kind or already closed
 * handle.
 */
SSPI_HIDDEN SECURITY_STATUS sspi_handle_close(const SecHandle *h, enum sspi_handle_kind kind);

/* Close a handle found through sspi_handle_acquire (the caller still holds
 * its own reference and must release it).  Returns false if it was already
 * closing. */
SSPI_HIDDEN bool sspi_handle_close_slot(struct sspi_slot *slot);

#endif
