/* SPDX-License-Identifier: MIT */
/*
 * Exception frames: registering .eh_frame with the process's unwinders, and C++ static
 * destructors.
 */
#ifndef LLEXT_RUNTIME_UNWIND_H
#define LLEXT_RUNTIME_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/ext.h"

/* ---- unwind.c: exception frames and C++ static destructors ---- */

/* Registers .eh_frame at @eh_frame (checked by load/eh_frame.c) with the process's unwinders. */
void llext_unwind_register(struct llext_internal *ie, void *eh_frame);
void llext_unwind_unregister(struct llext_internal *ie);
/* Runs what the extension registered with __cxa_atexit() (C++ static destructors). */
void llext_unwind_finalize(struct llext_internal *ie);

/* ---- unwinder.c: the unwinders that .eh_frame is registered with ---- */

/* Registers @eh_frame with every unwinder that may unwind the extension; returns which (a mask
 * for llext_unwinders_remove()), 0 if there is none in the process. */
uint32_t llext_unwinders_add(void *eh_frame);
void llext_unwinders_remove(void *eh_frame, uint32_t mask);

#endif /* LLEXT_RUNTIME_UNWIND_H */
