/* The sales_amount targets of every member, team and the company over a
 * range of days (RULES.md §2), for the KPI and pay engines (targets.h). */
#include "targets.h"

#include <string.h>

#include "salesmgmt/target.h"
#include "arith.h"
#include "stints.h"

#define ADD_OVF(dst, v) SMGI_ADD_OVF(dst, v)

int smgi_sales_targets(smg_org *org, smg_date from, smg_date to, int64_t *member,
                       uint8_t *member_null, int64_t *team, uint8_t *team_null,
                       int64_t *company, int *company_null, const smgi_stints *given)
{
    const smgi_targets *T = &org->targets;
    size_t nm = org->members.ids.count, nt = org->teams.ids.count, i;
    int64_t own_company = 0, v, *csum = NULL;
    int own_company_null = 1, rc = 0, ovf = 0;
    uint8_t *cany = NULL;
    smgi_stints st;
    const smgi_stints *use = given ? given : &st;

    for (i = 0; i < nm; i++) {
        member[i] = 0;
        member_null[i] = 1;
    }
    if (team) {
        for (i = 0; i < nt; i++) {
            team[i] = 0;
            team_null[i] = 1;
        }
    }
    for (i = 0; i < T->count; i++) {
        int32_t s = T->subject[i];
        if (T->metric[i] != SMG_METRIC_SALES_AMOUNT || T->to[i] < from || T->from[i] > to)
            continue;
        if (T->subject_kind[i] == SMG_SUBJECT_MEMBER) {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(member[s], v);
            member_null[s] = 0;
        } else if (!team) {
            continue;
        } else if (T->subject_kind[i] == SMG_SUBJECT_TEAM) {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(team[s], v);
            team_null[s] = 0;
        } else {
            if ((rc = smgi_target_in(org, i, from, to, &v)))
                return rc;
            ovf |= ADD_OVF(own_company, v);
            own_company_null = 0;
        }
    }
    if (ovf)
        return smgi_err(org, SMG_ERANGE, "the sum of the sales targets overflows");
    if (!team)
        return 0;
    /* teams without a target of their own: the sum of their parts */
    csum = smgi_calloc(&org->alloc, nt ? nt : 1, sizeof *csum);
    cany = smgi_calloc(&org->alloc, nt ? nt : 1, 1);
    /* a member counts for its team at the end of the period's last day
     * (RULES.md §1, moves over time) */
    memset(&st, 0, sizeof st);
    if ((!given && smgi_stints_build(org, &st)) || !csum || !cany) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nm; i++)
        if (!member_null[i]) {
            int32_t t = smgi_team_at_day_end(org, use, i, to);
            ovf |= ADD_OVF(csum[t], member[i]);
            cany[t] = 1;
        }
    *company = 0;
    *company_null = 1;
    for (i = nt; i-- > 0;) { /* children (higher indices) before parents */
        int32_t p = org->teams.parent[i];
        if (team_null[i] && cany[i]) {
            team[i] = csum[i];
            team_null[i] = 0;
        }
        if (team_null[i])
            continue;
        if (p >= 0) {
            ovf |= ADD_OVF(csum[p], team[i]);
            cany[p] = 1;
        } else {
            ovf |= ADD_OVF(*company, team[i]);
            *company_null = 0;
        }
    }
    if (!own_company_null) {
        *company = own_company;
        *company_null = 0;
    }
    if (ovf)
        rc = smgi_err(org, SMG_ERANGE, "the sum of the sales targets overflows");
done:
    smgi_stints_free(&org->alloc, &st);
    smgi_free(&org->alloc, csum);
    smgi_free(&org->alloc, cany);
    return rc;
}
