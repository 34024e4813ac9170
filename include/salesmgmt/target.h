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

/** Parse "sales_amount", "gross_profit", ... @since 0.2.0 */
SMG_API int smg_metric_parse(smg_metric *out, const char *s);
/** Name of a metric, or NULL. @since 0.2.0 */
SMG_API const char *smg_metric_name(smg_metric m);
/** 1 if the metric is money (amounts in minor units), 0 if a count. @since 0.2.0 */
SMG_API int smg_metric_is_money(smg_metric m);

/**
 * Define seasonality profile @p name by twelve non-negative monthly weights
 * in millionths (1.0 = 1000000). All zero is an error (SMG_ERANGE).
 * Redefining a name is SMG_EEXISTS.
 * @since 0.2.0
 */
SMG_API int smg_profile_add(smg_org *org, const char *name, const int64_t weights[12]);

/**
 * Add a target: @p subject (a member, a team or the company), @p metric,
 * @p period (a year, a quarter or a month: smg_period_year(),
 * smg_period_quarter(), smg_period_month()), @p amount (minor units for
 * money metrics, a plain count otherwise; not negative), @p profile (a
 * profile name; NULL or "" = all months equal). Two targets of one subject
 * and metric whose periods overlap are an error at commit, naming both.
 * @return 0, SMG_EINVAL (NULL; unknown metric; a subject that names no
 *         member or team of the org; a period that is not a valid year,
 *         quarter or month), SMG_ERANGE (negative amount, a profile giving
 *         every month of the period a zero weight), SMG_ENOTFOUND (no such
 *         profile), SMG_ERULE (overlap, outside a batch), SMG_ENOMEM; the
 *         message is on the org
 * @since 0.2.0
 */
SMG_API int smg_target_add(smg_org *org, const smg_subject *subject, smg_metric metric,
                           const smg_period *period, int64_t amount, const char *profile);

/**
 * The target of @p subject for @p metric over @p period (any kind: a week
 * or a range of days too): the sum, over that subject's targets of that
 * metric, of the derived daily targets that fall in the period.
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
 * @return 0, SMG_EINVAL (NULL, unknown metric, a subject not of the org, a
 *         period that is not valid: smg_period_check()), SMG_ERANGE (the
 *         sum overflows), SMG_ESTATE (inside an open batch); the message is
 *         on the org
 * @since 0.2.0
 */
SMG_API int smg_target_get(smg_org *org, const smg_subject *subject, smg_metric metric,
                           const smg_period *period, int64_t *amount, int *is_null);

/** Version of smg_targets_options understood by this library. */
#define SMG_TARGETS_OPTIONS_VERSION 1

/**
 * Options of smg_targets_compute(). Initialise with
 * SMG_TARGETS_OPTIONS_INIT or smg_targets_options_init(); fields are only
 * ever appended. Targets do not use credited deals: there is no
 * attribution field.
 * @since 0.2.0
 */
typedef struct smg_targets_options {
    unsigned version;      /**< SMG_TARGETS_OPTIONS_VERSION */
    const char *as_member; /**< NULL = full rights (RULES.md §1) */
    smg_period period;     /**< required: any kind (smg_period_parse() and its siblings) */
} smg_targets_options;

#define SMG_TARGETS_OPTIONS_INIT { SMG_TARGETS_OPTIONS_VERSION, NULL, \
    { (smg_period_kind)0, 0, 0 } }

/**
 * Initialise @p opts as SMG_TARGETS_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL or SMG_EVERSION
 * @since 0.2.0
 */
SMG_API int smg_targets_options_init(smg_targets_options *opts, unsigned version);

/** The derived targets of one period and the team split gaps (分解差额).
 *  Opaque, read-only once built; it does not refer to the org and may be
 *  shared between threads. */
typedef struct smg_targets smg_targets;

/**
 * The targets of @p opts->period, as smg_target_get() derives them, one
 * row per subject and metric:
 * - the company, when it or a root team has a target overlapping the
 *   period (its children are the root teams);
 * - then every team in index order, when it, one of its direct child
 *   teams or one of its direct members has one (children: those teams and
 *   members);
 * - then every member in index order that has one (no children: its
 *   SMG_TARGETS_CHILDREN_SUM and SMG_TARGETS_GAP are null);
 * metrics in smg_metric order within a subject.
 *
 * Visibility (RULES.md §1): with @c as_member, the rows of the members and
 * teams that member may see (a rep: their own row; a leader: the teams of
 * the subtrees they lead and their members); the company row needs full
 * rights.
 *
 * @param out receives the result (NULL on failure); free with smg_targets_free()
 * @return 0, SMG_EINVAL (NULL, no period or an invalid one), SMG_EVERSION,
 *         SMG_ENOTFOUND (no such member @c as_member), SMG_ERANGE (a sum
 *         overflows), SMG_ENOMEM, SMG_ESTATE (inside an open batch); the
 *         message is on the org
 * @since 0.2.0
 */
SMG_API int smg_targets_compute(smg_targets **out, smg_org *org,
                                const smg_targets_options *opts);

/** Free a result. NULL is accepted. @since 0.2.0 */
SMG_API void smg_targets_free(smg_targets *r);

/** The fields of a row of smg_targets. */
typedef enum smg_targets_field {
    SMG_TARGETS_METRIC = 0,       /**< "metric": an smg_metric (SMG_TYPE_ENUM) */
    SMG_TARGETS_TARGET = 1,       /**< "target": the subject's own target for the period;
                                       null when none of its targets overlaps the period
                                       (SMG_TYPE_INT: minor units when the row's metric is
                                       money, smg_metric_is_money(), else a count) */
    SMG_TARGETS_CHILDREN_SUM = 2, /**< "children_sum": the sum of its direct child teams'
                                       and direct members' targets; null when none of
                                       them has one, and for a member (SMG_TYPE_INT, as
                                       SMG_TARGETS_TARGET) */
    SMG_TARGETS_GAP = 3           /**< "gap": target − children sum (a null sum counts 0);
                                       null exactly when the target is, and for a member
                                       (SMG_TYPE_INT, as SMG_TARGETS_TARGET) */
} smg_targets_field;

/** Number of rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_targets_count(const smg_targets *r);

/** The subject of row @p row: the company, a team or a member.
 *  @return 0 or SMG_EINVAL (NULL, bad row; @p out untouched) @since 0.2.0 */
SMG_API int smg_targets_subject(const smg_targets *r, size_t row, smg_subject *out);

/**
 * A field of row @p row (every field is read with this getter). A null
 * value sets *is_null = 1 and *out = 0.
 * @return 0, or SMG_EINVAL (NULL, bad row, unknown field); @p out is then
 *         untouched
 * @since 0.2.0
 */
SMG_API int smg_targets_int(const smg_targets *r, size_t row, smg_targets_field field,
                            int64_t *out, int *is_null);

/** The JSON key of a field, or NULL past the last one. @since 0.2.0 */
SMG_API const char *smg_targets_field_name(smg_targets_field field);

/** The type of a field (smg_type), or 0 for an unknown one. @since 0.2.0 */
SMG_API smg_type smg_targets_field_type(smg_targets_field field);

SMG_END_DECLS

#endif /* SMG_TARGET_H */
