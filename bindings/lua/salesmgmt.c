/* salesmgmt: the Lua 5.4 binding of libsalesmgmt (a C module).
 *
 *   local smg = require "salesmgmt"
 *   local org <close> = assert(smg.load("examples/data"))
 *   for _, row in ipairs(org:kpi{period = "2026-03", by = "team"}) do
 *       print(row.subject, row.sales_amount, row.close_rate)
 *   end
 *
 * Conventions (Lua's): a programming error (a closed org, an argument of
 * the wrong type, an unknown option, a required option missing) raises a
 * Lua error; an error in the data or a value the library refuses returns
 * nil, message, errors (a table of every message the library kept: for a
 * dataset, one "FILE:LINE: column C: what" per error).
 *
 * Results are arrays of tables keyed as the `salesmgmt ... --format json`
 * output (docs/DATASET.md): money as a string with two decimals ("1234.50")
 * plus the exact minor units under `<key>_minor`; rates as numbers, the
 * key absent when null; dates "YYYY-MM-DD"; ids strings; counts integers;
 * booleans booleans. The rows are converted generically from each result
 * table's field names and types (docs/API.md "Reading a result").
 *
 * Text given to the library must be UTF-8 without NUL bytes (ids, names,
 * periods...): anything else returns nil, message. Paths need only be free
 * of NUL bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include <salesmgmt.h>

#define ORG_MT "salesmgmt.org"
#define BOX_MT "salesmgmt.result"

LUAMOD_API int luaopen_salesmgmt(lua_State *L);

/* ------------------------------------------------------------------ */
/* failures                                                            */

/* nil, msg, {msg} */
static int push_fail(lua_State *L, const char *msg)
{
    lua_pushnil(L);
    lua_pushstring(L, msg);
    lua_createtable(L, 1, 0);
    lua_pushstring(L, msg);
    lua_rawseti(L, -2, 1);
    return 3;
}

/* nil, message, errors after a failed call on @p org: the messages the
 * org kept from position @p from on (inside a batch the org keeps the
 * batch's earlier errors before them), the first one as the message. */
static int push_org_fail(lua_State *L, const smg_org *org, int rc, size_t from)
{
    size_t i, n = org ? smg_org_error_count(org) : 0;
    const char *msg = NULL;
    if (n > from)
        msg = smg_org_error(org, from);
    else if (org && from == 0)
        msg = smg_org_errmsg(org);
    if (!msg || !*msg)
        msg = smg_strerror(rc);
    lua_pushnil(L);
    lua_pushstring(L, msg);
    lua_createtable(L, n > from ? (int)(n - from) : 1, 0);
    for (i = from; i < n; i++) {
        const char *e = smg_org_error(org, i);
        lua_pushstring(L, e ? e : "");
        lua_rawseti(L, -2, (lua_Integer)(i - from) + 1);
    }
    if (n <= from) {
        lua_pushstring(L, msg);
        lua_rawseti(L, -2, 1);
    }
    return 3;
}

/* ------------------------------------------------------------------ */
/* argument checking                                                   */

/* Strict UTF-8 (RFC 3629: shortest form, no surrogates, <= U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k, len;
        uint32_t v;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2, v = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, v = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, v = c & 0x07;
        else
            return 0;
        if (n - i < len)
            return 0;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            v = v << 6 | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
            (len == 4 && (v < 0x10000 || v > 0x10ffff)))
            return 0;
        i += len;
    }
    return 1;
}

/* The state of one call's argument gathering: type errors raise at once;
 * a bad value (NUL, invalid UTF-8, text the library cannot parse) is kept
 * here so that the call returns nil, msg once every argument is read. */
typedef struct args {
    lua_State *L;
    int failed;
    char msg[256];
} args;

/* @p s, at most @p max bytes of it cut at a character boundary, with
 * "..." when cut, into @p buf (max + 4 bytes). */
static const char *shorten(char *buf, size_t max, const char *s)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) /* s[n] continues a character */
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "...", 4);
    return buf;
}

/* Keep the first failure: @p fmt with @p what and @p detail (a text of the
 * caller's, shortened to 80 bytes). */
static void args_fail(args *a, const char *fmt, const char *what, const char *detail)
{
    char shortened[84];
    if (a->failed)
        return;
    a->failed = 1;
    snprintf(a->msg, sizeof a->msg, fmt, what,
             detail ? shorten(shortened, 80, detail) : "");
}

static int arg_typeerror(lua_State *L, int argn, const char *what, const char *expected,
                         int idx)
{
    return luaL_argerror(L, argn,
                         lua_pushfstring(L, "%s: %s expected, got %s", what, expected,
                                         luaL_typename(L, idx)));
}

/* The text at stack index @p idx (a string; nil allowed unless
 * @p required): NULL for nil. @p path: only NUL is refused (a file name
 * may be any bytes). The string stays on the stack where it is. */
static const char *text_at(args *a, int idx, int argn, const char *what, int required, int path)
{
    lua_State *L = a->L;
    size_t len;
    const char *s;
    int t = lua_type(L, idx);
    if (t == LUA_TNIL || t == LUA_TNONE) {
        if (required)
            luaL_argerror(L, argn, lua_pushfstring(L, "%s required", what));
        return NULL;
    }
    if (t != LUA_TSTRING)
        arg_typeerror(L, argn, what, "string", idx);
    s = lua_tolstring(L, idx, &len);
    if (strlen(s) != len) {
        args_fail(a, "salesmgmt: %s: embedded NUL byte%s", what, NULL);
        return NULL;
    }
    if (!path && !utf8_valid((const unsigned char *)s, len)) {
        args_fail(a, "salesmgmt: %s: invalid UTF-8%s", what, NULL);
        return NULL;
    }
    return s;
}

/* Check that every key of the options table at @p idx is one of @p names. */
static void check_options(lua_State *L, int idx, int argn, const char *const *names)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        size_t i;
        int ok = 0;
        lua_pop(L, 1); /* the value */
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -1);
            for (i = 0; names[i]; i++)
                if (strcmp(k, names[i]) == 0)
                    ok = 1;
            if (!ok)
                luaL_argerror(L, argn, lua_pushfstring(L, "unknown option '%s'", k));
        } else {
            luaL_argerror(L, argn,
                          lua_pushfstring(L, "option names are strings, not %s",
                                          luaL_typename(L, -1)));
        }
    }
}

/* The options table argument @p argn: checked, its absolute index; 0 when
 * it is nil/absent and @p optional. */
static int options_arg(lua_State *L, int argn, const char *const *names, int optional)
{
    int t = lua_type(L, argn);
    if (optional && (t == LUA_TNIL || t == LUA_TNONE))
        return 0;
    if (t != LUA_TTABLE)
        luaL_typeerror(L, argn, optional ? "table or nil" : "table");
    check_options(L, argn, argn, names);
    return lua_absindex(L, argn);
}

/* Push field @p name of the options table @p opts (nil when opts is 0);
 * the value stays on the stack. @return its index */
static int opt_push(lua_State *L, int opts, const char *name)
{
    if (opts)
        lua_getfield(L, opts, name);
    else
        lua_pushnil(L);
    return lua_gettop(L);
}

static const char *opt_text(args *a, int opts, int argn, const char *name, int required)
{
    int idx;
    luaL_checkstack(a->L, 4, NULL);
    idx = opt_push(a->L, opts, name);
    return text_at(a, idx, argn, name, required, 0);
}

/* Money: a string with at most two decimals ("12.50") or a Lua integer
 * (whole units). @return 1 when given (then *out is set), 0 when nil */
static int money_at(args *a, int idx, int argn, const char *what, smg_money *out)
{
    lua_State *L = a->L;
    const char *s;
    int t = lua_type(L, idx);
    if (t == LUA_TNIL || t == LUA_TNONE)
        return 0;
    if (t == LUA_TNUMBER && lua_isinteger(L, idx)) {
        lua_Integer v = lua_tointeger(L, idx);
        if (v > INT64_MAX / 100 || v < -(INT64_MAX / 100)) {
            args_fail(a, "salesmgmt: %s: amount out of range%s", what, NULL);
            return 0;
        }
        *out = (smg_money)v * 100;
        return 1;
    }
    if (t != LUA_TSTRING)
        arg_typeerror(L, argn, what, "string (\"12.50\") or integer", idx);
    s = text_at(a, idx, argn, what, 0, 0);
    if (!s)
        return 0;
    if (smg_money_parse(out, s)) {
        args_fail(a, "salesmgmt: %s: \"%s\" is not a decimal amount (at most two decimals)",
                  what, s);
        return 0;
    }
    return 1;
}

static int opt_money(args *a, int opts, int argn, const char *name, smg_money *out)
{
    int idx;
    luaL_checkstack(a->L, 4, NULL);
    idx = opt_push(a->L, opts, name);
    return money_at(a, idx, argn, name, out);
}

/* A day "YYYY-MM-DD". @return 1 when given */
static int opt_date(args *a, int opts, int argn, const char *name, int required, smg_date *out)
{
    const char *s = opt_text(a, opts, argn, name, required);
    if (!s)
        return 0;
    if (smg_date_parse(out, s)) {
        args_fail(a, "salesmgmt: %s: \"%s\" is not a date (YYYY-MM-DD)", name, s);
        return 0;
    }
    return 1;
}

/* A period: "YYYY", "YYYY-Qn", "YYYY-MM", "YYYY-Www" or "FROM..TO". */
static int opt_period(args *a, int opts, int argn, const char *name, smg_period *out)
{
    const char *s = opt_text(a, opts, argn, name, 1);
    if (!s)
        return 0;
    if (smg_period_parse(out, s)) {
        args_fail(a,
                  "salesmgmt: %s: \"%s\" is not a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-Www "
                  "or FROM..TO)",
                  name, s);
        return 0;
    }
    return 1;
}

/* method = "threshold" | "pareto" | nil (the policy's) */
static smg_tier_method opt_method(args *a, int opts, int argn)
{
    const char *s = opt_text(a, opts, argn, "method", 0);
    if (!s)
        return SMG_TIER_METHOD_POLICY;
    if (strcmp(s, "threshold") == 0)
        return SMG_TIER_METHOD_THRESHOLD;
    if (strcmp(s, "pareto") == 0)
        return SMG_TIER_METHOD_PARETO;
    args_fail(a, "salesmgmt: %s: \"%s\" is not threshold or pareto", "method", s);
    return SMG_TIER_METHOD_POLICY;
}

/* ------------------------------------------------------------------ */
/* the org userdata                                                    */

typedef struct lorg {
    smg_org *org;     /* NULL once closed */
    int in_batch;     /* inside org:batch(fn) */
    int refused;      /* additions the binding refused in this batch */
} lorg;

/* uservalues of an org, during org:batch(): 1, the team leaders deferred
 * to the commit (team, member, team, member...); 2, the failures noted */

static lorg *check_org(lua_State *L, int idx)
{
    lorg *o = (lorg *)luaL_checkudata(L, idx, ORG_MT);
    if (!o->org)
        luaL_error(L, "salesmgmt: org is closed");
    return o;
}

/* A new org userdata (its org not made yet) on the stack. */
static lorg *new_lorg(lua_State *L)
{
    lorg *o = (lorg *)lua_newuserdatauv(L, sizeof *o, 2);
    o->org = NULL;
    o->in_batch = 0;
    o->refused = 0;
    luaL_setmetatable(L, ORG_MT);
    return o;
}

static void free_lorg(lorg *o)
{
    if (o->org) {
        if (o->in_batch)
            smg_batch_rollback(o->org);
        smg_org_free(o->org);
        o->org = NULL;
    }
    o->in_batch = 0;
}

static int org_gc(lua_State *L)
{
    free_lorg((lorg *)luaL_checkudata(L, 1, ORG_MT));
    return 0;
}

/* org:close(): safe twice; a programming error inside org:batch(). */
static int org_close(lua_State *L)
{
    lorg *o = (lorg *)luaL_checkudata(L, 1, ORG_MT);
    if (o->in_batch)
        return luaL_error(L, "salesmgmt: an org cannot be closed inside its batch");
    free_lorg(o);
    return 0;
}

static int org_tostring(lua_State *L)
{
    lorg *o = (lorg *)luaL_checkudata(L, 1, ORG_MT);
    if (!o->org)
        lua_pushstring(L, "salesmgmt.org (closed)");
    else
        lua_pushfstring(L, "salesmgmt.org (%d teams, %d members, %d customers, %d events)",
                        (int)smg_org_count(o->org, SMG_COUNT_TEAMS),
                        (int)smg_org_count(o->org, SMG_COUNT_MEMBERS),
                        (int)smg_org_count(o->org, SMG_COUNT_CUSTOMERS),
                        (int)smg_org_count(o->org, SMG_COUNT_EVENTS));
    return 1;
}

/* ------------------------------------------------------------------ */
/* policy                                                              */

/* One policy value as text: a string, or a number (integers as they are,
 * floats with Lua's %.14g). NULL (and @p a failed) for bad text. */
static const char *policy_value(args *a, int idx, int argn, const char *name)
{
    lua_State *L = a->L;
    if (lua_type(L, idx) == LUA_TNUMBER)
        return lua_tostring(L, idx); /* converts the stack slot in place */
    if (lua_type(L, idx) != LUA_TSTRING)
        arg_typeerror(L, argn, name, "string or number", idx);
    return text_at(a, idx, argn, name, 1, 0);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Apply the policy argument at @p idx to @p org: a policy.conf path (a
 * string) or a table {["name"] = value | {value, ...}} (names in byte
 * order; a list sets a list parameter such as calendar.holiday once per
 * value, an empty list sets "none"), then check the limits that tie
 * parameters together.
 * @return 0, or the number of values pushed (nil, msg, errors) */
static int apply_policy(lua_State *L, smg_org *org, int idx, int argn)
{
    args a = { L, 0, "" };
    int t = lua_type(L, idx), rc;
    if (t == LUA_TNIL || t == LUA_TNONE)
        return 0;
    if (t == LUA_TSTRING) {
        const char *path = text_at(&a, idx, argn, "policy", 1, 1);
        if (a.failed)
            return push_fail(L, a.msg);
        if ((rc = smg_policy_load(org, path)) || (rc = smg_policy_check(org)))
            return push_org_fail(L, org, rc, 0);
        return 0;
    }
    if (t != LUA_TTABLE)
        return arg_typeerror(L, argn, "policy", "file name or table", idx);
    {
        size_t n = 0, i, cap = 0;
        const char **names;
        int tbl = lua_absindex(L, idx);
        lua_pushnil(L);
        while (lua_next(L, tbl)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, argn,
                              lua_pushfstring(L, "policy: parameter names are strings, not %s",
                                              luaL_typename(L, -1)));
            cap++;
        }
        /* the names, sorted: a userdata anchors the array */
        names = (const char **)lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *names, 0);
        lua_pushnil(L);
        while (lua_next(L, tbl)) {
            lua_pop(L, 1);
            names[n++] = lua_tostring(L, -1); /* anchored by the table's key */
        }
        qsort(names, n, sizeof *names, cmp_str);
        for (i = 0; i < n; i++) {
            const char *name = names[i];
            if (!utf8_valid((const unsigned char *)name, strlen(name))) {
                lua_pop(L, 1);
                return push_fail(L, "salesmgmt: policy: a parameter name is not UTF-8");
            }
            lua_getfield(L, tbl, name);
            if (lua_type(L, -1) == LUA_TTABLE && luaL_len(L, -1) == 0) {
                /* an empty list: "none" (clears a list parameter) */
                if ((rc = smg_policy_set(org, name, "none"))) {
                    lua_pop(L, 2);
                    return push_org_fail(L, org, rc, 0);
                }
            } else if (lua_type(L, -1) == LUA_TTABLE) {
                lua_Integer k, len = (lua_Integer)luaL_len(L, -1);
                for (k = 1; k <= len; k++) {
                    const char *v;
                    lua_geti(L, -1, k);
                    v = policy_value(&a, lua_gettop(L), argn, name);
                    if (a.failed) {
                        lua_pop(L, 3);
                        return push_fail(L, a.msg);
                    }
                    if ((rc = smg_policy_set(org, name, v))) {
                        lua_pop(L, 3);
                        return push_org_fail(L, org, rc, 0);
                    }
                    lua_pop(L, 1);
                }
            } else {
                const char *v = policy_value(&a, lua_gettop(L), argn, name);
                if (a.failed) {
                    lua_pop(L, 2);
                    return push_fail(L, a.msg);
                }
                if ((rc = smg_policy_set(org, name, v))) {
                    lua_pop(L, 2);
                    return push_org_fail(L, org, rc, 0);
                }
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1); /* names */
    }
    if ((rc = smg_policy_check(org)))
        return push_org_fail(L, org, rc, 0);
    return 0;
}

/* ------------------------------------------------------------------ */
/* smg.load, smg.org                                                   */

static int is_utf8_name(const char *e)
{
    static const char *const ok[] = { "utf-8", "utf8", "utf_8", NULL };
    size_t i, k;
    char low[8];
    for (k = 0; e[k] && k < sizeof low - 1; k++)
        low[k] = (char)(e[k] >= 'A' && e[k] <= 'Z' ? e[k] - 'A' + 'a' : e[k]);
    if (e[k])
        return 0;
    low[k] = 0;
    for (i = 0; ok[i]; i++)
        if (strcmp(low, ok[i]) == 0)
            return 1;
    return 0;
}

/* smg.load(dir [, {policy = FILE | TABLE, encoding = "utf-8"}])
 * -> org | nil, msg, errors */
static int l_load(lua_State *L)
{
    static const char *const names[] = { "policy", "encoding", NULL };
    args a = { L, 0, "" };
    const char *dir, *enc;
    int opts, pidx, rc, n;
    lorg *o;

    luaL_checkstack(L, 20, NULL);
    dir = text_at(&a, 1, 1, "dir", 1, 1);
    opts = options_arg(L, 2, names, 1);
    pidx = opt_push(L, opts, "policy");
    if (lua_type(L, pidx) != LUA_TNIL && lua_type(L, pidx) != LUA_TSTRING &&
        lua_type(L, pidx) != LUA_TTABLE)
        arg_typeerror(L, 2, "policy", "file name or table", pidx);
    enc = opt_text(&a, opts, 2, "encoding", 0);
    if (a.failed)
        return push_fail(L, a.msg);
    if (enc && !is_utf8_name(enc)) {
        char msg[220], shortened[84];
        snprintf(msg, sizeof msg,
                 "salesmgmt: encoding \"%s\" not supported by the Lua binding "
                 "(only utf-8: transcode the files first, e.g. with iconv)",
                 shorten(shortened, 60, enc));
        return push_fail(L, msg);
    }
    o = new_lorg(L);
    if ((rc = smg_org_new(&o->org, NULL)))
        return push_fail(L, smg_strerror(rc));
    if ((rc = smg_dataset_load(o->org, dir))) {
        n = push_org_fail(L, o->org, rc, 0);
        smg_org_free(o->org);
        o->org = NULL;
        return n;
    }
    if ((n = apply_policy(L, o->org, pidx, 2))) {
        /* the failure values are on top; the org userdata is below them */
        smg_org_free(o->org);
        o->org = NULL;
        return n;
    }
    return 1;
}

/* smg.org([{policy = FILE | TABLE}]) -> an empty org | nil, msg, errors */
static int l_org(lua_State *L)
{
    static const char *const names[] = { "policy", NULL };
    int opts, pidx, rc, n;
    lorg *o;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 1, names, 1);
    pidx = opt_push(L, opts, "policy");
    if (lua_type(L, pidx) != LUA_TNIL && lua_type(L, pidx) != LUA_TSTRING &&
        lua_type(L, pidx) != LUA_TTABLE)
        arg_typeerror(L, 1, "policy", "file name or table", pidx);
    o = new_lorg(L);
    if ((rc = smg_org_new(&o->org, NULL)))
        return push_fail(L, smg_strerror(rc));
    if ((n = apply_policy(L, o->org, pidx, 1))) {
        smg_org_free(o->org);
        o->org = NULL;
        return n;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* batches and additions                                               */

/* Where this call's errors will start in the org's list: after the
 * batch's earlier ones inside org:batch(), else 0 (a call outside a batch
 * starts a new list). */
static size_t errs_before(const lorg *o)
{
    return o->in_batch ? smg_org_error_count(o->org) : 0;
}

/* Inside org:batch(), every failed addition is also noted in the batch's
 * own list (uservalue 2 of the org, at stack index 1), in call order; one
 * the binding refused before the library saw it (bad text, a value that
 * does not parse) marks the batch as refused: the library cannot know of
 * it, so the batch is rolled back instead of committed. */
static void note_failure(lua_State *L, lorg *o, int errors_idx, int refused)
{
    lua_Integer k, n, m;
    if (!o->in_batch)
        return;
    if (refused)
        o->refused++;
    errors_idx = lua_absindex(L, errors_idx);
    lua_getiuservalue(L, 1, 2);
    if (lua_type(L, -1) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    n = (lua_Integer)luaL_len(L, -1);
    m = (lua_Integer)luaL_len(L, errors_idx);
    for (k = 1; k <= m; k++) {
        lua_geti(L, errors_idx, k);
        lua_rawseti(L, -2, n + k);
    }
    lua_pop(L, 1);
}

/* A call refused by the binding: nil, msg, {msg} (noted in the batch). */
static int call_fail(lua_State *L, lorg *o, const char *msg)
{
    int n = push_fail(L, msg);
    note_failure(L, o, -1, 1);
    return n;
}

/* A call the library failed: nil, msg, errors (noted in the batch). */
static int call_org_fail(lua_State *L, lorg *o, int rc, size_t from)
{
    int n = push_org_fail(L, o->org, rc, from);
    note_failure(L, o, -1, 0);
    return n;
}

static int ok_or_fail(lua_State *L, lorg *o, int rc, size_t from)
{
    if (rc)
        return call_org_fail(L, o, rc, from);
    lua_pushboolean(L, 1);
    return 1;
}

/* org:batch(fn): begin; fn(org) under pcall; set the deferred team
 * leaders; commit. -> true | nil, msg, errors: after a Lua error in fn
 * (the error first, then the failures noted), an addition that failed or
 * a failed commit, nothing of the batch is applied. */
static int org_batch(lua_State *L)
{
    lorg *o = check_org(L, 1);
    int status, rc, noted;
    size_t i, n;

    luaL_checktype(L, 2, LUA_TFUNCTION);
    luaL_checkstack(L, 20, NULL);
    lua_settop(L, 2);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: batches do not nest");
    lua_newtable(L); /* the deferred team leaders */
    lua_setiuservalue(L, 1, 1);
    lua_newtable(L); /* the failures noted */
    lua_setiuservalue(L, 1, 2);
    if ((rc = smg_batch_begin(o->org)))
        return push_org_fail(L, o->org, rc, 0);
    o->in_batch = 1;
    o->refused = 0;
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 1);
    status = lua_pcall(L, 1, 0, 0); /* the error object at 3 on failure */
    if (status == LUA_OK) {
        /* the leaders, once every member of the batch is there */
        lua_getiuservalue(L, 1, 1);
        n = (size_t)luaL_len(L, 3);
        for (i = 1; i + 1 <= n; i += 2) {
            size_t from = errs_before(o);
            lua_geti(L, 3, (lua_Integer)i);
            lua_geti(L, 3, (lua_Integer)i + 1);
            if ((rc = smg_team_set_leader(o->org, lua_tostring(L, -2), lua_tostring(L, -1)))) {
                call_org_fail(L, o, rc, from);
                lua_pop(L, 3);
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    o->in_batch = 0;
    lua_getiuservalue(L, 1, 2);
    noted = lua_gettop(L);
    lua_pushnil(L);
    lua_setiuservalue(L, 1, 1);
    lua_pushnil(L);
    lua_setiuservalue(L, 1, 2);
    if (status != LUA_OK) {
        lua_Integer k, m;
        int msg;
        smg_batch_rollback(o->org);
        luaL_tolstring(L, noted - 1, NULL); /* the error object as text */
        msg = lua_gettop(L);
        lua_pushnil(L);
        lua_pushvalue(L, msg);
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, msg);
        lua_rawseti(L, -2, 1);
        m = (lua_Integer)luaL_len(L, noted);
        for (k = 1; k <= m; k++) {
            lua_geti(L, noted, k);
            lua_rawseti(L, -2, k + 1);
        }
        return 3;
    }
    if (o->refused) {
        smg_batch_rollback(o->org);
        lua_pushnil(L);
        lua_geti(L, noted, 1);
        lua_pushvalue(L, noted);
        return 3;
    }
    if ((rc = smg_batch_commit(o->org)))
        return push_org_fail(L, o->org, rc, 0);
    lua_pushboolean(L, 1);
    return 1;
}

/* org:set_leader(team, member | nil) -> true | nil, msg, errors */
static int org_set_leader(lua_State *L)
{
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *team = text_at(&a, 2, 2, "team", 1, 0);
    const char *member = text_at(&a, 3, 3, "member", 0, 0);
    if (a.failed)
        return call_fail(L, o, a.msg);
    return ok_or_fail(L, o, smg_team_set_leader(o->org, team, member), errs_before(o));
}

/* org:add_team(id, name [, {parent = ID, leader = ID}]) -> true | nil, msg, errors.
 * Inside a batch the leader is set at the commit, after the batch's
 * members are added (as a dataset's teams.csv). */
static int org_add_team(lua_State *L)
{
    static const char *const names[] = { "parent", "leader", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *id, *name, *parent, *leader;
    int opts, rc;

    luaL_checkstack(L, 20, NULL);
    id = text_at(&a, 2, 2, "id", 1, 0);
    name = text_at(&a, 3, 3, "name", 0, 0);
    opts = options_arg(L, 4, names, 1);
    parent = opt_text(&a, opts, 4, "parent", 0);
    leader = opt_text(&a, opts, 4, "leader", 0);
    if (a.failed)
        return call_fail(L, o, a.msg);
    if (o->in_batch) {
        size_t from = errs_before(o);
        if ((rc = smg_team_add(o->org, id, name, parent)))
            return call_org_fail(L, o, rc, from);
        if (leader && *leader) {
            lua_Integer n;
            lua_getiuservalue(L, 1, 1);
            n = (lua_Integer)luaL_len(L, -1);
            lua_pushstring(L, id);
            lua_rawseti(L, -2, n + 1);
            lua_pushstring(L, leader);
            lua_rawseti(L, -2, n + 2);
            lua_pop(L, 1);
        }
        lua_pushboolean(L, 1);
        return 1;
    }
    /* outside a batch, the team and its leader are one batch */
    if ((rc = smg_batch_begin(o->org)))
        return call_org_fail(L, o, rc, 0);
    rc = smg_team_add(o->org, id, name, parent);
    if (!rc && leader && *leader)
        rc = smg_team_set_leader(o->org, id, leader);
    if (rc) {
        int n = call_org_fail(L, o, rc, 0);
        smg_batch_rollback(o->org);
        return n;
    }
    return ok_or_fail(L, o, smg_batch_commit(o->org), 0);
}

/* org:add_member(id, name, {team = ID, role = "rep", start = DAY, ["end"] = DAY,
 * pay_total = "8000.00"}) -> true | nil, msg, errors */
static int org_add_member(lua_State *L)
{
    static const char *const names[] = { "team", "role", "start", "end", "pay_total", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *id, *name, *team, *role_text;
    smg_role role = SMG_ROLE_REP;
    smg_date start = SMG_DATE_NONE, end = SMG_DATE_NONE;
    smg_money pay = SMG_MONEY_NONE;
    int opts, has_start, has_end, has_pay, rc;
    size_t from;

    luaL_checkstack(L, 20, NULL);
    id = text_at(&a, 2, 2, "id", 1, 0);
    name = text_at(&a, 3, 3, "name", 0, 0);
    opts = options_arg(L, 4, names, 0);
    team = opt_text(&a, opts, 4, "team", 1);
    role_text = opt_text(&a, opts, 4, "role", 0);
    has_start = opt_date(&a, opts, 4, "start", 0, &start);
    has_end = opt_date(&a, opts, 4, "end", 0, &end);
    has_pay = opt_money(&a, opts, 4, "pay_total", &pay);
    if (role_text && smg_role_parse(&role, role_text))
        args_fail(&a, "salesmgmt: %s: \"%s\" is not rep, leader, supervisor, manager or director",
                  "role", role_text);
    if (a.failed)
        return call_fail(L, o, a.msg);
    from = errs_before(o);
    /* outside a batch, the three calls are one batch: all or nothing */
    if (!o->in_batch && (rc = smg_batch_begin(o->org)))
        return call_org_fail(L, o, rc, 0);
    rc = smg_member_add(o->org, id, name, team, role);
    if (!rc && (has_start || has_end))
        rc = smg_member_set_dates(o->org, id, start, end);
    if (!rc && has_pay)
        rc = smg_member_set_pay_total(o->org, id, pay);
    if (!o->in_batch) {
        if (rc) {
            /* keep the failure's messages: the rollback leaves them */
            int n = call_org_fail(L, o, rc, 0);
            smg_batch_rollback(o->org);
            return n;
        }
        rc = smg_batch_commit(o->org);
    }
    return ok_or_fail(L, o, rc, from);
}

/* org:add_customer(id, name [, {phone = …, group_key = …}]) -> true | nil, msg, errors */
static int org_add_customer(lua_State *L)
{
    static const char *const names[] = { "phone", "group_key", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *id, *name, *phone, *group;
    int opts;

    luaL_checkstack(L, 20, NULL);
    id = text_at(&a, 2, 2, "id", 1, 0);
    name = text_at(&a, 3, 3, "name", 0, 0);
    opts = options_arg(L, 4, names, 1);
    phone = opt_text(&a, opts, 4, "phone", 0);
    group = opt_text(&a, opts, 4, "group_key", 0);
    if (a.failed)
        return call_fail(L, o, a.msg);
    {
        size_t from = errs_before(o);
        return ok_or_fail(L, o, smg_customer_add(o->org, id, name, phone, group), from);
    }
}

static int decimal_at(args *a, int idx, int argn, const char *what, int scale, int64_t *out);

/* org:add_event{type = "deal", at = "2026-03-01T10:00", member = …,
 * customer = …, ref = …, amount = "12.50", list_amount = …, cost = …,
 * product = …, channel = …, outcome = …, value = "0.5", id = …}
 * -> true | nil, msg, errors. value: absence days or a work score (two
 * decimals at most), or a fault's count (whole; nil = 1); a fault or a
 * submit names its scorecard item in ref. */
static int org_add_event(lua_State *L)
{
    static const char *const names[] = { "type",    "at",      "member",  "customer", "ref",
                                         "amount",  "list_amount", "cost", "product",
                                         "channel", "outcome", "value",   "id",       NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_event ev = SMG_EVENT_INIT;
    const char *type, *at, *channel, *outcome;
    int opts, vidx;

    luaL_checkstack(L, 40, NULL);
    opts = options_arg(L, 2, names, 0);
    type = opt_text(&a, opts, 2, "type", 1);
    at = opt_text(&a, opts, 2, "at", 1);
    ev.member = opt_text(&a, opts, 2, "member", 0);
    ev.customer = opt_text(&a, opts, 2, "customer", 0);
    ev.ref = opt_text(&a, opts, 2, "ref", 0);
    ev.product = opt_text(&a, opts, 2, "product", 0);
    ev.id = opt_text(&a, opts, 2, "id", 0);
    opt_money(&a, opts, 2, "amount", &ev.amount);
    opt_money(&a, opts, 2, "list_amount", &ev.list_amount);
    opt_money(&a, opts, 2, "cost", &ev.cost);
    channel = opt_text(&a, opts, 2, "channel", 0);
    outcome = opt_text(&a, opts, 2, "outcome", 0);
    /* value: days or a score, two decimals at most, kept in hundredths; a
     * fault's count is whole */
    vidx = opt_push(L, opts, "value");
    if (type && smg_event_type_parse(&ev.type, type) == 0 && ev.type == SMG_EV_FAULT) {
        int64_t v;
        if (decimal_at(&a, vidx, 2, "value", 0, &v))
            ev.value = v;
        vidx = 0;
    } else if (lua_type(L, vidx) == LUA_TNUMBER && !lua_isinteger(L, vidx)) {
        lua_pushvalue(L, vidx);
        lua_tostring(L, -1); /* %.14g: 0.5 -> "0.5" */
        vidx = lua_gettop(L);
    }
    if (vidx) {
        smg_money v;
        if (money_at(&a, vidx, 2, "value", &v))
            ev.value = v;
    }
    if (type && smg_event_type_parse(&ev.type, type))
        args_fail(&a, "salesmgmt: %s: \"%s\" is not an event type", "type", type);
    if (at && smg_time_parse(&ev.at, at))
        args_fail(&a,
                  "salesmgmt: %s: \"%s\" is not a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
                  "YYYY-MM-DDTHH:MM:SS)",
                  "at", at);
    if (channel && *channel && smg_channel_parse(&ev.channel, channel))
        args_fail(&a, "salesmgmt: %s: \"%s\" is not walk_in, phone or onsite", "channel",
                  channel);
    if (outcome && *outcome && smg_outcome_parse(&ev.outcome, outcome))
        args_fail(&a, "salesmgmt: %s: \"%s\" is not duty, success or fail", "outcome", outcome);
    if (a.failed)
        return call_fail(L, o, a.msg);
    {
        size_t from = errs_before(o);
        return ok_or_fail(L, o, smg_event_add(o->org, &ev), from);
    }
}

/* A decimal with at most @p scale fraction digits, in units of
 * 10^-scale ("0.015" at scale 6 = 15000). @return 0, or -1 */
static int decimal_scaled(const char *s, int scale, int64_t *out)
{
    int64_t v = 0;
    int neg = 0, digits = 0, frac = -1;
    if (*s == '-')
        neg = 1, s++;
    for (; *s; s++) {
        if (*s == '.') {
            if (frac >= 0 || !digits)
                return -1;
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return -1;
        if (frac >= 0 && ++frac > scale)
            return -1;
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
        digits++;
    }
    if (!digits || frac == 0)
        return -1;
    for (frac = frac < 0 ? 0 : frac; frac < scale; frac++) {
        if (v > INT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *out = neg ? -v : v;
    return 0;
}

/* A decimal at stack index @p idx: a string, or a number (an integer, or
 * a float written with %.14g). @return 1 when given */
static int decimal_at(args *a, int idx, int argn, const char *what, int scale, int64_t *out)
{
    lua_State *L = a->L;
    const char *s;
    int t = lua_type(L, idx);
    if (t == LUA_TNIL || t == LUA_TNONE)
        return 0;
    if (t == LUA_TNUMBER) {
        lua_pushvalue(L, idx);
        s = lua_tostring(L, -1); /* integers as they are, floats with %.14g */
        idx = lua_gettop(L);      /* left on the stack: the text stays valid */
    } else if (t != LUA_TSTRING) {
        arg_typeerror(L, argn, what, "string or number", idx);
    }
    s = text_at(a, idx, argn, what, 1, 0);
    if (!s)
        return 0;
    if (decimal_scaled(s, scale, out)) {
        if (!a->failed) {
            char shortened[84];
            a->failed = 1;
            snprintf(a->msg, sizeof a->msg,
                     "salesmgmt: %s: \"%s\" is not a decimal with at most %d decimals", what,
                     shorten(shortened, 80, s), scale);
        }
        return 0;
    }
    return 1;
}

/* org:add_profile(name, {w1, ..., w12}): a seasonality profile, twelve
 * non-negative monthly weights (numbers or decimal strings, up to six
 * decimals) -> true | nil, msg, errors */
static int org_add_profile(lua_State *L)
{
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *name;
    int64_t w[12];
    int k;

    luaL_checkstack(L, 40, NULL);
    name = text_at(&a, 2, 2, "name", 1, 0);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (luaL_len(L, 3) != 12)
        luaL_argerror(L, 3, "twelve monthly weights expected");
    for (k = 0; k < 12; k++) {
        lua_geti(L, 3, k + 1);
        if (!decimal_at(&a, lua_gettop(L), 3, "weight", 6, &w[k]))
            w[k] = 0;
    }
    if (a.failed)
        return call_fail(L, o, a.msg);
    {
        size_t from = errs_before(o);
        return ok_or_fail(L, o, smg_profile_add(o->org, name, w), from);
    }
}

/* org:add_target{subject = "member:m01" | "team:t1" | "company", metric =
 * "sales_amount", period = "2026" | "2026-Q4" | "2026-10", amount = "1000.00"
 * (money metrics) | 12 (counts), profile = NAME} -> true | nil, msg, errors */
static int org_add_target(lua_State *L)
{
    static const char *const names[] = { "subject", "metric", "period", "amount", "profile",
                                         NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *subject, *metric_text, *profile;
    smg_subject subj;
    smg_metric metric = SMG_METRIC_SALES_AMOUNT;
    smg_period period;
    int64_t amount = 0;
    int opts, aidx, rc;
    size_t from;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    subject = opt_text(&a, opts, 2, "subject", 1);
    metric_text = opt_text(&a, opts, 2, "metric", 1);
    opt_period(&a, opts, 2, "period", &period);
    profile = opt_text(&a, opts, 2, "profile", 0);
    if (metric_text && smg_metric_parse(&metric, metric_text))
        args_fail(&a,
                  "salesmgmt: %s: \"%s\" is not sales_amount, gross_profit, deal_count, "
                  "new_customers, visits or collections",
                  "metric", metric_text);
    aidx = opt_push(L, opts, "amount");
    if (lua_isnil(L, aidx))
        luaL_argerror(L, 2, "amount required");
    if (smg_metric_is_money(metric))
        money_at(&a, aidx, 2, "amount", &amount);
    else
        decimal_at(&a, aidx, 2, "amount", 0, &amount);
    if (a.failed)
        return call_fail(L, o, a.msg);
    from = errs_before(o);
    if ((rc = smg_subject_parse(&subj, o->org, subject))) {
        char msg[200], shortened[84];
        snprintf(msg, sizeof msg,
                 rc == SMG_ENOTFOUND ? "salesmgmt: subject: %s does not exist"
                                     : "salesmgmt: subject: \"%s\" is not member:ID, "
                                       "team:ID or company",
                 shorten(shortened, 80, subject));
        return call_fail(L, o, msg);
    }
    return ok_or_fail(L, o, smg_target_add(o->org, &subj, metric, &period, amount, profile),
                      from);
}

/* org:add_commission{product = "*", from_amount = "0", rate = "0.015",
 * mode = "marginal" | "flat"} -> true | nil, msg, errors */
static int org_add_commission(lua_State *L)
{
    static const char *const names[] = { "product", "from_amount", "rate", "mode", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *product, *mode_text;
    smg_money from_amount = 0;
    int64_t rate = 0;
    smg_commission_mode mode = SMG_COMMISSION_MARGINAL;
    int opts, idx;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    product = opt_text(&a, opts, 2, "product", 1);
    idx = opt_push(L, opts, "from_amount");
    if (lua_isnil(L, idx))
        luaL_argerror(L, 2, "from_amount required");
    money_at(&a, idx, 2, "from_amount", &from_amount);
    idx = opt_push(L, opts, "rate");
    if (lua_isnil(L, idx))
        luaL_argerror(L, 2, "rate required");
    decimal_at(&a, idx, 2, "rate", 6, &rate);
    mode_text = opt_text(&a, opts, 2, "mode", 0);
    if (mode_text && strcmp(mode_text, "flat") == 0)
        mode = SMG_COMMISSION_FLAT;
    else if (mode_text && strcmp(mode_text, "marginal") != 0)
        args_fail(&a, "salesmgmt: %s: \"%s\" is not marginal or flat", "mode", mode_text);
    if (a.failed)
        return call_fail(L, o, a.msg);
    {
        size_t from = errs_before(o);
        return ok_or_fail(L, o,
                          smg_commission_add(o->org, product, from_amount, rate, mode), from);
    }
}

/* org:add_scorecard_item(id, {points = 60 | "12.5", parent = ID, deduct =
 * 5 (nil: any fault zeroes the item), roles = {"rep", "leader"} | "rep"
 * (nil or {}: every role), due = "monthly:30" | "weekly:fri"})
 * -> true | nil, msg, errors. Points are exact to the hundredth (strings
 * or numbers, at most two decimals). The checks that tie items together
 * run at the commit: add the items inside org:batch(). */
static int org_add_scorecard_item(lua_State *L)
{
    static const char *const names[] = { "points", "parent", "deduct", "roles", "due", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    const char *id, *parent, *due_text;
    int64_t points = 0, deduct = SMG_POINTS_NONE;
    unsigned roles = 0;
    smg_deadline due = { SMG_DEADLINE_NONE, 0 };
    int opts, idx;

    luaL_checkstack(L, 20, NULL);
    id = text_at(&a, 2, 2, "id", 1, 0);
    opts = options_arg(L, 3, names, 0);
    idx = opt_push(L, opts, "points");
    if (lua_isnil(L, idx))
        luaL_argerror(L, 3, "points required");
    decimal_at(&a, idx, 3, "points", 2, &points);
    parent = opt_text(&a, opts, 3, "parent", 0);
    decimal_at(&a, opt_push(L, opts, "deduct"), 3, "deduct", 2, &deduct);
    idx = opt_push(L, opts, "roles");
    if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TTABLE) {
        int one = lua_type(L, idx) == LUA_TSTRING;
        lua_Integer k, n = one ? 1 : (lua_Integer)luaL_len(L, idx);
        for (k = 1; k <= n; k++) {
            const char *r;
            smg_role role;
            if (one)
                lua_pushvalue(L, idx);
            else
                lua_geti(L, idx, k);
            if (lua_type(L, -1) != LUA_TSTRING)
                arg_typeerror(L, 3, "roles", "a list of role names", lua_gettop(L));
            r = text_at(&a, lua_gettop(L), 3, "roles", 1, 0);
            if (r && smg_role_parse(&role, r))
                args_fail(&a,
                          "salesmgmt: %s: \"%s\" is not rep, leader, supervisor, manager or "
                          "director",
                          "roles", r);
            else if (r)
                roles |= SMG_ROLE_BIT(role);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, idx)) {
        arg_typeerror(L, 3, "roles", "table of role names or string", idx);
    }
    due_text = opt_text(&a, opts, 3, "due", 0);
    if (due_text && smg_deadline_parse(&due, due_text))
        args_fail(&a, "salesmgmt: %s: \"%s\" is not monthly:DD (1-31) or weekly:mon ... sun",
                  "due", due_text);
    if (a.failed)
        return call_fail(L, o, a.msg);
    {
        size_t from = errs_before(o);
        return ok_or_fail(L, o,
                          smg_scorecard_item_add(o->org, id, parent, points, deduct, roles,
                                                 &due),
                          from);
    }
}

/* ------------------------------------------------------------------ */
/* results: a box frees the C result if a Lua error unwinds the call    */

typedef struct box {
    void *p;
    void (*free_fn)(void *);
} box;

static int box_gc(lua_State *L)
{
    box *b = (box *)luaL_checkudata(L, 1, BOX_MT);
    if (b->p && b->free_fn)
        b->free_fn(b->p);
    b->p = NULL;
    return 0;
}

static box *new_box(lua_State *L, void (*free_fn)(void *))
{
    box *b = (box *)lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->free_fn = free_fn;
    luaL_setmetatable(L, BOX_MT);
    return b;
}

static void box_free(box *b)
{
    if (b->p && b->free_fn)
        b->free_fn(b->p);
    b->p = NULL;
}

#define FREE_ADAPTER(fn, T) \
    static void f_##fn(void *p) { fn((T *)p); }
FREE_ADAPTER(smg_attribution_free, smg_attribution)
FREE_ADAPTER(smg_kpi_report_free, smg_kpi_report)
FREE_ADAPTER(smg_targets_free, smg_targets)
FREE_ADAPTER(smg_tiers_free, smg_tiers)
FREE_ADAPTER(smg_visits_free, smg_visits)
FREE_ADAPTER(smg_pay_report_free, smg_pay_report)
FREE_ADAPTER(smg_scorecard_free, smg_scorecard)

/* ---- a result table, read generically ---- */

typedef size_t (*count_fn)(const void *r);
typedef int (*index_fn)(const void *r, size_t row, int f, size_t *out, int *is_null);
typedef int (*int_fn)(const void *r, size_t row, int f, int64_t *out, int *is_null);
typedef int (*double_fn)(const void *r, size_t row, int f, double *out, int *is_null);
typedef const char *(*name_fn)(int f);
typedef smg_type (*type_fn)(int f);
typedef int (*subject_fn)(const void *r, size_t row, smg_subject *out);

typedef struct key_rename {
    const char *from, *to;
} key_rename;

typedef struct table_desc {
    count_fn count;
    index_fn get_index;   /* NULL when the table has no INDEX field */
    int_fn get_int;
    double_fn get_double; /* NULL when the table has no DOUBLE field */
    name_fn field_name;
    type_fn field_type;
    subject_fn subject;   /* rows about a member/team/company: "subject" */
    int with_name;        /* and "name" (the member's or team's) */
    const key_rename *renames;
    /* INT fields that are money in some rows (targets: by the row's metric) */
    int (*int_is_money)(const void *r, size_t row, int f);
} table_desc;

#define COUNT_ADAPTER(fn, T) \
    static size_t a_##fn(const void *r) { return fn((const T *)r); }
#define GET_ADAPTER(fn, T, F, V) \
    static int a_##fn(const void *r, size_t row, int f, V *out, int *is_null) \
    { return fn((const T *)r, row, (F)f, out, is_null); }
#define NAME_ADAPTER(fn, F) \
    static const char *a_##fn(int f) { return fn((F)f); }
#define TYPE_ADAPTER(fn, F) \
    static smg_type a_##fn(int f) { return fn((F)f); }
#define SUBJECT_ADAPTER(fn, T) \
    static int a_##fn(const void *r, size_t row, smg_subject *out) \
    { return fn((const T *)r, row, out); }

COUNT_ADAPTER(smg_attribution_deal_count, smg_attribution)
GET_ADAPTER(smg_attribution_deal_index, smg_attribution, smg_deal_field, size_t)
GET_ADAPTER(smg_attribution_deal_int, smg_attribution, smg_deal_field, int64_t)
NAME_ADAPTER(smg_attribution_deal_field_name, smg_deal_field)
TYPE_ADAPTER(smg_attribution_deal_field_type, smg_deal_field)

COUNT_ADAPTER(smg_kpi_count, smg_kpi_report)
GET_ADAPTER(smg_kpi_int, smg_kpi_report, smg_kpi_field, int64_t)
GET_ADAPTER(smg_kpi_double, smg_kpi_report, smg_kpi_field, double)
NAME_ADAPTER(smg_kpi_field_name, smg_kpi_field)
TYPE_ADAPTER(smg_kpi_field_type, smg_kpi_field)
SUBJECT_ADAPTER(smg_kpi_subject, smg_kpi_report)

COUNT_ADAPTER(smg_targets_count, smg_targets)
GET_ADAPTER(smg_targets_int, smg_targets, smg_targets_field, int64_t)
NAME_ADAPTER(smg_targets_field_name, smg_targets_field)
TYPE_ADAPTER(smg_targets_field_type, smg_targets_field)
SUBJECT_ADAPTER(smg_targets_subject, smg_targets)

COUNT_ADAPTER(smg_tiers_count, smg_tiers)
GET_ADAPTER(smg_tiers_index, smg_tiers, smg_tiers_field, size_t)
GET_ADAPTER(smg_tiers_int, smg_tiers, smg_tiers_field, int64_t)
NAME_ADAPTER(smg_tiers_field_name, smg_tiers_field)
TYPE_ADAPTER(smg_tiers_field_type, smg_tiers_field)

COUNT_ADAPTER(smg_visits_count, smg_visits)
GET_ADAPTER(smg_visits_index, smg_visits, smg_visits_field, size_t)
GET_ADAPTER(smg_visits_int, smg_visits, smg_visits_field, int64_t)
NAME_ADAPTER(smg_visits_field_name, smg_visits_field)
TYPE_ADAPTER(smg_visits_field_type, smg_visits_field)

COUNT_ADAPTER(smg_pay_count, smg_pay_report)
GET_ADAPTER(smg_pay_index, smg_pay_report, smg_pay_field, size_t)
GET_ADAPTER(smg_pay_int, smg_pay_report, smg_pay_field, int64_t)
GET_ADAPTER(smg_pay_double, smg_pay_report, smg_pay_field, double)
NAME_ADAPTER(smg_pay_field_name, smg_pay_field)
TYPE_ADAPTER(smg_pay_field_type, smg_pay_field)

COUNT_ADAPTER(smg_scorecard_member_count, smg_scorecard)
GET_ADAPTER(smg_scorecard_member_index, smg_scorecard, smg_scorecard_member_field, size_t)
GET_ADAPTER(smg_scorecard_member_int, smg_scorecard, smg_scorecard_member_field, int64_t)
GET_ADAPTER(smg_scorecard_member_double, smg_scorecard, smg_scorecard_member_field, double)
NAME_ADAPTER(smg_scorecard_member_field_name, smg_scorecard_member_field)
TYPE_ADAPTER(smg_scorecard_member_field_type, smg_scorecard_member_field)

COUNT_ADAPTER(smg_scorecard_line_count, smg_scorecard)
GET_ADAPTER(smg_scorecard_line_index, smg_scorecard, smg_scorecard_line_field, size_t)
GET_ADAPTER(smg_scorecard_line_int, smg_scorecard, smg_scorecard_line_field, int64_t)
GET_ADAPTER(smg_scorecard_line_double, smg_scorecard, smg_scorecard_line_field, double)
NAME_ADAPTER(smg_scorecard_line_field_name, smg_scorecard_line_field)
TYPE_ADAPTER(smg_scorecard_line_field_type, smg_scorecard_line_field)


static int targets_int_is_money(const void *r, size_t row, int f)
{
    int64_t m = 0;
    if (f == SMG_TARGETS_METRIC ||
        smg_targets_int((const smg_targets *)r, row, SMG_TARGETS_METRIC, &m, NULL))
        return 0;
    return smg_metric_is_money((smg_metric)m);
}

/* the attribute command's key for the deal's id */
static const key_rename deal_renames[] = { { "deal", "ref" }, { NULL, NULL } };

static const table_desc deal_table = {
    a_smg_attribution_deal_count, a_smg_attribution_deal_index, a_smg_attribution_deal_int,
    NULL, a_smg_attribution_deal_field_name, a_smg_attribution_deal_field_type, NULL, 0,
    deal_renames, NULL,
};
static const table_desc kpi_table = {
    a_smg_kpi_count, NULL, a_smg_kpi_int, a_smg_kpi_double, a_smg_kpi_field_name,
    a_smg_kpi_field_type, a_smg_kpi_subject, 1, NULL, NULL,
};
static const table_desc targets_table = {
    a_smg_targets_count, NULL, a_smg_targets_int, NULL, a_smg_targets_field_name,
    a_smg_targets_field_type, a_smg_targets_subject, 1, NULL, targets_int_is_money,
};
static const table_desc tiers_table = {
    a_smg_tiers_count, a_smg_tiers_index, a_smg_tiers_int, NULL, a_smg_tiers_field_name,
    a_smg_tiers_field_type, NULL, 0, NULL, NULL,
};
static const table_desc visits_table = {
    a_smg_visits_count, a_smg_visits_index, a_smg_visits_int, NULL, a_smg_visits_field_name,
    a_smg_visits_field_type, NULL, 0, NULL, NULL,
};
static const table_desc pay_table = {
    a_smg_pay_count, a_smg_pay_index, a_smg_pay_int, a_smg_pay_double, a_smg_pay_field_name,
    a_smg_pay_field_type, NULL, 0, NULL, NULL,
};
static const table_desc scorecard_member_table = {
    a_smg_scorecard_member_count, a_smg_scorecard_member_index, a_smg_scorecard_member_int,
    a_smg_scorecard_member_double, a_smg_scorecard_member_field_name,
    a_smg_scorecard_member_field_type, NULL, 0, NULL, NULL,
};
static const table_desc scorecard_line_table = {
    a_smg_scorecard_line_count, a_smg_scorecard_line_index, a_smg_scorecard_line_int,
    a_smg_scorecard_line_double, a_smg_scorecard_line_field_name,
    a_smg_scorecard_line_field_type, NULL, 0, NULL, NULL,
};

/* What an INDEX field refers to, by its JSON key (the keys are the same in
 * every table: docs/API.md). */
enum ref {
    REF_NONE, REF_MEMBER, REF_TEAM, REF_CUSTOMER, REF_KEY, REF_DEAL, REF_EVENT, REF_ITEM
};

static enum ref index_ref(const char *name)
{
    static const struct {
        const char *name;
        enum ref ref;
    } refs[] = {
        { "member", REF_MEMBER },     { "closer", REF_MEMBER },   { "credited", REF_MEMBER },
        { "protector", REF_MEMBER },  { "other", REF_MEMBER },    { "expected", REF_MEMBER },
        { "leader", REF_MEMBER },     { "team", REF_TEAM },       { "parent", REF_TEAM },
        { "customer", REF_CUSTOMER }, { "duplicate_of", REF_CUSTOMER },
        { "key", REF_KEY },           { "deal", REF_DEAL },       { "event", REF_EVENT },
        { "item", REF_ITEM },
    };
    size_t i;
    if (strncmp(name, "ev_", 3) == 0)
        return REF_EVENT;
    for (i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (strcmp(name, refs[i].name) == 0)
            return refs[i].ref;
    return REF_NONE;
}

/* The name of an ENUM field's value, by the field's JSON key; NULL when
 * unknown (the value is then given as an integer). */
static const char *enum_text(const char *field, int64_t v)
{
    if (strcmp(field, "reason") == 0)
        return smg_reason_name((smg_reason)v);
    if (strcmp(field, "tier") == 0)
        return smg_tier_name((smg_tier)v, NULL);
    if (strcmp(field, "metric") == 0)
        return smg_metric_name((smg_metric)v);
    if (strcmp(field, "role") == 0)
        return smg_role_name((smg_role)v);
    if (strcmp(field, "type") == 0)
        return smg_event_type_name((smg_event_type)v);
    if (strcmp(field, "channel") == 0)
        return smg_channel_name((smg_channel)v);
    if (strcmp(field, "outcome") == 0)
        return smg_outcome_name((smg_outcome)v);
    if (strcmp(field, "source") == 0 || strcmp(field, "work_score_source") == 0)
        return smg_score_source_name((smg_score_source)v);
    return NULL;
}

static const char *out_key(const table_desc *td, const char *name)
{
    const key_rename *r;
    for (r = td->renames; r && r->from; r++)
        if (strcmp(r->from, name) == 0)
            return r->to;
    return name;
}

/* row[key] = money text, row[key.."_minor"] = minor units */
static void set_money(lua_State *L, const char *key, int64_t v)
{
    char buf[32];
    if (smg_money_format(buf, sizeof buf, v) < 0)
        return;
    lua_pushstring(L, buf);
    lua_setfield(L, -2, key);
    lua_pushinteger(L, (lua_Integer)v);
    lua_pushfstring(L, "%s_minor", key);
    lua_insert(L, -2);
    lua_settable(L, -3);
}

/* The field whose key is @p name followed by "_x100" (a score's exact
 * hundredths), or -1. */
static int x100_field(const table_desc *td, const char *name)
{
    char want[80];
    const char *s;
    int f;
    if (snprintf(want, sizeof want, "%s_x100", name) >= (int)sizeof want)
        return -1;
    for (f = 0; (s = td->field_name(f)) != NULL; f++)
        if (strcmp(s, want) == 0 && td->field_type(f) == SMG_TYPE_INT)
            return f;
    return -1;
}

/* Field @p f of row @p row into the table on top of the stack (absent when
 * null). @return 0, or a status of the getter */
static int set_field(lua_State *L, const smg_org *org, const table_desc *td, const void *r,
                     size_t row, int f)
{
    const char *name = td->field_name(f);
    const char *key = out_key(td, name);
    smg_type type = td->field_type(f);
    int is_null = 1, rc;
    char buf[32];

    if (type == SMG_TYPE_INDEX) {
        size_t v = 0;
        const char *s = NULL;
        if (!td->get_index)
            return SMG_EINVAL;
        if ((rc = td->get_index(r, row, f, &v, &is_null)))
            return rc;
        if (is_null)
            return 0;
        switch (index_ref(name)) {
        case REF_MEMBER: s = smg_member_id(org, v); break;
        case REF_TEAM: s = smg_team_id(org, v); break;
        case REF_CUSTOMER: s = smg_customer_id(org, v); break;
        case REF_KEY: s = smg_key_text(org, v); break;
        case REF_DEAL: s = smg_deal_id(org, v); break;
        case REF_ITEM: s = smg_scorecard_item_id(org, v); break;
        case REF_EVENT: {
            /* a log position: the event's input position (its row in
             * events.csv less the header), as the command prints it */
            int64_t seq = 0;
            if ((rc = smg_event_int(org, v, SMG_EVENT_SEQ, &seq, NULL)))
                return rc;
            lua_pushinteger(L, (lua_Integer)seq);
            lua_setfield(L, -2, key);
            return 0;
        }
        default:
            lua_pushinteger(L, (lua_Integer)v);
            lua_setfield(L, -2, key);
            return 0;
        }
        if (!s)
            return SMG_EINVAL;
        lua_pushstring(L, s);
        lua_setfield(L, -2, key);
        return 0;
    }
    if (type == SMG_TYPE_DOUBLE) {
        double v = 0;
        int h = x100_field(td, name);
        if (h >= 0) { /* a score: its exact hundredths, as the command prints it */
            int64_t x = 0;
            if ((rc = td->get_int(r, row, h, &x, &is_null)))
                return rc;
            v = (double)x / 100.0;
        } else {
            if (!td->get_double)
                return SMG_EINVAL;
            if ((rc = td->get_double(r, row, f, &v, &is_null)))
                return rc;
        }
        if (!is_null) {
            lua_pushnumber(L, (lua_Number)v);
            lua_setfield(L, -2, key);
        }
        return 0;
    }
    {
        int64_t v = 0;
        if ((rc = td->get_int(r, row, f, &v, &is_null)))
            return rc;
        if (is_null)
            return 0;
        if (type == SMG_TYPE_INT && td->int_is_money && td->int_is_money(r, row, f))
            type = SMG_TYPE_MONEY;
        switch (type) {
        case SMG_TYPE_MONEY:
            set_money(L, key, v);
            return 0;
        case SMG_TYPE_DATE:
            if (v < INT32_MIN || v > INT32_MAX || smg_date_format(buf, sizeof buf, (smg_date)v) < 0)
                return SMG_ERANGE;
            lua_pushstring(L, buf);
            break;
        case SMG_TYPE_TIME:
            if (smg_time_format(buf, sizeof buf, (smg_time)v) < 0)
                return SMG_ERANGE;
            lua_pushstring(L, buf);
            break;
        case SMG_TYPE_BOOL:
            lua_pushboolean(L, v != 0);
            break;
        case SMG_TYPE_ENUM: {
            const char *s = enum_text(name, v);
            if (s)
                lua_pushstring(L, s);
            else
                lua_pushinteger(L, (lua_Integer)v);
            break;
        }
        default:
            lua_pushinteger(L, (lua_Integer)v);
            break;
        }
        lua_setfield(L, -2, key);
        return 0;
    }
}

/* Push the rows of @p r as an array of tables. @return 0 or a status */
static int push_rows(lua_State *L, const smg_org *org, const table_desc *td, const void *r)
{
    size_t i, n = td->count(r);
    int nf, f, rc;
    luaL_checkstack(L, 10, NULL);
    for (nf = 0; td->field_name(nf); nf++)
        ;
    lua_createtable(L, n > INT32_MAX ? INT32_MAX : (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, nf + 4);
        if (td->subject) {
            smg_subject s;
            char buf[160];
            if ((rc = td->subject(r, i, &s)) || (rc = smg_subject_format(buf, sizeof buf, org, &s)) < 0) {
                lua_pop(L, 2);
                return rc ? rc : SMG_EINVAL;
            }
            lua_pushstring(L, buf);
            lua_setfield(L, -2, "subject");
            if (td->with_name) {
                const char *name = s.kind == SMG_SUBJECT_MEMBER ? smg_member_name(org, s.index)
                                   : s.kind == SMG_SUBJECT_TEAM ? smg_team_name(org, s.index)
                                                                : NULL;
                if (name) {
                    lua_pushstring(L, name);
                    lua_setfield(L, -2, "name");
                }
            }
        }
        for (f = 0; f < nf; f++)
            if ((rc = set_field(L, org, td, r, i, f))) {
                lua_pop(L, 2);
                return rc;
            }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 0;
}

/* The rows of the result in box @p b, or nil, msg, errors; frees the result. */
static int finish_rows(lua_State *L, const smg_org *org, const table_desc *td, box *b)
{
    int rc = push_rows(L, org, td, b->p);
    box_free(b);
    if (rc)
        return push_fail(L, "salesmgmt: a result could not be read (the org changed?)");
    return 1;
}

/* ------------------------------------------------------------------ */
/* engines                                                             */

/* org:attribution{as_member = ID} -> the `deals` of `salesmgmt attribute`:
 * ref, closer, credited (absent: the company), reason, customer, key, day,
 * amount (+ amount_minor), protector, ev_deal, ev_registration, ev_contact,
 * ev_claim, ev_override (input positions). */
static int org_attribution(lua_State *L)
{
    static const char *const names[] = { "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_attribution_options opt = SMG_ATTRIBUTION_OPTIONS_INIT;
    smg_attribution *res = NULL;
    int opts, rc;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 1);
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: attribution: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_attribution_free);
    if ((rc = smg_attribution_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    return finish_rows(L, o->org, &deal_table, b);
}

/* org:kpi{period = P, by = "member" | "team" | "all", as_member = ID} -> rows
 * as `salesmgmt kpi --format json`: subject, name (absent for the company),
 * every KPI key. */
static int org_kpi(lua_State *L)
{
    static const char *const names[] = { "period", "by", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_kpi_options opt = SMG_KPI_OPTIONS_INIT;
    smg_kpi_report *res = NULL;
    const char *by;
    int opts, rc;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    opt_period(&a, opts, 2, "period", &opt.period);
    by = opt_text(&a, opts, 2, "by", 0);
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (!by || strcmp(by, "member") == 0)
        opt.rows = SMG_ROWS_MEMBERS;
    else if (strcmp(by, "team") == 0)
        opt.rows = SMG_ROWS_TEAMS;
    else if (strcmp(by, "all") == 0)
        opt.rows = SMG_ROWS_ALL;
    else
        args_fail(&a, "salesmgmt: %s: \"%s\" is not member, team or all", "by", by);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: kpi: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_kpi_report_free);
    if ((rc = smg_kpi_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    return finish_rows(L, o->org, &kpi_table, b);
}

/* org:targets{period = P, as_member = ID} -> rows as `salesmgmt targets`:
 * subject, name, metric, target, children_sum, gap (money metrics as money,
 * counts as integers; a member's row has no split keys). */
static int org_targets(lua_State *L)
{
    static const char *const names[] = { "period", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_targets_options opt = SMG_TARGETS_OPTIONS_INIT;
    smg_targets *res = NULL;
    int opts, rc;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    opt_period(&a, opts, 2, "period", &opt.period);
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: targets: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_targets_free);
    if ((rc = smg_targets_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    return finish_rows(L, o->org, &targets_table, b);
}

/* org:tiers{year = 2026 | as_of = DAY, method = "threshold" | "pareto",
 * as_member = ID} -> rows (customer, annual_sales, tier), {from = DAY,
 * to = DAY, method = M}: the `customers` and `window` of `salesmgmt tiers`. */
static int org_tiers(lua_State *L)
{
    static const char *const names[] = { "year", "as_of", "method", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_tiers_options opt = SMG_TIERS_OPTIONS_INIT;
    smg_tiers *res = NULL;
    smg_tier_method used = SMG_TIER_METHOD_THRESHOLD;
    smg_period w;
    smg_date as_of = SMG_DATE_NONE;
    int opts, yidx, aidx, rc, n;
    char buf[16];
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    yidx = opt_push(L, opts, "year");
    aidx = opt_push(L, opts, "as_of");
    if (lua_isnil(L, yidx) == lua_isnil(L, aidx))
        luaL_argerror(L, 2, "give exactly one of year and as_of");
    if (!lua_isnil(L, yidx)) {
        lua_Integer y;
        if (!lua_isinteger(L, yidx))
            arg_typeerror(L, 2, "year", "integer", yidx);
        y = lua_tointeger(L, yidx);
        if (y < 1 || y > 9999 || smg_period_year(&opt.window, (int)y))
            args_fail(&a, "salesmgmt: %s: not a year 1-9999%s", "year", NULL);
    } else {
        const char *s = text_at(&a, aidx, 2, "as_of", 1, 0);
        if (s && (smg_date_parse(&as_of, s) || smg_tiers_window_as_of(&opt.window, as_of)))
            args_fail(&a, "salesmgmt: %s: \"%s\" is not a date (YYYY-MM-DD)", "as_of", s);
    }
    opt.method = opt_method(&a, opts, 2);
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: tiers: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_tiers_free);
    if ((rc = smg_tiers_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    smg_tiers_window(res, &w);
    smg_tiers_method(res, &used);
    if ((n = finish_rows(L, o->org, &tiers_table, b)) != 1)
        return n;
    lua_createtable(L, 0, 3);
    if (smg_date_format(buf, sizeof buf, w.from) > 0) {
        lua_pushstring(L, buf);
        lua_setfield(L, -2, "from");
    }
    if (smg_date_format(buf, sizeof buf, w.to) > 0) {
        lua_pushstring(L, buf);
        lua_setfield(L, -2, "to");
    }
    lua_pushstring(L, used == SMG_TIER_METHOD_PARETO ? "pareto" : "threshold");
    lua_setfield(L, -2, "method");
    return 2;
}

/* org:visits{as_of = DAY, method = M, as_member = ID} -> rows as `salesmgmt
 * visits`: customer, tier, last_visit (absent: never), due, overdue,
 * member (absent: nobody). */
static int org_visits(lua_State *L)
{
    static const char *const names[] = { "as_of", "method", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_visits_options opt = SMG_VISITS_OPTIONS_INIT;
    smg_visits *res = NULL;
    int opts, rc;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    opt_date(&a, opts, 2, "as_of", 1, &opt.as_of);
    opt.method = opt_method(&a, opts, 2);
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: visits: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_visits_free);
    if ((rc = smg_visits_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    return finish_rows(L, o->org, &visits_table, b);
}

/* org:pay{period = "YYYY-MM", as_member = ID} -> rows as `salesmgmt pay`:
 * member, the scores (numbers, two decimals), completion_rate, the pay
 * lines (money), and the report's other fields (pay_total, sales_amount,
 * target_amount, days_absent, annual_score, work_score_source ("given",
 * "scorecard" or "none"), *_x100). */
static int org_pay(lua_State *L)
{
    static const char *const names[] = { "period", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_pay_options opt = SMG_PAY_OPTIONS_INIT;
    smg_pay_report *res = NULL;
    int opts, rc;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    if (opt_period(&a, opts, 2, "period", &opt.month) && opt.month.kind != SMG_PERIOD_MONTH)
        args_fail(&a, "salesmgmt: %s: \"%s\" is not a month (YYYY-MM)", "period",
                  lua_tostring(L, -1));
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: pay: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_pay_report_free);
    if ((rc = smg_pay_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    return finish_rows(L, o->org, &pay_table, b);
}

/* org:scorecard{period = "YYYY-MM", as_member = ID} -> the `members` of
 * `salesmgmt scorecard --format json`: member, work_score (two decimals),
 * source ("given", "scorecard" or "none"), items (every item that applies,
 * parents first: item, score, faults, doubled, and missed, depth,
 * score_x100; empty when the scorecard does not score the member), and
 * the member table's other fields (scorecard_score, absent when the
 * scorecard does not score the member; *_x100). */
static int org_scorecard(lua_State *L)
{
    static const char *const names[] = { "period", "as_member", NULL };
    lorg *o = check_org(L, 1);
    args a = { L, 0, "" };
    smg_scorecard_options opt = SMG_SCORECARD_OPTIONS_INIT;
    smg_scorecard *res = NULL;
    int opts, rc, members = 0, lines;
    lua_Integer i, n;
    box *b;

    luaL_checkstack(L, 20, NULL);
    opts = options_arg(L, 2, names, 0);
    if (opt_period(&a, opts, 2, "period", &opt.month) && opt.month.kind != SMG_PERIOD_MONTH)
        args_fail(&a, "salesmgmt: %s: \"%s\" is not a month (YYYY-MM)", "period",
                  lua_tostring(L, -1));
    opt.as_member = opt_text(&a, opts, 2, "as_member", 0);
    if (o->in_batch)
        return push_fail(L, "salesmgmt: scorecard: a batch is open; commit it first");
    if (a.failed)
        return push_fail(L, a.msg);
    b = new_box(L, f_smg_scorecard_free);
    if ((rc = smg_scorecard_compute(&res, o->org, &opt)))
        return push_org_fail(L, o->org, rc, 0);
    b->p = res;
    if ((rc = push_rows(L, o->org, &scorecard_member_table, res)) == 0) {
        members = lua_gettop(L);
        if ((rc = push_rows(L, o->org, &scorecard_line_table, res)))
            lua_pop(L, 1);
    }
    box_free(b);
    if (rc)
        return push_fail(L, "salesmgmt: a result could not be read (the org changed?)");
    /* each member's rows of the lines table, nested as "items" */
    lines = lua_gettop(L);
    n = (lua_Integer)luaL_len(L, members);
    for (i = 1; i <= n; i++) {
        lua_Integer first, k, count;
        lua_geti(L, members, i);
        lua_getfield(L, -1, "first_line");
        lua_getfield(L, -2, "lines");
        first = lua_tointeger(L, -2);
        count = lua_tointeger(L, -1);
        lua_pop(L, 2);
        lua_pushnil(L);
        lua_setfield(L, -2, "first_line");
        lua_pushnil(L);
        lua_setfield(L, -2, "lines");
        lua_createtable(L, count > INT32_MAX ? 0 : (int)count, 0);
        for (k = 0; k < count; k++) {
            lua_geti(L, lines, first + k + 1);
            lua_pushnil(L);
            lua_setfield(L, -2, "member");
            lua_rawseti(L, -2, k + 1);
        }
        lua_setfield(L, -2, "items");
        lua_pop(L, 1);
    }
    lua_settop(L, members);
    return 1;
}

/* ------------------------------------------------------------------ */

static const luaL_Reg org_methods[] = {
    { "close", org_close },           { "batch", org_batch },
    { "add_team", org_add_team },     { "set_leader", org_set_leader },
    { "add_member", org_add_member }, { "add_customer", org_add_customer },
    { "add_event", org_add_event },   { "add_profile", org_add_profile },
    { "add_target", org_add_target }, { "add_commission", org_add_commission },
    { "add_scorecard_item", org_add_scorecard_item },
    { "attribution", org_attribution },
    { "kpi", org_kpi },               { "targets", org_targets },
    { "tiers", org_tiers },           { "visits", org_visits },
    { "pay", org_pay },               { "scorecard", org_scorecard },
    { NULL, NULL },
};

static const luaL_Reg org_meta[] = {
    { "__gc", org_gc },
    { "__close", org_close },
    { "__tostring", org_tostring },
    { NULL, NULL },
};

static const luaL_Reg functions[] = {
    { "load", l_load },
    { "org", l_org },
    { NULL, NULL },
};

LUAMOD_API int luaopen_salesmgmt(lua_State *L)
{
    luaL_checkversion(L);
    if (luaL_newmetatable(L, ORG_MT)) {
        luaL_setfuncs(L, org_meta, 0);
        luaL_newlib(L, org_methods);
        lua_setfield(L, -2, "__index");
        lua_pushliteral(L, "salesmgmt.org");
        lua_setfield(L, -2, "__name");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, BOX_MT)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    lua_pushstring(L, smg_version_string());
    lua_setfield(L, -2, "version");
    lua_pushliteral(L, "salesmgmt (Lua binding of libsalesmgmt)");
    lua_setfield(L, -2, "_DESCRIPTION");
    return 1;
}
