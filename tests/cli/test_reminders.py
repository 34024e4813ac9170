#!/usr/bin/env python3
"""`salesmgmt reminders` (suite 'cli'): the morning list of each member, on a
small hand-made dataset written here (each kind at its day boundaries) and
on the bundled sample; python3 standard library only.

usage: test_reminders.py SALESMGMT SAMPLE_DIR

The hand-made day is D = 2026-03-16 (policy defaults: protect_days 7,
claim_days 3, first_followup_days 3; VIP visited monthly, tier1 every two
months). Protections are listed as the morning of D finds them (events
before D); follow-ups, claims and visits as of the end of D.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = SAMPLE = None
D = "2026-03-16"

MEMBERS = [  # member_id, name, team_id, role
    ("m1", "宋经理", "hq", "manager"),
    ("m2", "张伟", "hq", "rep"),
    ("m3", "李娜", "hq", "rep"),
    ("m4", "王强", "hq", "rep"),
    ("m5", "赵组长", "t2", "leader"),
    ("m6", "孙丽", "t2", "rep"),
]
TEAMS = [("hq", "总部", "", "m1"), ("t2", "二组", "hq", "m5")]

EVENTS = [  # at, type, member, customer, ref, amount
    # protections of m2: through the contact day + 7
    ("2026-03-09T10:00", "register", "m2", "c1", "", ""),  # through 03-16: lapses tonight
    ("2026-03-09T11:00", "followup", "m2", "c1", "", ""),
    ("2026-03-11T10:00", "register", "m2", "c2", "", ""),  # through 03-18
    ("2026-03-11T11:00", "followup", "m2", "c2", "", ""),
    ("2026-03-12T10:00", "register", "m2", "c3", "", ""),  # through 03-19: not within 3 days
    ("2026-03-12T11:00", "followup", "m2", "c3", "", ""),
    ("2026-03-08T10:00", "register", "m2", "c4", "", ""),  # through 03-15: lapsed before D
    ("2026-03-08T11:00", "followup", "m2", "c4", "", ""),
    # m3: c5 lapses tonight, renewed on D (the morning list still shows it)
    ("2026-03-09T10:00", "register", "m3", "c5", "", ""),
    ("2026-03-09T11:00", "followup", "m3", "c5", "", ""),
    ("2026-03-16T09:00", "followup", "m3", "c5", "", ""),
    # first follow-ups of m3: deadline = registration day + 3
    ("2026-03-13T10:00", "register", "m3", "c6", "", ""),  # due D: listed
    ("2026-03-12T10:00", "register", "m3", "c7", "", ""),  # due D-1: late, not listed
    ("2026-03-16T08:00", "register", "m3", "c8", "", ""),  # registered on D: due D+3
    ("2026-03-14T10:00", "register", "m3", "c9", "", ""),  # followed up on D: done
    ("2026-03-16T11:00", "followup", "m3", "c9", "", ""),
    ("2026-03-17T10:00", "register", "m3", "c10", "", ""),  # after D
    # claims: m3 closes deals of customers others protect
    ("2026-03-13T15:00", "deal", "m3", "c2", "D1", "1000.00"),  # window ends D: open
    ("2026-03-12T15:00", "deal", "m3", "c1", "D2", "1000.00"),  # window ended D-1
    ("2026-03-16T15:00", "deal", "m3", "c3", "D3", "1000.00"),  # closed on D: to D+3
    ("2026-03-14T15:00", "deal", "m3", "c4", "D4", "1000.00"),  # claimed on D: done
    ("2026-03-16T12:00", "claim", "m2", "", "D4", ""),
    ("2026-03-10T10:00", "register", "m4", "c11", "", ""),
    ("2026-03-10T11:00", "followup", "m4", "c11", "", ""),
    ("2026-03-14T15:00", "deal", "m3", "c11", "D5", "1000.00"),  # m4 voided after: no claim
    ("2026-03-15T09:00", "void_register", "m4", "", "", ""),
    ("2026-03-10T10:00", "register", "m6", "c12", "", ""),  # through 03-17
    ("2026-03-10T11:00", "followup", "m6", "c12", "", ""),
    ("2026-03-15T15:00", "deal", "m3", "c12", "D6", "1000.00"),  # m6 may claim to 03-18
    # visits: tiers by the sales of the 12 months to D
    ("2025-06-01T10:00", "deal", "m2", "v1", "V1", "1500000.00"),  # vip
    ("2025-06-02T10:00", "deal", "m2", "v2", "V2", "300000.00"),  # tier1
    ("2025-06-03T10:00", "deal", "m2", "v3", "V3", "300000.00"),
    ("2025-06-04T10:00", "deal", "m2", "v4", "V4", "300000.00"),
    ("2025-06-05T10:00", "deal", "m2", "v5", "V5", "300000.00"),
    ("2025-06-06T10:00", "deal", "m2", "v6", "V6", "300000.00"),
    ("2025-06-07T10:00", "deal", "m3", "v7", "V7", "1200000.00"),  # vip
    ("2026-01-10T10:00", "visit", "m2", "v1", "", ""),  # due 02-10: overdue
    ("2026-01-16T10:00", "visit", "m2", "v2", "", ""),  # due 03-16: due on D
    ("2026-01-17T10:00", "visit", "m2", "v3", "", ""),  # due 03-17: not yet
]
CUSTOMERS = ["c%d" % i for i in range(1, 13)] + ["v%d" % i for i in range(1, 8)]


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def jrun(*args):
    rc, out, err = run(*args, "--format", "json")
    if rc:
        raise AssertionError(f"{args}: exit {rc}: {err}")
    return json.loads(out)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def make_dataset(d):
    write_csv(os.path.join(d, "teams.csv"), ["team_id", "name", "parent_id", "leader_id"], TEAMS)
    write_csv(os.path.join(d, "members.csv"), ["member_id", "name", "team_id", "role"], MEMBERS)
    write_csv(os.path.join(d, "customers.csv"), ["customer_id", "name"],
              [(c, "客户" + c.upper()) for c in CUSTOMERS])
    write_csv(os.path.join(d, "events.csv"),
              ["at", "type", "member", "customer", "ref", "amount"], EVENTS)


class Small(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="smg-reminders-")
        cls.data = os.path.join(cls.tmp, "data")
        os.mkdir(cls.data)
        make_dataset(cls.data)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def lists(self, day=D, *args):
        """{member: {kind: [(customer or deal, due, days_left)]}} and the
        never-visited groups {member: (count, tiers)}."""
        doc = jrun("reminders", self.data, "--day", day, *args)
        self.assertEqual(doc["day"], day)
        got, never = {}, {}
        for g in doc["members"]:
            k = {}
            for x in g["protections"]:
                k.setdefault("protections", []).append((x["customer"], x["through"],
                                                        x["days_left"]))
            for x in g["followups"]:
                k.setdefault("followups", []).append((x["customer"], x["deadline"],
                                                      x["days_left"]))
            for x in g["claims"]:
                k.setdefault("claims", []).append((x["deal"], x["last_day"], x["days_left"]))
            for x in g["visits"]:
                k.setdefault("visits", []).append((x["customer"], x["due"], x["days_left"]))
            got[g["member"]] = k
            if g["never_visited"]:
                never[g["member"]] = (g["never_visited"]["count"], g["never_visited"]["tiers"])
        return got, never

    def test_day(self):
        got, never = self.lists()
        self.assertEqual(got, {
            "m2": {"protections": [("c1", "2026-03-16", 0), ("c2", "2026-03-18", 2)],
                   "claims": [("D1", "2026-03-16", 0), ("D3", "2026-03-19", 3)],
                   "visits": [("v1", "2026-02-10", -34), ("v2", "2026-03-16", 0)]},
            "m3": {"protections": [("c5", "2026-03-16", 0)],
                   "followups": [("c6", "2026-03-16", 0), ("c8", "2026-03-19", 3)]},
            "m6": {"protections": [("c12", "2026-03-17", 1)],
                   "claims": [("D6", "2026-03-18", 2)]},
        })
        # never visited: one line per member with a count, not a line each
        self.assertEqual(never, {"m2": (3, {"tier1": 3}), "m3": (1, {"vip": 1})})

    def test_next_day(self):
        got, never = self.lists("2026-03-17")
        self.assertEqual(got, {
            "m2": {"protections": [("c2", "2026-03-18", 1), ("c3", "2026-03-19", 2)],
                   "claims": [("D3", "2026-03-19", 2)],
                   "visits": [("v1", "2026-02-10", -35), ("v2", "2026-03-16", -1),
                              ("v3", "2026-03-17", 0)]},
            "m3": {"protections": [("c7", "2026-03-19", 2)],
                   "followups": [("c8", "2026-03-19", 2), ("c10", "2026-03-20", 3)]},
            "m6": {"protections": [("c12", "2026-03-17", 0)],
                   "claims": [("D6", "2026-03-18", 1)]},
        })

    def test_within(self):
        got, _ = self.lists(D, "--within", "1")
        self.assertEqual({m: k.get("protections") for m, k in got.items()},
                         {"m2": [("c1", "2026-03-16", 0)], "m3": [("c5", "2026-03-16", 0)],
                          "m6": None})
        got, _ = self.lists(D, "--within", "4")
        self.assertEqual(got["m2"]["protections"],
                         [("c1", "2026-03-16", 0), ("c2", "2026-03-18", 2),
                          ("c3", "2026-03-19", 3)])
        self.assertEqual(got["m3"]["protections"],
                         [("c5", "2026-03-16", 0), ("c7", "2026-03-19", 3)])

    def test_as(self):
        full = self.lists()
        self.assertEqual(self.lists(D, "--as", "m1"), full)  # the manager sees everything
        got, never = self.lists(D, "--as", "m2")  # a rep: their own list
        self.assertEqual(got, {"m2": full[0]["m2"]})
        self.assertEqual(never, {"m2": full[1]["m2"]})
        got, never = self.lists(D, "--as", "m5")  # a leader: their team's
        self.assertEqual(got, {"m6": full[0]["m6"]})
        self.assertEqual(never, {})
        got, never = self.lists(D, "--as", "m3")
        self.assertEqual(got, {"m3": full[0]["m3"]})
        self.assertEqual(never, {"m3": full[1]["m3"]})

    def test_details(self):
        doc = jrun("reminders", self.data, "--day", D)
        m2 = next(g for g in doc["members"] if g["member"] == "m2")
        self.assertEqual(m2["name"], "张伟")
        d1 = m2["claims"][0]
        self.assertEqual((d1["customer"], d1["closer"], d1["closer_name"], d1["day"],
                          d1["amount"]), ("c2", "m3", "李娜", "2026-03-13", "1000.00"))
        v1 = m2["visits"][0]
        self.assertEqual((v1["name"], v1["tier"], v1["last_visit"], v1["overdue"]),
                         ("客户V1", "vip", "2026-01-10", True))
        self.assertFalse(m2["visits"][1]["overdue"])
        p = m2["protections"][0]
        self.assertEqual((p["name"], p["key"], p["last_contact"]), ("客户C1", "c1", "2026-03-09"))
        self.assertEqual(m2["never_visited"]["customers"], ["v4", "v5", "v6"])

    def test_text(self):
        rc, out, err = run("reminders", self.data, "--day", D)
        self.assertEqual(rc, 0, err)
        self.assertIn("m2 张伟\n", out)
        self.assertIn("3 customers never visited (tier1 3): 客户V4, 客户V5, 客户V6", out)
        self.assertIn("1 customer never visited (vip 1): 客户V7", out)
        self.assertIn("deal D1 closed by m3 李娜 on 2026-03-13, 1000.00", out)
        self.assertEqual(out.count("never visited ("), 2)
        rc, out, err = run("reminders", self.data, "--day", D, "--lang", "zh")
        self.assertIn("3 个客户从未拜访（一级 3）", out)
        rc, out, err = run("reminders", self.data, "--day", "2027-01-01", "--as", "m4")
        self.assertEqual(rc, 0, err)
        self.assertIn("Nothing to do today.", out)

    def test_csv(self):
        rc, out, err = run("reminders", self.data, "--day", D, "--format", "csv")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(out)))
        kinds = [(r["member"], r["kind"]) for r in rows]
        self.assertEqual(kinds, [("m2", "protection"), ("m2", "protection"), ("m2", "claim"),
                                 ("m2", "claim"), ("m2", "visit"), ("m2", "visit"),
                                 ("m2", "never_visited"), ("m3", "protection"),
                                 ("m3", "followup"), ("m3", "followup"),
                                 ("m3", "never_visited"), ("m6", "protection"),
                                 ("m6", "claim")])
        never = rows[6]
        self.assertEqual((never["count"], never["customer"]), ("3", ""))
        claim = rows[2]
        self.assertEqual((claim["deal"], claim["closer"], claim["amount"], claim["since"],
                          claim["due"], claim["days_left"]),
                         ("D1", "m3", "1000.00", "2026-03-13", "2026-03-16", "0"))

    def test_usage(self):
        for args in ([], ["--day", "2026-13-01"], ["--day", D, "--within", "0"],
                     ["--day", D, "--within", "x"], ["--day", D, "--as", "nobody"],
                     ["--day", D, "--format", "pdf"]):
            rc, out, err = run("reminders", self.data, *args)
            self.assertEqual(rc, 1, (args, err))
            self.assertEqual(out, "")
            self.assertIn("usage", err)


class Sample(unittest.TestCase):
    """On the bundled sample: the visits agree with `visits`, nothing is
    repeated, and --as keeps a member's own list."""

    def test_visits_agree(self):
        day = "2026-03-16"
        doc = jrun("reminders", SAMPLE, "--day", day)
        vis = jrun("visits", SAMPLE, "--as-of", day)["customers"]
        due = [v for v in vis if v["due"] <= day]
        want = {}
        for v in due:
            g = want.setdefault(v["member"], {"visits": [], "never": 0})
            if v["last_visit"] is None:
                g["never"] += 1
            else:
                g["visits"].append((v["customer"], v["due"]))
        got = {}
        for g in doc["members"]:
            if g["visits"] or g["never_visited"]:
                got[g["member"]] = {"visits": [(x["customer"], x["due"]) for x in g["visits"]],
                                    "never": (g["never_visited"] or {}).get("count", 0)}
                dues = [x["due"] for x in g["visits"]]
                self.assertEqual(dues, sorted(dues))  # most overdue first
        for g in want.values():
            g["visits"].sort(key=lambda x: x[1])
        self.assertEqual({m: (sorted(g["visits"]), g["never"]) for m, g in got.items()},
                         {m: (sorted(g["visits"]), g["never"]) for m, g in want.items()})

    def test_no_wall(self):
        rc, out, err = run("reminders", SAMPLE, "--day", "2026-03-16")
        self.assertEqual(rc, 0, err)
        lines = [l for l in out.splitlines() if "never visited" in l]
        members = [l for l in out.splitlines() if l.startswith("m0")]
        self.assertLessEqual(len(lines), len(members))
        body = [l for l in out.splitlines() if l.strip() and not set(l) <= set("=- ")
                and not l.startswith("what ")]  # each member's table has its header
        self.assertEqual(len(body), len(set(body)))  # no two identical lines

    def test_rep(self):
        doc = jrun("reminders", SAMPLE, "--day", "2026-03-16", "--as", "m009")
        self.assertEqual({g["member"] for g in doc["members"]} - {None}, {"m009"})
        full = jrun("reminders", SAMPLE, "--day", "2026-03-16")
        mine = next(g for g in full["members"] if g["member"] == "m009")
        self.assertEqual(next(g for g in doc["members"] if g["member"] == "m009"), mine)


if __name__ == "__main__":
    EXE, SAMPLE = sys.argv[1:3]
    del sys.argv[1:3]
    unittest.main(verbosity=1)
