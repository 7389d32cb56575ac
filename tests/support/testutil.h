/* SPDX-License-Identifier: MIT */
/* Small macros for every test program, the unit tests included (they do not use common.h). */
#ifndef TESTS_TESTUTIL_H
#define TESTS_TESTUTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
