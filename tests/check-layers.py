#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every folder of lib/, and arch/, uses only the folders its row of the table in docs/design.md
("## Layers") names, and itself. "Use" is seen two ways, and both are checked:

- includes: every #include "..." of lib/ and arch/ sources, resolved as the compiler does
  (the including file's folder, then -I lib, then -I arch);
- references: every undefined symbol of an object of the internal library that another of its
  objects defines, read with nm, each object mapped back to the source it was compiled from.

Inside lib/load/, the driver (load.c) calls the stages, and a stage calls into another file of
lib/load/ only through the functions docs/design.md lists under "### What the stages share".

Prints one line per broken rule and exits 1; otherwise prints a summary and exits 0.
--list prints the edges between folders that were seen, with counts; --self-test checks the
checker on a made-up tree."""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_SUFFIXES = ('.c', '.h', '.S')
# nm's letters for a symbol an object needs but does not define (U, and weak w/v).
UNDEFINED = {'U', 'w', 'v'}
# The load driver: the one file of lib/load/ that calls the stages.
DRIVER = 'load.c'


def parse_table(text, design):
    """The "## Layers" table: {folder short name: [folders it may use, in the table's order]}."""
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
    """Object file name -> source, for each target folder. Meson names an object after its
    source's path relative to the folder of the meson.build that builds it, '/' made '_':
    lib/load/load.c built in lib/ is load_load.c.o, lib/runtime/tlsdesc_x86_64.S is
    runtime_tlsdesc_x86_64.S.o, and arch/x86_64/reloc.c built in arch/ is x86_64_reloc.c.o."""
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


def parse_shared(text, design):
    """The functions that "### What the stages share" lists: the only ones of lib/load/ that a
    stage may call in another file of lib/load/ (the driver, load.c, calls every stage)."""
    m = re.search(r'^### What the stages share\n(.*?)(?=^##|\Z)', text, re.S | re.M)
    if not m:
        sys.exit(f'{design}: no "### What the stages share" section')
    return set(re.findall(r'`(llext_\w+)\(\)`', m.group(1)))


def check_stage(checker, shared, src, dst_src, name):
    """A file of lib/load/ other than the driver may call another one only through @shared."""
    tree = checker.tree
    if dst_src == src or src.name == DRIVER or name in shared:
        return
    checker.failures.append(f'{tree.name(src)}: refers to {name}, defined in '
                            f'{tree.name(dst_src)}: a stage calls another stage only through '
                            'what docs/design.md lists under "What the stages share"')


def check_references(checker, objects, library, build_root, shared=frozenset()):
    """objects: what read_symbols() returns. Returns how many objects were mapped to sources."""
    tree = checker.tree
    names = object_names(tree)
    sources = {}  # object -> (source, folder)
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
                if folder == dst == 'load' and shared:
                    check_stage(checker, shared, src, dst_src, name)
    return len(sources)


def print_edges(checker):
    for kind in ('include', 'reference'):
        print(f'{kind} edges between folders (count: {kind}s making the edge):')
        for (k, src, dst), n in sorted(checker.edges.items()):
            if k == kind:
                mark = '' if checker.allowed(src, dst) else '  NOT ALLOWED'
                print(f'  {src} -> {dst}: {n}{mark}')


SELF_TEST_FILES = {
    'docs/design.md': """## Layers

| folder | what | may use |
|---|---|---|
| `lib/a/` | the top | `b` |
| `lib/b/` | below it | (nothing) |
| `arch/` | encoders | (nothing) |

## Next
| `lib/c/` | not in the section | `a` |
""",
    # The include in a comment is not one.
    'lib/a/a.c': ('#include "a/a.h"\n#include "b/b.h"\n'
                  '/*\n#include "arch.h"\n*/\n#include "arch.h"\n'),
    'lib/a/a.h': '',
    'lib/b/b.c': '#include "b.h"\n',
    'lib/b/b.h': '#include "../a/a.h"\n#include "missing.h"\n',
    'arch/arch.h': '',
    'arch/k/r.S': '#include "../arch.h"\n',
}

# One line for each broken rule of SELF_TEST_FILES, and no more.
SELF_TEST_EXPECTED = [
    'lib/a/a.c:6: includes "arch.h" (arch/arch.h): a may not use arch',
    'lib/b/b.h:1: includes "../a/a.h" (lib/a/a.h): b may not use a',
    'lib/b/b.h:2: includes "missing.h", found neither',
    'x.a: cannot tell which source',
    'lib/a/a.c: refers to fr, defined in arch/k/r.S: a may not use arch',
    'arch/k/r.S: refers to fb, defined in lib/b/b.c: arch may not use b',
]


def self_test():
    """The checker on a small tree made here, where each kind of broken rule occurs once: the
    table parser, include resolution and the mapping of objects to sources, without a build."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        for name, text in SELF_TEST_FILES.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        rules = parse_table(SELF_TEST_FILES['docs/design.md'], 'design.md')
        assert rules == {'a': ['b'], 'b': [], 'arch': []}, rules
        checker = Checker(Tree(root / 'lib', root / 'arch', rules))
        check_includes(checker)
        p = root / 'build' / 'lib' / 'x.a.p'
        objects = {str(p / 'a_a.c.o'): ({'fa'}, {'fb', 'fr', 'printf'}),
                   str(p / 'b_b.c.o'): ({'fb'}, set()),
                   str(p / '.._arch_k_r.S.o'): ({'fr'}, {'fb'}),
                   str(p / 'gone.c.o'): (set(), {'fa'})}
        n_objects = check_references(checker, objects, 'x.a', root / 'build')
    ok = n_objects == 3 and checker.checked == {'include': 6, 'reference': 3}
    unmatched = list(checker.failures)
    for want in SELF_TEST_EXPECTED:
        hits = [f for f in unmatched if f.startswith(want)]
        if len(hits) != 1:
            ok = False
            print(f'expected one failure starting {want!r}, got {len(hits)}')
        else:
            unmatched.remove(hits[0])
    for failure in unmatched:
        ok = False
        print(f'unexpected failure: {failure}')
    print(f'self-test: {n_objects} objects, {dict(checker.checked)} checked, '
          f'{len(checker.failures)} broken rules found: {"as expected" if ok else "WRONG"}')
    sys.exit(0 if ok else 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('design', type=Path, nargs='?', help='docs/design.md')
    ap.add_argument('lib', type=Path, nargs='?', help='the lib/ source folder')
    ap.add_argument('arch', type=Path, nargs='?', help='the arch/ source folder')
    ap.add_argument('library', type=Path, nargs='?',
                    help='the internal static library (libllext-internal.a)')
    ap.add_argument('--build-root', type=Path, default=Path.cwd(),
                    help='the build directory the library is in (default: the current one)')
    ap.add_argument('--nm', default=os.environ.get('NM', 'nm'), help='nm to read objects with')
    ap.add_argument('--list', action='store_true', help='print the edges between folders seen')
    ap.add_argument('--self-test', action='store_true',
                    help='check the checker on a made-up tree, then exit')
    args = ap.parse_args()
    if args.self_test:
        self_test()
    if args.library is None:
        ap.error('design, lib, arch and library are needed')

    design = args.design.read_text()
    rules = parse_table(design, args.design)
    shared = parse_shared(design, args.design)
    checker = Checker(Tree(args.lib, args.arch, rules))
    check_includes(checker)
    objects = read_symbols(args.nm, args.library)
    n_objects = check_references(checker, objects, args.library, args.build_root.resolve(),
                                 shared)
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
