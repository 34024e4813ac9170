/* Benchmark: every KPI for every member, team and the company, for each of
 * the twelve months of a year, on a salesmgmt-gen dataset.
 *
 *   bench_kpi DATASET OUTDIR [YEAR]
 *
 * Loads DATASET with smg_dataset_load(), runs the attribution once, then
 * times every KPI (given that attribution result, full rights, members,
 * teams and the company) for the twelve months of YEAR (default: the year
 * of the log's last event) two ways: one smg_kpi_compute_many() call (one
 * pass over the log for the twelve months) and twelve smg_kpi_compute()
 * calls (a pass each); and once for the whole year. Then builds the month
 * index (smg_kpi_index_build(): one pass over the whole log) and computes
 * the twelve months from it, checking every figure against the reports
 * made from the log. Best of several runs. Not timed: writing, for
 * the baselines (bench/kpi_baselines.py), OUTDIR/facts.csv (the credited
 * deals, visits, receptions and expenses, one row each), OUTDIR/lib.csv
 * (the library's member figures for the twelve months) and
 * OUTDIR/lib.json (timings and memory).
 *
 * Memory: the peak resident set of the process (getrusage ru_maxrss: the
 * loader, the org, the attribution result and the KPI runs together), and
 * the peak of the library's own allocations during one KPI computation
 * (scratch + report), counted by a custom allocator; both per event. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "salesmgmt.h"
#include "bench_util.h"
#include "events.h"
#include "org.h"


static void die(smg_org *org, const char *what, int rc)
{
    fprintf(stderr, "bench_kpi: %s: %s (%s)\n", what, org ? smg_org_errmsg(org) : "",
            smg_strerror(rc));
    exit(1);
}

/* The figures the baselines compute too, per member and month. */
static const smg_kpi_field shared[] = {
    SMG_KPI_SALES_AMOUNT, SMG_KPI_DEAL_COUNT,      SMG_KPI_GROSS_PROFIT,
    SMG_KPI_VISIT_COUNT,  SMG_KPI_RECEPTION_COUNT, SMG_KPI_EXPENSE_AMOUNT,
};
#define NSHARED (sizeof shared / sizeof *shared)

/* The twelve months of a year. */
static void twelve_months(int year, smg_period periods[12])
{
    int m;
    for (m = 0; m < 12; m++)
        smg_period_month(&periods[m], year, m + 1);
}

static int yyyymm(smg_time t)
{
    int y, m;
    smg_date_split(smg_time_day(t), &y, &m, NULL);
    return y * 100 + m;
}

int main(int argc, char **argv)
{
    counter cnt = { 0, 0 };
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    const smgi_events *E;
    char path[4096], period[16];
    FILE *facts, *lib, *js;
    double t0, t_load, t_attr, t_month[12], t_total = 0, t_year, best_year = 1e30;
    double best_many = 1e30, best_ix_build = 1e30, best_ix_many = 1e30;
    smg_kpi_index *ix = NULL;
    size_t peak_ix_build = 0, ix_bytes = 0, ix_compared = 0, ix_differs = 0;
    unsigned long long check_sum = 0, check_sep = 0;
    size_t peak_many = 0;
    size_t scanned[12], scanned_total = 0, i, nmembers, nevents, peak_kpi = 0, rows = 0;
    size_t org_bytes, attr_bytes;
    int year, m, rc, rep;
    struct rusage ru;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_kpi DATASET OUTDIR [YEAR]\n");
        return 2;
    }
    counting_options(&oo, &cnt);
    if ((rc = smg_org_new(&org, &oo)))
        die(NULL, "org", rc);
    t0 = now();
    if ((rc = smg_dataset_load(org, argv[1])))
        die(org, "load", rc);
    t_load = now() - t0;
    org_bytes = cnt.live;
    E = &org->events;
    nevents = E->count;
    nmembers = smg_org_count(org, SMG_COUNT_MEMBERS);
    if (!nevents)
        die(org, "the dataset has no events", SMG_EINVAL);
    if (argc > 3)
        year = atoi(argv[3]);
    else
        smg_date_split(smg_time_day(E->at[nevents - 1]), &year, NULL, NULL);

    t0 = now();
    if ((rc = smg_attribution_compute(&a, org, NULL)))
        die(org, "attribution", rc);
    t_attr = now() - t0;
    attr_bytes = cnt.live - org_bytes;

    /* the twelve months; best of 3 runs each */
    snprintf(path, sizeof path, "%s/lib.csv", argv[2]);
    lib = fopen(path, "w");
    if (!lib)
        die(NULL, path, SMG_EIO);
    fprintf(lib, "member,month");
    for (i = 0; i < NSHARED; i++)
        fprintf(lib, ",%s", smg_kpi_field_name(shared[i]));
    fprintf(lib, "\n");
    for (m = 1; m <= 12; m++) {
        smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
        smg_kpi_report *r = NULL;
        smg_date end;
        snprintf(period, sizeof period, "%04d-%02d", year, m);
        smg_period_month(&q.period, year, m);
        q.attribution = a;
        t_month[m - 1] = 1e30;
        for (rep = 0; rep < 3; rep++) {
            size_t before = cnt.live;
            double t;
            cnt.peak = cnt.live;
            t = now();
            if ((rc = smg_kpi_compute(&r, org, &q)))
                die(org, period, rc);
            t = now() - t;
            if (t < t_month[m - 1])
                t_month[m - 1] = t;
            if (cnt.peak - before > peak_kpi)
                peak_kpi = cnt.peak - before;
            if (rep < 2)
                smg_kpi_report_free(r);
        }
        t_total += t_month[m - 1];
        /* the pass reads the log up to the end of the month */
        smg_date_make(&end, m == 12 ? year + 1 : year, m == 12 ? 1 : m + 1, 1);
        for (scanned[m - 1] = 0; scanned[m - 1] < nevents &&
                                 E->at[scanned[m - 1]] < (smg_time)end * 86400;)
            scanned[m - 1]++; /* not timed */
        scanned_total += scanned[m - 1];
        rows = smg_kpi_count(r);
        for (i = 0; i < rows; i++) {
            int64_t x;
            int null;
            smg_kpi_int(r, i, SMG_KPI_SALES_AMOUNT, &x, &null);
            check_sep += (unsigned long long)x;
        }
        for (i = 0; i < smg_kpi_count(r); i++) {
            smg_subject subj;
            size_t k;
            smg_kpi_subject(r, i, &subj);
            if (subj.kind != SMG_SUBJECT_MEMBER)
                continue;
            fprintf(lib, "%ld,%d", (long)subj.index, year * 100 + m);
            for (k = 0; k < NSHARED; k++) {
                int64_t v;
                int null;
                smg_kpi_int(r, i, shared[k], &v, &null);
                fprintf(lib, ",%lld", (long long)v);
            }
            fprintf(lib, "\n");
        }
        smg_kpi_report_free(r);
    }
    fclose(lib);
    /* the same twelve months in one call: one pass over the log */
    {
        smg_period periods[12];
        smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
        smg_kpi_report *many[12];
        twelve_months(year, periods);
        q.attribution = a;
        for (rep = 0; rep < 5; rep++) {
            size_t before = cnt.live;
            cnt.peak = cnt.live;
            t0 = now();
            if ((rc = smg_kpi_compute_many(many, org, &q, periods, 12)))
                die(org, "12 months", rc);
            t0 = now() - t0;
            if (t0 < best_many)
                best_many = t0;
            if (cnt.peak - before > peak_many)
                peak_many = cnt.peak - before;
            for (m = 0; m < 12; m++) {
                size_t r;
                /* the same figures as the separate calls */
                for (r = 0; rep == 0 && r < smg_kpi_count(many[m]); r++) {
                    int64_t x;
                    int null;
                    smg_kpi_int(many[m], r, SMG_KPI_SALES_AMOUNT, &x, &null);
                    check_sum += (unsigned long long)x;
                }
                smg_kpi_report_free(many[m]);
            }
        }
    }
    /* the month index: its build is the one pass over the log; then the
     * twelve months read from it, checked figure by figure against the
     * reports made from the log */
    {
        smg_period periods[12];
        smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
        smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
        smg_kpi_report *from_log[12], *from_ix[12];
        twelve_months(year, periods);
        io.attribution = a;
        for (rep = 0; rep < 3; rep++) {
            size_t before;
            double t;
            smg_kpi_index_free(ix);
            ix = NULL;
            before = cnt.live;
            cnt.peak = cnt.live;
            t = now();
            if ((rc = smg_kpi_index_build(&ix, org, &io)))
                die(org, "index", rc);
            t = now() - t;
            if (t < best_ix_build)
                best_ix_build = t;
            if (cnt.peak - before > peak_ix_build)
                peak_ix_build = cnt.peak - before;
            ix_bytes = cnt.live - before;
        }
        q.attribution = a;
        q.index = ix;
        for (rep = 0; rep < 5; rep++) {
            t0 = now();
            if ((rc = smg_kpi_compute_many(from_ix, org, &q, periods, 12)))
                die(org, "12 months from the index", rc);
            t0 = now() - t0;
            if (t0 < best_ix_many)
                best_ix_many = t0;
            if (rep < 4)
                for (m = 0; m < 12; m++)
                    smg_kpi_report_free(from_ix[m]);
        }
        q.index = NULL;
        if ((rc = smg_kpi_compute_many(from_log, org, &q, periods, 12)))
            die(org, "12 months", rc);
        for (m = 0; m < 12; m++) {
            size_t r;
            int k;
            if (smg_kpi_count(from_log[m]) != smg_kpi_count(from_ix[m]))
                ix_differs++;
            for (r = 0; r < smg_kpi_count(from_log[m]); r++)
                for (k = 0; smg_kpi_field_name((smg_kpi_field)k); k++) {
                    double x, y;
                    int nx, ny;
                    smg_kpi_double(from_log[m], r, (smg_kpi_field)k, &x, &nx);
                    smg_kpi_double(from_ix[m], r, (smg_kpi_field)k, &y, &ny);
                    ix_differs += nx != ny || (!nx && x != y);
                    ix_compared++;
                }
            smg_kpi_report_free(from_log[m]);
            smg_kpi_report_free(from_ix[m]);
        }
    }
    for (rep = 0; rep < 3; rep++) {
        smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
        smg_kpi_report *r = NULL;
        snprintf(period, sizeof period, "%04d", year);
        smg_period_year(&q.period, year);
        q.attribution = a;
        t0 = now();
        if ((rc = smg_kpi_compute(&r, org, &q)))
            die(org, period, rc);
        t_year = now() - t0;
        if (t_year < best_year)
            best_year = t_year;
        smg_kpi_report_free(r);
    }

    /* the facts the baselines need (not timed) */
    snprintf(path, sizeof path, "%s/facts.csv", argv[2]);
    facts = fopen(path, "w");
    if (!facts)
        die(NULL, path, SMG_EIO);
    fprintf(facts, "member,month,kind,amount,cost,duty\n");
    for (i = 0; i < smg_attribution_deal_count(a); i++) {
        size_t deal = 0, credited = 0;
        int64_t cost, day = 0, amount = 0;
        int company = 0, y, mo;
        smg_attribution_deal_index(a, i, SMG_DEAL_DEAL, &deal, NULL);
        smg_attribution_deal_index(a, i, SMG_DEAL_CREDITED, &credited, &company);
        smg_attribution_deal_int(a, i, SMG_DEAL_DAY, &day, NULL);
        smg_attribution_deal_int(a, i, SMG_DEAL_AMOUNT, &amount, NULL);
        cost = org->deals.cost[deal];
        smg_date_split((smg_date)day, &y, &mo, NULL);
        fprintf(facts, "%lld,%d,1,%lld,%lld,0\n", company ? -1LL : (long long)credited,
                y * 100 + mo, (long long)amount, (long long)(cost == SMG_MONEY_NONE ? 0 : cost));
    }
    for (i = 0; i < nevents; i++) {
        switch (E->type[i]) {
        case SMG_EV_VISIT:
            fprintf(facts, "%d,%d,2,0,0,0\n", E->member[i], yyyymm(E->at[i]));
            break;
        case SMG_EV_RECEPTION:
            fprintf(facts, "%d,%d,3,0,0,%d\n", E->member[i], yyyymm(E->at[i]),
                    SMGI_OUTCOME(E->flags[i]) == SMG_OUTCOME_DUTY);
            break;
        case SMG_EV_EXPENSE:
            fprintf(facts, "%d,%d,4,%lld,0,0\n", E->member[i], yyyymm(E->at[i]),
                    (long long)smgi_event_amount(org, i));
            break;
        default:
            break;
        }
    }
    fclose(facts);

    if (check_sum != check_sep) {
        fprintf(stderr, "bench_kpi: smg_kpi_compute_many disagrees with smg_kpi_compute\n");
        return 1;
    }
    if (ix_differs) {
        fprintf(stderr, "bench_kpi: %zu of %zu figures from the month index differ from the "
                        "log's\n", ix_differs, ix_compared);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    snprintf(path, sizeof path, "%s/lib.json", argv[2]);
    js = fopen(path, "w");
    if (!js)
        die(NULL, path, SMG_EIO);
    fprintf(js, "{\n  \"dataset\": \"%s\",\n  \"year\": %d,\n  \"events\": %zu,\n"
                "  \"members\": %zu,\n  \"teams\": %zu,\n  \"keys\": %zu,\n"
                "  \"deals\": %zu,\n  \"rows_per_month\": %zu,\n"
                "  \"load_s\": %.6f,\n  \"attribution_s\": %.6f,\n  \"kpi_month_s\": [",
            argv[1], year, nevents, nmembers, smg_org_count(org, SMG_COUNT_TEAMS),
            smg_org_count(org, SMG_COUNT_KEYS), smg_attribution_deal_count(a), rows, t_load,
            t_attr);
    for (m = 0; m < 12; m++)
        fprintf(js, "%s%.6f", m ? ", " : "", t_month[m]);
    fprintf(js, "],\n  \"events_scanned\": [");
    for (m = 0; m < 12; m++)
        fprintf(js, "%s%zu", m ? ", " : "", scanned[m]);
    fprintf(js, "],\n  \"kpi_many_s\": %.6f,\n  \"ns_per_event_many\": %.3f,\n"
                "  \"kpi_many_peak_alloc_bytes\": %zu,\n",
            best_many, best_many * 1e9 / (double)scanned[11], peak_many);
    fprintf(js, "  \"index_build_s\": %.6f,\n  \"ns_per_event_index_build\": %.3f,\n"
                "  \"index_bytes\": %zu,\n  \"index_build_peak_alloc_bytes\": %zu,\n"
                "  \"kpi_index_many_s\": %.6f,\n  \"index_figures_compared\": %zu,\n",
            best_ix_build, best_ix_build * 1e9 / (double)nevents, ix_bytes, peak_ix_build,
            best_ix_many, ix_compared);
    fprintf(js, "  \"kpi_total_s\": %.6f,\n  \"ns_per_scanned_event\": %.3f,\n"
                "  \"kpi_year_s\": %.6f,\n  \"ns_per_event_year\": %.3f,\n"
                "  \"maxrss_bytes\": %ld,\n  \"maxrss_bytes_per_event\": %.1f,\n"
                "  \"kpi_peak_alloc_bytes\": %zu,\n  \"kpi_peak_alloc_bytes_per_event\": %.2f,\n"
                "  \"org_bytes_per_event\": %.1f,\n"
                "  \"attribution_bytes_per_event\": %.1f,\n"
                "  \"library_bytes_per_event\": %.1f\n}\n",
            t_total, t_total * 1e9 / (double)scanned_total, best_year,
            best_year * 1e9 / (double)scanned[11], ru.ru_maxrss * 1024L,
            (double)ru.ru_maxrss * 1024.0 / (double)nevents, peak_kpi,
            (double)peak_kpi / (double)nevents, (double)org_bytes / (double)nevents,
            (double)attr_bytes / (double)nevents, (double)cnt.live / (double)nevents);
    fclose(js);
    printf("bench_kpi: %zu events, %zu members, %zu rows a month; load %.2f s, attribution "
           "%.3f s; 12 months of KPIs: one call %.4f s, 12 calls %.4f s; year %.4f s\n",
           nevents, nmembers, rows, t_load, t_attr, best_many, t_total, best_year);
    printf("bench_kpi: month index: build %.4f s (%.2f ns per event), the 12 months from it "
           "%.4f s; %zu figures the same as from the log\n",
           best_ix_build, best_ix_build * 1e9 / (double)nevents, best_ix_many, ix_compared);
    smg_kpi_index_free(ix);
    smg_attribution_free(a);
    smg_org_free(org);
    return 0;
}
