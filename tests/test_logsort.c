/* Ordering the log by (time, input position): both sorts against a plain
 * comparison sort, with many ties, spans needing every key byte, and
 * the sizes around the insertion-sort cut-off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logsort.h"

static const smg_allocator libc = { 0, 0, 0, 0 };
static const smg_time *g_at; /* for the reference comparator only */

static int by_time_then_pos(const void *x, const void *y)
{
    uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
    if (g_at[p] != g_at[q])
        return g_at[p] < g_at[q] ? -1 : 1;
    return p < q ? -1 : p > q;
}

static void check(const smg_time *at, size_t first, size_t n, int wide)
{
    uint32_t *got = NULL, *want = malloc((n - first + 1) * sizeof *want);
    smg_time *t = malloc((n + 1) * sizeof *t);
    size_t i;
    assert_non_null(want);
    assert_non_null(t);
    for (i = first; i < n; i++)
        want[i - first] = (uint32_t)i;
    g_at = at;
    qsort(want, n - first, sizeof *want, by_time_then_pos);
    if (n)
        memcpy(t, at, n * sizeof *t);
    if (wide)
        assert_int_equal(smgi_sort_by_time_wide(&libc, t, first, n, &got), 0);
    else
        assert_int_equal(smgi_sort_by_time(&libc, t, first, n, &got), 0);
    if (n > first)
        assert_memory_equal(got, want, (n - first) * sizeof *want);
    /* the times come back in that order; the ones before `first` stay */
    for (i = 0; i < first; i++)
        assert_true(t[i] == at[i]);
    for (i = first; i < n; i++)
        assert_true(t[i] == at[want[i - first]]);
    free(got);
    free(want);
    free(t);
}

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void test_against_qsort(void **state)
{
    static const size_t sizes[] = { 0, 1, 2, 47, 48, 49, 300, 5000, 200000 };
    static const uint64_t spans[] = { 1, 3, 600, 86400 * 400, (uint64_t)86400 * 365 * 9000 };
    smg_time *at = malloc(200000 * sizeof *at);
    uint64_t s = 7;
    size_t a, b, i;
    (void)state;
    assert_non_null(at);
    for (a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
        for (b = 0; b < sizeof spans / sizeof spans[0]; b++) {
            size_t n = sizes[a];
            for (i = 0; i < n; i++)
                at[i] = (smg_time)(rnd(&s) % spans[b]) - 86400 * 365; /* before 1970 too */
            check(at, 0, n, 0);
            check(at, 0, n, 1);
            if (n > 2) {
                check(at, n / 2, n, 0); /* only the new part of a log */
                check(at, n / 2, n, 1);
            }
        }
    free(at);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_qsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
