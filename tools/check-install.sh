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
libdir=$(dirname "$(find "$dest" -name 'libllext.so.0' | head -n 1)")
LD_LIBRARY_PATH=$libdir "$dest/user" 2>/dev/null

# A Zephyr extension built with llext-zephyr-extension's flags, run by a host written against
# the Zephyr-named API and linked with llext-zephyr's.
cat >"$dest/zext.c" <<'C'
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest_assert.h>

void test_entry(void)
{
	zassert_ok(strcmp("installed", "installed"));
	printk("zephyr extension: ok\n");
}
EXPORT_SYMBOL(test_entry);
C
cat >"$dest/zhost.c" <<'C'
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/llext.h>

int main(int argc, char **argv)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(argv[argc - 1]);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;

	if (llext_load(&ldr.loader, "zext", &ext, &param) != 0) {
		return 1;
	}
	llext_bringup(ext);
	llext_call_fn(ext, "test_entry");
	llext_teardown(ext);
	return llext_unload(&ext);
}
C
# shellcheck disable=SC2046
cc -c "$dest/zext.c" -o "$dest/zext.o" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags llext-zephyr-extension)
# shellcheck disable=SC2046
cc "$dest/zhost.c" -o "$dest/zhost" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs llext-zephyr)
out=$(LD_LIBRARY_PATH=$libdir "$dest/zhost" "$dest/zext.o")
[ "$out" = "zephyr extension: ok" ] || { echo "install check: zephyr: got '$out'" >&2; exit 1; }
# A ztest host linked with llext-ztest's flags: the runner's main() runs its suite, whose case
# loads the extension above, and prints Zephyr's verdict.
cat >"$dest/ztesthost.c" <<'C'
#include <stdlib.h>
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/llext.h>
#include <zephyr/ztest.h>

struct installed_fixture {
	struct llext *ext;
};

static void *installed_setup(void)
{
	static struct installed_fixture f;
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(getenv("ZEXT"));
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;

	zassert_ok(llext_load(&ldr.loader, "zext", &f.ext, &param));
	return &f;
}

ZTEST_SUITE(installed, NULL, installed_setup, NULL, NULL, NULL);

ZTEST_F(installed, test_extension)
{
	zassert_ok(llext_bringup(fixture->ext));
	zassert_ok(llext_call_fn(fixture->ext, "test_entry"));
}
C
# shellcheck disable=SC2046
cc "$dest/ztesthost.c" -o "$dest/ztesthost" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs llext-ztest)
out=$(ZEXT="$dest/zext.o" LD_LIBRARY_PATH=$libdir "$dest/ztesthost")
case "$out" in
*" PASS - test_extension in "*"PROJECT EXECUTION SUCCESSFUL") ;;
*) echo "install check: ztest: got '$out'" >&2; exit 1 ;;
esac

# A system call through the installed llext-zephyr-syscalls: its man page is installed, the
# extension calls the wrapper it wrote, the host implements z_impl_ and links the exports file.
tool=$(find "$dest" -path '*/bin/llext-zephyr-syscalls' | head -n 1)
[ -x "$tool" ] || { echo "install check: llext-zephyr-syscalls not installed" >&2; exit 1; }
find "$dest" -name 'llext-zephyr-syscalls.1*' | grep -q . ||
	{ echo "install check: llext-zephyr-syscalls.1 not installed" >&2; exit 1; }
cat >"$dest/zcalls.h" <<'C'
#include <zephyr/toolchain.h>
__syscall int zcall_twice(int x);
__syscall int zcall_missing(int x);
#include <zephyr/syscalls/zcalls.h>
C
cat >"$dest/zsext.c" <<'C'
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include "zcalls.h"

void test_entry(void)
{
	printk("twice: %d\n", zcall_twice(21));
}
EXPORT_SYMBOL(test_entry);
C
cat >"$dest/zshost.c" <<'C'
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/llext.h>
#include "zcalls.h"

int z_impl_zcall_twice(int x)
{
	return 2 * x;
}

int main(int argc, char **argv)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(argv[argc - 1]);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;

	if (llext_find_sym(NULL, "z_impl_zcall_missing") != NULL ||
	    llext_load(&ldr.loader, "zsext", &ext, &param) != 0) {
		return 1;
	}
	llext_call_fn(ext, "test_entry");
	return llext_unload(&ext);
}
C
"$tool" -o "$dest/gen" "$dest/zcalls.h"
# shellcheck disable=SC2046
cc -c -I"$dest" -I"$dest/gen" "$dest/zsext.c" -o "$dest/zsext.o" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags llext-zephyr-extension)
# shellcheck disable=SC2046
cc -I"$dest" -I"$dest/gen" "$dest/zshost.c" "$dest/gen/syscall_exports_llext.c" -o "$dest/zshost" \
	$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs llext-zephyr)
out=$(LD_LIBRARY_PATH=$libdir "$dest/zshost" "$dest/zsext.o")
[ "$out" = "twice: 42" ] || { echo "install check: syscalls: got '$out'" >&2; exit 1; }
echo "install check: ok"
