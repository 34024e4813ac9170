/* Fuzz the dataset loader (CSV reader, money/date/time parsers, event
 * checks). The input is split at the first "\n====\n" into members.csv and
 * events.csv of a fresh folder. Any bytes must load or fail cleanly, and a
 * failed load must leave nothing loaded. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "salesmgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        return -1;
    if (n && fwrite(p, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

static void rm(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/smg_fuzz_ds_XXXXXX";
    const uint8_t *sep = NULL;
    size_t i, n1 = size;
    smg_org *org = NULL;
    int rc;
    for (i = 0; i + 6 <= size; i++)
        if (memcmp(data + i, "\n====\n", 6) == 0) {
            sep = data + i;
            n1 = i + 1;
            break;
        }
    if (!mkdtemp(dir))
        return 0;
    put(dir, "teams.csv", (const uint8_t *)"team_id,name,parent_id\nt1,T,\nt2,U,t1\n", 36);
    put(dir, "customers.csv", (const uint8_t *)"customer_id,name,group_key\nc1,A,g\nc2,B,g\nc3,C,\n", 45);
    put(dir, "members.csv", data, n1);
    if (sep)
        put(dir, "events.csv", sep + 6, size - (size_t)(sep + 6 - data));
    else
        put(dir, "events.csv", (const uint8_t *)"at,type,member\n", 15);
    if (smg_org_new(&org, NULL) == 0) {
        rc = smg_dataset_load(org, dir);
        if (rc != 0 && (smg_org_count(org, SMG_COUNT_MEMBERS) != 0 ||
                        smg_org_count(org, SMG_COUNT_EVENTS) != 0 ||
                        smg_org_count(org, SMG_COUNT_TEAMS) != 0 ||
                        smg_org_error_count(org) == 0))
            abort(); /* half-loaded, or failed without a message */
        smg_org_free(org);
    }
    rm(dir, "teams.csv");
    rm(dir, "customers.csv");
    rm(dir, "members.csv");
    rm(dir, "events.csv");
    rmdir(dir);
    return 0;
}
