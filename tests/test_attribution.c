/* Follow-up attribution (RULES.md §4): one worked case per rule and per
 * reason code, and the edges — the last protected day and the day after,
 * claims on d+3 and d+4, contacts by non-protectors, duty receptions, a
 * deal on the registration day, events in the same minute, group keys,
 * void then claim, override then claim, release and re-registration; the
 * four result tables read through their getters, events quoted by log
 * position, and what a member may see (RULES.md §1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "failing_alloc.h"
#include "attribution.h" /* the engines' view: the whole replay */

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
    assert_int_equal(smg_attribution_compute(&a, org, NULL), 0);
    assert_non_null(a);
    return a;
}

/* Readers of one cell that must succeed; NUL / INT64_MIN for null (the
 * getter then gives 0 and is_null = 1). */
#define NUL ((size_t)-1)
#define READERS(name, table, field_t)                                                      \
    static size_t name##_ix(const smg_attribution *a, size_t row, field_t f)               \
    {                                                                                      \
        size_t v = 77;                                                                     \
        int null = -1;                                                                     \
        assert_int_equal(smg_attribution_##table##_index(a, row, f, &v, &null), 0);        \
        assert_true(null == 0 || (null == 1 && v == 0));                                   \
        return null ? NUL : v;                                                             \
    }                                                                                      \
    static int64_t name##_i(const smg_attribution *a, size_t row, field_t f)               \
    {                                                                                      \
        int64_t v = 77;                                                                    \
        int null = -1;                                                                     \
        assert_int_equal(smg_attribution_##table##_int(a, row, f, &v, &null), 0);          \
        assert_true(null == 0 || (null == 1 && v == 0));                                   \
        return null ? INT64_MIN : v;                                                       \
    }
READERS(deal, deal, smg_deal_field)
READERS(notice, notice, smg_notice_field)
READERS(prot, protection, smg_protection_field)
READERS(reg, registration, smg_registration_field)

/* the row of deal `ref` */
static size_t row_of(const smg_attribution *a, const smg_org *org, const char *ref)
{
    size_t i;
    for (i = 0; i < smg_attribution_deal_count(a); i++)
        if (strcmp(smg_deal_id(org, deal_ix(a, i, SMG_DEAL_DEAL)), ref) == 0)
            return i;
    fail_msg("no deal %s", ref);
    return 0;
}

static void expect_deal(const smg_attribution *a, smg_org *org, const char *ref,
                        const char *credited, smg_reason reason)
{
    size_t row = row_of(a, org, ref);
    assert_string_equal(smg_reason_name((smg_reason)deal_i(a, row, SMG_DEAL_REASON)),
                        smg_reason_name(reason));
    assert_int_equal(deal_ix(a, row, SMG_DEAL_CREDITED),
                     credited ? (size_t)M(org, credited) : NUL);
}

/* how many notices of a kind; the first one's index in *first */
static size_t notices(const smg_attribution *a, smg_notice_kind kind, size_t *first)
{
    size_t i, n = 0;
    for (i = 0; i < smg_attribution_notice_count(a); i++)
        if (notice_i(a, i, SMG_NOTICE_KIND) == (int64_t)kind) {
            if (!n && first)
                *first = i;
            n++;
        }
    return n;
}

/* The protector of attribution key `key` at the end and its last protected
 * day and latest contact (log position); NUL when not protected. */
static size_t protector(const smg_attribution *a, long key, smg_date *through, size_t *contact)
{
    size_t row = 99;
    int rc = smg_attribution_protection_find(a, (size_t)key, &row);
    if (rc == SMG_ENOTFOUND) {
        assert_int_equal(row, 99);
        return NUL;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(prot_ix(a, row, SMG_PROTECTION_KEY), (size_t)key);
    if (through)
        *through = (smg_date)prot_i(a, row, SMG_PROTECTION_THROUGH);
    if (contact)
        *contact = prot_ix(a, row, SMG_PROTECTION_EV_CONTACT);
    return prot_ix(a, row, SMG_PROTECTION_MEMBER);
}

static smg_date D(const char *s)
{
    smg_date d;
    assert_int_equal(smg_date_parse(&d, s), 0);
    return d;
}

/* R1 + R4 owner: the registrant closes; the evidence names the registration
 * (log position 0) and the latest contact (the follow-up, position 1). */
static void test_owner_and_evidence(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    int64_t v = 5;
    int null = 5;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "a", "c1", "D1");
    a = run(org);
    expect_deal(a, org, "D1", "a", SMG_REASON_OWNER);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_REGISTRATION), 0);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_CONTACT), 1);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_DEAL), 2);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_CLAIM), NUL);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_CLOSER), (size_t)M(org, "a"));
    assert_int_equal(deal_i(a, 0, SMG_DEAL_DAY), D("2026-10-03"));
    assert_int_equal(deal_i(a, 0, SMG_DEAL_AMOUNT), 100000);
    /* no row 1 */
    assert_int_equal(smg_attribution_deal_int(a, 1, SMG_DEAL_REASON, &v, &null), SMG_EINVAL);
    assert_int_equal(v, 5);
    assert_int_equal(null, 5);
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
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, &i), 1);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_MEMBER), (size_t)M(org, "b"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_OTHER), (size_t)M(org, "a"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), 1);
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DAY), D("2026-10-02"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_CUSTOMER), 0);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_KEY), customer_key(org, 0));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_DEAL), NUL);
    assert_int_equal(notice_i(a, i, SMG_NOTICE_RELEASE_REASON), INT64_MIN);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_DUPLICATE_OF), NUL);
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DEADLINE), INT64_MIN);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_PROTECTOR), (size_t)M(org, "a"));
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_REGISTRATION), 0);
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
    assert_true(notices(a, SMG_NOTICE_KIND_RELEASE, &i) >= 1);
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DAY), D("2026-10-09"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_MEMBER), (size_t)M(org, "a"));
    assert_int_equal(notice_i(a, i, SMG_NOTICE_RELEASE_REASON), SMG_RELEASE_REASON_EXPIRED);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), NUL); /* it ran out */
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_CUSTOMER), NUL);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_KEY), customer_key(org, 3));
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
    assert_int_equal(protector(a, customer_key(org, 3), &through, NULL), (size_t)M(org, "b"));
    assert_int_equal(through, D("2026-10-21"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R4: a deal on the registration day by another member; R5 claims on d+3
 * and d+4. Events are added out of time order: results quote them by log
 * position (time order), not by the order they were added in. */
static void test_claim_window(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    size_t i = 0;
    (void)state;
    add(org, "2026-10-01T09:00", SMG_EV_REGISTER, "a", "c1", NULL); /* log 0 */
    add(org, "2026-10-01T15:00", SMG_EV_DEAL, "b", "c1", "D1");     /* log 1 */
    add(org, "2026-10-04T23:59", SMG_EV_CLAIM, "a", NULL, "D1");    /* log 5: d+3, in time */
    add(org, "2026-10-02T09:00", SMG_EV_REGISTER, "a", "c4", NULL); /* log 2 */
    add(org, "2026-10-03T15:00", SMG_EV_DEAL, "c", "c4", "D2");     /* log 3 */
    add(org, "2026-10-07T00:00", SMG_EV_CLAIM, "a", NULL, "D2");    /* log 6: d+4, late */
    add(org, "2026-10-04T00:00", SMG_EV_CLAIM, "b", NULL, "D2");    /* log 4: not the protector */
    a = run(org);
    expect_deal(a, org, "D1", "a", SMG_REASON_CLAIMED);
    assert_int_equal(deal_ix(a, row_of(a, org, "D1"), SMG_DEAL_EV_CLAIM), 5);
    assert_int_equal(deal_ix(a, row_of(a, org, "D2"), SMG_DEAL_EV_DEAL), 3);
    assert_int_equal(deal_ix(a, row_of(a, org, "D2"), SMG_DEAL_EV_REGISTRATION), 2);
    expect_deal(a, org, "D2", "c", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_LATE, &i), 1);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), 6);
    assert_string_equal(smg_deal_id(org, notice_ix(a, i, SMG_NOTICE_DEAL)), "D2");
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_CUSTOMER), 3); /* the deal's customer */
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_INVALID, &i), 1);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_MEMBER), (size_t)M(org, "b"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_OTHER), (size_t)M(org, "a"));
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), 4);
    smg_attribution_free(a);

    /* claim_days = 0: only a claim on the deal day is in time */
    assert_int_equal(smg_policy_set(org, "attribution.claim_days", "0"), 0);
    a = run(org);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_LATE, NULL), 2);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Ties: events at the same minute keep their input order. */
static void test_same_minute_input_order(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "b", "c1", NULL);
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T10:00", SMG_EV_DEAL, "a", "c1", "D1");
    a = run(org);
    assert_int_equal(protector(a, customer_key(org, 0), NULL, NULL), (size_t)M(org, "b"));
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 1);
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
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 1);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_KEY), customer_key(org, 1));
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_CUSTOMER), 2);
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
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_INVALID, NULL), 1);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 0); /* c4 was free for b */
    for (i = 0; i < smg_attribution_notice_count(a); i++)
        if (notice_i(a, i, SMG_NOTICE_KIND) == SMG_NOTICE_KIND_RELEASE) {
            assert_int_equal(notice_i(a, i, SMG_NOTICE_RELEASE_REASON),
                             SMG_RELEASE_REASON_VOIDED);
            assert_int_equal(notice_i(a, i, SMG_NOTICE_DAY), D("2026-10-03"));
            assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), 3);
            n++;
        }
    assert_int_equal(n, 2);
    /* registered again after the void */
    assert_int_equal(protector(a, customer_key(org, 0), NULL, NULL), (size_t)M(org, "a"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* R7: an override is final; a claim after it is rejected. */
static void test_override_then_claim(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_DEAL, "b", "c1", "D1");
    add(org, "2026-10-02T12:00", SMG_EV_OVERRIDE, NULL, NULL, "D1"); /* the company */
    add(org, "2026-10-03T10:00", SMG_EV_CLAIM, "a", NULL, "D1");     /* log 5 */
    add(org, "2026-10-02T13:00", SMG_EV_DEAL, "b", "c1", "D2");      /* log 3 */
    add(org, "2026-10-02T14:00", SMG_EV_OVERRIDE, "c", NULL, "D2");  /* log 4 */
    a = run(org);
    expect_deal(a, org, "D1", NULL, SMG_REASON_COMPANY);
    expect_deal(a, org, "D2", "c", SMG_REASON_OVERRIDE);
    assert_int_equal(deal_ix(a, row_of(a, org, "D1"), SMG_DEAL_EV_OVERRIDE), 2);
    assert_int_equal(deal_ix(a, row_of(a, org, "D2"), SMG_DEAL_EV_OVERRIDE), 4);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_INVALID, NULL), 1);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* Release then re-registration, by the former protector and by another. */
static void test_release_and_reregistration(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-10T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* after release: new */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-09T10:00", SMG_EV_REGISTER, "b", "c4", NULL); /* first free day */
    add(org, "2026-10-09T11:00", SMG_EV_REGISTER, "b", "c4", NULL); /* protector again: a contact */
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 0);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_RELEASE, NULL), 2);
    assert_int_equal(protector(a, customer_key(org, 0), NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(protector(a, customer_key(org, 3), NULL, NULL), (size_t)M(org, "b"));
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
    int64_t ontime[3];
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
    for (i = 0; i < 3; i++) {
        ontime[i] = reg_i(a, i, SMG_REGISTRATION_ONTIME);
        assert_int_equal(reg_i(a, i, SMG_REGISTRATION_DEADLINE), D("2026-10-04"));
        assert_int_equal(reg_i(a, i, SMG_REGISTRATION_DAY), D("2026-10-01"));
    }
    /* in time order, ties in input order: a (c1), b (c4), c (c2) */
    assert_int_equal(reg_ix(a, 0, SMG_REGISTRATION_MEMBER), (size_t)M(org, "a"));
    assert_int_equal(reg_ix(a, 1, SMG_REGISTRATION_MEMBER), (size_t)M(org, "b"));
    assert_int_equal(reg_ix(a, 2, SMG_REGISTRATION_CUSTOMER), 1);
    assert_int_equal(reg_ix(a, 2, SMG_REGISTRATION_KEY), customer_key(org, 1));
    assert_int_equal(reg_ix(a, 1, SMG_REGISTRATION_EVENT), 1);
    assert_int_equal(ontime[0], 1);
    assert_int_equal(ontime[1] + ontime[2], 0);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_LATE_FOLLOWUP, &i), 2);
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DEADLINE), D("2026-10-04"));
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DAY), D("2026-10-05"));
    smg_attribution_free(a);
    /* with first_followup_days = 0 the d+3 follow-up is late too */
    assert_int_equal(smg_policy_set(org, "attribution.first_followup_days", "0"), 0);
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_LATE_FOLLOWUP, NULL), 3);
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
    assert_int_equal(notices(a, SMG_NOTICE_KIND_DUPLICATE, &i), 1);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_CUSTOMER), 3);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_DUPLICATE_OF), 0);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_KEY), customer_key(org, 3));
    assert_int_equal(notice_i(a, i, SMG_NOTICE_DAY), INT64_MIN); /* undated */
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_MEMBER), NUL);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_EVENT), NUL);
    assert_int_equal(smg_attribution_deal_count(a), 0);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* The state at a moment, the protection table and the morning reminder list. */
static void test_until_and_expiring(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = NULL;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    size_t rows[4], n = 99, last;
    smg_date through;
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-03T10:00", SMG_EV_REGISTER, "b", "c4", NULL);
    add(org, "2026-10-06T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL);
    assert_int_equal(smg_time_parse(&opts.until, "2026-10-05T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, &opts), 0);
    assert_int_equal(protector(a, customer_key(org, 0), &through, &last),
                     (size_t)M(org, "a"));
    assert_int_equal(through, D("2026-10-08")); /* the 10-06 follow-up is not seen yet */
    assert_int_equal(last, 0);
    /* one row per protected key, in key order */
    assert_int_equal(smg_attribution_protection_count(a), 2);
    assert_int_equal(prot_ix(a, 0, SMG_PROTECTION_KEY), customer_key(org, 0));
    assert_int_equal(prot_ix(a, 1, SMG_PROTECTION_KEY), customer_key(org, 3));
    assert_int_equal(prot_ix(a, 1, SMG_PROTECTION_EV_REGISTRATION), 1);
    assert_int_equal(prot_i(a, 1, SMG_PROTECTION_THROUGH), D("2026-10-10"));
    assert_int_equal(protector(a, customer_key(org, 1), NULL, NULL), NUL); /* never */
    /* on 10-06, ending within 3 days (10-06..10-08): c1 (10-08) only; c4 ends 10-10 */
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 3, rows, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(prot_ix(a, rows[0], SMG_PROTECTION_KEY), customer_key(org, 0));
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 5, NULL, 0, &n), 0);
    assert_int_equal(n, 2);
    rows[1] = 99;
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 5, rows, 1, &n), 0);
    assert_int_equal(n, 2); /* two, one written */
    assert_int_equal(rows[1], 99);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 5, rows, 4, &n), 0);
    assert_int_equal(prot_ix(a, rows[1], SMG_PROTECTION_KEY),
                     customer_key(org, 3)); /* by protector: a, then b */
    /* on 10-09 c1 is no longer protected */
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-09"), 5, rows, 4, &n), 0);
    assert_int_equal(n, 1);
    n = 42;
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), -1, rows, 4, &n), SMG_EINVAL);
    assert_int_equal(smg_attribution_expiring(a, SMG_DATE_NONE, 3, rows, 4, &n), SMG_EINVAL);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 3, NULL, 4, &n), SMG_EINVAL);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-06"), 3, rows, 4, NULL), SMG_EINVAL);
    assert_int_equal(smg_attribution_expiring(NULL, D("2026-10-06"), 3, rows, 4, &n),
                     SMG_EINVAL);
    assert_int_equal(n, 42);
    smg_attribution_free(a);
    a = run(org);
    protector(a, customer_key(org, 0), &through, &last);
    assert_int_equal(through, D("2026-10-13"));
    assert_int_equal(last, 2);
    smg_attribution_free(a);
    smg_org_free(org);
}

static void test_options(void **state)
{
    smg_attribution_options o;
    (void)state;
    memset(&o, 0x5a, sizeof o);
    assert_int_equal(smg_attribution_options_init(&o, SMG_ATTRIBUTION_OPTIONS_VERSION), 0);
    assert_int_equal(o.version, SMG_ATTRIBUTION_OPTIONS_VERSION);
    assert_null(o.as_member);
    assert_true(o.until == SMG_TIME_NONE);
    assert_int_equal(smg_attribution_options_init(&o, 0), SMG_EVERSION);
    assert_int_equal(smg_attribution_options_init(&o, SMG_ATTRIBUTION_OPTIONS_VERSION + 1),
                     SMG_EVERSION);
    assert_int_equal(smg_attribution_options_init(NULL, SMG_ATTRIBUTION_OPTIONS_VERSION),
                     SMG_EINVAL);
}

static void test_bad_calls(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = (smg_attribution *)1;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    size_t v = 5, n = 5;
    int64_t i64 = 5;
    (void)state;
    assert_int_equal(smg_attribution_compute(&a, NULL, NULL), SMG_EINVAL);
    assert_null(a);
    assert_int_equal(smg_attribution_compute(NULL, org, NULL), SMG_EINVAL);
    opts.version = 99;
    a = (smg_attribution *)1;
    assert_int_equal(smg_attribution_compute(&a, org, &opts), SMG_EVERSION);
    assert_null(a);
    /* inside a batch: refused, and the batch is not spoilt by the refusal
     * (it records nothing: a batch with errors would not commit) */
    assert_int_equal(smg_batch_begin(org), 0);
    add(org, "2026-09-30T10:00", SMG_EV_SIGNIN, "a", NULL, NULL);
    assert_int_equal(smg_attribution_compute(&a, org, NULL), SMG_ESTATE);
    assert_int_equal(smg_org_error_count(org), 0);
    assert_int_equal(smg_batch_commit(org), 0);
    assert_int_equal(smg_event_count(org), 1);
    /* a result goes stale when the org changes: every getter says so */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_DEAL, "a", "c1", "D1");
    a = run(org);
    assert_int_equal(smg_attribution_notice_count(a), 1);
    assert_int_equal(smg_attribution_deal_count(a), 1);
    add(org, "2026-10-03T10:00", SMG_EV_REGISTER, "b", "c4", NULL);
    assert_int_equal(smg_attribution_notice_int(a, 0, SMG_NOTICE_KIND, &i64, NULL), SMG_ESTATE);
    assert_int_equal(smg_attribution_deal_index(a, 0, SMG_DEAL_CLOSER, &v, NULL), SMG_ESTATE);
    assert_int_equal(smg_attribution_deal_int(a, 0, SMG_DEAL_DAY, &i64, NULL), SMG_ESTATE);
    assert_int_equal(smg_attribution_protection_index(a, 0, SMG_PROTECTION_KEY, &v, NULL),
                     SMG_ESTATE);
    assert_int_equal(smg_attribution_registration_int(a, 0, SMG_REGISTRATION_DAY, &i64, NULL),
                     SMG_ESTATE);
    assert_int_equal(smg_attribution_protection_find(a, 0, &v), SMG_ESTATE);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-02"), 3, NULL, 0, &n), SMG_ESTATE);
    assert_int_equal(v, 5);
    assert_int_equal(i64, 5);
    assert_int_equal(n, 5);
    smg_attribution_free(a);
    a = run(org);
    assert_int_equal(smg_attribution_protection_find(a, 999, &v), SMG_EINVAL);
    assert_int_equal(smg_attribution_protection_find(a, 0, NULL), SMG_EINVAL);
    assert_int_equal(smg_attribution_protection_find(NULL, 0, &v), SMG_EINVAL);
    assert_int_equal(v, 5);
    smg_attribution_free(a);
    smg_attribution_free(NULL);
    assert_int_equal(smg_attribution_deal_count(NULL), 0);
    assert_int_equal(smg_attribution_notice_count(NULL), 0);
    assert_int_equal(smg_attribution_protection_count(NULL), 0);
    assert_int_equal(smg_attribution_registration_count(NULL), 0);
    assert_null(smg_reason_name((smg_reason)0));
    assert_string_equal(smg_reason_name(SMG_REASON_PROTECTED_UNCLAIMED), "protected_unclaimed");
    assert_string_equal(smg_notice_kind_name(SMG_NOTICE_KIND_CLAIM_LATE), "claim_late");
    assert_string_equal(smg_notice_kind_name(SMG_NOTICE_KIND_REJECTED), "rejected");
    assert_null(smg_notice_kind_name((smg_notice_kind)8));
    assert_null(smg_notice_kind_name((smg_notice_kind)0));
    /* RULES.md §8's reason words */
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_EXPIRED), "expired");
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_VOIDED), "voided");
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_LEFT), "left");
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_HANDOVER), "handover");
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_LINK), "link");
    assert_string_equal(smg_release_reason_name(SMG_RELEASE_REASON_HOLD_LIMIT), "hold_limit");
    assert_null(smg_release_reason_name((smg_release_reason)0));
    assert_null(smg_release_reason_name((smg_release_reason)7));
    assert_string_equal(smg_reject_reason_name(SMG_REJECT_REASON_COLLISION), "collision");
    assert_string_equal(smg_reject_reason_name(SMG_REJECT_REASON_LIMIT), "limit");
    assert_string_equal(smg_reject_reason_name(SMG_REJECT_REASON_RECLAIM_WAIT), "reclaim_wait");
    assert_null(smg_reject_reason_name((smg_reject_reason)0));
    assert_null(smg_reject_reason_name((smg_reject_reason)4));
    assert_string_equal(smg_deal_id(org, 0), "D1");
    assert_null(smg_deal_id(org, 1));
    smg_org_free(org);
}

/* ---- every field of every table through its getters ---- */

/* A scenario with every kind of deal and notice. */
static smg_attribution *everything(smg_org *org)
{
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "b", "c1", NULL);  /* collision */
    add(org, "2026-10-02T11:00", SMG_EV_DEAL, "b", "c1", "D1");      /* protected_unclaimed */
    add(org, "2026-10-03T10:00", SMG_EV_CLAIM, "a", NULL, "D1");     /* claimed */
    add(org, "2026-10-03T11:00", SMG_EV_DEAL, "c", "c2", "D2");      /* unprotected */
    add(org, "2026-10-03T12:00", SMG_EV_OVERRIDE, NULL, NULL, "D2"); /* company */
    add(org, "2026-10-09T10:00", SMG_EV_CLAIM, "b", NULL, "D2");     /* invalid */
    add(org, "2026-10-09T12:00", SMG_EV_VOID_REGISTER, "c", NULL, NULL); /* c2: voided */
    add(org, "2026-10-10T10:00", SMG_EV_REGISTER, "b", "c4", NULL);  /* c1: ran out */
    /* c3 (c2's family, free again); a's c1 and b's c4 were not followed
     * up, and c4 has run out */
    add(org, "2026-10-20T10:00", SMG_EV_REGISTER, "c", "c3", NULL);
    return run(org);
}

typedef int (*index_fn)(const smg_attribution *, size_t, int, size_t *, int *);
typedef int (*int_fn)(const smg_attribution *, size_t, int, int64_t *, int *);
typedef const char *(*name_fn)(int);
typedef smg_type (*type_fn)(int);

/* Walk table `count` rows × every field: the right getter reads it, the
 * other one, a bad row and a bad field are SMG_EINVAL and touch nothing.
 * Returns how many null cells it saw. */
static size_t walk(const smg_attribution *a, size_t count, index_fn get_index, int_fn get_int,
                   name_fn name, type_fn type, int nfields)
{
    size_t row, nulls = 0;
    int f;
    for (f = 0; name(f); f++) {
        assert_true(type(f) >= SMG_TYPE_INDEX && type(f) <= SMG_TYPE_BOOL);
        assert_true(strlen(name(f)) > 0);
    }
    assert_int_equal(f, nfields);
    assert_null(name(nfields));
    assert_null(name(-1));
    assert_int_equal(type(nfields), 0);
    for (row = 0; row <= count; row++)
        for (f = 0; f <= nfields; f++) {
            size_t ix = 12345;
            int64_t i64 = 12345;
            int null = 7, rc_ix = get_index(a, row, f, &ix, &null);
            int is_ix = f < nfields && type(f) == SMG_TYPE_INDEX;
            if (row == count || f == nfields || !is_ix) {
                assert_int_equal(rc_ix, SMG_EINVAL);
                assert_int_equal(ix, 12345);
                assert_int_equal(null, 7);
            } else {
                assert_int_equal(rc_ix, 0);
                assert_true(null == 0 || (null == 1 && ix == 0));
                nulls += (size_t)null;
                /* is_null may be NULL */
                assert_int_equal(get_index(a, row, f, &ix, NULL), 0);
            }
            null = 7;
            if (row == count || f == nfields || is_ix) {
                assert_int_equal(get_int(a, row, f, &i64, &null), SMG_EINVAL);
                assert_int_equal(i64, 12345);
                assert_int_equal(null, 7);
            } else {
                assert_int_equal(get_int(a, row, f, &i64, &null), 0);
                assert_true(null == 0 || (null == 1 && i64 == 0));
                nulls += (size_t)null;
                assert_int_equal(get_int(a, row, f, &i64, NULL), 0);
            }
            if (f < nfields && row < count) {
                assert_int_equal(get_index(NULL, row, f, &ix, &null), SMG_EINVAL);
                assert_int_equal(get_index(a, row, f, NULL, &null), SMG_EINVAL);
                assert_int_equal(get_int(NULL, row, f, &i64, &null), SMG_EINVAL);
                assert_int_equal(get_int(a, row, f, NULL, &null), SMG_EINVAL);
            }
        }
    return nulls;
}

static void test_tables(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = everything(org);
    size_t i = 0, j, row;
    (void)state;

    /* deals: D1 claimed by a, D2 for the company (CREDITED null) */
    assert_int_equal(smg_attribution_deal_count(a), 2);
    assert_true(walk(a, 2, (index_fn)smg_attribution_deal_index, (int_fn)smg_attribution_deal_int,
                     (name_fn)smg_attribution_deal_field_name,
                     (type_fn)smg_attribution_deal_field_type, 14) > 0);
    assert_string_equal(smg_attribution_deal_field_name(SMG_DEAL_EV_OVERRIDE), "ev_override");
    assert_int_equal(smg_attribution_deal_field_type(SMG_DEAL_AMOUNT), SMG_TYPE_MONEY);
    assert_int_equal(smg_attribution_deal_field_type(SMG_DEAL_REASON), SMG_TYPE_ENUM);
    assert_int_equal(smg_attribution_deal_field_type(SMG_DEAL_DAY), SMG_TYPE_DATE);
    row = row_of(a, org, "D2");
    {
        size_t v = 9;
        int null = 9;
        assert_int_equal(smg_attribution_deal_index(a, row, SMG_DEAL_CREDITED, &v, &null), 0);
        assert_int_equal(null, 1);
        assert_int_equal(v, 0);
    }
    assert_int_equal(deal_ix(a, row, SMG_DEAL_PROTECTOR), NUL);
    assert_int_equal(deal_ix(a, row, SMG_DEAL_EV_OVERRIDE), 5);
    assert_int_equal(deal_ix(a, row, SMG_DEAL_EV_CLAIM), NUL);
    row = row_of(a, org, "D1");
    assert_int_equal(deal_ix(a, row, SMG_DEAL_EV_CLAIM), 3);
    assert_int_equal(deal_ix(a, row, SMG_DEAL_CREDITED), (size_t)M(org, "a"));
    assert_int_equal(deal_ix(a, row, SMG_DEAL_CLOSER), (size_t)M(org, "b"));

    /* notices: collision, releases (ran out, voided), claim_invalid,
     * late_followup, duplicate */
    assert_true(walk(a, smg_attribution_notice_count(a),
                     (index_fn)smg_attribution_notice_index, (int_fn)smg_attribution_notice_int,
                     (name_fn)smg_attribution_notice_field_name,
                     (type_fn)smg_attribution_notice_field_type, 12) > 0);
    assert_string_equal(smg_attribution_notice_field_name(SMG_NOTICE_RELEASE_REASON),
                        "release_reason");
    assert_string_equal(smg_attribution_notice_field_name(SMG_NOTICE_REJECT_REASON),
                        "reject_reason");
    assert_int_equal(smg_attribution_notice_field_type(SMG_NOTICE_REJECT_REASON),
                     SMG_TYPE_ENUM);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 1);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_CLAIM_INVALID, &i), 1);
    assert_int_equal(notice_ix(a, i, SMG_NOTICE_OTHER), NUL); /* D2 had no protector */
    assert_int_equal(notices(a, SMG_NOTICE_KIND_LATE_FOLLOWUP, NULL), 2);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_DUPLICATE, NULL), 1);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_RELEASE, NULL), 3);
    for (i = j = 0; i < smg_attribution_notice_count(a); i++)
        if (notice_i(a, i, SMG_NOTICE_KIND) == SMG_NOTICE_KIND_RELEASE)
            j |= 1u << notice_i(a, i, SMG_NOTICE_RELEASE_REASON);
    assert_int_equal(j, (1u << SMG_RELEASE_REASON_EXPIRED) | (1u << SMG_RELEASE_REASON_VOIDED));

    /* protections at the end (10-20): c's c3; none of its fields is ever
     * null */
    assert_int_equal(smg_attribution_protection_count(a), 1);
    assert_int_equal(walk(a, 1, (index_fn)smg_attribution_protection_index,
                          (int_fn)smg_attribution_protection_int,
                          (name_fn)smg_attribution_protection_field_name,
                          (type_fn)smg_attribution_protection_field_type, 5), 0);
    assert_int_equal(prot_ix(a, 0, SMG_PROTECTION_MEMBER), (size_t)M(org, "c"));
    assert_int_equal(prot_ix(a, 0, SMG_PROTECTION_EV_REGISTRATION), 9);
    assert_int_equal(prot_ix(a, 0, SMG_PROTECTION_EV_CONTACT), 9);
    assert_int_equal(prot_i(a, 0, SMG_PROTECTION_THROUGH), D("2026-10-27"));

    /* registrations: a c1, b c4, c c3; none of their fields is ever null */
    assert_int_equal(smg_attribution_registration_count(a), 3);
    assert_int_equal(walk(a, 3, (index_fn)smg_attribution_registration_index,
                          (int_fn)smg_attribution_registration_int,
                          (name_fn)smg_attribution_registration_field_name,
                          (type_fn)smg_attribution_registration_field_type, 7), 0);
    assert_int_equal(smg_attribution_registration_field_type(SMG_REGISTRATION_ONTIME),
                     SMG_TYPE_BOOL);
    assert_int_equal(reg_ix(a, 1, SMG_REGISTRATION_EVENT), 8);
    assert_int_equal(reg_i(a, 1, SMG_REGISTRATION_ONTIME), 0);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* ---- visibility (RULES.md §1) ---- */

/* hq (boss) over t1 (l1: a, b) and t2 (l2: c); k4 has k1's phone. */
static smg_org *company_with(const smg_org_options *opts)
{
    smg_org *org = NULL;
    assert_int_equal(smg_org_new(&org, opts), 0);
    assert_int_equal(smg_team_add(org, "hq", "总部", NULL), 0);
    assert_int_equal(smg_team_add(org, "t1", "一组", "hq"), 0);
    assert_int_equal(smg_team_add(org, "t2", "二组", "hq"), 0);
    assert_int_equal(smg_member_add(org, "boss", "B", "hq", SMG_ROLE_DIRECTOR), 0);
    assert_int_equal(smg_member_add(org, "l1", "L1", "t1", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "a", "A", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "b", "Bb", "t1", SMG_ROLE_REP), 0);
    assert_int_equal(smg_member_add(org, "l2", "L2", "t2", SMG_ROLE_LEADER), 0);
    assert_int_equal(smg_member_add(org, "c", "C", "t2", SMG_ROLE_REP), 0);
    assert_int_equal(smg_team_set_leader(org, "hq", "boss"), 0);
    assert_int_equal(smg_team_set_leader(org, "t1", "l1"), 0);
    assert_int_equal(smg_team_set_leader(org, "t2", "l2"), 0);
    assert_int_equal(smg_customer_add(org, "k1", "x", "13800000001", NULL), 0);
    assert_int_equal(smg_customer_add(org, "k2", "y", "13800000002", NULL), 0);
    assert_int_equal(smg_customer_add(org, "k3", "z", "13800000003", NULL), 0);
    assert_int_equal(smg_customer_add(org, "k4", "w", "138 0000 0001", NULL), 0);
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "k1", NULL);
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "c", "k2", NULL);
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "c", "k1", NULL); /* collision: c / a */
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "b", "k1", "D1");
    add(org, "2026-10-04T10:00", SMG_EV_CLAIM, "a", NULL, "D1");    /* D1: b closes, a credited */
    add(org, "2026-10-05T10:00", SMG_EV_DEAL, "c", "k2", "D2");     /* D2: c, owner */
    add(org, "2026-10-05T11:00", SMG_EV_REGISTER, "b", "k3", NULL);
    add(org, "2026-10-06T10:00", SMG_EV_DEAL, "c", "k3", "D3");
    add(org, "2026-10-07T10:00", SMG_EV_OVERRIDE, NULL, NULL, "D3"); /* D3: c, the company */
    add(org, "2026-10-08T10:00", SMG_EV_FOLLOWUP, "b", "k3", NULL);
    return org;
}

static smg_org *company(void)
{
    return company_with(NULL);
}

/* The result as `as`: its deals' ids, notice kinds, registrants and
 * protected customers' keys, as strings to compare at a glance. */
static void seen(smg_org *org, const char *as, const char *deals, const char *kinds,
                 const char *regs, const char *prots)
{
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    smgi_attribution_view v;
    char buf[64];
    size_t i, n;
    o.as_member = as;
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    for (i = n = 0; i < smg_attribution_deal_count(a); i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                              smg_deal_id(org, deal_ix(a, i, SMG_DEAL_DEAL)));
    buf[n] = 0;
    assert_string_equal(buf, deals);
    for (i = n = 0; i < smg_attribution_notice_count(a); i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                              smg_notice_kind_name((smg_notice_kind)notice_i(a, i,
                                                                              SMG_NOTICE_KIND)));
    buf[n] = 0;
    assert_string_equal(buf, kinds);
    for (i = n = 0; i < smg_attribution_registration_count(a); i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                              smg_member_id(org, reg_ix(a, i, SMG_REGISTRATION_MEMBER)));
    buf[n] = 0;
    assert_string_equal(buf, regs);
    for (i = n = 0; i < smg_attribution_protection_count(a); i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                              smg_key_text(org, prot_ix(a, i, SMG_PROTECTION_KEY)));
    buf[n] = 0;
    assert_string_equal(buf, prots);
    /* the other engines read the whole replay, whatever as_member */
    assert_int_equal(smgi_attribution_view_of(a, org, &v), 0);
    assert_int_equal(v.ndeals, 3);
    assert_int_equal(v.nregs, 3);
    smg_attribution_free(a);
}

static void test_visibility(void **state)
{
    smg_org *org = company();
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    size_t row = 99, rows[4], n = 0;
    (void)state;
    /* full rights, and the director who leads the whole company */
    seen(org, NULL, "D1 D2 D3 ", "collision late_followup late_followup duplicate ", "a c b ",
         "k1 k2 k3 ");
    seen(org, "boss", "D1 D2 D3 ", "collision late_followup late_followup duplicate ",
         "a c b ", "k1 k2 k3 ");
    /* a rep: a is credited with D1, the other party of the collision, did
     * not follow k1 up, and sees k1, hence its duplicate k4 */
    seen(org, "a", "D1 ", "collision late_followup duplicate ", "a ", "k1 ");
    /* b closed D1 (so sees k1 and its duplicate), registered k3 */
    seen(org, "b", "D1 ", "duplicate ", "b ", "k3 ");
    /* c closed D2 and D3 (D3 credited to the company), collided, and never
     * saw k1: no duplicate */
    seen(org, "c", "D2 D3 ", "collision late_followup ", "c ", "k2 ");
    /* the leader of a subtree: its members' rows */
    seen(org, "l1", "D1 ", "collision late_followup duplicate ", "a b ", "k1 k3 ");
    seen(org, "l2", "D2 D3 ", "collision late_followup ", "c ", "k2 ");

    /* protections of others are not found; the reminder list is the
     * member's own */
    o.as_member = "a";
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    assert_int_equal(smg_attribution_protection_find(a, customer_key(org, 1), &row),
                     SMG_ENOTFOUND);
    assert_int_equal(row, 99);
    assert_int_equal(smg_attribution_protection_find(a, customer_key(org, 0), &row),
                     0);
    assert_int_equal(row, 0);
    assert_int_equal(smg_attribution_expiring(a, D("2026-10-08"), 7, rows, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0], 0);
    smg_attribution_free(a);

    /* an unknown member */
    o.as_member = "zz";
    a = (smg_attribution *)1;
    assert_int_equal(smg_attribution_compute(&a, org, &o), SMG_ENOTFOUND);
    assert_null(a);
    assert_non_null(strstr(smg_org_errmsg(org), "zz"));
    /* "" is full rights, as NULL */
    o.as_member = "";
    assert_int_equal(smg_attribution_compute(&a, org, &o), 0);
    assert_int_equal(smg_attribution_deal_count(a), 3);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* The allocator of the out-of-memory tests (failing_alloc.h). */
static failing g_fail = FAILING_INIT;

/* Out of memory at every allocation of a compute, with and without a
 * member: SMG_ENOMEM, no result, nothing leaked (the sanitizer build
 * checks), and the org usable afterwards. */
static void handover(smg_org *org, const char *at, const char *from, const char *to)
{
    add(org, at, SMG_EV_HANDOVER, from, NULL, to);
}

static void link(smg_org *org, const char *at, const char *x, const char *y)
{
    add(org, at, SMG_EV_LINK, NULL, x, y);
}

static void policy(smg_org *org, const char *name, const char *value)
{
    if (smg_policy_set(org, name, value) != 0)
        fail_msg("policy %s = %s: %s", name, value, smg_org_errmsg(org));
}

static void test_out_of_memory(void **state)
{
    smg_org_options oo = SMG_ORG_OPTIONS_INIT;
    smg_attribution_options o = SMG_ATTRIBUTION_OPTIONS_INIT;
    const char *as[] = { NULL, "a", "l1" };
    smg_org *org;
    size_t k;
    (void)state;
    failing_options(&oo, &g_fail);
    g_fail.fail_at = -1;
    org = company_with(&oo);
    for (k = 0; k < 6; k++) {
        smg_attribution *a = NULL;
        long budget;
        int rc = SMG_ENOMEM;
        if (k == 3) {
            /* again with the public pool on, a link between two protected
             * keys and a handover to nobody: their state and notices fail
             * to be allocated too */
            policy(org, "attribution.max_hold_days", "5");
            policy(org, "attribution.max_protected", "1");
            policy(org, "attribution.reclaim_days", "2");
            add(org, "2026-10-09T10:00", SMG_EV_REGISTER, "a", "k4", NULL);
            link(org, "2026-10-09T11:00", "k4", "k3");
            add(org, "2026-10-09T12:00", SMG_EV_HANDOVER, "b", NULL, NULL);
            add(org, "2026-10-09T13:00", SMG_EV_REGISTER, "b", "k3", NULL);
        }
        o.as_member = as[k % 3];
        for (budget = 0; rc == SMG_ENOMEM; budget++) {
            assert_true(budget < 100);
            a = (smg_attribution *)1;
            failing_after(&g_fail, budget);
            rc = smg_attribution_compute(&a, org, &o);
            g_fail.fail_at = -1;
            if (rc) {
                assert_int_equal(rc, SMG_ENOMEM);
                assert_null(a); /* (no message: there is no memory for one) */
            }
        }
        assert_int_equal(rc, 0);
        assert_true(budget > 3);
        assert_int_equal(smg_attribution_deal_count(a), k % 3 == 0 ? 3 : 1);
        if (k == 3) {
            assert_int_equal(notices(a, SMG_NOTICE_KIND_REJECTED, NULL), 1); /* b: reclaim */
            assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 2); /* c, a: link */
        }
        smg_attribution_free(a);
    }
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

/* The notices from day `from_day` on as (kind, day, event); an undated one
 * has day INT64_MAX, a notice without an event -1; events are shifted
 * down by `shift` (the events that sort before the scenario's). */
static size_t notice_rows(const smg_attribution *a, int64_t from_day, size_t shift,
                          int64_t rows[][3])
{
    size_t i, n = 0;
    int64_t prev_day = INT64_MIN, prev_kind = 0;
    for (i = 0; i < smg_attribution_notice_count(a); i++) {
        int64_t day = notice_i(a, i, SMG_NOTICE_DAY);
        int64_t kind = notice_i(a, i, SMG_NOTICE_KIND);
        size_t ev = notice_ix(a, i, SMG_NOTICE_EVENT);
        int64_t order_day = day == INT64_MIN ? INT64_MAX : day; /* undated: last */
        assert_true(order_day > prev_day || (order_day == prev_day && kind >= prev_kind));
        prev_day = order_day;
        prev_kind = kind;
        if (order_day < from_day)
            continue;
        rows[n][0] = kind;
        rows[n][1] = order_day;
        rows[n][2] = ev == NUL ? -1 : (int64_t)(ev - shift);
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
    n = notice_rows(a, 0, 0, near);
    assert_true(n >= 6);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 2);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_DUPLICATE, NULL), 1);
    assert_int_equal(near[n - 1][0], SMG_NOTICE_KIND_DUPLICATE); /* undated: last */
    smg_attribution_free(a);
    smg_org_free(org);

    /* the same, and a collision 26 years earlier, added last (so first in
     * the log: the scenario's events are two positions further on) */
    org = fixture();
    assert_int_equal(smg_customer_add(org, "c9", "v", "", NULL), 0);
    notice_scenario(org);
    add(org, "2000-01-03T10:00", SMG_EV_REGISTER, "a", "c9", NULL);
    add(org, "2000-01-03T11:00", SMG_EV_REGISTER, "b", "c9", NULL);
    a = run(org);
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 3);
    assert_int_equal(notice_i(a, 0, SMG_NOTICE_DAY), D("2000-01-03"));
    assert_int_equal(notice_ix(a, 0, SMG_NOTICE_EVENT), 1);
    n2 = notice_rows(a, D("2026-01-01"), 2, far);
    assert_int_equal(n2, n);
    for (k = 0; k < n; k++) {
        assert_int_equal(far[k][0], near[k][0]);
        assert_int_equal(far[k][1], near[k][1]);
        assert_int_equal(far[k][2], near[k][2]);
    }
    smg_attribution_free(a);
    smg_org_free(org);
}


/* ---- RULES.md R9 (leaving) and §8 (handover, link, the public pool) ---- */

static void leaves(smg_org *org, const char *member, const char *day)
{
    assert_int_equal(smg_member_set_dates(org, member, SMG_DATE_NONE, D(day)), 0);
}

/* The notices of one kind as text, in notice order, "; " between them:
 * "member customer key day reason event", "-" for a null cell; the reason
 * is the release reason of a release, else the reject reason. */
static const char *summary(const smg_attribution *a, const smg_org *org, smg_notice_kind kind,
                           char *buf, size_t len)
{
    size_t i, used = 0;
    buf[0] = 0;
    for (i = 0; i < smg_attribution_notice_count(a); i++) {
        size_t m, c, k, ev;
        int64_t day, why;
        char d[16];
        const char *reason;
        if (notice_i(a, i, SMG_NOTICE_KIND) != (int64_t)kind)
            continue;
        m = notice_ix(a, i, SMG_NOTICE_MEMBER);
        c = notice_ix(a, i, SMG_NOTICE_CUSTOMER);
        k = notice_ix(a, i, SMG_NOTICE_KEY);
        ev = notice_ix(a, i, SMG_NOTICE_EVENT);
        day = notice_i(a, i, SMG_NOTICE_DAY);
        assert_true(smg_date_format(d, sizeof d, (smg_date)day) > 0);
        if (kind == SMG_NOTICE_KIND_RELEASE) {
            why = notice_i(a, i, SMG_NOTICE_RELEASE_REASON);
            reason = smg_release_reason_name((smg_release_reason)why);
            assert_int_equal(notice_i(a, i, SMG_NOTICE_REJECT_REASON), INT64_MIN);
        } else {
            why = notice_i(a, i, SMG_NOTICE_REJECT_REASON);
            reason = why == INT64_MIN ? "-" : smg_reject_reason_name((smg_reject_reason)why);
            assert_int_equal(notice_i(a, i, SMG_NOTICE_RELEASE_REASON), INT64_MIN);
        }
        assert_non_null(reason);
        used += (size_t)snprintf(buf + used, len - used, "%s%s %s %s %s %s ", used ? "; " : "",
                                 m == NUL ? "-" : smg_member_id(org, m),
                                 c == NUL ? "-" : smg_customer_id(org, c), smg_key_text(org, k),
                                 d, reason);
        if (ev == NUL)
            used += (size_t)snprintf(buf + used, len - used, "-");
        else
            used += (size_t)snprintf(buf + used, len - used, "%zu", ev);
        assert_true(used < len);
    }
    return buf;
}

/* The member protecting the key customer `c` is part of at the end (NUL:
 * none), its last protected day and the event that made it. */
static size_t holder(const smg_attribution *a, const smg_org *org, const char *c,
                     smg_date *through, size_t *made)
{
    size_t row = 99, i;
    assert_int_equal(smg_customer_find(org, c, &i), 0);
    if (smg_attribution_protection_find(a, customer_key(org, i), &row) == SMG_ENOTFOUND)
        return NUL;
    if (through)
        *through = (smg_date)prot_i(a, row, SMG_PROTECTION_THROUGH);
    if (made)
        *made = prot_ix(a, row, SMG_PROTECTION_EV_REGISTRATION);
    return prot_ix(a, row, SMG_PROTECTION_MEMBER);
}

static const char *key_of_deal(const smg_attribution *a, const smg_org *org, const char *ref)
{
    return smg_key_text(org, deal_ix(a, row_of(a, org, ref), SMG_DEAL_KEY));
}

/* R9: a leaver's protections end with the leave date — released the day
 * after (reason left), and the customer who walks in that day is free;
 * on the leave date itself it is still protected. A protection period
 * ending on the leave date is `expired` (the first of expired, hold_limit,
 * left). */
static void test_leaving(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a = NULL;
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_date through = 0;
    char buf[512];
    (void)state;
    leaves(org, "a", "2026-10-05");
    add(org, "2026-09-28T10:00", SMG_EV_REGISTER, "a", "c4", NULL); /* 0: 10-05 either way */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 1: 10-08, cut to 10-05 */
    add(org, "2026-10-05T18:00", SMG_EV_REGISTER, "b", "c1", NULL); /* 2: still a's: collision */
    add(org, "2026-10-06T09:00", SMG_EV_REGISTER, "b", "c1", NULL); /* 3: walks in: free */
    add(org, "2026-10-06T10:00", SMG_EV_DEAL, "b", "c1", "D1");
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "a - c1 2026-10-06 left -; a - c4 2026-10-06 expired -");
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_COLLISION, buf, sizeof buf),
                        "b c1 c1 2026-10-05 collision 2");
    expect_deal(a, org, "D1", "b", SMG_REASON_OWNER);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_REGISTRATION), 3);
    assert_int_equal(holder(a, org, "c1", &through, NULL), (size_t)M(org, "b"));
    smg_attribution_free(a);
    /* as of the leave date: a's last protected day is the leave date */
    assert_int_equal(smg_time_parse(&opts.until, "2026-10-05T00:00"), 0);
    assert_int_equal(smg_attribution_compute(&a, org, &opts), 0);
    assert_int_equal(holder(a, org, "c1", &through, NULL), (size_t)M(org, "a"));
    assert_int_equal(through, D("2026-10-05"));
    assert_int_equal(holder(a, org, "c4", &through, NULL), (size_t)M(org, "a"));
    assert_int_equal(through, D("2026-10-05"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 handover: every protection passes to the receiver as a fresh
 * registration that day (a new protection period); what ran out before is
 * released as it would have been. Handed over on the leave date, nothing
 * is left to release for R9. */
static void test_handover(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    smg_date through = 0;
    size_t made = 0;
    char buf[512];
    (void)state;
    leaves(org, "a", "2026-10-04");
    add(org, "2026-09-20T10:00", SMG_EV_REGISTER, "a", "c2", NULL); /* 0: ran out 09-28 */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 1 */
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "a", "c4", NULL); /* 2 */
    handover(org, "2026-10-04T17:00", "a", "b");                    /* 3 */
    add(org, "2026-10-10T10:00", SMG_EV_REGISTER, "c", "c1", NULL); /* 4: b's now */
    add(org, "2026-10-11T10:00", SMG_EV_DEAL, "b", "c4", "D1");     /* b's last day */
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "a - fam 2026-09-28 expired -");
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_COLLISION, buf, sizeof buf),
                        "c c1 c1 2026-10-10 collision 4");
    expect_deal(a, org, "D1", "b", SMG_REASON_OWNER);
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_EV_REGISTRATION), 3); /* made by the handover */
    assert_int_equal(deal_ix(a, 0, SMG_DEAL_PROTECTOR), (size_t)M(org, "b"));
    assert_int_equal(holder(a, org, "c4", &through, &made), (size_t)M(org, "b"));
    assert_int_equal(through, D("2026-10-18"));
    assert_int_equal(made, 3);
    /* the handover is no registration of b's */
    assert_int_equal(smg_attribution_registration_count(a), 3);
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 handover to nobody: released that day (reason handover, the event
 * named); anyone may register the customer the same day. */
static void test_handover_to_nobody(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    char buf[512];
    (void)state;
    add(org, "2026-09-20T10:00", SMG_EV_REGISTER, "a", "c4", NULL); /* 0: ran out 09-28 */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 1 */
    handover(org, "2026-10-03T12:00", "a", NULL);                   /* 2 */
    add(org, "2026-10-03T13:00", SMG_EV_REGISTER, "b", "c1", NULL); /* 3 */
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "a - c4 2026-09-28 expired -; a - c1 2026-10-03 handover 2");
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 0);
    assert_int_equal(holder(a, org, "c1", NULL, NULL), (size_t)M(org, "b"));
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 link of two keys protected by different members: the key registered
 * first survives (whichever customer the link names first); the other
 * protector loses it — a collision and a release, both for the link.
 * Deals keep the key they had; later ones have the merged key. */
static void test_link_two_protected(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    char buf[512];
    (void)state;
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 0 */
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "b", "c4", NULL); /* 1 */
    add(org, "2026-10-02T12:00", SMG_EV_DEAL, "b", "c4", "D1");     /* 2: before the link */
    link(org, "2026-10-03T10:00", "c4", "c1");                      /* 3 */
    add(org, "2026-10-03T11:00", SMG_EV_REGISTER, "b", "c4", NULL); /* 4: a's key now */
    add(org, "2026-10-04T10:00", SMG_EV_DEAL, "b", "c4", "D2");
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_COLLISION, buf, sizeof buf),
                        "b c4 c1 2026-10-03 - 3; b c4 c1 2026-10-03 collision 4");
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "b - c4 2026-10-03 link 3");
    {
        size_t i = 0;
        notices(a, SMG_NOTICE_KIND_COLLISION, &i);
        assert_int_equal(notice_ix(a, i, SMG_NOTICE_OTHER), (size_t)M(org, "a"));
    }
    expect_deal(a, org, "D1", "b", SMG_REASON_OWNER);
    assert_string_equal(key_of_deal(a, org, "D1"), "c4");
    expect_deal(a, org, "D2", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_string_equal(key_of_deal(a, org, "D2"), "c1");
    assert_int_equal(deal_ix(a, row_of(a, org, "D2"), SMG_DEAL_PROTECTOR), (size_t)M(org, "a"));
    assert_int_equal(holder(a, org, "c4", NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(smg_attribution_protection_count(a), 1);
    /* registrations keep the key they had */
    assert_string_equal(smg_key_text(org, reg_ix(a, 1, SMG_REGISTRATION_KEY)), "c4");
    /* the engines that count distinct customers use the deal's key */
    {
        smg_kpi_options o = SMG_KPI_OPTIONS_INIT;
        smg_kpi_report *r = NULL;
        smg_subject s;
        size_t i;
        int64_t n = -1;
        o.attribution = a;
        o.rows = SMG_ROWS_TEAMS;
        assert_int_equal(smg_period_month(&o.period, 2026, 10), 0);
        assert_int_equal(smg_kpi_compute(&r, org, &o), 0);
        for (i = 0; i < smg_kpi_count(r); i++)
            if (smg_kpi_subject(r, i, &s) == 0 && s.kind == SMG_SUBJECT_COMPANY)
                assert_int_equal(smg_kpi_int(r, i, SMG_KPI_NEW_CUSTOMER_COUNT, &n, NULL), 0);
        /* two keys: D1's c4 and D2's c1 (by the customer's own key, c4
         * twice, it would be one) */
        assert_int_equal(n, 2);
        smg_kpi_report_free(r);
    }
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 link of a protected key and a free one: the protection carries over
 * to the merged key unchanged; a registration waiting for its first
 * follow-up may be followed up through any customer of the merged key.
 * The same member on both: the survivor's protection stands, the other
 * ends without a release. Never registered: the first customer's key
 * survives; a link between customers of one key changes nothing. */
static void test_link_protected_and_free(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    smg_date through = 0;
    size_t made = 0;
    char buf[512];
    (void)state;
    assert_int_equal(smg_customer_add(org, "c5", "v", "", NULL), 0);
    assert_int_equal(smg_customer_add(org, "c6", "u", "", NULL), 0);
    add(org, "2026-09-01T10:00", SMG_EV_REGISTER, "b", "c1", NULL); /* 0: ran out 09-09 */
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c4", NULL); /* 1 */
    link(org, "2026-10-02T10:00", "c4", "c1"); /* 2: c1 survives (registered first) */
    add(org, "2026-10-03T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL); /* 3: settles 1, renews */
    add(org, "2026-10-04T10:00", SMG_EV_DEAL, "b", "c4", "D1");
    add(org, "2026-10-05T10:00", SMG_EV_REGISTER, "c", "c5", NULL); /* 5 */
    add(org, "2026-10-05T11:00", SMG_EV_REGISTER, "c", "c6", NULL); /* 6 */
    link(org, "2026-10-05T12:00", "c6", "c5"); /* 7: c's c5 stands, c6 ends quietly */
    link(org, "2026-10-06T10:00", "c3", "c2"); /* one key already */
    link(org, "2026-10-06T11:00", "c2", "c4"); /* fam never registered, c1 was: c1 */
    add(org, "2026-10-07T10:00", SMG_EV_DEAL, "c", "c3", "D2");
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "b - c1 2026-09-09 expired -");
    assert_int_equal(notices(a, SMG_NOTICE_KIND_COLLISION, NULL), 0);
    assert_int_equal(holder(a, org, "c4", &through, &made), (size_t)M(org, "a"));
    assert_int_equal(holder(a, org, "c1", NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(made, 1);                    /* a's registration of c4 */
    assert_int_equal(through, D("2026-10-10"));   /* renewed through c1 */
    assert_int_equal(reg_i(a, 1, SMG_REGISTRATION_ONTIME), 1);
    expect_deal(a, org, "D1", "b", SMG_REASON_PROTECTED_UNCLAIMED);
    assert_string_equal(key_of_deal(a, org, "D1"), "c1");
    expect_deal(a, org, "D2", "c", SMG_REASON_PROTECTED_UNCLAIMED); /* c3 is c1's now */
    assert_string_equal(key_of_deal(a, org, "D2"), "c1");
    assert_int_equal(holder(a, org, "c6", &through, &made), (size_t)M(org, "c"));
    assert_int_equal(made, 5);
    assert_int_equal(through, D("2026-10-12"));
    assert_int_equal(smg_attribution_protection_count(a), 2); /* c1 (a), c5 (c) */
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 hold limit (max_hold_days = 10): a protection started on 10-01 ends
 * after 10-11 however often it is renewed; a deal by the holder starts a
 * new hold. A hold ending the day before the holder's deal: the deal
 * finds the key free (unprotected) and starts a new protection. */
static void test_hold_limit(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    smg_date through = 0;
    char buf[512];
    (void)state;
    policy(org, "attribution.max_hold_days", "10");
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-07T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL); /* would run to 10-14 */
    add(org, "2026-10-07T11:00", SMG_EV_FOLLOWUP, "a", "c4", NULL);
    add(org, "2026-10-11T10:00", SMG_EV_DEAL, "a", "c4", "D4");     /* last held day: owner */
    add(org, "2026-10-12T10:00", SMG_EV_DEAL, "a", "c1", "D1");     /* the day after: free */
    add(org, "2026-10-18T10:00", SMG_EV_FOLLOWUP, "a", "c4", NULL); /* hold: 10-11 + 10 */
    a = run(org);
    expect_deal(a, org, "D4", "a", SMG_REASON_OWNER);
    expect_deal(a, org, "D1", "a", SMG_REASON_UNPROTECTED);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "a - c1 2026-10-12 hold_limit -");
    assert_int_equal(holder(a, org, "c4", &through, NULL), (size_t)M(org, "a"));
    assert_int_equal(through, D("2026-10-21")); /* not 10-25: the new hold's end */
    smg_attribution_free(a);
    add(org, "2026-10-30T10:00", SMG_EV_SIGNIN, "b", NULL, NULL);
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "a - c1 2026-10-12 hold_limit -; a - c1 2026-10-20 expired -; "
                        "a - c4 2026-10-22 hold_limit -");
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8: when several limits end a protection on the same day, the reason is
 * the first of expired, hold_limit, left. */
static void test_same_day_reason_priority(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    char buf[512];
    (void)state;
    assert_int_equal(smg_customer_add(org, "c5", "v", "", NULL), 0);
    policy(org, "attribution.max_hold_days", "10");
    leaves(org, "a", "2026-10-11");
    leaves(org, "b", "2026-10-06");
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "a", "c4", NULL);
    add(org, "2026-10-01T12:00", SMG_EV_REGISTER, "b", "c2", NULL);
    add(org, "2026-10-01T13:00", SMG_EV_REGISTER, "c", "c5", NULL);
    add(org, "2026-10-04T10:00", SMG_EV_FOLLOWUP, "a", "c1", NULL); /* all three: 10-11 */
    add(org, "2026-10-05T10:00", SMG_EV_FOLLOWUP, "a", "c4", NULL); /* hold = leave 10-11 */
    add(org, "2026-10-04T10:00", SMG_EV_FOLLOWUP, "c", "c5", NULL); /* period = hold 10-11 */
    add(org, "2026-10-31T10:00", SMG_EV_SIGNIN, "c", NULL, NULL);
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_RELEASE, buf, sizeof buf),
                        "b - fam 2026-10-07 left -; a - c1 2026-10-12 expired -; "
                        "a - c4 2026-10-12 hold_limit -; c - c5 2026-10-12 expired -");
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 cooldown (reclaim_days = 3): released on 10-09, the former protector
 * may not register the key again on 10-09..10-11 (10-11 the last forbidden
 * day), may on 10-12; others may at once. Someone else's protection is
 * checked first. A void's release counts too. */
static void test_reclaim(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    char buf[512];
    (void)state;
    policy(org, "attribution.reclaim_days", "3");
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL);  /* 0: released 10-09 */
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "b", "c4", NULL);  /* 1 */
    add(org, "2026-10-05T10:00", SMG_EV_VOID_REGISTER, "b", NULL, NULL); /* 2: c4 on 10-05 */
    add(org, "2026-10-05T11:00", SMG_EV_REGISTER, "b", "c4", NULL);  /* 3: reclaim_wait */
    add(org, "2026-10-05T12:00", SMG_EV_REGISTER, "c", "c4", NULL);  /* 4: others may */
    add(org, "2026-10-06T10:00", SMG_EV_REGISTER, "b", "c4", NULL);  /* 5: c's: collision */
    add(org, "2026-10-11T23:59", SMG_EV_REGISTER, "a", "c1", NULL);  /* 6: last forbidden */
    add(org, "2026-10-12T00:00", SMG_EV_REGISTER, "a", "c1", NULL);  /* 7: first allowed */
    a = run(org);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_REJECTED, buf, sizeof buf),
                        "b c4 c4 2026-10-05 reclaim_wait 3; a c1 c1 2026-10-11 reclaim_wait 6");
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_COLLISION, buf, sizeof buf),
                        "b c4 c4 2026-10-06 collision 5");
    assert_int_equal(holder(a, org, "c1", NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(reg_ix(a, smg_attribution_registration_count(a) - 1,
                            SMG_REGISTRATION_EVENT), 7);
    {
        size_t i = 0;
        notices(a, SMG_NOTICE_KIND_REJECTED, &i);
        assert_int_equal(notice_ix(a, i, SMG_NOTICE_OTHER), NUL);
        assert_int_equal(notice_ix(a, i, SMG_NOTICE_DEAL), NUL);
    }
    smg_attribution_free(a);
    smg_org_free(org);
}

/* §8 cap (max_protected = 2): a third registration is rejected (limit); a
 * deal still protects its closer. Keys that ran out no longer count,
 * though nothing touched them since. The cooldown is checked before the
 * cap. */
static void test_cap(void **state)
{
    smg_org *org = fixture();
    smg_attribution *a;
    char buf[512];
    (void)state;
    assert_int_equal(smg_customer_add(org, "c5", "v", "", NULL), 0);
    policy(org, "attribution.max_protected", "2");
    policy(org, "attribution.reclaim_days", "5");
    add(org, "2026-10-01T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 0 */
    add(org, "2026-10-01T11:00", SMG_EV_REGISTER, "a", "c4", NULL); /* 1 */
    add(org, "2026-10-02T10:00", SMG_EV_REGISTER, "a", "c2", NULL); /* 2: limit */
    add(org, "2026-10-03T10:00", SMG_EV_DEAL, "a", "c2", "D1");     /* protects a: 3 keys */
    add(org, "2026-10-04T10:00", SMG_EV_REGISTER, "a", "c5", NULL); /* 4: limit */
    add(org, "2026-10-09T10:00", SMG_EV_REGISTER, "a", "c5", NULL); /* 5: c1, c4 ran out */
    add(org, "2026-10-10T10:00", SMG_EV_REGISTER, "a", "c1", NULL); /* 6: reclaim_wait first */
    a = run(org);
    expect_deal(a, org, "D1", "a", SMG_REASON_UNPROTECTED);
    assert_string_equal(summary(a, org, SMG_NOTICE_KIND_REJECTED, buf, sizeof buf),
                        "a c2 fam 2026-10-02 limit 2; a c5 c5 2026-10-04 limit 4; "
                        "a c1 c1 2026-10-10 reclaim_wait 6");
    assert_int_equal(holder(a, org, "c5", NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(holder(a, org, "c3", NULL, NULL), (size_t)M(org, "a"));
    assert_int_equal(smg_attribution_registration_count(a), 3);
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
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_leaving),
        cmocka_unit_test(test_handover),
        cmocka_unit_test(test_handover_to_nobody),
        cmocka_unit_test(test_link_two_protected),
        cmocka_unit_test(test_link_protected_and_free),
        cmocka_unit_test(test_hold_limit),
        cmocka_unit_test(test_same_day_reason_priority),
        cmocka_unit_test(test_reclaim),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
