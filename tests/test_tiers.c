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
#include "failing_alloc.h"
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
    ev.amount = amount < 0 ? 0 : amount;
    assert_int_equal(smg_event_add(org, &ev), 0);
    if (amount < 0) {
        /* a negative adjustment: the API refuses a negative deal (money
         * given back is a refund, RULES.md §8), so it is set behind the
         * API's back to keep the negative totals covered */
        long d = smgi_strtab_find_str(&org->deals.ids, ref);
        assert_true(d >= 0);
        org->deals.amount[d] = amount;
    }
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

static smg_tiers *tiers_of(smg_org *org, const smg_period *window, smg_tier_method method)
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = NULL;
    int rc;
    o.window = *window;
    o.method = method;
    rc = smg_tiers_compute(&t, org, &o);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_non_null(t);
    return t;
}

static smg_tiers *tiers_year(smg_org *org, int year, smg_tier_method method)
{
    smg_period w;
    assert_int_equal(smg_period_year(&w, year), 0);
    return tiers_of(org, &w, method);
}

static smg_tiers *tiers_as_of(smg_org *org, const char *as_of)
{
    smg_period w;
    assert_int_equal(smg_tiers_window_as_of(&w, D(as_of)), 0);
    return tiers_of(org, &w, SMG_TIER_METHOD_POLICY);
}

/* The row of customer c in t, or -1. */
static long trow(const smg_tiers *t, size_t c)
{
    size_t i, x;
    for (i = 0; i < smg_tiers_count(t); i++) {
        assert_int_equal(smg_tiers_index(t, i, SMG_TIERS_CUSTOMER, &x, NULL), 0);
        if (x == c)
            return (long)i;
    }
    return -1;
}

/* An int field of customer id's row (which must exist). */
static int64_t tfield(const smg_org *org, const smg_tiers *t, const char *id, smg_tiers_field f)
{
    long r = trow(t, cidx(org, id));
    int64_t v = -99;
    int n = -1;
    assert_true(r >= 0);
    assert_int_equal(smg_tiers_int(t, (size_t)r, f, &v, &n), 0);
    assert_int_equal(n, 0);
    return v;
}

static smg_tier_method tmethod(const smg_tiers *t)
{
    smg_tier_method m = SMG_TIER_METHOD_POLICY;
    assert_int_equal(smg_tiers_method(t, &m), 0);
    return m;
}

#define TIER(t, id) tfield(org, t, id, SMG_TIERS_TIER)
#define SALES(t, id) tfield(org, t, id, SMG_TIERS_SALES)

static void test_names(void **state)
{
    smg_tiers_options o;
    smg_visits_options vo;
    (void)state;
    assert_string_equal(smg_tier_name(SMG_TIER_VIP, NULL), "vip");
    assert_string_equal(smg_tier_name(SMG_TIER_TIER1, "en"), "tier1");
    assert_string_equal(smg_tier_name(SMG_TIER_TIER2, "fr"), "tier2");
    assert_string_equal(smg_tier_name(SMG_TIER_OTHER, NULL), "other");
    assert_string_equal(smg_tier_name(SMG_TIER_VIP, "zh"), "VIP");
    assert_string_equal(smg_tier_name(SMG_TIER_TIER1, "zh_CN"), "一级");
    assert_string_equal(smg_tier_name(SMG_TIER_TIER2, "zh-TW"), "二级");
    assert_string_equal(smg_tier_name(SMG_TIER_OTHER, "zh"), "其他");
    assert_null(smg_tier_name((smg_tier)4, NULL));
    assert_null(smg_tier_name((smg_tier)-1, "zh"));
    assert_int_equal(smg_tiers_options_init(&o, SMG_TIERS_OPTIONS_VERSION), 0);
    assert_int_equal(o.method, SMG_TIER_METHOD_POLICY);
    assert_null(o.as_member);
    assert_null(o.attribution);
    assert_int_equal(o.window.kind, 0);
    assert_int_equal(smg_tiers_options_init(&o, 99), SMG_EVERSION);
    assert_int_equal(smg_tiers_options_init(NULL, SMG_TIERS_OPTIONS_VERSION), SMG_EINVAL);
    assert_int_equal(smg_visits_options_init(&vo, SMG_VISITS_OPTIONS_VERSION), 0);
    assert_int_equal(vo.method, SMG_TIER_METHOD_POLICY);
    assert_null(vo.as_member);
    assert_null(vo.attribution);
    assert_int_equal(vo.as_of, SMG_DATE_NONE);
    assert_int_equal(smg_visits_options_init(&vo, 2), SMG_EVERSION);
    assert_int_equal(smg_visits_options_init(NULL, SMG_VISITS_OPTIONS_VERSION), SMG_EINVAL);
}

static void test_threshold_boundaries(void **state)
{
    smg_org *org = new_org();
    smg_tiers *t;
    smg_period w;
    int64_t v;
    size_t x;
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
    assert_int_equal(tmethod(t), SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(smg_tiers_window(t, &w), 0);
    assert_int_equal(w.kind, SMG_PERIOD_YEAR);
    assert_int_equal(w.from, D("2026-01-01"));
    assert_int_equal(w.to, D("2026-12-31"));
    assert_int_equal(smg_tiers_count(t), 9);
    assert_int_equal(TIER(t, "c1"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "c2"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c3"), SMG_TIER_TIER2);
    assert_int_equal(TIER(t, "c4"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "c5"), SMG_TIER_OTHER);
    assert_int_equal(TIER(t, "c6"), SMG_TIER_TIER2);
    assert_int_equal(TIER(t, "c7"), SMG_TIER_OTHER);
    assert_int_equal(TIER(t, "c8"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_TIER2);
    assert_int_equal(SALES(t, "c7"), 0);
    assert_int_equal(SALES(t, "c8"), 99999999);
    assert_int_equal(SALES(t, "c9"), 5000000);
    /* with full rights, row i is customer i */
    assert_int_equal(smg_tiers_index(t, 3, SMG_TIERS_CUSTOMER, &x, NULL), 0);
    assert_int_equal(x, 3);
    /* bad rows */
    v = 7;
    assert_int_equal(smg_tiers_int(t, 9, SMG_TIERS_TIER, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_tiers_int(t, 9, SMG_TIERS_SALES, &v, NULL), SMG_EINVAL);
    assert_int_equal(v, 7);
    assert_int_equal(smg_tiers_index(t, 9, SMG_TIERS_CUSTOMER, &x, NULL), SMG_EINVAL);
    assert_int_equal(x, 3);
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
    assert_int_equal(TIER(t, "c4"), SMG_TIER_TIER1);
    smg_tiers_free(t);
    /* tier2_min 0 (applied literally): a customer without sales is tier2 */
    assert_int_equal(smg_policy_set(org, "tier.tier2_min", "0"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(TIER(t, "c7"), SMG_TIER_TIER2);
    assert_int_equal(TIER(t, "c5"), SMG_TIER_TIER2);
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
    assert_int_equal(tmethod(t), SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "big"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "z1"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "z2"), SMG_TIER_TIER2);
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
    assert_int_equal(TIER(t, "z1"), SMG_TIER_TIER1);
    assert_int_equal(TIER(t, "z2"), SMG_TIER_TIER1);
    smg_tiers_free(t);

    /* 0.7 and 0.7: c10's 70% is not < 70% -> tier2 like everyone after it */
    assert_int_equal(smg_policy_set(org, "tier.pareto_vip", "0.7"), 0);
    assert_int_equal(smg_policy_set(org, "tier.pareto_tier1", "0.7"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "big"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_TIER2);
    assert_int_equal(TIER(t, "c9"), SMG_TIER_TIER2);
    smg_tiers_free(t);

    /* the method comes from the policy unless the call overrides it */
    assert_int_equal(smg_policy_set(org, "tier.method", "pareto"), 0);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_POLICY);
    assert_int_equal(tmethod(t), SMG_TIER_METHOD_PARETO);
    assert_int_equal(TIER(t, "c10"), SMG_TIER_TIER2);
    smg_tiers_free(t);
    t = tiers_year(org, 2026, SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(tmethod(t), SMG_TIER_METHOD_THRESHOLD);
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
        assert_int_equal(TIER(t, id), k < 16 ? SMG_TIER_VIP : k < 19 ? SMG_TIER_TIER1 : SMG_TIER_TIER2);
    }
    smg_tiers_free(t);
    smg_org_free(org);
}

static void test_rolling_window(void **state)
{
    smg_org *org = new_org();
    smg_tiers *t;
    smg_period w;
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
    assert_int_equal(smg_tiers_window(t, &w), 0);
    assert_int_equal(w.kind, SMG_PERIOD_RANGE);
    assert_int_equal(w.from, D("2025-03-16"));
    assert_int_equal(w.to, D("2026-03-15"));
    assert_int_equal(SALES(t, "a"), 110);
    smg_tiers_free(t);

    /* 29 February: as of 2028-02-29 one year back is 2027-02-28 (excluded),
     * the window starts 2027-03-01 */
    deal(org, "2027-02-28T12:00", "b", 1);
    deal(org, "2027-03-01T00:00", "b", 10);
    deal(org, "2028-02-29T18:00", "b", 100);
    t = tiers_as_of(org, "2028-02-29");
    assert_int_equal(smg_tiers_window(t, &w), 0);
    assert_int_equal(w.from, D("2027-03-01"));
    assert_int_equal(SALES(t, "b"), 110);
    smg_tiers_free(t);
    /* as of 2029-02-28: back to 2028-02-28 (excluded); 29 Feb 2028 is in */
    t = tiers_as_of(org, "2029-02-28");
    assert_int_equal(smg_tiers_window(t, &w), 0);
    assert_int_equal(w.from, D("2028-02-29"));
    assert_int_equal(SALES(t, "b"), 100);
    smg_tiers_free(t);
    /* in year 1 the window cannot reach back a year: it starts 0001-01-01 */
    t = tiers_as_of(org, "0001-03-01");
    assert_int_equal(smg_tiers_window(t, &w), 0);
    assert_int_equal(w.from, D("0001-01-01"));
    assert_int_equal(w.to, D("0001-03-01"));
    smg_tiers_free(t);
    /* the window maker itself */
    assert_int_equal(smg_tiers_window_as_of(&w, D("2026-12-31")), 0);
    assert_int_equal(w.kind, SMG_PERIOD_RANGE);
    assert_int_equal(w.from, D("2026-01-01"));
    assert_int_equal(w.to, D("2026-12-31"));
    assert_int_equal(smg_period_check(&w), 0);
    assert_int_equal(smg_tiers_window_as_of(NULL, D("2026-12-31")), SMG_EINVAL);
    assert_int_equal(smg_tiers_window_as_of(&w, SMG_DATE_NONE), SMG_ERANGE);
    assert_int_equal(w.from, D("2026-01-01"));
    smg_org_free(org);
}

static void test_options(void **state)
{
    smg_org *org = new_org();
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_visits_options vo = SMG_VISITS_OPTIONS_INIT;
    smg_tiers *t = (smg_tiers *)1;
    smg_visits *v = (smg_visits *)1;
    smg_period month;
    (void)state;
    customer(org, "a");
    /* no window */
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    assert_null(t);
    assert_non_null(strstr(smg_org_errmsg(org), "window is required"));
    /* windows the rules do not know: a month, a week, any other range */
    assert_int_equal(smg_period_month(&month, 2026, 5), 0);
    o.window = month;
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "calendar year or the 12 months"));
    assert_int_equal(smg_period_week(&o.window, D("2026-05-06")), 0);
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    assert_int_equal(smg_period_range(&o.window, D("2025-04-30"), D("2026-04-30")), 0);
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL); /* one day too many */
    assert_int_equal(smg_period_range(&o.window, D("2025-05-01"), D("2026-04-30")), 0);
    assert_int_equal(smg_tiers_compute(&t, org, &o), 0); /* = smg_tiers_window_as_of() */
    smg_tiers_free(t);
    /* a year made by hand with wrong days */
    o.window.kind = SMG_PERIOD_YEAR;
    o.window.from = D("2026-01-01");
    o.window.to = D("2026-12-30");
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "not a valid period"));
    assert_int_equal(smg_period_year(&o.window, 2026), 0);
    /* visits need as_of */
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_EINVAL);
    assert_null(v);
    assert_non_null(strstr(smg_org_errmsg(org), "as_of is required"));
    vo.as_of = INT32_MAX;
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_ERANGE);
    vo.as_of = D("2026-05-01");
    vo.method = (smg_tier_method)7;
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_EINVAL);
    vo.method = SMG_TIER_METHOD_POLICY;
    vo.version = 0;
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_EVERSION);
    vo.version = SMG_VISITS_OPTIONS_VERSION;
    assert_int_equal(smg_visits_compute(&v, org, NULL), SMG_EINVAL);
    assert_int_equal(smg_visits_compute(&v, NULL, &vo), SMG_EINVAL);
    assert_int_equal(smg_visits_compute(NULL, org, &vo), SMG_EINVAL);
    o.method = (smg_tier_method)7;
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    o.method = SMG_TIER_METHOD_POLICY;
    o.version = 2;
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EVERSION);
    assert_int_equal(smg_tiers_compute(&t, org, NULL), SMG_EINVAL);
    assert_int_equal(smg_tiers_compute(&t, NULL, &o), SMG_EINVAL);
    o.version = SMG_TIERS_OPTIONS_VERSION;
    assert_int_equal(smg_tiers_compute(NULL, org, &o), SMG_EINVAL);
    /* refused inside an open batch, whose errors stay untouched */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_ESTATE);
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_tiers_compute(&t, org, &o), 0);
    assert_string_equal(smg_org_errmsg(org), "");
    assert_int_equal(smg_tiers_count(t), 1);
    smg_tiers_free(t);
    assert_int_equal(smg_visits_compute(&v, org, &vo), 0);
    assert_int_equal(smg_visits_count(v), 0); /* a: no sales, other: no cadence */
    smg_visits_free(v);
    /* NULL-safe */
    smg_tiers_free(NULL);
    smg_visits_free(NULL);
    assert_int_equal(smg_tiers_count(NULL), 0);
    assert_int_equal(smg_visits_count(NULL), 0);
    {
        smg_tier_method m = SMG_TIER_METHOD_PARETO;
        smg_date d = 5;
        assert_int_equal(smg_tiers_method(NULL, &m), SMG_EINVAL);
        assert_int_equal(smg_tiers_window(NULL, &month), SMG_EINVAL);
        assert_int_equal(smg_visits_as_of(NULL, &d), SMG_EINVAL);
        assert_int_equal(m, SMG_TIER_METHOD_PARETO);
        assert_int_equal(d, 5);
    }
    smg_org_free(org);
}

/* ---- visits ---- */

static smg_visits *visits_as(smg_org *org, const char *as_of, const smg_attribution *attr,
                             const char *as_member)
{
    smg_visits_options o = SMG_VISITS_OPTIONS_INIT;
    smg_visits *v = NULL;
    smg_date d = 0;
    int rc;
    o.as_of = D(as_of);
    o.attribution = attr;
    o.as_member = as_member;
    rc = smg_visits_compute(&v, org, &o);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_int_equal(smg_visits_as_of(v, &d), 0);
    assert_int_equal(d, D(as_of));
    return v;
}

static smg_visits *visits(smg_org *org, const char *as_of, const smg_attribution *attr)
{
    return visits_as(org, as_of, attr, NULL);
}

static size_t vcustomer(const smg_visits *v, size_t row)
{
    size_t c = 0;
    int n = -1;
    assert_int_equal(smg_visits_index(v, row, SMG_VISITS_CUSTOMER, &c, &n), 0);
    assert_int_equal(n, 0);
    return c;
}

/* The member of a row, or -1 when null. */
static long vmember(const smg_visits *v, size_t row)
{
    size_t m = 99;
    int n = -1;
    assert_int_equal(smg_visits_index(v, row, SMG_VISITS_MEMBER, &m, &n), 0);
    if (n) {
        assert_int_equal(m, 0);
        return -1;
    }
    return (long)m;
}

static int64_t vint(const smg_visits *v, size_t row, smg_visits_field f, int *is_null)
{
    int64_t x = -99;
    assert_int_equal(smg_visits_int(v, row, f, &x, is_null), 0);
    return x;
}

/* Row of customer id in v, or -1. */
static long vrow(const smg_org *org, const smg_visits *v, const char *id)
{
    size_t i, c = cidx(org, id);
    for (i = 0; i < smg_visits_count(v); i++)
        if (vcustomer(v, i) == c)
            return (long)i;
    return -1;
}

static void expect_visit(const smg_org *org, const smg_visits *v, const char *id, int tier,
                         const char *last, const char *due, int overdue)
{
    long r = vrow(org, v, id);
    int n = -1;
    if (r < 0)
        print_error("no row for %s\n", id);
    assert_true(r >= 0);
    assert_int_equal(vint(v, (size_t)r, SMG_VISITS_TIER, NULL), tier);
    if (last) {
        assert_int_equal(vint(v, (size_t)r, SMG_VISITS_LAST_VISIT, &n), D(last));
        assert_int_equal(n, 0);
    } else {
        assert_int_equal(vint(v, (size_t)r, SMG_VISITS_LAST_VISIT, &n), 0);
        assert_int_equal(n, 1);
    }
    assert_int_equal(vint(v, (size_t)r, SMG_VISITS_DUE, &n), D(due));
    assert_int_equal(n, 0);
    assert_int_equal(vint(v, (size_t)r, SMG_VISITS_OVERDUE, &n), overdue);
    assert_int_equal(n, 0);
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
    expect_visit(org, v, "t1dec", SMG_TIER_TIER1, "2025-12-31", "2026-02-28", 0);
    expect_visit(org, v, "never", SMG_TIER_VIP, NULL, "2025-03-01", 1);
    assert_int_equal(vrow(org, v, "small"), -1);
    assert_int_equal(vrow(org, v, "quiet"), -1);
    /* ordered by due date, then customer index: never (2025-03-01), then
     * jan31 (index 0) and t1dec (index 2), both due 2026-02-28 */
    assert_int_equal(vcustomer(v, 0), cidx(org, "never"));
    assert_int_equal(vcustomer(v, 1), cidx(org, "jan31"));
    assert_int_equal(vcustomer(v, 2), cidx(org, "t1dec"));
    /* bad rows */
    {
        size_t x = 42;
        int64_t y = 42;
        int f;
        for (f = 0; f < 6; f++) {
            assert_int_equal(smg_visits_index(v, 3, (smg_visits_field)f, &x, NULL), SMG_EINVAL);
            assert_int_equal(smg_visits_int(v, 3, (smg_visits_field)f, &y, NULL), SMG_EINVAL);
        }
        assert_int_equal(x, 42);
        assert_int_equal(y, 42);
    }
    smg_visits_free(v);

    /* the day after: both overdue; the 03-05 visit is still in the future;
     * never: window from 2025-03-02 */
    v = visits(org, "2026-03-01", NULL);
    expect_visit(org, v, "jan31", SMG_TIER_VIP, "2026-01-31", "2026-02-28", 1);
    expect_visit(org, v, "t1dec", SMG_TIER_TIER1, "2025-12-31", "2026-02-28", 1);
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
    expect_visit(org, v, "small", SMG_TIER_TIER2, "2026-01-20", "2026-04-20", 0);
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

/* The attribution key of customer c. */
static size_t customer_key(const smg_org *org, size_t c)
{
    size_t k = 0;
    assert_int_equal(smg_customer_index(org, c, SMG_CUSTOMER_KEY, &k, NULL), 0);
    return k;
}

static void test_visit_members(void **state)
{
    smg_org *org = new_org();
    smg_attribution *a = NULL, *other = NULL;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_visits_options vo = SMG_VISITS_OPTIONS_INIT;
    smg_org *org2 = new_org();
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
    /* without an attribution given, the library runs its own as of the
     * day: m2 registered k1 on 01-05, protected through 01-12, so m2 */
    v = visits(org, "2026-01-07", NULL);
    assert_int_equal(vmember(v, (size_t)vrow(org, v, "k1")), 1);
    smg_visits_free(v);
    /* with one given: the member it names as responsible for k1's key on D */
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    v = visits(org, "2026-01-07", a);
    assert_int_equal(vmember(v, (size_t)vrow(org, v, "k1")), 1);
    for (i = 0; i < smg_visits_count(v); i++)
        assert_int_equal(vmember(v, i),
                         smgi_attribution_responsible(
                             a, customer_key(org, vcustomer(v, i)),
                             D("2026-01-07")));
    smg_visits_free(v);
    /* the one run inside: as the attribution of the events before the
     * start of the next day */
    ao.until = (D("2026-01-07") + 1) * (smg_time)86400;
    smg_attribution_free(a);
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    v = visits(org, "2026-01-07", NULL);
    for (i = 0; i < smg_visits_count(v); i++)
        assert_int_equal(vmember(v, i),
                         smgi_attribution_responsible(
                             a, customer_key(org, vcustomer(v, i)),
                             D("2026-01-07")));
    smg_visits_free(v);
    /* an attribution of another org is refused */
    assert_int_equal(smg_attribution_compute(&other, org2, NULL), 0);
    vo.as_of = D("2026-01-07");
    vo.attribution = other;
    v = (smg_visits *)1;
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_EINVAL);
    assert_null(v);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution"));
    smg_attribution_free(other);
    smg_attribution_free(a);
    smg_org_free(org2);
    smg_org_free(org);
}

/* ---- the tables, field by field ---- */

static void test_tables(void **state)
{
    static const char *const tnames[] = { "customer", "tier", "annual_sales" };
    static const smg_type ttypes[] = { SMG_TYPE_INDEX, SMG_TYPE_ENUM, SMG_TYPE_MONEY };
    static const char *const vnames[] = { "customer", "tier", "last_visit", "due", "overdue",
                                          "member" };
    static const smg_type vtypes[] = { SMG_TYPE_INDEX, SMG_TYPE_ENUM, SMG_TYPE_DATE,
                                       SMG_TYPE_DATE, SMG_TYPE_BOOL, SMG_TYPE_INDEX };
    smg_org *org = new_org();
    smg_attribution *a = NULL;
    smg_tiers *t;
    smg_visits *v;
    size_t x;
    int64_t y;
    int f, n;
    (void)state;
    customer(org, "seen");
    customer(org, "never");
    deal(org, "2026-01-10T10:00", "seen", 100000000);
    deal(org, "2026-01-11T10:00", "never", 100000000);
    visit(org, "2026-02-01T10:00", "m2", "seen", SMG_OUTCOME_SUCCESS);

    /* tiers: names and types */
    for (f = 0; smg_tiers_field_name((smg_tiers_field)f); f++) {
        assert_true(f < 3);
        assert_string_equal(smg_tiers_field_name((smg_tiers_field)f), tnames[f]);
        assert_int_equal(smg_tiers_field_type((smg_tiers_field)f), ttypes[f]);
    }
    assert_int_equal(f, 3);
    assert_int_equal(smg_tiers_field_type((smg_tiers_field)3), 0);
    assert_null(smg_tiers_field_name((smg_tiers_field)-1));
    t = tiers_year(org, 2026, SMG_TIER_METHOD_THRESHOLD);
    assert_int_equal(smg_tiers_count(t), 2);
    /* each field through its getter; never null */
    x = 9;
    n = -1;
    assert_int_equal(smg_tiers_index(t, 1, SMG_TIERS_CUSTOMER, &x, &n), 0);
    assert_int_equal(x, 1);
    assert_int_equal(n, 0);
    assert_int_equal(smg_tiers_int(t, 1, SMG_TIERS_TIER, &y, &n), 0);
    assert_int_equal(y, SMG_TIER_VIP);
    assert_int_equal(smg_tiers_int(t, 1, SMG_TIERS_SALES, &y, NULL), 0);
    assert_int_equal(y, 100000000);
    /* the wrong getter, a bad field, a bad row, NULLs: SMG_EINVAL, untouched */
    x = 9;
    y = 9;
    assert_int_equal(smg_tiers_int(t, 0, SMG_TIERS_CUSTOMER, &y, &n), SMG_EINVAL);
    assert_int_equal(smg_tiers_index(t, 0, SMG_TIERS_TIER, &x, &n), SMG_EINVAL);
    assert_int_equal(smg_tiers_index(t, 0, SMG_TIERS_SALES, &x, &n), SMG_EINVAL);
    assert_int_equal(smg_tiers_int(t, 0, (smg_tiers_field)3, &y, &n), SMG_EINVAL);
    assert_int_equal(smg_tiers_index(t, 0, (smg_tiers_field)-1, &x, &n), SMG_EINVAL);
    for (f = 0; f < 3; f++) {
        assert_int_equal(smg_tiers_int(t, 2, (smg_tiers_field)f, &y, &n), SMG_EINVAL);
        assert_int_equal(smg_tiers_index(t, 2, (smg_tiers_field)f, &x, &n), SMG_EINVAL);
        assert_int_equal(smg_tiers_int(NULL, 0, (smg_tiers_field)f, &y, &n), SMG_EINVAL);
        assert_int_equal(smg_tiers_index(NULL, 0, (smg_tiers_field)f, &x, &n), SMG_EINVAL);
    }
    assert_int_equal(smg_tiers_int(t, 0, SMG_TIERS_TIER, NULL, &n), SMG_EINVAL);
    assert_int_equal(smg_tiers_index(t, 0, SMG_TIERS_CUSTOMER, NULL, &n), SMG_EINVAL);
    assert_int_equal(x, 9);
    assert_int_equal(y, 9);
    smg_tiers_free(t);

    /* visits: names and types */
    for (f = 0; smg_visits_field_name((smg_visits_field)f); f++) {
        assert_true(f < 6);
        assert_string_equal(smg_visits_field_name((smg_visits_field)f), vnames[f]);
        assert_int_equal(smg_visits_field_type((smg_visits_field)f), vtypes[f]);
    }
    assert_int_equal(f, 6);
    assert_int_equal(smg_visits_field_type((smg_visits_field)6), 0);
    assert_null(smg_visits_field_name((smg_visits_field)-1));
    /* an attribution whose run ends before every event: nobody responsible */
    {
        smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
        ao.until = T("2026-01-01T00:00");
        assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    }
    v = visits(org, "2026-02-10", a);
    /* never: due 2025-02-11 (the window's first day), before seen: due 03-01 */
    assert_int_equal(smg_visits_count(v), 2);
    assert_int_equal(vcustomer(v, 0), cidx(org, "never"));
    /* null values: never visited, nobody responsible */
    y = 9;
    n = 0;
    assert_int_equal(smg_visits_int(v, 0, SMG_VISITS_LAST_VISIT, &y, &n), 0);
    assert_int_equal(y, 0);
    assert_int_equal(n, 1);
    x = 9;
    n = 0;
    assert_int_equal(smg_visits_index(v, 0, SMG_VISITS_MEMBER, &x, &n), 0);
    assert_int_equal(x, 0);
    assert_int_equal(n, 1);
    /* values */
    assert_int_equal(vint(v, 0, SMG_VISITS_DUE, NULL), D("2025-02-11"));
    assert_int_equal(vint(v, 0, SMG_VISITS_OVERDUE, NULL), 1);
    assert_int_equal(vint(v, 1, SMG_VISITS_LAST_VISIT, &n), D("2026-02-01"));
    assert_int_equal(n, 0);
    assert_int_equal(vint(v, 1, SMG_VISITS_DUE, NULL), D("2026-03-01"));
    assert_int_equal(vint(v, 1, SMG_VISITS_OVERDUE, NULL), 0);
    assert_int_equal(vint(v, 1, SMG_VISITS_TIER, NULL), SMG_TIER_VIP);
    /* wrong getters, bad fields, bad rows: SMG_EINVAL, untouched */
    x = 9;
    y = 9;
    assert_int_equal(smg_visits_int(v, 0, SMG_VISITS_CUSTOMER, &y, &n), SMG_EINVAL);
    assert_int_equal(smg_visits_int(v, 0, SMG_VISITS_MEMBER, &y, &n), SMG_EINVAL);
    for (f = SMG_VISITS_TIER; f <= SMG_VISITS_OVERDUE; f++)
        assert_int_equal(smg_visits_index(v, 0, (smg_visits_field)f, &x, &n), SMG_EINVAL);
    assert_int_equal(smg_visits_int(v, 0, (smg_visits_field)6, &y, &n), SMG_EINVAL);
    assert_int_equal(smg_visits_index(v, 0, (smg_visits_field)-1, &x, &n), SMG_EINVAL);
    for (f = 0; f < 6; f++) {
        assert_int_equal(smg_visits_int(NULL, 0, (smg_visits_field)f, &y, &n), SMG_EINVAL);
        assert_int_equal(smg_visits_index(NULL, 0, (smg_visits_field)f, &x, &n), SMG_EINVAL);
    }
    assert_int_equal(smg_visits_int(v, 0, SMG_VISITS_DUE, NULL, &n), SMG_EINVAL);
    assert_int_equal(smg_visits_index(v, 0, SMG_VISITS_CUSTOMER, NULL, &n), SMG_EINVAL);
    assert_int_equal(x, 9);
    assert_int_equal(y, 9);
    smg_visits_free(v);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* ---- visibility (RULES.md §1) ----
 *
 * top (led by boss, a manager) -> t1 (led by l1, a leader), t2.
 * Members: boss in top; l1 and m1 (rep) in t1; m2 (rep) in t2.
 * Customers: a registered and closed by m1 (1,000,000.00: vip);
 * b closed by m2 (200,000.00: tier1); c closed by l1 (50,000.00: tier2);
 * d: no event (other). */
static void add_event(smg_org *org, smg_event_type type, const char *at, const char *member,
                      const char *cust, const char *ref, smg_money amount)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    ev.at = T(at);
    ev.member = member;
    ev.customer = cust;
    ev.ref = ref;
    ev.amount = amount;
    if (type == SMG_EV_VISIT)
        ev.channel = SMG_CHANNEL_ONSITE;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

static smg_org *scope_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "top", "总部", NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "top"), 0);
    assert_int_equal(smg_team_add(org, "t2", "二组", "top"), 0);
    assert_int_equal(smg_member_add(org, "boss", "", "top", SMG_ROLE_MANAGER), 0);
    assert_int_equal(smg_member_add(org, "l1", "", "t1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "m1", "", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_team_set_leader(org, "top", "boss"), 0);
    assert_int_equal(smg_team_set_leader(org, "t1", "l1"), 0);
    customer(org, "a");
    customer(org, "b");
    customer(org, "c");
    customer(org, "d");
    add_event(org, SMG_EV_REGISTER, "2026-03-01T09:00", "m1", "a", NULL, 0);
    add_event(org, SMG_EV_DEAL, "2026-03-02T09:00", "m1", "a", "DA", 100000000);
    add_event(org, SMG_EV_DEAL, "2026-03-03T09:00", "m2", "b", "DB", 20000000);
    add_event(org, SMG_EV_DEAL, "2026-03-04T09:00", "l1", "c", "DC", 5000000);
    /* 2025, for Pareto over everyone: b 900, a 100 */
    add_event(org, SMG_EV_DEAL, "2025-05-01T09:00", "m2", "b", "DB0", 900);
    add_event(org, SMG_EV_DEAL, "2025-05-02T09:00", "m1", "a", "DA0", 100);
    return org;
}

/* The customer ids of the rows of t, in row order, as "a,b,…". */
static void tiers_rows(const smg_org *org, const smg_tiers *t, char *buf, size_t len)
{
    size_t i, c, o = 0;
    buf[0] = 0;
    for (i = 0; i < smg_tiers_count(t); i++) {
        assert_int_equal(smg_tiers_index(t, i, SMG_TIERS_CUSTOMER, &c, NULL), 0);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", smg_customer_id(org, c));
    }
}

static void visits_rows(const smg_org *org, const smg_visits *v, char *buf, size_t len)
{
    size_t i, o = 0;
    buf[0] = 0;
    for (i = 0; i < smg_visits_count(v); i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "",
                              smg_customer_id(org, vcustomer(v, i)));
}

static smg_tiers *tiers_as(smg_org *org, int year, smg_tier_method method, const char *as,
                           const smg_attribution *attr)
{
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *t = NULL;
    int rc;
    assert_int_equal(smg_period_year(&o.window, year), 0);
    o.method = method;
    o.as_member = as;
    o.attribution = attr;
    rc = smg_tiers_compute(&t, org, &o);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    return t;
}

static void test_visibility(void **state)
{
    static const struct {
        const char *as, *tiers, *visits;
    } cases[] = {
        { NULL, "a,b,c,d", "a,b" },
        { "", "a,b,c,d", "a,b" },
        { "m1", "a", "a" },          /* a rep: their own customers */
        { "m2", "b", "b" },
        { "l1", "a,c", "a" },        /* the leader of t1: l1's and m1's */
        { "boss", "a,b,c", "a,b" },  /* the manager of top: every member's, not d */
    };
    smg_org *org = scope_org();
    smg_attribution *whole = NULL;
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_visits_options vo = SMG_VISITS_OPTIONS_INIT;
    smg_tiers *t;
    smg_visits *v;
    char buf[64];
    size_t k;
    (void)state;
    assert_int_equal(smg_attribution_compute(&whole, org, NULL), 0);
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        /* the attribution run inside, or the caller's: the same rows */
        t = tiers_as(org, 2026, SMG_TIER_METHOD_THRESHOLD, cases[k].as, NULL);
        tiers_rows(org, t, buf, sizeof buf);
        assert_string_equal(buf, cases[k].tiers);
        smg_tiers_free(t);
        t = tiers_as(org, 2026, SMG_TIER_METHOD_THRESHOLD, cases[k].as, whole);
        tiers_rows(org, t, buf, sizeof buf);
        assert_string_equal(buf, cases[k].tiers);
        smg_tiers_free(t);
        v = visits_as(org, "2026-12-31", NULL, cases[k].as);
        visits_rows(org, v, buf, sizeof buf);
        assert_string_equal(buf, cases[k].visits);
        smg_visits_free(v);
    }
    /* the tiers stay those of every customer: as m1, a is tier1 under
     * Pareto in 2025 (b's 900 of 1000 come before it), not vip */
    t = tiers_as(org, 2025, SMG_TIER_METHOD_PARETO, "m1", NULL);
    assert_int_equal(smg_tiers_count(t), 1);
    assert_int_equal(TIER(t, "a"), SMG_TIER_TIER1);
    assert_int_equal(SALES(t, "a"), 100);
    smg_tiers_free(t);
    /* as the leader, the values of the visible rows are those of full rights */
    t = tiers_as(org, 2026, SMG_TIER_METHOD_THRESHOLD, "l1", NULL);
    assert_int_equal(TIER(t, "a"), SMG_TIER_VIP);
    assert_int_equal(TIER(t, "c"), SMG_TIER_TIER2);
    assert_int_equal(SALES(t, "c"), 5000000);
    smg_tiers_free(t);
    v = visits_as(org, "2026-12-31", NULL, "l1");
    expect_visit(org, v, "a", SMG_TIER_VIP, NULL, "2026-01-01", 1);
    assert_int_equal(vmember(v, 0), 2); /* m1 */
    smg_visits_free(v);
    /* an unknown member */
    o.as_member = "nobody";
    assert_int_equal(smg_period_year(&o.window, 2026), 0);
    t = (smg_tiers *)1;
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_ENOTFOUND);
    assert_null(t);
    assert_non_null(strstr(smg_org_errmsg(org), "nobody"));
    vo.as_member = "nobody";
    vo.as_of = D("2026-12-31");
    v = (smg_visits *)1;
    assert_int_equal(smg_visits_compute(&v, org, &vo), SMG_ENOTFOUND);
    assert_null(v);
    /* without as_member the attribution is not even looked at: one of
     * another org's state is fine then, refused when it is needed */
    add_event(org, SMG_EV_VISIT, "2026-12-01T09:00", "m2", "b", NULL, 0);
    o.as_member = NULL;
    o.attribution = whole; /* out of date now */
    assert_int_equal(smg_tiers_compute(&t, org, &o), 0);
    assert_int_equal(smg_tiers_count(t), 4);
    smg_tiers_free(t);
    o.as_member = "m1";
    assert_int_equal(smg_tiers_compute(&t, org, &o), SMG_EINVAL);
    assert_null(t);
    smg_attribution_free(whole);
    smg_org_free(org);
}

/* Every allocation of smg_tiers_compute() and smg_visits_compute() failing
 * in turn (with full rights and as a member, Pareto for its scratch):
 * SMG_ENOMEM, no result, nothing leaked, nothing freed through another
 * allocator than the org's. */
static void test_out_of_memory(void **state)
{
    failing f = FAILING_INIT;
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_tiers_options to = SMG_TIERS_OPTIONS_INIT;
    smg_visits_options vo = SMG_VISITS_OPTIONS_INIT;
    smg_org *org = NULL;
    long base, k;
    int rc = SMG_ENOMEM, pass;
    (void)state;
    failing_options(&oo, &f);
    assert_int_equal(smg_org_new(&org, &oo), 0);
    assert_int_equal(smg_team_add(org, "t1", "", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "", "t1", SMG_ROLE_REP), 0);
    customer(org, "a");
    customer(org, "b");
    deal(org, "2026-01-10T10:00", "a", 100000000);
    deal(org, "2026-01-11T10:00", "b", 30000000);
    visit(org, "2026-02-01T10:00", "m2", "a", SMG_OUTCOME_SUCCESS);
    assert_int_equal(smg_tiers_compute(NULL, org, NULL), SMG_EINVAL);
    assert_int_equal(smg_tiers_compute(&(smg_tiers *){ NULL }, org, NULL), SMG_EINVAL);
    base = f.live - (long)smg_org_error_count(org); /* the error list exists now */
    to.method = SMG_TIER_METHOD_PARETO;
    assert_int_equal(smg_period_year(&to.window, 2026), 0);
    vo.as_of = D("2026-03-01");
    vo.method = SMG_TIER_METHOD_PARETO;
    for (pass = 0; pass < 4; pass++) {
        to.as_member = vo.as_member = pass % 2 ? "m1" : NULL;
        for (k = 0; k < 1000; k++) {
            smg_tiers *t = (smg_tiers *)1;
            smg_visits *v = (smg_visits *)1;
            f.fail_at = f.calls + k;
            if (pass < 2) {
                rc = smg_tiers_compute(&t, org, &to);
                if (rc == 0) {
                    f.fail_at = -1;
                    assert_int_equal(smg_tiers_count(t), pass ? 1 : 2);
                    smg_tiers_free(t);
                    break;
                }
                assert_null(t);
            } else {
                rc = smg_visits_compute(&v, org, &vo);
                if (rc == 0) {
                    f.fail_at = -1;
                    assert_int_equal(smg_visits_count(v), pass == 3 ? 1 : 2);
                    smg_visits_free(v);
                    break;
                }
                assert_null(v);
            }
            assert_int_equal(rc, SMG_ENOMEM);
            assert_int_equal(f.live - (long)smg_org_error_count(org), base);
        }
        assert_int_equal(rc, 0);
        assert_true(k >= 3);
        assert_int_equal(f.live - (long)smg_org_error_count(org), base);
    }
    smg_org_free(org);
    assert_int_equal(f.live, 0);
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
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
