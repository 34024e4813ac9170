/* The credited deals of an attribution result, for the engines that read
 * them in one pass over the sorted log (kpi, pay): a cursor that walks the
 * deal rows in step with the deal events, and the attribution result of a
 * query (the caller's, checked, or one run now). */
#ifndef SMGI_CREDITS_H
#define SMGI_CREDITS_H

#include <stdint.h>

#include "salesmgmt/attribution.h"
#include "org.h"

/* ---- credited deals in log order ----
 * The deal rows of an attribution result are in log order, so a cursor
 * walks them in step with the deal events of the sorted log. */
typedef struct smgi_credits {
    const uint32_t *pos;      /* sorted log position of each deal row */
    const int32_t *credited;
    size_t row, nrows;
} smgi_credits;

#define SMGI_UNCOVERED (-2)       /* a deal after the attribution's horizon */
#define SMGI_MISMATCH INT64_MIN   /* the result does not match the log */

/* Start at the first deal row whose day is >= `day` (SMG_DATE_NONE: row 0).
 * 0, or SMG_EINVAL when `a` is not of org's current state. */
int smgi_credits_init(smgi_credits *c, const smg_attribution *a, const smg_org *org,
                      smg_date day);
/* The credited member of the deal event at sorted position i (-1 = the
 * company, SMGI_UNCOVERED), or SMGI_MISMATCH when the result does not
 * match the log (another org, or the org changed since). */
static inline int64_t smgi_credits_next(smgi_credits *c, size_t i)
{
    if (c->row >= c->nrows)
        return SMGI_UNCOVERED;
    if (c->pos[c->row] != i)
        return SMGI_MISMATCH;
    return c->credited[c->row++];
}

/* ---- credited deals by deal index (refunds, RULES.md §8) ----
 * A refund names its deal and comes after it, so it needs a random lookup
 * deal -> credited member; the engines build this only when they meet a
 * refund (a log without refunds pays nothing). *credited (allocated with
 * the org's allocator, one entry per deal) gets each deal's credited
 * member, -1 = the company, SMGI_UNCOVERED = not in the result (past its
 * horizon); *limit the first sorted log position past the horizon: a
 * refund there is not counted. 0, SMG_ENOMEM or SMG_EINVAL (the result is
 * not of org's current state); no message. */
int smgi_credits_by_deal(int32_t **credited, size_t *limit, const smg_attribution *a,
                         const smg_org *org);

/* The attribution result of a query: the caller's (checked for the right
 * version of the org as far as it can be) or one run now of the events
 * before `until` (SMG_TIME_NONE: the whole log; *owned set). 0 or an error
 * with its message on the org. For every engine that reads credits. */
int smgi_attribution_get(smg_org *org, const smg_attribution *given, smg_time until,
                         const smg_attribution **a, smg_attribution **owned);

#endif
