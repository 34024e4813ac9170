/* Customer tiers and the visit list (RULES.md §3): threshold boundaries to
 * the fen, Pareto ties and cuts, customers without sales, negative
 * adjustments, the calendar-year and rolling windows, visit cadence with
 * month-end clamping, never-visited customers and the overdue boundary.
 * Every expected number is worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "attribution.h"
#include "org.h"

static smg_time T(const char *s)
{
    smg_time t;
    assert_int_equal(smg_time_parse(&t, s), 0);
    return t;
}

static smg_date D(const char *s)
{
    smg_date d;
    assert_int_equal(smg_date_parse(&d, s), 0);
    return d;
}

static smg_org *new_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "李娜", "t1", SMG_ROLE_REP), 0);
    return org;
}

static void customer(smg_org *org, const char *id)
{
    assert_int_equal(smg_customer_add(org, id, id, "", NULL), 0);
}

static int deal_no;

static void deal(smg_org *org, const char *at, const char *cust, smg_money amount)
{
    smg_event ev = SMG_EVENT_INIT;
    char ref[32];
    snprintf(ref, sizeof ref, "D%d", ++deal_no);
    ev.type = SMG_EV_DEAL;
    ev.at = T(at);
    ev.member = deal_no % 2 ? "m1" : "m2"; /* whoever closed it */
    ev.customer = cust;
    ev.ref = ref;
    ev.amount = amount;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

static void visit(smg_org *org, const char *at, const char *member, const char *cust,
                  smg_outcome outcome)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = SMG_EV_VISIT;
    ev.at = T(at);
    ev.member = member;
    ev.customer = cust;
    ev.channel = SMG_CHANNEL_ONSITE;
    ev.outcome = outcome;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

static size_t cidx(const smg_org *org, const char *id)
{
    size_t i;
    assert_int_equal(smg_customer_find(org, id, &i), 0);
    return i;
}

static smg_tiers *tiers_year(smg_org *org, int year, smg_tier_method method)
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = NULL;
    int rc;
    o.year = year;
    o.method = method;
    rc = smg_tiers_compute(org, &o, &t);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_non_null(t);
    return t;
}

static smg_tiers *tiers_as_of(smg_org *org, const char *as_of)
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = NULL;
    o.as_of = D(as_of);
    assert_int_equal(smg_tiers_compute(org, &o, &t), 0);
    return t;
}

#define TIER(t, id) smg_tiers_tier(t, cidx(org, id))
#define SALES(t, id) smg_tiers_sales(t, cidx(org, id))

static void test_names(void **state)
{
    smg_tiers_options o;
    (void)state;
    assert_string_equal(smg_tier_name(SMG_TIER_VIP, NULL), "vip");
    assert_string_equal(smg_tier_name(SMG_TIER_1, "en"), "tier1");
    assert_string_equal(smg_tier_name(SMG_TIER_2, "fr"), "tier2");
    assert_string_equal(smg_tier_name(SMG_TIER_OTHER, NULL), "other");
    assert_string_equal(smg_tier_name(SMG_TIER_VIP, "zh"), "VIP");
    assert_string_equal(smg_tier_name(SMG_TIER_1, "zh_CN"), "一级");
    assert_string_equal(smg_tier_name(SMG_TIER_2, "zh-TW"), "二级");
    assert_string_equal(smg_tier_name(SMG_TIER_OTHER, "zh"), "其他");
    assert_null(smg_tier_name((smg_tier)4, NULL));
    assert_null(smg_tier_name((smg_tier)-1, "zh"));
    assert_int_equal(smg_tiers_options_init(&o, SMG_TIERS_OPTIONS_VERSION), 0);
    assert_int_equal(o.method, SMG_TIER_METHOD_POLICY);
    assert_int_equal(o.year, 0);
    assert_int_equal(o.as_of, SMG_DATE_NONE);
    assert_int_equal(smg_tiers_options_init(&o, 99), SMG_EVERSION);
    assert_int_equal(smg_tiers_options_init(NULL, SMG_TIERS_OPTIONS_VERSION), SMG_EINVAL);
}

static void test_threshold_boundaries(void **state)
{
    smg_org *org = new_org();
    smg_tiers *t;
    smg_date from, to;
    (void)state;
    customer(org, "c1");
    customer(org, "c2");
    customer(org, "c3");
    customer(org, "c4");
    customer(org, "c5");
    customer(org, "c6");
    customer(org, "c7");
    customer(org, "c8");
    customer(org, "c9");
    /* defaults: vip >= 1,000,000.00; tier1 >= 200,000.00; tier2 >= 50,000.00 */
    deal(org, "2026-03-01T10:00", "c1", 99999999);  /* 999,999.99 -> tier1 */
    deal(org, "2026-03-01T10:00", "c2", 100000000); /* 1,000,000.00 -> vip */
    deal(org, "2026-03-02T10:00", "c3", 19999999);  /* 199,999.99 -> tier2 */
    deal(org, "2026-03-02T10:00", "c4", 20000000);  /* 200,000.00 -> tier1 */
    deal(org, "2026-03-03T10:00", "c5", 4999999);   /* 49,999.99 -> other */
    deal(org, "2026-03-03T10:00", "c6", 5000000);   /* 50,000.00 -> tier2 */
    /* c7: no deal -> 0 -> other */
    /* c8: a negative adjustment takes it one fen under vip:
     * 1,000,000.00 − 0.01 = 999,999.99 -> tier1 */
    deal(org, "2026-05-01T10:00", "c8", 100000000);
    deal(org, "2026-06-01T10:00", "c8", -1);
    /* c9: only the deal inside 2026 counts: 50,000.00 -> tier2 */
    deal(org, "2025-12-31T23:59:59", "c9", 100000000);
    deal(org, "2026-01-01T00:00", "c9", 5000000);
    deal(org, "2027-01-01T00:00", "c9", 100000000);

    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(smg_tiers_method(t), SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(smg_tiers_window(t, &from, &to), 0);
    assert_int_equal(from, D("2026-01-01"));
    assert_int_equal(to, D("2026-12-31"));
    assert_int_equal(smg_tiers_count(t), 9);
    assert_int_equal(TIER(t, "c1"), SMG_TIER_1);
    assert_int_equal(TIER(t, "c2"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c3"), SMG_TIER_2);
    assert_int_equal(TIER(t, "c4"), SMG_TIER_1);
    assert_int_equal(TIER(t, "c5"), SMG_TIER_OTHER);
    assert_int_equal(TIER(t, "c6"), SMG_TIER_2);
    assert_int_equal(TIER(t, "c7"), SMG_TIER_OTHER);
    assert_int_equal(TIER(t, "c8"), SMG_TIER_1);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_2);
    assert_int_equal(SALES(t, "c7"), 0);
    assert_int_equal(SALES(t, "c8"), 99999999);
    assert_int_equal(SALES(t, "c9"), 5000000);
    assert_int_equal(smg_tiers_customer(t, 3), 3);
    /* bad rows */
    assert_int_equal(smg_tiers_tier(t, 9), SMG_ERANGE);
    assert_int_equal(smg_tiers_sales(t, 9), SMG_MONEY_NONE);
    assert_int_equal(smg_tiers_customer(t, 9), -1);
    smg_tiers_free(t);

    /* 2025 and 2027 hold one deal each, of c9 */
    t = tiers_year(org, 2025, SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c2"), SMG_TIER_OTHER);
    smg_tiers_free(t);

    /* the thresholds are policy: vip_min 999,999.99 makes c1 and c8 vip */
    assert_int_equal(smg_policy_set(org, "tier.vip_min", "999999.99"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(TIER(t, "c1"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c8"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c4"), SMG_TIER_1);
    smg_tiers_free(t);
    /* tier2_min 0 (applied literally): a customer without sales is tier2 */
    assert_int_equal(smg_policy_set(org, "tier.tier2_min", "0"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(TIER(t, "c7"), SMG_TIER_2);
    assert_int_equal(TIER(t, "c5"), SMG_TIER_2);
    smg_tiers_free(t);
    smg_org_free(org);
}

/* Pareto: total 1000 fen: big 700, c9 100, c10 100, z1 50, z2 50.
 * Order: big, then the tie c10 / c9 by id bytes ("c10" < "c9", though c9
 * was added first), then z1, z2. Share before each: big 0 -> vip;
 * c10 700 (70%) -> vip; c9 800 (80%, not < 80%) -> tier1; z1 900 (90%)
 * -> tier1; z2 950 (95%, not < 95%) -> tier2. "none" (no deal) and
 * "refund" (20 − 30 = −10) have no sales: other, and are not in the total. */
static smg_org *pareto_org(void)
{
    smg_org *org = new_org();
    customer(org, "none");
    customer(org, "c9");
    customer(org, "z2");
    customer(org, "big");
    customer(org, "c10");
    customer(org, "z1");
    customer(org, "refund");
    deal(org, "2026-02-01T09:00", "z2", 50);
    deal(org, "2026-02-01T09:00", "c9", 100);
    deal(org, "2026-02-02T09:00", "big", 300);
    deal(org, "2026-02-03T09:00", "big", 400);
    deal(org, "2026-02-03T09:00", "refund", 20);
    deal(org, "2026-02-04T09:00", "c10", 100);
    deal(org, "2026-02-05T09:00", "refund", -30);
    deal(org, "2026-02-06T09:00", "z1", 50);
    return org;
}

static void test_pareto(void **state)
{
    smg_org *org = pareto_org();
    smg_tiers *t;
    (void)state;
    t = tiers_year(org, 2026, SMG_TIER_METHOD_PARETO);
    assert_int_equal(smg_tiers_method(t), SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "big"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_1);
    assert_int_equal(TIER(t, "z1"), SMG_TIER_1);
    assert_int_equal(TIER(t, "z2"), SMG_TIER_2);
    assert_int_equal(TIER(t, "none"), SMG_TIER_OTHER);
    assert_int_equal(TIER(t, "refund"), SMG_TIER_OTHER);
    assert_int_equal(SALES(t, "refund"), -10);
    assert_int_equal(SALES(t, "big"), 700);
    smg_tiers_free(t);

    /* the cuts are exact: 0.800001 puts c9's 80% under the cut -> vip;
     * 0.950001 puts z2's 95% under it -> tier1 */
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "0.800001"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_tier1", "0.950001"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "z1"), SMG_TIER_1);
    assert_int_equal(TIER(t, "z2"), SMG_TIER_1);
    smg_tiers_free(t);

    /* 0.7 and 0.7: c10's 70% is not < 70% -> tier2 like everyone after it */
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "0.7"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_tier1", "0.7"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "big"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_2);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_2);
    smg_tiers_free(t);

    /* the method comes from the policy unless the call overrides it */
    assert_int_equal(smg_policy_set(org, "tier.method", "pareto"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(smg_tiers_method(t), SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_2);
    smg_tiers_free(t);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(smg_tiers_method(t), SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(TIER(t, "big"), SMG_TIER_OTHER); /* 7.00 is far below 50,000.00 */
    smg_tiers_free(t);

    /* a year without deals: everyone other under Pareto */
    t = tiers_year(org, 2024, SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "big"), SMG_TIER_OTHER);
    smg_tiers_free(t);
    smg_org_free(org);
}

/* A run of 20 equal sales (more than the insertion-sort cut-off): the ids
 * p00..p19 were added in reverse order, so index order is p19..p00 but the
 * ranking must be p00..p19. Total 20; share before p_k = k/20: vip while
 * k/20 < 0.80 (k < 16), tier1 while < 0.95 (k = 16, 17, 18), p19 tier2. */
static void test_pareto_long_tie(void **state)
{
    smg_org *org = new_org();
    smg_tiers *t;
    char id[8];
    int k;
    (void)state;
    for (k = 19; k >= 0; k--) {
        snprintf(id, sizeof id, "p%02d", k);
        customer(org, id);
        deal(org, "2026-07-01T10:00", id, 1);
    }
    t = tiers_year(org, 2026, SMG_TIER_METHOD_PARETO);
    for (k = 0; k < 20; k++) {
        snprintf(id, sizeof id, "p%02d", k);
        assert_int_equal(TIER(t, id), k < 16 ? SMG_TIER_VIP : k < 19 ? SMG_TIER_1 : SMG_TIER_2);
    }
    smg_tiers_free(t);
    smg_org_free(org);
}

static void test_rolling_window(void **state)
{
    smg_org *org = new_org();
    smg_tiers *t;
    smg_date from, to;
    (void)state;
    customer(org, "a");
    customer(org, "b");
    /* as of 2026-03-15 the window is (2025-03-15, 2026-03-15]:
     * 2025-03-16 .. 2026-03-15 by day */
    deal(org, "2025-03-15T23:59:59", "a", 1);    /* out: the day a year before */
    deal(org, "2025-03-16T00:00", "a", 10);      /* in */
    deal(org, "2026-03-15T23:59:59", "a", 100);  /* in: as_of itself */
    deal(org, "2026-03-16T00:00", "a", 1000);    /* out: after as_of */
    t = tiers_as_of(org, "2026-03-15");
    assert_int_equal(smg_tiers_window(t, &from, &to), 0);
    assert_int_equal(from, D("2025-03-16"));
    assert_int_equal(to, D("2026-03-15"));
    assert_int_equal(SALES(t, "a"), 110);
    smg_tiers_free(t);

    /* 29 February: as of 2028-02-29 one year back is 2027-02-28 (excluded),
     * the window starts 2027-03-01 */
    deal(org, "2027-02-28T12:00", "b", 1);
    deal(org, "2027-03-01T00:00", "b", 10);
    deal(org, "2028-02-29T18:00", "b", 100);
    t = tiers_as_of(org, "2028-02-29");
    assert_int_equal(smg_tiers_window(t, &from, &to), 0);
    assert_int_equal(from, D("2027-03-01"));
    assert_int_equal(SALES(t, "b"), 110);
    smg_tiers_free(t);
    /* as of 2029-02-28: back to 2028-02-28 (excluded); 29 Feb 2028 is in */
    t = tiers_as_of(org, "2029-02-28");
    assert_int_equal(smg_tiers_window(t, &from, NULL), 0);
    assert_int_equal(from, D("2028-02-29"));
    assert_int_equal(SALES(t, "b"), 100);
    smg_tiers_free(t);
    /* in year 1 the window cannot reach back a year: it starts 0001-01-01 */
    t = tiers_as_of(org, "0001-03-01");
    assert_int_equal(smg_tiers_window(t, &from, &to), 0);
    assert_int_equal(from, D("0001-01-01"));
    assert_int_equal(to, D("0001-03-01"));
    smg_tiers_free(t);
    smg_org_free(org);
}

static void test_options(void **state)
{
    smg_org *org = new_org();
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = (smg_tiers *)1;
    smg_visits *v = (smg_visits *)1;
    (void)state;
    customer(org, "a");
    /* neither year nor as_of */
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_EINVAL);
    assert_null(t);
    assert_non_null(strstr(smg_org_errmsg(org), "year"));
    /* both */
    o.year = 2026;
    o.as_of = D("2026-05-01");
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_EINVAL);
    /* visits need as_of, not year */
    o.as_of = SMG_DATE_NONE;
    assert_int_equal(smg_visits_compute(org, &o, NULL, &v), SMG_EINVAL);
    assert_null(v);
    o.year = 10000;
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_ERANGE);
    o.year = 2026;
    o.method = (smg_tier_method)7;
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_EINVAL);
    o.method = SMG_TIER_METHOD_POLICY;
    o.version = 2;
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_EVERSION);
    assert_int_equal(smg_tiers_compute(org, NULL, &t), SMG_EINVAL);
    assert_int_equal(smg_tiers_compute(NULL, &o, &t), SMG_EINVAL);
    o.version = SMG_TIERS_OPTIONS_VERSION;
    assert_int_equal(smg_tiers_compute(org, &o, NULL), SMG_EINVAL);
    /* refused inside an open batch, whose errors stay untouched */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_tiers_compute(org, &o, &t), SMG_ESTATE);
    assert_int_equal(smg_visits_compute(org, &o, NULL, &v), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_tiers_compute(org, &o, &t), 0);
    assert_string_equal(smg_org_errmsg(org), "");
    assert_int_equal(smg_tiers_count(t), 1);
    smg_tiers_free(t);
    /* NULL-safe */
    smg_tiers_free(NULL);
    smg_visits_free(NULL);
    assert_int_equal(smg_tiers_count(NULL), 0);
    assert_int_equal(smg_visits_count(NULL), 0);
    assert_int_equal(smg_tiers_method(NULL), SMG_EINVAL);
    assert_int_equal(smg_visits_as_of(NULL), SMG_DATE_NONE);
    smg_org_free(org);
}

/* ---- visits ---- */

static smg_visits *visits(smg_org *org, const char *as_of, const smg_attribution *attr)
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_visits *v = NULL;
    int rc;
    o.as_of = D(as_of);
    rc = smg_visits_compute(org, &o, attr, &v);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_int_equal(smg_visits_as_of(v), D(as_of));
    return v;
}

/* Row of customer id in v, or -1. */
static long vrow(const smg_org *org, const smg_visits *v, const char *id)
{
    size_t i, c = cidx(org, id);
    for (i = 0; i < smg_visits_count(v); i++)
        if (smg_visits_customer(v, i) == (long)c)
            return (long)i;
    return -1;
}

static void expect_visit(const smg_org *org, const smg_visits *v, const char *id, int tier,
                         const char *last, const char *due, int overdue)
{
    long r = vrow(org, v, id);
    if (r < 0)
        print_error("no row for %s\n", id);
    assert_true(r >= 0);
    assert_int_equal(smg_visits_tier(v, (size_t)r), tier);
    if (last)
        assert_int_equal(smg_visits_last(v, (size_t)r), D(last));
    else
        assert_int_equal(smg_visits_last(v, (size_t)r), SMG_DATE_NONE);
    assert_int_equal(smg_visits_due(v, (size_t)r), D(due));
    assert_int_equal(smg_visits_overdue(v, (size_t)r), overdue);
    assert_int_equal(smg_visits_member(v, (size_t)r), -1);
}

static void test_visit_cadence(void **state)
{
    smg_org *org = new_org();
    smg_visits *v;
    (void)state;
    customer(org, "jan31");  /* vip, visited 31 January 2026 */
    customer(org, "leap");   /* vip, visited 31 January 2028 */
    customer(org, "t1dec");  /* tier1, visited 31 December 2025 */
    customer(org, "never");  /* vip, never visited */
    customer(org, "small");  /* tier2: no cadence by default */
    customer(org, "quiet");  /* no sales: other, no cadence */
    deal(org, "2026-01-10T10:00", "jan31", 100000000);
    deal(org, "2026-01-10T11:00", "never", 150000000);
    deal(org, "2026-01-10T12:00", "t1dec", 20000000);
    deal(org, "2026-01-10T13:00", "small", 5000000);
    visit(org, "2025-11-02T10:00", "m2", "jan31", SMG_OUTCOME_SUCCESS);
    visit(org, "2026-01-31T16:00", "m1", "jan31", SMG_OUTCOME_FAIL); /* a failed visit counts */
    visit(org, "2026-03-05T09:00", "m2", "jan31", SMG_OUTCOME_SUCCESS); /* after D below */
    visit(org, "2025-12-31T10:00", "m1", "t1dec", SMG_OUTCOME_SUCCESS);
    visit(org, "2026-01-20T10:00", "m1", "small", SMG_OUTCOME_SUCCESS);

    /* as of 2026-02-28: jan31 last 01-31 + 1 month = 02-28 (clamped): due
     * today, not overdue. t1dec: 12-31 + 2 months = 02-28 (clamped), not
     * overdue. never: due on the window's first day: one year back from
     * 2026-02-28 is 2025-02-28, so 2025-03-01, overdue. small (tier2) and
     * quiet (other) have no cadence: no row. */
    v = visits(org, "2026-02-28", NULL);
    assert_int_equal(smg_visits_count(v), 3);
    expect_visit(org, v, "jan31", SMG_TIER_VIP, "2026-01-31", "2026-02-28", 0);
    expect_visit(org, v, "t1dec", SMG_TIER_1, "2025-12-31", "2026-02-28", 0);
    expect_visit(org, v, "never", SMG_TIER_VIP, NULL, "2025-03-01", 1);
    assert_int_equal(vrow(org, v, "small"), -1);
    assert_int_equal(vrow(org, v, "quiet"), -1);
    /* ordered by due date, then customer index: never (2025-03-01), then
     * jan31 (index 0) and t1dec (index 2), both due 2026-02-28 */
    assert_int_equal(smg_visits_customer(v, 0), (long)cidx(org, "never"));
    assert_int_equal(smg_visits_customer(v, 1), (long)cidx(org, "jan31"));
    assert_int_equal(smg_visits_customer(v, 2), (long)cidx(org, "t1dec"));
    /* bad rows */
    assert_int_equal(smg_visits_customer(v, 3), -1);
    assert_int_equal(smg_visits_tier(v, 3), SMG_ERANGE);
    assert_int_equal(smg_visits_overdue(v, 3), SMG_ERANGE);
    assert_int_equal(smg_visits_due(v, 3), SMG_DATE_NONE);
    assert_int_equal(smg_visits_last(v, 3), SMG_DATE_NONE);
    assert_int_equal(smg_visits_member(v, 3), -1);
    smg_visits_free(v);

    /* the day after: both overdue; the 03-05 visit is still in the future;
     * never: window from 2025-03-02 */
    v = visits(org, "2026-03-01", NULL);
    expect_visit(org, v, "jan31", SMG_TIER_VIP, "2026-01-31", "2026-02-28", 1);
    expect_visit(org, v, "t1dec", SMG_TIER_1, "2025-12-31", "2026-02-28", 1);
    expect_visit(org, v, "never", SMG_TIER_VIP, NULL, "2025-03-02", 1);
    smg_visits_free(v);

    /* as of 2026-03-05 the visit that day counts: due 2026-04-05 */
    v = visits(org, "2026-03-05", NULL);
    expect_visit(org, v, "jan31", SMG_TIER_VIP, "2026-03-05", "2026-04-05", 0);
    smg_visits_free(v);

    /* tier2 with a cadence of 3 months: small, visited 01-20, due 04-20 */
    assert_int_equal(smg_policy_set(org, "visit.tier2_months", "3"), 0);
    v = visits(org, "2026-02-28", NULL);
    assert_int_equal(smg_visits_count(v), 4);
    expect_visit(org, v, "small", SMG_TIER_2, "2026-01-20", "2026-04-20", 0);
    smg_visits_free(v);
    /* no cadence for vip: the vip customers drop out */
    assert_int_equal(smg_policy_set(org, "visit.vip_months", "0"), 0);
    v = visits(org, "2026-02-28", NULL);
    assert_int_equal(smg_visits_count(v), 2);
    assert_int_equal(vrow(org, v, "jan31"), -1);
    smg_visits_free(v);
    smg_org_free(org);
}

static void test_visit_leap_and_window(void **state)
{
    smg_org *org = new_org();
    smg_visits *v;
    (void)state;
    customer(org, "leap");
    customer(org, "lapsed");
    deal(org, "2027-06-01T10:00", "leap", 100000000);
    visit(org, "2028-01-31T10:00", "m1", "leap", SMG_OUTCOME_SUCCESS);
    /* 2028-01-31 + 1 month = 2028-02-29 (leap year) */
    v = visits(org, "2028-02-29", NULL);
    expect_visit(org, v, "leap", SMG_TIER_VIP, "2028-01-31", "2028-02-29", 0);
    smg_visits_free(v);
    v = visits(org, "2028-03-01", NULL);
    expect_visit(org, v, "leap", SMG_TIER_VIP, "2028-01-31", "2028-02-29", 1);
    smg_visits_free(v);

    /* tiers are those of the 12 months ending on D. lapsed's vip deal is
     * of 2026-02-20. As of 2027-02-19 the window starts 2026-02-20 and
     * holds it: vip, never visited, due 2026-02-20. As of 2027-02-20 one
     * year back is 2026-02-20, excluded: sales 0, other, no row. */
    deal(org, "2026-02-20T15:00", "lapsed", 100000000);
    v = visits(org, "2027-02-19", NULL);
    expect_visit(org, v, "lapsed", SMG_TIER_VIP, NULL, "2026-02-20", 1);
    smg_visits_free(v);
    v = visits(org, "2027-02-20", NULL);
    assert_int_equal(vrow(org, v, "lapsed"), -1);
    smg_visits_free(v);
    smg_org_free(org);
}

static void test_visit_members(void **state)
{
    smg_org *org = new_org();
    smg_attribution *a = NULL;
    smg_visits *v;
    smg_event ev = SMG_EVENT_INIT;
    size_t i;
    (void)state;
    customer(org, "k1");
    ev.type = SMG_EV_REGISTER;
    ev.at = T("2026-01-05T10:00");
    ev.member = "m2";
    ev.customer = "k1";
    assert_int_equal(smg_event_add(org, &ev), 0);
    deal(org, "2026-01-06T10:00", "k1", 100000000);
    /* without an attribution: no member */
    v = visits(org, "2026-01-07", NULL);
    assert_int_equal(smg_visits_count(v), 1);
    assert_int_equal(smg_visits_member(v, 0), -1);
    smg_visits_free(v);
    /* with one: the member it names as responsible for k1's key on D */
    if (smg_attribution_run(org, NULL, &a) == 0) {
        /* m2 registered k1 on 01-05: protected through 01-12, so m2 */
        v = visits(org, "2026-01-07", a);
        assert_int_equal(smg_visits_count(v), 1);
        assert_int_equal(smg_visits_member(v, 0), 1);
        for (i = 0; i < smg_visits_count(v); i++) {
            size_t c = (size_t)smg_visits_customer(v, i), key = 0;
            assert_int_equal(smg_customer_index(org, c, SMG_CUSTOMER_KEY, &key, NULL), 0);
            assert_int_equal(smg_visits_member(v, i),
                             smgi_attribution_responsible(a, key, D("2026-01-07")));
        }
        smg_visits_free(v);
        smg_attribution_free(a);
    }
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_threshold_boundaries),
        cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_pareto_long_tie),
        cmocka_unit_test(test_rolling_window),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_visit_cadence),
        cmocka_unit_test(test_visit_leap_and_window),
        cmocka_unit_test(test_visit_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
