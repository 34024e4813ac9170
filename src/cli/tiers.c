/* salesmgmt tiers DATASET (--year YYYY | --as-of DATE) [--method M]
 * [--lang en|zh] [--as MEMBER]: every customer's annual sales in the
 * tiering window and its tier (客户分级, RULES.md §3); with --as, only the
 * customers that member may see (the tiers stay those of all customers).
 *
 * JSON (DATASET.md): {"window":{"from":"…","to":"…"},"customers":[
 * {"customer":"c1","annual_sales":"…","tier":"vip"}, …]}, tiers always in
 * English; CSV: the customers table alone. The text table adds the
 * customer's name, shows the tier in the --lang language, and ends with the
 * number of customers and their sales per tier. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define NTIERS 4

int cmd_tiers(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *year_text = NULL,
               *as_of_text = NULL, *method_text = NULL, *lang_text = NULL, *lang = "en",
               *as = NULL;
    const cli_option opts[] = {
        { "year", &year_text, NULL },     { "as-of", &as_of_text, NULL },
        { "method", &method_text, NULL }, { "lang", &lang_text, NULL },
        { "as", &as, NULL },              { "policy", &policy, NULL },
        { "format", &format, NULL },      { NULL, NULL, NULL },
    };
    smg_tiers_options topts = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *tiers = NULL;
    smg_money sums[NTIERS] = { 0 };
    long long counts[NTIERS] = { 0 };
    smg_tier_method method = SMG_TIER_METHOD_THRESHOLD;
    smg_period window;
    smg_date as_of;
    char fbuf[16], tbuf[16], title[256];
    out_format fmt;
    out_doc doc;
    out_table *t, *sum;
    smg_org *org;
    size_t i, n;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)) ||
        (rc = cli_lang(argv[0], lang_text, &lang)))
        return rc;
    if (!year_text == !as_of_text)
        return cli_usage_error(argv[0], "give exactly one of --year and --as-of");
    if (year_text) {
        long long y;
        if ((rc = cli_number(argv[0], "year", year_text, 1, 9999, &y)))
            return rc;
        smg_period_year(&topts.window, (int)y);
    } else if (smg_date_parse(&as_of, as_of_text) ||
               smg_tiers_window_as_of(&topts.window, as_of)) {
        return cli_usage_error(argv[0], "--as-of: \"%s\" is not a date YYYY-MM-DD", as_of_text);
    }
    if (!method_text)
        topts.method = SMG_TIER_METHOD_POLICY;
    else if (strcmp(method_text, "threshold") == 0)
        topts.method = SMG_TIER_METHOD_THRESHOLD;
    else if (strcmp(method_text, "pareto") == 0)
        topts.method = SMG_TIER_METHOD_PARETO;
    else
        return cli_usage_error(argv[0], "--method must be threshold or pareto, not \"%s\"",
                               method_text);
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    topts.as_member = as;
    if ((rc = smg_tiers_compute(&tiers, org, &topts))) {
        return cli_fail(argv[0], org, rc);
    }
    smg_tiers_window(tiers, &window);
    smg_tiers_method(tiers, &method);

    t = out_table_new();
    out_table_col(t, "customer", OUT_LEFT);
    if (fmt == OUT_TABLE)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "annual_sales", OUT_RIGHT);
    out_table_col(t, "tier", OUT_LEFT);
    n = smg_tiers_count(tiers);
    for (i = 0; i < n; i++) {
        size_t c = 0;
        int64_t tier = -1, s = SMG_MONEY_NONE;
        int ok = !smg_tiers_index(tiers, i, SMG_TIERS_CUSTOMER, &c, NULL);
        smg_tiers_int(tiers, i, SMG_TIERS_TIER, &tier, NULL);
        smg_tiers_int(tiers, i, SMG_TIERS_SALES, &s, NULL);
        out_table_row(t);
        out_str(t, ok ? smg_customer_id(org, c) : NULL);
        if (fmt == OUT_TABLE)
            out_str(t, ok ? smg_customer_name(org, c) : NULL);
        out_money(t, s);
        out_str(t, smg_tier_name((smg_tier)tier, fmt == OUT_TABLE ? lang : "en"));
        if (tier >= 0 && tier < NTIERS) {
            counts[tier]++;
            sums[tier] = cli_money_add(sums[tier], s);
        }
    }

    if (fmt == OUT_CSV) {
        rc = out_table_write(t, fmt, stdout);
        out_table_free(t);
        goto done;
    }
    out_doc_begin(&doc, stdout, fmt);
    if (fmt == OUT_JSON) {
        out_table *win = out_table_new();
        out_table_col(win, "from", OUT_LEFT);
        out_table_col(win, "to", OUT_LEFT);
        out_table_row(win);
        out_date(win, window.from);
        out_date(win, window.to);
        out_doc_record(&doc, "window", "Window", win);
        out_doc_table(&doc, "customers", "Customers", t);
        out_table_free(win);
    } else {
        if (smg_date_format(fbuf, sizeof fbuf, window.from) < 0)
            strcpy(fbuf, "?");
        if (smg_date_format(tbuf, sizeof tbuf, window.to) < 0)
            strcpy(tbuf, "?");
        snprintf(title, sizeof title, "Customer tiers (客户分级), %s to %s, %s method%s%s", fbuf,
                 tbuf, method == SMG_TIER_METHOD_PARETO ? "pareto" : "threshold",
                 as ? ", as seen by " : "", as ? as : "");
        out_doc_table(&doc, "customers", title, t);
        sum = out_table_new();
        out_table_col(sum, "tier", OUT_LEFT);
        out_table_col(sum, "customers", OUT_RIGHT);
        out_table_col(sum, "annual_sales", OUT_RIGHT);
        for (i = 0; i < NTIERS; i++) {
            out_table_row(sum);
            out_str(sum, smg_tier_name((smg_tier)i, lang));
            out_int(sum, counts[i]);
            out_money(sum, sums[i]);
        }
        out_doc_table(&doc, "summary", "Per tier", sum);
        out_table_free(sum);
    }
    rc = out_doc_end(&doc);
    out_table_free(t);
done:
    smg_tiers_free(tiers);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
