/* SPDX-License-Identifier: MIT */
/* Leak checkers: an extension's writable memory as a place where live pointers are kept. */
#ifndef LLEXT_RUNTIME_LEAK_H
#define LLEXT_RUNTIME_LEAK_H

#include <stdbool.h>

struct llext_internal;

/*
 * With LeakSanitizer in the process: registers (@add) or unregisters the extension's data and
 * bss as root regions. Does nothing in a process without it.
 */
void llext_leak_roots(const struct llext_internal *ie, bool add);

#endif /* LLEXT_RUNTIME_LEAK_H */
