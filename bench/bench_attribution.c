/* Benchmark: ordering plus attribution of a salesmgmt-gen dataset fed in
 * shuffled time order (issue: "one pass over the time-ordered log").
 *
 *   salesmgmt-gen --out /tmp/big --members 2000 --customers 1000000 --events 10000000
 *   bench_attribution /tmp/big
 *
 * The dataset's teams, members and customers are loaded with
 * smg_dataset_load(); its events are read here, shuffled with a fixed seed
 * and added through smg_event_add() in one batch. Timed: the commit (the
 * checks and the sort into (time, input order)) and smg_attribution_compute().
 * Memory: the library's own allocations, counted by a custom allocator
 * (peak during commit + attribution, and the log alone), per event.
 * Baseline, in the same run: libc qsort() of the same events' (time,
 * position) pairs — ordering alone, the cheapest thing a caller could do
 * before any replay. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "salesmgmt.h"
#include "bench_util.h"
#include "csv.h"
#include "money.h"


/* ---- the events, held by the benchmark (not counted) ---- */

typedef struct bev {
    smg_time at;
    int64_t amount, list_amount, cost, value;
    int32_t member, customer; /* indices in the org */
    uint32_t ref, product;    /* offsets in the string arena, or 0 */
    uint8_t type, channel, outcome;
} bev;

typedef struct arena {
    char *p;
    size_t n, cap;
} arena;

static uint32_t keep(arena *a, const char *s)
{
    size_t len, at;
    if (!s)
        return 0;
    len = strlen(s) + 1;
    if (a->n + len > a->cap) {
        a->cap = (a->cap + len) * 2;
        a->p = realloc(a->p, a->cap);
        if (!a->p) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
    }
    at = a->n;
    memcpy(a->p + at, s, len);
    a->n += len;
    return (uint32_t)at;
}

static void on_csv_error(void *ctx, int status, const char *msg)
{
    (void)ctx;
    (void)status;
    fprintf(stderr, "%s\n", msg);
}

static int64_t money_or_none(const char *s)
{
    int64_t v;
    return s && smgi_money_parse_n(s, strlen(s), &v) == 0 ? v : SMG_MONEY_NONE;
}

static bev *read_events(smg_org *org, const char *dir, arena *ar, size_t *count)
{
    static const smgi_csv_column cols[] = {
        { "at", 1 }, { "type", 1 }, { "member", 0 }, { "customer", 0 }, { "ref", 0 },
        { "amount", 0 }, { "list_amount", 0 }, { "cost", 0 }, { "product", 0 },
        { "channel", 0 }, { "outcome", 0 }, { "value", 0 },
    };
    static const smg_allocator libc = { 0, 0, 0, 0 };
    char path[4096];
    smgi_csv c;
    bev *v = NULL;
    size_t n = 0, cap = 0;
    int rc;
    snprintf(path, sizeof path, "%s/events.csv", dir);
    smgi_csv_init(&c, &libc, "events.csv", on_csv_error, NULL);
    if (smgi_csv_open_file(&c, path) || smgi_csv_header(&c, cols, 12))
        return NULL;
    keep(ar, ""); /* offset 0 means "none" */
    while ((rc = smgi_csv_next(&c)) != 0) {
        bev *e;
        smg_event_type type;
        smg_channel ch = SMG_CHANNEL_NONE;
        smg_outcome oc = SMG_OUTCOME_NONE;
        size_t idx;
        const char *s;
        if (rc < 0)
            return NULL;
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                return NULL;
        }
        e = &v[n++];
        memset(e, 0, sizeof *e);
        if (smg_time_parse(&e->at, smgi_csv_get(&c, 0)) ||
            smg_event_type_parse(&type, smgi_csv_get(&c, 1)))
            return NULL;
        e->type = (uint8_t)type;
        e->member = -1;
        e->customer = -1;
        if ((s = smgi_csv_get(&c, 2)) && smg_member_find(org, s, &idx) == 0)
            e->member = (int32_t)idx;
        if ((s = smgi_csv_get(&c, 3)) && smg_customer_find(org, s, &idx) == 0)
            e->customer = (int32_t)idx;
        e->ref = keep(ar, smgi_csv_get(&c, 4));
        e->product = keep(ar, smgi_csv_get(&c, 8));
        e->amount = money_or_none(smgi_csv_get(&c, 5));
        e->list_amount = money_or_none(smgi_csv_get(&c, 6));
        e->cost = money_or_none(smgi_csv_get(&c, 7));
        e->value = money_or_none(smgi_csv_get(&c, 11)); /* hundredths, as money */
        if ((s = smgi_csv_get(&c, 9)))
            smg_channel_parse(&ch, s);
        if ((s = smgi_csv_get(&c, 10)))
            smg_outcome_parse(&oc, s);
        e->channel = (uint8_t)ch;
        e->outcome = (uint8_t)oc;
    }
    smgi_csv_close(&c);
    *count = n;
    return v;
}

/* The dataset without its events, in a temporary folder of links. */
static int load_model(smg_org *org, const char *dir, char *tmp)
{
    static const char *const files[] = { "teams.csv", "members.csv", "customers.csv",
                                         "targets.csv", "profiles.csv", "commission.csv",
                                         "policy.conf", NULL };
    char from[4096], to[4096];
    FILE *f;
    int i, rc;
    if (!mkdtemp(tmp))
        return -1;
    for (i = 0; files[i]; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, files[i]);
        snprintf(to, sizeof to, "%s/%s", tmp, files[i]);
        if (access(from, R_OK) == 0 && symlink(from, to) != 0)
            return -1;
    }
    snprintf(to, sizeof to, "%s/events.csv", tmp);
    f = fopen(to, "w");
    if (!f)
        return -1;
    fputs("at,type,member\n", f);
    fclose(f);
    rc = smg_dataset_load(org, tmp);
    for (i = 0; files[i]; i++) {
        snprintf(to, sizeof to, "%s/%s", tmp, files[i]);
        unlink(to);
    }
    snprintf(to, sizeof to, "%s/events.csv", tmp);
    unlink(to);
    rmdir(tmp);
    if (rc)
        fprintf(stderr, "load: %s\n", smg_org_errmsg(org));
    return rc;
}

typedef struct pair {
    smg_time at;
    uint64_t pos;
} pair;

static int pair_cmp(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->at != q->at)
        return p->at < q->at ? -1 : 1;
    return p->pos < q->pos ? -1 : p->pos > q->pos;
}

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Page faults so far: first touches of fresh memory (huge pages make
 * fewer). */
static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char **argv)
{
    counter cnt = { 0, 0 };
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    char tmp[] = "/tmp/smg_bench_XXXXXX";
    arena ar = { NULL, 0, 0 };
    bev *v;
    pair *pairs;
    size_t n = 0, i, base_bytes, model_bytes, reasons[7] = { 0 };
    size_t peak_commit, after_commit, peak_attr;
    long f0, f_commit, f_attr;
    uint64_t seed = 42;
    double t0, t_ingest, t_commit, t_attr, t_qsort;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATASET_DIR   (made by salesmgmt-gen)\n", argv[0]);
        return 1;
    }
    counting_options(&opts, &cnt);
    if (smg_org_new(&org, &opts) || load_model(org, argv[1], tmp))
        return 1;
    model_bytes = cnt.live; /* teams, members, customers, targets */
    v = read_events(org, argv[1], &ar, &n);
    if (!v || !n) {
        fprintf(stderr, "could not read %s/events.csv\n", argv[1]);
        return 1;
    }
    for (i = n - 1; i > 0; i--) { /* shuffled time order */
        size_t j = (size_t)(rnd(&seed) % (i + 1));
        bev t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    /* baseline: qsort of the (time, position) pairs */
    pairs = malloc(n * sizeof *pairs);
    if (!pairs)
        return 1;
    for (i = 0; i < n; i++) {
        pairs[i].at = v[i].at;
        pairs[i].pos = i;
    }
    t0 = now();
    qsort(pairs, n, sizeof *pairs, pair_cmp);
    t_qsort = now() - t0;
    free(pairs);

    /* ingest (not part of the goal, reported) */
    t0 = now();
    if (smg_org_reserve(org, SMG_COUNT_EVENTS, n) || smg_batch_begin(org))
        return 1;
    for (i = 0; i < n; i++) {
        smg_event ev = SMG_EVENT_INIT;
        const bev *e = &v[i];
        ev.type = (smg_event_type)e->type;
        ev.at = e->at;
        ev.member = e->member >= 0 ? smg_member_id(org, (size_t)e->member) : NULL;
        ev.customer = e->customer >= 0 ? smg_customer_id(org, (size_t)e->customer) : NULL;
        ev.ref = e->ref ? ar.p + e->ref : NULL;
        ev.product = e->product ? ar.p + e->product : NULL;
        ev.amount = e->amount;
        ev.list_amount = e->list_amount;
        ev.cost = e->cost;
        ev.value = e->value;
        ev.channel = (smg_channel)e->channel;
        ev.outcome = (smg_outcome)e->outcome;
        smg_event_add(org, &ev);
    }
    t_ingest = now() - t0;
    free(v);
    free(ar.p);

    base_bytes = cnt.live;
    cnt.peak = cnt.live;
    f0 = minor_faults();
    t0 = now();
    rc = smg_batch_commit(org);
    t_commit = now() - t0;
    f_commit = minor_faults() - f0;
    peak_commit = cnt.peak;
    after_commit = cnt.live;
    cnt.peak = cnt.live;
    if (rc) {
        fprintf(stderr, "commit: %s\n", smg_org_errmsg(org));
        return 1;
    }
    t0 = now();
    if (smg_attribution_compute(&a, org, NULL)) {
        fprintf(stderr, "attribution: %s\n", smg_org_errmsg(org));
        return 1;
    }
    t_attr = now() - t0;
    f_attr = minor_faults() - f0 - f_commit;
    peak_attr = cnt.peak;
    if (peak_commit > cnt.peak)
        cnt.peak = peak_commit;
    for (i = 0; i < smg_attribution_deal_count(a); i++) {
        int64_t r = 0;
        smg_attribution_deal_int(a, i, SMG_DEAL_REASON, &r, NULL);
        if (r > 0 && r < 7)
            reasons[r]++;
    }

    printf("events                  %lu (customers %lu, keys %lu, members %lu, deals %lu)\n",
           (unsigned long)n, (unsigned long)smg_org_count(org, SMG_COUNT_CUSTOMERS),
           (unsigned long)smg_org_count(org, SMG_COUNT_KEYS),
           (unsigned long)smg_org_count(org, SMG_COUNT_MEMBERS),
           (unsigned long)smg_attribution_deal_count(a));
    printf("credits                 unprotected %lu, owner %lu, protected_unclaimed %lu, "
           "claimed %lu, override %lu, company %lu; notices %lu\n",
           (unsigned long)reasons[1], (unsigned long)reasons[2], (unsigned long)reasons[3],
           (unsigned long)reasons[4], (unsigned long)reasons[5], (unsigned long)reasons[6],
           (unsigned long)smg_attribution_notice_count(a));
    printf("ingest (smg_event_add)  %.3f s   %.1f M events/s (not in the goal)\n", t_ingest,
           (double)n / t_ingest / 1e6);
    printf("commit: check + order   %.3f s\n", t_commit);
    printf("attribution replay      %.3f s\n", t_attr);
    printf("page faults             commit %ld, attribution %ld\n", f_commit, f_attr);
    printf("ordering + attribution  %.3f s   %.1f M events/s   %.1f ns/event\n",
           t_commit + t_attr, (double)n / (t_commit + t_attr) / 1e6,
           (t_commit + t_attr) * 1e9 / (double)n);
    printf("baseline qsort (at,pos) %.3f s   ratio qsort / library = %.2f\n", t_qsort,
           t_qsort / (t_commit + t_attr));
    printf("library memory          model %.1f B/event + staged log %.1f B/event; peak during "
           "ordering + attribution %.1f B/event (%.1f above the model)\n",
           (double)model_bytes / (double)n, (double)(base_bytes - model_bytes) / (double)n,
           (double)cnt.peak / (double)n, (double)(cnt.peak - model_bytes) / (double)n);
    printf("                        peak in the ordering %.1f B/event, in the attribution "
           "%.1f B/event; the result keeps %.1f B/event\n",
           (double)(peak_commit - model_bytes) / (double)n,
           (double)(peak_attr - model_bytes) / (double)n,
           (double)(cnt.live - after_commit) / (double)n);
    smg_attribution_free(a);
    smg_org_free(org);
    return 0;
}
