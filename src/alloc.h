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

#define SMGI_GROW(a, arr, cap, need) \
    smgi_grow((a), (void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
