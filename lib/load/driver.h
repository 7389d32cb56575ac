/* SPDX-License-Identifier: MIT */
/*
 * The load driver's entry points, for the registry: build an extension, free one.
 */
#ifndef LLEXT_LOAD_DRIVER_H
#define LLEXT_LOAD_DRIVER_H

#include "runtime/ext.h"

/*
 * Builds the extension @name (already cut to LLEXT_MAX_NAME_LEN) from @ldr: on success, a
 * linked, protected, unregistered extension with a use count of 1 in @out; on failure nothing
 * is left behind. Called with the registry lock held: resolution reads the export index.
 * Names in @bound resolve to it before anything else, as a module's statically linked copy of
 * a function would.
 */
int llext_load_build(struct llext_loader *ldr, const char *name,
                     const struct llext_load_param *param, const struct llext_symtable *bound,
                     struct llext_internal **out);
/* Frees everything a (possibly half-built) extension owns, and the extension. */
void llext_free(struct llext_internal *ie);

#endif /* LLEXT_LOAD_DRIVER_H */
