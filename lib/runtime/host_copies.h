// SPDX-License-Identifier: MIT
/* Whether the main program holds a copy of a shared library's object (a copy relocation). */
#ifndef LLEXT_RUNTIME_HOST_COPIES_H
#define LLEXT_RUNTIME_HOST_COPIES_H

#include <stdbool.h>

/* True if the main program's dynamic relocations copy @name into it (R_*_COPY). */
bool llext_host_copied(const char *name);

#endif
