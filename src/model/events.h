/* The event log's functions (events.c): adding, the commit that checks the
 * order-dependent rules and keeps the log sorted, and the readers the
 * engines share. The layout is in log.h. */
#ifndef SMGI_EVENTS_H
#define SMGI_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "org.h"

/* The last smg_event_type: tables indexed by type have SMGI_EV_LAST + 1 rows. */
#define SMGI_EV_LAST SMG_EV_TRANSFER

/* Validate the staged events (order-dependent rules) and sort the log.
 * Called by commit; on failure the events committed before are as they
 * were, and the staged ones are for the rollback to drop. */
int smgi_events_commit(smg_org *org, size_t first_new);
/* The same checks for a batch that already failed (to report every error),
 * leaving the log without the staged events either way. */
int smgi_events_check(smg_org *org, size_t first_new);
/* First position of the sorted log with at >= t (binary search). */
size_t smgi_log_lower_bound(const smgi_events *E, smg_time t);

/* Rollback: keep the first `count` rows (events, event ids). */
void smgi_events_truncate(smgi_events *ev, size_t count);
void smgi_event_ids_truncate(const smg_allocator *a, smgi_event_ids *ids, size_t count);
/* Give back the log's unused capacity (after a bulk load grew it by
 * doubling: up to half of it). A column that cannot shrink stays as it is. */
void smgi_events_trim(const smg_allocator *a, smgi_events *ev);

void smgi_events_free(const smg_allocator *a, smgi_events *ev);
void smgi_amounts_free(const smg_allocator *a, smgi_amounts *am);
void smgi_deals_free(const smg_allocator *a, smgi_deals *d);
void smgi_receivables_free(const smg_allocator *a, smgi_receivables *r);
void smgi_event_ids_free(const smg_allocator *a, smgi_event_ids *ids);
void smgi_event_lines_free(const smg_allocator *a, smgi_event_lines *lines);
void smgi_cancels_free(const smg_allocator *a, smgi_cancels *c);
/* The own type of the event at log position i: its type, or for a
 * cancelled event the type it had. */
smg_event_type smgi_event_type_of(const smg_org *org, size_t i);
/* The source line of the event of input position seq, 0 when it has none. */
int64_t smgi_event_line(const smgi_event_lines *lines, size_t seq);

/* The amount event i (a log position) carries: money, or hundredths for
 * absence and work_score, a fault's count; SMG_MONEY_NONE when it has none. Deals and
 * receivables keep theirs in their tables, the others in org->amounts.
 * The one way to read it, but for the KPI pass (kpi.c run_pass), which
 * already switches on the type and reads those tables itself: the
 * accessor's second switch measured about 10% slower there. */
static inline int64_t smgi_event_amount(const smg_org *org, size_t i)
{
    const smgi_events *E = &org->events;
    switch (E->type[i]) {
    case SMG_EV_DEAL: return org->deals.amount[E->arg[i]];
    case SMG_EV_RECEIVABLE: return org->receivables.amount[E->arg[i]];
    case SMG_EV_PAYMENT:
    case SMG_EV_EXPENSE:
    case SMG_EV_ABSENCE:
    case SMG_EV_WORK_SCORE:
    case SMG_EV_FAULT:
    case SMG_EV_REFUND: return org->amounts.amount[E->arg[i]];
    default: return SMG_MONEY_NONE;
    }
}

/* The deal that refund event i gives money back on. */
static inline int32_t smgi_refund_deal(const smg_org *org, size_t i)
{
    return org->amounts.ref[org->events.arg[i]];
}

/* The cost refund event i takes back: as given, else the deal's cost ×
 * refund ÷ the deal's amount, rounded half away from zero (RULES.md §8);
 * 0 for a deal without a cost. */
smg_money smgi_refund_cost(const smg_org *org, size_t i);

/* The scorecard item of fault or submit event i: a submit's arg, a
 * fault's amounts row's ref (its count is the row's amount). */
static inline int32_t smgi_event_item(const smg_org *org, size_t i)
{
    const smgi_events *E = &org->events;
    return E->type[i] == SMG_EV_FAULT ? org->amounts.ref[E->arg[i]] : E->arg[i];
}

/* The receivable that payment event i pays. */
static inline int32_t smgi_payment_receivable(const smg_org *org, size_t i)
{
    return org->amounts.ref[org->events.arg[i]];
}

#endif
