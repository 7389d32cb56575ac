#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""llext-symbolize on real sanitizer reports (TAP).

Runs hosts built with AddressSanitizer and UndefinedBehaviorSanitizer on extensions with a bug
each, LLEXT_PERF_MAP=1 in the environment, saves their reports and rewrites them. Expected lines
come from the sources: the line that carries a bug's marker comment. In a cross build, the hosts
run through $MESON_EXE_WRAPPER.

Usage: test_symbolize.py LLEXT_SYMBOLIZE SRC_DIR BUILD_DIR HOST_ASAN HOST_UBSAN HOST_TSAN
                        OV.o UB.o RACE.o
"""
import os
import re
import shlex
import subprocess
import sys

symbolize, src_dir, build_dir, host_asan, host_ubsan, host_tsan = sys.argv[1:7]
ov_obj, ub_obj, race_obj = sys.argv[7:10]
wrapper = shlex.split(os.environ.get('MESON_EXE_WRAPPER', ''))
results = []


def line_of(src, marker):
    with open(os.path.join(src_dir, src), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if marker in line:
                return '%s:%d' % (src, n)
    raise AssertionError('no %r in %s' % (marker, src))


def run_host(host, obj, func, arg, env_extra):
    env = dict(os.environ, LLEXT_PERF_MAP='1', **env_extra)
    p = subprocess.run(wrapper + [host, obj, func, str(arg)], capture_output=True, text=True,
                       env=env, check=False)
    m = re.search(r'^pid (\d+)$', p.stdout, re.M)
    assert m, 'the host did not start: %s%s' % (p.stdout, p.stderr)
    return int(m.group(1)), p.returncode, p.stderr


def cleanup(pid):
    for ext in ('map', 'llext'):
        try:
            os.unlink('/tmp/perf-%d.%s' % (pid, ext))
        except FileNotFoundError:
            pass


def symbolize_text(report, *args):
    path = os.path.join(build_dir, 'report.txt')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(report)
    by_file = subprocess.run([sys.executable, symbolize, *args, path], capture_output=True,
                             text=True, check=False)
    by_stdin = subprocess.run([sys.executable, symbolize, *args], input=report,
                              capture_output=True, text=True, check=False)
    assert by_file.stdout == by_stdin.stdout, 'a file and standard input differ'
    assert by_file.returncode == by_stdin.returncode
    return by_file


def at(where, frame):
    """The frame names file:line @where (a path ending in it)."""
    return re.search(r'[ /]%s ' % re.escape(where), frame) is not None


def frame_with(text, func):
    for line in text.splitlines():
        if re.match(r'\s*#\d+ 0x[0-9a-f]+ in %s ' % re.escape(func), line):
            return line
    raise AssertionError('no frame in %s:\n%s' % (func, text))


def check_passthrough(before, after):
    """Lines that are not frames in extension code are unchanged, and nothing is lost."""
    b, a = before.splitlines(), after.splitlines()
    assert len(a) == len(b), 'line count changed'
    for x, y in zip(b, a):
        if '(<unknown module>)' not in x and '(/memfd:' not in x:
            assert x == y, 'changed: %r -> %r' % (x, y)
    assert '(<unknown module>)' not in after and '(/memfd:' not in after, after


def check_asan_heap_overflow(env, unnamed):
    pid, rc, report = run_host(host_asan, ov_obj, 'ov_run', 8,
                               dict(env, ASAN_OPTIONS='detect_leaks=0'))
    try:
        assert rc != 0 and 'heap-buffer-overflow' in report, report
        assert unnamed in report, 'the sanitizer named the frames itself:\n' + report
        # The record: the code section, where it is, the extension, the object's real path.
        with open('/tmp/perf-%d.llext' % pid, encoding='utf-8') as f:
            recs = [l.rstrip('\n').split(' ', 4) for l in f]
        text = [r for r in recs if r[2] == '.text']
        assert len(text) == 1, recs
        assert text[0][3:] == ['ov-address', os.path.realpath(ov_obj)], recs
        first = int(re.search(r'#0 0x([0-9a-f]+)', report).group(1), 16)
        assert int(text[0][0], 16) <= first < int(text[0][0], 16) + int(text[0][1], 16)
        out = symbolize_text(report)
        assert out.returncode == 0, out.stderr
        smash = frame_with(out.stdout, 'smash')
        assert at(line_of('ov.c', 'overflow:'), smash), smash
        assert '(ov-address.o:.text+0x' in smash and '[extension ov-address, smash+0x' in smash
        caller = frame_with(out.stdout, 'ov_run')
        assert at(line_of('ov.c', '/* caller */'), caller), caller
        assert re.search(r'^SUMMARY: AddressSanitizer: heap-buffer-overflow \S*%s in smash$' %
                         re.escape(line_of('ov.c', 'overflow:')), out.stdout, re.M), out.stdout
        # The host's own frames are the sanitizer's, untouched.
        assert re.search(r'in main \S*san_host.c:\d+', out.stdout)
        check_passthrough(report, out.stdout)
    finally:
        cleanup(pid)


def test_asan_heap_overflow():
    check_asan_heap_overflow({}, '(<unknown module>)')


def test_asan_sealed_text():
    """Sealed text is a memfd's mapping: the sanitizer names the memfd, and no function."""
    check_asan_heap_overflow({'LLEXT_SEALED_TEXT': '1'}, '(/memfd:ov-address (deleted)+0x')


def test_lsan_leak():
    pid, rc, report = run_host(host_asan, ov_obj, 'ov_leak', 24,
                               {'ASAN_OPTIONS': 'detect_leaks=1'})
    try:
        if 'LeakSanitizer does not work under ptrace' in report or \
           'LeakSanitizer has encountered a fatal error' in report:
            return 'skip LeakSanitizer cannot run here: ' + report.strip().splitlines()[-1]
        assert rc != 0 and 'Direct leak of 24 byte(s)' in report, report
        out = symbolize_text(report)
        keep = frame_with(out.stdout, 'keep')
        assert at(line_of('ov.c', '/* leak */'), keep), keep
        check_passthrough(report, out.stdout)
    finally:
        cleanup(pid)
    return None


def test_ubsan_needs_pid():
    pid, rc, report = run_host(host_ubsan, ub_obj, 'ub_run', 2**31 - 1,
                               {'UBSAN_OPTIONS': 'print_stacktrace=1:halt_on_error=1'})
    try:
        assert rc != 0 and 'signed integer overflow' in report, report
        assert '(<unknown module>)' in report, report
        # UBSan's report does not say which process wrote it.
        out = symbolize_text(report)
        assert out.returncode != 0 and '--pid' in out.stderr, out.stderr
        assert out.stdout == report
        out = symbolize_text(report, '--pid', str(pid))
        assert out.returncode == 0, out.stderr
        add = frame_with(out.stdout, 'add_one')
        assert at(line_of('ub.c', 'overflow:'), add), add
        check_passthrough(report, out.stdout)
    finally:
        cleanup(pid)


def test_tsan_race():
    env = dict(os.environ, LLEXT_PERF_MAP='1', TSAN_OPTIONS='halt_on_error=0')
    # Under qemu's user mode, ThreadSanitizer finds the emulated address space randomized and
    # re-executes itself to fix it, which execve() refuses (an AArch64 program on an x86-64
    # kernel): qemu is started without address space randomization instead.
    norandom = ['setarch', os.uname().machine, '-R'] if wrapper else []
    p = subprocess.run(norandom + wrapper + [host_tsan, race_obj, 'race_run', '1'],
                       capture_output=True, text=True, env=env, check=False)
    m = re.search(r'^pid (\d+)$', p.stdout, re.M)

    assert m, p.stdout + p.stderr
    pid = int(m.group(1))
    try:
        report = p.stderr
        assert 'WARNING: ThreadSanitizer: data race (pid=%d)' % pid in report, report
        assert '#0 <null> <null> (0x' in report, report
        out = symbolize_text(report)
        assert out.returncode == 0, out.stderr
        # Both accesses, and where each thread was created: a return address, looked up at
        # the call before it.
        access = [l for l in out.stdout.splitlines() if re.match(r'\s*#0 bump ', l)]
        assert len(access) == 2 and all(at(line_of('race.c', '/* race */'), l) for l in access), \
            out.stdout
        created = [l for l in out.stdout.splitlines() if re.match(r'\s*#1 race_run ', l)]
        assert len(created) == 2, out.stdout
        assert all(at(line_of('race.c', '/* create */'), l) for l in created), out.stdout
        assert re.search(r'^SUMMARY: ThreadSanitizer: data race \S*%s in bump$' %
                         re.escape(line_of('race.c', '/* race */')), out.stdout, re.M)
        b, a = report.splitlines(), out.stdout.splitlines()
        assert len(a) == len(b)
        for x, y in zip(b, a):
            if '<null> <null> (0x' not in x and '(<unknown module>)' not in x:
                assert x == y, 'changed: %r -> %r' % (x, y)
    finally:
        cleanup(pid)
    return None


def test_no_records():
    report = ('==999999999==ERROR: AddressSanitizer: SEGV on unknown address\n'
              '    #0 0x7f0000001000  (<unknown module>)\n')
    out = symbolize_text(report)
    assert out.returncode != 0 and 'LLEXT_PERF_MAP=1' in out.stderr, out.stderr
    assert out.stdout == report


# ---- record files written here, for a process that never ran ----

FAKE_PID = 999999998
FAKE_REPORT = ('==%d==ERROR: AddressSanitizer: SEGV on unknown address\n'
               '    #0 0x7f0000001010  (<unknown module>)\n'
               '    #1 0x7f0000002020  (<unknown module>)\n' % FAKE_PID)


def fake_records(map_lines, llext_lines):
    d = os.path.join(build_dir, 'fake-records')
    os.makedirs(d, exist_ok=True)
    for ext, lines in (('map', map_lines), ('llext', llext_lines)):
        path = os.path.join(d, 'perf-%d.%s' % (FAKE_PID, ext))
        if os.path.lexists(path):
            os.unlink(path)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(''.join(l + '\n' for l in lines))
    return d


def symbolize_fake(d, *args):
    # The timeout only ends a run that hangs, which fails the test.
    try:
        return subprocess.run([sys.executable, symbolize, '--dir', d, *args], input=FAKE_REPORT,
                              capture_output=True, text=True, check=False, timeout=60)
    except subprocess.TimeoutExpired as e:
        raise AssertionError('llext-symbolize hung') from e


GOOD_MAP = ['7f0000001000 100 first_fn [fake]', '7f0000002000 100 second_fn [fake]']


def test_malformed_records():
    """Garbage lines are skipped with one warning per file; the good lines still name frames."""
    d = fake_records(GOOD_MAP[:1] + ['7f00000zz000 100 broken [fake]', 'garbage'] + GOOD_MAP[1:],
                     ['7f0000001000 100 .text fake -', 'not a record at all'])
    out = symbolize_fake(d)
    assert out.returncode == 0, out.stderr
    assert 'Traceback' not in out.stderr, out.stderr
    assert re.search(r'perf-%d\.map: 2 malformed lines skipped' % FAKE_PID, out.stderr), out.stderr
    assert re.search(r'perf-%d\.llext: 1 malformed line skipped' % FAKE_PID, out.stderr), \
        out.stderr
    assert len(out.stderr.splitlines()) == 2, out.stderr
    assert '#0 0x7f0000001010 in first_fn [extension fake, first_fn+0x10]' in out.stdout, \
        out.stdout
    assert '#1 0x7f0000002020 in second_fn [extension fake, second_fn+0x20]' in out.stdout, \
        out.stdout


def test_fifo_object():
    """A record naming a FIFO as its object is not read (it would block): the frame keeps the
    function from the map, without a line."""
    fifo = os.path.join(build_dir, 'fake-records', 'object-fifo.o')
    d = fake_records(GOOD_MAP, ['7f0000001000 1000 .text fake ' + fifo])
    if os.path.lexists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    try:
        out = symbolize_fake(d)
    finally:
        os.unlink(fifo)
    assert out.returncode == 0, out.stderr
    assert '#0 0x7f0000001010 in first_fn (object-fifo.o:.text+0x10) ' \
        '[extension fake, first_fn+0x10]' in out.stdout, out.stdout


def test_foreign_records():
    """Record files of another user are ignored with a warning, unless --force."""
    if os.geteuid() != 0:
        return 'skip making another user\'s file needs root'
    d = fake_records(GOOD_MAP, [])
    for ext in ('map', 'llext'):
        os.chown(os.path.join(d, 'perf-%d.%s' % (FAKE_PID, ext)), 65534, 65534)
    out = symbolize_fake(d)
    assert out.returncode == 0, out.stderr
    assert 'owned by uid 65534, not by you; ignored' in out.stderr, out.stderr
    assert out.stdout == FAKE_REPORT, out.stdout
    for flag in ('-f', '--force'):
        out = symbolize_fake(d, flag)
        assert out.returncode == 0 and 'ignored' not in out.stderr, out.stderr
        assert 'in first_fn [extension fake' in out.stdout, out.stdout
    return None


def main():
    tests = [test_asan_heap_overflow, test_asan_sealed_text, test_lsan_leak, test_ubsan_needs_pid,
             test_tsan_race, test_no_records, test_malformed_records, test_fifo_object,
             test_foreign_records]
    print('1..%d' % len(tests))
    failed = 0
    for i, t in enumerate(tests, 1):
        try:
            skip = t()
            print('ok %d - %s%s' % (i, t.__name__, (' # ' + skip) if skip else ''))
        except AssertionError as e:
            failed += 1
            print('not ok %d - %s' % (i, t.__name__))
            for line in str(e).splitlines():
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
