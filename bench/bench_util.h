/* What the benchmarks share: a counting allocator (live and peak bytes of
 * the library's own allocations, through smg_org_options) and a clock.
 * Header-only: each benchmark is one program. */
#ifndef SMG_BENCH_UTIL_H
#define SMG_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

#include "salesmgmt.h"

typedef struct counter {
    size_t live, peak;
} counter;

static inline void *c_malloc(void *op, size_t n)
{
    counter *c = op;
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    c->live += n;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 2;
}

static inline void c_free(void *op, void *ptr)
{
    counter *c = op;
    size_t *p;
    if (!ptr)
        return;
    p = (size_t *)ptr - 2;
    c->live -= p[0];
    free(p);
}

static inline void *c_realloc(void *op, void *ptr, size_t n)
{
    counter *c = op;
    size_t *p, old;
    if (!ptr)
        return c_malloc(op, n);
    p = (size_t *)ptr - 2;
    old = p[0];
    p = realloc(p, n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    c->live = c->live - old + n;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 2;
}

/* Options whose allocator counts into *c. */
static inline void counting_options(smg_org_options *o, counter *c)
{
    o->allocator.malloc_fn = c_malloc;
    o->allocator.realloc_fn = c_realloc;
    o->allocator.free_fn = c_free;
    o->allocator.opaque = c;
}

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
