#!/usr/bin/env python3
"""Every C snippet of README.md compiles as it is shown: each ```c block is
a translation unit (the README writes them as whole functions or programs),
compiled against the public headers with -Wall -Wextra -Werror, and linked
with the library when it has a main().

usage: check_readme.py README CC INCLUDE_DIR LIBRARY"""
import os
import re
import subprocess
import sys
import tempfile

readme, cc, inc, lib = sys.argv[1:5]
blocks = re.findall(r"```c\n(.*?)```", open(readme, encoding="utf-8").read(), flags=re.S)
if not blocks:
    print("no C snippet in the README")
    sys.exit(1)
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for i, code in enumerate(blocks, 1):
        src = os.path.join(tmp, f"snippet{i}.c")
        with open(src, "w", encoding="utf-8") as f:
            f.write(code)
        linked = re.search(r"\bint\s+main\s*\(", code) is not None
        cmd = [cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-Wno-unused-function",
               "-Wno-unused-parameter", "-I", inc, src]
        cmd += ["-o", os.path.join(tmp, f"snippet{i}"), lib] if linked else \
               ["-c", "-o", os.path.join(tmp, f"snippet{i}.o")]
        p = subprocess.run(cmd, capture_output=True, text=True)
        first = code.strip().splitlines()[0] if code.strip() else ""
        if p.returncode:
            failed += 1
            print(f"snippet {i} ({first!r}) does not compile:\n{p.stderr}")
        else:
            print(f"snippet {i} ({first!r}): {'compiled and linked' if linked else 'compiled'}")
print(f"{len(blocks) - failed} of {len(blocks)} snippets compile")
sys.exit(1 if failed else 0)
