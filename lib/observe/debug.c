// SPDX-License-Identifier: MIT
/*
 * Debugger support: every loaded extension is announced to gdb and lldb through the GDB JIT
 * Compilation Interface (the GDB manual's "JIT Compilation Interface").
 *
 * A debugger breaks on __jit_debug_register_code() and reads __jit_debug_descriptor to find an
 * in-memory ELF object per extension. The object, a copy of the extension's made for debuggers,
 * is built by the load stage load/debug_copy.c; this file keeps the list of registered objects.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "observe/debug.h"
#include "runtime/ext.h"

/* The interface itself: both names and the layout are fixed by the GDB manual. */
enum { JIT_NOACTION = 0, JIT_REGISTER_FN, JIT_UNREGISTER_FN };

/*
 * Exported with default visibility and called through the PLT: if the process has another
 * JIT (or a second copy of libllext), all of them share the first definition, so that the
 * debugger sees one list.
 */
LLEXT_EXPORT struct jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, NULL, NULL};

/* The debugger's breakpoint. The asm keeps the call: an empty function could be dropped. */
LLEXT_EXPORT __attribute__((noinline, used)) void __jit_debug_register_code(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Serialises changes to the list; the debugger reads it with the process stopped. */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

/* One extension's registration, at the start of the block that holds its object. */
struct llext_debug {
	struct jit_code_entry entry;
	size_t size;
	bool in_map; /* in the extension's spare memory, not on the heap */
	_Alignas(16) uint8_t image[];
};

size_t llext_debug_room(void)
{
	return sizeof(struct llext_debug);
}

/* Frees a registration's block on the heap; one in the extension's mapping goes with the
 * mapping. */
static void free_heap_block(struct llext_debug *d)
{
	if (!d->in_map) {
		free(d);
	}
}

/*
 * An object with no contents, registered and unregistered right after each unregistration.
 *
 * gdb 13 does not take its breakpoints out of an unregistered object's code: it forgets the
 * object, and rewrites the saved bytes at the old addresses only when it next re-reads its
 * breakpoints, which a registration makes it do. By then the extension's pages are unmapped and
 * a new extension may be loaded at the same addresses: gdb would write bytes of the old code into
 * the new one (the reload test crashed so). Registering this object makes gdb clean up at once,
 * while the old pages are still mapped. Without a debugger it costs two empty calls.
 */
#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#else
#define HOST_MACHINE EM_AARCH64
#endif

static const struct {
	Elf64_Ehdr eh;
	Elf64_Shdr sh[2];
	char names[12];
} flush_obj = {
    .eh =
	{
	    .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
	    .e_type = ET_REL,
	    .e_machine = HOST_MACHINE,
	    .e_version = EV_CURRENT,
	    .e_shoff = sizeof(Elf64_Ehdr),
	    .e_ehsize = sizeof(Elf64_Ehdr),
	    .e_shentsize = sizeof(Elf64_Shdr),
	    .e_shnum = 2,
	    .e_shstrndx = 1,
	},
    .sh = {{0},
           {.sh_name = 1,
            .sh_type = SHT_STRTAB,
            .sh_offset = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Shdr),
            .sh_size = 11,
            .sh_addralign = 1}},
    .names = "\0.shstrtab",
};

static struct jit_code_entry flush_entry = {NULL, NULL, (const char *)&flush_obj,
                                            sizeof(flush_obj)};

/* Announces @en (already linked in or out) to a debugger; jit_lock held. */
static void announce(struct jit_code_entry *en, uint32_t action)
{
	__jit_debug_descriptor.relevant_entry = en;
	__jit_debug_descriptor.action_flag = action;
	__jit_debug_register_code();
	/* Nothing may point at an entry once it is freed. */
	__jit_debug_descriptor.action_flag = JIT_NOACTION;
	__jit_debug_descriptor.relevant_entry = NULL;
}

static void link_entry(struct jit_code_entry *en)
{
	struct jit_code_entry *first = __jit_debug_descriptor.first_entry;

	en->prev = NULL;
	en->next = first;
	if (first) {
		first->prev = en;
	}
	__jit_debug_descriptor.first_entry = en;
}

static void unlink_entry(struct jit_code_entry *en)
{
	if (en->prev) {
		en->prev->next = en->next;
	} else {
		__jit_debug_descriptor.first_entry = en->next;
	}
	if (en->next) {
		en->next->prev = en->prev;
	}
}

size_t llext_debug_size(const struct llext_internal *ie)
{
	return ie->debug && !ie->debug->in_map ? sizeof(*ie->debug) + ie->debug->size : 0;
}

void llext_debug_register(struct llext_internal *ie, void *block, size_t size, bool in_map)
{
	struct llext_debug *d = block;

	d->size = size;
	d->in_map = in_map;
	d->entry.symfile_addr = (const char *)d->image;
	d->entry.symfile_size = size;
	ie->debug = d;

	pthread_mutex_lock(&jit_lock);
	link_entry(&d->entry);
	announce(&d->entry, JIT_REGISTER_FN);
	pthread_mutex_unlock(&jit_lock);
}

void llext_debug_unregister(struct llext_internal *ie)
{
	struct jit_code_entry *en;

	if (!ie->debug) {
		return;
	}
	en = &ie->debug->entry;
	pthread_mutex_lock(&jit_lock);
	unlink_entry(en);
	announce(en, JIT_UNREGISTER_FN);
	link_entry(&flush_entry);
	announce(&flush_entry, JIT_REGISTER_FN);
	unlink_entry(&flush_entry);
	announce(&flush_entry, JIT_UNREGISTER_FN);
	pthread_mutex_unlock(&jit_lock);
	free_heap_block(ie->debug);
	ie->debug = NULL;
}
