/* salesmgmt kpi DATASET --period P [--by member|team] [--as MEMBER]: every
 * KPI of RULES.md §5 for every member (default) or for every team and the
 * company, over a period.
 *
 * JSON (DATASET.md): {"period":"P","rows":[{"subject":"member:m01",
 * "name":"张伟","sales_amount":"…",…}, …]} with every KPI key the library
 * knows (smg_kpi_field_name() from 0 until NULL), in that order: money KPIs as
 * strings with two decimals, counts as integers, rates as numbers or null
 * (zero denominator; target_amount is null without a target). The company
 * row has "subject":"company" and "name":null.
 *
 * CSV: the same columns. The text table is too wide for every KPI: it
 * shows subject, name, sales_amount, deal_count, target_amount,
 * completion_rate, growth_yoy, close_rate and new_customer_count, rates as
 * percentages (and refund_amount after sales_amount when a row has
 * refunds, RULES.md §8); use --format csv or json for every column.
 *
 * --by team: one row per team (its whole subtree) and, with full rights,
 * the company, and then the lines that reconcile the company with its top
 * teams (the teams without a parent), each only when it is not zero:
 * - "company:unsplit" (name "company (not split to a team)"):
 *   target_amount = the company's less the sum of the top teams' (the part
 *   of the company's target given to no team: why the company's
 *   completion_rate differs from its top teams');
 * - "company:uncredited" (name "company (not credited to a member)"):
 *   sales_amount, deal_count, gross_profit, new_customer_count and (when
 *   a row has refunds) refund_amount = the company's less the sum of the
 *   top teams' (deals a manager's decision credited to the company, reason
 *   `company`, and their refunds, count in its row only).
 * Every other KPI of those rows is null (it does not add up across
 * teams), so that the top teams plus those lines give the company row.
 * They are rows in every format (JSON: with every KPI key, as DATASET.md
 * asks of a row); the text table explains them under the table, and
 * explains a close_rate over 100% (deals / receptions: deals without a
 * reception in the period make it pass 100%).
 *
 * --as MEMBER: the query on behalf of that member (RULES.md
 * §1): a rep sees their own row, a leader/supervisor/manager/director also
 * the subtrees of the teams they lead. A query outside that scope (a rep
 * asking for team rows) is a data error: the library's message, exit 2. An
 * --as member that does not exist is a usage error (as `visits --member`).
 *
 * Also here: cli_kpi_table(), the KPI table the report and the demo use. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The KPIs the "company (not credited to a member)" row carries: the ones
 * that add up from the top teams to the company, in cli_reconcile's
 * order. */
static const smg_kpi_field uncredited_fields[CLI_NUNCREDITED] = {
    SMG_KPI_SALES_AMOUNT, SMG_KPI_DEAL_COUNT, SMG_KPI_GROSS_PROFIT, SMG_KPI_NEW_CUSTOMER_COUNT,
    SMG_KPI_REFUND_AMOUNT,
};

int cli_kpi_has_refunds(const smg_kpi_report *r)
{
    size_t i, n = smg_kpi_count(r);
    for (i = 0; i < n; i++) {
        int64_t v = 0;
        int is_null = 1;
        if (!smg_kpi_int(r, i, SMG_KPI_REFUND_AMOUNT, &v, &is_null) && !is_null && v)
            return 1;
    }
    return 0;
}

const char *const *cli_kpi_keys(const char **buf, size_t cap, const char *const *keys,
                                int refunds)
{
    size_t i, n = 0;
    for (i = 0; keys[i] && n + 1 < cap; i++) { /* + 1: the NULL */
        buf[n++] = keys[i];
        if (refunds && strcmp(keys[i], "sales_amount") == 0 && n + 1 < cap)
            buf[n++] = "refund_amount";
    }
    buf[n] = NULL;
    return buf;
}

/* Value @p f of row @p row as an integer, null as 0 (*has = 0). */
static int kpi_value(const smg_kpi_report *r, size_t row, smg_kpi_field f, int64_t *v, int *has)
{
    int is_null = 1;
    *v = 0;
    if (smg_kpi_int(r, row, f, v, &is_null))
        return -1;
    if (is_null)
        *v = 0;
    *has = !is_null;
    return 0;
}

int cli_kpi_reconcile(const smg_org *org, const smg_kpi_report *r, cli_reconcile *out)
{
    size_t i, k, n = smg_kpi_count(r), nteams = smg_team_count(org), roots = 0, found = 0;
    int64_t company[CLI_NUNCREDITED + 1], teams[CLI_NUNCREDITED + 1] = { 0 };
    int have_company = 0, company_target = 0;

    memset(out, 0, sizeof *out);
    for (i = 0; i < nteams; i++) {
        size_t parent;
        int none = 0;
        if (!smg_team_index(org, i, SMG_TEAM_PARENT, &parent, &none) && none)
            roots++;
    }
    for (i = 0; i < n; i++) {
        smg_subject s;
        size_t parent;
        int none = 0, is_root, has;
        int64_t v;
        if (smg_kpi_subject(r, i, &s))
            return 0;
        is_root = s.kind == SMG_SUBJECT_TEAM &&
                  !smg_team_index(org, s.index, SMG_TEAM_PARENT, &parent, &none) && none;
        if (s.kind != SMG_SUBJECT_COMPANY && !is_root)
            continue;
        /* [0, CLI_NUNCREDITED) the credited sums, [CLI_NUNCREDITED] the target */
        for (k = 0; k <= CLI_NUNCREDITED; k++) {
            if (kpi_value(r, i, k < CLI_NUNCREDITED ? uncredited_fields[k] : SMG_KPI_TARGET_AMOUNT,
                          &v, &has))
                return 0;
            if (s.kind == SMG_SUBJECT_COMPANY) {
                company[k] = v;
                if (k == CLI_NUNCREDITED)
                    company_target = has;
            } else if (__builtin_add_overflow(teams[k], v, &teams[k])) {
                return 0;
            }
        }
        if (s.kind == SMG_SUBJECT_COMPANY)
            have_company = 1;
        else
            found++;
    }
    /* the company and every top team must be in the report (full rights) */
    if (!have_company || found != roots)
        return 0;
    out->has_refunds = cli_kpi_has_refunds(r);
    for (k = 0; k < CLI_NUNCREDITED; k++) {
        if (__builtin_sub_overflow(company[k], teams[k], &out->uncredited[k]))
            return 0;
        out->has_uncredited |= out->uncredited[k] != 0;
    }
    if (company_target &&
        !__builtin_sub_overflow(company[CLI_NUNCREDITED], teams[CLI_NUNCREDITED], &out->unsplit))
        out->has_unsplit = out->unsplit != 0;
    return out->has_uncredited || out->has_unsplit;
}

/* The reconciliation rows of @p rc (cli_kpi_reconcile()) for the columns
 * @p cols. */
static void reconcile_rows(out_table *t, const smg_kpi_field *cols, size_t ncols,
                           const char *lead_col, const char *lead_val, const cli_reconcile *rc)
{
    size_t c, k;
    if (rc->has_unsplit) {
        out_table_row(t);
        if (lead_col)
            out_str(t, lead_val);
        out_str(t, CLI_UNSPLIT_SUBJECT);
        out_str(t, CLI_UNSPLIT_NAME);
        for (c = 0; c < ncols; c++)
            if (cols[c] == SMG_KPI_TARGET_AMOUNT)
                out_money(t, rc->unsplit);
            else
                out_null(t);
    }
    if (rc->has_uncredited) {
        out_table_row(t);
        if (lead_col)
            out_str(t, lead_val);
        out_str(t, CLI_UNCREDITED_SUBJECT);
        out_str(t, CLI_UNCREDITED_NAME);
        for (c = 0; c < ncols; c++) {
            for (k = 0; k < CLI_NUNCREDITED && uncredited_fields[k] != cols[c]; k++)
                ;
            /* no refunds: null, as the other KPIs of the line */
            if (k == CLI_NUNCREDITED || (cols[c] == SMG_KPI_REFUND_AMOUNT && !rc->has_refunds))
                out_null(t);
            else if (smg_kpi_field_type(cols[c]) == SMG_TYPE_MONEY)
                out_money(t, rc->uncredited[k]);
            else
                out_int(t, (long long)rc->uncredited[k]);
        }
    }
}

/* 1 if a row of @p r whose kind is in @p kinds has a close_rate over 1. */
static int close_rate_over_one(const smg_kpi_report *r, unsigned kinds)
{
    size_t i, n = smg_kpi_count(r);
    for (i = 0; i < n; i++) {
        smg_subject s;
        double v = 0;
        int is_null = 1;
        if (!smg_kpi_subject(r, i, &s) && (kinds & (1u << s.kind)) &&
            !smg_kpi_double(r, i, SMG_KPI_CLOSE_RATE, &v, &is_null) && !is_null && v > 1.0)
            return 1;
    }
    return 0;
}

/* The columns of the text table. */
static const char *const text_keys[] = {
    "sales_amount", "deal_count", "target_amount", "completion_rate", "growth_yoy",
    "close_rate",   "new_customer_count", NULL,
};

/* A cell by the field's type: money, a count, or a rate; null as null. */
static void kpi_cell(out_table *t, const smg_kpi_report *r, size_t row, smg_kpi_field k)
{
    int is_null = 1;
    if (smg_kpi_field_type(k) == SMG_TYPE_DOUBLE) {
        double v = 0;
        if (smg_kpi_double(r, row, k, &v, &is_null) || is_null)
            out_null(t);
        else
            out_rate(t, v, 0);
    } else {
        int64_t v = 0;
        if (smg_kpi_int(r, row, k, &v, &is_null) || is_null)
            out_null(t);
        else if (smg_kpi_field_type(k) == SMG_TYPE_MONEY)
            out_money(t, v);
        else
            out_int(t, (long long)v);
    }
}

out_table *cli_kpi_table(const smg_org *org, const smg_kpi_report *r, unsigned kinds,
                         const char *lead_col, const char *lead_val, const char *const *keys)
{
    smg_kpi_field cols[64];
    size_t ncols = 0, i, n = smg_kpi_count(r);
    char subject[96];
    cli_reconcile rec;
    int reconcile = (kinds & CLI_KPI_RECONCILE) && (kinds & (1u << SMG_SUBJECT_COMPANY)) &&
                    (kinds & (1u << SMG_SUBJECT_TEAM)) && cli_kpi_reconcile(org, r, &rec);
    out_table *t = out_table_new();

    if (!t)
        return NULL;
    if (keys) {
        for (i = 0; keys[i] && ncols < sizeof cols / sizeof cols[0]; i++)
            if (smg_kpi_field_parse(&cols[ncols], keys[i]) == 0)
                ncols++;
    } else {
        for (i = 0; smg_kpi_field_name((smg_kpi_field)i) && ncols < sizeof cols / sizeof cols[0];
             i++)
            cols[ncols++] = (smg_kpi_field)i;
    }
    if (lead_col)
        out_table_col(t, lead_col, OUT_LEFT);
    out_table_col(t, "subject", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    for (i = 0; i < ncols; i++)
        out_table_col(t, smg_kpi_field_name(cols[i]), OUT_RIGHT);
    for (i = 0; i < n; i++) {
        smg_subject s;
        const char *id = NULL, *name = NULL;
        size_t c;
        if (smg_kpi_subject(r, i, &s)) {
            out_table_free(t);
            return NULL;
        }
        if (!(kinds & (1u << s.kind)))
            continue;
        if (s.kind == SMG_SUBJECT_MEMBER) {
            id = smg_member_id(org, s.index);
            name = smg_member_name(org, s.index);
            snprintf(subject, sizeof subject, "member:%s", id ? id : "?");
        } else if (s.kind == SMG_SUBJECT_TEAM) {
            id = smg_team_id(org, s.index);
            name = smg_team_name(org, s.index);
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
        if (s.kind == SMG_SUBJECT_COMPANY && reconcile)
            reconcile_rows(t, cols, ncols, lead_col, lead_val, &rec);
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
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    smg_date from, to;
    out_format fmt;
    out_table *t;
    smg_org *org;
    unsigned kinds;
    cli_reconcile rec;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &from, &to)))
        return rc;
    smg_period_parse(&o.period, period); /* cli_period() has checked it */
    if (!by || strcmp(by, "member") == 0) {
        o.rows = SMG_ROWS_MEMBERS;
        kinds = 1u << SMG_SUBJECT_MEMBER;
    } else if (strcmp(by, "team") == 0) {
        o.rows = SMG_ROWS_TEAMS;
        kinds = 1u << SMG_SUBJECT_TEAM | 1u << SMG_SUBJECT_COMPANY | CLI_KPI_RECONCILE;
    } else {
        return cli_usage_error(argv[0], "--by must be member or team, not \"%s\"", by);
    }
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    o.as_member = as;
    if ((rc = smg_kpi_compute(&r, org, &o))) {
        return cli_fail(argv[0], org, rc);
    }
    {
        const char *keys[sizeof text_keys / sizeof *text_keys + 1];
        t = cli_kpi_table(org, r, kinds, NULL, NULL,
                          fmt == OUT_TABLE ? cli_kpi_keys(keys, sizeof keys / sizeof *keys,
                                                          text_keys, cli_kpi_has_refunds(r))
                                           : NULL);
    }
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
                 o.rows == SMG_ROWS_TEAMS ? "team" : "member", as ? ", as seen by " : "",
                 as ? as : "");
        /* a workbook's sheet is named after the key */
        out_doc_table(&doc, fmt == OUT_XLSX ? "kpi" : "rows", title, t);
        if (o.rows == SMG_ROWS_TEAMS && cli_kpi_reconcile(org, r, &rec)) {
            if (rec.has_unsplit)
                out_doc_note(&doc, CLI_UNSPLIT_NOTE);
            if (rec.has_uncredited)
                out_doc_note(&doc, CLI_UNCREDITED_NOTE);
        }
        if (close_rate_over_one(r, kinds))
            out_doc_note(&doc, CLI_CLOSE_RATE_NOTE);
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    smg_kpi_report_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
