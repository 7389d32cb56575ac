#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The public ABI three ways must agree: functions declared in include/llext/*.h (not static
inline), names in the version script, and symbols the library (shared, or static) exports.

The GDB JIT interface is the exception: debuggers look its two symbols up by name, so they are
exported and listed without being declared in a header. They must be exported with default
visibility, and libllext must reach them through dynamic relocations (no -Bsymbolic, no hidden
alias), so that the whole process shares one descriptor."""
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

JIT = {'__jit_debug_descriptor': 'OBJECT', '__jit_debug_register_code': 'FUNC'}
declared |= set(JIT)

script = re.sub(r'/\*.*?\*/', '', version_script.read_text(), flags=re.S)
listed = set()
for body in re.findall(r'global:(.*?)(?:local:.*?)?\}', script, re.S):
    listed |= set(re.findall(r'(\w+)\s*;', body))

# A static library (-Ddefault_library=static) exports what it defines with default visibility.
symbols = '--syms' if library.endswith('.a') else '--dyn-syms'
out = subprocess.run(['readelf', symbols, '--wide', library], check=True,
                     capture_output=True, text=True).stdout
exported = set()
jit_seen = {}
for line in out.splitlines():
    f = line.split()
    if len(f) >= 8 and f[4] == 'GLOBAL' and f[6] != 'UND':
        name = f[7].split('@')[0]
        if f[3] == 'FUNC' and f[5] == 'DEFAULT':
            exported.add(name)
        if name in JIT:
            jit_seen[name] = (f[3], f[5])
            exported.add(name)

relocs = subprocess.run(['readelf', '--relocs', '--wide', library], check=True,
                        capture_output=True, text=True).stdout

ok = True
for name, a, b in (('declared in headers but not in the version script', declared, listed),
                   ('in the version script but not declared', listed, declared),
                   ('in the version script but not exported', listed, exported),
                   ('exported but not in the version script', exported, listed)):
    extra = sorted(a - b)
    if extra:
        ok = False
        print(f'{name}: {", ".join(extra)}')
for name, kind in JIT.items():
    if jit_seen.get(name) != (kind, 'DEFAULT'):
        ok = False
        print(f'{name} is not exported as a default-visibility {kind}: {jit_seen.get(name)}')
    if not library.endswith('.a') and not re.search(rf'\b{name}@', relocs):
        ok = False
        print(f'{name}: no dynamic relocation refers to it; libllext binds it internally')
print(f'{len(declared)} declared, {len(listed)} listed, {len(exported)} exported')
sys.exit(0 if ok else 1)
