#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What the Zephyr headers let a source compile, and what they refuse.

Usage: check-compile.py config|unittest COMPILER [FLAG...] -- SOURCE

config    <zephyr/autoconf.h> refuses the options for what libllext lacks, and accepts them
          switched off: SOURCE (-fsyntax-only) must fail with each refused option, with the
          header's #error naming it, then build with all of them given as 0.
unittest  Under ZTEST_UNITTEST a system call is the test's own function; otherwise it is the
          generated wrapper: SOURCE, which defines zsys_add() itself, must build with
          -DZTEST_UNITTEST, and without it be refused as a redefinition of zsys_add().
"""
import subprocess
import sys

# flags -> what the #error must say
REFUSED = [
    (["-DCONFIG_USERSPACE"], "CONFIG_USERSPACE: libllext has no user mode"),
    (["-DCONFIG_LLEXT_STORAGE_WRITABLE=1"], "CONFIG_LLEXT_STORAGE_WRITABLE: libllext always copies"),
    (["-DCONFIG_LLEXT_RODATA_NO_RELOC=1"], "CONFIG_LLEXT_RODATA_NO_RELOC: libllext copies"),
    (["-DCONFIG_LLEXT_TYPE_ELF_SHAREDLIB=1"], "CONFIG_LLEXT_TYPE_ELF_SHAREDLIB: libllext loads"),
    (["-DCONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID"], "CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID"),
    (["-DCONFIG_LLEXT_TYPE_ELF_OBJECT=1"], "also pass -DCONFIG_LLEXT_TYPE_ELF_RELOCATABLE=0"),
]
OFF = ["-DCONFIG_USERSPACE=0", "-DCONFIG_LLEXT_STORAGE_WRITABLE=0",
       "-DCONFIG_LLEXT_RODATA_NO_RELOC=0", "-DCONFIG_LLEXT_TYPE_ELF_SHAREDLIB=0",
       "-DCONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID=0", "-DCONFIG_LLEXT_TYPE_ELF_OBJECT=0"]


def compile_(cmd, source, flags):
    return subprocess.run(cmd + flags + ["-fsyntax-only", source], capture_output=True,
                          text=True, timeout=120)


def check_config(cmd, source):
    failures = []
    for flags, want in REFUSED:
        r = compile_(cmd, source, flags)
        if r.returncode == 0 or want not in r.stderr:
            failures.append(f"{' '.join(flags)}: status {r.returncode}, no '{want}':\n{r.stderr}")
    r = compile_(cmd, source, OFF)
    if r.returncode != 0:
        failures.append(f"switched off, the source does not build:\n{r.stderr}")
    return failures


def check_unittest(cmd, source):
    failures = []
    r = compile_(cmd, source, ["-DZTEST_UNITTEST"])
    if r.returncode != 0:
        failures.append(f"with ZTEST_UNITTEST the test's own definition does not build:\n"
                        f"{r.stderr}")
    r = compile_(cmd, source, [])
    # GCC and clang both call it a redefinition of the function.
    if r.returncode == 0 or "zsys_add" not in r.stderr or "redefinition of" not in r.stderr:
        failures.append(f"without ZTEST_UNITTEST: status {r.returncode}, no clash with the "
                        f"wrapper:\n{r.stderr}")
    return failures


def main():
    checks = {"config": check_config, "unittest": check_unittest}
    sep = sys.argv.index("--")
    mode, cmd, source = sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1]
    failures = checks[mode](cmd, source)
    for f in failures:
        print(f"not ok: {f}")
    print("ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
