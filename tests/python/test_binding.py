#!/usr/bin/env python3
"""Tests of the Python binding (suite 'python'); standard library only.

usage: test_binding.py SALESMGMT SAMPLE_DIR GEN LAYOUT FAKE_LIB TEST_DATA INCLUDE_DIR

SALESMGMT is the built command, SAMPLE_DIR the bundled examples/data, GEN
the generator salesmgmt-gen, LAYOUT the program tests/python/layout.c
(the structs' layout as the compiler makes it), FAKE_LIB a library whose
smg_version() answers $FAKE_SMG_VERSION (tests/python/fake_salesmgmt.c),
TEST_DATA tests/data, INCLUDE_DIR include/. The binding is imported from
PYTHONPATH and loads the library named by SALESMGMT_LIBRARY (meson sets
both).

Figures are compared with the command's JSON (`--format json`), the
reference client of the library, key by key: money "1234.50" against
Decimal("1234.50") (the text of the Decimal, scale included), days and
moments against their ISO text, rates as the command prints them (%.10g
of the binding's float must give the command's number), null against None.
"""
import copy
import ctypes
import datetime
import gc
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from decimal import Decimal

import salesmgmt as smg
from salesmgmt import _capi

EXE = SAMPLE = GEN = LAYOUT = FAKE = TEST_DATA = INCLUDE = None
GEN_DIR = SHUFFLED_DIR = None
TMP = None

D = datetime.date
DT = datetime.datetime


def cli(dataset, *args, ok=True):
    p = subprocess.run([EXE, args[0], dataset, *args[1:], "--format", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if ok and p.returncode != 0:
        raise AssertionError("salesmgmt %s failed (%d): %s"
                             % (" ".join(args), p.returncode, p.stderr.decode()))
    if not ok:
        return p.returncode, p.stderr.decode("utf-8")
    return cli_as_binding(json.loads(p.stdout.decode("utf-8")), event_ids(dataset))


_IDS = {}


def event_ids(dataset):
    """{event id: input position} of @dataset's events.csv (RULES.md §8:
    the command names an event with an id by it)."""
    if dataset not in _IDS:
        import csv
        with open(os.path.join(dataset, "events.csv"), encoding="utf-8-sig",
                  newline="") as f:
            _IDS[dataset] = {r["id"]: i for i, r in enumerate(csv.DictReader(f))
                             if r.get("id")}
    return _IDS[dataset]


def cli_as_binding(doc, ids=None):
    """The command's JSON in the binding's terms: an event the command names
    "events.csv:LINE" (these datasets' events have no id and one line a row)
    is input position LINE - 2; the lines that reconcile the company with
    its top teams in `kpi --by team` (subjects "company:...") are the
    command's, not the library's."""
    if isinstance(doc, list):
        return [cli_as_binding(x, ids) for x in doc
                if not (isinstance(x, dict) and str(x.get("subject", "")).startswith("company:"))]
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if (k == "event" or k.startswith("ev_")) and isinstance(v, str):
                if v.startswith("events.csv:"):
                    v = int(v[len("events.csv:"):]) - 2
                elif ids and v in ids:  # an event with an id (the sample's changes)
                    v = ids[v]
            out[k] = cli_as_binding(v, ids)
        return out
    return doc


def same(c, v):
    """The binding's value @v equals the command's JSON value @c."""
    if c is None or v is None:
        return c is None and v is None
    if isinstance(v, Decimal):
        return isinstance(c, str) and str(v) == c
    if isinstance(v, datetime.datetime):
        return isinstance(c, str) and v.isoformat() == c
    if isinstance(v, datetime.date):
        return isinstance(c, str) and v.isoformat() == c
    if isinstance(v, bool):
        return c is v
    if isinstance(v, float):
        return not isinstance(c, (bool, str)) and float("%.10g" % v) == c
    if isinstance(v, int):
        return type(c) is int and c == v
    return c == v


class Compare:
    """Comparisons with the command, on one dataset (DATA)."""

    def assertRows(self, cli_rows, rows, what, empty_ok=False):
        self.assertIsInstance(rows, list)
        if not empty_ok:
            self.assertTrue(cli_rows, "%s: the command gives no row to compare" % what)
        self.assertEqual(len(cli_rows), len(rows), "%s: row counts" % what)
        for i, (c, r) in enumerate(zip(cli_rows, rows)):
            for k, cv in c.items():
                self.assertIn(k, r, "%s row %d: key %s missing" % (what, i, k))
                if not same(cv, r[k]):
                    self.fail("%s row %d key %s: command %r, binding %r (row %r)"
                              % (what, i, k, cv, r[k], r))

    @classmethod
    def setUpClass(cls):
        cls.data = cls.dataset()
        cls.org = smg.load(cls.data)
        members = cls.org.members()
        teams = cls.org.teams()
        parents = {t["parent"] for t in teams}
        leaf_leaders = [t["leader"] for t in teams if t["id"] not in parents and t["leader"]]
        cls.leader = leaf_leaders[0]
        cls.rep = [m["id"] for m in members if m["role"] == "rep"][0]
        cls.manager = [t["leader"] for t in teams if t["parent"] is not None
                       and t["id"] in parents][0]

    @classmethod
    def tearDownClass(cls):
        cls.org.close()

    # ---- attribution ----

    def test_attribution_deals(self):
        for who in (None, self.leader, self.rep):
            args = ["attribute"] + (["--as", who] if who else [])
            j = cli(self.data, *args)
            rows = self.org.attribution(as_member=who)
            self.assertRows(j["deals"], rows, "deals as %s" % who)
            self.assertGreater(len(rows), 0)
            if who is None:  # every deal but the cancelled ones (RULES.md §8)
                cancelled = sum(1 for e in self.org.events()
                                if e["type"] == "deal" and e["cancelled_by"] is not None)
                self.assertEqual(len(rows), self.org.count("deals") - cancelled)
                self.assertTrue(all(isinstance(r["amount"], Decimal) for r in rows))
                self.assertTrue(any(r["credited"] != r["closer"] for r in rows))

    def test_notices(self):
        for who in (None, self.leader):
            j = cli(self.data, *(["attribute"] + (["--as", who] if who else [])))
            ns = self.org.notices(as_member=who)
            by = lambda *kinds: [n for n in ns if n["kind"] in kinds]  # noqa: E731
            self.assertRows(j["collisions"], [
                dict(day=n["day"], member=n["member"], protector=n["other"], key=n["key"],
                     event=n["event"]) for n in by("collision")], "collisions")
            self.assertRows(j["releases"], [
                dict(day=n["day"], member=n["member"], key=n["key"], event=n["event"],
                     reason=n["release_reason"])
                for n in by("release")], "releases")
            self.assertRows(j["rejected"], [
                dict(day=n["day"], member=n["member"], reason=n["reject_reason"],
                     customer=n["customer"], key=n["key"], event=n["event"])
                for n in ns if n["reject_reason"] is not None], "rejected")
            self.assertRows(j["rejected_claims"], [
                dict(day=n["day"], member=n["member"], reason=n["kind"], ref=n["deal"],
                     protector=n["other"], key=n["key"], event=n["event"])
                for n in by("claim_late", "claim_invalid")], "rejected claims")
            self.assertRows(j["late_followups"], [
                dict(day=n["day"], member=n["member"], due_by=n["deadline"], key=n["key"],
                     event=n["event"]) for n in by("late_followup")], "late follow-ups")
            phones = {c["id"]: c["phone"] for c in self.org.customers()}
            self.assertRows(j["duplicates"], [
                dict(customer=n["customer"], duplicates=n["duplicate_of"],
                     phone=phones[n["customer"]]) for n in by("duplicate")], "duplicates")

    # ---- KPIs ----

    def test_kpi(self):
        for period in ("2025-10", "2025-Q4", "2025-10-01..2025-11-15", "2025"):
            for by in ("member", "team"):
                j = cli(self.data, "kpi", "--period", period, "--by", by)
                rows = self.org.kpi(period, by=by)
                self.assertEqual(j["period"], period)
                self.assertRows(j["rows"], rows, "kpi %s by %s" % (period, by))
                self.assertEqual(list(rows[0])[:2], ["subject", "name"])
        rows = self.org.kpi((D(2025, 10, 1), D(2025, 11, 15)))
        self.assertRows(cli(self.data, "kpi", "--period", "2025-10-01..2025-11-15")["rows"],
                        rows, "kpi with a pair of dates")
        team = self.org.kpi("2025-Q4", by="team")
        self.assertEqual(team[-1]["subject"], "company")
        self.assertIsNone(team[-1]["name"])
        self.assertGreater(sum(r["sales_amount"] for r in team), 0)

    def test_kpi_as_member(self):
        for who, bys in ((self.leader, ("member", "team")), (self.manager, ("member", "team")),
                         (self.rep, ("member",))):
            for by in bys:
                j = cli(self.data, "kpi", "--period", "2025-Q4", "--by", by, "--as", who)
                rows = self.org.kpi("2025-Q4", by=by, as_member=who)
                self.assertRows(j["rows"], rows, "kpi by %s as %s" % (by, who))
        rc, err = cli(self.data, "kpi", "--period", "2025-Q4", "--by", "team", "--as", self.rep,
                      ok=False)
        self.assertEqual(rc, 2)
        with self.assertRaises(smg.AccessDenied) as cm:
            self.org.kpi("2025-Q4", by="team", as_member=self.rep)
        self.assertIn(cm.exception.message, err)
        self.assertEqual(cm.exception.code, -10)

    # ---- targets, tiers, visits, pay, rotation ----

    def test_targets(self):
        for period in ("2025", "2025-Q4", "2025-10", "2025-10-01..2025-10-15"):
            for who in (None, self.leader, self.rep):
                j = cli(self.data, *(["targets", "--period", period] +
                                     (["--as", who] if who else [])))
                rows = self.org.targets(period, as_member=who)
                self.assertRows(j["rows"], rows, "targets %s as %s" % (period, who))
        rows = self.org.targets("2025")
        self.assertTrue(any(isinstance(r["target"], Decimal) for r in rows))
        self.assertTrue(any(isinstance(r["target"], int) for r in rows))
        m = [r for r in rows if r["subject"].startswith("member:") and r["target"] is not None]
        self.assertTrue(m)
        self.assertIsNone(m[0]["children_sum"])
        self.assertEqual(self.org.target(m[0]["subject"], m[0]["metric"], "2025"), m[0]["target"])

    def test_tiers(self):
        for method in (None, "threshold", "pareto"):
            margs = ("--method", method) if method else ()
            for cargs, kw in ((("--year", "2025"), dict(year=2025)),
                              (("--as-of", "2025-12-31"), dict(as_of=D(2025, 12, 31))),
                              (("--as-of", "2025-06-30"), dict(as_of="2025-06-30"))):
                for who in (None, self.leader):
                    a = ["tiers", *cargs, *margs] + (["--as", who] if who else [])
                    j = cli(self.data, *a)
                    rows = self.org.tiers(method=method, as_member=who, **kw)
                    self.assertRows(j["customers"], rows, " ".join(a))
        rows = self.org.tiers(year=2025, method="pareto")
        self.assertEqual({r["tier"] for r in rows} - {"vip", "tier1", "tier2", "other"}, set())

    def test_visits(self):
        for as_of in ("2025-11-15", "2026-01-31"):
            for who in (None, self.leader, self.rep):
                j = cli(self.data, *(["visits", "--as-of", as_of] + (["--as", who] if who else [])))
                rows = self.org.visits(as_of=D.fromisoformat(as_of), as_member=who)
                self.assertEqual(j["as_of"], as_of)
                self.assertRows(j["customers"], rows, "visits %s as %s" % (as_of, who))

    def test_pay(self):
        for period in ("2025-10", "2025-12"):
            for who in (None, self.leader, self.rep):
                j = cli(self.data, *(["pay", "--period", period] + (["--as", who] if who else [])))
                rows = self.org.pay(period, as_member=who)
                self.assertRows(j["members"], rows, "pay %s as %s" % (period, who))
        rows = self.org.pay("2025-10")
        paid = [r for r in rows if r["total"] is not None]
        self.assertTrue(paid)
        for r in paid:  # the total is the sum of the five rounded lines
            self.assertEqual(r["total"], r["base"] + r["completion_pay"] + r["work_pay"] +
                             r["overplan_bonus"] + r["commission"])
            self.assertEqual(r["monthly_score"], r["monthly_score_x100"] / 100)

    def test_rotation(self):
        days = sorted({e["at"].date() for e in self.org.events(-3000)
                       if e["type"] == "reception" and e["channel"] == "walk_in"})
        self.assertTrue(days)
        for day in days[:3]:
            j = cli(self.data, "rotation", "--day", day.isoformat())
            r = self.org.rotation(day)
            for key in ("order", "receptions", "final_order"):
                self.assertRows(j[key], r[key], "rotation %s %s" % (day, key))


class SampleTest(Compare, unittest.TestCase):
    @staticmethod
    def dataset():
        return SAMPLE


class GeneratedTest(Compare, unittest.TestCase):
    @staticmethod
    def dataset():
        return GEN_DIR


class ShuffledTest(Compare, unittest.TestCase):
    """The sample with its events.csv rows in another order: log positions
    (processing order) then differ from input positions (what the command
    prints for events)."""

    @staticmethod
    def dataset():
        return SHUFFLED_DIR

    def test_positions_differ(self):
        evs = self.org.events()
        self.assertNotEqual([e["seq"] for e in evs], list(range(len(evs))))


def sample():
    return smg.load(SAMPLE)


class SurfaceTest(unittest.TestCase):
    """Every call of the surface, on the sample."""

    @classmethod
    def setUpClass(cls):
        cls.org = sample()

    @classmethod
    def tearDownClass(cls):
        cls.org.close()

    def test_version(self):
        self.assertEqual(smg.version()[:2], (0, 3))
        self.assertEqual(smg.version_string(), "%d.%d.%d" % smg.version())
        self.assertEqual(os.path.realpath(smg.library_path()),
                         os.path.realpath(os.environ["SALESMGMT_LIBRARY"]))
        self.assertEqual(smg.strerror(-3), _capi.load_library().smg_strerror(-3).decode())

    def test_tables_of_the_org(self):
        import csv
        org = self.org

        def read(name):
            with open(os.path.join(SAMPLE, name), newline="", encoding="utf-8-sig") as f:
                return list(csv.DictReader(f))
        teams, members, customers = read("teams.csv"), read("members.csv"), read("customers.csv")
        self.assertEqual([t["id"] for t in org.teams()], [t["team_id"] for t in teams])
        self.assertEqual([t["leader"] for t in org.teams()], [t["leader_id"] or None for t in teams])
        ms = org.members()
        self.assertEqual([m["id"] for m in ms], [m["member_id"] for m in members])
        self.assertEqual([m["role"] for m in ms], [m["role"] or "rep" for m in members])
        self.assertEqual([m["pay_total"] for m in ms],
                         [Decimal(m["pay_total"]) if m["pay_total"] else None for m in members])
        self.assertEqual([m["start"] for m in ms],
                         [D.fromisoformat(m["start_date"]) for m in members])
        cs = org.customers()
        self.assertEqual([c["id"] for c in cs], [c["customer_id"] for c in customers])
        self.assertEqual([c["group_key"] for c in cs], [c["group_key"] or None for c in customers])
        evs = org.events()
        self.assertEqual(len(evs), org.count("events"))
        self.assertEqual(sorted(e["seq"] for e in evs), list(range(len(evs))))
        self.assertEqual([e["at"] for e in evs], sorted(e["at"] for e in evs))
        self.assertEqual(org.events(-1), evs[-1:])
        self.assertEqual(org.events(10, 12), evs[10:12])
        self.assertEqual(org.events(5, 2), [])
        rows = read("events.csv")
        e = evs[0]
        self.assertEqual(rows[e["seq"]]["type"], e["type"])
        absences = [e for e in evs if e["type"] == "absence"]
        self.assertTrue(absences)
        self.assertEqual(absences[0]["value"], Decimal(rows[absences[0]["seq"]]["value"]))
        c = org.counts()
        self.assertEqual(c["members"], len(members))
        self.assertEqual(c["deals"], sum(1 for r in rows if r["type"] == "deal"))
        for k in c:
            self.assertEqual(org.count(k), c[k])

    def test_kpi_many_and_subject(self):
        org = self.org
        periods = ["2025-10", "2025-11", "2025-Q4", "2025-10-01..2025-10-15"]
        many = org.kpi_many(periods, by="team")
        self.assertEqual(len(many), 4)
        for p, rows in zip(periods, many):
            self.assertEqual(rows, org.kpi(p, by="team"))
        one = org.kpi("2025-10", by="member", subject="member:m004")
        self.assertEqual([r["subject"] for r in one], ["member:m004"])
        self.assertEqual(one[0], [r for r in org.kpi("2025-10") if r["subject"] == "member:m004"][0])
        sub = org.kpi("2025-10", by="all", subject="team:t001")
        self.assertTrue(all(r["subject"] != "company" for r in sub))
        self.assertIn("team:t001", [r["subject"] for r in sub])
        with self.assertRaises(smg.ParseError):
            org.kpi("2025-10", subject="nobody")
        with self.assertRaises(smg.NotFound):
            org.kpi("2025-10", subject="member:nobody")
        self.assertEqual(org.kpi_many([]), [])

    def test_registrations_protections_expiring(self):
        org = self.org
        regs = org.registrations()
        self.assertTrue(regs)
        self.assertTrue(all(isinstance(r["ontime"], bool) for r in regs))
        prots = org.protections()
        self.assertTrue(prots)
        day = max(p["through"] for p in prots) - datetime.timedelta(days=3)
        exp = org.expiring(day, 7)
        for p in exp:
            self.assertIn(p, prots)
            self.assertLess(p["through"], day + datetime.timedelta(days=7))
        self.assertEqual(org.expiring(day, 0), [])
        until = org.attribution(until=DT(2025, 6, 1))
        self.assertTrue(all(r["day"] < D(2025, 6, 1) for r in until))
        self.assertLess(len(until), len(org.attribution()))

    def test_policy(self):
        names = smg.policy_names()
        self.assertIn("attribution.protect_days", names)
        with sample() as org:
            pol = org.policy()
            self.assertEqual(set(pol), set(names))
            self.assertEqual(org.policy_get("attribution.protect_days"), "7")
            org.policy_set("attribution.protect_days", 30)
            self.assertEqual(org.policy_get("attribution.protect_days"), "30")
            org.policy_set("pay.overplan_rate", Decimal("0.05"))
            org.policy_set("tier.method", "pareto")
            org.policy_check()
            org.policy_reset()
            self.assertNotEqual(org.policy_get("tier.method"), "pareto")
            with self.assertRaises(smg.NotFound) as cm:
                org.policy_set("no.such", "1")
            self.assertIn("no.such", str(cm.exception))
            with self.assertRaises(smg.NotFound):
                org.policy_get("no.such")
            with self.assertRaises((smg.ParseError, smg.OutOfRange)) as cm:
                org.policy_set("attribution.protect_days", "0")
            self.assertIn("attribution.protect_days", str(cm.exception))
            with self.assertRaises(smg.ParseError):
                org.policy_set("attribution.protect_days", "seven")
            with self.assertRaises(TypeError):
                org.policy_set("attribution.protect_days", True)
            with self.assertRaises(TypeError):
                org.policy_set("attribution.protect_days", [7])

    def test_load_with_policy_equals_cli_policy(self):
        settings = {"attribution.protect_days": 15, "attribution.claim_days": "5",
                    "calendar.holiday": ["2025-10-06", D(2025, 10, 7)]}
        path = os.path.join(TMP, "override.conf")
        with open(path, "w") as f:
            f.write("attribution.protect_days = 15\nattribution.claim_days = 5\n"
                    "calendar.holiday = 2025-10-06\ncalendar.holiday = 2025-10-07\n")
        with smg.load(SAMPLE, policy=settings) as org:
            deals = org.attribution()
            j = cli(SAMPLE, "attribute", "--policy", path)
            Compare.assertRows(self, j["deals"], deals, "attribute --policy")
            self.assertNotEqual(deals, self.org.attribution())
            k = org.kpi("2025-10", by="team")
            Compare.assertRows(self, cli(SAMPLE, "kpi", "--period", "2025-10", "--by", "team",
                                         "--policy", path)["rows"], k, "kpi --policy")
        with smg.load(SAMPLE, policy=path) as org:
            self.assertEqual(org.attribution(), deals)
        with self.assertRaises(smg.NotFound):
            smg.load(SAMPLE, policy={"attribution.nope": 1})
        with self.assertRaises(smg.OutOfRange):
            smg.load(SAMPLE, policy={"attribution.protect_days": 100000})
        with self.assertRaises(TypeError):
            smg.load(SAMPLE, policy=[("attribution.protect_days", 3)])
        with smg.Org(policy={"attribution.protect_days": 10}) as org:
            self.assertEqual(org.policy_get("attribution.protect_days"), "10")

    def assertScorecard(self, cli_members, rows, what):
        """The binding's scorecard() against the command's `members`: every
        key of a member and of each of its items, in order."""
        self.assertEqual(len(cli_members), len(rows), "%s: member rows" % what)
        for i, (c, r) in enumerate(zip(cli_members, rows)):
            for k, cv in c.items():
                self.assertIn(k, r, "%s row %d: key %s missing" % (what, i, k))
                if k != "items" and not same(cv, r[k]):
                    self.fail("%s row %d key %s: command %r, binding %r" % (what, i, k, cv, r[k]))
            self.assertEqual(list(r)[:4], ["member", "work_score", "source", "items"])
            self.assertEqual(r["work_score"], r["work_score_x100"] / 100)
            Compare.assertRows(self, c["items"], r["items"], "%s %s items" % (what, c["member"]),
                               empty_ok=True)
            for item in r["items"]:
                self.assertEqual(item["score"], item["score_x100"] / 100)
                self.assertLessEqual(item["missed"], item["faults"])

    def test_scorecard(self):
        org = self.org
        evs = org.events()
        first, last = evs[0]["at"], evs[-1]["at"]
        months = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            months.append("%04d-%02d" % (y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        self.assertGreaterEqual(len(months), 12)
        sources = set()
        for month in months:
            j = cli(SAMPLE, "scorecard", "--period", month)
            self.assertEqual(j["period"], month)
            rows = org.scorecard(month)
            self.assertScorecard(j["members"], rows, "scorecard " + month)
            sources |= {r["source"] for r in rows}
            # pay takes the same work score, and says where it came from
            pay = org.pay(month)
            cpay = cli(SAMPLE, "pay", "--period", month)["members"]
            Compare.assertRows(self, cpay, pay, "pay " + month)  # work_score_source too, if printed
            self.assertEqual([p["member"] for p in pay], [r["member"] for r in rows])
            for p, r in zip(pay, rows):
                self.assertEqual((p["work_score"], p["work_score_source"]),
                                 (r["work_score"], r["source"]), "%s %s" % (month, r["member"]))
        self.assertEqual(sources, {"given", "scorecard", "none"})
        members = org.members()
        rep = [x["id"] for x in members if x["role"] == "rep"][0]
        leader = [x["id"] for x in members if x["role"] == "leader"][0]
        for who in (rep, leader):
            for month in (months[-2], "2025-10"):
                j = cli(SAMPLE, "scorecard", "--period", month, "--as", who)
                self.assertScorecard(j["members"], org.scorecard(month, as_member=who),
                                     "scorecard %s as %s" % (month, who))
        self.assertEqual([r["member"] for r in org.scorecard(months[-2], as_member=rep)], [rep])
        self.assertEqual(smg.scorecard(org, "2026-03"), org.scorecard("2026-03"))
        # what the command refuses, the binding does
        rc, err = cli(SAMPLE, "scorecard", "--period", "2026-Q1", ok=False)
        self.assertNotEqual(rc, 0, err)
        self.assertIn("not a month", err)
        with self.assertRaises(smg.InvalidArgument):
            org.scorecard("2026-Q1")
        with self.assertRaises(smg.NotFound):
            org.scorecard("2026-03", as_member="ghost")
        # the items as scorecard.csv has them
        items = org.scorecard_items()
        self.assertEqual(len(items), org.count("scorecard_items"))
        self.assertEqual(items[0], {"id": "monthly_report", "parent": None,
                                    "points": Decimal("60.00"), "deduct": None,
                                    "roles": ["rep", "leader"], "due": "monthly:30"})
        self.assertEqual(items[1]["parent"], "monthly_report")
        self.assertEqual(items[1]["deduct"], Decimal("5.00"))
        self.assertEqual(items[4]["due"], "weekly:fri")
        self.assertTrue(any(e["type"] == "fault" and e["value"] == 2 for e in evs))

    def test_module_functions(self):
        org = self.org
        self.assertEqual(smg.kpi(org, "2025-10", by="team"), org.kpi("2025-10", by="team"))
        self.assertEqual(smg.attribution(org), org.attribution())
        self.assertEqual(smg.pay(org, "2025-10"), org.pay("2025-10"))
        self.assertEqual(smg.targets(org, "2025-Q4"), org.targets("2025-Q4"))
        self.assertEqual(smg.tiers(org, year=2025), org.tiers(year=2025))
        self.assertEqual(smg.visits(org, "2025-11-15"), org.visits(D(2025, 11, 15)))
        self.assertEqual(smg.notices(org), org.notices())
        self.assertEqual(smg.rotation(org, "2025-10-09"), org.rotation(D(2025, 10, 9)))

    def test_live_rotation(self):
        with sample() as org:
            rot = org.live_rotation()
            for m in ("m006", "m008", "m010"):
                rot.signin(m)
            self.assertEqual(rot.order(), ["m006", "m008", "m010"])
            self.assertEqual(rot.arrive(), ("m006", False))
            self.assertTrue(rot.busy("m006"))
            self.assertEqual(rot.arrive("named", "m006"), ("m010", True))
            self.assertEqual(rot.arrive("new"), ("m008", False))
            with self.assertRaises(smg.StateError):
                rot.arrive()
            rot.done("m006")
            self.assertFalse(rot.busy("m006"))
            with self.assertRaises(smg.AlreadyExists):
                rot.signin("m006")
            with self.assertRaises(smg.NotFound):
                rot.signin("ghost")
            with self.assertRaises(smg.InvalidArgument):
                rot.arrive("teleport")
            with self.assertRaises(smg.InvalidArgument):
                rot.signin("m0\0")
            with copy_raises(self):
                copy.copy(rot)
            rot2 = org.live_rotation()
        # closing the org closed both rotations first
        self.assertTrue(rot.closed and rot2.closed)
        with self.assertRaises(smg.ClosedError):
            rot.order()
        rot.close()
        with smg.Org() as org:
            with org.live_rotation() as r:
                self.assertEqual(r.order(), [])
            self.assertTrue(r.closed)
            with self.assertRaises(smg.ClosedError):
                r.signin("x")


class copy_raises:
    def __init__(self, t):
        self.t = t

    def __enter__(self):
        return self

    def __exit__(self, et, e, tb):
        self.t.assertIs(et, TypeError)
        return True


def build_org(org):
    """A small org made call by call, inside one batch."""
    with org.batch():
        org.add_team("east", "华东一组")
        org.add_team("west", "West", parent=None)
        org.add_member("m01", "张伟", team="east", role="leader", start=D(2026, 1, 1),
                       pay_total=Decimal("8000"))
        org.add_member("m02", "李娜", team="east", role="rep", start="2026-01-01",
                       pay_total="6000.50")
        org.add_member("m03", None, team="west", pay_total=6000)
        org.set_leader("east", "m01")
        org.add_customer("c1", "王先生", phone="13800000000")
        org.add_customer("c2", "赵女士", phone="+86 138 0000 0000", group_key="fam")
        org.add_customer("c3", group_key="fam")
        org.add_profile("flat", [1] * 12)
        org.add_target("member:m01", "sales_amount", "2026-03", Decimal("100000"))
        org.add_target("team:east", "deal_count", "2026-Q1", 5, profile="flat")
        org.add_commission("*", 0, "0.01")
        org.add_commission("*", Decimal("50000"), Decimal("0.02"))
        org.add_event("signin", at=DT(2026, 3, 1, 8, 0), member="m02")
        org.add_event("register", at=DT(2026, 3, 1, 10, 0), member="m01", customer="c1")
        org.add_event("followup", at="2026-03-02T09:00", member="m01", customer="c1")
        org.add_event("deal", at=DT(2026, 3, 3, 15, 0), member="m02", customer="c1",
                      ref="D1", amount=Decimal("120000.00"), list_amount="125000",
                      cost=Decimal("100000.5"), product="ev", id="ev-deal-1")
        org.add_event("claim", at=DT(2026, 3, 4, 9, 0), member="m01", ref="D1")
        org.add_event("visit", at=DT(2026, 3, 5, 9, 0), member="m01", customer="c2",
                      channel="onsite", outcome="success")
        org.add_event("absence", at=D(2026, 3, 6), member="m02", value=Decimal("1.5"))
        org.add_event("work_score", at=D(2026, 3, 31), member="m02", value=85)
        org.add_event("expense", at=D(2026, 3, 7), member="m02", amount="300.25")


def build_scorecard(org, extra=()):
    """The worked months of tests/test_scorecard.c, from scratch: team t
    (leader ld) with reps a, b, g; team o with the director dir. Items:
    mr 月报 60 (no deduction: any fault zeroes it; rep, leader; monthly:31)
    with sum 20 (5 a fault), plan 20 (5), prop 20 (15, reps only); wr 周报
    40 (10 a fault; reps; weekly:fri); lo 40 (no deduction; leaders)."""
    with org.batch():
        org.add_team("t", "t")
        org.add_team("o", "o")
        org.add_member("a", "a", team="t", start="2026-01-01", pay_total=10000)
        org.add_member("b", "b", team="t", start="2026-10-15")
        org.add_member("ld", "ld", team="t", role="leader")
        org.add_member("g", "g", team="t", pay_total=Decimal("10000"))
        org.add_member("dir", "dir", team="o", role="director")
        org.set_leader("t", "ld")
        # a child may come before its parent in the batch
        org.add_scorecard_item("sum", Decimal("20"), parent="mr", deduct=5)
        org.add_scorecard_item("mr", 60, roles=["rep", "leader"], due="monthly:31")
        org.add_scorecard_item("plan", "20.00", parent="mr", deduct=Decimal("5"), due="")
        org.add_scorecard_item("prop", 20, parent="mr", deduct=15, roles="rep")
        org.add_scorecard_item("wr", 40, deduct=10, roles=["rep"], due="weekly:fri")
        org.add_scorecard_item("lo", 40, roles=("leader",))
        ev = org.add_event
        # a, September: on time, but a fault on prop
        for day in (4, 11, 18, 25):
            ev("submit", DT(2026, 9, day, 10), member="a", ref="wr")
        ev("submit", "2026-09-30T23:59", member="a", ref="mr")
        ev("fault", DT(2026, 9, 10, 10), member="a", ref="prop")
        # a, October
        ev("submit", DT(2026, 9, 29, 10), member="a", ref="wr")  # the week of Friday 10-02
        ev("submit", "2026-10-09T23:59", member="a", ref="wr")
        ev("submit", "2026-10-17T00:00", member="a", ref="wr")  # late for 10-16
        ev("submit", DT(2026, 10, 23, 10), member="a", ref="wr")
        ev("submit", DT(2026, 10, 30, 10), member="a", ref="wr")
        ev("submit", "2026-10-31T23:59", member="a", ref="mr")
        ev("fault", DT(2026, 10, 5, 10), member="a", ref="prop", value=1)
        ev("fault", DT(2026, 10, 12, 10), member="a", ref="sum", value=3)
        # b, from 10-15
        ev("submit", DT(2026, 10, 16, 10), member="b", ref="wr")
        ev("submit", DT(2026, 10, 23, 10), member="b", ref="wr")
        ev("submit", "2026-10-31T00:00", member="b", ref="mr")
        # ld: the monthly report a minute late; a fault on lo
        ev("submit", "2026-11-01T00:00", member="ld", ref="mr")
        ev("fault", DT(2026, 10, 7, 10), member="ld", ref="lo")
        # g: given scores, the latest wins
        ev("work_score", DT(2026, 10, 15, 10), member="g", value=Decimal("77.5"))
        ev("work_score", DT(2026, 10, 20, 10), member="g", value=80)
        for call in extra:
            call(org)


class OrgTest(unittest.TestCase):
    def test_scorecard_from_scratch(self):
        with smg.Org() as org:
            build_scorecard(org)
            self.assertEqual(org.count("scorecard_items"), 6)
            self.assertEqual([i["id"] for i in org.scorecard_items()],
                             ["sum", "mr", "plan", "prop", "wr", "lo"])
            self.assertEqual(org.scorecard_items()[3], {
                "id": "prop", "parent": "mr", "points": Decimal("20.00"),
                "deduct": Decimal("15.00"), "roles": ["rep"], "due": None})
            faults = [e for e in org.events() if e["type"] == "fault"]
            self.assertEqual([(e["member"], e["ref"], e["value"]) for e in faults],
                             [("a", "prop", 1), ("a", "prop", 1), ("ld", "lo", 1),
                              ("a", "sum", 3)])
            sc = {r["member"]: r for r in org.scorecard("2026-10")}
            self.assertEqual(list(sc), ["a", "b", "ld", "g", "dir"])

            def lines(m):
                return [(i["item"], i["score"], i["faults"], i["doubled"])
                        for i in sc[m]["items"]]
            # a: sum 20 - 5 x 3; prop doubled (a fault in September too), below 0;
            # mr = min(60, 5 + 20 + 0); wr one Friday missed: 40 - 10. 25 + 30
            a = sc["a"]
            self.assertEqual((a["work_score"], a["source"], a["work_score_x100"]),
                             (55.0, "scorecard", 5500))
            self.assertEqual(lines("a"), [("mr", 25.0, 0, False), ("sum", 5.0, 3, False),
                                          ("plan", 20.0, 0, False), ("prop", 0.0, 1, True),
                                          ("wr", 30.0, 1, False)])
            self.assertEqual([(i["depth"], i["missed"]) for i in a["items"]],
                             [(0, 0), (1, 0), (1, 0), (1, 0), (0, 1)])
            self.assertEqual((sc["b"]["work_score"], sc["b"]["source"]), (90.0, "scorecard"))
            self.assertEqual(lines("ld"), [("mr", 0.0, 1, False), ("sum", 20.0, 0, False),
                                           ("plan", 20.0, 0, False), ("lo", 0.0, 1, False)])
            self.assertEqual(sc["ld"]["work_score"], 0.0)
            g = sc["g"]
            self.assertEqual((g["work_score"], g["source"], g["scorecard_score"]),
                             (80.0, "given", 0.0))
            self.assertEqual(sc["dir"], {"member": "dir", "work_score": 0.0, "source": "none",
                                         "items": [], "work_score_x100": 0,
                                         "scorecard_score": None, "scorecard_score_x100": None})
            sep = {r["member"]: r for r in org.scorecard("2026-09")}
            self.assertEqual(sep["a"]["work_score"], 85.0)
            self.assertEqual((sep["b"]["source"], sep["b"]["items"]), ("none", []))
            # pay takes the scorecard's work score: 55 x 70% + 100 x 30%
            pay = {r["member"]: r for r in org.pay("2026-10")}
            self.assertEqual((pay["a"]["work_score"], pay["a"]["work_score_source"]),
                             (55.0, "scorecard"))
            self.assertEqual(pay["a"]["monthly_score"], 68.5)
            self.assertEqual(pay["g"]["work_score_source"], "given")
            self.assertEqual(pay["dir"]["work_score_source"], "none")
            self.assertEqual(org.scorecard("2026-10", as_member="a"), [sc["a"]])
            self.assertEqual([r["member"] for r in org.scorecard("2026-10", as_member="ld")],
                             ["a", "b", "ld", "g"])
            with self.assertRaises(smg.DataError) as cm:  # nothing is computed in a batch
                with org.batch():
                    org.scorecard("2026-10")
            self.assertIsInstance(cm.exception.__cause__, smg.StateError)

    def test_scorecard_item_errors(self):
        with smg.Org() as org:
            build_scorecard(org)
            n = org.count("scorecard_items")
            for call, exc in (
                    (lambda: org.add_scorecard_item("wr", 10), smg.AlreadyExists),
                    (lambda: org.add_scorecard_item("x", Decimal("0.005")), smg.ParseError),
                    (lambda: org.add_scorecard_item("x", 101), smg.OutOfRange),
                    (lambda: org.add_scorecard_item("x", 10, deduct=0), smg.OutOfRange),
                    (lambda: org.add_scorecard_item("x", 10, roles=["boss"]), smg.ParseError),
                    (lambda: org.add_scorecard_item("x", 10, due="monthly:32"), smg.ParseError),
                    (lambda: org.add_scorecard_item("x", 10, due="weekly:friday"), smg.ParseError),
                    (lambda: org.add_scorecard_item("", 10), smg.InvalidArgument),
                    (lambda: org.add_scorecard_item("x\0", 10), smg.InvalidArgument),
                    (lambda: org.add_event("fault", DT(2026, 10, 1), member="a", ref="nope"),
                     smg.NotFound),
                    (lambda: org.add_event("fault", DT(2026, 10, 1), member="a", ref="wr",
                                           value=Decimal("1.5")), smg.ParseError),
            ):
                with self.assertRaises(exc, msg=str(exc)):
                    call()
            for call in (lambda: org.add_scorecard_item("x", 10.0),
                         lambda: org.add_scorecard_item("x", 10, deduct=2.5),
                         lambda: org.add_scorecard_item("x", 10, roles=5),
                         lambda: org.add_scorecard_item("x", 10, roles=[0]),
                         lambda: org.add_scorecard_item("x", 10, due=30),
                         lambda: org.add_scorecard_item(None, 10)):
                with self.assertRaises(TypeError):
                    call()
            self.assertEqual(org.count("scorecard_items"), n)
            # the checks of the commit: an unknown parent, children past their parent,
            # more than 100 top-level points for a role, an item of another role
            for adds, word in (
                    ([("k", 10, "ghost")], "ghost"),
                    ([("k", 50, "wr")], "k"),
                    ([("k", 1, None)], "100"),
            ):
                with self.assertRaises(smg.DataError) as cm:
                    with org.batch():
                        for item_id, pts, parent in adds:
                            org.add_scorecard_item(item_id, pts, parent=parent)
                self.assertIn(word, str(cm.exception))
            with self.assertRaises(smg.DataError) as cm:
                with org.batch():
                    org.add_event("fault", DT(2026, 10, 2), member="a", ref="lo")
            self.assertIn("lo", str(cm.exception))
            self.assertEqual(org.count("scorecard_items"), n)
            # a half point is kept exactly
            with org.batch():
                org.add_scorecard_item("half", Decimal("0.5"), parent="lo")
            self.assertEqual(org.scorecard_items()[-1]["points"], Decimal("0.50"))

    def test_build_and_compute(self):
        with smg.Org(policy={"attribution.protect_days": 10, "visit.tier2_months": 1,
                             "visit.other_months": 1}) as org:
            build_org(org)
            self.assertEqual(org.counts()["members"], 3)
            self.assertEqual(org.count("events"), 9)
            self.assertEqual(org.count("keys"), 2)
            deals = org.attribution()
            self.assertEqual(len(deals), 1)
            d = deals[0]
            self.assertEqual((d["ref"], d["closer"], d["credited"], d["reason"]),
                             ("D1", "m02", "m01", "claimed"))
            self.assertEqual(d["amount"], Decimal("120000.00"))
            self.assertEqual(str(d["amount"]), "120000.00")
            self.assertEqual(d["day"], D(2026, 3, 3))
            kpi = {r["subject"]: r for r in org.kpi("2026-03", by="all")}
            self.assertEqual(kpi["member:m01"]["sales_amount"], Decimal("120000.00"))
            self.assertEqual(kpi["member:m01"]["target_amount"], Decimal("100000.00"))
            self.assertEqual(kpi["member:m01"]["completion_rate"], 1.2)
            self.assertEqual(kpi["member:m02"]["expense_amount"], Decimal("300.25"))
            self.assertEqual(kpi["member:m02"]["name"], "李娜")
            self.assertEqual(kpi["member:m03"]["name"], "")
            self.assertEqual(kpi["company"]["gross_profit"], Decimal("19999.50"))
            pay = {r["member"]: r for r in org.pay("2026-03")}
            self.assertEqual(pay["m02"]["work_score"], 85.0)
            self.assertEqual(pay["m02"]["days_absent"], 2)
            self.assertEqual(pay["m01"]["pay_total"], Decimal("8000.00"))
            self.assertIsInstance(pay["m01"]["commission"], Decimal)
            tg = org.targets("2026-03")
            self.assertIn({"subject": "member:m01", "metric": "sales_amount",
                           "target": Decimal("100000.00"), "children_sum": None, "gap": None}, tg)
            self.assertEqual(org.target("team:east", "deal_count", "2026-Q1"), 5)
            self.assertIsNone(org.target("team:west", "deal_count", "2026-Q1"))
            cs = {c["id"]: c for c in org.customers()}
            self.assertEqual(cs["c3"]["key"], "fam")
            self.assertEqual(cs["c2"]["duplicate_of"], "c1")
            ev = org.events()
            self.assertEqual([e for e in ev if e["id"]][0]["ref"], "D1")
            self.assertEqual([e for e in ev if e["type"] == "absence"][0]["value"], Decimal("1.50"))
            self.assertEqual([e for e in ev if e["type"] == "visit"][0]["channel"], "onsite")
            self.assertEqual(org.teams()[0], {"id": "east", "name": "华东一组", "parent": None,
                                              "leader": "m01"})
            self.assertEqual(org.members()[1]["pay_total"], Decimal("6000.50"))
            tiers = org.tiers(as_of=D(2026, 3, 31))
            self.assertEqual([t["customer"] for t in tiers], ["c1", "c2", "c3"])
            self.assertEqual(tiers[0]["annual_sales"], Decimal("120000.00"))
            self.assertEqual(org.visits("2026-03-31", method="threshold")[0]["customer"], "c1")

    def test_batch_rolls_back_on_error(self):
        with smg.Org() as org:
            build_org(org)
            before = org.counts()
            deals = org.attribution()
            with self.assertRaises(smg.DataError) as cm:
                with org.batch():
                    org.add_team("north", "North")
                    org.add_member("m09", "X", team="north")
                    org.add_event("deal", at=DT(2026, 3, 9), member="m09", customer="c1",
                                  ref="D2", amount=1000)
                    org.add_customer("c9", "Y")
                    org.add_member("m10", "Z", team="nowhere")  # NotFound
                    org.add_customer("c10")  # never reached
            e = cm.exception
            self.assertIsInstance(e.__cause__, smg.NotFound)
            self.assertEqual(e.code, _capi.SMG_ENOTFOUND)
            self.assertEqual(len(e.errors), 1)
            self.assertIn("nowhere", e.errors[0])
            self.assertEqual(org.counts(), before)
            self.assertEqual(org.attribution(), deals)
            # a commit that finds an error (a claim before its deal) applies nothing
            with self.assertRaises(smg.DataError) as cm:
                with org.batch():
                    org.add_customer("c20")
                    org.add_event("claim", at=DT(2026, 3, 10), member="m01", ref="D3")
                    org.add_event("deal", at=DT(2026, 3, 11), member="m02", customer="c20",
                                  ref="D3", amount=10)
            self.assertIn("D3", str(cm.exception))
            self.assertIsNone(cm.exception.__cause__)
            self.assertEqual(org.counts(), before)
            # collect=True: every error of the block, then one DataError
            with self.assertRaises(smg.DataError) as cm:
                with org.batch(collect=True):
                    org.add_customer("c1")          # exists
                    org.add_member("m11", "A", team="ghost")  # no team
                    org.add_event("deal", at=DT(2026, 3, 12), member="nobody", customer="c1",
                                  ref="D4", amount=5)
                    org.add_customer("c21")         # fine, but rolled back
            e = cm.exception
            self.assertEqual(e.code, _capi.SMG_EDATA)
            self.assertEqual(len(e.errors), 3, e.errors)
            self.assertIn("c1", e.errors[0])
            self.assertIn("ghost", e.errors[1])
            self.assertIn("nobody", e.errors[2])
            self.assertEqual(org.counts(), before)
            # any other exception: rollback, and it propagates as it is
            with self.assertRaises(KeyError):
                with org.batch():
                    org.add_customer("c30")
                    raise KeyError("mine")
            self.assertEqual(org.counts(), before)
            # commit on exit
            with org.batch():
                org.add_customer("c40")
                self.assertEqual(org.customers()[-1]["id"], "c3")  # staged, not committed
                with self.assertRaises(smg.StateError):
                    org.kpi("2026-03")  # nothing is computed inside a batch
            self.assertEqual(org.count("customers"), before["customers"] + 1)
            with self.assertRaises(smg.DataError):
                with org.batch():
                    with org.batch():
                        pass
            with self.assertRaises(TypeError):
                with org.batch(collect="yes"):
                    pass

    def test_atomic_calls_outside_a_batch(self):
        with smg.Org() as org:
            org.add_team("t", "T")
            with self.assertRaises(smg.Error):
                org.add_member("m1", "A", team="t", start=D(2026, 2, 1), end=D(2026, 1, 1))
            self.assertEqual(org.count("members"), 0)
            org.add_member("m1", "A", team="t")
            with self.assertRaises(smg.AlreadyExists) as cm:
                org.add_member("m1", "A", team="t")
            self.assertIn("m1", cm.exception.message)
            with self.assertRaises(smg.NotFound):
                org.add_team("u", "U", leader="ghost")
            self.assertEqual(org.count("teams"), 1)
            org.add_team("u", "U", parent="t", leader="m1")
            self.assertEqual(org.teams()[1]["leader"], "m1")
            with self.assertRaises(smg.ParseError):
                org.add_event("teleport", at=DT(2026, 1, 1), member="m1")
            with self.assertRaises(smg.ParseError):
                org.add_member("m2", team="t", role="boss")
            with self.assertRaises(smg.ParseError):
                org.add_commission("*", 0, "0.0000001")
            with self.assertRaises(smg.ParseError):
                org.add_target("member:m1", "profit", "2026", 1)
            with self.assertRaises(smg.InvalidArgument):
                org.add_commission("*", 0, "0.01", mode="stepped")

    def test_closed_handle(self):
        org = smg.Org()
        self.assertFalse(org.closed)
        org.close()
        self.assertTrue(org.closed)
        org.close()  # twice is safe
        self.assertEqual(repr(org), "<salesmgmt.Org closed>")
        calls = [
            lambda: org.attribution(), lambda: org.notices(), lambda: org.protections(),
            lambda: org.registrations(), lambda: org.expiring(D(2026, 1, 1), 3),
            lambda: org.kpi("2026-10"), lambda: org.kpi_many(["2026-10"]),
            lambda: org.targets("2026-Q4"), lambda: org.target("company", "deal_count", "2026"),
            lambda: org.tiers(year=2026), lambda: org.visits(D(2026, 11, 15)),
            lambda: org.pay("2026-10"), lambda: org.scorecard("2026-10"),
            lambda: org.rotation(D(2026, 1, 1)), lambda: org.live_rotation(),
            lambda: org.teams(), lambda: org.members(), lambda: org.customers(),
            lambda: org.events(), lambda: org.count("events"), lambda: org.counts(),
            lambda: org.reserve_events(10), lambda: org.policy_get("tier.method"),
            lambda: org.policy_set("tier.method", "pareto"), lambda: org.policy(),
            lambda: org.policy_check(), lambda: org.policy_reset(),
            lambda: org.policy_load({"tier.method": "pareto"}),
            lambda: org.add_team("t", "T"), lambda: org.set_leader("t", None),
            lambda: org.add_member("m", "M", team="t"), lambda: org.set_member_dates("m"),
            lambda: org.set_pay_total("m", None), lambda: org.add_customer("c"),
            lambda: org.add_event("signin", at=DT(2026, 1, 1), member="m"),
            lambda: org.add_target("company", "deal_count", "2026", 1),
            lambda: org.add_profile("p", [1] * 12), lambda: org.add_commission("*", 0, "0.01"),
            lambda: org.add_scorecard_item("wr", 40), lambda: org.scorecard_items(),
            lambda: org.batch().__enter__(), lambda: org.__enter__(),
        ]
        for i, call in enumerate(calls):
            with self.assertRaises(smg.ClosedError, msg="call %d" % i) as cm:
                call()
            self.assertIsInstance(cm.exception, smg.StateError)
            self.assertIsInstance(cm.exception, ValueError)
        with smg.load(SAMPLE) as org:
            pass
        self.assertTrue(org.closed)
        with self.assertRaises(smg.ClosedError):
            org.kpi("2025-10")
        with self.assertRaises(smg.ClosedError):
            with smg.Org() as org2:
                with org2.batch():
                    org2.add_team("t")
                    org2.close()

    def test_no_copy_no_pickle(self):
        with smg.Org() as org:
            with copy_raises(self):
                copy.copy(org)
            with copy_raises(self):
                copy.deepcopy(org)
            with copy_raises(self):
                pickle.dumps(org)
        e = smg.DataError(-12, "two", ["a:1: x", "b:2: y"])
        e2 = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(e2), e2.code, e2.errors), (smg.DataError, -12, ["a:1: x", "b:2: y"]))

    def test_bad_types(self):
        with sample() as org:
            bad = [
                (lambda: org.kpi(2026), "period"), (lambda: org.kpi(None), "period"),
                (lambda: org.kpi(D(2025, 10, 1)), "period"),
                (lambda: org.kpi("2025-10", by=1), "by"),
                (lambda: org.kpi("2025-10", as_member=5), "as_member"),
                (lambda: org.kpi("2025-10", subject=3), "subject"),
                (lambda: org.kpi_many("2025-10"), "periods"),
                (lambda: org.targets(202510), "period"), (lambda: org.pay(2025.10), "period"),
                (lambda: org.tiers(), "year"), (lambda: org.tiers(year=2025, as_of="2025-01-01"),
                                                 "year"),
                (lambda: org.tiers(year="2025"), "year"), (lambda: org.tiers(year=True), "year"),
                (lambda: org.tiers(year=2025, method=1), "method"),
                (lambda: org.visits(20251115), "as_of"), (lambda: org.visits(None), "as_of"),
                (lambda: org.rotation(1), "day"),
                (lambda: org.attribution(until=5), "until"),
                (lambda: org.attribution(as_member=["m001"]), "as_member"),
                (lambda: org.expiring(D(2025, 1, 1), "7"), "within_days"),
                (lambda: org.events("1"), "slice"),
                (lambda: org.add_team(123), "team id"), (lambda: org.add_team(None), "team id"),
                (lambda: org.add_member("m99", "X", team="t001", pay_total=8000.0), "pay_total"),
                (lambda: org.add_member("m99", "X"), "team"),
                (lambda: org.add_member("m99", "X", team="t001", role=1), "role"),
                (lambda: org.add_member("m99", "X", team="t001", start=20260101), "start"),
                (lambda: org.add_event("deal", at=1700000000, member="m004"), "at"),
                (lambda: org.add_event(7, at=DT(2026, 1, 1)), "event type"),
                (lambda: org.add_event("absence", at=DT(2026, 1, 1), member="m004", value=0.5),
                 "value"),
                (lambda: org.add_profile("p", [1] * 11), "weights"),
                (lambda: org.add_profile("p", "abcdefghijkl"), "weights"),
                (lambda: org.add_target("company", "deal_count", "2026", Decimal(3)), "amount"),
                (lambda: org.count(4), "count"), (lambda: org.policy_set(1, 2), "policy name"),
                (lambda: smg.load(123), "dataset folder"), (lambda: smg.load(None), "dataset"),
                (lambda: smg.load(SAMPLE, encoding=8), "encoding"),
                (lambda: smg.Org(max_errors="9"), "max_errors"),
                (lambda: smg.Org(policy=5), "policy"),
            ]
            for call, word in bad:
                with self.assertRaises(TypeError, msg=word) as cm:
                    call()
                self.assertIn(word.split()[0], str(cm.exception))
            self.assertEqual(org.count("members"), 12)

    def test_bad_values(self):
        with sample() as org:
            with self.assertRaises(smg.OutOfRange):
                org.kpi("2025-13")
            with self.assertRaises(smg.ParseError):
                org.kpi("October")
            with self.assertRaises(smg.OutOfRange):
                org.kpi((D(2025, 10, 2), D(2025, 10, 1)))
            with self.assertRaises(smg.InvalidArgument):
                org.kpi("2025-10", by="region")
            with self.assertRaises(smg.InvalidArgument):
                org.pay("2025-Q4")  # pay needs a month
            with self.assertRaises(smg.NotFound) as cm:
                org.kpi("2025-10", as_member="ghost")
            self.assertIn("ghost", str(cm.exception))
            with self.assertRaises(smg.NotFound):
                org.attribution(as_member="ghost")
            with self.assertRaises(smg.InvalidArgument):
                org.tiers(year=2025, method="median")
            with self.assertRaises(smg.OutOfRange):
                org.tiers(year=0)
            with self.assertRaises(smg.ParseError):
                org.visits("2025-02-30")
            with self.assertRaises(smg.OutOfRange):
                org.expiring(D(2025, 1, 1), -1)
            with self.assertRaises(smg.InvalidArgument):
                org.count("widgets")
            with self.assertRaises(smg.ParseError):
                org.add_member("m99", "X", team="t001", pay_total="1,000.00")
            with self.assertRaises(smg.ParseError):
                org.add_member("m99", "X", team="t001", pay_total=Decimal("0.001"))
            with self.assertRaises(smg.InvalidArgument):
                org.add_member("m99", "X", team="t001", pay_total=Decimal("NaN"))
            with self.assertRaises(smg.OutOfRange):
                org.add_member("m99", "X", team="t001", pay_total=10 ** 18)
            with self.assertRaises(smg.InvalidArgument):
                org.add_event("signin", at=DT(2026, 1, 1, tzinfo=datetime.timezone.utc),
                              member="m004")
            self.assertEqual(org.count("members"), 12)

    def test_text_arguments(self):
        with sample() as org:
            n = org.counts()
            for bad in ("m\0x", "\udcff", b"\xff\xfe", b"m\x00", bytearray(b"\xc3")):
                with self.assertRaises(smg.InvalidArgument) as cm:
                    org.add_team(bad, "x")
                self.assertIsInstance(cm.exception, ValueError)
                with self.assertRaises(smg.InvalidArgument):
                    org.kpi("2025-10", as_member=bad)
                with self.assertRaises(smg.InvalidArgument):
                    org.add_customer("c999", name=bad)
                with self.assertRaises(smg.InvalidArgument):
                    org.policy_set("tier.method", bad)
            with self.assertRaises(smg.InvalidArgument):
                smg.load(SAMPLE + "\0")
            with self.assertRaises(smg.InvalidArgument):
                org.add_team("", "empty id")  # the library refuses an empty id
            self.assertEqual(org.counts(), n)
            # bytes that are UTF-8 are ids as well as str
            self.assertEqual(org.kpi("2025-10", as_member=b"m004"),
                             org.kpi("2025-10", as_member="m004"))
            org.add_customer("客户-1", name="王先生 😀")
            self.assertEqual(org.customers()[-1]["name"], "王先生 😀")

    def test_load_errors(self):
        missing = os.path.join(TMP, "no-such-folder")
        with self.assertRaises(smg.IoError) as cm:
            smg.load(missing)
        e = cm.exception
        self.assertIsInstance(e, OSError)
        self.assertEqual(e.code, _capi.SMG_EIO)
        self.assertEqual(len(e.errors), 2)
        self.assertTrue(all(missing in m for m in e.errors))
        bad = os.path.join(TEST_DATA, "bad")
        with self.assertRaises(smg.DataError) as cm:
            smg.load(bad)
        e = cm.exception
        rc, err = cli(bad, "check", ok=False)
        self.assertEqual(rc, 2)
        # check --format json prints the errors with their places (issue #13)
        p = subprocess.run([EXE, "check", bad, "--format", "json"], stdout=subprocess.PIPE,
                           timeout=300)
        doc = json.loads(p.stdout.decode("utf-8"))
        expected = ["%s:%d: %s%s" % (x["file"], x["line"],
                                     "column %s: " % x["column"] if x["column"] else "",
                                     x["message"]) for x in doc["errors"]]
        self.assertEqual(doc["more"], 0)
        self.assertEqual(e.errors, expected)
        self.assertGreater(len(e.errors), 10)
        for m in e.errors:
            self.assertRegex(m, r"^[a-z_]+\.(csv|conf):\d+: ")
        self.assertIn(e.errors[0], e.message)
        self.assertEqual(e.code, _capi.SMG_EDATA)
        with self.assertRaises(smg.DataError) as cm:
            smg.load(os.path.join(TEST_DATA, "missing_column"))
        self.assertEqual(cm.exception.errors, ["members.csv:1: column team_id: required column "
                                               "is missing"])
        with self.assertRaises(smg.IoError):
            smg.load(os.path.join(TEST_DATA, "no_members"))
        with self.assertRaises(smg.DataError) as cm:
            smg.load(bad, max_errors=3)
        # three kept, then how many more there were (issue #13)
        self.assertEqual(len(cm.exception.errors), 4)
        self.assertRegex(cm.exception.errors[3], r"^\u2026 and \d+ more errors$")
        with smg.load(os.path.join(TEST_DATA, "good")) as org:
            self.assertEqual(org.count("deals"), 1)

    def test_encoding(self):
        gb = os.path.join(TMP, "gb18030")
        os.mkdir(gb)
        for name in os.listdir(SAMPLE):
            with open(os.path.join(SAMPLE, name), encoding="utf-8") as f:
                text = f.read()
            if name == "customers.csv":  # a BOM file stays UTF-8
                with open(os.path.join(gb, name), "wb") as f:
                    f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
            else:
                with open(os.path.join(gb, name), "wb") as f:
                    f.write(text.encode("gb18030"))
        with smg.load(gb, encoding="GB18030") as org:
            with smg.load(SAMPLE) as ref:
                self.assertEqual(org.members(), ref.members())
                self.assertEqual(org.customers(), ref.customers())
                self.assertEqual(org.attribution(), ref.attribution())
        with self.assertRaises(smg.DataError):  # read as UTF-8, the names are not
            smg.load(gb)
        with smg.load(SAMPLE, encoding="utf-8") as org:
            with open(os.path.join(SAMPLE, "events.csv"), encoding="utf-8") as f:
                rows = sum(1 for _ in f) - 1
            self.assertEqual(org.count("events"), rows)
        with self.assertRaises(smg.InvalidArgument):
            smg.load(SAMPLE, encoding="no-such-codec")
        with open(os.path.join(gb, "teams.csv"), "ab") as f:
            f.write(b"t9,\x81\x20bad,hq,\n")
        with self.assertRaises(smg.DataError) as cm:
            smg.load(gb, encoding="gb18030")
        self.assertRegex(cm.exception.errors[0], r"^teams\.csv:7: not valid gb18030 text")
        with open(os.path.join(gb, "members.csv"), "ab") as f:
            f.write("m99,王五,nowhere,rep,,,\n".encode("gb18030"))
        os.remove(os.path.join(gb, "teams.csv"))
        with self.assertRaises(smg.DataError) as cm:
            smg.load(gb, encoding="gb18030")
        self.assertTrue(any(m.startswith("members.csv:14: ") for m in cm.exception.errors),
                        cm.exception.errors)
        with self.assertRaises(smg.IoError) as cm:
            smg.load(os.path.join(TMP, "nothing-here"), encoding="gb18030")


class LibraryTest(unittest.TestCase):
    def run_py(self, code, **env):
        e = dict(os.environ)
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=e, timeout=60)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def test_every_function_is_bound(self):
        """Every SMG_API function of the headers has a prototype whose types
        are those its C signature maps to; the library has every one."""
        decls = header_functions(INCLUDE)
        self.assertGreater(len(decls), 150)
        self.assertEqual(sorted(set(decls) - set(_capi.PROTOTYPES)), [], "not bound")
        self.assertEqual(sorted(set(_capi.PROTOTYPES) - set(decls)), [], "not in the headers")
        lib = _capi.load_library()
        for name, (ret, args) in decls.items():
            restype, argtypes = _capi.PROTOTYPES[name]
            self.assertEqual(ctype_name(restype), ret, name)
            self.assertEqual([ctype_name(a) for a in argtypes], args, name)
            fn = getattr(lib, name)
            self.assertIs(fn.restype, restype, name)
            self.assertEqual(fn.argtypes, argtypes, name)

    def test_struct_layout(self):
        out = subprocess.run([LAYOUT], stdout=subprocess.PIPE, check=True).stdout
        layout = json.loads(out)
        fields = header_structs(INCLUDE)
        self.assertEqual(set(layout), set(_capi.STRUCTS))
        for cname, cls in _capi.STRUCTS.items():
            names = [("from" if f[0] == "from_" else f[0]) for f in cls._fields_]
            self.assertEqual(names, fields[cname], cname)
            self.assertEqual(ctypes.sizeof(cls), layout[cname]["size"], cname)
            for f, cf in zip(cls._fields_, names):
                self.assertEqual(getattr(cls, f[0]).offset, layout[cname]["fields"][cf],
                                 "%s.%s" % (cname, cf))

    def test_lookup(self):
        code = "import salesmgmt as s; print(s.library_path()); print(s.version_string())"
        libpath = os.environ["SALESMGMT_LIBRARY"]
        rc, out, err = self.run_py(code)
        self.assertEqual((rc, out.split()[0]), (0, libpath), err)
        # SALESMGMT_LIBRARY that does not exist: no fallback, LibraryNotFound (an OSError)
        rc, out, err = self.run_py("import salesmgmt as s\ntry:\n s.load('x')\n"
                                   "except s.LibraryNotFound as e:\n print('LNF', e)\n",
                                   SALESMGMT_LIBRARY=os.path.join(TMP, "nope.so"))
        self.assertTrue(out.startswith("LNF"), out + err)
        self.assertIn("nope.so", out)
        # without it: <repo>/build/libsalesmgmt.so.0 when there is one, else the
        # dynamic linker's search (LD_LIBRARY_PATH here)
        pkg = os.path.dirname(os.path.abspath(smg.__file__))
        build = os.path.normpath(os.path.join(pkg, "..", "..", "..", "build",
                                              "libsalesmgmt.so.0"))
        rc, out, err = self.run_py(code, SALESMGMT_LIBRARY=None,
                                   LD_LIBRARY_PATH=os.path.dirname(libpath))
        self.assertEqual(rc, 0, err)
        want = build if os.path.exists(build) else "libsalesmgmt.so.0"
        self.assertEqual(out.split()[0], want)
        self.assertEqual(out.split()[1], smg.version_string())

    def test_doc_snippets(self):
        """The Python snippets of the docs run as they are shown (from the
        source tree's root, as the README's commands are)."""
        root = os.path.dirname(os.path.abspath(INCLUDE))
        docs = [os.path.join(root, "README.md"),
                os.path.join(root, "bindings", "python", "README.md")]
        snippets = []
        for d in docs:
            with open(d, encoding="utf-8") as f:
                snippets += re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)
        doc = smg.__doc__
        snippets.append(re.search(r"\n((?:    import salesmgmt.*\n)(?:    .*\n|\n)+)",
                                  doc).group(1))
        self.assertGreaterEqual(len(snippets), 3)
        for code in snippets:
            code = "\n".join(line[4:] if line.startswith("    ") and code.startswith("    ")
                             else line for line in code.splitlines())
            p = subprocess.run([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(p.returncode, 0, code + p.stderr.decode())
            self.assertTrue(p.stdout or "print" not in code, code)
            self.assertIn("smg.load(", code)

    def test_pip_install(self):
        """pip install --no-build-isolation of a copy of bindings/python (the
        setuptools backend, no dependency) gives a package that works."""
        for mod in ("pip", "setuptools", "wheel"):
            rc, _, _ = self.run_py("import " + mod)
            if rc:
                self.skipTest("%s is not installed for %s" % (mod, sys.executable))
        pkg = os.path.dirname(os.path.dirname(os.path.abspath(smg.__file__)))
        src = os.path.join(TMP, "pip-src")
        site = os.path.join(TMP, "pip-site")
        shutil.copytree(pkg, src, ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                                "__pycache__"))
        p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation",
                            "--no-deps", "--no-index", "--target", site, src],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout.decode())
        self.assertEqual(sorted(f for f in os.listdir(os.path.join(site, "salesmgmt"))
                                if f.endswith(".py")),
                         sorted(f for f in os.listdir(os.path.join(pkg, "salesmgmt"))
                                if f.endswith(".py")))
        rc, out, err = self.run_py("import salesmgmt as s; print(s.__file__); "
                                   "print(len(s.load(%r).attribution()))" % SAMPLE,
                                   PYTHONPATH=site)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith(os.path.join(site, "salesmgmt")), out)
        with smg.load(SAMPLE) as org:
            self.assertEqual(int(out.split()[1]), len(org.attribution()))

    def test_version_check(self):
        code = ("import salesmgmt as s\ntry:\n s.Org()\nexcept s.VersionError as e:\n"
                " print('VE', e.code, e)\n")
        for v, text in (("100", "0.1.0"), ("10000", "1.0.0"), ("201", None)):
            rc, out, err = self.run_py(code, SALESMGMT_LIBRARY=FAKE, FAKE_SMG_VERSION=v)
            self.assertTrue(out.startswith("VE -11"), out + err)
            if text:
                self.assertIn(text, out)
                self.assertIn("0.2", out)
            else:  # 0.2.1 fits, but it lacks the functions
                self.assertIn("lacks", out)


class ThreadTest(unittest.TestCase):
    def test_threads(self):
        """Two Orgs in two threads, and two threads on one Org (serialised by
        its lock), give the figures of one thread."""
        orgs = [smg.load(SAMPLE), smg.load(GEN_DIR)]
        want = [o.kpi("2025-Q4", by="team") for o in orgs] + [orgs[0].attribution()]
        got = [None] * 6
        errors = []

        def work(i, org, f):
            try:
                for _ in range(3):
                    got[i] = f(org)
            except Exception as e:  # pragma: no cover
                errors.append(e)
        jobs = [(0, orgs[0], lambda o: o.kpi("2025-Q4", by="team")),
                (1, orgs[1], lambda o: o.kpi("2025-Q4", by="team")),
                (2, orgs[0], lambda o: o.attribution()),
                (3, orgs[0], lambda o: o.kpi("2025-Q4", by="team")),
                (4, orgs[1], lambda o: o.kpi("2025-Q4", by="team")),
                (5, orgs[0], lambda o: o.attribution())]
        ts = [threading.Thread(target=work, args=j) for j in jobs]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(got, want + want)
        for o in orgs:
            o.close()


class AllocatorTest(unittest.TestCase):
    """Every C result is freed before a method returns, and close() frees the
    org: an org made with a counting allocator ends with nothing allocated."""

    def test_no_leak(self):
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        libc.realloc.restype = ctypes.c_void_p
        libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        libc.free.restype = None
        libc.free.argtypes = [ctypes.c_void_p]
        live = {}
        MALLOC = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
        REALLOC = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                   ctypes.c_size_t)
        FREE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)

        def m(_, n):
            p = libc.malloc(n)
            if p:
                live[p] = n
            return p

        def r(_, p, n):
            q = libc.realloc(p, n)
            if q:
                live.pop(p, None)
                live[q] = n
            return q

        def f(_, p):
            if p:
                self.assertIn(p, live, "free of a block not allocated")
                del live[p]
                libc.free(p)
        cbs = (MALLOC(m), REALLOC(r), FREE(f))
        lib = _capi.load_library()
        opts = _capi.OrgOptions()
        lib.smg_org_options_init(ctypes.byref(opts), 1)
        opts.allocator.malloc_fn = ctypes.cast(cbs[0], ctypes.c_void_p)
        opts.allocator.realloc_fn = ctypes.cast(cbs[1], ctypes.c_void_p)
        opts.allocator.free_fn = ctypes.cast(cbs[2], ctypes.c_void_p)
        out = ctypes.c_void_p()
        self.assertEqual(lib.smg_org_new(ctypes.byref(out), ctypes.byref(opts)), 0)
        org = smg.Org._from_pointer(out.value)
        org._load(SAMPLE, None)
        base = len(live)
        self.assertGreater(base, 0)
        calls = [lambda: org.attribution(as_member="m004"), lambda: org.notices(),
                 lambda: org.protections(), lambda: org.registrations(),
                 lambda: org.expiring(D(2026, 4, 1), 5), lambda: org.kpi("2025-Q4", by="all"),
                 lambda: org.kpi_many(["2025-10", "2025-11"]), lambda: org.targets("2025"),
                 lambda: org.target("company", "sales_amount", "2025"),
                 lambda: org.tiers(year=2025, method="pareto"),
                 lambda: org.tiers(as_of=D(2025, 12, 31)), lambda: org.visits(D(2025, 11, 15)),
                 lambda: org.pay("2025-10"), lambda: org.rotation(D(2025, 10, 9)),
                 lambda: org.scorecard("2026-03"), lambda: org.scorecard_items(),
                 lambda: org.teams(), lambda: org.members(), lambda: org.customers(),
                 lambda: org.events(0, 100), lambda: org.policy()]
        for i, call in enumerate(calls):
            call()
            self.assertEqual(len(live), base, "call %d leaves C memory behind" % i)
        for call in (lambda: org.kpi("2025-10", as_member="ghost"),
                     lambda: org.kpi("2025-10", by="team", as_member="m010"),
                     lambda: org.pay("2025-Q4"), lambda: org.scorecard("2025-Q4"),
                     lambda: org.scorecard("2025-10", as_member="ghost")):
            with self.assertRaises(smg.Error):
                call()
        rot = org.live_rotation()
        rot.signin("m004")
        self.assertGreater(len(live), base)
        rot.close()
        org.close()
        self.assertEqual(live, {})
        # the finaliser frees an org nobody closed
        out = ctypes.c_void_p()
        lib.smg_org_new(ctypes.byref(out), ctypes.byref(opts))
        org2 = smg.Org._from_pointer(out.value)
        org2.add_team("t", "T")
        self.assertTrue(live)
        del org2
        gc.collect()
        self.assertEqual(live, {})


# ---- the headers, parsed ----

_SCALARS = {"int": "c_int", "unsigned": "c_uint", "size_t": "c_size_t", "int64_t": "c_int64",
            "double": "c_double", "smg_money": "c_int64", "smg_date": "c_int32",
            "smg_time": "c_int64", "char": "c_char"}
_HANDLES = {"smg_org", "smg_attribution", "smg_kpi_report", "smg_kpi_index", "smg_targets",
            "smg_tiers", "smg_visits", "smg_pay_report", "smg_rotation", "smg_rotation_day",
            "smg_scorecard"}


def _strip(src):
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    return re.sub(r"#\s*define[^\n]*(\\\n[^\n]*)*", "", src)


def c_to_ctypes(t):
    """A C type of the headers -> the ctypes name _capi must use."""
    t = " ".join(t.replace("const ", " ").split()).replace(" *", "*").replace("* ", "*")
    base = t.rstrip("*")
    stars = len(t) - len(base)
    if base == "void" and stars == 0:
        return "None"
    if base == "char" and stars in (1, 2):
        return "c_char_p" if stars == 1 else "LP_c_char_p"
    if base in _HANDLES:
        return "c_void_p" if stars == 1 else "LP_c_void_p"
    structs = {c: cls.__name__ for c, cls in _capi.STRUCTS.items()}
    if base in structs:
        return "LP_" + structs[base]
    name = _SCALARS.get(base) or ("c_int" if base.startswith("smg_") else None)
    if name is None:
        raise ValueError("unknown C type " + t)
    if stars:
        name = "LP_" + name
    return name


def ctype_name(t):
    """The name ctypes gives a type (pointers LP_<type>)."""
    return "None" if t is None else t.__name__


def header_functions(inc):
    out = {}
    for f in sorted(os.listdir(os.path.join(inc, "salesmgmt"))):
        with open(os.path.join(inc, "salesmgmt", f), encoding="utf-8") as fh:
            src = _strip(fh.read())
        for m in re.finditer(r"SMG_API\s+([^;{]*?)\s*;", src, flags=re.S):
            d = " ".join(m.group(1).split())
            mm = re.match(r"(.*?\W)(smg_\w+)\s*\((.*)\)$", d)
            ret, name, args = mm.groups()
            al = []
            if args.strip() != "void":
                for a in args.split(","):
                    am = re.match(r"(.*?)(\w+)(\[\d*\])?$", a.strip())
                    t, _, arr = am.groups()
                    al.append(c_to_ctypes(t + ("*" if arr else "")))
            out[name] = (c_to_ctypes(ret.strip()), al)
    # the names ctypes gives: normalise both sides through the real types
    return {n: (_norm(r), [_norm(a) for a in al]) for n, (r, al) in out.items()}


def _norm(name):
    """A ctypes type name as ctypes itself names the type (c_int32 is c_int,
    c_int64 c_long, c_size_t c_ulong on LP64)."""
    if name == "None":
        return "None"
    lp = 0
    while name.startswith("LP_"):
        name, lp = name[3:], lp + 1
    t = getattr(ctypes, name, None) or getattr(_capi, name)
    for _ in range(lp):
        t = ctypes.POINTER(t)
    return t.__name__


def header_structs(inc):
    out = {}
    for f in sorted(os.listdir(os.path.join(inc, "salesmgmt"))):
        with open(os.path.join(inc, "salesmgmt", f), encoding="utf-8") as fh:
            src = _strip(fh.read())
        for m in re.finditer(r"typedef struct (smg_\w+)\s*\{(.*?)\}\s*\1\s*;", src, flags=re.S):
            names = []
            for decl in m.group(2).split(";"):
                decl = decl.strip()
                if not decl:
                    continue
                fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
                names.append(fp.group(1) if fp else re.findall(r"\w+", decl)[-1])
            out[m.group(1)] = names
    return out


def main():
    global EXE, SAMPLE, GEN, LAYOUT, FAKE, TEST_DATA, INCLUDE, GEN_DIR, SHUFFLED_DIR, TMP
    if len(sys.argv) < 8:
        print(__doc__)
        sys.exit(2)
    EXE, SAMPLE, GEN, LAYOUT, FAKE, TEST_DATA, INCLUDE = sys.argv[1:8]
    TMP = tempfile.mkdtemp(prefix="smg-py-")
    try:
        GEN_DIR = os.path.join(TMP, "gen")
        subprocess.run([GEN, "--out", GEN_DIR, "--members", "30", "--customers", "500",
                        "--events", "20000", "--seed", "3"], check=True,
                       stdout=subprocess.DEVNULL)
        SHUFFLED_DIR = os.path.join(TMP, "shuffled")
        shutil.copytree(SAMPLE, SHUFFLED_DIR)
        with open(os.path.join(SAMPLE, "events.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines(True)
        body = lines[1:]
        # odd rows, then even rows; the cancels last, after what they cancel
        # (a cancel names an event added before it, RULES.md §8)
        cancels = [l for l in body if l.split(",")[1] == "cancel"]
        body = [l for l in body if l.split(",")[1] != "cancel"]
        body = body[1::2] + body[0::2] + cancels
        with open(os.path.join(SHUFFLED_DIR, "events.csv"), "w", encoding="utf-8") as f:
            f.writelines(lines[:1] + body)
        prog = unittest.main(argv=[sys.argv[0]] + sys.argv[8:], exit=False, verbosity=2)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
