#!/usr/bin/env python3
"""Changes after the fact (RULES.md §8) at the command line: `check` lists
the cancels, rejects bad cancels and refunds with messages that name the
events, `attribute` never shows a cancelled deal, and `salesmgmt-gen
--changes` writes datasets that pass `check` and hold every new type;
python3 standard library only.

usage: test_changes.py SALESMGMT GEN

Every expectation is written here from the CSV text below (lines of
events.csv count from 1, the header; so EVENTS[i] is on line i + 2)."""
import csv
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = GEN = None

MEMBERS = """member_id,name,team_id,role,start_date,end_date
l1,组长,t1,leader,2020-01-01,
a,张伟,t1,rep,2020-01-01,
b,李娜,t1,rep,2020-01-01,
c,王芳,t2,rep,2020-01-01,
"""
TEAMS = "team_id,name,parent_id,leader_id\nt1,一组,,l1\nt2,二组,,\n"
CUSTOMERS = "customer_id,name,phone,group_key\n" + "".join(
    "c%d,客户%d,,\n" % (i, i) for i in range(1, 5))
HEADER = "at,type,id,member,customer,ref,amount,cost\n"

# (at, type, id, member, customer, ref, amount, cost)
EVENTS = [
    ("2026-10-01T09:00", "register", "R1", "a", "c1", "", "", ""),     # line 2
    ("2026-10-02T10:00", "deal", "E-D1", "b", "c1", "D1", "1000", ""),  # line 3
    ("2026-10-03T10:00", "claim", "CL1", "a", "", "D1", "", ""),       # line 4
    ("2026-10-04", "deal", "E-D2", "a", "c2", "D2", "2000", "500"),     # line 5: cancelled
    ("2026-10-05", "refund", "RF1", "", "", "D1", "300", ""),          # line 6
    ("2026-10-06", "transfer", "TR1", "b", "", "t2", "", ""),          # line 7
    ("2026-10-07", "cancel", "X1", "", "", "E-D2", "", ""),            # line 8
    ("2026-10-08", "cancel", "", "", "", "CL1", "", ""),               # line 9: no id
    ("2026-10-08T12:00", "handover", "", "a", "", "l1", "", ""),       # line 10
    ("2026-10-09", "link", "", "", "c3", "c4", "", ""),                # line 11
    ("2026-10-10", "deal", "", "c", "c3", "D3", "500", ""),            # line 12
]

# what `check` lists: the cancels in processing order (X1 on 10-07, then
# the one of line 9 on 10-08), each with the event it voids
CANCELS = [
    {"event": "X1", "cancels": "E-D2", "type": "deal", "line": 5,
     "at": "2026-10-04T00:00:00", "cancelled_at": "2026-10-07T00:00:00"},
    {"event": "events.csv:9", "cancels": "CL1", "type": "claim", "line": 4,
     "at": "2026-10-03T10:00:00", "cancelled_at": "2026-10-08T00:00:00"},
]

NEW_TYPES = ["cancel", "refund", "transfer", "handover", "link"]


def run(*args, exe=None):
    p = subprocess.run([exe or EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg-changes-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def dataset(self, events, name="d"):
        d = os.path.join(self.tmp, name)
        os.mkdir(d)
        files = {"teams.csv": TEAMS, "members.csv": MEMBERS, "customers.csv": CUSTOMERS,
                 "events.csv": HEADER + "".join(",".join(e) + "\n" for e in events)}
        for n, text in files.items():
            with open(os.path.join(d, n), "w", encoding="utf-8") as f:
                f.write(text)
        return d


class TestCheckListsCancels(Base):
    def test_table(self):
        rc, out, err = run("check", self.dataset(EVENTS))
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("ok: 2 teams, 4 members, 4 customers (4 keys), "
                                       "11 events, 3 deals\n"), out)
        head = "cancels (作废: results are computed as if these events had never been logged)"
        self.assertIn("\n\n" + head + "\n", out)
        block = out.split(head + "\n")[1].splitlines()
        self.assertEqual(block[0].split(), ["event", "cancels", "type", "line", "at",
                                            "cancelled_at"])
        self.assertEqual([l.split() for l in block[2:]],
                         [[c["event"], c["cancels"], c["type"], str(c["line"]), c["at"],
                           c["cancelled_at"]] for c in CANCELS])

    def test_json(self):
        rc, out, err = run("check", self.dataset(EVENTS), "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertIs(doc["ok"], True)
        self.assertEqual(doc["counts"]["events"], 11)
        self.assertEqual(doc["cancels"], CANCELS)

    def test_csv(self):
        rc, out, err = run("check", self.dataset(EVENTS), "--format", "csv")
        self.assertEqual(rc, 0, err)
        # two tables, as "# title" sections a blank line apart
        summary, listing = out.split("\n\n")
        lines = summary.splitlines()
        self.assertEqual(lines[0], "# Check")
        rows = list(csv.DictReader(lines[1:]))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["events"], "11")
        lines = listing.splitlines()
        self.assertEqual(lines[0], "# Cancels (作废)")
        got = list(csv.DictReader(lines[1:]))
        self.assertEqual(got, [{k: str(v) for k, v in c.items()} for c in CANCELS])

    def test_none_without_cancels(self):
        """No cancel: the output is what it was (no list, no CSV section)
        and JSON has an empty list."""
        events = [e for e in EVENTS if e[1] != "cancel"]
        events = [e for e in events if e[2] != "CL1" and e[2] != "E-D2"]
        d = self.dataset(events)
        rc, out, err = run("check", d)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("cancels", out)
        rc, out, err = run("check", d, "--format", "csv")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), 2)
        rc, out, err = run("check", d, "--format", "json")
        self.assertEqual(json.loads(out)["cancels"], [])


class TestCheckErrors(Base):
    def bad(self, events, *patterns):
        rc, out, err = run("check", self.dataset(events))
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        for p in patterns:
            self.assertRegex(err, p)
        return err

    D1 = ("2026-10-02T10:00", "deal", "E-D1", "b", "c1", "D1", "1000", "")

    def test_cancel_of_unknown_id(self):
        self.bad([self.D1, ("2026-10-07", "cancel", "X1", "", "", "NOPE", "", "")],
                 r"events\.csv:3\b[^\n]*column ref[^\n]*\"NOPE\"")

    def test_cancel_of_a_cancel(self):
        # line 4 cancels X1 (line 3), itself a cancel: both named
        self.bad([self.D1, ("2026-10-07", "cancel", "X1", "", "", "E-D1", "", ""),
                  ("2026-10-08", "cancel", "X2", "", "", "X1", "", "")],
                 r"events\.csv:4\b[^\n]*\"X1\" \(events\.csv:3\)[^\n]*cancel")

    def test_deal_cancelled_with_its_claim_standing(self):
        # the claim (line 3) still names the cancelled deal (line 2): the
        # error is at the claim and names the deal's line
        self.bad([self.D1, ("2026-10-03T10:00", "claim", "CL1", "a", "", "D1", "", ""),
                  ("2026-10-07", "cancel", "X1", "", "", "E-D1", "", "")],
                 r"events\.csv:3\b[^\n]*\"D1\" \(events\.csv:2\)[^\n]*cancelled")

    def test_claim_cancelled_too_is_fine(self):
        d = self.dataset([self.D1, ("2026-10-03T10:00", "claim", "CL1", "a", "", "D1", "", ""),
                          ("2026-10-07", "cancel", "X1", "", "", "E-D1", "", ""),
                          ("2026-10-07", "cancel", "X2", "", "", "CL1", "", "")])
        rc, out, err = run("check", d)
        self.assertEqual(rc, 0, err)

    def test_refund_amount_zero_or_negative(self):
        self.bad([self.D1, ("2026-10-03", "refund", "", "", "", "D1", "0", ""),
                  ("2026-10-03", "refund", "", "", "", "D1", "-5", "")],
                 r"events\.csv:3\b[^\n]*column amount", r"events\.csv:4\b[^\n]*column amount")

    def test_refunds_past_the_deal(self):
        # 600 + 400.01 > 1000: the second refund is the error, and says what
        # was left (400.00)
        self.bad([self.D1, ("2026-10-03", "refund", "F1", "", "", "D1", "600", ""),
                  ("2026-10-04", "refund", "F2", "", "", "D1", "400.01", "")],
                 r"events\.csv:4\b[^\n]*column amount[^\n]*400\.00[^\n]*\"D1\"")

    def test_refund_before_its_deal(self):
        self.bad([self.D1, ("2026-10-01", "refund", "F1", "", "", "D1", "100", "")],
                 r"events\.csv:3\b[^\n]*\"D1\"")

    def test_negative_deal_points_to_refund(self):
        self.bad([("2026-10-02T10:00", "deal", "E-D1", "b", "c1", "D1", "-1000", "")],
                 r"events\.csv:2\b[^\n]*column amount[^\n]*refund")

    def test_cancelled_payment_reopens_its_receivable(self):
        # R1 of 1000.00: P1 pays 600.00 and is cancelled, so 1000.00 is open
        # again and P2 may pay it all; without the cancel, P2 is 600.00 too
        # much (the error is at P2, line 5)
        base = [self.D1, ("2026-10-02T11:00", "receivable", "RV", "b", "c1", "R1", "1000", ""),
                ("2026-10-03", "payment", "P1", "b", "c1", "R1", "600", ""),
                ("2026-10-04", "cancel", "X1", "", "", "P1", "", ""),
                ("2026-10-05", "payment", "P2", "b", "c1", "R1", "1000", "")]
        rc, out, err = run("check", self.dataset(base, "paid"))
        self.assertEqual((rc, err), (0, ""))  # and no sanitizer report on stderr
        self.bad([e for e in base if e[1] != "cancel"], r"events\.csv:5\b[^\n]*column amount")

    def test_json_errors(self):
        d = self.dataset([self.D1, ("2026-10-07", "cancel", "X1", "", "", "NOPE", "", "")])
        rc, out, err = run("check", d, "--format", "json")
        self.assertEqual(rc, 2, err)
        doc = json.loads(out)
        self.assertIs(doc["ok"], False)
        self.assertEqual([(e["file"], e["line"], e["column"]) for e in doc["errors"]],
                         [("events.csv", 3, "ref")])


class TestAttributeSkipsCancelled(Base):
    def test_cancelled_deal_never_shown(self):
        d = self.dataset(EVENTS)
        rc, out, err = run("attribute", d, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        # D2 is cancelled (line 8); D1 and D3 stand
        self.assertEqual([x["ref"] for x in doc["deals"]], ["D1", "D3"])
        # quoted by id where there is one, else by line
        self.assertEqual(doc["deals"][0]["ev_deal"], "E-D1")
        self.assertEqual(doc["deals"][0]["ev_registration"], "R1")
        self.assertEqual(doc["deals"][1]["ev_deal"], "events.csv:12")
        # the claim CL1 is cancelled too: D1 is not "claimed"
        self.assertIsNone(doc["deals"][0]["ev_claim"])
        self.assertNotEqual(doc["deals"][0]["reason"], "claimed")
        text = json.dumps(doc)
        for gone in ("D2", "E-D2", "CL1", "events.csv:5", "events.csv:4"):
            self.assertNotIn('"%s"' % gone, text)
        rc, out, err = run("attribute", d)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("D2", out)
        # the same log without the cancels shows D2, and the claim
        rc, out, err = run("attribute", self.dataset(
            [e for e in EVENTS if e[1] != "cancel"], "uncancelled"), "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual([x["ref"] for x in doc["deals"]], ["D1", "D2", "D3"])
        self.assertEqual(doc["deals"][0]["ev_claim"], "CL1")


class TestDemo(Base):
    def test_changes_section(self):
        """demo shows each kind of change after the fact: how many, and the
        first in processing order, named by id or line; a cancel with the
        type of what it voids."""
        d = self.dataset(EVENTS)
        rc, out, err = run("demo", d, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(
            [(r["type"], r["events"], r["first"], r["day"], r["member"], r["customer"],
              r["ref"], r["amount"], r["note"]) for r in doc["changes"]],
            [("cancel", 2, "X1", "2026-10-07", None, None, "E-D2", None, "voids a deal"),
             ("refund", 1, "RF1", "2026-10-05", None, None, "D1", "300.00", None),
             ("transfer", 1, "TR1", "2026-10-06", "b", None, "t2", None, None),
             ("handover", 1, "events.csv:10", "2026-10-08", "a", None, "l1", None, None),
             ("link", 1, "events.csv:11", "2026-10-09", None, "c3", "c4", None, None)])
        counts = {r["type"]: r["events"] for r in doc["event_types"]}
        self.assertEqual([counts.get(t) for t in NEW_TYPES], [2, 1, 1, 1, 1])
        rc, out, err = run("demo", d)
        self.assertEqual(rc, 0, err)
        self.assertIn("Changes after the fact", out)
        # without any, no section
        rc, out, err = run("demo", self.dataset(EVENTS[:2], "plain"), "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertNotIn("changes", json.loads(out))
        # a handover to nobody says so
        events = EVENTS[:2] + [("2026-10-03", "handover", "H9", "a", "", "", "", "")]
        rc, out, err = run("demo", self.dataset(events, "nobody"), "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual([(r["first"], r["note"]) for r in json.loads(out)["changes"]],
                         [("H9", "to nobody: released")])


class TestReminders(Base):
    def test_handed_over_protection_names_its_customer(self):
        # a registered c1 on 10-01 (protected through 10-08); the handover
        # to l1 on 10-08 12:00 starts l1's protection that day: through
        # 10-15 (7 days), 1 day left on 10-14. The handover names no
        # customer: the key's (c1) is shown
        rc, out, err = run("reminders", self.dataset(EVENTS), "--day", "2026-10-14",
                           "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual([(m["member"], p["customer"], p["key"], p["last_contact"],
                           p["through"], p["days_left"])
                          for m in doc["members"] for p in m["protections"]],
                         [("l1", "c1", "c1", "2026-10-08", "2026-10-15", 1)])

    def test_cancelled_void_hides_no_claim(self):
        # b closes D1 with a's customer c1 on 10-02: a may claim until 10-05
        # (claim_days 3), unless a's registrations are voided after the
        # deal (R6). The void of 10-02 15:00 is cancelled on 10-04, so on
        # 10-03 the claim is open after all (as if never voided)
        events = [EVENTS[0], EVENTS[1],
                  ("2026-10-02T15:00", "void_register", "V1", "a", "", "", "", "")]
        rc, out, err = run("reminders", self.dataset(events, "voided"), "--day", "2026-10-03",
                           "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual([c for m in json.loads(out)["members"] for c in m["claims"]], [])
        events.append(("2026-10-04", "cancel", "X1", "", "", "V1", "", ""))
        rc, out, err = run("reminders", self.dataset(events, "unvoided"), "--day", "2026-10-03",
                           "--format", "json")
        self.assertEqual(rc, 0, err)
        claims = [(m["member"], c) for m in json.loads(out)["members"] for c in m["claims"]]
        self.assertEqual(len(claims), 1, claims)
        self.assertEqual(claims[0][0], "a")


class TestGenChanges(Base):
    ARGS = ["--members", "12", "--customers", "300", "--events", "10000", "--seed", "7"]

    def test_off_by_default_and_every_type_with_it(self):
        plain, again, changed = (os.path.join(self.tmp, n) for n in ("p", "a", "c"))
        for out, extra in ((plain, []), (again, []), (changed, ["--changes"])):
            rc, _, err = run("--out", out, *self.ARGS, *extra, exe=GEN)
            self.assertEqual(rc, 0, err)
        names = sorted(os.listdir(plain))
        # without --changes the same bytes as always (the bundled sample is
        # this command's output; test_cli.py compares it)
        self.assertEqual(filecmp.cmpfiles(plain, again, names, shallow=False)[0], names)
        self.assertEqual(filecmp.cmpfiles(plain, changed, names, shallow=False)[0],
                         [n for n in names if n not in ("events.csv", "policy.conf")])
        # policy.conf: the same settings, and the public pool's shown in
        # comments (off)
        with open(os.path.join(changed, "policy.conf"), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(plain, "policy.conf"), encoding="utf-8") as f:
            plain_text = f.read()

        def settings(t):
            return [l for l in t.splitlines() if l and not l.startswith("#")]
        self.assertEqual(settings(text), settings(plain_text))
        for name in ("max_hold_days", "max_protected", "reclaim_days"):
            self.assertRegex(text, r"(?m)^# attribution\.%s = \d+" % name)
        with open(os.path.join(changed, "events.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(plain, "events.csv"), encoding="utf-8") as f:
            plain_rows = list(csv.DictReader(f))
        types = {}
        for r in rows:
            types[r["type"]] = types.get(r["type"], 0) + 1
        for t in NEW_TYPES:
            self.assertGreater(types.get(t, 0), 0, t)
        # the simulated events are all there, in order, with only the new
        # ones added: a small share
        old = [r for r in rows if r["type"] not in NEW_TYPES]
        self.assertEqual([{k: v for k, v in r.items() if k != "id"} for r in old], plain_rows)
        added = len(rows) - len(plain_rows)
        self.assertGreater(added, 0)
        self.assertLess(added, len(plain_rows) // 50)
        # ids: every new event has one, and every event a cancel names (no
        # other), all unique; each cancel names an event that comes before
        # it: a deal with no claim or override, a registration or a payment
        ids = [r["id"] for r in rows if r["id"]]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertTrue(all(r["id"] for r in rows if r["type"] in NEW_TYPES))
        cancelled = {r["ref"] for r in rows if r["type"] == "cancel"}
        self.assertEqual({r["id"] for r in rows if r["id"] and r["type"] not in NEW_TYPES},
                         cancelled)
        seen, kinds = {}, set()
        busy = {r["ref"] for r in rows if r["type"] in ("claim", "override")}
        for r in rows:
            if r["type"] == "cancel":
                self.assertIn(r["ref"], seen)
                target = seen[r["ref"]]
                kinds.add(target["type"])
                self.assertLess(target["at"], r["at"])
                if target["type"] == "deal":
                    self.assertNotIn(target["ref"], busy)
            if r["id"]:
                seen[r["id"]] = r
        self.assertEqual(kinds, {"deal", "register", "payment"})
        # refunds: partial and full ones
        amounts = {r["ref"]: r["amount"] for r in rows if r["type"] == "deal"}
        refunds = [r for r in rows if r["type"] == "refund"]
        self.assertTrue(any(r["amount"] == amounts[r["ref"]] for r in refunds))
        self.assertTrue(any(r["amount"] != amounts[r["ref"]] for r in refunds))
        # and it passes check, listing its cancels
        rc, out, err = run("check", changed, "--format", "json")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["counts"]["events"], len(rows))
        self.assertEqual(len(doc["cancels"]), types["cancel"])

    def test_other_sizes_pass_check(self):
        for i, args in enumerate((["--seed", "3", "--events", "30000"],
                                  ["--members", "5", "--customers", "20", "--events", "2000",
                                   "--seed", "11"],
                                  ["--members", "3", "--customers", "1", "--events", "300"])):
            out = os.path.join(self.tmp, "g%d" % i)
            rc, _, err = run("--out", out, *args, "--changes", exe=GEN)
            self.assertEqual(rc, 0, err)
            rc, _, err = run("check", out)
            self.assertEqual(rc, 0, "%r: %s" % (args, err))

    def test_usage(self):
        rc, out, err = run("--out", self.tmp, "--changes", "--changes", exe=GEN)
        self.assertEqual(rc, 1)
        self.assertIn("twice", err)
        rc, out, err = run("--help", exe=GEN)
        self.assertEqual(rc, 0)
        self.assertIn("--changes", out)


if __name__ == "__main__":
    EXE, GEN = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
