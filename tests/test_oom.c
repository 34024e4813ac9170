/* The OOM loop (SQLite's standard): a test allocator fails allocation N —
 * and, separately, every allocation from N on — of the whole pipeline
 * (tests/pipeline.h: load, attribution, KPIs from the log and from the
 * month index, compute_many, pay, tiers, visits, the rotation day,
 * targets, the scorecard) for N = 1, 2, ... until a run completes without
 * a failure, on two datasets (tests/data/good, and a small cut of
 * examples/data written to a temporary folder). At each point: no crash,
 * no leak (the allocator counts outstanding blocks: zero once everything
 * is freed), an error status with a message, and the org unchanged: a
 * retry with a working allocator gives exactly the baseline's digest of
 * every result table. The number of points covered is printed.
 * SMG_TEST_QUICK=1 (set by `./run test` under valgrind) tries every 13th
 * point only. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pipeline.h"

typedef struct oom {
    long long n;       /* allocations so far */
    long long fail_at; /* 0 = never fail */
    int persist;       /* fail every allocation from fail_at on */
    long long failed;  /* allocations refused */
    long long live;    /* outstanding blocks */
} oom;

static int oom_refuse(oom *o)
{
    o->n++;
    if (o->fail_at && (o->n == o->fail_at || (o->persist && o->n > o->fail_at))) {
        o->failed++;
        return 1;
    }
    return 0;
}

static void *oom_malloc(void *opaque, size_t size)
{
    oom *o = (oom *)opaque;
    void *p;
    if (oom_refuse(o))
        return NULL;
    p = malloc(size ? size : 1);
    if (p)
        o->live++;
    return p;
}

static void *oom_realloc(void *opaque, void *ptr, size_t size)
{
    oom *o = (oom *)opaque;
    void *p;
    if (oom_refuse(o))
        return NULL;
    p = realloc(ptr, size ? size : 1);
    if (p && !ptr)
        o->live++;
    return p;
}

static void oom_free(void *opaque, void *ptr)
{
    oom *o = (oom *)opaque;
    if (ptr)
        o->live--;
    free(ptr);
}

static int org_with(smg_org **org, oom *o)
{
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    opts.allocator.malloc_fn = oom_malloc;
    opts.allocator.realloc_fn = oom_realloc;
    opts.allocator.free_fn = oom_free;
    opts.allocator.opaque = o;
    return smg_org_new(org, &opts);
}

/* Run the loop on `dir` in one mode; returns the points covered. */
static long long oom_loop(const char *dir, int persist, int stride)
{
    oom o;
    smg_org *org = NULL;
    pl_result base, r, again;
    long long n, points = 0;

    memset(&o, 0, sizeof o);
    assert_int_equal(org_with(&org, &o), 0);
    assert_int_equal(pl_run(org, dir, 1, &base), 0);
    smg_org_free(org);
    assert_int_equal(o.live, 0);

    for (n = 1;; n += stride) {
        int rc;
        memset(&o, 0, sizeof o);
        o.fail_at = n;
        o.persist = persist;
        org = NULL;
        rc = org_with(&org, &o);
        if (rc) {
            assert_int_equal(rc, SMG_ENOMEM);
            assert_null(org);
            assert_int_equal(o.live, 0);
            points++;
            continue;
        }
        rc = pl_run(org, dir, 0, &r);
        if (o.failed == 0) {
            /* the whole pipeline ran: the end of the loop */
            assert_int_equal(rc, 0);
            assert_true(r.digest == base.digest);
            smg_org_free(org);
            assert_int_equal(o.live, 0);
            break;
        }
        points++;
        if (rc == 0) {
            /* a failure the library absorbed: the figures must not move */
            if (r.digest != base.digest)
                fail_msg("%s: allocation %lld%s failed, the run succeeded with other figures",
                         dir, n, persist ? "+" : "");
        } else {
            const char *msg = smg_org_errmsg(org);
            if (!msg || !*msg || smg_org_error_count(org) == 0)
                fail_msg("%s: allocation %lld%s failed at step %d: status %d without a message",
                         dir, n, persist ? "+" : "", r.step, rc);
            o.fail_at = 0; /* a working allocator: the retry */
            rc = pl_run(org, r.step == 1 ? dir : NULL, 0, &again);
            if (rc || again.digest != base.digest)
                fail_msg("%s: allocation %lld%s failed at step %d: the retry gives %d and %s "
                         "figures",
                         dir, n, persist ? "+" : "", r.step, rc,
                         again.digest == base.digest ? "the same" : "other");
        }
        smg_org_free(org);
        if (o.live != 0)
            fail_msg("%s: allocation %lld%s failed at step %d: %lld blocks leaked", dir, n,
                     persist ? "+" : "", r.step, o.live);
    }
    return points;
}

static char small_dir[] = "/tmp/smg_oom_XXXXXX";

/* A small cut of examples/data: every file, the first 80 events and two
 * transfers. */
static int make_small(void)
{
    static const char *const files[] = { "teams.csv", "members.csv", "customers.csv",
                                         "commission.csv", "policy.conf", "profiles.csv",
                                         "targets.csv", "scorecard.csv", "events.csv" };
    const char *src = getenv("SMG_SAMPLE_DATA");
    size_t i;
    if (!src || !mkdtemp(small_dir))
        return -1;
    for (i = 0; i < sizeof files / sizeof *files; i++) {
        char in[1024], out[1024], line[4096];
        FILE *fi, *fo;
        int lines = 0;
        snprintf(in, sizeof in, "%s/%s", src, files[i]);
        snprintf(out, sizeof out, "%s/%s", small_dir, files[i]);
        fi = fopen(in, "rb");
        if (!fi)
            continue;
        fo = fopen(out, "wb");
        if (!fo) {
            fclose(fi);
            return -1;
        }
        while (fgets(line, sizeof line, fi)) {
            if (strcmp(files[i], "events.csv") == 0 && ++lines > 81)
                break;
            fputs(line, fo);
        }
        /* two transfers (RULES.md §8), so the sweep covers the team pass:
         * m003 leaves r2 for r1 before its deal of 2025-01-03, and back */
        if (strcmp(files[i], "events.csv") == 0)
            fputs("2025-01-03T10:00,transfer,m003,,r1,,,,,,,\n"
                  "2025-01-06T10:30,transfer,m003,,r2,,,,,,,\n", fo);
        fclose(fi);
        fclose(fo);
    }
    return 0;
}

static void rm_small(void)
{
    static const char *const files[] = { "teams.csv", "members.csv", "customers.csv",
                                         "commission.csv", "policy.conf", "profiles.csv",
                                         "targets.csv", "scorecard.csv", "events.csv" };
    size_t i;
    for (i = 0; i < sizeof files / sizeof *files; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", small_dir, files[i]);
        unlink(p);
    }
    rmdir(small_dir);
}

static int quick(void)
{
    const char *q = getenv("SMG_TEST_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

static long long total_points;

static void run_dir(const char *dir)
{
    int stride = quick() ? 13 : 1;
    long long once = oom_loop(dir, 0, stride);
    long long from = oom_loop(dir, 1, stride);
    printf("oom: %s: %lld points failing one allocation, %lld failing every one from N on\n",
           dir, once, from);
    total_points += once + from;
}

static void test_oom_good(void **state)
{
    char dir[1024];
    const char *data = getenv("SMG_TEST_DATA");
    (void)state;
    assert_non_null(data);
    snprintf(dir, sizeof dir, "%s/good", data);
    run_dir(dir);
}

static void test_oom_sample(void **state)
{
    (void)state;
    assert_int_equal(make_small(), 0);
    run_dir(small_dir);
    rm_small();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_good),
        cmocka_unit_test(test_oom_sample),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    printf("oom: %lld points covered in all\n", total_points);
    return rc;
}
