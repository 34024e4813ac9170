/* salesmgmt scorecard DATASET --period YYYY-MM [--as MEMBER]: the scorecard
 * (考核表, RULES.md §6) of a month, item by item per member.
 *
 * JSON (DATASET.md): {"period":"2026-10","members":[{"member":"m01",
 * "work_score":85.00,"source":"scorecard","items":[{"item":"weekly_report",
 * "score":30.00,"faults":2,"doubled":false}, …]}, …]}: scores as numbers
 * (points, two decimals); "source" is "given" (a work_score event wins),
 * "scorecard" or "none"; "items" lists every item that applies to the
 * member, parents before their children (empty when the scorecard does
 * not score the member that month).
 *
 * CSV: one row a member and item (member, work_score, source, item, score,
 * faults, missed, doubled); a member without items has one row with the
 * item columns empty. The text table adds the member's name and the
 * item's points, indents children under their parent, and shows the
 * member's columns on their first row only.
 * --as MEMBER: the rows that member may see (RULES.md §1); an unknown
 * member, like a period that is not a month, is a usage error.
 *
 * Also here: cli_scorecard_table(), the summary the report and the demo
 * show. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static double member_score(const smg_scorecard *r, size_t row, smg_scorecard_member_field f,
                           int *is_null)
{
    int64_t v = 0;
    *is_null = 1;
    if (smg_scorecard_member_int(r, row, f, &v, is_null))
        *is_null = 1;
    return (double)v / 100.0;
}

static const char *source_of(const smg_scorecard *r, size_t row)
{
    int64_t v = -1;
    smg_scorecard_member_int(r, row, SMG_SCORECARD_MEMBER_SOURCE, &v, NULL);
    return smg_score_source_name((smg_score_source)v);
}

/* The rows of member row @p row's lines: [*first, *first + *n). */
static void lines_of(const smg_scorecard *r, size_t row, size_t *first, size_t *n)
{
    int64_t f = 0, k = 0;
    smg_scorecard_member_int(r, row, SMG_SCORECARD_MEMBER_FIRST_LINE, &f, NULL);
    smg_scorecard_member_int(r, row, SMG_SCORECARD_MEMBER_LINES, &k, NULL);
    *first = (size_t)f;
    *n = (size_t)k;
}

static int64_t line_int(const smg_scorecard *r, size_t row, smg_scorecard_line_field f)
{
    int64_t v = 0;
    smg_scorecard_line_int(r, row, f, &v, NULL);
    return v;
}

static const char *item_of(const smg_org *org, const smg_scorecard *r, size_t row)
{
    size_t k = 0;
    return smg_scorecard_line_index(r, row, SMG_SCORECARD_LINE_ITEM, &k, NULL) == 0
               ? smg_scorecard_item_id(org, k)
               : NULL;
}

out_table *cli_scorecard_table(const smg_org *org, const smg_scorecard *r, const char *lead_col,
                               const char *lead_val, int with_name)
{
    size_t i, n = smg_scorecard_member_count(r);
    out_table *t = out_table_new();
    if (!t)
        return NULL;
    if (lead_col)
        out_table_col(t, lead_col, OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    if (with_name)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "work_score", OUT_RIGHT);
    out_table_col(t, "source", OUT_LEFT);
    out_table_col(t, "scorecard_score", OUT_RIGHT);
    out_table_col(t, "faults", OUT_RIGHT);
    out_table_col(t, "missed", OUT_RIGHT);
    out_table_col(t, "doubled", OUT_RIGHT);
    for (i = 0; i < n; i++) {
        size_t m = 0, first, k, x;
        long long faults = 0, missed = 0, doubled = 0;
        int ok = smg_scorecard_member_index(r, i, SMG_SCORECARD_MEMBER_MEMBER, &m, NULL) == 0;
        int null;
        double v;
        lines_of(r, i, &first, &k);
        for (x = first; x < first + k; x++) {
            faults += line_int(r, x, SMG_SCORECARD_LINE_FAULTS);
            missed += line_int(r, x, SMG_SCORECARD_LINE_MISSED);
            doubled += line_int(r, x, SMG_SCORECARD_LINE_DOUBLED);
        }
        out_table_row(t);
        if (lead_col)
            out_str(t, lead_val);
        out_str(t, ok ? smg_member_id(org, m) : NULL);
        if (with_name)
            out_str(t, ok ? smg_member_name(org, m) : NULL);
        v = member_score(r, i, SMG_SCORECARD_MEMBER_WORK_SCORE_X100, &null);
        out_num(t, v, 2);
        out_str(t, source_of(r, i));
        v = member_score(r, i, SMG_SCORECARD_MEMBER_SCORECARD_SCORE_X100, &null);
        if (null)
            out_null(t);
        else
            out_num(t, v, 2);
        out_int(t, faults);
        out_int(t, missed);
        out_int(t, doubled);
    }
    return t;
}

/* The text or CSV table: a row a member and item. */
static out_table *lines_table(const smg_org *org, const smg_scorecard *r, int text)
{
    size_t i, n = smg_scorecard_member_count(r);
    out_table *t = out_table_new();
    if (!t)
        return NULL;
    out_table_col(t, "member", OUT_LEFT);
    if (text)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "work_score", OUT_RIGHT);
    out_table_col(t, "source", OUT_LEFT);
    out_table_col(t, "item", OUT_LEFT);
    if (text)
        out_table_col(t, "points", OUT_RIGHT);
    out_table_col(t, "score", OUT_RIGHT);
    out_table_col(t, "faults", OUT_RIGHT);
    out_table_col(t, "missed", OUT_RIGHT);
    out_table_col(t, "doubled", OUT_LEFT);
    for (i = 0; i < n; i++) {
        size_t m = 0, first, k, x;
        int ok = smg_scorecard_member_index(r, i, SMG_SCORECARD_MEMBER_MEMBER, &m, NULL) == 0;
        int null;
        double work = member_score(r, i, SMG_SCORECARD_MEMBER_WORK_SCORE_X100, &null);
        lines_of(r, i, &first, &k);
        for (x = first; x < first + (k ? k : 1); x++) {
            out_table_row(t);
            if (text && x > first) { /* the member's columns on the first row only */
                out_str(t, "");
                out_str(t, "");
                out_str(t, "");
                out_str(t, "");
            } else {
                out_str(t, ok ? smg_member_id(org, m) : NULL);
                if (text)
                    out_str(t, ok ? smg_member_name(org, m) : NULL);
                out_num(t, work, 2);
                out_str(t, source_of(r, i));
            }
            if (!k) {
                out_null(t);
                if (text)
                    out_null(t);
                out_null(t);
                out_null(t);
                out_null(t);
                out_null(t);
                continue;
            }
            if (text) {
                char name[160];
                size_t item = 0;
                int64_t pts = 0, depth = line_int(r, x, SMG_SCORECARD_LINE_DEPTH);
                const char *id = item_of(org, r, x);
                snprintf(name, sizeof name, "%*s%s", (int)(depth < 10 ? depth : 10) * 2, "",
                         id ? id : "?");
                out_str(t, name);
                smg_scorecard_line_index(r, x, SMG_SCORECARD_LINE_ITEM, &item, NULL);
                smg_scorecard_item_int(org, item, SMG_SCORECARD_ITEM_POINTS_X100, &pts, NULL);
                out_num(t, (double)pts / 100.0, 2);
            } else {
                out_str(t, item_of(org, r, x));
            }
            out_num(t, (double)line_int(r, x, SMG_SCORECARD_LINE_SCORE_X100) / 100.0, 2);
            out_int(t, (long long)line_int(r, x, SMG_SCORECARD_LINE_FAULTS));
            out_int(t, (long long)line_int(r, x, SMG_SCORECARD_LINE_MISSED));
            out_bool(t, line_int(r, x, SMG_SCORECARD_LINE_DOUBLED) != 0);
        }
    }
    return t;
}

/* The document of DATASET.md. */
static int write_json(const smg_org *org, const smg_scorecard *r, const char *period)
{
    out_json j;
    size_t i, n = smg_scorecard_member_count(r);
    out_json_init(&j, stdout);
    out_json_object(&j);
    out_json_key(&j, "period");
    out_json_str(&j, period);
    out_json_key(&j, "members");
    out_json_array(&j);
    for (i = 0; i < n; i++) {
        size_t m = 0, first, k, x;
        int null;
        int ok = smg_scorecard_member_index(r, i, SMG_SCORECARD_MEMBER_MEMBER, &m, NULL) == 0;
        lines_of(r, i, &first, &k);
        out_json_object(&j);
        out_json_key(&j, "member");
        out_json_str(&j, ok ? smg_member_id(org, m) : NULL);
        out_json_key(&j, "work_score");
        out_json_num(&j, member_score(r, i, SMG_SCORECARD_MEMBER_WORK_SCORE_X100, &null), 2);
        out_json_key(&j, "source");
        out_json_str(&j, source_of(r, i));
        out_json_key(&j, "items");
        out_json_array(&j);
        for (x = first; x < first + k; x++) {
            out_json_object(&j);
            out_json_key(&j, "item");
            out_json_str(&j, item_of(org, r, x));
            out_json_key(&j, "score");
            out_json_num(&j, (double)line_int(r, x, SMG_SCORECARD_LINE_SCORE_X100) / 100.0, 2);
            out_json_key(&j, "faults");
            out_json_int(&j, (long long)line_int(r, x, SMG_SCORECARD_LINE_FAULTS));
            out_json_key(&j, "doubled");
            out_json_bool(&j, line_int(r, x, SMG_SCORECARD_LINE_DOUBLED) != 0);
            out_json_end(&j);
        }
        out_json_end(&j);
        out_json_end(&j);
    }
    out_json_end(&j);
    out_json_end(&j);
    return out_json_finish(&j);
}

int cmd_scorecard(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "as", &as, NULL },         { "policy", &policy, NULL },
        { "format", &format, NULL }, { NULL, NULL, NULL },
    };
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r = NULL;
    out_format fmt;
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
    if ((rc = smg_scorecard_compute(&r, org, &o)))
        return cli_fail(argv[0], org, rc);
    if (fmt == OUT_JSON) {
        rc = write_json(org, r, period);
    } else {
        out_table *t = lines_table(org, r, fmt == OUT_TABLE);
        if (fmt == OUT_CSV) {
            rc = out_table_write(t, fmt, stdout);
        } else {
            char title[160];
            out_doc doc;
            out_doc_begin(&doc, stdout, fmt);
            snprintf(title, sizeof title, "Scorecard (考核表) for %s%s%s", period,
                     as ? ", as seen by " : "", as ? as : "");
            out_doc_table(&doc, "members", title, t);
            rc = out_doc_end(&doc);
        }
        out_table_free(t);
    }
    smg_scorecard_free(r);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
