#!/usr/bin/env python3
"""Loading a sales office's real exports (issue #13, findings 1-4 and 10's
check --format json): near-miss columns and files, GB18030 files and
--encoding, the error cap, Excel/SQL timestamps, ids with spaces and
negative deals, and check's summary and JSON.

usage: test_loading.py SALESMGMT SAMPLE_DIR

Python 3 standard library only; the GB18030 files are made with Python's
own codec. Every dataset is a copy of the sample (or a small one written
here) in a temporary folder.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = SAMPLE = None


def run(*args, tmpdir=None):
    env = dict(os.environ)
    if tmpdir:
        env["TMPDIR"] = tmpdir
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240, env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def write_rows(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


SMALL = {
    "teams.csv": "team_id,name\nt1,一组\n",
    "members.csv": "member_id,name,team_id,pay_total\nm1,张伟,t1,5000.00\nm2,王芳,t1,\n",
    "customers.csv": "customer_id,name\nc1,刘先生\nc2,陈女士\n",
    "events.csv": "at,type,member,customer,ref,amount\n"
                  "2026-03-02T09:00,deal,m1,c1,D1,100.00\n"
                  "2026-03-03T10:00,register,m2,c2,,\n",
}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg_loading_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sample(self, name="data"):
        d = os.path.join(self.tmp, name)
        shutil.copytree(SAMPLE, d)
        return d

    def small(self, name="small", **files):
        d = os.path.join(self.tmp, name)
        os.mkdir(d)
        for n, text in dict(SMALL, **files).items():
            if text is None:
                continue
            with open(os.path.join(d, n), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return d

    def rename_column(self, d, file, old, new):
        path = os.path.join(d, file)
        rows = read_rows(path)
        rows[0][rows[0].index(old)] = new
        write_rows(path, rows)

    def check_fails(self, d, *args, rc=2):
        code, out, err = run("check", d, *args)
        self.assertEqual(code, rc, err)
        self.assertEqual(out, "")
        return err


class TestNearMisses(Base):
    """Finding 1: a typo in an optional column or file name is an error that
    names what it resembles; nothing is silently ignored."""

    def test_pay_total_typo(self):
        d = self.sample()
        self.rename_column(d, "members.csv", "pay_total", "paytotal")
        err = self.check_fails(d)
        self.assertIn("members.csv:1: column paytotal: unknown column; did you mean "
                      "pay_total?", err)
        # and every command refuses the dataset, so nobody is paid 0 silently
        code, out, err = run("pay", d, "--period", "2025-06")
        self.assertEqual(code, 2, err)
        self.assertIn("did you mean pay_total?", err)

    def test_costs_and_case(self):
        d = self.sample()
        self.rename_column(d, "events.csv", "cost", "costs")
        self.rename_column(d, "members.csv", "pay_total", "Pay_Total")
        err = self.check_fails(d)
        self.assertIn("events.csv:1: column costs: unknown column; did you mean cost?", err)
        self.assertIn("members.csv:1: column Pay_Total: unknown column; did you mean "
                      "pay_total?", err)

    def test_file_typos(self):
        d = self.sample()
        os.rename(os.path.join(d, "targets.csv"), os.path.join(d, "target.csv"))
        err = self.check_fails(d)
        self.assertIn("target.csv: unknown file; did you mean targets.csv?", err)
        os.rename(os.path.join(d, "target.csv"), os.path.join(d, "targets.csv"))
        shutil.copy(os.path.join(d, "commission.csv"), os.path.join(d, "Commission.csv"))
        err = self.check_fails(d)
        self.assertIn("Commission.csv: unknown file; did you mean commission.csv?", err)

    def test_other_columns_and_files_are_listed(self):
        """An ERP's extra columns and files load, with warnings, and check
        lists them, the rows of every file and the policy changes."""
        d = self.sample()
        path = os.path.join(d, "members.csv")
        rows = read_rows(path)
        rows[0].append("备注")
        for r in rows[1:]:
            r.append("x")
        write_rows(path, rows)
        with open(os.path.join(d, "readme.txt"), "w") as f:
            f.write("exported 2026-03-01\n")
        code, out, err = run("check", d)
        self.assertEqual(code, 0, err)
        self.assertIn("salesmgmt check: warning: members.csv:1: column 备注: unknown column; "
                      "ignored", err)
        lines = out.split("\n")
        self.assertTrue(lines[0].startswith("ok: "))
        files = {l.split()[0]: l.split()[1:] for l in out.split("\n\n")[1].splitlines()[2:]}
        self.assertEqual(files["members.csv"], ["12", "备注"])
        self.assertEqual(files["readme.txt"], ["-", "(whole", "file)"])
        self.assertEqual(files["targets.csv"][0],
                         str(len(read_rows(os.path.join(d, "targets.csv"))) - 1))
        self.assertEqual(files["commission.csv"][0],
                         str(len(read_rows(os.path.join(d, "commission.csv"))) - 1))
        # the policy values that are not the defaults
        self.assertRegex(out, r"\npay\.overplan_rate +0 +0\.02\n")
        code, out, err = run("check", d, "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        doc = json.loads(out)
        self.assertEqual(doc["ignored"], [{"file": "members.csv", "column": "备注"},
                                          {"file": "readme.txt", "column": None}])
        self.assertEqual(doc["warnings"], ["members.csv:1: column 备注: unknown column; ignored"])
        self.assertEqual(doc["policy"]["pay.overplan_rate"], "0.02")
        self.assertNotIn("attribution.claim_days", doc["policy"])  # 3 is the default
        self.assertIn({"file": "targets.csv", "rows": 163}, doc["files"])


class TestEncodings(Base):
    """Finding 2: GB18030 exports (Chinese Excel's "CSV")."""

    def gb_copy(self, name="gb", bom=("customers.csv",)):
        d = os.path.join(self.tmp, name)
        os.mkdir(d)
        for n in os.listdir(SAMPLE):
            with open(os.path.join(SAMPLE, n), encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(d, n), "wb") as f:
                if n in bom:  # a BOM file stays UTF-8 whatever --encoding says
                    f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
                else:
                    f.write(text.encode("gb18030"))
        return d

    def test_hint_without_encoding(self):
        d = self.gb_copy()
        err = self.check_fails(d)
        msgs = [l for l in err.splitlines() if not l.startswith("salesmgmt ")]
        # one error per file, not one per cell; the events are not read
        self.assertEqual(len(msgs), 2, err)
        for m, f in zip(msgs, ("teams.csv", "members.csv")):
            self.assertRegex(m, r"^%s:\d+: column name: not UTF-8: the file looks like "
                                r"GB18030" % re.escape(f))
            self.assertIn("--encoding gb18030", m)

    def test_encoding_loads_the_same(self):
        d = self.gb_copy()
        scratch = os.path.join(self.tmp, "scratch")
        os.mkdir(scratch)
        code, out, err = run("check", d, "--encoding", "gb18030", tmpdir=scratch)
        self.assertEqual(code, 0, err)
        self.assertEqual(os.listdir(scratch), [])  # the converted copy is removed
        code, ref, err = run("check", SAMPLE)
        self.assertEqual(out, ref)
        for cmd in (["kpi", "--period", "2025-06", "--by", "team"],
                    ["attribute", "--format", "csv"], ["pay", "--period", "2025-06"]):
            code, out, err = run(cmd[0], d, "--encoding=GB18030", *cmd[1:])
            self.assertEqual(code, 0, err)
            code, ref, err = run(cmd[0], SAMPLE, *cmd[1:])
            self.assertEqual(out, ref, cmd)

    def test_conversion_errors(self):
        d = self.gb_copy()
        with open(os.path.join(d, "teams.csv"), "ab") as f:
            f.write(b"t9,\x81\x20bad,hq,\n")
        err = self.check_fails(d, "--encoding", "gb18030")
        self.assertRegex(err, r"(?m)^teams\.csv:7: not valid gb18030 text \(byte 0x81\)$")
        code, out, err = run("check", d, "--encoding", "gb18030", "--format", "json")
        self.assertEqual(code, 2, err)
        doc = json.loads(out)
        self.assertEqual(doc["errors"], [{"file": "teams.csv", "line": 7, "column": None,
                                          "message": "not valid gb18030 text (byte 0x81)"}])
        # errors of the library name the files, never the temporary folder
        d2 = self.gb_copy("gb2")
        with open(os.path.join(d2, "members.csv"), "ab") as f:
            f.write("m99,王五,nowhere,rep,,,\n".encode("gb18030"))
        os.remove(os.path.join(d2, "events.csv"))
        code, out, err = run("check", d2, "--encoding", "gb18030")
        self.assertEqual(code, 3, err)
        self.assertIn('events.csv: cannot read "%s/events.csv": no such file' % d2, err)
        self.assertNotIn("salesmgmt-", err.replace("salesmgmt check", ""))

    def test_usage(self):
        code, out, err = run("check", SAMPLE, "--encoding", "no-such-encoding")
        self.assertEqual(code, 1, err)
        self.assertIn("no-such-encoding", err)
        code, out, err = run("check", SAMPLE, "--encoding")
        self.assertEqual(code, 1, err)
        code, out, err = run("check", SAMPLE, "--encoding", "gbk", "--encoding", "gbk")
        self.assertEqual(code, 1, err)
        code, out, err = run("check", SAMPLE, "--encoding", "utf-8")
        self.assertEqual(code, 0, err)
        code, out, err = run("--help")
        self.assertIn("--encoding ENC", out)


class TestErrorCap(Base):
    """Finding 2: past the limit, the list says how many more there were."""

    def test_more_errors(self):
        d = self.sample()
        path = os.path.join(d, "events.csv")
        rows = read_rows(path)
        amount = rows[0].index("amount")
        bad = 0
        for r in rows[1:]:
            if r[rows[0].index("type")] == "deal":
                r[amount] = "12,5"
                bad += 1
        self.assertGreater(bad, 150)
        write_rows(path, rows)
        err = self.check_fails(d)
        lines = err.splitlines()
        self.assertEqual(len(lines), 102)
        # every bad amount, and the claims and overrides of those deals
        m = re.match(r"^\u2026 and (\d+) more errors$", lines[100])
        self.assertTrue(m, lines[100])
        more = int(m.group(1))
        self.assertGreaterEqual(more, bad - 100)
        self.assertEqual(lines[101], "salesmgmt check: %d errors (data errors)" % (100 + more))
        code, out, err = run("check", d, "--format", "json")
        self.assertEqual(code, 2, err)
        doc = json.loads(out)
        self.assertEqual(doc["ok"], False)
        self.assertEqual(len(doc["errors"]), 100)
        self.assertEqual(doc["more"], more)
        self.assertEqual(doc["errors"][0]["file"], "events.csv")
        self.assertEqual(doc["errors"][0]["column"], "amount")
        self.assertEqual(doc["errors"][0]["message"], '"12,5" is not a decimal amount')
        self.assertIsInstance(doc["errors"][0]["line"], int)


class TestTimestamps(Base):
    """Finding 3: Excel's and SQL's timestamps."""

    def test_forms(self):
        iso = self.small("iso")
        excel = self.small("excel", **{
            "events.csv": "at,type,member,customer,ref,amount\n"
                          "2026/3/2 9:00,deal,m1,c1,D1,100.00\n"
                          "2026-03-03 10:00:00,register,m2,c2,,\n",
            "members.csv": "member_id,name,team_id,pay_total,start_date\n"
                           "m1,张伟,t1,5000.00,2025/1/2\nm2,王芳,t1,,\n"})
        for args in (["attribute", "--format", "json"], ["kpi", "--period", "2026-03"]):
            code, out, err = run(args[0], excel, *args[1:])
            self.assertEqual(code, 0, err)
            code, ref, err = run(args[0], iso, *args[1:])
            self.assertEqual(out, ref)
        doc = json.loads(run("attribute", excel, "--format", "json")[1])
        self.assertEqual(doc["deals"][0]["day"], "2026-03-02")


class TestIdsAndAmounts(Base):
    """Finding 4: an id with a trailing space, a negative deal amount."""

    def test_errors(self):
        d = self.small(**{
            "members.csv": "member_id,name,team_id\n\"m1 \",张伟,t1\nm2,王芳,t1\n",
            "events.csv": "at,type,member,customer,ref,amount\n"
                          "2026-03-02T09:00,deal,m2,c1,D1,-500.00\n"})
        err = self.check_fails(d)
        self.assertIn('members.csv:2: column member_id: member id "m1 " ends with a space', err)
        self.assertIn("events.csv:2: column amount: a deal's amount is not negative (-500.00); "
                      "goods returned or money paid back are a refund event", err)


class TestCheckJson(Base):
    """Finding 10: check --format json prints the errors on a bad dataset."""

    def test_errors(self):
        d = self.small(**{"events.csv": "at,type,member,customer,ref,amount\n"
                                        "2026-03-02T09:00,deal,m1,c1,D1,\"12,5\"\n"
                                        "2026-03-03,signin,nobody,,,\n"})
        code, out, err = run("check", d, "--format", "json")
        self.assertEqual(code, 2, err)
        self.assertEqual(err, "")
        self.assertEqual(json.loads(out), {"ok": False, "more": 0, "errors": [
            {"file": "events.csv", "line": 2, "column": "amount",
             "message": '"12,5" is not a decimal amount'},
            {"file": "events.csv", "line": 3, "column": "member",
             "message": 'member "nobody" does not exist'}]})
        code, out, err = run("check", os.path.join(self.tmp, "nowhere"), "--format", "json")
        self.assertEqual(code, 3, err)
        doc = json.loads(out)
        self.assertEqual([e["file"] for e in doc["errors"]], ["members.csv", "events.csv"])
        self.assertEqual(doc["errors"][0]["line"], None)

    def test_ok(self):
        d = self.small()
        code, out, err = run("check", d, "--format", "json")
        self.assertEqual(code, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["ok"], True)
        self.assertEqual(doc["counts"]["members"], 2)
        self.assertEqual(doc["counts"]["deals"], 1)
        self.assertEqual(doc["files"], [{"file": "teams.csv", "rows": 1},
                                        {"file": "members.csv", "rows": 2},
                                        {"file": "customers.csv", "rows": 2},
                                        {"file": "events.csv", "rows": 2}])
        self.assertEqual(doc["ignored"], [])
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(doc["policy"], {})


if __name__ == "__main__":
    EXE, SAMPLE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]], verbosity=2)
