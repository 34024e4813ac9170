/* Fuzz the whole pipeline: the input is split at each "\n====\n" into the
 * files of a fresh dataset folder, in this order: members.csv, events.csv,
 * customers.csv, teams.csv, policy.conf, scorecard.csv, targets.csv,
 * commission.csv (a file with no part gets a small valid default, the last
 * three none). A load that fails must leave nothing loaded and say why; a
 * load that succeeds runs every engine (tests/pipeline.h: attribution,
 * KPIs of each month from the log and from the month index, compute_many,
 * pay, tiers, visits, the rotation day, targets, the scorecard) and checks
 * the agreements, abort() on a breach: KPIs from the month index == KPIs
 * from the log for each whole month, compute_many == the single computes.
 * A second run on the same org must give the same digest. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tests/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "members.csv", "events.csv",  "customers.csv",
                                     "teams.csv",   "policy.conf", "scorecard.csv",
                                     "targets.csv", "commission.csv" };
#define NFILES (sizeof names / sizeof *names)
static const char *const defaults[] = {
    "member_id,name,team_id,role,start_date,end_date,pay_total\n"
    "m1,A,t1,leader,2026-01-01,,\nm2,B,t1,rep,2026-01-01,,\nm3,C,t2,rep,2026-01-01,,\n",
    "at,type,member,customer,ref,amount,list_amount,cost,product,channel,outcome,value\n",
    "customer_id,name,group_key\nc1,A,g\nc2,B,g\nc3,C,\n",
    "team_id,name,parent_id,leader_id\nt1,T,,m1\nt2,U,t1,\n",
    "",
    "item,parent,points,deduct,roles,due\nmr,,60,,rep,monthly:31\nwr,,40,10,,weekly:fri\n",
    NULL,
    NULL,
};

static void put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        return;
    if (n)
        fwrite(p, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/smg_fuzz_pl_XXXXXX";
    size_t i, k = 0, start = 0;
    smg_org *org = NULL;
    int have[NFILES] = { 0 };
    if (!mkdtemp(dir))
        return 0;
    for (i = 0; k < NFILES; i++) {
        int end = i + 6 > size;
        if (end || memcmp(data + i, "\n====\n", 6) == 0) {
            size_t stop = end ? size : i + 1;
            put(dir, names[k], data + start, stop - start);
            have[k++] = 1;
            if (end)
                break;
            start = i + 6;
            i += 5;
        }
    }
    for (k = 0; k < NFILES; k++)
        if (!have[k] && defaults[k])
            put(dir, names[k], (const uint8_t *)defaults[k], strlen(defaults[k]));
    if (smg_org_new(&org, NULL) == 0) {
        int rc = smg_dataset_load(org, dir);
        if (rc != 0 && (smg_org_count(org, SMG_COUNT_MEMBERS) != 0 ||
                        smg_org_count(org, SMG_COUNT_EVENTS) != 0 ||
                        smg_org_error_count(org) == 0))
            abort(); /* half-loaded, or failed without a message */
        if (rc == 0) {
            pl_result a, b;
            int r1 = pl_run(org, NULL, 1, &a);
            int r2 = pl_run(org, NULL, 1, &b);
            if (r1 != r2 || a.digest != b.digest)
                abort(); /* a second run on the same org differs */
        }
        smg_org_free(org);
    }
    for (k = 0; k < NFILES; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
