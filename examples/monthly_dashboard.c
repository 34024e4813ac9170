/* A monthly dashboard: the company's sales, completion and customer
 * retention for each of the twelve months up to the last deal, and for
 * that year so far, read from a KPI
 * month index — one pass over the log, then any number of whole-month,
 * quarter or year queries without reading it again (RULES.md §5).
 *
 *   cc monthly_dashboard.c $(pkg-config --cflags --libs salesmgmt)
 *   ./a.out examples/data
 */
#include <stdio.h>
#include <salesmgmt.h>

static void show(const smg_kpi_report *r, const char *label)
{
    size_t row = smg_kpi_count(r) - 1; /* the company comes last */
    int64_t sales;
    double done, kept;
    int null_sales, null_done, null_kept;
    char money[32];
    smg_kpi_int(r, row, SMG_KPI_SALES_AMOUNT, &sales, &null_sales);
    smg_kpi_double(r, row, SMG_KPI_COMPLETION_RATE, &done, &null_done);
    smg_kpi_double(r, row, SMG_KPI_RETENTION_RATE, &kept, &null_kept);
    smg_money_format(money, sizeof money, sales);
    printf("%-8s %14s  ", label, money);
    if (null_done) printf("%10s  ", "-"); else printf("%9.1f%%  ", done * 100);
    if (null_kept) printf("%9s\n", "-"); else printf("%8.1f%%\n", kept * 100);
}

int main(int argc, char **argv)
{
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    smg_kpi_index *ix = NULL;
    smg_kpi_index_options io = SMG_KPI_INDEX_OPTIONS_INIT;
    smg_kpi_options q = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *months[12], *year = NULL;
    smg_period periods[12];
    char label[12][16], ytext[16];
    size_t n;
    int64_t day;
    int y, last, m, rc = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATASET_DIR\n", argv[0]);
        return 1;
    }
    if (smg_org_new(&org, NULL) || smg_dataset_load(org, argv[1]) ||
        smg_attribution_compute(&a, org, NULL))
        goto out;
    io.attribution = a;
    if (smg_kpi_index_build(&ix, org, &io))
        goto out;
    n = smg_attribution_deal_count(a);
    if (!n) {
        fprintf(stderr, "no deals\n");
        goto out;
    }
    if (smg_attribution_deal_int(a, n - 1, SMG_DEAL_DAY, &day, NULL))
        goto out;
    smg_date_split((smg_date)day, &y, &last, NULL);
    for (m = 0; m < 12; m++) { /* the twelve months ending with the last deal's */
        int k = y * 12 + (last - 1) - 11 + m;
        if (smg_period_month(&periods[m], k / 12, k % 12 + 1))
            goto out;
        smg_period_format(label[m], sizeof label[m], &periods[m]);
    }
    q.rows = SMG_ROWS_TEAMS; /* team rows and the company row */
    q.attribution = a;
    q.index = ix;           /* whole months: summed from the index */
    if (smg_kpi_compute_many(months, org, &q, periods, 12))
        goto out;
    printf("%-8s %14s  %10s  %9s\n", "month", "sales", "completion", "retention");
    for (m = 0; m < 12; m++) {
        show(months[m], label[m]);
        smg_kpi_report_free(months[m]);
    }
    snprintf(ytext, sizeof ytext, "%04d", y);
    if (smg_period_year(&q.period, y) || smg_kpi_compute(&year, org, &q))
        goto out;
    show(year, ytext);
    smg_kpi_report_free(year);
    rc = 0;
out:
    if (rc && org)
        fprintf(stderr, "%s\n", smg_org_errmsg(org));
    smg_kpi_index_free(ix);
    smg_attribution_free(a);
    smg_org_free(org);
    return rc;
}
