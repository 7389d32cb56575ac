#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""llext-zephyr-syscalls on malformed headers, and on one that is well formed.

Each malformed header must give exit status 1, a message that names the file and line and
says what is wrong, no Python traceback, and no file written. Usage: check-syscalls-tool.py TOOL
"""
import os
import subprocess
import sys
import tempfile

# header text -> a piece of the message it must give
MALFORMED = [
    ("__syscall int f(int);\n", "bad.h:1: parameter 1 'int' has no name"),
    ("\n\n__syscall int f(int a)\n", "bad.h:3: __syscall declaration does not end with ';'"),
    ("__syscall int f(int a) { return a; }\n", "has a body"),
    ("__syscall int f(int (*cb)(int));\n", "function pointer"),
    ("__syscall int f(int a[4]);\n", "is an array"),
    ("__syscall int f(int a, ...);\n", "cannot be variadic"),
    ("__syscall f(int a);\n", "the call 'f' has no return type"),
    ("__syscall int f;\n", "has no parameter list"),
    ("/* never closed\n__syscall int f(int a);\n", "comment never ends"),
    ("__syscall int f(int a, );\n", "parameter 2 is empty"),
    ("__syscall static int f(int a);\n", "'static' does not belong here"),
    ("__syscall int f(int a) __attribute__((x));\n", "after the parameter list"),
    ("__syscall int z_impl_f(int a);\n", "not its implementation"),
    ("__syscall int f(struct a);\n", "needs a tag"),
    ("__syscall int f(int a, int a);\n", "two parameters are named 'a'"),
    ("__syscall int f(void v);\n", "has type void"),
    ("__syscall int f((int a);\n", "never closes"),
    ("__syscall int f(int a));\n", "without its '('"),
    ("__syscall int f(const a);\n", "no type, only 'const'"),
    ("__syscall int @f(int a);\n", "'@' cannot be part of a type"),
    ("__syscall int f(int a);\n__syscall long f(int b);\n", "bad.h:2: system call 'f' is declared twice"),
    ("char *s = \"unterminated;\n", "quote never closes"),
    (b"__syscall int f(int a);\xff\n", "not UTF-8"),
    (b"__syscall int f(int a);\0\n", "not a text file"),
    ("__syscall", "does not end with ';'"),
]


def run(tool, args):
    return subprocess.run([tool] + args, capture_output=True, text=True, timeout=60)


def check_malformed(tool, tmp):
    failures = 0
    for k, (text, want) in enumerate(MALFORMED):
        d = os.path.join(tmp, f"case{k}")
        os.makedirs(d)
        path = os.path.join(d, "bad.h")
        with open(path, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        out = os.path.join(d, "out")
        r = run(tool, ["-o", out, path])
        problems = []
        if r.returncode != 1:
            problems.append(f"exit status {r.returncode}, not 1")
        if want not in r.stderr:
            problems.append(f"no '{want}' in the message")
        if "Traceback" in r.stderr or "Traceback" in r.stdout:
            problems.append("a traceback")
        if os.path.exists(out):
            problems.append("it wrote output")
        if problems:
            failures += 1
            print(f"not ok: case {k} {text[:40]!r}: {'; '.join(problems)}\n  {r.stderr.strip()}")
    return failures


def check_args(tool, tmp):
    failures = 0
    cases = [
        (["-o", tmp, os.path.join(tmp, "missing.h")], "missing.h: cannot read"),
        ([], "usage:"),
    ]
    a = os.path.join(tmp, "a", "same.h")
    b = os.path.join(tmp, "b", "same.h")
    for p in (a, b):
        os.makedirs(os.path.dirname(p))
        with open(p, "w") as f:
            f.write("__syscall int g(int a);\n" if p == a else "__syscall int h(int a);\n")
    cases.append((["-o", os.path.join(tmp, "o"), a, b], "would both write zephyr/syscalls/same.h"))
    for args, want in cases:
        r = run(tool, args)
        if r.returncode == 0 or want not in r.stderr or "Traceback" in r.stderr:
            failures += 1
            print(f"not ok: {args}: status {r.returncode}: {r.stderr.strip()}")
    return failures


def check_good(tool, tmp):
    """Multi-line declarations, pointers, const, void; comments and directives ignored."""
    path = os.path.join(tmp, "good.h")
    with open(path, "w") as f:
        f.write("#define __syscall_like(x) x\n"
                "/* __syscall int in_comment(int a); */\n"
                "// __syscall int in_line_comment(int a);\n"
                "const char *s = \"__syscall int in_string(int a);\";\n"
                "__syscall const char *\n  g_name(const struct thing *const t,\n"
                "    unsigned long int n);\n"
                "__syscall void g_void(void);\n")
    out = os.path.join(tmp, "good")
    r = run(tool, ["-o", out, path])
    if r.returncode != 0:
        print(f"not ok: good.h refused: {r.stderr.strip()}")
        return 1
    with open(os.path.join(out, "zephyr", "syscalls", "good.h")) as f:
        hdr = f.read()
    with open(os.path.join(out, "syscall_exports_llext.c")) as f:
        exp = f.read()
    wants = [
        (hdr, "extern const char *z_impl_g_name(const struct thing *const t, "
              "unsigned long int n);"),
        (hdr, "static inline const char *g_name(const struct thing *const t, "
              "unsigned long int n)"),
        (hdr, "return z_impl_g_name(t, n);"),
        (hdr, "static inline void g_void(void)"),
        (hdr, "\tz_impl_g_void();"),
        (exp, "EXPORT_SYMBOL(z_impl_g_name);"),
        (exp, "EXPORT_SYMBOL(z_impl_g_void);"),
    ]
    failures = 0
    for text, want in wants:
        if want not in text:
            failures += 1
            print(f"not ok: good.h: no {want!r} in the output")
    for absent in ("in_comment", "in_line_comment", "in_string", "__syscall_like"):
        if absent in hdr or absent in exp:
            failures += 1
            print(f"not ok: good.h: {absent} was taken for a declaration")
    return failures


def main():
    tool = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        failures = check_malformed(tool, os.path.join(tmp, "m"))
        failures += check_args(tool, tmp)
        failures += check_good(tool, tmp)
    print("ok" if not failures else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
