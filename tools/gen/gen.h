/* The sample dataset generator behind salesmgmt-gen (tools/gen/main.c). */
#ifndef SMG_TOOLS_GEN_H
#define SMG_TOOLS_GEN_H

#include <stdint.h>

/* Exit status, as the salesmgmt command's (DATASET.md "Commands"). */
enum {
    GEN_OK = 0,
    GEN_USAGE = 1, /* bad arguments */
    GEN_IO = 3     /* a file could not be written */
};

typedef struct gen_params {
    long members;     /* >= 3 */
    long customers;   /* >= 1 */
    long long events; /* exactly this many events are written */
    uint64_t seed;    /* same parameters and seed = same bytes */
    int changes;      /* also the changes after the fact of RULES.md §8: event
                         ids, cancels, refunds, transfers, handovers, links
                         (written on top of the events; 0 = none, and the
                         files are byte for byte those of before) */
} gen_params;

#define GEN_PARAMS_DEFAULT { 40, 2000, 50000, 1, 0 }
/* The bundled sample, examples/data: `salesmgmt-gen --out examples/data
 * --members 12 --customers 300 --events 10000 --seed 7 --changes` */
#define GEN_PARAMS_SAMPLE { 12, 300, 10000, 7, 1 }

/* The files gen writes into its folder, NULL-terminated. */
extern const char *const gen_files[];

/* Write a dataset into folder @p dir (created when missing). Errors go to
 * stderr, prefixed with "PROG: ".
 * @return GEN_OK, GEN_USAGE (bad parameters) or GEN_IO */
int gen_dataset(const char *prog, const char *dir, const gen_params *p);

#endif /* SMG_TOOLS_GEN_H */
