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
 * @since 0.2.0
 */
SMG_API int smg_commission_add(smg_org *org, const char *product, smg_money from_amount,
                               int64_t rate_millionths, smg_commission_mode mode);

/** Version of smg_pay_options understood by this library. */
#define SMG_PAY_OPTIONS_VERSION 1

/**
 * Options of smg_pay_compute(). Initialise with SMG_PAY_OPTIONS_INIT or
 * smg_pay_options_init(); fields are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_pay_options {
    unsigned version;        /**< SMG_PAY_OPTIONS_VERSION */
    /** Member the report is made on behalf of (RULES.md §1: a `rep` sees
     *  their own row, a leader/supervisor/manager/director their own and
     *  those of the subtrees of the teams they lead); NULL = full rights. */
    const char *as_member;
    /** Credited deals to use: a result of smg_attribution_compute() on this
     *  org, unchanged since; NULL = run the attribution inside. */
    const smg_attribution *attribution;
    /** The month; required, of kind SMG_PERIOD_MONTH (smg_period_month()).
     *  SMG_PAY_OPTIONS_INIT leaves it unset (kind 0). */
    smg_period month;
} smg_pay_options;

#define SMG_PAY_OPTIONS_INIT { SMG_PAY_OPTIONS_VERSION, NULL, NULL, { (smg_period_kind)0, 0, 0 } }

/** Initialise @p opts as SMG_PAY_OPTIONS_INIT for @p version.
 *  @return 0, SMG_EINVAL (NULL) or SMG_EVERSION. @since 0.2.0 */
SMG_API int smg_pay_options_init(smg_pay_options *opts, unsigned version);

/**
 * The fields of a pay report, one row per member. Values are stable; new
 * ones are appended. Scores are points (0–100), DOUBLE; their exact
 * hundredths, rounded half away from zero, are the INT fields *_x100;
 * money is minor units.
 * @since 0.2.0
 */
typedef enum smg_pay_field {
    SMG_PAY_MEMBER = 0,            /**< "member" (INDEX): the member (smg_member_id()) */
    SMG_PAY_ATTENDANCE_SCORE = 1,  /**< "attendance_score" (DOUBLE): 100 − score.absence_penalty
                                        × days absent (each absence rounded up to whole days),
                                        never below 0 */
    SMG_PAY_WORK_SCORE = 2,        /**< "work_score" (DOUBLE): the month's latest work_score
                                        event; without one, the scorecard's score
                                        (salesmgmt/scorecard.h) when it scores the member;
                                        else 0 (SMG_PAY_WORK_SCORE_SOURCE says which) */
    SMG_PAY_MONTHLY_SCORE = 3,     /**< "monthly_score" (DOUBLE): work × score.work_weight +
                                        attendance × score.attendance_weight */
    SMG_PAY_ANNUAL_SCORE = 4,      /**< "annual_score" (DOUBLE): Σ monthly scores of the month's
                                        year ÷ 12; a month without a work score counts 0:
                                        without a work_score event, and not scored by the
                                        scorecard (which scores the months up to the one
                                        asked about only) */
    SMG_PAY_COMPLETION_RATE = 5,   /**< "completion_rate" (DOUBLE): sales_amount / target_amount
                                        (uncapped); null without a target or with a zero one */
    SMG_PAY_BASE = 6,              /**< "base" (MONEY): T × pay.base_share; null without pay
                                        lines (below) */
    SMG_PAY_COMPLETION_PAY = 7,    /**< "completion_pay" (MONEY): T × pay.completion_share ×
                                        completion rate, the rate capped at pay.completion_cap;
                                        0 without a (non-zero) target; null without pay lines.
                                        On net sales: negative when the month's refunds
                                        exceed its deals */
    SMG_PAY_WORK_PAY = 8,          /**< "work_pay" (MONEY): T × pay.work_share × monthly score /
                                        100; null without pay lines */
    SMG_PAY_OVERPLAN_BONUS = 9,    /**< "overplan_bonus" (MONEY): pay.overplan_rate × max(0,
                                        sales − target); 0 without a (non-zero) target; null
                                        without pay lines */
    SMG_PAY_COMMISSION = 10,       /**< "commission" (MONEY): Σ over the commission tables of
                                        the brackets applied to the month's total of the
                                        table's credited deals, net of the month's refunds
                                        of such deals (a negative total earns 0); null
                                        without pay lines */
    SMG_PAY_TOTAL = 11,            /**< "total" (MONEY): the sum of the five rounded lines; null
                                        without pay lines */
    SMG_PAY_PAY_TOTAL = 12,        /**< "pay_total" (MONEY): the member's pay total T; null
                                        without pay lines */
    SMG_PAY_SALES_AMOUNT = 13,     /**< "sales_amount" (MONEY): the month's credited deals, less
                                        the refunds dated in the month of deals credited to the
                                        member (RULES.md §8, since 0.3.0; may be negative) */
    SMG_PAY_TARGET_AMOUNT = 14,    /**< "target_amount" (MONEY): the month's sales_amount target;
                                        null without one */
    SMG_PAY_DAYS_ABSENT = 15,      /**< "days_absent" (INT): whole days absent in the month */
    SMG_PAY_ATTENDANCE_SCORE_X100 = 16, /**< "attendance_score_x100" (INT): the attendance
                                             score in hundredths of a point */
    SMG_PAY_WORK_SCORE_X100 = 17,  /**< "work_score_x100" (INT) */
    SMG_PAY_MONTHLY_SCORE_X100 = 18, /**< "monthly_score_x100" (INT), rounded half away
                                          from zero */
    SMG_PAY_ANNUAL_SCORE_X100 = 19, /**< "annual_score_x100" (INT), rounded half away from
                                        zero */
    SMG_PAY_WORK_SCORE_SOURCE = 20 /**< "work_score_source" (ENUM smg_score_source): where the
                                        work score came from: given, the scorecard or none
                                        (@since 0.2.0, salesmgmt/scorecard.h) */
} smg_pay_field;

/** The JSON key of a field ("member", "attendance_score", "base", ...), or
 *  NULL past the last field (loop from 0 until NULL). @since 0.2.0 */
SMG_API const char *smg_pay_field_name(smg_pay_field field);

/** The type of a field (see smg_pay_field); 0 for an unknown field.
 *  @since 0.2.0 */
SMG_API smg_type smg_pay_field_type(smg_pay_field field);

/** Scores and pay of one month. Opaque, read-only once built; it does not
 *  refer to the org and may be shared between threads. */
typedef struct smg_pay_report smg_pay_report;

/**
 * Scores and pay lines of the month @p opts->month for every member the
 * report may show, one row per member in index order. Members without a
 * pay total, and members not employed on any day of the month (start and
 * leave dates), get scores but no pay lines (the money lines are null).
 *
 * Each pay line is computed exactly (128-bit integers, no floating point)
 * and rounded once to the minor unit, half away from zero; the total is the
 * sum of the rounded lines. Commission: a deal whose product has a table of
 * its own counts toward that table, every other deal toward `*` (no `*`
 * table: no commission for them); each table's brackets apply to the
 * month's total of its deals credited to the member, less the refunds
 * dated in the month of deals of that table credited to the member
 * (RULES.md §8; a negative total earns 0) — `marginal`: each
 * slice of the total above a bracket's from_amount, up to the next
 * bracket's, at that bracket's rate; `flat`: the whole total at the rate
 * of the highest bracket whose from_amount it reaches (>=); below the
 * first bracket the rate is 0. The commission line is the exact sum over
 * the tables, rounded once.
 *
 * @param out receives the report (NULL on failure); free with smg_pay_report_free()
 * @return 0, SMG_EINVAL (NULL @p out, @p org or @p opts; a month that is not
 *         a valid period of kind SMG_PERIOD_MONTH; an attribution result out
 *         of date or of another org), SMG_EVERSION, SMG_ENOTFOUND
 *         (as_member), SMG_ERULE (a commission table mixes modes),
 *         SMG_ERANGE (a figure overflows; a target cannot be split),
 *         SMG_ESTATE (a batch is open), SMG_ENOMEM; the message is on the org
 * @since 0.2.0
 */
SMG_API int smg_pay_compute(smg_pay_report **out, smg_org *org, const smg_pay_options *opts);

/** Free a report. NULL is accepted. @since 0.2.0 */
SMG_API void smg_pay_report_free(smg_pay_report *r);

/** Number of rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_pay_count(const smg_pay_report *r);

/** The subject of row @p row: always a member.
 *  @return 0 or SMG_EINVAL (NULL, bad row). @since 0.2.0 */
SMG_API int smg_pay_subject(const smg_pay_report *r, size_t row, smg_subject *out);

/** An INDEX field (SMG_PAY_MEMBER) of row @p row.
 *  @return 0 or SMG_EINVAL (NULL, bad row, unknown field, a field of another
 *  type; @p out is then untouched). @since 0.2.0 */
SMG_API int smg_pay_index(const smg_pay_report *r, size_t row, smg_pay_field field,
                          size_t *out, int *is_null);

/** A MONEY, INT or ENUM field of row @p row, exact.
 *  @param is_null receives 1 when null (*out is then 0), else 0 (may be NULL)
 *  @return 0 or SMG_EINVAL (NULL, bad row, unknown field, a field of another
 *  type; @p out is then untouched). @since 0.2.0 */
SMG_API int smg_pay_int(const smg_pay_report *r, size_t row, smg_pay_field field,
                        int64_t *out, int *is_null);

/** A DOUBLE, MONEY, INT or ENUM field of row @p row as a double (scores in
 *  points, rates as fractions, money in minor units).
 *  @param is_null receives 1 when null (*out is then 0), else 0 (may be NULL)
 *  @return 0 or SMG_EINVAL (NULL, bad row, unknown field, the INDEX field;
 *  @p out is then untouched). @since 0.2.0 */
SMG_API int smg_pay_double(const smg_pay_report *r, size_t row, smg_pay_field field,
                           double *out, int *is_null);

SMG_END_DECLS

#endif /* SMG_PAY_H */
