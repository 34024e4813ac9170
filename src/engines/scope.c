/* Visibility scopes (RULES.md §1), shared by every engine. */
#include "scope.h"

#include <string.h>

#include "attribution.h"

int smgi_scope_init(smg_org *org, const char *as_member, smgi_scope *s)
{
    size_t t, nt = org->teams.ids.count;
    long m;
    memset(s, 0, sizeof *s);
    s->self = -1;
    if (!as_member || !*as_member) {
        s->full = 1;
        return 0;
    }
    m = smgi_strtab_find_str(&org->members.ids, as_member);
    if (m < 0)
        return smgi_err(org, SMG_ENOTFOUND, "as member \"%s\": no such member", as_member);
    s->self = m;
    s->team_in = smgi_calloc(&org->alloc, nt ? nt : 1, 1);
    if (!s->team_in)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (org->members.role[m] == SMG_ROLE_REP)
        return 0; /* a rep sees their own figures only */
    /* parents precede their children: one forward sweep marks the subtrees */
    for (t = 0; t < nt; t++) {
        int32_t p = org->teams.parent[t];
        s->team_in[t] = (uint8_t)(org->teams.leader[t] == m || (p >= 0 && s->team_in[p]));
        s->leads |= s->team_in[t];
    }
    if (!s->leads)
        return 0;
    /* with transfers: the member's team over time decides (stints.h) */
    if (smgi_stints_build(org, &s->st))
        goto oom;
    if (s->st.count) {
        size_t k, nm = org->members.ids.count;
        s->member_in = smgi_calloc(&org->alloc, nm ? nm : 1, 1);
        if (!s->member_in)
            goto oom;
        for (k = 0; k < nm; k++)
            s->member_in[k] = s->team_in[org->members.team[k]];
        for (k = 0; k < s->st.count; k++)
            s->member_in[s->st.member[k]] |= s->team_in[s->st.team[k]];
    }
    return 0;
oom: /* the scope is left as none: nothing for the caller to free */
    smgi_scope_free(&org->alloc, s);
    return smgi_err(org, SMG_ENOMEM, "out of memory");
}

void smgi_scope_free(const smg_allocator *a, smgi_scope *s)
{
    smgi_free(a, s->team_in);
    smgi_free(a, s->key_in);
    smgi_free(a, s->member_in);
    smgi_stints_free(a, &s->st);
    s->member_in = NULL;
    s->team_in = NULL;
    s->key_in = NULL;
    s->root = NULL;
}

int smgi_scope_keys(smg_org *org, smgi_scope *s, const smg_attribution *a)
{
    const smgi_events *E = &org->events;
    const int32_t *ckey = org->customers.key;
    smgi_attribution_view v;
    size_t i, nk = org->customers.keys.count;
    if (s->full || s->key_in)
        return 0;
    if (smgi_attribution_view_of(a, org, &v))
        return smgi_err(org, SMG_EINVAL,
                        "the attribution result is of another org or out of date");
    s->key_in = smgi_calloc(&org->alloc, nk ? nk : 1, 1);
    if (!s->key_in)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    s->root = v.key_root;
#define FINAL(k) (s->root ? (size_t)s->root[k] : (size_t)(k))
    for (i = 0; i < v.nregs; i++) {
        size_t p = v.reg_pos[i];
        if (smgi_scope_member_at(org, s, (size_t)E->member[p], p))
            s->key_in[FINAL(ckey[E->customer[p]])] = 1;
    }
    for (i = 0; i < v.ndeals; i++) {
        size_t p = v.deal_pos[i];
        int32_t c = v.credited[i];
        if (smgi_scope_member_at(org, s, (size_t)E->member[p], p) ||
            (c >= 0 && smgi_scope_member_at(org, s, (size_t)c, p)))
            s->key_in[FINAL(ckey[E->customer[p]])] = 1;
    }
    for (i = 0; i < nk; i++) {
        long m = smgi_attribution_holder(a, i);
        /* a protection held at the end of the replay: the holder's team then */
        if (m >= 0 && smgi_scope_member_at(org, s, (size_t)m, E->count))
            s->key_in[FINAL(i)] = 1;
    }
#undef FINAL
    return 0;
}
