#!/usr/bin/env python3
"""`salesmgmt report --as MEMBER` (suite 'cli'): every section of the report
shows what that member may see (RULES.md §1), the same rows as the single
commands with the same --as; python3 standard library only.

usage: test_as_report.py SALESMGMT SAMPLE_DIR
"""
import json
import subprocess
import sys
import unittest

EXE = SAMPLE = None
PERIOD = "2026-03"


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def jrun(*args):
    rc, out, err = run(*args, "--format", "json")
    if rc:
        raise AssertionError(f"{args}: exit {rc}: {err}")
    return json.loads(out)


def subjects(rows):
    return sorted(r["subject"] for r in rows)


class ReportAs(unittest.TestCase):
    def report(self, who):
        return jrun("report", SAMPLE, "--period", PERIOD, *(["--as", who] if who else []))

    def test_sections_match_the_commands(self):
        # a rep, a team leader, a region manager, the director
        for who in ["m006", "m004", "m002", "m001"]:
            with self.subTest(who=who):
                r = self.report(who)
                members = jrun("kpi", SAMPLE, "--period", PERIOD, "--by", "member", "--as", who)
                self.assertEqual(subjects(r["member_kpis"]), subjects(members["rows"]))
                pay = jrun("pay", SAMPLE, "--period", PERIOD, "--as", who)
                self.assertEqual(sorted(x["member"] for x in r["pay"]),
                                 sorted(x["member"] for x in pay["members"]))
                targets = jrun("targets", SAMPLE, "--period", PERIOD, "--as", who)
                mine = {x["subject"] for x in targets["rows"] if not x["subject"].startswith("member:")}
                self.assertEqual({x["subject"] for x in r["targets"]}, mine)

    def test_rep_sees_no_team_and_less_than_everything(self):
        full, rep = self.report(None), self.report("m006")
        self.assertEqual(rep["team_kpis"], [])
        self.assertEqual(subjects(rep["member_kpis"]), ["member:m006"])
        self.assertEqual([x["member"] for x in rep["pay"]], ["m006"])
        self.assertTrue(full["team_kpis"])
        for k in full["notices"]:
            self.assertLessEqual(rep["notices"][k], full["notices"][k], k)
        self.assertLess(sum(rep["notices"].values()), sum(full["notices"].values()))
        self.assertLess(sum(t["customers"] for t in rep["tiers"]),
                        sum(t["customers"] for t in full["tiers"]))
        deals = lambda r: sum(x["deals"] for x in r["attribution"])
        self.assertLess(deals(rep), deals(full))
        # the rep's credited deals are theirs: the same count as their KPI row
        kpi = jrun("kpi", SAMPLE, "--period", PERIOD, "--by", "member", "--as", "m006")
        self.assertLessEqual(kpi["rows"][0]["deal_count"], deals(rep))

    def test_leader_sees_their_team_not_the_company(self):
        r = self.report("m004")
        self.assertEqual(subjects(r["team_kpis"]), ["team:t001"])
        full = self.report(None)
        self.assertIn("company", subjects(full["team_kpis"]))

    def test_unknown_member(self):
        rc, out, err = run("report", SAMPLE, "--period", PERIOD, "--as", "nobody")
        self.assertEqual(rc, 1)
        self.assertIn("nobody", err)
        self.assertEqual(out, "")


if __name__ == "__main__":
    EXE, SAMPLE = sys.argv[1:3]
    del sys.argv[1:3]
    unittest.main(verbosity=1)
