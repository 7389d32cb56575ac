// SPDX-License-Identifier: MIT
/*
 * Built with Clang's -fsanitize=fuzzer-no-link: every function gets 8-bit counters in a section
 * __sancov_cntrs and entries of a PC table in __sancov_pcs, one input section of each per
 * function (in its COMDAT group), and a constructor hands the whole tables to the runtime through
 * __start___sancov_cntrs .. __stop___sancov_cntrs and __start___sancov_pcs .. __stop___sancov_pcs
 * (weak, hidden references). The host plays the runtime.
 */
int sancov_branchy(int x)
{
	if (x > 3) {
		return x * 2;
	}
	if (x < -5) {
		return -x;
	}
	return x + 1;
}

int sancov_other(int x)
{
	return x == 7 ? 1 : 0;
}
