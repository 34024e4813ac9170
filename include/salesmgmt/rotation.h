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
 */
#ifndef SMG_ROTATION_H
#define SMG_ROTATION_H

#include "org.h"

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

/** Start an empty rotation over @p org's members. @since 0.1.0 */
SMG_API int smg_rotation_new(smg_rotation **out, smg_org *org);

/** Free a rotation. NULL is accepted. @since 0.1.0 */
SMG_API void smg_rotation_free(smg_rotation *r);

/**
 * Sign a member in: they join the end of the order.
 * @return 0, SMG_ENOTFOUND, SMG_EEXISTS (already signed in; nothing changes)
 * @since 0.1.0
 */
SMG_API int smg_rotation_signin(smg_rotation *r, const char *member_id);

/**
 * A customer arrives. @p member_id is the member named (NAMED, REFERRAL) or
 * the protector (RETURNING); NULL or "" for none.
 * @param receiver receives the member index who receives the customer
 * @param duty     receives 1 for a duty reception on someone's behalf, else 0
 * @return 0; SMG_ESTATE when every signed-in member is busy (the customer
 *         waits; nothing changes); SMG_ENOTFOUND (unknown member id);
 *         SMG_EINVAL (bad kind)
 * @since 0.1.0
 */
SMG_API int smg_rotation_arrive(smg_rotation *r, smg_arrival kind, const char *member_id,
                                long *receiver, int *duty);

/** The member has finished with their customer and is free again. @since 0.1.0 */
SMG_API int smg_rotation_done(smg_rotation *r, const char *member_id);

/** 1 if the member is signed in and busy, 0 if not, or a negative status. @since 0.1.0 */
SMG_API int smg_rotation_busy(const smg_rotation *r, const char *member_id);

/**
 * The current order: writes up to @p cap member indices, first to last.
 * @return the number of signed-in members
 * @since 0.1.0
 */
SMG_API size_t smg_rotation_order(const smg_rotation *r, long *members, size_t cap);

/** A day's receptions replayed against the rotation. Opaque, read-only. */
typedef struct smg_rotation_day smg_rotation_day;

/** Fields of a replayed reception. Values are stable. */
typedef enum smg_rotation_field {
    SMG_ROTATION_EVENT = 1,    /**< input position of the reception */
    SMG_ROTATION_AT = 2,       /**< its time (smg_time) */
    SMG_ROTATION_MEMBER = 3,   /**< who received */
    SMG_ROTATION_CUSTOMER = 4, /**< customer index */
    SMG_ROTATION_KIND = 5,     /**< SMG_ARRIVAL_NEW or SMG_ARRIVAL_RETURNING (the key was
                                    protected at the start of the day) */
    SMG_ROTATION_DUTY = 6,     /**< 1 for a duty reception */
    SMG_ROTATION_EXPECTED = 7, /**< who the rotation says should have received, or -1 */
    SMG_ROTATION_IN_TURN = 8   /**< 1 if the receiver is the expected one */
} smg_rotation_field;

/**
 * Replay day @p day: the sign-in order, then every reception of the day in
 * time order. Receptions are taken as instantaneous (the log does not say
 * when a member is busy); the actual receiver's turn is used for a new
 * customer, in turn or not.
 * @since 0.1.0
 */
SMG_API int smg_rotation_replay(smg_org *org, smg_date day, smg_rotation_day **out);
/** Free a replay. NULL is accepted. @since 0.1.0 */
SMG_API void smg_rotation_day_free(smg_rotation_day *d);
/** The sign-in order (@p final = 0) or the order after the last reception
 *  (@p final = 1); as smg_rotation_order(). @since 0.1.0 */
SMG_API size_t smg_rotation_day_order(const smg_rotation_day *d, int final, long *members,
                                      size_t cap);
/** Number of receptions of the day. @since 0.1.0 */
SMG_API size_t smg_rotation_day_count(const smg_rotation_day *d);
/** A field of reception @p i; INT64_MIN for a bad index or field. @since 0.1.0 */
SMG_API int64_t smg_rotation_day_get(const smg_rotation_day *d, size_t i,
                                     smg_rotation_field field);

SMG_END_DECLS

#endif /* SMG_ROTATION_H */
