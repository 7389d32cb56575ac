#!/bin/sh
# Sets everything up on a fresh Debian 12 machine, builds libllext and runs llext-run on an
# example extension.
set -eu
cd "$(dirname "$0")/.."

tools/setup-debian.sh
dir=build/native
[ -f "$dir/build.ninja" ] || meson setup "$dir"
ninja -C "$dir"
set -x
"$dir/tools/llext-run" "$dir/docs/examples/hello.o" -- world
