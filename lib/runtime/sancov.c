// SPDX-License-Identifier: MIT
/*
 * Code built with -fsanitize-coverage (-fsanitize=fuzzer-no-link) calls the coverage runtime,
 * __sanitizer_cov_8bit_counters_init() and the __sanitizer_cov_trace_*() hooks, and writes the
 * thread-local __sancov_lowest_stack. A program linked with libFuzzer defines them all, and a
 * static linker binds the program's own objects to them; but a program is not linked with
 * -rdynamic for the sake of its plugins, and only some of these names reach its dynamic symbol
 * table (clang exports the functions with the sanitizer runtime it links, never the variable).
 * Like the compiler's runtime (libgcc.c), these names are the instrumentation's contract with a
 * runtime, not the program's interface: an extension gets the program's definitions from its
 * symbol table, read from /proc/self/exe when the dynamic symbols do not have them. No other
 * name is ever looked up there.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "runtime/sancov.h"

/* Where the program is: its load bias and, if it has thread-local storage, this thread's block. */
struct program {
	uintptr_t bias;
	uintptr_t tls_data;
	bool tls;
};

static int first_module(struct dl_phdr_info *info, size_t size, void *p)
{
	struct program *prog = p;

	prog->bias = info->dlpi_addr;
	if (size >= offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(void *)) {
		prog->tls_data = (uintptr_t)info->dlpi_tls_data;
	}
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		prog->tls = prog->tls || info->dlpi_phdr[i].p_type == PT_TLS;
	}
	return 1; /* the program is always the first module */
}

static bool is_sancov(const char *name)
{
	return strncmp(name, "__sanitizer_cov_", 16) == 0 || strncmp(name, "__sancov_", 9) == 0;
}

/* The definition of @name in the symbol table @scn of @elf: its value, or false. */
static bool find_in(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *name, bool tls,
                    GElf_Addr *value)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 1; data && i < n; i++) {
		GElf_Sym s;
		const char *sn;

		if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF ||
		    GELF_ST_BIND(s.st_info) == STB_LOCAL ||
		    (GELF_ST_TYPE(s.st_info) == STT_TLS) != tls) {
			continue;
		}
		sn = elf_strptr(elf, sh->sh_link, s.st_name);
		if (sn && strcmp(sn, name) == 0) {
			*value = s.st_value;
			return true;
		}
	}
	return false;
}

/* @name's st_value in the program's symbol table (.symtab, gone if the program is stripped). */
static bool program_symbol(const char *name, bool tls, GElf_Addr *value)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	bool found = false;
	Elf *elf;

	if (fd < 0) {
		LOG_DBG("/proc/self/exe: %s", strerror(errno));
		return false;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && !found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			found = find_in(elf, scn, &sh, name, tls, value);
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

bool llext_sancov_lookup(const char *name, bool tls, void **addr)
{
	struct program prog = {0};
	GElf_Addr value;

	if (!is_sancov(name) || !program_symbol(name, tls, &value)) {
		return false;
	}
	dl_iterate_phdr(first_module, &prog);
	if (tls) {
		/* A thread-local symbol's value is its offset in the module's TLS block. */
		if (!prog.tls || !prog.tls_data) {
			return false;
		}
		*addr = (void *)(prog.tls_data + value);
	} else {
		*addr = (void *)(prog.bias + value);
	}
	LOG_DBG("'%s' from the program's symbol table: %p", name, *addr);
	return true;
}
