/* Snapshots (issue 14): smg_org_save() writes the committed org as it lies
 * in memory, column by column; smg_org_open() reads the columns straight
 * back into freshly allocated arrays — no parsing, no interning (the
 * strings' hash slots are saved too), one checksum pass and one check
 * that every index is in range.
 *
 * The file:
 *   header  16 bytes magic and format, then what machine wrote it (byte
 *           order, size_t width) and the library version; its own CRC-32C
 *   section { u32 number, u32 CRC-32C of the payload, u64 payload bytes,
 *             payload, zero padding to 8 bytes } ...
 *   end     a section numbered SECTION_END with the number of sections
 * Sections come in a fixed order, the one walk() visits them in: writing
 * and reading are the same walk, so they cannot disagree. A new format
 * (another order or another column) gets a new FORMAT number; a file of a
 * newer format is refused with both numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesmgmt/org.h"
#include "atomic_write.h"
#include "crc32c.h"
#include "events.h"
#include "file.h"
#include "org.h"

#define FORMAT 1
#define SECTION_END 0xffffffffu
static const unsigned char MAGIC[8] = { 0x89, 'S', 'M', 'G', 'S', 'N', 'P', '\n' };

typedef struct snap {
    int reading;
    smg_org *org;        /* written from, or read into */
    const char *path;
    smgi_atomic af;      /* writing */
    FILE *f;             /* reading */
    uint64_t size, at;   /* reading: the file's size, the offset reached */
    uint32_t number;     /* the next section's number */
    int rc;              /* the first failure; nothing more is done after it */
} snap;

/* ---- errors ---- */

static int fail(snap *s, int rc, const char *fmt, const char *what)
{
    if (!s->rc) {
        char msg[512];
        snprintf(msg, sizeof msg, fmt, what);
        s->rc = smgi_err(s->org, rc, "%s: %s", s->path, msg);
    }
    return s->rc;
}

static int damaged(snap *s, const char *name, const char *why)
{
    char msg[256];
    snprintf(msg, sizeof msg, "damaged: section %u (%s) %s", (unsigned)s->number, name, why);
    return fail(s, SMG_EPARSE, "%s", msg);
}

/* ---- raw bytes ---- */

static int put(snap *s, const void *p, size_t n)
{
    int err;
    if (s->rc || !n)
        return s->rc;
    if ((err = smgi_atomic_write(&s->af, p, n)) != 0)
        return fail(s, SMG_EIO, "cannot write: %s", strerror(err));
    return 0;
}

static int get(snap *s, void *p, size_t n, const char *name)
{
    if (s->rc || !n)
        return s->rc;
    if (s->at + n > s->size) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "truncated: section %u (%s) runs past the end of the file at byte %llu",
                 (unsigned)s->number, name, (unsigned long long)s->size);
        return fail(s, SMG_EPARSE, "%s", msg);
    }
    if (fread(p, 1, n, s->f) != n)
        return fail(s, SMG_EIO, "cannot read (%s)", ferror(s->f) ? "a read error" : "short");
    s->at += n;
    return 0;
}

static const unsigned char ZEROS[8];

/* ---- sections ---- */

/* One section: `bytes` bytes at *p (writing), or a block of that size
 * allocated and read into *p (reading; NULL for 0 bytes). The size read
 * must be `bytes`. */
static int section(snap *s, const char *name, void **p, size_t bytes)
{
    uint32_t head[2];
    uint64_t len = bytes;
    size_t pad = (8 - bytes % 8) % 8;
    if (s->rc)
        return s->rc;
    if (!s->reading) {
        head[0] = s->number++;
        head[1] = smgi_crc32c(0, *p, bytes);
        put(s, head, sizeof head);
        put(s, &len, sizeof len);
        put(s, *p, bytes);
        return put(s, ZEROS, pad);
    }
    if (get(s, head, sizeof head, name) || get(s, &len, sizeof len, name))
        return s->rc;
    if (head[0] != s->number)
        return damaged(s, name, "is out of place");
    if (len != bytes)
        return damaged(s, name, "has the wrong size");
    *p = NULL;
    if (bytes) {
        *p = smgi_malloc(&s->org->alloc, bytes);
        if (!*p)
            return fail(s, SMG_ENOMEM, "out of memory reading %s", name);
    }
    if (!get(s, *p, bytes, name) && smgi_crc32c(0, *p, bytes) != head[1])
        damaged(s, name, "fails its checksum");
    if (!s->rc && pad) {
        unsigned char z[8];
        get(s, z, pad, name);
    }
    if (s->rc) { /* the block is nobody's yet */
        smgi_free(&s->org->alloc, *p);
        *p = NULL;
        return s->rc;
    }
    s->number++;
    return 0;
}

/* A row count (or any u64): a section of its own, so its damage is caught
 * before anything is allocated by it. */
static int count(snap *s, const char *name, size_t *n)
{
    uint64_t v = *n, *p = &v;
    if (section(s, name, (void **)&p, sizeof v))
        return s->rc;
    if (s->reading) {
        v = *p;
        smgi_free(&s->org->alloc, p);
        /* no table holds more rows than the file has bytes */
        if (v > s->size)
            return damaged(s, name, "holds a count past the file's size");
        *n = (size_t)v;
    }
    return 0;
}

/* The columns of a table of n rows (its cap becomes n when reading). */
static int columns(snap *s, const char *name, const smgi_column *cols, size_t ncols, size_t n,
                   size_t *cap)
{
    size_t i;
    for (i = 0; i < ncols && !s->rc; i++) {
        if (n && cols[i].size > SIZE_MAX / n)
            return damaged(s, name, "is too large");
        section(s, name, cols[i].array, n * cols[i].size);
    }
    if (s->reading && !s->rc)
        *cap = n;
    return s->rc;
}

/* Interned strings: the characters, the offsets and the hash slots. */
static int strings(snap *s, const char *name, smgi_strtab *t)
{
    size_t i;
    if (count(s, name, &t->count) || count(s, name, &t->nchars) || count(s, name, &t->nslots))
        return s->rc;
    if (t->count > SIZE_MAX / 8 || t->nslots > SIZE_MAX / 8)
        return damaged(s, name, "is too large");
    section(s, name, (void **)&t->chars, t->nchars);
    section(s, name, (void **)&t->offs, t->count * sizeof *t->offs);
    section(s, name, (void **)&t->slots, t->nslots * sizeof *t->slots);
    if (!s->reading || s->rc)
        return s->rc;
    t->chars_cap = t->nchars;
    t->offs_cap = t->count;
    /* every string inside the characters and ended; every slot naming a
     * string; the slots a power of two (the probe masks with it) */
    if (t->count && (!t->nchars || t->chars[t->nchars - 1]))
        return damaged(s, name, "has an unterminated string");
    for (i = 0; i < t->count; i++)
        if (t->offs[i] >= t->nchars)
            return damaged(s, name, "has a string outside its characters");
    if (t->nslots & (t->nslots - 1))
        return damaged(s, name, "has a hash table of a wrong size");
    if (t->nslots && t->nslots < t->count)
        return damaged(s, name, "has a hash table too small");
    for (i = 0; i < t->nslots; i++)
        if ((uint32_t)t->slots[i] > t->count)
            return damaged(s, name, "has a hash slot naming no string");
    return 0;
}

/* The policy: its numbers as one array, then the two date lists. */
static int policy(snap *s, smgi_policy *p)
{
    int64_t v[32], *pv = v;
    size_t n = 0, k;
#define FIELDS(X)                                                                           \
    X(p->protect_days) X(p->claim_days) X(p->first_followup_days) X(p->max_hold_days)       \
    X(p->max_protected) X(p->reclaim_days) X(p->tier_method) X(p->vip_min) X(p->tier1_min)  \
    X(p->tier2_min) X(p->pareto_vip) X(p->pareto_tier1) X(p->visit_months[0])                \
    X(p->visit_months[1]) X(p->visit_months[2]) X(p->visit_months[3]) X(p->work_weight)      \
    X(p->attendance_weight) X(p->absence_penalty) X(p->base_share) X(p->completion_share)    \
    X(p->work_share) X(p->completion_cap) X(p->overplan_rate) X(p->workdays)
#define OUT(f) v[n++] = (int64_t)(f);
#define IN(f) f = (__typeof__(f))v[n++];
#define COUNT(f) k++;
    k = 0;
    FIELDS(COUNT)
    if (!s->reading) {
        FIELDS(OUT)
    }
    n = k;
    if (section(s, "policy", (void **)&pv, n * sizeof *v))
        return s->rc;
    if (s->reading) {
        memcpy(v, pv, n * sizeof *v);
        smgi_free(&s->org->alloc, pv);
        n = 0;
        FIELDS(IN)
        /* the numbers the engines index or divide by */
        if (p->tier_method < 0 || p->tier_method > 1 || !p->workdays || p->workdays > 127)
            return damaged(s, "policy", "holds a value out of range");
    }
#undef FIELDS
#undef OUT
#undef IN
#undef COUNT
    if (count(s, "holidays", &p->nholidays) || count(s, "workdays", &p->nextra))
        return s->rc;
    section(s, "holidays", (void **)&p->holidays, p->nholidays * sizeof *p->holidays);
    section(s, "workdays", (void **)&p->extra_workdays, p->nextra * sizeof *p->extra_workdays);
    if (s->reading) {
        p->holidays_cap = p->nholidays;
        p->extra_cap = p->nextra;
    }
    return s->rc;
}

#define COLUMNS(s, name, macro, t, n, cap)                                  \
    do {                                                                    \
        smgi_column cols_[] = macro(t);                                     \
        columns(s, name, cols_, SMGI_NCOLUMNS(cols_), n, cap);              \
    } while (0)

/* Every table of the org, in the file's order. Reading, the row counts are
 * read before the columns they size. */
static int walk(snap *s)
{
    smg_org *o = s->org;
    policy(s, &o->policy);
    strings(s, "team ids", &o->teams.ids);
    strings(s, "team names", &o->teams.names);
    COLUMNS(s, "teams", SMGI_TEAM_COLUMNS, &o->teams, o->teams.ids.count, &o->teams.cap);
    strings(s, "member ids", &o->members.ids);
    strings(s, "member names", &o->members.names);
    COLUMNS(s, "members", SMGI_MEMBER_COLUMNS, &o->members, o->members.ids.count,
            &o->members.cap);
    strings(s, "customer ids", &o->customers.ids);
    strings(s, "customer names", &o->customers.names);
    strings(s, "customer phones", &o->customers.phones);
    COLUMNS(s, "customers", SMGI_CUSTOMER_COLUMNS, &o->customers, o->customers.ids.count,
            &o->customers.cap);
    strings(s, "phone keys", &o->customers.phone_keys);
    COLUMNS(s, "phones", SMGI_PHONE_COLUMNS, &o->customers, o->customers.phone_keys.count,
            &o->customers.phone_cap);
    strings(s, "attribution keys", &o->customers.keys);
    strings(s, "products", &o->products);
    strings(s, "deal ids", &o->deals.ids);
    COLUMNS(s, "deals", SMGI_DEAL_COLUMNS, &o->deals, o->deals.ids.count, &o->deals.cap);
    strings(s, "receivable ids", &o->receivables.ids);
    COLUMNS(s, "receivables", SMGI_RECEIVABLE_COLUMNS, &o->receivables,
            o->receivables.ids.count, &o->receivables.cap);
    count(s, "amounts", &o->amounts.count);
    COLUMNS(s, "amounts", SMGI_AMOUNT_COLUMNS, &o->amounts, o->amounts.count, &o->amounts.cap);
    count(s, "events", &o->events.count);
    COLUMNS(s, "events", SMGI_EVENT_COLUMNS, &o->events, o->events.count, &o->events.cap);
    strings(s, "event ids", &o->event_ids.ids);
    COLUMNS(s, "event ids", SMGI_EVENT_ID_COLUMNS, &o->event_ids, o->event_ids.ids.count,
            &o->event_ids.cap);
    count(s, "event lines", &o->event_lines.count);
    {
        smgi_column cols[] = { SMGI_COLUMN(o->event_lines.seq),
                               SMGI_COLUMN(o->event_lines.delta) };
        columns(s, "event lines", cols, 2, o->event_lines.count, &o->event_lines.cap);
    }
    count(s, "cancels", &o->cancels.count);
    COLUMNS(s, "cancels", SMGI_CANCEL_COLUMNS, &o->cancels, o->cancels.count, &o->cancels.cap);
    count(s, "targets", &o->targets.count);
    COLUMNS(s, "targets", SMGI_TARGET_COLUMNS, &o->targets, o->targets.count, &o->targets.cap);
    strings(s, "profiles", &o->profiles.names);
    COLUMNS(s, "profiles", SMGI_PROFILE_COLUMNS, &o->profiles, o->profiles.names.count,
            &o->profiles.cap);
    count(s, "commission", &o->commission.count);
    COLUMNS(s, "commission", SMGI_COMMISSION_COLUMNS, &o->commission, o->commission.count,
            &o->commission.cap);
    strings(s, "scorecard ids", &o->scorecard.ids);
    strings(s, "scorecard parents", &o->scorecard.parent_ids);
    COLUMNS(s, "scorecard", SMGI_SCORECARD_COLUMNS, &o->scorecard, o->scorecard.ids.count,
            &o->scorecard.cap);
    return s->rc;
}

/* ---- the header ---- */

typedef struct header {
    unsigned char magic[8];
    uint32_t format;
    uint32_t order;      /* 0x01020304 as the writer stored it */
    uint32_t size_t_bytes;
    uint32_t library;    /* SMG_VERSION_NUMBER of the writer */
    uint32_t crc;        /* of the bytes above */
    uint32_t reserved;
} header;

static void header_make(header *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, MAGIC, sizeof MAGIC);
    h->format = FORMAT;
    h->order = 0x01020304u;
    h->size_t_bytes = (uint32_t)sizeof(size_t);
    h->library = (uint32_t)SMG_VERSION_NUMBER;
    h->crc = smgi_crc32c(0, h, offsetof(header, crc));
}

static int header_check(snap *s, const header *h)
{
    char msg[200];
    if (s->size < sizeof *h || memcmp(h->magic, MAGIC, sizeof MAGIC))
        return fail(s, SMG_EPARSE, "%s", "not a salesmgmt snapshot");
    if (h->order != 0x01020304u || h->size_t_bytes != sizeof(size_t))
        return fail(s, SMG_EPARSE, "%s",
                    "a snapshot made on another kind of machine (byte order or word size): "
                    "save it again from the dataset here");
    if (smgi_crc32c(0, h, offsetof(header, crc)) != h->crc)
        return fail(s, SMG_EPARSE, "%s", "damaged: the header fails its checksum");
    if (h->format > FORMAT) {
        snprintf(msg, sizeof msg,
                 "made by a newer salesmgmt (snapshot format %u; this library reads format "
                 "%d and older)",
                 (unsigned)h->format, FORMAT);
        return fail(s, SMG_EVERSION, "%s", msg);
    }
    if (h->format != FORMAT)
        return fail(s, SMG_EPARSE, "%s", "damaged: the header names no known format");
    return 0;
}

/* ---- checks after reading: every index in range ---- */

static int in(int64_t v, int64_t lo, size_t n)
{
    return v >= lo && v < (int64_t)n;
}

static int check_model(snap *s)
{
    const smg_org *o = s->org;
    size_t nt = o->teams.ids.count, nm = o->members.ids.count, nc = o->customers.ids.count;
    size_t i;
    if (o->teams.names.count != nt || o->members.names.count != nm ||
        o->customers.names.count != nc || o->customers.phones.count != nc ||
        o->scorecard.parent_ids.count != o->scorecard.ids.count)
        return damaged(s, "tables", "have columns of different lengths");
    for (i = 0; i < nt; i++) /* parents come before their children */
        if (!in(o->teams.parent[i], -1, i) || !in(o->teams.leader[i], -1, nm))
            return damaged(s, "teams", "holds a value out of range");
    for (i = 0; i < nm; i++)
        if (!in(o->members.team[i], 0, nt) || o->members.role[i] > SMG_ROLE_DIRECTOR)
            return damaged(s, "members", "holds a value out of range");
    for (i = 0; i < nc; i++)
        if (!in(o->customers.key[i], 0, o->customers.keys.count) ||
            !in(o->customers.dup_of[i], -1, nc))
            return damaged(s, "customers", "holds a value out of range");
    for (i = 0; i < o->customers.phone_keys.count; i++)
        if (!in(o->customers.phone_first[i], 0, nc))
            return damaged(s, "phones", "holds a value out of range");
    for (i = 0; i < o->deals.ids.count; i++)
        if (!in(o->deals.event[i], -1, o->events.count) ||
            !in(o->deals.product[i], -1, o->products.count))
            return damaged(s, "deals", "holds a value out of range");
    for (i = 0; i < o->receivables.ids.count; i++)
        if (!in(o->receivables.event[i], -1, o->events.count))
            return damaged(s, "receivables", "holds a value out of range");
    for (i = 0; i < o->targets.count; i++)
        if (o->targets.subject_kind[i] > SMG_SUBJECT_COMPANY ||
            !in(o->targets.subject[i], 0,
                o->targets.subject_kind[i] == SMG_SUBJECT_MEMBER ? nm
                : o->targets.subject_kind[i] == SMG_SUBJECT_TEAM ? nt
                                                                 : 1) ||
            !in(o->targets.profile[i], -1, o->profiles.names.count))
            return damaged(s, "targets", "holds a value out of range");
    for (i = 0; i < o->commission.count; i++)
        if (!in(o->commission.product[i], -1, o->products.count))
            return damaged(s, "commission", "holds a value out of range");
    for (i = 0; i < o->scorecard.ids.count; i++)
        if (!in(o->scorecard.parent[i], -1, o->scorecard.ids.count))
            return damaged(s, "scorecard", "holds a value out of range");
    return 0;
}

/* The argument of event i of type t (its own type) is what its type says. */
static int arg_ok(const smg_org *o, int t, int32_t arg)
{
    const smgi_amounts *am = &o->amounts;
    switch (t) {
    case SMG_EV_DEAL:
    case SMG_EV_CLAIM:
    case SMG_EV_OVERRIDE: return in(arg, 0, o->deals.ids.count);
    case SMG_EV_RECEIVABLE: return in(arg, 0, o->receivables.ids.count);
    case SMG_EV_PAYMENT:
        return in(arg, 0, am->count) && in(am->ref[arg], 0, o->receivables.ids.count);
    case SMG_EV_FAULT:
        return in(arg, 0, am->count) && in(am->ref[arg], 0, o->scorecard.ids.count);
    case SMG_EV_REFUND:
        return in(arg, 0, am->count) && in(am->ref[arg], 0, o->deals.ids.count);
    case SMG_EV_EXPENSE:
    case SMG_EV_ABSENCE:
    case SMG_EV_WORK_SCORE: return in(arg, 0, am->count);
    case SMG_EV_SUBMIT: return in(arg, 0, o->scorecard.ids.count);
    case SMG_EV_HANDOVER: return in(arg, -1, o->members.ids.count);
    case SMG_EV_LINK: return in(arg, 0, o->customers.ids.count);
    case SMG_EV_TRANSFER: return in(arg, 0, o->teams.ids.count);
    case SMG_EV_CANCEL: return in(arg, 0, o->event_ids.ids.count);
    default: return arg == -1;
    }
}

static int check_log(snap *s)
{
    const smg_org *o = s->org;
    const smgi_events *E = &o->events;
    const smgi_cancels *c = &o->cancels;
    size_t n = E->count, i, nc = 0;
    uint8_t *seen;
    for (i = 0; i < c->count; i++)
        if (!in(c->seq[i], 0, n) || (i && c->seq[i] <= c->seq[i - 1]) || !in(c->by[i], 0, n) ||
            !in(c->type[i], 1, SMGI_EV_LAST + 1) || c->type[i] == SMG_EV_CANCEL)
            return damaged(s, "cancels", "holds a value out of range");
    for (i = 0; i < o->event_ids.ids.count; i++)
        if (!in(o->event_ids.seq[i], 0, n) ||
            (i && o->event_ids.seq[i] <= o->event_ids.seq[i - 1]))
            return damaged(s, "event ids", "holds a value out of range");
    for (i = 1; i < o->event_lines.count; i++)
        if (o->event_lines.seq[i] <= o->event_lines.seq[i - 1])
            return damaged(s, "event lines", "are out of order");
    seen = smgi_calloc(&s->org->alloc, n / 8 + 1, 1);
    if (!seen)
        return fail(s, SMG_ENOMEM, "%s", "out of memory checking the log");
    for (i = 0; i < n; i++) {
        int t = E->type[i];
        uint32_t q = E->seq[i];
        if (t == SMGI_EV_CANCELLED) {
            nc++;
            t = (int)smgi_event_type_of(o, i);
        }
        if (!in(t, 1, SMGI_EV_LAST + 1) || q >= n || (seen[q / 8] >> (q % 8) & 1) ||
            (i && (E->at[i] < E->at[i - 1] || (E->at[i] == E->at[i - 1] && q < E->seq[i - 1]))) ||
            !in(E->member[i], -1, o->members.ids.count) ||
            !in(E->customer[i], -1, o->customers.ids.count) || !arg_ok(o, t, E->arg[i]) ||
            (t == SMG_EV_DEAL && o->deals.event[E->arg[i]] != (int32_t)i) ||
            (t == SMG_EV_RECEIVABLE && o->receivables.event[E->arg[i]] != (int32_t)i)) {
            smgi_free(&s->org->alloc, seen);
            return damaged(s, "events", "holds a value out of range");
        }
        seen[q / 8] |= (uint8_t)(1u << (q % 8));
    }
    smgi_free(&s->org->alloc, seen);
    if (nc != c->count)
        return damaged(s, "cancels", "do not match the log");
    return 0;
}

/* ---- the entry points ---- */

int smg_org_save(smg_org *org, const char *path)
{
    snap s;
    header h;
    uint32_t end[2];
    uint64_t sections;
    int err, rc;
    if (!org || !path)
        return SMG_EINVAL;
    if ((rc = smgi_query_begin(org)) != 0)
        return rc; /* inside a batch: its errors stay as they are */
    memset(&s, 0, sizeof s);
    s.org = org;
    s.path = path;
    if ((err = smgi_atomic_open(&s.af, path)) != 0)
        return fail(&s, SMG_EIO, "cannot create a file beside it: %s", strerror(err));
    header_make(&h);
    put(&s, &h, sizeof h);
    walk(&s);
    sections = s.number;
    end[0] = SECTION_END;
    end[1] = smgi_crc32c(0, &sections, sizeof sections);
    put(&s, end, sizeof end);
    put(&s, &sections, sizeof sections);
    err = smgi_atomic_close(&s.af, s.rc != 0);
    if (err && !s.rc)
        fail(&s, SMG_EIO, "cannot write: %s", strerror(err));
    return s.rc;
}

/* Read the snapshot into org (empty). On failure, what was read is for the
 * caller to free with the org. */
static int read_into(snap *s)
{
    header h;
    uint32_t end[2];
    uint64_t sections = 0;
    const char *why = NULL;
    int rc = smgi_file_open(s->path, &s->f, &s->size, &why);
    if (rc == SMG_ENOTFOUND)
        return fail(s, rc, "%s", "no such file");
    if (rc)
        return fail(s, rc, "%s", why ? why : "cannot open");
    if (s->size < sizeof h) {
        unsigned char m[sizeof MAGIC];
        int ours = s->size >= sizeof m && fread(m, 1, sizeof m, s->f) == sizeof m &&
                   !memcmp(m, MAGIC, sizeof m);
        fail(s, SMG_EPARSE, "%s",
             ours ? "truncated: the file ends inside the header" : "not a salesmgmt snapshot");
    } else if (!get(s, &h, sizeof h, "header") && !header_check(s, &h) && !walk(s) &&
               !get(s, end, sizeof end, "end") && !get(s, &sections, sizeof sections, "end")) {
        if (end[0] != SECTION_END || end[1] != smgi_crc32c(0, &sections, sizeof sections) ||
            sections != s->number)
            damaged(s, "end", "does not close the file");
        else if (s->at != s->size)
            fail(s, SMG_EPARSE, "%s", "damaged: bytes after the end of the snapshot");
    }
    fclose(s->f);
    s->f = NULL;
    if (!s->rc && !check_model(s))
        check_log(s);
    return s->rc;
}

int smg_org_open(smg_org **out, const char *path, const smg_org_options *opts)
{
    smg_org *org = NULL, *img = NULL;
    snap s;
    int rc;
    if (!out)
        return SMG_EINVAL;
    *out = NULL;
    if ((rc = smg_org_new(&org, opts)) != 0)
        return rc;
    *out = org;
    if (!path)
        return smgi_err(org, SMG_EINVAL, "smg_org_open: no path");
    /* read into an org of its own: a failure frees it whole and leaves
     * the caller's handle empty, holding the message */
    if ((rc = smg_org_new(&img, opts)) != 0)
        return smgi_err(org, rc, "%s: out of memory", path);
    smgi_policy_free(&img->alloc, &img->policy);
    memset(&img->policy, 0, sizeof img->policy);
    memset(&s, 0, sizeof s);
    s.reading = 1;
    s.org = img;
    s.path = path;
    if ((rc = read_into(&s)) != 0) {
        /* the message moves to the caller's handle */
        const char *msg = smg_org_errmsg(img);
        smgi_err(org, rc, "%s", msg && *msg ? msg : "cannot read the snapshot");
        smg_org_free(img);
        return rc;
    }
    smgi_err_clear(img);
    smg_org_free(org);
    *out = img;
    return 0;
}
