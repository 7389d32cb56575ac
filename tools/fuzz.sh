#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan, and runs each for a bounded time,
# seeded with the test fixtures. A crash stops the run and leaves the input in
# build/fuzz/artifacts/TARGET/ (TARGET-sealed/ for a sealed half), which each run empties first.
# The targets that load extensions spend half their time with sealed text forced
# (LLEXT_SEALED_TEXT=1), the other half as a process chooses by default: each target still gets
# SECONDS_PER_TARGET in all.
#
# Usage: tools/fuzz.sh [SECONDS_PER_TARGET] [JOBS]   (defaults: 60 seconds, 1 job)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
jobs=${2:-1}
dir=build/fuzz

tools/setup-debian.sh
[ -f "$dir/build.ninja" ] ||
	CC=clang meson setup "$dir" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dfixture_clang=enabled
ninja -C "$dir"

corpus="$dir/corpus"
mkdir -p "$corpus/load" "$corpus/tables" "$corpus/dwarf-line" "$corpus/archive"
cp "$dir"/tests/ext/*.o "$corpus/load/"
# Archives: those built for the tests, thin ones included (their members do not exist for it).
cp "$dir"/tests/ext/*.a "$corpus/archive/"
# The inputs that once crashed a target start its run: each is run first, in this build, whose
# file cache makes holes of small sections (what a test build cannot reach).
cp tests/fuzz/regressions/*.o "$corpus/load/" 2>/dev/null || true
cp tests/fuzz/regressions/*.a "$corpus/archive/" 2>/dev/null || true
# fuzz-dwarf-line's input: [n: 2 bytes] [.debug_line_str: n bytes] [.debug_line], unrelocated.
for o in "$dir"/tests/ext/basic-*.o "$dir"/tests/ext/multi-*.o "$dir"/tests/ext/cxx-*.o; do
	python3 - "$o" "$corpus/dwarf-line/$(basename "$o" .o)" <<'PY'
import os, subprocess, sys, tempfile
def sect(name):
    with tempfile.TemporaryDirectory() as t:
        out = os.path.join(t, 'sect')
        subprocess.run(['objcopy', '--dump-section', name + '=' + out, sys.argv[1],
                        os.path.join(t, 'obj')], stderr=subprocess.DEVNULL)
        return open(out, 'rb').read() if os.path.exists(out) else b''
strs, line = sect('.debug_line_str')[:65535], sect('.debug_line')
if line:
    open(sys.argv[2], 'wb').write(len(strs).to_bytes(2, 'little') + strs + line)
PY
done

export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
# Parallel jobs write their output to fuzz-N.log in the current directory: only asked for when
# wanted, and run from the build directory, so that those logs land there.
par=""
if [ "$jobs" -gt 1 ]; then
	par="-jobs=$jobs -workers=$jobs"
fi
# One run of fuzz-$1 for $2 seconds; $3 names the run's mode in its log and crash files, and
# what follows are env(1)'s arguments for it.
fuzz_one() {
	t=$1 s=$2 mode=$3
	shift 3
	art=artifacts/$t$mode
	echo "== fuzz-$t$mode for ${s}s"
	rm -rf "${dir:?}/$art"
	mkdir -p "$dir/$art"
	# shellcheck disable=SC2086 # $par is a list of options
	(cd "$dir" && env "$@" "tests/fuzz/fuzz-$t" -max_total_time="$s" -max_len=131072 \
		-timeout=10 $par -print_final_stats=1 -artifact_prefix="$art/" "corpus/$t") 2>&1 |
		tee "$dir/fuzz-$t$mode.log" |
		grep -E '^(#[0-9]+.*DONE|stat::|==[0-9]+==ERROR|SUMMARY)' || true
	if [ -n "$(ls -A "$dir/$art")" ]; then
		echo "fuzz-$t$mode found a crash: $(ls -d "$dir/$art"/*)" >&2
		exit 1
	fi
}

for t in load tables dwarf-line archive; do
	if [ "$t" = dwarf-line ]; then
		# Parses line tables only: no text to place.
		fuzz_one "$t" "$secs" "" -u LLEXT_SEALED_TEXT
		continue
	fi
	half=$((secs / 2))
	fuzz_one "$t" "$((secs - half))" "" -u LLEXT_SEALED_TEXT
	if [ "$half" -gt 0 ]; then
		fuzz_one "$t" "$half" "-sealed" LLEXT_SEALED_TEXT=1
	fi
done
