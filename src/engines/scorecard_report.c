/* The scorecard (考核细则, RULES.md §6): a month's item scores and work
 * score per member, and the months pay needs (scorecard_report.h).
 *
 * Faults of an item in a month: its `fault` events' counts plus the
 * deadline cycles the member missed. A cycle is the month (monthly:DD, due
 * on day DD or the month's last day) or a Monday–Sunday week (weekly:DOW,
 * due on that weekday, counted in the month of its due day); it is missed
 * when its due day lies within the member's dates and no `submit` of the
 * item by the member falls between the cycle's first day and the end of
 * its due day. Cycles and submits are both in time order, so one pointer
 * walks each item's submits once. */
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/scorecard.h"
#include "calendar.h"
#include "events.h"
#include "fields.h"
#include "org.h"
#include "scope.h"
#include "scorecard.h"
#include "scorecard_report.h"

/* ---- the months of the scorecard ---- */

void smgi_sc_free(smgi_sc *s)
{
    const smg_allocator *a;
    if (!s->org)
        return;
    a = &s->org->alloc;
    smgi_free(a, s->order);
    smgi_free(a, s->depth);
    smgi_free(a, s->roles);
    smgi_free(a, s->parent_of);
    smgi_free(a, s->mfirst);
    smgi_free(a, s->first);
    smgi_free(a, s->ev);
    smgi_free(a, s->faults);
    smgi_free(a, s->missed);
    smgi_free(a, s->score);
    smgi_free(a, s->sum);
    smgi_free(a, s->times);
    smgi_free(a, s->tfirst);
    memset(s, 0, sizeof *s);
}

static smg_date month_first(int mi)
{
    int y = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);
    return (smg_date)smgi_days_from_civil(y, (unsigned)(mi - y * 12) + 1, 1);
}

/* The items in pre-order, their depth, the roles each applies to. */
static void item_tree(smgi_sc *s, int32_t *child, int32_t *next)
{
    const smgi_scorecard *sc = &s->org->scorecard;
    size_t k, n = s->nitems, out = 0, sp = 0;
    int32_t *stack = s->depth; /* reused: depths are filled from the order after */
    for (k = 0; k < n; k++)
        child[k] = next[k] = -1;
    for (k = n; k-- > 0;) { /* linked at the head: siblings in index order */
        int32_t p = sc->parent[k];
        if (p >= 0) {
            next[k] = child[p];
            child[p] = (int32_t)k;
        }
    }
    for (k = n; k-- > 0;)
        if (sc->parent[k] < 0)
            stack[sp++] = (int32_t)k; /* popped in index order */
    while (sp) {
        int32_t x = stack[--sp], c;
        size_t from = sp;
        s->order[out++] = x;
        for (c = child[x]; c >= 0; c = next[c])
            stack[sp++] = c;
        /* the children were pushed in index order: reverse them, so that
         * the first is popped first */
        {
            size_t i = from, j = sp;
            while (i + 1 < j) {
                int32_t t = stack[i];
                stack[i++] = stack[--j];
                stack[j] = t;
            }
        }
    }
    for (k = 0; k < out; k++) {
        int32_t x = s->order[k], p = sc->parent[x];
        unsigned own = sc->roles[x] ? sc->roles[x] : SMGI_ALL_ROLES;
        s->depth[x] = p >= 0 ? s->depth[p] + 1 : 0;
        s->roles[x] = (uint8_t)(p >= 0 ? own & s->roles[p] : own);
        s->parent_of[x] = child[x] >= 0;
        s->any_role |= s->roles[x];
    }
}

int smgi_sc_init(smgi_sc *s, smg_org *org, int m0, int n)
{
    const smg_allocator *a = &org->alloc;
    const smgi_events *E = &org->events;
    size_t nm = org->members.ids.count, K = org->scorecard.ids.count, i, lo, hi, cnt = 0;
    int32_t *child = NULL, *next = NULL;
    int j;

    memset(s, 0, sizeof *s);
    s->org = org;
    s->m0 = m0;
    s->n = n;
    s->nitems = K;
    s->order = smgi_malloc(a, (K + 1) * sizeof *s->order);
    s->depth = smgi_malloc(a, (K + 1) * sizeof *s->depth);
    s->roles = smgi_malloc(a, K + 1);
    s->parent_of = smgi_malloc(a, K + 1);
    s->mfirst = smgi_malloc(a, ((size_t)n + 2) * sizeof *s->mfirst);
    s->first = smgi_calloc(a, nm + 2, sizeof *s->first);
    s->faults = smgi_malloc(a, ((size_t)n + 1) * (K + 1) * sizeof *s->faults);
    s->missed = smgi_malloc(a, ((size_t)n + 1) * (K + 1) * sizeof *s->missed);
    s->score = smgi_malloc(a, (K + 1) * sizeof *s->score);
    s->sum = smgi_malloc(a, (K + 1) * sizeof *s->sum);
    s->tfirst = smgi_malloc(a, (K + 2) * sizeof *s->tfirst);
    child = smgi_malloc(a, (K + 1) * sizeof *child);
    next = smgi_malloc(a, (K + 1) * sizeof *next);
    if (!s->order || !s->depth || !s->roles || !s->parent_of || !s->mfirst || !s->first ||
        !s->faults || !s->missed || !s->score || !s->sum || !s->tfirst || !child || !next)
        goto oom;
    item_tree(s, child, next);
    smgi_free(a, child);
    smgi_free(a, next);
    child = next = NULL;
    for (j = 0; j <= n + 1; j++)
        s->mfirst[j] = month_first(m0 - 1 + j);

    /* the faults and submits of the window, by member: the first cycle of
     * month m0-1 may start six days before it (a week it shares) */
    if (K) {
        smg_time t0 = ((smg_time)s->mfirst[0] - 6) * 86400,
                 t1 = (smg_time)s->mfirst[n + 1] * 86400;
        lo = smgi_log_lower_bound(E, t0);
        hi = smgi_log_lower_bound(E, t1);
        for (i = lo; i < hi; i++)
            if (E->type[i] == SMG_EV_FAULT || E->type[i] == SMG_EV_SUBMIT) {
                s->first[E->member[i] + 2]++;
                cnt++;
            }
        for (i = 2; i <= nm + 1; i++)
            s->first[i] += s->first[i - 1];
        s->ev = smgi_malloc(a, (cnt + 1) * sizeof *s->ev);
        s->times = smgi_malloc(a, (cnt + 1) * sizeof *s->times);
        if (!s->ev || !s->times)
            goto oom;
        for (i = lo; i < hi; i++) /* first[m + 1] runs ahead to first[m + 2] */
            if (E->type[i] == SMG_EV_FAULT || E->type[i] == SMG_EV_SUBMIT)
                s->ev[s->first[E->member[i] + 1]++] = (uint32_t)i;
    }
    return 0;
oom:
    smgi_free(a, child);
    smgi_free(a, next);
    smgi_sc_free(s);
    return smgi_err(org, SMG_ENOMEM, "out of memory");
}

/* The submits of item k in ticks [s->times + tfirst[k], ...) from cycle
 * start cs (a day) to the end of due day d: one there? *p walks on. */
static int submitted(const smgi_sc *s, size_t *p, size_t end, smg_date cs, smg_date d)
{
    while (*p < end && s->times[*p] < (smg_time)cs * 86400)
        ++*p;
    return *p < end && s->times[*p] < ((smg_time)d + 1) * 86400;
}

/* Add the deadline cycles of item k that member m missed in each month. */
static void deadlines(smgi_sc *s, size_t m, size_t k)
{
    const smgi_scorecard *sc = &s->org->scorecard;
    size_t p = s->tfirst[k], end = s->tfirst[k + 1], K = s->nitems;
    int kind = sc->due_kind[k], day = sc->due_day[k], j;
    for (j = 0; j <= s->n; j++) {
        smg_date f = s->mfirst[j], next = s->mfirst[j + 1], d, cs;
        int step;
        if (kind == SMG_DEADLINE_MONTHLY) {
            d = f + (day <= next - f ? day : next - f) - 1;
            step = 0;
        } else {
            d = f + (day - smg_date_weekday(f) + 7) % 7;
            step = 7;
        }
        for (; d < next; d += step) {
            cs = step ? d - day : f;
            if (smgi_member_employed(s->org, m, d, d) && !submitted(s, &p, end, cs, d)) {
                s->faults[(size_t)j * K + k]++;
                s->missed[(size_t)j * K + k]++;
            }
            if (!step)
                break;
        }
    }
}

void smgi_sc_member(smgi_sc *s, size_t m, int64_t *work)
{
    const smg_org *org = s->org;
    const smgi_events *E = &org->events;
    const smgi_scorecard *sc = &org->scorecard;
    size_t K = s->nitems, x, k, lo = s->first[m], hi = s->first[m + 1];
    unsigned role = org->members.role[m];
    int j;

    for (j = 0; j < s->n; j++)
        work[j] = -1;
    if (!(s->any_role >> role & 1))
        return;
    memset(s->faults, 0, ((size_t)s->n + 1) * K * sizeof *s->faults);
    memset(s->missed, 0, ((size_t)s->n + 1) * K * sizeof *s->missed);
    /* faults per month; submits grouped by item, in time order */
    memset(s->tfirst, 0, (K + 2) * sizeof *s->tfirst);
    for (x = lo; x < hi; x++) {
        size_t i = s->ev[x];
        int32_t item = smgi_event_item(org, i);
        if (E->type[i] == SMG_EV_SUBMIT) {
            s->tfirst[item + 2]++;
        } else {
            int mj = smgi_month_index(smgi_day_of(E->at[i])) - (s->m0 - 1);
            if (mj >= 0 && mj <= s->n)
                s->faults[(size_t)mj * K + (size_t)item] += smgi_event_amount(org, i);
        }
    }
    for (k = 2; k <= K + 1; k++)
        s->tfirst[k] += s->tfirst[k - 1];
    for (x = lo; x < hi; x++) {
        size_t i = s->ev[x];
        if (E->type[i] == SMG_EV_SUBMIT)
            s->times[s->tfirst[smgi_event_item(org, i) + 1]++] = E->at[i];
    }
    for (k = 0; k < K; k++)
        if (sc->due_kind[k] != SMG_DEADLINE_NONE && (s->roles[k] >> role & 1))
            deadlines(s, m, k);

    /* the scores, month by month, children before their parents */
    for (j = 1; j <= s->n; j++) {
        const int64_t *f = s->faults + (size_t)j * K, *prev = f - K;
        int64_t total = 0;
        memset(s->sum, 0, K * sizeof *s->sum);
        for (x = K; x-- > 0;) {
            int32_t i = s->order[x], p = sc->parent[i];
            int64_t pts = sc->points[i], v;
            if (!(s->roles[i] >> role & 1))
                continue;
            if (s->parent_of[i])
                v = f[i] ? 0 : s->sum[i] < pts ? s->sum[i] : pts;
            else if (sc->deduct[i] == SMG_POINTS_NONE)
                v = f[i] ? 0 : pts;
            else if (f[i] > pts) /* a deduction is at least a hundredth: all gone */
                v = 0;
            else {
                int64_t off = sc->deduct[i] * f[i] * (prev[i] > 0 ? 2 : 1);
                v = off >= pts ? 0 : pts - off;
            }
            s->score[i] = v;
            if (p >= 0)
                s->sum[p] += v;
            else
                total += v;
        }
        if (smgi_member_employed(org, m, s->mfirst[j], s->mfirst[j + 1] - 1))
            work[j - 1] = total < 10000 ? total : 10000;
    }
}

/* ---- the result ---- */

typedef struct sc_member {
    int32_t member;
    uint8_t source;
    int64_t work;  /* hundredths */
    int64_t card;  /* the scorecard's, hundredths; -1 = it does not score */
    size_t first, lines;
} sc_member;

typedef struct sc_line {
    int32_t member, item, depth;
    uint8_t doubled;
    int64_t score, faults, missed;
} sc_line;

struct smg_scorecard {
    smg_allocator alloc;
    size_t nm, nl;
    sc_member *m;
    sc_line *l;
};

static const char *const source_names[] = { "none", "given", "scorecard" };

const char *smg_score_source_name(smg_score_source src)
{
    return (unsigned)src < 3 ? source_names[src] : NULL;
}

int smg_scorecard_options_init(smg_scorecard_options *opts, unsigned version)
{
    smg_scorecard_options init = SMG_SCORECARD_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_SCORECARD_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

void smg_scorecard_free(smg_scorecard *r)
{
    smg_allocator al;
    if (!r)
        return;
    al = r->alloc;
    smgi_free(&al, r->m);
    smgi_free(&al, r->l);
    smgi_free(&al, r);
}

int smg_scorecard_compute(smg_scorecard **out, smg_org *org, const smg_scorecard_options *opts)
{
    const smg_allocator *al;
    const smgi_events *E;
    smg_scorecard *r = NULL;
    smgi_scope scope;
    smgi_sc s;
    smg_date from, to;
    int64_t *given = NULL, work;
    size_t nm, i, lo, hi, nl = 0, nrows = 0, *per_role = NULL;
    int rc, scope_ok = 0;

    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if (org->in_batch)
        return smgi_err(org, SMG_ESTATE, "scorecard: a batch is open; commit it first");
    smgi_err_clear(org);
    if (!opts)
        return smgi_err(org, SMG_EINVAL,
                        "scorecard: the options are NULL: the month is required");
    if (opts->version != SMG_SCORECARD_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "unknown smg_scorecard_options version %u",
                        opts->version);
    if (opts->month.kind == 0)
        return smgi_err(org, SMG_EINVAL, "scorecard: the month is required (make it with "
                                         "smg_period_month())");
    if (opts->month.kind != SMG_PERIOD_MONTH || smg_period_check(&opts->month))
        return smgi_err(org, SMG_EINVAL,
                        "scorecard: the month (kind %d, days %ld..%ld) is not a valid period "
                        "of kind SMG_PERIOD_MONTH",
                        (int)opts->month.kind, (long)opts->month.from, (long)opts->month.to);
    from = opts->month.from;
    to = opts->month.to;
    al = &org->alloc;
    E = &org->events;
    nm = org->members.ids.count;
    memset(&s, 0, sizeof s);

    if ((rc = smgi_scope_init(org, opts->as_member, &scope)))
        return rc;
    scope_ok = 1;
    if ((rc = smgi_sc_init(&s, org, smgi_month_index(from), 1)))
        goto done;
    if ((r = smgi_calloc(al, 1, sizeof *r)) != NULL)
        r->alloc = *al; /* freed through the org's allocator from here on */
    given = smgi_malloc(al, (nm + 1) * sizeof *given);
    per_role = smgi_calloc(al, 5, sizeof *per_role);
    if (!given || !per_role || !r) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    /* the month's given scores: the latest one stays (the log is in order) */
    for (i = 0; i < nm; i++)
        given[i] = -1;
    lo = smgi_log_lower_bound(E, (smg_time)from * 86400);
    hi = smgi_log_lower_bound(E, ((smg_time)to + 1) * 86400);
    for (i = lo; i < hi; i++)
        if (E->type[i] == SMG_EV_WORK_SCORE)
            given[E->member[i]] = smgi_event_amount(org, i);
    /* the rows: every visible member; a line per item that applies to a
     * member the scorecard scores */
    for (i = 0; i < s.nitems; i++) {
        unsigned k;
        for (k = 0; k < 5; k++)
            per_role[k] += s.roles[i] >> k & 1;
    }
    for (i = 0; i < nm; i++) {
        /* listed if in a visible subtree at the end of the month (RULES.md
         * §1, moves over time), or the querying member */
        if (!smgi_scope_member_day(org, &scope, i, to))
            continue;
        nrows++;
        if (smgi_member_employed(org, i, from, to))
            nl += per_role[org->members.role[i]];
    }
    r->m = smgi_malloc(al, (nrows ? nrows : 1) * sizeof *r->m);
    r->l = smgi_malloc(al, (nl ? nl : 1) * sizeof *r->l);
    if (!r->m || !r->l) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nm; i++) {
        sc_member *row;
        unsigned role = org->members.role[i];
        size_t x;
        if (!smgi_scope_member_day(org, &scope, i, to))
            continue;
        row = &r->m[r->nm++];
        smgi_sc_member(&s, i, &work);
        row->member = (int32_t)i;
        row->card = work;
        row->first = r->nl;
        row->lines = 0;
        if (given[i] >= 0) {
            row->source = SMG_SCORE_SOURCE_GIVEN;
            row->work = given[i];
        } else if (work >= 0) {
            row->source = SMG_SCORE_SOURCE_SCORECARD;
            row->work = work;
        } else {
            row->source = SMG_SCORE_SOURCE_NONE;
            row->work = 0;
        }
        if (work < 0)
            continue;
        for (x = 0; x < s.nitems; x++) {
            int32_t k = s.order[x];
            const int64_t *f = s.faults + s.nitems;
            sc_line *l;
            if (!(s.roles[k] >> role & 1))
                continue;
            l = &r->l[r->nl++];
            l->member = (int32_t)i;
            l->item = k;
            l->depth = s.depth[k];
            l->score = s.score[k];
            l->faults = f[k];
            l->missed = s.missed[s.nitems + (size_t)k];
            l->doubled = !s.parent_of[k] && org->scorecard.deduct[k] != SMG_POINTS_NONE &&
                         f[k] > 0 && s.faults[k] > 0;
            row->lines++;
        }
    }
    *out = r;
    r = NULL;
done:
    smg_scorecard_free(r);
    if (scope_ok)
        smgi_scope_free(al, &scope);
    smgi_sc_free(&s);
    smgi_free(al, given);
    smgi_free(al, per_role);
    return rc;
}

/* ---- getters ---- */

static const smgi_field member_fields[] = {
    { "member", SMG_TYPE_INDEX },        { "work_score", SMG_TYPE_DOUBLE },
    { "source", SMG_TYPE_ENUM },         { "work_score_x100", SMG_TYPE_INT },
    { "scorecard_score", SMG_TYPE_DOUBLE }, { "scorecard_score_x100", SMG_TYPE_INT },
    { "first_line", SMG_TYPE_INT },      { "lines", SMG_TYPE_INT },
};

static size_t member_count(const void *r)
{
    return ((const smg_scorecard *)r)->nm;
}

/* Scores are kept in hundredths: the DOUBLE fields read them / 100. */
static void member_value(const void *r, size_t row, int f, smgi_value *v)
{
    const sc_member *p = &((const smg_scorecard *)r)->m[row];
    switch ((smg_scorecard_member_field)f) {
    case SMG_SCORECARD_MEMBER_MEMBER: smgi_value_index(v, p->member); break;
    case SMG_SCORECARD_MEMBER_WORK_SCORE: smgi_value_real(v, (double)p->work / 100, 0); break;
    case SMG_SCORECARD_MEMBER_WORK_SCORE_X100: smgi_value_num(v, p->work, 0); break;
    case SMG_SCORECARD_MEMBER_SOURCE: smgi_value_num(v, p->source, 0); break;
    case SMG_SCORECARD_MEMBER_SCORECARD_SCORE:
        smgi_value_real(v, (double)p->card / 100, p->card < 0);
        break;
    case SMG_SCORECARD_MEMBER_SCORECARD_SCORE_X100:
        smgi_value_num(v, p->card, p->card < 0);
        break;
    case SMG_SCORECARD_MEMBER_FIRST_LINE: smgi_value_num(v, (int64_t)p->first, 0); break;
    case SMG_SCORECARD_MEMBER_LINES: smgi_value_num(v, (int64_t)p->lines, 0); break;
    }
}

static const smgi_field line_fields[] = {
    { "member", SMG_TYPE_INDEX }, { "item", SMG_TYPE_INDEX },      { "score", SMG_TYPE_DOUBLE },
    { "faults", SMG_TYPE_INT },   { "doubled", SMG_TYPE_BOOL },    { "score_x100", SMG_TYPE_INT },
    { "missed", SMG_TYPE_INT },   { "depth", SMG_TYPE_INT },
};

static size_t line_count(const void *r)
{
    return ((const smg_scorecard *)r)->nl;
}

static void line_value(const void *r, size_t row, int f, smgi_value *v)
{
    const sc_line *p = &((const smg_scorecard *)r)->l[row];
    switch ((smg_scorecard_line_field)f) {
    case SMG_SCORECARD_LINE_MEMBER: smgi_value_index(v, p->member); break;
    case SMG_SCORECARD_LINE_ITEM: smgi_value_index(v, p->item); break;
    case SMG_SCORECARD_LINE_SCORE: smgi_value_real(v, (double)p->score / 100, 0); break;
    case SMG_SCORECARD_LINE_SCORE_X100: smgi_value_num(v, p->score, 0); break;
    case SMG_SCORECARD_LINE_FAULTS: smgi_value_num(v, p->faults, 0); break;
    case SMG_SCORECARD_LINE_DOUBLED: smgi_value_num(v, p->doubled, 0); break;
    case SMG_SCORECARD_LINE_MISSED: smgi_value_num(v, p->missed, 0); break;
    case SMG_SCORECARD_LINE_DEPTH: smgi_value_num(v, p->depth, 0); break;
    }
}

static const smgi_table member_table =
    SMGI_TABLE(member_fields, member_count, NULL, member_value);
static const smgi_table line_table = SMGI_TABLE(line_fields, line_count, NULL, line_value);

/* The public table getters, one line each (fields.h):
 * smg_scorecard_member_count, smg_scorecard_member_field_name,
 * smg_scorecard_member_field_type and the typed getters; the same for
 * smg_scorecard_line_. */
SMGI_TABLE_META(smg_scorecard_member, smg_scorecard, smg_scorecard_member_field, member_table)
SMGI_TABLE_GET(smg_scorecard_member, index, size_t, smg_scorecard, smg_scorecard_member_field,
               member_table)
SMGI_TABLE_GET(smg_scorecard_member, int, int64_t, smg_scorecard, smg_scorecard_member_field,
               member_table)
SMGI_TABLE_GET(smg_scorecard_member, double, double, smg_scorecard, smg_scorecard_member_field,
               member_table)
SMGI_TABLE_META(smg_scorecard_line, smg_scorecard, smg_scorecard_line_field, line_table)
SMGI_TABLE_GET(smg_scorecard_line, index, size_t, smg_scorecard, smg_scorecard_line_field,
               line_table)
SMGI_TABLE_GET(smg_scorecard_line, int, int64_t, smg_scorecard, smg_scorecard_line_field,
               line_table)
SMGI_TABLE_GET(smg_scorecard_line, double, double, smg_scorecard, smg_scorecard_line_field,
               line_table)

int smg_scorecard_member_subject(const smg_scorecard *r, size_t row, smg_subject *out)
{
    if (!r || !out || row >= r->nm)
        return SMG_EINVAL;
    out->kind = SMG_SUBJECT_MEMBER;
    out->index = (size_t)r->m[row].member;
    return 0;
}

int smg_scorecard_line_subject(const smg_scorecard *r, size_t row, smg_subject *out)
{
    if (!r || !out || row >= r->nl)
        return SMG_EINVAL;
    out->kind = SMG_SUBJECT_MEMBER;
    out->index = (size_t)r->l[row].member;
    return 0;
}

