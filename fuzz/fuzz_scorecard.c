/* Fuzz the scorecard file: the input is scorecard.csv of a small dataset
 * (fixed teams, members and events naming items "mr", "wr" and "sum").
 * It must load or fail cleanly (a failed load leaves nothing loaded and
 * says why); a scorecard that loads is read back item by item and the
 * month's scorecard computed and read through every getter. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tests/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *dir, const char *name, const void *p, size_t n)
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

static const char members[] =
    "member_id,name,team_id,role,start_date,end_date,pay_total\n"
    "m1,A,t1,leader,2026-01-01,,\nm2,B,t1,rep,2026-01-01,,\nm3,C,t2,rep,2026-01-01,,\n";
static const char teams[] = "team_id,name,parent_id,leader_id\nt1,T,,m1\nt2,U,t1,\n";
static const char events[] =
    "at,type,member,customer,ref,amount,list_amount,cost,product,channel,outcome,value\n"
    "2026-03-02T09:00,signin,m2,,,,,,,,,\n"
    "2026-03-06T18:00,submit,m2,,wr,,,,,,,\n"
    "2026-03-20T18:00,submit,m3,,mr,,,,,,,\n"
    "2026-03-21T10:00,fault,m3,,sum,,,,,,,\n"
    "2026-03-25T10:00,work_score,m2,,,,,,,,,80\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/smg_fuzz_sc_XXXXXX";
    static const char *const names[] = { "members.csv", "teams.csv", "events.csv",
                                         "scorecard.csv" };
    smg_org *org = NULL;
    size_t k;
    if (!mkdtemp(dir))
        return 0;
    put(dir, "members.csv", members, sizeof members - 1);
    put(dir, "teams.csv", teams, sizeof teams - 1);
    put(dir, "events.csv", events, sizeof events - 1);
    put(dir, "scorecard.csv", data, size);
    if (smg_org_new(&org, NULL) == 0) {
        int rc = smg_dataset_load(org, dir);
        if (rc != 0 && (smg_org_count(org, SMG_COUNT_MEMBERS) != 0 ||
                        smg_scorecard_item_count(org) != 0 || smg_org_error_count(org) == 0))
            abort(); /* half-loaded, or failed without a message */
        if (rc == 0) {
            size_t i, n = smg_scorecard_item_count(org);
            uint64_t h = 0;
            smg_scorecard *sc = NULL;
            smg_scorecard_options o = SMG_SCORECARD_OPTIONS_INIT;
            for (i = 0; i < n; i++) {
                size_t at;
                const char *id = smg_scorecard_item_id(org, i);
                if (!id || smg_scorecard_item_find(org, id, &at) || at != i)
                    abort(); /* an item not found at its own index */
            }
            if (smg_period_month(&o.month, 2026, 3))
                abort();
            if (smg_scorecard_compute(&sc, org, &o) == 0) {
                PL_WALK(&h, 11, sc, smg_scorecard_member_count, smg_scorecard_member_subject,
                        smg_scorecard_member_index, smg_scorecard_member_int,
                        smg_scorecard_member_double, smg_scorecard_member_field_name,
                        smg_scorecard_member_field_type, smg_scorecard_member_field);
                PL_WALK(&h, 12, sc, smg_scorecard_line_count, smg_scorecard_line_subject,
                        smg_scorecard_line_index, smg_scorecard_line_int,
                        smg_scorecard_line_double, smg_scorecard_line_field_name,
                        smg_scorecard_line_field_type, smg_scorecard_line_field);
                smg_scorecard_free(sc);
            } else if (smg_org_error_count(org) == 0) {
                abort();
            }
        }
        smg_org_free(org);
    }
    for (k = 0; k < sizeof names / sizeof *names; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
