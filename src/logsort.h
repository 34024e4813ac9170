/* Ordering the event log by (time, input position). */
#ifndef SMGI_LOGSORT_H
#define SMGI_LOGSORT_H

#include <stddef.h>
#include <stdint.h>
#include "alloc.h"

/* The positions first..n-1 of `at`, ordered by (at[i], i): writes n-first
 * positions to a new array *order (free with smgi_free). Memory while
 * sorting is 8 bytes a position, 4 bytes after. 0 or SMG_ENOMEM. */
int smgi_sort_by_time(const smg_allocator *a, const smg_time *at, size_t first, size_t n,
                      uint32_t **order);

/* The same for any span of time, with 24 bytes a position while sorting
 * (stable LSD radix on (time, position) pairs); used when a batch's span
 * and positions do not fit in 64 bits together. */
int smgi_sort_by_time_wide(const smg_allocator *a, const smg_time *at, size_t first, size_t n,
                           uint32_t **order);

#endif
