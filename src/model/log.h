/* The event log's layout: the log itself (struct of arrays, sorted by
 * (time, input position) once committed), the deals and receivables its
 * events name, the amounts of the few events that carry one, and the
 * event ids. The functions are in events.h. */
#ifndef SMGI_LOG_H
#define SMGI_LOG_H

#include <stdint.h>

#include "salesmgmt/event.h"
#include "columns.h"
#include "strtab.h"

/* Deals and receivables are named by ref ids that claims, overrides and
 * payments may use before the defining event arrives in a batch. */
typedef struct smgi_deals {
    smgi_strtab ids;
    int32_t *event;        /* position in the sorted log; -1 until defined */
    uint32_t *seq;         /* input position of the defining event */
    smg_money *amount;     /* the deal's amount */
    smg_money *list_amount;/* SMG_MONEY_NONE = none */
    smg_money *cost;       /* SMG_MONEY_NONE = none (counts as 0) */
    int32_t *product;      /* product index or -1 */
    smg_money *refunded;   /* sum of the committed refunds that stand */
    size_t cap;
} smgi_deals;

typedef struct smgi_receivables {
    smgi_strtab ids;
    int32_t *event;        /* position in the sorted log; -1 until defined */
    uint32_t *seq;
    smg_money *amount;     /* amount raised */
    smg_money *paid;       /* sum of committed payments */
    size_t cap;
} smgi_receivables;

/* The amounts of payments, expenses, absences, work scores, faults and
 * refunds: few events carry one, so the log has no amount column. Such an
 * event's arg is its row here; rows are appended in input order (a
 * rollback truncates). */
typedef struct smgi_amounts {
    int64_t *amount;   /* money, hundredths for absence/work_score, a fault's count */
    int32_t *ref;      /* a payment's receivable, a fault's scorecard item, a
                          refund's deal, else -1 */
    smg_money *cost;   /* a refund's cost taken back as given; else SMG_MONEY_NONE */
    size_t count, cap;
} smgi_amounts;

/* The event log, struct of arrays, sorted by (at, seq) once committed.
 * 26 bytes an event; amounts are elsewhere (smgi_event_amount), ids too. */
typedef struct smgi_events {
    smg_time *at;
    uint32_t *seq;     /* input position over the whole log */
    uint8_t *type;     /* smg_event_type */
    uint8_t *flags;    /* channel (low nibble) | outcome << 4 */
    int32_t *member;   /* -1 = none (override for the company) */
    int32_t *customer; /* -1 = none */
    int32_t *arg;      /* deal index (deal, claim, override), receivable index
                          (receivable), amounts row (payment, expense, absence,
                          work_score, fault, refund), scorecard item (submit),
                          the receiving member (handover; -1 = release), the
                          other customer (link), the team (transfer), the
                          cancelled event's row of the event ids (cancel),
                          else -1 */
    size_t count, cap;
} smgi_events;

/* Event ids, sparse: a log without ids costs nothing. Id i (interned, so
 * unique over the log) belongs to the event of input position seq[i];
 * rows are appended in input order, so seq is ascending (binary search),
 * and a rollback truncates. */
typedef struct smgi_event_ids {
    smgi_strtab ids;
    uint32_t *seq;
    size_t cap;
} smgi_event_ids;

/* The line of each event in the file it was loaded from (the log reader's
 * SMG_EVENT_LINE), as runs: from input position seq[k] on (up to the next
 * run), line = seq + delta[k]; delta SMGI_NO_LINE = no line (events added
 * by the API). A file's lines grow with the input position, so a run
 * starts only where the difference changes (a blank line, a quoted
 * newline, a skipped row): almost nothing for a normal file, nothing for a
 * log fed through the API. Runs are appended in input order; a rollback
 * truncates. */
typedef struct smgi_event_lines {
    uint32_t *seq;
    int64_t *delta;
    size_t count, cap;
} smgi_event_lines;

#define SMGI_NO_LINE INT64_MIN

/* Cancelled events (RULES.md §8). A cancelled event stays in the log with
 * type SMGI_EV_CANCELLED, which no engine reads: every result is then
 * computed as if it had never been logged, with no check in any engine.
 * Its own type is kept here for the log reader, one row a cancelled event,
 * sorted by the event's input position. Rows are added by a commit (and
 * taken out again if that commit fails). */
typedef struct smgi_cancels {
    uint32_t *seq;     /* the cancelled event's input position */
    uint32_t *by;      /* the cancel's input position */
    uint8_t *type;     /* the cancelled event's own type */
    size_t count, cap;
} smgi_cancels;

#define SMGI_EV_CANCELLED 0

/* The columns of each table (columns.h), for events.c and the snapshot. */
#define SMGI_EVENT_COLUMNS(E)                                                       \
    { SMGI_COLUMN((E)->at), SMGI_COLUMN((E)->seq), SMGI_COLUMN((E)->type),          \
      SMGI_COLUMN((E)->flags), SMGI_COLUMN((E)->member), SMGI_COLUMN((E)->customer), \
      SMGI_COLUMN((E)->arg) }
#define SMGI_AMOUNT_COLUMNS(am) \
    { SMGI_COLUMN((am)->amount), SMGI_COLUMN((am)->ref), SMGI_COLUMN((am)->cost) }
#define SMGI_DEAL_COLUMNS(d)                                                            \
    { SMGI_COLUMN((d)->event), SMGI_COLUMN((d)->seq), SMGI_COLUMN((d)->amount),         \
      SMGI_COLUMN((d)->list_amount), SMGI_COLUMN((d)->cost), SMGI_COLUMN((d)->product), \
      SMGI_COLUMN((d)->refunded) }
#define SMGI_RECEIVABLE_COLUMNS(r)                                              \
    { SMGI_COLUMN((r)->event), SMGI_COLUMN((r)->seq), SMGI_COLUMN((r)->amount), \
      SMGI_COLUMN((r)->paid) }
#define SMGI_EVENT_ID_COLUMNS(ids) { SMGI_COLUMN((ids)->seq) }
#define SMGI_CANCEL_COLUMNS(c) \
    { SMGI_COLUMN((c)->seq), SMGI_COLUMN((c)->by), SMGI_COLUMN((c)->type) }

#define SMGI_CHANNEL(flags) ((smg_channel)((flags) & 15))
#define SMGI_OUTCOME(flags) ((smg_outcome)((flags) >> 4))

#endif
