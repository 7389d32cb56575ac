// SPDX-License-Identifier: MIT
/* Code with imports a unit test wants to replace: malloc() and a host function. */
#include <stdlib.h>

int sensor_read(void);

/* The mean of @n readings, or -1 if there is no memory for them. */
int mockable_mean(int n)
{
	int *v = malloc((size_t)n * sizeof(*v));
	int sum = 0;

	if (!v) {
		return -1;
	}
	for (int i = 0; i < n; i++) {
		v[i] = sensor_read();
		sum += v[i];
	}
	free(v);
	return sum / n;
}
