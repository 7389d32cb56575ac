#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""No program this project builds has a copy relocation (R_X86_64_COPY, R_AARCH64_COPY).

A copy relocation moves a C library object (stdout, optarg, environ...) into the executable,
far from the rest of the C library, and an extension compiled with default flags that names two
such objects then fits near neither (docs/user-guide.md, "Building the host program"). So every
executable of the build tree is built to reach the C library's data through its GOT instead.

The build tree is scanned for every ELF executable (ET_EXEC, or ET_DYN with a PT_INTERP), so a
program added later is checked too; --require names programs that must be among them (the scan
would otherwise pass on a tree where they were never built), --allow names programs built with
copy relocations on purpose. Prints one line per copy relocation found and exits 1; otherwise a
summary and exit 0. --self-test checks the reader on a program it compiles with and without
-fPIE."""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ET_EXEC, ET_DYN = 2, 3
PT_INTERP = 3
SHT_RELA, SHT_REL = 4, 9
EM_X86_64, EM_AARCH64 = 62, 183
COPY_TYPES = {EM_X86_64: (5, 'R_X86_64_COPY'), EM_AARCH64: (1024, 'R_AARCH64_COPY')}


class Elf:
    """The parts of a little-endian ELF64 file this check reads; raises ValueError on bad input."""

    def __init__(self, data):
        if len(data) < 64 or data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
            raise ValueError('not a little-endian ELF64 file')
        self.data = data
        (self.type, self.machine, _, _, self.phoff, self.shoff, _, _, self.phentsize, self.phnum,
         self.shentsize, self.shnum, _) = struct.unpack_from('<HHIQQQIHHHHHH', data, 16)

    def chunk(self, off, size):
        if off < 0 or size < 0 or off + size > len(self.data):
            raise ValueError('range outside the file')
        return self.data[off:off + size]

    def program_types(self):
        return [struct.unpack('<I', self.chunk(self.phoff + i * self.phentsize, 4))[0]
                for i in range(self.phnum)]

    def sections(self):
        out = []
        for i in range(self.shnum):
            raw = self.chunk(self.shoff + i * self.shentsize, 64)
            _, typ, _, _, off, size, link, _, _, entsize = struct.unpack('<IIQQQQIIQQ', raw)
            out.append((typ, off, size, link, entsize))
        return out

    def is_program(self):
        return self.type == ET_EXEC or (self.type == ET_DYN and PT_INTERP in self.program_types())

    def symbol_name(self, sections, symtab, index):
        typ, off, size, link, entsize = sections[symtab]
        name_off = struct.unpack('<I', self.chunk(off + index * 24, 4))[0]
        strtab = sections[link]
        end = self.data.find(b'\0', strtab[1] + name_off, strtab[1] + strtab[2])
        return self.data[strtab[1] + name_off:end].decode(errors='replace')

    def copies(self):
        """Names of the symbols copy relocations name."""
        if self.machine not in COPY_TYPES:
            return []
        copy_type = COPY_TYPES[self.machine][0]
        sections = self.sections()
        names = []
        for typ, off, size, link, entsize in sections:
            if typ not in (SHT_RELA, SHT_REL) or not entsize or link >= len(sections):
                continue
            for i in range(size // entsize):
                info = struct.unpack('<Q', self.chunk(off + i * entsize + 8, 8))[0]
                if info & 0xffffffff == copy_type:
                    names.append(self.symbol_name(sections, link, info >> 32))
        return names


def programs(root):
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            path = Path(dirpath) / name
            if path.is_symlink() or not os.access(path, os.X_OK):
                continue
            try:
                with open(path, 'rb') as f:
                    elf = Elf(f.read())
                if elf.is_program():
                    yield path, elf
            except (OSError, ValueError, struct.error):
                continue


def check(root, required, allowed):
    seen, bad = set(), 0
    for path, elf in programs(root):
        seen.add(path.resolve())
        if path.name in allowed:
            continue
        for sym in elf.copies():
            print(f'{path}: {COPY_TYPES[elf.machine][1]} for {sym}: build it with -fPIC')
            bad += 1
    missing = [r for r in required if Path(r).resolve() not in seen]
    for r in missing:
        print(f'{r}: not found among the programs of {root}')
    if bad or missing:
        return 1
    print(f'{len(seen)} programs under {root}, none with a copy relocation')
    return 0


def self_test():
    cc = shutil.which('cc') or shutil.which('gcc')
    if not cc:
        print('1..0 # SKIP no C compiler')
        return 0
    src = '#include <stdio.h>\n#include <unistd.h>\n' \
          'int main(void) { fputs(optarg ? optarg : "", stdout); return 0; }\n'
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, 'p.c').write_text(src)
        results = {}
        for flag in ('-fPIE', '-fPIC'):
            out = Path(tmp, 'p' + flag)
            subprocess.run([cc, flag, '-pie', '-O2', Path(tmp, 'p.c'), '-o', out], check=True)
            results[flag] = Elf(out.read_bytes()).copies()
    # -fPIE copies on x86_64; AArch64 GCC reaches extern data through the GOT even then.
    if os.uname().machine == 'x86_64' and not {'stdout', 'optarg'} <= set(results['-fPIE']):
        print(f'self-test: -fPIE program copies {results["-fPIE"]}, expected stdout and optarg')
        return 1
    if results['-fPIC']:
        print(f'self-test: -fPIC program copies {results["-fPIC"]}')
        return 1
    print('self-test passed')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('root', nargs='?')
    ap.add_argument('--require', action='append', default=[])
    ap.add_argument('--allow', action='append', default=[])
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.root:
        ap.error('the build root is needed')
    return check(args.root, args.require, set(args.allow))


if __name__ == '__main__':
    sys.exit(main())
