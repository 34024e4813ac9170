/* salesmgmt kpi DATASET --period P [--by member|team] [--as MEMBER]: every
 * KPI of RULES.md §5 for every member (default) or for every team and the
 * company, over a period.
 *
 * JSON (DATASET.md): {"period":"P","rows":[{"subject":"member:m01",
 * "name":"张伟","sales_amount":"…",…}, …]} with every KPI key the library
 * knows (smg_kpi_name() from 0 until NULL), in that order: money KPIs as
 * strings with two decimals, counts as integers, rates as numbers or null
 * (zero denominator; target_amount is null without a target). The company
 * row has "subject":"company" and "name":null.
 *
 * CSV: the same columns. The text table is too wide for every KPI: it
 * shows subject, name, sales_amount, deal_count, target_amount,
 * completion_rate, growth_yoy, close_rate and new_customer_count, rates as
 * percentages; use --format csv or json for every column.
 *
 * --by team: one row per team (its whole subtree) and, with full rights,
 * the company. --as MEMBER: the query on behalf of that member (RULES.md
 * §1): a rep sees their own row, a leader/supervisor/manager/director also
 * the subtrees of the teams they lead. A query outside that scope (a rep
 * asking for team rows) is a data error: the library's message, exit 2. An
 * --as member that does not exist is a usage error (as `visits --member`).
 *
 * Also here: cli_kpi_table(), the KPI table the report and the demo use. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The columns of the text table. */
static const char *const text_keys[] = {
    "sales_amount", "deal_count", "target_amount", "completion_rate", "growth_yoy",
    "close_rate",   "new_customer_count", NULL,
};

/* Counts are the KPIs named *_count; every other non-money KPI is a rate. */
static int kpi_is_count(smg_kpi k)
{
    const char *name = smg_kpi_name(k);
    size_t n = name ? strlen(name) : 0;
    return n > 6 && strcmp(name + n - 6, "_count") == 0;
}

static void kpi_cell(out_table *t, const smg_kpi_report *r, size_t row, smg_kpi k)
{
    int is_null = 1;
    if (smg_kpi_is_money(k)) {
        smg_money m = 0;
        if (smg_kpi_money(r, row, k, &m, &is_null) || is_null)
            out_null(t);
        else
            out_money(t, m);
        return;
    }
    {
        double v = 0;
        if (smg_kpi_get(r, row, k, &v, &is_null) || is_null)
            out_null(t);
        else if (kpi_is_count(k))
            out_int(t, (long long)(v < 0 ? v - 0.5 : v + 0.5));
        else
            out_rate(t, v, 0);
    }
}

out_table *cli_kpi_table(const smg_org *org, const smg_kpi_report *r, unsigned kinds,
                         const char *lead_col, const char *lead_val, const char *const *keys)
{
    smg_kpi cols[64];
    size_t ncols = 0, i, n = smg_kpi_row_count(r);
    char subject[96];
    out_table *t = out_table_new();

    if (!t)
        return NULL;
    if (keys) {
        for (i = 0; keys[i] && ncols < sizeof cols / sizeof cols[0]; i++)
            if (smg_kpi_parse(&cols[ncols], keys[i]) == 0)
                ncols++;
    } else {
        for (i = 0; smg_kpi_name((smg_kpi)i) && ncols < sizeof cols / sizeof cols[0]; i++)
            cols[ncols++] = (smg_kpi)i;
    }
    if (lead_col)
        out_table_col(t, lead_col, OUT_LEFT);
    out_table_col(t, "subject", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    for (i = 0; i < ncols; i++)
        out_table_col(t, smg_kpi_name(cols[i]), OUT_RIGHT);
    for (i = 0; i < n; i++) {
        smg_kpi_subject kind = SMG_KPI_SUBJECT_MEMBER;
        long index = -1;
        const char *id = NULL, *name = NULL;
        size_t c;
        if (smg_kpi_row(r, i, &kind, &index)) {
            out_table_free(t);
            return NULL;
        }
        if (!(kinds & (1u << kind)))
            continue;
        if (kind == SMG_KPI_SUBJECT_MEMBER && index >= 0) {
            id = smg_member_id(org, (size_t)index);
            name = smg_member_name(org, (size_t)index);
            snprintf(subject, sizeof subject, "member:%s", id ? id : "?");
        } else if (kind == SMG_KPI_SUBJECT_TEAM && index >= 0) {
            id = smg_team_id(org, (size_t)index);
            name = smg_team_name(org, (size_t)index);
            snprintf(subject, sizeof subject, "team:%s", id ? id : "?");
        } else {
            snprintf(subject, sizeof subject, "company");
        }
        out_table_row(t);
        if (lead_col)
            out_str(t, lead_val);
        out_str(t, subject);
        out_str(t, name);
        for (c = 0; c < ncols; c++)
            kpi_cell(t, r, i, cols[c]);
    }
    return t;
}

int cmd_kpi(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *by = NULL,
               *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "by", &by, NULL },         { "as", &as, NULL },
        { "policy", &policy, NULL }, { "format", &format, NULL }, { NULL, NULL, NULL },
    };
    smg_kpi_query q = SMG_KPI_QUERY_INIT;
    smg_kpi_report *r = NULL;
    smg_date from, to;
    out_format fmt;
    out_table *t;
    smg_org *org;
    unsigned kinds;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &from, &to)))
        return rc;
    if (!by || strcmp(by, "member") == 0) {
        q.by = SMG_KPI_BY_MEMBER;
        kinds = 1u << SMG_KPI_SUBJECT_MEMBER;
    } else if (strcmp(by, "team") == 0) {
        q.by = SMG_KPI_BY_TEAM;
        kinds = 1u << SMG_KPI_SUBJECT_TEAM | 1u << SMG_KPI_SUBJECT_COMPANY;
    } else {
        return cli_usage_error(argv[0], "--by must be member or team, not \"%s\"", by);
    }
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    q.period = period;
    q.as_member = as;
    if ((rc = smg_kpi_compute(org, &q, &r))) {
        return cli_fail(argv[0], org, rc);
    }
    t = cli_kpi_table(org, r, kinds, NULL, NULL, fmt == OUT_TABLE ? text_keys : NULL);
    if (fmt == OUT_CSV) {
        rc = out_table_write(t, fmt, stdout);
    } else {
        char title[256];
        out_doc doc;
        out_doc_begin(&doc, stdout, fmt);
        if (fmt == OUT_JSON) {
            out_json_key(&doc.json, "period");
            out_json_str(&doc.json, period);
        }
        snprintf(title, sizeof title, "KPIs (考核指标) for %s, by %s%s%s", period,
                 q.by == SMG_KPI_BY_TEAM ? "team" : "member", as ? ", as seen by " : "",
                 as ? as : "");
        out_doc_table(&doc, "rows", title, t);
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    smg_kpi_report_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
