/* Changes after the fact (RULES.md §8): what an ERP sends later, through
 * the C API. The log stays append-only; these events say what changed:
 *
 *   - a deal and its claim, then a cancel of the deal alone (refused: the
 *     claim would still stand), then the cancel of both (accepted);
 *   - a refund, a transfer to another team, a handover to a colleague and
 *     one to nobody, a link of two customers;
 *
 * and prints the attribution (every deal's credit and reason, the notices
 * with their reasons) and the log, naming each event by its id.
 *
 *   cc changes_after_the_fact.c $(pkg-config --cflags --libs salesmgmt)
 */
#include <stdio.h>
#include <salesmgmt.h>

/* An event of the log (log position @p pos) as results quote it: its id,
 * else its input position. */
static const char *ev_name(const smg_org *org, size_t pos, int is_null, char *buf, size_t len)
{
    const char *id = NULL;
    int64_t seq = 0;
    if (is_null)
        return "-";
    if (!smg_event_text(org, pos, SMG_EVENT_ID, &id, NULL) && id)
        return id;
    smg_event_int(org, pos, SMG_EVENT_SEQ, &seq, NULL);
    snprintf(buf, len, "#%lld", (long long)seq);
    return buf;
}

/* Add one event: type, moment, member, customer, ref, amount (or NULL),
 * and the event's own id. */
static int add(smg_org *org, smg_event_type type, const char *at, const char *member,
               const char *customer, const char *ref, const char *amount, const char *id)
{
    smg_event ev = SMG_EVENT_INIT;
    ev.type = type;
    smg_time_parse(&ev.at, at);
    ev.member = member;
    ev.customer = customer;
    ev.ref = ref;
    if (amount)
        smg_money_parse(&ev.amount, amount);
    ev.id = id;
    return smg_event_add(org, &ev);
}

static void print_attribution(smg_org *org)
{
    smg_attribution_options opts = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *a = NULL;
    size_t i, v;
    int64_t x;
    int null;
    char b1[32], b2[32], day[16];

    if (smg_attribution_compute(&a, org, &opts)) {
        printf("attribution failed: %s\n", smg_org_errmsg(org));
        return;
    }
    printf("\ndeals: credit and reason\n");
    for (i = 0; i < smg_attribution_deal_count(a); i++) {
        size_t ev, reg;
        int no_reg;
        const char *credited = "the company";
        smg_attribution_deal_index(a, i, SMG_DEAL_DEAL, &v, NULL);
        printf("  %s", smg_deal_id(org, v));
        smg_attribution_deal_index(a, i, SMG_DEAL_CLOSER, &v, NULL);
        printf(" closed by %s", smg_member_id(org, v));
        smg_attribution_deal_index(a, i, SMG_DEAL_CREDITED, &v, &null);
        if (!null)
            credited = smg_member_id(org, v);
        smg_attribution_deal_int(a, i, SMG_DEAL_REASON, &x, NULL);
        smg_attribution_deal_index(a, i, SMG_DEAL_EV_DEAL, &ev, NULL);
        smg_attribution_deal_index(a, i, SMG_DEAL_EV_REGISTRATION, &reg, &no_reg);
        printf(", credited to %s (%s); deal %s, protection from %s\n", credited,
               smg_reason_name((smg_reason)x), ev_name(org, ev, 0, b1, sizeof b1),
               ev_name(org, reg, no_reg, b2, sizeof b2));
    }
    printf("\nnotices\n");
    for (i = 0; i < smg_attribution_notice_count(a); i++) {
        int64_t kind, why;
        size_t ev, m, key;
        int no_ev, no_m, no_why;
        smg_attribution_notice_int(a, i, SMG_NOTICE_KIND, &kind, NULL);
        smg_attribution_notice_int(a, i, SMG_NOTICE_DAY, &x, &null);
        smg_date_format(day, sizeof day, null ? SMG_DATE_NONE : (smg_date)x);
        smg_attribution_notice_index(a, i, SMG_NOTICE_MEMBER, &m, &no_m);
        smg_attribution_notice_index(a, i, SMG_NOTICE_KEY, &key, NULL);
        smg_attribution_notice_index(a, i, SMG_NOTICE_EVENT, &ev, &no_ev);
        printf("  %s %s: %s, key %s", day, smg_notice_kind_name((smg_notice_kind)kind),
               no_m ? "-" : smg_member_id(org, m), smg_key_text(org, key));
        smg_attribution_notice_int(a, i, SMG_NOTICE_RELEASE_REASON, &why, &no_why);
        if (!no_why)
            printf(", reason %s", smg_release_reason_name((smg_release_reason)why));
        printf(", event %s\n", ev_name(org, ev, no_ev, b1, sizeof b1));
    }
    smg_attribution_free(a);
}

/* The log in processing order; a cancelled event stays in it, marked. */
static void print_log(const smg_org *org)
{
    size_t pos, n = smg_event_count(org);
    printf("\nthe log\n");
    for (pos = 0; pos < n; pos++) {
        int64_t type, at, by;
        int standing;
        const char *ref = NULL;
        char when[24], b[32];
        smg_event_int(org, pos, SMG_EVENT_TYPE, &type, NULL);
        smg_event_int(org, pos, SMG_EVENT_AT, &at, NULL);
        smg_event_text(org, pos, SMG_EVENT_REF, &ref, NULL);
        smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &by, &standing);
        smg_time_format(when, sizeof when, (smg_time)at);
        printf("  %s %-9s %-4s %s%s", when, smg_event_type_name((smg_event_type)type),
               ev_name(org, pos, 0, b, sizeof b), ref ? "ref " : "", ref ? ref : "");
        if (!standing) {
            size_t cpos = 0;
            smg_event_position(org, (size_t)by, &cpos);
            printf("  [cancelled by %s]", ev_name(org, cpos, 0, b, sizeof b));
        }
        putchar('\n');
    }
}

static int fail(smg_org *org, int rc)
{
    fprintf(stderr, "error %s: %s\n", smg_strerror(rc), smg_org_errmsg(org));
    smg_org_free(org);
    return 1;
}

int main(void)
{
    smg_org *org = NULL;
    int rc;

    if (smg_org_new(&org, NULL))
        return 1;
    if ((rc = smg_team_add(org, "hq", "总公司", NULL)) ||
        (rc = smg_team_add(org, "east", "华东组", "hq")) ||
        (rc = smg_team_add(org, "west", "华西组", "hq")) ||
        (rc = smg_member_add(org, "lead", "张伟", "east", SMG_ROLE_LEADER)) ||
        (rc = smg_member_add(org, "ana", "李娜", "east", SMG_ROLE_REP)) ||
        (rc = smg_member_add(org, "bo", "王波", "east", SMG_ROLE_REP)) ||
        (rc = smg_team_set_leader(org, "east", "lead")) ||
        (rc = smg_customer_add(org, "c1", "刘先生", NULL, NULL)) ||
        (rc = smg_customer_add(org, "c2", "陈女士", NULL, NULL)) ||
        (rc = smg_customer_add(org, "c3", "赵先生", NULL, NULL)) ||
        (rc = smg_customer_add(org, "c4", "赵太太", NULL, NULL)))
        return fail(org, rc);

    /* October: ana registers c1; bo closes a deal with c1 that ana claims
     * (R5); ana closes a deal with c2; bo registers c3 */
    if ((rc = smg_batch_begin(org)))
        return fail(org, rc);
    add(org, SMG_EV_REGISTER, "2026-10-01T09:00", "ana", "c1", NULL, NULL, "E1");
    add(org, SMG_EV_DEAL, "2026-10-02T14:00", "bo", "c1", "D1", "100000", "E2");
    add(org, SMG_EV_CLAIM, "2026-10-03T10:00", "ana", NULL, "D1", NULL, "E3");
    add(org, SMG_EV_DEAL, "2026-10-04T11:00", "ana", "c2", "D2", "50000", "E4");
    add(org, SMG_EV_REGISTER, "2026-10-05T09:00", "bo", "c3", NULL, NULL, "E5");
    if ((rc = smg_batch_commit(org)))
        return fail(org, rc);

    /* the ERP finds D1 was entered by mistake: a cancel of the deal alone
     * is refused, as its claim would still stand (nothing is applied) */
    smg_batch_begin(org);
    add(org, SMG_EV_CANCEL, "2026-10-08T09:00", NULL, NULL, "E2", NULL, "X1");
    rc = smg_batch_commit(org);
    printf("cancel of D1 alone: %s: %s\n", smg_strerror(rc), smg_org_errmsg(org));
    if (rc != SMG_ERULE)
        return fail(org, rc ? rc : SMG_EINVAL);

    /* the claim and the deal cancelled together: accepted */
    smg_batch_begin(org);
    add(org, SMG_EV_CANCEL, "2026-10-08T09:00", NULL, NULL, "E3", NULL, "X1");
    add(org, SMG_EV_CANCEL, "2026-10-08T09:00", NULL, NULL, "E2", NULL, "X2");
    if ((rc = smg_batch_commit(org)))
        return fail(org, rc);

    /* later: part of D2 refunded; bo moves to west (his protection of c3
     * goes with him); ana hands her customers to lead, who then sells to
     * c2 again (as its protector); bo gives his up (to nobody); c3 and c4
     * turn out to be one customer (a married couple) */
    smg_batch_begin(org);
    add(org, SMG_EV_REFUND, "2026-10-06T15:00", NULL, NULL, "D2", "20000", "R1");
    add(org, SMG_EV_TRANSFER, "2026-10-07T09:00", "bo", NULL, "west", NULL, "T1");
    add(org, SMG_EV_HANDOVER, "2026-10-09T17:00", "ana", NULL, "lead", NULL, "H1");
    add(org, SMG_EV_HANDOVER, "2026-10-09T18:00", "bo", NULL, NULL, NULL, "H2");
    add(org, SMG_EV_LINK, "2026-10-10T10:00", NULL, "c3", "c4", NULL, "L1");
    add(org, SMG_EV_DEAL, "2026-10-10T16:00", "lead", "c2", "D3", "30000", "E6");
    if ((rc = smg_batch_commit(org)))
        return fail(org, rc);

    print_attribution(org);
    print_log(org);
    smg_org_free(org);
    return 0;
}
