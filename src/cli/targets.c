/* salesmgmt targets DATASET --period P: the derived targets of the company
 * and of every team for the period, with the sum of their direct
 * children's targets and the split gap (分解差额, RULES.md §2).
 *
 * JSON (DATASET.md): {"period":"P","rows":[{"subject":"team:t1",
 * "metric":"sales_amount","target":"…","children_sum":"…","gap":"…"}, …]}
 * with money metrics as strings with two decimals, count metrics as
 * integers, and null where the library reports no value. The text table
 * adds the team's name. */
#include <stdio.h>

#include "cli.h"

/* One value of a gaps row: money or a count, or null. */
static void gap_value(out_table *t, const smg_target_gaps *g, size_t row, smg_gap_field field,
                      int is_money)
{
    int64_t v = 0;
    int is_null = 1;
    if (smg_target_gaps_get(g, row, field, &v, &is_null) || is_null)
        out_null(t);
    else if (is_money)
        out_money(t, v);
    else
        out_int(t, (long long)v);
}

static out_table *gaps_table(const smg_org *org, const smg_target_gaps *g, out_format fmt)
{
    out_table *t = out_table_new();
    size_t i, n = smg_target_gaps_count(g);
    char subject[96];

    out_table_col(t, "subject", OUT_LEFT);
    if (fmt == OUT_TABLE)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "metric", OUT_LEFT);
    out_table_col(t, "target", OUT_RIGHT);
    out_table_col(t, "children_sum", OUT_RIGHT);
    out_table_col(t, "gap", OUT_RIGHT);
    for (i = 0; i < n; i++) {
        long team = -1;
        smg_metric metric = SMG_METRIC_SALES_AMOUNT;
        int money;
        if (smg_target_gaps_row(g, i, &team, &metric)) {
            out_table_free(t);
            return NULL;
        }
        money = smg_metric_is_money(metric);
        out_table_row(t);
        if (team < 0) {
            out_str(t, "company");
            if (fmt == OUT_TABLE)
                out_null(t);
        } else {
            const char *id = smg_team_id(org, (size_t)team);
            snprintf(subject, sizeof subject, "team:%s", id ? id : "?");
            out_str(t, subject);
            if (fmt == OUT_TABLE)
                out_str(t, smg_team_name(org, (size_t)team));
        }
        out_str(t, smg_metric_name(metric));
        gap_value(t, g, i, SMG_GAP_TARGET, money);
        gap_value(t, g, i, SMG_GAP_CHILDREN_SUM, money);
        gap_value(t, g, i, SMG_GAP_GAP, money);
    }
    return t;
}

int cmd_targets(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL },
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    smg_target_gaps *g = NULL;
    smg_date from, to;
    out_format fmt;
    out_doc doc;
    out_table *t;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &from, &to)))
        return rc;
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if ((rc = smg_target_gaps_compute(org, period, &g))) {
        return cli_fail(argv[0], org, rc);
    }
    t = gaps_table(org, g, fmt);
    if (fmt == OUT_CSV) {
        rc = out_table_write(t, fmt, stdout);
    } else {
        char title[160];
        out_doc_begin(&doc, stdout, fmt);
        if (fmt == OUT_JSON) {
            out_json_key(&doc.json, "period");
            out_json_str(&doc.json, period);
        }
        snprintf(title, sizeof title, "Targets for %s and team split gaps (分解差额)", period);
        out_doc_table(&doc, "rows", title, t);
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    smg_target_gaps_free(g);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
