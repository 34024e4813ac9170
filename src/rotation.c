/* The reception rotation (轮序): the day's order of sign-ins, turns used by
 * new customers, named and returning customers, duty receptions. The live
 * handle and the replay of a day share one decision function. */
#include <string.h>

#include "salesmgmt/attribution.h"
#include "salesmgmt/calendar.h"
#include "salesmgmt/rotation.h"
#include "events.h"
#include "org.h"

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
    smgi_err_clear(r->org);
    m = member_of(r, member_id, &rc);
    if (rc || m < 0)
        return rc ? rc : smgi_err(r->org, SMG_EINVAL, "rotation: a member is required");
    rc = signin(r, (int32_t)m);
    if (rc == SMG_EEXISTS)
        return smgi_err(r->org, rc, "rotation: member \"%s\" is already signed in", member_id);
    return rc ? smgi_err(r->org, rc, "out of memory") : 0;
}

int smg_rotation_arrive(smg_rotation *r, smg_arrival kind, const char *member_id,
                        long *receiver, int *duty)
{
    int32_t who;
    int d, turn, rc;
    long named;
    if (!r)
        return SMG_EINVAL;
    smgi_err_clear(r->org);
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
        *receiver = who;
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
    smgi_err_clear(r->org);
    m = member_of(r, member_id, &rc);
    if (rc)
        return rc;
    if (m < 0 || state_of(r, (int32_t)m) == ABSENT)
        return smgi_err(r->org, SMG_ESTATE, "rotation: member \"%s\" is not signed in",
                        member_id ? member_id : "");
    r->state[m] = FREE;
    return 0;
}

int smg_rotation_busy(const smg_rotation *r, const char *member_id)
{
    long m;
    if (!r || !member_id)
        return SMG_EINVAL;
    m = smgi_strtab_find_str(&r->org->members.ids, member_id);
    if (m < 0)
        return SMG_ENOTFOUND;
    return state_of(r, (int32_t)m) == BUSY;
}

static size_t copy_order(const int32_t *order, size_t n, long *members, size_t cap)
{
    size_t i;
    for (i = 0; members && i < n && i < cap; i++)
        members[i] = order[i];
    return n;
}

size_t smg_rotation_order(const smg_rotation *r, long *members, size_t cap)
{
    return r ? copy_order(r->order, r->n, members, cap) : 0;
}

/* ---- replay of a day ---- */

typedef struct rot_row {
    int64_t event, at;
    int32_t member, customer, expected;
    uint8_t kind, duty, in_turn;
} rot_row;

struct smg_rotation_day {
    smg_allocator alloc;
    int32_t *first, *last;  /* the sign-in order and the final order */
    size_t n;
    rot_row *rows;
    size_t nrows, cap;
};

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

static int replay_day(smg_org *org, smg_date day, smg_rotation *r, smg_rotation_day *d)
{
    const smgi_events *E = &org->events;
    smg_attribution *a = NULL;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_time start = (smg_time)day * 86400, end = start + 86400;
    size_t i;
    int rc = 0;

    opts.until = start; /* protections as they stood when the day began */
    if (smg_attribution_run(org, &opts, &a))
        return SMG_ENOMEM;
    for (i = smgi_log_lower_bound(E, start); i < E->count && E->at[i] < end && !rc; i++) {
        int32_t m = E->member[i], who = -1;
        int dduty = 0, turn = 0, duty;
        long p = -1;
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
        smg_attribution_protector(a, (size_t)org->customers.key[E->customer[i]], &p, &through,
                                  NULL);
        if (p >= 0 && through < day)
            p = -1;
        if (SMGI_GROW(&d->alloc, d->rows, d->cap, d->nrows + 1)) {
            rc = SMG_ENOMEM;
            break;
        }
        row = &d->rows[d->nrows++];
        row->event = E->seq[i];
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
    smg_attribution_free(a);
    return rc;
}

int smg_rotation_replay(smg_org *org, smg_date day, smg_rotation_day **out)
{
    smg_rotation *r = NULL;
    smg_rotation_day *d;
    int rc;
    if (!org || !out)
        return SMG_EINVAL;
    *out = NULL;
    smgi_err_clear(org);
    if (org->in_batch)
        return smgi_err(org, SMG_ESTATE, "rotation: a batch is open; commit it first");
    d = smgi_calloc(&org->alloc, 1, sizeof *d);
    if (!d || smg_rotation_new(&r, org)) {
        smgi_free(&org->alloc, d);
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    }
    d->alloc = org->alloc;
    rc = cover(r, org->members.ids.count ? org->members.ids.count - 1 : 0);
    if (!rc) {
        d->first = smgi_malloc(&d->alloc, (org->members.ids.count + 1) * sizeof *d->first);
        d->last = smgi_malloc(&d->alloc, (org->members.ids.count + 1) * sizeof *d->last);
        if (!d->first || !d->last)
            rc = SMG_ENOMEM;
    }
    if (!rc)
        rc = replay_day(org, day, r, d);
    if (rc) {
        smg_rotation_free(r);
        smg_rotation_day_free(d);
        return smgi_err(org, rc, "out of memory");
    }
    memcpy(d->last, r->order, r->n * sizeof *d->last);
    d->n = r->n; /* the same members as the sign-in order */
    smg_rotation_free(r);
    *out = d;
    return 0;
}

size_t smg_rotation_day_order(const smg_rotation_day *d, int final, long *members, size_t cap)
{
    return d ? copy_order(final ? d->last : d->first, d->n, members, cap) : 0;
}

size_t smg_rotation_day_count(const smg_rotation_day *d)
{
    return d ? d->nrows : 0;
}

int64_t smg_rotation_day_get(const smg_rotation_day *d, size_t i, smg_rotation_field field)
{
    const rot_row *row;
    if (!d || i >= d->nrows)
        return INT64_MIN;
    row = &d->rows[i];
    switch (field) {
    case SMG_ROTATION_EVENT: return row->event;
    case SMG_ROTATION_AT: return row->at;
    case SMG_ROTATION_MEMBER: return row->member;
    case SMG_ROTATION_CUSTOMER: return row->customer;
    case SMG_ROTATION_KIND: return row->kind;
    case SMG_ROTATION_DUTY: return row->duty;
    case SMG_ROTATION_EXPECTED: return row->expected;
    case SMG_ROTATION_IN_TURN: return row->in_turn;
    }
    return INT64_MIN;
}
