/* The targets of a period for every subject, and the team split gaps
 * (分解差额, RULES.md §2): smg_targets_compute() and its table. The
 * derivation of each target is the model's (targets.h); this engine adds
 * the roll-up, the gaps and visibility. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/target.h"
#include "salesmgmt/team.h"
#include "fields.h"
#include "org.h"
#include "scope.h"
#include "stints.h"
#include "targets.h"

#define NMETRICS 6

/* ---- the targets of a period, and the team split gaps ---- */

int smg_targets_options_init(smg_targets_options *opts, unsigned version)
{
    smg_targets_options init = SMG_TARGETS_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_TARGETS_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

typedef struct targets_row {
    uint8_t kind;      /* smg_subject_kind */
    uint8_t metric;
    uint8_t null_own, null_children;
    int32_t subject;   /* member or team index; 0 for the company */
    int64_t own, children;
} targets_row;

struct smg_targets {
    smg_allocator alloc;
    targets_row *rows;
    size_t count;
};

void smg_targets_free(smg_targets *r)
{
    smg_allocator a;
    if (!r)
        return;
    a = r->alloc;
    smgi_free(&a, r->rows);
    smgi_free(&a, r);
}

/* Per subject (slot 0 = company, 1 + team index, 1 + teams + member
 * index) and metric. */
typedef struct targets_acc {
    int64_t own, children;
    uint8_t has_own, has_children;
} targets_acc;

int smg_targets_compute(smg_targets **out, smg_org *org, const smg_targets_options *opts)
{
    const smgi_targets *t;
    const smg_allocator *a;
    smg_targets *g = NULL;
    targets_acc *acc = NULL;
    smgi_scope sc;
    smgi_stints st;
    smg_date from, to;
    size_t nslots, nt, i, nrows = 0, s;
    int rc;
    char ptext[32];

    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!opts)
        return smgi_err(org, SMG_EINVAL, "targets: options are required (the period)");
    if (opts->version != SMG_TARGETS_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "targets: unknown smg_targets_options version %u",
                        opts->version);
    if (opts->period.kind == 0)
        return smgi_err(org, SMG_EINVAL, "targets: the period is required");
    if (smg_period_check(&opts->period))
        return smgi_err(org, SMG_EINVAL, "targets: the period is not a valid period");
    from = opts->period.from;
    to = opts->period.to;
    if ((rc = smgi_scope_init(org, opts->as_member, &sc)))
        return rc;
    t = &org->targets;
    a = &org->alloc;
    nt = org->teams.ids.count;
    nslots = 1 + nt + org->members.ids.count;
    acc = smgi_calloc(a, nslots * NMETRICS, sizeof *acc);
    g = smgi_calloc(a, 1, sizeof *g);
    /* a member's target rolls up to its team at the end of the period's
     * last day (RULES.md §1, moves over time) */
    if (smgi_stints_build(org, &st) || !acc || !g) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto fail;
    }
    g->alloc = *a;
    for (i = 0; i < t->count; i++) {
        int64_t v;
        size_t self, parent = SIZE_MAX; /* slots */
        targets_acc *x;
        if (t->to[i] < from || t->from[i] > to)
            continue;
        if ((rc = smgi_target_in(org, i, from, to, &v)))
            goto fail;
        switch (t->subject_kind[i]) {
        case SMG_SUBJECT_COMPANY:
            self = 0;
            break;
        case SMG_SUBJECT_TEAM:
            self = 1 + (size_t)t->subject[i];
            parent = (size_t)(1 + org->teams.parent[t->subject[i]]); /* root -> company */
            break;
        default:
            self = 1 + nt + (size_t)t->subject[i];
            parent = 1 + (size_t)smgi_team_at_day_end(org, &st, (size_t)t->subject[i], to);
            break;
        }
        x = &acc[self * NMETRICS + t->metric[i]];
        /* one target per subject, metric and day: overlaps are refused,
         * but several (e.g. monthly) targets may fall in the period */
        if (__builtin_add_overflow(x->own, v, &x->own))
            goto overflow;
        x->has_own = 1;
        if (parent != SIZE_MAX) {
            x = &acc[parent * NMETRICS + t->metric[i]];
            if (__builtin_add_overflow(x->children, v, &x->children))
                goto overflow;
            x->has_children = 1;
        }
    }
    /* what the scope may see: the company with full rights only */
    for (s = 0; s < nslots; s++) {
        int seen = s == 0        ? sc.full
                   : s < 1 + nt ? smgi_scope_team(&sc, s - 1)
                                 : smgi_scope_member_day(org, &sc, s - 1 - nt, to);
        size_t k;
        for (k = 0; k < NMETRICS; k++) {
            targets_acc *x = &acc[s * NMETRICS + k];
            if (!seen)
                x->has_own = x->has_children = 0;
            nrows += x->has_own || x->has_children;
        }
    }
    if (nrows) {
        g->rows = smgi_malloc(a, nrows * sizeof *g->rows);
        if (!g->rows) {
            rc = smgi_err(org, SMG_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (s = 0; s < nslots * NMETRICS; s++) {
        size_t slot = s / NMETRICS;
        targets_row *r;
        if (!acc[s].has_own && !acc[s].has_children)
            continue;
        r = &g->rows[g->count++];
        if (slot == 0) {
            r->kind = SMG_SUBJECT_COMPANY;
            r->subject = 0;
        } else if (slot < 1 + nt) {
            r->kind = SMG_SUBJECT_TEAM;
            r->subject = (int32_t)(slot - 1);
        } else {
            r->kind = SMG_SUBJECT_MEMBER;
            r->subject = (int32_t)(slot - 1 - nt);
        }
        r->metric = (uint8_t)(s % NMETRICS);
        r->own = acc[s].own;
        r->children = acc[s].children;
        r->null_own = !acc[s].has_own;
        r->null_children = !acc[s].has_children;
        if (acc[s].has_own) {
            int64_t gap;
            if (__builtin_sub_overflow(r->own, r->children, &gap))
                goto overflow;
        }
    }
    smgi_free(a, acc);
    smgi_scope_free(a, &sc);
    smgi_stints_free(a, &st);
    *out = g;
    return 0;
overflow:
    if (smg_period_format(ptext, sizeof ptext, &opts->period) < 0)
        strcpy(ptext, "the period");
    rc = smgi_err(org, SMG_ERANGE, "the sum of the targets for %s overflows", ptext);
fail:
    smgi_free(a, acc);
    smgi_scope_free(a, &sc);
    smgi_stints_free(a, &st);
    if (g) /* freed through the org's allocator: g->alloc may not be set yet */
        smgi_free(a, g->rows);
    smgi_free(a, g);
    return rc;
}

int smg_targets_subject(const smg_targets *r, size_t row, smg_subject *out)
{
    if (!r || !out || row >= r->count)
        return SMG_EINVAL;
    out->kind = (smg_subject_kind)r->rows[row].kind;
    out->index = (size_t)r->rows[row].subject;
    return 0;
}

/* ---- the table ---- */

static const smgi_field targets_fields[] = {
    { "metric", SMG_TYPE_ENUM },
    { "target", SMG_TYPE_INT },
    { "children_sum", SMG_TYPE_INT },
    { "gap", SMG_TYPE_INT },
};

static size_t targets_count(const void *r)
{
    return ((const smg_targets *)r)->count;
}

static void targets_value(const void *r, size_t row, int f, smgi_value *v)
{
    const targets_row *x = &((const smg_targets *)r)->rows[row];
    switch ((smg_targets_field)f) {
    case SMG_TARGETS_METRIC: smgi_value_num(v, x->metric, 0); break;
    case SMG_TARGETS_TARGET: smgi_value_num(v, x->own, x->null_own); break;
    case SMG_TARGETS_CHILDREN_SUM: smgi_value_num(v, x->children, x->null_children); break;
    case SMG_TARGETS_GAP: {
        /* a null children sum is 0; a member has no gap */
        int null = x->null_own || x->kind == SMG_SUBJECT_MEMBER;
        smgi_value_num(v, null ? 0 : x->own - x->children, null);
        break;
    }
    }
}

static const smgi_table targets_table = SMGI_TABLE(targets_fields, targets_count, NULL,
                                                   targets_value);

/* The public table getters, one line each (fields.h): smg_targets_count,
 * smg_targets_field_name, smg_targets_field_type and the typed getters below. */
SMGI_TABLE_META(smg_targets, smg_targets, smg_targets_field, targets_table)
SMGI_TABLE_GET(smg_targets, int, int64_t, smg_targets, smg_targets_field, targets_table)
