/* Internal view of an attribution result for the other engines (tiers,
 * visits, kpi, pay, rotation, the visibility scopes). */
#ifndef SMGI_ATTRIBUTION_H
#define SMGI_ATTRIBUTION_H

#include <stdint.h>
#include "salesmgmt/attribution.h"

/* The member responsible for attribution key `key` on day `day`: its
 * protector on that day, else the member last credited with one of its
 * deals up to that day; -1 when none. These three take any key: a key a
 * link merged into another is read as the merged key (the end of the
 * replay's). */
long smgi_attribution_responsible(const smg_attribution *a, size_t key, smg_date day);

/* The protector of key `key` at the end of the replay, or -1. */
long smgi_attribution_holder(const smg_attribution *a, size_t key);

/* The same, and its last protected day in *through (set only when the key
 * is protected). Whatever as_member the result was computed with. */
long smgi_attribution_protection(const smg_attribution *a, size_t key, smg_date *through);

/* The `until` option the result was computed with (SMG_TIME_NONE: the
 * whole log). */
smg_time smgi_attribution_until(const smg_attribution *a);

/* The rows of a result as arrays, for the engines that read all of them
 * in one pass (kpi, pay): deals and accepted registrations in time order,
 * named by their position in the sorted log. Valid while the result is. */
typedef struct smgi_attribution_view {
    size_t ndeals;
    const uint32_t *deal_pos;  /* sorted log position of each deal row */
    const int32_t *credited;   /* credited member, -1 = the company */
    size_t nregs;
    const uint32_t *reg_pos;   /* sorted log position of each registration */
    const uint8_t *reg_ontime; /* followed up in time (R3) */
    /* links (RULES.md §8), NULL when the replay met none: */
    const int32_t *deal_key;   /* each deal row's key at the deal (else the customer's) */
    const int32_t *key_root;   /* each key's merged key at the end (else itself) */
} smgi_attribution_view;

/* What the last smg_attribution_update() of `a` changed: the generation
 * of the state it started from (UINT64_MAX: none, a fresh result) and the first
 * log position from which rows may differ from that state (0: any). */
void smgi_attribution_changes(const smg_attribution *a, uint64_t *base_gen, size_t *from);

/* From now on, smg_attribution_update() of `a` (a result no caller reads
 * the tables of: the KPI index's own) keeps only what the engines read
 * current — the deal and registration rows and the keys — and skips the
 * end-of-log settle's notices and the ordered tables. */
void smgi_attribution_lean(smg_attribution *a);

/* Fill *v; 0, or SMG_EINVAL when the result is not of this org's current
 * state (another org, or the org changed since the run). */
int smgi_attribution_view_of(const smg_attribution *a, const smg_org *org,
                             smgi_attribution_view *v);

#endif
