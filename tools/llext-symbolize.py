#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""llext-symbolize: name the frames in extension code of a saved sanitizer report.

A sanitizer (ASan, LSan, TSan, UBSan with print_stacktrace=1) names a frame by the module that
dl_iterate_phdr() or /proc/self/maps shows at its address; extension code is in anonymous memory,
so its frames print as "(<unknown module>)" (or, for sealed text, after a memfd). A process run with LLEXT_PERF_MAP=1 leaves, for its
PID, /tmp/perf-PID.map (each function: start, size, name, [extension]) and /tmp/perf-PID.llext
(each code section: start, size, section, extension, object path). This filter reads the report,
finds the PID in it, and rewrites every frame in extension code with the function, its source
file and line (from the object's line table, through addr2line on the section), the object and
the offset in its section. Everything else passes through unchanged.
"""
import argparse
import bisect
import os
import re
import shutil
import stat
import subprocess
import sys

# A frame the sanitizer could not name: no module at all, or sealed extension code (a memfd).
FRAME = re.compile(r'^(?P<head>\s*#\d+\s+0x(?P<addr>[0-9a-fA-F]+))\s+'
                   r'(?:in \S+ )?\((?:<unknown module>|/memfd:.*)\)\s*$')
# ThreadSanitizer's frames: "#0 <null> <null> (0xADDR)".
TSAN_FRAME = re.compile(r'^(?P<head>\s*#\d+) <null> <null> \(0x(?P<addr>[0-9a-fA-F]+)\)\s*$')
SUMMARY = re.compile(r'^(?P<head>SUMMARY: \S+: .*?) \((?:<unknown module>|/memfd:.*)\)\s*$')
PID_PATTERNS = [re.compile(r'^==(\d+)=='), re.compile(r'\(pid=(\d+)\)')]
EM_X86_64, EM_AARCH64 = 62, 183


class Ranges:
    """Address ranges [start, start + size) with data; a later range wins where two overlap
    (an extension loaded where an unloaded one was: the record's newest line is the live one)."""

    def __init__(self):
        self.items = []

    def add(self, start, size, data):
        self.items.append((start, size, data))

    def find(self, addr):
        for start, size, data in reversed(self.items):
            if start <= addr < start + size:
                return start, data
        return None


def warn(msg):
    sys.stderr.write('llext-symbolize: %s\n' % msg)


def usable(path, force):
    """Whether the record file @path may be read: a regular file (a FIFO would block the read)
    of the caller's own, unless forced, as perf does with its map files: anyone may plant a
    file at a /tmp path, and its lines would be believed."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        warn('%s is not a regular file; ignored' % path)
        return False
    if st.st_uid != os.geteuid() and not force:
        warn('%s is owned by uid %d, not by you; ignored (-f reads it anyway)' %
             (path, st.st_uid))
        return False
    return True


def read_lines(path, fields, force):
    """The lines of record file @path as (start, size, [the other fields]); malformed lines are
    skipped, with one warning."""
    out, bad = [], 0
    if not usable(path, force):
        return out
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            parts = line.rstrip('\n').split(' ', fields - 1)
            try:
                if len(parts) != fields:
                    raise ValueError(line)
                out.append((int(parts[0], 16), int(parts[1], 16), parts[2:]))
            except ValueError:
                bad += 1
    if bad:
        warn('%s: %d malformed line%s skipped' % (path, bad, '' if bad == 1 else 's'))
    return out


def read_records(directory, pid, force=False):
    funcs, sects = Ranges(), Ranges()
    for start, size, (rest,) in read_lines(os.path.join(directory, 'perf-%d.map' % pid), 3,
                                           force):
        name, _, ext = rest.rpartition(' [')
        funcs.add(start, size, (name or rest, ext.rstrip(']') if name else ''))
    path = os.path.join(directory, 'perf-%d.llext' % pid)
    if os.path.exists(path):
        for start, size, rest in read_lines(path, 5, force):
            sects.add(start, size, tuple(rest))
    return funcs, sects


def find_pid(lines):
    for line in lines:
        for pat in PID_PATTERNS:
            m = pat.search(line)
            if m:
                return int(m.group(1))
    return None


def addr2line_for(obj, forced):
    if forced:
        return forced
    try:
        with open(obj, 'rb') as f:
            head = f.read(20)
        machine = int.from_bytes(head[18:20], 'little')
    except OSError:
        machine = 0
    names = {EM_AARCH64: ['aarch64-linux-gnu-addr2line'],
             EM_X86_64: ['x86_64-linux-gnu-addr2line']}.get(machine, [])
    for name in names + ['addr2line', 'llvm-addr2line']:
        if shutil.which(name):
            return name
    return None


def lines_of(queries, forced):
    """{(obj, sect, off): (function, 'file:line')} from one addr2line run per object section."""
    by_place = {}
    for obj, sect, off in queries:
        by_place.setdefault((obj, sect), []).append(off)
    out = {}
    for (obj, sect), offs in by_place.items():
        # Not a regular file (a FIFO would block addr2line, and this program reading its
        # header): the frames go without lines.
        if not os.path.isfile(obj):
            continue
        tool = addr2line_for(obj, forced)
        if not tool:
            continue
        try:
            res = subprocess.run([tool, '-f', '-e', obj, '-j', sect] + ['0x%x' % o for o in offs],
                                 capture_output=True, text=True, check=False)
        except OSError:
            continue
        got = res.stdout.splitlines()
        for k, off in enumerate(offs):
            if 2 * k + 1 < len(got):
                func, where = got[2 * k], got[2 * k + 1]
                out[(obj, sect, off)] = (None if func == '??' else func,
                                         None if where.startswith('??') else where.split(' ')[0])
    return out


def rewrite(lines, funcs, sects, forced):
    frames = {}
    for i, line in enumerate(lines):
        m = FRAME.match(line)
        tsan = TSAN_FRAME.match(line) if not m else None
        if m or tsan:
            addr = int((m or tsan).group('addr'), 16)
            # The sanitizer_common printer (ASan, LSan, UBSan) shows the address of the call
            # itself; TSan shows return addresses, whose call is the byte before.
            look = addr - 1 if tsan else addr
            f, s = funcs.find(look), sects.find(look)
            # ThreadSanitizer's layout has no address column: the place stands for it.
            head = m.group('head') + ' in' if m else tsan.group('head')
            if f or s:
                frames[i] = (head, addr, f, s, look)
    queries = set()
    for _, _, _, s, look in frames.values():
        if s and s[1][2] != '-':
            queries.add((s[1][2], s[1][0], look - s[0]))
    found = lines_of(queries, forced)
    first = None
    out = []
    for i, line in enumerate(lines):
        if i in frames:
            head, addr, f, s, look = frames[i]
            func = f[1][0] if f else None
            ext = f[1][1] if f else s[1][1]
            where = None
            place = ''
            if s:
                sect, _, obj = s[1]
                info = found.get((obj, sect, look - s[0]))
                if info:
                    func = func or info[0]
                    where = info[1]
                if obj != '-':
                    place = ' (%s:%s+0x%x)' % (os.path.basename(obj), sect, addr - s[0])
            text = head + ' ' + (func or '??')
            if where:
                text += ' ' + where
            text += place
            text += ' [extension %s%s]' % (ext, ', %s+0x%x' % (func, addr - f[0]) if f else '')
            if first is None:
                first = (func or '??', where)
            out.append(text + '\n')
            continue
        m = SUMMARY.match(line)
        if m and first:
            out.append('%s %sin %s\n' % (m.group('head'), first[1] + ' ' if first[1] else '',
                                          first[0]))
            continue
        out.append(line)
    return out


def main():
    ap = argparse.ArgumentParser(
        prog='llext-symbolize',
        description='Rewrite the frames in extension code of a sanitizer report, using what '
        'libllext recorded with LLEXT_PERF_MAP=1 in the process that wrote it.')
    ap.add_argument('report', nargs='*', help='report files (default: standard input)')
    ap.add_argument('-p', '--pid', type=int,
                    help='the process that wrote the report, when the report does not say')
    ap.add_argument('-d', '--dir', default='/tmp',
                    help='where the perf-PID.map and perf-PID.llext files are (default: /tmp)')
    ap.add_argument('--addr2line', help='the addr2line program to read line tables with')
    ap.add_argument('-f', '--force', action='store_true',
                    help='read record files that another user owns')
    ap.add_argument('--version', action='version', version='llext-symbolize @VERSION@')
    args = ap.parse_args()
    lines = []
    try:
        for name in args.report or ['-']:
            if name == '-':
                lines += sys.stdin.readlines()
            else:
                with open(name, encoding='utf-8', errors='replace') as f:
                    lines += f.readlines()
    except OSError as e:
        sys.exit('llext-symbolize: %s: %s' % (e.filename, e.strerror))
    pid = args.pid or find_pid(lines)
    if pid is None:
        sys.stdout.writelines(lines)
        sys.exit('llext-symbolize: the report names no process ("==PID==" or "pid=PID"); '
                 'give it with --pid')
    try:
        funcs, sects = read_records(args.dir, pid, args.force)
    except OSError as e:
        sys.stdout.writelines(lines)
        sys.exit('llext-symbolize: %s: %s; run the program with LLEXT_PERF_MAP=1' %
                 (e.filename, e.strerror))
    sys.stdout.writelines(rewrite(lines, funcs, sects, args.addr2line))


if __name__ == '__main__':
    main()
