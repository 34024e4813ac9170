/* A minimal Excel workbook writer for the salesmgmt command (--format xlsx):
 * Office Open XML (ECMA-376) SpreadsheetML in a zip of STORED entries (no
 * compression, CRC-32), which every reader of .xlsx accepts. What it writes:
 *
 *   [Content_Types].xml, _rels/.rels, xl/workbook.xml,
 *   xl/_rels/workbook.xml.rels, xl/styles.xml, xl/worksheets/sheetN.xml
 *
 * one worksheet per table, the first row frozen (the header), column
 * widths from the widest cell, strings inline (t="inlineStr"), numbers as
 * numbers with a cell style: money "#,##0.00", rates "0.0%", dates as date
 * serials shown "yyyy-mm-dd". Sheet names are made valid (at most 31
 * characters, none of []:*?/\, unique ignoring case).
 *
 *     xlsx_book *b = xlsx_new();
 *     xlsx_sheet(b, "deals");
 *     xlsx_row(b); xlsx_str(b, "ref", XLSX_HEADER); xlsx_str(b, "amount", XLSX_HEADER);
 *     xlsx_row(b); xlsx_str(b, "D1", XLSX_GENERAL); xlsx_num(b, "1234.50", XLSX_MONEY);
 *     rc = xlsx_write(b, stdout);   // -1 on a failed allocation or write
 *     xlsx_free(b);
 *
 * Nothing is written before xlsx_write(): a command that fails on the way
 * leaves its output empty. No globals, no locale. */
#ifndef SMG_CLI_XLSX_H
#define SMG_CLI_XLSX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Cell styles (indices into cellXfs of xl/styles.xml). */
typedef enum xlsx_style {
    XLSX_GENERAL = 0, /* text, whole numbers, plain decimals */
    XLSX_MONEY = 1,   /* #,##0.00 */
    XLSX_PERCENT = 2, /* 0.0% (the value is a fraction: 0.25 shows 25.0%) */
    XLSX_DATE = 3,    /* yyyy-mm-dd (the value is a date serial) */
    XLSX_HEADER = 4   /* bold text: the header row */
} xlsx_style;

typedef struct xlsx_book xlsx_book;

/* @return a new empty workbook, or NULL when out of memory */
xlsx_book *xlsx_new(void);
void xlsx_free(xlsx_book *b);

/* Start a new worksheet named after @p name (made valid and unique). Its
 * first row is frozen. @return 0, or -1 (out of memory) */
int xlsx_sheet(xlsx_book *b, const char *name);

/* The name the last sheet got (for tests). */
const char *xlsx_sheet_name(const xlsx_book *b, size_t i);
size_t xlsx_sheet_count(const xlsx_book *b);

/* Start a new row of the current sheet (a sheet is started when there is
 * none). @return 0, or -1 (out of memory, more than 1048576 rows) */
int xlsx_row(xlsx_book *b);

/* Cells, left to right in the current row. @return 0 or -1 */
int xlsx_str(xlsx_book *b, const char *s, xlsx_style style); /* UTF-8 text */
int xlsx_num(xlsx_book *b, const char *number, xlsx_style style); /* "-12.5", "1e-05" */
int xlsx_bool(xlsx_book *b, int v);
int xlsx_date(xlsx_book *b, const char *ymd); /* "YYYY-MM-DD" as a date; other text as text */
int xlsx_empty(xlsx_book *b);                 /* no cell */

/* Write the workbook (a zip) to @p f. @return 0, or -1 when a call before
 * failed, an entry is too large for a zip without ZIP64, or writing failed */
int xlsx_write(xlsx_book *b, FILE *f);

/* ---- the pieces, for tests ---- */

/* CRC-32 (ISO 3309, the zip one) of @p n bytes, continued from @p crc
 * (start with 0). */
uint32_t xlsx_crc32(uint32_t crc, const void *p, size_t n);

/* One file of a zip. */
typedef struct xlsx_zip_entry {
    const char *name; /* ASCII path with '/' */
    const void *data;
    size_t size;
} xlsx_zip_entry;

/* Write a zip archive of @p n STORED entries (timestamps 1980-01-01 00:00,
 * so the same input gives the same bytes). @return 0, or -1 (an entry or
 * the archive over 4 GiB or 65535 entries, or a write error) */
int xlsx_zip_write(FILE *f, const xlsx_zip_entry *e, size_t n);

/* The Excel date serial of a day (1900 date system: 1 = 1900-01-01,
 * counting Excel's 29 February 1900; 45658 = 2025-01-01). */
long xlsx_date_serial(int y, int m, int d);

#endif /* SMG_CLI_XLSX_H */
