/* salesmgmt attribute DATASET: the credit and its reason for every deal,
 * with the events that decided it, and the notices of the replay
 * (collisions, releases, rejected claims, late first follow-ups, possible
 * duplicate customers). Events are named by their input position: event N
 * is the N-th event added (0-based), for a dataset the N-th row of
 * events.csv. */
#include <stdio.h>

#include "cli.h"

static void str_member(out_table *t, const smg_org *org, int64_t m)
{
    out_str(t, m >= 0 ? smg_member_id(org, (size_t)m) : NULL);
}

static void int_or_null(out_table *t, int64_t v)
{
    if (v < 0)
        out_null(t);
    else
        out_int(t, (long long)v);
}

static out_table *deals_table(const smg_org *org, const smg_attribution *a)
{
    static const char *const cols[] = { "ref", "closer", "credited", "reason", "customer", "key",
                                        "day", "amount", "protector", "ev_deal",
                                        "ev_registration", "ev_contact", "ev_claim",
                                        "ev_override" };
    out_table *t = out_table_new();
    size_t i, n = smg_attribution_deal_count(a);
    for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
        out_table_col(t, cols[i], i >= 7 && i != 8 ? OUT_RIGHT : OUT_LEFT);
    for (i = 0; i < n; i++) {
#define F(f) smg_attribution_deal(a, i, SMG_DEAL_##f)
        out_table_row(t);
        out_str(t, smg_deal_id(org, (size_t)F(INDEX)));
        str_member(t, org, F(CLOSER));
        str_member(t, org, F(CREDITED));
        out_str(t, smg_reason_name((smg_reason)F(REASON)));
        out_str(t, smg_customer_id(org, (size_t)F(CUSTOMER)));
        out_str(t, smg_key_text(org, (size_t)F(KEY)));
        out_date(t, F(DAY));
        out_money(t, F(AMOUNT));
        str_member(t, org, F(PROTECTOR));
        int_or_null(t, F(EV_DEAL));
        int_or_null(t, F(EV_REGISTRATION));
        int_or_null(t, F(EV_CONTACT));
        int_or_null(t, F(EV_CLAIM));
        int_or_null(t, F(EV_OVERRIDE));
#undef F
    }
    return t;
}

/* One table per notice kind, with the columns that kind uses. */
static out_table *notices_table(const smg_org *org, const smg_attribution *a,
                                smg_notice_kind kind)
{
    out_table *t = out_table_new();
    size_t i, n = smg_attribution_notice_count(a);
    int is_dup = kind == SMG_NOTICE_DUPLICATE;
    if (!is_dup) {
        out_table_col(t, "day", OUT_LEFT);
        out_table_col(t, "member", OUT_LEFT);
    }
    if (kind == SMG_NOTICE_COLLISION)
        out_table_col(t, "protector", OUT_LEFT);
    if (kind == SMG_NOTICE_CLAIM_LATE || kind == SMG_NOTICE_CLAIM_INVALID) {
        out_table_col(t, "reason", OUT_LEFT);
        out_table_col(t, "ref", OUT_LEFT);
        out_table_col(t, "protector", OUT_LEFT);
    }
    if (kind == SMG_NOTICE_RELEASE)
        out_table_col(t, "cause", OUT_LEFT);
    if (kind == SMG_NOTICE_LATE_FOLLOWUP)
        out_table_col(t, "due_by", OUT_LEFT);
    out_table_col(t, is_dup ? "customer" : "key", OUT_LEFT);
    if (is_dup) {
        out_table_col(t, "duplicates", OUT_LEFT);
        out_table_col(t, "phone", OUT_LEFT);
    } else {
        out_table_col(t, "event", OUT_RIGHT);
    }
    for (i = 0; i < n; i++) {
        int64_t k = smg_attribution_notice(a, i, SMG_NOTICE_KIND);
        /* the rejected-claims table holds both kinds of rejection */
        if (k != kind && !(kind == SMG_NOTICE_CLAIM_LATE && k == SMG_NOTICE_CLAIM_INVALID))
            continue;
#define N(f) smg_attribution_notice(a, i, SMG_NOTICE_##f)
        out_table_row(t);
        if (!is_dup) {
            out_date(t, N(DAY));
            str_member(t, org, N(MEMBER));
        }
        if (kind == SMG_NOTICE_COLLISION)
            str_member(t, org, N(OTHER));
        if (kind == SMG_NOTICE_CLAIM_LATE) {
            out_str(t, smg_notice_kind_name((smg_notice_kind)k));
            out_str(t, smg_deal_id(org, (size_t)N(DEAL)));
            str_member(t, org, N(OTHER));
        }
        if (kind == SMG_NOTICE_RELEASE)
            out_str(t, N(CAUSE) == 2 ? "void_register" : "expired");
        if (kind == SMG_NOTICE_LATE_FOLLOWUP)
            out_date(t, N(DEADLINE));
        if (is_dup) {
            out_str(t, smg_customer_id(org, (size_t)N(CUSTOMER)));
            out_str(t, smg_customer_id(org, (size_t)N(CAUSE)));
            out_str(t, smg_customer_phone(org, (size_t)N(CUSTOMER)));
        } else {
            out_str(t, smg_key_text(org, (size_t)N(KEY)));
            int_or_null(t, N(EVENT));
        }
#undef N
    }
    return t;
}

int cmd_attribute(int argc, char **argv)
{
    static const struct {
        const char *key, *title;
        smg_notice_kind kind;
    } sections[] = {
        { "collisions", "Collisions (撞车: registrations rejected)", SMG_NOTICE_COLLISION },
        { "releases", "Releases (放弃处理)", SMG_NOTICE_RELEASE },
        { "rejected_claims", "Rejected claims", SMG_NOTICE_CLAIM_LATE },
        { "late_followups", "Late first follow-ups (R3)", SMG_NOTICE_LATE_FOLLOWUP },
        { "duplicates", "Possible duplicate customers (撞单)", SMG_NOTICE_DUPLICATE },
    };
    const char *dir = NULL, *policy = NULL, *format = NULL;
    const cli_option opts[] = {
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    smg_attribution *a = NULL;
    out_format fmt;
    out_doc doc;
    out_table *t;
    smg_org *org;
    size_t i;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if ((rc = smg_attribution_run(org, NULL, &a))) {
        return cli_fail(argv[0], org, rc);
    }
    out_doc_begin(&doc, stdout, fmt);
    t = deals_table(org, a);
    out_doc_table(&doc, "deals", "Deals: credit and reason", t);
    out_table_free(t);
    for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        t = notices_table(org, a, sections[i].kind);
        out_doc_table(&doc, sections[i].key, sections[i].title, t);
        out_table_free(t);
    }
    rc = out_doc_end(&doc);
    smg_attribution_free(a);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
