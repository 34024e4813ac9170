/* The dataset loader (src/dataset.c): a good folder loads with the right
 * counts and values; a bad one reports every error with file, line and
 * column and loads nothing; an org with data is unchanged after a failed
 * load. Fixtures are in tests/data (SMG_TEST_DATA); small cases are written
 * to a temporary folder. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "events.h"
#include "org.h"

static const char *data_dir(const char *name, char *buf, size_t len)
{
    const char *root = getenv("SMG_TEST_DATA");
    snprintf(buf, len, "%s/%s", root ? root : "tests/data", name);
    return buf;
}

static smg_org *new_org(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    return org;
}

/* ---- temporary dataset folders ---- */

static const char *const ds_files[] = { "teams.csv", "members.csv", "customers.csv",
                                        "targets.csv", "profiles.csv", "commission.csv",
                                        "events.csv", "policy.conf",
                                        /* the other files some cases put there */
                                        "target.csv", "Members.csv", "notes.txt",
                                        "~$members.csv", "events2.csv", "deals.csv",
                                        ".hidden.csv", "commision.CSV" };

typedef struct tmpds {
    char dir[64];
} tmpds;

static void tmp_new(tmpds *t)
{
    strcpy(t->dir, "/tmp/smg_test_ds_XXXXXX");
    assert_non_null(mkdtemp(t->dir));
}

static void tmp_put(const tmpds *t, const char *name, const char *text)
{
    char path[128];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void tmp_free(const tmpds *t)
{
    size_t i;
    char path[128];
    for (i = 0; i < sizeof ds_files / sizeof ds_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", t->dir, ds_files[i]);
        unlink(path);
    }
    rmdir(t->dir);
}

/* A minimal valid dataset the small cases build on. */
static void tmp_base(tmpds *t, const char *events)
{
    tmp_new(t);
    tmp_put(t, "teams.csv", "team_id,name\nt1,一组\n");
    tmp_put(t, "members.csv", "member_id,team_id,start_date,end_date\n"
                              "m1,t1,2026-01-01,2026-12-31\nm2,t1,,\n");
    tmp_put(t, "customers.csv", "customer_id,group_key\nc1,\nc2,\n");
    tmp_put(t, "events.csv", events);
}

#define EVHEAD "at,type,member,customer,ref,amount,value\n"

/* Print what the org reported (helps when an assertion fails). */
static void dump(const smg_org *org)
{
    size_t i;
    for (i = 0; i < smg_org_error_count(org); i++)
        print_message("  error %lu: %s\n", (unsigned long)i, smg_org_error(org, i));
}

static void assert_errors(const smg_org *org, const char *const *want, size_t n)
{
    size_t i;
    if (smg_org_error_count(org) != n)
        dump(org);
    assert_int_equal(smg_org_error_count(org), n);
    for (i = 0; i < n; i++)
        assert_string_equal(smg_org_error(org, i), want[i]);
}

static size_t member_index(const smg_org *org, const char *id)
{
    size_t i = 0;
    assert_int_equal(smg_member_find(org, id, &i), 0);
    return i;
}

static size_t team_index(const smg_org *org, const char *id)
{
    size_t i = 0;
    assert_int_equal(smg_team_find(org, id, &i), 0);
    return i;
}

/* The model's fields through the table getters: an index, or -1 when null. */
static long team_field(const smg_org *org, size_t t, smg_team_field f)
{
    size_t v = 0;
    int is_null = 1;
    assert_int_equal(smg_team_index(org, t, f, &v, &is_null), 0);
    return is_null ? -1 : (long)v;
}

/* A member's number field, or `none` when null. */
static int64_t member_field(const smg_org *org, size_t m, smg_member_field f, int64_t none)
{
    int64_t v = 0;
    int is_null = 1;
    assert_int_equal(smg_member_int(org, m, f, &v, &is_null), 0);
    return is_null ? none : v;
}

static long member_team(const smg_org *org, size_t m)
{
    size_t v = 0;
    int is_null = 1;
    assert_int_equal(smg_member_index(org, m, SMG_MEMBER_TEAM, &v, &is_null), 0);
    assert_int_equal(is_null, 0);
    return (long)v;
}

static long customer_key(const smg_org *org, size_t c)
{
    size_t v = 0;
    int is_null = 1;
    assert_int_equal(smg_customer_index(org, c, SMG_CUSTOMER_KEY, &v, &is_null), 0);
    assert_int_equal(is_null, 0);
    return (long)v;
}

#define team_parent(org, t) team_field(org, t, SMG_TEAM_PARENT)
#define team_leader(org, t) team_field(org, t, SMG_TEAM_LEADER)
#define member_role(org, m) member_field(org, m, SMG_MEMBER_ROLE, -1)
#define member_pay(org, m) member_field(org, m, SMG_MEMBER_PAY_TOTAL, SMG_MONEY_NONE)

static size_t customer_index(const smg_org *org, const char *id)
{
    size_t i = 0;
    assert_int_equal(smg_customer_find(org, id, &i), 0);
    return i;
}

static smg_date D(const char *s)
{
    smg_date d;
    assert_int_equal(smg_date_parse(&d, s), 0);
    return d;
}

/* The sorted-log position of the only event of a type. */
static size_t event_of_type(const smg_org *org, smg_event_type type)
{
    size_t i, found = (size_t)-1;
    for (i = 0; i < org->events.count; i++)
        if (org->events.type[i] == type) {
            assert_true(found == (size_t)-1);
            found = i;
        }
    assert_true(found != (size_t)-1);
    return found;
}

/* ---- the good fixture ---- */

static void test_good_dataset(void **state)
{
    smg_org *org = new_org();
    char dir[512], buf[64];
    smg_date start, end;
    size_t i;
    (void)state;
    assert_int_equal(smg_dataset_load(org, data_dir("good", dir, sizeof dir)), 0);
    dump(org);
    assert_int_equal(smg_org_error_count(org), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TEAMS), 4);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 5);
    assert_int_equal(smg_org_count(org, SMG_COUNT_CUSTOMERS), 4);
    assert_int_equal(smg_org_count(org, SMG_COUNT_KEYS), 3); /* c1 and c2 share fam1 */
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 13);
    assert_int_equal(smg_org_count(org, SMG_COUNT_DEALS), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_RECEIVABLES), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_PROFILES), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TARGETS), 3);
    assert_int_equal(smg_org_count(org, SMG_COUNT_COMMISSION_ROWS), 3);
    assert_int_equal(smg_org_count(org, SMG_COUNT_PRODUCTS), 1);

    /* teams: a parent and leaders given before they exist in the files */
    assert_int_equal(team_parent(org, team_index(org, "t2")), (long)team_index(org, "root"));
    assert_int_equal(team_parent(org, team_index(org, "t11")), (long)team_index(org, "t1"));
    assert_int_equal(team_parent(org, team_index(org, "root")), -1);
    assert_int_equal(team_leader(org, team_index(org, "t2")), (long)member_index(org, "m03"));
    assert_int_equal(team_leader(org, team_index(org, "root")), (long)member_index(org, "m01"));
    assert_int_equal(team_leader(org, team_index(org, "t11")), -1);
    assert_string_equal(smg_team_name(org, team_index(org, "t11")), "Group \"A\", east");
    assert_string_equal(smg_team_name(org, team_index(org, "root")), "销售部");

    /* members: BOM, CRLF, no final newline, roles, dates, pay */
    i = member_index(org, "m02");
    assert_string_equal(smg_member_name(org, i), "张伟");
    assert_int_equal((smg_role)member_role(org, i), SMG_ROLE_LEADER);
    assert_int_equal(member_pay(org, i), 1200050);
    assert_int_equal(member_team(org, i), (long)team_index(org, "t1"));
    i = member_index(org, "m04");
    assert_string_equal(smg_member_name(org, i), "Zhao, Lei");
    assert_int_equal(member_pay(org, i), SMG_MONEY_NONE);
    start = (smg_date)member_field(org, i, SMG_MEMBER_START, SMG_DATE_NONE);
    end = (smg_date)member_field(org, i, SMG_MEMBER_END, SMG_DATE_NONE);
    assert_int_equal(start, D("2026-01-01"));
    assert_int_equal(end, D("2026-12-31"));
    i = member_index(org, "m05");
    assert_int_equal((smg_role)member_role(org, i), SMG_ROLE_REP); /* empty role = rep */
    assert_int_equal(member_pay(org, i), 800050);
    start = (smg_date)member_field(org, i, SMG_MEMBER_START, SMG_DATE_NONE);
    assert_int_equal(start, SMG_DATE_NONE);
    assert_int_equal((smg_role)member_role(org, member_index(org, "m01")), SMG_ROLE_MANAGER);

    /* customers: columns in another order, an unknown multi-line column */
    assert_int_equal(customer_key(org, customer_index(org, "c1")),
                     customer_key(org, customer_index(org, "c2")));
    assert_string_equal(smg_key_text(org, (size_t)customer_key(org, customer_index(org, "c1"))),
                        "fam1");
    assert_string_equal(smg_key_text(org, (size_t)customer_key(org, customer_index(org, "c3"))),
                        "c3");
    assert_string_equal(smg_customer_name(org, customer_index(org, "c4")), "Wang, Co");
    assert_string_equal(smg_customer_phone(org, customer_index(org, "c4")), "+86 139 0000 0004");
    assert_string_equal(smg_customer_phone(org, customer_index(org, "c3")), "");

    /* profiles, targets, commission */
    assert_int_equal(org->profiles.weights[0][0], 500000);
    assert_int_equal(org->profiles.weights[0][10], 1500000);
    assert_int_equal(org->profiles.weights[0][11], 2500000);
    assert_int_equal(org->targets.amount[0], 120000000);
    assert_int_equal(org->targets.profile[0], 0);
    assert_int_equal(org->targets.metric[1], SMG_METRIC_DEAL_COUNT);
    assert_int_equal(org->targets.amount[1], 30); /* a count, not money */
    assert_int_equal(org->targets.amount[2], 5000000);
    assert_int_equal(org->targets.profile[2], -1);
    assert_int_equal(org->commission.rate[0], 10000);
    assert_int_equal(org->commission.rate[1], 15000);
    assert_int_equal(org->commission.from[1], 10000000);
    assert_int_equal(org->commission.mode[1], SMG_COMMISSION_MARGINAL);
    assert_int_equal(org->commission.product[0], -1);
    assert_int_equal(org->commission.mode[2], SMG_COMMISSION_FLAT);
    assert_int_equal(org->commission.product[2], 0);

    /* events: sorted by time, values parsed */
    for (i = 1; i < org->events.count; i++)
        assert_true(org->events.at[i - 1] <= org->events.at[i]);
    i = event_of_type(org, SMG_EV_DEAL);
    assert_int_equal(smgi_event_amount(org, i), 10000050);
    assert_int_equal(org->events.member[i], (int32_t)member_index(org, "m04"));
    assert_int_equal(org->events.customer[i], (int32_t)customer_index(org, "c2"));
    assert_int_equal(org->deals.list_amount[0], 12000000);
    assert_int_equal(org->deals.cost[0], 8000000);
    assert_int_equal(org->deals.product[0], 0);
    assert_int_equal(org->deals.event[0], (int32_t)i);
    i = event_of_type(org, SMG_EV_REGISTER);
    assert_int_equal(smg_time_format(buf, sizeof buf, org->events.at[i]), 19);
    assert_string_equal(buf, "2026-10-02T10:30:15");
    i = event_of_type(org, SMG_EV_ABSENCE);
    assert_int_equal(smgi_event_amount(org, i), 50);
    i = event_of_type(org, SMG_EV_WORK_SCORE);
    assert_int_equal(smgi_event_amount(org, i), 9250);
    i = event_of_type(org, SMG_EV_EXPENSE);
    assert_int_equal(smgi_event_amount(org, i), 120000);
    i = event_of_type(org, SMG_EV_VISIT);
    assert_int_equal(SMGI_CHANNEL(org->events.flags[i]), SMG_CHANNEL_ONSITE);
    assert_int_equal(SMGI_OUTCOME(org->events.flags[i]), SMG_OUTCOME_SUCCESS);
    i = event_of_type(org, SMG_EV_RECEPTION);
    assert_int_equal(SMGI_CHANNEL(org->events.flags[i]), SMG_CHANNEL_WALK_IN);
    i = event_of_type(org, SMG_EV_DEMO);
    assert_int_equal(smg_time_format(buf, sizeof buf, org->events.at[i]), 19);
    assert_string_equal(buf, "2026-10-04T00:00:00"); /* last in the file, sorted in */
    assert_int_equal(org->receivables.paid[0], 300000);

    /* policy.conf */
    assert_true(smg_policy_get(org, "attribution.protect_days", buf, sizeof buf) > 0);
    assert_string_equal(buf, "10");
    assert_true(smg_policy_get(org, "calendar.holiday", buf, sizeof buf) > 0);
    assert_string_equal(buf, "2026-10-01");
    smg_org_free(org);
}

/* ---- the bad fixture: every error, with file, line and column ---- */

static const char *const bad_errors[] = {
    "policy.conf:1: policy attribution.protect_days: \"0\" is not accepted; expected an "
    "integer 1-365",
    "teams.csv:3: column parent_id: team \"t2\": parent team \"nope\" does not exist",
    "teams.csv:4: column team_id: team \"t1\" already exists",
    "members.csv:3: column team_id: member \"m2\": team \"nope\" does not exist",
    "members.csv:4: column role: \"boss\" is not rep, leader, supervisor, manager or director",
    "members.csv:5: column start_date: \"2026-02-30\" is not a date (YYYY-MM-DD or YYYY/M/D)",
    "members.csv:6: column pay_total: \"1,000.00\" is not a decimal amount",
    "members.csv:7: column pay_total: \"12.345\" is not a decimal amount",
    "members.csv:8: column pay_total: \"1e3\" is not a decimal amount",
    "members.csv:9: column member_id: member \"m1\" already exists",
    "members.csv:10: column end_date: member \"m8\": leave date before start date",
    "members.csv:11: column member_id: a value is required",
    "teams.csv:5: column leader_id: team \"t3\": leader \"ghost\" is not a member",
    "customers.csv:4: column customer_id: customer \"c1\" already exists",
    "customers.csv:5: column name: invalid UTF-8",
    "customers.csv:6: column name: unterminated quoted field",
    "profiles.csv:2: column m12: \"-1\" is negative; a weight is 0 or more",
    "profiles.csv:3: column m12: \"x\" is not a decimal weight",
    "targets.csv:2: column amount: \"100.005\" is not a decimal amount",
    "targets.csv:3: column amount: \"1.5\" is not a whole number",
    "targets.csv:4: column metric: \"profit\" is not sales_amount, gross_profit, deal_count, "
    "new_customers, visits or collections",
    "commission.csv:3: column rate: \"abc\" is not a decimal rate (e.g. 0.015)",
    "commission.csv:4: column mode: \"stepped\" is not marginal or flat",
    "events.csv:3: column ref: duplicate deal id \"D1\"",
    "events.csv:4: column member: member \"m9\" does not exist",
    "events.csv:5: column customer: customer \"c9\" does not exist",
    "events.csv:10: column amount: \"12,5\" is not a decimal amount",
    "events.csv:11: column amount: \"1.005\" is not a decimal amount",
    "events.csv:12: column amount: \"2E2\" is not a decimal amount",
    "events.csv:13: column at: \"2026-13-01\" is not a time (YYYY-MM-DD or YYYY/M/D, with "
    "HH:MM or HH:MM:SS after a T or a space)",
    "events.csv:14: column type: \"teleport\" is not an event type",
    "events.csv:15: column channel: a visit is onsite or phone",
    "events.csv:17: column type: \"sign\\nin\" is not an event type",
    "events.csv:19: column member: member \"m2\" does not exist",
    "events.csv:20: column value: absence days must be 0.5-31 in 0.5 steps",
    /* the checks in time order, found even though the batch already failed */
    "events.csv:6: column ref: claimed deal \"D1\" comes later in time order",
    "events.csv:8: column amount: payment exceeds the 100.00 still open on receivable \"R1\"",
    "events.csv:16: column ref: receivable \"R9\" does not exist",
    "events.csv:9: column at: 2026-07-01 is outside member \"m1\"'s start and leave dates",
};

static void assert_empty(const smg_org *org)
{
    static const smg_count all[] = { SMG_COUNT_TEAMS, SMG_COUNT_MEMBERS, SMG_COUNT_CUSTOMERS,
                                     SMG_COUNT_EVENTS, SMG_COUNT_DEALS, SMG_COUNT_RECEIVABLES,
                                     SMG_COUNT_KEYS, SMG_COUNT_PRODUCTS, SMG_COUNT_TARGETS,
                                     SMG_COUNT_PROFILES, SMG_COUNT_COMMISSION_ROWS };
    size_t i;
    for (i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_int_equal(smg_org_count(org, all[i]), 0);
}

static void test_bad_dataset_every_error(void **state)
{
    smg_org *org = new_org();
    char dir[512], buf[32];
    (void)state;
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    assert_errors(org, bad_errors, sizeof bad_errors / sizeof bad_errors[0]);
    assert_string_equal(smg_org_errmsg(org), bad_errors[0]);
    assert_empty(org);
    assert_true(smg_policy_get(org, "attribution.protect_days", buf, sizeof buf) > 0);
    assert_string_equal(buf, "7");
    /* the org is usable afterwards */
    assert_int_equal(smg_dataset_load(org, data_dir("good", dir, sizeof dir)), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 13);
    assert_int_equal(smg_org_error_count(org), 0);
    smg_org_free(org);
}

static void test_max_errors(void **state)
{
    smg_org_options opts = SMG_ORG_OPTIONS_INIT;
    smg_org *org = NULL;
    char dir[512];
    (void)state;
    size_t nbad = sizeof bad_errors / sizeof bad_errors[0];
    char more[64];
    int64_t v = 0;
    int is_null = 0;
    const char *text = NULL;
    (void)state;
    opts.max_errors = 3;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    /* issue #13 finding 2: the cut is said, with how many more were found
     * (every file is still read to the end, for the count) */
    assert_int_equal(smg_org_error_count(org), 4);
    assert_memory_equal(smg_org_error(org, 0), bad_errors[0], strlen(bad_errors[0]));
    assert_string_equal(smg_org_error(org, 2), bad_errors[2]);
    snprintf(more, sizeof more, "\xe2\x80\xa6 and %lu more errors", (unsigned long)nbad - 3);
    assert_string_equal(smg_org_error(org, 3), more);
    assert_int_equal(smg_org_error_int(org, 3, SMG_ORG_ERROR_MORE, &v, &is_null), 0);
    assert_int_equal(is_null, 0);
    assert_int_equal(v, (int64_t)nbad - 3);
    assert_int_equal(smg_org_error_int(org, 2, SMG_ORG_ERROR_MORE, &v, &is_null), 0);
    assert_int_equal(is_null, 1);
    assert_int_equal(smg_org_error_text(org, 3, SMG_ORG_ERROR_FILE, &text, &is_null), 0);
    assert_int_equal(is_null, 1);
    assert_int_equal(smg_org_error_text(org, 3, SMG_ORG_ERROR_MESSAGE, &text, &is_null), 0);
    assert_string_equal(text, more);
    assert_empty(org);
    smg_org_free(org);
    /* one kept, more found: still "several errors" */
    opts.max_errors = 1;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    assert_int_equal(smg_org_error_count(org), 2);
    assert_string_equal(smg_org_error(org, 0), bad_errors[0]);
    snprintf(more, sizeof more, "\xe2\x80\xa6 and %lu more errors", (unsigned long)nbad - 1);
    assert_string_equal(smg_org_error(org, 1), more);
    smg_org_free(org);
    /* exactly max_errors: no closing line */
    opts.max_errors = nbad;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    assert_errors(org, bad_errors, nbad);
    smg_org_free(org);
}

/* The places of the error list as a table (file, line, column, message). */
static void test_error_table(void **state)
{
    static const char *const names[] = { "file", "line", "column", "message", "more" };
    static const smg_type types[] = { SMG_TYPE_TEXT, SMG_TYPE_INT, SMG_TYPE_TEXT,
                                      SMG_TYPE_TEXT, SMG_TYPE_INT };
    smg_org *org = new_org();
    char dir[512];
    const char *text = "untouched";
    int64_t v = -7;
    int is_null = 0;
    size_t f;
    (void)state;
    for (f = 0; smg_org_error_field_name((smg_org_error_field)f); f++) {
        assert_string_equal(smg_org_error_field_name((smg_org_error_field)f), names[f]);
        assert_int_equal(smg_org_error_field_type((smg_org_error_field)f), types[f]);
    }
    assert_int_equal(f, 5);
    assert_int_equal(smg_org_error_field_type((smg_org_error_field)5), 0);
    assert_int_equal(smg_org_error_count(org), 0);
    assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_FILE, &text, NULL), SMG_EINVAL);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    /* "members.csv:5: column start_date: ..." and "members.csv:6: column pay_total: ..." */
    assert_string_equal(smg_org_error(org, 5), bad_errors[5]);
    assert_int_equal(smg_org_error_text(org, 5, SMG_ORG_ERROR_FILE, &text, &is_null), 0);
    assert_string_equal(text, "members.csv");
    assert_int_equal(smg_org_error_int(org, 5, SMG_ORG_ERROR_LINE, &v, &is_null), 0);
    assert_int_equal(v, 5);
    assert_int_equal(is_null, 0);
    assert_int_equal(smg_org_error_text(org, 6, SMG_ORG_ERROR_COLUMN, &text, &is_null), 0);
    assert_string_equal(text, "pay_total");
    assert_int_equal(smg_org_error_text(org, 6, SMG_ORG_ERROR_MESSAGE, &text, &is_null), 0);
    assert_string_equal(text, "\"1,000.00\" is not a decimal amount");
    /* policy.conf:1: policy ...: a file and a line, no column */
    assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_FILE, &text, &is_null), 0);
    assert_string_equal(text, "policy.conf");
    assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_COLUMN, &text, &is_null), 0);
    assert_int_equal(is_null, 1);
    assert_null(text);
    assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_MESSAGE, &text, &is_null), 0);
    assert_non_null(strstr(text, "policy attribution.protect_days: "));
    /* a column whose cell has a newline: the escaped value stays in the message */
    assert_int_equal(smg_org_error_text(org, 32, SMG_ORG_ERROR_MESSAGE, &text, &is_null), 0);
    assert_string_equal(text, "\"sign\\nin\" is not an event type");
    /* wrong getter, unknown field, past the end */
    assert_int_equal(smg_org_error_int(org, 0, SMG_ORG_ERROR_FILE, &v, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_error_text(org, 0, (smg_org_error_field)9, &text, NULL),
                     SMG_EINVAL);
    assert_int_equal(smg_org_error_text(org, 39, SMG_ORG_ERROR_FILE, &text, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_error_text(NULL, 0, SMG_ORG_ERROR_FILE, &text, NULL), SMG_EINVAL);
    smg_org_free(org);
    /* a missing file: a file, no line; an API event: no file, a column */
    org = new_org();
    assert_int_equal(smg_dataset_load(org, data_dir("no_members", dir, sizeof dir)), SMG_EIO);
    assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_FILE, &text, &is_null), 0);
    assert_string_equal(text, "members.csv");
    assert_int_equal(smg_org_error_int(org, 0, SMG_ORG_ERROR_LINE, &v, &is_null), 0);
    assert_int_equal(is_null, 1);
    {
        smg_event ev = SMG_EVENT_INIT;
        ev.type = SMG_EV_SIGNIN;
        ev.member = "ghost";
        assert_int_equal(smg_event_add(org, &ev), SMG_ENOTFOUND);
        assert_string_equal(smg_org_errmsg(org),
                            "event #0: column member: member \"ghost\" does not exist");
        assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_FILE, &text, &is_null), 0);
        assert_int_equal(is_null, 1);
        assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_COLUMN, &text, &is_null), 0);
        assert_string_equal(text, "member");
        assert_int_equal(smg_org_error_text(org, 0, SMG_ORG_ERROR_MESSAGE, &text, &is_null), 0);
        assert_string_equal(text, "member \"ghost\" does not exist");
    }
    smg_org_free(org);
}

/* ---- all or nothing on an org that has data ---- */

typedef struct snapshot {
    size_t counts[12];
    size_t nevents;
    smg_time at[16];
    uint32_t seq[16];
    int64_t amount[16];
    int32_t deal_event[4];
    int64_t paid[4];
    char protect[16];
    smg_date start, end;
    smg_money pay;
    long leader;
} snapshot;

static void snap(const smg_org *org, snapshot *s)
{
    size_t i;
    memset(s, 0, sizeof *s);
    for (i = 1; i <= 11; i++)
        s->counts[i] = smg_org_count(org, (smg_count)i);
    s->nevents = org->events.count;
    assert_true(s->nevents <= 16);
    for (i = 0; i < s->nevents; i++) {
        s->at[i] = org->events.at[i];
        s->seq[i] = org->events.seq[i];
        s->amount[i] = smgi_event_amount(org, i);
    }
    for (i = 0; i < org->deals.ids.count && i < 4; i++)
        s->deal_event[i] = org->deals.event[i];
    for (i = 0; i < org->receivables.ids.count && i < 4; i++)
        s->paid[i] = org->receivables.paid[i];
    assert_true(smg_policy_get(org, "attribution.protect_days", s->protect, sizeof s->protect) > 0);
    s->start = (smg_date)member_field(org, 0, SMG_MEMBER_START, SMG_DATE_NONE);
    s->end = (smg_date)member_field(org, 0, SMG_MEMBER_END, SMG_DATE_NONE);
    s->pay = member_pay(org, 0);
    s->leader = team_leader(org, 0);
}

static void assert_same(const snapshot *a, const snapshot *b)
{
    assert_memory_equal(a->counts, b->counts, sizeof a->counts);
    assert_int_equal(a->nevents, b->nevents);
    assert_memory_equal(a->at, b->at, sizeof a->at);
    assert_memory_equal(a->seq, b->seq, sizeof a->seq);
    assert_memory_equal(a->amount, b->amount, sizeof a->amount);
    assert_memory_equal(a->deal_event, b->deal_event, sizeof a->deal_event);
    assert_memory_equal(a->paid, b->paid, sizeof a->paid);
    assert_string_equal(a->protect, b->protect);
    assert_int_equal(a->start, b->start);
    assert_int_equal(a->end, b->end);
    assert_int_equal(a->pay, b->pay);
    assert_int_equal(a->leader, b->leader);
}

/* An org with teams, members, customers, a deal, a receivable with a
 * payment, and a policy change. */
static smg_org *org_with_data(void)
{
    smg_org *org = new_org();
    smg_event ev = SMG_EVENT_INIT;
    assert_int_equal(smg_team_add(org, "pre", "已有", NULL), 0);
    assert_int_equal(smg_member_add(org, "p1", "老员工", "pre", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_team_set_leader(org, "pre", "p1"), 0);
    assert_int_equal(smg_member_set_dates(org, "p1", D("2025-01-01"), SMG_DATE_NONE), 0);
    assert_int_equal(smg_member_set_pay_total(org, "p1", 500000), 0);
    assert_int_equal(smg_customer_add(org, "pc1", "老客户", "", "g1"), 0);
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "5"), 0);
    assert_int_equal(smg_batch_begin(org), 0);
    ev.type = SMG_EV_DEAL;
    assert_int_equal(smg_time_parse(&ev.at, "2026-05-01T10:00"), 0);
    ev.member = "p1";
    ev.customer = "pc1";
    ev.ref = "PD1";
    ev.amount = 100000;
    assert_int_equal(smg_event_add(org, &ev), 0);
    ev.type = SMG_EV_RECEIVABLE;
    assert_int_equal(smg_time_parse(&ev.at, "2026-05-02"), 0);
    ev.ref = "PR1";
    ev.amount = 5000;
    assert_int_equal(smg_event_add(org, &ev), 0);
    ev.type = SMG_EV_PAYMENT;
    assert_int_equal(smg_time_parse(&ev.at, "2026-06-01"), 0);
    ev.amount = 2000;
    assert_int_equal(smg_event_add(org, &ev), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    return org;
}

static void test_failed_load_leaves_org_unchanged(void **state)
{
    smg_org *org = org_with_data();
    snapshot before, after;
    char dir[512];
    tmpds t;
    (void)state;
    snap(org, &before);
    assert_int_equal(before.nevents, 3);

    /* the bad fixture */
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    snap(org, &after);
    assert_same(&before, &after);

    /* errors only found by the commit checks: the new events were sorted in
     * among the old ones, and must come out again */
    tmp_base(&t, EVHEAD
             "2026-04-01,deal,m1,c1,D1,10,\n"
             "2026-05-01T09:00,receivable,m1,c1,R1,100,\n"
             "2026-05-15,payment,m1,c1,R1,60,\n"
             "2026-06-15,payment,m1,c1,R1,60,\n"
             "2026-07-01,payment,p1,pc1,PR1,30.01,\n");
    tmp_put(&t, "policy.conf", "attribution.protect_days = 30\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    {
        static const char *const want[] = {
            "events.csv:5: column amount: payment exceeds the 40.00 still open on receivable "
            "\"R1\"",
            "events.csv:6: column amount: payment exceeds the 30.00 still open on receivable "
            "\"PR1\"",
        };
        assert_errors(org, want, 2);
    }
    snap(org, &after);
    assert_same(&before, &after);

    /* errors while adding, and valid events that sort in among the old ones */
    tmp_put(&t, "events.csv", EVHEAD
            "2026-04-01,deal,m1,c1,D1,10,\n"
            "2026-05-01T09:00,receivable,m1,c1,R1,100,\n"
            "2026-05-15,payment,p1,pc1,PR1,10,\n"
            "2026-06-15,expense,m1,,,1.001,\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EPARSE);
    snap(org, &after);
    assert_same(&before, &after);

    /* a members.csv that changes an existing member's pay cannot exist (ids
     * are new); the good load adds to what is there */
    tmp_put(&t, "events.csv", EVHEAD
            "2026-04-01,deal,m1,c1,D1,10,\n"
            "2026-05-15,payment,p1,pc1,PR1,10,\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 5);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 3);
    assert_int_equal(org->receivables.paid[0], 3000);
    snap(org, &after);
    assert_string_equal(after.protect, "30");
    tmp_free(&t);
    smg_org_free(org);
}

/* ---- missing files and columns, misuse ---- */

static void test_missing_files(void **state)
{
    smg_org *org = new_org();
    char dir[512], want[600];
    tmpds t;
    (void)state;
    data_dir("no_members", dir, sizeof dir);
    assert_int_equal(smg_dataset_load(org, dir), SMG_EIO);
    assert_int_equal(smg_org_error_count(org), 1);
    snprintf(want, sizeof want, "members.csv: cannot read \"%s/members.csv\": no such file", dir);
    assert_string_equal(smg_org_errmsg(org), want);
    assert_empty(org);

    tmp_base(&t, EVHEAD);
    tmp_put(&t, "policy.conf", "attribution.protect_days = 9\n");
    {
        char path[128];
        snprintf(path, sizeof path, "%s/events.csv", t.dir);
        unlink(path);
    }
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EIO);
    assert_non_null(strstr(smg_org_errmsg(org), "events.csv"));
    assert_empty(org);
    {
        char buf[16];
        assert_true(smg_policy_get(org, "attribution.protect_days", buf, sizeof buf) > 0);
        assert_string_equal(buf, "7");
    }
    tmp_free(&t);

    /* an optional file that cannot be read: SMG_EIO, and no cascade of
     * "team does not exist" from the members */
    tmp_base(&t, EVHEAD);
    {
        char path[128];
        snprintf(path, sizeof path, "%s/teams.csv", t.dir);
        unlink(path);
        assert_int_equal(mkdir(path, 0700), 0);
        assert_int_equal(smg_dataset_load(org, t.dir), SMG_EIO);
        assert_int_equal(smg_org_error_count(org), 1);
        {
            /* refused before a byte is read (issue 15) */
            char want2[200];
            snprintf(want2, sizeof want2,
                     "teams.csv: cannot read \"%s\": not a regular file (a folder)", path);
            assert_string_equal(smg_org_errmsg(org), want2);
        }
        assert_empty(org);
        rmdir(path);
    }
    tmp_free(&t);

    assert_int_equal(smg_dataset_load(org, "/nonexistent/dataset"), SMG_EIO);
    assert_int_equal(smg_org_error_count(org), 2); /* both required files named */
    smg_org_free(org);
}

static void test_missing_column(void **state)
{
    smg_org *org = new_org();
    char dir[512];
    static const char *const want[] = { "members.csv:1: column team_id: required column is "
                                        "missing" };
    (void)state;
    /* the events (which need the members) are not read: no cascade */
    assert_int_equal(smg_dataset_load(org, data_dir("missing_column", dir, sizeof dir)),
                     SMG_EPARSE);
    assert_errors(org, want, 1);
    assert_empty(org);
    smg_org_free(org);
}

static void test_misuse(void **state)
{
    smg_org *org = new_org();
    char dir[512];
    (void)state;
    assert_int_equal(smg_dataset_load(NULL, "x"), SMG_EINVAL);
    assert_int_equal(smg_dataset_load(org, NULL), SMG_EINVAL);
    assert_int_equal(smg_org_error_count(org), 1);
    /* inside an open batch: refused, the batch's errors untouched */
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_team_add(org, "t1", "", "nope"), SMG_ENOTFOUND);
    assert_int_equal(smg_dataset_load(org, data_dir("good", dir, sizeof dir)), SMG_ESTATE);
    assert_int_equal(smg_org_error_count(org), 1);
    assert_int_equal(smg_org_count(org, SMG_COUNT_MEMBERS), 0);
    smg_batch_rollback(org);
    assert_int_equal(smg_dataset_load(org, dir), 0);
    smg_org_free(org);
}

/* ---- single errors: their own status; rules checked at commit ---- */

static void expect_one(const char *events, int status, const char *msg)
{
    smg_org *org = new_org();
    tmpds t;
    tmp_base(&t, events);
    assert_int_equal(smg_dataset_load(org, t.dir), status);
    assert_errors(org, &msg, 1);
    assert_empty(org);
    tmp_free(&t);
    smg_org_free(org);
}

static void test_single_errors(void **state)
{
    (void)state;
    expect_one(EVHEAD "2026-03-01,signin,m1,,,,\n2026-03-01,signin,nobody,,,,\n", SMG_ENOTFOUND,
               "events.csv:3: column member: member \"nobody\" does not exist");
    expect_one(EVHEAD "2026-03-01,register,m1,zz,,,\n", SMG_ENOTFOUND,
               "events.csv:2: column customer: customer \"zz\" does not exist");
    expect_one(EVHEAD "2026-03-01,deal,m1,c1,D1,5,\n2026-03-02,deal,m2,c2,D1,6,\n", SMG_EEXISTS,
               "events.csv:3: column ref: duplicate deal id \"D1\"");
    expect_one(EVHEAD "2026-03-05,claim,m2,,D1,,\n2026-03-06,deal,m1,c1,D1,5,\n", SMG_ERULE,
               "events.csv:2: column ref: claimed deal \"D1\" comes later in time order");
    expect_one(EVHEAD "2026-03-01,override,,,D7,,\n", SMG_ERULE,
               "events.csv:2: column ref: overridden deal \"D7\" does not exist");
    expect_one(EVHEAD "2026-03-01,receivable,m1,c1,R1,10,\n2026-03-02,payment,m1,c1,R1,4,\n"
                      "2026-03-03,payment,m2,c1,R1,6.01,\n",
               SMG_ERULE,
               "events.csv:4: column amount: payment exceeds the 6.00 still open on "
               "receivable \"R1\"");
    expect_one(EVHEAD "2025-12-31T23:59:59,signin,m1,,,,\n", SMG_ERULE,
               "events.csv:2: column at: 2025-12-31 is outside member \"m1\"'s start and "
               "leave dates");
    expect_one(EVHEAD "2026-03-01,expense,m1,,,12.345,\n", SMG_EPARSE,
               "events.csv:2: column amount: \"12.345\" is not a decimal amount");
    expect_one(EVHEAD "2026-03-01,expense,m1,,,1.2e3,\n", SMG_EPARSE,
               "events.csv:2: column amount: \"1.2e3\" is not a decimal amount");
    expect_one(EVHEAD "2026-03-01,expense,m1,,,\"1,234.00\",\n", SMG_EPARSE,
               "events.csv:2: column amount: \"1,234.00\" is not a decimal amount");
    expect_one(EVHEAD "2026-03-01,expense,m1,,,99999999999999999999,\n", SMG_ERANGE,
               "events.csv:2: column amount: \"99999999999999999999\" is out of range");
    expect_one(EVHEAD "2026-03-01,work_score,m1,,,,8.125\n", SMG_EPARSE,
               "events.csv:2: column value: \"8.125\" is not a number with at most two "
               "decimals");
    expect_one(EVHEAD "2026-03-01,deal,m1,c1,,5,\n", SMG_EINVAL,
               "events.csv:2: column ref: a deal id is required");
    expect_one(EVHEAD ",signin,m1,,,,\n", SMG_EINVAL, "events.csv:2: column at: a value is "
                                                      "required");
    /* a line number after a quoted field with newlines, and CRLF */
    expect_one("at,type,member,customer,ref,amount,value,note\r\n"
               "2026-03-01,deal,m1,c1,D1,5,,\"two\r\nlines\"\r\n"
               "2026-03-02,signin,m3,,,,,\r\n",
               SMG_ENOTFOUND, "events.csv:4: column member: member \"m3\" does not exist");
}

static void test_teams(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    static const char *const want[] = {
        "teams.csv:9: column team_id: a value is required",
        "teams.csv:2: column parent_id: team \"a\": parent team \"b\" is part of a cycle of "
        "parents",
        "teams.csv:3: column parent_id: team \"b\": parent team \"a\" is part of a cycle of "
        "parents",
        "teams.csv:4: column parent_id: team \"c\": parent team \"a\" could not be added",
        "teams.csv:5: column parent_id: team \"self\": parent team \"self\" is part of a "
        "cycle of parents",
        "teams.csv:7: column parent_id: team \"x\": parent team \"zz\" does not exist",
        "members.csv:2: column team_id: member \"m1\": team \"a\" does not exist",
    };
    (void)state;
    tmp_base(&t, EVHEAD);
    /* a deep chain given leaf first, and cycles */
    tmp_put(&t, "teams.csv", "team_id,parent_id\n"
                             "a,b\n"
                             "b,a\n"
                             "c,a\n"
                             "self,self\n"
                             "ok3,ok2\n"
                             "x,zz\n"
                             "ok2,ok1\n"
                             ",ok1\n"
                             "ok1,\n");
    tmp_put(&t, "members.csv", "member_id,team_id\nm1,a\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    assert_errors(org, want, sizeof want / sizeof want[0]);
    assert_empty(org);

    tmp_put(&t, "teams.csv", "team_id,parent_id,leader_id\n"
                             "ok3,ok2,m2\n"
                             "ok2,ok1,\n"
                             "ok1,,m1\n");
    tmp_put(&t, "members.csv", "member_id,team_id\nm1,ok1\nm2,ok3\n");
    tmp_put(&t, "customers.csv", "customer_id\n");
    tmp_put(&t, "events.csv", "at,type\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_TEAMS), 3);
    assert_int_equal(team_parent(org, team_index(org, "ok3")), (long)team_index(org, "ok2"));
    assert_int_equal(team_leader(org, team_index(org, "ok3")), (long)member_index(org, "m2"));
    assert_int_equal(team_leader(org, team_index(org, "ok1")), (long)member_index(org, "m1"));
    assert_int_equal(team_leader(org, team_index(org, "ok2")), -1);
    tmp_free(&t);
    smg_org_free(org);
}

static void test_targets_commission_profiles(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    static const char *const want1[] = {
        "profiles.csv:1: column m07: required column is missing",
        "commission.csv:3: column mode: table \"*\" mixes marginal and flat rows",
    };
    static const char *const want2[] = {
        "targets.csv:2: column subject: team:nope does not exist",
        "targets.csv:3: column period: \"2026-W1\" is not YYYY, YYYY-Qn or YYYY-MM",
        "commission.csv:3: column mode: table \"*\" mixes marginal and flat rows",
        "targets.csv:6: target overlaps targets.csv:5 for the same subject and metric "
        "(sales_amount)",
    };
    (void)state;
    tmp_base(&t, EVHEAD);
    tmp_put(&t, "profiles.csv", "profile,m01,m02,m03,m04,m05,m06,m08,m09,m10,m11,m12\n");
    tmp_put(&t, "targets.csv", "subject,metric,period,amount\n"
                               "team:nope,sales_amount,2026,1\n"
                               "company,sales_amount,2026-W1,1\n"
                               "member:m1,visits,2026-Q1,12\n"
                               "member:m1,sales_amount,2026,100\n"
                               "member:m1,sales_amount,2026-03,5\n");
    tmp_put(&t, "commission.csv", "rate,product,from_amount,mode\n"
                                  "0.01,*,0,\n"
                                  "0.02,*,1000,flat\n");
    /* profiles.csv is unusable, so targets.csv is only checked for its header */
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    assert_errors(org, want1, 2);
    tmp_put(&t, "profiles.csv", "profile,m01,m02,m03,m04,m05,m06,m07,m08,m09,m10,m11,m12\n"
                                "flat,1,1,1,1,1,1,1,1,1,1,1,1\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    assert_errors(org, want2, 4);
    assert_empty(org);
    tmp_free(&t);
    smg_org_free(org);
}

static void test_policy_all_or_nothing(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    char buf[32];
    (void)state;
    assert_int_equal(smg_policy_set(org, "calendar.holiday", "2026-01-01"), 0);
    tmp_base(&t, EVHEAD "2026-03-01,signin,ghost,,,,\n");
    tmp_put(&t, "policy.conf", "attribution.claim_days = 9\ncalendar.holiday = none\n"
                               "calendar.holiday = 2026-05-01\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_ENOTFOUND);
    assert_true(smg_policy_get(org, "attribution.claim_days", buf, sizeof buf) > 0);
    assert_string_equal(buf, "3");
    assert_true(smg_policy_get(org, "calendar.holiday", buf, sizeof buf) > 0);
    assert_string_equal(buf, "2026-01-01");
    tmp_put(&t, "events.csv", EVHEAD "2026-03-01,signin,m1,,,,\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_true(smg_policy_get(org, "attribution.claim_days", buf, sizeof buf) > 0);
    assert_string_equal(buf, "9");
    assert_true(smg_policy_get(org, "calendar.holiday", buf, sizeof buf) > 0);
    assert_string_equal(buf, "2026-05-01");
    tmp_free(&t);
    smg_org_free(org);
}

static void test_repeated_failures(void **state)
{
    /* every allocation of a failed load is given back (checked by the
     * valgrind and ASan runs) and nothing is left behind */
    smg_org *org = new_org();
    char dir[512];
    int i;
    (void)state;
    for (i = 0; i < 3; i++) {
        assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
        assert_int_equal(smg_dataset_load(org, data_dir("missing_column", dir, sizeof dir)),
                         SMG_EPARSE);
    }
    assert_empty(org);
    smg_org_free(org); /* leaks would show under valgrind / ASan */
}

/* The optional id column of events.csv (RULES.md §8 "Event ids"). */
static void test_event_ids(void **state)
{
    smg_org *org = new_org();
    size_t pos;
    const char *id;
    int is_null = 0;
    tmpds t;
    (void)state;
    tmp_base(&t, "at,type,id,member,customer\n"
                 "2026-03-02,register,E1,m1,c1\n"
                 "2026-03-01,signin,,m1,\n"
                 "2026-03-03,followup,\"E 3\",m1,c1\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_event_count(org), 3);
    assert_int_equal(smg_event_find(org, "E1", &pos), 0);
    assert_int_equal(pos, 1);
    assert_int_equal(smg_event_find(org, "E 3", &pos), 0);
    assert_int_equal(pos, 2);
    assert_int_equal(smg_event_text(org, 0, SMG_EVENT_ID, &id, &is_null), 0);
    assert_int_equal(is_null, 1);
    assert_null(id);
    assert_int_equal(smg_event_text(org, 1, SMG_EVENT_ID, &id, &is_null), 0);
    assert_int_equal(is_null, 0);
    assert_string_equal(id, "E1");
    assert_int_equal(org->event_ids.ids.count, 2);
    smg_org_free(org);
    tmp_free(&t);

    /* a duplicate names both lines; a bad id its own; nothing is loaded */
    org = new_org();
    tmp_base(&t, "at,type,id,member,customer\n"
                 "2026-03-02,register,E1,m1,c1\n"
                 "2026-03-01,signin,E2,m1,\n"
                 "2026-03-03,followup,E1,m1,c1\n"
                 "2026-03-04,followup,\"x\ty\",m1,c1\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    {
        static const char *const want[] = {
            "events.csv:4: column id: duplicate event id \"E1\" (events.csv:2 has it too)",
            "events.csv:5: column id: event id \"x\\ty\" has a control character",
        };
        assert_errors(org, want, 2);
    }
    assert_int_equal(smg_event_count(org), 0);
    assert_int_equal(org->event_ids.ids.count, 0);
    smg_org_free(org);
    tmp_free(&t);
}


/* ---- issue #13: loading what a sales office really has ---- */

static const char *text_of(const smg_org *org, size_t row, smg_dataset_field f)
{
    const char *t = "untouched";
    int is_null = 0;
    assert_int_equal(smg_dataset_text(org, row, f, &t, &is_null), 0);
    assert_int_equal(is_null, t == NULL);
    return t;
}

static int64_t int_of(const smg_org *org, size_t row, smg_dataset_field f)
{
    int64_t v = -7;
    int is_null = 0;
    assert_int_equal(smg_dataset_int(org, row, f, &v, &is_null), 0);
    return is_null ? -1 : v;
}

/* Finding 1: a typo in an optional column or a file name is an error
 * naming what it resembles; other extra columns are warnings, listed with
 * what was read in the dataset table. */
static void test_near_misses(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    (void)state;
    tmp_base(&t, "at,type,member,customer,ref,amount,costs\n"
                 "2026-03-01,deal,m1,c1,D1,100,60\n");
    tmp_put(&t, "members.csv", "member_id,team_id,paytotal\nm1,t1,5000\nm2,t1,\n");
    tmp_put(&t, "target.csv", "subject,metric,period,amount\ncompany,sales_amount,2026,1\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    {
        static const char *const want[] = {
            "target.csv: unknown file; did you mean targets.csv?",
            "members.csv:1: column paytotal: unknown column; did you mean pay_total?",
            "events.csv:1: column costs: unknown column; did you mean cost?",
        };
        assert_errors(org, want, 3);
    }
    assert_empty(org);
    assert_int_equal(smg_dataset_count(org), 0);
    assert_int_equal(smg_org_warning_count(org), 0);

    /* the names fixed, other files and columns: ignored, and said so */
    tmp_free(&t);
    tmp_base(&t, "at,type,member,customer,ref,amount,cost,备注\n"
                 "2026-03-01,deal,m1,c1,D1,100,60,首单\n");
    tmp_put(&t, "members.csv", "member_id,team_id,pay_total,note\nm1,t1,5000,x\nm2,t1,,\n");
    tmp_put(&t, "targets.csv", "subject,metric,period,amount\ncompany,sales_amount,2026,1\n");
    tmp_put(&t, "notes.txt", "hello\n");
    tmp_put(&t, "deals.csv", "not a dataset file (and not near one)\n");
    tmp_put(&t, "~$members.csv", "an Excel lock file\n");
    tmp_put(&t, ".hidden.csv", "hidden\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_org_error_count(org), 0);
    assert_int_equal(smg_org_warning_count(org), 2);
    assert_string_equal(smg_org_warning(org, 0), "members.csv:1: column note: unknown column; "
                                                 "ignored");
    assert_string_equal(smg_org_warning(org, 1), "events.csv:1: column 备注: unknown column; "
                                                 "ignored");
    assert_null(smg_org_warning(org, 2));
    /* the dataset table: files in load order, their rows, ignored columns,
     * then the other files */
    {
        static const struct {
            const char *file, *column;
            int64_t rows, ignored;
        } want[] = {
            { "teams.csv", NULL, 1, 0 },        { "members.csv", NULL, 2, 0 },
            { "members.csv", "note", -1, 1 },   { "customers.csv", NULL, 2, 0 },
            { "targets.csv", NULL, 1, 0 },      { "events.csv", NULL, 1, 0 },
            { "events.csv", "备注", -1, 1 },    { "deals.csv", NULL, -1, 1 },
            { "notes.txt", NULL, -1, 1 },       { "~$members.csv", NULL, -1, 1 },
        };
        size_t i, n = sizeof want / sizeof want[0];
        assert_int_equal(smg_dataset_count(org), n);
        for (i = 0; i < n; i++) {
            const char *col = text_of(org, i, SMG_DATASET_COLUMN);
            assert_string_equal(text_of(org, i, SMG_DATASET_FILE), want[i].file);
            if (want[i].column)
                assert_string_equal(col, want[i].column);
            else
                assert_null(col);
            assert_int_equal(int_of(org, i, SMG_DATASET_ROWS), want[i].rows);
            assert_int_equal(int_of(org, i, SMG_DATASET_IGNORED), want[i].ignored);
        }
    }
    assert_string_equal(smg_dataset_field_name(SMG_DATASET_ROWS), "rows");
    assert_int_equal(smg_dataset_field_type(SMG_DATASET_IGNORED), SMG_TYPE_BOOL);
    assert_null(smg_dataset_field_name((smg_dataset_field)4));
    assert_int_equal(smg_dataset_count(NULL), 0);
    {
        int64_t v;
        assert_int_equal(smg_dataset_int(org, 0, SMG_DATASET_FILE, &v, NULL), SMG_EINVAL);
        assert_int_equal(smg_dataset_int(org, 10, SMG_DATASET_ROWS, &v, NULL), SMG_EINVAL);
    }
    /* a failed load empties the table and the warnings (on a folder that
     * ignores case, Members.csv beside no members.csv is members.csv) */
    {
        char path[128];
        snprintf(path, sizeof path, "%s/notes.txt", t.dir);
        unlink(path);
    }
    assert_int_equal(smg_dataset_count(org), 10);
    smg_org_free(org);
    org = new_org();
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_dataset_count(org), 9);
    smg_org_free(org);
    org = new_org();
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    tmp_put(&t, "Members.csv", "member_id,team_id\n");
    tmp_put(&t, "commision.CSV", "product,from_amount,rate\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    /* (and every row again: the org has them) */
    assert_string_equal(smg_org_error(org, 0),
                        "Members.csv: unknown file; did you mean members.csv?");
    assert_string_equal(smg_org_error(org, 1),
                        "commision.CSV: unknown file; did you mean commission.csv?");
    assert_int_equal(smg_dataset_count(org), 0);
    assert_int_equal(smg_org_warning_count(org), 0);
    assert_int_equal(smg_org_count(org, SMG_COUNT_EVENTS), 1); /* the first load's */
    tmp_free(&t);
    smg_org_free(org);
}

/* Finding 2: a GB18030 members.csv is one error for the file (the events,
 * which need the members, are not read: no cascade). */
static void test_gb18030(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    (void)state;
    tmp_base(&t, EVHEAD "2026-03-01,signin,m1,,,,\n");
    /* 张伟, 王芳, 李娜 in GB18030 */
    tmp_put(&t, "members.csv", "member_id,name,team_id\n"
                               "m1,\xd5\xc5\xce\xb0,t1\nm2,\xcd\xf5\xb7\xbc,t1\n"
                               "m3,\xc0\xee\xc4\xc8,t1\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EPARSE);
    assert_int_equal(smg_org_error_count(org), 1);
    assert_string_equal(smg_org_errmsg(org),
                        "members.csv:2: column name: not UTF-8: the file looks like GB18030 "
                        "(GBK), as Chinese Excel saves \"CSV\"; read it with --encoding "
                        "gb18030, or save it as \"CSV UTF-8\"");
    assert_empty(org);
    tmp_free(&t);
    smg_org_free(org);
}

/* Finding 3: Excel's and SQL's timestamps. */
static void test_excel_sql_times(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    char buf[32];
    size_t i;
    static const char *const want[] = {
        "2026-03-01T08:05:00", "2026-03-02T08:10:00", "2026-03-03T08:10:07",
        "2026-03-04T00:00:00", "2026-03-05T09:00:00", "2026-03-06T10:11:12",
        "2026-03-07T00:00:00", "2026-03-08T08:10:00", "2026-03-09T23:59:59",
    };
    (void)state;
    tmp_base(&t, EVHEAD "2026-03-01T08:05,signin,m1,,,,\n"
                        "2026-03-02 08:10,signin,m1,,,,\n"
                        "2026-03-03 08:10:07,signin,m1,,,,\n"
                        "2026/3/4,signin,m1,,,,\n"
                        "2026/3/5 9:00,signin,m1,,,,\n"
                        "2026/03/06 10:11:12,signin,m1,,,,\n"
                        "2026-03-07,signin,m1,,,,\n"
                        "2026/3/8 08:10,signin,m1,,,,\n"
                        "2026/3/9 23:59:59,signin,m1,,,,\n");
    tmp_put(&t, "members.csv", "member_id,team_id,start_date,end_date\n"
                               "m1,t1,2026/1/1,2026-12-31\nm2,t1,2026/01/02,\n");
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    dump(org);
    assert_int_equal(smg_event_count(org), 9);
    for (i = 0; i < 9; i++) {
        assert_int_equal(smg_time_format(buf, sizeof buf, org->events.at[i]), 19);
        assert_string_equal(buf, want[i]);
    }
    assert_int_equal(member_field(org, 0, SMG_MEMBER_START, 0), D("2026-01-01"));
    assert_int_equal(member_field(org, 1, SMG_MEMBER_START, 0), D("2026-01-02"));
    smg_org_free(org);
    tmp_free(&t);
    /* the library's own parsers stay strict */
    {
        smg_time tm;
        smg_date d;
        assert_int_equal(smg_time_parse(&tm, "2026-03-02 08:10"), SMG_EPARSE);
        assert_int_equal(smg_date_parse(&d, "2026/3/4"), SMG_EPARSE);
    }
    /* what is still no time */
    expect_one(EVHEAD "2026/3/4T08:10,signin,m1,,,,\n", SMG_EPARSE,
               "events.csv:2: column at: \"2026/3/4T08:10\" is not a time (YYYY-MM-DD or "
               "YYYY/M/D, with HH:MM or HH:MM:SS after a T or a space)");
    expect_one(EVHEAD "2026-3-4,signin,m1,,,,\n", SMG_EPARSE,
               "events.csv:2: column at: \"2026-3-4\" is not a time (YYYY-MM-DD or YYYY/M/D, "
               "with HH:MM or HH:MM:SS after a T or a space)");
    expect_one(EVHEAD "2026/2/30 8:00,signin,m1,,,,\n", SMG_EPARSE,
               "events.csv:2: column at: \"2026/2/30 8:00\" is not a time (YYYY-MM-DD or "
               "YYYY/M/D, with HH:MM or HH:MM:SS after a T or a space)");
    expect_one(EVHEAD "2026-03-02 24:00,signin,m1,,,,\n", SMG_EPARSE,
               "events.csv:2: column at: \"2026-03-02 24:00\" is not a time (YYYY-MM-DD or "
               "YYYY/M/D, with HH:MM or HH:MM:SS after a T or a space)");
    expect_one(EVHEAD "2026-03-02 08:10:00.000,signin,m1,,,,\n", SMG_EPARSE,
               "events.csv:2: column at: \"2026-03-02 08:10:00.000\" is not a time "
               "(YYYY-MM-DD or YYYY/M/D, with HH:MM or HH:MM:SS after a T or a space)");
}

/* Finding 4: an id with a space at an end, a negative deal amount. */
static void test_ids_and_negative_deals(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    (void)state;
    tmp_base(&t, EVHEAD "2026-03-01,signin,m1 ,,,,\n"
                        "2026-03-02,deal,m1,c1,D1,-500.00,\n"
                        "2026-03-03,register,m1,\" c2\",,,\n"
                        "2026-03-04,deal,m1,c1,\"D2 \",5,\n");
    tmp_put(&t, "members.csv", "member_id,team_id\nm1,t1\n\"m2 \",t1\n");
    tmp_put(&t, "customers.csv", "customer_id\nc1\nc2\n\"\xe3\x80\x80" "c3\"\n");
    assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA);
    {
        static const char *const want[] = {
            "members.csv:3: column member_id: member id \"m2 \" ends with a space (ids have "
            "none at either end)",
            "customers.csv:4: column customer_id: customer id \"\xe3\x80\x80" "c3\" begins with "
            "a space (ids have none at either end)",
            "events.csv:2: column member: member id \"m1 \" ends with a space (ids have none "
            "at either end)",
            "events.csv:3: column amount: a deal's amount is not negative (-500.00); goods "
            "returned or money paid back are a refund event of the deal (RULES.md \xc2\xa7" "8)",
            "events.csv:4: column customer: customer id \" c2\" begins with a space (ids have "
            "none at either end)",
            "events.csv:5: column ref: deal id \"D2 \" ends with a space (ids have none at "
            "either end)",
        };
        assert_errors(org, want, sizeof want / sizeof want[0]);
    }
    assert_empty(org);
    tmp_free(&t);
    smg_org_free(org);
}

/* Finding 7: every event knows its line in events.csv (quoted newlines,
 * blank lines and rows of empty cells counted), after sorting, and a
 * rolled-back load leaves no lines behind. */
static void test_event_lines(void **state)
{
    smg_org *org = new_org();
    tmpds t;
    size_t i;
    int64_t v;
    int is_null;
    char where[64], buf_line[64];
    static const struct {
        const char *ref;
        int64_t line;
    } want[] = {
        /* in time order */
        { "D0", 12 }, { "D1", 2 }, { "D2", 3 }, { "D3", 6 }, { "D4", 7 }, { "D5", 10 },
    };
    (void)state;
    tmp_base(&t, "at,type,member,customer,ref,amount,note\n"
                 "2026-03-01,deal,m1,c1,D1,1,\n"          /* 2 */
                 "2026-03-02,deal,m1,c1,D2,1,\"a\n"       /* 3 */
                 "two\n"                                  /* 4 */
                 "line note\"\n"                          /* 5 */
                 "2026-03-03,deal,m1,c1,D3,1,\n"          /* 6 */
                 "2026-03-04,deal,m1,c1,D4,1,\n"          /* 7 */
                 "\n"                                     /* 8: blank */
                 ",,,,,,\n"                               /* 9: empty cells */
                 "2026-03-05,deal,m1,c1,D5,1,\n"          /* 10 */
                 "\r\n"                                   /* 11 */
                 "2026-02-28,deal,m1,c1,D0,1,\n");        /* 12: sorts first */
    assert_int_equal(smg_dataset_load(org, t.dir), 0);
    assert_int_equal(smg_event_count(org), 6);
    for (i = 0; i < 6; i++) {
        const char *ref;
        assert_int_equal(smg_event_text(org, i, SMG_EVENT_REF, &ref, NULL), 0);
        assert_string_equal(ref, want[i].ref);
        assert_int_equal(smg_event_int(org, i, SMG_EVENT_LINE, &v, &is_null), 0);
        assert_int_equal(is_null, 0);
        assert_int_equal(v, want[i].line);
        smgi_event_where(org, i, where, sizeof where);
        snprintf(buf_line, sizeof buf_line, "events.csv:%d", (int)want[i].line);
        assert_string_equal(where, buf_line);
    }
    /* compact: a run where line - seq changes (4 here), none per event */
    assert_int_equal(org->event_lines.count, 4);
    /* an event of the API has no line; a failed load adds no lines */
    {
        smg_event ev = SMG_EVENT_INIT;
        size_t runs;
        ev.type = SMG_EV_SIGNIN;
        ev.at = (smg_time)D("2026-03-10") * 86400;
        ev.member = "m2";
        assert_int_equal(smg_event_add(org, &ev), 0);
        assert_int_equal(smg_event_int(org, 6, SMG_EVENT_LINE, &v, &is_null), 0);
        assert_int_equal(is_null, 1);
        assert_int_equal(v, 0);
        runs = org->event_lines.count;
        assert_int_equal(runs, 5);
        tmp_put(&t, "events.csv", EVHEAD "2026-03-11,signin,m1,,,,\n2026-03-12,signin,zz,,,,\n");
        assert_int_equal(smg_dataset_load(org, t.dir), SMG_EDATA); /* m1 exists already */
        assert_int_equal(org->event_lines.count, runs);
        assert_int_equal(smg_event_add(org, &ev), 0);
        assert_int_equal(org->event_lines.count, runs); /* still no line: no new run */
        assert_int_equal(smg_event_int(org, 7, SMG_EVENT_LINE, &v, &is_null), 0);
        assert_int_equal(is_null, 1);
    }
    tmp_free(&t);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_near_misses),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_excel_sql_times),
        cmocka_unit_test(test_ids_and_negative_deals),
        cmocka_unit_test(test_event_lines),
        cmocka_unit_test(test_good_dataset),
        cmocka_unit_test(test_bad_dataset_every_error),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_failed_load_leaves_org_unchanged),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_single_errors),
        cmocka_unit_test(test_teams),
        cmocka_unit_test(test_targets_commission_profiles),
        cmocka_unit_test(test_policy_all_or_nothing),
        cmocka_unit_test(test_repeated_failures),
        cmocka_unit_test(test_event_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
