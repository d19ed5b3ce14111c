/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * handle.c - the SecHandle table: opaque, generation-checked handles with
 * lock-free lookup, held by reference counts or by per-thread hazard
 * pointers, and the reclamation that waits for both (see handle.h for the
 * model; the lookups themselves are inline there).
 */
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/handle.h"

#define NO_SLOT UINT32_MAX

_Atomic(struct sspi_slot *) sspi_handle_table[SSPI_HANDLE_TOP_CHUNKS];

static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head = NO_SLOT; /* guarded by alloc_lock */
static uint32_t next_unused;         /* guarded by alloc_lock */

/* Per-process keys, set at load time, before any handle exists. */
uint64_t sspi_handle_key_lower;
uint64_t sspi_handle_key_tag;

_Thread_local struct sspi_hazards *sspi_hazards_self __attribute__((tls_model("initial-exec")));
bool sspi_handle_light_readers;

/* Every record ever made, newest first; never freed (reclamation walks
 * it without a lock). */
static _Atomic(struct sspi_hazards *) hazard_records;
static pthread_key_t hazard_key;
static pthread_once_t hazard_key_once = PTHREAD_ONCE_INIT;

static long membarrier(int cmd)
{
    return syscall(SYS_membarrier, cmd, 0, 0);
}

/* Let readers use compiler barriers only if the kernel can issue their
 * fences for the reclaimer (MEMBARRIER_CMD_PRIVATE_EXPEDITED, Linux 4.14);
 * otherwise (older kernels, seccomp filters) readers fence themselves. */
static void barrier_mode_init(void)
{
    long cmds = membarrier(MEMBARRIER_CMD_QUERY);

    sspi_handle_light_readers = cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
                                membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

/* In the child of fork(), only the forking thread exists: records of the
 * other threads are given back with their hazards cleared (a call they
 * were in will never end), and the membarrier registration, which a new
 * process does not inherit, is made again (or readers fence themselves;
 * no other thread can be reading yet). */
static void handle_after_fork(void)
{
    for (struct sspi_hazards *rec = atomic_load(&hazard_records); rec != NULL; rec = rec->next) {
        if (rec == sspi_hazards_self)
            continue;
        for (int i = 0; i < SSPI_HAZARDS; i++)
            atomic_store(&rec->hp[i], NULL);
        rec->depth = 0;
        atomic_store(&rec->in_use, false);
    }
    if (sspi_handle_light_readers && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0)
        sspi_handle_light_readers = false;
}

/* The barrier that pairs with sspi_hazard_fence() of every reader. */
static void reclaimer_fence(void)
{
    if (!sspi_handle_light_readers || membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
        sspi_full_fence();
}

__attribute__((constructor)) static void handle_keys_init(void)
{
    uint64_t k[2] = {0, 0};

    if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        k[0] = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 17) ^
               (uint64_t)(uintptr_t)&k;
        k[1] = k[0] * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)(uintptr_t)&sspi_handle_table;
    }
    sspi_handle_key_lower = k[0];
    sspi_handle_key_tag = k[1];
    barrier_mode_init();
    (void)pthread_atfork(NULL, NULL, handle_after_fork);
}

/* A thread exits: its record (all hazards clear) goes back to the pool. */
static void hazards_release(void *p)
{
    struct sspi_hazards *rec = p;

    rec->depth = 0;
    atomic_store_explicit(&rec->in_use, false, memory_order_release);
}

static void hazard_key_create(void)
{
    (void)pthread_key_create(&hazard_key, hazards_release);
}

/* Slow path, once per thread: a free record of an exited thread, else a
 * new one pushed onto the list. */
struct sspi_hazards *sspi_hazards_claim(void)
{
    struct sspi_hazards *rec, *head;

    pthread_once(&hazard_key_once, hazard_key_create);
    for (rec = atomic_load_explicit(&hazard_records, memory_order_acquire); rec != NULL;
         rec = rec->next) {
        bool idle = false;

        if (atomic_compare_exchange_strong(&rec->in_use, &idle, true))
            break;
    }
    if (rec == NULL) {
        rec = aligned_alloc(64, sizeof(*rec));
        if (rec == NULL)
            return NULL;
        memset(rec, 0, sizeof(*rec));
        for (int i = 0; i < SSPI_HAZARDS; i++)
            atomic_init(&rec->hp[i], NULL);
        atomic_init(&rec->in_use, true);
        head = atomic_load_explicit(&hazard_records, memory_order_relaxed);
        do {
            rec->next = head;
        } while (!atomic_compare_exchange_weak_explicit(
            &hazard_records, &head, rec, memory_order_release, memory_order_relaxed));
    }
    rec->depth = 0;
    if (pthread_setspecific(hazard_key, rec) != 0) {
        atomic_store(&rec->in_use, false);
        return NULL;
    }
    sspi_hazards_self = rec;
    return rec;
}

/* Whether any thread's record holds `s`. */
static bool hazard_held(const struct sspi_slot *s)
{
    for (struct sspi_hazards *rec = atomic_load_explicit(&hazard_records, memory_order_acquire);
         rec != NULL; rec = rec->next) {
        for (int i = 0; i < SSPI_HAZARDS; i++)
            if (atomic_load_explicit(&rec->hp[i], memory_order_acquire) == s)
                return true;
    }
    return false;
}

/* The keyed check value of a handle: a forged handle must guess it. */
static uint32_t handle_check(uint32_t index, uint32_t gen, uint32_t kind)
{
    uint64_t x = (((uint64_t)gen << 32) | index) ^ sspi_handle_key_tag;

    x *= UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 29;
    x += kind;
    x *= UINT64_C(0xBF58476D1CE4E5B9);
    return (uint32_t)(x >> 32);
}

static void handle_encode(uint32_t index, uint32_t gen, uint32_t kind, uint32_t check,
                          SecHandle *out)
{
    uint64_t lower = ((uint64_t)check << 32) | (index + 1u);

    out->dwLower = (ULONG_PTR)(lower ^ sspi_handle_key_lower);
    out->dwUpper = (ULONG_PTR)(((uint64_t)gen << 8) | kind);
}

/* Called with alloc_lock held. */
static struct sspi_slot *slot_take(void)
{
    struct sspi_slot *chunk;
    uint32_t index;

    if (free_head != NO_SLOT) {
        index = free_head;
        chunk = atomic_load_explicit(&sspi_handle_table[index >> SSPI_HANDLE_CHUNK_BITS],
                                     memory_order_relaxed);
        free_head = chunk[index & (SSPI_HANDLE_CHUNK_SLOTS - 1)].next_free;
        return &chunk[index & (SSPI_HANDLE_CHUNK_SLOTS - 1)];
    }
    if (next_unused >= SSPI_HANDLE_MAX_SLOTS)
        return NULL;
    index = next_unused;
    chunk = atomic_load_explicit(&sspi_handle_table[index >> SSPI_HANDLE_CHUNK_BITS],
                                 memory_order_relaxed);
    if (chunk == NULL) {
        chunk = aligned_alloc(64, SSPI_HANDLE_CHUNK_SLOTS * sizeof(struct sspi_slot));
        if (chunk == NULL)
            return NULL;
        memset(chunk, 0, SSPI_HANDLE_CHUNK_SLOTS * sizeof(struct sspi_slot));
        for (uint32_t i = 0; i < SSPI_HANDLE_CHUNK_SLOTS; i++) {
            atomic_init(&chunk[i].word, 0);
            atomic_init(&chunk[i].check, 0);
            chunk[i].index = index + i;
            chunk[i].next_free = NO_SLOT;
        }
        atomic_store_explicit(&sspi_handle_table[index >> SSPI_HANDLE_CHUNK_BITS], chunk,
                              memory_order_release);
    }
    next_unused++;
    return &chunk[index & (SSPI_HANDLE_CHUNK_SLOTS - 1)];
}

SECURITY_STATUS sspi_handle_create(enum sspi_handle_kind kind, void *obj,
                                   sspi_handle_destroy_fn destroy, SecHandle *out)
{
    struct sspi_slot *s;
    uint32_t gen, check;

    pthread_mutex_lock(&alloc_lock);
    s = slot_take();
    pthread_mutex_unlock(&alloc_lock);
    if (s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;

    gen = (uint32_t)(atomic_load_explicit(&s->word, memory_order_relaxed) >> SSPI_W_GEN_SHIFT) + 1u;
    if (gen == 0)
        gen = 1;
    check = handle_check(s->index, gen, (uint32_t)kind);
    s->obj = obj;
    s->destroy = destroy;
    atomic_store_explicit(&s->check, check, memory_order_relaxed);
    atomic_store_explicit(
        &s->word, ((uint64_t)gen << SSPI_W_GEN_SHIFT) | ((uint64_t)kind << SSPI_W_KIND_SHIFT) | 1u,
        memory_order_release);
    handle_encode(s->index, gen, (uint32_t)kind, check, out);
    return SEC_E_OK;
}

/* Claimed (dead bit set): destroy the object and recycle the slot. */
static void handle_finish(struct sspi_slot *s)
{
    void *obj = s->obj;
    sspi_handle_destroy_fn destroy = s->destroy;
    uint64_t w = atomic_load_explicit(&s->word, memory_order_acquire);

    s->obj = NULL;
    s->destroy = NULL;
    if (destroy != NULL)
        destroy(obj);
    /* Keep the generation, clear the rest: the slot is free. */
    atomic_store_explicit(&s->word,
                          w & ~(SSPI_W_KIND_MASK | SSPI_W_CLOSING | SSPI_W_DEAD | SSPI_W_REFS),
                          memory_order_release);
    pthread_mutex_lock(&alloc_lock);
    s->next_free = free_head;
    free_head = s->index;
    pthread_mutex_unlock(&alloc_lock);
}

/*
 * Closed, and a reference or a hazard just went away.  The reclaimer's
 * barrier pairs with the readers' (handle.h): a reader either sees the
 * closing bit and backs off, or its hazard is seen here; a reader that
 * leaves after this scan saw it sees the closing bit and comes back here.
 * The dead bit makes one caller the one that destroys.
 */
void sspi_handle_reclaim(struct sspi_slot *s)
{
    uint64_t w = atomic_load_explicit(&s->word, memory_order_acquire);

    for (;;) {
        if ((w & SSPI_W_CLOSING) == 0 || (w & (SSPI_W_DEAD | SSPI_W_REFS)) != 0)
            return;
        reclaimer_fence();
        if (hazard_held(s))
            return;
        if (atomic_compare_exchange_weak_explicit(&s->word, &w, w | SSPI_W_DEAD,
                                                  memory_order_acq_rel, memory_order_acquire))
            break;
    }
    handle_finish(s);
}

SECURITY_STATUS sspi_handle_close(const SecHandle *h, enum sspi_handle_kind kind)
{
    uint64_t id, w, nw;
    uint32_t check;
    struct sspi_slot *s = sspi_handle_decode(h, (uint32_t)kind, &id, &check);

    if (s == NULL)
        return SEC_E_INVALID_HANDLE;
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    do {
        if (!sspi_slot_matches(s, w, id, check) || (w & SSPI_W_REFS) == 0)
            return SEC_E_INVALID_HANDLE;
        nw = (w | SSPI_W_CLOSING) - 1;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, nw, memory_order_acq_rel,
                                                    memory_order_relaxed));
    if ((nw & SSPI_W_REFS) == 0)
        sspi_handle_reclaim(s);
    return SEC_E_OK;
}

bool sspi_handle_close_slot(struct sspi_slot *s)
{
    uint64_t w = atomic_load_explicit(&s->word, memory_order_relaxed);
    uint64_t nw;

    do {
        if ((w & SSPI_W_CLOSING) != 0)
            return false;
        nw = (w | SSPI_W_CLOSING) - 1;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, nw, memory_order_acq_rel,
                                                    memory_order_relaxed));
    /* The caller still holds a reference, so nw has at least one. */
    return true;
}
