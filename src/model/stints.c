/* A member's team over time (stints.h). */
#include "stints.h"

#include <string.h>

#include "events.h"

int smgi_log_has_transfer(const smg_org *org)
{
    const smgi_events *E = &org->events;
    return E->count && memchr(E->type, SMG_EV_TRANSFER, E->count) != NULL;
}

void smgi_stints_free(const smg_allocator *a, smgi_stints *st)
{
    smgi_free(a, st->pos);
    smgi_free(a, st->member);
    smgi_free(a, st->team);
    smgi_free(a, st->prev);
    smgi_free(a, st->last);
    memset(st, 0, sizeof *st);
}

int smgi_stints_build(const smg_org *org, smgi_stints *st)
{
    const smg_allocator *al = &org->alloc;
    const smgi_events *E = &org->events;
    size_t nm = org->members.ids.count, n = 0, i, k;
    memset(st, 0, sizeof *st);
    if (!smgi_log_has_transfer(org))
        return 0;
    for (i = 0; i < E->count; i++)
        n += E->type[i] == SMG_EV_TRANSFER;
    st->pos = smgi_malloc(al, n * sizeof *st->pos);
    st->member = smgi_malloc(al, n * sizeof *st->member);
    st->team = smgi_malloc(al, n * sizeof *st->team);
    st->prev = smgi_malloc(al, n * sizeof *st->prev);
    st->last = smgi_malloc(al, (nm ? nm : 1) * sizeof *st->last);
    if (!st->pos || !st->member || !st->team || !st->prev || !st->last) {
        smgi_stints_free(al, st);
        return SMG_ENOMEM;
    }
    memset(st->last, 0xff, (nm ? nm : 1) * sizeof *st->last);
    for (i = 0, k = 0; i < E->count; i++) {
        int32_t m, p, t;
        if (E->type[i] != SMG_EV_TRANSFER)
            continue;
        m = E->member[i];
        t = E->arg[i];
        p = st->last[m];
        if (t == (p < 0 ? org->members.team[m] : st->team[p]))
            continue; /* to the team it is in already: changes nothing */
        st->pos[k] = (uint32_t)i;
        st->member[k] = m;
        st->team[k] = t;
        st->prev[k] = p;
        st->last[m] = (int32_t)k++;
    }
    st->count = k;
    if (!k) /* every transfer changed nothing: the fast path */
        smgi_stints_free(al, st);
    return 0;
}

int32_t smgi_team_at_day_end(const smg_org *org, const smgi_stints *st, size_t m, smg_date d)
{
    if (!st->count)
        return org->members.team[m];
    return smgi_team_at(org, st, m,
                        smgi_log_lower_bound(&org->events, ((smg_time)d + 1) * 86400));
}

int smgi_stints_in_subtree(const smg_org *org, const smgi_stints *st, size_t m, size_t lo,
                           size_t hi, const uint8_t *team_in)
{
    int32_t k;
    if (!st->count)
        return team_in[org->members.team[m]];
    /* the stints that start inside (lo, hi), latest first, then the one at lo */
    for (k = st->last[m]; k >= 0 && st->pos[k] >= lo; k = st->prev[k])
        if (st->pos[k] < hi && team_in[st->team[k]])
            return 1;
    return team_in[k < 0 ? org->members.team[m] : st->team[k]];
}
