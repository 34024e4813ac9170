/* salesmgmt-gen --out DIR [--members N] [--customers N] [--events N] [--seed S]
 * [--changes]:
 * write a realistic, deterministic sample dataset (gen.c) for tests,
 * benchmarks and the bundled sample. A development tool, built with the
 * project and not installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define PROG "salesmgmt-gen"
#define SYNOPSIS "--out DIR [--members N] [--customers N] [--events N] [--seed S] [--changes]"

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " " SYNOPSIS "\n"
               "  write a realistic, deterministic sample dataset into DIR\n"
               "  (defaults: 40 members, 2000 customers, 50000 events, seed 1; the bundled\n"
               "  sample examples/data is --members 12 --customers 300 --events 10000 --seed 7\n"
               "  --changes)\n"
               "  --changes  also the changes after the fact (RULES.md 8): an id column,\n"
               "             some cancels, refunds, transfers, handovers and links, on top\n"
               "             of the N events (off: the files are exactly those without it)\n"
               "exit status: 0 ok, 1 usage error, 3 I/O error\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, PROG ": ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: " PROG " " SYNOPSIS "\n");
    return GEN_USAGE;
}

/* A whole number in [min, max] given to option --opt. */
static int number(const char *opt, const char *text, long long min, long long max,
                  long long *out)
{
    long long v = 0;
    const char *p = text;
    if (!*p)
        return usage_error("--%s needs a whole number", opt);
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
            break;
        v = v * 10 + (*p - '0');
    }
    if (*p || v < min) {
        fprintf(stderr, PROG ": --%s must be a whole number %lld-%lld, not \"%s\"\n", opt, min,
                max, text);
        fprintf(stderr, "usage: " PROG " " SYNOPSIS "\n");
        return GEN_USAGE;
    }
    *out = v;
    return GEN_OK;
}

int main(int argc, char **argv)
{
    static const char *const names[] = { "out", "members", "customers", "events", "seed" };
    const char *val[5] = { NULL, NULL, NULL, NULL, NULL };
    gen_params p = GEN_PARAMS_DEFAULT;
    long long v;
    int i, k, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *eq;
        size_t len;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return GEN_OK;
        }
        if (strncmp(a, "--", 2) != 0 || !a[2])
            return usage_error("unexpected argument \"%s\"", a);
        if (strcmp(a, "--changes") == 0) {
            if (p.changes)
                return usage_error("option %s given twice", a);
            p.changes = 1;
            continue;
        }
        a += 2;
        eq = strchr(a, '=');
        len = eq ? (size_t)(eq - a) : strlen(a);
        for (k = 0; k < 5; k++)
            if (strlen(names[k]) == len && strncmp(names[k], a, len) == 0)
                break;
        if (k == 5)
            return usage_error("unknown option --%s", a);
        if (val[k])
            return usage_error("option --%s given twice", names[k]);
        if (eq)
            val[k] = eq + 1;
        else if (i + 1 < argc)
            val[k] = argv[++i];
        else
            return usage_error("option --%s needs a value", names[k]);
    }
    if (!val[0])
        return usage_error("%s", "--out DIR is required");
    if (val[1]) {
        if ((rc = number("members", val[1], 3, 1000000, &v)))
            return rc;
        p.members = (long)v;
    }
    if (val[2]) {
        if ((rc = number("customers", val[2], 1, 50000000, &v)))
            return rc;
        p.customers = (long)v;
    }
    if (val[3]) {
        if ((rc = number("events", val[3], 0, 2000000000, &v)))
            return rc;
        p.events = v;
    }
    if (val[4]) {
        if ((rc = number("seed", val[4], 0, INT64_MAX, &v)))
            return rc;
        p.seed = (uint64_t)v;
    }
    rc = gen_dataset(PROG, val[0], &p);
    if (rc == GEN_OK && (fflush(stdout) || ferror(stdout)))
        rc = GEN_IO;
    return rc;
}
