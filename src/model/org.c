/* The root handle: creation, errors, and the all-or-nothing batch that
 * wraps every change. */
#include "org.h"

#include <stdio.h>
#include <string.h>

#include "commission.h"
#include "events.h"
#include "fields.h"
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
    smgi_free(&a, org->places);
    smgi_loaded_clear(org);
    smgi_free(&a, org->warns);
    smgi_strtab_free(&a, &org->loaded.text);
    smgi_free(&a, org->loaded.rows);
    smgi_event_lines_free(&a, &org->event_lines);
    smgi_cancels_free(&a, &org->cancels);
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
    org->failed = 0;
    org->errs_bytes = 0;
}

/* Length of the valid UTF-8 sequence at p[0..n) (2-4), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t k, i;
    unsigned lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        k = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        k = 3;
        if (p[0] == 0xE0)
            lo = 0xA0;
        else if (p[0] == 0xED)
            hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        k = 4;
        if (p[0] == 0xF0)
            lo = 0x90;
        else if (p[0] == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < k || p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

size_t smgi_msg_clean(const char *msg, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef", more[] = "\xe2\x80\xa6";
    const unsigned char *p = (const unsigned char *)msg;
    size_t i = 0, o = 0, qlen = 0;
    int inq = 0, cut = 0;
    while (i < n) {
        unsigned char b = p[i];
        char esc[4];
        size_t k = 1, e = 0;
        if (b == '"') {
            inq = !inq;
            qlen = 0;
            cut = 0;
        } else if (cut) {
            i++; /* the rest of a long quoted value */
            continue;
        }
        if (b < 0x20 || b == 0x7f) {
            esc[0] = '\\';
            if (b == '\n' || b == '\r' || b == '\t') {
                esc[1] = b == '\n' ? 'n' : b == '\r' ? 'r' : 't';
                e = 2;
            } else {
                esc[1] = 'x';
                esc[2] = hex[b >> 4];
                esc[3] = hex[b & 15];
                e = 4;
            }
        } else if (b >= 0x80 && (k = utf8_len(p + i, n - i)) == 0) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[b >> 4];
            esc[3] = hex[b & 15];
            e = 4;
            k = 1;
        }
        if (inq && b != '"' && qlen + (e ? e : k) > SMGI_MSG_QUOTE_MAX) {
            memcpy(out + o, more, 3);
            o += 3;
            cut = 1;
            i += k;
            continue;
        }
        if (o + (e ? e : k) > SMGI_MSG_MAX) {
            memcpy(out + o, more, 3);
            o += 3;
            break;
        }
        if (e) {
            memcpy(out + o, esc, e);
            o += e;
        } else {
            memcpy(out + o, msg + i, k);
            o += k;
        }
        if (inq && b != '"')
            qlen += e ? e : k;
        i += k;
    }
    out[o] = '\0';
    return o;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 if m[0..n) names a file: "events.csv", "policy.conf", a path to one. */
static int file_like(const char *m, size_t n)
{
    static const char *const ext[] = { ".csv", ".conf" };
    size_t k, e, j;
    for (k = 0; k < 2; k++) {
        e = strlen(ext[k]);
        if (n <= e)
            continue;
        for (j = 0; j < e; j++)
            if ((m[n - e + j] | 0x20) != ext[k][j])
                break;
        if (j == e)
            return 1;
    }
    return 0;
}

/* Where message m (n bytes) points: "FILE:LINE: ", "FILE: " (a file name)
 * or "event #N: ", then "column COL: ", then what was wrong. Offsets of
 * FILE and COL are into m here; the caller copies them after m. */
static void parse_place(const char *m, size_t n, size_t *file, size_t *file_len,
                        size_t *col, size_t *col_len, size_t *what, int64_t *line)
{
    size_t p = 0, i, rest = 0;
    *file = *col = SIZE_MAX;
    *file_len = *col_len = 0;
    *line = 0;
    *what = 0;
    if (strncmp(m, "event #", 7) == 0) {
        for (p = 7; p < n && is_digit(m[p]); p++)
            ;
        if (p > 7 && p + 1 < n && m[p] == ':' && m[p + 1] == ' ')
            rest = p + 2;
    } else {
        for (p = 0; p < n && m[p] != ':' && m[p] != '\n' && m[p] != '"'; p++)
            ;
        if (p > 0 && p < n && m[p] == ':') {
            int64_t v = 0;
            for (i = p + 1; i < n && is_digit(m[i]) && v < INT64_MAX / 10 - 10; i++)
                v = v * 10 + (m[i] - '0');
            if (i > p + 1 && i + 1 < n && m[i] == ':' && m[i + 1] == ' ' && v > 0) {
                *file = 0;
                *file_len = p;
                *line = v;
                rest = i + 2;
            } else if (p + 1 < n && m[p + 1] == ' ' && file_like(m, p)) {
                *file = 0;
                *file_len = p;
                rest = p + 2;
            }
        }
    }
    *what = rest;
    if (n - rest > 7 && strncmp(m + rest, "column ", 7) == 0) {
        const char *c = m + rest + 7, *e = strstr(c, ": ");
        if (e && e > c && !memchr(c, '\n', (size_t)(e - c))) {
            *col = rest + 7;
            *col_len = (size_t)(e - c);
            *what = (size_t)(e - m) + 2;
        }
    }
}

/* The block of one error: msg (n bytes), NUL, then copies of its FILE and
 * COL, NUL-terminated; *pl says where. NULL when out of memory. */
static char *error_entry(smg_org *org, const char *msg, size_t n, smgi_errplace *pl)
{
    size_t file, flen, col, clen, what, o;
    int64_t line;
    char *b;
    parse_place(msg, n, &file, &flen, &col, &clen, &what, &line);
    b = smgi_malloc(&org->alloc, n + flen + clen + 3);
    if (!b)
        return NULL;
    memcpy(b, msg, n);
    b[n] = '\0';
    o = n + 1;
    pl->file = pl->column = SMGI_ERRPLACE_NONE;
    if (file != SIZE_MAX) {
        memcpy(b + o, msg + file, flen);
        b[o + flen] = '\0';
        pl->file = (uint32_t)o;
        o += flen + 1;
    }
    if (col != SIZE_MAX) {
        memcpy(b + o, msg + col, clen);
        b[o + clen] = '\0';
        pl->column = (uint32_t)o;
    }
    pl->what = (uint32_t)what;
    pl->line = line;
    return b;
}

/* A message that could not be kept (no memory for it, or past the total
 * of SMGI_ERRS_MAX_BYTES) is still counted: the list then ends with "...
 * and N more errors", so a failed call never leaves the org without an
 * error. */
static int err_lost(smg_org *org, int status)
{
    org->errs_dropped++;
    snprintf(org->more_msg, sizeof org->more_msg, "\xe2\x80\xa6 and %lu more error%s",
             (unsigned long)org->errs_dropped, org->errs_dropped == 1 ? "" : "s");
    return status;
}

int smgi_err(smg_org *org, int status, const char *fmt, ...)
{
    va_list ap;
    char *msg, *entry;
    int n;
    if (!org->failed || !org->first_status)
        org->first_status = status ? status : SMG_EINVAL;
    org->failed = 1;
    if (org->nerrs >= org->max_errors) {
        /* kept: how many more there were (the list's closing line) */
        org->errs_dropped++;
        snprintf(org->more_msg, sizeof org->more_msg, "\xe2\x80\xa6 and %lu more error%s",
                 (unsigned long)org->errs_dropped, org->errs_dropped == 1 ? "" : "s");
        return status;
    }
    if (SMGI_GROW(&org->alloc, org->errs, org->errs_cap, org->nerrs + 1))
        return err_lost(org, status);
    if (org->nerrs + 1 > org->places_cap &&
        SMGI_GROW(&org->alloc, org->places, org->places_cap, org->errs_cap))
        return err_lost(org, status);
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (unsigned)n > UINT32_MAX / 2)
        return err_lost(org, status);
    msg = smgi_malloc(&org->alloc, (size_t)n + 1);
    if (!msg)
        return err_lost(org, status);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    {
        char clean[SMGI_MSG_MAX + 16];
        size_t c = smgi_msg_clean(msg, (size_t)n, clean);
        smgi_free(&org->alloc, msg);
        if (org->errs_bytes + c > SMGI_ERRS_MAX_BYTES)
            return err_lost(org, status); /* the total kept is capped too */
        entry = error_entry(org, clean, c, &org->places[org->nerrs]);
        if (!entry)
            return err_lost(org, status);
        org->errs_bytes += c;
    }
    org->errs[org->nerrs++] = entry;
    return status;
}

void smgi_err_prefix(smg_org *org, size_t from, const char *prefix)
{
    size_t i, pn = strlen(prefix);
    for (i = from; i < org->nerrs; i++) {
        size_t n = strlen(org->errs[i]);
        char *m = smgi_malloc(&org->alloc, pn + n + 1), *entry;
        smgi_errplace pl;
        if (!m)
            return; /* keep the message without its place */
        memcpy(m, prefix, pn);
        memcpy(m + pn, org->errs[i], n + 1);
        entry = error_entry(org, m, pn + n, &pl);
        smgi_free(&org->alloc, m);
        if (!entry)
            return;
        smgi_free(&org->alloc, org->errs[i]);
        org->errs[i] = entry;
        org->places[i] = pl;
    }
}

const char *smg_org_errmsg(const smg_org *org)
{
    if (!org)
        return "no organisation handle";
    if (org->nerrs)
        return org->errs[0];
    if (org->errs_dropped) /* every message was lost: say what failed */
        return org->first_status == SMG_ENOMEM ? "out of memory" : org->more_msg;
    return "";
}

static size_t error_rows(const void *o)
{
    const smg_org *org = o;
    return org->nerrs + (org->errs_dropped > 0);
}

size_t smg_org_error_count(const smg_org *org)
{
    return org ? error_rows(org) : 0;
}

const char *smg_org_error(const smg_org *org, size_t i)
{
    if (!org)
        return NULL;
    if (i < org->nerrs)
        return org->errs[i];
    return i == org->nerrs && org->errs_dropped ? org->more_msg : NULL;
}

static const smgi_field error_fields[] = {
    { "file", SMG_TYPE_TEXT },
    { "line", SMG_TYPE_INT },
    { "column", SMG_TYPE_TEXT },
    { "message", SMG_TYPE_TEXT },
    { "more", SMG_TYPE_INT },
};

static void error_value(const void *o, size_t i, int f, smgi_value *v)
{
    const smg_org *org = o;
    const smgi_errplace *pl = i < org->nerrs ? &org->places[i] : NULL;
    const char *e = i < org->nerrs ? org->errs[i] : org->more_msg;
    switch ((smg_org_error_field)f) {
    case SMG_ORG_ERROR_FILE:
        smgi_value_text(v, pl && pl->file != SMGI_ERRPLACE_NONE ? e + pl->file : NULL);
        break;
    case SMG_ORG_ERROR_LINE: smgi_value_num(v, pl ? pl->line : 0, !pl || !pl->line); break;
    case SMG_ORG_ERROR_COLUMN:
        smgi_value_text(v, pl && pl->column != SMGI_ERRPLACE_NONE ? e + pl->column : NULL);
        break;
    case SMG_ORG_ERROR_MESSAGE:
        smgi_value_text(v, pl ? e + pl->what : e);
        if (v->is_null) { /* a message is never null, even an empty one */
            v->is_null = 0;
            v->text = "";
        }
        break;
    case SMG_ORG_ERROR_MORE:
        smgi_value_num(v, (int64_t)org->errs_dropped, pl != NULL);
        break;
    }
}

static const smgi_table error_table = SMGI_TABLE(error_fields, error_rows, NULL, error_value);

const char *smg_org_error_field_name(smg_org_error_field f)
{
    return smgi_table_field_name(&error_table, (int)f);
}

smg_type smg_org_error_field_type(smg_org_error_field f)
{
    return smgi_table_field_type(&error_table, (int)f);
}

SMGI_TABLE_GET(smg_org_error, int, int64_t, smg_org, smg_org_error_field, error_table)
SMGI_TABLE_GET(smg_org_error, text, const char *, smg_org, smg_org_error_field, error_table)

/* ---- warnings, and what the last load read ---- */

int smgi_warn(smg_org *org, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    int n;
    if (SMGI_GROW(&org->alloc, org->warns, org->warns_cap, org->nwarns + 1))
        return SMG_ENOMEM;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SMG_ENOMEM;
    msg = smgi_malloc(&org->alloc, (size_t)n + 1);
    if (!msg)
        return SMG_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    {
        /* made safe to print, as errors are */
        char clean[SMGI_MSG_MAX + 16];
        size_t c = smgi_msg_clean(msg, (size_t)n, clean);
        if (c <= (size_t)n)
            memcpy(msg, clean, c + 1);
        else {
            char *m2 = smgi_realloc(&org->alloc, msg, c + 1);
            if (!m2) {
                smgi_free(&org->alloc, msg);
                return SMG_ENOMEM;
            }
            msg = m2;
            memcpy(msg, clean, c + 1);
        }
    }
    org->warns[org->nwarns++] = msg;
    return 0;
}

void smgi_loaded_clear(smg_org *org)
{
    size_t i;
    for (i = 0; i < org->nwarns; i++)
        smgi_free(&org->alloc, org->warns[i]);
    org->nwarns = 0;
    smgi_strtab_truncate(&org->alloc, &org->loaded.text, 0);
    org->loaded.count = 0;
}

size_t smg_org_warning_count(const smg_org *org)
{
    return org ? org->nwarns : 0;
}

const char *smg_org_warning(const smg_org *org, size_t i)
{
    return org && i < org->nwarns ? org->warns[i] : NULL;
}

/* A space at either end of an id: ' ', U+00A0 or the ideographic U+3000. */
static int space_at_start(const unsigned char *s, size_t n)
{
    return (n >= 1 && s[0] == ' ') || (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) ||
           (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80);
}

static int space_at_end(const unsigned char *s, size_t n)
{
    return (n >= 1 && s[n - 1] == ' ') || (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0) ||
           (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80);
}

int smgi_check_id(smg_org *org, const char *what, const char *s)
{
    size_t n;
    int a, b;
    if (!s || !*s)
        return smgi_err(org, SMG_EINVAL, "%s id is empty", what);
    for (n = 0; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
            return smgi_err(org, SMG_EINVAL, "%s id \"%.64s\" has a control character",
                            what, s);
    if (n > 64)
        return smgi_err(org, SMG_EINVAL, "%s id \"%.64s...\" is longer than 64 bytes",
                        what, s);
    a = space_at_start((const unsigned char *)s, n);
    b = space_at_end((const unsigned char *)s, n);
    if (a || b)
        return smgi_err(org, SMG_EINVAL, "%s id \"%s\" %s a space (ids have none at either end)",
                        what, s, a && b ? "begins and ends with" : a ? "begins with" : "ends with");
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
    m->event_lines = org->event_lines.count;
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
    if (org->event_lines.count > m->event_lines)
        org->event_lines.count = m->event_lines;
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

/* What the commit being made touches (org.h, touches): INT64_MAX for a
 * pure append, else the earliest time, INT64_MIN for everything. Called
 * before the log is sorted; the cancels' targets come from the commit
 * (commit_touch). */
static int64_t batch_touch(const smg_org *org)
{
    const smgi_mark *m = &org->mark;
    const smgi_events *E = &org->events;
    int64_t at = INT64_MAX;
    size_t i;
    if (org->nundo || org->targets.count != m->targets ||
        org->profiles.names.count != m->profiles || org->commission.count != m->commission ||
        org->scorecard.ids.count != m->scorecard)
        return INT64_MIN;
    for (i = m->events; i < E->count; i++)
        if (m->events && E->at[i] < E->at[m->events - 1] && E->at[i] < at)
            at = E->at[i]; /* late: sorts before an event already logged */
    return at;
}

static void note_touch(smg_org *org, int64_t at)
{
    size_t n = org->ntouches;
    if (org->commit_touch < at)
        at = org->commit_touch;
    if (at == INT64_MAX)
        return;
    if (n == SMGI_TOUCH_MAX) { /* merge the two oldest: conservative */
        if (org->touches[1].at > org->touches[0].at)
            org->touches[1].at = org->touches[0].at;
        memmove(org->touches, org->touches + 1, --n * sizeof *org->touches);
    }
    org->touches[n].gen = org->generation;
    org->touches[n].at = at;
    org->ntouches = n + 1;
}

int smg_batch_commit(smg_org *org)
{
    int64_t touch;
    int rc;
    if (!org)
        return SMG_EINVAL;
    if (!org->in_batch)
        return smgi_err(org, SMG_ESTATE, "no batch is open");
    if (org->batch_failed || org->failed) {
        rc = org->nerrs + org->errs_dropped > 1
                 ? SMG_EDATA
                 : (org->first_status ? org->first_status : SMG_EINVAL);
        smg_batch_rollback(org);
        return rc;
    }
    touch = batch_touch(org);
    org->commit_touch = INT64_MAX;
    rc = smgi_targets_commit(org);
    if (!rc)
        rc = smgi_scorecard_commit(org);
    if (!rc)
        rc = smgi_events_commit(org, org->mark.events);
    if (rc) {
        if (org->nerrs + org->errs_dropped > 1)
            rc = SMG_EDATA;
        smg_batch_rollback(org);
        return rc;
    }
    org->generation++;
    note_touch(org, touch);
    end_batch(org);
    return 0;
}

int64_t smgi_touched_since(const smg_org *org, uint64_t gen)
{
    int64_t at = INT64_MAX;
    size_t i;
    for (i = 0; i < org->ntouches; i++)
        if (org->touches[i].gen > gen && org->touches[i].at < at)
            at = org->touches[i].at;
    return at;
}

void smgi_policy_changed(smg_org *org)
{
    org->policy_serial++;
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
    int64_t line = smgi_event_line(&org->event_lines, seq);
    if (line > 0)
        snprintf(buf, len, "events.csv:%lu", (unsigned long)line);
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
