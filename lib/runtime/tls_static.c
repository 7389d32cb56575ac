// SPDX-License-Identifier: MIT
/*
 * Static TLS for a module the C library loaded after the program started, as its dynamic linker
 * gives it to a library opened with dlopen() whose code uses initial-exec: there is no interface
 * for that, so libllext opens a library that asks for it. The library is a few hundred bytes
 * written into a memory file: no code, one writable segment, and one relocation of the psABI's
 * TPREL type (R_X86_64_TPOFF64, R_AARCH64_TLS_TPREL) against the variable. To apply it the
 * dynamic linker must give the variable's module a block in static TLS, in every thread,
 * existing ones included, from the room it keeps for that; then it writes the variable's offset
 * from the thread pointer, which libllext reads back. Where it cannot (no room left, or a thread
 * has already had a block of that module allocated on its own), dlopen() fails and the module
 * stays in dynamic TLS.
 *
 * The file is built by hand because nothing in it varies but the symbol's name and the libraries
 * named as needed (those the extension opened, where the variable may be defined):
 *
 *   ELF header | PT_LOAD, PT_DYNAMIC, PT_GNU_STACK, [PT_TLS] | .dynsym | .hash | .rela.dyn |
 *   slot | .dynamic | .dynstr | [TLS image]
 *
 * The same library with a PT_TLS segment of its own and the relocation against a local symbol
 * at its start gives an extension's own block static TLS (llext_tls_static_block()): the dynamic
 * linker copies the image into every thread's block, existing threads' at once, later ones' when
 * they start.
 *
 * PT_GNU_STACK (read+write) is there so that loading it never makes the stacks executable.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/base.h"
#include "runtime/tls_static.h"

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#define HOST_TPREL R_X86_64_TPOFF64
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#define HOST_TPREL R_AARCH64_TLS_TPREL
#endif

#define NPHDR 3 /* and PT_TLS for a block of its own */
#define MAX_NEEDED 16
#define NDYN_FIXED 9 /* the entries build() writes after the DT_NEEDED ones */

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* The file, but for .dynstr, which follows it. */
struct tls_lib {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[NPHDR + 1];
	Elf64_Sym sym[2];
	Elf32_Word hash[4]; /* one bucket, two chains: the symbol is looked up by nobody */
	Elf64_Rela rela;
	uint64_t slot;
	Elf64_Dyn dyn[MAX_NEEDED + NDYN_FIXED + 1]; /* and DT_NULL, left zero */
};

#define OFF(field) ((Elf64_Addr)offsetof(struct tls_lib, field))

static void fill_headers(struct tls_lib *f, size_t size)
{
	static const unsigned char ident[EI_NIDENT] = {
	    ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV};

	memcpy(f->eh.e_ident, ident, sizeof(ident));
	f->eh.e_type = ET_DYN;
	f->eh.e_machine = HOST_MACHINE;
	f->eh.e_version = EV_CURRENT;
	f->eh.e_phoff = OFF(ph);
	f->eh.e_ehsize = sizeof(Elf64_Ehdr);
	f->eh.e_phentsize = sizeof(Elf64_Phdr);
	f->eh.e_phnum = NPHDR;
	f->ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_W, 0, 0, 0, size, size, 0x10000};
	f->ph[1] = (Elf64_Phdr){PT_DYNAMIC, PF_R | PF_W,    OFF(dyn),       OFF(dyn),
	                        OFF(dyn),   sizeof(f->dyn), sizeof(f->dyn), 8};
	f->ph[2] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
}

/* A thread-local block of the library's own, for llext_tls_static_block(). */
struct tls_seg {
	const void *image;
	size_t filesz, memsz, align;
};

/*
 * The file for @name (NULL: the library's own block @seg, at its start), needing @needed: its
 * size, or 0 if it does not fit @cap bytes.
 */
static size_t build(uint8_t *buf, size_t cap, const char *name, const char *const *needed,
                    size_t nneeded, const struct tls_seg *seg)
{
	struct tls_lib *f = (struct tls_lib *)buf;
	char *str = (char *)buf + sizeof(*f);
	size_t strsz = 1, nd = 0, len = name ? strlen(name) + 1 : 0, end;

	if (sizeof(*f) + 1 + len > cap || nneeded > MAX_NEEDED) {
		return 0;
	}
	memset(buf, 0, cap);
	if (name) {
		memcpy(str + strsz, name, len);
		f->sym[1] = (Elf64_Sym){
		    (Elf64_Word)strsz, ELF64_ST_INFO(STB_GLOBAL, STT_TLS), 0, SHN_UNDEF, 0, 0};
		strsz += len;
	} else {
		/* Local: the dynamic linker binds it to this library's own block. */
		f->sym[1] = (Elf64_Sym){0, ELF64_ST_INFO(STB_LOCAL, STT_TLS), 0, 1, 0, 0};
	}
	for (size_t i = 0; i < nneeded; i++) {
		len = strlen(needed[i]) + 1;
		if (sizeof(*f) + strsz + len > cap) {
			return 0;
		}
		memcpy(str + strsz, needed[i], len);
		f->dyn[nd++] = (Elf64_Dyn){DT_NEEDED, {strsz}};
		strsz += len;
	}
	f->hash[0] = 1; /* nbucket */
	f->hash[1] = 2; /* nchain */
	f->rela = (Elf64_Rela){OFF(slot), ELF64_R_INFO(1, HOST_TPREL), 0};
	f->dyn[nd++] = (Elf64_Dyn){DT_HASH, {OFF(hash)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_SYMTAB, {OFF(sym)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_SYMENT, {sizeof(Elf64_Sym)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_STRTAB, {sizeof(*f)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_STRSZ, {strsz}};
	f->dyn[nd++] = (Elf64_Dyn){DT_RELA, {OFF(rela)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_RELASZ, {sizeof(Elf64_Rela)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_RELAENT, {sizeof(Elf64_Rela)}};
	f->dyn[nd++] = (Elf64_Dyn){DT_FLAGS, {DF_STATIC_TLS}};
	if (nd >= ARRAY_SIZE(f->dyn)) {
		return 0; /* no room for DT_NULL: cannot be, with nneeded checked above */
	}
	end = sizeof(*f) + strsz;
	fill_headers(f, end);
	if (seg) {
		/* The image, at an offset (= address) aligned as the block is. */
		size_t at = (end + seg->align - 1) & ~(seg->align - 1);

		if (at > cap || seg->filesz > cap - at) {
			return 0;
		}
		memcpy(buf + at, seg->image, seg->filesz);
		end = at + seg->filesz;
		f->ph[0].p_filesz = f->ph[0].p_memsz = end;
		f->ph[3] =
		    (Elf64_Phdr){PT_TLS, PF_R, at, at, at, seg->filesz, seg->memsz, seg->align};
		f->eh.e_phnum = NPHDR + 1;
	}
	return end;
}

size_t llext_tls_static_image(uint8_t *buf, size_t cap, const char *name, const char *const *needed,
                              size_t nneeded)
{
	return build(buf, cap, name, needed, nneeded, NULL);
}

/*
 * What llext_tls_static_ask() returns: the library, and its memory file, open as long as the
 * library is, since the C library knows a library by its path first, and the path names the
 * descriptor.
 */
struct llext_tls_asked {
	void *dl;
	int fd;
};

/* Opens the file in @buf, through a memory file. */
static struct llext_tls_asked *open_lib(const uint8_t *buf, size_t size, char *why, size_t whylen)
{
	struct llext_tls_asked *a = llext_malloc(sizeof(*a));
	char path[64];

	if (!a) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	a->dl = NULL;
	/* Never executable: the kernel refuses a file that could be where vm.memfd_noexec=2, and
	 * one older than 6.3 refuses the flag. */
	a->fd = memfd_create("llext-static-tls", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	if (a->fd < 0 && errno == EINVAL) {
		a->fd = memfd_create("llext-static-tls", MFD_CLOEXEC);
	}
	if (a->fd < 0) {
		snprintf(why, whylen, "memfd_create: %s", strerror(errno));
	} else if (write(a->fd, buf, size) != (ssize_t)size) {
		snprintf(why, whylen, "cannot write a memory file");
	} else {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", a->fd);
		a->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!a->dl) {
			const char *e = dlerror();

			snprintf(why, whylen, "%s", e ? e : "dlopen() failed");
		}
	}
	if (!a->dl) {
		if (a->fd >= 0) {
			close(a->fd);
		}
		free(a);
		return NULL;
	}
	return a;
}

void llext_tls_static_close(struct llext_tls_asked *a)
{
	if (a) {
		dlclose(a->dl);
		close(a->fd);
		free(a);
	}
}

/* Builds and opens the library; its relocated slot in *@tpoff. */
static struct llext_tls_asked *ask(const char *name, const char *const *needed, size_t nneeded,
                                   const struct tls_seg *seg, int64_t *tpoff, char *why,
                                   size_t whylen)
{
	size_t cap = 4096 + (seg ? seg->filesz + seg->align : 0), size;
	struct llext_tls_asked *h = NULL;
	uint8_t *buf;

#ifndef HOST_MACHINE
	snprintf(why, whylen, "not supported on this architecture");
	return NULL;
#endif
	buf = llext_malloc(cap);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	size = build(buf, cap, name, needed, nneeded, seg);
	if (!size) {
		snprintf(why, whylen, "the name and the libraries' paths are too long");
	} else {
		h = open_lib(buf, size, why, whylen);
	}
	free(buf);
	if (h) {
		const struct link_map *lm = NULL;

		/* The relocated slot, read through the library's load address. */
		if (dlinfo(h->dl, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
			snprintf(why, whylen, "dlinfo() failed");
			llext_tls_static_close(h);
			return NULL;
		}
		memcpy(tpoff, (const uint8_t *)lm->l_addr + OFF(slot), sizeof(*tpoff));
	}
	return h;
}

struct llext_tls_asked *llext_tls_static_ask(const char *name, const char *const *needed,
                                             size_t nneeded, int64_t *tpoff, char *why,
                                             size_t whylen)
{
	return ask(name, needed, nneeded, NULL, tpoff, why, whylen);
}

struct llext_tls_asked *llext_tls_static_block(const void *image, size_t filesz, size_t memsz,
                                               size_t align, int64_t *tpoff, size_t *modid,
                                               char *why, size_t whylen)
{
	/* Never an empty block: the C library skips a PT_TLS of no bytes, and then divides by the
	 * alignment of the TLS its relocation finds none of (SIGFPE). */
	struct tls_seg seg = {image, filesz, memsz ? memsz : 1, align ? align : 1};
	struct llext_tls_asked *h;

	if (seg.align & (seg.align - 1)) {
		snprintf(why, whylen, "alignment %zu is not a power of two", align);
		return NULL;
	}
	/* A whole number of alignments: the C library pads a block up to its alignment when it
	 * gives it room, but takes back only its size when it is closed, and then no longer finds
	 * the block before it at the end of the room used: a block whose size is not a multiple of
	 * its alignment would leave every block before it used for good (x86-64). */
	seg.memsz = (seg.memsz + seg.align - 1) & ~(seg.align - 1);
	h = ask(NULL, NULL, 0, &seg, tpoff, why, whylen);
	if (h && (dlinfo(h->dl, RTLD_DI_TLS_MODID, modid) != 0 || !*modid)) {
		snprintf(why, whylen, "dlinfo() gives no module ID");
		llext_tls_static_close(h);
		return NULL;
	}
	return h;
}
