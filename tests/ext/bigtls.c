// SPDX-License-Identifier: MIT
/*
 * A shared library test-tls opens, whose thread-local block is too large for the static TLS
 * space the C library keeps for libraries opened later: its block is in dynamic TLS on every
 * architecture, at another distance from the thread pointer in each thread.
 */
__thread char llext_test_big_tls[64 << 10];

