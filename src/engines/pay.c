/* Assessment scores and monthly pay (RULES.md §6).
 *
 * One pass over the year of the month asked about: absences and work
 * scores of each of its months (the annual score needs all twelve), and
 * the month's credited deals per member and commission table. A month
 * without a given work score takes the scorecard's (scorecard_report.h),
 * for the months up to the one asked about. Every pay
 * line is computed exactly in 128-bit integers from the policy's
 * millionths and rounded once, half away from zero. */
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/pay.h"
#include "salesmgmt/scorecard.h"
#include "arith.h"
#include "calendar.h"
#include "credits.h"
#include "events.h"
#include "fields.h"
#include "org.h"
#include "scope.h"
#include "scorecard_report.h"
#include "targets.h"

typedef smgi_i128 i128;

#define MILLION ((int64_t)SMGI_MILLION)

static const smgi_field pay_fields[] = {
    { "member", SMG_TYPE_INDEX },
    { "attendance_score", SMG_TYPE_DOUBLE },
    { "work_score", SMG_TYPE_DOUBLE },
    { "monthly_score", SMG_TYPE_DOUBLE },
    { "annual_score", SMG_TYPE_DOUBLE },
    { "completion_rate", SMG_TYPE_DOUBLE },
    { "base", SMG_TYPE_MONEY },
    { "completion_pay", SMG_TYPE_MONEY },
    { "work_pay", SMG_TYPE_MONEY },
    { "overplan_bonus", SMG_TYPE_MONEY },
    { "commission", SMG_TYPE_MONEY },
    { "total", SMG_TYPE_MONEY },
    { "pay_total", SMG_TYPE_MONEY },
    { "sales_amount", SMG_TYPE_MONEY },
    { "target_amount", SMG_TYPE_MONEY },
    { "days_absent", SMG_TYPE_INT },
    { "attendance_score_x100", SMG_TYPE_INT },
    { "work_score_x100", SMG_TYPE_INT },
    { "monthly_score_x100", SMG_TYPE_INT },
    { "annual_score_x100", SMG_TYPE_INT },
    { "work_score_source", SMG_TYPE_ENUM },
};

int smg_pay_options_init(smg_pay_options *opts, unsigned version)
{
    smg_pay_options init = SMG_PAY_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_PAY_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

enum { L_BASE, L_COMPLETION, L_WORK, L_OVERPLAN, L_COMMISSION, NLINES };

typedef struct pay_row {
    int32_t member;
    int64_t attendance;   /* points */
    int64_t work;         /* hundredths of a point */
    uint8_t source;       /* smg_score_source of the work score */
    int64_t monthly;      /* 1e-8 points */
    int64_t annual_sum;   /* Σ monthly of the scored months, 1e-8 points */
    int64_t days;         /* whole days absent */
    int64_t sales, target;
    uint8_t target_null, has_pay;
    int64_t pay_total;
    int64_t line[NLINES];
    int64_t total;
} pay_row;

struct smg_pay_report {
    smg_allocator alloc;
    size_t nrows;
    pay_row *rows;
};

void smg_pay_report_free(smg_pay_report *r)
{
    smg_allocator al;
    if (!r)
        return;
    al = r->alloc;
    smgi_free(&al, r->rows);
    smgi_free(&al, r);
}

/* ---- exact arithmetic ---- */

/* num / den (den > 0) rounded half away from zero, into int64. */
static int div_round(i128 num, i128 den, int64_t *out)
{
    return smgi_div_round(num, den, out) ? SMG_ERANGE : 0;
}

/* a × b × c / den, rounded; SMG_ERANGE on overflow. */
static int mul3_div(int64_t a, int64_t b, int64_t c, i128 den, int64_t *out)
{
    i128 p;
    if (SMGI_MUL_OVF((i128)a, (i128)b, &p) || SMGI_MUL_OVF(p, (i128)c, &p))
        return SMG_ERANGE;
    return div_round(p, den, out);
}

/* ---- commission tables ---- */

typedef struct bracket {
    int64_t from, rate;
} bracket;

typedef struct tables {
    size_t n;           /* tables */
    int32_t *product;   /* per table: product index, -1 = "*" */
    uint8_t *mode;
    size_t *first;      /* per table: its brackets in br[first[k] .. first[k+1]) */
    bracket *br;        /* sorted by from within a table */
    int32_t *of_product;/* per product: its table, or the "*" table, or -1 */
    int32_t star;       /* the "*" table, or -1 */
} tables;

static void tables_free(const smg_allocator *al, tables *t)
{
    smgi_free(al, t->product);
    smgi_free(al, t->mode);
    smgi_free(al, t->first);
    smgi_free(al, t->br);
    smgi_free(al, t->of_product);
}

static int tables_build(smg_org *org, tables *t)
{
    const smgi_commission *C = &org->commission;
    const smg_allocator *al = &org->alloc;
    size_t n = C->count, np = org->products.count, i, j, k;
    memset(t, 0, sizeof *t);
    t->star = -1;
    t->product = smgi_malloc(al, (n ? n : 1) * sizeof *t->product);
    t->mode = smgi_malloc(al, n ? n : 1);
    t->first = smgi_malloc(al, (n + 1) * sizeof *t->first);
    t->br = smgi_malloc(al, (n ? n : 1) * sizeof *t->br);
    t->of_product = smgi_malloc(al, (np ? np : 1) * sizeof *t->of_product);
    if (!t->product || !t->mode || !t->first || !t->br || !t->of_product)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    /* tables in order of first appearance; rows are few */
    for (i = 0; i < n; i++) {
        for (k = 0; k < t->n && t->product[k] != C->product[i]; k++)
            ;
        if (k == t->n) {
            t->product[k] = C->product[i];
            t->mode[k] = C->mode[i];
            t->n++;
        } else if (t->mode[k] != C->mode[i]) {
            const char *name = C->product[i] < 0
                                   ? "*"
                                   : smgi_strtab_get(&org->products, (size_t)C->product[i]);
            return smgi_err(org, SMG_ERULE,
                            "commission table \"%s\" mixes marginal and flat rows", name);
        }
    }
    for (k = 0, j = 0; k < t->n; k++) {
        size_t a = j, x;
        t->first[k] = j;
        for (i = 0; i < n; i++)
            if (C->product[i] == t->product[k]) {
                /* insertion sort by from */
                for (x = j; x > a && t->br[x - 1].from > C->from[i]; x--)
                    t->br[x] = t->br[x - 1];
                t->br[x].from = C->from[i];
                t->br[x].rate = C->rate[i];
                j++;
            }
        if (t->product[k] < 0)
            t->star = (int32_t)k;
    }
    t->first[t->n] = j;
    for (i = 0; i < np; i++)
        t->of_product[i] = t->star;
    for (k = 0; k < t->n; k++)
        if (t->product[k] >= 0)
            t->of_product[t->product[k]] = (int32_t)k;
    return 0;
}

/* The commission of table k on `total`, in millionths of a minor unit. */
static i128 commission_of(const tables *t, size_t k, int64_t total)
{
    const bracket *b = t->br + t->first[k];
    size_t n = t->first[k + 1] - t->first[k], j;
    i128 acc = 0;
    if (!n || total < b[0].from)
        return 0; /* below the first bracket the rate is 0 */
    if (t->mode[k] == SMG_COMMISSION_FLAT) {
        for (j = n; j-- > 0;)
            if (total >= b[j].from)
                return (i128)total * b[j].rate;
        return 0;
    }
    for (j = 0; j < n && total > b[j].from; j++) {
        int64_t top = j + 1 < n && b[j + 1].from < total ? b[j + 1].from : total;
        acc += (i128)(top - b[j].from) * b[j].rate;
    }
    return acc;
}

/* ---- compute ---- */

/* Monthly score in 1e-8 points from the work score (hundredths) and the
 * attendance score (points). */
static int64_t monthly_score(const smgi_policy *p, int64_t work, int64_t attendance)
{
    return work * p->work_weight + attendance * 100 * p->attendance_weight;
}

static int64_t attendance_score(const smgi_policy *p, int64_t days)
{
    int64_t s = 100 - p->absence_penalty * days;
    return s < 0 ? 0 : s;
}

static int pay_lines(const smgi_policy *pol, pay_row *r, i128 commission)
{
    int64_t T = r->pay_total;
    int rc = 0, k;
    memset(r->line, 0, sizeof r->line);
    rc |= mul3_div(T, pol->base_share, 1, MILLION, &r->line[L_BASE]);
    if (!r->target_null && r->target > 0) {
        if (pol->completion_cap >= 0 &&
            (i128)r->sales * MILLION > (i128)pol->completion_cap * r->target)
            rc |= mul3_div(T, pol->completion_share, pol->completion_cap,
                           (i128)MILLION * MILLION, &r->line[L_COMPLETION]);
        else
            rc |= mul3_div(T, pol->completion_share, r->sales, (i128)MILLION * r->target,
                           &r->line[L_COMPLETION]);
        if (r->sales > r->target) {
            i128 excess = (i128)r->sales - r->target;
            rc |= div_round(excess * pol->overplan_rate, MILLION, &r->line[L_OVERPLAN]);
        }
    }
    /* T × work_share (1e-6) × monthly (1e-8 points) / 100 points */
    rc |= mul3_div(T, pol->work_share, r->monthly, (i128)10000000000000000LL,
                   &r->line[L_WORK]);
    rc |= div_round(commission, MILLION, &r->line[L_COMMISSION]);
    r->total = 0;
    for (k = 0; k < NLINES; k++)
        rc |= SMGI_ADD_OVF(r->total, r->line[k]) ? SMG_ERANGE : 0;
    return rc ? SMG_ERANGE : 0;
}

int smg_pay_compute(smg_pay_report **out, smg_org *org, const smg_pay_options *opts)
{
    const smg_allocator *al;
    const smgi_events *E;
    const smgi_policy *pol;
    const smg_attribution *a = NULL;
    smg_attribution *owned = NULL;
    smg_pay_report *r = NULL;
    smgi_scope sc;
    smgi_credits cr;
    smgi_sc card;
    tables tb;
    smg_date from, to, ys;
    smg_time mstart[13], m0, m1;
    int64_t y, *days = NULL, *sales = NULL, *totals = NULL, *mt = NULL, cw[12];
    int32_t *ws = NULL, *dcred = NULL;
    uint8_t *mnull = NULL;
    size_t nm, i, lo, hi, n = 0, rlimit = 0;
    unsigned mo, dd;
    int rc, month, k;

    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!opts)
        return smgi_err(org, SMG_EINVAL, "pay: the options are NULL: the month is required");
    if (opts->version != SMG_PAY_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "unknown smg_pay_options version %u",
                        opts->version);
    if (opts->month.kind == 0)
        return smgi_err(org, SMG_EINVAL, "pay: the month is required (make it with "
                                         "smg_period_month())");
    if (opts->month.kind != SMG_PERIOD_MONTH || smg_period_check(&opts->month))
        return smgi_err(org, SMG_EINVAL,
                        "pay: the month (kind %d, days %ld..%ld) is not a valid period of "
                        "kind SMG_PERIOD_MONTH",
                        (int)opts->month.kind, (long)opts->month.from, (long)opts->month.to);
    from = opts->month.from;
    to = opts->month.to;
    al = &org->alloc;
    E = &org->events;
    pol = &org->policy;
    nm = org->members.ids.count;
    memset(&tb, 0, sizeof tb);
    memset(&card, 0, sizeof card);
    smgi_civil_from_days(from, &y, &mo, &dd);
    month = (int)mo - 1;
    ys = (smg_date)smgi_days_from_civil(y, 1, 1);
    for (k = 0; k <= 12; k++)
        mstart[k] = (smg_time)smgi_days_from_civil(k < 12 ? y : y + 1,
                                                   k < 12 ? (unsigned)k + 1 : 1, 1) * 86400;
    m0 = mstart[month];
    m1 = mstart[month + 1];

    if ((rc = smgi_scope_init(org, opts->as_member, &sc)))
        return rc;
    if ((rc = tables_build(org, &tb)))
        goto done;
    if ((rc = smgi_attribution_get(org, opts->attribution, SMG_TIME_NONE, &a, &owned)))
        goto done;
    days = smgi_calloc(al, nm * 12 + 1, sizeof *days);
    ws = smgi_malloc(al, (nm * 12 + 1) * sizeof *ws);
    sales = smgi_calloc(al, nm + 1, sizeof *sales);
    totals = smgi_calloc(al, nm * tb.n + 1, sizeof *totals);
    mt = smgi_malloc(al, (nm + 1) * sizeof *mt);
    mnull = smgi_malloc(al, nm + 1);
    if (!days || !ws || !sales || !totals || !mt || !mnull) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nm * 12; i++)
        ws[i] = -1;

    /* the pass: the year for the scores, the month for the deals */
    lo = smgi_log_lower_bound(E, mstart[0]);
    hi = smgi_log_lower_bound(E, mstart[12]);
    if (smgi_credits_init(&cr, a, org, ys)) {
        rc = smgi_err(org, SMG_EINVAL,
                      "pay: the attribution result does not match the event log");
        goto done;
    }
    for (i = lo; i < hi; i++) {
        smg_time t = E->at[i];
        int32_t m = E->member[i];
        int ovf = 0;
        switch (E->type[i]) {
        case SMG_EV_DEAL: {
            int64_t cm = smgi_credits_next(&cr, i), amt = smgi_event_amount(org, i);
            int32_t prod, tab;
            if (cm == SMGI_MISMATCH) {
                rc = smgi_err(org, SMG_EINVAL,
                              "the attribution result does not match the event log (another "
                              "org, or the org changed since); run it again");
                goto done;
            }
            if (cm < 0 || t < m0 || t >= m1)
                break; /* the company's, not covered, or another month */
            ovf |= SMGI_ADD_OVF(sales[cm], amt);
            prod = org->deals.product[E->arg[i]];
            tab = prod >= 0 ? tb.of_product[prod] : tb.star;
            if (tab >= 0)
                ovf |= SMGI_ADD_OVF(totals[(size_t)cm * tb.n + (size_t)tab], amt);
            break;
        }
        case SMG_EV_REFUND: {
            /* net sales and commission totals (RULES.md §8): a refund dated
             * in the month, for the member its deal is credited to, in the
             * table of the deal's product; deals are looked up from the
             * first refund on */
            int32_t deal, cm, prod, tab;
            int64_t amt;
            if (t < m0 || t >= m1)
                break;
            if (!dcred && (rc = smgi_credits_by_deal(&dcred, &rlimit, a, org))) {
                rc = rc == SMG_ENOMEM ? smgi_err(org, SMG_ENOMEM, "out of memory")
                                      : smgi_err(org, SMG_EINVAL,
                                                 "pay: the attribution result does not "
                                                 "match the event log");
                goto done;
            }
            deal = smgi_refund_deal(org, i);
            cm = dcred[deal];
            if (cm < 0 || i >= rlimit)
                break; /* the company's, not covered, or past the horizon */
            amt = smgi_event_amount(org, i);
            ovf |= SMGI_SUB_OVF(sales[cm], amt);
            prod = org->deals.product[deal];
            tab = prod >= 0 ? tb.of_product[prod] : tb.star;
            if (tab >= 0)
                ovf |= SMGI_SUB_OVF(totals[(size_t)cm * tb.n + (size_t)tab], amt);
            break;
        }
        case SMG_EV_ABSENCE:
        case SMG_EV_WORK_SCORE: {
            int mi = 0;
            while (mi < 11 && t >= mstart[mi + 1])
                mi++;
            if (E->type[i] == SMG_EV_ABSENCE) /* hundredths of days, rounded up */
                days[(size_t)m * 12 + (size_t)mi] += (smgi_event_amount(org, i) + 99) / 100;
            else /* the log is in time order: the latest one stays */
                ws[(size_t)m * 12 + (size_t)mi] = (int32_t)smgi_event_amount(org, i);
            break;
        }
        default:
            break;
        }
        if (ovf) {
            rc = smgi_err(org, SMG_ERANGE, "pay: a member's sales overflow");
            goto done;
        }
    }
    if ((rc = smgi_sales_targets(org, from, to, mt, mnull, NULL, NULL, NULL, NULL, NULL)))
        goto done;
    /* the scorecard's months, January to the month asked about (a later
     * month has not happened: its deadlines would all count as missed) */
    if (org->scorecard.ids.count &&
        (rc = smgi_sc_init(&card, org, smgi_month_index(ys), month + 1)))
        goto done;

    r = smgi_calloc(al, 1, sizeof *r);
    if (!r || !(r->rows = smgi_calloc(al, nm ? nm : 1, sizeof *r->rows))) {
        smgi_free(al, r);
        r = NULL;
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    r->alloc = *al;
    for (i = 0; i < nm; i++) {
        pay_row *p;
        const int64_t *d = days + i * 12;
        const int32_t *w = ws + i * 12;
        i128 comm = 0;
        size_t t;
        /* a member is listed if in a visible subtree at the end of the
         * month (RULES.md §1, moves over time), or is the querying member */
        if (!smgi_scope_member_day(org, &sc, i, to))
            continue;
        p = &r->rows[n++];
        p->member = (int32_t)i;
        p->days = d[month];
        p->attendance = attendance_score(pol, d[month]);
        for (k = 0; k < 12; k++)
            cw[k] = -1;
        if (card.org)
            smgi_sc_member(&card, i, cw);
        /* a given score wins; else the scorecard's; else 0 */
        p->work = w[month] >= 0 ? w[month] : cw[month] >= 0 ? cw[month] : 0;
        p->source = (uint8_t)(w[month] >= 0    ? SMG_SCORE_SOURCE_GIVEN
                              : cw[month] >= 0 ? SMG_SCORE_SOURCE_SCORECARD
                                               : SMG_SCORE_SOURCE_NONE);
        p->monthly = monthly_score(pol, p->work, p->attendance);
        for (k = 0; k < 12; k++) {
            int64_t wk = w[k] >= 0 ? w[k] : cw[k];
            if (wk >= 0) /* a month without a work score counts 0 */
                p->annual_sum += monthly_score(pol, wk, attendance_score(pol, d[k]));
        }
        p->sales = sales[i];
        p->target = mt[i];
        p->target_null = mnull[i];
        p->pay_total = org->members.pay_total[i];
        /* no pay for a month the member did not work for at all */
        p->has_pay = p->pay_total != SMG_MONEY_NONE && smgi_member_employed(org, i, from, to);
        if (!p->has_pay)
            continue;
        /* a table's month total net of refunds may be negative: it earns 0 */
        for (t = 0; t < tb.n; t++)
            comm += commission_of(&tb, t, totals[i * tb.n + t] > 0 ? totals[i * tb.n + t] : 0);
        if (pay_lines(pol, p, comm)) {
            rc = smgi_err(org, SMG_ERANGE, "pay: a pay line of member \"%s\" overflows",
                          smgi_strtab_get(&org->members.ids, i));
            goto done;
        }
    }
    r->nrows = n;
    *out = r;
    r = NULL;
done:
    smg_pay_report_free(r);
    smgi_scope_free(al, &sc);
    smgi_sc_free(&card);
    smg_attribution_free(owned);
    tables_free(al, &tb);
    smgi_free(al, days);
    smgi_free(al, ws);
    smgi_free(al, sales);
    smgi_free(al, totals);
    smgi_free(al, mt);
    smgi_free(al, mnull);
    smgi_free(al, dcred);
    return rc;
}

/* ---- getters ---- */

static size_t pay_count(const void *r)
{
    return ((const smg_pay_report *)r)->nrows;
}

/* Scores in points (DOUBLE) and in hundredths (INT), money exactly; the
 * pay lines are null for a member without pay. */
static void pay_value(const void *r, size_t row, int f, smgi_value *v)
{
    const pay_row *p = &((const smg_pay_report *)r)->rows[row];
    int64_t x = 0;
    switch ((smg_pay_field)f) {
    case SMG_PAY_MEMBER: smgi_value_num(v, p->member, 0); break;
    case SMG_PAY_ATTENDANCE_SCORE: smgi_value_real(v, (double)p->attendance, 0); break;
    case SMG_PAY_WORK_SCORE: smgi_value_real(v, (double)p->work / 100, 0); break;
    case SMG_PAY_MONTHLY_SCORE: smgi_value_real(v, (double)p->monthly / 1e8, 0); break;
    case SMG_PAY_ANNUAL_SCORE: smgi_value_real(v, (double)p->annual_sum / 12 / 1e8, 0); break;
    case SMG_PAY_COMPLETION_RATE: {
        int null = p->target_null || p->target == 0;
        smgi_value_real(v, null ? 0 : (double)p->sales / (double)p->target, null);
        break;
    }
    case SMG_PAY_BASE:
    case SMG_PAY_COMPLETION_PAY:
    case SMG_PAY_WORK_PAY:
    case SMG_PAY_OVERPLAN_BONUS:
    case SMG_PAY_COMMISSION:
        smgi_value_num(v, p->has_pay ? p->line[f - SMG_PAY_BASE] : 0, !p->has_pay);
        break;
    case SMG_PAY_TOTAL: smgi_value_num(v, p->has_pay ? p->total : 0, !p->has_pay); break;
    case SMG_PAY_PAY_TOTAL:
        smgi_value_num(v, p->has_pay ? p->pay_total : 0, !p->has_pay);
        break;
    case SMG_PAY_SALES_AMOUNT: smgi_value_num(v, p->sales, 0); break;
    case SMG_PAY_TARGET_AMOUNT: smgi_value_num(v, p->target, p->target_null); break;
    case SMG_PAY_DAYS_ABSENT: smgi_value_num(v, p->days, 0); break;
    case SMG_PAY_ATTENDANCE_SCORE_X100: smgi_value_num(v, p->attendance * 100, 0); break;
    case SMG_PAY_WORK_SCORE_X100: smgi_value_num(v, p->work, 0); break;
    case SMG_PAY_MONTHLY_SCORE_X100:
        div_round(p->monthly, MILLION, &x);
        smgi_value_num(v, x, 0);
        break;
    case SMG_PAY_ANNUAL_SCORE_X100:
        div_round(p->annual_sum, 12 * MILLION, &x);
        smgi_value_num(v, x, 0);
        break;
    case SMG_PAY_WORK_SCORE_SOURCE:
        smgi_value_num(v, p->source, 0);
        break;
    }
}

static const smgi_table pay_table = SMGI_TABLE(pay_fields, pay_count, NULL, pay_value);

/* The public table getters, one line each (fields.h): smg_pay_count,
 * smg_pay_field_name, smg_pay_field_type and the typed getters below. */
SMGI_TABLE_META(smg_pay, smg_pay_report, smg_pay_field, pay_table)
SMGI_TABLE_GET(smg_pay, index, size_t, smg_pay_report, smg_pay_field, pay_table)
SMGI_TABLE_GET(smg_pay, int, int64_t, smg_pay_report, smg_pay_field, pay_table)
SMGI_TABLE_GET(smg_pay, double, double, smg_pay_report, smg_pay_field, pay_table)

int smg_pay_subject(const smg_pay_report *r, size_t row, smg_subject *out)
{
    if (!r || !out || row >= r->nrows)
        return SMG_EINVAL;
    out->kind = SMG_SUBJECT_MEMBER;
    out->index = (size_t)r->rows[row].member;
    return 0;
}
