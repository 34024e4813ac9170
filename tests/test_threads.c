/* Threads, under ThreadSanitizer: what common.h says may be shared.
 *  1. Concurrent reads of finished results from 4 threads: every table of
 *     one attribution result and of one KPI report, read at once by every
 *     thread; each thread's digest must equal the main thread's.
 *  2. Concurrent computations on separate orgs: 4 threads, each with its
 *     own org, load the same dataset and run the whole pipeline
 *     (tests/pipeline.h); every digest must equal the baseline.
 *  3. Only with SMG_THREADS_INDEX=1: 4 threads querying KPIs through one
 *     month index on its one org. This races (every query begins by
 *     clearing the org's error list: smgi_query_begin), as kpi.h now says:
 *     the index is shared only with its org, one thread at a time.
 * Built and run only in a -Db_sanitize=thread build (tests/meson.build):
 *   meson setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug
 *   ninja -C build-tsan && meson test -C build-tsan threads --print-errorlogs
 * TSan's report fails the test (TSAN_OPTIONS=halt_on_error=1 exitcode=66).
 * Arguments: dataset folders (default: $SMG_TEST_DATA/good and
 * $SMG_SAMPLE_DATA). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

#define NTHREADS 4

typedef struct shared {
    const char *dir;
    const smg_attribution *a;
    const smg_kpi_report *k;
    smg_org *org;              /* the index's org: queries through the index */
    const smg_kpi_index *ix;
    smg_period period;
    uint64_t expect;     /* digest of the shared results / of a pipeline run */
    uint64_t got[NTHREADS];
    int rc[NTHREADS];
} shared;

typedef struct arg {
    shared *s;
    int i;
} arg;

static uint64_t read_results(const smg_attribution *a, const smg_kpi_report *k)
{
    uint64_t h = 14695981039346656037ULL;
    pl_attribution(&h, a);
    pl_fold_i(&h, (int64_t)pl_kpi(k));
    return h;
}

static void *reader(void *p)
{
    arg *x = p;
    int n;
    for (n = 0; n < 20; n++) {
        uint64_t h = read_results(x->s->a, x->s->k);
        if (n && h != x->s->got[x->i])
            x->s->rc[x->i] = -1;
        x->s->got[x->i] = h;
    }
    return NULL;
}

static void *index_reader(void *p)
{
    arg *x = p;
    int n;
    for (n = 0; n < 5; n++) {
        smg_kpi_report *k = NULL;
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        o.index = x->s->ix;
        o.period = x->s->period;
        x->s->rc[x->i] = smg_kpi_compute(&k, x->s->org, &o);
        if (x->s->rc[x->i])
            return NULL;
        x->s->got[x->i] = pl_kpi(k);
        smg_kpi_report_free(k);
    }
    return NULL;
}

static void *computer(void *p)
{
    arg *x = p;
    smg_org *org = NULL;
    pl_result r;
    x->s->rc[x->i] = smg_org_new(&org, NULL);
    if (!x->s->rc[x->i]) {
        x->s->rc[x->i] = pl_run(org, x->s->dir, 1, &r);
        x->s->got[x->i] = r.digest;
        smg_org_free(org);
    }
    return NULL;
}

static int run(shared *s, void *(*fn)(void *), const char *what)
{
    pthread_t t[NTHREADS];
    arg args[NTHREADS];
    int i, bad = 0;
    for (i = 0; i < NTHREADS; i++) {
        args[i].s = s;
        args[i].i = i;
        if (pthread_create(&t[i], NULL, fn, &args[i]))
            return 1;
    }
    for (i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < NTHREADS; i++)
        if (s->rc[i] || s->got[i] != s->expect) {
            fprintf(stderr, "threads: %s: %s: thread %d: status %d, %s digest\n", s->dir, what, i,
                    s->rc[i], s->got[i] == s->expect ? "the same" : "another");
            bad = 1;
        }
    return bad;
}

static int one(const char *dir)
{
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    smg_kpi_report *k = NULL;
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_kpi_options ko = SMG_KPI_OPTIONS_INIT;
    pl_result base;
    shared s = { 0 };
    int bad = 0;
    int64_t t0;

    s.dir = dir;
    if (smg_org_new(&org, NULL) || pl_run(org, dir, 1, &base)) {
        fprintf(stderr, "threads: %s: the baseline fails: %s\n", dir, smg_org_errmsg(org));
        smg_org_free(org);
        return 1;
    }
    if (smg_event_int(org, 0, SMG_EVENT_AT, &t0, NULL) || smg_attribution_compute(&a, org, &ao))
        return 1;
    ko.attribution = a;
    {
        int y, m, d;
        smg_date_split(smg_time_day((smg_time)t0), &y, &m, &d);
        smg_period_month(&ko.period, y, m);
    }
    if (smg_kpi_compute(&k, org, &ko))
        return 1;
    s.a = a;
    s.k = k;
    s.expect = read_results(a, k);
    bad |= run(&s, reader, "concurrent reads of one attribution result and KPI report");
    if (getenv("SMG_THREADS_INDEX")) {
        smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
        smg_kpi_index *ix = NULL;
        io.attribution = a;
        if (smg_kpi_index_build(&ix, org, &io) == 0) {
            s.org = org;
            s.ix = ix;
            s.period = ko.period;
            s.expect = pl_kpi(k);
            bad |= run(&s, index_reader, "concurrent queries through one month index");
            smg_kpi_index_free(ix);
        }
    }
    smg_kpi_report_free(k);
    smg_attribution_free(a);
    smg_org_free(org);

    s.expect = base.digest;
    bad |= run(&s, computer, "concurrent pipelines on separate orgs");
    if (!bad)
        printf("threads: %s: %d readers, %d pipelines on separate orgs: ok\n", dir, NTHREADS,
               NTHREADS);
    return bad;
}

int main(int argc, char **argv)
{
    int i, bad = 0;
    char good[1024];
    if (argc > 1) {
        for (i = 1; i < argc; i++)
            bad |= one(argv[i]);
        return bad;
    }
    if (getenv("SMG_TEST_DATA")) {
        snprintf(good, sizeof good, "%s/good", getenv("SMG_TEST_DATA"));
        bad |= one(good);
    }
    if (getenv("SMG_SAMPLE_DATA"))
        bad |= one(getenv("SMG_SAMPLE_DATA"));
    return bad;
}
