// SPDX-License-Identifier: MIT
/*
 * Zephyr's unit-test build (ZTEST_UNITTEST): __syscall is empty, so a system call is an ordinary
 * function the test defines, and the generated header adds no wrapper. Compiled with
 * -DZTEST_UNITTEST this builds; without it, the definition clashes with the static inline
 * wrapper (tests/zephyr/check-compile.py unittest checks both).
 */
#include "zsys_calls.h"

int zsys_add(int a, int b)
{
	return a - b;
}
