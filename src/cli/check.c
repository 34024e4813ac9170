/* salesmgmt check DATASET [--policy FILE] [--format F]: validate a dataset;
 * print every error, or a one-line summary of what was loaded. */
#include <stdio.h>

#include "cli.h"

int cmd_check(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL;
    const cli_option opts[] = {
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    static const struct {
        const char *name;
        smg_count what;
    } counts[] = {
        { "teams", SMG_COUNT_TEAMS },         { "members", SMG_COUNT_MEMBERS },
        { "customers", SMG_COUNT_CUSTOMERS }, { "keys", SMG_COUNT_KEYS },
        { "events", SMG_COUNT_EVENTS },       { "deals", SMG_COUNT_DEALS },
    };
    size_t v[sizeof counts / sizeof counts[0]], i;
    out_format fmt;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
        v[i] = smg_org_count(org, counts[i].what);
    smg_org_free(org);

    if (fmt == OUT_TABLE) {
        printf("ok: %lu teams, %lu members, %lu customers (%lu keys), %lu events, %lu deals\n",
               (unsigned long)v[0], (unsigned long)v[1], (unsigned long)v[2],
               (unsigned long)v[3], (unsigned long)v[4], (unsigned long)v[5]);
        return CLI_OK;
    } else {
        out_table *t = out_table_new();
        out_table_col(t, "ok", OUT_LEFT);
        for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
            out_table_col(t, counts[i].name, OUT_RIGHT);
        out_table_row(t);
        out_bool(t, 1);
        for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
            out_int(t, (long long)v[i]);
        rc = out_record_write(t, fmt, stdout);
        out_table_free(t);
        return rc ? CLI_IO : CLI_OK;
    }
}
