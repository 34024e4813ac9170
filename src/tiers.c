/* Customer tiers and the visit list (RULES.md §3).
 *
 * Both are one pass over the sorted event log with flat per-customer
 * arrays (annual sales, last visit time): the window's events are found by
 * binary search on the times, and nothing is allocated per event. Pareto
 * tiering then sorts the customers with sales once. */
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/event.h"
#include "salesmgmt/tiers.h"
#include "attribution.h"
#include "calendar.h"
#include "events.h"
#include "logsort.h"
#include "org.h"

#include "arith.h"

typedef smgi_i128 i128;

#define NO_TIME INT64_MIN /* no visit yet */

static const char *const names_en[4] = { "vip", "tier1", "tier2", "other" };
static const char *const names_zh[4] = { "VIP", "一级", "二级", "其他" };

const char *smg_tier_name(smg_tier tier, const char *lang)
{
    if ((unsigned)tier > SMG_TIER_OTHER)
        return NULL;
    if (lang && lang[0] == 'z' && lang[1] == 'h')
        return names_zh[tier];
    return names_en[tier];
}

int smg_tiers_options_init(smg_tiers_options *opts, unsigned version)
{
    smg_tiers_options init = SMG_TIERS_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_TIERS_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

struct smg_tiers {
    smg_allocator alloc;
    size_t count;
    int64_t *sales;   /* by customer */
    uint8_t *tier;    /* by customer */
    smg_date from, to;
    int method;       /* SMG_TIER_METHOD_THRESHOLD / _PARETO */
};

typedef struct visit_row {
    int32_t customer, member;
    smg_date last, due;   /* last: SMG_DATE_NONE = never */
    uint8_t tier, overdue;
} visit_row;

struct smg_visits {
    smg_allocator alloc;
    size_t count;
    visit_row *rows;
    smg_date as_of;
};

/* ---- the window and the pass ---- */

/* Check the options; the window (inclusive days) and the method to use. */
static int read_options(smg_org *org, const smg_tiers_options *o, int need_as_of,
                        smg_date *from, smg_date *to, int *method)
{
    smg_date first;
    if (!o)
        return smgi_err(org, SMG_EINVAL, "tiers: options are required (the window)");
    if (o->version != SMG_TIERS_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "tiers: unknown smg_tiers_options version %u",
                        o->version);
    switch (o->method) {
    case SMG_TIER_METHOD_POLICY:
        *method = org->policy.tier_method == SMGI_TIER_PARETO ? SMG_TIER_METHOD_PARETO
                                                               : SMG_TIER_METHOD_THRESHOLD;
        break;
    case SMG_TIER_METHOD_THRESHOLD:
    case SMG_TIER_METHOD_PARETO:
        *method = (int)o->method;
        break;
    default:
        return smgi_err(org, SMG_EINVAL, "tiers: unknown method %d", (int)o->method);
    }
    if (o->as_of != SMG_DATE_NONE && o->year == 0) {
        if (smg_date_split(o->as_of, NULL, NULL, NULL))
            return smgi_err(org, SMG_ERANGE, "tiers: as_of is outside years 1-9999");
        *from = smgi_year_earlier(o->as_of) + 1;
        *to = o->as_of;
        /* in year 1 the window starts on the first day there is */
        smg_date_make(&first, 1, 1, 1);
        if (*from < first)
            *from = first;
        return 0;
    }
    if (need_as_of)
        return smgi_err(org, SMG_EINVAL, "visits: as_of is required, and year must be 0");
    if (o->as_of != SMG_DATE_NONE || o->year == 0)
        return smgi_err(org, SMG_EINVAL, "tiers: set exactly one of year and as_of");
    if (smg_date_make(from, o->year, 1, 1) || smg_date_make(to, o->year, 12, 31))
        return smgi_err(org, SMG_ERANGE, "tiers: year %d is outside 1-9999", o->year);
    return 0;
}

/* Sum the deals of days [from, to] into sales[] (zeroed by the caller);
 * with last != NULL also record in last[] the time of each customer's last
 * visit up to the end of `to` (from the start of the log). */
static int scan(smg_org *org, smg_date from, smg_date to, int64_t *sales, smg_time *last)
{
    const smgi_events *E = &org->events;
    const smg_time *at;
    const uint8_t *type;
    const int32_t *cust;
    size_t lo = smgi_log_lower_bound(E, (smg_time)from * 86400);
    size_t hi = smgi_log_lower_bound(E, ((smg_time)to + 1) * 86400), i;

    /* the columns taken after the calls: the compiler then knows that
     * type[i] is what smgi_event_amount() reads, and skips its switch */
    at = E->at;
    type = E->type;
    cust = E->customer;

    if (last)
        for (i = 0; i < lo; i++)
            if (type[i] == SMG_EV_VISIT)
                last[cust[i]] = at[i];
    for (i = lo; i < hi; i++) {
        if (type[i] == SMG_EV_DEAL) {
            int64_t *s = &sales[cust[i]];
            if (__builtin_add_overflow(*s, smgi_event_amount(org, i), s)) {
                char w[300];
                smgi_event_where(org, i, w, sizeof w);
                return smgi_err(org, SMG_ERANGE, "%s: the annual sales of customer \"%s\" "
                                "overflow", w,
                                smgi_strtab_get(&org->customers.ids, (size_t)cust[i]));
            }
        } else if (last && type[i] == SMG_EV_VISIT) {
            last[cust[i]] = at[i];
        }
    }
    return 0;
}

/* ---- tiering ---- */

/* Merge sort of customer indices by id bytes (a run of equal sales). */
static void sort_by_id(uint32_t *a, uint32_t *tmp, size_t n, const smgi_strtab *ids)
{
    size_t i, j, k, h;
    if (n < 16) {
        for (i = 1; i < n; i++) {
            uint32_t x = a[i];
            const char *xs = smgi_strtab_get(ids, x);
            for (j = i; j > 0 && strcmp(smgi_strtab_get(ids, a[j - 1]), xs) > 0; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return;
    }
    h = n / 2;
    sort_by_id(a, tmp, h, ids);
    sort_by_id(a + h, tmp, n - h, ids);
    for (i = 0, j = h, k = 0; i < h || j < n;)
        tmp[k++] = j >= n || (i < h && strcmp(smgi_strtab_get(ids, a[i]),
                                               smgi_strtab_get(ids, a[j])) <= 0)
                       ? a[i++]
                       : a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static int assign(smg_org *org, int method, size_t n, const int64_t *sales, uint8_t *tier)
{
    const smgi_policy *p = &org->policy;
    const smg_allocator *a = &org->alloc;
    size_t i, j, k = 0;
    uint64_t *key, *tk;
    uint32_t *idx, *ti;
    i128 total = 0, cum = 0;

    if (method == SMG_TIER_METHOD_THRESHOLD) {
        for (i = 0; i < n; i++) {
            int64_t s = sales[i];
            tier[i] = s >= p->vip_min     ? SMGI_TIER_VIP
                      : s >= p->tier1_min ? SMGI_TIER_1
                      : s >= p->tier2_min ? SMGI_TIER_2
                                          : SMGI_TIER_OTHER;
        }
        return 0;
    }
    /* Pareto: rank the customers with sales > 0, best first: key
     * INT64_MAX − sales ascending = sales descending; the stable sort keeps
     * equal sales in index order, then each run of equal sales is put in
     * id order. */
    for (i = 0; i < n; i++)
        k += sales[i] > 0;
    key = smgi_malloc(a, (k ? k : 1) * sizeof *key);
    tk = smgi_malloc(a, (k ? k : 1) * sizeof *tk);
    idx = smgi_malloc(a, (k ? k : 1) * sizeof *idx);
    ti = smgi_malloc(a, (k ? k : 1) * sizeof *ti);
    if (!key || !tk || !idx || !ti) {
        smgi_free(a, key), smgi_free(a, tk), smgi_free(a, idx), smgi_free(a, ti);
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    }
    for (i = 0, j = 0; i < n; i++) {
        tier[i] = SMGI_TIER_OTHER;
        if (sales[i] > 0) {
            key[j] = (uint64_t)(INT64_MAX - sales[i]);
            idx[j++] = (uint32_t)i;
            total += sales[i];
        }
    }
    smgi_radix_pairs(&key, &idx, &tk, &ti, k);
    for (i = 0; i < k; i = j) {
        for (j = i + 1; j < k && key[j] == key[i]; j++)
            ;
        if (j - i > 1)
            sort_by_id(idx + i, ti, j - i, &org->customers.ids);
    }
    /* share before < x  <=>  cum * 10^6 < x_millionths * total (exact) */
    for (i = 0; i < k; i++) {
        i128 lhs = cum * SMGI_MILLION;
        int64_t s = sales[idx[i]];
        tier[idx[i]] = lhs < (i128)p->pareto_vip * total     ? SMGI_TIER_VIP
                       : lhs < (i128)p->pareto_tier1 * total ? SMGI_TIER_1
                                                             : SMGI_TIER_2;
        cum += s;
    }
    smgi_free(a, key), smgi_free(a, tk), smgi_free(a, idx), smgi_free(a, ti);
    return 0;
}

void smg_tiers_free(smg_tiers *t)
{
    smg_allocator a;
    if (!t)
        return;
    a = t->alloc;
    smgi_free(&a, t->sales);
    smgi_free(&a, t->tier);
    smgi_free(&a, t);
}

/* Read-only queries refuse an open batch (its events are not sorted in)
 * and start with a fresh error list. */
static int query_begin(smg_org *org)
{
    if (org->in_batch)
        return SMG_ESTATE; /* leave the batch's errors alone */
    smgi_err_clear(org);
    return 0;
}

int smg_tiers_compute(smg_org *org, const smg_tiers_options *opts, smg_tiers **out)
{
    const smg_allocator *a;
    smg_tiers *t;
    size_t n;
    int rc, method = 0;
    smg_date from = 0, to = 0;

    if (!org || !out)
        return SMG_EINVAL;
    *out = NULL;
    if ((rc = query_begin(org)))
        return rc;
    if ((rc = read_options(org, opts, 0, &from, &to, &method)))
        return rc;
    a = &org->alloc;
    n = org->customers.ids.count;
    t = smgi_calloc(a, 1, sizeof *t);
    if (!t)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    t->alloc = *a;
    t->count = n;
    t->from = from;
    t->to = to;
    t->method = method;
    t->sales = smgi_calloc(a, n ? n : 1, sizeof *t->sales);
    t->tier = smgi_malloc(a, n ? n : 1);
    if (!t->sales || !t->tier)
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
    if (!rc)
        rc = scan(org, from, to, t->sales, NULL);
    if (!rc)
        rc = assign(org, method, n, t->sales, t->tier);
    if (rc) {
        smg_tiers_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

size_t smg_tiers_count(const smg_tiers *t)
{
    return t ? t->count : 0;
}

int smg_tiers_window(const smg_tiers *t, smg_date *from, smg_date *to)
{
    if (!t)
        return SMG_EINVAL;
    if (from)
        *from = t->from;
    if (to)
        *to = t->to;
    return 0;
}

int smg_tiers_method(const smg_tiers *t)
{
    return t ? t->method : SMG_EINVAL;
}

long smg_tiers_customer(const smg_tiers *t, size_t row)
{
    return t && row < t->count ? (long)row : -1;
}

int smg_tiers_tier(const smg_tiers *t, size_t row)
{
    return t && row < t->count ? (int)t->tier[row] : SMG_ERANGE;
}

smg_money smg_tiers_sales(const smg_tiers *t, size_t row)
{
    return t && row < t->count ? t->sales[row] : SMG_MONEY_NONE;
}

/* ---- visits ---- */

void smg_visits_free(smg_visits *v)
{
    smg_allocator a;
    if (!v)
        return;
    a = v->alloc;
    smgi_free(&a, v->rows);
    smgi_free(&a, v);
}

static int row_cmp(const void *pa, const void *pb)
{
    const visit_row *a = pa, *b = pb;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    return (a->customer > b->customer) - (a->customer < b->customer);
}

int smg_visits_compute(smg_org *org, const smg_tiers_options *opts, const smg_attribution *attr,
                       smg_visits **out)
{
    const smg_allocator *a;
    const int *cadence;
    smg_visits *v = NULL;
    int64_t *sales = NULL;
    smg_time *last = NULL;
    uint8_t *tier = NULL;
    size_t n, i, nrows = 0;
    int rc, method = 0;
    smg_date from = 0, day = 0;

    if (!org || !out)
        return SMG_EINVAL;
    *out = NULL;
    if ((rc = query_begin(org)))
        return rc;
    if ((rc = read_options(org, opts, 1, &from, &day, &method)))
        return rc;
    a = &org->alloc;
    n = org->customers.ids.count;
    cadence = org->policy.visit_months;
    sales = smgi_calloc(a, n ? n : 1, sizeof *sales);
    last = smgi_malloc(a, (n ? n : 1) * sizeof *last);
    tier = smgi_malloc(a, n ? n : 1);
    v = smgi_calloc(a, 1, sizeof *v);
    if (!sales || !last || !tier || !v) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    v->alloc = *a;
    v->as_of = day;
    for (i = 0; i < n; i++)
        last[i] = NO_TIME;
    if ((rc = scan(org, from, day, sales, last)) || (rc = assign(org, method, n, sales, tier)))
        goto done;
    for (i = 0; i < n; i++)
        nrows += cadence[tier[i]] > 0;
    v->rows = smgi_malloc(a, (nrows ? nrows : 1) * sizeof *v->rows);
    if (!v->rows) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        visit_row *r;
        int months = cadence[tier[i]];
        if (months <= 0)
            continue;
        r = &v->rows[v->count++];
        r->customer = (int32_t)i;
        r->tier = tier[i];
        r->last = last[i] == NO_TIME ? SMG_DATE_NONE : smg_time_day(last[i]);
        if (r->last == SMG_DATE_NONE)
            r->due = from; /* never visited: due since the window opened */
        else if (smg_date_add_months(&r->due, r->last, months)) {
            rc = smgi_err(org, SMG_ERANGE, "visits: the next visit of customer \"%s\" would "
                          "be due after 9999-12-31",
                          smgi_strtab_get(&org->customers.ids, i));
            goto done;
        }
        r->overdue = r->due < day;
        r->member = attr ? (int32_t)smgi_attribution_responsible(
                               attr, (size_t)org->customers.key[i], day)
                         : -1;
    }
    if (v->count > 1)
        qsort(v->rows, v->count, sizeof *v->rows, row_cmp);
done:
    smgi_free(a, sales);
    smgi_free(a, last);
    smgi_free(a, tier);
    if (rc) {
        smg_visits_free(v);
        return rc;
    }
    *out = v;
    return 0;
}

size_t smg_visits_count(const smg_visits *v)
{
    return v ? v->count : 0;
}

smg_date smg_visits_as_of(const smg_visits *v)
{
    return v ? v->as_of : SMG_DATE_NONE;
}

long smg_visits_customer(const smg_visits *v, size_t row)
{
    return v && row < v->count ? (long)v->rows[row].customer : -1;
}

int smg_visits_tier(const smg_visits *v, size_t row)
{
    return v && row < v->count ? (int)v->rows[row].tier : SMG_ERANGE;
}

smg_date smg_visits_last(const smg_visits *v, size_t row)
{
    return v && row < v->count ? v->rows[row].last : SMG_DATE_NONE;
}

smg_date smg_visits_due(const smg_visits *v, size_t row)
{
    return v && row < v->count ? v->rows[row].due : SMG_DATE_NONE;
}

int smg_visits_overdue(const smg_visits *v, size_t row)
{
    return v && row < v->count ? (int)v->rows[row].overdue : SMG_ERANGE;
}

long smg_visits_member(const smg_visits *v, size_t row)
{
    return v && row < v->count ? (long)v->rows[row].member : -1;
}
