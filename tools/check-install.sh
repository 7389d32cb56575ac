#!/bin/sh
# Installs a build into a scratch directory and builds a program against the installed headers,
# pkg-config file and shared library, as a user of the package would.
#
# Usage: tools/check-install.sh BUILDDIR
set -eu
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --quiet
pc=$(dirname "$(find "$dest" -name llext.pc | head -n 1)")
cat >"$dest/user.c" <<'C'
#include <llext/buf_loader.h>
#include <llext/llext.h>
#include <stdio.h>

int main(void)
{
	static const char junk[] = "not ELF";
	struct llext_buf_loader ldr = LLEXT_BUF_LOADER(junk, sizeof(junk));
	struct llext *ext;

	/* Refused as invalid: proves the library links and runs. */
	return llext_load(&ldr.loader, "x", &ext, NULL) == -22 ? 0 : 1;
}
C
# shellcheck disable=SC2046
cc "$dest/user.c" -o "$dest/user" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs llext)
LD_LIBRARY_PATH=$(dirname "$(find "$dest" -name 'libllext.so.0' | head -n 1)") "$dest/user" 2>/dev/null
echo "install check: ok"
