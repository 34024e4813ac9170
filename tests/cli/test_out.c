/* Unit test of the salesmgmt output helpers (src/cli/out.c): display width,
 * JSON escaping, CSV quoting, table alignment.
 *
 *   test_cli_out            run the checks; exit 1 on a failure
 *   test_cli_out FORMAT     print the fixture table as table, csv, json or xlsx
 *   test_cli_out doc        print a JSON document built with the writer
 *   test_cli_out book       print a workbook of several sections (every cell
 *                           kind, sheet names to be made valid)
 * (test_cli.py and test_output.py parse the printed output independently.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "xlsx.h"

static int failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

#define CHECK_STR(got, want)                                                     \
    do {                                                                         \
        const char *g_ = (got), *w_ = (want);                                    \
        if (strcmp(g_, w_) != 0) {                                               \
            fprintf(stderr, "%s:%d: got   [%s]\n%*swant  [%s]\n", __FILE__, __LINE__, g_, \
                    (int)strlen(__FILE__) + 6, "", w_);                          \
            failures++;                                                          \
        }                                                                        \
    } while (0)

/* Run @p fn into a memory buffer and return what it wrote (static). */
static const char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
    static char buf[8192];
    FILE *f = tmpfile();
    size_t n;
    if (!f)
        return "";
    fn(f, arg);
    rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static out_table *fixture(void)
{
    out_table *t = out_table_new();
    out_table_col(t, "member", OUT_LEFT);
    out_table_col(t, "name", OUT_LEFT);
    out_table_col(t, "sales_amount", OUT_RIGHT);
    out_table_col(t, "close_rate", OUT_RIGHT);
    out_table_col(t, "note", OUT_LEFT);
    out_table_row(t);
    out_str(t, "m01");
    out_str(t, "张伟");
    out_money(t, 123450);
    out_rate(t, 0.25, 0);
    out_str(t, "say \"hi\", ok");
    out_table_row(t);
    out_str(t, "m02");
    out_str(t, "欧阳娜娜");
    out_money(t, -5);
    out_rate(t, 0, 1);
    out_str(t, "back\\slash\ttab\nnewline");
    out_table_row(t);
    out_str(t, "m10");
    out_str(t, "Zoë Müller");
    out_money(t, SMG_MONEY_NONE);
    out_rate(t, 1.0 / 3.0, 0);
    out_str(t, NULL);
    return t;
}

static void write_fixture(FILE *f, void *arg)
{
    out_table *t = fixture();
    out_table_write(t, *(out_format *)arg, f);
    out_table_free(t);
}

static void write_doc(FILE *f, void *arg)
{
    out_json j;
    out_table *t = fixture();
    (void)arg;
    out_json_init(&j, f);
    out_json_object(&j);
    out_json_key(&j, "period");
    out_json_str(&j, "2026-10");
    out_json_key(&j, "名字");
    out_json_str(&j, "华东一组 \"甲\"\x01");
    out_json_key(&j, "rows");
    out_json_table(&j, t);
    out_json_key(&j, "first");
    out_json_record(&j, t);
    out_json_key(&j, "nested");
    out_json_array(&j);
    out_json_int(&j, -42);
    out_json_money(&j, 100);
    out_json_rate(&j, 0.5, 0);
    out_json_rate(&j, 0.0, 1);
    out_json_bool(&j, 1);
    out_json_null(&j);
    out_json_array(&j);
    out_json_end(&j);
    out_json_object(&j);
    out_json_end(&j);
    out_json_end(&j);
    out_json_end(&j);
    if (out_json_finish(&j))
        fputs("WRITER-ERROR", f);
    out_table_free(t);
}

/* A document of sections whose keys are not valid sheet names as they are,
 * with every kind of cell: the xlsx fixture. */
static void write_book(FILE *f, void *arg)
{
    static const char *const keys[] = { "deals", "Deals", "a[b]:c*d?e/f\\g",
                                        "a very long section key that is over 31 characters",
                                        "a very long section key that is over 31 characters",
                                        "History", "'quoted'", "" };
    out_doc d;
    size_t i;
    (void)arg;
    out_doc_begin(&d, f, OUT_XLSX);
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        out_table *t = out_table_new();
        out_table_col(t, "text", OUT_LEFT);
        out_table_col(t, "int", OUT_RIGHT);
        out_table_col(t, "money", OUT_RIGHT);
        out_table_col(t, "rate", OUT_RIGHT);
        out_table_col(t, "num", OUT_RIGHT);
        out_table_col(t, "bool", OUT_LEFT);
        out_table_col(t, "day", OUT_LEFT);
        out_table_row(t);
        out_str(t, "张伟 <&> \"q\"");
        out_int(t, -42);
        out_money(t, 123456789);
        out_rate(t, 1.4285714286, 0);
        out_num(t, 89.5, 2);
        out_bool(t, 1);
        out_date(t, 20089); /* 2025-01-01 */
        out_table_row(t);
        out_str(t, " lead\ttab\nline\x01" "ctl\xff ");
        out_int(t, 0);
        out_money(t, -5);
        out_rate(t, 0, 1);
        out_num(t, 0.125, 3);
        out_bool(t, 0);
        out_date(t, SMG_DATE_NONE);
        out_table_row(t); /* every cell null */
        if (i == 1)
            out_doc_record(&d, keys[i], "record", t);
        else
            out_doc_table(&d, keys[i], "table", t);
        out_table_free(t);
    }
    if (out_doc_end(&d))
        fputs("WRITER-ERROR", f);
}

static void test_xlsx(void)
{
    xlsx_book *b = xlsx_new();
    size_t i;
    CHECK(xlsx_crc32(0, "123456789", 9) == 0xcbf43926u);
    CHECK(xlsx_crc32(xlsx_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u);
    CHECK(xlsx_crc32(0, "", 0) == 0);
    CHECK(xlsx_date_serial(2025, 1, 1) == 45658);
    CHECK(xlsx_date_serial(1900, 3, 1) == 61);
    CHECK(xlsx_date_serial(2000, 2, 29) == 36585);
    CHECK(xlsx_date_serial(9999, 12, 31) == 2958465);
    /* sheet names: valid, at most 31 characters, unique ignoring case */
    xlsx_sheet(b, "rows");
    xlsx_sheet(b, "ROWS");
    xlsx_sheet(b, "a/b\\c[d]e:f*g?h");
    xlsx_sheet(b, "销售总部销售总部销售总部销售总部销售总部销售总部销售总部销售总部");
    xlsx_sheet(b, "销售总部销售总部销售总部销售总部销售总部销售总部销售总部销售总部");
    xlsx_sheet(b, "history");
    xlsx_sheet(b, "  ''  ");
    xlsx_sheet(b, NULL);
    CHECK(xlsx_sheet_count(b) == 8);
    CHECK_STR(xlsx_sheet_name(b, 0), "rows");
    CHECK_STR(xlsx_sheet_name(b, 1), "ROWS (2)");
    CHECK_STR(xlsx_sheet_name(b, 2), "a_b_c_d_e_f_g_h");
    CHECK_STR(xlsx_sheet_name(b, 3), "销售总部销售总部销售总部销售总部销售总部销售总部销售总部销售总");
    CHECK_STR(xlsx_sheet_name(b, 4), "销售总部销售总部销售总部销售总部销售总部销售总部销售总 (2)");
    CHECK_STR(xlsx_sheet_name(b, 5), "history (2)");
    CHECK_STR(xlsx_sheet_name(b, 6), "Sheet");
    CHECK_STR(xlsx_sheet_name(b, 7), "Sheet (2)");
    for (i = 0; i < xlsx_sheet_count(b); i++) {
        size_t chars = 0;
        const char *p;
        for (p = xlsx_sheet_name(b, i); *p; p++)
            chars += ((unsigned char)*p & 0xc0) != 0x80;
        CHECK(chars >= 1 && chars <= 31);
    }
    CHECK(xlsx_sheet_name(b, 8) == NULL);
    xlsx_free(b);
    {
        /* a CSV BOM only before CSV output, once */
        out_format fmt = OUT_CSV;
        FILE *f = tmpfile();
        char buf[16] = { 0 };
        out_table *t = out_table_new();
        out_table_col(t, "a", OUT_LEFT);
        out_csv_bom(f);
        out_table_write(t, OUT_JSON, f); /* JSON: no BOM */
        rewind(f);
        CHECK(fread(buf, 1, 3, f) == 3 && memcmp(buf, "[]\n", 3) == 0);
        fclose(f);
        f = tmpfile();
        out_csv_bom(f);
        out_table_write(t, fmt, f);
        out_table_write(t, fmt, f);
        rewind(f);
        memset(buf, 0, sizeof buf);
        CHECK(fread(buf, 1, sizeof buf - 1, f) == 7 && strcmp(buf, "\xef\xbb\xbf" "a\na\n") == 0);
        fclose(f);
        out_table_free(t);
    }
}

static void json_of(FILE *f, void *arg)
{
    out_json_string(f, (const char *)arg);
}

static void csv_of(FILE *f, void *arg)
{
    out_csv_field(f, (const char *)arg);
}

static void test_width(void)
{
    CHECK(out_wcwidth('a') == 1);
    CHECK(out_wcwidth(0x4e2d) == 2);   /* 中 */
    CHECK(out_wcwidth(0x3000) == 2);   /* ideographic space */
    CHECK(out_wcwidth(0xff01) == 2);   /* fullwidth ! */
    CHECK(out_wcwidth(0xac00) == 2);   /* 가 */
    CHECK(out_wcwidth(0x20000) == 2);  /* CJK extension B */
    CHECK(out_wcwidth(0x1f600) == 2);  /* emoji */
    CHECK(out_wcwidth(0x0301) == 0);   /* combining acute */
    CHECK(out_wcwidth(0x200b) == 0);   /* zero width space */
    CHECK(out_wcwidth('\n') == -1);
    CHECK(out_wcwidth(0x00e9) == 1);   /* é */
    CHECK(out_wcwidth(0x303f) == 1);   /* half-fill space: narrow */
    CHECK(out_display_width("") == 0);
    CHECK(out_display_width("abc") == 3);
    CHECK(out_display_width("张伟") == 4);
    CHECK(out_display_width("华东一组 A") == 10);
    CHECK(out_display_width("Zoë") == 3);
    CHECK(out_display_width("e\xcc\x81") == 1);    /* e + combining acute */
    CHECK(out_display_width("\xff\xfe") == 2);     /* invalid bytes: one column each */
    CHECK(out_display_width("\xe4\xb8") == 2);     /* truncated sequence */
    CHECK(out_display_width("\xed\xa0\x80") == 3); /* a surrogate is invalid */
    CHECK(out_display_width("a\tb") == 3);
}

static void test_json(void)
{
    CHECK_STR(capture(json_of, "plain"), "\"plain\"");
    CHECK_STR(capture(json_of, "张伟"), "\"张伟\"");
    CHECK_STR(capture(json_of, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(capture(json_of, "\n\r\t\b\f\x01\x1f"), "\"\\n\\r\\t\\b\\f\\u0001\\u001f\"");
    CHECK_STR(capture(json_of, "x\xffy"), "\"x\\ufffdy\"");
    CHECK_STR(capture(json_of, "\xe4\xb8"), "\"\\ufffd\\ufffd\"");
    {
        out_format f = OUT_JSON;
        CHECK_STR(capture(write_fixture, &f),
                  "[{\"member\":\"m01\",\"name\":\"张伟\",\"sales_amount\":\"1234.50\","
                  "\"close_rate\":0.25,\"note\":\"say \\\"hi\\\", ok\"},"
                  "{\"member\":\"m02\",\"name\":\"欧阳娜娜\",\"sales_amount\":\"-0.05\","
                  "\"close_rate\":null,\"note\":\"back\\\\slash\\ttab\\nnewline\"},"
                  "{\"member\":\"m10\",\"name\":\"Zoë Müller\",\"sales_amount\":null,"
                  "\"close_rate\":0.3333333333,\"note\":null}]\n");
    }
    CHECK(strstr(capture(write_doc, NULL), "WRITER-ERROR") == NULL);
    {
        /* misuse is reported, not written silently */
        out_json j;
        FILE *f = tmpfile();
        out_json_init(&j, f);
        out_json_object(&j);
        out_json_int(&j, 1); /* a value without a key */
        out_json_end(&j);
        CHECK(out_json_finish(&j) == -1);
        out_json_init(&j, f);
        out_json_array(&j);
        CHECK(out_json_finish(&j) == -1); /* unbalanced */
        out_json_init(&j, f);
        CHECK(out_json_finish(&j) == -1); /* empty */
        fclose(f);
    }
}

static void test_csv(void)
{
    out_format f = OUT_CSV;
    CHECK_STR(capture(csv_of, "plain"), "plain");
    CHECK_STR(capture(csv_of, "a,b"), "\"a,b\"");
    CHECK_STR(capture(csv_of, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(capture(csv_of, "two\nlines"), "\"two\nlines\"");
    CHECK_STR(capture(write_fixture, &f),
              "member,name,sales_amount,close_rate,note\n"
              "m01,张伟,1234.50,0.25,\"say \"\"hi\"\", ok\"\n"
              "m02,欧阳娜娜,-0.05,,\"back\\slash\ttab\nnewline\"\n"
              "m10,Zoë Müller,,0.3333333333,\n");
}

static void test_table(void)
{
    out_format f = OUT_TABLE;
    /* names are padded by display width: 张伟 takes 4 columns, 欧阳娜娜 8 */
    CHECK_STR(capture(write_fixture, &f),
              "member  name        sales_amount  close_rate  note\n"
              "------  ----------  ------------  ----------  ----------------------\n"
              "m01     张伟             1234.50       25.0%  say \"hi\", ok\n"
              "m02     欧阳娜娜           -0.05           -  back\\slash tab newline\n"
              "m10     Zoë Müller             -       33.3%  -\n");
}

/* -0 is never printed (issue 15): a rate of -0.0 or -0.0001, a number of
 * -0.0004 with 2 decimals */
static void negzero_of(FILE *f, void *arg)
{
    out_table *t = out_table_new();
    out_json j;
    out_table_col(t, "rate", OUT_RIGHT);
    out_table_col(t, "tiny", OUT_RIGHT);
    out_table_col(t, "num", OUT_RIGHT);
    out_table_row(t);
    out_rate(t, -0.0, 0);
    out_rate(t, -0.0001, 0);
    out_num(t, -0.0004, 2);
    if (arg) {
        out_json_init(&j, f);
        out_json_object(&j);
        out_json_key(&j, "n");
        out_json_num(&j, -0.0004, 2);
        out_json_key(&j, "r");
        out_json_rate(&j, -0.0, 0);
        out_json_end(&j);
        out_json_finish(&j);
    } else {
        out_table_write(t, OUT_TABLE, f);
    }
    out_table_free(t);
}

static void test_negative_zero(void)
{
    char s1[] = "-0.0%", s2[] = "-0.05", s3[] = "-0", s4[] = "-1e-300";
    out_unsign_zero(s1);
    out_unsign_zero(s2);
    out_unsign_zero(s3);
    out_unsign_zero(s4);
    CHECK_STR(s1, "0.0%");
    CHECK_STR(s2, "-0.05");
    CHECK_STR(s3, "0");
    CHECK_STR(s4, "-1e-300");
    CHECK(strstr(capture(negzero_of, NULL), "-0") == NULL);
    CHECK(strstr(capture(negzero_of, "json"), "-0") == NULL);
}

static void test_misuse(void)
{
    out_table *t = out_table_new();
    out_table_col(t, "a", OUT_LEFT);
    CHECK(out_str(t, "x") == -1); /* no row yet */
    CHECK(out_table_write(t, OUT_CSV, stdout) == -1);
    out_table_free(t);
    t = out_table_new();
    out_table_col(t, "a", OUT_LEFT);
    out_table_row(t);
    CHECK(out_int(t, 1) == 0);
    CHECK(out_int(t, 2) == -1); /* one cell too many */
    out_table_free(t);
    {
        out_format f;
        CHECK(out_format_parse("json", &f) == 0 && f == OUT_JSON);
        CHECK(out_format_parse("csv", &f) == 0 && f == OUT_CSV);
        CHECK(out_format_parse("table", &f) == 0 && f == OUT_TABLE);
        CHECK(out_format_parse("xlsx", &f) == 0 && f == OUT_XLSX);
        CHECK(out_format_parse("JSON", &f) == -1);
        CHECK(out_format_parse(NULL, &f) == -1);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        out_format f;
        if (strcmp(argv[1], "doc") == 0) {
            write_doc(stdout, NULL);
            return 0;
        }
        if (strcmp(argv[1], "book") == 0) {
            write_book(stdout, NULL);
            return 0;
        }
        if (out_format_parse(argv[1], &f))
            return 2;
        write_fixture(stdout, &f);
        return 0;
    }
    test_width();
    test_json();
    test_csv();
    test_table();
    test_misuse();
    test_negative_zero();
    test_xlsx();
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    else
        printf("all checks passed\n");
    return failures ? 1 : 0;
}
