/* Benchmark of customer tiering and the visit list (RULES.md §3).
 *
 * Builds an org through the public API with N customers and 10 × N events
 * (half deals, half visits, spread over 2026 in time order, customers drawn
 * with a skew so that Pareto has a long tail), then times:
 *   - smg_tiers_compute, threshold method, calendar year 2026
 *   - smg_tiers_compute, Pareto method, 12 months ending 2026-12-31
 *   - smg_visits_compute as of 2026-12-31 (given the attribution as of that
 *     day, run before the clock starts: the list is timed, not the replay)
 * and prints the time per event of each, after a first (cold) call that is
 * reported on its own line. Not part of the test suite.
 *
 *   ./build/bench/bench_tiers [N]      (N = 1000000 by default)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "salesmgmt.h"
#include "bench_util.h"


typedef struct ranked {
    smg_money sales;
    const char *id;
} ranked;

static int ranked_cmp(const void *x, const void *y)
{
    const ranked *p = x, *q = y;
    if (p->sales != q->sales)
        return p->sales > q->sales ? -1 : 1;
    return strcmp(p->id, q->id);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int check(smg_org *org, int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "%s: %s: %s\n", what, smg_strerror(rc), smg_org_errmsg(org));
        exit(1);
    }
    return rc;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000, nev, i;
    const size_t nmembers = 200;
    smg_org *org = NULL;
    smg_tiers_options o = SMG_TIERS_OPTIONS_INIT;
    smg_visits_options vo = SMG_VISITS_OPTIONS_INIT;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    smg_tiers *t = NULL;
    smg_visits *v = NULL;
    int64_t x;
    smg_time start, span;
    smg_date day;
    double t0, dt;
    char id[32], ref[32];
    size_t counts[4] = { 0, 0, 0, 0 }, overdue = 0;

    if (n == 0) {
        fprintf(stderr, "usage: bench_tiers [customers]\n");
        return 1;
    }
    nev = 10 * n;
    check(org, smg_org_new(&org, NULL), "org");
    t0 = now();
    check(org, smg_batch_begin(org), "batch");
    check(org, smg_team_add(org, "t", "team", NULL), "team");
    for (i = 0; i < nmembers; i++) {
        snprintf(id, sizeof id, "m%zu", i);
        check(org, smg_member_add(org, id, id, "t", SMG_ROLE_REP), "member");
    }
    for (i = 0; i < n; i++) {
        snprintf(id, sizeof id, "c%zu", i);
        check(org, smg_customer_add(org, id, NULL, NULL, NULL), "customer");
    }
    smg_time_parse(&start, "2026-01-01");
    span = (smg_time)365 * 86400;
    for (i = 0; i < nev; i++) {
        smg_event ev = SMG_EVENT_INIT;
        char mid[32];
        /* skew: a quarter of the events go to the first 1% of customers */
        uint64_t r = next();
        size_t c = (r & 3) == 0 ? (size_t)((r >> 2) % (n / 100 + 1)) : (size_t)((r >> 2) % n);
        snprintf(id, sizeof id, "c%zu", c);
        snprintf(mid, sizeof mid, "m%zu", (size_t)(next() % nmembers));
        ev.at = start + (smg_time)((double)span * (double)i / (double)nev);
        ev.member = mid;
        ev.customer = id;
        if (i % 2 == 0) {
            ev.type = SMG_EV_DEAL;
            snprintf(ref, sizeof ref, "D%zu", i);
            ev.ref = ref;
            ev.amount = (smg_money)(next() % 5000000) + 100; /* up to 50,000.00 */
        } else {
            ev.type = SMG_EV_VISIT;
        }
        check(org, smg_event_add(org, &ev), "event");
    }
    check(org, smg_batch_commit(org), "commit");
    printf("built %zu customers, %zu events in %.2f s\n", n, nev, now() - t0);

    /* threshold, calendar year; the first call also pays for touching the
     * freshly built log (page faults), so it is reported apart */
    smg_period_year(&o.window, 2026);
    o.method = SMG_TIER_METHOD_THRESHOLD;
    t0 = now();
    check(org, smg_tiers_compute(&t, org, &o), "tiers");
    dt = now() - t0;
    printf("first call (cold): %.3f s, %.2f ns/event\n", dt, dt * 1e9 / (double)nev);
    smg_tiers_free(t);
    t0 = now();
    check(org, smg_tiers_compute(&t, org, &o), "tiers");
    dt = now() - t0;
    for (i = 0; i < smg_tiers_count(t); i++)
        if (!smg_tiers_int(t, i, SMG_TIERS_TIER, &x, NULL))
            counts[x]++;
    printf("tiers threshold: %.3f s, %.2f ns/event  (vip %zu, tier1 %zu, tier2 %zu, other %zu)\n",
           dt, dt * 1e9 / (double)nev, counts[0], counts[1], counts[2], counts[3]);
    smg_tiers_free(t);

    /* Pareto, 12 months ending on the last day */
    smg_date_make(&day, 2026, 12, 31);
    smg_tiers_window_as_of(&o.window, day);
    o.method = SMG_TIER_METHOD_PARETO;
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    t0 = now();
    check(org, smg_tiers_compute(&t, org, &o), "tiers");
    dt = now() - t0;
    for (i = 0; i < smg_tiers_count(t); i++)
        if (!smg_tiers_int(t, i, SMG_TIERS_TIER, &x, NULL))
            counts[x]++;
    printf("tiers pareto:    %.3f s, %.2f ns/event  (vip %zu, tier1 %zu, tier2 %zu, other %zu)\n",
           dt, dt * 1e9 / (double)nev, counts[0], counts[1], counts[2], counts[3]);
    {
        /* baseline, same run: only the ranking a hand-written Pareto needs,
         * qsort of the customers by (sales desc, id), on sales already summed */
        size_t nr = smg_tiers_count(t);
        ranked *rk = malloc((nr ? nr : 1) * sizeof *rk);
        double tq;
        if (!rk)
            return 1;
        for (i = 0; i < nr; i++) {
            size_t c = 0;
            smg_tiers_int(t, i, SMG_TIERS_SALES, &x, NULL);
            smg_tiers_index(t, i, SMG_TIERS_CUSTOMER, &c, NULL);
            rk[i].sales = x;
            rk[i].id = smg_customer_id(org, c);
        }
        t0 = now();
        qsort(rk, nr, sizeof *rk, ranked_cmp);
        tq = now() - t0;
        printf("baseline qsort of %zu customers by (sales desc, id): %.3f s; ratio baseline / "
               "library Pareto (the whole tiering) = %.2f\n",
               nr, tq, tq / dt);
        free(rk);
    }
    smg_tiers_free(t);

    /* the visit list as of that day (policy method: threshold) */
    ao.until = ((smg_time)day + 1) * 86400;
    check(org, smg_attribution_compute(&a, org, &ao), "attribution");
    vo.as_of = day;
    vo.attribution = a;
    t0 = now();
    check(org, smg_visits_compute(&v, org, &vo), "visits");
    dt = now() - t0;
    for (i = 0; i < smg_visits_count(v); i++)
        overdue += !smg_visits_int(v, i, SMG_VISITS_OVERDUE, &x, NULL) && x == 1;
    printf("visits:          %.3f s, %.2f ns/event  (%zu rows, %zu overdue)\n", dt,
           dt * 1e9 / (double)nev, smg_visits_count(v), overdue);
    smg_visits_free(v);
    smg_attribution_free(a);
    smg_org_free(org);
    return 0;
}
