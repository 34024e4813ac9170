/* Refunds (RULES.md §8 "Refund") in the engines: KPIs (from the log and
 * from the month index), pay, tiers; the checks at commit; out of memory
 * on the refund path. Every figure is worked out by hand below (money in
 * cents).
 *
 * The organisation: co ← t1 (a, b), co ← t2 (c). Customers k1..k6, each
 * its own key. Commission: "car" marginal 10% from 0, "svc" marginal 5%
 * from 0. Targets (sales_amount): a 1000.00 for 2026-01, 1500.00 for
 * 2026-03 and 1000.00 for 2026-04, c 0 for 2026-03. a's pay total 10000.00; overplan rate 10%.
 *
 *  deal  day         closer cust amount   list     cost     product  credited
 *  D0    2025-03-10  a      k4    800.00                             a
 *  D1    2026-02-05  a      k1   1000.00  1250.00  333.33   car      a
 *  D2    2026-03-03  a      k2   2000.00  2500.00  1200.00  car      a
 *  D3    2026-03-04  b      k3    500.00                    svc      b
 *  D4    2026-03-05  c      k5    300.00                             the company (override 03-06)
 *  D5    2026-03-07  c      k6    400.00                             b (b registered k6 03-01,
 *                                                                        claims 03-08)
 *  D6    2026-04-02  a      k2   3000.00                    svc      a
 *
 *  refund day         deal amount   cost back
 *  R1     2026-02-20  D1    500.00  333.33 × 500 / 1000 = 166.665 → 166.67 (same month)
 *  R2     2026-03-15  D1    200.00  50.00 given                  (a month after the deal)
 *  R3     2026-03-20  D4    100.00  0 (no cost)                  (the company's deal)
 *  R4     2026-03-21  D5     50.00  0                            (claimed: b's)
 *  R5     2026-04-10  D2   1500.00  given 900.00                 (car, a month after)
 *  R6     2026-01-15  D0    300.00  0                            (a 2025 deal, 2026 refund)
 *  R7     2027-01-05  D3    100.00  0                            (after the 2026 window)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"

#define NONE SMG_MONEY_NONE

/* ---- building ---- */

static smg_event ev_at(const char *at, smg_event_type type, const char *member,
                       const char *customer)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    if (smg_time_parse(&ev.at, at) != 0)
        fail_msg("bad time %s", at);
    ev.member = member;
    ev.customer = customer;
    return ev;
}

static void add(smg_org *org, const smg_event *ev)
{
    if (smg_event_add(org, ev) != 0)
        fail_msg("event %s: %s", smg_event_type_name(ev->type), smg_org_errmsg(org));
}

static void deal(smg_org *org, const char *at, const char *member, const char *customer,
                 const char *ref, smg_money amount, smg_money list, smg_money cost,
                 const char *product)
{
    smg_event ev = ev_at(at, SMG_EV_DEAL, member, customer);
    ev.ref = ref;
    ev.amount = amount;
    ev.list_amount = list;
    ev.cost = cost;
    ev.product = product;
    add(org, &ev);
}

static smg_event refund_ev(const char *at, const char *deal_ref, smg_money amount,
                           smg_money cost)
{
    smg_event ev = ev_at(at, SMG_EV_REFUND, NULL, NULL);
    ev.ref = deal_ref;
    ev.amount = amount;
    ev.cost = cost;
    return ev;
}

static void refund(smg_org *org, const char *at, const char *deal_ref, smg_money amount,
                   smg_money cost)
{
    smg_event ev = refund_ev(at, deal_ref, amount, cost);
    add(org, &ev);
}

static void target(smg_org *org, const char *subject, const char *period, int64_t amount)
{
    smg_subject s;
    smg_period p;
    assert_int_equal(smg_subject_parse(&s, org, subject), 0);
    assert_int_equal(smg_period_parse(&p, period), 0);
    assert_int_equal(smg_target_add(org, &s, SMG_METRIC_SALES_AMOUNT, &p, amount, NULL), 0);
}

/* The organisation of the table above; with_refunds 0: the same without
 * R1..R7 (the deals' own figures). */
static void build(smg_org *org, int with_refunds)
{
    static const char *const custs[] = { "k1", "k2", "k3", "k4", "k5", "k6" };
    size_t i;
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "co", "公司", NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "co"), 0);
    assert_int_equal(smg_team_add(org, "t2", "二组", "co"), 0);
    assert_int_equal(smg_member_add(org, "a", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "李娜", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "王芳", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_set_pay_total(org, "a", 1000000), 0);
    for (i = 0; i < sizeof custs / sizeof *custs; i++)
        assert_int_equal(smg_customer_add(org, custs[i], custs[i], "", NULL), 0);
    assert_int_equal(smg_commission_add(org, "car", 0, 100000, SMG_COMMISSION_MARGINAL), 0);
    assert_int_equal(smg_commission_add(org, "svc", 0, 50000, SMG_COMMISSION_MARGINAL), 0);
    assert_int_equal(smg_policy_set(org, "pay.overplan_rate", "0.1"), 0);
    assert_int_equal(smg_policy_set(org, "tier.vip_min", "3000"), 0);
    assert_int_equal(smg_policy_set(org, "tier.tier1_min", "1000"), 0);
    assert_int_equal(smg_policy_set(org, "tier.tier2_min", "400"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "0.5"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_tier1", "0.8"), 0);

    deal(org, "2025-03-10T10:00", "a", "k4", "D0", 80000, NONE, NONE, NULL);
    deal(org, "2026-02-05T10:00", "a", "k1", "D1", 100000, 125000, 33333, "car");
    deal(org, "2026-03-03T10:00", "a", "k2", "D2", 200000, 250000, 120000, "car");
    deal(org, "2026-03-04T10:00", "b", "k3", "D3", 50000, NONE, NONE, "svc");
    deal(org, "2026-03-05T10:00", "c", "k5", "D4", 30000, NONE, NONE, NULL);
    {
        smg_event ev = ev_at("2026-03-06T09:00", SMG_EV_OVERRIDE, NULL, NULL);
        ev.ref = "D4"; /* no member: the company (R7) */
        add(org, &ev);
    }
    {
        smg_event ev = ev_at("2026-03-01T09:00", SMG_EV_REGISTER, "b", "k6");
        add(org, &ev);
    }
    deal(org, "2026-03-07T10:00", "c", "k6", "D5", 40000, NONE, NONE, NULL);
    {
        smg_event ev = ev_at("2026-03-08T09:00", SMG_EV_CLAIM, "b", NULL);
        ev.ref = "D5";
        add(org, &ev);
    }
    deal(org, "2026-04-02T10:00", "a", "k2", "D6", 300000, NONE, NONE, "svc");
    if (with_refunds) {
        refund(org, "2026-02-20T10:00", "D1", 50000, NONE);
        refund(org, "2026-03-15T10:00", "D1", 20000, 5000);
        refund(org, "2026-03-20T10:00", "D4", 10000, NONE);
        refund(org, "2026-03-21T10:00", "D5", 5000, NONE);
        refund(org, "2026-04-10T10:00", "D2", 150000, 90000);
        refund(org, "2026-01-15T10:00", "D0", 30000, NONE);
        refund(org, "2027-01-05T10:00", "D3", 10000, NONE);
    }
    target(org, "member:a", "2026-01", 100000);
    target(org, "member:a", "2026-03", 150000);
    target(org, "member:a", "2026-04", 100000);
    target(org, "member:c", "2026-03", 0);
    if (smg_batch_commit(org) != 0)
        fail_msg("commit: %s", smg_org_errmsg(org));
}

static smg_org *fixture(int with_refunds)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    build(org, with_refunds);
    return org;
}

/* ---- reading ---- */

static smg_period period_of(const char *text)
{
    smg_period p;
    if (smg_period_parse(&p, text) != 0)
        fail_msg("bad period %s", text);
    return p;
}

static smg_kpi_report *kpi(smg_org *org, const char *period, const smg_attribution *a)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    o.period = period_of(period);
    o.attribution = a;
    if (smg_kpi_compute(&r, org, &o) != 0)
        fail_msg("kpi %s: %s", period, smg_org_errmsg(org));
    return r;
}

static size_t row_of(const smg_org *org, const smg_kpi_report *r, const char *subject)
{
    size_t i;
    char text[96];
    for (i = 0; i < smg_kpi_count(r); i++) {
        smg_subject s;
        assert_int_equal(smg_kpi_subject(r, i, &s), 0);
        assert_true(smg_subject_format(text, sizeof text, org, &s) > 0);
        if (strcmp(text, subject) == 0)
            return i;
    }
    fail_msg("no row %s", subject);
    return 0;
}

/* A money or count KPI, exactly. */
static void expect_int(const smg_org *org, const smg_kpi_report *r, const char *subject,
                       smg_kpi_field k, int64_t want)
{
    int64_t v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_int(r, row_of(org, r, subject), k, &v, &null), 0);
    if (null || v != want)
        fail_msg("%s %s: %lld%s, want %lld", subject, smg_kpi_field_name(k), (long long)v,
                 null ? " (null)" : "", (long long)want);
}

static void expect_rate(const smg_org *org, const smg_kpi_report *r, const char *subject,
                        smg_kpi_field k, double want)
{
    double v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_double(r, row_of(org, r, subject), k, &v, &null), 0);
    if (null || fabs(v - want) > 1e-12)
        fail_msg("%s %s: %.15g%s, want %.15g", subject, smg_kpi_field_name(k), v,
                 null ? " (null)" : "", want);
}

static void expect_null(const smg_org *org, const smg_kpi_report *r, const char *subject,
                        smg_kpi_field k)
{
    double v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_double(r, row_of(org, r, subject), k, &v, &null), 0);
    assert_int_equal(null, 1);
    assert_true(v == 0);
}

/* ---- KPIs ---- */

/* RULES.md §8: a refund in its deal's month. February, a: D1 1000.00 cost
 * 333.33, list 1250.00; R1 500.00, cost back 333.33 × 500 / 1000 = 166.665
 * → 166.67 (half away from zero).
 *   sales_amount  = 1000.00 − 500.00 = 500.00
 *   gross_profit  = (1000.00 − 333.33) − (500.00 − 166.67) = 666.67 − 333.33 = 333.34
 *   refund_amount = 500.00; deal_count 1; price_retention 1000 / 1250 = 0.8 (unchanged) */
static void test_same_month(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r = kpi(org, "2026-02", NULL);
    (void)state;
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 50000);
    expect_int(org, r, "member:a", SMG_KPI_GROSS_PROFIT, 33334);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 50000);
    expect_int(org, r, "member:a", SMG_KPI_DEAL_COUNT, 1);
    expect_rate(org, r, "member:a", SMG_KPI_PRICE_RETENTION_RATE, 0.8);
    expect_int(org, r, "member:a", SMG_KPI_NEW_CUSTOMER_COUNT, 1);
    /* b has neither deals nor refunds */
    expect_int(org, r, "member:b", SMG_KPI_REFUND_AMOUNT, 0);
    expect_int(org, r, "member:b", SMG_KPI_SALES_AMOUNT, 0);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* March: refunds of earlier deals and of claimed / company deals.
 *   a: D2 2000.00 (cost 1200.00, list 2500.00); R2 200.00 of D1 (February's
 *      deal), cost back 50.00 given.
 *      sales 2000.00 − 200.00 = 1800.00; gross 800.00 − 150.00 = 650.00;
 *      refunds 200.00; deal_count 1; price_retention 2000 / 2500 = 0.8.
 *      completion 1800 / 1500 = 1.2. growth_pop against February's net
 *      500.00: (1800 − 500) / 500 = 2.6; growth_yoy against March 2025's
 *      800.00 (R6, of D0, is dated 2026-01: not in March 2025):
 *      (1800 − 800) / 800 = 1.25.
 *   b: D3 500.00 + D5 400.00 (claimed); R4 50.00 of D5 (no cost).
 *      sales 850.00; gross 900.00 − 50.00 = 850.00; refunds 50.00; deals 2.
 *   c: D4 went to the company, D5 to b: all zero; target 0 → completion null.
 *   t1 = a + b: sales 2650.00, gross 1500.00, refunds 250.00, deals 3.
 *   co (team) = t1 + t2 = the same; the company adds its own D4 300.00 less
 *   R3 100.00: sales 2850.00, gross 1700.00, refunds 350.00, deals 4. */
static void test_march(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r = kpi(org, "2026-03", NULL);
    (void)state;
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 180000);
    expect_int(org, r, "member:a", SMG_KPI_GROSS_PROFIT, 65000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 20000);
    expect_int(org, r, "member:a", SMG_KPI_DEAL_COUNT, 1);
    expect_rate(org, r, "member:a", SMG_KPI_PRICE_RETENTION_RATE, 0.8);
    expect_rate(org, r, "member:a", SMG_KPI_COMPLETION_RATE, 1.2);
    expect_rate(org, r, "member:a", SMG_KPI_GROWTH_POP, 2.6);
    expect_rate(org, r, "member:a", SMG_KPI_GROWTH_YOY, 1.25);

    expect_int(org, r, "member:b", SMG_KPI_SALES_AMOUNT, 85000);
    expect_int(org, r, "member:b", SMG_KPI_GROSS_PROFIT, 85000);
    expect_int(org, r, "member:b", SMG_KPI_REFUND_AMOUNT, 5000);
    expect_int(org, r, "member:b", SMG_KPI_DEAL_COUNT, 2);

    expect_int(org, r, "member:c", SMG_KPI_SALES_AMOUNT, 0);
    expect_int(org, r, "member:c", SMG_KPI_REFUND_AMOUNT, 0);
    expect_null(org, r, "member:c", SMG_KPI_COMPLETION_RATE);

    expect_int(org, r, "team:t1", SMG_KPI_SALES_AMOUNT, 265000);
    expect_int(org, r, "team:t1", SMG_KPI_GROSS_PROFIT, 150000);
    expect_int(org, r, "team:t1", SMG_KPI_REFUND_AMOUNT, 25000);
    expect_int(org, r, "team:t1", SMG_KPI_DEAL_COUNT, 3);
    expect_int(org, r, "team:t2", SMG_KPI_REFUND_AMOUNT, 0);
    expect_int(org, r, "team:co", SMG_KPI_SALES_AMOUNT, 265000);
    expect_int(org, r, "team:co", SMG_KPI_REFUND_AMOUNT, 25000);
    expect_int(org, r, "company", SMG_KPI_SALES_AMOUNT, 285000);
    expect_int(org, r, "company", SMG_KPI_GROSS_PROFIT, 170000);
    expect_int(org, r, "company", SMG_KPI_REFUND_AMOUNT, 35000);
    expect_int(org, r, "company", SMG_KPI_DEAL_COUNT, 4);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* April, a: D6 3000.00 (svc), R5 1500.00 of D2 (March's car deal), cost
 * back 900.00: sales 1500.00, gross 3000.00 − 600.00 = 2400.00, refunds
 * 1500.00, deal_count 1; March is unchanged by R5 (test_march);
 * growth_pop (1500 − 1800) / 1800 = −1/6; completion 1500 / 1000 = 1.5;
 * expense_rate 0 / 1500 = 0. */
static void test_later_month(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r = kpi(org, "2026-04", NULL);
    (void)state;
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 150000);
    expect_int(org, r, "member:a", SMG_KPI_GROSS_PROFIT, 240000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 150000);
    expect_int(org, r, "member:a", SMG_KPI_DEAL_COUNT, 1);
    expect_rate(org, r, "member:a", SMG_KPI_GROWTH_POP, -1.0 / 6);
    expect_rate(org, r, "member:a", SMG_KPI_COMPLETION_RATE, 1.5);
    expect_rate(org, r, "member:a", SMG_KPI_EXPENSE_RATE, 0);
    smg_kpi_report_free(r);
    /* January 2026: no deal, R6 300.00 of D0 (March 2025): a negative net */
    r = kpi(org, "2026-01", NULL);
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, -30000);
    expect_int(org, r, "member:a", SMG_KPI_GROSS_PROFIT, -30000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 30000);
    expect_int(org, r, "member:a", SMG_KPI_DEAL_COUNT, 0);
    expect_null(org, r, "member:a", SMG_KPI_PRICE_RETENTION_RATE);
    smg_kpi_report_free(r);
    /* 2026 as a whole: D1 + D2 + D6 = 6000.00 less R1, R2, R5, R6 = 2500.00 */
    r = kpi(org, "2026", NULL);
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 350000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 250000);
    expect_int(org, r, "member:a", SMG_KPI_DEAL_COUNT, 3);
    /* growth_yoy on net: 2025 had D0 800.00, no refund in 2025:
     * (3500 − 800) / 800 = 3.375 */
    expect_rate(org, r, "member:a", SMG_KPI_GROWTH_YOY, 3.375);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* Without refunds, the same log gives the deals' own figures (March, a:
 * 2000.00, gross 800.00, refunds 0; the company D2 + D3 + D4 + D5 =
 * 3200.00): the refunds are what changed them. */
static void test_without_refunds(void **state)
{
    smg_org *org = fixture(0);
    smg_kpi_report *r = kpi(org, "2026-03", NULL);
    (void)state;
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 200000);
    expect_int(org, r, "member:a", SMG_KPI_GROSS_PROFIT, 80000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 0);
    expect_int(org, r, "company", SMG_KPI_SALES_AMOUNT, 320000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* An attribution result up to 2026-03-15T00:00: D2 is credited, R2
 * (03-15T10:00) lies past the horizon and is not counted; R3 (03-20), of a
 * deal the result covers, neither. */
static void test_horizon(void **state)
{
    smg_org *org = fixture(1);
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    smg_kpi_report *r;
    (void)state;
    assert_int_equal(smg_time_parse(&ao.until, "2026-03-15T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    r = kpi(org, "2026-03", a);
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 200000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 0);
    expect_int(org, r, "company", SMG_KPI_REFUND_AMOUNT, 0);
    expect_int(org, r, "company", SMG_KPI_SALES_AMOUNT, 200000 + 50000 + 30000 + 40000);
    smg_kpi_report_free(r);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Every field of every row, from the log and from the month index, for
 * the 12 months of 2026, 2026-Q1 and the year: the same. */
static void test_index_agrees(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_index *ix = NULL;
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_period ps[14];
    int m, f;
    size_t i;
    (void)state;
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), 0);
    for (m = 0; m < 12; m++)
        assert_int_equal(smg_period_month(&ps[m], 2026, m + 1), 0);
    ps[12] = period_of("2026-Q1");
    ps[13] = period_of("2026");
    for (m = 0; m < 14; m++) {
        smg_kpi_report *from_log = NULL, *from_ix = NULL;
        o.period = ps[m];
        o.index = NULL;
        assert_int_equal(smg_kpi_compute(&from_log, org, &o), 0);
        o.index = ix;
        assert_int_equal(smg_kpi_compute(&from_ix, org, &o), 0);
        assert_int_equal(smg_kpi_count(from_log), smg_kpi_count(from_ix));
        for (i = 0; i < smg_kpi_count(from_log); i++)
            for (f = 0; smg_kpi_field_name((smg_kpi_field)f); f++) {
                double x = 1, y = 2;
                int nx = 3, ny = 4;
                assert_int_equal(smg_kpi_double(from_log, i, (smg_kpi_field)f, &x, &nx), 0);
                assert_int_equal(smg_kpi_double(from_ix, i, (smg_kpi_field)f, &y, &ny), 0);
                if (nx != ny || x != y)
                    fail_msg("period %d row %lu %s: log %g/%d, index %g/%d", m,
                             (unsigned long)i, smg_kpi_field_name((smg_kpi_field)f), x, nx, y,
                             ny);
            }
        if (m == 3) /* April, a, from the index (figures of test_later_month) */
            expect_int(org, from_ix, "member:a", SMG_KPI_REFUND_AMOUNT, 150000);
        smg_kpi_report_free(from_log);
        smg_kpi_report_free(from_ix);
    }
    smg_kpi_index_free(ix);
    smg_org_free(org);
}

/* ---- pay ---- */

static int64_t pay_of(smg_pay_report *r, size_t row, smg_pay_field f)
{
    int64_t v = -1;
    int null = -1;
    assert_int_equal(smg_pay_int(r, row, f, &v, &null), 0);
    assert_int_equal(null, 0);
    return v;
}

static smg_pay_report *pay(smg_org *org, int month)
{
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *r = NULL;
    assert_int_equal(smg_period_month(&o.month, 2026, month), 0);
    if (smg_pay_compute(&r, org, &o) != 0)
        fail_msg("pay: %s", smg_org_errmsg(org));
    return r;
}

/* a, pay total T = 10000.00 (row 0).
 * March: net sales 1800.00 (test_march), target 1500.00.
 *   completion pay = 10000.00 × 35% × 1.2 = 4200.00
 *   over-plan bonus = 10% × 300.00 = 30.00
 *   commission: car total D2 2000.00 − R2 200.00 (D1 is a car deal) =
 *   1800.00 × 10% = 180.00
 * April: net sales 1500.00, target 1000.00.
 *   completion pay = 10000.00 × 35% × 1.5 = 5250.00
 *   over-plan bonus = 10% × 500.00 = 50.00
 *   commission: car total −1500.00 (R5 of D2, no car deal in April) earns 0
 *   (not −150.00); svc total 3000.00 × 5% = 150.00, unaffected. */
static void test_pay(void **state)
{
    smg_org *org = fixture(1);
    smg_pay_report *r = pay(org, 3);
    (void)state;
    assert_int_equal(smg_pay_count(r), 3);
    assert_int_equal(pay_of(r, 0, SMG_PAY_SALES_AMOUNT), 180000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMPLETION_PAY), 420000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_OVERPLAN_BONUS), 3000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMMISSION), 18000);
    /* b (row 1): D3 + D5 − R4 = 850.00 (no pay total: no pay lines) */
    assert_int_equal(pay_of(r, 1, SMG_PAY_SALES_AMOUNT), 85000);
    smg_pay_report_free(r);

    r = pay(org, 4);
    assert_int_equal(pay_of(r, 0, SMG_PAY_SALES_AMOUNT), 150000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMPLETION_PAY), 525000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_OVERPLAN_BONUS), 5000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMMISSION), 15000);
    smg_pay_report_free(r);

    /* January: R6 only, net sales −300.00 against a 1000.00 target. RULES.md
     * floors commission at 0 but not completion pay, which follows the net
     * rate: 10000.00 × 35% × (−0.3) = −1050.00; no over-plan bonus, and no
     * commission (R6's deal has no product: no table) */
    r = pay(org, 1);
    assert_int_equal(pay_of(r, 0, SMG_PAY_SALES_AMOUNT), -30000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMPLETION_PAY), -105000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_OVERPLAN_BONUS), 0);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMMISSION), 0);
    smg_pay_report_free(r);
    smg_org_free(org);

    /* the same without refunds: March commission 2000.00 × 10% = 200.00,
     * April 3000.00 × 5% = 150.00 (car: nothing) */
    org = fixture(0);
    r = pay(org, 3);
    assert_int_equal(pay_of(r, 0, SMG_PAY_SALES_AMOUNT), 200000);
    assert_int_equal(pay_of(r, 0, SMG_PAY_COMMISSION), 20000);
    smg_pay_report_free(r);
    smg_org_free(org);
}

/* ---- tiers ---- */

static void tiers_of(smg_org *org, smg_tier_method method, int year, int64_t sales[6],
                     int64_t tier[6])
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = NULL;
    size_t i;
    o.method = method;
    assert_int_equal(smg_period_year(&o.window, year), 0);
    if (smg_tiers_compute(&t, org, &o) != 0)
        fail_msg("tiers: %s", smg_org_errmsg(org));
    assert_int_equal(smg_tiers_count(t), 6);
    for (i = 0; i < 6; i++) {
        assert_int_equal(smg_tiers_int(t, i, SMG_TIERS_SALES, &sales[i], NULL), 0);
        assert_int_equal(smg_tiers_int(t, i, SMG_TIERS_TIER, &tier[i], NULL), 0);
    }
    smg_tiers_free(t);
}

/* Window 2026, net of the refunds dated in it (thresholds vip 3000.00,
 * tier1 1000.00, tier2 400.00):
 *   k1  D1 1000.00 − R1 500.00 − R2 200.00 = 300.00  other (tier1 without refunds)
 *   k2  D2 2000.00 + D6 3000.00 − R5 1500.00 = 3500.00  vip
 *   k3  D3 500.00 (R7 is dated 2027: ignored)   tier2
 *   k4  R6 300.00 of D0 (2025): −300.00, kept negative, below every threshold
 *   k5  D4 300.00 − R3 100.00 = 200.00  other
 *   k6  D5 400.00 − R4 50.00 = 350.00  other (tier2 without the refund)
 * Window 2025: k4 D0 800.00 (R6 dated 2026: ignored): tier2.
 * Pareto 2026 (vip 0.5, tier1 0.8) on net sales > 0, total 4850.00:
 *   k2 3500 (share before 0) vip; k3 500 (3500/4850 = 0.72) tier1;
 *   k6 350 (4000/4850 = 0.82) tier2; k1 300 tier2; k5 200 tier2; k4 other.
 *   Without refunds k1 (1000.00) would rank second. */
static void test_tiers(void **state)
{
    smg_org *org = fixture(1);
    int64_t s[6], t[6];
    (void)state;
    tiers_of(org, SMG_TIER_METHOD_THRESHOLD, 2026, s, t);
    assert_int_equal(s[0], 30000);
    assert_int_equal(t[0], SMG_TIER_OTHER);
    assert_int_equal(s[1], 350000);
    assert_int_equal(t[1], SMG_TIER_VIP);
    assert_int_equal(s[2], 50000);
    assert_int_equal(t[2], SMG_TIER_TIER2);
    assert_int_equal(s[3], -30000);
    assert_int_equal(t[3], SMG_TIER_OTHER);
    assert_int_equal(s[4], 20000);
    assert_int_equal(t[4], SMG_TIER_OTHER);
    assert_int_equal(s[5], 35000);
    assert_int_equal(t[5], SMG_TIER_OTHER);
    tiers_of(org, SMG_TIER_METHOD_THRESHOLD, 2025, s, t);
    assert_int_equal(s[3], 80000);
    assert_int_equal(t[3], SMG_TIER_TIER2);
    tiers_of(org, SMG_TIER_METHOD_PARETO, 2026, s, t);
    assert_int_equal(t[1], SMG_TIER_VIP);
    assert_int_equal(t[2], SMG_TIER_TIER1);
    assert_int_equal(t[5], SMG_TIER_TIER2);
    assert_int_equal(t[0], SMG_TIER_TIER2);
    assert_int_equal(t[4], SMG_TIER_TIER2);
    assert_int_equal(t[3], SMG_TIER_OTHER);
    smg_org_free(org);

    /* without refunds: k1 1000.00 is tier1 (threshold), and second in
     * Pareto, total 7200.00: k2 5000.00 vip, k1 (5000/7200 = 0.69) tier1,
     * k3 (6000/7200 = 0.83) tier2 */
    org = fixture(0);
    tiers_of(org, SMG_TIER_METHOD_THRESHOLD, 2026, s, t);
    assert_int_equal(s[0], 100000);
    assert_int_equal(t[0], SMG_TIER_TIER1);
    assert_int_equal(t[5], SMG_TIER_TIER2);
    tiers_of(org, SMG_TIER_METHOD_PARETO, 2026, s, t);
    assert_int_equal(t[1], SMG_TIER_VIP);
    assert_int_equal(t[0], SMG_TIER_TIER1);
    assert_int_equal(t[2], SMG_TIER_TIER2);
    smg_org_free(org);
}

/* ---- bad input ---- */

/* A batch of the fixture (without refunds) plus `ev`: commit fails with
 * `want`, the message contains `text`, and the org is as it was. */
static void commit_fails(const smg_event *ev, int want, const char *text)
{
    smg_org *org = fixture(0);
    smg_kpi_report *r;
    assert_int_equal(smg_batch_begin(org), 0);
    add(org, ev);
    assert_int_equal(smg_batch_commit(org), want);
    if (!strstr(smg_org_errmsg(org), text))
        fail_msg("message \"%s\" lacks \"%s\"", smg_org_errmsg(org), text);
    r = kpi(org, "2026-03", NULL);
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 200000);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 0);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

static void test_bad_input(void **state)
{
    smg_org *org = fixture(0);
    smg_event ev;
    (void)state;
    /* amount 0 or negative, negative cost: refused when added */
    ev = refund_ev("2026-03-10T10:00", "D2", 0, NONE);
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "amount"));
    ev = refund_ev("2026-03-10T10:00", "D2", -100, NONE);
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    ev = refund_ev("2026-03-10T10:00", "D2", 100, -1);
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "cost"));
    smg_org_free(org);

    /* before its deal (D2 is 2026-03-03T10:00) */
    ev = refund_ev("2026-03-03T09:59", "D2", 100, NONE);
    commit_fails(&ev, SMG_ERULE, "comes later in time order");
    /* more than the deal: D2 2000.00, and the message says what is left */
    ev = refund_ev("2026-03-10T10:00", "D2", 200001, NONE);
    commit_fails(&ev, SMG_ERULE, "refund exceeds the 2000.00 of deal \"D2\" not yet refunded");
    /* an unknown deal */
    ev = refund_ev("2026-03-10T10:00", "D99", 100, NONE);
    commit_fails(&ev, SMG_ERULE, "D99");

    /* over what is left after an earlier refund: 2000.00 − 1500.00 = 500.00 */
    org = fixture(0);
    refund(org, "2026-03-10T10:00", "D2", 150000, NONE);
    ev = refund_ev("2026-03-11T10:00", "D2", 50001, NONE);
    assert_int_equal(smg_event_add(org, &ev), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "refund exceeds the 500.00 of deal \"D2\""));
    ev = refund_ev("2026-03-11T10:00", "D2", 50000, NONE); /* exactly what is left: fine */
    assert_int_equal(smg_event_add(org, &ev), 0);
    smg_org_free(org);

    /* a refund of a cancelled deal */
    org = fixture(0);
    ev = ev_at("2026-05-01T10:00", SMG_EV_DEAL, "a", "k3");
    ev.id = "e-d7";
    ev.ref = "D7";
    ev.amount = 10000;
    add(org, &ev);
    ev = ev_at("2026-05-02T10:00", SMG_EV_CANCEL, NULL, NULL);
    ev.ref = "e-d7";
    add(org, &ev);
    ev = refund_ev("2026-05-03T10:00", "D7", 100, NONE);
    assert_int_equal(smg_event_add(org, &ev), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "is cancelled"));
    smg_org_free(org);
}

/* A cancelled refund counts nowhere: the fixture with R2 cancelled gives
 * March a 2000.00, refunds 0. */
static void test_cancelled_refund(void **state)
{
    smg_org *org = fixture(1);
    smg_event ev;
    smg_kpi_report *r;
    (void)state;
    ev = refund_ev("2026-03-25T10:00", "D2", 1000, NONE);
    ev.id = "r-x";
    add(org, &ev);
    r = kpi(org, "2026-03", NULL);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 21000);
    smg_kpi_report_free(r);
    ev = ev_at("2026-03-26T10:00", SMG_EV_CANCEL, NULL, NULL);
    ev.ref = "r-x";
    add(org, &ev);
    r = kpi(org, "2026-03", NULL);
    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 20000);
    expect_int(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 180000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* ---- out of memory ---- */

/* Every allocation of the KPIs (log and index), pay and tiers on a log
 * with refunds failing in turn (the deal → credited lookup included):
 * SMG_ENOMEM, no result, nothing leaked; then the figures as without the
 * failures. */
static void test_out_of_memory(void **state)
{
    failing f = FAILING_INIT;
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    long base, k;
    int step;
    (void)state;
    failing_options(&oo, &f);
    assert_int_equal(smg_org_new(&org, &oo), 0);
    build(org, 1);
    {
        smg_kpi_report *r = NULL; /* an error on the org: its error list exists now */
        assert_int_equal(smg_kpi_compute(&r, org, NULL), SMG_EINVAL);
    }
    base = f.live - (long)smg_org_error_count(org);
    for (step = 0; step < 4; step++) {
        int rc = SMG_ENOMEM;
        for (k = 0; k < 2000; k++) {
            smg_kpi_report *r = (smg_kpi_report *)1;
            smg_kpi_index *ix = (smg_kpi_index *)1;
            smg_pay_report *p = (smg_pay_report *)1;
            smg_tiers *t = (smg_tiers *)1;
            f.fail_at = f.calls + k;
            if (step == 0) {
                smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
                o.period = period_of("2026-04");
                rc = smg_kpi_compute(&r, org, &o);
                if (rc == 0) {
                    f.fail_at = -1;
                    expect_int(org, r, "member:a", SMG_KPI_REFUND_AMOUNT, 150000);
                    smg_kpi_report_free(r);
                    break;
                }
                assert_null(r);
            } else if (step == 1) {
                rc = smg_kpi_index_build(&ix, org, NULL);
                if (rc == 0) {
                    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
                    f.fail_at = -1;
                    o.period = period_of("2026-03");
                    o.index = ix;
                    assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
                    expect_int(org, r, "company", SMG_KPI_REFUND_AMOUNT, 35000);
                    smg_kpi_report_free(r);
                    smg_kpi_index_free(ix);
                    break;
                }
                assert_null(ix);
            } else if (step == 2) {
                smg_pay_options o = SMG_PAY_OPTIONS_INIT;
                assert_int_equal(smg_period_month(&o.month, 2026, 4), 0);
                rc = smg_pay_compute(&p, org, &o);
                if (rc == 0) {
                    f.fail_at = -1;
                    assert_int_equal(pay_of(p, 0, SMG_PAY_COMMISSION), 15000);
                    smg_pay_report_free(p);
                    break;
                }
                assert_null(p);
            } else {
                smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
                int64_t v = 0;
                assert_int_equal(smg_period_year(&o.window, 2026), 0);
                o.method = SMG_TIER_METHOD_PARETO;
                rc = smg_tiers_compute(&t, org, &o);
                if (rc == 0) {
                    f.fail_at = -1;
                    assert_int_equal(smg_tiers_int(t, 3, SMG_TIERS_SALES, &v, NULL), 0);
                    assert_int_equal(v, -30000);
                    smg_tiers_free(t);
                    break;
                }
                assert_null(t);
            }
            assert_int_equal(rc, SMG_ENOMEM);
            assert_int_equal(f.live - (long)smg_org_error_count(org), base);
        }
        f.fail_at = -1;
        assert_int_equal(rc, 0);
        assert_true(k > 0); /* something was allocated, and failed */
    }
    smg_org_free(org);
    assert_int_equal(f.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_month),     cmocka_unit_test(test_march),
        cmocka_unit_test(test_later_month),    cmocka_unit_test(test_without_refunds),
        cmocka_unit_test(test_horizon),        cmocka_unit_test(test_index_agrees),
        cmocka_unit_test(test_pay),            cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_cancelled_refund),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
