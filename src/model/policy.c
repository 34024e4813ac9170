/* The policy store: one table describes every parameter (name, kind,
 * field, range), and set/get/check all read that table. */
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "salesmgmt/calendar.h"
#include "salesmgmt/policy.h"
#include "calendar.h"
#include "file.h"
#include "money.h"
#include "salesmgmt/money.h"
#include "org.h"

enum kind { K_INT, K_MONEY, K_RATE, K_METHOD, K_CAP, K_WORKDAYS, K_HOLIDAY, K_WORKDAY };

typedef struct param {
    const char *name;
    enum kind kind;
    size_t off;          /* offset of the field in smgi_policy */
    int64_t min, max;    /* K_INT: units; K_RATE/K_CAP: millionths */
    const char *range;   /* the accepted range, as told to the user */
} param;

#define F(field) offsetof(smgi_policy, field)
#define M SMGI_MILLION
static const param params[] = {
    { "attribution.protect_days", K_INT, F(protect_days), 1, 365, "an integer 1-365" },
    { "attribution.claim_days", K_INT, F(claim_days), 0, 365, "an integer 0-365" },
    { "attribution.first_followup_days", K_INT, F(first_followup_days), 0, 365, "an integer 0-365" },
    { "tier.method", K_METHOD, F(tier_method), 0, 1, "threshold or pareto" },
    { "tier.vip_min", K_MONEY, F(vip_min), 0, INT64_MAX, "an amount >= 0" },
    { "tier.tier1_min", K_MONEY, F(tier1_min), 0, INT64_MAX, "an amount >= 0" },
    { "tier.tier2_min", K_MONEY, F(tier2_min), 0, INT64_MAX, "an amount >= 0" },
    { "tier.pareto_vip", K_RATE, F(pareto_vip), 1, M, "a decimal 0 < x <= 1" },
    { "tier.pareto_tier1", K_RATE, F(pareto_tier1), 1, M, "a decimal 0 < x <= 1" },
    { "visit.vip_months", K_INT, F(visit_months[0]), 0, 24, "an integer 0-24" },
    { "visit.tier1_months", K_INT, F(visit_months[1]), 0, 24, "an integer 0-24" },
    { "visit.tier2_months", K_INT, F(visit_months[2]), 0, 24, "an integer 0-24" },
    { "visit.other_months", K_INT, F(visit_months[3]), 0, 24, "an integer 0-24" },
    { "score.work_weight", K_RATE, F(work_weight), 0, M, "a decimal 0-1" },
    { "score.attendance_weight", K_RATE, F(attendance_weight), 0, M, "a decimal 0-1" },
    { "score.absence_penalty", K_INT, F(absence_penalty), 0, 100, "an integer 0-100" },
    { "pay.base_share", K_RATE, F(base_share), 0, M, "a decimal 0-1" },
    { "pay.completion_share", K_RATE, F(completion_share), 0, M, "a decimal 0-1" },
    { "pay.work_share", K_RATE, F(work_share), 0, M, "a decimal 0-1" },
    { "pay.completion_cap", K_CAP, F(completion_cap), 0, INT64_MAX, "none or a decimal >= 0" },
    { "pay.overplan_rate", K_RATE, F(overplan_rate), 0, M, "a decimal 0-1" },
    { "calendar.workdays", K_WORKDAYS, F(workdays), 0, 0, "weekdays like mon,tue,wed" },
    { "calendar.holiday", K_HOLIDAY, 0, 0, 0, "a date YYYY-MM-DD, or none" },
    { "calendar.workday", K_WORKDAY, 0, 0, 0, "a date YYYY-MM-DD, or none" },
    /* the public pool (RULES.md §8), appended: smg_policy_name(i) keeps its order */
    { "attribution.max_hold_days", K_INT, F(max_hold_days), 0, 3650,
      "an integer 0-3650 (0 = off)" },
    { "attribution.max_protected", K_INT, F(max_protected), 0, 1000000,
      "an integer 0-1000000 (0 = off)" },
    { "attribution.reclaim_days", K_INT, F(reclaim_days), 0, 3650,
      "an integer 0-3650 (0 = off)" },
};
#undef F
#undef M
#define NPARAMS (sizeof params / sizeof params[0])

static const char *const daynames[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

void smgi_policy_defaults(smgi_policy *p)
{
    smg_date *h = p->holidays, *x = p->extra_workdays;
    size_t hc = p->holidays_cap, xc = p->extra_cap;
    memset(p, 0, sizeof *p);
    p->holidays = h;          /* keep the buffers, drop the dates */
    p->holidays_cap = hc;
    p->extra_workdays = x;
    p->extra_cap = xc;
    p->protect_days = 7;
    p->claim_days = 3;
    p->first_followup_days = 3;
    p->tier_method = SMGI_TIER_THRESHOLD;
    p->vip_min = 100000000;   /* 1,000,000.00 */
    p->tier1_min = 20000000;  /*   200,000.00 */
    p->tier2_min = 5000000;   /*    50,000.00 */
    p->pareto_vip = 800000;
    p->pareto_tier1 = 950000;
    p->visit_months[SMGI_TIER_VIP] = 1;
    p->visit_months[SMGI_TIER_1] = 2;
    p->work_weight = 700000;
    p->attendance_weight = 300000;
    p->absence_penalty = 4;
    p->base_share = 500000;
    p->completion_share = 350000;
    p->work_share = 150000;
    p->completion_cap = -1;
    p->overplan_rate = 0;
    p->workdays = 0x1f;       /* Monday–Friday */
}

void smgi_policy_free(const smg_allocator *a, smgi_policy *p)
{
    smgi_free(a, p->holidays);
    smgi_free(a, p->extra_workdays);
    p->holidays = p->extra_workdays = NULL;
    p->nholidays = p->nextra = p->holidays_cap = p->extra_cap = 0;
}

static int date_in(const smg_date *v, size_t n, smg_date d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == d;
}

int smgi_policy_is_workday(const smgi_policy *p, smg_date d)
{
    if (date_in(p->extra_workdays, p->nextra, d))
        return 1;
    if (date_in(p->holidays, p->nholidays, d))
        return 0;
    return (p->workdays >> smg_date_weekday(d)) & 1;
}

/* Insert d into the sorted list (no duplicates). */
static int date_list_add(const smg_allocator *a, smg_date **v, size_t *n, size_t *cap,
                         smg_date d)
{
    size_t i;
    int rc;
    if (date_in(*v, *n, d))
        return 0;
    if ((rc = smgi_grow(a, (void **)v, cap, *n + 1, sizeof **v)))
        return rc;
    for (i = *n; i > 0 && (*v)[i - 1] > d; i--)
        (*v)[i] = (*v)[i - 1];
    (*v)[i] = d;
    (*n)++;
    return 0;
}

static const param *find_param(const char *name)
{
    size_t i;
    for (i = 0; i < NPARAMS; i++)
        if (strcmp(params[i].name, name) == 0)
            return &params[i];
    return NULL;
}

static int parse_int(const char *s, int64_t *out)
{
    return smgi_decimal_parse(s, strlen(s), 0, out);
}

/* Parse weekday names "mon,tue" into a bit set. */
static int parse_workdays(const char *s, unsigned *out)
{
    unsigned set = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        int d, hit = 0;
        while (len && (*s == ' ')) {
            s++;
            len--;
        }
        for (d = 0; d < 7; d++) {
            size_t n = len;
            while (n && s[n - 1] == ' ')
                n--;
            if (n == 3 && strncmp(s, daynames[d], 3) == 0) {
                set |= 1u << d;
                hit = 1;
            }
        }
        if (!hit)
            return SMG_EPARSE;
        s += len;
        if (*s == ',')
            s++;
    }
    if (!set)
        return SMG_EPARSE; /* no working day at all: a mistake, not a calendar */
    *out = set;
    return 0;
}

/* Set a parameter in policy p; errors are recorded on org with `where`
 * ("" or "policy.conf:3: ") in front. */
static int policy_set(smg_org *org, smgi_policy *p, const char *where, const char *name,
                      const char *value)
{
    const param *pm = find_param(name);
    char *field;
    int64_t v = 0;
    int rc = 0;
    if (!pm)
        return smgi_err(org, SMG_ENOTFOUND, "%sunknown policy parameter \"%s\"", where, name);
    field = (char *)p + pm->off;
    switch (pm->kind) {
    case K_INT:
        rc = parse_int(value, &v);
        if (!rc && (v < pm->min || v > pm->max))
            rc = SMG_ERANGE;
        if (!rc) {
            if (pm->off == offsetof(smgi_policy, absence_penalty))
                *(int64_t *)field = v;
            else
                *(int *)field = (int)v;
        }
        break;
    case K_MONEY:
        rc = smgi_money_parse_n(value, strlen(value), &v);
        if (!rc && v < 0)
            rc = SMG_ERANGE;
        if (!rc)
            *(smg_money *)field = v;
        break;
    case K_CAP:
        if (strcmp(value, "none") == 0) {
            *(int64_t *)field = -1;
            break;
        }
        /* fall through */
    case K_RATE:
        rc = smgi_decimal_parse(value, strlen(value), 6, &v);
        if (!rc && (v < pm->min || v > pm->max))
            rc = SMG_ERANGE;
        if (!rc)
            *(int64_t *)field = v;
        break;
    case K_METHOD:
        if (strcmp(value, "threshold") == 0)
            p->tier_method = SMGI_TIER_THRESHOLD;
        else if (strcmp(value, "pareto") == 0)
            p->tier_method = SMGI_TIER_PARETO;
        else
            rc = SMG_EPARSE;
        break;
    case K_WORKDAYS: {
        unsigned set;
        rc = parse_workdays(value, &set);
        if (!rc)
            p->workdays = set;
        break;
    }
    case K_HOLIDAY:
    case K_WORKDAY: {
        int hol = pm->kind == K_HOLIDAY;
        smg_date d;
        if (strcmp(value, "none") == 0) {
            if (hol)
                p->nholidays = 0;
            else
                p->nextra = 0;
            break;
        }
        rc = smg_date_parse(&d, value);
        if (!rc)
            rc = hol ? date_list_add(&org->alloc, &p->holidays, &p->nholidays,
                                     &p->holidays_cap, d)
                     : date_list_add(&org->alloc, &p->extra_workdays, &p->nextra,
                                     &p->extra_cap, d);
        if (rc == SMG_ENOMEM)
            return smgi_err(org, rc, "%sout of memory", where);
        break;
    }
    }
    if (rc)
        return smgi_err(org, rc == SMG_ERANGE ? SMG_ERANGE : SMG_EPARSE,
                        "%spolicy %s: \"%s\" is not accepted; expected %s", where, name,
                        value, pm->range);
    return 0;
}

/* The limits that tie parameters together. */
static int policy_check(smg_org *org, const smgi_policy *p, const char *where)
{
    if (p->vip_min < p->tier1_min || p->tier1_min < p->tier2_min)
        return smgi_err(org, SMG_ERANGE,
                        "%spolicy tier.vip_min, tier.tier1_min, tier.tier2_min must be "
                        "non-increasing in that order", where);
    if (p->pareto_vip > p->pareto_tier1)
        return smgi_err(org, SMG_ERANGE,
                        "%spolicy tier.pareto_vip must be <= tier.pareto_tier1", where);
    if (p->work_weight + p->attendance_weight != SMGI_MILLION)
        return smgi_err(org, SMG_ERANGE,
                        "%spolicy score.work_weight + score.attendance_weight must be 1",
                        where);
    return 0;
}

static int policy_copy(const smg_allocator *a, smgi_policy *dst, const smgi_policy *src)
{
    *dst = *src;
    dst->holidays = dst->extra_workdays = NULL;
    dst->holidays_cap = dst->extra_cap = 0;
    if (src->nholidays) {
        dst->holidays = smgi_malloc(a, src->nholidays * sizeof(smg_date));
        if (!dst->holidays)
            return SMG_ENOMEM;
        memcpy(dst->holidays, src->holidays, src->nholidays * sizeof(smg_date));
        dst->holidays_cap = src->nholidays;
    }
    if (src->nextra) {
        dst->extra_workdays = smgi_malloc(a, src->nextra * sizeof(smg_date));
        if (!dst->extra_workdays) {
            smgi_policy_free(a, dst);
            return SMG_ENOMEM;
        }
        memcpy(dst->extra_workdays, src->extra_workdays, src->nextra * sizeof(smg_date));
        dst->extra_cap = src->nextra;
    }
    return 0;
}

int smgi_policy_copy(const smg_allocator *a, smgi_policy *dst, const smgi_policy *src)
{
    return policy_copy(a, dst, src);
}

int smg_policy_set(smg_org *org, const char *name, const char *value)
{
    if (!org)
        return SMG_EINVAL;
    smgi_err_clear(org);
    if (!name || !value)
        return smgi_err(org, SMG_EINVAL, "policy name and value are required");
    smgi_policy_changed(org);
    return policy_set(org, &org->policy, "", name, value);
}

static int put(char *buf, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (len) {
        size_t c = n < len ? n : len - 1;
        memcpy(buf, s, c);
        buf[c] = '\0';
    }
    return n < len ? (int)n : SMG_ERANGE;
}

/* Format millionths as a decimal without trailing zeros ("0.7", "1", "0.015"). */
static void fmt_rate(int64_t v, char *out, size_t len)
{
    int n = snprintf(out, len, "%lld.%06lld", (long long)(v / SMGI_MILLION),
                     (long long)(v % SMGI_MILLION));
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
}

static void fmt_dates(const smg_date *v, size_t n, char *out, size_t len)
{
    size_t i, used = 0;
    out[0] = '\0';
    if (!n) {
        snprintf(out, len, "none");
        return;
    }
    for (i = 0; i < n && used + 12 < len; i++) {
        if (i)
            out[used++] = ',';
        smg_date_format(out + used, len - used, v[i]);
        used += strlen(out + used);
    }
}

int smg_policy_get(const smg_org *org, const char *name, char *buf, size_t len)
{
    const param *pm;
    const smgi_policy *p;
    char tmp[4096];
    const char *field;
    if (!org || !name || (!buf && len))
        return SMG_EINVAL;
    pm = find_param(name);
    if (!pm)
        return SMG_ENOTFOUND;
    p = &org->policy;
    field = (const char *)p + pm->off;
    switch (pm->kind) {
    case K_INT:
        if (pm->off == offsetof(smgi_policy, absence_penalty))
            snprintf(tmp, sizeof tmp, "%lld", (long long)*(const int64_t *)field);
        else
            snprintf(tmp, sizeof tmp, "%d", *(const int *)field);
        break;
    case K_MONEY:
        smg_money_format(tmp, sizeof tmp, *(const smg_money *)field);
        break;
    case K_CAP:
        if (*(const int64_t *)field < 0) {
            strcpy(tmp, "none");
            break;
        }
        /* fall through */
    case K_RATE:
        fmt_rate(*(const int64_t *)field, tmp, sizeof tmp);
        break;
    case K_METHOD:
        strcpy(tmp, p->tier_method == SMGI_TIER_PARETO ? "pareto" : "threshold");
        break;
    case K_WORKDAYS: {
        int d;
        tmp[0] = '\0';
        for (d = 0; d < 7; d++)
            if ((p->workdays >> d) & 1) {
                if (tmp[0])
                    strcat(tmp, ",");
                strcat(tmp, daynames[d]);
            }
        break;
    }
    case K_HOLIDAY:
        fmt_dates(p->holidays, p->nholidays, tmp, sizeof tmp);
        break;
    case K_WORKDAY:
        fmt_dates(p->extra_workdays, p->nextra, tmp, sizeof tmp);
        break;
    }
    return put(buf, len, tmp);
}

const char *smg_policy_name(size_t i)
{
    return i < NPARAMS ? params[i].name : NULL;
}

int smg_policy_check(smg_org *org)
{
    if (!org)
        return SMG_EINVAL;
    smgi_err_clear(org);
    return policy_check(org, &org->policy, "");
}

void smg_policy_reset(smg_org *org)
{
    if (org) {
        smgi_policy_defaults(&org->policy);
        smgi_policy_changed(org);
    }
}

/* Trim spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

int smg_policy_load(smg_org *org, const char *path)
{
    smgi_policy next;
    FILE *f;
    char line[1024], where[512];
    const char *base;
    unsigned long lineno = 0, seen[NPARAMS];
    uint64_t size;
    const char *why;
    int rc, first = 0;
    if (!org || !path)
        return SMG_EINVAL;
    smgi_err_clear(org);
    memset(seen, 0, sizeof seen);
    if ((rc = smgi_file_open(path, &f, &size, &why)) != 0)
        return smgi_err(org, SMG_EIO, "%s: %s", path,
                        rc == SMG_ENOTFOUND ? "cannot open: no such file" : why);
    {
        /* CR-only line ends would read as one long line: refused */
        char head[1024];
        size_t n = fread(head, 1, sizeof head, f);
        if (smgi_cr_only(head, n)) {
            fclose(f);
            base = strrchr(path, '/');
            return smgi_err(org, SMG_EPARSE, "%s: " SMGI_CR_ONLY_MSG, base ? base + 1 : path);
        }
        if (ferror(f) || fseek(f, 0L, SEEK_SET)) {
            fclose(f);
            return smgi_err(org, SMG_EIO, "%s: read error", path);
        }
    }
    if ((rc = policy_copy(&org->alloc, &next, &org->policy))) {
        fclose(f);
        return smgi_err(org, rc, "out of memory");
    }
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* bounded by the file's size: no more lines than it had bytes */
    while (lineno <= size && (memset(line, 0, sizeof line), fgets(line, sizeof line, f))) {
        char *s = line, *eq, *name, *value;
        const char *nl = memchr(line, '\n', sizeof line - 1);
        lineno++;
        if (nl && (size_t)(nl - line) > strlen(line)) {
            /* a NUL inside the line: it must not hide the rest of the line,
             * nor (taken for a long line) the next one */
            snprintf(where, sizeof where, "%s:%lu: ", base, lineno);
            rc = smgi_err(org, SMG_EPARSE, "%sa NUL byte in the line (not a text file?)", where);
            first = first ? first : rc;
            continue;
        }
        if (lineno == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            s += 3;
        if (!strchr(s, '\n') && !feof(f)) {
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            snprintf(where, sizeof where, "%s:%lu: ", base, lineno);
            rc = smgi_err(org, SMG_EPARSE, "%sline too long", where);
            first = first ? first : rc;
            continue;
        }
        {
            char *hash = strchr(s, '#');
            if (hash)
                *hash = '\0';
        }
        s = trim(s);
        if (!*s)
            continue;
        snprintf(where, sizeof where, "%s:%lu: ", base, lineno);
        eq = strchr(s, '=');
        if (!eq) {
            rc = smgi_err(org, SMG_EPARSE, "%sexpected \"name = value\"", where);
            first = first ? first : rc;
            continue;
        }
        *eq = '\0';
        name = trim(s);
        value = trim(eq + 1);
        {
            /* RULES.md §7: a parameter is given once in a file (only the
             * calendar's holiday and workday lines repeat) */
            const param *pm = find_param(name);
            if (pm && pm->kind != K_HOLIDAY && pm->kind != K_WORKDAY) {
                size_t k = (size_t)(pm - params);
                if (seen[k]) {
                    rc = smgi_err(org, SMG_EPARSE,
                                  "%s%s is given twice: on line %lu and on line %lu", where,
                                  pm->name, seen[k], lineno);
                    first = first ? first : rc;
                    continue;
                }
                seen[k] = lineno;
            }
        }
        rc = policy_set(org, &next, where, name, value);
        if (rc)
            first = first ? first : rc;
    }
    if (ferror(f) && !first)
        first = smgi_err(org, SMG_EIO, "%s: read error", path);
    fclose(f);
    if (!first) {
        snprintf(where, sizeof where, "%s: ", base);
        first = policy_check(org, &next, where);
    }
    if (first) {
        smgi_policy_free(&org->alloc, &next);
        return org->nerrs > 1 ? SMG_EDATA : first;
    }
    smgi_policy_free(&org->alloc, &org->policy);
    org->policy = next;
    smgi_policy_changed(org);
    return 0;
}
