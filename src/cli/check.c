/* salesmgmt check DATASET [--policy FILE] [--encoding ENC] [--format F]:
 * validate a dataset. On errors: every error (up to the library's limit,
 * then how many more), exit 2 (3 for I/O); with --format json, on stdout
 * {"ok":false,"errors":[{"file","line","column","message"}, …],"more":N}
 * (DATASET.md "Errors"). On success: the one-line summary, then what was
 * read (the rows of every file), what was ignored (files, columns) and the
 * policy values that differ from the defaults, and the cancels (RULES.md
 * §8): each cancel, the event it voids (id, type, line) and the moments of
 * both; warnings on stderr (in the JSON document with --format json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    smg_count what;
} counts[] = {
    { "teams", SMG_COUNT_TEAMS },         { "members", SMG_COUNT_MEMBERS },
    { "customers", SMG_COUNT_CUSTOMERS }, { "keys", SMG_COUNT_KEYS },
    { "events", SMG_COUNT_EVENTS },       { "deals", SMG_COUNT_DEALS },
    { "targets", SMG_COUNT_TARGETS },     { "profiles", SMG_COUNT_PROFILES },
    { "commission_rows", SMG_COUNT_COMMISSION_ROWS },
};
#define NCOUNTS (sizeof counts / sizeof counts[0])
/* the summary line and the CSV record keep to the first six */
#define NSUMMARY 6

/* Value of policy parameter @p name on @p org, in a buffer grown as needed
 * (free it). NULL when out of memory or unknown. */
static char *policy_value(const smg_org *org, const char *name)
{
    size_t len = 128;
    for (;;) {
        char *buf = malloc(len);
        int n;
        if (!buf)
            return NULL;
        n = smg_policy_get(org, name, buf, len);
        if (n >= 0 && (size_t)n < len)
            return buf;
        free(buf);
        if (n != SMG_ERANGE && n < 0)
            return NULL;
        len = n > 0 ? (size_t)n + 1 : len * 2;
        if (len > (1u << 24))
            return NULL;
    }
}

/* The policy parameters whose values differ from a fresh org's: a table of
 * name, default, value. NULL when out of memory. */
static out_table *policy_table(const smg_org *org)
{
    out_table *t = out_table_new();
    smg_org *fresh = NULL;
    size_t i;
    const char *name;
    if (!t || smg_org_new(&fresh, NULL)) {
        out_table_free(t);
        return NULL;
    }
    out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "default", OUT_LEFT);
    out_table_col(t, "value", OUT_LEFT); /* last: a list of dates may be long */
    for (i = 0; (name = smg_policy_name(i)) != NULL; i++) {
        char *v = policy_value(org, name), *d = policy_value(fresh, name);
        if (v && d && strcmp(v, d) != 0) {
            out_table_row(t);
            out_str(t, name);
            out_str(t, d);
            out_str(t, v);
        }
        free(v);
        free(d);
    }
    smg_org_free(fresh);
    return t;
}

static const char *dataset_text(const smg_org *org, size_t row, smg_dataset_field f)
{
    const char *s = NULL;
    return smg_dataset_text(org, row, f, &s, NULL) ? NULL : s;
}

static int64_t dataset_int(const smg_org *org, size_t row, smg_dataset_field f, int *is_null)
{
    int64_t v = 0;
    if (smg_dataset_int(org, row, f, &v, is_null))
        *is_null = 1;
    return v;
}

/* The files read, a row each: file, rows, the columns ignored (names
 * joined by ", "); then the files ignored. */
static out_table *files_table(const smg_org *org)
{
    out_table *t = out_table_new();
    size_t i, n = smg_dataset_count(org);
    if (!t)
        return NULL;
    out_table_col(t, "file", OUT_LEFT);
    out_table_col(t, "rows", OUT_RIGHT);
    out_table_col(t, "ignored", OUT_LEFT);
    for (i = 0; i < n;) {
        const char *file = dataset_text(org, i, SMG_DATASET_FILE);
        int null_rows = 0, null_ign = 0;
        int64_t rows = dataset_int(org, i, SMG_DATASET_ROWS, &null_rows);
        int ignored = (int)dataset_int(org, i, SMG_DATASET_IGNORED, &null_ign);
        char cols[1024] = "";
        size_t o = 0, j = i + 1;
        /* the ignored columns that follow their file's row */
        for (; j < n && dataset_text(org, j, SMG_DATASET_COLUMN); j++) {
            const char *c = dataset_text(org, j, SMG_DATASET_COLUMN);
            int w = snprintf(cols + o, sizeof cols - o, "%s%s", o ? ", " : "", c);
            if (w < 0 || (size_t)w >= sizeof cols - o) {
                snprintf(cols + (sizeof cols > 5 ? sizeof cols - 5 : 0), 5, "...");
                o = sizeof cols - 1;
            } else {
                o += (size_t)w;
            }
        }
        out_table_row(t);
        out_str(t, file);
        if (null_rows)
            out_null(t);
        else
            out_int(t, (long long)rows);
        out_str(t, ignored ? "(whole file)" : o ? cols : NULL);
        i = j;
    }
    return t;
}

/* One cancel: log positions of the cancel and of the event it voids. */
typedef struct cancel_pair {
    size_t cancel, target;
} cancel_pair;

static int pair_cmp(const void *pa, const void *pb)
{
    const cancel_pair *a = pa, *b = pb;
    return a->cancel < b->cancel ? -1 : a->cancel > b->cancel;
}

static void time_cell(out_table *t, const smg_org *org, size_t pos)
{
    char buf[32];
    int64_t at = 0;
    int is_null = 1;
    if (smg_event_int(org, pos, SMG_EVENT_AT, &at, &is_null) || is_null ||
        smg_time_format(buf, sizeof buf, (smg_time)at) < 0)
        out_null(t);
    else
        out_str(t, buf);
}

/* The cancels of the log, in processing order, from the log reader: a row
 * each with the cancel (cli_event_ref()), the event it voids (its id, type
 * and line in events.csv), that event's moment and the cancel's. An empty
 * table when there are none; NULL when out of memory. */
static out_table *cancels_table(const smg_org *org)
{
    size_t n = smg_event_count(org), i, npairs = 0, *pos_of = NULL;
    cancel_pair *pairs = NULL;
    out_table *t = out_table_new();
    if (!t)
        return NULL;
    out_table_col(t, "event", OUT_LEFT);
    out_table_col(t, "cancels", OUT_LEFT);
    out_table_col(t, "type", OUT_LEFT);
    out_table_col(t, "line", OUT_RIGHT);
    out_table_col(t, "at", OUT_LEFT);
    out_table_col(t, "cancelled_at", OUT_LEFT);
    for (i = 0; i < n; i++) {
        int64_t by = 0;
        int is_null = 1;
        if (!smg_event_int(org, i, SMG_EVENT_CANCELLED_BY, &by, &is_null) && !is_null)
            npairs++;
    }
    if (!npairs)
        return t;
    /* input position -> log position, so each cancel is found in O(1) */
    pos_of = malloc(n * sizeof *pos_of);
    pairs = malloc(npairs * sizeof *pairs);
    if (!pos_of || !pairs) {
        free(pos_of);
        free(pairs);
        out_table_free(t);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        int64_t seq = 0;
        if (!smg_event_int(org, i, SMG_EVENT_SEQ, &seq, NULL) && seq >= 0 && (uint64_t)seq < n)
            pos_of[seq] = i;
    }
    npairs = 0;
    for (i = 0; i < n; i++) {
        int64_t by = 0;
        int is_null = 1;
        if (!smg_event_int(org, i, SMG_EVENT_CANCELLED_BY, &by, &is_null) && !is_null &&
            by >= 0 && (uint64_t)by < n) {
            pairs[npairs].cancel = pos_of[by];
            pairs[npairs++].target = i;
        }
    }
    qsort(pairs, npairs, sizeof *pairs, pair_cmp);
    for (i = 0; i < npairs; i++) {
        char ref[96];
        const char *id = NULL;
        int64_t type = 0, line = 0;
        int no_id = 1, no_line = 1;
        out_table_row(t);
        cli_event_ref(org, pairs[i].cancel, ref, sizeof ref);
        out_str(t, ref);
        smg_event_text(org, pairs[i].target, SMG_EVENT_ID, &id, &no_id);
        out_str(t, no_id ? NULL : id);
        smg_event_int(org, pairs[i].target, SMG_EVENT_TYPE, &type, NULL);
        out_str(t, smg_event_type_name((smg_event_type)type));
        if (smg_event_int(org, pairs[i].target, SMG_EVENT_LINE, &line, &no_line) || no_line)
            out_null(t);
        else
            out_int(t, (long long)line);
        time_cell(t, org, pairs[i].target);
        time_cell(t, org, pairs[i].cancel);
    }
    free(pos_of);
    free(pairs);
    return t;
}

/* --format json on success: {"ok":true,"counts":{…},"files":[…],
 * "ignored":[{"file","column"}…],"warnings":[…],"policy":{name: value},
 * "cancels":[{"event","cancels","type","line","at","cancelled_at"}…]} */
static int json_ok(const smg_org *org, const size_t *v, const out_table *cancels)
{
    out_json j;
    size_t i, n = smg_dataset_count(org);
    out_json_init(&j, stdout);
    out_json_object(&j);
    out_json_key(&j, "ok");
    out_json_bool(&j, 1);
    out_json_key(&j, "counts");
    out_json_object(&j);
    for (i = 0; i < NCOUNTS; i++) {
        out_json_key(&j, counts[i].name);
        out_json_int(&j, (long long)v[i]);
    }
    out_json_end(&j);
    out_json_key(&j, "files");
    out_json_array(&j);
    for (i = 0; i < n; i++) {
        int null_rows = 0, null_ign = 0;
        int64_t rows = dataset_int(org, i, SMG_DATASET_ROWS, &null_rows);
        if (dataset_text(org, i, SMG_DATASET_COLUMN) ||
            dataset_int(org, i, SMG_DATASET_IGNORED, &null_ign))
            continue;
        out_json_object(&j);
        out_json_key(&j, "file");
        out_json_str(&j, dataset_text(org, i, SMG_DATASET_FILE));
        out_json_key(&j, "rows");
        if (null_rows)
            out_json_null(&j);
        else
            out_json_int(&j, (long long)rows);
        out_json_end(&j);
    }
    out_json_end(&j);
    out_json_key(&j, "ignored");
    out_json_array(&j);
    for (i = 0; i < n; i++) {
        int null_ign = 0;
        if (!dataset_int(org, i, SMG_DATASET_IGNORED, &null_ign))
            continue;
        out_json_object(&j);
        out_json_key(&j, "file");
        out_json_str(&j, dataset_text(org, i, SMG_DATASET_FILE));
        out_json_key(&j, "column");
        out_json_str(&j, dataset_text(org, i, SMG_DATASET_COLUMN));
        out_json_end(&j);
    }
    out_json_end(&j);
    out_json_key(&j, "warnings");
    out_json_array(&j);
    for (i = 0; i < smg_org_warning_count(org); i++)
        out_json_str(&j, smg_org_warning(org, i));
    out_json_end(&j);
    out_json_key(&j, "policy");
    out_json_object(&j);
    {
        smg_org *fresh = NULL;
        const char *name;
        if (!smg_org_new(&fresh, NULL)) {
            for (i = 0; (name = smg_policy_name(i)) != NULL; i++) {
                char *a = policy_value(org, name), *b = policy_value(fresh, name);
                if (a && b && strcmp(a, b) != 0) {
                    out_json_key(&j, name);
                    out_json_str(&j, a);
                }
                free(a);
                free(b);
            }
            smg_org_free(fresh);
        }
    }
    out_json_end(&j);
    out_json_key(&j, "cancels");
    out_json_table(&j, cancels);
    out_json_end(&j);
    return out_json_finish(&j) ? CLI_IO : CLI_OK;
}

/* --format json on a failed load: every error with its place. */
static int json_errors(const cli_loaded *l)
{
    out_json j;
    size_t i, n;
    long long more = 0;
    char buf[1024];
    out_json_init(&j, stdout);
    out_json_object(&j);
    out_json_key(&j, "ok");
    out_json_bool(&j, 0);
    out_json_key(&j, "errors");
    out_json_array(&j);
    if (l->org && l->lib_rc) {
        const smg_org *org = l->org;
        n = smg_org_error_count(org);
        for (i = 0; i < n; i++) {
            const char *file = NULL, *col = NULL, *msg = NULL;
            int64_t line = 0, m = 0;
            int no_line = 1, no_more = 1;
            if (!smg_org_error_int(org, i, SMG_ORG_ERROR_MORE, &m, &no_more) && !no_more) {
                more = (long long)m; /* the closing line: "more" */
                continue;
            }
            smg_org_error_text(org, i, SMG_ORG_ERROR_FILE, &file, NULL);
            smg_org_error_int(org, i, SMG_ORG_ERROR_LINE, &line, &no_line);
            smg_org_error_text(org, i, SMG_ORG_ERROR_COLUMN, &col, NULL);
            smg_org_error_text(org, i, SMG_ORG_ERROR_MESSAGE, &msg, NULL);
            out_json_object(&j);
            out_json_key(&j, "file");
            out_json_str(&j, file);
            out_json_key(&j, "line");
            if (no_line)
                out_json_null(&j);
            else
                out_json_int(&j, (long long)line);
            out_json_key(&j, "column");
            out_json_str(&j, col);
            out_json_key(&j, "message");
            out_json_str(&j, cli_prep_text(&l->prep, msg ? msg : "", buf, sizeof buf));
            out_json_end(&j);
        }
        if (n == 0) {
            out_json_object(&j);
            out_json_key(&j, "file");
            out_json_null(&j);
            out_json_key(&j, "line");
            out_json_null(&j);
            out_json_key(&j, "column");
            out_json_null(&j);
            out_json_key(&j, "message");
            out_json_str(&j, smg_strerror(l->lib_rc));
            out_json_end(&j);
        }
    } else {
        for (i = 0; i < l->prep.nerrors; i++) {
            const cli_note *e = &l->prep.errors[i];
            out_json_object(&j);
            out_json_key(&j, "file");
            out_json_str(&j, e->file);
            out_json_key(&j, "line");
            if (e->line)
                out_json_int(&j, e->line);
            else
                out_json_null(&j);
            out_json_key(&j, "column");
            out_json_null(&j);
            out_json_key(&j, "message");
            out_json_str(&j, e->message);
            out_json_end(&j);
        }
    }
    out_json_end(&j);
    out_json_key(&j, "more");
    out_json_int(&j, more);
    out_json_end(&j);
    return out_json_finish(&j);
}

int cmd_check(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL;
    const cli_option opts[] = {
        { "policy", &policy, NULL },
        { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    size_t v[NCOUNTS], i;
    out_table *cancels;
    out_format fmt;
    cli_loaded l;
    smg_org *org;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)))
        return rc;
    rc = cli_load_quiet(argv[0], dir, policy, &l);
    if (rc != CLI_OK) {
        if (rc == CLI_USAGE) {
            /* printed */
        } else if (fmt == OUT_JSON) {
            if (json_errors(&l))
                rc = CLI_IO;
        } else {
            cli_print_load_errors(argv[0], &l);
        }
        cli_loaded_free(&l);
        return rc;
    }
    org = l.org;
    for (i = 0; i < NCOUNTS; i++)
        v[i] = smg_org_count(org, counts[i].what);
    if (!(cancels = cancels_table(org))) {
        fprintf(stderr, "salesmgmt %s: %s\n", argv[0], smg_strerror(SMG_ENOMEM));
        cli_loaded_free(&l);
        return CLI_IO;
    }

    if (fmt == OUT_JSON) {
        rc = json_ok(org, v, cancels);
    } else {
        for (i = 0; i < smg_org_warning_count(org); i++)
            fprintf(stderr, "salesmgmt check: warning: %s\n", smg_org_warning(org, i));
        if (fmt == OUT_TABLE) {
            out_table *files = files_table(org), *pol = policy_table(org);
            printf("ok: %lu teams, %lu members, %lu customers (%lu keys), %lu events, %lu deals\n",
                   (unsigned long)v[0], (unsigned long)v[1], (unsigned long)v[2],
                   (unsigned long)v[3], (unsigned long)v[4], (unsigned long)v[5]);
            putchar('\n');
            rc = files && pol && !out_table_write(files, OUT_TABLE, stdout) ? CLI_OK : CLI_IO;
            if (rc == CLI_OK && out_table_rows(pol)) {
                fputs("\npolicy (values that are not the defaults)\n", stdout);
                rc = out_table_write(pol, OUT_TABLE, stdout) ? CLI_IO : CLI_OK;
            }
            if (rc == CLI_OK && out_table_rows(cancels)) {
                fputs("\ncancels (作废: results are computed as if these events had never "
                      "been logged)\n",
                      stdout);
                rc = out_table_write(cancels, OUT_TABLE, stdout) ? CLI_IO : CLI_OK;
            }
            out_table_free(files);
            out_table_free(pol);
        } else {
            out_table *t = out_table_new();
            out_table_col(t, "ok", OUT_LEFT);
            for (i = 0; i < NSUMMARY; i++)
                out_table_col(t, counts[i].name, OUT_RIGHT);
            out_table_row(t);
            out_bool(t, 1);
            for (i = 0; i < NSUMMARY; i++)
                out_int(t, (long long)v[i]);
            if (!out_table_rows(cancels)) {
                rc = out_record_write(t, fmt, stdout) ? CLI_IO : CLI_OK;
            } else { /* two tables: "# title" sections in CSV, a sheet each */
                out_doc doc;
                out_doc_begin(&doc, stdout, fmt);
                out_doc_record(&doc, "check", "Check", t);
                out_doc_table(&doc, "cancels", "Cancels (作废)", cancels);
                rc = out_doc_end(&doc) ? CLI_IO : CLI_OK;
            }
            out_table_free(t);
        }
    }
    out_table_free(cancels);
    cli_loaded_free(&l);
    return rc;
}
