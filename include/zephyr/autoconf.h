/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The CONFIG_ options that describe this platform to Zephyr code, as Zephyr's generated
 * autoconf.h describes a board.
 *
 * Every <zephyr/...> header of libllext includes this one first, so Zephyr code sees the same
 * configuration whichever header it starts with. The defaults say what libllext is: a Linux
 * process on x86_64 or AArch64 loading relocatable objects (ET_REL), with thread-local storage
 * and C++ in extensions, and no user mode.
 *
 * Zephyr's convention holds: a bool option that is on is defined to 1, one that is off is not
 * defined at all, so that both `#ifdef CONFIG_X` and `IS_ENABLED(CONFIG_X)` read it right. To
 * change an option for a program or an extension, as a Zephyr application's prj.conf does, pass
 * it to the compiler:
 *
 * - `-DCONFIG_X` (or `-DCONFIG_X=1`) turns a bool option on, and `-DCONFIG_X=VALUE` sets an int
 *   or string option; a default is only applied when the option is not already defined.
 * - `-DCONFIG_X=0` turns a default-on bool option off: this header then undefines it, so the
 *   code after it sees the option absent, as Zephyr's autoconf.h leaves an option set to n.
 *   (`-UCONFIG_X` cannot do that: the default would be applied afterwards.) The test is the
 *   preprocessor's: any value #if reads as 0 is off, and that includes a bare identifier, so
 *   write 1 for on, as autoconf.h does, never y.
 *
 * Options for what libllext deliberately lacks stay undefined; defining one to anything but 0
 * stops the compilation with an explanation, since code built for that feature would not work here (see
 * docs/zephyr-differences.md, "Configuration").
 */
#ifndef ZEPHYR_INCLUDE_AUTOCONF_H_
#define ZEPHYR_INCLUDE_AUTOCONF_H_

/*
 * Each bool option in two steps: on by default unless already defined; then undefined again if
 * it was defined to 0.
 */

/* ---- architecture and word size ---- */

#if defined(__x86_64__)
#ifndef CONFIG_X86
#define CONFIG_X86 1
#endif
#ifndef CONFIG_X86_64
#define CONFIG_X86_64 1
#endif
#ifndef CONFIG_ARCH
#define CONFIG_ARCH "x86"
#endif
#elif defined(__aarch64__)
#ifndef CONFIG_ARM64
#define CONFIG_ARM64 1
#endif
#ifndef CONFIG_ARCH
#define CONFIG_ARCH "arm64"
#endif
#else
#error "libllext's Zephyr layer describes x86_64 and AArch64 Linux only"
#endif

#if defined(__LP64__) && !defined(CONFIG_64BIT)
#define CONFIG_64BIT 1
#endif

/* ---- the llext subsystem as libllext provides it ---- */

#ifndef CONFIG_LLEXT
#define CONFIG_LLEXT 1
#endif
/* Extensions are relocatable objects (ET_REL), one .o or several joined with ld -r. */
#ifndef CONFIG_LLEXT_TYPE_ELF_RELOCATABLE
#define CONFIG_LLEXT_TYPE_ELF_RELOCATABLE 1
#endif
/* An extension links against the exports of extensions loaded before it, which then stay. */
#ifndef CONFIG_LLEXT_EXPORT_DEPENDENCIES
#define CONFIG_LLEXT_EXPORT_DEPENDENCIES 1
#endif
/* Thread-local variables in extensions (__thread, thread_local) work. */
#ifndef CONFIG_THREAD_LOCAL_STORAGE
#define CONFIG_THREAD_LOCAL_STORAGE 1
#endif
/* Extensions may be C++ (constructors, exceptions, the C++ library of the process). */
#ifndef CONFIG_CPP
#define CONFIG_CPP 1
#endif

/* ---- default-on options switched off with -DCONFIG_X=0 ---- */

#if defined(CONFIG_X86) && (CONFIG_X86 + 0) == 0
#undef CONFIG_X86
#endif
#if defined(CONFIG_X86_64) && (CONFIG_X86_64 + 0) == 0
#undef CONFIG_X86_64
#endif
#if defined(CONFIG_ARM64) && (CONFIG_ARM64 + 0) == 0
#undef CONFIG_ARM64
#endif
#if defined(CONFIG_64BIT) && (CONFIG_64BIT + 0) == 0
#undef CONFIG_64BIT
#endif
#if defined(CONFIG_LLEXT) && (CONFIG_LLEXT + 0) == 0
#undef CONFIG_LLEXT
#endif
#if defined(CONFIG_LLEXT_TYPE_ELF_RELOCATABLE) && (CONFIG_LLEXT_TYPE_ELF_RELOCATABLE + 0) == 0
#undef CONFIG_LLEXT_TYPE_ELF_RELOCATABLE
#endif
#if defined(CONFIG_LLEXT_EXPORT_DEPENDENCIES) && (CONFIG_LLEXT_EXPORT_DEPENDENCIES + 0) == 0
#undef CONFIG_LLEXT_EXPORT_DEPENDENCIES
#endif
#if defined(CONFIG_THREAD_LOCAL_STORAGE) && (CONFIG_THREAD_LOCAL_STORAGE + 0) == 0
#undef CONFIG_THREAD_LOCAL_STORAGE
#endif
#if defined(CONFIG_CPP) && (CONFIG_CPP + 0) == 0
#undef CONFIG_CPP
#endif

/* ---- what libllext deliberately lacks: these stay undefined ---- */

/*
 * One given as 0 is undefined, as above; one asked to be on is refused. The tests of Zephyr's
 * suite that need these are listed in docs/zephyr-differences.md.
 */
#if defined(CONFIG_USERSPACE) && (CONFIG_USERSPACE + 0) == 0
#undef CONFIG_USERSPACE
#endif
#if defined(CONFIG_LLEXT_STORAGE_WRITABLE) && (CONFIG_LLEXT_STORAGE_WRITABLE + 0) == 0
#undef CONFIG_LLEXT_STORAGE_WRITABLE
#endif
#if defined(CONFIG_LLEXT_RODATA_NO_RELOC) && (CONFIG_LLEXT_RODATA_NO_RELOC + 0) == 0
#undef CONFIG_LLEXT_RODATA_NO_RELOC
#endif
#if defined(CONFIG_LLEXT_TYPE_ELF_SHAREDLIB) && (CONFIG_LLEXT_TYPE_ELF_SHAREDLIB + 0) == 0
#undef CONFIG_LLEXT_TYPE_ELF_SHAREDLIB
#endif
#if defined(CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID) &&                                              \
    (CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID + 0) == 0
#undef CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID
#endif
#if defined(CONFIG_USERSPACE) && (CONFIG_USERSPACE + 0) != 0
#error "CONFIG_USERSPACE: libllext has no user mode; extensions run in the caller's thread"
#endif
#if defined(CONFIG_LLEXT_STORAGE_WRITABLE) && (CONFIG_LLEXT_STORAGE_WRITABLE + 0) != 0
#error "CONFIG_LLEXT_STORAGE_WRITABLE: libllext always copies an extension out of its buffer"
#endif
#if defined(CONFIG_LLEXT_RODATA_NO_RELOC) && (CONFIG_LLEXT_RODATA_NO_RELOC + 0) != 0
#error "CONFIG_LLEXT_RODATA_NO_RELOC: libllext copies LLEXT_RODATA_NO_RELOC data like any rodata"
#endif
/* Zephyr's binary type is a choice: one of them. libllext loads single objects too. */
#if defined(CONFIG_LLEXT_TYPE_ELF_OBJECT) && (CONFIG_LLEXT_TYPE_ELF_OBJECT + 0) == 0
#undef CONFIG_LLEXT_TYPE_ELF_OBJECT
#endif
#if defined(CONFIG_LLEXT_TYPE_ELF_OBJECT) && defined(CONFIG_LLEXT_TYPE_ELF_RELOCATABLE)
#error "CONFIG_LLEXT_TYPE_ELF_OBJECT: also pass -DCONFIG_LLEXT_TYPE_ELF_RELOCATABLE=0 (one type)"
#endif
#if defined(CONFIG_LLEXT_TYPE_ELF_SHAREDLIB) && (CONFIG_LLEXT_TYPE_ELF_SHAREDLIB + 0) != 0
#error "CONFIG_LLEXT_TYPE_ELF_SHAREDLIB: libllext loads relocatable objects, not shared libraries"
#endif
#if defined(CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID) &&                                              \
    (CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID + 0) != 0
#error "CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID: libllext links by name only"
#endif

#endif /* ZEPHYR_INCLUDE_AUTOCONF_H_ */
