/* The salesmgmt command: what every command shares (exit codes, option
 * parsing, loading a dataset). A command is a function run with its own
 * argv, where argv[0] is the command name. Uses only the public API. */
#ifndef SMG_CLI_H
#define SMG_CLI_H

#include <stddef.h>

#include <salesmgmt.h>

#include "out.h"

/* Exit status (DATASET.md "Commands"). */
enum {
    CLI_OK = 0,
    CLI_USAGE = 1, /* bad arguments */
    CLI_DATA = 2,  /* the dataset has errors */
    CLI_IO = 3     /* a file could not be read or written */
};

/* One option of a command: "--name VALUE" or "--name=VALUE" when @c value
 * is set, a bare "--name" when @c flag is set. Giving one twice is a usage
 * error. */
typedef struct cli_option {
    const char *name;   /* without the dashes: "period" */
    const char **value; /* receives the value (left alone when not given) */
    int *flag;          /* set to 1 when given */
} cli_option;

/* Parse argv[1..argc) of command argv[0]: options from @p opts (a table
 * ended by a NULL name) in any order, the rest positional into pos[0..]
 * (between @p min_pos and @p max_pos of them; *npos receives how many).
 * "--" ends the options. Every command also takes --bom (see
 * cli_format()) and --help: the command's synopsis, summary and options
 * (those of @p opts, described by main.c's table) on stdout, then exit(0)
 * — before anything else is looked at. On a usage error prints the message
 * and the command's synopsis to stderr. @return CLI_OK or CLI_USAGE */
int cli_parse(int argc, char **argv, const cli_option *opts, const char **pos,
              size_t min_pos, size_t max_pos, size_t *npos);

/* Print "salesmgmt CMD: <message>" and the command's synopsis to stderr.
 * @return CLI_USAGE */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parse a --format value (table, csv, json, xlsx); NULL gives the default
 * (table). Prints a usage error for anything else, for --bom without csv,
 * and for xlsx onto a terminal. Arranges the BOM of --bom and the sheet
 * name of a one-table workbook (the command's). @return CLI_OK or
 * CLI_USAGE */
int cli_format(const char *cmd, const char *text, out_format *fmt);

/* A required --period: "YYYY", "YYYY-Qn", "YYYY-MM" or "FROM..TO" into
 * [*from, *to]. @return CLI_OK or CLI_USAGE (message printed) */
int cli_period(const char *cmd, const char *text, smg_date *from, smg_date *to);

/* Member @p id given to option --@p opt must exist in @p org (its index in
 * *index, which may be NULL). On a usage error @p org is freed.
 * @return CLI_OK or CLI_USAGE (message printed) */
int cli_member(const char *cmd, smg_org *org, const char *opt, const char *id, size_t *index);

/* 1 if member @p member_id leads a team of @p org (so may see team rows
 * under --as), else 0. */
int cli_leads(const smg_org *org, const char *member_id);

/* A library call on @p org failed with @p rc: print its message, free the
 * org. @return the exit status for @p rc */
int cli_fail(const char *cmd, smg_org *org, int rc);

/* Columns for notice counts ("collisions", "releases", "claims_late",
 * "claims_invalid", "late_followups", and with @p duplicates
 * "duplicates"), and the cells of one row from counts indexed by
 * smg_notice_kind. */
void cli_notice_cols(out_table *t, int duplicates);
void cli_notice_cells(out_table *t, const long long count[SMG_NOTICE_KIND_DUPLICATE + 1],
                      int duplicates);

/* Event @p pos (a log position) as results name it (DATASET.md): its id,
 * else "events.csv:LINE" (the file's own line, SMG_EVENT_LINE), else — an
 * event not loaded from a file — "event #N", its input position. */
void cli_event_ref(const smg_org *org, size_t pos, char *buf, size_t len);

/* a + b, or SMG_MONEY_NONE (shown as null) when either is or the sum
 * overflows: totals of money columns. */
smg_money cli_money_add(smg_money a, smg_money b);

/* Parse a --lang value ("en" when NULL, or "zh") into *lang.
 * @return CLI_OK or CLI_USAGE (message printed) */
int cli_lang(const char *cmd, const char *text, const char **lang);

/* Parse a whole number in [min, max] given to option --@p opt.
 * @return CLI_OK or CLI_USAGE (message printed) */
int cli_number(const char *cmd, const char *opt, const char *text, long long min,
               long long max, long long *out);

/* Load dataset folder @p dir into a new org; then, with @p policy (may be
 * NULL), that file's settings on top of the dataset's policy.conf. With
 * --encoding ENC (cli_parse() takes it for every command with a DATASET
 * argument), the folder's CSV files are converted first (cli_prepare()).
 * Every error goes to stderr. @return CLI_OK (*out set), CLI_USAGE (an
 * unknown encoding), CLI_DATA or CLI_IO (*out NULL) */
int cli_load(const char *cmd, const char *dir, const char *policy, smg_org **out);

/* The --encoding given to cli_parse(), or NULL. */
const char *cli_encoding(void);

/* An error met before the library (converting a file): the file (NULL =
 * none), its line (0 = none), what was wrong. */
typedef struct cli_note {
    char *file;
    long line;
    char *message;
} cli_note;

/* A dataset folder made ready for the loader (encoding.c). */
typedef struct cli_prep {
    const char *dir;      /* the folder to load: the dataset's own, or tmp */
    const char *orig;     /* the dataset's folder when converted, else NULL */
    char *tmp;            /* the temporary folder, until cli_prepare_done() */
    char tmp_name[512];   /* its name, kept for messages */
    cli_note *errors;     /* what went wrong converting */
    size_t nerrors;
} cli_prep;

/* With @p encoding (NULL or UTF-8: nothing to do), convert every *.csv of
 * @p dir (but those starting with a UTF-8 BOM) and a policy.conf that is
 * not UTF-8 into a temporary folder, with iconv. @return CLI_OK (p->dir is
 * the folder to load), CLI_USAGE (unknown encoding; printed), CLI_DATA
 * (text not in the encoding) or CLI_IO, the errors in p->errors */
int cli_prepare(const char *cmd, const char *dir, const char *encoding, cli_prep *p);
/* Remove the temporary folder (its name stays in tmp_name). */
void cli_prepare_remove(cli_prep *p);
/* Remove the temporary folder; free the errors. */
void cli_prepare_done(cli_prep *p);
/* @p msg with the temporary folder named as the dataset's (into buf, or
 * msg itself when it names none). */
const char *cli_prep_text(const cli_prep *p, const char *msg, char *buf, size_t len);

/* What cli_load_quiet() leaves: the org (loaded; or holding the library's
 * errors; NULL when the library was not reached) and what went before. */
typedef struct cli_loaded {
    smg_org *org;
    int lib_rc;           /* the failed library call's status, 0 */
    cli_prep prep;
} cli_loaded;

/* cli_load() printing nothing: on failure the errors stay in *l for the
 * caller (cli_print_load_errors(), or check's JSON). Free with
 * cli_loaded_free() (the org too, unless the caller took it: set l->org to
 * NULL). @return the exit status */
int cli_load_quiet(const char *cmd, const char *dir, const char *policy, cli_loaded *l);
void cli_loaded_free(cli_loaded *l);
/* Print the errors of a failed cli_load_quiet() to stderr, and the line
 * "salesmgmt CMD: N errors (...)" counting those not kept too. */
void cli_print_load_errors(const char *cmd, const cli_loaded *l);

/* The exit status for a library status code: SMG_EIO -> CLI_IO, others
 * CLI_DATA, 0 -> CLI_OK. */
int cli_status(int rc);

/* Commands (one file each). */
int cmd_check(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_tiers(int argc, char **argv);
int cmd_visits(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_attribute(int argc, char **argv);
int cmd_rotation(int argc, char **argv);
int cmd_pay(int argc, char **argv);
int cmd_scorecard(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_reminders(int argc, char **argv);

/* Tables shared by kpi, pay, report and demo. Each takes an optional
 * first column @p lead_col holding @p lead_val in every row (NULL = none).
 * @return a new table (check it with out_table_write() or the doc), or NULL
 * when out of memory */

/* The rows of @p r whose subject kind is in @p kinds (a bit set of
 * 1u << smg_subject_kind): subject ("member:ID", "team:ID", "company"),
 * name, then the KPIs named in @p keys (NULL-terminated; NULL = every KPI
 * the library knows, in smg_kpi_field order): money as money, counts as
 * integers, rates as rates. With CLI_KPI_RECONCILE in @p kinds (and the
 * teams and the company), the reconciliation rows of cli_kpi_reconcile()
 * after the company's. (kpi.c) */
out_table *cli_kpi_table(const smg_org *org, const smg_kpi_report *r, unsigned kinds,
                         const char *lead_col, const char *lead_val, const char *const *keys);

/* Reconciliation of the company with its top teams (the teams without a
 * parent), in kpi and targets: the lines that make the top teams add up to
 * the company, each shown only when it is not zero. */
#define CLI_KPI_RECONCILE (1u << 8) /* a bit for cli_kpi_table()'s kinds */
#define CLI_UNSPLIT_SUBJECT "company:unsplit"
#define CLI_UNSPLIT_NAME "company (not split to a team)"
#define CLI_UNSPLIT_NOTE                                                                       \
    "company (not split to a team): the company's target less its top teams' (a team "        \
    "without a target of its own has its members' and child teams'): why the company's "     \
    "completion_rate differs from theirs."
#define CLI_UNCREDITED_SUBJECT "company:uncredited"
#define CLI_UNCREDITED_NAME "company (not credited to a member)"
#define CLI_UNCREDITED_NOTE                                                                  \
    "company (not credited to a member): deals credited to the company by a manager's "  \
    "decision (reason company) count in the company row only; the top teams plus this line " \
    "make the company row."
#define CLI_CLOSE_RATE_NOTE                                                                  \
    "close_rate = deals / receptions; deals without a reception in the period (returning " \
    "customers, phone sales) can make it pass 100%"

#define CLI_NUNCREDITED 4
typedef struct cli_reconcile {
    /* the company's less the top teams' sales_amount, deal_count,
     * gross_profit, new_customer_count */
    int64_t uncredited[CLI_NUNCREDITED];
    int64_t unsplit; /* the company's target_amount less the top teams' */
    int has_uncredited, has_unsplit; /* the line is not zero */
} cli_reconcile;

/* The reconciliation of KPI report @p r into *out. @return 1 when @p r has
 * the company and every top team (full rights) and a line is not zero,
 * else 0 */
int cli_kpi_reconcile(const smg_org *org, const smg_kpi_report *r, cli_reconcile *out);

/* Every row of @p r: member, name (when @p with_name), then the fields
 * named in @p keys (NULL-terminated; NULL = the columns of DATASET.md):
 * scores as numbers with two decimals, rates as rates, money as money.
 * (pay.c) */
out_table *cli_pay_table(const smg_org *org, const smg_pay_report *r, const char *lead_col,
                         const char *lead_val, int with_name, const char *const *keys);

/* Every member row of @p r: member, name (when @p with_name), work_score,
 * source, scorecard_score, and the sums of their lines' faults, missed
 * deadlines and doubled deductions. (scorecard.c) */
out_table *cli_scorecard_table(const smg_org *org, const smg_scorecard *r, const char *lead_col,
                               const char *lead_val, int with_name);

#endif /* SMG_CLI_H */
