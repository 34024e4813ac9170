/* The reception rotation (轮序): turns, busy, named, returning, referral,
 * peer and absent members, live and replayed from a day's log; the replay's
 * table through its getters, a given attribution result, and what a member
 * may see (RULES.md §1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"

static smg_org *fixture(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "A", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "B", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "C", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "d", "D", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "y", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c3", "z", NULL, NULL), 0);
    return org;
}

/* the order as a string of member ids, e.g. "bca" */
static const char *order(smg_rotation *r, smg_org *org)
{
    static char buf[16];
    size_t m[8], n = 99, i;
    assert_int_equal(smg_rotation_order(r, m, 8, &n), 0);
    for (i = 0; i < n; i++)
        buf[i] = smg_member_id(org, m[i])[0];
    buf[n] = 0;
    return buf;
}

static char arrive(smg_rotation *r, smg_org *org, smg_arrival kind, const char *named, int *duty)
{
    size_t who = 99;
    assert_int_equal(smg_rotation_arrive(r, kind, named, &who, duty), 0);
    return smg_member_id(org, who)[0];
}

static void test_turns_and_busy(void **state)
{
    smg_org *org = fixture();
    smg_rotation *r = NULL;
    int duty = -1, busy = -1;
    size_t who = 99, m[4], n = 99;
    (void)state;
    assert_int_equal(smg_rotation_new(&r, org), 0);
    assert_int_equal(smg_rotation_signin(r, "a"), 0);
    assert_int_equal(smg_rotation_signin(r, "b"), 0);
    assert_int_equal(smg_rotation_signin(r, "c"), 0);
    assert_int_equal(smg_rotation_signin(r, "a"), SMG_EEXISTS);
    assert_int_equal(smg_rotation_signin(r, "zz"), SMG_ENOTFOUND);
    assert_string_equal(order(r, org), "abc");
    /* a new customer: the first in the order; a goes to the end, busy */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NEW, NULL, &duty), 'a');
    assert_int_equal(duty, 0);
    assert_string_equal(order(r, org), "bca");
    assert_int_equal(smg_rotation_busy(r, "a", &busy), 0);
    assert_int_equal(busy, 1);
    assert_int_equal(smg_rotation_busy(r, "b", &busy), 0);
    assert_int_equal(busy, 0);
    assert_int_equal(smg_rotation_busy(r, "d", &busy), 0); /* not signed in */
    assert_int_equal(busy, 0);
    busy = 5;
    assert_int_equal(smg_rotation_busy(r, "zz", &busy), SMG_ENOTFOUND);
    assert_int_equal(smg_rotation_busy(r, "a", NULL), SMG_EINVAL);
    assert_int_equal(busy, 5);
    /* the order's size, then a part of it */
    assert_int_equal(smg_rotation_order(r, NULL, 0, &n), 0);
    assert_int_equal(n, 3);
    m[1] = 99;
    assert_int_equal(smg_rotation_order(r, m, 1, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(m[0], 1); /* b */
    assert_int_equal(m[1], 99);
    assert_int_equal(smg_rotation_order(r, NULL, 1, &n), SMG_EINVAL);
    assert_int_equal(smg_rotation_order(r, m, 1, NULL), SMG_EINVAL);
    /* a competitor posing as a buyer takes a normal turn: b */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_PEER, NULL, &duty), 'b');
    assert_string_equal(order(r, org), "cab");
    /* a names a (busy): the last free member in the order, c, as duty */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NAMED, "a", &duty), 'c');
    assert_int_equal(duty, 1);
    assert_string_equal(order(r, org), "cab"); /* no turn used */
    /* everyone busy: the customer waits, nothing changes */
    assert_int_equal(smg_rotation_arrive(r, SMG_ARRIVAL_NEW, NULL, &who, &duty), SMG_ESTATE);
    assert_int_equal(who, 99);
    assert_string_equal(order(r, org), "cab");
    /* a is free again; named a goes to a without using a turn */
    assert_int_equal(smg_rotation_done(r, "a"), 0);
    assert_int_equal(smg_rotation_done(r, "d"), SMG_ESTATE); /* not signed in */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NAMED, "a", &duty), 'a');
    assert_int_equal(duty, 0);
    assert_string_equal(order(r, org), "cab");
    smg_rotation_free(r);
    smg_org_free(org);
}

/* A member may not take a second new customer while another is idle. */
static void test_no_second_new_while_others_idle(void **state)
{
    smg_org *org = fixture();
    smg_rotation *r = NULL;
    int duty;
    (void)state;
    assert_int_equal(smg_rotation_new(&r, org), 0);
    smg_rotation_signin(r, "a");
    smg_rotation_signin(r, "b");
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NEW, NULL, &duty), 'a');
    assert_int_equal(smg_rotation_done(r, "a"), 0);
    /* a is free and idle, but b is idle too and first: b */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NEW, NULL, &duty), 'b');
    /* b busy: a may take the next one */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_REFERRAL, NULL, &duty), 'a');
    smg_rotation_free(r);
    smg_org_free(org);
}

/* Named but not signed in: new. Returning with an absent protector: duty by
 * the last in the order. Returning unconfirmed: new. Referral naming b: b. */
static void test_absent_and_returning(void **state)
{
    smg_org *org = fixture();
    smg_rotation *r = NULL;
    int duty;
    (void)state;
    assert_int_equal(smg_rotation_new(&r, org), 0);
    smg_rotation_signin(r, "a");
    smg_rotation_signin(r, "b");
    smg_rotation_signin(r, "c");
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NAMED, "d", &duty), 'a'); /* d absent: new */
    assert_int_equal(duty, 0);
    assert_string_equal(order(r, org), "bca");
    smg_rotation_done(r, "a");
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_RETURNING, "d", &duty), 'a'); /* last: a */
    assert_int_equal(duty, 1);
    assert_string_equal(order(r, org), "bca");
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_RETURNING, NULL, &duty), 'b'); /* new */
    assert_int_equal(duty, 0);
    assert_string_equal(order(r, org), "cab");
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_REFERRAL, "c", &duty), 'c');
    assert_string_equal(order(r, org), "cab");
    assert_int_equal(smg_rotation_arrive(r, (smg_arrival)9, NULL, NULL, NULL), SMG_EINVAL);
    assert_int_equal(smg_rotation_arrive(r, SMG_ARRIVAL_NAMED, "nobody", NULL, NULL),
                     SMG_ENOTFOUND);
    smg_rotation_free(r);
    smg_rotation_free(NULL);
    smg_org_free(org);
}

static void add(smg_org *org, const char *at, smg_event_type type, const char *member,
                const char *customer, smg_outcome outcome, smg_channel channel)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    assert_int_equal(smg_time_parse(&ev.at, at), 0);
    ev.member = member;
    ev.customer = customer;
    ev.outcome = outcome;
    ev.channel = channel;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

/* Reading a replay, with checks. */
#define NUL ((size_t)-1)
static size_t rix(const smg_rotation_day *d, size_t row, smg_reception_field f)
{
    size_t v = 77;
    int null = -1;
    assert_int_equal(smg_rotation_day_index(d, row, f, &v, &null), 0);
    assert_true(null == 0 || (null == 1 && v == 0));
    return null ? NUL : v;
}

static int64_t rint_(const smg_rotation_day *d, size_t row, smg_reception_field f)
{
    int64_t v = 77;
    int null = -1;
    assert_int_equal(smg_rotation_day_int(d, row, f, &v, &null), 0);
    assert_int_equal(null, 0);
    return v;
}

/* The order as the members' first letters, e.g. "bac". */
static const char *day_order(const smg_rotation_day *d, const smg_org *org, int final)
{
    static char buf[16];
    size_t m[8], n = 99, i;
    assert_int_equal(smg_rotation_day_order(d, final, m, 8, &n), 0);
    for (i = 0; i < n; i++)
        buf[i] = smg_member_id(org, m[i])[0];
    buf[n] = 0;
    return buf;
}

static smg_rotation_day *replay(smg_org *org, smg_date day, const char *as,
                                const smg_attribution *a)
{
    smg_rotation_day_options o = SMG_ROTATION_DAY_OPTIONS_INIT;
    smg_rotation_day *d = NULL;
    o.day = day;
    o.as_member = as;
    o.attribution = a;
    if (smg_rotation_day_compute(&d, org, &o))
        fail_msg("replay: %s", smg_org_errmsg(org));
    return d;
}

static void day_events(smg_org *org)
{
    /* the day before: a registers c2 (protected through 10-08) */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c2", 0, 0);
    add(org, "2026-10-01T08:00", SMG_EV_SIGNIN, "c", NULL, 0, 0); /* another day */
    add(org, "2026-10-02T08:50", SMG_EV_SIGNIN, "b", NULL, 0, 0);
    add(org, "2026-10-02T08:55", SMG_EV_SIGNIN, "a", NULL, 0, 0);
    add(org, "2026-10-02T09:00", SMG_EV_SIGNIN, "c", NULL, 0, 0);
    add(org, "2026-10-02T09:01", SMG_EV_SIGNIN, "b", NULL, 0, 0); /* again: ignored */
    add(org, "2026-10-02T10:00", SMG_EV_RECEPTION, "b", "c1", 0, SMG_CHANNEL_WALK_IN);
    add(org, "2026-10-02T10:30", SMG_EV_RECEPTION, "c", "c3", 0, SMG_CHANNEL_WALK_IN);
    add(org, "2026-10-02T10:40", SMG_EV_RECEPTION, "b", "c3", 0, SMG_CHANNEL_PHONE);
    add(org, "2026-10-02T11:00", SMG_EV_RECEPTION, "a", "c2", 0, SMG_CHANNEL_WALK_IN);
    add(org, "2026-10-02T12:00", SMG_EV_RECEPTION, "c", "c2", SMG_OUTCOME_DUTY,
        SMG_CHANNEL_WALK_IN);
}

static void test_replay_day(void **state)
{
    smg_org *org = fixture();
    smg_rotation_day *d = NULL;
    smg_date day;
    (void)state;
    day_events(org);
    assert_int_equal(smg_date_parse(&day, "2026-10-02"), 0);
    d = replay(org, day, NULL, NULL);
    assert_string_equal(day_order(d, org, 0), "bac");
    assert_int_equal(smg_rotation_day_count(d), 4); /* the phone reception is not a walk-in */
    /* 10:00 new c1 by b: b was first, in turn; order a c b */
    assert_int_equal(rint_(d, 0, SMG_RECEPTION_KIND), SMG_ARRIVAL_NEW);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_EXPECTED), 1);
    assert_int_equal(rint_(d, 0, SMG_RECEPTION_IN_TURN), 1);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_MEMBER), 1);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_CUSTOMER), 0);
    /* 10:30 new c3 by c: a was first: out of turn; c's turn is used: order a b c */
    assert_int_equal(rix(d, 1, SMG_RECEPTION_EXPECTED), 0);
    assert_int_equal(rint_(d, 1, SMG_RECEPTION_IN_TURN), 0);
    /* 11:00 returning c2 by its protector a */
    assert_int_equal(rint_(d, 2, SMG_RECEPTION_KIND), SMG_ARRIVAL_RETURNING);
    assert_int_equal(rix(d, 2, SMG_RECEPTION_EXPECTED), 0);
    assert_int_equal(rint_(d, 2, SMG_RECEPTION_IN_TURN), 1);
    /* 12:00 duty by c, the last in the order a b c */
    assert_int_equal(rint_(d, 3, SMG_RECEPTION_DUTY), 1);
    assert_int_equal(rix(d, 3, SMG_RECEPTION_EXPECTED), 2);
    assert_int_equal(rint_(d, 3, SMG_RECEPTION_IN_TURN), 1);
    /* log positions: the other day's sign-in (added second) comes first */
    assert_int_equal(rix(d, 0, SMG_RECEPTION_EVENT), 6);
    assert_int_equal(rix(d, 3, SMG_RECEPTION_EVENT), 10);
    assert_string_equal(day_order(d, org, 1), "abc");
    smg_rotation_day_free(d);
    /* a day without sign-ins or receptions */
    d = replay(org, day + 30, NULL, NULL);
    assert_string_equal(day_order(d, org, 0), "");
    assert_int_equal(smg_rotation_day_count(d), 0);
    smg_rotation_day_free(d);
    smg_org_free(org);
}

/* The day's protections from a caller's attribution result: the same
 * replay; one computed up to another moment, or out of date, is refused. */
static void test_given_attribution(void **state)
{
    smg_org *org = fixture();
    smg_rotation_day_options o = SMG_ROTATION_DAY_OPTIONS_INIT;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_rotation_day *d = NULL;
    smg_attribution *a = NULL;
    smg_date day;
    (void)state;
    day_events(org);
    assert_int_equal(smg_date_parse(&day, "2026-10-02"), 0);
    ao.until = (smg_time)day * 86400;
    ao.as_member = "b"; /* whatever its rights: the replay reads every protection */
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    d = replay(org, day, NULL, a);
    assert_int_equal(smg_rotation_day_count(d), 4);
    assert_int_equal(rint_(d, 2, SMG_RECEPTION_KIND), SMG_ARRIVAL_RETURNING);
    assert_string_equal(day_order(d, org, 1), "abc");
    smg_rotation_day_free(d);
    smg_attribution_free(a);

    /* the whole log: refused, with a message saying why */
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    o.day = day;
    o.attribution = a;
    d = (smg_rotation_day *)1;
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_EINVAL);
    assert_null(d);
    assert_non_null(strstr(smg_org_errmsg(org), "until"));
    smg_attribution_free(a);

    /* out of date */
    assert_int_equal(smg_attribution_compute(&a, org, &ao), 0);
    add(org, "2026-10-03T10:00", SMG_EV_SIGNIN, "a", NULL, 0, 0);
    o.attribution = a;
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_EINVAL);
    assert_null(d);
    assert_non_null(strstr(smg_org_errmsg(org), "out of date"));
    smg_attribution_free(a);
    smg_org_free(org);
}

static void test_bad_replays(void **state)
{
    smg_org *org = fixture();
    smg_rotation_day_options o;
    smg_rotation_day *d = (smg_rotation_day *)1;
    size_t v = 5, n = 5;
    int64_t i64 = 5;
    (void)state;
    memset(&o, 0x5a, sizeof o);
    assert_int_equal(smg_rotation_day_options_init(&o, SMG_ROTATION_DAY_OPTIONS_VERSION), 0);
    assert_int_equal(o.version, SMG_ROTATION_DAY_OPTIONS_VERSION);
    assert_null(o.as_member);
    assert_null(o.attribution);
    assert_int_equal(o.day, SMG_DATE_NONE);
    assert_int_equal(smg_rotation_day_options_init(&o, 0), SMG_EVERSION);
    assert_int_equal(smg_rotation_day_options_init(&o, 2), SMG_EVERSION);
    assert_int_equal(smg_rotation_day_options_init(NULL, 1), SMG_EINVAL);
    /* the day is required */
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_EINVAL);
    assert_null(d);
    assert_non_null(strstr(smg_org_errmsg(org), "day"));
    assert_int_equal(smg_rotation_day_compute(&d, org, NULL), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "day"));
    assert_int_equal(smg_rotation_day_compute(&d, NULL, &o), SMG_EINVAL);
    o.day = 20000;
    assert_int_equal(smg_rotation_day_compute(NULL, org, &o), SMG_EINVAL);
    o.version = 9;
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_EVERSION);
    o.version = SMG_ROTATION_DAY_OPTIONS_VERSION;
    o.as_member = "nobody";
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_ENOTFOUND);
    assert_null(d);
    o.as_member = NULL;
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), SMG_ESTATE);
    smg_batch_rollback(org);
    /* a replay goes stale when the org changes */
    assert_int_equal(smg_rotation_day_compute(&d, org, &o), 0);
    add(org, "2026-10-03T10:00", SMG_EV_SIGNIN, "a", NULL, 0, 0);
    assert_int_equal(smg_rotation_day_order(d, 0, NULL, 0, &n), SMG_ESTATE);
    assert_int_equal(smg_rotation_day_index(d, 0, SMG_RECEPTION_MEMBER, &v, NULL), SMG_ESTATE);
    assert_int_equal(smg_rotation_day_int(d, 0, SMG_RECEPTION_AT, &i64, NULL), SMG_ESTATE);
    assert_int_equal(v, 5);
    assert_int_equal(i64, 5);
    assert_int_equal(n, 5);
    smg_rotation_day_free(d);
    smg_rotation_day_free(NULL);
    assert_int_equal(smg_rotation_day_count(NULL), 0);
    assert_int_equal(smg_rotation_day_order(NULL, 0, NULL, 0, &n), SMG_EINVAL);
    smg_org_free(org);
}

/* Every field of the reception table through its getters. */
static void test_table(void **state)
{
    smg_org *org = fixture();
    smg_rotation_day *d;
    smg_date day;
    size_t row, nulls = 0;
    int f;
    (void)state;
    day_events(org);
    /* a walk-in before anyone signed in: nobody was expected (null) */
    add(org, "2026-10-02T07:00", SMG_EV_RECEPTION, "d", "c1", 0, SMG_CHANNEL_WALK_IN);
    assert_int_equal(smg_date_parse(&day, "2026-10-02"), 0);
    d = replay(org, day, NULL, NULL);
    assert_int_equal(smg_rotation_day_count(d), 5);
    for (f = 0; smg_rotation_day_field_name((smg_reception_field)f); f++)
        assert_true(smg_rotation_day_field_type((smg_reception_field)f) >= SMG_TYPE_INDEX);
    assert_int_equal(f, 8);
    assert_int_equal(smg_rotation_day_field_type((smg_reception_field)8), 0);
    assert_string_equal(smg_rotation_day_field_name(SMG_RECEPTION_IN_TURN), "in_turn");
    assert_int_equal(smg_rotation_day_field_type(SMG_RECEPTION_AT), SMG_TYPE_TIME);
    assert_int_equal(smg_rotation_day_field_type(SMG_RECEPTION_KIND), SMG_TYPE_ENUM);
    for (row = 0; row <= 5; row++)
        for (f = 0; f <= 8; f++) {
            size_t ix = 12345;
            int64_t i64 = 12345;
            int null = 7;
            int is_ix = f < 8 && smg_rotation_day_field_type((smg_reception_field)f) ==
                                     SMG_TYPE_INDEX;
            int rc = smg_rotation_day_index(d, row, (smg_reception_field)f, &ix, &null);
            if (row == 5 || f == 8 || !is_ix) {
                assert_int_equal(rc, SMG_EINVAL);
                assert_int_equal(ix, 12345);
                assert_int_equal(null, 7);
            } else {
                assert_int_equal(rc, 0);
                assert_true(null == 0 || (null == 1 && ix == 0));
                nulls += (size_t)null;
            }
            null = 7;
            rc = smg_rotation_day_int(d, row, (smg_reception_field)f, &i64, &null);
            if (row == 5 || f == 8 || is_ix) {
                assert_int_equal(rc, SMG_EINVAL);
                assert_int_equal(i64, 12345);
                assert_int_equal(null, 7);
            } else {
                assert_int_equal(rc, 0);
                assert_int_equal(null, 0);
            }
            assert_int_equal(smg_rotation_day_index(NULL, 0, SMG_RECEPTION_MEMBER, &ix, NULL),
                             SMG_EINVAL);
            assert_int_equal(smg_rotation_day_int(d, 0, SMG_RECEPTION_AT, NULL, NULL),
                             SMG_EINVAL);
        }
    assert_int_equal(nulls, 1);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_EXPECTED), NUL);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_MEMBER), 3);
    assert_int_equal(rint_(d, 0, SMG_RECEPTION_IN_TURN), 0);
    {
        smg_time at;
        assert_int_equal(smg_time_parse(&at, "2026-10-02T07:00"), 0);
        assert_int_equal(rint_(d, 0, SMG_RECEPTION_AT), at);
    }
    smg_rotation_day_free(d);
    smg_org_free(org);
}

/* A rep sees the receptions they made or were expected to make, and
 * themselves in the order; a leader their team's. */
static void test_visibility(void **state)
{
    smg_org *org = NULL;
    smg_rotation_day *d;
    smg_date day;
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_team_add(org, "t2", "二组", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "A", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "B", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "C", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "l", "L", "t1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_team_set_leader(org, "t1", "l"), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "y", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c3", "z", NULL, NULL), 0);
    add(org, "2026-10-02T08:00", SMG_EV_SIGNIN, "c", NULL, 0, 0);
    add(org, "2026-10-02T08:01", SMG_EV_SIGNIN, "a", NULL, 0, 0);
    add(org, "2026-10-02T08:02", SMG_EV_SIGNIN, "b", NULL, 0, 0);
    /* c in turn, then c and b each in a's turn */
    add(org, "2026-10-02T10:00", SMG_EV_RECEPTION, "c", "c1", 0, SMG_CHANNEL_WALK_IN);
    add(org, "2026-10-02T11:00", SMG_EV_RECEPTION, "c", "c2", 0, SMG_CHANNEL_WALK_IN);
    add(org, "2026-10-02T12:00", SMG_EV_RECEPTION, "b", "c3", 0, SMG_CHANNEL_WALK_IN);
    assert_int_equal(smg_date_parse(&day, "2026-10-02"), 0);

    d = replay(org, day, NULL, NULL);
    assert_int_equal(smg_rotation_day_count(d), 3);
    assert_string_equal(day_order(d, org, 0), "cab");
    assert_string_equal(day_order(d, org, 1), "acb");
    smg_rotation_day_free(d);

    /* a: the two receptions a was expected to make */
    d = replay(org, day, "a", NULL);
    assert_int_equal(smg_rotation_day_count(d), 2);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_CUSTOMER), 1);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_MEMBER), 2); /* c, whom a may not see... */
    assert_int_equal(rix(d, 0, SMG_RECEPTION_EXPECTED), 0); /* ...received in a's stead */
    assert_int_equal(rix(d, 1, SMG_RECEPTION_CUSTOMER), 2);
    assert_string_equal(day_order(d, org, 0), "a");
    smg_rotation_day_free(d);
    /* b: the one b made */
    d = replay(org, day, "b", NULL);
    assert_int_equal(smg_rotation_day_count(d), 1);
    assert_int_equal(rix(d, 0, SMG_RECEPTION_MEMBER), 1);
    assert_string_equal(day_order(d, org, 1), "b");
    smg_rotation_day_free(d);
    /* c: its own two */
    d = replay(org, day, "c", NULL);
    assert_int_equal(smg_rotation_day_count(d), 2);
    assert_int_equal(rix(d, 1, SMG_RECEPTION_CUSTOMER), 1);
    smg_rotation_day_free(d);
    /* the leader of t1: every reception concerning a or b, and a, b in
     * their order */
    d = replay(org, day, "l", NULL);
    assert_int_equal(smg_rotation_day_count(d), 2);
    assert_string_equal(day_order(d, org, 0), "ab");
    assert_string_equal(day_order(d, org, 1), "ab");
    smg_rotation_day_free(d);
    smg_org_free(org);
}

/* The allocator of the out-of-memory tests (failing_alloc.h). */
static failing g_fail = FAILING_INIT;

/* Out of memory at every allocation of a replay (which runs its own
 * attribution): SMG_ENOMEM, no result, nothing leaked. */
static void test_out_of_memory(void **state)
{
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_rotation_day_options o = SMG_ROTATION_DAY_OPTIONS_INIT;
    smg_org *org = NULL;
    smg_rotation_day *d = NULL;
    long budget;
    int rc = SMG_ENOMEM;
    (void)state;
    failing_options(&oo, &g_fail);
    g_fail.fail_at = -1;
    assert_int_equal(smg_org_new(&org, &oo), 0);
    assert_int_equal(smg_team_add(org, "t", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "A", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "B", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "C", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "d", "D", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "y", NULL, NULL), 0);
    assert_int_equal(smg_customer_add(org, "c3", "z", NULL, NULL), 0);
    day_events(org);
    assert_int_equal(smg_date_parse(&o.day, "2026-10-02"), 0);
    o.as_member = "a";
    for (budget = 0; rc == SMG_ENOMEM; budget++) {
        assert_true(budget < 100);
        d = (smg_rotation_day *)1;
        failing_after(&g_fail, budget);
        rc = smg_rotation_day_compute(&d, org, &o);
        g_fail.fail_at = -1;
        if (rc) {
            assert_int_equal(rc, SMG_ENOMEM);
            assert_null(d);
        }
    }
    assert_int_equal(rc, 0);
    assert_true(budget > 3);
    assert_int_equal(smg_rotation_day_count(d), 2); /* a was expected for 10:30, received 11:00 */
    smg_rotation_day_free(d);
    smg_org_free(org);
}

static void test_arrival_names(void **state)
{
    static const char *const names[] = { "new", "named", "returning", "referral", "peer" };
    int k;
    (void)state;
    for (k = SMG_ARRIVAL_NEW; k <= SMG_ARRIVAL_PEER; k++)
        assert_string_equal(smg_arrival_name((smg_arrival)k), names[k - 1]);
    assert_null(smg_arrival_name((smg_arrival)0));
    assert_null(smg_arrival_name((smg_arrival)6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrival_names),
        cmocka_unit_test(test_turns_and_busy),
        cmocka_unit_test(test_no_second_new_while_others_idle),
        cmocka_unit_test(test_absent_and_returning),
        cmocka_unit_test(test_replay_day),
        cmocka_unit_test(test_given_attribution),
        cmocka_unit_test(test_bad_replays),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
