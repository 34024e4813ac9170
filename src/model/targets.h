/* Derived targets (RULES.md §2) for the other engines (kpi, pay): the
 * month and day parts of a target and the target of a subject over any
 * range of days. Everything is derived on demand from the stored targets
 * and the current policy (working days), by the exact largest-remainder
 * split of split.h. Errors are recorded on the org. */
#ifndef SMGI_TARGETS_H
#define SMGI_TARGETS_H

#include <stdint.h>
#include "org.h"

/* Check the staged targets (overlaps); on failure nothing is changed. */
int smgi_targets_commit(smg_org *org);
void smgi_targets_free(const smg_allocator *a, smgi_targets *t);
void smgi_profiles_free(const smg_allocator *a, smgi_profiles *p);

/* Target i's month parts: parts[k] for the k-th month of its period
 * (*n = 1, 3 or 12), by its profile's weights of those months (all equal
 * without a profile). 0 or SMG_ERANGE (every weight of those months zero). */
int smgi_target_months(smg_org *org, size_t i, int64_t parts[12], size_t *n);

/* The day parts of `amount` over the month starting on `first`:
 * parts[d] for day d+1, *ndays days. Split over the month's working days
 * under policy p; a month without a single working day is spread over all
 * its calendar days instead, so nothing is lost. */
int smgi_month_days(const smgi_policy *p, smg_date first, int64_t amount, int64_t parts[31],
                    int *ndays);

/* The part of target i that falls on days [from, to] (0 without overlap):
 * whole months of the target inside the range count with their month part,
 * other days with their day parts. */
int smgi_target_in(smg_org *org, size_t i, smg_date from, smg_date to, int64_t *out);

/* The target of a subject (an smg_subject_kind and the member or team
 * index; 0 for the company) and metric over [from, to]: the sum of
 * smgi_target_in() over its targets.
 * *is_null = 1 (and *amount = 0) when no target of that subject and metric
 * overlaps the range. 0, SMG_ERANGE (a split failed, the sum overflows). */
int smgi_target_amount(smg_org *org, int kind, int32_t subject, int metric, smg_date from,
                       smg_date to, int64_t *amount, int *is_null);

/* The sales_amount targets of [from, to] (RULES.md §2) for every member
 * (member[], member_null[]), and when team is not NULL for every team and
 * the company: a team's own target, or, when it has none, the sum of its
 * direct members' and child teams' (so derived) targets; null when none of
 * them has one. Likewise the company: its own, else the sum of the root
 * teams'. A member counts for its team at the end of day `to` (RULES.md §1,
 * moves over time): by the history `st` (stints.h) when given, else one
 * built here. 0, SMG_ERANGE, SMG_ENOMEM (message on the org). For the KPI
 * and pay engines (sales_targets.c). */
struct smgi_stints;
int smgi_sales_targets(smg_org *org, smg_date from, smg_date to, int64_t *member,
                       uint8_t *member_null, int64_t *team, uint8_t *team_null,
                       int64_t *company, int *company_null, const struct smgi_stints *st);

#endif
