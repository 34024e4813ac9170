/* Issue 15's reliability findings: errors cannot be lost (a load under an
 * allocator failing allocation k never reports success with a file
 * missing), hostile files (a FIFO, /dev/zero, a dangling symlink, CR-only
 * line ends) are errors and never hang, and messages quoting input escape
 * control bytes and stay bounded. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "org.h"

#ifndef SMGI_MSG_MAX /* (the old code, to see these tests fail) */
#define SMGI_MSG_MAX 4096
#define SMGI_ERRS_MAX_BYTES ((size_t)1 << 20)
#endif

static const char *data_dir(const char *name, char *buf, size_t len)
{
    const char *root = getenv("SMG_TEST_DATA");
    snprintf(buf, len, "%s/%s", root ? root : "tests/data", name);
    return buf;
}

/* ---- a failing allocator ---- */

typedef struct failer {
    long n;    /* allocations so far */
    long fail; /* the first that fails (1-based); 0 = none */
    long span; /* how many fail from there (the error message's own too) */
    int hit;
} failer;

static int fail_now(failer *f)
{
    ++f->n;
    if (f->fail && f->n >= f->fail && f->n < f->fail + f->span) {
        f->hit = 1;
        return 1;
    }
    return 0;
}

static void *f_malloc(void *o, size_t n)
{
    return fail_now(o) ? NULL : malloc(n ? n : 1);
}

static void *f_realloc(void *o, void *p, size_t n)
{
    return fail_now(o) ? NULL : realloc(p, n ? n : 1);
}

static void f_free(void *o, void *p)
{
    (void)o;
    free(p);
}

static smg_org *org_failing(failer *f)
{
    smg_org *org = NULL;
    smg_org_options opts;
    assert_int_equal(smg_org_options_init(&opts, SMG_ORG_OPTIONS_VERSION), 0);
    opts.allocator.malloc_fn = f_malloc;
    opts.allocator.realloc_fn = f_realloc;
    opts.allocator.free_fn = f_free;
    opts.allocator.opaque = f;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    return org;
}

static void counts(const smg_org *org, size_t *c)
{
    int i;
    for (i = 1; i <= 12; i++)
        c[i] = smg_org_count(org, (smg_count)i);
}

/* Finding 1: for every k, a load whose allocation k fails either returns
 * an error and leaves the org empty, or returns 0 with everything read. */
static void load_failing(long span)
{
    char dir[512];
    size_t base[13] = { 0 }, got[13] = { 0 }, empty[13] = { 0 };
    failer f = { 0, 0, 0, 0 };
    smg_org *org;
    long k, points = 0;
    data_dir("good", dir, sizeof dir);
    org = org_failing(&f);
    assert_int_equal(smg_dataset_load(org, dir), 0);
    counts(org, base);
    smg_org_free(org);
    assert_true(base[SMG_COUNT_EVENTS] > 0 && base[SMG_COUNT_COMMISSION_ROWS] > 0);
    for (k = 1; k < 100000; k++) {
        int rc;
        memset(&f, 0, sizeof f);
        org = org_failing(&f);
        f.fail = f.n + k; /* counted from after the org's own creation */
        f.span = span;
        counts(org, empty);
        rc = smg_dataset_load(org, dir);
        counts(org, got);
        if (rc == 0) {
            if (memcmp(got, base, sizeof got) != 0)
                fail_msg("allocation %ld failed, the load returned 0 with an org missing data "
                         "(events %zu of %zu, members %zu of %zu, commission %zu of %zu)",
                         k, got[SMG_COUNT_EVENTS], base[SMG_COUNT_EVENTS],
                         got[SMG_COUNT_MEMBERS], base[SMG_COUNT_MEMBERS],
                         got[SMG_COUNT_COMMISSION_ROWS], base[SMG_COUNT_COMMISSION_ROWS]);
        } else {
            assert_int_equal(rc == SMG_ENOMEM || rc == SMG_EDATA, 1);
            int i;
            for (i = 1; i <= 12; i++)
                if (got[i] != empty[i])
                    print_message("count %d: %zu, before %zu (rc %d)\n", i, got[i], empty[i], rc);
            if (memcmp(got, empty, sizeof got) != 0)
                fail_msg("allocation %ld failed: an error, but the org is not as before", k);
            /* a retry on the same org succeeds (the failure is not sticky
             * across calls) */
            f.fail = 0;
            assert_int_equal(smg_dataset_load(org, dir), 0);
            counts(org, got);
            assert_memory_equal(got, base, sizeof got);
        }
        smg_org_free(org);
        if (!f.hit)
            break; /* a run without a failure: every point covered */
        points++;
    }
    print_message("dataset load, %ld allocations failing from allocation k: %ld points\n",
                  span, points);
    assert_true(points > 10);
}

static void test_load_every_allocation_fails(void **state)
{
    (void)state;
    load_failing(1);
}

/* allocation k and the error message's own: the message is dropped, the
 * failure must not be */
static void test_load_failures_in_bursts(void **state)
{
    (void)state;
    load_failing(2);
    load_failing(4);
    load_failing(1000000); /* every allocation from k on */
}


/* ---- hostile files (finding 2) ---- */

typedef struct tmpds {
    char dir[64];
} tmpds;

static void tmp_path(const tmpds *t, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", t->dir, name);
}

static void tmp_put(const tmpds *t, const char *name, const char *text)
{
    char path[128];
    FILE *f;
    tmp_path(t, name, path, sizeof path);
    unlink(path);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void tmp_base(tmpds *t)
{
    strcpy(t->dir, "/tmp/smg_test_files_XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    tmp_put(t, "teams.csv", "team_id,name\nt1,T\n");
    tmp_put(t, "members.csv", "member_id,team_id\nm1,t1\n");
    tmp_put(t, "customers.csv", "customer_id\nc1\n");
    tmp_put(t, "events.csv", "at,type,member,customer,ref,amount\n"
                             "2026-01-05,deal,m1,c1,D1,100.00\n");
}

static const char *const tmp_names[] = { "teams.csv", "members.csv", "customers.csv",
                                         "events.csv", "policy.conf", "profiles.csv",
                                         "commission.csv", "targets.csv", "scorecard.csv" };

static void tmp_free(const tmpds *t)
{
    size_t i;
    char path[128];
    for (i = 0; i < sizeof tmp_names / sizeof tmp_names[0]; i++) {
        tmp_path(t, tmp_names[i], path, sizeof path);
        if (unlink(path) != 0)
            rmdir(path);
    }
    rmdir(t->dir);
}

/* Replace `name` by a FIFO, a symbolic link to `target`, or a folder. */
enum { AS_FIFO, AS_LINK, AS_DIR };
static void tmp_special(const tmpds *t, const char *name, int as, const char *target)
{
    char path[128];
    tmp_path(t, name, path, sizeof path);
    unlink(path);
    if (as == AS_FIFO)
        assert_int_equal(mkfifo(path, 0600), 0);
    else if (as == AS_LINK)
        assert_int_equal(symlink(target, path), 0);
    else
        assert_int_equal(mkdir(path, 0700), 0);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "test_files: a load hung (alarm)\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(1);
}

/* A load of t that must fail fast with a message naming `name` and
 * containing `what`. */
static void load_refused(const tmpds *t, const char *name, const char *what)
{
    smg_org *org = NULL;
    size_t i, n;
    int rc, named = 0;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    signal(SIGALRM, on_alarm);
    alarm(5);
    rc = smg_dataset_load(org, t->dir);
    alarm(0);
    n = smg_org_error_count(org);
    for (i = 0; i < n; i++) {
        const char *m = smg_org_error(org, i);
        if (strncmp(m, name, strlen(name)) == 0 && strstr(m, what))
            named = 1;
    }
    if (rc == 0 || !named) {
        for (i = 0; i < n; i++)
            print_message("  %s\n", smg_org_error(org, i));
        fail_msg("%s (%s): rc %d, no error naming it", name, what, rc);
    }
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 0);
    smg_org_free(org);
}

static void test_fifo(void **state)
{
    tmpds t;
    (void)state;
    tmp_base(&t);
    tmp_special(&t, "events.csv", AS_FIFO, NULL);
    load_refused(&t, "events.csv", "not a regular file");
    tmp_free(&t);
    tmp_base(&t);
    tmp_special(&t, "policy.conf", AS_FIFO, NULL);
    load_refused(&t, "policy.conf", "not a regular file");
    tmp_free(&t);
    tmp_base(&t);
    tmp_special(&t, "teams.csv", AS_FIFO, NULL);
    load_refused(&t, "teams.csv", "not a regular file");
    tmp_free(&t);
}

static void test_dev_zero(void **state)
{
    tmpds t;
    smg_org *org = NULL;
    int rc;
    (void)state;
    tmp_base(&t);
    tmp_special(&t, "events.csv", AS_LINK, "/dev/zero");
    load_refused(&t, "events.csv", "not a regular file");
    tmp_free(&t);
    tmp_base(&t);
    tmp_special(&t, "policy.conf", AS_LINK, "/dev/zero");
    load_refused(&t, "policy.conf", "not a regular file");
    tmp_free(&t);
    tmp_base(&t);
    tmp_special(&t, "customers.csv", AS_DIR, NULL);
    load_refused(&t, "customers.csv", "not a regular file");
    tmp_free(&t);
    /* smg_policy_load() by itself */
    assert_int_equal(smg_org_new(&org, NULL), 0);
    signal(SIGALRM, on_alarm);
    alarm(5);
    rc = smg_policy_load(org, "/dev/zero");
    alarm(0);
    assert_int_equal(rc, SMG_EIO);
    assert_non_null(strstr(smg_org_errmsg(org), "/dev/zero: not a regular file"));
    smg_org_free(org);
}

static void test_dangling_symlink(void **state)
{
    tmpds t;
    (void)state;
    tmp_base(&t);
    tmp_special(&t, "profiles.csv", AS_LINK, "/nonexistent/profiles.csv");
    load_refused(&t, "profiles.csv", "symbolic link");
    tmp_free(&t);
    tmp_base(&t);
    tmp_special(&t, "policy.conf", AS_LINK, "/nonexistent/policy.conf");
    load_refused(&t, "policy.conf", "symbolic link");
    tmp_free(&t);
}

/* Decided: CR-only line ends are refused with a clear message (reading
 * them as lines would guess at what a lone CR inside a quoted cell is). */
static void test_cr_only(void **state)
{
    tmpds t;
    smg_org *org = NULL;
    char path[128];
    (void)state;
    tmp_base(&t);
    tmp_put(&t, "events.csv", "at,type,member,customer,ref,amount\r"
                              "2026-01-05,deal,m1,c1,D1,100.00\r");
    load_refused(&t, "events.csv",
                 "line ends are CR only (old Mac): save it with LF or CRLF");
    tmp_free(&t);
    tmp_base(&t);
    tmp_put(&t, "policy.conf", "attribution.protect_days = 9\rcommission.basis = paid\r");
    load_refused(&t, "policy.conf", "line ends are CR only");
    tmp_free(&t);
    /* CRLF is fine, and so is a lone CR at the very end */
    tmp_base(&t);
    tmp_put(&t, "events.csv", "at,type,member,customer,ref,amount\r\n"
                              "2026-01-05,deal,m1,c1,D1,100.00\r\n");
    tmp_put(&t, "policy.conf", "attribution.protect_days = 9\r\n");
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 1);
    smg_org_free(org);
    tmp_free(&t);
    (void)path;
}

/* ---- silent acceptance (finding 3) ---- */

static void test_policy_duplicate_and_empty(void **state)
{
    tmpds t;
    smg_org *org = NULL;
    char path[128], buf[64];
    (void)state;
    tmp_base(&t);
    tmp_put(&t, "policy.conf", "# twice\nattribution.protect_days = 9\n"
                               "calendar.holiday = 2026-01-01\ncalendar.holiday = 2026-01-02\n"
                               "attribution.protect_days = 10\n");
    tmp_path(&t, "policy.conf", path, sizeof path);
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_policy_load(org, path), SMG_EPARSE);
    assert_string_equal(smg_org_errmsg(org), "policy.conf:5: attribution.protect_days is given "
                                             "twice: on line 2 and on line 5");
    assert_true(smg_policy_get(org, "attribution.protect_days", buf, sizeof buf) > 0);
    assert_string_equal(buf, "7"); /* nothing applied */
    load_refused(&t, "policy.conf:5", "given twice");
    /* a NUL hides neither the rest of its line nor the next line */
    {
        FILE *f = fopen(path, "wb");
        static const char text[] = "attribution.protect_days = 9\0x\nbogus.key = 1\n";
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
        assert_int_equal(fclose(f), 0);
        assert_int_not_equal(smg_policy_load(org, path), 0);
        assert_int_equal(smg_org_error_count(org), 2);
        assert_non_null(strstr(smg_org_error(org, 0), "policy.conf:1: a NUL byte"));
        assert_non_null(strstr(smg_org_error(org, 1), "policy.conf:2: unknown policy parameter"));
    }
    /* the calendar's lines repeat */
    tmp_put(&t, "policy.conf", "calendar.holiday = 2026-01-01\ncalendar.holiday = 2026-01-02\n");
    assert_int_equal(smg_policy_load(org, path), 0);
    /* an empty calendar.workdays: an error, not a calendar without working days */
    tmp_put(&t, "policy.conf", "calendar.workdays =\n");
    assert_int_not_equal(smg_policy_load(org, path), 0);
    assert_non_null(strstr(smg_org_errmsg(org), "calendar.workdays"));
    assert_int_not_equal(smg_policy_set(org, "calendar.workdays", ""), 0);
    assert_int_not_equal(smg_policy_set(org, "calendar.workdays", "  "), 0);
    assert_true(smg_policy_get(org, "calendar.workdays", buf, sizeof buf) > 0);
    assert_string_equal(buf, "mon,tue,wed,thu,fri");
    smg_org_free(org);
    tmp_free(&t);
}

/* ---- unsafe messages (finding 4) ---- */

static void assert_printable(const char *m)
{
    const unsigned char *p = (const unsigned char *)m;
    for (; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            fail_msg("a raw control byte 0x%02x in [%s]", *p, m);
}

static void test_messages_escaped(void **state)
{
    smg_org *org = NULL;
    size_t i, n, total = 0;
    char *huge;
    const char *hostile = "p\x1b]0;owned\x07\nmembers.csv:1: forged error\r\t\x7f\xff\xc3";
    (void)state;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_not_equal(smg_team_add(org, "t1", "T", hostile), 0);
    assert_printable(smg_org_errmsg(org));
    assert_non_null(strstr(smg_org_errmsg(org),
                           "\"p\\x1b]0;owned\\x07\\nmembers.csv:1: forged error\\r\\t\\x7f\\xff\\xc3\""));
    assert_int_not_equal(smg_member_add(org, "m\x1b[2J", "M", "t1", SMG_ROLE_REP), 0);
    assert_printable(smg_org_errmsg(org));
    assert_int_not_equal(smg_team_add(org, "t\n1", "T", NULL), 0);
    assert_printable(smg_org_errmsg(org));

    /* 20 values of 5 MB: the messages stay small */
    huge = malloc(5u << 20);
    assert_non_null(huge);
    memset(huge, 'x', (5u << 20) - 1);
    huge[(5u << 20) - 1] = '\0';
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%zu", i);
        huge[0] = (char)('a' + i);
        smg_team_add(org, id, "T", huge);
    }
    assert_int_not_equal(smg_batch_commit(org), 0);
    n = smg_org_error_count(org);
    assert_int_equal(n, 20);
    for (i = 0; i < n; i++) {
        size_t len = strlen(smg_org_error(org, i));
        assert_true(len <= SMGI_MSG_MAX + 3);
        total += len;
    }
    print_message("20 errors quoting 5 MB values: %zu bytes\n", total);
    assert_true(total < 20 * 1024);
    /* and the total is capped with "N more" said */
    assert_true(strstr(smg_org_errmsg(org), "\xe2\x80\xa6") != NULL);
    free(huge);
    smg_org_free(org);
}

static void test_messages_total_capped(void **state)
{
    smg_org *org = NULL;
    smg_org_options opts;
    size_t i, n, total = 0;
    char big[3000];
    (void)state;
    assert_int_equal(smg_org_options_init(&opts, SMG_ORG_OPTIONS_VERSION), 0);
    opts.max_errors = 100000;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < 6000; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%zu", i);
        smg_team_add(org, id, "T", big);
    }
    assert_int_not_equal(smg_batch_commit(org), 0);
    n = smg_org_error_count(org);
    for (i = 0; i < n; i++)
        total += strlen(smg_org_error(org, i));
    print_message("%zu messages, %zu bytes; the last: %s\n", n, total, smg_org_error(org, n - 1));
    assert_true(total <= SMGI_ERRS_MAX_BYTES + 100);
    assert_non_null(strstr(smg_org_error(org, n - 1), "more errors"));
    smg_org_free(org);
}

/* ---- linear time (finding 6) ---- */

#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A time limit in seconds, times SMG_TEST_SLOWDOWN when set (./run sets it
 * for the run under valgrind, which is some 20 times slower). */
static double time_limit(double seconds)
{
    const char *f = getenv("SMG_TEST_SLOWDOWN");
    double k = f ? atof(f) : 1.0;
    return seconds * (k > 1.0 ? k : 1.0);
}

static smg_org *org_spanning(const char *first, const char *last)
{
    smg_org *org = NULL;
    smg_event ev = SMG_EVENT_INIT;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "T", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "M", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "C", "", ""), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    ev.type = SMG_EV_DEAL;
    ev.member = "m1";
    ev.customer = "c1";
    ev.amount = 100;
    assert_int_equal(smg_time_parse(&ev.at, first), 0);
    ev.ref = "D1";
    assert_int_equal(smg_event_add(org, &ev), 0);
    assert_int_equal(smg_time_parse(&ev.at, last), 0);
    ev.ref = "D2";
    assert_int_equal(smg_event_add(org, &ev), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    return org;
}

/* A log from year 1 to year 9999: the month index is built (or refused as
 * too sparse) in well under a second, and its figures are the log's. */
static void test_index_sparse_log_fast(void **state)
{
    smg_org *org = org_spanning("0001-01-02T10:00", "9999-12-30T10:00");
    smg_kpi_index *ix = NULL;
    smg_kpi_options o;
    smg_kpi_report *r1 = NULL, *r2 = NULL;
    smg_period p;
    double t0 = now_s(), dt;
    int rc;
    (void)state;
    rc = smg_kpi_index_build(&ix, org, NULL);
    dt = now_s() - t0;
    print_message("index over years 1-9999: rc %d, %.3f s\n", rc, dt);
    assert_true(dt < time_limit(1.0)); /* was minutes before (quadratic in the months) */
    assert_true(rc == 0 || rc == SMG_ERANGE);
    if (rc == 0) {
        assert_int_equal(smg_kpi_options_init(&o, SMG_KPI_OPTIONS_VERSION), 0);
        assert_int_equal(smg_period_year(&p, 9999), 0);
        o.period = p;
        assert_int_equal(smg_kpi_compute(&r1, org, &o), 0);
        o.index = ix;
        assert_int_equal(smg_kpi_compute(&r2, org, &o), 0);
        {
            int64_t a = 0, b = 0;
            size_t last = smg_kpi_count(r1) - 1;
            assert_int_equal(smg_kpi_int(r1, last, SMG_KPI_SALES_AMOUNT, &a, NULL), 0);
            assert_int_equal(smg_kpi_int(r2, last, SMG_KPI_SALES_AMOUNT, &b, NULL), 0);
            assert_int_equal(a, b);
            assert_int_equal(a, 100);
        }
        smg_kpi_report_free(r1);
        smg_kpi_report_free(r2);
        smg_kpi_index_free(ix);
    }
    smg_org_free(org);
}

/* compute_many over 19200 periods (every month from year 1 on): linear in
 * the periods, and the same figures as one at a time. */
static void test_compute_many_linear(void **state)
{
    smg_org *org = org_spanning("0001-01-02T10:00", "1600-12-30T10:00");
    enum { NP = 1600 * 12 };
    smg_period *ps = malloc(NP * sizeof *ps);
    smg_kpi_report **out = calloc(NP, sizeof *out);
    smg_kpi_options o;
    double t0, dt;
    size_t i;
    (void)state;
    assert_non_null(ps);
    assert_non_null(out);
    for (i = 0; i < NP; i++)
        assert_int_equal(smg_period_month(&ps[i], 1 + (int)(i / 12), 1 + (int)(i % 12)), 0);
    assert_int_equal(smg_kpi_options_init(&o, SMG_KPI_OPTIONS_VERSION), 0);
    o.rows = SMG_ROWS_TEAMS;
    t0 = now_s();
    assert_int_equal(smg_kpi_compute_many(out, org, &o, ps, NP), 0);
    dt = now_s() - t0;
    print_message("compute_many of %d periods: %.3f s\n", NP, dt);
    assert_true(dt < time_limit(1.0));
    {
        int64_t v = 0;
        assert_int_equal(smg_kpi_int(out[0], 0, SMG_KPI_SALES_AMOUNT, &v, NULL), 0);
        assert_int_equal(v, 100);
        assert_int_equal(smg_kpi_int(out[1], 0, SMG_KPI_SALES_AMOUNT, &v, NULL), 0);
        assert_int_equal(v, 0);
        assert_int_equal(smg_kpi_int(out[NP - 1], 0, SMG_KPI_SALES_AMOUNT, &v, NULL), 0);
        assert_int_equal(v, 100);
    }
    for (i = 0; i < NP; i++)
        smg_kpi_report_free(out[i]);
    free(out);
    free(ps);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_every_allocation_fails),
        cmocka_unit_test(test_load_failures_in_bursts),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_dev_zero),
        cmocka_unit_test(test_dangling_symlink),
        cmocka_unit_test(test_cr_only),
        cmocka_unit_test(test_policy_duplicate_and_empty),
        cmocka_unit_test(test_messages_escaped),
        cmocka_unit_test(test_messages_total_capped),
        cmocka_unit_test(test_index_sparse_log_fast),
        cmocka_unit_test(test_compute_many_linear),
    };
    if (getenv("SMG_TEST_FILTER"))
        cmocka_set_test_filter(getenv("SMG_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
