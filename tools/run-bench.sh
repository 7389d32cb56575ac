#!/bin/sh
# Sets everything up on a fresh Debian 12 machine, builds libllext with optimisation, and runs
# the benchmark against dlopen; then draws load cost against object size with gnuplot.
#
# Usage: tools/run-bench.sh [--quick]
# Output: the table on stdout, build/bench/bench.dat and build/bench/load-cost.png.
set -eu
cd "$(dirname "$0")/.."

tools/setup-debian.sh
dir=build/bench
[ -f "$dir/build.ninja" ] || meson setup "$dir" --buildtype=release
ninja -C "$dir"

libdir=/usr/lib/$(gcc -print-multiarch)
real="$dir/tests/real"
"$dir/tools/bench/llext-bench" "$@" --plot "$dir/bench.dat" \
	"$dir/tools/bench/small.o" "$dir/tools/bench/small.so" \
	"$real/sqlite3.o" "$libdir/libsqlite3.so.0" \
	"$real/zlib.o" "$libdir/libz.so.1" \
	"$real/bzip2.o" "$libdir/libbz2.so.1.0" \
	"$real/expat.o" "$libdir/libexpat.so.1" \
	"$real/lzma.o" "$libdir/liblzma.so.5" \
	"$real/zstd.o" "$libdir/libzstd.so.1"
gnuplot -e "data='$dir/bench.dat'; out='$dir/load-cost.png'" tools/bench/plot.gp
echo "plot: $dir/load-cost.png"
