/* Internal parts shared by the KPI (kpi.c) and pay (pay.c) engines:
 * visibility scopes, walking the credited deals of an attribution result
 * in step with the sorted log, and the sales targets of every subject. */
#ifndef SMGI_KPI_H
#define SMGI_KPI_H

#include <stdint.h>

#include "salesmgmt/kpi.h"
#include "salesmgmt/pay.h"
#include "org.h"
#include "scope.h"

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

/* The attribution result of a query: the caller's (checked for the right
 * version of the org as far as it can be) or one run now (*owned set). */
int smgi_attribution_get(smg_org *org, const smg_attribution *given,
                         const smg_attribution **a, smg_attribution **owned);

/* ---- targets ----
 * The sales_amount targets of [from, to] (RULES.md §2) for every member
 * (member[], member_null[]), and when team is not NULL for every team and
 * the company: a team's own target, or, when it has none, the sum of its
 * direct members' and child teams' (so derived) targets; null when none of
 * them has one. Likewise the company: its own, else the sum of the root
 * teams'. 0, SMG_ERANGE, SMG_ENOMEM (message on the org). */
int smgi_sales_targets(smg_org *org, smg_date from, smg_date to, int64_t *member,
                       uint8_t *member_null, int64_t *team, uint8_t *team_null,
                       int64_t *company, int *company_null);

#endif
