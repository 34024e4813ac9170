/* Targets and seasonality profiles (RULES.md §2): storage and the
 * overlap rule checked at commit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/target.h"
#include "salesmgmt/team.h"
#include "calendar.h"
#include "org.h"
#include "split.h"
#include "targets.h"

static const char *const metric_names[] = { "sales_amount", "gross_profit", "deal_count",
                                            "new_customers", "visits", "collections" };
#define NMETRICS 6

int smg_metric_parse(smg_metric *out, const char *s)
{
    int i;
    if (!s || !out)
        return SMG_EINVAL;
    for (i = 0; i < NMETRICS; i++)
        if (strcmp(s, metric_names[i]) == 0) {
            *out = (smg_metric)i;
            return 0;
        }
    return SMG_EPARSE;
}

const char *smg_metric_name(smg_metric m)
{
    return (unsigned)m < NMETRICS ? metric_names[m] : NULL;
}

int smg_metric_is_money(smg_metric m)
{
    return m == SMG_METRIC_SALES_AMOUNT || m == SMG_METRIC_GROSS_PROFIT ||
           m == SMG_METRIC_COLLECTIONS;
}

void smgi_targets_free(const smg_allocator *a, smgi_targets *t)
{
    smgi_column cols[] = SMGI_TARGET_COLUMNS(t);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &t->cap);
    t->count = 0;
}

void smgi_profiles_free(const smg_allocator *a, smgi_profiles *p)
{
    smgi_column cols[] = SMGI_PROFILE_COLUMNS(p);
    smgi_strtab_free(a, &p->names);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &p->cap);
}

static int profile_add(smg_org *org, const char *name, const int64_t weights[12])
{
    smgi_profiles *p = &org->profiles;
    size_t idx, i;
    int64_t sum = 0;
    if (!name || !*name)
        return smgi_err(org, SMG_EINVAL, "profile name is empty");
    if (!weights)
        return smgi_err(org, SMG_EINVAL, "profile \"%s\": weights are NULL", name);
    for (i = 0; i < 12; i++) {
        if (weights[i] < 0 || weights[i] > INT64_MAX / 16)
            return smgi_err(org, SMG_ERANGE, "profile \"%s\": weight m%02u must be >= 0",
                            name, (unsigned)i + 1);
        sum += weights[i];
    }
    if (sum == 0)
        return smgi_err(org, SMG_ERANGE, "profile \"%s\": all twelve weights are zero", name);
    if (smgi_strtab_find_str(&p->names, name) >= 0)
        return smgi_err(org, SMG_EEXISTS, "profile \"%s\" is defined twice", name);
    smgi_column cols[] = SMGI_PROFILE_COLUMNS(p);
    if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &p->cap, p->names.count + 1) ||
        smgi_strtab_intern(&org->alloc, &p->names, name, strlen(name), &idx, NULL))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    memcpy(p->weights[idx], weights, sizeof p->weights[idx]);
    return 0;
}

int smg_profile_add(smg_org *org, const char *name, const int64_t weights[12])
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, profile_add(org, name, weights));
}

static int targets_grow(smg_org *org, size_t need)
{
    smgi_targets *t = &org->targets;
    smgi_column cols[] = SMGI_TARGET_COLUMNS(t);
    return smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &t->cap, need);
}

/* "target #3" or "targets.csv:4" */
static void target_where(const smg_org *org, size_t i, char *buf, size_t len)
{
    if (org->targets.line[i])
        snprintf(buf, len, "targets.csv:%lu", (unsigned long)org->targets.line[i]);
    else
        snprintf(buf, len, "target #%lu", (unsigned long)i);
}

/* Number of months of a target period kind. */
static int months_of(int period_kind)
{
    return period_kind == SMG_PERIOD_YEAR ? 12 : period_kind == SMG_PERIOD_QUARTER ? 3 : 1;
}

/* "target #3: " or "targets.csv:4: " */
static void add_where(const smg_org *org, char *buf, size_t len)
{
    if (org->cur_line)
        snprintf(buf, len, "targets.csv:%lu: ", (unsigned long)org->cur_line);
    else
        snprintf(buf, len, "target #%lu: ", (unsigned long)org->targets.count);
}

static int target_add(smg_org *org, const smg_subject *subject, smg_metric metric,
                      const smg_period *period, int64_t amount, const char *profile)
{
    smgi_targets *t = &org->targets;
    char w[64], ptext[32];
    long prof = -1;
    size_t i = t->count;

    add_where(org, w, sizeof w);
    if (!subject)
        return smgi_err(org, SMG_EINVAL, "%scolumn subject: a subject is required", w);
    if (smg_subject_check(org, subject))
        return smgi_err(org, SMG_EINVAL, "%scolumn subject: not a member, a team or the "
                        "company of this org (kind %d, index %lu)", w, (int)subject->kind,
                        (unsigned long)subject->index);
    if ((unsigned)metric >= NMETRICS)
        return smgi_err(org, SMG_EINVAL, "%scolumn metric: unknown metric %d", w, (int)metric);
    if (!period)
        return smgi_err(org, SMG_EINVAL, "%scolumn period: a period is required", w);
    if (smg_period_check(period))
        return smgi_err(org, SMG_EINVAL, "%scolumn period: not a valid period", w);
    if (period->kind != SMG_PERIOD_YEAR && period->kind != SMG_PERIOD_QUARTER &&
        period->kind != SMG_PERIOD_MONTH) {
        smg_period_format(ptext, sizeof ptext, period);
        return smgi_err(org, SMG_EINVAL,
                        "%scolumn period: %s is not a year, a quarter or a month", w, ptext);
    }
    if (amount < 0)
        return smgi_err(org, SMG_ERANGE, "%scolumn amount: a target must not be negative", w);
    if (profile && *profile) {
        prof = smgi_strtab_find_str(&org->profiles.names, profile);
        if (prof < 0)
            return smgi_err(org, SMG_ENOTFOUND, "%scolumn profile: profile \"%s\" does not exist",
                            w, profile);
    }
    if (prof >= 0) {
        /* a quarter needs weight in one of its months, a month in itself */
        int first = smgi_month_index(period->from) % 12, k, nm = months_of(period->kind);
        int64_t sum = 0;
        for (k = 0; k < nm; k++)
            sum += org->profiles.weights[prof][first + k];
        if (sum == 0) {
            smg_period_format(ptext, sizeof ptext, period);
            return smgi_err(org, SMG_ERANGE,
                            "%scolumn profile: profile \"%s\" gives every month of %s a zero "
                            "weight", w, profile, ptext);
        }
    }
    if (targets_grow(org, i + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    t->subject_kind[i] = (uint8_t)subject->kind;
    t->subject[i] = subject->kind == SMG_SUBJECT_COMPANY ? 0 : (int32_t)subject->index;
    t->metric[i] = (uint8_t)metric;
    t->period_kind[i] = (uint8_t)period->kind;
    t->from[i] = period->from;
    t->to[i] = period->to;
    t->amount[i] = amount;
    t->profile[i] = (int32_t)prof;
    t->line[i] = org->cur_line;
    t->count++;
    return 0;
}

int smg_target_add(smg_org *org, const smg_subject *subject, smg_metric metric,
                   const smg_period *period, int64_t amount, const char *profile)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, target_add(org, subject, metric, period, amount, profile));
}

/* Targets grouped by subject and metric, for the overlap check. */
typedef struct target_ref {
    int32_t subject;
    uint8_t kind, metric;
    uint32_t index;
} target_ref;

static int target_ref_cmp(const void *x, const void *y)
{
    const target_ref *p = x, *q = y;
    if (p->kind != q->kind) /* the company, then teams, then members */
        return p->kind > q->kind ? -1 : 1;
    if (p->subject != q->subject)
        return p->subject < q->subject ? -1 : 1;
    if (p->metric != q->metric)
        return p->metric < q->metric ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

int smgi_targets_commit(smg_org *org)
{
    const smgi_targets *t = &org->targets;
    target_ref *v;
    size_t i, j, g, end, n = t->count;
    int rc = 0;
    if (n == org->mark.targets)
        return 0;
    /* group by subject and metric (a company has thousands of targets, a
     * group a few dozen), then each new target against the earlier ones
     * of its group */
    v = smgi_malloc(&org->alloc, n * sizeof *v);
    if (!v)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        v[i].subject = t->subject[i];
        v[i].kind = t->subject_kind[i];
        v[i].metric = t->metric[i];
        v[i].index = (uint32_t)i;
    }
    qsort(v, n, sizeof *v, target_ref_cmp);
    for (g = 0; g < n; g = end) {
        for (end = g + 1; end < n &&
                          v[end].kind == v[g].kind && v[end].subject == v[g].subject &&
                          v[end].metric == v[g].metric;
             end++)
            ;
        for (i = g; i < end; i++) {
            size_t a = v[i].index;
            if (a < org->mark.targets)
                continue;
            for (j = g; j < i; j++) { /* earlier in the group = added earlier */
                size_t b = v[j].index;
                char wa[64], wb[64];
                if (t->from[a] > t->to[b] || t->from[b] > t->to[a])
                    continue;
                target_where(org, b, wb, sizeof wb);
                target_where(org, a, wa, sizeof wa);
                rc = smgi_err(org, SMG_ERULE,
                              "%s: target overlaps %s for the same subject and metric (%s)",
                              wa, wb, metric_names[t->metric[a]]);
                break;
            }
        }
    }
    smgi_free(&org->alloc, v);
    return rc;
}

/* ---- derived targets (RULES.md §2) ---- */

int smgi_target_months(smg_org *org, size_t i, int64_t parts[12], size_t *n)
{
    const smgi_targets *t = &org->targets;
    int64_t w[12];
    int first = smgi_month_index(t->from[i]) % 12, k, nm = months_of(t->period_kind[i]);
    for (k = 0; k < nm; k++)
        w[k] = t->profile[i] >= 0 ? org->profiles.weights[t->profile[i]][first + k] : 1;
    *n = (size_t)nm;
    if (smgi_split(t->amount[i], w, (size_t)nm, parts)) {
        char where[64];
        target_where(org, i, where, sizeof where);
        return smgi_err(org, SMG_ERANGE,
                        "%s: its profile gives every month of its period a zero weight", where);
    }
    return 0;
}

int smgi_month_days(const smgi_policy *p, smg_date first, int64_t amount, int64_t parts[31],
                    int *ndays)
{
    int64_t w[31];
    int y, m, d, n, work = 0;
    if (smg_date_split(first, &y, &m, NULL))
        return SMG_ERANGE;
    n = smg_days_in_month(y, m);
    for (d = 0; d < n; d++)
        work += (int)(w[d] = smgi_policy_is_workday(p, first + d) ? 1 : 0);
    if (!work) /* no working day at all: spread over the calendar days */
        for (d = 0; d < n; d++)
            w[d] = 1;
    *ndays = n;
    return smgi_split(amount, w, (size_t)n, parts);
}

int smgi_target_in(smg_org *org, size_t i, smg_date from, smg_date to, int64_t *out)
{
    const smgi_targets *t = &org->targets;
    int64_t months[12], days[31], sum = 0;
    size_t n, k;
    smg_date ms;
    int rc;
    *out = 0;
    if (t->to[i] < from || t->from[i] > to)
        return 0;
    if (from <= t->from[i] && t->to[i] <= to) {
        *out = t->amount[i]; /* the parts add up to the whole */
        return 0;
    }
    if ((rc = smgi_target_months(org, i, months, &n)))
        return rc;
    for (k = 0, ms = t->from[i]; k < n; k++, ms = smgi_next_month_start(ms)) {
        smg_date me = smgi_next_month_start(ms) - 1, a, b;
        int nd, d;
        if (me < from || ms > to)
            continue;
        if (from <= ms && me <= to) {
            sum += months[k]; /* parts of one target: no overflow */
            continue;
        }
        if ((rc = smgi_month_days(&org->policy, ms, months[k], days, &nd)))
            return smgi_err(org, rc, "cannot split a month of target #%lu", (unsigned long)i);
        a = from > ms ? from : ms;
        b = to < me ? to : me;
        for (d = (int)(a - ms); d <= (int)(b - ms); d++)
            sum += days[d];
    }
    *out = sum;
    return 0;
}

int smgi_target_amount(smg_org *org, int kind, int32_t subject, int metric, smg_date from,
                       smg_date to, int64_t *amount, int *is_null)
{
    const smgi_targets *t = &org->targets;
    int64_t sum = 0, v;
    size_t i;
    int rc, any = 0;
    for (i = 0; i < t->count; i++) {
        if (t->subject_kind[i] != kind || t->subject[i] != subject || t->metric[i] != metric ||
            t->to[i] < from || t->from[i] > to)
            continue;
        any = 1;
        if ((rc = smgi_target_in(org, i, from, to, &v)))
            return rc;
        if (__builtin_add_overflow(sum, v, &sum))
            return smgi_err(org, SMG_ERANGE, "the sum of the targets overflows");
    }
    *amount = sum;
    *is_null = !any;
    return 0;
}

int smg_target_get(smg_org *org, const smg_subject *subject, smg_metric metric,
                   const smg_period *period, int64_t *amount, int *is_null)
{
    int rc;
    if (!org || !amount || !is_null)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!subject || smg_subject_check(org, subject))
        return smgi_err(org, SMG_EINVAL,
                        "target: the subject is not a member, a team or the company of this org");
    if ((unsigned)metric >= NMETRICS)
        return smgi_err(org, SMG_EINVAL, "target: unknown metric %d", (int)metric);
    if (!period || smg_period_check(period))
        return smgi_err(org, SMG_EINVAL, "target: the period is not a valid period");
    return smgi_target_amount(org, (int)subject->kind,
                              subject->kind == SMG_SUBJECT_COMPANY ? 0 : (int32_t)subject->index,
                              (int)metric, period->from, period->to, amount, is_null);
}
