// SPDX-License-Identifier: MIT
/* One definition in C (tests/test_cxx_odr.c, loaded twice): a weak definition of data is one
 * object in the process, a strong one and a weak function stay each extension's own. */
__attribute__((weak)) int odr_weak_data = 5;
int odr_strong_data = 7;

__attribute__((weak)) int odr_weak_fn(void)
{
	return 1;
}

/* The addresses the code uses. */
int *odr_c_weak(void)
{
	return &odr_weak_data;
}

int *odr_c_strong(void)
{
	return &odr_strong_data;
}
