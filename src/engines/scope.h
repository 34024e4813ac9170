/* Visibility (RULES.md §1): what a query made on behalf of a member may
 * see. A rep sees their own rows; a member who leads teams sees their own
 * and everything of those subtrees; a query without a member sees all.
 * Every engine asks the same scope, so the rule lives here only. */
#ifndef SMGI_SCOPE_H
#define SMGI_SCOPE_H

#include <stdint.h>

#include "salesmgmt/attribution.h"
#include "org.h"
#include "stints.h"

typedef struct smgi_scope {
    int full;           /* full rights: everything is visible */
    long self;          /* the querying member, or -1 */
    int leads;          /* 1 if some team is visible (the member leads one) */
    uint8_t *team_in;   /* per team: 1 if inside a subtree the member leads;
                           NULL with full rights */
    uint8_t *key_in;    /* per attribution key, after smgi_scope_keys();
                           NULL with full rights */
    const int32_t *root;/* per key: its merged key at the end of the replay
                           (links, RULES.md §8), from the attribution result
                           smgi_scope_keys() read; NULL = every key itself */
    /* With transfers (RULES.md §1, moves over time) and a member who leads
     * a team: the members' teams over time, and per member 1 if it was in
     * a visible subtree at some moment (NULL without transfers). */
    smgi_stints st;
    uint8_t *member_in;
} smgi_scope;

/* The scope of a query made on behalf of member `as_member` (NULL or ""
 * = full rights). 0, SMG_ENOTFOUND or SMG_ENOMEM (message on the org). */
int smgi_scope_init(smg_org *org, const char *as_member, smgi_scope *s);
void smgi_scope_free(const smg_allocator *a, smgi_scope *s);

static inline int smgi_scope_team(const smgi_scope *s, size_t t)
{
    return s->full || s->team_in[t];
}

/* Whether member m's rows are seen, for a caller that has no moment: with
 * transfers, when the member was in a visible subtree at any moment. */
static inline int smgi_scope_member(const smg_org *org, const smgi_scope *s, size_t m)
{
    return s->full || (long)m == s->self ||
           (s->member_in ? s->member_in[m] : s->team_in[org->members.team[m]]);
}

/* Whether member m's data of the event at log position i is seen: the
 * member's own, or the member was then in a visible subtree. */
static inline int smgi_scope_member_at(const smg_org *org, const smgi_scope *s, size_t m,
                                       size_t i)
{
    return s->full || (long)m == s->self || s->team_in[smgi_team_at(org, &s->st, m, i)];
}

/* Whether member m is seen at the end of day d (a pay or scorecard row of
 * a period ending on d). */
static inline int smgi_scope_member_day(const smg_org *org, const smgi_scope *s, size_t m,
                                        smg_date d)
{
    if (s->full || (long)m == s->self)
        return 1;
    if (!s->member_in)
        return s->team_in[org->members.team[m]];
    return s->team_in[smgi_team_at_day_end(org, &s->st, m, d)];
}

/* Whether member m was in a visible subtree at some moment of log
 * positions [lo, hi) (or is the querying member). */
static inline int smgi_scope_member_during(const smg_org *org, const smgi_scope *s, size_t m,
                                           size_t lo, size_t hi)
{
    if (s->full || (long)m == s->self)
        return 1;
    if (!s->member_in)
        return s->team_in[org->members.team[m]];
    return smgi_stints_in_subtree(org, &s->st, m, lo, hi, s->team_in);
}

/* Work out which attribution keys the scope sees, from attribution result
 * `a` of this org: the keys that a visible member registered (accepted),
 * closed a deal of, was credited with a deal of, or protects at the end of
 * the replay — as the keys they are part of at its end (a customer linked
 * to a visible one is visible too). Nothing to do with full rights; `a`
 * must outlive the scope's use. 0 or SMG_ENOMEM / SMG_EINVAL
 * (a result of another org or out of date; message on the org). */
int smgi_scope_keys(smg_org *org, smgi_scope *s, const smg_attribution *a);

/* After smgi_scope_keys(): whether key k, or customer c's key, is seen. */
static inline int smgi_scope_key(const smgi_scope *s, size_t k)
{
    return s->full || s->key_in[s->root ? (size_t)s->root[k] : k];
}

static inline int smgi_scope_customer(const smg_org *org, const smgi_scope *s, size_t c)
{
    return smgi_scope_key(s, (size_t)org->customers.key[c]);
}

#endif
