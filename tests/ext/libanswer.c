// SPDX-License-Identifier: MIT
/*
 * A shared library that only test-symbols opens, once loaded and unloaded and once loaded and
 * looked into, so that the test knows every module change it makes.
 */
int libanswer_value(void);

int libanswer_value(void)
{
	return 42;
}
