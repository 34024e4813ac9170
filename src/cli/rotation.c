/* salesmgmt rotation DATASET --day D [--as MEMBER]: the day's reception
 * order (轮序) from its sign-ins, every walk-in reception with who the
 * rotation expected, and the order at the end of the day. With --as, only
 * what that member may see (RULES.md §1), as the library restricts it; a
 * member who does not exist is a usage error.
 *
 * A day without sign-ins (a Sunday, a holiday) has no order: the text
 * output is one line saying so (and the receptions table, when walk-ins
 * were received all the same) instead of empty tables; JSON keeps its keys
 * (order, receptions, final_order: empty arrays) and adds "note" with that
 * line; CSV and xlsx keep their three tables. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static out_table *order_table(const smg_org *org, const smg_rotation_day *d, int final)
{
    out_table *t = out_table_new();
    size_t n = 0, i;
    size_t *m;
    smg_rotation_day_order(d, final, NULL, 0, &n);
    m = malloc((n ? n : 1) * sizeof *m);
    if (!m || smg_rotation_day_order(d, final, m, n, &n)) {
        free(m);
        out_table_free(t);
        return NULL;
    }
    out_table_col(t, "position", OUT_RIGHT);
    out_table_col(t, "member", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    for (i = 0; i < n; i++) {
        out_table_row(t);
        out_int(t, (long long)i + 1);
        out_str(t, smg_member_id(org, m[i]));
        out_str(t, smg_member_name(org, m[i]));
    }
    free(m);
    return t;
}

/* Cell f of reception `row`: an index or (size_t)-1 when null, or a value. */
static size_t rec_ix(const smg_rotation_day *d, size_t row, smg_reception_field f)
{
    size_t v;
    int null = 1;
    return smg_rotation_day_index(d, row, f, &v, &null) || null ? (size_t)-1 : v;
}

static int64_t rec_int(const smg_rotation_day *d, size_t row, smg_reception_field f)
{
    int64_t v = 0;
    smg_rotation_day_int(d, row, f, &v, NULL);
    return v;
}

int cmd_rotation(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *day_text = NULL, *as = NULL;
    const cli_option opts[] = {
        { "day", &day_text, NULL },
        { "as", &as, NULL },
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    smg_rotation_day_options ropts = SMG_ROTATION_DAY_OPTIONS_INIT;
    smg_rotation_day *d = NULL;
    out_format fmt;
    out_doc doc;
    out_table *t;
    smg_org *org;
    size_t i, nsignins = 0;
    char note[160];
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if (!day_text)
        return cli_usage_error(argv[0], "--day is required");
    if (smg_date_parse(&ropts.day, day_text))
        return cli_usage_error(argv[0], "--day: \"%s\" is not a date YYYY-MM-DD", day_text);
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    ropts.as_member = as;
    if ((rc = smg_rotation_day_compute(&d, org, &ropts)))
        return cli_fail(argv[0], org, rc);
    smg_rotation_day_order(d, 0, NULL, 0, &nsignins);
    snprintf(note, sizeof note, "No sign-ins on %s%s%s: no reception order that day.", day_text,
             as ? ", as seen by " : "", as ? as : "");
    out_doc_begin(&doc, stdout, fmt);
    if (fmt == OUT_JSON && !nsignins) {
        out_json_key(&doc.json, "note");
        out_json_str(&doc.json, note);
    }
    t = order_table(org, d, 0);
    if (fmt == OUT_TABLE && !nsignins)
        out_doc_note(&doc, note);
    else
        out_doc_table(&doc, "order", "Sign-in order (轮序)", t);
    out_table_free(t);

    t = out_table_new();
    out_table_col(t, "at", OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    out_table_col(t, "customer", OUT_LEFT);
    out_table_col(t, "kind", OUT_LEFT);
    out_table_col(t, "duty", OUT_LEFT);
    out_table_col(t, "expected", OUT_LEFT);
    out_table_col(t, "in_turn", OUT_LEFT);
    for (i = 0; i < smg_rotation_day_count(d); i++) {
        char at[24];
        size_t exp = rec_ix(d, i, SMG_RECEPTION_EXPECTED);
        smg_time_format(at, sizeof at, rec_int(d, i, SMG_RECEPTION_AT));
        out_table_row(t);
        out_str(t, at);
        out_str(t, smg_member_id(org, rec_ix(d, i, SMG_RECEPTION_MEMBER)));
        out_str(t, smg_customer_id(org, rec_ix(d, i, SMG_RECEPTION_CUSTOMER)));
        out_str(t, smg_arrival_name((smg_arrival)rec_int(d, i, SMG_RECEPTION_KIND)));
        out_bool(t, (int)rec_int(d, i, SMG_RECEPTION_DUTY));
        out_str(t, exp != (size_t)-1 ? smg_member_id(org, exp) : NULL);
        out_bool(t, (int)rec_int(d, i, SMG_RECEPTION_IN_TURN));
    }
    if (fmt != OUT_TABLE || nsignins || out_table_rows(t)) {
        out_doc_table(&doc, "receptions", "Receptions (walk-ins)", t);
    }
    out_table_free(t);

    t = order_table(org, d, 1);
    if (fmt != OUT_TABLE || nsignins)
        out_doc_table(&doc, "final_order", "Order at the end of the day", t);
    out_table_free(t);
    rc = out_doc_end(&doc);
    smg_rotation_day_free(d);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
