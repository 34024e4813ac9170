/* First steps with libsalesmgmt: build an organisation through the C API,
 * add events in one all-or-nothing batch, and read back what was stored:
 * the tables of the org and the log, through the getters every result
 * table has (docs/API.md "Reading a result").
 *
 *   cc first_steps.c $(pkg-config --cflags --libs salesmgmt) -o first_steps
 */
#include <stdio.h>
#include <salesmgmt.h>

/* Print the log in processing order (time, then input order): the log
 * positions that results quote. */
static void print_log(const smg_org *org)
{
    size_t pos, n = smg_event_count(org);
    for (pos = 0; pos < n; pos++) {
        int64_t type, at, amount, seq;
        size_t member;
        const char *id, *ref;
        int no_member, no_amount;
        char when[32], money[32];
        smg_event_int(org, pos, SMG_EVENT_SEQ, &seq, NULL);
        smg_event_int(org, pos, SMG_EVENT_TYPE, &type, NULL);
        smg_event_int(org, pos, SMG_EVENT_AT, &at, NULL);
        smg_event_text(org, pos, SMG_EVENT_ID, &id, NULL);
        smg_event_text(org, pos, SMG_EVENT_REF, &ref, NULL);
        smg_event_index(org, pos, SMG_EVENT_MEMBER, &member, &no_member);
        smg_event_int(org, pos, SMG_EVENT_AMOUNT, &amount, &no_amount);
        smg_date_format(when, sizeof when, smg_time_day(at));
        if (no_amount)
            money[0] = '\0';
        else
            smg_money_format(money, sizeof money, amount);
        printf("log %zu: %s %s by %s (input #%lld, id %s)%s%s%s%s\n", pos,
               smg_event_type_name((smg_event_type)type), when,
               no_member ? "the company" : smg_member_name(org, member), (long long)seq,
               id ? id : "-", ref ? " " : "", ref ? ref : "", no_amount ? "" : " ", money);
    }
}

static int fail(smg_org *org, int rc)
{
    size_t i;
    fprintf(stderr, "error %s: %s\n", smg_strerror(rc), smg_org_errmsg(org));
    for (i = 1; i < smg_org_error_count(org); i++)
        fprintf(stderr, "  %s\n", smg_org_error(org, i));
    smg_org_free(org);
    return 1;
}

int main(void)
{
    smg_org *org = NULL;
    smg_event ev = SMG_EVENT_INIT;
    smg_time at;
    smg_money amount;
    char text[32];
    int rc;

    if (smg_version() != SMG_VERSION_NUMBER) {
        fprintf(stderr, "header and library versions differ\n");
        return 1;
    }
    if ((rc = smg_org_new(&org, NULL)))
        return 1;

    /* the organisation: a company with one team and two salespeople */
    if ((rc = smg_team_add(org, "hq", "总公司", NULL)) ||
        (rc = smg_team_add(org, "east", "华东一组", "hq")) ||
        (rc = smg_member_add(org, "m01", "张伟", "east", SMG_ROLE_LEADER)) ||
        (rc = smg_member_add(org, "m02", "李娜", "east", SMG_ROLE_REP)) ||
        (rc = smg_team_set_leader(org, "east", "m01")) ||
        (rc = smg_customer_add(org, "c01", "王先生", "138 0013 8000", "wang-family")) ||
        (rc = smg_customer_add(org, "c02", "王太太", "13900139000", "wang-family")))
        return fail(org, rc);

    /* a rule parameter: protection runs 10 days instead of 7 */
    if ((rc = smg_policy_set(org, "attribution.protect_days", "10")))
        return fail(org, rc);

    /* events: a registration and a deal, in one batch */
    if ((rc = smg_batch_begin(org)))
        return fail(org, rc);
    smg_time_parse(&at, "2026-10-01T10:00");
    ev.type = SMG_EV_REGISTER;
    ev.at = at;
    ev.member = "m02";
    ev.customer = "c01";
    ev.id = "E-1001"; /* optional: an id of the caller's own system */
    smg_event_add(org, &ev);

    smg_event_init(&ev, SMG_EVENT_VERSION);
    smg_time_parse(&at, "2026-10-05T15:30");
    smg_money_parse(&amount, "268000.00");
    ev.type = SMG_EV_DEAL;
    ev.at = at;
    ev.member = "m02";
    ev.customer = "c02"; /* same family: the same customer for attribution */
    ev.ref = "D-0001";
    ev.amount = amount;
    ev.product = "sedan";
    ev.id = "E-1002";
    smg_event_add(org, &ev);
    if ((rc = smg_batch_commit(org)))
        return fail(org, rc); /* nothing of the batch was applied */

    /* a bad event is refused with a message that says why */
    smg_event_init(&ev, SMG_EVENT_VERSION);
    ev.type = SMG_EV_CLAIM;
    ev.at = at;
    ev.member = "m01";
    ev.ref = "D-9999";
    rc = smg_event_add(org, &ev);
    printf("claim of an unknown deal: %s (%s)\n", smg_strerror(rc), smg_org_errmsg(org));

    smg_money_format(text, sizeof text, amount);
    printf("teams %zu, members %zu, customers %zu (attribution keys %zu), events %zu, deals %zu\n",
           smg_org_count(org, SMG_COUNT_TEAMS), smg_org_count(org, SMG_COUNT_MEMBERS),
           smg_org_count(org, SMG_COUNT_CUSTOMERS), smg_org_count(org, SMG_COUNT_KEYS),
           smg_org_count(org, SMG_COUNT_EVENTS), smg_org_count(org, SMG_COUNT_DEALS));
    printf("deal D-0001: %s\n", text);
    print_log(org);
    smg_org_free(org);
    return rc == SMG_ERULE ? 0 : 1;
}
