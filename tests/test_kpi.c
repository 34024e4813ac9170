/* KPIs (RULES.md §5) on a hand-made organisation whose every figure is
 * worked out by hand below; zero denominators; team roll-ups over three
 * levels with distinct keys; previous equal periods (month, range, quarter,
 * year); growth_yoy around 29 February; visibility per role; query errors;
 * a caller's attribution result; merging partial reports.
 *
 * The organisation (teams in index order; leaders in brackets):
 *
 *   co [dir]                    members: dir (director)
 *   ├── east [mgr]                       mgr (manager)
 *   │   ├── g1 [ld1]                     ld1 (leader), a, b (reps)
 *   │   └── g2 [ld2]                     ld2 (supervisor), c (rep)
 *   └── west                             w (rep), nolead (manager, leads nothing)
 *
 * Customers k1..k4, k7..k9 alone; k5 and k6 one family ("fam": one key).
 * Nobody claims, so every deal is credited to its closer, except D10,
 * which a manager gives to the company.
 *
 *  deal  day         closer key  amount   list     cost    period (2026-03 query)
 *  D0    2025-03-10  a      k4    800.00                    year earlier
 *  D1    2026-02-05  a      k1   1000.00                    previous
 *  D2    2026-02-10  b      k2    500.00                    previous
 *  D3    2026-02-20  c      k2    300.00                    previous
 *  D4    2026-02-25  a      k3    200.00                    previous
 *  D5    2026-03-03  a      k1   1200.00  1500.00  700.00   current (car)
 *  D6    2026-03-05  b      k2    600.00                    current (svc)
 *  D7    2026-03-10  w      k5    400.00   400.00  100.00   current, k5's first deal
 *  D8    2026-03-20  c      k6    100.00                    current (same key as k5)
 *  D9    2026-03-25  ld1    k4     50.00                    current
 *  D10   2026-03-28  b→co   k7     70.00                    current, company, k7's first
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"

/* smg_target_add() from the texts of a targets.csv row */
static int target_add(smg_org *org, const char *subject, smg_metric metric, const char *period,
                      int64_t amount, const char *profile)
{
    smg_subject s;
    smg_period p;
    assert_int_equal(smg_subject_parse(&s, org, subject), 0);
    assert_int_equal(smg_period_parse(&p, period), 0);
    return smg_target_add(org, &s, metric, &p, amount, profile);
}

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

static void simple(smg_org *org, const char *at, smg_event_type type, const char *member,
                   const char *customer)
{
    smg_event ev = ev_at(at, type, member, customer);
    add(org, &ev);
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

static void money_ev(smg_org *org, const char *at, smg_event_type type, const char *member,
                     const char *customer, const char *ref, smg_money amount)
{
    smg_event ev = ev_at(at, type, member, customer);
    ev.ref = ref;
    ev.amount = amount;
    add(org, &ev);
}

static void reception(smg_org *org, const char *at, const char *member, const char *customer,
                      int duty)
{
    smg_event ev = ev_at(at, SMG_EV_RECEPTION, member, customer);
    ev.channel = SMG_CHANNEL_WALK_IN;
    ev.outcome = duty ? SMG_OUTCOME_DUTY : SMG_OUTCOME_NONE;
    add(org, &ev);
}

static void visit(smg_org *org, const char *at, const char *member, const char *customer,
                  smg_outcome outcome)
{
    smg_event ev = ev_at(at, SMG_EV_VISIT, member, customer);
    ev.channel = SMG_CHANNEL_ONSITE;
    ev.outcome = outcome;
    add(org, &ev);
}

#define NONE SMG_MONEY_NONE

static smg_org *fixture(void)
{
    smg_org *org = NULL;
    static const char *const custs[] = { "k1", "k2", "k3", "k4", "k7", "k8", "k9" };
    size_t i;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "co", "公司", NULL), 0);
    assert_int_equal(smg_team_add(org, "east", "东区", "co"), 0);
    assert_int_equal(smg_team_add(org, "g1", "一组", "east"), 0);
    assert_int_equal(smg_team_add(org, "g2", "二组", "east"), 0);
    assert_int_equal(smg_team_add(org, "west", "西区", "co"), 0);
    assert_int_equal(smg_member_add(org, "dir", "总监", "co", SMG_ROLE_DIRECTOR), 0);
    assert_int_equal(smg_member_add(org, "mgr", "经理", "east", SMG_ROLE_MANAGER), 0);
    assert_int_equal(smg_member_add(org, "ld1", "组长一", "g1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "a", "张伟", "g1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "李娜", "g1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "ld2", "主管二", "g2", SMG_ROLE_SUPERVISOR), 0);
    assert_int_equal(smg_member_add(org, "c", "王芳", "g2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "w", "刘洋", "west", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "nolead", "闲经理", "west", SMG_ROLE_MANAGER), 0);
    assert_int_equal(smg_team_set_leader(org, "co", "dir"), 0);
    assert_int_equal(smg_team_set_leader(org, "east", "mgr"), 0);
    assert_int_equal(smg_team_set_leader(org, "g1", "ld1"), 0);
    assert_int_equal(smg_team_set_leader(org, "g2", "ld2"), 0);
    for (i = 0; i < sizeof custs / sizeof *custs; i++)
        assert_int_equal(smg_customer_add(org, custs[i], custs[i], "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "k5", "k5", "", "fam"), 0);
    assert_int_equal(smg_customer_add(org, "k6", "k6", "", "fam"), 0);

    /* deals (see the table above) */
    deal(org, "2025-03-10T10:00", "a", "k4", "D0", 80000, NONE, NONE, NULL);
    deal(org, "2026-02-05T10:00", "a", "k1", "D1", 100000, NONE, NONE, NULL);
    deal(org, "2026-02-10T10:00", "b", "k2", "D2", 50000, NONE, NONE, NULL);
    deal(org, "2026-02-20T10:00", "c", "k2", "D3", 30000, NONE, NONE, NULL);
    deal(org, "2026-02-25T10:00", "a", "k3", "D4", 20000, NONE, NONE, NULL);
    deal(org, "2026-03-03T10:00", "a", "k1", "D5", 120000, 150000, 70000, "car");
    deal(org, "2026-03-05T10:00", "b", "k2", "D6", 60000, NONE, NONE, "svc");
    deal(org, "2026-03-10T10:00", "w", "k5", "D7", 40000, 40000, 10000, NULL);
    deal(org, "2026-03-20T10:00", "c", "k6", "D8", 10000, NONE, NONE, NULL);
    deal(org, "2026-03-25T10:00", "ld1", "k4", "D9", 5000, NONE, NONE, NULL);
    deal(org, "2026-03-28T10:00", "b", "k7", "D10", 7000, NONE, NONE, NULL);
    {
        smg_event ev = ev_at("2026-03-29T09:00", SMG_EV_OVERRIDE, NULL, NULL);
        ev.ref = "D10"; /* no member: the company (R7) */
        add(org, &ev);
    }

    /* a in March: 4 non-duty receptions and 1 duty one; registrations of
     * k8 (03-01, followed up 03-02: on time) and k9 (03-04, followed up
     * 03-09, after its 03-07 deadline); b's registration of k8 on 03-05 is
     * a collision (a protects k8 through 03-09) and a's second one on 03-06
     * a re-registration: neither counts. 1 demo, 3 visits (2 successful),
     * 1 complaint, 120.00 expenses (50.00 in February do not count). */
    reception(org, "2026-03-01T09:00", "a", "k8", 0);
    reception(org, "2026-03-04T09:00", "a", "k9", 0);
    reception(org, "2026-03-11T09:00", "a", "k8", 0);
    reception(org, "2026-03-12T09:00", "a", "k3", 0);
    reception(org, "2026-03-13T09:00", "a", "k2", 1);
    simple(org, "2026-03-01T09:30", SMG_EV_REGISTER, "a", "k8");
    simple(org, "2026-03-02T09:00", SMG_EV_FOLLOWUP, "a", "k8");
    simple(org, "2026-03-04T09:30", SMG_EV_REGISTER, "a", "k9");
    simple(org, "2026-03-05T11:00", SMG_EV_REGISTER, "b", "k8");
    simple(org, "2026-03-06T09:00", SMG_EV_REGISTER, "a", "k8");
    simple(org, "2026-03-09T09:00", SMG_EV_FOLLOWUP, "a", "k9");
    simple(org, "2026-03-07T15:00", SMG_EV_DEMO, "a", "k8");
    visit(org, "2026-03-15T10:00", "a", "k8", SMG_OUTCOME_SUCCESS);
    visit(org, "2026-03-16T10:00", "a", "k9", SMG_OUTCOME_SUCCESS);
    visit(org, "2026-03-17T10:00", "a", "k3", SMG_OUTCOME_FAIL);
    simple(org, "2026-03-18T10:00", SMG_EV_COMPLAINT, "a", "k1");
    simple(org, "2026-03-18T11:00", SMG_EV_COMPLAINT, "ld2", "k2");
    money_ev(org, "2026-03-19T10:00", SMG_EV_EXPENSE, "a", NULL, NULL, 12000);
    money_ev(org, "2026-02-19T10:00", SMG_EV_EXPENSE, "a", NULL, NULL, 5000);
    money_ev(org, "2026-03-19T10:00", SMG_EV_EXPENSE, "ld2", NULL, NULL, 3000);

    /* receivables raised by a: R1 1000.00 on 02-15, 300.00 paid 02-20, so
     * 700.00 open on 03-01; 350.00 paid 03-10; R2 300.00 raised 03-12, 100.00
     * of it collected by b on 03-15 (counts for a, the raiser); 50.00 paid
     * in April does not count. a: 450.00 / (700.00 + 300.00) = 0.45 */
    money_ev(org, "2026-02-15T10:00", SMG_EV_RECEIVABLE, "a", "k1", "R1", 100000);
    money_ev(org, "2026-02-20T10:00", SMG_EV_PAYMENT, "a", "k1", "R1", 30000);
    money_ev(org, "2026-03-10T10:00", SMG_EV_PAYMENT, "a", "k1", "R1", 35000);
    money_ev(org, "2026-03-12T10:00", SMG_EV_RECEIVABLE, "a", "k1", "R2", 30000);
    money_ev(org, "2026-03-15T10:00", SMG_EV_PAYMENT, "b", "k1", "R2", 10000);
    money_ev(org, "2026-04-02T10:00", SMG_EV_PAYMENT, "a", "k1", "R1", 5000);

    /* targets: a 3600.00 for 2026-Q1 (1200.00 a month), b 0 for March, g1
     * 2000.00 for March, the company 3000.00 for March */
    assert_int_equal(target_add(org, "member:a", SMG_METRIC_SALES_AMOUNT, "2026-Q1", 360000,
                                NULL), 0);
    assert_int_equal(target_add(org, "member:b", SMG_METRIC_SALES_AMOUNT, "2026-03", 0,
                                NULL), 0);
    assert_int_equal(target_add(org, "team:g1", SMG_METRIC_SALES_AMOUNT, "2026-03", 200000,
                                NULL), 0);
    assert_int_equal(target_add(org, "company", SMG_METRIC_SALES_AMOUNT, "2026-03", 300000,
                                NULL), 0);
    /* another metric is not the sales target */
    assert_int_equal(target_add(org, "member:c", SMG_METRIC_VISITS, "2026-03", 10, NULL), 0);
    if (smg_batch_commit(org) != 0)
        fail_msg("commit: %s", smg_org_errmsg(org));
    return org;
}

/* ---- reading ---- */

/* A period from its text ("2026-03", "2026-Q1", "2026-03-01..2026-03-10"). */
static smg_period period_of(const char *text)
{
    smg_period p;
    if (smg_period_parse(&p, text) != 0)
        fail_msg("bad period %s", text);
    return p;
}

static smg_kpi_report *compute(smg_org *org, const char *period, unsigned by,
                               const char *as)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    o.period = period_of(period);
    o.rows = by;
    o.as_member = as;
    if (smg_kpi_compute(&r, org, &o) != 0)
        fail_msg("kpi %s: %s", period, smg_org_errmsg(org));
    assert_non_null(r);
    return r;
}

/* The subject of row i as text ("member:a", "team:g1", "company"). */
static void subject_text(const smg_org *org, const smg_kpi_report *r, size_t i, char *buf,
                         size_t len)
{
    smg_subject s;
    assert_int_equal(smg_kpi_subject(r, i, &s), 0);
    if (s.kind == SMG_SUBJECT_COMPANY)
        assert_int_equal(s.index, 0);
    assert_true(smg_subject_format(buf, len, org, &s) > 0);
}

static size_t row_of(const smg_org *org, const smg_kpi_report *r, const char *subject)
{
    size_t i;
    char text[96];
    for (i = 0; i < smg_kpi_count(r); i++) {
        subject_text(org, r, i, text, sizeof text);
        if (strcmp(text, subject) == 0)
            return i;
    }
    fail_msg("no row %s", subject);
    return 0;
}

static void expect(const smg_org *org, const smg_kpi_report *r, const char *subject,
                   smg_kpi_field key, double want)
{
    double v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_double(r, row_of(org, r, subject), key, &v, &null), 0);
    if (null)
        fail_msg("%s %s: null, want %g", subject, smg_kpi_field_name(key), want);
    if (fabs(v - want) > 1e-9)
        fail_msg("%s %s: %.12g, want %.12g", subject, smg_kpi_field_name(key), v, want);
}

static void expect_null(const smg_org *org, const smg_kpi_report *r, const char *subject,
                        smg_kpi_field key)
{
    double v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_double(r, row_of(org, r, subject), key, &v, &null), 0);
    if (!null)
        fail_msg("%s %s: %g, want null", subject, smg_kpi_field_name(key), v);
    assert_true(v == 0); /* never NaN or infinity */
}

/* The days of a range of the report (smg_kpi_report_period()). */
static int report_range(const smg_kpi_report *r, smg_range which, smg_date *from,
                        smg_date *to)
{
    smg_period p;
    int rc = smg_kpi_report_period(r, which, &p);
    if (rc == 0) {
        *from = p.from;
        *to = p.to;
    }
    return rc;
}

/* ---- tests ---- */

static void test_names(void **state)
{
    smg_kpi_field k;
    int i;
    (void)state;
    assert_string_equal(smg_kpi_field_name(SMG_KPI_SALES_AMOUNT), "sales_amount");
    assert_string_equal(smg_kpi_field_name(SMG_KPI_FOLLOWUP_ONTIME_RATE), "followup_ontime_rate");
    assert_string_equal(smg_kpi_field_name(SMG_KPI_REFUND_AMOUNT), "refund_amount");
    assert_null(smg_kpi_field_name((smg_kpi_field)24));
    assert_null(smg_kpi_field_name((smg_kpi_field)-1));
    for (i = 0; smg_kpi_field_name((smg_kpi_field)i); i++) {
        const char *name = smg_kpi_field_name((smg_kpi_field)i);
        size_t n = strlen(name);
        smg_type t = smg_kpi_field_type((smg_kpi_field)i);
        assert_int_equal(smg_kpi_field_parse(&k, name), 0);
        assert_int_equal((int)k, i);
        /* counts are the *_count keys, money the four amounts, the rest rates */
        if (n > 6 && strcmp(name + n - 6, "_count") == 0)
            assert_int_equal(t, SMG_TYPE_INT);
        else if (n > 7 && strcmp(name + n - 7, "_amount") == 0)
            assert_int_equal(t, SMG_TYPE_MONEY);
        else if (strcmp(name, "gross_profit") == 0)
            assert_int_equal(t, SMG_TYPE_MONEY);
        else
            assert_int_equal(t, SMG_TYPE_DOUBLE);
    }
    assert_int_equal(i, 24); /* every key of RULES.md §5, and refund_amount (§8) */
    assert_int_equal(smg_kpi_field_parse(&k, "close"), SMG_EPARSE);
    assert_int_equal(smg_kpi_field_parse(&k, NULL), SMG_EINVAL);
    assert_int_equal(smg_kpi_field_parse(NULL, "close_rate"), SMG_EINVAL);
    assert_int_equal(smg_kpi_field_type(SMG_KPI_TARGET_AMOUNT), SMG_TYPE_MONEY);
    assert_int_equal(smg_kpi_field_type(SMG_KPI_EXPENSE_AMOUNT), SMG_TYPE_MONEY);
    assert_int_equal(smg_kpi_field_type(SMG_KPI_EXPENSE_RATE), SMG_TYPE_DOUBLE);
    assert_int_equal(smg_kpi_field_type(SMG_KPI_DEAL_COUNT), SMG_TYPE_INT);
    assert_int_equal(smg_kpi_field_type(SMG_KPI_REFUND_AMOUNT), SMG_TYPE_MONEY);
    assert_int_equal(smg_kpi_field_type((smg_kpi_field)24), 0);
    assert_int_equal(smg_kpi_field_type((smg_kpi_field)-1), 0);
}

/* Member a, March 2026: every KPI. */
static void test_member_month(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r = compute(org, "2026-03", SMG_ROWS_ALL, NULL);
    smg_money m;
    int null;
    (void)state;
    expect(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 120000);  /* D5 */
    expect(org, r, "member:a", SMG_KPI_DEAL_COUNT, 1);
    expect(org, r, "member:a", SMG_KPI_GROSS_PROFIT, 50000);   /* 1200 − 700 */
    expect(org, r, "member:a", SMG_KPI_TARGET_AMOUNT, 120000); /* 3600 / 3 */
    expect(org, r, "member:a", SMG_KPI_COMPLETION_RATE, 1.0);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 0.5);       /* (1200 − 800) / 800 */
    expect(org, r, "member:a", SMG_KPI_GROWTH_POP, 0.0);       /* Feb: D1 + D4 = 1200 */
    expect(org, r, "member:a", SMG_KPI_PRICE_RETENTION_RATE, 0.8); /* 1200 / 1500 */
    expect(org, r, "member:a", SMG_KPI_EXPENSE_AMOUNT, 12000);
    expect(org, r, "member:a", SMG_KPI_EXPENSE_RATE, 0.1);     /* 120 / 1200 */
    expect(org, r, "member:a", SMG_KPI_COLLECTION_RATE, 0.45);
    expect(org, r, "member:a", SMG_KPI_VISIT_COUNT, 3);
    expect(org, r, "member:a", SMG_KPI_VISIT_SUCCESS_RATE, 2.0 / 3);
    expect(org, r, "member:a", SMG_KPI_COMPLAINT_COUNT, 1);
    expect(org, r, "member:a", SMG_KPI_COMPLAINT_RATE, 1.0);
    expect(org, r, "member:a", SMG_KPI_NEW_CUSTOMER_COUNT, 0); /* k1's first deal: D1 */
    expect(org, r, "member:a", SMG_KPI_RETENTION_RATE, 0.5);   /* {k1,k3} → {k1} */
    expect(org, r, "member:a", SMG_KPI_LOST_CUSTOMER_COUNT, 1);/* k3 */
    expect(org, r, "member:a", SMG_KPI_RECEPTION_COUNT, 4);    /* the duty one not */
    expect(org, r, "member:a", SMG_KPI_REGISTRATION_RATE, 0.5);/* 2 accepted / 4 */
    expect(org, r, "member:a", SMG_KPI_DEMO_RATE, 0.25);
    expect(org, r, "member:a", SMG_KPI_CLOSE_RATE, 0.25);
    expect(org, r, "member:a", SMG_KPI_FOLLOWUP_ONTIME_RATE, 0.5); /* k8 yes, k9 late */

    /* exact money */
    assert_int_equal(smg_kpi_int(r, row_of(org, r, "member:a"), SMG_KPI_GROSS_PROFIT, &m,
                                 &null), 0);
    assert_int_equal(m, 50000);
    assert_int_equal(null, 0);
    assert_int_equal(smg_kpi_int(r, row_of(org, r, "member:a"), SMG_KPI_CLOSE_RATE, &m,
                                 &null), SMG_EINVAL);
    assert_int_equal(smg_kpi_int(r, 999, SMG_KPI_SALES_AMOUNT, &m, &null), SMG_EINVAL);
    /* exact counts */
    assert_int_equal(smg_kpi_int(r, row_of(org, r, "member:a"), SMG_KPI_RECEPTION_COUNT, &m,
                                 &null), 0);
    assert_int_equal(m, 4);

    /* other members */
    expect(org, r, "member:b", SMG_KPI_SALES_AMOUNT, 60000);
    expect(org, r, "member:b", SMG_KPI_GROWTH_POP, 0.2);       /* (600 − 500) / 500 */
    expect(org, r, "member:b", SMG_KPI_RETENTION_RATE, 1.0);   /* {k2} → {k2} */
    expect(org, r, "member:b", SMG_KPI_LOST_CUSTOMER_COUNT, 0);
    expect(org, r, "member:b", SMG_KPI_COMPLAINT_RATE, 0.0);   /* 0 / 1 deal: 0, not null */
    expect(org, r, "member:b", SMG_KPI_TARGET_AMOUNT, 0);      /* a zero target is a target */
    expect(org, r, "member:c", SMG_KPI_SALES_AMOUNT, 10000);
    expect(org, r, "member:c", SMG_KPI_GROWTH_POP, -2.0 / 3);  /* (100 − 300) / 300 */
    expect(org, r, "member:c", SMG_KPI_RETENTION_RATE, 0.0);   /* {k2} → {fam} */
    expect(org, r, "member:c", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    expect(org, r, "member:c", SMG_KPI_NEW_CUSTOMER_COUNT, 0); /* fam's first deal was D7 */
    expect(org, r, "member:w", SMG_KPI_NEW_CUSTOMER_COUNT, 1); /* fam */
    expect(org, r, "member:w", SMG_KPI_GROSS_PROFIT, 30000);
    expect(org, r, "member:w", SMG_KPI_PRICE_RETENTION_RATE, 1.0);
    expect(org, r, "member:ld1", SMG_KPI_NEW_CUSTOMER_COUNT, 0); /* k4 had D0 in 2025 */
    expect(org, r, "member:ld2", SMG_KPI_COMPLAINT_COUNT, 1);
    expect(org, r, "member:ld2", SMG_KPI_EXPENSE_AMOUNT, 3000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* Every zero denominator is null, never 0, NaN or infinity. */
static void test_nulls(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r = compute(org, "2026-03", SMG_ROWS_ALL, NULL);
    smg_money m = -1;
    int null = 0;
    size_t i;
    (void)state;
    expect_null(org, r, "member:b", SMG_KPI_COMPLETION_RATE);   /* target 0 */
    expect_null(org, r, "member:b", SMG_KPI_GROWTH_YOY);        /* nothing a year earlier */
    expect_null(org, r, "member:b", SMG_KPI_PRICE_RETENTION_RATE); /* no list amount */
    expect_null(org, r, "member:b", SMG_KPI_COLLECTION_RATE);   /* nothing raised or open */
    expect_null(org, r, "member:b", SMG_KPI_VISIT_SUCCESS_RATE);
    expect_null(org, r, "member:b", SMG_KPI_REGISTRATION_RATE); /* no reception */
    expect_null(org, r, "member:b", SMG_KPI_DEMO_RATE);
    expect_null(org, r, "member:b", SMG_KPI_CLOSE_RATE);
    expect_null(org, r, "member:b", SMG_KPI_FOLLOWUP_ONTIME_RATE); /* the collision is no registration */
    expect_null(org, r, "member:w", SMG_KPI_GROWTH_POP);
    expect_null(org, r, "member:w", SMG_KPI_RETENTION_RATE);
    expect(org, r, "member:w", SMG_KPI_LOST_CUSTOMER_COUNT, 0);
    expect_null(org, r, "member:ld2", SMG_KPI_COMPLAINT_RATE);  /* a complaint, no deal */
    expect_null(org, r, "member:ld2", SMG_KPI_EXPENSE_RATE);    /* expenses, no sales */
    expect_null(org, r, "member:c", SMG_KPI_TARGET_AMOUNT);     /* only a visits target */
    assert_int_equal(smg_kpi_int(r, row_of(org, r, "member:c"), SMG_KPI_TARGET_AMOUNT, &m,
                                 &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(m, 0);
    /* dir did nothing: every rate null, every count 0 */
    for (i = 0; smg_kpi_field_name((smg_kpi_field)i); i++) {
        double v;
        assert_int_equal(smg_kpi_double(r, row_of(org, r, "member:dir"), (smg_kpi_field)i, &v, &null), 0);
        assert_true(v == 0);
        assert_true(isfinite(v));
    }
    expect_null(org, r, "member:dir", SMG_KPI_CLOSE_RATE);
    expect(org, r, "member:dir", SMG_KPI_DEAL_COUNT, 0);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* Teams over three levels: sums, recomputed rates, distinct keys. */
static void test_teams(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r = compute(org, "2026-03", SMG_ROWS_TEAMS, NULL);
    (void)state;
    assert_int_equal(smg_kpi_count(r), 6); /* 5 teams and the company */
    /* g1 = ld1 + a + b: 50 + 1200 + 600 */
    expect(org, r, "team:g1", SMG_KPI_SALES_AMOUNT, 185000);
    expect(org, r, "team:g1", SMG_KPI_DEAL_COUNT, 3);
    expect(org, r, "team:g1", SMG_KPI_TARGET_AMOUNT, 200000);   /* its own */
    expect(org, r, "team:g1", SMG_KPI_COMPLETION_RATE, 0.925);
    /* previous keys {k1,k3 (a), k2 (b)}, current {k1 (a), k2 (b), k4 (ld1)} */
    expect(org, r, "team:g1", SMG_KPI_RETENTION_RATE, 2.0 / 3);
    expect(org, r, "team:g1", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    /* price retention recomputed: (1200) / (1500), b and ld1 have no list */
    expect(org, r, "team:g1", SMG_KPI_PRICE_RETENTION_RATE, 0.8);
    /* complaints / deals: 1 / 3, not the mean of 1.0 and 0.0 */
    expect(org, r, "team:g1", SMG_KPI_COMPLAINT_RATE, 1.0 / 3);
    /* growth: (1850 − 1700) / 1700 */
    expect(org, r, "team:g1", SMG_KPI_GROWTH_POP, (185000.0 - 170000) / 170000);
    expect(org, r, "team:g1", SMG_KPI_COLLECTION_RATE, 0.45);
    /* g2 = ld2 + c */
    expect(org, r, "team:g2", SMG_KPI_SALES_AMOUNT, 10000);
    expect(org, r, "team:g2", SMG_KPI_RETENTION_RATE, 0.0);
    expect(org, r, "team:g2", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    expect_null(org, r, "team:g2", SMG_KPI_TARGET_AMOUNT);
    expect(org, r, "team:g2", SMG_KPI_COMPLAINT_RATE, 1.0);      /* ld2's complaint, c's deal */
    /* east = mgr + g1 + g2. Previous keys: k1, k3 (a), k2 (b and c): 3,
     * not 2 + 1 + 1; current: k1, k2, k4, fam. k2 is kept (b) although c lost
     * it: lost = {k3} = 1, not a's 1 + c's 1. */
    expect(org, r, "team:east", SMG_KPI_SALES_AMOUNT, 195000);
    expect(org, r, "team:east", SMG_KPI_RETENTION_RATE, 2.0 / 3);
    expect(org, r, "team:east", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    expect(org, r, "team:east", SMG_KPI_TARGET_AMOUNT, 200000); /* none of its own: g1's */
    expect(org, r, "team:east", SMG_KPI_GROWTH_YOY, (195000.0 - 80000) / 80000);
    /* west = w + nolead */
    expect(org, r, "team:west", SMG_KPI_NEW_CUSTOMER_COUNT, 1);
    expect_null(org, r, "team:west", SMG_KPI_RETENTION_RATE);
    expect_null(org, r, "team:west", SMG_KPI_TARGET_AMOUNT);
    /* co = everything credited to members */
    expect(org, r, "team:co", SMG_KPI_SALES_AMOUNT, 235000);
    expect(org, r, "team:co", SMG_KPI_DEAL_COUNT, 5);
    expect(org, r, "team:co", SMG_KPI_NEW_CUSTOMER_COUNT, 1);
    expect(org, r, "team:co", SMG_KPI_RETENTION_RATE, 2.0 / 3);
    expect(org, r, "team:co", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    expect(org, r, "team:co", SMG_KPI_TARGET_AMOUNT, 200000);
    expect(org, r, "team:co", SMG_KPI_RECEPTION_COUNT, 4);
    expect(org, r, "team:co", SMG_KPI_CLOSE_RATE, 5.0 / 4);
    /* the company adds D10 (the company's own; k7's first deal) and its own target */
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 242000);
    expect(org, r, "company", SMG_KPI_DEAL_COUNT, 6);
    expect(org, r, "company", SMG_KPI_NEW_CUSTOMER_COUNT, 2);
    expect(org, r, "company", SMG_KPI_TARGET_AMOUNT, 300000);
    expect(org, r, "company", SMG_KPI_RETENTION_RATE, 2.0 / 3);
    expect(org, r, "company", SMG_KPI_GROWTH_POP, (242000.0 - 200000) / 200000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* The same member over other periods. */
static void test_periods(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r;
    smg_date f, t, want;
    (void)state;
    /* 10 days 03-01..03-10: the previous period is 02-19..02-28 */
    r = compute(org, "2026-03-01..2026-03-10", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(report_range(r, SMG_RANGE_PREVIOUS, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2026-02-19"), 0);
    assert_int_equal(f, want);
    assert_int_equal(smg_date_parse(&want, "2026-02-28"), 0);
    assert_int_equal(t, want);
    assert_int_equal(report_range(r, SMG_RANGE_YEAR_EARLIER, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2025-03-01"), 0);
    assert_int_equal(f, want);
    assert_int_equal(smg_date_parse(&want, "2025-03-10"), 0);
    assert_int_equal(t, want);
    /* a: D5 1200 against D4 200 (02-25; D1 on 02-05 is before the range) */
    expect(org, r, "member:a", SMG_KPI_GROWTH_POP, 5.0);
    expect(org, r, "member:a", SMG_KPI_RETENTION_RATE, 0.0); /* {k3} → {k1} */
    expect(org, r, "member:a", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 0.5);    /* D0 on 2025-03-10 */
    /* the target of 10 days of March, by working days (Mon–Fri): March 2026
     * has 22 (it starts on a Sunday); 120000 / 22 = 5454 a day with 12 units
     * left over, which go one each to the first 12 working days (equal
     * remainders: earlier first). 03-01..03-10 holds the first 7 working
     * days: 7 × 5455 = 38185 */
    expect(org, r, "member:a", SMG_KPI_TARGET_AMOUNT, 38185);
    /* c: D3 (02-20) in the previous period, nothing now */
    expect(org, r, "member:c", SMG_KPI_GROWTH_POP, -1.0);
    expect(org, r, "member:c", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    /* a's collections: open 700.00 at 03-01, 350.00 paid, nothing raised */
    expect(org, r, "member:a", SMG_KPI_COLLECTION_RATE, 0.5);
    smg_kpi_report_free(r);

    /* February: previous = January (nothing), year earlier = February 2025 */
    r = compute(org, "2026-02", SMG_ROWS_MEMBERS, NULL);
    expect(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 120000);
    expect(org, r, "member:a", SMG_KPI_NEW_CUSTOMER_COUNT, 2);   /* k1, k3 */
    expect(org, r, "member:b", SMG_KPI_NEW_CUSTOMER_COUNT, 1);   /* k2 (D2 before D3) */
    expect(org, r, "member:c", SMG_KPI_NEW_CUSTOMER_COUNT, 0);
    expect_null(org, r, "member:a", SMG_KPI_GROWTH_POP);
    expect_null(org, r, "member:a", SMG_KPI_RETENTION_RATE);
    expect(org, r, "member:a", SMG_KPI_COLLECTION_RATE, 0.3); /* 300 / (0 + 1000) */
    smg_kpi_report_free(r);

    /* quarter: Q1 2026 against Q4 2025 (nothing) and Q1 2025 (D0) */
    r = compute(org, "2026-Q1", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(report_range(r, SMG_RANGE_PREVIOUS, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2025-10-01"), 0);
    assert_int_equal(f, want);
    assert_int_equal(smg_date_parse(&want, "2025-12-31"), 0);
    assert_int_equal(t, want);
    expect(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 240000);    /* D1 + D4 + D5 */
    expect(org, r, "member:a", SMG_KPI_DEAL_COUNT, 3);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 2.0);         /* (2400 − 800) / 800 */
    expect(org, r, "member:a", SMG_KPI_TARGET_AMOUNT, 360000);
    expect(org, r, "member:a", SMG_KPI_NEW_CUSTOMER_COUNT, 2);
    expect_null(org, r, "member:a", SMG_KPI_GROWTH_POP);
    smg_kpi_report_free(r);

    /* year: 2026 against 2025 both ways; k4 was a's in 2025 and ld1's in 2026 */
    r = compute(org, "2026", SMG_ROWS_ALL, NULL);
    expect(org, r, "member:a", SMG_KPI_GROWTH_POP, 2.0);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 2.0);
    expect(org, r, "member:a", SMG_KPI_LOST_CUSTOMER_COUNT, 1);  /* k4 */
    expect(org, r, "member:a", SMG_KPI_RETENTION_RATE, 0.0);
    expect(org, r, "team:g1", SMG_KPI_RETENTION_RATE, 1.0);      /* ld1 kept k4 for g1 */
    expect(org, r, "team:g1", SMG_KPI_LOST_CUSTOMER_COUNT, 0);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* growth_yoy around 29 February. */
static void test_leap_day(void **state)
{
    smg_org *org = NULL;
    smg_kpi_report *r;
    smg_date f, t, want;
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "t", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "a", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "k", "k", "", NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    deal(org, "2027-02-28T12:00", "a", "k", "X", 100, NONE, NONE, NULL);
    deal(org, "2028-02-29T12:00", "a", "k", "Y", 300, NONE, NONE, NULL);
    deal(org, "2029-02-28T12:00", "a", "k", "Z", 600, NONE, NONE, NULL);
    assert_int_equal(smg_batch_commit(org), 0);

    /* the leap February against 2027-02-01..28 */
    r = compute(org, "2028-02", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(report_range(r, SMG_RANGE_YEAR_EARLIER, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2027-02-28"), 0);
    assert_int_equal(t, want);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 2.0);  /* (300 − 100) / 100 */
    smg_kpi_report_free(r);
    /* February 2029 against the whole of February 2028, its 29th included */
    r = compute(org, "2029-02", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(report_range(r, SMG_RANGE_YEAR_EARLIER, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2028-02-29"), 0);
    assert_int_equal(t, want);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 1.0);  /* (600 − 300) / 300 */
    smg_kpi_report_free(r);
    /* the day 2028-02-29 against 2027-02-28 */
    r = compute(org, "2028-02-29..2028-02-29", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(report_range(r, SMG_RANGE_YEAR_EARLIER, &f, &t), 0);
    assert_int_equal(smg_date_parse(&want, "2027-02-28"), 0);
    assert_int_equal(f, want);
    assert_int_equal(t, want);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 2.0);
    smg_kpi_report_free(r);
    /* a range: the same dates, so 2029-02-28 meets 2028-02-28 (nothing) */
    r = compute(org, "2029-02-28..2029-02-28", SMG_ROWS_MEMBERS, NULL);
    expect_null(org, r, "member:a", SMG_KPI_GROWTH_YOY);
    smg_kpi_report_free(r);
    /* the year 2028 (366 days) against 2027 */
    r = compute(org, "2028", SMG_ROWS_MEMBERS, NULL);
    expect(org, r, "member:a", SMG_KPI_GROWTH_YOY, 2.0);
    expect(org, r, "member:a", SMG_KPI_RETENTION_RATE, 1.0);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* A report with a subject given as text ("member:a", "team:g1", "company"):
 * the status of smg_subject_parse() when it refuses the text, else of
 * smg_kpi_compute(). */
static int query(smg_org *org, const char *period, unsigned by, const char *as,
                 const char *subject, smg_kpi_report **r)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_subject s;
    int rc;
    o.period = period_of(period);
    o.rows = by;
    o.as_member = as;
    if (subject) {
        if ((rc = smg_subject_parse(&s, org, subject)))
            return rc;
        o.subject = &s;
    }
    return smg_kpi_compute(r, org, &o);
}

/* rows of a report as "member:a team:g1 ..." */
static void rows_text(const smg_org *org, const smg_kpi_report *r, char *buf, size_t len)
{
    size_t i;
    buf[0] = 0;
    for (i = 0; i < smg_kpi_count(r); i++) {
        smg_subject s;
        assert_int_equal(smg_kpi_subject(r, i, &s), 0);
        if (i)
            strncat(buf, " ", len - strlen(buf) - 1);
        if (s.kind == SMG_SUBJECT_MEMBER) {
            strncat(buf, "member:", len - strlen(buf) - 1);
            strncat(buf, smg_member_id(org, s.index), len - strlen(buf) - 1);
        } else if (s.kind == SMG_SUBJECT_TEAM) {
            strncat(buf, "team:", len - strlen(buf) - 1);
            strncat(buf, smg_team_id(org, s.index), len - strlen(buf) - 1);
        } else {
            assert_int_equal(s.kind, SMG_SUBJECT_COMPANY);
            assert_int_equal(s.index, 0);
            strncat(buf, "company", len - strlen(buf) - 1);
        }
    }
}

static void expect_rows(smg_org *org, const char *as, unsigned by, const char *subject,
                        const char *want)
{
    smg_kpi_report *r = NULL;
    char buf[512];
    if (query(org, "2026-03", by, as, subject, &r) != 0)
        fail_msg("as %s: %s", as ? as : "(full)", smg_org_errmsg(org));
    rows_text(org, r, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("as %s: rows \"%s\", want \"%s\"", as ? as : "(full)", buf, want);
    smg_kpi_report_free(r);
}

static void expect_denied(smg_org *org, const char *as, unsigned by, const char *subject)
{
    smg_kpi_report *r = (smg_kpi_report *)1;
    assert_int_equal(query(org, "2026-03", by, as, subject, &r), SMG_EACCESS);
    assert_null(r);
    assert_true(strlen(smg_org_errmsg(org)) > 0);
}

static void test_visibility(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r = NULL;
    (void)state;
    expect_rows(org, NULL, SMG_ROWS_ALL, NULL,
                "member:dir member:mgr member:ld1 member:a member:b member:ld2 member:c "
                "member:w member:nolead team:co team:east team:g1 team:g2 team:west company");
    /* a rep: their own row, nothing else */
    expect_rows(org, "a", SMG_ROWS_ALL, NULL, "member:a");
    expect_rows(org, "a", SMG_ROWS_MEMBERS, NULL, "member:a");
    expect_rows(org, "a", SMG_ROWS_MEMBERS, "member:a", "member:a");
    expect_denied(org, "a", SMG_ROWS_TEAMS, NULL);
    expect_denied(org, "a", SMG_ROWS_ALL, "member:b");
    expect_denied(org, "a", SMG_ROWS_ALL, "team:g1");
    expect_denied(org, "a", SMG_ROWS_ALL, "company");
    /* a leader: their team's subtree */
    expect_rows(org, "ld1", SMG_ROWS_ALL, NULL, "member:ld1 member:a member:b team:g1");
    expect_rows(org, "ld1", SMG_ROWS_TEAMS, NULL, "team:g1");
    expect_rows(org, "ld1", SMG_ROWS_MEMBERS, "member:b", "member:b");
    expect_denied(org, "ld1", SMG_ROWS_ALL, "member:c");
    expect_denied(org, "ld1", SMG_ROWS_ALL, "team:east");
    expect_denied(org, "ld1", SMG_ROWS_ALL, "team:g2");
    expect_denied(org, "ld1", SMG_ROWS_TEAMS, "company");
    /* a supervisor */
    expect_rows(org, "ld2", SMG_ROWS_ALL, NULL, "member:ld2 member:c team:g2");
    /* a manager: two levels down */
    expect_rows(org, "mgr", SMG_ROWS_ALL, NULL,
                "member:mgr member:ld1 member:a member:b member:ld2 member:c team:east "
                "team:g1 team:g2");
    expect_rows(org, "mgr", SMG_ROWS_ALL, "team:g1", "member:ld1 member:a member:b team:g1");
    expect_denied(org, "mgr", SMG_ROWS_ALL, "member:w");
    /* a director of the root team: every member and team, not the company row */
    expect_rows(org, "dir", SMG_ROWS_TEAMS, NULL, "team:co team:east team:g1 team:g2 team:west");
    expect_denied(org, "dir", SMG_ROWS_TEAMS, "company");
    /* a manager who leads no team: their own row */
    expect_rows(org, "nolead", SMG_ROWS_ALL, NULL, "member:nolead");
    expect_denied(org, "nolead", SMG_ROWS_TEAMS, NULL);
    /* a rep who is named a team's leader is still a rep: their own row */
    assert_int_equal(smg_team_set_leader(org, "west", "w"), 0);
    expect_rows(org, "w", SMG_ROWS_ALL, NULL, "member:w");
    expect_denied(org, "w", SMG_ROWS_TEAMS, NULL);
    expect_denied(org, "w", SMG_ROWS_MEMBERS, "member:nolead");
    /* full rights with a subject */
    expect_rows(org, NULL, SMG_ROWS_TEAMS, "team:east", "team:east team:g1 team:g2");
    expect_rows(org, NULL, SMG_ROWS_MEMBERS, "team:g2", "member:ld2 member:c");
    expect_rows(org, NULL, SMG_ROWS_ALL, "company", "company");
    /* the refusal names who and what */
    expect_denied(org, "a", SMG_ROWS_ALL, "member:b");
    assert_non_null(strstr(smg_org_errmsg(org), "\"a\" (rep)"));
    assert_non_null(strstr(smg_org_errmsg(org), "member:b"));
    /* unknown people and subjects */
    r = (smg_kpi_report *)1;
    assert_int_equal(query(org, "2026-03", SMG_ROWS_ALL, "nobody", NULL, &r), SMG_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "nobody"));
    assert_int_equal(query(org, "2026-03", SMG_ROWS_ALL, NULL, "team:nope", &r),
                     SMG_ENOTFOUND);
    assert_int_equal(query(org, "2026-03", SMG_ROWS_ALL, NULL, "group:g1", &r), SMG_EPARSE);
    {
        /* a subject made by hand that names nobody */
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        smg_subject s;
        o.period = period_of("2026-03");
        o.subject = &s;
        s.kind = SMG_SUBJECT_TEAM;
        s.index = 5; /* five teams: 0..4 */
        r = (smg_kpi_report *)1;
        assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
        assert_null(r);
        assert_non_null(strstr(smg_org_errmsg(org), "subject"));
        s.kind = (smg_subject_kind)7;
        s.index = 0;
        assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
        s.kind = SMG_SUBJECT_MEMBER;
        s.index = 9; /* nine members: 0..8 */
        assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
        s.index = 8; /* nolead */
        assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
        assert_int_equal(smg_kpi_count(r), 1);
        smg_kpi_report_free(r);
    }
    r = NULL;
    /* the figures a leader sees are the same figures */
    assert_int_equal(query(org, "2026-03", SMG_ROWS_ALL, "ld1", NULL, &r), 0);
    expect(org, r, "team:g1", SMG_KPI_SALES_AMOUNT, 185000);
    expect(org, r, "member:a", SMG_KPI_COLLECTION_RATE, 0.45);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

static void test_errors(void **state)
{
    smg_org *org = fixture();
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    double v = 42;
    smg_subject s;
    smg_period p;
    (void)state;
    assert_int_equal(smg_kpi_compute(&r, NULL, &o), SMG_EINVAL);
    assert_int_equal(smg_kpi_compute(NULL, org, &o), SMG_EINVAL);
    r = (smg_kpi_report *)1;
    assert_int_equal(smg_kpi_compute(&r, org, NULL), SMG_EINVAL); /* no period */
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "period is required"));
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL); /* no period */
    assert_non_null(strstr(smg_org_errmsg(org), "period is required"));
    /* periods made by hand are checked */
    o.period = period_of("2026-03");
    o.period.to--; /* not the whole month */
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "not a valid period"));
    o.period = period_of("2026-03-10..2026-03-10");
    o.period.to = o.period.from - 9; /* its end before its start */
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
    o.period.kind = (smg_period_kind)9;
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
    assert_null(r);
    /* a week is a period like the others */
    o.period = period_of("2026-W10");
    assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
    smg_kpi_report_free(r);
    o.period = period_of("2026-03");
    o.rows = 0;
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
    o.rows = 4;
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EINVAL);
    o.rows = SMG_ROWS_ALL;
    o.version = 99;
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EVERSION);
    o.version = 0;
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_EVERSION);
    assert_null(r);
    assert_int_equal(smg_kpi_options_init(&o, 99), SMG_EVERSION);
    assert_int_equal(smg_kpi_options_init(&o, 0), SMG_EVERSION);
    assert_int_equal(smg_kpi_options_init(NULL, SMG_KPI_OPTIONS_VERSION), SMG_EINVAL);
    memset(&o, 0xAB, sizeof o);
    assert_int_equal(smg_kpi_options_init(&o, SMG_KPI_OPTIONS_VERSION), 0);
    assert_int_equal(o.version, SMG_KPI_OPTIONS_VERSION);
    assert_int_equal(o.rows, SMG_ROWS_ALL);
    assert_int_equal(o.period.kind, 0);
    assert_null(o.as_member);
    assert_null(o.attribution);
    assert_null(o.subject);
    assert_null(o.index);
    o.period = period_of("2026-03");
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_kpi_compute(&r, org, &o), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
    assert_int_equal(smg_kpi_double(r, 0, (smg_kpi_field)24, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_kpi_double(r, smg_kpi_count(r), SMG_KPI_SALES_AMOUNT, &v, NULL),
                     SMG_EINVAL);
    assert_true(v == 42);
    s.kind = (smg_subject_kind)0;
    assert_int_equal(smg_kpi_subject(r, smg_kpi_count(r), &s), SMG_EINVAL);
    assert_int_equal(smg_kpi_subject(NULL, 0, &s), SMG_EINVAL);
    assert_int_equal(smg_kpi_subject(r, 0, NULL), SMG_EINVAL);
    assert_int_equal(s.kind, 0);
    assert_int_equal(smg_kpi_report_period(r, (smg_range)3, &p), SMG_EINVAL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PERIOD, NULL), SMG_EINVAL);
    assert_int_equal(smg_kpi_report_period(NULL, SMG_RANGE_PERIOD, &p), SMG_EINVAL);
    assert_int_equal(smg_kpi_count(NULL), 0);
    smg_kpi_report_free(r);
    smg_kpi_report_free(NULL);
    smg_org_free(org);
}

/* A caller's attribution result gives the same figures; an outdated one
 * is refused; one run "until" a moment counts only the deals before it. */
static void test_given_attribution(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = NULL;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    (void)state;
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    q.period = period_of("2026-03");
    q.attribution = a;
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    expect(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 120000);
    expect(org, r, "member:a", SMG_KPI_FOLLOWUP_ONTIME_RATE, 0.5);
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 242000);
    smg_kpi_report_free(r);
    smg_attribution_free(a);

    /* as of 2026-03-15: D8, D9 and D10 (and the override) come later */
    assert_int_equal(smg_time_parse(&ao.until, "2026-03-15T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    q.attribution = a;
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 220000); /* D5 + D6 + D7 */
    expect(org, r, "member:c", SMG_KPI_DEAL_COUNT, 0);
    smg_kpi_report_free(r);

    /* the org changes: the result is out of date */
    simple(org, "2026-03-30T10:00", SMG_EV_FOLLOWUP, "a", "k1");
    r = (smg_kpi_report *)1;
    assert_int_equal(smg_kpi_compute(&r, org, &q), SMG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Two partitions by attribution key merge into the figures of the whole. */
static smg_org *part_org(int which)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "t", "t", NULL), 0);
    assert_int_equal(smg_team_add(org, "u", "u", "t"), 0);
    assert_int_equal(smg_member_add(org, "a", "a", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "b", "u", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "k1", "k1", "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "k2", "k2", "", NULL), 0);
    assert_int_equal(target_add(org, "member:a", SMG_METRIC_SALES_AMOUNT, "2026-03", 5000,
                                NULL), 0);
    if (which & 1) { /* key k1 */
        deal(org, "2026-02-03T10:00", "a", "k1", "P1", 1000, 1200, 300, NULL);
        deal(org, "2026-03-03T10:00", "a", "k1", "P2", 2000, NONE, NONE, NULL);
        deal(org, "2026-03-20T10:00", "b", "k1", "P3", 500, NONE, NONE, NULL);
        reception(org, "2026-03-01T10:00", "a", "k1", 0);
        simple(org, "2026-03-01T10:05", SMG_EV_REGISTER, "b", "k1");
        money_ev(org, "2026-03-05T10:00", SMG_EV_EXPENSE, "a", NULL, NULL, 700);
    }
    if (which & 2) { /* key k2 */
        deal(org, "2026-02-04T10:00", "b", "k2", "Q1", 4000, NONE, NONE, NULL);
        deal(org, "2026-03-25T10:00", "a", "k2", "Q2", 100, 100, NONE, NULL);
        reception(org, "2026-03-02T10:00", "b", "k2", 0);
        simple(org, "2026-03-02T10:05", SMG_EV_REGISTER, "b", "k2");
        simple(org, "2026-03-03T10:05", SMG_EV_FOLLOWUP, "b", "k2");
        money_ev(org, "2026-03-05T10:00", SMG_EV_RECEIVABLE, "b", "k2", "R", 900);
        money_ev(org, "2026-03-06T10:00", SMG_EV_PAYMENT, "a", "k2", "R", 300);
    }
    if (smg_batch_commit(org) != 0)
        fail_msg("commit: %s", smg_org_errmsg(org));
    return org;
}

static void test_merge(void **state)
{
    smg_org *o1 = part_org(1), *o2 = part_org(2), *all = part_org(3);
    smg_kpi_report *r1 = compute(o1, "2026-03", SMG_ROWS_ALL, NULL);
    smg_kpi_report *r2 = compute(o2, "2026-03", SMG_ROWS_ALL, NULL);
    smg_kpi_report *ra = compute(all, "2026-03", SMG_ROWS_ALL, NULL);
    smg_kpi_report *other = compute(o2, "2026-02", SMG_ROWS_ALL, NULL);
    size_t i;
    int k;
    (void)state;
    assert_int_equal(smg_kpi_report_merge(r1, other), SMG_EINVAL); /* another period */
    assert_int_equal(smg_kpi_report_merge(r1, r2), 0);
    assert_int_equal(smg_kpi_count(r1), smg_kpi_count(ra));
    for (i = 0; i < smg_kpi_count(ra); i++)
        for (k = 0; smg_kpi_field_name((smg_kpi_field)k); k++) {
            double x, y;
            int nx, ny;
            assert_int_equal(smg_kpi_double(r1, i, (smg_kpi_field)k, &x, &nx), 0);
            assert_int_equal(smg_kpi_double(ra, i, (smg_kpi_field)k, &y, &ny), 0);
            if (nx != ny || fabs(x - y) > 1e-12)
                fail_msg("row %zu %s: merged %g/%d, whole %g/%d", i,
                         smg_kpi_field_name((smg_kpi_field)k), x, nx, y, ny);
        }
    /* team t: {k1 (a), k2 (b)} in February; {k1 (a, b), k2 (a)} in March */
    expect(all, ra, "team:t", SMG_KPI_RETENTION_RATE, 1.0);
    expect(all, ra, "member:b", SMG_KPI_RETENTION_RATE, 0.0);
    expect(all, ra, "team:t", SMG_KPI_TARGET_AMOUNT, 5000);
    smg_kpi_report_free(r1);
    smg_kpi_report_free(r2);
    smg_kpi_report_free(ra);
    smg_kpi_report_free(other);
    smg_org_free(o1);
    smg_org_free(o2);
    smg_org_free(all);
}


/* Many periods in one pass give exactly the reports of one pass each —
 * consecutive months, overlapping periods, a period after every event. */
/* Two reports of one period hold the same rows, ranges and figures. */
static void same_reports(const smg_kpi_report *x, const smg_kpi_report *y, const char *period,
                         const char *xname, const char *yname)
{
    smg_period px, py;
    size_t i;
    int k;
    assert_int_equal(smg_kpi_count(x), smg_kpi_count(y));
    for (k = 0; k < 3; k++) {
        assert_int_equal(smg_kpi_report_period(x, (smg_range)k, &px), 0);
        assert_int_equal(smg_kpi_report_period(y, (smg_range)k, &py), 0);
        assert_int_equal(px.kind, py.kind);
        assert_int_equal(px.from, py.from);
        assert_int_equal(px.to, py.to);
    }
    for (i = 0; i < smg_kpi_count(x); i++) {
        smg_subject sx, sy;
        assert_int_equal(smg_kpi_subject(x, i, &sx), 0);
        assert_int_equal(smg_kpi_subject(y, i, &sy), 0);
        assert_int_equal(sx.kind, sy.kind);
        assert_int_equal(sx.index, sy.index);
        for (k = 0; smg_kpi_field_name((smg_kpi_field)k); k++) {
            double a, b;
            int na, nb;
            assert_int_equal(smg_kpi_double(x, i, (smg_kpi_field)k, &a, &na), 0);
            assert_int_equal(smg_kpi_double(y, i, (smg_kpi_field)k, &b, &nb), 0);
            if (na != nb || a != b)
                fail_msg("%s row %zu %s: %s %g/%d, %s %g/%d", period, i,
                         smg_kpi_field_name((smg_kpi_field)k), xname, a, na, yname, b, nb);
        }
    }
}

/* Periods from their texts. */
static void periods_of(const char *const *texts, size_t n, smg_period *out)
{
    size_t i;
    for (i = 0; i < n; i++)
        out[i] = period_of(texts[i]);
}

static void test_many(void **state)
{
    static const char *const periods[] = {
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-Q1", "2026", "2025",
        "2026-02-20..2026-03-12", "2026-03-01..2026-03-01", "2024-06", "2027-01",
        "2025-03-10..2026-03-10",
    };
    enum { NP = sizeof periods / sizeof *periods };
    const size_t np = NP;
    smg_org *org = fixture();
    smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *many[12];
    smg_period ps[NP], bad[2];
    size_t p;
    (void)state;
    periods_of(periods, np, ps);
    bad[0] = period_of("2026-03");
    bad[1] = period_of("2026-04");
    bad[1].from++; /* made by hand: not a month */
    assert_int_equal(smg_kpi_compute_many(many, org, &q, ps, np), 0);
    for (p = 0; p < np; p++) {
        smg_kpi_report *one = compute(org, periods[p], SMG_ROWS_ALL, NULL);
        same_reports(one, many[p], periods[p], "alone", "with others");
        smg_kpi_report_free(one);
        smg_kpi_report_free(many[p]);
    }
    /* spot checks against the hand-worked figures */
    assert_int_equal(smg_kpi_compute_many(many, org, &q, ps + 2, 1), 0);
    expect(org, many[0], "member:a", SMG_KPI_COLLECTION_RATE, 0.45);
    expect(org, many[0], "team:east", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    smg_kpi_report_free(many[0]);
    /* a period after every event: receivables still open count */
    assert_int_equal(smg_kpi_compute_many(many, org, &q, ps + 10, 1), 0);
    expect(org, many[0], "member:a", SMG_KPI_COLLECTION_RATE, 0.0); /* 0 / (1300 − 800) */
    smg_kpi_report_free(many[0]);
    /* one bad period fails the lot */
    many[0] = many[1] = (smg_kpi_report *)1;
    assert_int_equal(smg_kpi_compute_many(many, org, &q, bad, 2), SMG_EINVAL);
    assert_null(many[0]);
    assert_null(many[1]);
    assert_non_null(strstr(smg_org_errmsg(org), "period 1 "));
    assert_int_equal(smg_kpi_compute_many(many, org, &q, bad, 0), SMG_EINVAL);
    assert_int_equal(smg_kpi_compute_many(many, org, &q, NULL, 1), SMG_EINVAL);
    assert_int_equal(smg_kpi_compute_many(NULL, org, &q, bad, 1), SMG_EINVAL);
    /* the options' own period is ignored; NULL options are the defaults */
    q.period.kind = (smg_period_kind)9;
    assert_int_equal(smg_kpi_compute_many(many, org, &q, ps + 2, 1), 0);
    expect(org, many[0], "member:a", SMG_KPI_SALES_AMOUNT, 120000);
    smg_kpi_report_free(many[0]);
    assert_int_equal(smg_kpi_compute_many(many, org, NULL, ps + 2, 1), 0);
    expect(org, many[0], "company", SMG_KPI_SALES_AMOUNT, 242000);
    smg_kpi_report_free(many[0]);
    q.version = 2;
    assert_int_equal(smg_kpi_compute_many(many, org, &q, ps + 2, 1), SMG_EVERSION);
    smg_org_free(org);
}

/* The month index gives the figures of the pass over the log, for whole
 * months, quarters and years (read from it) and other periods (read from
 * the log with the index's attribution); it goes out of date with the org. */
static void test_index(void **state)
{
    static const char *const periods[] = {
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-Q1", "2026-Q2", "2026-Q3",
        "2027", "2026",
        "2025", "2025-03", "2025-02", "2024-06", "2027-01", "2026-02-20..2026-03-12",
        "2026-03-01..2026-03-31", "2025-03-10..2026-03-10",
    };
    enum { NP = sizeof periods / sizeof *periods };
    smg_org *org = fixture();
    smg_attribution *a = NULL, *other = NULL;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_kpi_index *ix = NULL;
    smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
    smg_kpi_options q = SMG_KPI_OPTIONS_INIT, plain = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *with[NP], *r = NULL, *r2 = NULL;
    smg_period ps[NP];
    char text[32];
    size_t p;
    (void)state;
    periods_of(periods, NP, ps);

    /* built with its own attribution run (no options: the defaults) */
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), 0);
    q.index = ix;
    assert_int_equal(smg_kpi_compute_many(with, org, &q, ps, NP), 0);
    for (p = 0; p < NP; p++) {
        smg_kpi_report *one = compute(org, periods[p], SMG_ROWS_ALL, NULL);
        same_reports(one, with[p], periods[p], "log", "index");
        smg_kpi_report_free(one);
        smg_kpi_report_free(with[p]);
    }
    /* the hand-worked figures, through the index */
    q.period = period_of("2026-03");
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    expect(org, r, "member:a", SMG_KPI_SALES_AMOUNT, 120000);
    expect(org, r, "member:a", SMG_KPI_COLLECTION_RATE, 0.45);
    expect(org, r, "team:east", SMG_KPI_LOST_CUSTOMER_COUNT, 1);
    smg_kpi_report_free(r);
    /* a scoped query */
    q.as_member = plain.as_member = "ld1";
    q.rows = plain.rows = SMG_ROWS_MEMBERS;
    plain.period = period_of("2026-Q1");
    q.period = period_of("2026-Q1");
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    assert_int_equal(smg_kpi_compute(&r2, org, &plain), 0);
    same_reports(r2, r, "2026-Q1 as ld1", "log", "index");
    smg_kpi_report_free(r);
    smg_kpi_report_free(r2);
    q.as_member = NULL;
    q.rows = SMG_ROWS_ALL;
    /* another attribution result than the index's: refused */
    assert_int_equal(smg_attribution_compute(&other, org, NULL), 0);
    q.attribution = other;
    r = (smg_kpi_report *)1;
    assert_int_equal(smg_kpi_compute(&r, org, &q), SMG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "index"));
    q.attribution = NULL;
    smg_attribution_free(other);
    smg_kpi_index_free(ix);

    /* built from a given result: as of 2026-03-15, D8–D10 are not credited */
    assert_int_equal(smg_time_parse(&ao.until, "2026-03-15T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    io.attribution = a;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), 0);
    q.index = ix;
    q.attribution = a; /* the same result: accepted */
    q.period = period_of("2026-03");
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 220000);
    smg_kpi_report_free(r);
    q.period = period_of("2026-03-01..2026-03-20"); /* from the log, with the index's result */
    plain.as_member = NULL;
    plain.rows = SMG_ROWS_ALL;
    plain.attribution = a;
    plain.period = q.period;
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    assert_int_equal(smg_kpi_compute(&r2, org, &plain), 0);
    assert_true(smg_period_format(text, sizeof text, &q.period) > 0);
    same_reports(r2, r, text, "log", "index");
    smg_kpi_report_free(r);
    smg_kpi_report_free(r2);

    /* the org changes: the index is out of date */
    simple(org, "2026-03-30T10:00", SMG_EV_FOLLOWUP, "a", "k1");
    q.attribution = NULL;
    r = (smg_kpi_report *)1;
    assert_int_equal(smg_kpi_compute(&r, org, &q), SMG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "index is out of date"));
    smg_kpi_index_free(ix);
    /* and so is its attribution result */
    ix = (smg_kpi_index *)1;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), SMG_EINVAL);
    assert_null(ix);
    assert_non_null(strstr(smg_org_errmsg(org), "attribution"));
    smg_attribution_free(a);

    /* bad calls */
    ix = (smg_kpi_index *)1;
    assert_int_equal(smg_kpi_index_build(&ix, NULL, NULL), SMG_EINVAL);
    assert_null(ix);
    assert_int_equal(smg_kpi_index_build(NULL, org, NULL), SMG_EINVAL);
    assert_int_equal(smg_batch_begin(org), 0);
    ix = (smg_kpi_index *)1;
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), SMG_ESTATE);
    assert_null(ix);
    smg_batch_rollback(org);
    /* the index holds everything: no as_member (visibility is per query) */
    assert_int_equal(smg_kpi_index_options_init(&io, SMG_KPI_INDEX_OPTIONS_VERSION), 0);
    io.as_member = "ld1";
    ix = (smg_kpi_index *)1;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), SMG_EINVAL);
    assert_null(ix);
    assert_non_null(strstr(smg_org_errmsg(org), "as_member"));
    io.as_member = NULL;
    io.version = 2;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), SMG_EVERSION);
    assert_null(ix);
    io.version = 0;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), SMG_EVERSION);
    assert_int_equal(smg_kpi_index_options_init(&io, 2), SMG_EVERSION);
    assert_int_equal(smg_kpi_index_options_init(&io, 0), SMG_EVERSION);
    assert_int_equal(smg_kpi_index_options_init(NULL, 1), SMG_EINVAL);
    memset(&io, 0xAB, sizeof io);
    assert_int_equal(smg_kpi_index_options_init(&io, SMG_KPI_INDEX_OPTIONS_VERSION), 0);
    assert_int_equal(io.version, SMG_KPI_INDEX_OPTIONS_VERSION);
    assert_null(io.as_member);
    assert_null(io.attribution);
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), 0);
    smg_kpi_index_free(ix);
    smg_kpi_index_free(NULL);
    smg_org_free(org);

    /* a sparse log: 600 members, two events 200 years apart — refused
     * (2,400 months × 601 counter blocks), and built with one member */
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "组", NULL), 0);
    {
        char id[16];
        int m;
        for (m = 0; m < 600; m++) {
            snprintf(id, sizeof id, "m%03d", m);
            assert_int_equal(smg_member_add(org, id, "x", "t", SMG_ROLE_REP), 0);
        }
    }
    simple(org, "1826-03-02T10:00", SMG_EV_SIGNIN, "m001", NULL);
    simple(org, "2026-03-02T10:00", SMG_EV_SIGNIN, "m001", NULL);
    ix = (smg_kpi_index *)1;
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), SMG_ERANGE);
    assert_null(ix);
    assert_non_null(strstr(smg_org_errmsg(org), "too sparse"));
    smg_org_free(org);
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m001", "x", "t", SMG_ROLE_REP), 0);
    simple(org, "1826-03-02T10:00", SMG_EV_SIGNIN, "m001", NULL);
    simple(org, "2026-03-02T10:00", SMG_EV_SIGNIN, "m001", NULL);
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), 0);
    smg_kpi_index_free(ix);
    smg_org_free(org);

    /* an empty org */
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), 0);
    q.index = ix;
    q.period = period_of("2026");
    assert_int_equal(smg_kpi_compute(&r, org, &q), 0);
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 0);
    expect_null(org, r, "company", SMG_KPI_CLOSE_RATE);
    smg_kpi_report_free(r);
    smg_kpi_index_free(ix);
    smg_org_free(org);
}

/* On the bundled sample (examples/data: 10,000 events, 12 members, keys
 * shared across members and teams), the month index gives the log's
 * figures for every month, quarter and year it spans and a little beyond,
 * with full rights and as a team leader. */
static void test_index_on_sample(void **state)
{
    const char *dir = getenv("SMG_SAMPLE_DATA");
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    smg_kpi_index *ix = NULL;
    smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
    smg_kpi_options plain = SMG_KPI_OPTIONS_INIT, q = SMG_KPI_OPTIONS_INIT;
    char text[80][32];
    smg_period periods[80];
    smg_kpi_report *from_log[80], *from_ix[80];
    smg_date first, last;
    size_t np = 0, p, n;
    int y0, y1, y, m, pass;
    (void)state;
    if (!dir)
        skip();
    assert_int_equal(smg_org_new(&org, NULL), 0);
    if (smg_dataset_load(org, dir) != 0)
        fail_msg("%s: %s", dir, smg_org_errmsg(org));
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    io.attribution = a;
    assert_int_equal(smg_kpi_index_build(&ix, org, &io), 0);
    n = smg_attribution_deal_count(a);
    assert_true(n > 100);
    {
        int64_t d0, d1;
        assert_int_equal(smg_attribution_deal_int(a, 0, SMG_DEAL_DAY, &d0, NULL), 0);
        assert_int_equal(smg_attribution_deal_int(a, n - 1, SMG_DEAL_DAY, &d1, NULL), 0);
        first = (smg_date)d0;
        last = (smg_date)d1;
    }
    smg_date_split(first, &y0, NULL, NULL);
    smg_date_split(last, &y1, NULL, NULL);
    for (y = y0 - 1; y <= y1 + 1 && np + 17 <= 80; y++) {
        assert_int_equal(smg_period_year(&periods[np++], y), 0);
        for (m = 1; m <= 4; m++)
            assert_int_equal(smg_period_quarter(&periods[np++], y, m), 0);
        for (m = 1; m <= 12; m++)
            assert_int_equal(smg_period_month(&periods[np++], y, m), 0);
    }
    for (p = 0; p < np; p++)
        assert_true(smg_period_format(text[p], sizeof text[p], &periods[p]) > 0);
    plain.attribution = q.attribution = a;
    q.index = ix;
    for (pass = 0; pass < 2; pass++) {
        /* full rights, then as the leader of the first member's team */
        if (pass == 1) {
            size_t t = 0;
            long leader = -1;
            for (t = 0; t < smg_org_count(org, SMG_COUNT_TEAMS) && leader < 0; t++) {
                size_t l = 0;
                int none = 1;
                if (smg_team_index(org, t, SMG_TEAM_LEADER, &l, &none) == 0 && !none)
                    leader = (long)l;
            }
            if (leader < 0)
                break;
            plain.as_member = q.as_member = smg_member_id(org, (size_t)leader);
        }
        assert_int_equal(smg_kpi_compute_many(from_log, org, &plain, periods, np), 0);
        assert_int_equal(smg_kpi_compute_many(from_ix, org, &q, periods, np), 0);
        for (p = 0; p < np; p++) {
            same_reports(from_log[p], from_ix[p], text[p], "log", "index");
            smg_kpi_report_free(from_log[p]);
            smg_kpi_report_free(from_ix[p]);
        }
    }
    smg_kpi_index_free(ix);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Every KPI through the getters: _int reads the MONEY and INT fields
 * exactly (and _double the same number), refuses the DOUBLE ones; _double
 * reads every field; a bad row, an unknown field, NULLs are SMG_EINVAL and
 * leave the output as it was; a null reads as is_null = 1 and 0. */
static void test_getters(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r = compute(org, "2026-03", SMG_ROWS_ALL, NULL);
    size_t ra = row_of(org, r, "member:a"), rdir = row_of(org, r, "member:dir");
    size_t n = smg_kpi_count(r);
    int f, nint = 0, ndouble = 0, nnull = 0;
    (void)state;
    for (f = 0; smg_kpi_field_name((smg_kpi_field)f); f++) {
        smg_kpi_field k = (smg_kpi_field)f;
        smg_type t = smg_kpi_field_type(k);
        int64_t iv = 777;
        double dv = 777, dv2 = 777;
        int null = 7;
        if (t == SMG_TYPE_MONEY || t == SMG_TYPE_INT) {
            nint++;
            assert_int_equal(smg_kpi_int(r, ra, k, &iv, &null), 0);
            assert_int_equal(null, 0); /* a has every money and count figure */
            assert_int_equal(smg_kpi_double(r, ra, k, &dv, &null), 0);
            assert_true(dv == (double)iv);
            assert_int_equal(smg_kpi_int(r, ra, k, &iv, NULL), 0); /* is_null may be NULL */
        } else {
            assert_int_equal(t, SMG_TYPE_DOUBLE);
            ndouble++;
            assert_int_equal(smg_kpi_int(r, ra, k, &iv, &null), SMG_EINVAL);
            assert_int_equal(iv, 777);
            assert_int_equal(null, 7);
            assert_int_equal(smg_kpi_double(r, ra, k, &dv, &null), 0);
        }
        /* dir did nothing: the rates and the target are null, as 0 */
        dv2 = 777;
        null = 7;
        assert_int_equal(smg_kpi_double(r, rdir, k, &dv2, &null), 0);
        assert_true(null == 0 || null == 1);
        if (null) {
            nnull++;
            assert_true(dv2 == 0);
            if (t != SMG_TYPE_DOUBLE) {
                iv = 777;
                null = 0;
                assert_int_equal(smg_kpi_int(r, rdir, k, &iv, &null), 0);
                assert_int_equal(null, 1);
                assert_int_equal(iv, 0);
            }
        }
        /* a bad row, a NULL report or output: refused, nothing written */
        iv = 777;
        dv = 777;
        null = 7;
        assert_int_equal(smg_kpi_int(r, n, k, &iv, &null), SMG_EINVAL);
        assert_int_equal(smg_kpi_double(r, n, k, &dv, &null), SMG_EINVAL);
        assert_int_equal(smg_kpi_int(NULL, ra, k, &iv, &null), SMG_EINVAL);
        assert_int_equal(smg_kpi_double(NULL, ra, k, &dv, &null), SMG_EINVAL);
        assert_int_equal(smg_kpi_int(r, ra, k, NULL, &null), SMG_EINVAL);
        assert_int_equal(smg_kpi_double(r, ra, k, NULL, &null), SMG_EINVAL);
        assert_int_equal(iv, 777);
        assert_true(dv == 777);
        assert_int_equal(null, 7);
    }
    assert_int_equal(nint, 11);    /* 5 money (refund_amount, §8), 6 counts */
    assert_int_equal(ndouble, 13); /* the rates */
    assert_int_equal(nnull, 14);   /* dir: the 13 rates and the target */
    /* unknown fields */
    {
        int64_t iv = 777;
        double dv = 777;
        assert_int_equal(smg_kpi_int(r, ra, (smg_kpi_field)24, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_kpi_int(r, ra, (smg_kpi_field)-1, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_kpi_double(r, ra, (smg_kpi_field)24, &dv, NULL), SMG_EINVAL);
        assert_int_equal(smg_kpi_double(r, ra, (smg_kpi_field)-1, &dv, NULL), SMG_EINVAL);
        assert_int_equal(iv, 777);
        assert_true(dv == 777);
    }
    /* the exact figures of a */
    {
        int64_t v = 0;
        int null = 1;
        assert_int_equal(smg_kpi_int(r, ra, SMG_KPI_SALES_AMOUNT, &v, &null), 0);
        assert_int_equal(v, 120000);
        assert_int_equal(smg_kpi_int(r, ra, SMG_KPI_TARGET_AMOUNT, &v, &null), 0);
        assert_int_equal(v, 120000);
        assert_int_equal(smg_kpi_int(r, ra, SMG_KPI_EXPENSE_AMOUNT, &v, &null), 0);
        assert_int_equal(v, 12000);
        assert_int_equal(smg_kpi_int(r, ra, SMG_KPI_VISIT_COUNT, &v, &null), 0);
        assert_int_equal(v, 3);
        assert_int_equal(smg_kpi_int(r, ra, SMG_KPI_LOST_CUSTOMER_COUNT, &v, &null), 0);
        assert_int_equal(v, 1);
        assert_int_equal(null, 0);
    }
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* The three ranges of a report as periods, of the kinds they are. */
static void test_report_period(void **state)
{
    smg_org *org = fixture();
    smg_kpi_report *r;
    smg_period p;
    char text[32];
    (void)state;
    r = compute(org, "2026-03", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PERIOD, &p), 0);
    assert_int_equal(p.kind, SMG_PERIOD_MONTH);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2026-03");
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PREVIOUS, &p), 0);
    assert_int_equal(smg_period_check(&p), 0);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2026-02");
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_YEAR_EARLIER, &p), 0);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2025-03");
    smg_kpi_report_free(r);
    r = compute(org, "2026-Q1", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PREVIOUS, &p), 0);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2025-Q4");
    smg_kpi_report_free(r);
    r = compute(org, "2026", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_YEAR_EARLIER, &p), 0);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2025");
    smg_kpi_report_free(r);
    /* a week: the week before; a year earlier, the same dates as a range */
    r = compute(org, "2026-W10", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PERIOD, &p), 0);
    assert_int_equal(p.kind, SMG_PERIOD_WEEK);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PREVIOUS, &p), 0);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2026-W09");
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_YEAR_EARLIER, &p), 0);
    assert_int_equal(p.kind, SMG_PERIOD_RANGE);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2025-03-02..2025-03-08");
    smg_kpi_report_free(r);
    /* a range: ranges */
    r = compute(org, "2026-03-01..2026-03-10", SMG_ROWS_MEMBERS, NULL);
    assert_int_equal(smg_kpi_report_period(r, SMG_RANGE_PREVIOUS, &p), 0);
    assert_int_equal(p.kind, SMG_PERIOD_RANGE);
    assert_true(smg_period_format(text, sizeof text, &p) > 0);
    assert_string_equal(text, "2026-02-19..2026-02-28");
    smg_kpi_report_free(r);
    smg_org_free(org);
}

/* An empty org, and a period with nothing in it. */
static void test_empty(void **state)
{
    smg_org *org = NULL;
    smg_kpi_report *r;
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    r = compute(org, "2026", SMG_ROWS_ALL, NULL);
    assert_int_equal(smg_kpi_count(r), 1); /* the company */
    expect(org, r, "company", SMG_KPI_SALES_AMOUNT, 0);
    expect_null(org, r, "company", SMG_KPI_CLOSE_RATE);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_member_month),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_teams),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_leap_day),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_given_attribution),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_index_on_sample),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_report_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
