/* Ordering the event log by (time, input position). */
#ifndef SMGI_LOGSORT_H
#define SMGI_LOGSORT_H

#include <stddef.h>
#include <stdint.h>
#include "alloc.h"

/* The positions first..n-1 of `at`, ordered by (at[i], i): writes n-first
 * positions to a new array *order (free with smgi_free), and rewrites
 * at[first..n) in that order (the sort uses it as its scratch). Memory
 * while sorting is 8 bytes a position, 4 bytes after. 0, or SMG_ENOMEM
 * with `at` unchanged. */
int smgi_sort_by_time(const smg_allocator *a, smg_time *at, size_t first, size_t n,
                      uint32_t **order);

/* The same for any span of time, with 24 bytes a position while sorting
 * (stable LSD radix on (time, position) pairs); used when a batch's span
 * and positions do not fit in 64 bits together. */
int smgi_sort_by_time_wide(const smg_allocator *a, smg_time *at, size_t first, size_t n,
                           uint32_t **order);

/* Stable LSD radix sort of v[0..n) on bits [lo, hi) (digits of at most
 * 11 bits) through scratch s of the same size; returns the array holding
 * the result (v or s). Pack a sort key above an index to sort records. */
uint64_t *smgi_radix_bits(uint64_t *v, uint64_t *s, size_t n, int lo, int hi);
/* Stable LSD radix sort of (key, idx) pairs by key, 8-bit digits, skipping
 * digits that are the same in every key. The sorted pairs end up in
 * *key / *idx; *tk / *ti are scratch of the same size (the buffers may
 * swap). */
void smgi_radix_pairs(uint64_t **key, uint32_t **idx, uint64_t **tk, uint32_t **ti, size_t n);
/* Number of bits needed to hold v (0 for 0). */
int smgi_bits_for(uint64_t v);

#endif
