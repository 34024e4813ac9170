#!/usr/bin/env python3
"""`salesmgmt kpi` and `salesmgmt pay` with --as MEMBER (suite 'cli'):
the rows a member may see (RULES.md §1), on the bundled sample; python3
standard library only.

usage: test_as_kpi.py SALESMGMT SAMPLE_DIR

A rep sees their own row, a leader (or manager, director) their own and
those of the subtrees of the teams they lead; the company row needs full
rights; team rows asked for by someone who leads no team are refused with
exit status 2 and the library's message; an --as member that does not
exist is a usage error (exit 1). The rows a member sees are the rows of the
full report, unchanged. Who sees what is worked out here from members.csv
and teams.csv, independently of the library.
"""
import csv
import json
import os
import subprocess
import sys
import unittest

EXE = SAMPLE = None
PERIODS = ["2026-03", "2026-Q1", "2025-11-01..2026-02-15"]
MONTHS = ["2026-03", "2025-12"]


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(name):
    with open(os.path.join(SAMPLE, name), newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


class Org:
    """The sample's teams and members, and what each member may see."""

    def __init__(self):
        self.teams = read_csv("teams.csv")
        self.members = read_csv("members.csv")
        self.role = {m["member_id"]: m["role"] for m in self.members}

    def subtree(self, team_id):
        ids, todo = [], [team_id]
        while todo:
            t = todo.pop()
            ids.append(t)
            todo += [x["team_id"] for x in self.teams if x["parent_id"] == t]
        return set(ids)

    def visible_teams(self, member):
        """Teams in the subtrees the member leads (none for a rep)."""
        if self.role[member] == "rep":
            return set()
        seen = set()
        for t in self.teams:
            if t["leader_id"] == member:
                seen |= self.subtree(t["team_id"])
        return seen

    def visible_members(self, member):
        teams = self.visible_teams(member)
        return {m["member_id"] for m in self.members
                if m["member_id"] == member or m["team_id"] in teams}

    def of_role(self, role):
        return [m["member_id"] for m in self.members if m["role"] == role]


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Org()

    def json_doc(self, cmd, period, *args):
        rc, out, err = run(cmd, SAMPLE, "--period", period, "--format", "json", *args)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        return json.loads(out)


class TestKpiAs(Base):
    def kpi(self, period, *args):
        doc = self.json_doc("kpi", period, *args)
        self.assertEqual(doc["period"], period)
        return doc["rows"]

    def check_member(self, member, period, full, full_teams):
        want_members = self.org.visible_members(member)
        rows = self.kpi(period, "--as", member)
        # members in the order of the full report, each row unchanged
        self.assertEqual(rows, [r for r in full if r["subject"][7:] in want_members],
                         (member, period))
        self.assertEqual({r["subject"] for r in rows}, {"member:" + m for m in want_members})
        want_teams = self.org.visible_teams(member)
        if not want_teams:
            rc, out, err = run("kpi", SAMPLE, "--period", period, "--by", "team",
                               "--as", member)
            self.assertEqual(rc, 2, (member, err))
            self.assertEqual(out, "")
            self.assertIn('"%s"' % member, err)
            self.assertIn("leads no team", err)
            self.assertNotIn("usage", err)
            return
        rows = self.kpi(period, "--by", "team", "--as", member)
        # teams of the subtrees, never the company row
        self.assertEqual(rows, [r for r in full_teams if r["subject"][5:] in want_teams])
        self.assertNotIn("company", [r["subject"] for r in rows])

    def test_every_member(self):
        for period in PERIODS:
            full = self.kpi(period)
            # without the lines that reconcile the company with its top teams
            full_teams = [r for r in self.kpi(period, "--by", "team")
                          if not r["subject"].startswith("company:")]
            self.assertEqual(full_teams[-1]["subject"], "company")
            for m in self.org.members:
                self.check_member(m["member_id"], period, full, full_teams)

    def test_rep(self):
        rep = self.org.of_role("rep")[0]
        full = {r["subject"]: r for r in self.kpi("2026-03")}
        self.assertEqual(self.kpi("2026-03", "--as", rep), [full["member:" + rep]])
        # the text table says whose view it is, and has the one row
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--as", rep)
        self.assertEqual(rc, 0, err)
        self.assertIn("as seen by " + rep, out)
        self.assertIn("member:" + rep, out)
        self.assertEqual(out.count("member:"), 1)
        # CSV: the one row
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--format", "csv", "--as", rep)
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual([r["subject"] for r in rows], ["member:" + rep])

    def test_leader(self):
        leaf = next(t for t in self.org.teams
                    if not any(x["parent_id"] == t["team_id"] for x in self.org.teams))
        leader = leaf["leader_id"]
        self.assertEqual(self.org.role[leader], "leader")
        want = {m["member_id"] for m in self.org.members if m["team_id"] == leaf["team_id"]}
        want.add(leader)
        rows = self.kpi("2026-03", "--as", leader)
        self.assertEqual({r["subject"][7:] for r in rows}, want)
        self.assertGreater(len(rows), 1)
        rows = self.kpi("2026-03", "--as", leader, "--by", "team")
        self.assertEqual([r["subject"] for r in rows], ["team:" + leaf["team_id"]])

    def test_director(self):
        root = next(t for t in self.org.teams if not t["parent_id"])
        rows = self.kpi("2026-03", "--as", root["leader_id"], "--by", "team")
        self.assertEqual([r["subject"] for r in rows],
                         ["team:" + t["team_id"] for t in self.org.teams])
        rows = self.kpi("2026-03", "--as", root["leader_id"])
        self.assertEqual(len(rows), len(self.org.members))

    def test_unknown_member(self):
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--as", "nobody")
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "")
        self.assertIn("nobody", err)
        self.assertIn("usage", err)


class TestPayAs(Base):
    def pay(self, month, *args):
        doc = self.json_doc("pay", month, *args)
        self.assertEqual(doc["period"], month)
        return doc["members"]

    def test_every_member(self):
        for month in MONTHS:
            full = self.pay(month)
            self.assertEqual(len(full), len(self.org.members))
            for m in self.org.members:
                member = m["member_id"]
                want = self.org.visible_members(member)
                rows = self.pay(month, "--as", member)
                self.assertEqual(rows, [r for r in full if r["member"] in want],
                                 (member, month))

    def test_rep(self):
        rep = self.org.of_role("rep")[0]
        full = {r["member"]: r for r in self.pay("2026-03")}
        self.assertEqual(self.pay("2026-03", "--as", rep), [full[rep]])
        rc, out, err = run("pay", SAMPLE, "--period", "2026-03", "--as", rep)
        self.assertEqual(rc, 0, err)
        self.assertIn("as seen by " + rep, out)
        rc, out, err = run("pay", SAMPLE, "--period", "2026-03", "--format", "csv", "--as", rep)
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["member"] for r in csv.DictReader(out.splitlines())], [rep])

    def test_leader(self):
        for t in self.org.teams:
            leader = t["leader_id"]
            rows = self.pay("2026-03", "--as", leader)
            want = {m["member_id"] for m in self.org.members
                    if m["team_id"] in self.org.subtree(t["team_id"])} | {leader}
            self.assertEqual({r["member"] for r in rows}, want, leader)

    def test_unknown_member(self):
        rc, out, err = run("pay", SAMPLE, "--period", "2026-03", "--as", "nobody")
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
