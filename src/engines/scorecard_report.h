/* The scorecard's months (RULES.md §6), shared by the scorecard result
 * (scorecard_report.c) and pay: for each member, the faults of every item
 * (fault events plus missed deadlines) and the scores of consecutive
 * months. One pass over the fault and submit events of the months asked
 * about (and the month before, for doubling), grouped by member; then the
 * work of a member is O(its events + items × months). */
#ifndef SMGI_SCORECARD_REPORT_H
#define SMGI_SCORECARD_REPORT_H

#include <stdint.h>

#include "org.h"

typedef struct smgi_sc {
    smg_org *org;
    int m0, n;          /* months m0 .. m0+n-1 (smgi_month_index) are scored */
    size_t nitems;
    int32_t *order;     /* items in pre-order: parents before children, siblings by index */
    int32_t *depth;     /* per item: 0 at the top level */
    uint8_t *roles;     /* per item: the roles it applies to, its ancestors' included */
    uint8_t *parent_of; /* per item: 1 if it has children */
    unsigned any_role;  /* the roles some item applies to */
    smg_date *mfirst;   /* n + 2 first days: months m0-1 .. m0+n */
    size_t *first;      /* per member + 1: its events are ev[first[m] .. first[m+1]) */
    uint32_t *ev;       /* log positions of the window's faults and submits */
    /* one member's, after smgi_sc_member() */
    int64_t *faults;    /* (n + 1) × nitems: month j (0 = m0-1) of item k at [j × nitems + k] */
    int64_t *missed;    /* the same: the missed deadlines among those faults */
    int64_t *score;     /* per item: its score in the last month (m0+n-1), hundredths */
    int64_t *sum;       /* scratch: children's sums */
    smg_time *times;    /* scratch: the member's submit times, grouped by item */
    size_t *tfirst;     /* scratch: per item + 1 */
} smgi_sc;

/* Prepare months [m0, m0 + n) (n >= 1) of the committed log. 0, or
 * SMG_ENOMEM with the message on the org (*s is then freed). */
int smgi_sc_init(smgi_sc *s, smg_org *org, int m0, int n);
void smgi_sc_free(smgi_sc *s);

/* Member m: work[j] = the scorecard's score of month m0 + j in hundredths
 * (0-10000), or -1 where the scorecard does not score the member (no item
 * applies to their role, or they were employed on no day of that month).
 * Afterwards s->faults, s->missed and s->score describe the member. */
void smgi_sc_member(smgi_sc *s, size_t m, int64_t *work);

#endif
