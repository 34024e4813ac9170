/* salesmgmt visits DATASET --as-of DATE [--member ID] [--lang en|zh]: the
 * visit list (拜访频率, RULES.md §3) as of a day: every customer whose tier
 * has a visit cadence, its last visit, when the next one is due, whether it
 * is overdue, and the member responsible for the customer that day (its
 * protector then, else the member last credited with its deals).
 *
 * JSON (DATASET.md): {"as_of":"…","customers":[{"customer":"c1",
 * "tier":"vip","last_visit":"…"|null,"due":"…","overdue":true,
 * "member":"m01"|null}, …]}, tiers always in English; CSV: the customers
 * table alone. The text table adds names, shows the tier in the --lang
 * language, and ends with the counts per tier. --member keeps that
 * member's customers only (the summary too). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define NTIERS 4

/* Whether the policy gives tier @p tier a visit cadence (visit.*_months > 0). */
static int has_cadence(const smg_org *org, smg_tier tier)
{
    static const char *const names[NTIERS] = { "visit.vip_months", "visit.tier1_months",
                                               "visit.tier2_months", "visit.other_months" };
    char buf[32];
    return smg_policy_get(org, names[tier], buf, sizeof buf) > 0 && strcmp(buf, "0") != 0;
}

int cmd_visits(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *as_of_text = NULL,
               *member_text = NULL, *lang_text = NULL, *lang = "en";
    const cli_option opts[] = {
        { "as-of", &as_of_text, NULL }, { "member", &member_text, NULL },
        { "lang", &lang_text, NULL },   { "policy", &policy, NULL },
        { "format", &format, NULL },    { NULL, NULL, NULL },
    };
    smg_tiers_options topts = SMG_TIERS_OPTIONS_INIT;
    smg_attribution_options aopts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *attr = NULL;
    smg_visits *v = NULL;
    long long counts[NTIERS][3] = { { 0 } }; /* overdue, due on the day, due later */
    size_t member = 0, i, n;
    int have_member = 0;
    char title[96];
    out_format fmt;
    out_doc doc;
    out_table *t, *sum;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)) ||
        (rc = cli_lang(argv[0], lang_text, &lang)))
        return rc;
    if (!as_of_text)
        return cli_usage_error(argv[0], "--as-of is required");
    if (smg_date_parse(&topts.as_of, as_of_text))
        return cli_usage_error(argv[0], "--as-of: \"%s\" is not a date YYYY-MM-DD", as_of_text);
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (member_text) {
        if ((rc = cli_member(argv[0], org, "member", member_text, &member)))
            return rc;
        have_member = 1;
    }
    /* the responsible member as of the day: replay the events before the
     * start of the next day (a time is seconds since 1970-01-01, a date
     * days since then) */
    aopts.until = ((smg_time)topts.as_of + 1) * 86400;
    if ((rc = smg_attribution_compute(&attr, org, &aopts)) ||
        (rc = smg_visits_compute(org, &topts, attr, &v))) {
        smg_attribution_free(attr);
        return cli_fail(argv[0], org, rc);
    }

    t = out_table_new();
    out_table_col(t, "customer", OUT_LEFT);
    if (fmt == OUT_TABLE)
        out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "tier", OUT_LEFT);
    out_table_col(t, "last_visit", OUT_LEFT);
    out_table_col(t, "due", OUT_LEFT);
    out_table_col(t, "overdue", OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    if (fmt == OUT_TABLE)
        out_table_col(t, "member_name", OUT_LEFT);
    n = smg_visits_count(v);
    for (i = 0; i < n; i++) {
        long c = smg_visits_customer(v, i), m = smg_visits_member(v, i);
        int tier = smg_visits_tier(v, i), overdue = smg_visits_overdue(v, i);
        smg_date due = smg_visits_due(v, i);
        if (have_member && m != (long)member)
            continue;
        out_table_row(t);
        out_str(t, c >= 0 ? smg_customer_id(org, (size_t)c) : NULL);
        if (fmt == OUT_TABLE)
            out_str(t, c >= 0 ? smg_customer_name(org, (size_t)c) : NULL);
        out_str(t, smg_tier_name((smg_tier)tier, fmt == OUT_TABLE ? lang : "en"));
        out_date(t, smg_visits_last(v, i));
        out_date(t, due);
        out_bool(t, overdue == 1);
        out_str(t, m >= 0 ? smg_member_id(org, (size_t)m) : NULL);
        if (fmt == OUT_TABLE)
            out_str(t, m >= 0 ? smg_member_name(org, (size_t)m) : NULL);
        if (tier >= 0 && tier < NTIERS)
            counts[tier][overdue == 1 ? 0 : due == topts.as_of ? 1 : 2]++;
    }

    if (fmt == OUT_CSV) {
        rc = out_table_write(t, fmt, stdout);
        goto done;
    }
    out_doc_begin(&doc, stdout, fmt);
    if (fmt == OUT_JSON) {
        out_json_key(&doc.json, "as_of");
        out_json_str(&doc.json, as_of_text);
        out_doc_table(&doc, "customers", "Customers", t);
    } else {
        if (have_member)
            snprintf(title, sizeof title, "Visits as of %s, customers of %s", as_of_text,
                     member_text);
        else
            snprintf(title, sizeof title, "Visits as of %s", as_of_text);
        out_doc_table(&doc, "customers", title, t);
        sum = out_table_new();
        out_table_col(sum, "tier", OUT_LEFT);
        out_table_col(sum, "customers", OUT_RIGHT);
        out_table_col(sum, "overdue", OUT_RIGHT);
        out_table_col(sum, "due_today", OUT_RIGHT);
        out_table_col(sum, "due_later", OUT_RIGHT);
        for (i = 0; i < NTIERS; i++) {
            long long total = counts[i][0] + counts[i][1] + counts[i][2];
            if (!total && !has_cadence(org, (smg_tier)i))
                continue;
            out_table_row(sum);
            out_str(sum, smg_tier_name((smg_tier)i, lang));
            out_int(sum, total);
            out_int(sum, counts[i][0]);
            out_int(sum, counts[i][1]);
            out_int(sum, counts[i][2]);
        }
        out_doc_table(&doc, "summary", "Per tier", sum);
        out_table_free(sum);
    }
    rc = out_doc_end(&doc);
done:
    out_table_free(t);
    smg_visits_free(v);
    smg_attribution_free(attr);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
