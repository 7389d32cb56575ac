#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs llext-run (through MESON_EXE_WRAPPER in a cross build) with the given arguments and
fails unless it exits 0 with exactly the expected output, which the named check computes."""
import os
import shlex
import subprocess
import sys
from math import factorial

EXPECTED = {
    'gmp': f'{2 ** 200}\n',
    'lua': f'{sum(range(1, 101))}\t{factorial(20)}\t{3054:x}\n',
}


def main():
    check, args = sys.argv[1], sys.argv[2:]
    wrapper = shlex.split(os.environ.get('MESON_EXE_WRAPPER', ''))
    r = subprocess.run(wrapper + args, capture_output=True, text=True, timeout=300)
    sys.stderr.write(r.stderr)
    if r.returncode != 0 or r.stdout != EXPECTED[check]:
        print(f'{check}: exit {r.returncode}, output {r.stdout!r}, expected {EXPECTED[check]!r}')
        return 1
    print(f'{check}: {r.stdout.strip()!r} as expected')
    return 0


if __name__ == '__main__':
    sys.exit(main())
