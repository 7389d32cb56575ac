#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a ztest host (passing.c, failing.c or llext_suite.c) and check its report as Zephyr tooling reads it.

Usage: check-ztest.py passing|failing|bail|llext|llext-broken PROGRAM

The report lines of standard output (START, PASS/FAIL/SKIP, Running TESTSUITE, TESTSUITE ...,
the summary, the separators and PROJECT EXECUTION ...) must be exactly the ones expected, in
order, durations aside; other output (printk, " at test function") may come between them. The
expected lines are written here from the test sources' definitions, not from a run.

In a cross build, Meson puts the exe wrapper (qemu) in MESON_EXE_WRAPPER.
"""
import os
import re
import shlex
import subprocess
import sys

LINE = "=" * 67
REPORT = re.compile(
    r"^(START - |\s(PASS|FAIL|SKIP) - |Running TESTSUITE |TESTSUITE |SUITE |\s- (PASS|FAIL|SKIP|FLAKY)"
    r" - \[|={67}$|------ TESTSUITE |PROJECT EXECUTION |\sERROR: )"
)
SECONDS = re.compile(r"\d+\.\d{3} seconds")


def case(name, result):
    return [f"START - {name}", f" {result} - {name} in N seconds", LINE]


def suite(name, cases, verdict=None):
    """The lines of one suite run: its cases (name, result) in order, then its verdict."""
    lines = [f"Running TESTSUITE {name}", LINE]
    for c, r in cases:
        lines += case(c, r)
    if verdict is None:
        verdict = "failed." if any(r == "FAIL" for _, r in cases) else "succeeded"
    return lines + [f"TESTSUITE {name} {verdict}"]


def summary_line(name, cases):
    """SUITE ...: Zephyr's counts and pass rate (of the cases that were not skipped)."""
    n_pass = sum(r == "PASS" for _, r in cases)
    n_fail = sum(r == "FAIL" for _, r in cases)
    n_skip = sum(r == "SKIP" for _, r in cases)
    total = len(cases)
    if n_skip == total:
        result, rate = "SKIP", 0.0
    else:
        result = "FAIL" if n_fail else "PASS"
        rate = 100.0 * n_pass / (total - n_skip)
    return (
        f"SUITE {result} - {rate:6.2f}% [{name}]: pass = {n_pass}, fail = {n_fail}, "
        f"skip = {n_skip}, total = {total} duration = N seconds"
    )


def summary(suites, verdict):
    lines = ["------ TESTSUITE SUMMARY START ------"]
    for name, cases in suites:
        lines.append(summary_line(name, cases))
        lines += [f" - {r} - [{name}.{c}] duration = N seconds" for c, r in cases]
    return lines + ["------ TESTSUITE SUMMARY END ------", LINE, f"PROJECT EXECUTION {verdict}"]


def passing():
    fixture = [
        ("test_a_fixture", "PASS"),
        ("test_b_extension", "PASS"),
        ("test_c_skip", "SKIP"),
        ("test_d_assume", "SKIP"),
        ("test_e_ext_assume", "SKIP"),
        ("test_f_pass_early", "PASS"),
        ("test_g_ext_pass", "PASS"),
        ("test_h_ext_assert", "PASS"),  # expected to fail, and fails
        ("test_i_expect", "PASS"),  # the same
        ("test_j_user", "PASS"),
    ]
    never = [("test_never", "SKIP")]  # never ran: its predicate said no
    skipped = [("test_skipped", "SKIP")]  # its setup skipped the suite
    check = [("test_order", "PASS"), ("test_outcomes", "PASS"), ("test_rules", "PASS")]
    lines = suite("fixture_suite", fixture) + suite("skipped_setup", skipped)
    lines += suite("zz_check", check)
    lines += summary([("fixture_suite", fixture), ("never_suite", never),
                      ("skipped_setup", skipped), ("zz_check", check)], "SUCCESSFUL")
    return lines, 0, [], ["BODY RAN"]


def failing():
    broken = [
        ("test_assert", "FAIL"),
        ("test_expect", "FAIL"),
        ("test_ext_assert", "FAIL"),
        ("test_ext_fail", "FAIL"),
        ("test_fail", "FAIL"),
        ("test_passes", "PASS"),
        ("test_skips", "SKIP"),
        ("test_thread", "FAIL"),
        ("test_unexpected_pass", "FAIL"),
    ]
    setup = [("test_one", "FAIL"), ("test_two", "FAIL")]
    check = [("test_after_ran", "PASS")]
    lines = suite("broken", broken) + suite("broken_setup", setup) + suite("zz_check", check)
    lines += summary([("broken", broken), ("broken_setup", setup), ("zz_check", check)],
                     "FAILED")
    # What each failed check said, on standard error.
    said = ["one is not two", "three is not four", "extension got 5 and 6", "setup fails",
            "ztest_test_fail() called", "on another thread"]
    return lines, 1, said, ["BODY RAN"]


def bail():
    lines = ["Running TESTSUITE bail", LINE, "START - test_first",
             " ERROR: cannot fail in test phase 'after()', bailing", "TESTSUITE crashed."]
    # The report still comes. Neither case finished, so neither was counted: both show as
    # skipped, as in Zephyr's report of a crashed run; the verdict says what happened.
    lines += summary([("bail", [("test_first", "SKIP"), ("test_second", "SKIP")])], "FAILED")
    return lines, 2, ["after may not fail"], ["BODY RAN", "START - test_second"]


def llext_cases(broken):
    """llext_suite.c's suite llext: each extension's case through each loader, in name order."""
    names = [f"test_{n}_{how}" for n in ("hello_world", "syscall", "syscall_weak",
                                         "syscall_missing", "inspect", "rodata_no_reloc",
                                         "export_dependency") for how in ("file", "buffer")]
    names += ["test_export_dependency_missing", "test_syscall_exports", "test_printk_exported"]
    failed = {"test_syscall_file", "test_syscall_buffer"} if broken else set()
    cases = [(n, "FAIL" if n in failed else "PASS") for n in sorted(names)]
    # Skipped by ztest_test_skip(): in-place loading, which libllext lacks.
    return sorted(cases + [("test_writable_storage", "SKIP")])


def llext_run(broken):
    llext = llext_cases(broken)
    user = [("test_user_hello", "SKIP")]  # its predicate says no: no CONFIG_USERSPACE
    after = [("test_nothing_left", "PASS")]
    lines = suite("llext", llext) + suite("zz_after", after)
    verdict = "FAILED" if broken else "SUCCESSFUL"
    lines += summary([("llext", llext), ("llext_user", user), ("zz_after", after)], verdict)
    # A failed case says which check failed.
    said = ["check_syscalls: run() not equal to"] if broken else []
    return lines, 1 if broken else 0, said, []


def first_difference(got, want):
    """The first line where two lists of report lines differ, said for a message."""
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else "<none>"
        w = want[i] if i < len(want) else "<none>"
        if g != w:
            return f"report line {i + 1}: got {g!r}, wanted {w!r}"
    return None


def main():
    mode, prog = sys.argv[1], sys.argv[2]
    want, status, said, absent = {
        "passing": passing,
        "failing": failing,
        "bail": bail,
        "llext": lambda: llext_run(False),
        "llext-broken": lambda: llext_run(True),
    }[mode]()
    cmd = shlex.split(os.environ.get("MESON_EXE_WRAPPER", "")) + [prog]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    sys.stderr.write(f"[stdout]\n{run.stdout}[stderr]\n{run.stderr}[exit {run.returncode}]\n")
    got = [SECONDS.sub("N seconds", ln) for ln in run.stdout.splitlines() if REPORT.match(ln)]
    errors = []
    if got != want:
        errors.append(first_difference(got, want))
    if run.returncode != status:
        errors.append(f"exit status {run.returncode}, wanted {status}")
    for text in said:
        if text not in run.stderr:
            errors.append(f"standard error lacks {text!r}")
    for text in absent:
        if text in run.stdout:
            errors.append(f"standard output has {text!r}")
    for e in errors:
        print(f"check-ztest: {mode}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
