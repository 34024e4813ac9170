/* Follow-up attribution (RULES.md §4): one worked case per rule and per
 * reason code, and the edges — the last protected day and the day after,
 * claims on d+3 and d+4, contacts by non-protectors, duty receptions, a
 * deal on the registration day, events in the same minute, group keys,
 * void then claim, override then claim, release and re-registration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"

/* members a, b, c (reps); customers c1, c4 alone, c2 and c3 one family */
static smg_org *fixture(void)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, NULL), 0);
    assert_int_equal(smg_team_add(org, "t", "一组", NULL), 0);
    assert_int_equal(smg_member_add(org, "a", "张伟", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "李娜", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "c", "王芳", "t", SMG_ROLE_REP), 0);
    assert_int_equal(smg_customer_add(org, "c1", "x", "138 0013 8000", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c2", "y", "139", "fam"), 0);
    assert_int_equal(smg_customer_add(org, "c3", "z", "", "fam"), 0);
    assert_int_equal(smg_customer_add(org, "c4", "w", "+86 13800138000", NULL), 0);
    return org;
}

static void add(smg_org *org, const char *at, smg_event_type type, const char *member,
                const char *customer, const char *ref)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    assert_int_equal(smg_time_parse(&ev.at, at), 0);
    ev.member = member;
    ev.customer = customer;
    ev.ref = ref;
    if (type == SMG_EV_DEAL)
        ev.amount = 100000;
    if (smg_event_add(org, &ev) != 0)
        fail_msg("event %s %s: %s", at, smg_event_type_name(type), smg_org_errmsg(org));
}

static void duty(smg_org *org, const char *at, const char *member, const char *customer)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = SMG_EV_RECEPTION;
    assert_int_equal(smg_time_parse(&ev.at, at), 0);
    ev.member = member;
    ev.customer = customer;
    ev.outcome = SMG_OUTCOME_DUTY;
    assert_int_equal(smg_event_add(org, &ev), 0);
}

/* The attribution key of customer c. */
static size_t customer_key(const smg_org *org, size_t c)
{
    size_t k = 0;
    assert_int_equal(smg_customer_index(org, c, SMG_CUSTOMER_KEY, &k, NULL), 0);
    return k;
}

static long M(smg_org *org, const char *id)
{
    size_t i;
    assert_int_equal(smg_member_find(org, id, &i), 0);
    return (long)i;
}

static smg_attribution *run(smg_org *org)
{
    smg_attribution *a = NULL;
    assert_int_equal(smg_attribution_run(org, NULL, &a), 0);
    assert_non_null(a);
    return a;
}

/* the row of deal `ref` */
static size_t row_of(const smg_attribution *a, const smg_org *org, const char *ref)
{
    size_t i;
    for (i = 0; i < smg_attribution_deal_count(a); i++)
        if (strcmp(smg_deal_id(org, (size_t)smg_attribution_deal(a, i, SMG_DEAL_INDEX)), ref) == 0)
            return i;
    fail_msg("no deal %s", ref);
    return 0;
}

static void expect_deal(const smg_attribution *a, smg_org *org, const char *ref,
                        const char *credited, smg_reason reason)
{
    size_t row = row_of(a, org, ref);
    assert_string_equal(smg_reason_name((smg_reason)smg_attribution_deal(a, row, SMG_DEAL_REASON)),
                        smg_reason_name(reason));
    assert_int_equal(smg_attribution_deal(a, row, SMG_DEAL_CREDITED),
                     credited ? M(org, credited) : -1);
}

/* how many notices of a kind; the first one's index in *first */
static size_t notices(const smg_attribution *a, smg_notice_kind kind, size_t *first)
{
    size_t i, n = 0;
    for (i = 0; i < smg_attribution_notice_count(a); i++)
        if (smg_attribution_notice(a, i, SMG_NOTICE_KIND) == kind) {
            if (!n && first)
                *first = i;
            n++;
        }
    return n;
}

static smg_date D(const char *s)
{
    smg_date d;
    assert_int_equal(smg_date_parse(&d, s), 0);
    return d;
}

/* R1 + R4 owner: the registrant closes; the evidence names the registration
 * (input position 0) and the latest contact (the follow-up, position 1). */
static void test_owner_and_evidence(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "a", "c1", "D1");
    a = run(org);
    expect_deal(a, org, "D1", "a", SMG_REASON_OWNER);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_EV_REGISTRATION), 0);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_EV_CONTACT), 1);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_EV_DEAL), 2);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_EV_CLAIM), -1);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_CLOSER), M(org, "a"));
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_DAY), D("2026-10-03"));
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_AMOUNT), 100000);
    assert_int_equal(smg_attribution_deal(a, 1, SMG_DEAL_REASON), INT64_MIN); /* no row 1 */
    assert_int_equal(smg_attribution_registration_count(a), 1);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R1 collision: the first registration stands; R4 protected_unclaimed. */
static void test_collision_and_protected_unclaimed(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "b", "c1", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "b", "c1", "D1");
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, &i), 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_MEMBER), M(org, "b"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_OTHER), M(org, "a"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_EVENT), 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_DAY), D("2026-10-02"));
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_PROTECTOR), M(org, "a"));
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_EV_REGISTRATION), 0);
    /* the collision is not an accepted registration */
    assert_int_equal(smg_attribution_registration_count(a), 1);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R2: registered on 10-01, protection runs through 10-08 (7 days, the
 * contact day not counted); released at the start of 10-09. */
static void test_last_protected_day_and_the_day_after(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-08T23:59", SMG_EV_DEAL, "b", "c1", "D1");
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-09T00:00", SMG_EV_DEAL, "b", "c4", "D2");
    a = run(org);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    expect_deal(a, org, "D2", "b", SMG_REASON_UNPROTECTED);
    /* c4's release is reported with its first unprotected day */
    assert_true(notices(a, SMG_NOTICE_RELEASE, &i) >= 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_DAY), D("2026-10-09"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_MEMBER), M(org, "a"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_CAUSE), 1);
    smg_attribution_free(a);

    /* protect_days = 10 keeps c4 protected on 10-09 */
    assert_int_equal(smg_policy_set(org, "attribution.protect_days", "10"), 0);
    a = run(org);
    expect_deal(a, org, "D2", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R2: the protector's contacts renew; others' contacts and duty receptions do not. */
static void test_contacts_renew_only_for_the_protector(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    smg_date through;
    long who;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-05T10:00", SMG_EV_FOLLOWUP, "b", "c1", NULL);
    add(org, "2026-10-06T10:00", SMG_EV_VISIT, "c", "c1", NULL);
    duty(org, "2026-10-07T10:00", "a", "c1"); /* R8: duty, no renewal */
    add(org, "2026-10-09T10:00", SMG_EV_DEAL, "c", "c1", "D1");
    /* c4: the protector's visit on 10-06 renews through 10-13 */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-06T10:00", SMG_EV_VISIT, "a", "c4", NULL);
    add(org, "2026-10-13T10:00", SMG_EV_DEAL, "b", "c4", "D2");
    add(org, "2026-10-14T10:00", SMG_EV_DEAL, "b", "c4", "D3");
    a = run(org);
    expect_deal(a, org, "D1", "c", SMG_REASON_UNPROTECTED);
    expect_deal(a, org, "D2", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    expect_deal(a, org, "D3", "b", SMG_REASON_UNPROTECTED);
    /* after D3 the closer b protects c4 from 10-14, through 10-21 */
    assert_int_equal(smg_attribution_protector(a, customer_key(org, 3), &who,
                                               &through, NULL), 0);
    assert_int_equal(who, M(org, "b"));
    assert_int_equal(through, D("2026-10-21"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R4: a deal on the registration day by another member; R5 claims on d+3 and d+4. */
static void test_claim_window(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    (void)state;
    add(org, "2026-10-01T09:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T15:00", SMG_EV_DEAL, "b", "c1", "D1");
    add(org, "2026-10-04T23:59", SMG_EV_CLAIM, "a", NULL, "D1"); /* d+3: in time */
    add(org, "2026-10-02T09:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-03T15:00", SMG_EV_DEAL, "c", "c4", "D2");
    add(org, "2026-10-07T00:00", SMG_EV_CLAIM, "a", NULL, "D2"); /* d+4: late */
    add(org, "2026-10-04T00:00", SMG_EV_CLAIM, "b", NULL, "D2"); /* not the protector */
    a = run(org);
    expect_deal(a, org, "D1", "a", SMG_REASON_CLAIMED);
    assert_int_equal(smg_attribution_deal(a, row_of(a, org, "D1"), SMG_DEAL_EV_CLAIM), 2);
    expect_deal(a, org, "D2", "c", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(notices(a, SMG_NOTICE_CLAIM_LATE, &i), 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_EVENT), 5);
    assert_string_equal(smg_deal_id(org, (size_t)smg_attribution_notice(a, i, SMG_NOTICE_DEAL)),
                        "D2");
    assert_int_equal(notices(a, SMG_NOTICE_CLAIM_INVALID, &i), 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_MEMBER), M(org, "b"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_OTHER), M(org, "a"));
    smg_attribution_free(a);

    /* claim_days = 0: only a claim on the deal day is in time */
    assert_int_equal(smg_policy_set(org, "attribution.claim_days", "0"), 0);
    a = run(org);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(notices(a, SMG_NOTICE_CLAIM_LATE, NULL), 2);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Ties: events at the same minute keep their input order. */
static void test_same_minute_input_order(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    long who;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "b", "c1", NULL);
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T10:00", SMG_EV_DEAL, "a", "c1", "D1");
    a = run(org);
    assert_int_equal(smg_attribution_protector(a, customer_key(org, 0), &who, NULL,
                                               NULL), 0);
    assert_int_equal(who, M(org, "b"));
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 1);
    expect_deal(a, org, "D1", "a", SMG_REASON_PROTECTED_UNCLAIMED);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Group keys: c2 and c3 are one customer; different members registering
 * them collide, and a deal on c3 is protected by c2's registrant. */
static void test_group_key(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c2", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "b", "c3", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "b", "c3", "D1");
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 1);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(smg_attribution_deal(a, 0, SMG_DEAL_KEY), (long)customer_key(org, 1));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R6: a void ends every protection at once; a later claim for an earlier
 * deal is invalid; the member may register again afterwards. */
static void test_void_then_claim(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0, n = 0;
    long who;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_DEAL, "b", "c1", "D1");
    add(org, "2026-10-03T10:00", SMG_EV_VOID_REGISTER, "a", NULL, NULL);
    add(org, "2026-10-04T10:00", SMG_EV_CLAIM, "a", NULL, "D1");
    add(org, "2026-10-04T11:00", SMG_EV_REGISTER, "b", "c4", NULL);
    add(org, "2026-10-05T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    a = run(org);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(notices(a, SMG_NOTICE_CLAIM_INVALID, NULL), 1);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 0); /* c4 was free for b */
    for (i = 0; i < smg_attribution_notice_count(a); i++)
        if (smg_attribution_notice(a, i, SMG_NOTICE_KIND) == SMG_NOTICE_RELEASE) {
            assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_CAUSE), 2);
            assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_DAY), D("2026-10-03"));
            assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_EVENT), 3);
            n++;
        }
    assert_int_equal(n, 2);
    smg_attribution_protector(a, customer_key(org, 0), &who, NULL, NULL);
    assert_int_equal(who, M(org, "a")); /* registered again after the void */
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R7: an override is final; a claim after it is rejected. */
static void test_override_then_claim(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    smg_event ev = SMG_EVENT_INIT;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_DEAL, "b", "c1", "D1");
    add(org, "2026-10-02T12:00", SMG_EV_OVERRIDE, NULL, NULL, "D1"); /* the company */
    add(org, "2026-10-03T10:00", SMG_EV_CLAIM, "a", NULL, "D1");
    add(org, "2026-10-02T13:00", SMG_EV_DEAL, "b", "c1", "D2");
    add(org, "2026-10-02T14:00", SMG_EV_OVERRIDE, "c", NULL, "D2");
    a = run(org);
    expect_deal(a, org, "D1", NULL, SMG_REASON_COMPANY);
    expect_deal(a, org, "D2", "c", SMG_REASON_OVERRIDE);
    assert_int_equal(smg_attribution_deal(a, row_of(a, org, "D1"), SMG_DEAL_EV_OVERRIDE), 2);
    assert_int_equal(notices(a, SMG_NOTICE_CLAIM_INVALID, NULL), 1);
    smg_attribution_free(a);
    (void)ev;
    smg_org_free(org);
}

/* Release then re-registration, by the former protector and by another. */
static void test_release_and_reregistration(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    long who;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-10T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* after release: new */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-09T10:00", SMG_EV_REGISTER, "b", "c4", NULL); /* first free day */
    add(org, "2026-10-09T11:00", SMG_EV_REGISTER, "b", "c4", NULL); /* protector again: a contact */
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 0);
    assert_int_equal(notices(a, SMG_NOTICE_RELEASE, NULL), 2);
    smg_attribution_protector(a, customer_key(org, 0), &who, NULL, NULL);
    assert_int_equal(who, M(org, "a"));
    smg_attribution_protector(a, customer_key(org, 3), &who, NULL, NULL);
    assert_int_equal(who, M(org, "b"));
    /* accepted registrations: 4 (b's second is only a contact) */
    assert_int_equal(smg_attribution_registration_count(a), 4);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R3: a follow-up by the same member later the same day or within 3 days. */
static void test_first_followup(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    int ontime[3];
    long member;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-04T23:00", SMG_EV_FOLLOWUP, "a", "c1", NULL); /* d+3: in time */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "b", "c4", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_FOLLOWUP, "a", "c4", NULL); /* someone else's */
    add(org, "2026-10-05T10:00", SMG_EV_FOLLOWUP, "b", "c4", NULL); /* d+4: late */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "c", "c2", NULL);
    add(org, "2026-10-20T10:00", SMG_EV_SIGNIN, "c", NULL, NULL);   /* never followed up */
    a = run(org);
    assert_int_equal(smg_attribution_registration_count(a), 3);
    for (i = 0; i < 3; i++)
        assert_int_equal(smg_attribution_registration(a, i, NULL, &member, &ontime[i]), 0);
    assert_int_equal(ontime[0] + ontime[1] + ontime[2], 1);
    assert_int_equal(notices(a, SMG_NOTICE_LATE_FOLLOWUP, &i), 2);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_DEADLINE), D("2026-10-04"));
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_DAY), D("2026-10-05"));
    smg_attribution_free(a);
    /* with first_followup_days = 0 the d+3 follow-up is late too */
    assert_int_equal(smg_policy_set(org, "attribution.first_followup_days", "0"), 0);
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_LATE_FOLLOWUP, NULL), 3);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Possible duplicates: the same normalised phone (+86 prefix, spaces). */
static void test_duplicates(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    (void)state;
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_DUPLICATE, &i), 1);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_CUSTOMER), 3);
    assert_int_equal(smg_attribution_notice(a, i, SMG_NOTICE_CAUSE), 0);
    assert_int_equal(smg_attribution_deal_count(a), 0);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* The state at a moment, and the morning reminder list. */
static void test_until_and_expiring(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = NULL;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    size_t keys[4];
    long who, last;
    smg_date through;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_REGISTER, "b", "c4", NULL);
    add(org, "2026-10-06T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL);
    assert_int_equal(smg_time_parse(&opts.until, "2026-10-05T00:00"), 0);
    assert_int_equal(smg_attribution_run(org, &opts, &a), 0);
    smg_attribution_protector(a, customer_key(org, 0), &who, &through, &last);
    assert_int_equal(who, M(org, "a"));
    assert_int_equal(through, D("2026-10-08")); /* the 10-06 follow-up is not seen yet */
    assert_int_equal(last, 0);
    /* on 10-06, ending within 3 days (10-06..10-08): c1 (10-08) only; c4 ends 10-10 */
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 3, keys, 4), 1);
    assert_int_equal(keys[0], customer_key(org, 0));
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 5, NULL, 0), 2);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 5, keys, 4), 2);
    assert_int_equal(keys[1], customer_key(org, 3)); /* by protector: a, then b */
    smg_attribution_free(a);
    a = run(org);
    smg_attribution_protector(a, customer_key(org, 0), NULL, &through, &last);
    assert_int_equal(through, D("2026-10-13"));
    assert_int_equal(last, 2);
    smg_attribution_free(a);
    smg_org_free(org);
}

static void test_bad_calls(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = (smg_attribution *)1;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    (void)state;
    assert_int_equal(smg_attribution_run(NULL, NULL, &a), SMG_EINVAL);
    assert_int_equal(smg_attribution_run(org, NULL, NULL), SMG_EINVAL);
    opts.version = 99;
    assert_int_equal(smg_attribution_run(org, &opts, &a), SMG_EVERSION);
    assert_null(a);
    assert_int_equal(smg_batch_begin(org), 0);
    assert_int_equal(smg_attribution_run(org, NULL, &a), SMG_ESTATE);
    assert_non_null(strstr(smg_org_errmsg(org), "batch"));
    smg_batch_rollback(org);
    /* a result goes stale when the org changes */
    a = run(org);
    assert_int_equal(smg_attribution_notice_count(a), 1);
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    assert_int_equal(smg_attribution_notice(a, 0, SMG_NOTICE_KIND), INT64_MIN);
    assert_int_equal(smg_attribution_protector(a, 0, NULL, NULL, NULL), SMG_EINVAL);
    smg_attribution_free(a);
    smg_attribution_free(NULL);
    assert_null(smg_reason_name((smg_reason)0));
    assert_string_equal(smg_reason_name(SMG_REASON_PROTECTED_UNCLAIMED), "protected_unclaimed");
    assert_string_equal(smg_notice_kind_name(SMG_NOTICE_CLAIM_LATE), "claim_late");
    smg_org_free(org);
}

/* Notices come by day (undated last), then kind, then as found — whether
 * the days span a few months (a counting sort) or decades (a radix sort
 * on wide keys): the same scenario gives the same notices both ways. */
static void notice_scenario(smg_org *org)
{
    add(org, "2026-03-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-03-01T11:00", SMG_EV_REGISTER, "b", "c1", NULL);  /* collision */
    add(org, "2026-03-01T12:00", SMG_EV_REGISTER, "b", "c2", NULL);
    add(org, "2026-03-01T12:30", SMG_EV_REGISTER, "a", "c3", NULL);  /* collision: group */
    add(org, "2026-06-01T09:00", SMG_EV_REGISTER, "c", "c4", NULL);  /* releases come first */
}

static size_t notice_rows(const smg_attribution *a, int64_t from_day, int64_t rows[][3])
{
    size_t i, n = 0;
    int64_t prev_day = INT64_MIN, prev_kind = 0;
    for (i = 0; i < smg_attribution_notice_count(a); i++) {
        int64_t day = smg_attribution_notice(a, i, SMG_NOTICE_DAY);
        int64_t kind = smg_attribution_notice(a, i, SMG_NOTICE_KIND);
        int64_t order_day = day < 0 ? INT64_MAX : day; /* undated: last */
        assert_true(order_day > prev_day || (order_day == prev_day && kind >= prev_kind));
        prev_day = order_day;
        prev_kind = kind;
        if (day >= 0 && day < from_day)
            continue;
        rows[n][0] = kind;
        rows[n][1] = day;
        rows[n][2] = smg_attribution_notice(a, i, SMG_NOTICE_EVENT);
        n++;
    }
    return n;
}

static void test_notice_order(void **state)
{
    int64_t near[32][3], far[32][3];
    smg_org *org = fixture();
    smg_attribution *a;
    size_t n, n2, k;
    (void)state;
    notice_scenario(org);
    a = run(org);
    n = notice_rows(a, 0, near);
    assert_true(n >= 6);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 2);
    assert_int_equal(notices(a, SMG_NOTICE_DUPLICATE, NULL), 1);
    assert_int_equal(near[n - 1][0], SMG_NOTICE_DUPLICATE); /* undated: last */
    smg_attribution_free(a);
    smg_org_free(org);

    /* the same, and a collision 26 years earlier, added last */
    org = fixture();
    assert_int_equal(smg_customer_add(org, "c9", "v", "", NULL), 0);
    notice_scenario(org);
    add(org, "2000-01-03T10:00", SMG_EV_REGISTER, "a", "c9", NULL);
    add(org, "2000-01-03T11:00", SMG_EV_REGISTER, "b", "c9", NULL);
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_COLLISION, NULL), 3);
    assert_int_equal(smg_attribution_notice(a, 0, SMG_NOTICE_DAY), D("2000-01-03"));
    n2 = notice_rows(a, D("2026-01-01"), far);
    assert_int_equal(n2, n);
    for (k = 0; k < n; k++) {
        assert_int_equal(far[k][0], near[k][0]);
        assert_int_equal(far[k][1], near[k][1]);
        assert_int_equal(far[k][2], near[k][2]);
    }
    smg_attribution_free(a);
    smg_org_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_and_evidence),
        cmocka_unit_test(test_collision_and_protected_unclaimed),
        cmocka_unit_test(test_last_protected_day_and_the_day_after),
        cmocka_unit_test(test_contacts_renew_only_for_the_protector),
        cmocka_unit_test(test_claim_window),
        cmocka_unit_test(test_same_minute_input_order),
        cmocka_unit_test(test_notice_order),
        cmocka_unit_test(test_group_key),
        cmocka_unit_test(test_void_then_claim),
        cmocka_unit_test(test_override_then_claim),
        cmocka_unit_test(test_release_and_reregistration),
        cmocka_unit_test(test_first_followup),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_until_and_expiring),
        cmocka_unit_test(test_bad_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
