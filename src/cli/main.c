/* salesmgmt: the command-line client of libsalesmgmt (DATASET.md
 * "Commands"). This file dispatches to the commands and holds what they
 * share: option parsing, usage messages, loading a dataset. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* after "salesmgmt NAME " */
    const char *summary;
} command;

/* New commands go here, in the order of DATASET.md. */
static const command commands[] = {
    { "check", cmd_check, "DATASET [--policy FILE] [--format table|csv|json]",
      "validate a dataset; print its errors or a one-line summary" },
    { "kpi", cmd_kpi,
      "DATASET --period P [--by member|team] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json]",
      "every KPI per member, or per team and the company (the text table shows the main "
      "ones; csv and json have them all)" },
    { "targets", cmd_targets,
      "DATASET --period P [--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "derived targets of the company, the teams and the members, and the team split gaps" },
    { "tiers", cmd_tiers,
      "DATASET (--year YYYY | --as-of DATE) [--method threshold|pareto] [--lang en|zh] "
      "[--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "customer tiers (客户分级) by annual sales" },
    { "visits", cmd_visits,
      "DATASET --as-of DATE [--member ID] [--lang en|zh] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json]",
      "visits due and overdue per tier, with the member responsible" },
    { "attribute", cmd_attribute,
      "DATASET [--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "credit and reason for every deal, with collisions, releases and rejected claims" },
    { "rotation", cmd_rotation,
      "DATASET --day DATE [--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "the day's reception order and who received whom" },
    { "pay", cmd_pay,
      "DATASET --period YYYY-MM [--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "assessment scores and pay lines per member for a month" },
    { "report", cmd_report,
      "DATASET --period P [--html FILE] [--as MEMBER] [--policy FILE] [--format table|csv|json]",
      "the whole picture for a manager: KPIs, targets, attribution, tiers, visits, pay" },
    { "demo", cmd_demo, "[DATASET] [--format table|csv|json]",
      "load a dataset (by default the installed sample) and print what the library knows" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    size_t i;
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    size_t i;
    fputs("usage: salesmgmt COMMAND [ARGS]\n\ncommands:\n", f);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  salesmgmt %s %s\n      %s\n", commands[i].name, commands[i].synopsis,
                commands[i].summary);
    fputs("\nevery command that reads a DATASET also takes --encoding ENC: its CSV files\n"
          "are in ENC (e.g. gb18030, as Chinese Excel saves \"CSV\"), not UTF-8\n", f);
    fputs("\nexit status: 0 ok, 1 usage error, 2 data error, 3 I/O error\n", f);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    const command *c = find_command(cmd);
    va_list ap;
    fprintf(stderr, "salesmgmt %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (c)
        fprintf(stderr, "usage: salesmgmt %s %s\n", c->name, c->synopsis);
    return CLI_USAGE;
}

/* --encoding ENC, taken by every command that reads a DATASET (one with a
 * positional argument) for cli_load(). */
static const char *encoding_opt;

const char *cli_encoding(void)
{
    return encoding_opt;
}

int cli_parse(int argc, char **argv, const cli_option *opts, const char **pos,
              size_t min_pos, size_t max_pos, size_t *npos)
{
    const char *cmd = argv[0];
    size_t n = 0, k;
    int i, only_pos = 0, enc_seen = 0;
    unsigned char seen[64] = { 0 };

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *eq, *val = NULL;
        const cli_option *o = NULL;
        size_t len;
        if (only_pos || a[0] != '-' || a[1] != '-' || !a[2]) {
            if (!only_pos && strcmp(a, "--") == 0) {
                only_pos = 1;
                continue;
            }
            if (!only_pos && a[0] == '-' && a[1])
                return cli_usage_error(cmd, "unknown option %s", a);
            if (n >= max_pos)
                return cli_usage_error(cmd, "unexpected argument \"%s\"", a);
            pos[n++] = a;
            continue;
        }
        a += 2;
        eq = strchr(a, '=');
        len = eq ? (size_t)(eq - a) : strlen(a);
        for (k = 0; opts && opts[k].name; k++)
            if (strlen(opts[k].name) == len && strncmp(opts[k].name, a, len) == 0) {
                o = &opts[k];
                break;
            }
        if (!o && max_pos > 0 && len == 8 && strncmp(a, "encoding", 8) == 0) {
            if (enc_seen++)
                return cli_usage_error(cmd, "option --encoding given twice");
            if (eq)
                encoding_opt = eq + 1;
            else if (i + 1 < argc)
                encoding_opt = argv[++i];
            else
                return cli_usage_error(cmd, "option --encoding needs a value");
            continue;
        }
        if (!o)
            return cli_usage_error(cmd, "unknown option --%.*s", (int)len, a);
        if (k < sizeof seen && seen[k]++)
            return cli_usage_error(cmd, "option --%s given twice", o->name);
        if (o->value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return cli_usage_error(cmd, "option --%s needs a value", o->name);
            *o->value = val;
        } else {
            if (eq)
                return cli_usage_error(cmd, "option --%s takes no value", o->name);
            if (o->flag)
                *o->flag = 1;
        }
    }
    if (n < min_pos)
        return cli_usage_error(cmd, "missing argument");
    if (npos)
        *npos = n;
    return CLI_OK;
}

int cli_format(const char *cmd, const char *text, out_format *fmt)
{
    if (!text) {
        *fmt = OUT_TABLE;
        return CLI_OK;
    }
    if (out_format_parse(text, fmt))
        return cli_usage_error(cmd, "--format must be table, csv or json, not \"%s\"", text);
    return CLI_OK;
}

int cli_period(const char *cmd, const char *text, smg_date *from, smg_date *to)
{
    if (!text)
        return cli_usage_error(cmd, "--period is required");
    smg_period p;
    if (smg_period_parse(&p, text))
        return cli_usage_error(cmd,
                               "--period: \"%s\" is not a period (YYYY, YYYY-Qn, YYYY-MM or "
                               "FROM..TO with dates YYYY-MM-DD, FROM not after TO)",
                               text);
    *from = p.from;
    *to = p.to;
    return CLI_OK;
}

int cli_member(const char *cmd, smg_org *org, const char *opt, const char *id, size_t *index)
{
    size_t i;
    if (smg_member_find(org, id, &i)) {
        smg_org_free(org);
        return cli_usage_error(cmd, "--%s: no member \"%s\" in the dataset", opt, id);
    }
    if (index)
        *index = i;
    return CLI_OK;
}

int cli_leads(const smg_org *org, const char *member_id)
{
    size_t m, t, leader, n = smg_team_count(org);
    int none;
    if (smg_member_find(org, member_id, &m))
        return 0;
    for (t = 0; t < n; t++)
        if (!smg_team_index(org, t, SMG_TEAM_LEADER, &leader, &none) && !none && leader == m)
            return 1;
    return 0;
}

int cli_fail(const char *cmd, smg_org *org, int rc)
{
    fprintf(stderr, "salesmgmt %s: %s\n", cmd, smg_org_errmsg(org));
    smg_org_free(org);
    return cli_status(rc);
}

/* Column names of notice counts, indexed by smg_notice_kind. */
static const char *const notice_columns[SMG_NOTICE_KIND_DUPLICATE + 1] = {
    NULL, "collisions", "releases", "claims_late", "claims_invalid", "late_followups",
    "duplicates",
};

void cli_notice_cols(out_table *t, int duplicates)
{
    int k, last = duplicates ? SMG_NOTICE_KIND_DUPLICATE : SMG_NOTICE_KIND_LATE_FOLLOWUP;
    for (k = SMG_NOTICE_KIND_COLLISION; k <= last; k++)
        out_table_col(t, notice_columns[k], OUT_RIGHT);
}

void cli_notice_cells(out_table *t, const long long count[SMG_NOTICE_KIND_DUPLICATE + 1],
                      int duplicates)
{
    int k, last = duplicates ? SMG_NOTICE_KIND_DUPLICATE : SMG_NOTICE_KIND_LATE_FOLLOWUP;
    for (k = SMG_NOTICE_KIND_COLLISION; k <= last; k++)
        out_int(t, count[k]);
}

smg_money cli_money_add(smg_money a, smg_money b)
{
    if (a == SMG_MONEY_NONE || b == SMG_MONEY_NONE || (b > 0 && a > INT64_MAX - b) ||
        (b < 0 && a < INT64_MIN + 1 - b))
        return SMG_MONEY_NONE;
    return a + b;
}

int cli_lang(const char *cmd, const char *text, const char **lang)
{
    if (!text || strcmp(text, "en") == 0) {
        *lang = "en";
        return CLI_OK;
    }
    if (strcmp(text, "zh") == 0) {
        *lang = "zh";
        return CLI_OK;
    }
    return cli_usage_error(cmd, "--lang must be en or zh, not \"%s\"", text);
}

int cli_number(const char *cmd, const char *opt, const char *text, long long min,
               long long max, long long *out)
{
    long long v = 0;
    const char *p = text;
    if (!p || !*p)
        return cli_usage_error(cmd, "--%s needs a whole number", opt);
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
            return cli_usage_error(cmd, "--%s must be a whole number %lld-%lld, not \"%s\"", opt,
                                   min, max, text);
        v = v * 10 + (*p - '0');
    }
    if (v < min)
        return cli_usage_error(cmd, "--%s must be a whole number %lld-%lld, not \"%s\"", opt,
                               min, max, text);
    *out = v;
    return CLI_OK;
}

int cli_status(int rc)
{
    return rc == 0 ? CLI_OK : rc == SMG_EIO ? CLI_IO : CLI_DATA;
}

/* Print every error kept on @p org for a failed call that returned @p rc:
 * the list ends with "… and N more errors" when there were more than it
 * keeps, and the count line counts them too. */
static void print_errors(const char *cmd, const smg_org *org, int rc, const cli_prep *prep)
{
    size_t i, n = smg_org_error_count(org), total = n;
    char buf[1024];
    if (n == 0) {
        const char *m = smg_org_errmsg(org);
        fprintf(stderr, "%s\n",
                m && *m ? cli_prep_text(prep, m, buf, sizeof buf) : smg_strerror(rc));
    }
    for (i = 0; i < n; i++) {
        int64_t more = 0;
        int none = 1;
        fprintf(stderr, "%s\n", cli_prep_text(prep, smg_org_error(org, i), buf, sizeof buf));
        if (!smg_org_error_int(org, i, SMG_ORG_ERROR_MORE, &more, &none) && !none)
            total += (size_t)more - 1; /* the closing line is no error itself */
    }
    fprintf(stderr, "salesmgmt %s: %lu error%s (%s)\n", cmd, (unsigned long)(total ? total : 1),
            total > 1 ? "s" : "", smg_strerror(rc));
}

void cli_print_load_errors(const char *cmd, const cli_loaded *l)
{
    size_t i;
    if (l->org && l->lib_rc) {
        print_errors(cmd, l->org, l->lib_rc, &l->prep);
        return;
    }
    for (i = 0; i < l->prep.nerrors; i++) {
        const cli_note *e = &l->prep.errors[i];
        if (e->file && e->line)
            fprintf(stderr, "%s:%ld: %s\n", e->file, e->line, e->message);
        else if (e->file)
            fprintf(stderr, "%s: %s\n", e->file, e->message);
        else
            fprintf(stderr, "%s\n", e->message);
    }
    if (l->prep.nerrors)
        fprintf(stderr, "salesmgmt %s: %lu error%s converting the dataset (--encoding %s)\n",
                cmd, (unsigned long)l->prep.nerrors, l->prep.nerrors > 1 ? "s" : "",
                cli_encoding() ? cli_encoding() : "");
}

int cli_load_quiet(const char *cmd, const char *dir, const char *policy, cli_loaded *l)
{
    int rc;

    memset(l, 0, sizeof *l);
    if ((rc = cli_prepare(cmd, dir, cli_encoding(), &l->prep)))
        return rc;
    if ((rc = smg_org_new(&l->org, NULL))) {
        fprintf(stderr, "salesmgmt %s: %s\n", cmd, smg_strerror(rc));
        l->org = NULL;
        return CLI_DATA;
    }
    rc = smg_dataset_load(l->org, l->prep.dir);
    /* --policy goes on top of the dataset's policy.conf */
    if (!rc && policy && !(rc = smg_policy_load(l->org, policy)))
        rc = smg_policy_check(l->org);
    l->lib_rc = rc;
    cli_prepare_remove(&l->prep); /* read: only its name stays, for messages */
    return cli_status(rc);
}

void cli_loaded_free(cli_loaded *l)
{
    smg_org_free(l->org);
    l->org = NULL;
    cli_prepare_done(&l->prep);
}

int cli_load(const char *cmd, const char *dir, const char *policy, smg_org **out)
{
    cli_loaded l;
    int rc = cli_load_quiet(cmd, dir, policy, &l);

    *out = NULL;
    if (rc == CLI_OK) {
        *out = l.org;
        l.org = NULL;
    } else if (rc != CLI_USAGE) {
        cli_print_load_errors(cmd, &l);
    }
    cli_loaded_free(&l);
    return rc;
}

int main(int argc, char **argv)
{
    const command *c;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("salesmgmt %s (libsalesmgmt %s)\n", SMG_VERSION_STRING, smg_version_string());
        return CLI_OK;
    }
    c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "salesmgmt: unknown command \"%s\"\n", argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    rc = c->run(argc - 1, argv + 1);
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "salesmgmt %s: error writing the output\n", c->name);
        if (rc == CLI_OK)
            rc = CLI_IO;
    }
    return rc;
}
