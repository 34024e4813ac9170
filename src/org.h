/* The organisation handle's layout: the model every engine reads.
 *
 * Everything is struct-of-arrays over dense indices. Ids are interned once
 * (strtab); engines then see only integers. The event log is kept sorted by
 * (time, input position) after every commit, so engines scan it in order. */
#ifndef SMGI_ORG_H
#define SMGI_ORG_H

#include <stdarg.h>
#include <stdint.h>

#include "salesmgmt/org.h"
#include "salesmgmt/event.h"
#include "salesmgmt/team.h"
#include "alloc.h"
#include "strtab.h"
#include "policy.h"

/* Flat arrays of one table, grown together. */
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

/* The amounts of payments, expenses, absences and work scores: few events
 * carry one, so the log has no amount column. Such an event's arg is its
 * row here; rows are appended in input order (a rollback truncates). */
typedef struct smgi_amounts {
    int64_t *amount;   /* money, or hundredths for absence/work_score */
    int32_t *ref;      /* a payment's receivable, else -1 */
    size_t count, cap;
} smgi_amounts;

/* The event log, struct of arrays, sorted by (at, seq) once committed.
 * 26 bytes an event; amounts are elsewhere (smgi_event_amount). */
typedef struct smgi_events {
    smg_time *at;
    uint32_t *seq;     /* input position over the whole log */
    uint8_t *type;     /* smg_event_type */
    uint8_t *flags;    /* channel (low nibble) | outcome << 4 */
    int32_t *member;   /* -1 = none (override for the company) */
    int32_t *customer; /* -1 = none */
    int32_t *arg;      /* deal index (deal, claim, override), receivable index
                          (receivable), amounts row (payment, expense, absence,
                          work_score), else -1 */
    size_t count, cap;
} smgi_events;

/* Targets (RULES.md §2), in insertion order. */
typedef struct smgi_targets {
    uint8_t *subject_kind; /* smg_subject_kind: member, team or company */
    int32_t *subject;      /* member or team index; 0 for the company */
    uint8_t *metric;       /* smg_metric */
    uint8_t *period_kind;  /* smg_period_kind: year, quarter or month */
    smg_date *from, *to;   /* the period, inclusive */
    int64_t *amount;       /* minor units, or a count */
    int32_t *profile;      /* profile index; -1 = all months equal */
    uint32_t *line;        /* source line (dataset), 0 = added by the API */
    size_t count, cap;
} smgi_targets;

typedef struct smgi_profiles {
    smgi_strtab names;
    int64_t (*weights)[12]; /* millionths */
    size_t cap;
} smgi_profiles;

/* Commission brackets (RULES.md §6), in insertion order. */
typedef struct smgi_commission {
    int32_t *product;      /* product index; -1 = "*" */
    smg_money *from;
    int64_t *rate;         /* millionths */
    uint8_t *mode;         /* smg_commission_mode */
    size_t count, cap;
} smgi_commission;

/* A hint to fetch memory that will be read soon (random access in big
 * arrays); nothing on compilers without it. */
#if defined(__GNUC__) || defined(__clang__)
#define SMGI_PREFETCH(p) __builtin_prefetch(p)
#else
#define SMGI_PREFETCH(p) ((void)0)
#endif

#define SMGI_CHANNEL(flags) ((smg_channel)((flags) & 15))
#define SMGI_OUTCOME(flags) ((smg_outcome)((flags) >> 4))

/* Row counts at batch start, for rollback. */
typedef struct smgi_mark {
    size_t teams, members, customers, keys, phone_keys, products, deals, receivables,
        amounts, events, undo, targets, profiles, commission;
} smgi_mark;

/* An in-place change to a row that existed before the batch. */
typedef struct smgi_undo {
    int what;          /* SMGI_UNDO_* */
    size_t index;
    int64_t a, b;
} smgi_undo;

enum { SMGI_UNDO_LEADER = 1, SMGI_UNDO_DATES, SMGI_UNDO_PAY };

struct smg_org {
    smg_allocator alloc;
    size_t max_errors;

    /* errors of the last failed call / current batch */
    char **errs;
    size_t nerrs, errs_cap, errs_dropped;
    int first_status;  /* status of the first error kept */

    smgi_policy policy;

    smgi_teams teams;
    smgi_members members;
    smgi_customers customers;
    smgi_strtab products;
    smgi_deals deals;
    smgi_receivables receivables;
    smgi_amounts amounts;
    smgi_events events;
    smgi_targets targets;
    smgi_profiles profiles;
    smgi_commission commission;

    /* batch state */
    int in_batch;      /* 1 inside smg_batch_begin .. commit/rollback */
    int auto_batch;    /* 1 while a single call runs as its own batch */
    int batch_failed;  /* an add in this batch failed */
    smgi_mark mark;
    smgi_undo *undo;
    size_t nundo, undo_cap;
    /* where the batch's events came from, for messages: "events.csv" and a
     * line per event, set by the dataset loader; NULL = "event #N" */
    const char *src_name;
    uint32_t *src_line;
    size_t src_line_cap;
    /* the source line of the row being added by the dataset loader, 0 = API */
    uint32_t cur_line;

    uint64_t generation; /* bumped by every commit; results remember it */
};

/* ---- errors (org.c) ---- */
/* Record an error message; returns `status` so callers can `return smgi_err(...)`. */
int smgi_err(smg_org *org, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void smgi_err_clear(smg_org *org);
/* Put `prefix` (e.g. "members.csv:7: column team_id: ") in front of the
 * messages from index `from` on. */
void smgi_err_prefix(smg_org *org, size_t from, const char *prefix);
/* Describe where event i (a sorted-log position) came from: "events.csv:12"
 * or "event #12" (input position). */
void smgi_event_where(const smg_org *org, size_t i, char *buf, size_t len);

/* ---- batches (org.c) ----
 * Every mutating public call is wrapped: smgi_call_begin() opens an
 * automatic batch when none is open, smgi_call_end() commits it. */
int smgi_call_begin(smg_org *org);
int smgi_call_end(smg_org *org, int rc);
int smgi_undo_push(smg_org *org, int what, size_t index, int64_t a, int64_t b);

/* ---- validation helpers (org.c) ---- */
/* 0 if s is an acceptable id (1–64 bytes, no control characters). */
int smgi_check_id(smg_org *org, const char *what, const char *s);

/* ---- events (events.c) ---- */
/* Validate the staged events (order-dependent rules) and sort the log.
 * Called by commit; on failure the events committed before are as they
 * were, and the staged ones are for the rollback to drop. */
int smgi_events_commit(smg_org *org, size_t first_new);
/* The same checks for a batch that already failed (to report every error),
 * leaving the log without the staged events either way. */
int smgi_events_check(smg_org *org, size_t first_new);
/* First position of the sorted log with at >= t (binary search). */
size_t smgi_log_lower_bound(const smgi_events *E, smg_time t);
void smgi_events_truncate(smgi_events *ev, size_t count);
/* Give back the log's unused capacity (after a bulk load grew it by
 * doubling: up to half of it). A column that cannot shrink stays as it is. */
void smgi_events_trim(const smg_allocator *a, smgi_events *ev);
void smgi_events_free(const smg_allocator *a, smgi_events *ev);
void smgi_amounts_free(const smg_allocator *a, smgi_amounts *am);

/* The amount event i (a log position) carries: money, or hundredths for
 * absence and work_score; SMG_MONEY_NONE when it has none. Deals and
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
    case SMG_EV_WORK_SCORE: return org->amounts.amount[E->arg[i]];
    default: return SMG_MONEY_NONE;
    }
}

/* The receivable that payment event i pays. */
static inline int32_t smgi_payment_receivable(const smg_org *org, size_t i)
{
    return org->amounts.ref[org->events.arg[i]];
}

/* ---- targets (targets.c), commission (commission.c) ---- */
/* Check the staged targets (overlaps); on failure nothing is changed. */
int smgi_targets_commit(smg_org *org);
void smgi_targets_free(const smg_allocator *a, smgi_targets *t);
void smgi_profiles_free(const smg_allocator *a, smgi_profiles *p);
void smgi_commission_free(const smg_allocator *a, smgi_commission *c);

/* ---- model (team.c, customer.c) ---- */
void smgi_teams_free(const smg_allocator *a, smgi_teams *t);
void smgi_members_free(const smg_allocator *a, smgi_members *m);
void smgi_customers_free(const smg_allocator *a, smgi_customers *c);
void smgi_deals_free(const smg_allocator *a, smgi_deals *d);
void smgi_receivables_free(const smg_allocator *a, smgi_receivables *r);
/* Look up an id given as a C string; -1 when NULL, empty or unknown. */
long smgi_find(const smgi_strtab *t, const char *id);
/* 1 if member m is team t's member or t's subtree contains m's team. */
int smgi_team_contains(const smg_org *org, int32_t team, int32_t member);

#endif
