/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc-count.h - counting heap allocations: a program that links
 * alloc-count.c gets malloc/calloc/realloc/aligned allocation interposed
 * (glibc's __libc_* functions do the work) and a counter of calls.  Not
 * for sanitizer builds or valgrind, which bring their own allocator.
 */
#ifndef LIBSSPI_TESTS_ALLOC_COUNT_H
#define LIBSSPI_TESTS_ALLOC_COUNT_H

#include <stdbool.h>

/* Count from now on (true) or stop counting (false). */
void alloc_count_enable(bool on);
/* Allocations counted so far. */
long alloc_count(void);

#endif
