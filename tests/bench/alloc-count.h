/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc-count.h - heap allocations counted by the benchmarks: linking
 * alloc-count.c into a program replaces malloc, calloc and realloc (for the
 * program and every library it loads) with versions that count, then call
 * the C library's own.
 */
#ifndef LIBSSPI_TESTS_ALLOC_COUNT_H
#define LIBSSPI_TESTS_ALLOC_COUNT_H

#include <stdatomic.h>
#include <stddef.h>

/* Allocations made so far by the whole process. */
extern atomic_ulong alloc_count;

/* The C library's allocator, bypassing the count. */
extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

#endif
