/* A streaming CSV reader (RFC 4180), independent of the rest of the library.
 *
 * UTF-8 (a leading BOM is skipped), comma separated, fields optionally in
 * double quotes with "" for a quote and embedded commas and newlines, records
 * ended by LF or CRLF. The first record names the columns; the caller asks
 * for the columns it knows by name (any order) and then reads records,
 * getting each cell by its own column number. A column of the header that
 * is none of the caller's is ignored: an error when it is a near miss of one
 * of them (smgi_csv_near_miss(): "paytotal" for "pay_total"), else a
 * warning. An empty cell is absent (NULL). Blank lines and rows of empty
 * cells are skipped.
 *
 * A file that is not UTF-8 but is GB18030 throughout (what Chinese Excel
 * saves as "CSV") gives one error, at its first cell that is not UTF-8,
 * instead of one per cell, and is not read further (foreign is set).
 *
 * The file is read in large chunks into one buffer; each record is decoded
 * into a second buffer as NUL-terminated cells: no allocation per record or
 * per field. Every problem is reported through the error callback as
 * "FILE:LINE: column COL: what", LINE being the physical line on which the
 * record starts; a bad record is skipped and reading goes on. */
#ifndef SMGI_CSV_H
#define SMGI_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "alloc.h"

/* Receives each problem found: a status (SMG_EPARSE for the data, SMG_EIO,
 * SMG_ENOMEM, or SMGI_CSV_WARNING for an ignored column) and the whole
 * message. */
typedef void (*smgi_csv_error_fn)(void *ctx, int status, const char *msg);

/* A column the caller wants: its name in the header, and whether the header
 * must have it. */
typedef struct smgi_csv_column {
    const char *name;
    int required;
} smgi_csv_column;

#define SMGI_CSV_WARNING 0
#define SMGI_CSV_MAX_COLUMNS 32
#define SMGI_CSV_FIRST (16u << 10)         /* the first buffer: small files stay small */
#define SMGI_CSV_CHUNK (1u << 20)          /* the buffer grows to this while reads fill it */
#define SMGI_CSV_MAX_RECORD (16u << 20)    /* default limit of one record */

typedef struct smgi_csv {
    /* settings: smgi_csv_init(); max_record may be changed before reading */
    const smg_allocator *alloc;
    const char *name;          /* the file as named in messages */
    smgi_csv_error_fn on_error;
    void *ctx;
    size_t max_record;         /* a longer record is an error (and skipped) */

    /* the source: a file or a memory block */
    FILE *f;
    uint64_t size, left;       /* the file's size; bytes of it not read yet */
    const char *open_why;      /* why smgi_csv_open_file() failed */
    const char *mem;
    size_t mem_len, mem_off;

    /* raw bytes buf[pos..len) not yet consumed */
    char *buf;
    size_t cap, len, pos;
    int eof, done, started, ramp;
    unsigned long next_line;   /* physical line of buf[pos] */

    /* the current record: cells NUL-terminated in rec, cell i at
     * rec[off[i]], off[nfields] one past the last NUL */
    unsigned long line;        /* physical line where the record starts */
    char *rec;
    size_t rec_cap;
    size_t *off;
    size_t nfields, off_cap;

    /* the header and the caller's columns */
    char *hdr;                 /* header names, NUL-terminated */
    size_t *hdr_off;
    size_t nhdr;
    const smgi_csv_column *cols;
    size_t ncols;
    long map[SMGI_CSV_MAX_COLUMNS]; /* field index of column k, or -1 */

    /* what went wrong in the record being parsed */
    int bad;
    size_t bad_field;
    /* the file was looked at as GB18030 (at its first invalid UTF-8); it is
     * GB18030 and was not read further */
    int gb_checked, foreign;
} smgi_csv;

/* Prepare a reader; `name` is used in messages (e.g. "events.csv") and must
 * outlive the reader. */
void smgi_csv_init(smgi_csv *c, const smg_allocator *a, const char *name,
                   smgi_csv_error_fn on_error, void *ctx);
/* Read from the file at path: 0, SMG_ENOTFOUND (no such file) or SMG_EIO.
 * Nothing is reported: the caller decides what a missing file means. */
int smgi_csv_open_file(smgi_csv *c, const char *path);
/* Read from data[0..len) (which must outlive the reader). */
void smgi_csv_open_mem(smgi_csv *c, const char *data, size_t len);
/* Read the header row and find the ncols columns cols[] (which must outlive
 * the reader); at most SMGI_CSV_MAX_COLUMNS. A missing required column or a
 * column named twice is reported. 0, SMG_EPARSE (the header has errors),
 * SMG_EIO, SMG_ENOMEM or SMG_EINVAL (too many columns). */
int smgi_csv_header(smgi_csv *c, const smgi_csv_column *cols, size_t ncols);
/* Read the next record: 1, 0 at the end, SMG_EPARSE for a bad record
 * (reported and skipped: call again), SMG_EIO or SMG_ENOMEM (reported; the
 * reader then stops). */
int smgi_csv_next(smgi_csv *c);
/* Release the buffers and close the file. */
void smgi_csv_close(smgi_csv *c);

/* How far header name `name` is from column `known`, when it is a near miss
 * of it: compared without case and without '_', '-' and spaces, then up to
 * two edits (insertions, deletions, substitutions, transpositions of
 * neighbours): none for a name of up to 2 characters (so "at" is not "id"),
 * one up to 5 ("cost" / "costs"), two from 6 ("amount" / "amout"). The edit
 * count (0 for "Pay_Total" / "pay_total"), or -1 when it is no near miss. */
int smgi_csv_near_miss(const char *name, const char *known);

/* After smgi_csv_header(): the number of header fields, the name of field
 * i (trimmed; "" when it has none) and whether it is none of the caller's
 * columns (ignored). */
static inline size_t smgi_csv_nheader(const smgi_csv *c)
{
    return c->nhdr;
}

static inline const char *smgi_csv_header_name(const smgi_csv *c, size_t i)
{
    return c->hdr + c->hdr_off[i];
}

int smgi_csv_ignored(const smgi_csv *c, size_t i);

/* Cell of column k of the current record, NUL-terminated; NULL when the
 * cell is empty or the header has no such column. */
static inline const char *smgi_csv_get(const smgi_csv *c, size_t k)
{
    long i = c->map[k];
    if (i < 0 || (size_t)i >= c->nfields || c->off[i + 1] - c->off[i] == 1)
        return NULL;
    return c->rec + c->off[i];
}

/* Length of the cell of column k (0 when absent). */
static inline size_t smgi_csv_len(const smgi_csv *c, size_t k)
{
    long i = c->map[k];
    if (i < 0 || (size_t)i >= c->nfields)
        return 0;
    return c->off[i + 1] - c->off[i] - 1;
}

/* 1 if the header has column k. */
static inline int smgi_csv_has(const smgi_csv *c, size_t k)
{
    return c->map[k] >= 0;
}

#endif
