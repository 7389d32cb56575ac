/* SPDX-License-Identifier: MIT */
/* What the Zephyr tests' host (tests/zephyr/test_zephyr.c) shares with their extensions. */
#ifndef ZHOST_H
#define ZHOST_H

#include <zephyr/kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Given by the host, taken by the extension's thread. */
extern struct k_sem zhost_go;
/* Given by the extension's thread, taken by the host. */
extern struct k_sem zhost_done;
/* Locked by both. */
extern struct k_mutex zhost_lock;
/* Counted up under zhost_lock by host and extension threads. */
extern int zhost_counter;

/* A system call: the host implements z_impl_zhost_twice() and exports it (EXPORT_SYSCALL). */
__syscall int zhost_twice(int x);

#ifdef __cplusplus
}
#endif

/* Written by llext-zephyr-syscalls at build time, as Zephyr's build writes it. */
#include <zephyr/syscalls/zhost.h>

#endif /* ZHOST_H */
