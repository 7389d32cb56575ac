#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes an assembly file with more sections than an ELF header can count (SHN_LORESERVE,
65280), so that its object uses extended section numbering (SHN_XINDEX, SHT_SYMTAB_SHNDX).
Function fN returns N; usage: gen_many_sections.py ARCH COUNT OUTPUT."""
import sys

arch, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, 'w') as f:
    for i in range(count):
        f.write(f'\t.section .text.f{i},"ax",%progbits\n\t.globl f{i}\n\t.type f{i},%function\nf{i}:\n')
        if arch == 'x86_64':
            f.write(f'\tmovl ${i}, %eax\n\tret\n')
        else:
            f.write(f'\tmovz w0, #{i & 0xffff}\n\tmovk w0, #{i >> 16}, lsl #16\n\tret\n')
    f.write('\t.section .note.GNU-stack,"",%progbits\n')
