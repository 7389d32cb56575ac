#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the ztest host filter.c with a command line (-test=, -list) and check what ran.

Usage: check-ztest-filter.py CASE SOURCE PROGRAM

CASE names a command line below. The suites and cases are read from SOURCE (filter.c's
ZTEST_SUITE() and ZTEST*() definitions), the selection is computed here from the patterns with
Zephyr's rules (SUITE::TEST, SUITE::*, SUITE; names compare exactly), and the expected output
is built from that: each selected suite's predicate, setup, cases and teardown in run order
(suites and cases in name order), the report lines as check-ztest.py writes them, the cases
that did not run shown as skipped in the summary, and the exit status. Every line of standard
output that is a report line, a -list line or one of filter.c's notes must be the expected one.

In a cross build, Meson puts the exe wrapper (qemu) in MESON_EXE_WRAPPER.
"""
import importlib.util
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_ztest", os.path.join(HERE, "check-ztest.py"))
ck = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ck)

# name: (arguments, status, text standard error must have)
CASES = {
    "all": ([], 0, None),
    "one": (["-test=beta::test_other"], 0, None),
    "suite": (["-test=alpha::*"], 0, None),
    "two": (["-test=gamma::test_add,alpha::test_check"], 0, None),
    "bare": (["--test=beta"], 0, None),
    "none": (["-test=alpha::test_missing"], 0, "'alpha::test_missing' selects no test"),
    "list": (["-list"], 0, None),
    "bad": (["-test=alpha::"], 2, "each comma-separated pattern must be"),
    "bad-empty": (["-test=alpha::*,"], 2, "each comma-separated pattern must be"),
    "bad-colon": (["-test=alpha:test_add"], 2, "each comma-separated pattern must be"),
    "unknown": (["-tests=alpha::*"], 2, "unknown option '-tests=alpha::*'"),
}

NOTE = re.compile(r"^(RAN|SETUP|TEARDOWN|PREDICATE) ")
LISTED = re.compile(r"^\w+::\w+$")
SUITE_DEF = re.compile(r"^ZTEST_SUITE\((\w+),\s*(\w+),\s*(\w+),\s*(\w+),\s*(\w+),\s*(\w+)\);", re.M)
CASE_DEF = re.compile(r"^ZTEST(?:_F|_USER|_USER_F)?\((\w+),\s*(\w+)\)", re.M)


def declared(source):
    """{suite: (has predicate, has setup, has teardown, [cases in name order])}."""
    text = open(source).read()
    suites = {}
    for m in SUITE_DEF.finditer(text):
        name, pred, setup, _before, _after, teardown = m.groups()
        suites[name] = (pred != "NULL", setup != "NULL", teardown != "NULL", [])
    for m in CASE_DEF.finditer(text):
        suites[m.group(1)][3].append(m.group(2))
    for s in suites.values():
        s[3].sort()
    return dict(sorted(suites.items()))


def selected(args, suite, case):
    """Whether the command line selects suite::case, by Zephyr's rules."""
    tests = [a.split("=", 1)[1] for a in args if a.lstrip("-").startswith("test=")]
    if not tests:
        return True
    for pattern in tests[-1].split(","):
        s, _, t = pattern.partition("::")
        if s == suite and t in ("", "*", case):
            return True
    return False


def expected(args, status, suites):
    listing = "-list" in args
    lines = []
    if status != 0:
        return lines  # a wrong command line: nothing runs, no report
    if listing:
        lines += [f"{s}::{c}" for s, d in suites.items() for c in d[3]]
    results = {}
    for name, (pred, setup, teardown, cases) in suites.items():
        chosen = [c for c in cases if selected(args, name, c)] if not listing else []
        results[name] = [(c, "PASS" if c in chosen else "SKIP") for c in cases]
        if not chosen:
            continue  # neither predicate nor setup runs
        lines += [f"PREDICATE {name}"] if pred else []
        lines += [f"Running TESTSUITE {name}", ck.LINE]
        lines += [f"SETUP {name}"] if setup else []
        for c in chosen:
            lines += [f"START - {c}", f"RAN {name}::{c}", f" PASS - {c} in N seconds", ck.LINE]
        lines += [f"TESTSUITE {name} succeeded"]
        lines += [f"TEARDOWN {name}"] if teardown else []
    return lines + ck.summary(list(results.items()), "SUCCESSFUL")


def main():
    case, source, prog = sys.argv[1:4]
    args, status, said = CASES[case]
    suites = declared(source)
    if sum(len(d[3]) for d in suites.values()) < 6:
        print(f"check-ztest-filter: {source}: too few cases read", file=sys.stderr)
        return 1
    want = expected(args, status, suites)
    cmd = shlex.split(os.environ.get("MESON_EXE_WRAPPER", "")) + [prog] + args
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    sys.stderr.write(f"[stdout]\n{run.stdout}[stderr]\n{run.stderr}[exit {run.returncode}]\n")
    got = [ck.SECONDS.sub("N seconds", ln) for ln in run.stdout.splitlines()
           if ck.REPORT.match(ln) or NOTE.match(ln) or LISTED.match(ln)]
    errors = [] if got == want else [ck.first_difference(got, want)]
    if run.returncode != status:
        errors.append(f"exit status {run.returncode}, wanted {status}")
    if said and said not in run.stderr:
        errors.append(f"standard error lacks {said!r}")
    for e in errors:
        print(f"check-ztest-filter: {case}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
