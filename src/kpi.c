/* KPIs (RULES.md §5): one aggregation pass over the sorted log for every
 * member and every period asked for, then a roll-up through the team tree.
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
 * they are radix-sorted by key and read once (distinct_keys()): a key of
 * one member counts for that member and, summed up the tree, for the teams
 * above; a key of several members is merged per member and pushed up the
 * team chains with per-team marks. No hashing: O(deals in the two periods),
 * times the depth for keys of several members in different teams.
 *
 * The month index (smg_kpi_index) is that pass made once with a period per
 * month; a period of whole months is then the sum of its months, and its
 * distinct-key counts come from the months' deals, as above. */
#include "kpi.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/target.h"
#include "arith.h"
#include "attribution.h"
#include "calendar.h"
#include "events.h"
#include "logsort.h"
#include "targets.h"

/* ---- names ---- */

static const char *const kpi_names[] = {
    "sales_amount", "deal_count", "gross_profit", "target_amount", "completion_rate",
    "growth_yoy", "growth_pop", "price_retention_rate", "expense_amount", "expense_rate",
    "collection_rate", "visit_count", "visit_success_rate", "complaint_count",
    "complaint_rate", "new_customer_count", "retention_rate", "lost_customer_count",
    "reception_count", "registration_rate", "demo_rate", "close_rate",
    "followup_ontime_rate",
};
#define NKPI ((int)(sizeof kpi_names / sizeof kpi_names[0]))

const char *smg_kpi_name(smg_kpi key)
{
    return (unsigned)key < (unsigned)NKPI ? kpi_names[key] : NULL;
}

int smg_kpi_parse(smg_kpi *out, const char *name)
{
    int i;
    if (!name || !out)
        return SMG_EINVAL;
    for (i = 0; i < NKPI; i++)
        if (strcmp(name, kpi_names[i]) == 0) {
            *out = (smg_kpi)i;
            return 0;
        }
    return SMG_EPARSE;
}

int smg_kpi_is_money(smg_kpi key)
{
    return key == SMG_KPI_SALES_AMOUNT || key == SMG_KPI_GROSS_PROFIT ||
           key == SMG_KPI_TARGET_AMOUNT || key == SMG_KPI_EXPENSE_AMOUNT;
}

int smg_kpi_query_init(smg_kpi_query *q, unsigned version)
{
    smg_kpi_query init = SMG_KPI_QUERY_INIT;
    if (!q)
        return SMG_EINVAL;
    if (version < 1 || version > SMG_KPI_QUERY_VERSION)
        return SMG_EVERSION;
    /* a version-1 struct ends before `index` */
    memcpy(q, &init, version == 1 ? offsetof(smg_kpi_query, index) : sizeof *q);
    q->version = version;
    return 0;
}

/* ---- shared parts (kpi.h) ---- */

int smgi_credits_init(smgi_credits *c, const smg_attribution *a, const smg_org *org,
                      smg_date day)
{
    smgi_attribution_view v;
    size_t lo = 0, hi;
    if (smgi_attribution_view_of(a, org, &v))
        return SMG_EINVAL;
    c->pos = v.deal_pos;
    c->credited = v.credited;
    c->nrows = hi = v.ndeals;
    if (day != SMG_DATE_NONE)
        while (lo < hi) { /* rows are in time order: days never decrease */
            size_t mid = lo + (hi - lo) / 2;
            if (smgi_day_of(org->events.at[v.deal_pos[mid]]) < day)
                lo = mid + 1;
            else
                hi = mid;
        }
    c->row = lo;
    return 0;
}

int smgi_attribution_get(smg_org *org, const smg_attribution *given,
                         const smg_attribution **a, smg_attribution **owned)
{
    int rc;
    *owned = NULL;
    *a = given;
    if (given) {
        smgi_attribution_view v;
        if (smgi_attribution_view_of(given, org, &v))
            return smgi_err(org, SMG_EINVAL,
                            "the attribution result is out of date or of another org; "
                            "run it again");
        return 0;
    }
    rc = smg_attribution_run(org, NULL, owned);
    if (rc)
        return rc; /* message already on the org */
    *a = *owned;
    return 0;
}

#define ADD_OVF(dst, v) SMGI_ADD_OVF(dst, v)

int smgi_sales_targets(smg_org *org, smg_date from, smg_date to, int64_t *member,
                       uint8_t *member_null, int64_t *team, uint8_t *team_null,
                       int64_t *company, int *company_null)
{
    const smgi_targets *T = &org->targets;
    size_t nm = org->members.ids.count, nt = org->teams.ids.count, i;
    int64_t own_company = 0, v, *csum = NULL;
    int own_company_null = 1, rc = 0, ovf = 0;
    uint8_t *cany = NULL;

    for (i = 0; i < nm; i++) {
        member[i] = 0;
        member_null[i] = 1;
    }
    if (team) {
        for (i = 0; i < nt; i++) {
            team[i] = 0;
            team_null[i] = 1;
        }
    }
    for (i = 0; i < T->count; i++) {
        int32_t s = T->subject[i];
        if (T->metric[i] != SMG_METRIC_SALES_AMOUNT || T->to[i] < from || T->from[i] > to)
            continue;
        if (T->subject_kind[i] == SMGI_SUBJECT_MEMBER) {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(member[s], v);
            member_null[s] = 0;
        } else if (!team) {
            continue;
        } else if (T->subject_kind[i] == SMGI_SUBJECT_TEAM) {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(team[s], v);
            team_null[s] = 0;
        } else {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(own_company, v);
            own_company_null = 0;
        }
    }
    if (ovf)
        return smgi_err(org, SMG_ERANGE, "the sum of the sales targets overflows");
    if (!team)
        return 0;
    /* teams without a target of their own: the sum of their parts */
    csum = smgi_calloc(&org->alloc, nt ? nt : 1, sizeof *csum);
    cany = smgi_calloc(&org->alloc, nt ? nt : 1, 1);
    if (!csum || !cany) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nm; i++)
        if (!member_null[i]) {
            int32_t t = org->members.team[i];
            ovf |= ADD_OVF(csum[t], member[i]);
            cany[t] = 1;
        }
    *company = 0;
    *company_null = 1;
    for (i = nt; i-- > 0;) { /* children (higher indices) before parents */
        int32_t p = org->teams.parent[i];
        if (team_null[i] && cany[i]) {
            team[i] = csum[i];
            team_null[i] = 0;
        }
        if (team_null[i])
            continue;
        if (p >= 0) {
            ovf |= ADD_OVF(csum[p], team[i]);
            cany[p] = 1;
        } else {
            ovf |= ADD_OVF(*company, team[i]);
            *company_null = 0;
        }
    }
    if (!own_company_null) {
        *company = own_company;
        *company_null = 0;
    }
    if (ovf)
        rc = smgi_err(org, SMG_ERANGE, "the sum of the sales targets overflows");
done:
    smgi_free(&org->alloc, csum);
    smgi_free(&org->alloc, cany);
    return rc;
}

/* ---- the report ---- */

/* The numerators and denominators of one subject; every KPI is derived
 * from these in the getters. All fields but the distinct-key counts and
 * the target add up from members to teams (and across key partitions). */
typedef struct parts {
    int64_t sales, deals, gross, list_num, list_den, expense;
    int64_t sales_prev, sales_yoy;
    int64_t paid, open, raised;       /* collection_rate */
    int64_t visits, visits_ok, complaints, new_keys;
    int64_t receptions, regs, regs_ontime, demos;
    int64_t prev_keys, retained, lost; /* distinct keys: not summed up the tree */
    int64_t target;
    int32_t target_null;
} parts;

struct smg_kpi_report {
    smg_allocator alloc;
    smg_date range[3][2];
    size_t nrows;
    uint8_t *kind;
    int32_t *index;
    parts *rows;
};

void smg_kpi_report_free(smg_kpi_report *r)
{
    smg_allocator al;
    if (!r)
        return;
    al = r->alloc;
    smgi_free(&al, r->kind);
    smgi_free(&al, r->index);
    smgi_free(&al, r->rows);
    smgi_free(&al, r);
}

/* Add the additive fields; 1 on overflow. */
static int parts_add(parts *d, const parts *s)
{
    int o = 0;
    o |= ADD_OVF(d->sales, s->sales);
    o |= ADD_OVF(d->gross, s->gross);
    o |= ADD_OVF(d->list_num, s->list_num);
    o |= ADD_OVF(d->list_den, s->list_den);
    o |= ADD_OVF(d->expense, s->expense);
    o |= ADD_OVF(d->sales_prev, s->sales_prev);
    o |= ADD_OVF(d->sales_yoy, s->sales_yoy);
    o |= ADD_OVF(d->paid, s->paid);
    o |= ADD_OVF(d->open, s->open);
    o |= ADD_OVF(d->raised, s->raised);
    d->deals += s->deals;
    d->visits += s->visits;
    d->visits_ok += s->visits_ok;
    d->complaints += s->complaints;
    d->new_keys += s->new_keys;
    d->receptions += s->receptions;
    d->regs += s->regs;
    d->regs_ontime += s->regs_ontime;
    d->demos += s->demos;
    return o;
}

/* ---- the aggregation pass ---- */

enum { IN_PREV = 1, IN_CUR = 2 };            /* entry bits */
enum { R_CUR = 1, R_PREV = 2, R_YOY = 4 };   /* the roles of a range */

/* One period of a computation: its three ranges and its counters. */
typedef struct period {
    smg_date range[3][2];   /* period, previous, year earlier (days) */
    size_t lo[3], hi[3];    /* the same as log positions [lo, hi) */
    parts *acc;             /* nm + 1: the members, then the company's own deals */
    /* deals in the period or the previous one: key, counter slot, IN_* */
    int32_t *e_key, *e_slot;
    uint8_t *e_bits;
    size_t nentries, entries_cap;
} period;

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
    int ovf;
} agg;

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
#define LUT_SIZE ((SMG_EV_WORK_SCORE + 1) * 16)

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
    size_t ri = 0, c, k, j;
    int rc, ovf = 0;

    if (smgi_credits_init(&cr, g->a, org, SMG_DATE_NONE) ||
        smgi_attribution_view_of(g->a, org, &view))
        return SMG_EINVAL;
    count_tables(one, two);
    qsort(cuts, ncuts, sizeof *cuts, size_cmp);
    for (c = 0; c + 1 < ncuts; c++) {
        size_t from = cuts[c], to = cuts[c + 1], base, nact = 0;
        int counting = 0;
        uint32_t mask = PREFIX_TYPES;
        for (k = 0; k < g->np; k++)
            if (g->ps[k].lo[0] == from) /* the period starts: what is open now */
                for (j = 0; j < g->nm; j++)
                    g->ps[k].acc[j].open = open[j];
        if (from == to)
            continue;
        for (k = 0; k < g->np; k++) {
            period *p = &g->ps[k];
            unsigned roles = 0;
            int r;
            for (r = 0; r < 3; r++)
                if (p->lo[r] <= from && to <= p->hi[r])
                    roles |= 1u << r;
            if (!roles)
                continue;
            act[nact].p = p;
            act[nact++].roles = roles;
            if (roles & R_CUR)
                counting = 1;
        }
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
                    int first = !SEEN(key);
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
                            ovf |= __builtin_sub_overflow(p->gross, cost & has_cost, &p->gross);
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
                    ovf |= __builtin_sub_overflow(open[r], amt, &open[r]);
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
    for (k = 0; k < g->np; k++) /* periods that start where the reading ends */
        if (g->ps[k].lo[0] == cuts[ncuts - 1])
            for (j = 0; j < g->nm; j++)
                g->ps[k].acc[j].open = open[j];
    g->ovf |= ovf;
    return 0;
}

/* A key's flags in the distinct-key counts (branch-free: flags vary). */
typedef struct keycount {
    int64_t prev, kept, lost;
} keycount;

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

/* Scratch of the distinct-key counts, shared by the periods. */
typedef struct keyscratch {
    uint64_t *v, *s;         /* (key << 32 | slot << 2 | flags) to sort, and scratch */
    size_t cap;
    int32_t *mark_m, *mark_t, *list_m, *list_t;
    uint8_t *f_m, *f_t;
    keycount *sub_m, *sub_t; /* keys of one member only: per member, per subtree */
    keycount *own_m, *own_t; /* keys of several members: each member's and team's own */
} keyscratch;

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
static int distinct_keys(const smg_org *org, keyscratch *ks, period *pd, size_t nm,
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

/* ---- periods ---- */

/* The previous equal period and the period a year earlier. */
static void other_ranges(int form, smg_date from, smg_date to, smg_date prev[2],
                         smg_date yoy[2])
{
    int64_t y, y2;
    unsigned m, d, m2, d2;
    smgi_civil_from_days(from, &y, &m, &d);
    switch (form) {
    case SMG_PERIOD_YEAR:
    case SMG_PERIOD_QUARTER:
    case SMG_PERIOD_MONTH: {
        int back = form == SMG_PERIOD_YEAR ? 12 : form == SMG_PERIOD_QUARTER ? 3 : 1;
        int64_t mi = y * 12 + (m - 1) - back;
        prev[0] = (smg_date)smgi_days_from_civil(mi / 12, (unsigned)(mi % 12) + 1, 1);
        prev[1] = from - 1;
        /* the same whole year, quarter or month of the previous year */
        smgi_civil_from_days((int64_t)to + 1, &y2, &m2, &d2);
        yoy[0] = (smg_date)smgi_days_from_civil(y - 1, m, 1);
        yoy[1] = (smg_date)(smgi_days_from_civil(y2 - 1, m2, 1) - 1);
        break;
    }
    default: {
        int64_t n = (int64_t)to - from + 1;
        prev[0] = (smg_date)(from - n);
        prev[1] = from - 1;
        yoy[0] = smgi_year_earlier(from);
        yoy[1] = smgi_year_earlier(to);
        break;
    }
    }
}

static smg_time day_start(smg_date d)
{
    return (smg_time)d * 86400;
}

/* ---- rows ---- */

typedef struct row_sel {
    uint8_t kind;
    int32_t index;
} row_sel;

static int parse_subject(smg_org *org, const char *subject, int *kind, long *index)
{
    if (strcmp(subject, "company") == 0) {
        *kind = SMG_KPI_SUBJECT_COMPANY;
        *index = -1;
        return 0;
    }
    if (strncmp(subject, "member:", 7) == 0) {
        *kind = SMG_KPI_SUBJECT_MEMBER;
        *index = smgi_strtab_find_str(&org->members.ids, subject + 7);
    } else if (strncmp(subject, "team:", 5) == 0) {
        *kind = SMG_KPI_SUBJECT_TEAM;
        *index = smgi_strtab_find_str(&org->teams.ids, subject + 5);
    } else {
        return smgi_err(org, SMG_EPARSE,
                        "subject \"%s\" is not member:ID, team:ID or company", subject);
    }
    if (*index < 0)
        return smgi_err(org, SMG_ENOTFOUND, "subject \"%s\" does not exist", subject);
    return 0;
}

/* Choose the rows of the report under the query and the scope. */
static int select_rows(smg_org *org, const smg_kpi_query *q, const smgi_scope *sc,
                       row_sel **out, size_t *nout)
{
    const smg_allocator *al = &org->alloc;
    size_t nm = org->members.ids.count, nt = org->teams.ids.count, i, n = 0;
    const char *who = q->as_member;
    int want_m = (q->by & SMG_KPI_BY_MEMBER) != 0, want_t = (q->by & SMG_KPI_BY_TEAM) != 0;
    int kind = 0, rc = 0;
    long subj = -1;
    uint8_t *sub_in = NULL;
    row_sel *rows;

    *out = NULL;
    *nout = 0;
    if (q->subject && *q->subject) {
        if ((rc = parse_subject(org, q->subject, &kind, &subj)))
            return rc;
        if ((kind == SMG_KPI_SUBJECT_COMPANY && !sc->full) ||
            (kind == SMG_KPI_SUBJECT_MEMBER && !smgi_scope_member(org, sc, (size_t)subj)) ||
            (kind == SMG_KPI_SUBJECT_TEAM && !smgi_scope_team(sc, (size_t)subj)))
            return smgi_err(org, SMG_EACCESS,
                            "member \"%s\" (%s) may not see the figures of %s", who,
                            smg_role_name((smg_role)org->members.role[sc->self]),
                            q->subject);
    } else if (!want_m && !sc->full && !sc->leads) {
        return smgi_err(org, SMG_EACCESS,
                        "member \"%s\" (%s) leads no team and may see no team's figures", who,
                        smg_role_name((smg_role)org->members.role[sc->self]));
    }
    rows = smgi_malloc(al, (nm + nt + 1) * sizeof *rows);
    if (!rows)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (kind == SMG_KPI_SUBJECT_TEAM) {
        sub_in = smgi_calloc(al, nt, 1);
        if (!sub_in) {
            smgi_free(al, rows);
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        }
        for (i = 0; i < nt; i++) {
            int32_t p = org->teams.parent[i];
            sub_in[i] = (uint8_t)((long)i == subj || (p >= 0 && sub_in[p]));
        }
    }
    if (kind == SMG_KPI_SUBJECT_MEMBER) {
        rows[n].kind = SMG_KPI_SUBJECT_MEMBER;
        rows[n++].index = (int32_t)subj;
    } else if (kind == SMG_KPI_SUBJECT_COMPANY) {
        rows[n].kind = SMG_KPI_SUBJECT_COMPANY;
        rows[n++].index = -1;
    } else {
        if (want_m)
            for (i = 0; i < nm; i++)
                if (smgi_scope_member(org, sc, i) &&
                    (!sub_in || sub_in[org->members.team[i]])) {
                    rows[n].kind = SMG_KPI_SUBJECT_MEMBER;
                    rows[n++].index = (int32_t)i;
                }
        if (want_t)
            for (i = 0; i < nt; i++)
                if (smgi_scope_team(sc, i) && (!sub_in || sub_in[i])) {
                    rows[n].kind = SMG_KPI_SUBJECT_TEAM;
                    rows[n++].index = (int32_t)i;
                }
        if (want_t && sc->full && !sub_in) {
            rows[n].kind = SMG_KPI_SUBJECT_COMPANY;
            rows[n++].index = -1;
        }
    }
    smgi_free(al, sub_in);
    *out = rows;
    *nout = n;
    return 0;
}

/* ---- compute ---- */

static void period_free(const smg_allocator *al, period *p)
{
    smgi_free(al, p->acc);
    smgi_free(al, p->e_key);
    smgi_free(al, p->e_slot);
    smgi_free(al, p->e_bits);
}

static int parse_period(smg_org *org, const char *text, period *p)
{
    smg_period pp;
    smg_date from, to;
    int form, rc = text ? smg_period_parse(&pp, text) : SMG_EPARSE;
    if (rc == SMG_EINVAL)
        rc = SMG_EPARSE;
    if (rc)
        return smgi_err(org, rc == SMG_ERANGE ? SMG_ERANGE : SMG_EPARSE,
                        "period \"%s\" is not YYYY, YYYY-Qn, YYYY-MM or FROM..TO",
                        text ? text : "");
    form = pp.kind;
    from = pp.from;
    to = pp.to;
    p->range[0][0] = from;
    p->range[0][1] = to;
    other_ranges(form, from, to, p->range[1], p->range[2]);
    return 0;
}

/* A report of period p from its counters. */
static int build_report(smg_org *org, smg_kpi_report **out, const period *pd,
                        const row_sel *sel, size_t nsel, const parts *tparts,
                        const parts *company, const int64_t *mt, const uint8_t *mnull,
                        const int64_t *tt, const uint8_t *tnull, int64_t ct, int cnull)
{
    const smg_allocator *al = &org->alloc;
    smg_kpi_report *r = smgi_calloc(al, 1, sizeof *r);
    size_t i;
    if (!r)
        return SMG_ENOMEM;
    r->alloc = *al;
    r->kind = smgi_malloc(al, nsel ? nsel : 1);
    r->index = smgi_malloc(al, (nsel ? nsel : 1) * sizeof *r->index);
    r->rows = smgi_malloc(al, (nsel ? nsel : 1) * sizeof *r->rows);
    if (!r->kind || !r->index || !r->rows) {
        smg_kpi_report_free(r);
        return SMG_ENOMEM;
    }
    r->nrows = nsel;
    memcpy(r->range, pd->range, sizeof r->range);
    for (i = 0; i < nsel; i++) {
        parts *p = &r->rows[i];
        int32_t x = sel[i].index;
        r->kind[i] = sel[i].kind;
        r->index[i] = x;
        if (sel[i].kind == SMG_KPI_SUBJECT_MEMBER) {
            *p = pd->acc[x];
            p->target = mt[x];
            p->target_null = mnull[x];
        } else if (sel[i].kind == SMG_KPI_SUBJECT_TEAM) {
            *p = tparts[x];
            p->target = tt[x];
            p->target_null = tnull[x];
        } else {
            *p = *company;
            p->target = ct;
            p->target_null = cnull;
        }
    }
    *out = r;
    return 0;
}

/* Count, in one pass over the log, the counters of periods ps (whose
 * ranges are set): allocates each period's acc. 0 or an error with its
 * message on the org. */
static int aggregate(smg_org *org, const smg_attribution *a, period *ps, size_t np)
{
    const smg_allocator *al = &org->alloc;
    const smgi_events *E = &org->events;
    size_t nm = org->members.ids.count, nrecv = org->receivables.ids.count;
    size_t *cuts, ncuts = 0, hi = 0, k;
    agg g;
    int rc = 0, r;

    memset(&g, 0, sizeof g);
    g.org = org;
    g.a = a;
    g.nm = nm;
    g.np = np;
    g.ps = ps;
    g.seen = smgi_calloc(al, org->customers.keys.count / 8 + 1, 1);
    g.raiser = smgi_malloc(al, (nrecv ? nrecv : 1) * sizeof *g.raiser);
    g.open = smgi_calloc(al, nm + 1, sizeof *g.open);
    g.act = smgi_malloc(al, np * sizeof *g.act);
    cuts = smgi_malloc(al, (6 * np + 2) * sizeof *cuts);
    g.cnt = smgi_calloc(al, (nm + 1) * C_FIELDS, sizeof *g.cnt);
    if (!g.seen || !g.raiser || !g.open || !g.act || !cuts || !g.cnt) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    memset(g.raiser, 0xff, (nrecv ? nrecv : 1) * sizeof *g.raiser);
    cuts[ncuts++] = 0;
    for (k = 0; k < np; k++) {
        period *p = &ps[k];
        p->acc = smgi_calloc(al, nm + 1, sizeof *p->acc);
        if (!p->acc) {
            rc = smgi_err(org, SMG_ENOMEM, "out of memory");
            goto done;
        }
        for (r = 0; r < 3; r++) {
            p->lo[r] = smgi_log_lower_bound(E, day_start(p->range[r][0]));
            p->hi[r] = smgi_log_lower_bound(E, day_start(p->range[r][1] + 1));
            cuts[ncuts++] = p->lo[r];
            cuts[ncuts++] = p->hi[r];
            if (p->hi[r] > hi)
                hi = p->hi[r];
        }
    }
    cuts[ncuts++] = hi;

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
    smgi_free(al, g.seen);
    smgi_free(al, g.raiser);
    smgi_free(al, g.open);
    smgi_free(al, g.act);
    smgi_free(al, g.cnt);
    smgi_free(al, cuts);
    return rc;
}

/* ---- the month index ---- */

struct smg_kpi_index {
    smg_allocator alloc;
    const smg_org *org;
    uint64_t generation;        /* the org's when built */
    const smg_attribution *a;   /* the credits it holds (owned or the caller's) */
    smg_attribution *owned;
    int64_t first;              /* year * 12 + month - 1 of the first month */
    size_t nmonths, nm;
    /* one period per month: acc[] (nm + 1 slots, .open = what is open at
     * the month's start) and the month's credited deals (IN_CUR) */
    period *months;
};

/* 1 when [from, to] is whole months [*m0, *m1] (smgi_month_index); an
 * empty range is. */
static int whole_months(const smg_date range[2], int64_t *m0, int64_t *m1)
{
    if (range[1] < range[0]) {
        *m0 = 1;
        *m1 = 0;
        return 1;
    }
    *m0 = smgi_month_index(range[0]);
    *m1 = smgi_month_index(range[1]);
    return smgi_month_start(range[0]) == range[0] &&
           smgi_next_month_start(range[1]) == range[1] + 1;
}

/* 1 when the period's three ranges are whole months: the index answers it. */
static int index_covers(const period *p)
{
    int64_t m0, m1;
    int r;
    for (r = 0; r < 3; r++)
        if (!whole_months(p->range[r], &m0, &m1))
            return 0;
    return 1;
}

/* Receivables open for slot s at the start of month mn. */
static int64_t open_at(const smg_kpi_index *ix, int64_t mn, size_t s)
{
    const parts *last;
    if (!ix->nmonths || mn <= ix->first)
        return 0;
    if (mn - ix->first < (int64_t)ix->nmonths)
        return ix->months[mn - ix->first].acc[s].open;
    last = &ix->months[ix->nmonths - 1].acc[s]; /* after the log: as at its end */
    return last->open + last->raised - last->paid;
}

/* Period p's counters from the index (its three ranges are whole months):
 * the months' sums, and the deals of the period and the one before it. */
static int from_index(const smg_kpi_index *ix, const smg_allocator *al, period *p)
{
    int64_t mon[3][2], k, first_month = smgi_month_index(p->range[0][0]);
    size_t s, n = 0, nm = ix->nm;
    int r, ovf = 0;
    for (r = 0; r < 3; r++) { /* clipped to the months the index holds */
        whole_months(p->range[r], &mon[r][0], &mon[r][1]);
        if (mon[r][0] < ix->first)
            mon[r][0] = ix->first;
        if (mon[r][1] > ix->first + (int64_t)ix->nmonths - 1)
            mon[r][1] = ix->first + (int64_t)ix->nmonths - 1;
    }
    p->acc = smgi_calloc(al, nm + 1, sizeof *p->acc);
    if (!p->acc)
        return SMG_ENOMEM;
    for (k = mon[0][0]; k <= mon[0][1]; k++) {
        const period *m = &ix->months[k - ix->first];
        for (s = 0; s <= nm; s++) {
            parts t = m->acc[s];
            t.open = 0; /* a stock, not a flow: set below */
            ovf |= parts_add(&p->acc[s], &t);
        }
        n += m->nentries;
    }
    for (r = 1; r < 3; r++)
        for (k = mon[r][0]; k <= mon[r][1]; k++) {
            const period *m = &ix->months[k - ix->first];
            for (s = 0; s <= nm; s++) {
                int64_t *d = r == 1 ? &p->acc[s].sales_prev : &p->acc[s].sales_yoy;
                ovf |= ADD_OVF(*d, m->acc[s].sales);
            }
            if (r == 1)
                n += m->nentries;
        }
    for (s = 0; s <= nm; s++) /* the period's first month, not clipped */
        p->acc[s].open = open_at(ix, first_month, s);
    if (ovf)
        return SMG_ERANGE;
    if (n) { /* the distinct-key entries: previous period, then this one */
        p->e_key = smgi_malloc(al, n * sizeof *p->e_key);
        p->e_slot = smgi_malloc(al, n * sizeof *p->e_slot);
        p->e_bits = smgi_malloc(al, n);
        if (!p->e_key || !p->e_slot || !p->e_bits)
            return SMG_ENOMEM;
        p->entries_cap = n;
        for (r = 1; r >= 0; r--)
            for (k = mon[r][0]; k <= mon[r][1]; k++) {
                const period *m = &ix->months[k - ix->first];
                if (!m->nentries) /* no deal that month: its arrays are NULL */
                    continue;
                memcpy(p->e_key + p->nentries, m->e_key, m->nentries * sizeof *m->e_key);
                memcpy(p->e_slot + p->nentries, m->e_slot, m->nentries * sizeof *m->e_slot);
                memset(p->e_bits + p->nentries, r ? IN_PREV : IN_CUR, m->nentries);
                p->nentries += m->nentries;
            }
    }
    return 0;
}

void smg_kpi_index_free(smg_kpi_index *ix)
{
    smg_allocator al;
    size_t k;
    if (!ix)
        return;
    al = ix->alloc;
    for (k = 0; ix->months && k < ix->nmonths; k++)
        period_free(&al, &ix->months[k]);
    smgi_free(&al, ix->months);
    smg_attribution_free(ix->owned);
    smgi_free(&al, ix);
}

int smg_kpi_index_build(smg_org *org, const smg_attribution *a, smg_kpi_index **out)
{
    const smgi_events *E;
    smg_kpi_index *ix;
    smg_date day;
    size_t k;
    int rc;
    if (!org || !out)
        return SMG_EINVAL;
    *out = NULL;
    if (org->in_batch)
        return smgi_err(org, SMG_ESTATE, "kpi: a batch is open; commit it first");
    smgi_err_clear(org);
    E = &org->events;
    ix = smgi_calloc(&org->alloc, 1, sizeof *ix);
    if (!ix)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    ix->alloc = org->alloc;
    ix->org = org;
    ix->generation = org->generation;
    ix->nm = org->members.ids.count;
    if ((rc = smgi_attribution_get(org, a, &ix->a, &ix->owned)))
        goto fail;
    if (E->count) {
        ix->first = smgi_month_index(smgi_day_of(E->at[0]));
        ix->nmonths = (size_t)(smgi_month_index(smgi_day_of(E->at[E->count - 1])) -
                               ix->first + 1);
        /* a counter block per member and month: refuse a sparse log whose
         * months would far outweigh its events (say, a few events centuries
         * apart) rather than fill memory with empty months */
        if (ix->nmonths > ((size_t)16 * E->count + ((size_t)1 << 20)) / (ix->nm + 1)) {
            rc = smgi_err(org, SMG_ERANGE,
                          "kpi: the log spans %lu months for %lu events: too sparse for a "
                          "month index (compute from the log instead)",
                          (unsigned long)ix->nmonths, (unsigned long)E->count);
            goto fail;
        }
        ix->months = smgi_calloc(&org->alloc, ix->nmonths, sizeof *ix->months);
        if (!ix->months) {
            rc = smgi_err(org, SMG_ENOMEM, "out of memory");
            goto fail;
        }
        day = smgi_month_start(smgi_day_of(E->at[0]));
        for (k = 0; k < ix->nmonths; k++) {
            period *p = &ix->months[k];
            int r;
            p->range[0][0] = day;
            day = smgi_next_month_start(day);
            p->range[0][1] = day - 1;
            for (r = 1; r < 3; r++) { /* no previous period, no year earlier */
                p->range[r][0] = p->range[0][0];
                p->range[r][1] = p->range[0][0] - 1;
            }
        }
        if ((rc = aggregate(org, ix->a, ix->months, ix->nmonths)))
            goto fail;
    }
    *out = ix;
    return 0;
fail:
    smg_kpi_index_free(ix);
    return rc;
}

/* ---- compute ---- */

static int compute(smg_org *org, const smg_kpi_query *q, const char *const *texts, size_t np,
                   smg_kpi_report **out)
{
    const smg_allocator *al;
    const smg_attribution *a = NULL;
    const smg_kpi_index *ix = NULL;
    smg_attribution *owned = NULL;
    smgi_scope sc;
    period *ps = NULL, *todo = NULL;
    keyscratch ks;
    row_sel *sel = NULL;
    parts *tparts = NULL, company;
    int64_t *mt = NULL, *tt = NULL, ct = 0;
    uint8_t *mnull = NULL, *tnull = NULL;
    size_t nm, nt, nsel = 0, ntodo = 0, i, k;
    int rc, cnull = 1;

    if (!org || !out)
        return SMG_EINVAL;
    for (k = 0; k < np; k++)
        out[k] = NULL;
    if (org->in_batch)
        return smgi_err(org, SMG_ESTATE, "kpi: a batch is open; commit it first");
    smgi_err_clear(org);
    if (!q)
        return smgi_err(org, SMG_EINVAL, "kpi: the query is NULL");
    if (q->version < 1 || q->version > SMG_KPI_QUERY_VERSION)
        return smgi_err(org, SMG_EVERSION, "unknown smg_kpi_query version %u", q->version);
    if (q->by < SMG_KPI_BY_MEMBER || q->by > SMG_KPI_BY_BOTH)
        return smgi_err(org, SMG_EINVAL, "kpi: by must be member, team or both");
    if (q->version >= 2 && q->index) {
        ix = q->index;
        if (ix->org != org || ix->generation != org->generation)
            return smgi_err(org, SMG_EINVAL, "the KPI index is out of date or of another "
                                             "org; build it again");
        if (q->attribution && q->attribution != ix->a)
            return smgi_err(org, SMG_EINVAL, "the query's attribution result is not the "
                                             "one the KPI index was built from");
    }

    al = &org->alloc;
    nm = org->members.ids.count;
    nt = org->teams.ids.count;
    memset(&ks, 0, sizeof ks);
    memset(&sc, 0, sizeof sc);
    ps = smgi_calloc(al, np, sizeof *ps);
    todo = smgi_calloc(al, np, sizeof *todo);
    if (!ps || !todo) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (k = 0; k < np; k++)
        if ((rc = parse_period(org, texts[k], &ps[k])))
            goto done;
    if ((rc = smgi_scope_init(org, q->as_member, &sc)))
        goto done;
    if ((rc = select_rows(org, q, &sc, &sel, &nsel)))
        goto done;
    if (ix)
        a = ix->a;
    else if ((rc = smgi_attribution_get(org, q->attribution, &a, &owned)))
        goto done;

    ks.mark_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks.mark_m);
    ks.list_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks.list_m);
    ks.f_m = smgi_malloc(al, nm ? nm : 1);
    ks.mark_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks.mark_t);
    ks.list_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks.list_t);
    ks.f_t = smgi_malloc(al, nt ? nt : 1);
    ks.sub_m = smgi_malloc(al, (nm + 1) * sizeof *ks.sub_m); /* + a dummy row */
    ks.sub_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks.sub_t);
    ks.own_m = smgi_malloc(al, (nm ? nm : 1) * sizeof *ks.own_m);
    ks.own_t = smgi_malloc(al, (nt ? nt : 1) * sizeof *ks.own_t);
    tparts = smgi_malloc(al, (nt ? nt : 1) * sizeof *tparts);
    mt = smgi_malloc(al, (nm ? nm : 1) * sizeof *mt);
    mnull = smgi_malloc(al, nm ? nm : 1);
    tt = smgi_malloc(al, (nt ? nt : 1) * sizeof *tt);
    tnull = smgi_malloc(al, nt ? nt : 1);
    if (!ks.mark_m || !ks.sub_m || !ks.sub_t || !ks.own_m || !ks.own_t ||
        !ks.list_m || !ks.f_m || !ks.mark_t || !ks.list_t || !ks.f_t || !tparts || !mt ||
        !mnull || !tt || !tnull) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }

    /* one pass over the log for the periods the index does not answer;
     * the others are summed from it one at a time below (one counter
     * array alive at a time: its memory is reused, not faulted in again) */
    for (k = 0; k < np; k++)
        if (!ix || !index_covers(&ps[k]))
            todo[ntodo++] = ps[k];
    if (ntodo && (rc = aggregate(org, a, todo, ntodo)))
        goto done;
    for (k = 0, i = 0; k < np; k++)
        if (!ix || !index_covers(&ps[k]))
            ps[k] = todo[i++];
    ntodo = 0; /* the periods own their counters again */

    for (k = 0; k < np; k++) {
        period *p = &ps[k];
        int ovf = 0;
        if (!p->acc && (rc = from_index(ix, al, p))) {
            rc = smgi_err(org, rc, rc == SMG_ENOMEM ? "out of memory"
                                                    : "kpi: a sum of amounts overflows");
            goto done;
        }
        /* members -> their teams -> parent teams -> the company */
        memset(tparts, 0, (nt ? nt : 1) * sizeof *tparts);
        memset(&company, 0, sizeof company);
        for (i = 0; i < nm; i++)
            ovf |= parts_add(&tparts[org->members.team[i]], &p->acc[i]);
        for (i = nt; i-- > 0;) {
            int32_t par = org->teams.parent[i];
            ovf |= parts_add(par >= 0 ? &tparts[par] : &company, &tparts[i]);
        }
        ovf |= parts_add(&company, &p->acc[nm]);
        if (ovf) {
            rc = smgi_err(org, SMG_ERANGE, "kpi: a sum of amounts overflows");
            goto done;
        }
        if ((rc = distinct_keys(org, &ks, p, nm, tparts, &company))) {
            rc = smgi_err(org, rc, rc == SMG_ENOMEM ? "out of memory"
                                                    : "kpi: too many members");
            goto done;
        }
        if ((rc = smgi_sales_targets(org, p->range[0][0], p->range[0][1], mt, mnull, tt, tnull,
                                     &ct, &cnull)))
            goto done;
        if ((rc = build_report(org, &out[k], p, sel, nsel, tparts, &company, mt, mnull, tt,
                               tnull, ct, cnull))) {
            rc = smgi_err(org, rc, "out of memory");
            goto done;
        }
        period_free(al, p); /* the counters are in the report now */
        memset(p, 0, sizeof *p);
    }
done:
    if (rc)
        for (k = 0; k < np; k++) {
            smg_kpi_report_free(out[k]);
            out[k] = NULL;
        }
    for (k = 0; ps && k < np; k++)
        period_free(al, &ps[k]);
    for (k = 0; k < ntodo; k++)
        period_free(al, &todo[k]);
    smgi_free(al, ps);
    smgi_free(al, todo);
    smgi_scope_free(al, &sc);
    smg_attribution_free(owned);
    smgi_free(al, sel);
    smgi_free(al, ks.v);
    smgi_free(al, ks.s);
    smgi_free(al, ks.mark_m);
    smgi_free(al, ks.list_m);
    smgi_free(al, ks.f_m);
    smgi_free(al, ks.mark_t);
    smgi_free(al, ks.list_t);
    smgi_free(al, ks.f_t);
    smgi_free(al, ks.sub_m);
    smgi_free(al, ks.sub_t);
    smgi_free(al, ks.own_m);
    smgi_free(al, ks.own_t);
    smgi_free(al, tparts);
    smgi_free(al, mt);
    smgi_free(al, mnull);
    smgi_free(al, tt);
    smgi_free(al, tnull);
    return rc;
}

int smg_kpi_compute(smg_org *org, const smg_kpi_query *q, smg_kpi_report **out)
{
    const char *text = q ? q->period : NULL;
    return compute(org, q, &text, 1, out);
}

int smg_kpi_compute_many(smg_org *org, const smg_kpi_query *q, const char *const *periods,
                         size_t nperiods, smg_kpi_report **out)
{
    if (!org || !out || (nperiods && !periods))
        return SMG_EINVAL;
    if (!nperiods)
        return smgi_err(org, SMG_EINVAL, "kpi: no period");
    if (nperiods > SIZE_MAX / (6 * sizeof(size_t)) - 1)
        return smgi_err(org, SMG_ERANGE, "kpi: too many periods");
    return compute(org, q, periods, nperiods, out);
}

/* ---- getters ---- */

size_t smg_kpi_row_count(const smg_kpi_report *r)
{
    return r ? r->nrows : 0;
}

int smg_kpi_row(const smg_kpi_report *r, size_t row, smg_kpi_subject *kind, long *index)
{
    if (!r)
        return SMG_EINVAL;
    if (row >= r->nrows)
        return SMG_ERANGE;
    if (kind)
        *kind = (smg_kpi_subject)r->kind[row];
    if (index)
        *index = r->index[row];
    return 0;
}

int smg_kpi_report_range(const smg_kpi_report *r, smg_kpi_range which, smg_date *from,
                         smg_date *to)
{
    if (!r || (unsigned)which > SMG_KPI_RANGE_YEAR_EARLIER)
        return SMG_EINVAL;
    if (from)
        *from = r->range[which][0];
    if (to)
        *to = r->range[which][1];
    return 0;
}

/* num / den, null when den is 0 */
static void ratio(double num, double den, double *v, int *null)
{
    if (den == 0) {
        *v = 0;
        *null = 1;
    } else {
        *v = num / den;
        *null = 0;
    }
}

static int value_of(const parts *p, smg_kpi key, double *v, int *null)
{
    *null = 0;
    switch (key) {
    case SMG_KPI_SALES_AMOUNT: *v = (double)p->sales; return 0;
    case SMG_KPI_DEAL_COUNT: *v = (double)p->deals; return 0;
    case SMG_KPI_GROSS_PROFIT: *v = (double)p->gross; return 0;
    case SMG_KPI_TARGET_AMOUNT:
        *null = p->target_null != 0;
        *v = *null ? 0 : (double)p->target;
        return 0;
    case SMG_KPI_COMPLETION_RATE:
        ratio((double)p->sales, p->target_null ? 0 : (double)p->target, v, null);
        return 0;
    case SMG_KPI_GROWTH_YOY:
        ratio((double)p->sales - (double)p->sales_yoy, (double)p->sales_yoy, v, null);
        return 0;
    case SMG_KPI_GROWTH_POP:
        ratio((double)p->sales - (double)p->sales_prev, (double)p->sales_prev, v, null);
        return 0;
    case SMG_KPI_PRICE_RETENTION_RATE:
        ratio((double)p->list_num, (double)p->list_den, v, null);
        return 0;
    case SMG_KPI_EXPENSE_AMOUNT: *v = (double)p->expense; return 0;
    case SMG_KPI_EXPENSE_RATE: ratio((double)p->expense, (double)p->sales, v, null); return 0;
    case SMG_KPI_COLLECTION_RATE:
        ratio((double)p->paid, (double)p->open + (double)p->raised, v, null);
        return 0;
    case SMG_KPI_VISIT_COUNT: *v = (double)p->visits; return 0;
    case SMG_KPI_VISIT_SUCCESS_RATE:
        ratio((double)p->visits_ok, (double)p->visits, v, null);
        return 0;
    case SMG_KPI_COMPLAINT_COUNT: *v = (double)p->complaints; return 0;
    case SMG_KPI_COMPLAINT_RATE:
        ratio((double)p->complaints, (double)p->deals, v, null);
        return 0;
    case SMG_KPI_NEW_CUSTOMER_COUNT: *v = (double)p->new_keys; return 0;
    case SMG_KPI_RETENTION_RATE:
        ratio((double)p->retained, (double)p->prev_keys, v, null);
        return 0;
    case SMG_KPI_LOST_CUSTOMER_COUNT: *v = (double)p->lost; return 0;
    case SMG_KPI_RECEPTION_COUNT: *v = (double)p->receptions; return 0;
    case SMG_KPI_REGISTRATION_RATE:
        ratio((double)p->regs, (double)p->receptions, v, null);
        return 0;
    case SMG_KPI_DEMO_RATE: ratio((double)p->demos, (double)p->receptions, v, null); return 0;
    case SMG_KPI_CLOSE_RATE: ratio((double)p->deals, (double)p->receptions, v, null); return 0;
    case SMG_KPI_FOLLOWUP_ONTIME_RATE:
        ratio((double)p->regs_ontime, (double)p->regs, v, null);
        return 0;
    }
    return SMG_EINVAL;
}

int smg_kpi_get(const smg_kpi_report *r, size_t row, smg_kpi key, double *value, int *is_null)
{
    double v = 0;
    int null = 0, rc;
    if (!r || !value)
        return SMG_EINVAL;
    if ((unsigned)key >= (unsigned)NKPI)
        return SMG_EINVAL;
    if (row >= r->nrows)
        return SMG_ERANGE;
    rc = value_of(&r->rows[row], key, &v, &null);
    if (rc)
        return rc;
    *value = v;
    if (is_null)
        *is_null = null;
    return 0;
}

int smg_kpi_money(const smg_kpi_report *r, size_t row, smg_kpi key, smg_money *value,
                  int *is_null)
{
    const parts *p;
    int null = 0;
    if (!r || !value || !smg_kpi_is_money(key))
        return SMG_EINVAL;
    if (row >= r->nrows)
        return SMG_ERANGE;
    p = &r->rows[row];
    switch (key) {
    case SMG_KPI_SALES_AMOUNT: *value = p->sales; break;
    case SMG_KPI_GROSS_PROFIT: *value = p->gross; break;
    case SMG_KPI_EXPENSE_AMOUNT: *value = p->expense; break;
    default: /* target_amount */
        null = p->target_null != 0;
        *value = null ? 0 : p->target;
        break;
    }
    if (is_null)
        *is_null = null;
    return 0;
}

int smg_kpi_report_merge(smg_kpi_report *into, const smg_kpi_report *part)
{
    size_t i;
    if (!into || !part || into->nrows != part->nrows ||
        memcmp(into->range, part->range, sizeof into->range) != 0)
        return SMG_EINVAL;
    for (i = 0; i < into->nrows; i++)
        if (into->kind[i] != part->kind[i] || into->index[i] != part->index[i])
            return SMG_EINVAL;
    /* check every sum first: a failed merge changes nothing */
    for (i = 0; i < into->nrows; i++) {
        parts t = into->rows[i];
        if (parts_add(&t, &part->rows[i]))
            return SMG_ERANGE;
    }
    for (i = 0; i < into->nrows; i++) {
        parts *d = &into->rows[i];
        const parts *s = &part->rows[i];
        parts_add(d, s);
        d->prev_keys += s->prev_keys;
        d->retained += s->retained;
        d->lost += s->lost;
    }
    return 0;
}
