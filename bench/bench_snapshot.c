#define _POSIX_C_SOURCE 200809L
/* Opening a dataset: the CSV files (smg_dataset_load) against its snapshot
 * (smg_org_open), end to end — what a user waits for before the first
 * figure. Prints each time, the snapshot's size and read rate, and the
 * ratio of the two, over several rounds (the VM is noisy: min and max).
 *   ./build/tools/gen/salesmgmt-gen --out /tmp/big --members 2000 --customers 1000000 --events 10000000
 *   ./build/bench/bench_snapshot /tmp/big [ROUNDS] [SNAPSHOT_PATH]
 * The snapshot is written beside the dataset unless a path is given (put it
 * on the same disk as the CSV for a fair comparison). The page cache is
 * warm for both: the first load reads the CSV once before the rounds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "bench_util.h"

static double load_csv(const char *dir, smg_org **out)
{
    double t0 = now();
    if (smg_org_new(out, NULL) || smg_dataset_load(*out, dir)) {
        fprintf(stderr, "load failed: %s\n", *out ? smg_org_errmsg(*out) : "no memory");
        exit(2);
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : NULL;
    int rounds = argc > 2 ? atoi(argv[2]) : 3, r;
    char snap[4096];
    smg_org *org = NULL;
    double csv_min = 1e9, csv_max = 0, open_min = 1e9, open_max = 0, t, t0;
    struct stat st;
    if (!dir) {
        fprintf(stderr, "usage: bench_snapshot DATASET [ROUNDS] [SNAPSHOT_PATH]\n");
        return 1;
    }
    snprintf(snap, sizeof snap, "%s", argc > 3 ? argv[3] : "");
    if (!*snap)
        snprintf(snap, sizeof snap, "%s/dataset.snap", dir);
    load_csv(dir, &org); /* warm the page cache */
    t0 = now();
    if (smg_org_save(org, snap)) {
        fprintf(stderr, "save failed: %s\n", smg_org_errmsg(org));
        return 2;
    }
    t = now() - t0;
    stat(snap, &st);
    printf("events %zu; snapshot %.1f MB, saved in %.3f s (with fsync)\n",
           smg_org_count(org, SMG_COUNT_EVENTS), st.st_size / 1e6, t);
    smg_org_free(org);
    for (r = 0; r < rounds; r++) {
        t = load_csv(dir, &org);
        smg_org_free(org);
        csv_min = t < csv_min ? t : csv_min;
        csv_max = t > csv_max ? t : csv_max;
        t0 = now();
        if (smg_org_open(&org, snap, NULL)) {
            fprintf(stderr, "open failed: %s\n", smg_org_errmsg(org));
            return 2;
        }
        t = now() - t0;
        smg_org_free(org);
        open_min = t < open_min ? t : open_min;
        open_max = t > open_max ? t : open_max;
    }
    printf("load CSV      %.3f-%.3f s\n", csv_min, csv_max);
    printf("open snapshot %.3f-%.3f s  (%.2f-%.2f GB/s)\n", open_min, open_max,
           st.st_size / open_max / 1e9, st.st_size / open_min / 1e9);
    printf("ratio CSV / snapshot: %.1f-%.1fx\n", csv_min / open_max, csv_max / open_min);
    return 0;
}
