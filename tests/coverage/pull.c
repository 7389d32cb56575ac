// SPDX-License-Identifier: MIT
/*
 * Not instrumented: calls cov.c's cov_a(), which the coverage test links from an archive of an
 * instrumented object, so that the member pulled in on demand is the only instrumented input.
 */
int cov_a(int n);

/* llext-run --call's entry: cov_a(2), then cov_a(5). */
void pull_run(void)
{
	cov_a(2);
	cov_a(5);
}
