/* SPDX-License-Identifier: MIT */
/*
 * Thread-local variables of the modules the C library loaded (tls_host.c).
 */
#ifndef LLEXT_RUNTIME_TLS_HOST_H
#define LLEXT_RUNTIME_TLS_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a variable is: the C library's module ID and its offset in that module's block; if the
 * block is in static TLS, its offset from the thread pointer (the same in every thread). */
struct llext_tls_where {
	size_t modid;
	uint64_t off;
	bool is_static;
	int64_t tpoff;
};

/* @addr is the calling thread's copy of a variable: where it is, or -ENOENT if no module of
 * the C library's holds it. */
int llext_tls_host_where(const void *addr, struct llext_tls_where *w);

/* -ENOEXEC, with the module's name in @module, if a module of the C library's defines @name as
 * something not thread-local, or in no thread-local block of its own; 0 otherwise (defined as a
 * thread-local variable, or nowhere). Looks nothing up with dlsym(), so allocates no block. */
int llext_tls_host_check(const char *name, char *module, size_t len);

#endif /* LLEXT_RUNTIME_TLS_HOST_H */
