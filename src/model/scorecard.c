/* Scorecard items (考核细则, RULES.md §6): storage, deadlines as text, the
 * checks made at commit, and the item table's getters. The monthly scores
 * are an engine's (engines/scorecard_report.c). */
#include <stdio.h>
#include <string.h>

#include "salesmgmt/scorecard.h"
#include "columns.h"
#include "fields.h"
#include "org.h"
#include "scorecard.h"

/* ---- deadlines ---- */

static const char *const weekdays[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

int smg_deadline_parse(smg_deadline *out, const char *s)
{
    int i;
    if (!out || !s)
        return SMG_EINVAL;
    if (!*s) {
        out->kind = SMG_DEADLINE_NONE;
        out->day = 0;
        return 0;
    }
    if (strncmp(s, "monthly:", 8) == 0) {
        const char *d = s + 8;
        int v = 0, n = 0;
        while (d[n] >= '0' && d[n] <= '9' && n < 2)
            v = v * 10 + (d[n++] - '0');
        if (!n || d[n] || v < 1 || v > 31)
            return SMG_EPARSE;
        out->kind = SMG_DEADLINE_MONTHLY;
        out->day = v;
        return 0;
    }
    if (strncmp(s, "weekly:", 7) == 0)
        for (i = 0; i < 7; i++)
            if (strcmp(s + 7, weekdays[i]) == 0) {
                out->kind = SMG_DEADLINE_WEEKLY;
                out->day = i;
                return 0;
            }
    return SMG_EPARSE;
}

/* 0 if d is a valid deadline. */
static int deadline_check(const smg_deadline *d)
{
    switch (d->kind) {
    case SMG_DEADLINE_NONE: return d->day == 0 ? 0 : SMG_EINVAL;
    case SMG_DEADLINE_MONTHLY: return d->day >= 1 && d->day <= 31 ? 0 : SMG_EINVAL;
    case SMG_DEADLINE_WEEKLY: return d->day >= 0 && d->day <= 6 ? 0 : SMG_EINVAL;
    }
    return SMG_EINVAL;
}

int smg_deadline_format(char *buf, size_t len, const smg_deadline *d)
{
    char tmp[16];
    int n;
    if (!buf || !d || deadline_check(d))
        return SMG_EINVAL;
    if (d->kind == SMG_DEADLINE_NONE)
        n = snprintf(tmp, sizeof tmp, "%s", "");
    else if (d->kind == SMG_DEADLINE_MONTHLY)
        n = snprintf(tmp, sizeof tmp, "monthly:%d", d->day);
    else
        n = snprintf(tmp, sizeof tmp, "weekly:%s", weekdays[d->day]);
    if ((size_t)n >= len)
        return SMG_ERANGE;
    memcpy(buf, tmp, (size_t)n + 1);
    return n;
}

void smgi_points_format(char *buf, size_t len, int64_t v)
{
    int64_t a = v < 0 ? -v : v;
    const char *sign = v < 0 ? "-" : "";
    if (a % 100 == 0)
        snprintf(buf, len, "%s%lld", sign, (long long)(a / 100));
    else if (a % 10 == 0)
        snprintf(buf, len, "%s%lld.%lld", sign, (long long)(a / 100), (long long)(a % 100 / 10));
    else
        snprintf(buf, len, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
}

/* ---- storage ---- */

void smgi_scorecard_free(const smg_allocator *a, smgi_scorecard *s)
{
    smgi_column cols[] = SMGI_SCORECARD_COLUMNS(s);
    smgi_strtab_free(a, &s->ids);
    smgi_strtab_free(a, &s->parent_ids);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &s->cap);
}

void smgi_scorecard_truncate(const smg_allocator *a, smgi_scorecard *s, size_t count)
{
    smgi_strtab_truncate(a, &s->ids, count);
    smgi_strtab_truncate(a, &s->parent_ids, count);
}

/* "scorecard.csv:4: " for a dataset's row, else "scorecard item #3: ". */
static void where(uint32_t line, size_t i, char *buf, size_t len)
{
    if (line)
        snprintf(buf, len, "scorecard.csv:%lu: ", (unsigned long)line);
    else
        snprintf(buf, len, "scorecard item #%lu: ", (unsigned long)i);
}

static int item_add(smg_org *org, const char *item_id, const char *parent_id,
                    int64_t points, int64_t deduct, unsigned roles, const smg_deadline *due)
{
    smgi_scorecard *s = &org->scorecard;
    const smg_allocator *a = &org->alloc;
    smgi_column cols[] = SMGI_SCORECARD_COLUMNS(s);
    size_t n = s->ids.count, idx, from = org->nerrs;
    smg_deadline none = { SMG_DEADLINE_NONE, 0 };
    const char *parent = parent_id ? parent_id : "";
    char w[64];
    int rc;

    where(org->cur_line, n, w, sizeof w);
    if ((rc = smgi_check_id(org, "item", item_id))) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%scolumn item: ", w);
        smgi_err_prefix(org, from, prefix);
        return rc;
    }
    if (*parent && (rc = smgi_check_id(org, "parent", parent))) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%scolumn parent: ", w);
        smgi_err_prefix(org, from, prefix);
        return rc;
    }
    if (smgi_strtab_find_str(&s->ids, item_id) >= 0)
        return smgi_err(org, SMG_EEXISTS, "%scolumn item: item \"%s\" is defined twice", w,
                        item_id);
    if (points < 0 || points > 10000)
        return smgi_err(org, SMG_ERANGE, "%scolumn points: item \"%s\": points must be 0-100",
                        w, item_id);
    if (deduct != SMG_POINTS_NONE && (deduct <= 0 || deduct > 10000))
        return smgi_err(org, SMG_ERANGE,
                        "%scolumn deduct: item \"%s\": a deduction per fault must be "
                        "more than 0 and at most 100 points (leave it empty: any fault zeroes "
                        "the item)",
                        w, item_id);
    if (roles & ~SMGI_ALL_ROLES)
        return smgi_err(org, SMG_ERANGE, "%scolumn roles: item \"%s\": unknown role bits 0x%x",
                        w, item_id, roles & ~SMGI_ALL_ROLES);
    if (!due)
        due = &none;
    if (deadline_check(due))
        return smgi_err(org, SMG_ERANGE,
                        "%scolumn due: item \"%s\": not a deadline (kind %d, day %d): "
                        "monthly takes a day 1-31, weekly a weekday 0-6 (Monday = 0)",
                        w, item_id, (int)due->kind, due->day);
    if (smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &s->cap, n + 1))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (smgi_strtab_append(a, &s->parent_ids, parent, strlen(parent), &idx))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (smgi_strtab_intern(a, &s->ids, item_id, strlen(item_id), &idx, NULL)) {
        smgi_strtab_truncate(a, &s->parent_ids, n);
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    }
    s->parent[idx] = -1;
    s->points[idx] = points;
    s->deduct[idx] = deduct;
    s->roles[idx] = (uint8_t)roles;
    s->due_kind[idx] = (uint8_t)due->kind;
    s->due_day[idx] = (uint8_t)due->day;
    s->line[idx] = org->cur_line;
    return 0;
}

int smg_scorecard_item_add(smg_org *org, const char *item_id, const char *parent_id,
                           int64_t points_x100, int64_t deduct_x100, unsigned roles,
                           const smg_deadline *due)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    return smgi_call_end(org, item_add(org, item_id, parent_id, points_x100, deduct_x100,
                                       roles, due));
}

unsigned smgi_scorecard_roles(const smg_org *org, size_t k)
{
    const smgi_scorecard *s = &org->scorecard;
    unsigned set = SMGI_ALL_ROLES;
    size_t steps = 0;
    long i = (long)k;
    while (i >= 0 && steps++ <= s->ids.count) {
        set &= s->roles[i] ? s->roles[i] : SMGI_ALL_ROLES;
        i = s->parent[i];
    }
    return set;
}

/* ---- the checks at commit ---- */

/* Resolve the parents of items [n0, n); 0 or the status of the first error. */
static int resolve_parents(smg_org *org, size_t n0, size_t n)
{
    smgi_scorecard *s = &org->scorecard;
    size_t i;
    int rc = 0;
    for (i = n0; i < n; i++) {
        const char *p = smgi_strtab_get(&s->parent_ids, i);
        long k = *p ? smgi_strtab_find_str(&s->ids, p) : -1;
        char w[64];
        s->parent[i] = (int32_t)k;
        if (*p && k < 0) {
            where(s->line[i], i, w, sizeof w);
            rc = smgi_err(org, SMG_ENOTFOUND,
                          "%scolumn parent: item \"%s\": parent item \"%s\" does not exist", w,
                          smgi_strtab_get(&s->ids, i), p);
        }
    }
    return rc;
}

/* Every new item on a cycle of parents is an error (the items committed
 * before never point at new ones: a cycle lies among the new items). On
 * failure the parents of the cycle's items are cut (-1), so that later
 * walks end. */
static int find_cycles(smg_org *org, size_t n0, size_t n, uint8_t *state)
{
    smgi_scorecard *s = &org->scorecard;
    size_t i;
    int rc = 0;
    memset(state, 0, n - n0);
    for (i = n0; i < n; i++) {
        long x = (long)i;
        /* 0 new, 1 on the current path, 2 settled */
        while (x >= (long)n0 && state[x - (long)n0] == 0) {
            state[x - (long)n0] = 1;
            x = s->parent[x];
        }
        if (x >= (long)n0 && state[x - (long)n0] == 1) {
            /* the path ran into itself at x: report the cycle from x */
            long y = x;
            do {
                char w[64];
                where(s->line[y], (size_t)y, w, sizeof w);
                rc = smgi_err(org, SMG_ERULE,
                              "%scolumn parent: item \"%s\": parent item \"%s\" is part of a "
                              "cycle of parents",
                              w, smgi_strtab_get(&s->ids, (size_t)y),
                              smgi_strtab_get(&s->parent_ids, (size_t)y));
                state[y - (long)n0] = 2;
                y = s->parent[y];
            } while (y != x);
            y = x;
            do { /* cut it */
                long next = s->parent[y];
                s->parent[y] = -1;
                y = next;
            } while (y != x && y >= 0);
        }
        for (x = (long)i; x >= (long)n0 && state[x - (long)n0] == 1; x = s->parent[x])
            state[x - (long)n0] = 2;
    }
    return rc;
}

int smgi_scorecard_commit(smg_org *org)
{
    smgi_scorecard *s = &org->scorecard;
    const smg_allocator *a = &org->alloc;
    size_t n0 = org->mark.scorecard, n = s->ids.count, i;
    int64_t *sum;
    uint8_t *state;
    int rc, r;

    if (n == n0)
        return 0;
    if ((rc = resolve_parents(org, n0, n)))
        return rc;
    sum = smgi_calloc(a, n, sizeof *sum);
    state = smgi_malloc(a, n - n0);
    if (!sum || !state) {
        smgi_free(a, sum);
        smgi_free(a, state);
        return smgi_err(org, SMG_ENOMEM, "out of memory while checking the scorecard");
    }
    if ((rc = find_cycles(org, n0, n, state)))
        goto done;
    /* children within their parent's points; a parent takes no deduction.
     * Reported at the child that goes past, or the first new child. */
    memset(state, 0, n - n0);
    for (i = 0; i < n; i++) {
        int32_t p = s->parent[i];
        char w[64], pt[24], got[24];
        if (p < 0)
            continue;
        sum[p] += s->points[i];
        if (i < n0)
            continue;
        where(s->line[i], i, w, sizeof w);
        if (sum[p] > s->points[p] && sum[p] - s->points[i] <= s->points[p]) {
            smgi_points_format(pt, sizeof pt, s->points[p]);
            smgi_points_format(got, sizeof got, sum[p]);
            rc = smgi_err(org, SMG_ERULE,
                          "%scolumn points: item \"%s\": the children of \"%s\" add up to %s "
                          "points, more than its %s",
                          w, smgi_strtab_get(&s->ids, i), smgi_strtab_get(&s->ids, (size_t)p),
                          got, pt);
        }
        if (s->deduct[p] != SMG_POINTS_NONE && !((size_t)p >= n0 && state[(size_t)p - n0])) {
            if ((size_t)p >= n0)
                state[(size_t)p - n0] = 1; /* once per parent */
            rc = smgi_err(org, SMG_ERULE,
                          "%scolumn parent: item \"%s\": parent item \"%s\" has a deduction "
                          "per fault; an item with children takes none (a fault on it "
                          "zeroes it)",
                          w, smgi_strtab_get(&s->ids, i), smgi_strtab_get(&s->ids, (size_t)p));
        }
    }
    /* the top level of each role: at most 100 points, reported at the item
     * that goes past (always a new one: the old ones passed) */
    for (r = 0; r < 5; r++) {
        int64_t acc = 0, total = 0;
        long at = -1;
        for (i = 0; i < n; i++) {
            if (s->parent[i] >= 0 || !((s->roles[i] ? s->roles[i] : SMGI_ALL_ROLES) >> r & 1))
                continue;
            total += s->points[i];
            if ((acc += s->points[i]) > 10000 && at < 0)
                at = (long)i;
        }
        if (at >= 0) {
            char w[64], got[24];
            where(s->line[at], (size_t)at, w, sizeof w);
            smgi_points_format(got, sizeof got, total);
            rc = smgi_err(org, SMG_ERULE,
                          "%scolumn points: item \"%s\": the top-level items of role %s add "
                          "up to %s points, more than 100",
                          w, smgi_strtab_get(&s->ids, (size_t)at), smg_role_name((smg_role)r),
                          got);
        }
    }
done:
    smgi_free(a, sum);
    smgi_free(a, state);
    return rc;
}

/* ---- the item table ---- */

static size_t committed(const smg_org *org)
{
    return org->in_batch ? org->mark.scorecard : org->scorecard.ids.count;
}

int smg_scorecard_item_find(const smg_org *org, const char *item_id, size_t *index)
{
    long i;
    if (!org || !item_id || !index)
        return SMG_EINVAL;
    i = smgi_strtab_find_str(&org->scorecard.ids, item_id);
    if (i < 0 || (size_t)i >= committed(org))
        return SMG_ENOTFOUND;
    *index = (size_t)i;
    return 0;
}

const char *smg_scorecard_item_id(const smg_org *org, size_t index)
{
    return org && index < committed(org) ? smgi_strtab_get(&org->scorecard.ids, index) : NULL;
}

static const smgi_field item_fields[] = {
    { "id", SMG_TYPE_TEXT },          { "parent", SMG_TYPE_INDEX }, { "points_x100", SMG_TYPE_INT },
    { "deduct_x100", SMG_TYPE_INT },  { "roles", SMG_TYPE_INT },    { "due", SMG_TYPE_ENUM },
    { "due_day", SMG_TYPE_INT },
};

static size_t item_count(const void *o)
{
    return committed(o);
}

static void item_value(const void *o, size_t i, int f, smgi_value *v)
{
    const smgi_scorecard *s = &((const smg_org *)o)->scorecard;
    switch ((smg_scorecard_item_field)f) {
    case SMG_SCORECARD_ITEM_ID: smgi_value_text(v, smgi_strtab_get(&s->ids, i)); break;
    case SMG_SCORECARD_ITEM_PARENT: smgi_value_index(v, s->parent[i]); break;
    case SMG_SCORECARD_ITEM_POINTS_X100: smgi_value_num(v, s->points[i], 0); break;
    case SMG_SCORECARD_ITEM_DEDUCT_X100:
        smgi_value_num(v, s->deduct[i], s->deduct[i] == SMG_POINTS_NONE);
        break;
    case SMG_SCORECARD_ITEM_ROLES: smgi_value_num(v, s->roles[i], 0); break;
    case SMG_SCORECARD_ITEM_DUE: smgi_value_num(v, s->due_kind[i], 0); break;
    case SMG_SCORECARD_ITEM_DUE_DAY:
        smgi_value_num(v, s->due_day[i], s->due_kind[i] == SMG_DEADLINE_NONE);
        break;
    }
}

static const smgi_table item_table = SMGI_TABLE(item_fields, item_count, NULL, item_value);

/* The public table getters, one line each (fields.h): smg_scorecard_item_count,
 * smg_scorecard_item_field_name, smg_scorecard_item_field_type and the typed
 * getters below. */
SMGI_TABLE_META(smg_scorecard_item, smg_org, smg_scorecard_item_field, item_table)
SMGI_TABLE_GET(smg_scorecard_item, index, size_t, smg_org, smg_scorecard_item_field, item_table)
SMGI_TABLE_GET(smg_scorecard_item, int, int64_t, smg_org, smg_scorecard_item_field, item_table)
SMGI_TABLE_GET(smg_scorecard_item, text, const char *, smg_org, smg_scorecard_item_field,
               item_table)
