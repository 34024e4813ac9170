/* The column helper (columns.c): a table's columns grow, resize, trim and
 * free together; a failure leaves the capacity as it was, every column
 * holding it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"

/* An allocator that fails once `budget` calls have been made (-1 = never),
 * counting the blocks alive. */
typedef struct budget {
    long left, live;
} budget;

static void *b_malloc(void *op, size_t n)
{
    budget *b = op;
    if (b->left == 0)
        return NULL;
    if (b->left > 0)
        b->left--;
    b->live++;
    return malloc(n);
}

static void *b_realloc(void *op, void *p, size_t n)
{
    budget *b = op;
    if (b->left == 0)
        return NULL;
    if (b->left > 0)
        b->left--;
    if (!p)
        b->live++;
    return realloc(p, n);
}

static void b_free(void *op, void *p)
{
    budget *b = op;
    if (p)
        b->live--;
    free(p);
}

typedef struct table {
    int64_t *wide;
    uint8_t *narrow;
    int32_t *mid;
    size_t cap;
} table;

#define TABLE_COLUMNS(t) { SMGI_COLUMN((t)->wide), SMGI_COLUMN((t)->narrow), SMGI_COLUMN((t)->mid) }

static void fill(table *t, size_t from, size_t to)
{
    size_t i;
    for (i = from; i < to; i++) {
        t->wide[i] = (int64_t)i * 1000;
        t->narrow[i] = (uint8_t)i;
        t->mid[i] = (int32_t)i;
    }
}

static void check(const table *t, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        assert_int_equal(t->wide[i], (int64_t)i * 1000);
        assert_int_equal(t->narrow[i], (uint8_t)i);
        assert_int_equal(t->mid[i], (int32_t)i);
    }
}

static void test_grow_resize_trim(void **state)
{
    budget b = { -1, 0 };
    smg_allocator a = { b_malloc, b_realloc, b_free, &b };
    table t = { NULL, NULL, NULL, 0 };
    smgi_column cols[] = TABLE_COLUMNS(&t);
    size_t n = SMGI_NCOLUMNS(cols);
    (void)state;
    assert_int_equal(n, 3);
    assert_int_equal(cols[0].size, 8);
    assert_int_equal(cols[1].size, 1);
    /* nothing to do: no allocation */
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 0), 0);
    assert_null(t.wide);
    /* doubling from 16, one capacity for all */
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 1), 0);
    assert_int_equal(t.cap, 16);
    fill(&t, 0, 16);
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 17), 0);
    assert_int_equal(t.cap, 32);
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 100), 0);
    assert_int_equal(t.cap, 128);
    fill(&t, 16, 100);
    check(&t, 100);
    assert_int_equal(b.live, 3);
    /* a failure in the middle: capacity unchanged, the rows kept */
    b.left = 1;
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 129), SMG_ENOMEM);
    assert_int_equal(t.cap, 128);
    b.left = -1;
    check(&t, 100);
    fill(&t, 100, 128); /* every column holds the capacity */
    /* exactly: reserve */
    b.left = 2;
    assert_int_equal(smgi_columns_resize(&a, cols, n, &t.cap, 1000), SMG_ENOMEM);
    assert_int_equal(t.cap, 128);
    b.left = -1;
    assert_int_equal(smgi_columns_resize(&a, cols, n, &t.cap, 1000), 0);
    assert_int_equal(t.cap, 1000);
    check(&t, 128);
    /* trim: only when an eighth or more is unused */
    smgi_columns_trim(&a, cols, n, &t.cap, 900);
    assert_int_equal(t.cap, 1000);
    smgi_columns_trim(&a, cols, n, &t.cap, 0);
    assert_int_equal(t.cap, 1000);
    /* shrinking that fails for some columns still sets the capacity */
    b.left = 1;
    smgi_columns_trim(&a, cols, n, &t.cap, 100);
    assert_int_equal(t.cap, 100);
    b.left = -1;
    check(&t, 100);
    /* and growing from there works from the new capacity */
    assert_int_equal(smgi_columns_grow(&a, cols, n, &t.cap, 101), 0);
    assert_int_equal(t.cap, 200);
    fill(&t, 100, 200);
    check(&t, 200);
    smgi_columns_free(&a, cols, n, &t.cap);
    assert_null(t.wide);
    assert_null(t.narrow);
    assert_null(t.mid);
    assert_int_equal(t.cap, 0);
    assert_int_equal(b.live, 0);
    smgi_columns_free(&a, cols, n, NULL); /* again: nothing left */
}

static void test_overflow(void **state)
{
    smg_allocator a = { 0, 0, 0, 0 };
    table t = { NULL, NULL, NULL, 0 };
    smgi_column cols[] = TABLE_COLUMNS(&t);
    (void)state;
    /* too many rows for the widest column: refused, nothing allocated */
    assert_int_equal(smgi_columns_grow(&a, cols, 3, &t.cap, (size_t)-1 / 4), SMG_ENOMEM);
    assert_int_equal(smgi_columns_resize(&a, cols, 3, &t.cap, (size_t)-1 / 4), SMG_ENOMEM);
    assert_int_equal(t.cap, 0);
    assert_null(t.wide);
    assert_null(t.narrow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_resize_trim),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
