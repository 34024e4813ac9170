/**
 * @file salesmgmt/pay.h
 * @brief Assessment scores, pay lines and commission tables (RULES.md §6).
 */
#ifndef SMG_PAY_H
#define SMG_PAY_H

#include "org.h"
#include "attribution.h"

SMG_BEGIN_DECLS

/** How a commission table applies its brackets. */
typedef enum smg_commission_mode {
    SMG_COMMISSION_MARGINAL = 0, /**< 分段累进: each slice at its bracket's rate */
    SMG_COMMISSION_FLAT = 1      /**< the whole total at the highest bracket reached */
} smg_commission_mode;

/**
 * Add a commission bracket: for product line @p product ("*" = every
 * product without a table of its own), amounts from @p from_amount (minor
 * units, >= 0) earn @p rate_millionths (0.015 = 15000). All rows of one
 * table must have the same mode (SMG_ERULE otherwise); a repeated
 * from_amount in one table is SMG_EEXISTS.
 * @since 0.1.0
 */
SMG_API int smg_commission_add(smg_org *org, const char *product, smg_money from_amount,
                               int64_t rate_millionths, smg_commission_mode mode);

/** Version of smg_pay_query understood by this library. */
#define SMG_PAY_QUERY_VERSION 1

/**
 * A pay query. Initialise with SMG_PAY_QUERY_INIT or smg_pay_query_init();
 * fields are only ever appended.
 * @since 0.1.0
 */
typedef struct smg_pay_query {
    unsigned version;        /**< SMG_PAY_QUERY_VERSION */
    const char *month;       /**< "YYYY-MM"; required */
    /** Credited deals to use: a result of smg_attribution_run() on this
     *  org, unchanged since; NULL = run the attribution inside. */
    const smg_attribution *attribution;
    /** Member the query is made on behalf of (RULES.md §1: a `rep` sees
     *  their own row, a leader/supervisor/manager/director their own and
     *  those of the subtrees of the teams they lead); NULL = full rights. */
    const char *as_member;
} smg_pay_query;

#define SMG_PAY_QUERY_INIT { SMG_PAY_QUERY_VERSION, NULL, NULL, NULL }

/** Initialise @p q as SMG_PAY_QUERY_INIT for @p version.
 *  @return 0, SMG_EINVAL or SMG_EVERSION. @since 0.1.0 */
SMG_API int smg_pay_query_init(smg_pay_query *q, unsigned version);

/**
 * The figures of a pay row. Values are stable; new ones are appended.
 * Scores are points (0–100); money is minor units.
 */
typedef enum smg_pay_field {
    SMG_PAY_ATTENDANCE_SCORE = 0, /**< "attendance_score": 100 − score.absence_penalty ×
                                       days absent (each absence rounded up to whole
                                       days), never below 0 */
    SMG_PAY_WORK_SCORE = 1,       /**< "work_score": the month's latest work_score, 0 if none */
    SMG_PAY_MONTHLY_SCORE = 2,    /**< "monthly_score": work × score.work_weight + attendance ×
                                       score.attendance_weight */
    SMG_PAY_ANNUAL_SCORE = 3,     /**< "annual_score": Σ monthly scores of the month's year ÷ 12;
                                       a month without a work_score event counts 0 */
    SMG_PAY_COMPLETION_RATE = 4,  /**< "completion_rate": sales_amount / target_amount
                                       (uncapped); null without a target or with a zero one */
    SMG_PAY_BASE = 5,             /**< "base": T × pay.base_share (money; null without pay_total) */
    SMG_PAY_COMPLETION_PAY = 6,   /**< "completion_pay": T × pay.completion_share × completion
                                       rate, the rate capped at pay.completion_cap; 0 without a
                                       (non-zero) target (money; null without pay_total) */
    SMG_PAY_WORK_PAY = 7,         /**< "work_pay": T × pay.work_share × monthly score / 100 */
    SMG_PAY_OVERPLAN_BONUS = 8,   /**< "overplan_bonus": pay.overplan_rate × max(0, sales −
                                       target); 0 without a (non-zero) target */
    SMG_PAY_COMMISSION = 9,       /**< "commission": Σ over the commission tables of the
                                       brackets applied to the month's total of the table's
                                       credited deals */
    SMG_PAY_TOTAL = 10,           /**< "total": the sum of the five rounded lines */
    SMG_PAY_PAY_TOTAL = 11,       /**< "pay_total": the member's pay total T (money; null
                                       without one) */
    SMG_PAY_SALES_AMOUNT = 12,    /**< "sales_amount": the month's credited deals (money) */
    SMG_PAY_TARGET_AMOUNT = 13,   /**< "target_amount": the month's sales_amount target (money;
                                       null without one) */
    SMG_PAY_DAYS_ABSENT = 14      /**< "days_absent": whole days absent in the month */
} smg_pay_field;

/** The JSON key of a field ("attendance_score", "base", ...), or NULL for an
 *  unknown value (loop from 0 until NULL). @since 0.1.0 */
SMG_API const char *smg_pay_field_name(smg_pay_field field);

/** 1 if @p field is money (minor units, readable with smg_pay_money()), else 0.
 *  @since 0.1.0 */
SMG_API int smg_pay_field_is_money(smg_pay_field field);

/** Scores and pay of one month. Opaque, read-only once built; it does not
 *  refer to the org and may be shared between threads. */
typedef struct smg_pay_report smg_pay_report;

/**
 * Scores and pay lines of the month @p q->month for every member the query
 * may see, one row per member in index order. Members without a pay total,
 * and members not employed on any day of the month (start and leave
 * dates), get scores but no pay lines (the money lines are null).
 *
 * Each pay line is computed exactly (128-bit integers, no floating point)
 * and rounded once to the minor unit, half away from zero; the total is the
 * sum of the rounded lines. Commission: a deal whose product has a table of
 * its own counts toward that table, every other deal toward `*` (no `*`
 * table: no commission for them); each table's brackets apply to the
 * month's total of its deals credited to the member — `marginal`: each
 * slice of the total above a bracket's from_amount, up to the next
 * bracket's, at that bracket's rate; `flat`: the whole total at the rate
 * of the highest bracket whose from_amount it reaches (>=); below the
 * first bracket the rate is 0. The commission line is the exact sum over
 * the tables, rounded once.
 *
 * @param out receives the report (NULL on failure); free with smg_pay_report_free()
 * @return 0, SMG_EINVAL (NULL, attribution result out of date or of another
 *         org), SMG_EVERSION, SMG_EPARSE (month), SMG_ENOTFOUND (as_member),
 *         SMG_ERULE (a commission table mixes modes), SMG_ERANGE (a figure
 *         overflows; a target cannot be split), SMG_ESTATE (a batch is
 *         open), SMG_ENOMEM; the message is on the org
 * @since 0.1.0
 */
SMG_API int smg_pay_compute(smg_org *org, const smg_pay_query *q, smg_pay_report **out);

/** Free a report. NULL is accepted. @since 0.1.0 */
SMG_API void smg_pay_report_free(smg_pay_report *r);

/** Number of rows. @since 0.1.0 */
SMG_API size_t smg_pay_row_count(const smg_pay_report *r);

/** Member index of row @p row (smg_member_id()), or -1 for a bad row. @since 0.1.0 */
SMG_API long smg_pay_row_member(const smg_pay_report *r, size_t row);

/**
 * A field of row @p row as a number (scores in points, rates as fractions,
 * money in minor units).
 * @param is_null receives 1 when null, else 0 (may be NULL); the value is then 0
 * @return 0, SMG_EINVAL (NULL, unknown field) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_pay_get(const smg_pay_report *r, size_t row, smg_pay_field field,
                        double *value, int *is_null);

/**
 * A money field of row @p row, exact, in minor units.
 * @return 0, SMG_EINVAL (NULL, unknown or non-money field) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_pay_money(const smg_pay_report *r, size_t row, smg_pay_field field,
                          smg_money *value, int *is_null);

/**
 * A score of row @p row in hundredths of a point, rounded half away from
 * zero (attendance, work, monthly and annual scores).
 * @return 0, SMG_EINVAL (NULL, not a score) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_pay_score_hundredths(const smg_pay_report *r, size_t row, smg_pay_field field,
                                     int64_t *value);

SMG_END_DECLS

#endif /* SMG_PAY_H */
