/* Dates, times and periods. Days are counted from 1970-01-01 with Howard
 * Hinnant's days_from_civil / civil_from_days, exact for every year. */
#include "calendar.h"

#include <stdio.h>
#include <string.h>

#include "salesmgmt/calendar.h"

#define MIN_DAY (-719162)  /* 0001-01-01 */
#define MAX_DAY 2932896    /* 9999-12-31 */

int64_t smgi_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void smgi_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int smg_days_in_month(int year, int month)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    return mdays[month - 1] + (month == 2 && is_leap(year));
}

int smg_date_make(smg_date *out, int year, int month, int day)
{
    if (!out)
        return SMG_EINVAL;
    if (year < 1 || year > 9999 || day < 1 || day > smg_days_in_month(year, month))
        return SMG_ERANGE;
    *out = (smg_date)smgi_days_from_civil(year, (unsigned)month, (unsigned)day);
    return 0;
}

int smg_date_split(smg_date d, int *year, int *month, int *day)
{
    int64_t y;
    unsigned m, dd;
    if (d < MIN_DAY || d > MAX_DAY)
        return SMG_ERANGE;
    smgi_civil_from_days(d, &y, &m, &dd);
    if (year)
        *year = (int)y;
    if (month)
        *month = (int)m;
    if (day)
        *day = (int)dd;
    return 0;
}

/* n digits at s as a number, or -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parse "YYYY-MM-DD" at the start of s (exactly 10 bytes are read). */
static int date_prefix(const char *s, smg_date *out)
{
    int y, m, d;
    size_t i;
    for (i = 0; i < 10; i++)
        if (!s[i])
            return SMG_EPARSE;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-')
        return SMG_EPARSE;
    return smg_date_make(out, y, m, d);
}

int smg_date_parse(smg_date *out, const char *s)
{
    smg_date d;
    int rc;
    if (!s || !out)
        return SMG_EINVAL;
    if (strlen(s) != 10)
        return SMG_EPARSE;
    if ((rc = date_prefix(s, &d)))
        return SMG_EPARSE; /* 2026-02-30 is not a date either */
    *out = d;
    return 0;
}

int smg_date_format(char *buf, size_t len, smg_date d)
{
    int y, m, dd;
    if (smg_date_split(d, &y, &m, &dd))
        return SMG_EINVAL;
    if (!buf || len < 11)
        return SMG_ERANGE;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = 0;
    return 10;
}

int smg_date_weekday(smg_date d)
{
    /* 1970-01-01 was a Thursday (3) */
    int w = (int)(((int64_t)d + 3) % 7);
    return w < 0 ? w + 7 : w;
}

int smg_date_add_months(smg_date *out, smg_date d, int months)
{
    int y, m, dd, last;
    int64_t idx;
    if (!out)
        return SMG_EINVAL;
    if (smg_date_split(d, &y, &m, &dd))
        return SMG_ERANGE;
    idx = (int64_t)y * 12 + (m - 1) + months;
    if (idx < 12 || idx >= (int64_t)10000 * 12)
        return SMG_ERANGE;
    y = (int)(idx / 12);
    m = (int)(idx % 12) + 1;
    last = smg_days_in_month(y, m);
    return smg_date_make(out, y, m, dd < last ? dd : last);
}

smg_date smg_time_day(smg_time t)
{
    return smgi_day_of(t);
}

int smg_time_parse(smg_time *out, const char *s)
{
    smg_date d;
    size_t n;
    int hh = 0, mm = 0, ss = 0, rc;
    if (!s || !out)
        return SMG_EINVAL;
    n = strlen(s);
    if (n != 10 && n != 16 && n != 19)
        return SMG_EPARSE;
    if ((rc = date_prefix(s, &d)))
        return rc;
    if (n >= 16) {
        if (s[10] != 'T' || s[13] != ':')
            return SMG_EPARSE;
        hh = digits(s + 11, 2);
        mm = digits(s + 14, 2);
        if (hh < 0 || mm < 0)
            return SMG_EPARSE;
    }
    if (n == 19) {
        if (s[16] != ':')
            return SMG_EPARSE;
        ss = digits(s + 17, 2);
        if (ss < 0)
            return SMG_EPARSE;
    }
    if (hh > 23 || mm > 59 || ss > 59)
        return SMG_ERANGE;
    *out = (smg_time)d * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

int smg_time_format(char *buf, size_t len, smg_time t)
{
    smg_date d = smg_time_day(t);
    int64_t sec = t - (smg_time)d * 86400;
    char tmp[16];
    if (smg_date_format(tmp, sizeof tmp, d) < 0)
        return SMG_EINVAL;
    if (!buf || len < 20)
        return SMG_ERANGE;
    memcpy(buf, tmp, 10);
    buf[10] = 'T';
    buf[11] = (char)('0' + sec / 36000);
    buf[12] = (char)('0' + sec / 3600 % 10);
    buf[13] = ':';
    buf[14] = (char)('0' + sec / 60 % 60 / 10);
    buf[15] = (char)('0' + sec / 60 % 10);
    buf[16] = ':';
    buf[17] = (char)('0' + sec % 60 / 10);
    buf[18] = (char)('0' + sec % 10);
    buf[19] = 0;
    return 19;
}

smg_date smgi_month_start(smg_date d)
{
    int64_t y;
    unsigned m, dd;
    smgi_civil_from_days(d, &y, &m, &dd);
    return (smg_date)(d - (smg_date)dd + 1);
}

smg_date smgi_next_month_start(smg_date d)
{
    int64_t y;
    unsigned m, dd;
    smgi_civil_from_days(d, &y, &m, &dd);
    return (smg_date)smgi_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
}

smg_date smgi_year_earlier(smg_date d)
{
    int64_t y;
    unsigned m, dd;
    smgi_civil_from_days(d, &y, &m, &dd);
    if (m == 2 && dd == 29)
        dd = 28;
    return (smg_date)smgi_days_from_civil(y - 1, m, dd);
}

int smgi_month_index(smg_date d)
{
    int64_t y;
    unsigned m, dd;
    smgi_civil_from_days(d, &y, &m, &dd);
    return (int)(y * 12 + (m - 1));
}

/* ---- periods ---- */

int smg_period_range(smg_period *out, smg_date from, smg_date to)
{
    if (!out)
        return SMG_EINVAL;
    if (smg_date_split(from, NULL, NULL, NULL) || smg_date_split(to, NULL, NULL, NULL) ||
        to < from)
        return SMG_ERANGE;
    out->kind = SMG_PERIOD_RANGE;
    out->from = from;
    out->to = to;
    return 0;
}

int smg_period_day(smg_period *out, smg_date day)
{
    return smg_period_range(out, day, day);
}

int smg_period_week(smg_period *out, smg_date day)
{
    smg_date mon;
    if (!out)
        return SMG_EINVAL;
    if (smg_date_split(day, NULL, NULL, NULL))
        return SMG_ERANGE;
    mon = day - smg_date_weekday(day);
    if (smg_date_split(mon, NULL, NULL, NULL) || smg_date_split(mon + 6, NULL, NULL, NULL))
        return SMG_ERANGE;
    out->kind = SMG_PERIOD_WEEK;
    out->from = mon;
    out->to = mon + 6;
    return 0;
}

/* months [first, first + n) of `year` */
static int period_months(smg_period *out, smg_period_kind kind, int year, int first, int n)
{
    smg_date a, b;
    int last = first + n - 1;
    if (!out)
        return SMG_EINVAL;
    if (smg_date_make(&a, year, first, 1) ||
        smg_date_make(&b, year, last, smg_days_in_month(year, last)))
        return SMG_ERANGE;
    out->kind = kind;
    out->from = a;
    out->to = b;
    return 0;
}

int smg_period_month(smg_period *out, int year, int month)
{
    if (month < 1 || month > 12)
        return out ? SMG_ERANGE : SMG_EINVAL;
    return period_months(out, SMG_PERIOD_MONTH, year, month, 1);
}

int smg_period_quarter(smg_period *out, int year, int quarter)
{
    if (quarter < 1 || quarter > 4)
        return out ? SMG_ERANGE : SMG_EINVAL;
    return period_months(out, SMG_PERIOD_QUARTER, year, (quarter - 1) * 3 + 1, 3);
}

int smg_period_year(smg_period *out, int year)
{
    return period_months(out, SMG_PERIOD_YEAR, year, 1, 12);
}

/* The Monday of ISO week 1 of `year`: the week holding 4 January. */
static int iso_week1(int year, smg_date *monday)
{
    smg_date jan4;
    int rc = smg_date_make(&jan4, year, 1, 4);
    if (rc)
        return rc;
    *monday = jan4 - smg_date_weekday(jan4);
    return 0;
}

int smg_period_parse(smg_period *out, const char *s)
{
    size_t n;
    int y;
    if (!out || !s)
        return SMG_EINVAL;
    n = strlen(s);
    y = n >= 4 ? digits(s, 4) : -1;
    if (n == 4 && y >= 0)
        return smg_period_year(out, y);
    if (n == 7 && y >= 0 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4')
        return smg_period_quarter(out, y, s[6] - '0');
    if (n == 7 && y >= 0 && s[4] == '-' && digits(s + 5, 2) >= 0)
        return smg_period_month(out, y, digits(s + 5, 2));
    if (n == 8 && y >= 0 && s[4] == '-' && s[5] == 'W' && digits(s + 6, 2) >= 0) {
        smg_date w1, next1;
        int w = digits(s + 6, 2);
        if (iso_week1(y, &w1) || iso_week1(y + 1, &next1))
            return SMG_ERANGE;
        if (w < 1 || w1 + 7 * (w - 1) >= next1)
            return SMG_ERANGE; /* week 53 only in long years */
        return smg_period_week(out, w1 + 7 * (w - 1));
    }
    if (n == 22 && s[10] == '.' && s[11] == '.') {
        char t[11];
        smg_date a, b;
        int rc;
        if ((rc = date_prefix(s, &a)))
            return rc;
        memcpy(t, s + 12, 10);
        t[10] = 0;
        if ((rc = smg_date_parse(&b, t)))
            return rc;
        if (b < a)
            return SMG_ERANGE;
        return smg_period_range(out, a, b);
    }
    return SMG_EPARSE;
}

int smg_period_check(const smg_period *p)
{
    smg_period q;
    int y, m, rc;
    if (!p || smg_date_split(p->from, &y, &m, NULL) || p->to < p->from)
        return SMG_EINVAL;
    switch (p->kind) {
    case SMG_PERIOD_RANGE: rc = smg_period_range(&q, p->from, p->to); break;
    case SMG_PERIOD_WEEK: rc = smg_period_week(&q, p->from); break;
    case SMG_PERIOD_MONTH: rc = smg_period_month(&q, y, m); break;
    case SMG_PERIOD_QUARTER: rc = smg_period_quarter(&q, y, (m - 1) / 3 + 1); break;
    case SMG_PERIOD_YEAR: rc = smg_period_year(&q, y); break;
    default: return SMG_EINVAL;
    }
    return rc || q.from != p->from || q.to != p->to ? SMG_EINVAL : 0;
}

int smg_period_format(char *buf, size_t len, const smg_period *p)
{
    char tmp[32];
    int y, m, d, n;
    if (!buf || smg_period_check(p))
        return SMG_EINVAL;
    smg_date_split(p->from, &y, &m, &d);
    switch (p->kind) {
    case SMG_PERIOD_YEAR: n = snprintf(tmp, sizeof tmp, "%04d", y); break;
    case SMG_PERIOD_QUARTER: n = snprintf(tmp, sizeof tmp, "%04d-Q%d", y, (m - 1) / 3 + 1); break;
    case SMG_PERIOD_MONTH: n = snprintf(tmp, sizeof tmp, "%04d-%02d", y, m); break;
    case SMG_PERIOD_WEEK: {
        /* the ISO year is the year of the week's Thursday */
        smg_date w1;
        int wy;
        smg_date_split(p->from + 3, &wy, NULL, NULL);
        if (iso_week1(wy, &w1))
            return SMG_EINVAL;
        n = snprintf(tmp, sizeof tmp, "%04d-W%02d", wy, (int)((p->from - w1) / 7 + 1));
        break;
    }
    default:
        smg_date_format(tmp, 11, p->from);
        tmp[10] = '.';
        tmp[11] = '.';
        smg_date_format(tmp + 12, 11, p->to);
        n = 22;
    }
    if ((size_t)n >= len)
        return SMG_ERANGE;
    memcpy(buf, tmp, (size_t)n + 1);
    return n;
}

int smg_period_previous(smg_period *out, const smg_period *p)
{
    int y, m;
    if (!out || smg_period_check(p))
        return SMG_EINVAL;
    smg_date_split(p->from, &y, &m, NULL);
    switch (p->kind) {
    case SMG_PERIOD_WEEK: return smg_period_week(out, p->from - 7);
    case SMG_PERIOD_MONTH: return m == 1 ? smg_period_month(out, y - 1, 12)
                                         : smg_period_month(out, y, m - 1);
    case SMG_PERIOD_QUARTER: return m == 1 ? smg_period_quarter(out, y - 1, 4)
                                           : smg_period_quarter(out, y, (m - 1) / 3);
    case SMG_PERIOD_YEAR: return smg_period_year(out, y - 1);
    default: return smg_period_range(out, p->from - (p->to - p->from + 1), p->from - 1);
    }
}
