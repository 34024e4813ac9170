/* The reception rotation (轮序): the day's order of sign-ins, turns used by
 * new customers, named and returning customers, duty receptions. The live
 * handle and the replay of a day share one decision function. */
#include <string.h>

#include "salesmgmt/attribution.h"
#include "salesmgmt/calendar.h"
#include "salesmgmt/rotation.h"
#include "attribution.h"
#include "events.h"
#include "fields.h"
#include "org.h"
#include "scope.h"

enum { ABSENT = 0, FREE = 1, BUSY = 2 };

struct smg_rotation {
    smg_org *org;
    int32_t *order;   /* signed-in members, first to last */
    uint8_t *state;   /* per member: ABSENT, FREE, BUSY */
    size_t n, cap;    /* cap: members covered by order/state */
};

void smg_rotation_free(smg_rotation *r)
{
    if (!r)
        return;
    smgi_free(&r->org->alloc, r->order);
    smgi_free(&r->org->alloc, r->state);
    smgi_free(&r->org->alloc, r);
}

const char *smg_arrival_name(smg_arrival kind)
{
    static const char *const names[] = { NULL, "new", "named", "returning", "referral", "peer" };
    return kind >= SMG_ARRIVAL_NEW && kind <= SMG_ARRIVAL_PEER ? names[kind] : NULL;
}

int smg_rotation_new(smg_rotation **out, smg_org *org)
{
    smg_rotation *r;
    if (!out || !org)
        return SMG_EINVAL;
    *out = NULL;
    r = smgi_calloc(&org->alloc, 1, sizeof *r);
    if (!r)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    r->org = org;
    *out = r;
    return 0;
}

/* Make room for member index m (members may be added after the rotation). */
static int cover(smg_rotation *r, size_t m)
{
    size_t need = m + 1, c = r->cap, i;
    if (need <= r->cap)
        return 0;
    if (SMGI_GROW(&r->org->alloc, r->order, c, need))
        return SMG_ENOMEM;
    c = r->cap;
    if (SMGI_GROW(&r->org->alloc, r->state, c, need))
        return SMG_ENOMEM;
    for (i = r->cap; i < c; i++)
        r->state[i] = ABSENT;
    r->cap = c;
    return 0;
}

static int signin(smg_rotation *r, int32_t m)
{
    if (cover(r, (size_t)m))
        return SMG_ENOMEM;
    if (r->state[m] != ABSENT)
        return SMG_EEXISTS;
    r->state[m] = FREE;
    r->order[r->n++] = m;
    return 0;
}

static int state_of(const smg_rotation *r, int32_t m)
{
    return m >= 0 && (size_t)m < r->cap ? r->state[m] : ABSENT;
}

/* Position in the order of the first / last free member, or -1. With
 * `ignore_busy` every signed-in member counts as free (a replay). */
static long first_free(const smg_rotation *r, int ignore_busy)
{
    size_t i;
    for (i = 0; i < r->n; i++)
        if (ignore_busy || r->state[r->order[i]] == FREE)
            return (long)i;
    return -1;
}

static long last_free(const smg_rotation *r, int ignore_busy)
{
    size_t i;
    for (i = r->n; i > 0; i--)
        if (ignore_busy || r->state[r->order[i - 1]] == FREE)
            return (long)(i - 1);
    return -1;
}

/* Who should receive: the member, whether it is a duty reception, and
 * whether the customer is new (their receiver's turn is used).
 * SMG_ESTATE when nobody is free. */
static int decide(const smg_rotation *r, smg_arrival kind, int32_t named, int ignore_busy,
                  int32_t *who, int *duty, int *turn)
{
    long p;
    int st = state_of(r, named);
    *duty = 0;
    *turn = 0;
    if (named >= 0 && kind != SMG_ARRIVAL_NEW && kind != SMG_ARRIVAL_PEER &&
        (st != ABSENT || kind == SMG_ARRIVAL_RETURNING)) {
        if (st == FREE || (st == BUSY && ignore_busy)) {
            *who = named; /* their own customer: no turn used */
            return 0;
        }
        /* busy, or a returning customer's protector is absent: the last in
         * the order receives on their behalf (R8) */
        p = last_free(r, ignore_busy);
        if (p < 0)
            return SMG_ESTATE;
        *who = r->order[p];
        *duty = 1;
        return 0;
    }
    p = first_free(r, ignore_busy); /* a new customer takes a turn */
    if (p < 0)
        return SMG_ESTATE;
    *who = r->order[p];
    *turn = 1;
    return 0;
}

/* Member m used their turn: to the end of the order. */
static void use_turn(smg_rotation *r, int32_t m)
{
    size_t i;
    for (i = 0; i < r->n && r->order[i] != m; i++)
        ;
    if (i == r->n)
        return;
    memmove(r->order + i, r->order + i + 1, (r->n - i - 1) * sizeof *r->order);
    r->order[r->n - 1] = m;
}

static long member_of(smg_rotation *r, const char *id, int *rc)
{
    long m;
    *rc = 0;
    if (!id || !*id)
        return -1;
    m = smgi_strtab_find_str(&r->org->members.ids, id);
    if (m < 0)
        *rc = smgi_err(r->org, SMG_ENOTFOUND, "rotation: member \"%s\" does not exist", id);
    return m;
}

int smg_rotation_signin(smg_rotation *r, const char *member_id)
{
    long m;
    int rc;
    if (!r || !member_id)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(r->org)))
        return rc;
    m = member_of(r, member_id, &rc);
    if (rc || m < 0)
        return rc ? rc : smgi_err(r->org, SMG_EINVAL, "rotation: a member is required");
    rc = signin(r, (int32_t)m);
    if (rc == SMG_EEXISTS)
        return smgi_err(r->org, rc, "rotation: member \"%s\" is already signed in", member_id);
    return rc ? smgi_err(r->org, rc, "out of memory") : 0;
}

int smg_rotation_arrive(smg_rotation *r, smg_arrival kind, const char *member_id,
                        size_t *receiver, int *duty)
{
    int32_t who;
    int d, turn, rc;
    long named;
    if (!r)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(r->org)))
        return rc;
    if (kind < SMG_ARRIVAL_NEW || kind > SMG_ARRIVAL_PEER)
        return smgi_err(r->org, SMG_EINVAL, "rotation: unknown arrival kind %d", (int)kind);
    named = member_of(r, member_id, &rc);
    if (rc)
        return rc;
    rc = decide(r, kind, (int32_t)named, 0, &who, &d, &turn);
    if (rc)
        return smgi_err(r->org, rc, "rotation: every signed-in member is busy; the customer waits");
    if (turn)
        use_turn(r, who);
    r->state[who] = BUSY;
    if (receiver)
        *receiver = (size_t)who;
    if (duty)
        *duty = d;
    return 0;
}

int smg_rotation_done(smg_rotation *r, const char *member_id)
{
    long m;
    int rc;
    if (!r)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(r->org)))
        return rc;
    m = member_of(r, member_id, &rc);
    if (rc)
        return rc;
    if (m < 0 || state_of(r, (int32_t)m) == ABSENT)
        return smgi_err(r->org, SMG_ESTATE, "rotation: member \"%s\" is not signed in",
                        member_id ? member_id : "");
    r->state[m] = FREE;
    return 0;
}

int smg_rotation_busy(const smg_rotation *r, const char *member_id, int *busy)
{
    long m;
    int rc;
    if (!r || !member_id || !busy)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(r->org)))
        return rc;
    m = smgi_strtab_find_str(&r->org->members.ids, member_id);
    if (m < 0)
        return smgi_err(r->org, SMG_ENOTFOUND, "rotation: member \"%s\" does not exist",
                        member_id);
    *busy = state_of(r, (int32_t)m) == BUSY;
    return 0;
}

static void copy_order(const int32_t *order, size_t n, size_t *members, size_t cap,
                       size_t *count)
{
    size_t i;
    for (i = 0; members && i < n && i < cap; i++)
        members[i] = (size_t)order[i];
    *count = n;
}

int smg_rotation_order(const smg_rotation *r, size_t *members, size_t cap, size_t *count)
{
    if (!r || !count || (cap && !members))
        return SMG_EINVAL;
    copy_order(r->order, r->n, members, cap, count);
    return 0;
}

/* ---- replay of a day ---- */

typedef struct rot_row {
    int64_t at;
    uint32_t event;         /* log position */
    int32_t member, customer, expected;
    uint8_t kind, duty, in_turn;
} rot_row;

struct smg_rotation_day {
    smg_allocator alloc;
    const smg_org *org;
    uint64_t generation;
    int32_t *first, *last;  /* the sign-in order and the final order (visible members) */
    size_t n;
    rot_row *rows;
    size_t nrows, cap;
};

int smg_rotation_day_options_init(smg_rotation_day_options *opts, unsigned version)
{
    smg_rotation_day_options init = SMG_ROTATION_DAY_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version < 1 || version > SMG_ROTATION_DAY_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    opts->version = version;
    return 0;
}

void smg_rotation_day_free(smg_rotation_day *d)
{
    smg_allocator a;
    if (!d)
        return;
    a = d->alloc;
    smgi_free(&a, d->first);
    smgi_free(&a, d->last);
    smgi_free(&a, d->rows);
    smgi_free(&a, d);
}

/* The receptions of `day` against rotation r, with the protections of
 * attribution result a (computed until the start of the day). */
static int replay_day(const smg_org *org, smg_date day, const smg_attribution *a,
                      smg_rotation *r, smg_rotation_day *d)
{
    const smgi_events *E = &org->events;
    smg_time start = (smg_time)day * 86400, end = start + 86400;
    size_t i;
    int rc = 0;

    for (i = smgi_log_lower_bound(E, start); i < E->count && E->at[i] < end && !rc; i++) {
        int32_t m = E->member[i], who = -1;
        int dduty = 0, turn = 0, duty;
        long p;
        smg_date through = SMG_DATE_NONE;
        rot_row *row;
        if (E->type[i] == SMG_EV_SIGNIN) {
            rc = signin(r, m);
            if (rc == 0) /* the sign-in order, before any turn moves it */
                d->first[r->n - 1] = m;
            rc = rc == SMG_EEXISTS ? 0 : rc; /* a second sign-in changes nothing */
            continue;
        }
        if (E->type[i] != SMG_EV_RECEPTION || SMGI_CHANNEL(E->flags[i]) == SMG_CHANNEL_PHONE)
            continue;
        duty = SMGI_OUTCOME(E->flags[i]) == SMG_OUTCOME_DUTY;
        p = smgi_attribution_protection(a, (size_t)org->customers.key[E->customer[i]],
                                        &through);
        if (p >= 0 && through < day)
            p = -1;
        if (SMGI_GROW(&d->alloc, d->rows, d->cap, d->nrows + 1)) {
            rc = SMG_ENOMEM;
            break;
        }
        row = &d->rows[d->nrows++];
        row->event = (uint32_t)i;
        row->at = E->at[i];
        row->member = m;
        row->customer = E->customer[i];
        row->kind = p >= 0 ? SMG_ARRIVAL_RETURNING : SMG_ARRIVAL_NEW;
        row->duty = (uint8_t)duty;
        if (duty) {
            long q = last_free(r, 1);
            who = q >= 0 ? r->order[q] : -1;
            dduty = 1;
        } else if (decide(r, (smg_arrival)row->kind, (int32_t)p, 1, &who, &dduty, &turn)) {
            who = -1;
        }
        row->expected = who;
        row->in_turn = who == m && dduty == duty;
        if (!duty && p < 0)
            use_turn(r, m); /* a new customer: the receiver's turn is used */
    }
    return rc;
}

/* Keep what scope s sees: the receptions whose receiver or expected
 * receiver is visible at the reception, and the members of both orders
 * visible at the end of the day (RULES.md §1, moves over time). */
static void keep_visible(const smg_org *org, const smgi_scope *s, smg_rotation_day *d,
                         smg_date day)
{
    size_t i, n = 0, k = 0;
    for (i = 0; i < d->nrows; i++) {
        const rot_row *row = &d->rows[i];
        if (smgi_scope_member_at(org, s, (size_t)row->member, row->event) ||
            (row->expected >= 0 &&
             smgi_scope_member_at(org, s, (size_t)row->expected, row->event)))
            d->rows[n++] = *row;
    }
    d->nrows = n;
    for (i = n = 0; i < d->n; i++) {
        if (smgi_scope_member_day(org, s, (size_t)d->first[i], day))
            d->first[n++] = d->first[i];
        if (smgi_scope_member_day(org, s, (size_t)d->last[i], day))
            d->last[k++] = d->last[i];
    }
    d->n = n; /* the same members in both */
}

int smg_rotation_day_compute(smg_rotation_day **out, smg_org *org,
                             const smg_rotation_day_options *opts)
{
    smg_rotation *r = NULL;
    smg_rotation_day *d = NULL;
    smg_attribution *own = NULL;
    const smg_attribution *a;
    smgi_attribution_view view;
    smgi_scope scope;
    smg_date day;
    size_t nm;
    int rc;

    if (out)
        *out = NULL;
    if (!org || !out)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (opts && (opts->version < 1 || opts->version > SMG_ROTATION_DAY_OPTIONS_VERSION))
        return smgi_err(org, SMG_EVERSION, "unknown smg_rotation_day_options version %u",
                        opts->version);
    if (!opts || opts->day == SMG_DATE_NONE)
        return smgi_err(org, SMG_EINVAL, "rotation: the day is required");
    day = opts->day;
    a = opts->attribution;
    if (a && smgi_attribution_view_of(a, org, &view))
        return smgi_err(org, SMG_EINVAL,
                        "rotation: the attribution result is out of date or of another org");
    if (a && smgi_attribution_until(a) != (smg_time)day * 86400) {
        char buf[16];
        smg_date_format(buf, sizeof buf, day);
        return smgi_err(org, SMG_EINVAL,
                        "rotation: the attribution result must be computed with until = the "
                        "start of the day (%sT00:00)", buf);
    }
    if ((rc = smgi_scope_init(org, opts->as_member, &scope)))
        return rc;
    if (!a) {
        smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
        ao.until = (smg_time)day * 86400; /* protections as they stood when the day began */
        if ((rc = smg_attribution_compute(&own, org, &ao))) {
            smgi_scope_free(&org->alloc, &scope);
            return rc;
        }
        a = own;
    }
    nm = org->members.ids.count;
    d = smgi_calloc(&org->alloc, 1, sizeof *d);
    if (d)
        d->alloc = org->alloc; /* before anything can fail: the free below uses it */
    rc = d ? smg_rotation_new(&r, org) : SMG_ENOMEM;
    if (!rc) {
        d->org = org;
        d->generation = org->generation;
        rc = cover(r, nm ? nm - 1 : 0);
    }
    if (!rc) {
        d->first = smgi_malloc(&d->alloc, (nm + 1) * sizeof *d->first);
        d->last = smgi_malloc(&d->alloc, (nm + 1) * sizeof *d->last);
        if (!d->first || !d->last)
            rc = SMG_ENOMEM;
    }
    if (!rc)
        rc = replay_day(org, day, a, r, d);
    if (!rc) {
        memcpy(d->last, r->order, r->n * sizeof *d->last);
        d->n = r->n; /* the same members as the sign-in order */
        if (!scope.full)
            keep_visible(org, &scope, d, day);
    }
    smg_rotation_free(r);
    smg_attribution_free(own);
    smgi_scope_free(&org->alloc, &scope);
    if (rc) {
        if (d)
            smg_rotation_day_free(d);
        return smgi_err(org, rc, "out of memory");
    }
    *out = d;
    return 0;
}

static int day_fresh(const smg_rotation_day *d)
{
    return d->org->generation == d->generation;
}

int smg_rotation_day_order(const smg_rotation_day *d, int final, size_t *members, size_t cap,
                           size_t *count)
{
    if (!d || !count || (cap && !members))
        return SMG_EINVAL;
    if (!day_fresh(d))
        return SMG_ESTATE;
    copy_order(final ? d->last : d->first, d->n, members, cap, count);
    return 0;
}

/* ---- the reception table ---- */

static const smgi_field reception_fields[] = {
    { "event", SMG_TYPE_INDEX },
    { "at", SMG_TYPE_TIME },
    { "member", SMG_TYPE_INDEX },
    { "customer", SMG_TYPE_INDEX },
    { "kind", SMG_TYPE_ENUM },
    { "duty", SMG_TYPE_BOOL },
    { "expected", SMG_TYPE_INDEX },
    { "in_turn", SMG_TYPE_BOOL },
};

static size_t reception_count(const void *r)
{
    return ((const smg_rotation_day *)r)->nrows;
}

/* A replay is read while its org is unchanged. */
static int reception_state(const void *r)
{
    return day_fresh(r) ? 0 : SMG_ESTATE;
}

/* No INT-family field of a reception is ever null; an index is when < 0. */
static void reception_value(const void *r, size_t row, int f, smgi_value *v)
{
    const rot_row *x = &((const smg_rotation_day *)r)->rows[row];
    switch ((smg_reception_field)f) {
    case SMG_RECEPTION_EVENT: smgi_value_index(v, x->event); break;
    case SMG_RECEPTION_AT: smgi_value_num(v, x->at, 0); break;
    case SMG_RECEPTION_MEMBER: smgi_value_index(v, x->member); break;
    case SMG_RECEPTION_CUSTOMER: smgi_value_index(v, x->customer); break;
    case SMG_RECEPTION_KIND: smgi_value_num(v, x->kind, 0); break;
    case SMG_RECEPTION_DUTY: smgi_value_num(v, x->duty, 0); break;
    case SMG_RECEPTION_EXPECTED: smgi_value_index(v, x->expected); break;
    case SMG_RECEPTION_IN_TURN: smgi_value_num(v, x->in_turn, 0); break;
    }
}

static const smgi_table reception_table =
    SMGI_TABLE(reception_fields, reception_count, reception_state, reception_value);

/* The public table getters, one line each (fields.h): smg_rotation_day_count,
 * smg_rotation_day_field_name, smg_rotation_day_field_type and the typed getters below. */
SMGI_TABLE_META(smg_rotation_day, smg_rotation_day, smg_reception_field, reception_table)
SMGI_TABLE_GET(smg_rotation_day, index, size_t, smg_rotation_day, smg_reception_field,
               reception_table)
SMGI_TABLE_GET(smg_rotation_day, int, int64_t, smg_rotation_day, smg_reception_field,
               reception_table)
