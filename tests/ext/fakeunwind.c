// SPDX-License-Identifier: MIT
/*
 * An unwinder's registration functions and nothing else, opened with RTLD_GLOBAL by test-unwind
 * after extensions have loaded, to show that libllext finds an unwinder that arrives late. The
 * frames are only counted: nothing unwinds through this one.
 */
void __register_frame(void *eh_frame);
void __deregister_frame(void *eh_frame);
int fakeunwind_calls(void **last_registered, void **last_deregistered);

static int registered, deregistered;
static void *last_reg, *last_dereg;

void __register_frame(void *eh_frame)
{
	registered++;
	last_reg = eh_frame;
}

void __deregister_frame(void *eh_frame)
{
	deregistered++;
	last_dereg = eh_frame;
}

/* Registrations * 1000 + deregistrations so far, and the last frames each was given. */
int fakeunwind_calls(void **last_registered, void **last_deregistered)
{
	*last_registered = last_reg;
	*last_deregistered = last_dereg;
	return registered * 1000 + deregistered;
}
