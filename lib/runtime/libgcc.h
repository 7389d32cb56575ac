/* SPDX-License-Identifier: MIT */
/*
 * The compiler's runtime (libgcc) that extensions call.
 */
#ifndef LLEXT_RUNTIME_LIBGCC_H
#define LLEXT_RUNTIME_LIBGCC_H

#include <stdbool.h>

/* The address of libgcc's @name, from the part linked into libllext or from libgcc_s.so.1. */
bool llext_runtime_lookup(const char *name, void **addr);
/* libgcc_s.so.1, opened once without adding it to the global namespace, or NULL. */
void *llext_runtime_libgcc_s(void);

#endif /* LLEXT_RUNTIME_LIBGCC_H */
