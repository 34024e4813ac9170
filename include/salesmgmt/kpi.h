/**
 * @file salesmgmt/kpi.h
 * @brief KPIs (考核指标, RULES.md §5) for every member, every team and the
 *        company, over a period.
 *
 * smg_kpi_compute() reads the credited deals of an attribution result
 * (RULES.md §4) and the event log, and builds a read-only report: one row
 * per member, team or the company, every KPI of RULES.md §5 readable by an
 * enum key. The report does not refer to the org once built.
 *
 * Units: money KPIs (smg_kpi_is_money()) are integer minor units (分 /
 * cents) — exact through smg_kpi_money(), the same number as a double
 * through smg_kpi_get(); counts are whole numbers; rates are plain
 * fractions (0.85, not 85). A rate whose denominator is zero is null,
 * never 0, NaN or infinity.
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
 * Periods: "YYYY", "YYYY-Qn", "YYYY-MM" or "FROM..TO" (both days
 * inclusive). The previous equal period (growth_pop, retention_rate,
 * lost_customer_count) of a year, quarter or month is the one before it;
 * of a FROM..TO range of N days, the N days before FROM. The period a year
 * earlier (growth_yoy) of a year, quarter or month is the same year,
 * quarter or month of the previous year (all its days: February 2024 for
 * February 2025); of a FROM..TO range, the same dates one year earlier
 * (29 February → 28 February).
 */
#ifndef SMG_KPI_H
#define SMG_KPI_H

#include "org.h"
#include "attribution.h"

SMG_BEGIN_DECLS

/**
 * The KPIs, in the order of RULES.md §5. Values are stable; a new KPI is a
 * new value appended at the end.
 */
typedef enum smg_kpi {
    SMG_KPI_SALES_AMOUNT = 0,         /**< "sales_amount": Σ amounts of the credited deals (money) */
    SMG_KPI_DEAL_COUNT = 1,           /**< "deal_count": credited deals */
    SMG_KPI_GROSS_PROFIT = 2,         /**< "gross_profit": Σ (amount − cost); no cost = 0 (money) */
    SMG_KPI_TARGET_AMOUNT = 3,        /**< "target_amount": the sales_amount target (money). A
                                           team (or the company) without a target of its own
                                           for the period gets the sum of its direct members'
                                           and child teams' targets, worked out the same way;
                                           null when none of them has one */
    SMG_KPI_COMPLETION_RATE = 4,      /**< "completion_rate": sales_amount / target_amount */
    SMG_KPI_GROWTH_YOY = 5,           /**< "growth_yoy": (sales − sales a year earlier) / the latter */
    SMG_KPI_GROWTH_POP = 6,           /**< "growth_pop": the same against the previous equal period */
    SMG_KPI_PRICE_RETENTION_RATE = 7, /**< "price_retention_rate": Σ amount / Σ list amount over
                                           the deals with a list amount */
    SMG_KPI_EXPENSE_AMOUNT = 8,       /**< "expense_amount": Σ expenses (money) */
    SMG_KPI_EXPENSE_RATE = 9,         /**< "expense_rate": expense_amount / sales_amount */
    SMG_KPI_COLLECTION_RATE = 10,     /**< "collection_rate": payments in the period / (receivables
                                           open at its start + receivables raised in it) */
    SMG_KPI_VISIT_COUNT = 11,         /**< "visit_count" */
    SMG_KPI_VISIT_SUCCESS_RATE = 12,  /**< "visit_success_rate": successful visits / visits */
    SMG_KPI_COMPLAINT_COUNT = 13,     /**< "complaint_count" */
    SMG_KPI_COMPLAINT_RATE = 14,      /**< "complaint_rate": complaints / deal_count */
    SMG_KPI_NEW_CUSTOMER_COUNT = 15,  /**< "new_customer_count": keys whose first-ever deal
                                           (whoever was credited) is in the period and credited
                                           to the subject */
    SMG_KPI_RETENTION_RATE = 16,      /**< "retention_rate": keys with a deal credited to the
                                           subject in both the previous equal period and this one /
                                           keys with one in the previous period */
    SMG_KPI_LOST_CUSTOMER_COUNT = 17, /**< "lost_customer_count": keys with a deal credited to the
                                           subject in the previous equal period and none in this one */
    SMG_KPI_RECEPTION_COUNT = 18,     /**< "reception_count": non-duty receptions */
    SMG_KPI_REGISTRATION_RATE = 19,   /**< "registration_rate": accepted registrations / receptions */
    SMG_KPI_DEMO_RATE = 20,           /**< "demo_rate": demos / receptions */
    SMG_KPI_CLOSE_RATE = 21,          /**< "close_rate": deal_count / receptions */
    SMG_KPI_FOLLOWUP_ONTIME_RATE = 22 /**< "followup_ontime_rate": accepted registrations followed
                                           up in time (R3) / accepted registrations */
} smg_kpi;

/**
 * The key text of RULES.md §5 ("sales_amount", "close_rate", ...), or NULL
 * for an unknown value: looping from 0 until NULL visits every KPI this
 * library knows.
 * @since 0.1.0
 */
SMG_API const char *smg_kpi_name(smg_kpi key);

/** Parse a KPI key text. @return 0, SMG_EINVAL (NULL) or SMG_EPARSE. @since 0.1.0 */
SMG_API int smg_kpi_parse(smg_kpi *out, const char *name);

/** 1 if @p key is a money KPI (minor units; readable with smg_kpi_money()),
 *  0 otherwise (also for an unknown key). @since 0.1.0 */
SMG_API int smg_kpi_is_money(smg_kpi key);

/** Which rows a query asks for (a bit set). */
typedef enum smg_kpi_by {
    SMG_KPI_BY_MEMBER = 1, /**< one row per member */
    SMG_KPI_BY_TEAM = 2,   /**< one row per team, and the company (with full rights) */
    SMG_KPI_BY_BOTH = 3    /**< both */
} smg_kpi_by;

/** What a report row is about. Values are stable. */
typedef enum smg_kpi_subject {
    SMG_KPI_SUBJECT_MEMBER = 1,  /**< a member (index: smg_member_id()) */
    SMG_KPI_SUBJECT_TEAM = 2,    /**< a team and its whole subtree (index: smg_team_id()) */
    SMG_KPI_SUBJECT_COMPANY = 3  /**< the whole company (index -1) */
} smg_kpi_subject;

/**
 * A month index: every summable KPI part of every member, month by month,
 * and the credited deals of each month, built by one pass over the log
 * (smg_kpi_index_build()). With it, smg_kpi_compute() answers a period
 * made of whole months — a month, a quarter, a year, with their previous
 * periods and years earlier — without reading the log: a dashboard that
 * asks for many periods pays for the pass once, as a database pays once
 * for an index. Read-only once built; may be shared between threads.
 */
typedef struct smg_kpi_index smg_kpi_index;

/** Version of smg_kpi_query understood by this library. */
#define SMG_KPI_QUERY_VERSION 2

/**
 * A KPI query. Initialise with SMG_KPI_QUERY_INIT or smg_kpi_query_init();
 * fields are only ever appended.
 *
 * Visibility (RULES.md §1): with @c as_member set, the report holds only
 * what that member may see. A `rep` sees their own row only. A `leader`,
 * `supervisor`, `manager` or `director` sees their own row and the members
 * and teams of the subtree of every team they lead (smg_team_leader()); a
 * member of those roles who leads no team sees their own row only. The
 * company row needs full rights (@c as_member NULL). Asking for something
 * outside that scope — a @c subject outside it, or team rows from someone
 * who may see no team — fails with SMG_EACCESS and a message, never with
 * an empty report.
 * @since 0.1.0
 */
typedef struct smg_kpi_query {
    unsigned version;       /**< SMG_KPI_QUERY_VERSION */
    const char *period;     /**< "YYYY", "YYYY-Qn", "YYYY-MM" or "FROM..TO"; required */
    smg_kpi_by by;          /**< rows wanted; SMG_KPI_BY_BOTH by default */
    const char *as_member;  /**< member id the query is made on behalf of; NULL = full rights */
    /** Credited deals to use: a result of smg_attribution_run() on this
     *  org, unchanged since. NULL = run the attribution (whole log) inside.
     *  Deals after an attribution's `until` are not counted anywhere. */
    const smg_attribution *attribution;
    /** Restrict the rows: NULL = everything visible; "member:ID" = that
     *  member's row; "team:ID" = the team's subtree (its teams and/or members,
     *  as @c by says); "company" = the company row. */
    const char *subject;
    /** (version 2) A month index of this org, unchanged since it was built
     *  (smg_kpi_index_build()), or NULL. Periods whose three ranges are
     *  whole months are then read from it; others read the log as without
     *  it, with the index's attribution result. @c attribution must then be
     *  NULL or the result the index was built from. The figures are the
     *  same either way. @since 0.1.0 */
    const smg_kpi_index *index;
} smg_kpi_query;

#define SMG_KPI_QUERY_INIT { SMG_KPI_QUERY_VERSION, NULL, SMG_KPI_BY_BOTH, NULL, NULL, NULL, NULL }

/** Initialise @p q as SMG_KPI_QUERY_INIT for @p version (1 or 2; a
 *  version-1 struct has no @c index field and is not written past its end).
 *  @return 0, SMG_EINVAL or SMG_EVERSION. @since 0.1.0 */
SMG_API int smg_kpi_query_init(smg_kpi_query *q, unsigned version);

/** A KPI report. Opaque, read-only once built; it does not refer to the
 *  org and may be shared between threads. */
typedef struct smg_kpi_report smg_kpi_report;

/**
 * Compute every KPI for the period of @p q, for the rows it asks for.
 * Rows: members in index order, then teams in index order, then the
 * company (as @c by, @c subject and the visibility allow).
 * @param out receives the report (NULL on failure); free with smg_kpi_report_free()
 * @return 0, SMG_EINVAL (NULL, a bad @c by, an attribution result of another
 *         org or out of date), SMG_EVERSION, SMG_EPARSE (period or subject),
 *         SMG_ENOTFOUND (@c as_member or the subject does not exist),
 *         SMG_EACCESS (outside what @c as_member may see), SMG_ERANGE (a sum
 *         overflows; a target cannot be split), SMG_ESTATE (a batch is open),
 *         SMG_ENOMEM; the message is on the org (smg_org_errmsg())
 * @since 0.1.0
 */
SMG_API int smg_kpi_compute(smg_org *org, const smg_kpi_query *q, smg_kpi_report **out);

/**
 * Compute the reports of several periods in one pass over the log: the
 * same as calling smg_kpi_compute() for each of @p periods in turn (with
 * @c q->period ignored), only faster — the log is read once for all of
 * them (the twelve months of a year, say, with their previous periods and
 * years earlier). Memory grows with the number of periods times the
 * number of members.
 * @param out receives @p nperiods reports, out[i] for periods[i] (all NULL
 *        on failure); free each with smg_kpi_report_free()
 * @return as smg_kpi_compute(); SMG_EINVAL also for no period
 * @since 0.1.0
 */
SMG_API int smg_kpi_compute_many(smg_org *org, const smg_kpi_query *q,
                                 const char *const *periods, size_t nperiods,
                                 smg_kpi_report **out);

/**
 * Build the month index of @p org (see smg_kpi_index): one pass over the
 * whole log, as smg_kpi_compute() of the log's whole span would make,
 * keeping the sums of every month from the first event's to the last
 * event's. Memory: about 200 bytes per member (and one for the company)
 * and month of the log's span, plus 9 bytes per credited deal.
 * @param a    the credited deals: a result of smg_attribution_run() on this
 *             org, unchanged since, which must outlive the index; NULL = run
 *             the attribution (whole log) inside, kept by the index
 * @param out  receives the index (NULL on failure); free with smg_kpi_index_free()
 * @return 0, SMG_EINVAL (NULL org or @p out, an attribution result of
 *         another org or out of date), SMG_ESTATE (a batch is open),
 *         SMG_ERANGE (a sum overflows; or the log is so sparse — a few
 *         events centuries apart — that (members + 1) × months would exceed
 *         16 × events + 2^20), SMG_ENOMEM; message on the org.
 *         Any commit to the org makes the index out of date: queries with it
 *         then fail with SMG_EINVAL until it is built again.
 * @since 0.1.0
 */
SMG_API int smg_kpi_index_build(smg_org *org, const smg_attribution *a,
                                smg_kpi_index **out);

/** Free a month index. NULL is accepted. @since 0.1.0 */
SMG_API void smg_kpi_index_free(smg_kpi_index *ix);

/** Free a report. NULL is accepted. @since 0.1.0 */
SMG_API void smg_kpi_report_free(smg_kpi_report *r);

/** Number of rows. @since 0.1.0 */
SMG_API size_t smg_kpi_row_count(const smg_kpi_report *r);

/**
 * The subject of row @p row.
 * @param kind  receives the smg_kpi_subject (may be NULL)
 * @param index receives the member or team index, -1 for the company (may be NULL)
 * @return 0, SMG_EINVAL (NULL report) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_kpi_row(const smg_kpi_report *r, size_t row, smg_kpi_subject *kind,
                        long *index);

/**
 * One KPI of row @p row as a number (money in minor units).
 * @param value   receives the value; 0 when null
 * @param is_null receives 1 when the KPI is null (zero denominator, no
 *                target), else 0 (may be NULL)
 * @return 0, SMG_EINVAL (NULL, unknown key) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_kpi_get(const smg_kpi_report *r, size_t row, smg_kpi key, double *value,
                        int *is_null);

/**
 * A money KPI (sales_amount, gross_profit, target_amount, expense_amount)
 * of row @p row, exact, in minor units.
 * @param is_null receives 1 when null (target_amount without a target) (may be NULL)
 * @return 0, SMG_EINVAL (NULL, unknown or non-money key) or SMG_ERANGE (bad row)
 * @since 0.1.0
 */
SMG_API int smg_kpi_money(const smg_kpi_report *r, size_t row, smg_kpi key, smg_money *value,
                          int *is_null);

/** Which date range of a report smg_kpi_report_range() gives. */
typedef enum smg_kpi_range {
    SMG_KPI_RANGE_PERIOD = 0,      /**< the period asked about */
    SMG_KPI_RANGE_PREVIOUS = 1,    /**< the previous equal period (growth_pop, retention, lost) */
    SMG_KPI_RANGE_YEAR_EARLIER = 2 /**< the period a year earlier (growth_yoy) */
} smg_kpi_range;

/** The first and last day (inclusive) of a range of the report.
 *  @return 0 or SMG_EINVAL. @since 0.1.0 */
SMG_API int smg_kpi_report_range(const smg_kpi_report *r, smg_kpi_range which, smg_date *from,
                                 smg_date *to);

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
 * @since 0.1.0
 */
SMG_API int smg_kpi_report_merge(smg_kpi_report *into, const smg_kpi_report *part);

SMG_END_DECLS

#endif /* SMG_KPI_H */
