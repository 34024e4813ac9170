/* Scorecard items (scorecard.c; the table is in org.h): the checks at
 * commit and what the engines and the event log ask of the items. */
#ifndef SMGI_SCORECARD_H
#define SMGI_SCORECARD_H

#include <stddef.h>

#include "org.h"

/* Every role: the set of the five smg_role bits. */
#define SMGI_ALL_ROLES 0x1fu

/* Resolve the parents of the items staged since the batch's mark and check
 * every rule of RULES.md §6 on the items (parents exist, no cycle, children
 * within their parent's points, no deduction on a parent, a role's top
 * level within 100 points). 0 or the first error's status; every error is
 * recorded. The items committed before are never changed. */
int smgi_scorecard_commit(smg_org *org);
void smgi_scorecard_free(const smg_allocator *a, smgi_scorecard *s);
/* Rollback: keep the first `count` items. */
void smgi_scorecard_truncate(const smg_allocator *a, smgi_scorecard *s, size_t count);

/* The roles item k applies to: its own and every ancestor's (a set of
 * 1 << smg_role; 0 when they share none). The walk is bounded, so that it
 * ends on a batch whose parents failed their check. */
unsigned smgi_scorecard_roles(const smg_org *org, size_t k);

/* "60", "12.5", "0.25": hundredths of a point as text. */
void smgi_points_format(char *buf, size_t len, int64_t hundredths);

#endif
