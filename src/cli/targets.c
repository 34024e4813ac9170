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
 * empty). The text table adds the team's or the member's name.
 *
 * The company and its top teams (the teams without a parent), with full
 * rights: for every metric the company has a target for, the rows
 *   company             its target and its actual value in the period
 *   team:ID             each top team: its target (its own, or when it has
 *                       none the sum of its members' and child teams',
 *                       worked out the same way, as kpi's target_amount)
 *                       and its actual value
 *   company:unsplit     "company (not split to a team)": the company's
 *                       target less the top teams' (when not 0)
 *   company:uncredited  "company (not credited to a member)": the
 *                       company's actual less the top teams' (when not 0):
 *                       deals a manager's decision credited to the company
 * so that the top teams plus those lines give the company row. Actual
 * values are kpi's sales_amount, gross_profit, deal_count,
 * new_customer_count and visit_count; collections have none (null).
 * Text: a second table under the first, with notes; JSON: the key
 * "company" (an array of {"subject","name","metric","target","actual"},
 * empty without full rights or company targets); xlsx: a second sheet
 * "company"; CSV keeps the one table of the rows. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define NMETRICS 6 /* smg_metric values 0..5 */

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

/* ---- the company and its top teams ---- */

typedef struct own_target {
    int64_t v;
    int has;
} own_target;

typedef struct company_cmp {
    own_target *teams;   /* nteams * NMETRICS: own targets */
    own_target *members; /* nmembers * NMETRICS */
    own_target company[NMETRICS];
    size_t nteams, nmembers;
} company_cmp;

/* A team's target for @p metric: its own, else the sum of its members' and
 * child teams' (recursively; no value when none has one). @p depth guards
 * against a cycle. */
static own_target team_target(const smg_org *org, const company_cmp *c, size_t team, int metric,
                              size_t depth)
{
    own_target r = c->teams[team * NMETRICS + (size_t)metric], x;
    size_t i;
    if (r.has || depth > c->nteams)
        return r;
    r.v = 0;
    for (i = 0; i < c->nmembers; i++) {
        size_t t;
        x = c->members[i * NMETRICS + (size_t)metric];
        if (x.has && !smg_member_index(org, i, SMG_MEMBER_TEAM, &t, NULL) && t == team &&
            !__builtin_add_overflow(r.v, x.v, &r.v))
            r.has = 1;
    }
    for (i = 0; i < c->nteams; i++) {
        size_t parent;
        int none = 1;
        if (smg_team_index(org, i, SMG_TEAM_PARENT, &parent, &none) || none || parent != team)
            continue;
        x = team_target(org, c, i, metric, depth + 1);
        if (x.has && !__builtin_add_overflow(r.v, x.v, &r.v))
            r.has = 1;
    }
    return r;
}

/* The KPI giving the actual value of @p metric, or -1 (collections). */
static int metric_kpi(int metric)
{
    switch (metric) {
    case SMG_METRIC_SALES_AMOUNT: return SMG_KPI_SALES_AMOUNT;
    case SMG_METRIC_GROSS_PROFIT: return SMG_KPI_GROSS_PROFIT;
    case SMG_METRIC_DEAL_COUNT: return SMG_KPI_DEAL_COUNT;
    case SMG_METRIC_NEW_CUSTOMERS: return SMG_KPI_NEW_CUSTOMER_COUNT;
    case SMG_METRIC_VISITS: return SMG_KPI_VISIT_COUNT;
    default: return -1;
    }
}

/* The actual value of @p metric for KPI row @p row (has = 0 when none). */
static own_target actual(const smg_kpi_report *k, size_t row, int metric)
{
    own_target r = { 0, 0 };
    int f = metric_kpi(metric), is_null = 1;
    if (f >= 0 && !smg_kpi_int(k, row, (smg_kpi_field)f, &r.v, &is_null) && !is_null)
        r.has = 1;
    return r;
}

static void cell(out_table *t, own_target x, int money)
{
    if (!x.has)
        out_null(t);
    else if (money)
        out_money(t, x.v);
    else
        out_int(t, (long long)x.v);
}

/* 1 if the result has a row of the company (full rights). */
static int has_company(const smg_targets *r)
{
    size_t i, n = smg_targets_count(r);
    for (i = 0; i < n; i++) {
        smg_subject s;
        if (!smg_targets_subject(r, i, &s) && s.kind == SMG_SUBJECT_COMPANY)
            return 1;
    }
    return 0;
}

/* The comparison table; *notes receives a bit set: 1 a top team's target
 * is derived, 2 an unsplit line, 4 an uncredited line. NULL when out of
 * memory; a table without rows when the result has no company target (or
 * the company is not visible). */
static out_table *company_table(const smg_org *org, const smg_targets *r,
                                const smg_kpi_report *k, unsigned *notes)
{
    company_cmp c;
    size_t i, n = smg_targets_count(r), nk = k ? smg_kpi_count(k) : 0;
    int metric;
    out_table *t = out_table_new();

    *notes = 0;
    c.nteams = smg_team_count(org);
    c.nmembers = smg_member_count(org);
    c.teams = calloc(c.nteams * NMETRICS + 1, sizeof *c.teams);
    c.members = calloc(c.nmembers * NMETRICS + 1, sizeof *c.members);
    if (!t || !c.teams || !c.members) {
        free(c.teams);
        free(c.members);
        out_table_free(t);
        return NULL;
    }
    for (metric = 0; metric < NMETRICS; metric++)
        c.company[metric].has = 0;
    for (i = 0; i < n; i++) {
        smg_subject s;
        int64_t v = 0;
        int is_null = 1, m = (int)row_metric(r, i);
        own_target *x = NULL;
        if (m < 0 || m >= NMETRICS || smg_targets_subject(r, i, &s) ||
            smg_targets_int(r, i, SMG_TARGETS_TARGET, &v, &is_null) || is_null)
            continue;
        if (s.kind == SMG_SUBJECT_COMPANY)
            x = &c.company[m];
        else if (s.kind == SMG_SUBJECT_TEAM && s.index < c.nteams)
            x = &c.teams[s.index * NMETRICS + (size_t)m];
        else if (s.kind == SMG_SUBJECT_MEMBER && s.index < c.nmembers)
            x = &c.members[s.index * NMETRICS + (size_t)m];
        if (x) {
            x->v = v;
            x->has = 1;
        }
    }

    out_table_col(t, "subject", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "metric", OUT_LEFT);
    out_table_col(t, "target", OUT_RIGHT);
    out_table_col(t, "actual", OUT_RIGHT);
    for (metric = 0; metric < NMETRICS && smg_metric_name((smg_metric)metric); metric++) {
        int money = smg_metric_is_money((smg_metric)metric);
        const char *mname = smg_metric_name((smg_metric)metric);
        own_target teams_target = { 0, 0 }, teams_actual = { 0, 0 }, company_actual = { 0, 0 };
        int have_company = 0;
        size_t roots = 0, found = 0;
        if (!c.company[metric].has)
            continue;
        for (i = 0; i < nk; i++) {
            smg_subject s;
            if (!smg_kpi_subject(k, i, &s) && s.kind == SMG_SUBJECT_COMPANY) {
                company_actual = actual(k, i, metric);
                have_company = 1;
            }
        }
        if (!have_company) /* the company needs full rights */
            continue;
        out_table_row(t);
        out_str(t, "company");
        out_null(t);
        out_str(t, mname);
        cell(t, c.company[metric], money);
        cell(t, company_actual, money);
        for (i = 0; i < c.nteams; i++) {
            size_t parent, row;
            int none = 0;
            own_target tt, ta = { 0, 0 };
            char subject[96];
            if (smg_team_index(org, i, SMG_TEAM_PARENT, &parent, &none) || !none)
                continue;
            roots++;
            tt = team_target(org, &c, i, metric, 0);
            if (!c.teams[i * NMETRICS + (size_t)metric].has && tt.has)
                *notes |= 1;
            for (row = 0; row < nk; row++) {
                smg_subject s;
                if (!smg_kpi_subject(k, row, &s) && s.kind == SMG_SUBJECT_TEAM && s.index == i) {
                    ta = actual(k, row, metric);
                    found++;
                }
            }
            if (tt.has && !__builtin_add_overflow(teams_target.v, tt.v, &teams_target.v))
                teams_target.has = 1;
            if (ta.has && !__builtin_add_overflow(teams_actual.v, ta.v, &teams_actual.v))
                teams_actual.has = 1;
            snprintf(subject, sizeof subject, "team:%s", smg_team_id(org, i));
            out_table_row(t);
            out_str(t, subject);
            out_str(t, smg_team_name(org, i));
            out_str(t, mname);
            cell(t, tt, money);
            cell(t, ta, money);
        }
        if (c.company[metric].v != teams_target.v) {
            own_target gap = { 0, 1 };
            gap.v = c.company[metric].v - teams_target.v;
            out_table_row(t);
            out_str(t, CLI_UNSPLIT_SUBJECT);
            out_str(t, CLI_UNSPLIT_NAME);
            out_str(t, mname);
            cell(t, gap, money);
            out_null(t);
            *notes |= 2;
        }
        if (company_actual.has && found == roots && company_actual.v != teams_actual.v) {
            own_target gap = { 0, 1 };
            gap.v = company_actual.v - teams_actual.v;
            out_table_row(t);
            out_str(t, CLI_UNCREDITED_SUBJECT);
            out_str(t, CLI_UNCREDITED_NAME);
            out_str(t, mname);
            out_null(t);
            cell(t, gap, money);
            *notes |= 4;
        }
    }
    free(c.teams);
    free(c.members);
    return t;
}

int cmd_targets(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "as", &as, NULL },         { "policy", &policy, NULL },
        { "format", &format, NULL }, { NULL, NULL, NULL },
    };
    smg_targets_options topts = SMG_TARGETS_OPTIONS_INIT;
    smg_kpi_options kopts = SMG_KPI_OPTIONS_INIT;
    smg_targets *r = NULL;
    smg_kpi_report *k = NULL;
    smg_date from, to;
    out_format fmt;
    out_doc doc;
    out_table *t = NULL, *cmp = NULL;
    smg_org *org;
    unsigned notes = 0;
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
    if (fmt != OUT_CSV && has_company(r)) {
        /* the actual values of the company and the top teams (seen with
         * full rights only, as the company's targets) */
        kopts.period = topts.period;
        kopts.rows = SMG_ROWS_TEAMS;
        kopts.as_member = as;
        if ((rc = smg_kpi_compute(&k, org, &kopts))) {
            smg_targets_free(r);
            return cli_fail(argv[0], org, rc);
        }
    }
    if (fmt != OUT_CSV)
        cmp = company_table(org, r, k, &notes);
    if (fmt == OUT_CSV) {
        t = targets_table(org, r, fmt);
        rc = out_table_write(t, fmt, stdout);
    } else if (fmt == OUT_JSON) {
        out_doc_begin(&doc, stdout, fmt);
        out_json_key(&doc.json, "period");
        out_json_str(&doc.json, period);
        out_json_key(&doc.json, "rows");
        targets_json(&doc.json, org, r);
        out_doc_table(&doc, "company", "The company and its top teams", cmp);
        rc = out_doc_end(&doc);
    } else {
        char title[256];
        t = targets_table(org, r, fmt);
        out_doc_begin(&doc, stdout, fmt);
        snprintf(title, sizeof title, "Targets for %s and team split gaps (分解差额)%s%s", period,
                 as ? ", as seen by " : "", as ? as : "");
        out_doc_table(&doc, fmt == OUT_XLSX ? "targets" : "rows", title, t);
        if (!cmp)
            doc.err = 1;
        else if (out_table_rows(cmp)) {
            snprintf(title, sizeof title,
                     "The company and its top teams (公司与一级团队), %s: target and actual",
                     period);
            out_doc_table(&doc, "company", title, cmp);
            if (notes & 1)
                out_doc_note(&doc, "A top team without a target of its own has the sum of its "
                                   "members' and child teams' targets.");
            if (notes & 2)
                out_doc_note(&doc, "company (not split to a team): the part of the company's "
                                   "target given to no top team.");
            if (notes & 4)
                out_doc_note(&doc, CLI_UNCREDITED_NOTE);
        }
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    out_table_free(cmp);
    smg_kpi_report_free(k);
    smg_targets_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
