/* A test allocator for smg_org_options.allocator, shared by the unit tests
 * that make allocations fail: it counts the calls and the blocks alive, and
 * fails `span` calls from call number `fail_at` on (0-based over the
 * allocator's life; -1 = none; FAILING_FOREVER = every call from then on).
 * The blocks it hands out come from libc, so a block freed by libc free()
 * instead of through it shows up in `live` (or under ASan) as a leak. */
#ifndef SMG_TESTS_FAILING_ALLOC_H
#define SMG_TESTS_FAILING_ALLOC_H

#include <limits.h>
#include <stdlib.h>

#include "salesmgmt.h"

typedef struct failing {
    long calls;   /* calls so far */
    long fail_at; /* the first call that fails; -1 = none */
    long span;    /* how many calls fail from there */
    long live;    /* blocks allocated and not freed */
} failing;

#define FAILING_INIT { 0, -1, 1, 0 }
#define FAILING_FOREVER LONG_MAX

static inline int failing_now(failing *f)
{
    long k = f->calls++;
    return f->fail_at >= 0 && k >= f->fail_at && k - f->fail_at < f->span;
}

static inline void *failing_malloc(void *opaque, size_t size)
{
    failing *f = opaque;
    void *p;
    if (failing_now(f))
        return NULL;
    if ((p = malloc(size)) != NULL)
        f->live++;
    return p;
}

static inline void *failing_realloc(void *opaque, void *ptr, size_t size)
{
    failing *f = opaque;
    void *p;
    if (failing_now(f))
        return NULL;
    p = realloc(ptr, size);
    if (p && !ptr)
        f->live++;
    return p;
}

static inline void failing_free(void *opaque, void *ptr)
{
    failing *f = opaque;
    if (ptr) {
        f->live--;
        free(ptr);
    }
}

/* Every call after the next @p n fails (n = 0: the next one already). */
static inline void failing_after(failing *f, long n)
{
    f->fail_at = f->calls + n;
    f->span = FAILING_FOREVER;
}

/* Make @p oo allocate through @p f. */
static inline void failing_options(smg_org_options *oo, failing *f)
{
    oo->allocator.malloc_fn = failing_malloc;
    oo->allocator.realloc_fn = failing_realloc;
    oo->allocator.free_fn = failing_free;
    oo->allocator.opaque = f;
}

#endif
