// SPDX-License-Identifier: MIT
/*
 * Uses the sanitizer coverage interface as instrumented code does: it writes the thread-local
 * __sancov_lowest_stack (initial-exec in Clang's output) and calls the runtime's hooks, all of
 * which the host defines without exporting them (tests/sancov/test_sancov_host.c).
 */
#include <stdint.h>

extern __thread uintptr_t __sancov_lowest_stack;
void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b);
void __sanitizer_cov_8bit_counters_init(char *start, char *stop);

static char counters[3];

/* Hands the counters over, as the coverage constructor does. */
void sancov_user_register(void)
{
	__sanitizer_cov_8bit_counters_init(counters, counters + sizeof(counters));
}

/* Records @sp as this thread's lowest stack, traces a comparison with 'F'; whether @c is 'F'. */
int sancov_user_step(uintptr_t sp, uint8_t c)
{
	if (sp < __sancov_lowest_stack) {
		__sancov_lowest_stack = sp;
	}
	__sanitizer_cov_trace_const_cmp1('F', c);
	counters[c == 'F']++;
	return c == 'F';
}

#ifdef PRIVATE
/* A name outside the coverage interface, defined in the host and not exported: unresolved. */
void sancov_host_private(void);

void sancov_user_private(void)
{
	sancov_host_private();
}
#endif
