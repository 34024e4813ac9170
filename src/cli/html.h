/* Typed tables and the HTML page of `salesmgmt report --html` (and the
 * single-CSV form of the report).
 *
 * A typed table (rt_table) keeps each cell's value and type (money, a
 * count, a rate, ...) so that one table can be shown three ways: as an
 * out_table (text, CSV, JSON: exactly as out.h renders them, rt_to_out()),
 * as a cell of a wider table (rt_emit(): the report's one CSV with a
 * leading "section" column), and as HTML with humanised headers,
 * thousands separators and percentages (html_table()).
 *
 * The HTML page is self-contained: inline CSS and SVG, no script, no
 * external resource; `lang` is "zh-CN" or "en"; an @page rule prints it on
 * A4 landscape with wide tables wrapping (nothing cut). It is written
 * atomically (html_write_file(): a temporary file in the same folder,
 * fsync, rename), so a failure never destroys the previous page. */
#ifndef SMG_CLI_HTML_H
#define SMG_CLI_HTML_H

#include <stddef.h>
#include <stdio.h>

#include <salesmgmt.h>

#include "out.h"

/* ---- typed tables ---- */

typedef enum rt_kind {
    RT_NULL = 0,
    RT_STR,   /* s */
    RT_INT,   /* i */
    RT_MONEY, /* i: minor units */
    RT_RATE,  /* d: 1.0 = 100% */
    RT_NUM,   /* d with `decimals` decimals */
    RT_DATE,  /* i: smg_date */
    RT_BOOL   /* i: 0 or 1 */
} rt_kind;

typedef struct rt_cell {
    rt_kind kind;
    int decimals; /* RT_NUM; RT_STR: 1 = a word of the label table */
    long long i;
    double d;
    char *s;
} rt_cell;

/* Column flags. */
enum {
    RT_LABEL = 1u,   /* the values are words of the label table (a reason, a tier, a
                        metric): the HTML page shows their label */
};

typedef struct rt_col {
    char *key; /* JSON key, CSV header; the HTML page shows its label */
    out_align align;
    unsigned flags;
} rt_col;

typedef struct rt_table {
    rt_col *cols;
    size_t ncols, cols_cap;
    rt_cell *cells; /* nrows * ncols */
    size_t nrows, rows_cap, filled;
    size_t emphasis; /* rows from this one on are emphasised (a total), or (size_t)-1 */
    int err;         /* a failed allocation or a misuse */
} rt_table;

/* @return a new empty table, or NULL when out of memory */
rt_table *rt_new(void);
void rt_free(rt_table *t);
/* Add a column (before the first row). @return 0 or -1 */
int rt_col_add(rt_table *t, const char *key, out_align align, unsigned flags);
/* Start a row; cells not given are null. @return 0 or -1 */
int rt_row(rt_table *t);
/* The next cell of the current row. @return 0 or -1 */
int rt_null(rt_table *t);
int rt_str(rt_table *t, const char *s); /* NULL = null */
/* A word of the label table (e.g. "total"): itself in text, CSV and JSON,
 * its label on the HTML page. */
int rt_label(rt_table *t, const char *key);
int rt_int(rt_table *t, long long v);
int rt_money(rt_table *t, smg_money m); /* SMG_MONEY_NONE = null */
int rt_rate(rt_table *t, double v, int is_null);
int rt_num(rt_table *t, double v, int decimals);
int rt_date(rt_table *t, int64_t d); /* SMG_DATE_NONE = null */
int rt_bool(rt_table *t, int b);
/* Mark the rows added from now on as totals (shown emphasised). */
void rt_emphasis(rt_table *t);

/* Cell (r, c), or NULL past the table. */
const rt_cell *rt_at(const rt_table *t, size_t r, size_t c);
/* The column named @p key, or -1. */
long rt_col_find(const rt_table *t, const char *key);
/* Add cell @p c (NULL = null) to the current row of @p dst. @return 0 or -1 */
int rt_emit(const rt_cell *c, out_table *dst);
/* The same table as an out_table. @return it, or NULL when out of memory */
out_table *rt_to_out(const rt_table *t);
/* An out_table read back as a typed table of strings (its CSV form; an
 * empty cell is null). @return it, or NULL when out of memory */
rt_table *rt_from_out(const out_table *t);

/* ---- formatting ---- */

/* Money with thousands separators, "1,234,567.89" ("-" for none). */
void html_fmt_money(char *buf, size_t len, smg_money m);
/* A whole number with thousands separators. */
void html_fmt_int(char *buf, size_t len, long long v);

/* The label of a column key or a value word ("sales_amount" -> "销售额" /
 * "Sales"), or NULL when the table has none. */
const char *html_label(const char *key, int zh);

/* ---- the page ---- */

typedef struct html_doc {
    FILE *f;
    int zh;      /* Chinese labels (lang="zh-CN"), else English */
    int charts;  /* SVG charts written so far (unique ids) */
} html_doc;

/* Start the page: <html lang>, inline CSS (screen and print), @p title as
 * <title> and <h1>, @p subtitle (may be NULL) under it. */
void html_begin(html_doc *d, FILE *f, int zh, const char *title, const char *subtitle);
/* A section heading <h2 id="@p key">. */
void html_h2(html_doc *d, const char *key, const char *title);
/* A paragraph (class @p cls may be NULL). */
void html_p(html_doc *d, const char *cls, const char *text);
/* The rows of @p t as a table with humanised headers; with @p record, its
 * first row as a two-column table of labels and values. @return 0 or -1 */
int html_table(html_doc *d, const rt_table *t, int record);

/* One bar of a chart. */
typedef struct html_bar {
    const char *label; /* left of the bar */
    double value;      /* length (chart units) */
    int is_null;       /* no value: @p text alone */
    const char *text;  /* shown right of the bar */
} html_bar;

/* A horizontal bar chart in SVG. With @p ref > 0, a dashed line marks that
 * value (100% for completion rates) and bars are coloured by it (>= ref
 * green, >= 0.8 ref amber, else red); values beyond 2 ref are clipped
 * (their text says the value). @p aria labels the chart. */
void html_bar_chart(html_doc *d, const char *aria, const html_bar *bars, size_t n, double ref);
/* The tier pyramid in SVG: @p layers from the top (VIP) down, as the
 * layers of a pyramid labelled with their label, each with its text
 * beside it (the sizes: the shape shows only the order). */
void html_pyramid(html_doc *d, const char *aria, const html_bar *layers, size_t n);
/* The glossary of the KPIs, credit reasons, tiers and pay lines. */
void html_glossary(html_doc *d, const char *key, const char *title);
/* End the page. @return 0, or -1 when writing failed */
int html_end(html_doc *d);

/* Write a file atomically: @p writer(f, ctx) into a temporary file in the
 * folder of @p path, fsync it, rename it over @p path. On any failure the
 * temporary file is removed, @p path is left as it was, and a message
 * naming @p path goes to stderr ("salesmgmt CMD: ..."). @p writer returns 0
 * or -1. @return 0 or -1 */
int html_write_file(const char *cmd, const char *path, int (*writer)(FILE *f, void *ctx),
                    void *ctx);

#endif /* SMG_CLI_HTML_H */
