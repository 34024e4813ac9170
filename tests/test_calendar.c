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
    assert_int_equal(smg_date_parse(&d, s), 0);
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
        assert_int_equal(smg_date_format(buf, sizeof buf, d), 10);
        assert_int_equal(D(buf), d);
    }
    assert_int_equal(smg_date_split(D("2024-02-29"), &y, &m, &dd), 0);
    assert_int_equal(y * 10000 + m * 100 + dd, 20240229);
    assert_int_equal(smg_date_format(buf, sizeof buf, D("0001-01-01")), 10);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(smg_date_format(buf, sizeof buf, D("9999-12-31") + 1), SMG_EINVAL);
    assert_int_equal(smg_date_format(buf, 10, D("2026-10-01")), SMG_ERANGE); /* no room for NUL */
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
        assert_int_equal(smg_date_parse(&d, bad[i]), SMG_EPARSE);
    assert_int_equal(d, 42); /* untouched */
    assert_int_equal(smg_date_parse(&d, NULL), SMG_EINVAL);
    assert_int_equal(smg_date_make(&d, 2024, 2, 29), 0);
    assert_int_equal(smg_date_make(&d, 2023, 2, 29), SMG_ERANGE);
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
    assert_int_equal(smg_date_add_months(&d, D("2026-01-31"), 1), 0);
    assert_int_equal(d, D("2026-02-28"));
    assert_int_equal(smg_date_add_months(&d, D("2024-01-31"), 1), 0);
    assert_int_equal(d, D("2024-02-29"));
    assert_int_equal(smg_date_add_months(&d, D("2026-03-31"), 2), 0);
    assert_int_equal(d, D("2026-05-31"));
    assert_int_equal(smg_date_add_months(&d, D("2026-12-15"), 1), 0);
    assert_int_equal(d, D("2027-01-15"));
    assert_int_equal(smg_date_add_months(&d, D("2026-03-31"), -1), 0);
    assert_int_equal(d, D("2026-02-28"));
    assert_int_equal(smg_date_add_months(&d, D("2026-08-31"), 24), 0);
    smg_date_format(buf, sizeof buf, d);
    assert_string_equal(buf, "2028-08-31");
    assert_int_equal(smg_date_add_months(&d, D("9999-12-01"), 1), SMG_ERANGE);
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
    assert_int_equal(smg_time_parse(&t, "2026-10-01"), 0);
    assert_int_equal(t, (smg_time)D("2026-10-01") * 86400);
    assert_int_equal(smg_time_parse(&t, "2026-10-01T23:59"), 0);
    assert_int_equal(smg_time_day(t), D("2026-10-01"));
    assert_int_equal(smg_time_parse(&t, "2026-10-01T23:59:59"), 0);
    assert_int_equal(smg_time_day(t + 1), D("2026-10-02")); /* the day boundary */
    assert_int_equal(smg_time_format(buf, sizeof buf, t), 19);
    assert_string_equal(buf, "2026-10-01T23:59:59");
    assert_int_equal(smg_time_parse(&t, "1969-12-31T23:00"), 0);
    assert_int_equal(smg_time_day(t), -1); /* rounds towards the past */
    assert_int_equal(smg_time_parse(&t, "2026-10-01T24:00"), SMG_ERANGE);
    assert_int_equal(smg_time_parse(&t, "2026-10-01T10:60"), SMG_ERANGE);
    assert_int_equal(smg_time_parse(&t, "2026-10-01 10:00"), SMG_EPARSE);
    assert_int_equal(smg_time_parse(&t, "2026-10-01T10"), SMG_EPARSE);
    assert_int_equal(smg_time_parse(&t, "2026-10-01T10:00:0"), SMG_EPARSE);
    assert_int_equal(smg_time_parse(&t, "2026-02-30T10:00"), SMG_ERANGE);
    assert_int_equal(smg_time_format(buf, 19, t), SMG_ERANGE);
}

/* parse, check that the kind and days are as given, format back */
static void period_is(const char *text, smg_period_kind kind, const char *from, const char *to)
{
    smg_period p;
    char buf[32];
    assert_int_equal(smg_period_parse(&p, text), 0);
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.from, D(from));
    assert_int_equal(p.to, D(to));
    assert_int_equal(smg_period_check(&p), 0);
    assert_int_equal(smg_period_format(buf, sizeof buf, &p), (int)strlen(text));
    assert_string_equal(buf, text);
}

static void test_periods(void **state)
{
    smg_period p, q;
    char buf[32];
    (void)state;
    period_is("2024", SMG_PERIOD_YEAR, "2024-01-01", "2024-12-31");
    period_is("2026-Q1", SMG_PERIOD_QUARTER, "2026-01-01", "2026-03-31");
    period_is("2026-Q4", SMG_PERIOD_QUARTER, "2026-10-01", "2026-12-31");
    period_is("2024-02", SMG_PERIOD_MONTH, "2024-02-01", "2024-02-29");
    period_is("2026-02", SMG_PERIOD_MONTH, "2026-02-01", "2026-02-28");
    period_is("2026-10-05..2026-10-05", SMG_PERIOD_RANGE, "2026-10-05", "2026-10-05");
    /* ISO weeks: week 1 holds 4 January; 2026 has 53 weeks, 2025 has 52 */
    period_is("2026-W01", SMG_PERIOD_WEEK, "2025-12-29", "2026-01-04");
    period_is("2026-W53", SMG_PERIOD_WEEK, "2026-12-28", "2027-01-03");
    period_is("2021-W01", SMG_PERIOD_WEEK, "2021-01-04", "2021-01-10");
    assert_int_equal(smg_period_parse(&p, "2025-W53"), SMG_ERANGE);
    assert_int_equal(smg_period_parse(&p, "2025-W00"), SMG_ERANGE);
    assert_int_equal(smg_period_parse(&p, "2026-10-05..2026-10-04"), SMG_ERANGE);
    assert_int_equal(smg_period_parse(&p, "2026-13"), SMG_ERANGE);
    assert_int_equal(smg_period_parse(&p, "2026-Q5"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(&p, "26"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(&p, "2026-10-05..2026-10-32"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(&p, "2026-10-05,,2026-10-06"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(NULL, "2026"), SMG_EINVAL);
    assert_int_equal(smg_period_parse(&p, NULL), SMG_EINVAL);
    /* constructors agree with the parser */
    assert_int_equal(smg_period_month(&q, 2024, 2), 0);
    assert_int_equal(smg_period_parse(&p, "2024-02"), 0);
    assert_memory_equal(&p, &q, sizeof p);
    assert_int_equal(smg_period_week(&q, D("2026-01-01")), 0); /* a Thursday */
    assert_int_equal(smg_period_format(buf, sizeof buf, &q), 8);
    assert_string_equal(buf, "2026-W01");
    assert_int_equal(smg_period_month(&q, 2026, 13), SMG_ERANGE);
    assert_int_equal(smg_period_quarter(&q, 2026, 0), SMG_ERANGE);
    assert_int_equal(smg_period_year(&q, 0), SMG_ERANGE);
    assert_int_equal(smg_period_range(&q, D("2026-10-02"), D("2026-10-01")), SMG_ERANGE);
    assert_int_equal(smg_period_day(&q, D("2026-10-02")), 0);
    assert_int_equal(q.kind, SMG_PERIOD_RANGE);
    assert_int_equal(q.from, q.to);
    /* a struct filled by hand must match its kind */
    p.kind = SMG_PERIOD_MONTH;
    p.from = D("2026-10-02");
    p.to = D("2026-10-31");
    assert_int_equal(smg_period_check(&p), SMG_EINVAL);
    assert_int_equal(smg_period_format(buf, sizeof buf, &p), SMG_EINVAL);
    p.kind = (smg_period_kind)9;
    assert_int_equal(smg_period_check(&p), SMG_EINVAL);
    /* the previous period of each kind; a range's is as long as it */
    smg_period_parse(&p, "2026-01");
    assert_int_equal(smg_period_previous(&q, &p), 0);
    assert_int_equal(smg_period_format(buf, sizeof buf, &q), 7);
    assert_string_equal(buf, "2025-12");
    smg_period_parse(&p, "2026-Q1");
    smg_period_previous(&q, &p);
    smg_period_format(buf, sizeof buf, &q);
    assert_string_equal(buf, "2025-Q4");
    smg_period_parse(&p, "2026-W01");
    smg_period_previous(&q, &p);
    smg_period_format(buf, sizeof buf, &q);
    assert_string_equal(buf, "2025-W52");
    smg_period_parse(&p, "2026-03-01..2026-03-10");
    smg_period_previous(&q, &p);
    smg_period_format(buf, sizeof buf, &q);
    assert_string_equal(buf, "2026-02-19..2026-02-28");
    smg_period_parse(&p, "0001");
    assert_int_equal(smg_period_previous(&q, &p), SMG_ERANGE);
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
