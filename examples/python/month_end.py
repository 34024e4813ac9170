#!/usr/bin/env python3
"""Month end with the Python binding: the month's KPIs by member, the pay
run, and why one deal was credited to whom.

usage: month_end.py DATASET [YYYY-MM]

DATASET is a dataset folder (the bundled sample is examples/data); the
month defaults to the last whole month of its event log. Run from a build:

    SALESMGMT_LIBRARY=build/libsalesmgmt.so.0 PYTHONPATH=bindings/python \\
        python3 examples/python/month_end.py examples/data
"""
import sys
import unicodedata
from datetime import timedelta

import salesmgmt as smg

WHY = {
    "unprotected": "nobody protected the customer, so the closer keeps the credit (R4)",
    "owner": "the closer was the customer's protector (R4)",
    "protected_unclaimed": "another member protected the customer but did not claim the deal "
                           "in time, so the closer keeps it (R5)",
    "claimed": "the protector claimed the deal within the claim window (R5)",
    "override": "a manager decided who gets the credit (R7)",
    "company": "a manager gave the credit to the company (R7)",
}


def pad(text, width):
    """@text left-aligned in @width terminal columns (CJK characters take two)."""
    text = "" if text is None else str(text)
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


def pct(rate):
    return "-" if rate is None else "%.1f%%" % (rate * 100)


def last_whole_month(org):
    last = org.events(-1)[0]["at"].date()
    first = last.replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 1
    try:
        org = smg.load(argv[1])
    except smg.DataError as e:
        print("the dataset has errors:", *e.errors, sep="\n  ", file=sys.stderr)
        return 2
    except smg.IoError as e:
        print(e, file=sys.stderr)
        return 3
    with org:
        month = argv[2] if len(argv) > 2 else last_whole_month(org)
        print("Month end %s (libsalesmgmt %s)\n" % (month, smg.version_string()))

        print("KPIs by member")
        print("%-14s %s %14s %5s %14s %8s %8s" % ("member", pad("name", 12), "sales", "deals",
                                                 "target", "done", "close"))
        for r in org.kpi(month, by="member"):
            print("%-14s %s %14s %5d %14s %8s %8s" % (
                r["subject"], pad(r["name"], 12), r["sales_amount"], r["deal_count"],
                r["target_amount"] if r["target_amount"] is not None else "-",
                pct(r["completion_rate"]), pct(r["close_rate"])))
        company = org.kpi(month, by="team")[-1]
        print("%-27s %14s %5d\n" % ("company", company["sales_amount"], company["deal_count"]))

        print("Pay")
        print("%-6s %s %7s %10s %10s %10s %10s" % ("member", pad("name", 12), "score", "base",
                                                   "commission", "bonus", "total"))
        names = {m["id"]: m["name"] for m in org.members()}
        payroll = 0
        for r in org.pay(month):
            if r["total"] is None:
                continue  # no pay total: scores only
            payroll += r["total"]
            print("%-6s %s %7.2f %10s %10s %10s %10s" % (
                r["member"], pad(names[r["member"]], 12), r["monthly_score"], r["base"], r["commission"],
                r["overplan_bonus"], r["total"]))
        print("%-19s %54s\n" % ("payroll", payroll))

        deals = [d for d in org.attribution() if d["day"].strftime("%Y-%m") == month]
        if not deals:
            print("No deal in %s." % month)
            return 0
        # explain the most interesting deal: credited to someone else if any
        d = next((d for d in deals if d["credited"] != d["closer"]), deals[0])
        who = d["credited"] or "the company"
        print("Deal %s: %s for customer %s on %s" % (d["ref"], d["amount"], d["customer"],
                                                     d["day"]))
        print("  closed by   %s %s" % (d["closer"], names[d["closer"]]))
        print("  credited to %s %s" % (who, names.get(d["credited"], "")))
        print("  reason      %s: %s" % (d["reason"], WHY.get(d["reason"], "")))
        if d["protector"]:
            print("  protector   %s %s (registration: event %s, last contact: event %s)"
                  % (d["protector"], names[d["protector"]], d["ev_registration"],
                     d["ev_contact"]))
        if d["ev_claim"] is not None:
            print("  claim       event %s" % d["ev_claim"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
