/* The organisation tree: teams, members, roles (RULES.md §1), and the
 * getters of the team and member tables. */
#include <stdio.h>
#include <string.h>

#include "salesmgmt/team.h"
#include "columns.h"
#include "fields.h"
#include "model.h"
#include "org.h"

static const char *const role_names[] = { "rep", "leader", "supervisor", "manager",
                                          "director" };

int smg_role_parse(smg_role *out, const char *s)
{
    int i;
    if (!s || !out)
        return SMG_EINVAL;
    for (i = 0; i < 5; i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (smg_role)i;
            return 0;
        }
    return SMG_EPARSE;
}

const char *smg_role_name(smg_role role)
{
    return (unsigned)role < 5 ? role_names[role] : NULL;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* ---- teams ---- */

#define TEAM_COLUMNS(t) SMGI_TEAM_COLUMNS(t)

void smgi_teams_free(const smg_allocator *a, smgi_teams *t)
{
    smgi_column cols[] = TEAM_COLUMNS(t);
    smgi_strtab_free(a, &t->ids);
    smgi_strtab_free(a, &t->names);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &t->cap);
}

static int team_add(smg_org *org, const char *team_id, const char *name,
                    const char *parent_id)
{
    smgi_teams *t = &org->teams;
    const smg_allocator *a = &org->alloc;
    smgi_column cols[] = TEAM_COLUMNS(t);
    long parent = -1;
    size_t idx;
    int rc, added;
    if ((rc = smgi_check_id(org, "team", team_id)))
        return rc;
    if (parent_id && *parent_id) {
        parent = smgi_strtab_find_str(&t->ids, parent_id);
        if (parent < 0)
            return smgi_err(org, SMG_ENOTFOUND, "team \"%s\": parent team \"%s\" does not exist",
                            team_id, parent_id);
    }
    if (smgi_strtab_find_str(&t->ids, team_id) >= 0)
        return smgi_err(org, SMG_EEXISTS, "team \"%s\" already exists", team_id);
    if ((rc = smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &t->cap, t->ids.count + 1)))
        return smgi_err(org, rc, "out of memory");
    if ((rc = smgi_strtab_append(a, &t->names, or_empty(name), strlen(or_empty(name)), &idx)))
        return smgi_err(org, rc, "out of memory");
    if ((rc = smgi_strtab_intern(a, &t->ids, team_id, strlen(team_id), &idx, &added))) {
        smgi_strtab_truncate(a, &t->names, t->ids.count);
        return smgi_err(org, rc, "out of memory");
    }
    t->parent[idx] = (int32_t)parent;
    t->leader[idx] = -1;
    return 0;
}

int smg_team_add(smg_org *org, const char *team_id, const char *name, const char *parent_id)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, team_add(org, team_id, name, parent_id));
}

static int team_set_leader(smg_org *org, const char *team_id, const char *member_id)
{
    long t = smgi_strtab_find_str(&org->teams.ids, team_id), m = -1;
    int rc;
    if (t < 0)
        return smgi_err(org, SMG_ENOTFOUND, "team \"%s\" does not exist", or_empty(team_id));
    if (member_id && *member_id) {
        m = smgi_strtab_find_str(&org->members.ids, member_id);
        if (m < 0)
            return smgi_err(org, SMG_ENOTFOUND, "team \"%s\": leader \"%s\" is not a member",
                            team_id, member_id);
    }
    if ((rc = smgi_undo_push(org, SMGI_UNDO_LEADER, (size_t)t, org->teams.leader[t], 0)))
        return smgi_err(org, rc, "out of memory");
    org->teams.leader[t] = (int32_t)m;
    return 0;
}

int smg_team_set_leader(smg_org *org, const char *team_id, const char *member_id)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, team_set_leader(org, team_id, member_id));
}

int smg_team_find(const smg_org *org, const char *team_id, size_t *index)
{
    long i;
    if (!org || !index)
        return SMG_EINVAL;
    i = smgi_strtab_find_str(&org->teams.ids, team_id);
    if (i < 0)
        return SMG_ENOTFOUND;
    *index = (size_t)i;
    return 0;
}

const char *smg_team_id(const smg_org *org, size_t index)
{
    return org && index < org->teams.ids.count ? smgi_strtab_get(&org->teams.ids, index) : NULL;
}

const char *smg_team_name(const smg_org *org, size_t index)
{
    return org && index < org->teams.ids.count ? smgi_strtab_get(&org->teams.names, index)
                                               : NULL;
}

int smgi_team_contains(const smg_org *org, int32_t team, int32_t member)
{
    int32_t t = org->members.team[member];
    /* the tree has no cycles: parents always precede their children */
    while (t >= 0) {
        if (t == team)
            return 1;
        t = org->teams.parent[t];
    }
    return 0;
}

/* ---- members ---- */

int smgi_member_employed(const smg_org *org, size_t m, smg_date from, smg_date to)
{
    smg_date s = org->members.start[m], e = org->members.end[m];
    return (s == SMG_DATE_NONE || s <= to) && (e == SMG_DATE_NONE || e >= from);
}

#define MEMBER_COLUMNS(m) SMGI_MEMBER_COLUMNS(m)

void smgi_members_free(const smg_allocator *a, smgi_members *m)
{
    smgi_column cols[] = MEMBER_COLUMNS(m);
    smgi_strtab_free(a, &m->ids);
    smgi_strtab_free(a, &m->names);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &m->cap);
}

static int members_grow(smg_org *org, size_t need)
{
    smgi_members *m = &org->members;
    smgi_column cols[] = MEMBER_COLUMNS(m);
    return smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &m->cap, need);
}

static int member_add(smg_org *org, const char *member_id, const char *name,
                      const char *team_id, smg_role role)
{
    smgi_members *m = &org->members;
    const smg_allocator *a = &org->alloc;
    long team;
    size_t idx;
    int rc;
    if ((rc = smgi_check_id(org, "member", member_id)))
        return rc;
    if ((unsigned)role > SMG_ROLE_DIRECTOR)
        return smgi_err(org, SMG_ERANGE, "member \"%s\": unknown role %d", member_id,
                        (int)role);
    team = smgi_strtab_find_str(&org->teams.ids, team_id);
    if (team < 0)
        return smgi_err(org, SMG_ENOTFOUND, "member \"%s\": team \"%s\" does not exist",
                        member_id, or_empty(team_id));
    if (smgi_strtab_find_str(&m->ids, member_id) >= 0)
        return smgi_err(org, SMG_EEXISTS, "member \"%s\" already exists", member_id);
    if (members_grow(org, m->ids.count + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if ((rc = smgi_strtab_append(a, &m->names, or_empty(name), strlen(or_empty(name)), &idx)))
        return smgi_err(org, rc, "out of memory");
    if ((rc = smgi_strtab_intern(a, &m->ids, member_id, strlen(member_id), &idx, NULL))) {
        smgi_strtab_truncate(a, &m->names, m->ids.count);
        return smgi_err(org, rc, "out of memory");
    }
    m->team[idx] = (int32_t)team;
    m->role[idx] = (uint8_t)role;
    m->start[idx] = SMG_DATE_NONE;
    m->end[idx] = SMG_DATE_NONE;
    m->pay_total[idx] = SMG_MONEY_NONE;
    return 0;
}

int smg_member_add(smg_org *org, const char *member_id, const char *name,
                   const char *team_id, smg_role role)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, member_add(org, member_id, name, team_id, role));
}

static int member_lookup(smg_org *org, const char *member_id, long *out)
{
    *out = smgi_strtab_find_str(&org->members.ids, member_id);
    if (*out < 0)
        return smgi_err(org, SMG_ENOTFOUND, "member \"%s\" does not exist",
                        or_empty(member_id));
    return 0;
}

static int member_set_dates(smg_org *org, const char *member_id, smg_date start,
                            smg_date end)
{
    long m;
    int rc;
    if ((rc = member_lookup(org, member_id, &m)))
        return rc;
    if (start != SMG_DATE_NONE && end != SMG_DATE_NONE && end < start)
        return smgi_err(org, SMG_ERANGE, "member \"%s\": leave date before start date",
                        member_id);
    if ((rc = smgi_undo_push(org, SMGI_UNDO_DATES, (size_t)m, org->members.start[m],
                             org->members.end[m])))
        return smgi_err(org, rc, "out of memory");
    org->members.start[m] = start;
    org->members.end[m] = end;
    return 0;
}

int smg_member_set_dates(smg_org *org, const char *member_id, smg_date start, smg_date end)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    /* events already logged are re-checked against the new span at commit */
    return smgi_call_end(org, member_set_dates(org, member_id, start, end));
}

static int member_set_pay(smg_org *org, const char *member_id, smg_money pay)
{
    long m;
    int rc;
    if ((rc = member_lookup(org, member_id, &m)))
        return rc;
    if (pay != SMG_MONEY_NONE && pay < 0)
        return smgi_err(org, SMG_ERANGE, "member \"%s\": pay total is negative", member_id);
    if ((rc = smgi_undo_push(org, SMGI_UNDO_PAY, (size_t)m, org->members.pay_total[m], 0)))
        return smgi_err(org, rc, "out of memory");
    org->members.pay_total[m] = pay;
    return 0;
}

int smg_member_set_pay_total(smg_org *org, const char *member_id, smg_money pay_total)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, member_set_pay(org, member_id, pay_total));
}

int smg_member_find(const smg_org *org, const char *member_id, size_t *index)
{
    long i;
    if (!org || !index)
        return SMG_EINVAL;
    i = smgi_strtab_find_str(&org->members.ids, member_id);
    if (i < 0)
        return SMG_ENOTFOUND;
    *index = (size_t)i;
    return 0;
}

const char *smg_member_id(const smg_org *org, size_t index)
{
    return org && index < org->members.ids.count ? smgi_strtab_get(&org->members.ids, index)
                                                 : NULL;
}

const char *smg_member_name(const smg_org *org, size_t index)
{
    return org && index < org->members.ids.count
               ? smgi_strtab_get(&org->members.names, index)
               : NULL;
}

/* ---- the team and member tables ---- */

static const smgi_field team_fields[] = {
    { "id", SMG_TYPE_TEXT },
    { "name", SMG_TYPE_TEXT },
    { "parent", SMG_TYPE_INDEX },
    { "leader", SMG_TYPE_INDEX },
};

static size_t team_count(const void *o)
{
    const smg_org *org = o;
    return org->in_batch ? org->mark.teams : org->teams.ids.count;
}

static void team_value(const void *o, size_t row, int f, smgi_value *v)
{
    const smgi_teams *t = &((const smg_org *)o)->teams;
    switch ((smg_team_field)f) {
    case SMG_TEAM_ID: smgi_value_text(v, smgi_strtab_get(&t->ids, row)); break;
    case SMG_TEAM_NAME: smgi_value_text(v, smgi_strtab_get(&t->names, row)); break;
    case SMG_TEAM_PARENT: smgi_value_index(v, t->parent[row]); break;
    case SMG_TEAM_LEADER: smgi_value_index(v, t->leader[row]); break;
    }
}

static const smgi_table team_table = SMGI_TABLE(team_fields, team_count, NULL, team_value);

/* The public table getters, one line each (fields.h): smg_team_count,
 * smg_team_field_name, smg_team_field_type and the typed getters below. */
SMGI_TABLE_META(smg_team, smg_org, smg_team_field, team_table)
SMGI_TABLE_GET(smg_team, index, size_t, smg_org, smg_team_field, team_table)
SMGI_TABLE_GET(smg_team, int, int64_t, smg_org, smg_team_field, team_table)
SMGI_TABLE_GET(smg_team, text, const char *, smg_org, smg_team_field, team_table)

static const smgi_field member_fields[] = {
    { "id", SMG_TYPE_TEXT },
    { "name", SMG_TYPE_TEXT },
    { "team", SMG_TYPE_INDEX },
    { "role", SMG_TYPE_ENUM },
    { "start", SMG_TYPE_DATE },
    { "end", SMG_TYPE_DATE },
    { "pay_total", SMG_TYPE_MONEY },
};

static size_t member_count(const void *o)
{
    const smg_org *org = o;
    return org->in_batch ? org->mark.members : org->members.ids.count;
}

static void member_value(const void *o, size_t row, int f, smgi_value *v)
{
    const smgi_members *m = &((const smg_org *)o)->members;
    switch ((smg_member_field)f) {
    case SMG_MEMBER_ID: smgi_value_text(v, smgi_strtab_get(&m->ids, row)); break;
    case SMG_MEMBER_NAME: smgi_value_text(v, smgi_strtab_get(&m->names, row)); break;
    case SMG_MEMBER_TEAM: smgi_value_num(v, m->team[row], 0); break;
    case SMG_MEMBER_ROLE: smgi_value_num(v, m->role[row], 0); break;
    case SMG_MEMBER_START: smgi_value_or_none(v, m->start[row], SMG_DATE_NONE); break;
    case SMG_MEMBER_END: smgi_value_or_none(v, m->end[row], SMG_DATE_NONE); break;
    case SMG_MEMBER_PAY_TOTAL: smgi_value_or_none(v, m->pay_total[row], SMG_MONEY_NONE); break;
    }
}

static const smgi_table member_table =
    SMGI_TABLE(member_fields, member_count, NULL, member_value);

/* The public table getters, one line each (fields.h): smg_member_count,
 * smg_member_field_name, smg_member_field_type and the typed getters below. */
SMGI_TABLE_META(smg_member, smg_org, smg_member_field, member_table)
SMGI_TABLE_GET(smg_member, index, size_t, smg_org, smg_member_field, member_table)
SMGI_TABLE_GET(smg_member, int, int64_t, smg_org, smg_member_field, member_table)
SMGI_TABLE_GET(smg_member, text, const char *, smg_org, smg_member_field, member_table)

/* ---- subjects ---- */

int smg_subject_parse(smg_subject *out, const smg_org *org, const char *text)
{
    long who;
    if (!out || !org || !text)
        return SMG_EINVAL;
    if (strcmp(text, "company") == 0) {
        out->kind = SMG_SUBJECT_COMPANY;
        out->index = 0;
        return 0;
    }
    if (strncmp(text, "member:", 7) == 0) {
        if ((who = smgi_strtab_find_str(&org->members.ids, text + 7)) < 0)
            return SMG_ENOTFOUND;
        out->kind = SMG_SUBJECT_MEMBER;
    } else if (strncmp(text, "team:", 5) == 0) {
        if ((who = smgi_strtab_find_str(&org->teams.ids, text + 5)) < 0)
            return SMG_ENOTFOUND;
        out->kind = SMG_SUBJECT_TEAM;
    } else {
        return SMG_EPARSE;
    }
    out->index = (size_t)who;
    return 0;
}

int smg_subject_check(const smg_org *org, const smg_subject *s)
{
    if (!org || !s)
        return SMG_EINVAL;
    switch (s->kind) {
    case SMG_SUBJECT_COMPANY: return 0;
    case SMG_SUBJECT_TEAM: return s->index < org->teams.ids.count ? 0 : SMG_EINVAL;
    case SMG_SUBJECT_MEMBER: return s->index < org->members.ids.count ? 0 : SMG_EINVAL;
    default: return SMG_EINVAL;
    }
}

int smg_subject_format(char *buf, size_t len, const smg_org *org, const smg_subject *s)
{
    int n;
    if (!buf || smg_subject_check(org, s))
        return SMG_EINVAL;
    if (s->kind == SMG_SUBJECT_COMPANY)
        n = snprintf(buf, len, "company");
    else if (s->kind == SMG_SUBJECT_TEAM)
        n = snprintf(buf, len, "team:%s", smgi_strtab_get(&org->teams.ids, s->index));
    else
        n = snprintf(buf, len, "member:%s", smgi_strtab_get(&org->members.ids, s->index));
    return n < 0 || (size_t)n >= len ? SMG_ERANGE : n;
}
