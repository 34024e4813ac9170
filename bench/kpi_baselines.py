#!/usr/bin/env python3
"""KPI benchmark driver and baselines (python3 stdlib + Debian python3-pandas).

    python3 bench/kpi_baselines.py --bench build/bench/bench_kpi \
        --gen build/tools/gen/salesmgmt-gen --out build/bench/kpi \
        [--members 2000 --customers 1000000 --events 10000000 --seed 1] [--dataset DIR]

1. Makes a salesmgmt-gen dataset (or takes --dataset DIR).
2. Runs bench_kpi on it: the library computes every KPI for every member,
   team and the company for each month of the last year (timed: one
   smg_kpi_compute_many call, and twelve smg_kpi_compute calls, reading the
   log; and one call reading the month index, whose build is timed apart), and
   writes the credited deals, visits, receptions and expenses (facts.csv)
   and its own member figures (lib.csv).
3. Computes the same six figures per member and month with SQLite (Python's
   built-in sqlite3, in memory; a covering index, its build timed apart;
   one GROUP BY query per month) and with pandas (one filter + groupby per
   month): sales_amount, deal_count, gross_profit (credited deals),
   visit_count, reception_count (non-duty), expense_amount.
4. Checks that all three agree exactly, and prints the times, the ratios
   SQLite/library and pandas/library, ns per event of the library's
   aggregation pass and peak memory per event.

Exit status: 0 when the three agree, 1 when they do not, 2 on a usage or
run error.
"""
import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import time

try:
    import numpy as np
    import pandas as pd
except ImportError:  # Debian's pandas belongs to the system python
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3") and not os.environ.get("KPI_BASELINES_REEXEC"):
        os.environ["KPI_BASELINES_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("kpi_baselines: pandas is missing: apt-get install python3-pandas")

FIGURES = ["sales_amount", "deal_count", "gross_profit", "visit_count", "reception_count",
           "expense_amount"]
KIND_DEAL, KIND_VISIT, KIND_RECEPTION, KIND_EXPENSE = 1, 2, 3, 4


def make_dataset(args):
    if args.dataset:
        return args.dataset
    data = os.path.join(args.out, "data")
    stamp = os.path.join(data, ".params")
    want = f"{args.members} {args.customers} {args.events} {args.seed}"
    if os.path.exists(stamp) and open(stamp).read() == want:
        return data
    if not args.gen:
        sys.exit("kpi_baselines: give --dataset DIR or --gen PROGRAM")
    t = time.perf_counter()
    subprocess.run([args.gen, "--out", data, "--members", str(args.members),
                    "--customers", str(args.customers), "--events", str(args.events),
                    "--seed", str(args.seed)], check=True)
    with open(stamp, "w") as f:
        f.write(want)
    print(f"gen: {time.perf_counter() - t:.1f} s", flush=True)
    return data


def read_lib(path):
    out = {}
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            v = tuple(int(x) for x in row[2:])
            if any(v):
                out[(int(row[0]), int(row[1]))] = v
    return out


def run_sqlite(facts, months):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE facts(member INTEGER, month INTEGER, kind INTEGER, "
               "amount INTEGER, cost INTEGER, duty INTEGER)")
    t = time.perf_counter()
    with open(facts, newline="") as f:
        r = csv.reader(f)
        next(r)
        db.executemany("INSERT INTO facts VALUES (?,?,?,?,?,?)",
                       ((int(a), int(b), int(c), int(d), int(e), int(g))
                        for a, b, c, d, e, g in r))
    db.commit()
    load = time.perf_counter() - t
    query = ("SELECT member, "
             f"SUM(CASE WHEN kind = {KIND_DEAL} THEN amount ELSE 0 END), "
             f"SUM(kind = {KIND_DEAL}), "
             f"SUM(CASE WHEN kind = {KIND_DEAL} THEN amount - cost ELSE 0 END), "
             f"SUM(kind = {KIND_VISIT}), "
             f"SUM(kind = {KIND_RECEPTION} AND duty = 0), "
             f"SUM(CASE WHEN kind = {KIND_EXPENSE} THEN amount ELSE 0 END) "
             "FROM facts WHERE month = ? AND member >= 0 GROUP BY member")

    def all_months():
        res = {}
        for m in months:
            for row in db.execute(query, (m,)):
                v = tuple(int(x) for x in row[1:])
                if any(v):
                    res[(int(row[0]), m)] = v
        return res

    t = time.perf_counter()
    all_months()
    scan = time.perf_counter() - t  # no index: a full scan per month
    t = time.perf_counter()
    db.execute("CREATE INDEX facts_cover ON facts(month, member, kind, duty, amount, cost)")
    index = time.perf_counter() - t
    plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + query, (months[0],)))
    best, res = None, None
    for _ in range(3):
        t = time.perf_counter()
        res = all_months()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    db.close()
    return res, {"load_s": load, "index_s": index, "query_s": best, "query_noindex_s": scan,
                 "plan": plan}


def run_pandas(facts, months):
    t = time.perf_counter()
    df = pd.read_csv(facts, dtype="int64")
    load = time.perf_counter() - t

    def all_months():
        res = {}
        for m in months:
            sub = df[(df["month"].values == m) & (df["member"].values >= 0)]
            kind = sub["kind"].values
            amount = sub["amount"].values
            deal = kind == KIND_DEAL
            frame = pd.DataFrame({
                "member": sub["member"].values,
                "sales_amount": np.where(deal, amount, 0),
                "deal_count": deal.astype("int64"),
                "gross_profit": np.where(deal, amount - sub["cost"].values, 0),
                "visit_count": (kind == KIND_VISIT).astype("int64"),
                "reception_count": ((kind == KIND_RECEPTION) &
                                    (sub["duty"].values == 0)).astype("int64"),
                "expense_amount": np.where(kind == KIND_EXPENSE, amount, 0),
            })
            g = frame.groupby("member", sort=False)[FIGURES].sum()
            for member, row in zip(g.index.values, g.values):
                v = tuple(int(x) for x in row)
                if any(v):
                    res[(int(member), m)] = v
        return res

    best, res = None, None
    for _ in range(3):
        t = time.perf_counter()
        res = all_months()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return res, {"load_s": load, "query_s": best, "rows": len(df)}


def compare(name, got, want):
    bad = [k for k in set(got) | set(want) if got.get(k) != want.get(k)]
    for k in sorted(bad)[:5]:
        print(f"  {name} differs at member {k[0]} month {k[1]}: {got.get(k)} vs library "
              f"{want.get(k)}")
    return len(bad)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True, help="the bench_kpi program")
    ap.add_argument("--gen", help="the salesmgmt-gen program (tools/gen)")
    ap.add_argument("--dataset", help="an existing gen dataset instead of making one")
    ap.add_argument("--out", required=True, help="working folder")
    ap.add_argument("--members", type=int, default=2000)
    ap.add_argument("--customers", type=int, default=1000000)
    ap.add_argument("--events", type=int, default=10000000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--year", type=int)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    data = make_dataset(args)
    cmd = [args.bench, data, args.out] + ([str(args.year)] if args.year else [])
    if subprocess.run(cmd).returncode != 0:
        sys.exit(2)
    lib = json.load(open(os.path.join(args.out, "lib.json")))
    year = lib["year"]
    months = [year * 100 + m for m in range(1, 13)]
    facts = os.path.join(args.out, "facts.csv")
    lib_res = read_lib(os.path.join(args.out, "lib.csv"))
    sq_res, sq = run_sqlite(facts, months)
    pd_res, pdt = run_pandas(facts, months)
    bad = compare("sqlite", sq_res, lib_res) + compare("pandas", pd_res, lib_res)

    L = lib["kpi_many_s"]      # the twelve months in one call (one pass)
    L12 = lib["kpi_total_s"]   # twelve calls (a pass each)
    LI = lib["kpi_index_many_s"]  # the twelve months from the month index
    n = lib["events"]
    summary = {
        "library": lib, "sqlite": sq, "pandas": pdt,
        "ratio_sqlite_over_library_index": sq["query_s"] / LI,
        "ratio_pandas_over_library_index": pdt["query_s"] / LI,
        "ratio_sqlite_over_library": sq["query_s"] / L,
        "ratio_pandas_over_library": pdt["query_s"] / L,
        "ratio_sqlite_over_library_12_calls": sq["query_s"] / L12,
        "ratio_pandas_over_library_12_calls": pdt["query_s"] / L12,
        "agree": bad == 0, "member_months_compared": len(lib_res),
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)

    print()
    print(f"dataset: {n} events, {lib['members']} members, {lib['teams']} teams, "
          f"{lib['keys']} attribution keys, {lib['deals']} deals; year {year}")
    print(f"library: attribution {lib['attribution_s']:.3f} s (once, not counted below)")
    print(f"         every KPI ({lib['rows_per_month']} rows: members, teams, company) for the "
          f"12 months: one smg_kpi_compute_many call {L * 1e3:.1f} ms "
          f"({lib['ns_per_event_many']:.2f} ns per event of the log, one pass); "
          f"12 smg_kpi_compute calls {L12 * 1e3:.1f} ms ({lib['ns_per_scanned_event']:.2f} ns "
          f"per event read, each pass reading the log from its start)")
    print(f"         the year {year} as one period: {lib['kpi_year_s'] * 1e3:.1f} ms, "
          f"{lib['ns_per_event_year']:.2f} ns per event")
    print(f"         peak RSS {lib['maxrss_bytes'] / 2**20:.0f} MiB = "
          f"{lib['maxrss_bytes_per_event']:.0f} bytes per event (whole process: loader, org, "
          f"attribution, KPIs); the library holds the org in "
          f"{lib['org_bytes_per_event']:.1f} bytes per event and the attribution result in "
          f"{lib['attribution_bytes_per_event']:.1f}; the 12-month computation allocates at most "
          f"{lib['kpi_many_peak_alloc_bytes'] / n:.2f} bytes per event, one month "
          f"{lib['kpi_peak_alloc_bytes_per_event']:.2f}")
    print(f"         month index (smg_kpi_index_build: one pass over the whole log) "
          f"{lib['index_build_s'] * 1e3:.1f} ms = {lib['ns_per_event_index_build']:.2f} ns per "
          f"event, {lib['index_bytes'] / n:.2f} bytes per event kept; the 12 months from it "
          f"{LI * 1e3:.1f} ms ({lib['index_figures_compared']} figures checked equal to the "
          f"log's)")
    print(f"sqlite:  {sq['load_s']:.2f} s load, {sq['index_s']:.2f} s covering index; "
          f"12 GROUP BY queries {sq['query_s'] * 1e3:.1f} ms (no index: "
          f"{sq['query_noindex_s'] * 1e3:.1f} ms); plan: {sq['plan']}")
    print(f"pandas:  {pdt['load_s']:.2f} s read_csv; 12 filter+groupby "
          f"{pdt['query_s'] * 1e3:.1f} ms")
    print(f"ratio:   with indexes on both sides (SQLite's covering index, the library's "
          f"month index; builds timed apart): SQLite/library {sq['query_s'] / LI:.1f}x, "
          f"pandas/library {pdt['query_s'] / LI:.1f}x")
    print(f"         from the raw log: SQLite/library {sq['query_s'] / L:.1f}x, pandas/library "
          f"{pdt['query_s'] / L:.1f}x (library: one call); with 12 library calls "
          f"{sq['query_s'] / L12:.1f}x and {pdt['query_s'] / L12:.1f}x. The baselines compute 6 "
          f"figures per member from a prepared table of the relevant rows; the library all "
          f"23 KPIs per member, team and the company from the raw log")
    print(f"agree:   {'yes' if bad == 0 else 'NO'} ({len(lib_res)} member-months with "
          f"figures, 6 figures each, exact integers)")
    sys.exit(0 if bad == 0 else 1)


if __name__ == "__main__":
    main()
