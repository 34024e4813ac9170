-- Tests of the Lua binding (bindings/lua/salesmgmt.c), run by meson (suite
-- 'lua'):
--
--   LUA_CPATH="build/bindings/lua/?.so" lua5.4 tests/lua/test_binding.lua \
--       build/src/cli/salesmgmt examples/data build/tools/gen/salesmgmt-gen
--
-- Every result is compared with the command's JSON (`salesmgmt ... --format
-- json`) on the bundled sample and on a generated dataset: for every row
-- and every key the command prints, the same value (money text and its
-- minor units, rates as the command prints them, dates, ids, counts,
-- booleans; null = an absent key), and no key the command does not print
-- except the documented extras. Then every error path: bad folders and bad
-- data (the errors table against `salesmgmt check`), closed orgs, <close>,
-- wrong types, NUL bytes and invalid UTF-8, bad policies, batches.
local smg = require "salesmgmt"

local CLI, SAMPLE, GEN = arg[1], arg[2], arg[3]
assert(CLI and SAMPLE and GEN, "usage: test_binding.lua SALESMGMT SAMPLE_DIR SALESMGMT_GEN")
local HERE = (arg[0]:match("^(.*)/[^/]*$") or ".")
local BAD = HERE .. "/../data/bad"

-- ---------------------------------------------------------------- harness
local passed, failed = 0, 0
local only = os.getenv("SMG_TEST_ONLY") -- a pattern: run only the tests it matches

local function test(name, fn)
    if only and not name:find(only) then return end
    local ok, err = xpcall(fn, debug.traceback)
    if ok then
        passed = passed + 1
        print("ok - " .. name)
    else
        failed = failed + 1
        print("not ok - " .. name)
        print("  " .. tostring(err):gsub("\n", "\n  "))
    end
end

local function fmt(v)
    if type(v) == "string" then return string.format("%q", v) end
    return tostring(v)
end

local function eq(got, want, what)
    if got ~= want then
        error(("%s: got %s, want %s"):format(what or "value", fmt(got), fmt(want)), 2)
    end
end

-- f(...) must raise an error whose message contains `pattern` (plain text)
local function raises(pattern, f, ...)
    local ok, err = pcall(f, ...)
    if ok then error("no error raised; expected: " .. pattern, 2) end
    if not tostring(err):find(pattern, 1, true) then
        error(("error %q does not contain %q"):format(tostring(err), pattern), 2)
    end
end

-- f(...) must return nil, message (containing `pattern`), errors (a table)
local function fails(pattern, ...)
    local v, msg, errors = ...
    if v ~= nil then error(("expected nil, %q; got %s"):format(pattern, fmt(v)), 2) end
    if type(msg) ~= "string" or not msg:find(pattern, 1, true) then
        error(("message %s does not contain %q"):format(fmt(msg), pattern), 2)
    end
    if type(errors) ~= "table" or #errors < 1 then
        error("the third value is not a table of errors", 2)
    end
    return msg, errors
end

local function shell_quote(s)
    return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- run the command; returns its standard output, its exit status, and the
-- lines of its standard error
local errfile = os.tmpname()
local function run(...)
    local words = {}
    for i, a in ipairs({ ... }) do words[i] = shell_quote(a) end
    local p = assert(io.popen(table.concat(words, " ") .. " 2>" .. shell_quote(errfile)))
    local out = p:read("a")
    local _, _, code = p:close()
    local lines = {}
    for line in io.lines(errfile) do lines[#lines + 1] = line end
    return out, code, lines
end

-- ---------------------------------------------------------------- JSON
-- A small decoder for the command's output: objects, arrays, strings
-- (\uXXXX escapes and surrogate pairs), numbers (kept as their text, so
-- that they are compared exactly as printed), true, false, null (NULL).
local NULL = setmetatable({}, { __tostring = function() return "null" end })
local NUM = {}
NUM.__index = NUM
NUM.__tostring = function(n) return n.raw end

local function json_decode(s)
    local pos = 1
    local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
    local function err(what) error(("JSON: %s at byte %d"):format(what, pos), 0) end
    local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f",
                      n = "\n", r = "\r", t = "\t" }
    local value
    local function hex4()
        local h = s:match("^%x%x%x%x", pos)
        if not h then err("bad \\u escape") end
        pos = pos + 4
        return tonumber(h, 16)
    end
    local function str()
        local out = {}
        pos = pos + 1
        while true do
            local j = s:find('["\\]', pos)
            if not j then err("unterminated string") end
            out[#out + 1] = s:sub(pos, j - 1)
            pos = j
            if s:sub(j, j) == '"' then pos = j + 1 break end
            local e = s:sub(j + 1, j + 1)
            pos = j + 2
            if e == "u" then
                local cp = hex4()
                if cp >= 0xD800 and cp <= 0xDBFF and s:sub(pos, pos + 1) == "\\u" then
                    pos = pos + 2
                    cp = 0x10000 + (cp - 0xD800) * 0x400 + (hex4() - 0xDC00)
                end
                out[#out + 1] = utf8.char(cp)
            elseif escapes[e] then
                out[#out + 1] = escapes[e]
            else
                err("bad escape")
            end
        end
        return table.concat(out)
    end
    function value()
        ws()
        local c = s:sub(pos, pos)
        if c == "{" then
            local obj = {}
            pos = pos + 1
            ws()
            if s:sub(pos, pos) == "}" then pos = pos + 1 return obj end
            while true do
                ws()
                if s:sub(pos, pos) ~= '"' then err("key expected") end
                local k = str()
                ws()
                if s:sub(pos, pos) ~= ":" then err("':' expected") end
                pos = pos + 1
                obj[k] = value()
                ws()
                local d = s:sub(pos, pos)
                pos = pos + 1
                if d == "}" then return obj end
                if d ~= "," then err("',' or '}' expected") end
            end
        elseif c == "[" then
            local arr = {}
            pos = pos + 1
            ws()
            if s:sub(pos, pos) == "]" then pos = pos + 1 return arr end
            while true do
                arr[#arr + 1] = value()
                ws()
                local d = s:sub(pos, pos)
                pos = pos + 1
                if d == "]" then return arr end
                if d ~= "," then err("',' or ']' expected") end
            end
        elseif c == '"' then
            return str()
        elseif s:find("^true", pos) then
            pos = pos + 4
            return true
        elseif s:find("^false", pos) then
            pos = pos + 5
            return false
        elseif s:find("^null", pos) then
            pos = pos + 4
            return NULL
        else
            local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
            if not num or num == "" or num == "-" then err("value expected") end
            pos = pos + #num
            return setmetatable({ raw = num }, NUM)
        end
    end
    local v = value()
    ws()
    if pos <= #s then err("trailing text") end
    return v
end

-- {event id = input position} of a dataset's events.csv (one line a row,
-- no quoted commas, as the generator writes them)
local IDS = {}
local function event_ids(dir)
    if IDS[dir] then return IDS[dir] end
    local ids, col, pos = {}, nil, -1
    local f = io.open(dir .. "/events.csv")
    if f then
        for line in f:lines() do
            local fields = {}
            for x in (line .. ","):gmatch("([^,]*),") do fields[#fields + 1] = x end
            if pos < 0 then
                for i, name in ipairs(fields) do if name == "id" then col = i end end
            elseif col and fields[col] and fields[col] ~= "" then
                ids[fields[col]] = pos
            end
            pos = pos + 1
        end
        f:close()
    end
    IDS[dir] = ids
    return ids
end

-- the command's JSON for these arguments (it must succeed)
-- The command's JSON in the binding's terms: an event the command names
-- "events.csv:LINE" (these datasets' events have one line a row) is input
-- position LINE - 2, and one it names by its id (RULES.md §8) that of the
-- id; the lines that reconcile the company with its top teams in `kpi --by
-- team` (subjects "company:...") are the command's.
local function cli_as_binding(v, ids)
    if type(v) ~= "table" or getmetatable(v) then return v end -- NUM, NULL
    local out = {}
    if #v > 0 then
        for _, x in ipairs(v) do
            if not (type(x) == "table" and type(x.subject) == "string"
                    and x.subject:find("^company:")) then
                out[#out + 1] = cli_as_binding(x, ids)
            end
        end
        return out
    end
    for k, x in pairs(v) do
        if type(k) == "string" and (k == "event" or k:find("^ev_")) and type(x) == "string" then
            local line = x:match("^events%.csv:(%d+)$")
            if line then
                x = setmetatable({ raw = tostring(tonumber(line) - 2) }, NUM)
            elseif ids and ids[x] then
                x = setmetatable({ raw = tostring(ids[x]) }, NUM)
            end
        end
        out[k] = cli_as_binding(x, ids)
    end
    return out
end

local function cli_json(...)
    local out, code, errs = run(CLI, ...)
    if code ~= 0 then
        error(("salesmgmt %s: exit %s: %s"):format(table.concat({ ... }, " "), tostring(code),
            table.concat(errs, " | ")), 2)
    end
    return cli_as_binding(json_decode(out), event_ids((select(2, ...))))
end

-- ---------------------------------------------------------------- CSV
-- RFC 4180, for reading the datasets back in the tests
local function csv_read(path)
    local f = io.open(path, "rb")
    if not f then return nil end
    local text = f:read("a")
    f:close()
    text = text:gsub("^\239\187\191", "")
    local rows, row, field, i, n = {}, {}, {}, 1, #text
    local quoted = false
    while i <= n do
        local c = text:sub(i, i)
        if quoted then
            if c == '"' then
                if text:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"' i = i + 1
                else quoted = false end
            else
                field[#field + 1] = c
            end
        elseif c == '"' then
            quoted = true
        elseif c == "," then
            row[#row + 1] = table.concat(field) field = {}
        elseif c == "\n" or c == "\r" then
            if c == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
            row[#row + 1] = table.concat(field) field = {}
            rows[#rows + 1] = row row = {}
        else
            local j = text:find('[",\r\n]', i) or n + 1
            field[#field + 1] = text:sub(i, j - 1)
            i = j - 1
        end
        i = i + 1
    end
    if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field) rows[#rows + 1] = row end
    local header = table.remove(rows, 1) or {}
    local out = {}
    for r, cells in ipairs(rows) do
        local rec = {}
        for k, name in ipairs(header) do
            local v = cells[k]
            if v ~= nil and v ~= "" then rec[name] = v end
        end
        out[r] = rec
    end
    return out
end

-- ---------------------------------------------------------------- comparison
local SCORE = { attendance_score = true, work_score = true, monthly_score = true, score = true }

-- the keys a result may have that the command does not print
local EXTRAS = {
    targets = { name = true },
    pay = { pay_total = true, sales_amount = true, target_amount = true, days_absent = true,
            annual_score = true, attendance_score_x100 = true, work_score_x100 = true,
            monthly_score_x100 = true, annual_score_x100 = true, work_score_source = true },
    -- a member of the scorecard (its items are compared on their own)
    scorecard = { work_score_x100 = true, scorecard_score = true, scorecard_score_x100 = true },
    scorecard_items = { score_x100 = true, missed = true, depth = true },
}

-- one value of the command against the binding's
local function same(key, cv, lv, lrow)
    if cv == NULL then return lv == nil end
    if type(cv) == "string" then
        if lv ~= cv then return false end
        if cv:match("^%-?%d+%.%d%d$") then -- money: the exact minor units too
            local minor = lrow[key .. "_minor"]
            return math.type(minor) == "integer" and tostring(minor) == cv:gsub("%.", ""):gsub("^(%-?)0+(%d)", "%1%2")
        end
        return true
    end
    if type(cv) == "boolean" then return lv == cv end
    if getmetatable(cv) == NUM then
        if math.type(lv) == "integer" then return tostring(lv) == cv.raw end
        if type(lv) ~= "number" then return false end
        if SCORE[key] then return string.format("%.2f", lv) == cv.raw end
        return string.format("%.10g", lv) == cv.raw -- the command prints rates with %.10g
    end
    return false
end

-- the rows of the command (`crows`) and of the binding (`lrows`) must be
-- the same, row by row and key by key
local compared_rows, compared_values = 0, 0
local function compare(what, crows, lrows, extras)
    extras = extras or {}
    if type(lrows) ~= "table" then error(what .. ": the binding returned " .. fmt(lrows), 2) end
    if #crows ~= #lrows then
        error(("%s: %d rows from the command, %d from the binding"):format(what, #crows, #lrows), 2)
    end
    for i, crow in ipairs(crows) do
        local lrow = lrows[i]
        compared_rows = compared_rows + 1
        for k, cv in pairs(crow) do
            compared_values = compared_values + 1
            if not same(k, cv, lrow[k], lrow) then
                error(("%s: row %d key %s: command %s, binding %s (%s_minor = %s)")
                    :format(what, i, k, tostring(cv), fmt(lrow[k]), k,
                        fmt(lrow[k .. "_minor"])), 2)
            end
        end
        for k in pairs(lrow) do
            local base = k:match("^(.*)_minor$")
            if crow[k] == nil and not extras[k] and not (base and (crow[base] ~= nil or extras[base])) then
                error(("%s: row %d: key %s (%s) is not in the command's output")
                    :format(what, i, k, fmt(lrow[k])), 2)
            end
        end
    end
    return #crows
end

-- the scorecard's members, then each member's items, against the command's
local function compare_scorecard(what, cmembers, lmembers)
    if type(lmembers) ~= "table" then error(what .. ": the binding returned " .. fmt(lmembers), 2) end
    local function flat(rows)
        local out = {}
        for i, row in ipairs(rows) do
            out[i] = {}
            for k, v in pairs(row) do
                if k ~= "items" then out[i][k] = v end
            end
        end
        return out
    end
    compare(what, flat(cmembers), flat(lmembers), EXTRAS.scorecard)
    for i, c in ipairs(cmembers) do
        local items = lmembers[i].items
        if type(items) ~= "table" then error(what .. ": " .. c.member .. ": no items", 2) end
        compare(what .. " " .. c.member .. " items", c.items, items, EXTRAS.scorecard_items)
        for _, item in ipairs(items) do
            eq(item.score, item.score_x100 / 100, "score = score_x100 / 100")
            assert(item.missed <= item.faults, "missed deadlines are faults")
        end
    end
    return #cmembers
end

-- every month from the first to the last of a dataset's events.csv
local function months_of(dir)
    local lo, hi
    for line in io.lines(dir .. "/events.csv") do
        local m = line:match("^(%d%d%d%d%-%d%d)")
        if m then
            if not lo or m < lo then lo = m end
            if not hi or m > hi then hi = m end
        end
    end
    local out = {}
    local y, m = tonumber(lo:sub(1, 4)), tonumber(lo:sub(6, 7))
    while ("%04d-%02d"):format(y, m) <= hi do
        out[#out + 1] = ("%04d-%02d"):format(y, m)
        if m == 12 then y, m = y + 1, 1 else m = m + 1 end
    end
    return out
end

-- the number of deals of a dataset (its deal events)
-- the deals of a dataset's events.csv but the cancelled ones (RULES.md §8:
-- a cancel names the id of the event it voids)
local function deals_of(dir)
    local n, header, cancelled, deal_ids = 0, nil, {}, {}
    for line in io.lines(dir .. "/events.csv") do
        local f = {}
        for x in (line .. ","):gmatch("([^,]*),") do f[#f + 1] = x end
        if not header then
            header = {}
            for i, name in ipairs(f) do header[name] = i end
        elseif f[header.type] == "deal" then
            n = n + 1
            if header.id and f[header.id] ~= "" then deal_ids[#deal_ids + 1] = f[header.id] end
        elseif f[header.type] == "cancel" then
            cancelled[f[header.ref]] = true
        end
    end
    for _, id in ipairs(deal_ids) do
        if cancelled[id] then n = n - 1 end
    end
    return n
end

-- deep equality of two results of the binding
local function deep_equal(a, b, path)
    path = path or "result"
    if type(a) ~= type(b) then error(("%s: %s vs %s"):format(path, fmt(a), fmt(b)), 0) end
    if type(a) ~= "table" then
        if a ~= b or math.type(a) ~= math.type(b) then
            error(("%s: %s vs %s"):format(path, fmt(a), fmt(b)), 0)
        end
        return
    end
    for k, v in pairs(a) do deep_equal(v, b[k], path .. "." .. tostring(k)) end
    for k in pairs(b) do
        if a[k] == nil then error(("%s.%s: absent vs %s"):format(path, k, fmt(b[k])), 0) end
    end
end

-- ---------------------------------------------------------------- datasets
local function tmpdir()
    local d = os.tmpname()
    os.remove(d)
    return d
end

local generated = tmpdir()
do
    local _, code, errs = run(GEN, "--out", generated, "--members", "30", "--customers", "500",
        "--events", "20000", "--seed", "3")
    assert(code == 0, "salesmgmt-gen failed: " .. table.concat(errs, " | "))
end

-- a rep, a leader and a manager of a dataset, from its members.csv
local function people(dir)
    local p = {}
    for _, m in ipairs(csv_read(dir .. "/members.csv")) do
        local role = m.role or "rep"
        p[role] = p[role] or m.member_id
    end
    return p
end

-- the checks of one dataset against the command
local function compare_dataset(label, dir, periods, months, years, days)
    local org <close> = assert(smg.load(dir))
    local who = people(dir)
    local as_list = { who.rep, who.leader, who.manager }

    test(label .. ": attribution = attribute --format json", function()
        compare("attribution", cli_json("attribute", dir, "--format", "json").deals,
            org:attribution())
        for _, m in ipairs(as_list) do
            compare("attribution as " .. m,
                cli_json("attribute", dir, "--as", m, "--format", "json").deals,
                org:attribution{ as_member = m })
        end
    end)

    test(label .. ": kpi = kpi --format json", function()
        for _, p in ipairs(periods) do
            local doc = cli_json("kpi", dir, "--period", p, "--format", "json")
            eq(doc.period, p, "period")
            compare("kpi " .. p, doc.rows, org:kpi{ period = p })
            compare("kpi " .. p .. " by member", doc.rows, org:kpi{ period = p, by = "member" })
            compare("kpi " .. p .. " by team",
                cli_json("kpi", dir, "--period", p, "--by", "team", "--format", "json").rows,
                org:kpi{ period = p, by = "team" })
        end
        local p = periods[1]
        for _, m in ipairs(as_list) do
            compare("kpi as " .. m,
                cli_json("kpi", dir, "--period", p, "--as", m, "--format", "json").rows,
                org:kpi{ period = p, as_member = m })
        end
        compare("kpi by team as " .. who.leader,
            cli_json("kpi", dir, "--period", p, "--by", "team", "--as", who.leader,
                "--format", "json").rows,
            org:kpi{ period = p, by = "team", as_member = who.leader })
        -- a rep may see no team: both refuse, with the library's message
        local _, code, errs = run(CLI, "kpi", dir, "--period", p, "--by", "team", "--as",
            who.rep, "--format", "json")
        eq(code, 2, "exit status")
        local msg = fails("may see no team", org:kpi{ period = p, by = "team", as_member = who.rep })
        eq(errs[1], "salesmgmt kpi: " .. msg, "the command's message")
    end)

    test(label .. ": targets = targets --format json", function()
        for _, p in ipairs(periods) do
            compare("targets " .. p,
                cli_json("targets", dir, "--period", p, "--format", "json").rows,
                org:targets{ period = p }, EXTRAS.targets)
        end
        for _, m in ipairs(as_list) do
            compare("targets as " .. m,
                cli_json("targets", dir, "--period", periods[1], "--as", m, "--format", "json").rows,
                org:targets{ period = periods[1], as_member = m }, EXTRAS.targets)
        end
    end)

    test(label .. ": tiers = tiers --format json", function()
        local function one(args, opts)
            local doc = cli_json("tiers", dir, table.unpack(args))
            local rows, window = org:tiers(opts)
            compare("tiers " .. table.concat(args, " "), doc.customers, rows)
            eq(window.from, doc.window.from, "window.from")
            eq(window.to, doc.window.to, "window.to")
        end
        for _, y in ipairs(years) do
            one({ "--year", tostring(y), "--format", "json" }, { year = y })
            one({ "--year", tostring(y), "--method", "pareto", "--format", "json" },
                { year = y, method = "pareto" })
        end
        for _, d in ipairs(days) do
            one({ "--as-of", d, "--format", "json" }, { as_of = d })
            one({ "--as-of", d, "--method", "threshold", "--format", "json" },
                { as_of = d, method = "threshold" })
        end
        one({ "--year", tostring(years[1]), "--as", who.rep, "--format", "json" },
            { year = years[1], as_member = who.rep })
        one({ "--as-of", days[1], "--as", who.leader, "--format", "json" },
            { as_of = days[1], as_member = who.leader })
        local _, w = org:tiers{ year = years[1] }
        eq(w.method, "threshold", "the method used (the policy's)")
    end)

    test(label .. ": visits = visits --format json", function()
        for _, d in ipairs(days) do
            local doc = cli_json("visits", dir, "--as-of", d, "--format", "json")
            eq(doc.as_of, d, "as_of")
            compare("visits " .. d, doc.customers, org:visits{ as_of = d })
        end
        for _, m in ipairs(as_list) do
            compare("visits as " .. m,
                cli_json("visits", dir, "--as-of", days[1], "--as", m, "--format", "json").customers,
                org:visits{ as_of = days[1], as_member = m })
        end
    end)

    test(label .. ": pay = pay --format json", function()
        for _, p in ipairs(months) do
            compare("pay " .. p, cli_json("pay", dir, "--period", p, "--format", "json").members,
                org:pay{ period = p }, EXTRAS.pay)
        end
        for _, m in ipairs(as_list) do
            compare("pay as " .. m,
                cli_json("pay", dir, "--period", months[1], "--as", m, "--format", "json").members,
                org:pay{ period = months[1], as_member = m }, EXTRAS.pay)
        end
        -- the extras are the report's own fields, consistent with the rest
        for _, row in ipairs(org:pay{ period = months[1] }) do
            eq(row.monthly_score, row.monthly_score_x100 / 100, "monthly_score")
            eq(math.type(row.days_absent), "integer", "days_absent")
            assert(row.work_score_source == "given" or row.work_score_source == "scorecard"
                or row.work_score_source == "none", fmt(row.work_score_source))
            if row.total then
                eq(row.total_minor, row.base_minor + row.completion_pay_minor + row.work_pay_minor
                    + row.overplan_bonus_minor + row.commission_minor, "total = the five lines")
            end
        end
    end)

    test(label .. ": scorecard = scorecard --format json, every month", function()
        local sources = {}
        local span = months_of(dir)
        assert(#span >= 12, "a year of events at least")
        for _, p in ipairs(span) do
            local doc = cli_json("scorecard", dir, "--period", p, "--format", "json")
            eq(doc.period, p, "period")
            local rows = org:scorecard{ period = p }
            compare_scorecard("scorecard " .. p, doc.members, rows)
            -- pay takes the same work score, and says where it came from
            local pay = org:pay{ period = p }
            eq(#pay, #rows, "pay rows")
            for i, r in ipairs(rows) do
                sources[r.source] = true
                eq(pay[i].member, r.member, "pay member")
                eq(pay[i].work_score, r.work_score, p .. " " .. r.member .. " work_score")
                eq(pay[i].work_score_source, r.source, p .. " " .. r.member .. " source")
                eq(r.work_score, r.work_score_x100 / 100, "work_score = work_score_x100 / 100")
            end
        end
        assert(sources.scorecard and sources.given, "both sources seen")
        for _, m in ipairs(as_list) do
            for _, p in ipairs(months) do
                compare_scorecard("scorecard " .. p .. " as " .. m,
                    cli_json("scorecard", dir, "--period", p, "--as", m, "--format", "json").members,
                    org:scorecard{ period = p, as_member = m })
            end
        end
        local mine = org:scorecard{ period = months[1], as_member = who.rep }
        eq(#mine, 1, "a rep sees their own row")
        eq(mine[1].member, who.rep, "the rep's row")
    end)
end

compare_dataset("sample", SAMPLE,
    { "2026-03", "2026-Q1", "2025", "2025-10-01..2025-10-15", "2026-W05", "2025-12" },
    { "2026-03", "2025-12", "2025-02" }, { 2025, 2026 }, { "2026-03-31", "2025-07-15" })
compare_dataset("generated", generated,
    { "2025-06", "2025-Q4", "2025", "2025-03-01..2025-03-31", "2025-W20" },
    { "2025-06", "2025-12" }, { 2025 }, { "2025-12-31", "2025-06-30" })

-- ---------------------------------------------------------------- policy
test("policy: a table or a file on top of policy.conf = --policy FILE", function()
    local file = os.tmpname()
    local f = assert(io.open(file, "w"))
    f:write("# a stricter office\nattribution.protect_days = 10\ntier.method = pareto\n")
    f:close()
    local want = cli_json("attribute", SAMPLE, "--policy", file, "--format", "json").deals
    local by_table <close> = assert(smg.load(SAMPLE, { policy = {
        ["attribution.protect_days"] = 10, ["tier.method"] = "pareto" } }))
    local by_file <close> = assert(smg.load(SAMPLE, { policy = file }))
    local plain <close> = assert(smg.load(SAMPLE))
    compare("attribution --policy", want, by_table:attribution())
    compare("attribution --policy", want, by_file:attribution())
    local tiers = cli_json("tiers", SAMPLE, "--year", "2025", "--policy", file, "--format", "json")
    compare("tiers --policy", tiers.customers, (by_table:tiers{ year = 2025 }))
    local _, w = by_file:tiers{ year = 2025 }
    eq(w.method, "pareto", "method from the policy file")
    -- method = "pareto" on the plain sample = the policy's tier.method = pareto
    compare("visits --policy", cli_json("visits", SAMPLE, "--as-of", "2026-03-31", "--policy", file,
        "--format", "json").customers, by_table:visits{ as_of = "2026-03-31" })
    local pareto = os.tmpname()
    f = assert(io.open(pareto, "w"))
    f:write("tier.method = pareto\n")
    f:close()
    compare("visits method = pareto", cli_json("visits", SAMPLE, "--as-of", "2026-03-31", "--policy",
        pareto, "--format", "json").customers, plain:visits{ as_of = "2026-03-31", method = "pareto" })
    compare("tiers method = pareto", tiers.customers, (plain:tiers{ year = 2025, method = "pareto" }))
    os.remove(pareto)
    -- and the policy changed something
    local differs = false
    for i, d in ipairs(plain:attribution()) do
        if d.reason ~= want[i].reason then differs = true end
    end
    assert(differs, "protect_days = 10 changed no reason on the sample")
    -- lists: one value each, in order; an empty list is "none"
    local period = "2026-01-01..2026-01-07"
    for _, case in ipairs({
        { "calendar.holiday = none\n", {} },
        { "calendar.holiday = none\ncalendar.holiday = 2026-01-02\n", { "none", "2026-01-02" } },
        { "calendar.holiday = 2026-01-05\npay.overplan_rate = 0.05\n", { "2026-01-05" }, 0.05 },
    }) do
        f = assert(io.open(file, "w"))
        f:write(case[1])
        f:close()
        local o <close> = assert(smg.load(SAMPLE, { policy = { ["calendar.holiday"] = case[2],
                                                               ["pay.overplan_rate"] = case[3] } }))
        compare("targets " .. case[1], cli_json("targets", SAMPLE, "--period", period, "--policy", file,
            "--format", "json").rows, o:targets{ period = period }, EXTRAS.targets)
        compare("pay " .. case[1], cli_json("pay", SAMPLE, "--period", "2026-01", "--policy", file,
            "--format", "json").members, o:pay{ period = "2026-01" }, EXTRAS.pay)
    end
    local t1 = plain:targets{ period = period }
    local t2 = assert(smg.load(SAMPLE, { policy = { ["calendar.holiday"] = {} } })):targets{ period = period }
    assert(t1[1].target ~= t2[1].target, "clearing the holidays changes the week's targets")
    os.remove(file)
end)

test("policy: bad names, values, files and combinations return nil, msg, errors", function()
    fails('unknown policy parameter "nope"', smg.org{ policy = { nope = "1" } })
    fails('unknown policy parameter "nope"', smg.org{ policy = { nope = {} } })
    fails('unknown policy parameter "nope"', smg.org{ policy = { nope = { "1" } } })
    fails("calendar.holiday", smg.org{ policy = { ["calendar.holiday"] = { "2026-01-01", "someday" } } })
    raises("bad argument #2 to 'salesmgmt.load' (tier.method: string or number expected, got table)",
        smg.load, SAMPLE, { policy = { ["tier.method"] = { {} } } })
    fails("attribution.protect_days", smg.org{ policy = { ["attribution.protect_days"] = 0 } })
    fails("attribution.protect_days", smg.load(SAMPLE, { policy = { ["attribution.protect_days"] = "x" } }))
    fails("cannot open", smg.org{ policy = "/nonexistent/policy.conf" })
    fails("cannot open", smg.load(SAMPLE, { policy = "/nonexistent/policy.conf" }))
    fails("invalid UTF-8", smg.org{ policy = { ["tier.method"] = "\xff" } })
    fails("embedded NUL", smg.org{ policy = { ["tier.method"] = "pareto\0x" } })
    fails("embedded NUL", smg.org{ policy = "policy\0.conf" })
    -- weights that must sum to 1 are checked once every value is set
    local msg = fails("", smg.org{ policy = { ["score.work_weight"] = "0.9" } })
    assert(msg:find("weight"), msg)
    local bad = os.tmpname()
    local f = assert(io.open(bad, "w"))
    f:write("attribution.protect_days = 7\nno such line\n")
    f:close()
    local m2, errs = fails("expected", smg.org{ policy = bad })
    local _, code, cli_errs = run(CLI, "attribute", SAMPLE, "--policy", bad, "--format", "json")
    eq(code, 2, "the command's status for a bad policy file")
    eq(#errs, #cli_errs - 1, "as many errors as the command")
    for i, e in ipairs(errs) do eq(e, cli_errs[i], "error " .. i) end
    eq(m2, errs[1], "the message is the first error")
    os.remove(bad)
    raises("policy: file name or table expected", smg.org, { policy = 42 })
    raises("parameter names are strings", smg.org, { policy = { "x" } })
    raises("string or number expected", smg.org, { policy = { ["tier.method"] = true } })
end)

-- ---------------------------------------------------------------- loading
test("load: bad folder and bad data give every error, as `salesmgmt check`", function()
    for _, dir in ipairs({ "/nonexistent", BAD, HERE .. "/../data/no_members",
                           HERE .. "/../data/missing_column" }) do
        local _, code, cli_errs = run(CLI, "check", dir)
        assert(code == 2 or code == 3, "check exit status " .. tostring(code))
        local msg, errs = fails("", smg.load(dir))
        eq(#errs, #cli_errs - 1, dir .. ": number of errors")
        for i, e in ipairs(errs) do eq(e, cli_errs[i], dir .. ": error " .. i) end
        eq(msg, errs[1], dir .. ": message")
    end
    local _, errs = fails("", smg.load(BAD))
    assert(#errs > 30, "the bad dataset has many errors")
    fails("embedded NUL", smg.load(SAMPLE .. "\0/x"))
    -- a path need not be UTF-8: a folder of that name simply does not exist
    fails("cannot read", smg.load("/nonexistent/\xff"))
    fails("not supported by the Lua binding", smg.load(SAMPLE, { encoding = "gb18030" }))
    assert(smg.load(SAMPLE, { encoding = "UTF-8" }))
    assert(smg.load(SAMPLE, { encoding = "utf8" })):close()
    raises("dir: string expected, got number", smg.load, 42)
    raises("dir required", smg.load)
    raises("table or nil expected", smg.load, SAMPLE, "x")
    raises("unknown option 'polcy'", smg.load, SAMPLE, { polcy = {} })
    raises("encoding: string expected", smg.load, SAMPLE, { encoding = 8 })
    raises("unknown option 'x'", smg.org, { x = 1 })
end)

-- ---------------------------------------------------------------- lifetime
test("close, double close, <close>, __gc, closed orgs raise", function()
    local org = assert(smg.load(SAMPLE))
    assert(tostring(org):find("12 members"), tostring(org))
    org:close()
    org:close() -- twice is fine
    eq(tostring(org), "salesmgmt.org (closed)", "tostring")
    local calls = {
        { "batch", function() end }, { "add_team", "t", "x" }, { "set_leader", "t", "m" },
        { "add_member", "m", "x", { team = "t" } }, { "add_customer", "c", "x" },
        { "add_event", { type = "signin", at = "2026-01-01" } },
        { "add_profile", "p", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } },
        { "add_target", { subject = "company", metric = "deal_count", period = "2026", amount = 1 } },
        { "add_commission", { product = "*", from_amount = 0, rate = "0.01" } },
        { "add_scorecard_item", "wr", { points = 40 } },
        { "attribution" }, { "kpi", { period = "2026-03" } }, { "targets", { period = "2026-03" } },
        { "tiers", { year = 2026 } }, { "visits", { as_of = "2026-03-31" } },
        { "pay", { period = "2026-03" } }, { "scorecard", { period = "2026-03" } },
    }
    for _, c in ipairs(calls) do
        raises("salesmgmt: org is closed", org[c[1]], org, table.unpack(c, 2))
    end
    local kept
    do
        local o <close> = assert(smg.load(SAMPLE))
        kept = o
        assert(#o:attribution() > 0)
    end
    eq(tostring(kept), "salesmgmt.org (closed)", "closed at the end of its block")
    kept:close()
    -- an error unwinding the block closes it too
    local ok = pcall(function()
        local o <close> = assert(smg.org())
        kept = o
        error("out")
    end)
    assert(not ok)
    eq(tostring(kept), "salesmgmt.org (closed)", "closed by the error")
    -- garbage: no leak, no double free (ASan/valgrind say so)
    for _ = 1, 3 do local _ = smg.load(SAMPLE) end
    local o = smg.org()
    o:close()
    o = nil
    collectgarbage()
    collectgarbage()
    raises("bad argument #1", getmetatable(kept).__index.close, {})
    raises("salesmgmt.org expected", getmetatable(kept).__index.kpi, io.stdout, { period = "2026-03" })
end)

-- ---------------------------------------------------------------- arguments
test("wrong types are Lua errors (luaL_argerror)", function()
    local org <close> = assert(smg.load(SAMPLE))
    raises("bad argument #1 to 'kpi' (table expected, got number)", function() local r = org:kpi(42) return r end)
    raises("table expected, got no value", org.kpi, org)
    raises("period required", org.kpi, org, {})
    raises("period: string expected, got number", org.kpi, org, { period = 202603 })
    raises("unknown option 'perod'", org.kpi, org, { perod = "2026-03" })
    raises("option names are strings", org.kpi, org, { "2026-03" })
    raises("by: string expected", org.kpi, org, { period = "2026-03", by = 1 })
    raises("as_member: string expected", org.kpi, org, { period = "2026-03", as_member = {} })
    raises("table or nil expected", org.attribution, org, "m001")
    raises("as_member: string expected", org.attribution, org, { as_member = 1 })
    raises("period required", org.targets, org, {})
    raises("period required", org.pay, org, {})
    raises("give exactly one of year and as_of", org.tiers, org, {})
    raises("give exactly one of year and as_of", org.tiers, org, { year = 2025, as_of = "2025-12-31" })
    raises("year: integer expected", org.tiers, org, { year = "2025" })
    raises("year: integer expected", org.tiers, org, { year = 2025.5 })
    raises("as_of: string expected", org.tiers, org, { as_of = 20251231 })
    raises("method: string expected", org.tiers, org, { year = 2025, method = 1 })
    raises("as_of required", org.visits, org, {})
    raises("function expected", org.batch, org, 42)
    raises("id: string expected, got number", org.add_team, org, 1, "x")
    raises("id required", org.add_member, org, nil, "x", { team = "hq" })
    raises("table expected, got no value", org.add_member, org, "m99", "x")
    raises("team required", org.add_member, org, "m99", "x", {})
    raises("pay_total: string (\"12.50\") or integer expected", org.add_member, org, "m99", "x",
        { team = "hq", pay_total = 1.5 })
    raises("name: string expected", org.add_customer, org, "c", 5)
    raises("phone: string expected", org.add_customer, org, "c", "x", { phone = 138 })
    raises("table expected", org.add_event, org, "deal")
    raises("type required", org.add_event, org, { at = "2026-01-01" })
    raises("at required", org.add_event, org, { type = "signin" })
    raises("amount: string (\"12.50\") or integer expected", org.add_event, org,
        { type = "expense", at = "2026-01-01", member = "m001", amount = true })
    raises("unknown option 'amont'", org.add_event, org, { type = "expense", at = "2026-01-01", amont = "1" })
    raises("twelve monthly weights", org.add_profile, org, "p", { 1, 2 })
    raises("amount required", org.add_target, org, { subject = "company", metric = "deal_count", period = "2026" })
    raises("rate required", org.add_commission, org, { product = "*", from_amount = 0 })
    raises("period required", org.scorecard, org, {})
    raises("table expected, got no value", org.scorecard, org)
    raises("unknown option 'month'", org.scorecard, org, { month = "2026-03" })
    raises("as_member: string expected", org.scorecard, org, { period = "2026-03", as_member = 4 })
    raises("id required", org.add_scorecard_item, org, nil, { points = 1 })
    raises("table expected, got no value", org.add_scorecard_item, org, "x")
    raises("points required", org.add_scorecard_item, org, "x", {})
    raises("points: string or number expected", org.add_scorecard_item, org, "x", { points = true })
    raises("deduct: string or number expected", org.add_scorecard_item, org, "x",
        { points = 1, deduct = {} })
    raises("roles: table of role names or string expected", org.add_scorecard_item, org, "x",
        { points = 1, roles = 1 })
    raises("roles: a list of role names expected", org.add_scorecard_item, org, "x",
        { points = 1, roles = { 1 } })
    raises("due: string expected", org.add_scorecard_item, org, "x", { points = 1, due = 30 })
    raises("unknown option 'point'", org.add_scorecard_item, org, "x", { point = 1 })
end)

test("bad text and bad values return nil, msg, errors", function()
    local org <close> = assert(smg.load(SAMPLE))
    -- ids with NUL bytes or invalid UTF-8 never reach the library
    for _, bad in ipairs({ "m0\0" .. "01", "m\xff", "m\xc0\x80", "m\xed\xa0\x80", "m\xf4\x90\x80\x80", "\xe4\xb8" }) do
        fails("salesmgmt: id:", org:add_customer(bad, "x"))
        fails("salesmgmt: id:", org:add_team(bad, "x"))
        fails("salesmgmt: id:", org:add_member(bad, "x", { team = "hq" }))
        fails("salesmgmt: as_member:", org:kpi{ period = "2026-03", as_member = bad })
        fails("salesmgmt: as_member:", org:attribution{ as_member = bad })
        fails("salesmgmt: member:", org:add_event{ type = "signin", at = "2026-03-02T09:00", member = bad })
        fails("salesmgmt: team:", org:add_member("m99", "x", { team = bad }))
        fails("salesmgmt: period:", org:pay{ period = "2026-03" .. bad })
    end
    fails("embedded NUL", org:add_customer("c\0", "x"))
    fails("invalid UTF-8", org:add_customer("c9999", "\xff\xfe"))
    -- a long text quoted in a message is cut at a character boundary
    local long = fails("is not a period", org:kpi{ period = string.rep("中", 200) })
    assert(utf8.len(long), "the message is valid UTF-8")
    -- valid UTF-8 of every length passes
    assert(org:add_customer("c-é-中-😀", "名字"))
    -- values the library refuses
    fails('customer "c0001" already exists', org:add_customer("c0001", "x"))
    fails("not a period", org:kpi{ period = "2026-13" })
    fails("not member, team or all", org:kpi{ period = "2026-03", by = "customer" })
    fails('no such member', org:kpi{ period = "2026-03", as_member = "nobody" })
    fails("not a month", org:pay{ period = "2026-Q1" })
    fails("not a date", org:visits{ as_of = "2026-02-30" })
    fails("not a date", org:tiers{ as_of = "yesterday" })
    fails("not a year", org:tiers{ year = 0 })
    fails("not threshold or pareto", org:tiers{ year = 2025, method = "median" })
    fails("not a decimal amount", org:add_member("m99", "x", { team = "hq", pay_total = "1,000" }))
    fails("not a date", org:add_member("m99", "x", { team = "hq", start = "2026-1-1" }))
    fails("is not rep, leader", org:add_member("m99", "x", { team = "hq", role = "boss" }))
    fails("not an event type", org:add_event{ type = "teleport", at = "2026-03-02" })
    fails("not a time", org:add_event{ type = "signin", at = "2026-03-02 09:00", member = "m001" })
    fails("not walk_in, phone or onsite", org:add_event{ type = "visit", at = "2026-03-02", member = "m001",
        customer = "c0001", channel = "email" })
    fails("not duty, success or fail", org:add_event{ type = "visit", at = "2026-03-02", member = "m001",
        customer = "c0001", channel = "onsite", outcome = "maybe" })
    fails("not a decimal amount", org:add_event{ type = "expense", at = "2026-03-02", member = "m001",
        amount = "12.345" })
    fails('member "nobody" does not exist', org:add_event{ type = "signin", at = "2026-03-02", member = "nobody" })
    fails("not a decimal with at most 6 decimals", org:add_commission{ product = "*", from_amount = 0,
        rate = "0.0000001" })
    fails("not marginal or flat", org:add_commission{ product = "*", from_amount = 0, rate = "0.01",
        mode = "stepped" })
    fails("does not exist", org:add_target{ subject = "member:nobody", metric = "deal_count",
        period = "2026", amount = 1 })
    fails("is not member:ID", org:add_target{ subject = "boss", metric = "deal_count", period = "2026", amount = 1 })
    fails("is not sales_amount", org:add_target{ subject = "company", metric = "profit", period = "2026", amount = 1 })
    fails("not a decimal with at most 0 decimals", org:add_target{ subject = "company", metric = "deal_count",
        period = "2026", amount = "1.5" })
    fails("not a decimal with at most 6 decimals", org:add_profile("p", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "x" }))
    fails("", org:add_profile("p0", { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }))
    fails("", org:set_leader("hq", "nobody"))
    -- the scorecard's refusals
    fails("not a month", org:scorecard{ period = "2026-Q1" })
    fails("not a period", org:scorecard{ period = "2026-13" })
    fails("no such member", org:scorecard{ period = "2026-03", as_member = "nobody" })
    fails("salesmgmt: as_member:", org:scorecard{ period = "2026-03", as_member = "m\xff" })
    local function item(opts) return org:add_scorecard_item("x", opts) end
    fails('"monthly:32" is not monthly:DD', item{ points = 1, due = "monthly:32" })
    fails('"weekly:friday" is not', item{ points = 1, due = "weekly:friday" })
    fails('"boss" is not rep', item{ points = 1, roles = { "rep", "boss" } })
    fails("not a decimal with at most 2 decimals", item{ points = "0.005" })
    fails("not a decimal with at most 2 decimals", item{ points = 1, deduct = "x" })
    fails("", item{ points = 101 })
    fails('"weekly_report" is defined twice', org:add_scorecard_item("weekly_report", { points = 1 }))
    fails("invalid UTF-8", org:add_scorecard_item("x\xff", { points = 1 }))
    fails('scorecard item "nope" does not exist', org:add_event{ type = "fault", at = "2026-03-02",
        member = "m006", ref = "nope" })
    fails("not a decimal with at most 0 decimals", org:add_event{ type = "fault", at = "2026-03-02",
        member = "m006", ref = "weekly_report", value = 1.5 })
    -- nothing of the refused calls was added
    eq(#org:attribution(), deals_of(SAMPLE), "deals")
    eq(#org:scorecard{ period = "2026-03" }, 12, "scorecard rows")
end)

-- ---------------------------------------------------------------- building an org
test("smg.org and batch: an org built call by call", function()
    local org <close> = assert(smg.org{ policy = { ["attribution.protect_days"] = 10 } })
    assert(org:batch(function(o)
        assert(o:add_team("east", "华东一组", { leader = "m01" })) -- the leader comes later
        assert(o:add_member("m01", "张伟", { team = "east", role = "leader", start = "2026-01-01",
            pay_total = "8000" }))
        assert(o:add_member("m02", "李娜", { team = "east", start = "2026-01-01", pay_total = 6000 }))
        assert(o:add_customer("c1", "王先生", { phone = "13800000000" }))
        assert(o:add_customer("c2", "赵女士", { phone = "+86 138 0000 0000", group_key = "g1" }))
        assert(o:add_profile("flat", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "1.0" }))
        assert(o:add_target{ subject = "member:m02", metric = "sales_amount", period = "2026-Q1",
            amount = "30000.00", profile = "flat" })
        assert(o:add_commission{ product = "*", from_amount = "0", rate = 0.01 })
        assert(o:add_event{ type = "register", at = "2026-03-01T10:00", member = "m01", customer = "c1" })
        assert(o:add_event{ type = "followup", at = "2026-03-02T10:00", member = "m01", customer = "c1" })
        assert(o:add_event{ type = "deal", at = "2026-03-05T10:00", member = "m02", customer = "c1",
            ref = "D1", amount = "12000.50", list_amount = "13000", cost = "9000", product = "ev", id = "e-deal" })
        assert(o:add_event{ type = "claim", at = "2026-03-06T10:00", member = "m01", ref = "D1" })
        assert(o:add_event{ type = "work_score", at = "2026-03-31", member = "m01", value = 85.5 })
        assert(o:add_event{ type = "absence", at = "2026-03-10", member = "m02", value = "0.5" })
        assert(o:add_event{ type = "expense", at = "2026-03-10", member = "m02", amount = 100 })
    end))
    eq(tostring(org), "salesmgmt.org (1 teams, 2 members, 2 customers, 7 events)", "counts")
    local deals = org:attribution()
    eq(#deals, 1, "deals")
    local d = deals[1]
    eq(d.ref, "D1", "ref") eq(d.closer, "m02", "closer") eq(d.credited, "m01", "credited")
    eq(d.reason, "claimed", "reason") eq(d.amount, "12000.50", "amount")
    eq(d.amount_minor, 1200050, "amount_minor") eq(d.day, "2026-03-05", "day")
    eq(d.ev_registration, 0, "ev_registration") eq(d.ev_claim, 3, "ev_claim")
    local kpi = org:kpi{ period = "2026-03", by = "all" }
    eq(#kpi, 4, "rows: 2 members, 1 team, the company")
    eq(kpi[1].subject, "member:m01", "subject") eq(kpi[1].name, "张伟", "name")
    eq(kpi[1].sales_amount, "12000.50", "m01 is credited") eq(kpi[1].deal_count, 1, "deal_count")
    eq(kpi[2].expense_amount, "100.00", "expense") eq(kpi[2].target_amount, "10000.00", "month of Q1")
    eq(kpi[3].subject, "team:east", "team row") eq(kpi[4].subject, "company", "company row")
    eq(kpi[4].name, nil, "the company has no name")
    eq(kpi[1].completion_rate, nil, "no target: no rate")
    local pay = org:pay{ period = "2026-03" }
    eq(pay[1].work_score, 85.5, "work score") eq(pay[2].days_absent, 1, "half a day counts one")
    eq(pay[1].commission, "120.01", "1% of 12000.50, rounded half away from zero")
    local targets = org:targets{ period = "2026-03" }
    eq(targets[#targets].subject, "member:m02", "member row last")
    eq(targets[#targets].target, "10000.00", "target")
    eq(targets[#targets].children_sum, nil, "a member has no children")
    local tiers, w = org:tiers{ as_of = "2026-03-31" }
    eq(w.from, "2025-04-01", "window") eq(#tiers, 2, "a row per customer")
    eq(tiers[1].annual_sales, "12000.50", "c1's sales")
    -- a team added outside a batch, its leader set at once
    assert(org:add_team("west", "华西", { parent = "east", leader = "m02" }))
    fails("is not a member", org:add_team("north", "x", { leader = "nobody" }))
    eq(tostring(org), "salesmgmt.org (2 teams, 2 members, 2 customers, 7 events)",
        "the failed team was not added")
    assert(org:set_leader("west", "m01"))
    assert(org:set_leader("west"))
    -- the same member outside a batch: all or nothing
    fails("pay total is negative", org:add_member("m03", "x", { team = "east", pay_total = "-1" }))
    eq(tostring(org), "salesmgmt.org (2 teams, 2 members, 2 customers, 7 events)", "m03 not added")
end)

test("the scorecard built call by call: the worked months of tests/test_scorecard.c", function()
    -- team t (leader ld) with reps a, b, g; team o with the director dir.
    -- mr 月报 60 (any fault zeroes it; rep, leader; monthly:31) = sum 20 (5 a
    -- fault) + plan 20 (5) + prop 20 (15, reps only); wr 周报 40 (10 a fault;
    -- reps; weekly:fri); lo 40 (any fault zeroes it; leaders)
    local org <close> = assert(smg.org())
    assert(org:batch(function(o)
        assert(o:add_team("t", "t"))
        assert(o:add_team("o", "o"))
        assert(o:add_member("a", "a", { team = "t", start = "2026-01-01", pay_total = 10000 }))
        assert(o:add_member("b", "b", { team = "t", start = "2026-10-15" }))
        assert(o:add_member("ld", "ld", { team = "t", role = "leader" }))
        assert(o:add_member("g", "g", { team = "t", pay_total = "10000" }))
        assert(o:add_member("dir", "dir", { team = "o", role = "director" }))
        assert(o:set_leader("t", "ld"))
        -- a child may come before its parent in the batch
        assert(o:add_scorecard_item("sum", { parent = "mr", points = 20, deduct = 5 }))
        assert(o:add_scorecard_item("mr", { points = "60", roles = { "rep", "leader" },
            due = "monthly:31" }))
        assert(o:add_scorecard_item("plan", { parent = "mr", points = 20.0, deduct = "5.00",
            due = "" }))
        assert(o:add_scorecard_item("prop", { parent = "mr", points = 20, deduct = 15, roles = "rep" }))
        assert(o:add_scorecard_item("wr", { points = 40, deduct = 10, roles = { "rep" }, due = "weekly:fri" }))
        assert(o:add_scorecard_item("lo", { points = 40, roles = { "leader" } }))
        local function ev(type, at, member, ref, value)
            assert(o:add_event{ type = type, at = at, member = member, ref = ref, value = value })
        end
        -- a, September: on time, but a fault on prop
        for _, d in ipairs({ "04", "11", "18", "25" }) do ev("submit", "2026-09-" .. d .. "T10:00", "a", "wr") end
        ev("submit", "2026-09-30T23:59", "a", "mr")
        ev("fault", "2026-09-10T10:00", "a", "prop")
        -- a, October
        ev("submit", "2026-09-29T10:00", "a", "wr") -- the week of Friday 10-02
        ev("submit", "2026-10-09T23:59", "a", "wr")
        ev("submit", "2026-10-17T00:00", "a", "wr") -- late for 10-16
        ev("submit", "2026-10-23T10:00", "a", "wr")
        ev("submit", "2026-10-30T10:00", "a", "wr")
        ev("submit", "2026-10-31T23:59", "a", "mr")
        ev("fault", "2026-10-05T10:00", "a", "prop", 1)
        ev("fault", "2026-10-12T10:00", "a", "sum", "3")
        -- b, from 10-15
        ev("submit", "2026-10-16T10:00", "b", "wr")
        ev("submit", "2026-10-23T10:00", "b", "wr")
        ev("submit", "2026-10-31T00:00", "b", "mr")
        -- ld: the monthly report a minute late; a fault on lo
        ev("submit", "2026-11-01T00:00", "ld", "mr")
        ev("fault", "2026-10-07T10:00", "ld", "lo")
        -- g: given scores, the latest wins
        ev("work_score", "2026-10-15T10:00", "g", nil, 77.5)
        ev("work_score", "2026-10-20T10:00", "g", nil, 80)
    end))
    local rows = assert(org:scorecard{ period = "2026-10" })
    local by = {}
    for i, r in ipairs(rows) do by[r.member] = r by[i] = r.member end
    eq(table.concat(by, " "), "a b ld g dir", "members in order")
    local function lines(m)
        local out = {}
        for _, i in ipairs(by[m].items) do
            out[#out + 1] = ("%s %.2f %d %s"):format(i.item, i.score, i.faults, tostring(i.doubled))
        end
        return table.concat(out, ", ")
    end
    -- a: sum 20 - 5 x 3; prop doubled (a fault in September too), below 0;
    -- mr = min(60, 5 + 20 + 0); wr one Friday missed: 40 - 10; 25 + 30 = 55
    eq(by.a.work_score, 55.0, "a's work score") eq(by.a.source, "scorecard", "a's source")
    eq(by.a.work_score_x100, 5500, "a's hundredths")
    eq(lines("a"), "mr 25.00 0 false, sum 5.00 3 false, plan 20.00 0 false, prop 0.00 1 true, "
        .. "wr 30.00 1 false", "a's items")
    eq(by.a.items[5].missed, 1, "wr: a missed deadline") eq(by.a.items[2].depth, 1, "sum under mr")
    eq(by.b.work_score, 90.0, "b: 60 + 30")
    eq(lines("ld"), "mr 0.00 1 false, sum 20.00 0 false, plan 20.00 0 false, lo 0.00 1 false", "ld's items")
    eq(by.ld.work_score, 0.0, "ld's work score")
    eq(by.g.work_score, 80.0, "g: the latest given score") eq(by.g.source, "given", "g's source")
    eq(by.g.scorecard_score, 0.0, "what the scorecard says for g")
    eq(by.dir.source, "none", "nothing applies to the director") eq(#by.dir.items, 0, "no items")
    eq(by.dir.scorecard_score, nil, "the scorecard does not score dir")
    local sep = assert(org:scorecard{ period = "2026-09" })
    eq(sep[1].work_score, 85.0, "a in September") eq(sep[2].source, "none", "b not employed yet")
    -- pay takes the scorecard's work score: 55 x 70% + 100 x 30%
    local pay = org:pay{ period = "2026-10" }
    eq(pay[1].work_score, 55.0, "pay: a's work score") eq(pay[1].work_score_source, "scorecard", "pay: a")
    eq(pay[1].monthly_score, 68.5, "a's monthly score")
    eq(pay[4].work_score_source, "given", "pay: g") eq(pay[5].work_score_source, "none", "pay: dir")
    -- visibility
    deep_equal(org:scorecard{ period = "2026-10", as_member = "a" }, { by.a }, "as a")
    eq(#org:scorecard{ period = "2026-10", as_member = "ld" }, 4, "the leader sees the team")
    -- the checks of the commit: nothing of a failed batch is kept
    local v, msg = org:batch(function(o) assert(o:add_scorecard_item("k", { points = 10, parent = "ghost" })) end)
    eq(v, nil, "unknown parent") assert(msg:find("ghost"), msg)
    v, msg = org:batch(function(o) assert(o:add_scorecard_item("k", { points = 50, parent = "wr" })) end)
    eq(v, nil, "children past their parent") assert(msg:find("k"), msg)
    v, msg = org:batch(function(o) assert(o:add_scorecard_item("k", { points = 1 })) end)
    eq(v, nil, "more than 100 points for a role") assert(msg:find("100"), msg)
    v, msg = org:batch(function(o)
        assert(o:add_event{ type = "fault", at = "2026-10-02", member = "a", ref = "lo" })
    end)
    eq(v, nil, "an item of another role") assert(msg:find("lo"), msg)
    v = org:batch(function(o)
        fails("a batch is open", o:scorecard{ period = "2026-10" })
        assert(o:add_scorecard_item("half", { parent = "lo", points = "0.5" }))
    end)
    eq(v, true, "a half point")
    local after = org:scorecard{ period = "2026-10" }
    for i, r in ipairs(rows) do eq(after[i].work_score, r.work_score, r.member .. ": the same score") end
    local half = after[3].items[5]
    eq(half.item, "half", "ld's new item") eq(half.depth, 1, "under lo") eq(half.score, 0.5, "half a point")
end)

test("batch: errors roll everything back", function()
    local org <close> = assert(smg.load(SAMPLE))
    local before = tostring(org)
    -- a failed addition: every failure, in order, and nothing applied
    local v, msg, errs = org:batch(function(o)
        assert(o:add_customer("c9001", "x"))
        local ok, m = o:add_customer("c0001", "dup")
        assert(not ok and m:find("already exists"))
        assert(not o:add_member("m99", "x", { team = "nope" }))
        assert(o:add_team("t9", "x", { leader = "nobody" }))
    end)
    eq(v, nil, "batch result")
    eq(msg, 'customer "c0001" already exists', "first error")
    eq(#errs, 3, "three errors")
    assert(errs[2]:find('team "nope" does not exist'), errs[2])
    assert(errs[3]:find('leader "nobody" is not a member'), errs[3])
    eq(tostring(org), before, "nothing applied")
    -- an error at commit (order rules): the commit's messages
    v, msg = org:batch(function(o)
        assert(o:add_event{ type = "claim", at = "2026-03-01T09:00", member = "m006", ref = "D9999" })
        assert(o:add_event{ type = "deal", at = "2026-03-02T09:00", member = "m008", customer = "c0001",
            ref = "D9999", amount = "1.00" })
    end)
    eq(v, nil, "commit fails")
    assert(msg:find("D9999"), msg)
    eq(tostring(org), before, "nothing applied")
    -- a Lua error: the error first, then what failed before it
    v, msg, errs = org:batch(function(o)
        assert(o:add_customer("c9001", "x"))
        o:add_customer("c0001", "dup")
        error("stop here")
    end)
    eq(v, nil, "batch result")
    assert(msg:find("stop here"), msg)
    eq(errs[1], msg, "the error first")
    assert(errs[2]:find("already exists"), tostring(errs[2]))
    eq(tostring(org), before, "nothing applied")
    -- a non-string error object
    v, msg = org:batch(function() error({ code = 1 }) end)
    eq(v, nil, "batch result")
    assert(msg:find("^table:"), msg)
    -- an addition the binding refused (the library never saw it)
    v, msg, errs = org:batch(function(o)
        assert(o:add_customer("c9001", "x"))
        assert(not o:add_customer("c\xff", "x"))
    end)
    eq(v, nil, "refused addition fails the batch")
    assert(msg:find("invalid UTF-8", 1, true), msg)
    eq(#errs, 1, "errors")
    eq(tostring(org), before, "nothing applied")
    -- misuse inside a batch
    v = org:batch(function(o)
        fails("batches do not nest", o:batch(function() end))
        fails("a batch is open", o:kpi{ period = "2026-03" })
        fails("a batch is open", o:attribution())
        raises("cannot be closed inside its batch", o.close, o)
        assert(o:add_customer("c9001", "x"))
    end)
    eq(v, true, "the misuse does not spoil the batch")
    eq(tostring(org), before:gsub("300 customers", "301 customers"), "c9001 added")
    -- a batch that adds nothing
    eq(org:batch(function() end), true, "empty batch")
    eq(#org:attribution(), deals_of(SAMPLE), "deals unchanged")
end)

test("an org rebuilt call by call from the sample's CSV = the loaded sample", function()
    local loaded <close> = assert(smg.load(SAMPLE))
    local org <close> = assert(smg.org{ policy = SAMPLE .. "/policy.conf" })
    local function rows(name) return csv_read(SAMPLE .. "/" .. name) or {} end
    assert(org:batch(function(o)
        for _, t in ipairs(rows("teams.csv")) do
            assert(o:add_team(t.team_id, t.name, { parent = t.parent_id, leader = t.leader_id }))
        end
        for _, m in ipairs(rows("members.csv")) do
            assert(o:add_member(m.member_id, m.name, { team = m.team_id, role = m.role,
                start = m.start_date, ["end"] = m.end_date, pay_total = m.pay_total }))
        end
        for _, c in ipairs(rows("customers.csv")) do
            assert(o:add_customer(c.customer_id, c.name, { phone = c.phone, group_key = c.group_key }))
        end
        for _, p in ipairs(rows("profiles.csv")) do
            local w = {}
            for k = 1, 12 do w[k] = p[("m%02d"):format(k)] end
            assert(o:add_profile(p.profile, w))
        end
        for _, t in ipairs(rows("targets.csv")) do
            assert(o:add_target{ subject = t.subject, metric = t.metric, period = t.period,
                amount = t.amount, profile = t.profile })
        end
        for _, c in ipairs(rows("commission.csv")) do
            assert(o:add_commission{ product = c.product, from_amount = c.from_amount, rate = c.rate,
                mode = c.mode })
        end
        for _, i in ipairs(rows("scorecard.csv")) do
            local roles = {}
            for r in (i.roles or ""):gmatch("[^;]+") do roles[#roles + 1] = r end
            assert(o:add_scorecard_item(i.item, { parent = i.parent, points = i.points,
                deduct = i.deduct, roles = roles, due = i.due }))
        end
        for _, e in ipairs(rows("events.csv")) do
            assert(o:add_event(e))
        end
    end))
    eq(tostring(org), tostring(loaded), "counts")
    deep_equal(org:attribution(), loaded:attribution(), "attribution")
    deep_equal(org:kpi{ period = "2026-Q1", by = "all" }, loaded:kpi{ period = "2026-Q1", by = "all" }, "kpi")
    deep_equal(org:targets{ period = "2026" }, loaded:targets{ period = "2026" }, "targets")
    deep_equal(org:pay{ period = "2026-03" }, loaded:pay{ period = "2026-03" }, "pay")
    deep_equal(org:tiers{ year = 2025 }, loaded:tiers{ year = 2025 }, "tiers")
    deep_equal(org:visits{ as_of = "2026-03-31" }, loaded:visits{ as_of = "2026-03-31" }, "visits")
    deep_equal(org:scorecard{ period = "2026-03" }, loaded:scorecard{ period = "2026-03" }, "scorecard")
end)

-- ---------------------------------------------------------------- the example
test("examples/lua/month_end.lua runs on the sample", function()
    local lua = os.getenv("SMG_LUA") or "lua5.4"
    local out, code, errs = run(lua, HERE .. "/../../examples/lua/month_end.lua", SAMPLE, "2026-03")
    eq(code, 0, "exit status (" .. table.concat(errs, " | ") .. ")")
    assert(out:find("KPIs for 2026%-03"), out)
    assert(out:find("Pay for 2026%-03"), out)
    assert(out:find("Deal D%d+"), out)
end)

os.execute("rm -rf " .. shell_quote(generated))
os.remove(errfile)
print(("%d rows, %d values compared with the command's JSON"):format(compared_rows, compared_values))
print(("%d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1, true)
