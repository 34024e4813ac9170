/* Interned ids: dense indices, lookups, growth, truncation on rollback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "strtab.h"

static const smg_allocator libc = { 0, 0, 0, 0 };

static void test_intern_find(void **state)
{
    smgi_strtab t;
    size_t i, idx;
    int added;
    char buf[32];
    (void)state;
    memset(&t, 0, sizeof t);
    assert_int_equal(smgi_strtab_find(&t, "x", 1), -1);
    for (i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "id-%zu", i);
        assert_int_equal(smgi_strtab_intern(&libc, &t, buf, strlen(buf), &idx, &added), 0);
        assert_int_equal(idx, i);
        assert_true(added);
    }
    /* the same id again: same index, not added */
    assert_int_equal(smgi_strtab_intern(&libc, &t, "id-42", 5, &idx, &added), 0);
    assert_int_equal(idx, 42);
    assert_false(added);
    assert_int_equal(t.count, 5000);
    for (i = 0; i < 5000; i += 7) {
        snprintf(buf, sizeof buf, "id-%zu", i);
        assert_int_equal(smgi_strtab_find(&t, buf, strlen(buf)), (long)i);
        assert_string_equal(smgi_strtab_get(&t, i), buf);
    }
    /* prefixes and length-delimited keys are distinct */
    assert_int_equal(smgi_strtab_find(&t, "id-4", 4), 4);
    assert_int_equal(smgi_strtab_find(&t, "id-42xyz", 5), 42);
    assert_int_equal(smgi_strtab_find(&t, "id-", 3), -1);
    /* UTF-8 ids */
    assert_int_equal(smgi_strtab_intern(&libc, &t, "客户一", strlen("客户一"), &idx, &added), 0);
    assert_int_equal(smgi_strtab_find(&t, "客户一", strlen("客户一")), (long)idx);
    smgi_strtab_free(&libc, &t);
}

static void test_truncate(void **state)
{
    smgi_strtab t;
    size_t idx;
    (void)state;
    memset(&t, 0, sizeof t);
    smgi_strtab_intern(&libc, &t, "a", 1, &idx, NULL);
    smgi_strtab_intern(&libc, &t, "b", 1, &idx, NULL);
    smgi_strtab_intern(&libc, &t, "c", 1, &idx, NULL);
    assert_int_equal(smgi_strtab_truncate(&libc, &t, 1), 0);
    assert_int_equal(t.count, 1);
    assert_int_equal(smgi_strtab_find(&t, "a", 1), 0);
    assert_int_equal(smgi_strtab_find(&t, "b", 1), -1);
    assert_int_equal(smgi_strtab_find(&t, "c", 1), -1);
    /* the freed index is handed out again */
    smgi_strtab_intern(&libc, &t, "c", 1, &idx, NULL);
    assert_int_equal(idx, 1);
    assert_string_equal(smgi_strtab_get(&t, 1), "c");
    smgi_strtab_free(&libc, &t);
}

static void test_append_only(void **state)
{
    smgi_strtab t;
    size_t idx;
    (void)state;
    memset(&t, 0, sizeof t);
    /* names are appended without a hash: duplicates are fine */
    assert_int_equal(smgi_strtab_append(&libc, &t, "张伟", strlen("张伟"), &idx), 0);
    assert_int_equal(smgi_strtab_append(&libc, &t, "张伟", strlen("张伟"), &idx), 0);
    assert_int_equal(idx, 1);
    assert_int_equal(smgi_strtab_find(&t, "张伟", strlen("张伟")), -1);
    assert_string_equal(smgi_strtab_get(&t, 1), "张伟");
    smgi_strtab_free(&libc, &t);
}

/* The id lookup by C string: NULL, "" and absent ids are -1. */
static void test_find_str(void **state)
{
    smgi_strtab t;
    size_t idx;
    (void)state;
    memset(&t, 0, sizeof t);
    assert_int_equal(smgi_strtab_find_str(&t, "a"), -1);
    assert_int_equal(smgi_strtab_intern(&libc, &t, "alpha", 5, &idx, NULL), 0);
    assert_int_equal(smgi_strtab_intern(&libc, &t, "beta", 4, &idx, NULL), 0);
    assert_int_equal(smgi_strtab_find_str(&t, "beta"), 1);
    assert_int_equal(smgi_strtab_find_str(&t, "alpha"), 0);
    assert_int_equal(smgi_strtab_find_str(&t, "alph"), -1);
    assert_int_equal(smgi_strtab_find_str(&t, "alphabet"), -1);
    assert_int_equal(smgi_strtab_find_str(&t, ""), -1);
    assert_int_equal(smgi_strtab_find_str(&t, NULL), -1);
    smgi_strtab_free(&libc, &t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intern_find),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_append_only),
        cmocka_unit_test(test_find_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
