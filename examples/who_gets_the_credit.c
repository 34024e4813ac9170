/* Who gets the credit? Load the bundled sample dataset, replay it under the
 * follow-up rules (RULES.md §4) and explain one claimed deal, then ask the
 * morning question: whose protections run out in the next three days?
 *
 *   cc who_gets_the_credit.c $(pkg-config --cflags --libs salesmgmt)
 *   ./a.out examples/data
 */
#include <stdio.h>
#include <salesmgmt.h>

static const char *member(const smg_org *org, int64_t m)
{
    return m >= 0 ? smg_member_id(org, (size_t)m) : "the company";
}

int main(int argc, char **argv)
{
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    size_t i, n, counts[7] = { 0 }, keys[5];
    smg_date last = SMG_DATE_NONE;
    char day[16];
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATASET_DIR\n", argv[0]);
        return 1;
    }
    if ((rc = smg_org_new(&org, NULL)))
        return 1;
    if ((rc = smg_dataset_load(org, argv[1]))) { /* all or nothing */
        for (i = 0; i < smg_org_error_count(org); i++)
            fprintf(stderr, "%s\n", smg_org_error(org, i));
        smg_org_free(org);
        return 2;
    }
    if ((rc = smg_attribution_run(org, NULL, &a))) {
        fprintf(stderr, "%s\n", smg_org_errmsg(org));
        smg_org_free(org);
        return 1;
    }

    n = smg_attribution_deal_count(a);
    for (i = 0; i < n; i++) {
        int64_t reason = smg_attribution_deal(a, i, SMG_DEAL_REASON);
        counts[reason]++;
        last = (smg_date)smg_attribution_deal(a, i, SMG_DEAL_DAY);
    }
    printf("%lu deals:", (unsigned long)n);
    for (i = SMG_REASON_UNPROTECTED; i <= SMG_REASON_COMPANY; i++)
        printf(" %s %lu", smg_reason_name((smg_reason)i), (unsigned long)counts[i]);
    printf("\n");

    /* explain the first claimed deal: who closed it, who protected the
     * customer, and which events decided it (input positions) */
    for (i = 0; i < n; i++)
        if (smg_attribution_deal(a, i, SMG_DEAL_REASON) == SMG_REASON_CLAIMED) {
            char amount[32];
            smg_date_format(day, sizeof day, (smg_date)smg_attribution_deal(a, i, SMG_DEAL_DAY));
            smg_money_format(amount, sizeof amount, smg_attribution_deal(a, i, SMG_DEAL_AMOUNT));
            printf("deal %s (%s, %s): closed by %s, credited to %s, who registered the "
                   "customer (event %lld), was last in touch at event %lld and claimed it "
                   "at event %lld\n",
                   smg_deal_id(org, (size_t)smg_attribution_deal(a, i, SMG_DEAL_INDEX)), day,
                   amount, member(org, smg_attribution_deal(a, i, SMG_DEAL_CLOSER)),
                   member(org, smg_attribution_deal(a, i, SMG_DEAL_CREDITED)),
                   (long long)smg_attribution_deal(a, i, SMG_DEAL_EV_REGISTRATION),
                   (long long)smg_attribution_deal(a, i, SMG_DEAL_EV_CONTACT),
                   (long long)smg_attribution_deal(a, i, SMG_DEAL_EV_CLAIM));
            break;
        }

    /* the supervisor's morning list (每天检查) on the day of the last deal */
    if (last != SMG_DATE_NONE) {
        size_t k = smg_attribution_expiring(a, last, 3, keys, 5);
        smg_date_format(day, sizeof day, last);
        printf("on %s, %lu protections end within 3 days%s\n", day, (unsigned long)k,
               k ? "; the first ones:" : "");
        for (i = 0; i < k && i < 5; i++) {
            long who;
            smg_date through;
            smg_attribution_protector(a, keys[i], &who, &through, NULL);
            smg_date_format(day, sizeof day, through);
            printf("  %-12s protected by %s through %s\n", smg_key_text(org, keys[i]),
                   member(org, who), day);
        }
    }
    smg_attribution_free(a);
    smg_org_free(org);
    return 0;
}
