/* The event log: adding events, and the commit that checks the rules that
 * depend on order and keeps the log sorted by (time, input position).
 *
 * Commit cost is proportional to the batch when the batch comes after
 * everything already logged (live feeding); otherwise the new events are
 * radix-sorted and merged into the log in one O(n) pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/money.h"
#include "calendar.h"
#include "columns.h"
#include "events.h"
#include "fields.h"
#include "logsort.h"
#include "money.h"
#include "org.h"
#include "scorecard.h"

static const char *const type_names[] = {
    NULL, "signin", "reception", "register", "followup", "visit", "demo", "deal", "claim",
    "override", "void_register", "receivable", "payment", "complaint", "expense", "absence",
    "work_score", "fault", "submit", "handover", "link", "cancel", "refund", "transfer",
};
#define NTYPES ((int)(sizeof type_names / sizeof type_names[0]))

static const char *const channel_names[] = { "", "walk_in", "phone", "onsite" };
static const char *const outcome_names[] = { "", "duty", "success", "fail" };

int smg_event_type_parse(smg_event_type *out, const char *s)
{
    int i;
    if (!s || !out)
        return SMG_EINVAL;
    for (i = 1; i < NTYPES; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (smg_event_type)i;
            return 0;
        }
    return SMG_EPARSE;
}

const char *smg_event_type_name(smg_event_type type)
{
    return type >= 1 && (int)type < NTYPES ? type_names[type] : NULL;
}

static int parse_word(const char *s, const char *const *names, int n, int *out)
{
    int i;
    if (!s || !out)
        return SMG_EINVAL;
    for (i = 1; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    return SMG_EPARSE;
}

int smg_channel_parse(smg_channel *out, const char *s)
{
    int v = 0, rc = parse_word(s, channel_names, 4, &v);
    if (!rc)
        *out = (smg_channel)v;
    return rc;
}

const char *smg_channel_name(smg_channel c)
{
    return (unsigned)c < 4 ? channel_names[c] : NULL;
}

int smg_outcome_parse(smg_outcome *out, const char *s)
{
    int v = 0, rc = parse_word(s, outcome_names, 4, &v);
    if (!rc)
        *out = (smg_outcome)v;
    return rc;
}

const char *smg_outcome_name(smg_outcome o)
{
    return (unsigned)o < 4 ? outcome_names[o] : NULL;
}

int smg_event_init(smg_event *ev, unsigned version)
{
    smg_event init = SMG_EVENT_INIT;
    if (!ev)
        return SMG_EINVAL;
    if (version != SMG_EVENT_VERSION)
        return SMG_EVERSION;
    *ev = init;
    return 0;
}

/* ---- storage ---- */

#define EVENT_COLUMNS(E) SMGI_EVENT_COLUMNS(E)
#define AMOUNT_COLUMNS(am) SMGI_AMOUNT_COLUMNS(am)
#define DEAL_COLUMNS(d) SMGI_DEAL_COLUMNS(d)
#define CANCEL_COLUMNS(c) SMGI_CANCEL_COLUMNS(c)
#define RECEIVABLE_COLUMNS(r) SMGI_RECEIVABLE_COLUMNS(r)
#define ID_COLUMNS(ids) SMGI_EVENT_ID_COLUMNS(ids)

void smgi_events_free(const smg_allocator *a, smgi_events *ev)
{
    smgi_column cols[] = EVENT_COLUMNS(ev);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &ev->cap);
    ev->count = 0;
}

void smgi_amounts_free(const smg_allocator *a, smgi_amounts *am)
{
    smgi_column cols[] = AMOUNT_COLUMNS(am);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &am->cap);
    am->count = 0;
}

void smgi_deals_free(const smg_allocator *a, smgi_deals *d)
{
    smgi_column cols[] = DEAL_COLUMNS(d);
    smgi_strtab_free(a, &d->ids);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &d->cap);
}

void smgi_receivables_free(const smg_allocator *a, smgi_receivables *r)
{
    smgi_column cols[] = RECEIVABLE_COLUMNS(r);
    smgi_strtab_free(a, &r->ids);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &r->cap);
}

void smgi_event_ids_free(const smg_allocator *a, smgi_event_ids *ids)
{
    smgi_column cols[] = ID_COLUMNS(ids);
    smgi_strtab_free(a, &ids->ids);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &ids->cap);
}

void smgi_cancels_free(const smg_allocator *a, smgi_cancels *c)
{
    smgi_column cols[] = CANCEL_COLUMNS(c);
    smgi_columns_free(a, cols, SMGI_NCOLUMNS(cols), &c->cap);
    c->count = 0;
}

/* The row of the cancels for input position seq, or -1 (rows are sorted). */
static long cancel_row(const smgi_cancels *c, uint32_t seq)
{
    size_t lo = 0, hi = c->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->seq[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->count && c->seq[lo] == seq ? (long)lo : -1;
}

smg_event_type smgi_event_type_of(const smg_org *org, size_t i)
{
    const smgi_events *E = &org->events;
    long r;
    if (E->type[i] != SMGI_EV_CANCELLED)
        return (smg_event_type)E->type[i];
    r = cancel_row(&org->cancels, E->seq[i]);
    return r < 0 ? (smg_event_type)0 : (smg_event_type)org->cancels.type[r];
}

smg_money smgi_refund_cost(const smg_org *org, size_t i)
{
    size_t row = (size_t)org->events.arg[i];
    int32_t d = org->amounts.ref[row];
    smg_money given = org->amounts.cost[row], cost = org->deals.cost[d];
    smg_money amount = org->deals.amount[d];
    int64_t out = 0;
    if (given != SMG_MONEY_NONE)
        return given;
    if (cost == SMG_MONEY_NONE || cost == 0 || amount <= 0)
        return 0;
    /* refund <= amount, so the share of the cost fits */
    if (smgi_muldiv_round(cost, org->amounts.amount[row], amount, &out))
        return 0;
    return out;
}

void smgi_event_lines_free(const smg_allocator *a, smgi_event_lines *lines)
{
    smgi_free(a, lines->seq);
    smgi_free(a, lines->delta);
    lines->seq = NULL;
    lines->delta = NULL;
    lines->count = lines->cap = 0;
}

int64_t smgi_event_line(const smgi_event_lines *L, size_t seq)
{
    size_t lo = 0, hi = L->count;
    int64_t d;
    /* the last run starting at or before seq */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->seq[mid] <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || (d = L->delta[lo - 1]) == SMGI_NO_LINE)
        return 0;
    return (int64_t)seq + d;
}

/* The run the event of input position seq with source line `line` (0 =
 * none) needs, if the current one does not cover it: 1 when a run is to be
 * appended (*delta set), else 0. */
static int line_run(const smgi_event_lines *L, size_t seq, uint32_t line, int64_t *delta)
{
    int64_t cur = L->count ? L->delta[L->count - 1] : SMGI_NO_LINE;
    *delta = line ? (int64_t)line - (int64_t)seq : SMGI_NO_LINE;
    return *delta != cur;
}

static int lines_reserve(const smg_allocator *a, smgi_event_lines *L)
{
    size_t cap;
    if (L->count < L->cap)
        return 0;
    cap = L->cap;
    if (SMGI_GROW(a, L->seq, cap, L->count + 1))
        return SMG_ENOMEM;
    cap = L->cap;
    if (SMGI_GROW(a, L->delta, cap, L->count + 1))
        return SMG_ENOMEM;
    L->cap = cap;
    return 0;
}

void smgi_events_truncate(smgi_events *ev, size_t count)
{
    if (count < ev->count)
        ev->count = count;
}

void smgi_event_ids_truncate(const smg_allocator *a, smgi_event_ids *ids, size_t count)
{
    smgi_strtab_truncate(a, &ids->ids, count);
}

void smgi_events_trim(const smg_allocator *a, smgi_events *ev)
{
    smgi_column cols[] = EVENT_COLUMNS(ev);
    smgi_columns_trim(a, cols, SMGI_NCOLUMNS(cols), &ev->cap, ev->count);
}

static int events_reserve(const smg_allocator *a, smgi_events *ev, size_t need)
{
    if (need <= ev->cap) /* every event added asks: the common case first */
        return 0;
    {
        smgi_column cols[] = EVENT_COLUMNS(ev);
        return smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &ev->cap, need);
    }
}

int smg_org_reserve(smg_org *org, smg_count what, size_t n)
{
    smgi_events *E;
    if (!org)
        return SMG_EINVAL;
    if (what != SMG_COUNT_EVENTS)
        return smgi_err(org, SMG_EINVAL, "only events can be reserved");
    E = &org->events;
    if (n <= E->cap)
        return 0;
    /* exactly n: events_reserve() grows by doubling from the current size;
     * growing, a failure leaves every column holding the old cap at least */
    {
        smgi_column cols[] = EVENT_COLUMNS(E);
        if (smgi_columns_resize(&org->alloc, cols, SMGI_NCOLUMNS(cols), &E->cap, n))
            return smgi_err(org, SMG_ENOMEM, "out of memory reserving %lu events",
                            (unsigned long)n);
    }
    return 0;
}

/* Intern a deal id; a new one starts undefined. */
static int deal_ref(smg_org *org, const char *ref, size_t *idx)
{
    smgi_deals *d = &org->deals;
    int added;
    if (d->ids.count + 1 > d->cap) {
        smgi_column cols[] = DEAL_COLUMNS(d);
        if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &d->cap, d->ids.count + 1))
            return SMG_ENOMEM;
    }
    if (smgi_strtab_intern(&org->alloc, &d->ids, ref, strlen(ref), idx, &added))
        return SMG_ENOMEM;
    if (added) {
        d->event[*idx] = -1;
        d->seq[*idx] = UINT32_MAX;
        d->amount[*idx] = SMG_MONEY_NONE;
        d->list_amount[*idx] = SMG_MONEY_NONE;
        d->cost[*idx] = SMG_MONEY_NONE;
        d->product[*idx] = -1;
        d->refunded[*idx] = 0;
    }
    return 0;
}

static int receivable_ref(smg_org *org, const char *ref, size_t *idx)
{
    smgi_receivables *r = &org->receivables;
    int added;
    if (r->ids.count + 1 > r->cap) {
        smgi_column cols[] = RECEIVABLE_COLUMNS(r);
        if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &r->cap, r->ids.count + 1))
            return SMG_ENOMEM;
    }
    if (smgi_strtab_intern(&org->alloc, &r->ids, ref, strlen(ref), idx, &added))
        return SMG_ENOMEM;
    if (added) {
        r->event[*idx] = -1;
        r->seq[*idx] = UINT32_MAX;
        r->amount[*idx] = 0;
        r->paid[*idx] = 0;
    }
    return 0;
}

/* Room for one more row of org->amounts. */
static int amounts_reserve(const smg_allocator *a, smgi_amounts *am)
{
    if (am->count < am->cap)
        return 0;
    {
        smgi_column cols[] = AMOUNT_COLUMNS(am);
        return smgi_columns_grow(a, cols, SMGI_NCOLUMNS(cols), &am->cap, am->count + 1);
    }
}

/* The row of event ids holding the id of input position seq, or -1 (binary
 * search: rows are in input order). */
static long id_row(const smgi_event_ids *ids, uint32_t seq)
{
    size_t lo = 0, hi = ids->ids.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids->seq[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ids->ids.count && ids->seq[lo] == seq ? (long)lo : -1;
}

/* ---- adding ---- */

enum { NEED_MEMBER = 1, NEED_CUSTOMER = 2, NEED_REF = 4, NEED_AMOUNT = 8, NEED_VALUE = 16 };

static int needs(smg_event_type t)
{
    switch (t) {
    case SMG_EV_SIGNIN:
    case SMG_EV_VOID_REGISTER: return NEED_MEMBER;
    case SMG_EV_RECEPTION:
    case SMG_EV_REGISTER:
    case SMG_EV_FOLLOWUP:
    case SMG_EV_VISIT:
    case SMG_EV_DEMO:
    case SMG_EV_COMPLAINT: return NEED_MEMBER | NEED_CUSTOMER;
    case SMG_EV_DEAL:
    case SMG_EV_RECEIVABLE:
    case SMG_EV_PAYMENT: return NEED_MEMBER | NEED_CUSTOMER | NEED_REF | NEED_AMOUNT;
    case SMG_EV_CLAIM: return NEED_MEMBER | NEED_REF;
    case SMG_EV_OVERRIDE: return NEED_REF;
    case SMG_EV_EXPENSE: return NEED_MEMBER | NEED_AMOUNT;
    case SMG_EV_ABSENCE:
    case SMG_EV_WORK_SCORE: return NEED_MEMBER | NEED_VALUE;
    case SMG_EV_FAULT:
    case SMG_EV_SUBMIT: return NEED_MEMBER | NEED_REF;
    case SMG_EV_HANDOVER: return NEED_MEMBER; /* ref: the member to, or none */
    case SMG_EV_LINK: return NEED_CUSTOMER | NEED_REF;
    case SMG_EV_CANCEL: return NEED_REF;
    case SMG_EV_REFUND: return NEED_REF | NEED_AMOUNT;
    case SMG_EV_TRANSFER: return NEED_MEMBER | NEED_REF;
    }
    return 0;
}

/* Messages name the place: "events.csv:12: column member: ..." when the
 * dataset loader set a source, else "event #12: ...". */
static void where_new(const smg_org *org, char *buf, size_t len)
{
    size_t pos = org->events.count;
    unsigned long num = pos;
    char digits[24];
    const char *head = "event #";
    size_t n = 0, h;
    /* formatted by hand: this runs for every event added */
    if (org->src_name && org->cur_line) {
        head = org->src_name;
        num = (unsigned long)org->cur_line;
    }
    do {
        digits[n++] = (char)('0' + num % 10);
        num /= 10;
    } while (num && n < sizeof digits);
    h = strlen(head);
    if (h + n + 2 > len) {
        snprintf(buf, len, "%s", head);
        return;
    }
    memcpy(buf, head, h);
    if (head[h - 1] != '#')
        buf[h++] = ':';
    while (n)
        buf[h++] = digits[--n];
    buf[h] = 0;
}

/* An id that names no member or customer: "does not exist", or what is
 * wrong with it (a space at an end: the id as typed is not the id meant). */
static int missing(smg_org *org, const char *w, const char *col, const char *what,
                   const char *id)
{
    size_t from = org->nerrs;
    int rc;
    if (!id || !*id)
        return smgi_err(org, SMG_EINVAL, "%s: column %s: a %s is required", w, col, what);
    if ((rc = smgi_check_id(org, what, id))) {
        char prefix[340];
        snprintf(prefix, sizeof prefix, "%s: column %s: ", w, col);
        smgi_err_prefix(org, from, prefix);
        return rc;
    }
    return smgi_err(org, SMG_ENOTFOUND, "%s: column %s: %s \"%s\" does not exist", w, col, what,
                    id);
}

static int event_add(smg_org *org, const smg_event *ev)
{
    char w[300];
    long member = -1, customer = -1;
    size_t arg = (size_t)-1;
    long amount_ref = -1; /* the amounts row's ref: a payment's receivable, a fault's item */
    int need, rc, sparse;
    smgi_events *E = &org->events;
    unsigned flags = 0;
    int64_t amount = SMG_MONEY_NONE, delta;
    int new_run;

    where_new(org, w, sizeof w);
    if (ev->version < 1 || ev->version > SMG_EVENT_VERSION)
        return smgi_err(org, SMG_EVERSION, "%s: unknown smg_event version %u", w, ev->version);
    need = needs(ev->type);
    if (!need)
        return smgi_err(org, SMG_EINVAL, "%s: column type: unknown event type %d", w,
                        (int)ev->type);
    if (E->count >= UINT32_MAX - 1)
        return smgi_err(org, SMG_ERANGE, "%s: the log is full", w);
    {
        char buf[2];
        if (ev->at < (smg_time)smgi_days_from_civil(1, 1, 1) * 86400 ||
            ev->at >= (smg_time)smgi_days_from_civil(10000, 1, 1) * 86400 ||
            smg_date_format(buf, 0, smg_time_day(ev->at)) == SMG_EINVAL)
            return smgi_err(org, SMG_ERANGE, "%s: column at: time out of range", w);
    }
    if (ev->id && *ev->id) {
        size_t from = org->nerrs;
        long other;
        if ((rc = smgi_check_id(org, "event", ev->id))) {
            char prefix[320];
            snprintf(prefix, sizeof prefix, "%s: column id: ", w);
            smgi_err_prefix(org, from, prefix);
            return rc;
        }
        other = smgi_strtab_find_str(&org->event_ids.ids, ev->id);
        if (other >= 0) {
            char o[300];
            smgi_event_where_seq(org, org->event_ids.seq[other], o, sizeof o);
            return smgi_err(org, SMG_EEXISTS,
                            "%s: column id: duplicate event id \"%s\" (%s has it too)", w,
                            ev->id, o);
        }
    }
    if (need & NEED_MEMBER || (ev->type == SMG_EV_OVERRIDE && ev->member && *ev->member)) {
        member = smgi_strtab_find_str(&org->members.ids, ev->member);
        if (member < 0)
            return missing(org, w, "member", "member", ev->member);
    }
    if (need & NEED_CUSTOMER) {
        customer = smgi_strtab_find_str(&org->customers.ids, ev->customer);
        if (customer < 0)
            return missing(org, w, "customer", "customer", ev->customer);
    }
    if (need & NEED_REF) {
        const char *kind = ev->type == SMG_EV_RECEIVABLE || ev->type == SMG_EV_PAYMENT
                               ? "receivable"
                           : ev->type == SMG_EV_FAULT || ev->type == SMG_EV_SUBMIT
                               ? "scorecard item"
                           : ev->type == SMG_EV_LINK     ? "customer"
                           : ev->type == SMG_EV_CANCEL   ? "event"
                           : ev->type == SMG_EV_TRANSFER ? "team"
                                                         : "deal";
        size_t from = org->nerrs;
        if (!ev->ref || !*ev->ref)
            return smgi_err(org, SMG_EINVAL, "%s: column ref: a %s id is required", w, kind);
        if ((rc = smgi_check_id(org, kind, ev->ref))) {
            char prefix[320];
            snprintf(prefix, sizeof prefix, "%s: column ref: ", w);
            smgi_err_prefix(org, from, prefix);
            return rc;
        }
    }
    if (need & NEED_AMOUNT) {
        if (ev->amount == SMG_MONEY_NONE)
            return smgi_err(org, SMG_EINVAL, "%s: column amount: an amount is required", w);
        if ((ev->type == SMG_EV_RECEIVABLE || ev->type == SMG_EV_PAYMENT ||
             ev->type == SMG_EV_REFUND) && ev->amount <= 0)
            return smgi_err(org, SMG_ERANGE, "%s: column amount: must be greater than 0", w);
        if (ev->type == SMG_EV_EXPENSE && ev->amount < 0)
            return smgi_err(org, SMG_ERANGE, "%s: column amount: must not be negative", w);
        if (ev->type == SMG_EV_DEAL && ev->amount < 0) {
            char a[32];
            smg_money_format(a, sizeof a, ev->amount);
            return smgi_err(org, SMG_ERANGE,
                            "%s: column amount: a deal's amount is not negative (%s); goods "
                            "returned or money paid back are a refund event of the deal "
                            "(RULES.md \xc2\xa7" "8)", w, a);
        }
        amount = ev->amount;
    }
    if (need & NEED_VALUE) {
        int64_t v = ev->value;
        if (v == SMG_MONEY_NONE)
            return smgi_err(org, SMG_EINVAL, "%s: column value: a value is required", w);
        if (ev->type == SMG_EV_ABSENCE && (v <= 0 || v % 50 || v > 3100))
            return smgi_err(org, SMG_ERANGE,
                            "%s: column value: absence days must be 0.5-31 in 0.5 steps", w);
        if (ev->type == SMG_EV_WORK_SCORE && (v < 0 || v > 10000))
            return smgi_err(org, SMG_ERANGE, "%s: column value: work score must be 0-100", w);
        amount = v;
    }
    if (ev->type == SMG_EV_FAULT || ev->type == SMG_EV_SUBMIT) {
        long item = smgi_strtab_find_str(&org->scorecard.ids, ev->ref);
        if (item < 0)
            return smgi_err(org, SMG_ENOTFOUND,
                            "%s: column ref: scorecard item \"%s\" does not exist", w, ev->ref);
        if (ev->type == SMG_EV_FAULT) {
            amount = ev->value == SMG_MONEY_NONE ? 1 : ev->value;
            if (amount < 1 || amount > 10000)
                return smgi_err(org, SMG_ERANGE,
                                "%s: column value: a fault's count must be a whole number "
                                "1-10000", w);
            amount_ref = item;
        } else {
            arg = (size_t)item;
        }
    }
    if (ev->type == SMG_EV_HANDOVER && ev->ref && *ev->ref) {
        long to = smgi_strtab_find_str(&org->members.ids, ev->ref);
        if (to < 0)
            return missing(org, w, "ref", "member", ev->ref);
        if (to == member)
            return smgi_err(org, SMG_EINVAL,
                            "%s: column ref: member \"%s\" cannot hand over to themselves", w,
                            ev->ref);
        arg = (size_t)to;
    } else if (ev->type == SMG_EV_TRANSFER) {
        long team = smgi_strtab_find_str(&org->teams.ids, ev->ref);
        if (team < 0)
            return missing(org, w, "ref", "team", ev->ref);
        arg = (size_t)team;
    } else if (ev->type == SMG_EV_CANCEL) {
        /* the event it names was added before it: its id is known */
        long row = smgi_strtab_find_str(&org->event_ids.ids, ev->ref);
        if (row < 0)
            return smgi_err(org, SMG_ENOTFOUND,
                            "%s: column ref: no event has id \"%s\" (a cancel names an event "
                            "added before it)",
                            w, ev->ref);
        arg = (size_t)row;
    } else if (ev->type == SMG_EV_LINK) {
        long other = smgi_strtab_find_str(&org->customers.ids, ev->ref);
        if (other < 0)
            return missing(org, w, "ref", "customer", ev->ref);
        if (other == customer)
            return smgi_err(org, SMG_EINVAL,
                            "%s: column ref: customer \"%s\" cannot be linked to itself", w,
                            ev->ref);
        arg = (size_t)other;
    }
    if (ev->type == SMG_EV_RECEPTION) {
        if (ev->channel != SMG_CHANNEL_NONE && ev->channel != SMG_CHANNEL_WALK_IN &&
            ev->channel != SMG_CHANNEL_PHONE)
            return smgi_err(org, SMG_ERANGE, "%s: column channel: a reception is walk_in or phone", w);
        if (ev->outcome != SMG_OUTCOME_NONE && ev->outcome != SMG_OUTCOME_DUTY)
            return smgi_err(org, SMG_ERANGE, "%s: column outcome: a reception's outcome is duty or empty", w);
        flags = (unsigned)ev->channel | (unsigned)ev->outcome << 4;
    } else if (ev->type == SMG_EV_VISIT) {
        if (ev->channel != SMG_CHANNEL_NONE && ev->channel != SMG_CHANNEL_ONSITE &&
            ev->channel != SMG_CHANNEL_PHONE)
            return smgi_err(org, SMG_ERANGE, "%s: column channel: a visit is onsite or phone", w);
        if (ev->outcome != SMG_OUTCOME_NONE && ev->outcome != SMG_OUTCOME_SUCCESS &&
            ev->outcome != SMG_OUTCOME_FAIL)
            return smgi_err(org, SMG_ERANGE, "%s: column outcome: a visit's outcome is success or fail", w);
        flags = (unsigned)ev->channel | (unsigned)ev->outcome << 4;
    }
    if (ev->type == SMG_EV_DEAL) {
        long product = -1;
        if (ev->cost != SMG_MONEY_NONE && ev->cost < 0)
            return smgi_err(org, SMG_ERANGE, "%s: column cost: must not be negative", w);
        if (ev->list_amount != SMG_MONEY_NONE && ev->list_amount < 0)
            return smgi_err(org, SMG_ERANGE, "%s: column list_amount: must not be negative", w);
        long known = smgi_strtab_find_str(&org->deals.ids, ev->ref);
        if (known >= 0 && org->deals.seq[known] != UINT32_MAX)
            return smgi_err(org, SMG_EEXISTS, "%s: column ref: duplicate deal id \"%s\"", w,
                            ev->ref);
        if (ev->product && *ev->product) {
            size_t p;
            if (smgi_strtab_intern(&org->alloc, &org->products, ev->product,
                                   strlen(ev->product), &p, NULL))
                return smgi_err(org, SMG_ENOMEM, "out of memory");
            product = (long)p;
        }
        if (deal_ref(org, ev->ref, &arg))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        org->deals.seq[arg] = (uint32_t)E->count;
        org->deals.event[arg] = (int32_t)E->count;
        org->deals.amount[arg] = amount;
        org->deals.list_amount[arg] = ev->list_amount;
        org->deals.cost[arg] = ev->cost;
        org->deals.product[arg] = (int32_t)product;
    } else if (ev->type == SMG_EV_CLAIM || ev->type == SMG_EV_OVERRIDE) {
        if (deal_ref(org, ev->ref, &arg))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
    } else if (ev->type == SMG_EV_RECEIVABLE) {
        long r = smgi_strtab_find_str(&org->receivables.ids, ev->ref);
        if (r >= 0 && org->receivables.seq[r] != UINT32_MAX)
            return smgi_err(org, SMG_EEXISTS, "%s: column ref: duplicate receivable id \"%s\"",
                            w, ev->ref);
        if (receivable_ref(org, ev->ref, &arg))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        org->receivables.seq[arg] = (uint32_t)E->count;
        org->receivables.event[arg] = (int32_t)E->count;
        org->receivables.amount[arg] = amount;
    } else if (ev->type == SMG_EV_PAYMENT) {
        size_t r;
        if (receivable_ref(org, ev->ref, &r))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        amount_ref = (long)r;
    } else if (ev->type == SMG_EV_REFUND) {
        size_t d;
        if (ev->cost != SMG_MONEY_NONE && ev->cost < 0)
            return smgi_err(org, SMG_ERANGE, "%s: column cost: must not be negative", w);
        if (deal_ref(org, ev->ref, &d))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        amount_ref = (long)d;
    }
    /* payments, expenses, absences, work scores and faults: their arg is their row
     * of org->amounts (the room is made first: nothing half-added) */
    sparse = (need & (NEED_AMOUNT | NEED_VALUE) && ev->type != SMG_EV_DEAL &&
              ev->type != SMG_EV_RECEIVABLE) ||
             ev->type == SMG_EV_FAULT;
    new_run = line_run(&org->event_lines, E->count, org->src_name ? org->cur_line : 0, &delta);
    if ((sparse && amounts_reserve(&org->alloc, &org->amounts)) ||
        events_reserve(&org->alloc, E, E->count + 1) ||
        (new_run && lines_reserve(&org->alloc, &org->event_lines)))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    if (ev->id && *ev->id) {
        /* ids are sparse: a row of org->event_ids for this event */
        smgi_event_ids *I = &org->event_ids;
        smgi_column cols[] = ID_COLUMNS(I);
        size_t row;
        if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &I->cap,
                              I->ids.count + 1) ||
            smgi_strtab_intern(&org->alloc, &I->ids, ev->id, strlen(ev->id), &row, NULL))
            return smgi_err(org, SMG_ENOMEM, "out of memory");
        I->seq[row] = (uint32_t)E->count;
    }
    if (sparse) {
        arg = org->amounts.count++;
        org->amounts.amount[arg] = amount;
        org->amounts.ref[arg] = (int32_t)amount_ref;
        org->amounts.cost[arg] = ev->type == SMG_EV_REFUND ? ev->cost : SMG_MONEY_NONE;
    }
    E->at[E->count] = ev->at;
    E->seq[E->count] = (uint32_t)E->count;
    E->type[E->count] = (uint8_t)ev->type;
    E->flags[E->count] = (uint8_t)flags;
    E->member[E->count] = (int32_t)member;
    E->customer[E->count] = (int32_t)customer;
    E->arg[E->count] = arg == (size_t)-1 ? -1 : (int32_t)arg;
    if (new_run) {
        smgi_event_lines *L = &org->event_lines;
        L->seq[L->count] = (uint32_t)E->count;
        L->delta[L->count++] = delta;
    }
    E->count++;
    return 0;
}

int smg_event_add(smg_org *org, const smg_event *ev)
{
    if (!org)
        return SMG_EINVAL;
    smgi_call_begin(org);
    if (!ev)
        return smgi_call_end(org, smgi_err(org, SMG_EINVAL, "event is NULL"));
    return smgi_call_end(org, event_add(org, ev));
}

size_t smgi_log_lower_bound(const smgi_events *E, smg_time t)
{
    size_t lo = 0, hi = E->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (E->at[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- commit: sort ---- */

/* A deal or receivable (cancelled or not) points at its event's position i. */
static void point_back(smg_org *org, size_t i)
{
    const smgi_events *E = &org->events;
    int t = E->type[i];
    if (t == SMGI_EV_CANCELLED)
        t = smgi_event_type_of(org, i);
    if (t == SMG_EV_DEAL)
        org->deals.event[E->arg[i]] = (int32_t)i;
    else if (t == SMG_EV_RECEIVABLE)
        org->receivables.event[E->arg[i]] = (int32_t)i;
}

/* Reorder every column of E but the times (already in place) so that new
 * position i holds old perm[i] (positions lo.. only). tmp has room for
 * (n - lo) 4-byte values. */
static void permute(smgi_events *E, const uint32_t *perm, size_t lo, size_t n,
                    size_t first_new, void *tmp)
{
    size_t i, m = n - lo;
    /* the reads are random: ask for them ahead so they overlap */
#define P(col, T)                                                   \
    do {                                                            \
        T *t = (T *)tmp;                                            \
        for (i = 0; i < m; i++) {                                   \
            if (i + 16 < m)                                         \
                SMGI_PREFETCH(&E->col[perm[i + 16]]);               \
            t[i] = E->col[perm[i]];                                 \
        }                                                           \
        memcpy(E->col + lo, t, m * sizeof(T));                      \
    } while (0)
    {
        /* a new event's input position is where it stood before the sort:
         * perm[i] itself, no random read */
        uint32_t *s = (uint32_t *)tmp;
        for (i = 0; i < m; i++)
            s[i] = perm[i] >= first_new ? perm[i] : E->seq[perm[i]];
        memcpy(E->seq + lo, s, m * sizeof *s);
    }
    P(type, uint8_t);
    P(flags, uint8_t);
    P(member, int32_t);
    P(customer, int32_t);
    P(arg, int32_t);
#undef P
}

/* Sort the log so that positions lo.. (which hold everything that moved)
 * are in (at, seq) order. Old events [0, first_new) are already sorted.
 * On failure the old events are as they were; the new ones' times may be
 * reordered (the batch is rolled back: they go). */
static int sort_log(smg_org *org, size_t first_new, size_t *moved)
{
    smgi_events *E = &org->events;
    const smg_allocator *a = &org->alloc;
    size_t n = E->count, k = n - first_new, i, lo, j, o;
    uint32_t *idx, *perm;
    smg_time *old = NULL;
    int sorted = 1;
    void *tmp;

    *moved = first_new;
    if (!k)
        return 0;
    for (i = first_new + 1; i < n && sorted; i++)
        sorted = E->at[i - 1] <= E->at[i];
    if (sorted && (first_new == 0 || E->at[first_new - 1] <= E->at[first_new]))
        return 0; /* appended in order: nothing moves */

    /* the new events' times in order, in place; idx says whose they are */
    if (smgi_sort_by_time(a, E->at, first_new, n, &idx))
        return SMG_ENOMEM;
    /* merge: old events before the first new one stay put */
    lo = first_new;
    while (lo > 0 && E->at[lo - 1] > E->at[first_new])
        lo--;
    perm = idx; /* a bulk load (nothing old moves) uses the order as it is */
    if (lo < first_new) {
        perm = smgi_malloc(a, (n - lo) * sizeof *perm);
        old = smgi_malloc(a, (first_new - lo) * sizeof *old);
    }
    tmp = smgi_malloc(a, (n - lo) * sizeof(uint32_t));
    if (!perm || (lo < first_new && !old) || !tmp) {
        if (perm != idx)
            smgi_free(a, perm);
        smgi_free(a, idx);
        smgi_free(a, old);
        smgi_free(a, tmp);
        return SMG_ENOMEM; /* nothing old touched yet */
    }
    if (lo < first_new) {
        /* the old run is copied out; the merged times then fill at[lo..)
         * from the front, never past the next new time to read */
        memcpy(old, E->at + lo, (first_new - lo) * sizeof *old);
        i = lo; /* next old */
        j = 0;  /* next new */
        for (o = lo; o < n; o++) {
            /* old events have smaller seq, so they win ties on time */
            if (j >= k || (i < first_new && old[i - lo] <= E->at[first_new + j])) {
                E->at[o] = old[i - lo];
                perm[o - lo] = (uint32_t)i++;
            } else {
                E->at[o] = E->at[first_new + j];
                perm[o - lo] = idx[j++];
            }
        }
        smgi_free(a, old);
        smgi_free(a, idx);
    }
    permute(E, perm, lo, n, first_new, tmp);
    *moved = lo;
    smgi_free(a, tmp);
    smgi_free(a, perm);
    /* deals and receivables point at their event's position */
    for (i = lo; i < n; i++)
        point_back(org, i);
    return 0;
}

/* Remove the events with seq >= first_new, keeping the order of the rest
 * (undo of a sort whose batch then failed). */
static void drop_new(smg_org *org, size_t first_new)
{
    smgi_events *E = &org->events;
    size_t i, o = 0;
    for (i = 0; i < E->count; i++) {
        if (E->seq[i] >= first_new)
            continue;
        if (o != i) {
            E->at[o] = E->at[i];
            E->seq[o] = E->seq[i];
            E->type[o] = E->type[i];
            E->flags[o] = E->flags[i];
            E->member[o] = E->member[i];
            E->customer[o] = E->customer[i];
            E->arg[o] = E->arg[i];
            point_back(org, o);
        }
        o++;
    }
    E->count = o;
}

/* ---- commit: checks ---- */

static int dates_changed(const smg_org *org)
{
    size_t i;
    for (i = 0; i < org->nundo; i++)
        if (org->undo[i].what == SMGI_UNDO_DATES)
            return 1;
    return 0;
}

/* 0 if event i lies within member m's start and leave dates; else the
 * error, naming the event's column `col` (member or ref). */
static int check_span(smg_org *org, size_t i, int32_t m, const char *col)
{
    const smgi_events *E = &org->events;
    smg_date day = smgi_day_of(E->at[i]);
    smg_date s = org->members.start[m], e = org->members.end[m];
    char w[300], d[16];
    if ((s == SMG_DATE_NONE || day >= s) && (e == SMG_DATE_NONE || day <= e))
        return 0;
    smgi_event_where(org, i, w, sizeof w);
    smg_date_format(d, sizeof d, day);
    if (strcmp(col, "member") == 0)
        return smgi_err(org, SMG_ERULE,
                        "%s: column at: %s is outside member \"%s\"'s start and leave dates", w,
                        d, smgi_strtab_get(&org->members.ids, (size_t)m));
    return smgi_err(org, SMG_ERULE,
                    "%s: column %s: %s is outside member \"%s\"'s start and leave dates", w,
                    col, d, smgi_strtab_get(&org->members.ids, (size_t)m));
}

/* The error for new event i whose deal or receivable (`what` `id`, at
 * position pos) does not exist, comes later, or was cancelled; 0 if none. */
static int check_target(smg_org *org, size_t i, const char *verb, const char *what,
                        const char *id, int32_t pos)
{
    char w[300], c[300];
    const char *why = pos < 0 || (size_t)pos > i ? NULL : "";
    if (why && org->events.type[pos] != SMGI_EV_CANCELLED)
        return 0;
    smgi_event_where(org, i, w, sizeof w);
    if (!why)
        return smgi_err(org, SMG_ERULE, "%s: column ref: %s%s \"%s\" %s", w, verb, what, id,
                        pos < 0 ? "does not exist" : "comes later in time order");
    smgi_event_where(org, (size_t)pos, c, sizeof c);
    return smgi_err(org, SMG_ERULE, "%s: column ref: %s%s \"%s\" (%s) is cancelled", w, verb,
                    what, id, c);
}

static int check_event(smg_org *org, size_t i, size_t first_new)
{
    const smgi_events *E = &org->events;
    char w[300];
    int32_t m = E->member[i];
    int t = E->type[i];
    int rc;
    if (t == SMGI_EV_CANCELLED)
        return 0; /* as if never logged */
    if (m >= 0 && (rc = check_span(org, i, m, "member")))
        return rc;
    /* the receiver of a handover is employed that day too (old events as
     * well: a change of dates re-checks them) */
    if (t == SMG_EV_HANDOVER && E->arg[i] >= 0 && (rc = check_span(org, i, E->arg[i], "ref")))
        return rc;
    if (E->seq[i] < first_new)
        return 0;
    if (t == SMG_EV_FAULT || t == SMG_EV_SUBMIT) {
        int32_t item = smgi_event_item(org, i);
        int role = org->members.role[m];
        if (!(smgi_scorecard_roles(org, (size_t)item) >> role & 1)) {
            smgi_event_where(org, i, w, sizeof w);
            return smgi_err(org, SMG_ERULE,
                            "%s: column ref: scorecard item \"%s\" does not apply to member "
                            "\"%s\" (role %s)",
                            w, smgi_strtab_get(&org->scorecard.ids, (size_t)item),
                            smgi_strtab_get(&org->members.ids, (size_t)m),
                            smg_role_name((smg_role)role));
        }
    } else if (t == SMG_EV_CLAIM || t == SMG_EV_OVERRIDE) {
        if ((rc = check_target(org, i, t == SMG_EV_CLAIM ? "claimed " : "overridden ", "deal",
                               smgi_strtab_get(&org->deals.ids, (size_t)E->arg[i]),
                               org->deals.event[E->arg[i]])))
            return rc;
    } else if (t == SMG_EV_REFUND) {
        int32_t d = smgi_refund_deal(org, i);
        int64_t amount = smgi_event_amount(org, i);
        if ((rc = check_target(org, i, "refunded ", "deal",
                               smgi_strtab_get(&org->deals.ids, (size_t)d),
                               org->deals.event[d])))
            return rc;
        /* refunds are positive: the running total peaks at the end */
        org->deals.refunded[d] += amount;
        if (org->deals.refunded[d] > org->deals.amount[d]) {
            char left[32];
            smgi_event_where(org, i, w, sizeof w);
            smg_money_format(left, sizeof left,
                             org->deals.amount[d] - (org->deals.refunded[d] - amount));
            org->deals.refunded[d] -= amount;
            return smgi_err(org, SMG_ERULE,
                            "%s: column amount: refund exceeds the %s of deal \"%s\" not yet "
                            "refunded",
                            w, left, smgi_strtab_get(&org->deals.ids, (size_t)d));
        }
    } else if (t == SMG_EV_PAYMENT) {
        int32_t r = smgi_payment_receivable(org, i);
        int64_t amount = smgi_event_amount(org, i);
        if ((rc = check_target(org, i, "", "receivable",
                               smgi_strtab_get(&org->receivables.ids, (size_t)r),
                               org->receivables.event[r])))
            return rc;
        /* payments are positive, so the running total peaks at the end:
         * every payment fits its open amount iff the total does */
        org->receivables.paid[r] += amount;
        if (org->receivables.paid[r] > org->receivables.amount[r]) {
            char open[32];
            smgi_event_where(org, i, w, sizeof w);
            smg_money_format(open,
                             sizeof open, org->receivables.amount[r] - (org->receivables.paid[r] - amount));
            org->receivables.paid[r] -= amount;
            return smgi_err(org, SMG_ERULE,
                            "%s: column amount: payment exceeds the %s still open on "
                            "receivable \"%s\"",
                            w, open, smgi_strtab_get(&org->receivables.ids, (size_t)r));
        }
    }
    return 0;
}

/* Recompute what was paid on every receivable and refunded on every deal
 * (after a failed commit), from the events that stand. */
static void recount_paid(smg_org *org)
{
    const smgi_events *E = &org->events;
    size_t i;
    if (org->receivables.ids.count) /* paid may be NULL: no memset(NULL, 0, 0) */
        memset(org->receivables.paid, 0, org->receivables.ids.count * sizeof(smg_money));
    if (org->deals.ids.count)
        memset(org->deals.refunded, 0, org->deals.ids.count * sizeof(smg_money));
    for (i = 0; i < E->count; i++)
        if (E->type[i] == SMG_EV_PAYMENT)
            org->receivables.paid[smgi_payment_receivable(org, i)] += smgi_event_amount(org, i);
        else if (E->type[i] == SMG_EV_REFUND)
            org->deals.refunded[smgi_refund_deal(org, i)] += smgi_event_amount(org, i);
}

/* ---- commit: cancels (RULES.md §8) ---- */

/* Add a row to the cancels, kept sorted by the cancelled event's seq. */
static int cancels_insert(smg_org *org, uint32_t seq, uint32_t by, uint8_t type)
{
    smgi_cancels *c = &org->cancels;
    size_t at;
    if (c->count + 1 > c->cap) {
        smgi_column cols[] = CANCEL_COLUMNS(c);
        if (smgi_columns_grow(&org->alloc, cols, SMGI_NCOLUMNS(cols), &c->cap, c->count + 1))
            return SMG_ENOMEM;
    }
    for (at = c->count; at > 0 && c->seq[at - 1] > seq; at--) {
        c->seq[at] = c->seq[at - 1];
        c->by[at] = c->by[at - 1];
        c->type[at] = c->type[at - 1];
    }
    c->seq[at] = seq;
    c->by[at] = by;
    c->type[at] = type;
    c->count++;
    return 0;
}

/* Take back the cancels made by the batch (cancel input positions >=
 * first_new): the events get their own types again. */
static void unapply_cancels(smg_org *org, size_t first_new)
{
    smgi_events *E = &org->events;
    smgi_cancels *c = &org->cancels;
    size_t i, o = 0;
    int any = 0;
    for (i = 0; i < c->count; i++)
        any |= c->by[i] >= first_new;
    if (!any)
        return;
    for (i = 0; i < E->count; i++)
        if (E->type[i] == SMGI_EV_CANCELLED) {
            long r = cancel_row(c, E->seq[i]);
            if (r >= 0 && c->by[r] >= first_new)
                E->type[i] = c->type[r];
        }
    for (i = 0; i < c->count; i++)
        if (c->by[i] < first_new) {
            c->seq[o] = c->seq[i];
            c->by[o] = c->by[i];
            c->type[o++] = c->type[i];
        }
    c->count = o;
}

static int seq_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* The error for cancel event i, whose target is the event at `pos`. */
static int cancel_error(smg_org *org, size_t i, size_t pos, const char *what)
{
    char w[300], t[300];
    long id = org->events.arg[i];
    smgi_event_where(org, i, w, sizeof w);
    smgi_event_where(org, pos, t, sizeof t);
    return smgi_err(org, SMG_ERULE, "%s: column ref: event \"%s\" (%s) %s", w,
                    smgi_strtab_get(&org->event_ids.ids, (size_t)id), t, what);
}

/* The batch's cancels (input positions >= first_new), in processing order:
 * each cancelled event gets type SMGI_EV_CANCELLED and a row of the
 * cancels; what a cancelled payment or refund counted is taken off. Then
 * the deals and receivables cancelled may keep no claim, override, refund
 * or payment that stands. The first error is returned (every one is
 * recorded); the caller takes the cancels back on failure. */
static int apply_cancels(smg_org *org, size_t first_new)
{
    smgi_events *E = &org->events;
    const smg_allocator *al = &org->alloc;
    size_t i, k = 0, nc = 0, nt = 0;
    uint64_t *tg = NULL;  /* (target seq << 32 | cancel position), sorted */
    uint8_t *dgone = NULL, *rgone = NULL;
    int rc = 0, deps = 0;
    for (i = 0; i < E->count; i++)
        nc += E->type[i] == SMG_EV_CANCEL && E->seq[i] >= first_new;
    if (!nc)
        return 0;
    tg = smgi_malloc(al, nc * sizeof *tg);
    if (!tg)
        return smgi_err(org, SMG_ENOMEM, "out of memory while cancelling events");
    for (i = 0; i < E->count; i++)
        if (E->type[i] == SMG_EV_CANCEL && E->seq[i] >= first_new)
            tg[nt++] = (uint64_t)org->event_ids.seq[E->arg[i]] << 32 | i;
    qsort(tg, nt, sizeof *tg, seq_cmp);
    /* the targets' positions: one scan of the log, a binary search for
     * each event whose seq may be one (most are not) */
    for (i = 0; i < E->count && !rc; i++) {
        uint32_t s = E->seq[i];
        size_t lo = 0, hi = nt;
        if (s < (uint32_t)(tg[0] >> 32) || s > (uint32_t)(tg[nt - 1] >> 32))
            continue;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((uint32_t)(tg[mid] >> 32) < s)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < nt && (uint32_t)(tg[lo] >> 32) == s && !rc; lo++) {
            size_t by = (size_t)(tg[lo] & 0xffffffffu);
            int t = E->type[i];
            long r;
            if (t == SMG_EV_CANCEL) {
                rc = cancel_error(org, by, i, "is a cancel: a cancel cannot be cancelled");
                continue;
            }
            if (t == SMGI_EV_CANCELLED) {
                char b[300], what[340];
                r = cancel_row(&org->cancels, s);
                smgi_event_where_seq(org, r >= 0 ? org->cancels.by[r] : 0, b, sizeof b);
                snprintf(what, sizeof what, "is already cancelled (by %s)", b);
                rc = cancel_error(org, by, i, what);
                continue;
            }
            if (cancels_insert(org, s, E->seq[by], (uint8_t)t)) {
                rc = smgi_err(org, SMG_ENOMEM, "out of memory while cancelling events");
                break;
            }
            E->type[i] = SMGI_EV_CANCELLED;
            if (t == SMG_EV_PAYMENT)
                org->receivables.paid[smgi_payment_receivable(org, i)] -=
                    org->amounts.amount[E->arg[i]]; /* its type is gone already */
            else if (t == SMG_EV_REFUND)
                org->deals.refunded[smgi_refund_deal(org, i)] -= org->amounts.amount[E->arg[i]];
            deps |= t == SMG_EV_DEAL || t == SMG_EV_RECEIVABLE;
            k++;
        }
    }
    smgi_free(al, tg);
    if (rc || !deps)
        return rc;
    /* what still stands on a deal or receivable cancelled now: old events
     * only (a new one is checked against its target by check_event()) */
    dgone = smgi_calloc(al, org->deals.ids.count + 1, 1);
    rgone = smgi_calloc(al, org->receivables.ids.count + 1, 1);
    if (!dgone || !rgone) {
        smgi_free(al, dgone);
        smgi_free(al, rgone);
        return smgi_err(org, SMG_ENOMEM, "out of memory while cancelling events");
    }
    for (i = 0; i < org->deals.ids.count; i++) {
        int32_t p = org->deals.event[i];
        dgone[i] = p >= 0 && E->type[p] == SMGI_EV_CANCELLED;
    }
    for (i = 0; i < org->receivables.ids.count; i++) {
        int32_t p = org->receivables.event[i];
        rgone[i] = p >= 0 && E->type[p] == SMGI_EV_CANCELLED;
    }
    for (i = 0; i < E->count; i++) {
        int t = E->type[i], on;
        const char *kind;
        int32_t p;
        if (E->seq[i] >= first_new)
            continue;
        if (t == SMG_EV_CLAIM || t == SMG_EV_OVERRIDE || t == SMG_EV_REFUND) {
            int32_t d = t == SMG_EV_REFUND ? smgi_refund_deal(org, i) : E->arg[i];
            on = dgone[d];
            p = org->deals.event[d];
            kind = t == SMG_EV_CLAIM ? "claim" : t == SMG_EV_OVERRIDE ? "override" : "refund";
        } else if (t == SMG_EV_PAYMENT) {
            int32_t r = smgi_payment_receivable(org, i);
            on = rgone[r];
            p = org->receivables.event[r];
            kind = "payment";
        } else {
            continue;
        }
        if (on) {
            char w[300], d[300], x[300];
            long cr = cancel_row(&org->cancels, E->seq[p]);
            int r;
            smgi_event_where_seq(org, cr >= 0 ? org->cancels.by[cr] : 0, w, sizeof w);
            smgi_event_where(org, (size_t)p, d, sizeof d);
            smgi_event_where(org, i, x, sizeof x);
            r = smgi_err(org, SMG_ERULE, "%s: cancels %s, whose %s %s still stands: cancel it too",
                         w, d, kind, x);
            if (!rc)
                rc = r;
        }
    }
    smgi_free(al, dgone);
    smgi_free(al, rgone);
    return rc;
}

/* The event types whose place in time is checked against another event,
 * and those checked against the scorecard's items, when new. */
#define ORDERED_TYPES                                                                      \
    ((1u << SMG_EV_CLAIM) | (1u << SMG_EV_OVERRIDE) | (1u << SMG_EV_PAYMENT) |            \
     (1u << SMG_EV_FAULT) | (1u << SMG_EV_SUBMIT) | (1u << SMG_EV_HANDOVER) |             \
     (1u << SMG_EV_REFUND))

/* The checks and the sort of a commit, and the batch's cancels applied;
 * on failure nothing of the batch is left in the log. */
int smgi_events_commit(smg_org *org, size_t first_new)
{
    smgi_events *E = &org->events;
    struct span {
        smg_time from, until;
    } *bounds;
    size_t i, lo, nm = org->members.ids.count;
    unsigned recheck = 0; /* types checked again whatever their age */
    int rc = 0;

    rc = sort_log(org, first_new, &lo);
    if (rc)
        return smgi_err(org, rc, "out of memory while sorting the event log");
    if ((rc = apply_cancels(org, first_new)))
        goto failed;
    /* a changed start or leave date re-checks the whole log, and the
     * receivers of the handovers */
    if (dates_changed(org)) {
        lo = 0;
        recheck = 1u << SMG_EV_HANDOVER;
    }
    /* each member's dates as times [from, until); row 0 is "no member" */
    bounds = smgi_malloc(&org->alloc, (nm + 1) * sizeof *bounds);
    if (!bounds) {
        rc = smgi_err(org, SMG_ENOMEM, "out of memory while checking the event log");
        goto failed;
    }
    bounds[0].from = INT64_MIN;
    bounds[0].until = INT64_MAX;
    for (i = 0; i < nm; i++) {
        smg_date s = org->members.start[i], e = org->members.end[i];
        bounds[i + 1].from = s == SMG_DATE_NONE ? INT64_MIN : (smg_time)s * 86400;
        bounds[i + 1].until = e == SMG_DATE_NONE ? INT64_MAX : ((smg_time)e + 1) * 86400;
    }
    for (i = lo; i < E->count; i++) {
        /* the common case without a branch on its parts: inside the
         * member's dates, and not a new event whose order matters;
         * check_event() says what is wrong */
        const struct span *b = &bounds[E->member[i] + 1];
        smg_time at = E->at[i];
        unsigned t = E->type[i];
        int r;
        if (!((at < b->from) | (at >= b->until) |
              (((ORDERED_TYPES >> t) & 1) & (E->seq[i] >= first_new)) | ((recheck >> t) & 1)))
            continue;
        r = check_event(org, i, first_new);
        if (r && !rc)
            rc = r;
        /* on past max_errors: the org counts the errors it does not keep */
    }
    smgi_free(&org->alloc, bounds);
failed:
    if (rc) {
        unapply_cancels(org, first_new);
        drop_new(org, first_new);
        recount_paid(org);
    }
    return rc;
}

int smgi_events_check(smg_org *org, size_t first_new)
{
    int rc = smgi_events_commit(org, first_new);
    if (!rc) {
        /* the checks passed and sorted the new events in: take them out */
        unapply_cancels(org, first_new);
        drop_new(org, first_new);
        recount_paid(org);
    }
    return rc;
}

/* ---- the log reader ---- */

static const smgi_field event_fields[] = {
    { "seq", SMG_TYPE_INT },
    { "id", SMG_TYPE_TEXT },
    { "type", SMG_TYPE_ENUM },
    { "at", SMG_TYPE_TIME },
    { "member", SMG_TYPE_INDEX },
    { "customer", SMG_TYPE_INDEX },
    { "ref", SMG_TYPE_TEXT },
    { "amount", SMG_TYPE_MONEY },
    { "list_amount", SMG_TYPE_MONEY },
    { "cost", SMG_TYPE_MONEY },
    { "product", SMG_TYPE_TEXT },
    { "channel", SMG_TYPE_ENUM },
    { "outcome", SMG_TYPE_ENUM },
    { "value", SMG_TYPE_INT },
    { "line", SMG_TYPE_INT },
    { "cancelled_by", SMG_TYPE_INT },
};

static size_t event_count(const void *o)
{
    const smg_org *org = o;
    /* inside a batch, the staged events stand unsorted past the mark */
    return org->in_batch ? org->mark.events : org->events.count;
}

/* The deal, receivable or amount figure of event i (of own type t) for
 * field f, or null. */
static void event_money(const smg_org *org, size_t i, int t, smg_event_field f, smgi_value *v)
{
    const smgi_events *E = &org->events;
    int64_t x = SMG_MONEY_NONE;
    if (t == SMG_EV_DEAL) {
        const smgi_deals *d = &org->deals;
        x = f == SMG_EVENT_AMOUNT        ? d->amount[E->arg[i]]
            : f == SMG_EVENT_LIST_AMOUNT ? d->list_amount[E->arg[i]]
                                         : d->cost[E->arg[i]];
    } else if (t == SMG_EV_RECEIVABLE) {
        x = f == SMG_EVENT_AMOUNT ? org->receivables.amount[E->arg[i]] : SMG_MONEY_NONE;
    } else if (f == SMG_EVENT_AMOUNT && (t == SMG_EV_PAYMENT || t == SMG_EV_EXPENSE ||
                                         t == SMG_EV_REFUND)) {
        x = org->amounts.amount[E->arg[i]];
    } else if (f == SMG_EVENT_COST && t == SMG_EV_REFUND) {
        x = org->amounts.cost[E->arg[i]];
    }
    smgi_value_or_none(v, x, SMG_MONEY_NONE);
}

static void event_value(const void *o, size_t i, int f, smgi_value *v)
{
    const smg_org *org = o;
    const smgi_events *E = &org->events;
    int t = (int)smgi_event_type_of(org, i);
    switch ((smg_event_field)f) {
    case SMG_EVENT_SEQ: smgi_value_num(v, E->seq[i], 0); break;
    case SMG_EVENT_ID: {
        long r = id_row(&org->event_ids, E->seq[i]);
        smgi_value_text(v, r < 0 ? NULL : smgi_strtab_get(&org->event_ids.ids, (size_t)r));
        break;
    }
    case SMG_EVENT_TYPE: smgi_value_num(v, t, 0); break;
    case SMG_EVENT_AT: smgi_value_num(v, E->at[i], 0); break;
    case SMG_EVENT_MEMBER: smgi_value_index(v, E->member[i]); break;
    case SMG_EVENT_CUSTOMER: smgi_value_index(v, E->customer[i]); break;
    case SMG_EVENT_REF: {
        const char *ref = NULL;
        if (t == SMG_EV_DEAL || t == SMG_EV_CLAIM || t == SMG_EV_OVERRIDE)
            ref = smgi_strtab_get(&org->deals.ids, (size_t)E->arg[i]);
        else if (t == SMG_EV_RECEIVABLE)
            ref = smgi_strtab_get(&org->receivables.ids, (size_t)E->arg[i]);
        else if (t == SMG_EV_PAYMENT)
            ref = smgi_strtab_get(&org->receivables.ids,
                                  (size_t)smgi_payment_receivable(org, i));
        else if (t == SMG_EV_REFUND)
            ref = smgi_strtab_get(&org->deals.ids, (size_t)smgi_refund_deal(org, i));
        else if (t == SMG_EV_TRANSFER)
            ref = smgi_strtab_get(&org->teams.ids, (size_t)E->arg[i]);
        else if (t == SMG_EV_CANCEL)
            ref = smgi_strtab_get(&org->event_ids.ids, (size_t)E->arg[i]);
        else if (t == SMG_EV_FAULT || t == SMG_EV_SUBMIT)
            ref = smgi_strtab_get(&org->scorecard.ids, (size_t)smgi_event_item(org, i));
        else if (t == SMG_EV_HANDOVER && E->arg[i] >= 0)
            ref = smgi_strtab_get(&org->members.ids, (size_t)E->arg[i]);
        else if (t == SMG_EV_LINK)
            ref = smgi_strtab_get(&org->customers.ids, (size_t)E->arg[i]);
        smgi_value_text(v, ref);
        break;
    }
    case SMG_EVENT_AMOUNT:
    case SMG_EVENT_LIST_AMOUNT:
    case SMG_EVENT_COST: event_money(org, i, t, (smg_event_field)f, v); break;
    case SMG_EVENT_PRODUCT: {
        int32_t p = t == SMG_EV_DEAL ? org->deals.product[E->arg[i]] : -1;
        smgi_value_text(v, p < 0 ? NULL : smgi_strtab_get(&org->products, (size_t)p));
        break;
    }
    case SMG_EVENT_CHANNEL: smgi_value_num(v, SMGI_CHANNEL(E->flags[i]), 0); break;
    case SMG_EVENT_OUTCOME: smgi_value_num(v, SMGI_OUTCOME(E->flags[i]), 0); break;
    case SMG_EVENT_VALUE:
        if (t == SMG_EV_ABSENCE || t == SMG_EV_WORK_SCORE || t == SMG_EV_FAULT)
            smgi_value_num(v, org->amounts.amount[E->arg[i]], 0);
        else
            smgi_value_num(v, 0, 1);
        break;
    case SMG_EVENT_LINE: {
        int64_t line = smgi_event_line(&org->event_lines, E->seq[i]);
        smgi_value_num(v, line, line <= 0);
        break;
    }
    case SMG_EVENT_CANCELLED_BY: {
        long r = E->type[i] == SMGI_EV_CANCELLED ? cancel_row(&org->cancels, E->seq[i]) : -1;
        smgi_value_num(v, r < 0 ? 0 : org->cancels.by[r], r < 0);
        break;
    }
    }
}

static const smgi_table event_table = SMGI_TABLE(event_fields, event_count, NULL, event_value);

/* The public table getters, one line each (fields.h): smg_event_count,
 * smg_event_field_name, smg_event_field_type and the typed getters below. */
SMGI_TABLE_META(smg_event, smg_org, smg_event_field, event_table)
SMGI_TABLE_GET(smg_event, index, size_t, smg_org, smg_event_field, event_table)
SMGI_TABLE_GET(smg_event, int, int64_t, smg_org, smg_event_field, event_table)
SMGI_TABLE_GET(smg_event, text, const char *, smg_org, smg_event_field, event_table)

/* The log position of input position seq (< the committed count): a scan. */
static size_t position_of(const smgi_events *E, size_t n, uint32_t seq)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (E->seq[i] == seq)
            break;
    return i;
}

int smg_event_find(const smg_org *org, const char *id, size_t *pos)
{
    long r;
    size_t n = smg_event_count(org), i;
    if (!org || !id || !pos)
        return SMG_EINVAL;
    r = smgi_strtab_find_str(&org->event_ids.ids, id);
    /* an id staged in an open batch is not in the committed log yet */
    if (r < 0 || org->event_ids.seq[r] >= n)
        return SMG_ENOTFOUND;
    i = position_of(&org->events, n, org->event_ids.seq[r]);
    if (i >= n)
        return SMG_ENOTFOUND;
    *pos = i;
    return 0;
}

int smg_event_position(const smg_org *org, size_t seq, size_t *pos)
{
    size_t n = smg_event_count(org), i;
    if (!org || !pos || seq >= n)
        return SMG_EINVAL;
    /* the committed input positions are exactly 0 .. n-1 */
    i = position_of(&org->events, n, (uint32_t)seq);
    if (i >= n)
        return SMG_EINVAL;
    *pos = i;
    return 0;
}
