/* The root handle: creation, errors, and the all-or-nothing batch that
 * wraps every change. */
#include "org.h"

#include <stdio.h>
#include <string.h>

#include "commission.h"
#include "events.h"
#include "model.h"
#include "scorecard.h"
#include "targets.h"

int smg_version(void)
{
    return SMG_VERSION_NUMBER;
}

const char *smg_version_string(void)
{
    return SMG_VERSION_STRING;
}

const char *smg_strerror(int status)
{
    switch (status) {
    case SMG_OK: return "ok";
    case SMG_EINVAL: return "invalid argument";
    case SMG_ENOMEM: return "out of memory";
    case SMG_ENOTFOUND: return "not found";
    case SMG_EEXISTS: return "already exists";
    case SMG_ERANGE: return "value out of range";
    case SMG_EPARSE: return "parse error";
    case SMG_EIO: return "I/O error";
    case SMG_ESTATE: return "invalid state";
    case SMG_ERULE: return "business rule violated";
    case SMG_EACCESS: return "access denied";
    case SMG_EVERSION: return "unknown version";
    case SMG_EDATA: return "data errors";
    default: return "unknown status";
    }
}

int smg_org_options_init(smg_org_options *opts, unsigned version)
{
    smg_org_options init = SMG_ORG_OPTIONS_INIT;
    if (!opts)
        return SMG_EINVAL;
    if (version != SMG_ORG_OPTIONS_VERSION)
        return SMG_EVERSION;
    *opts = init;
    return 0;
}

int smg_org_new(smg_org **out, const smg_org_options *opts)
{
    smg_allocator a = { 0, 0, 0, 0 };
    smg_org *org;
    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if (opts) {
        if (opts->version != SMG_ORG_OPTIONS_VERSION)
            return SMG_EVERSION;
        a = opts->allocator;
        if ((a.malloc_fn || a.realloc_fn || a.free_fn) &&
            !(a.malloc_fn && a.realloc_fn && a.free_fn))
            return SMG_EINVAL;
    }
    org = smgi_calloc(&a, 1, sizeof *org);
    if (!org)
        return SMG_ENOMEM;
    org->alloc = a;
    org->max_errors = opts && opts->max_errors ? opts->max_errors : 100;
    smgi_policy_defaults(&org->policy);
    *out = org;
    return 0;
}

void smg_org_free(smg_org *org)
{
    smg_allocator a;
    if (!org)
        return;
    a = org->alloc;
    smgi_err_clear(org);
    smgi_free(&a, org->errs);
    smgi_policy_free(&a, &org->policy);
    smgi_teams_free(&a, &org->teams);
    smgi_members_free(&a, &org->members);
    smgi_customers_free(&a, &org->customers);
    smgi_strtab_free(&a, &org->products);
    smgi_deals_free(&a, &org->deals);
    smgi_receivables_free(&a, &org->receivables);
    smgi_amounts_free(&a, &org->amounts);
    smgi_events_free(&a, &org->events);
    smgi_event_ids_free(&a, &org->event_ids);
    smgi_targets_free(&a, &org->targets);
    smgi_profiles_free(&a, &org->profiles);
    smgi_commission_free(&a, &org->commission);
    smgi_scorecard_free(&a, &org->scorecard);
    smgi_free(&a, org->undo);
    smgi_free(&a, org->src_line);
    smgi_free(&a, org);
}

/* ---- errors ---- */

int smgi_query_begin(smg_org *org)
{
    if (org->in_batch)
        return SMG_ESTATE; /* nothing recorded: the batch's errors are its commit's */
    smgi_err_clear(org);
    return 0;
}

void smgi_err_clear(smg_org *org)
{
    size_t i;
    for (i = 0; i < org->nerrs; i++)
        smgi_free(&org->alloc, org->errs[i]);
    org->nerrs = 0;
    org->errs_dropped = 0;
    org->first_status = 0;
}

int smgi_err(smg_org *org, int status, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    int n;
    if (org->nerrs == 0)
        org->first_status = status;
    if (org->nerrs >= org->max_errors) {
        org->errs_dropped++;
        return status;
    }
    if (SMGI_GROW(&org->alloc, org->errs, org->errs_cap, org->nerrs + 1))
        return status;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return status;
    msg = smgi_malloc(&org->alloc, (size_t)n + 1);
    if (!msg)
        return status;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    org->errs[org->nerrs++] = msg;
    return status;
}

void smgi_err_prefix(smg_org *org, size_t from, const char *prefix)
{
    size_t i, pn = strlen(prefix);
    for (i = from; i < org->nerrs; i++) {
        size_t n = strlen(org->errs[i]);
        char *m = smgi_malloc(&org->alloc, pn + n + 1);
        if (!m)
            return; /* keep the message without its place */
        memcpy(m, prefix, pn);
        memcpy(m + pn, org->errs[i], n + 1);
        smgi_free(&org->alloc, org->errs[i]);
        org->errs[i] = m;
    }
}

const char *smg_org_errmsg(const smg_org *org)
{
    if (!org)
        return "no organisation handle";
    return org->nerrs ? org->errs[0] : "";
}

size_t smg_org_error_count(const smg_org *org)
{
    return org ? org->nerrs : 0;
}

const char *smg_org_error(const smg_org *org, size_t i)
{
    return org && i < org->nerrs ? org->errs[i] : NULL;
}

int smgi_check_id(smg_org *org, const char *what, const char *s)
{
    size_t n;
    if (!s || !*s)
        return smgi_err(org, SMG_EINVAL, "%s id is empty", what);
    for (n = 0; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
            return smgi_err(org, SMG_EINVAL, "%s id \"%.64s\" has a control character",
                            what, s);
    if (n > 64)
        return smgi_err(org, SMG_EINVAL, "%s id \"%.64s...\" is longer than 64 bytes",
                        what, s);
    return 0;
}

/* ---- batches ---- */

static void mark_now(smg_org *org, smgi_mark *m)
{
    m->teams = org->teams.ids.count;
    m->members = org->members.ids.count;
    m->customers = org->customers.ids.count;
    m->keys = org->customers.keys.count;
    m->phone_keys = org->customers.phone_keys.count;
    m->products = org->products.count;
    m->deals = org->deals.ids.count;
    m->receivables = org->receivables.ids.count;
    m->amounts = org->amounts.count;
    m->events = org->events.count;
    m->event_ids = org->event_ids.ids.count;
    m->undo = org->nundo;
    m->targets = org->targets.count;
    m->profiles = org->profiles.names.count;
    m->commission = org->commission.count;
    m->scorecard = org->scorecard.ids.count;
}

static void begin(smg_org *org)
{
    org->in_batch = 1;
    org->batch_failed = 0;
    org->nundo = 0;
    mark_now(org, &org->mark);
}

int smg_batch_begin(smg_org *org)
{
    if (!org)
        return SMG_EINVAL;
    /* misuse inside a batch must not disturb that batch's error list */
    if (org->in_batch)
        return SMG_ESTATE;
    smgi_err_clear(org);
    begin(org);
    return 0;
}

static void truncate_all(smg_org *org, const smgi_mark *m)
{
    const smg_allocator *a = &org->alloc;
    smgi_strtab_truncate(a, &org->teams.ids, m->teams);
    smgi_strtab_truncate(a, &org->teams.names, m->teams);
    smgi_strtab_truncate(a, &org->members.ids, m->members);
    smgi_strtab_truncate(a, &org->members.names, m->members);
    smgi_strtab_truncate(a, &org->customers.ids, m->customers);
    smgi_strtab_truncate(a, &org->customers.names, m->customers);
    smgi_strtab_truncate(a, &org->customers.phones, m->customers);
    smgi_strtab_truncate(a, &org->customers.keys, m->keys);
    smgi_strtab_truncate(a, &org->customers.phone_keys, m->phone_keys);
    smgi_strtab_truncate(a, &org->products, m->products);
    smgi_strtab_truncate(a, &org->deals.ids, m->deals);
    smgi_strtab_truncate(a, &org->receivables.ids, m->receivables);
    smgi_events_truncate(&org->events, m->events);
    smgi_event_ids_truncate(a, &org->event_ids, m->event_ids);
    if (org->amounts.count > m->amounts)
        org->amounts.count = m->amounts;
    if (org->targets.count > m->targets)
        org->targets.count = m->targets;
    smgi_strtab_truncate(a, &org->profiles.names, m->profiles);
    if (org->commission.count > m->commission)
        org->commission.count = m->commission;
    smgi_scorecard_truncate(a, &org->scorecard, m->scorecard);
}

/* Undo in-place changes to rows that existed before the batch, newest first. */
static void undo_all(smg_org *org)
{
    while (org->nundo > 0) {
        smgi_undo *u = &org->undo[--org->nundo];
        switch (u->what) {
        case SMGI_UNDO_LEADER:
            org->teams.leader[u->index] = (int32_t)u->a;
            break;
        case SMGI_UNDO_DATES:
            org->members.start[u->index] = (smg_date)u->a;
            org->members.end[u->index] = (smg_date)u->b;
            break;
        case SMGI_UNDO_PAY:
            org->members.pay_total[u->index] = u->a;
            break;
        }
    }
}

int smgi_undo_push(smg_org *org, int what, size_t index, int64_t a, int64_t b)
{
    /* rows added in this batch vanish on rollback: nothing to remember */
    if ((what == SMGI_UNDO_LEADER && index >= org->mark.teams) ||
        (what != SMGI_UNDO_LEADER && index >= org->mark.members))
        return 0;
    if (SMGI_GROW(&org->alloc, org->undo, org->undo_cap, org->nundo + 1))
        return SMG_ENOMEM;
    org->undo[org->nundo].what = what;
    org->undo[org->nundo].index = index;
    org->undo[org->nundo].a = a;
    org->undo[org->nundo].b = b;
    org->nundo++;
    return 0;
}

static void end_batch(smg_org *org)
{
    org->in_batch = 0;
    org->auto_batch = 0;
    org->batch_failed = 0;
    org->nundo = 0;
    org->src_name = NULL;
}

void smg_batch_rollback(smg_org *org)
{
    if (!org || !org->in_batch)
        return;
    undo_all(org);
    truncate_all(org, &org->mark);
    end_batch(org);
}

int smg_batch_commit(smg_org *org)
{
    int rc;
    if (!org)
        return SMG_EINVAL;
    if (!org->in_batch)
        return smgi_err(org, SMG_ESTATE, "no batch is open");
    if (org->batch_failed || org->nerrs) {
        rc = org->nerrs > 1 ? SMG_EDATA : (org->first_status ? org->first_status : SMG_EINVAL);
        smg_batch_rollback(org);
        return rc;
    }
    rc = smgi_targets_commit(org);
    if (!rc)
        rc = smgi_scorecard_commit(org);
    if (!rc)
        rc = smgi_events_commit(org, org->mark.events);
    if (rc) {
        if (org->nerrs > 1)
            rc = SMG_EDATA;
        smg_batch_rollback(org);
        return rc;
    }
    org->generation++;
    end_batch(org);
    return 0;
}

int smgi_call_begin(smg_org *org)
{
    if (!org->in_batch) {
        smgi_err_clear(org);
        begin(org);
        org->auto_batch = 1;
    }
    return 0;
}

int smgi_call_end(smg_org *org, int rc)
{
    if (rc)
        org->batch_failed = 1;
    if (!org->auto_batch)
        return rc;
    if (rc) {
        smg_batch_rollback(org);
        return rc;
    }
    return smg_batch_commit(org);
}

void smgi_event_where(const smg_org *org, size_t i, char *buf, size_t len)
{
    smgi_event_where_seq(org, org->events.seq[i], buf, len);
}

void smgi_event_where_seq(const smg_org *org, size_t seq, char *buf, size_t len)
{
    if (org->in_batch && org->src_name && org->src_line && seq >= org->mark.events)
        snprintf(buf, len, "%s:%lu", org->src_name,
                 (unsigned long)org->src_line[seq - org->mark.events]);
    else
        snprintf(buf, len, "event #%lu", (unsigned long)seq);
}

size_t smg_org_count(const smg_org *org, smg_count what)
{
    if (!org)
        return 0;
    switch (what) {
    case SMG_COUNT_TEAMS: return org->teams.ids.count;
    case SMG_COUNT_MEMBERS: return org->members.ids.count;
    case SMG_COUNT_CUSTOMERS: return org->customers.ids.count;
    case SMG_COUNT_EVENTS: return org->events.count;
    case SMG_COUNT_DEALS: return org->deals.ids.count;
    case SMG_COUNT_RECEIVABLES: return org->receivables.ids.count;
    case SMG_COUNT_KEYS: return org->customers.keys.count;
    case SMG_COUNT_PRODUCTS: return org->products.count;
    case SMG_COUNT_TARGETS: return org->targets.count;
    case SMG_COUNT_PROFILES: return org->profiles.names.count;
    case SMG_COUNT_COMMISSION_ROWS: return org->commission.count;
    case SMG_COUNT_SCORECARD_ITEMS: return org->scorecard.ids.count;
    }
    return 0;
}
