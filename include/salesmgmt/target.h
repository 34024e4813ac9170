/**
 * @file salesmgmt/target.h
 * @brief Targets (销售目标) and seasonality profiles (RULES.md §2).
 */
#ifndef SMG_TARGET_H
#define SMG_TARGET_H

#include "org.h"

SMG_BEGIN_DECLS

/** Target metrics. Values are stable; new metrics are appended. */
typedef enum smg_metric {
    SMG_METRIC_SALES_AMOUNT = 0,
    SMG_METRIC_GROSS_PROFIT = 1,
    SMG_METRIC_DEAL_COUNT = 2,
    SMG_METRIC_NEW_CUSTOMERS = 3,
    SMG_METRIC_VISITS = 4,
    SMG_METRIC_COLLECTIONS = 5
} smg_metric;

/** Parse "sales_amount", "gross_profit", ... @since 0.1.0 */
SMG_API int smg_metric_parse(smg_metric *out, const char *s);
/** Name of a metric, or NULL. @since 0.1.0 */
SMG_API const char *smg_metric_name(smg_metric m);
/** 1 if the metric is money (amounts in minor units), 0 if a count. @since 0.1.0 */
SMG_API int smg_metric_is_money(smg_metric m);

/**
 * Define seasonality profile @p name by twelve non-negative monthly weights
 * in millionths (1.0 = 1000000). All zero is an error (SMG_ERANGE).
 * Redefining a name is SMG_EEXISTS.
 * @since 0.1.0
 */
SMG_API int smg_profile_add(smg_org *org, const char *name, const int64_t weights[12]);

/**
 * Add a target. @p subject is "member:ID", "team:ID" or "company";
 * @p period is "YYYY", "YYYY-Qn" or "YYYY-MM"; @p amount is in minor units
 * for money metrics and a plain count otherwise; @p profile names a profile
 * (NULL or "" = all months equal). Two targets of one subject and metric
 * whose periods overlap are an error at commit, naming both.
 * @since 0.1.0
 */
SMG_API int smg_target_add(smg_org *org, const char *subject, smg_metric metric,
                           const char *period, int64_t amount, const char *profile);

/**
 * The target of @p subject ("member:ID", "team:ID" or "company") for
 * @p metric over @p period ("YYYY", "YYYY-Qn", "YYYY-MM" or "FROM..TO",
 * e.g. a week): the sum, over that subject's targets of that metric, of
 * the derived daily targets that fall in the period.
 *
 * Derivation (RULES.md §2): a yearly or quarterly target is split into
 * months by its profile's weights of those months, a month into its
 * working days (calendar.* policy), both by the exact largest-remainder
 * method (ties: the earlier month or day). A month without any working day
 * is spread over all its calendar days. A whole month inside the period
 * counts with its month part, so a month query equals the month's split.
 * The targets of a team are its own; they are not summed from its members.
 *
 * @param amount   receives the target (minor units or a count); 0 with no target
 * @param is_null  receives 1 when no target of the subject and metric
 *                 overlaps the period ("no target", distinct from 0), else 0
 * @return 0, SMG_EINVAL (NULL, unknown metric), SMG_EPARSE (subject or
 *         period malformed), SMG_ENOTFOUND (no such member or team),
 *         SMG_ERANGE (no such day, TO before FROM, the sum overflows),
 *         SMG_ESTATE (inside an open batch); the message is on the org
 * @since 0.1.0
 */
SMG_API int smg_target_get(smg_org *org, const char *subject, smg_metric metric,
                           const char *period, int64_t *amount, int *is_null);

/** Team split gaps (分解差额) of one period. Opaque, read-only once built;
 *  it does not refer to the org. */
typedef struct smg_target_gaps smg_target_gaps;

/** The values of a row of smg_target_gaps. Values are stable; new ones are appended. */
typedef enum smg_gap_field {
    SMG_GAP_TARGET = 0,       /**< the subject's own target for the period */
    SMG_GAP_CHILDREN_SUM = 1, /**< sum of its direct child teams' and direct members' targets */
    SMG_GAP_GAP = 2           /**< own target − children sum */
} smg_gap_field;

/**
 * Compute, for @p period (as in smg_target_get()), one row per subject and
 * metric where the subject or one of its direct children has a target:
 * the company first (its children are the root teams), then every team in
 * index order (children: its direct child teams and its direct members);
 * metrics in smg_metric order within a subject.
 * @param out receives the result (NULL on failure); free with smg_target_gaps_free()
 * @return 0, SMG_EINVAL, SMG_EPARSE, SMG_ERANGE, SMG_ENOMEM, SMG_ESTATE
 * @since 0.1.0
 */
SMG_API int smg_target_gaps_compute(smg_org *org, const char *period, smg_target_gaps **out);

/** Free a result. NULL is accepted. @since 0.1.0 */
SMG_API void smg_target_gaps_free(smg_target_gaps *g);

/** Number of rows. @since 0.1.0 */
SMG_API size_t smg_target_gaps_count(const smg_target_gaps *g);

/**
 * The subject and metric of row @p row.
 * @param team   receives the team index (smg_team_id()), or -1 for the company
 * @param metric receives the metric
 * @return 0, or SMG_ERANGE for a bad row (SMG_EINVAL for NULL)
 * @since 0.1.0
 */
SMG_API int smg_target_gaps_row(const smg_target_gaps *g, size_t row, long *team,
                                smg_metric *metric);

/**
 * One value of row @p row. SMG_GAP_TARGET is null when the subject has no
 * target overlapping the period; SMG_GAP_CHILDREN_SUM is null when none of
 * its direct children has one (the sum is then 0); SMG_GAP_GAP is null
 * exactly when SMG_GAP_TARGET is.
 * @param value   receives the value (0 when null)
 * @param is_null receives 1 for null, else 0
 * @return 0, SMG_EINVAL (NULL, unknown field) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_target_gaps_get(const smg_target_gaps *g, size_t row, smg_gap_field field,
                                int64_t *value, int *is_null);

SMG_END_DECLS

#endif /* SMG_TARGET_H */
