/* salesmgmt-gen: a realistic, deterministic sample dataset (DATASET.md).
 *
 * Same parameters and seed = same bytes on every platform: the only source
 * of randomness is a splitmix64 stream per file, and only integer
 * arithmetic decides anything. Events are simulated day by day and written
 * as each day ends (sorted by minute within the day), so memory stays
 * O(members + customers) at any number of events; things decided for a
 * later day (follow-ups, claims, payments) wait in a ring of day buckets.
 *
 * The simulation follows RULES.md loosely so that every rule has cases:
 * customers arrive through receptions and get registered; protectors
 * follow up (mostly within 3 days), visit, demo and close; other members
 * receive on duty, collide on registration and close protected customers'
 * deals, which the protector claims (mostly in time) or a manager
 * overrides; registers are voided now and then; receivables are paid in
 * parts. The scorecard (考核细则) is the handbook's: reports are handed in
 * mostly on time, some late, some never; a few faults are recorded; the
 * members of the first team get no work_score events, so the scorecard
 * decides theirs. Every event it writes passes the library's checks. */
#define _POSIX_C_SOURCE 200809L

#include "gen.h"
#include "atomic.h" /* src/cli/atomic.c: the one way files are written whole */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <salesmgmt.h>

const char *const gen_files[] = {
    "teams.csv",    "members.csv",    "customers.csv", "profiles.csv", "targets.csv",
    "commission.csv", "policy.conf",  "events.csv",    "scorecard.csv", NULL,
};

/* ---- randomness ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rnext(rng *r)
{
    return mix64(r->s += 0x9e3779b97f4a7c15ULL);
}

/* 0 .. n-1 (0 when n is 0) */
static uint64_t rbelow(rng *r, uint64_t n)
{
    return n ? rnext(r) % n : 0;
}

static long rrange(rng *r, long lo, long hi)
{
    return lo + (long)rbelow(r, (uint64_t)(hi - lo + 1));
}

/* true with probability @p permille / 1000 */
static int rper(rng *r, unsigned permille)
{
    return rbelow(r, 1000) < permille;
}

static rng rng_for(uint64_t seed, uint64_t stream)
{
    rng r;
    r.s = mix64(seed ^ mix64(stream * 0x9e3779b97f4a7c15ULL + 1));
    return r;
}

/* A value fixed by (seed, tag, i): for decisions made without state. */
static uint64_t hash3(uint64_t seed, uint64_t tag, uint64_t i)
{
    return mix64(mix64(seed ^ tag * 0xd1b54a32d192ed03ULL) + i);
}

/* ---- text buffers ---- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int err;
} sbuf;

static char *sb_room(sbuf *b, size_t k)
{
    if (b->n + k > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        char *q;
        while (c < b->n + k)
            c *= 2;
        q = realloc(b->p, c);
        if (!q) {
            b->err = 1;
            return NULL;
        }
        b->p = q;
        b->cap = c;
    }
    return b->p + b->n;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
    char *d = sb_room(b, n);
    if (d) {
        memcpy(d, s, n);
        b->n += n;
    }
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_c(sbuf *b, char c)
{
    char *d = sb_room(b, 1);
    if (d) {
        *d = c;
        b->n++;
    }
}

/* @p v in decimal, at least @p width digits (zero-padded). */
static void sb_upad(sbuf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    {
        char *d = sb_room(b, (size_t)n);
        if (!d)
            return;
        while (n)
            *d++ = tmp[--n], b->n++;
    }
}

static void sb_u(sbuf *b, uint64_t v)
{
    sb_upad(b, v, 1);
}

/* minor units with two decimals: 12345 -> "123.45" */
static void sb_money(sbuf *b, int64_t cents)
{
    uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    if (cents < 0)
        sb_c(b, '-');
    sb_u(b, u / 100);
    sb_c(b, '.');
    sb_upad(b, u % 100, 2);
}

/* hundredths without trailing zeros: 50 -> "0.5", 100 -> "1", 8750 -> "87.5" */
static void sb_hundredths(sbuf *b, long v)
{
    sb_u(b, (uint64_t)v / 100);
    if (v % 100) {
        sb_c(b, '.');
        if (v % 10)
            sb_upad(b, (uint64_t)v % 100, 2);
        else
            sb_u(b, (uint64_t)(v % 100) / 10);
    }
}

/* A CSV field, quoted when it holds , " CR or LF. */
static void sb_field(sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_puts(b, s);
        return;
    }
    sb_c(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_c(b, '"');
        sb_c(b, *s);
    }
    sb_c(b, '"');
}

/* An output file written through a buffer. */
typedef struct wfile {
    FILE *f;
    atomic_file af; /* written beside the file, renamed over it at the end */
    sbuf b;
    const char *name;
    int err;
} wfile;

#define FLUSH_AT (1u << 20)

static void wf_flush(wfile *w)
{
    if (w->b.n && fwrite(w->b.p, 1, w->b.n, w->f) != w->b.n)
        w->err = 1;
    w->b.n = 0;
}

static void wf_maybe_flush(wfile *w)
{
    if (w->b.n >= FLUSH_AT)
        wf_flush(w);
}

/* ---- names ---- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
    "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "欧阳", "司马",
};
static const char *const given[] = {
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
    "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "金凤",
    "玉兰", "志强", "海燕", "晓东", "子涵", "浩然", "雨萱", "梓轩", "欣怡", "宇航", "思远",
    "佳琪", "俊杰",
};
static const char *const latin_first[] = {
    "David", "Lucy", "Kevin", "Amy", "Tom", "Grace", "Michael", "Sophie", "Daniel", "Emma",
    "José", "Zoë", "Chloé", "Anna",
};
static const char *const latin_last[] = {
    "Chen", "Wang", "Li", "Zhang", "Smith", "Müller", "O'Brien", "García", "Nguyen", "Kim",
};
static const char *const cities[] = {
    "上海", "北京", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安", "天津", "重庆",
};
static const char *const firm_words[] = {
    "恒通", "华信", "宏达", "鑫源", "博远", "瑞丰", "金盛", "天成", "新锐", "东方", "安泰", "远航",
};
static const char *const industries[] = {
    "贸易", "物流", "科技", "建设", "汽车服务", "租赁", "餐饮", "医药",
};
static const char *const firm_suffix[] = { "有限公司", "股份有限公司", "集团有限公司" };
static const char *const latin_firms[] = {
    "Acme Logistics, Ltd.", "Blue Sky Trading Co.", "Northwind Foods, Inc.",
    "Pacific Rim Rentals",
};
static const char *const region_names[] = { "华东", "华南", "华北" };
static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
static const char *const area_codes[] = { "010", "021", "020", "0755", "0571", "025" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rbelow(r, COUNT(a))])

static void person_name(rng *r, sbuf *b)
{
    if (rper(r, 90)) {
        sb_puts(b, PICK(r, latin_first));
        sb_c(b, ' ');
        sb_puts(b, PICK(r, latin_last));
        return;
    }
    sb_puts(b, PICK(r, surnames));
    sb_puts(b, PICK(r, given));
}

/* ---- the model ---- */

enum { ROLE_REP, ROLE_LEADER, ROLE_SUPERVISOR, ROLE_MANAGER, ROLE_DIRECTOR };
static const char *const role_names[] = { "rep", "leader", "supervisor", "manager", "director" };

#define NO_END INT32_MAX

typedef struct gteam {
    char id[24];
    char name[40];
    int parent; /* -1 for the root */
    int leader; /* member index, or -1 */
} gteam;

typedef struct gmember {
    char id[24];
    int team;
    int role;
    int32_t start, end;    /* days from the first day of the span; end NO_END */
    int32_t absent_until;  /* last day of a running absence */
    int32_t signed_day;    /* the day of the latest signin */
    uint32_t void_stamp;   /* stamp of the latest void_register */
} gmember;

typedef struct gcust {
    int32_t prot;   /* protecting member, or -1 */
    int32_t last;   /* day of the protector's latest contact */
    uint32_t stamp; /* stamp of the registration */
    uint8_t stage;  /* 0 not arrived, 1 prospect, 2 engaged, 3 bought */
    uint8_t company;
} gcust;

enum { P_FOLLOWUP, P_CLAIM, P_OVERRIDE, P_PAYMENT };

/* Something decided for a later day. */
typedef struct pend {
    int64_t amount;
    uint32_t ref;
    int32_t member; /* -1: the company (override) */
    int32_t cust;
    int16_t minute;
    uint8_t type;
} pend;

typedef struct bucket {
    pend *v;
    size_t n, cap;
} bucket;

#define RING 256      /* days a decision may look ahead (< RING) */
#define MINUTES 1440

/* One event line of the current day. */
typedef struct rec {
    uint32_t off, len;
    uint16_t minute;
} rec;

typedef struct gen {
    gen_params p;
    rng r; /* the event stream */
    int nteams, nmembers;
    gteam *teams;
    gmember *m;
    long ncust;
    gcust *c;
    int cust_width;

    smg_date d0;       /* first day */
    int32_t days;      /* span length */
    char (*daytext)[11];
    uint8_t *workday;  /* per day */
    int32_t *workidx;  /* per day: working days up to and including it */
    int32_t nwork;
    int32_t *month;    /* per day: month index from the first month */
    int nmonths;
    int first_year;    /* the span starts on 1 January of this year */

    /* the day being simulated */
    int32_t today;
    int *signed_in; /* today's signin order */
    int nsigned;
    size_t rot;     /* next in the reception rotation */

    uint64_t want, count; /* events asked for and written */
    long intro_total, introduced;
    int32_t intro_days;
    long nvoid;
    int32_t *hot; /* recently touched customers */
    size_t hot_n, hot_cap, hot_pos;
    uint64_t next_deal, next_recv;
    uint32_t stamp;
    bucket ring[RING];

    sbuf day; /* today's lines */
    rec *recs;
    size_t nrec, rec_cap;
    uint32_t *order;
    size_t order_cap;
    wfile ev;

    int64_t *sales;     /* per member and month: amounts closed */
    uint64_t *year_deals; /* per year of the span */
    int oom;
} gen;

static int member_active(const gen *g, int i, int32_t day)
{
    return g->m[i].start <= day && day <= g->m[i].end;
}

/* ---- the calendar ---- */

static const int holidays[][2] = { { 1, 1 }, { 5, 1 }, { 5, 2 }, { 10, 1 }, { 10, 2 }, { 10, 3 } };

static int is_holiday(int month, int day)
{
    size_t i;
    for (i = 0; i < COUNT(holidays); i++)
        if (holidays[i][0] == month && holidays[i][1] == day)
            return 1;
    return 0;
}

static int setup_calendar(gen *g)
{
    int32_t d;
    long span;
    /* long enough that signins stay near 40% of the events, within 4-24 months */
    span = (long)((uint64_t)g->p.events * 4 * 7 / 50 / (uint64_t)g->p.members) + 1;
    if (span < 120)
        span = 120;
    if (span > 731)
        span = 731;
    g->days = (int32_t)span;
    g->first_year = 2025;
    smg_date_make(&g->d0, 2025, 1, 1);
    g->daytext = malloc((size_t)g->days * sizeof *g->daytext);
    g->workday = malloc((size_t)g->days);
    g->workidx = malloc((size_t)g->days * sizeof *g->workidx);
    g->month = malloc((size_t)g->days * sizeof *g->month);
    if (!g->daytext || !g->workday || !g->workidx || !g->month)
        return -1;
    g->nwork = 0;
    for (d = 0; d < g->days; d++) {
        int y, mo, dd;
        smg_date_split(g->d0 + d, &y, &mo, &dd);
        smg_date_format(g->daytext[d], sizeof g->daytext[d], g->d0 + d);
        g->workday[d] = smg_date_weekday(g->d0 + d) < 5 && !is_holiday(mo, dd);
        g->nwork += g->workday[d];
        g->workidx[d] = g->nwork;
        g->month[d] = (y - g->first_year) * 12 + (mo - 1);
    }
    g->nmonths = g->month[g->days - 1] + 1;
    return 0;
}

static int last_day_of_month(const gen *g, int32_t d)
{
    return d + 1 >= g->days || g->month[d + 1] != g->month[d];
}

/* ---- the organisation ---- */

static int build_org(gen *g)
{
    rng r = rng_for(g->p.seed, 1);
    long M = g->p.members;
    int R = M >= 40 ? 3 : M >= 8 ? 2 : 1;
    int sup = M >= 30;
    long lead = 1 + (long)R * (1 + sup), T, i, k, next = 0;
    int mw;

    T = (M - lead + 3) / 7;
    if (T < R)
        T = R;
    if (lead + T > M) {
        R = 1, sup = 0, lead = 2, T = 1;
    }
    g->nteams = 1 + R + (int)T;
    g->nmembers = (int)M;
    g->teams = calloc((size_t)g->nteams, sizeof *g->teams);
    g->m = calloc((size_t)M, sizeof *g->m);
    if (!g->teams || !g->m)
        return -1;
    mw = M >= 1000 ? (M >= 10000 ? 5 : 4) : 3;
    for (i = 0; i < M; i++) {
        gmember *m = &g->m[i];
        snprintf(m->id, sizeof m->id, "m%0*ld", mw, i + 1);
        m->absent_until = -1;
        m->signed_day = -1;
    }

    /* the company, its regions, their teams */
    snprintf(g->teams[0].id, sizeof g->teams[0].id, "hq");
    snprintf(g->teams[0].name, sizeof g->teams[0].name, "销售总部");
    g->teams[0].parent = -1;
    for (i = 0; i < R; i++) {
        gteam *t = &g->teams[1 + i];
        snprintf(t->id, sizeof t->id, "r%ld", i + 1);
        snprintf(t->name, sizeof t->name, "%s区", region_names[i]);
        t->parent = 0;
    }
    for (i = 0; i < T; i++) {
        gteam *t = &g->teams[1 + R + i];
        int reg = (int)(i % R);
        long nth = i / R + 1;
        snprintf(t->id, sizeof t->id, "t%03ld", i + 1);
        if (nth <= 10)
            snprintf(t->name, sizeof t->name, "%s%s组", region_names[reg], numerals[nth - 1]);
        else
            snprintf(t->name, sizeof t->name, "%s%ld组", region_names[reg], nth);
        t->parent = 1 + reg;
    }

    /* leaders first: director, managers (and supervisors), team leaders */
    g->m[next].role = ROLE_DIRECTOR, g->m[next].team = 0, g->teams[0].leader = (int)next++;
    for (i = 0; i < R; i++) {
        g->m[next].role = ROLE_MANAGER, g->m[next].team = 1 + (int)i;
        g->teams[1 + i].leader = (int)next++;
        if (sup)
            g->m[next].role = ROLE_SUPERVISOR, g->m[next++].team = 1 + (int)i;
    }
    for (i = 0; i < T; i++) {
        g->m[next].role = ROLE_LEADER, g->m[next].team = 1 + R + (int)i;
        g->teams[1 + R + i].leader = (int)next++;
    }
    for (k = 0; next < M; next++, k++)
        g->m[next].role = ROLE_REP, g->m[next].team = 1 + R + (int)(k % T);

    /* dates: most started before the span; some reps join or leave during it */
    for (i = 0, k = 0; i < M; i++) {
        gmember *m = &g->m[i];
        m->end = NO_END;
        if (m->role != ROLE_REP) {
            m->start = -(int32_t)rrange(&r, 400, 3000);
        } else if (rper(&r, 180)) {
            m->start = (int32_t)rrange(&r, 1, g->days * 7 / 10);
        } else {
            m->start = -(int32_t)rrange(&r, 30, 2500);
        }
        if (m->role == ROLE_REP && rper(&r, 100)) {
            int32_t lo = (m->start > 0 ? m->start : 0) + 60;
            if (lo < g->days - 10)
                m->end = (int32_t)rrange(&r, lo, g->days - 10), k++;
        }
    }
    if (!k && g->m[M - 1].role == ROLE_REP && g->days > 120) { /* somebody always leaves */
        gmember *m = &g->m[M - 1];
        if (m->start > g->days / 3)
            m->start = -(int32_t)rrange(&r, 30, 900);
        m->end = (int32_t)rrange(&r, g->days / 2, g->days - 10);
    }
    return 0;
}

static int write_teams(gen *g, wfile *w)
{
    int i;
    sb_puts(&w->b, "team_id,name,parent_id,leader_id\n");
    for (i = 0; i < g->nteams; i++) {
        const gteam *t = &g->teams[i];
        sb_puts(&w->b, t->id);
        sb_c(&w->b, ',');
        sb_field(&w->b, t->name);
        sb_c(&w->b, ',');
        if (t->parent >= 0)
            sb_puts(&w->b, g->teams[t->parent].id);
        sb_c(&w->b, ',');
        if (t->leader >= 0)
            sb_puts(&w->b, g->m[t->leader].id);
        sb_c(&w->b, '\n');
    }
    return 0;
}

static void put_day(const gen *g, sbuf *b, int32_t day)
{
    char text[16];
    smg_date_format(text, sizeof text, g->d0 + day);
    sb_puts(b, text);
}

static int write_members(gen *g, wfile *w)
{
    rng r = rng_for(g->p.seed, 2);
    static const long pay_lo[] = { 6000, 12000, 15000, 20000, 35000 };
    static const long pay_hi[] = { 12000, 18000, 22000, 30000, 50000 };
    int i;
    sb_puts(&w->b, "member_id,name,team_id,role,start_date,end_date,pay_total\n");
    for (i = 0; i < g->nmembers; i++) {
        const gmember *m = &g->m[i];
        sb_puts(&w->b, m->id);
        sb_c(&w->b, ',');
        {
            sbuf name = { 0 };
            person_name(&r, &name);
            sb_c(&name, 0);
            if (name.err)
                return -1;
            sb_field(&w->b, name.p);
            free(name.p);
        }
        sb_c(&w->b, ',');
        sb_puts(&w->b, g->teams[m->team].id);
        sb_c(&w->b, ',');
        sb_puts(&w->b, role_names[m->role]);
        sb_c(&w->b, ',');
        put_day(g, &w->b, m->start);
        sb_c(&w->b, ',');
        if (m->end != NO_END)
            put_day(g, &w->b, m->end);
        sb_c(&w->b, ',');
        /* the director's pay is not managed here: no pay lines */
        if (m->role != ROLE_DIRECTOR)
            sb_money(&w->b, rrange(&r, pay_lo[m->role] / 100, pay_hi[m->role] / 100) * 10000);
        sb_c(&w->b, '\n');
        wf_maybe_flush(w);
    }
    return 0;
}

/* ---- customers ---- */

/* Mobile number of customer @p i (11 digits), fixed by the seed. */
static uint64_t mobile_of(const gen *g, long i)
{
    static const unsigned prefixes[] = { 130, 131, 132, 135, 136, 137, 138, 139, 150, 151,
                                         152, 158, 159, 166, 177, 180, 186, 187, 188, 199 };
    uint64_t h = hash3(g->p.seed, 11, (uint64_t)i);
    return (uint64_t)prefixes[h % COUNT(prefixes)] * 100000000ULL + (h >> 20) % 100000000ULL;
}

static void put_mobile(sbuf *b, uint64_t num, unsigned style)
{
    uint64_t a = num / 100000000ULL, m = num / 10000 % 10000, z = num % 10000;
    switch (style) {
    case 0: sb_u(b, num); break;
    case 1: sb_u(b, a), sb_c(b, ' '), sb_upad(b, m, 4), sb_c(b, ' '), sb_upad(b, z, 4); break;
    case 2: sb_puts(b, "+86 "), sb_u(b, a), sb_c(b, ' '), sb_upad(b, m, 4), sb_c(b, ' '),
            sb_upad(b, z, 4); break;
    case 3: sb_puts(b, "+86"), sb_u(b, num); break;
    case 4: sb_puts(b, "0086-"), sb_u(b, num); break;
    default: sb_u(b, a), sb_c(b, '-'), sb_upad(b, m, 4), sb_c(b, '-'), sb_upad(b, z, 4); break;
    }
}

/* Customer i joins the family of customer i-1 (persons only). */
static int joins_family(const gen *g, long i)
{
    return i > 0 && !g->c[i].company && !g->c[i - 1].company &&
           hash3(g->p.seed, 12, (uint64_t)i) % 100 < 9;
}

static void put_cust_id(const gen *g, sbuf *b, long i)
{
    sb_c(b, 'c');
    sb_upad(b, (uint64_t)i + 1, g->cust_width);
}

static int write_customers(gen *g, wfile *w)
{
    rng r = rng_for(g->p.seed, 3);
    long i, ngroups = g->ncust / 60 + 1;
    for (i = 0; i < g->ncust; i++) {
        g->c[i].prot = -1;
        g->c[i].company = rper(&r, 220);
    }
    sb_puts(&w->b, "customer_id,name,phone,group_key\n");
    for (i = 0; i < g->ncust; i++) {
        const gcust *c = &g->c[i];
        sbuf *b = &w->b;
        put_cust_id(g, b, i);
        sb_c(b, ',');
        if (c->company) {
            if (rper(&r, 30))
                sb_field(b, PICK(&r, latin_firms));
            else {
                sb_puts(b, PICK(&r, cities));
                sb_puts(b, PICK(&r, firm_words));
                sb_puts(b, PICK(&r, industries));
                sb_puts(b, PICK(&r, firm_suffix));
            }
        } else {
            unsigned k = (unsigned)rbelow(&r, 1000);
            if (k < 300) {
                sb_puts(b, PICK(&r, surnames));
                sb_puts(b, rper(&r, 500) ? "先生" : "女士");
            } else if (k < 990) {
                sbuf name = { 0 };
                person_name(&r, &name);
                sb_c(&name, 0);
                if (name.err)
                    return -1;
                sb_field(b, name.p);
                free(name.p);
            } else { /* a nickname in quotes */
                sbuf name = { 0 };
                sb_puts(&name, PICK(&r, surnames));
                sb_puts(&name, PICK(&r, given));
                sb_puts(&name, " \"老");
                sb_puts(&name, PICK(&r, surnames));
                sb_puts(&name, "\"");
                sb_c(&name, 0);
                if (name.err)
                    return -1;
                sb_field(b, name.p);
                free(name.p);
            }
        }
        sb_c(b, ',');
        {
            unsigned k = (unsigned)rbelow(&r, 1000);
            if (k < 40) {
                /* no phone */
            } else if (k < 75 && i > 0) { /* the same number as an earlier customer */
                put_mobile(b, mobile_of(g, (long)rbelow(&r, (uint64_t)i)),
                           (unsigned)rbelow(&r, 6));
            } else if (c->company && k < 400) {
                sb_puts(b, PICK(&r, area_codes));
                sb_c(b, '-');
                sb_u(b, (uint64_t)rrange(&r, 52000000, 88999999));
            } else {
                put_mobile(b, mobile_of(g, i), (unsigned)rbelow(&r, 6));
            }
        }
        sb_c(b, ',');
        if (c->company) {
            if (hash3(g->p.seed, 13, (uint64_t)i) % 100 < 40) {
                sb_puts(b, "grp-");
                sb_upad(b, hash3(g->p.seed, 14, (uint64_t)i) % (uint64_t)ngroups + 1, 3);
            }
        } else if (joins_family(g, i) || (i + 1 < g->ncust && joins_family(g, i + 1))) {
            long root = i;
            while (joins_family(g, root))
                root--;
            sb_puts(b, "fam-");
            put_cust_id(g, b, root);
        }
        sb_c(b, '\n');
        wf_maybe_flush(w);
    }
    return 0;
}

/* ---- events ---- */

static const char *const ev_header =
    "at,type,member,customer,ref,amount,list_amount,cost,product,channel,outcome,value\n";

/* One event to write; fields not used stay absent. */
typedef struct gev {
    int minute;
    const char *type;
    int member;     /* -1 = none */
    long cust;      /* -1 = none */
    char refkind;   /* 'D' deal, 'R' receivable, 0 none */
    uint64_t ref;
    const char *refname; /* a scorecard item, or NULL */
    int64_t amount, list_amount, cost; /* -1 = none */
    const char *product, *channel, *outcome;
    long value;     /* hundredths, -1 = none */
} gev;

static gev ev_make(int minute, const char *type, int member, long cust)
{
    gev e;
    memset(&e, 0, sizeof e);
    e.minute = minute;
    e.type = type;
    e.member = member;
    e.cust = cust;
    e.amount = e.list_amount = e.cost = -1;
    e.value = -1;
    return e;
}

/* Add an event to today's lines. @return 0, or -1 once the count is reached */
static int emit(gen *g, const gev *e)
{
    sbuf *b = &g->day;
    size_t off = b->n;
    rec *rc;
    if (g->count >= g->want)
        return -1;
    if (g->nrec == g->rec_cap) {
        size_t c = g->rec_cap ? g->rec_cap * 2 : 1024;
        rec *q = realloc(g->recs, c * sizeof *q);
        if (!q) {
            g->oom = 1;
            g->want = g->count; /* stop */
            return -1;
        }
        g->recs = q;
        g->rec_cap = c;
    }
    sb_put(b, g->daytext[g->today], 10);
    sb_c(b, 'T');
    sb_upad(b, (uint64_t)e->minute / 60, 2);
    sb_c(b, ':');
    sb_upad(b, (uint64_t)e->minute % 60, 2);
    sb_c(b, ',');
    sb_puts(b, e->type);
    sb_c(b, ',');
    if (e->member >= 0)
        sb_puts(b, g->m[e->member].id);
    sb_c(b, ',');
    if (e->cust >= 0)
        put_cust_id(g, b, e->cust);
    sb_c(b, ',');
    if (e->refkind) {
        sb_c(b, e->refkind);
        sb_upad(b, e->ref, 6);
    } else if (e->refname) {
        sb_puts(b, e->refname);
    }
    sb_c(b, ',');
    if (e->amount >= 0)
        sb_money(b, e->amount);
    sb_c(b, ',');
    if (e->list_amount >= 0)
        sb_money(b, e->list_amount);
    sb_c(b, ',');
    if (e->cost >= 0)
        sb_money(b, e->cost);
    sb_c(b, ',');
    if (e->product)
        sb_puts(b, e->product);
    sb_c(b, ',');
    if (e->channel)
        sb_puts(b, e->channel);
    sb_c(b, ',');
    if (e->outcome)
        sb_puts(b, e->outcome);
    sb_c(b, ',');
    if (e->value >= 0)
        sb_hundredths(b, e->value);
    sb_c(b, '\n');
    if (b->err) {
        g->oom = 1;
        g->want = g->count;
        return -1;
    }
    rc = &g->recs[g->nrec++];
    rc->off = (uint32_t)off;
    rc->len = (uint32_t)(b->n - off);
    rc->minute = (uint16_t)(e->minute < MINUTES ? e->minute : MINUTES - 1);
    g->count++;
    return 0;
}

/* Write today's lines sorted by minute (stable: ties keep their order). */
static void flush_day(gen *g)
{
    size_t start[MINUTES + 1], i;
    memset(start, 0, sizeof start);
    if (g->nrec > g->order_cap) {
        uint32_t *q = realloc(g->order, g->nrec * sizeof *q);
        if (!q) {
            g->oom = 1;
            return;
        }
        g->order = q;
        g->order_cap = g->nrec;
    }
    for (i = 0; i < g->nrec; i++)
        start[g->recs[i].minute + 1]++;
    for (i = 1; i <= MINUTES; i++)
        start[i] += start[i - 1];
    for (i = 0; i < g->nrec; i++)
        g->order[start[g->recs[i].minute]++] = (uint32_t)i;
    for (i = 0; i < g->nrec; i++) {
        const rec *x = &g->recs[g->order[i]];
        sb_put(&g->ev.b, g->day.p + x->off, x->len);
        wf_maybe_flush(&g->ev);
    }
    if (g->ev.b.err)
        g->oom = 1;
    g->day.n = 0;
    g->nrec = 0;
}

/* Put a decision on day today + @p days (moved to the next working day).
 * Dropped when that falls after the span. */
static void schedule(gen *g, int32_t days, pend item)
{
    int32_t d = g->today + days;
    bucket *bk;
    while (d < g->days && !g->workday[d])
        d++;
    if (d >= g->days || d - g->today >= RING || d <= g->today)
        return;
    bk = &g->ring[d % RING];
    if (bk->n == bk->cap) {
        size_t c = bk->cap ? bk->cap * 2 : 64;
        pend *q = realloc(bk->v, c * sizeof *q);
        if (!q) {
            g->oom = 1;
            g->want = g->count;
            return;
        }
        bk->v = q;
        bk->cap = c;
    }
    bk->v[bk->n++] = item;
}

static pend pend_make(int type, int member, long cust)
{
    pend p;
    memset(&p, 0, sizeof p);
    p.type = (uint8_t)type;
    p.member = member;
    p.cust = (int32_t)cust;
    return p;
}

static int signed_today(const gen *g, int m)
{
    return m >= 0 && g->m[m].signed_day == g->today;
}

static void touch(gen *g, long ci)
{
    if (!g->hot_cap)
        return;
    g->hot[g->hot_pos] = (int32_t)ci;
    g->hot_pos = (g->hot_pos + 1) % g->hot_cap;
    if (g->hot_n < g->hot_cap)
        g->hot_n++;
}

/* Does the protector of customer @p ci still hold it today (R2, R6)? */
static int protected_by(const gen *g, long ci)
{
    const gcust *c = &g->c[ci];
    const gmember *m;
    if (c->prot < 0)
        return -1;
    m = &g->m[c->prot];
    if (g->today > c->last + 7 || m->void_stamp > c->stamp || g->today > m->end)
        return -1;
    return c->prot;
}

/* Member @p m contacts customer @p ci (renews their own protection). */
static void contact(gen *g, long ci, int m)
{
    if (g->c[ci].prot == m)
        g->c[ci].last = g->today;
}

static int rotation_next(gen *g)
{
    return g->signed_in[g->rot++ % (size_t)g->nsigned];
}

/* A signed-in member other than @p not (or @p not when alone). */
static int other_member(gen *g, int not)
{
    int i = (int)rbelow(&g->r, (uint64_t)g->nsigned);
    if (g->signed_in[i] == not && g->nsigned > 1)
        i = (i + 1) % g->nsigned;
    return g->signed_in[i];
}

static void followup_later(gen *g, int m, long ci, int minute)
{
    unsigned k = (unsigned)rbelow(&g->r, 100);
    if (k < 25) { /* later the same day */
        gev e = ev_make(minute + (int)rrange(&g->r, 30, 240), "followup", m, ci);
        emit(g, &e);
        g->c[ci].stage = 2;
    } else if (k < 88) {
        pend p = pend_make(P_FOLLOWUP, m, ci);
        p.minute = (int16_t)rrange(&g->r, 540, 1080);
        schedule(g, (int32_t)rrange(&g->r, 1, 3), p);
    } else if (k < 96) { /* late (R3) */
        pend p = pend_make(P_FOLLOWUP, m, ci);
        p.minute = (int16_t)rrange(&g->r, 540, 1080);
        schedule(g, (int32_t)rrange(&g->r, 4, 9), p);
    }
}

/* A register by @p m (R1): protection when nobody holds it, a renewal for
 * the protector, a collision otherwise. */
static void do_register(gen *g, int m, long ci, int minute)
{
    gev e = ev_make(minute, "register", m, ci);
    int p = protected_by(g, ci);
    if (emit(g, &e))
        return;
    if (p < 0) {
        gcust *c = &g->c[ci];
        c->prot = m;
        c->last = g->today;
        c->stamp = ++g->stamp;
        followup_later(g, m, ci, minute);
    } else if (p == m) {
        contact(g, ci, m);
    }
}

struct product {
    const char *name;
    long lo, hi; /* list price in yuan */
    unsigned weight_person, weight_company;
};
static const struct product products[] = {
    { "sedan", 120000, 260000, 36, 24 },
    { "suv", 180000, 420000, 24, 34 },
    { "ev", 150000, 320000, 24, 24 },
    { "parts", 800, 30000, 16, 18 },
};

static void do_deal(gen *g, int closer, long ci, int minute)
{
    gcust *c = &g->c[ci];
    const struct product *pr = &products[0];
    gev e = ev_make(minute, "deal", closer, ci);
    int64_t list, amount, cost;
    unsigned k = (unsigned)rbelow(&g->r, 100), acc = 0;
    int p = protected_by(g, ci);
    size_t i;

    for (i = 0; i < COUNT(products); i++) {
        acc += c->company ? products[i].weight_company : products[i].weight_person;
        if (k < acc) {
            pr = &products[i];
            break;
        }
    }
    if (strcmp(pr->name, "parts") == 0) {
        amount = rrange(&g->r, pr->lo * 100, pr->hi * 100);
        list = amount + rrange(&g->r, 0, amount / 20);
        cost = amount * rrange(&g->r, 600, 750) / 1000;
    } else {
        long qty = c->company && rper(&g->r, 300) ? rrange(&g->r, 2, 8) : 1;
        list = rrange(&g->r, pr->lo / 100, pr->hi / 100) * 10000 * qty;
        amount = list - list * rrange(&g->r, 0, 80) / 1000 / 10000 * 10000;
        cost = amount * rrange(&g->r, 820, 930) / 1000;
    }
    e.refkind = 'D';
    e.ref = ++g->next_deal;
    e.amount = amount;
    e.list_amount = list;
    e.cost = cost;
    e.product = pr->name;
    if (emit(g, &e))
        return;
    g->sales[(size_t)closer * (size_t)g->nmonths + (size_t)g->month[g->today]] += amount;
    g->year_deals[g->month[g->today] / 12]++;
    c->stage = 3;

    if (p < 0) { /* unprotected: the closer's customer now */
        c->prot = closer;
        c->last = g->today;
        c->stamp = ++g->stamp;
    } else if (p == closer) {
        c->last = g->today;
    } else { /* protected_unclaimed: the protector may claim (R5) */
        unsigned r = (unsigned)rbelow(&g->r, 100);
        pend q = pend_make(P_CLAIM, p, ci);
        q.ref = (uint32_t)e.ref;
        q.minute = (int16_t)rrange(&g->r, 540, 1080);
        if (r < 72)
            schedule(g, (int32_t)rrange(&g->r, 1, 3), q);
        else if (r < 86)
            schedule(g, (int32_t)rrange(&g->r, 4, 9), q);
        if (rper(&g->r, 80)) { /* the manager decides (R7) */
            unsigned w = (unsigned)rbelow(&g->r, 100);
            q.type = P_OVERRIDE;
            q.member = w < 40 ? p : w < 65 ? closer : -1;
            q.minute = (int16_t)rrange(&g->r, 540, 1080);
            schedule(g, (int32_t)rrange(&g->r, 2, 12), q);
        }
    }
    if (rper(&g->r, 10)) { /* a claim by someone with no right to it */
        pend q = pend_make(P_CLAIM, other_member(g, closer), ci);
        q.ref = (uint32_t)e.ref;
        q.minute = (int16_t)rrange(&g->r, 540, 1080);
        schedule(g, (int32_t)rrange(&g->r, 1, 3), q);
    } else if (p < 0 && rper(&g->r, 6)) { /* a deal judged to the company */
        pend q = pend_make(P_OVERRIDE, -1, ci);
        q.ref = (uint32_t)e.ref;
        q.minute = (int16_t)rrange(&g->r, 540, 1080);
        schedule(g, (int32_t)rrange(&g->r, 1, 5), q);
    }

    if (rper(&g->r, 550)) { /* a receivable, paid in parts later */
        gev rv = ev_make(minute + (int)rrange(&g->r, 5, 40), "receivable", closer, ci);
        int64_t due = c->company ? amount : amount * rrange(&g->r, 30, 100) / 100;
        int64_t paid_total, left;
        unsigned cover = (unsigned)rbelow(&g->r, 100);
        int parts = (int)rrange(&g->r, 1, 3);
        int32_t day = 0;
        if (due <= 0)
            return;
        rv.refkind = 'R';
        rv.ref = ++g->next_recv;
        rv.amount = due;
        if (emit(g, &rv))
            return;
        paid_total = cover < 70 ? due : cover < 95 ? due * rrange(&g->r, 50, 90) / 100 : 0;
        if (due < 300)
            parts = 1;
        left = paid_total;
        while (left > 0 && parts > 0) {
            pend q = pend_make(P_PAYMENT, closer, ci);
            int64_t part = parts == 1 ? left : left * rrange(&g->r, 30, 70) / 100;
            if (part <= 0)
                part = left;
            day += (int32_t)rrange(&g->r, 3, 40);
            q.ref = (uint32_t)rv.ref;
            q.amount = part;
            q.minute = (int16_t)rrange(&g->r, 540, 1080);
            schedule(g, day, q);
            left -= part;
            parts--;
        }
    }
}

static void do_reception(gen *g, int m, long ci, int minute, int duty)
{
    gev e = ev_make(minute, "reception", m, ci);
    e.channel = rper(&g->r, 720) ? "walk_in" : "phone";
    e.outcome = duty ? "duty" : NULL;
    if (!emit(g, &e) && !duty)
        contact(g, ci, m);
}

static void do_visit(gen *g, int m, long ci, int minute)
{
    gev e = ev_make(minute, "visit", m, ci);
    e.channel = rper(&g->r, 600) ? "onsite" : "phone";
    e.outcome = rper(&g->r, 650) ? "success" : "fail";
    if (!emit(g, &e)) {
        contact(g, ci, m);
        if (g->c[ci].stage < 2)
            g->c[ci].stage = 2;
    }
}

static void do_simple(gen *g, const char *type, int m, long ci, int minute)
{
    gev e = ev_make(minute, type, m, ci);
    emit(g, &e);
}

/* A new customer arrives: reception by the next in the rotation, mostly
 * registered at once. */
static void story_new(gen *g, long ci)
{
    int m = rotation_next(g);
    int minute = (int)rrange(&g->r, 540, 1050);
    g->c[ci].stage = 1;
    touch(g, ci);
    do_reception(g, m, ci, minute, 0);
    if (rper(&g->r, 850))
        do_register(g, m, ci, minute + (int)rrange(&g->r, 5, 25));
}

/* Something happens with a customer who arrived before. */
static void story_existing(gen *g, long ci)
{
    gcust *c = &g->c[ci];
    int p = protected_by(g, ci);
    int minute = (int)rrange(&g->r, 540, 1050);
    unsigned k = (unsigned)rbelow(&g->r, 100);

    touch(g, ci);
    if (p < 0 && c->prot >= 0 && signed_today(g, c->prot) && k < 45) {
        /* released (R2): the former protector calls and registers again */
        int m = c->prot;
        do_simple(g, "followup", m, ci, minute);
        do_register(g, m, ci, minute + (int)rrange(&g->r, 5, 25));
        return;
    }
    if (p < 0) { /* nobody holds the customer: back at the front desk */
        int m = rotation_next(g);
        do_reception(g, m, ci, minute, 0);
        if (k < 55)
            do_register(g, m, ci, minute + (int)rrange(&g->r, 5, 25));
        else if (k < 63 && c->stage >= 2)
            do_deal(g, m, ci, minute + (int)rrange(&g->r, 20, 90));
        return;
    }
    if (signed_today(g, p) && rper(&g->r, 860)) { /* the protector works the customer */
        static const unsigned deal_share[4] = { 0, 6, 16, 11 };
        unsigned d = deal_share[c->stage];
        if (k < d)
            do_deal(g, p, ci, minute);
        else if (k < d + 30) {
            do_simple(g, "followup", p, ci, minute);
            contact(g, ci, p);
            if (c->stage < 2)
                c->stage = 2;
        } else if (k < d + 52)
            do_visit(g, p, ci, minute);
        else if (k < d + 62) {
            if (c->stage < 3) {
                do_simple(g, "demo", p, ci, minute);
                c->stage = 2;
            } else
                do_visit(g, p, ci, minute);
        } else if (k < d + 74)
            do_reception(g, p, ci, minute, 0);
        else if (k < d + 77 && c->stage == 3)
            do_simple(g, "complaint", p, ci, minute);
        else {
            do_simple(g, "followup", p, ci, minute);
            contact(g, ci, p);
        }
        return;
    }
    {
        int a = other_member(g, p);
        if (a == p)
            return;
        if (k < 42) { /* received on the protector's behalf (R8) */
            do_reception(g, a, ci, minute, 1);
        } else if (k < 55) { /* a second registration: a collision (R1) */
            do_reception(g, a, ci, minute, 0);
            do_register(g, a, ci, minute + (int)rrange(&g->r, 5, 25));
        } else if (k < 85) { /* another member closes (R4) */
            do_deal(g, a, ci, minute);
        } else {
            do_visit(g, a, ci, minute);
        }
    }
}

static long pick_customer(gen *g)
{
    if (g->hot_n && rper(&g->r, 750))
        return g->hot[rbelow(&g->r, g->hot_n)];
    return (long)rbelow(&g->r, (uint64_t)g->introduced);
}

static void run_pending(gen *g)
{
    bucket *bk = &g->ring[g->today % RING];
    size_t i;
    for (i = 0; i < bk->n && g->count < g->want; i++) {
        const pend *q = &bk->v[i];
        int m = q->member;
        gev e;
        switch (q->type) {
        case P_FOLLOWUP:
            if (!member_active(g, m, g->today))
                continue;
            e = ev_make(q->minute, "followup", m, q->cust);
            if (!emit(g, &e)) {
                contact(g, q->cust, m);
                if (g->c[q->cust].stage < 2)
                    g->c[q->cust].stage = 2;
            }
            break;
        case P_CLAIM:
            if (!member_active(g, m, g->today))
                continue;
            e = ev_make(q->minute, "claim", m, -1);
            e.refkind = 'D';
            e.ref = q->ref;
            emit(g, &e);
            break;
        case P_OVERRIDE:
            if (m >= 0 && !member_active(g, m, g->today))
                m = -1; /* judged to the company */
            e = ev_make(q->minute, "override", m, -1);
            e.refkind = 'D';
            e.ref = q->ref;
            emit(g, &e);
            break;
        default: /* P_PAYMENT: collected by the raiser, or whoever is in */
            if (!member_active(g, m, g->today)) {
                if (!g->nsigned)
                    continue;
                m = g->signed_in[0];
            }
            e = ev_make(q->minute, "payment", m, q->cust);
            e.refkind = 'R';
            e.ref = q->ref;
            e.amount = q->amount;
            emit(g, &e);
            break;
        }
    }
    bk->n = 0;
}

/* Absences, then signins in a random order (the rotation of the day). */
static void start_day(gen *g)
{
    int i, n = 0;
    for (i = 0; i < g->nmembers; i++) {
        gmember *m = &g->m[i];
        if (!member_active(g, i, g->today) || m->absent_until >= g->today)
            continue;
        if (rper(&g->r, 12)) {
            static const long days[] = { 50, 50, 50, 100, 100, 100, 150, 200, 200, 300 };
            long v = days[rbelow(&g->r, COUNT(days))];
            gev e = ev_make(480, "absence", i, -1);
            e.value = v;
            emit(g, &e);
            if (v >= 100) {
                m->absent_until = g->today + (int32_t)(v / 100) - 1;
                continue;
            }
        }
        g->signed_in[n++] = i;
    }
    /* shuffle (Fisher-Yates) */
    for (i = n - 1; i > 0; i--) {
        int j = (int)rbelow(&g->r, (uint64_t)i + 1), t = g->signed_in[i];
        g->signed_in[i] = g->signed_in[j];
        g->signed_in[j] = t;
    }
    for (i = 0; i < n; i++) {
        int m = g->signed_in[i];
        gev e = ev_make(490 + i * 60 / n, "signin", m, -1);
        emit(g, &e);
        g->m[m].signed_day = g->today;
    }
    g->nsigned = n;
    g->rot = 0;
}

static void end_of_workday(gen *g)
{
    int i;
    for (i = 0; i < g->nsigned; i++)
        if (rper(&g->r, 70)) {
            gev e = ev_make((int)rrange(&g->r, 1020, 1080), "expense", g->signed_in[i], -1);
            e.amount = rrange(&g->r, 3000, 300000);
            emit(g, &e);
        }
}

/* The first team under a region: its members' work scores come from the
 * scorecard. */
static int scorecard_team(const gen *g)
{
    int t;
    for (t = 0; t < g->nteams; t++)
        if (g->teams[t].parent > 0)
            return t;
    return -1;
}

static void work_scores(gen *g)
{
    int i, month_end = last_day_of_month(g, g->today), sc = scorecard_team(g);
    for (i = 0; i < g->nmembers; i++) {
        if (!member_active(g, i, g->today) || (!month_end && g->m[i].end != g->today))
            continue;
        {
            gev e = ev_make(1110, "work_score", i, -1);
            e.value = rrange(&g->r, 120, 200) * 50; /* drawn for everyone: the stream stays */
            if (g->m[i].team != sc)
                emit(g, &e);
        }
    }
}

/* ---- the scorecard (考核细则) ---- */

enum { DUE_NONE, DUE_MONTHLY, DUE_WEEKLY };
#define RB(r) (1u << (r))

/* The handbook's items: 销售员 (reps) hand in 月报 (summary, plan and
 * proposal) by the 30th and 周报 by Friday; 组长 the 月报 too, and with
 * their managers the 返利表 by the 25th and the 广告计划 by the 13th;
 * managers also answer for dealer management (5 points a fault) and the
 * market report. Each role's top level adds up to 100 points. */
static const struct gitem {
    const char *id, *parent;
    int points, deduct; /* whole points; deduct 0 = any fault zeroes it */
    unsigned roles;     /* 0 = all */
    int due, day;       /* DUE_*, day of month or weekday (0 = Monday) */
} sc_items[] = {
    { "monthly_report", NULL, 60, 0, RB(ROLE_REP) | RB(ROLE_LEADER), DUE_MONTHLY, 30 },
    { "summary", "monthly_report", 20, 5, 0, DUE_NONE, 0 },
    { "plan", "monthly_report", 20, 5, 0, DUE_NONE, 0 },
    { "proposal", "monthly_report", 20, 5, 0, DUE_NONE, 0 },
    { "weekly_report", NULL, 40, 10, RB(ROLE_REP), DUE_WEEKLY, 4 },
    { "rebate_sheet", NULL, 20, 0, RB(ROLE_LEADER) | RB(ROLE_SUPERVISOR) | RB(ROLE_MANAGER),
      DUE_MONTHLY, 25 },
    { "ad_plan", NULL, 20, 0, RB(ROLE_LEADER) | RB(ROLE_SUPERVISOR) | RB(ROLE_MANAGER),
      DUE_MONTHLY, 13 },
    { "dealer_mgmt", NULL, 30, 5, RB(ROLE_SUPERVISOR) | RB(ROLE_MANAGER), DUE_NONE, 0 },
    { "market_report", NULL, 30, 0, RB(ROLE_SUPERVISOR) | RB(ROLE_MANAGER), DUE_MONTHLY, 10 },
};

/* Whether item k (with its parent's roles) applies to role r. */
static int sc_applies(size_t k, int r)
{
    size_t p;
    if (sc_items[k].roles && !(sc_items[k].roles & RB(r)))
        return 0;
    if (!sc_items[k].parent)
        return 1;
    for (p = 0; p < COUNT(sc_items); p++)
        if (strcmp(sc_items[p].id, sc_items[k].parent) == 0)
            return sc_applies(p, r);
    return 0;
}

static int write_scorecard(gen *g, wfile *w)
{
    static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
    size_t k;
    int r;
    (void)g;
    sb_puts(&w->b, "item,parent,points,deduct,roles,due\n");
    for (k = 0; k < COUNT(sc_items); k++) {
        const struct gitem *it = &sc_items[k];
        int first = 1;
        sb_puts(&w->b, it->id);
        sb_c(&w->b, ',');
        if (it->parent)
            sb_puts(&w->b, it->parent);
        sb_c(&w->b, ',');
        sb_u(&w->b, (uint64_t)it->points);
        sb_c(&w->b, ',');
        if (it->deduct)
            sb_u(&w->b, (uint64_t)it->deduct);
        sb_c(&w->b, ',');
        for (r = 0; r <= ROLE_DIRECTOR; r++)
            if (it->roles & RB(r)) {
                if (!first)
                    sb_c(&w->b, ';');
                sb_puts(&w->b, role_names[r]);
                first = 0;
            }
        sb_c(&w->b, ',');
        if (it->due == DUE_MONTHLY) {
            sb_puts(&w->b, "monthly:");
            sb_u(&w->b, (uint64_t)it->day);
        } else if (it->due == DUE_WEEKLY) {
            sb_puts(&w->b, "weekly:");
            sb_puts(&w->b, days[it->day]);
        }
        sb_c(&w->b, '\n');
    }
    return 0;
}

/* The due day (a day of the span, possibly outside it) of item k's cycle
 * in the month holding day d (monthly) or the week holding d (weekly). */
static int32_t due_of(const gen *g, size_t k, int32_t d)
{
    int y, mo, dd, dim;
    if (sc_items[k].due == DUE_WEEKLY)
        return d - smg_date_weekday(g->d0 + d) + sc_items[k].day;
    smg_date_split(g->d0 + d, &y, &mo, &dd);
    dim = smg_days_in_month(y, mo);
    return d - (dd - 1) + (sc_items[k].day < dim ? sc_items[k].day : dim) - 1;
}

/* Member m's plan for the cycle of item k due on day `due`: the day the
 * report is handed in (86% on time, up to 3 days early; 7% up to 3 days
 * late), or -1 (never), and the minute. */
static int32_t submit_plan(const gen *g, int m, size_t k, int32_t due, int *minute)
{
    uint64_t h = hash3(g->p.seed, 21 + k, (uint64_t)(uint32_t)m << 32 | (uint32_t)due);
    unsigned r = (unsigned)(h % 1000);
    int32_t start, day; /* the cycle's first day: the Monday, or the 1st */
    int y, mo, dd;
    smg_date_split(g->d0 + due, &y, &mo, &dd);
    start = sc_items[k].due == DUE_WEEKLY ? due - sc_items[k].day : due - (dd - 1);
    *minute = 540 + (int)((h >> 20) % 600);
    if (r < 860) {
        day = due - (int32_t)((h >> 10) % 4);
        if (day < start)
            day = due;
        if ((h >> 40) % 20 == 0) /* at the very end of the due day */
            *minute = 1380 + (int)((h >> 44) % 60);
    } else if (r < 930) {
        day = due + 1 + (int32_t)((h >> 10) % 3);
    } else {
        day = -1;
    }
    return day;
}

/* Today's submits and faults, from plans fixed by the seed (no draw from
 * the event stream). */
static void scorecard_events(gen *g)
{
    int32_t d = g->today;
    int i, y, mo, dd;
    size_t k;
    smg_date_split(g->d0 + d, &y, &mo, &dd);
    for (i = 0; i < g->nmembers; i++) {
        int role = g->m[i].role;
        if (!member_active(g, i, d))
            continue;
        for (k = 0; k < COUNT(sc_items); k++) {
            const struct gitem *it = &sc_items[k];
            if (!sc_applies(k, role))
                continue;
            if (it->due != DUE_NONE) {
                /* the cycles due within three days of today, either way */
                int32_t seen = INT32_MIN, x;
                for (x = d - 3; x <= d + 3; x++) {
                    int32_t due = due_of(g, k, x);
                    int minute;
                    if (due == seen || due < d - 3 || due > d + 3)
                        continue;
                    seen = due;
                    if (member_active(g, i, due) && submit_plan(g, i, k, due, &minute) == d) {
                        gev e = ev_make(minute, "submit", i, -1);
                        e.refname = it->id;
                        emit(g, &e);
                    }
                }
            }
            {
                /* now and then a fault, on the day fixed for its month: 9%
                 * of the months of an item with a deduction (a fifth of
                 * them twice), 1.5% of the others (the item is lost) */
                uint64_t h = hash3(g->p.seed, 41 + k,
                                   (uint64_t)(uint32_t)i << 32 | (uint32_t)g->month[d]);
                unsigned odds = it->deduct ? 90 : 15;
                if (h % 1000 < odds && (int)((h >> 10) % 28) + 1 == dd) {
                    gev e = ev_make(600 + (int)((h >> 20) % 480), "fault", i, -1);
                    e.refname = it->id;
                    e.value = (h >> 30) % 5 == 0 ? 200 : -1;
                    emit(g, &e);
                }
            }
        }
    }
}

static void simulate_day(gen *g)
{
    int32_t d = g->today;
    scorecard_events(g);
    if (g->workday[d]) {
        int32_t k = g->workidx[d];
        uint64_t target = g->want * (uint64_t)k / (uint64_t)g->nwork;
        long due = k >= g->intro_days ? g->intro_total
                                      : (long)((uint64_t)g->intro_total * (uint64_t)k /
                                               (uint64_t)g->intro_days);
        uint64_t guard;
        start_day(g);
        run_pending(g);
        if (g->nsigned) {
            if (g->nvoid && (int64_t)k * (g->nvoid + 1) / g->nwork !=
                                (int64_t)(k - 1) * (g->nvoid + 1) / g->nwork) {
                int m = g->signed_in[rbelow(&g->r, (uint64_t)g->nsigned)];
                gev e = ev_make(1070, "void_register", m, -1);
                if (!emit(g, &e))
                    g->m[m].void_stamp = ++g->stamp;
            }
            while (g->introduced < due && g->count < g->want)
                story_new(g, g->introduced++);
            guard = (target > g->count ? target - g->count : 0) * 4 + 64;
            while (g->count < target && g->introduced && guard--)
                story_existing(g, pick_customer(g));
        }
        end_of_workday(g);
    }
    work_scores(g);
    flush_day(g);
}

static int write_events(gen *g)
{
    int32_t d;
    g->r = rng_for(g->p.seed, 4);
    g->want = (uint64_t)g->p.events;
    g->intro_total = g->ncust < g->p.events / 5 ? g->ncust : (long)(g->p.events / 5);
    g->intro_days = g->nwork * 85 / 100 + 1;
    g->nvoid = (long)(g->p.events / 25000) + 1;
    g->hot_cap = (size_t)(g->p.events / (g->nwork ? g->nwork : 1)) / 2 + 32;
    if (g->hot_cap > (size_t)g->ncust)
        g->hot_cap = (size_t)g->ncust;
    g->hot = malloc(g->hot_cap * sizeof *g->hot + 1);
    g->signed_in = malloc((size_t)g->nmembers * sizeof *g->signed_in);
    g->sales = calloc((size_t)g->nmembers * (size_t)g->nmonths, sizeof *g->sales);
    g->year_deals = calloc((size_t)g->nmonths / 12 + 1, sizeof *g->year_deals);
    if (!g->hot || !g->signed_in || !g->sales || !g->year_deals)
        return -1;
    sb_puts(&g->ev.b, ev_header);
    for (d = 0; d < g->days && !g->oom; d++) {
        g->today = d;
        simulate_day(g);
    }
    return g->oom ? -1 : 0;
}

/* ---- targets, profiles, commission, policy ---- */

/* @p cents rounded to whole thousands of yuan, at least @p floor_yuan. */
static int64_t round_target(int64_t cents, long floor_yuan)
{
    int64_t t = (cents + 50000) / 100000 * 100000;
    return t < (int64_t)floor_yuan * 100 ? (int64_t)floor_yuan * 100 : t;
}

static void target_line(sbuf *b, const char *kind, const char *id, const char *metric,
                        int year, int q, int month, int64_t amount, int money,
                        const char *profile)
{
    sb_puts(b, kind);
    if (id) {
        sb_c(b, ':');
        sb_puts(b, id);
    }
    sb_c(b, ',');
    sb_puts(b, metric);
    sb_c(b, ',');
    sb_u(b, (uint64_t)year);
    if (q) {
        sb_puts(b, "-Q");
        sb_u(b, (uint64_t)q);
    } else if (month) {
        sb_c(b, '-');
        sb_upad(b, (uint64_t)month, 2);
    }
    sb_c(b, ',');
    if (money)
        sb_money(b, amount);
    else
        sb_u(b, (uint64_t)amount);
    sb_c(b, ',');
    if (profile)
        sb_puts(b, profile);
    sb_c(b, '\n');
}

/* Monthly targets for members from what they closed (85-120%), quarterly
 * for teams and yearly for regions and the company, each a little above
 * the sum of its parts (the split gap). */
static int write_targets(gen *g, wfile *w)
{
    rng r = rng_for(g->p.seed, 5);
    size_t nm = (size_t)g->nmonths, i;
    int64_t *member_t = calloc((size_t)g->nmembers * nm, sizeof *member_t);
    int64_t *team_t = calloc((size_t)g->nteams * nm, sizeof *team_t);
    int mo, t, nyears = (g->nmonths + 11) / 12;
    int32_t *first_day = malloc(nm * sizeof *first_day), *last_day = malloc(nm * sizeof *last_day);
    int32_t d;
    if (!member_t || !team_t || !first_day || !last_day) {
        free(member_t), free(team_t), free(first_day), free(last_day);
        return -1;
    }
    for (d = g->days - 1; d >= 0; d--)
        first_day[g->month[d]] = d;
    for (d = 0; d < g->days; d++)
        last_day[g->month[d]] = d;

    sb_puts(&w->b, "subject,metric,period,amount,profile\n");
    for (i = 0; i < (size_t)g->nmembers; i++) {
        const gmember *m = &g->m[i];
        if (m->role == ROLE_DIRECTOR || m->role == ROLE_MANAGER)
            continue;
        for (mo = 0; mo < g->nmonths; mo++) {
            int64_t v;
            if (m->start > last_day[mo] || m->end < first_day[mo])
                continue;
            v = round_target(g->sales[i * nm + (size_t)mo] * rrange(&r, 85, 120) / 100, 50000);
            member_t[i * nm + (size_t)mo] = v;
            target_line(&w->b, "member", m->id, "sales_amount", g->first_year + mo / 12, 0,
                        mo % 12 + 1, v, 1, NULL);
        }
        wf_maybe_flush(w);
    }
    /* sums of member targets per team and month */
    for (i = 0; i < (size_t)g->nmembers; i++)
        for (mo = 0; mo < g->nmonths; mo++)
            team_t[(size_t)g->m[i].team * nm + (size_t)mo] += member_t[i * nm + (size_t)mo];
    /* leaf teams: quarterly */
    for (t = 0; t < g->nteams; t++) {
        int q;
        if (g->teams[t].parent <= 0)
            continue;
        for (q = 0; q < (g->nmonths + 2) / 3; q++) {
            int64_t sum = 0;
            for (mo = q * 3; mo < q * 3 + 3 && mo < g->nmonths; mo++)
                sum += team_t[(size_t)t * nm + (size_t)mo];
            if (!sum)
                continue;
            sum = round_target(sum * rrange(&r, 100, 108) / 100, 0);
            target_line(&w->b, "team", g->teams[t].id, "sales_amount", g->first_year + q / 4,
                        q % 4 + 1, 0, sum, 1, NULL);
            /* the region sees its teams' quarterly targets */
            team_t[(size_t)g->teams[t].parent * nm + (size_t)q * 3] += sum;
        }
        wf_maybe_flush(w);
    }
    /* regions and the company: yearly and seasonal for a whole year; the
     * quarters of a year the data covers only in part */
    for (t = g->nteams - 1; t >= 0; t--) {
        int y;
        if (g->teams[t].parent > 0)
            continue;
        for (y = 0; y < nyears; y++) {
            int whole = y * 12 + 12 <= g->nmonths, q, nq = whole ? 1 : (g->nmonths - y * 12 + 2) / 3;
            for (q = 0; q < nq; q++) {
                int from = whole ? y * 12 : y * 12 + q * 3, to = whole ? from + 12 : from + 3;
                int64_t sum = 0;
                for (mo = from; mo < to && mo < g->nmonths; mo++)
                    sum += team_t[(size_t)t * nm + (size_t)mo];
                if (!sum)
                    continue;
                sum = round_target(sum * rrange(&r, 100, 105) / 100, 0);
                target_line(&w->b, g->teams[t].parent < 0 ? "company" : "team",
                            g->teams[t].parent < 0 ? NULL : g->teams[t].id, "sales_amount",
                            g->first_year + y, whole ? 0 : q + 1, 0, sum, 1,
                            whole ? "season" : NULL);
                if (g->teams[t].parent == 0)
                    team_t[(size_t)from] += sum; /* team 0 = the company */
            }
        }
    }
    for (mo = 0; mo < nyears; mo++)
        if (g->year_deals[mo])
            target_line(&w->b, "company", NULL, "deal_count", g->first_year + mo, 0, 0,
                        (int64_t)(g->year_deals[mo] * 11 / 10), 0, NULL);
    free(member_t), free(team_t), free(first_day), free(last_day);
    return 0;
}

static int write_static(gen *g, wfile *w, const char *name)
{
    sbuf *b = &w->b;
    if (strcmp(name, "profiles.csv") == 0) {
        sb_puts(b, "profile,m01,m02,m03,m04,m05,m06,m07,m08,m09,m10,m11,m12\n"
                   "season,7,5,8,8,8,8,7,8,8,9,10,14\n"
                   "flat,1,1,1,1,1,1,1,1,1,1,1,1\n");
    } else if (strcmp(name, "commission.csv") == 0) {
        sb_puts(b, "product,from_amount,rate,mode\n"
                   "*,0,0.010,marginal\n"
                   "*,500000.00,0.015,marginal\n"
                   "*,1000000.00,0.020,marginal\n"
                   "ev,0,0.012,flat\n"
                   "ev,300000.00,0.018,flat\n"
                   "ev,800000.00,0.025,flat\n");
    } else if (strcmp(name, "policy.conf") == 0) {
        int y, last_year = g->first_year + (g->nmonths - 1) / 12;
        size_t i;
        sb_puts(b, "# Policy of the sample sales office (RULES.md section 7).\n"
                   "# Anything not set here keeps its default.\n"
                   "attribution.protect_days = 7\n"
                   "attribution.claim_days = 3\n"
                   "attribution.first_followup_days = 3\n"
                   "tier.method = threshold\n"
                   "visit.vip_months = 1\n"
                   "visit.tier1_months = 2\n"
                   "pay.overplan_rate = 0.02\n");
        if (g->p.changes) /* with the changes of RULES.md §8, their policy too */
            sb_puts(b, "\n# the public pool (公海, RULES.md section 8) is off by default;\n"
                       "# an office that recaptures idle customers would set, e.g.:\n"
                       "# attribution.max_hold_days = 60   # a hold ends 60 days after it began\n"
                       "#                                  # (unless its holder closes a deal)\n"
                       "# attribution.max_protected = 40   # at most 40 keys protected per member\n"
                       "# attribution.reclaim_days = 14    # 14 days before a released key may\n"
                       "#                                  # be registered again by its holder\n");
        sb_puts(b, "\n# public holidays: nobody signs in\n");
        for (y = g->first_year; y <= last_year; y++)
            for (i = 0; i < COUNT(holidays); i++) {
                sb_puts(b, "calendar.holiday = ");
                sb_u(b, (uint64_t)y);
                sb_c(b, '-');
                sb_upad(b, (uint64_t)holidays[i][0], 2);
                sb_c(b, '-');
                sb_upad(b, (uint64_t)holidays[i][1], 2);
                sb_c(b, '\n');
            }
    }
    return 0;
}

/* ---- files ---- */

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : -1;
    return mkdir(dir, 0777);
}

static int open_file(const char *cmd, const char *dir, const char *name, wfile *w)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    int err;
    memset(w, 0, sizeof *w);
    w->name = name;
    if (!path)
        return -1;
    snprintf(path, n, "%s/%s", dir, name);
    /* atomically: a failed run leaves the old file as it was */
    err = atomic_open(&w->af, path);
    if (err)
        fprintf(stderr, "%s: cannot write %s: %s\n", cmd, path, strerror(err));
    else
        w->f = w->af.f;
    free(path);
    return w->f ? 0 : -1;
}

/* `bad`: the writing failed; the file is then not replaced. */
static int close_file(const char *cmd, const char *dir, wfile *w, int bad)
{
    int err;
    wf_flush(w);
    bad = bad || w->err || w->b.err || ferror(w->f);
    err = atomic_close(&w->af, bad);
    w->f = NULL;
    free(w->b.p);
    if (err)
        fprintf(stderr, "%s: error writing %s/%s: %s (the old file is kept)\n", cmd, dir,
                w->name, strerror(err));
    return err ? -1 : 0;
}

/* ---- changes after the fact (--changes, RULES.md §8) ----
 *
 * A second pass over the events.csv the simulation wrote: it reads the
 * file back, picks a small share of events to
 * cancel (deals with nothing else on them, registrations, payments), of
 * deals to refund (partly or fully, some in a later month), a few members
 * who move teams, the leavers' handovers and a few customer links, and
 * writes the file again with these merged in at their moments and an `id`
 * column: every new event has an id, and so has every event a cancel names
 * (the others have none, as in an ERP export that numbers only what it
 * may refer to later). The simulation itself is untouched, so without --changes every
 * file stays byte for byte what it was. */

/* One line of the file read back. */
typedef struct cline {
    const char *s; /* the line, without its '\n' */
    size_t len;
    const char *id_prefix; /* an id is given: prefix + id_num, or NULL */
    uint32_t id_num;
} cline;

/* One event to merge in. */
typedef struct cnew {
    int32_t day;
    int minute;
    uint32_t seq;   /* creation order: ties keep it */
    int kind;       /* its id's prefix: change_kinds[kind] */
    char text[160]; /* "type,member,customer,ref,amount,list_amount,cost,product,channel,outcome,value," */
} cnew;

/* The new events' ids: "cancel-0001", … numbered in time order per type. */
enum { CH_CANCEL, CH_REFUND, CH_TRANSFER, CH_HANDOVER, CH_LINK, CH_KINDS };
static const struct {
    const char *prefix;
    int width;
} change_kinds[CH_KINDS] = {
    { "cancel-", 4 }, { "refund-", 4 }, { "transfer-", 2 }, { "handover-", 2 }, { "link-", 2 },
};

typedef struct changes {
    cnew *v;
    size_t n, cap;
    int oom;
} changes;

static cnew *change_add(changes *c, int kind, int32_t day, int minute)
{
    cnew *e;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        cnew *q = realloc(c->v, cap * sizeof *q);
        if (!q) {
            c->oom = 1;
            return NULL;
        }
        c->v = q;
        c->cap = cap;
    }
    e = &c->v[c->n];
    e->day = day;
    e->minute = minute;
    e->kind = kind;
    e->seq = (uint32_t)c->n++;
    return e;
}

static int cnew_cmp(const void *pa, const void *pb)
{
    const cnew *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->minute != b->minute)
        return a->minute < b->minute ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Field @p k (0-based) of a generated line (no quoting in events.csv). */
static const char *cfield(const cline *l, int k, size_t *len)
{
    const char *p = l->s, *end = l->s + l->len, *q;
    for (; k > 0 && p < end; k--) {
        p = memchr(p, ',', (size_t)(end - p));
        if (!p)
            return *len = 0, end;
        p++;
    }
    q = memchr(p, ',', (size_t)(end - p));
    *len = (size_t)((q ? q : end) - p);
    return p;
}

static int cfield_is(const cline *l, int k, const char *s)
{
    size_t n;
    const char *f = cfield(l, k, &n);
    return n == strlen(s) && memcmp(f, s, n) == 0;
}

/* "123.45" -> 12345 (as sb_money writes it). */
static int64_t cmoney(const char *s, size_t n)
{
    int64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (s[i] - '0');
    return v;
}

/* The number after a one-letter prefix: "D000123" -> 123. */
static uint64_t cref_num(const cline *l)
{
    size_t n, i;
    const char *f = cfield(l, 4, &n);
    uint64_t v = 0;
    for (i = 1; i < n; i++)
        v = v * 10 + (uint64_t)(f[i] - '0');
    return v;
}

static int32_t cday(const gen *g, const cline *l)
{
    char d[11];
    smg_date day = 0;
    memcpy(d, l->s, 10);
    d[10] = 0;
    smg_date_parse(&day, d);
    return (int32_t)(day - g->d0);
}

static int cminute(const cline *l)
{
    return (l->s[11] - '0') * 600 + (l->s[12] - '0') * 60 + (l->s[14] - '0') * 10 +
           (l->s[15] - '0');
}

/* A day in [lo, hi] that is a working day (the first one from a random
 * day on), or -1. */
static int32_t cworkday(const gen *g, rng *r, int32_t lo, int32_t hi)
{
    int32_t d;
    if (lo < 0)
        lo = 0;
    if (hi >= g->days)
        hi = g->days - 1;
    if (lo > hi)
        return -1;
    for (d = (int32_t)rrange(r, lo, hi); d <= hi; d++)
        if (g->workday[d])
            return d;
    return -1;
}

static void put_cancel(gen *g, changes *c, rng *r, cline *target, const char *prefix,
                       uint32_t num)
{
    int32_t day = cday(g, target);
    int32_t d = cworkday(g, r, day + 1, day + 10);
    cnew *e;
    if (d < 0 || !(e = change_add(c, CH_CANCEL, d, (int)rrange(r, 540, 1080))))
        return;
    target->id_prefix = prefix;
    target->id_num = num;
    snprintf(e->text, sizeof e->text, "cancel,,,%s%06lu,,,,,,,,", prefix, (unsigned long)num);
}

static int add_changes(gen *g, const char *cmd, const char *dir)
{
    rng r = rng_for(g->p.seed, 9);
    changes c = { NULL, 0, 0, 0 };
    size_t plen = strlen(dir) + 12, size = 0, nl = 0, i, k;
    char *path = malloc(plen), *text = NULL;
    cline *lines = NULL;
    unsigned char *busy = NULL; /* per deal: a claim or override names it */
    uint32_t nreg = 0, npay = 0, n, kind_n[CH_KINDS] = { 0 };
    FILE *f;
    wfile w;
    int rc = -1;

    if (!path)
        return -1;
    snprintf(path, plen, "%s/events.csv", dir);
    if (!(f = fopen(path, "rb"))) {
        fprintf(stderr, "%s: cannot read %s: %s\n", cmd, path, strerror(errno));
        free(path);
        return -1;
    }
    for (;;) { /* the whole file */
        char *q = realloc(text, size + (1u << 20) + 1);
        size_t got;
        if (!q) {
            c.oom = 1;
            break;
        }
        text = q;
        got = fread(text + size, 1, 1u << 20, f);
        size += got;
        if (got < (1u << 20))
            break;
    }
    if (!text || c.oom || ferror(f)) {
        fprintf(stderr, "%s: cannot read %s back%s\n", cmd, path,
                c.oom ? ": out of memory" : "");
        fclose(f);
        free(text);
        free(path);
        return -1;
    }
    fclose(f);
    free(path);
    text[size] = 0;
    for (i = 0; i < size; i++)
        nl += text[i] == '\n';
    lines = calloc(nl + 1, sizeof *lines);
    busy = calloc((size_t)g->next_deal + 1, 1);
    if (!lines || !busy)
        goto done;
    for (i = 0, k = 0; i < size && k < nl; k++) {
        char *e = memchr(text + i, '\n', size - i);
        lines[k].s = text + i;
        lines[k].len = (size_t)(e - (text + i));
        i = (size_t)(e - text) + 1;
    }
    /* deals that a claim or override names cannot be cancelled alone */
    for (k = 1; k < nl; k++)
        if (cfield_is(&lines[k], 1, "claim") || cfield_is(&lines[k], 1, "override")) {
            uint64_t d = cref_num(&lines[k]);
            if (d <= g->next_deal)
                busy[d] = 1;
        }

    for (k = 1; k < nl; k++) {
        cline *l = &lines[k];
        if (cfield_is(l, 1, "deal")) {
            uint64_t d = cref_num(l);
            size_t alen, clen;
            const char *a = cfield(l, 5, &alen), *co = cfield(l, 7, &clen);
            int64_t amount = cmoney(a, alen), cost = cmoney(co, clen);
            if (d <= g->next_deal && !busy[d] && rper(&r, 12)) {
                put_cancel(g, &c, &r, l, "deal-D", (uint32_t)d);
            } else if (amount > 0 && rper(&r, 20)) { /* a refund */
                int32_t day = cday(g, l), rd;
                int later = rper(&r, 400), full = rper(&r, 400);
                int64_t back = full ? amount : amount * rrange(&r, 10, 50) / 100;
                int given_cost = rper(&r, 200);
                cnew *e;
                rd = later ? cworkday(g, &r, day + 25, day + 75) : cworkday(g, &r, day + 1, day + 20);
                if (rd < 0 || back <= 0 || !(e = change_add(&c, CH_REFUND, rd, (int)rrange(&r, 540, 1080))))
                    continue;
                {
                    sbuf b = { 0 };
                    sb_puts(&b, "refund,,,D");
                    sb_upad(&b, d, 6);
                    sb_c(&b, ',');
                    sb_money(&b, back);
                    sb_puts(&b, ",,");
                    if (given_cost) /* the cost taken back, as the ERP says */
                        sb_money(&b, cost * back / amount);
                    sb_puts(&b, ",,,,,");
                    sb_c(&b, 0);
                    if (b.err)
                        c.oom = 1;
                    else
                        snprintf(e->text, sizeof e->text, "%s", b.p);
                    free(b.p);
                }
            }
        } else if (cfield_is(l, 1, "register")) {
            if (rper(&r, 5))
                put_cancel(g, &c, &r, l, "reg-", ++nreg);
        } else if (cfield_is(l, 1, "payment")) {
            if (rper(&r, 10))
                put_cancel(g, &c, &r, l, "pay-", ++npay);
        }
    }

    /* transfers: a few reps who stay move to another team mid-span (each
     * once: a member picked again is passed over) */
    n = 0;
    {
        unsigned char *moved = calloc((size_t)g->nmembers, 1);
        long tries;
        if (!moved)
            goto done;
        for (tries = 0; tries < 8L * g->nmembers && n < (uint32_t)(g->nmembers / 12 + 1);
             tries++) {
            int mi = (int)rbelow(&r, (uint64_t)g->nmembers), t = -1, j;
            const gmember *m = &g->m[mi];
            int32_t lo = (m->start > 0 ? m->start : 0) + 30, d;
            cnew *e;
            if (moved[mi] || m->role != ROLE_REP || m->end != NO_END)
                continue;
            d = cworkday(g, &r, lo > g->days / 3 ? lo : g->days / 3, g->days - 30);
            for (j = 0; j < 8 && d >= 0; j++) {
                t = (int)rrange(&r, 0, g->nteams - 1);
                if (g->teams[t].parent > 0 && t != m->team)
                    break;
                t = -1;
            }
            if (t < 0 || d < 0 || !(e = change_add(&c, CH_TRANSFER, d, (int)rrange(&r, 540, 600))))
                continue;
            moved[mi] = 1;
            snprintf(e->text, sizeof e->text, "transfer,%s,,%s,,,,,,,,", m->id, g->teams[t].id);
            n++;
        }
        free(moved);
    }
    /* handovers: a leaver hands their customers to a colleague of the team
     * who is there that day, or gives them up */
    for (k = 0; k < (size_t)g->nmembers; k++) {
        const gmember *m = &g->m[k];
        int to = -1, j, cnt = 0;
        cnew *e;
        if (m->end == NO_END || m->end >= g->days || m->end < (m->start > 0 ? m->start : 0))
            continue;
        for (j = 0; j < g->nmembers; j++)
            if ((size_t)j != k && g->m[j].team == m->team && g->m[j].start <= m->end &&
                g->m[j].end >= m->end && rbelow(&r, (uint64_t)++cnt) == 0)
                to = j;
        if (rper(&r, 250))
            to = -1;
        if (!(e = change_add(&c, CH_HANDOVER, m->end, 1020)))
            break;
        snprintf(e->text, sizeof e->text, "handover,%s,,%s,,,,,,,,", m->id,
                 to >= 0 ? g->m[to].id : "");
    }
    /* links: a few pairs of customers found to be one */
    if (g->ncust >= 2)
        for (k = 0; k < (size_t)(g->ncust / 150 + 1) && k < 50; k++) {
            long a = (long)rbelow(&r, (uint64_t)g->ncust), b = (long)rbelow(&r, (uint64_t)g->ncust);
            int32_t d = cworkday(g, &r, g->days / 4, g->days - 1);
            cnew *e;
            sbuf s = { 0 };
            if (a == b || d < 0 || !(e = change_add(&c, CH_LINK, d, (int)rrange(&r, 540, 1080))))
                continue;
            sb_puts(&s, "link,,");
            put_cust_id(g, &s, a);
            sb_c(&s, ',');
            put_cust_id(g, &s, b);
            sb_puts(&s, ",,,,,,,,");
            sb_c(&s, 0);
            if (s.err)
                c.oom = 1;
            else
                snprintf(e->text, sizeof e->text, "%s", s.p);
            free(s.p);
        }
    if (c.oom)
        goto done;
    qsort(c.v, c.n, sizeof *c.v, cnew_cmp);

    /* the file again: the header with `id`, the lines and the new events
     * merged by moment (a new one after the lines of its minute) */
    if (open_file(cmd, dir, "events.csv", &w))
        goto done;
    sb_put(&w.b, lines[0].s, lines[0].len);
    sb_puts(&w.b, ",id\n");
    for (k = 1, i = 0; k <= nl; k++) {
        int32_t day = k < nl ? cday(g, &lines[k]) : INT32_MAX;
        int minute = k < nl ? cminute(&lines[k]) : 0;
        for (; i < c.n && (c.v[i].day < day || (c.v[i].day == day && c.v[i].minute < minute));
             i++) {
            sb_puts(&w.b, g->daytext[c.v[i].day]);
            sb_c(&w.b, 'T');
            sb_upad(&w.b, (uint64_t)c.v[i].minute / 60, 2);
            sb_c(&w.b, ':');
            sb_upad(&w.b, (uint64_t)c.v[i].minute % 60, 2);
            sb_c(&w.b, ',');
            sb_puts(&w.b, c.v[i].text);
            sb_puts(&w.b, change_kinds[c.v[i].kind].prefix);
            sb_upad(&w.b, ++kind_n[c.v[i].kind], change_kinds[c.v[i].kind].width);
            sb_c(&w.b, '\n');
        }
        if (k == nl)
            break;
        sb_put(&w.b, lines[k].s, lines[k].len);
        sb_c(&w.b, ',');
        if (lines[k].id_prefix) {
            sb_puts(&w.b, lines[k].id_prefix);
            sb_upad(&w.b, lines[k].id_num, 6);
        }
        sb_c(&w.b, '\n');
        wf_maybe_flush(&w);
    }
    rc = close_file(cmd, dir, &w, w.b.err) ? -1 : 0;
done:
    free(c.v);
    free(lines);
    free(busy);
    free(text);
    return rc;
}

static void gen_free(gen *g)
{
    size_t i;
    free(g->teams);
    free(g->m);
    free(g->c);
    free(g->daytext);
    free(g->workday);
    free(g->workidx);
    free(g->month);
    free(g->signed_in);
    free(g->hot);
    for (i = 0; i < RING; i++)
        free(g->ring[i].v);
    free(g->day.p);
    free(g->recs);
    free(g->order);
    free(g->sales);
    free(g->year_deals);
}

int gen_dataset(const char *cmd, const char *dir, const gen_params *p)
{
    gen g;
    wfile w;
    int rc = GEN_OK;
    long n;

    memset(&g, 0, sizeof g);
    g.p = *p;
    if (p->members < 3 || p->customers < 1 || p->events < 0) {
        fprintf(stderr, "%s: need at least 3 members and 1 customer\n", cmd);
        return GEN_USAGE;
    }
    if (make_dir(dir)) {
        fprintf(stderr, "%s: cannot create folder %s: %s\n", cmd, dir,
                errno ? strerror(errno) : "not a folder");
        return GEN_IO;
    }
    g.ncust = p->customers;
    for (g.cust_width = 1, n = g.ncust; n >= 10; n /= 10)
        g.cust_width++;
    if (g.cust_width < 4)
        g.cust_width = 4;
    g.c = calloc((size_t)g.ncust, sizeof *g.c);
    if (!g.c || setup_calendar(&g) || build_org(&g)) {
        gen_free(&g);
        fprintf(stderr, "%s: out of memory\n", cmd);
        return GEN_IO;
    }

#define WRITE(name, call)                                                         \
    do {                                                                          \
        if (rc == GEN_OK) {                                                       \
            if (open_file(cmd, dir, name, &w))                                    \
                rc = GEN_IO;                                                      \
            else {                                                                \
                int bad_ = (call);                                                \
                if (close_file(cmd, dir, &w, bad_) || bad_)                       \
                    rc = GEN_IO;                                                  \
            }                                                                     \
        }                                                                         \
    } while (0)
    WRITE("teams.csv", write_teams(&g, &w));
    WRITE("members.csv", write_members(&g, &w));
    WRITE("customers.csv", write_customers(&g, &w));
    if (rc == GEN_OK) {
        if (open_file(cmd, dir, "events.csv", &g.ev))
            rc = GEN_IO;
        else {
            int bad = write_events(&g);
            if (close_file(cmd, dir, &g.ev, bad) || bad)
                rc = GEN_IO;
            else if (p->changes && add_changes(&g, cmd, dir))
                rc = GEN_IO;
        }
    }
    /* targets follow what the simulation sold */
    WRITE("targets.csv", write_targets(&g, &w));
    WRITE("profiles.csv", write_static(&g, &w, "profiles.csv"));
    WRITE("commission.csv", write_static(&g, &w, "commission.csv"));
    WRITE("policy.conf", write_static(&g, &w, "policy.conf"));
    WRITE("scorecard.csv", write_scorecard(&g, &w));
#undef WRITE
    gen_free(&g);
    return rc;
}
