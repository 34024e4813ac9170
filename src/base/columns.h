/* The columns of a table kept as struct of arrays: one helper grows, sizes,
 * trims and frees them all together, so that no table writes its own loop.
 *
 * A table lists its columns where it needs them:
 *     smgi_column cols[] = { SMGI_COLUMN(t->parent), SMGI_COLUMN(t->leader) };
 *     smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &t->cap, n + 1);
 * Every column holds at least `cap` rows whatever fails: a failed call
 * leaves the capacity as it was (the columns already grown keep their new
 * size, which is harmless). */
#ifndef SMGI_COLUMNS_H
#define SMGI_COLUMNS_H

#include <stddef.h>

#include "alloc.h"

typedef struct smgi_column {
    void **array;  /* the column's pointer */
    size_t size;   /* bytes of one element */
} smgi_column;

#define SMGI_COLUMN(arr) { (void **)&(arr), sizeof *(arr) }
#define SMGI_NCOLUMNS(cols) (sizeof(cols) / sizeof((cols)[0]))

/* Room for `need` rows in every column, the capacity doubling as
 * SMGI_GROW's (amortised O(1) appends). 0 or SMG_ENOMEM (*cap unchanged). */
int smgi_columns_grow(const smg_allocator *a, const smgi_column *cols, size_t n,
                      size_t *cap, size_t need);

/* Every column reallocated to exactly `rows` rows (which must hold the
 * table's rows): a reservation that knows its size, or a trim. Growing, a
 * failure is SMG_ENOMEM with *cap unchanged; shrinking, *cap becomes
 * `rows` whatever fails (a column that cannot shrink stays as it is). */
int smgi_columns_resize(const smg_allocator *a, const smgi_column *cols, size_t n,
                        size_t *cap, size_t rows);

/* Give back the capacity past `count` rows when it is worth it (at least
 * an eighth of the count); after a bulk load that grew the table by
 * doubling, up to half of it is unused. */
void smgi_columns_trim(const smg_allocator *a, const smgi_column *cols, size_t n,
                       size_t *cap, size_t count);

/* Free every column (each left NULL) and set *cap to 0 (cap may be NULL). */
void smgi_columns_free(const smg_allocator *a, const smgi_column *cols, size_t n,
                       size_t *cap);

#endif
