-- Month end, from Lua: load a dataset, print the month's KPIs by member
-- and the month's pay, and explain who got the credit for one deal.
--
--   LUA_CPATH="build/bindings/lua/?.so" lua5.4 examples/lua/month_end.lua examples/data [YYYY-MM]
--
-- Without a month, the month of the last deal of the log.
local smg = require "salesmgmt"

local dir, month = arg[1] or "examples/data", arg[2]

local org <close>, msg, errors = smg.load(dir)
if not org then
    io.stderr:write(msg, "\n")
    for i = 2, #errors do io.stderr:write(errors[i], "\n") end
    os.exit(2)
end

local deals = assert(org:attribution())
if #deals == 0 then
    print("no deals in " .. dir)
    return
end
month = month or deals[#deals].day:sub(1, 7)

local function pct(rate)
    return rate and string.format("%.1f%%", rate * 100) or "-"
end

-- KPIs (考核指标) of every member for the month
local kpi = assert(org:kpi{period = month, by = "member"})
print(("KPIs for %s"):format(month))
print(("%-8s %12s %5s %12s %8s %8s"):format("member", "sales", "deals", "target", "done", "close"))
for _, row in ipairs(kpi) do
    print(("%-8s %12s %5d %12s %8s %8s  %s"):format(row.subject:gsub("^member:", ""),
        row.sales_amount, row.deal_count, row.target_amount or "-",
        pct(row.completion_rate), pct(row.close_rate), row.name))
end
local team_rows = assert(org:kpi{period = month, by = "team"})
local company = team_rows[#team_rows]
print(("company: %s in %d deals (%s of the target)"):format(company.sales_amount,
    company.deal_count, pct(company.completion_rate)))

-- pay (考核与薪酬): money is exact text, and exact minor units under *_minor
local pay = assert(org:pay{period = month})
local total = 0
print(("\nPay for %s"):format(month))
print(("%-8s %7s %10s %10s %10s"):format("member", "score", "base", "commission", "total"))
for _, row in ipairs(pay) do
    print(("%-8s %7.2f %10s %10s %10s"):format(row.member, row.monthly_score,
        row.base or "-", row.commission or "-", row.total or "-"))
    total = total + (row.total_minor or 0)
end
print(("payroll: %d.%02d"):format(total // 100, total % 100))

-- one deal's credit: the month's first claimed deal, else its first deal
-- credited to someone other than its closer, else its first deal
local pick, rank = nil, 0
for _, d in ipairs(deals) do
    if d.day:sub(1, 7) == month then
        local r = d.reason == "claimed" and 3
            or (d.reason ~= "unprotected" and d.reason ~= "owner") and 2 or 1
        if r > rank then pick, rank = d, r end
    end
end
if pick then
    local why = {
        unprotected = "nobody protected the customer, so the closer keeps it",
        owner = "the closer protected the customer",
        protected_unclaimed = ("%s protected the customer but did not claim the deal")
            :format(pick.protector or "?"),
        claimed = ("%s protected the customer and claimed the deal in time (event %s)")
            :format(pick.protector or "?", tostring(pick.ev_claim)),
        override = ("a manager's decision (event %s)"):format(tostring(pick.ev_override)),
        company = ("a manager gave it to the company (event %s)"):format(tostring(pick.ev_override)),
    }
    print(("\nDeal %s on %s, %s for customer %s: closed by %s, credited to %s (%s): %s.")
        :format(pick.ref, pick.day, pick.amount, pick.customer, pick.closer,
            pick.credited or "the company", pick.reason, why[pick.reason] or pick.reason))
    if pick.ev_registration then
        print(("  registered at event %d, last contact at event %s, the deal is event %d")
            :format(pick.ev_registration, tostring(pick.ev_contact), pick.ev_deal))
    end
end
