/* The dataset loader (DATASET.md): a folder of CSV files and a policy.conf,
 * read into the organisation as ONE batch, so a load is all or nothing.
 *
 * Files are read in dependency order: policy.conf, teams (two passes: a
 * parent or leader may come later in the file), members, team leaders,
 * customers, profiles, targets, commission, the scorecard, events. After an error the
 * loader goes on, to report every error it can find (the org keeps up to
 * max_errors and counts the others); a file whose header is unusable is not
 * read further, nor are the files that depend on it (their rows would all
 * fail for its sake). A file that looks like GB18030 is one error and
 * counts as unusable too.
 *
 * The folder is listed (POSIX) after policy.conf: a file whose name is a
 * near miss of a dataset file ("target.csv", "Members.csv") is an error;
 * the files not read are ignored, and listed in the dataset table
 * (smg_dataset_*) with the rows read from every file and the columns
 * ignored (unknown columns are warnings; near misses of a known column are
 * errors: csv.c).
 *
 * Every message reads "FILE:LINE: column COL: what". The core formats the
 * place itself for events (org->src_name and org->cur_line, which it also
 * keeps as the event's line: SMG_EVENT_LINE), targets, commission and
 * scorecard rows (org->cur_line); the loader puts it in front of the messages of the team,
 * member, customer and profile calls. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* opendir, stat */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(_WIN32)
#include <dirent.h>
#include <sys/stat.h>
#define SMGI_LIST_FOLDERS 1
#endif

#include "salesmgmt/calendar.h"
#include "salesmgmt/customer.h"
#include "salesmgmt/dataset.h"
#include "salesmgmt/event.h"
#include "salesmgmt/pay.h"
#include "salesmgmt/policy.h"
#include "salesmgmt/scorecard.h"
#include "salesmgmt/target.h"
#include "salesmgmt/team.h"
#include "csv.h"
#include "file.h"
#include "events.h"
#include "fields.h"
#include "money.h"
#include "org.h"
#include "scorecard.h"
#include "targets.h"

#define NCOLS(cols) (sizeof(cols) / sizeof((cols)[0]))

/* The files of a dataset (DATASET.md "CSV files"), for the near misses of
 * their names (scorecard.csv is the scorecard's). policy.conf is last. */
static const char *const dataset_files[] = {
    "teams.csv", "members.csv", "customers.csv", "targets.csv", "profiles.csv",
    "commission.csv", "events.csv", "scorecard.csv", "policy.conf",
};
#define NFILES (sizeof dataset_files / sizeof dataset_files[0])

typedef struct loader {
    smg_org *org;
    const char *dir;
    int io;          /* a file could not be read */
    size_t rows;     /* records read from the current file */
    smgi_strtab folder; /* the folder's other files, sorted */
    unsigned opened; /* bit i: dataset_files[i] was read */
} loader;

/* ---- messages ---- */

static void on_csv_error(void *ctx, int status, const char *msg)
{
    loader *ld = ctx;
    if (status == SMG_EIO)
        ld->io = 1;
    if (status == SMGI_CSV_WARNING) {
        if (smgi_warn(ld->org, "%s", msg))
            smgi_err(ld->org, SMG_ENOMEM, "out of memory");
        return;
    }
    smgi_err(ld->org, status, "%s", msg);
}

/* s as "text" for a message: control characters escaped, cut (at a
 * character boundary) after about 60 bytes. */
static const char *quoted(char *buf, size_t len, const char *s)
{
    size_t o = 0, i;
    buf[o++] = '"';
    for (i = 0; s[i]; i++) {
        unsigned char b = (unsigned char)s[i];
        if (o + 10 > len || (o > 60 && (b & 0xC0) != 0x80)) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (b < 0x20 || b == 0x7f) {
            static const char hex[] = "0123456789abcdef";
            buf[o++] = '\\';
            if (b == '\n' || b == '\r' || b == '\t') {
                buf[o++] = b == '\n' ? 'n' : b == '\r' ? 'r' : 't';
            } else {
                buf[o++] = 'x';
                buf[o++] = hex[b >> 4];
                buf[o++] = hex[b & 15];
            }
        } else {
            buf[o++] = (char)b;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* Report "FILE:LINE: column COL: what" for column k of the current record. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int cell_err(loader *ld, const smgi_csv *c, size_t k, int status, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return smgi_err(ld->org, status, "%s:%lu: column %s: %s", c->name, c->line,
                    c->cols[k].name, what);
}

/* Put the place in front of the messages the core recorded from `from` on. */
static void place(loader *ld, const smgi_csv *c, size_t from, const char *col)
{
    char prefix[200];
    if (ld->org->nerrs <= from)
        return;
    snprintf(prefix, sizeof prefix, "%s:%lu: column %s: ", c->name, c->line, col);
    smgi_err_prefix(ld->org, from, prefix);
}

/* 1 if every required cell of the row has a value; reports the others. */
static int required_cells(loader *ld, const smgi_csv *c)
{
    size_t k;
    int ok = 1;
    for (k = 0; k < c->ncols; k++)
        if (c->cols[k].required && !smgi_csv_get(c, k)) {
            cell_err(ld, c, k, SMG_EINVAL, "a value is required");
            ok = 0;
        }
    return ok;
}

/* ---- cells ---- */

/* Money in column k: SMG_MONEY_NONE when empty. 0 or the error reported. */
static int cell_money(loader *ld, const smgi_csv *c, size_t k, smg_money *out)
{
    const char *s = smgi_csv_get(c, k);
    char q[100];
    int rc;
    *out = SMG_MONEY_NONE;
    if (!s)
        return 0;
    rc = smgi_money_parse_n(s, smgi_csv_len(c, k), out);
    if (rc == SMG_ERANGE)
        return cell_err(ld, c, k, rc, "%s is out of range", quoted(q, sizeof q, s));
    if (rc)
        return cell_err(ld, c, k, SMG_EPARSE, "%s is not a decimal amount",
                        quoted(q, sizeof q, s));
    return 0;
}

/* A decimal with at most `scale` fraction digits, as value × 10^scale. */
static int cell_decimal(loader *ld, const smgi_csv *c, size_t k, int scale, const char *what,
                        int64_t *out)
{
    const char *s = smgi_csv_get(c, k);
    char q[100];
    int rc;
    *out = SMG_MONEY_NONE;
    if (!s)
        return 0;
    rc = smgi_decimal_parse(s, smgi_csv_len(c, k), scale, out);
    if (rc == SMG_ERANGE)
        return cell_err(ld, c, k, rc, "%s is out of range", quoted(q, sizeof q, s));
    if (rc)
        return cell_err(ld, c, k, SMG_EPARSE, "%s is not %s", quoted(q, sizeof q, s), what);
    return 0;
}

/* Up to `most` digits (at least one) at *p as a number; -1 if none. */
static int number(const char **p, int least, int most)
{
    int v = 0, n = 0;
    while (n < most && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= least ? v : -1;
}

/* A date or time cell in the forms of DATASET.md "CSV files": dates
 * YYYY-MM-DD and YYYY/M/D (Excel); with a time (`with_time`) also
 * YYYY-MM-DDTHH:MM[:SS], the same with a space for the T (SQL), and
 * YYYY/M/D H:MM[:SS] (Excel), a bare date being 00:00. The moment in *t
 * (seconds) or the day in *d; 0, SMG_EPARSE or SMG_ERANGE. */
static int parse_when(const char *s, int with_time, smg_date *d, smg_time *t)
{
    const char *p = s;
    int y, mo, da, h = 0, mi = 0, se = 0, rc, slash, two;
    char sep;
    smg_date day;
    y = number(&p, 4, 4);
    sep = *p;
    if (y < 0 || (sep != '-' && sep != '/'))
        return SMG_EPARSE;
    slash = sep == '/';
    two = slash ? 1 : 2;
    p++;
    mo = number(&p, two, 2);
    if (mo < 0 || *p++ != sep)
        return SMG_EPARSE;
    da = number(&p, two, 2);
    if (da < 0)
        return SMG_EPARSE;
    if (*p && with_time) {
        if (*p != ' ' && (*p != 'T' || slash))
            return SMG_EPARSE;
        p++;
        h = number(&p, 1, 2);
        if (h < 0 || *p++ != ':' || (mi = number(&p, 2, 2)) < 0)
            return SMG_EPARSE;
        if (*p == ':') {
            p++;
            if ((se = number(&p, 2, 2)) < 0)
                return SMG_EPARSE;
        }
    }
    if (*p)
        return SMG_EPARSE;
    if ((rc = smg_date_make(&day, y, mo, da)))
        return rc;
    if (h > 23 || mi > 59 || se > 59)
        return SMG_ERANGE;
    if (d)
        *d = day;
    if (t)
        *t = (smg_time)day * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

static int cell_date(loader *ld, const smgi_csv *c, size_t k, smg_date *out)
{
    const char *s = smgi_csv_get(c, k);
    char q[100];
    *out = SMG_DATE_NONE;
    if (!s)
        return 0;
    if (parse_when(s, 0, out, NULL)) {
        *out = SMG_DATE_NONE;
        return cell_err(ld, c, k, SMG_EPARSE, "%s is not a date (YYYY-MM-DD or YYYY/M/D)",
                        quoted(q, sizeof q, s));
    }
    return 0;
}

/* ---- files ---- */

/* Open DIR/name into c. 1 open; 0 absent (optional files); SMG_EIO or
 * SMG_ENOMEM reported. */
static int open_csv(loader *ld, smgi_csv *c, const char *name, int required)
{
    size_t n = strlen(ld->dir), m = strlen(name);
    char *path = smgi_malloc(&ld->org->alloc, n + m + 2);
    int rc;
    smgi_csv_init(c, &ld->org->alloc, name, on_csv_error, ld);
    if (!path)
        return smgi_err(ld->org, SMG_ENOMEM, "out of memory");
    memcpy(path, ld->dir, n);
    path[n] = '/';
    memcpy(path + n + 1, name, m + 1);
    rc = smgi_csv_open_file(c, path);
    ld->rows = 0;
    if (rc == SMG_ENOTFOUND && !required)
        rc = 0;
    else if (rc)
        smgi_err(ld->org, SMG_EIO, "%s: cannot read \"%s\": %s", name, path,
                 rc == SMG_ENOTFOUND ? "no such file" : c->open_why ? c->open_why : "cannot open");
    else
        rc = 1;
    if (rc < 0)
        ld->io = 1;
    if (rc == 1) {
        size_t i;
        for (i = 0; i < NFILES; i++)
            if (strcmp(dataset_files[i], name) == 0)
                ld->opened |= 1u << i;
    }
    smgi_free(&ld->org->alloc, path);
    return rc;
}

/* Read the header; 1 if the rows can be read. A fatal reader error (I/O,
 * memory) is reported by the reader. */
static int header(loader *ld, smgi_csv *c, const smgi_csv_column *cols, size_t ncols)
{
    int rc = smgi_csv_header(c, cols, ncols);
    if (rc == SMG_EIO)
        ld->io = 1;
    return rc == 0;
}

/* The next row; 0 at the end. After the org's max_errors the rows are
 * still read, for the count of the errors not kept. */
static int next_row(loader *ld, smgi_csv *c)
{
    int rc;
    for (;;) {
        rc = smgi_csv_next(c);
        if (rc == SMG_EPARSE)
            continue; /* reported; go on with the next row */
        if (rc == SMG_EIO)
            ld->io = 1;
        if (rc == 1)
            ld->rows++;
        return rc == 1;
    }
}

/* Read the rows of a file whose own rows cannot be loaded (a file it
 * depends on is unusable), for the errors of the file itself: its CSV and
 * its encoding (all its GB18030 files are said at once). */
static void skim(loader *ld, smgi_csv *c)
{
    while (next_row(ld, c))
        ;
}

/* ---- the dataset table: what the load read and ignored ---- */

static int loaded_add(smg_org *org, const char *file, const char *column, int64_t rows,
                      int ignored)
{
    smgi_loaded *L = &org->loaded;
    smgi_loaded_row *r;
    size_t f, k = SIZE_MAX;
    if (SMGI_GROW(&org->alloc, L->rows, L->cap, L->count + 1) ||
        smgi_strtab_append(&org->alloc, &L->text, file, strlen(file), &f) ||
        (column && smgi_strtab_append(&org->alloc, &L->text, column, strlen(column), &k)))
        return smgi_err(org, SMG_ENOMEM, "out of memory");
    r = &L->rows[L->count++];
    r->file = f;
    r->column = k;
    r->rows = rows;
    r->ignored = ignored;
    return 0;
}

/* A file read: its rows, then the columns of its header it ignored. */
static void file_read(loader *ld, const smgi_csv *c)
{
    size_t i;
    if (loaded_add(ld->org, c->name, NULL, (int64_t)ld->rows, 0))
        return;
    for (i = 0; i < smgi_csv_nheader(c); i++)
        if (smgi_csv_ignored(c, i)) {
            char num[24];
            const char *name = smgi_csv_header_name(c, i);
            if (!*name) {
                snprintf(num, sizeof num, "%lu", (unsigned long)i + 1);
                name = num;
            }
            if (loaded_add(ld->org, c->name, name, -1, 1))
                return;
        }
}

static const smgi_field dataset_fields[] = {
    { "file", SMG_TYPE_TEXT },
    { "column", SMG_TYPE_TEXT },
    { "rows", SMG_TYPE_INT },
    { "ignored", SMG_TYPE_BOOL },
};

static size_t dataset_rows(const void *o)
{
    return ((const smg_org *)o)->loaded.count;
}

static void dataset_value(const void *o, size_t i, int f, smgi_value *v)
{
    const smgi_loaded *L = &((const smg_org *)o)->loaded;
    const smgi_loaded_row *r = &L->rows[i];
    switch ((smg_dataset_field)f) {
    case SMG_DATASET_FILE: smgi_value_text(v, smgi_strtab_get(&L->text, r->file)); break;
    case SMG_DATASET_COLUMN:
        smgi_value_text(v, r->column == SIZE_MAX ? NULL : smgi_strtab_get(&L->text, r->column));
        break;
    case SMG_DATASET_ROWS: smgi_value_num(v, r->rows, r->rows < 0); break;
    case SMG_DATASET_IGNORED: smgi_value_num(v, r->ignored, 0); break;
    }
}

static const smgi_table dataset_table =
    SMGI_TABLE(dataset_fields, dataset_rows, NULL, dataset_value);

SMGI_TABLE_META(smg_dataset, smg_org, smg_dataset_field, dataset_table)
SMGI_TABLE_GET(smg_dataset, int, int64_t, smg_org, smg_dataset_field, dataset_table)
SMGI_TABLE_GET(smg_dataset, text, const char *, smg_org, smg_dataset_field, dataset_table)

/* ---- the folder ---- */

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y || !x)
            return x - y;
    }
}

/* The dataset file `name` is a near miss of, or NULL: the same extension
 * (any case) and a stem that is a near miss (smgi_csv_near_miss()). */
static const char *near_file(const char *name)
{
    const char *dot = strrchr(name, '.'), *best = NULL;
    size_t i;
    int bd = 3;
    char stem[80], kstem[32];
    /* Excel's lock files (~$members.csv) and editors' backups are not typos */
    if (!dot || dot == name || (size_t)(dot - name) >= sizeof stem ||
        strncmp(name, "~$", 2) == 0 || name[strlen(name) - 1] == '~')
        return NULL;
    memcpy(stem, name, (size_t)(dot - name));
    stem[dot - name] = '\0';
    for (i = 0; i < NFILES; i++) {
        const char *kdot = strrchr(dataset_files[i], '.');
        int d;
        if (ascii_casecmp(dot, kdot) != 0)
            continue;
        memcpy(kstem, dataset_files[i], (size_t)(kdot - dataset_files[i]));
        kstem[kdot - dataset_files[i]] = '\0';
        if ((d = smgi_csv_near_miss(stem, kstem)) >= 0 && d < bd) {
            bd = d;
            best = dataset_files[i];
        }
    }
    return best;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* List the folder's files (hidden ones aside), sorted, into ld->folder,
 * and report those whose name is a near miss of a dataset file. Without
 * POSIX folders, nothing. */
static void scan_folder(loader *ld)
{
#ifdef SMGI_LIST_FOLDERS
    smg_org *org = ld->org;
    const smg_allocator *a = &org->alloc;
    DIR *dir = opendir(ld->dir);
    struct dirent *e;
    smgi_strtab all;
    const char **names = NULL;
    size_t n = 0, i, k, dl = strlen(ld->dir), idx;
    char *path = NULL;
    if (!dir)
        return; /* the files' own opens say why */
    memset(&all, 0, sizeof all);
    while ((e = readdir(dir)) != NULL) {
        struct stat st;
        size_t nl = strlen(e->d_name);
        char *np;
        if (e->d_name[0] == '.')
            continue;
        np = smgi_realloc(a, path, dl + nl + 2);
        if (!np)
            goto nomem;
        path = np;
        memcpy(path, ld->dir, dl);
        path[dl] = '/';
        memcpy(path + dl + 1, e->d_name, nl + 1);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (smgi_strtab_append(a, &all, e->d_name, nl, &idx))
            goto nomem;
    }
    names = smgi_malloc(a, (all.count ? all.count : 1) * sizeof *names);
    if (!names)
        goto nomem;
    for (i = 0; i < all.count; i++)
        names[n++] = smgi_strtab_get(&all, i);
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        const char *like;
        for (k = 0; k < NFILES && strcmp(names[i], dataset_files[k]) != 0; k++)
            ;
        like = k < NFILES ? NULL : near_file(names[i]); /* a dataset file, else a typo? */
        if (like) {
            /* on a folder that ignores case, "Members.csv" is members.csv */
            int exact = 0;
            for (k = 0; k < n && !exact; k++)
                exact = strcmp(names[k], like) == 0;
            if (!exact && ascii_casecmp(names[i], like) == 0)
                continue;
            smgi_err(org, SMG_EPARSE, "%s: unknown file; did you mean %s?", names[i], like);
            continue;
        }
        if (smgi_strtab_append(a, &ld->folder, names[i], strlen(names[i]), &idx))
            goto nomem;
    }
    goto done;
nomem:
    smgi_err(org, SMG_ENOMEM, "out of memory");
done:
    closedir(dir);
    smgi_free(a, path);
    smgi_free(a, names);
    smgi_strtab_free(a, &all);
#else
    (void)ld;
#endif
}

/* After a successful load: the rows of the files ignored (the folder's
 * files the load did not read). */
static void files_ignored(loader *ld)
{
    size_t i, k;
    for (i = 0; i < ld->folder.count; i++) {
        const char *name = smgi_strtab_get(&ld->folder, i);
        for (k = 0; k < NFILES && ascii_casecmp(name, dataset_files[k]) != 0; k++)
            ;
        if (k < NFILES && (ld->opened >> k & 1))
            continue; /* read under its own name on a folder that ignores case */
        if (loaded_add(ld->org, name, NULL, -1, 1))
            return;
    }
}

/* ---- policy.conf ---- */

static void load_policy(loader *ld)
{
    size_t n = strlen(ld->dir);
    char *path = smgi_malloc(&ld->org->alloc, n + sizeof "/policy.conf");
    FILE *f;
    uint64_t size;
    const char *why;
    int rc;
    if (!path) {
        smgi_err(ld->org, SMG_ENOMEM, "out of memory");
        return;
    }
    memcpy(path, ld->dir, n);
    memcpy(path + n, "/policy.conf", sizeof "/policy.conf");
    rc = smgi_file_open(path, &f, &size, &why);
    if (rc == 0) {
        fclose(f);
        ld->opened |= 1u << (NFILES - 1);
        /* all or nothing by itself; the loader restores the old policy if
         * anything else fails */
        if (smg_policy_load(ld->org, path) == SMG_EIO)
            ld->io = 1;
        else
            loaded_add(ld->org, "policy.conf", NULL, -1, 0);
    } else if (rc != SMG_ENOTFOUND) {
        smgi_err(ld->org, SMG_EIO, "policy.conf: cannot read \"%s\": %s", path, why);
        ld->io = 1;
    }
    smgi_free(&ld->org->alloc, path);
}

/* ---- teams.csv ---- */

enum { T_ID, T_NAME, T_PARENT, T_LEADER, T_NCOLS };
static const smgi_csv_column team_cols[] = {
    { "team_id", 1 }, { "name", 0 }, { "parent_id", 0 }, { "leader_id", 0 },
};

enum { ROW_NEW, ROW_ON_PATH, ROW_ADDED, ROW_FAILED };

/* The rows of teams.csv, kept until the leaders are set after members. */
typedef struct team_rows {
    smgi_strtab text;      /* 4 strings a row: id, name, parent, leader */
    smgi_strtab ids;       /* distinct ids */
    size_t *first;         /* first row of each distinct id */
    size_t first_cap;
    unsigned long *line;
    long *parent;          /* row of the parent, -1 = none in the file */
    unsigned char *state;  /* ROW_* */
    size_t *stack;
    size_t n, cap;
} team_rows;

static const char *team_cell(const team_rows *t, size_t row, int k)
{
    return smgi_strtab_get(&t->text, row * T_NCOLS + (size_t)k);
}

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

static void team_rows_free(const smg_allocator *a, team_rows *t)
{
    smgi_strtab_free(a, &t->text);
    smgi_strtab_free(a, &t->ids);
    smgi_free(a, t->first);
    smgi_free(a, t->line);
    smgi_free(a, t->parent);
    smgi_free(a, t->state);
    smgi_free(a, t->stack);
}

/* Pass 1: keep the rows. */
static int teams_read(loader *ld, smgi_csv *c, team_rows *t)
{
    const smg_allocator *a = &ld->org->alloc;
    while (next_row(ld, c)) {
        size_t i = t->n, idx, cap;
        int k, added;
        if (!required_cells(ld, c))
            continue;
        cap = t->cap;
        if (SMGI_GROW(a, t->line, cap, i + 1))
            return SMG_ENOMEM;
        cap = t->cap;
        if (SMGI_GROW(a, t->parent, cap, i + 1))
            return SMG_ENOMEM;
        cap = t->cap;
        if (SMGI_GROW(a, t->state, cap, i + 1))
            return SMG_ENOMEM;
        cap = t->cap;
        if (SMGI_GROW(a, t->stack, cap, i + 1))
            return SMG_ENOMEM;
        t->cap = cap;
        for (k = 0; k < T_NCOLS; k++)
            if (smgi_strtab_append(a, &t->text, smgi_csv_get(c, (size_t)k) ? smgi_csv_get(c, (size_t)k) : "",
                                   smgi_csv_len(c, (size_t)k), &idx))
                return SMG_ENOMEM;
        if (smgi_strtab_intern(a, &t->ids, team_cell(t, i, T_ID), smgi_csv_len(c, T_ID), &idx,
                               &added) ||
            SMGI_GROW(a, t->first, t->first_cap, idx + 1))
            return SMG_ENOMEM;
        if (added)
            t->first[idx] = i;
        t->line[i] = c->line;
        t->state[i] = ROW_NEW;
        t->n++;
    }
    return 0;
}

/* Report an error for team row `row`, column col. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void team_err(loader *ld, const team_rows *t, size_t row, const char *col,
                     const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    smgi_err(ld->org, SMG_ERULE, "teams.csv:%lu: column %s: %s", t->line[row], col, what);
}

static void team_place(loader *ld, const team_rows *t, size_t row, size_t from, const char *col)
{
    char prefix[200];
    if (ld->org->nerrs <= from)
        return;
    snprintf(prefix, sizeof prefix, "teams.csv:%lu: column %s: ", t->line[row], col);
    smgi_err_prefix(ld->org, from, prefix);
}

static void team_add_row(loader *ld, team_rows *t, size_t row)
{
    long p = t->parent[row];
    size_t from = ld->org->nerrs;
    int rc;
    if (p >= 0 && t->state[p] == ROW_FAILED) {
        team_err(ld, t, row, "parent_id", "team \"%s\": parent team \"%s\" could not be added",
                 team_cell(t, row, T_ID), team_cell(t, row, T_PARENT));
        t->state[row] = ROW_FAILED;
        return;
    }
    rc = smg_team_add(ld->org, team_cell(t, row, T_ID), or_null(team_cell(t, row, T_NAME)),
                      or_null(team_cell(t, row, T_PARENT)));
    if (rc)
        team_place(ld, t, row, from, rc == SMG_ENOTFOUND ? "parent_id" : "team_id");
    t->state[row] = rc ? ROW_FAILED : ROW_ADDED;
}

/* Pass 2: add the teams, each after its parent. */
static void teams_add(loader *ld, team_rows *t)
{
    size_t r, i;
    for (r = 0; r < t->n; r++) {
        const char *parent = team_cell(t, r, T_PARENT);
        long idx = *parent ? smgi_strtab_find(&t->ids, parent, strlen(parent)) : -1;
        t->parent[r] = idx >= 0 ? (long)t->first[idx] : -1;
    }
    for (r = 0; r < t->n; r++) {
        size_t sp = 0, top;
        long x = (long)r;
        if (t->state[r] != ROW_NEW)
            continue;
        /* walk up to the first ancestor already settled (or none) */
        while (x >= 0 && t->state[x] == ROW_NEW) {
            t->state[x] = ROW_ON_PATH;
            t->stack[sp++] = (size_t)x;
            x = t->parent[x];
        }
        top = sp;
        if (x >= 0 && t->state[x] == ROW_ON_PATH) {
            /* the path runs into itself: stack[k..sp) is a cycle */
            size_t k = 0;
            while (t->stack[k] != (size_t)x)
                k++;
            for (i = k; i < sp; i++) {
                size_t y = t->stack[i];
                team_err(ld, t, y, "parent_id", "team \"%s\": parent team \"%s\" is part of "
                         "a cycle of parents", team_cell(t, y, T_ID), team_cell(t, y, T_PARENT));
                t->state[y] = ROW_FAILED;
            }
            top = k;
        }
        while (top > 0)
            team_add_row(ld, t, t->stack[--top]);
    }
}

/* Pass 3, after members: the leaders. */
static void teams_leaders(loader *ld, team_rows *t)
{
    size_t r;
    for (r = 0; r < t->n; r++) {
        const char *leader = team_cell(t, r, T_LEADER);
        size_t from = ld->org->nerrs;
        if (t->state[r] != ROW_ADDED || !*leader)
            continue;
        if (smg_team_set_leader(ld->org, team_cell(t, r, T_ID), leader))
            team_place(ld, t, r, from, "leader_id");
    }
}

/* ---- members.csv ---- */

enum { M_ID, M_NAME, M_TEAM, M_ROLE, M_START, M_END, M_PAY };
static const smgi_csv_column member_cols[] = {
    { "member_id", 1 }, { "name", 0 }, { "team_id", 1 }, { "role", 0 },
    { "start_date", 0 }, { "end_date", 0 }, { "pay_total", 0 },
};

static void members_load(loader *ld, smgi_csv *c)
{
    smg_org *org = ld->org;
    while (next_row(ld, c)) {
        const char *id = smgi_csv_get(c, M_ID), *role_s = smgi_csv_get(c, M_ROLE);
        smg_role role = SMG_ROLE_REP;
        smg_date start, end;
        smg_money pay;
        size_t from;
        int dates_ok, pay_ok, rc;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        if (role_s && smg_role_parse(&role, role_s)) {
            cell_err(ld, c, M_ROLE, SMG_EPARSE,
                     "%s is not rep, leader, supervisor, manager or director",
                     quoted(q, sizeof q, role_s));
            role = SMG_ROLE_REP; /* add the member anyway: fewer errors follow */
        }
        dates_ok = !cell_date(ld, c, M_START, &start);
        dates_ok &= !cell_date(ld, c, M_END, &end);
        pay_ok = !cell_money(ld, c, M_PAY, &pay);
        from = org->nerrs;
        rc = smg_member_add(org, id, smgi_csv_get(c, M_NAME), smgi_csv_get(c, M_TEAM), role);
        if (rc) {
            place(ld, c, from, rc == SMG_ENOTFOUND ? "team_id" : "member_id");
            continue;
        }
        if (dates_ok && (start != SMG_DATE_NONE || end != SMG_DATE_NONE) &&
            smg_member_set_dates(org, id, start, end))
            place(ld, c, from, "end_date");
        if (pay_ok && pay != SMG_MONEY_NONE && smg_member_set_pay_total(org, id, pay))
            place(ld, c, from, "pay_total");
    }
}

/* ---- customers.csv ---- */

enum { C_ID, C_NAME, C_PHONE, C_GROUP };
static const smgi_csv_column customer_cols[] = {
    { "customer_id", 1 }, { "name", 0 }, { "phone", 0 }, { "group_key", 0 },
};

static void customers_load(loader *ld, smgi_csv *c)
{
    while (next_row(ld, c)) {
        size_t from = ld->org->nerrs;
        if (!required_cells(ld, c))
            continue;
        if (smgi_csv_len(c, C_GROUP) > 1024) {
            cell_err(ld, c, C_GROUP, SMG_EINVAL, "longer than 1024 bytes");
            continue;
        }
        if (smg_customer_add(ld->org, smgi_csv_get(c, C_ID), smgi_csv_get(c, C_NAME),
                             smgi_csv_get(c, C_PHONE), smgi_csv_get(c, C_GROUP)))
            place(ld, c, from, "customer_id");
    }
}

/* ---- profiles.csv ---- */

static const smgi_csv_column profile_cols[] = {
    { "profile", 1 }, { "m01", 1 }, { "m02", 1 }, { "m03", 1 }, { "m04", 1 },
    { "m05", 1 }, { "m06", 1 }, { "m07", 1 }, { "m08", 1 }, { "m09", 1 },
    { "m10", 1 }, { "m11", 1 }, { "m12", 1 },
};

static void profiles_load(loader *ld, smgi_csv *c)
{
    while (next_row(ld, c)) {
        int64_t w[12];
        size_t k, from;
        int ok = 1, rc;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        for (k = 0; k < 12; k++) {
            if (cell_decimal(ld, c, k + 1, 6, "a decimal weight", &w[k]))
                ok = 0;
            else if (w[k] < 0 || w[k] > INT64_MAX / 16) {
                cell_err(ld, c, k + 1, SMG_ERANGE, "%s %s",
                         quoted(q, sizeof q, smgi_csv_get(c, k + 1)),
                         w[k] < 0 ? "is negative; a weight is 0 or more" : "is out of range");
                ok = 0;
            }
        }
        if (!ok)
            continue;
        from = ld->org->nerrs;
        rc = smg_profile_add(ld->org, smgi_csv_get(c, 0), w);
        if (rc)
            place(ld, c, from, rc == SMG_ERANGE ? "m01" : "profile");
    }
}

/* ---- targets.csv ---- */

enum { G_SUBJECT, G_METRIC, G_PERIOD, G_AMOUNT, G_PROFILE };
static const smgi_csv_column target_cols[] = {
    { "subject", 1 }, { "metric", 1 }, { "period", 1 }, { "amount", 1 }, { "profile", 0 },
};

static void targets_load(loader *ld, smgi_csv *c)
{
    smg_org *org = ld->org;
    while (next_row(ld, c)) {
        const char *ms, *ss, *ps;
        smg_metric metric;
        smg_subject subject;
        smg_period period;
        int64_t amount;
        int rc;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        ms = smgi_csv_get(c, G_METRIC);
        if (smg_metric_parse(&metric, ms)) {
            cell_err(ld, c, G_METRIC, SMG_EPARSE,
                     "%s is not sales_amount, gross_profit, deal_count, new_customers, "
                     "visits or collections", quoted(q, sizeof q, ms));
            continue;
        }
        if (smg_metric_is_money(metric) ? cell_money(ld, c, G_AMOUNT, &amount)
                                        : cell_decimal(ld, c, G_AMOUNT, 0, "a whole number",
                                                       &amount))
            continue;
        ss = smgi_csv_get(c, G_SUBJECT);
        rc = smg_subject_parse(&subject, org, ss);
        if (rc == SMG_ENOTFOUND) {
            cell_err(ld, c, G_SUBJECT, rc, "%s does not exist", ss);
            continue;
        } else if (rc) {
            cell_err(ld, c, G_SUBJECT, SMG_EPARSE, "%s is not member:ID, team:ID or company",
                     quoted(q, sizeof q, ss));
            continue;
        }
        ps = smgi_csv_get(c, G_PERIOD);
        if (smg_period_parse(&period, ps) ||
            (period.kind != SMG_PERIOD_YEAR && period.kind != SMG_PERIOD_QUARTER &&
             period.kind != SMG_PERIOD_MONTH)) {
            cell_err(ld, c, G_PERIOD, SMG_EPARSE, "%s is not YYYY, YYYY-Qn or YYYY-MM",
                     quoted(q, sizeof q, ps));
            continue;
        }
        org->cur_line = (uint32_t)c->line;
        smg_target_add(org, &subject, metric, &period, amount, smgi_csv_get(c, G_PROFILE));
        org->cur_line = 0;
    }
}

/* ---- commission.csv ---- */

enum { K_PRODUCT, K_FROM, K_RATE, K_MODE };
static const smgi_csv_column commission_cols[] = {
    { "product", 1 }, { "from_amount", 1 }, { "rate", 1 }, { "mode", 0 },
};

static void commission_load(loader *ld, smgi_csv *c)
{
    smg_org *org = ld->org;
    while (next_row(ld, c)) {
        const char *mode_s;
        smg_commission_mode mode = SMG_COMMISSION_MARGINAL;
        smg_money from;
        int64_t rate;
        int ok;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        ok = !cell_money(ld, c, K_FROM, &from);
        ok &= !cell_decimal(ld, c, K_RATE, 6, "a decimal rate (e.g. 0.015)", &rate);
        mode_s = smgi_csv_get(c, K_MODE);
        if (mode_s && strcmp(mode_s, "flat") == 0) {
            mode = SMG_COMMISSION_FLAT;
        } else if (mode_s && strcmp(mode_s, "marginal") != 0) {
            cell_err(ld, c, K_MODE, SMG_EPARSE, "%s is not marginal or flat",
                     quoted(q, sizeof q, mode_s));
            ok = 0;
        }
        if (!ok)
            continue;
        org->cur_line = (uint32_t)c->line;
        smg_commission_add(org, smgi_csv_get(c, K_PRODUCT), from, rate, mode);
        org->cur_line = 0;
    }
}

/* ---- scorecard.csv ---- */

enum { S_ITEM, S_PARENT, S_POINTS, S_DEDUCT, S_ROLES, S_DUE };
static const smgi_csv_column scorecard_cols[] = {
    { "item", 1 }, { "parent", 0 }, { "points", 1 }, { "deduct", 0 }, { "roles", 0 }, { "due", 0 },
};

/* Column S_ROLES: "rep;leader" (empty = all) into a set of SMG_ROLE_BIT(). */
static int cell_roles(loader *ld, const smgi_csv *c, unsigned *out)
{
    const char *s = smgi_csv_get(c, S_ROLES);
    char word[32], q[100];
    *out = 0;
    while (s && *s) {
        size_t n = strcspn(s, ";");
        smg_role role;
        if (n >= sizeof word || (memcpy(word, s, n), word[n] = 0, smg_role_parse(&role, word)))
            return cell_err(ld, c, S_ROLES, SMG_EPARSE,
                            "%s is not a list of roles separated by ; (rep, leader, supervisor, "
                            "manager, director)",
                            quoted(q, sizeof q, smgi_csv_get(c, S_ROLES)));
        *out |= SMG_ROLE_BIT(role);
        s += n;
        if (*s == ';' && !*++s) /* a trailing ; */
            return cell_err(ld, c, S_ROLES, SMG_EPARSE,
                            "%s ends with ;", quoted(q, sizeof q, smgi_csv_get(c, S_ROLES)));
    }
    return 0;
}

static void scorecard_load(loader *ld, smgi_csv *c)
{
    smg_org *org = ld->org;
    while (next_row(ld, c)) {
        smg_deadline due = { SMG_DEADLINE_NONE, 0 };
        const char *ds;
        int64_t points, deduct;
        unsigned roles;
        int ok;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        ok = !cell_decimal(ld, c, S_POINTS, 2, "a number of points (at most two decimals)",
                           &points);
        ok &= !cell_decimal(ld, c, S_DEDUCT, 2, "a number of points (at most two decimals)",
                            &deduct);
        ok &= !cell_roles(ld, c, &roles);
        ds = smgi_csv_get(c, S_DUE);
        if (ds && smg_deadline_parse(&due, ds)) {
            cell_err(ld, c, S_DUE, SMG_EPARSE,
                     "%s is not a deadline (monthly:DD with DD 1-31, or weekly:mon ... "
                     "weekly:sun)",
                     quoted(q, sizeof q, ds));
            ok = 0;
        }
        if (!ok)
            continue;
        org->cur_line = (uint32_t)c->line;
        smg_scorecard_item_add(org, smgi_csv_get(c, S_ITEM), smgi_csv_get(c, S_PARENT), points,
                               deduct == SMG_MONEY_NONE ? SMG_POINTS_NONE : deduct, roles, &due);
        org->cur_line = 0;
    }
}

/* ---- events.csv ---- */

enum { E_AT, E_TYPE, E_ID, E_MEMBER, E_CUSTOMER, E_REF, E_AMOUNT, E_LIST, E_COST, E_PRODUCT,
       E_CHANNEL, E_OUTCOME, E_VALUE };
static const smgi_csv_column event_cols[] = {
    { "at", 1 }, { "type", 1 }, { "id", 0 }, { "member", 0 }, { "customer", 0 }, { "ref", 0 },
    { "amount", 0 }, { "list_amount", 0 }, { "cost", 0 }, { "product", 0 },
    { "channel", 0 }, { "outcome", 0 }, { "value", 0 },
};

static void events_load(loader *ld, smgi_csv *c)
{
    smg_org *org = ld->org;
    org->src_name = "events.csv";
    while (next_row(ld, c)) {
        smg_event ev = SMG_EVENT_INIT;
        const char *s;
        int ok = 1;
        char q[100];
        if (!required_cells(ld, c))
            continue;
        s = smgi_csv_get(c, E_TYPE);
        if (smg_event_type_parse(&ev.type, s)) {
            cell_err(ld, c, E_TYPE, SMG_EPARSE, "%s is not an event type",
                     quoted(q, sizeof q, s));
            ok = 0;
        }
        s = smgi_csv_get(c, E_AT);
        if (parse_when(s, 1, NULL, &ev.at)) {
            cell_err(ld, c, E_AT, SMG_EPARSE,
                     "%s is not a time (YYYY-MM-DD or YYYY/M/D, with HH:MM or HH:MM:SS after "
                     "a T or a space)", quoted(q, sizeof q, s));
            ok = 0;
        }
        ok &= !cell_money(ld, c, E_AMOUNT, &ev.amount);
        ok &= !cell_money(ld, c, E_LIST, &ev.list_amount);
        ok &= !cell_money(ld, c, E_COST, &ev.cost);
        ok &= !cell_decimal(ld, c, E_VALUE, 2, "a number with at most two decimals", &ev.value);
        if ((s = smgi_csv_get(c, E_CHANNEL)) && smg_channel_parse(&ev.channel, s)) {
            cell_err(ld, c, E_CHANNEL, SMG_EPARSE, "%s is not walk_in, phone or onsite",
                     quoted(q, sizeof q, s));
            ok = 0;
        }
        if ((s = smgi_csv_get(c, E_OUTCOME)) && smg_outcome_parse(&ev.outcome, s)) {
            cell_err(ld, c, E_OUTCOME, SMG_EPARSE, "%s is not duty, success or fail",
                     quoted(q, sizeof q, s));
            ok = 0;
        }
        if (ok && ev.type == SMG_EV_FAULT && ev.value != SMG_MONEY_NONE) {
            /* a count of faults: a whole number */
            if (ev.value % 100) {
                cell_err(ld, c, E_VALUE, SMG_EPARSE, "%s is not a whole number of faults",
                         quoted(q, sizeof q, smgi_csv_get(c, E_VALUE)));
                ok = 0;
            }
            ev.value /= 100;
        }
        if (!ok)
            continue;
        ev.id = smgi_csv_get(c, E_ID);
        ev.member = smgi_csv_get(c, E_MEMBER);
        ev.customer = smgi_csv_get(c, E_CUSTOMER);
        ev.ref = smgi_csv_get(c, E_REF);
        ev.product = smgi_csv_get(c, E_PRODUCT);
        /* the core names the place of each event by its line, and keeps it */
        org->cur_line = c->line > UINT32_MAX ? 0 : (uint32_t)c->line;
        smg_event_add(org, &ev);
    }
    org->cur_line = 0;
}

/* ---- the load ---- */

int smg_dataset_load(smg_org *org, const char *dir)
{
    loader ld;
    smgi_policy saved;
    smgi_csv members, events, c;
    team_rows teams;
    int rc, have_members, have_events, teams_ok = 1, members_ok, customers_ok = 1,
        profiles_ok = 1, scorecard_ok = 1, events_read = 0;
    size_t total;

    if (!org)
        return SMG_EINVAL;
    /* misuse inside a batch must not disturb that batch */
    if (org->in_batch)
        return SMG_ESTATE;
    smg_batch_begin(org);
    smgi_loaded_clear(org);
    if (!dir || !*dir) {
        smgi_err(org, SMG_EINVAL, "no dataset folder given");
        smg_batch_rollback(org);
        return SMG_EINVAL;
    }
    if (smgi_policy_copy(&org->alloc, &saved, &org->policy)) {
        smgi_err(org, SMG_ENOMEM, "out of memory");
        smg_batch_rollback(org);
        return SMG_ENOMEM;
    }
    memset(&ld, 0, sizeof ld);
    memset(&teams, 0, sizeof teams);
    ld.org = org;
    ld.dir = dir;

    /* the required files first, so a missing one costs nothing */
    have_members = open_csv(&ld, &members, "members.csv", 1);
    have_events = open_csv(&ld, &events, "events.csv", 1);
    if (have_members <= 0 || have_events <= 0)
        goto done;

    load_policy(&ld); /* first: smg_policy_load() starts a fresh error list */
    scan_folder(&ld);

    /* an optional file that cannot be read counts as unusable too */
    if ((rc = open_csv(&ld, &c, "teams.csv", 0)) == 1) {
        teams_ok = header(&ld, &c, team_cols, NCOLS(team_cols));
        if (teams_ok && teams_read(&ld, &c, &teams))
            smgi_err(org, SMG_ENOMEM, "out of memory");
        teams_ok &= !ld.io && !c.foreign;
        file_read(&ld, &c);
        smgi_csv_close(&c);
        teams_add(&ld, &teams);
    } else if (rc < 0) {
        teams_ok = 0;
    }
    ld.rows = 0;
    members_ok = header(&ld, &members, member_cols, NCOLS(member_cols));
    if (members_ok && teams_ok)
        members_load(&ld, &members);
    else if (members_ok)
        skim(&ld, &members);
    members_ok &= !ld.io && !members.foreign;
    file_read(&ld, &members);
    smgi_csv_close(&members);
    have_members = 0;
    teams_leaders(&ld, &teams);

    if ((rc = open_csv(&ld, &c, "customers.csv", 0)) == 1) {
        if ((customers_ok = header(&ld, &c, customer_cols, NCOLS(customer_cols))))
            customers_load(&ld, &c);
        customers_ok &= !ld.io && !c.foreign;
        file_read(&ld, &c);
        smgi_csv_close(&c);
    } else if (rc < 0) {
        customers_ok = 0;
    }
    if ((rc = open_csv(&ld, &c, "profiles.csv", 0)) == 1) {
        if ((profiles_ok = header(&ld, &c, profile_cols, NCOLS(profile_cols))))
            profiles_load(&ld, &c);
        profiles_ok &= !ld.io && !c.foreign;
        file_read(&ld, &c);
        smgi_csv_close(&c);
    } else if (rc < 0) {
        profiles_ok = 0;
    }
    if (open_csv(&ld, &c, "targets.csv", 0) == 1) {
        if (!header(&ld, &c, target_cols, NCOLS(target_cols)))
            ;
        else if (teams_ok && members_ok && profiles_ok)
            targets_load(&ld, &c);
        else
            skim(&ld, &c);
        file_read(&ld, &c);
        smgi_csv_close(&c);
    }
    if (open_csv(&ld, &c, "commission.csv", 0) == 1) {
        if (header(&ld, &c, commission_cols, NCOLS(commission_cols)))
            commission_load(&ld, &c);
        file_read(&ld, &c);
        smgi_csv_close(&c);
    }
    if ((rc = open_csv(&ld, &c, "scorecard.csv", 0)) == 1) {
        if ((scorecard_ok = header(&ld, &c, scorecard_cols, NCOLS(scorecard_cols))))
            scorecard_load(&ld, &c);
        scorecard_ok &= !ld.io;
        file_read(&ld, &c);
        smgi_csv_close(&c);
    } else if (rc < 0) {
        scorecard_ok = 0;
    }
    ld.rows = 0;
    if (!header(&ld, &events, event_cols, NCOLS(event_cols))) {
        /* unusable */
    } else if (teams_ok && members_ok && customers_ok && scorecard_ok) {
        events_load(&ld, &events);
        events_read = 1;
    } else {
        skim(&ld, &events);
    }
    file_read(&ld, &events);
    files_ignored(&ld);

done:
    if (have_members > 0)
        smgi_csv_close(&members);
    if (have_events > 0)
        smgi_csv_close(&events);
    team_rows_free(&org->alloc, &teams);
    smgi_strtab_free(&org->alloc, &ld.folder);
    org->cur_line = 0;
    /* success by the sticky failure state: a message whose own allocation
     * failed is lost, the failure is not */
    if (!ld.io && !org->failed && !org->batch_failed) {
        rc = smg_batch_commit(org);
        if (!rc) {
            smgi_events_trim(&org->alloc, &org->events);
            smgi_policy_free(&org->alloc, &saved);
            return 0;
        }
    } else {
        rc = ld.io ? SMG_EIO : org->first_status ? org->first_status : SMG_ENOMEM;
        /* the checks of the commit, for the errors they would find too
         * (past max_errors, for their count) */
        if (!ld.io) {
            smgi_targets_commit(org);
            smgi_scorecard_commit(org);
            if (events_read)
                smgi_events_check(org, org->mark.events);
        }
        smg_batch_rollback(org);
    }
    /* nothing loaded: the policy as it was, no warnings, no dataset table */
    smgi_policy_free(&org->alloc, &org->policy);
    org->policy = saved;
    smgi_policy_changed(org);
    smgi_loaded_clear(org);
    total = org->nerrs + org->errs_dropped;
    if (rc != SMG_EIO && total > 1)
        rc = SMG_EDATA;
    return rc;
}
