/* Targets (RULES.md §2): the exact largest-remainder split, month and day
 * parts, period queries (year, quarter, month, week ranges), working days
 * and holidays, overlap errors and team gaps. Every expected number is
 * worked out by hand in the comments.
 *
 * Weekdays used below (Mon–Fri working by default):
 *   2026-01-01 Thu, 02-01 Sun, 03-01 Sun, 04-01 Wed, 05-01 Fri, 06-01 Mon,
 *   07-01 Wed, 08-01 Sat, 09-01 Tue, 10-01 Thu, 11-01 Sun, 12-01 Tue;
 *   2028-02-01 Tue (2028 is a leap year: 29 days), 2028-03-01 Wed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"
#include "org.h"
#include "split.h"
#include "targets.h"

/* ---- the split itself ---- */

static void split_ok(int64_t total, const int64_t *w, size_t n, const int64_t *expect)
{
    int64_t parts[64];
    size_t i;
    assert_true(n <= 64);
    assert_int_equal(smgi_split(total, w, n, parts), 0);
    for (i = 0; i < n; i++) {
        if (parts[i] != expect[i])
            print_error("part %zu: got %lld, expected %lld\n", i, (long long)parts[i],
                        (long long)expect[i]);
        assert_int_equal(parts[i], expect[i]);
    }
}

static void test_split_small(void **state)
{
    int64_t ones[21], parts[21];
    size_t i;
    (void)state;
    for (i = 0; i < 21; i++)
        ones[i] = 1;
    {
        /* 1 fen over 12 equal months: every floor is 0, every remainder
         * 1/12; the tie goes to the earliest: January. */
        const int64_t e[12] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        split_ok(1, ones, 12, e);
    }
    {
        /* 11 over 12: eleven units to the eleven earliest months */
        const int64_t e[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
        split_ok(11, ones, 12, e);
    }
    {
        /* 1013 (prime) over 21 days: 21 × 48 = 1008, 5 left: days 1–5 get 49 */
        int64_t e[21];
        for (i = 0; i < 21; i++)
            e[i] = i < 5 ? 49 : 48;
        split_ok(1013, ones, 21, e);
    }
    {
        /* 100 over 3: 33 r 1 each, 1 left -> the first */
        const int64_t e[3] = { 34, 33, 33 };
        split_ok(100, ones, 3, e);
    }
    {
        /* 7 by 1:2:3:4 (W = 10): 7/10 = 0 r7, 14/10 = 1 r4, 21/10 = 2 r1,
         * 28/10 = 2 r8. Floors 5, 2 left: the largest remainders are r8
         * (4th) and r7 (1st) -> 1, 1, 2, 3. */
        const int64_t w[4] = { 1, 2, 3, 4 }, e[4] = { 1, 1, 2, 3 };
        const int64_t en[4] = { -1, -1, -2, -3 };
        split_ok(7, w, 4, e);
        /* a negative total is split symmetrically */
        split_ok(-7, w, 4, en);
    }
    {
        /* zero weights get nothing: 5 by 0:1:0:1 = 2 r1, 2 r1, 1 left ->
         * the earlier of the two tied: 0, 3, 0, 2 */
        const int64_t w[4] = { 0, 1, 0, 1 }, e[4] = { 0, 3, 0, 2 };
        split_ok(5, w, 4, e);
    }
    {
        /* 5 over 7 equal: all tie at 5/7: the first five get one */
        const int64_t e[7] = { 1, 1, 1, 1, 1, 0, 0 };
        split_ok(5, ones, 7, e);
    }
    {
        /* total 0 */
        const int64_t e[3] = { 0, 0, 0 };
        split_ok(0, ones, 3, e);
    }
    {
        /* INT64_MAX = 9223372036854775807 = 3 × 3074457345618258602 + 1 */
        const int64_t e[3] = { 3074457345618258603LL, 3074457345618258602LL,
                               3074457345618258602LL };
        split_ok(INT64_MAX, ones, 3, e);
    }
    {
        /* huge weights need 128-bit products: w = 2^62 - 1 each, W = 2^63 - 2;
         * 3 × w / W = 1.5: floors 1, 1, one left -> the first */
        const int64_t w[2] = { INT64_MAX / 2, INT64_MAX / 2 }, e[2] = { 2, 1 };
        split_ok(3, w, 2, e);
    }
    {
        const int64_t zero[3] = { 0, 0, 0 }, neg[2] = { 1, -1 }, big[2] = { INT64_MAX, 1 };
        assert_int_equal(smgi_split(10, zero, 3, parts), SMG_ERANGE); /* all zero */
        assert_int_equal(smgi_split(10, neg, 2, parts), SMG_EINVAL);
        assert_int_equal(smgi_split(10, big, 2, parts), SMG_ERANGE);  /* W > INT64_MAX */
        assert_int_equal(smgi_split(INT64_MIN, ones, 2, parts), SMG_ERANGE);
        assert_int_equal(smgi_split(10, ones, 0, parts), SMG_ERANGE); /* nothing to split into */
        assert_int_equal(smgi_split(10, NULL, 2, parts), SMG_EINVAL);
    }
}

/* A slow, obviously right reference: stable selection of the largest
 * remainders, compared with smgi_split on random input. */
static void reference_split(int64_t total, const int64_t *w, size_t n, int64_t *parts)
{
    __extension__ typedef __int128 i128;
    i128 W = 0, given = 0, rem[40];
    int used[40] = { 0 };
    size_t i, k;
    for (i = 0; i < n; i++)
        W += w[i];
    for (i = 0; i < n; i++) {
        parts[i] = (int64_t)((i128)total * w[i] / W);
        rem[i] = (i128)total * w[i] % W;
        given += parts[i];
    }
    for (k = 0; k < (size_t)(total - given); k++) {
        size_t best = n;
        for (i = 0; i < n; i++)
            if (!used[i] && (best == n || rem[i] > rem[best]))
                best = i;
        used[best] = 1;
        parts[best]++;
    }
}

static void test_split_random(void **state)
{
    uint64_t x = 88172645463325252ULL; /* xorshift: the same numbers every run */
    int round;
    (void)state;
    for (round = 0; round < 20000; round++) {
        int64_t w[40], a[40], b[40], total, sum = 0, wsum = 0;
        size_t n, i;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        n = 1 + x % 40;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        total = (int64_t)(x % (round % 3 == 0 ? 100 : 1000000007ULL));
        for (i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* small weights give many ties, big ones many distinct remainders */
            w[i] = (int64_t)(x % (round % 2 ? 4 : 1000000));
            wsum += w[i];
        }
        if (wsum == 0)
            w[0] = wsum = 1;
        assert_int_equal(smgi_split(total, w, n, a), 0);
        reference_split(total, w, n, b);
        for (i = 0; i < n; i++) {
            assert_int_equal(a[i], b[i]);
            sum += a[i];
        }
        assert_int_equal(sum, total);
    }
}

/* ---- the org ---- */

static smg_date D(const char *s)
{
    smg_date d;
    assert_int_equal(smg_date_parse(&d, s), 0);
    return d;
}

/* Tree: hq (root) -> east -> east1, hq -> west.
 * Members: m1, m2 in east1; m3 in east; m4 in west. */
static smg_org *new_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "hq", "总部", NULL), 0);
    assert_int_equal(smg_team_add(org, "east", "华东", "hq"), 0);
    assert_int_equal(smg_team_add(org, "east1", "华东一组", "east"), 0);
    assert_int_equal(smg_team_add(org, "west", "华西", "hq"), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "east1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "李娜", "east1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m3", "王芳", "east", SMG_ROLE_SUPERVISOR), 0);
    assert_int_equal(smg_member_add(org, "m4", "刘洋", "west", SMG_ROLE_REP), 0);
    return org;
}

/* A subject or a period from its text (as in targets.csv). */
static smg_subject SUBJ(const smg_org *org, const char *text)
{
    smg_subject s;
    assert_int_equal(smg_subject_parse(&s, org, text), 0);
    return s;
}

static smg_period PER(const char *text)
{
    smg_period p;
    assert_int_equal(smg_period_parse(&p, text), 0);
    return p;
}

/* smg_target_add() with the subject and period given as text. */
static int add(smg_org *org, const char *subject, smg_metric metric, const char *period,
               int64_t amount, const char *profile)
{
    smg_subject s = SUBJ(org, subject);
    smg_period p = PER(period);
    return smg_target_add(org, &s, metric, &p, amount, profile);
}

/* The target of subject/metric over period; is_null must be `null`. */
static int64_t get(smg_org *org, const char *subject, smg_metric metric, const char *period,
                   int null)
{
    smg_subject s = SUBJ(org, subject);
    smg_period p = PER(period);
    int64_t v = -12345;
    int is_null = -1;
    int rc = smg_target_get(org, &s, metric, &p, &v, &is_null);
    if (rc)
        print_error("%s %s: %s\n", subject, period, smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_int_equal(is_null, null);
    return v;
}
#define SALES SMG_METRIC_SALES_AMOUNT
#define GET(subject, period) get(org, subject, SALES, period, 0)

static void test_one_fen(void **state)
{
    smg_org *org = new_org();
    (void)state;
    assert_int_equal(add(org, "member:m1", SALES, "2026", 1, NULL), 0);
    /* months: January gets the fen (tie, earliest first) */
    assert_int_equal(GET("member:m1", "2026"), 1);
    assert_int_equal(GET("member:m1", "2026-01"), 1);
    assert_int_equal(GET("member:m1", "2026-02"), 0);
    assert_int_equal(GET("member:m1", "2026-12"), 0);
    assert_int_equal(GET("member:m1", "2026-Q1"), 1);
    assert_int_equal(GET("member:m1", "2026-Q2"), 0);
    /* days: January's 1 fen over its 22 working days -> the first, Thu 1 Jan */
    assert_int_equal(GET("member:m1", "2026-01-01..2026-01-01"), 1);
    assert_int_equal(GET("member:m1", "2026-01-02..2026-01-31"), 0);
    /* a range across the year boundary */
    assert_int_equal(GET("member:m1", "2025-12-29..2026-01-04"), 1);
    /* no target: distinct from 0 */
    assert_int_equal(get(org, "member:m1", SALES, "2025", 1), 0);
    assert_int_equal(get(org, "member:m1", SALES, "2025-12-01..2025-12-31", 1), 0);
    assert_int_equal(get(org, "member:m2", SALES, "2026", 1), 0);
    assert_int_equal(get(org, "member:m1", SMG_METRIC_DEAL_COUNT, "2026", 1), 0);
    assert_int_equal(get(org, "company", SALES, "2026", 1), 0);
    /* 元旦: 1 Jan a holiday -> the fen moves to the next working day, Fri 2 Jan */
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-01-01"), 0);
    assert_int_equal(GET("member:m1", "2026-01-01..2026-01-01"), 0);
    assert_int_equal(GET("member:m1", "2026-01-02..2026-01-02"), 1);
    /* the month part is unchanged */
    assert_int_equal(GET("member:m1", "2026-01"), 1);
    smg_org_free(org);
}

static void test_prime_over_working_days(void **state)
{
    smg_org *org = new_org();
    (void)state;
    /* May 2026: 31 days from Fri 1 May: working days 1, 4–8, 11–15, 18–22,
     * 25–29 = 21. 1013 = 21 × 48 + 5: the first five working days (1, 4,
     * 5, 6, 7 May) get 49, the other sixteen 48. */
    assert_int_equal(add(org, "member:m2", SALES, "2026-05", 1013, NULL), 0);
    assert_int_equal(GET("member:m2", "2026-05"), 1013);
    assert_int_equal(GET("member:m2", "2026-05-01..2026-05-01"), 49);
    assert_int_equal(GET("member:m2", "2026-05-02..2026-05-03"), 0); /* weekend */
    /* week Mon 4 – Sun 10: 4 × 49 + 48 (Fri 8) = 244 */
    assert_int_equal(GET("member:m2", "2026-05-04..2026-05-10"), 244);
    assert_int_equal(GET("member:m2", "2026-05-11..2026-05-17"), 240); /* 5 × 48 */
    assert_int_equal(GET("member:m2", "2026-05-18..2026-05-24"), 240);
    /* week Mon 25 – Sun 31 May: 5 × 48; a week crossing into June, where
     * there is no target, counts only May's days */
    assert_int_equal(GET("member:m2", "2026-05-25..2026-05-31"), 240);
    assert_int_equal(GET("member:m2", "2026-05-25..2026-06-07"), 240);
    /* 49 + 244 + 240 + 240 + 240 = 1013 */

    /* 劳动节: 1 May a holiday, Sat 9 May a working day (调休): still 21
     * working days: 4–8, 9, 11–15, 18–22, 25–29; the first five (4–8 May)
     * get 49, 9 May and the rest 48. */
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-05-01"), 0);
    assert_int_equal(smg_policy_set(org, "calendar.workday", "2026-05-09"), 0);
    assert_int_equal(GET("member:m2", "2026-05-01..2026-05-03"), 0);
    assert_int_equal(GET("member:m2", "2026-05-09..2026-05-09"), 48);
    /* week 4–10 May: 5 × 49 + 48 = 293 */
    assert_int_equal(GET("member:m2", "2026-05-04..2026-05-10"), 293);
    assert_int_equal(GET("member:m2", "2026-05-11..2026-05-31"), 720); /* 15 × 48 */
    assert_int_equal(GET("member:m2", "2026-05"), 1013);
    smg_org_free(org);
}

static void test_profile_and_quarters(void **state)
{
    smg_org *org = new_org();
    /* weights 0, 0, 1, 2, 3, 0, 1, 1, 1, 1, 1, 1 (W = 12), in millionths */
    const int64_t season[12] = { 0, 0, 1000000, 2000000, 3000000, 0,
                                 1000000, 1000000, 1000000, 1000000, 1000000, 1000000 };
    const int64_t q1zero[12] = { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    const int64_t zero[12] = { 0 };
    (void)state;
    assert_int_equal(smg_profile_add(org, "season", season), 0);
    assert_int_equal(smg_profile_add(org, "q1zero", q1zero), 0);
    /* an all-zero profile is refused */
    assert_int_equal(smg_profile_add(org, "zero", zero), SMG_ERANGE);

    /* 100000 by season: w=1 -> 100000/12 = 8333 r4; w=2 -> 16666 r8;
     * w=3 -> 25000 r0. Floors: 8333 (Mar) + 16666 + 25000 + 6 × 8333 =
     * 99997, 3 left: Apr (r8), then the r4 ties earliest first: Mar, Jul.
     * Jan 0, Feb 0, Mar 8334, Apr 16667, May 25000, Jun 0, Jul 8334,
     * Aug–Dec 8333. */
    assert_int_equal(add(org, "team:east", SALES, "2026", 100000, "season"), 0);
    assert_int_equal(GET("team:east", "2026-01"), 0);
    assert_int_equal(GET("team:east", "2026-02"), 0);
    assert_int_equal(GET("team:east", "2026-03"), 8334);
    assert_int_equal(GET("team:east", "2026-04"), 16667);
    assert_int_equal(GET("team:east", "2026-05"), 25000);
    assert_int_equal(GET("team:east", "2026-06"), 0);
    assert_int_equal(GET("team:east", "2026-07"), 8334);
    assert_int_equal(GET("team:east", "2026-08"), 8333);
    assert_int_equal(GET("team:east", "2026-12"), 8333);
    /* quarters: 8334 | 16667 + 25000 = 41667 | 8334 + 2 × 8333 = 25000 |
     * 3 × 8333 = 24999; together 100000 */
    assert_int_equal(GET("team:east", "2026-Q1"), 8334);
    assert_int_equal(GET("team:east", "2026-Q2"), 41667);
    assert_int_equal(GET("team:east", "2026-Q3"), 25000);
    assert_int_equal(GET("team:east", "2026-Q4"), 24999);
    assert_int_equal(GET("team:east", "2026"), 100000);
    /* a range of whole months equals the months */
    assert_int_equal(GET("team:east", "2026-03-01..2026-05-31"), 8334 + 16667 + 25000);

    /* a quarter target uses its three months' weights: Q2 = 2:3:0.
     * 11 -> 22/5 = 4 r2, 33/5 = 6 r3, 0: 1 left -> May: 4, 7, 0 */
    assert_int_equal(add(org, "member:m3", SALES, "2026-Q2", 11, "season"), 0);
    assert_int_equal(GET("member:m3", "2026-04"), 4);
    assert_int_equal(GET("member:m3", "2026-05"), 7);
    assert_int_equal(GET("member:m3", "2026-06"), 0); /* a target, of 0 */
    assert_int_equal(GET("member:m3", "2026-Q2"), 11);
    assert_int_equal(GET("member:m3", "2026"), 11);
    assert_int_equal(get(org, "member:m3", SALES, "2026-Q3", 1), 0);
    /* April's 4 over its 22 working days (Wed 1 Apr; 1–3, 6–10, 13–17,
     * 20–24, 27–30): 1–3 and 6 April get 1 each */
    assert_int_equal(GET("member:m3", "2026-04-01..2026-04-05"), 3);
    assert_int_equal(GET("member:m3", "2026-04-06..2026-04-06"), 1);
    assert_int_equal(GET("member:m3", "2026-04-07..2026-04-30"), 0);

    /* zero weight in every month of the period: refused when added */
    assert_int_equal(add(org, "member:m1", SALES, "2026-Q1", 5, "q1zero"), SMG_ERANGE);
    assert_non_null(strstr(smg_org_errmsg(org), "zero"));
    assert_int_equal(add(org, "member:m1", SALES, "2026-06", 5, "season"), SMG_ERANGE);
    assert_int_equal(add(org, "member:m1", SALES, "2026", 5, "nosuch"), SMG_ENOTFOUND);
    /* Q2 of q1zero is fine: 1:1:1 */
    assert_int_equal(add(org, "member:m1", SALES, "2026-Q2", 5, "q1zero"), 0);
    assert_int_equal(GET("member:m1", "2026-04"), 2);
    assert_int_equal(GET("member:m1", "2026-05"), 2);
    assert_int_equal(GET("member:m1", "2026-06"), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TARGETS), 3);
    smg_org_free(org);
}

static void test_leap_february(void **state)
{
    smg_org *org = new_org();
    (void)state;
    /* 2028 (leap): 1200 / 12 = 100 a month exactly. February 2028 has 29
     * days from Tue 1 Feb: working days 1–4, 7–11, 14–18, 21–25, 28, 29
     * = 21. 100 = 21 × 4 + 16: the first 16 (1–4, 7–11, 14–18, 21, 22)
     * get 5; 23–25, 28, 29 get 4. */
    assert_int_equal(add(org, "member:m4", SALES, "2028", 1200, NULL), 0);
    assert_int_equal(GET("member:m4", "2028-02"), 100);
    assert_int_equal(GET("member:m4", "2028-02-29..2028-02-29"), 4);
    assert_int_equal(GET("member:m4", "2028-02-22..2028-02-22"), 5);
    assert_int_equal(GET("member:m4", "2028-02-23..2028-02-23"), 4);
    /* March 2028 from Wed 1 Mar: 23 working days; 100 = 23 × 4 + 8: the
     * first 8 (1–3, 6–10) get 5. The week Mon 28 Feb – Sun 5 Mar:
     * 4 + 4 + 5 + 5 + 5 = 23. */
    assert_int_equal(GET("member:m4", "2028-02-28..2028-03-05"), 23);
    assert_int_equal(GET("member:m4", "2028-02-01..2028-02-29"), 100);

    /* 2026 (not leap): 13 in February 2026 (Sun 1 Feb, 20 working days:
     * 2–6, 9–13, 16–20, 23–27): 13 < 20 -> the first 13 working days
     * (2–6, 9–13, 16–18) get 1. The last February day, Sat 28, gets 0,
     * and 26–27 get 0. */
    assert_int_equal(add(org, "member:m4", SALES, "2026-02", 13, NULL), 0);
    assert_int_equal(GET("member:m4", "2026-02-16..2026-02-22"), 3);
    assert_int_equal(GET("member:m4", "2026-02-23..2026-02-28"), 0);
    assert_int_equal(GET("member:m4", "2026-02-01..2026-02-15"), 10);
    smg_org_free(org);
}

static void test_month_without_working_day(void **state)
{
    smg_org *org = new_org();
    smg_date d;
    (void)state;
    /* every day of February 2026 a holiday: the month's 30 is spread over
     * its 28 calendar days instead: 1 each, 2 left -> 1 and 2 Feb get 2 */
    for (d = D("2026-02-01"); d <= D("2026-02-28"); d++) {
        char buf[16];
        smg_date_format(buf, sizeof buf, d);
        assert_int_equal(smg_policy_set(org, "calendar.holiday", buf), 0);
    }
    assert_int_equal(add(org, "member:m1", SALES, "2026-02", 30, NULL), 0);
    assert_int_equal(GET("member:m1", "2026-02"), 30);
    assert_int_equal(GET("member:m1", "2026-02-01..2026-02-01"), 2);
    assert_int_equal(GET("member:m1", "2026-02-02..2026-02-02"), 2);
    assert_int_equal(GET("member:m1", "2026-02-03..2026-02-28"), 26);
    smg_org_free(org);
}

static void test_overlaps(void **state)
{
    smg_org *org = new_org();
    size_t n;
    (void)state;
    assert_int_equal(add(org, "member:m1", SALES, "2026", 1200, NULL), 0);
    /* a month inside the year, same subject and metric */
    assert_int_equal(add(org, "member:m1", SALES, "2026-03", 100, NULL), SMG_ERULE);
    assert_non_null(strstr(smg_org_errmsg(org), "target #1"));
    assert_non_null(strstr(smg_org_errmsg(org), "target #0"));
    assert_int_equal(add(org, "member:m1", SALES, "2026-Q4", 100, NULL), SMG_ERULE);
    /* another metric, another subject, the next year: fine */
    assert_int_equal(add(org, "member:m1", SMG_METRIC_DEAL_COUNT, "2026-03", 3, NULL), 0);
    assert_int_equal(add(org, "member:m2", SALES, "2026-03", 100, NULL), 0);
    assert_int_equal(add(org, "member:m1", SALES, "2027-01", 100, NULL), 0);
    /* a team and its member are different subjects */
    assert_int_equal(add(org, "team:east1", SALES, "2026", 100, NULL), 0);
    n = smg_org_count(org, SMG_COUNT_TARGETS);
    assert_int_equal(n, 5);
    /* a batch with an overlap inside it loads nothing */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(add(org, "company", SALES, "2026-Q1", 10, NULL), 0);
    assert_int_equal(add(org, "company", SALES, "2026-02", 10, NULL), 0);
    assert_int_equal(add(org, "member:m3", SALES, "2026", 10, NULL), 0);
    assert_int_equal(smg_batch_commit(org), SMG_ERULE);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TARGETS), n);
    assert_int_equal(get(org, "company", SALES, "2026", 1), 0);
    assert_int_equal(get(org, "member:m3", SALES, "2026", 1), 0);
    /* quarters next to each other do not overlap */
    assert_int_equal(add(org, "company", SALES, "2026-Q1", 10, NULL), 0);
    assert_int_equal(add(org, "company", SALES, "2026-Q2", 20, NULL), 0);
    /* Q1: 10 / 3 = 3 r1 each: Jan 4, Feb 3, Mar 3; Q2: 20 / 3 = 6 r2: Apr 7, May 7, Jun 6 */
    assert_int_equal(GET("company", "2026-01"), 4);
    assert_int_equal(GET("company", "2026-03-01..2026-04-30"), 3 + 7);
    assert_int_equal(GET("company", "2026"), 30);
    smg_org_free(org);
}

static void test_query_errors(void **state)
{
    smg_org *org = new_org();
    smg_subject s, m1 = SUBJ(org, "member:m1");
    smg_period p, y2026 = PER("2026");
    int64_t v;
    int is_null;
    (void)state;
    assert_int_equal(add(org, "member:m1", SALES, "2026", 1200, NULL), 0);
    /* subjects and periods are typed: their text is checked by the parsers */
    assert_int_equal(smg_subject_parse(&s, org, "member:nobody"), SMG_ENOTFOUND);
    assert_int_equal(smg_subject_parse(&s, org, "boss"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(&p, "2026-13"), SMG_ERANGE);
    assert_int_equal(smg_period_parse(&p, "26"), SMG_EPARSE);
    assert_int_equal(smg_period_parse(&p, "2026-03-05..2026-03-01"), SMG_ERANGE);
    /* a subject that is not of the org, made by hand */
    s.kind = SMG_SUBJECT_MEMBER;
    s.index = 4; /* four members: 0–3 */
    v = 77;
    assert_int_equal(smg_target_get(org, &s, SALES, &y2026, &v, &is_null), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "subject"));
    assert_int_equal(v, 77);
    s.kind = (smg_subject_kind)0;
    s.index = 0;
    assert_int_equal(smg_target_get(org, &s, SALES, &y2026, &v, &is_null), SMG_EINVAL);
    /* a period whose days do not match its kind, made by hand */
    p.kind = SMG_PERIOD_MONTH;
    p.from = D("2026-03-05");
    p.to = D("2026-03-31");
    assert_int_equal(smg_target_get(org, &m1, SALES, &p, &v, &is_null), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "period"));
    p.kind = SMG_PERIOD_RANGE;
    p.from = D("2026-03-05");
    p.to = D("2026-03-01");
    assert_int_equal(smg_target_get(org, &m1, SALES, &p, &v, &is_null), SMG_EINVAL);
    p.kind = (smg_period_kind)0;
    assert_int_equal(smg_target_get(org, &m1, SALES, &p, &v, &is_null), SMG_EINVAL);
    assert_int_equal(smg_target_get(org, &m1, (smg_metric)42, &y2026, &v, &is_null),
                     SMG_EINVAL);
    assert_int_equal(smg_target_get(org, &m1, SALES, NULL, &v, &is_null), SMG_EINVAL);
    assert_int_equal(smg_target_get(org, NULL, SALES, &y2026, &v, &is_null), SMG_EINVAL);
    assert_int_equal(smg_target_get(org, &m1, SALES, &y2026, NULL, &is_null), SMG_EINVAL);
    assert_int_equal(smg_target_get(NULL, &m1, SALES, &y2026, &v, &is_null), SMG_EINVAL);
    assert_int_equal(v, 77);
    /* a success clears the message; any period kind is fine for a query */
    p = PER("2026-02");
    assert_int_equal(smg_target_get(org, &m1, SALES, &p, &v, &is_null), 0);
    assert_int_equal(v, 100);
    assert_int_equal(is_null, 0);
    assert_string_equal(smg_org_errmsg(org), "");
    assert_int_equal(smg_period_week(&p, D("2026-02-04")), 0); /* Mon 2 – Sun 8 Feb */
    assert_int_equal(smg_target_get(org, &m1, SALES, &p, &v, &is_null), 0);
    assert_int_equal(v, 25); /* February's 100 over 20 working days: 5 each */
    /* not inside an open batch, and the batch is left alone */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_target_get(org, &m1, SALES, &y2026, &v, &is_null), SMG_ESTATE);
    assert_int_equal(smg_batch_commit(org), 0);
    /* the internal entry used by kpi/pay, and what is stored: the public
     * subject and period kinds */
    {
        int64_t amount;
        assert_int_equal(smgi_target_amount(org, SMG_SUBJECT_MEMBER, 0, SALES, D("2026-01-01"),
                                            D("2026-06-30"), &amount, &is_null), 0);
        assert_int_equal(amount, 600);
        assert_int_equal(is_null, 0);
        assert_int_equal(org->targets.subject_kind[0], SMG_SUBJECT_MEMBER);
        assert_int_equal(org->targets.period_kind[0], SMG_PERIOD_YEAR);
    }
    smg_org_free(org);
}

static void test_add_errors(void **state)
{
    smg_org *org = new_org();
    smg_subject s = SUBJ(org, "member:m1"), company, east;
    smg_period p;
    size_t n;
    (void)state;
    assert_int_equal(smg_subject_parse(&company, org, "company"), 0);
    assert_int_equal(smg_subject_parse(&east, org, "team:east"), 0);
    /* a week or a range is a query period, not a target's */
    assert_int_equal(smg_period_week(&p, D("2026-03-04")), 0);
    assert_int_equal(smg_target_add(org, &s, SALES, &p, 10, NULL), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "2026-W10 is not a year, a quarter or a month"));
    assert_int_equal(smg_period_range(&p, D("2026-03-01"), D("2026-03-31")), 0);
    assert_int_equal(smg_target_add(org, &s, SALES, &p, 10, NULL), SMG_EINVAL);
    /* a quarter that does not start on a quarter's first day */
    p.kind = SMG_PERIOD_QUARTER;
    p.from = D("2026-02-01");
    p.to = D("2026-04-30");
    assert_int_equal(smg_target_add(org, &s, SALES, &p, 10, NULL), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "period"));
    assert_int_equal(smg_target_add(org, &s, SALES, NULL, 10, NULL), SMG_EINVAL);
    p = PER("2026-Q1");
    /* subjects not of the org */
    s.index = 9;
    assert_int_equal(smg_target_add(org, &s, SALES, &p, 10, NULL), SMG_EINVAL);
    assert_non_null(strstr(smg_org_errmsg(org), "subject"));
    s.kind = SMG_SUBJECT_TEAM;
    s.index = 4; /* four teams: 0–3 */
    assert_int_equal(smg_target_add(org, &s, SALES, &p, 10, NULL), SMG_EINVAL);
    assert_int_equal(smg_target_add(org, NULL, SALES, &p, 10, NULL), SMG_EINVAL);
    /* metric and amount */
    assert_int_equal(smg_target_add(org, &east, (smg_metric)6, &p, 10, NULL), SMG_EINVAL);
    assert_int_equal(smg_target_add(org, &east, SALES, &p, -1, NULL), SMG_ERANGE);
    assert_int_equal(smg_target_add(NULL, &east, SALES, &p, 10, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TARGETS), 0);
    /* what is kept: the subject kinds of common.h, the company as index 0 */
    assert_int_equal(smg_target_add(org, &company, SALES, &p, 30, NULL), 0);
    assert_int_equal(smg_target_add(org, &east, SMG_METRIC_VISITS, &p, 3, NULL), 0);
    n = smg_org_count(org, SMG_COUNT_TARGETS);
    assert_int_equal(n, 2);
    assert_int_equal(org->targets.subject_kind[0], SMG_SUBJECT_COMPANY);
    assert_int_equal(org->targets.subject[0], 0);
    assert_int_equal(org->targets.subject_kind[1], SMG_SUBJECT_TEAM);
    assert_int_equal(org->targets.subject[1], (int32_t)east.index);
    assert_int_equal(org->targets.period_kind[1], SMG_PERIOD_QUARTER);
    assert_int_equal(get(org, "company", SALES, "2026-02", 0), 10);
    smg_org_free(org);
}

/* Row of (subject, metric) in r, or -1. */
static long find_row(const smg_targets *r, smg_subject_kind kind, size_t index,
                     smg_metric metric)
{
    size_t i;
    for (i = 0; i < smg_targets_count(r); i++) {
        smg_subject s;
        int64_t m;
        assert_int_equal(smg_targets_subject(r, i, &s), 0);
        assert_int_equal(smg_targets_int(r, i, SMG_TARGETS_METRIC, &m, NULL), 0);
        if (s.kind == kind && s.index == index && m == (int64_t)metric)
            return (long)i;
    }
    return -1;
}

static void expect_row(const smg_targets *r, size_t row, smg_subject_kind kind, size_t index,
                       smg_metric metric)
{
    smg_subject s;
    int64_t m;
    int n = -1;
    assert_int_equal(smg_targets_subject(r, row, &s), 0);
    assert_int_equal(s.kind, kind);
    assert_int_equal(s.index, index);
    assert_int_equal(smg_targets_int(r, row, SMG_TARGETS_METRIC, &m, &n), 0);
    assert_int_equal(m, metric);
    assert_int_equal(n, 0);
}

static void expect_gap(const smg_targets *r, size_t row, int64_t own, int own_null,
                       int64_t children, int children_null, int64_t gap, int gap_null)
{
    int64_t v;
    int n;
    assert_int_equal(smg_targets_int(r, row, SMG_TARGETS_TARGET, &v, &n), 0);
    assert_int_equal(v, own);
    assert_int_equal(n, own_null);
    assert_int_equal(smg_targets_int(r, row, SMG_TARGETS_CHILDREN_SUM, &v, &n), 0);
    assert_int_equal(v, children);
    assert_int_equal(n, children_null);
    assert_int_equal(smg_targets_int(r, row, SMG_TARGETS_GAP, &v, &n), 0);
    assert_int_equal(v, gap);
    assert_int_equal(n, gap_null);
}

static smg_targets *targets_of(smg_org *org, const char *period, const char *as_member)
{
    smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *r = NULL;
    int rc;
    o.period = PER(period);
    o.as_member = as_member;
    rc = smg_targets_compute(&r, org, &o);
    if (rc)
        print_error("%s\n", smg_org_errmsg(org));
    assert_int_equal(rc, 0);
    assert_non_null(r);
    return r;
}

/* company 1,000,000.00 > hq 960,000.00 > east 600,000.00 + west 300,000.00;
 * east > east1 500,000.00 + m3 80,000.00; east1 > m1 240,000.00 (m2 none);
 * west has no child target in 2026 (m4's is in 2028). */
static smg_org *gaps_org(void)
{
    smg_org *org = new_org();
    assert_int_equal(add(org, "company", SALES, "2026", 100000000, NULL), 0);
    assert_int_equal(add(org, "team:hq", SALES, "2026", 96000000, NULL), 0);
    assert_int_equal(add(org, "team:east", SALES, "2026", 60000000, NULL), 0);
    assert_int_equal(add(org, "team:west", SALES, "2026", 30000000, NULL), 0);
    assert_int_equal(add(org, "team:east1", SALES, "2026", 50000000, NULL), 0);
    assert_int_equal(add(org, "member:m3", SALES, "2026", 8000000, NULL), 0);
    assert_int_equal(add(org, "member:m1", SALES, "2026", 24000000, NULL), 0);
    assert_int_equal(add(org, "member:m4", SALES, "2028", 1200, NULL), 0);
    assert_int_equal(add(org, "member:m2", SMG_METRIC_DEAL_COUNT, "2026", 12, NULL), 0);
    return org;
}

#define COMPANY SMG_SUBJECT_COMPANY
#define TEAM SMG_SUBJECT_TEAM
#define MEMBER SMG_SUBJECT_MEMBER
/* team indices: hq 0, east 1, east1 2, west 3; members m1 0 … m4 3 */

static void test_team_gaps(void **state)
{
    smg_org *org = gaps_org();
    smg_targets *r;
    smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
    (void)state;
    r = targets_of(org, "2026", NULL);
    /* rows: company/sales, hq/sales, east/sales, east1/sales,
     * east1/deal_count, west/sales, then the members m1/sales,
     * m2/deal_count, m3/sales, in that order */
    assert_int_equal(smg_targets_count(r), 9);
    expect_row(r, 0, COMPANY, 0, SALES);
    expect_row(r, 1, TEAM, 0, SALES);
    expect_row(r, 2, TEAM, 1, SALES);
    expect_row(r, 3, TEAM, 2, SALES);
    expect_row(r, 4, TEAM, 2, SMG_METRIC_DEAL_COUNT);
    expect_row(r, 5, TEAM, 3, SALES);
    expect_row(r, 6, MEMBER, 0, SALES);
    expect_row(r, 7, MEMBER, 1, SMG_METRIC_DEAL_COUNT);
    expect_row(r, 8, MEMBER, 2, SALES);
    assert_int_equal(find_row(r, MEMBER, 3, SALES), -1); /* m4: 2028 */
    /* company: 100000000 − hq 96000000 = 4000000 */
    expect_gap(r, 0, 100000000, 0, 96000000, 0, 4000000, 0);
    /* hq: 96000000 − (60000000 + 30000000) = 6000000 */
    expect_gap(r, 1, 96000000, 0, 90000000, 0, 6000000, 0);
    /* east: 60000000 − (50000000 + 8000000) = 2000000 */
    expect_gap(r, 2, 60000000, 0, 58000000, 0, 2000000, 0);
    /* east1: 50000000 − 24000000 = 26000000 */
    expect_gap(r, 3, 50000000, 0, 24000000, 0, 26000000, 0);
    /* east1 deal_count: no own target (null, gap null), children 12 */
    expect_gap(r, 4, 0, 1, 12, 0, 0, 1);
    /* west: no child target: children null (0), gap = own */
    expect_gap(r, 5, 30000000, 0, 0, 1, 30000000, 0);
    /* members: their target; children and gap always null */
    expect_gap(r, 6, 24000000, 0, 0, 1, 0, 1);
    expect_gap(r, 7, 12, 0, 0, 1, 0, 1);
    expect_gap(r, 8, 8000000, 0, 0, 1, 0, 1);
    smg_targets_free(r);

    /* January 2026, equal months:
     * company 100000000/12 = 8333333 r4 each -> Jan–Apr 8333334;
     * hq 8000000; east 5000000; west 2500000;
     * east1 50000000/12 = 4166666 r8 -> Jan–Aug 4166667;
     * m3 8000000/12 = 666666 r8 -> Jan–Aug 666667; m1 2000000.
     * gaps: company 8333334 − 8000000 = 333334; hq 8000000 − 7500000 =
     * 500000; east 5000000 − (4166667 + 666667) = 166666;
     * east1 4166667 − 2000000 = 2166667; deal_count m2 12/12 = 1. */
    r = targets_of(org, "2026-01", NULL);
    assert_int_equal(smg_targets_count(r), 9);
    expect_gap(r, 0, 8333334, 0, 8000000, 0, 333334, 0);
    expect_gap(r, 1, 8000000, 0, 7500000, 0, 500000, 0);
    expect_gap(r, 2, 5000000, 0, 4833334, 0, 166666, 0);
    expect_gap(r, 3, 4166667, 0, 2000000, 0, 2166667, 0);
    expect_gap(r, 4, 0, 1, 1, 0, 0, 1);
    expect_gap(r, 5, 2500000, 0, 0, 1, 2500000, 0);
    expect_gap(r, 6, 2000000, 0, 0, 1, 0, 1);
    expect_gap(r, 7, 1, 0, 0, 1, 0, 1);
    expect_gap(r, 8, 666667, 0, 0, 1, 0, 1);
    smg_targets_free(r);

    /* a period without targets: no rows */
    r = targets_of(org, "2027", NULL);
    assert_int_equal(smg_targets_count(r), 0);
    smg_targets_free(r);
    /* 2028: west (m4's target as its child) and m4 */
    r = targets_of(org, "2028", NULL);
    assert_int_equal(smg_targets_count(r), 2);
    expect_row(r, 0, TEAM, 3, SALES);
    expect_gap(r, 0, 0, 1, 1200, 0, 0, 1);
    expect_row(r, 1, MEMBER, 3, SALES);
    expect_gap(r, 1, 1200, 0, 0, 1, 0, 1);
    smg_targets_free(r);
    /* a week: Mon 5 – Sun 11 Jan 2026; m1's January 2000000 over its 22
     * working days = 90909 r2: the 1st and 2nd get 90910; the week's five
     * working days (5–9) get 90909 each = 454545 */
    r = targets_of(org, "2026-W02", NULL);
    expect_row(r, 6, MEMBER, 0, SALES);
    expect_gap(r, 6, 454545, 0, 0, 1, 0, 1);
    smg_targets_free(r);

    /* options */
    r = (smg_targets *)1;
    assert_int_equal(smg_targets_compute(&r, org, &o), SMG_EINVAL); /* no period */
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "period is required"));
    o.period = PER("2026-03");
    o.period.to--; /* not the month's last day */
    assert_int_equal(smg_targets_compute(&r, org, &o), SMG_EINVAL);
    o.period = PER("2026-03");
    o.version = 2;
    assert_int_equal(smg_targets_compute(&r, org, &o), SMG_EVERSION);
    o.version = SMG_TARGETS_OPTIONS_VERSION;
    assert_int_equal(smg_targets_compute(&r, org, NULL), SMG_EINVAL);
    assert_int_equal(smg_targets_compute(&r, NULL, &o), SMG_EINVAL);
    assert_int_equal(smg_targets_compute(NULL, org, &o), SMG_EINVAL);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_targets_compute(&r, org, &o), SMG_ESTATE);
    smg_batch_rollback(org);
    assert_int_equal(smg_targets_compute(&r, org, &o), 0);
    assert_int_equal(smg_targets_count(r), 9);
    smg_targets_free(r);
    assert_int_equal(smg_targets_options_init(&o, SMG_TARGETS_OPTIONS_VERSION), 0);
    assert_null(o.as_member);
    assert_int_equal(o.period.kind, 0);
    assert_int_equal(smg_targets_options_init(&o, 7), SMG_EVERSION);
    assert_int_equal(smg_targets_options_init(NULL, SMG_TARGETS_OPTIONS_VERSION), SMG_EINVAL);
    smg_targets_free(NULL);
    assert_int_equal(smg_targets_count(NULL), 0);
    smg_org_free(org);
}

/* Every field through the getters: names, types, bad rows and fields,
 * null values, a NULL is_null. */
static void test_targets_table(void **state)
{
    static const char *const names[] = { "metric", "target", "children_sum", "gap" };
    static const smg_type types[] = { SMG_TYPE_ENUM, SMG_TYPE_INT, SMG_TYPE_INT, SMG_TYPE_INT };
    smg_org *org = gaps_org();
    smg_targets *r = targets_of(org, "2026", NULL);
    smg_subject s = { SMG_SUBJECT_TEAM, 99 };
    int64_t v;
    int n, f;
    (void)state;
    for (f = 0; smg_targets_field_name((smg_targets_field)f); f++) {
        assert_true(f < 4);
        assert_string_equal(smg_targets_field_name((smg_targets_field)f), names[f]);
        assert_int_equal(smg_targets_field_type((smg_targets_field)f), types[f]);
    }
    assert_int_equal(f, 4);
    assert_null(smg_targets_field_name((smg_targets_field)-1));
    assert_int_equal(smg_targets_field_type((smg_targets_field)4), 0);
    assert_int_equal(smg_targets_field_type((smg_targets_field)-1), 0);
    for (f = 0; f < 4; f++) {
        /* a bad row: SMG_EINVAL, nothing written */
        v = 5;
        n = 5;
        assert_int_equal(smg_targets_int(r, 9, (smg_targets_field)f, &v, &n), SMG_EINVAL);
        assert_int_equal(v, 5);
        assert_int_equal(n, 5);
        assert_int_equal(smg_targets_int(NULL, 0, (smg_targets_field)f, &v, &n), SMG_EINVAL);
        assert_int_equal(smg_targets_int(r, 0, (smg_targets_field)f, NULL, &n), SMG_EINVAL);
        /* every field reads on a good row, with or without is_null */
        assert_int_equal(smg_targets_int(r, 0, (smg_targets_field)f, &v, NULL), 0);
    }
    v = 5;
    assert_int_equal(smg_targets_int(r, 0, (smg_targets_field)4, &v, &n), SMG_EINVAL);
    assert_int_equal(smg_targets_int(r, 0, (smg_targets_field)-1, &v, &n), SMG_EINVAL);
    assert_int_equal(v, 5);
    /* null values: *out = 0, *is_null = 1 (east1 deal_count, row 4) */
    v = 5;
    assert_int_equal(smg_targets_int(r, 4, SMG_TARGETS_TARGET, &v, &n), 0);
    assert_int_equal(v, 0);
    assert_int_equal(n, 1);
    v = 5;
    assert_int_equal(smg_targets_int(r, 4, SMG_TARGETS_GAP, &v, NULL), 0);
    assert_int_equal(v, 0);
    /* values read without is_null */
    assert_int_equal(smg_targets_int(r, 0, SMG_TARGETS_GAP, &v, NULL), 0);
    assert_int_equal(v, 4000000);
    /* the subject getter */
    assert_int_equal(smg_targets_subject(r, 9, &s), SMG_EINVAL);
    assert_int_equal(s.kind, SMG_SUBJECT_TEAM);
    assert_int_equal(s.index, 99);
    assert_int_equal(smg_targets_subject(r, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_targets_subject(NULL, 0, &s), SMG_EINVAL);
    assert_int_equal(smg_targets_subject(r, 0, &s), 0);
    assert_int_equal(s.kind, SMG_SUBJECT_COMPANY);
    assert_int_equal(s.index, 0);
    smg_targets_free(r);
    smg_org_free(org);
}

/* RULES.md §1: a rep sees their own rows, a leader the teams of their
 * subtree and its members, the company row needs full rights. */
static void test_targets_visibility(void **state)
{
    smg_org *org = gaps_org();
    smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *r;
    (void)state;
    /* m3 (supervisor, in east) leads east: east and east1, m1, m2, m3 */
    assert_int_equal(smg_team_set_leader(org, "east", "m3"), 0);
    r = targets_of(org, "2026", "m3");
    assert_int_equal(smg_targets_count(r), 6);
    expect_row(r, 0, TEAM, 1, SALES);
    expect_row(r, 1, TEAM, 2, SALES);
    expect_row(r, 2, TEAM, 2, SMG_METRIC_DEAL_COUNT);
    expect_row(r, 3, MEMBER, 0, SALES);
    expect_row(r, 4, MEMBER, 1, SMG_METRIC_DEAL_COUNT);
    expect_row(r, 5, MEMBER, 2, SALES);
    /* the same figures as with full rights: the children of east are all
     * counted, visible or not */
    expect_gap(r, 0, 60000000, 0, 58000000, 0, 2000000, 0);
    smg_targets_free(r);
    /* a rep: their own row only */
    r = targets_of(org, "2026", "m1");
    assert_int_equal(smg_targets_count(r), 1);
    expect_row(r, 0, MEMBER, 0, SALES);
    expect_gap(r, 0, 24000000, 0, 0, 1, 0, 1);
    smg_targets_free(r);
    /* a rep without a target in the period: nothing */
    r = targets_of(org, "2026", "m4");
    assert_int_equal(smg_targets_count(r), 0);
    smg_targets_free(r);
    r = targets_of(org, "2028", "m4");
    assert_int_equal(smg_targets_count(r), 1);
    expect_row(r, 0, MEMBER, 3, SALES);
    smg_targets_free(r);
    /* the leader of the root team sees every team and member, but the
     * company row needs full rights */
    assert_int_equal(smg_team_set_leader(org, "hq", "m3"), 0);
    r = targets_of(org, "2026", "m3");
    assert_int_equal(smg_targets_count(r), 8);
    expect_row(r, 0, TEAM, 0, SALES);
    assert_int_equal(find_row(r, COMPANY, 0, SALES), -1);
    smg_targets_free(r);
    /* "" is full rights; an unknown member is an error */
    r = targets_of(org, "2026", "");
    assert_int_equal(smg_targets_count(r), 9);
    smg_targets_free(r);
    o.period = PER("2026");
    o.as_member = "nobody";
    r = (smg_targets *)1;
    assert_int_equal(smg_targets_compute(&r, org, &o), SMG_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(smg_org_errmsg(org), "nobody"));
    smg_org_free(org);
}

/* Every allocation of smg_targets_compute() failing in turn: SMG_ENOMEM,
 * no result, nothing leaked, nothing freed through another allocator. */
static void test_targets_out_of_memory(void **state)
{
    failing f = FAILING_INIT;
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_targets_options o = SMG_TARGETS_OPTIONS_INIT;
    smg_org *org = NULL;
    smg_targets *r;
    long base, k;
    int rc = SMG_ENOMEM, pass;
    (void)state;
    failing_options(&oo, &f);
    assert_int_equal(smg_org_new(&org, &oo), 0);
    assert_int_equal(smg_team_add(org, "t", "", NULL), 0);
    assert_int_equal(smg_member_add(org, "m", "", "t", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_team_set_leader(org, "t", "m"), 0);
    assert_int_equal(add(org, "member:m", SALES, "2026", 1200, NULL), 0);
    assert_int_equal(add(org, "team:t", SALES, "2026", 1300, NULL), 0);
    assert_int_equal(smg_targets_compute(&r, org, NULL), SMG_EINVAL); /* the error list exists */
    base = f.live - (long)smg_org_error_count(org);
    o.period = PER("2026-05");
    /* with full rights (3 rows: the company's has the root team as its
     * child), then as the leader of t (2 rows) */
    for (pass = 0; pass < 2; pass++) {
        o.as_member = pass ? "m" : NULL;
        for (k = 0; k < 100; k++) {
            f.fail_at = f.calls + k;
            r = (smg_targets *)1;
            rc = smg_targets_compute(&r, org, &o);
            if (rc == 0)
                break;
            assert_int_equal(rc, SMG_ENOMEM);
            assert_null(r);
            assert_int_equal(f.live - (long)smg_org_error_count(org), base);
        }
        assert_int_equal(rc, 0);
        assert_true(k >= 2);
        f.fail_at = -1;
        assert_int_equal(smg_targets_count(r), pass ? 2 : 3);
        smg_targets_free(r);
        assert_int_equal(f.live - (long)smg_org_error_count(org), base);
    }
    smg_org_free(org);
    assert_int_equal(f.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_small),
        cmocka_unit_test(test_split_random),
        cmocka_unit_test(test_one_fen),
        cmocka_unit_test(test_prime_over_working_days),
        cmocka_unit_test(test_profile_and_quarters),
        cmocka_unit_test(test_leap_february),
        cmocka_unit_test(test_month_without_working_day),
        cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_query_errors),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_team_gaps),
        cmocka_unit_test(test_targets_table),
        cmocka_unit_test(test_targets_visibility),
        cmocka_unit_test(test_targets_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
