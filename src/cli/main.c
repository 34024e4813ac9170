/* salesmgmt: the command-line client of libsalesmgmt (DATASET.md
 * "Commands"). This file dispatches to the commands and holds what they
 * share: option parsing, the options every command takes (--format,
 * --bom, --help), usage messages and help, loading a dataset. */
#if !defined(_POSIX_C_SOURCE) && !defined(_WIN32)
#define _POSIX_C_SOURCE 200112L /* isatty() */
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(_WIN32)
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#else
#include <unistd.h>
#endif

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* after "salesmgmt NAME " */
    const char *summary;
} command;

/* New commands go here, in the order of DATASET.md. */
static const command commands[] = {
    { "check", cmd_check, "DATASET [--policy FILE] [--format table|csv|json|xlsx] [--bom]",
      "validate a dataset; print its errors or a one-line summary" },
    { "kpi", cmd_kpi,
      "DATASET --period P [--by member|team] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "every KPI per member, or per team and the company (the text table shows the main "
      "ones; csv and json have them all)" },
    { "targets", cmd_targets,
      "DATASET --period P [--as MEMBER] [--policy FILE] [--format table|csv|json|xlsx] [--bom]",
      "derived targets of the company, the teams and the members, and the team split gaps" },
    { "tiers", cmd_tiers,
      "DATASET (--year YYYY | --as-of DATE) [--method threshold|pareto] [--lang en|zh] "
      "[--as MEMBER] [--policy FILE] [--format table|csv|json|xlsx] [--bom]",
      "customer tiers (客户分级) by annual sales" },
    { "visits", cmd_visits,
      "DATASET --as-of DATE [--member ID] [--lang en|zh] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "visits due and overdue per tier, with the member responsible" },
    { "attribute", cmd_attribute,
      "DATASET [--as MEMBER] [--policy FILE] [--format table|csv|json|xlsx] [--bom]",
      "credit and reason for every deal, with collisions, releases and rejected claims" },
    { "rotation", cmd_rotation,
      "DATASET --day DATE [--as MEMBER] [--policy FILE] [--format table|csv|json|xlsx] "
      "[--bom]",
      "the day's reception order and who received whom" },
    { "pay", cmd_pay,
      "DATASET --period YYYY-MM [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "assessment scores and pay lines per member for a month" },
    { "scorecard", cmd_scorecard,
      "DATASET --period YYYY-MM [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "the scorecard (考核表) item by item per member for a month, and where each work score "
      "came from" },
    { "reminders", cmd_reminders,
      "DATASET --day DATE [--within N] [--lang en|zh] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "the morning list of each member: protections lapsing, first follow-ups due, claims "
      "still open, visits due or overdue" },
    { "report", cmd_report,
      "DATASET --period P [--html FILE] [--lang zh|en] [--as MEMBER] [--policy FILE] "
      "[--format table|csv|json|xlsx] [--bom]",
      "the whole picture for a manager: KPIs, targets, attribution, tiers, visits, pay; "
      "--html writes it as one printable page" },
    { "demo", cmd_demo, "[DATASET] [--format table|csv|json|xlsx] [--bom]",
      "load a dataset (by default the installed sample) and print what the library knows" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* What `salesmgmt CMD --help` says of an option, by its name: the value it
 * takes and what it does. An option of a command that is not here is
 * listed with "VALUE". */
static const struct option_help {
    const char *name, *value, *text;
} option_help[] = {
    { "period", "P",
      "the period: YYYY, YYYY-Qn, YYYY-MM or FROM..TO (dates YYYY-MM-DD, inclusive)" },
    { "by", "member|team", "one row per member (default), or per team and the company" },
    { "as", "MEMBER", "only what that member may see (RULES.md \xc2\xa7" "1)" },
    { "year", "YYYY", "the calendar year" },
    { "as-of", "DATE", "the day (YYYY-MM-DD)" },
    { "day", "DATE", "the day (YYYY-MM-DD)" },
    { "method", "threshold|pareto", "how customers are tiered (default: the policy's)" },
    { "lang", "en|zh", "the language of tier names in the text table (default en)" },
    { "member", "ID", "only that member's customers" },
    { "html", "FILE", "also write the report as a self-contained HTML page" },
    { "policy", "FILE", "policy settings applied on top of the dataset's policy.conf" },
    { "format", "F",
      "table (default), csv, json, or xlsx: an Excel workbook (a sheet per table, numbers as "
      "numbers) written to standard output, which must then not be a terminal "
      "(salesmgmt ... --format xlsx > out.xlsx)" },
};

/* Options every command takes, besides its own. */
static const struct option_help common_help[] = {
    { "bom", NULL,
      "put a UTF-8 byte order mark before CSV output, so that Excel reads Chinese text "
      "correctly (only with --format csv)" },
    { "encoding", "ENC",
      "the dataset's CSV files are in ENC (e.g. gb18030, as Chinese Excel saves \"CSV\"), "
      "not UTF-8 (commands that read a DATASET)" },
    { "help", NULL, "print this help and exit" },
};

/* --bom was given (cli_parse()); checked and applied by cli_format(). */
static int bom_requested;

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
    fputs("\nevery command also takes --help (its options) and --bom (a UTF-8 byte order mark\n"
          "before CSV output, for Excel); `salesmgmt COMMAND --help` describes them.\n"
          "\nexit status: 0 ok, 1 usage error, 2 data error, 3 I/O error\n",
          f);
}

/* "  --name VALUE        text", the text wrapped at spaces to lines of at
 * most about 96 bytes, under itself. */
static void help_line(FILE *f, const char *name, const char *value, const char *text)
{
    char left[64];
    const char *p = text ? text : "";
    int first = 1;
    snprintf(left, sizeof left, "--%s%s%s", name, value ? " " : "", value ? value : "");
    if (strlen(left) > 20) {
        fprintf(f, "  %s\n", left);
        left[0] = 0;
    }
    do {
        size_t n = strlen(p), cut = n;
        if (n > 72) {
            for (cut = 72; cut > 0 && p[cut] != ' '; cut--)
                ;
            if (!cut)
                cut = n;
        }
        fprintf(f, "  %-20s  %.*s\n", first ? left : "", (int)cut, p);
        first = 0;
        p += cut;
        while (*p == ' ')
            p++;
    } while (*p);
}

/* `salesmgmt CMD --help`: the synopsis, what the command does, and every
 * option of @p opts and the common ones, to stdout. */
static void command_help(const char *cmd, const cli_option *opts)
{
    const command *c = find_command(cmd);
    size_t k, i;
    if (c)
        printf("usage: salesmgmt %s %s\n\n%s\n\noptions:\n", c->name, c->synopsis, c->summary);
    else
        printf("usage: salesmgmt %s\n\noptions:\n", cmd);
    for (k = 0; opts && opts[k].name; k++) {
        const struct option_help *h = NULL;
        for (i = 0; i < sizeof option_help / sizeof option_help[0]; i++)
            if (strcmp(option_help[i].name, opts[k].name) == 0)
                h = &option_help[i];
        help_line(stdout, opts[k].name, opts[k].value ? (h ? h->value : "VALUE") : NULL,
                  h ? h->text : NULL);
    }
    for (i = 0; i < sizeof common_help / sizeof common_help[0]; i++)
        help_line(stdout, common_help[i].name, common_help[i].value, common_help[i].text);
    fputs("\nexit status: 0 ok, 1 usage error, 2 data error, 3 I/O error\n", stdout);
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
    int i, only_pos = 0, bom_seen = 0, enc_seen = 0;
    unsigned char seen[64] = { 0 };

    /* --help anywhere (before "--") wins over everything else */
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0) {
            command_help(cmd, opts);
            fflush(stdout);
            exit(ferror(stdout) ? CLI_IO : CLI_OK);
        }
    bom_requested = 0;
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
        if (strcmp(a, "bom") == 0) { /* an option of every command */
            if (bom_seen++)
                return cli_usage_error(cmd, "option --bom given twice");
            bom_requested = 1;
            continue;
        }
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
    if (!text)
        *fmt = OUT_TABLE;
    else if (out_format_parse(text, fmt))
        return cli_usage_error(cmd, "--format must be table, csv, json or xlsx, not \"%s\"",
                               text);
    if (bom_requested && *fmt != OUT_CSV)
        return cli_usage_error(cmd, "--bom goes with --format csv only");
    if (*fmt == OUT_XLSX && isatty(fileno(stdout)))
        return cli_usage_error(cmd, "--format xlsx writes a workbook to standard output, "
                                    "which is a terminal: redirect it to a file "
                                    "(> out.xlsx)");
    if (bom_requested)
        out_csv_bom(stdout);
    out_xlsx_name(cmd); /* a workbook of one table: its sheet */
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

void cli_event_ref(const smg_org *org, size_t pos, char *buf, size_t len)
{
    const char *id = NULL;
    int64_t n = 0;
    int is_null = 1;
    if (!smg_event_text(org, pos, SMG_EVENT_ID, &id, &is_null) && !is_null && id)
        snprintf(buf, len, "%s", id);
    else if (!smg_event_int(org, pos, SMG_EVENT_LINE, &n, &is_null) && !is_null)
        snprintf(buf, len, "events.csv:%lld", (long long)n);
    else if (!smg_event_int(org, pos, SMG_EVENT_SEQ, &n, NULL))
        snprintf(buf, len, "event #%lld", (long long)n);
    else
        snprintf(buf, len, "?");
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
    if (strcmp(argv[1], "help") == 0 && argc == 3 && find_command(argv[2])) {
        /* salesmgmt help CMD = salesmgmt CMD --help */
        char *args[] = { argv[2], "--help", NULL };
        return find_command(argv[2])->run(2, args);
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
