#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The public ABI three ways must agree: functions declared in include/llext/*.h (not static
inline), names in the version script, and symbols the shared library exports."""
import re
import subprocess
import sys
from pathlib import Path

headers_dir, version_script, library = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

declared = set()
for h in sorted(headers_dir.glob('*.h')):
    text = re.sub(r'/\*.*?\*/', '', h.read_text(), flags=re.S)
    for m in re.finditer(r'^(?!static|typedef)[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;{]*\)\s*;', text, re.M):
        declared.add(m.group(1))

script = re.sub(r'/\*.*?\*/', '', version_script.read_text(), flags=re.S)
# One node per release: every node's global: list counts.
listed = set()
for body in re.findall(r'global:(.*?)(?:local:|\})', script, re.S):
    listed |= set(re.findall(r'(\w+)\s*;', body))

out = subprocess.run(['readelf', '--dyn-syms', '--wide', library], check=True,
                     capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    f = line.split()
    if len(f) >= 8 and f[4] == 'GLOBAL' and f[6] != 'UND' and f[3] == 'FUNC':
        exported.add(f[7].split('@')[0])

ok = True
for name, a, b in (('declared in headers but not in the version script', declared, listed),
                   ('in the version script but not declared', listed, declared),
                   ('in the version script but not exported', listed, exported),
                   ('exported but not in the version script', exported, listed)):
    extra = sorted(a - b)
    if extra:
        ok = False
        print(f'{name}: {", ".join(extra)}')
print(f'{len(declared)} declared, {len(listed)} listed, {len(exported)} exported')
sys.exit(0 if ok else 1)
