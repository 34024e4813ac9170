/* Transfers (调岗, RULES.md §1 "moves over time", §8): a member's team over
 * time in KPIs, the month index, targets and visibility, on a hand-made
 * organisation whose every figure is worked out below.
 *
 *   co [dir]                  members: dir (director, co)
 *   ├── east [em]                      em (manager, east)
 *   │   ├── A [la]                     la (leader), m, x (reps)
 *   │   └── B [lb]                     lb (leader), y (rep)
 *   └── west [lw]                      lw (leader)
 *
 * m moves from A to B at 2026-03-15T10:00 (event "T1"). Nobody claims:
 * every deal is credited to its closer.
 *
 *  event        moment            who  cust  amount   counts for
 *  D1 deal      2026-03-05 10:00  m    k1    100.00   A
 *  R1 recv      2026-03-06 10:00  m    k1     50.00   A (raised in A)
 *  V1 visit     2026-03-10 09:00  m    k1             A
 *  D5 deal      2026-03-10 10:00  x    k4     10.00   A
 *  D6 deal      2026-03-12 10:00  y    k5     20.00   B
 *  D2 deal      2026-03-15 10:00  m    k2    200.00   A (same moment as T1,
 *                                                      earlier in input order)
 *  T1 transfer  2026-03-15 10:00  m → B
 *  D3 deal      2026-03-15 10:00  m    k3    400.00   B (same moment, later)
 *  V2 visit     2026-03-18 09:00  m    k2             B
 *  D4 deal      2026-03-20 10:00  m    k1    800.00   B (k1 again)
 *  P1 payment   2026-03-22 10:00  m    k1     30.00   A (R1 was raised in A)
 *  R2 recv      2026-03-25 10:00  m    k3    100.00   B
 *  D7 deal      2026-04-10 10:00  m    k1     50.00   B
 *
 * Registrations (no deal follows them): m registers k6 on 03-02 (in A) and
 * k7 on 03-16 (in B).
 *
 * March: A = D1 + D2 + D5 = 310.00 (3 deals), B = D3 + D4 + D6 = 1220.00
 * (3 deals), east = company = 1530.00; m's own row 1500.00 (4 deals)
 * whatever the teams. collection_rate: A 30.00 / (0 + 50.00) = 0.6, B
 * 0 / (0 + 100.00) = 0, m 30.00 / 150.00 = 0.2. New customers: A k1, k2, k4
 * = 3; B k3, k5 = 2 (D4's k1 is not new); east 5.
 *
 * April (previous period March): A's March keys {k1, k2, k4}, no April
 * deal: prev 3, retained 0, lost 3. B's March keys {k1, k3, k5}, April k1
 * (D7): prev 3, retained 1, lost 2. east: {k1..k5} once each: prev 5,
 * retained 1 (k1), lost 4 — k1, bought in A and in B, counts once.
 *
 * Targets (sales_amount, monthly): m 500.00 in February, 600.00 in March;
 * x 100.00 both months; y 200.00 both months. March (asked after the move,
 * m in B at the end of 03-31): A = 100.00, B = 600.00 + 200.00 = 800.00.
 * February (m in A at the end of 02-28): A = 600.00, B = 200.00.
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

static void money_ev(smg_org *org, const char *at, smg_event_type type, const char *member,
                     const char *customer, const char *ref, smg_money amount)
{
    smg_event ev = ev_at(at, type, member, customer);
    ev.ref = ref;
    ev.amount = amount;
    add(org, &ev);
}

static void visit(smg_org *org, const char *at, const char *member, const char *customer)
{
    smg_event ev = ev_at(at, SMG_EV_VISIT, member, customer);
    ev.channel = SMG_CHANNEL_ONSITE;
    ev.outcome = SMG_OUTCOME_SUCCESS;
    add(org, &ev);
}

static void transfer(smg_org *org, const char *at, const char *id, const char *member,
                     const char *team)
{
    smg_event ev = ev_at(at, SMG_EV_TRANSFER, member, NULL);
    ev.ref = team;
    ev.id = id;
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

/* The organisation of the table above. how: 0 = no transfer, 1 = the
 * transfer T1, 2 = T1 and a cancel of it. */
static smg_org *fixture(int how)
{
    smg_org *org = NULL;
    static const char *const custs[] = { "k1", "k2", "k3", "k4", "k5", "k6", "k7" };
    size_t i;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "co", "公司", NULL), 0);
    assert_int_equal(smg_team_add(org, "east", "东区", "co"), 0);
    assert_int_equal(smg_team_add(org, "A", "A组", "east"), 0);
    assert_int_equal(smg_team_add(org, "B", "B组", "east"), 0);
    assert_int_equal(smg_team_add(org, "west", "西区", "co"), 0);
    assert_int_equal(smg_member_add(org, "dir", "总监", "co", SMG_ROLE_DIRECTOR), 0);
    assert_int_equal(smg_member_add(org, "em", "经理", "east", SMG_ROLE_MANAGER), 0);
    assert_int_equal(smg_member_add(org, "la", "组长A", "A", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "lb", "组长B", "B", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "lw", "组长西", "west", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "m", "调岗者", "A", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "x", "甲", "A", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "y", "乙", "B", SMG_ROLE_REP), 0);
    assert_int_equal(smg_team_set_leader(org, "co", "dir"), 0);
    assert_int_equal(smg_team_set_leader(org, "east", "em"), 0);
    assert_int_equal(smg_team_set_leader(org, "A", "la"), 0);
    assert_int_equal(smg_team_set_leader(org, "B", "lb"), 0);
    assert_int_equal(smg_team_set_leader(org, "west", "lw"), 0);
    for (i = 0; i < sizeof custs / sizeof *custs; i++)
        assert_int_equal(smg_customer_add(org, custs[i], custs[i], "", NULL), 0);

    {
        smg_event ev = ev_at("2026-03-02T10:00", SMG_EV_REGISTER, "m", "k6");
        add(org, &ev);
        ev = ev_at("2026-03-16T10:00", SMG_EV_REGISTER, "m", "k7");
        add(org, &ev);
    }
    money_ev(org, "2026-03-05T10:00", SMG_EV_DEAL, "m", "k1", "D1", 10000);
    money_ev(org, "2026-03-06T10:00", SMG_EV_RECEIVABLE, "m", "k1", "R1", 5000);
    visit(org, "2026-03-10T09:00", "m", "k1");
    money_ev(org, "2026-03-10T10:00", SMG_EV_DEAL, "x", "k4", "D5", 1000);
    money_ev(org, "2026-03-12T10:00", SMG_EV_DEAL, "y", "k5", "D6", 2000);
    money_ev(org, "2026-03-15T10:00", SMG_EV_DEAL, "m", "k2", "D2", 20000);
    if (how)
        transfer(org, "2026-03-15T10:00", "T1", "m", "B");
    money_ev(org, "2026-03-15T10:00", SMG_EV_DEAL, "m", "k3", "D3", 40000);
    visit(org, "2026-03-18T09:00", "m", "k2");
    money_ev(org, "2026-03-20T10:00", SMG_EV_DEAL, "m", "k1", "D4", 80000);
    money_ev(org, "2026-03-22T10:00", SMG_EV_PAYMENT, "m", "k1", "R1", 3000);
    money_ev(org, "2026-03-25T10:00", SMG_EV_RECEIVABLE, "m", "k3", "R2", 10000);
    money_ev(org, "2026-04-10T10:00", SMG_EV_DEAL, "m", "k1", "D7", 5000);
    if (how == 2) {
        smg_event ev = ev_at("2026-04-20T10:00", SMG_EV_CANCEL, NULL, NULL);
        ev.ref = "T1";
        add(org, &ev);
    }

    target(org, "member:m", "2026-02", 50000);
    target(org, "member:m", "2026-03", 60000);
    target(org, "member:x", "2026-02", 10000);
    target(org, "member:x", "2026-03", 10000);
    target(org, "member:y", "2026-02", 20000);
    target(org, "member:y", "2026-03", 20000);
    if (smg_batch_commit(org) != 0)
        fail_msg("commit: %s", smg_org_errmsg(org));
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

static smg_kpi_report *kpi_with(smg_org *org, const char *period, const char *as,
                                const smg_kpi_index *ix)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    o.period = period_of(period);
    o.rows = SMG_ROWS_ALL;
    o.as_member = as;
    o.index = ix;
    if (smg_kpi_compute(&r, org, &o) != 0)
        fail_msg("kpi %s: %s", period, smg_org_errmsg(org));
    return r;
}

static smg_kpi_report *kpi(smg_org *org, const char *period, const char *as)
{
    return kpi_with(org, period, as, NULL);
}

static void subject_text(const smg_org *org, const smg_kpi_report *r, size_t i, char *buf,
                         size_t len)
{
    smg_subject s;
    assert_int_equal(smg_kpi_subject(r, i, &s), 0);
    assert_true(smg_subject_format(buf, len, org, &s) > 0);
}

/* The row of `subject`, or SIZE_MAX when the report has none. */
static size_t find_row(const smg_org *org, const smg_kpi_report *r, const char *subject)
{
    size_t i;
    char text[96];
    for (i = 0; i < smg_kpi_count(r); i++) {
        subject_text(org, r, i, text, sizeof text);
        if (strcmp(text, subject) == 0)
            return i;
    }
    return SIZE_MAX;
}

static size_t row_of(const smg_org *org, const smg_kpi_report *r, const char *subject)
{
    size_t i = find_row(org, r, subject);
    if (i == SIZE_MAX)
        fail_msg("no row %s", subject);
    return i;
}

static int64_t kint(const smg_org *org, const smg_kpi_report *r, const char *subject,
                    smg_kpi_field f)
{
    int64_t v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_int(r, row_of(org, r, subject), f, &v, &null), 0);
    if (null)
        fail_msg("%s %s: null", subject, smg_kpi_field_name(f));
    return v;
}

static double kdbl(const smg_org *org, const smg_kpi_report *r, const char *subject,
                   smg_kpi_field f)
{
    double v = -1;
    int null = -1;
    assert_int_equal(smg_kpi_double(r, row_of(org, r, subject), f, &v, &null), 0);
    if (null)
        fail_msg("%s %s: null", subject, smg_kpi_field_name(f));
    return v;
}

#define EXPECT_INT(org, r, subj, f, want) assert_int_equal(kint(org, r, subj, f), want)
#define EXPECT_DBL(org, r, subj, f, want)                                               \
    do {                                                                                \
        double v_ = kdbl(org, r, subj, f);                                              \
        if (fabs(v_ - (want)) > 1e-12)                                                  \
            fail_msg("%s %s: %.12g, want %.12g", subj, smg_kpi_field_name(f), v_,       \
                     (double)(want));                                                   \
    } while (0)

/* Every row and field of two reports equal (subjects, values and nulls). */
static void same_report(const smg_org *o1, const smg_kpi_report *r1, const smg_org *o2,
                        const smg_kpi_report *r2)
{
    size_t i;
    unsigned f;
    assert_int_equal(smg_kpi_count(r1), smg_kpi_count(r2));
    for (i = 0; i < smg_kpi_count(r1); i++) {
        char t1[96], t2[96];
        subject_text(o1, r1, i, t1, sizeof t1);
        subject_text(o2, r2, i, t2, sizeof t2);
        assert_string_equal(t1, t2);
        for (f = 0; smg_kpi_field_name((smg_kpi_field)f); f++) {
            double d1 = 0, d2 = 0;
            int n1 = -1, n2 = -1;
            assert_int_equal(smg_kpi_double(r1, i, (smg_kpi_field)f, &d1, &n1), 0);
            assert_int_equal(smg_kpi_double(r2, i, (smg_kpi_field)f, &d2, &n2), 0);
            if (n1 != n2 || (!n1 && d1 != d2))
                fail_msg("%s %s: %g%s vs %g%s", t1, smg_kpi_field_name((smg_kpi_field)f), d1,
                         n1 ? " (null)" : "", d2, n2 ? " (null)" : "");
        }
    }
}

/* ---- KPIs ---- */

static void test_month_split_at_the_moment(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r = kpi(org, "2026-03", NULL);
    (void)state;
    /* A: D1 + D2 (same moment as T1, earlier in input order) + D5 */
    EXPECT_INT(org, r, "team:A", SMG_KPI_SALES_AMOUNT, 31000);
    EXPECT_INT(org, r, "team:A", SMG_KPI_DEAL_COUNT, 3);
    /* B: D3 (same moment, later) + D4 + D6 */
    EXPECT_INT(org, r, "team:B", SMG_KPI_SALES_AMOUNT, 122000);
    EXPECT_INT(org, r, "team:B", SMG_KPI_DEAL_COUNT, 3);
    EXPECT_INT(org, r, "team:west", SMG_KPI_SALES_AMOUNT, 0);
    /* the company and east: the sum either way */
    EXPECT_INT(org, r, "team:east", SMG_KPI_SALES_AMOUNT, 153000);
    EXPECT_INT(org, r, "company", SMG_KPI_SALES_AMOUNT, 153000);
    EXPECT_INT(org, r, "company", SMG_KPI_DEAL_COUNT, 6);
    /* the member's own row is unchanged by the move */
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 150000);
    EXPECT_INT(org, r, "member:m", SMG_KPI_DEAL_COUNT, 4);
    EXPECT_INT(org, r, "member:m", SMG_KPI_VISIT_COUNT, 2);
    /* events by their moment: V1 in A, V2 in B */
    EXPECT_INT(org, r, "team:A", SMG_KPI_VISIT_COUNT, 1);
    EXPECT_INT(org, r, "team:B", SMG_KPI_VISIT_COUNT, 1);
    /* receivables and payments: the team of the raiser when raised */
    EXPECT_DBL(org, r, "team:A", SMG_KPI_COLLECTION_RATE, 0.6);
    EXPECT_DBL(org, r, "team:B", SMG_KPI_COLLECTION_RATE, 0.0);
    EXPECT_DBL(org, r, "team:east", SMG_KPI_COLLECTION_RATE, 3000.0 / 15000.0);
    EXPECT_DBL(org, r, "member:m", SMG_KPI_COLLECTION_RATE, 0.2);
    /* new customers by the deal's team: A k1 k2 k4, B k3 k5 */
    EXPECT_INT(org, r, "team:A", SMG_KPI_NEW_CUSTOMER_COUNT, 3);
    EXPECT_INT(org, r, "team:B", SMG_KPI_NEW_CUSTOMER_COUNT, 2);
    EXPECT_INT(org, r, "team:east", SMG_KPI_NEW_CUSTOMER_COUNT, 5);
    EXPECT_INT(org, r, "member:m", SMG_KPI_NEW_CUSTOMER_COUNT, 3);
    smg_kpi_report_free(r);
    /* the rows of B's subtree list m, who was in B (and A's still do) */
    {
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        smg_subject sub;
        o.period = period_of("2026-03");
        o.rows = SMG_ROWS_ALL;
        o.subject = &sub;
        assert_int_equal(smg_subject_parse(&sub, org, "team:B"), 0);
        assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
        EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 150000);
        EXPECT_INT(org, r, "team:B", SMG_KPI_SALES_AMOUNT, 122000);
        assert_true(find_row(org, r, "member:x") == SIZE_MAX);
        smg_kpi_report_free(r);
        assert_int_equal(smg_subject_parse(&sub, org, "team:A"), 0);
        assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
        assert_true(find_row(org, r, "member:m") != SIZE_MAX);
        assert_true(find_row(org, r, "member:y") == SIZE_MAX);
        smg_kpi_report_free(r);
    }

    /* without the transfer everything of m stays in A */
    smg_org_free(org);
    org = fixture(0);
    r = kpi(org, "2026-03", NULL);
    EXPECT_INT(org, r, "team:A", SMG_KPI_SALES_AMOUNT, 151000);
    EXPECT_INT(org, r, "team:B", SMG_KPI_SALES_AMOUNT, 2000);
    EXPECT_INT(org, r, "company", SMG_KPI_SALES_AMOUNT, 153000);
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 150000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

static void test_distinct_keys_across_the_move(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r = kpi(org, "2026-04", NULL);
    (void)state;
    /* A: {k1, k2, k4} in March, nothing in April */
    EXPECT_INT(org, r, "team:A", SMG_KPI_LOST_CUSTOMER_COUNT, 3);
    EXPECT_DBL(org, r, "team:A", SMG_KPI_RETENTION_RATE, 0.0);
    /* B: {k1, k3, k5} in March, k1 again in April */
    EXPECT_INT(org, r, "team:B", SMG_KPI_LOST_CUSTOMER_COUNT, 2);
    EXPECT_DBL(org, r, "team:B", SMG_KPI_RETENTION_RATE, 1.0 / 3.0);
    /* east: k1 once although bought in A and in B */
    EXPECT_INT(org, r, "team:east", SMG_KPI_LOST_CUSTOMER_COUNT, 4);
    EXPECT_DBL(org, r, "team:east", SMG_KPI_RETENTION_RATE, 1.0 / 5.0);
    EXPECT_INT(org, r, "company", SMG_KPI_LOST_CUSTOMER_COUNT, 4);
    /* m's own: {k1, k2, k3}, k1 kept */
    EXPECT_INT(org, r, "member:m", SMG_KPI_LOST_CUSTOMER_COUNT, 2);
    EXPECT_DBL(org, r, "member:m", SMG_KPI_RETENTION_RATE, 1.0 / 3.0);
    /* April's sales: all in B */
    EXPECT_INT(org, r, "team:A", SMG_KPI_SALES_AMOUNT, 0);
    EXPECT_INT(org, r, "team:B", SMG_KPI_SALES_AMOUNT, 5000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

static void test_cancelled_transfer_changes_nothing(void **state)
{
    smg_org *plain = fixture(0), *cancelled = fixture(2);
    const char *periods[] = { "2026-02", "2026-03", "2026-04", "2026-03-10..2026-03-20" };
    const char *as[] = { NULL, "la", "lb", "m", "em" };
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof periods / sizeof *periods; i++)
        for (j = 0; j < sizeof as / sizeof *as; j++) {
            smg_kpi_report *r1 = kpi(plain, periods[i], as[j]);
            smg_kpi_report *r2 = kpi(cancelled, periods[i], as[j]);
            same_report(plain, r1, cancelled, r2);
            smg_kpi_report_free(r1);
            smg_kpi_report_free(r2);
        }
    smg_org_free(plain);
    smg_org_free(cancelled);
}

static void test_month_index_equals_the_pass(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_index *ix = NULL;
    const char *periods[] = { "2026-02", "2026-03", "2026-04", "2026-Q1", "2026-Q2" };
    const char *as[] = { NULL, "la", "lb", "m", "em" };
    size_t i, j;
    (void)state;
    assert_int_equal(smg_kpi_index_build(&ix, org, NULL), 0);
    for (i = 0; i < sizeof periods / sizeof *periods; i++)
        for (j = 0; j < sizeof as / sizeof *as; j++) {
            smg_kpi_report *r1 = kpi(org, periods[i], as[j]);
            smg_kpi_report *r2 = kpi_with(org, periods[i], as[j], ix);
            same_report(org, r1, org, r2);
            smg_kpi_report_free(r1);
            smg_kpi_report_free(r2);
        }
    smg_kpi_index_free(ix);
    smg_org_free(org);
}

static void test_compute_many_equals_single(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_period ps[3];
    smg_kpi_report *many[3] = { NULL, NULL, NULL };
    const char *texts[] = { "2026-02", "2026-03", "2026-04" };
    size_t k;
    (void)state;
    for (k = 0; k < 3; k++)
        ps[k] = period_of(texts[k]);
    o.rows = SMG_ROWS_ALL;
    o.as_member = "la";
    assert_int_equal(smg_kpi_compute_many(many, org, &o, ps, 3), 0);
    for (k = 0; k < 3; k++) {
        smg_kpi_report *one = kpi(org, texts[k], "la");
        same_report(org, many[k], org, one);
        smg_kpi_report_free(one);
        smg_kpi_report_free(many[k]);
    }
    smg_org_free(org);
}

/* ---- targets ---- */

static void test_target_rollup_at_period_end(void **state)
{
    smg_org *org = fixture(1);
    smg_kpi_report *r;
    (void)state;
    /* March, asked after the move: m counts in B only */
    r = kpi(org, "2026-03", NULL);
    EXPECT_INT(org, r, "team:A", SMG_KPI_TARGET_AMOUNT, 10000);
    EXPECT_INT(org, r, "team:B", SMG_KPI_TARGET_AMOUNT, 80000);
    EXPECT_INT(org, r, "team:east", SMG_KPI_TARGET_AMOUNT, 90000);
    EXPECT_INT(org, r, "member:m", SMG_KPI_TARGET_AMOUNT, 60000);
    EXPECT_DBL(org, r, "team:B", SMG_KPI_COMPLETION_RATE, 122000.0 / 80000.0);
    smg_kpi_report_free(r);
    /* February: m was in A at its end */
    r = kpi(org, "2026-02", NULL);
    EXPECT_INT(org, r, "team:A", SMG_KPI_TARGET_AMOUNT, 60000);
    EXPECT_INT(org, r, "team:B", SMG_KPI_TARGET_AMOUNT, 20000);
    smg_kpi_report_free(r);
    /* a range ending on the day of the move, after it: B */
    r = kpi(org, "2026-03-01..2026-03-15", NULL);
    EXPECT_INT(org, r, "team:A", SMG_KPI_TARGET_AMOUNT, kint(org, r, "member:x",
                                                              SMG_KPI_TARGET_AMOUNT));
    smg_kpi_report_free(r);
    /* the targets report: the children sums */
    {
        smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
        smg_targets *t = NULL;
        size_t i, seen = 0;
        o.period = period_of("2026-03");
        assert_int_equal(smg_targets_compute(&t, org, &o), 0);
        for (i = 0; i < smg_targets_count(t); i++) {
            smg_subject s;
            char text[96];
            int64_t v = 0;
            int null = 1;
            assert_int_equal(smg_targets_subject(t, i, &s), 0);
            assert_true(smg_subject_format(text, sizeof text, org, &s) > 0);
            assert_int_equal(smg_targets_int(t, i, SMG_TARGETS_CHILDREN_SUM, &v, &null), 0);
            if (strcmp(text, "team:A") == 0) {
                assert_false(null);
                assert_int_equal(v, 10000);
                seen++;
            } else if (strcmp(text, "team:B") == 0) {
                assert_false(null);
                assert_int_equal(v, 80000);
                seen++;
            }
        }
        assert_int_equal(seen, 2);
        smg_targets_free(t);
        o.period = period_of("2026-02");
        assert_int_equal(smg_targets_compute(&t, org, &o), 0);
        for (i = 0, seen = 0; i < smg_targets_count(t); i++) {
            smg_subject s;
            char text[96];
            int64_t v = 0;
            int null = 1;
            assert_int_equal(smg_targets_subject(t, i, &s), 0);
            assert_true(smg_subject_format(text, sizeof text, org, &s) > 0);
            assert_int_equal(smg_targets_int(t, i, SMG_TARGETS_CHILDREN_SUM, &v, &null), 0);
            if (strcmp(text, "team:A") == 0) {
                assert_int_equal(v, 60000);
                seen++;
            } else if (strcmp(text, "team:B") == 0) {
                assert_int_equal(v, 20000);
                seen++;
            }
        }
        assert_int_equal(seen, 2);
        smg_targets_free(t);
    }
    smg_org_free(org);
}

/* ---- visibility ---- */

/* The deals (by ref) an attribution result made for `as` shows, as
 * "D1 D2 ..." in row order. */
static void visible_deals(smg_org *org, const char *as, char *buf, size_t len)
{
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    size_t i;
    o.as_member = as;
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    buf[0] = 0;
    for (i = 0; i < smg_attribution_deal_count(a); i++) {
        size_t d = 0;
        int null = 1;
        const char *id;
        assert_int_equal(smg_attribution_deal_index(a, i, SMG_DEAL_DEAL, &d, &null), 0);
        id = smg_deal_id(org, d);
        assert_non_null(id);
        if (buf[0])
            strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, id, len - strlen(buf) - 1);
    }
    smg_attribution_free(a);
}

/* The customers of the registrations an attribution result made for `as`
 * shows, as "k6 k7" in row order. */
static void visible_regs(smg_org *org, const char *as, char *buf, size_t len)
{
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    size_t i;
    o.as_member = as;
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    buf[0] = 0;
    for (i = 0; i < smg_attribution_registration_count(a); i++) {
        size_t c = 0;
        int null = 1;
        assert_int_equal(
            smg_attribution_registration_index(a, i, SMG_REGISTRATION_CUSTOMER, &c, &null), 0);
        if (buf[0])
            strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, smg_customer_id(org, c), len - strlen(buf) - 1);
    }
    smg_attribution_free(a);
}

static void test_visibility_by_moment(void **state)
{
    smg_org *org = fixture(1);
    char buf[256];
    smg_kpi_report *r;
    (void)state;
    visible_deals(org, "la", buf, sizeof buf);
    assert_string_equal(buf, "D1 D5 D2");
    visible_deals(org, "lb", buf, sizeof buf);
    assert_string_equal(buf, "D6 D3 D4 D7");
    visible_deals(org, "m", buf, sizeof buf); /* a rep sees all their own */
    assert_string_equal(buf, "D1 D2 D3 D4 D7");
    visible_deals(org, "em", buf, sizeof buf); /* east leads both */
    assert_string_equal(buf, "D1 D5 D6 D2 D3 D4 D7");
    visible_deals(org, "lw", buf, sizeof buf);
    assert_string_equal(buf, "");
    /* registrations by their moment */
    visible_regs(org, "la", buf, sizeof buf);
    assert_string_equal(buf, "k6");
    visible_regs(org, "lb", buf, sizeof buf);
    assert_string_equal(buf, "k7");
    visible_regs(org, "m", buf, sizeof buf);
    assert_string_equal(buf, "k6 k7");

    /* KPI member rows: the figures of the visible time only */
    r = kpi(org, "2026-03", "la");
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 30000);
    EXPECT_INT(org, r, "member:m", SMG_KPI_DEAL_COUNT, 2);
    EXPECT_INT(org, r, "member:m", SMG_KPI_VISIT_COUNT, 1);
    EXPECT_INT(org, r, "member:x", SMG_KPI_SALES_AMOUNT, 1000);
    EXPECT_INT(org, r, "team:A", SMG_KPI_SALES_AMOUNT, 31000);
    assert_true(find_row(org, r, "team:B") == SIZE_MAX);
    assert_true(find_row(org, r, "member:y") == SIZE_MAX);
    smg_kpi_report_free(r);
    r = kpi(org, "2026-03", "lb");
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 120000);
    EXPECT_INT(org, r, "member:m", SMG_KPI_DEAL_COUNT, 2);
    EXPECT_INT(org, r, "team:B", SMG_KPI_SALES_AMOUNT, 122000);
    smg_kpi_report_free(r);
    /* April: m was never in A: not listed for A's leader */
    r = kpi(org, "2026-04", "la");
    assert_true(find_row(org, r, "member:m") == SIZE_MAX);
    assert_true(find_row(org, r, "member:x") != SIZE_MAX);
    smg_kpi_report_free(r);
    /* February: m in A the whole month, not yet in B */
    r = kpi(org, "2026-02", "lb");
    assert_true(find_row(org, r, "member:m") == SIZE_MAX);
    smg_kpi_report_free(r);
    /* a rep: their own, whole */
    r = kpi(org, "2026-03", "m");
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 150000);
    assert_int_equal(smg_kpi_count(r), 1);
    smg_kpi_report_free(r);
    /* east's manager sees m whole (both stints visible) */
    r = kpi(org, "2026-03", "em");
    EXPECT_INT(org, r, "member:m", SMG_KPI_SALES_AMOUNT, 150000);
    smg_kpi_report_free(r);
    smg_org_free(org);
}

static void test_pay_rows_at_period_end(void **state)
{
    smg_org *org = fixture(1);
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *p = NULL;
    size_t i;
    int m_seen = 0;
    (void)state;
    /* m is listed for B's leader in March (in B at its end), not for A's */
    o.month = period_of("2026-03");
    o.as_member = "lb";
    assert_int_equal(smg_pay_compute(&p, org, &o), 0);
    for (i = 0; i < smg_pay_count(p); i++) {
        smg_subject s;
        assert_int_equal(smg_pay_subject(p, i, &s), 0);
        m_seen |= strcmp(smg_member_id(org, s.index), "m") == 0;
    }
    assert_true(m_seen);
    smg_pay_report_free(p);
    o.as_member = "la";
    m_seen = 0;
    assert_int_equal(smg_pay_compute(&p, org, &o), 0);
    for (i = 0; i < smg_pay_count(p); i++) {
        smg_subject s;
        assert_int_equal(smg_pay_subject(p, i, &s), 0);
        m_seen |= strcmp(smg_member_id(org, s.index), "m") == 0;
    }
    assert_false(m_seen);
    smg_pay_report_free(p);
    /* February: A's */
    o.month = period_of("2026-02");
    m_seen = 0;
    assert_int_equal(smg_pay_compute(&p, org, &o), 0);
    for (i = 0; i < smg_pay_count(p); i++) {
        smg_subject s;
        assert_int_equal(smg_pay_subject(p, i, &s), 0);
        m_seen |= strcmp(smg_member_id(org, s.index), "m") == 0;
    }
    assert_true(m_seen);
    smg_pay_report_free(p);
    smg_org_free(org);
}

/* A transfer to the team the member is in already changes nothing. */
static void test_transfer_to_same_team(void **state)
{
    smg_org *plain = fixture(0), *org = fixture(0);
    const char *as[] = { NULL, "la", "lb" };
    size_t j;
    (void)state;
    assert_int_equal(smg_batch_begin(org), 0);
    transfer(org, "2026-03-08T10:00", "T0", "m", "A");
    assert_int_equal(smg_batch_commit(org), 0);
    for (j = 0; j < sizeof as / sizeof *as; j++) {
        smg_kpi_report *r1 = kpi(plain, "2026-03", as[j]);
        smg_kpi_report *r2 = kpi(org, "2026-03", as[j]);
        same_report(plain, r1, org, r2);
        smg_kpi_report_free(r1);
        smg_kpi_report_free(r2);
    }
    smg_org_free(plain);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month_split_at_the_moment),
        cmocka_unit_test(test_distinct_keys_across_the_move),
        cmocka_unit_test(test_cancelled_transfer_changes_nothing),
        cmocka_unit_test(test_month_index_equals_the_pass),
        cmocka_unit_test(test_compute_many_equals_single),
        cmocka_unit_test(test_target_rollup_at_period_end),
        cmocka_unit_test(test_visibility_by_moment),
        cmocka_unit_test(test_pay_rows_at_period_end),
        cmocka_unit_test(test_transfer_to_same_team),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
