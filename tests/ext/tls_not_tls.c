// SPDX-License-Identifier: MIT
/*
 * Initial-exec code against a name declared thread-local (HOST_SYM) that, where it is defined, is
 * not: the dynamic linker's __tls_get_addr (a function, in a module without TLS), libm's cos (a
 * function, NEED_LIB naming libm). Or, with NEEDS16, errno from an extension that names sixteen
 * libraries as needed, each of which the request for static TLS names too.
 */
#include <llext/symbol.h>

extern __thread int host_var __asm__(HOST_SYM);

#ifdef NEED_LIB
LLEXT_NEEDS(NEED_LIB);
#endif

#ifdef NEEDS16
LLEXT_NEEDS("libc.so.6");
LLEXT_NEEDS("libm.so.6");
LLEXT_NEEDS("libz.so.1");
LLEXT_NEEDS("libelf.so.1");
LLEXT_NEEDS("libpthread.so.0");
LLEXT_NEEDS("libdl.so.2");
LLEXT_NEEDS("librt.so.1");
LLEXT_NEEDS("libutil.so.1");
LLEXT_NEEDS("libresolv.so.2");
LLEXT_NEEDS("libanl.so.1");
LLEXT_NEEDS("libstdc++.so.6");
LLEXT_NEEDS("libgcc_s.so.1");
LLEXT_NEEDS("libcmocka.so.0");
LLEXT_NEEDS("libBrokenLocale.so.1");
LLEXT_NEEDS("libnss_files.so.2");
LLEXT_NEEDS("libnss_dns.so.2");
#endif

int tls_not_tls_get(void)
{
	return host_var;
}

void tls_not_tls_set(int v)
{
	host_var = v;
}
