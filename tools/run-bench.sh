#!/bin/sh
# Sets everything up on a fresh Debian 12 machine, builds libllext with optimisation, and runs
# the benchmark against dlopen; then draws load cost against object size with gnuplot.
#
# Usage: tools/run-bench.sh [--quick | --only-m ROUNDS]
# Output: the table on stdout, build/bench/bench.dat and build/bench/load-cost.png.
set -eu
cd "$(dirname "$0")/.."

tools/setup-debian.sh
dir=build/bench
[ -f "$dir/build.ninja" ] || meson setup "$dir" --buildtype=release
ninja -C "$dir"

# Debian's shared libraries as they are: llext-bench opens each through a private copy, since
# dlopen() of a library the process already has (libelf brings libz) only counts a reference.
so=/usr/lib/$(gcc -print-multiarch)
real="$dir/tests/real"
tls=""
for t in tls tls-desc; do
	[ -f "$dir/tools/bench/$t.o" ] && tls="$tls --tls $dir/tools/bench/$t.o $dir/tools/bench/$t.so"
done
# shellcheck disable=SC2086 # $tls is a list of arguments
"$dir/tools/bench/llext-bench" "$@" --plot "$dir/bench.dat" $tls \
	--debug-obj "$dir/tools/bench/debug-g.o" "$dir/tools/bench/debug-g.so" \
	"$dir/tools/bench/small.o" "$dir/tools/bench/small.so" \
	"$real/sqlite3.o" "$so/libsqlite3.so.0" \
	"$real/zlib.o" "$so/libz.so.1" \
	"$real/bzip2.o" "$so/libbz2.so.1.0" \
	"$real/expat.o" "$so/libexpat.so.1" \
	"$real/lzma.o" "$so/liblzma.so.5" \
	"$real/zstd.o" "$so/libzstd.so.1"
case " $* " in
*" --only-m "*) exit 0 ;; # row m alone: no plot
esac
gnuplot -e "data='$dir/bench.dat'; out='$dir/load-cost.png'" tools/bench/plot.gp
echo "plot: $dir/load-cost.png"
