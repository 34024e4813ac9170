/* Every result table is read the same way (docs/API.md "Reading a
 * result"): smg_<table>_count, _index, _int, _double, _text, _field_name and
 * _field_type. One reader serves them all: a table is described by its
 * fields (name, type), its row count and one function that reads the value
 * of a (row, field); the reader makes the checks (a NULL result or out, an
 * unknown field, a field of another type, a row past the count), the
 * conversions and the writing out, the same for every table. Each public
 * function of a table is one call of smgi_table_* (SMGI_TABLE_META,
 * SMGI_TABLE_GET). */
#ifndef SMGI_FIELDS_H
#define SMGI_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "salesmgmt/common.h"

typedef struct smgi_field {
    const char *name;  /* the JSON key */
    smg_type type;
} smgi_field;

/* One value of a row: a number (INDEX and INT-family fields), a double
 * (DOUBLE fields) or a text (TEXT fields); is_null for an absent value. */
typedef struct smgi_value {
    int64_t num;
    double real;
    const char *text;
    int is_null;
} smgi_value;

typedef struct smgi_table {
    const smgi_field *fields;
    size_t nfields;
    /* the rows of result r (not NULL) */
    size_t (*count)(const void *r);
    /* NULL, or 0 when result r (not NULL) may be read, else the status to
     * return (SMG_ESTATE: its org changed since the compute). It is asked
     * after the field and before the row is checked. */
    int (*state)(const void *r);
    /* Sets *v to field f (< nfields) of row (< count) of r. */
    void (*value)(const void *r, size_t row, int f, smgi_value *v);
} smgi_table;

#define SMGI_NFIELDS(fields) (sizeof(fields) / sizeof((fields)[0]))

/* A table description: its field array, count, state and value functions. */
#define SMGI_TABLE(fields, count, state, value) \
    { (fields), SMGI_NFIELDS(fields), (count), (state), (value) }

/* The getters: 0 for NULL r (count); NULL / 0 for an unknown field (name,
 * type); else 0 with *out (and *is_null, when not NULL) written, or a
 * status with *out untouched. _int reads the INT-family fields (INT,
 * MONEY, DATE, TIME, ENUM, BOOL), _double those converted and the DOUBLE
 * fields; a null value reads as 0 (NULL for a text). */
size_t smgi_table_count(const smgi_table *t, const void *r);
const char *smgi_table_field_name(const smgi_table *t, int f);
smg_type smgi_table_field_type(const smgi_table *t, int f);
int smgi_table_index(const smgi_table *t, const void *r, size_t row, int f, size_t *out,
                     int *is_null);
int smgi_table_int(const smgi_table *t, const void *r, size_t row, int f, int64_t *out,
                   int *is_null);
int smgi_table_double(const smgi_table *t, const void *r, size_t row, int f, double *out,
                      int *is_null);
int smgi_table_text(const smgi_table *t, const void *r, size_t row, int f, const char **out,
                    int *is_null);

/* The public functions of a table, each one call of the reader above
 * (prefix: smg_<table>; R: the result type; F: the field enum):
 * prefix_count, prefix_field_name and prefix_field_type; and a getter
 * prefix_<kind> (kind: index, int, double or text; T: the type of *out). */
#define SMGI_TABLE_META(prefix, R, F, table)                                                 \
    size_t prefix##_count(const R *r) { return smgi_table_count(&(table), r); }              \
    const char *prefix##_field_name(F f) { return smgi_table_field_name(&(table), (int)f); } \
    smg_type prefix##_field_type(F f) { return smgi_table_field_type(&(table), (int)f); }
#define SMGI_TABLE_GET(prefix, kind, T, R, F, table)                                         \
    int prefix##_##kind(const R *r, size_t row, F f, T *out, int *is_null)                   \
    {                                                                                        \
        return smgi_table_##kind(&(table), r, row, (int)f, out, is_null);                    \
    }

/* ---- filling a value ---- */

/* A number, or null (0). */
static inline void smgi_value_num(smgi_value *v, int64_t num, int is_null)
{
    v->num = is_null ? 0 : num;
    v->real = 0;
    v->text = NULL;
    v->is_null = is_null;
}

/* An index: a negative one is null. */
static inline void smgi_value_index(smgi_value *v, int64_t index)
{
    smgi_value_num(v, index, index < 0);
}

/* A number, null when it is the absent marker `none`. */
static inline void smgi_value_or_none(smgi_value *v, int64_t num, int64_t none)
{
    smgi_value_num(v, num, num == none);
}

/* A double, or null (0). */
static inline void smgi_value_real(smgi_value *v, double real, int is_null)
{
    smgi_value_num(v, 0, is_null);
    v->real = is_null ? 0 : real;
}

/* A text; an empty text counts as null. */
static inline void smgi_value_text(smgi_value *v, const char *text)
{
    smgi_value_num(v, 0, !text || !*text);
    v->text = v->is_null ? NULL : text;
}

#endif
