#!/usr/bin/env python3
"""Every public header compiles alone, as C99 and as C++, with
-Wall -Wextra -pedantic -Werror (libgit2's headertest)."""
import os
import shutil
import subprocess
import sys
import tempfile

inc = sys.argv[1]
cc = sys.argv[2] if len(sys.argv) > 2 else "cc"
cxx = shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
headers = ["salesmgmt.h"] + sorted(
    "salesmgmt/" + h for h in os.listdir(os.path.join(inc, "salesmgmt")) if h.endswith(".h"))
flags = ["-Wall", "-Wextra", "-pedantic", "-Werror", "-I", inc, "-c", "-o", os.devnull]
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for h in headers:
        for lang, compiler, std, ext in (("C99", cc, "-std=c99", ".c"),
                                         ("C++", cxx, "-std=c++11", ".cpp")):
            if compiler is None:
                print(f"SKIP {h} as {lang}: no compiler")
                continue
            src = os.path.join(tmp, "t" + ext)
            with open(src, "w") as f:
                # include twice: the include guard must hold
                f.write(f'#include "{h}"\n#include "{h}"\nint smg_headertest_dummy;\n')
            r = subprocess.run([compiler, std] + flags + [src], capture_output=True, text=True)
            if r.returncode:
                failed += 1
                print(f"FAIL {h} as {lang}:\n{r.stderr}")
            else:
                print(f"ok   {h} as {lang}")
print(f"{len(headers)} headers, {failed} failures")
sys.exit(1 if failed else 0)
