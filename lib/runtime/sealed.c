// SPDX-License-Identifier: MIT
/*
 * Sealed text. A process under PR_SET_MDWE, systemd's MemoryDenyWriteExecute=yes (a seccomp
 * filter) or SELinux without execmem may not make a page executable that was writable: the
 * mprotect() that ends every load fails. Such a process may still map a file read+execute, which
 * is what dlopen() does. So the finished code, relocated in the reservation's read+write pages as
 * always, is written into a memory file, the file is sealed (no write, growth or shrink, ever, by
 * anyone: F_SEAL_WRITE fails while a writable shared mapping of it exists anywhere), and only
 * then mapped read+execute over those pages, which the mapping replaces in one step. No writable
 * mapping of the code exists at any moment. The file is named after the extension, so that
 * /proc/PID/maps says whose code a mapping is.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base/base.h"
#include "runtime/pages.h"
#include "runtime/sealed.h"

#ifndef PR_GET_MDWE
#define PR_GET_MDWE 66
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static int env_mode = -1;

static void read_env(void)
{
	const char *v = getenv("LLEXT_SEALED_TEXT");

	if (v && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
		env_mode = v[0] - '0';
	}
}

int llext_sealed_env(void)
{
	pthread_once(&env_once, read_env);
	return env_mode;
}

/* 0 not probed yet, 1 executable memory may be made from writable memory, 2 it may not. */
static _Atomic int hardened;

/* True if PR_SET_MDWE is in force (a kernel without it says EINVAL). */
static bool mdwe_set(void)
{
	int mdwe = prctl(PR_GET_MDWE, 0, 0, 0, 0);

	return mdwe > 0 && (mdwe & PR_MDWE_REFUSE_EXEC_GAIN);
}

/* PR_GET_MDWE where the kernel has it. A seccomp filter or a security module that refuses
 * making writable memory executable is learnt from the first load's own mprotect() of its text
 * (map.c falls back to sealed text and calls llext_sealed_note_refused()): a probe page of its
 * own would cost a first load in a process an mmap(), an mprotect() and a munmap() to learn
 * what that load finds out anyway. */
static int probe(void)
{
	if (mdwe_set()) {
		LOG_DBG("PR_SET_MDWE is set: extensions get sealed text");
		return 2;
	}
	return 1;
}

bool llext_sealed_hardened(void)
{
	int h = atomic_load_explicit(&hardened, memory_order_relaxed);

	if (!h) {
		/* Threads that race both probe and find the same answer; a refusal a load noted
		 * meanwhile stands. */
		int unset = 0;

		h = probe();
		if (!atomic_compare_exchange_strong_explicit(
			&hardened, &unset, h, memory_order_relaxed, memory_order_relaxed)) {
			h = unset;
		}
	}
	return h == 2;
}

void llext_sealed_note_refused(void)
{
	atomic_store_explicit(&hardened, 2, memory_order_relaxed);
}

/* True if /proc/self/status says a seccomp filter is installed (mode 2). */
static bool seccomp_filtered(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	bool found = false;

	if (!f) {
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Seccomp:", 8) == 0) {
			found = atoi(line + 8) == 2;
			break;
		}
	}
	fclose(f);
	return found;
}

const char *llext_sealed_policy(void)
{
	if (mdwe_set()) {
		return "PR_SET_MDWE (memory-deny-write-execute)";
	}
	if (seccomp_filtered()) {
		return "a seccomp filter (such as systemd's MemoryDenyWriteExecute=yes)";
	}
	return "a security policy (such as SELinux without execmem)";
}

/* A sealable memory file, marked executable where the kernel knows the flag (6.3 on; with
 * vm.memfd_noexec=0 an older kernel's files are executable all the same). */
static int make_file(const char *name)
{
	int fd;

	if (llext_fault_now()) {
		errno = ENOMEM;
		return -1;
	}
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL) {
		fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	}
	return fd;
}

/* @len bytes from @src at the start of the file, which gets exactly that size. */
static int fill(int fd, const uint8_t *src, size_t len)
{
	size_t done = 0;

	if (llext_fault_now()) {
		errno = ENOSPC;
		return -1;
	}
	if (ftruncate(fd, (off_t)len) != 0) {
		return -1;
	}
	while (done < len) {
		ssize_t n = pwrite(fd, src + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			errno = n < 0 ? errno : EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* F_SEAL_WRITE forbids writes to the file through any descriptor or shared mapping from now on,
 * and is refused while a writable shared mapping of it exists anywhere; F_SEAL_SEAL keeps anyone
 * from lifting the seals. */
#define SEALS (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL)

/* The file @fd filled from [@addr, @addr + @len), sealed and mapped there; NULL, or the step that
 * failed, with errno set. */
static const char *fill_seal_map(int fd, void *addr, size_t len)
{
	if (fill(fd, addr, len) != 0) {
		return "write its memory file";
	}
	if (fcntl(fd, F_ADD_SEALS, SEALS) != 0) {
		return "seal its memory file";
	}
	/* Private, as dlopen() maps code: a debugger's breakpoint (a write through ptrace) then
	 * gets a copy of its page, where a shared mapping of a sealed file would refuse it. */
	if (llext_mmap(addr, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0) != addr) {
		return "map its memory file read+execute";
	}
	return NULL;
}

int llext_sealed_map(void *addr, size_t len, const char *name)
{
	int fd = make_file(name), err = 0;
	const char *what = fd < 0 ? "create a memory file" : fill_seal_map(fd, addr, len);

	if (what) {
		err = errno ? errno : EIO;
		LOG_ERR("%s: sealed text: cannot %s: %s%s", name, what, strerror(err),
		        err == EACCES || err == EPERM
		            ? " (vm.memfd_noexec=2 or a policy forbids executable memory files)"
		            : "");
	}
	if (fd >= 0) {
		close(fd);
	}
	return -err;
}
