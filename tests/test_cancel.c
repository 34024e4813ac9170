/* Cancels (RULES.md §8 "Cancel"): what remains must be a valid log, a
 * cancel may come in a later batch, and every result is computed as if the
 * cancelled event had never been logged — checked by comparing an org that
 * logged and cancelled events with one that never logged them, table by
 * table, events named by their ids (positions differ: a cancelled event
 * keeps its place in the log). */
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

static smg_time T(const char *s)
{
    smg_time t;
    assert_int_equal(smg_time_parse(&t, s), 0);
    return t;
}

static smg_org *new_org(const smg_org_options *oo)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, oo), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "李娜", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "王", "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "赵", "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c3", "钱", "", NULL), 0);
    return org;
}

/* One event: id, type, time, member, customer, ref, amount. */
typedef struct ev {
    const char *id;
    smg_event_type type;
    const char *at, *member, *customer, *ref;
    smg_money amount;
} ev;

static int add(smg_org *org, const ev *e)
{
    smg_event x = SMG_EVENT_INIT;
    x.id = e->id;
    x.type = e->type;
    x.at = T(e->at);
    x.member = e->member;
    x.customer = e->customer;
    x.ref = e->ref;
    x.amount = e->amount;
    return smg_event_add(org, &x);
}

#define NONE SMG_MONEY_NONE

/* A story: m1 registers c1 and c2; m2 closes a deal of c1 inside m1's
 * protection (credited to m1), m1 claims nothing; m2 registers c3 and
 * closes it; a receivable and its payment. */
static const ev story[] = {
    { "r1", SMG_EV_REGISTER, "2026-03-02T10:00", "m1", "c1", NULL, NONE },
    { "r2", SMG_EV_REGISTER, "2026-03-02T11:00", "m1", "c2", NULL, NONE },
    { "f1", SMG_EV_FOLLOWUP, "2026-03-03T09:00", "m1", "c1", NULL, NONE },
    { "d1", SMG_EV_DEAL, "2026-03-05T15:00", "m2", "c1", "D1", 100000 },
    { "r3", SMG_EV_REGISTER, "2026-03-06T10:00", "m2", "c3", NULL, NONE },
    { "d2", SMG_EV_DEAL, "2026-03-07T10:00", "m2", "c3", "D2", 50000 },
    { "v1", SMG_EV_RECEIVABLE, "2026-03-07T11:00", "m2", "c3", "R1", 50000 },
    { "p1", SMG_EV_PAYMENT, "2026-03-20T11:00", "m2", "c3", "R1", 20000 },
    { "d3", SMG_EV_DEAL, "2026-03-25T10:00", "m1", "c2", "D3", 30000 },
};
#define NSTORY (sizeof story / sizeof story[0])

static void add_all(smg_org *org, const ev *e, size_t n, const char *skip)
{
    size_t i;
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < n; i++)
        if (!skip || !strstr(skip, e[i].id))
            assert_int_equal(add(org, &e[i]), 0);
    assert_int_equal(smg_batch_commit(org), 0);
}

static int cancel(smg_org *org, const char *id, const char *target, const char *at)
{
    ev c = { id, SMG_EV_CANCEL, at, NULL, NULL, target, NONE };
    return add(org, &c);
}

/* The id of the event at log position `field value` (a position), or "-". */
static const char *id_at(const smg_org *org, int64_t pos, int is_null)
{
    const char *id = NULL;
    int null = 0;
    if (is_null)
        return "-";
    assert_int_equal(smg_event_text(org, (size_t)pos, SMG_EVENT_ID, &id, &null), 0);
    return null ? "?" : id;
}

/* Read cell (r, f) of attribution table TBL (deal, notice, ...) into v as
 * an integer, through the index or the int getter as its type says. */
#define CELL(TBL, FT, a, r, f, v, null)                                                   \
    do {                                                                                 \
        if (smg_attribution_##TBL##_field_type((FT)(f)) == SMG_TYPE_INDEX) {            \
            size_t ix_ = 0;                                                              \
            assert_int_equal(smg_attribution_##TBL##_index(a, r, (FT)(f), &ix_, &null), 0); \
            v = (int64_t)ix_;                                                            \
        } else {                                                                         \
            assert_int_equal(smg_attribution_##TBL##_int(a, r, (FT)(f), &v, &null), 0);  \
        }                                                                                \
    } while (0)

/* Write every row of every attribution table into buf, events by id. */
static void dump_attribution(smg_org *org, char *buf, size_t cap)
{
    smg_attribution *a = NULL;
    size_t n = 0, r, f;
    int64_t v;
    int null;
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
#define PUT(...) (n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__))
    for (r = 0; r < smg_attribution_deal_count(a); r++) {
        for (f = 0; smg_attribution_deal_field_name((smg_deal_field)f); f++) {
            CELL(deal, smg_deal_field, a, r, f, v, null);
            if (f >= SMG_DEAL_EV_DEAL || f == SMG_DEAL_DEAL)
                PUT("%s=%s ", smg_attribution_deal_field_name((smg_deal_field)f),
                    f == SMG_DEAL_DEAL ? (null ? "-" : smg_deal_id(org, (size_t)v))
                                       : id_at(org, v, null));
            else
                PUT("%s=%lld ", smg_attribution_deal_field_name((smg_deal_field)f),
                    null ? -1LL : (long long)v);
        }
        PUT("\n");
    }
    for (r = 0; r < smg_attribution_notice_count(a); r++) {
        for (f = 0; smg_attribution_notice_field_name((smg_notice_field)f); f++) {
            CELL(notice, smg_notice_field, a, r, f, v, null);
            if (f == SMG_NOTICE_EVENT)
                PUT("event=%s ", id_at(org, v, null));
            else
                PUT("%lld ", null ? -1LL : (long long)v);
        }
        PUT("\n");
    }
    for (r = 0; r < smg_attribution_protection_count(a); r++) {
        for (f = 0; smg_attribution_protection_field_name((smg_protection_field)f); f++) {
            CELL(protection, smg_protection_field, a, r, f, v, null);
            if (f >= SMG_PROTECTION_EV_REGISTRATION)
                PUT("%s ", id_at(org, v, null));
            else
                PUT("%lld ", null ? -1LL : (long long)v);
        }
        PUT("\n");
    }
    for (r = 0; r < smg_attribution_registration_count(a); r++) {
        for (f = 0; smg_attribution_registration_field_name((smg_registration_field)f); f++) {
            CELL(registration, smg_registration_field, a, r, f, v, null);
            if (f == SMG_REGISTRATION_EVENT)
                PUT("%s ", id_at(org, v, null));
            else
                PUT("%lld ", null ? -1LL : (long long)v);
        }
        PUT("\n");
    }
#undef PUT
    assert_true(n < cap);
    smg_attribution_free(a);
}

/* Every KPI of every row for March 2026, as text. */
static void dump_kpi(smg_org *org, char *buf, size_t cap)
{
    smg_kpi_options ko = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    size_t n = 0, row, f;
    assert_int_equal(smg_period_month(&ko.period, 2026, 3), 0);
    assert_int_equal(smg_kpi_compute(&r, org, &ko), 0);
    for (row = 0; row < smg_kpi_count(r); row++) {
        for (f = 0; smg_kpi_field_name((smg_kpi_field)f); f++) {
            int64_t v = 0;
            double d = 0;
            int null = 0;
            if (smg_kpi_field_type((smg_kpi_field)f) == SMG_TYPE_DOUBLE) {
                assert_int_equal(smg_kpi_double(r, row, (smg_kpi_field)f, &d, &null), 0);
                n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%.9g ", null ? -1 : d);
            } else {
                assert_int_equal(smg_kpi_int(r, row, (smg_kpi_field)f, &v, &null), 0);
                n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%lld ",
                                      null ? -1LL : (long long)v);
            }
        }
        n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "\n");
    }
    assert_true(n < cap);
    smg_kpi_report_free(r);
}

/* An org that logged the story and then cancelled `ids` (one cancel each,
 * in a later batch) gives every table of one that never logged them. */
static void expect_as_if_never(const char *ids)
{
    static char want[16384], got[16384];
    smg_org *with = new_org(NULL), *without = new_org(NULL);
    char list[64], *tok, *comma, cid[16];
    int k = 0;
    add_all(with, story, NSTORY, NULL);
    add_all(without, story, NSTORY, ids);
    snprintf(list, sizeof list, "%s", ids);
    assert_int_equal(smg_batch_begin(with), 0);
    for (tok = list; tok; tok = comma ? comma + 1 : NULL) {
        if ((comma = strchr(tok, ',')) != NULL)
            *comma = 0;
        snprintf(cid, sizeof cid, "x%d", k++);
        assert_int_equal(cancel(with, cid, tok, "2026-04-01T09:00"), 0);
    }
    assert_int_equal(smg_batch_commit(with), 0);
    dump_attribution(without, want, sizeof want);
    dump_attribution(with, got, sizeof got);
    assert_string_equal(got, want);
    dump_kpi(without, want, sizeof want);
    dump_kpi(with, got, sizeof got);
    assert_string_equal(got, want);
    smg_org_free(with);
    smg_org_free(without);
}

static void test_as_if_never_logged(void **state)
{
    (void)state;
    /* a deal credited to the protector: the credit and sales go */
    expect_as_if_never("d1");
    /* a registration: m1 never protected c1, so D1 goes to its closer */
    expect_as_if_never("r1");
    /* the follow-up: r1 is then late (a late_followup notice appears) */
    expect_as_if_never("f1");
    /* a payment: the collection rate falls back */
    expect_as_if_never("p1");
    /* a registration and a deal at once; a receivable with its payment */
    expect_as_if_never("r3,d3");
    expect_as_if_never("v1,p1");
}

static void test_cancel_changes_the_credit(void **state)
{
    smg_org *org = new_org(NULL);
    smg_attribution *a = NULL;
    size_t d;
    int64_t v;
    (void)state;
    add_all(org, story, NSTORY, NULL);
    /* before: D1 (row 0) is m1's, protected_unclaimed */
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    assert_int_equal(smg_attribution_deal_int(a, 0, SMG_DEAL_REASON, &v, NULL), 0);
    assert_int_equal(v, SMG_REASON_PROTECTED_UNCLAIMED);
    smg_attribution_free(a);
    /* the registration is cancelled in a later batch, by a cancel dated
     * before it (its own moment is for the record only) */
    assert_int_equal(cancel(org, "x1", "r1", "2026-01-01T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    assert_int_equal(smg_attribution_deal_index(a, 0, SMG_DEAL_DEAL, &d, NULL), 0);
    assert_string_equal(smg_deal_id(org, d), "D1");
    assert_int_equal(smg_attribution_deal_int(a, 0, SMG_DEAL_REASON, &v, NULL), 0);
    assert_int_equal(v, SMG_REASON_UNPROTECTED);
    assert_int_equal(smg_attribution_deal_index(a, 0, SMG_DEAL_CREDITED, &d, NULL), 0);
    assert_int_equal(d, 1); /* m2 */
    smg_attribution_free(a);
    smg_org_free(org);
}

static void test_log_reader_shows_cancelled(void **state)
{
    smg_org *org = new_org(NULL);
    size_t pos, cpos;
    int64_t v, seq;
    int null = 0;
    (void)state;
    add_all(org, story, NSTORY, NULL);
    assert_int_equal(smg_event_find(org, "d3", &pos), 0);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &v, &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(cancel(org, "x1", "d3", "2026-04-01T09:00"), 0);
    /* the log still holds the deal, with its own type and amount */
    assert_int_equal(smg_event_count(org), NSTORY + 1);
    assert_int_equal(smg_event_find(org, "d3", &pos), 0);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_TYPE, &v, NULL), 0);
    assert_int_equal(v, SMG_EV_DEAL);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_AMOUNT, &v, NULL), 0);
    assert_int_equal(v, 30000);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &seq, &null), 0);
    assert_int_equal(null, 0);
    assert_int_equal(seq, NSTORY); /* the cancel's input position */
    assert_int_equal(smg_event_position(org, (size_t)seq, &cpos), 0);
    {
        const char *ref = NULL;
        assert_int_equal(smg_event_int(org, cpos, SMG_EVENT_TYPE, &v, NULL), 0);
        assert_int_equal(v, SMG_EV_CANCEL);
        assert_int_equal(smg_event_text(org, cpos, SMG_EVENT_REF, &ref, NULL), 0);
        assert_string_equal(ref, "d3");
    }
    smg_org_free(org);
}

/* The error of adding `e` then committing, with its message containing `msg`. */
static void expect_commit_error(smg_org *org, const ev *e, size_t n, int status,
                                const char *msg)
{
    size_t i, before = smg_event_count(org);
    int rc = 0;
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < n && !rc; i++)
        rc = add(org, &e[i]);
    if (!rc)
        rc = smg_batch_commit(org);
    else
        smg_batch_rollback(org);
    assert_int_equal(rc, status);
    if (!strstr(smg_org_errmsg(org), msg))
        fail_msg("message \"%s\" lacks \"%s\"", smg_org_errmsg(org), msg);
    assert_int_equal(smg_event_count(org), before); /* nothing of the batch stays */
}

static void test_what_remains_is_valid(void **state)
{
    smg_org *org = new_org(NULL);
    size_t pos;
    int64_t v;
    int null = 0;
    static const ev claim[] = {
        { "k1", SMG_EV_CLAIM, "2026-03-06T09:00", "m1", NULL, "D1", NONE },
    };
    static const ev cancel_d1[] = {
        { "x1", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "d1", NONE },
    };
    static const ev cancel_both[] = {
        { "x1", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "k1", NONE },
        { "x2", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "d1", NONE },
    };
    static const ev cancel_x1[] = {
        { "x3", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "x1", NONE },
    };
    static const ev again[] = {
        { "x4", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "d1", NONE },
    };
    static const ev twice[] = {
        { "x5", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "d2", NONE },
        { "x6", SMG_EV_CANCEL, "2026-04-02T10:00", NULL, NULL, "d2", NONE },
    };
    static const ev claim_gone[] = {
        { "k2", SMG_EV_CLAIM, "2026-03-06T10:00", "m1", NULL, "D1", NONE },
    };
    static const ev receivable_paid[] = {
        { "x7", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "v1", NONE },
    };
    static const ev later_first[] = {
        { "x8", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "n1", NONE },
        { "n1", SMG_EV_VISIT, "2026-03-10T09:00", "m1", "c1", NULL, NONE },
    };
    (void)state;
    add_all(org, story, NSTORY, NULL);
    add_all(org, claim, 1, NULL);
    /* a deal whose claim stands: an error that names both events */
    expect_commit_error(org, cancel_d1, 1, SMG_ERULE,
                        "event #10: cancels event #3, whose claim event #9 still stands");
    /* the claim cancelled too, in the same batch: fine */
    add_all(org, cancel_both, 2, NULL);
    assert_int_equal(smg_event_find(org, "d1", &pos), 0);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &v, &null), 0);
    assert_int_equal(null, 0);
    /* a cancel of a cancel; a second cancel, in a later batch or the same */
    expect_commit_error(org, cancel_x1, 1, SMG_ERULE, "a cancel cannot be cancelled");
    expect_commit_error(org, again, 1, SMG_ERULE, "is already cancelled (by event #11)");
    expect_commit_error(org, twice, 2, SMG_ERULE, "is already cancelled (by event #12)");
    /* a claim of a cancelled deal, in a later batch */
    expect_commit_error(org, claim_gone, 1, SMG_ERULE, "claimed deal \"D1\" (event #3) is cancelled");
    /* a receivable whose payment stands */
    expect_commit_error(org, receivable_paid, 1, SMG_ERULE, "whose payment event #7 still stands");
    /* an unknown id, or one added after the cancel: not found on add */
    expect_commit_error(org, later_first, 2, SMG_ENOTFOUND, "no event has id \"n1\"");
    {
        ev c = { "x9", SMG_EV_CANCEL, "2026-04-02T09:00", NULL, NULL, "nope", NONE };
        assert_int_equal(add(org, &c), SMG_ENOTFOUND);
        c.ref = NULL;
        assert_int_equal(add(org, &c), SMG_EINVAL);
    }
    smg_org_free(org);
}

static void test_cancelled_payment_and_refund_free_their_room(void **state)
{
    smg_org *org = new_org(NULL);
    static const ev more[] = {
        { "p2", SMG_EV_PAYMENT, "2026-03-21T11:00", "m2", "c3", "R1", 30000 },
        { "u1", SMG_EV_REFUND, "2026-03-26T10:00", NULL, NULL, "D3", 30000 },
    };
    static const ev over[] = {
        { "p3", SMG_EV_PAYMENT, "2026-03-22T11:00", "m2", "c3", "R1", 1 },
    };
    static const ev over_refund[] = {
        { "u2", SMG_EV_REFUND, "2026-03-27T10:00", NULL, NULL, "D3", 1 },
    };
    static const ev cancels[] = {
        { "x1", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "p2", NONE },
        { "x2", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "u1", NONE },
    };
    static const ev refill[] = {
        { "p4", SMG_EV_PAYMENT, "2026-04-02T11:00", "m2", "c3", "R1", 30000 },
        { "u3", SMG_EV_REFUND, "2026-04-02T10:00", NULL, NULL, "D3", 30000 },
    };
    (void)state;
    add_all(org, story, NSTORY, NULL);
    add_all(org, more, 2, NULL); /* R1 fully paid, D3 fully refunded */
    expect_commit_error(org, over, 1, SMG_ERULE, "payment exceeds the 0.00 still open");
    expect_commit_error(org, over_refund, 1, SMG_ERULE,
                        "refund exceeds the 0.00 of deal \"D3\" not yet refunded");
    add_all(org, cancels, 2, NULL);
    add_all(org, refill, 2, NULL); /* the room is back */
    smg_org_free(org);
}

/* A failed batch takes its cancels back: the event stands again. */
static void test_failed_batch_keeps_the_event(void **state)
{
    smg_org *org = new_org(NULL);
    size_t pos;
    int64_t v;
    int null = 0;
    static const ev bad[] = {
        { "x1", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "d3", NONE },
        { "k9", SMG_EV_CLAIM, "2026-03-01T09:00", "m1", NULL, "D3", NONE }, /* before D3 */
    };
    (void)state;
    add_all(org, story, NSTORY, NULL);
    expect_commit_error(org, bad, 2, SMG_ERULE, "comes later in time order");
    assert_int_equal(smg_event_find(org, "d3", &pos), 0);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &v, &null), 0);
    assert_int_equal(null, 1);
    assert_int_equal(smg_event_int(org, pos, SMG_EVENT_TYPE, &v, NULL), 0);
    assert_int_equal(v, SMG_EV_DEAL);
    /* and it can be cancelled after all */
    assert_int_equal(cancel(org, "x1", "d3", "2026-04-01T09:00"), 0);
    smg_org_free(org);
}

/* Out of memory at every allocation of a commit with cancels: an error,
 * nothing changed (the deal stands, no cancel logged), nothing leaked. */
static void test_out_of_memory(void **state)
{
    long k;
    int done = 0;
    (void)state;
    for (k = 0; !done; k++) {
        failing f = FAILING_INIT;
        smg_org_options oo = SMG_ORG_OPTIONS_INIT;
        smg_org *org;
        size_t pos;
        int64_t v;
        int null = 0, rc;
        static const ev cancels[] = {
            { "x1", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "d2", NONE },
            { "x2", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "p1", NONE },
            { "x3", SMG_EV_CANCEL, "2026-04-01T09:00", NULL, NULL, "v1", NONE },
        };
        size_t i;
        failing_options(&oo, &f);
        org = new_org(&oo);
        add_all(org, story, NSTORY, NULL);
        f.fail_at = f.calls + k;
        rc = smg_batch_begin(org);
        for (i = 0; i < 3 && !rc; i++)
            rc = add(org, &cancels[i]);
        if (!rc)
            rc = smg_batch_commit(org);
        else
            smg_batch_rollback(org);
        f.fail_at = -1;
        assert_int_equal(smg_event_find(org, "d2", &pos), 0);
        assert_int_equal(smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &v, &null), 0);
        if (rc) {
            assert_int_equal(rc, SMG_ENOMEM);
            assert_int_equal(null, 1);
            assert_int_equal(smg_event_count(org), NSTORY);
            /* and the org still works: the cancels go through now */
            add_all(org, cancels, 3, NULL);
        } else {
            assert_int_equal(null, 0);
            done = 1;
        }
        assert_int_equal(smg_event_count(org), NSTORY + 3);
        smg_org_free(org);
        assert_int_equal(f.live, 0);
    }
    assert_true(k > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_if_never_logged),
        cmocka_unit_test(test_cancel_changes_the_credit),
        cmocka_unit_test(test_log_reader_shows_cancelled),
        cmocka_unit_test(test_what_remains_is_valid),
        cmocka_unit_test(test_cancelled_payment_and_refund_free_their_room),
        cmocka_unit_test(test_failed_batch_keeps_the_event),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
