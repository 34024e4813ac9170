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
    assert_int_equal(SMG_VERSION_NUMBER, 300); /* 0.3.0: the first frozen ABI (0.2.0) and §8 */
    assert_string_equal(SMG_VERSION_STRING, "0.3.0");
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

/* ---- the model's tables through their getters ---- */

#define UNTOUCHED 12345

/* Every getter's common refusals on row `row` of a table of `count` rows:
 * a row past the count, an unknown field, a NULL org or output. */
#define CHECK_REFUSALS(T, org, count, nfields, text_field, index_field)                    \
    do {                                                                                    \
        size_t ix_ = UNTOUCHED;                                                             \
        int64_t in_ = UNTOUCHED;                                                            \
        const char *tx_ = "untouched";                                                      \
        int nul_ = 7;                                                                       \
        assert_int_equal(smg_##T##_index(org, count, index_field, &ix_, &nul_), SMG_EINVAL); \
        assert_int_equal(smg_##T##_text(org, count, text_field, &tx_, &nul_), SMG_EINVAL);  \
        assert_int_equal(smg_##T##_index(org, 0, (smg_##T##_field)(nfields), &ix_, &nul_),   \
                         SMG_EINVAL);                                                       \
        assert_int_equal(smg_##T##_int(org, 0, (smg_##T##_field)(nfields), &in_, &nul_),     \
                         SMG_EINVAL);                                                       \
        assert_int_equal(smg_##T##_text(org, 0, (smg_##T##_field)(nfields), &tx_, &nul_),    \
                         SMG_EINVAL);                                                       \
        assert_int_equal(smg_##T##_text(org, 0, (smg_##T##_field)-1, &tx_, &nul_),           \
                         SMG_EINVAL);                                                       \
        assert_int_equal(smg_##T##_index(NULL, 0, index_field, &ix_, &nul_), SMG_EINVAL);   \
        assert_int_equal(smg_##T##_index(org, 0, index_field, NULL, &nul_), SMG_EINVAL);    \
        assert_int_equal(smg_##T##_text(org, 0, text_field, NULL, &nul_), SMG_EINVAL);      \
        assert_int_equal(smg_##T##_int(org, 0, text_field, NULL, &nul_), SMG_EINVAL);       \
        /* a field of another type */                                                       \
        assert_int_equal(smg_##T##_index(org, 0, text_field, &ix_, &nul_), SMG_EINVAL);     \
        assert_int_equal(smg_##T##_int(org, 0, text_field, &in_, &nul_), SMG_EINVAL);       \
        assert_int_equal(smg_##T##_int(org, 0, index_field, &in_, &nul_), SMG_EINVAL);      \
        assert_int_equal(smg_##T##_text(org, 0, index_field, &tx_, &nul_), SMG_EINVAL);     \
        assert_int_equal(ix_, UNTOUCHED);                                                   \
        assert_int_equal(in_, UNTOUCHED);                                                   \
        assert_string_equal(tx_, "untouched");                                              \
        assert_int_equal(nul_, 7);                                                          \
        assert_null(smg_##T##_field_name((smg_##T##_field)(nfields)));                      \
        assert_int_equal(smg_##T##_field_type((smg_##T##_field)(nfields)), 0);              \
        assert_int_equal(smg_##T##_field_type((smg_##T##_field)-1), 0);                     \
        assert_int_equal(smg_##T##_count(NULL), 0);                                         \
    } while (0)

/* A text field: its value (NULL when null), checking is_null agrees. */
#define TEXT_GETTER(T)                                                               \
    static const char *T##_txt(const smg_org *org, size_t row, smg_##T##_field f)   \
    {                                                                                \
        const char *v = "unset";                                                     \
        int n = 7;                                                                   \
        assert_int_equal(smg_##T##_text(org, row, f, &v, &n), 0);                    \
        assert_true(n == 0 || n == 1);                                               \
        assert_int_equal(n, v == NULL);                                              \
        return v;                                                                    \
    }
TEXT_GETTER(team)
TEXT_GETTER(member)
TEXT_GETTER(customer)
#define TEXT_OF(T, org, row, f) T##_txt(org, row, f)

static void expect_text(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

static void test_team_table(void **state)
{
    static const char *const names[] = { "id", "name", "parent", "leader" };
    static const smg_type types[] = { SMG_TYPE_TEXT, SMG_TYPE_TEXT, SMG_TYPE_INDEX,
                                      SMG_TYPE_INDEX };
    smg_org *org = new_org();
    size_t f, ix;
    int is_null = 0;
    const char *tx;
    (void)state;
    for (f = 0; smg_team_field_name((smg_team_field)f); f++) {
        assert_string_equal(smg_team_field_name((smg_team_field)f), names[f]);
        assert_int_equal(smg_team_field_type((smg_team_field)f), types[f]);
    }
    assert_int_equal(f, 4);
    assert_int_equal(smg_team_count(org), 0);
    assert_int_equal(smg_team_add(org, "co", "", NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "co"), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", "李娜", "t1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_team_set_leader(org, "t1", "m2"), 0);
    assert_int_equal(smg_team_count(org), 2);
    CHECK_REFUSALS(team, org, 2, 4, SMG_TEAM_ID, SMG_TEAM_PARENT);

    expect_text(TEXT_OF(team, org, 0, SMG_TEAM_ID), "co");
    expect_text(TEXT_OF(team, org, 0, SMG_TEAM_NAME), NULL); /* "" is null */
    expect_text(TEXT_OF(team, org, 1, SMG_TEAM_ID), "t1");
    expect_text(TEXT_OF(team, org, 1, SMG_TEAM_NAME), "一组");
    assert_int_equal(team_idx(org, 0, SMG_TEAM_PARENT), -1);  /* a root */
    assert_int_equal(team_idx(org, 0, SMG_TEAM_LEADER), -1);  /* none */
    assert_int_equal(team_idx(org, 1, SMG_TEAM_PARENT), 0);
    assert_int_equal(team_idx(org, 1, SMG_TEAM_LEADER), 1);
    /* null: *out = 0, *is_null = 1; is_null may be NULL */
    ix = UNTOUCHED;
    assert_int_equal(smg_team_index(org, 0, SMG_TEAM_PARENT, &ix, &is_null), 0);
    assert_int_equal(ix, 0);
    assert_int_equal(is_null, 1);
    assert_int_equal(smg_team_index(org, 1, SMG_TEAM_PARENT, &ix, NULL), 0);
    assert_int_equal(ix, 0);
    assert_int_equal(smg_team_index(org, 1, SMG_TEAM_LEADER, &ix, NULL), 0);
    assert_int_equal(ix, 1);
    tx = "x";
    assert_int_equal(smg_team_text(org, 0, SMG_TEAM_NAME, &tx, NULL), 0);
    assert_null(tx);

    /* inside a batch the table holds the committed rows; a change the
     * batch made to one shows at once */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "t2", "二组", "co"), 0);
    assert_int_equal(smg_team_set_leader(org, "co", "m1"), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TEAMS), 3);
    assert_int_equal(smg_team_count(org), 2);
    assert_int_equal(smg_team_index(org, 2, SMG_TEAM_PARENT, &ix, NULL), SMG_EINVAL);
    assert_int_equal(team_idx(org, 0, SMG_TEAM_LEADER), 0);
    smg_batch_rollback(org);
    assert_int_equal(smg_team_count(org), 2);
    assert_int_equal(team_idx(org, 0, SMG_TEAM_LEADER), -1);
    smg_org_free(org);
}

static void test_member_table(void **state)
{
    static const char *const names[] = { "id", "name", "team", "role", "start", "end",
                                         "pay_total" };
    static const smg_type types[] = { SMG_TYPE_TEXT, SMG_TYPE_TEXT, SMG_TYPE_INDEX,
                                      SMG_TYPE_ENUM, SMG_TYPE_DATE, SMG_TYPE_DATE,
                                      SMG_TYPE_MONEY };
    smg_org *org = new_org();
    size_t f, ix = UNTOUCHED;
    int64_t v;
    int is_null = 0;
    (void)state;
    for (f = 0; smg_member_field_name((smg_member_field)f); f++) {
        assert_string_equal(smg_member_field_name((smg_member_field)f), names[f]);
        assert_int_equal(smg_member_field_type((smg_member_field)f), types[f]);
    }
    assert_int_equal(f, 7);
    assert_int_equal(smg_team_add(org, "co", "公司", NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "co"), 0);
    assert_int_equal(smg_member_add(org, "m1", "张伟", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "m2", NULL, "co", SMG_ROLE_DIRECTOR), 0);
    assert_int_equal(smg_member_set_dates(org, "m1", 20454, SMG_DATE_NONE), 0);
    assert_int_equal(smg_member_set_pay_total(org, "m1", 0), 0);
    assert_int_equal(smg_member_set_dates(org, "m2", SMG_DATE_NONE, 20819), 0);
    assert_int_equal(smg_member_count(org), 2);
    CHECK_REFUSALS(member, org, 2, 7, SMG_MEMBER_NAME, SMG_MEMBER_TEAM);
    /* more fields of another type */
    v = UNTOUCHED;
    assert_int_equal(smg_member_index(org, 0, SMG_MEMBER_ROLE, &ix, NULL), SMG_EINVAL);
    assert_int_equal(smg_member_int(org, 0, SMG_MEMBER_TEAM, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_member_text(org, 0, SMG_MEMBER_START, NULL, NULL), SMG_EINVAL);
    assert_int_equal(v, UNTOUCHED);
    assert_int_equal(ix, UNTOUCHED);

    expect_text(TEXT_OF(member, org, 0, SMG_MEMBER_ID), "m1");
    expect_text(TEXT_OF(member, org, 0, SMG_MEMBER_NAME), "张伟");
    expect_text(TEXT_OF(member, org, 1, SMG_MEMBER_ID), "m2");
    expect_text(TEXT_OF(member, org, 1, SMG_MEMBER_NAME), NULL);
    assert_int_equal(member_idx(org, 0, SMG_MEMBER_TEAM), 1);
    assert_int_equal(member_idx(org, 1, SMG_MEMBER_TEAM), 0);
    assert_int_equal(member_num(org, 0, SMG_MEMBER_ROLE, -1), SMG_ROLE_REP);
    assert_int_equal(member_num(org, 1, SMG_MEMBER_ROLE, -1), SMG_ROLE_DIRECTOR);
    assert_int_equal(member_num(org, 0, SMG_MEMBER_START, -1), 20454);
    assert_int_equal(member_num(org, 0, SMG_MEMBER_END, -1), -1);
    assert_int_equal(member_num(org, 1, SMG_MEMBER_START, -1), -1);
    assert_int_equal(member_num(org, 1, SMG_MEMBER_END, -1), 20819);
    assert_int_equal(member_num(org, 0, SMG_MEMBER_PAY_TOTAL, -1), 0); /* zero is a value */
    assert_int_equal(member_num(org, 1, SMG_MEMBER_PAY_TOTAL, -1), -1);
    /* null: 0 and is_null, never SMG_DATE_NONE / SMG_MONEY_NONE */
    v = UNTOUCHED;
    assert_int_equal(smg_member_int(org, 1, SMG_MEMBER_PAY_TOTAL, &v, &is_null), 0);
    assert_int_equal(v, 0);
    assert_int_equal(is_null, 1);
    assert_int_equal(smg_member_int(org, 0, SMG_MEMBER_END, &v, NULL), 0);
    assert_int_equal(v, 0);

    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_member_add(org, "m3", "C", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_count(org), 2);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 3);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_member_count(org), 3);
    expect_text(TEXT_OF(member, org, 2, SMG_MEMBER_ID), "m3");
    smg_org_free(org);
}

static void test_customer_table(void **state)
{
    static const char *const names[] = { "id", "name", "phone", "group_key", "key",
                                         "duplicate_of" };
    static const smg_type types[] = { SMG_TYPE_TEXT, SMG_TYPE_TEXT, SMG_TYPE_TEXT,
                                      SMG_TYPE_TEXT, SMG_TYPE_INDEX, SMG_TYPE_INDEX };
    smg_org *org = new_org();
    size_t f, ix;
    int64_t v = UNTOUCHED;
    int is_null = 0;
    (void)state;
    for (f = 0; smg_customer_field_name((smg_customer_field)f); f++) {
        assert_string_equal(smg_customer_field_name((smg_customer_field)f), names[f]);
        assert_int_equal(smg_customer_field_type((smg_customer_field)f), types[f]);
    }
    assert_int_equal(f, 6);
    assert_int_equal(smg_customer_add(org, "c1", "王家", "+86 138-0000-0001", "fam-wang"), 0);
    assert_int_equal(smg_customer_add(org, "c2", "", "13800000001", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c3", "赵", NULL, "fam-wang"), 0);
    assert_int_equal(smg_customer_count(org), 3);
    CHECK_REFUSALS(customer, org, 3, 6, SMG_CUSTOMER_PHONE, SMG_CUSTOMER_KEY);
    /* the table has no INT-family field */
    for (f = 0; f < 6; f++)
        assert_int_equal(smg_customer_int(org, 0, (smg_customer_field)f, &v, NULL), SMG_EINVAL);
    assert_int_equal(v, UNTOUCHED);

    expect_text(TEXT_OF(customer, org, 0, SMG_CUSTOMER_ID), "c1");
    expect_text(TEXT_OF(customer, org, 0, SMG_CUSTOMER_NAME), "王家");
    expect_text(TEXT_OF(customer, org, 0, SMG_CUSTOMER_PHONE), "+86 138-0000-0001");
    expect_text(TEXT_OF(customer, org, 0, SMG_CUSTOMER_GROUP_KEY), "fam-wang");
    expect_text(TEXT_OF(customer, org, 1, SMG_CUSTOMER_NAME), NULL);
    expect_text(TEXT_OF(customer, org, 1, SMG_CUSTOMER_GROUP_KEY), NULL);
    expect_text(TEXT_OF(customer, org, 2, SMG_CUSTOMER_PHONE), NULL);
    expect_text(TEXT_OF(customer, org, 2, SMG_CUSTOMER_GROUP_KEY), "fam-wang");
    /* one group key, one attribution key; c2's own key is its id */
    assert_int_equal(customer_key(org, 0), customer_key(org, 2));
    assert_int_not_equal(customer_key(org, 0), customer_key(org, 1));
    assert_string_equal(smg_key_text(org, (size_t)customer_key(org, 1)), "c2");
    /* c2 has c1's phone once normalised: a duplicate of c1 (撞单) */
    ix = UNTOUCHED;
    assert_int_equal(smg_customer_index(org, 1, SMG_CUSTOMER_DUPLICATE_OF, &ix, &is_null), 0);
    assert_int_equal(is_null, 0);
    assert_int_equal(ix, 0);
    assert_int_equal(smg_customer_index(org, 0, SMG_CUSTOMER_DUPLICATE_OF, &ix, &is_null), 0);
    assert_int_equal(is_null, 1);
    assert_int_equal(ix, 0);
    assert_int_equal(smg_customer_index(org, 2, SMG_CUSTOMER_DUPLICATE_OF, &ix, &is_null), 0);
    assert_int_equal(is_null, 1);

    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_customer_add(org, "c4", "x", "", NULL), 0);
    assert_int_equal(smg_customer_count(org), 3);
    smg_batch_rollback(org);
    assert_int_equal(smg_customer_count(org), 3);
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
    /* three kept, then how many more there were */
    assert_int_equal(smg_org_error_count(org), 4);
    assert_string_equal(smg_org_error(org, 3), "\xe2\x80\xa6 and 7 more errors");
    assert_null(smg_org_error(org, 4));
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
        cmocka_unit_test(test_team_table),
        cmocka_unit_test(test_member_table),
        cmocka_unit_test(test_customer_table),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_customers_keys),
        cmocka_unit_test(test_batch_all_or_nothing),
        cmocka_unit_test(test_max_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
