/**
 * @file salesmgmt/customer.h
 * @brief Customers and their attribution keys (RULES.md §4 "Customer identity").
 *
 * The customer table is read as every result table is (docs/API.md
 * "Reading a result"), with a `_text` getter for the text fields:
 * smg_customer_count() rows (the committed customers, in insertion order),
 * smg_customer_index(), smg_customer_int(), smg_customer_text(),
 * smg_customer_field_name(), smg_customer_field_type(). A text is valid
 * until the org is next changed.
 */
#ifndef SMG_CUSTOMER_H
#define SMG_CUSTOMER_H

#include "org.h"

SMG_BEGIN_DECLS

/**
 * Add a customer. @p name, @p phone and @p group_key may be NULL or "".
 * Customers sharing a non-empty @p group_key share one attribution key and
 * are one customer for every attribution rule.
 * @since 0.2.0
 */
SMG_API int smg_customer_add(smg_org *org, const char *customer_id, const char *name,
                             const char *phone, const char *group_key);

/** Index of customer @p customer_id, or SMG_ENOTFOUND. @since 0.2.0 */
SMG_API int smg_customer_find(const smg_org *org, const char *customer_id, size_t *index);
/** Id of the customer at @p index, or NULL. @since 0.2.0 */
SMG_API const char *smg_customer_id(const smg_org *org, size_t index);
/** Name ("" when none), or NULL for a bad index. @since 0.2.0 */
SMG_API const char *smg_customer_name(const smg_org *org, size_t index);
/** Phone as given ("" when none), or NULL for a bad index. @since 0.2.0 */
SMG_API const char *smg_customer_phone(const smg_org *org, size_t index);
/** Display text of attribution key @p key: the group key, else the
 *  customer id; NULL for a bad key. @since 0.2.0 */
SMG_API const char *smg_key_text(const smg_org *org, size_t key);

/** The fields of the customer table: one row a customer, in insertion order. */
typedef enum smg_customer_field {
    SMG_CUSTOMER_ID = 0,          /**< TEXT: the customer id */
    SMG_CUSTOMER_NAME = 1,        /**< TEXT: the name; null when none */
    SMG_CUSTOMER_PHONE = 2,       /**< TEXT: the phone as given; null when none */
    SMG_CUSTOMER_GROUP_KEY = 3,   /**< TEXT: the group key; null when none */
    SMG_CUSTOMER_KEY = 4,         /**< INDEX: the attribution key (smg_key_text()):
                                       customers of one group key share it */
    SMG_CUSTOMER_DUPLICATE_OF = 5 /**< INDEX: the first customer added with the same
                                       normalised phone (撞单: reported, never merged);
                                       null when none */
} smg_customer_field;

/** Number of committed customers (0 for NULL). @since 0.2.0 */
SMG_API size_t smg_customer_count(const smg_org *org);
/**
 * Read an INDEX field of customer @p row.
 * @return 0; SMG_EINVAL for a NULL org or @p out, a row past the count, an
 *         unknown field or a field of another type (*out untouched)
 * @since 0.2.0
 */
SMG_API int smg_customer_index(const smg_org *org, size_t row, smg_customer_field f,
                               size_t *out, int *is_null);
/** Read an INT-family field (the customer table has none: SMG_EINVAL). @since 0.2.0 */
SMG_API int smg_customer_int(const smg_org *org, size_t row, smg_customer_field f,
                             int64_t *out, int *is_null);
/** Read a TEXT field (null: *out = NULL, *is_null = 1). @since 0.2.0 */
SMG_API int smg_customer_text(const smg_org *org, size_t row, smg_customer_field f,
                              const char **out, int *is_null);
/** The JSON key of field @p f ("id", "name", "phone", "group_key", "key",
 *  "duplicate_of"), or NULL past the last. @since 0.2.0 */
SMG_API const char *smg_customer_field_name(smg_customer_field f);
/** The type of field @p f, or 0 for an unknown field. @since 0.2.0 */
SMG_API smg_type smg_customer_field_type(smg_customer_field f);

/**
 * Normalise a phone number for duplicate detection: keep the digits; drop a
 * leading "+86"/"0086" country code. Writes a NUL-terminated string.
 * @return length written, or SMG_ERANGE if @p len is too small.
 * @since 0.2.0
 */
SMG_API int smg_phone_normalise(char *buf, size_t len, const char *phone);

SMG_END_DECLS

#endif /* SMG_CUSTOMER_H */
