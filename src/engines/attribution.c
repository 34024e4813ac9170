/* Follow-up attribution (RULES.md §4, R9 and §8): one pass over the
 * time-ordered event log with the state of every attribution key in flat
 * arrays.
 *
 * Per key (one 32-byte record): its protector, the last protected day, and
 * the events that made the protection (registration, latest contact).
 * Protections run out lazily: the first event that touches a key after its
 * last protected day releases it, and a final sweep releases the rest. The
 * last protected day is the earliest of the protection period (R2), the
 * hold limit (§8, when on) and the protector's leave date (R9), so the
 * three limits cost nothing apart: the reason of a release that ran out is
 * worked out when it happens (the first of expired, hold_limit, left that
 * ends there). Every member's protected keys form a doubly linked list
 * through the key records, so a void (R6), a handover (§8) or the cap's
 * count of a member's keys need no scan of the keys. The replay asks for
 * the key records of the events ahead early (prefetch): customers come in
 * random order.
 *
 * Links (§8) merge keys: a union-find over the keys, present only when the
 * log has links. The surviving key is the root (its record holds the
 * merged key's state), finds compress their path, and every key is
 * resolved once more when the replay ends (root[]), so the other engines
 * map a customer's key to its merged key with one read. The deal and
 * registration rows then keep the key they had (d_key, r_key). The public
 * pool's state (hold ends, the cooldown's releases, the cap's bound) is
 * allocated only when its policy is on: the default replay does what it
 * always did. */
#include "attribution.h"

#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "calendar.h"
#include "events.h"
#include "fields.h"
#include "logsort.h"
#include "org.h"
#include "scope.h"

#define NONE UINT32_MAX
#define NO_DAY INT32_MAX /* a day later than any: "no bound" */

/* A notice: 16 bytes, and its kind apart (n_kind: the kind in the low
 * nibble, a reason in the high one). What the event at pos says is not
 * repeated; the getter reads its member and customer back from the log.
 * By kind:
 *   collision      a registration: x = the protector, y = the key;
 *                  a link (reason 1): x = the surviving key's protector,
 *                  y = its row in the link collisions (lc)
 *   release        x = the member losing it, y = the key; reason: the
 *                  smg_release_reason; pos = the void, handover or link,
 *                  else NONE
 *   claim_*        x = the protector at the deal, y = the deal's key (the
 *                  deal: the claim's)
 *   late_followup  pos = the registration, y = its key; the deadline is
 *                  day - 1
 *   duplicate      x = the customer, y = the customer it duplicates
 *   rejected       pos = the registration, y = the key; reason: the
 *                  smg_reject_reason */
typedef struct notice {
    uint32_t pos;      /* sorted log position, or NONE */
    smg_date day;      /* SMG_DATE_NONE for duplicates */
    int32_t x, y;      /* as above, else -1 */
} notice;

#define N_KIND(a, i) ((a)->n_kind[i] & 15)
#define N_REASON(a, i) ((a)->n_kind[i] >> 4)

/* A collision by a link: the member who lost the other key's protection,
 * the surviving key, and the linked customer whose key lost. */
typedef struct link_collision {
    int32_t member, key, customer;
} link_collision;

/* Everything about one attribution key, in one cache line: the replay
 * touches one line per event. */
typedef struct keystate {
    int32_t prot;            /* protector member, or -1 */
    smg_date through;        /* last protected day */
    uint32_t reg_pos;        /* the registration (or deal, or handover) that made the
                                protection */
    uint32_t contact_pos;    /* the protector's latest contact (its day + protect_days
                                is the end of the protection period) */
    int32_t last_row;        /* the key's latest deal row, or -1 */
    int32_t next, prev;      /* the protector's list of keys */
    int32_t pending;         /* registration awaiting its follow-up, or -1 (with links:
                                the first of a list, through pend_next) */
} keystate;

struct smg_attribution {
    smg_allocator alloc;
    const smg_org *org;
    uint64_t generation;
    smg_time until;      /* the option as given (SMG_TIME_NONE: the whole log) */
    smg_time now;        /* the moment the state is "as of" */

    size_t nkeys;
    keystate *keys;
    int32_t *root;       /* with links: every key's merged key at the end; else NULL */

    size_t ndeals;
    uint32_t *d_pos;
    int32_t *d_credited, *d_protector;
    int32_t *d_key;      /* with links: the key at the deal; else NULL (the customer's) */
    uint32_t *d_reg, *d_contact, *d_claim, *d_override;
    uint8_t *d_reason;

    notice *notices;     /* in the order found */
    uint8_t *n_kind;     /* each notice's smg_notice_kind | reason << 4 */
    uint32_t *order;     /* notices by day, then kind */
    size_t nnotices, notices_cap;
    link_collision *lc;  /* collisions by links */
    size_t nlc, lc_cap;

    uint32_t *r_pos;     /* accepted registrations, in time order */
    smg_date *r_deadline;
    uint8_t *r_ontime;
    int32_t *r_key;      /* with links: the key at the registration; else NULL */
    size_t nregs, regs_cap;

    /* What the public tables show (as_member, RULES.md §1); the arrays
     * above keep the whole replay for the other engines. NULL = every row
     * (full rights): deal rows, notice indices (in notice order),
     * registration rows. */
    uint32_t *v_deals, *v_notices, *v_regs;
    size_t nv_deals, nv_notices, nv_regs;
    uint32_t *p_key;     /* the visible protected keys at the end, in key order */
    size_t nprot, prot_cap;

    /* For smg_attribution_update(): the replay's state (NULL when it
     * cannot continue: computed with `until`, or an update failed; the
     * settle changes no state, it only adds notices), how many log events
     * it replayed, the notices before the settle's, and the options and
     * policy it ran under. */
    struct replay *rs;
    size_t replayed, pre_notices;
    uint64_t policy_serial;
    char *as_member;
    /* updated without its tables (smgi_attribution_lean): only what the
     * other engines read is current — the deal and registration rows, the
     * keys (a protection past `now` reads as released, as the settle
     * would have made it) */
    int lean;
    /* for the KPI index: the generation of the state the last update
     * started from (UINT64_MAX = none) and the first log position whose rows may
     * differ from it */
    uint64_t base_gen;
    size_t changed_from;
};


/* Replay scratch, freed when the run ends. */
typedef struct replay {
    smg_attribution *a;
    const smg_org *org;
    const smgi_scope *scope;
    const smgi_events *E;
    const int32_t *cust_key;
    const smg_date *leave; /* per member: the leave date, SMG_DATE_NONE = none */
    int protect_days, claim_days, followup_days;
    int max_hold, max_protected, reclaim;
    keystate *keys;
    int32_t *head;       /* per member: first protected key, or -1 */
    int32_t *held;       /* per member: how many keys they protect */
    uint32_t *last_void; /* per member: position of the latest void, or NONE */
    int32_t *deal_row;   /* per org deal: its row, or -1 */
    /* links (NULL without): */
    int32_t *up;         /* per key: the key it was merged into, or itself */
    uint32_t *first_reg; /* per key: its first accepted registration, or NONE */
    int32_t *pend_next;  /* per registration: the next pending one of its key */
    /* the public pool (NULL when off): */
    smg_date *hold_end;  /* per key: the last day of its hold (max_hold_days) */
    smg_date *low;       /* per member: no protected key ends before it (the cap) */
    int32_t *rl_head;    /* per key: its latest release (the cooldown), or -1 */
    int32_t *rl_member, *rl_next; /* releases, newest first per key */
    smg_date *rl_day;
    size_t nrl, rl_cap;
    size_t key_cap, member_cap, deal_cap, row_cap; /* room of the arrays above */
    uint32_t dirty;      /* the earliest log position of a row changed after it was made */
} replay;

static const char *const reason_names[] = {
    NULL, "unprotected", "owner", "protected_unclaimed", "claimed", "override", "company",
};
static const char *const notice_names[] = {
    NULL, "collision", "release", "claim_late", "claim_invalid", "late_followup", "duplicate",
    "rejected",
};

const char *smg_reason_name(smg_reason r)
{
    return r >= SMG_REASON_UNPROTECTED && r <= SMG_REASON_COMPANY ? reason_names[r] : NULL;
}

const char *smg_notice_kind_name(smg_notice_kind k)
{
    return k >= SMG_NOTICE_KIND_COLLISION && k <= SMG_NOTICE_KIND_REJECTED ? notice_names[k]
                                                                          : NULL;
}

const char *smg_release_reason_name(smg_release_reason reason)
{
    static const char *const names[] = { NULL,       "expired", "voided",    "left",
                                         "handover", "link",    "hold_limit" };
    return reason >= SMG_RELEASE_REASON_EXPIRED && reason <= SMG_RELEASE_REASON_HOLD_LIMIT
               ? names[reason]
               : NULL;
}

const char *smg_reject_reason_name(smg_reject_reason reason)
{
    static const char *const names[] = { NULL, "collision", "limit", "reclaim_wait" };
    return reason >= SMG_REJECT_REASON_COLLISION && reason <= SMG_REJECT_REASON_RECLAIM_WAIT
               ? names[reason]
               : NULL;
}

const char *smg_deal_id(const smg_org *org, size_t index)
{
    return org && index < org->deals.ids.count ? smgi_strtab_get(&org->deals.ids, index) : NULL;
}

static void replay_free(const smg_allocator *al, replay *r);

void smg_attribution_free(smg_attribution *a)
{
    smg_allocator al;
    if (!a)
        return;
    al = a->alloc;
    if (a->rs) {
        replay_free(&al, a->rs);
        smgi_free(&al, a->rs);
    }
    smgi_free(&al, a->keys);
    smgi_free(&al, a->root);
    smgi_free(&al, a->d_pos);
    smgi_free(&al, a->d_credited);
    smgi_free(&al, a->d_protector);
    smgi_free(&al, a->d_key);
    smgi_free(&al, a->d_reg);
    smgi_free(&al, a->d_contact);
    smgi_free(&al, a->d_claim);
    smgi_free(&al, a->d_override);
    smgi_free(&al, a->d_reason);
    smgi_free(&al, a->notices);
    smgi_free(&al, a->n_kind);
    smgi_free(&al, a->order);
    smgi_free(&al, a->lc);
    smgi_free(&al, a->r_pos);
    smgi_free(&al, a->r_deadline);
    smgi_free(&al, a->r_ontime);
    smgi_free(&al, a->r_key);
    smgi_free(&al, a->v_deals);
    smgi_free(&al, a->v_notices);
    smgi_free(&al, a->v_regs);
    smgi_free(&al, a->p_key);
    smgi_free(&al, a->as_member);
    smgi_free(&al, a);
}

static void replay_free(const smg_allocator *al, replay *r)
{
    smgi_free(al, r->head);
    smgi_free(al, r->held);
    smgi_free(al, r->last_void);
    smgi_free(al, r->deal_row);
    if (!r->a || r->up != r->a->root) /* a kept replay shares root */
        smgi_free(al, r->up);
    smgi_free(al, r->first_reg);
    smgi_free(al, r->pend_next);
    smgi_free(al, r->hold_end);
    smgi_free(al, r->low);
    smgi_free(al, r->rl_head);
    smgi_free(al, r->rl_member);
    smgi_free(al, r->rl_next);
    smgi_free(al, r->rl_day);
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
    return day * 8 + N_KIND(a, i);
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


/* ---- keys merged by links ---- */

/* The key that key k is merged into now: its root, compressing the path
 * (every key on it then points at the root). */
static int32_t find_key(int32_t *up, int32_t k)
{
    int32_t root = k, next;
    while (up[root] != root)
        root = up[root];
    while (up[k] != root) {
        next = up[k];
        up[k] = root;
        k = next;
    }
    return root;
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
    r->held[m]++;
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
    r->held[m]--;
}

/* The last protected day of key's protection by m whose protection period
 * (R2) ends on `end`: the earliest of that, the hold limit (§8) and m's
 * leave date (R9). Contacts and deals only push the first two later, so
 * the last protected day of a protection never moves earlier. */
static smg_date bounded(const replay *r, int32_t key, int32_t m, smg_date end)
{
    smg_date leave = r->leave[m];
    if (r->hold_end && r->hold_end[key] < end)
        end = r->hold_end[key];
    if (leave != SMG_DATE_NONE && leave < end)
        end = leave;
    return end;
}

/* m protects key from event pos on `day`: a registration, a deal of an
 * unprotected key or a handover — a new protection period and, when on,
 * a new hold. */
static void grant(replay *r, int32_t key, int32_t m, uint32_t pos, smg_date day)
{
    keystate *k = &r->keys[key];
    k->prot = m;
    k->reg_pos = pos;
    k->contact_pos = pos;
    if (r->hold_end)
        r->hold_end[key] = day + r->max_hold;
    k->through = bounded(r, key, m, day + r->protect_days);
    link_key(r, key, m);
    if (r->low && k->through < r->low[m])
        r->low[m] = k->through;
}

/* A contact by the protector: the protection period runs through
 * day + protect_days. */
static void contact(replay *r, int32_t key, uint32_t pos, smg_date day)
{
    keystate *k = &r->keys[key];
    k->contact_pos = pos;
    k->through = bounded(r, key, k->prot, day + r->protect_days);
}

/* Note that m's protection of key was released on `day`, for the
 * cooldown: the key's releases, newest first. */
static int remember_release(replay *r, int32_t key, int32_t m, smg_date day)
{
    size_t c = r->rl_cap, i = r->nrl;
    if (SMGI_GROW(&r->a->alloc, r->rl_member, c, i + 1))
        return SMG_ENOMEM;
    c = r->rl_cap;
    if (SMGI_GROW(&r->a->alloc, r->rl_next, c, i + 1))
        return SMG_ENOMEM;
    c = r->rl_cap;
    if (SMGI_GROW(&r->a->alloc, r->rl_day, c, i + 1))
        return SMG_ENOMEM;
    r->rl_cap = c;
    r->rl_member[i] = m;
    r->rl_day[i] = day;
    r->rl_next[i] = r->rl_head[key];
    r->rl_head[key] = (int32_t)i;
    r->nrl++;
    return 0;
}

/* End key's protection: `day` is its first unprotected day; `pos` the
 * void, handover or link that ended it, or NONE when a limit did. */
static int release(replay *r, int32_t key, smg_date day, uint32_t pos, int reason)
{
    keystate *k = &r->keys[key];
    int32_t m = k->prot;
    unlink_key(r, key, m);
    k->prot = -1;
    k->through = SMG_DATE_NONE;
    k->reg_pos = k->contact_pos = NONE;
    if (r->rl_head && remember_release(r, key, m, day))
        return SMG_ENOMEM;
    return add_notice(r->a, SMG_NOTICE_KIND_RELEASE | reason << 4, day, pos, m, key);
}

/* Release key, whose last protected day has passed, on the day after it;
 * the reason is the first limit that ends there: the protection period
 * (expired), the hold (hold_limit), the leave date (left). */
static int ran_out_reason(const replay *r, int32_t key)
{
    const keystate *k = &r->keys[key];
    int hold = r->hold_end && r->hold_end[key] == k->through;
    /* only when another limit ends there too, read the contact's day (a
     * random read into the log) to see whether the period did as well */
    if ((hold || r->leave[k->prot] == k->through) &&
        smgi_day_of(r->E->at[k->contact_pos]) + r->protect_days != k->through)
        return hold ? SMG_RELEASE_REASON_HOLD_LIMIT : SMG_RELEASE_REASON_LEFT;
    return SMG_RELEASE_REASON_EXPIRED;
}

static int ran_out(replay *r, int32_t key)
{
    return release(r, key, r->keys[key].through + 1, NONE, ran_out_reason(r, key));
}

/* The cooldown (§8): whether m's own protection of key was released less
 * than reclaim_days days before `day`. The key's releases are newest
 * first (a key's release days never decrease), so the walk stops at the
 * first one out of the window. */
static int cooling(const replay *r, int32_t key, int32_t m, smg_date day)
{
    int32_t i;
    for (i = r->rl_head[key]; i >= 0 && (int64_t)r->rl_day[i] + r->reclaim > day;
         i = r->rl_next[i])
        if (r->rl_member[i] == m)
            return 1;
    return 0;
}

/* The cap (§8): *full = 1 when m protects max_protected keys on `day`.
 * The list may hold keys that ran out and were not touched since: they
 * are released first — only when one may have (low[m] is a lower bound
 * of m's last protected days, exact after each sweep), so a member at the
 * cap is swept at most once a day for nothing. */
static int at_cap(replay *r, int32_t m, smg_date day, int *full)
{
    smg_date low = NO_DAY;
    int32_t key, next;
    int rc;
    *full = r->held[m] >= r->max_protected;
    if (!*full || r->low[m] >= day)
        return 0;
    for (key = r->head[m]; key >= 0; key = next) {
        next = r->keys[key].next;
        if (r->keys[key].through < day) {
            if ((rc = ran_out(r, key)))
                return rc;
        } else if (r->keys[key].through < low) {
            low = r->keys[key].through;
        }
    }
    r->low[m] = low;
    *full = r->held[m] >= r->max_protected;
    return 0;
}

/* ---- the replay ---- */

static int regs_reserve(replay *r, size_t need)
{
    smg_attribution *a = r->a;
    size_t c;
    if (need <= a->regs_cap)
        return 0;
#define G(arr) c = a->regs_cap; if (SMGI_GROW(&a->alloc, arr, c, need)) return SMG_ENOMEM;
    G(a->r_pos) G(a->r_deadline) G(a->r_ontime)
    if (r->up) {
        G(a->r_key) G(r->pend_next)
    }
#undef G
    a->regs_cap = c;
    return 0;
}

/* R1 and §8: someone else's protection first (a collision), then the
 * cooldown, then the cap. */
static int on_register(replay *r, uint32_t pos, int32_t m, int32_t key, smg_date day)
{
    smg_attribution *a = r->a;
    int32_t p = r->keys[key].prot;
    size_t n = a->nregs;
    int rc, full = 0;
    if (p == m) {
        contact(r, key, pos, day); /* re-registration by the protector */
        return 0;
    }
    if (p >= 0)
        return add_notice(a, SMG_NOTICE_KIND_COLLISION, day, pos, p, key);
    if (r->rl_head && cooling(r, key, m, day))
        return add_notice(a, SMG_NOTICE_KIND_REJECTED | SMG_REJECT_REASON_RECLAIM_WAIT << 4,
                          day, pos, -1, key);
    if (r->low && ((rc = at_cap(r, m, day, &full)) || full))
        return rc ? rc
                  : add_notice(a, SMG_NOTICE_KIND_REJECTED | SMG_REJECT_REASON_LIMIT << 4, day,
                               pos, -1, key);
    grant(r, key, m, pos, day);
    if (regs_reserve(r, n + 1))
        return SMG_ENOMEM;
    a->r_pos[n] = pos;
    a->r_deadline[n] = day + r->followup_days;
    a->r_ontime[n] = 0;
    if (r->up) {
        a->r_key[n] = key;
        r->pend_next[n] = -1;
        if (r->first_reg[key] == NONE)
            r->first_reg[key] = pos;
    }
    r->keys[key].pending = (int32_t)n; /* an older one can no longer be followed up */
    a->nregs++;
    return 0;
}

/* Registration row p was followed up in time. */
static void on_time(replay *r, int32_t p)
{
    r->a->r_ontime[p] = 1;
    if (r->a->r_pos[p] < r->dirty)
        r->dirty = r->a->r_pos[p];
}

static void on_followup(replay *r, uint32_t pos, int32_t m, int32_t key, smg_date day)
{
    smg_attribution *a = r->a;
    keystate *k = &r->keys[key];
    int32_t p = k->pending, *at = &k->pending;
    if (k->prot == m)
        contact(r, key, pos, day);
    if (!r->pend_next) {
        if (p >= 0 && r->E->member[a->r_pos[p]] == m) {
            if (day <= a->r_deadline[p])
                on_time(r, p);
            k->pending = -1; /* settled: on time, or late for good */
        }
        return;
    }
    /* with links, a key may wait for several (§8: through any customer) */
    while ((p = *at) >= 0) {
        if (r->E->member[a->r_pos[p]] == m) {
            if (day <= a->r_deadline[p])
                on_time(r, p);
            *at = r->pend_next[p];
        } else {
            at = &r->pend_next[p];
        }
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
    if (a->d_key)
        a->d_key[row] = key;
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
        if (p == m) {
            if (r->hold_end) /* the holder's deal starts a new hold */
                r->hold_end[key] = day + r->max_hold;
            contact(r, key, pos, day);
        }
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
        kind = SMG_NOTICE_KIND_CLAIM_INVALID; /* final, already claimed, not the
                                            protector, or voided since (R6) */
    else if (day > smgi_day_of(E->at[dpos]) + r->claim_days)
        kind = SMG_NOTICE_KIND_CLAIM_LATE;
    if (kind)
        return add_notice(a, kind, day, pos, a->d_protector[row],
                          a->d_key ? a->d_key[row] : r->cust_key[E->customer[dpos]]);
    a->d_credited[row] = m;
    a->d_reason[row] = SMG_REASON_CLAIMED;
    a->d_claim[row] = pos;
    if (dpos < r->dirty)
        r->dirty = dpos;
    return 0;
}

static void on_override(replay *r, uint32_t pos, int32_t m)
{
    smg_attribution *a = r->a;
    int32_t row = r->deal_row[r->E->arg[pos]];
    a->d_credited[row] = m;
    a->d_reason[row] = m >= 0 ? SMG_REASON_OVERRIDE : SMG_REASON_COMPANY;
    a->d_override[row] = pos;
    if (a->d_pos[row] < r->dirty)
        r->dirty = a->d_pos[row];
}

static int on_void(replay *r, uint32_t pos, int32_t m, smg_date day)
{
    int rc = 0;
    r->last_void[m] = pos;
    while (r->head[m] >= 0 && !rc) {
        int32_t key = r->head[m];
        rc = r->keys[key].through < day
                 ? ran_out(r, key)
                 : release(r, key, day, pos, SMG_RELEASE_REASON_VOIDED);
    }
    return rc;
}

/* §8 handover: every protection `from` holds passes to `to` as if `to`
 * registered the key that day; to nobody (to < 0), it is released. */
static int on_handover(replay *r, uint32_t pos, int32_t from, int32_t to, smg_date day)
{
    int rc = 0;
    while (r->head[from] >= 0 && !rc) {
        int32_t key = r->head[from];
        if (r->keys[key].through < day) {
            rc = ran_out(r, key);
        } else if (to < 0) {
            rc = release(r, key, day, pos, SMG_RELEASE_REASON_HANDOVER);
        } else {
            unlink_key(r, key, from);
            grant(r, key, to, pos, day);
        }
    }
    return rc;
}

/* §8 link: customers cx and cy are one customer from now on. Their keys
 * merge into the one whose first accepted registration is earlier (never
 * registered counts as latest; both never: cx's); the protections meet as
 * the rule says; pending follow-ups and the cooldown's releases go along. */
static int on_link(replay *r, uint32_t pos, int32_t cx, int32_t cy, smg_date day)
{
    smg_attribution *a = r->a;
    keystate *K = r->keys;
    int32_t kx = find_key(r->up, r->cust_key[cx]), ky = find_key(r->up, r->cust_key[cy]);
    int32_t s, o, ps, po;
    int rc;
    if (kx == ky)
        return 0; /* one key already: nothing changes */
    r->dirty = 0; /* keys merge: what every row's key is part of changes */
    /* cx's key ran out in run_events() if it had to; cy's now */
    if (K[ky].prot >= 0 && day > K[ky].through && (rc = ran_out(r, ky)))
        return rc;
    s = r->first_reg[ky] < r->first_reg[kx] ? ky : kx;
    o = s == kx ? ky : kx;
    ps = K[s].prot;
    po = K[o].prot;
    if (po >= 0 && ps >= 0 && ps != po) {
        /* two protectors: the survivor's keeps it; the other's is released
         * and reported as a collision */
        link_collision *l;
        if (SMGI_GROW(&a->alloc, a->lc, a->lc_cap, a->nlc + 1))
            return SMG_ENOMEM;
        l = &a->lc[a->nlc];
        l->member = po;
        l->key = s;
        l->customer = o == kx ? cx : cy;
        if ((rc = add_notice(a, SMG_NOTICE_KIND_COLLISION | 1 << 4, day, pos, ps,
                             (int32_t)a->nlc++)) ||
            (rc = release(r, o, day, pos, SMG_RELEASE_REASON_LINK)))
            return rc;
    } else if (po >= 0) {
        /* only the other was protected: it carries over unchanged; or the
         * same member protected both: the survivor's stands, the other
         * ends without a release */
        unlink_key(r, o, po);
        if (ps < 0) {
            K[s].prot = po;
            K[s].through = K[o].through;
            K[s].reg_pos = K[o].reg_pos;
            K[s].contact_pos = K[o].contact_pos;
            if (r->hold_end)
                r->hold_end[s] = r->hold_end[o];
            link_key(r, s, po); /* the same last day: the cap's bound stands */
        }
        K[o].prot = -1;
        K[o].through = SMG_DATE_NONE;
        K[o].reg_pos = K[o].contact_pos = NONE;
    }
    r->up[o] = s;
    if (K[o].last_row > K[s].last_row)
        K[s].last_row = K[o].last_row;
    if (K[o].pending >= 0) {
        int32_t *at = &K[s].pending;
        while (*at >= 0)
            at = &r->pend_next[*at];
        *at = K[o].pending;
        K[o].pending = -1;
    }
    if (r->rl_head) { /* merge the two lists of releases, newest first */
        int32_t x = r->rl_head[s], y = r->rl_head[o], *tail = &r->rl_head[s];
        while (x >= 0 && y >= 0) {
            if (r->rl_day[x] >= r->rl_day[y]) {
                *tail = x;
                tail = &r->rl_next[x];
                x = r->rl_next[x];
            } else {
                *tail = y;
                tail = &r->rl_next[y];
                y = r->rl_next[y];
            }
        }
        *tail = x >= 0 ? x : y;
        r->rl_head[o] = -1;
    }
    return 0;
}

/* How far ahead the replay asks for the key state it will need. */
enum { AHEAD = 16 };

static int run_events(replay *r, size_t start, size_t limit)
{
    const smgi_events *E = r->E;
    keystate *keys = r->keys;
    int32_t *up = r->up;
    size_t i;
    int rc = 0;
    for (i = start; i < limit && !rc; i++) {
        uint32_t pos = (uint32_t)i;
        int32_t m = E->member[i], cust = E->customer[i];
        int32_t key = cust >= 0 ? r->cust_key[cust] : -1;
        smg_date day = smgi_day_of(E->at[i]);
        /* customers are random: fetch their key, then its state, early */
        if (i + 2 * AHEAD < limit && E->customer[i + 2 * AHEAD] >= 0)
            SMGI_PREFETCH(&r->cust_key[E->customer[i + 2 * AHEAD]]);
        if (i + AHEAD < limit && E->customer[i + AHEAD] >= 0)
            SMGI_PREFETCH(&keys[r->cust_key[E->customer[i + AHEAD]]]);
        if (up && key >= 0)
            key = find_key(up, key);
        if (key >= 0 && keys[key].prot >= 0 && day > keys[key].through)
            rc = ran_out(r, key);
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
        case SMG_EV_HANDOVER:
            rc = on_handover(r, pos, m, E->arg[i], day);
            break;
        case SMG_EV_LINK:
            rc = on_link(r, pos, cust, E->arg[i], day);
            break;
        default:
            break;
        }
    }
    return rc;
}

/* After the log: protections that ran out by `now` (the others are the
 * protections the result shows, when their protector is visible),
 * registrations whose follow-up window closed without one, and every
 * key's merged key for the readers. */
static int settle(replay *r)
{
    smg_attribution *a = r->a;
    smg_date today = smg_time_day(a->now);
    size_t k;
    int rc = 0;
    a->pre_notices = a->nnotices;
    for (k = 0; k < a->nkeys && !rc; k++) {
        int32_t p = r->keys[k].prot;
        if (p < 0)
            continue;
        if (r->keys[k].through < today) {
            /* the release that ran out, noted but not made: the state
             * stays the replay's, which an update continues (the readers
             * see a protection past `now` as released: end_prot()) */
            rc = add_notice(a, SMG_NOTICE_KIND_RELEASE | ran_out_reason(r, (int32_t)k) << 4,
                            r->keys[k].through + 1, NONE, p, (int32_t)k);
        } else if (smgi_scope_member(r->org, r->scope, (size_t)p)) {
            if (SMGI_GROW(&a->alloc, a->p_key, a->prot_cap, a->nprot + 1))
                rc = SMG_ENOMEM;
            else
                a->p_key[a->nprot++] = (uint32_t)k;
        }
    }
    for (k = 0; k < a->nregs && !rc; k++)
        if (!a->r_ontime[k] && a->r_deadline[k] < today)
            rc = add_notice(a, SMG_NOTICE_KIND_LATE_FOLLOWUP, a->r_deadline[k] + 1, a->r_pos[k],
                            -1,
                            a->r_key ? a->r_key[k]
                                     : r->cust_key[r->E->customer[a->r_pos[k]]]);
    if (r->up && !rc) {
        for (k = 0; k < a->nkeys; k++)
            find_key(r->up, (int32_t)k); /* every key points at its root now */
        a->root = r->up; /* shared with a kept replay: continuing from it is the same */
    }
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
            rc = add_notice(a, SMG_NOTICE_KIND_DUPLICATE, SMG_DATE_NONE, NONE, (int32_t)i,
                            c->dup_of[i]);
    return rc;
}

/* The key that key k is part of at the end of the replay. */
static size_t final_key(const smg_attribution *a, size_t k)
{
    return a->root ? (size_t)a->root[k] : k;
}

#define ALLOC(ptr, n) (((ptr) = smgi_malloc(al, ((n) ? (n) : 1) * sizeof *(ptr))) == NULL)

int smg_attribution_options_init(smg_attribution_options *opts, unsigned version)
{
    smg_attribution_options init = SMG_ATTRIBUTION_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version < 1 || version > SMG_ATTRIBUTION_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    opts->version = version;
    return 0;
}

/* A notice with the fields it does not keep read back from its event;
 * -1 / SMG_DATE_NONE / NONE / 0 where a field does not apply. */

/* A notice with the fields it does not keep read back from its event;
 * -1 / SMG_DATE_NONE / NONE / 0 where a field does not apply. */
typedef struct notice_view {
    int kind, release_reason, reject_reason;
    smg_date day, deadline;
    int32_t member, other, customer, key, deal, dup_of;
    uint32_t pos;
} notice_view;

static void notice_decode(const smg_attribution *a, size_t idx, notice_view *v)
{
    const smg_org *org = a->org;
    const smgi_events *E = &org->events;
    const notice *n = &a->notices[idx];
    v->kind = N_KIND(a, idx);
    v->release_reason = v->reject_reason = 0;
    v->day = n->day;
    v->deadline = SMG_DATE_NONE;
    v->member = v->other = v->customer = v->key = v->deal = v->dup_of = -1;
    v->pos = n->pos;
    switch (v->kind) {
    case SMG_NOTICE_KIND_COLLISION:
        v->other = n->x;
        if (N_REASON(a, idx)) { /* by a link */
            const link_collision *l = &a->lc[n->y];
            v->member = l->member;
            v->customer = l->customer;
            v->key = l->key;
        } else {
            v->member = E->member[n->pos];
            v->customer = E->customer[n->pos];
            v->key = n->y;
            v->reject_reason = SMG_REJECT_REASON_COLLISION;
        }
        break;
    case SMG_NOTICE_KIND_RELEASE:
        v->member = n->x;
        v->key = n->y;
        v->release_reason = N_REASON(a, idx);
        break;
    case SMG_NOTICE_KIND_CLAIM_LATE:
    case SMG_NOTICE_KIND_CLAIM_INVALID:
        v->member = E->member[n->pos];
        v->other = n->x;
        v->deal = E->arg[n->pos];
        v->customer = E->customer[org->deals.event[v->deal]];
        v->key = n->y;
        break;
    case SMG_NOTICE_KIND_LATE_FOLLOWUP:
        v->member = E->member[n->pos];
        v->customer = E->customer[n->pos];
        v->key = n->y;
        v->deadline = n->day - 1;
        break;
    case SMG_NOTICE_KIND_DUPLICATE:
        v->customer = n->x;
        v->dup_of = n->y;
        v->key = (int32_t)final_key(a, (size_t)org->customers.key[n->x]);
        break;
    case SMG_NOTICE_KIND_REJECTED:
        v->member = E->member[n->pos];
        v->customer = E->customer[n->pos];
        v->key = n->y;
        v->reject_reason = N_REASON(a, idx);
        break;
    }
}

/* The rows a scope sees (RULES.md §1), once the replay is complete: deals
 * its members closed or are credited with, their registrations, notices
 * about them, and the possible duplicates of a customer whose key it sees.
 * (Protections are picked as the replay settles.) */
static int visible_rows(smg_attribution *a, smg_org *org, smgi_scope *s)
{
    const smg_allocator *al = &a->alloc;
    const smgi_events *E = &org->events;
    size_t i, n;
    int dups = 0;
    if (ALLOC(a->v_deals, a->ndeals) || ALLOC(a->v_regs, a->nregs) ||
        ALLOC(a->v_notices, a->nnotices))
        return SMG_ENOMEM;
    for (i = n = 0; i < a->ndeals; i++) {
        int32_t c = a->d_credited[i];
        if (smgi_scope_member(org, s, (size_t)E->member[a->d_pos[i]]) ||
            (c >= 0 && smgi_scope_member(org, s, (size_t)c)))
            a->v_deals[n++] = (uint32_t)i;
    }
    a->nv_deals = n;
    for (i = n = 0; i < a->nregs; i++)
        if (smgi_scope_member(org, s, (size_t)E->member[a->r_pos[i]]))
            a->v_regs[n++] = (uint32_t)i;
    a->nv_regs = n;
    for (i = 0; i < a->nnotices && !dups; i++)
        dups = N_KIND(a, i) == SMG_NOTICE_KIND_DUPLICATE;
    if (dups && smgi_scope_keys(org, s, a))
        return SMG_ENOMEM;
    for (i = n = 0; i < a->nnotices; i++) {
        notice_view v;
        notice_decode(a, a->order[i], &v);
        if ((v.member >= 0 && smgi_scope_member(org, s, (size_t)v.member)) ||
            (v.other >= 0 && smgi_scope_member(org, s, (size_t)v.other)) ||
            (v.kind == SMG_NOTICE_KIND_DUPLICATE &&
             (smgi_scope_customer(org, s, (size_t)v.customer) ||
              smgi_scope_customer(org, s, (size_t)v.dup_of))))
            a->v_notices[n++] = a->order[i];
    }
    a->nv_notices = n;
    return 0;
}

/* The end of a replay: the settle, the duplicates, the notices' order and
 * what the scope sees. */
static int finish(replay *r, smg_org *org, smgi_scope *scope)
{
    smg_attribution *a = r->a;
    int rc;
    r->scope = scope;
    rc = settle(r);
    if (!rc)
        rc = find_duplicates(a, org);
    if (!rc)
        rc = order_notices(a);
    if (!rc && !scope->full)
        rc = visible_rows(a, org, scope);
    r->scope = NULL;
    return rc;
}

/* A per-item array of n items, every one set to `value` (int32_t or
 * smg_date: 4 bytes). */
static int32_t *filled(const smg_allocator *al, size_t n, int32_t value)
{
    int32_t *v = smgi_malloc(al, (n ? n : 1) * sizeof *v);
    size_t i;
    if (v)
        for (i = 0; i < n; i++)
            v[i] = value;
    return v;
}

int smg_attribution_compute(smg_attribution **out, smg_org *org,
                            const smg_attribution_options *opts)
{
    const smg_allocator *al;
    const smgi_events *E;
    const smgi_policy *pol;
    const char *as_member = NULL;
    smg_attribution *a;
    smgi_scope scope;
    replay r;
    size_t nkeys, nmembers, ndeals, limit, i, nd = 0, nlinks = 0;
    smg_time until = SMG_TIME_NONE;
    int rc;

    if (out)
        *out = NULL;
    if (!org || !out)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (opts) {
        if (opts->version < 1 || opts->version > SMG_ATTRIBUTION_OPTIONS_VERSION)
            return smgi_err(org, SMG_EVERSION, "unknown smg_attribution_options version %u",
                            opts->version);
        until = opts->until;
        as_member = opts->as_member;
    }
    if ((rc = smgi_scope_init(org, as_member, &scope)))
        return rc;
    al = &org->alloc;
    E = &org->events;
    pol = &org->policy;
    nkeys = org->customers.keys.count;
    nmembers = org->members.ids.count;
    ndeals = org->deals.ids.count;
    limit = until == SMG_TIME_NONE ? E->count : smgi_log_lower_bound(E, until);
    for (i = 0; i < limit; i++) {
        nd += E->type[i] == SMG_EV_DEAL;
        nlinks += E->type[i] == SMG_EV_LINK;
    }

    a = smgi_calloc(al, 1, sizeof *a);
    if (!a) {
        smgi_scope_free(al, &scope);
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    }
    memset(&r, 0, sizeof r);
    a->alloc = *al;
    a->org = org;
    a->generation = org->generation;
    if (as_member && *as_member) {
        size_t len = strlen(as_member) + 1;
        if (!(a->as_member = smgi_malloc(al, len))) {
            smgi_free(al, a);
            smgi_scope_free(al, &scope);
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        }
        memcpy(a->as_member, as_member, len);
    }
    a->until = until;
    a->now = until != SMG_TIME_NONE ? until : E->count ? E->at[E->count - 1] : 0;
    a->nkeys = nkeys;
    r.a = a;
    r.org = org;
    r.scope = &scope;
    r.E = E;
    r.cust_key = org->customers.key;
    r.leave = org->members.end;
    r.protect_days = pol->protect_days;
    r.claim_days = pol->claim_days;
    r.followup_days = pol->first_followup_days;
    r.max_hold = pol->max_hold_days;
    r.max_protected = pol->max_protected;
    r.reclaim = pol->reclaim_days;
    if (ALLOC(a->keys, nkeys) || ALLOC(a->d_pos, nd) ||
        ALLOC(a->d_credited, nd) || ALLOC(a->d_protector, nd) || ALLOC(a->d_reg, nd) ||
        ALLOC(a->d_contact, nd) || ALLOC(a->d_claim, nd) || ALLOC(a->d_override, nd) ||
        ALLOC(a->d_reason, nd) || ALLOC(r.last_void, nmembers) ||
        !(r.head = filled(al, nmembers, -1)) || !(r.held = filled(al, nmembers, 0)) ||
        !(r.deal_row = filled(al, ndeals, -1)) ||
        (nlinks && (ALLOC(a->d_key, nd) || !(r.up = filled(al, nkeys, 0)) ||
                    !(r.first_reg = (uint32_t *)filled(al, nkeys, -1)))) ||
        (r.max_hold && !(r.hold_end = filled(al, nkeys, NO_DAY))) ||
        (r.max_protected && !(r.low = filled(al, nmembers, NO_DAY))) ||
        (r.reclaim && !(r.rl_head = filled(al, nkeys, -1)))) {
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
    for (i = 0; i < nmembers; i++)
        r.last_void[i] = NONE;
    if (r.up)
        for (i = 0; i < nkeys; i++)
            r.up[i] = (int32_t)i;

    r.dirty = NONE;
    r.key_cap = nkeys; /* the items set (at least one is allocated) */
    r.member_cap = nmembers;
    r.deal_cap = ndeals;
    r.row_cap = nd;
    rc = run_events(&r, 0, limit);
    if (!rc)
        rc = finish(&r, org, &scope);
    if (!rc && until == SMG_TIME_NONE) {
        /* keep the replay for smg_attribution_update(); without room for
         * it, an update recomputes */
        a->rs = smgi_malloc(al, sizeof *a->rs);
        if (a->rs) {
            *a->rs = r;
            a->rs->scope = NULL;
            memset(&r, 0, sizeof r);
        }
    }
    a->replayed = limit;
    a->policy_serial = org->policy_serial;
    a->base_gen = UINT64_MAX; /* no earlier state */
    a->changed_from = 0;
done:
    replay_free(al, &r);
    smgi_scope_free(al, &scope);
    if (rc) {
        smg_attribution_free(a);
        return smgi_err(org, rc, "out of memory");
    }
    *out = a;
    return 0;
}

/* ---- updates ---- */

/* Grow an array of 4-byte items (NULL: none) from room *cap to at least
 * `need`, every new item (up to the new room) set to `value`. 0 or
 * SMG_ENOMEM (the array keeps its items). */
static int grow4(const smg_allocator *al, int32_t **v, size_t *cap, size_t need, int32_t value)
{
    size_t c = *cap, j;
    if (!*v) {
        *cap = smgi_grow_cap(c, need, 4);
        return 0;
    }
    if (SMGI_GROW(al, *v, c, need))
        return SMG_ENOMEM;
    for (j = *cap; j < c; j++)
        (*v)[j] = value;
    *cap = c;
    return 0;
}

/* Room for what the events from a->replayed on bring: keys, members,
 * deals (per org deal and as rows). Changes nothing a reader sees. */
static int continue_reserve(smg_attribution *a, const smg_org *org, size_t nrows)
{
    replay *r = a->rs;
    const smg_allocator *al = &a->alloc;
    size_t nkeys = org->customers.keys.count, nm = org->members.ids.count,
           nod = org->deals.ids.count, c, j;
    int32_t **kv[] = { &r->up, (int32_t **)&r->first_reg, &r->hold_end, &r->rl_head };
    int32_t kval[] = { 0, -1, NO_DAY, -1 };
    int32_t **mv[] = { &r->head, &r->held, (int32_t **)&r->last_void, &r->low };
    int32_t mval[] = { -1, 0, -1, NO_DAY };
    int k;
    /* each array's room is the same function of (room, need): one c */
    if (nkeys > r->key_cap) {
        c = r->key_cap;
        if (SMGI_GROW(al, a->keys, c, nkeys))
            return SMG_ENOMEM;
        for (k = 0; k < 4; k++) {
            size_t kc = r->key_cap;
            if (grow4(al, kv[k], &kc, nkeys, kval[k]))
                return SMG_ENOMEM;
        }
        if (r->up)
            for (j = r->key_cap; j < c; j++)
                r->up[j] = (int32_t)j;
        r->key_cap = c;
    }
    if (nkeys > a->nkeys) {
        for (j = a->nkeys; j < nkeys; j++) {
            keystate *ks = &a->keys[j];
            ks->prot = ks->last_row = ks->pending = ks->next = ks->prev = -1;
            ks->through = SMG_DATE_NONE;
            ks->reg_pos = ks->contact_pos = NONE;
        }
        a->root = r->up;
        r->keys = a->keys;
        a->nkeys = nkeys;
    }
    if (nm > r->member_cap) {
        for (k = 0, c = r->member_cap; k < 4; k++) {
            c = r->member_cap;
            if (grow4(al, mv[k], &c, nm, mval[k]))
                return SMG_ENOMEM;
        }
        r->member_cap = c;
    }
    if (nod > r->deal_cap && grow4(al, &r->deal_row, &r->deal_cap, nod, -1))
        return SMG_ENOMEM;
    if (nrows > r->row_cap) {
#define G(arr) c = r->row_cap; if (arr && SMGI_GROW(al, arr, c, nrows)) return SMG_ENOMEM;
        G(a->d_pos) G(a->d_credited) G(a->d_protector) G(a->d_key) G(a->d_reg)
        G(a->d_contact) G(a->d_claim) G(a->d_override) G(a->d_reason)
#undef G
        r->row_cap = c;
    }
    return 0;
}

/* Take back what the end of the last run added: the settle's notices
 * and those after them, and the tables' orders. */
static void unsettle(smg_attribution *a)
{
    a->nnotices = a->pre_notices;
    a->nprot = 0;
    smgi_free(&a->alloc, a->order);
    smgi_free(&a->alloc, a->v_deals);
    smgi_free(&a->alloc, a->v_notices);
    smgi_free(&a->alloc, a->v_regs);
    a->order = a->v_deals = a->v_notices = a->v_regs = NULL;
}

enum { RECOMPUTE = 1 };

/* Continue the kept replay over the events appended since: RECOMPUTE
 * when it cannot (a first link: the replay kept no merge state), else 0
 * or an error; after a failure past the reservations the kept replay is
 * dropped (the next update recomputes). */
static int continue_replay(smg_attribution *a, smg_org *org)
{
    replay *r = a->rs;
    const smgi_events *E = &org->events;
    size_t start = a->replayed, n = E->count, nrows = a->ndeals, i;
    uint64_t gen = a->generation;
    smgi_scope scope;
    int rc;
    for (i = start; i < n; i++) {
        nrows += E->type[i] == SMG_EV_DEAL;
        if (E->type[i] == SMG_EV_LINK && !r->up)
            return RECOMPUTE;
    }
    if ((rc = smgi_scope_init(org, a->as_member, &scope)))
        return rc;
    if (continue_reserve(a, org, nrows)) {
        smgi_scope_free(&a->alloc, &scope);
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    }
    /* from here on the result changes: on failure it can only be
     * recomputed */
    unsettle(a);
    r->org = org;
    r->E = E;
    r->cust_key = org->customers.key;
    r->leave = org->members.end;
    r->keys = a->keys;
    r->dirty = NONE;
    a->now = n ? E->at[n - 1] : 0;
    a->generation = org->generation; /* the scope's keys read it as current */
    rc = run_events(r, start, n);
    if (!rc && a->lean) {
        a->pre_notices = a->nnotices; /* nothing to take back next time */
        if (r->up) {
            for (i = 0; i < a->nkeys; i++)
                find_key(r->up, (int32_t)i);
            a->root = r->up;
        }
    } else if (!rc) {
        rc = finish(r, org, &scope);
    }
    smgi_scope_free(&a->alloc, &scope);
    if (rc) {
        a->generation = gen;
        replay_free(&a->alloc, r);
        smgi_free(&a->alloc, r);
        a->rs = NULL;
        return smgi_err(org, rc, "out of memory");
    }
    a->replayed = n;
    a->base_gen = gen;
    a->changed_from = r->dirty < start ? r->dirty : start;
    return 0;
}

int smg_attribution_update(smg_attribution *a, smg_org *org)
{
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *t, tmp;
    uint64_t gen;
    int rc;
    if (!a || !org)
        return SMG_EINVAL;
    if (a->org != org)
        return smgi_err(org, SMG_EINVAL, "attribution update: the result is of another org");
    if ((rc = smgi_query_begin(org)))
        return rc;
    gen = a->generation;
    if (gen == org->generation && a->policy_serial == org->policy_serial)
        return 0; /* nothing changed */
    if (a->rs && a->policy_serial == org->policy_serial &&
        smgi_touched_since(org, gen) == INT64_MAX && org->events.count >= a->replayed) {
        rc = continue_replay(a, org);
        if (rc != RECOMPUTE)
            return rc;
    }
    o.as_member = a->as_member;
    o.until = a->until;
    if ((rc = smg_attribution_compute(&t, org, &o)))
        return rc;
    tmp = *a;
    *a = *t;
    *t = tmp;
    a->lean = tmp.lean;
    if (a->rs)
        a->rs->a = a;
    if (t->rs)
        t->rs->a = t;
    smg_attribution_free(t);
    a->base_gen = gen;
    a->changed_from = 0;
    return 0;
}

void smgi_attribution_lean(smg_attribution *a)
{
    a->lean = 1;
}

void smgi_attribution_changes(const smg_attribution *a, uint64_t *base_gen, size_t *from)
{
    *base_gen = a->base_gen;
    *from = a->changed_from;
}

/* ---- the tables ---- */

static int fresh(const smg_attribution *a)
{
    return a->org->generation == a->generation;
}

/* A result is read while its org is unchanged. */
static int table_state(const void *r)
{
    return fresh(r) ? 0 : SMG_ESTATE;
}

/* A log position cell: NONE is null. */
static void pos_value(smgi_value *v, uint32_t pos)
{
    smgi_value_num(v, pos, pos == NONE);
}

/* -- deals -- */

static const smgi_field deal_fields[] = {
    { "deal", SMG_TYPE_INDEX },
    { "closer", SMG_TYPE_INDEX },
    { "credited", SMG_TYPE_INDEX },
    { "reason", SMG_TYPE_ENUM },
    { "customer", SMG_TYPE_INDEX },
    { "key", SMG_TYPE_INDEX },
    { "day", SMG_TYPE_DATE },
    { "amount", SMG_TYPE_MONEY },
    { "protector", SMG_TYPE_INDEX },
    { "ev_deal", SMG_TYPE_INDEX },
    { "ev_registration", SMG_TYPE_INDEX },
    { "ev_contact", SMG_TYPE_INDEX },
    { "ev_claim", SMG_TYPE_INDEX },
    { "ev_override", SMG_TYPE_INDEX },
};

static size_t deal_count(const void *r)
{
    const smg_attribution *a = r;
    return a->v_deals ? a->nv_deals : a->ndeals;
}

static void deal_value(const void *r, size_t row, int f, smgi_value *v)
{
    const smg_attribution *a = r;
    const smgi_events *E = &a->org->events;
    size_t d = a->v_deals ? a->v_deals[row] : row;
    uint32_t pos = a->d_pos[d];
    switch ((smg_deal_field)f) {
    case SMG_DEAL_DEAL: smgi_value_index(v, E->arg[pos]); break;
    case SMG_DEAL_CLOSER: smgi_value_index(v, E->member[pos]); break;
    case SMG_DEAL_CREDITED: smgi_value_index(v, a->d_credited[d]); break;
    case SMG_DEAL_REASON: smgi_value_num(v, a->d_reason[d], 0); break;
    case SMG_DEAL_CUSTOMER: smgi_value_index(v, E->customer[pos]); break;
    case SMG_DEAL_KEY:
        smgi_value_index(v, a->d_key ? a->d_key[d] : a->org->customers.key[E->customer[pos]]);
        break;
    case SMG_DEAL_DAY: smgi_value_num(v, smg_time_day(E->at[pos]), 0); break;
    case SMG_DEAL_AMOUNT:
        smgi_value_or_none(v, smgi_event_amount(a->org, pos), SMG_MONEY_NONE);
        break;
    case SMG_DEAL_PROTECTOR: smgi_value_index(v, a->d_protector[d]); break;
    case SMG_DEAL_EV_DEAL: smgi_value_index(v, pos); break;
    case SMG_DEAL_EV_REGISTRATION: pos_value(v, a->d_reg[d]); break;
    case SMG_DEAL_EV_CONTACT: pos_value(v, a->d_contact[d]); break;
    case SMG_DEAL_EV_CLAIM: pos_value(v, a->d_claim[d]); break;
    case SMG_DEAL_EV_OVERRIDE: pos_value(v, a->d_override[d]); break;
    }
}

static const smgi_table deal_table = SMGI_TABLE(deal_fields, deal_count, table_state,
                                                deal_value);

/* The public table getters, one line each (fields.h): smg_attribution_deal_count,
 * smg_attribution_deal_field_name, smg_attribution_deal_field_type and the typed getters below. */
SMGI_TABLE_META(smg_attribution_deal, smg_attribution, smg_deal_field, deal_table)
SMGI_TABLE_GET(smg_attribution_deal, index, size_t, smg_attribution, smg_deal_field, deal_table)
SMGI_TABLE_GET(smg_attribution_deal, int, int64_t, smg_attribution, smg_deal_field, deal_table)

/* -- notices -- */

static const smgi_field notice_fields[] = {
    { "kind", SMG_TYPE_ENUM },
    { "day", SMG_TYPE_DATE },
    { "member", SMG_TYPE_INDEX },
    { "other", SMG_TYPE_INDEX },
    { "key", SMG_TYPE_INDEX },
    { "customer", SMG_TYPE_INDEX },
    { "event", SMG_TYPE_INDEX },
    { "deal", SMG_TYPE_INDEX },
    { "release_reason", SMG_TYPE_ENUM },
    { "duplicate_of", SMG_TYPE_INDEX },
    { "deadline", SMG_TYPE_DATE },
    { "reject_reason", SMG_TYPE_ENUM },
};

static size_t notice_count(const void *r)
{
    const smg_attribution *a = r;
    return a->v_notices ? a->nv_notices : a->nnotices;
}

static void notice_value(const void *r, size_t row, int f, smgi_value *v)
{
    const smg_attribution *a = r;
    notice_view n;
    notice_decode(a, a->v_notices ? a->v_notices[row] : a->order[row], &n);
    switch ((smg_notice_field)f) {
    case SMG_NOTICE_KIND: smgi_value_num(v, n.kind, 0); break;
    case SMG_NOTICE_DAY: smgi_value_or_none(v, n.day, SMG_DATE_NONE); break;
    case SMG_NOTICE_MEMBER: smgi_value_index(v, n.member); break;
    case SMG_NOTICE_OTHER: smgi_value_index(v, n.other); break;
    case SMG_NOTICE_KEY: smgi_value_index(v, n.key); break;
    case SMG_NOTICE_CUSTOMER: smgi_value_index(v, n.customer); break;
    case SMG_NOTICE_EVENT: pos_value(v, n.pos); break;
    case SMG_NOTICE_DEAL: smgi_value_index(v, n.deal); break;
    case SMG_NOTICE_RELEASE_REASON: smgi_value_or_none(v, n.release_reason, 0); break;
    case SMG_NOTICE_DUPLICATE_OF: smgi_value_index(v, n.dup_of); break;
    case SMG_NOTICE_DEADLINE: smgi_value_or_none(v, n.deadline, SMG_DATE_NONE); break;
    case SMG_NOTICE_REJECT_REASON: smgi_value_or_none(v, n.reject_reason, 0); break;
    }
}

static const smgi_table notice_table = SMGI_TABLE(notice_fields, notice_count, table_state,
                                                  notice_value);

/* The public table getters, one line each (fields.h): smg_attribution_notice_count,
 * smg_attribution_notice_field_name, smg_attribution_notice_field_type and the typed getters below. */
SMGI_TABLE_META(smg_attribution_notice, smg_attribution, smg_notice_field, notice_table)
SMGI_TABLE_GET(smg_attribution_notice, index, size_t, smg_attribution, smg_notice_field,
               notice_table)
SMGI_TABLE_GET(smg_attribution_notice, int, int64_t, smg_attribution, smg_notice_field,
               notice_table)

/* -- protections -- */

static const smgi_field protection_fields[] = {
    { "key", SMG_TYPE_INDEX },
    { "member", SMG_TYPE_INDEX },
    { "through", SMG_TYPE_DATE },
    { "ev_registration", SMG_TYPE_INDEX },
    { "ev_contact", SMG_TYPE_INDEX },
};

static size_t protection_count(const void *r)
{
    return ((const smg_attribution *)r)->nprot;
}

static void protection_value(const void *r, size_t row, int f, smgi_value *v)
{
    const smg_attribution *a = r;
    size_t key = a->p_key[row];
    const keystate *k = &a->keys[key];
    switch ((smg_protection_field)f) {
    case SMG_PROTECTION_KEY: smgi_value_index(v, (int64_t)key); break;
    case SMG_PROTECTION_MEMBER: smgi_value_index(v, k->prot); break;
    case SMG_PROTECTION_THROUGH: smgi_value_num(v, k->through, 0); break;
    case SMG_PROTECTION_EV_REGISTRATION: pos_value(v, k->reg_pos); break;
    case SMG_PROTECTION_EV_CONTACT: pos_value(v, k->contact_pos); break;
    }
}

static const smgi_table protection_table =
    SMGI_TABLE(protection_fields, protection_count, table_state, protection_value);

/* The public table getters, one line each (fields.h): smg_attribution_protection_count,
 * smg_attribution_protection_field_name, smg_attribution_protection_field_type and the typed getters below. */
SMGI_TABLE_META(smg_attribution_protection, smg_attribution, smg_protection_field,
                protection_table)
SMGI_TABLE_GET(smg_attribution_protection, index, size_t, smg_attribution, smg_protection_field,
               protection_table)
SMGI_TABLE_GET(smg_attribution_protection, int, int64_t, smg_attribution, smg_protection_field,
               protection_table)

int smg_attribution_protection_find(const smg_attribution *a, size_t key, size_t *row)
{
    size_t lo = 0, hi;
    if (!a || !row)
        return SMG_EINVAL;
    if (!fresh(a))
        return SMG_ESTATE;
    if (key >= a->nkeys)
        return SMG_EINVAL;
    key = final_key(a, key);
    hi = a->nprot; /* rows are in key order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->p_key[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == a->nprot || a->p_key[lo] != key)
        return SMG_ENOTFOUND;
    *row = lo;
    return 0;
}

typedef struct expiring {
    int32_t member;
    smg_date through;
    size_t row;
} expiring;

static int expiring_cmp(const void *x, const void *y)
{
    const expiring *p = x, *q = y;
    if (p->member != q->member)
        return p->member < q->member ? -1 : 1;
    if (p->through != q->through)
        return p->through < q->through ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row; /* rows are in key order */
}

/* Protected on `day`, and the last protected day before day + within. */
static int expires_within(const keystate *k, smg_date day, int within_days)
{
    return k->prot >= 0 && k->through >= day && (int64_t)k->through < (int64_t)day + within_days;
}

int smg_attribution_expiring(const smg_attribution *a, smg_date day, int within_days,
                             size_t *rows, size_t cap, size_t *count)
{
    size_t j, n = 0, i;
    expiring *v;
    if (!a || !count || day == SMG_DATE_NONE || within_days < 0 || (cap && !rows))
        return SMG_EINVAL;
    if (!fresh(a))
        return SMG_ESTATE;
    for (j = 0; j < a->nprot; j++)
        n += expires_within(&a->keys[a->p_key[j]], day, within_days);
    if (!cap || !n) {
        *count = n;
        return 0;
    }
    v = smgi_malloc(&a->alloc, n * sizeof *v);
    if (!v)
        return SMG_ENOMEM;
    for (j = 0, i = 0; j < a->nprot; j++) {
        const keystate *k = &a->keys[a->p_key[j]];
        if (expires_within(k, day, within_days)) {
            v[i].member = k->prot;
            v[i].through = k->through;
            v[i++].row = j;
        }
    }
    qsort(v, n, sizeof *v, expiring_cmp);
    for (i = 0; i < n && i < cap; i++)
        rows[i] = v[i].row;
    smgi_free(&a->alloc, v);
    *count = n;
    return 0;
}

/* -- registrations -- */

static const smgi_field registration_fields[] = {
    { "event", SMG_TYPE_INDEX },
    { "member", SMG_TYPE_INDEX },
    { "customer", SMG_TYPE_INDEX },
    { "key", SMG_TYPE_INDEX },
    { "day", SMG_TYPE_DATE },
    { "ontime", SMG_TYPE_BOOL },
    { "deadline", SMG_TYPE_DATE },
};

static size_t registration_count(const void *r)
{
    const smg_attribution *a = r;
    return a->v_regs ? a->nv_regs : a->nregs;
}

static void registration_value(const void *r, size_t row, int f, smgi_value *v)
{
    const smg_attribution *a = r;
    const smgi_events *E = &a->org->events;
    size_t g = a->v_regs ? a->v_regs[row] : row;
    uint32_t pos = a->r_pos[g];
    switch ((smg_registration_field)f) {
    case SMG_REGISTRATION_EVENT: smgi_value_index(v, pos); break;
    case SMG_REGISTRATION_MEMBER: smgi_value_index(v, E->member[pos]); break;
    case SMG_REGISTRATION_CUSTOMER: smgi_value_index(v, E->customer[pos]); break;
    case SMG_REGISTRATION_KEY:
        smgi_value_index(v, a->r_key ? a->r_key[g] : a->org->customers.key[E->customer[pos]]);
        break;
    case SMG_REGISTRATION_DAY: smgi_value_num(v, smg_time_day(E->at[pos]), 0); break;
    case SMG_REGISTRATION_ONTIME: smgi_value_num(v, a->r_ontime[g], 0); break;
    case SMG_REGISTRATION_DEADLINE: smgi_value_num(v, a->r_deadline[g], 0); break;
    }
}

static const smgi_table registration_table =
    SMGI_TABLE(registration_fields, registration_count, table_state, registration_value);

/* The public table getters, one line each (fields.h): smg_attribution_registration_count,
 * smg_attribution_registration_field_name, smg_attribution_registration_field_type and the typed getters below. */
SMGI_TABLE_META(smg_attribution_registration, smg_attribution, smg_registration_field,
                registration_table)
SMGI_TABLE_GET(smg_attribution_registration, index, size_t, smg_attribution,
               smg_registration_field, registration_table)
SMGI_TABLE_GET(smg_attribution_registration, int, int64_t, smg_attribution,
               smg_registration_field, registration_table)

/* ---- for the other engines ---- */

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
    v->deal_key = a->d_key;
    v->key_root = a->root;
    return 0;
}

smg_time smgi_attribution_until(const smg_attribution *a)
{
    return a->until;
}

/* Key k's protector at the end, or -1: a protection that ran out by
 * `now` is released (the settle did it, or a lean update would have). */
static int32_t end_prot(const smg_attribution *a, size_t k)
{
    const keystate *ks = &a->keys[k];
    return ks->prot >= 0 && ks->through >= smg_time_day(a->now) ? ks->prot : -1;
}

long smgi_attribution_holder(const smg_attribution *a, size_t key)
{
    if (!a || key >= a->nkeys)
        return -1;
    return end_prot(a, final_key(a, key));
}

long smgi_attribution_protection(const smg_attribution *a, size_t key, smg_date *through)
{
    if (!a || key >= a->nkeys)
        return -1;
    key = final_key(a, key);
    if (end_prot(a, key) < 0)
        return -1;
    *through = a->keys[key].through;
    return a->keys[key].prot;
}

long smgi_attribution_responsible(const smg_attribution *a, size_t key, smg_date day)
{
    if (!a || key >= a->nkeys)
        return -1;
    key = final_key(a, key);
    if (end_prot(a, key) >= 0 && a->keys[key].through >= day)
        return a->keys[key].prot;
    return a->keys[key].last_row >= 0 ? a->d_credited[a->keys[key].last_row] : -1;
}
