/* The reception rotation (轮序): turns, busy, named, returning, referral,
 * peer and absent members, live and replayed from a day's log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"

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
    long m[8];
    size_t n = smg_rotation_order(r, m, 8), i;
    for (i = 0; i < n; i++)
        buf[i] = smg_member_id(org, (size_t)m[i])[0];
    buf[n] = 0;
    return buf;
}

static char arrive(smg_rotation *r, smg_org *org, smg_arrival kind, const char *named, int *duty)
{
    long who = -1;
    assert_int_equal(smg_rotation_arrive(r, kind, named, &who, duty), 0);
    return smg_member_id(org, (size_t)who)[0];
}

static void test_turns_and_busy(void **state)
{
    smg_org *org = fixture();
    smg_rotation *r = NULL;
    int duty = -1;
    long who;
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
    assert_int_equal(smg_rotation_busy(r, "a"), 1);
    /* a competitor posing as a buyer takes a normal turn: b */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_PEER, NULL, &duty), 'b');
    assert_string_equal(order(r, org), "cab");
    /* a names a (busy): the last free member in the order, c, as duty */
    assert_int_equal(arrive(r, org, SMG_ARRIVAL_NAMED, "a", &duty), 'c');
    assert_int_equal(duty, 1);
    assert_string_equal(order(r, org), "cab"); /* no turn used */
    /* everyone busy: the customer waits, nothing changes */
    assert_int_equal(smg_rotation_arrive(r, SMG_ARRIVAL_NEW, NULL, &who, &duty), SMG_ESTATE);
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

static void test_replay_day(void **state)
{
    smg_org *org = fixture();
    smg_rotation_day *d = NULL;
    smg_date day;
    long m[8];
    (void)state;
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
    assert_int_equal(smg_date_parse(&day, "2026-10-02"), 0);
    assert_int_equal(smg_rotation_replay(org, day, &d), 0);
    assert_int_equal(smg_rotation_day_order(d, 0, m, 8), 3);
    assert_int_equal(m[0] * 100 + m[1] * 10 + m[2], 1 * 100 + 0 * 10 + 2); /* b a c */
    assert_int_equal(smg_rotation_day_count(d), 4); /* the phone reception is not a walk-in */
    /* 10:00 new c1 by b: b was first, in turn; order a c b */
    assert_int_equal(smg_rotation_day_get(d, 0, SMG_ROTATION_KIND), SMG_ARRIVAL_NEW);
    assert_int_equal(smg_rotation_day_get(d, 0, SMG_ROTATION_EXPECTED), 1);
    assert_int_equal(smg_rotation_day_get(d, 0, SMG_ROTATION_IN_TURN), 1);
    /* 10:30 new c3 by c: a was first: out of turn; c's turn is used: order a b c */
    assert_int_equal(smg_rotation_day_get(d, 1, SMG_ROTATION_EXPECTED), 0);
    assert_int_equal(smg_rotation_day_get(d, 1, SMG_ROTATION_IN_TURN), 0);
    /* 11:00 returning c2 by its protector a */
    assert_int_equal(smg_rotation_day_get(d, 2, SMG_ROTATION_KIND), SMG_ARRIVAL_RETURNING);
    assert_int_equal(smg_rotation_day_get(d, 2, SMG_ROTATION_EXPECTED), 0);
    assert_int_equal(smg_rotation_day_get(d, 2, SMG_ROTATION_IN_TURN), 1);
    /* 12:00 duty by c, the last in the order a b c */
    assert_int_equal(smg_rotation_day_get(d, 3, SMG_ROTATION_DUTY), 1);
    assert_int_equal(smg_rotation_day_get(d, 3, SMG_ROTATION_EXPECTED), 2);
    assert_int_equal(smg_rotation_day_get(d, 3, SMG_ROTATION_IN_TURN), 1);
    assert_int_equal(smg_rotation_day_get(d, 3, SMG_ROTATION_EVENT), 10);
    assert_int_equal(smg_rotation_day_get(d, 4, SMG_ROTATION_EVENT), INT64_MIN);
    assert_int_equal(smg_rotation_day_order(d, 1, m, 8), 3);
    assert_int_equal(m[0] * 100 + m[1] * 10 + m[2], 0 * 100 + 1 * 10 + 2); /* a b c */
    smg_rotation_day_free(d);
    /* a day without sign-ins or receptions */
    assert_int_equal(smg_rotation_replay(org, day + 30, &d), 0);
    assert_int_equal(smg_rotation_day_order(d, 0, m, 8), 0);
    assert_int_equal(smg_rotation_day_count(d), 0);
    smg_rotation_day_free(d);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_turns_and_busy),
        cmocka_unit_test(test_no_second_new_while_others_idle),
        cmocka_unit_test(test_absent_and_returning),
        cmocka_unit_test(test_replay_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
