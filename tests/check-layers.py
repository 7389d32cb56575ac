#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every folder of lib/, and arch/, uses only the folders its row of the table in docs/design.md
("## Layers") names, and itself. "Use" is seen two ways, and both are checked:

- includes: every #include "..." of lib/ and arch/ sources, resolved as the compiler does
  (the including file's folder, then -I lib, then -I arch);
- references: every undefined symbol of an object of the internal library that another of its
  objects defines, read with nm, each object mapped back to the source it was compiled from.

Prints one line per broken rule and exits 1; otherwise prints a summary and exits 0.
--list prints the edges between folders that were seen, with counts."""
import argparse
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

SOURCE_SUFFIXES = ('.c', '.h', '.S')
# nm's letters for a symbol an object needs but does not define (U, and weak w/v).
UNDEFINED = {'U', 'w', 'v'}


def parse_table(design):
    """The "## Layers" table: {folder short name: [folders it may use, in the table's order]}."""
    text = design.read_text()
    m = re.search(r'^## Layers\n(.*?)(?=^## |\Z)', text, re.S | re.M)
    if not m:
        sys.exit(f'{design}: no "## Layers" section')
    rules = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if not line.lstrip().startswith('|') or len(cells) < 2:
            continue
        folder = re.fullmatch(r'`(?:lib/)?(\w+)/`', cells[0])
        if not folder:
            continue  # the header row and the separator row
        uses = re.findall(r'`(\w+)`', cells[-1])
        if not uses and cells[-1] != '(nothing)':
            sys.exit(f'{design}: row {cells[0]}: "may use" is neither folders nor (nothing)')
        rules[folder.group(1)] = uses
    if not rules:
        sys.exit(f'{design}: the "## Layers" section has no table of folders')
    for folder, uses in rules.items():
        unknown = set(uses) - set(rules)
        if unknown:
            sys.exit(f'{design}: row {folder} names folders with no row: {", ".join(unknown)}')
    return rules


class Tree:
    """Where sources live, and which folder (layer) a file belongs to."""

    def __init__(self, lib, arch, rules):
        self.lib, self.arch, self.rules = lib.resolve(), arch.resolve(), rules
        self.root = Path(os.path.commonpath([self.lib, self.arch]))

    def folder(self, path):
        """The layer of a file: its first folder under lib/, or arch; None outside them."""
        path = path.resolve()
        if path.is_relative_to(self.arch):
            return 'arch'
        if path.is_relative_to(self.lib):
            parts = path.relative_to(self.lib).parts
            if len(parts) > 1:
                return parts[0]
        return None

    def name(self, path):
        """A path as the failure lines show it: relative to the source tree."""
        path = Path(path).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def sources(self):
        for top in (self.lib, self.arch):
            yield from sorted(p for p in top.rglob('*') if p.suffix in SOURCE_SUFFIXES)

    def resolve(self, including, target):
        """The file "target" names, searched as a quoted #include is with -I lib -I arch."""
        for base in (including.parent, self.lib, self.arch):
            candidate = base / target
            if candidate.is_file():
                return candidate.resolve()
        return None


class Checker:
    def __init__(self, tree):
        self.tree = tree
        self.failures = []
        # (kind, from folder, to folder) -> how many includes or references make that edge.
        self.edges = collections.Counter()
        self.checked = collections.Counter()

    def allowed(self, src, dst):
        return src == dst or dst in self.tree.rules.get(src, [])

    def rule(self, src):
        uses = ', '.join(self.tree.rules[src]) or 'nothing'
        return f'docs/design.md, Layers: {src} may use {uses}'

    def source_folder(self, path):
        """The folder of a source file, or None after recording why it has none."""
        folder = self.tree.folder(path)
        if folder is None:
            self.failures.append(f'{self.tree.name(path)}: in no layer folder of lib/')
        elif folder not in self.tree.rules:
            self.failures.append(f'{self.tree.name(path)}: folder {folder} has no row in the '
                                 'table (docs/design.md, Layers)')
            folder = None
        return folder

    def edge(self, kind, src, dst, where, what):
        self.checked[kind] += 1
        if src != dst:
            self.edges[(kind, src, dst)] += 1
        if not self.allowed(src, dst):
            self.failures.append(f'{where}: {what}: {src} may not use {dst} ({self.rule(src)})')


def strip_comments(text):
    """Block and line comments removed, line breaks kept so that line numbers stay right."""
    def blank(m):
        return '\n' * m.group(0).count('\n')
    return re.sub(r'/\*.*?\*/|//[^\n]*', blank, text, flags=re.S)


INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)


def check_includes(checker):
    tree = checker.tree
    for path in tree.sources():
        src = checker.source_folder(path)
        if src is None:
            continue
        text = strip_comments(path.read_text())
        for m in INCLUDE.finditer(text):
            line = text.count('\n', 0, m.start()) + 1
            where = f'{tree.name(path)}:{line}'
            target = tree.resolve(path, m.group(1))
            if target is None:
                checker.failures.append(f'{where}: includes "{m.group(1)}", found neither next '
                                        'to the file nor in lib/ or arch/')
                continue
            dst = tree.folder(target)
            if dst is None or dst not in tree.rules:
                checker.failures.append(f'{where}: includes "{m.group(1)}" '
                                        f'({tree.name(target)}), which is in no layer folder')
                continue
            checker.edge('include', src, dst, where,
                         f'includes "{m.group(1)}" ({tree.name(target)})')


def object_names(tree):
    """Object file name -> source, for each target folder: Meson names an object after its
    source's path relative to the folder of the meson.build that builds it, '/' made '_'
    (lib/load/load.c in lib/ is load_load.c.o; arch/x86_64/tlsdesc.S is .._arch_x86_64_tlsdesc.S.o)."""
    names = {}
    for target_dir in (tree.lib, tree.arch):
        table = names.setdefault(target_dir, {})
        for src in tree.sources():
            if src.suffix in ('.c', '.S'):
                rel = os.path.relpath(src, target_dir)
                table[rel.replace('/', '_') + '.o'] = src.resolve()
    return names


def object_source(tree, names, build_root, member):
    """The source an archive member was compiled from, or None.

    A thin archive names its members by path: <build>/<folder>/<target>.p/<object>, and
    <folder> is the source folder of the meson.build that built it. A plain archive keeps only
    the object's name, then the name must match a single source."""
    member = Path(member)
    if member.parent.name.endswith('.p'):
        folder = os.path.relpath(os.path.abspath(member.parent.parent), build_root)
        target_dir = (tree.root / folder).resolve()
        return names.get(target_dir, {}).get(member.name)
    found = {t[member.name] for t in names.values() if member.name in t}
    return found.pop() if len(found) == 1 else None


NM_LINE = re.compile(r'^(?P<archive>.*?)\[(?P<member>[^\]]+)\]: (?P<name>\S+) (?P<type>\S)')


def read_symbols(nm, library):
    """{member: ([defined names], [undefined names])} of the archive's global symbols."""
    out = subprocess.run([nm, '-A', '-g', '-P', str(library)], check=True,
                         capture_output=True, text=True).stdout
    objects = collections.defaultdict(lambda: (set(), set()))
    for line in out.splitlines():
        m = NM_LINE.match(line)
        if m:
            defined, undefined = objects[m['member']]
            (undefined if m['type'] in UNDEFINED else defined).add(m['name'])
    if not objects:
        sys.exit(f'{library}: {nm} lists no symbols')
    return objects


def check_references(checker, nm, library, build_root):
    tree = checker.tree
    names = object_names(tree)
    sources = {}  # object -> (source, folder)
    objects = read_symbols(nm, library)
    for member in sorted(objects):
        src = object_source(tree, names, build_root, member)
        if src is None:
            checker.failures.append(f'{library}: cannot tell which source {member} was '
                                    'compiled from')
            continue
        folder = checker.source_folder(src)
        if folder is not None:
            sources[member] = (src, folder)
    definer = collections.defaultdict(set)  # symbol -> objects that define it
    for member in sources:
        for name in objects[member][0]:
            definer[name].add(member)
    for member, (src, folder) in sorted(sources.items()):
        for name in sorted(objects[member][1]):
            for other in sorted(definer.get(name, set()) - {member}):
                dst_src, dst = sources[other]
                checker.edge('reference', folder, dst, tree.name(src),
                             f'refers to {name}, defined in {tree.name(dst_src)}')
    return len(sources)


def print_edges(checker):
    for kind in ('include', 'reference'):
        print(f'{kind} edges between folders (count: {kind}s making the edge):')
        for (k, src, dst), n in sorted(checker.edges.items()):
            if k == kind:
                mark = '' if checker.allowed(src, dst) else '  NOT ALLOWED'
                print(f'  {src} -> {dst}: {n}{mark}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('design', type=Path, help='docs/design.md')
    ap.add_argument('lib', type=Path, help='the lib/ source folder')
    ap.add_argument('arch', type=Path, help='the arch/ source folder')
    ap.add_argument('library', type=Path, help='the internal static library (libllext-internal.a)')
    ap.add_argument('--build-root', type=Path, default=Path.cwd(),
                    help='the build directory the library is in (default: the current one)')
    ap.add_argument('--nm', default=os.environ.get('NM', 'nm'), help='nm to read objects with')
    ap.add_argument('--list', action='store_true', help='print the edges between folders seen')
    args = ap.parse_args()

    checker = Checker(Tree(args.lib, args.arch, parse_table(args.design)))
    check_includes(checker)
    n_objects = check_references(checker, args.nm, args.library, args.build_root.resolve())
    if args.list:
        print_edges(checker)
    for failure in checker.failures:
        print(failure)
    folders = {(s, d) for _, s, d in checker.edges}
    print(f'{checker.checked["include"]} includes and {checker.checked["reference"]} references '
          f'({n_objects} objects) checked; {len(folders)} edges between folders; '
          f'{len(checker.failures)} broken rules')
    sys.exit(1 if checker.failures else 0)


if __name__ == '__main__':
    main()
