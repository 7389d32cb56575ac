// SPDX-License-Identifier: MIT
/*
 * An extension with imports worth replacing in a unit test: a thermostat that reads a sensor the
 * host provides and keeps its readings in memory from malloc(). test_thermostat.c tests it with
 * CMocka, binding both imports to mocks for each load.
 */
#include <stdlib.h>

/* From the host. */
int sensor_read(void);

#define HISTORY 4

static int *history;
static int count;
static int heating;

/*
 * One control step towards @target degrees: the mean of the last readings decides, with one
 * degree of hysteresis. Returns 1 to heat, 0 not to, -1 if there is no memory for the history.
 */
int thermostat_step(int target)
{
	int sum = 0, n;

	if (!history) {
		history = malloc(HISTORY * sizeof(*history));
		if (!history) {
			return -1;
		}
	}
	history[count++ % HISTORY] = sensor_read();
	n = count < HISTORY ? count : HISTORY;
	for (int i = 0; i < n; i++) {
		sum += history[i];
	}
	if (sum < (target - 1) * n) {
		heating = 1;
	} else if (sum > (target + 1) * n) {
		heating = 0;
	}
	return heating;
}

void thermostat_reset(void)
{
	free(history);
	history = NULL;
	count = 0;
	heating = 0;
}
