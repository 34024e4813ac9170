/* The one reader of every result table (fields.h). */
#include "fields.h"

#define BIT(type) (1u << (type))
#define INT_FAMILY                                                                     \
    (BIT(SMG_TYPE_INT) | BIT(SMG_TYPE_MONEY) | BIT(SMG_TYPE_DATE) | BIT(SMG_TYPE_TIME) | \
     BIT(SMG_TYPE_ENUM) | BIT(SMG_TYPE_BOOL))

size_t smgi_table_count(const smgi_table *t, const void *r)
{
    return r ? t->count(r) : 0;
}

const char *smgi_table_field_name(const smgi_table *t, int f)
{
    return f >= 0 && (size_t)f < t->nfields ? t->fields[f].name : NULL;
}

smg_type smgi_table_field_type(const smgi_table *t, int f)
{
    return f >= 0 && (size_t)f < t->nfields ? t->fields[f].type : (smg_type)0;
}

/* What a getter writes out: a size_t, int64_t, double or const char *. */
enum { AS_INDEX, AS_INT, AS_DOUBLE, AS_TEXT };

/* Field f of row, written to *out as `as`, when the call is valid: r and
 * out not NULL, f a field of a type the getter reads, r in a state to be
 * read, row below the count. The checks leave no message: a result is
 * read-only and may be read from several threads at once. */
static int get(const smgi_table *t, const void *r, size_t row, int f, int as, void *out,
               int *is_null)
{
    static const unsigned reads[] = {
        BIT(SMG_TYPE_INDEX), INT_FAMILY, INT_FAMILY | BIT(SMG_TYPE_DOUBLE), BIT(SMG_TYPE_TEXT),
    };
    smg_type type = smgi_table_field_type(t, f);
    smgi_value v;
    int rc;
    if (!r || !out || !type || !(reads[as] & BIT(type)))
        return SMG_EINVAL;
    if (t->state && (rc = t->state(r)) != 0)
        return rc;
    if (row >= t->count(r))
        return SMG_EINVAL;
    t->value(r, row, f, &v);
    switch (as) {
    case AS_INDEX: *(size_t *)out = v.is_null ? 0 : (size_t)v.num; break;
    case AS_INT: *(int64_t *)out = v.is_null ? 0 : v.num; break;
    case AS_DOUBLE:
        *(double *)out = v.is_null ? 0 : type == SMG_TYPE_DOUBLE ? v.real : (double)v.num;
        break;
    default: *(const char **)out = v.is_null ? NULL : v.text; break;
    }
    if (is_null)
        *is_null = v.is_null;
    return 0;
}

int smgi_table_index(const smgi_table *t, const void *r, size_t row, int f, size_t *out,
                     int *is_null)
{
    return get(t, r, row, f, AS_INDEX, out, is_null);
}

int smgi_table_int(const smgi_table *t, const void *r, size_t row, int f, int64_t *out,
                   int *is_null)
{
    return get(t, r, row, f, AS_INT, out, is_null);
}

int smgi_table_double(const smgi_table *t, const void *r, size_t row, int f, double *out,
                      int *is_null)
{
    return get(t, r, row, f, AS_DOUBLE, out, is_null);
}

int smgi_table_text(const smgi_table *t, const void *r, size_t row, int f, const char **out,
                    int *is_null)
{
    return get(t, r, row, f, AS_TEXT, out, is_null);
}
