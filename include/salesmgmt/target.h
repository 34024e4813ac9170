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
SMG_API int smg_metric_parse(const char *s, smg_metric *out);
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

SMG_END_DECLS

#endif /* SMG_TARGET_H */
