/* Fuzz the dataset loader (CSV reader, money/date/time parsers, event
 * checks). The input is split at the first "\n====\n" into members.csv and
 * events.csv of a fresh folder (with a small scorecard.csv, so that fault
 * and submit events have items to name). Any bytes must load or fail cleanly, and a
 * failed load must leave nothing loaded. A load that succeeds must read
 * back through the log reader: every field of every event, every event id
 * found at its own position, and the log in time order. */
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

/* The invariants of a loaded log; abort() on a breach. */
static void check_log(const smg_org *org)
{
    size_t i, n = smg_event_count(org), pos, f;
    int64_t prev = INT64_MIN;
    for (i = 0; i < n; i++) {
        int64_t v, seq;
        const char *id;
        size_t ix;
        int is_null;
        for (f = 0; smg_event_field_name((smg_event_field)f); f++) {
            smg_type t = smg_event_field_type((smg_event_field)f);
            int rc = t == SMG_TYPE_TEXT    ? smg_event_text(org, i, (smg_event_field)f, &id, &is_null)
                     : t == SMG_TYPE_INDEX ? smg_event_index(org, i, (smg_event_field)f, &ix, &is_null)
                                           : smg_event_int(org, i, (smg_event_field)f, &v, &is_null);
            if (rc)
                abort();
        }
        if (smg_event_int(org, i, SMG_EVENT_AT, &v, NULL) || v < prev)
            abort(); /* out of time order */
        prev = v;
        if (smg_event_int(org, i, SMG_EVENT_SEQ, &seq, NULL) ||
            smg_event_position(org, (size_t)seq, &pos) || pos != i)
            abort();
        if (smg_event_text(org, i, SMG_EVENT_ID, &id, &is_null))
            abort();
        if (!is_null && (smg_event_find(org, id, &pos) || pos != i))
            abort();
    }
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
    put(dir, "scorecard.csv",
        (const uint8_t *)"item,parent,points,deduct,roles,due\nmr,,60,,rep,monthly:31\n"
                         "sum,mr,20,5,,\nwr,,40,10,,weekly:fri\n",
        95);
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
        if (rc == 0)
            check_log(org);
        smg_org_free(org);
    }
    rm(dir, "teams.csv");
    rm(dir, "customers.csv");
    rm(dir, "scorecard.csv");
    rm(dir, "members.csv");
    rm(dir, "events.csv");
    rmdir(dir);
    return 0;
}
