/* SPDX-License-Identifier: MIT */
/* A global defined in a section that is not loaded (no SHF_ALLOC), beside a loaded function. */
	.section .not_loaded,"",%progbits
	.globl in_unloaded_section
in_unloaded_section:
	.quad 0

	.text
	.globl loaded_function
	.type loaded_function,%function
loaded_function:
	ret

	.section .note.GNU-stack,"",%progbits
