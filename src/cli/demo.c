/* salesmgmt demo [DATASET]: load a dataset (by default the sample installed
 * with the command, SMG_DATA_DIR) and print what the library knows about
 * it, section by section.
 *
 * A new capability adds a section: a function that builds its table from
 * the loaded org and hands it to the document, listed in `sections`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct demo_ctx {
    smg_org *org;
    const char *dir;   /* the dataset folder */
    const char *label; /* how the report names it */
    out_format fmt;
    smg_date last_day; /* the day of the latest event, or SMG_DATE_NONE */
} demo_ctx;

/* A section adds itself to @p doc. @return 0, or -1 when out of memory */
typedef int (*demo_section)(const demo_ctx *ctx, out_doc *doc);

/* ---- section: counts ---- */

static int section_counts(const demo_ctx *ctx, out_doc *doc)
{
    static const struct {
        const char *name;
        smg_count what;
    } counts[] = {
        { "teams", SMG_COUNT_TEAMS },
        { "members", SMG_COUNT_MEMBERS },
        { "customers", SMG_COUNT_CUSTOMERS },
        { "keys", SMG_COUNT_KEYS },
        { "events", SMG_COUNT_EVENTS },
        { "deals", SMG_COUNT_DEALS },
        { "receivables", SMG_COUNT_RECEIVABLES },
        { "products", SMG_COUNT_PRODUCTS },
        { "targets", SMG_COUNT_TARGETS },
        { "profiles", SMG_COUNT_PROFILES },
        { "commission_rows", SMG_COUNT_COMMISSION_ROWS },
        { "scorecard_items", SMG_COUNT_SCORECARD_ITEMS },
    };
    out_table *t = out_table_new();
    size_t i;
    int rc;
    out_table_col(t, "dataset", OUT_LEFT);
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        out_table_col(t, counts[i].name, OUT_RIGHT);
    out_table_row(t);
    out_str(t, ctx->label);
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        out_int(t, (long long)smg_org_count(ctx->org, counts[i].what));
    out_doc_record(doc, "counts", "The dataset", t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: events per type ---- */

#define NTYPES 24 /* smg_event_type values 1..23, 0 for unknown */
#define NTYPES_ALWAYS 19 /* 1..18 are listed always; the later ones (handover,
                            link, cancel, refund, transfer) when the log has
                            some */

/* Count the events of each type into @p counts (may be NULL) and find the
 * day of the latest one into *last (SMG_DATE_NONE when there is none),
 * reading the log. */
static void count_types(const smg_org *org, unsigned long counts[NTYPES], smg_date *last)
{
    size_t i, n = smg_event_count(org);
    int64_t v;
    for (i = 0; counts && i < n; i++)
        if (smg_event_int(org, i, SMG_EVENT_TYPE, &v, NULL) == 0)
            counts[v > 0 && v < NTYPES ? v : 0]++;
    /* the log is in time order: its last event is the latest */
    *last = SMG_DATE_NONE;
    if (n && smg_event_int(org, n - 1, SMG_EVENT_AT, &v, NULL) == 0)
        *last = smg_time_day(v);
}

static int section_event_types(const demo_ctx *ctx, out_doc *doc)
{
    unsigned long counts[NTYPES] = { 0 };
    smg_date last;
    out_table *t;
    int i, rc;
    count_types(ctx->org, counts, &last);
    t = out_table_new();
    out_table_col(t, "type", OUT_LEFT);
    out_table_col(t, "events", OUT_RIGHT);
    for (i = 1; i < NTYPES; i++) {
        if (i >= NTYPES_ALWAYS && !counts[i])
            continue;
        out_table_row(t);
        out_str(t, smg_event_type_name((smg_event_type)i));
        out_int(t, (long long)counts[i]);
    }
    out_doc_table(doc, "event_types", "Events by type", t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: the team tree ---- */

typedef struct tree {
    const smg_org *org;
    size_t nteams;
    size_t *direct;  /* members per team */
    size_t *subtree; /* members in the team's whole subtree */
    out_table *t;
    out_format fmt;
} tree;

/* The team's parent, or -1 for a root. */
static long team_parent(const smg_org *org, size_t t)
{
    size_t p;
    int root = 1;
    return smg_team_index(org, t, SMG_TEAM_PARENT, &p, &root) || root ? -1 : (long)p;
}

static void tree_rows(tree *tr, long parent, int depth)
{
    size_t i;
    for (i = 0; i < tr->nteams; i++) {
        size_t lead;
        int none = 1;
        if (team_parent(tr->org, i) != parent)
            continue;
        if (smg_team_index(tr->org, i, SMG_TEAM_LEADER, &lead, &none))
            none = 1;
        out_table_row(tr->t);
        out_str(tr->t, smg_team_id(tr->org, i));
        if (tr->fmt == OUT_TABLE) { /* the tree shows as indentation */
            char name[512];
            snprintf(name, sizeof name, "%*s%s", depth * 2, "", smg_team_name(tr->org, i));
            out_str(tr->t, name);
        } else {
            out_str(tr->t, smg_team_name(tr->org, i));
        }
        out_str(tr->t, parent < 0 ? NULL : smg_team_id(tr->org, (size_t)parent));
        out_str(tr->t, none ? NULL : smg_member_id(tr->org, lead));
        out_str(tr->t, none ? NULL : smg_member_name(tr->org, lead));
        out_int(tr->t, (long long)tr->direct[i]);
        out_int(tr->t, (long long)tr->subtree[i]);
        if (depth < 64)
            tree_rows(tr, (long)i, depth + 1);
    }
}

static int section_teams(const demo_ctx *ctx, out_doc *doc)
{
    tree tr;
    size_t i, nm = smg_member_count(ctx->org);
    int rc = 0;
    tr.org = ctx->org;
    tr.nteams = smg_team_count(ctx->org);
    tr.fmt = ctx->fmt;
    tr.direct = calloc(tr.nteams + 1, sizeof *tr.direct);
    tr.subtree = calloc(tr.nteams + 1, sizeof *tr.subtree);
    tr.t = out_table_new();
    if (!tr.direct || !tr.subtree || !tr.t) {
        rc = -1;
        goto done;
    }
    for (i = 0; i < nm; i++) {
        size_t t;
        long team, depth = 0;
        if (smg_member_index(ctx->org, i, SMG_MEMBER_TEAM, &t, NULL) || t >= tr.nteams)
            continue;
        tr.direct[t]++;
        for (team = (long)t; team >= 0 && depth <= (long)tr.nteams; depth++) {
            tr.subtree[team]++;
            team = team_parent(ctx->org, (size_t)team);
        }
    }
    out_table_col(tr.t, "team", OUT_LEFT);
    out_table_col(tr.t, "name", OUT_LEFT);
    out_table_col(tr.t, "parent", OUT_LEFT);
    out_table_col(tr.t, "leader", OUT_LEFT);
    out_table_col(tr.t, "leader_name", OUT_LEFT);
    out_table_col(tr.t, "members", OUT_RIGHT);
    out_table_col(tr.t, "subtree_members", OUT_RIGHT);
    tree_rows(&tr, -1, 0);
    out_doc_table(doc, "teams", "Teams", tr.t);
done:
    out_table_free(tr.t);
    free(tr.direct);
    free(tr.subtree);
    return rc;
}

/* ---- section: attribution ---- */

static int section_attribution(const demo_ctx *ctx, out_doc *doc)
{
    long long reasons[SMG_REASON_COMPANY + 1] = { 0 };
    long long kinds[SMG_NOTICE_KIND_DUPLICATE + 1] = { 0 };
    smg_attribution *a = NULL;
    out_table *t;
    size_t i, k, n;
    int rc;

    if (smg_attribution_compute(&a, ctx->org, NULL))
        return -1;
    n = smg_attribution_deal_count(a);
    for (i = 0; i < n; i++) {
        int64_t r = 0;
        smg_attribution_deal_int(a, i, SMG_DEAL_REASON, &r, NULL);
        if (r >= SMG_REASON_UNPROTECTED && r <= SMG_REASON_COMPANY)
            reasons[r]++;
    }
    for (i = 0; i < smg_attribution_notice_count(a); i++) {
        int64_t kind = 0;
        smg_attribution_notice_int(a, i, SMG_NOTICE_KIND, &kind, NULL);
        if (kind >= SMG_NOTICE_KIND_COLLISION && kind <= SMG_NOTICE_KIND_DUPLICATE)
            kinds[kind]++;
    }
    smg_attribution_free(a);

    t = out_table_new();
    out_table_col(t, "deals", OUT_RIGHT);
    for (k = SMG_REASON_UNPROTECTED; k <= SMG_REASON_COMPANY; k++)
        out_table_col(t, smg_reason_name((smg_reason)k), OUT_RIGHT);
    cli_notice_cols(t, 1);
    out_table_row(t);
    out_int(t, (long long)n);
    for (k = SMG_REASON_UNPROTECTED; k <= SMG_REASON_COMPANY; k++)
        out_int(t, reasons[k]);
    cli_notice_cells(t, kinds, 1);
    out_doc_record(doc, "attribution",
                   "Attribution (业绩归属): deals by reason, and what the replay reported", t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: customer tiers ---- */

static int section_tiers(const demo_ctx *ctx, out_doc *doc)
{
    smg_tiers_options opts = SMG_TIERS_OPTIONS_INIT;
    smg_money sums[4] = { 0 };
    long long counts[4] = { 0 };
    smg_tiers *tiers = NULL;
    out_table *t;
    char title[96];
    int y, m, d, rc, year, text = ctx->fmt == OUT_TABLE;
    size_t i;

    /* the last calendar year the sample covers to its end */
    if (ctx->last_day == SMG_DATE_NONE || smg_date_split(ctx->last_day, &y, &m, &d))
        return 0;
    year = m == 12 && d == 31 ? y : y - 1;
    opts.method = SMG_TIER_METHOD_THRESHOLD;
    if (year < 1)
        return 0;
    if (smg_period_year(&opts.window, year) || smg_tiers_compute(&tiers, ctx->org, &opts))
        return -1;
    for (i = 0; i < smg_tiers_count(tiers); i++) {
        int64_t tier = -1, s = SMG_MONEY_NONE;
        smg_tiers_int(tiers, i, SMG_TIERS_TIER, &tier, NULL);
        smg_tiers_int(tiers, i, SMG_TIERS_SALES, &s, NULL);
        if (tier < 0 || tier > 3)
            continue;
        counts[tier]++;
        if (s != SMG_MONEY_NONE && sums[tier] != SMG_MONEY_NONE &&
            !(s > 0 && sums[tier] > INT64_MAX - s) && !(s < 0 && sums[tier] < INT64_MIN + 1 - s))
            sums[tier] += s;
        else
            sums[tier] = SMG_MONEY_NONE;
    }
    smg_tiers_free(tiers);

    t = out_table_new();
    if (!text)
        out_table_col(t, "year", OUT_RIGHT);
    out_table_col(t, "tier", OUT_LEFT);
    if (text)
        out_table_col(t, "label", OUT_LEFT);
    out_table_col(t, "customers", OUT_RIGHT);
    out_table_col(t, "annual_sales", OUT_RIGHT);
    for (i = 0; i < 4; i++) {
        out_table_row(t);
        if (!text)
            out_int(t, year);
        out_str(t, smg_tier_name((smg_tier)i, "en"));
        if (text)
            out_str(t, smg_tier_name((smg_tier)i, "zh"));
        out_int(t, counts[i]);
        out_money(t, sums[i]);
    }
    snprintf(title, sizeof title, "Customer tiers (客户分级) of %d, threshold method", year);
    out_doc_table(doc, "tiers", title, t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: overdue visits ---- */

#define DEMO_OVERDUE_SHOWN 10

static int section_overdue(const demo_ctx *ctx, out_doc *doc)
{
    smg_visits_options opts = SMG_VISITS_OPTIONS_INIT;
    smg_visits *v = NULL;
    long long rows[4] = { 0 }, overdue[4] = { 0 };
    out_table *sum, *list;
    char day[16], title[96];
    int text = ctx->fmt == OUT_TABLE, rc;
    size_t i, n, shown = 0;

    if (ctx->last_day == SMG_DATE_NONE || smg_date_format(day, sizeof day, ctx->last_day) < 0)
        return 0;
    opts.as_of = ctx->last_day; /* the responsible member as of the end of that day */
    if (smg_visits_compute(&v, ctx->org, &opts))
        return -1;
    list = out_table_new();
    out_table_col(list, "customer", OUT_LEFT);
    out_table_col(list, "name", OUT_LEFT);
    out_table_col(list, "tier", OUT_LEFT);
    out_table_col(list, "last_visit", OUT_LEFT);
    out_table_col(list, "due", OUT_LEFT);
    out_table_col(list, "member", OUT_LEFT);
    out_table_col(list, "member_name", OUT_LEFT);
    n = smg_visits_count(v);
    for (i = 0; i < n; i++) { /* by due date: the longest overdue first */
        int64_t tier = -1, is_late = 0, last = 0, due = 0;
        size_t c = 0, m = 0;
        int c_ok = !smg_visits_index(v, i, SMG_VISITS_CUSTOMER, &c, NULL);
        int m_null = 1, last_null = 1, late;
        char lbuf[16], dbuf[16];
        smg_visits_index(v, i, SMG_VISITS_MEMBER, &m, &m_null);
        smg_visits_int(v, i, SMG_VISITS_TIER, &tier, NULL);
        smg_visits_int(v, i, SMG_VISITS_OVERDUE, &is_late, NULL);
        smg_visits_int(v, i, SMG_VISITS_LAST_VISIT, &last, &last_null);
        smg_visits_int(v, i, SMG_VISITS_DUE, &due, NULL);
        late = is_late == 1;
        if (tier < 0 || tier > 3)
            continue;
        rows[tier]++;
        overdue[tier] += late;
        if (!late || shown >= DEMO_OVERDUE_SHOWN)
            continue;
        shown++;
        out_table_row(list);
        out_str(list, c_ok ? smg_customer_id(ctx->org, c) : NULL);
        out_str(list, c_ok ? smg_customer_name(ctx->org, c) : NULL);
        out_str(list, smg_tier_name((smg_tier)tier, "en"));
        out_str(list, !last_null && smg_date_format(lbuf, sizeof lbuf, (smg_date)last) > 0
                          ? lbuf
                          : NULL);
        out_str(list, smg_date_format(dbuf, sizeof dbuf, (smg_date)due) > 0 ? dbuf : NULL);
        out_str(list, m_null ? NULL : smg_member_id(ctx->org, m));
        out_str(list, m_null ? NULL : smg_member_name(ctx->org, m));
    }
    smg_visits_free(v);

    sum = out_table_new();
    if (!text)
        out_table_col(sum, "as_of", OUT_LEFT);
    out_table_col(sum, "tier", OUT_LEFT);
    out_table_col(sum, "customers", OUT_RIGHT);
    out_table_col(sum, "overdue", OUT_RIGHT);
    for (i = 0; i < 4; i++) {
        if (!rows[i])
            continue;
        out_table_row(sum);
        if (!text)
            out_str(sum, day);
        out_str(sum, smg_tier_name((smg_tier)i, "en"));
        out_int(sum, rows[i]);
        out_int(sum, overdue[i]);
    }
    snprintf(title, sizeof title, "Overdue visits (拜访) as of %s, per tier with a cadence", day);
    out_doc_table(doc, "overdue_visits", title, sum);
    snprintf(title, sizeof title, "The %d longest overdue, with the member responsible",
             DEMO_OVERDUE_SHOWN);
    out_doc_table(doc, "overdue_customers", title, list);
    rc = sum && list ? 0 : -1;
    out_table_free(sum);
    out_table_free(list);
    return rc;
}

/* ---- sections: KPIs and pay of the last full month ---- */

/* The last calendar month the sample covers to its end, as "YYYY-MM" in
 * @p buf. @return 0, or -1 when there is none */
static int last_full_month(const demo_ctx *ctx, char buf[8])
{
    int y, m, d;
    if (ctx->last_day == SMG_DATE_NONE || smg_date_split(ctx->last_day, &y, &m, &d))
        return -1;
    if (d != smg_days_in_month(y, m) && --m < 1) {
        m = 12;
        y--;
    }
    if (y < 1 || y > 9999)
        return -1;
    snprintf(buf, 8, "%04d-%02d", y, m);
    return 0;
}

static int section_kpis(const demo_ctx *ctx, out_doc *doc)
{
    static const char *const keys[] = { "sales_amount", "deal_count", "completion_rate",
                                        "close_rate", NULL };
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *r = NULL;
    char month[8], title[96];
    out_table *t;
    int rc;
    if (last_full_month(ctx, month) || smg_period_parse(&o.period, month))
        return 0;
    o.rows = SMG_ROWS_TEAMS;
    if (smg_kpi_compute(&r, ctx->org, &o))
        return -1;
    t = cli_kpi_table(ctx->org, r, 1u << SMG_SUBJECT_TEAM | 1u << SMG_SUBJECT_COMPANY,
                      ctx->fmt == OUT_TABLE ? NULL : "month", month, keys);
    smg_kpi_report_free(r);
    snprintf(title, sizeof title, "KPIs (考核指标) of the teams, %s", month);
    out_doc_table(doc, "kpis", title, t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

static int section_pay(const demo_ctx *ctx, out_doc *doc)
{
    static const char *const keys[] = { "monthly_score", "total", NULL };
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *r = NULL;
    smg_money sum = 0;
    char month[8], title[96];
    out_table *t, *s = NULL;
    size_t i, n;
    int rc, text = ctx->fmt == OUT_TABLE;
    if (last_full_month(ctx, month) || smg_period_parse(&o.month, month))
        return 0;
    if (smg_pay_compute(&r, ctx->org, &o))
        return -1;
    n = smg_pay_count(r);
    for (i = 0; i < n; i++) {
        int64_t m = 0;
        int is_null = 1;
        if (!smg_pay_int(r, i, SMG_PAY_TOTAL, &m, &is_null) && !is_null && sum != SMG_MONEY_NONE)
            sum = (m > 0 && sum > INT64_MAX - m) || (m < 0 && sum < INT64_MIN + 1 - m)
                      ? SMG_MONEY_NONE
                      : sum + m;
    }
    t = cli_pay_table(ctx->org, r, text ? NULL : "month", month, 1, keys);
    smg_pay_report_free(r);
    if (text) { /* the sum as the last row */
        out_table_row(t);
        out_str(t, "sum");
        out_str(t, "合计");
        out_null(t);
        out_money(t, sum);
    } else {
        s = out_table_new();
        out_table_col(s, "month", OUT_LEFT);
        out_table_col(s, "members", OUT_RIGHT);
        out_table_col(s, "total", OUT_RIGHT);
        out_table_row(s);
        out_str(s, month);
        out_int(s, (long long)n);
        out_money(s, sum);
    }
    snprintf(title, sizeof title, "Pay (薪酬) for %s: monthly score and total pay", month);
    out_doc_table(doc, "pay", title, t);
    if (!text)
        out_doc_record(doc, "pay_sum", "Pay in total", s);
    rc = t && (text || s) ? 0 : -1;
    out_table_free(t);
    out_table_free(s);
    return rc;
}

/* The scorecard (考核表) of the last full month: where each member's work
 * score came from, the scorecard's own score, and the faults behind it. */
static int section_scorecard(const demo_ctx *ctx, out_doc *doc)
{
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r = NULL;
    char month[8], title[128];
    out_table *t;
    int rc;
    if (!smg_scorecard_item_count(ctx->org) || last_full_month(ctx, month) ||
        smg_period_parse(&o.month, month))
        return 0;
    if (smg_scorecard_compute(&r, ctx->org, &o))
        return -1;
    t = cli_scorecard_table(ctx->org, r, ctx->fmt == OUT_TABLE ? NULL : "month", month, 1);
    smg_scorecard_free(r);
    snprintf(title, sizeof title,
             "Scorecard (考核表) for %s: work scores given or from %lu items, and faults",
             month, (unsigned long)smg_scorecard_item_count(ctx->org));
    out_doc_table(doc, "scorecard", title, t);
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* ---- section: changes after the fact (RULES.md §8) ---- */

/* The changes after the fact of the log: a row per type (cancel, refund,
 * transfer, handover, link) that occurs, with how many there are and the
 * first of them, named as results name events (cli_event_ref()); a cancel
 * with the type of what it voids. Left out when there is none. */
static int section_changes(const demo_ctx *ctx, out_doc *doc)
{
    static const smg_event_type types[] = { SMG_EV_CANCEL, SMG_EV_REFUND, SMG_EV_TRANSFER,
                                            SMG_EV_HANDOVER, SMG_EV_LINK };
    const smg_org *org = ctx->org;
    size_t i, k, n = smg_event_count(org), first[5], count[5] = { 0 };
    out_table *t = out_table_new();
    int rc;
    for (i = 0; i < n; i++) {
        int64_t type = 0;
        smg_event_int(org, i, SMG_EVENT_TYPE, &type, NULL);
        for (k = 0; k < 5; k++)
            if (type == (int64_t)types[k] && !count[k]++)
                first[k] = i;
    }
    out_table_col(t, "type", OUT_LEFT);
    out_table_col(t, "events", OUT_RIGHT);
    out_table_col(t, "first", OUT_LEFT);
    out_table_col(t, "day", OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    out_table_col(t, "customer", OUT_LEFT);
    out_table_col(t, "ref", OUT_LEFT);
    out_table_col(t, "amount", OUT_RIGHT);
    out_table_col(t, "note", OUT_LEFT);
    for (k = 0; k < 5; k++) {
        int64_t at = 0, amount = 0;
        size_t m = 0, c = 0, target = 0, e = first[k];
        int no_m = 1, no_c = 1, no_amount = 1;
        const char *ref = NULL;
        char name[96], note[96] = "";
        if (!count[k])
            continue;
        smg_event_int(org, e, SMG_EVENT_AT, &at, NULL);
        smg_event_index(org, e, SMG_EVENT_MEMBER, &m, &no_m);
        smg_event_index(org, e, SMG_EVENT_CUSTOMER, &c, &no_c);
        smg_event_text(org, e, SMG_EVENT_REF, &ref, NULL);
        smg_event_int(org, e, SMG_EVENT_AMOUNT, &amount, &no_amount);
        if (types[k] == SMG_EV_CANCEL && ref && !smg_event_find(org, ref, &target)) {
            int64_t tt = 0;
            smg_event_int(org, target, SMG_EVENT_TYPE, &tt, NULL);
            snprintf(note, sizeof note, "voids a %s", smg_event_type_name((smg_event_type)tt));
        } else if (types[k] == SMG_EV_HANDOVER && !ref) {
            snprintf(note, sizeof note, "to nobody: released");
        }
        cli_event_ref(org, e, name, sizeof name);
        out_table_row(t);
        out_str(t, smg_event_type_name(types[k]));
        out_int(t, (long long)count[k]);
        out_str(t, name);
        out_date(t, smg_time_day((smg_time)at));
        out_str(t, no_m ? NULL : smg_member_id(org, m));
        out_str(t, no_c ? NULL : smg_customer_id(org, c));
        out_str(t, ref);
        out_money(t, no_amount ? SMG_MONEY_NONE : amount);
        out_str(t, note[0] ? note : NULL);
    }
    if (t && out_table_rows(t)) {
        out_doc_table(doc, "changes", "Changes after the fact (作废, 退单, 调岗, 转交, 关联)", t);
        out_doc_note(doc, "Each kind with its first event; `salesmgmt check` lists every cancel, "
                          "`salesmgmt attribute` what the handovers and links did.");
    }
    rc = t ? 0 : -1;
    out_table_free(t);
    return rc;
}

/* The report, in order. */
static const demo_section sections[] = {
    section_counts,
    section_event_types,
    section_changes,
    section_teams,
    section_kpis,
    section_attribution,
    section_tiers,
    section_overdue,
    section_pay,
    section_scorecard,
};

/* ---- the dataset ---- */

static int has_dataset(const char *dir)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/members.csv", dir);
    f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

int cmd_demo(int argc, char **argv)
{
    const char *format = NULL, *dir = NULL;
    int rc;
    const cli_option opts[] = {
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    demo_ctx ctx;
    out_doc doc;
    size_t i;

    if ((rc = cli_parse(argc, argv, opts, &dir, 0, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &ctx.fmt)))
        return rc;
    if (!dir) {
#ifdef SMG_DATA_DIR
        dir = SMG_DATA_DIR; /* the sample installed with the command */
#endif
        if (!dir || !has_dataset(dir)) {
            fprintf(stderr,
                    "salesmgmt demo: no sample dataset installed%s%s; pass a dataset folder: "
                    "salesmgmt demo DATASET\n",
                    dir ? " at " : "", dir ? dir : "");
            return CLI_IO;
        }
    }
    rc = cli_load(argv[0], dir, NULL, &ctx.org);
    if (rc == CLI_OK) {
        ctx.dir = dir;
        count_types(ctx.org, NULL, &ctx.last_day);
        ctx.label = dir;
        out_doc_begin(&doc, stdout, ctx.fmt);
        for (i = 0; i < sizeof sections / sizeof sections[0] && rc == CLI_OK; i++)
            if (sections[i](&ctx, &doc))
                rc = CLI_IO;
        if (out_doc_end(&doc) && rc == CLI_OK)
            rc = CLI_IO;
        smg_org_free(ctx.org);
    }
    return rc;
}
