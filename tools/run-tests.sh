#!/bin/sh
# Sets everything up on a fresh Debian 12 machine and runs the whole test suite:
#
#   native   the native build (GCC), its API reference, the install check, and every test,
#            then every test again under valgrind (memory errors and leaks fail); then the
#            build-system checks: static linking, CMake's find_package, Meson subproject
#   clang    the library and every test built with clang instead
#   asan     every test built with AddressSanitizer and UndefinedBehaviorSanitizer
#   tsan     the concurrency tests built with ThreadSanitizer
#   aarch64  the AArch64 cross build, every test executed under qemu-aarch64
#   dist     the release tarball (meson dist) of the committed tree, built and tested unpacked
#   fuzz     the libFuzzer targets, for a bounded time (FUZZ_SECONDS per target, default 60)
#
# Usage: tools/run-tests.sh [native|clang|asan|tsan|aarch64|dist|fuzz]...   (default: all of them)
set -eu
cd "$(dirname "$0")/.."

tools/setup-debian.sh

# setup DIR [meson options...]: configure DIR once.
setup() {
	d=$1
	shift
	[ -f "$d/build.ninja" ] || meson setup "$d" "$@"
}

# The soak test takes seconds natively and hours under emulation or instrumentation.
for b in ${*:-native clang asan tsan aarch64 dist fuzz}; do
	echo "== $b"
	case "$b" in
	native)
		# The API reference is built too: an undocumented public declaration fails it.
		setup build/native -Ddocs=enabled
		ninja -C build/native
		meson test -C build/native --print-errorlogs
		# The debugger tests run gdb and lldb, which valgrind has no business tracing.
		meson test -C build/native --print-errorlogs --setup valgrind --no-suite soak \
			--no-suite debug --no-suite copy-host
		tools/check-install.sh build/native
		tools/check-buildsys.sh
		;;
	clang)
		[ -f build/clang/build.ninja ] || CC=clang CXX=clang++ meson setup build/clang
		ninja -C build/clang
		meson test -C build/clang --print-errorlogs
		;;
	asan)
		setup build/asan -Db_sanitize=address,undefined -Db_lundef=false \
			-Dc_args=-fno-sanitize-recover=all
		ninja -C build/asan
		meson test -C build/asan --print-errorlogs --no-suite soak
		;;
	tsan)
		setup build/tsan -Db_sanitize=thread -Db_lundef=false
		ninja -C build/tsan
		meson test -C build/tsan --print-errorlogs threads registry fs-loader tls addr locks
		;;
	aarch64)
		setup build/aarch64 --cross-file tools/cross/aarch64-linux-gnu.ini
		ninja -C build/aarch64
		meson test -C build/aarch64 --print-errorlogs --no-suite soak
		;;
	dist)
		# Only what git tracks goes into the tarball: a file left out fails here. The tarball
		# is configured with this build's options, so build/dist takes the defaults.
		setup build/dist
		meson dist -C build/dist --formats xztar
		;;
	fuzz)
		tools/fuzz.sh "${FUZZ_SECONDS:-60}"
		;;
	*)
		echo "run-tests.sh: unknown build '$b' (native, clang, asan, tsan, aarch64, dist, fuzz)" >&2
		exit 2
		;;
	esac
done
