/* The root handle, errors, the organisation model and all-or-nothing batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"

/* An INDEX field of a row, or -1 when null; the getter must succeed. */
static long team_idx(const smg_org *org, size_t row, smg_team_field f)
{
    size_t v = 99;
    int is_null = 7;
    assert_int_equal(smg_team_index(org, row, f, &v, &is_null), 0);
    assert_true(is_null == 0 || is_null == 1);
    if (is_null)
        assert_int_equal(v, 0);
    return is_null ? -1 : (long)v;
}

static long member_idx(const smg_org *org, size_t row, smg_member_field f)
{
    size_t v = 99;
    int is_null = 7;
    assert_int_equal(smg_member_index(org, row, f, &v, &is_null), 0);
    assert_true(is_null == 0 || is_null == 1);
    return is_null ? -1 : (long)v;
}

/* An INT-family field, or `none` when null. */
static int64_t member_num(const smg_org *org, size_t row, smg_member_field f, int64_t none)
{
    int64_t v = 99;
    int is_null = 7;
    assert_int_equal(smg_member_int(org, row, f, &v, &is_null), 0);
    assert_true(is_null == 0 || is_null == 1);
    if (is_null)
        assert_int_equal(v, 0);
    return is_null ? none : v;
}

static long customer_key(const smg_org *org, size_t row)
{
    size_t v = 99;
    int is_null = 7;
    assert_int_equal(smg_customer_index(org, row, SMG_CUSTOMER_KEY, &v, &is_null), 0);
    assert_int_equal(is_null, 0);
    return (long)v;
}

static smg_org *new_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_non_null(org);
    return org;
}

static void test_version(void **state)
{
    (void)state;
    assert_int_equal(smg_version(), SMG_VERSION_NUMBER);
    assert_string_equal(smg_version_string(), SMG_VERSION_STRING);
    assert_int_equal(SMG_VERSION_NUMBER, 100);
}

static void test_strerror(void **state)
{
    int codes[] = { SMG_OK, SMG_EINVAL, SMG_ENOMEM, SMG_ENOTFOUND, SMG_EEXISTS, SMG_ERANGE,
                    SMG_EPARSE, SMG_EIO, SMG_ESTATE, SMG_ERULE, SMG_EACCESS, SMG_EVERSION,
                    SMG_EDATA };
    size_t i, j;
    (void)state;
    /* every code has its own name; unknown codes still get a string */
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_non_null(smg_strerror(codes[i]));
        for (j = 0; j < i; j++)
            assert_string_not_equal(smg_strerror(codes[i]), smg_strerror(codes[j]));
    }
    assert_string_equal(smg_strerror(-999), "unknown status");
}

static void test_new_free(void **state)
{
    smg_org *org = NULL;
    smg_org_options opts;
    (void)state;
    smg_org_free(NULL); /* accepted */
    assert_int_equal(smg_org_new(NULL, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_options_init(&opts, 99), SMG_EVERSION);
    assert_int_equal(smg_org_options_init(&opts, SMG_ORG_OPTIONS_VERSION), 0);
    opts.version = 2;
    assert_int_equal(smg_org_new(&org, &opts), SMG_EVERSION);
    assert_null(org);
    opts.version = SMG_ORG_OPTIONS_VERSION;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_string_equal(smg_org_errmsg(org), "");
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 0);
    smg_org_free(org);
}

/* A counting allocator: the org must use it for everything and free all. */
typedef struct counter {
    long live, calls, fail_at;
} counter;

static void *c_malloc(void *op, size_t n)
{
    counter *c = op;
    if (c->fail_at && ++c->calls >= c->fail_at)
        return NULL;
    c->live++;
    return malloc(n);
}

static void *c_realloc(void *op, void *p, size_t n)
{
    counter *c = op;
    if (c->fail_at && ++c->calls >= c->fail_at)
        return NULL;
    if (!p)
        c->live++;
    return realloc(p, n);
}

static void c_free(void *op, void *p)
{
    counter *c = op;
    if (p)
        c->live--;
    free(p);
}

static int build_small(smg_org *org)
{
    int rc = 0;
    smg_event ev = SMG_EVENT_INIT;
    rc |= smg_team_add(org, "co", "公司", NULL);
    rc |= smg_team_add(org, "t1", "一组", "co");
    rc |= smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP);
    rc |= smg_member_add(org, "m2", "李娜", "t1", SMG_ROLE_LEADER);
    rc |= smg_team_set_leader(org, "t1", "m2");
    rc |= smg_customer_add(org, "c1", "王先生", "13800000000", NULL);
    ev.type = SMG_EV_REGISTER;
    ev.at = 1700000000;
    ev.member = "m1";
    ev.customer = "c1";
    rc |= smg_event_add(org, &ev);
    return rc;
}

static void test_allocator(void **state)
{
    counter c = { 0, 0, 0 };
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    (void)state;
    opts.allocator.malloc_fn = c_malloc;
    opts.allocator.realloc_fn = c_realloc;
    opts.allocator.free_fn = c_free;
    opts.allocator.opaque = &c;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(build_small(org), 0);
    assert_true(c.live > 0);
    smg_org_free(org);
    assert_int_equal(c.live, 0);

    /* half an allocator is refused */
    opts.allocator.free_fn = NULL;
    assert_int_equal(smg_org_new(&org, &opts), SMG_EINVAL);
}

/* Fail every allocation in turn: each failure is reported, nothing leaks,
 * and the org stays usable (SQLite's fault-injection habit). */
static void test_allocation_failures(void **state)
{
    long k;
    (void)state;
    for (k = 1; k < 60; k++) {
        counter c = { 0, 0, k };
        smg_org_options opts = SMG_ORG_OPTIONS_INIT;
        smg_org *org = NULL;
        opts.allocator.malloc_fn = c_malloc;
        opts.allocator.realloc_fn = c_realloc;
        opts.allocator.free_fn = c_free;
        opts.allocator.opaque = &c;
        if (smg_org_new(&org, &opts) == 0) {
            (void)build_small(org);
            smg_org_free(org);
        }
        assert_int_equal(c.live, 0);
    }
}

static void test_teams_members(void **state)
{
    smg_org *org = new_org();
    size_t i;
    (void)state;
    assert_int_equal(smg_team_add(org, "co", "公司", NULL), 0);
    assert_int_equal(smg_team_add(org, "r1", "华东", "co"), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "r1"), 0);
    assert_int_equal(smg_team_add(org, "t1", "dup", "r1"), SMG_EEXISTS);
    assert_non_null(strstr(smg_org_errmsg(org), "t1"));
    assert_int_equal(smg_team_add(org, "t2", "x", "nope"), SMG_ENOTFOUND);
    assert_non_null(strstr(smg_org_errmsg(org), "nope"));
    assert_int_equal(smg_team_add(org, "", "x", NULL), SMG_EINVAL);
    assert_int_equal(smg_team_add(org, "bad\tid", "x", NULL), SMG_EINVAL);
    assert_int_equal(smg_team_add(org,
        "ab123456789012345678901234567890123456789012345678901234567890123", "x", NULL),
        SMG_EINVAL); /* 65 bytes */
    assert_int_equal(smg_team_add(org,
        "a123456789012345678901234567890123456789012345678901234567890123", "x", NULL), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TEAMS), 4);

    assert_int_equal(smg_team_find(org, "t1", &i), 0);
    assert_int_equal(i, 2);
    assert_string_equal(smg_team_id(org, i), "t1");
    assert_string_equal(smg_team_name(org, i), "一组");
    assert_int_equal(team_idx(org, i, SMG_TEAM_PARENT), 1);
    assert_int_equal(team_idx(org, 0, SMG_TEAM_PARENT), -1);
    assert_null(smg_team_id(org, 99));

    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "Li Na", "t1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "m1", "again", "t1", SMG_ROLE_REP), SMG_EEXISTS);
    assert_int_equal(smg_member_add(org, "m3", "x", "zz", SMG_ROLE_REP), SMG_ENOTFOUND);
    assert_int_equal(smg_member_add(org, "m3", "x", "t1", (smg_role)9), SMG_ERANGE);
    assert_int_equal(smg_team_set_leader(org, "t1", "m2"), 0);
    assert_int_equal(team_idx(org, 2, SMG_TEAM_LEADER), 1);
    assert_int_equal(smg_team_set_leader(org, "t1", "ghost"), SMG_ENOTFOUND);
    assert_int_equal(team_idx(org, 2, SMG_TEAM_LEADER), 1);

    assert_int_equal(smg_member_find(org, "m2", &i), 0);
    assert_string_equal(smg_member_name(org, i), "Li Na");
    assert_int_equal(member_num(org, i, SMG_MEMBER_ROLE, -1), SMG_ROLE_LEADER);
    assert_int_equal(member_idx(org, i, SMG_MEMBER_TEAM), 2);
    assert_int_equal(member_num(org, i, SMG_MEMBER_START, -1), -1); /* open */
    assert_int_equal(member_num(org, i, SMG_MEMBER_END, -1), -1);
    assert_int_equal(smg_member_set_dates(org, "m2", 20000, 19999), SMG_ERANGE);
    assert_int_equal(smg_member_set_dates(org, "m2", 20000, 20100), 0);
    assert_int_equal(member_num(org, i, SMG_MEMBER_START, -1), 20000);
    assert_int_equal(member_num(org, i, SMG_MEMBER_END, -1), 20100);
    assert_int_equal(member_num(org, i, SMG_MEMBER_PAY_TOTAL, -1), -1);
    assert_int_equal(smg_member_set_pay_total(org, "m2", 800000), 0);
    assert_int_equal(member_num(org, i, SMG_MEMBER_PAY_TOTAL, -1), 800000);
    assert_int_equal(smg_member_set_pay_total(org, "m2", -1), SMG_ERANGE);
    smg_org_free(org);
}

static void test_roles(void **state)
{
    smg_role r;
    (void)state;
    assert_int_equal(smg_role_parse(&r, "director"), 0);
    assert_int_equal(r, SMG_ROLE_DIRECTOR);
    assert_int_equal(smg_role_parse(&r, "boss"), SMG_EPARSE);
    assert_string_equal(smg_role_name(SMG_ROLE_SUPERVISOR), "supervisor");
    assert_null(smg_role_name((smg_role)7));
}

static void test_customers_keys(void **state)
{
    smg_org *org = new_org();
    size_t a, b, c;
    char buf[32];
    (void)state;
    assert_int_equal(smg_customer_add(org, "c1", "王家", "+86 138-0000-0001", "fam-wang"), 0);
    assert_int_equal(smg_customer_add(org, "c2", "王太太", "13800000002", "fam-wang"), 0);
    assert_int_equal(smg_customer_add(org, "c3", "赵", "", NULL), 0);
    /* a group key equal to another customer's id does not merge them */
    assert_int_equal(smg_customer_add(org, "c4", "钱", "", "c3"), 0);
    assert_int_equal(smg_customer_add(org, "c1", "dup", "", NULL), SMG_EEXISTS);
    assert_int_equal(smg_org_count(org, SMG_COUNT_CUSTOMERS), 4);
    assert_int_equal(smg_org_count(org, SMG_COUNT_KEYS), 3);
    assert_int_equal(smg_customer_find(org, "c1", &a), 0);
    assert_int_equal(smg_customer_find(org, "c2", &b), 0);
    assert_int_equal(smg_customer_find(org, "c3", &c), 0);
    assert_int_equal(customer_key(org, a), customer_key(org, b));
    assert_int_not_equal(customer_key(org, a), customer_key(org, c));
    assert_string_equal(smg_key_text(org, (size_t)customer_key(org, a)), "fam-wang");
    assert_string_equal(smg_key_text(org, (size_t)customer_key(org, c)), "c3");
    assert_null(smg_key_text(org, 3));
    assert_null(smg_key_text(NULL, 0));
    assert_string_equal(smg_customer_phone(org, a), "+86 138-0000-0001");

    assert_int_equal(smg_phone_normalise(buf, sizeof buf, "+86 138-0000-0001"), 11);
    assert_string_equal(buf, "13800000001");
    assert_int_equal(smg_phone_normalise(buf, sizeof buf, "0086 13800000001"), 11);
    assert_string_equal(buf, "13800000001");
    assert_int_equal(smg_phone_normalise(buf, sizeof buf, "(021) 5555 0000"), 11);
    assert_string_equal(buf, "02155550000");
    assert_int_equal(smg_phone_normalise(buf, 5, "13800000001"), SMG_ERANGE);
    smg_org_free(org);
}

/* A failed batch applies nothing; a committed one applies everything. */
static void test_batch_all_or_nothing(void **state)
{
    smg_org *org = new_org();
    size_t i;
    (void)state;
    assert_int_equal(smg_team_add(org, "t1", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "m1", "A", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_set_pay_total(org, "m1", 100), 0);

    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_batch_begin(org), SMG_ESTATE);
    assert_int_equal(smg_team_add(org, "t2", "二组", "t1"), 0);
    assert_int_equal(smg_member_add(org, "m2", "B", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_set_pay_total(org, "m1", 999), 0); /* an old row */
    assert_int_equal(smg_team_set_leader(org, "t1", "m2"), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", "", "g"), 0);
    assert_int_equal(smg_member_add(org, "m3", "C", "nope", SMG_ROLE_REP), SMG_ENOTFOUND);
    assert_int_equal(smg_member_add(org, "m1", "C", "t1", SMG_ROLE_REP), SMG_EEXISTS);
    assert_int_equal(smg_batch_commit(org), SMG_EDATA);
    assert_int_equal(smg_org_error_count(org), 2);
    assert_non_null(strstr(smg_org_error(org, 0), "nope"));
    assert_non_null(strstr(smg_org_error(org, 1), "m1"));
    assert_null(smg_org_error(org, 2));
    /* nothing of it remains */
    assert_int_equal(smg_org_count(org, SMG_COUNT_TEAMS), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_CUSTOMERS), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_KEYS), 0);
    assert_int_equal(smg_team_find(org, "t2", &i), SMG_ENOTFOUND);
    assert_int_equal(smg_member_find(org, "m2", &i), SMG_ENOTFOUND);
    assert_int_equal(member_num(org, 0, SMG_MEMBER_PAY_TOTAL, -1), 100);
    assert_int_equal(team_idx(org, 0, SMG_TEAM_LEADER), -1);
    /* the ids are free again */
    assert_int_equal(smg_team_add(org, "t2", "二组", "t1"), 0);

    /* explicit rollback */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_member_add(org, "m9", "Z", "t2", SMG_ROLE_REP), 0);
    smg_batch_rollback(org);
    assert_int_equal(smg_member_find(org, "m9", &i), SMG_ENOTFOUND);
    assert_int_equal(smg_batch_commit(org), SMG_ESTATE);

    /* a good batch */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_member_add(org, "m9", "Z", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", "", NULL), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 2);
    assert_string_equal(smg_org_errmsg(org), "");
    smg_org_free(org);
}

static void test_max_errors(void **state)
{
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    int i;
    (void)state;
    opts.max_errors = 3;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    for (i = 0; i < 10; i++)
        assert_int_equal(smg_member_add(org, "m", "x", "none", SMG_ROLE_REP), SMG_ENOTFOUND);
    assert_int_equal(smg_batch_commit(org), SMG_EDATA);
    assert_int_equal(smg_org_error_count(org), 3);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_new_free),
        cmocka_unit_test(test_allocator),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_teams_members),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_customers_keys),
        cmocka_unit_test(test_batch_all_or_nothing),
        cmocka_unit_test(test_max_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
