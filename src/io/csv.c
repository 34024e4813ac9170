/* The CSV reader: see csv.h. One pass over the raw bytes per record; the
 * record is decoded into rec (cells NUL-terminated), and re-parsed from its
 * start only when it runs past the end of the buffer (once per chunk). */
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "salesmgmt/common.h"
#include "file.h"

/* What is wrong with the record being parsed (the first problem only). */
enum { BAD_NONE, BAD_UTF8, BAD_NUL, BAD_AFTER_QUOTE };

/* parse_record() results besides 0 (end) and 1 (a record) */
enum { NEED_MORE = -1000, UNTERMINATED = -1001 };
/* fill() result when the record fills the largest buffer allowed */
enum { TOO_LONG = -1002 };

void smgi_csv_init(smgi_csv *c, const smg_allocator *a, const char *name,
                   smgi_csv_error_fn on_error, void *ctx)
{
    size_t k;
    memset(c, 0, sizeof *c);
    c->alloc = a;
    c->name = name ? name : "";
    c->on_error = on_error;
    c->ctx = ctx;
    c->max_record = SMGI_CSV_MAX_RECORD;
    c->next_line = 1;
    for (k = 0; k < SMGI_CSV_MAX_COLUMNS; k++)
        c->map[k] = -1;
}

int smgi_csv_open_file(smgi_csv *c, const char *path)
{
    FILE *f;
    uint64_t size;
    int rc = smgi_file_open(path, &f, &size, &c->open_why);
    if (rc)
        return rc;
    c->size = c->left = size; /* the reader reads no more than the size it had */
    /* we read in large chunks ourselves: no second copy through stdio */
    setvbuf(f, NULL, _IONBF, 0);
    c->f = f;
    return 0;
}

void smgi_csv_open_mem(smgi_csv *c, const char *data, size_t len)
{
    c->mem = data ? data : "";
    c->mem_len = data ? len : 0;
    c->mem_off = 0;
}

void smgi_csv_close(smgi_csv *c)
{
    const smg_allocator *a = c->alloc;
    if (c->f)
        fclose(c->f);
    smgi_free(a, c->buf);
    smgi_free(a, c->rec);
    smgi_free(a, c->off);
    smgi_free(a, c->hdr);
    smgi_free(a, c->hdr_off);
    c->f = NULL;
    c->buf = c->rec = c->hdr = NULL;
    c->off = c->hdr_off = NULL;
    c->cap = c->len = c->pos = c->rec_cap = c->off_cap = c->nfields = c->nhdr = 0;
    c->done = 1;
}

/* ---- messages ---- */

/* The name of field i for messages: its header name, else its number. */
static void field_name(const smgi_csv *c, size_t i, char *buf, size_t len)
{
    if (i < c->nhdr && c->hdr[c->hdr_off[i]])
        snprintf(buf, len, "%s", c->hdr + c->hdr_off[i]);
    else
        snprintf(buf, len, "%lu", (unsigned long)i + 1);
}

/* Report "NAME:LINE: column COL: what" (field < 0: no column). */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void report(const smgi_csv *c, int status, unsigned long line, long field,
                   const char *fmt, ...)
{
    char what[256], col[200], msg[600];
    va_list ap;
    if (!c->on_error)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (field < 0) {
        snprintf(msg, sizeof msg, "%s:%lu: %s", c->name, line, what);
    } else {
        field_name(c, (size_t)field, col, sizeof col);
        snprintf(msg, sizeof msg, "%s:%lu: column %s: %s", c->name, line, col, what);
    }
    c->on_error(c->ctx, status, msg);
}

/* ---- the buffer ---- */

/* Make room and read more: keep buf[pos..len), move it to the front, grow
 * the buffer when it is full. 0 (eof set at the end), TOO_LONG, SMG_EIO,
 * SMG_ENOMEM. */
static int fill(smgi_csv *c)
{
    size_t want, n;
    if (c->pos) {
        memmove(c->buf, c->buf + c->pos, c->len - c->pos);
        c->len -= c->pos;
        c->pos = 0;
    }
    /* grow when the record fills the buffer, or while a large file is read */
    if (c->len == c->cap || (c->ramp && c->cap < c->max_record)) {
        size_t ncap = c->cap ? c->cap * 2 : SMGI_CSV_FIRST;
        char *nb, *nr;
        if (c->len == c->cap && c->cap && c->cap >= c->max_record)
            return TOO_LONG;
        if (ncap > c->max_record)
            ncap = c->max_record;
        if (ncap < 4)
            ncap = 4;
        nb = smgi_realloc(c->alloc, c->buf, ncap);
        if (!nb)
            return SMG_ENOMEM;
        c->buf = nb;
        /* a decoded record is never longer than its raw bytes, plus a NUL */
        nr = smgi_realloc(c->alloc, c->rec, ncap + 1);
        if (!nr)
            return SMG_ENOMEM;
        c->rec = nr;
        c->cap = ncap;
        c->rec_cap = ncap + 1;
    }
    want = c->cap - c->len;
    c->ramp = 0;
    if (c->f) {
        if (want > c->left)
            want = (size_t)c->left;
        n = want ? fread(c->buf + c->len, 1, want, c->f) : 0;
        if (n == 0) {
            if (ferror(c->f))
                return SMG_EIO;
            c->eof = 1;
        }
        c->left -= n;
    } else {
        n = c->mem_len - c->mem_off;
        if (n > want)
            n = want;
        memcpy(c->buf + c->len, c->mem + c->mem_off, n);
        c->mem_off += n;
        if (n == 0)
            c->eof = 1;
    }
    c->len += n;
    c->ramp = n == want && c->cap < SMGI_CSV_CHUNK;
    return 0;
}

/* Report a failure of fill() and stop reading. */
static int fatal(smgi_csv *c, int rc)
{
    if (rc == SMG_EIO)
        report(c, SMG_EIO, c->next_line, -1, "read error");
    else
        report(c, SMG_ENOMEM, c->next_line, -1, "out of memory");
    c->done = 1;
    return rc;
}

/* Skip to the line after the one buf[pos] is on. */
static int skip_line(smgi_csv *c)
{
    for (;;) {
        const char *nl = c->pos < c->len ? memchr(c->buf + c->pos, '\n', c->len - c->pos)
                                         : NULL;
        int rc;
        if (nl) {
            c->pos = (size_t)(nl - c->buf) + 1;
            c->next_line++;
            return 0;
        }
        c->pos = c->len;
        if (c->eof)
            return 0;
        if ((rc = fill(c)))
            return rc;
    }
}

/* First read: the buffers, and a leading BOM. */
static int start(smgi_csv *c)
{
    int rc;
    c->started = 1;
    while (c->len < 3 && !c->eof)
        if ((rc = fill(c)))
            return rc == TOO_LONG ? 0 : rc;
    if (c->len >= 3 && (unsigned char)c->buf[0] == 0xEF && (unsigned char)c->buf[1] == 0xBB &&
        (unsigned char)c->buf[2] == 0xBF)
        c->pos = 3;
    /* CR-only line ends (old Mac) would read as one long line: refused */
    while (!c->eof && c->len < c->cap && !memchr(c->buf, '\n', c->len))
        if ((rc = fill(c)))
            return rc == TOO_LONG ? 0 : rc;
    if (smgi_cr_only(c->buf + c->pos, c->len - c->pos)) {
        if (c->on_error) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s: " SMGI_CR_ONLY_MSG, c->name);
            c->on_error(c->ctx, SMG_EPARSE, msg);
        }
        return SMG_EPARSE;
    }
    return 0;
}

/* ---- parsing ---- */

/* Length of the valid UTF-8 sequence at p (2-4), 0 if invalid, -1 if it
 * runs past e. Overlong forms, surrogates and code points past U+10FFFF
 * are invalid. */
static int utf8_seq(const unsigned char *p, const unsigned char *e)
{
    unsigned b = p[0], lo = 0x80, hi = 0xBF;
    int n, i;
    if (b >= 0xC2 && b <= 0xDF)
        n = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        unsigned x;
        if (p + i >= e)
            return -1;
        x = p[i];
        if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF))
            return 0;
    }
    return n;
}

static void set_bad(smgi_csv *c, int what, size_t field)
{
    if (!c->bad) {
        c->bad = what;
        c->bad_field = field;
    }
}

/* Parse the record at buf[pos]: 1 (decoded into rec; pos and next_line
 * moved past it), 0 (no more records), NEED_MORE (it runs past the buffer;
 * nothing consumed but blank lines), UNTERMINATED, SMG_ENOMEM. */
static int parse_record(smgi_csv *c)
{
    const unsigned char *p = (const unsigned char *)c->buf + c->pos;
    const unsigned char *e = (const unsigned char *)c->buf + c->len;
    char *w;
    size_t f = 0;
    unsigned long nl = 0;
    const int eof = c->eof;
    unsigned b;
    int n;

    /* blank lines */
    for (;;) {
        if (p == e) {
            c->pos = c->len;
            return eof ? 0 : NEED_MORE;
        }
        if (*p == '\n') {
            p++;
            c->next_line++;
        } else if (*p == '\r' && (p + 1 == e || p[1] == '\n')) {
            if (p + 1 == e && !eof) {
                c->pos = (size_t)((const char *)p - c->buf);
                return NEED_MORE;
            }
            p += p + 1 == e ? 1 : 2;
            c->next_line++;
        } else {
            break;
        }
    }
    c->pos = (size_t)((const char *)p - c->buf);
    c->bad = BAD_NONE;
    w = c->rec;

next_field:
    if (f + 2 > c->off_cap && SMGI_GROW(c->alloc, c->off, c->off_cap, f + 2))
        return SMG_ENOMEM;
    c->off[f] = (size_t)(w - c->rec);
    if (p < e && *p == '"') {
        p++;
        for (;;) {
            if (p == e) {
                if (!eof)
                    goto more;
                c->bad_field = f;
                return UNTERMINATED;
            }
            b = *p;
            if (b != '"' && b != '\n' && b != 0 && b < 0x80) {
                *w++ = (char)b;
                p++;
                continue;
            }
            if (b == '"') {
                if (p + 1 == e && !eof)
                    goto more;
                if (p + 1 < e && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            if (b == '\n') {
                nl++;
                *w++ = (char)b;
                p++;
            } else if (b == 0) {
                set_bad(c, BAD_NUL, f);
                p++;
            } else {
                n = utf8_seq(p, e);
                if (n < 0 && !eof)
                    goto more;
                if (n <= 0) {
                    set_bad(c, BAD_UTF8, f);
                    n = 1;
                }
                while (n--)
                    *w++ = (char)*p++;
            }
        }
        /* after the closing quote: a separator, the end of the line, or an error */
        if (p == e) {
            if (!eof)
                goto more;
            goto end_record;
        }
        b = *p;
        if (b == ',') {
            p++;
            *w++ = '\0';
            f++;
            goto next_field;
        }
        if (b == '\n') {
            p++;
            nl++;
            goto end_record;
        }
        if (b == '\r' && (p + 1 == e || p[1] == '\n')) {
            if (p + 1 == e && !eof)
                goto more;
            if (p + 1 < e)
                nl++;
            p += p + 1 == e ? 1 : 2;
            goto end_record;
        }
        set_bad(c, BAD_AFTER_QUOTE, f);
        /* keep the rest of the field as plain text to find the record's end */
    }
    for (;;) {
        if (p == e) {
            if (!eof)
                goto more;
            goto end_record;
        }
        b = *p;
        if (b >= 0x2D && b < 0x80) { /* the common case: digits, letters, -.:/ */
            *w++ = (char)b;
            p++;
            continue;
        }
        if (b == ',') {
            p++;
            *w++ = '\0';
            f++;
            goto next_field;
        }
        if (b == '\n') {
            p++;
            nl++;
            goto end_record;
        }
        if (b == '\r' && (p + 1 == e || p[1] == '\n')) {
            if (p + 1 == e && !eof)
                goto more;
            if (p + 1 < e)
                nl++;
            p += p + 1 == e ? 1 : 2;
            goto end_record;
        }
        if (b == 0) {
            set_bad(c, BAD_NUL, f);
            p++;
        } else if (b >= 0x80) {
            n = utf8_seq(p, e);
            if (n < 0 && !eof)
                goto more;
            if (n <= 0) {
                set_bad(c, BAD_UTF8, f);
                n = 1;
            }
            while (n--)
                *w++ = (char)*p++;
        } else {
            *w++ = (char)b;
            p++;
        }
    }

end_record:
    *w++ = '\0';
    c->nfields = f + 1;
    c->off[f + 1] = (size_t)(w - c->rec);
    c->line = c->next_line;
    c->next_line += nl;
    c->pos = (size_t)((const char *)p - c->buf);
    return 1;

more:
    c->bad_field = f;
    return NEED_MORE;
}

/* ---- a file in GB18030 ---- */

/* 1 if the whole source is GB18030 (single bytes 00-7F; two bytes 81-FE
 * 40-7E|80-FE; four bytes 81-FE 30-39 81-FE 30-39) and does not start with
 * a UTF-8 BOM; 0 if not; SMG_EIO. The file is read from its start in
 * chunks, and the position is put back for the reader. */
static int gb18030_scan(const unsigned char *p, size_t n, int *st)
{
    size_t i;
    int s = *st;
    for (i = 0; i < n; i++) {
        unsigned b = p[i];
        switch (s) {
        case 0:
            if (b >= 0x81 && b <= 0xFE)
                s = 1;
            else if (b >= 0x80)
                return 0;
            break;
        case 1:
            if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE))
                s = 0;
            else if (b >= 0x30 && b <= 0x39)
                s = 2;
            else
                return 0;
            break;
        case 2:
            if (b < 0x81 || b > 0xFE)
                return 0;
            s = 3;
            break;
        default:
            if (b < 0x30 || b > 0x39)
                return 0;
            s = 0;
            break;
        }
    }
    *st = s;
    return 1;
}

static int gb18030_throughout(smgi_csv *c)
{
    unsigned char chunk[1 << 14];
    int st = 0, ok = 1;
    size_t n, total = 0;
    fpos_t at;
    if (!c->f) {
        const unsigned char *m = (const unsigned char *)c->mem;
        if (c->mem_len >= 3 && m[0] == 0xEF && m[1] == 0xBB && m[2] == 0xBF)
            return 0;
        return gb18030_scan(m, c->mem_len, &st) && st == 0;
    }
    if (fgetpos(c->f, &at) || fseek(c->f, 0L, SEEK_SET))
        return SMG_EIO;
    /* bounded by the file's size (it may grow while it is read) */
    while (ok && total < c->size &&
           (n = fread(chunk, 1, c->size - total < sizeof chunk ? (size_t)(c->size - total)
                                                                 : sizeof chunk, c->f)) > 0) {
        if (total == 0 && n >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF)
            ok = 0;
        total += n;
        ok = ok && gb18030_scan(chunk, n, &st);
    }
    if (ferror(c->f))
        ok = SMG_EIO;
    if (fsetpos(c->f, &at))
        return SMG_EIO;
    return ok == 1 ? st == 0 : ok;
}

/* Parse the next record, refilling as needed, and report a bad one.
 * 1, 0, SMG_EPARSE (skipped), or a fatal status (reading stops). */
static int read_record(smgi_csv *c)
{
    int rc;
    if (c->done)
        return 0;
    if (!c->started && (rc = start(c))) {
        if (rc == SMG_EPARSE) {
            c->done = 1; /* reported */
            return rc;
        }
        return fatal(c, rc);
    }
    for (;;) {
        size_t i;
        int empty = 1;
        rc = parse_record(c);
        if (rc == NEED_MORE) {
            rc = fill(c);
            if (rc == TOO_LONG) {
                report(c, SMG_EPARSE, c->next_line, (long)c->bad_field,
                       "the record is longer than %lu bytes (an unterminated quote?)",
                       (unsigned long)c->max_record);
                /* resume on the line after the one the record starts on */
                if ((rc = skip_line(c)))
                    return fatal(c, rc);
                return SMG_EPARSE;
            }
            if (rc)
                return fatal(c, rc);
            continue;
        }
        if (rc == 0) {
            c->done = 1;
            return 0;
        }
        if (rc == UNTERMINATED) {
            report(c, SMG_EPARSE, c->next_line, (long)c->bad_field,
                   "unterminated quoted field");
            if ((rc = skip_line(c)))
                return fatal(c, rc);
            return SMG_EPARSE;
        }
        if (rc < 0)
            return fatal(c, rc);
        for (i = 0; i < c->nfields && empty; i++)
            empty = c->off[i + 1] - c->off[i] == 1;
        if (empty && !c->bad)
            continue; /* a row of empty cells, as spreadsheets write */
        switch (c->bad) {
        case BAD_UTF8:
            if (!c->gb_checked) {
                c->gb_checked = 1;
                rc = gb18030_throughout(c);
                if (rc < 0)
                    return fatal(c, rc);
                if (rc) {
                    report(c, SMG_EPARSE, c->line, (long)c->bad_field,
                           "not UTF-8: the file looks like GB18030 (GBK), as Chinese Excel "
                           "saves \"CSV\"; read it with --encoding gb18030, or save it as "
                           "\"CSV UTF-8\"");
                    c->foreign = 1;
                    c->done = 1;
                    return SMG_EPARSE;
                }
            }
            report(c, SMG_EPARSE, c->line, (long)c->bad_field, "invalid UTF-8");
            return SMG_EPARSE;
        case BAD_NUL:
            report(c, SMG_EPARSE, c->line, (long)c->bad_field, "a NUL byte");
            return SMG_EPARSE;
        case BAD_AFTER_QUOTE:
            report(c, SMG_EPARSE, c->line, (long)c->bad_field,
                   "text after the closing quote (a quote inside a quoted field is "
                   "written \"\")");
            return SMG_EPARSE;
        }
        return 1;
    }
}

int smgi_csv_next(smgi_csv *c)
{
    int rc = read_record(c);
    size_t i;
    if (rc != 1)
        return rc;
    /* trailing empty cells past the header's columns are harmless */
    for (i = c->nhdr; i < c->nfields; i++)
        if (c->off[i + 1] - c->off[i] > 1) {
            report(c, SMG_EPARSE, c->line, (long)i,
                   "the row has %lu fields, the header only %lu columns",
                   (unsigned long)c->nfields, (unsigned long)c->nhdr);
            return SMG_EPARSE;
        }
    return 1;
}

int smgi_csv_header(smgi_csv *c, const smgi_csv_column *cols, size_t ncols)
{
    size_t k, i;
    unsigned long line;
    int rc, bad = 0;
    if (ncols > SMGI_CSV_MAX_COLUMNS)
        return SMG_EINVAL;
    c->cols = cols;
    c->ncols = ncols;
    for (k = 0; k < SMGI_CSV_MAX_COLUMNS; k++)
        c->map[k] = -1;
    rc = read_record(c);
    if (rc == SMG_EPARSE)
        return rc;
    if (rc < 0)
        return rc;
    line = rc == 1 ? c->line : 1;
    if (rc == 1) {
        size_t size = c->off[c->nfields];
        c->hdr = smgi_malloc(c->alloc, size);
        c->hdr_off = smgi_malloc(c->alloc, (c->nfields + 1) * sizeof *c->hdr_off);
        if (!c->hdr || !c->hdr_off)
            return fatal(c, SMG_ENOMEM);
        memcpy(c->hdr, c->rec, size);
        memcpy(c->hdr_off, c->off, (c->nfields + 1) * sizeof *c->hdr_off);
        c->nhdr = c->nfields;
        /* names are compared without surrounding spaces */
        for (i = 0; i < c->nhdr; i++) {
            char *s = c->hdr + c->hdr_off[i];
            size_t n = strlen(s);
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                s[--n] = '\0';
            while (*s == ' ' || *s == '\t') {
                s++;
                c->hdr_off[i]++;
            }
        }
    }
    for (k = 0; k < ncols; k++) {
        for (i = 0; i < c->nhdr; i++) {
            if (strcmp(c->hdr + c->hdr_off[i], cols[k].name) != 0)
                continue;
            if (c->map[k] >= 0) {
                report(c, SMG_EPARSE, line, (long)i, "the header names this column twice");
                bad = 1;
            } else {
                c->map[k] = (long)i;
            }
        }
        if (c->map[k] < 0 && cols[k].required) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s:%lu: column %s: required column is missing", c->name,
                     line, cols[k].name);
            if (c->on_error)
                c->on_error(c->ctx, SMG_EPARSE, msg);
            bad = 1;
        }
    }
    /* the columns that are none of the caller's: a near miss is a typo */
    for (i = 0; i < c->nhdr; i++) {
        const char *name = c->hdr + c->hdr_off[i];
        long best = -1;
        int d, bd = 3;
        if (!smgi_csv_ignored(c, i))
            continue;
        for (k = 0; k < ncols && strcmp(name, cols[k].name) != 0; k++)
            ;
        if (k < ncols)
            continue; /* named twice: reported above */
        for (k = 0; k < ncols; k++)
            if ((d = smgi_csv_near_miss(name, cols[k].name)) >= 0 && d < bd) {
                bd = d;
                best = (long)k;
            }
        if (best >= 0) /* an error, but the rows can still be read */
            report(c, SMG_EPARSE, line, (long)i, "unknown column; did you mean %s?",
                   cols[best].name);
        else if (!*name)
            report(c, SMGI_CSV_WARNING, line, (long)i, "a column without a name; ignored");
        else
            report(c, SMGI_CSV_WARNING, line, (long)i, "unknown column; ignored");
    }
    return bad ? SMG_EPARSE : 0;
}

int smgi_csv_ignored(const smgi_csv *c, size_t i)
{
    size_t k;
    for (k = 0; k < c->ncols; k++)
        if (c->map[k] == (long)i)
            return 0;
    return 1;
}

/* name without case and '_', '-', ' ' into out (room for cap bytes); its
 * length, or cap + 1 when it does not fit. */
static size_t normalise(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    for (; *name; name++) {
        char ch = *name;
        if (ch == '_' || ch == '-' || ch == ' ')
            continue;
        if (n == cap)
            return cap + 1;
        out[n++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    return n;
}

int smgi_csv_near_miss(const char *name, const char *known)
{
    enum { CAP = 64 };
    char a[CAP], b[CAP];
    /* three rows of the edit table (optimal string alignment) */
    int r0[CAP + 1], r1[CAP + 1], r2[CAP + 1], *pp = r0, *p = r1, *q = r2, *t;
    size_t n = normalise(name, a, CAP), m = normalise(known, b, CAP), i, j;
    int most;
    if (n > CAP || m > CAP || n == 0)
        return -1;
    most = m <= 2 ? 0 : m <= 5 ? 1 : 2;
    if ((n > m ? n - m : m - n) > (size_t)most)
        return -1;
    for (j = 0; j <= m; j++)
        p[j] = (int)j;
    for (i = 1; i <= n; i++) {
        int lo = (int)i;
        q[0] = (int)i;
        for (j = 1; j <= m; j++) {
            int v = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (q[j - 1] + 1 < v)
                v = q[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            q[j] = v;
            if (v < lo)
                lo = v;
        }
        if (lo > most)
            return -1;
        t = pp;
        pp = p;
        p = q;
        q = t;
    }
    return p[m] <= most ? p[m] : -1;
}
