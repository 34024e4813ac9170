/**
 * @file salesmgmt/event.h
 * @brief The event log (DATASET.md "Event types"): what happened, when, by whom.
 *
 * Events may be added in any order; they are processed in time order, ties
 * in input order. The input position (0-based, over the whole log) of an
 * event never changes and is what results quote as evidence.
 */
#ifndef SMG_EVENT_H
#define SMG_EVENT_H

#include "org.h"

SMG_BEGIN_DECLS

/** Event types. Values are stable; new types are appended. */
typedef enum smg_event_type {
    SMG_EV_SIGNIN = 1,
    SMG_EV_RECEPTION = 2,
    SMG_EV_REGISTER = 3,
    SMG_EV_FOLLOWUP = 4,
    SMG_EV_VISIT = 5,
    SMG_EV_DEMO = 6,
    SMG_EV_DEAL = 7,
    SMG_EV_CLAIM = 8,
    SMG_EV_OVERRIDE = 9,
    SMG_EV_VOID_REGISTER = 10,
    SMG_EV_RECEIVABLE = 11,
    SMG_EV_PAYMENT = 12,
    SMG_EV_COMPLAINT = 13,
    SMG_EV_EXPENSE = 14,
    SMG_EV_ABSENCE = 15,
    SMG_EV_WORK_SCORE = 16
} smg_event_type;

/** Channel of a reception or visit. */
typedef enum smg_channel {
    SMG_CHANNEL_NONE = 0,
    SMG_CHANNEL_WALK_IN = 1,
    SMG_CHANNEL_PHONE = 2,
    SMG_CHANNEL_ONSITE = 3
} smg_channel;

/** Outcome of a reception (duty) or visit (success/fail). */
typedef enum smg_outcome {
    SMG_OUTCOME_NONE = 0,
    SMG_OUTCOME_DUTY = 1,
    SMG_OUTCOME_SUCCESS = 2,
    SMG_OUTCOME_FAIL = 3
} smg_outcome;

/** Parse an event type name ("deal", "void_register", ...). @since 0.1.0 */
SMG_API int smg_event_type_parse(smg_event_type *out, const char *s);
/** Name of an event type, or NULL. @since 0.1.0 */
SMG_API const char *smg_event_type_name(smg_event_type type);
/** Parse "walk_in", "phone", "onsite" (SMG_EPARSE otherwise). @since 0.1.0 */
SMG_API int smg_channel_parse(smg_channel *out, const char *s);
/** Name of a channel ("" for none), or NULL. @since 0.1.0 */
SMG_API const char *smg_channel_name(smg_channel c);
/** Parse "duty", "success", "fail". @since 0.1.0 */
SMG_API int smg_outcome_parse(smg_outcome *out, const char *s);
/** Name of an outcome ("" for none), or NULL. @since 0.1.0 */
SMG_API const char *smg_outcome_name(smg_outcome o);

/** Version of smg_event understood by this library. */
#define SMG_EVENT_VERSION 1

/**
 * One event. Initialise with SMG_EVENT_INIT (or smg_event_init()), then
 * set the fields the type uses; unused fields must stay absent (NULL,
 * SMG_MONEY_NONE). Fields are only ever appended.
 *
 * | type          | member | customer | ref               | amount | value      |
 * |---------------|--------|----------|-------------------|--------|------------|
 * | signin        | yes    |          |                   |        |            |
 * | reception     | yes    | yes      |                   |        |            |
 * | register, followup, demo, complaint | yes | yes |      |        |            |
 * | visit         | yes    | yes      |                   |        |            |
 * | deal          | closer | yes      | deal id (new)     | yes    |            |
 * | claim         | yes    |          | deal id           |        |            |
 * | override      | NULL = company | | deal id           |        |            |
 * | void_register | yes    |          |                   |        |            |
 * | receivable    | yes    | yes      | receivable id (new) | yes  |            |
 * | payment       | yes    | yes      | receivable id     | yes    |            |
 * | expense       | yes    |          |                   | yes    |            |
 * | absence       | yes    |          |                   |        | days ×100, 50 steps |
 * | work_score    | yes    |          |                   |        | 0–10000 (score ×100) |
 *
 * @since 0.1.0
 */
typedef struct smg_event {
    unsigned version;       /**< SMG_EVENT_VERSION */
    smg_event_type type;
    smg_time at;
    const char *member;     /**< member id */
    const char *customer;   /**< customer id */
    const char *ref;        /**< deal or receivable id */
    smg_money amount;       /**< deal, receivable, payment, expense */
    smg_money list_amount;  /**< deal: list price (SMG_MONEY_NONE if unknown) */
    smg_money cost;         /**< deal: cost (SMG_MONEY_NONE = 0) */
    const char *product;    /**< deal: product line */
    smg_channel channel;
    smg_outcome outcome;
    int64_t value;          /**< absence days or work score, in hundredths;
                                 SMG_MONEY_NONE when absent */
} smg_event;

#define SMG_EVENT_INIT { SMG_EVENT_VERSION, (smg_event_type)0, 0, 0, 0, 0, \
    SMG_MONEY_NONE, SMG_MONEY_NONE, SMG_MONEY_NONE, 0, SMG_CHANNEL_NONE, \
    SMG_OUTCOME_NONE, SMG_MONEY_NONE }

/** Initialise @p ev as SMG_EVENT_INIT for @p version. @since 0.1.0 */
SMG_API int smg_event_init(smg_event *ev, unsigned version);

/**
 * Append an event. Ids are resolved now (SMG_ENOTFOUND), except deal and
 * receivable references, which may be defined later in the same batch;
 * order-dependent rules (a claim after its deal, a payment within what is
 * open, the member's dates) are checked at commit.
 * @since 0.1.0
 */
SMG_API int smg_event_add(smg_org *org, const smg_event *ev);

SMG_END_DECLS

#endif /* SMG_EVENT_H */
