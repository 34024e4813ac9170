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
#include "credits.h"
#include "events.h"
#include "fields.h"
#include "logsort.h"
#include "org.h"
#include "scope.h"

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

int smg_visits_options_init(smg_visits_options *opts, unsigned version)
{
    smg_visits_options init = SMG_VISITS_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_VISITS_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

struct smg_tiers {
    smg_allocator alloc;
    size_t count;       /* rows */
    uint32_t *rows;     /* the customer of each row; NULL: row i is customer i */
    int64_t *sales;     /* by customer */
    uint8_t *tier;      /* by customer */
    smg_period window;
    smg_tier_method method; /* SMG_TIER_METHOD_THRESHOLD / _PARETO */
};

typedef struct visit_row {
    int32_t customer, member; /* member: -1 = nobody */
    smg_date last, due;       /* last: SMG_DATE_NONE = never */
    uint8_t tier, overdue;
} visit_row;

struct smg_visits {
    smg_allocator alloc;
    size_t count;
    visit_row *rows;
    smg_date as_of;
};

/* ---- the window and the pass ---- */

int smg_tiers_window_as_of(smg_period *out, smg_date as_of)
{
    smg_date first, from;
    if (!out)
        return SMG_EINVAL;
    if (smg_date_split(as_of, NULL, NULL, NULL))
        return SMG_ERANGE;
    from = smgi_year_earlier(as_of) + 1;
    /* in year 1 the window starts on the first day there is */
    smg_date_make(&first, 1, 1, 1);
    if (from < first)
        from = first;
    out->kind = SMG_PERIOD_RANGE;
    out->from = from;
    out->to = as_of;
    return 0;
}

/* The method to use: the policy's for SMG_TIER_METHOD_POLICY. */
static int read_method(smg_org *org, const char *what, smg_tier_method m, smg_tier_method *out)
{
    switch (m) {
    case SMG_TIER_METHOD_POLICY:
        *out = org->policy.tier_method == SMGI_TIER_PARETO ? SMG_TIER_METHOD_PARETO
                                                            : SMG_TIER_METHOD_THRESHOLD;
        return 0;
    case SMG_TIER_METHOD_THRESHOLD:
    case SMG_TIER_METHOD_PARETO:
        *out = m;
        return 0;
    default:
        return smgi_err(org, SMG_EINVAL, "%s: unknown method %d", what, (int)m);
    }
}

/* The window of smg_tiers_options: a calendar year, or the range
 * smg_tiers_window_as_of() makes; nothing else. */
static int read_window(smg_org *org, const smg_period *w)
{
    smg_period as_of;
    if (w->kind == 0)
        return smgi_err(org, SMG_EINVAL, "tiers: the window is required");
    if (smg_period_check(w))
        return smgi_err(org, SMG_EINVAL, "tiers: the window is not a valid period");
    if (w->kind == SMG_PERIOD_YEAR)
        return 0;
    if (w->kind == SMG_PERIOD_RANGE && !smg_tiers_window_as_of(&as_of, w->to) &&
        as_of.from == w->from)
        return 0;
    return smgi_err(org, SMG_EINVAL, "tiers: the window must be a calendar year or the 12 "
                    "months ending on a day (smg_tiers_window_as_of())");
}

/* Sum the deals of days [from, to], less the refunds of those days, into
 * sales[] (zeroed by the caller);
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
        } else if (type[i] == SMG_EV_REFUND) {
            /* net of the refunds dated in the window (RULES.md §8), of
             * deals in it or before it; the net may be negative: it is
             * kept as it is, and tiers below every threshold (they are
             * >= 0), and Pareto ranks only customers above 0 */
            int32_t c = cust[org->deals.event[smgi_refund_deal(org, i)]];
            if (__builtin_sub_overflow(sales[c], smgi_event_amount(org, i), &sales[c])) {
                char w[300];
                smgi_event_where(org, i, w, sizeof w);
                return smgi_err(org, SMG_ERANGE, "%s: the annual sales of customer \"%s\" "
                                "overflow", w, smgi_strtab_get(&org->customers.ids, (size_t)c));
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
    smgi_free(&a, t->rows);
    smgi_free(&a, t->sales);
    smgi_free(&a, t->tier);
    smgi_free(&a, t);
}

int smg_tiers_compute(smg_tiers **out, smg_org *org, const smg_tiers_options *opts)
{
    const smg_allocator *a;
    const smg_attribution *attr = NULL;
    smg_attribution *owned = NULL;
    smgi_scope sc;
    smg_tiers *t = NULL;
    size_t n, i;
    int rc;
    smg_tier_method method = SMG_TIER_METHOD_THRESHOLD;

    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!opts)
        return smgi_err(org, SMG_EINVAL, "tiers: options are required (the window)");
    if (opts->version != SMG_TIERS_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "tiers: unknown smg_tiers_options version %u",
                        opts->version);
    if ((rc = read_method(org, "tiers", opts->method, &method)) ||
        (rc = read_window(org, &opts->window)))
        return rc;
    if ((rc = smgi_scope_init(org, opts->as_member, &sc)))
        return rc;
    a = &org->alloc;
    /* visibility only leaves rows out: the keys the member sees, from the
     * given attribution or one over the whole log (none with full rights) */
    if (!sc.full && ((rc = smgi_attribution_get(org, opts->attribution, SMG_TIME_NONE, &attr,
                                           &owned)) ||
                     (rc = smgi_scope_keys(org, &sc, attr))))
        goto done;
    n = org->customers.ids.count;
    t = smgi_calloc(a, 1, sizeof *t);
    if (!t) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    t->alloc = *a;
    t->window = opts->window;
    t->method = method;
    t->sales = smgi_calloc(a, n ? n : 1, sizeof *t->sales);
    t->tier = smgi_malloc(a, n ? n : 1);
    if (!sc.full)
        t->rows = smgi_malloc(a, (n ? n : 1) * sizeof *t->rows);
    if (!t->sales || !t->tier || (!sc.full && !t->rows)) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = scan(org, opts->window.from, opts->window.to, t->sales, NULL)) ||
        (rc = assign(org, (int)method, n, t->sales, t->tier)))
        goto done;
    if (sc.full) {
        t->count = n;
    } else {
        for (i = 0; i < n; i++)
            if (smgi_scope_customer(org, &sc, i))
                t->rows[t->count++] = (uint32_t)i;
    }
done:
    smgi_scope_free(a, &sc);
    smg_attribution_free(owned);
    if (rc) {
        smg_tiers_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int smg_tiers_window(const smg_tiers *t, smg_period *out)
{
    if (!t || !out)
        return SMG_EINVAL;
    *out = t->window;
    return 0;
}

int smg_tiers_method(const smg_tiers *t, smg_tier_method *out)
{
    if (!t || !out)
        return SMG_EINVAL;
    *out = t->method;
    return 0;
}

/* -- the tiers table -- */

static const smgi_field tiers_fields[] = {
    { "customer", SMG_TYPE_INDEX },
    { "tier", SMG_TYPE_ENUM },
    { "annual_sales", SMG_TYPE_MONEY },
};

static size_t tiers_count(const void *r)
{
    return ((const smg_tiers *)r)->count;
}

static void tiers_value(const void *r, size_t row, int f, smgi_value *v)
{
    const smg_tiers *t = r;
    size_t c = t->rows ? (size_t)t->rows[row] : row;
    switch ((smg_tiers_field)f) {
    case SMG_TIERS_CUSTOMER: smgi_value_num(v, (int64_t)c, 0); break;
    case SMG_TIERS_TIER: smgi_value_num(v, t->tier[c], 0); break;
    case SMG_TIERS_SALES: smgi_value_num(v, t->sales[c], 0); break;
    }
}

static const smgi_table tiers_table = SMGI_TABLE(tiers_fields, tiers_count, NULL, tiers_value);

/* The public table getters, one line each (fields.h): smg_tiers_count,
 * smg_tiers_field_name, smg_tiers_field_type and the typed getters below. */
SMGI_TABLE_META(smg_tiers, smg_tiers, smg_tiers_field, tiers_table)
SMGI_TABLE_GET(smg_tiers, index, size_t, smg_tiers, smg_tiers_field, tiers_table)
SMGI_TABLE_GET(smg_tiers, int, int64_t, smg_tiers, smg_tiers_field, tiers_table)

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

int smg_visits_compute(smg_visits **out, smg_org *org, const smg_visits_options *opts)
{
    const smg_allocator *a;
    const smg_attribution *attr = NULL;
    smg_attribution *owned = NULL;
    const int *cadence;
    smgi_scope sc;
    smg_visits *v = NULL;
    int64_t *sales = NULL;
    smg_time *last = NULL;
    uint8_t *tier = NULL;
    size_t n, i, nrows = 0;
    int rc;
    smg_tier_method method = SMG_TIER_METHOD_THRESHOLD;
    smg_period w;
    smg_date day;

    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)))
        return rc;
    if (!opts)
        return smgi_err(org, SMG_EINVAL, "visits: options are required (as_of)");
    if (opts->version != SMG_VISITS_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "visits: unknown smg_visits_options version %u",
                        opts->version);
    if ((rc = read_method(org, "visits", opts->method, &method)))
        return rc;
    if (opts->as_of == SMG_DATE_NONE)
        return smgi_err(org, SMG_EINVAL, "visits: as_of is required");
    if (smg_tiers_window_as_of(&w, opts->as_of))
        return smgi_err(org, SMG_ERANGE, "visits: as_of is outside years 1-9999");
    day = opts->as_of;
    if ((rc = smgi_scope_init(org, opts->as_member, &sc)))
        return rc;
    a = &org->alloc;
    /* the state as of the day: the events before the start of the next
     * day (a time is seconds since 1970-01-01, a date days since then) */
    if ((rc = smgi_attribution_get(org, opts->attribution, ((smg_time)day + 1) * 86400, &attr,
                              &owned)) ||
        (rc = smgi_scope_keys(org, &sc, attr)))
        goto done;
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
    v->as_of = day;
    for (i = 0; i < n; i++)
        last[i] = NO_TIME;
    if ((rc = scan(org, w.from, day, sales, last)) ||
        (rc = assign(org, (int)method, n, sales, tier)))
        goto done;
    for (i = 0; i < n; i++)
        nrows += cadence[tier[i]] > 0 && smgi_scope_customer(org, &sc, i);
    v->rows = smgi_malloc(a, (nrows ? nrows : 1) * sizeof *v->rows);
    if (!v->rows) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        visit_row *r;
        int months = cadence[tier[i]];
        if (months <= 0 || !smgi_scope_customer(org, &sc, i))
            continue;
        r = &v->rows[v->count++];
        r->customer = (int32_t)i;
        r->tier = tier[i];
        r->last = last[i] == NO_TIME ? SMG_DATE_NONE : smg_time_day(last[i]);
        if (r->last == SMG_DATE_NONE)
            r->due = w.from; /* never visited: due since the window opened */
        else if (smg_date_add_months(&r->due, r->last, months)) {
            rc = smgi_err(org, SMG_ERANGE, "visits: the next visit of customer \"%s\" would "
                          "be due after 9999-12-31",
                          smgi_strtab_get(&org->customers.ids, i));
            goto done;
        }
        r->overdue = r->due < day;
        r->member = (int32_t)smgi_attribution_responsible(
            attr, (size_t)org->customers.key[i], day);
    }
    if (v->count > 1)
        qsort(v->rows, v->count, sizeof *v->rows, row_cmp);
done:
    smgi_free(a, sales);
    smgi_free(a, last);
    smgi_free(a, tier);
    smgi_scope_free(a, &sc);
    smg_attribution_free(owned);
    if (rc) {
        /* through the org's allocator: v->alloc is set only on success */
        if (v)
            smgi_free(a, v->rows);
        smgi_free(a, v);
        return rc;
    }
    v->alloc = *a;
    *out = v;
    return 0;
}

int smg_visits_as_of(const smg_visits *v, smg_date *out)
{
    if (!v || !out)
        return SMG_EINVAL;
    *out = v->as_of;
    return 0;
}

/* -- the visits table -- */

static const smgi_field visits_fields[] = {
    { "customer", SMG_TYPE_INDEX },
    { "tier", SMG_TYPE_ENUM },
    { "last_visit", SMG_TYPE_DATE },
    { "due", SMG_TYPE_DATE },
    { "overdue", SMG_TYPE_BOOL },
    { "member", SMG_TYPE_INDEX },
};

static size_t visits_count(const void *r)
{
    return ((const smg_visits *)r)->count;
}

static void visits_value(const void *r, size_t row, int f, smgi_value *v)
{
    const visit_row *x = &((const smg_visits *)r)->rows[row];
    switch ((smg_visits_field)f) {
    case SMG_VISITS_CUSTOMER: smgi_value_num(v, x->customer, 0); break;
    case SMG_VISITS_TIER: smgi_value_num(v, x->tier, 0); break;
    case SMG_VISITS_LAST_VISIT: smgi_value_or_none(v, x->last, SMG_DATE_NONE); break;
    case SMG_VISITS_DUE: smgi_value_num(v, x->due, 0); break;
    case SMG_VISITS_OVERDUE: smgi_value_num(v, x->overdue, 0); break;
    case SMG_VISITS_MEMBER: smgi_value_index(v, x->member); break;
    }
}

static const smgi_table visits_table = SMGI_TABLE(visits_fields, visits_count, NULL,
                                                  visits_value);

/* The public table getters, one line each (fields.h): smg_visits_count,
 * smg_visits_field_name, smg_visits_field_type and the typed getters below. */
SMGI_TABLE_META(smg_visits, smg_visits, smg_visits_field, visits_table)
SMGI_TABLE_GET(smg_visits, index, size_t, smg_visits, smg_visits_field, visits_table)
SMGI_TABLE_GET(smg_visits, int, int64_t, smg_visits, smg_visits_field, visits_table)
