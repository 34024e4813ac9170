/* Output: tables as text, CSV, JSON or an xlsx workbook; a JSON writer;
 * documents. See out.h. */
#include "out.h"
#include "xlsx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int out_format_parse(const char *s, out_format *out)
{
    static const char *const names[] = { "table", "csv", "json", "xlsx" };
    int i;
    if (!s)
        return -1;
    for (i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (out_format)i;
            return 0;
        }
    return -1;
}

/* ---- UTF-8 and display width ---- */

#define BAD_CP OUT_BAD_CP

/* (out.h) */
size_t out_utf8_next(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    uint32_t v;
    size_t n, i;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, v = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, v = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, v = c & 0x07;
    else {
        *cp = BAD_CP;
        return 1;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) { /* also stops at the NUL */
            *cp = BAD_CP;
            return 1;
        }
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (n == 4 && (v < 0x10000 || v > 0x10ffff))) {
        *cp = BAD_CP;
        return 1;
    }
    *cp = v;
    return n;
}

typedef struct range {
    uint32_t lo, hi;
} range;

/* Combining marks and zero-width characters. */
static const range zero_width[] = {
    { 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
    { 0x064b, 0x065f }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e },
    { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
    { 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0x302a, 0x302d }, { 0x3099, 0x309a },
    { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
};

/* East Asian Wide (W) and Fullwidth (F) blocks. */
static const range wide[] = {
    { 0x1100, 0x115f },   /* Hangul Jamo initials */
    { 0x231a, 0x231b },   { 0x2329, 0x232a }, { 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 },
    { 0x23f3, 0x23f3 },   { 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
    { 0x267f, 0x267f },   { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 }, { 0x26aa, 0x26ab },
    { 0x26bd, 0x26be },   { 0x26c4, 0x26c5 }, { 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 },
    { 0x26ea, 0x26ea },   { 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
    { 0x26fd, 0x26fd },   { 0x2705, 0x2705 }, { 0x270a, 0x270b }, { 0x2728, 0x2728 },
    { 0x274c, 0x274c },   { 0x274e, 0x274e }, { 0x2753, 0x2755 }, { 0x2757, 0x2757 },
    { 0x2795, 0x2797 },   { 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
    { 0x2b50, 0x2b50 },   { 0x2b55, 0x2b55 },
    { 0x2e80, 0x303e },   /* CJK radicals, Kangxi, ideographic description, CJK punctuation */
    { 0x3041, 0x33ff },   /* kana, bopomofo, Hangul compatibility, CJK compatibility */
    { 0x3400, 0x4dbf },   /* CJK extension A */
    { 0x4e00, 0x9fff },   /* CJK unified ideographs */
    { 0xa000, 0xa4cf },   /* Yi */
    { 0xa960, 0xa97f },   /* Hangul Jamo extended A */
    { 0xac00, 0xd7a3 },   /* Hangul syllables */
    { 0xf900, 0xfaff },   /* CJK compatibility ideographs */
    { 0xfe10, 0xfe19 },   /* vertical forms */
    { 0xfe30, 0xfe6f },   /* CJK compatibility forms, small forms */
    { 0xff00, 0xff60 },   /* fullwidth forms */
    { 0xffe0, 0xffe6 },   /* fullwidth signs */
    { 0x16fe0, 0x16fe4 }, { 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff },
    { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a },
    { 0x1f200, 0x1f202 }, { 0x1f210, 0x1f23b }, { 0x1f240, 0x1f248 }, { 0x1f250, 0x1f251 },
    { 0x1f260, 0x1f265 },
    { 0x1f300, 0x1f64f },  /* emoji: pictographs, emoticons */
    { 0x1f680, 0x1f6ff },  /* transport and map symbols */
    { 0x1f7e0, 0x1f7eb },
    { 0x1f90c, 0x1f9ff },  /* supplemental symbols and pictographs */
    { 0x1fa70, 0x1faff },
    { 0x20000, 0x2fffd },  /* CJK extensions B-F, compatibility supplement */
    { 0x30000, 0x3fffd },  /* CJK extension G */
};

static int in_ranges(uint32_t c, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    if (c < r[0].lo || c > r[n - 1].hi)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c > r[mid].hi)
            lo = mid + 1;
        else if (c < r[mid].lo)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

int out_wcwidth(uint32_t c)
{
    if (c == 0)
        return 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return -1;
    if (c < 0x300)
        return 1;
    if (in_ranges(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_ranges(c, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

size_t out_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    if (!s)
        return 0;
    while (*p) {
        uint32_t cp;
        int cw;
        p += out_utf8_next(p, &cp);
        cw = cp == BAD_CP ? 1 : out_wcwidth(cp);
        w += cw < 0 ? 1 : (size_t)cw;
    }
    return w;
}

/* Print @p s for a text table: control characters become spaces, so that
 * every character takes the width out_display_width() counted. */
static void put_text(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = out_utf8_next(p, &cp);
        if (cp != BAD_CP && out_wcwidth(cp) < 0)
            putc(' ', f);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}

static void put_spaces(FILE *f, size_t n)
{
    while (n--)
        putc(' ', f);
}

/* ---- tables ---- */

/* K_RATE and K_DATE are a number and a string everywhere but in a
 * workbook, where they get a percent and a date format. */
enum kind { K_NULL, K_STR, K_NUM, K_MONEY, K_BOOL, K_RATE, K_DATE };

typedef struct cell {
    size_t raw;  /* arena offset of the CSV/JSON text */
    size_t text; /* arena offset of the text-table form */
    unsigned char kind;
} cell;

typedef struct column {
    char *name;
    out_align align;
} column;

struct out_table {
    column *cols;
    size_t ncols, cols_cap;
    cell *cells; /* nrows * ncols */
    size_t ncells, cells_cap;
    size_t nrows;
    size_t filled; /* cells given in the current row */
    char *arena;
    size_t alen, acap;
    int err;
};

int out_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (c < need) {
        if (c > (size_t)-1 / 2 / size)
            return -1;
        c *= 2;
    }
    q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

out_table *out_table_new(void)
{
    return calloc(1, sizeof(out_table));
}

void out_table_free(out_table *t)
{
    size_t i;
    if (!t)
        return;
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i].name);
    free(t->cols);
    free(t->cells);
    free(t->arena);
    free(t);
}

size_t out_table_rows(const out_table *t)
{
    return t ? t->nrows : 0;
}

size_t out_table_cols(const out_table *t)
{
    return t ? t->ncols : 0;
}

int out_table_col(out_table *t, const char *name, out_align align)
{
    char *copy;
    size_t n;
    if (!t || t->err)
        return -1;
    if (t->nrows || !name || out_grow((void **)&t->cols, &t->cols_cap, t->ncols + 1, sizeof(column))) {
        t->err = 1;
        return -1;
    }
    n = strlen(name) + 1;
    copy = malloc(n);
    if (!copy) {
        t->err = 1;
        return -1;
    }
    memcpy(copy, name, n);
    t->cols[t->ncols].name = copy;
    t->cols[t->ncols].align = align;
    t->ncols++;
    return 0;
}

/* Copy @p s into the arena. @return its offset, or (size_t)-1 */
static size_t arena_put(out_table *t, const char *s)
{
    size_t n = strlen(s) + 1, off = t->alen;
    if (out_grow((void **)&t->arena, &t->acap, t->alen + n, 1))
        return (size_t)-1;
    memcpy(t->arena + off, s, n);
    t->alen += n;
    return off;
}

int out_table_row(out_table *t)
{
    size_t i;
    if (!t || t->err)
        return -1;
    if (!t->ncols || out_grow((void **)&t->cells, &t->cells_cap, t->ncells + t->ncols, sizeof(cell))) {
        t->err = 1;
        return -1;
    }
    for (i = 0; i < t->ncols; i++) {
        cell *c = &t->cells[t->ncells + i];
        c->kind = K_NULL;
        c->raw = c->text = 0;
    }
    t->ncells += t->ncols;
    t->nrows++;
    t->filled = 0;
    return 0;
}

/* Set the next cell of the current row: @p raw for CSV/JSON, @p text for
 * text tables (NULL = same as raw). */
static int put_cell(out_table *t, unsigned char kind, const char *raw, const char *text)
{
    cell *c;
    if (!t || t->err)
        return -1;
    if (!t->nrows || t->filled >= t->ncols) {
        t->err = 1;
        return -1;
    }
    c = &t->cells[(t->nrows - 1) * t->ncols + t->filled];
    c->kind = kind;
    if (kind != K_NULL) {
        c->raw = arena_put(t, raw);
        c->text = text ? arena_put(t, text) : c->raw;
        if (c->raw == (size_t)-1 || c->text == (size_t)-1) {
            t->err = 1;
            return -1;
        }
    }
    t->filled++;
    return 0;
}

int out_null(out_table *t)
{
    return put_cell(t, K_NULL, NULL, NULL);
}

int out_str(out_table *t, const char *s)
{
    return s ? put_cell(t, K_STR, s, NULL) : out_null(t);
}

int out_int(out_table *t, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return put_cell(t, K_NUM, buf, NULL);
}

int out_money(out_table *t, smg_money m)
{
    char buf[32];
    if (m == SMG_MONEY_NONE)
        return out_null(t);
    if (smg_money_format(buf, sizeof buf, m) < 0) {
        if (t)
            t->err = 1;
        return -1;
    }
    return put_cell(t, K_MONEY, buf, NULL);
}

/* A finite double as a JSON number (C locale: the CLI never calls
 * setlocale). */
static void format_number(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.10g", v);
    out_unsign_zero(buf);
}

void out_unsign_zero(char *s)
{
    const char *p;
    if (!s || s[0] != '-')
        return;
    for (p = s + 1; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '1' && *p <= '9')
            return;
    memmove(s, s + 1, strlen(s));
}

int out_rate(out_table *t, double v, int is_null)
{
    char raw[40], text[48];
    if (is_null || !isfinite(v))
        return out_null(t);
    format_number(raw, sizeof raw, v);
    snprintf(text, sizeof text, "%.1f%%", v * 100.0);
    out_unsign_zero(text);
    return put_cell(t, K_RATE, raw, text);
}

int out_num(out_table *t, double v, int decimals)
{
    char buf[64];
    if (!isfinite(v))
        return out_null(t);
    if (decimals < 0 || decimals > 17)
        decimals = 6;
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    out_unsign_zero(buf);
    return put_cell(t, K_NUM, buf, NULL);
}

int out_bool(out_table *t, int b)
{
    return put_cell(t, K_BOOL, b ? "true" : "false", b ? "yes" : "no");
}

int out_date(out_table *t, int64_t d)
{
    char buf[16];
    if (d == SMG_DATE_NONE || d < INT32_MIN || d > INT32_MAX ||
        smg_date_format(buf, sizeof buf, (smg_date)d) < 0)
        return out_null(t);
    return put_cell(t, K_DATE, buf, NULL);
}

static const cell *cell_at(const out_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->ncols + col];
}

static const char *cell_text(const out_table *t, const cell *c)
{
    return c->kind == K_NULL ? "-" : t->arena + c->text;
}

static int write_text(const out_table *t, FILE *f)
{
    size_t *w, r, c;
    w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
    if (!w)
        return -1;
    for (c = 0; c < t->ncols; c++)
        w[c] = out_display_width(t->cols[c].name);
    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            size_t cw = out_display_width(cell_text(t, cell_at(t, r, c)));
            if (cw > w[c])
                w[c] = cw;
        }
    for (r = 0; r < t->nrows + 2; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *s;
            size_t sw, i;
            int last = c + 1 == t->ncols;
            if (c)
                fputs("  ", f);
            if (r == 1) {
                for (i = 0; i < w[c]; i++)
                    putc('-', f);
                continue;
            }
            s = r == 0 ? t->cols[c].name : cell_text(t, cell_at(t, r - 2, c));
            sw = out_display_width(s);
            if (t->cols[c].align == OUT_RIGHT)
                put_spaces(f, w[c] - sw);
            put_text(f, s);
            if (t->cols[c].align == OUT_LEFT && !last)
                put_spaces(f, w[c] - sw);
        }
        putc('\n', f);
    }
    free(w);
    return 0;
}

void out_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

static void csv_row(const out_table *t, FILE *f, size_t r)
{
    size_t c;
    for (c = 0; c < t->ncols; c++) {
        const cell *x = cell_at(t, r, c);
        if (c)
            putc(',', f);
        if (x->kind != K_NULL)
            out_csv_field(f, t->arena + x->raw);
    }
    putc('\n', f);
}

static void csv_header(const out_table *t, FILE *f)
{
    size_t c;
    for (c = 0; c < t->ncols; c++) {
        if (c)
            putc(',', f);
        out_csv_field(f, t->cols[c].name);
    }
    putc('\n', f);
}

static int finish_write(FILE *f, int rc)
{
    return rc || ferror(f) ? -1 : 0;
}

/* ---- the byte order mark of CSV output ---- */

/* The stream that still owes a BOM (out_csv_bom()); the CLI writes one
 * stream, so one is enough. */
static FILE *bom_stream;

void out_csv_bom(FILE *f)
{
    bom_stream = f;
}

/* Before the first byte of CSV output on @p f: the BOM, when asked for. */
static void put_bom(FILE *f)
{
    if (bom_stream && bom_stream == f) {
        fputs("\xef\xbb\xbf", f);
        bom_stream = NULL;
    }
}

/* ---- workbooks ---- */

/* @p t (only its first row when @p record) as a new sheet of @p b named
 * @p name: the header in bold, money, rates and dates as numbers with
 * their formats, counts as numbers, booleans as booleans, null as an
 * empty cell. @return 0 or -1 */
static int xlsx_table(xlsx_book *b, const char *name, const out_table *t, int record)
{
    size_t r, c, nrows;
    if (!t || t->err || xlsx_sheet(b, name))
        return -1;
    xlsx_row(b);
    for (c = 0; c < t->ncols; c++)
        xlsx_str(b, t->cols[c].name, XLSX_HEADER);
    nrows = record && t->nrows > 1 ? 1 : t->nrows;
    for (r = 0; r < nrows; r++) {
        if (xlsx_row(b))
            return -1;
        for (c = 0; c < t->ncols; c++) {
            const cell *x = cell_at(t, r, c);
            const char *raw = t->arena + x->raw;
            switch (x->kind) {
            case K_NULL: xlsx_empty(b); break;
            case K_NUM: xlsx_num(b, raw, XLSX_GENERAL); break;
            case K_MONEY: xlsx_num(b, raw, XLSX_MONEY); break;
            case K_RATE: xlsx_num(b, raw, XLSX_PERCENT); break;
            case K_DATE: xlsx_date(b, raw); break;
            case K_BOOL: xlsx_bool(b, raw[0] == 't'); break;
            default: xlsx_str(b, raw, XLSX_GENERAL); break;
            }
        }
    }
    return 0;
}

/* The name of the sheet of a workbook of one table (out_xlsx_name()). */
static const char *single_name = "Sheet1";

void out_xlsx_name(const char *name)
{
    single_name = name ? name : "Sheet1";
}

/* A workbook of the one sheet holding @p t. */
static int xlsx_single(const out_table *t, FILE *f, int record)
{
    xlsx_book *b = xlsx_new();
    int rc = !b || xlsx_table(b, single_name, t, record) || xlsx_write(b, f) ? -1 : 0;
    xlsx_free(b);
    return rc;
}

int out_table_write(const out_table *t, out_format fmt, FILE *f)
{
    size_t r;
    int rc = 0;
    if (!t || t->err)
        return -1;
    if (fmt == OUT_JSON) {
        out_json j;
        out_json_init(&j, f);
        out_json_table(&j, t);
        rc = out_json_finish(&j);
    } else if (fmt == OUT_CSV) {
        put_bom(f);
        csv_header(t, f);
        for (r = 0; r < t->nrows; r++)
            csv_row(t, f, r);
    } else if (fmt == OUT_XLSX) {
        rc = xlsx_single(t, f, 0);
    } else {
        rc = write_text(t, f);
    }
    return finish_write(f, rc);
}

static int write_record_text(const out_table *t, FILE *f)
{
    size_t c, w = 0;
    for (c = 0; c < t->ncols; c++) {
        size_t cw = out_display_width(t->cols[c].name);
        if (cw > w)
            w = cw;
    }
    for (c = 0; c < t->ncols; c++) {
        put_text(f, t->cols[c].name);
        putc(':', f);
        put_spaces(f, w - out_display_width(t->cols[c].name) + 1);
        put_text(f, t->nrows ? cell_text(t, cell_at(t, 0, c)) : "-");
        putc('\n', f);
    }
    return 0;
}

int out_record_write(const out_table *t, out_format fmt, FILE *f)
{
    int rc = 0;
    if (!t || t->err)
        return -1;
    if (fmt == OUT_JSON) {
        out_json j;
        out_json_init(&j, f);
        out_json_record(&j, t);
        rc = out_json_finish(&j);
    } else if (fmt == OUT_CSV) {
        put_bom(f);
        csv_header(t, f);
        if (t->nrows)
            csv_row(t, f, 0);
    } else if (fmt == OUT_XLSX) {
        rc = xlsx_single(t, f, 1);
    } else {
        rc = write_record_text(t, f);
    }
    return finish_write(f, rc);
}

/* ---- JSON ---- */

void out_json_string(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    putc('"', f);
    while (*p) {
        uint32_t cp;
        size_t n = out_utf8_next(p, &cp);
        if (cp == BAD_CP) {
            fputs("\\ufffd", f);
        } else if (cp == '"' || cp == '\\') {
            putc('\\', f);
            putc((int)cp, f);
        } else if (cp < 0x20) {
            switch (cp) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            default:
                fputs("\\u00", f);
                putc(hex[cp >> 4], f);
                putc(hex[cp & 15], f);
            }
        } else {
            fwrite(p, 1, n, f);
        }
        p += n;
    }
    putc('"', f);
}

void out_json_init(out_json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
}

/* Before a value: the comma, or the check that a key came first. */
static int pre_value(out_json *j)
{
    if (j->err)
        return -1;
    if (j->depth == 0) {
        if (j->count[0]) {
            j->err = 1; /* a second top-level value */
            return -1;
        }
        j->count[0] = 1;
        return 0;
    }
    if (j->close[j->depth] == '}') {
        if (!j->after_key) {
            j->err = 1;
            return -1;
        }
        j->after_key = 0;
        return 0;
    }
    if (j->count[j->depth])
        putc(',', j->f);
    j->count[j->depth] = 1;
    return 0;
}

static void open_container(out_json *j, int open, int close)
{
    if (pre_value(j))
        return;
    if (j->depth + 1 >= OUT_JSON_MAX_DEPTH) {
        j->err = 1;
        return;
    }
    j->depth++;
    j->close[j->depth] = (unsigned char)close;
    j->count[j->depth] = 0;
    putc(open, j->f);
}

void out_json_object(out_json *j)
{
    open_container(j, '{', '}');
}

void out_json_array(out_json *j)
{
    open_container(j, '[', ']');
}

void out_json_end(out_json *j)
{
    if (j->err)
        return;
    if (j->depth == 0 || j->after_key) {
        j->err = 1;
        return;
    }
    putc(j->close[j->depth], j->f);
    j->depth--;
}

void out_json_key(out_json *j, const char *key)
{
    if (j->err)
        return;
    if (j->depth == 0 || j->close[j->depth] != '}' || j->after_key || !key) {
        j->err = 1;
        return;
    }
    if (j->count[j->depth])
        putc(',', j->f);
    j->count[j->depth] = 1;
    out_json_string(j->f, key);
    putc(':', j->f);
    j->after_key = 1;
}

static void json_raw(out_json *j, const char *text)
{
    if (!pre_value(j))
        fputs(text, j->f);
}

void out_json_null(out_json *j)
{
    json_raw(j, "null");
}

void out_json_str(out_json *j, const char *s)
{
    if (!s)
        out_json_null(j);
    else if (!pre_value(j))
        out_json_string(j->f, s);
}

void out_json_int(out_json *j, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    json_raw(j, buf);
}

void out_json_money(out_json *j, smg_money m)
{
    char buf[32];
    if (m == SMG_MONEY_NONE) {
        out_json_null(j);
        return;
    }
    if (smg_money_format(buf, sizeof buf, m) < 0) {
        j->err = 1;
        return;
    }
    out_json_str(j, buf);
}

void out_json_rate(out_json *j, double v, int is_null)
{
    char buf[40];
    if (is_null || !isfinite(v)) {
        out_json_null(j);
        return;
    }
    format_number(buf, sizeof buf, v);
    json_raw(j, buf);
}

void out_json_num(out_json *j, double v, int decimals)
{
    char buf[64];
    if (!isfinite(v)) {
        out_json_null(j);
        return;
    }
    if (decimals < 0 || decimals > 17)
        decimals = 6;
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    out_unsign_zero(buf);
    json_raw(j, buf);
}

void out_json_bool(out_json *j, int b)
{
    json_raw(j, b ? "true" : "false");
}

static void json_row(out_json *j, const out_table *t, size_t r)
{
    size_t c;
    out_json_object(j);
    for (c = 0; c < t->ncols; c++) {
        const cell *x = cell_at(t, r, c);
        const char *raw = t->arena + x->raw;
        out_json_key(j, t->cols[c].name);
        switch (x->kind) {
        case K_NULL: out_json_null(j); break;
        case K_STR:
        case K_DATE:
        case K_MONEY: out_json_str(j, raw); break;
        default: json_raw(j, raw); break; /* numbers, true/false */
        }
    }
    out_json_end(j);
}

void out_json_table(out_json *j, const out_table *t)
{
    size_t r;
    if (!t || t->err) {
        j->err = 1;
        return;
    }
    out_json_array(j);
    for (r = 0; r < t->nrows; r++)
        json_row(j, t, r);
    out_json_end(j);
}

void out_json_record(out_json *j, const out_table *t)
{
    if (!t || t->err) {
        j->err = 1;
        return;
    }
    if (t->nrows)
        json_row(j, t, 0);
    else
        out_json_null(j);
}

int out_json_finish(out_json *j)
{
    if (j->err || j->depth != 0 || !j->count[0])
        return -1;
    putc('\n', j->f);
    return ferror(j->f) ? -1 : 0;
}

/* ---- documents ---- */

void out_doc_begin(out_doc *d, FILE *f, out_format fmt)
{
    memset(d, 0, sizeof *d);
    d->f = f;
    d->fmt = fmt;
    if (fmt == OUT_JSON) {
        out_json_init(&d->json, f);
        out_json_object(&d->json);
    } else if (fmt == OUT_XLSX) {
        d->book = xlsx_new();
        if (!d->book)
            d->err = 1;
    }
}

static void doc_section(out_doc *d, const char *key, const char *title, const out_table *t,
                        int record)
{
    if (!t || t->err) {
        d->err = 1;
        return;
    }
    if (d->fmt == OUT_JSON) {
        out_json_key(&d->json, key);
        if (record)
            out_json_record(&d->json, t);
        else
            out_json_table(&d->json, t);
        return;
    }
    if (d->fmt == OUT_XLSX) {
        if (!d->book || xlsx_table(d->book, key, t, record))
            d->err = 1;
        d->sections++;
        return;
    }
    if (d->sections || d->notes)
        putc('\n', d->f);
    d->notes = 0;
    if (d->fmt == OUT_CSV) {
        put_bom(d->f);
        fputs("# ", d->f);
        put_text(d->f, title);
        putc('\n', d->f);
    } else {
        size_t i, w = out_display_width(title);
        put_text(d->f, title);
        putc('\n', d->f);
        for (i = 0; i < w; i++)
            putc('=', d->f);
        putc('\n', d->f);
    }
    if ((record ? out_record_write : out_table_write)(t, d->fmt, d->f))
        d->err = 1;
    d->sections++;
}

void out_doc_table(out_doc *d, const char *key, const char *title, const out_table *t)
{
    doc_section(d, key, title, t, 0);
}

void out_doc_record(out_doc *d, const char *key, const char *title, const out_table *t)
{
    doc_section(d, key, title, t, 1);
}

void out_doc_note(out_doc *d, const char *text)
{
    if (d->fmt != OUT_TABLE || !text)
        return;
    if (d->sections && !d->notes)
        putc('\n', d->f); /* a blank line between a table and its notes */
    d->notes++;
    put_text(d->f, text);
    putc('\n', d->f);
}

int out_doc_end(out_doc *d)
{
    if (d->fmt == OUT_JSON) {
        out_json_end(&d->json);
        if (out_json_finish(&d->json))
            d->err = 1;
    } else if (d->fmt == OUT_XLSX) {
        /* the whole workbook at the end: nothing is written on an error */
        if (!d->err && xlsx_write(d->book, d->f))
            d->err = 1;
        xlsx_free(d->book);
        d->book = NULL;
    }
    return d->err || ferror(d->f) ? -1 : 0;
}

/* ---- HTML ---- */

void out_html_text(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!s)
        return;
    while (*p) {
        uint32_t cp;
        size_t n = out_utf8_next(p, &cp);
        if (cp == BAD_CP)
            fputs("\xef\xbf\xbd", f); /* U+FFFD */
        else if (cp == '&')
            fputs("&amp;", f);
        else if (cp == '<')
            fputs("&lt;", f);
        else if (cp == '>')
            fputs("&gt;", f);
        else if (cp == '"')
            fputs("&quot;", f);
        else if (cp == '\'')
            fputs("&#39;", f);
        else if (cp != '\t' && cp != '\n' && out_wcwidth(cp) < 0)
            putc(' ', f);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}
