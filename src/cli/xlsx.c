/* A minimal xlsx writer: SpreadsheetML parts in a zip of STORED entries.
 * See xlsx.h. */
#include "xlsx.h"
#include "out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 1048576u  /* Excel's limits */
#define MAX_COLS 16384u
#define MAX_TEXT 32767u    /* characters in a cell */
#define NAME_MAX_CHARS 31u /* characters in a sheet name */

/* ---- a growing byte buffer ---- */

typedef struct buf {
    char *p;
    size_t len, cap;
    int err;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        char *q;
        while (c < b->len + n + 1) {
            if (c > (size_t)-1 / 2) {
                b->err = 1;
                return;
            }
            c *= 2;
        }
        q = realloc(b->p, c);
        if (!q) {
            b->err = 1;
            return;
        }
        b->p = q;
        b->cap = c;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static void buf_printf(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void buf_printf(buf *b, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        buf_put(b, small, (size_t)n);
        return;
    }
    {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            b->err = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        buf_put(b, big, (size_t)n);
        free(big);
    }
}

static void buf_free(buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- UTF-8 ---- */

/* One UTF-8 sequence of @p s (out_utf8_next()): its length (>= 1) and
 * code point, or (1, *cp = U+FFFD, *bad = 1) for an invalid byte. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp, int *bad)
{
    size_t n = out_utf8_next(s, cp);
    *bad = *cp == OUT_BAD_CP;
    if (*bad)
        *cp = 0xfffd;
    return n;
}

/* Append @p s as XML character data (or an attribute value): markup
 * escaped, invalid UTF-8 as U+FFFD, characters XML 1.0 does not allow as a
 * space, at most @p max characters. */
static void xml_text(buf *b, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    while (*p && count < max) {
        uint32_t cp;
        int bad;
        size_t n = utf8_next(p, &cp, &bad);
        if (bad)
            buf_puts(b, "\xef\xbf\xbd");
        else if (cp == '&')
            buf_puts(b, "&amp;");
        else if (cp == '<')
            buf_puts(b, "&lt;");
        else if (cp == '>')
            buf_puts(b, "&gt;");
        else if (cp == '"')
            buf_puts(b, "&quot;");
        else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe ||
                 cp == 0xffff)
            buf_puts(b, " ");
        else if (cp == '\r')
            buf_puts(b, "&#13;"); /* kept through attribute/line-end normalisation */
        else
            buf_put(b, (const char *)p, n);
        p += n;
        count++;
    }
}

/* An estimate of the columns a text takes: East Asian characters (three-
 * and four-byte UTF-8) count two. */
static size_t text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        uint32_t cp;
        int bad;
        size_t n = utf8_next(p, &cp, &bad);
        w += n >= 3 ? 2 : 1;
        p += n;
    }
    return w;
}

/* ---- the workbook ---- */

typedef struct sheet {
    char name[NAME_MAX_CHARS * 4 + 1]; /* UTF-8 */
    buf data;                          /* the <row> elements */
    size_t rows, col;                  /* rows started; next column of the row */
    size_t ncols;                      /* widest row */
    unsigned short *width;             /* per column, in characters */
    size_t width_cap;
    int row_open;
} sheet;

struct xlsx_book {
    sheet *sheets;
    size_t nsheets, cap;
    int err;
};

xlsx_book *xlsx_new(void)
{
    return calloc(1, sizeof(xlsx_book));
}

void xlsx_free(xlsx_book *b)
{
    size_t i;
    if (!b)
        return;
    for (i = 0; i < b->nsheets; i++) {
        buf_free(&b->sheets[i].data);
        free(b->sheets[i].width);
    }
    free(b->sheets);
    free(b);
}

size_t xlsx_sheet_count(const xlsx_book *b)
{
    return b ? b->nsheets : 0;
}

const char *xlsx_sheet_name(const xlsx_book *b, size_t i)
{
    return b && i < b->nsheets ? b->sheets[i].name : NULL;
}

/* ASCII case-insensitive comparison (Excel compares sheet names ignoring
 * case; non-ASCII letters are left as they are). */
static int name_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* @p src made a valid sheet name of at most @p max characters into @p dst
 * (room for max * 4 + 1 bytes): []:*?/\ and control characters become
 * '_', invalid UTF-8 is dropped, leading and trailing apostrophes and
 * spaces are dropped; "Sheet" when nothing is left. */
static void clean_name(char *dst, const char *src, size_t max)
{
    const unsigned char *p = (const unsigned char *)(src ? src : "");
    size_t len = 0, count = 0;
    while (*p == '\'' || *p == ' ')
        p++;
    while (*p && count < max) {
        uint32_t cp;
        int bad;
        size_t n = utf8_next(p, &cp, &bad);
        if (!bad) {
            if (cp < 0x20 || cp == 0x7f || (cp < 0x80 && strchr("[]:*?/\\", (int)cp) != NULL))
                dst[len++] = '_';
            else {
                memcpy(dst + len, p, n);
                len += n;
            }
            count++;
        }
        p += n;
    }
    while (len && (dst[len - 1] == '\'' || dst[len - 1] == ' '))
        len--;
    dst[len] = 0;
    if (!len)
        strcpy(dst, "Sheet");
}

static int name_taken(const xlsx_book *b, const char *name)
{
    size_t i;
    /* "History" is reserved by Excel */
    if (name_equal(name, "History"))
        return 1;
    for (i = 0; i < b->nsheets; i++)
        if (name_equal(b->sheets[i].name, name))
            return 1;
    return 0;
}

int xlsx_sheet(xlsx_book *b, const char *name)
{
    sheet *s;
    char base[sizeof s->name];
    unsigned k;
    if (!b || b->err)
        return -1;
    if (b->nsheets == b->cap) {
        size_t c = b->cap ? b->cap * 2 : 8;
        sheet *q = realloc(b->sheets, c * sizeof *q);
        if (!q) {
            b->err = 1;
            return -1;
        }
        b->sheets = q;
        b->cap = c;
    }
    s = &b->sheets[b->nsheets];
    memset(s, 0, sizeof *s);
    clean_name(base, name, NAME_MAX_CHARS);
    strcpy(s->name, base);
    /* unique: "name (2)", "name (3)", ... cut to fit 31 characters */
    for (k = 2; name_taken(b, s->name); k++) {
        char suffix[16];
        size_t sl = (size_t)snprintf(suffix, sizeof suffix, " (%u)", k);
        clean_name(s->name, base, NAME_MAX_CHARS - sl);
        strcat(s->name, suffix);
    }
    b->nsheets++;
    return 0;
}

static sheet *current(xlsx_book *b)
{
    if (!b || b->err)
        return NULL;
    if (!b->nsheets && xlsx_sheet(b, "Sheet1"))
        return NULL;
    return &b->sheets[b->nsheets - 1];
}

static void close_row(sheet *s)
{
    if (s->row_open) {
        buf_puts(&s->data, "</row>");
        s->row_open = 0;
    }
}

int xlsx_row(xlsx_book *b)
{
    sheet *s = current(b);
    if (!s)
        return -1;
    close_row(s);
    if (s->rows >= MAX_ROWS) {
        b->err = 1;
        return -1;
    }
    s->rows++;
    s->col = 0;
    s->row_open = 1;
    buf_printf(&s->data, "<row r=\"%lu\">", (unsigned long)s->rows);
    if (s->data.err) {
        b->err = 1;
        return -1;
    }
    return 0;
}

/* "A", "B", ..., "Z", "AA", ... for 0-based column @p c. */
static void col_name(char *out, size_t c)
{
    char tmp[8];
    size_t n = 0, i;
    c++;
    while (c && n < sizeof tmp) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* Open the next cell: its reference, style and type attributes; note its
 * width. @return the sheet, or NULL */
static sheet *cell_begin(xlsx_book *b, xlsx_style style, const char *type, size_t width)
{
    sheet *s = current(b);
    char ref[8];
    if (!s)
        return NULL;
    if (!s->row_open && xlsx_row(b))
        return NULL;
    if (s->col >= MAX_COLS) {
        b->err = 1;
        return NULL;
    }
    if (s->col >= s->width_cap) {
        size_t c = s->width_cap ? s->width_cap * 2 : 16;
        unsigned short *q = realloc(s->width, c * sizeof *q);
        if (!q) {
            b->err = 1;
            return NULL;
        }
        memset(q + s->width_cap, 0, (c - s->width_cap) * sizeof *q);
        s->width = q;
        s->width_cap = c;
    }
    if (width > 60)
        width = 60;
    if (width > s->width[s->col])
        s->width[s->col] = (unsigned short)width;
    col_name(ref, s->col);
    buf_printf(&s->data, "<c r=\"%s%lu\"", ref, (unsigned long)s->rows);
    if (style != XLSX_GENERAL)
        buf_printf(&s->data, " s=\"%d\"", (int)style);
    if (type)
        buf_printf(&s->data, " t=\"%s\"", type);
    buf_puts(&s->data, ">");
    s->col++;
    if (s->col > s->ncols)
        s->ncols = s->col;
    return s;
}

static int cell_end(xlsx_book *b, sheet *s)
{
    buf_puts(&s->data, "</c>");
    if (s->data.err)
        b->err = 1;
    return b->err ? -1 : 0;
}

int xlsx_str(xlsx_book *b, const char *s, xlsx_style style)
{
    sheet *sh;
    size_t n;
    if (!s)
        return xlsx_empty(b);
    n = strlen(s);
    sh = cell_begin(b, style, "inlineStr", text_width(s) + (style == XLSX_HEADER ? 2 : 0));
    if (!sh)
        return -1;
    /* spaces at the ends or line breaks are kept only with xml:space */
    if (n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, "\t\n\r")))
        buf_puts(&sh->data, "<is><t xml:space=\"preserve\">");
    else
        buf_puts(&sh->data, "<is><t>");
    xml_text(&sh->data, s, MAX_TEXT);
    buf_puts(&sh->data, "</t></is>");
    return cell_end(b, sh);
}

/* A number as XML Schema's xsd:double writes it: [-]digits[.digits][e[-]digits]. */
static int is_number(const char *s)
{
    const char *p = s;
    int digits = 0;
    if (*p == '-' || *p == '+')
        p++;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0;
}

int xlsx_num(xlsx_book *b, const char *number, xlsx_style style)
{
    sheet *s;
    size_t w;
    if (!number)
        return xlsx_empty(b);
    if (!is_number(number))
        return xlsx_str(b, number, XLSX_GENERAL);
    w = strlen(number);
    if (style == XLSX_MONEY)
        w += w / 3 + 1; /* thousands separators */
    else if (style == XLSX_PERCENT)
        w = 8;
    s = cell_begin(b, style, NULL, w);
    if (!s)
        return -1;
    buf_printf(&s->data, "<v>%s</v>", number);
    return cell_end(b, s);
}

int xlsx_bool(xlsx_book *b, int v)
{
    sheet *s = cell_begin(b, XLSX_GENERAL, "b", 5);
    if (!s)
        return -1;
    buf_puts(&s->data, v ? "<v>1</v>" : "<v>0</v>");
    return cell_end(b, s);
}

long xlsx_date_serial(int y, int m, int d)
{
    /* days from 1970-01-01 (H. Hinnant's days_from_civil), then from
     * Excel's epoch 1899-12-30 (25569 days before 1970) */
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + 25569;
}

int xlsx_date(xlsx_book *b, const char *ymd)
{
    int y, m, d;
    char tail;
    char num[24];
    if (!ymd)
        return xlsx_empty(b);
    /* Excel's dates start in 1900 (and its serials from 1 March 1900 on
     * are the proleptic Gregorian calendar's) */
    if (strlen(ymd) != 10 || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        y < 1901 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return xlsx_str(b, ymd, XLSX_GENERAL);
    snprintf(num, sizeof num, "%ld", xlsx_date_serial(y, m, d));
    {
        sheet *s = cell_begin(b, XLSX_DATE, NULL, 10);
        if (!s)
            return -1;
        buf_printf(&s->data, "<v>%s</v>", num);
        return cell_end(b, s);
    }
}

int xlsx_empty(xlsx_book *b)
{
    sheet *s = current(b);
    if (!s)
        return -1;
    if (!s->row_open && xlsx_row(b))
        return -1;
    s->col++;
    if (s->col > s->ncols)
        s->ncols = s->col;
    return 0;
}

/* ---- CRC-32 and zip ---- */

uint32_t xlsx_crc32(uint32_t crc, const void *p, size_t n)
{
    const unsigned char *s = p;
    crc = ~crc;
    while (n--) {
        int k;
        crc ^= *s++;
        for (k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xffff);
    le16(p + 2, v >> 16);
}

#define DOS_DATE_1980 0x21 /* 1980-01-01: ((1980 - 1980) << 9) | (1 << 5) | 1 */

int xlsx_zip_write(FILE *f, const xlsx_zip_entry *e, size_t n)
{
    uint32_t *crc, offset = 0, cd_size = 0;
    uint32_t *offsets;
    unsigned char h[46];
    size_t i;
    int rc = -1;

    if (n > 0xffff)
        return -1;
    crc = malloc((n ? n : 1) * sizeof *crc);
    offsets = malloc((n ? n : 1) * sizeof *offsets);
    if (!crc || !offsets)
        goto done;
    for (i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        uint64_t next = (uint64_t)offset + 30 + nl + e[i].size;
        if (nl > 0xffff || e[i].size > 0xffffffffu || next > 0xffffffffu)
            goto done;
        crc[i] = xlsx_crc32(0, e[i].data, e[i].size);
        offsets[i] = offset;
        le32(h, 0x04034b50);  /* local file header */
        le16(h + 4, 20);      /* version needed: 2.0 */
        le16(h + 6, 0);       /* flags */
        le16(h + 8, 0);       /* method: stored */
        le16(h + 10, 0);      /* time 00:00 */
        le16(h + 12, DOS_DATE_1980);
        le32(h + 14, crc[i]);
        le32(h + 18, (uint32_t)e[i].size); /* compressed = uncompressed */
        le32(h + 22, (uint32_t)e[i].size);
        le16(h + 26, (unsigned)nl);
        le16(h + 28, 0); /* extra field */
        if (fwrite(h, 1, 30, f) != 30 || fwrite(e[i].name, 1, nl, f) != nl ||
            (e[i].size && fwrite(e[i].data, 1, e[i].size, f) != e[i].size))
            goto done;
        offset = (uint32_t)next;
    }
    for (i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        le32(h, 0x02014b50); /* central directory header */
        le16(h + 4, 20);     /* made by: MS-DOS, 2.0 */
        le16(h + 6, 20);
        le16(h + 8, 0);
        le16(h + 10, 0);
        le16(h + 12, 0);
        le16(h + 14, DOS_DATE_1980);
        le32(h + 16, crc[i]);
        le32(h + 20, (uint32_t)e[i].size);
        le32(h + 24, (uint32_t)e[i].size);
        le16(h + 28, (unsigned)nl);
        le16(h + 30, 0); /* extra */
        le16(h + 32, 0); /* comment */
        le16(h + 34, 0); /* disk */
        le16(h + 36, 0); /* internal attributes */
        le32(h + 38, 0); /* external attributes */
        le32(h + 42, offsets[i]);
        if (fwrite(h, 1, 46, f) != 46 || fwrite(e[i].name, 1, nl, f) != nl)
            goto done;
        if ((uint64_t)cd_size + 46 + nl > 0xffffffffu)
            goto done;
        cd_size += (uint32_t)(46 + nl);
    }
    if ((uint64_t)offset + cd_size > 0xffffffffu)
        goto done;
    le32(h, 0x06054b50); /* end of central directory */
    le16(h + 4, 0);
    le16(h + 6, 0);
    le16(h + 8, (unsigned)n);
    le16(h + 10, (unsigned)n);
    le32(h + 12, cd_size);
    le32(h + 16, offset);
    le16(h + 20, 0); /* comment */
    if (fwrite(h, 1, 22, f) != 22)
        goto done;
    rc = ferror(f) ? -1 : 0;
done:
    free(crc);
    free(offsets);
    return rc;
}

/* ---- the parts ---- */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_BASE "application/vnd.openxmlformats-officedocument.spreadsheetml."

static const char styles_xml[] =
    XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\">"
    "<numFmts count=\"3\">"
    "<numFmt numFmtId=\"164\" formatCode=\"#,##0.00\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.0%\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"yyyy\\-mm\\-dd\"/>"
    "</numFmts>"
    "<fonts count=\"2\">"
    "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "</fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"5\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>";

static const char rels_xml[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

/* The whole worksheet part of sheet @p s into @p out. */
static void sheet_xml(buf *out, const sheet *s)
{
    size_t c;
    char last[8];
    buf_puts(out, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">");
    if (s->rows && s->ncols) {
        col_name(last, s->ncols - 1);
        buf_printf(out, "<dimension ref=\"A1:%s%lu\"/>", last, (unsigned long)s->rows);
    } else {
        buf_puts(out, "<dimension ref=\"A1\"/>");
    }
    /* the header row frozen */
    buf_puts(out, "<sheetViews><sheetView workbookViewId=\"0\">"
                  "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                  "state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" "
                  "sqref=\"A2\"/></sheetView></sheetViews>");
    if (s->ncols) {
        buf_puts(out, "<cols>");
        for (c = 0; c < s->ncols; c++) {
            unsigned w = c < s->width_cap ? s->width[c] : 0;
            if (w < 6)
                w = 6;
            buf_printf(out, "<col min=\"%lu\" max=\"%lu\" width=\"%u\" customWidth=\"1\"/>",
                       (unsigned long)c + 1, (unsigned long)c + 1, w + 2);
        }
        buf_puts(out, "</cols>");
    }
    buf_puts(out, "<sheetData>");
    if (s->data.len)
        buf_put(out, s->data.p, s->data.len);
    if (s->row_open)
        buf_puts(out, "</row>");
    buf_puts(out, "</sheetData></worksheet>");
}

int xlsx_write(xlsx_book *b, FILE *f)
{
    buf ct = { 0 }, wb = { 0 }, wbrels = { 0 };
    buf *sheets = NULL;
    xlsx_zip_entry *e = NULL;
    char (*names)[48] = NULL;
    size_t i, n, k = 0;
    int rc = -1;

    if (!b || b->err)
        return -1;
    if (!b->nsheets && xlsx_sheet(b, "Sheet1"))
        return -1;
    n = b->nsheets;
    sheets = calloc(n, sizeof *sheets);
    e = calloc(n + 5, sizeof *e);
    names = calloc(n, sizeof *names);
    if (!sheets || !e || !names)
        goto done;

    buf_puts(&ct, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                  "content-types\">"
                  "<Default Extension=\"rels\" ContentType=\"application/"
                  "vnd.openxmlformats-package.relationships+xml\"/>"
                  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                  "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_BASE
                  "sheet.main+xml\"/>"
                  "<Override PartName=\"/xl/styles.xml\" ContentType=\"" CT_BASE
                  "styles+xml\"/>");
    buf_puts(&wb, XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                  "<bookViews><workbookView/></bookViews><sheets>");
    buf_puts(&wbrels, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">");
    for (i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "xl/worksheets/sheet%lu.xml", (unsigned long)i + 1);
        buf_printf(&ct, "<Override PartName=\"/%s\" ContentType=\"" CT_BASE "worksheet+xml\"/>",
                   names[i]);
        buf_puts(&wb, "<sheet name=\"");
        xml_text(&wb, b->sheets[i].name, NAME_MAX_CHARS);
        buf_printf(&wb, "\" sheetId=\"%lu\" r:id=\"rId%lu\"/>", (unsigned long)i + 1,
                   (unsigned long)i + 1);
        buf_printf(&wbrels,
                   "<Relationship Id=\"rId%lu\" Type=\"" NS_REL
                   "/worksheet\" Target=\"worksheets/sheet%lu.xml\"/>",
                   (unsigned long)i + 1, (unsigned long)i + 1);
        sheet_xml(&sheets[i], &b->sheets[i]);
        if (sheets[i].err)
            goto done;
    }
    buf_puts(&ct, "</Types>");
    buf_puts(&wb, "</sheets></workbook>");
    buf_printf(&wbrels,
               "<Relationship Id=\"rId%lu\" Type=\"" NS_REL
               "/styles\" Target=\"styles.xml\"/></Relationships>",
               (unsigned long)n + 1);
    if (ct.err || wb.err || wbrels.err)
        goto done;

    e[k++] = (xlsx_zip_entry){ "[Content_Types].xml", ct.p, ct.len };
    e[k++] = (xlsx_zip_entry){ "_rels/.rels", rels_xml, sizeof rels_xml - 1 };
    e[k++] = (xlsx_zip_entry){ "xl/workbook.xml", wb.p, wb.len };
    e[k++] = (xlsx_zip_entry){ "xl/_rels/workbook.xml.rels", wbrels.p, wbrels.len };
    e[k++] = (xlsx_zip_entry){ "xl/styles.xml", styles_xml, sizeof styles_xml - 1 };
    for (i = 0; i < n; i++)
        e[k++] = (xlsx_zip_entry){ names[i], sheets[i].p, sheets[i].len };
    rc = xlsx_zip_write(f, e, k);
done:
    if (sheets)
        for (i = 0; i < n; i++)
            buf_free(&sheets[i]);
    free(sheets);
    free(e);
    free(names);
    buf_free(&ct);
    buf_free(&wb);
    buf_free(&wbrels);
    return rc;
}
