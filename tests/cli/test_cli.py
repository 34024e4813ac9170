#!/usr/bin/env python3
"""Tests of the salesmgmt command (suite 'cli'); python3 standard library only.

usage: test_cli.py SALESMGMT TEST_CLI_OUT SAMPLE_DIR GEN

SALESMGMT is the built program, TEST_CLI_OUT the output-helper fixture
program (tests/cli/test_out.c), SAMPLE_DIR the bundled examples/data, GEN
the sample generator salesmgmt-gen (tools/gen).
Every expectation is computed here from the CSV files, independently of
the library.
"""
import csv
import datetime
import filecmp
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import unittest

import scorecard_ref

EXE = TEST_OUT = SAMPLE = GEN = None

SAMPLE_ARGS = ["--members", "12", "--customers", "300", "--events", "10000", "--seed", "7",
               "--changes"]
GEN_FILES = ["teams.csv", "members.csv", "customers.csv", "profiles.csv", "targets.csv",
             "commission.csv", "policy.conf", "events.csv", "scorecard.csv"]
EVENT_TYPES = ["signin", "reception", "register", "followup", "visit", "demo", "deal", "claim",
               "override", "void_register", "receivable", "payment", "complaint", "expense",
               "absence", "work_score", "fault", "submit"]


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
        # RULES.md §8: the results are those of the log without the
        # cancelled events (and the cancels, which count for nothing)
        cancelled = {e["ref"] for e in self.events if e["type"] == "cancel"}
        self.live = [e for e in self.events
                     if e["type"] != "cancel" and not (e.get("id") and e["id"] in cancelled)]
        self.live_deals = sum(1 for e in self.live if e["type"] == "deal")

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
        rc, out, err = run("--out", d, *args, exe=GEN)
        self.assertEqual(rc, 0, err)
        return d


class TestCheck(Base):
    def test_sample_summary(self):
        rc, out, err = run("check", SAMPLE)
        self.assertEqual(rc, 0, err)
        exp = Expect(SAMPLE)
        # the one-line summary, then the rows of every file read (issue #13)
        self.assertEqual(out.split("\n")[0], exp.summary())
        rows = {l.split()[0]: l.split()[1] for l in out.split("\n\n")[1].splitlines()[2:]}
        self.assertEqual(rows["events.csv"], str(len(exp.events)))
        self.assertEqual(rows["members.csv"], str(len(exp.members)))
        self.assertEqual(rows["targets.csv"], str(len(read_csv(os.path.join(SAMPLE,
                                                                            "targets.csv")))))
        self.assertEqual(rows["policy.conf"], "-")
        self.assertEqual(err, "")

    def test_sample_json_and_csv(self):
        exp = Expect(SAMPLE)
        rc, out, err = run("check", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        # DATASET.md "Errors": {"ok":true,"counts":{…}} (issue #13)
        self.assertEqual(doc["ok"], True)
        self.assertEqual({k: doc["counts"][k] for k in ("teams", "members", "customers", "keys",
                                                        "events", "deals")},
                         {"teams": len(exp.teams), "members": len(exp.members),
                          "customers": len(exp.customers), "keys": exp.keys,
                          "events": len(exp.events), "deals": exp.deals})
        # the sample's cancels (RULES.md §8), each with the event it voids
        by_id = {e["id"]: (i + 2, e) for i, e in enumerate(exp.events) if e["id"]}
        cancels = [(i + 2, e) for i, e in enumerate(exp.events) if e["type"] == "cancel"]
        self.assertTrue(cancels)
        self.assertEqual([(c["event"], c["cancels"], c["type"], c["line"])
                          for c in doc["cancels"]],
                         [(e["id"], e["ref"], by_id[e["ref"]][1]["type"], by_id[e["ref"]][0])
                          for _, e in sorted(cancels, key=lambda c: (c[1]["at"], c[0]))])
        rc, out, err = run("check", "--format=csv", SAMPLE)
        self.assertEqual(rc, 0, err)
        # the summary record, then (after a blank line) the cancels, as
        # "# title" sections
        summary, listing = out.split("\n\n")
        self.assertEqual(summary.splitlines()[0], "# Check")
        rows = list(csv.DictReader(summary.splitlines()[1:]))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["events"], str(len(exp.events)))
        self.assertEqual(rows[0]["ok"], "true")
        self.assertEqual(listing.splitlines()[0], "# Cancels (作废)")
        self.assertEqual(len(list(csv.DictReader(listing.splitlines()[1:]))), len(cancels))

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
    def usage_error(self, *args, exe=None):
        rc, out, err = run(*args, exe=exe)
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
        self.usage_error("gen")  # no longer a command: salesmgmt-gen
        self.usage_error(exe=GEN)
        self.usage_error("--out", self.tmp, "--members", "abc", exe=GEN)
        self.usage_error("--out", self.tmp, "--members", "2", exe=GEN)
        self.usage_error("--out", self.tmp, "--events", "-5", exe=GEN)
        self.usage_error("--out", self.tmp, "--seed", "99999999999999999999999", exe=GEN)
        self.usage_error("--out", self.tmp, "extra", exe=GEN)
        self.usage_error("--out", self.tmp, "--out", self.tmp, exe=GEN)
        self.usage_error("--out", self.tmp, "--bogus", "1", exe=GEN)
        self.usage_error("demo", SAMPLE, "extra")
        self.usage_error("demo", SAMPLE, "--format", "yaml")

    def test_help_and_version(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0)
        for cmd in ("check", "demo"):
            self.assertIn("salesmgmt " + cmd, out)
        # every command of DATASET.md, in its order (the generator is a
        # program of its own, salesmgmt-gen, not installed)
        order = ["check", "kpi", "targets", "tiers", "visits", "attribute", "rotation", "pay",
                 "scorecard", "reminders", "report", "demo"]
        listed = re.findall(r"^  salesmgmt (\S+)", out, re.M)
        self.assertEqual(listed, order)
        rc, out, err = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^salesmgmt \d+\.\d+\.\d+")
        rc, out, err = run("--help", exe=GEN)
        self.assertEqual(rc, 0)
        self.assertIn("usage: salesmgmt-gen --out DIR", out)

    def test_gen_unwritable(self):
        blocker = os.path.join(self.tmp, "file")
        open(blocker, "w").close()
        rc, out, err = run("--out", blocker, exe=GEN)
        self.assertEqual(rc, 3, err)
        self.assertIn("salesmgmt-gen: cannot create folder", err)


class TestGen(Base):
    SMALL = ["--members", "8", "--customers", "60", "--events", "3000"]

    def test_atomic_writes(self):
        # issue 15: a run that cannot finish a file (a file size limit, as a
        # full disk would) leaves the previous files as they were and no
        # temporary file behind
        import resource
        import signal
        d = self.gen("g", *self.SMALL, "--seed", "3")
        before = {}
        for n in sorted(os.listdir(d)):
            with open(os.path.join(d, n), "rb") as f:
                before[n] = f.read()
        self.assertGreater(len(before["events.csv"]), 40000)

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))
        p = subprocess.run([GEN, "--out", d, *self.SMALL, "--seed", "4"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=240, preexec_fn=limit)
        err = p.stderr.decode("utf-8")
        self.assertNotEqual(p.returncode, 0, err)
        self.assertIn("events.csv", err)
        self.assertEqual(sorted(os.listdir(d)), sorted(before))  # no temporary file
        with open(os.path.join(d, "events.csv"), "rb") as f:
            self.assertEqual(f.read(), before["events.csv"])  # the old file survives

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
            self.assertEqual(out.split("\n")[0], exp.summary())

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
        rc, out, err = run("demo", SAMPLE)
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
        rc, out, err = run("demo", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        exp = Expect(SAMPLE)
        self.assertEqual(doc["counts"]["members"], len(exp.members))
        self.assertEqual({t["team"]: t["name"] for t in doc["teams"]},
                         {t["team_id"]: t["name"] for t in exp.teams})
        self.assertEqual(sum(r["events"] for r in doc["event_types"]), len(exp.events))
        rc, out, err = run("demo", SAMPLE, "--format", "csv")
        self.assertEqual(rc, 0, err)
        self.assertIn("# Teams\n", out)

    def test_generated_sample(self):
        """On a sample generated with the bundled one's parameters, demo
        prints the same report (but for the folder's name)."""
        d = self.gen("sample", *SAMPLE_ARGS)
        rc, a, err = run("demo", d, "--format", "json")
        self.assertEqual(rc, 0, err)
        rc, b, err = run("demo", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        a, b = json.loads(a), json.loads(b)
        self.assertEqual(a["counts"]["dataset"], d)
        self.assertEqual(b["counts"]["dataset"], SAMPLE)
        del a["counts"]["dataset"], b["counts"]["dataset"]
        self.assertEqual(a, b)

    def test_dataset_argument(self):
        """Without a dataset, demo reads the sample installed with the
        command; when there is none it says to pass one (exit 3). A folder
        that is not a dataset is an I/O error too."""
        rc, out, err = run("demo")
        if rc != 0:  # not installed here
            self.assertEqual(rc, 3, err)
            self.assertEqual(out, "")
            self.assertIn("salesmgmt demo DATASET", err)
        rc, out, err = run("demo", os.path.join(self.tmp, "nothing"))
        self.assertEqual(rc, 3, err)
        self.assertEqual(out, "")
        # the source tree is no longer compiled into the program
        with open(EXE, "rb") as f:
            self.assertNotIn(os.path.dirname(SAMPLE).encode(), f.read())


# ---- targets, tiers, visits, attribute, rotation (independent recomputation) ----

TIER_NAMES = ["vip", "tier1", "tier2", "other"]
MONEY_RE = re.compile(r"^-?\d+\.\d\d$")


def cents(text):
    """Exact minor units of a money text ("12.5" -> 1250)."""
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("+-").partition(".")
    v = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -v if neg else v


def day_of(text):
    return datetime.date.fromisoformat(text[:10])


def add_months(d, n):
    """Same day of month n months later, clamped to the month's end."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return datetime.date(y, m, min(d.day, (nxt - datetime.timedelta(days=1)).day))


def read_policy_text(text):
    """policy.conf text as {name: [values]}."""
    out = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            k, v = (s.strip() for s in line.split("=", 1))
            out.setdefault(k, []).append(v)
    return out


def read_policy(d):
    path = os.path.join(d, "policy.conf")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return read_policy_text(f.read())


def event_order(events):
    """Event indices in processing order: time, then file order."""
    def key(i):
        return (datetime.datetime.fromisoformat(events[i]["at"]), i)
    return sorted(range(len(events)), key=key)


def tier_window(year=None, as_of=None):
    if year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    try:
        back = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February -> 28 February
        back = as_of.replace(year=as_of.year - 1, day=28)
    return back + datetime.timedelta(days=1), as_of


_NET = []


def engines_net_refunds():
    """Whether the library counts refunds (RULES.md §8): once `kpi` has the
    KPI `refund_amount`, sales and tiers are net of refunds; before (the
    engines' side is being done apart from the sample's), they are not."""
    if not _NET:
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--format", "json")
        _NET.append("refund_amount" in json.loads(out)["rows"][0])
    return _NET[0]


def expected_tiers(exp, frm, to, method="threshold", policy=None):
    """{customer: (annual sales in cents, tier)} per RULES.md §3 and §8 (no
    cancelled deal; net of the refunds dated in the window, when the
    engines count refunds), from events.csv."""
    policy = policy or {}

    def p(name, default):
        return policy.get(name, [default])[-1]

    sales = {c["customer_id"]: 0 for c in exp.customers}
    deal_customer = {}
    for e in exp.live:
        if e["type"] == "deal":
            deal_customer[e["ref"]] = e["customer"]
        if e["type"] == "deal" and frm <= day_of(e["at"]) <= to:
            sales[e["customer"]] += cents(e["amount"])
        if (e["type"] == "refund" and engines_net_refunds() and
                frm <= day_of(e["at"]) <= to):
            sales[deal_customer[e["ref"]]] -= cents(e["amount"])
    out = {}
    if method == "threshold":
        vip, t1, t2 = (cents(p("tier.%s_min" % n, d)) for n, d in
                       (("vip", "1000000.00"), ("tier1", "200000.00"), ("tier2", "50000.00")))
        for c, s in sales.items():
            out[c] = (s, "vip" if s >= vip else "tier1" if s >= t1 else
                      "tier2" if s >= t2 else "other")
    else:
        from fractions import Fraction
        cut_vip, cut_t1 = Fraction(p("tier.pareto_vip", "0.80")), Fraction(p("tier.pareto_tier1", "0.95"))
        pos = sorted((c for c, s in sales.items() if s > 0),
                     key=lambda c: (-sales[c], c.encode("utf-8")))
        total, before = sum(sales[c] for c in pos), 0
        for c in pos:
            share = Fraction(before, total)
            out[c] = (sales[c], "vip" if share < cut_vip else "tier1" if share < cut_t1 else "tier2")
            before += sales[c]
        for c, s in sales.items():
            out.setdefault(c, (s, "other"))
    return out


def largest_remainder(amount, weights):
    """Split @amount by @weights exactly (RULES.md §2)."""
    total = sum(weights)
    parts = [amount * w // total for w in weights]
    rems = [amount * w % total for w in weights]
    left = amount - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-rems[i], i))[:left]:
        parts[i] += 1
    return parts


def broken_sample(test):
    """A copy of the sample with one bad amount in events.csv."""
    d = test.copy_sample()
    path = os.path.join(d, "events.csv")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    i = text.index(",deal,")
    line_start = text.rindex("\n", 0, i) + 1
    line_end = text.index("\n", i)
    fields = text[line_start:line_end].split(",")
    fields[5] = "12.345"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:line_start] + ",".join(fields) + text[line_end:])
    return d


class TestTargets(Base):
    KEYS = {"subject", "metric", "target", "children_sum", "gap"}
    MEMBER_KEYS = {"subject", "metric", "target"}  # a member's row has no split columns
    MONEY = {"sales_amount", "gross_profit", "collections"}
    COUNT = {"deal_count", "new_customers", "visits"}

    def targets(self, period):
        rc, out, err = run("targets", SAMPLE, "--period", period, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(set(doc), {"period", "rows", "company"})
        self.assertEqual(doc["period"], period)
        return doc["rows"]

    def test_shape_and_gaps(self):
        teams = [t["team_id"] for t in read_csv(os.path.join(SAMPLE, "teams.csv"))]
        members = [m["member_id"] for m in read_csv(os.path.join(SAMPLE, "members.csv"))]
        for period in ("2026-Q1", "2025", "2025-07", "2025-03-03..2025-03-09"):
            rows = self.targets(period)
            self.assertTrue(rows, period)
            self.assertEqual(rows[0]["subject"], "company")
            seen = set()
            for r in rows:
                if r["subject"].startswith("member:"):
                    self.assertEqual(set(r), self.MEMBER_KEYS, r)
                    self.assertIn(r["subject"][7:], members, r)
                    self.assertIsNotNone(r["target"], r)
                    r = dict(r, children_sum=None, gap=None)
                else:
                    self.assertEqual(set(r), self.KEYS, r)
                self.assertNotIn((r["subject"], r["metric"]), seen)
                seen.add((r["subject"], r["metric"]))
                self.assertTrue(r["subject"] == "company" or
                                r["subject"] in ["team:" + t for t in teams] or
                                r["subject"] in ["member:" + m for m in members], r)
                self.assertIn(r["metric"], self.MONEY | self.COUNT)
                for k in ("target", "children_sum", "gap"):
                    v = r[k]
                    if v is None:
                        continue
                    if r["metric"] in self.MONEY:
                        self.assertIsInstance(v, str, r)
                        self.assertRegex(v, MONEY_RE)
                    else:
                        self.assertIs(type(v), int, r)
                if r["subject"].startswith("member:"):
                    continue
                self.assertEqual(r["gap"] is None, r["target"] is None, r)
                if r["target"] is not None:
                    child = r["children_sum"]
                    if r["metric"] in self.MONEY:
                        self.assertEqual(cents(r["gap"]),
                                         cents(r["target"]) - (cents(child) if child else 0), r)
                    else:
                        self.assertEqual(r["gap"], r["target"] - (child or 0), r)
            # subjects: the company, then teams in teams.csv order, then
            # members in members.csv order
            order = [r["subject"] for r in rows]
            rank = {"company": (0, 0)}
            rank.update({"team:" + t: (1, i) for i, t in enumerate(teams)})
            rank.update({"member:" + m: (2, i) for i, m in enumerate(members)})
            self.assertEqual(order, sorted(order, key=lambda s: rank[s]))
            self.assertTrue(any(s.startswith("member:") for s in order), period)

    def test_values_recomputed(self):
        """2026-Q1 from targets.csv and profiles.csv, split by largest remainder."""
        targets = read_csv(os.path.join(SAMPLE, "targets.csv"))
        profiles = {p["profile"]: [int(p["m%02d" % i]) for i in range(1, 13)]
                    for p in read_csv(os.path.join(SAMPLE, "profiles.csv"))}
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        months = ["2026-01", "2026-02", "2026-03"]

        def own(subject, metric):
            total, found = 0, False
            for t in targets:
                if t["subject"] != subject or t["metric"] != metric:
                    continue
                money = metric in self.MONEY
                amount = cents(t["amount"]) if money else int(t["amount"])
                per = t["period"]
                if re.fullmatch(r"\d{4}", per):
                    if per != "2026":
                        continue
                    w = profiles[t["profile"]] if t["profile"] else [1] * 12
                    total += sum(largest_remainder(amount, w)[:3])
                elif "-Q" in per:
                    if per != "2026-Q1":
                        continue
                    total += amount
                elif per in months:
                    total += amount
                else:
                    continue
                found = True
            return total if found else None

        rows = {(r["subject"], r["metric"]): r for r in self.targets("2026-Q1")}
        # a row for every member with a target of the metric in the period
        self.assertEqual({k for k in rows if k[0].startswith("member:")},
                         {("member:" + m["member_id"], metric) for m in members
                          for metric in self.MONEY | self.COUNT
                          if own("member:" + m["member_id"], metric) is not None})
        for (subject, metric), r in rows.items():
            money = metric in self.MONEY

            def val(v):
                return None if v is None else cents(v) if money else v
            self.assertEqual(val(r["target"]), own(subject, metric), r)
            if subject.startswith("member:"):
                self.assertNotIn("children_sum", r)
                continue
            if subject == "company":
                kids = ["team:" + t["team_id"] for t in teams if not t["parent_id"]]
            else:
                tid = subject[5:]
                kids = ["team:" + t["team_id"] for t in teams if t["parent_id"] == tid]
                kids += ["member:" + m["member_id"] for m in members if m["team_id"] == tid]
            vals = [own(k, metric) for k in kids]
            want = None if all(v is None for v in vals) else sum(v or 0 for v in vals)
            self.assertEqual(val(r["children_sum"]), want, r)
        self.assertIn(("company", "deal_count"), rows)
        self.assertIn(("team:t001", "sales_amount"), rows)
        self.assertIn(("member:m004", "sales_amount"), rows)

    def test_table_and_csv(self):
        rc, out, err = run("targets", SAMPLE, "--period", "2026-Q1")
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        self.assertEqual(len(sec), 2)  # the targets, the company and its top teams
        body = list(sec.values())[0]
        check_aligned(self, body, left=(0, 1, 2), right=(3, 4, 5))
        check_aligned(self, list(sec.values())[1], left=(0, 1, 2), right=(3, 4))
        self.assertIn("华东一组", out)
        rc, out, err = run("targets", SAMPLE, "--period", "2026-Q1", "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(list(rows[0]), ["subject", "metric", "target", "children_sum", "gap"])
        self.assertEqual(len(rows), len(self.targets("2026-Q1")))
        for r in rows:
            if r["subject"].startswith("member:"):
                self.assertEqual((r["children_sum"], r["gap"]), ("", ""), r)
                self.assertRegex(r["target"], r"^\d")

    def test_errors(self):
        for args in ([], ["--period", "2026-13"], ["--period", "2026-Q5"],
                     ["--period", "2026-03-10..2026-03-01"], ["--period", "soon"]):
            rc, out, err = run("targets", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("targets", broken_sample(self), "--period", "2026")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        self.assertIn("events.csv", err)


class TestTiers(Base):
    def tiers(self, *args):
        rc, out, err = run("tiers", SAMPLE, "--format", "json", *args)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(set(doc), {"window", "customers"})
        self.assertEqual(set(doc["window"]), {"from", "to"})
        for r in doc["customers"]:
            self.assertEqual(set(r), {"customer", "annual_sales", "tier"}, r)
            self.assertRegex(r["annual_sales"], MONEY_RE)
            self.assertIn(r["tier"], TIER_NAMES)
        return doc

    def check(self, doc, frm, to, method):
        exp = Expect(SAMPLE)
        self.assertEqual(doc["window"], {"from": frm.isoformat(), "to": to.isoformat()})
        want = expected_tiers(exp, frm, to, method, read_policy(SAMPLE))
        got = {r["customer"]: (cents(r["annual_sales"]), r["tier"]) for r in doc["customers"]}
        self.assertEqual(got, want)
        # one row per customer, in customers.csv order
        self.assertEqual([r["customer"] for r in doc["customers"]],
                         [c["customer_id"] for c in exp.customers])
        return want

    def test_year_threshold(self):
        want = self.check(self.tiers("--year", "2025"), *tier_window(year=2025), "threshold")
        # the sample is interesting: every tier is present
        self.assertEqual({t for _, t in want.values()}, set(TIER_NAMES))

    def test_as_of_and_pareto(self):
        d = datetime.date(2026, 4, 10)
        frm, to = tier_window(as_of=d)
        self.assertEqual(frm, datetime.date(2025, 4, 11))
        self.check(self.tiers("--as-of", "2026-04-10"), frm, to, "threshold")
        self.check(self.tiers("--as-of", "2026-04-10", "--method", "pareto"), frm, to, "pareto")
        self.check(self.tiers("--year", "2025", "--method", "pareto"), *tier_window(year=2025),
                   "pareto")
        # 29 February: one year back is 28 February
        doc = self.tiers("--as-of", "2024-02-29")
        self.assertEqual(doc["window"], {"from": "2023-03-01", "to": "2024-02-29"})

    def test_policy_thresholds(self):
        # thresholds exactly at customers' sales: ">=" puts them in the higher tier
        base = expected_tiers(Expect(SAMPLE), *tier_window(year=2025), "threshold")
        amounts = sorted({v[0] for v in base.values() if v[0] > 0}, reverse=True)
        vip, t1 = amounts[len(amounts) // 4], amounts[len(amounts) // 2]

        def money(c):
            return "%d.%02d" % divmod(c, 100)
        text = "tier.vip_min = %s\ntier.tier1_min = %s\ntier.tier2_min = 0.01\n" % (
            money(vip), money(t1))
        pol = os.path.join(self.tmp, "p.conf")
        with open(pol, "w") as f:
            f.write(text)
        rc, out, err = run("tiers", SAMPLE, "--year", "2025", "--policy", pol, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        policy = read_policy(SAMPLE)
        policy.update(read_policy_text(text))
        want = expected_tiers(Expect(SAMPLE), *tier_window(year=2025), "threshold", policy)
        got = {r["customer"]: (cents(r["annual_sales"]), r["tier"]) for r in doc["customers"]}
        self.assertEqual(got, want)
        self.assertIn((vip, "vip"), got.values())
        self.assertIn((t1, "tier1"), got.values())

    def test_table_zh(self):
        rc, out, err = run("tiers", SAMPLE, "--year", "2025", "--lang", "zh")
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        title = next(t for t in sec if t.startswith("Customer tiers"))
        self.assertIn("2025-01-01", title)
        body = sec[title]
        check_aligned(self, body, left=(0, 1, 3), right=(2,))
        self.assertEqual(len(body) - 2, len(Expect(SAMPLE).customers))
        labels = {l.split()[-1] for l in body[2:]}
        self.assertTrue(labels <= {"VIP", "一级", "二级", "其他"}, labels)
        self.assertIn("一级", labels)
        summary = sec["Per tier"]
        check_aligned(self, summary, left=(0,), right=(1, 2))
        self.assertEqual(sum(int(l.split()[1]) for l in summary[2:]),
                         len(Expect(SAMPLE).customers))
        # English by default; CSV keeps the English names
        rc, out, err = run("tiers", SAMPLE, "--year", "2025")
        self.assertEqual(rc, 0, err)
        self.assertNotIn("一级", out)
        rc, out, err = run("tiers", SAMPLE, "--year", "2025", "--lang", "zh", "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(list(rows[0]), ["customer", "annual_sales", "tier"])
        self.assertTrue({r["tier"] for r in rows} <= set(TIER_NAMES))

    def test_errors(self):
        for args in ([], ["--year", "2025", "--as-of", "2025-06-30"], ["--year", "25x"],
                     ["--year", "0"], ["--as-of", "2025-02-30"], ["--as-of", "2025/06/30"],
                     ["--year", "2025", "--method", "median"], ["--year", "2025", "--lang", "fr"]):
            rc, out, err = run("tiers", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("tiers", broken_sample(self), "--year", "2025")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")


def expected_visits(as_of):
    """The visit list as of @as_of (RULES.md §3), without the member column."""
    exp = Expect(SAMPLE)
    policy = read_policy(SAMPLE)
    cadence = {t: int(policy.get("visit.%s_months" % t, [d])[-1])
               for t, d in (("vip", "1"), ("tier1", "2"), ("tier2", "0"), ("other", "0"))}
    frm, to = tier_window(as_of=as_of)
    tiers = expected_tiers(exp, frm, to, policy.get("tier.method", ["threshold"])[-1],
                           policy)
    last = {}
    for e in exp.live:
        if e["type"] == "visit" and day_of(e["at"]) <= as_of:
            last[e["customer"]] = max(last.get(e["customer"], day_of(e["at"])),
                                      day_of(e["at"]))
    rows = []
    for i, c in enumerate(exp.customers):
        cid = c["customer_id"]
        months = cadence[tiers[cid][1]]
        if not months:
            continue
        lv = last.get(cid)
        due = add_months(lv, months) if lv else frm
        rows.append(((due, i), {"customer": cid, "tier": tiers[cid][1],
                                "last_visit": lv.isoformat() if lv else None,
                                "due": due.isoformat(), "overdue": due < as_of}))
    return [r for _, r in sorted(rows, key=lambda x: x[0])]


class TestVisits(Base):
    KEYS = {"customer", "tier", "last_visit", "due", "overdue", "member"}

    def visits(self, *args, data=None):
        rc, out, err = run("visits", data or SAMPLE, "--format", "json", *args)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(set(doc), {"as_of", "customers"})
        for r in doc["customers"]:
            self.assertEqual(set(r), self.KEYS, r)
            self.assertIs(type(r["overdue"]), bool)
        return doc

    def expected(self, as_of):
        return expected_visits(as_of)

    def test_recomputed(self):
        for day in ("2026-04-10", "2025-09-15"):
            doc = self.visits("--as-of", day)
            self.assertEqual(doc["as_of"], day)
            got = [{k: v for k, v in r.items() if k != "member"} for r in doc["customers"]]
            want = self.expected(datetime.date.fromisoformat(day))
            self.assertEqual(got, want)
            self.assertTrue(any(r["overdue"] for r in want) and
                            any(not r["overdue"] for r in want), day)
            self.assertTrue(any(r["last_visit"] for r in want), day)

    def test_members(self):
        members = {m["member_id"] for m in Expect(SAMPLE).members}
        doc = self.visits("--as-of", "2026-04-10")
        rows = doc["customers"]
        self.assertTrue(all(r["member"] is None or r["member"] in members for r in rows))
        self.assertTrue(any(r["member"] for r in rows))
        # a customer with nobody responsible has no deal credited to a member
        # (the attribution of the whole log is the state on its last day)
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        credited = {d["key"] for d in json.loads(out)["deals"] if d["credited"]}
        keys = {c["customer_id"]: c["group_key"] or c["customer_id"]
                for c in Expect(SAMPLE).customers}
        for r in rows:
            if r["member"] is None:
                self.assertNotIn(keys[r["customer"]], credited, r)
        # --member keeps exactly that member's rows, in the same order
        for m in sorted({r["member"] for r in rows if r["member"]})[:4]:
            sub = self.visits("--as-of", "2026-04-10", "--member", m)
            self.assertEqual(sub["customers"], [r for r in rows if r["member"] == m])

    def test_table(self):
        rc, out, err = run("visits", SAMPLE, "--as-of", "2026-04-10", "--lang", "zh")
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        body = sec["Visits as of 2026-04-10"]
        check_aligned(self, body, left=(0, 1, 2, 4, 5, 6, 7))
        summary = sec["Per tier"]
        check_aligned(self, summary, left=(0,), right=(1, 2, 3, 4))
        want = self.expected(datetime.date(2026, 4, 10))
        got = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in summary[2:]}
        zh = {"vip": "VIP", "tier1": "一级", "tier2": "二级", "other": "其他"}
        for t in TIER_NAMES:
            rows = [r for r in want if r["tier"] == t]
            if not rows:
                continue
            over = sum(r["overdue"] for r in rows)
            today = sum(r["due"] == "2026-04-10" for r in rows)
            self.assertEqual(got[zh[t]], [len(rows), over, today, len(rows) - over - today])
        rc, out, err = run("visits", SAMPLE, "--as-of", "2026-04-10", "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(list(rows[0]), ["customer", "tier", "last_visit", "due", "overdue",
                                         "member"])
        self.assertEqual(len(rows), len(want))

    def test_errors(self):
        for args in ([], ["--as-of", "2026-13-01"], ["--as-of", "yesterday"],
                     ["--as-of", "2026-04-10", "--member", "nobody"],
                     ["--as-of", "2026-04-10", "--lang", "de"]):
            rc, out, err = run("visits", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("visits", broken_sample(self), "--as-of", "2026-04-10")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")


class TestAttribute(Base):
    DEAL_KEYS = {"ref", "closer", "credited", "reason", "customer", "key", "day", "amount"}
    REASONS = {"unprotected", "owner", "protected_unclaimed", "claimed", "override", "company"}

    def test_deals(self):
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        # DATASET.md's keys (the command adds the evidence and two more notice lists)
        self.assertTrue({"deals", "collisions", "releases", "rejected", "duplicates"} <= set(doc),
                        doc.keys())
        # releases carry RULES.md §8's reason word (a void: "voided")
        self.assertTrue(all(r["reason"] in ("expired", "voided", "left", "handover", "link",
                                            "hold_limit") for r in doc["releases"]))
        self.assertIn("voided", {r["reason"] for r in doc["releases"]})
        exp = Expect(SAMPLE)
        ev = exp.live  # a cancelled deal is never shown
        deals = {e["ref"]: e for e in ev if e["type"] == "deal"}
        keys = {c["customer_id"]: c["group_key"] or c["customer_id"] for c in exp.customers}
        refs = [d["ref"] for d in doc["deals"]]
        self.assertEqual(sorted(refs), sorted(deals))  # every deal once
        self.assertEqual(len(refs), len(set(refs)))
        total = 0
        for d in doc["deals"]:
            self.assertTrue(self.DEAL_KEYS <= set(d), d)
            e = deals[d["ref"]]
            self.assertIn(d["reason"], self.REASONS)
            self.assertEqual(d["credited"] is None, d["reason"] == "company", d)
            self.assertEqual(d["closer"], e["member"])
            self.assertEqual(d["customer"], e["customer"])
            self.assertEqual(d["key"], keys[e["customer"]])
            self.assertEqual(d["day"], e["at"][:10])
            self.assertRegex(d["amount"], MONEY_RE)
            self.assertEqual(cents(d["amount"]), cents(e["amount"]))
            if d["reason"] in ("unprotected", "owner", "protected_unclaimed"):
                self.assertEqual(d["credited"], d["closer"], d)
            elif d["reason"] == "claimed":
                self.assertNotEqual(d["credited"], d["closer"], d)
            total += cents(d["amount"])
        self.assertEqual(total, sum(cents(e["amount"]) for e in deals.values()))
        # rows in time order
        self.assertEqual([d["day"] for d in doc["deals"]], sorted(d["day"] for d in doc["deals"]))
        # the last override of a deal decides it (R7)
        decided = {}
        for i in event_order(ev):
            if ev[i]["type"] == "override":
                decided[ev[i]["ref"]] = ev[i]["member"] or None
        self.assertTrue(decided)
        by_ref = {d["ref"]: d for d in doc["deals"]}
        for ref, m in decided.items():
            self.assertEqual(by_ref[ref]["credited"], m)
            self.assertEqual(by_ref[ref]["reason"], "company" if m is None else "override")
        self.assertEqual(sum(d["reason"] in ("override", "company") for d in doc["deals"]),
                         len(decided))
        # a claimed deal was claimed by the member credited
        claims = {(e["ref"], e["member"]) for e in ev if e["type"] == "claim"}
        for d in doc["deals"]:
            if d["reason"] == "claimed":
                self.assertIn((d["ref"], d["credited"]), claims)
        # duplicates: the same normalised phone
        phones = {c["customer_id"]: re.sub(r"^(\+86|0086)", "", re.sub(r"[ -]", "", c["phone"]))
                  for c in exp.customers}
        self.assertTrue(doc["duplicates"])
        for dup in doc["duplicates"]:
            self.assertEqual(phones[dup["customer"]], phones[dup["duplicates"]])
            self.assertNotEqual(dup["customer"], dup["duplicates"])

    def test_table_and_errors(self):
        rc, out, err = run("attribute", SAMPLE)
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        self.assertIn("Deals: credit and reason", sec)
        self.assertEqual(len(sec["Deals: credit and reason"]) - 2, Expect(SAMPLE).live_deals)
        rc, out, err = run("attribute", SAMPLE, "extra")
        self.assertEqual(rc, 1, err)
        rc, out, err = run("attribute", broken_sample(self))
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")


class TestRotation(Base):
    def day_events(self, day):
        ev = Expect(SAMPLE).events
        return [ev[i] for i in event_order(ev) if ev[i]["at"].startswith(day)]

    def test_days(self):
        busy = {}
        for e in Expect(SAMPLE).events:
            if e["type"] == "reception" and e["channel"] != "phone":
                busy[e["at"][:10]] = busy.get(e["at"][:10], 0) + 1
        days = sorted(busy, key=lambda d: (-busy[d], d))[:5] + ["2025-03-04"]
        seen_duty = False
        for day in days:
            rc, out, err = run("rotation", SAMPLE, "--day", day, "--format", "json")
            self.assertEqual(rc, 0, err)
            doc = json.loads(out)
            self.assertEqual(set(doc), {"order", "receptions", "final_order"})
            evs = self.day_events(day)
            signins = []
            for e in evs:
                if e["type"] == "signin" and e["member"] not in signins:
                    signins.append(e["member"])
            self.assertEqual([o["member"] for o in doc["order"]], signins, day)
            self.assertEqual([o["position"] for o in doc["order"]],
                             list(range(1, len(signins) + 1)))
            recs = [e for e in evs if e["type"] == "reception" and e["channel"] != "phone"]
            got = doc["receptions"]
            self.assertEqual(len(got), len(recs), day)
            order = list(signins)
            for r, e in zip(got, recs):
                self.assertEqual(r["at"][:16], e["at"][:16])
                self.assertEqual((r["member"], r["customer"]), (e["member"], e["customer"]))
                self.assertEqual(r["duty"], e["outcome"] == "duty")
                self.assertIn(r["kind"], ("new", "returning"))
                self.assertEqual(r["in_turn"], r["in_turn"] and r["expected"] == r["member"])
                seen_duty |= r["duty"]
                if r["kind"] == "new" and not r["duty"] and r["member"] in order:
                    order.remove(r["member"])  # a new customer uses the receiver's turn
                    order.append(r["member"])
            self.assertEqual([o["member"] for o in doc["final_order"]], order, day)
        self.assertTrue(seen_duty)

    def test_errors(self):
        for args in ([], ["--day", "2025-02-29"], ["--day", "today"]):
            rc, out, err = run("rotation", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
        rc, out, err = run("rotation", broken_sample(self), "--day", "2025-03-04")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")


class TestDemoSections(Base):
    def test_json(self):
        rc, out, err = run("demo", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        exp = Expect(SAMPLE)
        a = doc["attribution"]
        self.assertEqual(a["deals"], exp.live_deals)
        self.assertEqual(sum(a[r] for r in TestAttribute.REASONS), exp.live_deals)
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        att = json.loads(out)
        self.assertEqual(a["collisions"], len(att["collisions"]))
        self.assertEqual(a["releases"], len(att["releases"]))
        self.assertEqual(a["duplicates"], len(att["duplicates"]))
        self.assertEqual(a["late_followups"], len(att["late_followups"]))
        self.assertEqual(a["claims_late"] + a["claims_invalid"], len(att["rejected_claims"]))
        # tiers of the last full calendar year of the sample (it ends in 2026)
        last = max(day_of(e["at"]) for e in exp.events)
        year = last.year if (last.month, last.day) == (12, 31) else last.year - 1
        want = expected_tiers(exp, *tier_window(year=year), "threshold", read_policy(SAMPLE))
        tiers = {r["tier"]: r for r in doc["tiers"]}
        self.assertEqual(set(tiers), set(TIER_NAMES))
        for t in TIER_NAMES:
            self.assertEqual(tiers[t]["year"], year)
            self.assertEqual(tiers[t]["customers"], sum(v[1] == t for v in want.values()))
            self.assertEqual(cents(tiers[t]["annual_sales"]),
                             sum(v[0] for v in want.values() if v[1] == t))
        # overdue visits as of the last day
        visits = expected_visits(last)
        for r in doc["overdue_visits"]:
            self.assertEqual(r["as_of"], last.isoformat())
            rows = [v for v in visits if v["tier"] == r["tier"]]
            self.assertEqual((r["customers"], r["overdue"]),
                             (len(rows), sum(v["overdue"] for v in rows)))
        self.assertEqual(sum(r["customers"] for r in doc["overdue_visits"]), len(visits))
        first = [v for v in visits if v["overdue"]][:10]
        self.assertEqual([(r["customer"], r["due"]) for r in doc["overdue_customers"]],
                         [(v["customer"], v["due"]) for v in first])

    def test_text(self):
        rc, out, err = run("demo", SAMPLE)
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        title = next(t for t in sec if t.startswith("Attribution"))
        counts = dict(re.split(r":\s+", l, maxsplit=1) for l in sec[title])
        self.assertEqual(int(counts["deals"]), Expect(SAMPLE).live_deals)
        title = next(t for t in sec if t.startswith("Customer tiers"))
        check_aligned(self, sec[title], left=(0, 1), right=(2, 3))
        title = next(t for t in sec if t.startswith("Overdue visits"))
        check_aligned(self, sec[title], left=(0,), right=(1, 2))
        title = next(t for t in sec if t.startswith("The 10 longest overdue"))
        check_aligned(self, sec[title], left=(0, 1, 2, 4, 5, 6))
        self.assertEqual(len(sec[title]) - 2, 10)
        # short enough to read (150 lines, and the 15 of RULES.md §8: the
        # new event types and a row per kind of change after the fact)
        self.assertLess(len(out.split("\n")), 165)


# ---- kpi, pay, report (independent recomputation) ----

# RULES.md §5, in its order
KPI_KEYS = ["sales_amount", "deal_count", "gross_profit", "target_amount", "completion_rate",
            "growth_yoy", "growth_pop", "price_retention_rate", "expense_amount",
            "expense_rate", "collection_rate", "visit_count", "visit_success_rate",
            "complaint_count", "complaint_rate", "new_customer_count", "retention_rate",
            "lost_customer_count", "reception_count", "registration_rate", "demo_rate",
            "close_rate", "followup_ontime_rate"]
KPI_MONEY = {"sales_amount", "gross_profit", "target_amount", "expense_amount"}
KPI_COUNT = {"deal_count", "visit_count", "complaint_count", "new_customer_count",
             "lost_customer_count", "reception_count"}
KPI_RATE = set(KPI_KEYS) - KPI_MONEY - KPI_COUNT
# additive over a team's members (RULES.md §1); distinct-key counts excepted
KPI_SUMS = ["sales_amount", "deal_count", "gross_profit", "expense_amount", "visit_count",
            "complaint_count", "reception_count"]
PAY_KEYS = ["member", "attendance_score", "work_score", "monthly_score", "completion_rate",
            "base", "completion_pay", "work_pay", "overplan_bonus", "commission", "total"]
PAY_LINES = ["base", "completion_pay", "work_pay", "overplan_bonus", "commission"]


def load_json(text):
    """json.loads that refuses NaN and Infinity (Python accepts them by default)."""
    def bad(token):
        raise ValueError("non-finite number %s in the JSON output" % token)
    return json.loads(text, parse_constant=bad)


def period_days(p):
    """First and last day of a period YYYY, YYYY-Qn, YYYY-MM or FROM..TO."""
    if ".." in p:
        a, b = p.split("..")
        return datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    if re.fullmatch(r"\d{4}", p):
        y = int(p)
        return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    m = re.fullmatch(r"(\d{4})-Q([1-4])", p)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        frm = datetime.date(y, 3 * q - 2, 1)
        return frm, add_months(frm, 3) - datetime.timedelta(days=1)
    y, mo = (int(x) for x in p.split("-"))
    frm = datetime.date(y, mo, 1)
    return frm, add_months(frm, 1) - datetime.timedelta(days=1)


def round_half_away(x):
    """A Fraction rounded to an integer, half away from zero."""
    from fractions import Fraction
    n = abs(Fraction(x))
    q = int(n)
    if n - q >= Fraction(1, 2):
        q += 1
    return q if x >= 0 else -q


_ATTRIBUTED = {}


def attributed_deals():
    """The deals of the sample as `attribute` credits them, with the closing
    event's cost and product: [{"ref", "credited", "day", "amount", "cost", "product"}]."""
    if "deals" not in _ATTRIBUTED:
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        assert rc == 0, err
        ev = {e["ref"]: e for e in Expect(SAMPLE).events if e["type"] == "deal"}
        _ATTRIBUTED["deals"] = [
            {"ref": d["ref"], "credited": d["credited"], "day": day_of(d["day"]),
             "amount": cents(d["amount"]), "cost": cents(ev[d["ref"]]["cost"] or "0"),
             "product": ev[d["ref"]]["product"]}
            for d in json.loads(out)["deals"]]
    return _ATTRIBUTED["deals"]


def plain_rows(rows):
    """KPI rows without the reconciliation lines of `kpi --by team`
    (subjects "company:unsplit", "company:uncredited")."""
    return [r for r in rows if not r["subject"].startswith("company:")]


def table_cells(lines):
    """The rows of a text table (header, rule, rows) as lists of stripped cells,
    cut where the rule has its columns (counted in display cells)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    out = []
    for line in lines[2:]:
        cells = display_cells(line)
        out.append(["".join(cells[a:b]).strip() for a, b in spans])
    return out


def subtree_members(teams, members, team_id):
    """Member ids of a team's whole subtree."""
    ids, todo = set(), [team_id]
    while todo:
        t = todo.pop()
        ids.add(t)
        todo += [x["team_id"] for x in teams if x["parent_id"] == t]
    return [m["member_id"] for m in members if m["team_id"] in ids]


class TestKpi(Base):
    RECONCILE = {  # the reconciliation lines and the KPIs they carry
        "company:unsplit": ("company (not split to a team)", ["target_amount"]),
        "company:uncredited": ("company (not credited to a member)",
                               ["sales_amount", "deal_count", "gross_profit",
                                "new_customer_count"]),
    }

    def check_reconcile(self, rows):
        """The lines after the company row: the company less its top teams,
        there when not zero, null but for the KPIs they carry. @return the
        rows without them."""
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        roots = ["team:" + t["team_id"] for t in teams if not t["parent_id"]]
        lines = [r for r in rows if r["subject"] in self.RECONCILE]
        plain = plain_rows(rows)
        self.assertEqual(len(plain) + len(lines), len(rows))
        if not any(r["subject"] == "company" for r in plain):
            self.assertEqual(lines, [])
            return plain
        self.assertEqual(rows[:len(plain)], plain)  # after the company row
        self.assertEqual(plain[-1]["subject"], "company")
        by = {r["subject"]: r for r in plain}
        got = {r["subject"]: r for r in lines}
        self.assertEqual([r["subject"] for r in lines],
                         [s for s in self.RECONCILE if s in got])
        for subject, (name, keys) in self.RECONCILE.items():
            want = {}
            for k in keys:
                def val(v):
                    return 0 if v is None else cents(v) if k in KPI_MONEY else v
                want[k] = val(by["company"][k]) - sum(val(by[t][k]) for t in roots)
            if not any(want.values()):
                self.assertNotIn(subject, got)
                continue
            r = got[subject]
            self.assertEqual(r["name"], name)
            self.assertEqual(list(r), ["subject", "name"] + KPI_KEYS, r)
            for k in KPI_KEYS:
                if k in keys:
                    self.assertEqual(cents(r[k]) if k in KPI_MONEY else r[k], want[k], (k, r))
                else:
                    self.assertIsNone(r[k], (k, r))
        return plain

    def kpi(self, period, *args, data=None):
        rc, out, err = run("kpi", data or SAMPLE, "--period", period, "--format", "json", *args)
        self.assertEqual(rc, 0, err)
        doc = load_json(out)
        self.assertEqual(list(doc), ["period", "rows"])
        self.assertEqual(doc["period"], period)
        doc["rows"] = self.check_reconcile(doc["rows"])
        for r in doc["rows"]:
            self.assertEqual(list(r), ["subject", "name"] + KPI_KEYS, r)
            for k in KPI_KEYS:
                v = r[k]
                if k in KPI_MONEY:
                    if v is None:
                        self.assertEqual(k, "target_amount", r)
                    else:
                        self.assertRegex(v, MONEY_RE, (k, r))
                elif k in KPI_COUNT:
                    self.assertIs(type(v), int, (k, r))
                    self.assertGreaterEqual(v, 0)
                elif v is not None:
                    self.assertIn(type(v), (int, float), (k, r))
        return doc["rows"]

    def test_shape_and_rows(self):
        exp = Expect(SAMPLE)
        for period in ("2026-03", "2025-Q3", "2025", "2026-03-02..2026-03-15"):
            rows = self.kpi(period)
            self.assertEqual([(r["subject"], r["name"]) for r in rows],
                             [("member:" + m["member_id"], m["name"]) for m in exp.members])
            rows = self.kpi(period, "--by", "team")
            self.assertEqual(rows[-1]["subject"], "company")
            self.assertIsNone(rows[-1]["name"])
            self.assertEqual({(r["subject"], r["name"]) for r in rows[:-1]},
                             {("team:" + t["team_id"], t["name"]) for t in exp.teams})
            self.assertEqual(len(rows), len(exp.teams) + 1)

    def test_members_recomputed(self):
        """Deals from `attribute` (credited member and day), the rest from events.csv."""
        exp = Expect(SAMPLE)
        deals = attributed_deals()
        for period in ("2026-03", "2025-Q4", "2025-06-09..2025-06-22", "2025"):
            frm, to = period_days(period)
            want = {m["member_id"]: dict.fromkeys(KPI_SUMS, 0) for m in exp.members}
            total = [0, 0]
            for d in deals:
                if not frm <= d["day"] <= to:
                    continue
                total[0] += d["amount"]
                total[1] += 1
                if d["credited"]:
                    w = want[d["credited"]]
                    w["sales_amount"] += d["amount"]
                    w["deal_count"] += 1
                    w["gross_profit"] += d["amount"] - d["cost"]
            for e in exp.events:
                if not e["member"] or not frm <= day_of(e["at"]) <= to:
                    continue
                w = want[e["member"]]
                if e["type"] == "expense":
                    w["expense_amount"] += cents(e["amount"])
                elif e["type"] == "visit":
                    w["visit_count"] += 1
                elif e["type"] == "complaint":
                    w["complaint_count"] += 1
                elif e["type"] == "reception" and e["outcome"] != "duty":
                    w["reception_count"] += 1
            rows = self.kpi(period)
            for r in rows:
                w = want[r["subject"][len("member:"):]]
                for k in KPI_SUMS:
                    got = cents(r[k]) if k in KPI_MONEY else r[k]
                    self.assertEqual(got, w[k], (period, k, r["subject"]))
            self.assertGreater(sum(w["deal_count"] for w in want.values()), 0, period)
            company = self.kpi(period, "--by", "team")[-1]
            self.assertEqual((cents(company["sales_amount"]), company["deal_count"]),
                             tuple(total), period)

    def test_teams_are_sums(self):
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        for period in ("2026-03", "2025"):
            by_member = {r["subject"][7:]: r for r in self.kpi(period)}
            for r in self.kpi(period, "--by", "team")[:-1]:
                ids = subtree_members(teams, members, r["subject"][5:])
                for k in KPI_SUMS:
                    if k in KPI_MONEY:
                        self.assertEqual(cents(r[k]),
                                         sum(cents(by_member[m][k]) for m in ids), (k, r))
                    else:
                        self.assertEqual(r[k], sum(by_member[m][k] for m in ids), (k, r))
                # a key's first-ever deal is credited to one member
                self.assertEqual(r["new_customer_count"],
                                 sum(by_member[m]["new_customer_count"] for m in ids))
                # distinct keys: a key lost by the team was lost by one of its members
                self.assertLessEqual(r["lost_customer_count"],
                                     sum(by_member[m]["lost_customer_count"] for m in ids))

    def test_rates(self):
        """Rates are recomputed from numerators and denominators, null when the
        denominator is zero."""
        seen = set()

        def ratio(num, den, got, what):
            if den == 0:
                self.assertIsNone(got, what)
                seen.add(what[0])
            else:
                self.assertIsNotNone(got, what)
                self.assertAlmostEqual(got, num / den, places=8, msg=what)

        for period in ("2026-03", "2026-04", "2025-Q2"):
            rows = self.kpi(period) + self.kpi(period, "--by", "team")
            for r in rows:
                s = r["subject"]
                sales, deals = cents(r["sales_amount"]), r["deal_count"]
                recv = r["reception_count"]
                ratio(deals, recv, r["close_rate"], ("close_rate", period, s))
                ratio(r["complaint_count"], deals, r["complaint_rate"],
                      ("complaint_rate", period, s))
                ratio(cents(r["expense_amount"]), sales, r["expense_rate"],
                      ("expense_rate", period, s))
                target = cents(r["target_amount"]) if r["target_amount"] is not None else 0
                ratio(sales, target, r["completion_rate"], ("completion_rate", period, s))
                for k in ("registration_rate", "demo_rate"):
                    self.assertEqual(r[k] is None, recv == 0, (k, r))
                if r["visit_count"] == 0:
                    self.assertIsNone(r["visit_success_rate"], r)
                    seen.add("visit_success_rate")
                for k in KPI_RATE:
                    if r[k] is not None:
                        self.assertTrue(math.isfinite(r[k]), (k, r))
        # the sample has every null case (else this test would prove nothing)
        self.assertTrue({"close_rate", "complaint_rate", "expense_rate", "completion_rate",
                         "visit_success_rate"} <= seen, seen)

    def test_as_member(self):
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        full = {r["subject"]: r for r in self.kpi("2026-03")}
        full_teams = {r["subject"]: r for r in self.kpi("2026-03", "--by", "team")}
        reps = [m["member_id"] for m in members if m["role"] == "rep"]
        self.assertTrue(reps)
        for rep in reps[:3]:
            rows = self.kpi("2026-03", "--as", rep)
            self.assertEqual(rows, [full["member:" + rep]])
            rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--by", "team", "--as", rep)
            self.assertEqual(rc, 2, err)
            self.assertEqual(out, "")
            self.assertTrue(err.strip())
            self.assertNotIn("usage:", err)
        # a leader sees their own row and their team's subtree
        leaf = next(t for t in teams if not any(x["parent_id"] == t["team_id"] for x in teams))
        leader = leaf["leader_id"]
        ids = subtree_members(teams, members, leaf["team_id"])
        rows = self.kpi("2026-03", "--as", leader)
        self.assertEqual({r["subject"] for r in rows}, {"member:" + m for m in ids + [leader]})
        for r in rows:
            self.assertEqual(r, full[r["subject"]])
        rows = self.kpi("2026-03", "--as", leader, "--by", "team")
        self.assertEqual(rows, [full_teams["team:" + leaf["team_id"]]])
        # the director leads the root: every team, but the company needs full rights
        root = next(t for t in teams if not t["parent_id"])
        rows = self.kpi("2026-03", "--as", root["leader_id"], "--by", "team")
        self.assertEqual({r["subject"] for r in rows}, {"team:" + t["team_id"] for t in teams})

    def test_table_and_csv(self):
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--by", "team")
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        self.assertEqual(len(sec), 1)
        body = list(sec.values())[0]
        header = body[0].split()
        self.assertEqual(header[:4], ["subject", "name", "sales_amount", "deal_count"])
        self.assertIn("completion_rate", header)
        self.assertIn("close_rate", header)
        self.assertLess(len(header), len(KPI_KEYS))  # a subset
        check_aligned(self, body, left=(0, 1), right=tuple(range(2, len(header))))
        # 2026-03: the company's target is not all split to the teams
        self.assertEqual(len(body) - 2, len(Expect(SAMPLE).teams) + 2)
        self.assertIn("华东一组", out)
        self.assertTrue(body[-1].startswith("company:unsplit  company (not split to a team)"))
        self.assertIn("\n\ncompany (not split to a team): the company's target less", out)
        # the cells: money and counts as in the JSON, rates as percentages, null as "-"
        rc, js, err = run("kpi", SAMPLE, "--period", "2026-03", "--by", "team", "--format", "json")
        js = json.loads(js)["rows"]
        self.assertEqual(len(js), len(body) - 2)
        for cells, j in zip(table_cells(body), js):
            for name, cell in zip(header, cells):
                v = j[name]
                if v is None:
                    self.assertEqual(cell, "-", (name, cells))
                elif name in KPI_RATE:
                    self.assertEqual(cell, "%.1f%%" % (v * 100), (name, cells))
                else:
                    self.assertEqual(cell, str(v), (name, cells))
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(list(rows[0]), ["subject", "name"] + KPI_KEYS)
        js = self.kpi("2026-03")
        self.assertEqual(len(rows), len(js))
        for c, j in zip(rows, js):
            self.assertEqual(c["sales_amount"], j["sales_amount"])
            self.assertEqual(c["close_rate"] == "", j["close_rate"] is None)

    def test_errors(self):
        for args in ([], ["--period", "2026-13"], ["--period", "2026-Q5"], ["--period", "soon"],
                     ["--period", "2026-03", "--by", "region"],
                     ["--period", "2026-03", "--as", "nobody"],
                     ["--period", "2026-03", "--format", "xml"],
                     ["--period", "2026-03", "extra"]):
            rc, out, err = run("kpi", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("kpi", broken_sample(self), "--period", "2026-03")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        self.assertIn("events.csv", err)


def expected_pay(month):
    """{member: {field: value}} for a month per RULES.md §6, from the CSV files
    and `attribute`'s credits: scores as Fractions, money lines in cents."""
    from fractions import Fraction as F
    exp = Expect(SAMPLE)
    policy = read_policy(SAMPLE)

    def p(name, default):
        return F(policy.get(name, [default])[-1])

    frm, to = period_days(month)
    absent = {m["member_id"]: 0 for m in exp.members}
    for i in event_order(exp.events):
        e = exp.events[i]
        if not frm <= day_of(e["at"]) <= to:
            continue
        if e["type"] == "absence":
            absent[e["member"]] += math.ceil(F(e["value"]))
    # a given work score, else the scorecard's (scorecard_ref.py), else 0
    card = scorecard_ref.Scorecard(SAMPLE).month(frm.year, frm.month)
    work = {m: row["work_score"] for m, row in card.items()}
    targets = {}
    for t in read_csv(os.path.join(SAMPLE, "targets.csv")):
        if t["subject"].startswith("member:") and t["metric"] == "sales_amount":
            assert re.fullmatch(r"\d{4}-\d\d", t["period"]), t  # the sample's are monthly
            if t["period"] == month:
                m = t["subject"][7:]
                targets[m] = targets.get(m, 0) + cents(t["amount"])
    tables = {}
    for row in read_csv(os.path.join(SAMPLE, "commission.csv")):
        tables.setdefault(row["product"], (row["mode"] or "marginal", []))[1].append(
            (cents(row["from_amount"]), F(row["rate"])))
    for mode, brackets in tables.values():
        brackets.sort()
    sales, per_table = {}, {}
    for d in attributed_deals():
        if d["credited"] and frm <= d["day"] <= to:
            m = d["credited"]
            sales[m] = sales.get(m, 0) + d["amount"]
            table = d["product"] if d["product"] in tables else "*"
            per_table.setdefault(m, {}).setdefault(table, 0)
            per_table[m][table] += d["amount"]

    def commission(m):
        total = F(0)
        for table, amount in per_table.get(m, {}).items():
            if table not in tables:
                continue
            mode, br = tables[table]
            if mode == "flat":
                reached = [r for f, r in br if amount >= f]
                total += amount * reached[-1] if reached else 0
            else:
                for i, (f, r) in enumerate(br):
                    hi = br[i + 1][0] if i + 1 < len(br) else None
                    top = amount if hi is None else min(amount, hi)
                    if top > f:
                        total += (top - f) * r
        return total

    out = {}
    for mem in exp.members:
        m = mem["member_id"]
        att = max(F(0), 100 - p("score.absence_penalty", "4") * absent[m])
        monthly = work[m] * p("score.work_weight", "0.70") + att * p("score.attendance_weight",
                                                                       "0.30")
        target = targets.get(m)
        rate = F(sales.get(m, 0), target) if target else None
        row = {"attendance_score": att, "work_score": work[m], "monthly_score": monthly,
               "completion_rate": rate}
        if mem["pay_total"]:
            T = cents(mem["pay_total"])
            cap = policy.get("pay.completion_cap", ["none"])[-1]
            capped = rate if rate is None or cap == "none" else min(rate, F(cap))
            row["base"] = round_half_away(T * p("pay.base_share", "0.50"))
            row["completion_pay"] = round_half_away(
                T * p("pay.completion_share", "0.35") * capped) if target else 0
            row["work_pay"] = round_half_away(T * p("pay.work_share", "0.15") * monthly / 100)
            row["overplan_bonus"] = round_half_away(
                p("pay.overplan_rate", "0") * max(0, sales.get(m, 0) - target)) if target else 0
            row["commission"] = round_half_away(commission(m))
        else:
            row.update(dict.fromkeys(PAY_LINES))
        out[m] = row
    return out


class TestPay(Base):
    def pay(self, month, *args):
        rc, out, err = run("pay", SAMPLE, "--period", month, "--format", "json", *args)
        self.assertEqual(rc, 0, err)
        doc = load_json(out)
        self.assertEqual(list(doc), ["period", "members"])
        self.assertEqual(doc["period"], month)
        for r in doc["members"]:
            self.assertEqual(list(r), PAY_KEYS, r)
            for k in ("attendance_score", "work_score", "monthly_score"):
                self.assertIn(type(r[k]), (int, float), r)
                self.assertTrue(0 <= r[k] <= 100, r)
            self.assertTrue(r["completion_rate"] is None or
                            type(r["completion_rate"]) in (int, float), r)
            for k in PAY_LINES + ["total"]:
                self.assertTrue(r[k] is None or MONEY_RE.match(r[k]), (k, r))
        return doc["members"]

    def test_shape_and_total(self):
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        pay_total = {m["member_id"]: m["pay_total"] for m in members}
        seen_null = False
        for month in ("2026-03", "2025-07", "2025-12"):
            rows = self.pay(month)
            self.assertEqual([r["member"] for r in rows], [m["member_id"] for m in members])
            for r in rows:
                if not pay_total[r["member"]]:
                    seen_null = True
                    self.assertEqual([r[k] for k in PAY_LINES + ["total"]], [None] * 6, r)
                    continue
                self.assertEqual(cents(r["total"]), sum(cents(r[k]) for k in PAY_LINES), r)
        self.assertTrue(seen_null)  # the sample has a member without a pay total

    def test_recomputed(self):
        for month in ("2026-03", "2025-11"):
            want = expected_pay(month)
            for r in self.pay(month):
                w = want[r["member"]]
                for k in ("attendance_score", "work_score", "monthly_score"):
                    self.assertAlmostEqual(r[k], float(w[k]), delta=0.0051, msg=(month, k, r))
                if w["completion_rate"] is None:
                    self.assertIsNone(r["completion_rate"], r)
                else:
                    self.assertAlmostEqual(r["completion_rate"], float(w["completion_rate"]),
                                           places=8, msg=r)
                for k in PAY_LINES:
                    got = None if r[k] is None else cents(r[k])
                    self.assertEqual(got, w[k], (month, k, r))

    def test_as_member(self):
        members = read_csv(os.path.join(SAMPLE, "members.csv"))
        teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
        full = {r["member"]: r for r in self.pay("2026-03")}
        rep = next(m["member_id"] for m in members if m["role"] == "rep")
        self.assertEqual(self.pay("2026-03", "--as", rep), [full[rep]])
        leaf = next(t for t in teams if not any(x["parent_id"] == t["team_id"] for x in teams))
        ids = set(subtree_members(teams, members, leaf["team_id"]) + [leaf["leader_id"]])
        rows = self.pay("2026-03", "--as", leaf["leader_id"])
        self.assertEqual({r["member"] for r in rows}, ids)
        for r in rows:
            self.assertEqual(r, full[r["member"]])

    def test_table_and_errors(self):
        rc, out, err = run("pay", SAMPLE, "--period", "2026-03")
        self.assertEqual(rc, 0, err)
        body = list(sections(out).values())[0]
        check_aligned(self, body, left=(0, 1), right=tuple(range(2, 12)))
        self.assertEqual(len(body) - 2, len(Expect(SAMPLE).members))
        for args in ([], ["--period", "2026-Q1"], ["--period", "2026"],
                     ["--period", "2026-03-01..2026-03-31"], ["--period", "2026-13"],
                     ["--period", "March"], ["--period", "2026-03", "--as", "nobody"],
                     ["--period", "2026-03", "--by", "team"]):
            rc, out, err = run("pay", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("pay", broken_sample(self), "--period", "2026-03")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")


class HtmlCheck(html.parser.HTMLParser):
    """Collects the text and checks that elements nest and close."""
    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.tags = [], [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:]))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class TestReport(Base):
    # company_not_credited: in JSON only (a line of the team table in text)
    SECTIONS = ["team_kpis", "company_not_credited", "member_kpis", "targets", "attribution",
                "notices", "tiers", "overdue_visits", "pay", "pay_sum", "scorecard"]

    def report(self, period, *args, data=None):
        rc, out, err = run("report", data or SAMPLE, "--period", period, "--format", "json",
                           *args)
        self.assertEqual(rc, 0, err)
        doc = load_json(out)
        self.assertEqual(list(doc), ["period", "from", "to"] + self.SECTIONS)
        frm, to = period_days(period)
        self.assertEqual((doc["period"], doc["from"], doc["to"]),
                         (period, frm.isoformat(), to.isoformat()))
        return doc

    def test_sections_agree(self):
        for period in ("2026-03", "2025-Q4"):
            doc = self.report(period)
            frm, to = period_days(period)
            # KPIs: the columns shown are those of `kpi`
            for key, by in (("team_kpis", "team"), ("member_kpis", "member")):
                rc, out, err = run("kpi", SAMPLE, "--period", period, "--by", by,
                                   "--format", "json")
                full = plain_rows(json.loads(out)["rows"])
                self.assertEqual(len(doc[key]), len(full))
                for r, f in zip(doc[key], full):
                    self.assertIn("sales_amount", r)
                    self.assertEqual(r, {k: f[k] for k in r}, key)
            # targets: those of `targets` but the members', with names
            rc, out, err = run("targets", SAMPLE, "--period", period, "--format", "json")
            self.assertEqual([{k: v for k, v in r.items() if k != "name"}
                              for r in doc["targets"]],
                             [r for r in json.loads(out)["rows"]
                              if not r["subject"].startswith("member:")])
            # attribution of the period's deals
            rc, out, err = run("attribute", SAMPLE, "--format", "json")
            att = json.loads(out)

            def inside(x):
                return frm <= day_of(x["day"]) <= to
            deals = [d for d in att["deals"] if inside(d)]
            self.assertEqual({r["reason"]: (r["deals"], cents(r["amount"]))
                              for r in doc["attribution"]},
                             {reason: (sum(d["reason"] == reason for d in deals),
                                       sum(cents(d["amount"]) for d in deals
                                           if d["reason"] == reason))
                              for reason in TestAttribute.REASONS})
            n = doc["notices"]
            self.assertEqual(n["collisions"], sum(map(inside, att["collisions"])))
            self.assertEqual(n["releases"], sum(map(inside, att["releases"])))
            self.assertEqual(n["late_followups"], sum(map(inside, att["late_followups"])))
            self.assertEqual(n["claims_late"] + n["claims_invalid"],
                             sum(map(inside, att["rejected_claims"])))
            # tiers of the 12 months ending on the last day
            exp = Expect(SAMPLE)
            want = expected_tiers(exp, *tier_window(as_of=to), "threshold", read_policy(SAMPLE))
            self.assertEqual({r["tier"]: (r["customers"], cents(r["annual_sales"]))
                              for r in doc["tiers"]},
                             {t: (sum(v[1] == t for v in want.values()),
                                  sum(v[0] for v in want.values() if v[1] == t))
                              for t in TIER_NAMES})
            # visits as of the last day
            visits = expected_visits(to)
            self.assertEqual({r["tier"]: (r["customers"], r["overdue"])
                              for r in doc["overdue_visits"]},
                             {t: (sum(v["tier"] == t for v in visits),
                                  sum(v["overdue"] for v in visits if v["tier"] == t))
                              for t in {v["tier"] for v in visits}})
            # pay: only for a month
            if period == "2026-03":
                rc, out, err = run("pay", SAMPLE, "--period", period, "--format", "json")
                pay = json.loads(out)["members"]
                self.assertEqual([r["member"] for r in doc["pay"]], [r["member"] for r in pay])
                for r, f in zip(doc["pay"], pay):
                    self.assertEqual({k: r[k] for k in r if k != "name"},
                                     {k: f[k] for k in r if k != "name"})
                self.assertEqual(cents(doc["pay_sum"]["total"]),
                                 sum(cents(f["total"]) for f in pay if f["total"]))
                self.assertEqual(doc["pay_sum"]["members"], len(pay))
                # the scorecard: the work scores of `scorecard`
                rc, out, err = run("scorecard", SAMPLE, "--period", period, "--format", "json")
                card = json.loads(out)["members"]
                self.assertEqual([(r["member"], r["work_score"], r["source"])
                                  for r in doc["scorecard"]],
                                 [(r["member"], r["work_score"], r["source"]) for r in card])
            else:
                # pay is monthly: every month of the period, with its month
                months = ["2025-10", "2025-11", "2025-12"]
                self.assertEqual([s["month"] for s in doc["pay_sum"]], months)
                for month, s in zip(months, doc["pay_sum"]):
                    rc, out, err = run("pay", SAMPLE, "--period", month, "--format", "json")
                    pay = json.loads(out)["members"]
                    rows = [r for r in doc["pay"] if r["month"] == month]
                    self.assertEqual([r["member"] for r in rows], [r["member"] for r in pay])
                    self.assertEqual(cents(s["total"]),
                                     sum(cents(f["total"]) for f in pay if f["total"]))
                self.assertIsNone(doc["scorecard"])

    def test_text_and_html(self):
        page = os.path.join(self.tmp, "report.html")
        rc, out, err = run("report", SAMPLE, "--period", "2026-03", "--html", page)
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        self.assertEqual(len(sec), len(self.SECTIONS) - 1)
        for title, body in sec.items():
            if ":" in body[0] and not re.fullmatch(r"-+(  -+)*", body[1]):
                continue  # a record
            check_aligned(self, body)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("<!DOCTYPE html>"), text[:40])
        self.assertIn('<meta charset="utf-8">', text)
        self.assertNotIn("<script", text.lower())
        self.assertNotRegex(text, r"(src|href)=")  # self-contained
        p = HtmlCheck()
        p.feed(text)
        p.close()
        self.assertEqual(p.errors, [])
        self.assertEqual(p.stack, [])
        self.assertTrue({"html", "head", "body", "style", "table", "h1", "h2"} <= p.tags)
        shown = "".join(p.text)
        # the page's headings are in its language (Chinese by default): one
        # per section, and the glossary
        for key in self.SECTIONS:
            if key != "company_not_credited":
                self.assertIn('<h2 id="%s">' % key, text)
        self.assertEqual(text.count("<h2"), len(sec) + 1)
        self.assertIn("华东一组", shown)

    def test_html_escaping(self):
        d = self.copy_sample()
        for name, id_col, row_id, value in (
                ("members.csv", "member_id", "m006", '<b>曾&艳</b> "x"'),
                ("teams.csv", "team_id", "t001", "R&D <一组>")):
            path = os.path.join(d, name)
            rows = read_csv(path)
            for r in rows:
                if r[id_col] == row_id:
                    r["name"] = value
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
                w.writeheader()
                w.writerows(rows)
        page = os.path.join(self.tmp, "esc.html")
        rc, out, err = run("report", d, "--period", "2026-03", "--html", page)
        self.assertEqual(rc, 0, err)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("&lt;b&gt;曾&amp;艳&lt;/b&gt; &quot;x&quot;", text)
        self.assertIn("R&amp;D &lt;一组&gt;", text)
        self.assertNotIn("<b>", text)
        self.assertNotIn("R&D", text)
        p = HtmlCheck()
        p.feed(text)
        p.close()
        self.assertEqual(p.errors, [])
        shown = "".join(p.text)
        self.assertIn('<b>曾&艳</b> "x"', shown)
        self.assertIn("R&D <一组>", shown)

    def test_errors(self):
        for args in ([], ["--period", "2026-13"], ["--period", "later"],
                     ["--period", "2026-03", "--html"], ["--period", "2026-03", "extra"],
                     ["--period", "2026-03", "--format", "pdf"]):
            rc, out, err = run("report", SAMPLE, *args)
            self.assertEqual(rc, 1, "%r: %s" % (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)
        rc, out, err = run("report", broken_sample(self), "--period", "2026-03")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        rc, out, err = run("report", SAMPLE, "--period", "2026-03", "--html",
                           os.path.join(self.tmp, "no", "such", "dir", "r.html"))
        self.assertEqual(rc, 3, err)
        self.assertEqual(out, "")
        self.assertIn("r.html", err)


class TestDemoKpiPay(Base):
    def test_json(self):
        rc, out, err = run("demo", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = load_json(out)
        last = max(day_of(e["at"]) for e in Expect(SAMPLE).events)
        month = last if last == period_days(last.strftime("%Y-%m"))[1] else \
            last.replace(day=1) - datetime.timedelta(days=1)
        month = month.strftime("%Y-%m")
        rc, out, err = run("kpi", SAMPLE, "--period", month, "--by", "team", "--format", "json")
        kpi = plain_rows(json.loads(out)["rows"])
        self.assertEqual(len(doc["kpis"]), len(kpi))
        for r, f in zip(doc["kpis"], kpi):
            self.assertEqual(r, {"month": month, "subject": f["subject"], "name": f["name"],
                                 "sales_amount": f["sales_amount"],
                                 "deal_count": f["deal_count"],
                                 "completion_rate": f["completion_rate"],
                                 "close_rate": f["close_rate"]})
        rc, out, err = run("pay", SAMPLE, "--period", month, "--format", "json")
        pay = json.loads(out)["members"]
        self.assertEqual([(r["month"], r["member"], r["monthly_score"], r["total"])
                          for r in doc["pay"]],
                         [(month, f["member"], f["monthly_score"], f["total"]) for f in pay])
        self.assertEqual(doc["pay_sum"], {"month": month, "members": len(pay),
                                          "total": "%.2f" % (sum(cents(f["total"]) for f in pay
                                                                 if f["total"]) / 100)})

    def test_text(self):
        rc, out, err = run("demo", SAMPLE)
        self.assertEqual(rc, 0, err)
        sec = sections(out)
        title = next(t for t in sec if t.startswith("KPIs"))
        check_aligned(self, sec[title], left=(0, 1), right=(2, 3, 4, 5))
        self.assertEqual(len(sec[title]) - 2, len(Expect(SAMPLE).teams) + 1)
        title = next(t for t in sec if t.startswith("Pay"))
        body = sec[title]
        check_aligned(self, body, left=(0, 1), right=(2, 3))
        self.assertEqual(len(body) - 3, len(Expect(SAMPLE).members))
        self.assertTrue(body[-1].startswith("sum"))
        totals = [cents(l.split()[-1]) for l in body[2:-1] if l.split()[-1] != "-"]
        self.assertEqual(cents(body[-1].split()[-1]), sum(totals))
        self.assertLessEqual(len(out.split("\n")), 165)  # see TestDemoSections.test_text


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
    global EXE, TEST_OUT, SAMPLE, GEN
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    EXE, TEST_OUT, SAMPLE, GEN = (os.path.abspath(a) for a in sys.argv[1:5])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[5:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
