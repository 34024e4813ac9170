/* The credited deals of an attribution result, in log order (credits.h). */
#include "credits.h"

#include "attribution.h"
#include "calendar.h"
#include "events.h"

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

int smgi_credits_by_deal(int32_t **credited, size_t *limit, const smg_attribution *a,
                         const smg_org *org)
{
    const smgi_events *E = &org->events;
    smgi_attribution_view v;
    size_t nd = org->deals.ids.count, r;
    smg_time until;
    int32_t *c;
    *credited = NULL;
    if (smgi_attribution_view_of(a, org, &v))
        return SMG_EINVAL;
    c = smgi_malloc(&org->alloc, (nd ? nd : 1) * sizeof *c);
    if (!c)
        return SMG_ENOMEM;
    for (r = 0; r < nd; r++)
        c[r] = SMGI_UNCOVERED;
    for (r = 0; r < v.ndeals; r++)
        c[E->arg[v.deal_pos[r]]] = v.credited[r];
    until = smgi_attribution_until(a);
    *limit = until == SMG_TIME_NONE ? E->count : smgi_log_lower_bound(E, until);
    *credited = c;
    return 0;
}

int smgi_attribution_get(smg_org *org, const smg_attribution *given, smg_time until,
                         const smg_attribution **a, smg_attribution **owned)
{
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
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
    ao.until = until;
    rc = smg_attribution_compute(owned, org, &ao);
    if (rc)
        return rc; /* message already on the org */
    *a = *owned;
    return 0;
}
