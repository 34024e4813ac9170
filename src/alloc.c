#include "alloc.h"

#include <stdlib.h>
#include <string.h>

void *smgi_malloc(const smg_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return a->malloc_fn ? a->malloc_fn(a->opaque, size) : malloc(size);
}

void *smgi_realloc(const smg_allocator *a, void *ptr, size_t size)
{
    if (size == 0)
        size = 1;
    return a->realloc_fn ? a->realloc_fn(a->opaque, ptr, size) : realloc(ptr, size);
}

void smgi_free(const smg_allocator *a, void *ptr)
{
    if (!ptr)
        return;
    if (a->free_fn)
        a->free_fn(a->opaque, ptr);
    else
        free(ptr);
}

void *smgi_calloc(const smg_allocator *a, size_t n, size_t size)
{
    void *p;
    if (size && n > (size_t)-1 / size)
        return NULL;
    p = smgi_malloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

int smgi_grow(const smg_allocator *a, void **arr, size_t *cap, size_t need, size_t elsz)
{
    size_t ncap;
    void *p;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > ((size_t)-1 / 2) / elsz)
            return SMG_ENOMEM;
        ncap *= 2;
    }
    p = smgi_realloc(a, *arr, ncap * elsz);
    if (!p)
        return SMG_ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}
