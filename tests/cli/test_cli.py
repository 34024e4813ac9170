#!/usr/bin/env python3
"""Tests of the salesmgmt command (suite 'cli'); python3 standard library only.

usage: test_cli.py SALESMGMT TEST_CLI_OUT SAMPLE_DIR

SALESMGMT is the built program, TEST_CLI_OUT the output-helper fixture
program (tests/cli/test_out.c), SAMPLE_DIR the bundled examples/data.
Every expectation is computed here from the CSV files, independently of
the library.
"""
import csv
import datetime
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import unittest

EXE = TEST_OUT = SAMPLE = None

SAMPLE_ARGS = ["--members", "12", "--customers", "300", "--events", "10000", "--seed", "7"]
GEN_FILES = ["teams.csv", "members.csv", "customers.csv", "profiles.csv", "targets.csv",
             "commission.csv", "policy.conf", "events.csv"]
EVENT_TYPES = ["signin", "reception", "register", "followup", "visit", "demo", "deal", "claim",
               "override", "void_register", "receivable", "payment", "complaint", "expense",
               "absence", "work_score"]


def run(*args, exe=None):
    p = subprocess.run([exe or EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def width(s):
    """Display width as a terminal shows it (East Asian wide = 2)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def display_cells(line):
    """The line as terminal cells: a wide character takes two."""
    cells = []
    for ch in line:
        w = width(ch)
        cells.extend([ch] + [""] * (w - 1) if w else [])
    return cells


def check_aligned(test, lines, left=(), right=()):
    """A text table: header, a rule of dashes, rows. Every row must have
    blanks exactly where the rule has its column gaps, counted in display
    cells, and no row may run past the last column. Columns listed in
    @left start at the column's left edge, those in @right end at its right
    edge, in every row."""
    test.assertGreaterEqual(len(lines), 2, lines)
    rule = lines[1]
    test.assertRegex(rule, r"^-+(  -+)*$")
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    gaps = [i for i in range(len(rule)) if rule[i] == " "]
    for line in [lines[0]] + lines[2:]:
        cells = display_cells(line)
        test.assertLessEqual(len(cells), len(rule), "row wider than the table: %r" % line)
        for g in gaps:
            if g < len(cells):
                test.assertEqual(cells[g], " ", "misaligned at column %d: %r" % (g, line))
        for c in left:
            test.assertNotEqual(cells[spans[c][0]], " ", "column %d: %r" % (c, line))
        for c in right:
            test.assertNotIn(cells[spans[c][1] - 1], (" ", ""), "column %d: %r" % (c, line))


def sections(text):
    """Split a text document into {title: [lines]} (title, ==== underline, body)."""
    out, lines, i = {}, text.split("\n"), 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i] and re.fullmatch(r"=+", lines[i + 1]):
            title, body = lines[i], []
            i += 2
            while i < len(lines) and lines[i] != "":
                body.append(lines[i])
                i += 1
            out[title] = body
        i += 1
    return out


class Expect:
    """What a dataset folder holds, counted from its CSV files."""

    def __init__(self, d):
        self.teams = read_csv(os.path.join(d, "teams.csv"))
        self.members = read_csv(os.path.join(d, "members.csv"))
        self.customers = read_csv(os.path.join(d, "customers.csv"))
        self.events = read_csv(os.path.join(d, "events.csv"))
        self.keys = len({c["group_key"] or "id:" + c["customer_id"] for c in self.customers})
        self.deals = sum(1 for e in self.events if e["type"] == "deal")

    def summary(self):
        return "ok: %d teams, %d members, %d customers (%d keys), %d events, %d deals" % (
            len(self.teams), len(self.members), len(self.customers), self.keys,
            len(self.events), self.deals)


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg_cli_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def copy_sample(self):
        d = os.path.join(self.tmp, "data")
        shutil.copytree(SAMPLE, d)
        return d

    def gen(self, name, *args):
        d = os.path.join(self.tmp, name)
        rc, out, err = run("gen", "--out", d, *args)
        self.assertEqual(rc, 0, err)
        return d


class TestCheck(Base):
    def test_sample_summary(self):
        rc, out, err = run("check", SAMPLE)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, Expect(SAMPLE).summary() + "\n")
        self.assertEqual(err, "")

    def test_sample_json_and_csv(self):
        exp = Expect(SAMPLE)
        rc, out, err = run("check", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc, {"ok": True, "teams": len(exp.teams), "members": len(exp.members),
                               "customers": len(exp.customers), "keys": exp.keys,
                               "events": len(exp.events), "deals": exp.deals})
        rc, out, err = run("check", "--format=csv", SAMPLE)
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["events"], str(len(exp.events)))
        self.assertEqual(rows[0]["ok"], "true")

    def test_bad_amount(self):
        d = self.copy_sample()
        path = os.path.join(d, "events.csv")
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        header = lines[0].split(",")
        at = next(i for i, l in enumerate(lines) if ",deal," in l)  # 0-based; line at + 1
        fields = lines[at].split(",")
        fields[header.index("amount")] = '"12,5"'
        lines[at] = ",".join(fields)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        rc, out, err = run("check", d)
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        self.assertRegex(err, r"events\.csv:%d\b[^\n]*column amount[^\n]*12,5" % (at + 1))

    def test_every_error_printed(self):
        d = self.copy_sample()
        path = os.path.join(d, "members.csv")
        rows = read_csv(path)
        rows[2]["role"] = "boss"
        rows[4]["pay_total"] = "1.234"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
        rc, out, err = run("check", d)
        self.assertEqual(rc, 2, err)
        self.assertRegex(err, r"members\.csv:4\b[^\n]*role")
        self.assertRegex(err, r"members\.csv:6\b[^\n]*pay_total")

    def test_missing_members(self):
        d = self.copy_sample()
        os.remove(os.path.join(d, "members.csv"))
        rc, out, err = run("check", d)
        self.assertEqual(rc, 3, err)
        self.assertIn("members.csv", err)
        self.assertEqual(out, "")

    def test_missing_folder(self):
        rc, out, err = run("check", os.path.join(self.tmp, "nowhere"))
        self.assertEqual(rc, 3, err)
        self.assertNotEqual(err, "")

    def test_policy_override(self):
        good = os.path.join(self.tmp, "good.conf")
        with open(good, "w") as f:
            f.write("# stricter office\nattribution.protect_days = 10\n")
        rc, out, err = run("check", SAMPLE, "--policy", good)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("ok: "))
        bad = os.path.join(self.tmp, "bad.conf")
        with open(bad, "w") as f:
            f.write("# a typo\n\nattribution.protect_dayz = 10\n")
        rc, out, err = run("check", SAMPLE, "--policy", bad)
        self.assertEqual(rc, 2, err)
        self.assertRegex(err, r"bad\.conf:3\b")
        rc, out, err = run("check", SAMPLE, "--policy", os.path.join(self.tmp, "none.conf"))
        self.assertEqual(rc, 3, err)


class TestUsage(Base):
    def usage_error(self, *args):
        rc, out, err = run(*args)
        self.assertEqual(rc, 1, "%r: %s" % (args, err))
        self.assertEqual(out, "")
        self.assertIn("usage", err)

    def test_usage_errors(self):
        self.usage_error()
        self.usage_error("nosuchcommand")
        self.usage_error("check")
        self.usage_error("check", SAMPLE, SAMPLE)
        self.usage_error("check", SAMPLE, "--bogus")
        self.usage_error("check", SAMPLE, "-x")
        self.usage_error("check", SAMPLE, "--format", "xml")
        self.usage_error("check", SAMPLE, "--format")
        self.usage_error("check", SAMPLE, "--policy")
        self.usage_error("check", SAMPLE, "--format", "csv", "--format", "json")
        self.usage_error("gen")
        self.usage_error("gen", "--out", self.tmp, "--members", "abc")
        self.usage_error("gen", "--out", self.tmp, "--members", "2")
        self.usage_error("gen", "--out", self.tmp, "--events", "-5")
        self.usage_error("gen", "--out", self.tmp, "--seed", "99999999999999999999999")
        self.usage_error("gen", "--out", self.tmp, "extra")
        self.usage_error("demo", "extra")
        self.usage_error("demo", "--format", "yaml")

    def test_help_and_version(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0)
        for cmd in ("check", "gen", "demo"):
            self.assertIn("salesmgmt " + cmd, out)
        rc, out, err = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^salesmgmt \d+\.\d+\.\d+")

    def test_gen_unwritable(self):
        blocker = os.path.join(self.tmp, "file")
        open(blocker, "w").close()
        rc, out, err = run("gen", "--out", blocker)
        self.assertEqual(rc, 3, err)


class TestGen(Base):
    SMALL = ["--members", "8", "--customers", "60", "--events", "3000"]

    def test_deterministic(self):
        a = self.gen("a", *self.SMALL, "--seed", "3")
        b = self.gen("b", *self.SMALL, "--seed", "3")
        c = self.gen("c", *self.SMALL, "--seed", "4")
        for name in GEN_FILES:
            self.assertTrue(filecmp.cmp(os.path.join(a, name), os.path.join(b, name),
                                        shallow=False), name)
        self.assertFalse(filecmp.cmp(os.path.join(a, "events.csv"),
                                     os.path.join(c, "events.csv"), shallow=False))
        self.assertFalse(filecmp.cmp(os.path.join(a, "customers.csv"),
                                     os.path.join(c, "customers.csv"), shallow=False))

    def test_passes_check(self):
        for seed in ("1", "2", "5"):
            d = self.gen("s" + seed, *self.SMALL, "--seed", seed)
            exp = Expect(d)
            self.assertEqual(len(exp.events), 3000)
            rc, out, err = run("check", d)
            self.assertEqual(rc, 0, err)
            self.assertEqual(out, exp.summary() + "\n")

    def test_defaults(self):
        d = self.gen("default")
        exp = Expect(d)
        self.assertEqual(len(exp.members), 40)
        self.assertEqual(len(exp.customers), 2000)
        self.assertEqual(len(exp.events), 50000)
        rc, out, err = run("check", d)
        self.assertEqual(rc, 0, err)

    def test_sample_is_reproducible(self):
        """examples/data is exactly what gen writes with the sample's parameters."""
        d = self.gen("sample", *SAMPLE_ARGS)
        for name in GEN_FILES:
            self.assertTrue(filecmp.cmp(os.path.join(d, name), os.path.join(SAMPLE, name),
                                        shallow=False), "examples/data/%s is stale" % name)
        size = sum(os.path.getsize(os.path.join(SAMPLE, n)) for n in os.listdir(SAMPLE))
        self.assertLess(size, 1 << 20)

    def test_realistic(self):
        """The sample holds every event type, the rules' interesting cases,
        and nothing the library must reject."""
        exp = Expect(SAMPLE)
        ev = exp.events
        types = {}
        for e in ev:
            types[e["type"]] = types.get(e["type"], 0) + 1
        for t in EVENT_TYPES:
            self.assertGreater(types.get(t, 0), 0, t)
        self.assertGreater(types["signin"], types["deal"])
        members = {m["member_id"]: m for m in exp.members}
        self.assertTrue(any(m["end_date"] for m in exp.members))
        self.assertTrue(any(re.search(r"[A-Za-z]", m["name"]) for m in exp.members))
        self.assertTrue(all(m["role"] in ("rep", "leader", "supervisor", "manager", "director")
                            for m in exp.members))
        phones = [re.sub(r"^(\+86|0086)", "", re.sub(r"[ -]", "", c["phone"]))
                  for c in exp.customers if c["phone"]]
        self.assertLess(len(set(phones)), len(phones), "no duplicate phones")
        self.assertTrue(any(" " in c["phone"] for c in exp.customers))
        self.assertTrue(any(c["phone"].startswith("+86") for c in exp.customers))
        self.assertTrue(any(c["group_key"] for c in exp.customers))
        self.assertTrue(any(e["type"] == "override" and not e["member"] for e in ev))
        self.assertTrue(any(e["type"] == "reception" and e["outcome"] == "duty" for e in ev))

        def at(e):
            return datetime.datetime.fromisoformat(e["at"])

        deals, recv, paid, deal_ids = {}, {}, {}, set()
        order = sorted(range(len(ev)), key=lambda i: (at(ev[i]), i))
        for i in order:
            e = ev[i]
            day = e["at"][:10]
            if e["member"]:
                m = members[e["member"]]
                self.assertGreaterEqual(day, m["start_date"], e)
                self.assertTrue(not m["end_date"] or day <= m["end_date"], e)
            if e["type"] == "deal":
                self.assertNotIn(e["ref"], deal_ids)
                deal_ids.add(e["ref"])
                deals[e["ref"]] = e
                self.assertGreaterEqual(float(e["list_amount"]), float(e["amount"]))
                self.assertTrue(e["cost"])
            elif e["type"] in ("claim", "override"):
                self.assertIn(e["ref"], deals, e)  # the deal came first
            elif e["type"] == "receivable":
                self.assertNotIn(e["ref"], recv)
                recv[e["ref"]] = round(float(e["amount"]) * 100)
                paid[e["ref"]] = 0
            elif e["type"] == "payment":
                self.assertIn(e["ref"], recv, e)
                paid[e["ref"]] += round(float(e["amount"]) * 100)
                self.assertLessEqual(paid[e["ref"]], recv[e["ref"]], e)
            elif e["type"] == "absence":
                self.assertEqual(float(e["value"]) * 2 % 1, 0)
        # deals closed by someone other than the protector get claimed,
        # mostly in time, some late
        gaps = []
        for e in ev:
            if e["type"] == "claim":
                gaps.append((at(e).date() - at(deals[e["ref"]]).date()).days)
        self.assertTrue(any(g <= 3 for g in gaps) and any(g > 3 for g in gaps), gaps)


class TestDemo(Base):
    def test_report(self):
        rc, out, err = run("demo")
        self.assertEqual(rc, 0, err)
        exp = Expect(SAMPLE)
        sec = sections(out)
        self.assertIn("The dataset", sec)
        counts = dict(re.split(r":\s+", l, maxsplit=1) for l in sec["The dataset"])
        self.assertEqual(counts["events"], str(len(exp.events)))
        self.assertEqual(counts["keys"], str(exp.keys))
        types = sec["Events by type"]
        check_aligned(self, types, left=(0,), right=(1,))
        got = {l.split()[0]: int(l.split()[1]) for l in types[2:]}
        for t in EVENT_TYPES:
            self.assertEqual(got[t], sum(1 for e in exp.events if e["type"] == t), t)
        teams = sec["Teams"]
        check_aligned(self, teams, left=(0, 2, 3), right=(5, 6))
        self.assertEqual(len(teams) - 2, len(exp.teams))
        names = {m["member_id"]: m["name"] for m in exp.members}
        for t in exp.teams:
            row = next(l for l in teams[2:] if l.split()[0] == t["team_id"])
            self.assertIn(t["name"], row)
            self.assertIn(names[t["leader_id"]], row)
            n = sum(1 for m in exp.members if m["team_id"] == t["team_id"])
            self.assertEqual(int(row.split()[-2]), n)
        root = next(l for l in teams[2:] if l.split()[0] == "hq")
        self.assertEqual(int(root.split()[-1]), len(exp.members))

    def test_json(self):
        rc, out, err = run("demo", "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        exp = Expect(SAMPLE)
        self.assertEqual(doc["counts"]["members"], len(exp.members))
        self.assertEqual({t["team"]: t["name"] for t in doc["teams"]},
                         {t["team_id"]: t["name"] for t in exp.teams})
        self.assertEqual(sum(r["events"] for r in doc["event_types"]), len(exp.events))
        rc, out, err = run("demo", "--format", "csv")
        self.assertEqual(rc, 0, err)
        self.assertIn("# Teams\n", out)

    def test_generated_fallback(self):
        """Without the bundled copy, demo generates the same sample."""
        rc, a, err = run("demo", "--generate", "--format", "json")
        self.assertEqual(rc, 0, err)
        rc, b, err = run("demo", "--format", "json")
        self.assertEqual(rc, 0, err)
        a, b = json.loads(a), json.loads(b)
        del a["counts"]["dataset"], b["counts"]["dataset"]
        self.assertEqual(a, b)


class TestOutput(Base):
    """The output helpers, through the fixture program tests/cli/test_out.c."""

    def test_json(self):
        rc, out, err = run("json", exe=TEST_OUT)
        self.assertEqual(rc, 0, err)
        rows = json.loads(out)
        self.assertEqual(rows[0], {"member": "m01", "name": "张伟", "sales_amount": "1234.50",
                                   "close_rate": 0.25, "note": 'say "hi", ok'})
        self.assertEqual(rows[1]["name"], "欧阳娜娜")
        self.assertEqual(rows[1]["note"], "back\\slash\ttab\nnewline")
        self.assertIsNone(rows[1]["close_rate"])
        self.assertIsNone(rows[2]["sales_amount"])
        rc, out, err = run("doc", exe=TEST_OUT)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["名字"], '华东一组 "甲"\x01')
        self.assertEqual(doc["nested"], [-42, "1.00", 0.5, None, True, None, [], {}])
        self.assertEqual(doc["first"], doc["rows"][0])

    def test_csv(self):
        rc, out, err = run("csv", exe=TEST_OUT)
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines(keepends=True)))
        self.assertEqual(rows[0]["note"], 'say "hi", ok')
        self.assertEqual(rows[1]["note"], "back\\slash\ttab\nnewline")
        self.assertEqual(rows[1]["sales_amount"], "-0.05")
        self.assertEqual(rows[2]["close_rate"], "0.3333333333")

    def test_table_alignment(self):
        rc, out, err = run("table", exe=TEST_OUT)
        self.assertEqual(rc, 0, err)
        lines = out.rstrip("\n").split("\n")
        self.assertEqual(len(lines), 5)
        check_aligned(self, lines, left=(0, 1, 4), right=(2, 3))
        self.assertIn("张伟", lines[2])
        self.assertIn("欧阳娜娜", lines[3])

    def test_aligner_catches_misalignment(self):
        """The alignment check itself fails on a table padded by characters."""
        bad = ["name  x", "----  -", "张伟    1", "ab    2"]
        with self.assertRaises(AssertionError):
            check_aligned(self, bad)
        bad = ["name  x", "----  -", "张伟 1", "ab    2"]
        with self.assertRaises(AssertionError):
            check_aligned(self, bad)
        check_aligned(self, ["name  x", "----  -", "张伟  1", "ab    2"], left=(0, 1))


def main():
    global EXE, TEST_OUT, SAMPLE
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    EXE, TEST_OUT, SAMPLE = (os.path.abspath(a) for a in sys.argv[1:4])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[4:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
