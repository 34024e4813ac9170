/* The scorecard (RULES.md §6): items and their checks, fault and submit
 * events, the monthly scores worked out below, pay taking them, the
 * result's tables, visibility, errors and allocation failures.
 *
 * The fixture (fixture()): team t (leader ld) with reps a, b, c, g; team o
 * with rep x and the director dir. Items, in points:
 *
 *   mr    月报   60, no deduction (any fault zeroes it), rep;leader, monthly:31
 *     sum   20, 5 a fault
 *     plan  20, 5 a fault
 *     prop  20, 15 a fault, rep only
 *   wr    周报   40, 10 a fault, rep, weekly:fri
 *   lo    40, no deduction, leader
 *
 * a rep 60 + 40, a leader 60 + 40 (prop left out: mr at most 40 for them),
 * the director nothing. October 2026 has 31 days (its Fridays 2, 9, 16,
 * 23, 30; the week of the 2nd starts on Monday 28 September), September
 * 30 (Fridays 4, 11, 18, 25; mr due on the 30th), February 2026 28 days.
 *
 * a (from 2026-01-01), October: mr handed in 10-31 23:59 (due that day: on
 *   time); wr on Tuesday 09-29 (in the week of Friday 10-02: counts), on
 *   10-09 23:59, 10-17 00:00 (the Friday before is missed: late), 10-23,
 *   10-30: one fault; no fault in September: 40 − 10 = 30. sum: a fault of
 *   count 3: 20 − 15 = 5. prop: a fault, and one in September: doubled,
 *   20 − 15 × 2 < 0 → 0. plan 20. mr = min(60, 5 + 20 + 0) = 25.
 *   Work 25 + 30 = 55 (scorecard).
 *   September: everything on time but prop's fault: 20 + 20 + 5 = 45, wr 40:
 *   85. February: mr handed in on the 28th (its due day), wr never: 60.
 *   January and March to August: nothing handed in: 0.
 * b (from 2026-10-15): mr handed in 10-31 00:00; wr 10-16 and 10-23, not
 *   10-30 (10-02 and 10-09 are before the start): one fault, not doubled
 *   (b was not there in September): 30. Work 60 + 30 = 90. September: not
 *   employed: source none, no lines.
 * c (2026-01-01 to 2026-10-20): nothing handed in. October: mr due 10-31,
 *   after the leave date: no fault: 60; wr: 10-02, 10-09, 10-16 missed
 *   (10-23 and 10-30 are after): 3 faults, doubled (4 missed in
 *   September): 0. Work 60.
 * ld (leader): mr handed in 11-01 00:00, the day after its due day: late,
 *   mr zeroed (sum and plan keep 20); lo: a fault: 0. Work 0.
 * x: a fault recorded on mr itself (a parent) on 10-08, everything handed
 *   in on time: mr 0 although its children have 60; wr 40. Work 40.
 *   February 2026: mr handed in 03-01 (late for 02-28): a fault. February
 *   2028: handed in 02-29: on time.
 * g: work_score 77.5 (10-15) then 80 (10-20): given, 80; the scorecard
 *   (nothing handed in) says 0.
 * dir: no item applies: none, 0. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"

#define REP SMG_ROLE_BIT(SMG_ROLE_REP)
#define LEADER SMG_ROLE_BIT(SMG_ROLE_LEADER)
#define NONE SMG_POINTS_NONE

static const smg_deadline no_due = { SMG_DEADLINE_NONE, 0 };

static smg_deadline monthly(int day)
{
    smg_deadline d;
    d.kind = SMG_DEADLINE_MONTHLY;
    d.day = day;
    return d;
}

static smg_deadline weekly(int day)
{
    smg_deadline d;
    d.kind = SMG_DEADLINE_WEEKLY;
    d.day = day;
    return d;
}

static smg_time T(const char *s)
{
    smg_time t;
    if (smg_time_parse(&t, s))
        fail_msg("bad time %s", s);
    return t;
}

static smg_date D(const char *s)
{
    smg_date d;
    if (smg_date_parse(&d, s))
        fail_msg("bad date %s", s);
    return d;
}

static int event(smg_org *org, const char *at, smg_event_type type, const char *member,
                 const char *ref, int64_t value)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    ev.at = T(at);
    ev.member = member;
    ev.ref = ref;
    ev.value = value;
    return smg_event_add(org, &ev);
}

static void submit(smg_org *org, const char *at, const char *member, const char *item)
{
    if (event(org, at, SMG_EV_SUBMIT, member, item, SMG_MONEY_NONE))
        fail_msg("submit %s %s %s: %s", at, member, item, smg_org_errmsg(org));
}

static void fault(smg_org *org, const char *at, const char *member, const char *item,
                  int64_t count)
{
    if (event(org, at, SMG_EV_FAULT, member, item, count))
        fail_msg("fault %s %s %s: %s", at, member, item, smg_org_errmsg(org));
}

static void items(smg_org *org)
{
    smg_deadline mr = monthly(31), wr = weekly(4);
    assert_int_equal(smg_scorecard_item_add(org, "mr", NULL, 6000, NONE, REP | LEADER, &mr), 0);
    assert_int_equal(smg_scorecard_item_add(org, "sum", "mr", 2000, 500, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "plan", "mr", 2000, 500, 0, &no_due), 0);
    assert_int_equal(smg_scorecard_item_add(org, "prop", "mr", 2000, 1500, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "wr", "", 4000, 1000, REP, &wr), 0);
    assert_int_equal(smg_scorecard_item_add(org, "lo", NULL, 4000, NONE, LEADER, NULL), 0);
}

static void people(smg_org *org)
{
    assert_int_equal(smg_team_add(org, "t", "t", NULL), 0);
    assert_int_equal(smg_team_add(org, "o", "o", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "a", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "b", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "c", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "ld", "ld", "t", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "g", "g", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "x", "x", "o", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "dir", "dir", "o", SMG_ROLE_DIRECTOR), 0);
    assert_int_equal(smg_team_set_leader(org, "t", "ld"), 0);
    assert_int_equal(smg_member_set_dates(org, "a", D("2026-01-01"), SMG_DATE_NONE), 0);
    assert_int_equal(smg_member_set_dates(org, "b", D("2026-10-15"), SMG_DATE_NONE), 0);
    assert_int_equal(smg_member_set_dates(org, "c", D("2026-01-01"), D("2026-10-20")), 0);
    assert_int_equal(smg_member_set_dates(org, "x", D("2026-01-01"), SMG_DATE_NONE), 0);
    assert_int_equal(smg_member_set_pay_total(org, "a", 1000000), 0);
    assert_int_equal(smg_member_set_pay_total(org, "g", 1000000), 0);
}

static void story(smg_org *org)
{
    /* a, September: on time, but a fault on prop */
    submit(org, "2026-09-04T10:00", "a", "wr");
    submit(org, "2026-09-11T10:00", "a", "wr");
    submit(org, "2026-09-18T10:00", "a", "wr");
    submit(org, "2026-09-25T10:00", "a", "wr");
    submit(org, "2026-09-30T23:59", "a", "mr");
    fault(org, "2026-09-10T10:00", "a", "prop", SMG_MONEY_NONE);
    /* a, October */
    submit(org, "2026-09-29T10:00", "a", "wr"); /* the week of 10-02 */
    submit(org, "2026-10-09T23:59", "a", "wr");
    submit(org, "2026-10-17T00:00", "a", "wr"); /* late for 10-16 */
    submit(org, "2026-10-23T10:00", "a", "wr");
    submit(org, "2026-10-30T10:00", "a", "wr");
    submit(org, "2026-10-31T23:59", "a", "mr");
    fault(org, "2026-10-05T10:00", "a", "prop", 1);
    fault(org, "2026-10-12T10:00", "a", "sum", 3);
    /* a, February 2026: mr due on the 28th */
    submit(org, "2026-02-28T12:00", "a", "mr");
    /* b */
    submit(org, "2026-10-16T10:00", "b", "wr");
    submit(org, "2026-10-23T10:00", "b", "wr");
    submit(org, "2026-10-31T00:00", "b", "mr");
    /* ld */
    submit(org, "2026-11-01T00:00", "ld", "mr");
    fault(org, "2026-10-07T10:00", "ld", "lo", SMG_MONEY_NONE);
    /* x */
    fault(org, "2026-10-08T10:00", "x", "mr", SMG_MONEY_NONE);
    submit(org, "2026-10-02T10:00", "x", "wr");
    submit(org, "2026-10-09T10:00", "x", "wr");
    submit(org, "2026-10-16T10:00", "x", "wr");
    submit(org, "2026-10-23T10:00", "x", "wr");
    submit(org, "2026-10-30T10:00", "x", "wr");
    submit(org, "2026-10-30T11:00", "x", "mr");
    submit(org, "2026-03-01T09:00", "x", "mr"); /* late for February */
    submit(org, "2028-02-29T09:00", "x", "mr"); /* leap year: due that day */
    /* g */
    assert_int_equal(event(org, "2026-10-15T10:00", SMG_EV_WORK_SCORE, "g", NULL, 7750), 0);
    assert_int_equal(event(org, "2026-10-20T10:00", SMG_EV_WORK_SCORE, "g", NULL, 8000), 0);
}

static smg_org *fixture(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    people(org);
    items(org);
    story(org);
    if (smg_batch_commit(org))
        fail_msg("fixture: %s", smg_org_errmsg(org));
    return org;
}

static smg_scorecard *compute_as(smg_org *org, const char *month, const char *as)
{
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r = NULL;
    assert_int_equal(smg_period_parse(&o.month, month), 0);
    o.as_member = as;
    if (smg_scorecard_compute(&r, org, &o))
        fail_msg("scorecard %s: %s", month, smg_org_errmsg(org));
    assert_non_null(r);
    return r;
}

static smg_scorecard *compute(smg_org *org, const char *month)
{
    return compute_as(org, month, NULL);
}

static size_t row_of(const smg_org *org, const smg_scorecard *r, const char *member)
{
    size_t i, m;
    for (i = 0; i < smg_scorecard_member_count(r); i++) {
        assert_int_equal(smg_scorecard_member_index(r, i, SMG_SCORECARD_MEMBER_MEMBER, &m, NULL),
                         0);
        if (strcmp(smg_member_id(org, m), member) == 0)
            return i;
    }
    fail_msg("no row for %s", member);
    return 0;
}

static int64_t mint(const smg_scorecard *r, size_t row, smg_scorecard_member_field f, int *null)
{
    int64_t v = -777;
    assert_int_equal(smg_scorecard_member_int(r, row, f, &v, null), 0);
    return v;
}

/* The member's work score (hundredths) and source. */
static void expect_member(const smg_org *org, const smg_scorecard *r, const char *member,
                          int64_t work, smg_score_source source, int64_t card)
{
    size_t row = row_of(org, r, member);
    int null = -1;
    int64_t w = mint(r, row, SMG_SCORECARD_MEMBER_WORK_SCORE_X100, &null);
    int64_t s = mint(r, row, SMG_SCORECARD_MEMBER_SOURCE, NULL);
    int64_t c = mint(r, row, SMG_SCORECARD_MEMBER_SCORECARD_SCORE_X100, &null);
    double dw = -1;
    if (w != work || s != (int64_t)source || (card < 0 ? !null : null || c != card))
        fail_msg("%s: work %lld source %s card %lld%s, want %lld %s %lld", member,
                 (long long)w, smg_score_source_name((smg_score_source)s), (long long)c,
                 null ? " (null)" : "", (long long)work, smg_score_source_name(source),
                 (long long)card);
    assert_int_equal(smg_scorecard_member_double(r, row, SMG_SCORECARD_MEMBER_WORK_SCORE, &dw,
                                                 NULL),
                     0);
    assert_true(fabs(dw - (double)work / 100) < 1e-9);
}

/* The line of member's item: score (hundredths), faults, missed, doubled;
 * score -1 = no such line. */
static void expect_line(const smg_org *org, const smg_scorecard *r, const char *member,
                        const char *item, int64_t score, int64_t faults, int64_t missed,
                        int doubled)
{
    size_t row = row_of(org, r, member), x;
    int64_t first = mint(r, row, SMG_SCORECARD_MEMBER_FIRST_LINE, NULL);
    int64_t n = mint(r, row, SMG_SCORECARD_MEMBER_LINES, NULL);
    for (x = (size_t)first; x < (size_t)(first + n); x++) {
        size_t k, m;
        int64_t v[4];
        assert_int_equal(smg_scorecard_line_index(r, x, SMG_SCORECARD_LINE_ITEM, &k, NULL), 0);
        assert_int_equal(smg_scorecard_line_index(r, x, SMG_SCORECARD_LINE_MEMBER, &m, NULL), 0);
        assert_string_equal(smg_member_id(org, m), member);
        if (strcmp(smg_scorecard_item_id(org, k), item) != 0)
            continue;
        if (score < 0)
            fail_msg("%s has a line for %s", member, item);
        assert_int_equal(smg_scorecard_line_int(r, x, SMG_SCORECARD_LINE_SCORE_X100, &v[0], NULL), 0);
        assert_int_equal(smg_scorecard_line_int(r, x, SMG_SCORECARD_LINE_FAULTS, &v[1], NULL), 0);
        assert_int_equal(smg_scorecard_line_int(r, x, SMG_SCORECARD_LINE_MISSED, &v[2], NULL), 0);
        assert_int_equal(smg_scorecard_line_int(r, x, SMG_SCORECARD_LINE_DOUBLED, &v[3], NULL), 0);
        if (v[0] != score || v[1] != faults || v[2] != missed || v[3] != doubled)
            fail_msg("%s %s: score %lld faults %lld missed %lld doubled %lld, want %lld %lld "
                     "%lld %d",
                     member, item, (long long)v[0], (long long)v[1], (long long)v[2],
                     (long long)v[3], (long long)score, (long long)faults, (long long)missed,
                     doubled);
        return;
    }
    if (score >= 0)
        fail_msg("%s: no line for %s", member, item);
}

/* The items of a member's lines, in order, joined by spaces. */
static void expect_items(const smg_org *org, const smg_scorecard *r, const char *member,
                         const char *want)
{
    size_t row = row_of(org, r, member), x;
    int64_t first = mint(r, row, SMG_SCORECARD_MEMBER_FIRST_LINE, NULL);
    int64_t n = mint(r, row, SMG_SCORECARD_MEMBER_LINES, NULL);
    char got[256] = "";
    for (x = (size_t)first; x < (size_t)(first + n); x++) {
        size_t k;
        int64_t depth;
        assert_int_equal(smg_scorecard_line_index(r, x, SMG_SCORECARD_LINE_ITEM, &k, NULL), 0);
        assert_int_equal(smg_scorecard_line_int(r, x, SMG_SCORECARD_LINE_DEPTH, &depth, NULL), 0);
        if (*got)
            strcat(got, " ");
        if (depth)
            strcat(got, "-");
        strcat(got, smg_scorecard_item_id(org, k));
    }
    assert_string_equal(got, want);
}

/* ---- deadlines as text ---- */

static void test_deadlines(void **state)
{
    smg_deadline d = { SMG_DEADLINE_MONTHLY, 9 };
    char buf[32];
    (void)state;
    assert_int_equal(smg_deadline_parse(&d, "monthly:30"), 0);
    assert_int_equal(d.kind, SMG_DEADLINE_MONTHLY);
    assert_int_equal(d.day, 30);
    assert_int_equal(smg_deadline_parse(&d, "monthly:05"), 0);
    assert_int_equal(d.day, 5);
    assert_int_equal(smg_deadline_parse(&d, "weekly:fri"), 0);
    assert_int_equal(d.kind, SMG_DEADLINE_WEEKLY);
    assert_int_equal(d.day, 4);
    assert_int_equal(smg_deadline_parse(&d, "weekly:mon"), 0);
    assert_int_equal(d.day, 0);
    assert_int_equal(smg_deadline_parse(&d, "weekly:sun"), 0);
    assert_int_equal(d.day, 6);
    assert_int_equal(smg_deadline_parse(&d, ""), 0);
    assert_int_equal(d.kind, SMG_DEADLINE_NONE);
    assert_int_equal(d.day, 0);
    d.kind = SMG_DEADLINE_WEEKLY;
    d.day = 3;
    {
        static const char *const bad[] = { "monthly:0", "monthly:32", "monthly:", "monthly:123",
                                           "monthly:1x", "monthly: 1", "weekly:fr", "weekly:",
                                           "weekly:Fri", "daily:1", "monthly", "30" };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            if (smg_deadline_parse(&d, bad[i]) != SMG_EPARSE)
                fail_msg("\"%s\" parsed", bad[i]);
            assert_int_equal(d.kind, SMG_DEADLINE_WEEKLY); /* untouched */
            assert_int_equal(d.day, 3);
        }
    }
    assert_int_equal(smg_deadline_parse(NULL, "weekly:fri"), SMG_EINVAL);
    assert_int_equal(smg_deadline_parse(&d, NULL), SMG_EINVAL);
    d = monthly(31);
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &d), 10);
    assert_string_equal(buf, "monthly:31");
    d = weekly(4);
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &d), 10);
    assert_string_equal(buf, "weekly:fri");
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &no_due), 0);
    assert_string_equal(buf, "");
    assert_int_equal(smg_deadline_format(buf, 10, &d), SMG_ERANGE);
    assert_int_equal(smg_deadline_format(buf, 11, &d), 10);
    d = weekly(7);
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &d), SMG_EINVAL);
    d = monthly(0);
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &d), SMG_EINVAL);
    d.kind = (smg_deadline_kind)9;
    assert_int_equal(smg_deadline_format(buf, sizeof buf, &d), SMG_EINVAL);
    assert_int_equal(smg_deadline_format(NULL, 8, &no_due), SMG_EINVAL);
    assert_int_equal(smg_deadline_format(buf, sizeof buf, NULL), SMG_EINVAL);
    assert_string_equal(smg_score_source_name(SMG_SCORE_SOURCE_NONE), "none");
    assert_string_equal(smg_score_source_name(SMG_SCORE_SOURCE_GIVEN), "given");
    assert_string_equal(smg_score_source_name(SMG_SCORE_SOURCE_SCORECARD), "scorecard");
    assert_null(smg_score_source_name((smg_score_source)3));
    assert_string_equal(smg_event_type_name(SMG_EV_FAULT), "fault");
    assert_string_equal(smg_event_type_name(SMG_EV_SUBMIT), "submit");
    {
        smg_event_type t;
        assert_int_equal(smg_event_type_parse(&t, "submit"), 0);
        assert_int_equal(t, SMG_EV_SUBMIT);
    }
}

/* ---- the item table ---- */

static void test_item_table(void **state)
{
    smg_org *org = fixture();
    size_t i = 99, p;
    int64_t v;
    int null = -1, f;
    const char *s;
    (void)state;
    assert_int_equal(smg_scorecard_item_count(org), 6);
    assert_int_equal(smg_org_count(org, SMG_COUNT_SCORECARD_ITEMS), 6);
    assert_int_equal(smg_scorecard_item_find(org, "prop", &i), 0);
    assert_int_equal(i, 3);
    assert_string_equal(smg_scorecard_item_id(org, 3), "prop");
    assert_null(smg_scorecard_item_id(org, 6));
    assert_null(smg_scorecard_item_id(NULL, 0));
    assert_int_equal(smg_scorecard_item_find(org, "nope", &i), SMG_ENOTFOUND);
    assert_int_equal(smg_scorecard_item_find(org, NULL, &i), SMG_EINVAL);
    assert_int_equal(smg_scorecard_item_find(NULL, "mr", &i), SMG_EINVAL);
    assert_int_equal(smg_scorecard_item_find(org, "mr", NULL), SMG_EINVAL);
    /* prop: parent mr, 20 points, 15 a fault, reps, no deadline */
    assert_int_equal(smg_scorecard_item_text(org, 3, SMG_SCORECARD_ITEM_ID, &s, &null), 0);
    assert_string_equal(s, "prop");
    assert_int_equal(null, 0);
    assert_int_equal(smg_scorecard_item_index(org, 3, SMG_SCORECARD_ITEM_PARENT, &p, &null), 0);
    assert_int_equal(p, 0);
    assert_int_equal(null, 0);
    assert_int_equal(smg_scorecard_item_int(org, 3, SMG_SCORECARD_ITEM_POINTS_X100, &v, NULL), 0);
    assert_int_equal(v, 2000);
    assert_int_equal(smg_scorecard_item_int(org, 3, SMG_SCORECARD_ITEM_DEDUCT_X100, &v, &null), 0);
    assert_int_equal(v, 1500);
    assert_int_equal(smg_scorecard_item_int(org, 3, SMG_SCORECARD_ITEM_ROLES, &v, NULL), 0);
    assert_int_equal(v, REP);
    assert_int_equal(smg_scorecard_item_int(org, 3, SMG_SCORECARD_ITEM_DUE, &v, NULL), 0);
    assert_int_equal(v, SMG_DEADLINE_NONE);
    assert_int_equal(smg_scorecard_item_int(org, 3, SMG_SCORECARD_ITEM_DUE_DAY, &v, &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(v, 0);
    /* mr: top level (null parent), no deduction (null), monthly:31 */
    p = 77;
    assert_int_equal(smg_scorecard_item_index(org, 0, SMG_SCORECARD_ITEM_PARENT, &p, &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(p, 0);
    assert_int_equal(smg_scorecard_item_int(org, 0, SMG_SCORECARD_ITEM_DEDUCT_X100, &v, &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(v, 0);
    assert_int_equal(smg_scorecard_item_int(org, 0, SMG_SCORECARD_ITEM_ROLES, &v, NULL), 0);
    assert_int_equal(v, REP | LEADER);
    assert_int_equal(smg_scorecard_item_int(org, 0, SMG_SCORECARD_ITEM_DUE, &v, NULL), 0);
    assert_int_equal(v, SMG_DEADLINE_MONTHLY);
    assert_int_equal(smg_scorecard_item_int(org, 0, SMG_SCORECARD_ITEM_DUE_DAY, &v, &null), 0);
    assert_int_equal(v, 31);
    assert_int_equal(null, 0);
    assert_int_equal(smg_scorecard_item_int(org, 4, SMG_SCORECARD_ITEM_DUE_DAY, &v, NULL), 0);
    assert_int_equal(v, 4); /* Friday */
    /* the walk: names, types, each getter refusing the others' fields */
    for (f = 0; smg_scorecard_item_field_name((smg_scorecard_item_field)f); f++) {
        smg_scorecard_item_field sf = (smg_scorecard_item_field)f;
        smg_type t = smg_scorecard_item_field_type(sf);
        size_t ix = 5;
        int64_t iv = 5;
        const char *tv = "x";
        assert_true(t != 0);
        assert_int_equal(smg_scorecard_item_index(org, 1, sf, &ix, NULL) == 0,
                         t == SMG_TYPE_INDEX);
        assert_int_equal(smg_scorecard_item_int(org, 1, sf, &iv, NULL) == 0,
                         t == SMG_TYPE_INT || t == SMG_TYPE_ENUM);
        assert_int_equal(smg_scorecard_item_text(org, 1, sf, &tv, NULL) == 0, t == SMG_TYPE_TEXT);
        assert_int_equal(smg_scorecard_item_int(org, 6, sf, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_index(org, 6, sf, &ix, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_text(org, 6, sf, &tv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_int(NULL, 0, sf, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_int(org, 0, sf, NULL, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_index(org, 0, sf, NULL, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_item_text(org, 0, sf, NULL, NULL), SMG_EINVAL);
    }
    assert_int_equal(f, 7);
    assert_string_equal(smg_scorecard_item_field_name(SMG_SCORECARD_ITEM_DEDUCT_X100),
                        "deduct_x100");
    assert_null(smg_scorecard_item_field_name((smg_scorecard_item_field)-1));
    assert_int_equal(smg_scorecard_item_field_type((smg_scorecard_item_field)7), 0);
    assert_int_equal(smg_scorecard_item_count(NULL), 0);
    /* an open batch: its items are staged, not committed */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "extra", "wr", 1000, 100, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_count(org), 6);
    assert_int_equal(smg_org_count(org, SMG_COUNT_SCORECARD_ITEMS), 7);
    assert_int_equal(smg_scorecard_item_find(org, "extra", &i), SMG_ENOTFOUND);
    assert_null(smg_scorecard_item_id(org, 6));
    assert_int_equal(smg_scorecard_item_int(org, 6, SMG_SCORECARD_ITEM_POINTS_X100, &v, NULL),
                     SMG_EINVAL);
    smg_batch_rollback(org);
    assert_int_equal(smg_org_count(org, SMG_COUNT_SCORECARD_ITEMS), 6);
    smg_org_free(org);
}

/* ---- checks when items are added and committed ---- */

static smg_org *bare(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "t", NULL), 0);
    assert_int_equal(smg_member_add(org, "r1", "r1", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "l1", "l1", "t", SMG_ROLE_LEADER), 0);
    return org;
}

/* Commit a batch that must fail with `status`, its messages containing
 * each of the NULL-terminated `want`, in order; nothing is added. */
static void expect_commit(smg_org *org, int status, ...)
{
    size_t before = smg_scorecard_item_count(org), i = 0;
    va_list ap;
    const char *w;
    int rc = smg_batch_commit(org);
    if (rc != status) {
        size_t k;
        for (k = 0; k < smg_org_error_count(org); k++)
            print_message("  %s\n", smg_org_error(org, k));
        fail_msg("commit: %d (%s), want %d", rc, smg_org_errmsg(org), status);
    }
    va_start(ap, status);
    while ((w = va_arg(ap, const char *)) != NULL) {
        if (i >= smg_org_error_count(org) || !strstr(smg_org_error(org, i), w))
            fail_msg("error %lu: \"%s\", want \"%s\"", (unsigned long)i,
                     i < smg_org_error_count(org) ? smg_org_error(org, i) : "(none)", w);
        i++;
    }
    va_end(ap);
    assert_int_equal(smg_org_error_count(org), i);
    assert_int_equal(smg_scorecard_item_count(org), before);
    assert_int_equal(smg_org_count(org, SMG_COUNT_SCORECARD_ITEMS), before);
}

static void test_item_checks(void **state)
{
    smg_org *org = bare();
    smg_deadline d;
    (void)state;
    /* at add */
    assert_int_equal(smg_scorecard_item_add(NULL, "a", NULL, 100, NONE, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_scorecard_item_add(org, "", NULL, 100, NONE, 0, NULL), SMG_EINVAL);
    assert_string_equal(smg_org_errmsg(org), "scorecard item #0: column item: item id is empty");
    assert_int_equal(smg_scorecard_item_add(org, NULL, NULL, 100, NONE, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_scorecard_item_add(org, "a\tb", NULL, 100, NONE, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_scorecard_item_add(org, "a", "p\n", 100, NONE, 0, NULL), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "column parent: parent id"));
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, -1, NONE, 0, NULL), SMG_ERANGE);
    assert_string_equal(smg_org_errmsg(org),
                        "scorecard item #0: column points: item \"a\": points must be 0-100");
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 10001, NONE, 0, NULL), SMG_ERANGE);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, 0, 0, NULL), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "column deduct: item \"a\": a deduction per "
                                                "fault must be more than 0"));
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, 10001, 0, NULL), SMG_ERANGE);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, -5, 0, NULL), SMG_ERANGE);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0x20, NULL), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "column roles"));
    d = monthly(32);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "column due: item \"a\": not a deadline"));
    d = monthly(0);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    d = weekly(7);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    d = weekly(-1);
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    d.kind = SMG_DEADLINE_NONE;
    d.day = 3;
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    d.kind = (smg_deadline_kind)3;
    assert_int_equal(smg_scorecard_item_add(org, "a", NULL, 100, NONE, 0, &d), SMG_ERANGE);
    assert_int_equal(smg_scorecard_item_count(org), 0);
    /* the edges are accepted: 0 and 100 points, a deduction of 100 */
    assert_int_equal(smg_scorecard_item_add(org, "zero", NULL, 0, 10000, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "full", NULL, 10000, 1, LEADER, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "zero", NULL, 0, NONE, 0, NULL), SMG_EEXISTS);
    assert_string_equal(smg_org_errmsg(org),
                        "scorecard item #2: column item: item \"zero\" is defined twice");

    /* at commit: an unknown parent; a parent later in the batch is fine */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "kid", "later", 100, 100, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "orphan", "nobody", 100, 100, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "later", "full", 100, NONE, 0, NULL), 0);
    expect_commit(org, SMG_ENOTFOUND,
                  "scorecard item #3: column parent: item \"orphan\": parent item \"nobody\" "
                  "does not exist",
                  NULL);
    /* a cycle, and an item its own parent */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "p", "q", 100, NONE, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "q", "p", 100, NONE, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "s", "s", 100, NONE, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "under", "q", 100, 100, 0, NULL), 0);
    expect_commit(org, SMG_EDATA,
                  "scorecard item #2: column parent: item \"p\": parent item \"q\" is part of "
                  "a cycle of parents",
                  "item \"q\": parent item \"p\" is part of a cycle", "item \"s\": parent item "
                  "\"s\" is part of a cycle", NULL);
    /* children past their parent: reported at the child that goes past */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "mr", NULL, 6000, NONE, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c1", "mr", 3000, 500, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c2", "mr", 2550, 500, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c3", "mr", 1000, 500, 0, NULL), 0);
    expect_commit(org, SMG_ERULE,
                  "scorecard item #5: column points: item \"c3\": the children of \"mr\" add "
                  "up to 65.5 points, more than its 60",
                  NULL);
    /* a deduction on a parent, reported once */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "mr", NULL, 6000, 500, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c1", "mr", 3000, 500, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c2", "mr", 3000, 500, 0, NULL), 0);
    expect_commit(org, SMG_ERULE,
                  "scorecard item #3: column parent: item \"c1\": parent item \"mr\" has a "
                  "deduction per fault; an item with children takes none",
                  NULL);
    /* a role's top level past 100 points: reps have "zero" (0) + 60 + 40.5;
     * leaders "full" (100) + 40.5; supervisors 40.5 only */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "mr", NULL, 6000, NONE, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "extra", NULL, 4050, NONE, 0, NULL), 0);
    expect_commit(org, SMG_EDATA,
                  "scorecard item #3: column points: item \"extra\": the top-level items of "
                  "role rep add up to 100.5 points, more than 100",
                  "item \"extra\": the top-level items of role leader add up to 140.5 points",
                  NULL);
    /* exactly 100 a role passes; children do not count toward it */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "mr", NULL, 6000, NONE, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "c1", "mr", 6000, 500, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "wr", NULL, 4000, 1000, REP, NULL), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_scorecard_item_count(org), 5);
    /* a later batch adds a child past the parent's points */
    assert_int_equal(smg_scorecard_item_add(org, "c2", "mr", 1, 1, 0, NULL), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "the children of \"mr\" add up to 60.01 points"));
    assert_int_equal(smg_scorecard_item_add(org, "w1", "wr", 100, 100, 0, NULL), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "parent item \"wr\" has a deduction"));
    assert_int_equal(smg_scorecard_item_count(org), 5);
    smg_org_free(org);
}

/* ---- fault and submit events ---- */

static void test_events(void **state)
{
    smg_org *org = fixture();
    size_t pos, m;
    const char *ref;
    int64_t v;
    int null, found_fault = 0, found_submit = 0;
    (void)state;
    /* the log reader names the item, a fault's count (1 by default) */
    for (pos = 0; pos < smg_event_count(org); pos++) {
        int64_t type;
        assert_int_equal(smg_event_int(org, pos, SMG_EVENT_TYPE, &type, NULL), 0);
        if (type != SMG_EV_FAULT && type != SMG_EV_SUBMIT)
            continue;
        assert_int_equal(smg_event_text(org, pos, SMG_EVENT_REF, &ref, &null), 0);
        assert_int_equal(null, 0);
        assert_int_equal(smg_event_index(org, pos, SMG_EVENT_MEMBER, &m, NULL), 0);
        assert_int_equal(smg_event_int(org, pos, SMG_EVENT_VALUE, &v, &null), 0);
        if (type == SMG_EV_SUBMIT) {
            assert_int_equal(null, 1);
            found_submit++;
        } else if (strcmp(ref, "sum") == 0) {
            assert_string_equal(smg_member_id(org, m), "a");
            assert_int_equal(null, 0);
            assert_int_equal(v, 3);
            found_fault++;
        } else if (strcmp(ref, "lo") == 0) {
            assert_int_equal(v, 1);
            found_fault++;
        }
    }
    assert_int_equal(found_fault, 2);
    assert_int_equal(found_submit, 24);
    /* an unknown item, none, a bad count */
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "a", "nope", 1), SMG_ENOTFOUND);
    assert_string_equal(smg_org_errmsg(org),
                        "event #31: column ref: scorecard item \"nope\" does not exist");
    assert_int_equal(event(org, "2026-10-01", SMG_EV_SUBMIT, "a", NULL, SMG_MONEY_NONE),
                     SMG_EINVAL);
    assert_string_equal(smg_org_errmsg(org),
                        "event #31: column ref: a scorecard item id is required");
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "a", "sum", 0), SMG_ERANGE);
    assert_string_equal(smg_org_errmsg(org),
                        "event #31: column value: a fault's count must be a whole number 1-10000");
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "a", "sum", 10001), SMG_ERANGE);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, NULL, "sum", 1), SMG_EINVAL);
    /* an item that does not apply to the member's role: wr is for reps; prop
     * is for reps and its parent for reps and leaders; sum applies to
     * leaders through mr; nothing applies to the director */
    assert_int_equal(event(org, "2026-10-01", SMG_EV_SUBMIT, "ld", "wr", SMG_MONEY_NONE),
                     SMG_ERULE);
    assert_string_equal(smg_org_errmsg(org),
                        "event #31: column ref: scorecard item \"wr\" does not apply to member "
                        "\"ld\" (role leader)");
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "ld", "prop", 1), SMG_ERULE);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "dir", "sum", 1), SMG_ERULE);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "a", "lo", 1), SMG_ERULE);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_FAULT, "ld", "sum", 1), 0);
    /* outside the member's dates, as every event */
    assert_int_equal(event(org, "2026-10-21", SMG_EV_SUBMIT, "c", "wr", SMG_MONEY_NONE),
                     SMG_ERULE);
    /* the item must exist when the event is added, even in one batch */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_SUBMIT, "a", "new", SMG_MONEY_NONE),
                     SMG_ENOTFOUND);
    smg_batch_rollback(org);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_item_add(org, "kid", "new", 0, 100, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "new", NULL, 0, NONE, LEADER, NULL), 0);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_SUBMIT, "ld", "kid", SMG_MONEY_NONE), 0);
    assert_int_equal(event(org, "2026-10-01", SMG_EV_SUBMIT, "a", "kid", SMG_MONEY_NONE), 0);
    /* the leader's passes, the rep's does not: its parent is the leaders' */
    assert_int_equal(smg_batch_commit(org), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "scorecard item \"kid\" does not apply to "
                                                "member \"a\" (role rep)"));
    assert_int_equal(smg_scorecard_item_count(org), 6);
    smg_org_free(org);
}

/* ---- the worked months ---- */

static void test_october(void **state)
{
    smg_org *org = fixture();
    smg_scorecard *r = compute(org, "2026-10");
    (void)state;
    assert_int_equal(smg_scorecard_member_count(r), 7);
    /* a */
    expect_member(org, r, "a", 5500, SMG_SCORE_SOURCE_SCORECARD, 5500);
    expect_items(org, r, "a", "mr -sum -plan -prop wr");
    expect_line(org, r, "a", "mr", 2500, 0, 0, 0);     /* 10-31 23:59: on time */
    expect_line(org, r, "a", "sum", 500, 3, 0, 0);     /* a fault of count 3 */
    expect_line(org, r, "a", "plan", 2000, 0, 0, 0);
    expect_line(org, r, "a", "prop", 0, 1, 0, 1);      /* doubled, below 0 → 0 */
    expect_line(org, r, "a", "wr", 3000, 1, 1, 0);     /* 10-16 missed; 09-29 counts */
    /* b starts on 10-15 */
    expect_member(org, r, "b", 9000, SMG_SCORE_SOURCE_SCORECARD, 9000);
    expect_line(org, r, "b", "mr", 6000, 0, 0, 0);
    expect_line(org, r, "b", "wr", 3000, 1, 1, 0);
    /* c leaves on 10-20 */
    expect_member(org, r, "c", 6000, SMG_SCORE_SOURCE_SCORECARD, 6000);
    expect_line(org, r, "c", "mr", 6000, 0, 0, 0);
    expect_line(org, r, "c", "wr", 0, 3, 3, 1);
    /* ld: the report a minute late zeroes mr, not its children */
    expect_member(org, r, "ld", 0, SMG_SCORE_SOURCE_SCORECARD, 0);
    expect_items(org, r, "ld", "mr -sum -plan lo");
    expect_line(org, r, "ld", "mr", 0, 1, 1, 0);
    expect_line(org, r, "ld", "sum", 2000, 0, 0, 0);
    expect_line(org, r, "ld", "prop", -1, 0, 0, 0);    /* reps only */
    expect_line(org, r, "ld", "lo", 0, 1, 0, 0);
    /* x: a fault on the parent itself */
    expect_member(org, r, "x", 4000, SMG_SCORE_SOURCE_SCORECARD, 4000);
    expect_line(org, r, "x", "mr", 0, 1, 0, 0);
    expect_line(org, r, "x", "prop", 2000, 0, 0, 0);
    expect_line(org, r, "x", "wr", 4000, 0, 0, 0);
    /* g: a given score wins; the scorecard still says what it would give */
    expect_member(org, r, "g", 8000, SMG_SCORE_SOURCE_GIVEN, 0);
    expect_line(org, r, "g", "wr", 0, 5, 5, 1);
    expect_items(org, r, "g", "mr -sum -plan -prop wr");
    /* dir: nothing applies */
    expect_member(org, r, "dir", 0, SMG_SCORE_SOURCE_NONE, -1);
    expect_items(org, r, "dir", "");
    smg_scorecard_free(r);
    smg_org_free(org);
}

static void test_other_months(void **state)
{
    smg_org *org = fixture();
    smg_scorecard *r = compute(org, "2026-09");
    (void)state;
    /* September: mr due on the 30th (the 31st does not exist); a's prop */
    expect_member(org, r, "a", 8500, SMG_SCORE_SOURCE_SCORECARD, 8500);
    expect_line(org, r, "a", "mr", 4500, 0, 0, 0);     /* 09-30 23:59: on time */
    expect_line(org, r, "a", "prop", 500, 1, 0, 0);
    expect_line(org, r, "a", "wr", 4000, 0, 0, 0);
    /* c: four Fridays missed; the week of 10-02 counts in October */
    expect_line(org, r, "c", "wr", 0, 4, 4, 1);
    expect_line(org, r, "c", "mr", 0, 1, 1, 0);
    /* b not employed yet: no score, no lines */
    expect_member(org, r, "b", 0, SMG_SCORE_SOURCE_NONE, -1);
    expect_items(org, r, "b", "");
    /* g has no work_score in September: the scorecard decides */
    expect_member(org, r, "g", 0, SMG_SCORE_SOURCE_SCORECARD, 0);
    smg_scorecard_free(r);
    /* February 2026: due on the 28th */
    r = compute(org, "2026-02");
    expect_line(org, r, "a", "mr", 6000, 0, 0, 0);     /* 02-28: on time */
    expect_line(org, r, "x", "mr", 0, 1, 1, 0);        /* handed in 03-01: late */
    smg_scorecard_free(r);
    r = compute(org, "2026-03");
    expect_line(org, r, "x", "mr", 6000, 0, 0, 0);     /* 03-01 is in March's cycle */
    smg_scorecard_free(r);
    /* February 2028: due on the 29th */
    r = compute(org, "2028-02");
    expect_line(org, r, "x", "mr", 6000, 0, 0, 0);
    expect_line(org, r, "x", "sum", 2000, 0, 0, 0);
    smg_scorecard_free(r);
    /* November: ld's 11-01 00:00 counts for November's cycle */
    r = compute(org, "2026-11");
    expect_line(org, r, "ld", "mr", 4000, 0, 0, 0);
    expect_line(org, r, "ld", "lo", 4000, 0, 0, 0);
    expect_member(org, r, "c", 0, SMG_SCORE_SOURCE_NONE, -1); /* gone */
    smg_scorecard_free(r);
    smg_org_free(org);
}

/* A week that straddles two months, seen from both; a deduction without
 * a deadline doubled by a fault the month before; a parent whose children
 * all leave the role out. */
static void test_more_edges(void **state)
{
    smg_org *org = NULL;
    smg_deadline sun = weekly(6);
    smg_scorecard *r;
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "t", "t", NULL), 0);
    assert_int_equal(smg_member_add(org, "r", "r", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "l", "l", "t", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_scorecard_item_add(org, "ws", NULL, 3000, 1000, 0, &sun), 0);
    assert_int_equal(smg_scorecard_item_add(org, "box", NULL, 3000, NONE, 0, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "in", "box", 3000, 1000, REP, NULL), 0);
    assert_int_equal(smg_scorecard_item_add(org, "dd", NULL, 4000, 2500, REP, NULL), 0);
    /* weekly:sun: the week Mon 2026-08-31 .. Sun 09-06 counts in September;
     * the submit on Monday 08-31 cures it */
    submit(org, "2026-08-31T08:00", "r", "ws");
    submit(org, "2026-09-13T23:59", "r", "ws");
    submit(org, "2026-09-21T00:00", "r", "ws"); /* late for 09-20, early for 09-27 */
    fault(org, "2026-08-20T10:00", "r", "dd", 1);
    fault(org, "2026-09-02T10:00", "r", "dd", 1);
    assert_int_equal(smg_batch_commit(org), 0);
    r = compute(org, "2026-09");
    /* Sundays 6, 13, 20, 27: only 20 missed */
    expect_line(org, r, "r", "ws", 1000, 1, 1, 1); /* doubled: August's Sundays were missed */
    expect_line(org, r, "r", "in", 3000, 0, 0, 0);
    expect_line(org, r, "r", "box", 3000, 0, 0, 0);
    expect_line(org, r, "r", "dd", 0, 1, 0, 1);    /* 40 − 25 × 2 < 0 */
    /* the leader: box has no child for leaders: 0 */
    expect_items(org, r, "l", "ws box");
    expect_line(org, r, "l", "box", 0, 0, 0, 0);
    smg_scorecard_free(r);
    r = compute(org, "2026-08");
    /* August: Sundays 2, 9, 16, 23, 30 all missed (and July's); the week of
     * 09-06 is not August's */
    expect_line(org, r, "r", "ws", 0, 5, 5, 1);
    expect_line(org, r, "r", "dd", 1500, 1, 0, 0);
    smg_scorecard_free(r);
    smg_org_free(org);
}

/* ---- pay takes the scorecard's work score ---- */

static double pay_val(const smg_org *org, const smg_pay_report *p, const char *member,
                      smg_pay_field f)
{
    size_t i, m;
    double v = -1;
    for (i = 0; i < smg_pay_count(p); i++) {
        assert_int_equal(smg_pay_index(p, i, SMG_PAY_MEMBER, &m, NULL), 0);
        if (strcmp(smg_member_id(org, m), member) == 0) {
            assert_int_equal(smg_pay_double(p, i, f, &v, NULL), 0);
            return v;
        }
    }
    fail_msg("no pay row for %s", member);
    return 0;
}

static smg_pay_report *pay(smg_org *org, const char *month)
{
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *p = NULL;
    assert_int_equal(smg_period_parse(&o.month, month), 0);
    if (smg_pay_compute(&p, org, &o))
        fail_msg("pay: %s", smg_org_errmsg(org));
    return p;
}

static void test_pay(void **state)
{
    smg_org *org = fixture();
    smg_pay_report *p = pay(org, "2026-10");
    (void)state;
    assert_true(fabs(pay_val(org, p, "a", SMG_PAY_WORK_SCORE) - 55) < 1e-9);
    assert_true(pay_val(org, p, "a", SMG_PAY_WORK_SCORE_SOURCE) == SMG_SCORE_SOURCE_SCORECARD);
    assert_true(fabs(pay_val(org, p, "a", SMG_PAY_MONTHLY_SCORE) - (55 * 0.7 + 30)) < 1e-9);
    /* work pay: 10000.00 × 0.15 × 68.5 / 100 = 1027.50 */
    assert_true(pay_val(org, p, "a", SMG_PAY_WORK_PAY) == 102750);
    /* annual: January and March to August 0 + 30 each, February 60,
     * September 85, October 55; not November and December, which have not
     * happened */
    assert_true(fabs(pay_val(org, p, "a", SMG_PAY_ANNUAL_SCORE) -
                     (7 * 30 + (60 * 0.7 + 30) + (85 * 0.7 + 30) + (55 * 0.7 + 30)) / 12) <
                1e-9);
    assert_true(fabs(pay_val(org, p, "g", SMG_PAY_WORK_SCORE) - 80) < 1e-9);
    assert_true(pay_val(org, p, "g", SMG_PAY_WORK_SCORE_SOURCE) == SMG_SCORE_SOURCE_GIVEN);
    assert_true(pay_val(org, p, "dir", SMG_PAY_WORK_SCORE) == 0);
    assert_true(pay_val(org, p, "dir", SMG_PAY_WORK_SCORE_SOURCE) == SMG_SCORE_SOURCE_NONE);
    assert_true(fabs(pay_val(org, p, "dir", SMG_PAY_MONTHLY_SCORE) - 30) < 1e-9);
    assert_true(fabs(pay_val(org, p, "b", SMG_PAY_WORK_SCORE) - 90) < 1e-9);
    smg_pay_report_free(p);
    p = pay(org, "2026-09");
    assert_true(fabs(pay_val(org, p, "a", SMG_PAY_ANNUAL_SCORE) -
                     (7 * 30 + (60 * 0.7 + 30) + (85 * 0.7 + 30)) / 12) < 1e-9);
    /* b was not employed in September: no score from the scorecard */
    assert_true(pay_val(org, p, "b", SMG_PAY_WORK_SCORE_SOURCE) == SMG_SCORE_SOURCE_NONE);
    smg_pay_report_free(p);
    /* every member and month: pay's work score is the scorecard's */
    {
        static const char *const months[] = { "2026-01", "2026-02", "2026-09", "2026-10",
                                              "2026-11", "2027-01" };
        size_t k, i;
        for (k = 0; k < sizeof months / sizeof months[0]; k++) {
            smg_scorecard *r = compute(org, months[k]);
            p = pay(org, months[k]);
            assert_int_equal(smg_pay_count(p), smg_scorecard_member_count(r));
            for (i = 0; i < smg_pay_count(p); i++) {
                int64_t a, b, s1, s2;
                assert_int_equal(smg_pay_int(p, i, SMG_PAY_WORK_SCORE_X100, &a, NULL), 0);
                assert_int_equal(smg_pay_int(p, i, SMG_PAY_WORK_SCORE_SOURCE, &s1, NULL), 0);
                b = mint(r, i, SMG_SCORECARD_MEMBER_WORK_SCORE_X100, NULL);
                s2 = mint(r, i, SMG_SCORECARD_MEMBER_SOURCE, NULL);
                assert_int_equal(a, b);
                assert_int_equal(s1, s2);
            }
            smg_pay_report_free(p);
            smg_scorecard_free(r);
        }
    }
    smg_org_free(org);
}

/* ---- the result's tables ---- */

static void test_getters(void **state)
{
    smg_org *org = fixture();
    smg_scorecard *r = compute(org, "2026-10");
    size_t dir = row_of(org, r, "dir"), a = row_of(org, r, "a");
    size_t nm = smg_scorecard_member_count(r), nl = smg_scorecard_line_count(r);
    smg_subject s;
    int f, n;
    (void)state;
    assert_int_equal(nl, 5 + 5 + 5 + 4 + 5 + 5); /* a b c ld x g */
    for (f = 0, n = 0; smg_scorecard_member_field_name((smg_scorecard_member_field)f); f++, n++) {
        smg_scorecard_member_field mf = (smg_scorecard_member_field)f;
        smg_type t = smg_scorecard_member_field_type(mf);
        size_t ix = 777;
        int64_t iv = 777;
        double dv = 777;
        int null = 7;
        assert_true(t != 0);
        if (t == SMG_TYPE_INDEX) {
            assert_int_equal(smg_scorecard_member_index(r, a, mf, &ix, &null), 0);
            assert_string_equal(smg_member_id(org, ix), "a");
            assert_int_equal(null, 0);
            assert_int_equal(smg_scorecard_member_index(r, a, mf, &ix, NULL), 0);
            assert_int_equal(smg_scorecard_member_int(r, a, mf, &iv, NULL), SMG_EINVAL);
            assert_int_equal(smg_scorecard_member_double(r, a, mf, &dv, NULL), SMG_EINVAL);
        } else {
            assert_int_equal(smg_scorecard_member_index(r, a, mf, &ix, &null), SMG_EINVAL);
            assert_int_equal(ix, 777);
            assert_int_equal(null, 7);
            assert_int_equal(smg_scorecard_member_double(r, a, mf, &dv, &null), 0);
            assert_int_equal(null, 0);
            if (t == SMG_TYPE_DOUBLE) {
                assert_int_equal(smg_scorecard_member_int(r, a, mf, &iv, &null), SMG_EINVAL);
                assert_int_equal(iv, 777);
            } else {
                assert_int_equal(smg_scorecard_member_int(r, a, mf, &iv, &null), 0);
                assert_true(dv == (double)iv);
            }
            /* dir: the scorecard's score is null (0) */
            null = 7;
            assert_int_equal(smg_scorecard_member_double(r, dir, mf, &dv, &null), 0);
            if (mf == SMG_SCORECARD_MEMBER_SCORECARD_SCORE ||
                mf == SMG_SCORECARD_MEMBER_SCORECARD_SCORE_X100) {
                assert_int_equal(null, 1);
                assert_true(dv == 0);
            } else {
                assert_int_equal(null, 0);
            }
        }
        assert_int_equal(smg_scorecard_member_index(r, nm, mf, &ix, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_int(r, nm, mf, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_double(r, nm, mf, &dv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_double(NULL, 0, mf, &dv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_double(r, 0, mf, NULL, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_int(r, 0, mf, NULL, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_member_index(r, 0, mf, NULL, NULL), SMG_EINVAL);
    }
    assert_int_equal(n, 8);
    assert_string_equal(smg_scorecard_member_field_name(SMG_SCORECARD_MEMBER_SOURCE), "source");
    assert_null(smg_scorecard_member_field_name((smg_scorecard_member_field)8));
    assert_int_equal(smg_scorecard_member_field_type((smg_scorecard_member_field)-1), 0);
    for (f = 0, n = 0; smg_scorecard_line_field_name((smg_scorecard_line_field)f); f++, n++) {
        smg_scorecard_line_field lf = (smg_scorecard_line_field)f;
        smg_type t = smg_scorecard_line_field_type(lf);
        size_t ix = 777;
        int64_t iv = 777;
        double dv = 777;
        int null = 7;
        assert_true(t != 0);
        assert_int_equal(smg_scorecard_line_index(r, 0, lf, &ix, &null) == 0,
                         t == SMG_TYPE_INDEX);
        assert_int_equal(smg_scorecard_line_int(r, 0, lf, &iv, &null) == 0,
                         t == SMG_TYPE_INT || t == SMG_TYPE_BOOL);
        assert_int_equal(smg_scorecard_line_double(r, 0, lf, &dv, &null) == 0,
                         t != SMG_TYPE_INDEX);
        assert_int_equal(smg_scorecard_line_int(r, nl, lf, &iv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_line_index(r, nl, lf, &ix, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_line_double(r, nl, lf, &dv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_line_double(NULL, 0, lf, &dv, NULL), SMG_EINVAL);
        assert_int_equal(smg_scorecard_line_int(r, 0, lf, NULL, NULL), SMG_EINVAL);
    }
    assert_int_equal(n, 8);
    assert_string_equal(smg_scorecard_line_field_name(SMG_SCORECARD_LINE_DOUBLED), "doubled");
    assert_null(smg_scorecard_line_field_name((smg_scorecard_line_field)8));
    {
        double dv;
        /* a's first line is mr: 25 points */
        size_t first = (size_t)mint(r, a, SMG_SCORECARD_MEMBER_FIRST_LINE, NULL);
        assert_int_equal(smg_scorecard_line_double(r, first, SMG_SCORECARD_LINE_SCORE, &dv, NULL),
                         0);
        assert_true(fabs(dv - 25) < 1e-9);
        assert_int_equal(smg_scorecard_line_subject(r, first, &s), 0);
        assert_int_equal(s.kind, SMG_SUBJECT_MEMBER);
        assert_string_equal(smg_member_id(org, s.index), "a");
    }
    assert_int_equal(smg_scorecard_member_subject(r, a, &s), 0);
    assert_int_equal(s.kind, SMG_SUBJECT_MEMBER);
    assert_string_equal(smg_member_id(org, s.index), "a");
    assert_int_equal(smg_scorecard_member_subject(r, nm, &s), SMG_EINVAL);
    assert_int_equal(smg_scorecard_member_subject(NULL, 0, &s), SMG_EINVAL);
    assert_int_equal(smg_scorecard_member_subject(r, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_scorecard_line_subject(r, nl, &s), SMG_EINVAL);
    assert_int_equal(smg_scorecard_member_count(NULL), 0);
    assert_int_equal(smg_scorecard_line_count(NULL), 0);
    smg_scorecard_free(r);
    smg_scorecard_free(NULL);
    smg_org_free(org);
}

/* ---- visibility ---- */

static void test_visibility(void **state)
{
    smg_org *org = fixture();
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r;
    size_t i;
    (void)state;
    r = compute_as(org, "2026-10", "a");
    assert_int_equal(smg_scorecard_member_count(r), 1);
    expect_member(org, r, "a", 5500, SMG_SCORE_SOURCE_SCORECARD, 5500);
    assert_int_equal(smg_scorecard_line_count(r), 5);
    assert_int_equal(mint(r, 0, SMG_SCORECARD_MEMBER_FIRST_LINE, NULL), 0);
    smg_scorecard_free(r);
    r = compute_as(org, "2026-10", "ld"); /* team t: a b c ld g */
    assert_int_equal(smg_scorecard_member_count(r), 5);
    for (i = 0; i < smg_scorecard_line_count(r); i++) {
        size_t m;
        assert_int_equal(smg_scorecard_line_index(r, i, SMG_SCORECARD_LINE_MEMBER, &m, NULL), 0);
        assert_true(strcmp(smg_member_id(org, m), "x") != 0);
    }
    expect_member(org, r, "g", 8000, SMG_SCORE_SOURCE_GIVEN, 0);
    smg_scorecard_free(r);
    r = compute_as(org, "2026-10", "dir"); /* leads nothing */
    assert_int_equal(smg_scorecard_member_count(r), 1);
    assert_int_equal(smg_scorecard_line_count(r), 0);
    smg_scorecard_free(r);
    assert_int_equal(smg_period_parse(&o.month, "2026-10"), 0);
    o.as_member = "nobody";
    r = (smg_scorecard *)1;
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "nobody"));
    smg_org_free(org);
}

/* ---- misuse ---- */

static void test_errors(void **state)
{
    smg_org *org = fixture();
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r = (smg_scorecard *)1;
    (void)state;
    assert_int_equal(smg_scorecard_compute(NULL, org, &o), SMG_EINVAL);
    assert_int_equal(smg_scorecard_compute(&r, NULL, &o), SMG_EINVAL);
    assert_null(r);
    r = (smg_scorecard *)1;
    assert_int_equal(smg_scorecard_compute(&r, org, NULL), SMG_EINVAL);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "the month is required"));
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_EINVAL); /* no month */
    assert_non_null(strstr(smg_org_errmsg(org), "the month is required"));
    assert_int_equal(smg_period_parse(&o.month, "2026-Q4"), 0);
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "not a valid period of kind SMG_PERIOD_MONTH"));
    o.month.kind = SMG_PERIOD_MONTH; /* from/to of a quarter */
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_EINVAL);
    assert_int_equal(smg_period_parse(&o.month, "2026-10"), 0);
    o.version = 2;
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_EVERSION);
    assert_null(r);
    o.version = SMG_SCORECARD_OPTIONS_VERSION;
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_scorecard_compute(&r, org, &o), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_scorecard_compute(&r, org, &o), 0);
    smg_scorecard_free(r);
    {
        smg_scorecard_options x;
        memset(&x, 0x55, sizeof x);
        assert_int_equal(smg_scorecard_options_init(&x, SMG_SCORECARD_OPTIONS_VERSION), 0);
        assert_int_equal(x.version, SMG_SCORECARD_OPTIONS_VERSION);
        assert_null(x.as_member);
        assert_int_equal(x.month.kind, 0);
        assert_int_equal(smg_scorecard_options_init(&x, 9), SMG_EVERSION);
        assert_int_equal(smg_scorecard_options_init(NULL, SMG_SCORECARD_OPTIONS_VERSION),
                         SMG_EINVAL);
    }
    smg_org_free(org);
}

/* An org without items scores nobody: every work score is given or none,
 * and pay is what it was without the scorecard. */
static void test_no_items(void **state)
{
    smg_org *org = NULL;
    smg_scorecard *r;
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    people(org);
    assert_int_equal(event(org, "2026-10-15T10:00", SMG_EV_WORK_SCORE, "g", NULL, 7750), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    r = compute(org, "2026-10");
    assert_int_equal(smg_scorecard_member_count(r), 7);
    assert_int_equal(smg_scorecard_line_count(r), 0);
    expect_member(org, r, "g", 7750, SMG_SCORE_SOURCE_GIVEN, -1);
    expect_member(org, r, "a", 0, SMG_SCORE_SOURCE_NONE, -1);
    smg_scorecard_free(r);
    smg_org_free(org);
}

/* ---- scorecard.csv and the events of a dataset ---- */

static const char *const files[] = { "teams.csv", "members.csv", "events.csv",
                                     "scorecard.csv" };

static void put(const char *dir, const char *name, const char *text)
{
    char path[128];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Load a dataset of the fixture's people with this scorecard.csv and
 * events.csv; the messages must contain each of the NULL-terminated list,
 * in order (none: it loads). */
static void load(const char *scorecard, const char *events, ...)
{
    char dir[64];
    smg_org *org = NULL;
    va_list ap;
    const char *w;
    size_t i = 0, k;
    int rc;
    strcpy(dir, "/tmp/smg_test_sc_XXXXXX");
    assert_non_null(mkdtemp(dir));
    put(dir, "teams.csv", "team_id,name,parent_id,leader_id\nt,t,,ld\n");
    put(dir, "members.csv", "member_id,team_id,role,start_date,end_date\n"
                            "a,t,rep,2026-01-01,\nld,t,leader,,\n");
    put(dir, "events.csv", events);
    if (scorecard)
        put(dir, "scorecard.csv", scorecard);
    assert_int_equal(smg_org_new(&org, NULL), 0);
    rc = smg_dataset_load(org, dir);
    va_start(ap, events);
    while ((w = va_arg(ap, const char *)) != NULL) {
        if (i >= smg_org_error_count(org) || !strstr(smg_org_error(org, i), w)) {
            for (k = 0; k < smg_org_error_count(org); k++)
                print_message("  %s\n", smg_org_error(org, k));
            fail_msg("error %lu, want \"%s\"", (unsigned long)i, w);
        }
        i++;
    }
    va_end(ap);
    if (i != smg_org_error_count(org)) {
        for (k = 0; k < smg_org_error_count(org); k++)
            print_message("  %s\n", smg_org_error(org, k));
        fail_msg("%lu errors, want %lu", (unsigned long)smg_org_error_count(org),
                 (unsigned long)i);
    }
    assert_int_equal(rc == 0, i == 0);
    if (!i) {
        smg_scorecard *r = compute(org, "2026-10");
        expect_member(org, r, "a", 10000, SMG_SCORE_SOURCE_SCORECARD, 10000);
        smg_scorecard_free(r);
    } else {
        assert_int_equal(smg_scorecard_item_count(org), 0);
        assert_int_equal(smg_event_count(org), 0);
    }
    smg_org_free(org);
    for (k = 0; k < sizeof files / sizeof files[0]; k++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        unlink(path);
    }
    rmdir(dir);
}

static void test_dataset(void **state)
{
    static const char good[] = "item,parent,points,deduct,roles,due\n"
                               "mr,,60,,rep;leader,monthly:31\n"
                               "sum,mr,60,2.5,,\n"
                               "wr,,40,10,rep,weekly:fri\n";
    static const char ev[] = "at,type,member,ref,value\n"
                             "2026-10-31T23:59,submit,a,mr,\n"
                             "2026-10-02,submit,a,wr,\n"
                             "2026-10-09,submit,a,wr,\n"
                             "2026-10-16,submit,a,wr,\n"
                             "2026-10-23,submit,a,wr,\n"
                             "2026-10-30,submit,a,wr,\n"
                             "2026-09-03,fault,a,sum,2\n";
    (void)state;
    load(good, ev, NULL);
    /* the columns of each row */
    load("item,parent,points,deduct,roles,due\n"
         "mr,,sixty,,,\n"
         "a,,10,0.125,,\n"
         "b,,10,,rep;boss,\n"
         "c,,10,,rep;,\n"
         "d,,10,,,monthly:32\n"
         "e,,10,,,weekly:friday\n"
         ",,10,,,\n"
         "f,,,,,\n"
         "g,,10,0,,\n"
         "h,,100.5,,,\n",
         "at,type,member,ref\n",
         "scorecard.csv:2: column points: \"sixty\" is not a number of points",
         "scorecard.csv:3: column deduct: \"0.125\" is not a number of points",
         "scorecard.csv:4: column roles: \"rep;boss\" is not a list of roles",
         "scorecard.csv:5: column roles: \"rep;\" ends with ;",
         "scorecard.csv:6: column due: \"monthly:32\" is not a deadline",
         "scorecard.csv:7: column due: \"weekly:friday\" is not a deadline",
         "scorecard.csv:8: column item: a value is required",
         "scorecard.csv:9: column points: a value is required",
         "scorecard.csv:10: column deduct: item \"g\": a deduction per fault must be more than 0",
         "scorecard.csv:11: column points: item \"h\": points must be 0-100", NULL);
    /* the checks at commit, with the rows' lines */
    load("item,parent,points,deduct,roles,due\n"
         "mr,,60,5,rep,monthly:30\n"
         "sum,mr,20,5,,\n"
         "plan,mr,50,5,,\n"
         "lost,nowhere,5,,,\n"
         "wr,,50,,rep,weekly:fri\n",
         "at,type,member,ref\n",
         "scorecard.csv:5: column parent: item \"lost\": parent item \"nowhere\" does not exist",
         NULL);
    load("item,parent,points,deduct,roles,due\n"
         "mr,,60,5,rep,monthly:30\n"
         "sum,mr,20,5,,\n"
         "plan,mr,50,5,,\n"
         "wr,,50,,rep,weekly:fri\n",
         "at,type,member,ref\n",
         "scorecard.csv:3: column parent: item \"sum\": parent item \"mr\" has a deduction",
         "scorecard.csv:4: column points: item \"plan\": the children of \"mr\" add up to 70 "
         "points, more than its 60",
         "scorecard.csv:5: column points: item \"wr\": the top-level items of role rep add up "
         "to 110 points, more than 100",
         NULL);
    load("item,parent,points\nx,y,10\ny,x,10\n", "at,type,member,ref\n",
         "scorecard.csv:2: column parent: item \"x\": parent item \"y\" is part of a cycle",
         "scorecard.csv:3: column parent: item \"y\": parent item \"x\" is part of a cycle", NULL);
    /* fault and submit events */
    load(good,
         "at,type,member,ref,value\n"
         "2026-10-01,fault,a,sum,1.5\n"
         "2026-10-01,fault,a,nope,\n"
         "2026-10-01,submit,a,,\n"
         "2026-10-01,fault,a,sum,0\n"
         "2026-10-01,submit,ld,wr,\n"
         "2025-12-31,submit,a,wr,\n",
         "events.csv:2: column value: \"1.5\" is not a whole number of faults",
         "events.csv:3: column ref: scorecard item \"nope\" does not exist",
         "events.csv:4: column ref: a scorecard item id is required",
         "events.csv:5: column value: a fault's count must be a whole number 1-10000",
         /* the checks of the log, in time order */
         "events.csv:7: column at: 2025-12-31 is outside member \"a\"'s start and leave dates",
         "events.csv:6: column ref: scorecard item \"wr\" does not apply to member \"ld\" "
         "(role leader)",
         NULL);
    /* a scorecard.csv without its required columns: the events are not read */
    load("item,parent\nmr,\n", "at,type,member,ref\n2026-10-01,submit,a,mr\n",
         "scorecard.csv", NULL);
    /* no scorecard.csv: a fault names an unknown item */
    load(NULL, "at,type,member,ref\n2026-10-01,fault,a,mr\n",
         "events.csv:2: column ref: scorecard item \"mr\" does not exist", NULL);
}

/* ---- allocation failures ---- */

static smg_org *failing_org(failing *f)
{
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    failing_options(&oo, f);
    assert_int_equal(smg_org_new(&org, &oo), 0);
    return org;
}

/* Every allocation of the batch that adds the items and the events, of
 * smg_scorecard_compute() (full rights and as a leader) and of
 * smg_pay_compute() (which runs the scorecard's months) failing in turn:
 * an error, no result, the org as it was, nothing leaked. */
static void test_out_of_memory(void **state)
{
    failing f = FAILING_INIT;
    smg_org *org;
    long k, base;
    int rc = SMG_ENOMEM, pass;
    (void)state;
    /* the batch */
    for (k = 0; k < 10000; k++) {
        f.fail_at = -1;
        org = failing_org(&f);
        assert_int_equal(smg_batch_begin(org), 0);
        people(org);
        assert_int_equal(smg_batch_commit(org), 0);
        f.fail_at = f.calls + k;
        assert_int_equal(smg_batch_begin(org), 0);
        if (!smg_scorecard_item_add(org, "mr", NULL, 6000, NONE, REP | LEADER, NULL) &&
            !smg_scorecard_item_add(org, "sum", "mr", 2000, 500, 0, NULL) &&
            !smg_scorecard_item_add(org, "wr", NULL, 4000, 1000, REP, NULL))
            rc = event(org, "2026-10-01T10:00", SMG_EV_FAULT, "a", "sum", 2);
        rc = smg_batch_commit(org);
        f.fail_at = -1;
        if (rc == 0) {
            assert_int_equal(smg_scorecard_item_count(org), 3);
            assert_int_equal(smg_event_count(org), 1);
        } else {
            assert_int_equal(smg_scorecard_item_count(org), 0);
            assert_int_equal(smg_event_count(org), 0);
        }
        smg_org_free(org);
        assert_int_equal(f.live, 0);
        if (rc == 0)
            break;
    }
    assert_int_equal(rc, 0);
    assert_true(k >= 3);
    /* the engines */
    f.fail_at = -1;
    org = failing_org(&f);
    assert_int_equal(smg_batch_begin(org), 0);
    people(org);
    items(org);
    story(org);
    assert_int_equal(smg_batch_commit(org), 0);
    {
        smg_scorecard_options so = SMG_SCORECARD_OPTIONS_INIT;
        smg_scorecard *r = NULL;
        assert_int_equal(smg_period_parse(&so.month, "2026-10"), 0);
        assert_int_equal(smg_scorecard_compute(&r, org, NULL), SMG_EINVAL);
        smg_scorecard_free(r);
    }
    base = f.live - (long)smg_org_error_count(org); /* the error list exists now */
    for (pass = 0; pass < 3; pass++) {
        for (k = 0; k < 1000; k++) {
            smg_scorecard_options so = SMG_SCORECARD_OPTIONS_INIT;
            smg_pay_options po = SMG_PAY_OPTIONS_INIT;
            smg_scorecard *r = (smg_scorecard *)1;
            smg_pay_report *p = (smg_pay_report *)1;
            assert_int_equal(smg_period_parse(&so.month, "2026-10"), 0);
            po.month = so.month;
            so.as_member = pass == 1 ? "ld" : NULL;
            f.fail_at = f.calls + k;
            if (pass < 2) {
                rc = smg_scorecard_compute(&r, org, &so);
                f.fail_at = -1;
                if (rc == 0) {
                    assert_int_equal(smg_scorecard_member_count(r), pass ? 5 : 7);
                    smg_scorecard_free(r);
                    break;
                }
                assert_null(r);
            } else {
                rc = smg_pay_compute(&p, org, &po);
                f.fail_at = -1;
                if (rc == 0) {
                    assert_true(fabs(pay_val(org, p, "a", SMG_PAY_WORK_SCORE) - 55) < 1e-9);
                    smg_pay_report_free(p);
                    break;
                }
                assert_null(p);
            }
            assert_int_equal(rc, SMG_ENOMEM);
            if (f.live - (long)smg_org_error_count(org) != base)
                fail_msg("pass %d, allocation %ld failing: %ld blocks leaked", pass, k,
                         f.live - (long)smg_org_error_count(org) - base);
        }
        assert_int_equal(rc, 0);
        assert_true(k >= 5);
        assert_int_equal(f.live - (long)smg_org_error_count(org), base);
    }
    smg_org_free(org);
    assert_int_equal(f.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_item_table),
        cmocka_unit_test(test_item_checks),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_october),
        cmocka_unit_test(test_other_months),
        cmocka_unit_test(test_more_edges),
        cmocka_unit_test(test_pay),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_no_items),
        cmocka_unit_test(test_dataset),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
