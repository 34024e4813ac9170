/* Calendar: dates, times, month ends, leap years, quarters, periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "calendar.h"

static smg_date D(const char *s)
{
    smg_date d = 0;
    assert_int_equal(smg_date_parse(s, &d), 0);
    return d;
}

static void test_epoch_and_round_trip(void **state)
{
    char buf[16];
    smg_date d;
    int y, m, dd;
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1970-01-02"), 1);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is leap */
    assert_int_equal(D("1900-03-01") - D("1900-02-28"), 1); /* 1900 is not */
    assert_int_equal(D("2026-01-01") - D("2025-01-01"), 365);
    assert_int_equal(D("2025-01-01") - D("2024-01-01"), 366);
    /* every day of 1600..2400 round-trips */
    for (d = D("1600-01-01"); d <= D("2400-12-31"); d++) {
        assert_int_equal(smg_date_format(d, buf, sizeof buf), 10);
        assert_int_equal(D(buf), d);
    }
    assert_int_equal(smg_date_split(D("2024-02-29"), &y, &m, &dd), 0);
    assert_int_equal(y * 10000 + m * 100 + dd, 20240229);
    assert_int_equal(smg_date_format(D("0001-01-01"), buf, sizeof buf), 10);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(smg_date_format(D("9999-12-31") + 1, buf, sizeof buf), SMG_EINVAL);
    assert_int_equal(smg_date_format(D("2026-10-01"), buf, 10), SMG_ERANGE); /* no room for NUL */
}

static void test_date_rejects(void **state)
{
    smg_date d = 42;
    (void)state;
    const char *bad[] = { "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01",
                          "2026-1-01", "2026/01/01", "20260101", "2026-01-01 ", " 2026-01-01",
                          "2026-01-0a", "", "2026-01-01T00:00" };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(smg_date_parse(bad[i], &d), SMG_EPARSE);
    assert_int_equal(d, 42); /* untouched */
    assert_int_equal(smg_date_parse(NULL, &d), SMG_EINVAL);
    assert_int_equal(smg_date_make(2024, 2, 29, &d), 0);
    assert_int_equal(smg_date_make(2023, 2, 29, &d), SMG_ERANGE);
}

static void test_weekday_month_lengths(void **state)
{
    (void)state;
    assert_int_equal(smg_date_weekday(D("1970-01-01")), 3); /* Thursday */
    assert_int_equal(smg_date_weekday(D("2026-11-22")), 6); /* Sunday */
    assert_int_equal(smg_date_weekday(D("2026-11-23")), 0); /* Monday */
    assert_int_equal(smg_date_weekday(D("1969-12-29")), 0); /* Monday before the epoch */
    assert_int_equal(smg_days_in_month(2024, 2), 29);
    assert_int_equal(smg_days_in_month(2026, 2), 28);
    assert_int_equal(smg_days_in_month(2100, 2), 28);
    assert_int_equal(smg_days_in_month(2000, 2), 29);
    assert_int_equal(smg_days_in_month(2026, 4), 30);
    assert_int_equal(smg_days_in_month(2026, 12), 31);
    assert_int_equal(smg_days_in_month(2026, 13), 0);
}

static void test_add_months_clamps(void **state)
{
    smg_date d;
    char buf[16];
    (void)state;
    assert_int_equal(smg_date_add_months(D("2026-01-31"), 1, &d), 0);
    assert_int_equal(d, D("2026-02-28"));
    assert_int_equal(smg_date_add_months(D("2024-01-31"), 1, &d), 0);
    assert_int_equal(d, D("2024-02-29"));
    assert_int_equal(smg_date_add_months(D("2026-03-31"), 2, &d), 0);
    assert_int_equal(d, D("2026-05-31"));
    assert_int_equal(smg_date_add_months(D("2026-12-15"), 1, &d), 0);
    assert_int_equal(d, D("2027-01-15"));
    assert_int_equal(smg_date_add_months(D("2026-03-31"), -1, &d), 0);
    assert_int_equal(d, D("2026-02-28"));
    assert_int_equal(smg_date_add_months(D("2026-08-31"), 24, &d), 0);
    smg_date_format(d, buf, sizeof buf);
    assert_string_equal(buf, "2028-08-31");
    assert_int_equal(smg_date_add_months(D("9999-12-01"), 1, &d), SMG_ERANGE);
    assert_int_equal(smgi_year_earlier(D("2024-02-29")), D("2023-02-28"));
    assert_int_equal(smgi_year_earlier(D("2026-10-31")), D("2025-10-31"));
    assert_int_equal(smgi_month_start(D("2026-10-31")), D("2026-10-01"));
    assert_int_equal(smgi_next_month_start(D("2026-12-31")), D("2027-01-01"));
}

static void test_times(void **state)
{
    smg_time t;
    char buf[24];
    (void)state;
    assert_int_equal(smg_time_parse("2026-10-01", &t), 0);
    assert_int_equal(t, (smg_time)D("2026-10-01") * 86400);
    assert_int_equal(smg_time_parse("2026-10-01T23:59", &t), 0);
    assert_int_equal(smg_time_day(t), D("2026-10-01"));
    assert_int_equal(smg_time_parse("2026-10-01T23:59:59", &t), 0);
    assert_int_equal(smg_time_day(t + 1), D("2026-10-02")); /* the day boundary */
    assert_int_equal(smg_time_format(t, buf, sizeof buf), 19);
    assert_string_equal(buf, "2026-10-01T23:59:59");
    assert_int_equal(smg_time_parse("1969-12-31T23:00", &t), 0);
    assert_int_equal(smg_time_day(t), -1); /* rounds towards the past */
    assert_int_equal(smg_time_parse("2026-10-01T24:00", &t), SMG_ERANGE);
    assert_int_equal(smg_time_parse("2026-10-01T10:60", &t), SMG_ERANGE);
    assert_int_equal(smg_time_parse("2026-10-01 10:00", &t), SMG_EPARSE);
    assert_int_equal(smg_time_parse("2026-10-01T10", &t), SMG_EPARSE);
    assert_int_equal(smg_time_parse("2026-10-01T10:00:0", &t), SMG_EPARSE);
    assert_int_equal(smg_time_parse("2026-02-30T10:00", &t), SMG_ERANGE);
    assert_int_equal(smg_time_format(t, buf, 19), SMG_ERANGE);
}

static void test_periods(void **state)
{
    smg_date a, b;
    (void)state;
    assert_int_equal(smg_period_kind("2026"), SMG_PERIOD_YEAR);
    assert_int_equal(smg_period_kind("2026-Q3"), SMG_PERIOD_QUARTER);
    assert_int_equal(smg_period_kind("2026-02"), SMG_PERIOD_MONTH);
    assert_int_equal(smg_period_kind("2026-10-01..2026-10-07"), SMG_PERIOD_RANGE);
    assert_int_equal(smg_period_kind("2026-Q5"), SMG_EPARSE);
    assert_int_equal(smg_period_kind("26"), SMG_EPARSE);
    assert_int_equal(smg_period_parse("2024", &a, &b), 0);
    assert_int_equal(a, D("2024-01-01"));
    assert_int_equal(b, D("2024-12-31"));
    assert_int_equal(smg_period_parse("2026-Q1", &a, &b), 0);
    assert_int_equal(a, D("2026-01-01"));
    assert_int_equal(b, D("2026-03-31"));
    assert_int_equal(smg_period_parse("2026-Q4", &a, &b), 0);
    assert_int_equal(a, D("2026-10-01"));
    assert_int_equal(b, D("2026-12-31"));
    assert_int_equal(smg_period_parse("2024-02", &a, &b), 0);
    assert_int_equal(b, D("2024-02-29"));
    assert_int_equal(smg_period_parse("2026-02", &a, &b), 0);
    assert_int_equal(b - a, 27);
    assert_int_equal(smg_period_parse("2026-10-05..2026-10-05", &a, &b), 0);
    assert_int_equal(a, b);
    assert_int_equal(smg_period_parse("2026-10-05..2026-10-04", &a, &b), SMG_ERANGE);
    assert_int_equal(smg_period_parse("2026-13", &a, &b), SMG_ERANGE);
    assert_int_equal(smg_period_parse("2026-10-05..2026-10-32", &a, &b), SMG_EPARSE);
    assert_int_equal(smg_period_parse("2026-10-05,,2026-10-06", &a, &b), SMG_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_round_trip),
        cmocka_unit_test(test_date_rejects),
        cmocka_unit_test(test_weekday_month_lengths),
        cmocka_unit_test(test_add_months_clamps),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
