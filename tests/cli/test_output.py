#!/usr/bin/env python3
"""The output of the salesmgmt command for a sales office (issue #13):
--help on every command, --bom, --format xlsx, the lines that reconcile
the company with its top teams (kpi, targets), events named by id or
events.csv:LINE (attribute), the close_rate note (kpi), rotation on a day
without sign-ins, and ./run's packages. python3 standard library only;
openpyxl (Debian's python3-openpyxl) and unzip are used when installed.

usage: test_output.py SALESMGMT TEST_CLI_OUT SAMPLE_DIR SOURCE_ROOT
"""
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

EXE = TEST_OUT = SAMPLE = ROOT = None

BOM = b"\xef\xbb\xbf"
MONEY_RE = r"^-?\d+\.\d\d$"
MONEY_FMT = "#,##0.00"
PERCENT_FMT = "0.0%"
DATE_FMT = "yyyy\\-mm\\-dd"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
CLOSE_RATE_NOTE = ("close_rate = deals / receptions; deals without a reception in the period "
                   "(returning customers, phone sales) can make it pass 100%")


def run(*args, exe=None, stdout=subprocess.PIPE):
    """(exit status, stdout bytes, stderr text)"""
    p = subprocess.run([exe or EXE, *args], stdout=stdout, stderr=subprocess.PIPE, timeout=240)
    return p.returncode, p.stdout, p.stderr.decode("utf-8")


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def cents(text):
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


# Every command, with arguments that give output on the bundled sample.
def commands():
    return [
        ("check", [SAMPLE]),
        ("kpi", [SAMPLE, "--period", "2025", "--by", "team"]),
        ("targets", [SAMPLE, "--period", "2026-Q1"]),
        ("tiers", [SAMPLE, "--year", "2025"]),
        ("visits", [SAMPLE, "--as-of", "2026-03-31"]),
        ("attribute", [SAMPLE]),
        ("rotation", [SAMPLE, "--day", "2025-03-04"]),
        ("pay", [SAMPLE, "--period", "2026-03"]),
        ("scorecard", [SAMPLE, "--period", "2026-03"]),
        ("reminders", [SAMPLE, "--day", "2026-03-02"]),
        ("report", [SAMPLE, "--period", "2026-03"]),
        ("demo", [SAMPLE]),
    ]


def listed_commands():
    rc, out, err = run("--help")
    return re.findall(r"^  salesmgmt (\S+)", out.decode(), re.M)


def csv_tables(text):
    """A CSV document: one table, or "# title" sections a blank line apart
    (the multi-table convention) -> [[header, row, ...], ...]."""
    if not text.startswith("# "):
        return [list(csv.reader(io.StringIO(text)))]
    tables = []
    for part in re.split(r"(?:^|\n)# [^\n]*\n", text)[1:]:
        tables.append(list(csv.reader(io.StringIO(part.rstrip("\n") + "\n"))))
    return tables


# ---- reading a workbook back with zipfile and ElementTree ----

def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class Book:
    """Every sheet of an xlsx file: names in order, and per sheet the rows
    as lists of (value, number format) — value a str, float, bool or None."""

    def __init__(self, test, data):
        self.test = test
        z = zipfile.ZipFile(io.BytesIO(data))
        test.assertIsNone(z.testzip())  # every CRC-32 right
        for info in z.infolist():
            test.assertEqual(info.compress_type, zipfile.ZIP_STORED, info.filename)
        names = set(z.namelist())
        test.assertTrue({"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                         "xl/_rels/workbook.xml.rels", "xl/styles.xml"} <= names, names)
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType")
                     for o in types.findall("ct:Override", NS)}
        defaults = {d.get("Extension"): d.get("ContentType")
                    for d in types.findall("ct:Default", NS)}
        test.assertIn("rels", defaults)
        rels = ET.fromstring(z.read("_rels/.rels"))
        office = [r.get("Target") for r in rels.findall("pr:Relationship", NS)
                  if r.get("Type").endswith("/officeDocument")]
        test.assertEqual(office, ["xl/workbook.xml"])
        test.assertTrue(overrides["/xl/workbook.xml"].endswith("sheet.main+xml"))
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        wbrels = {r.get("Id"): r.get("Target") for r in
                  ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall(
                      "pr:Relationship", NS)}
        formats = self.formats(ET.fromstring(z.read("xl/styles.xml")))
        self.names, self.sheets = [], {}
        for sh in wb.find("m:sheets", NS).findall("m:sheet", NS):
            name = sh.get("name")
            test.assertTrue(1 <= len(name) <= 31, name)
            test.assertFalse(set(name) & set("[]:*?/\\"), name)
            test.assertNotIn(name.lower(), [n.lower() for n in self.names])
            part = "xl/" + wbrels[sh.get("{%s}id" % NS["r"])]
            test.assertIn(part, names)
            test.assertTrue(overrides["/" + part].endswith("worksheet+xml"), part)
            self.names.append(name)
            self.sheets[name] = self.read_sheet(ET.fromstring(z.read(part)), formats)

    @staticmethod
    def formats(styles):
        custom = {int(f.get("numFmtId")): f.get("formatCode")
                  for f in styles.iter("{%s}numFmt" % NS["m"])}
        xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
        return [custom.get(int(x.get("numFmtId", "0")), "General") for x in xfs]

    def read_sheet(self, ws, formats):
        t = self.test
        # the header row is frozen
        pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
        t.assertIsNotNone(pane)
        t.assertEqual((pane.get("ySplit"), pane.get("topLeftCell"), pane.get("state")),
                      ("1", "A2", "frozen"))
        rows = []
        for n, row in enumerate(ws.find("m:sheetData", NS).findall("m:row", NS), 1):
            t.assertEqual(row.get("r"), str(n))
            cells = []
            for c in row.findall("m:c", NS):
                ref = c.get("r")
                t.assertEqual(re.fullmatch(r"[A-Z]+(\d+)", ref).group(1), str(n))
                while len(cells) < col_index(ref):
                    cells.append((None, "General"))
                fmt = formats[int(c.get("s", "0"))]
                kind = c.get("t")
                if kind == "inlineStr":
                    value = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
                elif kind == "b":
                    value = c.find("m:v", NS).text == "1"
                else:
                    t.assertIsNone(kind, ref)  # numbers only, no shared strings
                    value = float(c.find("m:v", NS).text)
                cells.append((value, fmt))
            rows.append(cells)
        return rows

    def values(self, name):
        return [[v for v, f in r] for r in self.sheets[name]]


def same_cell(text, cell):
    """The command's CSV text of a cell and the workbook's (value, format)."""
    value, fmt = cell
    if text == "":
        return value is None
    if fmt == MONEY_FMT:
        return re.match(MONEY_RE, text) is not None and round(value * 100) == cents(text)
    if fmt == PERCENT_FMT:
        return isinstance(value, float) and abs(value - float(text)) < 1e-9
    if fmt == DATE_FMT:
        return (datetime.date(1899, 12, 30) + datetime.timedelta(days=value)).isoformat() == text
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, float):
        return float(text) == value
    return value == text


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg_out_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def copy_sample(self, name="data"):
        d = os.path.join(self.tmp, name)
        shutil.copytree(SAMPLE, d)
        return d

    def broken(self):
        d = self.copy_sample("broken")
        with open(os.path.join(d, "events.csv"), "a", encoding="utf-8") as f:
            f.write("2026-01-05T10:00,deal,m004,c0001,DX,12.345,,,,,,\n")
        return d

    def json_of(self, *args):
        rc, out, err = run(*args, "--format", "json")
        self.assertEqual(rc, 0, err)
        return json.loads(out)


# ---- finding 10: --help on every command ----

class TestHelp(Base):
    def test_every_command(self):
        cmds = listed_commands()
        self.assertEqual(cmds, [c for c, _ in commands()])
        rc, top, err = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("--bom", top.decode())
        for cmd in cmds:
            rc, out, err = run(cmd, "--help")
            self.assertEqual((rc, err), (0, ""), cmd)
            out = out.decode()
            synopsis = re.search(r"^  salesmgmt %s (.*)$" % cmd, top.decode(), re.M).group(1)
            self.assertTrue(out.startswith("usage: salesmgmt %s %s\n" % (cmd, synopsis)), out)
            # every option of the synopsis, and the common ones, described
            for opt in set(re.findall(r"--([a-z-]+)", synopsis)) | {"bom", "help", "format"}:
                self.assertRegex(out, r"(?m)^  --%s\b" % re.escape(opt), (cmd, opt))
            self.assertIn("exit status", out)
            # wherever it is, and whatever else is wrong
            self.assertEqual(run(cmd, "--bogus", "--help")[:2], (0, out.encode()))
            self.assertEqual(run("help", cmd)[:2], (0, out.encode()))
        # after "--" it is an argument, not an option
        rc, out, err = run("check", "--", "--help")
        self.assertEqual(rc, 3, err)


# ---- finding 5: --bom ----

class TestBom(Base):
    def test_every_command(self):
        for cmd, args in commands():
            rc, plain, err = run(cmd, *args, "--format", "csv")
            self.assertEqual(rc, 0, (cmd, err))
            self.assertFalse(plain.startswith(BOM), cmd)
            rc, out, err = run(cmd, *args, "--format", "csv", "--bom")
            self.assertEqual(rc, 0, (cmd, err))
            self.assertEqual(out, BOM + plain, cmd)  # one BOM, the same CSV after it
            # what Excel and Python's utf-8-sig read
            text = out.decode("utf-8-sig")
            self.assertFalse(text.startswith("\ufeff"))
            self.assertTrue(csv_tables(text)[0][0], cmd)

    def test_chinese_names(self):
        rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--format", "csv", "--bom")
        rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
        names = {m["name"] for m in read_csv(os.path.join(SAMPLE, "members.csv"))}
        self.assertEqual({r["name"] for r in rows}, names)
        self.assertIn("subject", rows[0])  # the first column's name has no BOM in it

    def test_errors(self):
        for fmt in ([], ["--format", "table"], ["--format", "json"], ["--format", "xlsx"]):
            rc, out, err = run("kpi", SAMPLE, "--period", "2026-03", "--bom", *fmt)
            self.assertEqual((rc, out), (1, b""), (fmt, err))
            self.assertIn("--bom goes with --format csv only", err)
        rc, out, err = run("check", SAMPLE, "--format", "csv", "--bom", "--bom")
        self.assertEqual((rc, out), (1, b""), err)
        rc, out, err = run("check", SAMPLE, "--format", "csv", "--bom=1")
        self.assertEqual((rc, out), (1, b""), err)
        # a dataset with errors: nothing on stdout, not even the BOM
        rc, out, err = run("kpi", self.broken(), "--period", "2026-03", "--format", "csv",
                           "--bom")
        self.assertEqual((rc, out), (2, b""), err)


# ---- finding 5: --format xlsx ----

class TestXlsx(Base):
    def book(self, cmd, *args):
        rc, out, err = run(cmd, *args, "--format", "xlsx")
        self.assertEqual(rc, 0, (cmd, err))
        self.assertTrue(out.startswith(b"PK\x03\x04"), cmd)
        path = os.path.join(self.tmp, cmd + ".xlsx")
        with open(path, "wb") as f:
            f.write(out)
        if shutil.which("unzip"):
            p = subprocess.run(["unzip", "-t", path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self.assertEqual(p.returncode, 0, p.stdout.decode())
        return Book(self, out), path

    def test_every_command(self):
        """Every table of the CSV output is a sheet, cell for cell: numbers as
        numbers (money "#,##0.00", rates "0.0%"), dates as dates, booleans as
        booleans, null as no cell."""
        seen = set()
        for cmd, args in commands():
            book, path = self.book(cmd, *args)
            if cmd == "report":
                # report's CSV is one table with a `section` column (a sheet
                # per section in xlsx): the sheets are its sections
                rc, out, err = run(cmd, *args, "--format", "csv")
                sections = []
                for r in csv.DictReader(io.StringIO(out.decode())):
                    if r["section"] not in sections:
                        sections.append(r["section"])
                self.assertEqual(book.names[:len(sections)], sections, cmd)
                continue
            rc, out, err = run(cmd, *args, "--format", "csv")
            tables = csv_tables(out.decode())
            self.assertLessEqual(len(tables), len(book.names), cmd)
            for name, table in zip(book.names, tables):
                rows = book.sheets[name]
                self.assertEqual(len(rows), len(table), (cmd, name))
                for n, (want, got) in enumerate(zip(table, rows)):
                    got = got + [(None, "General")] * (len(want) - len(got))
                    self.assertEqual(len(got), len(want), (cmd, name, n))
                    for text, cell in zip(want, got):
                        self.assertTrue(same_cell(text, cell), (cmd, name, n, text, cell))
                        if n:
                            seen.add(cell[1])
                            if isinstance(cell[0], bool):
                                seen.add("bool")
        self.assertTrue({MONEY_FMT, PERCENT_FMT, DATE_FMT, "bool"} <= seen, seen)

    def test_sheets(self):
        book, _ = self.book("attribute", SAMPLE)
        doc = self.json_of("attribute", SAMPLE)
        self.assertEqual(book.names, list(doc))  # a sheet per JSON key, in order
        self.assertEqual(len(book.sheets["deals"]) - 1, len(doc["deals"]))
        book, _ = self.book("kpi", SAMPLE, "--period", "2026-03")
        self.assertEqual(book.names, ["kpi"])
        header = book.values("kpi")[0]
        rows = self.json_of("kpi", SAMPLE, "--period", "2026-03")["rows"]
        for cells, r in zip(book.values("kpi")[1:], rows):
            for k, v in zip(header, cells):
                if isinstance(r[k], str) and re.match(MONEY_RE, r[k]):
                    self.assertEqual(round(v * 100), cents(r[k]), k)
                elif r[k] is None:
                    self.assertIsNone(v, k)
                elif isinstance(r[k], (int, float)):
                    self.assertAlmostEqual(v, r[k], places=9, msg=k)
                else:
                    self.assertEqual(v, r[k], k)
        book, _ = self.book("targets", SAMPLE, "--period", "2026-Q1")
        self.assertEqual(book.names, ["targets", "company"])
        book, _ = self.book("report", SAMPLE, "--period", "2026-03")
        self.assertGreater(len(book.names), 3)
        book, _ = self.book("check", SAMPLE)  # a table of its own: named after the command
        self.assertEqual(book.names, ["check", "cancels"])  # and the sample's cancels

    def test_fixture(self):
        """The output helpers' workbook: names made valid, every kind of cell."""
        rc, out, err = run("book", exe=TEST_OUT)
        self.assertEqual(rc, 0, err)
        self.assertNotIn(b"WRITER-ERROR", out)
        book = Book(self, out)
        self.assertEqual(book.names, ["deals", "Deals (2)", "a_b__c_d_e_f_g",
                                      "a very long section key that is",
                                      "a very long section key tha (2)", "History (2)",
                                      "quoted", "Sheet"])
        rows = book.sheets["deals"]
        self.assertEqual([v for v, f in rows[0]],
                         ["text", "int", "money", "rate", "num", "bool", "day"])
        self.assertEqual(rows[1], [('张伟 <&> "q"', "General"), (-42.0, "General"),
                                   (1234567.89, MONEY_FMT), (1.428571429, PERCENT_FMT),
                                   (89.5, "General"), (True, "General"), (45658.0, DATE_FMT)])
        self.assertEqual(rows[2][0][0], " lead\ttab\nline ctl\ufffd ")
        self.assertEqual(rows[2][1:4], [(0.0, "General"), (-0.05, MONEY_FMT),
                                        (None, "General")])
        self.assertEqual(len(rows), 4)
        self.assertTrue(all(v is None for v, f in rows[3]))
        self.assertEqual(len(book.sheets["Deals (2)"]), 2)  # a record: its first row
        rc, table, err = run("xlsx", exe=TEST_OUT)
        self.assertEqual(Book(self, table).names, ["Sheet1"])

    def test_openpyxl(self):
        """Read back by openpyxl, when installed (Debian: python3-openpyxl)."""
        book, path = self.book("kpi", SAMPLE, "--period", "2025", "--by", "team")
        script = (
            "import json, sys, openpyxl\n"
            "wb = openpyxl.load_workbook(sys.argv[1])\n"
            "out = {}\n"
            "for ws in wb.worksheets:\n"
            "    out[ws.title] = {'freeze': ws.freeze_panes, 'rows': [[\n"
            "        [c.value if not hasattr(c.value, 'isoformat') else c.value.isoformat(),\n"
            "         c.number_format] for c in r] for r in ws.iter_rows()]}\n"
            "print(json.dumps(out))\n")
        pythons = [sys.executable, "/usr/bin/python3"]
        for py in pythons:
            if not os.path.exists(py):
                continue
            p = subprocess.run([py, "-c", script, path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if p.returncode == 0:
                break
        else:
            self.skipTest("openpyxl is not installed")
        got = json.loads(p.stdout)
        self.assertEqual(list(got), book.names)
        for name in book.names:
            self.assertEqual(got[name]["freeze"], "A2")
            for mine, theirs in zip(book.sheets[name], got[name]["rows"]):
                for (v, f), (tv, tf) in zip(mine, theirs):
                    self.assertEqual(tv, v, name)
                    if v is not None:
                        self.assertEqual(tf, f, name)

    def test_refused(self):
        # a terminal on stdout: a usage error, nothing written
        import pty
        master, slave = pty.openpty()
        try:
            p = subprocess.run([EXE, "check", SAMPLE, "--format", "xlsx"], stdout=slave,
                               stderr=subprocess.PIPE, timeout=60)
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        try:
            written = os.read(master, 4096)
        except (BlockingIOError, OSError):
            written = b""
        os.close(master)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(written, b"")
        self.assertIn("redirect it to a file", p.stderr.decode())
        # a dataset with errors: no partial workbook
        rc, out, err = run("attribute", self.broken(), "--format", "xlsx")
        self.assertEqual((rc, out), (2, b""), err)


# ---- finding 6: the company and its top teams ----

def roots():
    teams = read_csv(os.path.join(SAMPLE, "teams.csv"))
    return ["team:" + t["team_id"] for t in teams if not t["parent_id"]]


class TestReconcile(Base):
    def val(self, v):
        return 0 if v is None else cents(v) if isinstance(v, str) else v

    def test_kpi(self):
        rows = self.json_of("kpi", SAMPLE, "--period", "2025", "--by", "team")["rows"]
        by = {r["subject"]: r for r in rows}
        self.assertEqual([r["subject"] for r in rows][-3:],
                         ["company", "company:unsplit", "company:uncredited"])
        # the top teams plus the lines make the company row
        for key, line in (("sales_amount", "company:uncredited"),
                          ("deal_count", "company:uncredited"),
                          ("gross_profit", "company:uncredited"),
                          ("new_customer_count", "company:uncredited"),
                          ("target_amount", "company:unsplit")):
            self.assertEqual(self.val(by["company"][key]),
                             sum(self.val(by[t][key]) for t in roots()) +
                             self.val(by[line][key]), key)
        self.assertEqual(by["company:uncredited"]["name"], "company (not credited to a member)")
        self.assertEqual(by["company:unsplit"]["name"], "company (not split to a team)")
        self.assertGreater(by["company:uncredited"]["deal_count"], 0)
        # the deals credited to the company are those of the line
        att = self.json_of("attribute", SAMPLE)
        company = [d for d in att["deals"] if d["reason"] == "company"
                   and d["day"].startswith("2025")]
        self.assertEqual(by["company:uncredited"]["deal_count"], len(company))
        self.assertEqual(cents(by["company:uncredited"]["sales_amount"]),
                         sum(cents(d["amount"]) for d in company))
        # the text table: the lines and their notes
        rc, out, err = run("kpi", SAMPLE, "--period", "2025", "--by", "team")
        text = out.decode()
        self.assertRegex(text, r"(?m)^company:uncredited  company \(not credited to a member\) ")
        self.assertRegex(text, r"(?m)^company:unsplit +company \(not split to a team\) ")
        self.assertIn("\n\ncompany (not split to a team): the company's target less", text)
        self.assertIn("\ncompany (not credited to a member): deals credited to the company",
                      text)
        # CSV has the rows too
        rc, out, err = run("kpi", SAMPLE, "--period", "2025", "--by", "team", "--format", "csv")
        self.assertEqual([r["subject"] for r in csv.DictReader(io.StringIO(out.decode()))][-2:],
                         ["company:unsplit", "company:uncredited"])

    def test_no_lines_when_it_adds_up(self):
        d = self.copy_sample()
        for name, keep in (("targets.csv", lambda r: r["subject"] != "company"),
                           ("events.csv", lambda r: not (r["type"] == "override"
                                                         and not r["member"]))):
            path = os.path.join(d, name)
            rows = read_csv(path)
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(r for r in rows if keep(r))
        rows = self.json_of("kpi", d, "--period", "2025", "--by", "team")["rows"]
        self.assertEqual(rows[-1]["subject"], "company")
        self.assertFalse([r for r in rows if r["subject"].startswith("company:")])
        rc, out, err = run("kpi", d, "--period", "2025", "--by", "team")
        self.assertNotIn("not credited", out.decode())
        self.assertNotIn("not split", out.decode())
        # and none without the company row (a leader's teams)
        rows = self.json_of("kpi", SAMPLE, "--period", "2025", "--by", "team", "--as", "m001")
        self.assertFalse([r for r in rows["rows"] if r["subject"].startswith("company")])

    def test_targets(self):
        for period in ("2025", "2026-Q1", "2026-03"):
            doc = self.json_of("targets", SAMPLE, "--period", period)
            cmp = doc["company"]
            self.assertTrue(cmp, period)
            kpi = {r["subject"]: r for r in
                   self.json_of("kpi", SAMPLE, "--period", period, "--by", "team")["rows"]}
            metrics = [r["metric"] for r in doc["rows"] if r["subject"] == "company"]
            self.assertEqual(sorted({r["metric"] for r in cmp}), sorted(metrics))
            for metric in metrics:
                rows = {r["subject"]: r for r in cmp if r["metric"] == metric}
                self.assertEqual(set(rows) - {"company", "company:unsplit",
                                              "company:uncredited"}, set(roots()))
                company = rows["company"]
                own = next(r for r in doc["rows"]
                           if r["subject"] == "company" and r["metric"] == metric)
                self.assertEqual(company["target"], own["target"])
                line = rows.get("company:unsplit", {"target": None})
                self.assertEqual(self.val(company["target"]),
                                 sum(self.val(rows[t]["target"]) for t in roots()) +
                                 self.val(line["target"]), (period, metric))
                line = rows.get("company:uncredited", {"actual": None})
                self.assertEqual(self.val(company["actual"]),
                                 sum(self.val(rows[t]["actual"]) for t in roots()) +
                                 self.val(line["actual"]), (period, metric))
                if metric == "sales_amount":
                    # a top team's target as kpi's target_amount, the actual its sales
                    for t in roots():
                        self.assertEqual(rows[t]["target"], kpi[t]["target_amount"])
                        self.assertEqual(rows[t]["actual"], kpi[t]["sales_amount"])
                    self.assertEqual(company["actual"], kpi["company"]["sales_amount"])
        rc, out, err = run("targets", SAMPLE, "--period", "2025")
        text = out.decode()
        self.assertIn("The company and its top teams", text)
        self.assertRegex(text, r"(?m)^company:uncredited +company \(not credited to a member\)")
        self.assertRegex(text, r"(?m)^company:unsplit +company \(not split to a team\)")
        # a rep sees no company: the key is there, empty
        doc = self.json_of("targets", SAMPLE, "--period", "2026-03", "--as", "m006")
        self.assertEqual(doc["company"], [])


# ---- finding 7: events by id or events.csv:LINE ----

class TestEvents(Base):
    REF_RE = r"events\.csv:(\d+)"

    def lines(self, d):
        with open(os.path.join(d, "events.csv"), encoding="utf-8-sig") as f:
            text = f.read().split("\n")
        header = text[0].split(",")
        return {n: dict(zip(header, line.split(","))) for n, line in enumerate(text, 1)
                if n > 1 and line}

    def refs(self, doc):
        for key, rows in doc.items():
            for r in rows:
                for k, v in r.items():
                    if k == "event" or k.startswith("ev_"):
                        yield key, k, v, r

    def test_lines(self):
        doc = self.json_of("attribute", SAMPLE)
        lines = self.lines(SAMPLE)
        # the sample's events with an id (RULES.md §8: the changes after the
        # fact and what they cancel) are named by it, every other by its line
        ids = {e["id"]: e for e in lines.values() if e.get("id")}
        n = 0
        for key, k, v, r in self.refs(doc):
            if v is None:
                continue
            m = re.fullmatch(self.REF_RE, v)
            if not m:
                self.assertIn(v, ids, (key, k, v))
                e = ids[v]
            else:
                e = lines[int(m.group(1))]
                self.assertEqual(e.get("id", ""), "", (key, k, v))
            n += 1
            if k == "ev_deal":
                self.assertEqual((e["type"], e["ref"]), ("deal", r["ref"]))
            elif k == "ev_claim":
                self.assertEqual((e["type"], e["ref"]), ("claim", r["ref"]))
            elif k == "ev_override":
                self.assertEqual((e["type"], e["ref"]), ("override", r["ref"]))
            elif key == "collisions":
                self.assertEqual((e["type"], e["member"]), ("register", r["member"]))
        self.assertGreater(n, 1000)
        rc, out, err = run("attribute", SAMPLE)
        self.assertRegex(out.decode(), r"  events\.csv:\d+")

    def test_lines_of_a_file_with_quoted_newlines(self):
        """The line is the file's own: a quoted newline in an earlier record
        and a blank line move every later event down (SMG_EVENT_LINE), not
        the input position + 2."""
        d = self.copy_sample()
        path = os.path.join(d, "events.csv")
        with open(path, encoding="utf-8-sig") as f:
            text = f.read().split("\n")
        header = text[0].split(",")
        col = header.index("product")
        # the first data row gets a product with a newline (quoted), and a
        # blank line follows it
        first = text[1].split(",")
        first[col] = '"line one\nline two"'
        text[1] = ",".join(first) + "\n"
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(text))
        doc = self.json_of("attribute", d)
        raw = open(path, encoding="utf-8").read().split("\n")
        n = 0
        for deal in doc["deals"]:
            m = re.fullmatch(self.REF_RE, deal["ev_deal"])
            self.assertTrue(m, deal["ev_deal"])
            line = raw[int(m.group(1)) - 1].split(",")
            self.assertEqual((line[header.index("type")], line[header.index("ref")]),
                             ("deal", deal["ref"]), deal)
            n += 1
        self.assertGreater(n, 100)

    def test_ids(self):
        """Events with an id are named by it; the others by their line."""
        d = self.copy_sample()
        path = os.path.join(d, "events.csv")
        rows = read_csv(path)
        for i, r in enumerate(rows):  # the sample's own ids (cancels name them) stay
            r["id"] = r.get("id") or ("ev-" + r["ref"] if r["type"] == "deal" else
                                      "reg%d" % i if r["type"] == "register" and i % 2 else "")
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id"] + [k for k in rows[0] if k != "id"],
                               lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        doc = self.json_of("attribute", d)
        lines = self.lines(d)
        for deal in doc["deals"]:
            self.assertEqual(deal["ev_deal"], "ev-" + deal["ref"])
        kinds = set()
        for key, k, v, r in self.refs(doc):
            if v is None:
                continue
            m = re.fullmatch(self.REF_RE, v)
            if m:
                self.assertEqual(lines[int(m.group(1))]["id"], "", v)
                kinds.add("line")
            else:
                # ours, or one of the sample's (a handover starts a protection)
                self.assertRegex(v, r"^(ev-D\d+|reg\d+|[a-z]+-\d+)$")
                kinds.add("id")
        self.assertEqual(kinds, {"line", "id"})


# ---- finding 8: close_rate over 100%, rotation on a day without sign-ins ----

class TestNotes(Base):
    def test_close_rate(self):
        # months of the sample with and without a close_rate over 100%
        over, under = [], []
        for y, m in [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 4)]:
            period = "%04d-%02d" % (y, m)
            rows = self.json_of("kpi", SAMPLE, "--period", period)["rows"]
            (over if any((r["close_rate"] or 0) > 1 for r in rows) else under).append(period)
        self.assertTrue(over and under, (over, under))
        rc, out, err = run("kpi", SAMPLE, "--period", over[0])
        self.assertTrue(out.decode().endswith("\n\n" + CLOSE_RATE_NOTE + "\n"), out.decode())
        rc, out, err = run("kpi", SAMPLE, "--period", under[0])
        self.assertNotIn("close_rate =", out.decode())
        # a note of the text table only
        rc, out, err = run("kpi", SAMPLE, "--period", over[0], "--format", "csv")
        self.assertNotIn(b"close_rate =", out)

    def test_rotation_without_signins(self):
        day = "2025-03-09"  # a Sunday
        lines = self.lines_of_day(SAMPLE, day)
        self.assertFalse([e for e in lines if e["type"] in ("signin", "reception")])
        note = "No sign-ins on %s: no reception order that day." % day
        rc, out, err = run("rotation", SAMPLE, "--day", day)
        self.assertEqual((rc, out.decode()), (0, note + "\n"), err)
        doc = self.json_of("rotation", SAMPLE, "--day", day)
        self.assertEqual(doc, {"note": note, "order": [], "receptions": [], "final_order": []})
        rc, out, err = run("rotation", SAMPLE, "--day", day, "--format", "csv")
        self.assertEqual(len(csv_tables(out.decode())), 3)  # CSV keeps its shape
        # walk-ins received all the same: the note, then the receptions
        d = os.path.join(self.tmp, "data")
        shutil.copytree(SAMPLE, d)
        with open(os.path.join(d, "events.csv"), "a", encoding="utf-8") as f:
            f.write("%sT10:00,reception,m004,c0001,,,,,,walk_in,,\n" % day)
        rc, out, err = run("rotation", d, "--day", day)
        text = out.decode()
        self.assertTrue(text.startswith(note + "\n\nReceptions (walk-ins)\n"), text)
        self.assertIn("m004", text)
        self.assertNotIn("Sign-in order", text)
        # a day with sign-ins is as before: three tables, no note
        doc = self.json_of("rotation", SAMPLE, "--day", "2025-03-04")
        self.assertEqual(list(doc), ["order", "receptions", "final_order"])

    def lines_of_day(self, d, day):
        return [e for e in read_csv(os.path.join(d, "events.csv")) if e["at"].startswith(day)]


# ---- finding 10: ./run installs what the build uses ----

class TestRun(Base):
    # where each package is used
    USES = {
        "gcc": ("meson.build", r"project\('salesmgmt', 'c'"),
        "g++": ("tests/check_headers.py", r"g\+\+"),
        "meson": ("run", r"meson setup"),
        "ninja-build": ("run", r"ninja -C"),
        "pkg-config": ("bindings/lua/meson.build", r"dependency\('lua5\.4'"),
        "libcmocka-dev": ("tests/meson.build", r"dependency\('cmocka'"),
        "python3": ("tests/meson.build", r"find_program\('python3'\)"),
        "lua5.4": ("bindings/lua/meson.build", r"find_program\('lua5\.4'"),
        "liblua5.4-dev": ("bindings/lua/meson.build", r"dependency\('lua5\.4'"),
        "valgrind": ("run", r"--wrapper \"valgrind"),
        "abigail-tools": ("tests/check_abi.py", r"\"abidiff\""),
    }

    def read(self, path):
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            return f.read()

    def test_packages(self):
        run_text = self.read("run")
        packages = re.search(r'^PACKAGES="([^"]*)"', run_text, re.M).group(1).split()
        for p in packages:
            self.assertIn(p, self.USES, "./run installs %s, which nothing uses" % p)
            path, pattern = self.USES[p]
            self.assertRegex(self.read(path), pattern, p)
        self.assertEqual(set(packages), set(self.USES))
        # CI installs through ./run: one list
        ci = self.read(".ci/run")
        self.assertNotIn("apt-get install", ci)
        self.assertRegex(ci, r"(?m)^\./run deps")
        self.assertRegex(ci, r"(?m)^\./run test")
        p = subprocess.run(["bash", os.path.join(ROOT, "run"), "help"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0)
        self.assertIn(" ".join(packages), p.stdout.decode())


def main():
    global EXE, TEST_OUT, SAMPLE, ROOT
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    EXE, TEST_OUT, SAMPLE, ROOT = (os.path.abspath(a) for a in sys.argv[1:5])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[5:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
