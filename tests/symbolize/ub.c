// SPDX-License-Identifier: MIT
/* Undefined behaviour in extension code, for UndefinedBehaviorSanitizer to report. */
__attribute__((noinline)) int add_one(int x)
{
	return x + 1; /* overflow: x is INT_MAX */
}

int ub_run(int x)
{
	return add_one(x) - 1;
}
