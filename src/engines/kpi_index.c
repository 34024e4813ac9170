/* The KPI month index (smg_kpi_index): the aggregation pass (kpi_pass.c)
 * made once with a period per month. A period of whole months is then the
 * sum of its months, and its distinct-key counts come from the months'
 * deals, as for a period read from the log. */
#include "kpi.h"

#include <string.h>

#include "attribution.h"
#include "calendar.h"
#include "credits.h"

#define ADD_OVF(dst, v) SMGI_ADD_OVF(dst, v)

typedef smgi_kpi_parts parts;
typedef smgi_kpi_period period;

enum { IN_PREV = SMGI_IN_PREV, IN_CUR = SMGI_IN_CUR };

struct smg_kpi_index {
    smg_allocator alloc;
    const smg_org *org;
    uint64_t generation;        /* the org's when built */
    const smg_attribution *a;   /* the credits it holds (owned or the caller's) */
    smg_attribution *owned;
    uint64_t policy_serial;     /* the org's when built */
    int64_t first;              /* year * 12 + month - 1 of the first month */
    size_t nmonths, nm;
    /* one period per month: acc[] (nm + 1 slots, .open = what is open at
     * the month's start) and the month's credited deals (IN_CUR) */
    period *months;
    /* the pass's state at the log's end (an append is counted from there),
     * and whether a failed update left the months half done (the next
     * update rebuilds) */
    smgi_kpi_tail tail;
    int broken;
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

/* 1 when the period's three ranges are whole months: the index answers it
 * (kpi.h). */
int smgi_kpi_index_covers(const period *p)
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
int smgi_kpi_from_index(const smg_kpi_index *ix, const smg_allocator *al, period *p,
                        int32_t only)
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
            ovf |= smgi_kpi_parts_add(&p->acc[s], &t);
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
                size_t e;
                if (!m->nentries) /* no deal that month: its arrays are NULL */
                    continue;
                if (only >= 0) {
                    for (e = 0; e < m->nentries; e++)
                        if (m->e_slot[e] == only) {
                            p->e_key[p->nentries] = m->e_key[e];
                            p->e_slot[p->nentries] = only;
                            p->e_bits[p->nentries++] = (uint8_t)(r ? IN_PREV : IN_CUR);
                        }
                    continue;
                }
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
        smgi_kpi_period_free(&al, &ix->months[k]);
    smgi_free(&al, ix->months);
    smgi_kpi_tail_free(&al, &ix->tail);
    smg_attribution_free(ix->owned);
    smgi_free(&al, ix);
}

int smg_kpi_index_options_init(smg_kpi_index_options *opts, unsigned version)
{
    smg_kpi_index_options init = SMG_KPI_INDEX_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_KPI_INDEX_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

int smgi_kpi_index_usable(smg_org *org, const smg_kpi_index *ix, const smg_attribution *given,
                          const smg_attribution **a)
{
    if (ix->org != org || ix->generation != org->generation)
        return smgi_err(org, SMG_EINVAL, "the KPI index is out of date or of another "
                                         "org; build it again");
    if (given && given != ix->a)
        return smgi_err(org, SMG_EINVAL, "the options' attribution result is not the "
                                         "one the KPI index was built from");
    *a = ix->a;
    return 0;
}

/* Months [k0, n) of the index whose first month starts on day `day`:
 * their ranges (no previous period, no year earlier). */
static void set_months(period *months, smg_date day, size_t k0, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++) {
        period *p = &months[k];
        int r;
        if (k < k0) {
            day = smgi_next_month_start(day);
            continue;
        }
        p->range[0][0] = day;
        day = smgi_next_month_start(day);
        p->range[0][1] = day - 1;
        for (r = 1; r < 3; r++) {
            p->range[r][0] = p->range[0][0];
            p->range[r][1] = p->range[0][0] - 1;
        }
    }
}

int smg_kpi_index_build(smg_kpi_index **out, smg_org *org, const smg_kpi_index_options *opts)
{
    const smg_kpi_index_options defaults = SMG_KPI_INDEX_OPTIONS_INIT;
    const smgi_events *E;
    const smg_attribution *a;
    smg_kpi_index *ix;
    int rc;
    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!opts)
        opts = &defaults;
    if (opts->version != SMG_KPI_INDEX_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "unknown smg_kpi_index_options version %u",
                        opts->version);
    if (opts->as_member)
        return smgi_err(org, SMG_EINVAL,
                        "kpi index: as_member must be NULL (the index holds every member's "
                        "figures; give as_member to each query instead)");
    a = opts->attribution;
    E = &org->events;
    ix = smgi_calloc(&org->alloc, 1, sizeof *ix);
    if (!ix)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    ix->alloc = org->alloc;
    ix->org = org;
    ix->generation = org->generation;
    ix->policy_serial = org->policy_serial;
    ix->nm = org->members.ids.count;
    if ((rc = smgi_attribution_get(org, a, SMG_TIME_NONE, &ix->a, &ix->owned)))
        goto fail;
    if (ix->owned) /* its tables are never read: its updates keep the rows only */
        smgi_attribution_lean(ix->owned);
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
        set_months(ix->months, smgi_month_start(smgi_day_of(E->at[0])), 0, ix->nmonths);
        if ((rc = smgi_kpi_aggregate_tail(org, ix->a, ix->months, ix->nmonths, &ix->tail)))
            goto fail;
    }
    *out = ix;
    return 0;
fail:
    smg_kpi_index_free(ix);
    return rc;
}


/* The index as smg_kpi_index_build() would make it now, into *ix (its
 * attribution kept): 0 or an error, *ix unchanged on failure. */
static int rebuild(smg_kpi_index *ix, smg_org *org)
{
    smg_kpi_index_options o = SMG_KPI_INDEX_OPTIONS_INIT;
    smg_kpi_index *t, tmp;
    int rc;
    o.attribution = ix->a;
    if ((rc = smg_kpi_index_build(&t, org, &o)))
        return rc;
    t->owned = ix->owned;
    tmp = *ix;
    *ix = *t;
    tmp.owned = NULL;
    *t = tmp;
    smg_kpi_index_free(t);
    return 0;
}

/* Count the events appended since the index's state (at ix->tail.pos, the
 * old end of the log, which nothing before moved) into the months they
 * fall in: the last month is added to, new months are counted. On failure
 * the index is marked broken (its months half counted). */
static int count_appended(smg_kpi_index *ix, smg_org *org, size_t n)
{
    const smgi_events *E = &org->events;
    size_t k0, k;
    int rc;
    if (ix->tail.pos >= E->count)
        return 0;
    k0 = (size_t)(smgi_month_index(smgi_day_of(E->at[ix->tail.pos])) - ix->first);
    if (n > ix->nmonths) {
        period *m = ix->months;
        size_t c = ix->nmonths;
        if (SMGI_GROW(&ix->alloc, m, c, n))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        memset(m + ix->nmonths, 0, (n - ix->nmonths) * sizeof *m);
        set_months(m, smgi_month_start(smgi_day_of(E->at[0])), ix->nmonths, n);
        ix->months = m;
        for (k = ix->nmonths; k < n; k++) /* no deal yet: no entries, no acc */
            memset(&m[k].acc, 0, sizeof m[k].acc);
        ix->nmonths = n;
    }
    if ((rc = smgi_kpi_aggregate_tail(org, ix->a, ix->months + k0, n - k0, &ix->tail)))
        ix->broken = 1;
    return rc;
}

int smg_kpi_index_update(smg_kpi_index *ix, smg_org *org)
{
    const smgi_events *E;
    smgi_attribution_view v;
    smgi_kpi_tail tail;
    uint64_t base;
    size_t from, k0, n, k;
    int64_t first;
    period *months;
    int rc;
    if (!ix || !org)
        return SMG_EINVAL;
    if (ix->org != org)
        return smgi_err(org, SMG_EINVAL, "kpi index update: the index is of another org");
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (ix->generation == org->generation && ix->policy_serial == org->policy_serial)
        return 0;
    if (ix->owned && (rc = smg_attribution_update(ix->owned, org)))
        return rc;
    if (smgi_attribution_view_of(ix->a, org, &v))
        return smgi_err(org, SMG_EINVAL, "kpi index update: its attribution result is out of "
                                         "date; update it first (smg_attribution_update)");
    E = &org->events;
    smgi_attribution_changes(ix->a, &base, &from);
    /* only what the attribution's update and the new events touch: the
     * months from the first of them on */
    if (ix->broken || base != ix->generation || ix->policy_serial != org->policy_serial ||
        smgi_touched_since(org, ix->generation) != INT64_MAX ||
        ix->nm != org->members.ids.count || !ix->nmonths || !E->count ||
        smgi_month_index(smgi_day_of(E->at[0])) != ix->first || from == 0)
        return rebuild(ix, org);
    n = (size_t)(smgi_month_index(smgi_day_of(E->at[E->count - 1])) - ix->first + 1);
    if (n > ((size_t)16 * E->count + ((size_t)1 << 20)) / (ix->nm + 1))
        return rebuild(ix, org); /* the same refusal as a build */
    if (ix->tail.seen && from >= ix->tail.pos) {
        /* no row before the old end changed: add the new events */
        if ((rc = count_appended(ix, org, n)))
            return rc;
        ix->generation = org->generation;
        return 0;
    }
    first = from < E->count ? smgi_month_index(smgi_day_of(E->at[from])) : ix->first + (int64_t)n;
    k0 = (size_t)(first - ix->first);
    if (k0 > ix->nmonths)
        k0 = ix->nmonths;
    months = smgi_calloc(&org->alloc, n, sizeof *months);
    if (!months)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    set_months(months, smgi_month_start(smgi_day_of(E->at[0])), k0, n);
    memset(&tail, 0, sizeof tail);
    if (k0 < n && (rc = smgi_kpi_aggregate_tail(org, ix->a, months + k0, n - k0, &tail))) {
        for (k = k0; k < n; k++)
            smgi_kpi_period_free(&org->alloc, &months[k]);
        smgi_free(&org->alloc, months);
        smgi_kpi_tail_free(&org->alloc, &tail);
        return rc;
    }
    /* the months before k0 move over as they are */
    memcpy(months, ix->months, k0 * sizeof *months);
    for (k = k0; k < ix->nmonths; k++)
        smgi_kpi_period_free(&ix->alloc, &ix->months[k]);
    smgi_free(&ix->alloc, ix->months);
    ix->months = months;
    ix->nmonths = n;
    smgi_kpi_tail_free(&ix->alloc, &ix->tail);
    ix->tail = tail; /* none when no month was counted again: the next append rebuilds */
    ix->generation = org->generation;
    ix->policy_serial = org->policy_serial;
    return 0;
}
