/**
 * @file salesmgmt/pay.h
 * @brief Commission tables (RULES.md §6).
 */
#ifndef SMG_PAY_H
#define SMG_PAY_H

#include "org.h"

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
 * @since 0.1.0
 */
SMG_API int smg_commission_add(smg_org *org, const char *product, smg_money from_amount,
                               int64_t rate_millionths, smg_commission_mode mode);

SMG_END_DECLS

#endif /* SMG_PAY_H */
