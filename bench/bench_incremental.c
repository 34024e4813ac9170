/* Incremental updates (issue #11): the cost of appending events to a big
 * log and re-querying one member's month KPIs, against the full
 * recomputation of the same change.
 *
 *   ./build/bench/bench_incremental [--events N] [--members M]
 *                                   [--customers C] [--appends K]
 *
 * Builds an org through the API from a synthetic feed (N events, 10 M by
 * default, over two years, in time order: registrations, follow-ups,
 * visits, receptions, deals, claims), computes the month index (with its
 * own attribution result), then:
 *   (a) K times (1,000 by default): one deal appended at the end of the log
 *       (its own commit), smg_kpi_index_update(), one member's KPIs of the
 *       last month from the index — median and p90 of the three together;
 *   (b) 1,000 events in one batch, the update, the query;
 *   (c) the same change handled by a full recomputation: attribution
 *       compute, index build, the query;
 *   (d) a late event (a month before the end) and a cancel of an event
 *       of the first month, each through the update.
 * Each figure is printed with its ratio to (c). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt.h"
#include "bench_util.h"

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void die(smg_org *org, const char *what, int rc)
{
    fprintf(stderr, "bench_incremental: %s: %s (%d)\n", what, org ? smg_org_errmsg(org) : "",
            rc);
    exit(1);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static size_t nmembers = 2000, ncustomers = 1000000;
static long ndeals, nids;

static void add_event(smg_org *org, smg_event_type type, smg_time at, int with_id)
{
    smg_event ev = SMG_EVENT_INIT;
    char m[16], c[16], ref[24], id[24];
    int rc;
    snprintf(m, sizeof m, "m%u", rnd((uint32_t)nmembers));
    snprintf(c, sizeof c, "c%u", rnd((uint32_t)ncustomers));
    ev.type = type;
    ev.at = at;
    ev.member = m;
    ev.customer = c;
    if (type == SMG_EV_DEAL) {
        snprintf(ref, sizeof ref, "d%ld", ndeals++);
        ev.ref = ref;
        ev.amount = 10000 + rnd(1000000);
    } else if (type == SMG_EV_CLAIM) {
        snprintf(ref, sizeof ref, "d%ld", ndeals - 1 - rnd(ndeals < 50 ? 1 : 50));
        ev.ref = ref;
        ev.customer = NULL;
    } else if (type == SMG_EV_VISIT) {
        ev.outcome = rnd(2) ? SMG_OUTCOME_SUCCESS : SMG_OUTCOME_NONE;
    }
    if (with_id) {
        snprintf(id, sizeof id, "e%ld", nids++);
        ev.id = id;
    }
    if ((rc = smg_event_add(org, &ev)) != 0)
        die(org, "event", rc);
}

static smg_event_type random_type(void)
{
    uint32_t k = rnd(100);
    return k < 30   ? SMG_EV_REGISTER
           : k < 55 ? SMG_EV_FOLLOWUP
           : k < 70 ? SMG_EV_VISIT
           : k < 80 ? SMG_EV_RECEPTION
           : k < 97 ? SMG_EV_DEAL
                    : SMG_EV_CLAIM;
}

/* One member's KPIs of the month of day `day`, from the index. */
static double query(smg_org *org, smg_kpi_index *ix, smg_date day, size_t member)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    smg_subject s;
    int y, mo, rc;
    int64_t v = 0;
    s.kind = SMG_SUBJECT_MEMBER;
    s.index = member;
    smg_date_split(day, &y, &mo, NULL);
    smg_period_month(&o.period, y, mo);
    o.index = ix;
    o.subject = &s;
    if ((rc = smg_kpi_compute(&r, org, &o)) != 0)
        die(org, "kpi", rc);
    smg_kpi_int(r, 0, SMG_KPI_SALES_AMOUNT, &v, NULL);
    smg_kpi_report_free(r);
    return (double)v;
}

int main(int argc, char **argv)
{
    size_t nevents = 10000000, nappends = 1000, i;
    smg_org *org = NULL;
    smg_kpi_index *ix = NULL;
    smg_attribution *a = NULL;
    smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
    smg_time t0 = (smg_time)20089 * 86400, t, span;
    double t_build, t_ix, *lat, *lat_c, *lat_u, *lat_q, full, one_med, one_p90, b1000, late, cancel, sink = 0, s;
    int rc;
    for (i = 1; i + 1 < (size_t)argc; i += 2) {
        size_t v = (size_t)strtoull(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--events"))
            nevents = v;
        else if (!strcmp(argv[i], "--members"))
            nmembers = v;
        else if (!strcmp(argv[i], "--customers"))
            ncustomers = v;
        else if (!strcmp(argv[i], "--appends"))
            nappends = v;
        else {
            fprintf(stderr, "usage: %s [--events N] [--members M] [--customers C] "
                            "[--appends K]\n", argv[0]);
            return 2;
        }
    }
    if (ncustomers > nevents / 4 + 100)
        ncustomers = nevents / 4 + 100;
    if (nmembers > nevents / 100 + 10)
        nmembers = nevents / 100 + 10;
    if ((rc = smg_org_new(&org, NULL)))
        die(NULL, "org", rc);
    s = now();
    smg_batch_begin(org);
    for (i = 0; i < nmembers / 100 + 1; i++) {
        char tid[32];
        snprintf(tid, sizeof tid, "t%zu", i);
        smg_team_add(org, tid, tid, NULL);
    }
    for (i = 0; i < nmembers; i++) {
        char mid[32], tid[32];
        snprintf(mid, sizeof mid, "m%zu", i);
        snprintf(tid, sizeof tid, "t%zu", i / 100);
        smg_member_add(org, mid, mid, tid, SMG_ROLE_REP);
    }
    for (i = 0; i < ncustomers; i++) {
        char cid[32];
        snprintf(cid, sizeof cid, "c%zu", i);
        smg_customer_add(org, cid, "x", NULL, NULL);
    }
    span = (smg_time)730 * 86400;
    for (i = 0; i < nevents; i++) {
        smg_event_type ty = random_type();
        if (ty == SMG_EV_CLAIM && !ndeals)
            ty = SMG_EV_DEAL;
        /* ids on the first month's events only: the cancel in (d) names one */
        add_event(org, ty, t0 + (smg_time)((double)span * (double)i / (double)nevents),
                  i < nevents / 24);
    }
    if ((rc = smg_batch_commit(org)))
        die(org, "commit", rc);
    t_build = now() - s;
    t = t0 + span;
    s = now();
    if ((rc = smg_kpi_index_build(&ix, org, &io)))
        die(org, "index", rc);
    t_ix = now() - s;
    printf("bench_incremental: %zu events, %zu members, %zu customers; feed + commit %.2f s, "
           "attribution + index %.3f s\n",
           smg_org_count(org, SMG_COUNT_EVENTS), nmembers, ncustomers, t_build, t_ix);

    /* (a) one deal at a time */
    lat = malloc(nappends * sizeof *lat);
    if (!lat)
        return 1;
    lat_c = malloc(nappends * sizeof *lat);
    lat_u = malloc(nappends * sizeof *lat);
    lat_q = malloc(nappends * sizeof *lat);
    if (!lat_c || !lat_u || !lat_q)
        return 1;
    for (i = 0; i < nappends; i++) {
        double q, q1, q2;
        t += 60;
        q = now();
        add_event(org, SMG_EV_DEAL, t, 0);
        q1 = now();
        if ((rc = smg_kpi_index_update(ix, org)))
            die(org, "update", rc);
        q2 = now();
        sink += query(org, ix, smg_time_day(t), i % nmembers);
        lat[i] = now() - q;
        lat_c[i] = q1 - q;
        lat_u[i] = q2 - q1;
        lat_q[i] = lat[i] - (q2 - q);
    }
    qsort(lat, nappends, sizeof *lat, cmp_double);
    qsort(lat_c, nappends, sizeof *lat, cmp_double);
    qsort(lat_u, nappends, sizeof *lat, cmp_double);
    qsort(lat_q, nappends, sizeof *lat, cmp_double);
    one_med = lat[nappends / 2];
    one_p90 = lat[nappends * 9 / 10];

    /* (b) 1,000 events in one batch */
    s = now();
    smg_batch_begin(org);
    for (i = 0; i < 1000; i++)
        add_event(org, random_type(), t += 30, 0);
    if ((rc = smg_batch_commit(org)))
        die(org, "commit", rc);
    if ((rc = smg_kpi_index_update(ix, org)))
        die(org, "update", rc);
    sink += query(org, ix, smg_time_day(t), 7);
    b1000 = now() - s;

    /* (c) one more deal, by a full recomputation */
    t += 60;
    add_event(org, SMG_EV_DEAL, t, 0);
    s = now();
    {
        smg_kpi_index *fresh = NULL;
        smg_kpi_index_options fo = SMG_KPI_INDEX_OPTIONS_INIT;
        if ((rc = smg_attribution_compute(&a, org, NULL)))
            die(org, "attribution", rc);
        fo.attribution = a;
        if ((rc = smg_kpi_index_build(&fresh, org, &fo)))
            die(org, "index", rc);
        sink += query(org, fresh, smg_time_day(t), 7);
        full = now() - s;
        smg_kpi_index_free(fresh);
        smg_attribution_free(a);
    }
    if ((rc = smg_kpi_index_update(ix, org)))
        die(org, "update", rc);

    /* (d) a late event a month back, and a cancel of an event of the first month */
    s = now();
    add_event(org, SMG_EV_DEAL, t - 30 * 86400, 0);
    if ((rc = smg_kpi_index_update(ix, org)))
        die(org, "update", rc);
    sink += query(org, ix, smg_time_day(t), 7);
    late = now() - s;
    s = now();
    {
        smg_event ev = SMG_EVENT_INIT;
        char ref[24];
        ev.type = SMG_EV_CANCEL;
        ev.at = t + 60;
        /* a registration or follow-up of the first month: nothing stands on it */
        for (i = 0; i < (size_t)nids; i++) {
            int64_t ty = 0;
            size_t pos;
            snprintf(ref, sizeof ref, "e%zu", i);
            if (smg_event_find(org, ref, &pos) == 0 &&
                smg_event_int(org, pos, SMG_EVENT_TYPE, &ty, NULL) == 0 &&
                (ty == SMG_EV_REGISTER || ty == SMG_EV_FOLLOWUP))
                break;
        }
        ev.ref = ref;
        if ((rc = smg_event_add(org, &ev)))
            die(org, "cancel", rc);
    }
    if ((rc = smg_kpi_index_update(ix, org)))
        die(org, "update", rc);
    sink += query(org, ix, smg_time_day(t), 7);
    cancel = now() - s;

    /* (e) a full-rights result with all its tables, one deal at a time */
    {
        double e[21], c0;
        smg_attribution *full_a = NULL;
        c0 = now();
        if ((rc = smg_attribution_compute(&full_a, org, NULL)))
            die(org, "attribution", rc);
        c0 = now() - c0;
        for (i = 0; i < 21; i++) {
            double q = now();
            add_event(org, SMG_EV_DEAL, t += 60, 0);
            if ((rc = smg_attribution_update(full_a, org)))
                die(org, "attribution update", rc);
            e[i] = now() - q;
        }
        qsort(e, 21, sizeof *e, cmp_double);
        printf("(e) a full-rights attribution result (every table) after one appended deal: "
               "update median %.3f ms, against %.3f ms for its compute\n",
               e[10] * 1e3, c0 * 1e3);
        smg_attribution_free(full_a);
    }
    printf("(a) one deal appended + index update + one member's month KPIs, %zu times: "
           "median %.3f ms, p90 %.3f ms (1/%.0f and 1/%.0f of (c))\n",
           nappends, one_med * 1e3, one_p90 * 1e3, full / one_med, full / one_p90);
    printf("    of which (medians): the append's commit %.3f ms, the index update %.3f ms, "
           "the query %.3f ms\n",
           lat_c[nappends / 2] * 1e3, lat_u[nappends / 2] * 1e3, lat_q[nappends / 2] * 1e3);
    printf("(b) 1,000 events in one batch + update + query: %.3f ms (1/%.0f of (c))\n",
           b1000 * 1e3, full / b1000);
    printf("(c) full recomputation (attribution + index build + query): %.3f ms\n",
           full * 1e3);
    printf("(d) a late event (a month back) + update + query: %.3f ms (%.4f of (c)); "
           "a cancel of a first-month event: %.3f ms (%.4f of (c))\n",
           late * 1e3, late / full, cancel * 1e3, cancel / full);
    if (sink == 0.5)
        printf("\n");
    free(lat);
    free(lat_c);
    free(lat_u);
    free(lat_q);
    smg_kpi_index_free(ix);
    smg_org_free(org);
    return 0;
}
