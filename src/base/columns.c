/* Growing, sizing, trimming and freeing the columns of a table together. */
#include "columns.h"

#include "salesmgmt/common.h"

int smgi_columns_grow(const smg_allocator *a, const smgi_column *cols, size_t n,
                      size_t *cap, size_t need)
{
    size_t i, ncap, widest = 1;
    if (need <= *cap)
        return 0;
    for (i = 0; i < n; i++)
        if (cols[i].size > widest)
            widest = cols[i].size;
    /* one capacity for all, checked against the widest element */
    ncap = smgi_grow_cap(*cap, need, widest);
    if (!ncap)
        return SMG_ENOMEM;
    for (i = 0; i < n; i++)
        if (smgi_grow_to(a, cols[i].array, *cap, ncap, cols[i].size))
            return SMG_ENOMEM;
    *cap = ncap;
    return 0;
}

int smgi_columns_resize(const smg_allocator *a, const smgi_column *cols, size_t n,
                        size_t *cap, size_t rows)
{
    size_t i;
    int rc = 0;
    if (rows == *cap)
        return 0;
    for (i = 0; i < n; i++)
        if ((size_t)-1 / cols[i].size < rows)
            return SMG_ENOMEM;
    if (rows < *cap)
        *cap = rows; /* shrinking: every column holds `rows` whichever fail */
    for (i = 0; i < n; i++) {
        void *p = smgi_realloc(a, *cols[i].array, rows * cols[i].size);
        if (!p) {
            rc = SMG_ENOMEM;
            if (rows > *cap)
                return rc; /* growing: the old capacity stays */
            continue;
        }
        *cols[i].array = p;
    }
    *cap = rows;
    return rc;
}

void smgi_columns_trim(const smg_allocator *a, const smgi_column *cols, size_t n,
                       size_t *cap, size_t count)
{
    if (!count || *cap - count < count / 8) /* little to gain */
        return;
    (void)smgi_columns_resize(a, cols, n, cap, count);
}

void smgi_columns_free(const smg_allocator *a, const smgi_column *cols, size_t n, size_t *cap)
{
    size_t i;
    for (i = 0; i < n; i++) {
        smgi_free(a, *cols[i].array);
        *cols[i].array = NULL;
    }
    if (cap)
        *cap = 0;
}
