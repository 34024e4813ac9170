/* Incremental updates (issue #11): smg_attribution_update() and
 * smg_kpi_index_update() against a fresh computation on the same org.
 *
 * The property test builds, for many seeds, an org with a random log
 * (registrations, follow-ups, visits, deals, claims, overrides, voids,
 * handovers, links, refunds, transfers, cancels; the public pool's
 * policies on or off), computes an attribution result (with full rights
 * and as a member) and a month index, then appends random batches — in
 * order, late (old times), cancels of old events, new customers — and
 * after each commit updates the results and compares every row and field
 * of every table (tests/pipeline.h folds them into a digest) with a fresh
 * compute, and the KPI rows of several months read from the updated index
 * with those of a fresh index. Then: the continued replay is used exactly
 * when it may be (smgi_attribution_changes: where the rows may differ
 * from), and the failure paths (out of memory, another org, NULL). */
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
#include "pipeline.h"
#include "attribution.h" /* smgi_attribution_changes */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}

#define NMEMBERS 6
#define T0 ((smg_time)20089 * 86400) /* 2025-01-01 */

typedef struct gen {
    smg_org *org;
    int ncust, ndeals, nevents;
    smg_time last; /* the latest time logged */
} gen;

static const char *member_id(int i)
{
    static const char *const ids[NMEMBERS] = { "m0", "m1", "m2", "m3", "m4", "m5" };
    return ids[i];
}

static void add_customer(gen *g)
{
    char id[16], phone[16], grp[8];
    int n = g->ncust++;
    snprintf(id, sizeof id, "c%d", n);
    snprintf(phone, sizeof phone, "1380000%04d", rnd(4) ? n : n / 2); /* some duplicates */
    snprintf(grp, sizeof grp, "g%d", n % 5);
    assert_int_equal(smg_customer_add(g->org, id, "x", phone, rnd(6) ? NULL : grp), 0);
}

static gen make_org(failing *f)
{
    smg_org_options o = SMG_ORG_OPTIONS_INIT;
    gen g;
    int i;
    memset(&g, 0, sizeof g);
    if (f)
        failing_options(&o, f);
    assert_int_equal(smg_org_new(&g.org, &o), 0);
    assert_int_equal(smg_team_add(g.org, "t0", "A", NULL), 0);
    assert_int_equal(smg_team_add(g.org, "t1", "B", "t0"), 0);
    for (i = 0; i < NMEMBERS; i++)
        assert_int_equal(smg_member_add(g.org, member_id(i), "n", i < 3 ? "t0" : "t1",
                                        i == 0 ? SMG_ROLE_LEADER : SMG_ROLE_REP),
                         0);
    assert_int_equal(smg_team_set_leader(g.org, "t0", "m0"), 0);
    if (rnd(2)) {
        assert_int_equal(smg_policy_set(g.org, "attribution.max_hold_days", "20"), 0);
        assert_int_equal(smg_policy_set(g.org, "attribution.max_protected", "3"), 0);
        assert_int_equal(smg_policy_set(g.org, "attribution.reclaim_days", "5"), 0);
    }
    for (i = 0; i < 12; i++)
        add_customer(&g);
    return g;
}

/* One random event at time `at` into the open batch (its add may fail: the
 * batch then fails and is rolled back, as a feed's bad row would). */
static void random_event(gen *g, smg_time at)
{
    smg_event ev = SMG_EVENT_INIT;
    char id[16], ref[16], cust[16];
    int k = rnd(100), m = rnd(NMEMBERS);
    snprintf(id, sizeof id, "e%d", g->nevents++);
    snprintf(cust, sizeof cust, "c%u", rnd((uint32_t)g->ncust));
    ev.id = id;
    ev.at = at;
    ev.member = member_id(m);
    ev.customer = cust;
    if (k < 25) {
        ev.type = SMG_EV_REGISTER;
    } else if (k < 40) {
        ev.type = SMG_EV_FOLLOWUP;
    } else if (k < 48) {
        ev.type = SMG_EV_VISIT;
        ev.outcome = rnd(2) ? SMG_OUTCOME_SUCCESS : SMG_OUTCOME_NONE;
    } else if (k < 68) {
        ev.type = SMG_EV_DEAL;
        snprintf(ref, sizeof ref, "d%d", g->ndeals++);
        ev.ref = ref;
        ev.amount = 1000 + rnd(100000);
        if (rnd(2))
            ev.cost = rnd(1000);
    } else if (k < 76 && g->ndeals) {
        ev.type = SMG_EV_CLAIM;
        snprintf(ref, sizeof ref, "d%u", rnd((uint32_t)g->ndeals));
        ev.ref = ref;
        ev.customer = NULL;
    } else if (k < 80 && g->ndeals) {
        ev.type = SMG_EV_OVERRIDE;
        snprintf(ref, sizeof ref, "d%u", rnd((uint32_t)g->ndeals));
        ev.ref = ref;
        ev.customer = NULL;
        if (!rnd(3))
            ev.member = NULL; /* for the company */
    } else if (k < 83) {
        ev.type = SMG_EV_VOID_REGISTER;
        ev.customer = NULL;
    } else if (k < 86) {
        ev.type = SMG_EV_HANDOVER;
        ev.customer = NULL;
        ev.ref = rnd(3) ? member_id((m + 1) % NMEMBERS) : NULL;
    } else if (k < 89) {
        snprintf(ref, sizeof ref, "c%u", rnd((uint32_t)g->ncust));
        ev.type = SMG_EV_LINK;
        ev.member = NULL;
        ev.ref = ref;
    } else if (k < 92 && g->ndeals) {
        ev.type = SMG_EV_REFUND;
        snprintf(ref, sizeof ref, "d%u", rnd((uint32_t)g->ndeals));
        ev.ref = ref;
        ev.member = NULL;
        ev.customer = NULL;
        ev.amount = 1 + rnd(500);
    } else if (k < 94) {
        ev.type = SMG_EV_TRANSFER;
        ev.customer = NULL;
        ev.ref = rnd(2) ? "t0" : "t1";
    } else if (k < 97 && g->nevents > 1) {
        ev.type = SMG_EV_CANCEL;
        snprintf(ref, sizeof ref, "e%u", rnd((uint32_t)g->nevents - 1));
        ev.ref = ref;
        ev.member = NULL;
        ev.customer = NULL;
    } else {
        ev.type = SMG_EV_RECEPTION;
        ev.outcome = rnd(4) ? SMG_OUTCOME_NONE : SMG_OUTCOME_DUTY;
    }
    smg_event_add(g->org, &ev);
}

/* A batch of n events at or after the last time (late: some before it). */
static int batch(gen *g, int n, int late)
{
    smg_time t = g->last, max = g->last;
    int i, rc;
    assert_int_equal(smg_batch_begin(g->org), 0);
    for (i = 0; i < n; i++) {
        smg_time at = late && !rnd(2) ? T0 + (smg_time)rnd((uint32_t)(g->last - T0 + 1))
                                      : (t += rnd(3) ? 60 * rnd(3000) : 0);
        random_event(g, at);
        if (at > max)
            max = at;
    }
    rc = smg_batch_commit(g->org);
    if (!rc)
        g->last = max;
    return rc;
}

static uint64_t digest_attr(const smg_attribution *a)
{
    uint64_t h = 14695981039346656037ULL;
    pl_attribution(&h, a);
    return h;
}

static uint64_t fresh_attr(smg_org *org, const char *as_member)
{
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    uint64_t h;
    o.as_member = as_member;
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    h = digest_attr(a);
    smg_attribution_free(a);
    return h;
}

/* The KPI rows of month `k` after the log's first (all rows, and one
 * member's) from index ix. */
static uint64_t kpi_digest(smg_org *org, smg_kpi_index *ix, int k)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    smg_subject s = { SMG_SUBJECT_MEMBER, 1 };
    uint64_t h;
    int rc;
    assert_int_equal(smg_period_month(&o.period, 2025, 1 + k), 0);
    o.index = ix;
    rc = smg_kpi_compute(&r, org, &o);
    assert_int_equal(rc, 0);
    h = pl_kpi(r);
    smg_kpi_report_free(r);
    o.subject = &s; /* one member's row: read from their own deals only */
    assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
    h ^= pl_kpi(r) * 3;
    smg_kpi_report_free(r);
    o.subject = NULL; /* what a leader sees: the keys they protect at the end */
    o.as_member = "m0";
    assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
    h ^= pl_kpi(r) * 5;
    smg_kpi_report_free(r);
    return h;
}

static void check_index(smg_org *org, smg_kpi_index *ix)
{
    smg_kpi_index *fresh = NULL;
    int k;
    assert_int_equal(smg_kpi_index_build(&fresh, org, NULL), 0);
    for (k = 0; k < 7; k++) {
        uint64_t h = kpi_digest(org, ix, k);
        assert_true(h == kpi_digest(org, fresh, k));
        assert_true(h == kpi_digest(org, NULL, k)); /* and from the log */
    }
    smg_kpi_index_free(fresh);
}

static void test_property(void **state)
{
    const char *q = getenv("SMG_TEST_QUICK");
    int seeds = q && *q == '1' ? 20 : 200, seed;
    long fast = 0, slow = 0;
    (void)state;
    for (seed = 1; seed <= seeds; seed++) {
        smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
        smg_attribution *a = NULL, *am = NULL;
        smg_kpi_index *ix = NULL;
        gen g;
        int round, i;
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        g = make_org(NULL);
        g.last = T0;
        for (i = 0; i < 30; i++)
            batch(&g, 1 + (int)rnd(8), 0);
        assert_int_equal(smg_attribution_compute(&a, g.org, NULL), 0);
        o.as_member = "m0";
        assert_int_equal(smg_attribution_compute(&am, g.org, &o), 0);
        assert_int_equal(smg_kpi_index_build(&ix, g.org, NULL), 0);
        for (round = 0; round < 8; round++) {
            int kind = (int)rnd(10);
            size_t n0 = smg_org_count(g.org, SMG_COUNT_EVENTS), from = 0;
            uint64_t base = 0;
            if (kind == 0) {
                add_customer(&g);
            } else if (batch(&g, 1 + (int)rnd(kind < 7 ? 4 : 3), kind >= 7)) {
                continue;
            }
            assert_int_equal(smg_attribution_update(a, g.org), 0);
            assert_int_equal(smg_attribution_update(am, g.org), 0);
            assert_int_equal(smg_kpi_index_update(ix, g.org), 0);
            assert_true(digest_attr(a) == fresh_attr(g.org, NULL));
            assert_true(digest_attr(am) == fresh_attr(g.org, "m0"));
            check_index(g.org, ix);
            smgi_attribution_changes(a, &base, &from);
            if (from > 0) {
                assert_true(from <= n0); /* continued: nothing before it moved */
                fast++;
            } else {
                slow++;
            }
        }
        smg_kpi_index_free(ix);
        smg_attribution_free(am);
        smg_attribution_free(a);
        smg_org_free(g.org);
    }
    print_message("%d seeds: %ld updates continued the replay, %ld recomputed or from 0\n",
                  seeds, fast, slow);
    assert_true(fast > 0 && slow > 0);
}

/* An in-order deal continues the replay from its own position; a late
 * event, or a cancel of an older event, recomputes (changes from 0). */
static void test_fast_path_taken(void **state)
{
    smg_attribution *a = NULL;
    smg_event ev = SMG_EVENT_INIT;
    uint64_t base, gen0;
    size_t from, n;
    gen g;
    (void)state;
    rng_state = 7;
    g = make_org(NULL);
    smg_policy_reset(g.org);
    g.last = T0;
    ev.type = SMG_EV_REGISTER;
    ev.at = T0 + 3600;
    ev.member = "m1";
    ev.customer = "c1";
    ev.id = "r1";
    assert_int_equal(smg_event_add(g.org, &ev), 0);
    assert_int_equal(smg_attribution_compute(&a, g.org, NULL), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_true(base == UINT64_MAX); /* a fresh result */

    /* a deal the next day: continued from its position (1) */
    gen0 = 0;
    n = smg_org_count(g.org, SMG_COUNT_EVENTS);
    ev.type = SMG_EV_DEAL;
    ev.at = T0 + 86400;
    ev.ref = "d1";
    ev.amount = 500;
    ev.id = "x1";
    assert_int_equal(smg_event_add(g.org, &ev), 0);
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_int_equal(from, n);
    (void)gen0;
    assert_true(digest_attr(a) == fresh_attr(g.org, NULL));
    /* nothing new: nothing to do, the same */
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_int_equal(from, n);

    /* a late follow-up (before the deal): recomputed */
    ev.type = SMG_EV_FOLLOWUP;
    ev.at = T0 + 7200;
    ev.ref = NULL;
    ev.amount = SMG_MONEY_NONE;
    ev.id = "f1";
    assert_int_equal(smg_event_add(g.org, &ev), 0);
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_int_equal(from, 0);
    assert_true(digest_attr(a) == fresh_attr(g.org, NULL));

    /* an in-order claim of the old deal: continued, changed from the deal */
    ev.type = SMG_EV_CLAIM;
    ev.at = T0 + 86400 + 60;
    ev.customer = NULL;
    ev.ref = "d1";
    ev.id = "k1";
    assert_int_equal(smg_event_add(g.org, &ev), 0);
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_true(from > 0 && from < smg_org_count(g.org, SMG_COUNT_EVENTS) - 1);
    assert_true(digest_attr(a) == fresh_attr(g.org, NULL));

    /* a cancel (at the end) of the old follow-up: recomputed */
    memset(&ev, 0, sizeof ev);
    ev = (smg_event)SMG_EVENT_INIT;
    ev.type = SMG_EV_CANCEL;
    ev.at = T0 + 2 * 86400;
    ev.ref = "f1";
    assert_int_equal(smg_event_add(g.org, &ev), 0);
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_int_equal(from, 0);
    assert_true(digest_attr(a) == fresh_attr(g.org, NULL));

    /* a policy change: recomputed, with the new policy */
    assert_int_equal(smg_policy_set(g.org, "attribution.protect_days", "1"), 0);
    assert_int_equal(smg_attribution_update(a, g.org), 0);
    smgi_attribution_changes(a, &base, &from);
    assert_int_equal(from, 0);
    assert_true(digest_attr(a) == fresh_attr(g.org, NULL));
    smg_attribution_free(a);
    smg_org_free(g.org);
}

/* Out of memory at every allocation of an update: the result reads as out
 * of date, a later update (memory back) gives the fresh figures, nothing
 * leaks. */
static void test_oom(void **state)
{
    long k;
    (void)state;
    for (k = 0;; k++) {
        failing f = FAILING_INIT;
        smg_attribution *a = NULL;
        smg_kpi_index *ix = NULL;
        size_t c = 0;
        int rc1, rc2, i;
        gen g;
        rng_state = 99;
        g = make_org(&f);
        g.last = T0;
        for (i = 0; i < 12; i++)
            batch(&g, 3, 0);
        assert_int_equal(smg_attribution_compute(&a, g.org, NULL), 0);
        assert_int_equal(smg_kpi_index_build(&ix, g.org, NULL), 0);
        assert_int_equal(batch(&g, 4, 0), 0);
        add_customer(&g);
        f.fail_at = f.calls + k;
        rc1 = smg_attribution_update(a, g.org);
        rc2 = smg_kpi_index_update(ix, g.org);
        f.fail_at = -1;
        assert_true(rc1 == 0 || rc1 == SMG_ENOMEM);
        assert_true(rc2 == 0 || rc2 == SMG_ENOMEM);
        if (rc1)
            assert_int_equal(smg_attribution_deal_index(a, 0, SMG_DEAL_DEAL, &c, NULL),
                             SMG_ESTATE);
        assert_int_equal(smg_attribution_update(a, g.org), 0);
        assert_int_equal(smg_kpi_index_update(ix, g.org), 0);
        assert_true(digest_attr(a) == fresh_attr(g.org, NULL));
        check_index(g.org, ix);
        smg_kpi_index_free(ix);
        smg_attribution_free(a);
        smg_org_free(g.org);
        assert_int_equal(f.live, 0);
        if (!rc1 && !rc2)
            break;
    }
}

static void test_bad_calls(void **state)
{
    smg_attribution *a = NULL;
    smg_kpi_index *ix = NULL;
    gen g, h;
    (void)state;
    rng_state = 3;
    g = make_org(NULL);
    h = make_org(NULL);
    g.last = h.last = T0;
    batch(&g, 5, 0);
    assert_int_equal(smg_attribution_compute(&a, g.org, NULL), 0);
    assert_int_equal(smg_kpi_index_build(&ix, g.org, NULL), 0);
    assert_int_equal(smg_attribution_update(NULL, g.org), SMG_EINVAL);
    assert_int_equal(smg_attribution_update(a, NULL), SMG_EINVAL);
    assert_int_equal(smg_attribution_update(a, h.org), SMG_EINVAL);
    assert_int_equal(smg_kpi_index_update(NULL, g.org), SMG_EINVAL);
    assert_int_equal(smg_kpi_index_update(ix, NULL), SMG_EINVAL);
    assert_int_equal(smg_kpi_index_update(ix, h.org), SMG_EINVAL);
    /* inside a batch: refused */
    assert_int_equal(smg_batch_begin(g.org), 0);
    assert_int_equal(smg_attribution_update(a, g.org), SMG_ESTATE);
    assert_int_equal(smg_kpi_index_update(ix, g.org), SMG_ESTATE);
    smg_batch_rollback(g.org);
    smg_kpi_index_free(ix);
    smg_attribution_free(a);
    smg_org_free(g.org);
    smg_org_free(h.org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_path_taken),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
