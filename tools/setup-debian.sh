#!/bin/sh
# Installs everything libllext needs to build, test and cross-test on a fresh Debian 12 machine:
# the native toolchain and libraries, the AArch64 cross compiler, Debian's arm64 multiarch builds
# of the libraries, qemu user emulation, the debuggers that tests/debug drives, and the coverage
# tools and runtimes tests/coverage uses (gcovr, lcov, Clang's profile runtime for both
# architectures). Safe to run again; does nothing already done.
set -eu

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

native="meson ninja-build pkgconf cmake gcc g++ clang lld llvm binutils valgrind doxygen gnuplot-nox
	libelf-dev libcmocka-dev
	zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libexpat1-dev libsqlite3-dev
	libre2-dev libgtest-dev libssl-dev libgmp-dev liblua5.4-dev
	gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-user linux-perf gdb gdb-multiarch lldb-14
	gcovr lcov libclang-rt-14-dev"
cross="libelf-dev:arm64 libcmocka-dev:arm64
	zlib1g-dev:arm64 libbz2-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 libexpat1-dev:arm64
	libsqlite3-dev:arm64 libstdc++6:arm64
	libre2-dev:arm64 libgtest-dev:arm64 libssl-dev:arm64 libgmp-dev:arm64 liblua5.4-dev:arm64
	libclang-rt-14-dev:arm64"

missing=
for p in $native $cross; do
	if ! dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -q -y --no-install-recommends $missing
