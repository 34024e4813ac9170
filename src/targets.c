/* Targets and seasonality profiles (RULES.md §2): storage and the
 * overlap rule checked at commit. */
#include <stdio.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/target.h"
#include "org.h"

static const char *const metric_names[] = { "sales_amount", "gross_profit", "deal_count",
                                            "new_customers", "visits", "collections" };
#define NMETRICS 6

int smg_metric_parse(const char *s, smg_metric *out)
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
    smgi_free(a, t->subject_kind);
    smgi_free(a, t->subject);
    smgi_free(a, t->metric);
    smgi_free(a, t->period_kind);
    smgi_free(a, t->from);
    smgi_free(a, t->to);
    smgi_free(a, t->amount);
    smgi_free(a, t->profile);
    smgi_free(a, t->line);
    memset(t, 0, sizeof *t);
}

void smgi_profiles_free(const smg_allocator *a, smgi_profiles *p)
{
    smgi_strtab_free(a, &p->names);
    smgi_free(a, p->weights);
    memset(p, 0, sizeof *p);
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
    if (smgi_find(&p->names, name) >= 0)
        return smgi_err(org, SMG_EEXISTS, "profile \"%s\" is defined twice", name);
    if (SMGI_GROW(&org->alloc, p->weights, p->cap, p->names.count + 1) ||
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
    const smg_allocator *a = &org->alloc;
    size_t c;
    if (need <= t->cap)
        return 0;
#define G(col) c = t->cap; if (SMGI_GROW(a, t->col, c, need)) return SMG_ENOMEM;
    G(subject_kind) G(subject) G(metric) G(period_kind) G(from) G(to) G(amount) G(profile)
    G(line)
#undef G
    t->cap = c;
    return 0;
}

/* "target #3" or "targets.csv:4" */
static void target_where(const smg_org *org, size_t i, char *buf, size_t len)
{
    if (org->targets.line[i])
        snprintf(buf, len, "targets.csv:%lu", (unsigned long)org->targets.line[i]);
    else
        snprintf(buf, len, "target #%lu", (unsigned long)i);
}

static int target_add(smg_org *org, const char *subject, smg_metric metric,
                      const char *period, int64_t amount, const char *profile)
{
    smgi_targets *t = &org->targets;
    char w[64];
    int kind = SMGI_SUBJECT_COMPANY, pk;
    long who = -1, prof = -1;
    smg_date from, to;
    size_t i = t->count;

    if (org->cur_line)
        snprintf(w, sizeof w, "targets.csv:%lu: ", (unsigned long)org->cur_line);
    else
        snprintf(w, sizeof w, "target #%lu: ", (unsigned long)i);
    if (!subject || !*subject)
        return smgi_err(org, SMG_EINVAL, "%scolumn subject: a subject is required", w);
    if (strncmp(subject, "member:", 7) == 0) {
        kind = SMGI_SUBJECT_MEMBER;
        who = smgi_find(&org->members.ids, subject + 7);
    } else if (strncmp(subject, "team:", 5) == 0) {
        kind = SMGI_SUBJECT_TEAM;
        who = smgi_find(&org->teams.ids, subject + 5);
    } else if (strcmp(subject, "company") != 0) {
        return smgi_err(org, SMG_EPARSE,
                        "%scolumn subject: \"%s\" is not member:ID, team:ID or company", w,
                        subject);
    }
    if (kind != SMGI_SUBJECT_COMPANY && who < 0)
        return smgi_err(org, SMG_ENOTFOUND, "%scolumn subject: %s does not exist", w, subject);
    if ((unsigned)metric >= NMETRICS)
        return smgi_err(org, SMG_ERANGE, "%scolumn metric: unknown metric %d", w, (int)metric);
    pk = period ? smg_period_kind(period) : SMG_EINVAL;
    if (pk < 0 || pk == SMG_PERIOD_RANGE || smg_period_parse(period, &from, &to))
        return smgi_err(org, SMG_EPARSE,
                        "%scolumn period: \"%s\" is not YYYY, YYYY-Qn or YYYY-MM", w,
                        period ? period : "");
    if (amount < 0)
        return smgi_err(org, SMG_ERANGE, "%scolumn amount: a target must not be negative", w);
    if (profile && *profile) {
        prof = smgi_find(&org->profiles.names, profile);
        if (prof < 0)
            return smgi_err(org, SMG_ENOTFOUND, "%scolumn profile: profile \"%s\" does not exist",
                            w, profile);
    }
    if (targets_grow(org, i + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    t->subject_kind[i] = (uint8_t)kind;
    t->subject[i] = (int32_t)who;
    t->metric[i] = (uint8_t)metric;
    t->period_kind[i] = (uint8_t)pk;
    t->from[i] = from;
    t->to[i] = to;
    t->amount[i] = amount;
    t->profile[i] = (int32_t)prof;
    t->line[i] = org->cur_line;
    t->count++;
    return 0;
}

int smg_target_add(smg_org *org, const char *subject, smg_metric metric, const char *period,
                   int64_t amount, const char *profile)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, target_add(org, subject, metric, period, amount, profile));
}

int smgi_targets_commit(smg_org *org)
{
    const smgi_targets *t = &org->targets;
    size_t i, j;
    int rc = 0;
    /* each new target against every earlier one; targets are few (one per
     * subject, metric and period), so the quadratic scan stays small */
    for (i = org->mark.targets; i < t->count; i++)
        for (j = 0; j < i; j++) {
            char a[64], b[64];
            if (t->metric[i] != t->metric[j] || t->subject_kind[i] != t->subject_kind[j] ||
                t->subject[i] != t->subject[j] || t->from[i] > t->to[j] ||
                t->from[j] > t->to[i])
                continue;
            target_where(org, j, a, sizeof a);
            target_where(org, i, b, sizeof b);
            rc = smgi_err(org, SMG_ERULE,
                          "%s: target overlaps %s for the same subject and metric (%s)", b, a,
                          metric_names[t->metric[i]]);
            break;
        }
    return rc;
}
