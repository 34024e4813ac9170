/* The policy store: every parameter of RULES.md §7 by name, defaults,
 * ranges, errors that name the parameter, policy.conf files. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "org.h"

static smg_org *new_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    return org;
}

static void expect(smg_org *org, const char *name, const char *value)
{
    char buf[256];
    assert_true(smg_policy_get(org, name, buf, sizeof buf) >= 0);
    assert_string_equal(buf, value);
}

static void test_defaults(void **state)
{
    smg_org *org = new_org();
    (void)state;
    expect(org, "attribution.protect_days", "7");
    expect(org, "attribution.claim_days", "3");
    expect(org, "attribution.first_followup_days", "3");
    expect(org, "tier.method", "threshold");
    expect(org, "tier.vip_min", "1000000.00");
    expect(org, "tier.tier1_min", "200000.00");
    expect(org, "tier.tier2_min", "50000.00");
    expect(org, "tier.pareto_vip", "0.8");
    expect(org, "tier.pareto_tier1", "0.95");
    expect(org, "visit.vip_months", "1");
    expect(org, "visit.tier1_months", "2");
    expect(org, "visit.tier2_months", "0");
    expect(org, "visit.other_months", "0");
    expect(org, "score.work_weight", "0.7");
    expect(org, "score.attendance_weight", "0.3");
    expect(org, "score.absence_penalty", "4");
    expect(org, "pay.base_share", "0.5");
    expect(org, "pay.completion_share", "0.35");
    expect(org, "pay.work_share", "0.15");
    expect(org, "pay.completion_cap", "none");
    expect(org, "pay.overplan_rate", "0");
    expect(org, "calendar.workdays", "mon,tue,wed,thu,fri");
    expect(org, "calendar.holiday", "none");
    expect(org, "calendar.workday", "none");
    expect(org, "attribution.max_hold_days", "0"); /* the public pool: off (RULES.md §8) */
    expect(org, "attribution.max_protected", "0");
    expect(org, "attribution.reclaim_days", "0");
    assert_int_equal(smg_policy_check(org), 0);
    smg_org_free(org);
}

static void test_every_name_listed(void **state)
{
    smg_org *org = new_org();
    size_t i;
    char buf[64];
    (void)state;
    for (i = 0; smg_policy_name(i); i++)
        assert_true(smg_policy_get(org, smg_policy_name(i), buf, sizeof buf) >= 0);
    assert_int_equal(i, 27);
    /* the public pool's three came last (the order of names only grows) */
    assert_string_equal(smg_policy_name(24), "attribution.max_hold_days");
    assert_string_equal(smg_policy_name(26), "attribution.reclaim_days");
    smg_org_free(org);
}

static void test_set_and_ranges(void **state)
{
    smg_org *org = new_org();
    char small[4]; /* "365" fits, "1000000.00" does not */
    (void)state;
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "1"), 0);
    expect(org, "attribution.protect_days", "1");
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "365"), 0);
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "0"), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution.protect_days"));
    assert_non_null(strstr(smg_org_errmsg(org), "1-365"));
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "366"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "7.5"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "seven"), SMG_EPARSE);
    expect(org, "attribution.protect_days", "365");
    assert_int_equal(smg_policy_set(org, "attribution.claim_days", "0"), 0);
    assert_int_equal(smg_policy_set(org, "no.such", "1"), SMG_ENOTFOUND);
    assert_non_null(strstr(smg_org_errmsg(org), "no.such"));

    assert_int_equal(smg_policy_set(org, "tier.method", "pareto"), 0);
    expect(org, "tier.method", "pareto");
    assert_int_equal(smg_policy_set(org, "tier.method", "abc"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "tier.vip_min", "-1"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "tier.vip_min", "1.234"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "0"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "1"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "1.000001"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "visit.vip_months", "25"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "pay.completion_cap", "1.5"), 0);
    expect(org, "pay.completion_cap", "1.5");
    assert_int_equal(smg_policy_set(org, "pay.completion_cap", "none"), 0);
    expect(org, "pay.completion_cap", "none");
    assert_int_equal(smg_policy_set(org, "pay.overplan_rate", "0.015"), 0);
    expect(org, "pay.overplan_rate", "0.015");

    assert_int_equal(smg_policy_set(org, "calendar.workdays", "mon,tue,wed,thu,fri,sat"), 0);
    expect(org, "calendar.workdays", "mon,tue,wed,thu,fri,sat");
    assert_int_equal(smg_policy_set(org, "calendar.workdays", "mon,funday"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-10-01"), 0);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-10-02"), 0);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-10-01"), 0); /* once */
    expect(org, "calendar.holiday", "2026-10-01,2026-10-02");
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-02-30"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "none"), 0);
    expect(org, "calendar.holiday", "none");

    /* the public pool (RULES.md §7): 0 = off, each with its range */
    assert_int_equal(smg_policy_set(org, "attribution.max_hold_days", "3650"), 0);
    expect(org, "attribution.max_hold_days", "3650");
    assert_int_equal(smg_policy_set(org, "attribution.max_hold_days", "3651"), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution.max_hold_days"));
    assert_non_null(strstr(smg_org_errmsg(org), "0-3650"));
    assert_int_equal(smg_policy_set(org, "attribution.max_hold_days", "-1"), SMG_ERANGE);
    assert_int_equal(smg_policy_set(org, "attribution.max_hold_days", "0"), 0);
    assert_int_equal(smg_policy_set(org, "attribution.max_protected", "1000000"), 0);
    expect(org, "attribution.max_protected", "1000000");
    assert_int_equal(smg_policy_set(org, "attribution.max_protected", "1000001"), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "0-1000000"));
    assert_int_equal(smg_policy_set(org, "attribution.max_protected", "2.5"), SMG_EPARSE);
    assert_int_equal(smg_policy_set(org, "attribution.reclaim_days", "30"), 0);
    expect(org, "attribution.reclaim_days", "30");
    assert_int_equal(smg_policy_set(org, "attribution.reclaim_days", "3651"), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution.reclaim_days"));
    assert_int_equal(smg_policy_set(org, "attribution.reclaim_days", "ten"), SMG_EPARSE);
    expect(org, "attribution.reclaim_days", "30");

    assert_int_equal(smg_policy_get(org, "attribution.protect_days", small, sizeof small), 3);
    assert_int_equal(smg_policy_get(org, "tier.vip_min", small, sizeof small), SMG_ERANGE);
    assert_int_equal(smg_policy_get(org, "nope", small, sizeof small), SMG_ENOTFOUND);

    smg_policy_reset(org);
    expect(org, "attribution.protect_days", "7");
    smg_org_free(org);
}

static void test_cross_checks(void **state)
{
    smg_org *org = new_org();
    (void)state;
    assert_int_equal(smg_policy_set(org, "score.work_weight", "0.6"), 0);
    assert_int_equal(smg_policy_check(org), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "score.work_weight"));
    assert_int_equal(smg_policy_set(org, "score.attendance_weight", "0.4"), 0);
    assert_int_equal(smg_policy_check(org), 0);
    assert_int_equal(smg_policy_set(org, "tier.tier1_min", "2000000"), 0);
    assert_int_equal(smg_policy_check(org), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "non-increasing"));
    smg_org_free(org);
}

static void test_workdays(void **state)
{
    smg_org *org = new_org();
    smg_date sat, fri;
    (void)state;
    assert_int_equal(smg_date_parse(&sat, "2026-10-10"), 0); /* a Saturday */
    assert_int_equal(smg_date_parse(&fri, "2026-10-09"), 0);
    assert_false(smgi_policy_is_workday(&org->policy, sat));
    assert_true(smgi_policy_is_workday(&org->policy, fri));
    assert_int_equal(smg_policy_set(org, "calendar.workday", "2026-10-10"), 0);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-10-09"), 0);
    assert_true(smgi_policy_is_workday(&org->policy, sat));
    assert_false(smgi_policy_is_workday(&org->policy, fri));
    smg_org_free(org);
}

static char *write_file(const char *text)
{
    static char path[64];
    int fd;
    FILE *f;
    strcpy(path, "/tmp/smg_policy_XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_load_file(void **state)
{
    smg_org *org = new_org();
    char *path;
    (void)state;
    path = write_file("\xEF\xBB\xBF# office rules\n"
                      "attribution.protect_days = 10   # 十天\n"
                      "\n"
                      "tier.method=pareto\r\n"
                      "calendar.holiday = 2026-10-01\n"
                      "calendar.holiday = 2026-10-02\n");
    assert_int_equal(smg_policy_load(org, path), 0);
    expect(org, "attribution.protect_days", "10");
    expect(org, "tier.method", "pareto");
    expect(org, "calendar.holiday", "2026-10-01,2026-10-02");
    unlink(path);

    /* every bad line is reported with its line number; nothing changes */
    path = write_file("attribution.claim_days = 5\n"
                      "attribution.protect_days = 0\n"
                      "bogus = 1\n"
                      "no equals sign\n");
    assert_int_equal(smg_policy_load(org, path), SMG_EDATA);
    assert_int_equal(smg_org_error_count(org), 3);
    assert_non_null(strstr(smg_org_error(org, 0), ":2: policy attribution.protect_days"));
    assert_non_null(strstr(smg_org_error(org, 1), ":3: unknown policy parameter \"bogus\""));
    assert_non_null(strstr(smg_org_error(org, 2), ":4: expected"));
    expect(org, "attribution.claim_days", "3");
    expect(org, "attribution.protect_days", "10");
    unlink(path);

    /* a cross-parameter limit fails the whole file */
    path = write_file("score.work_weight = 0.5\n");
    assert_int_equal(smg_policy_load(org, path), SMG_ERANGE);
    expect(org, "score.work_weight", "0.7");
    unlink(path);

    assert_int_equal(smg_policy_load(org, "/nonexistent/policy.conf"), SMG_EIO);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_name_listed),
        cmocka_unit_test(test_set_and_ranges),
        cmocka_unit_test(test_cross_checks),
        cmocka_unit_test(test_workdays),
        cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
