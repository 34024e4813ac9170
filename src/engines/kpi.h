/* The KPI engine's internals, shared by its three parts:
 *   kpi_pass.c    the aggregation pass over the log and the distinct-key
 *                 counts of a period;
 *   kpi_index.c   the month index (smg_kpi_index);
 *   kpi_report.c  rows, visibility, the report, its getters and merge, and
 *                 the smg_kpi_compute / _many entry points.
 * Nothing here is for other engines (pay reads credits.h and targets.h). */
#ifndef SMGI_KPI_H
#define SMGI_KPI_H

#include <stddef.h>
#include <stdint.h>

#include "salesmgmt/kpi.h"
#include "arith.h"
#include "org.h"

/* The numerators and denominators of one subject; every KPI is derived
 * from these in the getters. All fields but the distinct-key counts and
 * the target add up from members to teams (and across key partitions). */
typedef struct smgi_kpi_parts {
    int64_t sales, deals, gross, list_num, list_den, expense;
    int64_t sales_prev, sales_yoy;
    int64_t paid, open, raised;       /* collection_rate */
    int64_t visits, visits_ok, complaints, new_keys;
    int64_t receptions, regs, regs_ontime, demos;
    int64_t prev_keys, retained, lost; /* distinct keys: not summed up the tree */
    int64_t target;
    int32_t target_null;
} smgi_kpi_parts;

/* Add the additive fields; 1 on overflow. */
static inline int smgi_kpi_parts_add(smgi_kpi_parts *d, const smgi_kpi_parts *s)
{
    int o = 0;
    o |= SMGI_ADD_OVF(d->sales, s->sales);
    o |= SMGI_ADD_OVF(d->gross, s->gross);
    o |= SMGI_ADD_OVF(d->list_num, s->list_num);
    o |= SMGI_ADD_OVF(d->list_den, s->list_den);
    o |= SMGI_ADD_OVF(d->expense, s->expense);
    o |= SMGI_ADD_OVF(d->sales_prev, s->sales_prev);
    o |= SMGI_ADD_OVF(d->sales_yoy, s->sales_yoy);
    o |= SMGI_ADD_OVF(d->paid, s->paid);
    o |= SMGI_ADD_OVF(d->open, s->open);
    o |= SMGI_ADD_OVF(d->raised, s->raised);
    d->deals += s->deals;
    d->visits += s->visits;
    d->visits_ok += s->visits_ok;
    d->complaints += s->complaints;
    d->new_keys += s->new_keys;
    d->receptions += s->receptions;
    d->regs += s->regs;
    d->regs_ontime += s->regs_ontime;
    d->demos += s->demos;
    return o;
}

/* The bits of a distinct-key entry: a deal in the previous period, in the
 * period itself. */
enum { SMGI_IN_PREV = 1, SMGI_IN_CUR = 2 };

/* One period of a computation: its three ranges and its counters. */
typedef struct smgi_kpi_period {
    smg_date range[3][2];   /* period, previous, year earlier (days) */
    size_t lo[3], hi[3];    /* the same as log positions [lo, hi) */
    smgi_kpi_parts *acc;    /* nm + 1: the members, then the company's own deals */
    /* deals in the period or the previous one: key, counter slot, SMGI_IN_* */
    int32_t *e_key, *e_slot;
    uint8_t *e_bits;
    size_t nentries, entries_cap;
} smgi_kpi_period;

void smgi_kpi_period_free(const smg_allocator *al, smgi_kpi_period *p);

/* ---- the pass (kpi_pass.c) ---- */

/* Count, in one pass over the log, the counters of periods ps (whose
 * ranges are set): allocates each period's acc. 0 or an error with its
 * message on the org. */
int smgi_kpi_aggregate(smg_org *org, const smg_attribution *a, smgi_kpi_period *ps,
                       size_t np);

/* What the pass carries along the log outside the periods, at log
 * position `pos`: the keys with a deal (a bit each), each receivable's
 * raiser, each member's open receivables. The month index keeps it at the
 * log's end, so an append is counted from there (kpi_index.c). */
typedef struct smgi_kpi_tail {
    size_t pos;        /* where the state is; seen == NULL: none yet */
    uint8_t *seen;
    int32_t *raiser;
    int64_t *open;
    size_t nseen, nrecv, nm; /* bytes of seen, receivables, members */
} smgi_kpi_tail;

void smgi_kpi_tail_free(const smg_allocator *al, smgi_kpi_tail *t);

/* smgi_kpi_aggregate(), with the carried state: with tail->seen set, the
 * pass starts at tail->pos from that state, and a period whose acc is
 * already set is added to (its opening stock kept); either way the state
 * at the end of the pass goes back into *tail (also on failure, when it
 * is no longer of any position: free it). */
int smgi_kpi_aggregate_tail(smg_org *org, const smg_attribution *a, smgi_kpi_period *ps,
                            size_t np, smgi_kpi_tail *tail);

/* A key's flags in the distinct-key counts. */
typedef struct smgi_keycount {
    int64_t prev, kept, lost;
} smgi_keycount;

/* Scratch of the distinct-key counts, shared by the periods. */
typedef struct smgi_keyscratch {
    uint64_t *v, *s;         /* (key << 32 | slot << 2 | flags) to sort, and scratch */
    size_t cap;
    int32_t *mark_m, *mark_t, *list_m, *list_t;
    uint8_t *f_m, *f_t;
    smgi_keycount *sub_m, *sub_t; /* keys of one member only: per member, per subtree */
    smgi_keycount *own_m, *own_t; /* keys of several members: each member's and team's own */
} smgi_keyscratch;

/* Allocate the scratch for nm members and nt teams: 0 or SMG_ENOMEM (no
 * message); free it with smgi_keyscratch_free() either way. */
int smgi_keyscratch_alloc(const smg_allocator *al, smgi_keyscratch *ks, size_t nm, size_t nt);
void smgi_keyscratch_free(const smg_allocator *al, smgi_keyscratch *ks);

/* The distinct-key counts (prev_keys, retained, lost) of every member
 * (into pd->acc), team (tparts) and the company of period pd, from its
 * entries. 0, SMG_ENOMEM or SMG_ERANGE (too many members); no message. */
int smgi_kpi_distinct_keys(const smg_org *org, smgi_keyscratch *ks, smgi_kpi_period *pd,
                           size_t nm, smgi_kpi_parts *tparts, smgi_kpi_parts *company);

/* ---- the month index (kpi_index.c) ---- */

/* Whether `ix` may answer a query on org with attribution result `given`
 * (NULL or the index's own): 0 with *a set to the index's result, or
 * SMG_EINVAL with a message on the org. */
int smgi_kpi_index_usable(smg_org *org, const smg_kpi_index *ix, const smg_attribution *given,
                          const smg_attribution **a);
/* 1 when the period's three ranges are whole months: the index answers it. */
int smgi_kpi_index_covers(const smgi_kpi_period *p);
/* Period p's counters from the index (its three ranges are whole months):
 * the months' sums, and the deals of the period and the one before it.
 * 0, SMG_ENOMEM or SMG_ERANGE; no message. */
int smgi_kpi_from_index(const smg_kpi_index *ix, const smg_allocator *al, smgi_kpi_period *p,
                        int32_t only);
/* (only >= 0: the distinct-key entries of that counter slot only — a
 * query of one member's row, whose counts read no other member's entries:
 * the cost of that member's deals, not the month's.) */

#endif
