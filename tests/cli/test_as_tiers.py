#!/usr/bin/env python3
"""--as MEMBER for `salesmgmt tiers`, `visits` and `targets` (RULES.md §1);
python3 standard library only.

usage: test_as_tiers.py SALESMGMT SAMPLE_DIR

On the bundled sample (examples/data): a rep (m006, in t001), the leader of
t001 (m004) and the manager of r1 (m002, whose subtree is r1 and t001).
What each may see is worked out here from the CSV files and from the
output of `attribute` (the credits and the rejected registrations):

- customers (tiers, visits): those whose attribution key a visible member
  registered (not rejected), closed a deal of, or was credited with a deal
  of; a protection always starts with one of those. The rows are those of
  the full-rights output, values unchanged (the tiers are always those of
  every customer), in the same order.
- targets: the rows of the visible members and of the teams of the
  subtrees the member leads; the company row needs full rights.
"""
import csv
import json
import os
import subprocess
import sys
import unittest

EXE = SAMPLE = None

REP, LEADER, MANAGER = "m006", "m004", "m002"


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(name):
    with open(os.path.join(SAMPLE, name), newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


class Sample:
    """The sample's tree, keys and what each member touched."""

    def __init__(self, test):
        self.teams = read_csv("teams.csv")
        self.members = read_csv("members.csv")
        customers = read_csv("customers.csv")
        events = read_csv("events.csv")
        self.key = {c["customer_id"]: c["group_key"] or c["customer_id"] for c in customers}
        # RULES.md §8: a cancelled event counts for nothing; a link makes
        # two customers' keys one (what either key's members touched makes
        # both customers visible)
        cancelled = {e["ref"] for e in events if e["type"] == "cancel"}
        live = [e.get("id", "") not in cancelled or not e.get("id") for e in events]
        parent = {}

        def find(k):
            while parent.get(k, k) != k:
                k = parent[k]
            return k
        for i, e in enumerate(events):
            if e["type"] == "link" and live[i]:
                a, b = find(self.key[e["customer"]]), find(self.key[e["ref"]])
                if a != b:
                    parent[b] = a
        self.key = {c: find(k) for c, k in self.key.items()}
        self.customers = [c["customer_id"] for c in customers]
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        test.assertEqual(rc, 0, err)
        att = json.loads(out)
        # the sample's events are in time order: input position = log position
        ats = [e["at"] for e in events]
        test.assertEqual(ats, sorted(ats))
        # events named "events.csv:LINE": the row LINE - 2 of the list
        rejected = {int(c["event"].rsplit(":", 1)[1]) - 2 for c in att["collisions"]
                    if c["event"].startswith("events.csv:")}
        self.touched = {}  # member -> keys
        for i, e in enumerate(events):
            if not live[i]:
                continue
            if e["type"] == "register" and i not in rejected or e["type"] == "deal":
                self.touched.setdefault(e["member"], set()).add(self.key[e["customer"]])
        for d in att["deals"]:
            if d["credited"]:
                self.touched.setdefault(d["credited"], set()).add(self.key[d["customer"]])

    def subtree(self, member):
        """Teams of the subtrees @member leads (none for a rep)."""
        role = next(m["role"] for m in self.members if m["member_id"] == member)
        if role == "rep":
            return set()
        inside = set()
        for t in self.teams:  # parents come before their children
            if t["leader_id"] == member or t["parent_id"] in inside:
                inside.add(t["team_id"])
        return inside

    def visible_members(self, member):
        teams = self.subtree(member)
        return {m["member_id"] for m in self.members
                if m["member_id"] == member or m["team_id"] in teams}

    def visible_customers(self, member):
        keys = set()
        for m in self.visible_members(member):
            keys |= self.touched.get(m, set())
        return {c for c in self.customers if self.key[c] in keys}


class TestAs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Sample(cls())

    def json_of(self, *args):
        rc, out, err = run(*args, "--format", "json")
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_tiers(self):
        for args in (["--year", "2025"], ["--as-of", "2026-04-10", "--method", "pareto"]):
            full = self.json_of("tiers", SAMPLE, *args)["customers"]
            self.assertEqual(len(full), len(self.s.customers))
            for who in (REP, LEADER, MANAGER):
                doc = self.json_of("tiers", SAMPLE, *args, "--as", who)
                want = self.s.visible_customers(who)
                self.assertTrue(want, who)
                self.assertLess(len(want), len(full), who)
                self.assertEqual(doc["customers"], [r for r in full if r["customer"] in want],
                                 (who, args))
        # the window is the same; a leader sees at least what each member sees
        rep = {r["customer"] for r in
               self.json_of("tiers", SAMPLE, "--year", "2025", "--as", REP)["customers"]}
        lead = {r["customer"] for r in
                self.json_of("tiers", SAMPLE, "--year", "2025", "--as", LEADER)["customers"]}
        self.assertLess(rep, lead)

    def test_tiers_text(self):
        rc, out, err = run("tiers", SAMPLE, "--year", "2025", "--as", REP)
        self.assertEqual(rc, 0, err)
        self.assertIn("threshold method, as seen by %s" % REP, out)
        n = len(self.s.visible_customers(REP))
        summary = out.split("Per tier")[1].splitlines()[4:]
        self.assertEqual(sum(int(l.split()[1]) for l in summary if l.strip()), n)
        rc, out, err = run("tiers", SAMPLE, "--year", "2025", "--as", REP, "--format", "csv")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), n + 1)

    def test_visits(self):
        day = "2026-04-10"  # the sample's last day: the whole log is replayed
        full = self.json_of("visits", SAMPLE, "--as-of", day)["customers"]
        for who in (REP, LEADER, MANAGER):
            doc = self.json_of("visits", SAMPLE, "--as-of", day, "--as", who)
            self.assertEqual(doc["as_of"], day)
            want = self.s.visible_customers(who)
            rows = [r for r in full if r["customer"] in want]
            self.assertTrue(rows, who)
            self.assertEqual(doc["customers"], rows, who)
            # --member within what the member sees
            sub = self.json_of("visits", SAMPLE, "--as-of", day, "--as", who, "--member", who)
            self.assertEqual(sub["customers"], [r for r in rows if r["member"] == who])
        rc, out, err = run("visits", SAMPLE, "--as-of", day, "--as", LEADER)
        self.assertEqual(rc, 0, err)
        self.assertIn("Visits as of %s, as seen by %s" % (day, LEADER), out)

    def test_targets(self):
        for period in ("2026-Q1", "2025"):
            full = self.json_of("targets", SAMPLE, "--period", period)["rows"]
            for who in (REP, LEADER, MANAGER):
                rows = self.json_of("targets", SAMPLE, "--period", period, "--as", who)["rows"]
                members = self.s.visible_members(who)
                subtree = self.s.subtree(who)
                want = [r for r in full
                        if r["subject"].startswith("member:") and r["subject"][7:] in members
                        or r["subject"].startswith("team:") and r["subject"][5:] in subtree]
                self.assertTrue(want, (who, period))
                self.assertEqual(rows, want, (who, period))
                self.assertNotIn("company", [r["subject"] for r in rows])
                if who == REP:
                    self.assertEqual({r["subject"] for r in rows}, {"member:" + REP})
            self.assertEqual(full[0]["subject"], "company")
        self.assertEqual(self.s.subtree(MANAGER), {"r1", "t001"})
        self.assertEqual(self.s.subtree(LEADER), {"t001"})
        rc, out, err = run("targets", SAMPLE, "--period", "2026-Q1", "--as", LEADER,
                           "--format", "csv")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("subject,metric,target,children_sum,gap\n"))
        self.assertIn("team:t001,", out)
        self.assertNotIn("team:r1,", out)
        rc, out, err = run("targets", SAMPLE, "--period", "2026-Q1", "--as", LEADER)
        self.assertEqual(rc, 0, err)
        self.assertIn("as seen by %s" % LEADER, out)

    def test_unknown_member(self):
        for args in (["tiers", SAMPLE, "--year", "2025"],
                     ["visits", SAMPLE, "--as-of", "2026-04-10"],
                     ["targets", SAMPLE, "--period", "2026-Q1"]):
            rc, out, err = run(*args, "--as", "nobody")
            self.assertEqual(rc, 1, err)
            self.assertEqual(out, "")
            self.assertIn("nobody", err)
            self.assertIn("usage", err)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    EXE, SAMPLE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=1)
