#!/usr/bin/env python3
"""The exported symbols of the shared library, the version script and the
SMG_API declarations of the headers are one and the same set, and every one
starts with smg_ (libxkbcommon's symbols-leak-test, curl's test 1119)."""
import os
import re
import subprocess
import sys

lib, mapfile, inc = sys.argv[1:4]

out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True,
                     text=True, check=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 3 and parts[1] in "TDBRVW":
        name = parts[2].split("@")[0]
        if name.startswith("SALESMGMT_"):  # version node definitions
            continue
        exported.add(name)

text = re.sub(r"/\*.*?\*/", "", open(mapfile).read(), flags=re.S)
mapped = set(re.findall(r"^\s*(smg_\w+)\s*;", text, flags=re.M))
# the first node (0.2.0, the frozen base) hides everything else; each later
# release is a node of its own that inherits from the one before
nodes = re.findall(r"(SALESMGMT_[\d.]+)\s*\{(.*?)\}\s*(SALESMGMT_[\d.]+)?\s*;", text, flags=re.S)
if not nodes or not re.search(r"local:\s*\*;", nodes[0][1]):
    print("version script: the first node does not end with 'local: *;'")
    sys.exit(1)
for (prev, _, _), (name, body, parent) in zip(nodes, nodes[1:]):
    if parent != prev or "local:" in body:
        print(f"version script: node {name} must inherit {prev} and hide nothing itself")
        sys.exit(1)

declared = set()
for root, _, files in os.walk(inc):
    for f in files:
        if f.endswith(".h"):
            src = open(os.path.join(root, f), encoding="utf-8").read()
            src = re.sub(r"#\s*define[^\n]*", "", src)  # the macro's own definition
            for m in re.finditer(r"SMG_API\s+[^;{]*?\b(\w+)\s*\(", src):
                declared.add(m.group(1))

bad = False
for name in sorted(exported):
    if not name.startswith("smg_"):
        print(f"exported without the smg_ prefix: {name}")
        bad = True
for a, an, b, bn in ((exported, "exported", mapped, "in the version script"),
                     (mapped, "in the version script", declared, "declared SMG_API"),
                     (declared, "declared SMG_API", exported, "exported")):
    for name in sorted(a - b):
        print(f"{name}: {an} but not {bn}")
        bad = True
print(f"{len(exported)} exported, {len(mapped)} in the map, {len(declared)} declared")
sys.exit(1 if bad else 0)
