#!/bin/sh
# Builds programs against libllext the ways the README's "Using libllext in your build" shows,
# and runs the examples of docs/examples with each:
#
#   - a -Ddefault_library=both build: libllext.a exports the public API and nothing else;
#   - pkg-config --static: a host linked statically against libllext (libc stays dynamic);
#   - CMake: find_package(llext) and the llext::llext target, shared and static, from an
#     installed tree moved after installation;
#   - Meson: a project with libllext in subprojects/ gets it with dependency('llext'), without
#     libllext's tests.
#
# Needs no network. Each check says what it checks; the first failure stops the script.
#
# Usage: tools/check-buildsys.sh
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() {
	echo "buildsys check: $*"
}
fail() {
	echo "buildsys check FAILED: $*" >&2
	exit 1
}
# quiet LOG COMMAND...: runs COMMAND with its output in LOG, shown only if it fails.
quiet() {
	log=$1
	shift
	"$@" >"$log" 2>&1 || {
		cat "$log" >&2
		fail "$*"
	}
}

# ---- the extensions, compiled as a user compiles them, and two hosts to run them

ext=$work/ext
mkdir -p "$ext/plugins"
for e in hello greetlib greeter; do
	cc -c -O2 -I"$src/include" "$src/docs/examples/$e.c" -o "$ext/$e.o"
done
for p in greeter uptime; do
	cc -c -O2 "$src/docs/examples/plugins/$p.c" -o "$ext/plugins/$p.o"
done

# Every project below builds these two: plugind (which exports its plugin API with
# EXPORT_SYMBOL()) and run-ext, which loads extensions in order and calls the last one's main().
hosts=$work/hosts
mkdir "$hosts"
cp "$src/docs/examples/plugind.c" "$src/docs/examples/plugind.h" "$hosts/"
cat >"$hosts/run-ext.c" <<'C'
#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* run-ext EXT.o... -- ARGS...: loads each EXT.o, then calls the last one's main(ARGS). */
int main(int argc, char **argv)
{
	struct llext *exts[8];
	int n = 0, i, ret;
	int (*ext_main)(int, char **);

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0 && n < 8; i++) {
		struct llext_fs_loader ldr = LLEXT_FS_LOADER(argv[i]);
		char name[16];

		snprintf(name, sizeof(name), "ext%d", n);
		if (llext_load(&ldr.loader, name, &exts[n], NULL) != 0) {
			return 100;
		}
		llext_bringup(exts[n++]);
	}
	if (n == 0 || i >= argc) {
		fprintf(stderr, "usage: run-ext EXT.o... -- ARGS...\n");
		return 101;
	}
	ext_main = (int (*)(int, char **))(uintptr_t)llext_find_sym(&exts[n - 1]->exp_tab, "main");
	if (!ext_main) {
		return 102;
	}
	argv[i] = exts[n - 1]->name; /* in place of "--": main's argv[0] */
	ret = ext_main(argc - i, argv + i);
	fflush(stdout);
	while (n > 0) {
		llext_unload(&exts[--n]);
	}
	return ret;
}
C

plugind_expected='[greeter] hello
plugind: greeter: loaded
[uptime] constructor ran
[uptime] started
plugind: uptime: loaded
greeter          uses 1, exports 1
uptime           uses 1, exports 2
plugind: greeter: unloaded
[uptime] stopped after a while
[uptime] destructor ran
plugind: uptime: unloaded'

# run_hosts DIR: runs DIR/plugind and DIR/run-ext on the examples and checks what they print.
run_hosts() {
	out=$(printf 'list\nquit\n' | "$1/plugind" "$ext/plugins")
	[ "$out" = "$plugind_expected" ] || fail "$1/plugind printed: $out"
	out=$("$1/run-ext" "$ext/hello.o" -- world)
	[ "$out" = "Hello, world!" ] || fail "$1/run-ext hello.o printed: $out"
	status=0
	out=$("$1/run-ext" "$ext/greetlib.o" "$ext/greeter.o" -- Ada Grace) || status=$?
	[ "$out" = "Hello, Ada!
Hello, Grace!" ] || fail "$1/run-ext greetlib.o greeter.o printed: $out"
	[ "$status" -eq 2 ] || fail "$1/run-ext greetlib.o greeter.o exited with $status, not 2"
}

# linked_to PROGRAM...: the shared libraries that PROGRAM needs, one a line.
linked_to() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
# static_llext PROGRAM...: PROGRAM contains libllext rather than needing libllext.so.
static_llext() {
	for p in "$@"; do
		if linked_to "$p" | grep -q '^libllext\.so'; then
			fail "$p needs libllext.so; it should contain libllext"
		fi
		readelf -sW "$p" | grep -q ' llext_load$' || fail "$p has no llext_load"
	done
}
shared_llext() {
	for p in "$@"; do
		linked_to "$p" | grep -qx 'libllext\.so\.0' || fail "$p does not need libllext.so.0"
	done
}

# ---- one build with both libraries, installed

check "a -Ddefault_library=both build installs libllext.so and libllext.a"
prefix=$work/prefix
quiet "$work/setup.log" meson setup "$work/build" "$src" -Ddefault_library=both -Dtests=false \
	--prefix="$prefix"
quiet "$work/build.log" ninja -C "$work/build" -j2
quiet "$work/install.log" meson install -C "$work/build"
libdir=$(dirname "$(find "$prefix" -name libllext.a)")
[ -f "$libdir/libllext.a" ] || fail "no libllext.a in $prefix"
[ -L "$libdir/libllext.so.0" ] || fail "no libllext.so.0 next to libllext.a"

check "libllext.a exports the functions of the headers and the version script, and no others"
quiet "$work/exports.log" "$src/tests/check-exports.py" "$src/include/llext" \
	"$src/lib/libllext.map" "$libdir/libllext.a"

check "pkg-config --static --libs llext names libelf's static dependencies"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
llext_libs=$(pkg-config --static --libs llext)
for l in $(pkg-config --static --libs-only-l libelf) -lpthread -ldl; do
	case " $llext_libs " in
	*" $l "*) ;;
	*) fail "pkg-config --static --libs llext lacks $l: $llext_libs" ;;
	esac
done

check "hosts linked with -Wl,-Bstatic \$(pkg-config --static --libs llext) run the examples"
mkdir "$work/static"
for h in plugind run-ext; do
	# shellcheck disable=SC2046
	cc -O2 "$hosts/$h.c" -o "$work/static/$h" $(pkg-config --cflags llext) \
		-Wl,-Bstatic $(pkg-config --static --libs llext) -Wl,-Bdynamic
done
static_llext "$work/static/plugind" "$work/static/run-ext"
if linked_to "$work/static/run-ext" | grep -q '^libelf\.so'; then
	fail "$work/static/run-ext needs libelf.so: -Wl,-Bstatic did not apply to libelf"
fi
run_hosts "$work/static"
unset PKG_CONFIG_PATH

# ---- CMake, from the installed tree moved elsewhere: llextConfig.cmake must find everything
# relative to itself.

moved=$work/moved
mv "$prefix" "$moved"
mkdir "$work/cmake"
cp "$hosts/plugind.c" "$hosts/plugind.h" "$hosts/run-ext.c" "$work/cmake/"
cat >"$work/cmake/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(llext_user C)
set(LLEXT_VERSION 0.1 CACHE STRING "version asked of find_package(llext)")
find_package(llext ${LLEXT_VERSION} REQUIRED)
foreach(host plugind run-ext)
  add_executable(${host} ${host}.c)
  target_link_libraries(${host} PRIVATE llext::llext)
endforeach()
CMAKE

# cmake_build DIR ARGS...: configures the project into DIR and builds it.
cmake_build() {
	d=$1
	shift
	quiet "$d.log" cmake -S "$work/cmake" -B "$d" -G Ninja -DCMAKE_PREFIX_PATH="$moved" "$@"
	quiet "$d.log" cmake --build "$d" --parallel 2
}

check "CMake: find_package(llext 0.1) and llext::llext link the shared library"
cmake_build "$work/cmake-shared"
shared_llext "$work/cmake-shared/plugind" "$work/cmake-shared/run-ext"
run_hosts "$work/cmake-shared"

check "CMake: with llext_USE_STATIC_LIBS, llext::llext links libllext.a and its dependencies"
cmake_build "$work/cmake-static" -Dllext_USE_STATIC_LIBS=ON
static_llext "$work/cmake-static/plugind" "$work/cmake-static/run-ext"
run_hosts "$work/cmake-static"

check "CMake: find_package(llext 1.0) does not accept libllext 0.1"
if cmake -S "$work/cmake" -B "$work/cmake-1.0" -G Ninja -DCMAKE_PREFIX_PATH="$moved" \
	-DLLEXT_VERSION=1.0 >"$work/cmake-1.0.log" 2>&1; then
	fail "find_package(llext 1.0) found libllext 0.1"
fi
grep -q 'llextConfig.cmake, version: 0\.1\.0' "$work/cmake-1.0.log" ||
	fail "find_package(llext 1.0) failed for another reason: $(cat "$work/cmake-1.0.log")"

# ---- Meson: libllext as a subproject, found by dependency('llext') through the wrap file's
# [provide] section and meson.override_dependency().

user=$work/meson-user
mkdir -p "$user/subprojects"
cp "$hosts/plugind.c" "$hosts/plugind.h" "$hosts/run-ext.c" "$user/"
ln -s "$src" "$user/subprojects/libllext"
cat >"$user/subprojects/libllext.wrap" <<'WRAP'
[wrap-file]
directory = libllext

[provide]
dependency_names = llext
WRAP
cat >"$user/meson.build" <<'MESON'
project('llext-user', 'c')
llext_dep = dependency('llext')
foreach host : ['plugind', 'run-ext']
  executable(host, host + '.c', dependencies: llext_dep)
endforeach
MESON

check "Meson: dependency('llext') builds libllext as a subproject, statically, without its tests"
# The fallback is forced so that an installed libllext cannot stand in for the subproject.
quiet "$user.log" meson setup "$user/build" "$user" --force-fallback-for=llext \
	-Ddefault_library=static
grep -q "^Dependency llext found: YES .*(overridden)" "$user.log" ||
	fail "dependency('llext') did not come from the subproject: $(cat "$user.log")"
quiet "$user.log" ninja -C "$user/build" -j2
tests=$(meson introspect "$user/build" --tests)
[ "$tests" = "[]" ] || fail "the subproject defines tests: $tests"
[ ! -e "$user/build/subprojects/libllext/tests" ] || fail "the subproject built its tests"
static_llext "$user/build/plugind" "$user/build/run-ext"
run_hosts "$user/build"

echo "buildsys check: ok"
