// SPDX-License-Identifier: MIT
/*
 * Hostile input: a real object with one field broken per test, one test per validation rule.
 * Each must fail with the documented errno and a log line saying what was wrong, and leave
 * nothing registered (the valgrind setup checks that nothing leaks, too).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "common.h"
#include "logcap.h"
#include "base/base.h"
#include "observe/debug.h"

#if defined(__x86_64__)
#define TLS_GD_TYPE R_X86_64_TLSGD
#define TLS_TYPE R_X86_64_TPOFF32
#define DYN_TYPE R_X86_64_JUMP_SLOT
#define OTHER_MACHINE EM_AARCH64
#else
#define TLS_GD_TYPE R_AARCH64_TLSDESC_ADR_PAGE21
#define TLS_TYPE R_AARCH64_TLSLE_ADD_TPREL_HI12
#define DYN_TYPE R_AARCH64_JUMP_SLOT
#define OTHER_MACHINE EM_X86_64
#endif
#define UNKNOWN_TYPE 250
#if defined(__x86_64__)
#define DEBUG_ABS32 R_X86_64_32
#else
#define DEBUG_ABS32 R_AARCH64_ABS32
#endif

#define BASE "basic-gcc-default.o"
#define TLS "tls-gcc-pic.o"

/* A writable copy of a fixture, with pointers into its headers. */
struct obj {
	uint8_t *b;
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
};

static struct obj obj_open(const char *file)
{
	struct obj o;

	o.b = read_file(fixture_path(file), &o.len);
	o.eh = (Elf64_Ehdr *)o.b;
	o.sh = (Elf64_Shdr *)(o.b + o.eh->e_shoff);
	return o;
}

static int sect(const struct obj *o, const char *name)
{
	const char *names = (const char *)o->b + o->sh[o->eh->e_shstrndx].sh_offset;

	for (int i = 0; i < o->eh->e_shnum; i++) {
		if (strcmp(names + o->sh[i].sh_name, name) == 0) {
			return i;
		}
	}
	fail_msg("no section %s", name);
	return -1;
}

static int sect_of_type(const struct obj *o, uint32_t type)
{
	for (int i = 0; i < o->eh->e_shnum; i++) {
		if (o->sh[i].sh_type == type) {
			return i;
		}
	}
	fail_msg("no section of type %u", type);
	return -1;
}

static Elf64_Sym *sym(const struct obj *o, const char *name)
{
	int st = sect_of_type(o, SHT_SYMTAB);
	Elf64_Sym *s = (Elf64_Sym *)(o->b + o->sh[st].sh_offset);
	const char *str = (const char *)o->b + o->sh[o->sh[st].sh_link].sh_offset;

	for (size_t i = 0; i < o->sh[st].sh_size / sizeof(*s); i++) {
		if (strcmp(str + s[i].st_name, name) == 0) {
			return &s[i];
		}
	}
	fail_msg("no symbol %s", name);
	return NULL;
}

static Elf64_Rela *rela(const struct obj *o, const char *section)
{
	return (Elf64_Rela *)(o->b + o->sh[sect(o, section)].sh_offset);
}

struct bad {
	const char *name;
	void (*mutate)(struct obj *o);
	int err;
	const char *says; /* a piece of the log line */
	const char *file; /* fixture to start from, BASE if NULL */
};

/* clang-format off */
static void bad_magic(struct obj *o) { o->b[1] = 'X'; }
static void bad_class(struct obj *o) { o->b[EI_CLASS] = ELFCLASS32; }
static void bad_data(struct obj *o) { o->b[EI_DATA] = ELFDATA2MSB; }
static void bad_version(struct obj *o) { o->b[EI_VERSION] = 7; }
static void bad_machine(struct obj *o) { o->eh->e_machine = OTHER_MACHINE; }
static void bad_machine_unknown(struct obj *o) { o->eh->e_machine = 0x5a5a; }
static void bad_type_exec(struct obj *o) { o->eh->e_type = ET_EXEC; }
static void bad_type_dyn(struct obj *o) { o->eh->e_type = ET_DYN; }
static void bad_ehsize(struct obj *o) { o->eh->e_ehsize = 20; }
static void bad_shentsize(struct obj *o) { o->eh->e_shentsize = 40; }
static void bad_shoff_zero(struct obj *o) { o->eh->e_shoff = 0; }
static void bad_shoff_past_end(struct obj *o) { o->eh->e_shoff = o->len + 4096; }
static void bad_shoff_overflow(struct obj *o) { o->eh->e_shoff = UINT64_MAX - 100; }
static void bad_shnum_huge(struct obj *o) { o->eh->e_shnum = 0xfeff; }
static void bad_shstrndx(struct obj *o) { o->eh->e_shstrndx = o->eh->e_shnum + 3; }
static void bad_shstrtab_unterminated(struct obj *o)
{
	Elf64_Shdr *s = &o->sh[o->eh->e_shstrndx];

	o->b[s->sh_offset + s->sh_size - 1] = 'x';
}
static void bad_sect_offset(struct obj *o) { o->sh[sect(o, ".text")].sh_offset = o->len + 100; }
static void bad_sect_overflow(struct obj *o)
{
	o->sh[sect(o, ".text")].sh_offset = 64;
	o->sh[sect(o, ".text")].sh_size = UINT64_MAX - 10;
}
static void bad_sect_size(struct obj *o) { o->sh[sect(o, ".rodata")].sh_size = o->len * 4; }
static void bad_sect_name(struct obj *o) { o->sh[sect(o, ".data")].sh_name = 0x7fffffff; }
static void bad_align_odd(struct obj *o) { o->sh[sect(o, ".text")].sh_addralign = 24; }
static void bad_align_huge(struct obj *o) { o->sh[sect(o, ".data")].sh_addralign = 1ULL << 40; }
static void bad_wx(struct obj *o) { o->sh[sect(o, ".text")].sh_flags |= SHF_WRITE; }
static void bad_tls_sect(struct obj *o) { o->sh[sect(o, ".data")].sh_flags |= SHF_TLS; }
static void bad_alloc_rela(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_flags |= SHF_ALLOC; }
static void bad_execstack(struct obj *o)
{
	o->sh[sect(o, ".note.GNU-stack")].sh_flags |= SHF_EXECINSTR;
}
static void bad_rel_type(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_type = SHT_REL; }
static void bad_no_symtab(struct obj *o) { o->sh[sect_of_type(o, SHT_SYMTAB)].sh_type = SHT_PROGBITS; }
static void bad_symtab_entsize(struct obj *o) { o->sh[sect_of_type(o, SHT_SYMTAB)].sh_entsize = 16; }
static void bad_symtab_size(struct obj *o) { o->sh[sect_of_type(o, SHT_SYMTAB)].sh_size -= 5; }
static void bad_symtab_link(struct obj *o) { o->sh[sect_of_type(o, SHT_SYMTAB)].sh_link = 0; }
static void bad_symtab_link_type(struct obj *o)
{
	o->sh[sect_of_type(o, SHT_SYMTAB)].sh_link = (uint32_t)sect(o, ".text");
}
static void bad_symtab_info(struct obj *o) { o->sh[sect_of_type(o, SHT_SYMTAB)].sh_info = 1u << 30; }
static void bad_strtab_unterminated(struct obj *o)
{
	Elf64_Shdr *st = &o->sh[o->sh[sect_of_type(o, SHT_SYMTAB)].sh_link];

	o->b[st->sh_offset + st->sh_size - 1] = 'x';
}
static void bad_sym_name(struct obj *o) { sym(o, "basic_ops")->st_name = 0x7ffffff0; }
static void bad_sym_shndx(struct obj *o) { sym(o, "basic_ops")->st_shndx = (uint16_t)(o->eh->e_shnum + 3); }
static void bad_sym_value(struct obj *o)
{
	Elf64_Sym *s = sym(o, "basic_ops");

	s->st_value = o->sh[s->st_shndx].sh_size + 16;
}
static void bad_sym_local_undef(struct obj *o)
{
	sym(o, "host_add")->st_info = ELF64_ST_INFO(STB_LOCAL, STT_NOTYPE);
}
static void bad_rela_sym(struct obj *o) { rela(o, ".rela.text")->r_info = ELF64_R_INFO(1u << 30, ELF64_R_TYPE(rela(o, ".rela.text")->r_info)); }
static void bad_rela_offset(struct obj *o) { rela(o, ".rela.text")->r_offset = o->sh[sect(o, ".text")].sh_size - 2; }
static void bad_rela_offset_huge(struct obj *o) { rela(o, ".rela.text")->r_offset = UINT64_MAX - 2; }
static void bad_rela_type(struct obj *o) { rela(o, ".rela.text")->r_info = ELF64_R_INFO(ELF64_R_SYM(rela(o, ".rela.text")->r_info), UNKNOWN_TYPE); }
static void bad_rela_tls(struct obj *o) { rela(o, ".rela.text")->r_info = ELF64_R_INFO(ELF64_R_SYM(rela(o, ".rela.text")->r_info), TLS_TYPE); }
static void bad_rela_dynamic(struct obj *o) { rela(o, ".rela.text")->r_info = ELF64_R_INFO(ELF64_R_SYM(rela(o, ".rela.text")->r_info), DYN_TYPE); }
static void bad_rela_target(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_info = o->eh->e_shnum + 1; }
static void bad_rela_link(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_link = (uint32_t)sect(o, ".text"); }
static void bad_rela_entsize(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_entsize = 16; }
static void bad_rela_into_nobits(struct obj *o) { o->sh[sect(o, ".rela.text")].sh_info = (uint32_t)sect(o, ".bss"); }
static void bad_rela_unloaded_sym(struct obj *o)
{
	Elf64_Rela *r = rela(o, ".rela.text");
	int st = sect_of_type(o, SHT_SYMTAB);
	Elf64_Sym *s = (Elf64_Sym *)(o->b + o->sh[st].sh_offset) + ELF64_R_SYM(r->r_info);

	s->st_shndx = (uint16_t)sect(o, ".comment");
	s->st_value = 0;
}
static void bad_eh_cie_version(struct obj *o) { o->b[o->sh[sect(o, ".eh_frame")].sh_offset + 8] = 7; }
static void bad_eh_length(struct obj *o)
{
	uint32_t len = 0xfffffff0u;

	memcpy(o->b + o->sh[sect(o, ".eh_frame")].sh_offset, &len, 4);
}
static void bad_eh_trailing(struct obj *o)
{
	/* Two more bytes, not zero (whatever they belonged to: here, the null symbol's name). */
	Elf64_Shdr *eh = &o->sh[sect(o, ".eh_frame")];

	o->b[eh->sh_offset + eh->sh_size] = 0x41;
	o->b[eh->sh_offset + eh->sh_size + 1] = 0x41;
	eh->sh_size += 2;
}
static void bad_eh_fde_range(struct obj *o) { rela(o, ".rela.eh_frame")->r_addend += 1 << 24; }
static void bad_init_entry(struct obj *o) { rela(o, ".rela.init_array")->r_addend = 1 << 24; }
static void bad_exported_sym_size(struct obj *o) { o->sh[sect(o, ".exported_sym")].sh_size += 8; }
static void bad_bitcode(struct obj *o) { memcpy(o->b, "BC\xc0\xde", 4); }
static void bad_needs_unterminated(struct obj *o)
{
	Elf64_Shdr *n = &o->sh[sect(o, ".llext.needs")];

	o->b[n->sh_offset + n->sh_size - 1] = 'x';
}
static void bad_tls_readonly(struct obj *o) { o->sh[sect(o, ".tdata")].sh_flags &= ~(uint64_t)SHF_WRITE; }
static void bad_tls_type(struct obj *o) { o->sh[sect(o, ".tbss")].sh_type = SHT_NOTE; }
static void bad_tls_size(struct obj *o) { o->sh[sect(o, ".tbss")].sh_size = 1ULL << 40; }
static void bad_tls_align(struct obj *o) { o->sh[sect(o, ".tbss")].sh_addralign = 1ULL << 20; }
static void bad_tls_total(struct obj *o) { o->sh[sect(o, ".tbss")].sh_size = 64ULL << 20; }
static void bad_tls_sym_section(struct obj *o)
{
	Elf64_Sym *s = sym(o, "tls_counter");

	s->st_shndx = (uint16_t)sect(o, ".text");
	s->st_value = 0;
}
static void bad_tls_sym_common(struct obj *o) { sym(o, "tls_counter")->st_shndx = SHN_COMMON; }
static void bad_rela_gd_plain(struct obj *o) { rela(o, ".rela.text")->r_info = ELF64_R_INFO(ELF64_R_SYM(rela(o, ".rela.text")->r_info), TLS_GD_TYPE); }
static void bad_needs_twice(struct obj *o) { o->sh[sect(o, ".comment")].sh_name = o->sh[sect(o, ".llext.needs")].sh_name; }
static void bad_needs_exec(struct obj *o) { o->sh[sect(o, ".llext.needs")].sh_flags |= SHF_EXECINSTR; }

/* Debug information the loader does not read, but the debuggers' copy does
 * (lib/load/debug_copy.c). */
static void bad_dbg_rela_sym(struct obj *o) { rela(o, ".rela.debug_info")->r_info = ELF64_R_INFO(1u << 30, DEBUG_ABS32); }
static void bad_dbg_rela_offset(struct obj *o) { rela(o, ".rela.debug_info")->r_offset = o->sh[sect(o, ".debug_info")].sh_size - 2; }
static void bad_dbg_rela_offset_huge(struct obj *o) { rela(o, ".rela.debug_info")->r_offset = UINT64_MAX - 1; }
static void bad_dbg_rela_type(struct obj *o) { rela(o, ".rela.debug_info")->r_info = ELF64_R_INFO(ELF64_R_SYM(rela(o, ".rela.debug_info")->r_info), UNKNOWN_TYPE); }
static void bad_dbg_rela_entsize(struct obj *o) { o->sh[sect(o, ".rela.debug_info")].sh_entsize = 16; }
static void bad_dbg_rela_size(struct obj *o) { o->sh[sect(o, ".rela.debug_info")].sh_size -= 5; }
static void bad_dbg_rela_link(struct obj *o) { o->sh[sect(o, ".rela.debug_info")].sh_link = 0; }
static void bad_dbg_rela_rel(struct obj *o) { o->sh[sect(o, ".rela.debug_info")].sh_type = SHT_REL; }
/* A 32-bit field given a code address plus 4 GiB (the address alone may be low, under valgrind). */
static void bad_dbg_rela_overflow(struct obj *o)
{
	Elf64_Rela *r = rela(o, ".rela.debug_info");
	const Elf64_Sym *s = sym(o, "basic_ops");
	int st = sect_of_type(o, SHT_SYMTAB);

	r->r_info = ELF64_R_INFO((uint64_t)(s - (Elf64_Sym *)(o->b + o->sh[st].sh_offset)), DEBUG_ABS32);
	r->r_addend = (int64_t)1 << 32;
}
/* Every debug section spans the whole file: together far more than the file. */
static void bad_dbg_overlap(struct obj *o)
{
	const char *names = (const char *)o->b + o->sh[o->eh->e_shstrndx].sh_offset;

	for (int i = 0; i < o->eh->e_shnum; i++) {
		if (strncmp(names + o->sh[i].sh_name, ".debug_", 7) == 0) {
			o->sh[i].sh_offset = 0;
			o->sh[i].sh_size = o->len;
		}
	}
}
/* clang-format on */

/* These load (debug information is not needed to run), unregistered, with an error saying why. */
static const struct bad debug_cases[] = {
    {"debug relocation symbol index", bad_dbg_rela_sym, 0, "beyond the symbol table", NULL},
    {"debug relocation offset", bad_dbg_rela_offset, 0, "is outside .debug_info", NULL},
    {"debug relocation offset overflow", bad_dbg_rela_offset_huge, 0, "is outside", NULL},
    {"debug relocation type", bad_dbg_rela_type, 0, "type 250 is not one debug", NULL},
    {"debug relocation entry size", bad_dbg_rela_entsize, 0, "entry size 16 is invalid", NULL},
    {"debug relocation table size", bad_dbg_rela_size, 0, "is invalid", NULL},
    {"debug relocation symbol table", bad_dbg_rela_link, 0, "symbol table 0", NULL},
    {"debug SHT_REL relocations", bad_dbg_rela_rel, 0, "type 9", NULL},
    {"debug relocation overflow", bad_dbg_rela_overflow, 0, "does not fit in 4 bytes", NULL},
    {"debug sections overlapping", bad_dbg_overlap, 0, "sections overlap", NULL},
};

static size_t jit_count(void)
{
	size_t n = 0;

	for (struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e; e = e->next) {
		n++;
	}
	return n;
}

static void run_debug_case(void **state)
{
	const struct bad *c = *state;
	struct obj o = obj_open(c->file ? c->file : BASE);
	struct llext *ext;
	int ret;

	size_t registered;

	c->mutate(&o);
	log_capture_start();
	ret = load_buffer(o.b, o.len, "baddebug", &ext, NULL);
	log_capture_stop();
	free(o.b);
	if (ret != 0 || !log_contains(c->says)) {
		print_message("log: %s", log_text());
	}
	assert_int_equal(ret, 0);
	/* Counted and unloaded before the checks, so that a failure does not spill over. */
	registered = jit_count();
	assert_int_equal(llext_unload(&ext), 0);
	assert_true(log_contains(c->says));
	assert_int_equal(registered, 0);
	assert_int_equal(registry_count(), 0);
}

static const struct bad cases[] = {
    {"magic", bad_magic, -EINVAL, "not an ELF file", NULL},
    {"LLVM bitcode magic", bad_bitcode, -ENOEXEC, "without -flto", NULL},
    {"unterminated library list", bad_needs_unterminated, -EINVAL, "NUL", "needs.o"},
    {"two library lists", bad_needs_twice, -EINVAL, "more than one .llext.needs", "needs.o"},
    {"executable library list", bad_needs_exec, -EINVAL, "is marked executable", "needs.o"},
    {"class", bad_class, -EINVAL, "ELFCLASS64", NULL},
    {"data encoding", bad_data, -EINVAL, "little-endian", NULL},
    {"version", bad_version, -EINVAL, "version", NULL},
    {"other machine", bad_machine, -ENOEXEC, "this host is", NULL},
    {"unknown machine", bad_machine_unknown, -ENOEXEC, "e_machine 23130", NULL},
    {"executable", bad_type_exec, -EINVAL, "ET_REL", NULL},
    {"shared object", bad_type_dyn, -EINVAL, "ET_REL", NULL},
    {"e_ehsize", bad_ehsize, -EINVAL, "e_ehsize", NULL},
    {"e_shentsize", bad_shentsize, -EINVAL, "e_shentsize", NULL},
    {"no section headers", bad_shoff_zero, -EINVAL, "no section header table", NULL},
    {"e_shoff past the end", bad_shoff_past_end, -EINVAL, "truncated", NULL},
    {"e_shoff overflow", bad_shoff_overflow, -EINVAL, "overflows", NULL},
    {"e_shnum too big", bad_shnum_huge, -EINVAL, "truncated", NULL},
    {"e_shstrndx", bad_shstrndx, -EINVAL, "name table", NULL},
    {"unterminated section names", bad_shstrtab_unterminated, -EINVAL, "NUL-terminated", NULL},
    {"section offset past the end", bad_sect_offset, -EINVAL, "truncated", NULL},
    {"section extent overflow", bad_sect_overflow, -EINVAL, "overflows", NULL},
    {"section size past the end", bad_sect_size, -EINVAL, "truncated", NULL},
    {"section name offset", bad_sect_name, -EINVAL, "name offset", NULL},
    {"alignment not a power of two", bad_align_odd, -EINVAL, "power of two", NULL},
    {"alignment too large", bad_align_huge, -EINVAL, "exceeds", NULL},
    {"writable text", bad_wx, -ENOEXEC, "writable and executable", NULL},
    {"TLS section", bad_tls_sect, -ENOEXEC, "thread-local", NULL},
    {"allocated relocations", bad_alloc_rela, -EINVAL, "must not be allocated", NULL},
    {"executable stack", bad_execstack, -ENOEXEC, "executable stack", NULL},
    {"SHT_REL", bad_rel_type, -ENOEXEC, "SHT_REL", NULL},
    {"no symbol table", bad_no_symtab, -EINVAL, "no symbol table", NULL},
    {"symbol entry size", bad_symtab_entsize, -EINVAL, "symbol table", NULL},
    {"symbol table size", bad_symtab_size, -EINVAL, "symbol table", NULL},
    {"symbol table link", bad_symtab_link, -EINVAL, "string table index", NULL},
    {"symbol table link type", bad_symtab_link_type, -EINVAL, "string table", NULL},
    {"symbol table first global", bad_symtab_info, -EINVAL, "first global", NULL},
    {"unterminated strings", bad_strtab_unterminated, -EINVAL, "NUL-terminated", NULL},
    {"symbol name offset", bad_sym_name, -EINVAL, "name offset", NULL},
    {"symbol section index", bad_sym_shndx, -EINVAL, "section index", NULL},
    {"symbol value", bad_sym_value, -EINVAL, "beyond section", NULL},
    {"local undefined symbol", bad_sym_local_undef, -EINVAL, "undefined but not global", NULL},
    {"relocation symbol index", bad_rela_sym, -ENOEXEC, "symbol index", NULL},
    {"relocation offset", bad_rela_offset, -ENOEXEC, "outside the section", NULL},
    {"relocation offset overflow", bad_rela_offset_huge, -ENOEXEC, "outside the section", NULL},
    {"unknown relocation", bad_rela_type, -ENOEXEC, "unknown relocation type", NULL},
    {"TLS relocation", bad_rela_tls, -ENOEXEC, "thread-local", NULL},
    {"dynamic relocation", bad_rela_dynamic, -ENOEXEC, "dynamic relocation", NULL},
    {"relocation target", bad_rela_target, -EINVAL, "target section", NULL},
    {"relocation symbol table", bad_rela_link, -EINVAL, "is not the symbol table", NULL},
    {"relocation entry size", bad_rela_entsize, -EINVAL, "entry size", NULL},
    {"relocations into bss", bad_rela_into_nobits, -ENOEXEC, "no contents", NULL},
    {"symbol in unloaded section", bad_rela_unloaded_sym, -ENOEXEC, "not loaded", NULL},
    {"unwind CIE version", bad_eh_cie_version, -ENOEXEC, "CIE is malformed", NULL},
    {"unwind record length", bad_eh_length, -ENOEXEC, "record length", NULL},
    {"unwind trailing bytes", bad_eh_trailing, -ENOEXEC, "trailing bytes", NULL},
    {"unwind FDE outside code", bad_eh_fde_range, -ENOEXEC, "outside the extension's code", NULL},
    {"constructor outside code", bad_init_entry, -ENOEXEC, "not in the extension's code",
     "ctors-gcc-default.o"},
    {"export table size", bad_exported_sym_size, -EINVAL, "whole number", "exports.o"},
    {"read-only TLS section", bad_tls_readonly, -EINVAL, "must be writable data", TLS},
    {"TLS section type", bad_tls_type, -EINVAL, "must be writable data", TLS},
    {"TLS section size", bad_tls_size, -EINVAL, "thread-local block may have", TLS},
    {"TLS section alignment", bad_tls_align, -EINVAL, "thread-local block may have", TLS},
    {"TLS block size", bad_tls_total, -ENOEXEC, "bytes of thread-local storage", TLS},
    {"TLS symbol outside TLS", bad_tls_sym_section, -EINVAL, "thread-local but its section", TLS},
    {"TLS common symbol", bad_tls_sym_common, -ENOEXEC, "absolute or common", TLS},
    {"TLS relocation, no TLS", bad_rela_gd_plain, -ENOEXEC, "without thread-local sections", NULL},
};

static void run_case(void **state)
{
	const struct bad *c = *state;
	struct obj o = obj_open(c->file ? c->file : BASE);
	struct llext *ext = (struct llext *)1;
	int ret;

	c->mutate(&o);
	log_capture_start();
	ret = load_buffer(o.b, o.len, "bad", &ext, NULL);
	log_capture_stop();
	if (ret != c->err || !log_contains(c->says)) {
		print_message("log: %s", log_text());
	}
	assert_int_equal(ret, c->err);
	assert_null(ext);
	assert_true(log_contains(c->says));
	assert_int_equal(registry_count(), 0);
	free(o.b);
}

/* The same object, intact, loads: the cases above fail because of their one change. */
static void test_intact_loads(void **state)
{
	static const char *const files[] = {BASE, "ctors-gcc-default.o", "exports.o", TLS};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct obj o = obj_open(files[i]);
		struct llext *ext;

		assert_int_equal(load_buffer(o.b, o.len, "intact", &ext, NULL), 0);
		assert_int_equal(llext_unload(&ext), 0);
		free(o.b);
	}
}

/* Every prefix of a valid object fails cleanly. */
static void test_truncated_everywhere(void **state)
{
	struct obj o = obj_open(BASE);

	(void)state;
	log_capture_start();
	for (size_t len = 0; len < o.len; len++) {
		struct llext *ext;
		int ret = load_buffer(o.b, len, "cut", &ext, NULL);

		assert_true(ret < 0);
		assert_null(ext);
	}
	log_capture_stop();
	assert_int_equal(registry_count(), 0);
	free(o.b);
}

/*
 * Every byte of the ELF header and section headers, overwritten with a few patterns: whatever
 * the loader makes of it, it returns (success or a negative errno) and stays consistent.
 */
static void test_header_bytes_corrupted(void **state)
{
	struct obj o = obj_open(BASE);
	size_t shdrs = o.eh->e_shoff, end = shdrs + (size_t)o.eh->e_shnum * sizeof(Elf64_Shdr);
	static const uint8_t patterns[] = {0x00, 0xff, 0x80, 0x41};
	uint8_t *copy = malloc(o.len);

	(void)state;
	assert_non_null(copy);
	log_capture_start();
	for (size_t i = 0; i < end; i++) {
		if (i == sizeof(Elf64_Ehdr)) {
			i = shdrs;
		}
		for (size_t p = 0; p < sizeof(patterns); p++) {
			struct llext *ext;
			int ret;

			memcpy(copy, o.b, o.len);
			copy[i] = patterns[p];
			ret = load_buffer(copy, o.len, "corrupt", &ext, NULL);
			if (ret == 0) {
				assert_int_equal(llext_unload(&ext), 0);
			} else {
				assert_true(ret < 0);
				assert_null(ext);
			}
		}
	}
	log_capture_stop();
	assert_int_equal(registry_count(), 0);
	free(copy);
	free(o.b);
}

static void test_file_loader_errors(void **state)
{
	char tmpl[] = "/tmp/llext-empty-XXXXXX";
	int fd = mkstemp(tmpl);
	struct llext_fs_loader missing = LLEXT_FS_LOADER("/nonexistent/llext/file.o");
	struct llext_fs_loader dir = LLEXT_FS_LOADER("/");
	struct llext_fs_loader empty = LLEXT_FS_LOADER(tmpl);
	struct llext *ext;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	log_capture_start();
	assert_int_equal(llext_load(&missing.loader, "m", &ext, NULL), -ENOENT);
	assert_true(log_contains("/nonexistent/llext/file.o"));
	assert_int_equal(llext_load(&dir.loader, "d", &ext, NULL), -EISDIR);
	assert_int_equal(llext_load(&empty.loader, "e", &ext, NULL), -EINVAL);
	assert_true(log_contains("too short"));
	log_capture_stop();
	/* The loader was finalized even though the load failed. */
	assert_false(empty.is_open);
	unlink(tmpl);
	assert_int_equal(registry_count(), 0);
}

/* ---- archives: one rule broken per case, made by hand ---- */

/* An archive being built: the magic, then members appended with ar_add(). */
struct arb {
	uint8_t b[8192];
	size_t len;
};

static void ar_start(struct arb *a, const char *magic)
{
	memcpy(a->b, magic, 8);
	a->len = 8;
}

/* A member header with @name and the size field @size as given (both blank-padded), then @n
 * bytes of @data and the padding to an even offset. */
static void ar_add(struct arb *a, const char *name, const char *size, const void *data, size_t n)
{
	char h[61];

	assert_true(a->len + 60 + n + 1 <= sizeof(a->b));
	snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10s`\n", name, "0", "0", "0", "644", size);
	memcpy(a->b + a->len, h, 60);
	a->len += 60;
	memcpy(a->b + a->len, data, n);
	a->len += n;
	if (a->len & 1) {
		a->b[a->len++] = '\n';
	}
}

static void ar_add_sized(struct arb *a, const char *name, const void *data, size_t n)
{
	char size[16];

	snprintf(size, sizeof(size), "%zu", n);
	ar_add(a, name, size, data, n);
}

/* A 32-bit big-endian symbol index of one entry: @name at member header offset @hdr. */
static size_t index_one(uint8_t *out, uint32_t hdr, const char *name)
{
	static const uint8_t one[4] = {0, 0, 0, 1};

	memcpy(out, one, 4);
	for (int i = 0; i < 4; i++) {
		out[4 + i] = (uint8_t)(hdr >> (24 - 8 * i));
	}
	memcpy(out + 8, name, strlen(name) + 1);
	return 8 + strlen(name) + 1;
}

static const char junk[] = "not an object, but longer than an ELF header would be, so that the "
                           "loader reads one and looks at its magic";

static void ar_truncated_header(struct arb *a) { ar_add_sized(a, "junk.o/", junk, sizeof(junk)); a->len = 8 + 30; }
static void ar_size_beyond(struct arb *a) { ar_add(a, "junk.o/", "9999", junk, 10); }
static void ar_bad_decimal(struct arb *a) { ar_add(a, "junk.o/", "12x4", junk, 12); }
static void ar_negative_size(struct arb *a) { ar_add(a, "junk.o/", "-12", junk, 12); }
static void ar_size_overflow(struct arb *a) { ar_add(a, "junk.o/", "9999999999", junk, 12); }
static void ar_bad_fmag(struct arb *a) { ar_add_sized(a, "junk.o/", junk, 12); a->b[8 + 58] = 'X'; }
static void ar_name_unterminated(struct arb *a) { ar_add_sized(a, "junk.o", junk, 12); }
static void ar_bsd_name(struct arb *a) { ar_add_sized(a, "#1/12", junk, 24); }
static void ar_not_elf(struct arb *a) { ar_add_sized(a, "junk.o/", junk, sizeof(junk)); }
static void ar_empty(struct arb *a) { (void)a; }
static void ar_longname_range(struct arb *a)
{
	ar_add_sized(a, "//", "long_member_name.o/\n", 20);
	ar_add_sized(a, "/500", junk, sizeof(junk));
}
static void ar_longname_unterminated(struct arb *a)
{
	ar_add_sized(a, "//", "long_member_name.o", 18);
	ar_add_sized(a, "/0", junk, sizeof(junk));
}
static void ar_longname_no_table(struct arb *a) { ar_add_sized(a, "/0", junk, sizeof(junk)); }
static void ar_index_outside(struct arb *a)
{
	uint8_t idx[64];

	ar_add_sized(a, "/", idx, index_one(idx, 0x7777, "basic_ops"));
	ar_add_sized(a, "junk.o/", junk, sizeof(junk));
}
static void ar_index_count(struct arb *a)
{
	static const uint8_t idx[8] = {0x40, 0, 0, 0, 0, 0, 0, 8};

	ar_add_sized(a, "/", idx, sizeof(idx));
}
static void ar_index_name_cut(struct arb *a)
{
	uint8_t idx[64];
	/* The index's 17 bytes take 18 with their padding. */
	size_t n = index_one(idx, 8 + 60 + 18, "basic_ops");

	ar_add_sized(a, "/", idx, n - 1); /* without the name's NUL */
	ar_add_sized(a, "junk.o/", junk, sizeof(junk));
}
static void ar_index_twice(struct arb *a)
{
	static const uint8_t idx[4] = {0, 0, 0, 0};

	ar_add_sized(a, "/", idx, sizeof(idx));
	ar_add_sized(a, "/SYM64/", idx, sizeof(idx));
}
static void ar_index_late(struct arb *a)
{
	static const uint8_t idx[4] = {0, 0, 0, 0};

	ar_add_sized(a, "junk.o/", junk, sizeof(junk));
	ar_add_sized(a, "/", idx, sizeof(idx));
}

struct bad_ar {
	const char *name;
	void (*build)(struct arb *a);
	int ret;
	const char *says;
};

/* clang-format off */
static const struct bad_ar ar_cases[] = {
    {"truncated member header", ar_truncated_header, -EINVAL, "is truncated (30 of 60 bytes)"},
    {"member size beyond the file", ar_size_beyond, -EINVAL, "size 9999 goes beyond the end"},
    {"member size not decimal", ar_bad_decimal, -EINVAL, "size '12x4      ' is not a decimal"},
    {"member size negative", ar_negative_size, -EINVAL, "is not a decimal number"},
    {"member size too large", ar_size_overflow, -EINVAL, "goes beyond the end"},
    {"member header magic", ar_bad_fmag, -EINVAL, "does not end with the header magic"},
    {"member name without '/'", ar_name_unterminated, -EINVAL, "does not end with '/'"},
    {"BSD member name", ar_bsd_name, -ENOTSUP, "only GNU archives are read"},
    {"member that is not an object", ar_not_elf, -EINVAL, "not an ELF file"},
    {"empty archive", ar_empty, -ENOEXEC, "the archive has no members"},
    {"long-name offset out of range", ar_longname_range, -EINVAL, "offset 500 is outside the long-name table"},
    {"long name not terminated", ar_longname_unterminated, -EINVAL, "is not terminated"},
    {"long name without a table", ar_longname_no_table, -EINVAL, "outside the long-name table (0 bytes)"},
    {"symbol index pointing outside", ar_index_outside, -EINVAL, "points at no member header"},
    {"symbol index count", ar_index_count, -EINVAL, "its count does not fit"},
    {"symbol index name cut", ar_index_name_cut, -EINVAL, "its name is cut"},
    {"two symbol indexes", ar_index_twice, -EINVAL, "more than one symbol index"},
    {"symbol index not first", ar_index_late, -EINVAL, "is not the first member"},
};
/* clang-format on */

/* Each broken archive, loaded whole through the buffer loader. */
static void run_ar_case(void **state)
{
	const struct bad_ar *c = *state;
	struct arb *a = calloc(1, sizeof(*a));
	struct llext *ext;
	int ret;

	assert_non_null(a);
	ar_start(a, "!<arch>\n");
	c->build(a);
	log_capture_start();
	ret = load_buffer(a->b, a->len, "badar", &ext, NULL);
	log_capture_stop();
	if (ret != c->ret || !log_contains(c->says)) {
		print_message("log: %s", log_text());
	}
	assert_int_equal(ret, c->ret);
	assert_true(log_contains(c->says));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
	free(a);
}

/* An archive named as a library: written to a file, @lib the path; the object needs arc_a. */
static int load_arc_user(const struct arb *a, const char *path)
{
	const char *libs[] = {path, NULL};
	struct llext_load_param p = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	FILE *f = fopen(path, "wb");
	int ret;

	assert_non_null(f);
	assert_int_equal(fwrite(a->b, 1, a->len, f), a->len);
	fclose(f);
	p.libraries = libs;
	ret = load_fixture("arc-user.o", "arcbad", &ext, &p);
	assert_true(ret < 0);
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
	return ret;
}

/* A thin archive whose member's file is missing, and one whose member changed size. */
static void test_thin_member_missing(void **state)
{
	char dir[] = "/tmp/llext-thin-XXXXXX", path[64], member[64];
	struct arb *a = calloc(1, sizeof(*a));
	uint8_t idx[64];
	FILE *f;

	(void)state;
	assert_non_null(a);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/libthin.a", dir);
	snprintf(member, sizeof(member), "%s/gone.o", dir);
	ar_start(a, "!<thin>\n");
	/* The index, then the long-name table: the member's header is after both. */
	ar_add_sized(a, "/", idx, index_one(idx, 8 + 60 + 14 + 60 + 8, "arc_a"));
	ar_add_sized(a, "//", "gone.o/\n", 8);
	ar_add(a, "/0", "1234", "", 0);
	log_capture_start();
	assert_int_equal(load_arc_user(a, path), -ENOENT);
	assert_true(log_contains("cannot open '"));
	assert_true(log_contains("/gone.o'"));
	f = fopen(member, "wb");
	assert_non_null(f);
	fputs("short", f);
	fclose(f);
	assert_int_equal(load_arc_user(a, path), -EINVAL);
	assert_true(log_contains("thin member 'gone.o' is 5 bytes, the archive says 1234"));
	log_capture_stop();
	unlink(member);
	unlink(path);
	rmdir(dir);
	free(a);
}

/*
 * Every broken object of cases[], as the one member of an archive loaded whole: the member is
 * read by the same checks, and what they leave for later stages goes through the join first.
 * Each load fails, with nothing registered (and, under ASan, nothing leaked).
 */
static void test_broken_members(void **state)
{
	(void)state;
	log_capture_start();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct obj o = obj_open(cases[i].file ? cases[i].file : BASE);
		uint8_t *a = malloc(o.len + 128);
		char h[61];
		struct llext *ext;
		int ret;

		assert_non_null(a);
		cases[i].mutate(&o);
		snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "member.o/", "0", "0", "0",
		         "644", o.len);
		memcpy(a, "!<arch>\n", 8);
		memcpy(a + 8, h, 60);
		memcpy(a + 68, o.b, o.len);
		ret = load_buffer(a, 68 + o.len, "badmember", &ext, NULL);
		if (ret >= 0) {
			print_message("case '%s' loaded as a member\n", cases[i].name);
		}
		assert_true(ret < 0);
		assert_null(ext);
		assert_int_equal(registry_count(), 0);
		free(a);
		free(o.b);
	}
	log_capture_stop();
}

/* A real archive cut at every length: each load fails or loads and unloads cleanly. */
static void test_archive_truncated(void **state)
{
	size_t len;
	uint8_t *b = read_file(fixture_path("libarc.a"), &len);

	(void)state;
	log_capture_start();
	for (size_t n = 0; n < len; n += 1 + n / 64) {
		struct llext *ext;
		int ret = load_buffer(b, n, "cutar", &ext, NULL);

		if (ret == 0) {
			assert_int_equal(llext_unload(&ext), 0);
		} else {
			assert_true(ret < 0);
			assert_null(ext);
		}
	}
	log_capture_stop();
	assert_int_equal(registry_count(), 0);
	free(b);
}

int main(void)
{
	size_t n = ARRAY_SIZE(cases);
	size_t nd = ARRAY_SIZE(debug_cases);
	size_t na = ARRAY_SIZE(ar_cases);
	struct CMUnitTest *t = calloc(n + nd + na + 7, sizeof(*t));
	char(*names)[80] = calloc(n + nd + na, sizeof(*names));

	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "bad %s", cases[i].name);
		t[i].name = names[i];
		t[i].test_func = run_case;
		t[i].initial_state = (void *)&cases[i];
	}
	for (size_t i = 0; i < nd; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "bad %s", debug_cases[i].name);
		t[n].name = names[n];
		t[n].test_func = run_debug_case;
		t[n].initial_state = (void *)&debug_cases[i];
	}
	for (size_t i = 0; i < na; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "bad archive: %s", ar_cases[i].name);
		t[n].name = names[n];
		t[n].test_func = run_ar_case;
		t[n].initial_state = (void *)&ar_cases[i];
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_thin_member_missing);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_archive_truncated);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_broken_members);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_intact_loads);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_truncated_everywhere);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_header_bytes_corrupted);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_file_loader_errors);
	int ret = run_dynamic_tests("malformed", t, n);

	free(names);
	free(t);
	return ret;
}
