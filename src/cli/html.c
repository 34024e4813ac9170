/* Typed tables and the report's HTML page. See html.h. */
#define _POSIX_C_SOURCE 200809L

#include "html.h"
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- typed tables ---- */

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

rt_table *rt_new(void)
{
    rt_table *t = calloc(1, sizeof *t);
    if (t)
        t->emphasis = (size_t)-1;
    return t;
}

void rt_free(rt_table *t)
{
    size_t i;
    if (!t)
        return;
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i].key);
    for (i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    free(t->cols);
    free(t->cells);
    free(t);
}

int rt_col_add(rt_table *t, const char *key, out_align align, unsigned flags)
{
    char *k;
    if (!t || t->err)
        return -1;
    if (t->nrows || !key || out_grow((void **)&t->cols, &t->cols_cap, t->ncols + 1, sizeof *t->cols) ||
        !(k = dup_text(key))) {
        t->err = 1;
        return -1;
    }
    t->cols[t->ncols].key = k;
    t->cols[t->ncols].align = align;
    t->cols[t->ncols].flags = flags;
    t->ncols++;
    return 0;
}

int rt_row(rt_table *t)
{
    size_t i, base;
    if (!t || t->err)
        return -1;
    if (!t->ncols || out_grow((void **)&t->cells, &t->rows_cap, (t->nrows + 1) * t->ncols,
                          sizeof *t->cells)) {
        t->err = 1;
        return -1;
    }
    base = t->nrows * t->ncols;
    for (i = 0; i < t->ncols; i++)
        memset(&t->cells[base + i], 0, sizeof(rt_cell));
    t->nrows++;
    t->filled = 0;
    return 0;
}

static rt_cell *next_cell(rt_table *t)
{
    if (!t || t->err)
        return NULL;
    if (!t->nrows || t->filled >= t->ncols) {
        t->err = 1;
        return NULL;
    }
    return &t->cells[(t->nrows - 1) * t->ncols + t->filled++];
}

int rt_null(rt_table *t)
{
    return next_cell(t) ? 0 : -1;
}

int rt_str(rt_table *t, const char *s)
{
    rt_cell *c = next_cell(t);
    if (!c)
        return -1;
    if (!s)
        return 0;
    if (!(c->s = dup_text(s))) {
        t->err = 1;
        return -1;
    }
    c->kind = RT_STR;
    return 0;
}

int rt_label(rt_table *t, const char *key)
{
    if (rt_str(t, key))
        return -1;
    if (key)
        t->cells[(t->nrows - 1) * t->ncols + t->filled - 1].decimals = 1;
    return 0;
}

static int put_i(rt_table *t, rt_kind kind, long long v)
{
    rt_cell *c = next_cell(t);
    if (!c)
        return -1;
    c->kind = kind;
    c->i = v;
    return 0;
}

int rt_int(rt_table *t, long long v)
{
    return put_i(t, RT_INT, v);
}

int rt_money(rt_table *t, smg_money m)
{
    return m == SMG_MONEY_NONE ? rt_null(t) : put_i(t, RT_MONEY, m);
}

int rt_date(rt_table *t, int64_t d)
{
    return d == SMG_DATE_NONE ? rt_null(t) : put_i(t, RT_DATE, d);
}

int rt_bool(rt_table *t, int b)
{
    return put_i(t, RT_BOOL, b != 0);
}

int rt_rate(rt_table *t, double v, int is_null)
{
    rt_cell *c;
    if (is_null || !isfinite(v))
        return rt_null(t);
    if (!(c = next_cell(t)))
        return -1;
    c->kind = RT_RATE;
    c->d = v;
    return 0;
}

int rt_num(rt_table *t, double v, int decimals)
{
    rt_cell *c;
    if (!isfinite(v))
        return rt_null(t);
    if (!(c = next_cell(t)))
        return -1;
    c->kind = RT_NUM;
    c->d = v;
    c->decimals = decimals;
    return 0;
}

void rt_emphasis(rt_table *t)
{
    if (t && t->emphasis == (size_t)-1)
        t->emphasis = t->nrows;
}

const rt_cell *rt_at(const rt_table *t, size_t r, size_t c)
{
    if (!t || r >= t->nrows || c >= t->ncols)
        return NULL;
    return &t->cells[r * t->ncols + c];
}

long rt_col_find(const rt_table *t, const char *key)
{
    size_t i;
    for (i = 0; t && i < t->ncols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return (long)i;
    return -1;
}

int rt_emit(const rt_cell *c, out_table *dst)
{
    if (!c)
        return out_null(dst);
    switch (c->kind) {
    case RT_STR: return out_str(dst, c->s);
    case RT_INT: return out_int(dst, c->i);
    case RT_MONEY: return out_money(dst, (smg_money)c->i);
    case RT_RATE: return out_rate(dst, c->d, 0);
    case RT_NUM: return out_num(dst, c->d, c->decimals);
    case RT_DATE: return out_date(dst, c->i);
    case RT_BOOL: return out_bool(dst, (int)c->i);
    case RT_NULL: break;
    }
    return out_null(dst);
}

out_table *rt_to_out(const rt_table *t)
{
    out_table *o;
    size_t r, c;
    if (!t || t->err || !(o = out_table_new()))
        return NULL;
    for (c = 0; c < t->ncols; c++)
        out_table_col(o, t->cols[c].key, t->cols[c].align);
    for (r = 0; r < t->nrows; r++) {
        out_table_row(o);
        for (c = 0; c < t->ncols; c++)
            rt_emit(rt_at(t, r, c), o);
    }
    return o;
}

/* One RFC 4180 field of @p *p (ends at , CR LF or NUL) into @p out (which
 * has room: a field is never longer than its text). */
static void csv_field(const char **p, char *out, int *quoted)
{
    const char *s = *p;
    *quoted = *s == '"';
    if (*quoted) {
        s++;
        while (*s) {
            if (*s == '"' && s[1] == '"') {
                *out++ = '"';
                s += 2;
            } else if (*s == '"') {
                s++;
                break;
            } else {
                *out++ = *s++;
            }
        }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r')
        *out++ = *s++;
    *out = '\0';
    *p = s;
}

static int looks_numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    (void)strtod(s, &end);
    return *end == '\0' || (*end == '%' && end[1] == '\0');
}

rt_table *rt_from_out(const out_table *t)
{
    char *text = NULL, *field = NULL;
    size_t len = 0, c, r, ncols = out_table_cols(t);
    const char *p;
    rt_table *rt = NULL;
    FILE *f = open_memstream(&text, &len);
    int quoted, ok;
    if (!f)
        return NULL;
    ok = out_table_write(t, OUT_CSV, f) == 0;
    if (fclose(f) || !ok || !text)
        goto done;
    if (!(field = malloc(len + 1)) || !(rt = rt_new()))
        goto done;
    p = text;
    if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
        p += 3; /* a BOM */
    for (c = 0; c < ncols; c++) {
        csv_field(&p, field, &quoted);
        rt_col_add(rt, field, OUT_LEFT, 0);
        if (*p == ',')
            p++;
    }
    while (*p == '\r' || *p == '\n')
        p++;
    while (*p) {
        rt_row(rt);
        for (c = 0; c < ncols; c++) {
            csv_field(&p, field, &quoted);
            if (!*field && !quoted)
                rt_null(rt);
            else
                rt_str(rt, field);
            if (*p == ',')
                p++;
        }
        while (*p && *p != '\n')
            p++;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    /* right-align the columns that hold numbers only */
    for (c = 0; c < rt->ncols; c++) {
        int num = 1, values = 0;
        for (r = 0; r < rt->nrows && num; r++) {
            const rt_cell *x = rt_at(rt, r, c);
            if (x->kind == RT_STR) {
                values++;
                num = looks_numeric(x->s);
            }
        }
        if (num && values)
            rt->cols[c].align = OUT_RIGHT;
    }
    if (rt->err) {
        rt_free(rt);
        rt = NULL;
    }
done:
    free(field);
    free(text);
    return rt;
}

/* ---- formatting ---- */

/* Insert thousands separators into the digits of @p digits (no sign). */
static void group_digits(char *buf, size_t len, int negative, const char *digits,
                         const char *tail)
{
    size_t n = strlen(digits), i, o = 0;
    char tmp[96];
    if (negative && o + 1 < sizeof tmp)
        tmp[o++] = '-';
    for (i = 0; i < n && o + 2 < sizeof tmp; i++) {
        if (i && (n - i) % 3 == 0)
            tmp[o++] = ',';
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    snprintf(buf, len, "%s%s", tmp, tail);
}

void html_fmt_money(char *buf, size_t len, smg_money m)
{
    char raw[48], *dot;
    const char *digits;
    if (m == SMG_MONEY_NONE || smg_money_format(raw, sizeof raw, m) < 0) {
        snprintf(buf, len, "-");
        return;
    }
    dot = strchr(raw, '.');
    digits = raw[0] == '-' ? raw + 1 : raw;
    if (dot) {
        char tail[8];
        snprintf(tail, sizeof tail, "%s", dot);
        *dot = '\0';
        group_digits(buf, len, raw[0] == '-', digits, tail);
    } else {
        group_digits(buf, len, raw[0] == '-', digits, "");
    }
}

void html_fmt_int(char *buf, size_t len, long long v)
{
    char raw[32];
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    snprintf(raw, sizeof raw, "%llu", u);
    group_digits(buf, len, v < 0, raw, "");
}

typedef struct label {
    const char *key, *zh, *en;
} label;

/* Column keys and value words, humanised. */
static const label labels[] = {
    /* KPIs (RULES.md §5) */
    { "subject", "对象", "Subject" },
    { "name", "名称", "Name" },
    { "sales_amount", "销售额", "Sales" },
    { "deal_count", "成交数", "Deals" },
    { "gross_profit", "毛利", "Gross profit" },
    { "target_amount", "销售目标", "Target" },
    { "completion_rate", "完成率", "Completion" },
    { "growth_yoy", "同比增长", "Growth YoY" },
    { "growth_pop", "环比增长", "Growth vs previous" },
    { "price_retention_rate", "价格保持率", "Price retention" },
    { "expense_amount", "销售费用", "Expenses" },
    { "expense_rate", "费用率", "Expense rate" },
    { "collection_rate", "回款率", "Collection rate" },
    { "visit_count", "拜访次数", "Visits" },
    { "visit_success_rate", "访问成功率", "Visit success" },
    { "complaint_count", "投诉数", "Complaints" },
    { "complaint_rate", "投诉率", "Complaint rate" },
    { "new_customer_count", "新客户", "New customers" },
    { "retention_rate", "老客户保持率", "Retention" },
    { "lost_customer_count", "流失客户", "Lost customers" },
    { "reception_count", "接待次数", "Receptions" },
    { "registration_rate", "留档率", "Registration rate" },
    { "demo_rate", "试乘试驾率", "Demo rate" },
    { "close_rate", "成交率", "Close rate" },
    { "followup_ontime_rate", "及时跟进率", "Follow-up on time" },
    { "refund_amount", "退款额", "Refunds" },
    /* targets */
    { "metric", "指标", "Metric" },
    { "target", "目标", "Target" },
    { "children_sum", "下级合计", "Children's sum" },
    { "gap", "分解差额", "Split gap" },
    { "new_customers", "新客户", "New customers" },
    { "visits", "拜访", "Visits" },
    { "collections", "回款", "Collections" },
    /* attribution */
    { "reason", "归属原因", "Credit reason" },
    { "deals", "成交数", "Deals" },
    { "amount", "金额", "Amount" },
    { "unprotected", "无人保护", "Unprotected" },
    { "owner", "本人保护", "Own customer" },
    { "protected_unclaimed", "他人保护未认领", "Protected, not claimed" },
    { "claimed", "已认领", "Claimed" },
    { "override", "经理裁定", "Manager's decision" },
    { "company", "公司", "Company" },
    { "company_not_credited", "公司（未归属成员）", "Company (not credited to a member)" },
    { "company (not credited to a member)", "公司（未归属成员）",
      "Company (not credited to a member)" },
    { "collisions", "撞车", "Collisions" },
    { "releases", "放弃处理", "Releases" },
    { "claims_late", "逾期认领", "Late claims" },
    { "claims_invalid", "无效认领", "Invalid claims" },
    { "late_followups", "首次跟进逾期", "Late first follow-ups" },
    { "duplicates", "疑似撞单", "Possible duplicates" },
    /* tiers and visits */
    { "tier", "客户级别", "Tier" },
    { "label", "中文名称", "Chinese name" },
    { "customers", "客户数", "Customers" },
    { "annual_sales", "年销售额", "Annual sales" },
    { "overdue", "逾期", "Overdue" },
    { "vip", "VIP", "VIP" },
    { "tier1", "一级", "Tier 1" },
    { "tier2", "二级", "Tier 2" },
    { "other", "其他", "Other" },
    /* pay */
    { "member", "成员", "Member" },
    { "attendance_score", "出勤得分", "Attendance score" },
    { "work_score", "工作得分", "Work score" },
    { "monthly_score", "月度得分", "Monthly score" },
    { "base", "基本工资", "Base" },
    { "completion_pay", "完成工资", "Completion pay" },
    { "work_pay", "工作工资", "Work pay" },
    { "overplan_bonus", "超额奖金", "Over-plan bonus" },
    { "commission", "提成", "Commission" },
    { "total", "合计", "Total" },
    { "month", "月份", "Month" },
    { "members", "人数", "Members" },
    { "paid_members", "发薪人数", "Paid members" },
    { "section", "部分", "Section" },
};

const char *html_label(const char *key, int zh)
{
    size_t i;
    if (!key)
        return NULL;
    for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return zh ? labels[i].zh : labels[i].en;
    return NULL;
}

/* A key's label, else the key with '_' as spaces (never snake_case). */
static void put_label(FILE *f, const char *key, int zh)
{
    const char *l = html_label(key, zh);
    if (l) {
        out_html_text(f, l);
        return;
    }
    for (; *key; key++)
        if (*key == '_')
            putc(' ', f);
        else if (*key == '<' || *key == '>' || *key == '&' || *key == '"' || *key == '\'') {
            char one[2] = { *key, 0 };
            out_html_text(f, one);
        } else
            putc(*key, f);
}

/* ---- the page ---- */

static const char css[] =
    ":root{--ink:#1f2933;--muted:#5f6b7a;--line:#d5dbe1;--head:#edf1f5;--good:#2f9e44;"
    "--warn:#e0a100;--bad:#d64545;--bar:#3b6fb6}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\","
    "\"WenQuanYi Micro Hei\",\"Source Han Sans SC\",system-ui,sans-serif;margin:24px auto;"
    "max-width:1280px;padding:0 20px;color:var(--ink);background:#fff;font-size:14px;"
    "line-height:1.45}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "p.sub{color:var(--muted);margin:0 0 12px}\n"
    "h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}\n"
    "h3{font-size:15px;margin:14px 0 4px}\n"
    "p.note{color:var(--muted);font-size:13px;margin:4px 0 8px}\n"
    "p.empty{color:#888;font-style:italic}\n"
    ".wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}\n"
    "th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top}\n"
    "th{background:var(--head);font-weight:600;text-align:left;word-break:keep-all}\n"
    "td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.r{white-space:nowrap}\n"
    "tbody tr:nth-child(even) td{background:#f8fafb}\n"
    "tr.total td{font-weight:700;background:#f4f1e6}\n"
    "table.record th{width:16em}\n"
    "svg.chart{display:block;width:100%;max-width:960px;height:auto;margin:6px 0 12px}\n"
    "svg.chart text{font-size:12px;fill:var(--ink)}\n"
    "svg.chart text.v{fill:var(--muted);paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
    "dl.glossary{columns:2 28em;column-gap:2em;margin:6px 0}\n"
    "dl.glossary dt{font-weight:600;margin-top:8px;break-after:avoid}\n"
    "dl.glossary dd{margin:2px 0 0 1.2em;color:#333;break-inside:avoid}\n"
    "@page{size:A4 landscape;margin:10mm 9mm}\n"
    "@media print{\n"
    "body{margin:0;max-width:none;padding:0;font-size:9pt;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "h1{font-size:15pt}\n"
    "h2{font-size:11.5pt;margin:10pt 0 4pt;break-after:avoid;page-break-after:avoid}\n"
    "h3{font-size:10pt;break-after:avoid;page-break-after:avoid}\n"
    ".wrap{overflow:visible}\n"
    "table{width:auto;max-width:100%;font-size:7.5pt;table-layout:auto;margin:3pt 0 8pt}\n"
    "table.record{width:auto}\n"
    "th,td{padding:1.5pt 3pt;white-space:normal;overflow-wrap:anywhere}\n"
    "th{word-break:keep-all;overflow-wrap:break-word}\n"
    "td.r{white-space:normal;overflow-wrap:break-word}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "svg.chart{max-width:190mm;break-inside:avoid;page-break-inside:avoid}\n"
    "dl.glossary{font-size:8.5pt}\n"
    "}\n";

void html_begin(html_doc *d, FILE *f, int zh, const char *title, const char *subtitle)
{
    d->f = f;
    d->zh = zh;
    d->charts = 0;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
            zh ? "zh-CN" : "en");
    out_html_text(f, title);
    fputs("</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<h1>", f);
    out_html_text(f, title);
    fputs("</h1>\n", f);
    if (subtitle)
        html_p(d, "sub", subtitle);
}

void html_h2(html_doc *d, const char *key, const char *title)
{
    fputs("<h2 id=\"", d->f);
    out_html_text(d->f, key);
    fputs("\">", d->f);
    out_html_text(d->f, title);
    fputs("</h2>\n", d->f);
}

void html_p(html_doc *d, const char *cls, const char *text)
{
    if (cls) {
        fputs("<p class=\"", d->f);
        out_html_text(d->f, cls);
        fputs("\">", d->f);
    } else {
        fputs("<p>", d->f);
    }
    out_html_text(d->f, text);
    fputs("</p>\n", d->f);
}

/* A cell's text on the page. */
static void put_cell(html_doc *d, const rt_col *col, const rt_cell *c)
{
    char buf[96];
    const char *l;
    if (!c || c->kind == RT_NULL) {
        fputs("-", d->f);
        return;
    }
    switch (c->kind) {
    case RT_STR:
        l = col->flags & RT_LABEL || c->decimals == 1 ? html_label(c->s, d->zh) : NULL;
        out_html_text(d->f, l ? l : c->s);
        return;
    case RT_INT: html_fmt_int(buf, sizeof buf, c->i); break;
    case RT_MONEY: html_fmt_money(buf, sizeof buf, (smg_money)c->i); break;
    case RT_RATE:
        snprintf(buf, sizeof buf, "%.1f%%", c->d * 100.0);
        out_unsign_zero(buf);
        break;
    case RT_NUM:
        snprintf(buf, sizeof buf, "%.*f", c->decimals, c->d);
        out_unsign_zero(buf);
        break;
    case RT_DATE:
        if (smg_date_format(buf, sizeof buf, (smg_date)c->i) < 0)
            snprintf(buf, sizeof buf, "-");
        break;
    case RT_BOOL: snprintf(buf, sizeof buf, "%s", c->i ? (d->zh ? "是" : "yes") : (d->zh ? "否" : "no")); break;
    default: snprintf(buf, sizeof buf, "-"); break;
    }
    fputs(buf, d->f);
}

int html_table(html_doc *d, const rt_table *t, int record)
{
    FILE *f = d->f;
    size_t r, c;
    if (!t || t->err)
        return -1;
    if (record) {
        fputs("<div class=\"wrap\"><table class=\"record\">\n<tbody>\n", f);
        for (c = 0; c < t->ncols; c++) {
            fputs("<tr><th>", f);
            put_label(f, t->cols[c].key, d->zh);
            fputs("</th><td class=\"r\">", f);
            put_cell(d, &t->cols[c], rt_at(t, 0, c));
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table></div>\n", f);
        return 0;
    }
    if (!t->nrows) {
        html_p(d, "empty", d->zh ? "（无）" : "(none)");
        return 0;
    }
    fputs("<div class=\"wrap\"><table>\n<thead><tr>", f);
    for (c = 0; c < t->ncols; c++) {
        fputs(t->cols[c].align == OUT_RIGHT ? "<th class=\"r\">" : "<th>", f);
        put_label(f, t->cols[c].key, d->zh);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (r = 0; r < t->nrows; r++) {
        fputs(r >= t->emphasis ? "<tr class=\"total\">" : "<tr>", f);
        for (c = 0; c < t->ncols; c++) {
            fputs(t->cols[c].align == OUT_RIGHT ? "<td class=\"r\">" : "<td>", f);
            put_cell(d, &t->cols[c], rt_at(t, r, c));
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- charts ---- */

/* Write @p s cut to about @p width display columns (an ellipsis when cut). */
static void put_short(FILE *f, const char *s, size_t width)
{
    char buf[256];
    size_t i = 0, w = 0, n = s ? strlen(s) : 0;
    if (!s)
        return;
    if (out_display_width(s) <= width) {
        out_html_text(f, s);
        return;
    }
    while (i < n && i + 4 < sizeof buf) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        size_t cw = len >= 3 ? 2 : 1;
        if (w + cw > width - 1 || i + len + 4 > sizeof buf)
            break;
        memcpy(buf + i, s + i, len);
        i += len;
        w += cw;
    }
    memcpy(buf + i, "\xe2\x80\xa6", 4); /* … */
    out_html_text(f, buf);
}

static const char *bar_colour(double v, double ref)
{
    if (ref <= 0)
        return "#3b6fb6";
    if (v >= ref)
        return "#2f9e44";
    if (v >= 0.8 * ref)
        return "#e0a100";
    return "#d64545";
}

void html_bar_chart(html_doc *d, const char *aria, const html_bar *bars, size_t n, double ref)
{
    const double W = 960, label_w = 190, text_w = 200, row_h = 22, top = 8;
    const double area = W - label_w - text_w - 10;
    double max = 0, scale, h;
    size_t i;
    FILE *f = d->f;
    if (!n)
        return;
    for (i = 0; i < n; i++)
        if (!bars[i].is_null && bars[i].value > max)
            max = bars[i].value;
    if (ref > 0) {
        if (max < ref * 1.1)
            max = ref * 1.1;
        if (max > ref * 2)
            max = ref * 2;
    }
    if (max <= 0)
        max = 1;
    scale = area / max;
    h = top * 2 + row_h * (double)n + (ref > 0 ? 14 : 0);
    d->charts++;
    fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, h);
    out_html_text(f, aria);
    fputs("\" xmlns=\"http://www.w3.org/2000/svg\">\n", f);
    if (ref > 0) { /* under the bars and their texts */
        double x = label_w + ref * scale, y2 = top + row_h * (double)n;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" "
                "stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n"
                "<text class=\"v\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">100%%</text>\n",
                x, top - 2, x, y2 + 2, x, y2 + 13);
    }
    for (i = 0; i < n; i++) {
        double y = top + row_h * (double)i, v = bars[i].value, len;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8,
                y + row_h * 0.68);
        put_short(f, bars[i].label, 26);
        fputs("</text>\n", f);
        if (bars[i].is_null) {
            len = 0;
        } else {
            if (v < 0)
                v = 0;
            if (v > max)
                v = max;
            len = v * scale;
            if (len < 1 && bars[i].value > 0)
                len = 1;
            fprintf(f,
                    "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" "
                    "fill=\"%s\"/>\n",
                    label_w, y + 4, len, row_h - 8, bar_colour(bars[i].value, ref));
        }
        fprintf(f, "<text class=\"v\" x=\"%.1f\" y=\"%.1f\">", label_w + len + 6,
                y + row_h * 0.68);
        out_html_text(f, bars[i].text);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

void html_pyramid(html_doc *d, const char *aria, const html_bar *layers, size_t n)
{
    const double W = 960, cx = 200, max_w = 380, tip = 60, row_h = 40, top = 6;
    static const char *const fills[] = { "#1f4e8c", "#3b6fb6", "#7da3d6", "#c3d4ea" };
    static const char *const inks[] = { "#fff", "#fff", "#1f2933", "#1f2933" };
    double h = top * 2 + row_h * (double)n;
    size_t i;
    FILE *f = d->f;
    if (!n)
        return;
    d->charts++;
    fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, h);
    out_html_text(f, aria);
    fputs("\" xmlns=\"http://www.w3.org/2000/svg\">\n", f);
    /* the layers of a pyramid, the highest tier at the top: the shape
     * shows the order, the text beside each layer its size */
    for (i = 0; i < n; i++) {
        double y = top + row_h * (double)i;
        double w1 = tip + (max_w - tip) * (double)i / (double)n;
        double w2 = tip + (max_w - tip) * (double)(i + 1) / (double)n;
        size_t k = i < 4 ? i : 3;
        fprintf(f,
                "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\" "
                "stroke=\"#fff\" stroke-width=\"2\"/>\n",
                cx - w1 / 2, y, cx + w1 / 2, y, cx + w2 / 2, y + row_h, cx - w2 / 2, y + row_h,
                fills[k]);
        fprintf(f,
                "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\" "
                "style=\"fill:%s\">",
                cx, y + row_h * 0.64, inks[k]);
        out_html_text(f, layers[i].label);
        fputs("</text>\n", f);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#bbb\"/>\n",
                cx + w2 / 2 + 6, y + row_h / 2, cx + max_w / 2 + 30, y + row_h / 2);
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">", cx + max_w / 2 + 38, y + row_h * 0.62);
        out_html_text(f, layers[i].text);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

/* ---- glossary ---- */

typedef struct term {
    const char *key; /* label of this key is the term */
    const char *zh, *en;
} term;

static const term glossary[] = {
    { "sales_amount", "期内成交并归属到该成员（或团队下所有成员）的订单金额合计（按业绩归属规则）。",
      "The amounts of the deals closed in the period and credited to the member (or, for a "
      "team, to any member of its subtree), after the attribution rules." },
    { "target_amount", "期内的销售额目标；团队或公司本身没有目标时为下级目标之和。年、季度目标按淡旺季比例拆到月，月目标按工作日拆到日。",
      "The sales target of the period; a team or the company without a target of its own "
      "sums those of its members and child teams. Yearly and quarterly targets are split into "
      "months by the seasonality profile, months into working days." },
    { "completion_rate", "完成率 = 销售额 ÷ 销售目标（销售计划完成率）。没有目标时不计算。",
      "Completion = sales ÷ target. Not computed without a target." },
    { "growth_yoy", "同比 = (本期销售额 − 去年同期销售额) ÷ 去年同期销售额。",
      "Growth YoY = (sales − sales of the same period a year earlier) ÷ that earlier sales." },
    { "growth_pop", "环比 = 与紧邻的上一个等长期间比较的增长。",
      "Growth against the immediately preceding period of the same length." },
    { "close_rate", "成交率 = 成交数 ÷ 非义务接待次数。它可以超过 100%：分子是期内归属的成交，其中有老客户直接成交、电话成交或上期接待本期成交的订单，而分母只计本期的接待；所以成交多于接待的成员会超过 100%。",
      "Close rate = deals ÷ non-duty receptions. It can pass 100%: the deals credited in the "
      "period include old customers buying again, deals by phone and customers received in an "
      "earlier period, while only the period's own receptions are counted below the line." },
    { "collection_rate", "回款率 = 期内回款 ÷ (期初未收应收款 + 期内新增应收款)（欠款回收率）。",
      "Collection rate = payments received in the period ÷ (receivables open at its start + "
      "receivables raised in it)." },
    { "expense_rate", "费用率 = 销售费用 ÷ 销售额。", "Expense rate = expenses ÷ sales." },
    { "new_customer_count", "首次成交落在本期的客户（按归属键计）。",
      "Customers (attribution keys) whose first-ever deal falls in the period." },
    { "lost_customer_count", "上一个等长期间有成交、本期没有成交的客户。",
      "Customers with a credited deal in the previous equal period and none in this one." },
    { "company_not_credited", "经理裁定归公司的成交（归属原因“归公司”）：计入公司合计，不计入任何团队，所以公司合计 = 顶层团队合计 + 这一行。",
      "Deals a manager credited to the company (reason “company”): they count in the "
      "company's totals and in no team's, so the company = the top teams + this line." },
    { "reason", "无人保护：客户无人登记保护，业绩归成交人；本人保护：成交人即保护人；他人保护未认领：他人保护、未在认领期内认领，业绩暂归成交人；已认领：保护人在认领期内认领；经理裁定：经理判给某成员；归公司：经理判归公司。",
      "Unprotected: nobody protected the customer, the closer is credited; own customer: the "
      "closer protected it; protected, not claimed: another member protected it and has not "
      "claimed it; claimed: the protector claimed it in time; manager's decision: a manager "
      "gave it to a member; company: a manager gave it to the company." },
    { "collisions", "撞车：客户已被他人保护时的登记被拒绝（以先登记为准）。",
      "A registration rejected because another member protects the customer (the first "
      "registration stands)." },
    { "releases", "放弃处理：保护期满未跟进（或登记作废）而释放的客户，之后任何人都可以登记。",
      "A protection that ran out without contact (or was voided): anyone may register the "
      "customer again." },
    { "tier", "按年度销售额分级：VIP、一级、二级、其他。VIP 每月拜访一次，一级每两个月一次（按政策设置）；上次拜访加上周期即为下次拜访日，早于当天即为逾期。",
      "Tiers by annual sales: VIP, tier 1, tier 2, other. VIP customers are visited every "
      "month and tier 1 every two months (by the policy); the next visit is due the cadence "
      "after the last one, and overdue once that day has passed." },
    { "monthly_score", "月度得分 = 工作得分 × 工作权重 + 出勤得分 × 出勤权重（默认 0.7 / 0.3）。",
      "Monthly score = work score × work weight + attendance score × attendance weight "
      "(0.7 / 0.3 by default)." },
    { "total", "应发合计 = 基本工资 + 完成工资 + 工作工资 + 超额奖金 + 提成（工资总额按比例拆分）。工资按月计算。",
      "Total pay = base + completion pay + work pay + over-plan bonus + commission (the pay "
      "total split by the policy's shares). Pay is monthly." },
};

void html_glossary(html_doc *d, const char *key, const char *title)
{
    size_t i;
    FILE *f = d->f;
    html_h2(d, key, title);
    fputs("<dl class=\"glossary\">\n", f);
    for (i = 0; i < sizeof glossary / sizeof glossary[0]; i++) {
        fputs("<dt>", f);
        put_label(f, glossary[i].key, d->zh);
        fputs("</dt><dd>", f);
        out_html_text(f, d->zh ? glossary[i].zh : glossary[i].en);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
}

int html_end(html_doc *d)
{
    fputs("</body>\n</html>\n", d->f);
    return ferror(d->f) ? -1 : 0;
}

/* ---- writing a file atomically ---- */

int html_write_file(const char *cmd, const char *path, int (*writer)(FILE *f, void *ctx),
                    void *ctx)
{
    atomic_file af;
    int err = atomic_open(&af, path), bad;
    if (!err) {
        errno = 0;
        bad = writer(af.f, ctx) != 0;
        if (bad && errno)
            err = errno;
        bad |= fflush(af.f) != 0 || ferror(af.f);
        if (bad && !err)
            err = errno ? errno : EIO;
        {
            int e2 = atomic_close(&af, bad);
            if (!err)
                err = e2;
        }
    }
    if (err) {
        fprintf(stderr, "salesmgmt %s: cannot write %s: %s\n", cmd, path, strerror(err));
        return -1;
    }
    return 0;
}
