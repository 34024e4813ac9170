/* The organisation model (team.c, customer.c): the tables of teams,
 * members and customers, struct of arrays over dense indices, and their
 * functions. Ids are interned once (strtab); engines see only integers. */
#ifndef SMGI_MODEL_H
#define SMGI_MODEL_H

#include <stdint.h>

#include "salesmgmt/customer.h"
#include "salesmgmt/org.h"
#include "salesmgmt/team.h"
#include "alloc.h"
#include "columns.h"
#include "strtab.h"

/* Flat arrays of one table, grown together (columns.h). */
typedef struct smgi_teams {
    smgi_strtab ids, names;
    int32_t *parent;   /* team index or -1 */
    int32_t *leader;   /* member index or -1 */
    size_t cap;
} smgi_teams;

typedef struct smgi_members {
    smgi_strtab ids, names;
    int32_t *team;
    uint8_t *role;     /* smg_role */
    smg_date *start, *end;   /* SMG_DATE_NONE = open */
    smg_money *pay_total;    /* SMG_MONEY_NONE = none */
    size_t cap;
} smgi_members;

typedef struct smgi_customers {
    smgi_strtab ids, names, phones;
    int32_t *key;      /* attribution key index */
    int32_t *dup_of;   /* the first customer with the same normalised phone, or -1 */
    size_t cap;
    /* normalised phones, each with the first customer who had it */
    smgi_strtab phone_keys;
    int32_t *phone_first;
    size_t phone_cap;
    /* Attribution keys: "g" + group key, or "c" + customer id, so a group
     * key never merges with an unrelated customer's id. */
    smgi_strtab keys;
} smgi_customers;

/* The columns of each table (columns.h), for its module and the snapshot. */
#define SMGI_TEAM_COLUMNS(t) { SMGI_COLUMN((t)->parent), SMGI_COLUMN((t)->leader) }
#define SMGI_MEMBER_COLUMNS(m)                                                \
    { SMGI_COLUMN((m)->team), SMGI_COLUMN((m)->role), SMGI_COLUMN((m)->start), \
      SMGI_COLUMN((m)->end), SMGI_COLUMN((m)->pay_total) }
#define SMGI_CUSTOMER_COLUMNS(c) { SMGI_COLUMN((c)->key), SMGI_COLUMN((c)->dup_of) }
#define SMGI_PHONE_COLUMNS(c) { SMGI_COLUMN((c)->phone_first) }

/* ---- team.c ---- */
void smgi_teams_free(const smg_allocator *a, smgi_teams *t);
void smgi_members_free(const smg_allocator *a, smgi_members *m);
/* 1 if member m is team t's member or t's subtree contains m's team. */
int smgi_team_contains(const smg_org *org, int32_t team, int32_t member);
/* 1 if member m was employed (start and leave dates) on some day of
 * [from, to]. */
int smgi_member_employed(const smg_org *org, size_t m, smg_date from, smg_date to);

/* ---- customer.c ---- */
void smgi_customers_free(const smg_allocator *a, smgi_customers *c);

#endif
