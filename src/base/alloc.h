/* Allocation through the org's allocator, and growable arrays. */
#ifndef SMGI_ALLOC_H
#define SMGI_ALLOC_H

#include <stddef.h>
#include "salesmgmt/common.h"

void *smgi_malloc(const smg_allocator *a, size_t size);
void *smgi_realloc(const smg_allocator *a, void *ptr, size_t size);
void smgi_free(const smg_allocator *a, void *ptr);
void *smgi_calloc(const smg_allocator *a, size_t n, size_t size);

/* Grow *arr (element size elsz, capacity *cap) to hold at least `need`
 * elements; doubles so appends are amortised O(1). 0 or SMG_ENOMEM. */
int smgi_grow(const smg_allocator *a, void **arr, size_t *cap, size_t need, size_t elsz);

/* The capacity smgi_grow() picks for `need` elements from `cap`: doubling,
 * 16 at first; 0 when that many elements of elsz bytes do not fit. */
size_t smgi_grow_cap(size_t cap, size_t need, size_t elsz);
/* Reallocate *arr from cap to ncap (> cap) elements of elsz bytes, keeping
 * the first cap; a big block is a fresh one (see alloc.c). 0 or SMG_ENOMEM
 * (*arr unchanged). */
int smgi_grow_to(const smg_allocator *a, void **arr, size_t cap, size_t ncap, size_t elsz);

#define SMGI_GROW(a, arr, cap, need) \
    smgi_grow((a), (void **)&(arr), &(cap), (need), sizeof *(arr))

/* A hint to fetch memory that will be read soon (random access in big
 * arrays); nothing on compilers without it. */
#if defined(__GNUC__) || defined(__clang__)
#define SMGI_PREFETCH(p) __builtin_prefetch(p)
#else
#define SMGI_PREFETCH(p) ((void)0)
#endif

#endif
