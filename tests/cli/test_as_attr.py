#!/usr/bin/env python3
"""`attribute --as MEMBER` and `rotation --as MEMBER` (RULES.md §1) on the
bundled sample; python3 standard library only.

usage: test_as_attr.py SALESMGMT SAMPLE_DIR

What a member may see is worked out here from teams.csv and members.csv
(a rep: themself; a leader: every member of the subtrees of the teams
they lead, and themself), and every restricted output is checked against
the command's full output filtered by the rules of the library's headers:
- deals whose closer or credited member is visible;
- collisions and rejected claims whose member or protector is visible,
  releases and late follow-ups whose member is visible;
- possible duplicates of a customer whose attribution key the member sees
  (bounded below by the keys of their deals, above by the keys they
  registered, closed or were credited with);
- receptions whose receiver or expected receiver is visible, and the
  visible members of the orders.
"""
import csv
import json
import re
import os
import subprocess
import sys
import unittest

EXE = SAMPLE = None

REP = "m011"        # a rep of t002 (华南一组)
LEADER = "m003"     # leads r2 (华南区), over t002
DIRECTOR = "m001"   # leads hq: everything
DAYS = ["2025-01-02", "2025-03-04", "2025-04-15", "2025-12-04", "2026-01-15"]


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(name):
    with open(os.path.join(SAMPLE, name), newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def visible(member):
    """The members `member` may see."""
    teams = read_csv("teams.csv")
    members = read_csv("members.csv")
    led = set()
    changed = True
    while changed:
        changed = False
        for t in teams:
            if t["team_id"] not in led and (t["leader_id"] == member or t["parent_id"] in led):
                led.add(t["team_id"])
                changed = True
    role = {m["member_id"]: m["role"] for m in members}[member]
    if role == "rep":
        led = set()
    return {m["member_id"] for m in members if m["team_id"] in led} | {member}


class Base(unittest.TestCase):
    def json_of(self, *args):
        rc, out, err = run(*args, "--format", "json")
        self.assertEqual(rc, 0, err)
        return json.loads(out)


class TestAttributeAs(Base):
    @classmethod
    def setUpClass(cls):
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        assert rc == 0, err
        cls.full = json.loads(out)

    def check(self, member):
        vis = visible(member)
        got = self.json_of("attribute", SAMPLE, "--as", member)
        full = self.full
        self.assertEqual(set(got), set(full))
        self.assertEqual(got["deals"], [d for d in full["deals"]
                                        if d["closer"] in vis or d["credited"] in vis])
        self.assertEqual(got["collisions"], [n for n in full["collisions"]
                                             if n["member"] in vis or n["protector"] in vis])
        self.assertEqual(got["rejected_claims"],
                         [n for n in full["rejected_claims"]
                          if n["member"] in vis or n["protector"] in vis])
        self.assertEqual(got["releases"], [n for n in full["releases"] if n["member"] in vis])
        self.assertEqual(got["late_followups"],
                         [n for n in full["late_followups"] if n["member"] in vis])
        # duplicates: by the keys the member sees
        keys = {c["customer_id"]: c["group_key"] or c["customer_id"]
                for c in read_csv("customers.csv")}
        lower = {d["key"] for d in got["deals"]}
        upper = lower | {keys[e["customer"]] for e in read_csv("events.csv")
                         if e["type"] in ("register", "deal") and e["member"] in vis}
        self.assertTrue(all(d in full["duplicates"] for d in got["duplicates"]))
        for d in full["duplicates"]:
            pair = {keys[d["customer"]], keys[d["duplicates"]]}
            if pair & lower:
                self.assertIn(d, got["duplicates"])
            if d in got["duplicates"]:
                self.assertTrue(pair & upper, d)
        return got

    def test_rep(self):
        got = self.check(REP)
        self.assertTrue(got["deals"])
        self.assertLess(len(got["deals"]), len(self.full["deals"]))
        self.assertTrue(got["duplicates"])
        self.assertLess(len(got["duplicates"]), len(self.full["duplicates"]))
        # a rep's deals are theirs, as closer or as the one credited
        self.assertTrue(all(REP in (d["closer"], d["credited"]) for d in got["deals"]))
        # events named as in the full output: "events.csv:LINE" (the sample's
        # events have no id), LINE the line of events.csv (the header is line 1)
        ev = read_csv("events.csv")
        for d in got["deals"]:
            m = re.fullmatch(r"events\.csv:(\d+)", d["ev_deal"])
            self.assertTrue(m, d)
            self.assertEqual(ev[int(m.group(1)) - 2]["type"], "deal")
            self.assertEqual(ev[int(m.group(1)) - 2]["customer"], d["customer"])

    def test_leader(self):
        got = self.check(LEADER)
        rep = self.json_of("attribute", SAMPLE, "--as", REP)
        self.assertGreater(len(got["deals"]), len(rep["deals"]))
        self.assertLess(len(got["deals"]), len(self.full["deals"]))
        self.assertTrue(all(d in got["deals"] for d in rep["deals"]))

    def test_director_sees_everything(self):
        for fmt in ("table", "csv", "json"):
            a = run("attribute", SAMPLE, "--format", fmt)
            b = run("attribute", SAMPLE, "--as", DIRECTOR, "--format", fmt)
            self.assertEqual(a[0], 0, a[2])
            self.assertEqual(a, b)

    def test_table_and_errors(self):
        rc, out, err = run("attribute", SAMPLE, "--as", REP)
        self.assertEqual(rc, 0, err)
        self.assertIn("Deals: credit and reason", out)
        rc, out, err = run("attribute", SAMPLE, "--as", "nobody")
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "")
        self.assertIn("nobody", err)
        rc, out, err = run("attribute", SAMPLE, "--as")
        self.assertEqual(rc, 1, err)


class TestRotationAs(Base):
    def check(self, member, day):
        vis = visible(member)
        full = self.json_of("rotation", SAMPLE, "--day", day)
        got = self.json_of("rotation", SAMPLE, "--day", day, "--as", member)
        self.assertEqual(got["receptions"], [r for r in full["receptions"]
                                             if r["member"] in vis or r["expected"] in vis])
        for key in ("order", "final_order"):
            want = [o for o in full[key] if o["member"] in vis]
            self.assertEqual([(o["member"], o["name"]) for o in got[key]],
                             [(o["member"], o["name"]) for o in want])
            self.assertEqual([o["position"] for o in got[key]], list(range(1, len(want) + 1)))
        return full, got

    def test_rep(self):
        seen = 0
        for day in DAYS:
            full, got = self.check(REP, day)
            seen += len(got["receptions"])
            self.assertLessEqual(len(got["order"]), 1)
        self.assertGreater(seen, 0)

    def test_leader(self):
        fewer = 0
        for day in DAYS:
            full, got = self.check(LEADER, day)
            fewer += len(got["receptions"]) < len(full["receptions"])
        self.assertGreater(fewer, 0)

    def test_director_and_errors(self):
        a = run("rotation", SAMPLE, "--day", DAYS[1])
        b = run("rotation", SAMPLE, "--day", DAYS[1], "--as", DIRECTOR)
        self.assertEqual(a[0], 0, a[2])
        self.assertEqual(a, b)
        rc, out, err = run("rotation", SAMPLE, "--day", DAYS[1], "--as", "nobody")
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "")
        self.assertIn("nobody", err)


def main():
    global EXE, SAMPLE
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    EXE, SAMPLE = (os.path.abspath(a) for a in sys.argv[1:3])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
