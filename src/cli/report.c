/* salesmgmt report DATASET --period P [--html FILE]: the whole picture for
 * a manager, one document of several sections (all with full rights):
 *
 *   team_kpis        KPIs of every team and the company (the main columns)
 *   member_kpis      KPIs of every member (the main columns)
 *   targets          derived targets and team split gaps of the period
 *   attribution      the deals of the period by credit reason (count, amount)
 *   notices          collisions, releases, rejected claims and late first
 *                    follow-ups of the period
 *   tiers            customers and their sales per tier, for the 12 months
 *                    ending on the period's last day
 *   overdue_visits   per tier with a visit cadence: customers on the visit
 *                    list and how many are overdue, as of that last day
 *   pay, pay_sum     when P is a month: each member's monthly score,
 *                    completion rate, commission and total pay, and the sum
 *   scorecard        when P is a month: each member's work score, where it
 *                    came from (given, scorecard, none), the scorecard's own
 *                    score and its faults, missed deadlines and doubled
 *                    deductions
 *
 * Text: each section under its title; CSV: "# title" then the table; JSON:
 * {"period":"P","from":"…","to":"…","team_kpis":[…],…} with a key per
 * section ("pay", "pay_sum" and "scorecard" are null when P is not a
 * month). Money as strings with two decimals, rates as numbers or null.
 * Every KPI and pay line in full is in `kpi` and `pay`, every item in
 * `scorecard`.
 *
 * --html FILE also writes the sections as one self-contained HTML page
 * (inline CSS, no scripts); exit 3 when it cannot be written. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define NTIERS 4
#define MAX_SECTIONS 16

static const char *const team_keys[] = {
    "sales_amount",   "deal_count",   "gross_profit",       "target_amount",
    "completion_rate", "growth_yoy",  "growth_pop",         "close_rate",
    "new_customer_count", "lost_customer_count", "collection_rate", "expense_rate",
    NULL,
};

static const char *const member_keys[] = {
    "sales_amount", "deal_count",         "target_amount", "completion_rate",
    "close_rate",   "new_customer_count", "visit_count",   "complaint_count",
    NULL,
};

static const char *const pay_keys[] = {
    "monthly_score", "completion_rate", "commission", "total", NULL,
};

typedef struct section {
    const char *key;
    char title[256];
    out_table *t;
    int record;
} section;

typedef struct report {
    smg_org *org;
    const char *as; /* --as MEMBER, or NULL for full rights */
    const char *period;
    smg_date from, to;
    char from_text[16], to_text[16];
    section s[MAX_SECTIONS];
    size_t n;
    int oom; /* a table could not be built */
} report;

static void add(report *rp, const char *key, const char *title, out_table *t, int record)
{
    section *s;
    if (!t || rp->n >= MAX_SECTIONS) {
        out_table_free(t);
        rp->oom = 1;
        return;
    }
    s = &rp->s[rp->n++];
    s->key = key;
    snprintf(s->title, sizeof s->title, "%s", title);
    s->t = t;
    s->record = record;
}

static void day_text(smg_date d, char buf[16])
{
    if (d == SMG_DATE_NONE || smg_date_format(buf, 16, d) < 0)
        strcpy(buf, "?");
}

/* ---- KPIs ---- */

static int section_kpis(report *rp, const smg_attribution *a)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *kr = NULL;
    char title[256];
    int rc;
    smg_period_parse(&o.period, rp->period); /* cli_period() has checked it */
    /* a member who leads no team may see no team's rows */
    o.rows = !rp->as || cli_leads(rp->org, rp->as) ? SMG_ROWS_ALL : SMG_ROWS_MEMBERS;
    o.as_member = rp->as;
    o.attribution = a;
    if ((rc = smg_kpi_compute(&kr, rp->org, &o)))
        return rc;
    snprintf(title, sizeof title, "Team KPIs (团队考核指标), %s to %s", rp->from_text,
             rp->to_text);
    add(rp, "team_kpis", title,
        cli_kpi_table(rp->org, kr, 1u << SMG_SUBJECT_TEAM | 1u << SMG_SUBJECT_COMPANY,
                      NULL, NULL, team_keys),
        0);
    snprintf(title, sizeof title, "Member KPIs (个人考核指标), %s to %s", rp->from_text,
             rp->to_text);
    add(rp, "member_kpis", title,
        cli_kpi_table(rp->org, kr, 1u << SMG_SUBJECT_MEMBER, NULL, NULL, member_keys), 0);
    smg_kpi_report_free(kr);
    return 0;
}

/* ---- targets and split gaps ---- */

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

/* The company's and the teams' rows (the members' have no split gap). */
static int section_targets(report *rp)
{
    smg_targets_options opts = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *r = NULL;
    out_table *t;
    char title[256], subject[96];
    size_t i, n;
    int rc;
    opts.as_member = rp->as;
    if ((rc = smg_period_parse(&opts.period, rp->period)) ||
        (rc = smg_targets_compute(&r, rp->org, &opts)))
        return rc;
    t = out_table_new();
    out_table_col(t, "subject", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "metric", OUT_LEFT);
    out_table_col(t, "target", OUT_RIGHT);
    out_table_col(t, "children_sum", OUT_RIGHT);
    out_table_col(t, "gap", OUT_RIGHT);
    n = smg_targets_count(r);
    for (i = 0; i < n; i++) {
        smg_subject s;
        int64_t metric = 0;
        int money;
        if (smg_targets_subject(r, i, &s) || s.kind == SMG_SUBJECT_MEMBER ||
            smg_targets_int(r, i, SMG_TARGETS_METRIC, &metric, NULL))
            continue;
        money = smg_metric_is_money((smg_metric)metric);
        out_table_row(t);
        if (s.kind == SMG_SUBJECT_COMPANY) {
            out_str(t, "company");
            out_null(t);
        } else {
            const char *id = smg_team_id(rp->org, s.index);
            snprintf(subject, sizeof subject, "team:%s", id ? id : "?");
            out_str(t, subject);
            out_str(t, smg_team_name(rp->org, s.index));
        }
        out_str(t, smg_metric_name((smg_metric)metric));
        target_value(t, r, i, SMG_TARGETS_TARGET, money);
        target_value(t, r, i, SMG_TARGETS_CHILDREN_SUM, money);
        target_value(t, r, i, SMG_TARGETS_GAP, money);
    }
    smg_targets_free(r);
    snprintf(title, sizeof title, "Targets and team split gaps (目标与分解差额), %s", rp->period);
    add(rp, "targets", title, t, 0);
    return 0;
}

/* ---- attribution of the period's deals, and its notices ---- */

static int in_period(const report *rp, int64_t day)
{
    return day != SMG_DATE_NONE && day >= rp->from && day <= rp->to;
}

static int section_attribution(report *rp, const smg_attribution *a)
{
    long long deals[SMG_REASON_COMPANY + 1] = { 0 };
    smg_money amounts[SMG_REASON_COMPANY + 1] = { 0 };
    long long kinds[SMG_NOTICE_KIND_DUPLICATE + 1] = { 0 };
    size_t i, k, n = smg_attribution_deal_count(a);
    char title[256];
    out_table *t;

    for (i = 0; i < n; i++) {
        int64_t r = 0, day = 0, amount = 0;
        int no_amount = 1, no_day = 1;
        smg_attribution_deal_int(a, i, SMG_DEAL_REASON, &r, NULL);
        smg_attribution_deal_int(a, i, SMG_DEAL_DAY, &day, &no_day);
        if (r < SMG_REASON_UNPROTECTED || r > SMG_REASON_COMPANY || no_day ||
            !in_period(rp, day))
            continue;
        deals[r]++;
        smg_attribution_deal_int(a, i, SMG_DEAL_AMOUNT, &amount, &no_amount);
        amounts[r] = cli_money_add(amounts[r], no_amount ? SMG_MONEY_NONE : amount);
    }
    n = smg_attribution_notice_count(a);
    for (i = 0; i < n; i++) {
        int64_t kind = 0, day = 0;
        int no_day = 1;
        smg_attribution_notice_int(a, i, SMG_NOTICE_KIND, &kind, NULL);
        smg_attribution_notice_int(a, i, SMG_NOTICE_DAY, &day, &no_day);
        if (no_day || !in_period(rp, day))
            continue;
        if (kind >= SMG_NOTICE_KIND_COLLISION && kind <= SMG_NOTICE_KIND_DUPLICATE)
            kinds[kind]++;
    }

    t = out_table_new();
    out_table_col(t, "reason", OUT_LEFT);
    out_table_col(t, "deals", OUT_RIGHT);
    out_table_col(t, "amount", OUT_RIGHT);
    for (k = SMG_REASON_UNPROTECTED; k <= SMG_REASON_COMPANY; k++) {
        out_table_row(t);
        out_str(t, smg_reason_name((smg_reason)k));
        out_int(t, deals[k]);
        out_money(t, amounts[k]);
    }
    snprintf(title, sizeof title, "Attribution (业绩归属): the deals of %s by credit reason",
             rp->period);
    add(rp, "attribution", title, t, 0);

    t = out_table_new();
    cli_notice_cols(t, 0);
    out_table_row(t);
    cli_notice_cells(t, kinds, 0);
    snprintf(title, sizeof title,
             "Collisions (撞车), releases (放弃处理), rejected claims and late follow-ups in %s",
             rp->period);
    add(rp, "notices", title, t, 1);
    return 0;
}

/* ---- tiers and overdue visits, as of the period's last day ---- */

static int section_tiers(report *rp, const smg_attribution *a)
{
    smg_tiers_options opts = SMG_TIERS_OPTIONS_INIT;
    smg_money sums[NTIERS] = { 0 };
    long long counts[NTIERS] = { 0 };
    smg_period window = { SMG_PERIOD_RANGE, SMG_DATE_NONE, SMG_DATE_NONE };
    smg_tiers *tiers = NULL;
    char title[256], f[16], tt[16];
    out_table *t;
    size_t i, n;
    int rc;
    opts.as_member = rp->as;
    opts.attribution = a;
    if ((rc = smg_tiers_window_as_of(&opts.window, rp->to)) ||
        (rc = smg_tiers_compute(&tiers, rp->org, &opts)))
        return rc;
    smg_tiers_window(tiers, &window);
    n = smg_tiers_count(tiers);
    for (i = 0; i < n; i++) {
        int64_t tier = -1, sales = SMG_MONEY_NONE;
        smg_tiers_int(tiers, i, SMG_TIERS_TIER, &tier, NULL);
        smg_tiers_int(tiers, i, SMG_TIERS_SALES, &sales, NULL);
        if (tier < 0 || tier >= NTIERS)
            continue;
        counts[tier]++;
        sums[tier] = cli_money_add(sums[tier], sales);
    }
    smg_tiers_free(tiers);
    t = out_table_new();
    out_table_col(t, "tier", OUT_LEFT);
    out_table_col(t, "label", OUT_LEFT);
    out_table_col(t, "customers", OUT_RIGHT);
    out_table_col(t, "annual_sales", OUT_RIGHT);
    for (i = 0; i < NTIERS; i++) {
        out_table_row(t);
        out_str(t, smg_tier_name((smg_tier)i, "en"));
        out_str(t, smg_tier_name((smg_tier)i, "zh"));
        out_int(t, counts[i]);
        out_money(t, sums[i]);
    }
    day_text(window.from, f);
    day_text(window.to, tt);
    snprintf(title, sizeof title, "Customer tiers (客户分级), sales from %s to %s", f, tt);
    add(rp, "tiers", title, t, 0);
    return 0;
}

/* Whether the policy gives tier @p tier a visit cadence (visit.*_months > 0). */
static int has_cadence(const smg_org *org, smg_tier tier)
{
    static const char *const names[NTIERS] = { "visit.vip_months", "visit.tier1_months",
                                               "visit.tier2_months", "visit.other_months" };
    char buf[32];
    return smg_policy_get(org, names[tier], buf, sizeof buf) > 0 && strcmp(buf, "0") != 0;
}

/* The counts per tier need no responsible member: the report's
 * attribution serves (no replay of its own). */
static int section_visits(report *rp, const smg_attribution *a)
{
    smg_visits_options opts = SMG_VISITS_OPTIONS_INIT;
    long long rows[NTIERS] = { 0 }, overdue[NTIERS] = { 0 };
    smg_visits *v = NULL;
    char title[256];
    out_table *t;
    size_t i, n;
    int rc;
    opts.as_of = rp->to;
    opts.as_member = rp->as;
    opts.attribution = a;
    if ((rc = smg_visits_compute(&v, rp->org, &opts)))
        return rc;
    n = smg_visits_count(v);
    for (i = 0; i < n; i++) {
        int64_t tier = -1, late = 0;
        smg_visits_int(v, i, SMG_VISITS_TIER, &tier, NULL);
        smg_visits_int(v, i, SMG_VISITS_OVERDUE, &late, NULL);
        if (tier < 0 || tier >= NTIERS)
            continue;
        rows[tier]++;
        overdue[tier] += late == 1;
    }
    smg_visits_free(v);
    t = out_table_new();
    out_table_col(t, "tier", OUT_LEFT);
    out_table_col(t, "customers", OUT_RIGHT);
    out_table_col(t, "overdue", OUT_RIGHT);
    for (i = 0; i < NTIERS; i++) {
        if (!rows[i] && !has_cadence(rp->org, (smg_tier)i))
            continue;
        out_table_row(t);
        out_str(t, smg_tier_name((smg_tier)i, "en"));
        out_int(t, rows[i]);
        out_int(t, overdue[i]);
    }
    snprintf(title, sizeof title, "Visits (拜访) as of %s: customers due per tier, and overdue",
             rp->to_text);
    add(rp, "overdue_visits", title, t, 0);
    return 0;
}

/* ---- pay, when the period is a month ---- */

/* The month "YYYY-MM" the period is, into @p buf, or 0 when it is not one
 * (a FROM..TO range covering exactly one calendar month counts). */
static int period_month(const report *rp, char buf[8])
{
    int y1, m1, d1, y2, m2, d2;
    if (smg_date_split(rp->from, &y1, &m1, &d1) || smg_date_split(rp->to, &y2, &m2, &d2) ||
        y1 != y2 || m1 != m2 || d1 != 1 || d2 != smg_days_in_month(y2, m2) || y1 < 1 ||
        y1 > 9999)
        return 0;
    snprintf(buf, 8, "%04d-%02d", y1, m1);
    return 1;
}

static int section_pay(report *rp, const smg_attribution *a, const char *month)
{
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *pr = NULL;
    smg_money total = 0;
    long long paid = 0;
    char title[256];
    out_table *t;
    size_t i, n;
    int rc;
    smg_period_parse(&o.month, month); /* "YYYY-MM" (period_month()) */
    o.as_member = rp->as;
    o.attribution = a;
    if ((rc = smg_pay_compute(&pr, rp->org, &o)))
        return rc;
    n = smg_pay_count(pr);
    for (i = 0; i < n; i++) {
        int64_t m = 0;
        int is_null = 1;
        if (smg_pay_int(pr, i, SMG_PAY_TOTAL, &m, &is_null) || is_null)
            continue;
        paid++;
        total = cli_money_add(total, m);
    }
    snprintf(title, sizeof title, "Pay (薪酬) for %s", month);
    add(rp, "pay", title, cli_pay_table(rp->org, pr, NULL, NULL, 1, pay_keys), 0);
    smg_pay_report_free(pr);
    t = out_table_new();
    out_table_col(t, "month", OUT_LEFT);
    out_table_col(t, "members", OUT_RIGHT);
    out_table_col(t, "paid_members", OUT_RIGHT);
    out_table_col(t, "total", OUT_RIGHT);
    out_table_row(t);
    out_str(t, month);
    out_int(t, (long long)n);
    out_int(t, paid);
    out_money(t, total);
    snprintf(title, sizeof title, "Pay for %s in total", month);
    add(rp, "pay_sum", title, t, 1);
    return 0;
}

static int section_scorecard(report *rp, const char *month)
{
    smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *r = NULL;
    char title[256];
    int rc;
    smg_period_parse(&o.month, month); /* "YYYY-MM" (period_month()) */
    o.as_member = rp->as;
    if ((rc = smg_scorecard_compute(&r, rp->org, &o)))
        return rc;
    snprintf(title, sizeof title, "Scorecard (考核表) for %s: work scores and their source",
             month);
    add(rp, "scorecard", title, cli_scorecard_table(rp->org, r, NULL, NULL, 1), 0);
    smg_scorecard_free(r);
    return 0;
}

/* ---- output ---- */

static int write_html(const report *rp, const char *path, const char *dir)
{
    char title[128], sub[512];
    size_t i;
    int rc = 0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "salesmgmt report: cannot write %s: %s\n", path, strerror(errno));
        return CLI_IO;
    }
    snprintf(title, sizeof title, "Sales report (销售报告) %s", rp->period);
    snprintf(sub, sizeof sub, "Period %s to %s. Dataset %s. Made by salesmgmt %s.", rp->from_text,
             rp->to_text, dir, smg_version_string());
    out_html_begin(f, title, sub);
    for (i = 0; i < rp->n; i++)
        if ((rp->s[i].record ? out_html_record : out_html_table)(f, rp->s[i].key,
                                                                  rp->s[i].title, rp->s[i].t))
            rc = -1;
    if (out_html_end(f))
        rc = -1;
    if (fclose(f))
        rc = -1;
    if (rc) {
        fprintf(stderr, "salesmgmt report: error writing %s\n", path);
        return CLI_IO;
    }
    return CLI_OK;
}

int cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *html = NULL,
               *as = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "html", &html, NULL }, { "policy", &policy, NULL },
        { "format", &format, NULL }, { "as", &as, NULL },     { NULL, NULL, NULL },
    };
    smg_attribution_options aopts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    char month[8];
    int is_month, rc;
    out_format fmt;
    out_doc doc;
    report rp;
    size_t i;

    memset(&rp, 0, sizeof rp);
    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &rp.from, &rp.to)))
        return rc;
    if (html && !*html)
        return cli_usage_error(argv[0], "--html needs a file name");
    if ((rc = cli_load(argv[0], dir, policy, &rp.org)))
        return rc;
    if (as && (rc = cli_member(argv[0], rp.org, "as", as, NULL)))
        return rc;
    rp.as = as;
    aopts.as_member = as;
    rp.period = period;
    day_text(rp.from, rp.from_text);
    day_text(rp.to, rp.to_text);
    is_month = period_month(&rp, month);

    if ((rc = smg_attribution_compute(&a, rp.org, &aopts)) || (rc = section_kpis(&rp, a)) ||
        (rc = section_targets(&rp)) || (rc = section_attribution(&rp, a)) ||
        (rc = section_tiers(&rp, a)) || (rc = section_visits(&rp, a)) ||
        (is_month && (rc = section_pay(&rp, a, month))) ||
        (is_month && (rc = section_scorecard(&rp, month)))) {
        fprintf(stderr, "salesmgmt report: %s\n", smg_org_errmsg(rp.org));
        rc = cli_status(rc);
        goto done;
    }
    if (rp.oom) {
        fprintf(stderr, "salesmgmt report: out of memory\n");
        rc = CLI_DATA;
        goto done;
    }
    if (html && (rc = write_html(&rp, html, dir)))
        goto done;

    out_doc_begin(&doc, stdout, fmt);
    if (fmt == OUT_JSON) {
        out_json_key(&doc.json, "period");
        out_json_str(&doc.json, period);
        out_json_key(&doc.json, "from");
        out_json_str(&doc.json, rp.from_text);
        out_json_key(&doc.json, "to");
        out_json_str(&doc.json, rp.to_text);
    }
    for (i = 0; i < rp.n; i++)
        (rp.s[i].record ? out_doc_record : out_doc_table)(&doc, rp.s[i].key, rp.s[i].title,
                                                          rp.s[i].t);
    if (fmt == OUT_JSON && !is_month) {
        out_json_key(&doc.json, "pay");
        out_json_null(&doc.json);
        out_json_key(&doc.json, "pay_sum");
        out_json_null(&doc.json);
        out_json_key(&doc.json, "scorecard");
        out_json_null(&doc.json);
    }
    rc = out_doc_end(&doc) ? CLI_IO : CLI_OK;
done:
    for (i = 0; i < rp.n; i++)
        out_table_free(rp.s[i].t);
    smg_attribution_free(a);
    smg_org_free(rp.org);
    return rc;
}
