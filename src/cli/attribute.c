/* salesmgmt attribute DATASET [--as MEMBER]: the credit and its reason for
 * every deal, with the events that decided it, and the notices of the
 * replay (collisions, releases with their reason, rejected claims, late
 * first follow-ups, possible duplicate customers, and every rejected
 * registration with its reason: collision, limit, reclaim_wait). With
 * --as, only what that member may see (RULES.md §1), as the library
 * restricts it; a member who does not exist is a usage error.
 *
 * Events are named as DATASET.md has results quote them: by their `id`
 * where they have one, else as "events.csv:LINE", the line of events.csv
 * the event is on (the line an error about it would name). In JSON the
 * ev_* and event values are those strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define NO ((size_t)-1) /* a null index cell */

/* ---- the tables ---- */

static size_t deal_ix(const smg_attribution *a, size_t i, smg_deal_field f)
{
    size_t v;
    int null = 1;
    return smg_attribution_deal_index(a, i, f, &v, &null) || null ? NO : v;
}

static int64_t deal_int(const smg_attribution *a, size_t i, smg_deal_field f, int64_t none)
{
    int64_t v;
    int null = 1;
    return smg_attribution_deal_int(a, i, f, &v, &null) || null ? none : v;
}

static size_t notice_ix(const smg_attribution *a, size_t i, smg_notice_field f)
{
    size_t v;
    int null = 1;
    return smg_attribution_notice_index(a, i, f, &v, &null) || null ? NO : v;
}

static int64_t notice_int(const smg_attribution *a, size_t i, smg_notice_field f, int64_t none)
{
    int64_t v;
    int null = 1;
    return smg_attribution_notice_int(a, i, f, &v, &null) || null ? none : v;
}

static void str_member(out_table *t, const smg_org *org, size_t m)
{
    out_str(t, m != NO ? smg_member_id(org, m) : NULL);
}

/* An event by its log position: cli_event_ref(). */
static void event_cell(out_table *t, const smg_org *org, size_t pos)
{
    char buf[96];
    if (pos == NO) {
        out_null(t);
        return;
    }
    cli_event_ref(org, pos, buf, sizeof buf);
    out_str(t, buf);
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
        out_table_col(t, cols[i], i == 7 ? OUT_RIGHT : OUT_LEFT);
    for (i = 0; i < n; i++) {
        out_table_row(t);
        out_str(t, smg_deal_id(org, deal_ix(a, i, SMG_DEAL_DEAL)));
        str_member(t, org, deal_ix(a, i, SMG_DEAL_CLOSER));
        str_member(t, org, deal_ix(a, i, SMG_DEAL_CREDITED));
        out_str(t, smg_reason_name((smg_reason)deal_int(a, i, SMG_DEAL_REASON, 0)));
        out_str(t, smg_customer_id(org, deal_ix(a, i, SMG_DEAL_CUSTOMER)));
        out_str(t, smg_key_text(org, deal_ix(a, i, SMG_DEAL_KEY)));
        out_date(t, deal_int(a, i, SMG_DEAL_DAY, SMG_DATE_NONE));
        out_money(t, deal_int(a, i, SMG_DEAL_AMOUNT, SMG_MONEY_NONE));
        str_member(t, org, deal_ix(a, i, SMG_DEAL_PROTECTOR));
        event_cell(t, org, deal_ix(a, i, SMG_DEAL_EV_DEAL));
        event_cell(t, org, deal_ix(a, i, SMG_DEAL_EV_REGISTRATION));
        event_cell(t, org, deal_ix(a, i, SMG_DEAL_EV_CONTACT));
        event_cell(t, org, deal_ix(a, i, SMG_DEAL_EV_CLAIM));
        event_cell(t, org, deal_ix(a, i, SMG_DEAL_EV_OVERRIDE));
    }
    return t;
}

/* The rejected registrations (RULES.md §8): the collisions of a
 * registration and the public pool's rejections, each with its reason. */
static out_table *rejected_table(const smg_org *org, const smg_attribution *a)
{
    out_table *t = out_table_new();
    size_t i, n = smg_attribution_notice_count(a);
    out_table_col(t, "day", OUT_LEFT);
    out_table_col(t, "member", OUT_LEFT);
    out_table_col(t, "reason", OUT_LEFT);
    out_table_col(t, "customer", OUT_LEFT);
    out_table_col(t, "key", OUT_LEFT);
    out_table_col(t, "event", OUT_RIGHT);
    for (i = 0; i < n; i++) {
        int64_t why = notice_int(a, i, SMG_NOTICE_REJECT_REASON, 0);
        if (!why) /* not a rejected registration (a collision by a link is not) */
            continue;
        out_table_row(t);
        out_date(t, notice_int(a, i, SMG_NOTICE_DAY, SMG_DATE_NONE));
        str_member(t, org, notice_ix(a, i, SMG_NOTICE_MEMBER));
        out_str(t, smg_reject_reason_name((smg_reject_reason)why));
        out_str(t, smg_customer_id(org, notice_ix(a, i, SMG_NOTICE_CUSTOMER)));
        out_str(t, smg_key_text(org, notice_ix(a, i, SMG_NOTICE_KEY)));
        event_cell(t, org, notice_ix(a, i, SMG_NOTICE_EVENT));
    }
    return t;
}

/* One table per notice kind, with the columns that kind uses. */
static out_table *notices_table(const smg_org *org, const smg_attribution *a,
                                smg_notice_kind kind)
{
    out_table *t = out_table_new();
    size_t i, n = smg_attribution_notice_count(a);
    int is_dup = kind == SMG_NOTICE_KIND_DUPLICATE;
    if (!is_dup) {
        out_table_col(t, "day", OUT_LEFT);
        out_table_col(t, "member", OUT_LEFT);
    }
    if (kind == SMG_NOTICE_KIND_COLLISION)
        out_table_col(t, "protector", OUT_LEFT);
    if (kind == SMG_NOTICE_KIND_CLAIM_LATE || kind == SMG_NOTICE_KIND_CLAIM_INVALID) {
        out_table_col(t, "reason", OUT_LEFT);
        out_table_col(t, "ref", OUT_LEFT);
        out_table_col(t, "protector", OUT_LEFT);
    }
    if (kind == SMG_NOTICE_KIND_RELEASE)
        out_table_col(t, "reason", OUT_LEFT);
    if (kind == SMG_NOTICE_KIND_LATE_FOLLOWUP)
        out_table_col(t, "due_by", OUT_LEFT);
    out_table_col(t, is_dup ? "customer" : "key", OUT_LEFT);
    if (is_dup) {
        out_table_col(t, "duplicates", OUT_LEFT);
        out_table_col(t, "phone", OUT_LEFT);
    } else {
        out_table_col(t, "event", OUT_LEFT);
    }
    for (i = 0; i < n; i++) {
        int64_t k = notice_int(a, i, SMG_NOTICE_KIND, 0);
        /* the rejected-claims table holds both kinds of rejection */
        if (k != kind &&
            !(kind == SMG_NOTICE_KIND_CLAIM_LATE && k == SMG_NOTICE_KIND_CLAIM_INVALID))
            continue;
        out_table_row(t);
        if (!is_dup) {
            out_date(t, notice_int(a, i, SMG_NOTICE_DAY, SMG_DATE_NONE));
            str_member(t, org, notice_ix(a, i, SMG_NOTICE_MEMBER));
        }
        if (kind == SMG_NOTICE_KIND_COLLISION)
            str_member(t, org, notice_ix(a, i, SMG_NOTICE_OTHER));
        if (kind == SMG_NOTICE_KIND_CLAIM_LATE) {
            out_str(t, smg_notice_kind_name((smg_notice_kind)k));
            out_str(t, smg_deal_id(org, notice_ix(a, i, SMG_NOTICE_DEAL)));
            str_member(t, org, notice_ix(a, i, SMG_NOTICE_OTHER));
        }
        if (kind == SMG_NOTICE_KIND_RELEASE) /* RULES.md §8's word */
            out_str(t, smg_release_reason_name(
                           (smg_release_reason)notice_int(a, i, SMG_NOTICE_RELEASE_REASON, 0)));
        if (kind == SMG_NOTICE_KIND_LATE_FOLLOWUP)
            out_date(t, notice_int(a, i, SMG_NOTICE_DEADLINE, SMG_DATE_NONE));
        if (is_dup) {
            size_t c = notice_ix(a, i, SMG_NOTICE_CUSTOMER);
            out_str(t, smg_customer_id(org, c));
            out_str(t, smg_customer_id(org, notice_ix(a, i, SMG_NOTICE_DUPLICATE_OF)));
            out_str(t, smg_customer_phone(org, c));
        } else {
            out_str(t, smg_key_text(org, notice_ix(a, i, SMG_NOTICE_KEY)));
            event_cell(t, org, notice_ix(a, i, SMG_NOTICE_EVENT));
        }
    }
    return t;
}

int cmd_attribute(int argc, char **argv)
{
    static const struct {
        const char *key, *title;
        smg_notice_kind kind;
    } sections[] = {
        { "collisions", "Collisions (撞车: registrations rejected)", SMG_NOTICE_KIND_COLLISION },
        { "releases", "Releases (放弃处理)", SMG_NOTICE_KIND_RELEASE },
        { "rejected_claims", "Rejected claims", SMG_NOTICE_KIND_CLAIM_LATE },
        { "late_followups", "Late first follow-ups (R3)", SMG_NOTICE_KIND_LATE_FOLLOWUP },
        { "duplicates", "Possible duplicate customers (撞单)", SMG_NOTICE_KIND_DUPLICATE },
    };
    const char *dir = NULL, *policy = NULL, *format = NULL, *as = NULL;
    const cli_option opts[] = {
        { "as", &as, NULL },
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    smg_attribution_options aopts = SMG_ATTRIBUTION_OPTIONS_INIT;
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
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;
    aopts.as_member = as;
    if ((rc = smg_attribution_compute(&a, org, &aopts)))
        return cli_fail(argv[0], org, rc);
    out_doc_begin(&doc, stdout, fmt);
    t = deals_table(org, a);
    out_doc_table(&doc, "deals", "Deals: credit and reason", t);
    out_table_free(t);
    for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        t = notices_table(org, a, sections[i].kind);
        out_doc_table(&doc, sections[i].key, sections[i].title, t);
        out_table_free(t);
    }
    t = rejected_table(org, a);
    out_doc_table(&doc, "rejected", "Rejected registrations (collision, limit, reclaim_wait)",
                  t);
    out_table_free(t);
    rc = out_doc_end(&doc);
    smg_attribution_free(a);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
}
