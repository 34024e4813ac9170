/**
 * @file salesmgmt/rotation.h
 * @brief The reception rotation (轮序, RULES.md §4): who receives the next
 *        walk-in — live, one arrival at a time, or replayed from a day's log.
 *
 * The order of a day is the order of its sign-ins. A new customer goes to
 * the first member in the order who is not busy; that member's turn is
 * used and they go to the end. A customer who names a signed-in member goes
 * to that member without using a turn; if that member is busy, the member
 * last in the order who is free receives on their behalf as a duty
 * reception (R8); a named member who is not signed in makes the customer
 * new. A returning customer goes to their protector the same way (absent:
 * duty reception by the last free member; unknown protector: new). A
 * referral naming no member, and a competitor posing as a buyer, take a
 * normal turn.
 *
 * The replay of a day (smg_rotation_day_compute()) is a result table read
 * as docs/API.md "Reading a result" says; it quotes receptions by their
 * log position and is valid while its org is not changed.
 */
#ifndef SMG_ROTATION_H
#define SMG_ROTATION_H

#include "attribution.h"

SMG_BEGIN_DECLS

/** A live rotation for one day. Opaque; it reads member ids from its org,
 *  which must outlive it. */
typedef struct smg_rotation smg_rotation;

/** How a customer arrives. Values are stable. */
typedef enum smg_arrival {
    SMG_ARRIVAL_NEW = 1,       /**< a new walk-in */
    SMG_ARRIVAL_NAMED = 2,     /**< names a member on arrival */
    SMG_ARRIVAL_RETURNING = 3, /**< an old customer; the member given is their protector
                                    (NULL when it cannot be confirmed: treated as new) */
    SMG_ARRIVAL_REFERRAL = 4,  /**< referred by an old customer; names a member or not */
    SMG_ARRIVAL_PEER = 5       /**< a competitor posing as a buyer (同行采盘): a normal turn */
} smg_arrival;

/** "new", "named", "returning", "referral", "peer", or NULL for an unknown
 *  value. @since 0.2.0 */
SMG_API const char *smg_arrival_name(smg_arrival kind);

/** Start an empty rotation over @p org's members. @since 0.2.0 */
SMG_API int smg_rotation_new(smg_rotation **out, smg_org *org);

/** Free a rotation. NULL is accepted. @since 0.2.0 */
SMG_API void smg_rotation_free(smg_rotation *r);

/**
 * Sign a member in: they join the end of the order.
 * @return 0, SMG_EINVAL (NULL), SMG_ENOTFOUND, SMG_EEXISTS (already signed
 *         in; nothing changes), SMG_ENOMEM
 * @since 0.2.0
 */
SMG_API int smg_rotation_signin(smg_rotation *r, const char *member_id);

/**
 * A customer arrives. @p member_id is the member named (NAMED, REFERRAL) or
 * the protector (RETURNING); NULL or "" for none.
 * @param receiver receives the member index who receives the customer (may be NULL)
 * @param duty     receives 1 for a duty reception on someone's behalf, else 0 (may be NULL)
 * @return 0; SMG_ESTATE when every signed-in member is busy (the customer
 *         waits; nothing changes); SMG_ENOTFOUND (unknown member id);
 *         SMG_EINVAL (NULL, bad kind)
 * @since 0.2.0
 */
SMG_API int smg_rotation_arrive(smg_rotation *r, smg_arrival kind, const char *member_id,
                                size_t *receiver, int *duty);

/** The member has finished with their customer and is free again.
 *  @return 0, SMG_EINVAL, SMG_ENOTFOUND, SMG_ESTATE (not signed in) @since 0.2.0 */
SMG_API int smg_rotation_done(smg_rotation *r, const char *member_id);

/**
 * Whether a member is busy.
 * @param busy receives 1 if the member is signed in and busy, else 0
 * @return 0, SMG_EINVAL (NULL) or SMG_ENOTFOUND (unknown member id)
 * @since 0.2.0
 */
SMG_API int smg_rotation_busy(const smg_rotation *r, const char *member_id, int *busy);

/**
 * The current order: writes up to @p cap member indices, first to last,
 * into @p members (which may be NULL when @p cap is 0).
 * @param count receives the number of signed-in members
 * @return 0 or SMG_EINVAL
 * @since 0.2.0
 */
SMG_API int smg_rotation_order(const smg_rotation *r, size_t *members, size_t cap,
                               size_t *count);

/** A day's receptions replayed against the rotation. Opaque, read-only; it
 *  reads its org, which must outlive it. */
typedef struct smg_rotation_day smg_rotation_day;

/** Version of smg_rotation_day_options understood by this library. */
#define SMG_ROTATION_DAY_OPTIONS_VERSION 1

/**
 * Options for smg_rotation_day_compute(). Initialise with
 * SMG_ROTATION_DAY_OPTIONS_INIT or smg_rotation_day_options_init(); fields
 * are only ever appended.
 * @since 0.2.0
 */
typedef struct smg_rotation_day_options {
    unsigned version;                   /**< SMG_ROTATION_DAY_OPTIONS_VERSION */
    /** The member the result is for (RULES.md §1); NULL = full rights. */
    const char *as_member;
    /** The protections at the start of the day: a result of
     *  smg_attribution_compute() on this org with `until` = the start of
     *  @c day (any as_member); NULL = the replay computes its own. */
    const smg_attribution *attribution;
    /** The day to replay (required; SMG_DATE_NONE = not set). */
    smg_date day;
} smg_rotation_day_options;

#define SMG_ROTATION_DAY_OPTIONS_INIT { SMG_ROTATION_DAY_OPTIONS_VERSION, 0, 0, SMG_DATE_NONE }

/**
 * Initialise @p opts as SMG_ROTATION_DAY_OPTIONS_INIT for @p version.
 * @return 0, SMG_EINVAL (NULL) or SMG_EVERSION
 * @since 0.2.0
 */
SMG_API int smg_rotation_day_options_init(smg_rotation_day_options *opts, unsigned version);

/**
 * Replay day @p opts->day: the sign-in order, then every walk-in reception
 * of the day in time order. Receptions are taken as instantaneous (the log
 * does not say when a member is busy); the actual receiver's turn is used
 * for a new customer, in turn or not. A customer is returning when their
 * attribution key was protected at the start of the day.
 *
 * Visibility (RULES.md §1): with @c as_member the table holds the
 * receptions whose receiver or expected receiver the member may see, and
 * the orders list only the members they may see (in their order).
 *
 * @param out receives the result (NULL on failure); free with smg_rotation_day_free()
 * @return 0; SMG_EINVAL (NULL, no day, an attribution result of another
 *         org, out of date, or not computed until the start of the day);
 *         SMG_EVERSION; SMG_ENOTFOUND (no member `as_member`); SMG_ESTATE
 *         (a batch is open); SMG_ENOMEM; the message is on the org
 * @since 0.2.0
 */
SMG_API int smg_rotation_day_compute(smg_rotation_day **out, smg_org *org,
                                     const smg_rotation_day_options *opts);

/** Free a replay. NULL is accepted. @since 0.2.0 */
SMG_API void smg_rotation_day_free(smg_rotation_day *d);

/**
 * The sign-in order (@p final = 0) or the order after the last reception
 * (@p final = 1): writes up to @p cap member indices into @p members
 * (which may be NULL when @p cap is 0).
 * @param count receives the number of members in the order
 * @return 0, SMG_EINVAL (NULL) or SMG_ESTATE (the org changed)
 * @since 0.2.0
 */
SMG_API int smg_rotation_day_order(const smg_rotation_day *d, int final, size_t *members,
                                   size_t cap, size_t *count);

/** Fields of the reception table (smg_rotation_day_*). */
typedef enum smg_reception_field {
    SMG_RECEPTION_EVENT = 0,    /**< "event" INDEX: log position of the reception */
    SMG_RECEPTION_AT = 1,       /**< "at" TIME */
    SMG_RECEPTION_MEMBER = 2,   /**< "member" INDEX: who received */
    SMG_RECEPTION_CUSTOMER = 3, /**< "customer" INDEX */
    SMG_RECEPTION_KIND = 4,     /**< "kind" ENUM: smg_arrival, SMG_ARRIVAL_NEW or
                                     SMG_ARRIVAL_RETURNING (the key was protected at the
                                     start of the day) */
    SMG_RECEPTION_DUTY = 5,     /**< "duty" BOOL: a duty reception */
    SMG_RECEPTION_EXPECTED = 6, /**< "expected" INDEX: who the rotation says should have
                                     received; null when nobody could */
    SMG_RECEPTION_IN_TURN = 7   /**< "in_turn" BOOL: the receiver is the expected one */
} smg_reception_field;

/** Number of receptions of the day (in time order). 0 for NULL. @since 0.2.0 */
SMG_API size_t smg_rotation_day_count(const smg_rotation_day *d);
/**
 * An INDEX field of reception @p row.
 * @return 0; SMG_EINVAL (NULL, bad row, unknown field or not an INDEX
 *         field; *out untouched); SMG_ESTATE (the org changed)
 * @since 0.2.0
 */
SMG_API int smg_rotation_day_index(const smg_rotation_day *d, size_t row,
                                   smg_reception_field f, size_t *out, int *is_null);
/** Any other field of reception @p row; as smg_rotation_day_index(). @since 0.2.0 */
SMG_API int smg_rotation_day_int(const smg_rotation_day *d, size_t row, smg_reception_field f,
                                 int64_t *out, int *is_null);
/** The JSON key of a field ("event", "at", ...), NULL past the last. @since 0.2.0 */
SMG_API const char *smg_rotation_day_field_name(smg_reception_field f);
/** The type of a field; 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_rotation_day_field_type(smg_reception_field f);

SMG_END_DECLS

#endif /* SMG_ROTATION_H */
