/**
 * @file salesmgmt/policy.h
 * @brief Every rule parameter of RULES.md §7, by name, with defaults and ranges.
 *
 * Names are as in RULES.md §7 ("attribution.protect_days", "tier.vip_min",
 * ...). Values are text in the same form as in policy.conf: integers,
 * decimals ("0.70"), money ("1000000.00"), words ("pareto", "none"), day
 * sets ("mon,tue,wed") and dates. An unknown name or an out-of-range value
 * is an error whose message names the parameter and the accepted range.
 */
#ifndef SMG_POLICY_H
#define SMG_POLICY_H

#include "org.h"

SMG_BEGIN_DECLS

/**
 * Set one parameter. "calendar.holiday" and "calendar.workday" add a date
 * each time (the value "none" clears the list). Limits that tie several
 * parameters together (weights summing to 1, non-increasing thresholds) are
 * checked by smg_policy_check() and by every computation.
 * @return 0, SMG_ENOTFOUND (unknown name), SMG_EPARSE, SMG_ERANGE
 * @since 0.2.0
 */
SMG_API int smg_policy_set(smg_org *org, const char *name, const char *value);

/**
 * Current value of a parameter as text (lists comma-separated).
 * @return length of the value, SMG_ENOTFOUND, or SMG_ERANGE when @p len is
 *         too small (the value is then truncated)
 * @since 0.2.0
 */
SMG_API int smg_policy_get(const smg_org *org, const char *name, char *buf, size_t len);

/** Name of parameter @p i (0-based), or NULL past the last. @since 0.2.0 */
SMG_API const char *smg_policy_name(size_t i);

/** Check the limits that tie parameters together. @since 0.2.0 */
SMG_API int smg_policy_check(smg_org *org);

/**
 * Read a policy.conf file ("name = value" lines, '#' comments, blank lines).
 * All or nothing: on any error (every one is reported as FILE:LINE: ...)
 * the policy is unchanged.
 * @since 0.2.0
 */
SMG_API int smg_policy_load(smg_org *org, const char *path);

/** Reset every parameter to its default. @since 0.2.0 */
SMG_API void smg_policy_reset(smg_org *org);

SMG_END_DECLS

#endif /* SMG_POLICY_H */
