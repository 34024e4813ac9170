/* Output of the salesmgmt command: tables rendered as aligned text, CSV,
 * JSON (DATASET.md "JSON output") or an Excel workbook (xlsx.h), a
 * streaming JSON writer for nested documents, and multi-section documents.
 * Nothing depends on the locale: display widths come from out_wcwidth(),
 * numbers are formatted by hand or in the C locale.
 *
 * A table:
 *     out_table *t = out_table_new();
 *     out_table_col(t, "member", OUT_LEFT);
 *     out_table_col(t, "sales_amount", OUT_RIGHT);
 *     out_table_row(t); out_str(t, "m01"); out_money(t, 123450);
 *     rc = out_table_write(t, fmt, stdout);  // -1 on a failed allocation or write
 *     out_table_free(t);
 *
 * Cell values: strings (JSON strings; NULL is null), integers (JSON
 * numbers), money (JSON strings with two decimals, "1234.50"), rates (JSON
 * numbers or null; shown as percentages in text tables), booleans, null
 * (empty in CSV, "-" in text tables). In a workbook: money as numbers
 * formatted "#,##0.00", rates as numbers formatted "0.0%", dates as dates,
 * integers and decimals as numbers, booleans as booleans, null as an empty
 * cell. */
#ifndef SMG_CLI_OUT_H
#define SMG_CLI_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <salesmgmt.h>

typedef enum out_format { OUT_TABLE = 0, OUT_CSV = 1, OUT_JSON = 2, OUT_XLSX = 3 } out_format;

/* "table", "csv", "json" or "xlsx". @return 0, or -1 for anything else */
int out_format_parse(const char *s, out_format *out);

/* ---- display width ---- */

/* Columns code point @p c takes on a terminal: 2 for East Asian wide and
 * fullwidth characters (CJK, Hangul, kana, fullwidth forms, emoji), 0 for
 * combining marks and zero-width characters, -1 for control characters,
 * else 1. */
int out_wcwidth(uint32_t c);

/* Columns UTF-8 text @p s takes when printed by the table renderer
 * (control characters and invalid bytes count 1). */
size_t out_display_width(const char *s);

/* ---- tables ---- */

typedef enum out_align { OUT_LEFT = 0, OUT_RIGHT = 1 } out_align;

typedef struct out_table out_table;

/* @return a new empty table, or NULL when out of memory */
out_table *out_table_new(void);
void out_table_free(out_table *t);

/* Add a column (before the first row). Names are JSON keys and CSV headers. */
int out_table_col(out_table *t, const char *name, out_align align);

/* Start a row; the cells that follow fill it left to right. Cells not given
 * are null. */
int out_table_row(out_table *t);

int out_str(out_table *t, const char *s);                /* NULL = null */
int out_int(out_table *t, long long v);
int out_money(out_table *t, smg_money m);                /* SMG_MONEY_NONE = null */
/* Drop the minus of a number printed as zero ("-0.0%", "-0.00", "-0"):
 * -0 is never printed (issue 15). */
void out_unsign_zero(char *s);
int out_rate(out_table *t, double v, int is_null);       /* non-finite = null */
int out_num(out_table *t, double v, int decimals);       /* a plain decimal number */
int out_bool(out_table *t, int b);
int out_null(out_table *t);
int out_date(out_table *t, int64_t d);                   /* YYYY-MM-DD; SMG_DATE_NONE = null */

size_t out_table_rows(const out_table *t);
size_t out_table_cols(const out_table *t);

/* Render the whole table: text (header, rule, rows aligned by display
 * width), CSV (RFC 4180, header row), JSON (an array of row objects, then
 * a newline) or xlsx (a workbook of one sheet, named by out_xlsx_name(),
 * the header row frozen). @return 0, or -1 when the table is broken (a failed
 * allocation, too many cells) or writing failed */
int out_table_write(const out_table *t, out_format fmt, FILE *f);

/* The name of the sheet out_table_write() and out_record_write() give a
 * workbook ("Sheet1" until set; the CLI sets the command's name). */
void out_xlsx_name(const char *name);

/* Render the first row as a record: text "name: value" lines, CSV header
 * and row, JSON an object. @return as out_table_write() */
int out_record_write(const out_table *t, out_format fmt, FILE *f);

/* ---- JSON writer ---- */

#define OUT_JSON_MAX_DEPTH 32

/* A streaming JSON writer; lives on the stack. Commas and colons are
 * placed for you; a key must come before every value inside an object. */
typedef struct out_json {
    FILE *f;
    int depth;
    int err;                                /* misuse or nesting too deep */
    unsigned char close[OUT_JSON_MAX_DEPTH]; /* '}' or ']' per level */
    unsigned char count[OUT_JSON_MAX_DEPTH]; /* 0 = nothing written yet */
    int after_key;
} out_json;

void out_json_init(out_json *j, FILE *f);
void out_json_object(out_json *j);          /* { */
void out_json_array(out_json *j);           /* [ */
void out_json_end(out_json *j);             /* closes the innermost { or [ */
void out_json_key(out_json *j, const char *key);
void out_json_str(out_json *j, const char *s);  /* NULL = null */
void out_json_int(out_json *j, long long v);
void out_json_money(out_json *j, smg_money m);  /* "1234.50"; SMG_MONEY_NONE = null */
void out_json_rate(out_json *j, double v, int is_null);
void out_json_num(out_json *j, double v, int decimals); /* as out_num(); non-finite = null */
void out_json_bool(out_json *j, int b);
void out_json_null(out_json *j);
void out_json_table(out_json *j, const out_table *t);  /* an array of row objects */
void out_json_record(out_json *j, const out_table *t); /* the first row as an object */
/* End the document with a newline. @return 0, or -1 when it is unbalanced,
 * was misused or writing failed */
int out_json_finish(out_json *j);

/* Write @p s as a JSON string literal (quotes, escapes; invalid UTF-8
 * becomes U+FFFD). */
void out_json_string(FILE *f, const char *s);

/* Write @p s as one CSV field, quoted when it holds , " CR or LF. */
void out_csv_field(FILE *f, const char *s);

/* Put a UTF-8 byte order mark before the first CSV output written to @p f
 * (--bom: Excel then reads the file as UTF-8). Nothing is written when no
 * CSV output follows. */
void out_csv_bom(FILE *f);

/* ---- documents of several sections (reports, demo) ---- */

/* Text: each section under its title; CSV: "# title" then the table, a
 * blank line between sections; JSON: one object, a key per section; xlsx:
 * a workbook, a sheet per section named after its key, written by
 * out_doc_end(). */
typedef struct out_doc {
    FILE *f;
    out_format fmt;
    out_json json;
    size_t sections;
    size_t notes; /* notes since the last section */
    int err;
    struct xlsx_book *book; /* OUT_XLSX */
} out_doc;

void out_doc_begin(out_doc *d, FILE *f, out_format fmt);
/* A section holding @p t as rows (key: the JSON key). */
void out_doc_table(out_doc *d, const char *key, const char *title, const out_table *t);
/* A section holding the first row of @p t as a record. */
void out_doc_record(out_doc *d, const char *key, const char *title, const out_table *t);
/* A line of text under the last section (a footnote; a blank line between
 * the table and its first note), or before the first one: text tables
 * only, nothing in the other formats. */
void out_doc_note(out_doc *d, const char *text);
/* @return 0, or -1 when a section failed or writing failed. Frees what
 * the document holds: call it once after out_doc_begin(), also on the
 * way out of an error. */
int out_doc_end(out_doc *d);

/* ---- pieces the writers share (out.c, xlsx.c, html.c) ---- */

/* What out_utf8_next() gives for a byte that starts no valid sequence. */
#define OUT_BAD_CP UINT32_MAX

/* Decode one UTF-8 sequence of NUL-terminated @p s: the bytes it takes
 * (>= 1) and its code point in *cp, or OUT_BAD_CP (one byte taken) for a
 * byte that does not start a valid, shortest-form sequence. */
size_t out_utf8_next(const unsigned char *s, uint32_t *cp);

/* Grow array *p of elements of @p size to hold @p need (capacity *cap,
 * doubling). @return 0, or -1 when out of memory (*p unchanged) */
int out_grow(void **p, size_t *cap, size_t need, size_t size);

/* ---- HTML text (the report page, html.c) ---- */

/* Write @p s as HTML text: & < > " ' as character references, invalid
 * UTF-8 as U+FFFD, control characters (C0 but tab and newline, DEL, C1) as
 * spaces. NULL writes nothing. */
void out_html_text(FILE *f, const char *s);

#endif /* SMG_CLI_OUT_H */
