#!/usr/bin/env python3
"""The ABI may only grow: compare the built library with the committed
baseline (abi/salesmgmt.abi, made by abidw) using abidiff from Debian's
abigail-tools, as DPDK and wxWidgets do in CI. Added functions and
variables pass; anything removed or changed fails, printing abidiff's
report. A deliberate change (a new options version) commits a new baseline:

    abidw --no-corpus-path --headers-dir include/salesmgmt \
        build/libsalesmgmt.so.0 > abi/salesmgmt.abi

usage: check_abi.py LIBRARY BASELINE HEADERS_DIR [SUPPRESSIONS]

SUPPRESSIONS (abi/suppressions.abignore) leaves out the opaque handles'
layouts: they are defined under src/, not in the public headers.
Exit 77 (skipped) when abidiff is not installed."""
import os
import re
import shutil
import subprocess
import sys

lib, baseline, headers = sys.argv[1:4]
suppressions = sys.argv[4] if len(sys.argv) > 4 else None
if not shutil.which("abidiff"):
    print("abidiff not found (Debian package abigail-tools): skipped")
    sys.exit(77)
cmd = ["abidiff", "--headers-dir2", headers]
if suppressions:
    cmd += ["--suppressions", suppressions]
p = subprocess.run(cmd + [baseline, lib], capture_output=True, text=True)
report = p.stdout + p.stderr
ABIDIFF_ERROR, ABIDIFF_USAGE_ERROR, ABIDIFF_ABI_CHANGE, ABIDIFF_INCOMPATIBLE = 1, 2, 4, 8
if p.returncode & (ABIDIFF_ERROR | ABIDIFF_USAGE_ERROR):
    print(report)
    print("abidiff failed to run")
    sys.exit(1)
# The summary lines read "Functions changes summary: R Removed, C Changed, A Added ..."
bad = []
for m in re.finditer(r"^(Functions|Variables) changes summary: (\d+) Removed, (\d+) Changed"
                     r"(?: \(\d+ filtered out\))?, (\d+) Added", report, flags=re.M):
    kind, removed, changed, added = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if removed or changed:
        bad.append(f"{kind}: {removed} removed, {changed} changed")
for m in re.finditer(r"^Function symbols changes summary: (\d+) Removed", report, flags=re.M):
    if int(m.group(1)):
        bad.append(f"{m.group(1)} function symbols removed")
if p.returncode & ABIDIFF_INCOMPATIBLE:
    bad.append("abidiff reports an incompatible change")
if bad:
    print(report)
    print("ABI break against the baseline: " + "; ".join(bad))
    sys.exit(1)
print(report.strip() or "no ABI change")
print("ABI compatible with the baseline")
