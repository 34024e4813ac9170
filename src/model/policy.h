/* Rule parameters (RULES.md §7), typed. Rates, shares and weights are
 * fixed-point millionths (0.70 → 700000) so pay stays exact. */
#ifndef SMGI_POLICY_H
#define SMGI_POLICY_H

#include <stdint.h>
#include "salesmgmt/common.h"

#define SMGI_MILLION 1000000

enum { SMGI_TIER_THRESHOLD = 0, SMGI_TIER_PARETO = 1 };
enum { SMGI_TIER_VIP = 0, SMGI_TIER_1 = 1, SMGI_TIER_2 = 2, SMGI_TIER_OTHER = 3 };

typedef struct smgi_policy {
    int protect_days, claim_days, first_followup_days;
    /* the public pool (RULES.md §8); 0 = off */
    int max_hold_days, max_protected, reclaim_days;
    int tier_method;
    smg_money vip_min, tier1_min, tier2_min;
    int64_t pareto_vip, pareto_tier1;      /* millionths */
    int visit_months[4];                   /* by SMGI_TIER_*; 0 = none */
    int64_t work_weight, attendance_weight;/* millionths */
    int64_t absence_penalty;               /* points per day */
    int64_t base_share, completion_share, work_share; /* millionths */
    int64_t completion_cap;                /* millionths; -1 = none */
    int64_t overplan_rate;                 /* millionths */
    unsigned workdays;                     /* bit 0 = Monday … bit 6 = Sunday */
    smg_date *holidays, *extra_workdays;   /* sorted, distinct */
    size_t nholidays, holidays_cap, nextra, extra_cap;
} smgi_policy;

void smgi_policy_defaults(smgi_policy *p);
void smgi_policy_free(const smg_allocator *a, smgi_policy *p);
/* A deep copy of src into dst (which owns nothing yet): 0 or SMG_ENOMEM. */
int smgi_policy_copy(const smg_allocator *a, smgi_policy *dst, const smgi_policy *src);
/* 1 if day d is a working day under p. */
int smgi_policy_is_workday(const smgi_policy *p, smg_date d);

#endif
