/**
 * @file salesmgmt/tiers.h
 * @brief Customer tiers (客户分级) and visit cadence (拜访频率), RULES.md §3.
 *
 * Tiers are given per customer (customer id), not per attribution key:
 * the tiering rules speak of customers, and each customer record has its
 * own annual sales. Both results are tables (docs/API.md "Reading a
 * result"); a row's customer is an index (smg_customer_id()).
 *
 * Visibility (RULES.md §1): with @c as_member, a result has rows only for
 * the customers whose attribution key that member may see — a key a
 * visible member registered (accepted), closed or was credited with a deal
 * of, or protects at the end of the attribution run. The tiers themselves
 * are always those of every customer (a Pareto share is a share of the
 * whole company's sales); visibility only leaves rows out.
 */
#ifndef SMG_TIERS_H
#define SMG_TIERS_H

#include "org.h"
#include "attribution.h"

SMG_BEGIN_DECLS

/** Customer tiers, highest first. Values are stable. */
typedef enum smg_tier {
    SMG_TIER_VIP = 0,   /**< vip (VIP) */
    SMG_TIER_TIER1 = 1, /**< tier1 (一级) */
    SMG_TIER_TIER2 = 2, /**< tier2 (二级) */
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
 * @since 0.2.0
 */
SMG_API const char *smg_tier_name(smg_tier tier, const char *lang);

/* ---- tiers ---- */

/** Version of smg_tiers_options understood by this library. */
#define SMG_TIERS_OPTIONS_VERSION 1

/**
 * Options of smg_tiers_compute(). Initialise with SMG_TIERS_OPTIONS_INIT
 * or smg_tiers_options_init(); fields are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_tiers_options {
    unsigned version;                   /**< SMG_TIERS_OPTIONS_VERSION */
    const char *as_member;              /**< NULL = full rights (RULES.md §1) */
    const smg_attribution *attribution; /**< for the visible customers when
                                             @c as_member is set; NULL = run one
                                             over the whole log. Unused (and no
                                             run made) without @c as_member */
    smg_tier_method method;             /**< SMG_TIER_METHOD_POLICY = the policy's method */
    smg_period window;                  /**< required: a calendar year
                                             (smg_period_year()), or the 12 months
                                             ending on a day
                                             (smg_tiers_window_as_of()) */
} smg_tiers_options;

#define SMG_TIERS_OPTIONS_INIT { SMG_TIERS_OPTIONS_VERSION, NULL, NULL, \
    SMG_TIER_METHOD_POLICY, { (smg_period_kind)0, 0, 0 } }

/**
 * Initialise @p opts as SMG_TIERS_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL or SMG_EVERSION
 * @since 0.2.0
 */
SMG_API int smg_tiers_options_init(smg_tiers_options *opts, unsigned version);

/**
 * The tiering window "the 12 months ending on @p as_of" (RULES.md §3):
 * the range (as_of − 1 year, as_of], by calendar date, one year back from
 * 29 February read as 28 February (as of 2028-02-29 the window is
 * 2027-03-01 .. 2028-02-29). In year 1 the window starts on 0001-01-01.
 * The result is an SMG_PERIOD_RANGE, for smg_tiers_options.window.
 * @return 0, SMG_EINVAL (NULL) or SMG_ERANGE (@p as_of outside years 1–9999)
 * @since 0.2.0
 */
SMG_API int smg_tiers_window_as_of(smg_period *out, smg_date as_of);

/** Tiers of the customers for one window. Opaque, read-only once built; it
 *  does not refer to the org and may be shared between threads. */
typedef struct smg_tiers smg_tiers;

/**
 * Tier every customer. A customer's annual sales is the sum of the amounts
 * (negative ones included) of the `deal` events of that customer whose day
 * falls in the window, whoever closed or was credited with them, less the
 * refunds (RULES.md §8; since 0.3.0) whose day falls in the window, of
 * those deals or of earlier ones (a refund after the window does not
 * count). The net may be negative: it is reported as it is and is below
 * every threshold.
 *
 * - threshold: vip if sales >= tier.vip_min, else tier1 if >= tier1_min,
 *   else tier2 if >= tier2_min, else other (applied literally: with
 *   tier2_min = 0 a customer without sales is tier2).
 * - pareto: customers with sales > 0 sorted by sales, descending, ties by
 *   customer id (byte order); a customer whose cumulative share of the
 *   total *before* it is < pareto_vip is vip, < pareto_tier1 tier1, else
 *   tier2 (compared exactly in integers); sales <= 0 is other.
 *
 * Rows: one per customer (with @c as_member: per visible customer), in
 * customer index order.
 *
 * @param out  receives the result (NULL on failure); free with smg_tiers_free()
 * @param opts required: the window, the method, the member asking
 * @return 0, SMG_EINVAL (NULL; no window, or a window that is neither a
 *         calendar year nor made by smg_tiers_window_as_of(); unknown
 *         method; an attribution result out of date or of another org),
 *         SMG_EVERSION, SMG_ENOTFOUND (no such member @c as_member),
 *         SMG_ERANGE (a sum that overflows), SMG_ENOMEM, SMG_ESTATE (inside
 *         an open batch); the message is on the org
 * @since 0.2.0
 */
SMG_API int smg_tiers_compute(smg_tiers **out, smg_org *org, const smg_tiers_options *opts);

/** Free a result. NULL is accepted. @since 0.2.0 */
SMG_API void smg_tiers_free(smg_tiers *t);

/** The window of the result, as given in the options (a year or a range).
 *  @return 0 or SMG_EINVAL (NULL) @since 0.2.0 */
SMG_API int smg_tiers_window(const smg_tiers *t, smg_period *out);

/** The method used: SMG_TIER_METHOD_THRESHOLD or SMG_TIER_METHOD_PARETO
 *  (never _POLICY). @return 0 or SMG_EINVAL (NULL) @since 0.2.0 */
SMG_API int smg_tiers_method(const smg_tiers *t, smg_tier_method *out);

/** The fields of a row of smg_tiers. */
typedef enum smg_tiers_field {
    SMG_TIERS_CUSTOMER = 0, /**< "customer": the customer index (SMG_TYPE_INDEX) */
    SMG_TIERS_TIER = 1,     /**< "tier": an smg_tier (SMG_TYPE_ENUM) */
    SMG_TIERS_SALES = 2     /**< "annual_sales": the sales in the window, minor units
                                 (SMG_TYPE_MONEY) */
} smg_tiers_field;

/** Number of rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_tiers_count(const smg_tiers *t);

/**
 * An INDEX field of row @p row (SMG_TIERS_CUSTOMER). No field is ever null
 * (*is_null = 0).
 * @return 0, or SMG_EINVAL (NULL, bad row, unknown field, a field of
 *         another type); @p out is then untouched
 * @since 0.2.0
 */
SMG_API int smg_tiers_index(const smg_tiers *t, size_t row, smg_tiers_field field,
                            size_t *out, int *is_null);

/** An ENUM or MONEY field of row @p row (SMG_TIERS_TIER, SMG_TIERS_SALES),
 *  as smg_tiers_index(). @since 0.2.0 */
SMG_API int smg_tiers_int(const smg_tiers *t, size_t row, smg_tiers_field field,
                          int64_t *out, int *is_null);

/** The JSON key of a field, or NULL past the last one. @since 0.2.0 */
SMG_API const char *smg_tiers_field_name(smg_tiers_field field);

/** The type of a field (smg_type), or 0 for an unknown one. @since 0.2.0 */
SMG_API smg_type smg_tiers_field_type(smg_tiers_field field);

/* ---- visits ---- */

/** Version of smg_visits_options understood by this library. */
#define SMG_VISITS_OPTIONS_VERSION 1

/**
 * Options of smg_visits_compute(). Initialise with SMG_VISITS_OPTIONS_INIT
 * or smg_visits_options_init(); fields are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_visits_options {
    unsigned version;                   /**< SMG_VISITS_OPTIONS_VERSION */
    const char *as_member;              /**< NULL = full rights (RULES.md §1) */
    const smg_attribution *attribution; /**< gives the member responsible for each
                                             customer (and, with @c as_member, the
                                             visible customers), used as is; NULL =
                                             run one over the events before the day
                                             after @c as_of (the state as of it) */
    smg_tier_method method;             /**< SMG_TIER_METHOD_POLICY = the policy's method */
    smg_date as_of;                     /**< required: the day of the list */
} smg_visits_options;

#define SMG_VISITS_OPTIONS_INIT { SMG_VISITS_OPTIONS_VERSION, NULL, NULL, \
    SMG_TIER_METHOD_POLICY, SMG_DATE_NONE }

/**
 * Initialise @p opts as SMG_VISITS_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL or SMG_EVERSION
 * @since 0.2.0
 */
SMG_API int smg_visits_options_init(smg_visits_options *opts, unsigned version);

/** The visit list as of one day. Opaque, read-only once built; it does not
 *  refer to the org or the attribution and may be shared between threads. */
typedef struct smg_visits smg_visits;

/**
 * The visit list as of day D = @p opts->as_of (RULES.md §3). Tiers are
 * those of the 12 months ending on D (smg_tiers_window_as_of()); the last
 * visit is the last `visit` event of the customer, by anyone, on or before
 * D (any outcome). A customer whose tier has a cadence (visit.*_months > 0)
 * gets a row: next visit due on the last visit plus the cadence in months
 * (same day of month, clamped to the month's end), or, never visited, on
 * the first day of the window; it is overdue when due < D. The member is
 * the one the attribution result names as responsible for the customer's
 * attribution key on D: its protector then, else the member last credited
 * with its deals. Rows are ordered by due date, then customer index.
 *
 * @param out  receives the result (NULL on failure); free with smg_visits_free()
 * @param opts required: as_of, the method, the member asking
 * @return 0, SMG_EINVAL (NULL, no as_of, unknown method, an attribution
 *         result out of date or of another org), SMG_EVERSION,
 *         SMG_ENOTFOUND (no such member @c as_member), SMG_ERANGE (as_of
 *         outside years 1–9999, a sum that overflows, a due day past
 *         9999-12-31), SMG_ENOMEM, SMG_ESTATE (inside an open batch); the
 *         message is on the org
 * @since 0.2.0
 */
SMG_API int smg_visits_compute(smg_visits **out, smg_org *org, const smg_visits_options *opts);

/** Free a result. NULL is accepted. @since 0.2.0 */
SMG_API void smg_visits_free(smg_visits *v);

/** The day the list was made for. @return 0 or SMG_EINVAL (NULL) @since 0.2.0 */
SMG_API int smg_visits_as_of(const smg_visits *v, smg_date *out);

/** The fields of a row of smg_visits. */
typedef enum smg_visits_field {
    SMG_VISITS_CUSTOMER = 0,   /**< "customer": the customer index (SMG_TYPE_INDEX) */
    SMG_VISITS_TIER = 1,       /**< "tier": an smg_tier (SMG_TYPE_ENUM) */
    SMG_VISITS_LAST_VISIT = 2, /**< "last_visit": the day of the last visit on or before
                                    the list's day; null = never visited (SMG_TYPE_DATE) */
    SMG_VISITS_DUE = 3,        /**< "due": the day the next visit is due (SMG_TYPE_DATE) */
    SMG_VISITS_OVERDUE = 4,    /**< "overdue": 1 if due before the list's day (SMG_TYPE_BOOL) */
    SMG_VISITS_MEMBER = 5      /**< "member": the member index responsible on the list's
                                    day; null = nobody (SMG_TYPE_INDEX) */
} smg_visits_field;

/** Number of rows (visible customers with a cadence); 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_visits_count(const smg_visits *v);

/**
 * An INDEX field of row @p row (SMG_VISITS_CUSTOMER, SMG_VISITS_MEMBER).
 * A null value sets *is_null = 1 and *out = 0.
 * @return 0, or SMG_EINVAL (NULL, bad row, unknown field, a field of
 *         another type); @p out is then untouched
 * @since 0.2.0
 */
SMG_API int smg_visits_index(const smg_visits *v, size_t row, smg_visits_field field,
                             size_t *out, int *is_null);

/** An ENUM, DATE or BOOL field of row @p row (SMG_VISITS_TIER,
 *  SMG_VISITS_LAST_VISIT, SMG_VISITS_DUE, SMG_VISITS_OVERDUE), as
 *  smg_visits_index(). @since 0.2.0 */
SMG_API int smg_visits_int(const smg_visits *v, size_t row, smg_visits_field field,
                           int64_t *out, int *is_null);

/** The JSON key of a field, or NULL past the last one. @since 0.2.0 */
SMG_API const char *smg_visits_field_name(smg_visits_field field);

/** The type of a field (smg_type), or 0 for an unknown one. @since 0.2.0 */
SMG_API smg_type smg_visits_field_type(smg_visits_field field);

SMG_END_DECLS

#endif /* SMG_TIERS_H */
