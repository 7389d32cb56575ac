// SPDX-License-Identifier: MIT
/* Calls into a library the host does not link, named in the source as a .so's DT_NEEDED would. */
#include <llext/symbol.h>

#ifndef NO_NEEDS
LLEXT_NEEDS("libsqlite3.so.0");
#endif

/* From <sqlite3.h>, declared here so that the fixture builds without the header. */
int sqlite3_libversion_number(void);
const char *sqlite3_libversion(void);

int needs_version_number(void)
{
	return sqlite3_libversion_number();
}

const char *needs_version_string(void)
{
	return sqlite3_libversion();
}
