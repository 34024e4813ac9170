/* The CSV reader (src/csv.c): RFC 4180 quoting, line numbers, BOM, CRLF,
 * UTF-8 checks, header columns, and records that straddle the read buffer. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "salesmgmt.h"
#include "csv.h"

/* Collected messages of one reader. */
typedef struct errs {
    char msg[16][300];
    int status[16];
    int n;
} errs;

static void collect(void *ctx, int status, const char *msg)
{
    errs *e = ctx;
    if (e->n < 16) {
        snprintf(e->msg[e->n], sizeof e->msg[e->n], "%s", msg);
        e->status[e->n] = status;
    }
    e->n++;
}

static const smg_allocator libc = { 0, 0, 0, 0 };

static void open_text(smgi_csv *c, errs *e, const char *text, size_t len)
{
    memset(e, 0, sizeof *e);
    smgi_csv_init(c, &libc, "t.csv", collect, e);
    smgi_csv_open_mem(c, text, len);
}

#define OPEN(c, e, lit) open_text((c), (e), (lit), sizeof(lit) - 1)

static const smgi_csv_column abc[] = { { "a", 1 }, { "b", 0 }, { "c", 0 } };

static void assert_cell(const smgi_csv *c, size_t k, const char *want)
{
    if (!want) {
        assert_null(smgi_csv_get(c, k));
        assert_int_equal(smgi_csv_len(c, k), 0);
    } else {
        assert_non_null(smgi_csv_get(c, k));
        assert_string_equal(smgi_csv_get(c, k), want);
        assert_int_equal(smgi_csv_len(c, k), strlen(want));
    }
}

static void test_basic_columns_any_order(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    /* columns in another order, one unknown column, empty cells, a short row */
    OPEN(&c, &e, "c,x,a,b\n3,junk,1,2\n,,x,\n9\n");
    assert_int_equal(smgi_csv_header(&c, abc, 3), 0);
    assert_true(smgi_csv_has(&c, 0) && smgi_csv_has(&c, 1) && smgi_csv_has(&c, 2));
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 2);
    assert_cell(&c, 0, "1");
    assert_cell(&c, 1, "2");
    assert_cell(&c, 2, "3");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 3);
    assert_cell(&c, 0, "x");
    assert_cell(&c, 1, NULL); /* empty cell = absent */
    assert_cell(&c, 2, NULL);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 4);
    assert_cell(&c, 2, "9");
    assert_cell(&c, 0, NULL); /* missing trailing cells are absent */
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(smgi_csv_next(&c), 0);
    /* the unknown column is ignored, with a warning (not a near miss) */
    assert_int_equal(e.n, 1);
    assert_int_equal(e.status[0], SMGI_CSV_WARNING);
    assert_string_equal(e.msg[0], "t.csv:1: column x: unknown column; ignored");
    assert_int_equal(smgi_csv_nheader(&c), 4);
    assert_int_equal(smgi_csv_ignored(&c, 1), 1);
    assert_int_equal(smgi_csv_ignored(&c, 0), 0);
    assert_string_equal(smgi_csv_header_name(&c, 1), "x");
    smgi_csv_close(&c);
}

static void test_quoting(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "a,b,c\n\"x,y\",\"he said \"\"hi\"\"\",\"\"\n\"\"\"\",plain\"quote,\"a\"\"\"\n");
    assert_int_equal(smgi_csv_header(&c, abc, 3), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 0, "x,y");
    assert_cell(&c, 1, "he said \"hi\"");
    assert_cell(&c, 2, NULL); /* "" is an empty cell */
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 0, "\"");
    assert_cell(&c, 1, "plain\"quote"); /* a quote inside a plain field is text */
    assert_cell(&c, 2, "a\"");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
}

static void test_embedded_newlines_line_numbers(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e,
         "a,b\n"
         "1,\"two\nlines\"\n"         /* lines 2-3 */
         "2,\"three\r\nlines\n!\"\n"  /* lines 4-6 */
         "\n"                         /* 7: blank, skipped */
         "3,x\n"                      /* 8 */
         "\"4\n\",y\n"                /* 9-10 */
         "5,z\n");                    /* 11 */
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 2);
    assert_cell(&c, 1, "two\nlines");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 4);
    assert_cell(&c, 1, "three\r\nlines\n!");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 8);
    assert_cell(&c, 0, "3");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 9);
    assert_cell(&c, 0, "4\n");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 11);
    assert_cell(&c, 0, "5");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
}

static void test_bom_crlf_no_final_newline(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n\"q\",4\r\n5,6");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_true(smgi_csv_has(&c, 0)); /* the BOM is not part of "a" */
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 0, "1");
    assert_cell(&c, 1, "2"); /* no \r left */
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 4);
    assert_cell(&c, 0, "q");
    assert_cell(&c, 1, "4");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 5);
    assert_cell(&c, 0, "5");
    assert_cell(&c, 1, "6");
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);

    /* a final CR without LF ends the line too; a lone CR inside is text */
    OPEN(&c, &e, "a,b\n1,x\ry\r");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 1, "x\ry");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
}

static void test_empty_rows_skipped(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "a,b\n,\n\n,,\n\"\",\n1,\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 6);
    assert_cell(&c, 0, "1");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
}

static void test_bad_utf8(void **state)
{
    static const char *const bad[] = {
        "\xff", "\xc0\x80", /* overlong NUL */ "\xe0\x80\xaf", "\xed\xa0\x80", /* surrogate */
        "\xf4\x90\x80\x80", /* > U+10FFFF */ "\xe4\xb8", /* cut short */ "\x80",
    };
    smgi_csv c;
    errs e;
    char text[128];
    /* the file is GB18030 throughout with these (C0 80, E4 B8 are two-byte
     * characters there): one error that says so, and reading stops */
    static const int gb[] = { 0, 1, 0, 0, 0, 1, 0 };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int n = snprintf(text, sizeof text, "a,b\n1,ok\n2,x%sy\n3,\"%s\"\n4,fine", bad[i],
                         bad[i]);
        open_text(&c, &e, text, (size_t)n);
        assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
        assert_int_equal(smgi_csv_next(&c), 1);
        if (gb[i]) {
            assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
            assert_int_equal(smgi_csv_next(&c), 0);
            assert_int_equal(e.n, 1);
            assert_non_null(strstr(e.msg[0], "t.csv:3: column b: not UTF-8: the file looks like "
                                             "GB18030"));
            assert_int_equal(c.foreign, 1);
            smgi_csv_close(&c);
            continue;
        }
        assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
        assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
        assert_int_equal(smgi_csv_next(&c), 1); /* reading goes on */
        assert_int_equal(c.line, 5);
        assert_cell(&c, 1, "fine");
        assert_int_equal(smgi_csv_next(&c), 0);
        assert_int_equal(e.n, 2);
        assert_string_equal(e.msg[0], "t.csv:3: column b: invalid UTF-8");
        assert_string_equal(e.msg[1], "t.csv:4: column b: invalid UTF-8");
        assert_int_equal(e.status[0], SMG_EPARSE);
        smgi_csv_close(&c);
    }
    /* valid 2-, 3- and 4-byte sequences pass */
    OPEN(&c, &e, "a,b\n\xc3\xa9,\xe5\xbc\xa0\xe4\xbc\x9f\xf0\x9f\x98\x80\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 1, "张伟\xf0\x9f\x98\x80");
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
    /* in the header: the column is named by its number */
    OPEN(&c, &e, "a,b\xff\n1,2\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), SMG_EPARSE);
    assert_string_equal(e.msg[0], "t.csv:1: column 2: invalid UTF-8");
    smgi_csv_close(&c);
}

static void test_nul_byte(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    open_text(&c, &e, "a,b\n1,x\0y\n2,z\n", 14);
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_string_equal(e.msg[0], "t.csv:2: column b: a NUL byte");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 1, "z");
    smgi_csv_close(&c);
}

static void test_unterminated_quote(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "a,b\n1,x\n2,\"abc\n3,y\n4,z\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.msg[0], "t.csv:3: column b: unterminated quoted field");
    /* reading resumes on the line after the one the bad record starts on */
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 4);
    assert_cell(&c, 0, "3");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 5);
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);

    /* on the last line, without a newline */
    OPEN(&c, &e, "a,b\n\"1");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_string_equal(e.msg[0], "t.csv:2: column a: unterminated quoted field");
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);
}

static void test_text_after_quote(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "a,b\n\"x\"y,1\n2,3\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_true(strncmp(e.msg[0], "t.csv:2: column a: text after the closing quote", 47) == 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 3);
    assert_cell(&c, 0, "2");
    smgi_csv_close(&c);
}

static void test_extra_fields(void **state)
{
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, "a,b\n1,2,\n3,4,5\n6,7,,\n");
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1); /* an empty extra cell is harmless */
    assert_cell(&c, 0, "1");
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_string_equal(e.msg[0], "t.csv:3: column 3: the row has 3 fields, the header only 2 "
                                  "columns");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 0, "6");
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);
}

static void test_header_problems(void **state)
{
    static const smgi_csv_column req[] = { { "id", 1 }, { "team", 1 }, { "name", 0 } };
    smgi_csv c;
    errs e;
    (void)state;
    /* missing required columns: each one named */
    OPEN(&c, &e, "\n name ,x\n1,2\n");
    assert_int_equal(smgi_csv_header(&c, req, 3), SMG_EPARSE);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.msg[0], "t.csv:2: column id: required column is missing");
    assert_string_equal(e.msg[1], "t.csv:2: column team: required column is missing");
    assert_string_equal(e.msg[2], "t.csv:2: column x: unknown column; ignored");
    assert_true(smgi_csv_has(&c, 2)); /* header names are trimmed */
    smgi_csv_close(&c);
    /* a column named twice */
    OPEN(&c, &e, "id,team,id\n");
    assert_int_equal(smgi_csv_header(&c, req, 3), SMG_EPARSE);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.msg[0], "t.csv:1: column id: the header names this column twice");
    smgi_csv_close(&c);
    /* too many columns asked for */
    OPEN(&c, &e, "id\n");
    assert_int_equal(smgi_csv_header(&c, req, SMGI_CSV_MAX_COLUMNS + 1), SMG_EINVAL);
    smgi_csv_close(&c);
}

static void test_empty_file(void **state)
{
    static const smgi_csv_column opt[] = { { "x", 0 } };
    smgi_csv c;
    errs e;
    (void)state;
    open_text(&c, &e, "", 0);
    assert_int_equal(smgi_csv_header(&c, abc, 3), SMG_EPARSE);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.msg[0], "t.csv:1: column a: required column is missing");
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);
    /* nothing required: an empty file is simply empty; so is a lone BOM */
    open_text(&c, &e, "\xEF\xBB\xBF", 3);
    assert_int_equal(smgi_csv_header(&c, opt, 1), 0);
    assert_false(smgi_csv_has(&c, 0));
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 0);
    smgi_csv_close(&c);
    /* a header and no rows */
    OPEN(&c, &e, "a,b,c");
    assert_int_equal(smgi_csv_header(&c, abc, 3), 0);
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);
}

/* Tiny buffers: every record straddles refills; results must not change. */
static void test_small_buffer_and_too_long(void **state)
{
    static const char text[] =
        "\xEF\xBB\xBF" "a,b\r\n"
        "1,\"x,\"\"y\"\"\"\r\n"
        "\xe5\xbc\xa0,\"multi\nline\"\r\n"
        "3,a-much-longer-field-than-the-buffer\n"
        "4,\xe4\xbc\x9f\r\n";
    smgi_csv c;
    errs e;
    (void)state;
    OPEN(&c, &e, text);
    c.max_record = 20;
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 2);
    assert_cell(&c, 1, "x,\"y\"");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 3);
    assert_cell(&c, 0, "张");
    assert_cell(&c, 1, "multi\nline");
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_string_equal(e.msg[0], "t.csv:5: column b: the record is longer than 20 bytes (an "
                                  "unterminated quote?)");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 6);
    assert_cell(&c, 1, "伟");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 1);
    smgi_csv_close(&c);
}

/* Random records written by a reference encoder read back the same, with
 * buffers from barely one record to large. */
static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_roundtrip_random(void **state)
{
    static const char *const atoms[] = { "a", "Z9", ",", "\"", "\n", "\r\n", " ", "张",
                                         "\xf0\x9f\x98\x80", "-1.5", "" };
    enum { ROWS = 300, COLS = 3 };
    char(*cells)[ROWS][COLS][40] = malloc(sizeof *cells);
    char *text = malloc(ROWS * COLS * 100 + 100);
    unsigned long *lines = malloc(ROWS * sizeof *lines);
    uint32_t seed = 12345;
    size_t len = 0, r, k, caps[] = { 90, 97, 128, 1000, SMGI_CSV_MAX_RECORD };
    unsigned long line = 2;
    smgi_csv c;
    errs e;
    (void)state;
    assert_non_null(cells);
    assert_non_null(text);
    assert_non_null(lines);
    len += (size_t)sprintf(text, "a,b,c\n");
    for (r = 0; r < ROWS; r++) {
        int nonempty = 0;
        lines[r] = line;
        for (k = 0; k < COLS; k++) {
            char *cell = (*cells)[r][k];
            int n = (int)(rnd(&seed) % 4), i, quote = 0;
            cell[0] = '\0';
            for (i = 0; i < n; i++)
                strcat(cell, atoms[rnd(&seed) % (sizeof atoms / sizeof atoms[0])]);
            if (k == 0 && !cell[0])
                strcpy(cell, "x"); /* no row of empty cells (those are skipped) */
            nonempty |= cell[0] != 0;
            quote = strpbrk(cell, ",\"\r\n") != NULL || (rnd(&seed) & 1);
            if (k)
                text[len++] = ',';
            if (quote) {
                const char *p;
                text[len++] = '"';
                for (p = cell; *p; p++) {
                    if (*p == '"')
                        text[len++] = '"';
                    if (*p == '\n')
                        line++;
                    text[len++] = *p;
                }
                text[len++] = '"';
            } else {
                memcpy(text + len, cell, strlen(cell));
                len += strlen(cell);
            }
        }
        assert_true(nonempty);
        if (rnd(&seed) & 1)
            text[len++] = '\r';
        text[len++] = '\n';
        line++;
    }
    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        open_text(&c, &e, text, len);
        c.max_record = caps[k]; /* the buffer size; every record fits in 90 bytes */
        assert_int_equal(smgi_csv_header(&c, abc, 3), 0);
        for (r = 0; r < ROWS; r++) {
            size_t j;
            assert_int_equal(smgi_csv_next(&c), 1);
            assert_int_equal(c.line, lines[r]);
            for (j = 0; j < COLS; j++)
                assert_cell(&c, j, (*cells)[r][j][0] ? (*cells)[r][j] : NULL);
        }
        assert_int_equal(smgi_csv_next(&c), 0);
        assert_int_equal(e.n, 0);
        smgi_csv_close(&c);
    }
    free(cells);
    free(text);
    free(lines);
}

static void test_file_source(void **state)
{
    char path[] = "/tmp/smg_test_csv_XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    smgi_csv c;
    errs e;
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    fputs("b,a\n2,1\n\"4\",3", f);
    fclose(f);
    memset(&e, 0, sizeof e);
    smgi_csv_init(&c, &libc, "t.csv", collect, &e);
    assert_int_equal(smgi_csv_open_file(&c, path), 0);
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 0, "1");
    assert_cell(&c, 1, "2");
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_cell(&c, 1, "4");
    assert_int_equal(smgi_csv_next(&c), 0);
    smgi_csv_close(&c);
    smgi_csv_close(&c); /* twice is harmless */
    unlink(path);
    smgi_csv_init(&c, &libc, "t.csv", collect, &e);
    assert_int_equal(smgi_csv_open_file(&c, path), SMG_ENOTFOUND);
    smgi_csv_close(&c);
    assert_int_equal(e.n, 0);
}

/* Issue #13 finding 1: a typo in an optional column is an error naming the
 * column meant, not a column silently ignored. */
static void test_near_miss(void **state)
{
    (void)state;
    /* case, '_', '-' and spaces */
    assert_int_equal(smgi_csv_near_miss("paytotal", "pay_total"), 0);
    assert_int_equal(smgi_csv_near_miss("Pay_Total", "pay_total"), 0);
    assert_int_equal(smgi_csv_near_miss("PAY-TOTAL", "pay_total"), 0);
    assert_int_equal(smgi_csv_near_miss("pay total", "pay_total"), 0);
    assert_int_equal(smgi_csv_near_miss("AT", "at"), 0);
    /* edits: one up to 5 characters, two from 6 */
    assert_int_equal(smgi_csv_near_miss("costs", "cost"), 1);
    assert_int_equal(smgi_csv_near_miss("cots", "cost"), 1);    /* transposition */
    assert_int_equal(smgi_csv_near_miss("amout", "amount"), 1);
    assert_int_equal(smgi_csv_near_miss("amuont", "amount"), 1); /* transposition */
    assert_int_equal(smgi_csv_near_miss("amont", "amount"), 1);
    assert_int_equal(smgi_csv_near_miss("ammounts", "amount"), 2);
    assert_int_equal(smgi_csv_near_miss("member_id", "member"), 2);
    assert_int_equal(smgi_csv_near_miss("leader", "leader_id"), 2);
    assert_int_equal(smgi_csv_near_miss("m1", "m01"), 1);
    /* not near misses: short names need an exact match (but for case and
     * separators), other words are other columns */
    assert_int_equal(smgi_csv_near_miss("date", "at"), -1);
    assert_int_equal(smgi_csv_near_miss("id", "at"), -1);
    assert_int_equal(smgi_csv_near_miss("note", "name"), -1);
    assert_int_equal(smgi_csv_near_miss("deals", "teams"), -1);
    assert_int_equal(smgi_csv_near_miss("amounts2x", "amount"), -1);
    assert_int_equal(smgi_csv_near_miss("备注", "name"), -1);
    assert_int_equal(smgi_csv_near_miss("", "name"), -1);
    assert_int_equal(smgi_csv_near_miss("___", "at"), -1);
    assert_int_equal(smgi_csv_near_miss("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                        "amount"), -1);
}

static void test_unknown_columns(void **state)
{
    static const smgi_csv_column cols[] = { { "member_id", 1 }, { "name", 0 },
                                            { "pay_total", 0 }, { "cost", 0 } };
    smgi_csv c;
    errs e;
    (void)state;
    /* near misses are errors, yet the rows can be read (for their errors too) */
    OPEN(&c, &e, "member_id,paytotal,note,Costs,,NAME\nm1,1,x,2,,n\n");
    assert_int_equal(smgi_csv_header(&c, cols, 4), 0);
    assert_int_equal(e.n, 5);
    assert_string_equal(e.msg[0], "t.csv:1: column paytotal: unknown column; did you mean "
                                  "pay_total?");
    assert_int_equal(e.status[0], SMG_EPARSE);
    assert_string_equal(e.msg[1], "t.csv:1: column note: unknown column; ignored");
    assert_int_equal(e.status[1], SMGI_CSV_WARNING);
    assert_string_equal(e.msg[2], "t.csv:1: column Costs: unknown column; did you mean cost?");
    assert_string_equal(e.msg[3], "t.csv:1: column 5: a column without a name; ignored");
    assert_int_equal(e.status[3], SMGI_CSV_WARNING);
    /* names are matched exactly: NAME is not name, but a near miss of it */
    assert_string_equal(e.msg[4], "t.csv:1: column NAME: unknown column; did you mean name?");
    assert_false(smgi_csv_has(&c, 1));
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_string_equal(smgi_csv_get(&c, 0), "m1");
    smgi_csv_close(&c);
}

/* Issue #13 finding 2: a GB18030 file (Chinese Excel's "CSV") read from
 * disk is one error for the file, not one per cell; a file that is not
 * GB18030 either keeps its errors per cell. */
static void test_gb18030_file(void **state)
{
    /* 张伟,王芳 in GB18030: D5C5 CEB0, CDF5 B7BC; and a four-byte one */
    static const char gbtext[] = "a,b\n1,\xd5\xc5\xce\xb0\n2,\xcd\xf5\xb7\xbc\n"
                                 "3,\x81\x30\x81\x30\n";
    char path[] = "/tmp/smg_test_gb_XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    smgi_csv c;
    errs e;
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    fwrite(gbtext, 1, sizeof gbtext - 1, f);
    fclose(f);
    memset(&e, 0, sizeof e);
    smgi_csv_init(&c, &libc, "members.csv", collect, &e);
    c.max_record = 16; /* small reads: the scan restores the position */
    assert_int_equal(smgi_csv_open_file(&c, path), 0);
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.msg[0], "members.csv:2: column b: not UTF-8: the file looks like "
                                  "GB18030 (GBK), as Chinese Excel saves \"CSV\"; read it with "
                                  "--encoding gb18030, or save it as \"CSV UTF-8\"");
    assert_int_equal(c.foreign, 1);
    smgi_csv_close(&c);
    /* one byte that is GB18030 nowhere (0xFF): errors per cell, and the
     * rows after them are read from where the reader was */
    f = fopen(path, "ab");
    assert_non_null(f);
    fputs("4,\xff\n5,ok\n", f);
    fclose(f);
    memset(&e, 0, sizeof e);
    smgi_csv_init(&c, &libc, "members.csv", collect, &e);
    c.max_record = 16;
    assert_int_equal(smgi_csv_open_file(&c, path), 0);
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_int_equal(smgi_csv_next(&c), 1);
    assert_int_equal(c.line, 6);
    assert_cell(&c, 1, "ok");
    assert_int_equal(smgi_csv_next(&c), 0);
    assert_int_equal(e.n, 4);
    assert_string_equal(e.msg[0], "members.csv:2: column b: invalid UTF-8");
    assert_int_equal(c.foreign, 0);
    smgi_csv_close(&c);
    /* a UTF-8 BOM says UTF-8: no GB18030 guess */
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xef\xbb\xbf" "a,b\n1,\xd5\xc5\n", f);
    fclose(f);
    memset(&e, 0, sizeof e);
    smgi_csv_init(&c, &libc, "members.csv", collect, &e);
    assert_int_equal(smgi_csv_open_file(&c, path), 0);
    assert_int_equal(smgi_csv_header(&c, abc, 2), 0);
    assert_int_equal(smgi_csv_next(&c), SMG_EPARSE);
    assert_string_equal(e.msg[0], "members.csv:2: column b: invalid UTF-8");
    smgi_csv_close(&c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_miss),
        cmocka_unit_test(test_unknown_columns),
        cmocka_unit_test(test_gb18030_file),
        cmocka_unit_test(test_basic_columns_any_order),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_embedded_newlines_line_numbers),
        cmocka_unit_test(test_bom_crlf_no_final_newline),
        cmocka_unit_test(test_empty_rows_skipped),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_text_after_quote),
        cmocka_unit_test(test_extra_fields),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_small_buffer_and_too_long),
        cmocka_unit_test(test_roundtrip_random),
        cmocka_unit_test(test_file_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
