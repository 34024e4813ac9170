#!/usr/bin/env python3
"""Changes after the fact (RULES.md §8) with the Python binding: a deal and
its claim cancelled (the cancel of the deal alone is refused first), a
refund, a transfer, handovers to a colleague and to nobody, a link; then the
credits and notices, naming events by their ids. The same story as
examples/changes_after_the_fact.c. Run from a build:

    SALESMGMT_LIBRARY=build/libsalesmgmt.so.0 PYTHONPATH=bindings/python \\
        python3 examples/python/changes_after_the_fact.py
"""
from decimal import Decimal

import salesmgmt as smg


def main():
    with smg.Org() as org:
        with org.batch():
            org.add_team("hq", "总公司")
            org.add_team("east", "华东组", parent="hq")
            org.add_team("west", "华西组", parent="hq")
            org.add_member("lead", "张伟", team="east", role="leader")
            org.add_member("ana", "李娜", team="east")
            org.add_member("bo", "王波", team="east")
            for c, name in (("c1", "刘先生"), ("c2", "陈女士"), ("c3", "赵先生"), ("c4", "赵太太")):
                org.add_customer(c, name)
        with org.batch():
            org.add_event("register", "2026-10-01T09:00", member="ana", customer="c1", id="E1")
            org.add_event("deal", "2026-10-02T14:00", member="bo", customer="c1", ref="D1",
                          amount=Decimal("100000"), id="E2")
            org.add_event("claim", "2026-10-03T10:00", member="ana", ref="D1", id="E3")
            org.add_event("deal", "2026-10-04T11:00", member="ana", customer="c2", ref="D2",
                          amount=Decimal("50000"), id="E4")
            org.add_event("register", "2026-10-05T09:00", member="bo", customer="c3", id="E5")
        # the deal alone cannot be cancelled: its claim would still stand
        try:
            with org.batch():
                org.add_event("cancel", "2026-10-08T09:00", ref="E2", id="X1")
        except smg.DataError as e:
            print("cancel of D1 alone refused:", e.errors[0])
        with org.batch():
            org.add_event("cancel", "2026-10-08T09:00", ref="E3", id="X1")
            org.add_event("cancel", "2026-10-08T09:00", ref="E2", id="X2")
        with org.batch():
            org.add_event("refund", "2026-10-06T15:00", ref="D2", amount=Decimal("20000"),
                          id="R1")
            org.add_event("transfer", "2026-10-07T09:00", member="bo", ref="west", id="T1")
            org.add_event("handover", "2026-10-09T17:00", member="ana", ref="lead", id="H1")
            org.add_event("handover", "2026-10-09T18:00", member="bo", id="H2")
            org.add_event("link", "2026-10-10T10:00", customer="c3", ref="c4", id="L1")
            org.add_event("deal", "2026-10-10T16:00", member="lead", customer="c2", ref="D3",
                          amount=Decimal("30000"), id="E6")

        log = org.events()
        by_seq = {e["seq"]: e for e in log}  # results give input positions

        def name(seq):
            return "-" if seq is None else by_seq[seq]["id"] or "#%d" % seq
        print("\ndeals: credit and reason")
        for d in org.attribution():
            print("  %s closed by %s, credited to %s (%s); deal %s, protection from %s"
                  % (d["ref"], d["closer"], d["credited"] or "the company", d["reason"],
                     name(d["ev_deal"]), name(d["ev_registration"])))
        print("\nnotices")
        for n in org.notices():
            why = n.get("release_reason") or n.get("reject_reason")
            print("  %s %s: %s, key %s%s, event %s"
                  % (n["day"], n["kind"], n["member"], n["key"],
                     ", reason %s" % why if why else "", name(n["event"])))
        print("\nthe log")
        for e in log:
            by = e["cancelled_by"]
            print("  %s %-9s %-3s %s%s" % (e["at"].isoformat(), e["type"], e["id"], e["ref"] or "",
                                           "" if by is None else
                                           "  [cancelled by %s]" % name(by)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
