/* Visibility (RULES.md §1): what a query made on behalf of a member may
 * see. A rep sees their own rows; a member who leads teams sees their own
 * and everything of those subtrees; a query without a member sees all.
 * Every engine asks the same scope, so the rule lives here only. */
#ifndef SMGI_SCOPE_H
#define SMGI_SCOPE_H

#include <stdint.h>

#include "salesmgmt/attribution.h"
#include "org.h"

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
} smgi_scope;

/* The scope of a query made on behalf of member `as_member` (NULL or ""
 * = full rights). 0, SMG_ENOTFOUND or SMG_ENOMEM (message on the org). */
int smgi_scope_init(smg_org *org, const char *as_member, smgi_scope *s);
void smgi_scope_free(const smg_allocator *a, smgi_scope *s);

static inline int smgi_scope_team(const smgi_scope *s, size_t t)
{
    return s->full || s->team_in[t];
}

static inline int smgi_scope_member(const smg_org *org, const smgi_scope *s, size_t m)
{
    return s->full || (long)m == s->self || s->team_in[org->members.team[m]];
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
