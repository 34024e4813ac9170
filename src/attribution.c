/* Follow-up attribution (RULES.md §4): one pass over the time-ordered
 * event log with the state of every attribution key in flat arrays.
 *
 * Per key (one 32-byte record): its protector, the last protected day, and
 * the events that made the protection (registration, latest contact).
 * Protections run out lazily: the first event that touches a key after its
 * last protected day releases it, and a final sweep releases the rest.
 * Every member's protected keys form a doubly linked list through the key
 * records, so a void (R6) ends exactly that member's protections without a
 * scan. The replay asks for the key records of the events ahead early
 * (prefetch): customers come in random order. */
#include "attribution.h"

#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "calendar.h"
#include "events.h"
#include "logsort.h"
#include "org.h"

#define NONE UINT32_MAX

/* A notice: 16 bytes, and its kind apart (n_kind). What the event at pos
 * says is not repeated; the getter reads its member, customer (hence key)
 * and deal back from the log. By kind:
 *   collision      x = the protector
 *   release        x = the member losing it, y = the key; pos = the void
 *                  (cause 2), or NONE: it ran out (cause 1)
 *   claim_*        x = the protector at the deal (the deal: the claim's)
 *   late_followup  pos = the registration; the deadline is day - 1
 *   duplicate      x = the customer, y = the customer it duplicates */
typedef struct notice {
    uint32_t pos;      /* sorted log position, or NONE */
    smg_date day;      /* SMG_DATE_NONE for duplicates */
    int32_t x, y;      /* as above, else -1 */
} notice;

/* Everything about one attribution key, in one cache line: the replay
 * touches one line per event. */
typedef struct keystate {
    int32_t prot;            /* protector member, or -1 */
    smg_date through;        /* last protected day */
    uint32_t reg_pos;        /* the registration (or deal) that made the protection */
    uint32_t contact_pos;    /* the protector's latest contact */
    int32_t last_row;        /* the key's latest deal row, or -1 */
    int32_t next, prev;      /* the protector's list of keys */
    int32_t pending;         /* registration awaiting its follow-up, or -1 */
} keystate;

struct smg_attribution {
    smg_allocator alloc;
    const smg_org *org;
    uint64_t generation;
    smg_time now;        /* the moment the state is "as of" */

    size_t nkeys;
    keystate *keys;

    size_t ndeals;
    uint32_t *d_pos;
    int32_t *d_credited, *d_protector;
    uint32_t *d_reg, *d_contact, *d_claim, *d_override;
    uint8_t *d_reason;

    notice *notices;     /* in the order found */
    uint8_t *n_kind;     /* each notice's smg_notice_kind */
    uint32_t *order;     /* notices by day, then kind */
    size_t nnotices, notices_cap;

    uint32_t *r_pos;     /* accepted registrations, in time order */
    smg_date *r_deadline;
    uint8_t *r_ontime;
    size_t nregs, regs_cap;
};

/* Replay scratch, freed when the run ends. */
typedef struct replay {
    smg_attribution *a;
    const smgi_events *E;
    const int32_t *cust_key;
    int protect_days, claim_days, followup_days;
    keystate *keys;
    int32_t *head;       /* per member: first protected key, or -1 */
    uint32_t *last_void; /* per member: position of the latest void, or NONE */
    int32_t *deal_row;   /* per org deal: its row, or -1 */
} replay;

static const char *const reason_names[] = {
    NULL, "unprotected", "owner", "protected_unclaimed", "claimed", "override", "company",
};
static const char *const notice_names[] = {
    NULL, "collision", "release", "claim_late", "claim_invalid", "late_followup", "duplicate",
};

const char *smg_reason_name(smg_reason r)
{
    return r >= SMG_REASON_UNPROTECTED && r <= SMG_REASON_COMPANY ? reason_names[r] : NULL;
}

const char *smg_notice_kind_name(smg_notice_kind k)
{
    return k >= SMG_NOTICE_COLLISION && k <= SMG_NOTICE_DUPLICATE ? notice_names[k] : NULL;
}

const char *smg_deal_id(const smg_org *org, size_t index)
{
    return org && index < org->deals.ids.count ? smgi_strtab_get(&org->deals.ids, index) : NULL;
}

void smg_attribution_free(smg_attribution *a)
{
    smg_allocator al;
    if (!a)
        return;
    al = a->alloc;
    smgi_free(&al, a->keys);
    smgi_free(&al, a->d_pos);
    smgi_free(&al, a->d_credited);
    smgi_free(&al, a->d_protector);
    smgi_free(&al, a->d_reg);
    smgi_free(&al, a->d_contact);
    smgi_free(&al, a->d_claim);
    smgi_free(&al, a->d_override);
    smgi_free(&al, a->d_reason);
    smgi_free(&al, a->notices);
    smgi_free(&al, a->n_kind);
    smgi_free(&al, a->order);
    smgi_free(&al, a->r_pos);
    smgi_free(&al, a->r_deadline);
    smgi_free(&al, a->r_ontime);
    smgi_free(&al, a);
}

static void replay_free(const smg_allocator *al, replay *r)
{
    smgi_free(al, r->head);
    smgi_free(al, r->last_void);
    smgi_free(al, r->deal_row);
}

/* ---- notices ---- */

static int add_notice(smg_attribution *a, int kind, smg_date day, uint32_t pos, int32_t x,
                      int32_t y)
{
    notice *n;
    size_t c = a->notices_cap;
    if (SMGI_GROW(&a->alloc, a->notices, c, a->nnotices + 1))
        return SMG_ENOMEM;
    c = a->notices_cap;
    if (SMGI_GROW(&a->alloc, a->n_kind, c, a->nnotices + 1))
        return SMG_ENOMEM;
    a->notices_cap = c;
    n = &a->notices[a->nnotices];
    n->pos = pos;
    n->day = day;
    n->x = x;
    n->y = y;
    a->n_kind[a->nnotices++] = (uint8_t)kind;
    return 0;
}

/* The bucket of notice i: its day (from lo; the undated after hi), then
 * its kind (3 bits). */
static size_t notice_bucket(const smg_attribution *a, size_t i, smg_date lo, smg_date hi)
{
    smg_date d = a->notices[i].day;
    size_t day = d == SMG_DATE_NONE ? (size_t)(hi - lo) + 1 : (size_t)(d - lo);
    return day * 8 + a->n_kind[i];
}

/* order_notices() when the days span few enough buckets: a stable
 * counting sort, with no scratch beyond the counts (the notices of a
 * large log then need no 16 bytes each to be ordered). */
static int order_notices_counting(smg_attribution *a, smg_date lo, smg_date hi)
{
    size_t n = a->nnotices, nb = ((size_t)(hi - lo) + 2) * 8, b, i;
    uint32_t *start = smgi_calloc(&a->alloc, nb + 1, sizeof *start);
    a->order = smgi_malloc(&a->alloc, n * sizeof *a->order);
    if (!start || !a->order) {
        smgi_free(&a->alloc, start);
        return SMG_ENOMEM; /* a->order, if any, goes with the result */
    }
    for (i = 0; i < n; i++)
        start[notice_bucket(a, i, lo, hi) + 1]++;
    for (b = 1; b <= nb; b++)
        start[b] += start[b - 1];
    for (i = 0; i < n; i++)
        a->order[start[notice_bucket(a, i, lo, hi)]++] = (uint32_t)i;
    smgi_free(&a->alloc, start);
    return 0;
}

/* a->order: the notices by day (undated ones last), then kind, then the
 * order found — a stable radix sort of (day, kind) keys packed above the
 * notice's index; the sorted keys then shrink in place to the indices. */
static int order_notices(smg_attribution *a)
{
    size_t n = a->nnotices, i;
    smg_date lo = 0, hi = 0;
    uint64_t *v, *s, *sorted, mask;
    uint32_t *out;
    int ib, have = 0, top;
    if (!n)
        return 0;
    for (i = 0; i < n; i++)
        if (a->notices[i].day != SMG_DATE_NONE) {
            smg_date d = a->notices[i].day;
            lo = have && lo < d ? lo : d;
            hi = have && hi > d ? hi : d;
            have = 1;
        }
    if (((size_t)(hi - lo) + 2) * 8 <= n + 65536)
        return order_notices_counting(a, lo, hi);
    ib = smgi_bits_for((uint64_t)n - 1);
    top = ib + 3 + smgi_bits_for((uint64_t)(hi - lo) + 1);
    v = smgi_malloc(&a->alloc, n * sizeof *v);
    s = smgi_malloc(&a->alloc, n * sizeof *s);
    if (!v || !s) {
        smgi_free(&a->alloc, v);
        smgi_free(&a->alloc, s);
        return SMG_ENOMEM;
    }
    for (i = 0; i < n; i++)
        v[i] = ((uint64_t)notice_bucket(a, i, lo, hi) << ib) | i;
    sorted = smgi_radix_bits(v, s, n, ib, top);
    /* index i's 4 bytes land on bytes already read (key i/2 of v, or
     * the other block); memcpy: the two views of v's block overlap */
    mask = ib ? ~(uint64_t)0 >> (64 - ib) : 0;
    for (i = 0; i < n; i++) {
        uint64_t key;
        uint32_t idx;
        memcpy(&key, &sorted[i], 8);
        idx = (uint32_t)(key & mask);
        memcpy((unsigned char *)v + i * 4, &idx, 4);
    }
    smgi_free(&a->alloc, s);
    out = smgi_realloc(&a->alloc, v, n * sizeof *out);
    a->order = out ? out : (uint32_t *)(void *)v; /* a failed shrink keeps the bigger block */
    return 0;
}

/* ---- protection ---- */

static void link_key(replay *r, int32_t key, int32_t m)
{
    keystate *k = r->keys;
    k[key].prev = -1;
    k[key].next = r->head[m];
    if (r->head[m] >= 0)
        k[r->head[m]].prev = key;
    r->head[m] = key;
}

static void unlink_key(replay *r, int32_t key, int32_t m)
{
    keystate *k = r->keys;
    if (k[key].prev >= 0)
        k[k[key].prev].next = k[key].next;
    else
        r->head[m] = k[key].next;
    if (k[key].next >= 0)
        k[k[key].next].prev = k[key].prev;
}

static void grant(replay *r, int32_t key, int32_t m, uint32_t pos, smg_date day)
{
    keystate *k = &r->keys[key];
    k->prot = m;
    k->reg_pos = pos;
    k->contact_pos = pos;
    k->through = day + r->protect_days;
    link_key(r, key, m);
}

/* A contact by the protector: protection runs through day + protect_days. */
static void contact(replay *r, int32_t key, uint32_t pos, smg_date day)
{
    r->keys[key].contact_pos = pos;
    r->keys[key].through = day + r->protect_days;
}

/* End key's protection; `day` is its first unprotected day, `pos` the
 * void that ended it, or NONE when it ran out. */
static int release(replay *r, int32_t key, smg_date day, uint32_t pos)
{
    keystate *k = &r->keys[key];
    int32_t m = k->prot;
    unlink_key(r, key, m);
    k->prot = -1;
    k->through = SMG_DATE_NONE;
    k->reg_pos = k->contact_pos = NONE;
    return add_notice(r->a, SMG_NOTICE_RELEASE, day, pos, m, key);
}

/* ---- the replay ---- */

static int regs_reserve(smg_attribution *a, size_t need)
{
    size_t c;
    if (need <= a->regs_cap)
        return 0;
#define G(col) c = a->regs_cap; if (SMGI_GROW(&a->alloc, a->col, c, need)) return SMG_ENOMEM;
    G(r_pos) G(r_deadline) G(r_ontime)
#undef G
    a->regs_cap = c;
    return 0;
}

static int on_register(replay *r, uint32_t pos, int32_t m, int32_t key, smg_date day)
{
    smg_attribution *a = r->a;
    int32_t p = r->keys[key].prot;
    if (p == m) {
        contact(r, key, pos, day); /* re-registration by the protector */
        return 0;
    }
    if (p >= 0)
        return add_notice(a, SMG_NOTICE_COLLISION, day, pos, p, -1);
    grant(r, key, m, pos, day);
    if (regs_reserve(a, a->nregs + 1))
        return SMG_ENOMEM;
    a->r_pos[a->nregs] = pos;
    a->r_deadline[a->nregs] = day + r->followup_days;
    a->r_ontime[a->nregs] = 0;
    r->keys[key].pending = (int32_t)a->nregs++;
    return 0;
}

static void on_followup(replay *r, uint32_t pos, int32_t m, int32_t key, smg_date day)
{
    smg_attribution *a = r->a;
    keystate *k = &r->keys[key];
    int32_t p = k->pending;
    if (k->prot == m)
        contact(r, key, pos, day);
    if (p >= 0 && r->E->member[a->r_pos[p]] == m) {
        if (day <= a->r_deadline[p])
            a->r_ontime[p] = 1;
        k->pending = -1; /* settled: on time, or late for good */
    }
}

static int new_row(replay *r, uint32_t pos, int32_t m, int32_t key, smg_date day)
{
    smg_attribution *a = r->a;
    keystate *k = &r->keys[key];
    size_t row = a->ndeals++;
    int32_t p = k->prot;
    a->d_pos[row] = pos;
    a->d_protector[row] = p;
    a->d_credited[row] = m;
    a->d_claim[row] = a->d_override[row] = NONE;
    r->deal_row[r->E->arg[pos]] = (int32_t)row;
    k->last_row = (int32_t)row;
    if (p < 0) {
        a->d_reason[row] = SMG_REASON_UNPROTECTED;
        a->d_reg[row] = a->d_contact[row] = NONE;
        grant(r, key, m, pos, day); /* the closer's old customer now */
    } else {
        a->d_reason[row] = p == m ? SMG_REASON_OWNER : SMG_REASON_PROTECTED_UNCLAIMED;
        a->d_reg[row] = k->reg_pos;
        a->d_contact[row] = k->contact_pos;
        if (p == m)
            contact(r, key, pos, day);
    }
    return 0;
}

static int on_claim(replay *r, uint32_t pos, int32_t m, smg_date day)
{
    smg_attribution *a = r->a;
    const smgi_events *E = r->E;
    int32_t deal = E->arg[pos], row = r->deal_row[deal];
    uint32_t dpos = a->d_pos[row];
    int reason = a->d_reason[row], kind = 0;
    if (reason == SMG_REASON_OVERRIDE || reason == SMG_REASON_COMPANY ||
        reason == SMG_REASON_CLAIMED || a->d_protector[row] != m ||
        (r->last_void[m] != NONE && r->last_void[m] > dpos))
        kind = SMG_NOTICE_CLAIM_INVALID; /* final, already claimed, not the
                                            protector, or voided since (R6) */
    else if (day > smgi_day_of(E->at[dpos]) + r->claim_days)
        kind = SMG_NOTICE_CLAIM_LATE;
    if (kind)
        return add_notice(a, kind, day, pos, a->d_protector[row], -1);
    a->d_credited[row] = m;
    a->d_reason[row] = SMG_REASON_CLAIMED;
    a->d_claim[row] = pos;
    return 0;
}

static void on_override(replay *r, uint32_t pos, int32_t m)
{
    smg_attribution *a = r->a;
    int32_t row = r->deal_row[r->E->arg[pos]];
    a->d_credited[row] = m;
    a->d_reason[row] = m >= 0 ? SMG_REASON_OVERRIDE : SMG_REASON_COMPANY;
    a->d_override[row] = pos;
}

static int on_void(replay *r, uint32_t pos, int32_t m, smg_date day)
{
    int rc = 0;
    r->last_void[m] = pos;
    while (r->head[m] >= 0 && !rc) {
        int32_t key = r->head[m];
        smg_date through = r->keys[key].through;
        rc = through < day ? release(r, key, through + 1, NONE) : release(r, key, day, pos);
    }
    return rc;
}

/* How far ahead the replay asks for the key state it will need. */
enum { AHEAD = 16 };

static int run_events(replay *r, size_t limit)
{
    const smgi_events *E = r->E;
    keystate *keys = r->keys;
    size_t i;
    int rc = 0;
    for (i = 0; i < limit && !rc; i++) {
        uint32_t pos = (uint32_t)i;
        int32_t m = E->member[i], cust = E->customer[i];
        int32_t key = cust >= 0 ? r->cust_key[cust] : -1;
        smg_date day = smgi_day_of(E->at[i]);
        /* customers are random: fetch their key, then its state, early */
        if (i + 2 * AHEAD < limit && E->customer[i + 2 * AHEAD] >= 0)
            SMGI_PREFETCH(&r->cust_key[E->customer[i + 2 * AHEAD]]);
        if (i + AHEAD < limit && E->customer[i + AHEAD] >= 0)
            SMGI_PREFETCH(&keys[r->cust_key[E->customer[i + AHEAD]]]);
        if (key >= 0 && keys[key].prot >= 0 && day > keys[key].through)
            rc = release(r, key, keys[key].through + 1, NONE);
        if (rc)
            break;
        switch (E->type[i]) {
        case SMG_EV_REGISTER:
            rc = on_register(r, pos, m, key, day);
            break;
        case SMG_EV_FOLLOWUP:
            on_followup(r, pos, m, key, day);
            break;
        case SMG_EV_VISIT:
            if (keys[key].prot == m)
                contact(r, key, pos, day);
            break;
        case SMG_EV_RECEPTION:
            /* R8: a duty reception never gives, renews or takes protection */
            if (SMGI_OUTCOME(E->flags[i]) != SMG_OUTCOME_DUTY && keys[key].prot == m)
                contact(r, key, pos, day);
            break;
        case SMG_EV_DEAL:
            rc = new_row(r, pos, m, key, day);
            break;
        case SMG_EV_CLAIM:
            rc = on_claim(r, pos, m, day);
            break;
        case SMG_EV_OVERRIDE:
            on_override(r, pos, m);
            break;
        case SMG_EV_VOID_REGISTER:
            rc = on_void(r, pos, m, day);
            break;
        default:
            break;
        }
    }
    return rc;
}

/* After the log: protections that ran out by `now`, and registrations
 * whose follow-up window closed without one. */
static int settle(replay *r)
{
    smg_attribution *a = r->a;
    smg_date today = smg_time_day(a->now);
    size_t k;
    int rc = 0;
    for (k = 0; k < a->nkeys && !rc; k++)
        if (r->keys[k].prot >= 0 && r->keys[k].through < today)
            rc = release(r, (int32_t)k, r->keys[k].through + 1, NONE);
    for (k = 0; k < a->nregs && !rc; k++)
        if (!a->r_ontime[k] && a->r_deadline[k] < today)
            rc = add_notice(a, SMG_NOTICE_LATE_FOLLOWUP, a->r_deadline[k] + 1, a->r_pos[k], -1,
                            -1);
    return rc;
}

/* Customers with the same normalised phone (撞单): reported, not merged.
 * The org notes them as customers are added. */
static int find_duplicates(smg_attribution *a, const smg_org *org)
{
    const smgi_customers *c = &org->customers;
    size_t i;
    int rc = 0;
    for (i = 0; i < c->ids.count && !rc; i++)
        if (c->dup_of[i] >= 0)
            rc = add_notice(a, SMG_NOTICE_DUPLICATE, SMG_DATE_NONE, NONE, (int32_t)i,
                            c->dup_of[i]);
    return rc;
}

#define ALLOC(ptr, n) (((ptr) = smgi_malloc(al, ((n) ? (n) : 1) * sizeof *(ptr))) == NULL)

int smg_attribution_run(smg_org *org, const smg_attribution_options *opts,
                        smg_attribution **out)
{
    const smg_allocator *al;
    const smgi_events *E;
    smg_attribution *a;
    replay r;
    size_t nkeys, nmembers, ndeals, limit, i, nd = 0;
    smg_time until = SMG_TIME_NONE;
    int rc;

    if (!org || !out)
        return SMG_EINVAL;
    *out = NULL;
    smgi_err_clear(org);
    if (opts) {
        if (opts->version < 1 || opts->version > SMG_ATTRIBUTION_OPTIONS_VERSION)
            return smgi_err(org, SMG_EVERSION, "unknown smg_attribution_options version %u",
                            opts->version);
        until = opts->until;
    }
    if (org->in_batch)
        return smgi_err(org, SMG_ESTATE, "attribution: a batch is open; commit it first");
    al = &org->alloc;
    E = &org->events;
    nkeys = org->customers.keys.count;
    nmembers = org->members.ids.count;
    ndeals = org->deals.ids.count;
    limit = until == SMG_TIME_NONE ? E->count : smgi_log_lower_bound(E, until);
    for (i = 0; i < limit; i++)
        nd += E->type[i] == SMG_EV_DEAL;

    a = smgi_calloc(al, 1, sizeof *a);
    if (!a)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    memset(&r, 0, sizeof r);
    a->alloc = *al;
    a->org = org;
    a->generation = org->generation;
    a->now = until != SMG_TIME_NONE ? until : E->count ? E->at[E->count - 1] : 0;
    a->nkeys = nkeys;
    r.a = a;
    r.E = E;
    r.cust_key = org->customers.key;
    r.protect_days = org->policy.protect_days;
    r.claim_days = org->policy.claim_days;
    r.followup_days = org->policy.first_followup_days;
    if (ALLOC(a->keys, nkeys) || ALLOC(a->d_pos, nd) ||
        ALLOC(a->d_credited, nd) || ALLOC(a->d_protector, nd) || ALLOC(a->d_reg, nd) ||
        ALLOC(a->d_contact, nd) || ALLOC(a->d_claim, nd) || ALLOC(a->d_override, nd) ||
        ALLOC(a->d_reason, nd) || ALLOC(r.head, nmembers) || ALLOC(r.last_void, nmembers) ||
        ALLOC(r.deal_row, ndeals)) {
        rc = SMG_ENOMEM;
        goto done;
    }
    r.keys = a->keys;
    for (i = 0; i < nkeys; i++) {
        keystate *k = &a->keys[i];
        k->prot = k->last_row = k->pending = k->next = k->prev = -1;
        k->through = SMG_DATE_NONE;
        k->reg_pos = k->contact_pos = NONE;
    }
    for (i = 0; i < nmembers; i++) {
        r.head[i] = -1;
        r.last_void[i] = NONE;
    }
    for (i = 0; i < ndeals; i++)
        r.deal_row[i] = -1;

    rc = run_events(&r, limit);
    if (!rc)
        rc = settle(&r);
    if (!rc)
        rc = find_duplicates(a, org);
    if (!rc)
        rc = order_notices(a);
done:
    replay_free(al, &r);
    if (rc) {
        smg_attribution_free(a);
        return smgi_err(org, rc, "out of memory");
    }
    *out = a;
    return 0;
}

/* ---- getters ---- */

static int fresh(const smg_attribution *a)
{
    return a->org->generation == a->generation;
}

static int64_t input_pos(const smg_attribution *a, uint32_t pos)
{
    return pos == NONE ? -1 : (int64_t)a->org->events.seq[pos];
}

size_t smg_attribution_deal_count(const smg_attribution *a)
{
    return a ? a->ndeals : 0;
}

int64_t smg_attribution_deal(const smg_attribution *a, size_t row, smg_deal_field field)
{
    const smgi_events *E;
    uint32_t pos;
    if (!a || row >= a->ndeals || !fresh(a))
        return INT64_MIN;
    E = &a->org->events;
    pos = a->d_pos[row];
    switch (field) {
    case SMG_DEAL_INDEX: return E->arg[pos];
    case SMG_DEAL_CLOSER: return E->member[pos];
    case SMG_DEAL_CREDITED: return a->d_credited[row];
    case SMG_DEAL_REASON: return a->d_reason[row];
    case SMG_DEAL_CUSTOMER: return E->customer[pos];
    case SMG_DEAL_KEY: return a->org->customers.key[E->customer[pos]];
    case SMG_DEAL_DAY: return smg_time_day(E->at[pos]);
    case SMG_DEAL_AMOUNT: return smgi_event_amount(a->org, pos);
    case SMG_DEAL_PROTECTOR: return a->d_protector[row];
    case SMG_DEAL_EV_DEAL: return input_pos(a, pos);
    case SMG_DEAL_EV_REGISTRATION: return input_pos(a, a->d_reg[row]);
    case SMG_DEAL_EV_CONTACT: return input_pos(a, a->d_contact[row]);
    case SMG_DEAL_EV_CLAIM: return input_pos(a, a->d_claim[row]);
    case SMG_DEAL_EV_OVERRIDE: return input_pos(a, a->d_override[row]);
    }
    return INT64_MIN;
}

size_t smg_attribution_notice_count(const smg_attribution *a)
{
    return a ? a->nnotices : 0;
}

int64_t smg_attribution_notice(const smg_attribution *a, size_t i, smg_notice_field field)
{
    const smg_org *org;
    const smgi_events *E;
    const notice *n;
    int kind;
    int32_t member = -1, other = -1, customer = -1, key = -1, deal = -1, cause = -1,
            deadline = -1;
    if (!a || i >= a->nnotices || !fresh(a))
        return INT64_MIN;
    org = a->org;
    E = &org->events;
    n = &a->notices[a->order[i]];
    kind = a->n_kind[a->order[i]];
    /* the fields the notice does not keep come from its event */
    switch (kind) {
    case SMG_NOTICE_COLLISION:
        member = E->member[n->pos];
        other = n->x;
        customer = E->customer[n->pos];
        break;
    case SMG_NOTICE_RELEASE:
        member = n->x;
        key = n->y;
        cause = n->pos == NONE ? 1 : 2;
        break;
    case SMG_NOTICE_CLAIM_LATE:
    case SMG_NOTICE_CLAIM_INVALID:
        member = E->member[n->pos];
        other = n->x;
        deal = E->arg[n->pos];
        customer = E->customer[org->deals.event[deal]];
        break;
    case SMG_NOTICE_LATE_FOLLOWUP:
        member = E->member[n->pos];
        customer = E->customer[n->pos];
        deadline = n->day - 1;
        break;
    case SMG_NOTICE_DUPLICATE:
        customer = n->x;
        cause = n->y;
        break;
    }
    if (customer >= 0)
        key = org->customers.key[customer];
    switch (field) {
    case SMG_NOTICE_KIND: return kind;
    case SMG_NOTICE_DAY: return n->day;
    case SMG_NOTICE_MEMBER: return member;
    case SMG_NOTICE_OTHER: return other;
    case SMG_NOTICE_KEY: return key;
    case SMG_NOTICE_CUSTOMER: return customer;
    case SMG_NOTICE_EVENT: return input_pos(a, n->pos);
    case SMG_NOTICE_DEAL: return deal;
    case SMG_NOTICE_CAUSE: return cause;
    case SMG_NOTICE_DEADLINE: return deadline;
    }
    return INT64_MIN;
}

int smg_attribution_protector(const smg_attribution *a, size_t key, long *member,
                              smg_date *through, long *last_contact)
{
    if (!a || key >= a->nkeys || !fresh(a))
        return SMG_EINVAL;
    if (member)
        *member = a->keys[key].prot;
    if (through)
        *through = a->keys[key].through;
    if (last_contact)
        *last_contact = (long)input_pos(a, a->keys[key].contact_pos);
    return 0;
}

typedef struct expiring {
    int32_t member;
    smg_date through;
    size_t key;
} expiring;

static int expiring_cmp(const void *x, const void *y)
{
    const expiring *p = x, *q = y;
    if (p->member != q->member)
        return p->member < q->member ? -1 : 1;
    if (p->through != q->through)
        return p->through < q->through ? -1 : 1;
    return p->key < q->key ? -1 : p->key > q->key;
}

/* Protected on `day`, and the last protected day before day + within. */
static int expires_within(const keystate *k, smg_date day, int within_days)
{
    return k->prot >= 0 && k->through >= day && (int64_t)k->through < (int64_t)day + within_days;
}

size_t smg_attribution_expiring(const smg_attribution *a, smg_date day, int within_days,
                                size_t *keys, size_t cap)
{
    size_t k, n = 0, i;
    expiring *v;
    if (!a || within_days < 0)
        return 0;
    for (k = 0; k < a->nkeys; k++)
        n += expires_within(&a->keys[k], day, within_days);
    if (!keys || !cap || !n)
        return n;
    v = smgi_malloc(&a->alloc, n * sizeof *v);
    if (!v)
        return 0;
    for (k = 0, i = 0; k < a->nkeys; k++)
        if (expires_within(&a->keys[k], day, within_days)) {
            v[i].member = a->keys[k].prot;
            v[i].through = a->keys[k].through;
            v[i++].key = k;
        }
    qsort(v, n, sizeof *v, expiring_cmp);
    for (i = 0; i < n && i < cap; i++)
        keys[i] = v[i].key;
    smgi_free(&a->alloc, v);
    return n;
}

size_t smg_attribution_registration_count(const smg_attribution *a)
{
    return a ? a->nregs : 0;
}

int smg_attribution_registration(const smg_attribution *a, size_t i, long *event,
                                 long *member, int *ontime)
{
    if (!a || i >= a->nregs || !fresh(a))
        return SMG_EINVAL;
    if (event)
        *event = (long)input_pos(a, a->r_pos[i]);
    if (member)
        *member = a->org->events.member[a->r_pos[i]];
    if (ontime)
        *ontime = a->r_ontime[i];
    return 0;
}

int smgi_attribution_view_of(const smg_attribution *a, const smg_org *org,
                             smgi_attribution_view *v)
{
    if (!a || a->org != org || !fresh(a))
        return SMG_EINVAL;
    v->ndeals = a->ndeals;
    v->deal_pos = a->d_pos;
    v->credited = a->d_credited;
    v->nregs = a->nregs;
    v->reg_pos = a->r_pos;
    v->reg_ontime = a->r_ontime;
    return 0;
}

long smgi_attribution_holder(const smg_attribution *a, size_t key)
{
    if (!a || key >= a->nkeys)
        return -1;
    return a->keys[key].prot;
}

long smgi_attribution_responsible(const smg_attribution *a, size_t key, smg_date day)
{
    if (!a || key >= a->nkeys)
        return -1;
    if (a->keys[key].prot >= 0 && a->keys[key].through >= day)
        return a->keys[key].prot;
    return a->keys[key].last_row >= 0 ? a->d_credited[a->keys[key].last_row] : -1;
}
