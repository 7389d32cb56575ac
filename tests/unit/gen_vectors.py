#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Relocation test vectors from the real assembler and linker.

Each vector is one instruction or datum that references a symbol. It is assembled into a section
of its own, and that section is linked at a chosen address P with the symbol defined at a chosen
value S (--section-start, --defsym). The relocation type and addend come from the object file,
the bytes before relocation from the object file, the bytes after from the linked image. The
unit tests then apply the same relocation with libllext's encoder and compare.

A vector expected to overflow or to be misaligned is linked on its own and the linker must refuse
it: the boundaries the tests assert are the linker's as well as ours.

Some vectors borrow the bytes of an equivalent relocation, because a linker does not let us
choose where its GOT goes: GOT_LD_PREL19 against an entry at G encodes exactly what
LD_PREL_LO19 against G does, so its expected bytes are those of `ldr x0, G`.

LLD is the linker: it checks every AAELF64 overflow and alignment rule (GNU ld checks PREL32 as
signed, and x86-64's word16 and word8 more loosely than either psABI reading). LD_ALT (GNU ld)
links the few vectors where LLD 14 lacks a type or departs from the psABI (marked ld='alt').

Usage: gen_vectors.py ARCH AS LD LD_ALT OUT.h WORKDIR
"""

import os
import struct
import subprocess
import sys

# ---- a minimal ELF64 little-endian reader ----


class Elf:
    def __init__(self, path):
        with open(path, 'rb') as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b'\x7fELF' or d[4] != 2 or d[5] != 1:
            raise SystemExit('%s: not a little-endian ELF64 file' % path)
        (self.type, self.machine) = struct.unpack_from('<HH', d, 16)
        shoff, = struct.unpack_from('<Q', d, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
        self.sections = []
        for i in range(shnum):
            (name, typ, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize)
            self.sections.append(dict(name=name, type=typ, flags=flags, addr=addr, off=off,
                                      size=size, link=link, info=info, entsize=entsize))
        strtab = self.sections[shstrndx]
        for s in self.sections:
            s['name'] = self.cstr(strtab['off'] + s['name'])

    def cstr(self, off):
        end = self.data.index(b'\0', off)
        return self.data[off:end].decode()

    def section(self, name):
        for s in self.sections:
            if s['name'] == name:
                return s
        return None

    def symbols(self):
        """[(name, value, shndx)] of .symtab."""
        out = []
        for s in self.sections:
            if s['type'] != 2:  # SHT_SYMTAB
                continue
            strtab = self.sections[s['link']]
            for k in range(s['size'] // 24):
                name, info, other, shndx, value, size = struct.unpack_from(
                    '<IBBHQQ', self.data, s['off'] + k * 24)
                out.append((self.cstr(strtab['off'] + name), value, shndx))
        return out

    def relas(self, target):
        """[(offset, type, symbol index, addend)] relocating section @target."""
        idx = self.sections.index(self.section(target))
        out = []
        for s in self.sections:
            if s['type'] == 4 and s['info'] == idx:  # SHT_RELA
                for k in range(s['size'] // 24):
                    off, info, addend = struct.unpack_from('<QQq', self.data, s['off'] + k * 24)
                    out.append((off, info & 0xffffffff, info >> 32, addend))
        return out

    def read(self, addr, n):
        """@n bytes at run-time address @addr of a linked image."""
        for s in self.sections:
            if s['type'] == 1 and s['addr'] <= addr and addr + n <= s['addr'] + s['size']:
                o = s['off'] + addr - s['addr']
                return self.data[o:o + n]
        raise SystemExit('no section holds 0x%x' % addr)


M64 = (1 << 64) - 1
NBYTES = 8  # bytes recorded from the place on: the field and what follows it

# ---- the vectors ----
#
# (name, asm, P, S, expect, options): `asm` references the symbol as `sym` and is linked at P with
# the symbol at S (two's complement for negative values); `expect` is 'ok', 'range' or 'align'.
# Options:
#   flags   extra assembler flags
#   S_is    'L' or 'G': the linked target is the encoder's L (a veneer) or G (a GOT entry), and
#           the encoder's S is `far` (for 'L') or `Sv` (for 'G'); the bytes are borrowed, see
#           the top
#   type    the relocation type the vector tests, when its bytes are borrowed
#   unchecked  the linker does not check this (the vector asserts libllext's stricter rule)
#   fixed   the asm has no relocation, its immediate holds the expected value; `fixed` is the
#           same instruction with 0, the bytes before; `gotoff` is then G - GOT

A64_P = 0x300000000  # above 4 GiB, so that Page(P) - 2^32 is still an address


def aarch64_vectors():
    v = []
    n = [0]

    def P():
        n[0] += 1
        return A64_P + n[0] * 0x10000

    def add(name, asm, S=None, X=None, expect='ok', pcrel=False, page=False, **opt):
        """S given, or X the psABI's value: S + A (A = 0) or S - P, or Page(S) - Page(P)."""
        p = P()
        if S is None:
            if page:
                S = (p & ~0xfff) + X + 0x123
            elif pcrel:
                S = p + X
            else:
                S = X
        v.append((name, asm, p, S & M64, expect, opt))

    # Static data.
    add('abs64', '.xword sym + 8', S=0x123456789abcdef0)
    add('abs32 max', '.word sym', X=0xffffffff)
    add('abs32 min', '.word sym', X=-0x80000000)
    add('abs32 max+1', '.word sym', X=0x100000000, expect='range')
    add('abs32 min-1', '.word sym', X=-0x80000001, expect='range')
    add('abs16 max', '.hword sym', X=0xffff)
    add('abs16 min', '.hword sym', X=-0x8000)
    add('abs16 max+1', '.hword sym', X=0x10000, expect='range')
    add('abs16 min-1', '.hword sym', X=-0x8001, expect='range')
    add('prel64', '.xword sym - .', X=-0x123456789a, pcrel=True)
    add('prel32 max', '.word sym - .', X=0xffffffff, pcrel=True)
    add('prel32 min', '.word sym - .', X=-0x80000000, pcrel=True)
    add('prel32 max+1', '.word sym - .', X=0x100000000, pcrel=True, expect='range')
    add('prel32 min-1', '.word sym - .', X=-0x80000001, pcrel=True, expect='range')
    add('prel16 max', '.hword sym - .', X=0xffff, pcrel=True)
    add('prel16 min', '.hword sym - .', X=-0x8000, pcrel=True)
    add('prel16 max+1', '.hword sym - .', X=0x10000, pcrel=True, expect='range')
    add('prel16 min-1', '.hword sym - .', X=-0x8001, pcrel=True, expect='range')

    # Unsigned groups: checked on MOVZ, not on MOVK (_NC) for the same value.
    for g, bits in ((0, 16), (1, 32), (2, 48)):
        add('movw_uabs_g%d max' % g, 'movz x3, #:abs_g%d:sym' % g, X=(1 << bits) - 1)
        add('movw_uabs_g%d max+1' % g, 'movz x3, #:abs_g%d:sym' % g, X=1 << bits,
            expect='range')
        add('movw_uabs_g%d_nc' % g, 'movk x3, #:abs_g%d_nc:sym' % g, X=0xfedcba9876543210)
        add('movw_uabs_g%d_nc max+1' % g, 'movk x3, #:abs_g%d_nc:sym' % g, X=1 << bits)
    add('movw_uabs_g3', 'movz x3, #:abs_g3:sym', X=0xfedcba9876543210)
    add('movw_uabs_g3 movk', 'movk x3, #:abs_g3:sym', X=0x0123456789abcdef)

    # Signed groups: MOVZ for X >= 0, MOVN with NOT X for X < 0.
    for g, bits in ((0, 16), (1, 32), (2, 48)):
        add('movw_sabs_g%d max' % g, 'movz x4, #:abs_g%d_s:sym' % g, X=(1 << bits) - 1)
        add('movw_sabs_g%d min' % g, 'movz x4, #:abs_g%d_s:sym' % g, X=-(1 << bits))
        add('movw_sabs_g%d -1 from movz' % g, 'movz x4, #:abs_g%d_s:sym' % g, X=-1)
        add('movw_sabs_g%d +1 from movn' % g, 'movn x4, #:abs_g%d_s:sym' % g, X=1)
        add('movw_sabs_g%d max+1' % g, 'movz x4, #:abs_g%d_s:sym' % g, X=1 << bits,
            expect='range')
        add('movw_sabs_g%d min-1' % g, 'movz x4, #:abs_g%d_s:sym' % g, X=-(1 << bits) - 1,
            expect='range')
        add('movw_prel_g%d max' % g, 'movz x5, #:prel_g%d:sym' % g, X=(1 << bits) - 1,
            pcrel=True)
        add('movw_prel_g%d min' % g, 'movz x5, #:prel_g%d:sym' % g, X=-(1 << bits), pcrel=True)
        add('movw_prel_g%d max+1' % g, 'movz x5, #:prel_g%d:sym' % g, X=1 << bits, pcrel=True,
            expect='range')
        add('movw_prel_g%d min-1' % g, 'movz x5, #:prel_g%d:sym' % g, X=-(1 << bits) - 1,
            pcrel=True, expect='range')
        add('movw_prel_g%d_nc' % g, 'movk x5, #:prel_g%d_nc:sym' % g, X=-0x123456789abcd,
            pcrel=True)
        add('movw_prel_g%d_nc max+1' % g, 'movk x5, #:prel_g%d_nc:sym' % g, X=1 << bits,
            pcrel=True)
    add('movw_prel_g3 +', 'movz x5, #:prel_g3:sym', X=0x123456789abc, pcrel=True)
    # Negative: AAELF64 says MOV[NZ], and GNU ld writes MOVN with NOT X's bits, as libllext does;
    # LLD 14 writes MOVZ with X's (the same value once the MOVKs follow). GNU ld is the reference.
    add('movw_prel_g3 -', 'movz x5, #:prel_g3:sym', X=-0x123456789abc, pcrel=True, ld='alt')

    # PC-relative: literal loads, ADR, ADRP.
    add('ld_prel_lo19 max', 'ldr x6, sym', X=(1 << 20) - 4, pcrel=True)
    add('ld_prel_lo19 min', 'ldr w6, sym', X=-(1 << 20), pcrel=True)
    add('ld_prel_lo19 max+1', 'ldr x6, sym', X=1 << 20, pcrel=True, expect='range')
    add('ld_prel_lo19 min-1', 'ldr x6, sym', X=-(1 << 20) - 4, pcrel=True, expect='range')
    add('ld_prel_lo19 misaligned', 'ldr x6, sym', X=0x102, pcrel=True, expect='align')
    add('adr_prel_lo21 max', 'adr x7, sym', X=(1 << 20) - 1, pcrel=True)
    add('adr_prel_lo21 min', 'adr x7, sym', X=-(1 << 20), pcrel=True)
    add('adr_prel_lo21 max+1', 'adr x7, sym', X=1 << 20, pcrel=True, expect='range')
    add('adr_prel_lo21 min-1', 'adr x7, sym', X=-(1 << 20) - 1, pcrel=True, expect='range')
    add('adr_prel_pg_hi21 max', 'adrp x8, sym', X=(1 << 32) - 0x1000, page=True)
    add('adr_prel_pg_hi21 min', 'adrp x8, sym', X=-(1 << 32), page=True)
    add('adr_prel_pg_hi21 max+1', 'adrp x8, sym', X=1 << 32, page=True, expect='range')
    add('adr_prel_pg_hi21 min-1', 'adrp x8, sym', X=-(1 << 32) - 0x1000, page=True,
        expect='range')
    add('adr_prel_pg_hi21_nc', 'adrp x8, :pg_hi21_nc:sym', X=0x12345000, page=True)
    add('adr_prel_pg_hi21_nc max+1', 'adrp x8, :pg_hi21_nc:sym', X=1 << 32, page=True)

    # Absolute low 12 bits: ADD, and loads/stores scaled by their access size.
    add('add_abs_lo12_nc', 'add x9, x9, #:lo12:sym', S=0x12345fff)
    for mn, reg, size in (('ldrb', 'w10', 1), ('strh', 'w10', 2), ('ldr', 'w10', 4),
                          ('str', 'x10', 8), ('ldr', 'q10', 16)):
        add('ldst%d_abs_lo12_nc' % (size * 8), '%s %s, [x11, #:lo12:sym]' % (mn, reg),
            S=0x12345000 + 0x1000 - size)
        if size > 1:
            add('ldst%d_abs_lo12_nc misaligned' % (size * 8),
                '%s %s, [x11, #:lo12:sym]' % (mn, reg), S=0x12345000 + 0x1000 - size // 2,
                expect='align')

    # Branches.
    for name, asm, bits in (('tstbr14', 'tbnz w12, #7, sym', 15),
                            ('condbr19', 'b.ne sym', 20),
                            ('condbr19 cbz', 'cbz x12, sym', 20),
                            ('jump26', 'b sym', 27),
                            ('call26', 'bl sym', 27)):
        add(name + ' max', asm, X=(1 << bits) - 4, pcrel=True)
        add(name + ' min', asm, X=-(1 << bits), pcrel=True)
        # Out of reach and without a veneer (L = 0): refused. A linker would insert a veneer
        # of its own instead of failing, so these are not linked.
        far = name.startswith(('jump', 'call'))
        add(name + ' max+1', asm, X=1 << bits, pcrel=True, expect='range', unchecked=far)
        add(name + ' min-1', asm, X=-(1 << bits) - 4, pcrel=True, expect='range', unchecked=far)
        # LLD checks the alignment of B.cond and CBZ but not of TBZ, B and BL, which drop
        # X[1:0] silently; libllext refuses all of them.
        add(name + ' misaligned', asm, X=0x102, pcrel=True, expect='align',
            unchecked=not name.startswith('condbr19'))
    # Out of reach: through the veneer at L (the bytes of a branch to L).
    add('call26 via veneer', 'bl sym', X=0x8000, pcrel=True, S_is='L', far=0x7f0000001000)
    add('jump26 via veneer', 'b sym', X=-0x4000, pcrel=True, S_is='L', far=0x10000)
    # An undefined weak target: S = 0, far below the place; it goes through its veneer.
    add('call26 weak undefined', 'bl sym', X=0x40, pcrel=True, S_is='L', far=0)

    # Through the GOT, with the linker's own GOT.
    add('adr_got_page', 'adrp x13, :got:sym', S=0x123457791)
    add('ld64_got_lo12_nc', 'ldr x13, [x13, #:got_lo12:sym]', S=0x123458799)
    add('ld64_gotpage_lo15', 'ldr x13, [x13, #:gotpage_lo15:sym]', S=0x1234597a1)
    # Their boundaries, with the bytes of the same instruction reaching G directly. (LLD 14 does
    # not know GOT_LD_PREL19 at all, so it is only tested this way.)
    for what, X, expect in (('max', (1 << 20) - 4, 'ok'), ('min', -(1 << 20), 'ok'),
                            ('max+1', 1 << 20, 'range')):
        add('got_ld_prel19 ' + what, 'ldr x13, sym', X=X, pcrel=True, expect=expect,
            S_is='G', type='R_AARCH64_GOT_LD_PREL19')
    for what, X, expect in (('max', (1 << 32) - 0x1000, 'ok'), ('min', -(1 << 32), 'ok'),
                            ('max+1', 1 << 32, 'range')):
        add('adr_got_page ' + what, 'adrp x13, sym', X=X, page=True, expect=expect, S_is='G',
            type='R_AARCH64_ADR_GOT_PAGE')
    add('ld64_got_lo12_nc high', 'ldr x13, [x13, #:lo12:sym]', S=0x7ffffff8, S_is='G',
        type='R_AARCH64_LD64_GOT_LO12_NC', Sv=0x5555)
    add('ld64_got_lo12_nc misaligned', 'ldr x13, [x13, #:lo12:sym]', S=0x7ffffffc, S_is='G',
        type='R_AARCH64_LD64_GOT_LO12_NC', Sv=0x5555, expect='align')
    # GOTPAGE_LO15: G - Page(GOT) up to 2^15 - 8; the expected bytes are those of the same
    # load with that offset as its immediate.
    for what, X, expect in (('max', (1 << 15) - 8, 'ok'), ('max+1', 1 << 15, 'range'),
                            ('misaligned', 0x104, 'align')):
        imm = X if expect == 'ok' else 0
        add('ld64_gotpage_lo15 ' + what, 'ldr x13, [x13, #%d]' % imm, S=0x5555,
            fixed='ldr x13, [x13, #0]', type='R_AARCH64_LD64_GOTPAGE_LO15', gotoff=X,
            expect=expect)
    return v


def x86_64_vectors():
    v = []
    n = [0]

    def P():
        n[0] += 1
        return 0x300000000 + n[0] * 0x10000

    def add(name, asm, S=None, X=None, expect='ok', pcrel=False, **opt):
        p = P()
        if S is None:
            S = p + X if pcrel else X
        v.append((name, asm, p, S & M64, expect, opt))

    add('64', '.quad sym + 8', S=0x123456789abcdef0)
    add('pc64', '.quad sym - .', X=-0x123456789a, pcrel=True)
    add('pc32 max', '.long sym - .', X=0x7fffffff, pcrel=True)
    add('pc32 min', '.long sym - .', X=-0x80000000, pcrel=True)
    add('pc32 max+1', '.long sym - .', X=0x80000000, pcrel=True, expect='range')
    add('pc32 min-1', '.long sym - .', X=-0x80000001, pcrel=True, expect='range')
    add('plt32', 'call sym@PLT', X=0x12345, pcrel=True)
    add('plt32 via stub', 'call sym@PLT', X=0x1000, pcrel=True, S_is='L', far=0x7f0000000000)
    add('32 max', '.long sym', X=0xffffffff)
    add('32 max+1', '.long sym', X=0x100000000, expect='range')
    add('32 negative', '.long sym', X=-1, expect='range')
    add('32s max', 'movq $sym, %rax', X=0x7fffffff)
    add('32s min', 'movq $sym, %rax', X=-0x80000000)
    add('32s max+1', 'movq $sym, %rax', X=0x80000000, expect='range')
    add('32s min-1', 'movq $sym, %rax', X=-0x80000001, expect='range')
    add('16 max', '.word sym', X=0xffff)
    add('16 min', '.word sym', X=-0x8000)
    add('16 max+1', '.word sym', X=0x10000, expect='range')
    add('16 min-1', '.word sym', X=-0x8001, expect='range')
    add('pc16 max', '.word sym - .', X=0x7fff, pcrel=True)
    add('pc16 min', '.word sym - .', X=-0x8000, pcrel=True)
    add('pc16 max+1', '.word sym - .', X=0x8000, pcrel=True, expect='range')
    add('pc16 min-1', '.word sym - .', X=-0x8001, pcrel=True, expect='range')
    add('8 max', '.byte sym', X=0xff)
    add('8 min', '.byte sym', X=-0x80)
    add('8 max+1', '.byte sym', X=0x100, expect='range')
    add('8 min-1', '.byte sym', X=-0x81, expect='range')
    add('pc8 max', '.byte sym - .', X=0x7f, pcrel=True)
    add('pc8 min', '.byte sym - .', X=-0x80, pcrel=True)
    add('pc8 max+1', '.byte sym - .', X=0x80, pcrel=True, expect='range')
    add('pc8 min-1', '.byte sym - .', X=-0x81, pcrel=True, expect='range')
    # Through the GOT, with the linker's own GOT.
    add('gotpcrel', 'movq sym@GOTPCREL(%rip), %rax', S=0x12345a7a9,
        flags=['-mrelax-relocations=no'])
    add('gotpcrelx', 'call *sym@GOTPCREL(%rip)', S=0x12345b7b1,
        flags=['-mrelax-relocations=yes'])
    add('rex_gotpcrelx', 'movq sym@GOTPCREL(%rip), %rax', S=0x12345c7b9,
        flags=['-mrelax-relocations=yes'])
    # LLD knows neither GOTPCREL64 nor GOTPLT64: these two are linked by GNU ld.
    add('gotpcrel64', '.quad sym@GOTPCREL', S=0x12345d7c1, ld='alt')
    add('got64', 'movabsq $sym@GOT, %rax', S=0x12345e7c9)
    add('gotoff64', '.quad sym@GOTOFF', S=0x12345f7d1)
    add('gotpc32', 'leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax', S=0x1234607d9)
    add('gotpc64', '0: movabsq $_GLOBAL_OFFSET_TABLE_-0b, %r11', S=0x1234617e1)
    add('gotplt64', 'movabsq $sym@GOTPLT, %rax', S=0x1234627e9, ld='alt')
    add('pltoff64', 'movabsq $sym@PLTOFF, %rax', S=0x1234637f1)
    return v


# ---- thread-local storage ----
#
# TLS sequences as the compilers emit them, assembled and linked into a shared object, where a
# linker keeps the dynamic models as they are. Every TLS relocation in them is a vector: S is the
# variable's offset in the TLS block (a linked STT_TLS symbol's value), G the GOT item the linker
# made for it, found through the dynamic relocation that fills it (DTPMOD for a general or local
# dynamic pair, TLSDESC for a descriptor). x86-64 is linked by LLD; AArch64 by GNU ld, since LLD
# 14 lacks TLSGD and the DTPREL types. The TLS variables: (name, offset in .tbss).

TLS_SYMS = [('t0', 0x10), ('t1', 0x123438), ('t2', 0x7ff8), ('t3', 0x18)]

# Relocation type -> which GOT item is its G ('gd', 'ld', 'desc'), or None; skipped: the call.
TLS_TYPES = {
    'x86_64': {17: None, 19: 'gd', 20: 'ld', 21: None, 34: 'desc', 35: None},
    'aarch64': dict([(512, 'gd'), (513, 'gd'), (514, 'gd'), (560, 'desc'), (561, 'desc'),
                     (562, 'desc'), (563, 'desc'), (564, 'desc'), (569, None)] +
                    # TLSLD_MOVW_DTPREL_G2 .. TLSLD_LDST64_DTPREL_LO12_NC
                    [(t, None) for t in range(523, 539)]),
}
# Bytes at P, where not 4: DTPOFF64, and the call markers, which patch nothing.
TLS_FIELD = {'x86_64': {17: 8, 35: 0}, 'aarch64': {569: 0}}
# The dynamic relocations that fill a pair or a descriptor.
TLS_DYN = {'x86_64': {'mod': 16, 'desc': 36}, 'aarch64': {'mod': 1028, 'desc': 1031}}


def tls_vectors(arch):
    """(name, asm): `tN` are the TLS variables."""
    if arch == 'x86_64':
        return [
            ('tlsgd', 'data16 leaq t0@tlsgd(%rip), %rdi\n.byte 0x66, 0x66, 0x48\n'
                      'call __tls_get_addr@PLT'),
            ('tlsld', 'leaq t1@tlsld(%rip), %rdi\ncall __tls_get_addr@PLT\n'
                      'movl t1@dtpoff(%rax), %eax\naddq $t2@dtpoff, %rax'),
            ('tlsdesc', 'leaq t1@tlsdesc(%rip), %rax\ncall *t1@tlscall(%rax)'),
            ('dtpoff64', '.quad t1@dtpoff + 4'),
        ]
    return [
        ('tlsdesc', 'adrp x0, :tlsdesc:t1\nldr x1, [x0, #:tlsdesc_lo12:t1]\n'
                    'add x0, x0, #:tlsdesc_lo12:t1\n.tlsdesccall t1\nblr x1'),
        ('tlsgd', 'adrp x0, :tlsgd:t0\nadd x0, x0, #:tlsgd_lo12:t0\nbl __tls_get_addr\nnop'),
        ('dtprel add', 'add x0, x0, #:dtprel_hi12:t1, lsl #12\nadd x0, x0, #:dtprel_lo12_nc:t1\n'
                       'add x2, x2, #:dtprel_lo12:t3'),
        ('dtprel ldst', 'ldr x1, [x0, #:dtprel_lo12_nc:t1]\nldrb w1, [x0, #:dtprel_lo12:t3]\n'
                        'ldrh w1, [x0, #:dtprel_lo12:t3]\nldr w1, [x0, #:dtprel_lo12_nc:t3]\n'
                        'str x1, [x0, #:dtprel_lo12:t0]'),
        ('dtprel movw', 'movz x0, #:dtprel_g2:t1\nmovk x0, #:dtprel_g1_nc:t1\n'
                        'movk x0, #:dtprel_g0_nc:t1\nmovz x3, #:dtprel_g1:t1\n'
                        'movz x4, #:dtprel_g0:t2'),
    ]


def dyn_relocs(elf):
    """[(offset, type, symbol name)] of every dynamic relocation section."""
    out = []
    for s in elf.sections:
        if s['type'] != 4 or s['flags'] & 2 == 0:  # SHT_RELA, SHF_ALLOC
            continue
        dynsym = elf.sections[s['link']]
        dynstr = elf.sections[dynsym['link']]
        for k in range(s['size'] // 24):
            off, info, _ = struct.unpack_from('<QQq', elf.data, s['off'] + k * 24)
            name, = struct.unpack_from('<I', elf.data, dynsym['off'] + (info >> 32) * 24)
            out.append((off, info & 0xffffffff, elf.cstr(dynstr['off'] + name) if info >> 32
                        else ''))
    return out


def generate_tls(b, arch):
    vecs = tls_vectors(arch)
    text = ''
    for i, (name, asm) in enumerate(vecs):
        text += '\t.section .t%d,"ax",%%progbits\n\t%s\n\t.byte %s\n' % (
            i, asm.replace('\n', '\n\t'), ', '.join(['0x5a'] * NBYTES))
    text += '\t.section .tbss,"awT",%nobits\n'
    at = 0
    for sym, off in sorted(TLS_SYMS, key=lambda x: x[1]):
        text += '\t.globl %s\n%s%s:\t.skip 8\n' % (
            sym, '\t.skip %d\n' % (off - at) if off > at else '', sym)
        at = off + 8
    stem = 'tls-%s' % arch
    obj = b.assemble(stem, text)
    src = Elf(obj)
    # Low, so that the GOT the linker puts after them stays within ADRP's reach.
    starts = [('.t%d' % i, 0x100000 + i * 0x10000) for i in range(len(vecs))]
    img = b.link(stem, obj, starts, [], alt=arch == 'aarch64', shared=True)
    value = {n: v for n, v, _ in img.symbols()}
    dyn = dyn_relocs(img)
    rows = []
    for i, (name, asm) in enumerate(vecs):
        sec = src.section('.t%d' % i)
        syms = src.symbols()
        for k, (off, rtype, symi, addend) in enumerate(src.relas('.t%d' % i)):
            if rtype not in TLS_TYPES[arch]:
                continue  # the call to __tls_get_addr
            sym = syms[symi][0]
            kind = TLS_TYPES[arch][rtype]
            G = 0
            for doff, dtype, dsym in dyn:
                if (kind == 'gd' and dtype == TLS_DYN[arch]['mod'] and dsym == sym) or \
                   (kind == 'ld' and dtype == TLS_DYN[arch]['mod'] and not dsym) or \
                   (kind == 'desc' and dtype == TLS_DYN[arch]['desc'] and dsym == sym):
                    G = doff
            if kind and not G:
                raise SystemExit('%s: no GOT item of kind %s for %s' % (name, kind, sym))
            place = starts[i][1] + off
            # The field from the object; what follows it from the image, where the linker
            # relocated the rest of the sequence (the call, the next TLS field).
            size = TLS_FIELD[arch].get(rtype, 4)
            after = img.read(place, NBYTES)
            before = src.data[sec['off'] + off:sec['off'] + off + size] + after[size:]
            rows.append(dict(name='tls %s %d' % (name, k), type=rtype, P=place, S=value[sym],
                             A=addend & M64, got=0, G=G, L=0, before=before,
                             after=after, expect='ok'))
    return rows


def stub_vectors(arch):
    """(addr, slot, asm): the veneer libllext writes, as the assembler writes it."""
    if arch == 'aarch64':
        asm = 'adrp x16, sym\nldr x16, [x16, #:lo12:sym]\nbr x16\nbrk #0'
        return [(0x300010000, 0x300023ff8, asm), (0x7f0000001ff0, 0x7effff000008, asm),
                (0x300010000, 0x300010000 + 0xfffff000 + 0xff8, asm)]
    asm = 'jmp *sym(%rip)\nint3\nint3'
    return [(0x300010000, 0x300023ff8, asm), (0x300010000, 0x300010000 - 0x7ffffff0, asm)]


# ---- building ----

class Builder:
    def __init__(self, arch, as_, ld, ld_alt, work):
        self.arch, self.as_, self.ld, self.work = arch, as_.split(), ld.split(), work
        self.ld_alt = ld_alt.split()
        self.emul = ['-m', 'aarch64elf' if arch == 'aarch64' else 'elf_x86_64']
        os.makedirs(work, exist_ok=True)

    def assemble(self, name, text, flags=()):
        src = os.path.join(self.work, name + '.s')
        obj = os.path.join(self.work, name + '.o')
        with open(src, 'w') as f:
            f.write(text)
        subprocess.run(self.as_ + list(flags) + [src, '-o', obj], check=True)
        return obj

    def link(self, name, obj, starts, syms, must_fail=False, alt=False, shared=False):
        out = os.path.join(self.work, name + '.out')
        kind = ['-shared'] if shared else ['--no-relax', '-static', '-e', '0']
        cmd = (self.ld_alt if alt else self.ld) + self.emul + kind + ['-o', out, obj]
        # The linker's GOT near the places, within reach of 32-bit offsets (a shared object's
        # follows its sections).
        if not shared:
            starts = list(starts) + [('.got', 0x310000000), ('.got.plt', 0x310100000)]
        cmd += ['--section-start=%s=0x%x' % (s, a) for s, a in starts]
        cmd += ['--defsym=%s=0x%x' % (s, v) for s, v in syms]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if must_fail:
            if r.returncode == 0:
                raise SystemExit('%s: the linker accepted what the test expects to fail:\n%s'
                                 % (name, ' '.join(cmd)))
            return None
        if r.returncode != 0:
            raise SystemExit('%s: link failed:\n%s\n%s' % (name, ' '.join(cmd), r.stdout))
        return Elf(out)


def sect(i):
    return '.v%d' % i


def source(vectors):
    lines = []
    for i, (name, asm, P, S, expect, opt) in enumerate(vectors):
        lines.append('\t.section %s,"ax",%%progbits' % sect(i))
        lines.append('\t' + asm.replace('sym', 's%d' % i).replace('\n', '\n\t'))
        # What follows the field is recorded too: it must come out unchanged.
        lines.append('\t.byte 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a')
    return '\n'.join(lines) + '\n'


def generate(b, arch):
    vectors = aarch64_vectors() if arch == 'aarch64' else x86_64_vectors()
    rows = []

    # Vectors expected to link go into one object per set of assembler flags, and one link;
    # the others each get an object and a link of their own, which must fail.
    groups, objs, linked = {}, {}, {}
    for i, vec in enumerate(vectors):
        key = (('ok', tuple(vec[5].get('flags', ())), vec[5].get('ld', 'main'))
               if vec[4] == 'ok' else ('neg', i))
        groups.setdefault(key, []).append(i)
    for key, idx in groups.items():
        text = ''.join(source([vectors[i]]).replace('.v0', sect(i)).replace('s0', 's%d' % i)
                       for i in idx)
        flags = vectors[idx[0]][5].get('flags', ())
        stem = 'vec-%s-%d' % (arch, len(objs))
        obj = b.assemble(stem, text, flags)
        objs[key] = (obj, Elf(obj))
        if key[0] == 'ok':
            linked[key] = b.link(stem, obj, [(sect(i), vectors[i][2]) for i in idx],
                                 [('s%d' % i, vectors[i][3]) for i in idx], alt=key[2] == 'alt')

    for i, (name, asm, P, S, expect, opt) in enumerate(vectors):
        key = (('ok', tuple(opt.get('flags', ())), opt.get('ld', 'main'))
               if expect == 'ok' else ('neg', i))
        obj, elf = objs[key]
        relas = elf.relas(sect(i))
        if opt.get('fixed'):
            # No relocation in the object: 'before' is the same instruction without the value.
            fobj = b.assemble('fixed-%s-%d' % (arch, i), source([(name, opt['fixed'], 0, 0,
                                                                   'ok', {})]))
            fe = Elf(fobj)
            sec = fe.section(sect(0))
            before = fe.data[sec['off']:sec['off'] + NBYTES]
            roff, rtype, addend = 0, opt['type'], 0
        else:
            if len(relas) != 1:
                raise SystemExit('%s: expected one relocation, found %d' % (name, len(relas)))
            roff, rtype, _, addend = relas[0]
            sec = elf.section(sect(i))
            before = elf.data[sec['off'] + roff:sec['off'] + roff + NBYTES]
            if opt.get('type'):
                rtype = opt['type']
        place = P + roff
        row = dict(name=name, type=rtype, P=place, S=S, A=addend & M64, got=0, G=0, L=0,
                   before=before, after=before, expect=expect)

        if expect != 'ok':
            if not opt.get('fixed') and not opt.get('unchecked'):
                b.link('neg-%s-%d' % (arch, i), obj, [(sect(i), P)], [('s%d' % i, S)],
                       must_fail=True)
        elif opt.get('fixed'):
            sec = elf.section(sect(i))
            row['after'] = elf.data[sec['off']:sec['off'] + NBYTES]
        else:
            img = linked[key]
            row['after'] = img.read(place, NBYTES)

        # Inputs that are not S for the encoder.
        if opt.get('S_is') == 'L':
            row['L'], row['S'] = S, opt['far'] & M64
        elif opt.get('S_is') == 'G':
            row['G'], row['S'] = S, opt.get('Sv', 0x5555)
        elif opt.get('gotoff') is not None:
            row['got'] = 0x400000000
            row['G'] = row['got'] + opt['gotoff']
        rows.append(row)

        # The linker's own GOT: G and the GOT base from the image.
        if expect == 'ok' and not opt.get('S_is') and not opt.get('fixed'):
            img = linked[key]
            needs_got = any(k in asm for k in ('got', 'GOT', 'PLTOFF', '_GLOBAL_OFFSET_TABLE_'))
            if needs_got:
                gotsyms = {nm: val for nm, val, _ in img.symbols()}
                row['got'] = gotsyms.get('_GLOBAL_OFFSET_TABLE_', 0)
                if not row['got']:
                    row['got'] = img.section('.got')['addr']
                for secname in ('.got', '.got.plt'):
                    g = img.section(secname)
                    if not g:
                        continue
                    for k in range(g['size'] // 8):
                        val, = struct.unpack_from('<Q', img.data, g['off'] + 8 * k)
                        if val == S:
                            row['G'] = g['addr'] + 8 * k
                            break
                    if row['G']:
                        break
    return rows


def main():
    arch, as_, ld, ld_alt, out, work = sys.argv[1:7]
    b = Builder(arch, as_, ld, ld_alt, work)
    rows = generate(b, arch) + generate_tls(b, arch)
    stubs = []
    for k, (addr, slot, asm) in enumerate(stub_vectors(arch)):
        obj = b.assemble('stub-%s-%d' % (arch, k), source([('stub', asm, 0, 0, 'ok', {})]))
        img = b.link('stub-%s-%d' % (arch, k), obj, [(sect(0), addr)], [('s0', slot)])
        stubs.append((addr, slot, img.read(addr, 16 if arch == 'aarch64' else 8)))
    write_header(arch, rows, stubs, out)


def cbytes(b):
    return '{' + ', '.join('0x%02x' % x for x in b) + '}'


def write_header(arch, rows, stubs, out):
    lines = ['/* Generated by tests/unit/gen_vectors.py from %s; do not edit. */' % (
        'aarch64-linux-gnu-as and the linker' if arch == 'aarch64' else 'x86_64 as and the linker')]
    lines.append('static const struct vector %s_vectors[] = {' % arch)
    for r in rows:
        lines.append('    {"%s", %s, 0x%xull, 0x%xull, 0x%xull, 0x%xull, 0x%xull, 0x%xull, %s, %s, '
                     'EXPECT_%s},' % (r['name'], r['type'], r['P'], r['S'] & M64,
                                      r['A'], r['got'], r['G'], r['L'], cbytes(r['before']),
                                      cbytes(r['after']), r['expect'].upper()))
    lines.append('};')
    lines.append('static const struct stub_vector %s_stubs[] = {' % arch)
    for addr, slot, b in stubs:
        lines.append('    {0x%xull, 0x%xull, %s},' % (addr, slot, cbytes(b)))
    lines.append('};')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
