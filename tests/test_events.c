/* The event log: validation on add, order-dependent rules at commit, and the
 * sort by (time, input position). Reads the sorted log through internals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"
#include "events.h"
#include "org.h"

static smg_time T(const char *s)
{
    smg_time t;
    assert_int_equal(smg_time_parse(&t, s), 0);
    return t;
}

static smg_org *setup_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "李娜", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "王", "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "赵", "", NULL), 0);
    return org;
}

static int add(smg_org *org, smg_event_type type, const char *at, const char *member,
               const char *customer, const char *ref, smg_money amount)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    ev.at = T(at);
    ev.member = member;
    ev.customer = customer;
    ev.ref = ref;
    ev.amount = amount;
    return smg_event_add(org, &ev);
}

static void test_names(void **state)
{
    smg_event_type t;
    smg_channel c;
    smg_outcome o;
    int i;
    (void)state;
    for (i = SMG_EV_SIGNIN; i <= SMG_EV_WORK_SCORE; i++) {
        assert_non_null(smg_event_type_name((smg_event_type)i));
        assert_int_equal(smg_event_type_parse(&t, smg_event_type_name((smg_event_type)i)), 0);
        assert_int_equal(t, i);
    }
    assert_int_equal(smg_event_type_parse(&t, "Deal"), SMG_EPARSE);
    assert_null(smg_event_type_name((smg_event_type)0));
    assert_int_equal(smg_channel_parse(&c, "walk_in"), 0);
    assert_int_equal(c, SMG_CHANNEL_WALK_IN);
    assert_int_equal(smg_channel_parse(&c, "email"), SMG_EPARSE);
    assert_int_equal(smg_outcome_parse(&o, "duty"), 0);
    assert_int_equal(o, SMG_OUTCOME_DUTY);
    assert_string_equal(smg_outcome_name(SMG_OUTCOME_FAIL), "fail");
}

static void test_add_validation(void **state)
{
    smg_org *org = setup_org();
    smg_event ev = SMG_EVENT_INIT;
    (void)state;
    assert_int_equal(smg_event_add(org, NULL), SMG_EINVAL);
    ev.type = (smg_event_type)99;
    assert_int_equal(smg_event_add(org, &ev), SMG_EINVAL);
    ev.type = SMG_EV_SIGNIN;
    ev.version = 7;
    assert_int_equal(smg_event_add(org, &ev), SMG_EVERSION);
    assert_int_equal(smg_event_init(&ev, 7), SMG_EVERSION);
    assert_int_equal(smg_event_init(&ev, SMG_EVENT_VERSION), 0);

    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-01T09:00", NULL, NULL, NULL, SMG_MONEY_NONE), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "column member"));
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-01T09:00", "ghost", NULL, NULL, SMG_MONEY_NONE), SMG_ENOTFOUND);
    assert_non_null(strstr(smg_org_errmsg(org), "ghost"));
    assert_int_equal(add(org, SMG_EV_REGISTER, "2026-10-01T09:00", "m1", NULL, NULL, SMG_MONEY_NONE), SMG_EINVAL);
    assert_int_equal(add(org, SMG_EV_REGISTER, "2026-10-01T09:00", "m1", "c9", NULL, SMG_MONEY_NONE), SMG_ENOTFOUND);
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-01T09:00", "m1", "c1", NULL, 100), SMG_EINVAL);
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-01T09:00", "m1", "c1", "D1", SMG_MONEY_NONE), SMG_EINVAL);
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-01T09:00", "m1", "c1", "R1", 0), SMG_ERANGE);
    assert_int_equal(add(org, SMG_EV_EXPENSE, "2026-10-01T09:00", "m1", NULL, NULL, -5), SMG_ERANGE);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 0);

    /* absence in half days, work score 0–100 */
    ev.type = SMG_EV_ABSENCE;
    ev.at = T("2026-10-02");
    ev.member = "m1";
    ev.value = 75;
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    ev.value = 150;
    assert_int_equal(smg_event_add(org, &ev), 0);
    ev.type = SMG_EV_WORK_SCORE;
    ev.value = 10001;
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    ev.value = 8750;
    assert_int_equal(smg_event_add(org, &ev), 0);

    /* channels and outcomes must fit the type */
    smg_event_init(&ev, SMG_EVENT_VERSION);
    ev.type = SMG_EV_RECEPTION;
    ev.at = T("2026-10-02");
    ev.member = "m1";
    ev.customer = "c1";
    ev.channel = SMG_CHANNEL_ONSITE;
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    ev.channel = SMG_CHANNEL_WALK_IN;
    ev.outcome = SMG_OUTCOME_SUCCESS;
    assert_int_equal(smg_event_add(org, &ev), SMG_ERANGE);
    ev.outcome = SMG_OUTCOME_DUTY;
    assert_int_equal(smg_event_add(org, &ev), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 3);
    smg_org_free(org);
}

static void test_duplicates(void **state)
{
    smg_org *org = setup_org();
    (void)state;
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-01T10:00", "m1", "c1", "D1", 100000), 0);
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-02T10:00", "m1", "c1", "D1", 100000), SMG_EEXISTS);
    assert_non_null(strstr(smg_org_errmsg(org), "duplicate deal id \"D1\""));
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-01T10:00", "m1", "c1", "R1", 500), 0);
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-03T10:00", "m1", "c1", "R1", 500), SMG_EEXISTS);
    assert_int_equal(smg_org_count(org, SMG_COUNT_DEALS), 1);
    smg_org_free(org);
}

/* Events given out of order come out sorted by time, ties in input order. */
static void test_sorted_log(void **state)
{
    smg_org *org = setup_org();
    const smgi_events *E = &org->events;
    size_t i;
    (void)state;
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_FOLLOWUP, "2026-10-03T10:00", "m1", "c1", NULL, SMG_MONEY_NONE), 0); /* 0 */
    assert_int_equal(add(org, SMG_EV_REGISTER, "2026-10-01T10:00", "m1", "c1", NULL, SMG_MONEY_NONE), 0); /* 1 */
    assert_int_equal(add(org, SMG_EV_VISIT, "2026-10-03T10:00", "m2", "c2", NULL, SMG_MONEY_NONE), 0);    /* 2 */
    assert_int_equal(add(org, SMG_EV_DEMO, "2026-10-02T10:00", "m2", "c2", NULL, SMG_MONEY_NONE), 0);     /* 3 */
    assert_int_equal(smg_batch_commit(org), 0);
    {
        uint32_t want[] = { 1, 3, 0, 2 };
        for (i = 0; i < 4; i++)
            assert_int_equal(E->seq[i], want[i]);
    }
    /* a later batch that reaches back in time merges into place */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_COMPLAINT, "2026-10-03T10:00", "m2", "c2", NULL, SMG_MONEY_NONE), 0); /* 4 */
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-01T08:00", "m2", NULL, NULL, SMG_MONEY_NONE), 0);   /* 5 */
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-05T08:00", "m2", NULL, NULL, SMG_MONEY_NONE), 0);   /* 6 */
    assert_int_equal(smg_batch_commit(org), 0);
    {
        uint32_t want[] = { 5, 1, 3, 0, 2, 4, 6 };
        for (i = 0; i < 7; i++)
            assert_int_equal(E->seq[i], want[i]);
        for (i = 1; i < 7; i++)
            assert_true(E->at[i - 1] <= E->at[i]);
    }
    /* live feeding in order: single events append */
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-06T08:00", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(E->seq[7], 7);
    smg_org_free(org);
}

/* Many shuffled events: the radix sort path. */
static void test_sort_many(void **state)
{
    smg_org *org = setup_org();
    const smgi_events *E = &org->events;
    uint64_t x = 88172645463325252ULL;
    size_t i, n = 20000;
    (void)state;
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < n; i++) {
        smg_event ev = SMG_EVENT_INIT;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        ev.type = SMG_EV_SIGNIN;
        ev.member = "m1";
        /* few distinct times, so ties must keep input order */
        ev.at = T("2026-01-01") + (smg_time)(x % 5000) * 3600 + (smg_time)(x % 3);
        assert_int_equal(smg_event_add(org, &ev), 0);
    }
    assert_int_equal(smg_batch_commit(org), 0);
    for (i = 1; i < n; i++) {
        assert_true(E->at[i - 1] <= E->at[i]);
        if (E->at[i - 1] == E->at[i])
            assert_true(E->seq[i - 1] < E->seq[i]);
    }
    smg_org_free(org);
}

static void test_order_rules(void **state)
{
    smg_org *org = setup_org();
    (void)state;
    /* a claim before its deal in time order */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_CLAIM, "2026-10-01T09:00", "m2", NULL, "D1", SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-01T10:00", "m1", "c1", "D1", 100000), 0);
    assert_int_equal(smg_batch_commit(org), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "event #0: column ref: claimed deal \"D1\" comes later"));
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_DEALS), 0);

    /* an override of a deal that never comes */
    assert_int_equal(add(org, SMG_EV_OVERRIDE, "2026-10-01T09:00", NULL, NULL, "D9", SMG_MONEY_NONE), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "does not exist"));

    /* the same minute: the deal first in input order is fine */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_DEAL, "2026-10-01T10:00", "m1", "c1", "D1", 100000), 0);
    assert_int_equal(add(org, SMG_EV_CLAIM, "2026-10-01T10:00", "m2", NULL, "D1", SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_OVERRIDE, "2026-10-02T10:00", NULL, NULL, "D1", SMG_MONEY_NONE), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 3);
    smg_org_free(org);
}

static void test_payments(void **state)
{
    smg_org *org = setup_org();
    (void)state;
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-01T10:00", "m1", "c1", "R1", 10000), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-02T10:00", "m1", "c1", "R1", 6000), 0);
    /* 4000.00 fen still open: 4001 is too much, the whole batch fails */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-03T10:00", "m1", "c1", "R1", 3000), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-04T10:00", "m1", "c1", "R1", 1001), 0);
    assert_int_equal(smg_batch_commit(org), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "payment exceeds"));
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 2);
    /* after the failure the open amount is what it was: 4000 fits */
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-03T10:00", "m1", "c1", "R1", 4000), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-05T10:00", "m1", "c1", "R1", 1), SMG_ERULE);
    /* a payment before its receivable */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-01T10:00", "m1", "c1", "R2", 1), 0);
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-09T10:00", "m1", "c1", "R2", 100), 0);
    assert_int_equal(smg_batch_commit(org), SMG_ERULE);
    smg_org_free(org);
}

static void test_member_dates(void **state)
{
    smg_org *org = setup_org();
    smg_date start, end;
    (void)state;
    assert_int_equal(smg_date_parse(&start, "2026-03-01"), 0);
    assert_int_equal(smg_date_parse(&end, "2026-06-30"), 0);
    assert_int_equal(smg_member_set_dates(org, "m1", start, end), 0);
    /* the first and last days are inside; the day before and after are not */
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-03-01T00:00", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-06-30T23:59:59", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-02-28T23:59:59", "m1", NULL, NULL, SMG_MONEY_NONE), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "2026-02-28 is outside member \"m1\""));
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-07-01T00:00", "m1", NULL, NULL, SMG_MONEY_NONE), SMG_ERULE);
    /* narrowing the dates past logged events is refused */
    assert_int_equal(smg_member_set_dates(org, "m1", start, end - 1), SMG_ERULE);
    {
        int64_t v = 0;
        int is_null = 1;
        assert_int_equal(smg_member_int(org, 0, SMG_MEMBER_END, &v, &is_null), 0);
        assert_int_equal(is_null, 0);
        assert_int_equal(v, end); /* the old dates stay */
    }
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 2);
    smg_org_free(org);
}

/* RULES.md §8: handover (member → ref member, or none) and link (customer
 * → ref customer): ids resolved on add, the receiver's dates at commit
 * (and again when dates change), REF in the log reader. */
static void test_handover_and_link(void **state)
{
    smg_org *org = setup_org();
    smg_event_type t;
    smg_date start, end;
    const char *ref = "untouched";
    int null = 7;
    size_t n, i;
    (void)state;
    assert_int_equal(smg_event_type_parse(&t, "handover"), 0);
    assert_int_equal(t, SMG_EV_HANDOVER);
    assert_int_equal(smg_event_type_parse(&t, "link"), 0);
    assert_int_equal(t, SMG_EV_LINK);
    assert_string_equal(smg_event_type_name(SMG_EV_LINK), "link");
    assert_string_equal(smg_event_type_name((smg_event_type)(SMG_EV_LINK + 1)), "cancel");
    assert_null(smg_event_type_name((smg_event_type)(SMG_EV_TRANSFER + 1)));
    /* handover: a from member; the receiver exists and is someone else */
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-02T10:00", NULL, NULL, "m2",
                         SMG_MONEY_NONE), SMG_EINVAL);
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-02T10:00", "m1", NULL, "m9",
                         SMG_MONEY_NONE), SMG_ENOTFOUND);
    assert_non_null(strstr(smg_org_errmsg(org), "column ref: member \"m9\" does not exist"));
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-02T10:00", "m1", NULL, "m1",
                         SMG_MONEY_NONE), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "hand over to themselves"));
    /* link: two customers, both known, not the same */
    assert_int_equal(add(org, SMG_EV_LINK, "2026-03-02T10:00", NULL, "c1", NULL,
                         SMG_MONEY_NONE), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "a customer id is required"));
    assert_int_equal(add(org, SMG_EV_LINK, "2026-03-02T10:00", NULL, "c1", "c9",
                         SMG_MONEY_NONE), SMG_ENOTFOUND);
    assert_non_null(strstr(smg_org_errmsg(org), "customer \"c9\" does not exist"));
    assert_int_equal(add(org, SMG_EV_LINK, "2026-03-02T10:00", NULL, "c1", "c1",
                         SMG_MONEY_NONE), SMG_EINVAL);
    assert_int_equal(add(org, SMG_EV_LINK, "2026-03-02T10:00", NULL, NULL, "c1",
                         SMG_MONEY_NONE), SMG_EINVAL);
    /* the receiver's dates: m2 starts on 03-03, so a handover on 03-02 fails
     * at commit, one on 03-03 passes */
    assert_int_equal(smg_date_parse(&start, "2026-03-03"), 0);
    assert_int_equal(smg_member_set_dates(org, "m2", start, SMG_DATE_NONE), 0);
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-02T10:00", "m1", NULL, "m2",
                         SMG_MONEY_NONE), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org),
                           "column ref: 2026-03-02 is outside member \"m2\"'s start and leave"));
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-03T10:00", "m1", NULL, "m2",
                         SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_HANDOVER, "2026-03-04T10:00", "m1", NULL, "",
                         SMG_MONEY_NONE), 0); /* to nobody */
    assert_int_equal(add(org, SMG_EV_LINK, "2026-03-05T10:00", NULL, "c2", "c1",
                         SMG_MONEY_NONE), 0);
    /* the receiver's leave date may not be moved before its handover */
    assert_int_equal(smg_date_parse(&end, "2026-03-02"), 0);
    assert_int_equal(smg_member_set_dates(org, "m2", SMG_DATE_NONE, end), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "column ref: 2026-03-03 is outside member"));
    n = smg_event_count(org);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
        int64_t type = 0;
        size_t ix = 0;
        assert_int_equal(smg_event_int(org, i, SMG_EVENT_TYPE, &type, NULL), 0);
        assert_int_equal(smg_event_text(org, i, SMG_EVENT_REF, &ref, &null), 0);
        if (i == 0) { /* the receiver */
            assert_int_equal(type, SMG_EV_HANDOVER);
            assert_int_equal(null, 0);
            assert_string_equal(ref, "m2");
        } else if (i == 1) { /* to nobody: null */
            assert_int_equal(null, 1);
            assert_null(ref);
        } else { /* the other customer */
            assert_int_equal(type, SMG_EV_LINK);
            assert_string_equal(ref, "c1");
            assert_int_equal(smg_event_index(org, i, SMG_EVENT_CUSTOMER, &ix, &null), 0);
            assert_int_equal(ix, 1);
            assert_int_equal(smg_event_index(org, i, SMG_EVENT_MEMBER, &ix, &null), 0);
            assert_int_equal(null, 1);
        }
    }
    smg_org_free(org);
}

static void test_error_limit_in_commit(void **state)
{
    smg_org *org = setup_org();
    int i;
    (void)state;
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < 5; i++) {
        char ref[8];
        ref[0] = 'X', ref[1] = (char)('0' + i), ref[2] = 0;
        assert_int_equal(add(org, SMG_EV_CLAIM, "2026-10-01T09:00", "m2", NULL, ref, SMG_MONEY_NONE), 0);
    }
    assert_int_equal(smg_batch_commit(org), SMG_EDATA);
    assert_int_equal(smg_org_error_count(org), 5); /* every error, not only the first */
    smg_org_free(org);
}

/* smg_org_reserve sizes the log exactly; adds then stay within it, and a
 * later batch (old and new events interleaved) still merges in order. */
static void test_reserve_and_merge(void **state)
{
    smg_org *org = setup_org();
    const smgi_events *E = &org->events;
    (void)state;
    assert_int_equal(smg_org_reserve(org, SMG_COUNT_EVENTS, 3), 0);
    assert_int_equal(E->cap, 3);
    assert_int_equal(smg_org_reserve(org, SMG_COUNT_CUSTOMERS, 3), SMG_EINVAL);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-03", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-01", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-05", "m1", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(E->cap, 3);
    /* a second batch lands between the old events */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-04", "m2", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-02", "m2", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-03", "m2", NULL, NULL, SMG_MONEY_NONE), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(E->count, 6);
    /* by time; the 10-03 tie keeps the old event (input 0) first */
    assert_int_equal(E->seq[0], 1);
    assert_int_equal(E->seq[1], 4);
    assert_int_equal(E->seq[2], 0);
    assert_int_equal(E->seq[3], 5);
    assert_int_equal(E->seq[4], 3);
    assert_int_equal(E->seq[5], 2);
    /* every column moved with its event: the time and member of input k */
    {
        static const int day[] = { 3, 1, 5, 4, 2, 3 };
        size_t i;
        for (i = 0; i < 6; i++) {
            smg_date d;
            assert_int_equal(smg_date_make(&d, 2026, 10, day[E->seq[i]]), 0);
            assert_int_equal(smg_time_day(E->at[i]), d);
            assert_int_equal(E->member[i], (int32_t)(E->seq[i] < 3 ? 0 : 1));
        }
    }
    smg_org_free(org);
}

/* The allocator of the out-of-memory tests (failing_alloc.h). */
static failing g_fail = FAILING_INIT;

/* A commit that runs out of memory at any point while merging a batch
 * into the log leaves the log and the amounts as they were; the same
 * batch then commits. */
static void test_merge_out_of_memory(void **state)
{
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    const smgi_events *E;
    long budget;
    int rc = SMG_ENOMEM;
    (void)state;
    failing_options(&opts, &g_fail);
    g_fail.fail_at = -1;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    E = &org->events;
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "王", "", NULL), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-05T10:00", "m1", "c1", "R1", 300), 0);
    assert_int_equal(add(org, SMG_EV_RECEIVABLE, "2026-10-01T10:00", "m1", "c1", "R1", 1000), 0);
    assert_int_equal(add(org, SMG_EV_EXPENSE, "2026-10-03T10:00", "m1", NULL, NULL, 70), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    for (budget = 0; rc == SMG_ENOMEM; budget++) {
        assert_true(budget < 20);
        assert_int_equal(smg_batch_begin(org), 0);
        assert_int_equal(add(org, SMG_EV_EXPENSE, "2026-10-04T10:00", "m1", NULL, NULL, 5), 0);
        assert_int_equal(add(org, SMG_EV_PAYMENT, "2026-10-02T10:00", "m1", "c1", "R1", 200), 0);
        failing_after(&g_fail, budget); /* the commit may allocate this many times */
        rc = smg_batch_commit(org);
        g_fail.fail_at = -1;
        if (rc) {
            assert_int_equal(rc, SMG_ENOMEM);
            assert_int_equal(E->count, 3);
            assert_int_equal(org->amounts.count, 2);
            assert_int_equal(E->seq[0], 1);
            assert_int_equal(E->at[0], T("2026-10-01T10:00"));
            assert_int_equal(E->seq[1], 2);
            assert_int_equal(E->at[1], T("2026-10-03T10:00"));
            assert_int_equal(smgi_event_amount(org, 1), 70);
            assert_int_equal(E->seq[2], 0);
            assert_int_equal(E->at[2], T("2026-10-05T10:00"));
            assert_int_equal(smgi_event_amount(org, 2), 300);
            assert_int_equal(org->receivables.paid[0], 300);
        }
    }
    assert_true(budget > 3); /* some failures came after the sort */
    assert_int_equal(E->count, 5);
    {
        static const uint32_t seq[] = { 1, 4, 2, 3, 0 };
        static const int64_t amount[] = { 1000, 200, 70, 5, 300 };
        size_t i;
        for (i = 0; i < 5; i++) {
            assert_int_equal(E->seq[i], seq[i]);
            assert_int_equal(smgi_event_amount(org, i), amount[i]);
        }
        assert_int_equal(smgi_payment_receivable(org, 1), 0);
        assert_int_equal(org->receivables.paid[0], 500);
    }
    smg_org_free(org);
}

/* Trimming the log's spare capacity: whatever shrink fails, every column
 * still holds `cap` events, the events are intact and appends go on. */
static void test_trim(void **state)
{
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    long budget;
    (void)state;
    failing_options(&opts, &g_fail);
    for (budget = 0; budget <= 7; budget++) {
        smg_org *org = NULL;
        smgi_events *E;
        int i;
        g_fail.fail_at = -1;
        assert_int_equal(smg_org_new(&org, &opts), 0);
        E = &org->events;
        assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
        assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
        assert_int_equal(smg_org_reserve(org, SMG_COUNT_EVENTS, 100), 0);
        for (i = 0; i < 10; i++)
            assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-01T08:00", "m1", NULL, NULL, 0), 0);
        failing_after(&g_fail, budget); /* 7 columns: `budget` of them shrink */
        smgi_events_trim(&org->alloc, E);
        g_fail.fail_at = -1;
        assert_int_equal(E->cap, 10);
        for (i = 0; i < 10; i++)
            assert_int_equal(E->seq[i], i);
        for (i = 0; i < 20; i++) /* grows from cap: a wrong cap overruns (ASan) */
            assert_int_equal(add(org, SMG_EV_SIGNIN, "2026-10-02T08:00", "m1", NULL, NULL, 0), 0);
        assert_int_equal(E->count, 30);
        smgi_events_trim(&org->alloc, E); /* 30 of 40: a quarter spare */
        assert_int_equal(E->cap, 30);
        smg_org_free(org);
    }
}

/* ---- the log reader ---- */

#define NONE SMG_MONEY_NONE
#define UNTOUCHED 12345

/* One event as added and as the reader must give it back (NONE = null). */
typedef struct want_event {
    const char *id;
    smg_event_type type;
    const char *at;
    long member, customer; /* index, -1 = null */
    const char *ref;
    smg_money amount, list_amount, cost;
    const char *product;
    smg_channel channel;
    smg_outcome outcome;
    int64_t value;
} want_event;

/* In input order; processing order ties (the deal and the reception at
 * 03-05 10:00) in input order. */
static const want_event log_in[] = {
    { "E-deal", SMG_EV_DEAL, "2026-03-05T10:00", 0, 0, "D1", 100000, 120000, 70000, "sedan",
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 0 */
    { NULL, SMG_EV_SIGNIN, "2026-03-01T09:00", 1, -1, NULL, NONE, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 1 */
    { "E-rec", SMG_EV_RECEPTION, "2026-03-05T10:00", 1, 1, NULL, NONE, NONE, NONE, NULL,
      SMG_CHANNEL_WALK_IN, SMG_OUTCOME_DUTY, NONE },                                       /* 2 */
    { NULL, SMG_EV_RECEIVABLE, "2026-03-06T08:00", 0, 0, "R1", 100000, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 3 */
    { "E-pay", SMG_EV_PAYMENT, "2026-03-07T08:00", 0, 0, "R1", 40000, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 4 */
    { NULL, SMG_EV_CLAIM, "2026-03-06T09:00", 1, -1, "D1", NONE, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 5 */
    { "ov", SMG_EV_OVERRIDE, "2026-03-08T08:00", -1, -1, "D1", NONE, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 6 */
    { NULL, SMG_EV_ABSENCE, "2026-03-02", 0, -1, NULL, NONE, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, 150 },                                           /* 7 */
    { NULL, SMG_EV_WORK_SCORE, "2026-03-31", 1, -1, NULL, NONE, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, 8550 },                                          /* 8 */
    { NULL, SMG_EV_EXPENSE, "2026-03-03", 0, -1, NULL, 5000, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 9 */
    { NULL, SMG_EV_VISIT, "2026-03-04", 0, 1, NULL, NONE, NONE, NONE, NULL,
      SMG_CHANNEL_ONSITE, SMG_OUTCOME_SUCCESS, NONE },                                     /* 10 */
    { NULL, SMG_EV_DEAL, "2026-03-09", 1, 1, "D2", 0, NONE, NONE, NULL,
      SMG_CHANNEL_NONE, SMG_OUTCOME_NONE, NONE },                                          /* 11 */
};
#define NLOG (sizeof log_in / sizeof log_in[0])
/* input positions in processing order */
static const size_t log_order[NLOG] = { 1, 7, 9, 10, 0, 2, 3, 5, 4, 6, 11, 8 };

static void add_want(smg_org *org, const want_event *w)
{
    smg_event ev = SMG_EVENT_INIT;
    static const char *const members[] = { "m1", "m2" }, *const customers[] = { "c1", "c2" };
    ev.id = w->id;
    ev.type = w->type;
    ev.at = T(w->at);
    ev.member = w->member < 0 ? NULL : members[w->member];
    ev.customer = w->customer < 0 ? NULL : customers[w->customer];
    ev.ref = w->ref;
    ev.amount = w->amount;
    ev.list_amount = w->list_amount;
    ev.cost = w->cost;
    ev.product = w->product;
    ev.channel = w->channel;
    ev.outcome = w->outcome;
    ev.value = w->value;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

/* Field f of the event at pos through the getter of its type; the other
 * getters refuse it and leave their outputs alone. *null receives is_null. */
static int64_t read_num(const smg_org *org, size_t pos, smg_event_field f, int *null)
{
    size_t ix = UNTOUCHED;
    int64_t v = UNTOUCHED;
    const char *t = "untouched";
    int n = 7;
    smg_type type = smg_event_field_type(f);
    if (type == SMG_TYPE_INDEX) {
        assert_int_equal(smg_event_int(org, pos, f, &v, &n), SMG_EINVAL);
        assert_int_equal(smg_event_text(org, pos, f, &t, &n), SMG_EINVAL);
        assert_int_equal(smg_event_index(org, pos, f, &ix, &n), 0);
        v = (int64_t)ix;
    } else {
        assert_int_equal(smg_event_index(org, pos, f, &ix, &n), SMG_EINVAL);
        assert_int_equal(smg_event_text(org, pos, f, &t, &n), SMG_EINVAL);
        assert_int_equal(smg_event_int(org, pos, f, &v, &n), 0);
    }
    assert_string_equal(t, "untouched");
    assert_true(n == 0 || n == 1);
    if (n)
        assert_int_equal(v, 0);
    *null = n;
    return v;
}

static const char *read_text(const smg_org *org, size_t pos, smg_event_field f)
{
    size_t ix = UNTOUCHED;
    int64_t v = UNTOUCHED;
    const char *t = "untouched";
    int n = 7;
    assert_int_equal(smg_event_field_type(f), SMG_TYPE_TEXT);
    assert_int_equal(smg_event_index(org, pos, f, &ix, &n), SMG_EINVAL);
    assert_int_equal(smg_event_int(org, pos, f, &v, &n), SMG_EINVAL);
    assert_int_equal(n, 7);
    assert_int_equal(smg_event_text(org, pos, f, &t, &n), 0);
    assert_int_equal(n, t == NULL);
    assert_int_equal(ix, UNTOUCHED);
    assert_int_equal(v, UNTOUCHED);
    return t;
}

static void expect_num(const smg_org *org, size_t pos, smg_event_field f, int64_t want,
                       int want_null)
{
    int null;
    int64_t v = read_num(org, pos, f, &null);
    assert_int_equal(null, want_null);
    if (!want_null)
        assert_int_equal(v, want);
}

static void expect_str(const smg_org *org, size_t pos, smg_event_field f, const char *want)
{
    const char *t = read_text(org, pos, f);
    if (want)
        assert_string_equal(t, want);
    else
        assert_null(t);
}

/* The reader at position pos gives back input event seq (shifted by `base`
 * input positions added before the table). */
static void expect_event(const smg_org *org, size_t pos, size_t seq, size_t base)
{
    const want_event *w = &log_in[seq];
    expect_num(org, pos, SMG_EVENT_SEQ, (int64_t)(seq + base), 0);
    expect_str(org, pos, SMG_EVENT_ID, w->id);
    expect_num(org, pos, SMG_EVENT_TYPE, w->type, 0);
    expect_num(org, pos, SMG_EVENT_AT, T(w->at), 0);
    expect_num(org, pos, SMG_EVENT_MEMBER, w->member, w->member < 0);
    expect_num(org, pos, SMG_EVENT_CUSTOMER, w->customer, w->customer < 0);
    expect_str(org, pos, SMG_EVENT_REF, w->ref);
    expect_num(org, pos, SMG_EVENT_AMOUNT, w->amount, w->amount == NONE);
    expect_num(org, pos, SMG_EVENT_LIST_AMOUNT, w->list_amount, w->list_amount == NONE);
    expect_num(org, pos, SMG_EVENT_COST, w->cost, w->cost == NONE);
    expect_str(org, pos, SMG_EVENT_PRODUCT, w->product);
    expect_num(org, pos, SMG_EVENT_CHANNEL, w->channel, 0);
    expect_num(org, pos, SMG_EVENT_OUTCOME, w->outcome, 0);
    expect_num(org, pos, SMG_EVENT_VALUE, w->value, w->value == NONE);
    expect_num(org, pos, SMG_EVENT_LINE, 0, 1); /* added through the API: no line */
}

static void test_log_reader(void **state)
{
    static const char *const names[] = { "seq", "id", "type", "at", "member", "customer",
                                         "ref", "amount", "list_amount", "cost", "product",
                                         "channel", "outcome", "value", "line",
                                         "cancelled_by" };
    static const smg_type types[] = { SMG_TYPE_INT, SMG_TYPE_TEXT, SMG_TYPE_ENUM,
                                      SMG_TYPE_TIME, SMG_TYPE_INDEX, SMG_TYPE_INDEX,
                                      SMG_TYPE_TEXT, SMG_TYPE_MONEY, SMG_TYPE_MONEY,
                                      SMG_TYPE_MONEY, SMG_TYPE_TEXT, SMG_TYPE_ENUM,
                                      SMG_TYPE_ENUM, SMG_TYPE_INT, SMG_TYPE_INT,
                                      SMG_TYPE_INT };
    smg_org *org = setup_org();
    size_t i, f, pos = UNTOUCHED, ix = UNTOUCHED;
    int64_t v = UNTOUCHED;
    const char *t = "untouched";
    smg_event ev = SMG_EVENT_INIT;
    (void)state;
    for (f = 0; smg_event_field_name((smg_event_field)f); f++) {
        assert_string_equal(smg_event_field_name((smg_event_field)f), names[f]);
        assert_int_equal(smg_event_field_type((smg_event_field)f), types[f]);
    }
    assert_int_equal(f, 16);
    assert_int_equal(smg_event_field_type((smg_event_field)16), 0);
    assert_int_equal(smg_event_field_type((smg_event_field)-1), 0);
    assert_int_equal(smg_event_count(org), 0);
    assert_int_equal(smg_event_count(NULL), 0);

    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < NLOG; i++)
        add_want(org, &log_in[i]);
    /* staged events are not in the committed log yet */
    assert_int_equal(smg_event_count(org), 0);
    assert_int_equal(smg_event_find(org, "E-deal", &pos), SMG_ENOTFOUND);
    assert_int_equal(smg_event_int(org, 0, SMG_EVENT_SEQ, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_event_count(org), NLOG);
    for (i = 0; i < NLOG; i++)
        expect_event(org, i, log_order[i], 0);

    /* refusals: past the count, unknown field, NULL; outputs untouched */
    assert_int_equal(smg_event_int(org, NLOG, SMG_EVENT_SEQ, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_index(org, NLOG, SMG_EVENT_MEMBER, &ix, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_text(org, NLOG, SMG_EVENT_ID, &t, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_int(org, 0, (smg_event_field)16, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_text(org, 0, (smg_event_field)-1, &t, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_int(NULL, 0, SMG_EVENT_SEQ, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_int(org, 0, SMG_EVENT_SEQ, NULL, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_index(org, 0, SMG_EVENT_MEMBER, NULL, NULL), SMG_EINVAL);
    assert_int_equal(smg_event_text(org, 0, SMG_EVENT_ID, NULL, NULL), SMG_EINVAL);
    assert_int_equal(v, UNTOUCHED);
    assert_int_equal(ix, UNTOUCHED);
    assert_string_equal(t, "untouched");

    /* ids and input positions to log positions */
    assert_int_equal(smg_event_find(org, "E-deal", &pos), 0);
    assert_int_equal(pos, 4);
    assert_int_equal(smg_event_find(org, "E-rec", &pos), 0);
    assert_int_equal(pos, 5);
    assert_int_equal(smg_event_find(org, "E-pay", &pos), 0);
    assert_int_equal(pos, 8);
    assert_int_equal(smg_event_find(org, "ov", &pos), 0);
    assert_int_equal(pos, 9);
    pos = UNTOUCHED;
    assert_int_equal(smg_event_find(org, "E-none", &pos), SMG_ENOTFOUND);
    assert_int_equal(smg_event_find(org, "", &pos), SMG_ENOTFOUND);
    assert_int_equal(smg_event_find(org, NULL, &pos), SMG_EINVAL);
    assert_int_equal(smg_event_find(NULL, "ov", &pos), SMG_EINVAL);
    assert_int_equal(smg_event_find(org, "ov", NULL), SMG_EINVAL);
    assert_int_equal(smg_event_position(org, NLOG, &pos), SMG_EINVAL);
    assert_int_equal(smg_event_position(NULL, 0, &pos), SMG_EINVAL);
    assert_int_equal(smg_event_position(org, 0, NULL), SMG_EINVAL);
    assert_int_equal(pos, UNTOUCHED);
    for (i = 0; i < NLOG; i++) {
        assert_int_equal(smg_event_position(org, log_order[i], &pos), 0);
        assert_int_equal(pos, i);
    }

    /* an event earlier than all moves every position by one; input
     * positions and ids stay */
    ev.type = SMG_EV_SIGNIN;
    ev.at = T("2026-02-27T08:00");
    ev.member = "m1";
    ev.id = "E-early";
    assert_int_equal(smg_event_add(org, &ev), 0);
    assert_int_equal(smg_event_count(org), NLOG + 1);
    expect_num(org, 0, SMG_EVENT_SEQ, NLOG, 0);
    expect_str(org, 0, SMG_EVENT_ID, "E-early");
    for (i = 0; i < NLOG; i++)
        expect_event(org, i + 1, log_order[i], 0);
    assert_int_equal(smg_event_find(org, "E-deal", &pos), 0);
    assert_int_equal(pos, 5);
    assert_int_equal(smg_event_position(org, NLOG, &pos), 0);
    assert_int_equal(pos, 0);
    assert_int_equal(smg_event_position(org, 0, &pos), 0);
    assert_int_equal(pos, 5);
    smg_org_free(org);
}

static int add_id(smg_org *org, const char *id, const char *at)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = SMG_EV_SIGNIN;
    ev.at = T(at);
    ev.member = "m1";
    ev.id = id;
    return smg_event_add(org, &ev);
}

static void test_event_ids(void **state)
{
    smg_org *org = setup_org();
    size_t pos;
    char id64[65], id65[66];
    (void)state;
    /* a log without ids costs nothing for them */
    assert_int_equal(add_id(org, NULL, "2026-03-01T08:00"), 0);
    assert_int_equal(add_id(org, "", "2026-03-01T09:00"), 0);
    assert_int_equal(org->event_ids.ids.count, 0);
    assert_null(org->event_ids.seq);
    assert_null(org->event_ids.ids.chars);

    /* bad bytes, too long; 64 bytes is fine */
    assert_int_equal(add_id(org, "a\tb", "2026-03-02T08:00"), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "event #2: column id: event id"));
    assert_non_null(strstr(smg_org_errmsg(org), "control character"));
    assert_int_equal(add_id(org, "a\x7f", "2026-03-02T08:00"), SMG_EINVAL);
    memset(id65, 'x', 65);
    id65[65] = 0;
    assert_int_equal(add_id(org, id65, "2026-03-02T08:00"), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "longer than 64 bytes"));
    memset(id64, 'y', 64);
    id64[64] = 0;
    assert_int_equal(add_id(org, id64, "2026-03-02T08:00"), 0); /* #2 */
    assert_int_equal(smg_event_find(org, id64, &pos), 0);
    assert_int_equal(pos, 2);

    /* a duplicate of a committed event names both */
    assert_int_equal(add_id(org, "A", "2026-03-03T08:00"), 0); /* #3 */
    assert_int_equal(add_id(org, "A", "2026-03-04T08:00"), SMG_EEXISTS);
    assert_string_equal(smg_org_errmsg(org),
                        "event #4: column id: duplicate event id \"A\" (event #3 has it too)");
    /* ids are compared exactly */
    assert_int_equal(add_id(org, "a", "2026-03-04T08:00"), 0); /* #4 */

    /* a duplicate within one batch; the failed batch frees its ids */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add_id(org, "B", "2026-03-05T08:00"), 0);
    assert_int_equal(add_id(org, "C", "2026-03-05T09:00"), 0);
    assert_int_equal(add_id(org, "B", "2026-03-05T10:00"), SMG_EEXISTS);
    assert_string_equal(smg_org_errmsg(org),
                        "event #7: column id: duplicate event id \"B\" (event #5 has it too)");
    assert_int_equal(smg_batch_commit(org), SMG_EEXISTS);
    assert_int_equal(smg_event_count(org), 5);
    assert_int_equal(org->event_ids.ids.count, 3); /* yyy…, A, a */
    assert_int_equal(smg_event_find(org, "B", &pos), SMG_ENOTFOUND);

    /* a rolled-back batch frees its ids */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add_id(org, "B", "2026-03-05T08:00"), 0);
    smg_batch_rollback(org);
    assert_int_equal(org->event_ids.ids.count, 3);
    /* an event refused for another reason takes no id ... */
    {
        smg_event ev = SMG_EVENT_INIT;
        ev.type = SMG_EV_SIGNIN;
        ev.at = T("2026-03-05T08:00");
        ev.member = "ghost";
        ev.id = "B";
        assert_int_equal(smg_event_add(org, &ev), SMG_ENOTFOUND);
    }
    /* ... nor one whose commit fails (an order rule) */
    {
        smg_event ev = SMG_EVENT_INIT;
        ev.type = SMG_EV_CLAIM;
        ev.at = T("2026-03-05T08:00");
        ev.member = "m1";
        ev.ref = "D-none";
        ev.id = "B";
        assert_int_equal(smg_event_add(org, &ev), SMG_ERULE);
    }
    assert_int_equal(org->event_ids.ids.count, 3);
    assert_int_equal(add_id(org, "B", "2026-03-05T08:00"), 0); /* #5 */
    assert_int_equal(add_id(org, "C", "2026-03-01T07:00"), 0); /* #6, first in time */
    assert_int_equal(smg_event_find(org, "C", &pos), 0);
    assert_int_equal(pos, 0);
    assert_int_equal(smg_event_find(org, "B", &pos), 0);
    assert_int_equal(pos, 6);
    assert_int_equal(smg_event_find(org, "A", &pos), 0);
    assert_int_equal(pos, 4);
    assert_string_equal(read_text(org, 1, SMG_EVENT_ID) ? "has" : "none", "none");
    assert_string_equal(read_text(org, 4, SMG_EVENT_ID), "A");
    assert_string_equal(read_text(org, 5, SMG_EVENT_ID), "a");
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_add_validation),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_sorted_log),
        cmocka_unit_test(test_sort_many),
        cmocka_unit_test(test_order_rules),
        cmocka_unit_test(test_payments),
        cmocka_unit_test(test_member_dates),
        cmocka_unit_test(test_handover_and_link),
        cmocka_unit_test(test_error_limit_in_commit),
        cmocka_unit_test(test_reserve_and_merge),
        cmocka_unit_test(test_merge_out_of_memory),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_log_reader),
        cmocka_unit_test(test_event_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
