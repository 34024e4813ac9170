/* madvise() and MADV_HUGEPAGE are outside C99 */
#define _DEFAULT_SOURCE
#include "alloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* A block this big asks the kernel for transparent huge pages. The first
 * touch of a 4 KiB page costs a fault; of a 2 MiB page, one fault per 512
 * such pages. On a 10-million-event log the faults were most of the
 * ordering's time (bench/bench_attribution.c). Advice only: without THP,
 * or where THP is "never", nothing changes; errno is left as it was. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_ADVICE_FROM ((size_t)2 << 20)

static void *advise_huge(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p && size >= HUGE_ADVICE_FROM) {
        uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)p + size) & ~(HUGE_PAGE - 1);
        int saved = errno;
        if (hi > lo)
            (void)madvise((void *)lo, (size_t)(hi - lo), MADV_HUGEPAGE);
        errno = saved;
    }
#else
    (void)size;
#endif
    return p;
}

void *smgi_malloc(const smg_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return advise_huge(a->malloc_fn ? a->malloc_fn(a->opaque, size) : malloc(size), size);
}

void *smgi_realloc(const smg_allocator *a, void *ptr, size_t size)
{
    if (size == 0)
        size = 1;
    return advise_huge(a->realloc_fn ? a->realloc_fn(a->opaque, ptr, size)
                                     : realloc(ptr, size), size);
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

size_t smgi_grow_cap(size_t cap, size_t need, size_t elsz)
{
    size_t ncap;
    if (need <= cap)
        return cap;
    ncap = cap ? cap : 16;
    while (ncap < need) {
        if (ncap > ((size_t)-1 / 2) / elsz)
            return 0;
        ncap *= 2;
    }
    return ncap;
}

int smgi_grow_to(const smg_allocator *a, void **arr, size_t cap, size_t ncap, size_t elsz)
{
    void *p;
    if (ncap <= cap)
        return 0;
    if (*arr && ncap * elsz >= HUGE_ADVICE_FROM) {
        /* a fresh block, not realloc(): a mapping that mremap() moves keeps
         * its old 2 MiB phase, and the kernel gives it no huge pages */
        p = smgi_malloc(a, ncap * elsz);
        if (!p)
            return SMG_ENOMEM;
        memcpy(p, *arr, cap * elsz);
        smgi_free(a, *arr);
    } else {
        p = smgi_realloc(a, *arr, ncap * elsz);
        if (!p)
            return SMG_ENOMEM;
    }
    *arr = p;
    return 0;
}

int smgi_grow(const smg_allocator *a, void **arr, size_t *cap, size_t need, size_t elsz)
{
    size_t ncap;
    if (need <= *cap)
        return 0;
    ncap = smgi_grow_cap(*cap, need, elsz);
    if (!ncap || smgi_grow_to(a, arr, *cap, ncap, elsz))
        return SMG_ENOMEM;
    *cap = ncap;
    return 0;
}
