#!/usr/bin/env python3
"""The sources' floors (docs/ARCHITECTURE.md): a file of src/<floor>/ includes
internal headers of its own floor and the floors below only —
base -> model -> engines, and io beside the engines (model and base only);
the command line (src/cli) includes no internal header at all.

usage: check_floors.py SRC_DIR"""
import os
import re
import sys

src = sys.argv[1]
below = {"base": {"base"}, "model": {"base", "model"},
         "engines": {"base", "model", "engines"}, "io": {"base", "model", "io"}, "cli": set()}
home = {}
for floor in below:
    d = os.path.join(src, floor)
    for f in os.listdir(d):
        if f.endswith(".h"):
            home[f] = floor
bad = 0
for floor, allowed in below.items():
    d = os.path.join(src, floor)
    for f in sorted(os.listdir(d)):
        if not f.endswith((".c", ".h")):
            continue
        for n, line in enumerate(open(os.path.join(d, f), encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"/]+)"', line)
            if not m or m.group(1) not in home or home[m.group(1)] == floor:
                continue
            if home[m.group(1)] not in allowed:
                print(f"src/{floor}/{f}:{n}: includes {m.group(1)} of src/{home[m.group(1)]}/")
                bad += 1
print(f"{bad} include(s) across floors")
sys.exit(1 if bad else 0)
