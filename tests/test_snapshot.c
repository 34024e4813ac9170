/* Snapshots (issue 14): smg_org_save() and smg_org_open().
 * - the round trip gives back every column of every table, byte for byte
 *   (read through the internals), and the same results;
 * - a file cut at any byte, or with any bit flipped, is refused with a
 *   message that says which (never a crash, never a half-filled org);
 * - a valid checksum over an index out of range is refused too;
 * - a save that fails midway leaves the old file whole and no litter;
 * - not a snapshot, another machine's, a newer format, a FIFO, /dev/zero,
 *   a missing file, a batch open, out of memory at every allocation.
 * SMG_TEST_QUICK=1 (valgrind) tries every 11th byte and bit. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salesmgmt.h"
#include "crc32c.h"
#include "failing_alloc.h"
#include "org.h"

static char dir[256];

static int quick(void)
{
    const char *q = getenv("SMG_TEST_QUICK");
    return q && *q == '1';
}

static const char *tmp(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static smg_time T(const char *s)
{
    smg_time t;
    assert_int_equal(smg_time_parse(&t, s), 0);
    return t;
}

static void ev(smg_org *org, const char *id, smg_event_type type, const char *at,
               const char *member, const char *customer, const char *ref, smg_money amount)
{
    smg_event e = SMG_EVENT_INIT;
    e.id = id;
    e.type = type;
    e.at = T(at);
    e.member = member;
    e.customer = customer;
    e.ref = ref;
    e.amount = amount;
    assert_int_equal(smg_event_add(org, &e), 0);
}

/* The sample dataset, with a cancel, a refund, a transfer, a link and a
 * holiday on top: every table has rows. */
static smg_org *sample(void)
{
    smg_org *org = NULL;
    const char *data = getenv("SMG_SAMPLE_DATA");
    assert_non_null(data);
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_dataset_load(org, data), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    ev(org, "snap-d", SMG_EV_DEAL, "2025-12-30T10:00", "m001", "c0001", "SNAP-D1", 120000);
    ev(org, "snap-u", SMG_EV_REFUND, "2025-12-31T10:00", NULL, NULL, "SNAP-D1", 20000);
    ev(org, "snap-v", SMG_EV_VISIT, "2025-12-30T11:00", "m001", "c0001", NULL, SMG_MONEY_NONE);
    ev(org, "snap-x", SMG_EV_CANCEL, "2025-12-31T12:00", NULL, NULL, "snap-v", SMG_MONEY_NONE);
    ev(org, "snap-l", SMG_EV_LINK, "2025-12-31T13:00", NULL, "c0001", "c0002", SMG_MONEY_NONE);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2025-10-01"), 0);
    return org;
}

/* A small org: the exhaustive cuts and flips stay quick. */
static smg_org *small(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "王", "13800000000", NULL), 0);
    ev(org, "r1", SMG_EV_REGISTER, "2026-03-02T10:00", "m1", "c1", NULL, SMG_MONEY_NONE);
    ev(org, "d1", SMG_EV_DEAL, "2026-03-03T10:00", "m1", "c1", "D1", 5000);
    ev(org, "x1", SMG_EV_CANCEL, "2026-03-04T10:00", NULL, NULL, "r1", SMG_MONEY_NONE);
    return org;
}

static void strtab_equal(const smgi_strtab *a, const smgi_strtab *b)
{
    size_t i;
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->nchars, b->nchars);
    assert_int_equal(a->nslots, b->nslots);
    if (a->nchars)
        assert_memory_equal(a->chars, b->chars, a->nchars);
    for (i = 0; i < a->count; i++)
        assert_int_equal(a->offs[i], b->offs[i]);
    if (a->nslots)
        assert_memory_equal(a->slots, b->slots, a->nslots * sizeof *a->slots);
}

#define COLS_EQUAL(macro, x, y, n)                                                      \
    do {                                                                                \
        smgi_column ca_[] = macro(x), cb_[] = macro(y);                                 \
        size_t k_;                                                                      \
        for (k_ = 0; k_ < SMGI_NCOLUMNS(ca_); k_++)                                     \
            if (n)                                                                      \
                assert_memory_equal(*ca_[k_].array, *cb_[k_].array, (n) * ca_[k_].size); \
    } while (0)

/* Every column of every table of the two orgs, byte for byte. */
static void orgs_equal(const smg_org *a, const smg_org *b)
{
    const smgi_policy *p = &a->policy, *q = &b->policy;
    assert_int_equal(p->protect_days, q->protect_days);
    assert_int_equal(p->completion_cap, q->completion_cap);
    assert_int_equal(p->workdays, q->workdays);
    assert_int_equal(p->nholidays, q->nholidays);
    if (p->nholidays)
        assert_memory_equal(p->holidays, q->holidays, p->nholidays * sizeof *p->holidays);
    assert_memory_equal(p->visit_months, q->visit_months, sizeof p->visit_months);
    assert_int_equal(p->vip_min, q->vip_min);
    assert_int_equal(p->overplan_rate, q->overplan_rate);
    strtab_equal(&a->teams.ids, &b->teams.ids);
    strtab_equal(&a->teams.names, &b->teams.names);
    COLS_EQUAL(SMGI_TEAM_COLUMNS, &a->teams, &b->teams, a->teams.ids.count);
    strtab_equal(&a->members.ids, &b->members.ids);
    strtab_equal(&a->members.names, &b->members.names);
    COLS_EQUAL(SMGI_MEMBER_COLUMNS, &a->members, &b->members, a->members.ids.count);
    strtab_equal(&a->customers.ids, &b->customers.ids);
    strtab_equal(&a->customers.names, &b->customers.names);
    strtab_equal(&a->customers.phones, &b->customers.phones);
    COLS_EQUAL(SMGI_CUSTOMER_COLUMNS, &a->customers, &b->customers, a->customers.ids.count);
    strtab_equal(&a->customers.phone_keys, &b->customers.phone_keys);
    COLS_EQUAL(SMGI_PHONE_COLUMNS, &a->customers, &b->customers,
               a->customers.phone_keys.count);
    strtab_equal(&a->customers.keys, &b->customers.keys);
    strtab_equal(&a->products, &b->products);
    strtab_equal(&a->deals.ids, &b->deals.ids);
    COLS_EQUAL(SMGI_DEAL_COLUMNS, &a->deals, &b->deals, a->deals.ids.count);
    strtab_equal(&a->receivables.ids, &b->receivables.ids);
    COLS_EQUAL(SMGI_RECEIVABLE_COLUMNS, &a->receivables, &b->receivables,
               a->receivables.ids.count);
    assert_int_equal(a->amounts.count, b->amounts.count);
    COLS_EQUAL(SMGI_AMOUNT_COLUMNS, &a->amounts, &b->amounts, a->amounts.count);
    assert_int_equal(a->events.count, b->events.count);
    COLS_EQUAL(SMGI_EVENT_COLUMNS, &a->events, &b->events, a->events.count);
    strtab_equal(&a->event_ids.ids, &b->event_ids.ids);
    COLS_EQUAL(SMGI_EVENT_ID_COLUMNS, &a->event_ids, &b->event_ids, a->event_ids.ids.count);
    assert_int_equal(a->event_lines.count, b->event_lines.count);
    if (a->event_lines.count) {
        assert_memory_equal(a->event_lines.seq, b->event_lines.seq,
                            a->event_lines.count * sizeof *a->event_lines.seq);
        assert_memory_equal(a->event_lines.delta, b->event_lines.delta,
                            a->event_lines.count * sizeof *a->event_lines.delta);
    }
    assert_int_equal(a->cancels.count, b->cancels.count);
    COLS_EQUAL(SMGI_CANCEL_COLUMNS, &a->cancels, &b->cancels, a->cancels.count);
    assert_int_equal(a->targets.count, b->targets.count);
    COLS_EQUAL(SMGI_TARGET_COLUMNS, &a->targets, &b->targets, a->targets.count);
    strtab_equal(&a->profiles.names, &b->profiles.names);
    COLS_EQUAL(SMGI_PROFILE_COLUMNS, &a->profiles, &b->profiles, a->profiles.names.count);
    assert_int_equal(a->commission.count, b->commission.count);
    COLS_EQUAL(SMGI_COMMISSION_COLUMNS, &a->commission, &b->commission, a->commission.count);
    strtab_equal(&a->scorecard.ids, &b->scorecard.ids);
    strtab_equal(&a->scorecard.parent_ids, &b->scorecard.parent_ids);
    COLS_EQUAL(SMGI_SCORECARD_COLUMNS, &a->scorecard, &b->scorecard, a->scorecard.ids.count);
}

/* The month's pay total of every member, as a check that the engines read
 * an opened org as they read the loaded one. */
static int64_t pay_sum(smg_org *org)
{
    smg_pay_options po = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *p = NULL;
    int64_t sum = 0, v;
    size_t r;
    int null;
    assert_int_equal(smg_period_month(&po.month, 2025, 10), 0);
    assert_int_equal(smg_pay_compute(&p, org, &po), 0);
    for (r = 0; r < smg_pay_count(p); r++) {
        assert_int_equal(smg_pay_int(p, r, SMG_PAY_TOTAL, &v, &null), 0);
        sum += null ? 0 : v;
    }
    smg_pay_report_free(p);
    return sum;
}

static void test_round_trip(void **state)
{
    smg_org *org = sample(), *back = NULL;
    size_t pos;
    (void)state;
    assert_true(org->cancels.count > 0 && org->targets.count > 0 && org->scorecard.ids.count > 0);
    assert_int_equal(smg_org_save(org, tmp("a.snap")), 0);
    assert_int_equal(smg_org_open(&back, tmp("a.snap"), NULL), 0);
    orgs_equal(org, back);
    assert_int_equal(pay_sum(org), pay_sum(back));
    assert_true(pay_sum(back) > 0);
    /* the ids work: lookups go through the saved hash slots */
    assert_int_equal(smg_event_find(back, "snap-u", &pos), 0);
    assert_int_equal(smg_member_add(back, "m999", "新人", "r1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(back, "m001", "重复", "r1", SMG_ROLE_REP), SMG_EEXISTS);
    /* and the opened org saves the same bytes again */
    smg_org_free(back);
    assert_int_equal(smg_org_open(&back, tmp("a.snap"), NULL), 0);
    assert_int_equal(smg_org_save(back, tmp("b.snap")), 0);
    {
        FILE *fa = fopen(tmp("a.snap"), "rb"), *fb = fopen(tmp("b.snap"), "rb");
        int x, y;
        assert_non_null(fa);
        assert_non_null(fb);
        do {
            x = fgetc(fa);
            y = fgetc(fb);
            assert_int_equal(x, y);
        } while (x != EOF);
        fclose(fa);
        fclose(fb);
    }
    smg_org_free(back);
    smg_org_free(org);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long len;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void spill(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* Opening must fail with `want` (0 = any error) and a message containing
 * `msg` (NULL = any), leaving an empty org. */
static void expect_refused(const char *path, int want, const char *msg)
{
    smg_org *org = NULL;
    int rc = smg_org_open(&org, path, NULL);
    assert_non_null(org);
    if (want)
        assert_int_equal(rc, want);
    else
        assert_true(rc < 0);
    if (msg && !strstr(smg_org_errmsg(org), msg))
        fail_msg("\"%s\" lacks \"%s\"", smg_org_errmsg(org), msg);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 0);
    smg_org_free(org);
}

/* The offsets where sections start (the header is 32 bytes). */
static size_t boundaries(const unsigned char *b, size_t n, size_t *at, size_t cap)
{
    size_t o = 32, k = 0;
    while (o + 16 <= n && k < cap) {
        uint32_t tag;
        uint64_t len;
        memcpy(&tag, b + o, 4);
        at[k++] = o;
        if (tag == 0xffffffffu)
            break;
        memcpy(&len, b + o + 8, 8);
        o += 16 + (size_t)len + (8 - (size_t)len % 8) % 8;
    }
    return k;
}

static void test_truncated_anywhere(void **state)
{
    smg_org *org = small();
    unsigned char *b;
    size_t n, cut, at[512], k, i, step = quick() ? 11 : 1;
    (void)state;
    assert_int_equal(smg_org_save(org, tmp("s.snap")), 0);
    b = slurp(tmp("s.snap"), &n);
    /* at every section boundary, with the message naming the place */
    k = boundaries(b, n, at, 512);
    assert_true(k > 40);
    for (i = 1; i < k; i++) {
        spill(tmp("cut.snap"), b, at[i]);
        expect_refused(tmp("cut.snap"), SMG_EPARSE, "truncated: section");
    }
    spill(tmp("cut.snap"), b, 20);
    expect_refused(tmp("cut.snap"), SMG_EPARSE, "truncated: the file ends inside the header");
    spill(tmp("cut.snap"), b, 0);
    expect_refused(tmp("cut.snap"), SMG_EPARSE, "not a salesmgmt snapshot");
    /* and at every byte */
    for (cut = 0; cut < n; cut += step) {
        spill(tmp("cut.snap"), b, cut);
        expect_refused(tmp("cut.snap"), SMG_EPARSE, NULL);
    }
    /* a byte too many */
    b[n] = 0;
    spill(tmp("cut.snap"), b, n + 1);
    expect_refused(tmp("cut.snap"), SMG_EPARSE, "bytes after the end");
    free(b);
    smg_org_free(org);
}

static void test_bit_flips(void **state)
{
    smg_org *org = small();
    unsigned char *b;
    size_t n, bit, step = quick() ? 11 : 1;
    (void)state;
    assert_int_equal(smg_org_save(org, tmp("s.snap")), 0);
    b = slurp(tmp("s.snap"), &n);
    for (bit = 0; bit < n * 8; bit += step) {
        size_t byte = bit / 8;
        /* the padding after a section is not covered by a checksum (it
         * is read and dropped): skip it, it changes nothing */
        b[byte] ^= (unsigned char)(1u << (bit % 8));
        spill(tmp("flip.snap"), b, n);
        {
            smg_org *back = NULL;
            int rc = smg_org_open(&back, tmp("flip.snap"), NULL);
            assert_non_null(back);
            if (rc == 0)
                orgs_equal(org, back); /* a flip in padding: the same org */
            else
                assert_true(strstr(smg_org_errmsg(back), "damaged") ||
                            strstr(smg_org_errmsg(back), "not a salesmgmt snapshot") ||
                            strstr(smg_org_errmsg(back), "truncated") ||
                            strstr(smg_org_errmsg(back), "another kind of machine") ||
                            strstr(smg_org_errmsg(back), "newer"));
            smg_org_free(back);
        }
        b[byte] ^= (unsigned char)(1u << (bit % 8));
    }
    free(b);
    smg_org_free(org);
}

/* A section rewritten with a valid checksum but an index out of range. */
static void test_valid_checksum_bad_index(void **state)
{
    smg_org *org = small();
    unsigned char *b;
    size_t n, at[512], k, i;
    int hit = 0;
    (void)state;
    assert_int_equal(smg_org_save(org, tmp("s.snap")), 0);
    b = slurp(tmp("s.snap"), &n);
    k = boundaries(b, n, at, 512);
    /* every section of 4-byte values holding 0 (a member, team or customer
     * index in this org): make it 77 and fix the checksum */
    for (i = 0; i + 1 < k; i++) {
        uint64_t len;
        int32_t v;
        uint32_t crc;
        memcpy(&len, b + at[i] + 8, 8);
        if (len != 12) /* the events' member column: 3 events of 4 bytes */
            continue;
        memcpy(&v, b + at[i] + 16, 4);
        if (v != 0)
            continue;
        v = 77;
        memcpy(b + at[i] + 16, &v, 4);
        crc = smgi_crc32c(0, b + at[i] + 16, (size_t)len);
        memcpy(b + at[i] + 4, &crc, 4);
        spill(tmp("bad.snap"), b, n);
        expect_refused(tmp("bad.snap"), SMG_EPARSE, "holds a value out of range");
        hit++;
        v = 0;
        memcpy(b + at[i] + 16, &v, 4);
        crc = smgi_crc32c(0, b + at[i] + 16, (size_t)len);
        memcpy(b + at[i] + 4, &crc, 4);
    }
    assert_true(hit >= 1);
    free(b);
    smg_org_free(org);
}

static void test_foreign_files(void **state)
{
    smg_org *org = small();
    unsigned char *b;
    size_t n;
    uint32_t v, crc;
    (void)state;
    spill(tmp("x.csv"), (const unsigned char *)"at,type\n2026-01-01,deal\n", 24);
    expect_refused(tmp("x.csv"), SMG_EPARSE, "not a salesmgmt snapshot");
    expect_refused(tmp("missing.snap"), SMG_ENOTFOUND, "no such file");
    expect_refused("/dev/zero", SMG_EIO, "not a regular file");
    expect_refused(dir, SMG_EIO, NULL);
    assert_int_equal(mkfifo(tmp("fifo"), 0600), 0);
    expect_refused(tmp("fifo"), SMG_EIO, "not a regular file");
    /* a newer format, and another machine's byte order, with valid header
     * checksums: said as such */
    assert_int_equal(smg_org_save(org, tmp("s.snap")), 0);
    b = slurp(tmp("s.snap"), &n);
    v = 2;
    memcpy(b + 8, &v, 4);
    crc = smgi_crc32c(0, b, 24);
    memcpy(b + 24, &crc, 4);
    spill(tmp("new.snap"), b, n);
    expect_refused(tmp("new.snap"), SMG_EVERSION, "made by a newer salesmgmt (snapshot format 2");
    v = 1;
    memcpy(b + 8, &v, 4);
    v = 0x04030201u;
    memcpy(b + 12, &v, 4);
    crc = smgi_crc32c(0, b, 24);
    memcpy(b + 24, &crc, 4);
    spill(tmp("be.snap"), b, n);
    expect_refused(tmp("be.snap"), SMG_EPARSE, "another kind of machine");
    free(b);
    smg_org_free(org);
}

static int litter(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

/* A save that cannot finish (the file size limit stands in for a full
 * disk) leaves the old snapshot whole, and no temporary file. */
static void test_interrupted_save(void **state)
{
    smg_org *org = small(), *big = sample(), *back = NULL;
    unsigned char *before, *after;
    size_t n0, n1;
    struct rlimit old, lim;
    (void)state;
    assert_int_equal(smg_org_save(org, tmp("keep.snap")), 0);
    before = slurp(tmp("keep.snap"), &n0);
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    assert_int_equal(smg_org_save(big, tmp("keep.snap")), SMG_EIO);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    assert_non_null(strstr(smg_org_errmsg(big), "cannot write"));
    after = slurp(tmp("keep.snap"), &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(litter(), 0);
    assert_int_equal(smg_org_open(&back, tmp("keep.snap"), NULL), 0);
    orgs_equal(org, back);
    /* a folder that does not exist; a batch open */
    assert_int_equal(smg_org_save(org, tmp("no/such/dir/x.snap")), SMG_EIO);
    assert_non_null(strstr(smg_org_errmsg(org), "cannot create a file beside it"));
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_org_save(org, tmp("y.snap")), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_org_save(NULL, tmp("y.snap")), SMG_EINVAL);
    assert_int_equal(smg_org_save(org, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_open(NULL, tmp("y.snap"), NULL), SMG_EINVAL);
    free(before);
    free(after);
    smg_org_free(back);
    smg_org_free(big);
    smg_org_free(org);
}

/* Out of memory at every allocation of an open: an error (ENOMEM), an
 * empty org or none, nothing leaked. */
static void test_open_out_of_memory(void **state)
{
    smg_org *org = small();
    long k;
    int done = 0;
    (void)state;
    assert_int_equal(smg_org_save(org, tmp("s.snap")), 0);
    for (k = 0; !done; k++) {
        failing f = FAILING_INIT;
        smg_org_options oo = SMG_ORG_OPTIONS_INIT;
        smg_org *back = NULL;
        int rc;
        failing_options(&oo, &f);
        f.fail_at = k;
        rc = smg_org_open(&back, tmp("s.snap"), &oo);
        if (rc) {
            assert_int_equal(rc, SMG_ENOMEM);
            if (back)
                assert_int_equal(smg_org_count(back, SMG_COUNT_EVENTS), 0);
        } else {
            orgs_equal(org, back);
            done = 1;
        }
        smg_org_free(back);
        assert_int_equal(f.live, 0);
    }
    assert_true(k > 40);
    smg_org_free(org);
}

static int setup(void **state)
{
    (void)state;
    struct stat st;
    /* tmpfs when there is one: the cut and flipped files are written
     * thousands of times, and a disk's file system flushes a file that is
     * truncated and written again (ext4's auto_da_alloc) */
    snprintf(dir, sizeof dir, "%s/smg-snap-XXXXXX",
             stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
                 ? "/dev/shm"
                 : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncated_anywhere),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_valid_checksum_bad_index),
        cmocka_unit_test(test_foreign_files),
        cmocka_unit_test(test_interrupted_save),
        cmocka_unit_test(test_open_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
