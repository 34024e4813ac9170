/* The sample dataset generator behind `salesmgmt gen` (and the demo's
 * fallback when the bundled sample is missing). */
#ifndef SMG_CLI_GEN_H
#define SMG_CLI_GEN_H

#include <stdint.h>

typedef struct gen_params {
    long members;     /* >= 3 */
    long customers;   /* >= 1 */
    long long events; /* exactly this many events are written */
    uint64_t seed;    /* same parameters and seed = same bytes */
} gen_params;

#define GEN_PARAMS_DEFAULT { 40, 2000, 50000, 1 }
/* The bundled sample, examples/data: `salesmgmt gen --out examples/data
 * --members 12 --customers 300 --events 10000 --seed 7` */
#define GEN_PARAMS_SAMPLE { 12, 300, 10000, 7 }

/* The files gen writes into its folder, NULL-terminated. */
extern const char *const gen_files[];

/* Write a dataset into folder @p dir (created when missing). Errors go to
 * stderr, prefixed with "salesmgmt CMD: ".
 * @return CLI_OK, CLI_USAGE (bad parameters) or CLI_IO */
int gen_dataset(const char *cmd, const char *dir, const gen_params *p);

#endif /* SMG_CLI_GEN_H */
