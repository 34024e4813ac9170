/* Who gets the credit? Load the bundled sample dataset, replay it under the
 * follow-up rules (RULES.md §4) and explain one claimed deal, then ask the
 * morning question: whose protections run out in the next three days?
 *
 *   cc who_gets_the_credit.c $(pkg-config --cflags --libs salesmgmt)
 *   ./a.out examples/data
 */
#include <stdio.h>
#include <salesmgmt.h>

static const char *member(const smg_org *org, size_t m, int is_company)
{
    return is_company ? "the company" : smg_member_id(org, m);
}

/* Index field f of deal row i (0 when null: *is_null says so). */
static size_t ix(const smg_attribution *a, size_t i, smg_deal_field f, int *is_null)
{
    size_t v = 0;
    smg_attribution_deal_index(a, i, f, &v, is_null);
    return v;
}

static int64_t num(const smg_attribution *a, size_t i, smg_deal_field f)
{
    int64_t v = 0;
    smg_attribution_deal_int(a, i, f, &v, NULL);
    return v;
}

int main(int argc, char **argv)
{
    smg_org *org = NULL;
    smg_attribution *a = NULL;
    size_t i, n, counts[7] = { 0 }, rows[5];
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
    if ((rc = smg_attribution_compute(&a, org, NULL))) {
        fprintf(stderr, "%s\n", smg_org_errmsg(org));
        smg_org_free(org);
        return 1;
    }

    n = smg_attribution_deal_count(a);
    for (i = 0; i < n; i++) {
        int64_t reason = num(a, i, SMG_DEAL_REASON);
        counts[reason]++;
        last = (smg_date)num(a, i, SMG_DEAL_DAY);
    }
    printf("%lu deals:", (unsigned long)n);
    for (i = SMG_REASON_UNPROTECTED; i <= SMG_REASON_COMPANY; i++)
        printf(" %s %lu", smg_reason_name((smg_reason)i), (unsigned long)counts[i]);
    printf("\n");

    /* explain the first claimed deal: who closed it, who protected the
     * customer, and which events decided it (log positions: the events in
     * processing order) */
    for (i = 0; i < n; i++)
        if (num(a, i, SMG_DEAL_REASON) == SMG_REASON_CLAIMED) {
            char amount[32];
            int company;
            size_t credited = ix(a, i, SMG_DEAL_CREDITED, &company);
            smg_date_format(day, sizeof day, (smg_date)num(a, i, SMG_DEAL_DAY));
            smg_money_format(amount, sizeof amount, num(a, i, SMG_DEAL_AMOUNT));
            printf("deal %s (%s, %s): closed by %s, credited to %s, who registered the "
                   "customer (event %lu), was last in touch at event %lu and claimed it "
                   "at event %lu\n",
                   smg_deal_id(org, ix(a, i, SMG_DEAL_DEAL, NULL)), day, amount,
                   smg_member_id(org, ix(a, i, SMG_DEAL_CLOSER, NULL)),
                   member(org, credited, company),
                   (unsigned long)ix(a, i, SMG_DEAL_EV_REGISTRATION, NULL),
                   (unsigned long)ix(a, i, SMG_DEAL_EV_CONTACT, NULL),
                   (unsigned long)ix(a, i, SMG_DEAL_EV_CLAIM, NULL));
            break;
        }

    /* the supervisor's morning list (每天检查) on the day of the last deal */
    if (last != SMG_DATE_NONE) {
        size_t k = 0;
        if (smg_attribution_expiring(a, last, 3, rows, 5, &k) == 0) {
            smg_date_format(day, sizeof day, last);
            printf("on %s, %lu protections end within 3 days%s\n", day, (unsigned long)k,
                   k ? "; the first ones:" : "");
        }
        for (i = 0; i < k && i < 5; i++) {
            size_t key = 0, who = 0;
            int64_t through = 0;
            smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_KEY, &key, NULL);
            smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_MEMBER, &who, NULL);
            smg_attribution_protection_int(a, rows[i], SMG_PROTECTION_THROUGH, &through, NULL);
            smg_date_format(day, sizeof day, (smg_date)through);
            printf("  %-12s protected by %s through %s\n", smg_key_text(org, key),
                   smg_member_id(org, who), day);
        }
    }
    smg_attribution_free(a);
    smg_org_free(org);
    return 0;
}
