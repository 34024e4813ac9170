#!/usr/bin/env python3
"""`salesmgmt report` (suite 'cli'): the company line, one CSV, pay for any
period, the HTML page, and the page printed by headless Chromium on A4
landscape with every column header of every table on the printed pages.
python3 standard library only; the print test is skipped when chromium,
pdftotext or pdfinfo is missing (Debian: chromium, poppler-utils).

usage: test_report.py SALESMGMT SAMPLE_DIR

With SALESMGMT_SHOTS=DIR the print test leaves its PDFs and screenshots
there.
"""
import csv
import html.parser
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

EXE = SAMPLE = None


def run(*args, preexec=None):
    p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240, preexec_fn=preexec)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def jrun(*args):
    rc, out, err = run(*args, "--format", "json")
    if rc:
        raise AssertionError(f"{args}: exit {rc}: {err}")
    return json.loads(out)


def cents(text):
    if text is None:
        return None
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


class Page(html.parser.HTMLParser):
    """The page's tags, text, table headers (per table) and nesting errors."""
    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "rect", "line",
            "polygon"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.tags = [], [], [], set()
        self.tables, self.cur, self.in_th, self.attrs = [], None, False, {}

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.setdefault(tag, []).append(dict(attrs))
        if tag == "table":
            self.cur = []
            self.tables.append(self.cur)
        elif tag == "th":
            self.in_th, self.th = True, ""
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if tag == "th":
            self.in_th = False
            self.cur.append(self.th.strip())
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:]))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.in_th:
            self.th += data


def parse(text):
    p = Page()
    p.feed(text)
    p.close()
    return p


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg-report-")
        self.addCleanup(shutil.rmtree, self.tmp, True)


class CompanyLine(Base):
    """Finding 6 for `report`: a `company (not credited to a member)` line
    wherever the company's totals and its top teams' differ."""

    def team_rows(self, doc):
        return {r["subject"]: r for r in doc["team_kpis"]}

    def test_line_adds_up(self):
        att = jrun("attribute", SAMPLE)
        for period, frm, to in (("2025", "2025-01-01", "2025-12-31"),
                                ("2026-04", "2026-04-01", "2026-04-30"),
                                ("2026-03", "2026-03-01", "2026-03-31")):
            with self.subTest(period=period):
                doc = jrun("report", SAMPLE, "--period", period)
                line = doc["company_not_credited"]
                mine = [d for d in att["deals"] if d["reason"] == "company" and
                        frm <= d["day"] <= to]
                self.assertEqual(line["deal_count"], len(mine))
                self.assertEqual(cents(line["sales_amount"]),
                                 sum(cents(d["amount"]) for d in mine))
                rows = self.team_rows(doc)
                company, hq = rows["company"], rows["team:hq"]  # hq: the only top team
                for k in ("sales_amount", "gross_profit"):
                    self.assertEqual(cents(company[k]), cents(hq[k]) + cents(line[k]), k)
                self.assertEqual(company["deal_count"], hq["deal_count"] + line["deal_count"])
                rc, out, err = run("report", SAMPLE, "--period", period)
                self.assertEqual(rc, 0, err)
                team_text = out.split("\n\n")[0]
                shown = [l for l in team_text.splitlines()
                         if l.startswith("company (not credited to a member)")]
                if mine:
                    self.assertEqual(len(shown), 1, team_text)
                    self.assertIn(f"{cents(line['sales_amount']) // 100}.", shown[0])
                else:
                    self.assertEqual(shown, [])  # totals agree: no line
                rc, out, err = run("report", SAMPLE, "--period", period, "--format", "csv")
                rows = [r for r in csv.DictReader(io.StringIO(out))
                        if r["subject"] == "company (not credited to a member)"]
                self.assertEqual(len(rows), 1 if mine else 0)

    def test_not_visible(self):
        doc = jrun("report", SAMPLE, "--period", "2025", "--as", "m004")
        self.assertIsNone(doc["company_not_credited"])
        rc, out, err = run("report", SAMPLE, "--period", "2025", "--as", "m004")
        self.assertNotIn("company (not credited", out)


class OneCsv(Base):
    """Finding 5 for `report`: --format csv is one CSV table with a leading
    `section` column, not several tables in one stream."""

    def test_one_table(self):
        for period in ("2026-03", "2026-Q1", "2025"):
            with self.subTest(period=period):
                rc, out, err = run("report", SAMPLE, "--period", period, "--format", "csv")
                self.assertEqual(rc, 0, err)
                self.assertFalse([l for l in out.splitlines() if l.startswith("#")])
                rows = list(csv.reader(io.StringIO(out)))
                header = rows[0]
                self.assertEqual(header[0], "section")
                self.assertEqual(len(header), len(set(header)))
                self.assertEqual({len(r) for r in rows}, {len(header)})
                self.assertNotIn([], rows)
                doc = jrun("report", SAMPLE, "--period", period)
                got = {}
                for r in csv.DictReader(io.StringIO(out)):
                    got.setdefault(r["section"], []).append(r)
                monthly = ["scorecard"] if re.fullmatch(r"\d{4}-\d{2}", period) else []
                self.assertEqual(list(got), ["team_kpis", "member_kpis", "targets",
                                             "attribution", "notices", "tiers",
                                             "overdue_visits", "pay", "pay_sum"] + monthly)
                # every row of the JSON, value for value (the CSV adds the
                # company line and, for several months, the sum of all)
                for key, rows_ in got.items():
                    want = doc[key] if isinstance(doc[key], list) else [doc[key]]
                    extra = [r for r in rows_ if r.get("subject", "").startswith("company (")
                             or (key == "pay_sum" and r["month"] == "total")]
                    rows_ = [r for r in rows_ if r not in extra]
                    self.assertEqual(len(rows_), len(want), key)
                    for r, w in zip(rows_, want):
                        for k, v in w.items():
                            text = "" if v is None else ("true" if v is True else str(v))
                            if isinstance(v, float):
                                self.assertAlmostEqual(float(r[k]), v, places=6, msg=k)
                            else:
                                self.assertEqual(r[k], text, (key, k))


class PayEachMonth(Base):
    """Finding 8 for `report`: a period that is not one month shows the pay
    of each month it touches (pay is monthly), not nothing."""

    def check(self, period, months):
        doc = jrun("report", SAMPLE, "--period", period)
        self.assertEqual([s["month"] for s in doc["pay_sum"]], months)
        self.assertEqual(sorted({r["month"] for r in doc["pay"]}), months)
        for month, s in zip(months, doc["pay_sum"]):
            pay = jrun("pay", SAMPLE, "--period", month)["members"]
            rows = [r for r in doc["pay"] if r["month"] == month]
            self.assertEqual([r["member"] for r in rows], [p["member"] for p in pay])
            for r, p in zip(rows, pay):
                for k in ("monthly_score", "completion_rate", "commission", "total"):
                    self.assertEqual(r[k], p[k], (month, k))
            self.assertEqual(s["members"], len(pay))
            self.assertEqual(cents(s["total"]), sum(cents(p["total"]) for p in pay if p["total"]))
        rc, out, err = run("report", SAMPLE, "--period", period)
        self.assertEqual(rc, 0, err)
        self.assertIn("Pay (薪酬) is monthly: each month from %s to %s" % (months[0], months[-1]),
                      out)
        total = sum(cents(s["total"]) for s in doc["pay_sum"])
        last = [l for l in out.splitlines() if l.startswith("total ")][-1]
        self.assertTrue(last.endswith(" %d.%02d" % divmod(total, 100)), last)

    def test_quarter(self):
        self.check("2026-Q1", ["2026-01", "2026-02", "2026-03"])

    def test_range_and_year(self):
        self.check("2026-02-15..2026-03-10", ["2026-02", "2026-03"])
        doc = jrun("report", SAMPLE, "--period", "2025")
        self.assertEqual(len(doc["pay_sum"]), 12)

    def test_month_unchanged(self):
        doc = jrun("report", SAMPLE, "--period", "2026-03")
        self.assertIsInstance(doc["pay_sum"], dict)
        self.assertNotIn("month", doc["pay"][0])


class HtmlPage(Base):
    """The page: self-contained, charts, labels, glossary, print styles."""

    def page(self, *args, period="2025"):
        path = os.path.join(self.tmp, "r.html")
        rc, out, err = run("report", SAMPLE, "--period", period, "--html", path, *args)
        self.assertEqual(rc, 0, err)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def test_page(self):
        for lang, want in ((None, "zh-CN"), ("zh", "zh-CN"), ("en", "en")):
            with self.subTest(lang=lang):
                text = self.page(*(["--lang", lang] if lang else []))
                p = parse(text)
                self.assertEqual(p.errors, [])
                self.assertEqual(p.stack, [])
                self.assertTrue(text.startswith("<!DOCTYPE html>\n<html lang=\"%s\">" % want))
                self.assertNotIn("<script", text.lower())
                self.assertNotRegex(text, r"\b(src|href)=|@import|url\(")
                # inline SVG charts: attainment bars, reasons, the pyramid, visits
                self.assertGreaterEqual(text.count("<svg"), 5)
                self.assertIn("<polygon", text)
                # humanised headers, never snake_case
                heads = [h for t in p.tables for h in t]
                self.assertTrue(heads)
                self.assertEqual([h for h in heads if re.search(r"[a-z]_[a-z]", h)], [])
                shown = "".join(p.text)
                doc = jrun("report", SAMPLE, "--period", "2025")
                company = next(r for r in doc["team_kpis"] if r["subject"] == "company")
                whole, frac = company["sales_amount"].split(".")
                self.assertIn("{:,}.{}".format(int(whole), frac), shown)  # 81,450,149.94
                if want == "zh-CN":
                    for label in ("销售额", "完成率", "成交率", "客户级别", "指标说明",
                                  "公司（未归属成员）"):
                        self.assertIn(label, shown)
                    self.assertIn("可以超过 100%", shown)  # why a close rate can pass 100%
                else:
                    for label in ("Sales", "Completion", "Close rate", "Tier", "Glossary",
                                  "Company (not credited to a member)"):
                        self.assertIn(label, shown)
                    self.assertIn("It can pass 100%", shown)
                css = text[text.index("<style>"):text.index("</style>")]
                self.assertRegex(css, r"@page\s*\{[^}]*size:\s*A4 landscape")
                self.assertIn("@media print", css)

    def test_pay_of_each_month_on_the_page(self):
        text = self.page("--lang", "en", period="2026-Q1")
        shown = "".join(parse(text).text)
        for m in ("2026-01", "2026-02", "2026-03"):
            self.assertIn(m, shown)
        self.assertIn("Pay is monthly", shown)

    def test_written_atomically(self):
        path = os.path.join(self.tmp, "r.html")
        with open(path, "w") as f:
            f.write("old report")
        rc, out, err = run("report", SAMPLE, "--period", "2026-03", "--html", path)
        self.assertEqual(rc, 0, err)
        with open(path, encoding="utf-8") as f:
            good = f.read()
        self.assertTrue(good.startswith("<!DOCTYPE html>"))
        self.assertEqual(os.listdir(self.tmp), ["r.html"])  # no temporary file left
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o666 & ~self.umask())

        # a write that fails half way (a file size limit) leaves the
        # previous page as it was, and no temporary file
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        rc, out, err = run("report", SAMPLE, "--period", "2025", "--html", path, preexec=limit)
        self.assertEqual(rc, 3, err)
        self.assertIn("r.html", err)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), good)
        self.assertEqual(os.listdir(self.tmp), ["r.html"])
        # a folder in the way
        os.mkdir(os.path.join(self.tmp, "d.html"))
        rc, out, err = run("report", SAMPLE, "--period", "2026-03", "--html",
                           os.path.join(self.tmp, "d.html"))
        self.assertEqual(rc, 3, err)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["d.html", "r.html"])

    @staticmethod
    def umask():
        m = os.umask(0)
        os.umask(m)
        return m


TOOLS = ("chromium", "pdftotext", "pdfinfo")


@unittest.skipUnless(all(shutil.which(t) for t in TOOLS),
                     "needs chromium and poppler-utils (pdftotext, pdfinfo)")
class Printed(Base):
    """The page printed by headless Chromium: A4 landscape, and every column
    header of every table on the printed pages (none cut off)."""

    def chromium(self, url, *args):
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + os.path.join(self.tmp, "profile"), *args, url]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace")[-2000:])

    def render(self, name, *args, period):
        out = os.environ.get("SALESMGMT_SHOTS") or self.tmp
        os.makedirs(out, exist_ok=True)
        page = os.path.join(out, name + ".html")
        rc, _, err = run("report", SAMPLE, "--period", period, "--html", page, *args)
        self.assertEqual(rc, 0, err)
        pdf, png = os.path.join(out, name + ".pdf"), os.path.join(out, name + ".png")
        url = "file://" + os.path.abspath(page)
        self.chromium(url, "--print-to-pdf=" + pdf)
        self.chromium(url, "--screenshot=" + png, "--window-size=1280,2400",
                      "--hide-scrollbars")
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        with open(page, encoding="utf-8") as f:
            return parse(f.read()), pdf

    def check(self, name, *args, period):
        p, pdf = self.render(name, *args, period=period)
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        self.assertAlmostEqual(w, 841.89, delta=2)  # A4 landscape: 297 x 210 mm
        self.assertAlmostEqual(h, 595.28, delta=2)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE,
                              text=True).stdout
        # the tables are before the glossary, whose terms repeat some labels
        cut = text.rfind("指标说明" if "--lang" not in args else "Glossary")
        self.assertGreater(cut, 0)
        body = text[:cut]
        words = {}
        for table in p.tables:
            self.assertTrue(table)
            for head in table:
                for w in head.split():  # a header may wrap at its spaces
                    words[w] = words.get(w, 0) + 1
        # each word of a header is printed at least as often as the headers
        # use it: a column cut off at the page's edge loses its header
        missing = {w: (n, body.count(w)) for w, n in words.items() if body.count(w) < n}
        self.assertEqual(missing, {}, "headers not printed (wanted, printed)")
        return p

    def test_chinese(self):
        cjk = subprocess.run(["fc-list", ":lang=zh"], stdout=subprocess.PIPE,
                             text=True).stdout if shutil.which("fc-list") else ""
        if not cjk.strip():
            self.skipTest("no Chinese font (Debian: fonts-wqy-microhei)")
        p = self.check("report-zh", period="2025")
        self.assertIn("公司（未归属成员）", "".join(p.text))
        self.check("report-zh-month", period="2026-03")

    def test_english(self):
        self.check("report-en", "--lang", "en", period="2025")
        self.check("report-en-q1", "--lang", "en", period="2026-Q1")


if __name__ == "__main__":
    EXE, SAMPLE = sys.argv[1:3]
    del sys.argv[1:3]
    unittest.main(verbosity=1)
