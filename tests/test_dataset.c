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
                                        "events.csv", "policy.conf" };

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
    "members.csv:5: column start_date: \"2026-02-30\" is not a date (YYYY-MM-DD)",
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
    "events.csv:13: column at: \"2026-13-01\" is not a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
    "YYYY-MM-DDTHH:MM:SS)",
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
    opts.max_errors = 3;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    assert_errors(org, bad_errors, 3);
    assert_empty(org);
    smg_org_free(org);
    /* one kept, more found: still "several errors" */
    opts.max_errors = 1;
    assert_int_equal(smg_org_new(&org, &opts), 0);
    assert_int_equal(smg_dataset_load(org, data_dir("bad", dir, sizeof dir)), SMG_EDATA);
    assert_errors(org, bad_errors, 1);
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
        assert_string_equal(smg_org_errmsg(org), "teams.csv:1: read error");
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
            "events.csv:5: column id: event id \"x\ty\" has a control character",
        };
        assert_errors(org, want, 2);
    }
    assert_int_equal(smg_event_count(org), 0);
    assert_int_equal(org->event_ids.ids.count, 0);
    smg_org_free(org);
    tmp_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
