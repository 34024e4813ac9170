/**
 * @file salesmgmt/money.h
 * @brief Exact money: decimal text to and from int64 minor units (分/cents).
 *
 * No floating point is used on the money path. Accepted text: an optional
 * '-', one or more digits, and optionally '.' followed by one or two
 * digits ("12345.67", "-3", "0.5"). Anything else (more fraction digits,
 * exponents, thousands separators, spaces, "+", ".5") is an error, never
 * silently rounded.
 */
#ifndef SMG_MONEY_H
#define SMG_MONEY_H

#include "common.h"

SMG_BEGIN_DECLS

/**
 * Parse a decimal amount into minor units.
 * @return 0, SMG_EINVAL (NULL), SMG_EPARSE (not a decimal amount) or
 *         SMG_ERANGE (does not fit in int64 minor units)
 * @since 0.2.0
 */
SMG_API int smg_money_parse(smg_money *out, const char *s);

/**
 * Write @p m with exactly two decimals ("1234.50", "-0.05").
 * @return the length written; SMG_EINVAL for SMG_MONEY_NONE; SMG_ERANGE
 *         when @p len is too small (24 bytes always suffice)
 * @since 0.2.0
 */
SMG_API int smg_money_format(char *buf, size_t len, smg_money m);

/**
 * @p m × @p num / @p den, rounded half away from zero (RULES.md §6), exact
 * for every int64 input (no floating point).
 * @return 0, SMG_EINVAL (den = 0) or SMG_ERANGE (the result overflows)
 * @since 0.2.0
 */
SMG_API int smg_money_muldiv(smg_money *out, smg_money m, int64_t num, int64_t den);

SMG_END_DECLS

#endif /* SMG_MONEY_H */
