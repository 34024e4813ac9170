/* A member's team over time (RULES.md §1 "moves over time", §8 transfer).
 * org->members.team[m] is the team a member was added with; the transfers
 * of the log move it from their moment on, in processing order. A log
 * without transfers costs nothing here (no allocation): callers keep the
 * fast path of members.team. Positions change at every commit, so the
 * history is built from the log when used, never kept on the org. A
 * cancelled transfer has type SMGI_EV_CANCELLED and is not read. */
#ifndef SMGI_STINTS_H
#define SMGI_STINTS_H

#include <stddef.h>
#include <stdint.h>

#include "org.h"

/* The stints after a member's first: one row per transfer that changes the
 * member's team, in log order. Stint row k starts at log position pos[k]
 * (events after it count for team[k]); a member's first stint has no row. */
typedef struct smgi_stints {
    size_t count;      /* 0: no transfer changes a team; every array NULL */
    uint32_t *pos;     /* the transfer's log position, ascending */
    int32_t *member;
    int32_t *team;     /* the team from then on */
    int32_t *prev;     /* the member's previous stint row; -1 = its first */
    int32_t *last;     /* per member: its last stint row, -1 = none */
} smgi_stints;

/* Build the history from the log: 0 or SMG_ENOMEM (no message; nothing
 * to free on failure). */
int smgi_stints_build(const smg_org *org, smgi_stints *st);
void smgi_stints_free(const smg_allocator *a, smgi_stints *st);

/* 1 if the log holds a transfer (a scan of the type column). */
int smgi_log_has_transfer(const smg_org *org);

/* Member m's stint row for an event at log position i (the transfers at
 * positions before i have moved it): -1 = its first stint. */
static inline int32_t smgi_stint_at(const smgi_stints *st, size_t m, size_t i)
{
    int32_t k;
    if (!st->count)
        return -1;
    for (k = st->last[m]; k >= 0 && st->pos[k] >= i; k = st->prev[k])
        ;
    return k;
}

/* Member m's team for an event at log position i. */
static inline int32_t smgi_team_at(const smg_org *org, const smgi_stints *st, size_t m,
                                   size_t i)
{
    int32_t k = smgi_stint_at(st, m, i);
    return k < 0 ? org->members.team[m] : st->team[k];
}

/* Member m's team at the end of day d (after every event of that day). */
int32_t smgi_team_at_day_end(const smg_org *org, const smgi_stints *st, size_t m, smg_date d);

/* 1 if member m belonged to team t's subtree at some moment of log
 * positions [lo, hi) (its stint when lo's event happens, or a later one
 * that starts before hi). */
int smgi_stints_in_subtree(const smg_org *org, const smgi_stints *st, size_t m, size_t lo,
                           size_t hi, const uint8_t *team_in);

#endif
