/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc-count.c - the counting allocator of alloc-count.h.
 */
#include <stdlib.h>

#include "bench/alloc-count.h"

extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

atomic_ulong alloc_count;

void *malloc(size_t n)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}
