/**
 * @file salesmgmt/scorecard.h
 * @brief The scorecard (考核细则, RULES.md §6): weighted checklist items,
 *        faults and report deadlines, and the monthly work score they give.
 *
 * The embedding program defines the items (smg_scorecard_item_add()); the
 * log says what went wrong (`fault` events) and what was handed in on time
 * (`submit` events); smg_scorecard_compute() gives, per member and month,
 * the score of every item that applies to the member and the work score,
 * and says where the work score came from: a `work_score` event (given,
 * which always wins), the scorecard, or neither. smg_pay_compute() takes
 * its work score from the same rules.
 *
 * Points are hundredths of a point (`int64_t`, 60 points = 6000), as work
 * scores are in `work_score` events: the handbook's items have half points.
 */
#ifndef SMG_SCORECARD_H
#define SMG_SCORECARD_H

#include "org.h"
#include "team.h"

SMG_BEGIN_DECLS

/** An absent number of points: an item without a deduction per fault,
 *  which any fault zeroes ("该项不得分"). */
#define SMG_POINTS_NONE INT64_MIN

/** The bit of role @p role in a set of roles (smg_scorecard_item_add()):
 *  `SMG_ROLE_BIT(SMG_ROLE_REP) | SMG_ROLE_BIT(SMG_ROLE_LEADER)`. */
#define SMG_ROLE_BIT(role) (1u << (unsigned)(role))

/** How often an item's report is due. Values are stable. */
typedef enum smg_deadline_kind {
    SMG_DEADLINE_NONE = 0,    /**< no deadline */
    SMG_DEADLINE_MONTHLY = 1, /**< `monthly:DD`: by the end of day DD of every month (the
                                   month's last day when it is shorter) */
    SMG_DEADLINE_WEEKLY = 2   /**< `weekly:DOW`: one a Monday–Sunday week, by the end of
                                   weekday DOW of that week */
} smg_deadline_kind;

/** A deadline: a plain value. @c day is 1–31 for SMG_DEADLINE_MONTHLY,
 *  the weekday 0 (Monday) – 6 (Sunday) for SMG_DEADLINE_WEEKLY (as
 *  smg_date_weekday()), 0 for SMG_DEADLINE_NONE. */
typedef struct smg_deadline {
    smg_deadline_kind kind;
    int day;
} smg_deadline;

/**
 * Parse a deadline as scorecard.csv writes it: "monthly:DD" (DD 1–31, one
 * or two digits), "weekly:mon" … "weekly:sun", or "" (none).
 * @return 0, SMG_EINVAL (NULL) or SMG_EPARSE (*out untouched)
 * @since 0.2.0
 */
SMG_API int smg_deadline_parse(smg_deadline *out, const char *s);

/**
 * Write @p d as smg_deadline_parse() reads it ("monthly:30", "weekly:fri",
 * "" for none).
 * @return the length; SMG_EINVAL (NULL, an invalid deadline); SMG_ERANGE
 *         when @p len is too small
 * @since 0.2.0
 */
SMG_API int smg_deadline_format(char *buf, size_t len, const smg_deadline *d);

/**
 * Add a scorecard item.
 *
 * @param item_id   the item's id (1–64 bytes, no control characters), unique
 * @param parent_id the item it is part of (its points count toward it), or
 *                  NULL / "" for a top-level item; the parent may be added
 *                  later in the same batch
 * @param points_x100 the item's points in hundredths, 0–10000 (0–100 points)
 * @param deduct_x100 points taken off per fault, in hundredths, 1–10000; or
 *                  SMG_POINTS_NONE: any fault zeroes the item. An item with
 *                  children takes none (a fault on it zeroes it)
 * @param roles     the roles it applies to, a set of SMG_ROLE_BIT(); 0 = all.
 *                  A child applies to a role only when its parent does too
 * @param due       its deadline, or NULL for none
 *
 * Checked at commit, over every item: the parent exists and the parents
 * form no cycle; the points of an item's children add up to at most its
 * own; an item with children has no deduction; the top-level items that
 * apply to one role add up to at most 100 points. Messages name
 * "scorecard.csv:LINE: column COL:" for a dataset's rows.
 *
 * @return 0, SMG_EINVAL (NULL org, a malformed id), SMG_EEXISTS (the id is
 *         taken), SMG_ERANGE (points, deduction, roles or deadline out of
 *         range), SMG_ENOMEM; at commit SMG_ENOTFOUND (no such parent) or
 *         SMG_ERULE (the other checks)
 * @since 0.2.0
 */
SMG_API int smg_scorecard_item_add(smg_org *org, const char *item_id, const char *parent_id,
                                   int64_t points_x100, int64_t deduct_x100, unsigned roles,
                                   const smg_deadline *due);

/** Index of item @p item_id (committed), or SMG_ENOTFOUND; SMG_EINVAL for
 *  NULLs. @since 0.2.0 */
SMG_API int smg_scorecard_item_find(const smg_org *org, const char *item_id, size_t *index);

/** Id of the item at @p index, or NULL past the committed items.
 *  @since 0.2.0 */
SMG_API const char *smg_scorecard_item_id(const smg_org *org, size_t index);

/** The fields of the item table: one row an item, in insertion order
 *  (docs/API.md "Reading a result"). */
typedef enum smg_scorecard_item_field {
    SMG_SCORECARD_ITEM_ID = 0,          /**< TEXT "id": the item id */
    SMG_SCORECARD_ITEM_PARENT = 1,      /**< INDEX "parent": the parent item; null at
                                             the top level */
    SMG_SCORECARD_ITEM_POINTS_X100 = 2, /**< INT "points_x100": points, in hundredths */
    SMG_SCORECARD_ITEM_DEDUCT_X100 = 3, /**< INT "deduct_x100": deduction per fault, in
                                             hundredths; null = any fault zeroes it */
    SMG_SCORECARD_ITEM_ROLES = 4,       /**< INT "roles": a set of SMG_ROLE_BIT(); 0 = all */
    SMG_SCORECARD_ITEM_DUE = 5,         /**< ENUM "due": smg_deadline_kind */
    SMG_SCORECARD_ITEM_DUE_DAY = 6      /**< INT "due_day": smg_deadline.day; null
                                             without a deadline */
} smg_scorecard_item_field;

/** Number of committed items (0 for NULL). @since 0.2.0 */
SMG_API size_t smg_scorecard_item_count(const smg_org *org);
/** Read an INDEX field of item @p row (SMG_SCORECARD_ITEM_PARENT).
 *  @return 0; SMG_EINVAL (NULL, a row past the count, an unknown field or
 *  one of another type; *out untouched) @since 0.2.0 */
SMG_API int smg_scorecard_item_index(const smg_org *org, size_t row,
                                     smg_scorecard_item_field f, size_t *out, int *is_null);
/** Read an INT or ENUM field of item @p row, as smg_scorecard_item_index().
 *  @since 0.2.0 */
SMG_API int smg_scorecard_item_int(const smg_org *org, size_t row, smg_scorecard_item_field f,
                                   int64_t *out, int *is_null);
/** Read a TEXT field of item @p row, as smg_scorecard_item_index().
 *  @since 0.2.0 */
SMG_API int smg_scorecard_item_text(const smg_org *org, size_t row,
                                    smg_scorecard_item_field f, const char **out,
                                    int *is_null);
/** The JSON key of field @p f ("id", "parent", "points_x100",
 *  "deduct_x100", "roles", "due", "due_day"), or NULL past the last.
 *  @since 0.2.0 */
SMG_API const char *smg_scorecard_item_field_name(smg_scorecard_item_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_scorecard_item_field_type(smg_scorecard_item_field f);

/* ---- the monthly scorecard ---- */

/** Where a member's work score of a month comes from (RULES.md §6).
 *  Values are stable. */
typedef enum smg_score_source {
    SMG_SCORE_SOURCE_NONE = 0,     /**< "none": no given score and no item applies (or the
                                        member was employed on no day of the month):
                                        the work score is 0 */
    SMG_SCORE_SOURCE_GIVEN = 1,    /**< "given": the month's latest `work_score` event */
    SMG_SCORE_SOURCE_SCORECARD = 2 /**< "scorecard": computed from the items */
} smg_score_source;

/** "none", "given" or "scorecard"; NULL for an unknown value. @since 0.2.0 */
SMG_API const char *smg_score_source_name(smg_score_source source);

/** Version of smg_scorecard_options understood by this library. */
#define SMG_SCORECARD_OPTIONS_VERSION 1

/**
 * Options of smg_scorecard_compute(). Initialise with
 * SMG_SCORECARD_OPTIONS_INIT or smg_scorecard_options_init(); fields are
 * only ever appended. The scorecard reads no credits or protections, so
 * (as the targets table) it has no attribution input.
 * @since 0.2.0
 */
typedef struct smg_scorecard_options {
    unsigned version;      /**< SMG_SCORECARD_OPTIONS_VERSION */
    /** Member the result is made on behalf of (RULES.md §1: a `rep` sees
     *  their own rows, a leader/supervisor/manager/director their own and
     *  those of the subtrees of the teams they lead); NULL = full rights. */
    const char *as_member;
    /** The month; required, of kind SMG_PERIOD_MONTH (smg_period_month()).
     *  SMG_SCORECARD_OPTIONS_INIT leaves it unset (kind 0). */
    smg_period month;
} smg_scorecard_options;

#define SMG_SCORECARD_OPTIONS_INIT \
    { SMG_SCORECARD_OPTIONS_VERSION, NULL, { (smg_period_kind)0, 0, 0 } }

/** Initialise @p opts as SMG_SCORECARD_OPTIONS_INIT for @p version.
 *  @return 0, SMG_EINVAL (NULL) or SMG_EVERSION. @since 0.2.0 */
SMG_API int smg_scorecard_options_init(smg_scorecard_options *opts, unsigned version);

/** The scorecard of one month. Opaque, read-only once built; it does not
 *  refer to the org and may be shared between threads. */
typedef struct smg_scorecard smg_scorecard;

/**
 * The scorecard of the month @p opts->month (RULES.md §6), for every member
 * the result may show, in member index order.
 *
 * An item applies to a member when its roles (and its ancestors') include
 * the member's role. Its faults in the month are the counts of its `fault`
 * events by the member, plus every deadline cycle of the month that the
 * member missed: a cycle is a month (`monthly:DD`, due on day DD, or the
 * month's last day when shorter) or a Monday–Sunday week (`weekly:DOW`,
 * due on that weekday; the week counts in the month of its due day); it is
 * missed when its due day lies within the member's start and leave dates
 * and the member has no `submit` event for the item from the cycle's first
 * day (the 1st of the month; the Monday) to the end of the due day
 * (23:59:59). A later submission does not cure it.
 *
 * - A leaf scores max(0, points − deduction × faults × m), where m = 2
 *   when the item had a fault the month before too (加倍扣分), else 1;
 *   without a deduction, any fault zeroes it.
 * - An item with children scores min(points, the sum of its children that
 *   apply to the member's role); any fault on the item itself zeroes it.
 * - The scorecard's score is the sum of the top-level items that apply,
 *   capped at 100.
 *
 * The member's work score is the month's latest `work_score` event when
 * there is one (SMG_SCORE_SOURCE_GIVEN), else the scorecard's score when
 * an item applies to the member and the member was employed on some day of
 * the month (SMG_SCORE_SOURCE_SCORECARD), else 0 (SMG_SCORE_SOURCE_NONE).
 * The lines table has a row for every item that applies to a member whom
 * the scorecard scores (also when a given score wins: the lines then show
 * what the scorecard says), parents before their children.
 *
 * @param out receives the result (NULL on failure); free with smg_scorecard_free()
 * @return 0, SMG_EINVAL (NULL @p out, @p org or @p opts; a month that is
 *         not a valid period of kind SMG_PERIOD_MONTH), SMG_EVERSION,
 *         SMG_ENOTFOUND (as_member), SMG_ESTATE (a batch is open),
 *         SMG_ENOMEM; the message is on the org
 * @since 0.2.0
 */
SMG_API int smg_scorecard_compute(smg_scorecard **out, smg_org *org,
                                  const smg_scorecard_options *opts);

/** Free a result. NULL is accepted. @since 0.2.0 */
SMG_API void smg_scorecard_free(smg_scorecard *r);

/** The fields of the member table: one row a visible member. Scores are
 *  points (DOUBLE); their exact hundredths are the *_x100 INT fields. */
typedef enum smg_scorecard_member_field {
    SMG_SCORECARD_MEMBER_MEMBER = 0,          /**< INDEX "member" */
    SMG_SCORECARD_MEMBER_WORK_SCORE = 1,      /**< DOUBLE "work_score": 0–100 */
    SMG_SCORECARD_MEMBER_SOURCE = 2,          /**< ENUM "source": smg_score_source */
    SMG_SCORECARD_MEMBER_WORK_SCORE_X100 = 3, /**< INT "work_score_x100" */
    SMG_SCORECARD_MEMBER_SCORECARD_SCORE = 4, /**< DOUBLE "scorecard_score": what the
                                                   scorecard gives (also when a given
                                                   score wins); null when it does not
                                                   score the member this month */
    SMG_SCORECARD_MEMBER_SCORECARD_SCORE_X100 = 5, /**< INT "scorecard_score_x100" */
    SMG_SCORECARD_MEMBER_FIRST_LINE = 6,      /**< INT "first_line": the member's first
                                                   row of the lines table (rows are
                                                   grouped by member, in member order) */
    SMG_SCORECARD_MEMBER_LINES = 7            /**< INT "lines": how many rows */
} smg_scorecard_member_field;

/** Number of member rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_scorecard_member_count(const smg_scorecard *r);
/** The subject of member row @p row: always a member.
 *  @return 0 or SMG_EINVAL (NULL, bad row). @since 0.2.0 */
SMG_API int smg_scorecard_member_subject(const smg_scorecard *r, size_t row, smg_subject *out);
/** An INDEX field of member row @p row.
 *  @return 0 or SMG_EINVAL (NULL, bad row, unknown field, a field of
 *  another type; @p out is then untouched). @since 0.2.0 */
SMG_API int smg_scorecard_member_index(const smg_scorecard *r, size_t row,
                                       smg_scorecard_member_field f, size_t *out, int *is_null);
/** An INT or ENUM field of member row @p row, as smg_scorecard_member_index().
 *  @since 0.2.0 */
SMG_API int smg_scorecard_member_int(const smg_scorecard *r, size_t row,
                                     smg_scorecard_member_field f, int64_t *out, int *is_null);
/** A DOUBLE field, or an INT or ENUM one converted, of member row @p row,
 *  as smg_scorecard_member_index(). @since 0.2.0 */
SMG_API int smg_scorecard_member_double(const smg_scorecard *r, size_t row,
                                        smg_scorecard_member_field f, double *out,
                                        int *is_null);
/** The JSON key of a field, or NULL past the last one. @since 0.2.0 */
SMG_API const char *smg_scorecard_member_field_name(smg_scorecard_member_field f);
/** The type of a field, or 0 for an unknown one. @since 0.2.0 */
SMG_API smg_type smg_scorecard_member_field_type(smg_scorecard_member_field f);

/** The fields of the lines table: one row a member and item. */
typedef enum smg_scorecard_line_field {
    SMG_SCORECARD_LINE_MEMBER = 0,     /**< INDEX "member" */
    SMG_SCORECARD_LINE_ITEM = 1,       /**< INDEX "item" (smg_scorecard_item_id()) */
    SMG_SCORECARD_LINE_SCORE = 2,      /**< DOUBLE "score": the item's points this month */
    SMG_SCORECARD_LINE_FAULTS = 3,     /**< INT "faults": fault counts plus missed deadlines */
    SMG_SCORECARD_LINE_DOUBLED = 4,    /**< BOOL "doubled": the deduction was doubled (a
                                            leaf with a deduction, with faults this month
                                            and the month before) */
    SMG_SCORECARD_LINE_SCORE_X100 = 5, /**< INT "score_x100" */
    SMG_SCORECARD_LINE_MISSED = 6,     /**< INT "missed": of the faults, the deadline
                                            cycles missed */
    SMG_SCORECARD_LINE_DEPTH = 7       /**< INT "depth": 0 for a top-level item, 1 for
                                            its children, ... */
} smg_scorecard_line_field;

/** Number of line rows; 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_scorecard_line_count(const smg_scorecard *r);
/** The subject of line row @p row: always a member.
 *  @return 0 or SMG_EINVAL (NULL, bad row). @since 0.2.0 */
SMG_API int smg_scorecard_line_subject(const smg_scorecard *r, size_t row, smg_subject *out);
/** An INDEX field of line row @p row, as smg_scorecard_member_index().
 *  @since 0.2.0 */
SMG_API int smg_scorecard_line_index(const smg_scorecard *r, size_t row,
                                     smg_scorecard_line_field f, size_t *out, int *is_null);
/** An INT or BOOL field of line row @p row, as smg_scorecard_member_index().
 *  @since 0.2.0 */
SMG_API int smg_scorecard_line_int(const smg_scorecard *r, size_t row,
                                   smg_scorecard_line_field f, int64_t *out, int *is_null);
/** A DOUBLE field, or an INT or BOOL one converted, of line row @p row.
 *  @since 0.2.0 */
SMG_API int smg_scorecard_line_double(const smg_scorecard *r, size_t row,
                                      smg_scorecard_line_field f, double *out, int *is_null);
/** The JSON key of a field, or NULL past the last one. @since 0.2.0 */
SMG_API const char *smg_scorecard_line_field_name(smg_scorecard_line_field f);
/** The type of a field, or 0 for an unknown one. @since 0.2.0 */
SMG_API smg_type smg_scorecard_line_field_type(smg_scorecard_line_field f);

SMG_END_DECLS

#endif /* SMG_SCORECARD_H */
