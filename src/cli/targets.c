/* salesmgmt targets DATASET --period P [--as MEMBER]: the derived targets
 * of the company, of every team and of every member for the period, with
 * the sum of a team's (or the company's) direct children's targets and the
 * split gap (分解差额, RULES.md §2). With --as, the rows that member may
 * see (a rep: their own; a leader: the teams they lead and their members;
 * the company row needs full rights).
 *
 * JSON (DATASET.md): {"period":"P","rows":[{"subject":"team:t1",
 * "metric":"sales_amount","target":"…","children_sum":"…","gap":"…"}, …,
 * {"subject":"member:m01","metric":"sales_amount","target":"…"}, …]}: a
 * member's row has no split columns. Money metrics as strings with two
 * decimals, count metrics as integers, and null where the library reports
 * no value. CSV: the same columns for every row (a member's split cells
 * empty). The text table adds the team's or the member's name. */
#include <stdio.h>

#include "cli.h"

/* One value of a row: money or a count, or null. */
static void target_value(out_table *t, const smg_targets *r, size_t row,
                         smg_targets_field field, int is_money)
{
    int64_t v = 0;
    int is_null = 1;
    if (smg_targets_int(r, row, field, &v, &is_null) || is_null)
        out_null(t);
    else if (is_money)
        out_money(t, v);
    else
        out_int(t, (long long)v);
}

static void json_value(out_json *j, const smg_targets *r, size_t row, smg_targets_field field,
                       int is_money)
{
    int64_t v = 0;
    int is_null = 1;
    out_json_key(j, smg_targets_field_name(field));
    if (smg_targets_int(r, row, field, &v, &is_null) || is_null)
        out_json_null(j);
    else if (is_money)
        out_json_money(j, v);
    else
        out_json_int(j, (long long)v);
}

/* The metric of row @p row. */
static smg_metric row_metric(const smg_targets *r, size_t row)
{
    int64_t m = 0;
    smg_targets_int(r, row, SMG_TARGETS_METRIC, &m, NULL);
    return (smg_metric)m;
}

/* "company", "team:ID" or "member:ID" into @p buf; the name (NULL for the
 * company) into *name. */
static void row_subject(const smg_org *org, const smg_targets *r, size_t row, char *buf,
                        size_t len, const char **name)
{
    smg_subject s;
    *name = NULL;
    if (smg_targets_subject(r, row, &s) || smg_subject_format(buf, len, org, &s) < 0) {
        snprintf(buf, len, "?");
        return;
    }
    if (s.kind == SMG_SUBJECT_TEAM)
        *name = smg_team_name(org, s.index);
    else if (s.kind == SMG_SUBJECT_MEMBER)
        *name = smg_member_name(org, s.index);
}

static out_table *targets_table(const smg_org *org, const smg_targets *r, out_format fmt)
{
    out_table *t = out_table_new();
    size_t i, n = smg_targets_count(r);
    char subject[96];

    out_table_col(t, "subject", OUT_LEFT);
    if (fmt == OUT_TABLE)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "metric", OUT_LEFT);
    out_table_col(t, "target", OUT_RIGHT);
    out_table_col(t, "children_sum", OUT_RIGHT);
    out_table_col(t, "gap", OUT_RIGHT);
    for (i = 0; i < n; i++) {
        smg_metric metric = row_metric(r, i);
        int money = smg_metric_is_money(metric);
        const char *name;
        row_subject(org, r, i, subject, sizeof subject, &name);
        out_table_row(t);
        out_str(t, subject);
        if (fmt == OUT_TABLE)
            out_str(t, name);
        out_str(t, smg_metric_name(metric));
        target_value(t, r, i, SMG_TARGETS_TARGET, money);
        target_value(t, r, i, SMG_TARGETS_CHILDREN_SUM, money);
        target_value(t, r, i, SMG_TARGETS_GAP, money);
    }
    return t;
}

/* The rows as JSON objects: a member's without the split columns. */
static void targets_json(out_json *j, const smg_org *org, const smg_targets *r)
{
    size_t i, n = smg_targets_count(r);
    char subject[96];
    out_json_array(j);
    for (i = 0; i < n; i++) {
        smg_metric metric = row_metric(r, i);
        int money = smg_metric_is_money(metric);
        smg_subject s;
        const char *name;
        row_subject(org, r, i, subject, sizeof subject, &name);
        out_json_object(j);
        out_json_key(j, "subject");
        out_json_str(j, subject);
        out_json_key(j, "metric");
        out_json_str(j, smg_metric_name(metric));
        json_value(j, r, i, SMG_TARGETS_TARGET, money);
        if (smg_targets_subject(r, i, &s) || s.kind != SMG_SUBJECT_MEMBER) {
            json_value(j, r, i, SMG_TARGETS_CHILDREN_SUM, money);
            json_value(j, r, i, SMG_TARGETS_GAP, money);
        }
        out_json_end(j);
    }
    out_json_end(j);
}

int cmd_targets(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "as", &as, NULL },         { "policy", &policy, NULL },
        { "format", &format, NULL }, { NULL, NULL, NULL },
    };
    smg_targets_options topts = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *r = NULL;
    smg_date from, to;
    out_format fmt;
    out_doc doc;
    out_table *t = NULL;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &from, &to)))
        return rc;
    smg_period_parse(&topts.period, period); /* checked by cli_period() */
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    topts.as_member = as;
    if ((rc = smg_targets_compute(&r, org, &topts))) {
        return cli_fail(argv[0], org, rc);
    }
    if (fmt == OUT_CSV) {
        t = targets_table(org, r, fmt);
        rc = out_table_write(t, fmt, stdout);
    } else if (fmt == OUT_JSON) {
        out_doc_begin(&doc, stdout, fmt);
        out_json_key(&doc.json, "period");
        out_json_str(&doc.json, period);
        out_json_key(&doc.json, "rows");
        targets_json(&doc.json, org, r);
        rc = out_doc_end(&doc);
    } else {
        char title[256];
        t = targets_table(org, r, fmt);
        out_doc_begin(&doc, stdout, fmt);
        snprintf(title, sizeof title, "Targets for %s and team split gaps (分解差额)%s%s", period,
                 as ? ", as seen by " : "", as ? as : "");
        out_doc_table(&doc, "rows", title, t);
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    smg_targets_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
