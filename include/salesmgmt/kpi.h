/**
 * @file salesmgmt/kpi.h
 * @brief KPIs (考核指标, RULES.md §5) for every member, every team and the
 *        company, over a period.
 *
 * smg_kpi_compute() reads the credited deals of an attribution result
 * (RULES.md §4) and the event log, and builds a read-only report: one row
 * per member, team or the company, every KPI of RULES.md §5 a field of the
 * table (docs/API.md "Reading a result"). The report does not refer to the
 * org once built.
 *
 * Units: money KPIs (SMG_TYPE_MONEY) are integer minor units (分 / cents),
 * exact through smg_kpi_int(); counts (SMG_TYPE_INT) are whole numbers;
 * rates (SMG_TYPE_DOUBLE) are plain fractions (0.85, not 85), read with
 * smg_kpi_double(), which also reads every money and count KPI as a
 * double. A rate whose denominator is zero is null, never 0, NaN or
 * infinity.
 *
 * Subjects:
 * - a member: the deals credited to the member; the receptions, visits,
 *   demos, complaints, expenses and registrations done by the member; the
 *   receivables the member raised and the payments on them.
 * - a team: the sums over every member of its whole subtree. Rates are
 *   recomputed from the summed numerators and denominators; customer counts
 *   (retained, lost, and the retention base) count distinct attribution
 *   keys over the whole subtree.
 * - the company: every member, plus the deals a manager's decision gave to
 *   the company (reason `company`).
 *
 * Periods (smg_period, any kind). The previous equal period (growth_pop,
 * retention_rate, lost_customer_count) of a year, quarter or month is the
 * one before it; of a range or a week of N days, the N days before it. The
 * period a year earlier (growth_yoy) of a year, quarter or month is the
 * same year, quarter or month of the previous year (all its days: February
 * 2024 for February 2025); of a range or a week, the same dates one year
 * earlier (29 February → 28 February). smg_kpi_report_period() gives all
 * three.
 */
#ifndef SMG_KPI_H
#define SMG_KPI_H

#include "org.h"
#include "attribution.h"

SMG_BEGIN_DECLS

/**
 * The fields of a KPI report: the KPIs, in the order of RULES.md §5.
 * Values are stable; a new KPI is a new value appended at the end.
 * @since 0.2.0
 */
typedef enum smg_kpi_field {
    SMG_KPI_SALES_AMOUNT = 0,         /**< "sales_amount" (MONEY): Σ amounts of the credited deals */
    SMG_KPI_DEAL_COUNT = 1,           /**< "deal_count" (INT): credited deals */
    SMG_KPI_GROSS_PROFIT = 2,         /**< "gross_profit" (MONEY): Σ (amount − cost); no cost = 0 */
    SMG_KPI_TARGET_AMOUNT = 3,        /**< "target_amount" (MONEY): the sales_amount target. A
                                           team (or the company) without a target of its own
                                           for the period gets the sum of its direct members'
                                           and child teams' targets, worked out the same way;
                                           null when none of them has one */
    SMG_KPI_COMPLETION_RATE = 4,      /**< "completion_rate" (DOUBLE): sales_amount / target_amount */
    SMG_KPI_GROWTH_YOY = 5,           /**< "growth_yoy" (DOUBLE): (sales − sales a year earlier) /
                                           the latter */
    SMG_KPI_GROWTH_POP = 6,           /**< "growth_pop" (DOUBLE): the same against the previous
                                           equal period */
    SMG_KPI_PRICE_RETENTION_RATE = 7, /**< "price_retention_rate" (DOUBLE): Σ amount / Σ list
                                           amount over the deals with a list amount */
    SMG_KPI_EXPENSE_AMOUNT = 8,       /**< "expense_amount" (MONEY): Σ expenses */
    SMG_KPI_EXPENSE_RATE = 9,         /**< "expense_rate" (DOUBLE): expense_amount / sales_amount */
    SMG_KPI_COLLECTION_RATE = 10,     /**< "collection_rate" (DOUBLE): payments in the period /
                                           (receivables open at its start + receivables raised
                                           in it) */
    SMG_KPI_VISIT_COUNT = 11,         /**< "visit_count" (INT) */
    SMG_KPI_VISIT_SUCCESS_RATE = 12,  /**< "visit_success_rate" (DOUBLE): successful visits / visits */
    SMG_KPI_COMPLAINT_COUNT = 13,     /**< "complaint_count" (INT) */
    SMG_KPI_COMPLAINT_RATE = 14,      /**< "complaint_rate" (DOUBLE): complaints / deal_count */
    SMG_KPI_NEW_CUSTOMER_COUNT = 15,  /**< "new_customer_count" (INT): keys whose first-ever deal
                                           (whoever was credited) is in the period and credited
                                           to the subject */
    SMG_KPI_RETENTION_RATE = 16,      /**< "retention_rate" (DOUBLE): keys with a deal credited to
                                           the subject in both the previous equal period and
                                           this one / keys with one in the previous period */
    SMG_KPI_LOST_CUSTOMER_COUNT = 17, /**< "lost_customer_count" (INT): keys with a deal credited
                                           to the subject in the previous equal period and none
                                           in this one */
    SMG_KPI_RECEPTION_COUNT = 18,     /**< "reception_count" (INT): non-duty receptions */
    SMG_KPI_REGISTRATION_RATE = 19,   /**< "registration_rate" (DOUBLE): accepted registrations /
                                           receptions */
    SMG_KPI_DEMO_RATE = 20,           /**< "demo_rate" (DOUBLE): demos / receptions */
    SMG_KPI_CLOSE_RATE = 21,          /**< "close_rate" (DOUBLE): deal_count / receptions */
    SMG_KPI_FOLLOWUP_ONTIME_RATE = 22 /**< "followup_ontime_rate" (DOUBLE): accepted registrations
                                           followed up in time (R3) / accepted registrations */
} smg_kpi_field;

/**
 * The JSON key of a field, which is the key text of RULES.md §5
 * ("sales_amount", "close_rate", ...), or NULL past the last field:
 * looping from 0 until NULL visits every KPI this library knows.
 * @since 0.2.0
 */
SMG_API const char *smg_kpi_field_name(smg_kpi_field field);

/** The type of a field: SMG_TYPE_MONEY (sales_amount, gross_profit,
 *  target_amount, expense_amount), SMG_TYPE_INT (the *_count KPIs) or
 *  SMG_TYPE_DOUBLE (the rates); 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_kpi_field_type(smg_kpi_field field);

/** Parse a field's key text ("close_rate").
 *  @return 0, SMG_EINVAL (NULL) or SMG_EPARSE (no such KPI). @since 0.2.0 */
SMG_API int smg_kpi_field_parse(smg_kpi_field *out, const char *name);

/** Which rows a KPI report has (a bit set). @since 0.2.0 */
typedef enum smg_rows {
    SMG_ROWS_MEMBERS = 1, /**< one row per member */
    SMG_ROWS_TEAMS = 2,   /**< one row per team, and the company (with full rights) */
    SMG_ROWS_ALL = 3      /**< both */
} smg_rows;

/** The date ranges of a KPI report (smg_kpi_report_period()). @since 0.2.0 */
typedef enum smg_range {
    SMG_RANGE_PERIOD = 0,      /**< the period asked about */
    SMG_RANGE_PREVIOUS = 1,    /**< the previous equal period (growth_pop, retention, lost) */
    SMG_RANGE_YEAR_EARLIER = 2 /**< the period a year earlier (growth_yoy) */
} smg_range;

/**
 * A month index: every summable KPI part of every member, month by month,
 * and the credited deals of each month, built by one pass over the log
 * (smg_kpi_index_build()). With it, smg_kpi_compute() answers a period
 * made of whole months — a month, a quarter, a year, with their previous
 * periods and years earlier — without reading the log: a dashboard that
 * asks for many periods pays for the pass once, as a database pays once
 * for an index. Read-only once built, but it is read through its org
 * (smg_kpi_compute() records its errors there), so it is used by one
 * thread at a time, as the org is; give each thread its own org and index.
 */
typedef struct smg_kpi_index smg_kpi_index;

/** Version of smg_kpi_options understood by this library. */
#define SMG_KPI_OPTIONS_VERSION 1

/**
 * Options of smg_kpi_compute() and smg_kpi_compute_many(). Initialise with
 * SMG_KPI_OPTIONS_INIT or smg_kpi_options_init(); fields are only ever
 * appended.
 *
 * Visibility (RULES.md §1): with @c as_member set, the report holds only
 * what that member may see. A `rep` sees their own row only. A `leader`,
 * `supervisor`, `manager` or `director` sees their own row and the members
 * and teams of the subtree of every team they lead (the team table's SMG_TEAM_LEADER); a
 * member of those roles who leads no team sees their own row only. The
 * company row needs full rights (@c as_member NULL). Asking for something
 * outside that scope — a @c subject outside it, or team rows only from
 * someone who may see no team — fails with SMG_EACCESS and a message,
 * never with an empty report.
 * @since 0.2.0
 */
typedef struct smg_kpi_options {
    unsigned version;       /**< SMG_KPI_OPTIONS_VERSION */
    /** Member id the report is made on behalf of; NULL = full rights. */
    const char *as_member;
    /** Credited deals to use: a result of smg_attribution_compute() on this
     *  org, unchanged since. NULL = run the attribution (whole log) inside
     *  (or, with @c index, use the index's). Deals after an attribution's
     *  `until` are not counted anywhere. */
    const smg_attribution *attribution;
    /** The period; required (smg_kpi_compute()): SMG_KPI_OPTIONS_INIT
     *  leaves it unset (kind 0). Ignored by smg_kpi_compute_many(). */
    smg_period period;
    /** The rows wanted, a bit set of smg_rows; SMG_ROWS_ALL by default. */
    unsigned rows;
    /** Restrict the rows: NULL = everything visible; a member = that
     *  member's row; a team = the team's subtree (its teams and/or members,
     *  as @c rows says); the company = the company row. */
    const smg_subject *subject;
    /** A month index of this org, unchanged since it was built
     *  (smg_kpi_index_build()), or NULL. Periods whose three ranges are
     *  whole months are then read from it; others read the log as without
     *  it, with the index's attribution result. @c attribution must then be
     *  NULL or the result the index was built from. The figures are the
     *  same either way. */
    const smg_kpi_index *index;
} smg_kpi_options;

#define SMG_KPI_OPTIONS_INIT \
    { SMG_KPI_OPTIONS_VERSION, NULL, NULL, { (smg_period_kind)0, 0, 0 }, SMG_ROWS_ALL, NULL, NULL }

/** Initialise @p opts as SMG_KPI_OPTIONS_INIT for @p version.
 *  @return 0, SMG_EINVAL (NULL) or SMG_EVERSION. @since 0.2.0 */
SMG_API int smg_kpi_options_init(smg_kpi_options *opts, unsigned version);

/** A KPI report. Opaque, read-only once built; it does not refer to the
 *  org and may be shared between threads. */
typedef struct smg_kpi_report smg_kpi_report;

/**
 * Compute every KPI for @p opts->period, for the rows it asks for.
 * Rows: members in index order, then teams in index order, then the
 * company (as @c rows, @c subject and the visibility allow).
 * @param out receives the report (NULL on failure); free with smg_kpi_report_free()
 * @return 0, SMG_EINVAL (NULL @p out or @p org; NULL @p opts or no period;
 *         a period or subject that is not valid; bad @c rows; an
 *         attribution result or index of another org or out of date),
 *         SMG_EVERSION, SMG_ENOTFOUND (@c as_member does not exist),
 *         SMG_EACCESS (outside what @c as_member may see), SMG_ERANGE (a sum
 *         overflows; a target cannot be split), SMG_ESTATE (a batch is open),
 *         SMG_ENOMEM; the message is on the org (smg_org_errmsg())
 * @since 0.2.0
 */
SMG_API int smg_kpi_compute(smg_kpi_report **out, smg_org *org, const smg_kpi_options *opts);

/**
 * Compute the reports of several periods in one pass over the log: the
 * same as calling smg_kpi_compute() for each of @p periods in turn (with
 * @c opts->period ignored), only faster — the log is read once for all of
 * them (the twelve months of a year, say, with their previous periods and
 * years earlier). Memory grows with the number of periods times the
 * number of members.
 * @param out   receives @p nperiods reports, out[i] for periods[i] (all NULL
 *              on failure); free each with smg_kpi_report_free()
 * @param opts  as smg_kpi_compute(); NULL = the defaults
 * @return as smg_kpi_compute(); SMG_EINVAL also for no period
 * @since 0.2.0
 */
SMG_API int smg_kpi_compute_many(smg_kpi_report **out, smg_org *org, const smg_kpi_options *opts,
                                 const smg_period *periods, size_t nperiods);

/** Version of smg_kpi_index_options understood by this library. */
#define SMG_KPI_INDEX_OPTIONS_VERSION 1

/**
 * Options of smg_kpi_index_build(). Initialise with
 * SMG_KPI_INDEX_OPTIONS_INIT or smg_kpi_index_options_init(); fields are
 * only ever appended.
 * @since 0.2.0
 */
typedef struct smg_kpi_index_options {
    unsigned version;       /**< SMG_KPI_INDEX_OPTIONS_VERSION */
    /** Must be NULL: the index holds every member's figures, and the
     *  visibility of each query made with it applies (smg_kpi_options). */
    const char *as_member;
    /** The credited deals: a result of smg_attribution_compute() on this org,
     *  unchanged since, which must outlive the index; NULL = run the
     *  attribution (whole log) inside, kept by the index. */
    const smg_attribution *attribution;
} smg_kpi_index_options;

#define SMG_KPI_INDEX_OPTIONS_INIT { SMG_KPI_INDEX_OPTIONS_VERSION, NULL, NULL }

/** Initialise @p opts as SMG_KPI_INDEX_OPTIONS_INIT for @p version.
 *  @return 0, SMG_EINVAL (NULL) or SMG_EVERSION. @since 0.2.0 */
SMG_API int smg_kpi_index_options_init(smg_kpi_index_options *opts, unsigned version);

/**
 * Build the month index of @p org (see smg_kpi_index): one pass over the
 * whole log, as smg_kpi_compute() of the log's whole span would make,
 * keeping the sums of every month from the first event's to the last
 * event's. Memory: about 200 bytes per member (and one for the company)
 * and month of the log's span, plus 9 bytes per credited deal.
 * @param out   receives the index (NULL on failure); free with smg_kpi_index_free()
 * @param opts  NULL = the defaults
 * @return 0, SMG_EINVAL (NULL @p out or @p org, @c as_member set, an
 *         attribution result of another org or out of date), SMG_EVERSION,
 *         SMG_ESTATE (a batch is open), SMG_ERANGE (a sum overflows; or the
 *         log is so sparse — a few events centuries apart — that
 *         (members + 1) × months would exceed 16 × events + 2^20),
 *         SMG_ENOMEM; message on the org.
 *         Any commit to the org makes the index out of date: queries with it
 *         then fail with SMG_EINVAL until it is built again.
 * @since 0.2.0
 */
SMG_API int smg_kpi_index_build(smg_kpi_index **out, smg_org *org,
                                const smg_kpi_index_options *opts);

/**
 * Bring an index up to date with its org's current state: the same index
 * as smg_kpi_index_build() would make now. An index that holds its own
 * attribution result updates it (smg_attribution_update()); one built
 * from the caller's result needs that result updated first.
 *
 * When only events were appended since (see smg_attribution_update()),
 * only the months from the earliest one the new events touch are counted
 * again — the month of the first new event, or of an older deal whose
 * credit a new claim or override changed, or of a registration a new
 * follow-up made on time. Anything else (a late event, a cancel of an
 * older event, a new member, a link, a policy change) rebuilds every
 * month. Nothing changed: 0 at once.
 * @return 0, SMG_EINVAL (NULL, another org, or the caller's attribution
 *         result is out of date), SMG_ESTATE (a batch is open), SMG_ERANGE
 *         (the log became too sparse for an index), SMG_ENOMEM; the message
 *         is on the org. On failure the index is unchanged (it reads as
 *         out of date) and may be updated again or freed.
 * @since 0.3.0
 */
SMG_API int smg_kpi_index_update(smg_kpi_index *ix, smg_org *org);

/** Free a month index. NULL is accepted. @since 0.2.0 */
SMG_API void smg_kpi_index_free(smg_kpi_index *ix);

/** Free a report. NULL is accepted. @since 0.2.0 */
SMG_API void smg_kpi_report_free(smg_kpi_report *r);

/** Number of rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_kpi_count(const smg_kpi_report *r);

/**
 * The subject of row @p row: a member, a team (and its whole subtree) or
 * the company (index 0).
 * @return 0, or SMG_EINVAL (NULL, bad row; @p out is then untouched)
 * @since 0.2.0
 */
SMG_API int smg_kpi_subject(const smg_kpi_report *r, size_t row, smg_subject *out);

/**
 * A money or count KPI of row @p row, exact (money in minor units).
 * @param is_null receives 1 when null (target_amount without a target; *out
 *                is then 0), else 0 (may be NULL)
 * @return 0, or SMG_EINVAL (NULL, bad row, unknown field, a DOUBLE field;
 *         @p out is then untouched)
 * @since 0.2.0
 */
SMG_API int smg_kpi_int(const smg_kpi_report *r, size_t row, smg_kpi_field field,
                        int64_t *out, int *is_null);

/**
 * Any KPI of row @p row as a double (money in minor units, counts as
 * whole numbers, rates as fractions).
 * @param is_null receives 1 when null (zero denominator, no target; *out is
 *                then 0), else 0 (may be NULL)
 * @return 0, or SMG_EINVAL (NULL, bad row, unknown field; @p out is then
 *         untouched)
 * @since 0.2.0
 */
SMG_API int smg_kpi_double(const smg_kpi_report *r, size_t row, smg_kpi_field field,
                           double *out, int *is_null);

/**
 * A date range of the report as a period: the period asked about (as it
 * was given), the previous equal period (of the same kind), or the period a
 * year earlier (a year, quarter or month of the same kind; for a week or a
 * range, a range of the same dates a year earlier).
 * @return 0 or SMG_EINVAL (NULL, unknown @p which)
 * @since 0.2.0
 */
SMG_API int smg_kpi_report_period(const smg_kpi_report *r, smg_range which, smg_period *out);

/**
 * Mergeable partial results (ARCHITECTURE.md "Scale past one machine"):
 * add the numerators and denominators of @p part into @p into, so that
 * reports computed on partitions of the data add up to the report of the
 * whole. Valid when the partitions split the events by attribution key
 * (every event of a customer key, and its deals, in one partition; events
 * without a customer — expenses, for one — in exactly one partition) and
 * both reports were computed with the same rows and period: then every
 * KPI, the distinct-key counts included, merges exactly. Targets are not
 * added (each partition sees the whole plan): @p into keeps its own.
 * @return 0, SMG_EINVAL (NULL, different periods or rows), SMG_ERANGE (a sum
 *         overflows; nothing is changed)
 * @since 0.2.0
 */
SMG_API int smg_kpi_report_merge(smg_kpi_report *into, const smg_kpi_report *part);

SMG_END_DECLS

#endif /* SMG_KPI_H */
