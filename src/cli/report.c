/* salesmgmt report DATASET --period P [--html FILE] [--lang zh|en]: the
 * whole picture for a manager, one document of several sections:
 *
 *   team_kpis        KPIs of every team and the company (the main columns);
 *                    where the company's totals differ from its top teams',
 *                    a "company (not credited to a member)" line: the deals
 *                    a manager credited to the company (reason `company`),
 *                    which count for the company and for no team
 *   member_kpis      KPIs of every member (the main columns)
 *   targets          derived targets and team split gaps of the period
 *   attribution      the deals of the period by credit reason (count, amount)
 *   notices          collisions, releases, rejected claims and late first
 *                    follow-ups of the period
 *   tiers            customers and their sales per tier, for the 12 months
 *                    ending on the period's last day
 *   overdue_visits   per tier with a visit cadence: customers on the visit
 *                    list and how many are overdue, as of that last day
 *   pay, pay_sum     pay is monthly: when P is a month, each member's
 *                    monthly score, completion rate, commission and total
 *                    pay, and the sum; for any other period the same for
 *                    every month the period touches (a leading `month`
 *                    column), and the sum of each month (and, in text, CSV
 *                    and HTML, of all of them)
 *
 * Text: each section under its title. CSV: ONE table, a leading `section`
 * column (the section's key) and the union of the sections' columns (a
 * column of the same name is shared; cells a section does not have are
 * empty). JSON: {"period":"P","from":"…","to":"…","team_kpis":[…],
 * "company_not_credited":{"sales_amount":"…","deal_count":N,
 * "gross_profit":"…"}|null,…} with a key per section (null for the
 * company line when the company row is not visible, i.e. with --as); for a
 * month, "pay" holds the member rows and "pay_sum" one object, for other
 * periods "pay" the rows with "month" and "pay_sum" one object per month.
 * Money as strings with two decimals, rates as numbers or null. Every KPI
 * and pay line in full is in `kpi` and `pay`.
 *
 * --html FILE also writes one self-contained HTML page (html.h): charts in
 * inline SVG (attainment bars per team and member, credits by reason,
 * collisions and releases, the tier pyramid, overdue visits), humanised
 * headers (zh/en label table in html.c), thousands separators,
 * a glossary of the KPIs, Chinese by default (--lang en for English) and
 * print styles for A4 landscape. It is written atomically; exit 3 when it
 * cannot be written (the previous file is then left as it was). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html.h"

#define NTIERS 4
#define MAX_SECTIONS 16
#define ALL_ROWS ((size_t)-1)

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

/* The subject of the team table's company line (DATASET.md: the same words
 * in `kpi` and `targets`). */
#define COMPANY_LINE "company (not credited to a member)"

typedef struct section {
    const char *key;
    char title[256];
    rt_table *rt;        /* the typed table; NULL for a section given as an out_table */
    out_table *t;        /* a section given as an out_table (rt NULL) */
    int record;          /* the first row as one object */
    size_t data_rows;    /* rows of rt in JSON; the rest are sums */
    int text_sums;       /* the sums are shown in text and CSV too (else in HTML only) */
} section;

typedef struct report {
    smg_org *org;
    const char *as; /* --as MEMBER, or NULL for full rights */
    const char *period;
    const char *dir;
    smg_date from, to;
    char from_text[16], to_text[16];
    section s[MAX_SECTIONS];
    size_t n;
    int oom; /* a table could not be built */
    int is_month;
    /* the company line: visible (full rights), and its figures */
    int company_visible, company_differs;
    long long company_deals;
    smg_money company_sales, company_profit, company_refunds;
    /* months of the pay sections */
    char months[2][8]; /* the first and the last */
    size_t nmonths;
} report;

static section *add_rt(report *rp, const char *key, const char *title, rt_table *t, int record)
{
    section *s;
    if (!t || t->err || rp->n >= MAX_SECTIONS) {
        rt_free(t);
        rp->oom = 1;
        return NULL;
    }
    s = &rp->s[rp->n++];
    memset(s, 0, sizeof *s);
    s->key = key;
    snprintf(s->title, sizeof s->title, "%s", title);
    s->rt = t;
    s->record = record;
    s->data_rows = ALL_ROWS;
    return s;
}

/* A section made as an out_table (text and JSON as given; CSV and HTML
 * read it back as text). */
static void add(report *rp, const char *key, const char *title, out_table *t, int record)
{
    section *s;
    if (!t || rp->n >= MAX_SECTIONS) {
        out_table_free(t);
        rp->oom = 1;
        return;
    }
    s = &rp->s[rp->n++];
    memset(s, 0, sizeof *s);
    s->key = key;
    snprintf(s->title, sizeof s->title, "%s", title);
    s->t = t;
    s->record = record;
    s->data_rows = ALL_ROWS;
}

static void day_text(smg_date d, char buf[16])
{
    if (d == SMG_DATE_NONE || smg_date_format(buf, 16, d) < 0)
        strcpy(buf, "?");
}

/* ---- KPIs ---- */

/* A KPI cell by the field's type: money, a count, or a rate. */
static void kpi_cell(rt_table *t, const smg_kpi_report *r, size_t row, smg_kpi_field k)
{
    int is_null = 1;
    if (smg_kpi_field_type(k) == SMG_TYPE_DOUBLE) {
        double v = 0;
        if (smg_kpi_double(r, row, k, &v, &is_null) || is_null)
            rt_null(t);
        else
            rt_rate(t, v, 0);
    } else {
        int64_t v = 0;
        if (smg_kpi_int(r, row, k, &v, &is_null) || is_null)
            rt_null(t);
        else if (smg_kpi_field_type(k) == SMG_TYPE_MONEY)
            rt_money(t, v);
        else
            rt_int(t, (long long)v);
    }
}

/* The rows of @p r whose subject kind is in @p kinds: subject, name, then
 * the KPIs named in @p keys (as cli_kpi_table()). */
static rt_table *kpi_table(const smg_org *org, const smg_kpi_report *r, unsigned kinds,
                           const char *const *keys)
{
    smg_kpi_field cols[32];
    size_t ncols = 0, i, c, n = smg_kpi_count(r);
    char subject[96];
    rt_table *t = rt_new();
    if (!t)
        return NULL;
    for (i = 0; keys[i] && ncols < sizeof cols / sizeof cols[0]; i++)
        if (smg_kpi_field_parse(&cols[ncols], keys[i]) == 0)
            ncols++;
    rt_col_add(t, "subject", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "name", OUT_LEFT, 0);
    for (c = 0; c < ncols; c++)
        rt_col_add(t, smg_kpi_field_name(cols[c]), OUT_RIGHT, 0);
    for (i = 0; i < n; i++) {
        smg_subject s;
        const char *id, *name = NULL;
        if (smg_kpi_subject(r, i, &s)) {
            t->err = 1;
            break;
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
        rt_row(t);
        rt_str(t, subject);
        rt_str(t, name);
        for (c = 0; c < ncols; c++)
            kpi_cell(t, r, i, cols[c]);
    }
    return t;
}

static int section_kpis(report *rp, const smg_attribution *a)
{
    smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *kr = NULL;
    char title[256];
    rt_table *t;
    section *s;
    const char *keys[sizeof team_keys / sizeof *team_keys + 1];
    size_t i, n;
    int rc, refunds;
    smg_period_parse(&o.period, rp->period); /* cli_period() has checked it */
    /* a member who leads no team may see no team's rows */
    o.rows = !rp->as || cli_leads(rp->org, rp->as) ? SMG_ROWS_ALL : SMG_ROWS_MEMBERS;
    o.as_member = rp->as;
    o.attribution = a;
    if ((rc = smg_kpi_compute(&kr, rp->org, &o)))
        return rc;
    n = smg_kpi_count(kr);
    for (i = 0; i < n; i++) {
        smg_subject sub;
        if (!smg_kpi_subject(kr, i, &sub) && sub.kind == SMG_SUBJECT_COMPANY)
            rp->company_visible = 1;
    }
    if (rp->company_visible) {
        /* the company less its top teams (cli_kpi_reconcile, as kpi --by
         * team): the deals a manager credited to the company */
        cli_reconcile rec;
        cli_kpi_reconcile(rp->org, kr, &rec);
        rp->company_sales = rec.uncredited[0];
        rp->company_deals = rec.uncredited[1];
        rp->company_profit = rec.uncredited[2];
        rp->company_refunds = rec.uncredited[4];
        rp->company_differs = rec.has_uncredited;
    }
    snprintf(title, sizeof title, "Team KPIs (团队考核指标), %s to %s", rp->from_text,
             rp->to_text);
    refunds = cli_kpi_has_refunds(kr);
    t = kpi_table(rp->org, kr, 1u << SMG_SUBJECT_TEAM | 1u << SMG_SUBJECT_COMPANY,
                  cli_kpi_keys(keys, sizeof keys / sizeof *keys, team_keys, refunds));
    if (t && rp->company_differs) {
        size_t rows = t->nrows, c;
        rt_emphasis(t);
        rt_row(t);
        rt_label(t, COMPANY_LINE);
        rt_null(t);
        for (c = 2; c < t->ncols; c++) {
            const char *k = t->cols[c].key;
            if (strcmp(k, "sales_amount") == 0)
                rt_money(t, rp->company_sales);
            else if (strcmp(k, "deal_count") == 0)
                rt_int(t, rp->company_deals);
            else if (strcmp(k, "gross_profit") == 0)
                rt_money(t, rp->company_profit);
            else if (strcmp(k, "refund_amount") == 0)
                rt_money(t, rp->company_refunds);
            else
                rt_null(t);
        }
        if ((s = add_rt(rp, "team_kpis", title, t, 0)) != NULL) {
            s->data_rows = rows;
            s->text_sums = 1;
        }
    } else {
        add_rt(rp, "team_kpis", title, t, 0);
    }
    snprintf(title, sizeof title, "Member KPIs (个人考核指标), %s to %s", rp->from_text,
             rp->to_text);
    add_rt(rp, "member_kpis", title,
           kpi_table(rp->org, kr, 1u << SMG_SUBJECT_MEMBER,
                     cli_kpi_keys(keys, sizeof keys / sizeof *keys, member_keys, refunds)),
           0);
    smg_kpi_report_free(kr);
    return 0;
}

/* ---- targets and split gaps ---- */

static void target_value(rt_table *t, const smg_targets *r, size_t row,
                         smg_targets_field field, int is_money)
{
    int64_t v = 0;
    int is_null = 1;
    if (smg_targets_int(r, row, field, &v, &is_null) || is_null)
        rt_null(t);
    else if (is_money)
        rt_money(t, v);
    else
        rt_int(t, (long long)v);
}

/* The company's and the teams' rows (the members' have no split gap). */
static int section_targets(report *rp)
{
    smg_targets_options opts = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *r = NULL;
    rt_table *t;
    char title[256], subject[96];
    size_t i, n;
    int rc;
    opts.as_member = rp->as;
    if ((rc = smg_period_parse(&opts.period, rp->period)) ||
        (rc = smg_targets_compute(&r, rp->org, &opts)))
        return rc;
    t = rt_new();
    rt_col_add(t, "subject", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "name", OUT_LEFT, 0);
    rt_col_add(t, "metric", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "target", OUT_RIGHT, 0);
    rt_col_add(t, "children_sum", OUT_RIGHT, 0);
    rt_col_add(t, "gap", OUT_RIGHT, 0);
    n = smg_targets_count(r);
    for (i = 0; i < n; i++) {
        smg_subject s;
        int64_t metric = 0;
        int money;
        if (smg_targets_subject(r, i, &s) || s.kind == SMG_SUBJECT_MEMBER ||
            smg_targets_int(r, i, SMG_TARGETS_METRIC, &metric, NULL))
            continue;
        money = smg_metric_is_money((smg_metric)metric);
        rt_row(t);
        if (s.kind == SMG_SUBJECT_COMPANY) {
            rt_str(t, "company");
            rt_null(t);
        } else {
            const char *id = smg_team_id(rp->org, s.index);
            snprintf(subject, sizeof subject, "team:%s", id ? id : "?");
            rt_str(t, subject);
            rt_str(t, smg_team_name(rp->org, s.index));
        }
        rt_str(t, smg_metric_name((smg_metric)metric));
        target_value(t, r, i, SMG_TARGETS_TARGET, money);
        target_value(t, r, i, SMG_TARGETS_CHILDREN_SUM, money);
        target_value(t, r, i, SMG_TARGETS_GAP, money);
    }
    smg_targets_free(r);
    snprintf(title, sizeof title, "Targets and team split gaps (目标与分解差额), %s", rp->period);
    add_rt(rp, "targets", title, t, 0);
    return 0;
}

/* ---- attribution of the period's deals, and its notices ---- */

static int in_period(const report *rp, int64_t day)
{
    return day != SMG_DATE_NONE && day >= rp->from && day <= rp->to;
}

static const char *const notice_keys[SMG_NOTICE_KIND_LATE_FOLLOWUP + 1] = {
    NULL, "collisions", "releases", "claims_late", "claims_invalid", "late_followups",
};

static int section_attribution(report *rp, const smg_attribution *a)
{
    long long deals[SMG_REASON_COMPANY + 1] = { 0 };
    smg_money amounts[SMG_REASON_COMPANY + 1] = { 0 };
    long long kinds[SMG_NOTICE_KIND_DUPLICATE + 1] = { 0 };
    size_t i, k, n = smg_attribution_deal_count(a);
    char title[256];
    rt_table *t;

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

    t = rt_new();
    rt_col_add(t, "reason", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "deals", OUT_RIGHT, 0);
    rt_col_add(t, "amount", OUT_RIGHT, 0);
    for (k = SMG_REASON_UNPROTECTED; k <= SMG_REASON_COMPANY; k++) {
        rt_row(t);
        rt_str(t, smg_reason_name((smg_reason)k));
        rt_int(t, deals[k]);
        rt_money(t, amounts[k]);
    }
    snprintf(title, sizeof title, "Attribution (业绩归属): the deals of %s by credit reason",
             rp->period);
    add_rt(rp, "attribution", title, t, 0);

    t = rt_new();
    for (k = SMG_NOTICE_KIND_COLLISION; k <= SMG_NOTICE_KIND_LATE_FOLLOWUP; k++)
        rt_col_add(t, notice_keys[k], OUT_RIGHT, 0);
    rt_row(t);
    for (k = SMG_NOTICE_KIND_COLLISION; k <= SMG_NOTICE_KIND_LATE_FOLLOWUP; k++)
        rt_int(t, kinds[k]);
    snprintf(title, sizeof title,
             "Collisions (撞车), releases (放弃处理), rejected claims and late follow-ups in %s",
             rp->period);
    add_rt(rp, "notices", title, t, 1);
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
    rt_table *t;
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
    t = rt_new();
    rt_col_add(t, "tier", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "label", OUT_LEFT, 0);
    rt_col_add(t, "customers", OUT_RIGHT, 0);
    rt_col_add(t, "annual_sales", OUT_RIGHT, 0);
    for (i = 0; i < NTIERS; i++) {
        rt_row(t);
        rt_str(t, smg_tier_name((smg_tier)i, "en"));
        rt_str(t, smg_tier_name((smg_tier)i, "zh"));
        rt_int(t, counts[i]);
        rt_money(t, sums[i]);
    }
    day_text(window.from, f);
    day_text(window.to, tt);
    snprintf(title, sizeof title, "Customer tiers (客户分级), sales from %s to %s", f, tt);
    add_rt(rp, "tiers", title, t, 0);
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
    rt_table *t;
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
    t = rt_new();
    rt_col_add(t, "tier", OUT_LEFT, RT_LABEL);
    rt_col_add(t, "customers", OUT_RIGHT, 0);
    rt_col_add(t, "overdue", OUT_RIGHT, 0);
    for (i = 0; i < NTIERS; i++) {
        if (!rows[i] && !has_cadence(rp->org, (smg_tier)i))
            continue;
        rt_row(t);
        rt_str(t, smg_tier_name((smg_tier)i, "en"));
        rt_int(t, rows[i]);
        rt_int(t, overdue[i]);
    }
    snprintf(title, sizeof title, "Visits (拜访) as of %s: customers due per tier, and overdue",
             rp->to_text);
    add_rt(rp, "overdue_visits", title, t, 0);
    return 0;
}

/* ---- pay: monthly ---- */

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

/* A pay cell as cli_pay_table() shows it: a score with two decimals (from
 * its exact hundredths), a rate, money, a count. */
static void pay_cell(rt_table *t, const smg_pay_report *r, size_t row, const char *name)
{
    char x100[64];
    smg_pay_field f, h;
    smg_type type;
    size_t n = strlen(name);
    int is_null = 1;
    if (pay_field_parse(name, &f)) {
        rt_null(t);
        return;
    }
    type = smg_pay_field_type(f);
    snprintf(x100, sizeof x100, "%s_x100", name);
    if (type == SMG_TYPE_DOUBLE && pay_field_parse(x100, &h) == 0) {
        int64_t v = 0;
        if (smg_pay_int(r, row, h, &v, &is_null) || is_null)
            rt_null(t);
        else
            rt_num(t, (double)v / 100.0, 2);
    } else if (type == SMG_TYPE_DOUBLE) {
        double v = 0;
        if (smg_pay_double(r, row, f, &v, &is_null) || is_null)
            rt_null(t);
        else if (n > 5 && strcmp(name + n - 5, "_rate") == 0)
            rt_rate(t, v, 0);
        else
            rt_num(t, v, 2);
    } else {
        int64_t v = 0;
        if (smg_pay_int(r, row, f, &v, &is_null) || is_null)
            rt_null(t);
        else if (type == SMG_TYPE_MONEY)
            rt_money(t, v);
        else
            rt_int(t, (long long)v);
    }
}

/* Add the rows of month @p month to @p pay (with a leading month cell when
 * @p lead) and its sum to @p sum; the sums over every month into @p total. */
static int pay_month(report *rp, const smg_attribution *a, const char *month, int lead,
                     rt_table *pay, rt_table *sum, smg_money total[2], long long counts[2])
{
    smg_pay_options o = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *pr = NULL;
    smg_money paid_total = 0, commission = 0;
    long long paid = 0;
    size_t i, k, n;
    int rc;
    if ((rc = smg_period_parse(&o.month, month)))
        return rc;
    o.as_member = rp->as;
    o.attribution = a;
    if ((rc = smg_pay_compute(&pr, rp->org, &o)))
        return rc;
    n = smg_pay_count(pr);
    for (i = 0; i < n; i++) {
        size_t m = 0;
        int64_t v = 0;
        int is_null = 1, c_null = 1;
        int ok = !smg_pay_index(pr, i, SMG_PAY_MEMBER, &m, NULL);
        rt_row(pay);
        if (lead)
            rt_str(pay, month);
        rt_str(pay, ok ? smg_member_id(rp->org, m) : NULL);
        rt_str(pay, ok ? smg_member_name(rp->org, m) : NULL);
        for (k = 0; pay_keys[k]; k++)
            pay_cell(pay, pr, i, pay_keys[k]);
        if (!smg_pay_int(pr, i, SMG_PAY_COMMISSION, &v, &c_null) && !c_null)
            commission = cli_money_add(commission, v);
        if (smg_pay_int(pr, i, SMG_PAY_TOTAL, &v, &is_null) || is_null)
            continue;
        paid++;
        paid_total = cli_money_add(paid_total, v);
    }
    smg_pay_report_free(pr);
    rt_row(sum);
    rt_str(sum, month);
    rt_int(sum, (long long)n);
    rt_int(sum, paid);
    rt_money(sum, paid_total);
    total[0] = cli_money_add(total[0], commission);
    total[1] = cli_money_add(total[1], paid_total);
    counts[0] += (long long)n;
    counts[1] += paid;
    return 0;
}

/* The pay columns: [month,] member, name, then pay_keys. */
static rt_table *pay_table(int lead)
{
    rt_table *t = rt_new();
    size_t k;
    if (lead)
        rt_col_add(t, "month", OUT_LEFT, 0);
    rt_col_add(t, "member", OUT_LEFT, 0);
    rt_col_add(t, "name", OUT_LEFT, 0);
    for (k = 0; pay_keys[k]; k++)
        rt_col_add(t, pay_keys[k], OUT_RIGHT, 0);
    return t;
}

static rt_table *pay_sum_table(void)
{
    rt_table *t = rt_new();
    rt_col_add(t, "month", OUT_LEFT, 0);
    rt_col_add(t, "members", OUT_RIGHT, 0);
    rt_col_add(t, "paid_members", OUT_RIGHT, 0);
    rt_col_add(t, "total", OUT_RIGHT, 0);
    return t;
}

/* A total row of the pay table: commission and total summed. */
static void pay_total_row(rt_table *pay, int lead, const smg_money total[2])
{
    size_t k;
    rt_emphasis(pay);
    rt_row(pay);
    if (lead)
        rt_null(pay);
    rt_label(pay, "total");
    rt_null(pay);
    for (k = 0; pay_keys[k]; k++)
        if (strcmp(pay_keys[k], "commission") == 0)
            rt_money(pay, total[0]);
        else if (strcmp(pay_keys[k], "total") == 0)
            rt_money(pay, total[1]);
        else
            rt_null(pay);
}

static int section_pay(report *rp, const smg_attribution *a)
{
    smg_money total[2] = { 0, 0 };
    long long counts[2] = { 0, 0 };
    char title[256], month[8];
    rt_table *pay, *sum;
    section *s;
    size_t rows;
    int y, m, y2, m2, d, rc = 0;

    if (rp->is_month) {
        period_month(rp, month);
        pay = pay_table(0);
        sum = pay_sum_table();
        if ((rc = pay_month(rp, a, month, 0, pay, sum, total, counts))) {
            rt_free(pay);
            rt_free(sum);
            return rc;
        }
        rows = pay->nrows;
        pay_total_row(pay, 0, total);
        snprintf(title, sizeof title, "Pay (薪酬) for %s", month);
        if ((s = add_rt(rp, "pay", title, pay, 0)) != NULL)
            s->data_rows = rows; /* the total row: on the page only */
        snprintf(title, sizeof title, "Pay for %s in total", month);
        add_rt(rp, "pay_sum", title, sum, 1);
        snprintf(rp->months[0], 8, "%s", month);
        snprintf(rp->months[1], 8, "%s", month);
        rp->nmonths = 1;
        return 0;
    }
    /* pay is monthly: every month the period touches */
    if (smg_date_split(rp->from, &y, &m, &d) || smg_date_split(rp->to, &y2, &m2, &d))
        return SMG_ERANGE;
    pay = pay_table(1);
    sum = pay_sum_table();
    for (;;) {
        snprintf(month, sizeof month, "%04d-%02d", y, m);
        if (!rp->nmonths++)
            snprintf(rp->months[0], 8, "%s", month);
        snprintf(rp->months[1], 8, "%s", month);
        if ((rc = pay_month(rp, a, month, 1, pay, sum, total, counts)))
            break;
        if (y == y2 && m == m2)
            break;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    if (rc) {
        rt_free(pay);
        rt_free(sum);
        return rc;
    }
    rows = pay->nrows;
    pay_total_row(pay, 1, total);
    snprintf(title, sizeof title, "Pay (薪酬) is monthly: each month from %s to %s",
             rp->months[0], rp->months[1]);
    if ((s = add_rt(rp, "pay", title, pay, 0)) != NULL)
        s->data_rows = rows;
    rows = sum->nrows;
    rt_emphasis(sum);
    rt_row(sum);
    rt_label(sum, "total");
    rt_int(sum, counts[0]);
    rt_int(sum, counts[1]);
    rt_money(sum, total[1]);
    snprintf(title, sizeof title, "Pay in total, month by month from %s to %s", rp->months[0],
             rp->months[1]);
    if ((s = add_rt(rp, "pay_sum", title, sum, 0)) != NULL) {
        s->data_rows = rows;
        s->text_sums = 1;
    }
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

/* The rows of section @p s for text (@p json 0) or JSON (1) as an
 * out_table. */
static out_table *section_out(const section *s, int json)
{
    out_table *o;
    size_t r, c, n;
    const rt_table *t = s->rt;
    if (!t)
        return NULL;
    n = json || !s->text_sums ? s->data_rows : ALL_ROWS;
    if (n > t->nrows)
        n = t->nrows;
    if (!(o = out_table_new()))
        return NULL;
    for (c = 0; c < t->ncols; c++)
        out_table_col(o, t->cols[c].key, t->cols[c].align);
    for (r = 0; r < n; r++) {
        out_table_row(o);
        for (c = 0; c < t->ncols; c++)
            rt_emit(rt_at(t, r, c), o);
    }
    return o;
}

/* The report as ONE CSV table: "section", then the union of the sections'
 * columns in the order they first appear. */
static int write_csv(const report *rp, FILE *f)
{
    const char *cols[256];
    rt_table *read[MAX_SECTIONS] = { NULL };
    const rt_table *ts[MAX_SECTIONS];
    size_t ncols = 0, i, r, c, k;
    out_table *o = out_table_new();
    int rc = -1;
    if (!o)
        return -1;
    for (i = 0; i < rp->n; i++) {
        ts[i] = rp->s[i].rt ? rp->s[i].rt : (read[i] = rt_from_out(rp->s[i].t));
        if (!ts[i])
            goto done;
        for (c = 0; c < ts[i]->ncols; c++) {
            for (k = 0; k < ncols && strcmp(cols[k], ts[i]->cols[c].key) != 0; k++)
                ;
            if (k == ncols && ncols < sizeof cols / sizeof cols[0])
                cols[ncols++] = ts[i]->cols[c].key;
        }
    }
    out_table_col(o, "section", OUT_LEFT);
    for (k = 0; k < ncols; k++)
        out_table_col(o, cols[k], OUT_LEFT);
    for (i = 0; i < rp->n; i++) {
        const section *s = &rp->s[i];
        long map[256];
        size_t n = s->record ? 1 : s->text_sums ? ALL_ROWS : s->data_rows;
        if (n > ts[i]->nrows)
            n = ts[i]->nrows;
        for (k = 0; k < ncols; k++)
            map[k] = rt_col_find(ts[i], cols[k]);
        for (r = 0; r < n; r++) {
            out_table_row(o);
            out_str(o, s->key);
            for (k = 0; k < ncols; k++)
                rt_emit(map[k] < 0 ? NULL : rt_at(ts[i], r, (size_t)map[k]), o);
        }
    }
    rc = out_table_write(o, OUT_CSV, f);
done:
    for (i = 0; i < rp->n; i++)
        rt_free(read[i]);
    out_table_free(o);
    return rc;
}

/* ---- the HTML page ---- */

typedef struct page {
    const report *rp;
    int zh;
} page;

/* The page's heading of a section. */
static void page_title(const page *pg, const section *s, char *buf, size_t len)
{
    const report *rp = pg->rp;
    int zh = pg->zh;
    const char *k = s->key;
    if (strcmp(k, "team_kpis") == 0)
        snprintf(buf, len, zh ? "团队考核指标（%s 至 %s）" : "Team KPIs, %s to %s",
                 rp->from_text, rp->to_text);
    else if (strcmp(k, "member_kpis") == 0)
        snprintf(buf, len, zh ? "个人考核指标（%s 至 %s）" : "Member KPIs, %s to %s",
                 rp->from_text, rp->to_text);
    else if (strcmp(k, "targets") == 0)
        snprintf(buf, len, zh ? "目标与分解差额（%s）" : "Targets and team split gaps, %s",
                 rp->period);
    else if (strcmp(k, "attribution") == 0)
        snprintf(buf, len, zh ? "业绩归属：按归属原因的成交（%s）" : "Credits by reason, %s",
                 rp->period);
    else if (strcmp(k, "notices") == 0)
        snprintf(buf, len,
                 zh ? "撞车、放弃处理、被拒认领与首次跟进逾期（%s）"
                    : "Collisions, releases, rejected claims and late follow-ups, %s",
                 rp->period);
    else if (strcmp(k, "tiers") == 0)
        snprintf(buf, len,
                 zh ? "客户分级（截至 %s 的 12 个月销售额）"
                    : "Customer tiers, sales of the 12 months to %s",
                 rp->to_text);
    else if (strcmp(k, "overdue_visits") == 0)
        snprintf(buf, len, zh ? "拜访：截至 %s 应拜访与逾期的客户" : "Visits due and overdue as of %s",
                 rp->to_text);
    else if (strcmp(k, "pay") == 0)
        snprintf(buf, len,
                 rp->is_month ? (zh ? "薪酬（%s）" : "Pay, %s")
                              : (zh ? "薪酬（按月计算：%s 至 %s 各月）"
                                    : "Pay (monthly): each month from %s to %s"),
                 rp->months[0], rp->months[1]);
    else if (strcmp(k, "pay_sum") == 0)
        snprintf(buf, len, zh ? "薪酬合计" : "Pay in total");
    else
        snprintf(buf, len, "%s", s->title);
}

/* Attainment bars (completion rate) of the rows of @p t, labelled by name
 * (the company's by its label). */
static void attainment_chart(html_doc *d, const rt_table *t, size_t rows, const char *aria)
{
    long ci = rt_col_find(t, "completion_rate"), ni = rt_col_find(t, "name"),
         si = rt_col_find(t, "subject");
    html_bar bars[64];
    char texts[64][32];
    size_t r, n = 0;
    if (ci < 0 || ni < 0 || si < 0 || !rows)
        return;
    for (r = 0; r < rows; r++) {
        const rt_cell *rate = rt_at(t, r, (size_t)ci), *name = rt_at(t, r, (size_t)ni),
                      *sub = rt_at(t, r, (size_t)si);
        html_bar *b;
        if (n == sizeof bars / sizeof bars[0]) { /* one chart per 64 rows */
            html_bar_chart(d, aria, bars, n, 1.0);
            n = 0;
        }
        b = &bars[n];
        b->label = name->kind == RT_STR ? name->s
                   : sub->kind == RT_STR && html_label(sub->s, d->zh) ? html_label(sub->s, d->zh)
                   : sub->kind == RT_STR ? sub->s : "?";
        b->is_null = rate->kind != RT_RATE;
        b->value = b->is_null ? 0 : rate->d;
        if (b->is_null)
            snprintf(texts[n], sizeof texts[n], "%s", d->zh ? "无目标" : "no target");
        else
        {
            snprintf(texts[n], sizeof texts[n], "%.1f%%", rate->d * 100.0);
            out_unsign_zero(texts[n]);
        }
        b->text = texts[n];
        n++;
    }
    html_bar_chart(d, aria, bars, n, 1.0);
}

static void reason_chart(html_doc *d, const rt_table *t)
{
    html_bar bars[8];
    char texts[8][80], money[48], count[32];
    size_t r, n = 0;
    for (r = 0; r < t->nrows && n < 8; r++) {
        const rt_cell *reason = rt_at(t, r, 0), *deals = rt_at(t, r, 1), *amount = rt_at(t, r, 2);
        const char *l = reason->kind == RT_STR ? html_label(reason->s, d->zh) : NULL;
        bars[n].label = l ? l : reason->kind == RT_STR ? reason->s : "?";
        bars[n].is_null = amount->kind != RT_MONEY;
        bars[n].value = bars[n].is_null ? 0 : (double)amount->i;
        html_fmt_money(money, sizeof money, amount->kind == RT_MONEY ? amount->i : SMG_MONEY_NONE);
        html_fmt_int(count, sizeof count, deals->kind == RT_INT ? deals->i : 0);
        snprintf(texts[n], sizeof texts[n], d->zh ? "%s 单 · %s" : "%s deals · %s", count, money);
        bars[n].text = texts[n];
        n++;
    }
    html_bar_chart(d, d->zh ? "按归属原因的成交金额" : "Amount credited by reason", bars, n, 0);
}

/* Collisions, releases and the rest: one bar each (the record's columns). */
static void notices_chart(html_doc *d, const rt_table *t)
{
    html_bar bars[8];
    char texts[8][32];
    size_t c, n = 0;
    for (c = 0; c < t->ncols && n < 8; c++) {
        const rt_cell *v = rt_at(t, 0, c);
        const char *l = html_label(t->cols[c].key, d->zh);
        bars[n].label = l ? l : t->cols[c].key;
        bars[n].is_null = !v || v->kind != RT_INT;
        bars[n].value = bars[n].is_null ? 0 : (double)v->i;
        html_fmt_int(texts[n], sizeof texts[n], bars[n].is_null ? 0 : v->i);
        bars[n].text = texts[n];
        n++;
    }
    html_bar_chart(d, d->zh ? "撞车与放弃处理" : "Collisions and releases", bars, n, 0);
}

static void tier_pyramid(html_doc *d, const rt_table *t)
{
    html_bar layers[NTIERS];
    char texts[NTIERS][160], money[48], count[32];
    double all_n = 0, all_sales = 0;
    size_t r, n = 0;
    for (r = 0; r < t->nrows && r < NTIERS; r++) {
        const rt_cell *cust = rt_at(t, r, 2), *sales = rt_at(t, r, 3);
        all_n += cust->kind == RT_INT ? (double)cust->i : 0;
        all_sales += sales->kind == RT_MONEY ? (double)sales->i : 0;
    }
    for (r = 0; r < t->nrows && n < NTIERS; r++) {
        const rt_cell *tier = rt_at(t, r, 0), *cust = rt_at(t, r, 2), *sales = rt_at(t, r, 3);
        const char *l = tier->kind == RT_STR ? html_label(tier->s, d->zh) : NULL;
        double cn = cust->kind == RT_INT ? (double)cust->i : 0;
        double sn = sales->kind == RT_MONEY ? (double)sales->i : 0;
        layers[n].label = l ? l : tier->kind == RT_STR ? tier->s : "?";
        layers[n].is_null = 0;
        layers[n].value = cn;
        html_fmt_int(count, sizeof count, cust->kind == RT_INT ? cust->i : 0);
        html_fmt_money(money, sizeof money, sales->kind == RT_MONEY ? sales->i : SMG_MONEY_NONE);
        snprintf(texts[n], sizeof texts[n],
                 d->zh ? "%s 个客户（%.1f%%）· 年销售额 %s（%.1f%%）"
                       : "%s customers (%.1f%%) · sales %s (%.1f%%)",
                 count, all_n > 0 ? 100.0 * cn / all_n : 0.0, money,
                 all_sales > 0 ? 100.0 * sn / all_sales : 0.0);
        layers[n].text = texts[n];
        n++;
    }
    html_pyramid(d, d->zh ? "客户分级金字塔" : "Tier pyramid", layers, n);
}

static void visits_chart(html_doc *d, const rt_table *t)
{
    html_bar bars[NTIERS];
    char texts[NTIERS][64];
    size_t r, n = 0;
    for (r = 0; r < t->nrows && n < NTIERS; r++) {
        const rt_cell *tier = rt_at(t, r, 0), *cust = rt_at(t, r, 1), *late = rt_at(t, r, 2);
        const char *l = tier->kind == RT_STR ? html_label(tier->s, d->zh) : NULL;
        bars[n].label = l ? l : tier->kind == RT_STR ? tier->s : "?";
        bars[n].is_null = late->kind != RT_INT;
        bars[n].value = bars[n].is_null ? 0 : (double)late->i;
        snprintf(texts[n], sizeof texts[n], d->zh ? "逾期 %lld / %lld" : "%lld of %lld overdue",
                 late->kind == RT_INT ? late->i : 0, cust->kind == RT_INT ? cust->i : 0);
        bars[n].text = texts[n];
        n++;
    }
    html_bar_chart(d, d->zh ? "逾期拜访" : "Overdue visits", bars, n, 0);
}

static int write_page(FILE *f, void *ctx)
{
    const page *pg = ctx;
    const report *rp = pg->rp;
    char title[256], sub[768];
    html_doc d;
    size_t i;
    int rc = 0;

    snprintf(title, sizeof title, pg->zh ? "销售报告 %s" : "Sales report %s", rp->period);
    snprintf(sub, sizeof sub,
             pg->zh ? "期间 %s 至 %s · 数据集 %s%s%s · salesmgmt %s 生成"
                    : "Period %s to %s · dataset %s%s%s · made by salesmgmt %s",
             rp->from_text, rp->to_text, rp->dir,
             rp->as ? (pg->zh ? " · 查看人 " : " · as seen by ") : "", rp->as ? rp->as : "",
             smg_version_string());
    html_begin(&d, f, pg->zh, title, sub);
    for (i = 0; i < rp->n; i++) {
        const section *s = &rp->s[i];
        rt_table *read = NULL;
        const rt_table *t = s->rt ? s->rt : (read = rt_from_out(s->t));
        page_title(pg, s, title, sizeof title);
        if (!t) {
            rc = -1;
            continue;
        }
        html_h2(&d, s->key, title);
        if (strcmp(s->key, "team_kpis") == 0) {
            attainment_chart(&d, t, s->data_rows < t->nrows ? s->data_rows : t->nrows,
                             pg->zh ? "团队完成率" : "Completion by team");
            if (rp->company_differs)
                html_p(&d, "note",
                       pg->zh ? "“公司（未归属成员）”一行是经理裁定归公司的成交：它们计入公司，不计入任何团队，所以公司合计 = 顶层团队合计 + 这一行。"
                              : "The line “Company (not credited to a member)” holds the deals "
                                "a manager credited to the company: they count for the company "
                                "and for no team, so the company = the top teams + that line.");
        } else if (strcmp(s->key, "member_kpis") == 0) {
            attainment_chart(&d, t, t->nrows, pg->zh ? "个人完成率" : "Completion by member");
        } else if (strcmp(s->key, "attribution") == 0) {
            reason_chart(&d, t);
        } else if (strcmp(s->key, "notices") == 0 && t->nrows) {
            notices_chart(&d, t);
        } else if (strcmp(s->key, "tiers") == 0) {
            tier_pyramid(&d, t);
        } else if (strcmp(s->key, "overdue_visits") == 0) {
            visits_chart(&d, t);
        } else if (strcmp(s->key, "pay") == 0 && !rp->is_month) {
            html_p(&d, "note",
                   pg->zh ? "工资按月计算：下表列出期间内每个月的薪酬。"
                          : "Pay is monthly: the table lists the pay of each month of the period.");
        }
        if (html_table(&d, t, s->record))
            rc = -1;
        rt_free(read);
    }
    html_glossary(&d, "glossary", pg->zh ? "指标说明" : "Glossary");
    if (html_end(&d))
        rc = -1;
    return rc;
}

int cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *period = NULL, *html = NULL,
               *as = NULL, *lang = NULL;
    const cli_option opts[] = {
        { "period", &period, NULL }, { "html", &html, NULL }, { "policy", &policy, NULL },
        { "format", &format, NULL }, { "as", &as, NULL },     { "lang", &lang, NULL },
        { NULL, NULL, NULL },
    };
    smg_attribution_options aopts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    char month[8];
    int rc, zh = 1;
    out_format fmt;
    out_doc doc;
    report rp;
    size_t i;

    (void)add; /* for sections made as an out_table */
    memset(&rp, 0, sizeof rp);
    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_period(argv[0], period, &rp.from, &rp.to)))
        return rc;
    if (html && !*html)
        return cli_usage_error(argv[0], "--html needs a file name");
    if (lang && strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
        return cli_usage_error(argv[0], "--lang must be zh or en, not \"%s\"", lang);
    zh = !lang || strcmp(lang, "zh") == 0;
    if ((rc = cli_load(argv[0], dir, policy, &rp.org)))
        return rc;
    if (as && (rc = cli_member(argv[0], rp.org, "as", as, NULL)))
        return rc;
    rp.as = as;
    rp.dir = dir;
    aopts.as_member = as;
    rp.period = period;
    day_text(rp.from, rp.from_text);
    day_text(rp.to, rp.to_text);
    rp.is_month = period_month(&rp, month);

    if ((rc = smg_attribution_compute(&a, rp.org, &aopts)) || (rc = section_kpis(&rp, a)) ||
        (rc = section_targets(&rp)) || (rc = section_attribution(&rp, a)) ||
        (rc = section_tiers(&rp, a)) || (rc = section_visits(&rp, a)) ||
        (rc = section_pay(&rp, a)) ||
        (rp.is_month && (rc = section_scorecard(&rp, month)))) {
        fprintf(stderr, "salesmgmt report: %s\n", smg_org_errmsg(rp.org));
        rc = cli_status(rc);
        goto done;
    }
    if (rp.oom) {
        fprintf(stderr, "salesmgmt report: out of memory\n");
        rc = CLI_DATA;
        goto done;
    }
    if (html) {
        page pg;
        pg.rp = &rp;
        pg.zh = zh;
        if (html_write_file(argv[0], html, write_page, &pg)) {
            rc = CLI_IO;
            goto done;
        }
    }

    if (fmt == OUT_CSV) {
        rc = write_csv(&rp, stdout) ? CLI_IO : CLI_OK;
        goto done;
    }
    out_doc_begin(&doc, stdout, fmt);
    if (fmt == OUT_JSON) {
        out_json_key(&doc.json, "period");
        out_json_str(&doc.json, period);
        out_json_key(&doc.json, "from");
        out_json_str(&doc.json, rp.from_text);
        out_json_key(&doc.json, "to");
        out_json_str(&doc.json, rp.to_text);
    }
    for (i = 0; i < rp.n; i++) {
        const section *s = &rp.s[i];
        out_table *t = s->rt ? section_out(s, fmt == OUT_JSON) : NULL;
        const out_table *show = s->rt ? t : s->t;
        if (!show) {
            doc.err = 1;
            continue;
        }
        if (fmt == OUT_JSON && s->key && strcmp(s->key, "pay_sum") == 0 && !rp.is_month) {
            /* one object per month */
            out_json_key(&doc.json, s->key);
            out_json_table(&doc.json, show);
        } else {
            (s->record ? out_doc_record : out_doc_table)(&doc, s->key, s->title, show);
        }
        if (fmt == OUT_JSON && strcmp(s->key, "team_kpis") == 0) {
            out_json_key(&doc.json, "company_not_credited");
            if (!rp.company_visible) {
                out_json_null(&doc.json);
            } else {
                out_json_object(&doc.json);
                out_json_key(&doc.json, "sales_amount");
                out_json_money(&doc.json, rp.company_sales);
                out_json_key(&doc.json, "deal_count");
                out_json_int(&doc.json, rp.company_deals);
                out_json_key(&doc.json, "gross_profit");
                out_json_money(&doc.json, rp.company_profit);
                out_json_end(&doc.json);
            }
        }
        out_table_free(t);
    }
    if (fmt == OUT_JSON && !rp.is_month) { /* the scorecard is monthly */
        out_json_key(&doc.json, "scorecard");
        out_json_null(&doc.json);
    }
    rc = out_doc_end(&doc) ? CLI_IO : CLI_OK;
done:
    for (i = 0; i < rp.n; i++) {
        rt_free(rp.s[i].rt);
        out_table_free(rp.s[i].t);
    }
    smg_attribution_free(a);
    smg_org_free(rp.org);
    return rc;
}
