#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Extensions seen through debuggers: gdb (natively, or gdb-multiarch against qemu-aarch64 -g)
and lldb run in batch mode against tests/debug/debug_host.c, which loads fixtures built by GCC
and Clang at -O0 and -O2 with DWARF 5 and 4, and without -g. Every check is one TAP line that
fails with the debugger's output.

Usage: test_debuggers.py --arch ARCH --host HOST --fixtures DIR --source dbg_ext.c
                         --gdb GDB [--lldb LLDB] [--qemu QEMU]
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

TIMEOUT = 180

args = None
lines = {}  # marker comment in dbg_ext.c -> line number


def marker_lines(path):
    found = {}
    with open(path) as f:
        for n, text in enumerate(f, 1):
            m = re.search(r'/\* ([A-Z_]+) \*/', text)
            if m:
                found[m.group(1)] = n
    return found


def fixture(name):
    return os.path.join(args.fixtures, name + '.o')


class Run:
    """One debugger session: its output, split at `echo @@NAME` markers into sections."""

    def __init__(self, title, out, error=None):
        self.title, self.out, self.error = title, out, error
        self.sections = {}
        parts = re.split(r'^@@(\w+)$', out, flags=re.M)
        for k in range(1, len(parts) - 1, 2):
            self.sections[parts[k]] = parts[k + 1]

    def section(self, name):
        return self.sections.get(name, '')


def mark(name):
    return ['-ex', f'echo @@{name}\\n']


def gdb_cmds(cmds):
    out = ['-ex', 'set breakpoint pending on', '-ex', 'set confirm off', '-ex', 'set width 0',
           '-ex', 'set height 0']
    for c in cmds:
        if c.startswith('@@'):
            out += mark(c[2:])
        else:
            out += ['-ex', c]
    return out


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_gdb(title, host_args, cmds, env=None):
    """Runs the host under gdb (natively, or under qemu's gdbstub) with cmds; 'run' starts it."""
    gdb = [args.gdb, '-nx', '-batch']
    if not args.qemu:
        p = subprocess.run(gdb + gdb_cmds(cmds) + ['--args', args.host] + host_args,
                           capture_output=True, text=True, timeout=TIMEOUT,
                           env=dict(os.environ, **(env or {})))
        return Run(title, p.stdout + p.stderr)
    # qemu user mode waits for gdb before running the first instruction. It cannot be told to
    # pick a port and report it, so take one the kernel says is free and try again if qemu
    # lost the race for it; gdb retries the connection itself (tcp auto-retry, bounded).
    for attempt in range(5):
        port = free_port()
        q = subprocess.Popen([args.qemu, '-g', str(port), args.host] + host_args,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=dict(os.environ, **(env or {})))
        remote = ['set sysroot /', f'file {args.host}', 'set tcp connect-timeout 30',
                  f'target remote 127.0.0.1:{port}']
        cmds2 = ['continue' if c == 'run' else c for c in cmds]
        p = subprocess.run(gdb + gdb_cmds(remote + cmds2 + ['kill']), capture_output=True,
                           text=True, timeout=TIMEOUT)
        try:
            qout = q.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            q.kill()
            qout = q.communicate()[0]
        if 'Address already in use' in qout or 'gdbstub' in qout and 'bind' in qout:
            continue
        return Run(title, p.stdout + p.stderr + '\n--- qemu:\n' + qout)
    return Run(title, '', error='qemu could not listen on a free port in 5 attempts')


def run_lldb(title, host_args, cmds, on_crash=()):
    # In batch mode lldb stops at a crash and runs only the -k commands.
    lldb = [args.lldb, '--batch', '--no-lldbinit']
    for c in cmds:
        lldb += ['-o', c]
    for c in on_crash:
        lldb += ['-k', c]
    p = subprocess.run(lldb + ['--', args.host] + host_args, capture_output=True, text=True,
                       timeout=TIMEOUT)
    return Run(title, p.stdout + p.stderr)


# A check is (description, section, regex, expected-to-match).
def has(desc, section, regex):
    return (desc, section, regex, True)


def hasnt(desc, section, regex):
    return (desc, section, regex, False)


SRC = r'\S*dbg_ext\.c'


def frame(n, fn, args_re=r'[^)]*', src=SRC):
    """A backtrace line naming an extension frame with its file and line."""
    return rf'#{n} +(0x[0-9a-f]+ in )?{fn} \({args_re}\) at {src}:\d+'


def host_frames(first):
    """The host's frames below the extension, down to main."""
    return rf'#{first} +0x[0-9a-f]+ in call_ext \(.*\n#{first + 1} +0x[0-9a-f]+ in main \('


def arg(name, value):
    """An argument as gdb shows it in a frame: name=value, or name=name@entry=value when it also
    knows the value at the function's entry, from call-site information in the caller (which a
    host built with clang carries)."""
    return rf'{name}=({name}@entry=)?{value}'


def scenario_break(v):
    """Pending breakpoints by name and file:line, then what a stop shows."""
    o0 = '-O0' in v
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_entry', '5']
    line = lines['BREAK_HERE']
    cmds = ['break dbg_entry', f'break dbg_ext.c:{line}', '@@stop1', 'run', 'bt', '@@glob',
            'print dbg_global', '@@stat', 'print dbg_static', '@@list', f'list {line},{line}',
            '@@sym', 'info symbol $pc', '@@stop2', 'continue', 'bt', '@@locals', 'info locals']
    r = run_gdb(f'gdb {v} break', host, cmds)
    # Optimised code need not keep an argument that is dead past the first line.
    n_re = arg('n', '5') if o0 else f"({arg('n', '5')}|n=<optimized out>|n@entry=5)"
    checks = [
        has('stops at the pending breakpoint by name', 'stop1',
            r'Breakpoint 1, (0x[0-9a-f]+ in )?dbg_entry \(' + arg('n', '5') + r'\) at ' + SRC),
        has('bt: dbg_entry with argument, file and line, then the host down to main', 'stop1',
            frame(0, 'dbg_entry', arg('n', '5')) + r'.*\n' + host_frames(1)),
        has('print of a global', 'glob', r'\$\d+ = 42'),
        has('print of a static variable', 'stat', r'\$\d+ = 7'),
        has('list shows the source', 'list', rf'{line}\s+dbg_global \+= local_b; /\* BREAK_HERE'),
        has('info symbol $pc names the function', 'sym', r'dbg_entry( \+ \d+)? in section \.text'),
        has(f'stops at the pending breakpoint dbg_ext.c:{line}', 'stop2',
            rf'Breakpoint 2, (0x[0-9a-f]+ in )?dbg_entry \({n_re}\) at {SRC}:{line}'),
        has('bt at the line breakpoint reaches main', 'stop2',
            frame(0, 'dbg_entry', n_re) + r'.*\n' + host_frames(1)),
    ]
    opt = '' if o0 else '|<optimized out>'
    checks += [has('info locals: local_a', 'locals', rf'(^|\n)local_a = (10{opt})\n'),
               has('info locals: local_b', 'locals', rf'(^|\n)local_b = (17{opt})\n')]
    return r, checks


def crash_checks(section, src=SRC):
    chain = [frame(0, 'dbg_crash_c', src=src), frame(1, 'dbg_crash_b', src=src),
             frame(2, 'dbg_crash_a', src=src), frame(3, 'dbg_crash', src=src)]
    checks = [has(f'bt frame {k}: {f.split(" in )?")[1].split(" ")[0]}', section, f)
              for k, f in enumerate(chain)]
    checks.append(has('bt: every extension frame, then the host down to main', section,
                      r'.*\n'.join(chain) + r'.*\n' + host_frames(4)))
    return checks


def scenario_crash(v):
    """A SIGSEGV four extension frames deep."""
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_crash', '5']
    r = run_gdb(f'gdb {v} crash', host, ['@@bt', 'run', 'bt'])
    return r, [has('SIGSEGV reported in the extension', 'bt',
                   r'SIGSEGV|Segmentation fault')] + crash_checks('bt')


def scenario_env_off(v):
    """LLEXT_DEBUG_REGISTER=0: the same crash, and gdb knows nothing of the extension."""
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_crash', '5']
    r = run_gdb(f'gdb {v} LLEXT_DEBUG_REGISTER=0', host,
                ['@@bt', 'run', 'bt', '@@sym', 'info symbol $pc', JIT_COUNT],
                env={'LLEXT_DEBUG_REGISTER': '0'})
    return r, [
        has('the crash is seen', 'bt', r'SIGSEGV'),
        hasnt('no extension function is named', 'bt', r' in dbg_crash'),
        has('no symbol at the crash address', 'sym', r'No symbol matches \$pc'),
        has('no JIT object', 'sym', r'jit-objfiles 0\n'),
    ]


def scenario_nodebug(comp):
    """No -g: names from the symbol table (static functions too), unwinding from .eh_frame."""
    v = f'dbg_ext-{comp}-nodebug'
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_entry', '5', 'call', 'a', 'dbg_crash', '5']
    r = run_gdb(f'gdb {v}', host, ['break dbg_helper', '@@stop', 'run', 'bt',
                                   '@@crash', 'continue', 'bt'])
    nf = lambda n, fn: rf'#{n} +0x[0-9a-f]+ in {fn} \(\)'
    chain = [nf(0, 'dbg_crash_c'), nf(1, 'dbg_crash_b'), nf(2, 'dbg_crash_a'), nf(3, 'dbg_crash')]
    return r, [
        has('pending breakpoint on a static function, by name', 'stop', r'Breakpoint 1, '
            r'0x[0-9a-f]+ in dbg_helper \(\)'),
        has('bt from the static function to main', 'stop',
            rf'#0 +0x[0-9a-f]+ in dbg_helper \(\)\n{nf(1, "dbg_entry")}\n' + host_frames(2)),
        has('SIGSEGV bt names every frame, static ones too, down to main', 'crash',
            r'\n'.join(chain) + r'\n' + host_frames(4)),
    ]


def scenario_two(v):
    """Two different extensions at once."""
    host = ['load', 'a', fixture(v), 'load', 'b', fixture('dbg_other-' + v.split('-')[1]),
            'call', 'a', 'dbg_entry', '5', 'call', 'b', 'other_entry', '3']
    r = run_gdb(f'gdb two extensions ({v})', host,
                ['break dbg_entry', 'break other_entry', '@@s1', 'run', 'bt 1', '@@s2',
                 'continue', '@@o', 'info symbol dbg_entry', 'info symbol other_entry'])
    return r, [
        has('first extension stops', 's1',
            r'#0 +(0x[0-9a-f]+ in )?dbg_entry \(' + arg('n', '5') + r'\)'),
        has('second extension stops', 's2',
            r'Breakpoint 2, (0x[0-9a-f]+ in )?other_entry \(' + arg('n', '3') +
            r'\) at \S*dbg_other\.c:\d+'),
        has('both are known to gdb at once', 'o',
            r'dbg_entry in section \.text of <in-memory@0x[0-9a-f]+>\n'
            r'other_entry in section \.text of <in-memory@0x[0-9a-f]+>'),
    ]


def scenario_twice(v):
    """One object loaded twice under two names: two breakpoint locations, two stops."""
    host = ['load', 'a', fixture(v), 'load', 'b', fixture(v), 'call', 'a', 'dbg_entry', '5',
            'call', 'b', 'dbg_entry', '6']
    r = run_gdb(f'gdb {v} loaded twice', host,
                ['break dbg_entry', '@@s1', 'run', 'info breakpoints', 'info symbol $pc',
                 '@@s2', 'continue', 'info symbol $pc'])
    return r, [
        has('the breakpoint has a location in each copy', 's1', r'\n1\.1 .*\n1\.2 '),
        has('stops in the first copy', 's1', r'dbg_entry \(' + arg('n', '5') + r'\)'),
        has('stops in the second copy', 's2', r'dbg_entry \(' + arg('n', '6') + r'\)'),
        hasnt('no third location', 's1', r'\n1\.3 '),
    ]


JIT_COUNT = ('python print("jit-objfiles", sum(1 for o in gdb.objfiles() '
             'if o.filename.startswith("<in-memory")))')


def scenario_reload(v):
    """Unload, then load a changed object under the same name: nothing of the old one stays."""
    v2 = v.replace('dbg_ext-', 'dbg_ext_v2-')
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_entry', '5', 'unload', 'a',
            'load', 'a', fixture(v2), 'call', 'a', 'dbg_entry', '5', 'unload', 'a']
    r = run_gdb(f'gdb {v} unload and reload changed', host,
                ['break dbg_entry', 'break dbg_padding', 'break exit', '@@s1', 'run',
                 'print dbg_version', 'set $old = $pc', '@@s2', 'continue', 'print dbg_version',
                 'info breakpoints', JIT_COUNT, '@@s3', 'continue', 'info symbol $old',
                 'info breakpoints', JIT_COUNT])
    return r, [
        has('old object: version 1', 's1', r'\$1 = 1'),
        has('reloaded object: its new function is found (pending breakpoint resolved)', 's2',
            r'\n2 +breakpoint +keep y +0x[0-9a-f]+ in dbg_padding at '),
        has('reloaded object: version 2', 's2', r'\$2 = 2'),
        has('dbg_entry has exactly one location, in the new object', 's2',
            r'\n1 +breakpoint +keep y +0x[0-9a-f]+ in dbg_entry '),
        has('one JIT object after the reload', 's2', r'jit-objfiles 1\n'),
        has('after the last unload: no symbol at the old address', 's3',
            r'No symbol matches \$old'),
        has('after the last unload: dbg_entry is pending again', 's3',
            r'\n1 +breakpoint +keep y +<PENDING> +dbg_entry'),
        has('after the last unload: no JIT object', 's3', r'jit-objfiles 0\n'),
        has('the reloaded code ran intact under the breakpoints', 's3',
            r'a\.dbg_entry\(5\) = 131\n'),
    ]


def scenario_attach(v):
    """gdb -p on a running host that waits inside the extension."""
    host = subprocess.Popen([args.host, 'load', 'a', fixture(v), 'call', 'a', 'dbg_wait', '1'],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ready = host.stdout.readline()  # the extension writes it from inside dbg_wait
    if ready.strip() != 'dbg_wait':
        host.kill()
        return Run(f'gdb attach {v}', ready + host.communicate()[0],
                   error='the host did not reach dbg_wait'), []
    p = subprocess.run([args.gdb, '-nx', '-batch', '-p', str(host.pid)] +
                       gdb_cmds(['@@bt', 'bt', '@@rel', 'set var dbg_release = 1', 'detach']),
                       capture_output=True, text=True, timeout=TIMEOUT)
    out = p.stdout + p.stderr
    try:
        rest = host.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        host.kill()
        rest = host.communicate()[0] + '\n(host killed: still waiting after detach)'
    error = None
    if 'ptrace' in out and 'not permitted' in out:
        scope = open('/proc/sys/kernel/yama/ptrace_scope').read().strip() \
            if os.path.exists('/proc/sys/kernel/yama/ptrace_scope') else 'n/a'
        error = (f'gdb may not ptrace the host (kernel.yama.ptrace_scope={scope}; in a '
                 'container, CAP_SYS_PTRACE or seccomp may forbid it): this test needs it')
    r = Run(f'gdb attach {v}', out + '\n--- host:\n' + rest, error=error)
    r.sections['host'] = rest
    return r, [
        has('bt after attaching names the waiting extension function', 'bt',
            r'#\d+ +0x[0-9a-f]+ in dbg_wait \(' + arg('n', '1') + r'\) at ' + SRC),
        has('bt after attaching reaches main', 'bt', r'in dbg_wait .*\n' + host_frames(
            int(re.search(r'#(\d+) +0x[0-9a-f]+ in dbg_wait', out).group(1)) + 1
            if re.search(r'#(\d+) +0x[0-9a-f]+ in dbg_wait', out) else 99)),
        has('gdb wrote a variable of the extension: the host finished', 'host',
            r'a\.dbg_wait\(1\) = 2'),
    ]


def scenario_core(v, tmp):
    """A crash saved as a core file by gdb; a second gdb reads the binary and the core."""
    core = os.path.join(tmp, 'core-' + v)
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_crash', '5']
    first = run_gdb(f'gdb {v} generate-core-file', host, ['run', f'generate-core-file {core}'])
    if not os.path.exists(core):
        return Run(f'gdb core {v}', first.out, error='no core file was written'), []
    p = subprocess.run([args.gdb, '-nx', '-batch'] + gdb_cmds(['@@bt', 'bt']) +
                       [args.host, core], capture_output=True, text=True, timeout=TIMEOUT)
    return Run(f'gdb core {v}', p.stdout + p.stderr), crash_checks('bt')


def scenario_lldb(v):
    """lldb: a pending breakpoint by name, and the backtrace of a crash."""
    host = ['load', 'a', fixture(v), 'call', 'a', 'dbg_entry', '5', 'call', 'a', 'dbg_crash', '5']
    r = run_lldb(f'lldb {v}', host, ['breakpoint set -n dbg_entry', 'run', 'bt', 'continue'],
                 on_crash=['bt'])
    # lldb echoes each command: the first bt is at the breakpoint, the second after the crash.
    parts = r.out.split('(lldb) bt')
    r.sections = {'stop': parts[1] if len(parts) > 1 else '',
                  'crash': parts[2] if len(parts) > 2 else ''}
    lf = lambda n, fn, a=r'[^)]*': (rf'frame #{n}: 0x[0-9a-f]+ JIT\(0x[0-9a-f]+\)`{fn}\({a}\) '
                                    rf'at dbg_ext\.c:\d+(:\d+)?')
    hf = lambda n: rf'frame #{n}: 0x[0-9a-f]+ debug-host`call_ext.*\n.*frame #{n + 1}: ' \
                   rf'0x[0-9a-f]+ debug-host`main'
    return r, [
        has('lldb stops at the pending breakpoint; bt with argument, file and line', 'stop',
            lf(0, 'dbg_entry', 'n=5') + r'\n.*' + hf(1)),
        has('lldb: bt of the crash names every extension frame, down to main', 'crash',
            r'\n.*'.join([lf(0, 'dbg_crash_c'), lf(1, 'dbg_crash_b'), lf(2, 'dbg_crash_a'),
                          lf(3, 'dbg_crash')]) + r'\n.*' + hf(4)),
    ]


def evaluate(r, checks):
    results = []
    for desc, section, regex, want in checks:
        text = r.section(section)
        ok = r.error is None and bool(re.search(regex, text)) == want
        results.append((f'{r.title}: {desc}', ok, r, regex, section))
    if r.error is not None and not checks:
        results.append((f'{r.title}: runs', False, r, '', ''))
    return results


def main():
    global args, lines
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', required=True)
    ap.add_argument('--host', required=True)
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--gdb', required=True)
    ap.add_argument('--lldb')
    ap.add_argument('--qemu')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--sanitized', action='store_true')
    args = ap.parse_args()
    lines = marker_lines(args.source)

    for prog in [args.gdb, args.lldb, args.qemu]:
        if prog and not shutil.which(prog):
            print('1..1')
            print(f'not ok 1 - {prog} is not installed (tools/setup-debian.sh installs it)')
            return 1

    variants = [f'dbg_ext-{c}-{o}-dwarf{d}' for c in ('gcc', 'clang') for o in ('O0', 'O2')
                for d in (5, 4)]
    if not os.path.exists(fixture(variants[-1])):
        variants = [v for v in variants if 'clang' not in v]
    compilers = sorted({v.split('-')[1] for v in variants})
    tmp = tempfile.mkdtemp(prefix='llext-debug-')
    jobs = []
    for v in variants:
        jobs += [(scenario_break, v), (scenario_crash, v)]
    jobs.append((scenario_env_off, f'dbg_ext-{compilers[0]}-O2-dwarf5'))
    for c in compilers:
        jobs += [(scenario_nodebug, c), (scenario_two, f'dbg_ext-{c}-O0-dwarf5'),
                 (scenario_twice, f'dbg_ext-{c}-O2-dwarf5'),
                 (scenario_reload, f'dbg_ext-{c}-O0-dwarf5')]
    skipped = []
    if not args.qemu:
        # qemu's gdbstub serves only the process it starts, and cannot write a core file
        # with gdb: attach and core files are native only.
        jobs.append((scenario_attach, 'dbg_ext-gcc-O2-dwarf5'))
        if args.sanitized:
            skipped.append('gdb core files # SKIP a sanitized process maps terabytes of shadow '
                           'memory: its core file would fill the disk')
        else:
            jobs += [(lambda v: scenario_core(v, tmp), 'dbg_ext-gcc-O2-dwarf5'),
                     (lambda v: scenario_core(v, tmp), f'dbg_ext-{compilers[-1]}-O2-dwarf4')]
    if args.lldb:
        jobs += [(scenario_lldb, f'dbg_ext-{c}-{o}-dwarf5') for c in compilers
                 for o in ('O0', 'O2')]

    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for r, checks in ex.map(lambda j: j[0](j[1]), jobs):
            results += evaluate(r, checks)
    shutil.rmtree(tmp, ignore_errors=True)

    print(f'1..{len(results) + len(skipped)}')
    failed = 0
    shown = set()
    for n, (desc, ok, r, regex, section) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {n} - {desc}')
        if not ok:
            failed += 1
            print(f'# {"error: " + r.error if r.error else "expected /" + regex + "/ in " + section}')
            if r.title not in shown:
                shown.add(r.title)
                for line in r.out.splitlines():
                    print('#   ' + line)
    for n, desc in enumerate(skipped, len(results) + 1):
        print(f'ok {n} - {desc}')
    print(f'# {len(results) - failed} of {len(results)} debugger checks passed on {args.arch}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
