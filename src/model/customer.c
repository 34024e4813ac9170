/* Customers and attribution keys (RULES.md §4 "Customer identity"), and
 * the getters of the customer table. */
#include <string.h>

#include "salesmgmt/customer.h"
#include "columns.h"
#include "fields.h"
#include "model.h"
#include "org.h"

#define CUSTOMER_COLUMNS(c) SMGI_CUSTOMER_COLUMNS(c)
#define PHONE_COLUMNS(c) SMGI_PHONE_COLUMNS(c)

void smgi_customers_free(const smg_allocator *a, smgi_customers *c)
{
    smgi_column cols[] = CUSTOMER_COLUMNS(c), phones[] = PHONE_COLUMNS(c);
    smgi_strtab_free(a, &c->ids);
    smgi_strtab_free(a, &c->names);
    smgi_strtab_free(a, &c->phones);
    smgi_strtab_free(a, &c->keys);
    smgi_strtab_free(a, &c->phone_keys);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &c->cap);
    smgi_columns_free(a, phones, SMGI_NCOLUMNS(phones), &c->phone_cap);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Intern the attribution key: "g"+group key or "c"+customer id. */
static int key_intern(smg_org *org, const char *customer_id, const char *group_key,
                      size_t *key)
{
    char buf[1 + 1024];
    const char *src = group_key && *group_key ? group_key : customer_id;
    size_t n = strlen(src);
    if (n > sizeof buf - 1)
        return SMG_ERANGE;
    buf[0] = group_key && *group_key ? 'g' : 'c';
    memcpy(buf + 1, src, n);
    return smgi_strtab_intern(&org->alloc, &org->customers.keys, buf, n + 1, key, NULL);
}

/* Remember the customer's normalised phone; *dup_of receives the first
 * customer who had the same one, or -1 (撞单: reported, never merged). */
static int phone_note(smg_org *org, const char *phone, size_t customer, int32_t *dup_of)
{
    smgi_customers *c = &org->customers;
    smgi_column cols[] = PHONE_COLUMNS(c);
    char norm[80];
    size_t pk;
    int added, n;
    *dup_of = -1;
    n = phone ? smg_phone_normalise(norm, sizeof norm, phone) : 0;
    if (n <= 0) /* no digits, or too long to be a phone number */
        return 0;
    if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &c->phone_cap,
                          c->phone_keys.count + 1) ||
        smgi_strtab_intern(&org->alloc, &c->phone_keys, norm, (size_t)n, &pk, &added))
        return SMG_ENOMEM;
    if (added)
        c->phone_first[pk] = (int32_t)customer;
    else
        *dup_of = c->phone_first[pk];
    return 0;
}

static int customer_add(smg_org *org, const char *customer_id, const char *name,
                        const char *phone, const char *group_key)
{
    smgi_customers *c = &org->customers;
    const smg_allocator *a = &org->alloc;
    smgi_column cols[] = CUSTOMER_COLUMNS(c);
    size_t idx, key, n = c->ids.count;
    int rc;
    if ((rc = smgi_check_id(org, "customer", customer_id)))
        return rc;
    if (group_key && strlen(group_key) > 1024)
        return smgi_err(org, SMG_EINVAL, "customer \"%s\": group key longer than 1024 bytes",
                        customer_id);
    if (smgi_strtab_find_str(&c->ids, customer_id) >= 0)
        return smgi_err(org, SMG_EEXISTS, "customer \"%s\" already exists", customer_id);
    if (smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &c->cap, n + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    rc = smgi_strtab_append(a, &c->names, or_empty(name), strlen(or_empty(name)), &idx);
    if (!rc)
        rc = smgi_strtab_append(a, &c->phones, or_empty(phone), strlen(or_empty(phone)), &idx);
    if (!rc)
        rc = key_intern(org, customer_id, group_key, &key);
    if (!rc)
        rc = phone_note(org, phone, n, &c->dup_of[n]);
    if (!rc)
        rc = smgi_strtab_intern(a, &c->ids, customer_id, strlen(customer_id), &idx, NULL);
    if (rc) {
        /* the batch rollback trims keys; trim the row's own columns here */
        smgi_strtab_truncate(a, &c->names, n);
        smgi_strtab_truncate(a, &c->phones, n);
        return smgi_err(org, rc, "out of memory");
    }
    c->key[idx] = (int32_t)key;
    return 0;
}

int smg_customer_add(smg_org *org, const char *customer_id, const char *name,
                     const char *phone, const char *group_key)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, customer_add(org, customer_id, name, phone, group_key));
}

int smg_customer_find(const smg_org *org, const char *customer_id, size_t *index)
{
    long i;
    if (!org || !index)
        return SMG_EINVAL;
    i = smgi_strtab_find_str(&org->customers.ids, customer_id);
    if (i < 0)
        return SMG_ENOTFOUND;
    *index = (size_t)i;
    return 0;
}

const char *smg_customer_id(const smg_org *org, size_t index)
{
    return org && index < org->customers.ids.count
               ? smgi_strtab_get(&org->customers.ids, index)
               : NULL;
}

const char *smg_customer_name(const smg_org *org, size_t index)
{
    return org && index < org->customers.ids.count
               ? smgi_strtab_get(&org->customers.names, index)
               : NULL;
}

const char *smg_customer_phone(const smg_org *org, size_t index)
{
    return org && index < org->customers.ids.count
               ? smgi_strtab_get(&org->customers.phones, index)
               : NULL;
}

/* ---- the customer table ---- */

static const smgi_field customer_fields[] = {
    { "id", SMG_TYPE_TEXT },
    { "name", SMG_TYPE_TEXT },
    { "phone", SMG_TYPE_TEXT },
    { "group_key", SMG_TYPE_TEXT },
    { "key", SMG_TYPE_INDEX },
    { "duplicate_of", SMG_TYPE_INDEX },
};

static size_t customer_count(const void *o)
{
    const smg_org *org = o;
    return org->in_batch ? org->mark.customers : org->customers.ids.count;
}

static void customer_value(const void *o, size_t row, int f, smgi_value *v)
{
    const smgi_customers *c = &((const smg_org *)o)->customers;
    switch ((smg_customer_field)f) {
    case SMG_CUSTOMER_ID: smgi_value_text(v, smgi_strtab_get(&c->ids, row)); break;
    case SMG_CUSTOMER_NAME: smgi_value_text(v, smgi_strtab_get(&c->names, row)); break;
    case SMG_CUSTOMER_PHONE: smgi_value_text(v, smgi_strtab_get(&c->phones, row)); break;
    case SMG_CUSTOMER_GROUP_KEY: {
        /* the key's namespace letter says whether it is a group key */
        const char *k = smgi_strtab_get(&c->keys, (size_t)c->key[row]);
        smgi_value_text(v, k[0] == 'g' ? k + 1 : NULL);
        break;
    }
    case SMG_CUSTOMER_KEY: smgi_value_num(v, c->key[row], 0); break;
    case SMG_CUSTOMER_DUPLICATE_OF: smgi_value_index(v, c->dup_of[row]); break;
    }
}

static const smgi_table customer_table =
    SMGI_TABLE(customer_fields, customer_count, NULL, customer_value);

/* The public table getters, one line each (fields.h): smg_customer_count,
 * smg_customer_field_name, smg_customer_field_type and the typed getters below. */
SMGI_TABLE_META(smg_customer, smg_org, smg_customer_field, customer_table)
SMGI_TABLE_GET(smg_customer, index, size_t, smg_org, smg_customer_field, customer_table)
SMGI_TABLE_GET(smg_customer, int, int64_t, smg_org, smg_customer_field, customer_table)
SMGI_TABLE_GET(smg_customer, text, const char *, smg_org, smg_customer_field, customer_table)

const char *smg_key_text(const smg_org *org, size_t key)
{
    /* skip the namespace letter */
    return org && key < org->customers.keys.count
               ? smgi_strtab_get(&org->customers.keys, key) + 1
               : NULL;
}

int smg_phone_normalise(char *buf, size_t len, const char *phone)
{
    size_t n = 0;
    const char *p = phone;
    if (!phone || !buf || !len)
        return SMG_EINVAL;
    while (*p == ' ')
        p++;
    if (p[0] == '+' && p[1] == '8' && p[2] == '6')
        p += 3;
    else if (strncmp(p, "0086", 4) == 0)
        p += 4;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            continue;
        if (n + 1 >= len) {
            buf[0] = '\0';
            return SMG_ERANGE;
        }
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return (int)n;
}
