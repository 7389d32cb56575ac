/* SPDX-License-Identifier: MIT */
/*
 * The sanitizer coverage interface (what -fsanitize-coverage code calls and reads) from the
 * program's own symbol table, where the program does not export it.
 */
#ifndef LLEXT_RUNTIME_SANCOV_H
#define LLEXT_RUNTIME_SANCOV_H

#include <stdbool.h>

/*
 * The address of @name, a name of the sanitizer coverage interface ("__sanitizer_cov_*",
 * "__sancov_*"), defined in the program; for a thread-local variable (@tls), the calling
 * thread's copy. False for any other name, or if the program's symbol table does not have it.
 */
bool llext_sancov_lookup(const char *name, bool tls, void **addr);

#endif /* LLEXT_RUNTIME_SANCOV_H */
