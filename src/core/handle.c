/*
 * handle.c - the SecHandle table: opaque, generation-checked, reference
 * counted handles with lock-free lookup (see handle.h for the model; the
 * lookup itself is inline there).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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
}

static void handle_encode(uint32_t index, uint32_t gen, uint32_t kind, SecHandle *out)
{
    uint64_t lower = ((uint64_t)sspi_handle_tag(index, gen, kind) << 32) | (index + 1u);

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
    uint32_t gen;

    pthread_mutex_lock(&alloc_lock);
    s = slot_take();
    pthread_mutex_unlock(&alloc_lock);
    if (s == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;

    gen = (uint32_t)(atomic_load_explicit(&s->word, memory_order_relaxed) >> SSPI_W_GEN_SHIFT) + 1u;
    if (gen == 0)
        gen = 1;
    s->obj = obj;
    s->destroy = destroy;
    atomic_store_explicit(
        &s->word, ((uint64_t)gen << SSPI_W_GEN_SHIFT) | ((uint64_t)kind << SSPI_W_KIND_SHIFT) | 1u,
        memory_order_release);
    handle_encode(s->index, gen, (uint32_t)kind, out);
    return SEC_E_OK;
}

void sspi_handle_finish(struct sspi_slot *s)
{
    void *obj = s->obj;
    sspi_handle_destroy_fn destroy = s->destroy;
    uint64_t w = atomic_load_explicit(&s->word, memory_order_acquire);

    s->obj = NULL;
    s->destroy = NULL;
    if (destroy != NULL)
        destroy(obj);
    /* Keep the generation, clear kind/closing/refs: the slot is free. */
    atomic_store_explicit(&s->word, w & ~(SSPI_W_KIND_MASK | SSPI_W_CLOSING | SSPI_W_REFS),
                          memory_order_release);
    pthread_mutex_lock(&alloc_lock);
    s->next_free = free_head;
    free_head = s->index;
    pthread_mutex_unlock(&alloc_lock);
}

SECURITY_STATUS sspi_handle_close(const SecHandle *h, enum sspi_handle_kind kind)
{
    uint64_t id, w, nw;
    struct sspi_slot *s = sspi_handle_decode(h, (uint32_t)kind, &id);

    if (s == NULL)
        return SEC_E_INVALID_HANDLE;
    w = atomic_load_explicit(&s->word, memory_order_relaxed);
    do {
        if ((w & SSPI_W_ID_MASK) != id || (w & SSPI_W_CLOSING) != 0 || (w & SSPI_W_REFS) == 0)
            return SEC_E_INVALID_HANDLE;
        nw = (w | SSPI_W_CLOSING) - 1;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, nw, memory_order_acq_rel,
                                                    memory_order_relaxed));
    if ((nw & SSPI_W_REFS) == 0)
        sspi_handle_finish(s);
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
