/**
 * @file salesmgmt/tiers.h
 * @brief Customer tiers (客户分级) and visit cadence (拜访频率), RULES.md §3.
 *
 * Tiers are given per customer (customer id), not per attribution key:
 * the tiering rules speak of customers, and each customer record has its
 * own annual sales. Rows of the results are keyed by index; the customer
 * index of a row names the customer (smg_customer_id()).
 */
#ifndef SMG_TIERS_H
#define SMG_TIERS_H

#include "org.h"
#include "attribution.h"

SMG_BEGIN_DECLS

/** Customer tiers, highest first. Values are stable. */
typedef enum smg_tier {
    SMG_TIER_VIP = 0,   /**< vip (VIP) */
    SMG_TIER_1 = 1,     /**< tier1 (一级) */
    SMG_TIER_2 = 2,     /**< tier2 (二级) */
    SMG_TIER_OTHER = 3  /**< other (其他) */
} smg_tier;

/** How tiers are assigned. */
typedef enum smg_tier_method {
    SMG_TIER_METHOD_POLICY = 0,    /**< the policy's tier.method */
    SMG_TIER_METHOD_THRESHOLD = 1, /**< tier.vip_min / tier1_min / tier2_min */
    SMG_TIER_METHOD_PARETO = 2     /**< tier.pareto_vip / pareto_tier1 (二八原理) */
} smg_tier_method;

/**
 * The label of a tier: English "vip", "tier1", "tier2", "other" when
 * @p lang is NULL or anything not starting with "zh"; Chinese "VIP",
 * "一级", "二级", "其他" (UTF-8) for "zh", "zh_CN", "zh-TW", ...
 * @return a static string, or NULL for an unknown tier
 * @since 0.1.0
 */
SMG_API const char *smg_tier_name(smg_tier tier, const char *lang);

/** Version of smg_tiers_options understood by this library. */
#define SMG_TIERS_OPTIONS_VERSION 1

/**
 * Options of smg_tiers_compute() and smg_visits_compute(). Initialise with
 * SMG_TIERS_OPTIONS_INIT or smg_tiers_options_init(); fields are only ever
 * appended. Set exactly one of @c year and @c as_of (visits: @c as_of).
 * @since 0.1.0
 */
typedef struct smg_tiers_options {
    unsigned version;       /**< SMG_TIERS_OPTIONS_VERSION */
    smg_tier_method method; /**< SMG_TIER_METHOD_POLICY = the policy's method */
    int year;               /**< window = that calendar year; 0 = not set */
    smg_date as_of;         /**< window = (as_of − 1 year, as_of], 29 February
                                 one year back read as 28 February;
                                 SMG_DATE_NONE = not set */
} smg_tiers_options;

#define SMG_TIERS_OPTIONS_INIT { SMG_TIERS_OPTIONS_VERSION, SMG_TIER_METHOD_POLICY, 0, \
    SMG_DATE_NONE }

/**
 * Initialise @p opts as SMG_TIERS_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL or SMG_EVERSION
 * @since 0.1.0
 */
SMG_API int smg_tiers_options_init(smg_tiers_options *opts, unsigned version);

/** Tiers of every customer for one window. Opaque, read-only once built;
 *  it does not refer to the org. */
typedef struct smg_tiers smg_tiers;

/**
 * Tier every customer. A customer's annual sales is the sum of the amounts
 * (negative ones included) of the `deal` events of that customer whose day
 * falls in the window, whoever closed or was credited with them.
 *
 * - threshold: vip if sales >= tier.vip_min, else tier1 if >= tier1_min,
 *   else tier2 if >= tier2_min, else other (applied literally: with
 *   tier2_min = 0 a customer without sales is tier2).
 * - pareto: customers with sales > 0 sorted by sales, descending, ties by
 *   customer id (byte order); a customer whose cumulative share of the
 *   total *before* it is < pareto_vip is vip, < pareto_tier1 tier1, else
 *   tier2 (compared exactly in integers); sales <= 0 is other.
 *
 * @param opts required: the window (year or as_of) and the method
 * @param out  receives the result (NULL on failure); free with smg_tiers_free()
 * @return 0, SMG_EINVAL (NULL, neither or both of year and as_of, unknown
 *         method), SMG_EVERSION, SMG_ERANGE (year outside 1–9999, a sum
 *         that overflows), SMG_ENOMEM, SMG_ESTATE (inside an open batch)
 * @since 0.1.0
 */
SMG_API int smg_tiers_compute(smg_org *org, const smg_tiers_options *opts, smg_tiers **out);

/** Free a result. NULL is accepted. @since 0.1.0 */
SMG_API void smg_tiers_free(smg_tiers *t);

/** Number of rows: one per customer of the org, in customer index order
 *  (row i is customer i). @since 0.1.0 */
SMG_API size_t smg_tiers_count(const smg_tiers *t);

/** The window, both days inclusive. @return 0 or SMG_EINVAL @since 0.1.0 */
SMG_API int smg_tiers_window(const smg_tiers *t, smg_date *from, smg_date *to);

/** The method used: SMG_TIER_METHOD_THRESHOLD or SMG_TIER_METHOD_PARETO
 *  (SMG_EINVAL for NULL). @since 0.1.0 */
SMG_API int smg_tiers_method(const smg_tiers *t);

/** The customer index of row @p row, or -1 for a bad row. @since 0.1.0 */
SMG_API long smg_tiers_customer(const smg_tiers *t, size_t row);

/** The tier (an smg_tier) of row @p row, or SMG_ERANGE for a bad row. @since 0.1.0 */
SMG_API int smg_tiers_tier(const smg_tiers *t, size_t row);

/** The annual sales of row @p row, or SMG_MONEY_NONE for a bad row. @since 0.1.0 */
SMG_API smg_money smg_tiers_sales(const smg_tiers *t, size_t row);

/** The visit list as of one day. Opaque, read-only once built; it does not
 *  refer to the org or the attribution. */
typedef struct smg_visits smg_visits;

/**
 * The visit list as of day D = @p opts->as_of (RULES.md §3). Tiers are
 * those of the 12 months ending on D (the window of smg_tiers_compute()
 * with the same options); the last visit is the last `visit` event of the
 * customer, by anyone, on or before D (any outcome). A customer whose tier
 * has a cadence (visit.*_months > 0) gets a row: next visit due on the
 * last visit plus the cadence in months (same day of month, clamped to the
 * month's end), or, never visited, on the first day of the window; it is
 * overdue when due < D. Rows are ordered by due date, then customer index.
 *
 * @param opts as_of required (year must be 0); method as for tiers
 * @param attr an attribution result giving the member responsible for each
 *             customer's attribution key on D (its protector then, else the
 *             member last credited with its deals), or NULL for none; run
 *             it with @c until = the start of the day after D for the state
 *             as of D
 * @param out  receives the result (NULL on failure); free with smg_visits_free()
 * @return as smg_tiers_compute()
 * @since 0.1.0
 */
SMG_API int smg_visits_compute(smg_org *org, const smg_tiers_options *opts,
                               const smg_attribution *attr, smg_visits **out);

/** Free a result. NULL is accepted. @since 0.1.0 */
SMG_API void smg_visits_free(smg_visits *v);

/** Number of rows (customers with a cadence). @since 0.1.0 */
SMG_API size_t smg_visits_count(const smg_visits *v);

/** The day the list was made for, or SMG_DATE_NONE for NULL. @since 0.1.0 */
SMG_API smg_date smg_visits_as_of(const smg_visits *v);

/** The customer index of row @p row, or -1 for a bad row. @since 0.1.0 */
SMG_API long smg_visits_customer(const smg_visits *v, size_t row);

/** The tier (an smg_tier) of row @p row, or SMG_ERANGE for a bad row. @since 0.1.0 */
SMG_API int smg_visits_tier(const smg_visits *v, size_t row);

/** The day of the last visit on or before the list's day, or SMG_DATE_NONE
 *  (never visited, or a bad row). @since 0.1.0 */
SMG_API smg_date smg_visits_last(const smg_visits *v, size_t row);

/** The day the next visit is due, or SMG_DATE_NONE for a bad row. @since 0.1.0 */
SMG_API smg_date smg_visits_due(const smg_visits *v, size_t row);

/** 1 if overdue (due before the list's day), 0 if not, SMG_ERANGE for a
 *  bad row. @since 0.1.0 */
SMG_API int smg_visits_overdue(const smg_visits *v, size_t row);

/** The member index responsible for the customer on the list's day, or -1
 *  (none, no attribution given, or a bad row). @since 0.1.0 */
SMG_API long smg_visits_member(const smg_visits *v, size_t row);

SMG_END_DECLS

#endif /* SMG_TIERS_H */
