/**
 * @file salesmgmt/attribution.h
 * @brief Follow-up attribution (RULES.md §4): who gets the credit for each
 *        deal, and why.
 *
 * smg_attribution_run() replays the org's event log in time order (ties in
 * input order) under R1–R8 and the org's policy
 * (attribution.protect_days, attribution.claim_days,
 * attribution.first_followup_days), and returns a read-only result:
 * - one row per deal, in time order, with its closer, the credited member
 *   (or the company), the reason and the events that decided it;
 * - notices: rejected registrations (collisions), releases, rejected
 *   claims, missed first follow-ups (R3) and possible duplicate customers;
 * - the protection state of every attribution key at the end of the run.
 *
 * Fields are read with getters keyed by an enum, so new fields are new
 * enum values, not ABI changes. Events are named by their input position
 * (0-based, over the whole log: the order they were added in).
 *
 * A result reads member, customer and deal ids from its org: it stays
 * valid while the org is not changed; after a change, getters that need
 * the org return NULL / SMG_ESTATE. Free the result before the org.
 */
#ifndef SMG_ATTRIBUTION_H
#define SMG_ATTRIBUTION_H

#include "org.h"

SMG_BEGIN_DECLS

/** The result of a replay. Opaque, read-only once built; may be shared
 *  between threads. */
typedef struct smg_attribution smg_attribution;

/** Why a deal is credited to whom (RULES.md R4–R7). Values are stable. */
typedef enum smg_reason {
    SMG_REASON_UNPROTECTED = 1,         /**< nobody protected the key: the closer */
    SMG_REASON_OWNER = 2,               /**< the closer protected the key */
    SMG_REASON_PROTECTED_UNCLAIMED = 3, /**< another member protected it and did not claim */
    SMG_REASON_CLAIMED = 4,             /**< the protector claimed it in time (R5) */
    SMG_REASON_OVERRIDE = 5,            /**< a manager's decision for a member (R7) */
    SMG_REASON_COMPANY = 6              /**< a manager's decision for the company (R7) */
} smg_reason;

/** "unprotected", "owner", ..., or NULL for an unknown value. @since 0.1.0 */
SMG_API const char *smg_reason_name(smg_reason reason);

/** Version of smg_attribution_options understood by this library. */
#define SMG_ATTRIBUTION_OPTIONS_VERSION 1

/**
 * Options for smg_attribution_run(). Initialise with
 * SMG_ATTRIBUTION_OPTIONS_INIT; fields are only ever appended.
 * @since 0.1.0
 */
typedef struct smg_attribution_options {
    unsigned version;  /**< SMG_ATTRIBUTION_OPTIONS_VERSION */
    /** Replay only the events before this moment (the state "as of" it);
     *  SMG_TIME_NONE = the whole log, as of the last event. */
    smg_time until;
} smg_attribution_options;

#define SMG_ATTRIBUTION_OPTIONS_INIT { SMG_ATTRIBUTION_OPTIONS_VERSION, SMG_TIME_NONE }

/**
 * Replay the org's event log. @p opts may be NULL (the whole log).
 * @return 0, SMG_EINVAL, SMG_EVERSION, SMG_ESTATE (a batch is open),
 *         SMG_ENOMEM
 * @since 0.1.0
 */
SMG_API int smg_attribution_run(smg_org *org, const smg_attribution_options *opts,
                                smg_attribution **out);

/** Free a result. NULL is accepted. @since 0.1.0 */
SMG_API void smg_attribution_free(smg_attribution *a);

/** Number of deal rows (every deal of the replayed log). @since 0.1.0 */
SMG_API size_t smg_attribution_deal_count(const smg_attribution *a);

/** Fields of a deal row, for smg_attribution_deal(). Values are stable. */
typedef enum smg_deal_field {
    SMG_DEAL_INDEX = 1,       /**< the deal's index in the org (smg_deal_id()) */
    SMG_DEAL_CLOSER = 2,      /**< member index of the closer */
    SMG_DEAL_CREDITED = 3,    /**< member index credited; -1 = the company */
    SMG_DEAL_REASON = 4,      /**< smg_reason */
    SMG_DEAL_CUSTOMER = 5,    /**< customer index */
    SMG_DEAL_KEY = 6,         /**< attribution key index */
    SMG_DEAL_DAY = 7,         /**< smg_date of the deal */
    SMG_DEAL_AMOUNT = 8,      /**< amount in minor units */
    SMG_DEAL_PROTECTOR = 9,   /**< member protecting the key at the deal, or -1 */
    SMG_DEAL_EV_DEAL = 10,    /**< input position of the deal event */
    SMG_DEAL_EV_REGISTRATION = 11, /**< the registration (or first deal) that made
                                        the protection at the deal, or -1 */
    SMG_DEAL_EV_CONTACT = 12, /**< the protector's latest contact before the deal, or -1 */
    SMG_DEAL_EV_CLAIM = 13,   /**< the accepted claim, or -1 */
    SMG_DEAL_EV_OVERRIDE = 14 /**< the deciding override, or -1 */
} smg_deal_field;

/**
 * A field of deal row @p row (rows are in time order).
 * @return the value; -1 for "none"; INT64_MIN for a bad row or field
 * @since 0.1.0
 */
SMG_API int64_t smg_attribution_deal(const smg_attribution *a, size_t row,
                                     smg_deal_field field);

/** What a notice reports. Values are stable. */
typedef enum smg_notice_kind {
    SMG_NOTICE_COLLISION = 1,     /**< a registration rejected: another member protects the key (撞车) */
    SMG_NOTICE_RELEASE = 2,       /**< a protection ran out or was voided (放弃处理) */
    SMG_NOTICE_CLAIM_LATE = 3,    /**< a claim after the claim window (claim_late) */
    SMG_NOTICE_CLAIM_INVALID = 4, /**< a claim by someone who may not claim (claim_invalid) */
    SMG_NOTICE_LATE_FOLLOWUP = 5, /**< a registration not followed up in time (R3) */
    SMG_NOTICE_DUPLICATE = 6      /**< two customers with the same normalised phone (撞单) */
} smg_notice_kind;

/** "collision", "release", "claim_late", "claim_invalid", "late_followup",
 *  "duplicate", or NULL. @since 0.1.0 */
SMG_API const char *smg_notice_kind_name(smg_notice_kind kind);

/** Fields of a notice, for smg_attribution_notice(). Values are stable. */
typedef enum smg_notice_field {
    SMG_NOTICE_KIND = 1,     /**< smg_notice_kind */
    SMG_NOTICE_DAY = 2,      /**< the day it happened (a release: its first unprotected day) */
    SMG_NOTICE_MEMBER = 3,   /**< the member acting (registering, claiming) or losing the protection */
    SMG_NOTICE_OTHER = 4,    /**< collision: the protector; claim: the protector at the deal; or -1 */
    SMG_NOTICE_KEY = 5,      /**< attribution key index, or -1 */
    SMG_NOTICE_CUSTOMER = 6, /**< customer index, or -1 */
    SMG_NOTICE_EVENT = 7,    /**< input position of the event concerned, or -1 */
    SMG_NOTICE_DEAL = 8,     /**< claims: the deal's index in the org, or -1 */
    SMG_NOTICE_CAUSE = 9,    /**< release: 1 = ran out, 2 = voided (R6); duplicate: the
                                  customer index it duplicates; else -1 */
    SMG_NOTICE_DEADLINE = 10 /**< late follow-up: the last day it was due; else -1 */
} smg_notice_field;

/** Number of notices; they are ordered by day, then by kind. @since 0.1.0 */
SMG_API size_t smg_attribution_notice_count(const smg_attribution *a);

/**
 * A field of notice @p i.
 * @return the value; -1 for "none"; INT64_MIN for a bad index or field
 * @since 0.1.0
 */
SMG_API int64_t smg_attribution_notice(const smg_attribution *a, size_t i,
                                       smg_notice_field field);

/**
 * The protection of attribution key @p key at the end of the run.
 * @param member  receives the protector's member index, or -1
 * @param through receives the last protected day (SMG_DATE_NONE when none)
 * @param last_contact receives the input position of the protector's
 *        latest contact, or -1 (any pointer may be NULL)
 * @return 0, or SMG_EINVAL for a bad key
 * @since 0.1.0
 */
SMG_API int smg_attribution_protector(const smg_attribution *a, size_t key, long *member,
                                      smg_date *through, long *last_contact);

/**
 * The follow-up reminder list (每天检查): attribution keys protected on
 * @p day whose protection ends within @p within_days days (the last
 * protected day is before @p day + @p within_days), ordered by protector
 * then last protected day then key. Writes up to @p cap key indices.
 * @return the number of such keys (call with cap 0 to size the buffer)
 * @since 0.1.0
 */
SMG_API size_t smg_attribution_expiring(const smg_attribution *a, smg_date day,
                                        int within_days, size_t *keys, size_t cap);

/**
 * Accepted registrations and the R3 check: the number of registrations of
 * the run, and whether registration @p i (in time order) was followed up
 * in time by the same member.
 * @since 0.1.0
 */
SMG_API size_t smg_attribution_registration_count(const smg_attribution *a);
/** Input position, member and on-time flag (1/0) of registration @p i.
 *  @return 0 or SMG_EINVAL. @since 0.1.0 */
SMG_API int smg_attribution_registration(const smg_attribution *a, size_t i, long *event,
                                         long *member, int *ontime);

/** Id of the org's deal at @p index (see SMG_DEAL_INDEX), or NULL. @since 0.1.0 */
SMG_API const char *smg_deal_id(const smg_org *org, size_t index);

SMG_END_DECLS

#endif /* SMG_ATTRIBUTION_H */
