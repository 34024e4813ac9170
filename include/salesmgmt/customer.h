/**
 * @file salesmgmt/customer.h
 * @brief Customers and their attribution keys (RULES.md §4 "Customer identity").
 */
#ifndef SMG_CUSTOMER_H
#define SMG_CUSTOMER_H

#include "org.h"

SMG_BEGIN_DECLS

/**
 * Add a customer. @p name, @p phone and @p group_key may be NULL or "".
 * Customers sharing a non-empty @p group_key share one attribution key and
 * are one customer for every attribution rule.
 * @since 0.1.0
 */
SMG_API int smg_customer_add(smg_org *org, const char *customer_id, const char *name,
                             const char *phone, const char *group_key);

/** Index of customer @p customer_id, or SMG_ENOTFOUND. @since 0.1.0 */
SMG_API int smg_customer_find(const smg_org *org, const char *customer_id, size_t *index);
/** Id of the customer at @p index, or NULL. @since 0.1.0 */
SMG_API const char *smg_customer_id(const smg_org *org, size_t index);
/** Name ("" when none), or NULL for a bad index. @since 0.1.0 */
SMG_API const char *smg_customer_name(const smg_org *org, size_t index);
/** Phone as given ("" when none), or NULL for a bad index. @since 0.1.0 */
SMG_API const char *smg_customer_phone(const smg_org *org, size_t index);
/** Attribution key index of the customer, or -1 for a bad index. @since 0.1.0 */
SMG_API long smg_customer_key(const smg_org *org, size_t index);
/** Display text of attribution key @p key: the group key, else the customer id. @since 0.1.0 */
SMG_API const char *smg_key_text(const smg_org *org, size_t key);

/**
 * Normalise a phone number for duplicate detection: keep the digits; drop a
 * leading "+86"/"0086" country code. Writes a NUL-terminated string.
 * @return length written, or SMG_ERANGE if @p len is too small.
 * @since 0.1.0
 */
SMG_API int smg_phone_normalise(char *buf, size_t len, const char *phone);

SMG_END_DECLS

#endif /* SMG_CUSTOMER_H */
