/**
 * @file salesmgmt/attribution.h
 * @brief Follow-up attribution (RULES.md §4): who gets the credit for each
 *        deal, and why.
 *
 * smg_attribution_compute() replays the org's event log in time order
 * (ties in input order) under R1–R9, the handovers, links and public-pool
 * rules of RULES.md §8 and the org's policy (attribution.protect_days,
 * attribution.claim_days, attribution.first_followup_days,
 * attribution.max_hold_days, attribution.max_protected,
 * attribution.reclaim_days), and returns a read-only result of four
 * tables, each read as docs/API.md "Reading a result" says:
 * - `deal`: one row per deal, in time order, with its closer, the credited
 *   member (or the company), the reason and the events that decided it;
 * - `notice`: rejected registrations (collisions, and the public pool's
 *   cap and cooldown), releases with their reason, rejected claims, missed
 *   first follow-ups (R3) and possible duplicate customers;
 * - `protection`: the attribution keys protected at the end of the replay;
 * - `registration`: the accepted registrations and the R3 check.
 *
 * Events are quoted by their **log position**: their row in processing
 * order (time, then input order), not the order they were added in.
 *
 * Attribution keys (smg_customer_key()) are those of the customers, merged
 * by `link` events as the replay meets them (RULES.md §8): a key that a
 * link merged into another is, from that moment on, the surviving key.
 * Every key a result gives is the key *at that moment*: a deal's and a
 * registration's the key when it happened (deals already closed keep
 * theirs), a protection's the key at the end of the replay.
 *
 * Visibility (RULES.md §1): with `as_member` the tables hold only what that
 * member may see — the deals they (or a member of a subtree they lead)
 * closed or are credited with; the notices about such a member (as the one
 * acting or losing a protection, or as the other party), and the possible
 * duplicates of a customer whose attribution key they see; the protections
 * and the registrations of such a member. The replay itself is always of
 * the whole log: other engines given this result (smg_kpi_*, smg_pay_*,
 * smg_visits_*) read every deal from it, whatever `as_member` it had, and
 * apply their own visibility.
 *
 * A result reads member, customer, key and deal back from its org's event
 * log: it stays valid while the org is not changed. Once the org has
 * changed (a commit, a policy change), every getter that takes a row
 * returns SMG_ESTATE, and smg_attribution_expiring() and
 * smg_attribution_protection_find() too. Free the result before the org.
 */
#ifndef SMG_ATTRIBUTION_H
#define SMG_ATTRIBUTION_H

#include "org.h"

SMG_BEGIN_DECLS

/** The result of a replay. Opaque, read-only once built; may be read from
 *  several threads at once while its org is not changed. */
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

/** "unprotected", "owner", ..., or NULL for an unknown value. @since 0.2.0 */
SMG_API const char *smg_reason_name(smg_reason reason);

/** Version of smg_attribution_options understood by this library. */
#define SMG_ATTRIBUTION_OPTIONS_VERSION 1

/**
 * Options for smg_attribution_compute(). Initialise with
 * SMG_ATTRIBUTION_OPTIONS_INIT or smg_attribution_options_init(); fields
 * are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_attribution_options {
    unsigned version;      /**< SMG_ATTRIBUTION_OPTIONS_VERSION */
    /** The member the result is for (RULES.md §1); NULL = full rights. */
    const char *as_member;
    /** Replay only the events before this moment (the state "as of" it);
     *  SMG_TIME_NONE (the default) = the whole log, as of its last event. */
    smg_time until;
} smg_attribution_options;

#define SMG_ATTRIBUTION_OPTIONS_INIT { SMG_ATTRIBUTION_OPTIONS_VERSION, 0, SMG_TIME_NONE }

/**
 * Initialise @p opts as SMG_ATTRIBUTION_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL (NULL) or SMG_EVERSION
 * @since 0.2.0
 */
SMG_API int smg_attribution_options_init(smg_attribution_options *opts, unsigned version);

/**
 * Replay the org's event log.
 * @param out  receives the result (NULL on failure); free with smg_attribution_free()
 * @param opts options, or NULL for the whole log with full rights
 * @return 0, SMG_EINVAL (NULL), SMG_EVERSION, SMG_ENOTFOUND (no member
 *         `as_member`), SMG_ESTATE (a batch is open), SMG_ENOMEM; the
 *         message is on the org
 * @since 0.2.0
 */
SMG_API int smg_attribution_compute(smg_attribution **out, smg_org *org,
                                    const smg_attribution_options *opts);

/**
 * Bring a result up to date with its org's current state, as
 * smg_attribution_compute() with the options @p a was computed with
 * (`as_member`, `until`) would make it: every table, row for row.
 *
 * When only events were appended since (every new event at or after the
 * last one logged before; new customers, members, teams, deal and
 * receivable ids are fine) and @p a was computed over the whole log
 * (`until` = SMG_TIME_NONE), the replay continues from where it stood:
 * the cost is that of the new events plus one pass over the keys and the
 * notices (the end-of-log settle, redone). Anything else — an event that
 * sorts before one already logged, a cancel of an event already logged,
 * a change to a member, team leader, target, scorecard item or the
 * policy, `until` — recomputes the whole replay.
 *
 * Nothing changed: 0 at once.
 * @return 0, SMG_EINVAL (NULL, or @p a is of another org), SMG_ESTATE (a
 *         batch is open), SMG_ENOMEM (the message is on the org). On
 *         failure @p a still reads as out of date (SMG_ESTATE) and may be
 *         updated again or freed; an update after a failed one recomputes.
 * @since 0.3.0
 */
SMG_API int smg_attribution_update(smg_attribution *a, smg_org *org);

/** Free a result. NULL is accepted. @since 0.2.0 */
SMG_API void smg_attribution_free(smg_attribution *a);

/* ---- deals ---- */

/** Fields of the deal table (smg_attribution_deal_*). */
typedef enum smg_deal_field {
    SMG_DEAL_DEAL = 0,            /**< "deal" INDEX: the deal's index in the org (smg_deal_id()) */
    SMG_DEAL_CLOSER = 1,          /**< "closer" INDEX: member who closed it */
    SMG_DEAL_CREDITED = 2,        /**< "credited" INDEX: member credited; null = the company */
    SMG_DEAL_REASON = 3,          /**< "reason" ENUM: smg_reason */
    SMG_DEAL_CUSTOMER = 4,        /**< "customer" INDEX */
    SMG_DEAL_KEY = 5,             /**< "key" INDEX: attribution key at the deal
                                       (smg_key_text()); a later link does not change it */
    SMG_DEAL_DAY = 6,             /**< "day" DATE */
    SMG_DEAL_AMOUNT = 7,          /**< "amount" MONEY */
    SMG_DEAL_PROTECTOR = 8,       /**< "protector" INDEX: member protecting the key at the
                                       deal; null = none */
    SMG_DEAL_EV_DEAL = 9,         /**< "ev_deal" INDEX: log position of the deal event */
    SMG_DEAL_EV_REGISTRATION = 10,/**< "ev_registration" INDEX: the registration (or first
                                       deal, or handover) that made the protection at the
                                       deal; null = none */
    SMG_DEAL_EV_CONTACT = 11,     /**< "ev_contact" INDEX: the protector's latest contact
                                       before the deal; null = none */
    SMG_DEAL_EV_CLAIM = 12,       /**< "ev_claim" INDEX: the accepted claim; null = none */
    SMG_DEAL_EV_OVERRIDE = 13     /**< "ev_override" INDEX: the deciding override; null = none */
} smg_deal_field;

/** Number of deal rows (in time order). 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_attribution_deal_count(const smg_attribution *a);
/**
 * An INDEX field of deal row @p row.
 * @return 0; SMG_EINVAL (NULL, bad row, unknown field or not an INDEX
 *         field; *out untouched); SMG_ESTATE (the org changed)
 * @since 0.2.0
 */
SMG_API int smg_attribution_deal_index(const smg_attribution *a, size_t row, smg_deal_field f,
                                       size_t *out, int *is_null);
/** A field of any other type of deal row @p row; as smg_attribution_deal_index().
 *  @since 0.2.0 */
SMG_API int smg_attribution_deal_int(const smg_attribution *a, size_t row, smg_deal_field f,
                                     int64_t *out, int *is_null);
/** The JSON key of a field ("deal", "closer", ...), NULL past the last. @since 0.2.0 */
SMG_API const char *smg_attribution_deal_field_name(smg_deal_field f);
/** The type of a field; 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_attribution_deal_field_type(smg_deal_field f);

/* ---- notices ---- */

/** What a notice reports. Values are stable. */
typedef enum smg_notice_kind {
    SMG_NOTICE_KIND_COLLISION = 1,     /**< a registration rejected: another member
                                            protects the key (撞车) */
    SMG_NOTICE_KIND_RELEASE = 2,       /**< a protection ran out or was voided (放弃处理) */
    SMG_NOTICE_KIND_CLAIM_LATE = 3,    /**< a claim after the claim window */
    SMG_NOTICE_KIND_CLAIM_INVALID = 4, /**< a claim by someone who may not claim */
    SMG_NOTICE_KIND_LATE_FOLLOWUP = 5, /**< a registration not followed up in time (R3) */
    SMG_NOTICE_KIND_DUPLICATE = 6,     /**< two customers with the same normalised phone (撞单) */
    SMG_NOTICE_KIND_REJECTED = 7       /**< a registration rejected by a public-pool rule
                                            (RULES.md §8): SMG_NOTICE_REJECT_REASON says
                                            which (the cooldown or the cap) */
} smg_notice_kind;

/** "collision", "release", "claim_late", "claim_invalid", "late_followup",
 *  "duplicate", "rejected", or NULL. @since 0.2.0 */
SMG_API const char *smg_notice_kind_name(smg_notice_kind kind);

/** Why a protection ended (a release notice). Values are stable. When
 *  several limits end a protection on the same day, the reason is the
 *  first of EXPIRED, HOLD_LIMIT, LEFT (RULES.md §8). */
typedef enum smg_release_reason {
    SMG_RELEASE_REASON_EXPIRED = 1,   /**< it ran out (R2) */
    SMG_RELEASE_REASON_VOIDED = 2,    /**< the member's registrations were voided (R6) */
    SMG_RELEASE_REASON_LEFT = 3,      /**< its protector left: the day after the leave
                                           date (R9) */
    SMG_RELEASE_REASON_HANDOVER = 4,  /**< handed over to nobody (RULES.md §8) */
    SMG_RELEASE_REASON_LINK = 5,      /**< its key was linked into a key another member
                                           protects (RULES.md §8) */
    SMG_RELEASE_REASON_HOLD_LIMIT = 6 /**< held attribution.max_hold_days without a deal
                                           (公海 recapture, RULES.md §8) */
} smg_release_reason;

/** "expired", "voided", "left", "handover", "link", "hold_limit" (RULES.md
 *  §8's reason words), or NULL for an unknown value. @since 0.2.0 */
SMG_API const char *smg_release_reason_name(smg_release_reason reason);

/** Why a registration was rejected (RULES.md §8: checked in this order).
 *  Values are stable. */
typedef enum smg_reject_reason {
    SMG_REJECT_REASON_COLLISION = 1,   /**< another member protects the key (撞车, R1): a
                                            collision notice */
    SMG_REJECT_REASON_LIMIT = 2,       /**< the member already protects
                                            attribution.max_protected keys (保有量上限) */
    SMG_REJECT_REASON_RECLAIM_WAIT = 3 /**< the member's own protection of the key was
                                            released less than attribution.reclaim_days
                                            days before (冷却期) */
} smg_reject_reason;

/** "collision", "limit", "reclaim_wait" (RULES.md §8's reason words), or
 *  NULL for an unknown value. @since 0.2.0 */
SMG_API const char *smg_reject_reason_name(smg_reject_reason reason);

/** Fields of the notice table (smg_attribution_notice_*). A field that
 *  does not apply to a notice's kind is null. */
typedef enum smg_notice_field {
    SMG_NOTICE_KIND = 0,           /**< "kind" ENUM: smg_notice_kind */
    SMG_NOTICE_DAY = 1,            /**< "day" DATE: the day it happened (a release: its first
                                        unprotected day); null for duplicates */
    SMG_NOTICE_MEMBER = 2,         /**< "member" INDEX: the member acting (registering,
                                        claiming), losing the protection (a release, a
                                        collision by a link), or who did not follow up;
                                        null for duplicates */
    SMG_NOTICE_OTHER = 3,          /**< "other" INDEX: collision: the protector (a link: the
                                        surviving key's); claims: the protector at the deal
                                        (null when none); else null */
    SMG_NOTICE_KEY = 4,            /**< "key" INDEX: the attribution key at that moment (a
                                        collision by a link: the surviving key; a release:
                                        the key released; a duplicate: the customer's key
                                        at the end of the replay) */
    SMG_NOTICE_CUSTOMER = 5,       /**< "customer" INDEX: the customer (a collision by a link:
                                        the linked customer whose key lost); null for
                                        releases */
    SMG_NOTICE_EVENT = 6,          /**< "event" INDEX: log position of the event concerned
                                        (the registration, the void, the handover, the link,
                                        the claim); null for a release by a limit (expired,
                                        hold_limit, left) and for duplicates */
    SMG_NOTICE_DEAL = 7,           /**< "deal" INDEX: claims: the deal's index in the org */
    SMG_NOTICE_RELEASE_REASON = 8, /**< "release_reason" ENUM: releases: smg_release_reason */
    SMG_NOTICE_DUPLICATE_OF = 9,   /**< "duplicate_of" INDEX: duplicates: the customer it
                                        duplicates (the earlier one) */
    SMG_NOTICE_DEADLINE = 10,      /**< "deadline" DATE: late follow-ups: the last day it
                                        was due */
    SMG_NOTICE_REJECT_REASON = 11  /**< "reject_reason" ENUM: smg_reject_reason of a rejected
                                        registration: COLLISION for a collision by a
                                        registration (null for one by a link), LIMIT or
                                        RECLAIM_WAIT for the kind REJECTED; else null
                                        @since 0.2.0 */
} smg_notice_field;

/** Number of notices; they are ordered by day (duplicates last), then by
 *  kind. 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_attribution_notice_count(const smg_attribution *a);
/** An INDEX field of notice @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_notice_index(const smg_attribution *a, size_t row,
                                         smg_notice_field f, size_t *out, int *is_null);
/** Any other field of notice @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_notice_int(const smg_attribution *a, size_t row,
                                       smg_notice_field f, int64_t *out, int *is_null);
/** The JSON key of a field ("kind", "day", ...), NULL past the last. @since 0.2.0 */
SMG_API const char *smg_attribution_notice_field_name(smg_notice_field f);
/** The type of a field; 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_attribution_notice_field_type(smg_notice_field f);

/* ---- protections ---- */

/** Fields of the protection table (smg_attribution_protection_*). */
typedef enum smg_protection_field {
    SMG_PROTECTION_KEY = 0,             /**< "key" INDEX: the attribution key */
    SMG_PROTECTION_MEMBER = 1,          /**< "member" INDEX: its protector */
    SMG_PROTECTION_THROUGH = 2,         /**< "through" DATE: the last protected day (the
                                             earliest of the protection period, the hold
                                             limit and the protector's leave date) */
    SMG_PROTECTION_EV_REGISTRATION = 3, /**< "ev_registration" INDEX: the registration (or
                                             deal, or handover) that made the protection */
    SMG_PROTECTION_EV_CONTACT = 4       /**< "ev_contact" INDEX: the protector's latest contact */
} smg_protection_field;

/** Number of protections: one row per attribution key protected at the end
 *  of the replay, in key order. 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_attribution_protection_count(const smg_attribution *a);
/** An INDEX field of protection @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_protection_index(const smg_attribution *a, size_t row,
                                             smg_protection_field f, size_t *out,
                                             int *is_null);
/** Any other field of protection @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_protection_int(const smg_attribution *a, size_t row,
                                           smg_protection_field f, int64_t *out,
                                           int *is_null);
/** The JSON key of a field ("key", "member", ...), NULL past the last. @since 0.2.0 */
SMG_API const char *smg_attribution_protection_field_name(smg_protection_field f);
/** The type of a field; 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_attribution_protection_field_type(smg_protection_field f);

/**
 * The protection row of attribution key @p key (smg_customer_key()); a key
 * that a link merged into another is looked up as the surviving key.
 * @param row receives the row (untouched unless 0 is returned)
 * @return 0; SMG_ENOTFOUND (the key is not protected at the end of the
 *         replay, or its protection is not visible); SMG_EINVAL (NULL, bad
 *         key); SMG_ESTATE (the org changed)
 * @since 0.2.0
 */
SMG_API int smg_attribution_protection_find(const smg_attribution *a, size_t key, size_t *row);

/**
 * The follow-up reminder list (每天检查): the protection rows of keys
 * protected on @p day whose protection ends within @p within_days days
 * (the last protected day is before @p day + @p within_days), ordered by
 * protector, then last protected day, then key. Writes up to @p cap rows
 * into @p rows (which may be NULL when @p cap is 0).
 * @param count receives how many such rows there are (call with cap 0 to
 *        size the buffer)
 * @return 0; SMG_EINVAL (NULL, @p day absent, @p within_days < 0);
 *         SMG_ESTATE (the org changed); SMG_ENOMEM
 * @since 0.2.0
 */
SMG_API int smg_attribution_expiring(const smg_attribution *a, smg_date day, int within_days,
                                     size_t *rows, size_t cap, size_t *count);

/* ---- registrations ---- */

/** Fields of the registration table (smg_attribution_registration_*). */
typedef enum smg_registration_field {
    SMG_REGISTRATION_EVENT = 0,    /**< "event" INDEX: log position of the registration */
    SMG_REGISTRATION_MEMBER = 1,   /**< "member" INDEX: who registered */
    SMG_REGISTRATION_CUSTOMER = 2, /**< "customer" INDEX */
    SMG_REGISTRATION_KEY = 3,      /**< "key" INDEX: the attribution key at the registration */
    SMG_REGISTRATION_DAY = 4,      /**< "day" DATE */
    SMG_REGISTRATION_ONTIME = 5,   /**< "ontime" BOOL: followed up in time by the same
                                        member (R3) */
    SMG_REGISTRATION_DEADLINE = 6  /**< "deadline" DATE: the last day the first follow-up
                                        was due */
} smg_registration_field;

/** Number of accepted registrations (in time order). 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_attribution_registration_count(const smg_attribution *a);
/** An INDEX field of registration @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_registration_index(const smg_attribution *a, size_t row,
                                               smg_registration_field f, size_t *out,
                                               int *is_null);
/** Any other field of registration @p row; as smg_attribution_deal_index(). @since 0.2.0 */
SMG_API int smg_attribution_registration_int(const smg_attribution *a, size_t row,
                                             smg_registration_field f, int64_t *out,
                                             int *is_null);
/** The JSON key of a field ("event", "member", ...), NULL past the last. @since 0.2.0 */
SMG_API const char *smg_attribution_registration_field_name(smg_registration_field f);
/** The type of a field; 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_attribution_registration_field_type(smg_registration_field f);

/** Id of the org's deal at @p index (see SMG_DEAL_DEAL), or NULL for a bad
 *  index. @since 0.2.0 */
SMG_API const char *smg_deal_id(const smg_org *org, size_t index);

SMG_END_DECLS

#endif /* SMG_ATTRIBUTION_H */
