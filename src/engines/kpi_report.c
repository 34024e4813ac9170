/* The KPI report (RULES.md §5): the options and the rows they ask for
 * under the visibility of scope.h, the roll-up of the members' counters
 * through the team tree, the report and its getters, merging partial
 * reports, and the smg_kpi_compute / smg_kpi_compute_many entry points.
 * The counters come from the pass (kpi_pass.c) or the month index
 * (kpi_index.c). */
#include "kpi.h"

#include <stdio.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "calendar.h"
#include "credits.h"
#include "fields.h"
#include "scope.h"
#include "targets.h"

typedef smgi_kpi_parts parts;
typedef smgi_kpi_period period;
typedef smgi_keyscratch keyscratch;

/* ---- fields ---- */

static const smgi_field kpi_fields[] = {
    { "sales_amount", SMG_TYPE_MONEY },
    { "deal_count", SMG_TYPE_INT },
    { "gross_profit", SMG_TYPE_MONEY },
    { "target_amount", SMG_TYPE_MONEY },
    { "completion_rate", SMG_TYPE_DOUBLE },
    { "growth_yoy", SMG_TYPE_DOUBLE },
    { "growth_pop", SMG_TYPE_DOUBLE },
    { "price_retention_rate", SMG_TYPE_DOUBLE },
    { "expense_amount", SMG_TYPE_MONEY },
    { "expense_rate", SMG_TYPE_DOUBLE },
    { "collection_rate", SMG_TYPE_DOUBLE },
    { "visit_count", SMG_TYPE_INT },
    { "visit_success_rate", SMG_TYPE_DOUBLE },
    { "complaint_count", SMG_TYPE_INT },
    { "complaint_rate", SMG_TYPE_DOUBLE },
    { "new_customer_count", SMG_TYPE_INT },
    { "retention_rate", SMG_TYPE_DOUBLE },
    { "lost_customer_count", SMG_TYPE_INT },
    { "reception_count", SMG_TYPE_INT },
    { "registration_rate", SMG_TYPE_DOUBLE },
    { "demo_rate", SMG_TYPE_DOUBLE },
    { "close_rate", SMG_TYPE_DOUBLE },
    { "followup_ontime_rate", SMG_TYPE_DOUBLE },
};
int smg_kpi_field_parse(smg_kpi_field *out, const char *name)
{
    size_t i;
    if (!name || !out)
        return SMG_EINVAL;
    for (i = 0; i < SMGI_NFIELDS(kpi_fields); i++)
        if (strcmp(name, kpi_fields[i].name) == 0) {
            *out = (smg_kpi_field)i;
            return 0;
        }
    return SMG_EPARSE;
}

int smg_kpi_options_init(smg_kpi_options *opts, unsigned version)
{
    smg_kpi_options init = SMG_KPI_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_KPI_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

/* ---- the report ---- */

struct smg_kpi_report {
    smg_allocator alloc;
    smg_period_kind period_kind; /* of the period asked about */
    smg_date range[3][2];
    size_t nrows;
    uint8_t *kind;      /* smg_subject_kind */
    int32_t *index;     /* member or team index; -1 for the company */
    parts *rows;
};

void smg_kpi_report_free(smg_kpi_report *r)
{
    smg_allocator al;
    if (!r)
        return;
    al = r->alloc;
    smgi_free(&al, r->kind);
    smgi_free(&al, r->index);
    smgi_free(&al, r->rows);
    smgi_free(&al, r);
}

/* ---- periods ---- */

/* The previous equal period and the period a year earlier. */
static void other_ranges(int form, smg_date from, smg_date to, smg_date prev[2],
                         smg_date yoy[2])
{
    int64_t y, y2;
    unsigned m, d, m2, d2;
    smgi_civil_from_days(from, &y, &m, &d);
    switch (form) {
    case SMG_PERIOD_YEAR:
    case SMG_PERIOD_QUARTER:
    case SMG_PERIOD_MONTH: {
        int back = form == SMG_PERIOD_YEAR ? 12 : form == SMG_PERIOD_QUARTER ? 3 : 1;
        int64_t mi = y * 12 + (m - 1) - back;
        prev[0] = (smg_date)smgi_days_from_civil(mi / 12, (unsigned)(mi % 12) + 1, 1);
        prev[1] = from - 1;
        /* the same whole year, quarter or month of the previous year */
        smgi_civil_from_days((int64_t)to + 1, &y2, &m2, &d2);
        yoy[0] = (smg_date)smgi_days_from_civil(y - 1, m, 1);
        yoy[1] = (smg_date)(smgi_days_from_civil(y2 - 1, m2, 1) - 1);
        break;
    }
    default: {
        int64_t n = (int64_t)to - from + 1;
        prev[0] = (smg_date)(from - n);
        prev[1] = from - 1;
        yoy[0] = smgi_year_earlier(from);
        yoy[1] = smgi_year_earlier(to);
        break;
    }
    }
}

/* ---- rows ---- */

typedef struct row_sel {
    uint8_t kind;
    int32_t index;
} row_sel;

/* Choose the rows of the report under the options and the scope. The
 * subject, if any, has been checked (smg_subject_check()). */
static int select_rows(smg_org *org, const smg_kpi_options *o, const smgi_scope *sc,
                       row_sel **out, size_t *nout)
{
    const smg_allocator *al = &org->alloc;
    size_t nm = org->members.ids.count, nt = org->teams.ids.count, i, n = 0;
    const char *who = o->as_member;
    int want_m = (o->rows & SMG_ROWS_MEMBERS) != 0, want_t = (o->rows & SMG_ROWS_TEAMS) != 0;
    int kind = 0;
    long subj = -1;
    uint8_t *sub_in = NULL;
    row_sel *rows;

    *out = NULL;
    *nout = 0;
    if (o->subject) {
        kind = (int)o->subject->kind;
        subj = kind == SMG_SUBJECT_COMPANY ? -1 : (long)o->subject->index;
        if ((kind == SMG_SUBJECT_COMPANY && !sc->full) ||
            (kind == SMG_SUBJECT_MEMBER && !smgi_scope_member(org, sc, (size_t)subj)) ||
            (kind == SMG_SUBJECT_TEAM && !smgi_scope_team(sc, (size_t)subj))) {
            char text[160];
            if (smg_subject_format(text, sizeof text, org, o->subject) < 0)
                strcpy(text, "?");
            return smgi_err(org, SMG_EACCESS,
                            "member \"%s\" (%s) may not see the figures of %s", who,
                            smg_role_name((smg_role)org->members.role[sc->self]), text);
        }
    } else if (!want_m && !sc->full && !sc->leads) {
        return smgi_err(org, SMG_EACCESS,
                        "member \"%s\" (%s) leads no team and may see no team's figures", who,
                        smg_role_name((smg_role)org->members.role[sc->self]));
    }
    rows = smgi_malloc(al, (nm + nt + 1) * sizeof *rows);
    if (!rows)
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (kind == SMG_SUBJECT_TEAM) {
        sub_in = smgi_calloc(al, nt, 1);
        if (!sub_in) {
            smgi_free(al, rows);
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        }
        for (i = 0; i < nt; i++) {
            int32_t p = org->teams.parent[i];
            sub_in[i] = (uint8_t)((long)i == subj || (p >= 0 && sub_in[p]));
        }
    }
    if (kind == SMG_SUBJECT_MEMBER) {
        rows[n].kind = SMG_SUBJECT_MEMBER;
        rows[n++].index = (int32_t)subj;
    } else if (kind == SMG_SUBJECT_COMPANY) {
        rows[n].kind = SMG_SUBJECT_COMPANY;
        rows[n++].index = -1;
    } else {
        if (want_m)
            for (i = 0; i < nm; i++)
                if (smgi_scope_member(org, sc, i) &&
                    (!sub_in || sub_in[org->members.team[i]])) {
                    rows[n].kind = SMG_SUBJECT_MEMBER;
                    rows[n++].index = (int32_t)i;
                }
        if (want_t)
            for (i = 0; i < nt; i++)
                if (smgi_scope_team(sc, i) && (!sub_in || sub_in[i])) {
                    rows[n].kind = SMG_SUBJECT_TEAM;
                    rows[n++].index = (int32_t)i;
                }
        if (want_t && sc->full && !sub_in) {
            rows[n].kind = SMG_SUBJECT_COMPANY;
            rows[n++].index = -1;
        }
    }
    smgi_free(al, sub_in);
    *out = rows;
    *nout = n;
    return 0;
}

/* ---- compute ---- */

/* The three ranges of period `pp` (periods[k] of np). 0, or SMG_EINVAL
 * with a message when it is unset or not valid. */
static int set_period(smg_org *org, const smg_period *pp, size_t k, size_t np, period *p)
{
    char which[40] = "the period";
    if (np > 1)
        snprintf(which, sizeof which, "period %lu", (unsigned long)k);
    if (pp->kind == 0)
        return smgi_err(org, SMG_EINVAL, "kpi: %s is required (make it with "
                                         "smg_period_month() and its siblings)", which);
    if (smg_period_check(pp))
        return smgi_err(org, SMG_EINVAL,
                        "kpi: %s (kind %d, days %ld..%ld) is not a valid period", which,
                        (int)pp->kind, (long)pp->from, (long)pp->to);
    p->range[0][0] = pp->from;
    p->range[0][1] = pp->to;
    other_ranges((int)pp->kind, pp->from, pp->to, p->range[1], p->range[2]);
    return 0;
}

/* A report of period p from its counters. */
static int build_report(smg_org *org, smg_kpi_report **out, const period *pd,
                        const row_sel *sel, size_t nsel, const parts *tparts,
                        const parts *company, const int64_t *mt, const uint8_t *mnull,
                        const int64_t *tt, const uint8_t *tnull, int64_t ct, int cnull)
{
    const smg_allocator *al = &org->alloc;
    smg_kpi_report *r = smgi_calloc(al, 1, sizeof *r);
    size_t i;
    if (!r)
        return SMG_ENOMEM;
    r->alloc = *al;
    r->kind = smgi_malloc(al, nsel ? nsel : 1);
    r->index = smgi_malloc(al, (nsel ? nsel : 1) * sizeof *r->index);
    r->rows = smgi_malloc(al, (nsel ? nsel : 1) * sizeof *r->rows);
    if (!r->kind || !r->index || !r->rows) {
        smg_kpi_report_free(r);
        return SMG_ENOMEM;
    }
    r->nrows = nsel;
    memcpy(r->range, pd->range, sizeof r->range);
    for (i = 0; i < nsel; i++) {
        parts *p = &r->rows[i];
        int32_t x = sel[i].index;
        r->kind[i] = sel[i].kind;
        r->index[i] = x;
        if (sel[i].kind == SMG_SUBJECT_MEMBER) {
            *p = pd->acc[x];
            p->target = mt[x];
            p->target_null = mnull[x];
        } else if (sel[i].kind == SMG_SUBJECT_TEAM) {
            *p = tparts[x];
            p->target = tt[x];
            p->target_null = tnull[x];
        } else {
            *p = *company;
            p->target = ct;
            p->target_null = cnull;
        }
    }
    *out = r;
    return 0;
}

static int compute(smg_kpi_report **out, smg_org *org, const smg_kpi_options *o,
                   const smg_period *periods, size_t np)
{
    const smg_allocator *al;
    const smg_attribution *a = NULL;
    const smg_kpi_index *ix = NULL;
    smg_attribution *owned = NULL;
    smgi_scope sc;
    period *ps = NULL, *todo = NULL;
    keyscratch ks;
    row_sel *sel = NULL;
    parts *tparts = NULL, company;
    int64_t *mt = NULL, *tt = NULL, ct = 0;
    uint8_t *mnull = NULL, *tnull = NULL;
    size_t nm, nt, nsel = 0, ntodo = 0, i, k;
    int rc, cnull = 1;

    /* the caller has checked org, out and the options' version */
    if (o->rows < SMG_ROWS_MEMBERS || o->rows > SMG_ROWS_ALL)
        return smgi_err(org, SMG_EINVAL, "kpi: rows must be SMG_ROWS_MEMBERS, "
                                         "SMG_ROWS_TEAMS or SMG_ROWS_ALL");
    if (o->subject && smg_subject_check(org, o->subject))
        return smgi_err(org, SMG_EINVAL, "kpi: the subject (kind %d, index %lu) is not a "
                                         "member, a team or the company of this org",
                        (int)o->subject->kind, (unsigned long)o->subject->index);
    if (o->index) {
        ix = o->index;
        if ((rc = smgi_kpi_index_usable(org, ix, o->attribution, &a)))
            return rc;
    }

    al = &org->alloc;
    nm = org->members.ids.count;
    nt = org->teams.ids.count;
    memset(&ks, 0, sizeof ks);
    memset(&sc, 0, sizeof sc);
    ps = smgi_calloc(al, np, sizeof *ps);
    todo = smgi_calloc(al, np, sizeof *todo);
    if (!ps || !todo) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }
    for (k = 0; k < np; k++)
        if ((rc = set_period(org, &periods[k], k, np, &ps[k])))
            goto done;
    if ((rc = smgi_scope_init(org, o->as_member, &sc)))
        goto done;
    if ((rc = select_rows(org, o, &sc, &sel, &nsel)))
        goto done;
    if (!ix && (rc = smgi_attribution_get(org, o->attribution, SMG_TIME_NONE, &a, &owned)))
        goto done;

    tparts = smgi_malloc(al, (nt ? nt : 1) * sizeof *tparts);
    mt = smgi_malloc(al, (nm ? nm : 1) * sizeof *mt);
    mnull = smgi_malloc(al, nm ? nm : 1);
    tt = smgi_malloc(al, (nt ? nt : 1) * sizeof *tt);
    tnull = smgi_malloc(al, nt ? nt : 1);
    if (smgi_keyscratch_alloc(al, &ks, nm, nt) || !tparts || !mt || !mnull || !tt || !tnull) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory");
        goto done;
    }

    /* one pass over the log for the periods the index does not answer;
     * the others are summed from it one at a time below (one counter
     * array alive at a time: its memory is reused, not faulted in again) */
    for (k = 0; k < np; k++)
        if (!ix || !smgi_kpi_index_covers(&ps[k]))
            todo[ntodo++] = ps[k];
    if (ntodo && (rc = smgi_kpi_aggregate(org, a, todo, ntodo)))
        goto done;
    for (k = 0, i = 0; k < np; k++)
        if (!ix || !smgi_kpi_index_covers(&ps[k]))
            ps[k] = todo[i++];
    ntodo = 0; /* the periods own their counters again */

    for (k = 0; k < np; k++) {
        period *p = &ps[k];
        int ovf = 0;
        /* one member's row: their own deals only (the counts are the same) */
        if (!p->acc && (rc = smgi_kpi_from_index(
                            ix, al, p,
                            o->subject && o->subject->kind == SMG_SUBJECT_MEMBER
                                ? (int32_t)o->subject->index
                                : -1))) {
            rc = smgi_err(org, rc, rc == SMG_ENOMEM ? "out of memory"
                                                    : "kpi: a sum of amounts overflows");
            goto done;
        }
        /* members -> their teams -> parent teams -> the company */
        memset(tparts, 0, (nt ? nt : 1) * sizeof *tparts);
        memset(&company, 0, sizeof company);
        for (i = 0; i < nm; i++)
            ovf |= smgi_kpi_parts_add(&tparts[org->members.team[i]], &p->acc[i]);
        for (i = nt; i-- > 0;) {
            int32_t par = org->teams.parent[i];
            ovf |= smgi_kpi_parts_add(par >= 0 ? &tparts[par] : &company, &tparts[i]);
        }
        ovf |= smgi_kpi_parts_add(&company, &p->acc[nm]);
        if (ovf) {
            rc = smgi_err(org, SMG_ERANGE, "kpi: a sum of amounts overflows");
            goto done;
        }
        if ((rc = smgi_kpi_distinct_keys(org, &ks, p, nm, tparts, &company))) {
            rc = smgi_err(org, rc, rc == SMG_ENOMEM ? "out of memory"
                                                    : "kpi: too many members");
            goto done;
        }
        if ((rc = smgi_sales_targets(org, p->range[0][0], p->range[0][1], mt, mnull, tt, tnull,
                                     &ct, &cnull)))
            goto done;
        if ((rc = build_report(org, &out[k], p, sel, nsel, tparts, &company, mt, mnull, tt,
                               tnull, ct, cnull))) {
            rc = smgi_err(org, rc, "out of memory");
            goto done;
        }
        out[k]->period_kind = periods[k].kind;
        smgi_kpi_period_free(al, p); /* the counters are in the report now */
        memset(p, 0, sizeof *p);
    }
done:
    if (rc)
        for (k = 0; k < np; k++) {
            smg_kpi_report_free(out[k]);
            out[k] = NULL;
        }
    for (k = 0; ps && k < np; k++)
        smgi_kpi_period_free(al, &ps[k]);
    for (k = 0; k < ntodo; k++)
        smgi_kpi_period_free(al, &todo[k]);
    smgi_free(al, ps);
    smgi_free(al, todo);
    smgi_scope_free(al, &sc);
    smg_attribution_free(owned);
    smgi_free(al, sel);
    smgi_keyscratch_free(al, &ks);
    smgi_free(al, tparts);
    smgi_free(al, mt);
    smgi_free(al, mnull);
    smgi_free(al, tt);
    smgi_free(al, tnull);
    return rc;
}

/* The checks every entry point makes first. */
static int begin(smg_org *org, const smg_kpi_options *o)
{
    int rc = smgi_query_begin(org);
    if (rc)
        return rc;
    if (!o)
        return smgi_err(org, SMG_EINVAL, "kpi: the options are NULL: the period is required");
    if (o->version != SMG_KPI_OPTIONS_VERSION)
        return smgi_err(org, SMG_EVERSION, "unknown smg_kpi_options version %u", o->version);
    return 0;
}

int smg_kpi_compute(smg_kpi_report **out, smg_org *org, const smg_kpi_options *opts)
{
    int rc;
    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (!org)
        return SMG_EINVAL;
    if ((rc = begin(org, opts)))
        return rc;
    return compute(out, org, opts, &opts->period, 1);
}

int smg_kpi_compute_many(smg_kpi_report **out, smg_org *org, const smg_kpi_options *opts,
                         const smg_period *periods, size_t nperiods)
{
    const smg_kpi_options defaults = SMG_KPI_OPTIONS_INIT;
    size_t k;
    int rc;
    if (!out)
        return SMG_EINVAL;
    for (k = 0; k < nperiods; k++)
        out[k] = NULL;
    if (!org)
        return SMG_EINVAL;
    if (!opts)
        opts = &defaults;
    if ((rc = begin(org, opts)))
        return rc;
    if (!nperiods || !periods)
        return smgi_err(org, SMG_EINVAL, "kpi: no period");
    if (nperiods > SIZE_MAX / (6 * sizeof(size_t)) - 1)
        return smgi_err(org, SMG_ERANGE, "kpi: too many periods");
    return compute(out, org, opts, periods, nperiods);
}

/* ---- getters ---- */

int smg_kpi_subject(const smg_kpi_report *r, size_t row, smg_subject *out)
{
    if (!r || !out || row >= r->nrows)
        return SMG_EINVAL;
    out->kind = (smg_subject_kind)r->kind[row];
    out->index = r->index[row] >= 0 ? (size_t)r->index[row] : 0;
    return 0;
}

int smg_kpi_report_period(const smg_kpi_report *r, smg_range which, smg_period *out)
{
    smg_period_kind k;
    if (!r || !out || (unsigned)which > SMG_RANGE_YEAR_EARLIER)
        return SMG_EINVAL;
    k = r->period_kind;
    /* a year, quarter or month a year earlier is one; a week is not */
    if (which == SMG_RANGE_YEAR_EARLIER && k != SMG_PERIOD_YEAR && k != SMG_PERIOD_QUARTER &&
        k != SMG_PERIOD_MONTH)
        k = SMG_PERIOD_RANGE;
    out->kind = k;
    out->from = r->range[which][0];
    out->to = r->range[which][1];
    return 0;
}

/* num / den, null when den is 0 */
static void ratio(smgi_value *v, double num, double den)
{
    if (den == 0)
        smgi_value_real(v, 0, 1);
    else
        smgi_value_real(v, num / den, 0);
}

static size_t kpi_count(const void *r)
{
    return ((const smg_kpi_report *)r)->nrows;
}

/* A money or count KPI exactly, a rate as a double. */
static void kpi_value(const void *r, size_t row, int f, smgi_value *v)
{
    const parts *p = &((const smg_kpi_report *)r)->rows[row];
    switch ((smg_kpi_field)f) {
    case SMG_KPI_SALES_AMOUNT: smgi_value_num(v, p->sales, 0); break;
    case SMG_KPI_DEAL_COUNT: smgi_value_num(v, p->deals, 0); break;
    case SMG_KPI_GROSS_PROFIT: smgi_value_num(v, p->gross, 0); break;
    case SMG_KPI_TARGET_AMOUNT: smgi_value_num(v, p->target, p->target_null != 0); break;
    case SMG_KPI_COMPLETION_RATE:
        ratio(v, (double)p->sales, p->target_null ? 0 : (double)p->target);
        break;
    case SMG_KPI_GROWTH_YOY:
        ratio(v, (double)p->sales - (double)p->sales_yoy, (double)p->sales_yoy);
        break;
    case SMG_KPI_GROWTH_POP:
        ratio(v, (double)p->sales - (double)p->sales_prev, (double)p->sales_prev);
        break;
    case SMG_KPI_PRICE_RETENTION_RATE: ratio(v, (double)p->list_num, (double)p->list_den); break;
    case SMG_KPI_EXPENSE_AMOUNT: smgi_value_num(v, p->expense, 0); break;
    case SMG_KPI_EXPENSE_RATE: ratio(v, (double)p->expense, (double)p->sales); break;
    case SMG_KPI_COLLECTION_RATE:
        ratio(v, (double)p->paid, (double)p->open + (double)p->raised);
        break;
    case SMG_KPI_VISIT_COUNT: smgi_value_num(v, p->visits, 0); break;
    case SMG_KPI_VISIT_SUCCESS_RATE: ratio(v, (double)p->visits_ok, (double)p->visits); break;
    case SMG_KPI_COMPLAINT_COUNT: smgi_value_num(v, p->complaints, 0); break;
    case SMG_KPI_COMPLAINT_RATE: ratio(v, (double)p->complaints, (double)p->deals); break;
    case SMG_KPI_NEW_CUSTOMER_COUNT: smgi_value_num(v, p->new_keys, 0); break;
    case SMG_KPI_RETENTION_RATE: ratio(v, (double)p->retained, (double)p->prev_keys); break;
    case SMG_KPI_LOST_CUSTOMER_COUNT: smgi_value_num(v, p->lost, 0); break;
    case SMG_KPI_RECEPTION_COUNT: smgi_value_num(v, p->receptions, 0); break;
    case SMG_KPI_REGISTRATION_RATE: ratio(v, (double)p->regs, (double)p->receptions); break;
    case SMG_KPI_DEMO_RATE: ratio(v, (double)p->demos, (double)p->receptions); break;
    case SMG_KPI_CLOSE_RATE: ratio(v, (double)p->deals, (double)p->receptions); break;
    case SMG_KPI_FOLLOWUP_ONTIME_RATE: ratio(v, (double)p->regs_ontime, (double)p->regs); break;
    }
}

static const smgi_table kpi_table = SMGI_TABLE(kpi_fields, kpi_count, NULL, kpi_value);

/* The public table getters, one line each (fields.h): smg_kpi_count,
 * smg_kpi_field_name, smg_kpi_field_type and the typed getters below. */
SMGI_TABLE_META(smg_kpi, smg_kpi_report, smg_kpi_field, kpi_table)
SMGI_TABLE_GET(smg_kpi, int, int64_t, smg_kpi_report, smg_kpi_field, kpi_table)
SMGI_TABLE_GET(smg_kpi, double, double, smg_kpi_report, smg_kpi_field, kpi_table)

int smg_kpi_report_merge(smg_kpi_report *into, const smg_kpi_report *part)
{
    size_t i;
    if (!into || !part || into->nrows != part->nrows ||
        into->period_kind != part->period_kind ||
        memcmp(into->range, part->range, sizeof into->range) != 0)
        return SMG_EINVAL;
    for (i = 0; i < into->nrows; i++)
        if (into->kind[i] != part->kind[i] || into->index[i] != part->index[i])
            return SMG_EINVAL;
    /* check every sum first: a failed merge changes nothing */
    for (i = 0; i < into->nrows; i++) {
        parts t = into->rows[i];
        if (smgi_kpi_parts_add(&t, &part->rows[i]))
            return SMG_ERANGE;
    }
    for (i = 0; i < into->nrows; i++) {
        parts *d = &into->rows[i];
        const parts *s = &part->rows[i];
        smgi_kpi_parts_add(d, s);
        d->prev_keys += s->prev_keys;
        d->retained += s->retained;
        d->lost += s->lost;
    }
    return 0;
}
