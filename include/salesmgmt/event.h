/**
 * @file salesmgmt/event.h
 * @brief The event log (DATASET.md "Event types"): what happened, when, by whom.
 *
 * Events may be added in any order; they are processed in time order, ties
 * in input order. The input position (0-based, over the whole log) of an
 * event never changes. Results quote events by their **log position**: the
 * event's row in processing order, as the log reader below gives it.
 *
 * The log reader reads the committed log as every result table is read
 * (docs/API.md "Reading a result"), rows in processing order:
 * smg_event_count(), smg_event_index(), smg_event_int(), smg_event_text(),
 * smg_event_field_name(), smg_event_field_type(); smg_event_find() gives
 * the position of an event id, smg_event_position() that of an input
 * position. A position is valid until the next commit (a commit may sort
 * new events in before it); a text until the org is next changed.
 */
#ifndef SMG_EVENT_H
#define SMG_EVENT_H

#include "org.h"

SMG_BEGIN_DECLS

/**
 * Event types. Values are stable; new types are appended.
 *
 * The values are `SMG_EV_*`, not `SMG_EVENT_TYPE_*` as the value-enum rule
 * of docs/API.md would have them: `SMG_EVENT_*` are the fields of the log
 * reader (smg_event_field), and `SMG_EVENT_TYPE` is one of them.
 */
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
    SMG_EV_WORK_SCORE = 16,
    SMG_EV_FAULT = 17,      /**< a fault on a scorecard item (salesmgmt/scorecard.h) */
    SMG_EV_SUBMIT = 18,     /**< a report handed in for a scorecard item (月报, 周报, …) */
    SMG_EV_HANDOVER = 19,   /**< a member's protections handed over (转交, RULES.md §8):
                                 member = from, ref = the member to (NULL = released) */
    SMG_EV_LINK = 20,       /**< two customers are one from now on (关联, RULES.md §8):
                                 customer and ref = the other customer */
    SMG_EV_CANCEL = 21,     /**< another event is void (作废, RULES.md §8): ref = its
                                 event id (@since 0.3.0) */
    SMG_EV_REFUND = 22,     /**< goods returned or money paid back on a deal (退单):
                                 ref = the deal, amount, cost = the cost taken
                                 back (@since 0.3.0) */
    SMG_EV_TRANSFER = 23    /**< a member moves to another team (调岗): member,
                                 ref = the team (@since 0.3.0) */
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

/** Parse an event type name ("deal", "void_register", ...). @since 0.2.0 */
SMG_API int smg_event_type_parse(smg_event_type *out, const char *s);
/** Name of an event type, or NULL. @since 0.2.0 */
SMG_API const char *smg_event_type_name(smg_event_type type);
/** Parse "walk_in", "phone", "onsite" (SMG_EPARSE otherwise). @since 0.2.0 */
SMG_API int smg_channel_parse(smg_channel *out, const char *s);
/** Name of a channel ("" for none), or NULL. @since 0.2.0 */
SMG_API const char *smg_channel_name(smg_channel c);
/** Parse "duty", "success", "fail". @since 0.2.0 */
SMG_API int smg_outcome_parse(smg_outcome *out, const char *s);
/** Name of an outcome ("" for none), or NULL. @since 0.2.0 */
SMG_API const char *smg_outcome_name(smg_outcome o);

/** Version of smg_event understood by this library. */
#define SMG_EVENT_VERSION 1

/**
 * One event. Initialise with SMG_EVENT_INIT (or smg_event_init()), then
 * set the fields the type uses; unused fields must stay absent (NULL,
 * SMG_MONEY_NONE). Fields are only ever appended.
 *
 * Any event may carry an @c id (RULES.md §8 "Event ids"): 1–64 bytes
 * without control characters or a space at either end, unique over the
 * whole log; NULL or "" = none.
 * A log without ids costs no memory for them.
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
 * | fault         | yes    |          | scorecard item    |        | count 1–10000, whole; absent = 1 |
 * | submit        | yes    |          | scorecard item    |        |            |
 * | handover      | from   |          | member id to (NULL or "" = release) | |   |
 * | link          |        | yes      | the other customer id |    |            |
 * | cancel        |        |          | event id          |        |            |
 * | refund        |        |          | deal id           | yes (> 0), cost optional | |
 * | transfer      | yes    |          | team id           |        |            |
 *
 * A fault or submit names an item added before it (SMG_ENOTFOUND
 * otherwise); at commit, an item that does not apply to the member's role
 * (its roles or an ancestor's) is SMG_ERULE.
 *
 * A handover names two different members and a link two different
 * customers (SMG_EINVAL otherwise; an unknown id is SMG_ENOTFOUND); at
 * commit, a handover must lie within both members' start and leave dates
 * (SMG_ERULE).
 *
 * A cancel names the id of an event added before it (in an earlier batch
 * or earlier in the same one; SMG_ENOTFOUND otherwise). From its commit on,
 * every result is computed as if that event had never been logged; the log
 * reader still shows it, with SMG_EVENT_CANCELLED_BY. At commit
 * (SMG_ERULE): a cancel of a cancel, a second cancel of one event, or a
 * cancel that leaves a claim, override or refund of a cancelled deal, or a
 * payment of a cancelled receivable, standing (cancel those too, in the
 * same batch or before).
 *
 * A refund's amount is > 0 and its cost, when given, >= 0 (SMG_ERANGE);
 * without a cost, the deal's cost × amount ÷ the deal's amount is taken
 * back (rounded half away from zero). At commit (SMG_ERULE): its deal comes
 * before it in processing order and is not cancelled, and the refunds of
 * one deal add up to at most its amount.
 *
 * A transfer names a team (SMG_ENOTFOUND otherwise); the member belongs to
 * it from the transfer's moment on (RULES.md §1, moves over time).
 * @since 0.2.0
 */
typedef struct smg_event {
    unsigned version;       /**< SMG_EVENT_VERSION */
    smg_event_type type;
    smg_time at;
    const char *member;     /**< member id */
    const char *customer;   /**< customer id */
    const char *ref;        /**< deal or receivable id, scorecard item, the
                                 member handed over to, the linked customer */
    smg_money amount;       /**< deal, receivable, payment, expense */
    smg_money list_amount;  /**< deal: list price (SMG_MONEY_NONE if unknown) */
    smg_money cost;         /**< deal: cost (SMG_MONEY_NONE = 0) */
    const char *product;    /**< deal: product line */
    smg_channel channel;
    smg_outcome outcome;
    int64_t value;          /**< absence days or work score, in hundredths; a
                                 fault's count (whole faults); SMG_MONEY_NONE
                                 when absent */
    const char *id;         /**< the event's own id, or NULL (@since 0.2.0) */
} smg_event;

#define SMG_EVENT_INIT { SMG_EVENT_VERSION, (smg_event_type)0, 0, 0, 0, 0, \
    SMG_MONEY_NONE, SMG_MONEY_NONE, SMG_MONEY_NONE, 0, SMG_CHANNEL_NONE, \
    SMG_OUTCOME_NONE, SMG_MONEY_NONE, 0 }

/** Initialise @p ev as SMG_EVENT_INIT for @p version. @since 0.2.0 */
SMG_API int smg_event_init(smg_event *ev, unsigned version);

/**
 * Append an event. Ids are resolved now (SMG_ENOTFOUND), except deal and
 * receivable references, which may be defined later in the same batch;
 * order-dependent rules (a claim after its deal, a payment within what is
 * open, the member's dates) are checked at commit. An event id already
 * taken in the log or the batch is SMG_EEXISTS (the message names both
 * events); a malformed one SMG_EINVAL, as is any id (event, member,
 * customer, deal, receivable) with a space at either end (the message
 * quotes it). A deal's amount is 0 or more (SMG_ERANGE): money given back
 * is a refund (RULES.md §8), never a negative deal.
 * @since 0.2.0
 */
SMG_API int smg_event_add(smg_org *org, const smg_event *ev);

/**
 * The fields of the log reader: one row an event of the committed log, in
 * processing order (time, then input order). Fields an event's type does
 * not use are null.
 */
typedef enum smg_event_field {
    SMG_EVENT_SEQ = 0,          /**< INT: the input position (0-based, whole log) */
    SMG_EVENT_ID = 1,           /**< TEXT: the event id; null when none */
    SMG_EVENT_TYPE = 2,         /**< ENUM smg_event_type */
    SMG_EVENT_AT = 3,           /**< TIME: when it happened */
    SMG_EVENT_MEMBER = 4,       /**< INDEX: the member; null for an override
                                     to the company */
    SMG_EVENT_CUSTOMER = 5,     /**< INDEX: the customer; null when the type has none */
    SMG_EVENT_REF = 6,          /**< TEXT: the deal id (deal, claim, override,
                                     refund), the team id (transfer), the
                                     cancelled event's id (cancel),
                                     receivable id (receivable, payment),
                                     scorecard item id (fault, submit), the
                                     receiving member's id (handover; null
                                     for a release) or the other customer's
                                     id (link) */
    SMG_EVENT_AMOUNT = 7,       /**< MONEY: deal, receivable, payment, expense, refund */
    SMG_EVENT_LIST_AMOUNT = 8,  /**< MONEY: a deal's list price; null when unknown */
    SMG_EVENT_COST = 9,         /**< MONEY: a deal's cost, a refund's cost taken
                                     back; null when not given */
    SMG_EVENT_PRODUCT = 10,     /**< TEXT: a deal's product line; null when none */
    SMG_EVENT_CHANNEL = 11,     /**< ENUM smg_channel (SMG_CHANNEL_NONE when none) */
    SMG_EVENT_OUTCOME = 12,     /**< ENUM smg_outcome (SMG_OUTCOME_NONE when none) */
    SMG_EVENT_VALUE = 13,       /**< INT: absence days or work score in
                                     hundredths, a fault's count (whole);
                                     null for other types */
    SMG_EVENT_LINE = 14,        /**< INT: the event's line in the events.csv
                                     it was loaded from (smg_dataset_load():
                                     the file's own line, where its record
                                     starts); null for an event added
                                     through the API (@since 0.2.0) */
    SMG_EVENT_CANCELLED_BY = 15 /**< INT: the input position of the cancel
                                     that voids the event; null while it
                                     stands (@since 0.3.0) */
} smg_event_field;

/** Number of events of the committed log (0 for NULL); inside an open
 *  batch, those committed before it. @since 0.2.0 */
SMG_API size_t smg_event_count(const smg_org *org);
/**
 * Read an INDEX field of the event at log position @p pos.
 * @return 0; SMG_EINVAL for a NULL org or @p out, a position past the
 *         count, an unknown field or a field of another type (*out untouched)
 * @since 0.2.0
 */
SMG_API int smg_event_index(const smg_org *org, size_t pos, smg_event_field f, size_t *out,
                            int *is_null);
/** Read an INT-family field (INT, ENUM, TIME, MONEY) of the event at
 *  @p pos. @since 0.2.0 */
SMG_API int smg_event_int(const smg_org *org, size_t pos, smg_event_field f, int64_t *out,
                          int *is_null);
/** Read a TEXT field of the event at @p pos (null: *out = NULL). @since 0.2.0 */
SMG_API int smg_event_text(const smg_org *org, size_t pos, smg_event_field f,
                           const char **out, int *is_null);
/** The JSON key of field @p f ("seq", "id", "type", "at", "member",
 *  "customer", "ref", "amount", "list_amount", "cost", "product",
 *  "channel", "outcome", "value", "line", "cancelled_by"), or NULL past
 *  the last.
 *  @since 0.2.0 */
SMG_API const char *smg_event_field_name(smg_event_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_event_field_type(smg_event_field f);

/**
 * The log position of the event with id @p id. Looks the id up in a hash,
 * then its position with a scan of the log (O(events)).
 * @return 0; SMG_EINVAL (NULL); SMG_ENOTFOUND (no committed event has it)
 * @since 0.2.0
 */
SMG_API int smg_event_find(const smg_org *org, const char *id, size_t *pos);

/**
 * The log position of the event of input position @p seq. A scan of the
 * log (O(events), no memory): meant for the odd look-up, not a loop.
 * @return 0; SMG_EINVAL (NULL, or @p seq not below smg_event_count())
 * @since 0.2.0
 */
SMG_API int smg_event_position(const smg_org *org, size_t seq, size_t *pos);

SMG_END_DECLS

#endif /* SMG_EVENT_H */
