#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Coverage of extension code, as a CI job measures it (TAP output).

Each case runs the test host (host.c, not instrumented; through MESON_EXE_WRAPPER in a cross
build) or llext-run with steps that load, call and unload the fixture extensions built from
cov.c, then reads what they wrote with the coverage tools: gcov, gcovr and lcov for GCC's
--coverage, llvm-profdata and llvm-cov for Clang's source-based coverage. The counts expected on
the lines cov.c marks (ENTRY, BODY, NEVER, MAIN) follow from the calls the case makes: a call
with n runs ENTRY once and BODY n times; NEVER never runs; MAIN runs once per llext-run.

GCC's data files are written under GCOV_PREFIX, a directory of the case's own, except in the case
that checks GCC's own location, which uses an extension no other case loads."""
import argparse
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile

MARKS = ('ENTRY', 'BODY', 'NEVER', 'MAIN')


class Failed(Exception):
    pass


def marked_lines(source):
    """Line number of each mark in cov.c, found in the source itself."""
    lines = {}
    with open(source) as f:
        for no, text in enumerate(f, 1):
            for m in MARKS:
                if f'/* {m}:' in text:
                    lines[m] = no
    if set(lines) != set(MARKS):
        raise Failed(f'{source} lacks some of the marks {MARKS}')
    return lines


def expected(calls, runs=0):
    """Counts of the marked lines after calls with the given n, and runs of llext-run."""
    return {'ENTRY': len(calls), 'BODY': sum(calls), 'NEVER': 0, 'MAIN': runs}


LEAK = re.compile(r'^(Direct|Indirect) leak of ([0-9]+) byte\(s\) in ([0-9]+) object\(s\) '
                  r'allocated from:\n((?:    #.*\n)+)', re.M)


def profile_name_leaks(stderr, pattern):
    """Under LeakSanitizer: fails on any leak but one. Clang's profile runtime keeps a copy of
    LLVM_PROFILE_FILE from strdup() for as long as its module lives and never frees it, so each
    unload of an instrumented extension loses that block, as each dlclose() of an instrumented
    library does; that leak is the runtime's, of exactly the pattern's length, from strdup()
    called in extension code (which the sanitizer cannot name)."""
    for m in LEAK.finditer(stderr):
        frames = m.group(4).splitlines()
        size, count = int(m.group(2)), int(m.group(3))
        if not (m.group(1) == 'Direct' and size == count * (len(pattern) + 1) and
                len(frames) >= 2 and 'strdup' in frames[0] and '<unknown module>' in frames[1]):
            raise Failed(f'a leak other than the profile runtime\'s file name:\n{m.group(0)}')
    reported = len(re.findall(r'^(Direct|Indirect) leak of', stderr, re.M))
    if reported != len(LEAK.findall(stderr)) or ('ERROR: LeakSanitizer' in stderr and
                                                 not reported):
        raise Failed(f'LeakSanitizer reported what this test cannot read:\n{stderr}')


def run(cmd, env=None, wrap=True, cwd=None):
    """Runs @cmd (through the cross build's wrapper if @wrap) in @cwd, where tools may leave
    their files; its output, or Failed. With LLVM_PROFILE_FILE in @env, the profile runtime's
    leak of it is allowed (profile_name_leaks()), and no other."""
    wrapper = shlex.split(os.environ.get('MESON_EXE_WRAPPER', '')) if wrap else []
    env = dict(os.environ, **(env or {}))
    pattern = env.get('LLVM_PROFILE_FILE') if wrap else None
    if pattern:
        # Leaks are read here, not turned into an exit status.
        env['LSAN_OPTIONS'] = ':'.join(filter(None, [env.get('LSAN_OPTIONS'), 'exitcode=0']))
    r = subprocess.run(wrapper + cmd, capture_output=True, text=True, timeout=240, cwd=cwd,
                       env=env)
    if r.returncode != 0:
        raise Failed(f'{shlex.join(cmd)}: exit {r.returncode}\n{r.stdout}{r.stderr}')
    if pattern:
        profile_name_leaks(r.stderr, pattern)
    return r.stdout


def compare(tool, got, want, lines):
    """Fails unless every marked line has the wanted count in @got (line -> count)."""
    bad = [f'{m} (line {lines[m]}): {got.get(lines[m])} instead of {n}'
           for m, n in want.items() if got.get(lines[m]) != n]
    if bad:
        raise Failed(f'{tool}: ' + '; '.join(bad))


class Cases:
    def __init__(self, a):
        self.a = a
        self.lines = marked_lines(a.source)
        self.tmp = None

    # ---- GCC ----

    def gcda(self, obj, prefix, strip=0):
        """Where libgcov writes @obj's data: its absolute path, under @prefix less @strip parts."""
        base = os.path.splitext(os.path.abspath(obj))[0] + '.gcda'
        if prefix is None:
            return base
        parts = base.split('/')[1:]
        return os.path.join(prefix, *parts[strip:])

    def gcov_counts(self, gcda, obj, gcov=None):
        """Line counts gcov (or @gcov, a command) reports, with the .gcno copied beside the data
        as gcov wants it."""
        gcno = os.path.splitext(gcda)[0] + '.gcno'
        if gcda != self.gcda(obj, None):
            shutil.copy(os.path.splitext(obj)[0] + '.gcno', gcno)
        out = run((gcov or [self.a.gcov]) + ['-t', gcda], wrap=False, cwd=self.tmp)
        counts = {}
        for text in out.splitlines():
            m = re.match(r'\s*([0-9]+\*?|#####|=====|-):\s*([0-9]+):', text)
            if m and m.group(1) != '-' and int(m.group(2)) > 0:
                c = m.group(1).rstrip('*')
                counts[int(m.group(2))] = 0 if c in ('#####', '=====') else int(c)
        return counts

    def check_gcov(self, gcda, obj, want):
        if not os.path.exists(gcda):
            raise Failed(f'{gcda} was not written')
        compare('gcov', self.gcov_counts(gcda, obj), want, self.lines)

    def check_gcovr(self, root, want_by_fn):
        """gcovr over @root: one entry for cov.c, whose functions' counts add up."""
        out = os.path.join(self.tmp, 'gcovr.json')
        run([self.a.gcovr, '--gcov-executable', self.a.gcov, '-r', os.path.dirname(self.a.source),
             '--json', '-o', out, root], wrap=False, cwd=self.tmp)
        with open(out) as f:
            files = json.load(f)['files']
        got = {}
        for f in files:
            if os.path.basename(f['file']) == 'cov.c':
                for ln in f['lines']:
                    got[ln['line_number']] = got.get(ln['line_number'], 0) + ln['count']
        compare('gcovr', got, want_by_fn, self.lines)

    def check_lcov(self, root, want):
        out = os.path.join(self.tmp, 'lcov.info')
        run([self.a.lcov, '--quiet', '--gcov-tool', self.a.gcov, '--capture', '--directory',
             root, '--output-file', out], wrap=False, cwd=self.tmp)
        got = {}
        with open(out) as f:
            for text in f:
                m = re.match(r'DA:([0-9]+),([0-9]+)', text)
                if m:
                    got[int(m.group(1))] = got.get(int(m.group(1)), 0) + int(m.group(2))
        compare('lcov', got, want, self.lines)

    def gcc_env(self, **more):
        return dict({'GCOV_PREFIX': self.tmp}, **more)

    def host(self, steps, env):
        return run([self.a.host] + steps, env)

    def gcc_unload(self):
        """Written when unloaded: the host sees the file before it exits."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp)
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '3', 'absent', g, 'unload', 'a',
                   'exists', g], self.gcc_env())
        self.check_gcov(g, a, expected([3]))

    def gcc_exit(self):
        """Written at exit for what is still loaded, not before."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp)
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '6', 'call', 'a', 'cov_a', '1',
                   'absent', g], self.gcc_env())
        self.check_gcov(g, a, expected([6, 1]))

    def gcc_add_up(self):
        """Two loads in one process, then another process: the counts add up."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp)
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '3', 'unload', 'a',
                   'load', 'a', a, 'call', 'a', 'cov_a', '4', 'call', 'a', 'cov_a', '2',
                   'unload', 'a'], self.gcc_env())
        self.check_gcov(g, a, expected([3, 4, 2]))
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '5'], self.gcc_env())
        self.check_gcov(g, a, expected([3, 4, 2, 5]))
        self.check_lcov(self.tmp, expected([3, 4, 2, 5]))

    def gcc_two(self):
        """Two extensions loaded at once keep their own data; unloading one writes only its own
        and leaves the other's counters as they were."""
        a, b = self.a.gcc_a, self.a.gcc_b
        ga, gb = self.gcda(a, self.tmp), self.gcda(b, self.tmp)
        self.host(['load', 'a', a, 'load', 'b', b, 'call', 'a', 'cov_a', '2',
                   'call', 'b', 'cov_b', '5', 'unload', 'a', 'exists', ga, 'absent', gb,
                   'call', 'b', 'cov_b', '1'], self.gcc_env())
        self.check_gcov(ga, a, expected([2]))
        self.check_gcov(gb, b, expected([5, 1]))
        # gcovr and lcov see both objects' data for the one source: their sum.
        both = expected([2, 5, 1])
        self.check_gcovr(self.tmp, both)
        self.check_lcov(self.tmp, both)

    def gcc_host_cov(self):
        """A host built for coverage too: its own data and the extension's, each written."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp)
        run([self.a.host_cov, 'load', 'a', a, 'call', 'a', 'cov_a', '3', 'unload', 'a'],
            self.gcc_env())
        self.check_gcov(g, a, expected([3]))
        mine = [os.path.join(d, f) for d, _, fs in os.walk(self.tmp) for f in fs
                if f.endswith('host.c.gcda')]
        if len(mine) != 1:
            raise Failed(f'the host wrote {len(mine)} .gcda files of its own, expected 1')

    def gcc_llext_run(self):
        """llext-run, as the host: main() runs once with n from its argument."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp)
        run([self.a.llext_run, a, '--', '7'], self.gcc_env())
        self.check_gcov(g, a, expected([7], runs=1))
        self.check_gcovr(self.tmp, expected([7], runs=1))

    def gcc_archive(self):
        """An archive of instrumented objects loaded whole: libgcov linked into it too."""
        a = self.a.gcc_a
        run([self.a.llext_run, self.a.gcc_archive, '--', '5'], self.gcc_env())
        self.check_gcov(self.gcda(a, self.tmp), a, expected([5], runs=1))

    def gcc_pulled(self):
        """An object not instrumented, loaded with an archive of an instrumented one as a library:
        the member it pulls in brings libgcov with it. pull_run() calls cov_a(2), cov_a(5);
        the member's main() is never called."""
        a = self.a.gcc_a
        run([self.a.llext_run, '-N', self.a.gcc_archive, '-c', 'pull_run', self.a.pull],
            self.gcc_env())
        self.check_gcov(self.gcda(a, self.tmp), a, expected([2, 5]))
        # A libgcov.a named as a library, before the archive, is the one linked: LLEXT_GCOV
        # names a file that is not there, which the load would otherwise go looking for.
        gone = os.path.join(self.tmp, 'gone', 'libgcov.a')
        run([self.a.llext_run, '-N', self.a.libgcov, '-N', self.a.gcc_archive, '-c', 'pull_run',
             self.a.pull], self.gcc_env(LLEXT_GCOV=gone))
        self.check_gcov(self.gcda(a, self.tmp), a, expected([2, 5, 2, 5]))

    def gcc_prefix_strip(self):
        """GCOV_PREFIX_STRIP drops leading directories of the path before GCOV_PREFIX."""
        a = self.a.gcc_a
        g = self.gcda(a, self.tmp, strip=2)
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '4', 'unload', 'a', 'exists', g],
                  self.gcc_env(GCOV_PREFIX_STRIP='2'))
        self.check_gcov(g, a, expected([4]))

    def gcc_default_path(self):
        """Without GCOV_PREFIX, where GCC would write it: beside the object it compiled."""
        d = self.a.gcc_d
        g = self.gcda(d, None)
        if os.path.exists(g):
            os.unlink(g)
        env = {k: v for k, v in os.environ.items() if not k.startswith('GCOV_PREFIX')}
        r = subprocess.run(shlex.split(os.environ.get('MESON_EXE_WRAPPER', '')) +
                           [self.a.host, 'load', 'd', d, 'call', 'd', 'cov_a', '3',
                            'unload', 'd', 'exists', g], env=env, capture_output=True,
                           text=True, timeout=240)
        if r.returncode != 0:
            raise Failed(f'host: exit {r.returncode}\n{r.stderr}')
        self.check_gcov(g, d, expected([3]))

    # ---- Clang ----

    def llvm_counts(self, profraws, obj):
        """Line counts llvm-cov show reports for @obj from the merged raw profiles."""
        prof = os.path.join(self.tmp, 'merged.profdata')
        run([self.a.llvm_profdata, 'merge', '-o', prof] + profraws, wrap=False)
        out = run([self.a.llvm_cov, 'show', obj, '-instr-profile', prof, self.a.source],
                  wrap=False)
        counts = {}
        for text in out.splitlines():
            m = re.match(r'\s*([0-9]+)\|\s*([0-9]+)\|', text)
            if m:
                counts[int(m.group(1))] = int(m.group(2))
        return counts

    def profiles(self, pattern):
        names = sorted(n for n in os.listdir(self.tmp) if re.fullmatch(pattern, n))
        return [os.path.join(self.tmp, n) for n in names]

    def check_llvm(self, profraws, obj, want):
        if not profraws:
            raise Failed('no profile was written')
        compare('llvm-cov', self.llvm_counts(profraws, obj), want, self.lines)

    def clang_unload(self):
        """Written at unload, named as LLVM_PROFILE_FILE says: %p is the process's id."""
        a = self.a.clang_a
        out = self.host(['pid', 'load', 'a', a, 'call', 'a', 'cov_a', '3', 'written', self.tmp,
                         '0', 'unload', 'a', 'written', self.tmp, '1'],
                        {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'a-%p.profraw')})
        pid = re.search(r'^pid ([0-9]+)$', out, re.M).group(1)
        self.check_llvm(self.profiles(f'a-{pid}\\.profraw'), a, expected([3]))

    def clang_exit(self):
        """Written at exit for what is still loaded; %h is the host name."""
        a = self.a.clang_a
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '4', 'call', 'a', 'cov_a', '2',
                   'written', self.tmp, '0'],
                  {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'h-%h.profraw')})
        host = re.escape(socket.gethostname())
        self.check_llvm(self.profiles(f'h-{host}\\.profraw'), a, expected([4, 2]))

    def clang_two(self):
        """%m: a file per extension, which a later write merges into; two extensions loaded at
        once keep their own counters, and unloading one writes only its own."""
        a, b = self.a.clang_a, self.a.clang_b
        self.host(['load', 'a', a, 'load', 'b', b, 'call', 'a', 'cov_a', '2',
                   'call', 'b', 'cov_b', '5', 'unload', 'a', 'written', self.tmp, '1',
                   'load', 'a', a, 'call', 'a', 'cov_a', '3', 'unload', 'a',
                   'written', self.tmp, '1', 'call', 'b', 'cov_b', '1'],
                  {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'm-%m.profraw')})
        files = self.profiles(r'm-[0-9]+_0\.profraw')
        if len(files) != 2:
            raise Failed(f'{len(files)} profiles written, expected one per extension')
        # main() is in both objects, so their profiles are merged per object here.
        for obj, fn, calls in ((a, 'cov_a', [2, 3]), (b, 'cov_b', [5, 1])):
            mine = [f for f in files if fn in self.names_in(f)]
            if len(mine) != 1:
                raise Failed(f'{len(mine)} profiles hold {fn}, expected 1')
            self.check_llvm(mine, obj, expected(calls))

    def names_in(self, profraw):
        prof = os.path.join(self.tmp, 'one.profdata')
        run([self.a.llvm_profdata, 'merge', '-o', prof, profraw], wrap=False)
        return run([self.a.llvm_profdata, 'show', '--all-functions', prof], wrap=False)

    def clang_gcov(self):
        """Clang's --coverage: gcov data from the same runtime, under GCOV_PREFIX."""
        a = self.a.clang_gcov
        g = self.gcda(a, self.tmp)
        self.host(['load', 'a', a, 'call', 'a', 'cov_a', '3', 'call', 'a', 'cov_a', '2',
                   'unload', 'a', 'exists', g], self.gcc_env())
        compare('llvm-cov gcov', self.gcov_counts(g, a, [self.a.llvm_cov, 'gcov']),
                expected([3, 2]), self.lines)

    def clang_llext_run(self):
        """llext-run, as the host."""
        a = self.a.clang_a
        run([self.a.llext_run, a, '--', '7'],
            {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'r-%p.profraw')})
        self.check_llvm(self.profiles(r'r-[0-9]+\.profraw'), a, expected([7], runs=1))

    def clang_pulled(self):
        """The same with Clang's archive: its member brings the profile runtime, which nothing
        references, and the profile is written at exit."""
        a = self.a.clang_a
        run([self.a.llext_run, '-N', self.a.clang_archive, '-c', 'pull_run', self.a.pull],
            {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'p-%p.profraw')})
        self.check_llvm(self.profiles(r'p-[0-9]+\.profraw'), a, expected([2, 5]))

    def clang_pulled_mixed(self):
        """An object built for GCC's coverage with Clang's archive: libgcov for the object, then
        the profile runtime for the member it pulls; each writes its own data."""
        a, obj = self.a.clang_a, self.a.pull_gcc
        run([self.a.llext_run, '-N', self.a.clang_archive, '-c', 'pull_run', obj],
            self.gcc_env(LLVM_PROFILE_FILE=os.path.join(self.tmp, 'q-%p.profraw')))
        self.check_llvm(self.profiles(r'q-[0-9]+\.profraw'), a, expected([2, 5]))
        # pull_run() ran once: each of its two calls' lines once.
        with open(self.a.pull_source) as f:
            calls = {no: 1 for no, text in enumerate(f, 1) if re.search(r'cov_a\([25]\);', text)}
        if len(calls) != 2:
            raise Failed(f'{self.a.pull_source} lacks the calls cov_a(2); and cov_a(5);')
        g = self.gcda(obj, self.tmp)
        if not os.path.exists(g):
            raise Failed(f'{g} was not written')
        got = self.gcov_counts(g, obj)
        bad = [f'line {no}: {got.get(no)} instead of 1' for no in calls if got.get(no) != 1]
        if bad:
            raise Failed('gcov: ' + '; '.join(bad))

    def ehdr(self):
        """__ehdr_start, which the runtime reads: the host's machine, no program headers."""
        out = self.host(['load', 'e', self.a.ehdr, 'call', 'e', 'ehdr_check', '7'], {})
        if 'ehdr_check(7) = 7' not in out:
            raise Failed(f'ehdr_check() saw another header:\n{out}')

    # ---- a CMocka test with per-load mocks ----

    # The lines of thermostat.c whose counts follow from test_thermostat.c's calls, by their
    # text (the first line holding it): its three tests load the extension afresh, step it 1, 3
    # and 1 times; it heats at 15 and at 18 degrees, stops at a mean of 22, and one malloc()
    # fails. thermostat_reset() is never called.
    THERMO = {'history = malloc(': 3, 'return -1;': 1, 'history[count++': 4,
              'heating = 1;': 2, 'heating = 0;': 1, 'free(history);': 0}

    def thermo_lines(self):
        lines = {}
        with open(self.a.thermostat_source) as f:
            for no, text in enumerate(f, 1):
                for k in self.THERMO:
                    if k in text and k not in lines:
                        lines[k] = no
        if set(lines) != set(self.THERMO):
            raise Failed(f'{self.a.thermostat_source} has none of {set(self.THERMO) - set(lines)}')
        return lines

    def thermostat(self, obj, env):
        out = run([self.a.thermostat_test, obj], dict(env, CMOCKA_MESSAGE_OUTPUT='TAP'))
        if out.count('\nok ') + out.startswith('ok ') != 3:
            raise Failed(f'test_thermostat did not pass its 3 tests:\n{out}')

    def gcc_cmocka(self):
        """The mocks bind the extension's malloc(), not the one libgcov writes with."""
        obj = self.a.thermostat_gcc
        self.thermostat(obj, self.gcc_env())
        g = self.gcda(obj, self.tmp)
        self.check_gcov(g, obj, {})
        compare('gcov', self.gcov_counts(g, obj), self.THERMO, self.thermo_lines())

    def clang_cmocka(self):
        obj = self.a.thermostat_clang
        self.thermostat(obj, {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 't-%p.profraw')})
        files = self.profiles(r't-[0-9]+\.profraw')
        if not files:
            raise Failed('no profile was written')
        prof = os.path.join(self.tmp, 'merged.profdata')
        run([self.a.llvm_profdata, 'merge', '-o', prof] + files, wrap=False)
        out = run([self.a.llvm_cov, 'show', obj, '-instr-profile', prof], wrap=False)
        counts = {}
        for text in out.splitlines():
            m = re.match(r'\s*([0-9]+)\|\s*([0-9]+)\|', text)
            if m:
                counts[int(m.group(1))] = int(m.group(2))
        compare('llvm-cov', counts, self.THERMO, self.thermo_lines())

    # ---- where the runtime comes from ----

    def refused(self, cmd, env, words):
        """@cmd must fail, saying each of @words."""
        r = subprocess.run(shlex.split(os.environ.get('MESON_EXE_WRAPPER', '')) + cmd,
                           capture_output=True, text=True, timeout=240,
                           env=dict(os.environ, **env))
        missing = [w for w in words if w not in r.stderr]
        if r.returncode == 0 or missing:
            raise Failed(f'{shlex.join(cmd)}: exit {r.returncode}, message lacks {missing}:\n'
                         f'{r.stderr}')

    def runtime_choice(self, obj, plain, var, runtime, env, check):
        """@var names the runtime; without a version in .comment the load says to set it;
        a runtime named as a library (-N) is used as it is."""
        gone = os.path.join(self.tmp, 'gone', os.path.basename(runtime))
        self.refused([self.a.llext_run, plain, '--', '1'], dict(env, **{var: gone}), [gone])
        # A name longer than a path can be is refused, not cut to another path.
        long = os.path.join(self.tmp, 'x' * 5000, os.path.basename(runtime))
        self.refused([self.a.llext_run, plain, '--', '1'], dict(env, **{var: long}),
                     ['longer than PATH_MAX'])
        self.refused([self.a.llext_run, obj, '--', '1'], env, [var])
        run([self.a.llext_run, obj, '--', '2'], dict(env, **{var: runtime}))
        run([self.a.llext_run, '-N', runtime, obj, '--', '3'], env)
        check(expected([2, 3], runs=2))

    def gcc_runtime(self):
        a = self.a.gcc_a
        # .comment is "GCC: (broken) 1", without its NUL: version 1, whose libgcov.a is
        # nowhere; the message names the version and the variable.
        self.refused([self.a.llext_run, self.a.gcc_badcomment], {}, ['GCC 1,', 'LLEXT_GCOV'])
        self.runtime_choice(self.a.gcc_nocomment, a, 'LLEXT_GCOV', self.a.libgcov,
                            self.gcc_env(),
                            lambda w: self.check_gcov(self.gcda(a, self.tmp), a, w))

    def clang_runtime(self):
        a = self.a.clang_a
        env = {'LLVM_PROFILE_FILE': os.path.join(self.tmp, 'v-%p.profraw')}
        self.runtime_choice(self.a.clang_nocomment, a, 'LLEXT_PROFILE_RT', self.a.profile_rt,
                            env, lambda w: self.check_llvm(self.profiles(r'v-[0-9]+\.profraw'),
                                                           a, w))


GCC_CASES = [
    ('gcc: .gcda written at unload, counts right', 'gcc_unload', ['gcov']),
    ('gcc: .gcda written at exit for what is still loaded', 'gcc_exit', ['gcov']),
    ('gcc: two loads in one process and a second process add up', 'gcc_add_up',
     ['gcov', 'lcov']),
    ('gcc: two extensions at once keep their own data', 'gcc_two', ['gcov', 'gcovr', 'lcov']),
    ('gcc: llext-run', 'gcc_llext_run', ['gcov', 'gcovr']),
    ('gcc: a host built for coverage too', 'gcc_host_cov', ['gcov']),
    ('gcc: an archive of instrumented objects, loaded whole', 'gcc_archive', ['gcov']),
    ('gcc: an instrumented member pulled from a library archive links libgcov (or the one '
     'named)', 'gcc_pulled', ['gcov', 'libgcov']),
    ('gcc: GCOV_PREFIX_STRIP honoured', 'gcc_prefix_strip', ['gcov']),
    ('gcc: written where GCC would write it', 'gcc_default_path', ['gcov']),
    ('gcc: LLEXT_GCOV and -N name the runtime; no version, a message naming LLEXT_GCOV',
     'gcc_runtime', ['gcov']),
    ('gcc: a CMocka test with per-load mocks of malloc()', 'gcc_cmocka', ['gcov']),
]
CLANG_CASES = [
    ('clang: profile written at unload, %p honoured', 'clang_unload', []),
    ('clang: profile written at exit, %h honoured', 'clang_exit', []),
    ('clang: %m, two extensions at once, two loads merged', 'clang_two', []),
    ('clang: llext-run', 'clang_llext_run', []),
    ('clang: --coverage, read by llvm-cov gcov', 'clang_gcov', []),
    ('clang: LLEXT_PROFILE_RT and -N name the runtime; no version, a message naming it',
     'clang_runtime', []),
    ('clang: a CMocka test with per-load mocks of malloc()', 'clang_cmocka', []),
    ('clang: an instrumented member pulled from a library archive links the profile runtime',
     'clang_pulled', []),
    ('clang: its member pulled into an object built for GCC\'s coverage: both runtimes',
     'clang_pulled_mixed', ['clang-a', 'llvm-profdata', 'llvm-cov', 'gcov']),
    ('__ehdr_start: an ELF header without program headers', 'ehdr', ['ehdr']),
]


def main():
    p = argparse.ArgumentParser()
    for opt in ('source', 'host', 'llext-run', 'gcc-a', 'gcc-b', 'gcc-d', 'gcc-nocomment',
                'libgcov', 'clang-a', 'clang-b', 'clang-nocomment', 'profile-rt', 'gcov', 'gcovr',
                'lcov', 'llvm-profdata', 'llvm-cov', 'thermostat-test', 'thermostat-source',
                'thermostat-gcc', 'thermostat-clang', 'gcc-archive', 'no-clang', 'clang-gcov',
                'gcc-badcomment', 'ehdr', 'host-cov', 'pull', 'clang-archive',
                'pull-gcc', 'pull-source'):
        p.add_argument('--' + opt)
    a = p.parse_args()
    cases = Cases(a)
    plan = [(n, m, tools + ['gcov']) for n, m, tools in GCC_CASES]
    plan += [(n, m, extra or ['clang-a', 'clang-b', 'llvm-profdata', 'llvm-cov'])
             for n, m, extra in CLANG_CASES]
    print(f'1..{len(plan)}')
    failed = 0
    for i, (name, method, needs) in enumerate(plan, 1):
        missing = [t for t in needs if not getattr(a, t.replace('-', '_'))]
        if missing:
            why = a.no_clang if a.no_clang and 'clang-a' in missing else \
                f'{", ".join(missing)} not found'
            print(f'ok {i} - {name} # SKIP {why}')
            continue
        cases.tmp = tempfile.mkdtemp(prefix='llext-cov-')
        try:
            getattr(cases, method)()
            print(f'ok {i} - {name}')
        except (Failed, OSError, subprocess.TimeoutExpired) as e:
            failed += 1
            print(f'not ok {i} - {name}')
            for text in str(e).splitlines():
                print(f'# {text}')
        finally:
            shutil.rmtree(cases.tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
