/* The organisation handle's layout, the model every engine reads, and the
 * functions of org.c (errors, batches, id checks).
 *
 * Everything is struct-of-arrays over dense indices. Ids are interned once
 * (strtab); engines then see only integers. The tables are declared with
 * the module that owns them: teams, members and customers in model.h, the
 * event log in log.h (its functions in events.h); targets, profiles and
 * commission here. The event log is kept sorted by (time, input position)
 * after every commit, so engines scan it in order. */
#ifndef SMGI_ORG_H
#define SMGI_ORG_H

#include <stdarg.h>
#include <stdint.h>

#include "salesmgmt/org.h"
#include "alloc.h"
#include "columns.h"
#include "log.h"
#include "model.h"
#include "policy.h"
#include "strtab.h"

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

#define SMGI_TARGET_COLUMNS(t)                                                         \
    { SMGI_COLUMN((t)->subject_kind), SMGI_COLUMN((t)->subject), SMGI_COLUMN((t)->metric), \
      SMGI_COLUMN((t)->period_kind), SMGI_COLUMN((t)->from), SMGI_COLUMN((t)->to),         \
      SMGI_COLUMN((t)->amount), SMGI_COLUMN((t)->profile), SMGI_COLUMN((t)->line) }

typedef struct smgi_profiles {
    smgi_strtab names;
    int64_t (*weights)[12]; /* millionths */
    size_t cap;
} smgi_profiles;

#define SMGI_PROFILE_COLUMNS(p) { SMGI_COLUMN((p)->weights) }

/* Commission brackets (RULES.md §6), in insertion order. */
typedef struct smgi_commission {
    int32_t *product;      /* product index; -1 = "*" */
    smg_money *from;
    int64_t *rate;         /* millionths */
    uint8_t *mode;         /* smg_commission_mode */
    size_t count, cap;
} smgi_commission;

#define SMGI_COMMISSION_COLUMNS(c)                                              \
    { SMGI_COLUMN((c)->product), SMGI_COLUMN((c)->from), SMGI_COLUMN((c)->rate), \
      SMGI_COLUMN((c)->mode) }

/* Scorecard items (RULES.md §6), in insertion order. A parent is named by
 * id and may come later in the batch: it is resolved at commit. */
typedef struct smgi_scorecard {
    smgi_strtab ids;
    smgi_strtab parent_ids; /* per item: its parent's id as given, "" = top level */
    int32_t *parent;       /* parent item, -1 = top level; set at commit */
    int64_t *points;       /* hundredths of a point */
    int64_t *deduct;       /* hundredths a fault; SMG_POINTS_NONE = any fault zeroes it */
    uint8_t *roles;        /* set of 1 << smg_role; 0 = all */
    uint8_t *due_kind;     /* smg_deadline_kind */
    uint8_t *due_day;      /* 1-31 (monthly) or 0-6 (weekly, 0 = Monday) */
    uint32_t *line;        /* source line (dataset), 0 = added by the API */
    size_t cap;
} smgi_scorecard;

#define SMGI_SCORECARD_COLUMNS(s)                                                    \
    { SMGI_COLUMN((s)->parent), SMGI_COLUMN((s)->points), SMGI_COLUMN((s)->deduct), \
      SMGI_COLUMN((s)->roles), SMGI_COLUMN((s)->due_kind), SMGI_COLUMN((s)->due_day), \
      SMGI_COLUMN((s)->line) }

#define SMGI_TOUCH_MAX 16

/* Row counts at batch start, for rollback. */
typedef struct smgi_mark {
    size_t teams, members, customers, keys, phone_keys, products, deals, receivables,
        amounts, events, event_ids, event_lines, undo, targets, profiles, commission, scorecard;
} smgi_mark;

/* Where an error message points, parsed from its "FILE:LINE: column COL: "
 * place (org.c): offsets into the message's block (the message, then a copy
 * of FILE and one of COL, each NUL-terminated); NONE when it has none. */
typedef struct smgi_errplace {
    uint32_t file, column, what;
    int64_t line;              /* 0 = none */
} smgi_errplace;

#define SMGI_ERRPLACE_NONE UINT32_MAX

/* What the last successful dataset load read (the dataset table,
 * dataset.h): a row per file read, then a row per column it ignored; a row
 * per other file of the folder. Texts in `text`. */
typedef struct smgi_loaded_row {
    size_t file, column;       /* rows of `text`; column SIZE_MAX = none */
    int64_t rows;              /* data rows read; -1 = null */
    int ignored;
} smgi_loaded_row;

typedef struct smgi_loaded {
    smgi_strtab text;
    smgi_loaded_row *rows;
    size_t count, cap;
} smgi_loaded;

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
    smgi_errplace *places; /* where each points */
    size_t places_cap;
    size_t nerrs, errs_cap, errs_dropped;
    int first_status;  /* status of the first error (kept or not) */
    /* sticky: an error was recorded since the last clear, even one whose
     * message was dropped (its own allocation failed, or past max_errors);
     * what decides whether a load or a batch failed, never "no messages" */
    int failed;
    size_t errs_bytes; /* bytes of the messages kept (capped: SMGI_ERRS_MAX_BYTES) */
    char more_msg[64]; /* "... and N more errors" while errs_dropped > 0 */

    /* warnings and what was read, of the last successful dataset load */
    char **warns;
    size_t nwarns, warns_cap;
    smgi_loaded loaded;

    smgi_policy policy;

    smgi_teams teams;
    smgi_members members;
    smgi_customers customers;
    smgi_strtab products;
    smgi_deals deals;
    smgi_receivables receivables;
    smgi_amounts amounts;
    smgi_events events;
    smgi_event_ids event_ids;
    smgi_event_lines event_lines;
    smgi_cancels cancels;
    smgi_targets targets;
    smgi_profiles profiles;
    smgi_commission commission;
    smgi_scorecard scorecard;

    /* batch state */
    int in_batch;      /* 1 inside smg_batch_begin .. commit/rollback */
    int auto_batch;    /* 1 while a single call runs as its own batch */
    int batch_failed;  /* an add in this batch failed */
    smgi_mark mark;
    smgi_undo *undo;
    size_t nundo, undo_cap;
    /* where the batch's events come from, for messages and the log's
     * lines: "events.csv", set by the dataset loader; NULL = the API */
    const char *src_name;
    /* the source line of the row being added by the dataset loader (an
     * event, a target, a commission row), 0 = API */
    uint32_t cur_line;

    uint64_t generation; /* bumped by every commit; results remember it */

    /* Change tracking, for the update functions (smgi_touched_since): the
     * commits that were not pure appends, as (the generation they made,
     * the earliest time they touched; INT64_MIN = everything). A pure
     * append (new events all at or after the last one logged, no cancel,
     * no change to an existing row, target, profile, commission row or
     * scorecard item) leaves no entry, so a live feed costs nothing.
     * Fixed room: beyond it the two oldest entries merge (the newer
     * generation, the earlier time), which only makes an update redo more. */
    struct smgi_touch {
        uint64_t gen;
        int64_t at;
    } touches[SMGI_TOUCH_MAX];
    size_t ntouches;
    int64_t commit_touch; /* during a commit: the earliest cancelled event's time */
    uint64_t policy_serial; /* bumped by every policy change */
};

/* The earliest time touched by the commits after generation `gen` that
 * were not pure appends: INT64_MAX when there were none (only appends),
 * INT64_MIN when the model changed (everything). */
int64_t smgi_touched_since(const smg_org *org, uint64_t gen);
/* Note a policy change (results computed before it cannot continue). */
void smgi_policy_changed(smg_org *org);

/* ---- errors (org.c) ---- */
/* Every message is made safe to print where it is recorded (smgi_err,
 * smgi_warn, one function: smgi_msg_clean): control bytes escaped (\n \r
 * \t, else \xNN, DEL too), invalid UTF-8 as \xNN, a quoted value cut after
 * SMGI_MSG_QUOTE_MAX bytes and a message after SMGI_MSG_MAX bytes (with
 * "…"); the kept messages of one call add up to SMGI_ERRS_MAX_BYTES at
 * most (then "… and N more errors"). */
#define SMGI_MSG_QUOTE_MAX 256
#define SMGI_MSG_MAX 4096
#define SMGI_ERRS_MAX_BYTES ((size_t)1 << 20)
/* Clean msg[0..n) into out (room for SMGI_MSG_MAX + 16 bytes); its length. */
size_t smgi_msg_clean(const char *msg, size_t n, char *out);
/* Record an error message; returns `status` so callers can `return smgi_err(...)`. */
int smgi_err(smg_org *org, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void smgi_err_clear(smg_org *org);
/* Record a warning (a dataset load that succeeds keeps them). 0 or SMG_ENOMEM. */
int smgi_warn(smg_org *org, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Drop the warnings and the dataset table (a new load starts). */
void smgi_loaded_clear(smg_org *org);
/* The first step of every computation and every read that may fail with a
 * message (the engines, the live rotation): SMG_ESTATE inside an open
 * batch, recording nothing (the batch's errors are kept for its commit,
 * which a refused query must not spoil); else a fresh error list. */
int smgi_query_begin(smg_org *org);
/* Put `prefix` (e.g. "members.csv:7: column team_id: ") in front of the
 * messages from index `from` on. */
void smgi_err_prefix(smg_org *org, size_t from, const char *prefix);
/* Describe where event i (a sorted-log position) came from: "events.csv:12"
 * (its line in the file it was loaded from) or "event #12" (input position). */
void smgi_event_where(const smg_org *org, size_t i, char *buf, size_t len);
/* The same for the event of input position seq. */
void smgi_event_where_seq(const smg_org *org, size_t seq, char *buf, size_t len);

/* ---- batches (org.c) ----
 * Every mutating public call is wrapped: smgi_call_begin() opens an
 * automatic batch when none is open, smgi_call_end() commits it. */
int smgi_call_begin(smg_org *org);
int smgi_call_end(smg_org *org, int rc);
int smgi_undo_push(smg_org *org, int what, size_t index, int64_t a, int64_t b);

/* ---- validation (org.c) ---- */
/* 0 if s is an acceptable id (1–64 bytes, no control characters, no space
 * at either end); else the error, naming the id. */
int smgi_check_id(smg_org *org, const char *what, const char *s);

#endif
