// SPDX-License-Identifier: MIT
/*
 * The platform's configuration as an extension sees it: one bit per option, set when the
 * option is on by both of Zephyr's tests (#ifdef and IS_ENABLED() agree, or the build fails).
 * Built with the defaults and again with -D overrides (tests/zephyr/meson.build).
 */
#include <zephyr/llext/symbol.h>
#include <zephyr/sys/util.h>

#include "zconfig_bits.h"

/* #ifdef and IS_ENABLED() must agree: Zephyr's bool options are 1 or absent. */
#define ZBIT(opt, bit)                                                                             \
	(BUILD_ASSERT_EXPR(IS_ENABLED(opt) == ZDEFINED_##opt), IS_ENABLED(opt) ? (bit) : 0u)
#define BUILD_ASSERT_EXPR(e) ((void)sizeof(char[(e) ? 1 : -1]))

#ifdef CONFIG_64BIT
#define ZDEFINED_CONFIG_64BIT 1
#else
#define ZDEFINED_CONFIG_64BIT 0
#endif
#ifdef CONFIG_X86
#define ZDEFINED_CONFIG_X86 1
#else
#define ZDEFINED_CONFIG_X86 0
#endif
#ifdef CONFIG_X86_64
#define ZDEFINED_CONFIG_X86_64 1
#else
#define ZDEFINED_CONFIG_X86_64 0
#endif
#ifdef CONFIG_ARM64
#define ZDEFINED_CONFIG_ARM64 1
#else
#define ZDEFINED_CONFIG_ARM64 0
#endif
#ifdef CONFIG_LLEXT
#define ZDEFINED_CONFIG_LLEXT 1
#else
#define ZDEFINED_CONFIG_LLEXT 0
#endif
#ifdef CONFIG_LLEXT_TYPE_ELF_RELOCATABLE
#define ZDEFINED_CONFIG_LLEXT_TYPE_ELF_RELOCATABLE 1
#else
#define ZDEFINED_CONFIG_LLEXT_TYPE_ELF_RELOCATABLE 0
#endif
#ifdef CONFIG_LLEXT_TYPE_ELF_OBJECT
#define ZDEFINED_CONFIG_LLEXT_TYPE_ELF_OBJECT 1
#else
#define ZDEFINED_CONFIG_LLEXT_TYPE_ELF_OBJECT 0
#endif
#ifdef CONFIG_LLEXT_EXPORT_DEPENDENCIES
#define ZDEFINED_CONFIG_LLEXT_EXPORT_DEPENDENCIES 1
#else
#define ZDEFINED_CONFIG_LLEXT_EXPORT_DEPENDENCIES 0
#endif
#ifdef CONFIG_THREAD_LOCAL_STORAGE
#define ZDEFINED_CONFIG_THREAD_LOCAL_STORAGE 1
#else
#define ZDEFINED_CONFIG_THREAD_LOCAL_STORAGE 0
#endif
#ifdef CONFIG_CPP
#define ZDEFINED_CONFIG_CPP 1
#else
#define ZDEFINED_CONFIG_CPP 0
#endif
#ifdef CONFIG_USERSPACE
#define ZDEFINED_CONFIG_USERSPACE 1
#else
#define ZDEFINED_CONFIG_USERSPACE 0
#endif
#ifdef CONFIG_LLEXT_STORAGE_WRITABLE
#define ZDEFINED_CONFIG_LLEXT_STORAGE_WRITABLE 1
#else
#define ZDEFINED_CONFIG_LLEXT_STORAGE_WRITABLE 0
#endif
#ifdef CONFIG_LLEXT_RODATA_NO_RELOC
#define ZDEFINED_CONFIG_LLEXT_RODATA_NO_RELOC 1
#else
#define ZDEFINED_CONFIG_LLEXT_RODATA_NO_RELOC 0
#endif

unsigned int zconfig_bits(void)
{
	return ZBIT(CONFIG_64BIT, ZC_64BIT) | ZBIT(CONFIG_X86, ZC_X86) |
	       ZBIT(CONFIG_X86_64, ZC_X86_64) | ZBIT(CONFIG_ARM64, ZC_ARM64) |
	       ZBIT(CONFIG_LLEXT, ZC_LLEXT) |
	       ZBIT(CONFIG_LLEXT_TYPE_ELF_RELOCATABLE, ZC_RELOCATABLE) |
	       ZBIT(CONFIG_LLEXT_TYPE_ELF_OBJECT, ZC_OBJECT) |
	       ZBIT(CONFIG_LLEXT_EXPORT_DEPENDENCIES, ZC_EXPORT_DEPS) |
	       ZBIT(CONFIG_THREAD_LOCAL_STORAGE, ZC_TLS) | ZBIT(CONFIG_CPP, ZC_CPP) |
	       ZBIT(CONFIG_USERSPACE, ZC_USERSPACE) |
	       ZBIT(CONFIG_LLEXT_STORAGE_WRITABLE, ZC_STORAGE_WRITABLE) |
	       ZBIT(CONFIG_LLEXT_RODATA_NO_RELOC, ZC_RODATA_NO_RELOC);
}
EXPORT_SYMBOL(zconfig_bits);

#ifdef CONFIG_LLEXT_HEAP_SIZE
/* An int option set with -D. */
int zconfig_heap_size = CONFIG_LLEXT_HEAP_SIZE;
EXPORT_SYMBOL(zconfig_heap_size);
#endif

/* A string option. */
const char *zconfig_arch(void)
{
	return CONFIG_ARCH;
}
EXPORT_SYMBOL(zconfig_arch);
