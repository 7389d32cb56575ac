#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Under ZTEST_UNITTEST a system call is the test's own function; otherwise it is the wrapper.

Usage: check-unittest-syscall.py COMPILER [FLAG...] -- SOURCE
SOURCE defines zsys_add() itself. Compiled (-fsyntax-only) with -DZTEST_UNITTEST it must build;
without, the compiler must refuse the definition because the generated header already defines
zsys_add() as a static inline wrapper.
"""
import subprocess
import sys


def compile_(cmd, source, flags):
    return subprocess.run(cmd + flags + ["-fsyntax-only", source], capture_output=True,
                          text=True, timeout=120)


def main():
    sep = sys.argv.index("--")
    cmd, source = sys.argv[1:sep], sys.argv[sep + 1]
    failures = 0
    r = compile_(cmd, source, ["-DZTEST_UNITTEST"])
    if r.returncode != 0:
        failures += 1
        print(f"not ok: with ZTEST_UNITTEST the test's own definition does not build:\n{r.stderr}")
    r = compile_(cmd, source, [])
    # GCC and clang both call it a redefinition of the function.
    if r.returncode == 0 or "zsys_add" not in r.stderr or "redefinition of" not in r.stderr:
        failures += 1
        print(f"not ok: without ZTEST_UNITTEST: status {r.returncode}, no clash with the "
              f"wrapper:\n{r.stderr}")
    print("ok" if not failures else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
