#!/usr/bin/env python3
"""`salesmgmt attribute` and the changes after the fact of RULES.md §8 and
R9: leaving, handovers, links and the public pool (max_hold_days,
max_protected, reclaim_days); python3 standard library only.

usage: test_attribute_changes.py SALESMGMT SAMPLE_DIR

A small dataset written here holds one case of every release reason and
every rejection reason; the JSON keys DATASET.md gives them are checked
(`releases[].reason`, `rejected[]`), and the bundled sample still gives
every release a reason word (`voided`, not the event type's name; its
leaver's protections end with `left`)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = SAMPLE = None

MEMBERS = """member_id,name,team_id,role,start_date,end_date
l1,组长,t1,leader,2020-01-01,
a,张伟,t1,rep,2020-01-01,
b,李娜,t1,rep,2020-01-01,2026-10-05
c,王芳,t1,rep,2020-01-01,
"""
TEAMS = "team_id,name,parent_id,leader_id\nt1,一组,,l1\n"
CUSTOMERS = "customer_id,name,phone,group_key\n" + "".join(
    "c%d,客户%d,,\n" % (i, i) for i in range(1, 9))
POOL = ("attribution.max_hold_days = 10\nattribution.max_protected = 2\n"
        "attribution.reclaim_days = 3\n")

# (at, type, member, customer, ref); results name EVENTS[i] as ev(i)
EVENTS = [
    ("2026-10-01T09:00", "register", "a", "c1", ""),        # 0
    ("2026-10-01T10:00", "register", "b", "c2", ""),        # 1: b leaves 10-05
    ("2026-10-01T11:00", "register", "c", "c3", ""),        # 2
    ("2026-10-01T12:00", "register", "c", "c4", ""),        # 3: c holds two
    ("2026-10-01T13:00", "register", "c", "c5", ""),        # 4: limit
    ("2026-10-01T14:00", "register", "l1", "c7", ""),       # 5: hold ends 10-11
    ("2026-10-02T09:00", "register", "a", "c6", ""),        # 6
    ("2026-10-02T10:00", "register", "b", "c1", ""),        # 7: collision (a's)
    ("2026-10-02T11:00", "link", "", "c6", "c3"),           # 8: c3 survives: a loses c6
    ("2026-10-03T09:00", "handover", "c", "", ""),          # 9: c3, c4 released
    ("2026-10-03T10:00", "register", "c", "c3", ""),        # 10: reclaim_wait
    ("2026-10-04T09:00", "void_register", "a", "", ""),     # 11: c1 voided
    ("2026-10-05T09:00", "register", "a", "c5", ""),        # 12: expires 10-12
    ("2026-10-05T10:00", "followup", "l1", "c7", ""),       # 13
    ("2026-10-06T09:00", "register", "c", "c2", ""),        # 14: b left: free
    ("2026-10-06T10:00", "register", "c", "c3", ""),        # 15: first allowed day
    ("2026-10-09T10:00", "followup", "l1", "c7", ""),       # 16: still ends 10-11
    ("2026-10-09T11:00", "handover", "c", "", "a"),         # 17: c2, c3 to a
    ("2026-10-20T09:00", "signin", "l1", "", ""),           # 18
]


def ev(i):
    """How results name the event at index i of EVENTS (DATASET.md): the
    line of events.csv it is on (the header is line 1)."""
    return "events.csv:%d" % (i + 2)


def run(*args):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def write_dataset(d, events, policy=None):
    files = {"teams.csv": TEAMS, "members.csv": MEMBERS, "customers.csv": CUSTOMERS,
             "events.csv": "at,type,member,customer,ref\n" + "".join(
                 ",".join(e) + "\n" for e in events)}
    if policy is not None:
        files["policy.conf"] = policy
    for name, text in files.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="smg-i11-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def attribute(self, *extra):
        rc, out, err = run("attribute", self.dir, "--format", "json", *extra)
        self.assertEqual(rc, 0, err)
        return json.loads(out)


class TestReasons(Base):
    def test_every_reason(self):
        write_dataset(self.dir, EVENTS, POOL)
        doc = self.attribute()
        self.assertIn("rejected", doc)
        for r in doc["releases"]:
            self.assertEqual(set(r), {"day", "member", "reason", "key", "event"}, r)
        got = sorted((r["day"], r["member"], r["key"], r["reason"], r["event"])
                     for r in doc["releases"])
        self.assertEqual(got, sorted([
            ("2026-10-02", "a", "c6", "link", ev(8)),
            ("2026-10-03", "c", "c3", "handover", ev(9)),
            ("2026-10-03", "c", "c4", "handover", ev(9)),
            ("2026-10-04", "a", "c1", "voided", ev(11)),
            ("2026-10-06", "b", "c2", "left", None),
            ("2026-10-12", "l1", "c7", "hold_limit", None),
            ("2026-10-13", "a", "c5", "expired", None),
            ("2026-10-17", "a", "c2", "expired", None),
            ("2026-10-17", "a", "c3", "expired", None),
        ]))
        for r in doc["rejected"]:
            self.assertTrue({"member", "customer", "day", "reason"} <= set(r), r)
        self.assertEqual([(r["day"], r["member"], r["customer"], r["reason"], r["event"])
                          for r in doc["rejected"]], [
            ("2026-10-01", "c", "c5", "limit", ev(4)),
            ("2026-10-02", "b", "c1", "collision", ev(7)),
            ("2026-10-03", "c", "c3", "reclaim_wait", ev(10)),
        ])
        # the link's collision: a lost c6's protection to c's (the survivor's)
        self.assertIn({"day": "2026-10-02", "member": "a", "protector": "c", "key": "c3",
                       "event": ev(8)}, doc["collisions"])
        self.assertIn({"day": "2026-10-02", "member": "b", "protector": "a", "key": "c1",
                       "event": ev(7)}, doc["collisions"])
        self.assertEqual(len(doc["collisions"]), 2)

    def test_policies_off(self):
        """Without policy.conf: no hold limit, no cap, no cooldown; leaving,
        handovers and links work the same."""
        write_dataset(self.dir, EVENTS)
        doc = self.attribute()
        reasons = {r["reason"] for r in doc["releases"]}
        self.assertEqual(reasons, {"link", "handover", "voided", "left", "expired"})
        # c5 and c3 are c's now: a's and c's own later registrations collide
        # or are contacts
        self.assertEqual({r["reason"] for r in doc["rejected"]}, {"collision"})
        # the same data with the pool given by --policy
        pol = os.path.join(self.dir, "pool.conf")
        with open(pol, "w") as f:
            f.write(POOL)
        doc = self.attribute("--policy", pol)
        self.assertEqual(sorted(r["reason"] for r in doc["rejected"]),
                         ["collision", "limit", "reclaim_wait"])

    def test_deal_keys(self):
        """A deal keeps the key it had; after the link, the merged one."""
        events = EVENTS[:8] + [
            ("2026-10-02T10:30", "deal", "a", "c6", "D1"),
            EVENTS[8],
            ("2026-10-02T12:00", "deal", "a", "c6", "D2"),
        ]
        rows = "at,type,member,customer,ref,amount\n" + "".join(
            ",".join(e) + (",100.00\n" if e[1] == "deal" else ",\n") for e in events)
        write_dataset(self.dir, [])
        with open(os.path.join(self.dir, "events.csv"), "w", encoding="utf-8") as f:
            f.write(rows)
        deals = {d["ref"]: d for d in self.attribute()["deals"]}
        self.assertEqual((deals["D1"]["key"], deals["D1"]["reason"]), ("c6", "owner"))
        self.assertEqual((deals["D2"]["key"], deals["D2"]["reason"], deals["D2"]["protector"]),
                         ("c3", "protected_unclaimed", "c"))

    def test_table(self):
        write_dataset(self.dir, EVENTS, POOL)
        rc, out, err = run("attribute", self.dir, "--format", "table")
        self.assertEqual(rc, 0, err)
        self.assertIn("Rejected registrations", out)
        self.assertIn("reclaim_wait", out)
        self.assertIn("hold_limit", out)
        self.assertNotIn("void_register", out)
        rc, out, err = run("check", self.dir)
        self.assertEqual(rc, 0, err)


class TestErrors(Base):
    def test_bad_events(self):
        write_dataset(self.dir, EVENTS + [
            ("2026-10-21T09:00", "handover", "a", "", "zz"),
            ("2026-10-21T10:00", "link", "", "c1", "c99"),
            ("2026-10-21T11:00", "link", "", "c1", ""),
            ("2026-10-21T12:00", "handover", "a", "", "b"),  # b has left
        ])
        rc, out, err = run("check", self.dir)
        self.assertEqual(rc, 2, out + err)
        n = len(EVENTS) + 2  # the header is line 1
        self.assertIn('events.csv:%d: column ref: member "zz" does not exist' % n, err)
        self.assertIn('events.csv:%d: column ref: customer "c99" does not exist' % (n + 1), err)
        self.assertIn("events.csv:%d: column ref: a customer id is required" % (n + 2), err)
        self.assertIn('events.csv:%d: column ref: 2026-10-21 is outside member "b"' % (n + 3),
                      err)

    def test_policy_ranges(self):
        for name, bad, rng in (("attribution.max_hold_days", "3651", "0-3650"),
                               ("attribution.max_protected", "-1", "0-1000000"),
                               ("attribution.reclaim_days", "x", "0-3650")):
            write_dataset(self.dir, EVENTS, "%s = %s\n" % (name, bad))
            rc, out, err = run("attribute", self.dir, "--format", "json")
            self.assertEqual(rc, 2, err)
            self.assertIn(name, err)
            self.assertIn(rng, err)


class TestSample(unittest.TestCase):
    def test_sample_reasons(self):
        rc, out, err = run("attribute", SAMPLE, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        words = {"expired", "voided", "left", "handover", "link", "hold_limit"}
        self.assertTrue(all(r["reason"] in words for r in doc["releases"]))
        self.assertIn("voided", {r["reason"] for r in doc["releases"]})
        # m012 leaves on 2026-03-16 (members.csv) and at 17:00 that day hands
        # every protection over to m006 (handover-01, RULES.md §8): nothing
        # is left to release with `left`, nor is anything released by the
        # handover; m006 protects from it (it is their registration and
        # contact in the deals' rows)
        self.assertFalse([r for r in doc["releases"] if r["reason"] in ("left", "handover")])
        handed = [d for d in doc["deals"] if d["ev_registration"] == "handover-01"]
        self.assertTrue(handed)
        self.assertTrue(all(d["protector"] == "m006" and d["day"] >= "2026-03-16"
                            for d in handed))
        # every collision of a registration is a rejected registration too
        self.assertEqual(len(doc["rejected"]), len(doc["collisions"]))
        self.assertTrue(all(r["reason"] == "collision" for r in doc["rejected"]))


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
