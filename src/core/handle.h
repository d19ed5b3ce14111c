/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * handle.h - the table behind every SecHandle the library hands out.
 *
 * A SecHandle is an opaque token: dwLower carries the slot index and a keyed
 * check value (mixed with a per-process random key), dwUpper carries the
 * slot generation and the handle kind.  The check value is computed once,
 * when the handle is made, and kept in the slot, so a lookup compares it
 * instead of computing it again.  Zeroed, {-1,-1}, forged, stale and
 * wrong-kind handles are rejected without touching freed memory.
 *
 * Slots live in fixed-size chunks reached through a fixed top-level array;
 * chunks are allocated on demand and never moved or freed while the library
 * is loaded, so lookup is O(1) and lock-free.  Each slot has one atomic
 * 64-bit word (generation, kind, closing and dead bits, reference count).
 *
 * Two ways to hold an object while using it:
 * - sspi_handle_acquire/release (every call but the per-message ones): a
 *   reference count in the slot word.  A live handle holds one "open"
 *   reference.
 * - sspi_handle_enter/leave (MakeSignature, VerifySignature,
 *   EncryptMessage, DecryptMessage): a hazard pointer.  The thread
 *   publishes the slot in its own record (a cache line no other thread
 *   writes), then checks the slot word, which it only reads, so threads
 *   sharing a context do not bounce a cache line between them.
 * Close sets the closing bit and drops the open reference.  The object is
 * reclaimed (its destroy callback run, the slot recycled) once no reference
 * is left and no thread's record holds the slot: by whoever drops the last
 * reference or leaves the last hazard, or by close itself.  The hazard
 * protocol needs a full barrier between publishing and checking; readers
 * pay only a compiler barrier when membarrier(2) lets the reclaimer issue
 * the barrier on their behalf (MEMBARRIER_CMD_PRIVATE_EXPEDITED), else a
 * real fence.
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

#define SSPI_HANDLE_CHUNK_BITS  8
#define SSPI_HANDLE_CHUNK_SLOTS (1u << SSPI_HANDLE_CHUNK_BITS)
#define SSPI_HANDLE_TOP_CHUNKS  4096u
#define SSPI_HANDLE_MAX_SLOTS   (SSPI_HANDLE_CHUNK_SLOTS * SSPI_HANDLE_TOP_CHUNKS)

/* Slot word: generation (32) | kind (2) | closing (1) | dead (1) |
 * references (28).  Dead: claimed for reclamation. */
#define SSPI_W_GEN_SHIFT  32
#define SSPI_W_KIND_SHIFT 30
#define SSPI_W_KIND_MASK  (UINT64_C(3) << SSPI_W_KIND_SHIFT)
#define SSPI_W_CLOSING    (UINT64_C(1) << 29)
#define SSPI_W_DEAD       (UINT64_C(1) << 28)
#define SSPI_W_REFS       UINT64_C(0x0FFFFFFF)
#define SSPI_W_ID_MASK    (~(SSPI_W_CLOSING | SSPI_W_DEAD | SSPI_W_REFS))

struct sspi_slot {
    _Alignas(64) _Atomic uint64_t word;
    _Atomic uint32_t check; /* the keyed check value of the live handle */
    void *obj;
    sspi_handle_destroy_fn destroy;
    uint32_t index;
    uint32_t next_free;
};

SSPI_HIDDEN extern _Atomic(struct sspi_slot *) sspi_handle_table[SSPI_HANDLE_TOP_CHUNKS];
SSPI_HIDDEN extern uint64_t sspi_handle_key_lower;
SSPI_HIDDEN extern uint64_t sspi_handle_key_tag;

/* Hazard pointers of one thread: the slots its per-message calls are
 * using, innermost last (a wrapping package's call nests its sibling's).
 * Only the owner writes it; reclamation reads it.  Records are never
 * freed: a thread that exits gives its record back for the next one. */
#define SSPI_HAZARDS 4

struct sspi_hazards {
    _Alignas(64) _Atomic(struct sspi_slot *) hp[SSPI_HAZARDS];
    uint32_t depth;     /* hp[0..depth-1] are in use (owner only) */
    atomic_bool in_use; /* owned by a live thread */
    struct sspi_hazards *next;
};

/* This thread's record, NULL until its first per-message call.  Initial
 * exec: one instruction to reach it. */
SSPI_HIDDEN extern _Thread_local struct sspi_hazards *sspi_hazards_self
    __attribute__((tls_model("initial-exec")));

/* Whether reclamation issues the readers' barrier (membarrier); set once
 * when the library is loaded, before any handle exists. */
SSPI_HIDDEN extern bool sspi_handle_light_readers;

/* The record of the calling thread, claimed or created (slow path of the
 * first per-message call of a thread); NULL if out of memory. */
SSPI_HIDDEN struct sspi_hazards *sspi_hazards_claim(void);

/* Claim the calling thread's hazard record now if it has none, so that
 * the thread's first per-message call does not allocate it (called where
 * contexts are set up: establishing and importing). */
static inline void sspi_hazards_prepare(void)
{
    if (__builtin_expect(sspi_hazards_self == NULL, 0))
        (void)sspi_hazards_claim();
}

/* The slot may be reclaimable (closing, and a reference or hazard just
 * went away): reclaim it if no reference and no hazard is left.  Any
 * thread, no lock; concurrent calls reclaim it once. */
SSPI_HIDDEN void sspi_handle_reclaim(struct sspi_slot *s);

#if defined(__SANITIZE_THREAD__)
#define SSPI_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SSPI_TSAN 1
#endif
#endif

/* A full memory barrier.  ThreadSanitizer does not take fences: there a
 * sequentially consistent read-modify-write stands in for one. */
static inline void sspi_full_fence(void)
{
#ifdef SSPI_TSAN
    static _Atomic int sspi_fence_word;

    (void)atomic_fetch_add_explicit(&sspi_fence_word, 0, memory_order_seq_cst);
#else
    atomic_thread_fence(memory_order_seq_cst);
#endif
}

/* Order this thread's hazard store before its following loads, as seen by
 * a reclaimer: a compiler barrier when reclaimers use membarrier, else a
 * full fence. */
static inline void sspi_hazard_fence(void)
{
    if (__builtin_expect(sspi_handle_light_readers, 1))
        atomic_signal_fence(memory_order_seq_cst);
    else
        sspi_full_fence();
}

/* Decode a handle: its slot, the identity bits the slot word must carry
 * and the check value the slot must hold (sspi_slot_matches), or NULL. */
static inline struct sspi_slot *sspi_handle_decode(const SecHandle *h, uint32_t kind, uint64_t *id,
                                                   uint32_t *check)
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
    chunk = atomic_load_explicit(&sspi_handle_table[index >> SSPI_HANDLE_CHUNK_BITS],
                                 memory_order_acquire);
    if (chunk == NULL)
        return NULL;
    *id = ((uint64_t)gen << SSPI_W_GEN_SHIFT) | ((uint64_t)kind << SSPI_W_KIND_SHIFT);
    *check = (uint32_t)(lower >> 32);
    return &chunk[index & (SSPI_HANDLE_CHUNK_SLOTS - 1)];
}

/* Whether slot `s`, whose word was read as `w` (acquire), is the live,
 * open handle with identity `id` and check value `check`. */
static inline bool sspi_slot_matches(struct sspi_slot *s, uint64_t w, uint64_t id, uint32_t check)
{
    return (w & SSPI_W_ID_MASK) == id && (w & SSPI_W_CLOSING) == 0 &&
           atomic_load_explicit(&s->check, memory_order_relaxed) == check;
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
    uint32_t check;
    struct sspi_slot *s = sspi_handle_decode(h, (uint32_t)kind, &id, &check);

    if (s == NULL)
        return NULL;
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    do {
        if (!sspi_slot_matches(s, w, id, check))
            return NULL;
        if ((w & SSPI_W_REFS) == 0 || (w & SSPI_W_REFS) == SSPI_W_REFS)
            return NULL;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w + 1, memory_order_acquire,
                                                    memory_order_acquire));
    *slot = s;
    return s->obj;
}

/* Drop a reference taken by sspi_handle_acquire; the last reference of a
 * closed handle reclaims the object (unless a hazard still holds it). */
static inline void sspi_handle_release(struct sspi_slot *s)
{
    uint64_t old = atomic_fetch_sub_explicit(&s->word, 1, memory_order_acq_rel);

    if (__builtin_expect((old & SSPI_W_REFS) == 1, 0))
        sspi_handle_reclaim(s);
}

/* How a per-message call holds its object: a hazard of the thread's record
 * (hp set), or a reference when the record is full or missing. */
struct sspi_guard {
    struct sspi_slot *slot;
    struct sspi_hazards *rec;
    _Atomic(struct sspi_slot *) *hp;
};

/* End a per-message call begun by sspi_handle_enter (a successful one, or
 * as that function does itself).  If the handle was closed meanwhile, the
 * object is reclaimed here when this was its last user. */
static inline __attribute__((always_inline)) void sspi_handle_leave(struct sspi_guard *g)
{
    struct sspi_slot *s = g->slot;

    if (__builtin_expect(g->hp == NULL, 0)) {
        sspi_handle_release(s);
        return;
    }
    g->rec->depth--;
    atomic_store_explicit(g->hp, NULL, memory_order_release);
    sspi_hazard_fence();
    if (__builtin_expect(
            (atomic_load_explicit(&s->word, memory_order_relaxed) & SSPI_W_CLOSING) != 0, 0))
        sspi_handle_reclaim(s);
}

/*
 * Look up `h` for a per-message call: as sspi_handle_acquire, but nothing
 * shared is written (the slot goes into this thread's hazard record), so
 * the same context used from several threads scales.  Returns the object
 * and fills *g for sspi_handle_leave, or NULL (invalid, stale, closing or
 * wrong kind).  No lock, no allocation (but the first call of a thread,
 * which claims its record).
 */
static inline __attribute__((always_inline)) void *
sspi_handle_enter(const SecHandle *h, enum sspi_handle_kind kind, struct sspi_guard *g)
{
    struct sspi_hazards *rec = sspi_hazards_self;
    uint64_t id, w;
    uint32_t check;
    struct sspi_slot *s;

    if (__builtin_expect(rec == NULL, 0))
        rec = sspi_hazards_claim();
    g->rec = rec;
    g->slot = NULL;
    g->hp = NULL;
    if (__builtin_expect(rec == NULL || rec->depth >= SSPI_HAZARDS, 0))
        return sspi_handle_acquire(h, kind, &g->slot);
    s = sspi_handle_decode(h, (uint32_t)kind, &id, &check);
    if (s == NULL)
        return NULL;
    g->slot = s;
    g->hp = &rec->hp[rec->depth];
    atomic_store_explicit(g->hp, s, memory_order_relaxed);
    sspi_hazard_fence();
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    rec->depth++;
    if (__builtin_expect(!sspi_slot_matches(s, w, id, check), 0)) {
        sspi_handle_leave(g);
        return NULL;
    }
    return s->obj;
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
