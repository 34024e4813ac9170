/* salesmgmt reminders DATASET --day D [--within N] [--lang en|zh]
 * [--as MEMBER]: the morning list (每天检查) of each member for day D:
 *
 *   protection   protections lapsing: the customers the member protects
 *                whose last protected day is D .. D+N-1 (N = --within,
 *                default 3), as the morning of D finds them: the state
 *                after every event BEFORE D (smg_attribution_expiring()
 *                on a replay until the start of D). A contact on D renews
 *                it; a protection whose last day was D-1 has lapsed.
 *   followup     first follow-ups due (R3): the member's registrations
 *                whose deadline is D or later and that are not followed up
 *                by the end of D (the registration table of a replay until
 *                the start of D+1: a registration or a follow-up made on D
 *                counts).
 *   claim        claims still open (R5): deals credited
 *                `protected_unclaimed` to another member while this member
 *                protected the customer, whose claim window (deal day +
 *                attribution.claim_days) has not passed on D: the
 *                protector may still claim them (state at the end of D; a
 *                protector whose registrations were voided after the deal,
 *                or who has left, may not).
 *   visit        VIP/一级 (every tier with a cadence) visits due on D or
 *                overdue (smg_visits as of D), most overdue first, with the
 *                customer's name and last visit, under the member
 *                responsible for the customer on D (with --as, the visible
 *                customers whose responsible member --as may see, or nobody);
 *   never        customers on the visit list never visited: ONE line per
 *                member with their count per tier (never a wall of
 *                identical lines).
 *
 * Grouped per member (members in the dataset's order; customers nobody is
 * responsible for last). --as MEMBER: what that member may see (RULES.md
 * §1): every library call gets it (protections, registrations, the visit
 * list); open claims are deals of OTHER members, which the library's deal
 * table does not show their protector, so they come from a full replay and
 * are kept when their protector is that member or in a team they lead.
 *
 * Text: a section per member. CSV: one row per reminder, columns member,
 * member_name, kind, customer, customer_name, due (the last day to act:
 * last protected day, follow-up deadline, last claim day, visit due),
 * days_left (due - D; negative = overdue), since (last contact,
 * registration day, deal day, last visit), deal, closer, amount, tier,
 * count (never: how many customers). JSON: {"day":"…","within":N,
 * "members":[{"member":"m01"|null,"name":…,"protections":[…],
 * "followups":[…],"claims":[…],"visits":[…],"never_visited":{…}|null}, …]}. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define NTIERS 4
#define DAY_SECONDS 86400

enum kind { K_PROTECTION = 0, K_FOLLOWUP, K_CLAIM, K_VISIT, K_NEVER, NKINDS };

static const char *const kind_names[NKINDS] = { "protection", "followup", "claim", "visit",
                                                "never_visited" };

typedef struct item {
    int kind;
    long member;        /* member index, or -1 (nobody responsible) */
    long customer;      /* customer index, or -1 */
    long key;           /* attribution key, or -1 */
    smg_date due;       /* last day to act */
    smg_date since;     /* last contact / registration / deal day / last visit; NONE */
    long deal;          /* deal index, or -1 */
    long closer;        /* member index, or -1 */
    smg_money amount;   /* SMG_MONEY_NONE when none */
    int tier;           /* visits: smg_tier, else -1 */
} item;

typedef struct list {
    item *v;
    size_t n, cap;
    int oom;
} list;

static item *push(list *l)
{
    item *it;
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 64;
        item *p = realloc(l->v, c * sizeof *p);
        if (!p) {
            l->oom = 1;
            return NULL;
        }
        l->v = p;
        l->cap = c;
    }
    it = &l->v[l->n++];
    it->member = it->customer = it->key = it->deal = it->closer = -1;
    it->due = it->since = SMG_DATE_NONE;
    it->amount = SMG_MONEY_NONE;
    it->tier = -1;
    return it;
}

static int item_cmp(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    /* "nobody" (-1) after every member */
    long ma = a->member < 0 ? LONG_MAX : a->member;
    long mb = b->member < 0 ? LONG_MAX : b->member;
    if (ma != mb)
        return ma < mb ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    if (a->customer != b->customer)
        return a->customer < b->customer ? -1 : 1;
    return a->deal < b->deal ? -1 : a->deal > b->deal;
}

/* The day of the event at log position @p pos, or SMG_DATE_NONE. */
static smg_date event_day(const smg_org *org, size_t pos)
{
    int64_t at = 0;
    int is_null = 1;
    if (smg_event_int(org, pos, SMG_EVENT_AT, &at, &is_null) || is_null)
        return SMG_DATE_NONE;
    return smg_time_day((smg_time)at);
}

static long event_customer(const smg_org *org, size_t pos)
{
    size_t c = 0;
    int is_null = 1;
    if (smg_event_index(org, pos, SMG_EVENT_CUSTOMER, &c, &is_null) || is_null)
        return -1;
    return (long)c;
}

/* The first customer of attribution key @p key (by its key as loaded), or
 * -1: for a protection a handover made (RULES.md §8), whose events name no
 * customer. */
static long key_customer(const smg_org *org, long key)
{
    size_t i, n = smg_customer_count(org), k = 0;
    for (i = 0; key >= 0 && i < n; i++)
        if (!smg_customer_index(org, i, SMG_CUSTOMER_KEY, &k, NULL) && (long)k == key)
            return (long)i;
    return -1;
}

/* 1 when the event at log position @p pos is cancelled (RULES.md §8: then
 * it is as if it had never been logged). */
static int event_cancelled(const smg_org *org, size_t pos)
{
    int64_t by = 0;
    int is_null = 1;
    return !smg_event_int(org, pos, SMG_EVENT_CANCELLED_BY, &by, &is_null) && !is_null;
}

static int policy_int(const smg_org *org, const char *name, int fallback)
{
    char buf[32];
    if (smg_policy_get(org, name, buf, sizeof buf) <= 0)
        return fallback;
    return atoi(buf);
}

/* Which members the query of @p as may see (RULES.md §1): all with NULL;
 * else @p as and the members of the subtrees of the teams @p as leads. */
static unsigned char *visible_members(const smg_org *org, const char *as)
{
    size_t nm = smg_member_count(org), nt = smg_team_count(org), i, me = 0;
    unsigned char *vis = calloc(nm ? nm : 1, 1), *team_in = calloc(nt ? nt : 1, 1);
    if (!vis || !team_in) {
        free(vis);
        free(team_in);
        return NULL;
    }
    if (!as) {
        memset(vis, 1, nm);
        free(team_in);
        return vis;
    }
    smg_member_find(org, as, &me);
    for (i = 0; i < nt; i++) {
        size_t t = i, hops, x;
        int none;
        for (hops = 0; hops <= nt; hops++) {
            if (!smg_team_index(org, t, SMG_TEAM_LEADER, &x, &none) && !none && x == me) {
                team_in[i] = 1;
                break;
            }
            if (smg_team_index(org, t, SMG_TEAM_PARENT, &x, &none) || none)
                break;
            t = x;
        }
    }
    for (i = 0; i < nm; i++) {
        size_t t = 0;
        int none = 1;
        vis[i] = i == me ||
                 (!smg_member_index(org, i, SMG_MEMBER_TEAM, &t, &none) && !none && team_in[t]);
    }
    free(team_in);
    return vis;
}

/* ---- the four lists ---- */

static int add_protections(list *l, const smg_org *org, const smg_attribution *a, smg_date day,
                           int within)
{
    size_t count = 0, i, *rows;
    int rc;
    if ((rc = smg_attribution_expiring(a, day, within, NULL, 0, &count)) || !count)
        return rc;
    if (!(rows = malloc(count * sizeof *rows)))
        return SMG_ENOMEM;
    if ((rc = smg_attribution_expiring(a, day, within, rows, count, &count))) {
        free(rows);
        return rc;
    }
    for (i = 0; i < count; i++) {
        size_t key = 0, m = 0, reg = 0, contact = 0;
        int64_t through = 0;
        int no_reg = 1, no_contact = 1;
        item *it;
        smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_KEY, &key, NULL);
        smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_MEMBER, &m, NULL);
        smg_attribution_protection_int(a, rows[i], SMG_PROTECTION_THROUGH, &through, NULL);
        smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_EV_REGISTRATION, &reg,
                                         &no_reg);
        smg_attribution_protection_index(a, rows[i], SMG_PROTECTION_EV_CONTACT, &contact,
                                         &no_contact);
        if (!(it = push(l)))
            break;
        it->kind = K_PROTECTION;
        it->member = (long)m;
        it->key = (long)key;
        it->due = (smg_date)through;
        if (!no_contact) {
            it->customer = event_customer(org, contact);
            it->since = event_day(org, contact);
        }
        if (it->customer < 0 && !no_reg)
            it->customer = event_customer(org, reg);
        if (it->customer < 0) /* handed over: the events name the members only */
            it->customer = key_customer(org, it->key);
        if (it->since == SMG_DATE_NONE && !no_reg)
            it->since = event_day(org, reg);
    }
    free(rows);
    return l->oom ? SMG_ENOMEM : 0;
}

static void add_followups(list *l, const smg_attribution *a, smg_date day)
{
    size_t i, n = smg_attribution_registration_count(a);
    for (i = 0; i < n; i++) {
        int64_t ontime = 1, deadline = 0, reg_day = 0;
        size_t m = 0, c = 0, key = 0;
        item *it;
        smg_attribution_registration_int(a, i, SMG_REGISTRATION_ONTIME, &ontime, NULL);
        smg_attribution_registration_int(a, i, SMG_REGISTRATION_DEADLINE, &deadline, NULL);
        if (ontime || deadline < day)
            continue;
        smg_attribution_registration_int(a, i, SMG_REGISTRATION_DAY, &reg_day, NULL);
        smg_attribution_registration_index(a, i, SMG_REGISTRATION_MEMBER, &m, NULL);
        smg_attribution_registration_index(a, i, SMG_REGISTRATION_CUSTOMER, &c, NULL);
        smg_attribution_registration_index(a, i, SMG_REGISTRATION_KEY, &key, NULL);
        if (!(it = push(l)))
            return;
        it->kind = K_FOLLOWUP;
        it->member = (long)m;
        it->customer = (long)c;
        it->key = (long)key;
        it->due = (smg_date)deadline;
        it->since = (smg_date)reg_day;
    }
}

/* @p full: a replay until the end of @p day with full rights. */
static int add_claims(list *l, const smg_org *org, const smg_attribution *full, smg_date day,
                      const unsigned char *vis)
{
    size_t nm = smg_member_count(org), ne = smg_event_count(org), i, n;
    long *last_void = malloc((nm ? nm : 1) * sizeof *last_void);
    smg_time limit = ((smg_time)day + 1) * DAY_SECONDS;
    int claim_days = policy_int(org, "attribution.claim_days", 3);
    if (!last_void)
        return SMG_ENOMEM;
    for (i = 0; i < nm; i++)
        last_void[i] = -1;
    /* the latest void_register of each member before the end of the day */
    for (i = 0; i < ne; i++) {
        int64_t type = 0, at = 0;
        size_t m = 0;
        int none = 1;
        if (smg_event_int(org, i, SMG_EVENT_AT, &at, NULL) || at >= limit)
            break; /* the log is in time order */
        if (smg_event_int(org, i, SMG_EVENT_TYPE, &type, NULL) || type != SMG_EV_VOID_REGISTER ||
            event_cancelled(org, i))
            continue;
        if (!smg_event_index(org, i, SMG_EVENT_MEMBER, &m, &none) && !none && m < nm)
            last_void[m] = (long)i;
    }
    n = smg_attribution_deal_count(full);
    for (i = 0; i < n; i++) {
        int64_t reason = 0, deal_day = 0, amount = 0, end = 0;
        size_t p = 0, deal = 0, closer = 0, c = 0, key = 0, pos = 0;
        int no_p = 1, no_amount = 1, no_end = 1, no_pos = 1;
        item *it;
        smg_attribution_deal_int(full, i, SMG_DEAL_REASON, &reason, NULL);
        smg_attribution_deal_int(full, i, SMG_DEAL_DAY, &deal_day, NULL);
        if (reason != SMG_REASON_PROTECTED_UNCLAIMED || deal_day > day ||
            deal_day + claim_days < day)
            continue;
        if (smg_attribution_deal_index(full, i, SMG_DEAL_PROTECTOR, &p, &no_p) || no_p ||
            p >= nm || !vis[p])
            continue;
        smg_attribution_deal_index(full, i, SMG_DEAL_EV_DEAL, &pos, &no_pos);
        if (!no_pos && last_void[p] > (long)pos)
            continue; /* voided after the deal: the claim would be invalid (R6) */
        if (!smg_member_int(org, p, SMG_MEMBER_END, &end, &no_end) && !no_end && end < day)
            continue; /* left */
        smg_attribution_deal_index(full, i, SMG_DEAL_DEAL, &deal, NULL);
        smg_attribution_deal_index(full, i, SMG_DEAL_CLOSER, &closer, NULL);
        smg_attribution_deal_index(full, i, SMG_DEAL_CUSTOMER, &c, NULL);
        smg_attribution_deal_index(full, i, SMG_DEAL_KEY, &key, NULL);
        smg_attribution_deal_int(full, i, SMG_DEAL_AMOUNT, &amount, &no_amount);
        if (!(it = push(l)))
            break;
        it->kind = K_CLAIM;
        it->member = (long)p;
        it->customer = (long)c;
        it->key = (long)key;
        it->deal = (long)deal;
        it->closer = (long)closer;
        it->since = (smg_date)deal_day;
        it->due = (smg_date)(deal_day + claim_days);
        it->amount = no_amount ? SMG_MONEY_NONE : amount;
    }
    free(last_void);
    return l->oom ? SMG_ENOMEM : 0;
}

static int add_visits(list *l, smg_org *org, const smg_attribution *a, const char *as,
                      smg_date day, const unsigned char *vis)
{
    smg_visits_options o = SMG_VISITS_OPTIONS_INIT;
    smg_visits *v = NULL;
    size_t i, n;
    int rc;
    o.as_member = as;
    o.attribution = a;
    o.as_of = day;
    if ((rc = smg_visits_compute(&v, org, &o)))
        return rc;
    n = smg_visits_count(v);
    for (i = 0; i < n; i++) {
        size_t c = 0, m = 0;
        int64_t tier = -1, last = 0, due = 0;
        int no_m = 1, no_last = 1;
        item *it;
        smg_visits_int(v, i, SMG_VISITS_DUE, &due, NULL);
        if (due > day)
            continue;
        smg_visits_index(v, i, SMG_VISITS_CUSTOMER, &c, NULL);
        smg_visits_index(v, i, SMG_VISITS_MEMBER, &m, &no_m);
        smg_visits_int(v, i, SMG_VISITS_TIER, &tier, NULL);
        smg_visits_int(v, i, SMG_VISITS_LAST_VISIT, &last, &no_last);
        if (!no_m && !vis[m])
            continue; /* another member's customer: on their list */
        if (!(it = push(l)))
            break;
        it->kind = no_last ? K_NEVER : K_VISIT;
        it->member = no_m ? -1 : (long)m;
        it->customer = (long)c;
        it->due = (smg_date)due;
        it->since = no_last ? SMG_DATE_NONE : (smg_date)last;
        it->tier = (int)tier;
    }
    smg_visits_free(v);
    return l->oom ? SMG_ENOMEM : 0;
}

/* ---- output ---- */

typedef struct ctx {
    smg_org *org;
    smg_date day;
    const char *lang;
    int zh;
} ctx;

static const char *cust_id(const ctx *x, long c)
{
    return c < 0 ? NULL : smg_customer_id(x->org, (size_t)c);
}

static const char *cust_name(const ctx *x, long c)
{
    const char *s = c < 0 ? NULL : smg_customer_name(x->org, (size_t)c);
    return s && *s ? s : NULL;
}

static const char *mem_id(const ctx *x, long m)
{
    return m < 0 ? NULL : smg_member_id(x->org, (size_t)m);
}

static const char *mem_name(const ctx *x, long m)
{
    const char *s = m < 0 ? NULL : smg_member_name(x->org, (size_t)m);
    return s && *s ? s : NULL;
}

static const char *tier_name(int tier, const char *lang)
{
    return tier < 0 ? NULL : smg_tier_name((smg_tier)tier, lang);
}

static void fmt_day(char buf[16], smg_date d)
{
    if (d == SMG_DATE_NONE || smg_date_format(buf, 16, d) < 0)
        strcpy(buf, "-");
}

/* The never-visited items of one member, v[0..n), as one summary. */
typedef struct never {
    size_t count;
    long tiers[NTIERS];
    smg_date due; /* the earliest */
} never;

static never summarise(const item *v, size_t n)
{
    never s;
    size_t i;
    memset(&s, 0, sizeof s);
    s.due = SMG_DATE_NONE;
    for (i = 0; i < n; i++) {
        s.count++;
        if (v[i].tier >= 0 && v[i].tier < NTIERS)
            s.tiers[v[i].tier]++;
        if (s.due == SMG_DATE_NONE || v[i].due < s.due)
            s.due = v[i].due;
    }
    return s;
}

/* What a kind is called in the text table. */
static const char *kind_text(const ctx *x, const item *it)
{
    switch (it->kind) {
    case K_PROTECTION: return x->zh ? "保护期将满" : "protection lapsing";
    case K_FOLLOWUP: return x->zh ? "首次跟进" : "first follow-up";
    case K_CLAIM: return x->zh ? "可认领" : "claim open";
    case K_VISIT:
        return it->due < x->day ? (x->zh ? "拜访逾期" : "visit overdue")
                                : (x->zh ? "今日应拜访" : "visit due");
    default: return x->zh ? "从未拜访" : "never visited";
    }
}

/* The text table's note on an item. */
static void note_text(const ctx *x, const item *it, char *buf, size_t len)
{
    char d1[16], money[48];
    fmt_day(d1, it->since);
    switch (it->kind) {
    case K_PROTECTION:
        snprintf(buf, len, x->zh ? "上次联系 %s" : "last contact %s", d1);
        break;
    case K_FOLLOWUP:
        snprintf(buf, len, x->zh ? "%s 登记" : "registered %s", d1);
        break;
    case K_CLAIM: {
        const char *cid = mem_id(x, it->closer), *cn = mem_name(x, it->closer);
        const char *did = it->deal >= 0 ? smg_deal_id(x->org, (size_t)it->deal) : NULL;
        if (it->amount == SMG_MONEY_NONE || smg_money_format(money, sizeof money, it->amount) < 0)
            strcpy(money, "-");
        snprintf(buf, len,
                 x->zh ? "成交 %s：%s%s%s 于 %s 成交，金额 %s" : "deal %s closed by %s%s%s on %s, %s",
                 did ? did : "?", cid ? cid : "?", cn ? " " : "", cn ? cn : "", d1, money);
        break;
    }
    case K_VISIT:
        snprintf(buf, len, x->zh ? "%s，上次拜访 %s" : "%s, last visit %s",
                 tier_name(it->tier, x->lang), d1);
        break;
    default:
        buf[0] = '\0';
    }
}

/* The never-visited line: "3 customers never visited (vip 1, tier1 2): 张三,
 * 李四, 王五 and 1 more". */
static void never_text(const ctx *x, const item *v, size_t n, char *buf, size_t len)
{
    never s = summarise(v, n);
    size_t i, o;
    int first = 1;
    o = (size_t)snprintf(buf, len, x->zh ? "%lu 个客户从未拜访（%s" : "%lu customer%s never visited (",
                         (unsigned long)s.count, x->zh || s.count == 1 ? "" : "s");
    for (i = 0; i < NTIERS && o < len; i++) {
        if (!s.tiers[i])
            continue;
        o += (size_t)snprintf(buf + o, len - o, "%s%s %ld", first ? "" : ", ",
                              tier_name((int)i, x->lang), s.tiers[i]);
        first = 0;
    }
    if (o < len)
        o += (size_t)snprintf(buf + o, len - o, x->zh ? "）：" : "): ");
    for (i = 0; i < n && i < 3 && o < len; i++) {
        const char *name = cust_name(x, v[i].customer);
        const char *id = cust_id(x, v[i].customer);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? (x->zh ? "、" : ", ") : "",
                              name ? name : id ? id : "?");
    }
    if (n > 3 && o < len)
        snprintf(buf + o, len - o, x->zh ? " 等另外 %lu 个" : " and %lu more",
                 (unsigned long)(n - 3));
}

static void csv_row(const ctx *x, out_table *t, const item *it, const item *never_v, size_t nn)
{
    out_table_row(t);
    out_str(t, mem_id(x, it->member));
    out_str(t, mem_name(x, it->member));
    out_str(t, kind_names[it->kind]);
    if (it->kind == K_NEVER) {
        never s = summarise(never_v, nn);
        out_null(t);
        out_null(t);
        out_date(t, s.due);
        out_int(t, (long long)s.due - (long long)x->day);
        out_null(t);
        out_null(t);
        out_null(t);
        out_null(t);
        out_null(t);
        out_int(t, (long long)s.count);
        return;
    }
    out_str(t, cust_id(x, it->customer));
    out_str(t, cust_name(x, it->customer));
    out_date(t, it->due);
    out_int(t, (long long)it->due - (long long)x->day);
    out_date(t, it->since);
    out_str(t, it->deal >= 0 ? smg_deal_id(x->org, (size_t)it->deal) : NULL);
    out_str(t, mem_id(x, it->closer));
    out_money(t, it->amount);
    out_str(t, tier_name(it->tier, "en"));
    out_null(t);
}

static void json_day(out_json *j, const char *key, smg_date d)
{
    char buf[16];
    out_json_key(j, key);
    if (d == SMG_DATE_NONE || smg_date_format(buf, sizeof buf, d) < 0)
        out_json_null(j);
    else
        out_json_str(j, buf);
}

/* One member's group, v[0..n), as a JSON object. */
static void json_group(const ctx *x, out_json *j, const item *v, size_t n)
{
    static const char *const keys[NKINDS] = { "protections", "followups", "claims", "visits",
                                              NULL };
    size_t i;
    int k;
    out_json_object(j);
    out_json_key(j, "member");
    out_json_str(j, mem_id(x, v[0].member));
    out_json_key(j, "name");
    out_json_str(j, mem_name(x, v[0].member));
    for (k = 0; k < K_NEVER; k++) {
        out_json_key(j, keys[k]);
        out_json_array(j);
        for (i = 0; i < n; i++) {
            const item *it = &v[i];
            if (it->kind != k)
                continue;
            out_json_object(j);
            out_json_key(j, "customer");
            out_json_str(j, cust_id(x, it->customer));
            out_json_key(j, "name");
            out_json_str(j, cust_name(x, it->customer));
            switch (k) {
            case K_PROTECTION:
                out_json_key(j, "key");
                out_json_str(j, it->key >= 0 ? smg_key_text(x->org, (size_t)it->key) : NULL);
                json_day(j, "last_contact", it->since);
                json_day(j, "through", it->due);
                break;
            case K_FOLLOWUP:
                json_day(j, "registered", it->since);
                json_day(j, "deadline", it->due);
                break;
            case K_CLAIM:
                out_json_key(j, "deal");
                out_json_str(j, it->deal >= 0 ? smg_deal_id(x->org, (size_t)it->deal) : NULL);
                out_json_key(j, "closer");
                out_json_str(j, mem_id(x, it->closer));
                out_json_key(j, "closer_name");
                out_json_str(j, mem_name(x, it->closer));
                json_day(j, "day", it->since);
                out_json_key(j, "amount");
                out_json_money(j, it->amount);
                json_day(j, "last_day", it->due);
                break;
            default:
                out_json_key(j, "tier");
                out_json_str(j, tier_name(it->tier, "en"));
                json_day(j, "last_visit", it->since);
                json_day(j, "due", it->due);
                out_json_key(j, "overdue");
                out_json_bool(j, it->due < x->day);
                break;
            }
            out_json_key(j, "days_left");
            out_json_int(j, (long long)it->due - (long long)x->day);
            out_json_end(j);
        }
        out_json_end(j);
    }
    out_json_key(j, "never_visited");
    {
        size_t first = n, nn = 0;
        for (i = 0; i < n; i++)
            if (v[i].kind == K_NEVER) {
                if (first == n)
                    first = i;
                nn++;
            }
        if (!nn) {
            out_json_null(j);
        } else {
            never s = summarise(v + first, nn);
            out_json_object(j);
            out_json_key(j, "count");
            out_json_int(j, (long long)s.count);
            json_day(j, "due", s.due);
            out_json_key(j, "tiers");
            out_json_object(j);
            for (k = 0; k < NTIERS; k++)
                if (s.tiers[k]) {
                    out_json_key(j, tier_name(k, "en"));
                    out_json_int(j, s.tiers[k]);
                }
            out_json_end(j);
            out_json_key(j, "customers");
            out_json_array(j);
            for (i = first; i < first + nn; i++)
                out_json_str(j, cust_id(x, v[i].customer));
            out_json_end(j);
            out_json_end(j);
        }
    }
    out_json_end(j);
}

/* A member's group, v[0..n), as a text table. */
static out_table *text_group(const ctx *x, const item *v, size_t n)
{
    out_table *t = out_table_new();
    char note[512];
    size_t i, nn = 0, first = n;
    if (!t)
        return NULL;
    out_table_col(t, x->zh ? "事项" : "what", OUT_LEFT);
    out_table_col(t, x->zh ? "客户" : "customer", OUT_LEFT);
    out_table_col(t, x->zh ? "客户名称" : "name", OUT_LEFT);
    out_table_col(t, x->zh ? "截止" : "due", OUT_LEFT);
    out_table_col(t, x->zh ? "剩余天数" : "days_left", OUT_RIGHT);
    out_table_col(t, x->zh ? "说明" : "note", OUT_LEFT);
    for (i = 0; i < n; i++) {
        if (v[i].kind == K_NEVER) {
            if (first == n)
                first = i;
            nn++;
            continue;
        }
        out_table_row(t);
        out_str(t, kind_text(x, &v[i]));
        out_str(t, cust_id(x, v[i].customer));
        out_str(t, cust_name(x, v[i].customer));
        out_date(t, v[i].due);
        out_int(t, (long long)v[i].due - (long long)x->day);
        note_text(x, &v[i], note, sizeof note);
        out_str(t, note);
    }
    if (nn) {
        never s = summarise(v + first, nn);
        out_table_row(t);
        out_str(t, kind_text(x, &v[first]));
        out_null(t);
        out_null(t);
        out_date(t, s.due);
        out_int(t, (long long)s.due - (long long)x->day);
        never_text(x, v + first, nn, note, sizeof note);
        out_str(t, note);
    }
    return t;
}

int cmd_reminders(int argc, char **argv)
{
    const char *dir = NULL, *policy = NULL, *format = NULL, *day_text = NULL, *within_text = NULL,
               *as = NULL, *lang_text = NULL, *lang = "en";
    const cli_option opts[] = {
        { "day", &day_text, NULL },   { "within", &within_text, NULL },
        { "as", &as, NULL },          { "lang", &lang_text, NULL },
        { "policy", &policy, NULL },  { "format", &format, NULL },
        { NULL, NULL, NULL },
    };
    smg_attribution_options ao = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *morning = NULL, *evening = NULL, *full = NULL;
    unsigned char *vis = NULL;
    long long within = 3;
    list l = { NULL, 0, 0, 0 };
    out_format fmt;
    smg_date day;
    smg_org *org = NULL;
    ctx x;
    size_t i;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, &dir, 1, 1, NULL)) ||
        (rc = cli_format(argv[0], format, &fmt)) ||
        (rc = cli_lang(argv[0], lang_text, &lang)))
        return rc;
    if (!day_text)
        return cli_usage_error(argv[0], "--day is required");
    if (smg_date_parse(&day, day_text))
        return cli_usage_error(argv[0], "--day: \"%s\" is not a date YYYY-MM-DD", day_text);
    if (within_text && (rc = cli_number(argv[0], "within", within_text, 1, 365, &within)))
        return rc;
    if ((rc = cli_load(argv[0], dir, policy, &org)))
        return rc;
    if (as && (rc = cli_member(argv[0], org, "as", as, NULL)))
        return rc;

    /* protections: the morning of the day (events before it); the rest:
     * the day's end (events before the next day) */
    ao.as_member = as;
    ao.until = (smg_time)day * DAY_SECONDS;
    if ((rc = smg_attribution_compute(&morning, org, &ao)))
        goto fail;
    ao.until = ((smg_time)day + 1) * DAY_SECONDS;
    if ((rc = smg_attribution_compute(&evening, org, &ao)))
        goto fail;
    if (as) {
        ao.as_member = NULL;
        if ((rc = smg_attribution_compute(&full, org, &ao)))
            goto fail;
    }
    if (!(vis = visible_members(org, as))) {
        rc = SMG_ENOMEM;
        goto fail;
    }
    if ((rc = add_protections(&l, org, morning, day, (int)within)))
        goto fail;
    add_followups(&l, evening, day);
    if ((rc = add_claims(&l, org, full ? full : evening, day, vis)) ||
        (rc = add_visits(&l, org, evening, as, day, vis)))
        goto fail;
    if (l.oom) {
        rc = SMG_ENOMEM;
        goto fail;
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, item_cmp);

    x.org = org;
    x.day = day;
    x.lang = lang;
    x.zh = strcmp(lang, "zh") == 0;
    rc = 0;
    if (fmt == OUT_CSV || fmt == OUT_XLSX) { /* one flat table */
        out_table *t = out_table_new();
        static const char *const cols[] = { "member", "member_name", "kind", "customer",
                                            "customer_name", "due", "days_left", "since",
                                            "deal", "closer", "amount", "tier", "count" };
        size_t c;
        for (c = 0; c < sizeof cols / sizeof cols[0]; c++)
            out_table_col(t, cols[c], c == 6 || c == 10 || c == 12 ? OUT_RIGHT : OUT_LEFT);
        for (i = 0; i < l.n;) {
            size_t j = i;
            if (l.v[i].kind == K_NEVER) {
                while (j < l.n && l.v[j].kind == K_NEVER && l.v[j].member == l.v[i].member)
                    j++;
                csv_row(&x, t, &l.v[i], &l.v[i], j - i);
                i = j;
            } else {
                csv_row(&x, t, &l.v[i], NULL, 0);
                i++;
            }
        }
        rc = out_table_write(t, fmt, stdout);
        out_table_free(t);
    } else if (fmt == OUT_JSON) {
        out_json j;
        out_json_init(&j, stdout);
        out_json_object(&j);
        out_json_key(&j, "day");
        out_json_str(&j, day_text);
        out_json_key(&j, "within");
        out_json_int(&j, within);
        out_json_key(&j, "members");
        out_json_array(&j);
        for (i = 0; i < l.n;) {
            size_t e = i;
            while (e < l.n && l.v[e].member == l.v[i].member)
                e++;
            json_group(&x, &j, l.v + i, e - i);
            i = e;
        }
        out_json_end(&j);
        out_json_end(&j);
        rc = out_json_finish(&j);
    } else {
        out_doc doc;
        char title[512];
        printf(x.zh ? "%s 的提醒（保护期按当天开始时的状态，%lld 天内到期；其余按当天结束时）%s%s\n\n"
                    : "Reminders for %s (protections as the day begins, lapsing within %lld "
                      "days; the rest as of the day's end)%s%s\n\n",
               day_text, within, as ? (x.zh ? "，查看人 " : ", as seen by ") : "", as ? as : "");
        out_doc_begin(&doc, stdout, fmt);
        for (i = 0; i < l.n;) {
            size_t e = i;
            out_table *t;
            const char *id, *name;
            while (e < l.n && l.v[e].member == l.v[i].member)
                e++;
            id = mem_id(&x, l.v[i].member);
            name = mem_name(&x, l.v[i].member);
            if (id)
                snprintf(title, sizeof title, "%s %s", id, name ? name : "");
            else
                snprintf(title, sizeof title, "%s",
                         x.zh ? "（无负责人的客户）" : "(customers nobody is responsible for)");
            t = text_group(&x, l.v + i, e - i);
            if (!t)
                doc.err = 1;
            else
                out_doc_table(&doc, "members", title, t);
            out_table_free(t);
            i = e;
        }
        if (!l.n)
            printf("%s\n", x.zh ? "今天没有提醒。" : "Nothing to do today.");
        rc = out_doc_end(&doc);
    }
    free(l.v);
    free(vis);
    smg_attribution_free(morning);
    smg_attribution_free(evening);
    smg_attribution_free(full);
    smg_org_free(org);
    return rc ? CLI_IO : CLI_OK;
fail:
    fprintf(stderr, "salesmgmt %s: %s\n", argv[0], rc == SMG_ENOMEM ? "out of memory"
                                                                     : smg_org_errmsg(org));
    free(l.v);
    free(vis);
    smg_attribution_free(morning);
    smg_attribution_free(evening);
    smg_attribution_free(full);
    smg_org_free(org);
    return cli_status(rc);
}
