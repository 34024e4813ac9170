/* salesmgmt pay DATASET --period YYYY-MM [--as MEMBER]: each member's
 * assessment scores and pay lines for a month (考核与薪酬, RULES.md §6).
 *
 * JSON (DATASET.md): {"period":"2026-10","members":[{"member":"m01",
 * "attendance_score":100.00,"work_score":85.00,"monthly_score":89.50,
 * "completion_rate":0.93,"base":"…","completion_pay":"…","work_pay":"…",
 * "overplan_bonus":"…","commission":"…","total":"…"}, …]}: scores as
 * numbers (points, two decimals), the completion rate as a number or null
 * (no target), money as strings with two decimals, null where the library
 * gives none (every money line of a member without a pay total). The total
 * is the sum of the five rounded lines.
 *
 * CSV: the same columns; the text table adds the member's name.
 * --as MEMBER: the rows that member may see (RULES.md §1); an unknown
 * member, like a period that is not a month, is a usage error.
 *
 * Also here: cli_pay_table(), the pay table the report and the demo use. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The columns of DATASET.md, after "member". */
static const char *const pay_keys[] = {
    "attendance_score", "work_score",     "monthly_score", "completion_rate",
    "base",             "completion_pay", "work_pay",      "overplan_bonus",
    "commission",       "total",          NULL,
};

static int pay_field_parse(const char *name, smg_pay_field *out)
{
    int i;
    const char *s;
    for (i = 0; (s = smg_pay_field_name((smg_pay_field)i)) != NULL; i++)
        if (strcmp(s, name) == 0) {
            *out = (smg_pay_field)i;
            return 0;
        }
    return -1;
}

/* The field named @p name with "_x100" after it (a score's hundredths), or
 * -1 when there is none. */
static int hundredths_field(const char *name)
{
    char want[64];
    smg_pay_field f;
    if (snprintf(want, sizeof want, "%s_x100", name) >= (int)sizeof want ||
        pay_field_parse(want, &f))
        return -1;
    return (int)f;
}

static void pay_cell(out_table *t, const smg_pay_report *r, size_t row, smg_pay_field f)
{
    const char *name = smg_pay_field_name(f);
    size_t n = name ? strlen(name) : 0;
    smg_type type = smg_pay_field_type(f);
    int is_null = 1, h = name ? hundredths_field(name) : -1;
    if (type == SMG_TYPE_DOUBLE && h >= 0) { /* a score, with two decimals */
        int64_t v = 0;
        if (smg_pay_int(r, row, (smg_pay_field)h, &v, &is_null) || is_null)
            out_null(t);
        else
            out_num(t, (double)v / 100.0, 2);
    } else if (type == SMG_TYPE_DOUBLE) {
        double v = 0;
        if (smg_pay_double(r, row, f, &v, &is_null) || is_null)
            out_null(t);
        else if (n > 5 && strcmp(name + n - 5, "_rate") == 0)
            out_rate(t, v, 0);
        else
            out_num(t, v, 2);
    } else {
        int64_t v = 0;
        if (smg_pay_int(r, row, f, &v, &is_null) || is_null)
            out_null(t);
        else if (type == SMG_TYPE_MONEY)
            out_money(t, v);
        else
            out_int(t, (long long)v); /* days_absent */
    }
}

out_table *cli_pay_table(const smg_org *org, const smg_pay_report *r, const char *lead_col,
                         const char *lead_val, int with_name, const char *const *keys)
{
    smg_pay_field cols[32];
    size_t ncols = 0, i, n = smg_pay_count(r);
    out_table *t = out_table_new();

    if (!t)
        return NULL;
    if (!keys)
        keys = pay_keys;
    for (i = 0; keys[i] && ncols < sizeof cols / sizeof cols[0]; i++)
        if (pay_field_parse(keys[i], &cols[ncols]) == 0)
            ncols++;
    if (lead_col)
        out_table_col(t, lead_col, OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    if (with_name)
        out_table_col(t, "name", OUT_LEFT);
    for (i = 0; i < ncols; i++)
        out_table_col(t, smg_pay_field_name(cols[i]), OUT_RIGHT);
    for (i = 0; i < n; i++) {
        size_t m = 0, c;
        int ok = smg_pay_index(r, i, SMG_PAY_MEMBER, &m, NULL) == 0;
        out_table_row(t);
        if (lead_col)
            out_str(t, lead_val);
        out_str(t, ok ? smg_member_id(org, m) : NULL);
        if (with_name)
            out_str(t, ok ? smg_member_name(org, m) : NULL);
        for (c = 0; c < ncols; c++)
            pay_cell(t, r, i, cols[c]);
    }
    return t;
}

int cmd_pay(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "as", &as, NULL },         { "policy", &policy, NULL },
        { "format", &format, NULL }, { NULL, NULL, NULL },
    };
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *r = NULL;
    out_format fmt;
    out_table *t;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if (!period)
        return cli_usage_error(argv[0], "--period is required");
    if (smg_period_parse(&o.month, period) || o.month.kind != SMG_PERIOD_MONTH)
        return cli_usage_error(argv[0], "--period: \"%s\" is not a month YYYY-MM", period);
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    o.as_member = as;
    if ((rc = smg_pay_compute(&r, org, &o))) {
        return cli_fail(argv[0], org, rc);
    }
    t = cli_pay_table(org, r, NULL, NULL, fmt == OUT_TABLE, NULL);
    if (fmt == OUT_CSV) {
        rc = out_table_write(t, fmt, stdout);
    } else {
        char title[160];
        out_doc doc;
        out_doc_begin(&doc, stdout, fmt);
        if (fmt == OUT_JSON) {
            out_json_key(&doc.json, "period");
            out_json_str(&doc.json, period);
        }
        snprintf(title, sizeof title, "Scores and pay (考核与薪酬) for %s%s%s", period,
                 as ? ", as seen by " : "", as ? as : "");
        out_doc_table(&doc, "members", title, t);
        rc = out_doc_end(&doc);
    }
    out_table_free(t);
    smg_pay_report_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
