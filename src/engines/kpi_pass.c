/* The KPI aggregation pass (RULES.md §5): one pass over the sorted log for
 * every member and every period asked for, and the distinct-key counts of
 * each period. The roll-up through the team tree and the report are in
 * kpi_report.c, the month index in kpi_index.c.
 *
 * Each period has three ranges of days (the period, the previous equal
 * period, the year earlier), turned into ranges of log positions by binary
 * search. The log is cut at every range end into stretches over which each
 * period's roles are fixed, so no event compares dates. Per period, one
 * block of counters per member (plus one for deals credited to the
 * company) in a flat array. Inside a period, receptions, visits, demos
 * and complaints are counted without a branch (two table-chosen fields per
 * event) and registrations from the attribution's rows; deals,
 * receivables, payments and expenses are read one by one. Outside every
 * period only the first-ever deal of each key (a bit per key), receivables
 * and payments (what is open when a period starts) matter, and a
 * branch-free filter picks them out of each chunk of the type column.
 *
 * Distinct-key counts (retention, lost) cannot be summed up the tree: the
 * same key may have deals with several members of one team. The pass
 * records the deals of each period and its previous period; afterwards
 * they are radix-sorted by key and read once (smgi_kpi_distinct_keys()):
 * a key of one member counts for that member and, summed up the tree, for
 * the teams above; a key of several members is merged per member and
 * pushed up the team chains with per-team marks. No hashing: O(deals in
 * the two periods), times the depth for keys of several members in
 * different teams. */
#include "kpi.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "events.h"
#include "credits.h"
#include "logsort.h"

#define ADD_OVF(dst, v) SMGI_ADD_OVF(dst, v)

typedef smgi_kpi_parts parts;
typedef smgi_kpi_period period;
typedef smgi_keycount keycount;
typedef smgi_keyscratch keyscratch;

enum { IN_PREV = SMGI_IN_PREV, IN_CUR = SMGI_IN_CUR };  /* entry bits */
enum { R_CUR = 1, R_PREV = 2, R_YOY = 4 };   /* the roles of a range */

/* A period with some role over a stretch of the log. */
typedef struct active {
    period *p;
    unsigned roles;
} active;

typedef struct agg {
    smg_org *org;
    const smg_attribution *a;
    size_t nm, np;
    period *ps;
    uint8_t *seen;      /* a bit per key: a deal was seen */
    int32_t *raiser;    /* per receivable: the member who raised it, or -1 */
    int64_t *open;      /* per member: receivables raised − payments, so far */
    active *act;        /* np * 3 */
    uint32_t *cnt;      /* (nm + 1) * C_FIELDS: a stretch's branch-free counts */
    /* the sweep over the cuts: a mark per range end and per period start,
     * sorted by position; per period its roles now and its place in act */
    struct mark *marks;
    size_t nmarks;
    uint8_t *proles;
    size_t *apos;
    int ovf;
} agg;

/* A range of period k starts (+role) or ends (-role) at log position pos,
 * or (role 0) the period starts there: what is open is its opening stock. */
typedef struct mark {
    size_t pos;
    size_t k;
    int role; /* R_CUR, R_PREV, R_YOY; negative: the range ends; 0: open */
} mark;

static int mark_cmp(const void *x, const void *y)
{
    const mark *a = x, *b = y;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Apply the marks at positions <= pos: the periods' roles over a stretch
 * from pos (lo <= pos < hi), the active list kept in step; each step O(1),
 * so the whole sweep is linear in the periods (no scan of every period at
 * every cut). */
static void apply_marks(agg *g, size_t *mi, size_t pos, size_t *nact)
{
    while (*mi < g->nmarks && g->marks[*mi].pos <= pos) {
        const mark *mk = &g->marks[(*mi)++];
        period *p = &g->ps[mk->k];
        unsigned old = g->proles[mk->k], now;
        size_t j;
        if (mk->role == 0) {
            for (j = 0; j < g->nm; j++)
                p->acc[j].open = g->open[j];
            continue;
        }
        now = mk->role > 0 ? old | (unsigned)mk->role : old & ~(unsigned)-mk->role;
        g->proles[mk->k] = (uint8_t)now;
        if (!old && now) {
            g->apos[mk->k] = *nact;
            g->act[*nact].p = p;
            g->act[(*nact)++].roles = now;
        } else if (old && !now) {
            size_t at = g->apos[mk->k], last = --*nact;
            if (at != last) {
                g->act[at] = g->act[last];
                g->apos[g->act[at].p - g->ps] = at;
            }
        } else if (now) {
            g->act[g->apos[mk->k]].roles = now;
        }
    }
}

static int entry_add(const smg_allocator *al, period *p, int32_t key, int32_t slot,
                     uint8_t bits)
{
    size_t n = p->nentries;
    if (n >= p->entries_cap) {
        size_t c = p->entries_cap;
        if (n >= (size_t)INT32_MAX)
            return SMG_ERANGE;
        if (SMGI_GROW(al, p->e_key, c, n + 1))
            return SMG_ENOMEM;
        c = p->entries_cap;
        if (SMGI_GROW(al, p->e_slot, c, n + 1))
            return SMG_ENOMEM;
        c = p->entries_cap;
        if (SMGI_GROW(al, p->e_bits, c, n + 1))
            return SMG_ENOMEM;
        p->entries_cap = c;
    }
    p->e_key[n] = key;
    p->e_slot[n] = slot;
    p->e_bits[n] = bits;
    p->nentries++;
    return 0;
}

#define SEEN(k) (seen[(k) >> 3] >> ((k) & 7) & 1)
#define SET_SEEN(k) (seen[(k) >> 3] |= (uint8_t)(1u << ((k) & 7)))
#define TYPE_BIT(t) (1u << (t))
/* the event types read one by one: outside every period, and inside one */
#define PREFIX_TYPES (TYPE_BIT(SMG_EV_DEAL) | TYPE_BIT(SMG_EV_RECEIVABLE) | \
                      TYPE_BIT(SMG_EV_PAYMENT))
#define PERIOD_TYPES (PREFIX_TYPES | TYPE_BIT(SMG_EV_EXPENSE))
#define CHUNK 4096

/* Counts made without a branch inside a period: each event adds 1 to two
 * fields of its member's row, chosen by (type, outcome); C_NONE absorbs
 * the rest. Row 0 is for events without a member. */
enum { C_RECEPTIONS, C_VISITS, C_VISITS_OK, C_DEMOS, C_COMPLAINTS, C_REGS, C_REGS_ONTIME,
       C_NONE, C_FIELDS };
#define LUT_SIZE ((SMGI_EV_LAST + 1) * 16)

static void count_tables(uint8_t one[LUT_SIZE], uint8_t two[LUT_SIZE])
{
    int o;
    memset(one, C_NONE, LUT_SIZE);
    memset(two, C_NONE, LUT_SIZE);
    for (o = 0; o < 16; o++) {
        if (o != SMG_OUTCOME_DUTY)
            one[SMG_EV_RECEPTION * 16 + o] = C_RECEPTIONS;
        one[SMG_EV_VISIT * 16 + o] = C_VISITS;
        if (o == SMG_OUTCOME_SUCCESS)
            two[SMG_EV_VISIT * 16 + o] = C_VISITS_OK;
        one[SMG_EV_DEMO * 16 + o] = C_DEMOS;
        one[SMG_EV_COMPLAINT * 16 + o] = C_COMPLAINTS;
    }
}

/* Add a stretch's counts to every period counting there; clear them. */
static void flush_counts(agg *g, size_t nact, uint32_t *cnt)
{
    size_t j, m;
    for (j = 0; j < nact; j++) {
        parts *acc = g->act[j].p->acc;
        if (!(g->act[j].roles & R_CUR))
            continue;
        for (m = 0; m < g->nm; m++) {
            const uint32_t *c = &cnt[(m + 1) * C_FIELDS];
            acc[m].receptions += c[C_RECEPTIONS];
            acc[m].visits += c[C_VISITS];
            acc[m].visits_ok += c[C_VISITS_OK];
            acc[m].demos += c[C_DEMOS];
            acc[m].complaints += c[C_COMPLAINTS];
            acc[m].regs += c[C_REGS];
            acc[m].regs_ontime += c[C_REGS_ONTIME];
        }
    }
    memset(cnt, 0, (g->nm + 1) * C_FIELDS * sizeof *cnt);
}

static int size_cmp(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

/* The log is cut at every range's ends into stretches over which each
 * period's roles are fixed. Inside some period, one branch-free sweep of
 * each chunk counts receptions, visits, demos and complaints per member
 * and picks out the few event types read one by one (deals, receivables,
 * payments, expenses; outside every period only the first three matter);
 * the attribution's accepted registrations are counted from its rows. At
 * the end of a stretch the counts go to every period counting there. */
static int run_pass(agg *g, size_t *cuts, size_t ncuts)
{
    const smg_org *org = g->org;
    const smg_allocator *al = &org->alloc;
    const smgi_events *E = &org->events;
    /* the columns in locals: stores into the counters cannot alias them */
    const uint8_t *type = E->type, *flags = E->flags;
    const int32_t *member = E->member, *customer = E->customer, *arg = E->arg;
    const int32_t *ckey = org->customers.key;
    const int32_t *recv_event = org->receivables.event;
    const smg_money *dcost = org->deals.cost, *dlist = org->deals.list_amount;
    const smg_money *damount = org->deals.amount, *ramount = org->receivables.amount;
    const smg_money *xamount = org->amounts.amount;
    const int32_t *xref = org->amounts.ref;
    int32_t *raiser = g->raiser;
    int64_t *open = g->open;
    uint8_t *seen = g->seen;
    active *act = g->act;
    uint32_t *cnt = g->cnt;
    uint8_t one[LUT_SIZE], two[LUT_SIZE];
    smgi_credits cr;
    uint32_t pos[CHUNK];
    smgi_attribution_view view;
    size_t ri = 0, c, j, mi = 0, nact = 0;
    int rc, ovf = 0;

    if (smgi_credits_init(&cr, g->a, org, SMG_DATE_NONE) ||
        smgi_attribution_view_of(g->a, org, &view))
        return SMG_EINVAL;
    count_tables(one, two);
    qsort(cuts, ncuts, sizeof *cuts, size_cmp);
    { /* the first deal and registration rows at or after the first cut */
        size_t lo = 0, hi = view.ndeals;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (view.deal_pos[mid] < cuts[0])
                lo = mid + 1;
            else
                hi = mid;
        }
        cr.row = lo;
        lo = 0;
        hi = view.nregs;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (view.reg_pos[mid] < cuts[0])
                lo = mid + 1;
            else
                hi = mid;
        }
        ri = lo;
    }
    qsort(g->marks, g->nmarks, sizeof *g->marks, mark_cmp);
    for (c = 0; c + 1 < ncuts; c++) {
        size_t from = cuts[c], to = cuts[c + 1], base;
        int counting = 0;
        uint32_t mask = PREFIX_TYPES;
        /* the periods that start here get what is open now; the roles of
         * each period over [from, to) (every range end is a cut) */
        apply_marks(g, &mi, from, &nact);
        if (from == to)
            continue;
        for (j = 0; j < nact && !counting; j++)
            counting = (act[j].roles & R_CUR) != 0;
        if (counting) {
            mask = PERIOD_TYPES;
            /* accepted registrations (rows in log order) */
            while (ri < view.nregs && view.reg_pos[ri] < from)
                ri++;
            for (; ri < view.nregs && view.reg_pos[ri] < to; ri++) {
                uint32_t *row = &cnt[(size_t)(member[view.reg_pos[ri]] + 1) * C_FIELDS];
                row[C_REGS]++;
                row[C_REGS_ONTIME] += view.reg_ontime[ri] != 0;
            }
        }
        for (base = from; base < to;) {
            size_t end = base + CHUNK < to ? base + CHUNK : to, n = 0, i, x;
            if (counting)
                for (i = base; i < end; i++) {
                    unsigned t = type[i], o = t * 16 + (flags[i] >> 4);
                    uint32_t *row = &cnt[(size_t)(member[i] + 1) * C_FIELDS];
                    row[one[o]]++;
                    row[two[o]]++;
                    pos[n] = (uint32_t)i;
                    n += (mask >> t) & 1;
                }
            else
                for (i = base; i < end; i++) {
                    pos[n] = (uint32_t)i;
                    n += (mask >> type[i]) & 1;
                }
            base = end;
            for (x = 0; x < n; x++) {
                int32_t m;
                /* a deal's customer → key lookup is a random read: ask early */
                if (x + 16 < n && customer[pos[x + 16]] >= 0)
                    SMGI_PREFETCH(&ckey[customer[pos[x + 16]]]);
                i = pos[x];
                m = member[i];
                switch (type[i]) {
                case SMG_EV_DEAL: {
                    int32_t key = ckey[customer[i]], deal = arg[i], slot;
                    int64_t cm = smgi_credits_next(&cr, i), amt = damount[deal];
                    int first;
                    /* with links (RULES.md §8), the key the deal had */
                    if (view.deal_key && cm != SMGI_UNCOVERED && cm != SMGI_MISMATCH)
                        key = view.deal_key[cr.row - 1];
                    first = !SEEN(key);
                    SET_SEEN(key);
                    if (cm == SMGI_MISMATCH)
                        return SMG_EINVAL;
                    if (cm == SMGI_UNCOVERED)
                        break;
                    slot = cm >= 0 ? (int32_t)cm : (int32_t)g->nm;
                    for (j = 0; j < nact; j++) {
                        parts *p = &act[j].p->acc[slot];
                        unsigned roles = act[j].roles;
                        uint8_t bits = 0;
                        if (roles & R_CUR) {
                            /* masks: a deal has a cost or a list price or not
                             * at random, and a branch on it mispredicts */
                            smg_money cost = dcost[deal], list = dlist[deal];
                            int64_t has_cost = -(int64_t)(cost != SMG_MONEY_NONE);
                            int64_t has_list = -(int64_t)(list != SMG_MONEY_NONE);
                            ovf |= ADD_OVF(p->sales, amt);
                            p->deals++;
                            ovf |= ADD_OVF(p->gross, amt);
                            ovf |= SMGI_SUB_OVF(p->gross, cost & has_cost);
                            ovf |= ADD_OVF(p->list_num, amt & has_list);
                            ovf |= ADD_OVF(p->list_den, list & has_list);
                            p->new_keys += first;
                            bits = IN_CUR;
                        }
                        if (roles & R_PREV) {
                            ovf |= ADD_OVF(p->sales_prev, amt);
                            bits |= IN_PREV;
                        }
                        if (roles & R_YOY)
                            ovf |= ADD_OVF(p->sales_yoy, amt);
                        if (bits && (rc = entry_add(al, act[j].p, key, slot, bits)))
                            return rc;
                    }
                    break;
                }
                case SMG_EV_RECEIVABLE: {
                    smg_money amt = ramount[arg[i]];
                    raiser[arg[i]] = m;
                    ovf |= ADD_OVF(open[m], amt);
                    for (j = 0; j < nact; j++)
                        if (act[j].roles & R_CUR)
                            ovf |= ADD_OVF(act[j].p->acc[m].raised, amt);
                    break;
                }
                case SMG_EV_PAYMENT: {
                    /* payments count for the member who raised the receivable */
                    int32_t rv = xref[arg[i]], r = raiser[rv];
                    smg_money amt = xamount[arg[i]];
                    if (r < 0)
                        r = member[recv_event[rv]];
                    ovf |= SMGI_SUB_OVF(open[r], amt);
                    for (j = 0; j < nact; j++)
                        if (act[j].roles & R_CUR)
                            ovf |= ADD_OVF(act[j].p->acc[r].paid, amt);
                    break;
                }
                case SMG_EV_EXPENSE:
                    for (j = 0; j < nact; j++)
                        if (act[j].roles & R_CUR)
                            ovf |= ADD_OVF(act[j].p->acc[m].expense, xamount[arg[i]]);
                    break;
                default:
                    break;
                }
            }
        }
        if (counting)
            flush_counts(g, nact, cnt);
    }
    /* periods that start where the reading ends */
    apply_marks(g, &mi, cuts[ncuts - 1], &nact);
    g->ovf |= ovf;
    return 0;
}

/* A key's flags in the distinct-key counts (branch-free: flags vary). */
static void count_key(keycount *c, uint8_t f)
{
    c->prev += (f & IN_PREV) != 0;
    c->kept += f == (IN_PREV | IN_CUR);
    c->lost += f == IN_PREV;
}

static void add_keycount(keycount *d, const keycount *c)
{
    d->prev += c->prev;
    d->kept += c->kept;
    d->lost += c->lost;
}

static void add_to_parts(parts *p, const keycount *c)
{
    p->prev_keys += c->prev;
    p->retained += c->kept;
    p->lost += c->lost;
}

int smgi_keyscratch_alloc(const smg_allocator *al, keyscratch *ks, size_t nm, size_t nt)
{
    memset(ks, 0, sizeof *ks);
    ks->mark_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks->mark_m);
    ks->list_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks->list_m);
    ks->f_m = smgi_malloc(al, nm ? nm : 1);
    ks->mark_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks->mark_t);
    ks->list_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks->list_t);
    ks->f_t = smgi_malloc(al, nt ? nt : 1);
    ks->sub_m = smgi_malloc(al, (nm + 1) * sizeof *ks->sub_m); /* + a dummy row */
    ks->sub_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks->sub_t);
    ks->own_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks->own_m);
    ks->own_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks->own_t);
    if (!ks->mark_m || !ks->sub_m || !ks->sub_t || !ks->own_m || !ks->own_t ||
        !ks->list_m || !ks->f_m || !ks->mark_t || !ks->list_t || !ks->f_t)
        return SMG_ENOMEM;
    return 0;
}

void smgi_keyscratch_free(const smg_allocator *al, keyscratch *ks)
{
    smgi_free(al, ks->v);
    smgi_free(al, ks->s);
    smgi_free(al, ks->mark_m);
    smgi_free(al, ks->list_m);
    smgi_free(al, ks->f_m);
    smgi_free(al, ks->mark_t);
    smgi_free(al, ks->list_t);
    smgi_free(al, ks->f_t);
    smgi_free(al, ks->sub_m);
    smgi_free(al, ks->sub_t);
    smgi_free(al, ks->own_m);
    smgi_free(al, ks->own_t);
    memset(ks, 0, sizeof *ks);
}

/* The flags of one key's entries v[first..end), several members among
 * them, merged per member with a "last key seen" mark. Members of one
 * team: the team counts the key once, and up the tree with the one-member
 * keys. Else each member's flags are pushed up its team chain with a
 * per-team mark, stopping where an ancestor has the flags already. */
static void several_members(const smg_org *org, keyscratch *ks, const uint64_t *v,
                            size_t first, size_t end, size_t nm)
{
    int32_t key = (int32_t)(v[first] >> 32), team = -1;
    size_t j, lm = 0, lt = 0;
    int same = 1;
    uint8_t fall = 0;
    for (j = first; j < end; j++) {
        int32_t s = (int32_t)((uint32_t)v[j] >> 2);
        if ((size_t)s == nm)
            continue;
        if (ks->mark_m[s] != key) {
            ks->mark_m[s] = key;
            ks->f_m[s] = 0;
            ks->list_m[lm++] = s;
            if (team < 0)
                team = org->members.team[s];
            same &= org->members.team[s] == team;
        }
        ks->f_m[s] |= (uint8_t)(v[j] & 3);
        fall |= (uint8_t)(v[j] & 3);
    }
    if (same) { /* members of one team (the common case): the team and those
                   above count the key once, as a one-member key would */
        for (j = 0; j < lm; j++)
            count_key(&ks->own_m[ks->list_m[j]], ks->f_m[ks->list_m[j]]);
        count_key(&ks->sub_t[team], fall);
        return;
    }
    for (j = 0; j < lm; j++) {
        int32_t s = ks->list_m[j], t = org->members.team[s];
        uint8_t f = ks->f_m[s];
        count_key(&ks->own_m[s], f);
        while (t >= 0) {
            if (ks->mark_t[t] == key) {
                if ((ks->f_t[t] | f) == ks->f_t[t])
                    break; /* the ancestors have these flags already */
                ks->f_t[t] |= f;
            } else {
                ks->mark_t[t] = key;
                ks->f_t[t] = f;
                ks->list_t[lt++] = t;
            }
            t = org->teams.parent[t];
        }
    }
    for (j = 0; j < lt; j++)
        count_key(&ks->own_t[ks->list_t[j]], ks->f_t[ks->list_t[j]]);
}

/* The distinct-key counts of every member, team and the company of one
 * period. The entries are sorted by key (radix: no random reads by key)
 * and read once, without a branch on each: a key's flags gather until
 * its last entry, which counts them — for the company, and for the member
 * when the key has one member only (most keys: summed up the tree
 * afterwards), else to a dummy row. A key with several members goes to
 * several_members(). A key with no deal in the previous period counts
 * nowhere. */
int smgi_kpi_distinct_keys(const smg_org *org, keyscratch *ks, period *pd, size_t nm,
                           parts *tparts, parts *company)
{
    const smg_allocator *al = &org->alloc;
    size_t n = pd->nentries, nt = org->teams.ids.count, e, j, first = 0;
    keycount cc = { 0, 0, 0 };
    uint64_t *v;
    uint32_t fc = 0, fm = 0, several = 0;
    int32_t only = -1;
    if (n + 1 > ks->cap) { /* + 1: a sentinel after the last entry */
        size_t cap = ks->cap;
        if (SMGI_GROW(al, ks->v, cap, n + 1) || SMGI_GROW(al, ks->s, ks->cap, n + 1))
            return SMG_ENOMEM;
    }
    if (nm >= (size_t)1 << 29)
        return SMG_ERANGE;
    /* marks name a key: a key seen in an earlier period is not seen here */
    memset(ks->mark_m, 0xff, (nm ? nm : 1) * sizeof *ks->mark_m);
    memset(ks->mark_t, 0xff, (nt ? nt : 1) * sizeof *ks->mark_t);
    memset(ks->sub_m, 0, (nm + 1) * sizeof *ks->sub_m);
    memset(ks->sub_t, 0, (nt ? nt : 1) * sizeof *ks->sub_t);
    memset(ks->own_m, 0, (nm ? nm : 1) * sizeof *ks->own_m);
    memset(ks->own_t, 0, (nt ? nt : 1) * sizeof *ks->own_t);
    /* the whole entry in the sort key: key, then slot and flags */
    for (e = 0; e < n; e++)
        ks->v[e] = (uint64_t)(uint32_t)pd->e_key[e] << 32 |
                   (uint32_t)pd->e_slot[e] << 2 | pd->e_bits[e];
    v = smgi_radix_bits(ks->v, ks->s, n, 32, 32 + smgi_bits_for(org->customers.keys.count));
    v[n] = UINT64_MAX; /* no key: keys are below 2^31 */
    /* masks, not branches: whether an entry ends its key is a coin toss */
    for (e = 0; e < n; e++) {
        uint64_t x = v[e];
        uint32_t s = (uint32_t)x >> 2, bits = (uint32_t)x & 3;
        uint32_t member = s != (uint32_t)nm, mmask = 0u - member;
        uint32_t last = (uint32_t)(v[e + 1] >> 32) != (uint32_t)(x >> 32);
        uint32_t counts, one, keep = last - 1; /* all ones while the key goes on */
        uint32_t u_only = (uint32_t)only;
        fc |= bits;
        fm |= bits & mmask;
        several |= member & (only >= 0) & (s != u_only);
        u_only = (s & mmask) | (u_only & ~mmask);
        only = (int32_t)u_only;
        counts = last & ((fc & IN_PREV) != 0);
        cc.prev += counts;
        cc.kept += counts & (fc == (IN_PREV | IN_CUR));
        cc.lost += counts & (fc == IN_PREV);
        /* one member: its row; else the dummy row nm */
        one = counts & (only >= 0) & (several ^ 1);
        count_key(&ks->sub_m[nm ^ (((size_t)u_only ^ nm) & (0 - (size_t)one))], (uint8_t)fm);
        if (counts & several) /* rare */
            several_members(org, ks, v, first, e + 1, nm);
        fc &= keep;
        fm &= keep;
        several &= keep;
        only = (int32_t)(u_only | ~keep); /* -1 after the last entry */
        first += (e + 1 - first) & (0 - (size_t)last);
    }
    /* the one-member keys: each member, then up the tree (a parent team has
     * a smaller index than its children); the several-member keys as
     * counted apart */
    for (j = 0; j < nm; j++) {
        add_to_parts(&pd->acc[j], &ks->sub_m[j]);
        add_to_parts(&pd->acc[j], &ks->own_m[j]);
        add_keycount(&ks->sub_t[org->members.team[j]], &ks->sub_m[j]);
    }
    for (j = nt; j-- > 0;) {
        int32_t par = org->teams.parent[j];
        add_to_parts(&tparts[j], &ks->sub_t[j]);
        add_to_parts(&tparts[j], &ks->own_t[j]);
        if (par >= 0)
            add_keycount(&ks->sub_t[par], &ks->sub_t[j]);
    }
    add_to_parts(company, &cc);
    return 0;
}

static smg_time day_start(smg_date d)
{
    return (smg_time)d * 86400;
}

void smgi_kpi_period_free(const smg_allocator *al, period *p)
{
    smgi_free(al, p->acc);
    smgi_free(al, p->e_key);
    smgi_free(al, p->e_slot);
    smgi_free(al, p->e_bits);
}

/* Count, in one pass over the log, the counters of periods ps (whose
 * ranges are set): allocates each period's acc. 0 or an error with its
 * message on the org. */
void smgi_kpi_tail_free(const smg_allocator *al, smgi_kpi_tail *t)
{
    smgi_free(al, t->seen);
    smgi_free(al, t->raiser);
    smgi_free(al, t->open);
    memset(t, 0, sizeof *t);
}

/* The carried state of *t grown for the org's keys and receivables now
 * (new ones: no deal, no raiser): 0 or SMG_ENOMEM. */
static int tail_grow(const smg_allocator *al, smgi_kpi_tail *t, size_t nseen, size_t nrecv)
{
    size_t c;
    if (nseen > t->nseen) {
        c = t->nseen;
        if (SMGI_GROW(al, t->seen, c, nseen))
            return SMG_ENOMEM;
        memset(t->seen + t->nseen, 0, c - t->nseen);
        t->nseen = c;
    }
    if (nrecv > t->nrecv) {
        c = t->nrecv;
        if (SMGI_GROW(al, t->raiser, c, nrecv))
            return SMG_ENOMEM;
        memset(t->raiser + t->nrecv, 0xff, (c - t->nrecv) * sizeof *t->raiser);
        t->nrecv = c;
    }
    return 0;
}

int smgi_kpi_aggregate(smg_org *org, const smg_attribution *a, period *ps, size_t np)
{
    return smgi_kpi_aggregate_tail(org, a, ps, np, NULL);
}

int smgi_kpi_aggregate_tail(smg_org *org, const smg_attribution *a, period *ps, size_t np,
                            smgi_kpi_tail *tail)
{
    const smg_allocator *al = &org->alloc;
    const smgi_events *E = &org->events;
    size_t nm = org->members.ids.count, nrecv = org->receivables.ids.count;
    size_t *cuts, ncuts = 0, hi = 0, k, start = 0;
    size_t nseen = org->customers.keys.count / 8 + 1;
    uint8_t *had = NULL; /* per period: its acc was there already (added to) */
    agg g;
    int rc = 0, r;

    memset(&g, 0, sizeof g);
    g.org = org;
    g.a = a;
    g.nm = nm;
    g.np = np;
    g.ps = ps;
    if (tail && tail->seen) {
        if (tail->nm != nm || tail_grow(al, tail, nseen, nrecv ? nrecv : 1))
            return smgi_err(org, tail->nm != nm ? SMG_EINVAL : SMG_ENOMEM,
                            tail->nm != nm ? "kpi: the carried state is of other members"
                                           : "out of memory");
        start = tail->pos;
        g.seen = tail->seen;
        g.raiser = tail->raiser;
        g.open = tail->open;
        memset(tail, 0, sizeof *tail); /* back at the end */
    } else {
        g.seen = smgi_calloc(al, nseen, 1);
        g.raiser = smgi_malloc(al, (nrecv ? nrecv : 1) * sizeof *g.raiser);
        g.open = smgi_calloc(al, nm + 1, sizeof *g.open);
        if (g.raiser)
            memset(g.raiser, 0xff, (nrecv ? nrecv : 1) * sizeof *g.raiser);
    }
    had = smgi_calloc(al, np + 1, 1);
    g.act = smgi_malloc(al, np * sizeof *g.act);
    cuts = smgi_malloc(al, (6 * np + 2) * sizeof *cuts);
    g.cnt = smgi_calloc(al, (nm + 1) * C_FIELDS, sizeof *g.cnt);
    g.marks = smgi_malloc(al, (7 * np + 1) * sizeof *g.marks);
    g.proles = smgi_calloc(al, np + 1, 1);
    g.apos = smgi_malloc(al, (np + 1) * sizeof *g.apos);
    if (!g.seen || !g.raiser || !g.open || !g.act || !cuts || !g.cnt || !g.marks ||
        !g.proles || !g.apos || !had) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    cuts[ncuts++] = start;
    for (k = 0; k < np; k++) {
        period *p = &ps[k];
        had[k] = p->acc != NULL;
        if (!p->acc)
            p->acc = smgi_calloc(al, nm + 1, sizeof *p->acc);
        if (!p->acc) {
            rc = smgi_err(org, SMG_ENOMEM, "out of memory");
            goto done;
        }
        for (r = 0; r < 3; r++) {
            p->lo[r] = smgi_log_lower_bound(E, day_start(p->range[r][0]));
            p->hi[r] = smgi_log_lower_bound(E, day_start(p->range[r][1] + 1));
            /* what lies before the start is counted already */
            cuts[ncuts++] = p->lo[r] > start ? p->lo[r] : start;
            cuts[ncuts++] = p->hi[r] > start ? p->hi[r] : start;
            if (p->lo[r] < p->hi[r]) { /* an empty range has no role anywhere */
                mark st = { 0, 0, 0 }, en = { 0, 0, 0 };
                st.pos = p->lo[r];
                st.k = k;
                st.role = 1 << r;
                en.pos = p->hi[r];
                en.k = k;
                en.role = -(1 << r);
                g.marks[g.nmarks++] = st;
                g.marks[g.nmarks++] = en;
            }
            if (p->hi[r] > hi)
                hi = p->hi[r];
        }
    }
    cuts[ncuts++] = hi;
    for (k = 0; k < np; k++) { /* what is open when each period starts */
        mark op = { 0, 0, 0 };
        if (had[k])
            continue; /* its stock was taken when it started */
        op.pos = ps[k].lo[0];
        op.k = k;
        g.marks[g.nmarks++] = op;
    }

    rc = run_pass(&g, cuts, ncuts);
    if (rc == SMG_EINVAL)
        rc = smgi_err(org, SMG_EINVAL,
                      "the attribution result does not match the event log (another org, "
                      "or the org changed since); run it again");
    else if (rc)
        rc = smgi_err(org, rc, rc == SMG_ENOMEM ? "out of memory" : "too many deals");
    else if (g.ovf)
        rc = smgi_err(org, SMG_ERANGE, "kpi: a sum of amounts overflows");
done:
    if (tail) { /* the state goes back (the end of the pass, when it ran) */
        tail->seen = g.seen;
        tail->raiser = g.raiser;
        tail->open = g.open;
        tail->nseen = nseen;
        tail->nrecv = nrecv ? nrecv : 1;
        tail->nm = nm;
        tail->pos = hi > start ? hi : start;
        if (!g.seen || !g.raiser || !g.open)
            smgi_kpi_tail_free(al, tail);
    } else {
        smgi_free(al, g.seen);
        smgi_free(al, g.raiser);
        smgi_free(al, g.open);
    }
    smgi_free(al, had);
    smgi_free(al, g.act);
    smgi_free(al, g.cnt);
    smgi_free(al, g.marks);
    smgi_free(al, g.proles);
    smgi_free(al, g.apos);
    smgi_free(al, cuts);
    return rc;
}
