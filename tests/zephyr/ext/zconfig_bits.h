/* SPDX-License-Identifier: MIT */
/* The bits zconfig_bits() (ext/zconfig.c) returns, one per CONFIG_ option. */
#ifndef ZCONFIG_BITS_H
#define ZCONFIG_BITS_H

#define ZC_64BIT 0x0001u
#define ZC_X86 0x0002u
#define ZC_X86_64 0x0004u
#define ZC_ARM64 0x0008u
#define ZC_LLEXT 0x0010u
#define ZC_RELOCATABLE 0x0020u
#define ZC_OBJECT 0x0040u
#define ZC_EXPORT_DEPS 0x0080u
#define ZC_TLS 0x0100u
#define ZC_CPP 0x0200u
#define ZC_USERSPACE 0x0400u
#define ZC_STORAGE_WRITABLE 0x0800u
#define ZC_RODATA_NO_RELOC 0x1000u

#endif /* ZCONFIG_BITS_H */
