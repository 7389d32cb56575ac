#!/bin/sh
# Sets everything up on a fresh Debian 12 machine and runs the whole test suite: the native
# build, then the AArch64 cross build with every test executed under qemu-aarch64.
#
# Usage: tools/run-tests.sh [native|aarch64]...   (default: both)
set -eu
cd "$(dirname "$0")/.."

tools/setup-debian.sh

builds="${*:-native aarch64}"
for b in $builds; do
	case "$b" in
	native)
		dir=build/native
		# The API reference is built too: an undocumented public declaration fails it.
		[ -f "$dir/build.ninja" ] || meson setup "$dir" -Ddocs=enabled
		;;
	aarch64)
		dir=build/aarch64
		[ -f "$dir/build.ninja" ] ||
			meson setup "$dir" --cross-file tools/cross/aarch64-linux-gnu.ini
		;;
	*)
		echo "run-tests.sh: unknown build '$b' (native, aarch64)" >&2
		exit 2
		;;
	esac
	echo "== $b build"
	ninja -C "$dir"
	meson test -C "$dir" --print-errorlogs
	if [ "$b" = native ]; then
		echo "== $b build under valgrind"
		meson test -C "$dir" --print-errorlogs --setup valgrind
	fi
done
