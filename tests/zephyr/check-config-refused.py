#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""<zephyr/autoconf.h> refuses options for what libllext lacks, and accepts them switched off.

Usage: check-config-refused.py COMPILER [FLAG...] -- SOURCE
Compiles SOURCE (-fsyntax-only) with each refused option: the compilation must fail with the
header's #error naming the option. Then with all of them given as 0: it must succeed.
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


def main():
    sep = sys.argv.index("--")
    cmd, source = sys.argv[1:sep], sys.argv[sep + 1]
    failures = 0
    for flags, want in REFUSED:
        r = compile_(cmd, source, flags)
        if r.returncode == 0 or want not in r.stderr:
            failures += 1
            print(f"not ok: {' '.join(flags)}: status {r.returncode}, no '{want}':\n{r.stderr}")
    r = compile_(cmd, source, OFF)
    if r.returncode != 0:
        failures += 1
        print(f"not ok: switched off, the source does not build:\n{r.stderr}")
    print("ok" if not failures else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
