/* The getters of the org's own tables (teams, members, customers, the log)
 * share one shape (docs/API.md "Reading a result"): each table describes
 * its fields (name, type) and reads one value of a row; these helpers do
 * the checks and the writing out, the same for every table. */
#ifndef SMGI_FIELDS_H
#define SMGI_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "salesmgmt/common.h"

typedef struct smgi_field {
    const char *name;  /* the JSON key */
    smg_type type;
} smgi_field;

/* One value of a row: a number (INDEX and INT-family fields) or a text. */
typedef struct smgi_value {
    int64_t num;
    const char *text;
    int is_null;
} smgi_value;

#define SMGI_NFIELDS(fields) (sizeof(fields) / sizeof((fields)[0]))

/* 1 if a field of type t is read with the _int getter. */
static inline int smgi_type_is_int(smg_type t)
{
    return t == SMG_TYPE_INT || t == SMG_TYPE_MONEY || t == SMG_TYPE_DATE ||
           t == SMG_TYPE_TIME || t == SMG_TYPE_ENUM || t == SMG_TYPE_BOOL;
}

static inline smg_type smgi_field_type(const smgi_field *fields, size_t n, int f)
{
    return f >= 0 && (size_t)f < n ? fields[f].type : (smg_type)0;
}

static inline const char *smgi_field_name(const smgi_field *fields, size_t n, int f)
{
    return f >= 0 && (size_t)f < n ? fields[f].name : NULL;
}

static inline int smgi_put_index(const smgi_value *v, size_t *out, int *is_null)
{
    *out = v->is_null ? 0 : (size_t)v->num;
    if (is_null)
        *is_null = v->is_null;
    return 0;
}

static inline int smgi_put_int(const smgi_value *v, int64_t *out, int *is_null)
{
    *out = v->is_null ? 0 : v->num;
    if (is_null)
        *is_null = v->is_null;
    return 0;
}

static inline int smgi_put_text(const smgi_value *v, const char **out, int *is_null)
{
    *out = v->is_null ? NULL : v->text;
    if (is_null)
        *is_null = v->is_null;
    return 0;
}

/* A null value, or a number / text. */
static inline void smgi_value_num(smgi_value *v, int64_t num, int is_null)
{
    v->num = is_null ? 0 : num;
    v->text = NULL;
    v->is_null = is_null;
}

/* An empty text counts as null. */
static inline void smgi_value_text(smgi_value *v, const char *text)
{
    v->num = 0;
    v->is_null = !text || !*text;
    v->text = v->is_null ? NULL : text;
}

#endif
