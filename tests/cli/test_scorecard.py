#!/usr/bin/env python3
"""`salesmgmt scorecard` (suite 'cli'): the JSON of DATASET.md, CSV and text;
every month of the bundled sample (and of generated datasets) recomputed
from the CSV files by scorecard_ref.py, independently of the library; pay's
work score agrees with the scorecard; --as; errors. python3 standard
library only.

usage: test_scorecard.py SALESMGMT SAMPLE_DIR GEN
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import scorecard_ref

EXE = SAMPLE = GEN = None


def run(*args, exe=None):
    p = subprocess.run([exe or EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def jrun(*args):
    rc, out, err = run(*args, "--format", "json")
    if rc:
        raise AssertionError(f"{args}: exit {rc}: {err}")
    return json.loads(out)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def months_of(d):
    """Every month the dataset's events span, and one on either side."""
    days = sorted(scorecard_ref.parse_time(e["at"]).date()
                  for e in read_csv(os.path.join(d, "events.csv")))
    y, m = days[0].year, days[0].month
    y, m = scorecard_ref.prev_month(y, m)
    out = []
    while (y, m) <= (days[-1].year, days[-1].month + 1) or not out:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if len(out) > 40:
            break
    return out


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg_sc_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def compare(self, d, y, m, ref=None):
        """`scorecard` of month y-m against scorecard_ref; returns the JSON."""
        period = "%04d-%02d" % (y, m)
        doc = jrun("scorecard", d, "--period", period)
        want = (ref or scorecard_ref.Scorecard(d)).month(y, m)
        self.assertEqual(doc["period"], period)
        self.assertEqual([r["member"] for r in doc["members"]], list(want))
        for r in doc["members"]:
            w = want[r["member"]]
            self.assertAlmostEqual(r["work_score"], float(w["work_score"]), delta=0.005,
                                   msg=(period, r))
            self.assertEqual(r["source"], w["source"], (period, r))
            self.assertEqual([(i["item"], i["faults"], i["doubled"]) for i in r["items"]],
                             [(i["item"], i["faults"], i["doubled"]) for i in w["items"]],
                             (period, r["member"]))
            for i, wi in zip(r["items"], w["items"]):
                self.assertAlmostEqual(i["score"], float(wi["score"]), delta=0.005,
                                       msg=(period, r["member"], i))
        return doc


class TestShape(Base):
    def test_json(self):
        doc = jrun("scorecard", SAMPLE, "--period", "2026-03")
        self.assertEqual(list(doc), ["period", "members"])
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        self.assertEqual([r["member"] for r in doc["members"]],
                         [m["member_id"] for m in members])
        items = {r["item"] for r in read_csv(os.path.join(SAMPLE, "scorecard.csv"))}
        for r in doc["members"]:
            self.assertEqual(list(r), ["member", "work_score", "source", "items"], r)
            self.assertIn(type(r["work_score"]), (int, float))
            self.assertTrue(0 <= r["work_score"] <= 100, r)
            self.assertIn(r["source"], ("given", "scorecard", "none"))
            for i in r["items"]:
                self.assertEqual(list(i), ["item", "score", "faults", "doubled"], i)
                self.assertIn(i["item"], items)
                self.assertIn(type(i["score"]), (int, float))
                self.assertIs(type(i["faults"]), int)
                self.assertIs(type(i["doubled"]), bool)
            if r["source"] == "none":
                self.assertEqual(r["work_score"], 0)
                self.assertEqual(r["items"], [])
        # two decimals, as pay's scores
        rc, out, err = run("scorecard", SAMPLE, "--period", "2026-03", "--format", "json")
        self.assertRegex(out, r'"work_score":\d+\.\d\d,')

    def test_csv_and_text(self):
        doc = jrun("scorecard", SAMPLE, "--period", "2026-03")
        rc, out, err = run("scorecard", SAMPLE, "--period", "2026-03", "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(list(rows[0]), ["member", "work_score", "source", "item", "score",
                                         "faults", "missed", "doubled"])
        want = []
        for r in doc["members"]:
            for i in r["items"] or [None]:
                want.append((r["member"], r["source"], i and i["item"] or "",
                             i and "%d" % i["faults"] or ""))
        self.assertEqual([(r["member"], r["source"], r["item"], r["faults"]) for r in rows],
                         want)
        for r in rows:
            if r["item"]:
                self.assertLessEqual(int(r["missed"]), int(r["faults"]), r)
        rc, out, err = run("scorecard", SAMPLE, "--period", "2026-03")
        self.assertEqual(rc, 0, err)
        lines = out.split("\n")
        self.assertTrue(lines[0].startswith("Scorecard (考核表) for 2026-03"), lines[0])
        header, rule = lines[2], lines[3]
        self.assertEqual(header.split(), ["member", "name", "work_score", "source", "item",
                                          "points", "score", "faults", "missed", "doubled"])
        self.assertRegex(rule, r"^-+(  -+)*$")
        body = [l for l in lines[4:] if l]
        self.assertEqual(len(body), len(rows))
        # children indented under their parent
        self.assertTrue(any(re.search(r"\s{3}summary\s", l) for l in body))

    def test_usage_and_errors(self):
        for args in ([], ["--period", "2026"], ["--period", "2026-Q1"],
                     ["--period", "2026-03-01..2026-03-31"], ["--period", "2026-13"],
                     ["--period", "2026-03", "--format", "xml"],
                     ["--period", "2026-03", "--as", "nobody"]):
            rc, out, err = run("scorecard", SAMPLE, *args)
            self.assertEqual(rc, 1, (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage: salesmgmt scorecard", err)
        rc, out, err = run("scorecard", os.path.join(self.tmp, "none"), "--period", "2026-03")
        self.assertEqual(rc, 3, err)
        d = os.path.join(self.tmp, "bad")
        shutil.copytree(SAMPLE, d)
        with open(os.path.join(d, "scorecard.csv"), "a", encoding="utf-8") as f:
            f.write("late,,10,,director,monthly:32\n")
        rc, out, err = run("scorecard", d, "--period", "2026-03")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        n = len(read_csv(os.path.join(SAMPLE, "scorecard.csv"))) + 2
        self.assertIn('scorecard.csv:%d: column due: "monthly:32" is not a deadline' % n, err)


class TestSample(Base):
    def test_every_month_recomputed(self):
        ref = scorecard_ref.Scorecard(SAMPLE)
        seen = {"source": set(), "doubled": 0, "missed": 0, "zeroed_parent": 0}
        for y, m in months_of(SAMPLE):
            doc = self.compare(SAMPLE, y, m, ref)
            for r in doc["members"]:
                seen["source"].add(r["source"])
                seen["doubled"] += sum(i["doubled"] for i in r["items"])
        for y, m in months_of(SAMPLE):
            for row in ref.month(y, m).values():
                seen["missed"] += sum(i["missed"] for i in row["items"])
                seen["zeroed_parent"] += sum(
                    1 for i in row["items"]
                    if i["faults"] and ref.children[i["item"]] and i["score"] == 0)
        # the sample has every case: the three sources, doubled deductions,
        # missed deadlines, reports lost by a fault
        self.assertEqual(seen["source"], {"given", "scorecard", "none"})
        self.assertGreater(seen["doubled"], 0)
        self.assertGreater(seen["missed"], 0)
        self.assertGreater(seen["zeroed_parent"], 0)

    def test_sample_events(self):
        """Submits mostly on time, some late, some never; a few faults; the
        first team's members without work_score events."""
        ev = read_csv(os.path.join(SAMPLE, "events.csv"))
        members = {m["member_id"]: m for m in read_csv(os.path.join(SAMPLE, "members.csv"))}
        submits = [e for e in ev if e["type"] == "submit"]
        faults = [e for e in ev if e["type"] == "fault"]
        self.assertGreater(len(submits), 300)
        self.assertGreater(len(faults), 10)
        self.assertTrue(any(e["value"] == "2" for e in faults))
        scored = {e["member"] for e in ev if e["type"] == "work_score"}
        first = members["m004"]["team_id"]
        self.assertTrue(all(m not in scored for m, x in members.items()
                            if x["team_id"] == first))
        self.assertTrue(any(m in scored for m, x in members.items() if x["team_id"] != first))
        self.assertTrue(any(e["at"].endswith(("T23:30", "T23:45")) or
                            re.search(r"T23:\d\d$", e["at"]) for e in submits))

    def test_pay_agrees(self):
        """pay's work score is the scorecard's, given or computed, every month."""
        for y, m in months_of(SAMPLE):
            period = "%04d-%02d" % (y, m)
            card = jrun("scorecard", SAMPLE, "--period", period)["members"]
            pay = jrun("pay", SAMPLE, "--period", period)["members"]
            self.assertEqual([(r["member"], r["work_score"]) for r in pay],
                             [(r["member"], r["work_score"]) for r in card], period)

    def test_as(self):
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        full = {r["member"]: r for r in jrun("scorecard", SAMPLE, "--period", "2026-03")["members"]}
        rep = next(m["member_id"] for m in members if m["role"] == "rep")
        doc = jrun("scorecard", SAMPLE, "--period", "2026-03", "--as", rep)
        self.assertEqual(doc["members"], [full[rep]])
        leader = next(t["leader_id"] for t in teams if t["parent_id"] and
                      not any(x["parent_id"] == t["team_id"] for x in teams))
        team = next(t["team_id"] for t in teams if t["leader_id"] == leader)
        doc = jrun("scorecard", SAMPLE, "--period", "2026-03", "--as", leader)
        self.assertEqual({r["member"] for r in doc["members"]},
                         {m["member_id"] for m in members if m["team_id"] == team} | {leader})
        for r in doc["members"]:
            self.assertEqual(r, full[r["member"]])
        # the report's section with --as: the same members
        rep_doc = jrun("report", SAMPLE, "--period", "2026-03", "--as", rep)
        self.assertEqual([r["member"] for r in rep_doc["scorecard"]], [rep])

    def test_demo(self):
        doc = jrun("demo", SAMPLE)
        self.assertIn("scorecard", doc)
        month = doc["scorecard"][0]["month"]
        card = jrun("scorecard", SAMPLE, "--period", month)["members"]
        self.assertEqual([(r["member"], r["work_score"], r["source"]) for r in doc["scorecard"]],
                         [(r["member"], r["work_score"], r["source"]) for r in card])
        items = len(read_csv(os.path.join(SAMPLE, "scorecard.csv")))
        self.assertEqual(doc["counts"]["scorecard_items"], items)


class TestGenerated(Base):
    def test_other_seeds(self):
        for seed in ("3", "11"):
            d = os.path.join(self.tmp, "s" + seed)
            rc, out, err = run("--out", d, "--members", "9", "--customers", "80", "--events",
                               "4000", "--seed", seed, exe=GEN)
            self.assertEqual(rc, 0, err)
            rc, out, err = run("check", d)
            self.assertEqual(rc, 0, err)
            ref = scorecard_ref.Scorecard(d)
            for y, m in months_of(d)[::3]:
                self.compare(d, y, m, ref)


def main():
    global EXE, SAMPLE, GEN
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    EXE, SAMPLE, GEN = (os.path.abspath(a) for a in sys.argv[1:4])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[4:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
