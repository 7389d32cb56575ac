// SPDX-License-Identifier: MIT
/*
 * An extension that uses system calls the way Zephyr code does: through the wrappers of
 * <zephyr/syscalls/zsys_calls.h>, which call the host's z_impl_ functions.
 */
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest_assert.h>

#include "zsys_calls.h"

/* Runs each call; the host checks what its implementations saw. Returns the sum of results. */
long zsys_run(void)
{
	char buf[16];
	struct zsys_info info = {0};
	unsigned long before = zsys_count();
	size_t len;

	zassert_equal(zsys_add(40, 2), 42, "zsys_add");
	len = zsys_upcase(buf, "syscall", sizeof(buf));
	zassert_equal(len, 7, "zsys_upcase length");
	zassert_str_equal(buf, "SYSCALL", "zsys_upcase text");
	zsys_describe(&info);
	zassert_equal(info.magic, 0x5a595343u, "zsys_describe magic");
	zassert_equal(zsys_swap64(0x0102030405060708ull), 0x0807060504030201ull, "zsys_swap64");
	zassert_equal(zsys_count() - before, 4, "calls the host counted");
	return zsys_add(1000, info.calls);
}
EXPORT_SYMBOL(zsys_run);
