"""The scorecard of RULES.md §6 worked out from a dataset's CSV files, without
the library: the tests of `salesmgmt scorecard` and `salesmgmt pay` compare
the program with it. python3 standard library only.

    card = Scorecard("examples/data")
    card.month(2026, 3) -> {member_id: {"work_score": Fraction, "source": "given" |
        "scorecard" | "none", "card": Fraction or None, "items": [{"item", "score",
        "faults", "missed", "doubled"}, ...]}}
"""
import csv
import datetime
import os
import re
from fractions import Fraction as F

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ROLES = ["rep", "leader", "supervisor", "manager", "director"]


def _read(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def parse_time(s):
    """A datetime from the forms DATASET.md accepts."""
    s = s.strip()
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d\d)(?::(\d\d))?)?", s)
    if not m:
        raise ValueError(s)
    y, mo, d, hh, mm, ss = m.groups()
    return datetime.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))


def parse_date(s):
    return parse_time(s).date() if s else None


def days_in_month(y, m):
    nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - datetime.date(y, m, 1)).days


def prev_month(y, m):
    return (y - 1, 12) if m == 1 else (y, m - 1)


class Scorecard:
    def __init__(self, d):
        self.members = {m["member_id"]: m for m in _read(os.path.join(d, "members.csv"))}
        self.order = [m["member_id"] for m in _read(os.path.join(d, "members.csv"))]
        self.items = {}
        self.ids = []
        for r in _read(os.path.join(d, "scorecard.csv")):
            due = r.get("due") or ""
            kind, day = None, None
            if due.startswith("monthly:"):
                kind, day = "monthly", int(due[8:])
            elif due.startswith("weekly:"):
                kind, day = "weekly", WEEKDAYS.index(due[7:])
            self.items[r["item"]] = {
                "parent": r.get("parent") or None,
                "points": F(r["points"]),
                "deduct": F(r["deduct"]) if r.get("deduct") else None,
                "roles": set(r["roles"].split(";")) if r.get("roles") else set(ROLES),
                "due": (kind, day),
            }
            self.ids.append(r["item"])
        self.children = {k: [c for c in self.ids if self.items[c]["parent"] == k]
                         for k in self.ids}
        events = _read(os.path.join(d, "events.csv"))
        # processing order: time, then input order
        order = sorted(range(len(events)), key=lambda i: (parse_time(events[i]["at"]), i))
        self.events = [dict(events[i], _t=parse_time(events[i]["at"])) for i in order]
        self.by = {}  # (member, item) -> its fault and submit events
        for e in self.events:
            if e["type"] in ("fault", "submit"):
                self.by.setdefault((e["member"], e["ref"]), []).append(e)

    def applies(self, k, role):
        while k:
            if role not in self.items[k]["roles"]:
                return False
            k = self.items[k]["parent"]
        return True

    def preorder(self):
        out = []

        def walk(k, depth):
            out.append((k, depth))
            for c in self.children[k]:
                walk(c, depth + 1)
        for k in self.ids:
            if not self.items[k]["parent"]:
                walk(k, 0)
        return out

    def employed(self, m, first, last):
        mem = self.members[m]
        s, e = parse_date(mem.get("start_date")), parse_date(mem.get("end_date"))
        return (s is None or s <= last) and (e is None or e >= first)

    def cycles(self, k, y, mo):
        """(cycle start, due day) of item k's cycles counted in month y-mo."""
        kind, day = self.items[k]["due"]
        first = datetime.date(y, mo, 1)
        if kind == "monthly":
            return [(first, datetime.date(y, mo, min(day, days_in_month(y, mo))))]
        if kind == "weekly":
            out = []
            for i in range(days_in_month(y, mo)):
                d = first + datetime.timedelta(days=i)
                if d.weekday() == day:
                    out.append((d - datetime.timedelta(days=day), d))
            return out
        return []

    def faults(self, m, k, y, mo):
        """(faults, missed deadlines) of member m on item k in month y-mo."""
        n = 0
        mine = self.by.get((m, k), [])
        for e in mine:
            if e["type"] == "fault" and (e["_t"].year, e["_t"].month) == (y, mo):
                n += int(F(e["value"])) if e.get("value") else 1
        missed = 0
        for start, due in self.cycles(k, y, mo):
            if not self.employed(m, due, due):
                continue
            lo = datetime.datetime.combine(start, datetime.time())
            hi = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time())
            if not any(e["type"] == "submit" and lo <= e["_t"] < hi for e in mine):
                missed += 1
        return n + missed, missed

    def month(self, y, mo):
        first = datetime.date(y, mo, 1)
        last = datetime.date(y, mo, days_in_month(y, mo))
        given = {}
        for e in self.events:
            if e["type"] == "work_score" and first <= e["_t"].date() <= last:
                given[e["member"]] = F(e["value"])  # the latest counts
        py, pm = prev_month(y, mo)
        tree = self.preorder()
        out = {}
        for m in self.order:
            role = self.members[m].get("role") or "rep"
            mine = [(k, depth) for k, depth in tree if self.applies(k, role)]
            card, items = None, []
            if mine and self.employed(m, first, last):
                score, info = {}, {}
                for k, depth in reversed(mine):
                    it = self.items[k]
                    f, missed = self.faults(m, k, y, mo)
                    doubled = False
                    if self.children[k]:
                        kids = sum(score[c] for c in self.children[k] if c in score)
                        v = F(0) if f else min(it["points"], kids)
                    elif it["deduct"] is None:
                        v = F(0) if f else it["points"]
                    else:
                        pf = self.faults(m, k, py, pm)[0]
                        mult = 2 if pf else 1
                        doubled = bool(f and pf)
                        v = max(F(0), it["points"] - it["deduct"] * f * mult)
                    score[k] = v
                    info[k] = {"item": k, "score": v, "faults": f, "missed": missed,
                               "doubled": doubled, "depth": depth}
                card = min(F(100), sum(score[k] for k, d in mine if not self.items[k]["parent"]))
                items = [info[k] for k, d in mine]
            if m in given:
                work, source = given[m], "given"
            elif card is not None:
                work, source = card, "scorecard"
            else:
                work, source = F(0), "none"
            out[m] = {"work_score": work, "source": source, "card": card, "items": items}
        return out
