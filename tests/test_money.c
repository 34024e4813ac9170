/* Money: every accepted and rejected form, formatting, exact rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "money.h"

static void test_accepted(void **state)
{
    static const struct { const char *s; smg_money v; } ok[] = {
        { "0", 0 }, { "12345.67", 1234567 }, { "-3", -300 }, { "0.5", 50 }, { "0.05", 5 },
        { "-0.05", -5 }, { "007", 700 }, { "1.10", 110 },
        { "92233720368547758.07", INT64_MAX }, { "-92233720368547758.07", -INT64_MAX },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        smg_money v = 1;
        assert_int_equal(smg_money_parse(&v, ok[i].s), 0);
        assert_true(v == ok[i].v);
    }
}

static void test_rejected(void **state)
{
    static const char *const parse[] = {
        "", "-", ".5", "5.", "1.234", "1e3", "12,5", "1,000.00", " 1", "1 ", "+1", "--1",
        "1.2.3", "0x10", "１２", "1.-2", "NaN", "inf",
    };
    smg_money v = 77;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof parse / sizeof parse[0]; i++)
        assert_int_equal(smg_money_parse(&v, parse[i]), SMG_EPARSE);
    assert_int_equal(v, 77);
    assert_int_equal(smg_money_parse(&v, "92233720368547758.08"), SMG_ERANGE);
    assert_int_equal(smg_money_parse(&v, "-92233720368547758.08"), SMG_ERANGE); /* = NONE */
    assert_int_equal(smg_money_parse(&v, "100000000000000000000"), SMG_ERANGE);
    assert_int_equal(smg_money_parse(&v, NULL), SMG_EINVAL);
}

static void test_scaled_decimals(void **state)
{
    int64_t v;
    (void)state;
    assert_int_equal(smgi_decimal_parse("0.70", 4, 6, &v), 0);
    assert_int_equal(v, 700000);
    assert_int_equal(smgi_decimal_parse("0.015", 5, 6, &v), 0);
    assert_int_equal(v, 15000);
    assert_int_equal(smgi_decimal_parse("1.0000001", 9, 6, &v), SMG_EPARSE);
    assert_int_equal(smgi_decimal_parse("42", 2, 0, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(smgi_decimal_parse("4.2", 3, 0, &v), SMG_EPARSE);
    assert_int_equal(smgi_money_parse_n("12.5xyz", 4, &v), 0); /* only len bytes are read */
    assert_int_equal(v, 1250);
}

static void test_format(void **state)
{
    char buf[32];
    (void)state;
    assert_int_equal(smg_money_format(buf, sizeof buf, 123450), 7);
    assert_string_equal(buf, "1234.50");
    assert_int_equal(smg_money_format(buf, sizeof buf, -5), 5);
    assert_string_equal(buf, "-0.05");
    assert_int_equal(smg_money_format(buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "0.00");
    assert_int_equal(smg_money_format(buf, sizeof buf, INT64_MAX), 20);
    assert_string_equal(buf, "92233720368547758.07");
    assert_int_equal(smg_money_format(buf, sizeof buf, -INT64_MAX), 21);
    assert_int_equal(smg_money_format(buf, sizeof buf, SMG_MONEY_NONE), SMG_EINVAL);
    assert_int_equal(smg_money_format(buf, 7, 123450), SMG_ERANGE); /* no room for NUL */
}

static void test_rounding_half_away(void **state)
{
    smg_money v;
    (void)state;
    /* 0.5 fen rounds away from zero: 1 fen × 1/2 → 1, −1 × 1/2 → −1 */
    assert_int_equal(smg_money_muldiv(&v, 1, 1, 2), 0);
    assert_int_equal(v, 1);
    assert_int_equal(smg_money_muldiv(&v, -1, 1, 2), 0);
    assert_int_equal(v, -1);
    assert_int_equal(smg_money_muldiv(&v, 1, -1, 2), 0);
    assert_int_equal(v, -1);
    /* 1000.01 × 35% = 350.0035 → 350.00; 1000.03 × 35% = 350.0105 → 350.01 */
    assert_int_equal(smg_money_muldiv(&v, 100001, 350000, 1000000), 0);
    assert_int_equal(v, 35000);
    assert_int_equal(smg_money_muldiv(&v, 100003, 350000, 1000000), 0);
    assert_int_equal(v, 35001);
    /* x.xx5: 0.10 × 0.05 = 0.005 → 0.01 */
    assert_int_equal(smg_money_muldiv(&v, 10, 50000, 1000000), 0);
    assert_int_equal(v, 1);
    assert_int_equal(smg_money_muldiv(&v, -10, 50000, 1000000), 0);
    assert_int_equal(v, -1);
    /* 1/3 and 2/3 go to nearest */
    assert_int_equal(smg_money_muldiv(&v, 100, 1, 3), 0);
    assert_int_equal(v, 33);
    assert_int_equal(smg_money_muldiv(&v, 200, 1, 3), 0);
    assert_int_equal(v, 67);
    /* no overflow in the product */
    assert_int_equal(smg_money_muldiv(&v, INT64_MAX, 1000000, 1000000), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(smg_money_muldiv(&v, INT64_MAX, 2, 1), SMG_ERANGE);
    assert_int_equal(smg_money_muldiv(&v, 5, 1, 0), SMG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_scaled_decimals),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rounding_half_away),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
